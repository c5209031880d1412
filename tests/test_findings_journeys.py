"""Findings of the journeys family: loops in reconstructed journeys, on small hand-written cases.

For each kind, cases that have the finding (marked ``finds``) and near misses that look
alike but must not have it (marked ``near_miss``); ``test_kinds.py`` checks that every
kind has both.
"""

from __future__ import annotations

import pytest

from kafka_tool.loader import validate_data
from kafka_tool.model import Case
from tests.case_builder import build, kinds, names_all, only, persona, tp

# ---------------------------------------------------------------- journey_loop


def journey_case(*steps: str) -> Case:
    """Steps are touchpoint ids; desks a1/a2 belong to actor a, b1 to b, c1 to c."""
    touchpoints = [tp(t, t[0], produces=[f"{t}_doc"]) for t in ("a1", "a2", "b1", "c1")]
    return build(
        touchpoints,
        [persona("sandra", goals=["a1_doc"])],
        journeys=[
            {
                "persona": "sandra",
                "steps": [
                    {"touchpoint": t, "date": f"2024-01-{i + 1:02d}", "outcome": "referred"}
                    for i, t in enumerate(steps)
                ],
            }
        ],
    )


@pytest.mark.finds("journey_loop")
def test_journey_loop_back_to_a_touchpoint_after_another() -> None:
    finding = only(journey_case("a1", "b1", "a1"), "journey_loop")
    assert finding.id == "journey_loop/sandra"
    assert finding.severity == "high"
    assert finding.personas == ("sandra",)
    assert {"a1", "b1", "a"} <= set(finding.nodes)
    assert set(finding.actors) == {"a", "b"}
    names_all(finding.explanation, "Sandra", "Desk a1", "2024-01-03")


@pytest.mark.finds("journey_loop")
def test_journey_loop_back_to_a_desk_of_the_same_actor() -> None:
    # Moving between two desks of one actor is fine; coming back to the first desk is a return.
    finding = only(journey_case("a1", "a2", "a1"), "journey_loop")
    assert finding.nodes == ("a1", "a2")


@pytest.mark.finds("journey_loop")
def test_journey_loop_back_to_an_actor_at_another_desk() -> None:
    finding = only(journey_case("a1", "b1", "a2"), "journey_loop")
    assert "a" in finding.nodes
    names_all(finding.explanation, "A Office")


@pytest.mark.near_miss("journey_loop")
@pytest.mark.parametrize("steps", [("a1", "a1", "b1"), ("a1", "a2", "b1"), ("a1", "b1", "c1"), ("b1", "a1", "a2")])
def test_no_journey_loop(steps: tuple[str, ...]) -> None:
    # Consecutive visits to one desk (a follow-up) are no loop, nor is moving between
    # two desks of the same actor.
    assert kinds(journey_case(*steps), "journey_loop") == {}


@pytest.mark.finds("journey_loop")
def test_journey_loop_ids_count_a_personas_journeys() -> None:
    case = journey_case("a1", "b1", "a1")
    data = case.to_data()
    data["journeys"] = [
        {"persona": "sandra", "steps": [{"touchpoint": "a1", "date": "2024-01-01", "outcome": "helped"}]},
        data["journeys"][0],
    ]
    case, issues = validate_data(data)
    assert not issues and case is not None
    assert list(kinds(case, "journey_loop")) == ["journey_loop/sandra/2"]


