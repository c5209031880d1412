"""The references of a case, read from the declarations on its models.

Every field of the case format that names another element carries a
:class:`~kafka_tool.model.References` in its type (``actor: ActorId | None``, where
``ActorId = Annotated[Slug, References("actors")]``); an element that an intervention adds
carries :class:`~kafka_tool.model.Adds`. This module reads those declarations from the
models once and walks the plain data of a case (what YAML gives: dicts, lists, scalars)
along them:

- :func:`references` lists every place that names something, with where it is;
- :func:`rewrite_references` changes what those places name, or removes them, and says
  what a removed reference does to what holds it (an ``any_of`` group loses an
  alternative, a requirement of a deleted document goes, a change that needs it goes);
- :func:`field_reference` tells what a field of an element refers to, for a form.

The whole-case checks (:mod:`kafka_tool.checks`), the edits (:mod:`kafka_tool.edits`) and
the interface's forms all take their references from here, so that a new reference is one
annotation on a model.

The walks take the data as it comes: anything of the wrong shape is passed over (the
model's own validation reports it). A union of forms is followed the way the model
decides it, by its discriminator (a requirement is a plain id, ``{doc: ...}`` or
``{any_of: [...]}``; a change is the mapping with one kind key).
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable, Container, Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, NamedTuple, Union, get_args, get_origin

from annotated_types import MinLen
from pydantic import BaseModel, Discriminator, Tag
from pydantic.fields import FieldInfo

from .errors import Loc
from .model import Adds, Case, Needed, References

__all__ = [
    "GONE",
    "Slot",
    "declarations",
    "element_model",
    "field_reference",
    "id_sections",
    "references",
    "rewrite_references",
]


class _Gone:
    """What a rewrite returns for a reference that is to go."""

    def __repr__(self) -> str:
        return "GONE"


#: Returned by a rewrite function: the reference goes, and with it what cannot do without it.
GONE: Any = _Gone()


class Slot(NamedTuple):
    """One place in a case's data that names an element, or an attribute by its name.

    ``loc`` is the path from the top of the case (``("touchpoints", 3, "requires", 0,
    "doc")``); ``value`` what is written there (in data that is not valid, anything);
    ``reference`` the declaration. ``at`` is ``"key"`` where the name is the key of a
    mapping (an attribute in a ``when``). ``adds`` marks the id of an element that an
    intervention adds: a declaration, not a reference, listed so that a rename follows it
    and a check can refuse an id that is taken.
    """

    loc: Loc
    value: Any
    reference: References
    at: str = "value"
    adds: bool = False

    @property
    def field(self) -> str:
        """The place within its element, for people: ``requires``, ``steps.to``.

        The keys from the element down, without list positions; the long forms of a
        requirement (``{doc: d}``, ``{any_of: [...]}``) are named as the plain one is.
        """
        return ".".join(_field_keys(self.loc))


# A slot made without the keyword handling of the named tuple's constructor: a large case has
# a hundred thousand references, and the checks run on every edit.
_new = tuple.__new__

# ---------------------------------------------------------------- walking plans
#
# Each type of the model that holds a reference gets a node; a type that holds none gets
# no node at all, so that a walk never enters, say, a rule's description or a condition's
# bounds. Nodes are built once per type (the plans are cached).
#
# A walk takes ``known``: per section, names to pass over (the checks give the ids that
# exist, so that on a valid case almost nothing is made); a rewrite takes the function that
# gives each place its new name, or GONE.

_Known = Mapping[str, Container[Any]]
_Rewrite = Callable[[Slot], Any]


class _Node:
    def accepts(self, value: Any) -> bool:
        raise NotImplementedError

    def walk(self, value: Any, loc: Loc, out: list[Slot], known: _Known) -> None:
        raise NotImplementedError

    def rewrite(self, value: Any, loc: Loc, fn: _Rewrite) -> Any:
        raise NotImplementedError


class _Ref(_Node):
    """A value that names an element (or an attribute)."""

    def __init__(self, reference: References) -> None:
        self.reference = reference
        self.section = reference.section

    def accepts(self, value: Any) -> bool:
        return isinstance(value, str)

    def walk(self, value: Any, loc: Loc, out: list[Slot], known: _Known) -> None:
        if isinstance(value, str) and value not in known.get(self.section, ()):
            out.append(_new(Slot, (loc, value, self.reference, "value", False)))

    def rewrite(self, value: Any, loc: Loc, fn: _Rewrite) -> Any:
        if isinstance(value, str):
            return fn(_new(Slot, (loc, value, self.reference, "value", False)))
        return value


class _List(_Node):
    """A list; an item whose reference goes is removed, and a list that must not be empty goes when it is."""

    def __init__(self, item: _Node, min_length: int) -> None:
        self.item = item
        self.min_length = min_length
        # The common case, a list of ids: walked without a call per item.
        self._ids = item.reference if isinstance(item, _Ref) else None

    def accepts(self, value: Any) -> bool:
        return isinstance(value, list)

    def walk(self, value: Any, loc: Loc, out: list[Slot], known: _Known) -> None:
        if not isinstance(value, list):
            return
        reference = self._ids
        if reference is not None:
            names = known.get(reference.section, ())
            for i, child in enumerate(value):
                if isinstance(child, str) and child not in names:
                    out.append(_new(Slot, ((*loc, i), child, reference, "value", False)))
            return
        item = self.item
        walk = item.walk
        union = item if isinstance(item, _Union) else None
        for i, child in enumerate(value):
            if union is not None and isinstance(child, str):
                # A plain id among the forms of an item (most requirements): the union's choice and
                # the reference's walk, without a call or a place for each id that resolves.
                form = union._form(child)
                if isinstance(form, _Ref):
                    if child not in known.get(form.section, ()):
                        out.append(_new(Slot, ((*loc, i), child, form.reference, "value", False)))
                    continue
            walk(child, (*loc, i), out, known)

    def rewrite(self, value: Any, loc: Loc, fn: _Rewrite) -> Any:
        if not isinstance(value, list):
            return value
        kept = []
        for i, child in enumerate(value):
            new = self.item.rewrite(child, (*loc, i), fn)
            if new is not GONE:
                kept.append(new)
        if value and len(kept) < self.min_length:
            return GONE
        return kept


class _Dict(_Node):
    """A mapping whose keys name something (attributes), whose values may hold references."""

    def __init__(self, key: References | None, value: _Node | None) -> None:
        self.key = key
        self.value = value

    def accepts(self, value: Any) -> bool:
        return isinstance(value, dict)

    def walk(self, value: Any, loc: Loc, out: list[Slot], known: _Known) -> None:
        if not isinstance(value, dict):
            return
        if self.key is not None:
            names = known.get(self.key.section, ())
            out.extend(_new(Slot, ((*loc, key), key, self.key, "key", False)) for key in value if key not in names)
        if self.value is not None:
            for key, child in value.items():
                self.value.walk(child, (*loc, key), out, known)

    def rewrite(self, value: Any, loc: Loc, fn: _Rewrite) -> Any:
        if not isinstance(value, dict):
            return value
        kept: dict[Any, Any] = {}
        for key, child in value.items():
            new_key = key if self.key is None else fn(_new(Slot, ((*loc, key), key, self.key, "key", False)))
            if new_key is GONE:
                continue
            new = child if self.value is None else self.value.rewrite(child, (*loc, key), fn)
            if new is not GONE:
                kept[new_key] = new
        return kept


@dataclass(frozen=True)
class _Field:
    key: str  # in the data: the alias where the model has one
    node: _Node
    needed: bool  # the holder goes when this field's reference goes (a required field, or Needed)
    label: bool  # the key is part of the place's name for people


class _Model(_Node):
    """A mapping read as a model: its fields that hold references."""

    def __init__(self, fields: list[_Field]) -> None:
        self.fields = {f.key: f for f in fields}
        self._walks = [(f.key, f.node.walk) for f in fields]

    def accepts(self, value: Any) -> bool:
        return isinstance(value, dict)

    def walk(self, value: Any, loc: Loc, out: list[Slot], known: _Known) -> None:
        if isinstance(value, dict):
            for key, walk in self._walks:
                if key in value:
                    walk(value[key], (*loc, key), out, known)

    def rewrite(self, value: Any, loc: Loc, fn: _Rewrite) -> Any:
        if not isinstance(value, dict):
            return value
        new = dict(value)
        for key, field in self.fields.items():
            if key not in new:
                continue
            result = field.node.rewrite(new[key], (*loc, key), fn)
            if result is GONE:
                if field.needed:
                    return GONE
                del new[key]
            else:
                new[key] = result
        return new


class _Adds(_Node):
    """An element an intervention adds: its id is declared, then its own references are walked."""

    def __init__(self, adds: Adds, element: _Node | None) -> None:
        self.reference = References(adds.section)
        self.element = element

    def accepts(self, value: Any) -> bool:
        return isinstance(value, dict)

    def walk(self, value: Any, loc: Loc, out: list[Slot], known: _Known) -> None:
        if isinstance(value, dict):
            ident = value.get("id")
            if isinstance(ident, str):  # always listed: whether it is taken is for the caller to say
                out.append(_new(Slot, ((*loc, "id"), ident, self.reference, "value", True)))
            if self.element is not None:
                self.element.walk(value, loc, out, known)

    def rewrite(self, value: Any, loc: Loc, fn: _Rewrite) -> Any:
        if not isinstance(value, dict):
            return value
        ident = value.get("id")
        if isinstance(ident, str):
            new_id = fn(_new(Slot, ((*loc, "id"), ident, self.reference, "value", True)))
            if new_id is GONE:
                return GONE
            value = {**value, "id": new_id}
        return value if self.element is None else self.element.rewrite(value, loc, fn)


class _Union(_Node):
    """One of several forms, chosen as the model chooses: by its discriminator, else by the value's shape."""

    def __init__(self, choose: Callable[[Any], Any] | None, forms: dict[Any, _Node | None]) -> None:
        self.choose = choose
        self.forms = forms
        self.shaped = [node for node in forms.values() if node is not None]

    def accepts(self, value: Any) -> bool:
        return self._form(value) is not None

    def _form(self, value: Any) -> _Node | None:
        if self.choose is not None:
            return self.forms.get(self.choose(value))
        return next((node for node in self.shaped if node.accepts(value)), None)

    def walk(self, value: Any, loc: Loc, out: list[Slot], known: _Known) -> None:
        form = self._form(value)
        if form is not None:
            form.walk(value, loc, out, known)

    def rewrite(self, value: Any, loc: Loc, fn: _Rewrite) -> Any:
        form = self._form(value)
        return value if form is None else form.rewrite(value, loc, fn)


