"""Attributes that grow with time: the persona followed forward (``ahead``) and ``transition_gap``.

Cases that have a transition gap (marked ``finds``) and near misses (``near_miss``): a
persona of 17 for whom another desk takes over at 18, a goal out of reach already now, a
boundary past the horizon.
"""

from __future__ import annotations

from typing import Any

import pytest

from kafka_tool.analysis.engine import analyze
from kafka_tool.report import findings_json
from tests.case_builder import build, kinds, names_all, only, persona, rule, tp

AGE = {"age": {"type": "integer", "min": 0, "max": 120, "per_year": 1}}


def _turning_18(*, adult_from: int | None = 23, age: int = 17, **case: Any) -> Any:
    desks = [tp("youth_home", "youth_care", rules=["youth_act"], produces=["housing"])]
    rules = [rule("youth_act", when={"age": {"max": 17}})]
    if adult_from is not None:
        desks.append(tp("wmo", "town", rules=["wmo_adults"], produces=["housing"]))
        rules.append(rule("wmo_adults", owner="town", when={"age": {"min": adult_from}}))
    return build(desks, [persona("jayden", goals=["housing"], age=age)], rules=rules,
                 attributes=case.pop("attributes", AGE), **case)


@pytest.mark.finds("transition_gap")
def test_transition_gap_when_youth_care_stops_at_18_and_adult_care_starts_at_23() -> None:
    case = _turning_18()
    finding = only(case, "transition_gap")
    assert finding.id == "transition_gap/jayden/housing/age-18"
    assert finding.severity == "critical"
    assert finding.region == {"age": {"min": 18, "max": 22}}
    assert finding.personas == ("jayden",)
    assert finding.nodes[0] == "housing"
    assert set(finding.rules) == {"youth_act", "wmo_adults"}  # the boundaries that open and close it
    names_all(finding.explanation, "age 18", "within a year", "until age 23", "5 years later", "Desk wmo")
    ahead = findings_json(analyze(case))["personas"][0]["ahead"]
    assert ahead == [{"in_years": 1, "attributes": {"age": 18}, "goals_reachable": {"housing": False}},
                     {"in_years": 6, "attributes": {"age": 23}, "goals_reachable": {"housing": True}}]


def test_one_desk_takes_over_two_desks_take_over_and_one_year_is_singular() -> None:
    one = only(_turning_18(adult_from=19), "transition_gap")
    assert "until age 19, 1 year later, when Desk wmo takes over." in one.explanation
    dutch = next(f for f in analyze(_turning_18(adult_from=19), language="nl").findings
                 if f.kind == "transition_gap")
    assert "tot age 19, 1 jaar later, als Desk wmo het overneemt." in dutch.explanation
    # Two desks that start at 23: the verb agrees with both.
    desks = [tp("youth_home", "youth_care", rules=["youth_act"], produces=["housing"]),
             tp("wmo", "town", rules=["adults"], produces=["housing"]),
             tp("shelter", "town", rules=["adults"], produces=["housing"])]
    rules = [rule("youth_act", when={"age": {"max": 17}}), rule("adults", owner="town", when={"age": {"min": 23}})]
    two = build(desks, [persona("jayden", goals=["housing"], age=17)], rules=rules, attributes=AGE)
    finding = only(two, "transition_gap")
    assert "5 years later, when Desk wmo and Desk shelter take over." in finding.explanation
    said = next(f for f in analyze(two, language="nl").findings if f.kind == "transition_gap")
    assert "5 jaar later, als Desk wmo en Desk shelter het overnemen." in said.explanation


@pytest.mark.finds("transition_gap")
def test_a_gap_that_nothing_closes_lasts_to_the_horizon() -> None:
    case = _turning_18(adult_from=None, horizon_years=4)
    finding = only(case, "transition_gap")
    assert finding.region == {"age": {"min": 18, "max": 21}}  # 17 now, four years ahead
    names_all(finding.explanation, "nothing takes over in the 4 years ahead")


