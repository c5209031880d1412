"""A large case's elements share the sets of their set fields' names; each still reports its own."""

from __future__ import annotations

import pytest

from kafka_tool import loader
from kafka_tool.loader import load_text
from kafka_tool.model import _SHARED_IDS, Case, DocRequirement

CASE = """\
format: kafka-case/1
id: shared
title: Two desks alike and one not
actors:
  - {id: town, name: Town}
documents:
  - {id: a, name: A}
  - {id: b, name: B}
  - {id: c, name: C, valid_days: 30}
touchpoints:
  - {id: one, name: One, actor: town, requires: [{doc: a, within_days: 5}], produces: [b]}
  - {id: two, name: Two, actor: town, requires: [{doc: b, within_days: 9}], produces: [c]}
  - {id: three, name: Three, actor: town, days: 4, produces: [a]}
personas:
  - {id: p, name: P, goals: [c]}
"""


def _shared(text: str = CASE) -> Case:
    case = Case.model_validate(load_text(text).case.to_data())
    return case.share_fields_sets()


def test_elements_that_set_the_same_fields_share_one_set() -> None:
    case = _shared()
    one, two, three = case.touchpoints
    assert one.__pydantic_fields_set__ is two.__pydantic_fields_set__
    assert id(one.__pydantic_fields_set__) in _SHARED_IDS
    assert three.__pydantic_fields_set__ is not one.__pydantic_fields_set__  # it sets days, not requires
    assert three.model_fields_set == {"id", "name", "actor", "days", "produces"}
    a, b, c = case.documents
    assert a.__pydantic_fields_set__ is b.__pydantic_fields_set__
    assert c.model_fields_set == {"id", "name", "valid_days"}
    assert one.requires[0].__pydantic_fields_set__ is two.requires[0].__pydantic_fields_set__


def test_sharing_changes_nothing_the_case_says() -> None:
    plain = Case.model_validate(load_text(CASE).case.to_data())
    assert _shared().to_data() == plain.to_data()
    assert _shared() == plain


def test_an_assigned_field_is_the_elements_own() -> None:
    case = _shared()
    one, two, _ = case.touchpoints
    one.days = 3
    assert "days" in one.model_fields_set
    assert "days" not in two.model_fields_set
    assert "days" not in case.to_data()["touchpoints"][1]
    assert case.to_data()["touchpoints"][0]["days"] == 3
    item = two.requires[0]
    assert isinstance(item, DocRequirement)
    item.effort_hours = 2
    assert "effort_hours" not in one.requires[0].model_fields_set
    assert case.to_data()["touchpoints"][1]["requires"] == [{"doc": "b", "within_days": 9, "effort_hours": 2}]


def test_copies_have_sets_of_their_own() -> None:
    case = _shared()
    deep = case.model_copy(deep=True)
    assert deep.touchpoints[0].__pydantic_fields_set__ is not case.touchpoints[0].__pydantic_fields_set__
    deep.touchpoints[0].days = 8
    assert "days" not in case.touchpoints[1].model_fields_set
    shallow = case.documents[0].model_copy(update={"valid_days": 10})
    assert "valid_days" in shallow.model_fields_set
    assert "valid_days" not in case.documents[1].model_fields_set
    assert case.to_data() == Case.model_validate(load_text(CASE).case.to_data()).to_data()


@pytest.mark.parametrize(("limit", "shares"), [(1, True), (10**9, False)])
def test_the_loader_shares_them_from_a_size_on(monkeypatch: pytest.MonkeyPatch, limit: int, shares: bool) -> None:
    monkeypatch.setattr(loader, "SHARED_FIELDS_FROM", limit)
    one, two, _ = load_text(CASE).case.touchpoints
    assert (one.__pydantic_fields_set__ is two.__pydantic_fields_set__) is shares
    assert one.model_fields_set == two.model_fields_set == {"id", "name", "actor", "requires", "produces"}
