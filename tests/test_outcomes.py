"""Outcomes, conditional items, ``when_any`` and coverage gaps over the whole way.

One test (or a pair: the case and its near miss) for each construct of the contract's
"Outcomes and conditions" and for each false alarm it ends: a refusal that leads to an
appeal is no dead end, a gap that holds nobody is no root cause, a loop lists who meets
it, a loan is no futile referral where a grant was refused, a payment is no paper, an
exchange shortens the plan, a finding that shrinks is ``changed``, and money and
attributes are said as the case says them.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from kafka_tool.analysis.engine import analyze
from kafka_tool.interventions import compare, rank
from kafka_tool.report import comparison_text, to_text
from tests.case_builder import build, kinds, only, persona, rule, tp

POINTS = {"points": {"type": "integer", "min": 0, "max": 30}}


def _assessment(refusal_desk: bool = True, **fields: Any) -> list[dict[str, Any]]:
    """An assessment that awards at 15 points or more and refuses below; an objection desk takes the refusal."""
    desks = [tp("assess", "uwv", requires=["claim"], produces=[
        {"doc": "award", "when": {"points": {"min": 15}}},
        {"doc": "refusal", "when": {"points": {"max": 14}}},
    ], **fields)]
    if refusal_desk:
        desks.append(tp("object", "uwv", requires=["refusal"], produces=["objection_decision"]))
    return desks


# ---------------------------------------------------------------- 1. outcomes


def test_an_outcome_is_given_only_to_those_who_meet_it() -> None:
    case = build(_assessment(), [persona("high", ["award"], ["claim"], points=20),
                                 persona("low", ["objection_decision"], ["claim"], points=10)],
                 attributes=POINTS)
    analysis = analyze(case)
    high, low = analysis.views["high"], analysis.views["low"]
    assert "award" in high.obtainable and "refusal" not in high.obtainable
    assert "refusal" in low.obtainable and "award" not in low.obtainable
    assert low.goals_reachable == {"objection_decision": True}
    assert low.plan == ("assess", "object")
    # The refusal leads to the next step: no dead end on the refusal branch, no gap for the objection.
    assert not kinds(case, "dead_end")
    assert kinds(case, "coverage_gap").get("coverage_gap/objection_decision/points-15-30") is not None


@pytest.mark.near_miss("dead_end")
def test_a_refusal_written_as_an_outcome_gives_no_dead_end() -> None:
    case = build(_assessment(), [persona("low", ["objection_decision"], ["claim"], points=10)], attributes=POINTS)
    assert not kinds(case, "dead_end")
    assert analyze(case).views["low"].goals_reachable == {"objection_decision": True}


@pytest.mark.finds("unreachable_goal")
def test_a_desk_whose_every_outcome_passes_a_persona_by_cannot_help_them() -> None:
    # An outcome nobody in the case meets: the desk only awards at 25 points or more.
    desks = [tp("assess", "uwv", requires=["claim"], produces=[{"doc": "award", "when": {"points": {"min": 25}}}])]
    case = build(desks, [persona("low", ["award"], ["claim"], points=10)], attributes=POINTS)
    view = analyze(case).views["low"]
    assert "assess" in view.usable_order and "assess" not in view.helpful
    assert view.goals_reachable == {"award": False}
    # Not relevant to Low either (it gives Low nothing), so no dead end: the goal and the gap say it.
    assert "assess" not in view.relevant and not kinds(case, "dead_end")
    assert "gives Doc award only to others" in only(case, "unreachable_goal").explanation
    gap = only(case, "coverage_gap")
    # The outcome cuts the region: its desk and actor are named.
    assert gap.region == {"points": {"min": 0, "max": 24}} and "assess" in gap.nodes and gap.actors == ("uwv",)


@pytest.mark.finds("dead_end")
def test_a_desk_reached_by_referral_whose_outcomes_pass_a_persona_by_is_a_dead_end() -> None:
    desks = [tp("assess", "uwv", requires=["claim"], produces=[{"doc": "award", "when": {"points": {"min": 25}}}]),
             tp("front", "town", requires=["passport"], produces=["award"], refers_to=["assess"])]
    case = build(desks, [persona("low", ["award"], ["claim"], points=10)], attributes=POINTS)
    finding = kinds(case, "dead_end")["dead_end/assess"]
    assert finding.personas == ("low",)


# ---------------------------------------------------------------- 2. conditional items


@pytest.mark.finds("unreachable_goal")
def test_a_conditional_item_is_asked_only_of_those_who_meet_it() -> None:
    # A medical statement nobody can get is asked only of those who claim a disability.
    desks = [tp("assess", "uwv", requires=["claim", {"doc": "medical", "when": {"disabled": True}}],
                produces=["decision"])]
    attributes = {"disabled": {"type": "boolean"}}
    case = build(desks, [persona("ann", ["decision"], ["claim"], disabled=False),
                         persona("bo", ["decision"], ["claim"], disabled=True)], attributes=attributes)
    analysis = analyze(case)
    assert analysis.views["ann"].goals_reachable == {"decision": True}
    assert analysis.views["bo"].goals_reachable == {"decision": False}
    assert [f.id for f in analysis.findings if f.kind == "unreachable_goal"] == ["unreachable_goal/bo/decision"]
    # Nobody issues the statement: over the whole way it counts as brought from outside, so no gap.
    assert not kinds(case, "coverage_gap")


@pytest.mark.near_miss("unreachable_goal")
def test_a_conditional_item_nobody_meets_blocks_nobody() -> None:
    desks = [tp("assess", "uwv", requires=["claim", {"doc": "medical", "when": {"disabled": True}}],
                produces=["decision"])]
    case = build(desks, [persona("ann", ["decision"], ["claim"], disabled=False)],
                 attributes={"disabled": {"type": "boolean"}})
    assert not kinds(case, "unreachable_goal")
    assert analyze(case).views["ann"].plan == ("assess",)


# ---------------------------------------------------------------- 3. when_any


WLZ = {
    "needs_24h": {"type": "boolean"},
    "prognosis": {"type": "category", "values": ["permanent", "uncertain"]},
    "diagnosis": {"type": "category", "values": ["psychiatric", "somatic"]},
}
WLZ_RULE = rule("wlz_access", when={"needs_24h": True},
                when_any=[{"prognosis": {"in": ["permanent"]}}, {"diagnosis": {"in": ["psychiatric"]}}])


def _wlz_persona(ident: str, needs: bool, prognosis: str, diagnosis: str) -> dict[str, Any]:
    return persona(ident, ["care_place"], ["application"], needs_24h=needs, prognosis=prognosis,
                   diagnosis=diagnosis)


def test_a_rule_with_when_any_holds_when_its_when_and_one_of_them_hold() -> None:
    desks = [tp("place", "ciz", rules=["wlz_access"], requires=["application"], produces=["care_place"])]
    people = [_wlz_persona("perm", True, "permanent", "somatic"),
              _wlz_persona("psy", True, "uncertain", "psychiatric"),
              _wlz_persona("neither", True, "uncertain", "somatic"),
              _wlz_persona("home", False, "permanent", "somatic")]
    case = build(desks, people, rules=[WLZ_RULE], attributes=WLZ)
    analysis = analyze(case)
    assert {p: v.goals_reachable["care_place"] for p, v in analysis.views.items()} == {
        "perm": True, "psy": True, "neither": False, "home": False}
    gaps = {json.dumps(f.region, sort_keys=True): f.personas for f in kinds(case, "coverage_gap").values()}
    # Exactly: not needing 24-hour care, or needing it with an uncertain somatic prognosis.
    assert gaps == {
        json.dumps({"needs_24h": False}, sort_keys=True): ("home",),
        json.dumps({"needs_24h": True, "prognosis": {"in": ["uncertain"]}, "diagnosis": {"in": ["somatic"]}},
                   sort_keys=True): ("neither",),
    }


@pytest.mark.finds("conflicting_rules")
def test_when_any_is_exact_in_conflicts() -> None:
    # wlz_access needs 24-hour care and (permanent or psychiatric); the other rule excludes both.
    other = rule("somatic_uncertain", when={"prognosis": {"in": ["uncertain"]}, "diagnosis": {"in": ["somatic"]}})
    desks = [tp("place", "ciz", rules=["wlz_access", "somatic_uncertain"], requires=["application"],
                produces=["care_place"])]
    case = build(desks, [_wlz_persona("neither", True, "uncertain", "somatic")], rules=[WLZ_RULE, other],
                 attributes=WLZ)
    assert only(case, "conflicting_rules").rules == ("somatic_uncertain", "wlz_access")


@pytest.mark.near_miss("conflicting_rules")
def test_when_any_leaves_a_way_out_of_a_conflict() -> None:
    # Only the prognosis is excluded: psychiatric patients with an uncertain prognosis still qualify.
    other = rule("uncertain", when={"prognosis": {"in": ["uncertain"]}})
    desks = [tp("place", "ciz", rules=["wlz_access", "uncertain"], requires=["application"],
                produces=["care_place"])]
    case = build(desks, [_wlz_persona("psy", True, "uncertain", "psychiatric")], rules=[WLZ_RULE, other],
                 attributes=WLZ)
    assert not kinds(case, "conflicting_rules")


# ---------------------------------------------------------------- 4. gaps over the whole way


def _care(second_way: bool = False) -> list[dict[str, Any]]:
    """The desk that gives a place has no rule; the assessment every applicant must pass first has."""
    desks = [
        tp("assessment", "ciz", rules=["prognosis_permanent"], requires=["application"], produces=["indication"]),
        tp("place", "care_office", requires=["indication"], produces=["care_place"]),
    ]
    if second_way:
        desks.append(tp("reassessment", "ciz", rules=["prognosis_uncertain"], requires=["application"],
                        produces=["indication"]))
    return desks


CARE_RULES = [rule("prognosis_permanent", when={"prognosis": {"in": ["permanent"]}}),
              rule("prognosis_uncertain", when={"prognosis": {"in": ["uncertain"]}})]
PROGNOSIS = {"prognosis": {"type": "category", "values": ["permanent", "uncertain"]}}


@pytest.mark.finds("coverage_gap")
def test_a_rule_on_an_upstream_desk_cuts_the_gap() -> None:
    people = [persona("kees", ["care_place"], ["application"], prognosis="uncertain"),
              persona("mies", ["care_place"], ["application"], prognosis="permanent")]
    case = build(_care(), people, rules=CARE_RULES, attributes=PROGNOSIS)
    gap = only(case, "coverage_gap")
    assert gap.id == "coverage_gap/care_place/prognosis-uncertain"
    assert gap.region == {"prognosis": {"in": ["uncertain"]}}
    assert gap.personas == ("kees",)
    # The rule that cuts it and the desk it sits on, not the desk that gives the place.
    assert gap.rules == ("prognosis_permanent",)
    assert "assessment" in gap.nodes and "place" not in gap.nodes
    assert "ciz" in gap.actors


@pytest.mark.near_miss("coverage_gap")
def test_an_upstream_rule_cuts_no_gap_when_another_way_exists() -> None:
    people = [persona("kees", ["care_place"], ["application"], prognosis="uncertain")]
    case = build(_care(second_way=True), people, rules=CARE_RULES, attributes=PROGNOSIS)
    assert not kinds(case, "coverage_gap")


@pytest.mark.near_miss("coverage_gap")
def test_a_goal_nobody_can_obtain_anywhere_gives_no_gap_over_everyone() -> None:
    desks = [tp("desk", "town", rules=["young", "old"], produces=["loan"])]
    rules = [rule("young", when={"age": {"max": 26}}), rule("old", when={"age": {"min": 27}})]
    case = build(desks, [persona("mo", ["loan"], age=24)], rules=rules,
                 attributes={"age": {"type": "integer", "min": 18, "max": 67}})
    found = {f.kind for f in analyze(case).findings}
    assert "coverage_gap" not in found
    assert {"conflicting_rules", "unreachable_goal"} <= found


# ---------------------------------------------------------------- 5. root causes concern the persona


def test_a_gap_that_does_not_hold_the_persona_is_not_its_root_cause() -> None:
    # Bo cannot get the place for want of an application form; the gap of uncertain prognoses is not his.
    people = [persona("kees", ["care_place"], ["application"], prognosis="uncertain"),
              persona("bo", ["care_place"], [], prognosis="permanent")]
    case = build(_care(), people, rules=CARE_RULES, attributes=PROGNOSIS)
    analysis = analyze(case)
    gap = next(f for f in analysis.findings if f.kind == "coverage_gap")
    goals = {f.id: f for f in analysis.findings if f.kind == "unreachable_goal"}
    assert gap.id in goals["unreachable_goal/kees/care_place"].causes
    assert gap.id not in goals["unreachable_goal/bo/care_place"].causes


# ---------------------------------------------------------------- 6. the personas of a referral loop


def _loop_behind_a_goal() -> list[dict[str, Any]]:
    """Two desks refer to each other; one is on Ann's way (it gives what her benefit desk needs), none on Bo's."""
    return [
        tp("benefit_desk", "town", requires=["statement"], produces=["benefit"]),
        tp("statement_desk", "uwv", requires=["form"], produces=["statement"], refers_to=["form_desk"]),
        tp("form_desk", "town", requires=["id"], produces=["form"], refers_to=["statement_desk"]),
        tp("library", "town", produces=["card"]),
    ]


@pytest.mark.finds("referral_loop")
def test_a_loop_lists_the_personas_whose_way_it_lies_on_and_only_them() -> None:
    people = [persona("ann", ["benefit"], ["id"]), persona("bo", ["card"]), persona("cy", ["benefit"], [])]
    case = build(_loop_behind_a_goal(), people)
    loop = only(case, "referral_loop")
    # Ann's goal lies behind it though she can be helped on it; Cy is stuck on it; Bo never comes near it.
    assert loop.personas == ("ann", "cy")
    assert loop.severity == "critical"
    assert "Cy" in loop.explanation and "Ann" not in loop.explanation.split("None of these desks")[1]


@pytest.mark.near_miss("referral_loop")
def test_an_outcome_that_passes_a_persona_by_keeps_a_loop_off_their_way() -> None:
    desks = _loop_behind_a_goal()
    desks[1]["produces"] = [{"doc": "statement", "when": {"age": {"min": 18}}}]
    desks[0]["refers_to"] = []
    case = build(desks, [persona("ann", ["benefit"], ["id"], age=30), persona("kid", ["benefit"], ["id"], age=12)],
                 attributes={"age": {"type": "integer", "min": 0, "max": 120}})
    loop = only(case, "referral_loop")
    assert loop.personas == ("ann",)


# ---------------------------------------------------------------- 7. futile referrals


@pytest.mark.near_miss("futile_referral")
def test_a_referral_to_other_help_towards_a_goal_is_not_futile() -> None:
    # The grant desk refuses people who earn too much and sends them to the loan desk: a loan is help.
    desks = [
        tp("grant_desk", "town", rules=["low_income"], requires=["application"], produces=["support"],
           refers_to=["loan_desk"]),
        tp("loan_desk", "bank", requires=["application"], produces=["support"]),
    ]
    desks[1]["produces"] = ["loan"]
    people = [persona("eva", ["support", "loan"], ["application"], income=3000)]
    case = build(desks, people, rules=[rule("low_income", when={"income": {"max": 1500}})],
                 attributes={"income": {"type": "integer", "min": 0, "max": 9000}})
    assert not kinds(case, "futile_referral")


@pytest.mark.finds("futile_referral")
def test_a_referral_to_a_desk_that_gives_nothing_on_anyones_way_is_futile() -> None:
    desks = [
        tp("grant_desk", "town", rules=["low_income"], requires=["application"], produces=["support"],
           refers_to=["loan_desk"]),
        tp("loan_desk", "bank", requires=["application"], produces=["loan"]),
    ]
    people = [persona("eva", ["support"], ["application"], income=3000)]
    case = build(desks, people, rules=[rule("low_income", when={"income": {"max": 1500}})],
                 attributes={"income": {"type": "integer", "min": 0, "max": 9000}})
    finding = only(case, "futile_referral")
    assert finding.id == "futile_referral/grant_desk/loan_desk"
    assert finding.personas == ("eva",)


# ---------------------------------------------------------------- 8. repeated requests


@pytest.mark.near_miss("repeated_request")
def test_a_payment_or_a_service_is_not_a_paper_asked_again() -> None:
    desks = [tp("rent", "corporation", requires=["benefit", "care"], produces=["lease"]),
             tp("energy", "supplier", requires=["benefit", "care"], produces=["contract"])]
    case = build(desks, [persona("ann", ["lease", "contract"], ["benefit", "care"])],
                 doc_kinds={"benefit": "payment", "care": "service"})
    assert not kinds(case, "repeated_request")


@pytest.mark.finds("repeated_request")
def test_a_proof_asked_by_two_organisations_is_a_repeated_request() -> None:
    desks = [tp("rent", "corporation", requires=["benefit", "payslip"], produces=["lease"]),
             tp("energy", "supplier", requires=["benefit", "payslip"], produces=["contract"])]
    case = build(desks, [persona("ann", ["lease", "contract"], ["benefit", "payslip"])],
                 doc_kinds={"benefit": "payment", "payslip": "proof"})
    assert list(kinds(case, "repeated_request")) == ["repeated_request/payslip"]


# ---------------------------------------------------------------- 9. an exchange shortens the plan


def test_a_step_only_there_to_fetch_an_exchanged_document_drops_out_of_the_plan() -> None:
    desks = [tp("income_statement", "tax", requires=["id"], produces=["statement"], days=10),
             tp("allowance_desk", "town", requires=["id", "statement"], produces=["allowance"], days=5)]
    people = [persona("ann", ["allowance"], ["id"])]
    exchanged = {"id": "exchange", "title": "The town fetches the statement", "owner": "town",
                 "changes": [{"exchange": {"touchpoint": "allowance_desk", "document": "statement"}}]}
    case = build(desks, people, interventions=[exchanged])
    before = analyze(case).views["ann"]
    assert before.plan == ("income_statement", "allowance_desk") and before.burden.days == 15
    comparison = compare(case, ["exchange"])
    after = next(p for p in comparison.personas if p.id == "ann").after
    assert after["burden"] == {"steps": 1, "actors": 1, "days": 5, "cost": 0, "elapsed_days": 15,
                               "hours": 0, "hours_cost": None}
    assert comparison.after.views["ann"].plan == ("allowance_desk",)


# ---------------------------------------------------------------- 10. compare: changed


def test_a_finding_that_shrinks_is_changed_and_counts_in_the_ranking() -> None:
    # Ann and Bo are both caught in the account/address circle; the letter gets Bo (70) an address.
    desks = [tp("open", "bank", requires=["address"], produces=["account"], refers_to=["register"]),
             tp("register", "town", requires=["account"], produces=["address"], refers_to=["open"])]
    letter = {"id": "letter_for_pensioners", "title": "A letter for pensioners", "owner": "town",
              "changes": [{"add_touchpoint": {"id": "letter", "name": "Letter", "actor": "town",
                                              "rules": ["pensioner"], "produces": ["address"]}}]}
    case = build(desks, [persona("ann", ["account"], age=30), persona("bo", ["account"], age=70)],
                 rules=[rule("pensioner", when={"age": {"min": 65}})],
                 attributes={"age": {"type": "integer", "min": 0, "max": 120}}, interventions=[letter])
    comparison = compare(case, ["letter_for_pensioners"])
    loop = "circular_dependency/account+address"
    changed = {c.id: c for c in comparison.changed}
    assert loop in changed
    assert loop not in {f.id for f in comparison.resolved} | {f.id for f in comparison.introduced}
    assert changed[loop].direction == 1  # smaller: only Ann is caught in it now
    assert ("personas", ("ann", "bo"), ("ann",)) in changed[loop].differences()
    data = comparison.to_json()
    assert [c["id"] for c in data["changed"]] == [c.id for c in comparison.changed]
    entry = next(c for c in data["changed"] if c["id"] == loop)
    assert set(entry) == {"id", "before", "after"} and entry["before"]["id"] == entry["after"]["id"] == loop
    text = comparison_text([comparison], colour=False)
    assert f"Changes ({len(comparison.changed)})" in text
    assert comparison.score().shrunk == sum(c.direction for c in comparison.changed)


def test_a_poverty_trap_that_widens_is_larger_and_one_that_narrows_is_smaller() -> None:
    """A benefit cliff keeps its id (its edge) while the stretch where earning more leaves less
    moves: letting people keep part of what they earn widens Fatima's, and the ranking counts it."""
    import dataclasses

    from kafka_tool.interventions import match_findings
    from kafka_tool.library import find_case
    from kafka_tool.loader import load_case

    case = load_case(find_case("armoedeval-baan-aannemen"))
    comparison = compare(case, ["vrijlating_inkomsten"])
    cliff = next(c for c in comparison.changed if c.id == "benefit_cliff/fatima/inkomen-1300")
    assert cliff.before.region == {"inkomen": {"min": 1301, "max": 1371}}
    assert cliff.after.region == {"inkomen": {"min": 1301, "max": 2258}}
    assert cliff.direction == -1 and cliff.region_size == -1
    assert comparison.score().shrunk == sum(c.direction for c in comparison.changed if c.after.accepted is None)
    # The same finding the other way round is smaller; shifted so that neither holds the other, neither.
    analysis = comparison.before
    narrowed = dataclasses.replace(analysis, findings=[
        dataclasses.replace(f, region={"inkomen": {"min": 1301, "max": 1320}}) if f.id == cliff.id else f
        for f in analysis.findings])
    assert next(c for c in match_findings(analysis, narrowed).changed if c.id == cliff.id).direction == 1
    shifted = dataclasses.replace(analysis, findings=[
        dataclasses.replace(f, region={"inkomen": {"min": 1350, "max": 1400}}) if f.id == cliff.id else f
        for f in analysis.findings])
    assert next(c for c in match_findings(analysis, shifted).changed if c.id == cliff.id).direction == 0


