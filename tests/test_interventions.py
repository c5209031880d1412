"""Interventions: every change kind applied to a copy, what it resolves and introduces, misuse.

Each change kind has a test that applies it and checks both the changed case
and the change in findings (or, for days, cost and effort, in the personas'
burden), and the original case is checked to be untouched.
The sample library's interventions must resolve what their cases promise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from intervention_cases import (
    APPLY_BENEFIT,
    APPLY_BENEFIT_WITH_PAYSLIP,
    APPLY_MISUSES,
    BENEFIT_PORTAL,
    LOAD_MISUSES,
    OPEN_ACCOUNT,
    PERSONAS,
    RANKED_BY_PEOPLE,
    RANKED_BY_PEOPLE_ORDER,
    REGISTER,
    REGISTER_NEEDS_ACCOUNT,
    RULES,
    Misuse,
    make,
)

from kafka_tool.analysis.engine import analyze
from kafka_tool.errors import CaseError, KafkaToolError
from kafka_tool.interventions import (
    Comparison,
    InterventionError,
    Score,
    apply_intervention,
    apply_interventions,
    compare,
    rank,
    resolve_intervention_ids,
)
from kafka_tool.library import library_dir
from kafka_tool.loader import load_case, load_case_text, parse_round_trip, plain
from kafka_tool.model import AnyOfRequirement, Case, Condition, DocRequirement, ProducedOutcome, Value
from kafka_tool.report import comparison_text


def applied(case: Case, *ids: str) -> Case:
    """The case after the interventions; checks that the original is left as it was."""
    before = case.model_dump()
    result = apply_interventions(case, ids)
    assert case.model_dump() == before, "applying an intervention changed the original case"
    assert result is not case
    return result


def compared(case: Case, *ids: str) -> Comparison:
    """The comparison; checks that the original is left as it was."""
    before = case.model_dump()
    result = compare(case, ids)
    assert case.model_dump() == before, "comparing changed the original case"
    return result


def ids(findings: Any) -> list[str]:
    return [f.id for f in findings]


def reachable(comparison: Comparison, persona: str) -> tuple[dict[str, bool], dict[str, bool]]:
    change = next(p for p in comparison.personas if p.id == persona)
    return change.before["goals_reachable"], change.after["goals_reachable"]


def tp(case: Case, tp_id: str) -> Any:
    touchpoint = case.touchpoint(tp_id)
    assert touchpoint is not None, f"no touchpoint {tp_id}"
    return touchpoint


# ---------------------------------------------------------------- the base case


def test_base_case_works_for_ann() -> None:
    analysis = analyze(load_case_text(make()))
    assert analysis.personas[0].goals_reachable == {"benefit": True}
    assert {f.kind for f in analysis.findings} == {"coverage_gap", "single_point_of_failure"}


# ---------------------------------------------------------------- remove_requirement


def test_remove_requirement_breaks_the_circle() -> None:
    case = load_case_text(
        make(
            """\
  - id: drop_account
    title: Register an address without a bank account
    owner: town
    changes:
      - remove_requirement: {touchpoint: register, document: account}
""",
            touchpoints=(REGISTER_NEEDS_ACCOUNT, OPEN_ACCOUNT, APPLY_BENEFIT),
        )
    )
    after = applied(case, "drop_account")
    assert tp(after, "register").requires == ["passport"]
    assert tp(case, "register").requires == ["passport", "account"]

    comparison = compared(case, "drop_account")
    resolved = ids(comparison.resolved)
    assert "circular_dependency/account+address" in resolved
    assert "unreachable_goal/ann/benefit" in resolved
    # Before, nobody could get the benefit anywhere (no gap, only the circle); now minors are left out.
    assert [f.id for f in comparison.introduced if f.severity == "critical"] == ["coverage_gap/benefit/age-0-17"]
    assert reachable(comparison, "ann") == ({"benefit": False}, {"benefit": True})


def test_remove_requirement_of_one_alternative_keeps_the_others_and_the_rule() -> None:
    apply = APPLY_BENEFIT.replace(
        "requires: [account]",
        "requires:\n      - account\n      - {any_of: [passport, digid], rule: benefit_age}",
    )
    case = load_case_text(
        make(
            """\
  - id: no_digid
    title: Stop accepting DigiD
    owner: agency
    changes:
      - remove_requirement: {touchpoint: apply_benefit, document: digid}
      - remove_requirement: {touchpoint: register, document: passport}
""",
            touchpoints=(REGISTER, OPEN_ACCOUNT, apply),
        )
    )
    after = applied(case, "no_digid")
    assert tp(after, "apply_benefit").requires == [
        "account",
        AnyOfRequirement(any_of=["passport"], rule="benefit_age"),
    ]
    # The last alternative removed: the whole item goes.
    assert tp(after, "register").requires == []
    comparison = compared(case, "no_digid")
    # Ann never used DigiD: her goal stays within reach.
    assert reachable(comparison, "ann") == ({"benefit": True}, {"benefit": True})
    assert not any(f.kind == "unreachable_goal" for f in comparison.introduced)


# ---------------------------------------------------------------- add_requirement


def test_add_requirement_asked_by_a_second_actor_introduces_a_repeated_request() -> None:
    case = load_case_text(
        make("""\
  - id: ask_passport
    title: The agency asks for the passport too
    owner: agency
    changes:
      - add_requirement: {touchpoint: apply_benefit, document: passport}
""")
    )
    after = applied(case, "ask_passport")
    assert tp(after, "apply_benefit").requires == ["account", "passport"]
    comparison = compared(case, "ask_passport")
    assert comparison.resolved == []
    assert ids(comparison.introduced) == ["repeated_request/passport"]
    assert reachable(comparison, "ann") == ({"benefit": True}, {"benefit": True})


def test_add_requirement_with_a_rule_or_alternatives_and_an_unobtainable_document() -> None:
    case = load_case_text(
        make("""\
  - id: ask_payslip
    title: The agency asks for a payslip
    owner: agency
    changes:
      - add_requirement: {touchpoint: apply_benefit, document: payslip, rule: benefit_age}
      - add_requirement: {touchpoint: open_account, any_of: [passport, digid]}
