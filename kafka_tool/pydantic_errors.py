"""Pydantic's validation errors, said in the words of the case format.

Pydantic reports errors by ``loc`` (a path through the models, with the tags
of tagged unions mixed in). This module walks the models along that path to
find the path through the *data* (for the line number) and the model at each
step (to name the allowed keys in a hint).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import types
import typing
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .errors import Issue, Loc, closest, shown
from .model import Case

__all__ = ["data_loc", "translate_validation_error"]

_ELEMENT_NAMES = {
    "Case": "the case",
    "Actor": "an actor",
    "Document": "a document",
    "Rule": "a rule",
    "Touchpoint": "a touchpoint",
    "Persona": "a persona",
    "Journey": "a journey",
    "JourneyStep": "a journey step",
    "Intervention": "an intervention",
    "Acceptance": "an accepted finding",
    "Teaching": "teaching",
    "Condition": "a condition",
    "DocRequirement": "a requirement",
    "AnyOfRequirement": "an any_of requirement",
    "IntegerAttribute": "an integer attribute",
    "NumberAttribute": "a number attribute",
    "CategoryAttribute": "a category attribute",
    "BooleanAttribute": "a boolean attribute",
    "TouchpointDocument": "this change",
    "AddRequirementArgs": "add_requirement",
    "ReferralArgs": "this change",
    "SetWhenArgs": "set_when",
    "SetActorArgs": "set_actor",
}


def _unwrap(tp: Any) -> Any:
    """Strip ``Annotated`` and ``Optional`` wrappers."""
    while True:
        origin = get_origin(tp)
        if origin is typing.Annotated:
            tp = get_args(tp)[0]
            continue
        if origin in (Union, types.UnionType):
            members = [a for a in get_args(tp) if a is not type(None)]
            if len(members) == 1:
                tp = members[0]
                continue
        return tp


def _union_tags(tp: Any) -> dict[str, Any]:
    """Tag (as pydantic puts it in ``loc``) -> member type, for a union."""
    tags: dict[str, Any] = {}
    for member in get_args(tp):
        if member is type(None):
            continue
        tag = None
        if get_origin(member) is typing.Annotated:
            for meta in get_args(member)[1:] + tuple(getattr(member, "__metadata__", ())):
                if type(meta).__name__ == "Tag":
                    tag = meta.tag
        inner = _unwrap(member)
        if tag is None and isinstance(inner, type) and issubclass(inner, BaseModel):
            field = inner.model_fields.get("type")
            if field is not None and get_origin(field.annotation) is Literal:
                tag = get_args(field.annotation)[0]
        if tag is None:
            tag = getattr(inner, "__name__", str(inner))
        tags[str(tag)] = member
    return tags


def _field(model: type[BaseModel], step: str) -> Any:
    for name, info in model.model_fields.items():
        if step in (name, info.alias):
            annotation = info.annotation
            if info.metadata:
                return typing.Annotated[(annotation, *info.metadata)]
            return annotation
    return None


def data_loc(loc: tuple[int | str, ...], root: type[BaseModel] = Case) -> tuple[Loc, list[Any]]:
    """The path through the data for a pydantic ``loc``, and the type at each step.

    ``types[i]`` is the (unwrapped) type that holds ``path[i]``.
    """
    tp: Any = root
    path: list[str | int] = []
    holders: list[Any] = []
    for step in loc:
        inner = _unwrap(tp)
        if get_origin(inner) in (Union, types.UnionType):
            tags = _union_tags(inner)
            if str(step) in tags:
                tp = tags[str(step)]
                continue
            if isinstance(step, str):
                # A member label of a plain union ("constrained-str"): not a step in the data.
                tp = None
                continue
            inner = None
        holders.append(inner)
        path.append(step)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            tp = _field(inner, str(step))
        elif get_origin(inner) is list:
            tp = get_args(inner)[0]
        elif get_origin(inner) is dict:
            tp = get_args(inner)[1]
        else:
            tp = None
    holders.append(_unwrap(tp))
    return tuple(path), holders


def _keys(model: Any) -> list[str]:
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [info.alias or name for name, info in model.model_fields.items()]
    return []


def _what(model: Any) -> str:
    name = getattr(model, "__name__", "")
    return _ELEMENT_NAMES.get(name, "this mapping")


def _got(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, float) and value != value:
        return "'.nan' (not a number)"
    if isinstance(value, (int, float)):
        if isinstance(value, int) and abs(value) > 10**15:
            return f"a number with {len(str(abs(value)))} digits"
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {shown(value)}" if len(value) < 60 else "a text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, tuple):
        return "a list"
    if isinstance(value, frozenset):
        return "a mapping"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"the date {value.isoformat()}"
    return type(value).__name__


def _subject(path: Loc) -> str:
    """How a message names the value at ``path``: "`days`" or "item 2 of `requires`"."""
    if len(path) >= 2 and isinstance(path[-1], int):
        return f"item {path[-1] + 1} of `{path[-2]}`"
    return f"`{path[-1]}`" if path else "the case"


def _type_hint(kind: str, key: str, value: Any) -> str | None:
    """What to write instead of a value of the wrong type."""
    if kind == "string_type":
        if value is None:
            return "write the text after the colon"
        if isinstance(value, (bool, int, float, dt.date)):
            text = value.isoformat() if isinstance(value, dt.date) else str(value).lower()
            return f'put it in quotes to make it text: "{text}"'
        return "write the text on one line; quote it if it starts with [ or {"
    if kind in ("int_type", "int_from_float"):
        if isinstance(value, float) and math.isfinite(value):
            return f"use a whole number, e.g. {math.floor(value)} or {math.ceil(value)}"
        return "use a whole number, e.g. 0, 18 or 120"
    if kind in ("float_type", "number_type"):
        return "write the number alone, without units or quotes, e.g. 5 or 2.5"
    if kind == "bool_type":
        return "write true or false"
    if kind == "list_type":
        if value is None:
            return f"write `{key}: []` for none, or give the items"
        if isinstance(value, str):
            return f"write a list: `{key}: [{value}]`"
        return f"write a list: `{key}: [a, b]`, or one `- item` per line"
    return None


def _slug_hint(value: Any) -> str:
    text = str(value)
    slug = re.sub(r"[^a-z0-9_-]+", "_", text.lower()).strip("_-") or "my_id"
    return (
        "ids are slugs: lower-case letters, digits, '-' and '_', starting with a letter "
        f"or digit, e.g. '{slug}'"
    )


def _issue(error: ErrorDetails) -> Issue:
    path, holders = data_loc(error["loc"])
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    key = str(path[-1]) if path else ""
    parent = holders[-2] if len(holders) >= 2 else None
    if kind == "invalid_key" or error["loc"][-1:] == ("[key]",):
        # Shown at the key itself; a key that is a list or a mapping cannot be found, so its parent.
        key_path = data_loc(error["loc"][:-1])[0]
        mapping = key_path if kind == "invalid_key" else key_path[:-1]
        if kind == "invalid_key" and isinstance(value, (str, int)):
            key_path = (*key_path, value)
        where = f" in {_subject(mapping)}" if mapping else ""
        return Issue(key_path, f"a key{where} must be text, not {_got(value)}",
                     "keys are names such as `id:` or `age:`; quote a key that is a number or true/false",
                     at="key")
    if kind == "extra_forbidden":
        allowed = _keys(parent)
        best = closest(key, allowed)
        if key == "<<":
            return Issue(path, "YAML merge keys (`<<:`) are not supported in a case file",
                         "write the keys out in full", at="key")
        hint = (f"did you mean {shown(best)}? " if best else "") + (
            "allowed keys: " + ", ".join(allowed) if allowed else ""
        )
        return Issue(path, f"unknown key {shown(key)} in {_what(parent)}", hint.strip() or None, at="key")
    if kind == "missing":
        return Issue(path[:-1], f"{_what(parent)} needs `{key}:`",
                     f"add `{key}: ...`; keys of {_what(parent)}: " + ", ".join(_keys(parent)))
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        best = closest(str(value), re.findall(r"'([^']*)'", expected))
        hint = (f"did you mean {shown(best)}? " if best else "") + f"allowed: {expected}"
        return Issue(path, f"{_got(value)} is not a valid {key or 'value'}", hint)
    if kind == "string_pattern_mismatch":
        if key == "currency":
            return Issue(path, f"{_got(value)} is not a currency code",
                         "a three-letter ISO 4217 code in capitals, e.g. 'EUR' or 'GBP'"
                         + (f": did you mean '{str(value).upper()}'?" if re.fullmatch(r"[A-Za-z]{3}", str(value))
                            else ""))
        return Issue(path, f"{_got(value)} is not a valid id", _slug_hint(value))
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        expected = ctx.get("expected_tags", "")
        expected = expected or ", ".join(f"'{tag}'" for tag in _union_tags(holders[-1]))
        if kind == "union_tag_not_found":
            return Issue(path, f"attribute {shown(key)} needs `type:`", f"type is one of {expected}")
        best = closest(str(ctx.get("tag")), re.findall(r"'([^']*)'", expected))
        return Issue((*path, "type"), f"{shown(ctx.get('tag'))} is not an attribute type",
                     (f"did you mean {shown(best)}? " if best else "") + f"type is one of {expected}")
    if kind == "date_from_datetime_inexact":
        return Issue(path, "a date here is a day, without a time", "write the date as YYYY-MM-DD")
    if kind.startswith("date_"):
        return Issue(path, f"{_got(value)} is not a date", "write dates as YYYY-MM-DD, e.g. 2024-01-05")
    if kind == "too_short":
        return Issue(path, f"`{key}` must not be empty", "give at least one item")
    type_words = {
        "string_type": "text",
        "int_type": "a whole number",
        "int_from_float": "a whole number",
        "float_type": "a number",
        "bool_type": "true or false",
        "list_type": "a list",
        "dict_type": "a mapping",
        "model_type": "a mapping",
        "model_attributes_type": "a mapping",
    }
    if kind in type_words:
        want = type_words[kind]
        type_hint = _type_hint(kind, key, value)
        if want == "a mapping":
            keys = _keys(holders[-1])
            type_hint = ("keys: " + ", ".join(keys)) if keys else f"write `{key}: {{name: value, ...}}`"
        return Issue(path, f"{_subject(path)} must be {want}, not {_got(value)}", type_hint)
    if kind == "requirement_change_form":
        return Issue(path, "add_requirement needs either `document:` or `any_of:`",
                     "write {touchpoint: T, document: D} or {touchpoint: T, any_of: [D1, D2]}")
    if kind == "number_range":
        return Issue(path, f"{_subject(path)} is {ctx.get('problem', 'out of range')}",
                     "numbers in a case are finite and at most 10^15 in size; write an ordinary number, "
                     "e.g. 5 or 2.5")
    if kind == "number_type":
        return Issue(path, f"{_subject(path)} must be a number, not {_got(value)}",
                     _type_hint(kind, key, value))
    if kind == "requirement_form":
        keys = [str(k) for k in value] if isinstance(value, dict) else []
        forms = ["doc", "any_of", "rule"]
        guess = next((closest(k, forms) for k in keys if k not in forms), None)
        return Issue(path, f"{_subject(path)}: a requirement is a document id, {{doc: ID}} "
                     "or {any_of: [ID, ...]}",
                     (f"did you mean `{guess}:`? " if guess else "")
                     + "write `- passport`, `- {doc: passport, rule: R}` or `- any_of: [passport, id_card]`")
    if kind == "condition_form":
        return Issue(path, f"the condition on {key} must be true/false or a mapping, not {_got(value)}",
                     f"e.g. `{key}: {{min: 18}}` (a number), `{key}: {{in: [a, b]}}` (a category) "
                     f"or `{key}: true` (a boolean)")
    if kind == "string_too_short":
        return Issue(path, f"`{key}` must not be empty", None)
    if kind in ("greater_than_equal", "non_negative"):
        return Issue(path, f"`{key}` must be 0 or more, not {value}", None)
    if kind == "change_kind":
        from .model import CHANGE_KINDS

        names = list(CHANGE_KINDS)
        if isinstance(value, dict) and len(value) == 1:
            (name,) = value
            best = closest(str(name), names)
            return Issue(path, f"unknown change kind {shown(name)}",
                         (f"did you mean {shown(best)}? " if best else "") + "change kinds: " + ", ".join(names))
        return Issue(path, "a change is a mapping with exactly one key, the change kind",
                     "e.g. `- remove_requirement: {touchpoint: T, document: D}`; kinds: " + ", ".join(names))
    message = error["msg"]
    message = message[0].lower() + message[1:] if message else kind
    if isinstance(path[-1:] and path[-1], int) and len(path) >= 2:
        return Issue(path, f"item {int(path[-1]) + 1} of `{path[-2]}`: {message}", None)
    return Issue(path, f"`{key}`: {message}" if key else message, None)


def translate_validation_error(exc: ValidationError, data: Any = None) -> list[Issue]:
    """Every pydantic error of ``exc`` as an :class:`Issue` located in the data."""
    return [_issue(error) for error in exc.errors(include_url=False)]
