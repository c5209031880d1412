"""What a form shows for each field of the case format: read from the models, in plain Python.

A field's editor follows from its type in the model and nothing else: a ``Literal`` is a
choice, a reference (:class:`~kafka_tool.model.References` in the type) a picker over the
section it names, a list of references a picker of several, a ``when`` mapping (attribute
names to conditions) the condition editor, a list of a union of a plain reference and
models (the requirement items) a list of items, a list of models (journey steps) a table, a
list of one-key models (intervention changes) a list of typed changes, a model a group of
its own fields, and anything else YAML typed into a box. So a field added to a model gets
its editor, nested to any depth, without a line here; only the words for people (label,
hint) and the size of a text box are the form's, from the tables below.

:func:`fields_of` reads a model's fields; :func:`form_fields` the fields of each form the
interface has (an element kind, an attribute, the case header, the teaching notes, an
accepted finding).
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from kafka_tool.analysis.kinds import kind_names
from kafka_tool.edits import HEADER_KEYS, SECTIONS
from kafka_tool.i18n import N_
from kafka_tool.model import Acceptance, Adds, Attribute, Case, Condition, References, Teaching
from kafka_tool.references import element_model

__all__ = [
    "BIG",
    "CHOICES",
    "EDITORS",
    "FORM_KINDS",
    "HINTS",
    "LABELS",
    "LINES",
    "FieldSpec",
    "fields_of",
    "form_fields",
    "spec_of",
]

#: Every kind of editor a field can get, and what it is for.
EDITORS: dict[str, str] = {
    "text": "one line of text (or several, with a size in LINES)",
    "int": "a whole number",
    "number": "a number",
    "date": "a date, YYYY-MM-DD",
    "bool": "yes or no",
    "select": "one of the values of a Literal",
    "ref": "a picker over the elements of one section",
    "refs": "a picker of several elements of one section",
    "strings": "free texts: comma separated, or one a line",
    "choices": "several of a fixed list (a list of a Literal, or CHOICES)",
    "when": "conditions over the case's attributes, each in the attribute's own terms",
    "values": "a value for each of the case's attributes",
    "items": "a list of a plain reference or a mapping that holds it with options (requirement items)",
    "records": "a table of a model's rows (journey steps)",
    "variants": "a list of one-key mappings, each of its own kind (intervention changes)",
    "variant": "one of several models told apart by a field (an attribute's type)",
    "group": "a model's fields, below each other",
    "yaml": "YAML typed into a box",
}

#: Editors that take more than a line: in a row of a list they go below the row's cells.
BIG = frozenset({"when", "values", "items", "records", "variants", "variant", "group", "yaml", "choices"})


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form: its key in the case file, its label, and its editor.

    ``section``: for a reference (``ref``, ``refs``, the documents of ``items``), the section
    of the case whose elements it names, which its picker completes from; ``added``: it may
    also name a touchpoint that the same intervention adds. ``fields``: the fields of a
    ``group``, of a row of ``records``, or the options of an item of ``items``. ``forms``: the
    forms of a ``variant`` or of each entry of ``variants``, by tag, each a spec (a ``group``
    or a reference). ``tag``: the field that tells a ``variant``'s forms apart (None: the
    form's key is its tag, as in a change). ``plain``: for ``items``, the keys that hold
    the item's document in its long forms, one (``doc``) and several (``any_of``).
    """

    key: str
    label: str
    type: str = "text"
    choices: tuple[str, ...] = ()
    required: bool = False
    hint: str = ""
    lines: int = 1
    section: str | None = None
    added: bool = False
    fields: tuple[FieldSpec, ...] = ()
    forms: tuple[tuple[str, FieldSpec], ...] = ()
    tag: str | None = None
    plain: tuple[str | None, str | None] = (None, None)

    @property
    def big(self) -> bool:
        """Whether the editor takes more than a line."""
        return self.type in BIG or self.lines > 1

    def form(self, tag: str) -> FieldSpec | None:
        """The spec of one of a variant's forms."""
        return next((spec for name, spec in self.forms if name == tag), None)


# ---------------------------------------------------------------- words for people
#
# One table of labels and one of hints, each a message of the catalogue (the form says it in
# the case's language). A field without a label shows its key with spaces for underscores.