""")
    )
    after = applied(case, "ask_payslip")
    assert tp(after, "apply_benefit").requires == ["account", DocRequirement(doc="payslip", rule="benefit_age")]
    assert tp(after, "open_account").requires == ["address", AnyOfRequirement(any_of=["passport", "digid"])]
    comparison = compared(case, "ask_payslip")
    introduced = ids(comparison.introduced)
    assert "unobtainable_document/payslip" in introduced
    assert "unreachable_goal/ann/benefit" in introduced
    assert reachable(comparison, "ann") == ({"benefit": True}, {"benefit": False})


def test_add_requirement_makes_an_alternative_mandatory() -> None:
    case = load_case_text(
        make("""\
  - id: either
    title: Accept a passport or a DigiD at the bank
    owner: agency
    changes:
      - add_requirement: {touchpoint: open_account, any_of: [passport, digid]}
  - id: passport_only
    title: Then insist on the passport
    owner: agency
    changes:
      - add_requirement: {touchpoint: open_account, document: passport}
""")
    )
    after = applied(case, "either", "passport_only")
    assert tp(after, "open_account").requires == [
        "address", AnyOfRequirement(any_of=["passport", "digid"]), "passport"
    ]


# ---------------------------------------------------------------- add_produces, remove_produces


PAYSLIP_MISSING = (REGISTER, OPEN_ACCOUNT, APPLY_BENEFIT_WITH_PAYSLIP)


def test_add_produces_makes_the_missing_document_obtainable() -> None:
    case = load_case_text(
        make(
            """\
  - id: town_payslip
    title: The town hall issues an income statement
    owner: town
    changes:
      - add_produces: {touchpoint: register, document: payslip}
""",
            touchpoints=PAYSLIP_MISSING,
        )
    )
    after = applied(case, "town_payslip")
    assert tp(after, "register").produces == ["address", "payslip"]
    comparison = compared(case, "town_payslip")
    assert {"unobtainable_document/payslip", "unreachable_goal/ann/benefit"} <= set(ids(comparison.resolved))
    assert not any(f.severity == "critical" for f in comparison.introduced)
    assert reachable(comparison, "ann") == ({"benefit": False}, {"benefit": True})


def test_remove_produces_of_the_only_producer_loses_the_goal() -> None:
    case = load_case_text(
        make("""\
  - id: no_accounts
    title: The bank stops opening accounts
    owner: bank
    changes:
      - remove_produces: {touchpoint: open_account, document: account}
""")
    )
    after = applied(case, "no_accounts")
    assert tp(after, "open_account").produces == []
    comparison = compared(case, "no_accounts")
    assert {"unobtainable_document/account", "unreachable_goal/ann/benefit"} <= set(ids(comparison.introduced))
    assert reachable(comparison, "ann") == ({"benefit": True}, {"benefit": False})
    before_burden = comparison.personas[0].before["burden"]
    assert before_burden == {"steps": 3, "actors": 3, "days": 18, "cost": 0, "elapsed_days": 18,
                             "hours": 0, "hours_cost": None}
    assert comparison.personas[0].after["burden"] == {"steps": 0, "actors": 0, "days": 0, "cost": 0, "elapsed_days": 0,
                                                      "hours": 0, "hours_cost": None}


# ---------------------------------------------------------------- add_referral, remove_referral


def test_add_referral_to_a_touchpoint_that_helps_resolves_the_dead_end() -> None:
    case = load_case_text(
        make(
            """\
  - id: portal_refers
    title: The portal sends people to the desk
    owner: agency
    changes:
      - add_referral: {touchpoint: benefit_portal, to: apply_benefit}
""",
            touchpoints=(REGISTER, OPEN_ACCOUNT, APPLY_BENEFIT, BENEFIT_PORTAL),
        )
    )
    assert "dead_end/benefit_portal" in ids(analyze(case).findings)
    after = applied(case, "portal_refers")
    assert tp(after, "benefit_portal").refers_to == ["apply_benefit"]
    comparison = compared(case, "portal_refers")
    assert ids(comparison.resolved) == ["dead_end/benefit_portal"]
    assert comparison.introduced == []
    # The DigiD itself is still out of reach: a referral does not change that.
    assert "unobtainable_document/digid" in ids(comparison.after.findings)


def test_remove_referral_to_the_only_helpful_touchpoint_introduces_a_dead_end() -> None:
    portal = BENEFIT_PORTAL + "    refers_to: [apply_benefit]\n"
    case = load_case_text(
        make(
            """\
  - id: portal_silent
    title: The portal stops sending people to the desk
    owner: agency
    changes:
      - remove_referral: {touchpoint: benefit_portal, to: apply_benefit}
""",
            touchpoints=(REGISTER, OPEN_ACCOUNT, APPLY_BENEFIT, portal),
        )
    )
    after = applied(case, "portal_silent")
    assert tp(after, "benefit_portal").refers_to == []
    assert tp(case, "benefit_portal").refers_to == ["apply_benefit"]
    comparison = compared(case, "portal_silent")
    assert comparison.resolved == []
    assert ids(comparison.introduced) == ["dead_end/benefit_portal"]


# ---------------------------------------------------------------- set_when


def test_set_when_closes_the_coverage_gap() -> None:
    youth = """\
  - id: youth_allowance
    name: Apply for the youth allowance
    actor: agency
    rules: [youth]
    requires: [account]
    produces: [benefit]
"""
    rules = """\
rules:
  - id: benefit_age
    name: The benefit is for those over 18
    owner: ministry
    when: {age: {min: 19}}
  - id: youth
    name: The youth allowance is for minors
    owner: ministry
    when: {age: {max: 17}}
"""
    case = load_case_text(
        make(
            """\
  - id: from_18
    title: The benefit from the 18th birthday
    owner: ministry
    changes:
      - set_when: {rule: benefit_age, when: {age: {min: 18}}}