@pytest.mark.near_miss("transition_gap")
def test_no_gap_when_another_desk_takes_over_at_18() -> None:
    case = _turning_18(adult_from=18)
    assert not kinds(case, "transition_gap")
    moments = analyze(case).views["jayden"].ahead
    assert [(m.in_years, m.attributes, m.goals_reachable) for m in moments] == [
        (1, {"age": 18}, {"housing": True})]


@pytest.mark.near_miss("transition_gap")
def test_a_goal_out_of_reach_now_is_not_lost_later() -> None:
    case = _turning_18(age=19)  # already in the gap: unreachable now, regained at 23
    assert not kinds(case, "transition_gap")
    assert kinds(case, "unreachable_goal")
    assert [m.attributes["age"] for m in analyze(case).views["jayden"].ahead] == [23]


@pytest.mark.near_miss("transition_gap")
def test_a_boundary_beyond_the_horizon_is_not_looked_at_and_one_on_it_is() -> None:
    assert not kinds(_turning_18(age=12, horizon_years=5), "transition_gap")  # 18 is six years away
    assert kinds(_turning_18(age=12, horizon_years=6), "transition_gap")


@pytest.mark.near_miss("transition_gap")
def test_an_attribute_without_per_year_does_not_grow() -> None:
    case = _turning_18(attributes={"age": {"type": "integer", "min": 0, "max": 120}})
    assert not kinds(case, "transition_gap")
    assert analyze(case).views["jayden"].ahead == ()


def _aftercare(in_care: bool) -> Any:
    attributes = {"age": {"type": "integer", "min": 0, "max": 120, "per_year": 1},
                  "months_out": {"type": "integer", "min": 0, "max": 600, "per_year": 12,
                                 "while": {"in_care": False}},
                  "in_care": {"type": "boolean"}}
    return build([tp("aftercare", "town", rules=["aftercare_rule"], produces=["support"])],
                 [persona("sam", goals=["support"], age=18, months_out=3, in_care=in_care)],
                 rules=[rule("aftercare_rule", owner="town",
                             when={"age": {"max": 20}, "months_out": {"max": 17}})],
                 attributes=attributes)


def test_ahead_follows_attributes_that_grow_at_different_rates_together() -> None:
    view = analyze(_aftercare(in_care=False)).views["sam"]
    assert [(m.in_years, m.attributes) for m in view.ahead] == [
        (1.25, {"age": 19, "months_out": 18}),  # months out reach 18 after 15 months; age is 19 by then
        (3, {"age": 21, "months_out": 39}),
    ]
    assert [m.goals_reachable["support"] for m in view.ahead] == [False, False]
    finding = only(_aftercare(in_care=False), "transition_gap")
    assert finding.id == "transition_gap/sam/support/months_out-18"
    assert finding.region == {"age": {"min": 19, "max": 28}, "months_out": {"min": 18, "max": 123}}


def test_an_attribute_grows_only_while_its_condition_holds() -> None:
    view = analyze(_aftercare(in_care=True)).views["sam"]
    assert [(m.in_years, m.attributes) for m in view.ahead] == [(3, {"age": 21})]  # months out stay at 3
    assert kinds(_aftercare(in_care=True), "transition_gap")


def test_a_number_attribute_loses_a_goal_just_after_a_maximum() -> None:
    attributes = {"savings": {"type": "number", "min": 0, "max": 100000, "per_year": 2000}}
    case = build([tp("allowance", "town", rules=["asset_test"], produces=["help"])],
                 [persona("kim", goals=["help"], savings=3000)],
                 rules=[rule("asset_test", owner="town", when={"savings": {"max": 7500}})], attributes=attributes)
    view = analyze(case).views["kim"]
    assert [(m.in_years, m.attributes, m.after, m.goals_reachable) for m in view.ahead] == [
        (2.25, {"savings": 7500}, True, {"help": False})]
    finding = only(case, "transition_gap")
    assert finding.region == {"savings": {"above": 7500, "max": 23000}}
    names_all(finding.explanation, "in 2.25 years")


