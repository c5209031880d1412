"""Property tests of outcomes, conditional items, ``when_any`` and coverage gaps over the whole way.

Small random cases over three small attributes (a flag, a number 0..3, a category of two
values: 16 points in all) with every construct of "Outcomes and conditions": outcomes
given only to some, requirement items asked only of some, rules with ``when_any``. The
oracles are naive: for each of the 16 points, scan every touchpoint until nothing
changes; the reach region of a goal is the set of points at which a citizen who starts
with every document nobody issues obtains it.
"""

from __future__ import annotations

from itertools import product
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kafka_tool.analysis.engine import analyze
from kafka_tool.analysis.graph import CaseIndex
from kafka_tool.analysis.personas import persona_view
from kafka_tool.analysis.regions import meets, region_to_when
from kafka_tool.loader import validate_data
from kafka_tool.model import (
    Case,
    Touchpoint,
    produced_document,
    produced_when,
    requirement_alternatives,
    requirement_when,
)
from tests.profiles import examples

SETTINGS = settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])

ATTRIBUTES = {
    "flag": {"type": "boolean"},
    "n": {"type": "integer", "min": 0, "max": 3},
    "c": {"type": "category", "values": ["x", "y"]},
}
POINTS = [{"flag": f, "n": n, "c": c} for f, n, c in product((False, True), range(4), ("x", "y"))]


@st.composite
def whens(draw: st.DrawFn) -> dict[str, Any]:
    """A condition on up to all three attributes."""
    when: dict[str, Any] = {}
    if draw(st.booleans()):
        when["flag"] = draw(st.booleans())
    if draw(st.booleans()):
        low = draw(st.integers(0, 2))
        when["n"] = draw(st.sampled_from([{"min": low + 1}, {"max": low}, {"above": low}, {"below": low + 1},
                                          {"min": low, "max": draw(st.integers(low, 3))}]))
    if draw(st.booleans()):
        when["c"] = {"in": [draw(st.sampled_from(["x", "y"]))]}
    return when


@st.composite
def rich_cases(draw: st.DrawFn) -> Case:
    """Up to 5 documents and 6 touchpoints with outcomes, conditional items and ``when_any`` rules."""
    docs = [f"d{i}" for i in range(draw(st.integers(1, 5)))]
    rules = []
    for r in range(draw(st.integers(0, 3))):
        rule: dict[str, Any] = {"id": f"r{r}", "name": f"R{r}", "owner": "a0", "when": draw(whens())}
        if draw(st.booleans()):
            rule["when_any"] = draw(st.lists(whens(), min_size=1, max_size=2))
        rules.append(rule)
    touchpoints = []
    for t in range(draw(st.integers(0, 6))):
        requires: list[Any] = []
        for _ in range(draw(st.integers(0, 2))):
            alternatives = draw(st.lists(st.sampled_from(docs), min_size=1, max_size=2, unique=True))
            item: dict[str, Any] = {"any_of": alternatives} if len(alternatives) > 1 else {"doc": alternatives[0]}
            if draw(st.booleans()):
                item["when"] = draw(whens())
            requires.append(item if len(item) > 1 or "any_of" in item else alternatives[0])
        produces: list[Any] = []
        for doc in draw(st.lists(st.sampled_from(docs), max_size=2, unique=True)):
            produces.append({"doc": doc, "when": draw(whens())} if draw(st.booleans()) else doc)
        entry: dict[str, Any] = {"id": f"t{t}", "name": f"T{t}", "requires": requires, "produces": produces}
        if draw(st.integers(0, 5)):
            entry["actor"] = "a0"
        if rules:
            entry["rules"] = draw(st.lists(st.sampled_from([r["id"] for r in rules]), max_size=2, unique=True))
        touchpoints.append(entry)
    personas = [
        {"id": f"p{i}", "name": f"P{i}", "attributes": draw(st.sampled_from(POINTS)),
         "has": draw(st.lists(st.sampled_from(docs), max_size=2, unique=True)),
         "goals": draw(st.lists(st.sampled_from(docs), min_size=1, max_size=2, unique=True))}
        for i in range(draw(st.integers(1, 3)))
    ]
    data = {"format": "kafka-case/1", "id": "rich", "title": "Rich", "attributes": ATTRIBUTES,
            "actors": [{"id": "a0", "name": "A0"}], "documents": [{"id": d, "name": d.upper()} for d in docs],
            "rules": rules, "touchpoints": touchpoints, "personas": personas}
    case, issues = validate_data(data)
    assert not issues, issues
    assert case is not None
    return case