""",
            touchpoints=(REGISTER, OPEN_ACCOUNT, APPLY_BENEFIT, youth),
            rules=rules,
        )
    )
    gap = analyze(case).finding("coverage_gap/benefit/age-18")
    assert gap is not None and gap.region == {"age": {"min": 18, "max": 18}}
    after = applied(case, "from_18")
    rule = after.rule("benefit_age")
    assert rule is not None and rule.when == {"age": Condition(min=18)}
    original = case.rule("benefit_age")
    assert original is not None and original.when == {"age": Condition(min=19)}
    comparison = compared(case, "from_18")
    assert ids(comparison.resolved) == ["coverage_gap/benefit/age-18"]
    assert comparison.introduced == []


# ---------------------------------------------------------------- set_actor


def test_set_actor_gives_the_touchpoint_an_owner() -> None:
    ownerless = APPLY_BENEFIT.replace("    actor: agency\n", "")
    case = load_case_text(
        make(
            """\
  - id: agency_owns
    title: The agency takes responsibility for the benefit desk
    owner: agency
    changes:
      - set_actor: {touchpoint: apply_benefit, actor: agency}
""",
            touchpoints=(REGISTER, OPEN_ACCOUNT, ownerless),
        )
    )
    after = applied(case, "agency_owns")
    assert tp(after, "apply_benefit").actor == "agency"
    assert tp(case, "apply_benefit").actor is None
    comparison = compared(case, "agency_owns")
    assert {"no_owner/apply_benefit", "unreachable_goal/ann/benefit"} <= set(ids(comparison.resolved))
    assert reachable(comparison, "ann") == ({"benefit": False}, {"benefit": True})


def test_set_actor_to_nobody_introduces_no_owner() -> None:
    case = load_case_text(
        make("""\
  - id: bank_leaves
    title: The bank closes its desk
    owner: bank
    changes:
      - set_actor: {touchpoint: open_account, actor: null}
""")
    )
    after = applied(case, "bank_leaves")
    assert tp(after, "open_account").actor is None
    comparison = compared(case, "bank_leaves")
    assert {"no_owner/open_account", "unreachable_goal/ann/benefit"} <= set(ids(comparison.introduced))


# ---------------------------------------------------------------- exchange


def test_exchange_resolves_the_repeated_request_and_keeps_the_requirement() -> None:
    bank = OPEN_ACCOUNT.replace("requires: [address]", "requires: [address, passport]")
    case = load_case_text(
        make(
            """\
  - id: bank_fetches
    title: The bank checks the passport in the register itself
    owner: bank
    changes:
      - exchange: {touchpoint: open_account, document: passport}
""",
            touchpoints=(REGISTER, bank, APPLY_BENEFIT),
        )
    )
    after = applied(case, "bank_fetches")
    assert tp(after, "open_account").fetches == ["passport"]
    assert tp(after, "open_account").requires == ["address", "passport"], "still needed, only not asked"
    assert tp(case, "open_account").fetches == []
    comparison = compared(case, "bank_fetches")
    assert ids(comparison.resolved) == ["repeated_request/passport"]
    assert comparison.introduced == []
    change = comparison.personas[0]
    assert change.before == change.after


def test_exchange_does_not_make_an_unobtainable_document_appear() -> None:
    bank = OPEN_ACCOUNT.replace("requires: [address]", "requires: [address, payslip]")
    case = load_case_text(
        make(
            """\
  - id: fetch_payslip
    title: Both fetch the payslip themselves
    owner: agency
    changes:
      - exchange: {touchpoint: apply_benefit, document: payslip}
      - exchange: {touchpoint: open_account, document: payslip}
""",
            touchpoints=(REGISTER, bank, APPLY_BENEFIT_WITH_PAYSLIP),
        )
    )
    after = applied(case, "fetch_payslip")
    assert tp(after, "apply_benefit").fetches == ["payslip"]
    assert tp(after, "open_account").fetches == ["payslip"]
    comparison = compared(case, "fetch_payslip")
    assert ids(comparison.resolved) == ["repeated_request/payslip"]
    assert comparison.introduced == []
    # Fetched by the actor, but it still has to exist somewhere: nobody issues it.
    still = ids(comparison.after.findings)
    assert "unobtainable_document/payslip" in still
    assert "unreachable_goal/ann/benefit" in still
    assert reachable(comparison, "ann") == ({"benefit": False}, {"benefit": False})


def test_exchange_of_a_document_the_persona_can_obtain_keeps_the_goal_reachable() -> None:
    agency = APPLY_BENEFIT.replace("requires: [account]", "requires: [account, address]")
    case = load_case_text(
        make(
            """\
  - id: fetch_address
    title: The agency looks up the address itself
    owner: agency
    changes:
      - exchange: {touchpoint: apply_benefit, document: address}
""",
            touchpoints=(REGISTER, OPEN_ACCOUNT, agency),
        )
    )
    assert "repeated_request/address" in ids(analyze(case).findings)
    comparison = compared(case, "fetch_address")
    assert ids(comparison.resolved) == ["repeated_request/address"]
    assert reachable(comparison, "ann") == ({"benefit": True}, {"benefit": True})


# ---------------------------------------------------------------- set_days, set_cost, set_effort


def burden(comparison: Comparison, persona: str = "ann") -> tuple[dict[str, Any], dict[str, Any]]:
    change = next(p for p in comparison.personas if p.id == persona)
    return change.before["burden"], change.after["burden"]


def test_set_days_changes_how_long_a_touchpoint_takes_and_null_makes_it_unknown() -> None:
    case = load_case_text(
        make("""\
  - id: quicker
    title: The town hall registers an address the same day
    owner: town
    changes:
      - set_days: {touchpoint: register, days: 1}
  - id: unknown
    title: Nobody knows how long it takes
    owner: town
    changes:
      - set_days: {touchpoint: register, days: null}
