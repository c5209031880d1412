"""Edits that keep a case consistent (kafka_tool.edits): what refers to an element, rename, delete."""

from __future__ import annotations

from typing import Any

import pytest

from kafka_tool.analysis.engine import analyze
from kafka_tool.edits import (
    ElementRef,
    accept_finding,
    attribute_referrers,
    delete_acceptance,
    delete_attribute,
    delete_element,
    put_acceptance,
    put_attribute,
    put_header,
    put_teaching,
    referrers,
    rename_attribute,
    rename_id,
)
from kafka_tool.library import find_case
from kafka_tool.loader import load_case, validate_data
from kafka_tool.model import Case

SAMPLE = "status-holder-bsn-bank-house"


@pytest.fixture
def case() -> Case:
    return load_case(find_case(SAMPLE))


def small_case(**sections: Any) -> Case:
    """A valid case of a few elements; ``sections`` replace or add sections."""
    data: dict[str, Any] = {
        "format": "kafka-case/1",
        "id": "edits",
        "title": "Edits",
        "attributes": {"age": {"type": "integer", "min": 0, "max": 120}, "homeless": {"type": "boolean"}},
        "actors": [{"id": "town", "name": "Town"}, {"id": "bank", "name": "Bank"}],
        "documents": [{"id": d, "name": d.title()} for d in ("passport", "permit", "address", "account")],
        "rules": [
            {"id": "adults", "name": "Adults", "owner": "town", "when": {"age": {"min": 18}, "homeless": False}},
            {"id": "kyc", "name": "Know your customer", "owner": "bank", "conflicts_with": ["adults"]},
        ],
        "touchpoints": [
            {"id": "register", "name": "Register", "actor": "town", "rules": ["adults"],
             "requires": ["passport", {"any_of": ["passport", "permit"], "rule": "adults"}],
             "produces": ["address"]},
            {"id": "open", "name": "Open an account", "actor": "bank", "rules": ["kyc"],
             "requires": [{"doc": "address", "rule": "kyc"}, "permit"], "produces": ["account"],
             "refers_to": ["register"]},
        ],
        "personas": [{"id": "ann", "name": "Ann", "attributes": {"age": 30, "homeless": False},
                      "has": ["passport"], "goals": ["account"]}],
        "journeys": [{"persona": "ann", "steps": [
            {"touchpoint": "open", "date": "2024-01-01", "outcome": "referred", "to": "register"},
            {"touchpoint": "register", "date": "2024-01-02", "outcome": "helped"},
        ]}],
        "interventions": [{"id": "fix", "title": "Fix", "owner": "bank", "changes": [
            {"remove_requirement": {"touchpoint": "open", "document": "address"}},
            {"add_requirement": {"touchpoint": "open", "any_of": ["passport", "permit"], "rule": "kyc"}},
            {"set_actor": {"touchpoint": "register", "actor": "bank"}},
            {"set_when": {"rule": "adults", "when": {"age": {"min": 16}}}},
            {"add_touchpoint": {"id": "desk", "name": "Desk", "actor": "town", "produces": ["address"],
                                "refers_to": ["desk", "open"]}},
            {"add_referral": {"touchpoint": "desk", "to": "register"}},
        ]}],
    }
    data.update(sections)
    built, issues = validate_data(data)
    assert built is not None, issues
    return built


# ---------------------------------------------------------------- moved from the TUI's tests


def test_referrers_name_every_place_that_uses_an_id(case: Case) -> None:
    found = {str(r) for r in referrers(case, "bank_account")}
    assert "touchpoint 'open_bank_account' (produces)" in found
    assert "touchpoint 'house_allocation' (requires)" in found
    assert any(r.startswith("intervention") for r in found)


def test_rename_updates_every_reference(case: Case) -> None:
    before = len(referrers(case, "bank_account"))
    renamed = rename_id(case, "bank_account", "bankrekening")
    assert referrers(renamed, "bank_account") == []
    assert len(referrers(renamed, "bankrekening")) == before
    assert renamed.document("bankrekening") is not None
    assert len(analyze(renamed).findings) == len(analyze(case).findings)


def test_rename_refuses_a_taken_id(case: Case) -> None:
    with pytest.raises(ValueError):
        rename_id(case, "bank_account", "bsn")


def test_delete_removes_the_element_and_references(case: Case) -> None:
    deleted = delete_element(case, ElementRef("document", "bank_account"))
    assert deleted.document("bank_account") is None
    assert referrers(deleted, "bank_account") == []
    deleted = delete_element(case, ElementRef("actor", "bank"))
    assert all(t.actor != "bank" for t in deleted.touchpoints)


