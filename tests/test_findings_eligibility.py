"""Findings of the eligibility family: coverage gaps and conflicting rules, on small hand-written cases.

For each kind, cases that have the finding (marked ``finds``) and near misses that look
alike but must not have it (marked ``near_miss``); ``test_kinds.py`` checks that every
kind has both.
"""

from __future__ import annotations

from typing import Any

import pytest

from kafka_tool.analysis.regions import region_slug
from kafka_tool.model import Case
from tests.case_builder import AGE, build, kinds, names_all, only, persona, rule, tp

# ---------------------------------------------------------------- coverage_gap


def gap_case(first: dict[str, Any], second: dict[str, Any], **persona_attributes: Any) -> Case:
    attributes = {**AGE, "income": {"type": "number", "min": 0, "max": 10000}}
    return build(
        [
            tp("youth_desk", "youth_care", rules=["first"], produces=["support"]),
            tp("adult_desk", "town", rules=["second"], produces=["support"]),
        ],
        [persona("noa", goals=["support"], **({"age": 18, "income": 1500} | persona_attributes))],
        rules=[rule("first", owner="youth_care", when=first), rule("second", owner="ministry", when=second)],
        attributes=attributes,
    )


@pytest.mark.finds("coverage_gap")
def test_coverage_gap_between_boundaries_one_apart_is_exactly_that_age() -> None:
    case = gap_case({"age": {"max": 17}}, {"age": {"min": 19}})
    finding = only(case, "coverage_gap")
    region = {"age": {"min": 18, "max": 18}}
    assert finding.region == region
    assert finding.id == f"coverage_gap/support/{region_slug(region)}"
    assert finding.severity == "critical"
    assert finding.personas == ("noa",)
    assert set(finding.rules) == {"first", "second"}
    assert {"support", "youth_desk", "adult_desk"} <= set(finding.nodes)
    assert set(finding.actors) == {"youth_care", "town", "ministry"}
    names_all(finding.explanation, "Youth Care Office", "Ministry Office", "18")


@pytest.mark.finds("coverage_gap")
def test_coverage_gap_leaves_out_personas_outside_the_gap() -> None:
    case = gap_case({"age": {"max": 17}}, {"age": {"min": 19}}, age=30)
    assert only(case, "coverage_gap").personas == ()


@pytest.mark.near_miss("coverage_gap")
@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"age": {"max": 17}}, {"age": {"min": 18}}),
        ({"income": {"below": 1500}}, {"income": {"min": 1500}}),
        ({"income": {"max": 1500}}, {"income": {"above": 1500}}),
        ({"income": {"max": 1500}}, {"income": {"min": 1500}}),
    ],
)
def test_no_coverage_gap_where_boundaries_meet(first: dict[str, Any], second: dict[str, Any]) -> None:
    assert kinds(gap_case(first, second), "coverage_gap") == {}


@pytest.mark.finds("coverage_gap")
@pytest.mark.parametrize(
    ("first", "second", "region", "hit"),
    [
        ({"income": {"below": 1500}}, {"income": {"above": 1500}}, {"income": {"min": 1500, "max": 1500}}, True),
        ({"income": {"max": 1200}}, {"income": {"min": 1500}}, {"income": {"above": 1200, "below": 1500}}, False),
    ],
)
def test_coverage_gap_between_open_and_closed_number_boundaries(
    first: dict[str, Any], second: dict[str, Any], region: dict[str, Any], hit: bool
) -> None:
    finding = only(gap_case(first, second), "coverage_gap")
    assert finding.region == region
    assert finding.id == f"coverage_gap/support/{region_slug(region)}"
    assert finding.personas == (("noa",) if hit else ())


@pytest.mark.near_miss("coverage_gap")
def test_no_coverage_gap_when_a_producer_serves_everyone() -> None:
    case = build(
        [tp("youth_desk", rules=["minors"], produces=["support"]), tp("open_desk", produces=["support"])],
        [persona("noa", goals=["support"], age=18)],
        rules=[rule("minors", when={"age": {"max": 17}})],
        attributes=AGE,
    )
    assert kinds(case, "coverage_gap") == {}


