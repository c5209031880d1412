"""The declarations of references on the models, and what kafka_tool.references reads from them."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import BaseModel, Field

from kafka_tool.model import ActorId, DocumentId, References, Slug, Touchpoint
from kafka_tool.references import declarations, element_model, field_reference, id_sections, references


def test_every_declared_reference_names_a_section_there_is() -> None:
    assert id_sections() == ("actors", "documents", "rules", "touchpoints", "personas", "interventions")
    for reference in declarations():
        assert reference.section in (*id_sections(), "attributes"), reference


def test_only_a_touchpoint_may_be_one_an_intervention_adds() -> None:
    assert {r.section for r in declarations() if r.added} == {"touchpoints"}


def test_a_new_reference_is_one_annotation() -> None:
    class Counter(BaseModel):
        id: Slug
        staffed_by: ActorId | None = None
        hands_out: Annotated[list[DocumentId], Field(min_length=1)] = []
        helps_with: list[Annotated[str, References("attributes")]] = []

    assert field_reference(Counter, "staffed_by") == (References("actors"), False)
    assert field_reference(Counter, "hands_out") == (References("documents"), True)
    assert field_reference(Counter, "helps_with") == (References("attributes"), True)
    assert field_reference(Counter, "id") is None


def test_a_union_of_forms_holding_references_needs_a_discriminator() -> None:
    class ByActor(BaseModel):
        actor: ActorId

    class ByDocument(BaseModel):
        document: DocumentId

    class Either(BaseModel):
        who: ByActor | ByDocument

    with pytest.raises(TypeError, match="Discriminator"):
        field_reference(Either, "who")


def test_element_models_come_from_the_case() -> None:
    assert element_model("touchpoints") is Touchpoint
    with pytest.raises(KeyError):
        element_model("attributes")


def test_malformed_data_is_passed_over() -> None:
    data = {
        "touchpoints": [
            "not a mapping",
            {"id": "t", "actor": 5, "rules": "not a list", "requires": [7, {"doc": None}, {"any_of": "x"}]},
        ],
        "journeys": {"not": "a list"},
        "interventions": [{"id": "i", "changes": [{"two": 1, "kinds": 2}, {"remove_touchpoint": ["t"]}]}],
    }
    assert references(data) == []
