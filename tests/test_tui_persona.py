"""The persona panel shows time: each goal's earliest day and deadline, the slowest way to it, the
windows that close, and the road ahead as the persona's growing attributes cross boundaries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.widgets import Input, TextArea

from kafka_tool.analysis.engine import analyze
from tests.case_builder import build, persona, rule, tp
from tui.app import make_app
from tui.widgets.persona_panel import persona_renderable

AGE = {"age": {"type": "integer", "min": 0, "max": 120, "per_year": 1}}


def _said(case: Any, pid: str, width: int = 100) -> str:
    console = Console(width=width, record=True, color_system=None)
    console.print(persona_renderable(analyze(case), pid))
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
    assert "✔ bereikt Doc decision — dag 28, nodig op dag 30" in text
    assert "Tijd: de traagste weg naar elk doel" in text and "Belasting" in text


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
