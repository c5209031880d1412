"""Cracks made of time: earliest days on the critical path, deadlines on goals, windows on requirements.

For each kind, cases that have the finding (marked ``finds``) and near misses that look
alike but must not have it (marked ``near_miss``): a deadline met by one day, a window
met exactly at its last day.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from kafka_tool.analysis.engine import analyze
from kafka_tool.report import findings_json
from tests.case_builder import build, kinds, names_all, only, persona, tp


def _view(case: Any, pid: str = "kerry") -> Any:
    return analyze(case).views[pid]


# ---------------------------------------------------------------- earliest days


def test_steps_side_by_side_take_the_longest_of_them_not_their_sum() -> None:
    """Two papers asked at the same time: the desk starts when the slower one is there."""
    case = build([tp("gp", produces=["letter"], days=20), tp("town", produces=["extract"], days=5),
                  tp("decide", requires=["letter", "extract"], produces=["award"], days=10)],
                 [persona("kerry", goals=["award"])])
    view = _view(case)
    assert view.earliest("award") == 30  # max(20, 5) + 10
    assert view.burden.days == 35  # the plan's days added up, one after another
    assert view.burden.elapsed_days == 30
    path = view.timeline.path("award")
    assert [(s.touchpoint, s.start, s.end) for s in path] == [("gp", 0, 20), ("decide", 20, 30)]
    out = findings_json(analyze(case))["personas"][0]
    assert out["earliest_days"] == {"award": 30}
    assert out["burden"]["elapsed_days"] == 30 and out["burden"]["days"] == 35


def test_the_earliest_day_takes_the_faster_desk_and_the_earliest_alternative() -> None:
    case = build([tp("slow", produces=["proof"], days=40), tp("fast", produces=["proof"], days=3),
                  tp("late_id", produces=["passport"], days=30), tp("quick_id", produces=["id_card"], days=2),
                  tp("decide", requires=["proof", {"any_of": ["passport", "id_card"]}], produces=["g"], days=1)],
                 [persona("kerry", goals=["g", "nothing"], has=[])])
    view = _view(case)
    assert view.earliest("g") == 4
    assert view.earliest("nothing") is None
    assert findings_json(analyze(case))["personas"][0]["earliest_days"] == {"g": 4, "nothing": None}


def test_what_the_persona_has_is_there_on_day_0_and_a_fetched_item_still_waits() -> None:
    case = build([tp("registry", produces=["extract"], days=9),
                  tp("decide", requires=["extract", "passport"], fetches=["extract"], produces=["g"], days=1)],
                 [persona("kerry", goals=["g"], has=["passport"])])
    view = _view(case)
    assert view.earliest("g") == 10  # the actor fetches the extract, but it must exist first
    assert view.plan == ("decide",)  # the citizen takes no step for it


def test_of_two_desks_that_give_a_paper_on_the_same_day_the_one_that_starts_first_gives_it() -> None:
    """A tie is settled by who fired first (here the case's order of two desks that ask nothing),
    not by the ids' alphabet; half days are days like any other."""
    case = build([tp("zuid", produces=["extract"], days=2.5), tp("noord", produces=["extract"], days=2.5),
                  tp("decide", requires=["extract"], produces=["g"], days=0.5)],
                 [persona("kerry", goals=["g"])])
    timeline = _view(case).timeline
    assert timeline.earliest == {"extract": 2.5, "g": 3.0}
    assert timeline.via["extract"] == "zuid"
    assert [s.touchpoint for s in timeline.path("g")] == ["zuid", "decide"]
    flipped = build([tp("noord", produces=["extract"], days=2.5), tp("zuid", produces=["extract"], days=2.5),
                     tp("decide", requires=["extract"], produces=["g"], days=0.5)],
                    [persona("kerry", goals=["g"])])
    assert _view(flipped).timeline.via["extract"] == "noord"


# ---------------------------------------------------------------- missed_deadline


def _rent(deadline: float) -> Any:
    return build([tp("assess", produces=["decision"], days=20), tp("pay", requires=["decision"],
                                                                 produces=["rent_money"], days=15)],
                 [persona("kerry", goals=[{"doc": "rent_money", "within_days": deadline}])])


@pytest.mark.finds("missed_deadline")
def test_missed_deadline_when_the_money_comes_after_the_rent_is_due() -> None:
    finding = only(_rent(30), "missed_deadline")
    assert finding.id == "missed_deadline/kerry/rent_money"
    assert finding.severity == "critical"
    assert finding.nodes == ("rent_money", "assess", "pay")
    assert finding.personas == ("kerry",)
    assert finding.facts["earliest"] == 35 and finding.facts["deadline"] == 30
    names_all(finding.explanation, "day 30", "day 35", "5 days too late", "Desk assess (day 0–20)",
              "Desk pay (day 20–35)")


@pytest.mark.near_miss("missed_deadline")
def test_a_deadline_met_on_its_last_day_is_not_missed() -> None:
    assert not kinds(_rent(35), "missed_deadline")
    assert kinds(_rent(34), "missed_deadline")  # one day less, and it is


@pytest.mark.near_miss("missed_deadline")
def test_an_unreachable_goal_with_a_deadline_is_unreachable_not_late() -> None:
    case = build([tp("pay", requires=["decision"], produces=["rent_money"], days=15)],
                 [persona("kerry", goals=[{"doc": "rent_money", "within_days": 1}])])
    assert not kinds(case, "missed_deadline")
    assert kinds(case, "unreachable_goal")


@pytest.mark.near_miss("missed_deadline")
def test_parallel_steps_meet_a_deadline_that_their_sum_would_miss() -> None:
    case = build([tp("gp", produces=["letter"], days=20), tp("town", produces=["extract"], days=20),
                  tp("decide", requires=["letter", "extract"], produces=["g"], days=5)],
                 [persona("kerry", goals=[{"doc": "g", "within_days": 25}])])
    assert not kinds(case, "missed_deadline")
    assert analyze(case).views["kerry"].burden.days == 45


# ---------------------------------------------------------------- window_trap


def _objection(window: float, letter_days: float = 35) -> Any:
    return build([tp("assess", "uwv", produces=["refusal"], days=20),
                  tp("gp", "doctor", produces=["gp_letter"], days=letter_days),
                  tp("objection", "uwv", requires=[{"doc": "refusal", "within_days": window}, "gp_letter"],
                     produces=["decision"], days=10)],
                 [persona("kerry", goals=["decision"])])


@pytest.mark.finds("window_trap")
def test_window_trap_when_the_doctors_letter_takes_longer_than_the_objection_window() -> None:
    case = _objection(6)
    finding = only(case, "window_trap")
    assert finding.id == "window_trap/objection/refusal"
    assert finding.severity == "critical"
    assert finding.nodes == ("objection", "refusal", "gp_letter")
    assert finding.personas == ("kerry",)
    assert (finding.facts["held"], finding.facts["start"], finding.facts["within"]) == (20, 35, 6)
    names_all(finding.explanation, "within 6 days", "day 20", "day 26", "day 35", "Doc gp_letter")
    # The window is applied inside the fixpoint: the goal is out of reach, and the trap is named as its cause.
    analysis = analyze(case)
    assert analysis.views["kerry"].goals_reachable == {"decision": False}
    unreachable = of_kind_one(analysis, "unreachable_goal")
    assert finding.id in unreachable.causes


def of_kind_one(analysis: Any, kind: str) -> Any:
    found = [f for f in analysis.findings if f.kind == kind]
    assert len(found) == 1, [f.id for f in found]
    return found[0]


@pytest.mark.near_miss("window_trap")
def test_a_window_met_exactly_on_its_last_day_is_no_trap() -> None:
    case = _objection(15)  # refusal on day 20, the letter on day 35: 15 days, exactly the window
    assert not kinds(case, "window_trap")
    assert analyze(case).views["kerry"].earliest("decision") == 45
    assert kinds(_objection(14.5), "window_trap")


@pytest.mark.near_miss("window_trap")
def test_an_item_the_persona_never_obtains_is_not_a_window_trap() -> None:
    case = build([tp("assess", "uwv", produces=["refusal"], days=20),
                  tp("objection", "uwv", requires=[{"doc": "refusal", "within_days": 6}, "gp_letter"],
                     produces=["decision"], days=10)],
                 [persona("kerry", goals=["decision"])])
    assert not kinds(case, "window_trap")
    assert kinds(case, "unobtainable_document")


@pytest.mark.near_miss("window_trap")
def test_a_window_that_closes_at_a_desk_the_persona_may_not_use_is_no_trap_of_theirs() -> None:
    case = build([tp("assess", "uwv", produces=["refusal"], days=20), tp("gp", "doctor", produces=["gp_letter"],
                                                                        days=35),
                  tp("objection", "uwv", rules=["adults"], produces=["decision"], days=10,
                     requires=[{"doc": "refusal", "within_days": 6}, "gp_letter"])],
                 [persona("kerry", goals=["decision"], age=15)],
                 rules=[{"id": "adults", "name": "Adults", "owner": "uwv", "when": {"age": {"min": 18}}}],
                 attributes={"age": {"type": "integer", "min": 0, "max": 120}})
    assert not kinds(case, "window_trap")


def test_a_window_that_closes_changes_what_comes_after_it() -> None:
    """A desk behind the trapped one is out of reach too, and says so without a trap of its own."""
    case = build([tp("assess", "uwv", produces=["refusal"], days=20),
                  tp("gp", "doctor", produces=["gp_letter"], days=35),
                  tp("objection", "uwv", requires=[{"doc": "refusal", "within_days": 6}, "gp_letter"],
                     produces=["decision"], days=10),
                  tp("court", "judge", requires=[{"doc": "decision", "within_days": 42}], produces=["ruling"])],
                 [persona("kerry", goals=["ruling"])])
    analysis = analyze(case)
    assert analysis.views["kerry"].goals_reachable == {"ruling": False}
    assert [f.id for f in analysis.findings if f.kind == "window_trap"] == ["window_trap/objection/refusal"]
    data = json.loads(json.dumps(findings_json(analysis)))
    assert data["personas"][0]["earliest_days"] == {"ruling": None}