def test_what_a_changed_finding_is_about_and_its_causes_are_said_by_name() -> None:
    """The desk an intervention replaces and the one it adds are named, a root cause by its title."""
    from kafka_tool.i18n import words
    from kafka_tool.library import find_case
    from kafka_tool.loader import load_case
    from kafka_tool.report import change_words

    case = load_case(find_case("restaurant-operating-permit"))
    comparison = compare(case, ["decide_within_eight_weeks"])
    said = {c.id: change_words(words("en"), comparison.before.index, c) for c in comparison.changed}
    sanne = next(text for ident, text in said.items() if ident.startswith("unreachable_goal/sanne"))
    assert "about: −Apply for the operating permit, +Apply for the operating permit (decision within eight " \
           "weeks)" in sanne
    assert "root causes: −Dead end at Apply for the operating permit, +Dead end at " in sanne
    assert "operating_permit_application" not in " ".join(said.values())


def test_a_finding_made_smaller_ranks_an_intervention_above_one_that_changes_nothing() -> None:
    # Three organisations ask for the payslip; one starts to fetch it itself: still asked twice.
    desks = [tp(f"desk_{a}", a, requires=["payslip"], produces=[f"help_{a}"]) for a in ("town", "uwv", "svb")]
    fetch = {"id": "fetch", "title": "The town fetches the payslip", "owner": "town",
             "changes": [{"exchange": {"touchpoint": "desk_town", "document": "payslip"}}]}
    idle = {"id": "idle", "title": "A kiosk that helps nobody", "owner": "town",
            "changes": [{"add_touchpoint": {"id": "kiosk", "name": "Kiosk", "actor": "town", "produces": ["map"]}}]}
    case = build([*desks, tp("maps", "town", produces=["map"])],
                 [persona("ann", ["help_town", "help_uwv", "help_svb"], ["payslip"])], interventions=[fetch, idle])
    fetched, nothing = compare(case, ["fetch"]), compare(case, ["idle"])
    assert [c.id for c in fetched.changed] == ["repeated_request/payslip"] and not fetched.resolved
    assert fetched.changed[0].direction == 1 and not nothing.changed
    assert fetched.score()[:3] == nothing.score()[:3] and fetched.score().shrunk == 1
    assert [c.label for c in rank([nothing, fetched])] == ["fetch", "idle"]