""")
    )
    assert tp(applied(case, "quicker"), "register").days == 1
    assert tp(applied(case, "unknown"), "register").days is None
    assert tp(case, "register").days == 5
    before, after = burden(compared(case, "quicker"))
    # 5 + 3 + 10 days become 1 + 3 + 10.
    assert (before["days"], after["days"]) == (18, 14)
    assert burden(compared(case, "unknown"))[1]["days"] == 13


def test_set_cost_charges_or_waives_a_fee() -> None:
    case = load_case_text(
        make(
            """\
  - id: fee
    title: The bank charges for an account
    owner: bank
    changes:
      - set_cost: {touchpoint: open_account, cost: 25}
  - id: free
    title: The town hall waives its fee
    owner: town
    changes:
      - set_cost: {touchpoint: register, cost: 0}
""",
            touchpoints=(REGISTER + "    cost: 40\n", OPEN_ACCOUNT, APPLY_BENEFIT),
        )
    )
    assert tp(applied(case, "fee"), "open_account").cost == 25
    assert tp(case, "open_account").cost is None
    assert tp(applied(case, "free"), "register").cost == 0
    assert tp(case, "register").cost == 40
    assert [burden(compared(case, ident))[1]["cost"] for ident in ("fee", "free")] == [65, 0]


#: The benefit desk asks for the account, a passport or a DigiD, and the address (two hours of
#: forms at the desk itself).
APPLY_THREE_ITEMS = APPLY_BENEFIT.replace(
    "requires: [account]",
    "effort_hours: 2\n    requires:\n      - account\n      - {any_of: [passport, digid]}\n"
    "      - {doc: address, effort_hours: 1}",
)


def test_set_effort_on_a_touchpoint_changes_the_hours_at_the_desk() -> None:
    case = load_case_text(
        make(
            """\
  - id: shorter_form
    title: A shorter form at the benefit desk
    owner: agency
    changes:
      - set_effort: {touchpoint: apply_benefit, effort_hours: 0.5}
""",
            touchpoints=(REGISTER, OPEN_ACCOUNT, APPLY_THREE_ITEMS),
        )
    )
    after = applied(case, "shorter_form")
    assert tp(after, "apply_benefit").effort_hours == 0.5
    assert tp(case, "apply_benefit").effort_hours == 2
    assert tp(after, "apply_benefit").requires == tp(case, "apply_benefit").requires
    before, later = burden(compared(case, "shorter_form"))
    # 2 hours at the desk and 1 for the address; then half an hour and 1.
    assert (before["hours"], later["hours"]) == (3, 1.5)


def test_set_effort_on_an_item_rewrites_a_plain_id_and_keeps_the_order() -> None:
    case = load_case_text(
        make(
            """\
  - id: item_effort
    title: What gathering each paper takes
    owner: agency
    changes:
      - set_effort: {touchpoint: apply_benefit, document: account, effort_hours: 1.5}
      - set_effort: {touchpoint: apply_benefit, document: digid, effort_hours: 0.25}
      - set_effort: {touchpoint: apply_benefit, document: address, effort_hours: null}
""",
            touchpoints=(REGISTER, OPEN_ACCOUNT, APPLY_THREE_ITEMS),
        )
    )
    after = applied(case, "item_effort")
    assert tp(after, "apply_benefit").requires == [
        DocRequirement(doc="account", effort_hours=1.5),
        AnyOfRequirement(any_of=["passport", "digid"], effort_hours=0.25),
        "address",  # its effort removed, nothing is left to write but the id
    ]
    assert tp(case, "apply_benefit").requires == [
        "account", AnyOfRequirement(any_of=["passport", "digid"]), DocRequirement(doc="address", effort_hours=1)
    ]
    before, later = burden(compared(case, "item_effort"))
    assert (before["hours"], later["hours"]) == (3, 3.75)


# ---------------------------------------------------------------- set_window


#: The benefit desk also asks for the address registration, which Ann holds on day 5; she holds
#: the account on day 8.
APPLY_WITH_ADDRESS = APPLY_BENEFIT.replace("requires: [account]", "requires: [account, address]")


def test_set_window_on_an_item_makes_a_window_trap() -> None:
    case = load_case_text(
        make(
            """\
  - id: hurry
    title: Apply within two days of registering
    owner: agency
    changes:
      - set_window: {touchpoint: apply_benefit, document: address, within_days: 2}
""",
            touchpoints=(REGISTER, OPEN_ACCOUNT, APPLY_WITH_ADDRESS),
        )
    )
    after = applied(case, "hurry")
    assert tp(after, "apply_benefit").requires == ["account", DocRequirement(doc="address", within_days=2)]
    assert tp(case, "apply_benefit").requires == ["account", "address"]
    comparison = compared(case, "hurry")
    # The window closes on day 7; the account comes on day 8.
    assert "window_trap/apply_benefit/address" in ids(comparison.introduced)
    assert reachable(comparison, "ann") == ({"benefit": True}, {"benefit": False})


def test_set_window_null_removes_the_window() -> None:
    windowed = APPLY_BENEFIT.replace("requires: [account]", "requires: [account, {doc: address, within_days: 2}]")
    case = load_case_text(
        make(
            """\
  - id: no_hurry
    title: No deadline after registering
    owner: agency
    changes:
      - set_window: {touchpoint: apply_benefit, document: address, within_days: null}
""",
            touchpoints=(REGISTER, OPEN_ACCOUNT, windowed),
        )
    )
    after = applied(case, "no_hurry")
    assert tp(after, "apply_benefit").requires == ["account", "address"]
    comparison = compared(case, "no_hurry")
    assert "window_trap/apply_benefit/address" in ids(comparison.resolved)
    assert reachable(comparison, "ann") == ({"benefit": False}, {"benefit": True})


# ---------------------------------------------------------------- set_value, set_owner, add_outcome


def test_set_value_gives_a_document_a_value_and_null_removes_it() -> None:
    text = make("""\
  - id: worth
    title: The benefit is 300 a month
    owner: ministry
    changes:
      - set_value: {document: benefit, value: {amount: 300, per: month}}
  - id: worthless
    title: The address registration is worth nothing in money
    owner: town
    changes:
      - set_value: {document: address, value: null}