def _passing(horizon: float | None = None) -> Any:
    """A number attribute that grows 12 a year from 6: one desk up to 18, another above 30."""
    attributes = {"m": {"type": "number", "min": 0, "max": 600, "per_year": 12}}
    extra = {} if horizon is None else {"horizon_years": horizon}
    return build([tp("ta", "town", rules=["ra"], produces=["support"]),
                  tp("tb", "town", rules=["rb"], produces=["support"])],
                 [persona("p", goals=["support"], m=6)],
                 rules=[rule("ra", owner="town", when={"m": {"max": 18}}),
                        rule("rb", owner="town", when={"m": {"above": 30}})], attributes=attributes, **extra)


@pytest.mark.finds("transition_gap")
def test_a_moment_just_past_a_value_says_so_in_the_json_and_the_words() -> None:
    """At m 18 the first desk still helps; the goal is lost just past it, and regained just past 30."""
    case = _passing()
    assert findings_json(analyze(case))["personas"][0]["ahead"] == [
        {"in_years": 1, "attributes": {"m": 18}, "goals_reachable": {"support": False}, "after": True},
        {"in_years": 2, "attributes": {"m": 30}, "goals_reachable": {"support": True}, "after": True}]
    finding = only(case, "transition_gap")
    assert finding.region == {"m": {"above": 18, "max": 30}}
    assert finding.title == "P loses Doc support at m above 18"
    names_all(finding.explanation, "At m above 18 (in a year)", "until m above 30, 1 year later")
    dutch = next(f for f in analyze(case, language="nl").findings if f.kind == "transition_gap")
    assert dutch.title == "P verliest Doc support bij m boven 18"
    names_all(dutch.explanation, "Bij m boven 18 (over een jaar)")


@pytest.mark.near_miss("transition_gap")
def test_a_goal_lost_just_past_a_value_reached_at_the_horizon_is_beyond_it() -> None:
    assert not kinds(_passing(horizon=1), "transition_gap")  # m is 18 at the horizon: still served
    assert kinds(_passing(horizon=1.5), "transition_gap")


def test_a_horizon_of_one_year_is_said_in_the_singular() -> None:
    case = _turning_18(adult_from=None, horizon_years=1)
    names_all(only(case, "transition_gap").explanation, "within a year", "nothing takes over in the year ahead")
    dutch = next(f for f in analyze(case, language="nl").findings if f.kind == "transition_gap")
    names_all(dutch.explanation, "in het jaar daarna neemt niets het over")


P3 = """\
format: kafka-case/1
id: p3
title: two desks give the goal until 18
attributes: {age: {type: integer, min: 0, max: 120, per_year: 1}}
actors: [{id: a, name: A, kind: municipality}, {id: b, name: B, kind: ministry}, {id: c, name: C, kind: ngo}]
documents: [{id: x, name: X}, {id: y, name: Y}, {id: w0, name: W0}, {id: w1, name: W1}, {id: nope, name: Nope},
            {id: goal, name: Goal}]
rules: [{id: young, name: Young, owner: c, when: {age: {max: 17}}}]
touchpoints:
  - {id: s, name: S, actor: c, requires: [x], produces: [y], days: 10}
  - {id: u0, name: U0, actor: c, requires: [x], produces: [w0]}
  - {id: g1, name: G1, actor: a, rules: [young], requires: [y], produces: [goal]}
  - {id: u1, name: U1, actor: c, requires: [w0], produces: [w1]}
  - {id: g2, name: G2, actor: b, rules: [young], requires: [w1], produces: [goal]}
  - {id: wd, name: WD, actor: c, requires: [{doc: nope, within_days: 5}], produces: [goal]}
personas: [{id: p, name: P, attributes: {age: 17}, has: [x], goals: [goal]}]
"""


def test_who_could_change_a_transition_gap_is_in_case_order_whichever_way_the_walk_goes_first() -> None:
    """G2 is reached first (no days on its way), G1 ten days later; a desk with a window that
    never opens makes the walk go by days. The givers are named in case order either way."""
    from kafka_tool.loader import load_case_text

    timed = load_case_text(P3)
    plain = timed.model_copy(update={"touchpoints": [t for t in timed.touchpoints if t.id != "wd"]})
    for case in (timed, plain):
        gap = only(case, "transition_gap")
        assert gap.actors[:2] == ("a", "b")
        assert "A, B and C" in gap.explanation