# ---------------------------------------------------------------- 11, 13. money and attributes as the case says them


def test_money_is_shown_in_the_case_currency() -> None:
    desks = [tp("court", "hmcts", requires=["form"], produces=["order"], cost=40)]
    case = build(desks, [persona("ann", ["order"], ["form"])], currency="GBP")
    text = to_text(analyze(case))
    assert "£ 40" in text and "€" not in text


def test_a_gap_text_uses_the_attribute_label() -> None:
    attributes = {"inkomen_pct": {"type": "integer", "min": 0, "max": 200,
                                  "label": "inkomen (% van het sociaal minimum)"}}
    desks = [tp("bijzondere_bijstand", "gemeente", rules=["laag_inkomen"], produces=["bijdrage"])]
    case = build(desks, [persona("kim", ["bijdrage"], inkomen_pct=130)], attributes=attributes,
                 rules=[rule("laag_inkomen", when={"inkomen_pct": {"max": 120}})], language="nl")
    gap = only(case, "coverage_gap")
    assert "inkomen (% van het sociaal minimum)" in gap.title and "inkomen pct" not in gap.title


@pytest.mark.parametrize(("written", "hint"), [("gbp", "did you mean 'GBP'?"), ("POUND", "ISO 4217")])
def test_a_currency_that_is_no_code_says_what_a_code_is(tmp_path: Any, written: str, hint: str) -> None:
    from kafka_tool.errors import CaseError
    from kafka_tool.loader import load_case

    path = tmp_path / "case.yaml"
    path.write_text(f"format: kafka-case/1\nid: c\ntitle: C\ncurrency: {written}\n", encoding="utf-8")
    with pytest.raises(CaseError) as raised:
        load_case(path)
    text = str(raised.value)
    assert "is not a currency code" in text and hint in text and "not a valid id" not in text
    assert "case.yaml:4" in text


