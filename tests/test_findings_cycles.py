"""Findings of the cycles family: circular requirements and referral loops, on small hand-written cases.

For each kind, cases that have the finding (marked ``finds``) and near misses that look
alike but must not have it (marked ``near_miss``); ``test_kinds.py`` checks that every
kind has both.
"""

from __future__ import annotations

import pytest

from kafka_tool.analysis.engine import analyze
from tests.case_builder import AGE, address_loop, build, kinds, names_all, of_kind, only, persona, rule, tp

# ---------------------------------------------------------------- circular_dependency


@pytest.mark.finds("circular_dependency")
def test_circular_dependency_needs_a_and_b_for_each_other() -> None:
    case = build(
        address_loop(requires=[{"doc": "address", "rule": "kyc"}]),
        [persona("amira", goals=["account"])],
        rules=[rule("kyc", owner="ministry")],
    )
    finding = only(case, "circular_dependency")
    assert finding.id == "circular_dependency/account+address"
    assert finding.severity == "critical"
    assert set(finding.nodes) == {"open", "address", "register", "account"}
    assert finding.personas == ("amira",)
    assert set(finding.actors) == {"bank", "town", "ministry"}
    assert finding.rules == ("kyc",)
    names_all(finding.explanation, "Bank Office", "Town Office", "Ministry Office", "Amira")
    names_all(finding.title, "Doc account", "Doc address")


@pytest.mark.finds("circular_dependency")
def test_circular_dependency_nodes_are_a_cycle_in_order() -> None:
    case = build(
        [
            tp("ta", requires=["b"], produces=["a"]),
            tp("tb", requires=["c"], produces=["b"]),
            tp("tc", requires=["a"], produces=["c"]),
        ],
        [persona("p", goals=["a"])],
    )
    finding = only(case, "circular_dependency")
    assert finding.id == "circular_dependency/a+b+c"
    # document, its producer, what that producer needs, ...: each node needs the next
    nodes = list(finding.nodes)
    assert len(nodes) == 6
    for i, node in enumerate(nodes):
        nxt = nodes[(i + 1) % len(nodes)]
        if node.startswith("t"):
            assert nxt == {"ta": "b", "tb": "c", "tc": "a"}[node]
        else:
            assert nxt == f"t{node}"


@pytest.mark.finds("circular_dependency")
def test_circular_dependency_titles_tell_circles_through_the_same_documents_apart() -> None:
    # Both personas are stuck in the a/b circle; only Pia lacks c, which is tangled with it.
    case = build(
        [
            tp("ta", requires=["b", "c"], produces=["a"]),
            tp("tb", requires=["a"], produces=["b"]),
            tp("tc", requires=["a"], produces=["c"]),
        ],
        [persona("pia", goals=["a"]), persona("piet", goals=["a"], has=["c"])],
    )
    found = kinds(case, "circular_dependency")
    assert set(found) == {"circular_dependency/a+b+c", "circular_dependency/a+b"}
    small, large = found["circular_dependency/a+b"], found["circular_dependency/a+b+c"]
    assert small.title == "Circular requirement: Doc a and Doc b"
    assert large.title.endswith(", tangled with 1 more document")
    assert small.title != large.title


@pytest.mark.finds("circular_dependency")
def test_circular_dependency_through_an_any_of_group_that_cannot_be_met() -> None:
    case = build(
        [
            tp("open", "bank", requires=[{"any_of": ["address", "postal_address"]}], produces=["account"]),
            tp("register", "town", requires=["account"], produces=["address", "postal_address"]),
        ],
        [persona("amira", goals=["account"])],
    )
    assert "circular_dependency/account+address+postal_address" in kinds(case, "circular_dependency")


@pytest.mark.near_miss("circular_dependency")
def test_circular_dependency_broken_by_an_any_of_alternative_the_persona_has() -> None:
    case = build(
        address_loop(requires=[{"any_of": ["address", "passport"]}]),
        [persona("amira", goals=["account"], has=["passport"])],
    )
    analysis = analyze(case)
    assert of_kind(analysis, "circular_dependency") == {}
    assert analysis.personas[0].goals_reachable == {"account": True}