""").replace("{id: address, name: Address registration, kind: registration}",
             "{id: address, name: Address registration, kind: registration, value: {amount: 5, per: once}}")
    case = load_case_text(text)
    worth = applied(case, "worth").document("benefit")
    assert worth is not None and worth.value == Value(amount=300, per="month")
    original = case.document("benefit")
    assert original is not None and original.value is None
    worthless = applied(case, "worthless").document("address")
    assert worthless is not None and worthless.value is None
    kept = case.document("address")
    assert kept is not None and kept.value == Value(amount=5, per="once")
    # A value changes what a persona's goals are worth, not whether anyone can reach them.
    comparison = compared(case, "worth")
    assert (comparison.resolved, comparison.introduced) == ([], [])


def test_set_owner_gives_a_rule_an_owner_and_null_takes_it_away() -> None:
    ownerless = RULES.replace("    owner: ministry\n", "")
    case = load_case_text(
        make(
            """\
  - id: ministry_owns
    title: The ministry owns the age rule
    owner: ministry
    changes:
      - set_owner: {rule: benefit_age, owner: ministry}
  - id: nobody_owns
    title: Nobody owns the age rule
    changes:
      - set_owner: {rule: benefit_age, owner: null}
""",
            rules=ownerless,
        )
    )
    rule = applied(case, "ministry_owns").rule("benefit_age")
    assert rule is not None and rule.owner == "ministry"
    original = case.rule("benefit_age")
    assert original is not None and original.owner is None
    assert ids(compared(case, "ministry_owns").resolved) == ["no_owner/benefit_age"]
    # Taking away an owner it does not have changes nothing.
    unowned = applied(case, "nobody_owns").rule("benefit_age")
    assert unowned is not None and unowned.owner is None
    owned = load_case_text(make("""\
  - id: nobody_owns
    title: Nobody owns the age rule
    changes:
      - set_owner: {rule: benefit_age, owner: null}
"""))
    assert ids(compared(owned, "nobody_owns").introduced) == ["no_owner/benefit_age"]


def test_add_outcome_gives_a_document_to_those_who_meet_its_condition() -> None:
    case = load_case_text(
        make(
            """\
  - id: adult_payslip
    title: The town hall gives adults an income statement
    owner: town
    changes:
      - add_outcome: {touchpoint: register, doc: payslip, when: {age: {min: 18}}}
""",
            touchpoints=PAYSLIP_MISSING,
        )
    )
    after = applied(case, "adult_payslip")
    outcome = ProducedOutcome(doc="payslip", when={"age": Condition(min=18)})
    assert tp(after, "register").produces == ["address", outcome]
    assert tp(case, "register").produces == ["address"]
    comparison = compared(case, "adult_payslip")
    assert {"unobtainable_document/payslip", "unreachable_goal/ann/benefit"} <= set(ids(comparison.resolved))
    assert reachable(comparison, "ann") == ({"benefit": False}, {"benefit": True})


# ---------------------------------------------------------------- add_touchpoint, remove_touchpoint


def test_add_touchpoint_with_a_new_producer_makes_the_goal_reachable() -> None:
    case = load_case_text(
        make(
            """\
  - id: payslip_office
    title: An office that issues income statements
    owner: agency
    changes:
      - add_touchpoint:
          id: income_desk
          name: Ask for an income statement
          actor: agency
          requires: [passport]
          produces: [payslip]
          days: 2
""",
            touchpoints=PAYSLIP_MISSING,
        )
    )
    after = applied(case, "payslip_office")
    assert [t.id for t in after.touchpoints] == ["register", "open_account", "apply_benefit", "income_desk"]
    desk = tp(after, "income_desk")
    assert (desk.actor, desk.requires, desk.produces, desk.days) == ("agency", ["passport"], ["payslip"], 2)
    assert case.touchpoint("income_desk") is None
    # The added touchpoint is a copy: changing it does not change the intervention.
    desk.produces.append("digid")
    assert applied(case, "payslip_office").touchpoint("income_desk").produces == ["payslip"]  # type: ignore[union-attr]

    comparison = compared(case, "payslip_office")
    assert {"unobtainable_document/payslip", "unreachable_goal/ann/benefit"} <= set(ids(comparison.resolved))
    assert reachable(comparison, "ann") == ({"benefit": False}, {"benefit": True})
    assert comparison.personas[0].after["burden"] == {"steps": 4, "actors": 3, "days": 20, "cost": 0,
                                                      "elapsed_days": 18, "hours": 0, "hours_cost": None}


def test_remove_touchpoint_of_the_only_producer_introduces_an_unreachable_goal() -> None:
    case = load_case_text(
        make("""\
  - id: close_town_hall
    title: The town hall closes its desk
    owner: town
    changes:
      - remove_touchpoint: register
""")
    )
    after = applied(case, "close_town_hall")
    assert [t.id for t in after.touchpoints] == ["open_account", "apply_benefit"]
    # Referrals to it go with it.
    assert tp(after, "open_account").refers_to == []
    assert tp(case, "open_account").refers_to == ["register"]
    comparison = compared(case, "close_town_hall")
    assert "unreachable_goal/ann/benefit" in ids(comparison.introduced)
    assert "unobtainable_document/address" in ids(comparison.introduced)
    assert "single_point_of_failure/register" in ids(comparison.resolved)
    assert reachable(comparison, "ann") == ({"benefit": True}, {"benefit": False})


JOURNEY = """\
journeys:
  - persona: ann
    steps:
      - {touchpoint: register, date: 2024-01-01, outcome: referred, to: open_account}
      - {touchpoint: open_account, date: 2024-01-02, outcome: referred, to: register}
      - {touchpoint: register, date: 2024-01-03, outcome: helped}
"""


def test_remove_touchpoint_a_journey_went_through() -> None:
    case = load_case_text(
        make(
            """\
  - id: close_town_hall
    title: The town hall closes its desk
    owner: town
    changes:
      - remove_touchpoint: register