@pytest.mark.finds("coverage_gap")
def test_a_gap_made_by_two_papers_each_asked_of_some_names_the_desks_and_rules_that_ask_them() -> None:
    # Debt help asks people with psychological problems for a statement that they are stable;
    # the mental-health intake asks people with debts for proof that the debts are under control.
    attributes = {"debts": {"type": "boolean"}, "psych": {"type": "boolean"}}
    desks = [
        tp("debt_help", "municipality", produces=["debts_under_control"],
           requires=[{"doc": "stable_statement", "when": {"psych": True}, "rule": "stable_first"}]),
        tp("ggz_intake", "ggz", produces=["stable_statement"],
           requires=[{"doc": "debts_under_control", "when": {"debts": True}, "rule": "debts_first"}]),
    ]
    rules = [rule("stable_first", owner="municipality"), rule("debts_first", owner="ggz")]
    case = build(desks, [persona("ruud", ["stable_statement"], debts=True, psych=True),
                         persona("ingrid", ["stable_statement"], debts=False, psych=True)],
                 attributes=attributes, rules=rules)
    finding = only(case, "coverage_gap")
    assert finding.region == {"debts": True, "psych": True}
    assert {"debt_help", "ggz_intake", "stable_first", "debts_first"} <= set(finding.nodes)
    assert {"municipality", "ggz"} <= set(finding.actors)


@pytest.mark.near_miss("coverage_gap")
def test_a_paper_asked_of_some_that_they_can_get_makes_no_gap() -> None:
    attributes = {"debts": {"type": "boolean"}}
    desks = [
        tp("debt_help", "municipality", produces=["debts_under_control"]),
        tp("ggz_intake", "ggz", produces=["stable_statement"],
           requires=[{"doc": "debts_under_control", "when": {"debts": True}, "rule": "debts_first"}]),
    ]
    case = build(desks, [persona("ruud", ["stable_statement"], debts=True)], attributes=attributes,
                 rules=[rule("debts_first", owner="ggz")])
    assert not kinds(case, "coverage_gap")