@pytest.mark.near_miss("circular_dependency")
def test_circular_dependency_broken_by_an_any_of_alternative_the_persona_can_obtain() -> None:
    case = build(
        [
            *address_loop(requires=[{"any_of": ["address", "passport"]}]),
            tp("passport_desk", "town", produces=["passport"]),
        ],
        [persona("amira", goals=["account"])],
    )
    assert kinds(case, "circular_dependency") == {}


@pytest.mark.near_miss("circular_dependency")
def test_circular_dependency_off_the_way_is_not_reported_for_that_persona() -> None:
    # Bob cannot get g (nobody issues x), and the account/address circle is not
    # on his way to g; Amira, who needs the account, is stuck in the circle.
    case = build(
        [*address_loop(), tp("g_desk", "town", requires=["x"], produces=["g"])],
        [persona("bob", goals=["g"]), persona("amira", goals=["account"])],
    )
    finding = only(case, "circular_dependency")
    assert finding.personas == ("amira",)
    case = build(
        [*address_loop(), tp("g_desk", "town", requires=["x"], produces=["g"])],
        [persona("bob", goals=["g"])],
    )
    assert kinds(case, "circular_dependency") == {}


@pytest.mark.near_miss("circular_dependency")
def test_circular_dependency_not_reported_when_the_goal_is_reachable() -> None:
    # The circle exists, but the goal comes from another desk too.
    case = build(
        [*address_loop(), tp("basic_account", "bank", produces=["account"])],
        [persona("amira", goals=["account"])],
    )
    assert kinds(case, "circular_dependency") == {}


@pytest.mark.finds("circular_dependency")
def test_circular_dependency_is_one_finding_for_personas_with_different_desks() -> None:
    # Adults may also use a second desk on the circle; still one circle over the same
    # documents, one finding, one id.
    case = build(
        [
            tp("t1", requires=["b"], produces=["a", "g"]),
            tp("t2", requires=["a"], produces=["b"]),
            tp("t3", requires=["b"], produces=["a"], rules=["adults"]),
        ],
        [persona("young", goals=["g"], age=10), persona("old", goals=["g"], age=30)],
        rules=[rule("adults", when={"age": {"min": 18}})],
        attributes=AGE,
    )
    found = kinds(case, "circular_dependency")
    assert list(found) == ["circular_dependency/a+b"]
    finding = found["circular_dependency/a+b"]
    assert set(finding.personas) == {"young", "old"}
    assert {"t1", "t2"} <= set(finding.nodes)


# ---------------------------------------------------------------- referral_loop


@pytest.mark.finds("referral_loop")
def test_referral_loop_where_no_desk_can_help_is_critical() -> None:
    case = build(
        [
            tp("housing", "corporation", requires=["income"], produces=["house"], refers_to=["benefits"]),
            tp("benefits", "town", requires=["house"], produces=["income"], refers_to=["housing"]),
        ],
        [persona("yonas", goals=["house"])],
    )
    analysis = analyze(case)
    finding = only(case, "referral_loop")
    assert finding.id == "referral_loop/benefits+housing"
    assert finding.severity == "critical"
    assert set(finding.nodes) == {"housing", "benefits"}
    assert finding.personas == ("yonas",)
    assert set(finding.actors) == {"corporation", "town"}
    names_all(finding.explanation, "Corporation Office", "Town Office", "Yonas")
    # going round in circles is a referral loop, not a dead end
    assert of_kind(analysis, "dead_end") == {}


@pytest.mark.finds("referral_loop")
def test_referral_loop_where_one_desk_can_help_is_high() -> None:
    case = build(
        [
            tp("housing", "corporation", requires=["income"], produces=["house"], refers_to=["benefits"]),
            tp("benefits", "town", produces=["income"], refers_to=["housing"]),
        ],
        [persona("yonas", goals=["house"])],
    )
    finding = only(case, "referral_loop")
    assert finding.severity == "high"
    assert finding.personas == ("yonas",)


