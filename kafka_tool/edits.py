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
  cannot do without that reference (see :func:`~kafka_tool.references.rewrite_references`).

Each returns a new, validated case; the case given is left as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .errors import Loc
from .loader import validate_data
from .model import Case
from .references import GONE, Slot, references, rewrite_references

__all__ = [
    "SECTIONS",
    "ElementRef",
    "Reference",
    "attribute_referrers",
    "copy_data",
    "delete_element",
    "referrers",
    "rename_attribute",
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


@dataclass(frozen=True)
class ElementRef:
    """One element of a case: its kind and its id (a journey: its index, as text)."""

    kind: str
    key: str

    @property
    def section(self) -> str:
        """The top-level section of the case holding this element."""
        return SECTIONS[self.kind]


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
        raise ValueError("; ".join(i.message for i in issues))
    return case


def _reference(data: dict[str, Any], slot: Slot) -> Reference:
    section, index = str(slot.loc[0]), int(slot.loc[1])
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
     "touchpoint 'open_bank_account' (requires)", "touchpoint 'payroll' (requires)"]
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
    DocRequirement(doc='citizen_number', rule='wage_tax_identification', when=None)
    """
    return _rebuild(rename_data(case.to_data(), old, new))


def rename_attribute(case: Case, old: str, new: str) -> Case:
    """A copy of ``case`` with the attribute ``old`` named ``new``: its declaration, every ``when``, every persona.

    Raises ValueError when ``old`` is not an attribute of the case, ``new`` already is, or
    the result is not a valid case.
    """
    data = copy_data(case.to_data())
    attributes = data.get("attributes", {})
    if old not in attributes:
        raise ValueError(f"the case has no attribute {old!r}")
    if new in attributes and new != old:
        raise ValueError(f"the case already has an attribute {new!r}")
    data["attributes"] = {new if name == old else name: spec for name, spec in attributes.items()}
    data = rewrite_references(data, lambda s: new if s.value == old and s.reference.by_name else s.value)
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