LABELS: dict[str, str] = {
    "id": N_("id"),
    "name": N_("name"),
    "title": N_("title"),
    "kind": N_("kind"),
    "description": N_("description"),
    "valid_days": N_("valid days"),
    "owner": N_("owner (actor)"),
    "source": N_("source"),
    "when": N_("when"),
    "when_any": N_("and one of these (when any)"),
    "conflicts_with": N_("conflicts with"),
    "actor": N_("actor"),
    "channel": N_("channel"),
    "rules": N_("rules"),
    "requires": N_("requires"),
    "produces": N_("produces"),
    "refers_to": N_("refers to"),
    "fetches": N_("fetches"),
    "days": N_("days"),
    "cost": N_("cost ({currency})"),
    "story": N_("story"),
    "attributes": N_("attributes"),
    "has": N_("has"),
    "goals": N_("goals"),
    "persona": N_("persona"),
    "steps": N_("steps"),
    "touchpoint": N_("touchpoint"),
    "date": N_("date"),
    "outcome": N_("outcome"),
    "to": N_("to"),
    "note": N_("note"),
    "changes": N_("changes"),
    "expected_resolves": N_("expected to resolve"),
    "doc": N_("document"),
    "any_of": N_("any of"),
    "rule": N_("rule"),
    "document": N_("document"),
    "type": N_("type"),
    "min": N_("min"),
    "max": N_("max"),
    "unit": N_("unit"),
    "values": N_("values"),
    "language": N_("language"),
    "summary": N_("summary"),
    "tags": N_("tags"),
    "level": N_("level"),
    "questions": N_("questions"),
    "notes": N_("notes"),
    "expected_findings": N_("expected findings"),
    "finding": N_("finding"),
    "reason": N_("reason"),
    "by": N_("decided by"),
    "within_days": N_("within (days)"),
    "per_year": N_("grows per year"),
    "while_": N_("grows only while"),
    "while": N_("grows only while"),
    "horizon_years": N_("years ahead to follow"),
    "currency": N_("currency"),
    "effort_hours": N_("effort (hours)"),
    "value": N_("worth to the citizen"),
    "amount": N_("amount ({currency})"),
    "per": N_("per"),
    "taper": N_("falls as this rises"),
    "attribute": N_("attribute"),
    "from": N_("from"),
    "from_": N_("from"),
    "rate": N_("less per unit above"),
    "money": N_("money the citizen has"),
    "unit_amount": N_("one unit is worth"),
    "population": N_("people in this situation"),
    "count": N_("how many"),
    "hour_value": N_("an hour is worth ({currency})"),
    "layer": N_("layer"),
    "status": N_("status"),
    "agreed_on": N_("agreed on"),
    "due": N_("due"),
    "review_on": N_("review on"),
    "obstacles": N_("obstacles"),
}

HINTS: dict[str, str] = {
    "id": N_("lower-case letters, digits, - and _"),
    "requires": N_("one document, or several (any one of them will do)"),
    "fetches": N_("documents the actor fetches itself"),
    "source": N_("a law, a report, a URL"),
    "tags": N_("comma separated"),
    "questions": N_("one question a line"),
    "values": N_("comma separated"),
    "by": N_("who decided, and when"),
    "date": N_("YYYY-MM-DD"),
    "days": N_("waiting and handling"),
    "per_year": N_("age: 1, months: 12"),
    "horizon_years": N_("10 when left empty"),
    "currency": N_("ISO code: EUR, GBP"),
    "effort_hours": N_("forms, travel, the interview"),
    "amount": N_("negative: a charge or a reclaim"),
    "unit_amount": N_("1 when left empty"),
    "hour_value": N_("the Standard Cost Model's tariff"),
    "layer": N_("follows from the kind when left empty"),
    "agreed_on": N_("YYYY-MM-DD"),
    "due": N_("YYYY-MM-DD"),
    "review_on": N_("six months after agreed on when left empty"),
}

#: Text boxes of more than one line.
LINES: dict[str, int] = {"description": 3, "story": 3, "summary": 3, "notes": 3, "questions": 4, "note": 1}

