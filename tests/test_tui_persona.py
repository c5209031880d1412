"""The persona panel shows time: each goal's earliest day and deadline, the slowest way to it, the
windows that close, and the road ahead as the persona's growing attributes cross boundaries; and
money: in a case with a money attribute, the chart of the persona's means."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.widgets import Input, Select, TextArea

from exports.means import means_chart
from kafka_tool.analysis.engine import analyze
from kafka_tool.i18n import words
from kafka_tool.loader import load_case
from tests.case_builder import build, persona, rule, tp
from tui.app import make_app
from tui.widgets.means_plot import MeansPlot, MeansSection, means_key
from tui.widgets.persona_panel import persona_means, persona_renderable

ROOT = Path(__file__).resolve().parent.parent
POVERTY_TRAP = ROOT / "cases" / "armoedeval-baan-aannemen.yaml"
INCOME = {"income": {"type": "integer", "min": 0, "max": 3000, "unit": "EUR/month", "money": {"per": "month"}}}

AGE = {"age": {"type": "integer", "min": 0, "max": 120, "per_year": 1}}


def _said(case: Any, pid: str, width: int = 100) -> str:
    console = Console(width=width, record=True, color_system=None)
    console.print(persona_renderable(analyze(case), pid, words(case.language)))
    return console.export_text()


def test_a_goal_shows_its_earliest_day_its_deadline_and_the_slowest_way_to_it() -> None:
    case = build([tp("claim", "dwp", produces=["decision"], days=28),
                  tp("pay", "dwp", requires=["decision"], produces=["money"], days=7)],
                 [persona("kerry", goals=[{"doc": "money", "within_days": 30}])])
    text = _said(case, "kerry")
    assert "✔ reaches Doc money — day 35, needed by day 30: too late" in text
    assert "Time: the slowest way to each goal" in text
    lines = [line.strip() for line in text.splitlines()]
    assert lines.index("day 0–28  Desk claim") + 1 == lines.index("day 28–35  Desk pay")
    assert "Desk claim  at Dwp Office  day 0–28" in text  # the plan's steps with their days


def test_a_persona_s_description_is_shown_under_its_story_in_the_panel_and_the_diagrams() -> None:
    from exports.timeline import timeline_diagram
    from exports.views import persona_diagram

    people = [persona("kerry", goals=["money"])]
    people[0].update(story="Lost her job in May.", description="Seen at the food bank, June 2026.")
    case = build([tp("claim", "dwp", produces=["money"], days=28)], people)
    lines = [line.strip() for line in _said(case, "kerry").splitlines()]
    assert lines.index("Lost her job in May.") + 1 == lines.index("Seen at the food bank, June 2026.")
    analysis = analyze(case)
    for diagram in (persona_diagram(analysis, "kerry"), timeline_diagram(analysis, "kerry")):
        assert diagram.caption[:2] == ["Lost her job in May.", "Seen at the food bank, June 2026."]


def test_a_window_that_closes_is_shown_with_its_days() -> None:
    case = build([tp("assess", "uwv", produces=["refusal"], days=20),
                  tp("gp", "doctor", requires=["refusal"], produces=["letter"], days=35),
                  tp("objection", "uwv", requires=[{"doc": "refusal", "within_days": 30}, "letter"],
                     produces=["decision"])],
                 [persona("kerry", goals=["decision"])])
    text = " ".join(_said(case, "kerry", width=200).split())
    assert "✘ cannot reach Doc decision" in text
    assert ("✘ The window at Desk objection closes on day 50 (Doc refusal on day 20, within 30 days); "
            "Doc letter not before day 55") in text


def test_the_road_ahead_says_what_is_lost_and_regained_and_tables_the_goals_over_time() -> None:
    case = build([tp("youth", "youth_care", rules=["youth_act"], produces=["housing"]),
                  tp("wmo", "town", rules=["adults"], produces=["housing"])],
                 [persona("jayden", goals=["housing"], age=17)],
                 rules=[rule("youth_act", when={"age": {"max": 17}}), rule("adults", when={"age": {"min": 23}})],
                 attributes=AGE)
    text = _said(case, "jayden")
    assert "within a year (age 18): loses Doc housing" in text
    assert "within 6 years (age 23): gets Doc housing" in text
    row = next(line for line in text.splitlines() if line.strip().startswith("Doc housing"))
    assert row.split()[2:] == ["✔", "✘", "✔"]  # now, at 18, at 23
    assert "≤1 yr" in text and "≤6 yrs" in text


def test_without_time_the_panel_shows_no_time_sections() -> None:
    case = build([tp("desk", produces=["g"])], [persona("p", goals=["g"])])
    text = _said(case, "p")
    assert "Time:" not in text and "Ahead" not in text and "day 0" not in text


def test_a_dutch_case_is_shown_in_dutch() -> None:
    case = build([tp("claim", "dwp", produces=["decision"], days=28)],
                 [persona("kerry", goals=[{"doc": "decision", "within_days": 30}])], language="nl")
    text = _said(case, "kerry")
    assert "✔ bereikbaar: Doc decision — dag 28, nodig op dag 30" in text
    assert "Tijd: de traagste weg naar elk doel" in text and "Last" in text


@pytest.fixture
def steady(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(Input, "cursor_blink", False)
    monkeypatch.setattr(TextArea, "cursor_blink", False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


TURNING_18 = """\
format: kafka-case/1
id: turning-18-housing
title: Supervised housing stops at 18 and starts again at 23
attributes:
  age: {type: integer, min: 0, max: 120, unit: years, per_year: 1}
