"""Findings of the reach family: dead ends, unobtainable documents, unreachable goals, futile
referrals and single points of failure, on small hand-written cases.

For each kind, cases that have the finding (marked ``finds``) and near misses that look
alike but must not have it (marked ``near_miss``); ``test_kinds.py`` checks that every
kind has both.
"""

from __future__ import annotations

import pytest

from kafka_tool.analysis.engine import analyze
from tests.case_builder import AGE, build, kinds, names_all, of_kind, only, persona, rule, tp

# ---------------------------------------------------------------- dead_end


@pytest.mark.finds("dead_end")
def test_dead_end_for_a_desk_that_cannot_help_and_refers_nowhere() -> None:
    case = build(
        [tp("bank_desk", "bank", rules=["adults"], produces=["account"])],
        [persona("daan", goals=["account"], age=16)],
        rules=[rule("adults", owner="ministry", when={"age": {"min": 18}})],
        attributes=AGE,
    )
    finding = only(case, "dead_end")
    assert finding.id == "dead_end/bank_desk"
    assert finding.severity == "critical"
    assert finding.nodes == ("bank_desk", "adults")  # the rule that keeps Daan out is what it is about
    assert finding.personas == ("daan",)
    assert finding.rules == ("adults",)
    assert set(finding.actors) == {"bank", "ministry"}
    names_all(finding.explanation, "Bank Office", "Ministry Office", "Rule adults", "Daan")


@pytest.mark.finds("dead_end")
def test_dead_end_for_every_desk_on_a_chain_that_leads_nowhere() -> None:
    case = build(
        [
            tp("front", "town", requires=["form"], produces=["g"], refers_to=["back"]),
            tp("back", "uwv", requires=["form"], produces=["g"]),
        ],
        [persona("p", goals=["g"])],
    )
    found = kinds(case, "dead_end")
    assert set(found) == {"dead_end/front", "dead_end/back"}
    front = found["dead_end/front"]
    assert front.nodes == ("front", "back")
    names_all(front.explanation, "Town Office", "Doc form")


@pytest.mark.near_miss("dead_end")
def test_no_dead_end_where_a_referral_reaches_help() -> None:
    case = build(
        [
            tp("front", "town", requires=["form"], produces=["g"], refers_to=["back"]),
            tp("back", "uwv", produces=["form"]),
        ],
        [persona("p", goals=["g"])],
    )
    assert kinds(case, "dead_end") == {}


@pytest.mark.near_miss("dead_end")
def test_referrals_only_in_circles_are_a_referral_loop_not_a_dead_end() -> None:
    case = build(
        [
            tp("entry", requires=["x"], produces=["g"], refers_to=["left"]),
            tp("left", requires=["x"], produces=["x2"], refers_to=["right"]),
            tp("right", requires=["x"], produces=["x3"], refers_to=["left"]),
        ],
        [persona("p", goals=["g"])],
    )
    analysis = analyze(case)
    assert of_kind(analysis, "dead_end") == {}
    loop = of_kind(analysis, "referral_loop")
    assert list(loop) == ["referral_loop/left+right"]
    assert loop["referral_loop/left+right"].severity == "critical"


@pytest.mark.near_miss("dead_end")
def test_no_dead_end_for_a_desk_nobody_needs() -> None:
    case = build([tp("t", requires=["x"], produces=["y"])], [persona("p", goals=["g"], has=["g"])])
    assert kinds(case, "dead_end") == {}


# ---------------------------------------------------------------- unobtainable_document


@pytest.mark.finds("unobtainable_document")
def test_unobtainable_document_nobody_issues_or_has() -> None:
    case = build(
        [tp("school", "school_board", requires=[{"doc": "statement", "rule": "admission"}], produces=["place"])],
        [persona("daan", goals=["place"])],
        rules=[rule("admission", owner="ministry")],
    )
    finding = only(case, "unobtainable_document")
    assert finding.id == "unobtainable_document/statement"
    assert finding.severity == "critical"
    assert finding.nodes == ("statement", "school")
    assert finding.personas == ("daan",)
    assert finding.rules == ("admission",)
    assert set(finding.actors) == {"school_board", "ministry"}
    names_all(finding.explanation, "School Board Office", "Ministry Office", "Doc statement")


@pytest.mark.finds("unobtainable_document")
def test_unobtainable_any_of_group_reports_each_alternative() -> None:
    case = build(
        [tp("t", requires=[{"any_of": ["x", "y"]}], produces=["g"]), tp("u", requires=["x"], produces=["h"])],
        [persona("p", goals=["g"])],
    )
    found = kinds(case, "unobtainable_document")
    assert sorted(found) == ["unobtainable_document/x", "unobtainable_document/y"]
    assert set(found["unobtainable_document/x"].nodes) == {"x", "t", "u"}
    assert set(found["unobtainable_document/y"].nodes) == {"y", "t"}