def _field_keys(loc: Loc) -> list[str]:
    """The keys naming a place for people: its path below the element, along the plan."""
    keys: list[str] = []
    node: _Node | None = _case_plan()
    for depth, step in enumerate(loc):
        if isinstance(node, _Union):  # a form is told apart by the key it has
            node = next((f for f in node.shaped if isinstance(f, _Model) and step in f.fields), None) or next(
                (f for f in node.shaped if not isinstance(f, _Model)), None)
        if isinstance(node, _Adds):
            if step == "id":
                keys.append(step)
                break
            node = node.element
        if isinstance(node, _Model):
            field = node.fields.get(str(step))
            if field is None:
                break
            if field.label and depth >= 2:  # below the element: ("touchpoints", 3, ...)
                keys.append(str(step))
            node = field.node
        elif isinstance(node, _List):
            node = node.item
        elif isinstance(node, _Dict):
            node = node.value
        else:
            break
    return keys


def _metadata(tp: Any) -> tuple[Any, list[Any]]:
    """A type without its ``Annotated`` layers, and their metadata (a nested ``Field()``'s included)."""
    meta: list[Any] = []
    while get_origin(tp) is Annotated:
        tp, *more = get_args(tp)
        for item in more:
            meta.append(item)
            if isinstance(item, FieldInfo):
                meta.extend(item.metadata)
    return tp, meta