# ---------------------------------------------------------------- what refers to an element


def test_referrers_say_where_in_the_element() -> None:
    found = [str(r) for r in referrers(small_case(), "kyc")]
    assert found == [
        "touchpoint 'open' (rules)",
        "touchpoint 'open' (requires.rule)",
        "intervention 'fix' (changes.add_requirement.rule)",
    ]
    assert [str(r) for r in referrers(small_case(), "register")] == [
        "touchpoint 'open' (refers_to)",
        "journey 'ann #1' (steps.to)",
        "journey 'ann #1' (steps.touchpoint)",
        "intervention 'fix' (changes.set_actor.touchpoint)",
        "intervention 'fix' (changes.add_referral.to)",
    ]


def test_referrers_carry_the_place_in_the_data() -> None:
    (place,) = [r for r in referrers(small_case(), "permit") if r.owner == "open"]
    assert place.loc == ("touchpoints", 1, "requires", 1)


def test_attribute_referrers_are_the_whens_and_the_personas() -> None:
    assert [str(r) for r in attribute_referrers(small_case(), "age")] == [
        "rule 'adults' (when)",
        "persona 'ann' (attributes)",
        "intervention 'fix' (changes.set_when.when)",
    ]
    assert referrers(small_case(), "age") == []  # an attribute is named, not an element's id


# ---------------------------------------------------------------- rename


def test_rename_reaches_into_interventions_and_journeys() -> None:
    renamed = rename_id(small_case(), "register", "sign_up")
    assert renamed.touchpoint("open").refers_to == ["sign_up"]  # type: ignore[union-attr]
    assert [s.to for s in renamed.journeys[0].steps] == ["sign_up", None]
    assert [s.touchpoint for s in renamed.journeys[0].steps] == ["open", "sign_up"]
    changes = renamed.intervention("fix").changes  # type: ignore[union-attr]
    assert changes[2].set_actor.touchpoint == "sign_up"  # type: ignore[union-attr]
    assert changes[5].add_referral.to == "sign_up"  # type: ignore[union-attr]


def test_rename_follows_a_touchpoint_an_intervention_adds() -> None:
    renamed = rename_id(small_case(), "desk", "counter")
    changes = renamed.intervention("fix").changes  # type: ignore[union-attr]
    assert changes[4].add_touchpoint.id == "counter"  # type: ignore[union-attr]
    assert changes[4].add_touchpoint.refers_to == ["counter", "open"]  # type: ignore[union-attr]
    assert changes[5].add_referral.touchpoint == "counter"  # type: ignore[union-attr]


def test_rename_keeps_accepted_findings() -> None:
    case = small_case(accepted=[{"finding": "no_owner/register+open", "reason": "known"}])
    renamed = rename_id(case, "register", "sign_up")
    assert renamed.accepted[0].finding == "no_owner/sign_up+open"


def test_rename_attribute_changes_every_when_and_persona() -> None:
    renamed = rename_attribute(small_case(), "age", "age_years")
    assert list(renamed.attributes) == ["age_years", "homeless"]  # in its place
    assert list(renamed.rule("adults").when) == ["age_years", "homeless"]  # type: ignore[union-attr]
    assert renamed.persona("ann").attributes == {"age_years": 30, "homeless": False}  # type: ignore[union-attr]
    assert list(renamed.intervention("fix").changes[3].set_when.when) == ["age_years"]  # type: ignore[union-attr]
    assert rename_attribute(renamed, "age_years", "age") == small_case()


def test_rename_attribute_refuses_a_taken_or_unknown_name() -> None:
    with pytest.raises(ValueError, match="already has"):
        rename_attribute(small_case(), "age", "homeless")
    with pytest.raises(ValueError, match="no attribute"):
        rename_attribute(small_case(), "income", "wage")


def test_rename_leaves_the_case_it_was_given() -> None:
    case = small_case()
    before = case.model_copy(deep=True)
    rename_id(case, "register", "sign_up")
    delete_element(case, ElementRef("touchpoint", "register"))
    assert case == before


# ---------------------------------------------------------------- delete: what a removed reference does


