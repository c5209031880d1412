"""Persona plans and burden, finding ids and accepted findings, on small hand-written cases.

For each kind, cases that have the finding (marked ``finds``) and near misses that look
alike but must not have it (marked ``near_miss``); ``test_kinds.py`` checks that every
kind has both.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kafka_tool.analysis.engine import analyze
from kafka_tool.analysis.graph import CaseIndex
from kafka_tool.analysis.personas import Eligible, eligibility
from kafka_tool.loader import validate_data
from kafka_tool.model import Case
from tests.case_builder import address_loop, build, persona, tp
from tests.profiles import examples

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
    assert result.burden.to_json() == {"steps": 1, "actors": 1, "days": 30, "cost": 5, "elapsed_days": 2,
                                       "hours": 0, "hours_cost": None}


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
    assert result.burden.to_json() == {"steps": 2, "actors": 2, "days": 7, "cost": 0, "elapsed_days": 7,
                                       "hours": 0, "hours_cost": None}


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
    assert result.burden.to_json() == {"steps": 3, "actors": 3, "days": 17, "cost": 20, "elapsed_days": 17,
                                       "hours": 0, "hours_cost": None}
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




# ---------------------------------------------------------------- what a persona can obtain, in id order


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(st.sampled_from([f"d{i}" for i in range(12)]), unique=True, min_size=1),
       st.data())
def test_obtainable_is_listed_in_id_order_however_many_there_are(ids: list[str], data: st.DataObject) -> None:
    case = build([tp(f"t{i}", "town", produces=[doc]) for i, doc in enumerate(ids)], [])
    index = CaseIndex.build(case)
    held = data.draw(st.frozensets(st.sampled_from(ids)))
    assert index.sorted_documents(held) == tuple(sorted(held))
    stray = held | {"not_a_document"}  # read off the list it would be missed: sorted as it is
    assert index.sorted_documents(stray) == tuple(sorted(stray))


# ---------------------------------------------------------------- the touchpoints a persona may use


@settings(max_examples=examples(200), deadline=None)
@given(st.frozensets(st.integers(0, 20)), st.frozensets(st.integers(0, 25)))
def test_eligible_reads_as_the_staffed_touchpoints_less_the_excluded(staffed: frozenset[int],
                                                                     excluded: frozenset[int]) -> None:
    names = frozenset(f"t{i}" for i in staffed)
    out = {f"t{i}": ("rule",) for i in excluded}  # some excluded desks have no actor: not counted
    eligible = Eligible(names, out)
    expected = names - out.keys()
    assert eligible == expected and len(eligible) == len(expected)
    assert sorted(eligible) == sorted(expected)
    assert all((f"t{i}" in eligible) == (f"t{i}" in expected) for i in range(30))


def test_a_views_eligible_touchpoints_are_those_of_its_eligibility() -> None:
    case = build([tp("open", "town", produces=["x"], rules=["adults"]), tp("free", "town", produces=["y"]),
                  tp("nobody", None, produces=["z"])],
                 [persona("young", goals=["x"], age=12), persona("old", goals=["x"], age=40)],
                 rules=[{"id": "adults", "name": "Adults", "when": {"age": {"min": 18}}}],
                 attributes={"age": {"type": "integer", "min": 0, "max": 120}})
    index = CaseIndex.build(case)
    for view in analyze(case).views.values():
        assert view.eligible == eligibility(index, view.persona)[0]
    assert set(analyze(case).views["young"].eligible) == {"free"}