""",
            extra=JOURNEY,
        )
    )
    assert "journey_loop/ann" in ids(analyze(case).findings)
    comparison = compared(case, "close_town_hall")
    # What happened, happened: the reconstructed journey is not changed by a proposal.
    assert "journey_loop/ann" not in ids(comparison.resolved)
    assert "journey_loop/ann" not in ids(comparison.introduced)


# ---------------------------------------------------------------- misuse


@pytest.mark.parametrize("misuse", APPLY_MISUSES, ids=[m.name for m in APPLY_MISUSES])
def test_a_change_that_does_not_fit_names_the_intervention_and_the_change(misuse: Misuse) -> None:
    case = load_case_text(misuse.text())
    before = case.model_dump()
    with pytest.raises(InterventionError) as caught:
        apply_intervention(case, "misfit")
    message = str(caught.value)
    assert message.startswith(f"intervention 'misfit', change 2 ({misuse.kind}): ")
    assert misuse.message in message
    assert misuse.hint in message
    assert caught.value.issue.loc == ("interventions", 0, "changes", 1, misuse.kind)
    assert case.model_dump() == before
    with pytest.raises(InterventionError):
        compare(case, ["misfit"])


@pytest.mark.parametrize("misuse", LOAD_MISUSES, ids=[m.name for m in LOAD_MISUSES])
def test_a_change_with_a_dangling_id_is_refused_when_loading_at_its_line(misuse: Misuse) -> None:
    text = misuse.text()
    with pytest.raises(CaseError) as caught:
        load_case_text(text, "case.yaml")
    problems = caught.value.problems
    assert [p.message for p in problems] == [misuse.load_message]
    assert problems[0].line == misuse.line(text)
    assert problems[0].loc[:4] == ("interventions", 0, "changes", 1)


@pytest.mark.parametrize("misuse", LOAD_MISUSES, ids=[m.name for m in LOAD_MISUSES])
def test_a_change_with_a_dangling_id_in_an_unchecked_case_is_refused_when_applying(misuse: Misuse) -> None:
    # A program that builds a Case itself skips the loader's checks; applying still refuses.
    case = Case.model_validate(plain(parse_round_trip(misuse.text(), "case.yaml")))
    with pytest.raises(InterventionError) as caught:
        apply_intervention(case, "misfit")
    message = str(caught.value)
    assert message.startswith(f"intervention 'misfit', change 2 ({misuse.kind}): ")
    assert misuse.message in message
    assert misuse.hint in message


def test_resolve_intervention_ids() -> None:
    case = load_case_text(
        make("""\
  - id: first
    title: First
    changes: []
  - id: second
    title: Second
    changes: []
""")
    )
    assert resolve_intervention_ids(case, "all") == ["first", "second"]
    assert resolve_intervention_ids(case, "second, first") == ["second", "first"]
    with pytest.raises(KafkaToolError, match=r"no intervention 'frist'.*did you mean 'first'"):
        resolve_intervention_ids(case, "frist")
    # Named twice, it would be applied twice and fail on its own changes: said plainly instead.
    with pytest.raises(KafkaToolError, match="intervention 'first' is named twice in 'first,second,first'"):
        resolve_intervention_ids(case, "first,second,first")
    with pytest.raises(KafkaToolError, match="name an intervention"):
        resolve_intervention_ids(case, " , ")
    with pytest.raises(KafkaToolError, match="has no interventions"):
        resolve_intervention_ids(load_case_text(make()), "all")
    with pytest.raises(KafkaToolError, match="no intervention 'third'"):
        apply_interventions(case, ["third"])


# ---------------------------------------------------------------- combining, no-op, trade-offs


TWO_PROBLEMS = """\
  - id: drop_account
    title: Register an address without a bank account
    owner: town
    changes:
      - remove_requirement: {touchpoint: register, document: account}
  - id: town_payslip
    title: The town hall issues an income statement
    owner: town
    changes:
      - add_produces: {touchpoint: register, document: payslip}
"""


def test_combined_interventions_equal_applying_one_after_the_other() -> None:
    case = load_case_text(
        make(TWO_PROBLEMS, touchpoints=(REGISTER_NEEDS_ACCOUNT, OPEN_ACCOUNT, APPLY_BENEFIT_WITH_PAYSLIP))
    )
    both = applied(case, "drop_account", "town_payslip")
    one_then_other = apply_intervention(apply_intervention(case, "drop_account"), "town_payslip")
    assert both.model_dump() == one_then_other.model_dump()
    assert tp(both, "register").requires == ["passport"]
    assert tp(both, "register").produces == ["address", "payslip"]

    # Neither alone gets Ann her benefit; together they do.
    for single in ("drop_account", "town_payslip"):
        assert reachable(compared(case, single), "ann") == ({"benefit": False}, {"benefit": False})
    comparison = compared(case, "drop_account", "town_payslip")
    assert reachable(comparison, "ann") == ({"benefit": False}, {"benefit": True})
    assert comparison.label == "drop_account,town_payslip"
    assert comparison.to_json()["intervention"] == "drop_account,town_payslip"
    resolved = set(ids(comparison.resolved))
    assert {
        "circular_dependency/account+address",
        "unobtainable_document/payslip",
        "unreachable_goal/ann/benefit",
    } <= resolved
    assert comparison.after.findings == analyze(both).findings


def test_an_intervention_that_changes_nothing_relevant_resolves_and_introduces_nothing() -> None:
    # Both touchpoints already help Ann, and the bank produces what the benefit desk
    # requires (so the referral is not futile either): nothing anyone needs changes.
    case = load_case_text(
        make("""\
  - id: more_signposts
    title: The benefit desk points to the bank
    owner: agency
    changes:
      - add_referral: {touchpoint: apply_benefit, to: open_account}
""")
    )
    after = applied(case, "more_signposts")
    assert tp(after, "apply_benefit").refers_to == ["open_account"]
    comparison = compared(case, "more_signposts")
    assert comparison.resolved == []
    assert comparison.introduced == []
    assert all(p.before == p.after for p in comparison.personas)
    assert comparison.score() == Score(0, 0, 0, 0, 0, 0, 0, 0)


TRADE_OFF_RULES = """\
rules:
  - id: benefit_age
    name: The benefit is for those from 18 to 70
    owner: ministry
    when: {age: {min: 18, max: 70}}
