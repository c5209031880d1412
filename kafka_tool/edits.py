"""Edits that keep a case consistent: what refers to an element, rename, delete.

Which places refer to what is not written down here: it is read from the declarations
on the models (:class:`~kafka_tool.model.References`, walked by
:mod:`kafka_tool.references`), so that a reference added to the case format is
followed by every edit without a change to this module.

- :func:`referrers`: every place that refers to an element, for people;
- :func:`rename_id`: an element's id changed, and every reference to it;
- :func:`rename_attribute`: an attribute's name changed in every ``when`` and every
  persona's values;
- :func:`delete_element`: an element removed, and every reference to it, with what
  cannot do without that reference (see :func:`~kafka_tool.references.rewrite_references`);
- :func:`put_attribute` and :func:`delete_attribute`: an attribute declared, changed,
  renamed or removed, with every ``when`` and persona value that names it;
- :func:`put_header`, :func:`put_teaching` and :func:`put_acceptance`: the parts of a case
  that are not lists of elements (the header, the teaching notes, the accepted findings).

The functions on a :class:`~kafka_tool.model.Case` return a new, validated case; those on
plain data (``*_data``, ``put_*``) return new data for the caller to validate. The case or
data given is left as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .errors import Loc
from .i18n import phrase, phrase_join
from .loader import validate_data
from .model import Case
from .references import GONE, Slot, references, rewrite_references

__all__ = [
    "HEADER_KEYS",
    "PARTS",
    "SECTIONS",
    "ElementRef",
    "Reference",
    "accept_finding",
    "attribute_referrers",
    "copy_data",
    "delete_acceptance",
    "delete_attribute",
    "delete_attribute_data",
    "delete_element",
    "put_acceptance",
    "put_attribute",
    "put_header",
    "put_teaching",
    "referrers",
    "rename_attribute",
    "rename_attribute_data",
    "rename_data",
    "rename_id",
]

#: Element kinds and the section of the case that holds them, in file order.
SECTIONS: dict[str, str] = {
    "actor": "actors",
    "document": "documents",
    "rule": "rules",
    "touchpoint": "touchpoints",
    "persona": "personas",
    "journey": "journeys",
    "intervention": "interventions",
}
_KINDS = {section: kind for kind, section in SECTIONS.items()}

#: The parts of a case that are not lists of elements with ids, and the key that holds each:
#: the header (the top-level keys of :data:`HEADER_KEYS`), the teaching notes, the attributes
#: (named by their key) and the accepted findings (by their position, as journeys are).
PARTS: dict[str, str] = {"case": "", "teaching": "teaching", "attribute": "attributes", "acceptance": "accepted"}

#: The keys of a case's header, in file order.
HEADER_KEYS: tuple[str, ...] = ("id", "title", "language", "currency", "summary", "source", "tags", "horizon_years",
                               "hour_value")


@dataclass(frozen=True)
class ElementRef:
    """One element of a case: its kind and its id (a journey: its index, as text)."""

    kind: str
    key: str

    @property
    def section(self) -> str:
        """The top-level section of the case holding this element (for the header: ``""``)."""
        return SECTIONS[self.kind] if self.kind in SECTIONS else PARTS[self.kind]


@dataclass(frozen=True)
class Reference:
    """A place in the case that refers to an element id, described for people.

    ``kind`` and ``owner`` say which element holds it (a journey is named after its
    persona and its number), ``field`` where in that element (``requires``,
    ``steps.to``, ``changes.exchange.document``); ``loc`` is the place in the case data.
    """

    kind: str
    owner: str
    field: str
    loc: Loc = ()

    def __str__(self) -> str:
        return f"{self.kind} '{self.owner}' ({self.field})"


def copy_data(value: Any) -> Any:
    """A deep copy of plain case data (dicts, lists and scalars)."""
    if isinstance(value, dict):
        return {k: copy_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_data(v) for v in value]
    return value


def _rebuild(data: dict[str, Any]) -> Case:
    case, issues = validate_data(data)
    if case is None:
        raise ValueError(phrase_join("; ", [i.message for i in issues]))
    return case


def _reference(data: dict[str, Any], slot: Slot) -> Reference:
    section = str(slot.loc[0])
    if section == "attributes":  # an attribute's ``while`` names others: by its name, not a position
        return Reference("attribute", str(slot.loc[1]), slot.field, slot.loc)
    index = int(slot.loc[1])
    element = data[section][index]
    owner = f"{element.get('persona')} #{index + 1}" if section == "journeys" else str(element.get("id"))
    return Reference(_KINDS.get(section, section), owner, slot.field, slot.loc)


def referrers(case: Case, element_id: str) -> list[Reference]:
    """Every place in the case that refers to ``element_id``, in file order.

    Examples
    --------
    >>> from kafka_tool.library import find_case
    >>> from kafka_tool.loader import load_case
    >>> case = load_case(find_case("status-holder-bsn-bank-house"))
    >>> [str(r) for r in referrers(case, "bsn")]  # doctest: +NORMALIZE_WHITESPACE
    ["touchpoint 'brp_street' (produces)", "touchpoint 'register_at_address' (produces)",
     "touchpoint 'open_bank_account' (requires)", "touchpoint 'payroll' (requires)",
     "intervention 'wages_at_the_anonymous_rate' (changes.remove_requirement.document)"]
    """
    data = case.to_data()
    return [_reference(data, s) for s in references(data) if s.value == element_id and not s.reference.by_name]


def attribute_referrers(case: Case, name: str) -> list[Reference]:
    """Every ``when`` and every persona's values that name the attribute ``name``, in file order."""
    data = case.to_data()
    return [_reference(data, s) for s in references(data) if s.value == name and s.reference.by_name]


