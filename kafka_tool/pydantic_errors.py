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
from .i18n import N_, Phrase, phrase, phrase_join, phrase_list
from .model import Case, number_problem

__all__ = ["data_loc", "translate_validation_error"]

_ELEMENT_NAMES = {
    "Case": N_("the case"),
    "Actor": N_("an actor"),
    "Document": N_("a document"),
    "Rule": N_("a rule"),
    "Touchpoint": N_("a touchpoint"),
    "Persona": N_("a persona"),
    "Journey": N_("a journey"),
    "JourneyStep": N_("a journey step"),
    "Intervention": N_("an intervention"),
    "Acceptance": N_("an accepted finding"),
    "Teaching": N_("teaching"),
    "Condition": N_("a condition"),
    "DocRequirement": N_("a requirement"),
    "AnyOfRequirement": N_("an any_of requirement"),
    "IntegerAttribute": N_("an integer attribute"),
    "NumberAttribute": N_("a number attribute"),
    "CategoryAttribute": N_("a category attribute"),
    "BooleanAttribute": N_("a boolean attribute"),
    "TouchpointDocument": N_("this change"),
    "AddRequirementArgs": N_("add_requirement"),
    "ReferralArgs": N_("this change"),
    "SetWhenArgs": N_("set_when"),
    "SetActorArgs": N_("set_actor"),
}


#: What a mapping the case format has no name for is called.
_A_MAPPING = N_("this mapping")


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


def _what(model: Any) -> Phrase:
    name = getattr(model, "__name__", "")
    return phrase(_ELEMENT_NAMES.get(name, _A_MAPPING))


def _got(value: Any) -> str:
    if value is None:
        return phrase("nothing")
    if isinstance(value, bool):
        return phrase("true/false")
    if isinstance(value, float) and value != value:
        return phrase("'.nan' (not a number)")
    if isinstance(value, (int, float)):
        if isinstance(value, int) and abs(value) > 10**15:
            return phrase("a number with {n} digits", n=len(str(abs(value))))
        return phrase("the number {value}", value=value)
    if isinstance(value, str):
        return phrase("the text {value}", value=shown(value)) if len(value) < 60 else phrase("a text")
    if isinstance(value, (list, tuple)):
        return phrase("a list")
    if isinstance(value, (dict, frozenset)):
        return phrase("a mapping")
    if isinstance(value, (dt.date, dt.datetime)):
        return phrase("the date {date}", date=value.isoformat())
    return type(value).__name__


def _subject(path: Loc) -> str:
    """How a message names the value at ``path``: "`days`" or "item 2 of `requires`"."""
    if len(path) >= 2 and isinstance(path[-1], int):
        return phrase("item {n} of `{list}`", n=path[-1] + 1, list=path[-2])
    return f"`{path[-1]}`" if path else phrase("the case")


def _type_hint(kind: str, key: str, value: Any) -> Phrase | None:
    """What to write instead of a value of the wrong type."""
    if kind == "string_type":
        if value is None:
            return phrase("write the text after the colon")
        if isinstance(value, (bool, int, float, dt.date)):
            text = value.isoformat() if isinstance(value, dt.date) else str(value).lower()
            return phrase('put it in quotes to make it text: "{text}"', text=text)
        return phrase("write the text on one line; quote it if it starts with [ or {")
    if kind in ("int_type", "int_from_float"):
        if isinstance(value, float) and math.isfinite(value):
            return phrase("use a whole number, e.g. {lower} or {upper}", lower=math.floor(value),
                          upper=math.ceil(value))
        return phrase("use a whole number, e.g. 0, 18 or 120")
    if kind in ("float_type", "number_type"):
        return phrase("write the number alone, without units or quotes, e.g. 5 or 2.5")
    if kind == "bool_type":
        return phrase("write true or false")
    if kind == "list_type":
        if value is None:
            return phrase("write `{key}: []` for none, or give the items", key=key)
        if isinstance(value, str):
            return phrase("write a list: `{key}: [{value}]`", key=key, value=value)
        return phrase("write a list: `{key}: [a, b]`, or one `- item` per line", key=key)
    return None


def _slug_hint(value: Any) -> Phrase:
    text = str(value)
    slug = re.sub(r"[^a-z0-9_-]+", "_", text.lower()).strip("_-") or "my_id"
    return phrase("ids are slugs: lower-case letters, digits, '-' and '_', starting with a letter or digit, "
                  "e.g. '{slug}'", slug=slug)


def _one_of(expected: str) -> str:
    """Pydantic's list of the allowed values ("'a', 'b' or 'c'"), joined as the language joins them."""
    values = re.findall(r"'([^']*)'", expected)
    if not values:
        return expected
    return phrase_list([f"'{value}'" for value in values], "or", limit=len(values))