@pytest.mark.near_miss("unobtainable_document")
def test_no_unobtainable_document_when_one_alternative_can_be_had() -> None:
    case = build(
        [tp("t", requires=[{"any_of": ["x", "y"]}], produces=["g"]), tp("y_desk", produces=["y"])],
        [persona("p", goals=["g"])],
    )
    assert kinds(case, "unobtainable_document") == {}


@pytest.mark.near_miss("unobtainable_document")
def test_no_unobtainable_document_when_a_persona_holds_it() -> None:
    # Only Ann has x; for Bob it is out of reach, but the document exists.
    case = build(
        [tp("t", requires=["x"], produces=["g"])],
        [persona("ann", goals=["g"], has=["x"]), persona("bob", goals=["g"])],
    )
    assert kinds(case, "unobtainable_document") == {}


# ---------------------------------------------------------------- unreachable_goal


@pytest.mark.finds("unreachable_goal")
def test_unreachable_goal_names_its_root_causes() -> None:
    case = build(
        [
            tp("goal_desk", "uwv", requires=["a", "x", "n"], produces=["g"]),
            tp("ta", "bank", requires=["b"], produces=["a"]),
            tp("tb", "town", requires=["a"], produces=["b"]),
            tp("tn", None, produces=["n"]),
        ],
        [persona("noa", goals=["g"])],
    )
    analysis = analyze(case)
    finding = of_kind(analysis, "unreachable_goal")["unreachable_goal/noa/g"]
    assert finding.severity == "critical"
    assert finding.personas == ("noa",)
    assert finding.nodes[:2] == ("g", "goal_desk")
    roots = ["circular_dependency/a+b", "unobtainable_document/x", "no_owner/tn"]
    for root in roots:
        assert root in finding.causes, (root, finding.causes)
        names_all(finding.explanation, analysis.finding(root).title)  # type: ignore[union-attr]
    assert {"uwv", "bank", "town"} <= set(finding.actors)


@pytest.mark.finds("unreachable_goal")
def test_unreachable_goal_that_nobody_issues() -> None:
    case = build([], [persona("p", goals=["g"])])
    finding = only(case, "unreachable_goal")
    assert finding.id == "unreachable_goal/p/g"
    names_all(finding.explanation, "No desk issues Doc g")


@pytest.mark.near_miss("unreachable_goal")
def test_no_unreachable_goal_when_the_goal_is_reachable_or_held() -> None:
    case = build(
        [tp("t", produces=["g"])],
        [persona("p", goals=["g"]), persona("q", goals=["h"], has=["h"])],
    )
    assert kinds(case, "unreachable_goal") == {}


@pytest.mark.finds("unreachable_goal")
def test_unreachable_goal_through_rules_names_the_rule() -> None:
    case = build(
        [tp("t", rules=["adults"], produces=["g"])],
        [persona("young", goals=["g"], age=12)],
        rules=[rule("adults", owner="ministry", when={"age": {"min": 18}})],
        attributes=AGE,
    )
    finding = of_kind(analyze(case), "unreachable_goal")["unreachable_goal/young/g"]
    assert finding.nodes == ("g", "t", "adults")
    assert finding.rules == ("adults",)
    names_all(finding.explanation, "Rule adults")
    assert "ministry" in finding.actors


# ---------------------------------------------------------------- futile_referral


@pytest.mark.finds("futile_referral")
def test_futile_referral_to_a_desk_that_gives_nothing_asked_or_offered() -> None:
    case = build(
        [
            tp("registry", "town", requires=["police_report"], produces=["permit"], refers_to=["police_desk"]),
            tp("police_desk", "police", produces=["fine"]),
        ],
        [persona("p", goals=["permit"])],
    )
    finding = only(case, "futile_referral")
    assert finding.id == "futile_referral/registry/police_desk"
    assert finding.severity == "high"
    assert finding.nodes == ("registry", "police_desk")
    assert finding.actors == ("town",)
    assert finding.personas == ("p",)
    names_all(finding.explanation, "Town Office", "Desk registry", "Desk police_desk")