def _min_length(meta: list[Any]) -> int:
    return max((m.min_length for m in meta if isinstance(m, MinLen)), default=0)


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in (Union, types.UnionType)


@functools.cache
def _plan(tp: Any, plain: References | None = None) -> _Node | None:
    """The walking plan of a type; None when it holds no reference.

    ``plain``: the reference of a union's plain form, which the union's long forms name in
    the same way (``{doc: d}`` is the long form of ``d``): a field declaring it adds no key
    to the name of the place.
    """
    inner, meta = _metadata(tp)
    reference = next((m for m in meta if isinstance(m, References)), None)
    if reference is not None:
        return _Ref(reference)
    adds = next((m for m in meta if isinstance(m, Adds)), None)
    if adds is not None:
        return _Adds(adds, _plan(inner))
    if _is_union(inner):
        discriminator = next((m for m in meta if isinstance(m, Discriminator)), None)
        key = next((m.discriminator for m in meta if isinstance(m, FieldInfo) and isinstance(m.discriminator, str)),
                   None)
        if discriminator is None and key is not None:
            discriminator = _by_key(inner, key)
        return _union_plan(inner, discriminator, plain)
    origin = get_origin(inner)
    if origin is list:
        (item,) = get_args(inner)
        item_plan = _plan(item, plain)
        return None if item_plan is None else _List(item_plan, _min_length(meta))
    if origin is dict:
        key, value = get_args(inner)
        key_ref = next((m for m in _metadata(key)[1] if isinstance(m, References)), None)
        value_plan = _plan(value)
        return None if key_ref is None and value_plan is None else _Dict(key_ref, value_plan)
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return _model_plan(inner, plain)
    return None


