"""Snapshots of the dialogs for a case file changed on disk, at 120×36 and 80×24."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, TextArea

from kafka_tool.library import find_case
from tests.test_tui_disk import add_actor, edit_in_an_editor, set_actor_name
from tests.tui_pilot import settle
from tui.app import make_app
from tui.screens.case import CaseScreen

SAMPLE = "status-holder-bsn-bank-house"


@pytest.fixture(autouse=True)
def steady(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No blinking cursors, no state of the user's own, and no look at the file but the one asked for."""
    monkeypatch.setattr(Input, "cursor_blink", False)
    monkeypatch.setattr(TextArea, "cursor_blink", False)
    monkeypatch.setattr(CaseScreen, "DISK_CHECK_SECONDS", 3600.0)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    target = tmp_path / "case.yaml"
    target.write_text(find_case(SAMPLE).read_text(encoding="utf-8"), encoding="utf-8")
    return target


def app_on(path: Path, tmp: Path) -> Any:
    return make_app(path, config_dir=tmp / "state", cases_dir=Path("/nonexistent/kafka-cases"))


def changed_on_disk(case_file: Path) -> Any:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        add_actor(pilot.app)
        await settle(pilot)
        edit_in_an_editor(case_file)
        await pilot.press("ctrl+s")
        await settle(pilot)

    return run_before


def conflict(case_file: Path) -> Any:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        text = case_file.read_text(encoding="utf-8")
        case_file.write_text(text.replace("{id: bank, name: Bank,", "{id: bank, name: ING Bank,", 1), encoding="utf-8")
        set_actor_name(pilot.app, "bank", "Rabobank")
        add_actor(pilot.app)
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
def test_changed_on_disk_dialog(snap_compare: Any, case_file: Path, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(app_on(case_file, tmp_path), terminal_size=size, run_before=changed_on_disk(case_file))


@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
def test_conflict_view(snap_compare: Any, case_file: Path, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(app_on(case_file, tmp_path), terminal_size=size, run_before=conflict(case_file))