actors:
  - {id: youth_care, name: Youth care provider, kind: care_provider}
  - {id: town, name: The municipality, kind: municipality}
documents:
  - {id: supervised_housing, name: Supervised housing, kind: service}
rules:
  - {id: youth_act, name: Youth Act until 18, owner: town, when: {age: {max: 17}}}
  - {id: wmo_from_23, name: Sheltered housing from 23, owner: town, when: {age: {min: 23}}}
touchpoints:
  - {id: youth_home, name: Youth care home, actor: youth_care, rules: [youth_act], produces: [supervised_housing]}
  - {id: sheltered, name: Sheltered housing (Wmo), actor: town, rules: [wmo_from_23], produces: [supervised_housing]}
personas:
  - {id: jayden, name: Jayden, attributes: {age: 17}, goals: [supervised_housing]}
"""


@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
def test_persona_panel_with_the_road_ahead(snap_compare: Any, steady: None, tmp_path: Path,
                                           size: tuple[int, int]) -> None:
    path = tmp_path / "turning-18-housing.yaml"
    path.write_text(TURNING_18, encoding="utf-8")

    async def run_before(pilot: Any) -> None:
        for _ in range(3):
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
        await pilot.press("p")
        await pilot.pause()

    assert snap_compare(make_app(path, cases_dir=Path("/nonexistent/kafka-cases")), terminal_size=size,
                        run_before=run_before)


# ---------------------------------------------------------------- money: the chart of the means


def _plain(text: Any, width: int = 100) -> str:
    console = Console(width=width, record=True, color_system=None)
    console.print(text)
    return console.export_text()


def test_a_persona_with_means_gets_its_chart_and_its_key_in_the_cases_language() -> None:
    analysis = analyze(load_case(POVERTY_TRAP))
    chart, note = persona_means(analysis, "fatima", words("nl"))
    assert chart == means_chart(analysis, "fatima") and note is None
    key = _plain(means_key(chart))
    assert "━ te besteden: inkomen uit werk plus toeslagen en uitkeringen" in key
    assert "● Fatima: 0, € 1.860 per maand" in key
    lines = [line.strip() for line in key.splitlines()]
    assert [line[:2] for line in lines if line[:1].isdigit()] == ["1 ", "2 ", "3 "]
    assert any("Kwijtschelding van gemeentelijke belastingen" in line and "€ 50" in line for line in lines)


def test_a_case_without_money_shows_no_chart() -> None:
    case = build([tp("desk", produces=["g"])], [persona("p", goals=["g"])])
    assert persona_means(analyze(case), "p", words("en")) == (None, None)


def test_a_persona_whose_goals_are_worth_nothing_is_told_so() -> None:
    case = build([tp("desk", produces=["g"])], [persona("p", goals=["g"], income=10)], attributes=INCOME)
    chart, note = persona_means(analyze(case), "p", words("en"))
    assert chart is None and note is not None and "no means to chart" in note.plain


def test_with_several_money_attributes_the_first_is_shown_and_named() -> None:
    attributes = {**INCOME, "savings": {"type": "integer", "min": 0, "max": 9000, "label": "savings",
                                        "money": {"per": "year"}}}
    case = build([tp("desk", produces=["g"])], [persona("p", goals=["g"], income=10, savings=0)],
                 attributes=attributes, doc_values={"g": {"amount": 100, "per": "month"}})
    chart, note = persona_means(analyze(case), "p", words("en"))
    assert chart is not None and chart.attribute == "income"
    assert note is not None and "The chart follows income, the first of the money attributes income and savings" \
        in note.plain and "--means p --attribute NAME" in note.plain


def _copy(tmp_path: Path, source: Path) -> Path:
    target = tmp_path / source.name
    shutil.copy(source, target)
    return target


async def _settle(pilot: Any) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@contextlib.asynccontextmanager
async def _on_persona_tab(path: Path, tmp_path: Path) -> AsyncIterator[Any]:
    """The interface on ``path`` at 120×36, its Persona tab shown: the app."""
    app = make_app(path, config_dir=tmp_path / "state", cases_dir=tmp_path / "cases")
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot)
        await pilot.press("p")
        await pilot.pause()
        yield app, pilot


def test_the_panel_draws_the_chart_only_for_a_case_with_money(steady: None, tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(TURNING_18, encoding="utf-8")

    async def main(path: Path) -> tuple[bool, MeansPlot]:
        async with _on_persona_tab(path, tmp_path) as (app, _):
            section = app.screen.query_one(MeansSection)
            return section.display, section.query_one(MeansPlot)

    shown, _ = asyncio.run(main(old))
    assert not shown
    shown, plot = asyncio.run(main(_copy(tmp_path, POVERTY_TRAP)))
    assert shown and plot.chart is not None and plot.chart.persona == "fatima"


def test_the_blank_entry_of_the_persona_list_asks_for_a_persona_not_that_there_are_none(
        steady: None, tmp_path: Path) -> None:
    from tui.widgets.persona_panel import PersonaPanel

    async def main(path: Path) -> str:
        async with _on_persona_tab(path, tmp_path) as (app, pilot):
            panel = app.screen.query_one(PersonaPanel)
            panel.query_one("#persona-select", Select).clear()
            await pilot.pause()
            return str(panel.query_one("#persona-body").render())

    assert "Kies hierboven een persona." in asyncio.run(main(_copy(tmp_path, POVERTY_TRAP)))  # a Dutch case


def test_the_export_dialog_offers_each_personas_means_chart(steady: None, tmp_path: Path) -> None:
    from tui.screens.export import ExportModal

    out = tmp_path / "out"

    async def main() -> list[Path]:
        app = make_app(_copy(tmp_path, POVERTY_TRAP), config_dir=tmp_path / "state", cases_dir=tmp_path / "cases")
        async with app.run_test(size=(120, 36)) as pilot:
            await _settle(pilot)
            await pilot.press("x")
            await pilot.pause()
            modal = app.screen
            assert isinstance(modal, ExportModal)
            labels = [label for label, _ in modal.views]
            means = [(label, view) for label, view in modal.views if view.kind == "means"]
            assert [view.ident for _, view in means] == ["fatima", "karin", "sem"]
            label = "te besteden: Karin (koopwoning, werkt 16 uur)"  # a Dutch case: the dialog speaks Dutch
            modal.query_one("#export-view", Select).value = labels.index(label)
            modal.query_one("#export-format", Select).value = "png"
            modal.query_one("#export-folder", Input).value = str(out)
            modal.start()
            await _settle(pilot)
            return modal.written

    written = asyncio.run(main())
    assert [p.name for p in written] == ["armoedeval-baan-aannemen.means-karin.png"]
    assert written[0].read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
def test_persona_panel_with_the_means_chart(snap_compare: Any, steady: None, tmp_path: Path,
                                            size: tuple[int, int]) -> None:
    path = _copy(tmp_path, POVERTY_TRAP)

    async def run_before(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press("p")
        await pilot.pause()
        if size == (80, 24):  # the chart is taller than what the panel shows below the persona's name
            pilot.app.screen.query_one(MeansSection).scroll_visible(animate=False)
            await pilot.pause()

    assert snap_compare(make_app(path, cases_dir=Path("/nonexistent/kafka-cases")), terminal_size=size,
                        run_before=run_before)