def _by_key(tp: Any, key: str) -> Discriminator:
    """A union told apart by one key of its models (``Field(discriminator="type")``), as a callable
    Discriminator; the forms' tags are the literal values of that key (see :func:`_union_plan`)."""

    def choose(value: Any) -> Any:
        return value.get(key) if isinstance(value, dict) else getattr(value, key, None)

    return Discriminator(choose)


def _union_plan(tp: Any, discriminator: Discriminator | None, plain: References | None) -> _Node | None:
    branches = get_args(tp)
    plain_forms = [p for b in branches if isinstance(p := _plan(b), _Ref)]
    if plain_forms and plain is None:
        plain = plain_forms[0].reference
    forms: dict[Any, _Node | None] = {}
    for n, branch in enumerate(branches):
        tag: Any = next((m.tag for m in _metadata(branch)[1] if isinstance(m, Tag)), None)
        if tag is None:  # a model told apart by the literal value of a key (its ``type``)
            tag = next((get_args(info.annotation)[0] for info in getattr(branch, "model_fields", {}).values()
                        if get_origin(info.annotation) is Literal and len(get_args(info.annotation)) == 1), n)
        forms[tag] = _plan(branch, plain)
    if all(node is None for node in forms.values()):
        return None
    if discriminator is None or not callable(discriminator.discriminator):
        shaped = [node for node in forms.values() if node is not None]
        if len(shaped) == 1:
            return shaped[0]  # ``X | None``: a node passes over what is not its shape, None included
        if sum(1 for node in shaped if not isinstance(node, _Ref)) > 1:
            raise TypeError(f"{tp}: a union of several forms that hold references needs a callable Discriminator")
        return _Union(None, forms)
    return _Union(discriminator.discriminator, forms)


def _field_type(info: FieldInfo) -> Any:
    """A field's type with its metadata, which pydantic keeps apart from the annotation."""
    return Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation


def _model_plan(model: type[BaseModel], plain: References | None) -> _Node | None:
    fields = []
    for name, info in model.model_fields.items():
        node = _plan(_field_type(info), plain)
        if node is None:
            continue
        same_as_plain = plain is not None and (
            (isinstance(node, _Ref) and node.reference == plain)
            or (isinstance(node, _List) and isinstance(node.item, _Ref) and node.item.reference == plain)
        )
        needed = info.is_required() or any(isinstance(m, Needed) for m in info.metadata)
        fields.append(_Field(info.alias or name, node, needed, label=not same_as_plain))
    return _Model(fields) if fields else None


@functools.cache
def _case_plan() -> _Node:
    plan = _plan(Case)
    assert plan is not None
    return plan


# ---------------------------------------------------------------- the walks


