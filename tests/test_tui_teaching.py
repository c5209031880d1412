"""Teaching mode in the terminal interface: questions and notes on screen, expectations, the scored
reveal, the projector view and the saved session; with snapshots at 120×36 and 80×24."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.widgets import Input, Select, SelectionList, TextArea

from kafka_tool.i18n import words
from kafka_tool.library import find_case
from kafka_tool.teaching import Expectation, read_session
from tests.tui_pilot import settle
from tui.app import KafkaApp, make_app
from tui.screens.expectation import ExpectationModal
from tui.screens.open_file import PathModal
from tui.screens.projector import ProjectorScreen
from tui.screens.teaching import TeachingScreen

DUTCH = "briefadres-dakloos"
ENGLISH = "newcomer-bsn-rent"


@pytest.fixture(autouse=True)
def steady(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No blinking cursors, and no recent files or recovery from the user's own state folder."""
    monkeypatch.setattr(Input, "cursor_blink", False)
    monkeypatch.setattr(TextArea, "cursor_blink", False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def teaching_app(cases_dir: Path = Path("/nonexistent/kafka-cases")) -> KafkaApp:
    return make_app(None, cases_dir=cases_dir)


async def open_teaching(pilot: Any, sample: str = DUTCH) -> TeachingScreen:
    await settle(pilot)
    pilot.app.open_teaching(find_case(sample))
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TeachingScreen)
    return screen


async def expect(pilot: Any, kind: str, *elements: str) -> None:
    """Mark an expectation through the dialog, as a class would."""
    await pilot.press("ctrl+n")
    await pilot.pause()
    modal = pilot.app.screen
    assert isinstance(modal, ExpectationModal)
    modal.query_one("#expect-kind", Select).value = kind
    await pilot.pause()
    chooser = modal.query_one("#expect-elements", SelectionList)
    for element in elements:
        chooser.select(element)
    await pilot.press("ctrl+s")
    await pilot.pause()


def text_of(widget: Any) -> str:
    """What a Static shows, as plain text."""
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


def drive(app: KafkaApp, size: tuple[int, int], script: Callable[[Any], Awaitable[None]]) -> None:
    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await script(pilot)

    asyncio.run(main())


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
def test_the_questions_and_the_notes_are_on_screen(size: tuple[int, int]) -> None:
    app = teaching_app()

    async def script(pilot: Any) -> None:
        screen = await open_teaching(pilot)
        for selector in ("#tm-questions", "#tm-notes", "#tm-expectations", "#tm-reveal"):
            region = screen.query_one(selector).region
            assert region.height > 0 and screen.region.contains_region(region), (selector, region)
        assert screen.query_one("#tm-notes").has_focus
        # the analysis is hidden until the reveal
        assert not screen.query_one("#tm-results").display and "31" in text_of(
            screen.query_one("#tm-status"))

    drive(app, size, script)