@pytest.mark.near_miss("futile_referral")
@pytest.mark.parametrize("produced", ["police_report", "permit"])
def test_no_futile_referral_to_a_desk_that_produces_what_is_needed_or_offered(produced: str) -> None:
    case = build(
        [
            tp("registry", "town", requires=["police_report"], produces=["permit"], refers_to=["police_desk"]),
            tp("police_desk", "police", produces=[produced]),
        ],
        [persona("p", goals=["permit"])],
    )
    assert kinds(case, "futile_referral") == {}


# ---------------------------------------------------------------- single_point_of_failure


@pytest.mark.finds("single_point_of_failure")
def test_single_point_of_failure_for_the_sole_producer_on_the_only_way() -> None:
    case = build(
        [
            tp("id_desk", "town", produces=["id_card"]),
            tp("bank_desk", "bank", requires=["id_card"], produces=["account"]),
        ],
        [persona("p", goals=["account"])],
    )
    found = kinds(case, "single_point_of_failure")
    assert set(found) == {"single_point_of_failure/id_desk", "single_point_of_failure/bank_desk"}
    finding = found["single_point_of_failure/id_desk"]
    assert finding.severity == "medium"
    assert finding.nodes == ("id_desk", "account")
    assert finding.personas == ("p",)
    assert finding.actors == ("town",)
    names_all(finding.explanation, "Town Office", "Doc account")


@pytest.mark.near_miss("single_point_of_failure")
def test_no_single_point_of_failure_with_two_alternative_producers() -> None:
    case = build(
        [
            tp("id_desk", "town", produces=["id_card"]),
            tp("passport_desk", "town", produces=["passport"]),
            tp("bank_desk", "bank", requires=[{"any_of": ["id_card", "passport"]}], produces=["account"]),
            tp("bank_app", "bank", requires=["id_card"], produces=["account"]),
        ],
        [persona("p", goals=["account"])],
    )
    found = kinds(case, "single_point_of_failure")
    assert "single_point_of_failure/id_desk" not in found
    assert "single_point_of_failure/passport_desk" not in found
    assert "single_point_of_failure/bank_desk" not in found


@pytest.mark.near_miss("single_point_of_failure")
def test_no_single_point_of_failure_for_an_unreachable_goal() -> None:
    case = build([tp("t", requires=["x"], produces=["g"])], [persona("p", goals=["g"])])
    assert kinds(case, "single_point_of_failure") == {}


@pytest.mark.finds("single_point_of_failure")
def test_single_point_of_failure_for_the_sole_producer_of_a_paper_the_actor_fetches() -> None:
    """The citizen takes no step for a paper the agency fetches itself, but without its one
    source the agency has nothing to fetch."""
    case = build(
        [
            tp("gp_desk", "gp", produces=["medical_file"]),
            tp("claim", "uwv", requires=["medical_file"], fetches=["medical_file"], produces=["benefit"]),
        ],
        [persona("p", goals=["benefit"])],
    )
    assert set(kinds(case, "single_point_of_failure")) == {"single_point_of_failure/gp_desk",
                                                          "single_point_of_failure/claim"}


@pytest.mark.near_miss("single_point_of_failure")
def test_no_single_point_of_failure_for_one_of_two_sources_of_a_fetched_paper() -> None:
    case = build(
        [
            tp("gp_desk", "gp", produces=["medical_file"]),
            tp("hospital_desk", "hospital", produces=["medical_file"]),
            tp("claim", "uwv", requires=["medical_file"], fetches=["medical_file"], produces=["benefit"]),
        ],
        [persona("p", goals=["benefit"])],
    )
    assert set(kinds(case, "single_point_of_failure")) == {"single_point_of_failure/claim"}




@pytest.mark.finds("dead_end")
def test_dead_end_for_a_desk_whose_referrals_stop_as_well_as_go_round() -> None:
    # start refers to a desk that stops and into a loop; nowhere helps. Some path stops, so it is
    # a dead end (the loop itself is a referral loop).
    case = build(
        [
            tp("start", requires=["x"], produces=["goal"], refers_to=["stop", "loop_a"]),
            tp("stop", requires=["x"], produces=["goal"]),
            tp("loop_a", requires=["x"], produces=["goal"], refers_to=["loop_b"]),
            tp("loop_b", requires=["x"], produces=["goal"], refers_to=["loop_a"]),
            tp("issue_x", requires=["never"], produces=["x"]),
            tp("issue_never", requires=["x"], produces=["never"]),
        ],
        [persona("ann", goals=["goal"])],
    )
    dead = kinds(case, "dead_end")
    assert "dead_end/start" in dead
    assert "dead_end/stop" in dead
    assert "dead_end/loop_a" not in dead and "dead_end/loop_b" not in dead
    assert "referral_loop/loop_a+loop_b" in kinds(case, "referral_loop")


