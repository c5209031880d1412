"""The element forms read their fields from the model: kinds, choices, required fields and references."""

from __future__ import annotations

from typing import get_args

import pytest

from kafka_tool.model import ACTOR_KINDS, CHANNELS, Actor, Channel, Touchpoint
from kafka_tool.references import element_model, field_reference
from tui.state import SECTIONS
from tui.widgets.element_form import FIELDS, form_fields

#: The forms as they would be written by hand: key, label, editor and (for a reference) the section.
HAND_WRITTEN: dict[str, list[tuple[str, str, str, str | None]]] = {
    "actor": [("id", "id", "text", None), ("name", "name", "text", None), ("kind", "kind", "select", None),
              ("layer", "layer", "select", None), ("description", "description", "text", None)],
    "document": [("id", "id", "text", None), ("name", "name", "text", None), ("kind", "kind", "select", None),
                 ("valid_days", "valid days", "int", None), ("value", "worth to the citizen", "group", None),
                 ("description", "description", "text", None)],
    "rule": [("id", "id", "text", None), ("name", "name", "text", None), ("owner", "owner (actor)", "ref", "actors"),
             ("source", "source", "text", None), ("when", "when", "when", "attributes"),
             ("when_any", "and one of these (when any)", "yaml", None),
             ("conflicts_with", "conflicts with", "refs", "rules"), ("description", "description", "text", None)],
    "touchpoint": [("id", "id", "text", None), ("name", "name", "text", None), ("actor", "actor", "ref", "actors"),
                   ("channel", "channel", "select", None), ("rules", "rules", "refs", "rules"),
                   ("requires", "requires", "items", "documents"), ("produces", "produces", "items", "documents"),
                   ("refers_to", "refers to", "refs", "touchpoints"), ("fetches", "fetches", "refs", "documents"),
                   ("days", "days", "number", None), ("cost", "cost ({currency})", "number", None),
                   ("effort_hours", "effort (hours)", "number", None), ("description", "description", "text", None)],
    "persona": [("id", "id", "text", None), ("name", "name", "text", None), ("story", "story", "text", None),
                ("description", "description", "text", None), ("attributes", "attributes", "values", "attributes"),
                ("has", "has", "refs", "documents"), ("goals", "goals", "items", "documents"),
                ("population", "people in this situation", "group", None)],
    "journey": [("persona", "persona", "ref", "personas"), ("title", "title", "text", None),
                ("description", "description", "text", None), ("steps", "steps", "records", None)],
    "intervention": [("id", "id", "text", None), ("title", "title", "text", None),
                     ("owner", "owner (actor)", "ref", "actors"),
                     ("status", "status", "select", None), ("agreed_on", "agreed on", "date", None),
                     ("due", "due", "date", None), ("review_on", "review on", "date", None),
                     ("obstacles", "obstacles", "choices", None), ("notes", "notes", "text", None),
                     ("description", "description", "text", None),
                     ("changes", "changes", "variants", None),
                     ("expected_resolves", "expected to resolve", "choices", None)],
    "attribute": [("name", "name", "text", None), ("type", "type", "variant", None)],
    "case": [("id", "id", "text", None), ("title", "title", "text", None), ("language", "language", "select", None),
             ("currency", "currency", "text", None), ("hour_value", "an hour is worth ({currency})", "number", None),
             ("horizon_years", "years ahead to follow", "number", None),
             ("summary", "summary", "text", None), ("source", "source", "text", None),
             ("tags", "tags", "strings", None)],
    "teaching": [("level", "level", "select", None), ("questions", "questions", "strings", None),
                 ("notes", "notes", "text", None), ("expected_findings", "expected findings", "choices", None)],
    "acceptance": [("finding", "finding", "text", None), ("reason", "reason", "text", None),
                   ("by", "decided by", "text", None)],
}


@pytest.mark.parametrize("kind", list(HAND_WRITTEN))
def test_the_forms_read_from_the_model_are_the_forms_written_by_hand(kind: str) -> None:
    assert [(spec.key, spec.label, spec.type, spec.section) for spec in FIELDS[kind]] == HAND_WRITTEN[kind]


@pytest.mark.parametrize("kind", list(SECTIONS))
def test_every_field_of_the_model_has_its_place_in_the_form(kind: str) -> None:
    model = element_model(SECTIONS[kind])
    assert [spec.key for spec in form_fields(kind)] == [info.alias or name for name, info in model.model_fields.items()]


@pytest.mark.parametrize("kind", list(SECTIONS))
def test_a_reference_field_completes_from_the_section_it_names(kind: str) -> None:
    model = element_model(SECTIONS[kind])
    for spec in FIELDS[kind]:
        reference = field_reference(model, spec.key)
        if reference is None:
            assert spec.type not in ("ref", "refs")
        else:
            assert spec.section == reference[0].section
            assert spec.type == ("refs" if reference[1] else "ref")


def test_select_choices_are_the_values_of_the_literal_type() -> None:
    channel = next(spec for spec in FIELDS["touchpoint"] if spec.key == "channel")
    assert channel.choices == get_args(Channel) == CHANNELS
    kind = next(spec for spec in FIELDS["actor"] if spec.key == "kind")
    assert kind.choices == get_args(Actor.model_fields["kind"].annotation) == ACTOR_KINDS
    assert field_reference(Touchpoint, "actor") is not None