#: Lists of text whose values come from a fixed list that the model does not spell out.
CHOICES: dict[str, Callable[[], tuple[str, ...]]] = {
    "expected_findings": kind_names,
    "expected_resolves": kind_names,
}


def _label(key: str) -> str:
    return LABELS.get(key, key.replace("_", " "))


# ---------------------------------------------------------------- reading the types


def _unwrap(tp: Any) -> tuple[Any, list[Any]]:
    """A type without its ``Annotated`` layers and without ``| None``, and the metadata of those layers."""
    meta: list[Any] = []
    while True:
        if get_origin(tp) is Annotated:
            tp, *more = get_args(tp)
            for item in more:
                meta.append(item)
                if isinstance(item, FieldInfo):
                    meta.extend(item.metadata)
        elif _is_union(tp) and type(None) in get_args(tp):
            rest = [a for a in get_args(tp) if a is not type(None)]
            if len(rest) != 1:
                return Union[tuple(rest)], meta  # noqa: UP007 - a union built from a tuple of types
            tp = rest[0]
        else:
            return tp, meta


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in (Union, types.UnionType)


def _reference(meta: list[Any]) -> References | None:
    return next((m for m in meta if isinstance(m, References)), None)


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _field_type(info: FieldInfo) -> Any:
    return Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation


def fields_of(model: type[BaseModel], skip: tuple[str, ...] = ()) -> tuple[FieldSpec, ...]:
    """The form fields of a model: one a field, in the model's order (``skip``: keys to leave out)."""
    specs = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key not in skip:
            specs.append(spec_of(key, _field_type(info), info.is_required()))
    return tuple(specs)


def spec_of(key: str, tp: Any, required: bool = False) -> FieldSpec:
    """The form field for a value of type ``tp`` kept under ``key``.

    Examples
    --------
    >>> from kafka_tool.model import Touchpoint
    >>> spec = spec_of("requires", Touchpoint.model_fields["requires"].annotation)
    >>> spec.type, spec.section, spec.plain, [f.key for f in spec.fields]
    ('items', 'documents', ('doc', 'any_of'), ['rule'])
    """
    base = FieldSpec(key, _label(key), required=required, hint=HINTS.get(key, ""), lines=LINES.get(key, 1))
    inner, meta = _unwrap(tp)
    reference = _reference(meta)
    if reference is not None:
        return replace(base, type="ref", section=reference.section, added=reference.added)
    if any(isinstance(m, Adds) for m in meta) and _is_model(inner):
        return replace(base, type="group", fields=fields_of(inner))
    if get_origin(inner) is Literal:
        return replace(base, type="select", choices=tuple(str(c) for c in get_args(inner)))
    if inner is bool:
        return replace(base, type="bool")
    if inner is int:
        return replace(base, type="int")
    if inner is str:
        return replace(base, type="text")
    if inner is dt.date:
        return replace(base, type="date")
    if _is_union(inner) and set(get_args(inner)) == {int, float}:
        return replace(base, type="number")
    if get_origin(inner) is list:
        return _list_spec(base, get_args(inner)[0])
    if get_origin(inner) is dict:
        return _dict_spec(base, *get_args(inner))
    if _is_model(inner):
        return replace(base, type="group", fields=fields_of(inner))
    if _is_union(inner):
        variant = _variant(base, get_args(inner))
        if variant is not None:
            return variant
    return replace(base, type="yaml")


def _list_spec(base: FieldSpec, item: Any) -> FieldSpec:
    inner, meta = _unwrap(item)
    reference = _reference(meta)
    if reference is not None:
        return replace(base, type="refs", section=reference.section, added=reference.added)
    if base.key in CHOICES:
        return replace(base, type="choices", choices=CHOICES[base.key]())
    if inner is str or (_is_union(inner) and all(_unwrap(b)[0] is str for b in get_args(inner))):
        return replace(base, type="strings")
    if get_origin(inner) is Literal:
        return replace(base, type="choices", choices=tuple(str(c) for c in get_args(inner)))
    if _is_model(inner):
        return replace(base, type="records", fields=fields_of(inner))
    if _is_union(inner):
        branches = [_unwrap(b) for b in get_args(inner)]
        return _items(base, branches) or _changes(base, branches) or replace(base, type="yaml")
    return replace(base, type="yaml")


