"""Findings of the burden family: missing owners, repeated requests and expiry traps, on small hand-written cases.

For each kind, cases that have the finding (marked ``finds``) and near misses that look
alike but must not have it (marked ``near_miss``); ``test_kinds.py`` checks that every
kind has both.
"""

from __future__ import annotations

from typing import Any

import pytest

from kafka_tool.model import Case
from tests.case_builder import build, kinds, names_all, only, persona, rule, tp

# ---------------------------------------------------------------- no_owner


@pytest.mark.finds("no_owner")
def test_no_owner_for_a_touchpoint_without_actor() -> None:
    case = build([tp("arrangement", None, produces=["g"])], [persona("daan", goals=["g"])])
    finding = only(case, "no_owner")
    assert finding.id == "no_owner/arrangement"
    assert finding.severity == "high"
    assert finding.nodes == ("arrangement",)
    assert finding.personas == ("daan",)
    names_all(finding.explanation, "Desk arrangement", "Daan")


@pytest.mark.finds("no_owner")
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


@pytest.mark.finds("no_owner")
def test_no_owner_for_a_rule_that_only_imposes_a_requirement() -> None:
    case = build(
        [tp("desk", "town", requires=[{"doc": "x", "rule": "house_rule"}], produces=["g"])],
        [persona("p", goals=["g"], has=["x"])],
        rules=[rule("house_rule", owner=None)],
    )
    assert only(case, "no_owner").nodes == ("house_rule", "desk")


@pytest.mark.near_miss("no_owner")
def test_no_no_owner_when_actor_and_owner_are_set() -> None:
    case = build(
        [tp("desk", "town", rules=["house_rule"], produces=["g"])],
        [persona("p", goals=["g"])],
        rules=[rule("house_rule", owner="town")],
    )
    assert kinds(case, "no_owner") == {}


# ---------------------------------------------------------------- repeated_request


@pytest.mark.finds("repeated_request")
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


@pytest.mark.near_miss("repeated_request")
def test_no_repeated_request_by_the_same_actor_twice() -> None:
    case = build(
        [
            tp("desk1", "town", requires=["passport"], produces=["a"]),
            tp("desk2", "town", requires=["passport"], produces=["b"]),
        ],
        [persona("p", goals=["a", "b"], has=["passport"])],
    )
    assert kinds(case, "repeated_request") == {}


@pytest.mark.near_miss("repeated_request")
def test_no_repeated_request_when_one_actor_fetches_the_document() -> None:
    case = build(
        [
            tp("bank_desk", "bank", requires=["passport"], produces=["account"], fetches=["passport"]),
            tp("town_desk", "town", requires=["passport"], produces=["registration"]),
        ],
        [persona("p", goals=["account", "registration"], has=["passport"])],
    )
    assert kinds(case, "repeated_request") == {}


# ---------------------------------------------------------------- expiry_trap


def expiry_case(days: float, valid: dict[str, int], requires: list[Any]) -> Case:
    return build(
        [tp("ind", "immigration", requires=requires, produces=["permit"], days=days)],
        [persona("p", goals=["permit"], has=["statement", "passport"])],
        valid_days=valid,
    )


@pytest.mark.finds("expiry_trap")
def test_expiry_trap_when_waiting_longer_than_the_document_lasts() -> None:
    finding = only(expiry_case(91, {"statement": 90}, ["statement"]), "expiry_trap")
    assert finding.id == "expiry_trap/ind/statement"
    assert finding.severity == "high"
    assert finding.nodes == ("ind", "statement")
    assert finding.actors == ("immigration",)
    names_all(finding.explanation, "Immigration Office", "91", "90", "Doc statement")


@pytest.mark.near_miss("expiry_trap")
def test_no_expiry_trap_when_waiting_exactly_as_long_as_it_lasts() -> None:
    assert kinds(expiry_case(90, {"statement": 90}, ["statement"]), "expiry_trap") == {}


@pytest.mark.near_miss("expiry_trap")
def test_no_expiry_trap_with_an_any_of_alternative_that_does_not_expire() -> None:
    case = expiry_case(91, {"statement": 90}, [{"any_of": ["statement", "passport"]}])
    assert kinds(case, "expiry_trap") == {}


@pytest.mark.finds("expiry_trap")
def test_expiry_trap_when_every_any_of_alternative_expires() -> None:
    case = expiry_case(91, {"statement": 90, "passport": 30}, [{"any_of": ["statement", "passport"]}])
    assert set(kinds(case, "expiry_trap")) == {"expiry_trap/ind/statement", "expiry_trap/ind/passport"}


@pytest.mark.finds("expiry_trap")
def test_expiry_trap_once_for_a_document_required_twice() -> None:
    case = expiry_case(91, {"statement": 90, "passport": 30}, ["statement", {"any_of": ["statement", "passport"]}])
    assert set(kinds(case, "expiry_trap")) == {"expiry_trap/ind/statement", "expiry_trap/ind/passport"}


