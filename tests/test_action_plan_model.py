"""The action plan's fields: layers of actors and of findings, and the dates of an intervention."""

from __future__ import annotations

import datetime as dt
from typing import Any, get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kafka_tool.analysis.engine import analyze
from kafka_tool.i18n import words
from kafka_tool.loader import validate_data
from kafka_tool.model import ACTOR_KINDS, KIND_LAYERS, LAYERS, Actor, Case, Intervention, months_after
from kafka_tool.vocabulary import VALUE_WORDS, value_word

CONTRACT_DEFAULTS = {
    "ministry": "rijk", "province": "provincie", "municipality": "gemeente", "executive_agency": "uitvoering",
    "court": "rechtspraak", "ngo": "maatschappelijk", "school": "maatschappelijk",
    "care_provider": "maatschappelijk", "housing": "maatschappelijk", "other": "maatschappelijk",
    "bank": "private", "employer": "private", "private": "private",
}


@pytest.mark.parametrize("kind", ACTOR_KINDS)
def test_an_actor_without_a_layer_takes_the_layer_of_its_kind(kind: str) -> None:
    actor = Actor(id="a", name="A", kind=kind)  # type: ignore[arg-type]
    assert actor.layer is None
    assert actor.the_layer == CONTRACT_DEFAULTS[kind]


def test_every_kind_has_its_default_layer() -> None:
    assert set(KIND_LAYERS) == set(ACTOR_KINDS)
    assert set(KIND_LAYERS.values()) <= set(LAYERS)


def test_a_layer_given_overrides_the_kind() -> None:
    actor = Actor(id="kredietbank", name="Kredietbank", kind="bank", layer="gemeente")
    assert actor.the_layer == "gemeente"


def _case(actors: list[dict[str, Any]], **more: Any) -> Case:
    """A register desk of the first actor that asks for a paper the second actor's desk gives after it."""
    first, second = actors[0]["id"], actors[-1]["id"]
    data = {
        "format": "kafka-case/1", "id": "c", "title": "C", "actors": actors,
        "documents": [{"id": "address", "name": "Address"}, {"id": "account", "name": "Account"}],
        "touchpoints": [
            {"id": "open", "name": "Open", "actor": first, "requires": ["address"], "produces": ["account"]},
            {"id": "register", "name": "Register", "actor": second, "requires": ["account"],
             "produces": ["address"]}],
        "personas": [{"id": "amira", "name": "Amira", "goals": ["account"]}],
        **more,
    }
    case, issues = validate_data(data)
    assert not issues, issues
    assert case is not None
    return case


def test_a_circle_between_a_bank_and_a_municipality_spans_two_layers() -> None:
    case = _case([{"id": "bank", "name": "Bank", "kind": "bank"},
                  {"id": "town", "name": "Town", "kind": "municipality"}])
    circle = next(f for f in analyze(case).findings if f.kind == "circular_dependency")
    assert circle.layers == ("gemeente", "private")
    assert circle.spans_layers
    assert circle.to_json()["layers"] == ["gemeente", "private"]


def test_a_circle_between_two_desks_of_one_layer_does_not_span_layers() -> None:
    """Two actors of different kinds, one layer: a municipality and its credit bank set to the municipality."""
    case = _case([{"id": "bank", "name": "Kredietbank", "kind": "bank", "layer": "gemeente"},
                  {"id": "town", "name": "Town", "kind": "municipality"}])
    circle = next(f for f in analyze(case).findings if f.kind == "circular_dependency")
    assert circle.layers == ("gemeente",)
    assert not circle.spans_layers


def test_a_finding_no_actor_can_act_on_has_no_layers() -> None:
    case = _case([{"id": "town", "name": "Town", "kind": "municipality"}],
                 personas=[{"id": "amira", "name": "Amira", "goals": ["missing"]}],
                 documents=[{"id": "address", "name": "Address"}, {"id": "account", "name": "Account"},
                            {"id": "missing", "name": "Missing"}])
    for finding in analyze(case).findings:
        assert set(finding.layers) == {"gemeente"} if finding.actors else finding.layers == ()


