"""Coverage gaps on cases that cut the attribute space into very many pieces.

The gap of a goal whose producers restrict different attributes can need
exponentially many regions; the analysis then stops at its documented
limits (:mod:`kafka_tool.analysis.eligibility`) and says in each finding
which limit cut it and its value. These tests assert on the results, not on
time: what is reported is true, the counters stay within their limits, and
near misses report nothing.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from kafka_tool.analysis import eligibility
from kafka_tool.analysis.engine import analyze
from kafka_tool.analysis.regions import Cap, WorkBudget, coverage_gaps, meets
from kafka_tool.findings import Finding
from kafka_tool.loader import load_case, validate_data
from kafka_tool.model import Case

ROOT = Path(__file__).resolve().parent.parent


def many_attributes(n_goals: int = 1, producers: int = 20, seed: int = 24, language: str = "en") -> Case:
    """24 attributes of every type; per goal ``producers`` desks, each under one rule with random bounds."""
    rng = random.Random(seed)
    attributes: dict[str, Any] = {}
    for a in range(24):
        kind = ("integer", "number", "category", "boolean")[a % 4]
        if kind in ("integer", "number"):
            attributes[f"a{a:02d}"] = {"type": kind, "min": 0, "max": 100}
        elif kind == "category":
            attributes[f"a{a:02d}"] = {"type": "category", "values": ["v0", "v1", "v2", "v3"]}
        else:
            attributes[f"a{a:02d}"] = {"type": "boolean"}

    def condition(name: str) -> Any:
        kind = attributes[name]["type"]
        if kind == "boolean":
            return rng.random() < 0.5
        if kind == "category":
            return {"in": sorted(rng.sample(["v0", "v1", "v2", "v3"], rng.randint(1, 3)))}
        low = rng.randint(0, 60)
        high = rng.randint(low + 1, 100)
        return {"min": low, "max": high} if kind == "integer" else {"above": low, "below": high}

    rules, touchpoints = [], []
    for g in range(n_goals):
        for p in range(producers):
            rule = f"r{g:02d}_{p:02d}"
            when = {name: condition(name) for name in sorted(rng.sample(list(attributes), rng.randint(2, 5)))}
            rules.append({"id": rule, "name": f"Rule {rule}", "owner": "ministry", "when": when})
            touchpoints.append({"id": f"desk_{g:02d}_{p:02d}", "name": f"Desk {g}.{p}", "actor": "agency",
                                "rules": [rule], "produces": [f"goal_{g:02d}"]})
    data = {
        "format": "kafka-case/1", "id": "many-attributes", "title": "Many attributes", "language": language,
        "attributes": attributes,
        "actors": [{"id": "agency", "name": "Agency"}, {"id": "ministry", "name": "Ministry"}],
        "documents": [{"id": f"goal_{g:02d}", "name": f"Goal {g}"} for g in range(n_goals)],
        "rules": rules, "touchpoints": touchpoints,
        "personas": [{"id": "p", "name": "P", "goals": [f"goal_{g:02d}" for g in range(n_goals)],
                      "attributes": {name: _low_value(spec) for name, spec in attributes.items()}}],
    }
    case, issues = validate_data(data)
    assert case is not None, issues
    return case


def _low_value(spec: dict[str, Any]) -> Any:
    if spec["type"] == "boolean":
        return False
    if spec["type"] == "category":
        return spec["values"][0]
    return spec["min"]


def a_point_in(case: Case, region: dict[str, Any]) -> dict[str, Any]:
    """A point of the region (read from the JSON, independently of the algebra)."""
    point: dict[str, Any] = {}
    for name, attribute in case.attributes.items():
        value = region.get(name)
        spec = attribute.model_dump()
        if value is None:
            point[name] = _low_value(spec)
        elif isinstance(value, bool):
            point[name] = value
        elif "in" in value:
            point[name] = value["in"][0]
        elif "min" in value:
            point[name] = value["min"]
        else:  # {above: a, below/max: b}: the middle
            high = value.get("max", value.get("below"))
            point[name] = (value["above"] + high) / 2
    return point


def served(case: Case, goal: str, point: dict[str, Any]) -> bool:
    rules = {r.id: r for r in case.rules}
    return any(
        all(meets(case.attributes, rules[r].when, point) for r in tp.rules)
        for tp in case.touchpoints
        if goal in tp.produces and tp.actor
    )


def gaps_of(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.kind == "coverage_gap"]


def test_a_large_case_finishes_and_says_which_limit_cut_it() -> None:
    case = many_attributes()
    findings = gaps_of(analyze(case).findings)
    assert 0 < len(findings) <= eligibility.GAP_REGIONS_PER_GOAL
    work = ("(the search for gaps stopped at its work limit of 150,000 box operations per goal: "
            "more gap regions may exist, and a region shown may reach further)")
    assert "150,000 box operations per goal" in work
    listed = (f"(only the first {len(findings):,} gap regions are listed, the most listed per goal; "
              "there are more)")
    for finding in findings:
        # The work ran out first; the list may have been cut as well, and then says so too.
        assert finding.evidence in ((work,), (work, listed))
        assert finding.region is not None
    # What is listed is true: no desk serves a point of any region shown.
    for finding in findings[:: max(1, len(findings) // 40)]:
        assert finding.region is not None
        assert not served(case, "goal_00", a_point_in(case, finding.region)), finding.region


def test_the_limit_is_said_in_the_language_of_the_case() -> None:
    findings = gaps_of(analyze(many_attributes(language="nl")).findings)
    assert findings
    assert findings[0].evidence[0] == (
        "(het zoeken naar gaten stopte bij de grens van 150.000 rekenstappen per doel. "
        "Er kunnen meer gaten zijn, en een gat dat hier staat kan groter zijn)")
    assert "grens van 150.000 rekenstappen" in findings[0].evidence[0]


def test_the_work_counter_stays_within_its_budget() -> None:
    case = many_attributes()
    rules = {r.id: r.when for r in case.rules}
    producers = [[rules[r] for r in tp.rules] for tp in case.touchpoints]
    budget = WorkBudget(eligibility.GAP_WORK_PER_GOAL)
    regions, caps = coverage_gaps(case.attributes, producers, budget=budget)
    assert caps[0] == Cap("work", eligibility.GAP_WORK_PER_GOAL)
    assert budget.used <= budget.limit
    assert regions


def test_goals_share_the_limits_of_the_case() -> None:
    case = many_attributes(n_goals=6, producers=16, seed=6)
    findings = gaps_of(analyze(case).findings)
    by_goal: dict[str, list[Finding]] = {}
    for finding in findings:
        by_goal.setdefault(finding.nodes[0], []).append(finding)
    assert sorted(by_goal) == [f"goal_{g:02d}" for g in range(6)]  # every goal is looked at
    assert sum(1 for f in findings if f.region is not None) <= eligibility.GAP_REGIONS_PER_CASE
    words = {e for f in findings for e in f.evidence}
    assert any("share of the work limit of 400,000 for the whole case" in e for e in words), words
    assert all(1 <= len(f.evidence) <= 2 for f in findings)


def test_near_miss_exactly_as_many_regions_as_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    # Three one-year gaps: listed in full when three may be listed, cut (and said) when two may.
    data = {
        "format": "kafka-case/1", "id": "ages", "title": "Ages",
        "attributes": {"age": {"type": "integer", "min": 0, "max": 6}},
        "actors": [{"id": "agency", "name": "Agency"}],
        "documents": [{"id": "help", "name": "Help"}],
        "rules": [{"id": f"age_{k}", "name": f"Age {k}", "owner": "agency", "when": {"age": {"min": k, "max": k}}}
                  for k in (0, 2, 4, 6)],
        "touchpoints": [{"id": f"desk_{k}", "name": f"Desk {k}", "actor": "agency", "rules": [f"age_{k}"],
                         "produces": ["help"]} for k in (0, 2, 4, 6)],
        "personas": [{"id": "p", "name": "P", "attributes": {"age": 3}, "goals": ["help"]}],
    }
    case, _ = validate_data(data)
    assert case is not None
    monkeypatch.setattr(eligibility, "GAP_REGIONS_PER_GOAL", 3)
    findings = gaps_of(analyze(case).findings)
    assert [f.region for f in findings] == [{"age": {"min": k, "max": k}} for k in (1, 3, 5)]
    assert all(f.evidence == () for f in findings)
    monkeypatch.setattr(eligibility, "GAP_REGIONS_PER_GOAL", 2)
    findings = gaps_of(analyze(case).findings)
    assert [f.region for f in findings] == [{"age": {"min": k, "max": k}} for k in (1, 3)]
    listed = "(only the first 2 gap regions are listed, the most listed per goal; there are more)"
    assert all(f.evidence == (listed,) for f in findings)
    assert findings[0].personas == () and findings[1].personas == ("p",)


def test_work_that_runs_out_before_any_region_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(eligibility, "GAP_WORK_PER_GOAL", 5)
    findings = gaps_of(analyze(many_attributes()).findings)
    assert [f.id for f in findings] == ["coverage_gap/goal_00/unknown"]
    (finding,) = findings
    assert finding.region is None
    assert finding.title == "Coverage of Goal 0 not worked out"
    assert finding.evidence == (("(the search for gaps stopped at its work limit of 5 box operations per goal: "
                                 "more gap regions may exist, and a region shown may reach further)"),)
    assert "desk_00_00" in finding.nodes


@pytest.mark.parametrize("name", ["turning-18-youth-care", "toeslagenaffaire", "restaurant-operating-permit"])
def test_sample_gaps_are_exact_and_say_nothing_of_limits(name: str) -> None:
    findings = gaps_of(analyze(load_case(ROOT / "cases" / f"{name}.yaml")).findings)
    assert findings
    assert all(f.evidence == () and f.region is not None for f in findings)