# ---------------------------------------------------------------- conflicting_rules


@pytest.mark.finds("conflicting_rules")
def test_conflicting_rules_on_one_touchpoint() -> None:
    case = build(
        [tp("desk", "town", rules=["adults", "minors"], produces=["g"])],
        [persona("p", goals=["g"], age=30)],
        rules=[
            rule("adults", owner="ministry", when={"age": {"min": 18}}),
            rule("minors", owner="province", when={"age": {"max": 17}}),
        ],
        attributes=AGE,
    )
    finding = only(case, "conflicting_rules")
    assert finding.id == "conflicting_rules/adults+minors"
    assert finding.severity == "high"
    assert finding.rules == ("adults", "minors")
    assert "desk" in finding.nodes
    assert set(finding.actors) == {"town", "ministry", "province"}
    names_all(finding.explanation, "Ministry Office", "Province Office", "Rule adults", "Rule minors")


@pytest.mark.finds("conflicting_rules")
def test_declared_conflict() -> None:
    case = build(
        [tp("desk", rules=["debts_first"], produces=["g"])],
        [persona("p", goals=["g"])],
        rules=[
            rule("debts_first", owner="ministry", conflicts_with=["care_first"]),
            rule("care_first", owner="province", conflicts_with=["debts_first"]),
        ],
    )
    finding = only(case, "conflicting_rules")
    assert finding.id == "conflicting_rules/care_first+debts_first"
    assert set(finding.actors) >= {"ministry", "province"}
    names_all(finding.explanation, "Ministry Office", "Province Office")


def conflict_on_the_way(*extra: dict[str, Any]) -> Case:
    return build(
        [
            tp("adult_desk", "town", rules=["adults"], produces=["x"]),
            tp("minor_desk", "school", rules=["minors"], requires=["x"], produces=["g"]),
            *extra,
        ],
        [persona("p", goals=["g"], age=30)],
        rules=[
            rule("adults", owner="ministry", when={"age": {"min": 18}}),
            rule("minors", owner="province", when={"age": {"max": 17}}),
        ],
        attributes=AGE,
    )


@pytest.mark.finds("conflicting_rules")
def test_conflicting_rules_on_the_only_way_to_a_goal() -> None:
    finding = only(conflict_on_the_way(), "conflicting_rules")
    assert finding.id == "conflicting_rules/adults+minors"
    assert {"adult_desk", "minor_desk", "g"} <= set(finding.nodes)
    names_all(finding.explanation, "Doc g", "Ministry Office", "Province Office")


@pytest.mark.near_miss("conflicting_rules")
def test_no_conflicting_rules_on_different_touchpoints_with_an_alternative() -> None:
    case = conflict_on_the_way(tp("open_desk", "town", produces=["x"]))
    assert kinds(case, "conflicting_rules") == {}


@pytest.mark.near_miss("conflicting_rules")
def test_no_conflicting_rules_when_rules_can_hold_together() -> None:
    case = build(
        [tp("desk", rules=["adults", "young"], produces=["g"])],
        [persona("p", goals=["g"], age=20)],
        rules=[rule("adults", when={"age": {"min": 18}}), rule("young", when={"age": {"max": 27}})],
        attributes=AGE,
    )
    assert kinds(case, "conflicting_rules") == {}




@pytest.mark.finds("coverage_gap")
def test_coverage_gap_ignores_a_producer_nobody_is_responsible_for() -> None:
    # The adult desk has no actor: it serves nobody, so adults fall in a gap.
    case = build(
        [
            tp("youth_desk", rules=["minors"], produces=["support"]),
            tp("adult_desk", actor=None, produces=["support"]),
        ],
        [persona("ann", goals=["support"], age=30)],
        rules=[rule("minors", when={"age": {"max": 17}})],
        attributes={"age": {"type": "integer", "min": 0, "max": 120}},
    )
    gap = only(case, "coverage_gap")
    assert gap.region == {"age": {"min": 18, "max": 120}}
    assert gap.personas == ("ann",)