def test_delete_of_an_alternative_keeps_the_rest_of_the_group() -> None:
    case = delete_element(small_case(), ElementRef("document", "permit"))
    register = case.touchpoint("register")
    assert register is not None and [r if isinstance(r, str) else r.model_dump(exclude_unset=True)
                                     for r in register.requires] == ["passport", {"any_of": ["passport"],
                                                                                   "rule": "adults"}]
    assert case.touchpoint("open").requires[1:] == []  # type: ignore[union-attr]  # the plain id went
    add = case.intervention("fix").changes[1].add_requirement  # type: ignore[union-attr]
    assert add.any_of == ["passport"]


def test_delete_of_the_last_alternative_drops_the_requirement_and_the_change() -> None:
    case = delete_element(small_case(), ElementRef("document", "passport"))
    register = case.touchpoint("register")
    assert register is not None
    assert [r.model_dump(exclude_unset=True) for r in register.requires] == [{"any_of": ["permit"], "rule": "adults"}]
    case = delete_element(case, ElementRef("document", "permit"))
    assert case.touchpoint("register").requires == []  # type: ignore[union-attr]
    kinds = [next(iter(c.model_dump(exclude_unset=True))) for c in case.intervention("fix").changes]  # type: ignore[union-attr]
    assert "add_requirement" not in kinds


def test_delete_of_a_required_document_drops_the_long_form_and_the_change_naming_it() -> None:
    case = delete_element(small_case(), ElementRef("document", "address"))
    assert case.touchpoint("open").requires == ["permit"]  # type: ignore[union-attr]
    assert case.touchpoint("register").produces == []  # type: ignore[union-attr]
    changes = case.intervention("fix").changes  # type: ignore[union-attr]
    kinds = [next(iter(c.model_dump(exclude_unset=True))) for c in changes]
    assert kinds == ["add_requirement", "set_actor", "set_when", "add_touchpoint", "add_referral"]
    assert changes[3].add_touchpoint.produces == []  # type: ignore[union-attr]


def test_delete_of_a_rule_clears_the_requirement_rule_and_drops_set_when() -> None:
    case = delete_element(small_case(), ElementRef("rule", "adults"))
    register = case.touchpoint("register")
    assert register is not None and register.rules == []
    assert register.requires[1].model_dump(exclude_unset=True) == {"any_of": ["passport", "permit"]}  # type: ignore[union-attr]
    assert case.rule("kyc").conflicts_with == []  # type: ignore[union-attr]
    kinds = [next(iter(c.model_dump(exclude_unset=True))) for c in case.intervention("fix").changes]  # type: ignore[union-attr]
    assert "set_when" not in kinds


def test_delete_of_an_actor_leaves_touchpoints_without_one_and_drops_set_actor() -> None:
    case = delete_element(small_case(), ElementRef("actor", "bank"))
    assert case.touchpoint("open").actor is None  # type: ignore[union-attr]
    assert "actor" not in case.to_data()["touchpoints"][1]  # left out, not written as null
    assert case.rule("kyc").owner is None  # type: ignore[union-attr]
    assert case.intervention("fix").owner is None  # type: ignore[union-attr]
    kinds = [next(iter(c.model_dump(exclude_unset=True))) for c in case.intervention("fix").changes]  # type: ignore[union-attr]
    assert "set_actor" not in kinds


def test_delete_of_a_touchpoint_drops_its_journey_steps_and_changes() -> None:
    case = delete_element(small_case(), ElementRef("touchpoint", "register"))
    steps = case.journeys[0].steps
    assert [(s.touchpoint, s.to) for s in steps] == [("open", None)]  # the step at it went; the referral to it too
    changes = case.intervention("fix").changes  # type: ignore[union-attr]
    kinds = [next(iter(c.model_dump(exclude_unset=True))) for c in changes]
    assert kinds == ["remove_requirement", "add_requirement", "set_when", "add_touchpoint"]


def test_delete_of_a_persona_drops_its_journeys() -> None:
    case = delete_element(small_case(), ElementRef("persona", "ann"))
    assert case.journeys == [] and case.personas == []


def test_delete_of_a_journey_by_its_position() -> None:
    case = delete_element(small_case(), ElementRef("journey", "0"))
    assert case.journeys == [] and case.persona("ann") is not None


# ---------------------------------------------------------------- attributes, header, teaching, accepted


def test_put_attribute_changes_a_domain_in_its_place() -> None:
    spec = {"type": "integer", "min": 0, "max": 99, "unit": "years"}
    data = put_attribute(small_case().to_data(), "age", "age", spec)
    case, issues = validate_data(data)
    assert case is not None, issues
    assert list(case.attributes) == ["age", "homeless"]
    assert case.attributes["age"].max == 99  # type: ignore[union-attr]