# ---------------------------------------------------------------- naive oracles


def holds(case: Case, when: Any, point: dict[str, Any]) -> bool:
    return meets(case.attributes, when or {}, point)


def usable(case: Case, tp: Touchpoint, point: dict[str, Any]) -> bool:
    """An actor, and every rule: its ``when`` and one of its ``when_any``."""
    if tp.actor is None:
        return False
    for rule_id in tp.rules:
        rule = case.rule(rule_id)
        assert rule is not None
        if not holds(case, rule.when, point):
            return False
        if rule.when_any and not any(holds(case, w, point) for w in rule.when_any):
            return False
    return True


def asked_and_met(case: Case, tp: Touchpoint, point: dict[str, Any], held: set[str]) -> bool:
    return all(set(requirement_alternatives(item)) & held for item in tp.requires
               if requirement_when(item) is None or holds(case, requirement_when(item), point))


def given_to(case: Case, tp: Touchpoint, point: dict[str, Any]) -> set[str]:
    return {produced_document(p) for p in tp.produces
            if produced_when(p) is None or holds(case, produced_when(p), point)}


def naive_obtainable(case: Case, point: dict[str, Any], has: set[str]) -> set[str]:
    held = set(has)
    changed = True
    while changed:
        changed = False
        for tp in case.touchpoints:
            gives = given_to(case, tp, point)
            if usable(case, tp, point) and asked_and_met(case, tp, point, held) and not gives <= held:
                held |= gives
                changed = True
    return held


def brought(case: Case) -> set[str]:
    """Every document no touchpoint produces: what people bring from outside."""
    made = {produced_document(p) for tp in case.touchpoints for p in tp.produces}
    return {d.id for d in case.documents} - made


# ---------------------------------------------------------------- properties


@SETTINGS
@given(rich_cases())
def test_a_persona_obtains_exactly_what_naive_iteration_at_its_point_gives(case: Case) -> None:
    index = CaseIndex.build(case)
    for persona in case.personas:
        view = persona_view(index, persona)
        assert set(view.obtainable) == naive_obtainable(case, persona.attributes, set(persona.has))


@SETTINGS
@given(rich_cases())
def test_coverage_gaps_are_the_points_outside_the_reach_region_through_the_whole_case(case: Case) -> None:
    findings = [f for f in analyze(case).findings if f.kind == "coverage_gap"]
    start = brought(case)
    for goal in sorted({g for p in case.personas for g in p.goals}):
        reached = [point for point in POINTS if goal in naive_obtainable(case, point, start)]
        regions = [f for f in findings if f.id.startswith(f"coverage_gap/{goal}/")]
        if not reached:
            assert not regions, "a goal nobody can obtain anywhere gives no gap"
            continue
        for point in POINTS:
            inside = [f for f in regions if holds(case, region_to_when(f.region or {}), point)]
            # Every point outside the reach region lies in exactly one gap region, and no other does.
            assert len(inside) == (0 if point in reached else 1), (goal, point, [f.id for f in inside])
        for finding in regions:
            assert not finding.facts["caps"]
            when = region_to_when(finding.region or {})
            assert list(finding.personas) == [p.id for p in case.personas
                                              if goal in p.goals and holds(case, when, p.attributes)]
            # The rules named each keep some point of the region out.
            for rule_id in finding.rules:
                rule = case.rule(rule_id)
                assert rule is not None
                assert any(not (holds(case, rule.when, point)
                                and (not rule.when_any or any(holds(case, w, point) for w in rule.when_any)))
                           for point in POINTS if holds(case, when, point))
