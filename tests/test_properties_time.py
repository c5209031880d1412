"""Property tests of elapsed time: earliest days, with windows, against a day-by-day simulation.

Small random cases with whole days (0..4) and windows (0..3) on some items. The oracle
walks the calendar: on each day, a touchpoint starts as soon as every item it asks is
held (an ``any_of`` item from its first alternative), unless a window has closed by then;
what it gives is held ``days`` later. That is the contract's definition read as a
simulation; the tool computes it with a bucket queue of days.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kafka_tool.analysis.engine import analyze
from kafka_tool.loader import validate_data
from kafka_tool.model import Case, requirement_alternatives, requirement_window
from tests.profiles import examples

SETTINGS = settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def timed_cases(draw: st.DrawFn, windows: bool = True) -> Case:
    docs = [f"d{i}" for i in range(draw(st.integers(1, 6)))]
    touchpoints = []
    for t in range(draw(st.integers(1, 7))):
        requires: list[Any] = []
        for _ in range(draw(st.integers(0, 3))):
            alternatives = draw(st.lists(st.sampled_from(docs), min_size=1, max_size=2, unique=True))
            item: dict[str, Any] = {"any_of": alternatives} if len(alternatives) > 1 else {"doc": alternatives[0]}
            if windows and draw(st.integers(0, 2)) == 0:
                item["within_days"] = draw(st.integers(0, 3))
            requires.append(item)
        touchpoints.append({"id": f"t{t}", "name": f"T{t}", "actor": "a0", "requires": requires,
                            "produces": draw(st.lists(st.sampled_from(docs), min_size=1, max_size=2, unique=True)),
                            "days": draw(st.integers(0, 4))})
    personas = [{"id": f"p{i}", "name": f"P{i}", "has": draw(st.lists(st.sampled_from(docs), max_size=2, unique=True)),
                 "goals": draw(st.lists(st.sampled_from(docs), min_size=1, max_size=3, unique=True))}
                for i in range(draw(st.integers(1, 2)))]
    data = {"format": "kafka-case/1", "id": "timed", "title": "Timed", "actors": [{"id": "a0", "name": "A0"}],
            "documents": [{"id": d, "name": d.upper()} for d in docs], "touchpoints": touchpoints,
            "personas": personas}
    case, issues = validate_data(data)
    assert not issues, issues
    assert case is not None
    return case


def simulate(case: Case, has: list[str]) -> dict[str, int]:
    """Day by day: the earliest day each document is held."""
    held: dict[str, int] = dict.fromkeys(has, 0)
    decided: set[str] = set()
    arriving: dict[int, list[str]] = {}
    horizon = sum(int(t.days or 0) for t in case.touchpoints) + 1
    for day in range(horizon + 1):
        for doc in arriving.pop(day, []):
            held.setdefault(doc, day)
        changed = True
        while changed:
            changed = False
            for tp in case.touchpoints:
                if tp.id in decided:
                    continue
                days = [min((held[d] for d in requirement_alternatives(item) if d in held), default=None)
                        for item in tp.requires]
                if any(d is None for d in days):
                    continue
                decided.add(tp.id)  # every item is held: it starts today, or its window has closed
                windows = [requirement_window(item) for item in tp.requires]
                if any(w is not None and d is not None and day - d > w for d, w in zip(days, windows, strict=True)):
                    continue
                end = day + int(tp.days or 0)
                for doc in tp.produces:
                    assert isinstance(doc, str)
                    if end == day:
                        if doc not in held:
                            held[doc] = day
                            changed = True
                    else:
                        arriving.setdefault(end, []).append(doc)
    return held


@SETTINGS
@given(timed_cases())
def test_earliest_days_are_those_of_a_day_by_day_simulation(case: Case) -> None:
    analysis = analyze(case)
    for persona in case.personas:
        view = analysis.views[persona.id]
        expected = simulate(case, persona.has)
        assert view.obtainable == frozenset(expected)
        for goal in persona.goal_ids:
            assert view.earliest(goal) == expected.get(goal), goal
            assert view.goals_reachable[goal] == (goal in expected)


@SETTINGS
@given(timed_cases())
def test_a_critical_path_ends_on_the_goals_earliest_day_and_each_step_waits_for_the_one_before(case: Case) -> None:
    analysis = analyze(case)
    for persona in case.personas:
        view = analysis.views[persona.id]
        for goal in persona.goal_ids:
            day = view.earliest(goal)
            path = view.timeline.path(goal)
            if day is None or goal in persona.has:
                continue
            assert path, goal
            assert path[-1].end == day and path[-1].document == goal
            assert path[0].start == 0  # the first step waits only for what the persona has
            for before, after in pairwise(path):
                assert after.start == before.end


@SETTINGS
@given(timed_cases(windows=False))
def test_without_windows_elapsed_time_is_never_more_than_the_days_added_up(case: Case) -> None:
    analysis = analyze(case)
    for persona in case.personas:
        burden = analysis.views[persona.id].burden
        assert burden.elapsed_days <= burden.days


@SETTINGS
@given(timed_cases())
def test_single_points_of_failure_with_windows_are_the_touchpoints_the_simulation_cannot_do_without(
        case: Case) -> None:
    analysis = analyze(case)
    found = {f.id: set(f.personas) for f in analysis.findings if f.kind == "single_point_of_failure"}
    for persona in case.personas:
        reachable = simulate(case, persona.has)
        goals = [g for g in persona.goal_ids if g in reachable and g not in persona.has]
        for tp in case.touchpoints:
            others = case.model_copy(update={"touchpoints": [t for t in case.touchpoints if t.id != tp.id]})
            without = simulate(others, persona.has)
            essential = any(g not in without for g in goals)
            assert (persona.id in found.get(f"single_point_of_failure/{tp.id}", set())) == essential, tp.id


@SETTINGS
@given(timed_cases(), st.data())
def test_a_timeline_over_tables_of_its_own_desks_or_stopped_at_its_goals_agrees_with_the_full_walk(
        case: Case, data: st.DataObject) -> None:
    from kafka_tool.analysis.fixpoint import Kernel
    from kafka_tool.analysis.graph import CaseIndex
    from kafka_tool.analysis.timing import timeline

    index = CaseIndex.build(case)
    desks = data.draw(st.sets(st.sampled_from([t.id for t in case.touchpoints])))
    for persona in case.personas:
        full = timeline(index, persona.has, desks)
        own = timeline(index, persona.has, desks, tables=Kernel(index, desks, case_order=True))
        assert (own.earliest, own.via, own.starts, own.closed) == (full.earliest, full.via, full.starts, full.closed)
        assert own.usable == full.usable  # in the same order
        goals = list(persona.goal_ids)
        stopped = timeline(index, persona.has, desks, until=goals)
        # what the stopped walk settled is exact, and it settled every goal the full walk reaches
        assert all(full.earliest[doc] == day for doc, day in stopped.earliest.items())
        assert {g for g in goals if g in full.earliest} <= set(stopped.earliest)


def test_a_desk_off_the_plan_is_the_single_point_of_failure_when_only_it_is_in_time() -> None:
    """T2 gives D1 and D2 in one step (the plan takes it), but only T0's D2 on day 0 meets T3's
    window of 0 days beside T1's D3: without T0 nobody gets D0, though T0 is not on the plan."""
    from kafka_tool.loader import load_case_text

    case = load_case_text("""\
format: kafka-case/1
id: timed
title: Timed
actors: [{id: a0, name: A0}]
documents: [{id: d0, name: D0}, {id: d1, name: D1}, {id: d2, name: D2}, {id: d3, name: D3}]
touchpoints:
  - {id: t0, name: T0, actor: a0, produces: [d2], days: 0}
  - {id: t1, name: T1, actor: a0, produces: [d3], days: 0}
  - {id: t2, name: T2, actor: a0, produces: [d1, d2], days: 1}
  - {id: t3, name: T3, actor: a0, requires: [{doc: d2, within_days: 0}, {doc: d3, within_days: 0}], produces: [d0]}
personas: [{id: p0, name: P0, goals: [d1, d0]}]
""")
    analysis = analyze(case)
    assert "t0" not in analysis.views["p0"].plan
    spof = {f.id for f in analysis.findings if f.kind == "single_point_of_failure"}
    assert "single_point_of_failure/t0" in spof and "single_point_of_failure/t2" in spof
