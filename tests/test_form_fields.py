"""The element forms read their fields from the model: kinds, choices, required fields and references."""

from __future__ import annotations

from typing import get_args

import pytest

from kafka_tool.model import ACTOR_KINDS, CHANNELS, DOCUMENT_KINDS, Actor, Channel, Touchpoint
from kafka_tool.references import element_model, field_reference
from tui.state import SECTIONS
from tui.widgets.element_form import FIELDS, FieldSpec, form_fields

#: The forms as they were written by hand before they were read from the model.
HAND_WRITTEN: dict[str, list[FieldSpec]] = {
    "actor": [
        FieldSpec("id", "id", required=True),
        FieldSpec("name", "name", required=True),
        FieldSpec("kind", "kind", "select", ACTOR_KINDS),
        FieldSpec("description", "description", lines=3),
    ],
    "document": [
        FieldSpec("id", "id", required=True),
        FieldSpec("name", "name", required=True),
        FieldSpec("kind", "kind", "select", DOCUMENT_KINDS),
        FieldSpec("valid_days", "valid days", "int"),
        FieldSpec("description", "description", lines=3),
    ],
    "rule": [
        FieldSpec("id", "id", required=True),
        FieldSpec("name", "name", required=True),
        FieldSpec("owner", "owner (actor)", "ref"),
        FieldSpec("source", "source"),
        FieldSpec("when", "when", "yaml", hint="{age: {min: 18}, homeless: false}"),
        FieldSpec("conflicts_with", "conflicts with", "list", hint="rule ids, comma separated"),
        FieldSpec("description", "description", lines=3),
    ],
    "touchpoint": [
        FieldSpec("id", "id", required=True),
        FieldSpec("name", "name", required=True),
        FieldSpec("actor", "actor", "ref"),
        FieldSpec("channel", "channel", "select", CHANNELS),
        FieldSpec("rules", "rules", "list", hint="rule ids, comma separated"),
        FieldSpec("requires", "requires", "yaml", hint="[passport, {any_of: [a, b]}, {doc: d, rule: r}]"),
        FieldSpec("produces", "produces", "list", hint="document ids"),
        FieldSpec("refers_to", "refers to", "list", hint="touchpoint ids"),
        FieldSpec("fetches", "fetches", "list", hint="documents the actor fetches itself"),
        FieldSpec("days", "days", "number"),
        FieldSpec("cost", "cost (EUR)", "number"),
        FieldSpec("description", "description", lines=3),
    ],
    "persona": [
        FieldSpec("id", "id", required=True),
        FieldSpec("name", "name", required=True),
        FieldSpec("story", "story", lines=3),
        FieldSpec("attributes", "attributes", "yaml", hint="{age: 24, homeless: false}"),
        FieldSpec("has", "has", "list", hint="document ids"),
        FieldSpec("goals", "goals", "list", hint="document ids"),
    ],
    "journey": [
        FieldSpec("persona", "persona", "ref", required=True),
        FieldSpec("title", "title"),
        FieldSpec("steps", "steps", "yaml", hint="- {touchpoint: t, date: 2024-01-05, outcome: referred, to: u}",
                  lines=6),
    ],
    "intervention": [
        FieldSpec("id", "id", required=True),
        FieldSpec("title", "title", required=True),
        FieldSpec("owner", "owner (actor)", "ref"),
        FieldSpec("description", "description", lines=3),
        FieldSpec("changes", "changes", "yaml", hint="- {remove_requirement: {touchpoint: t, document: d}}", lines=5),
        FieldSpec("expected_resolves", "expected resolves", "list", hint="finding kinds"),
    ],
}



def _without_section(spec: FieldSpec) -> FieldSpec:
    return FieldSpec(spec.key, spec.label, spec.type, spec.choices, spec.required, spec.hint, spec.lines)


@pytest.mark.parametrize("kind", list(HAND_WRITTEN))
def test_the_forms_read_from_the_model_are_the_forms_written_by_hand(kind: str) -> None:
    assert [_without_section(spec) for spec in FIELDS[kind]] == HAND_WRITTEN[kind]


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
            assert spec.section is None and spec.type != "ref"
        else:
            assert spec.section == reference[0].section
            assert spec.type == ("list" if reference[1] else "ref")


def test_select_choices_are_the_values_of_the_literal_type() -> None:
    channel = next(spec for spec in FIELDS["touchpoint"] if spec.key == "channel")
    assert channel.choices == get_args(Channel) == CHANNELS
    kind = next(spec for spec in FIELDS["actor"] if spec.key == "kind")
    assert kind.choices == get_args(Actor.model_fields["kind"].annotation) == ACTOR_KINDS
    assert field_reference(Touchpoint, "actor") is not None
