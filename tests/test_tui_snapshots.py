"""Snapshot tests of each screen at 120×36 (Textual is pinned in pyproject, so these stay stable)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, SelectionList, TextArea

from kafka_tool.library import find_case
from tests.tui_pilot import settle
from tui.app import make_app
from tui.state import ElementRef
from tui.widgets.case_tree import CaseTree
from tui.widgets.intervention_panel import InterventionPanel

SIZE = (120, 36)
SAMPLE = "status-holder-bsn-bank-house"


@pytest.fixture(autouse=True)
def steady(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No blinking cursors, and no recent files or recovery from the user's own state folder."""
    monkeypatch.setattr(Input, "cursor_blink", False)
    monkeypatch.setattr(TextArea, "cursor_blink", False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def app_on(case: str | None = SAMPLE, tmp: Path | None = None) -> Any:
    path = find_case(case) if case else None
    return make_app(path, cases_dir=Path("/nonexistent/kafka-cases"))


def test_library_screen(snap_compare: Any) -> None:
    assert snap_compare(app_on(None), terminal_size=SIZE, run_before=settle)


def test_case_screen_with_a_finding_selected(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("f", "down", "up")
        await pilot.pause()

    assert snap_compare(app_on(), terminal_size=SIZE, run_before=run_before)


def test_graph_of_a_circular_requirement(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("f", "g")
        await pilot.pause()

    assert snap_compare(app_on(), terminal_size=SIZE, run_before=run_before)


def test_element_detail(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        tree = pilot.app.screen.query_one(CaseTree)
        tree.focus()
        tree.select_ref(ElementRef("touchpoint", "open_bank_account"))
        await settle(pilot)

    assert snap_compare(app_on(), terminal_size=SIZE, run_before=run_before)


def test_persona_panel(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("p")
        await pilot.pause()

    assert snap_compare(app_on(), terminal_size=SIZE, run_before=run_before)


def test_intervention_comparison(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("i")
        panel = pilot.app.screen.query_one(InterventionPanel)
        panel.query_one(SelectionList).select("no_bank_account_for_rent")
        panel.action_compare()
        await settle(pilot)

    assert snap_compare(app_on(), terminal_size=SIZE, run_before=run_before)


def test_edit_form_with_an_error(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        tree = pilot.app.screen.query_one(CaseTree)
        tree.focus()
        tree.select_ref(ElementRef("touchpoint", "open_bank_account"))
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        pilot.app.screen.query_one("#field-produces .field-docs", Input).value = "bank_acount"
        await pilot.pause()

    assert snap_compare(app_on(), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(app_on(), terminal_size=SIZE, run_before=run_before)


def test_delete_confirmation(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        tree = pilot.app.screen.query_one(CaseTree)
        tree.focus()
        tree.select_ref(ElementRef("document", "bsn"))
        await pilot.pause()
        await pilot.press("delete")
        await pilot.pause()

    assert snap_compare(app_on(), terminal_size=SIZE, run_before=run_before)


def test_case_screen_at_80_by_24(snap_compare: Any) -> None:
    """Narrow: a narrower tree, no kind column, the title takes the rest, the count on the border."""

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("f", "down")
        await pilot.pause()

    assert snap_compare(app_on(), terminal_size=(80, 24), run_before=run_before)


def test_case_screen_at_80_by_24_without_the_tree(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("f", "ctrl+b")
        await pilot.pause()

    assert snap_compare(app_on(), terminal_size=(80, 24), run_before=run_before)


def test_library_screen_at_80_by_24(snap_compare: Any) -> None:
    assert snap_compare(app_on(None), terminal_size=(80, 24), run_before=settle)


def test_case_screen_in_the_light_theme(snap_compare: Any) -> None:
    """Dividers, severities and section titles stay readable on a light background."""

    async def run_before(pilot: Any) -> None:
        pilot.app.theme = "textual-light"
        await settle(pilot)
        await pilot.press("f", "down", "up")
        await pilot.pause()

    assert snap_compare(app_on(), terminal_size=SIZE, run_before=run_before)


def test_graph_in_the_light_theme(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        pilot.app.theme = "textual-light"
        await settle(pilot)
        await pilot.press("f", "g")
        await pilot.pause()

    assert snap_compare(app_on(), terminal_size=SIZE, run_before=run_before)