"""

TRADE_OFF_PERSONAS = """\
personas:
  - id: tess
    name: Tess, 17
    attributes: {age: 17}
    has: [passport]
    goals: [benefit]
  - id: sam
    name: Sam, 65
    attributes: {age: 65}
    has: [passport]
    goals: [benefit]
"""

TRADE_OFF = make(
    """\
  - id: younger
    title: The benefit from 17, and until 64
    owner: ministry
    changes:
      - set_when: {rule: benefit_age, when: {age: {min: 17, max: 64}}}
""",
    rules=TRADE_OFF_RULES,
    personas=TRADE_OFF_PERSONAS,
)


def test_an_intervention_that_helps_one_persona_and_harms_another_shows_both() -> None:
    case = load_case_text(TRADE_OFF)
    comparison = compared(case, "younger")
    data = comparison.to_json()
    personas = {p["id"]: p for p in data["personas"]}
    assert personas["tess"]["before"]["goals_reachable"] == {"benefit": False}
    assert personas["tess"]["after"]["goals_reachable"] == {"benefit": True}
    assert personas["sam"]["before"]["goals_reachable"] == {"benefit": True}
    assert personas["sam"]["after"]["goals_reachable"] == {"benefit": False}
    assert personas["tess"]["after"]["burden"] == {"steps": 3, "actors": 3, "days": 18, "cost": 0, "elapsed_days": 18,
                                                   "hours": 0, "hours_cost": None}
    assert personas["sam"]["after"]["burden"] == {"steps": 0, "actors": 0, "days": 0, "cost": 0, "elapsed_days": 0,
                                                  "hours": 0, "hours_cost": None}
    assert "unreachable_goal/tess/benefit" in ids(comparison.resolved)
    assert "unreachable_goal/sam/benefit" in ids(comparison.introduced)
    # Tess is unblocked, Sam blocked: both count.
    score = comparison.score()
    assert (score.people_unblocked, score.people_blocked) == (1, 1)

    text = comparison_text([comparison], colour=False)
    lines = text.splitlines()
    tess, sam = lines.index("    Tess, 17"), lines.index("    Sam, 65")
    assert lines[tess + 1] == "      ✓ Benefit  (now reachable)"
    assert lines[sam + 1] == "      ✗ Benefit  (no longer reachable)"
    assert "✓ [critical]" in text and "✗ [critical]" in text


# ---------------------------------------------------------------- the JSON contract and the text


def test_comparison_json_has_exactly_the_contract_keys() -> None:
    case = load_case_text(TRADE_OFF)
    data = compared(case, "younger").to_json()
    assert list(data) == ["format", "case", "intervention", "resolved", "introduced", "changed", "personas"]
    assert data["format"] == "kafka-compare/1"
    assert data["case"] == "iv-test"
    assert data["intervention"] == "younger"
    finding_keys = [
        "id",
        "kind",
        "severity",
        "title",
        "explanation",
        "nodes",
        "personas",
        "actors",
        "rules",
        "region",
        "accepted",
        "layers",
    ]
    assert data["resolved"] and data["introduced"]
    for finding in data["resolved"] + data["introduced"]:
        assert list(finding) == finding_keys
    assert [p["id"] for p in data["personas"]] == ["tess", "sam"]
    for persona in data["personas"]:
        assert list(persona) == ["id", "before", "after"]
        for state in (persona["before"], persona["after"]):
            assert list(state) == ["goals_reachable", "burden", "annual"]
            assert list(state["burden"]) == ["steps", "actors", "days", "cost", "elapsed_days", "hours", "hours_cost"]


def test_comparison_text_lists_resolved_introduced_and_burden() -> None:
    case = load_case_text(
        make(
            """\
  - id: town_payslip
    title: The town hall issues an income statement
    owner: town
    changes:
      - add_produces: {touchpoint: register, document: payslip}
    expected_resolves: [unobtainable_document, circular_dependency]
""",
            touchpoints=PAYSLIP_MISSING,
        )
    )
    comparison = compared(case, "town_payslip")
    assert comparison.expected_check() == {"unobtainable_document": True, "circular_dependency": False}
    text = comparison_text([comparison], colour=False)
    assert "Action plan" not in text
    assert text.startswith("The town hall issues an income statement\n  town_payslip · owner: Town Hall\n")
    assert f"  Resolves ({len(comparison.resolved)})" in text
    for finding in comparison.resolved:
        assert f"    ✓ [{finding.severity}] {finding.title}" in text
    assert "burden: no way to the goals it lacks  →  3 steps, 3 organisations, 18 days, € 0" in text
    assert "expected to resolve: unobtainable_document ✓, circular_dependency ✗ not resolved" in text


# ---------------------------------------------------------------- ranking


RANKING_PERSONAS = (
    PERSONAS
    + """\
  - id: bob
    name: Bob
    attributes: {age: 40}
    has: [passport]
    goals: [account]
"""
)

#: Listed so that the alphabetical order and the case order are both the wrong order.
RANKING = make(
    """\
  - id: a_faster
    title: A faster address registration
    owner: town
    changes:
      - add_touchpoint:
          id: quick_register
          name: Register an address online
          actor: town
          requires: [passport]
          produces: [address]
          days: 1
  - id: z_reach
    title: An office that issues income statements
    owner: agency
    changes:
      - add_touchpoint: {id: income_desk, name: Income desk, actor: agency, produces: [payslip]}
