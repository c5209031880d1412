"""The references read from the models, held against brute force over the plain data.

The oracles here do not use :mod:`kafka_tool.references`: they list the places of the
case format that name something, as CASE_FORMAT.md describes them, as path patterns, and
search every value and key of the data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from profiles import examples

from kafka_tool.checks import check_case_data
from kafka_tool.edits import (
    SECTIONS,
    ElementRef,
    attribute_referrers,
    delete_element,
    referrers,
    rename_id,
)
from kafka_tool.library import find_case, library_dir
from kafka_tool.loader import load_case
from kafka_tool.model import Case

ID_SECTIONS = ("actors", "documents", "rules", "touchpoints", "personas", "interventions")

# ---------------------------------------------------------------- the places that name something

#: Within a touchpoint (also one an intervention adds). ``touchpoints+``: a touchpoint, or
#: one added by the intervention, up to the change the reference is in.
TOUCHPOINT_PLACES = {
    "actor": "actors",
    "rules/#": "rules",
    "requires/#": "documents",
    "requires/#/doc": "documents",
    "requires/#/any_of/#": "documents",
    "requires/#/rule": "rules",
    "requires/#/when/*": "attributes",
    "produces/#": "documents",
    "produces/#/doc": "documents",
    "produces/#/when/*": "attributes",
    "refers_to/#": "touchpoints+",
    "fetches/#": "documents",
}
TOUCHPOINT_DOCUMENT = {"touchpoint": "touchpoints+", "document": "documents"}
CHANGE_PLACES: dict[str, dict[str, str]] = {
    "remove_requirement": TOUCHPOINT_DOCUMENT,
    "add_requirement": {**TOUCHPOINT_DOCUMENT, "any_of/#": "documents", "rule": "rules"},
    "add_produces": {**TOUCHPOINT_DOCUMENT, "when/*": "attributes"},
    "remove_produces": TOUCHPOINT_DOCUMENT,
    "exchange": TOUCHPOINT_DOCUMENT,
    "add_referral": {"touchpoint": "touchpoints+", "to": "touchpoints+"},
    "remove_referral": {"touchpoint": "touchpoints+", "to": "touchpoints+"},
    "set_when": {"rule": "rules", "when/*": "attributes"},
    "set_actor": {"touchpoint": "touchpoints+", "actor": "actors"},
    "add_touchpoint": TOUCHPOINT_PLACES,
    "set_days": {"touchpoint": "touchpoints+"},
    "set_cost": {"touchpoint": "touchpoints+"},
    "set_effort": TOUCHPOINT_DOCUMENT,
    "set_window": TOUCHPOINT_DOCUMENT,
    "set_value": {"document": "documents"},
    "set_owner": {"rule": "rules", "owner": "actors"},
    "add_outcome": {"touchpoint": "touchpoints+", "doc": "documents", "when/*": "attributes"},
}
#: ``#`` a list position, ``*`` a key of a mapping (an attribute's name).
PLACES: dict[str, str] = {
    "rules/#/owner": "actors",
    "rules/#/conflicts_with/#": "rules",
    "rules/#/when/*": "attributes",
    "rules/#/when_any/#/*": "attributes",
    **{f"touchpoints/#/{place}": section for place, section in TOUCHPOINT_PLACES.items()},
    "personas/#/attributes/*": "attributes",
    "personas/#/has/#": "documents",
    "personas/#/goals/#": "documents",
    "personas/#/goals/#/doc": "documents",          # a goal with a deadline: {doc, within_days}
    "attributes/*/while/*": "attributes",           # a growing attribute's while: {...}
    "documents/#/value/taper/attribute": "attributes",  # a value that tapers along an attribute
    "journeys/#/persona": "personas",
    "journeys/#/steps/#/touchpoint": "touchpoints",
    "journeys/#/steps/#/to": "touchpoints",
    "interventions/#/owner": "actors",
    "interventions/#/changes/#/remove_touchpoint": "touchpoints+",
    "interventions/#/changes/#/set_value/value/taper/attribute": "attributes",
    **{
        f"interventions/#/changes/#/{kind}/{place}": section
        for kind, places in CHANGE_PLACES.items()
        for place, section in places.items()
    },
}


def everything(value: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any, str]]:
    """Every key and every scalar of the data, with its path and whether it is a key."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield (*loc, key), key, "key"
            yield from everything(child, (*loc, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from everything(child, (*loc, i))
    else:
        yield loc, value, "value"


def place_of(loc: tuple[Any, ...], at: str) -> str | None:
    """The section a place names (``touchpoints+`` included), or None where nothing is named."""
    parts = ["#" if isinstance(step, int) else str(step) for step in loc]
    if len(loc) > 2 and loc[0] == "attributes":
        parts[1] = "*"  # inside an attribute's own spec, its name is a key like any other
    if at == "key":
        parts[-1] = "*"
    return PLACES.get("/".join(parts))


def naive_places(data: dict[str, Any]) -> list[tuple[tuple[Any, ...], Any, str]]:
    """(path, name, section) of every place in ``data`` that names something."""
    return [
        (loc, value, section)
        for loc, value, at in everything(data)
        if (section := place_of(loc, at)) is not None and (at == "key" or isinstance(value, str))
    ]


def added_up_to(data: dict[str, Any], intervention: int, change: int) -> set[str]:
    changes = data["interventions"][intervention].get("changes", [])
    return {
        c["add_touchpoint"]["id"]
        for c in changes[: change + 1]
        if isinstance(c, dict) and isinstance(c.get("add_touchpoint"), dict)
        and isinstance(c["add_touchpoint"].get("id"), str)
    }


def _a(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def naive_dangling(data: dict[str, Any]) -> set[tuple[tuple[Any, ...], str]]:
    """(path, message) of every place whose name resolves to nothing it may name."""
    ids = {s: {e["id"] for e in data.get(s, []) if isinstance(e, dict) and "id" in e} for s in ID_SECTIONS}
    attributes = set(data.get("attributes", {}))
    found = set()
    for loc, name, section in naive_places(data):
        if section == "attributes":
            if name not in attributes:
                found.add((loc, f"unknown attribute '{name}'"))
            continue
        known = set(ids[section.rstrip("+")])
        if section.endswith("+") and loc[0] == "interventions":
            known |= added_up_to(data, loc[1], loc[3])
        if name in known:
            continue
        noun = section.rstrip("+")[:-1]
        other = next((s[:-1] for s in ID_SECTIONS if name in ids[s]), None)
        found.add((loc, f"'{name}' is {_a(other)}, not {_a(noun)}" if other else f"unknown {noun} '{name}'"))
    return found


REFERENCE_MESSAGE = re.compile(
    r"^(unknown (actor|document|rule|touchpoint|persona|attribute) |'.*' is an? \w+, not an? \w+$)"
)


def checked_dangling(data: dict[str, Any]) -> set[tuple[tuple[Any, ...], str]]:
    return {(issue.loc, issue.message) for issue in check_case_data(data) if REFERENCE_MESSAGE.match(issue.message)}


# ---------------------------------------------------------------- random cases, some references dangling

IDS = {
    "actors": ["a0", "a1"],
    "documents": ["d0", "d1", "d2"],
    "rules": ["r0", "r1"],
    "touchpoints": ["t0", "t1", "t2"],
    "personas": ["p0", "p1"],
}
#: Names a reference may hold: ids of every section, touchpoints an intervention may add, and none at all.
NAMES = [i for ids in IDS.values() for i in ids] + ["i0", "n0", "n1", "zz", "d9"]
ATTRIBUTES = {"age": {"type": "integer", "min": 0, "max": 120}, "flag": {"type": "boolean"}}
ATTRIBUTE_NAMES = ["age", "flag", "agee", "colour"]

name = st.sampled_from(NAMES)
names = st.lists(name, max_size=3)
#: In changes, the touchpoints the intervention may add come up often: what may name them is the point.
change_name = st.sampled_from([*NAMES, "n0", "n1", "n0", "n1"])


def _optional(draw: st.DrawFn, entry: dict[str, Any], key: str, value: st.SearchStrategy[Any]) -> None:
    if draw(st.booleans()):
        entry[key] = draw(value)


@st.composite
def whens(draw: st.DrawFn) -> dict[str, Any]:
    keys = draw(st.lists(st.sampled_from(ATTRIBUTE_NAMES), max_size=3, unique=True))
    return {key: {"min": 1} if key == "age" else True for key in keys}


@st.composite
def requirement_items(draw: st.DrawFn) -> Any:
    form = draw(st.sampled_from(["id", "doc", "any_of"]))
    if form == "id":
        return draw(name)
    item: dict[str, Any] = (
        {"doc": draw(name)} if form == "doc" else {"any_of": draw(st.lists(name, min_size=1, max_size=3))}
    )
    _optional(draw, item, "rule", name)
    return item


@st.composite
def touchpoints(draw: st.DrawFn, ident: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": ident, "name": ident.upper()}
    _optional(draw, entry, "actor", name)
    for key in ("rules", "produces", "refers_to", "fetches"):
        _optional(draw, entry, key, names)
    _optional(draw, entry, "requires", st.lists(requirement_items(), max_size=3))
    return entry


@st.composite
def changes(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from([*sorted(CHANGE_PLACES), "remove_touchpoint", "add_touchpoint", "add_touchpoint"]))
    if kind == "remove_touchpoint":
        return {kind: draw(change_name)}
    if kind == "add_touchpoint":
        return {kind: draw(touchpoints(draw(st.sampled_from(["n0", "n1", "t0"]))))}
    args: dict[str, Any] = {}
    for place in CHANGE_PLACES[kind]:
        if place == "any_of/#":
            continue
        if place == "when/*":
            args["when"] = draw(whens())
        else:
            args[place] = draw(change_name)
    if kind == "add_requirement" and draw(st.booleans()):
        args["any_of"] = draw(st.lists(change_name, min_size=1, max_size=2))
        del args["document"]
    return {kind: args}


@st.composite
def random_cases(draw: st.DrawFn) -> dict[str, Any]:
    """A case of the sample's shape, every reference drawn from ids of any section, or of none."""
    rules = []
    for ident in IDS["rules"]:
        rule: dict[str, Any] = {"id": ident, "name": ident.upper()}
        _optional(draw, rule, "owner", name)
        _optional(draw, rule, "when", whens())
        _optional(draw, rule, "conflicts_with", names)
        rules.append(rule)
    personas = []
    for ident in IDS["personas"]:
        keys = draw(st.lists(st.sampled_from(ATTRIBUTE_NAMES), max_size=3, unique=True))
        personas.append({"id": ident, "name": ident.upper(), "has": draw(names), "goals": draw(names),
                         "attributes": {key: 30 if key == "age" else False for key in keys}})
    journeys = []
    for _ in range(draw(st.integers(0, 2))):
        steps = []
        for day in range(1, draw(st.integers(0, 3)) + 1):
            step: dict[str, Any] = {"touchpoint": draw(name), "date": dt.date(2024, 1, day), "outcome": "referred"}
            _optional(draw, step, "to", name)
            steps.append(step)
        journeys.append({"persona": draw(name), "steps": steps})
    intervention: dict[str, Any] = {"id": "i0", "title": "I0", "changes": draw(st.lists(changes(), max_size=5))}
    _optional(draw, intervention, "owner", name)
    return {
        "format": "kafka-case/1",
        "id": "random",
        "title": "Random",
        "attributes": ATTRIBUTES,
        "actors": [{"id": a, "name": a.upper()} for a in IDS["actors"]],
        "documents": [{"id": d, "name": d.upper()} for d in IDS["documents"]],
        "rules": rules,
        "touchpoints": [draw(touchpoints(ident)) for ident in IDS["touchpoints"]],
        "personas": personas,
        "journeys": journeys,
        "interventions": [intervention],
    }


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_cases())
def test_the_checks_find_exactly_the_dangling_references_a_search_of_the_data_finds(data: dict[str, Any]) -> None:
    assert checked_dangling(data) == naive_dangling(data)


def test_the_oracle_sees_dangling_references_of_every_kind() -> None:
    # The property above is only worth something if the oracle finds what it is meant to.
    data = {
        "attributes": ATTRIBUTES,
        "actors": [{"id": "a0"}],
        "touchpoints": [{"id": "t0", "actor": "zz", "requires": [{"any_of": ["a0"]}], "refers_to": ["n0"]}],
        "rules": [{"id": "r0", "when": {"colour": True}}],
        "interventions": [{"id": "i0", "changes": [
            {"add_referral": {"touchpoint": "n0", "to": "t0"}},
            {"add_touchpoint": {"id": "n0", "refers_to": ["n0"]}},
            {"remove_touchpoint": "n0"},
        ]}],
    }
    assert naive_dangling(data) == {
        (("touchpoints", 0, "actor"), "unknown actor 'zz'"),
        (("touchpoints", 0, "requires", 0, "any_of", 0), "'a0' is an actor, not a document"),
        (("touchpoints", 0, "refers_to", 0), "unknown touchpoint 'n0'"),
        (("rules", 0, "when", "colour"), "unknown attribute 'colour'"),
        (("interventions", 0, "changes", 0, "add_referral", "touchpoint"), "unknown touchpoint 'n0'"),
    }
    assert checked_dangling(data) == naive_dangling(data)


# ---------------------------------------------------------------- the sample cases


@cache
def sample(name: str) -> Case:
    return load_case(find_case(name))


SAMPLES = sorted(path.stem for path in library_dir().glob("*.yaml"))


def element_ids(case: Case) -> list[str]:
    return [element.id for section in ID_SECTIONS for element in getattr(case, section)]


def elements(case: Case) -> list[ElementRef]:
    return [
        ElementRef(kind, str(n) if kind == "journey" else item.id)
        for kind, section in SECTIONS.items()
        for n, item in enumerate(getattr(case, section))
    ]


#: Keys whose values are text for people, finding ids or kinds, or words of a fixed list (an actor's
#: kind, a category's values), any of which may happen to read like an id.
FREE_TEXT = {"tags", "name", "title", "summary", "source", "description", "story", "note", "notes", "questions",
             "finding", "reason", "by", "expected_resolves", "expected_findings", "kind", "channel", "outcome",
             "unit", "values", "in", "not_in", "language", "level"}


def naive_referrers(data: dict[str, Any], ident: str) -> set[tuple[Any, ...]]:
    """Where ``ident`` is written as the name of something (not an element's own id, not free text)."""
    found = {loc for loc, value, section in naive_places(data) if value == ident and section != "attributes"}
    # An added touchpoint's own id counts, as a rename must follow it.
    for loc, value, _ in everything(data):
        if value == ident and len(loc) == 6 and loc[0] == "interventions" and loc[4:] == ("add_touchpoint", "id"):
            found.add(loc)
    return found


@pytest.mark.parametrize("name", SAMPLES)
def test_what_refers_to_an_element_is_where_the_data_names_it(name: str) -> None:
    case = sample(name)
    data = case.to_data()
    for ident in element_ids(case):
        assert {r.loc for r in referrers(case, ident)} == naive_referrers(data, ident), ident
        # and nowhere else does the id appear as a value, but as the element's own id or in text
        for loc, value, at in everything(data):
            if value == ident and at == "value" and loc not in naive_referrers(data, ident):
                assert loc[2:] == ("id",) or FREE_TEXT & set(loc), loc
    for attribute in case.attributes:
        expected = {loc for loc, value, section in naive_places(data) if value == attribute and section == "attributes"}
        assert {r.loc for r in attribute_referrers(case, attribute)} == expected


@pytest.mark.parametrize("name", SAMPLES)
def test_rename_and_rename_back_give_the_same_case(name: str) -> None:
    case = sample(name)
    taken = set(element_ids(case))
    for ident in element_ids(case):
        new = f"{ident}-renamed"
        assert new not in taken
        renamed = rename_id(case, ident, new)
        assert referrers(renamed, ident) == [] and ident not in element_ids(renamed)
        assert len(referrers(renamed, new)) == len(referrers(case, ident))
        back = rename_id(renamed, new, ident)
        assert back == case and back.to_data() == case.to_data(), ident


@pytest.mark.parametrize("name", SAMPLES)
def test_deleting_any_element_leaves_a_valid_case_that_names_it_nowhere(name: str) -> None:
    case = sample(name)
    for ref in elements(case):
        after = delete_element(case, ref)  # raises when the result does not validate
        data = after.to_data()
        if ref.kind == "journey":
            assert len(after.journeys) == len(case.journeys) - 1
            continue
        assert ref.key not in element_ids(after)
        assert naive_referrers(data, ref.key) == set()
        assert checked_dangling(data) == set()