@pytest.mark.finds("referral_loop")
def test_referral_loop_critical_for_one_persona_names_everyone_on_it_and_who_is_stuck() -> None:
    case = build(
        [
            tp("a", requires=["x"], produces=["g"], refers_to=["b"]),
            tp("b", requires=["x"], produces=["g"], refers_to=["a"]),
        ],
        [persona("stuck", goals=["g"]), persona("helped", goals=["g"], has=["x"])],
    )
    finding = only(case, "referral_loop")
    assert finding.severity == "critical"
    assert finding.personas == ("stuck", "helped")  # both can end up on it
    assert list(finding.facts["stuck"]) == ["stuck"]  # and it cannot help one of them


@pytest.mark.finds("referral_loop")
def test_referral_loop_of_one_desk_sending_people_back_to_itself() -> None:
    case = build([tp("a", requires=["x"], produces=["g"], refers_to=["a"])], [persona("p", goals=["g"])])
    finding = only(case, "referral_loop")
    assert finding.id == "referral_loop/a"
    assert finding.nodes == ("a",)


@pytest.mark.near_miss("referral_loop")
@pytest.mark.near_miss("dead_end")
def test_referral_chain_that_ends_where_someone_can_help_is_no_loop_and_no_dead_end() -> None:
    case = build(
        [
            tp("front", "town", requires=["form"], produces=["g"], refers_to=["middle"]),
            tp("middle", "town", requires=["form"], produces=["g"], refers_to=["helpdesk"]),
            tp("helpdesk", "uwv", produces=["g"]),
        ],
        [persona("p", goals=["g"])],
    )
    analysis = analyze(case)
    assert of_kind(analysis, "referral_loop") == {}
    assert of_kind(analysis, "dead_end") == {}


@pytest.mark.finds("referral_loop")
def test_every_member_of_a_referral_tangle_is_highlighted() -> None:
    # Eight desks that send people to both neighbours: more shortest cycles than are shown.
    ring = ["a", "b", "c", "d", "e", "f", "g", "h"]
    case = build(
        [
            tp(n, refers_to=[ring[i - 1], ring[(i + 1) % 8]], requires=["x"], produces=["goal"])
            for i, n in enumerate(ring)
        ],
        [persona("p", goals=["goal"])],
    )
    finding = only(case, "referral_loop")
    assert finding.id.startswith("referral_loop/a+b+c+d+4more-")
    assert set(finding.nodes) == set(ring)
    assert any("only the shortest" in e for e in finding.evidence)




@pytest.mark.finds("circular_dependency")
def test_circular_dependency_behind_a_referral_is_on_the_way() -> None:
    # The goal desk needs x, which nobody issues, and refers to q; q needs da, and da and db need
    # each other. q is relevant to the goal, so the circle lies on the way.
    case = build(
        [
            tp("p", requires=["x"], produces=["goal"], refers_to=["q"]),
            tp("q", requires=["da"], produces=["goal"]),
            tp("make_a", requires=["db"], produces=["da"]),
            tp("make_b", requires=["da"], produces=["db"]),
        ],
        [persona("amy", goals=["goal"])],
    )
    assert "circular_dependency/da+db" in kinds(case, "circular_dependency")


@pytest.mark.finds("circular_dependency")
def test_circular_dependency_behind_a_desk_the_persona_may_not_use_is_on_the_way() -> None:
    case = build(
        [
            tp("p", rules=["adults"], requires=["da"], produces=["goal"]),
            tp("make_a", requires=["db"], produces=["da"]),
            tp("make_b", requires=["da"], produces=["db"]),
        ],
        [persona("kid", goals=["goal"], age=12)],
        rules=[rule("adults", when={"age": {"min": 18}})],
        attributes={"age": {"type": "integer", "min": 0, "max": 120}},
    )
    assert "circular_dependency/da+db" in kinds(case, "circular_dependency")


@pytest.mark.near_miss("circular_dependency")
def test_circle_behind_an_any_of_item_the_persona_already_meets_is_not_on_the_way() -> None:
    case = build(
        [
            tp("p", requires=[{"any_of": ["da", "k"]}], rules=["adults"], produces=["goal"]),
            tp("make_a", requires=["db"], produces=["da"]),
            tp("make_b", requires=["da"], produces=["db"]),
        ],
        [persona("kid", goals=["goal"], has=["k"], age=12)],
        rules=[rule("adults", when={"age": {"min": 18}})],
        attributes={"age": {"type": "integer", "min": 0, "max": 120}},
    )
    assert kinds(case, "circular_dependency") == {}