def test_a_class_marks_expectations_and_the_reveal_scores_them(tmp_path: Path) -> None:
    app = teaching_app(tmp_path / "cases")

    async def script(pilot: Any) -> None:
        screen = await open_teaching(pilot)
        await pilot.press("ctrl+s")  # nothing revealed: nothing to save yet
        await pilot.pause()
        assert not isinstance(app.screen, PathModal)
        await expect(pilot, "dead_end", "woning_aanvragen")
        await expect(pilot, "no_owner", "inschrijving_brp")
        await expect(pilot, "referral_loop", "woning_aanvragen")
        assert screen.expectations == [Expectation("dead_end", ("woning_aanvragen",)),
                                       Expectation("no_owner", ("inschrijving_brp",)),
                                       Expectation("referral_loop", ("woning_aanvragen",))]
        screen.query_one("#tm-expectations").focus()
        await pilot.press("delete")  # the last one, highlighted when it was added
        await pilot.pause()
        assert len(screen.expectations) == 2
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert screen.result is not None
        assert [f.id for f in screen.result.found] == ["dead_end/woning_aanvragen"]
        assert len(screen.result.false_alarms) == 1 and len(screen.result.missed) == 30
        body = text_of(screen.query_one("#tm-diagnosis"))
        assert "Gevonden 1 · gemist 30 · vals alarm 1" in body and "Gemist (30)" in body
        assert "✘ zonder eigenaar: Inschrijven in de BRP  (vals alarm)" in body
        assert "bijna: hierover vindt de analyse" in body  # the no_owner guess was about the right desk
        await pilot.press("f5")
        await pilot.pause()
        projector = app.screen
        assert isinstance(projector, ProjectorScreen) and projector.slide == 0
        await pilot.press("right", "right")
        await pilot.pause()
        assert projector.slide == 2
        await pilot.press("left", "escape")
        await pilot.pause()
        assert app.screen is screen
        screen.query_one("#tm-notes").focus()
        await pilot.press(*"een cirkel")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PathModal)
        await pilot.press("enter")
        await settle(pilot)
        saved = read_session(tmp_path / "cases" / f"{DUTCH}-session.md", words("nl"))
        assert (saved.score.found, saved.score.missed, saved.score.false_alarms) == (1, 30, 1)
        assert "een cirkel" in (tmp_path / "cases" / f"{DUTCH}-session.md").read_text(encoding="utf-8")
        assert not screen.notes_unsaved

    drive(app, (80, 24), script)


def test_an_expectation_needs_a_kind_and_an_element() -> None:
    app = teaching_app()

    async def script(pilot: Any) -> None:
        screen = await open_teaching(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ExpectationModal)
        assert "Kies de soort" in str(modal.query_one("#expect-error").render())
        modal.query_one("#expect-kind", Select).value = "dead_end"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Vink ten minste" in str(modal.query_one("#expect-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and not screen.expectations

    drive(app, (80, 24), script)


# ---------------------------------------------------------------- snapshots


def test_snapshot_teaching_before_the_reveal_in_dutch(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await open_teaching(pilot)
        await expect(pilot, "dead_end", "woning_aanvragen")
        await expect(pilot, "circular_dependency", "brp_inschrijving", "huurcontract")
        await pilot.press(*"Een cirkel rond de inschrijving")
        await pilot.pause()

    assert snap_compare(teaching_app(), terminal_size=(120, 36), run_before=run_before)


def test_snapshot_teaching_after_the_reveal_in_dutch_at_80x24(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await open_teaching(pilot)
        await expect(pilot, "dead_end", "woning_aanvragen")
        await expect(pilot, "referral_loop", "woning_aanvragen")
        await pilot.press("ctrl+r")
        await pilot.pause()

    assert snap_compare(teaching_app(), terminal_size=(80, 24), run_before=run_before)


def test_snapshot_teaching_before_the_reveal_at_80x24(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await open_teaching(pilot, ENGLISH)
        await expect(pilot, "circular_dependency", "bsn")

    assert snap_compare(teaching_app(), terminal_size=(80, 24), run_before=run_before)


def test_snapshot_projector_finding_in_dutch(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await open_teaching(pilot)
        await expect(pilot, "dead_end", "woning_aanvragen")
        await pilot.press("ctrl+r", "f5", "right")
        await pilot.pause()

    assert snap_compare(teaching_app(), terminal_size=(120, 36), run_before=run_before)


@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
def test_snapshot_projector_score(snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await open_teaching(pilot, ENGLISH)
        await expect(pilot, "circular_dependency", "bsn")
        await expect(pilot, "dead_end", "register_brp")
        await pilot.press("ctrl+r", "f5")
        await pilot.pause()

    assert snap_compare(teaching_app(), terminal_size=size, run_before=run_before)


def test_leaving_teaching_mode_gives_the_title_back() -> None:
    app = make_app(find_case(ENGLISH), cases_dir=Path("/nonexistent/kafka-cases"))

    async def script(pilot: Any) -> None:
        await settle(pilot)
        before = app.sub_title
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TeachingScreen) and app.sub_title != before
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, TeachingScreen) and app.sub_title == before

    drive(app, (80, 24), script)