def test_an_unknown_layer_is_refused_with_the_layers_there_are() -> None:
    data = {"format": "kafka-case/1", "id": "c", "title": "C",
            "actors": [{"id": "a", "name": "A", "layer": "gemeent"}]}
    _, issues = validate_data(data)
    assert issues
    text = " ".join(str(i.message) + " " + str(i.hint or "") for i in issues)
    assert "gemeente" in text and "layer" in " ".join(map(str, issues[0].loc))


def test_review_on_defaults_to_six_calendar_months_after_agreed_on() -> None:
    plan = Intervention(id="x", title="X", agreed_on=dt.date(2024, 3, 1))
    assert plan.review_date == dt.date(2024, 9, 1)
    short = Intervention(id="y", title="Y", agreed_on=dt.date(2024, 8, 31))
    assert short.review_date == dt.date(2025, 2, 28)
    leap = Intervention(id="z", title="Z", agreed_on=dt.date(2023, 8, 31))
    assert leap.review_date == dt.date(2024, 2, 29)
    given_date = Intervention(id="w", title="W", agreed_on=dt.date(2024, 3, 1), review_on=dt.date(2024, 5, 1))
    assert given_date.review_date == dt.date(2024, 5, 1)
    assert Intervention(id="v", title="V").review_date is None


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2900, 1, 1)), st.integers(0, 36))
def test_months_after_keeps_the_day_or_takes_the_months_last(day: dt.date, months: int) -> None:
    later = months_after(day, months)
    assert (later.year - day.year) * 12 + later.month - day.month == months
    if later.day != day.day:
        assert later.day < day.day
        assert (later + dt.timedelta(days=1)).day == 1  # the last day of its month


@pytest.mark.parametrize(("status", "due", "today", "overdue"), [
    ("agreed", dt.date(2024, 6, 1), dt.date(2024, 6, 2), True),
    ("agreed", dt.date(2024, 6, 1), dt.date(2024, 6, 1), False),  # due today is not yet overdue
    ("in_progress", dt.date(2024, 6, 1), dt.date(2024, 7, 1), True),
    ("done", dt.date(2024, 6, 1), dt.date(2024, 7, 1), True),  # done but not yet checked
    ("verified", dt.date(2024, 6, 1), dt.date(2025, 7, 1), False),
    ("dropped", dt.date(2024, 6, 1), dt.date(2025, 7, 1), False),
    ("proposed", None, dt.date(2030, 1, 1), False),
])
def test_an_open_intervention_past_its_due_date_is_overdue(status: str, due: dt.date | None, today: dt.date,
                                                           overdue: bool) -> None:
    plan = Intervention(id="x", title="X", status=status, due=due)  # type: ignore[arg-type]
    assert plan.overdue(today) is overdue


def test_an_intervention_past_its_default_review_date_is_overdue() -> None:
    plan = Intervention(id="x", title="X", status="done", agreed_on=dt.date(2024, 3, 1))
    assert not plan.overdue(dt.date(2024, 9, 1))
    assert plan.overdue(dt.date(2024, 9, 2))


def test_the_plan_fields_load_from_a_file_and_a_wrong_date_is_refused() -> None:
    base = {"format": "kafka-case/1", "id": "c", "title": "C", "actors": [{"id": "a", "name": "A"}]}
    case, issues = validate_data({**base, "interventions": [
        {"id": "x", "title": "X", "owner": "a", "status": "in_progress", "agreed_on": "2024-03-01",
         "due": "2024-06-01", "obstacles": ["scepsis", "risicomijding"], "notes": "Agreed."}]})
    assert not issues and case is not None
    plan = case.interventions[0]
    assert (plan.status, plan.agreed_on, plan.review_date) == ("in_progress", dt.date(2024, 3, 1), dt.date(2024, 9, 1))
    assert plan.obstacles == ["scepsis", "risicomijding"]
    _, issues = validate_data({**base, "interventions": [{"id": "x", "title": "X", "due": "1 June"}]})
    assert [i.loc for i in issues] == [("interventions", 0, "due")]
    _, issues = validate_data({**base, "interventions": [{"id": "x", "title": "X", "status": "finished"}]})
    assert [i.loc for i in issues] == [("interventions", 0, "status")]
    _, issues = validate_data({**base, "interventions": [{"id": "x", "title": "X", "obstacles": ["money"]}]})
    assert issues and issues[0].loc[:3] == ("interventions", 0, "obstacles")


