"""Every finding kind of CASE_FORMAT.md, on small hand-written cases.

For each kind: cases that have the finding (id, severity, nodes, personas,
actors and rules, and an explanation that names who could act), and near
misses that look alike but must not have it. The attribute-space algebra
itself is tested in ``test_regions.py``; here only the findings built on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

from kafka_tool.analysis.engine import Analysis, analyze
from kafka_tool.analysis.kinds import KINDS
from kafka_tool.analysis.regions import region_slug
from kafka_tool.findings import Finding
from kafka_tool.loader import validate_data
from kafka_tool.model import Case

# ---------------------------------------------------------------- a tiny case builder

AGE = {"age": {"type": "integer", "min": 0, "max": 120}}


def actor_name(actor: str) -> str:
    return f"{actor.replace('_', ' ').title()} Office"


def doc_name(doc: str) -> str:
    return f"Doc {doc}"


def tp_name(tp: str) -> str:
    return f"Desk {tp}"


def rule_name(rule: str) -> str:
    return f"Rule {rule}"


def tp(ident: str, actor: str | None = "agency", **fields: Any) -> dict[str, Any]:
    """A touchpoint; ``actor=None`` leaves the actor out."""
    out: dict[str, Any] = {"id": ident, "name": tp_name(ident), **fields}
    if actor is not None:
        out["actor"] = actor
    return out


def persona(ident: str, goals: Iterable[str] = (), has: Iterable[str] = (), **attributes: Any) -> dict[str, Any]:
    return {"id": ident, "name": ident.title(), "goals": list(goals), "has": list(has), "attributes": attributes}


def rule(ident: str, owner: str | None = "ministry", **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"id": ident, "name": rule_name(ident), **fields}
    if owner is not None:
        out["owner"] = owner
    return out


def _docs_of(touchpoints: list[dict[str, Any]], personas: list[dict[str, Any]]) -> set[str]:
    docs: set[str] = set()
    for t in touchpoints:
        for item in t.get("requires", []):
            if isinstance(item, str):
                docs.add(item)
            elif "doc" in item:
                docs.add(item["doc"])
            else:
                docs.update(item["any_of"])
        docs.update(t.get("produces", []))
        docs.update(t.get("fetches", []))
    for p in personas:
        docs.update(p["has"])
        docs.update(p["goals"])
    return docs


def build(
    touchpoints: list[dict[str, Any]],
    personas: list[dict[str, Any]],
    *,
    rules: Iterable[dict[str, Any]] = (),
    attributes: dict[str, Any] | None = None,
    valid_days: dict[str, int] | None = None,
    **sections: Any,
) -> Case:
    """A valid case from touchpoints and personas; actors and documents are made up from the ids used.

    The data goes through the loader's checks, so a test cannot rest on a case
    the loader would refuse.
    """
    rules = list(rules)
    actors = {t["actor"] for t in touchpoints if "actor" in t} | {r["owner"] for r in rules if "owner" in r}
    validity = valid_days or {}
    documents = []
    for doc in sorted(_docs_of(touchpoints, personas)):
        entry: dict[str, Any] = {"id": doc, "name": doc_name(doc)}
        if doc in validity:
            entry["valid_days"] = validity[doc]
        documents.append(entry)
    data = {
        "format": "kafka-case/1",
        "id": "test",
        "title": "Test",
        "attributes": attributes or {},
        "actors": [{"id": a, "name": actor_name(a)} for a in sorted(actors)],
        "documents": documents,
        "rules": rules,
        "touchpoints": touchpoints,
        "personas": personas,
        **sections,
    }
    case, issues = validate_data(data)
    assert not issues, issues
    assert case is not None
    return case


def of_kind(analysis: Analysis, kind: str) -> dict[str, Finding]:
    return {f.id: f for f in analysis.findings if f.kind == kind}


def kinds(case: Case, kind: str) -> dict[str, Finding]:
    return of_kind(analyze(case), kind)


def only(case: Case, kind: str) -> Finding:
    found = kinds(case, kind)
    assert len(found) == 1, sorted(found)
    return next(iter(found.values()))


def names_all(text: str, *names: str) -> None:
    for name in names:
        assert name in text, (name, text)


def test_every_kind_is_covered_here() -> None:
    """The findings table has exactly these kinds, with these default severities."""
    assert {kind.name: kind.severity for kind in KINDS} == {
        "circular_dependency": "critical",
        "referral_loop": "high",
        "dead_end": "critical",
        "unobtainable_document": "critical",
        "unreachable_goal": "critical",
        "coverage_gap": "critical",
        "futile_referral": "high",
        "conflicting_rules": "high",
        "no_owner": "high",
        "repeated_request": "medium",
        "single_point_of_failure": "medium",
        "expiry_trap": "high",
        "journey_loop": "high",
    }


# ---------------------------------------------------------------- circular_dependency


def address_loop(**open_fields: Any) -> list[dict[str, Any]]:
    """No bank account without an address, no address without a bank account."""
    return [
        tp("open", "bank", requires=open_fields.pop("requires", ["address"]), produces=["account"], **open_fields),
        tp("register", "town", requires=["account"], produces=["address"]),
    ]


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


def test_circular_dependency_through_an_any_of_group_that_cannot_be_met() -> None:
    case = build(
        [
            tp("open", "bank", requires=[{"any_of": ["address", "postal_address"]}], produces=["account"]),
            tp("register", "town", requires=["account"], produces=["address", "postal_address"]),
        ],
        [persona("amira", goals=["account"])],
    )
    assert "circular_dependency/account+address+postal_address" in kinds(case, "circular_dependency")


def test_circular_dependency_broken_by_an_any_of_alternative_the_persona_has() -> None:
    case = build(
        address_loop(requires=[{"any_of": ["address", "passport"]}]),
        [persona("amira", goals=["account"], has=["passport"])],
    )
    analysis = analyze(case)
    assert of_kind(analysis, "circular_dependency") == {}
    assert analysis.personas[0].goals_reachable == {"account": True}


def test_circular_dependency_broken_by_an_any_of_alternative_the_persona_can_obtain() -> None:
    case = build(
        [
            *address_loop(requires=[{"any_of": ["address", "passport"]}]),
            tp("passport_desk", "town", produces=["passport"]),
        ],
        [persona("amira", goals=["account"])],
    )
    assert kinds(case, "circular_dependency") == {}


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


def test_circular_dependency_not_reported_when_the_goal_is_reachable() -> None:
    # The circle exists, but the goal comes from another desk too.
    case = build(
        [*address_loop(), tp("basic_account", "bank", produces=["account"])],
        [persona("amira", goals=["account"])],
    )
    assert kinds(case, "circular_dependency") == {}


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


def test_referral_loop_critical_for_one_persona_names_only_the_stuck_one() -> None:
    case = build(
        [
            tp("a", requires=["x"], produces=["g"], refers_to=["b"]),
            tp("b", requires=["x"], produces=["g"], refers_to=["a"]),
        ],
        [persona("stuck", goals=["g"]), persona("helped", goals=["g"], has=["x"])],
    )
    finding = only(case, "referral_loop")
    assert finding.severity == "critical"
    assert finding.personas == ("stuck",)


def test_referral_loop_of_one_desk_sending_people_back_to_itself() -> None:
    case = build([tp("a", requires=["x"], produces=["g"], refers_to=["a"])], [persona("p", goals=["g"])])
    finding = only(case, "referral_loop")
    assert finding.id == "referral_loop/a"
    assert finding.nodes == ("a",)


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


# ---------------------------------------------------------------- dead_end


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


def test_no_dead_end_where_a_referral_reaches_help() -> None:
    case = build(
        [
            tp("front", "town", requires=["form"], produces=["g"], refers_to=["back"]),
            tp("back", "uwv", produces=["form"]),
        ],
        [persona("p", goals=["g"])],
    )
    assert kinds(case, "dead_end") == {}


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


def test_no_dead_end_for_a_desk_nobody_needs() -> None:
    case = build([tp("t", requires=["x"], produces=["y"])], [persona("p", goals=["g"], has=["g"])])
    assert kinds(case, "dead_end") == {}


# ---------------------------------------------------------------- unobtainable_document


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


def test_unobtainable_any_of_group_reports_each_alternative() -> None:
    case = build(
        [tp("t", requires=[{"any_of": ["x", "y"]}], produces=["g"]), tp("u", requires=["x"], produces=["h"])],
        [persona("p", goals=["g"])],
    )
    found = kinds(case, "unobtainable_document")
    assert sorted(found) == ["unobtainable_document/x", "unobtainable_document/y"]
    assert set(found["unobtainable_document/x"].nodes) == {"x", "t", "u"}
    assert set(found["unobtainable_document/y"].nodes) == {"y", "t"}


def test_no_unobtainable_document_when_one_alternative_can_be_had() -> None:
    case = build(
        [tp("t", requires=[{"any_of": ["x", "y"]}], produces=["g"]), tp("y_desk", produces=["y"])],
        [persona("p", goals=["g"])],
    )
    assert kinds(case, "unobtainable_document") == {}


def test_no_unobtainable_document_when_a_persona_holds_it() -> None:
    # Only Ann has x; for Bob it is out of reach, but the document exists.
    case = build(
        [tp("t", requires=["x"], produces=["g"])],
        [persona("ann", goals=["g"], has=["x"]), persona("bob", goals=["g"])],
    )
    assert kinds(case, "unobtainable_document") == {}


# ---------------------------------------------------------------- unreachable_goal


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


def test_unreachable_goal_that_nobody_issues() -> None:
    case = build([], [persona("p", goals=["g"])])
    finding = only(case, "unreachable_goal")
    assert finding.id == "unreachable_goal/p/g"
    names_all(finding.explanation, "No desk issues Doc g")


def test_no_unreachable_goal_when_the_goal_is_reachable_or_held() -> None:
    case = build(
        [tp("t", produces=["g"])],
        [persona("p", goals=["g"]), persona("q", goals=["h"], has=["h"])],
    )
    assert kinds(case, "unreachable_goal") == {}


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


def test_coverage_gap_leaves_out_personas_outside_the_gap() -> None:
    case = gap_case({"age": {"max": 17}}, {"age": {"min": 19}}, age=30)
    assert only(case, "coverage_gap").personas == ()


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


def test_no_coverage_gap_when_a_producer_serves_everyone() -> None:
    case = build(
        [tp("youth_desk", rules=["minors"], produces=["support"]), tp("open_desk", produces=["support"])],
        [persona("noa", goals=["support"], age=18)],
        rules=[rule("minors", when={"age": {"max": 17}})],
        attributes=AGE,
    )
    assert kinds(case, "coverage_gap") == {}


# ---------------------------------------------------------------- futile_referral


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


# ---------------------------------------------------------------- conflicting_rules


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


def test_conflicting_rules_on_the_only_way_to_a_goal() -> None:
    finding = only(conflict_on_the_way(), "conflicting_rules")
    assert finding.id == "conflicting_rules/adults+minors"
    assert {"adult_desk", "minor_desk", "g"} <= set(finding.nodes)
    names_all(finding.explanation, "Doc g", "Ministry Office", "Province Office")


def test_no_conflicting_rules_on_different_touchpoints_with_an_alternative() -> None:
    case = conflict_on_the_way(tp("open_desk", "town", produces=["x"]))
    assert kinds(case, "conflicting_rules") == {}


def test_no_conflicting_rules_when_rules_can_hold_together() -> None:
    case = build(
        [tp("desk", rules=["adults", "young"], produces=["g"])],
        [persona("p", goals=["g"], age=20)],
        rules=[rule("adults", when={"age": {"min": 18}}), rule("young", when={"age": {"max": 27}})],
        attributes=AGE,
    )
    assert kinds(case, "conflicting_rules") == {}


# ---------------------------------------------------------------- no_owner


def test_no_owner_for_a_touchpoint_without_actor() -> None:
    case = build([tp("arrangement", None, produces=["g"])], [persona("daan", goals=["g"])])
    finding = only(case, "no_owner")
    assert finding.id == "no_owner/arrangement"
    assert finding.severity == "high"
    assert finding.nodes == ("arrangement",)
    assert finding.personas == ("daan",)
    names_all(finding.explanation, "Desk arrangement", "Daan")


def test_no_owner_for_a_rule_without_owner() -> None:
    case = build(
        [tp("desk", "town", rules=["house_rule"], produces=["g"])],
        [persona("p", goals=["g"])],
        rules=[rule("house_rule", owner=None)],
    )
    finding = only(case, "no_owner")
    assert finding.id == "no_owner/house_rule"
    assert finding.rules == ("house_rule",)
    assert finding.nodes == ("house_rule", "desk")
    assert finding.actors == ("town",)
    assert finding.personas == ("p",)
    names_all(finding.explanation, "Rule house_rule")


def test_no_owner_for_a_rule_that_only_imposes_a_requirement() -> None:
    case = build(
        [tp("desk", "town", requires=[{"doc": "x", "rule": "house_rule"}], produces=["g"])],
        [persona("p", goals=["g"], has=["x"])],
        rules=[rule("house_rule", owner=None)],
    )
    assert only(case, "no_owner").nodes == ("house_rule", "desk")


def test_no_no_owner_when_actor_and_owner_are_set() -> None:
    case = build(
        [tp("desk", "town", rules=["house_rule"], produces=["g"])],
        [persona("p", goals=["g"])],
        rules=[rule("house_rule", owner="town")],
    )
    assert kinds(case, "no_owner") == {}


# ---------------------------------------------------------------- repeated_request


def test_repeated_request_by_two_actors() -> None:
    case = build(
        [
            tp("bank_desk", "bank", requires=[{"doc": "passport", "rule": "kyc"}], produces=["account"]),
            tp("town_desk", "town", requires=["passport"], produces=["registration"]),
        ],
        [persona("p", goals=["account", "registration"], has=["passport"])],
        rules=[rule("kyc", owner="ministry")],
    )
    finding = only(case, "repeated_request")
    assert finding.id == "repeated_request/passport"
    assert finding.severity == "medium"
    assert finding.nodes == ("passport", "bank_desk", "town_desk")
    assert finding.rules == ("kyc",)
    assert set(finding.actors) == {"bank", "town", "ministry"}
    assert finding.personas == ("p",)
    names_all(finding.explanation, "Bank Office", "Town Office", "Doc passport")


def test_no_repeated_request_by_the_same_actor_twice() -> None:
    case = build(
        [
            tp("desk1", "town", requires=["passport"], produces=["a"]),
            tp("desk2", "town", requires=["passport"], produces=["b"]),
        ],
        [persona("p", goals=["a", "b"], has=["passport"])],
    )
    assert kinds(case, "repeated_request") == {}


def test_no_repeated_request_when_one_actor_fetches_the_document() -> None:
    case = build(
        [
            tp("bank_desk", "bank", requires=["passport"], produces=["account"], fetches=["passport"]),
            tp("town_desk", "town", requires=["passport"], produces=["registration"]),
        ],
        [persona("p", goals=["account", "registration"], has=["passport"])],
    )
    assert kinds(case, "repeated_request") == {}


# ---------------------------------------------------------------- single_point_of_failure


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


def test_no_single_point_of_failure_for_an_unreachable_goal() -> None:
    case = build([tp("t", requires=["x"], produces=["g"])], [persona("p", goals=["g"])])
    assert kinds(case, "single_point_of_failure") == {}


# ---------------------------------------------------------------- expiry_trap


def expiry_case(days: float, valid: dict[str, int], requires: list[Any]) -> Case:
    return build(
        [tp("ind", "immigration", requires=requires, produces=["permit"], days=days)],
        [persona("p", goals=["permit"], has=["statement", "passport"])],
        valid_days=valid,
    )


def test_expiry_trap_when_waiting_longer_than_the_document_lasts() -> None:
    finding = only(expiry_case(91, {"statement": 90}, ["statement"]), "expiry_trap")
    assert finding.id == "expiry_trap/ind/statement"
    assert finding.severity == "high"
    assert finding.nodes == ("ind", "statement")
    assert finding.actors == ("immigration",)
    names_all(finding.explanation, "Immigration Office", "91", "90", "Doc statement")


def test_no_expiry_trap_when_waiting_exactly_as_long_as_it_lasts() -> None:
    assert kinds(expiry_case(90, {"statement": 90}, ["statement"]), "expiry_trap") == {}


def test_no_expiry_trap_with_an_any_of_alternative_that_does_not_expire() -> None:
    case = expiry_case(91, {"statement": 90}, [{"any_of": ["statement", "passport"]}])
    assert kinds(case, "expiry_trap") == {}


def test_expiry_trap_when_every_any_of_alternative_expires() -> None:
    case = expiry_case(91, {"statement": 90, "passport": 30}, [{"any_of": ["statement", "passport"]}])
    assert set(kinds(case, "expiry_trap")) == {"expiry_trap/ind/statement", "expiry_trap/ind/passport"}


def test_expiry_trap_once_for_a_document_required_twice() -> None:
    case = expiry_case(91, {"statement": 90, "passport": 30}, ["statement", {"any_of": ["statement", "passport"]}])
    assert set(kinds(case, "expiry_trap")) == {"expiry_trap/ind/statement", "expiry_trap/ind/passport"}


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


def test_journey_loop_back_to_a_touchpoint_after_another() -> None:
    finding = only(journey_case("a1", "b1", "a1"), "journey_loop")
    assert finding.id == "journey_loop/sandra"
    assert finding.severity == "high"
    assert finding.personas == ("sandra",)
    assert {"a1", "b1", "a"} <= set(finding.nodes)
    assert set(finding.actors) == {"a", "b"}
    names_all(finding.explanation, "Sandra", "Desk a1", "2024-01-03")


def test_journey_loop_back_to_a_desk_of_the_same_actor() -> None:
    # Moving between two desks of one actor is fine; coming back to the first desk is a return.
    finding = only(journey_case("a1", "a2", "a1"), "journey_loop")
    assert finding.nodes == ("a1", "a2")


def test_journey_loop_back_to_an_actor_at_another_desk() -> None:
    finding = only(journey_case("a1", "b1", "a2"), "journey_loop")
    assert "a" in finding.nodes
    names_all(finding.explanation, "A Office")


@pytest.mark.parametrize("steps", [("a1", "a1", "b1"), ("a1", "a2", "b1"), ("a1", "b1", "c1"), ("b1", "a1", "a2")])
def test_no_journey_loop(steps: tuple[str, ...]) -> None:
    # Consecutive visits to one desk (a follow-up) are no loop, nor is moving between
    # two desks of the same actor.
    assert kinds(journey_case(*steps), "journey_loop") == {}


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


# ---------------------------------------------------------------- persona plans and burden


def test_plan_takes_the_route_with_fewest_touchpoints() -> None:
    case = build(
        [
            tp("long1", "town", produces=["x"], days=1),
            tp("long2", "town", requires=["x"], produces=["g"], days=1),
            tp("short", "bank", produces=["g"], days=30, cost=5),
        ],
        [persona("p", goals=["g"])],
    )
    result = analyze(case).personas[0]
    assert result.plan == ("short",)
    assert result.burden.to_json() == {"steps": 1, "actors": 1, "days": 30, "cost": 5}


def test_plan_with_equal_steps_takes_the_fewest_days() -> None:
    case = build(
        [
            tp("slow1", "town", produces=["x"], days=10),
            tp("slow2", "town", requires=["x"], produces=["g"], days=10),
            tp("fast1", "bank", produces=["y"], days=3),
            tp("fast2", "uwv", requires=["y"], produces=["g"], days=4),
        ],
        [persona("p", goals=["g"])],
    )
    result = analyze(case).personas[0]
    assert result.plan == ("fast1", "fast2")
    assert result.burden.to_json() == {"steps": 2, "actors": 2, "days": 7, "cost": 0}


def test_burden_counts_shared_prerequisites_once() -> None:
    case = build(
        [
            tp("id_desk", "town", produces=["id_card"], days=5, cost=20),
            tp("bank_desk", "bank", requires=["id_card"], produces=["account"], days=2),
            tp("benefit_desk", "uwv", requires=["id_card", "account"], produces=["benefit"], days=10),
        ],
        [persona("p", goals=["benefit", "account"])],
    )
    result = analyze(case).personas[0]
    assert result.plan == ("id_desk", "bank_desk", "benefit_desk")
    assert result.burden.to_json() == {"steps": 3, "actors": 3, "days": 17, "cost": 20}
    assert result.goals_reachable == {"benefit": True, "account": True}


def test_plan_is_empty_for_held_goals_and_leaves_out_unreachable_ones() -> None:
    case = build(
        [tp("t", requires=["x"], produces=["g"]), tp("u", produces=["h"])],
        [persona("p", goals=["g", "h", "held"], has=["held"])],
    )
    result = analyze(case).personas[0]
    assert result.goals_reachable == {"g": False, "h": True, "held": True}
    assert result.plan == ("u",)
    assert result.obtainable == ("h", "held")


def test_a_touchpoint_without_actor_cannot_be_used() -> None:
    case = build([tp("t", None, produces=["g"])], [persona("p", goals=["g"])])
    assert analyze(case).personas[0].goals_reachable == {"g": False}


def test_a_fetched_requirement_must_still_exist() -> None:
    # `fetches` spares the citizen from bringing x, not x from existing.
    case = build(
        [tp("t", requires=["x"], fetches=["x"], produces=["g"]), tp("x_desk", requires=["y"], produces=["x"])],
        [persona("p", goals=["g"]), persona("q", goals=["g"], has=["y"])],
    )
    reachable = {p.id: p.goals_reachable["g"] for p in analyze(case).personas}
    assert reachable == {"p": False, "q": True}


# ---------------------------------------------------------------- ids


def every_kind_case() -> Case:
    """One case with findings of many kinds at once."""
    return build(
        [
            *address_loop(),
            tp("goal_desk", "uwv", requires=["x", "account"], produces=["g"], refers_to=["helpdesk"], days=40),
            tp("helpdesk", "ngo", produces=["tea"], refers_to=["goal_desk"]),
            tp("nobody", None, produces=["y"]),
            tp("id_desk", "town", requires=["passport"], produces=["id_card"], days=100),
        ],
        [persona("amira", goals=["g", "id_card"], has=["passport"]), persona("bob", goals=["account"])],
        valid_days={"passport": 60},
    )


def test_finding_ids_are_unique_and_stable() -> None:
    first = analyze(every_kind_case())
    second = analyze(every_kind_case())
    ids = [f.id for f in first.findings]
    assert len(ids) == len(set(ids))
    assert all("~" not in i for i in ids)
    assert ids == [f.id for f in second.findings]
    assert [f.to_json() for f in first.findings] == [f.to_json() for f in second.findings]
    assert {f.kind for f in first.findings} >= {
        "circular_dependency",
        "referral_loop",
        "dead_end",
        "unobtainable_document",
        "unreachable_goal",
        "futile_referral",
        "no_owner",
        "single_point_of_failure",
        "expiry_trap",
    }
    for finding in first.findings:
        assert finding.id.startswith(finding.kind + "/")
        assert finding.severity in ("critical", "high", "medium", "low")


def test_accepted_findings_keep_their_place_and_carry_the_reason() -> None:
    base = every_kind_case().to_data()
    base["accepted"] = [
        {"finding": "no_owner/nobody", "reason": "Known, being fixed."},
        {"finding": "dead_end/gone", "reason": "Old."},
    ]
    case, issues = validate_data(base)
    assert not issues and case is not None
    analysis = analyze(case)
    accepted = analysis.finding("no_owner/nobody")
    assert accepted is not None and accepted.accepted == "Known, being fixed."
    assert accepted.to_json()["accepted"] == "Known, being fixed."
    assert accepted not in analysis.active()
    assert analysis.stale_accepted == ["dead_end/gone"]
    assert [f.id for f in analysis.findings] == [f.id for f in analyze(every_kind_case()).findings]


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