""",
    touchpoints=PAYSLIP_MISSING,
    personas=RANKING_PERSONAS,
)


def test_ranking_puts_a_persona_unblocked_before_days_saved() -> None:
    case = load_case_text(RANKING)
    faster, reach = compared(case, "a_faster"), compared(case, "z_reach")
    assert reachable(faster, "bob") == ({"account": True}, {"account": True})
    bob = next(p for p in faster.personas if p.id == "bob")
    assert (bob.before["burden"]["days"], bob.after["burden"]["days"]) == (8, 4)
    assert faster.score().people_unblocked == 0 and faster.score().days == 4
    assert reach.score().people_unblocked == 1 and reach.score().critical_resolved > 0
    assert [c.label for c in rank([faster, reach])] == ["z_reach", "a_faster"]

    text = comparison_text(rank([faster, reach]), ranked=True, colour=False)
    lines = text.splitlines()
    assert lines[0] == "Interventions ranked by what they achieve"
    assert lines[1] == "  1. An office that issues income statements (z_reach)"
    assert lines[2].startswith("     owner: Benefits Agency; people unblocked: 1; critical resolved: ")
    assert lines[3] == "  2. A faster address registration (a_faster)"
    assert lines[4].startswith("     owner: Town Hall; people unblocked: 0; critical resolved: 0; "
                               "hours saved a year: 0;")
    assert lines[4].endswith("days saved: 4")


def test_ranking_puts_people_unblocked_first_then_critical_findings_then_hours_saved() -> None:
    case = load_case_text(RANKED_BY_PEOPLE)
    before = analyze(case)
    by_id = {i.id: compare(case, [i.id], before) for i in case.interventions}
    score = {ident: comparison.score() for ident, comparison in by_id.items()}
    # The payslip office unblocks Ann's 600 people a year; DigiD only Carl, who counts as one ...
    assert (score["payslip_office"].people_unblocked, score["digid_and_form"].people_unblocked) == (600, 1)
    # ... though DigiD and the old form resolve more findings, and more critical ones.
    assert len(by_id["digid_and_form"].resolved) > len(by_id["payslip_office"].resolved)
    assert score["digid_and_form"].critical_resolved > score["payslip_office"].critical_resolved
    # The same people unblocked: the old form's critical finding decides.
    assert score["payslip_office_and_form"].people_unblocked == score["payslip_office"].people_unblocked
    assert score["payslip_office_and_form"].critical_resolved == score["payslip_office"].critical_resolved + 1
    # Nobody unblocked, nothing resolved: the hours saved decide, not the days.
    assert (score["shorter_form"].hours_saved, score["quicker"].hours_saved) == (300, 0)
    assert score["quicker"].days > score["shorter_form"].days
    assert [c.label for c in rank(list(by_id.values()))] == RANKED_BY_PEOPLE_ORDER


def test_after_the_three_keys_fewer_people_blocked_rank_higher() -> None:
    # Scores that tie on people unblocked, critical findings resolved and hours saved.
    blocks = Score(1, 1, 0, people_blocked=600, net=5, shrunk=0, days=0, cost=0)
    spares = Score(1, 1, 0, people_blocked=0, net=0, shrunk=0, days=0, cost=0)
    assert sorted([blocks, spares], key=Score.order) == [spares, blocks]
    # The three keys come first, whoever is blocked.
    unblocks_more = Score(2, 0, 0, people_blocked=600, net=0, shrunk=0, days=0, cost=0)
    assert sorted([spares, unblocks_more], key=Score.order) == [unblocks_more, spares]


def test_hours_saved_count_every_persona_by_its_people() -> None:
    case = load_case_text(RANKED_BY_PEOPLE)
    comparison = compared(case, "payslip_office")
    ann = next(p for p in comparison.personas if p.id == "ann")
    # Ann's 50 a month now spend 2 + 1 + 3 hours each, where before they had no way to spend any.
    assert (ann.people, ann.before["burden"]["hours"], ann.after["burden"]["hours"]) == (600, 0, 6)
    assert comparison.score().hours_saved == -3600


def test_accepted_findings_resolved_do_not_count_in_the_ranking() -> None:
    plain = compared(load_case_text(RANKING), "z_reach")
    critical = [f for f in plain.resolved if f.severity == "critical"]
    assert critical
    accepted = "accepted:\n" + "".join(f"  - {{finding: {f.id}, reason: Weighed.}}\n" for f in critical)
    weighed = compared(load_case_text(RANKING + accepted), "z_reach")
    assert {f.id for f in weighed.resolved} == {f.id for f in plain.resolved}
    assert plain.score().critical_resolved == len(critical) and weighed.score().critical_resolved == 0
    assert weighed.score().net == plain.score().net - len(critical)



def test_ranking_between_equals_is_by_id() -> None:
    case = load_case_text(
        make("""\
  - id: b_noop
    title: Nothing
    changes: []
  - id: a_noop
    title: Nothing either
    changes: []
""")
    )
    comparisons = [compared(case, "b_noop"), compared(case, "a_noop")]
    assert [c.label for c in rank(comparisons)] == ["a_noop", "b_noop"]
    text = comparison_text(rank(comparisons), ranked=True, colour=False)
    assert "owner: no owner named" in text


# ---------------------------------------------------------------- the sample library


SAMPLES = sorted(library_dir().glob("*.yaml"))


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_interventions_resolve_what_the_case_says(path: Path) -> None:
    case = load_case(path)
    before = analyze(case)
    checked = [i for i in case.interventions if i.expected_resolves]
    assert checked, "a sample case says what its intervention resolves (expected_resolves)"
    failures = []
    for intervention in checked:
        comparison = compare(case, [intervention.id], before)
        missing = [kind for kind, ok in comparison.expected_check().items() if not ok]
        if missing:
            failures.append(f"{intervention.id} does not resolve {missing}")
    assert not failures, "; ".join(failures)


def test_an_accepted_finding_in_a_comparison_is_marked_as_the_ranking_leaves_it_out() -> None:
    """The poverty-trap case accepts its central gap: what an intervention resolves says so, in the
    text and in the HTML report, so that the list and the ranking's counts agree."""
    from exports.reports import html_report
    from kafka_tool.library import find_case

    case = load_case(find_case("armoedeval-baan-aannemen")).model_copy(update={"language": "en"})
    comparison = compare(case, ["vrijlating_inkomsten"])
    gap = next(f for f in comparison.resolved if f.accepted is not None)
    text = comparison_text([comparison], colour=False)
    assert f"{gap.title} (accepted)" in text
    marked = [*comparison.resolved, *comparison.introduced, *(c.after for c in comparison.changed)]
    assert text.count("(accepted)") == sum(1 for f in marked if f.accepted is not None)
    assert "<em>(accepted)</em>" in html_report(analyze(case), diagrams=0)