def references(data: Any, known: Mapping[str, Container[Any]] | None = None) -> list[Slot]:
    """Every place in case data that names an element or an attribute, in the order of the models' fields.

    ``known`` gives, per section, names to leave out (those that resolve): the checks pass
    the ids of the case and its attributes, so that only the places worth a look come
    back. The ids of elements an intervention adds are always listed.

    Examples
    --------
    >>> data = {"touchpoints": [{"id": "open", "actor": "bank", "requires": ["bsn", {"any_of": ["id", "passport"]}]}]}
    >>> [(s.loc, s.value, s.reference.section, s.field) for s in references(data)]  # doctest: +NORMALIZE_WHITESPACE
    [(('touchpoints', 0, 'actor'), 'bank', 'actors', 'actor'),
     (('touchpoints', 0, 'requires', 0), 'bsn', 'documents', 'requires'),
     (('touchpoints', 0, 'requires', 1, 'any_of', 0), 'id', 'documents', 'requires'),
     (('touchpoints', 0, 'requires', 1, 'any_of', 1), 'passport', 'documents', 'requires')]
    >>> [s.value for s in references(data, known={"documents": {"bsn", "passport"}})]
    ['bank', 'id']
    """
    out: list[Slot] = []
    _case_plan().walk(data, (), out, known or {})
    return out


def rewrite_references(data: Any, fn: Callable[[Slot], Any]) -> Any:
    """Case data with every reference replaced by ``fn(slot)``; :data:`GONE` removes it.

    A list loses the items whose reference goes (and a list that may not be empty, an
    ``any_of`` group, goes when it is left empty); an optional field is left out; a
    required field, or one marked :class:`~kafka_tool.model.Needed`, takes what holds it
    along (a requirement ``{doc: d}``, a journey step, an intervention change), up to the
    nearest list, which loses that item. Containers along references are new; the rest
    of ``data`` is shared, not copied.

    Examples
    --------
    >>> data = {"touchpoints": [{"id": "t", "actor": "bank", "requires": [{"doc": "bsn", "rule": "r"}, "id"]}]}
    >>> rewrite_references(data, lambda slot: GONE if slot.value in ("bank", "bsn") else slot.value)
    {'touchpoints': [{'id': 't', 'requires': ['id']}]}
    """
    return _case_plan().rewrite(data, (), fn)


# ---------------------------------------------------------------- sections and fields


@functools.cache
def id_sections() -> tuple[str, ...]:
    """The sections of a case whose elements have ids (unique across the case), in file order."""
    return tuple(
        name for name, info in Case.model_fields.items()
        if (model := _element_type(info.annotation)) is not None and "id" in model.model_fields
    )


def _element_type(tp: Any) -> type[BaseModel] | None:
    if get_origin(tp) is list:
        (item,) = get_args(tp)
        item, _ = _metadata(item)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item
    return None


def element_model(section: str) -> type[BaseModel]:
    """The model of one element of a section of the case (``touchpoints`` → :class:`Touchpoint`)."""
    model = _element_type(Case.model_fields[section].annotation)
    if model is None:
        raise KeyError(f"{section!r} is not a section of elements")
    return model


def field_reference(model: type[BaseModel], name: str) -> tuple[References, bool] | None:
    """What a field of a model names, and whether it is a list of such names; None when it names nothing.

    Examples
    --------
    >>> from kafka_tool.model import Touchpoint
    >>> field_reference(Touchpoint, "actor"), field_reference(Touchpoint, "refers_to")
    ((References(section='actors', added=False), False), (References(section='touchpoints', added=True), True))
    >>> field_reference(Touchpoint, "requires") is None  # requirement items: documents, in several forms
    True
    """
    node = _plan(_field_type(model.model_fields[name]))
    if isinstance(node, _Ref):
        return node.reference, False
    if isinstance(node, _List) and isinstance(node.item, _Ref):
        return node.item.reference, True
    return None


def _declared(node: _Node | None, seen: set[int]) -> Iterator[References]:
    if node is None or id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, _Ref):
        yield node.reference
    elif isinstance(node, _List):
        yield from _declared(node.item, seen)
    elif isinstance(node, _Dict):
        if node.key is not None:
            yield node.key
        yield from _declared(node.value, seen)
    elif isinstance(node, _Model):
        for field in node.fields.values():
            yield from _declared(field.node, seen)
    elif isinstance(node, _Adds):
        yield node.reference
        yield from _declared(node.element, seen)
    elif isinstance(node, _Union):
        for form in node.shaped:
            yield from _declared(form, seen)


def declarations() -> list[References]:
    """Every reference the case format declares, once each, in the order of the models' fields.

    Examples
    --------
    >>> sorted({r.section for r in declarations()})
    ['actors', 'attributes', 'documents', 'personas', 'rules', 'touchpoints']
    """
    return list(dict.fromkeys(_declared(_case_plan(), set())))
