"""The three-way merge of case data (kafka_tool/merge.py), held against a naive oracle.

Both sides make random edits to a sample case: change a top-level value, edit, add or
remove elements of every section (journeys too). The oracle names the units of a case as
the merge's docstring says (an element by section and id; a journey by persona and how
many of that persona's journeys precede it; every other top-level key by name), and
says what each unit must become, without the merge's code.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from profiles import examples

from kafka_tool.library import find_case
from kafka_tool.loader import load_case
from kafka_tool.merge import ABSENT, Place, changes, three_way_merge

SAMPLES = ("status-holder-bsn-bank-house", "toeslagenaffaire", "briefadres-dakloos")
NAMES = {"journeys": "persona", "accepted": "finding"}
LIST_SECTIONS = ("actors", "documents", "rules", "touchpoints", "personas", "journeys", "interventions", "accepted")


@cache
def _sample(name: str) -> dict[str, Any]:
    return load_case(find_case(name)).to_data()


def sample(name: str) -> dict[str, Any]:
    return copy.deepcopy(_sample(name))


# ---------------------------------------------------------------- the oracle


def units(data: dict[str, Any]) -> dict[Place, Any]:
    """Every unit of the case and its value."""
    found: dict[Place, Any] = {}
    for key, value in data.items():
        if key == "attributes" and isinstance(value, dict):
            found.update({Place(key, name): item for name, item in value.items()})
        elif key in LIST_SECTIONS and isinstance(value, list):
            counts: dict[str, int] = {}
            for item in value:
                name = str(item[NAMES.get(key, "id")])
                found[Place(key, name, counts.get(name, 0))] = item
                counts[name] = counts.get(name, 0) + 1
        else:
            found[Place("", key)] = value
    return found


def collapsed(found: dict[Place, Any]) -> dict[tuple[str, str], Any]:
    """Units with ``ABSENT`` left out, and the elements of one name (a persona's journeys) as the
    list of their values in order: the second journey of a persona whose first is gone is the first."""
    result: dict[tuple[str, str], Any] = {}
    for place in sorted(found):
        if found[place] is ABSENT:
            continue
        if place.section in NAMES:
            result.setdefault((place.section, place.key), []).append(found[place])
        else:
            result[(place.section, place.key)] = found[place]
    return result


def changed(base: dict[str, Any], side: dict[str, Any]) -> set[Place]:
    """The units a side added, removed or changed."""
    b, s = units(base), units(side)
    return {p for p in set(b) | set(s) if b.get(p, ABSENT) != s.get(p, ABSENT)}


def expected_conflicts(base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]) -> set[Place]:
    b, o, t = units(base), units(ours), units(theirs)
    return {
        p for p in set(b) | set(o) | set(t)
        if o.get(p, ABSENT) != b.get(p, ABSENT) and t.get(p, ABSENT) != b.get(p, ABSENT)
        and o.get(p, ABSENT) != t.get(p, ABSENT)
    }


# ---------------------------------------------------------------- random edits


@st.composite
def edited(draw: st.DrawFn, base: dict[str, Any], tag: str) -> dict[str, Any]:
    """``base`` with a few random edits; new ids end in ``tag`` (or are shared, to clash)."""
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(0, 6))):
        what = draw(st.sampled_from(["value", "edit", "add", "remove", "attribute"]))
        if what == "value":
            key = draw(st.sampled_from(["title", "summary", "source", "tags"]))
            data[key] = [draw(st.sampled_from(["a", "b"]))] if key == "tags" else draw(st.sampled_from(["X", "Y"]))
            continue
        if what == "attribute":
            attributes = data.setdefault("attributes", {})
            name = draw(st.sampled_from(["shared_attr", f"attr_{tag}", *sorted(attributes)[:3]]))
            if attributes and draw(st.booleans()) and name in attributes:
                del attributes[name]
            else:
                attributes[name] = {"type": "boolean", "description": draw(st.sampled_from(["one", "two"]))}
            continue
        section = draw(st.sampled_from([s for s in LIST_SECTIONS[:7] if s in data]))
        items = data[section]
        if what == "edit" and items:
            n = draw(st.integers(0, len(items) - 1))
            field = "note" if section == "journeys" else "name" if section != "interventions" else "title"
            items[n] = {**items[n], field: draw(st.sampled_from(["edited one", "edited two"]))}
        elif what == "remove" and items:
            del items[draw(st.integers(0, len(items) - 1))]
        elif what == "add":
            at = draw(st.integers(0, len(items)))
            if section == "journeys":
                persona = draw(st.sampled_from([str(j["persona"]) for j in items] or ["someone"]))
                new: dict[str, Any] = {"persona": persona, "steps": [], "note": tag}
            else:
                ident = draw(st.sampled_from(["shared_new", f"new_{tag}"]))
                if any(item.get("id") == ident for item in items):
                    continue
                new = {"id": ident, "name": draw(st.sampled_from(["same", tag]))}
            items.insert(at, new)
    return data


@st.composite
def three_sides(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    base = sample(draw(st.sampled_from(SAMPLES)))
    return base, draw(edited(base, "ours")), draw(edited(base, "theirs"))


PROPERTY = settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------- properties


@PROPERTY
@given(three_sides())
def test_a_conflict_is_reported_exactly_where_both_sides_changed_a_unit_differently(
    sides: tuple[dict[str, Any], dict[str, Any], dict[str, Any]],
) -> None:
    base, ours, theirs = sides
    merged = three_way_merge(base, ours, theirs)
    assert {c.place for c in merged.conflicts} == expected_conflicts(base, ours, theirs)
    assert len(merged.conflicts) == len({c.place for c in merged.conflicts})


@PROPERTY
@given(three_sides(), st.sampled_from(["ours", "theirs"]))
def test_every_unit_comes_from_the_side_that_changed_it_or_the_side_chosen(
    sides: tuple[dict[str, Any], dict[str, Any], dict[str, Any]], side: str,
) -> None:
    base, ours, theirs = sides
    first = three_way_merge(base, ours, theirs)
    choices = {c.place: side for c in first.conflicts}
    merged = three_way_merge(base, ours, theirs, choices)  # type: ignore[arg-type]
    b, o, t, m = units(base), units(ours), units(theirs), units(merged.data)
    conflicts = {c.place for c in merged.conflicts}
    assert all(c.chosen == side for c in merged.conflicts)
    want: dict[Place, Any] = {}
    for place in set(b) | set(o) | set(t):
        if place in conflicts:
            want[place] = o.get(place, ABSENT) if side == "ours" else t.get(place, ABSENT)
        elif o.get(place, ABSENT) != b.get(place, ABSENT):
            want[place] = o.get(place, ABSENT)
        else:
            want[place] = t.get(place, ABSENT)
    assert collapsed(m) == collapsed(want)


@PROPERTY
@given(three_sides())
def test_edits_that_do_not_overlap_both_survive(
    sides: tuple[dict[str, Any], dict[str, Any], dict[str, Any]],
) -> None:
    base, ours, theirs = sides
    mine, others = changed(base, ours), changed(base, theirs)
    for _ in range(5):
        if not mine & others:
            break
        # Make them disjoint: take back every edit of theirs to a unit ours changed too.
        for place in sorted(mine & others):
            theirs = _set_unit(theirs, place, units(base).get(place, ABSENT))
        others = changed(base, theirs)
    assume(not mine & others)
    merged = three_way_merge(base, ours, theirs)
    assert merged.conflicts == []
    b, o, t = units(base), units(ours), units(theirs)
    want = {p: o.get(p, ABSENT) if p in mine else t.get(p, ABSENT) if p in others else b[p]
            for p in set(b) | mine | others}
    assert collapsed(units(merged.data)) == collapsed(want)


def _set_unit(data: dict[str, Any], place: Place, value: Any) -> dict[str, Any]:
    """``data`` with one unit set back to ``value`` (ABSENT: removed), where it stood."""
    data = copy.deepcopy(data)
    if not place.section:
        if value is ABSENT:
            data.pop(place.key, None)
        else:
            data[place.key] = value
        return data
    if place.section == "attributes":
        attributes = data.setdefault("attributes", {})
        if value is ABSENT:
            attributes.pop(place.key, None)
        else:
            attributes[place.key] = value
        return data
    items = data.setdefault(place.section, [])
    name = NAMES.get(place.section, "id")
    positions = [n for n, item in enumerate(items) if str(item[name]) == place.key]
    if place.occurrence < len(positions):
        at = positions[place.occurrence]
        if value is ABSENT:
            del items[at]
        else:
            items[at] = value
    elif value is not ABSENT:
        items.append(value)
    return data


@PROPERTY
@given(three_sides())
def test_a_side_that_changed_nothing_gives_the_other_side(
    sides: tuple[dict[str, Any], dict[str, Any], dict[str, Any]],
) -> None:
    base, ours, theirs = sides
    assert three_way_merge(base, ours, base).data == ours
    assert list(three_way_merge(base, ours, base).data) == list(ours)
    assert three_way_merge(base, base, theirs).data == theirs
    assert three_way_merge(base, base, theirs).conflicts == []


@PROPERTY
@given(three_sides())
def test_the_same_edit_on_both_sides_is_no_conflict(
    sides: tuple[dict[str, Any], dict[str, Any], dict[str, Any]],
) -> None:
    base, ours, _ = sides
    merged = three_way_merge(base, ours, copy.deepcopy(ours))
    assert merged.data == ours and merged.conflicts == []


@PROPERTY
@given(three_sides())
def test_the_merge_is_deterministic_keeps_the_files_order_and_changes_nothing_given(
    sides: tuple[dict[str, Any], dict[str, Any], dict[str, Any]],
) -> None:
    base, ours, theirs = sides
    before = copy.deepcopy((base, ours, theirs))
    merged = three_way_merge(base, ours, theirs)
    assert (base, ours, theirs) == before
    again = three_way_merge(*copy.deepcopy(before))
    assert repr(merged) == repr(again)
    # The elements that come from the file on disk stay in its order.
    t, m = units(theirs), list(units(merged.data))
    kept = [p for p in t if p in set(m)]
    assert [p for p in m if p in set(kept)] == kept


@PROPERTY
@given(three_sides())
def test_changes_name_every_unit_that_differs(sides: tuple[dict[str, Any], dict[str, Any], dict[str, Any]]) -> None:
    base, ours, _ = sides
    found = changes(base, ours)
    assert {c.place for c in found} == changed(base, ours)
    b, o = units(base), units(ours)
    for change in found:
        assert change.kind == ("added" if change.place not in b else "removed" if change.place not in o
                               else "changed")


# ---------------------------------------------------------------- examples


def test_an_edit_removed_on_the_other_side_is_a_conflict_and_either_side_can_win() -> None:
    base = sample(SAMPLES[0])
    ours = copy.deepcopy(base)
    ours["actors"][0]["name"] = "Renamed here"
    theirs = copy.deepcopy(base)
    gone = theirs["actors"].pop(0)
    merged = three_way_merge(base, ours, theirs)
    (conflict,) = merged.conflicts
    assert conflict.place == Place("actors", gone["id"]) and conflict.theirs is ABSENT
    assert merged.data["actors"][0]["name"] == "Renamed here"  # ours, until told otherwise
    dropped = three_way_merge(base, ours, theirs, {conflict.place: "theirs"})
    assert gone["id"] not in [a["id"] for a in dropped.data["actors"]]


def test_an_element_only_ours_has_goes_after_the_one_it_followed() -> None:
    base = {"actors": [{"id": "a"}, {"id": "b"}, {"id": "c"}]}
    ours = {"actors": [{"id": "a"}, {"id": "new"}, {"id": "b"}, {"id": "c"}]}
    theirs = {"actors": [{"id": "c"}, {"id": "a"}, {"id": "b"}, {"id": "d"}]}
    assert [a["id"] for a in three_way_merge(base, ours, theirs).data["actors"]] == ["c", "a", "new", "b", "d"]
    first = {"actors": [{"id": "new"}, {"id": "a"}, {"id": "b"}, {"id": "c"}]}
    assert three_way_merge(base, first, theirs).data["actors"][0]["id"] == "new"


def test_journeys_are_named_by_persona_and_place() -> None:
    base = {"journeys": [{"persona": "amal", "steps": []}, {"persona": "yonas", "steps": []}]}
    ours = {"journeys": [{"persona": "amal", "steps": [], "note": "mine"}, {"persona": "yonas", "steps": []}]}
    theirs = {"journeys": [{"persona": "amal", "steps": []}, {"persona": "yonas", "steps": [], "note": "theirs"},
                           {"persona": "amal", "steps": [], "note": "second"}]}
    merged = three_way_merge(base, ours, theirs)
    assert merged.conflicts == []
    assert [j.get("note") for j in merged.data["journeys"]] == ["mine", "theirs", "second"]


@pytest.mark.parametrize("value", [1, 1.0])
def test_true_is_not_one(value: float) -> None:
    merged = three_way_merge({"x": True}, {"x": value}, {"x": True})
    assert merged.data["x"] == value and type(merged.data["x"]) is type(value)