def _guessed(best: str | None, rest: Phrase) -> Phrase:
    """``rest``, after "did you mean 'x'?" when there is a best guess."""
    if best is None:
        return rest
    return phrase_join(" ", [phrase("did you mean {name}?", name=shown(best)), rest])


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
        message = (phrase("a key in {where} must be text, not {got}", where=_subject(mapping), got=_got(value))
                   if mapping else phrase("a key must be text, not {got}", got=_got(value)))
        return Issue(key_path, message,
                     phrase("keys are names such as `id:` or `age:`; quote a key that is a number or true/false"),
                     at="key")
    if kind == "extra_forbidden":
        allowed = _keys(parent)
        best = closest(key, allowed)
        if key == "<<":
            return Issue(path, phrase("YAML merge keys (`<<:`) are not supported in a case file"),
                         phrase("write the keys out in full"), at="key")
        hint: Phrase | None = None
        if allowed:
            hint = _guessed(best, phrase("allowed keys: {keys}", keys=", ".join(allowed)))
        elif best:
            hint = phrase("did you mean {name}?", name=shown(best))
        return Issue(path, phrase("unknown key {key} in {what}", key=shown(key), what=_what(parent)), hint, at="key")
    if kind == "missing":
        return Issue(path[:-1], phrase("{what} needs `{key}:`", what=_what(parent), key=key),
                     phrase("add `{key}: ...`; keys of {what}: {keys}", key=key, what=_what(parent),
                            keys=", ".join(_keys(parent))))
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        best = closest(str(value), re.findall(r"'([^']*)'", expected))
        hint = _guessed(best, phrase("allowed: {values}", values=_one_of(expected)))
        if path and isinstance(path[-1], int):  # an item of a list ("obstacles: [scepticism]")
            message = phrase("{subject}: {got} is not one of the allowed values", subject=_subject(path),
                             got=_got(value))
        else:
            message = (phrase("{got} is not a valid {key}", got=_got(value), key=key) if key
                       else phrase("{got} is not a valid value", got=_got(value)))
        return Issue(path, message, hint)
    if kind == "string_pattern_mismatch":
        if key == "currency":
            code = str(value).upper()
            return Issue(path, phrase("{got} is not a currency code", got=_got(value)),
                         phrase("a three-letter ISO 4217 code in capitals, e.g. 'EUR' or 'GBP': did you mean "
                                "'{code}'?", code=code) if re.fullmatch(r"[A-Za-z]{3}", str(value))
                         else phrase("a three-letter ISO 4217 code in capitals, e.g. 'EUR' or 'GBP'"))
        return Issue(path, phrase("{got} is not a valid id", got=_got(value)), _slug_hint(value))
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        expected = ctx.get("expected_tags", "")
        expected = expected or ", ".join(f"'{tag}'" for tag in _union_tags(holders[-1]))
        if kind == "union_tag_not_found":
            return Issue(path, phrase("attribute {name} needs `type:`", name=shown(key)),
                         phrase("type is one of {types}", types=expected))
        best = closest(str(ctx.get("tag")), re.findall(r"'([^']*)'", expected))
        return Issue((*path, "type"), phrase("{tag} is not an attribute type", tag=shown(ctx.get("tag"))),
                     _guessed(best, phrase("type is one of {types}", types=expected)))
    if kind == "date_from_datetime_inexact":
        return Issue(path, phrase("a date here is a day, without a time"), phrase("write the date as YYYY-MM-DD"))
    if kind.startswith("date_"):
        return Issue(path, phrase("{got} is not a date", got=_got(value)),
                     phrase("write dates as YYYY-MM-DD, e.g. 2024-01-05"))
    if kind == "too_short":
        return Issue(path, phrase("`{key}` must not be empty", key=key), phrase("give at least one item"))
    type_words = {
        "string_type": N_("{subject} must be text, not {got}"),
        "int_type": N_("{subject} must be a whole number, not {got}"),
        "int_from_float": N_("{subject} must be a whole number, not {got}"),
        "float_type": N_("{subject} must be a number, not {got}"),
        "bool_type": N_("{subject} must be true or false, not {got}"),
        "list_type": N_("{subject} must be a list, not {got}"),
        "dict_type": N_("{subject} must be a mapping, not {got}"),
        "model_type": N_("{subject} must be a mapping, not {got}"),
        "model_attributes_type": N_("{subject} must be a mapping, not {got}"),
    }
    if kind in type_words:
        type_hint = _type_hint(kind, key, value)
        if kind in ("dict_type", "model_type", "model_attributes_type"):
            keys = _keys(holders[-1])
            if keys:
                type_hint = phrase("keys: {keys}", keys=", ".join(keys))
            elif path and isinstance(path[-1], int):  # an item of a list ("when_any: [5]")
                type_hint = phrase("write each item as a mapping: `- {name: value, ...}`")
            else:
                type_hint = phrase("write `{key}: {{name: value, ...}}`", key=key)
        return Issue(path, phrase(type_words[kind], subject=_subject(path), got=_got(value)), type_hint)
    if kind == "goal_form":
        return Issue(path, phrase("{subject}: a goal is a document id or {{doc: ID, within_days: N}}",
                                  subject=_subject(path)), None)
    if kind == "produced_form":
        return Issue(path, phrase("{subject}: what a touchpoint produces is a document id or "
                                  "{{doc: ID, when: {{...}}}}", subject=_subject(path)), None)
    if kind == "scalar_type":
        return Issue(path, phrase("{subject} must be a single value (a number, text or true/false), not {got}",
                                  subject=_subject(path), got=_got(value)), None)
    if kind == "requirement_change_form":
        return Issue(path, phrase("add_requirement needs either `document:` or `any_of:`"),
                     phrase("write {touchpoint: T, document: D} or {touchpoint: T, any_of: [D1, D2]}"))
    if kind == "number_range":
        # Said again from the number itself: the context pydantic keeps holds only its English.
        problem = number_problem(value) if isinstance(value, (int, float)) else None
        problem = problem or ctx.get("problem")
        return Issue(path, phrase("{subject} is {problem}", subject=_subject(path), problem=problem) if problem
                     else phrase("{subject} is out of range", subject=_subject(path)),
                     phrase("numbers in a case are finite and at most 10^15 in size; write an ordinary number, "
                            "e.g. 5 or 2.5"))
    if kind == "number_type":
        return Issue(path, phrase("{subject} must be a number, not {got}", subject=_subject(path), got=_got(value)),
                     _type_hint(kind, key, value))
    if kind == "requirement_form":
        keys = [str(k) for k in value] if isinstance(value, dict) else []
        forms = ["doc", "any_of", "rule"]
        guess = next((closest(k, forms) for k in keys if k not in forms), None)
        forms_hint = phrase("write `- passport`, `- {doc: passport, rule: R}` or `- any_of: [passport, id_card]`")
        return Issue(path, phrase("{subject}: a requirement is a document id, {{doc: ID}} or {{any_of: [ID, ...]}}",
                                  subject=_subject(path)),
                     phrase_join(" ", [phrase("did you mean `{key}:`?", key=guess), forms_hint]) if guess
                     else forms_hint)
    if kind == "condition_form":
        return Issue(path, phrase("the condition on {key} must be true/false or a mapping, not {got}", key=key,
                                  got=_got(value)),
                     phrase("e.g. `{key}: {{min: 18}}` (a number), `{key}: {{in: [a, b]}}` (a category) "
                            "or `{key}: true` (a boolean)", key=key))
    if kind == "string_too_short":
        return Issue(path, phrase("`{key}` must not be empty", key=key), None)
    if kind in ("greater_than_equal", "non_negative"):
        return Issue(path, phrase("`{key}` must be 0 or more, not {value}", key=key, value=value), None)
    if kind == "change_kind":
        from .model import CHANGE_KINDS

        names = list(CHANGE_KINDS)
        if isinstance(value, dict) and len(value) == 1:
            (name,) = value
            best = closest(str(name), names)
            return Issue(path, phrase("unknown change kind {name}", name=shown(name)),
                         _guessed(best, phrase("change kinds: {kinds}", kinds=", ".join(names))))
        return Issue(path, phrase("a change is a mapping with exactly one key, the change kind"),
                     phrase("e.g. `- remove_requirement: {{touchpoint: T, document: D}}`; kinds: {kinds}",
                            kinds=", ".join(names)))
    # An error of pydantic's own that the case format has no words for: its English, with where it is.
    text = error["msg"]
    text = text[0].lower() + text[1:] if text else kind
    if isinstance(path[-1:] and path[-1], int) and len(path) >= 2:
        return Issue(path, phrase("item {n} of `{list}`: {message}", n=int(path[-1]) + 1, list=path[-2],
                                  message=text), None)
    return Issue(path, phrase("`{key}`: {message}", key=key, message=text) if key else text, None)


def translate_validation_error(exc: ValidationError, data: Any = None) -> list[Issue]:
    """Every pydantic error of ``exc`` as an :class:`Issue` located in the data."""
    return [_issue(error) for error in exc.errors(include_url=False)]