def test_every_value_of_every_fixed_list_has_its_words() -> None:
    """Each Literal value of the case format is in the vocabulary, said in Dutch and English."""
    from kafka_tool.model import (
        CHANGE_KINDS,
        CHANNELS,
        DOCUMENT_KINDS,
        INTERVENTION_STATUSES,
        LEVELS,
        OBSTACLES,
        OUTCOMES,
        Money,
        Population,
        Value,
    )

    lists = {"kind": ACTOR_KINDS + DOCUMENT_KINDS, "channel": CHANNELS, "outcome": OUTCOMES, "layer": LAYERS,
             "status": INTERVENTION_STATUSES, "obstacles": OBSTACLES, "level": LEVELS, "change": tuple(CHANGE_KINDS),
             "type": ("integer", "number", "category", "boolean"),
             # how often an amount comes (a document's value, a money attribute) or people are counted
             "per": tuple(dict.fromkeys(v for model in (Value, Money, Population)
                                        for v in get_args(model.model_fields["per"].annotation)))}
    for key, values in lists.items():
        assert set(values) <= set(VALUE_WORDS[key]), key
        for value in values:
            english, dutch = value_word(words("en"), key, value), value_word(words("nl"), key, value)
            assert english and dutch
            assert "_" not in english and "_" not in dutch
    assert value_word(words("nl"), "obstacles", "interne_inrichting") == "hoe de organisatie is ingericht"
    assert [value_word(words("nl"), "per", v) for v in ("month", "year", "once")] == ["maand", "jaar", "eenmalig"]


def test_the_review_table_gives_each_actor_its_findings_rules_and_interventions() -> None:
    from kafka_tool.review import review_table

    data = {
        "format": "kafka-case/1", "id": "c", "title": "C",
        "attributes": {"resident": {"type": "boolean"}},
        "actors": [{"id": "bank", "name": "Bank", "kind": "bank"},
                   {"id": "town", "name": "Town", "kind": "municipality"},
                   {"id": "ministry", "name": "Ministry", "kind": "ministry"},
                   {"id": "library", "name": "Library", "kind": "other"}],
        "documents": [{"id": "address", "name": "Address"}, {"id": "account", "name": "Account"}],
        "rules": [{"id": "residents_only", "name": "Residents only", "owner": "ministry",
                   "when": {"resident": True}},
                  {"id": "unused", "name": "Unused", "owner": "ministry", "when": {"resident": False}}],
        "touchpoints": [
            {"id": "open", "name": "Open", "actor": "bank", "requires": ["address"], "produces": ["account"],
             "rules": ["residents_only"]},
            {"id": "register", "name": "Register", "actor": "town", "requires": ["account"],
             "produces": ["address"]}],
        "personas": [{"id": "amira", "name": "Amira", "goals": ["account"], "attributes": {"resident": False}}],
        "interventions": [{"id": "postal", "title": "Postal address", "owner": "town", "status": "agreed"}],
        "accepted": [{"finding": "dead_end/register", "reason": "Known."}],
    }
    case, issues = validate_data(data)
    assert not issues and case is not None
    analysis = analyze(case)
    table = {g.layer: g.rows for g in review_table(analysis)}
    assert list(table) == ["rijk", "gemeente", "maatschappelijk", "private"]
    town, = table["gemeente"]
    assert [i.id for i in town.interventions] == ["postal"]
    assert "dead_end/register" not in [f.id for f in town.findings]  # accepted: weighed, not on the table
    assert all(f.accepted is None and "town" in f.actors for f in town.findings)
    ministry, = table["rijk"]
    owned = {rule.id: ids for rule, ids in ministry.rules}
    assert set(owned) == {"residents_only"}  # the unused rule causes nothing
    assert owned["residents_only"] and all("residents_only" in analysis.finding(i).rules  # type: ignore[union-attr]
                                           for i in owned["residents_only"])
    library, = table["maatschappelijk"]
    assert library.idle and not town.idle