def _items(base: FieldSpec, branches: list[tuple[Any, list[Any]]]) -> FieldSpec | None:
    """A list of a plain reference or models holding that reference (``d``, ``{doc: d}``, ``{any_of: [d]}``)."""
    plain = [_reference(meta) for tp, meta in branches if _reference(meta) is not None]
    models = [tp for tp, _ in branches if _is_model(tp)]
    if len(plain) != 1 or len(models) != len(branches) - 1 or not models:
        return None
    reference = plain[0]
    assert reference is not None
    one: str | None = None
    several: str | None = None
    options: dict[str, FieldSpec] = {}
    for model in models:
        for name, info in model.model_fields.items():
            key = info.alias or name
            spec = spec_of(key, _field_type(info))
            if spec.type == "ref" and spec.section == reference.section and one in (None, key):
                one = key
            elif spec.type == "refs" and spec.section == reference.section and several in (None, key):
                several = key
            else:
                options.setdefault(key, spec)
    if one is None and several is None:
        return None
    return replace(base, type="items", section=reference.section, added=reference.added,
                   plain=(one, several), fields=tuple(options.values()))


def _changes(base: FieldSpec, branches: list[tuple[Any, list[Any]]]) -> FieldSpec | None:
    """A list of one-key models, the key naming the kind (intervention changes)."""
    forms = []
    for tp, _ in branches:
        if not _is_model(tp) or len(tp.model_fields) != 1:
            return None
        ((name, info),) = tp.model_fields.items()
        key = info.alias or name
        forms.append((key, spec_of(key, _field_type(info), required=True)))
    return replace(base, type="variants", forms=tuple(forms))


def _variant(base: FieldSpec, branches: tuple[Any, ...]) -> FieldSpec | None:
    """Models told apart by a field whose type is a one-value Literal (an attribute's ``type``)."""
    models = [_unwrap(b)[0] for b in branches]
    if not models or not all(_is_model(m) for m in models):
        return None
    tags = []
    for name in models[0].model_fields:
        values = [m.model_fields.get(name) for m in models]
        if all(v is not None and get_origin(v.annotation) is Literal and len(get_args(v.annotation)) == 1
               for v in values):
            tags.append(name)
    if not tags:
        return None
    tag = tags[0]
    forms = []
    for model in models:
        (value,) = get_args(model.model_fields[tag].annotation)
        forms.append((str(value), replace(base, type="group", fields=fields_of(model, skip=(tag,)))))
    return replace(base, type="variant", tag=tag, forms=tuple(forms), choices=tuple(name for name, _ in forms))


def _dict_spec(base: FieldSpec, key: Any, value: Any) -> FieldSpec:
    reference = _reference(_unwrap(key)[1])
    if reference is None or not reference.by_name:
        return replace(base, type="yaml")
    inner, _ = _unwrap(value)
    forms = get_args(inner) if _is_union(inner) else (inner,)
    if any(_unwrap(f)[0] is Condition for f in forms):
        return replace(base, type="when", section=reference.section)
    return replace(base, type="values", section=reference.section)


# ---------------------------------------------------------------- the forms


#: The forms that are not an element kind, with the label of what each edits.
FORM_KINDS: dict[str, str] = {
    "attribute": N_("attribute"),
    "case": N_("case header"),
    "teaching": N_("teaching notes"),
    "acceptance": N_("accepted finding"),
}


def _attribute_fields() -> tuple[FieldSpec, ...]:
    name = FieldSpec("name", N_("name"), required=True, hint=N_("the name that rules and personas use"))
    return (name, replace(spec_of("type", Attribute, required=True), label=_label("type")))


def form_fields(kind: str) -> list[FieldSpec]:
    """The fields of the form for ``kind``: an element kind (``touchpoint``) or one of :data:`FORM_KINDS`."""
    if kind in SECTIONS:
        return list(fields_of(element_model(SECTIONS[kind])))
    if kind == "attribute":
        return list(_attribute_fields())
    if kind == "case":
        return [spec for spec in fields_of(Case) if spec.key in HEADER_KEYS]
    if kind == "teaching":
        return list(fields_of(Teaching))
    if kind == "acceptance":
        return list(fields_of(Acceptance))
    raise KeyError(f"no form for {kind!r}")