def test_put_attribute_with_a_new_name_renames_every_use() -> None:
    data = put_attribute(small_case().to_data(), "age", "years", {"type": "integer", "min": 0, "max": 120})
    case, issues = validate_data(data)
    assert case is not None, issues
    assert list(case.attributes) == ["years", "homeless"]
    assert list(case.rule("adults").when) == ["years", "homeless"]  # type: ignore[union-attr]
    assert case.persona("ann").attributes["years"] == 30  # type: ignore[union-attr]


def test_put_attribute_adds_a_new_one_at_the_end_and_refuses_a_taken_name() -> None:
    data = put_attribute(small_case().to_data(), None, "income", {"type": "number", "min": 0})
    assert list(data["attributes"]) == ["age", "homeless", "income"]
    with pytest.raises(ValueError, match="already has"):
        put_attribute(small_case().to_data(), None, "age", {"type": "boolean"})
    with pytest.raises(ValueError, match="already has"):
        put_attribute(small_case().to_data(), "age", "homeless", {"type": "boolean"})


def test_delete_attribute_drops_its_conditions_and_values() -> None:
    assert [str(r) for r in attribute_referrers(small_case(), "age")]  # it is used
    case = delete_attribute(small_case(), "age")
    assert list(case.attributes) == ["homeless"]
    assert case.rule("adults").when == {"homeless": False}  # type: ignore[union-attr]
    assert case.persona("ann").attributes == {"homeless": False}  # type: ignore[union-attr]
    assert case.intervention("fix").changes[3].set_when.when == {}  # type: ignore[union-attr]
    assert attribute_referrers(case, "age") == []
    case = delete_attribute(case, "homeless")
    assert "when" not in case.to_data()["rules"][0]  # a when left empty is left out
    with pytest.raises(ValueError, match="no attribute"):
        delete_attribute(case, "homeless")


def test_put_header_replaces_the_header_keys_only() -> None:
    data = put_header(small_case().to_data(), {"id": "new-id", "title": "New", "language": "nl", "tags": ["a"]})
    case, issues = validate_data(data)
    assert case is not None, issues
    assert (case.id, case.title, case.language, case.tags) == ("new-id", "New", "nl", ["a"])
    assert case.rules == small_case().rules


def test_put_teaching_and_take_it_away() -> None:
    data = put_teaching(small_case().to_data(), {"level": "advanced", "questions": ["Why?"],
                                                  "expected_findings": ["dead_end"]})
    case, issues = validate_data(data)
    assert case is not None and case.teaching is not None, issues
    assert case.teaching.questions == ["Why?"]
    assert "teaching" not in put_teaching(data, None)


def test_accept_edit_and_unaccept_a_finding() -> None:
    case = accept_finding(small_case(), "no_owner/kyc", "known", by="team")
    assert [(a.finding, a.reason, a.by) for a in case.accepted] == [("no_owner/kyc", "known", "team")]
    edited, issues = validate_data(put_acceptance(case.to_data(), 0, {"finding": "no_owner/kyc", "reason": "why"}))
    assert edited is not None and edited.accepted[0].reason == "why", issues
    assert delete_acceptance(case, 0).accepted == []
    assert "accepted" not in delete_acceptance(case, 0).to_data()
    with pytest.raises(ValueError):
        accept_finding(small_case(), "no_owner/kyc", "")  # a reason is required


def test_an_attribute_named_in_another_attributes_while_is_found_and_renamed_there() -> None:
    from kafka_tool.edits import attribute_referrers, rename_attribute_data
    from kafka_tool.loader import validate_data

    data = {"format": "kafka-case/1", "id": "c", "title": "C",
            "attributes": {"in_care": {"type": "boolean"},
                           "months_out": {"type": "integer", "min": 0, "max": 99, "per_year": 12,
                                          "while": {"in_care": False}}},
            "personas": [{"id": "p", "name": "P", "attributes": {"in_care": True, "months_out": 0}}]}
    case, issues = validate_data(data)
    assert case is not None, issues
    found = [(r.kind, r.owner, r.loc) for r in attribute_referrers(case, "in_care")]
    assert ("attribute", "months_out", ("attributes", "months_out", "while", "in_care")) in found
    renamed = rename_attribute_data(case.to_data(), "in_care", "cared_for")
    assert renamed["attributes"]["months_out"]["while"] == {"cared_for": False}