_FINDING_ID_SEPARATORS = re.compile(r"([/+~])")


def rename_data(data: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """Case data with the element ``old`` renamed to ``new`` and every reference to it updated.

    Accepted findings whose id mentions ``old`` are renamed too, so that an acceptance
    survives the rename. ``data`` itself is not changed.
    """
    data = copy_data(data)
    for section in SECTIONS.values():
        for item in data.get(section, []):
            if isinstance(item, dict) and item.get("id") == old:
                item["id"] = new
    data = rewrite_references(data, lambda s: new if s.value == old and not s.reference.by_name else s.value)
    for acceptance in data.get("accepted", []):
        tokens = _FINDING_ID_SEPARATORS.split(str(acceptance.get("finding", "")))
        acceptance["finding"] = "".join(new if t == old else t for t in tokens)
    return data


def rename_id(case: Case, old: str, new: str) -> Case:
    """A copy of ``case`` with ``old`` renamed to ``new`` everywhere it is used.

    Raises ValueError when the result is not a valid case (``new`` already taken, or not
    a slug).

    Examples
    --------
    >>> from kafka_tool.library import find_case
    >>> from kafka_tool.loader import load_case
    >>> case = load_case(find_case("status-holder-bsn-bank-house"))
    >>> renamed = rename_id(case, "bsn", "citizen_number")
    >>> renamed.touchpoint("payroll").requires[0]
    DocRequirement(doc='citizen_number', rule='wage_tax_identification', when=None, within_days=None, effort_hours=None)
    """
    return _rebuild(rename_data(case.to_data(), old, new))


def rename_attribute_data(data: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """Case data with the attribute ``old`` named ``new``: its declaration (in its place), every
    ``when``, every persona's values. ``data`` itself is not changed.

    Raises ValueError when ``old`` is not an attribute of the case or ``new`` already is.
    """
    data = copy_data(data)
    attributes = data.get("attributes", {})
    if old not in attributes:
        raise ValueError(phrase("the case has no attribute {name}", name=repr(old)))
    if new in attributes and new != old:
        raise ValueError(phrase("the case already has an attribute {name}", name=repr(new)))
    data["attributes"] = {new if name == old else name: spec for name, spec in attributes.items()}
    renamed: dict[str, Any] = rewrite_references(
        data, lambda s: new if s.value == old and s.reference.by_name else s.value)
    return renamed


def rename_attribute(case: Case, old: str, new: str) -> Case:
    """A copy of ``case`` with the attribute ``old`` named ``new``: its declaration, every ``when``, every persona.

    Raises ValueError when ``old`` is not an attribute of the case, ``new`` already is, or
    the result is not a valid case.
    """
    return _rebuild(rename_attribute_data(case.to_data(), old, new))


def put_attribute(data: dict[str, Any], old: str | None, name: str, spec: dict[str, Any]) -> dict[str, Any]:
    """Case data with the attribute ``old`` declared as ``name: spec`` (``old`` None: a new one, at the end).

    A new name renames the attribute everywhere it is used (:func:`rename_attribute_data`); the
    declaration keeps its place among the others. Raises ValueError as that function does.

    Examples
    --------
    >>> data = {"attributes": {"age": {"type": "integer"}}, "personas": [{"id": "p", "attributes": {"age": 3}}]}
    >>> new = put_attribute(data, "age", "years", {"type": "integer", "min": 0})
    >>> new["attributes"], new["personas"][0]["attributes"]
    ({'years': {'type': 'integer', 'min': 0}}, {'years': 3})
    """
    if old is None:
        data = copy_data(data)
        if name in data.get("attributes", {}):
            raise ValueError(phrase("the case already has an attribute {name}", name=repr(name)))
    elif old != name:
        data = rename_attribute_data(data, old, name)
    else:
        data = copy_data(data)
    data.setdefault("attributes", {})[name] = spec
    return data


def delete_attribute_data(data: dict[str, Any], name: str) -> dict[str, Any]:
    """Case data without the attribute ``name``, and without every condition and value that names it.

    A rule's ``when`` loses its condition on the attribute (the rule no longer looks at it; a
    ``when`` left empty is left out), a persona its value, an intervention's ``set_when`` its
    condition. ``data`` itself is not changed.
    """
    data = copy_data(data)
    attributes = data.get("attributes", {})
    if name not in attributes:
        raise ValueError(phrase("the case has no attribute {name}", name=repr(name)))
    emptied = {n for n, rule in enumerate(data.get("rules", [])) if isinstance(rule, dict) and rule.get("when")}
    data["attributes"] = {key: spec for key, spec in attributes.items() if key != name}
    data = rewrite_references(data, lambda s: GONE if s.value == name and s.reference.by_name else s.value)
    for n, rule in enumerate(data.get("rules", [])):
        if n in emptied and isinstance(rule, dict) and rule.get("when") == {}:
            del rule["when"]
    return data


def delete_attribute(case: Case, name: str) -> Case:
    """A copy of ``case`` without the attribute ``name``; see :func:`delete_attribute_data`.

    Examples
    --------
    >>> from kafka_tool.library import find_case
    >>> from kafka_tool.loader import load_case
    >>> case = load_case(find_case("status-holder-bsn-bank-house"))
    >>> gone = delete_attribute(case, "shelter_type")
    >>> gone.rule("brp_street_coa").when, gone.persona("yonas").attributes
    ({}, {})
    """
    return _rebuild(delete_attribute_data(case.to_data(), name))


def _in_model_order(data: dict[str, Any]) -> dict[str, Any]:
    """The top-level keys in the order of the case format (the writer keeps the file's own order)."""
    order = [info.alias or key for key, info in Case.model_fields.items()]
    ordered = {key: data[key] for key in order if key in data}
    ordered.update({key: value for key, value in data.items() if key not in ordered})
    return ordered


def put_header(data: dict[str, Any], header: dict[str, Any]) -> dict[str, Any]:
    """Case data with its header (:data:`HEADER_KEYS`) taken from ``header``; a key it leaves out goes.

    Examples
    --------
    >>> put_header({"format": "kafka-case/1", "id": "a", "title": "A", "tags": ["x"]}, {"id": "b", "title": "B"})
    {'format': 'kafka-case/1', 'id': 'b', 'title': 'B'}
    """
    data = copy_data(data)
    for key in HEADER_KEYS:
        if key in header:
            data[key] = copy_data(header[key])
        else:
            data.pop(key, None)
    return _in_model_order(data)


def put_teaching(data: dict[str, Any], teaching: dict[str, Any] | None) -> dict[str, Any]:
    """Case data with its teaching notes replaced (None: without any)."""
    data = copy_data(data)
    if teaching is None:
        data.pop("teaching", None)
    else:
        data["teaching"] = copy_data(teaching)
    return _in_model_order(data)


def put_acceptance(data: dict[str, Any], index: int | None, acceptance: dict[str, Any]) -> dict[str, Any]:
    """Case data with the accepted finding at ``index`` replaced (None: a new one at the end)."""
    data = copy_data(data)
    accepted = data.setdefault("accepted", [])
    if index is None:
        accepted.append(copy_data(acceptance))
    else:
        accepted[index] = copy_data(acceptance)
    return _in_model_order(data)


def accept_finding(case: Case, finding: str, reason: str, by: str | None = None) -> Case:
    """A copy of ``case`` that accepts the finding ``finding`` for ``reason`` (decided ``by``).

    Examples
    --------
    >>> from kafka_tool.library import find_case
    >>> from kafka_tool.loader import load_case
    >>> case = accept_finding(load_case(find_case("status-holder-bsn-bank-house")), "no_owner/x", "known")
    >>> case.accepted[-1].finding, case.accepted[-1].reason
    ('no_owner/x', 'known')
    """
    acceptance: dict[str, Any] = {"finding": finding, "reason": reason}
    if by:
        acceptance["by"] = by
    return _rebuild(put_acceptance(case.to_data(), None, acceptance))


def delete_acceptance(case: Case, index: int) -> Case:
    """A copy of ``case`` without the accepted finding at ``index`` (the finding counts again)."""
    data = copy_data(case.to_data())
    accepted = data.get("accepted", [])
    del accepted[index]
    if not accepted:
        data.pop("accepted", None)
    return _rebuild(data)


def delete_element(case: Case, ref: ElementRef) -> Case:
    """A copy of ``case`` without the element, and without every reference to it.

    A list entry that names it is removed; an optional field that names it (a
    touchpoint's actor, a rule's owner) is left out; what cannot do without it goes
    too: a requirement ``{doc: it}`` or an ``any_of`` group left with no alternative, a
    journey of a deleted persona, a journey step at a deleted touchpoint, an intervention
    change that names it.
    """
    data = copy_data(case.to_data())
    items = data.get(ref.section, [])
    if ref.kind == "journey":
        del items[int(ref.key)]
        return _rebuild(data)
    data[ref.section] = [item for item in items if item.get("id") != ref.key]
    data = rewrite_references(data, lambda s: GONE if s.value == ref.key and not s.reference.by_name else s.value)
    return _rebuild(data)