@pytest.mark.finds("conflicting_rules")
def test_conflicting_rules_on_the_only_way_are_not_hidden_by_a_document_nobody_issues() -> None:
    # The goal desk needs d (only from a desk for minors) and x, which nobody issues: the rule
    # conflict stands whatever becomes of x, so an intervention that issues x does not "introduce" it.
    touchpoints = [
        tp("t2", rules=["adult"], requires=["d", "x"], produces=["g"]),
        tp("td", rules=["minor"], produces=["d"]),
    ]
    rules = [rule("adult", when={"age": {"min": 18}}), rule("minor", when={"age": {"max": 17}})]
    age = {"age": {"type": "integer", "min": 0, "max": 120}}
    case = build(touchpoints, [persona("p", goals=["g"], age=30)], rules=rules, attributes=age)
    assert set(kinds(case, "conflicting_rules")) == {"conflicting_rules/adult+minor"}
    assert "unobtainable_document/x" in kinds(case, "unobtainable_document")
    issued = build([*touchpoints, tp("tx", produces=["x"])], [persona("p", goals=["g"], age=30)],
                   rules=rules, attributes=age)
    assert set(kinds(issued, "conflicting_rules")) == {"conflicting_rules/adult+minor"}


@pytest.mark.finds("conflicting_rules")
def test_conflicting_rules_on_the_only_way_are_checked_for_each_stuck_persona() -> None:
    # old holds d and skips the first desk; amy must pass both desks, whose rules exclude each other.
    case = build(
        [
            tp("gw1", rules=["thirty_plus"], produces=["d"]),
            tp("gw2", rules=["twenty_or_less"], requires=["d"], produces=["goal"]),
        ],
        [persona("old", goals=["goal"], has=["d"], age=18), persona("amy", goals=["goal"], age=25)],
        rules=[rule("thirty_plus", when={"age": {"min": 30}}), rule("twenty_or_less", when={"age": {"max": 20}})],
        attributes={"age": {"type": "integer", "min": 0, "max": 120}},
    )
    found = kinds(case, "conflicting_rules")
    assert "conflicting_rules/thirty_plus+twenty_or_less" in found


# ---------------------------------------------------------------- independent of the file's order

P4 = """\
format: kafka-case/1
id: p4
title: three rules on the only way
attributes: {age: {type: integer, min: 0, max: 120}}
actors: [{id: a, name: A, kind: municipality}, {id: b, name: B, kind: ministry}]
documents: [{id: x, name: X}, {id: da, name: DA}, {id: db, name: DB}, {id: dc, name: DC}, {id: goal, name: Goal}]
rules:
  - {id: r1, name: R1, owner: a, when: {age: {min: 18}}}
  - {id: r2, name: R2, owner: b, when: {age: {max: 17}}}
  - {id: r3, name: R3, owner: b, when: {age: {max: 10}}}
touchpoints:
  - {id: zz, name: ZZ, actor: b, rules: [r3], requires: [x], produces: [dc]}
  - {id: aa, name: AA, actor: a, rules: [r1], requires: [x], produces: [da]}
  - {id: kk, name: KK, actor: b, rules: [r2], requires: [x], produces: [db]}
  - {id: g, name: G, actor: a, requires: [da, db, dc], produces: [goal]}
personas: [{id: p, name: P, attributes: {age: 30}, has: [x], goals: [goal]}]
"""


def test_the_conflict_on_the_only_way_does_not_follow_the_order_the_file_lists_the_desks_in() -> None:
    from kafka_tool.analysis.engine import analyze
    from kafka_tool.loader import load_case_text

    case = load_case_text(P4)
    shuffled = case.model_copy(update={"touchpoints": list(reversed(case.touchpoints))})
    ids = [sorted(f.id for f in analyze(c).findings if f.kind == "conflicting_rules") for c in (case, shuffled)]
    assert ids[0] == ids[1] == ["conflicting_rules/r1+r3"]  # the desks tried by id: aa, kk, zz
