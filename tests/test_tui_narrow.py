"""The case screen at 80×24, a laptop's terminal: what fits, what tells rows apart, where the focus is,
and the words in the interface's language. Snapshots of every part of the case view at that size."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Footer, Input, Select, TextArea
from textual.widgets._footer import FooterKey

from kafka_tool.analysis.engine import analyze
from kafka_tool.library import find_case
from kafka_tool.loader import load_case
from tests.tui_pilot import drive as drive_at
from tests.tui_pilot import settle
from tui.app import make_app
from tui.screens.case import CaseScreen
from tui.screens.help import HelpScreen
from tui.state import ElementRef
from tui.widgets.case_tree import CaseTree, distinct_names
from tui.widgets.element_form import ElementForm
from tui.widgets.findings import FindingsPanel, distinct_titles
from tui.widgets.graph_view import GraphView, finding_drawing

NARROW = (80, 24)
ENGLISH = "turning-18-youth-care"
DUTCH = "briefadres-dakloos"
#: A Dutch case whose circular requirement is a circle of six boxes.
SIX_DUTCH = "eerst-schulden-of-eerst-behandeling"
#: An English case whose circular requirement is a circle of six boxes.
SIX_ENGLISH = "status-holder-bsn-bank-house"


@pytest.fixture(autouse=True)
def steady(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No blinking cursors, and no recent files or recovery from the user's own state folder."""
    monkeypatch.setattr(Input, "cursor_blink", False)
    monkeypatch.setattr(TextArea, "cursor_blink", False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def drive(app: Any, script: Callable[[Any], Awaitable[None]], size: tuple[int, int] = NARROW) -> None:
    drive_at(app, script, size)


def app_on(case: str | None, language: str | None = None) -> Any:
    return make_app(find_case(case) if case else None, cases_dir=Path("/nonexistent/kafka-cases"),
                    language=language)


def screen_of(pilot: Any) -> CaseScreen:
    screen = pilot.app.screen
    assert isinstance(screen, CaseScreen), type(screen)
    return screen


async def select_circle(pilot: Any) -> None:
    """Focus the findings and put the cursor on the case's circular requirement."""
    await settle(pilot)
    await pilot.press("f")
    panel = screen_of(pilot).query_one(FindingsPanel)
    row = next(n for n, f in enumerate(panel.shown) if f.kind == "circular_dependency")
    panel.table.move_cursor(row=row)
    await pilot.pause()


# ---------------------------------------------------------------------------- pure parts


def test_names_that_read_alike_show_what_tells_them_apart() -> None:
    rows = [("Gemeente - Burgerzaken (BRP)", "gemeente_brp", 14), ("Gemeente - Werk en inkomen", "gemeente_werk", 30),
            ("Municipality", "municipality_a", 30), ("Municipality", "municipality_b", 30), ("UWV", "uwv", 24)]
    shown = distinct_names(rows)
    # cut to 14 columns the first would read "Gemeente - Bu…", too like the second
    assert shown[0] == ("Geme… Burgerzaken (BRP)", "")
    assert 1 not in shown  # in full it reads like no other
    # the same name twice: the id tells them apart
    assert shown[2] == ("Municipality", "municipality_a") and shown[3] == ("Municipality", "municipality_b")
    assert 4 not in shown  # a name that reads like no other stays as it is


def test_findings_that_read_alike_show_their_difference() -> None:
    case = load_case(find_case(DUTCH))
    circles = [f for f in analyze(case).findings if f.kind == "circular_dependency"]
    assert len(circles) == 2 and circles[0].title[:40] == circles[1].title[:40]
    names = {p.id: p.name for p in case.personas}
    shown = distinct_titles(circles, 40, lambda f: ", ".join(names[p] for p in f.personas))
    assert len(set(shown)) == 2 and all(len(line) <= 40 for line in shown)
    assert {"5 documenten" in shown[0] or "5 documenten" in shown[1], "3 documenten" in " ".join(shown)} == {True}


def test_a_circle_of_six_fits_a_full_screen_at_80_by_24() -> None:
    for name in (SIX_DUTCH, SIX_ENGLISH):
        case = load_case(find_case(name))
        circle = next(f for f in analyze(case).findings if f.kind == "circular_dependency")
        assert max(len(t.nodes) for t in circle.trails if t.closed) == 6
        lines = finding_drawing(case, circle, 76, height=20).plain.splitlines()
        assert len(lines) <= 20 and max(len(line) for line in lines) <= 76
        assert sum(line.count("┌─") for line in lines) == 6  # every box


# ---------------------------------------------------------------------------- the case screen


def test_the_footer_fits_80_columns_and_keeps_the_keys_list() -> None:
    for language in ("en", "nl"):
        async def script(pilot: Any, language: str = language) -> None:
            keys = list(pilot.app.screen.query_one(Footer).query(FooterKey))
            shown = [k for k in keys if "-command-palette" not in k.classes]
            assert shown[0].key == "a" and shown[-1].key == "question_mark"
            assert sum(k.outer_size.width for k in keys) <= 80
            descriptions = [k.description for k in shown]
            assert ("Add" in descriptions) == (language == "en") and ("Toevoegen" in descriptions) == (language == "nl")

        drive(app_on(ENGLISH, language), script)


def test_the_keys_list_names_the_keys_the_footer_has_no_room_for() -> None:
    async def script(pilot: Any) -> None:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        text = str(pilot.app.screen.query_one("#help-body").source)  # type: ignore[attr-defined]
        for description in ("Redo", "Rename", "Export", "Library", "Full graph", "Accept finding"):
            assert description in text

    drive(app_on(ENGLISH), script)


def test_the_full_graph_fills_the_screen_and_goes_back() -> None:
    async def script(pilot: Any) -> None:
        await select_circle(pilot)
        await pilot.press("z")
        await settle(pilot)
        screen = screen_of(pilot)
        graph = screen.query_one(GraphView)
        assert screen.maximized is graph and graph.size.height >= 20 and graph.size.width >= 76
        assert not screen.query_one(CaseTree).region.height  # the tree is out of sight
        await pilot.press("z")
        await pilot.pause()
        assert screen.maximized is None
        await pilot.press("z", "escape")
        await pilot.pause()
        assert screen.maximized is None and pilot.app.screen is screen  # escape leaves the full graph only

    drive(app_on(SIX_DUTCH), script)


def test_the_tree_opens_on_the_first_element_with_its_detail() -> None:
    async def script(pilot: Any) -> None:
        screen = screen_of(pilot)
        first = screen.session.case.actors[0]
        assert screen.query_one(CaseTree).selected_ref == ElementRef("actor", first.id)
        assert screen.selected_ref == ElementRef("actor", first.id)

    drive(app_on(ENGLISH), script)


@pytest.mark.parametrize(("heading", "kind"), [("document", "document"), ("rule", "rule"), ("persona", "persona"),
                                               ("intervention", "intervention"), ("attribute", "attribute")])
def test_a_on_a_section_adds_an_element_of_that_section(heading: str, kind: str) -> None:
    async def script(pilot: Any) -> None:
        tree = screen_of(pilot).query_one(CaseTree)
        tree.focus()
        assert tree.select_ref(ElementRef(heading, ""))
        await pilot.pause()
        await pilot.press("a")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, ElementForm) and form.kind == kind and form.ref is None

    drive(app_on(ENGLISH), script)


def test_the_focused_pane_shows_it_in_its_border() -> None:
    async def script(pilot: Any) -> None:
        screen = screen_of(pilot)
        tree, findings = screen.query_one(CaseTree), screen.query_one(FindingsPanel)
        assert tree.has_focus
        assert tree.styles.border_top[0] == "thick" and findings.styles.border_top[0] == "solid"
        await pilot.press("f")
        await pilot.pause()
        assert tree.styles.border_top[0] == "solid" and findings.styles.border_top[0] == "thick"
        assert findings.styles.border_title_background != tree.styles.border_title_background

    drive(app_on(ENGLISH), script)


def test_dutch_findings_rows_differ_and_speak_dutch() -> None:
    async def script(pilot: Any) -> None:
        table = screen_of(pilot).query_one(DataTable)
        rows = [tuple(str(cell) for cell in table.get_row_at(n)) for n in range(table.row_count)]
        assert len(set(rows)) == len(rows)
        assert {row[0] for row in rows} <= {"Kritiek", "Hoog", "Middel", "Laag"}
        assert [str(c.label) for c in table.columns.values()] == ["ernst", "bevinding"]

    drive(app_on(DUTCH), script)


@pytest.mark.parametrize(("language", "narrow", "wide"), [
    ("en", ["Persona", "Severity", "Kind", "Layers"], ["All personas", "All severities", "All kinds", "All layers"]),
    ("nl", ["Persona", "Ernst", "Soort", "Lagen"], ["Alle persona's", "Alle ernst", "Alle soorten", "Alle lagen"]),
])
def test_each_filter_names_what_it_filters_in_full_at_80_columns(language: str, narrow: list[str],
                                                                  wide: list[str]) -> None:
    """At 80 columns "All personas" had room for "All" only: each filter says what it filters, in
    full, and in a wide window says "All ..." again."""
    def prompts(pilot: Any) -> list[str]:
        return [str(s.prompt) for s in screen_of(pilot).query("#finding-filters Select").results(Select)]

    async def script(pilot: Any) -> None:
        await settle(pilot)
        filters = list(screen_of(pilot).query("#finding-filters Select").results(Select))
        assert prompts(pilot) == narrow
        for select, prompt in zip(filters, narrow, strict=True):
            assert select.size.width >= len(prompt) + 3, (prompt, select.size.width)  # the prompt and "▼"
        await pilot.resize_terminal(160, 40)
        await settle(pilot)
        assert prompts(pilot) == wide

    drive(app_on(ENGLISH, language), script)


def test_a_form_shows_five_fields_at_80_by_24_and_follows_the_focus() -> None:
    async def script(pilot: Any) -> None:
        tree = screen_of(pilot).query_one(CaseTree)
        tree.focus()
        tree.select_ref(ElementRef("touchpoint", tree._case.touchpoints[0].id))  # type: ignore[union-attr]
        await pilot.pause()
        await pilot.press("e")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, ElementForm)
        view = form.query_one("#form-fields").region
        labels = [w for w in form.query("#form-fields .form-label") if w.region and view.contains_region(w.region)]
        assert len(labels) >= 5
        for _ in range(8):
            await pilot.press("alt+down")
            await settle(pilot)
            focused = form.focused
            assert focused is not None and view.contains_region(focused.region)

    drive(app_on(ENGLISH), script)


# ---------------------------------------------------------------------------- snapshots at 80×24


def snap(snap_compare: Any, case: str | None, *keys: str, language: str | None = None,
         before: Callable[[Any], Awaitable[None]] | None = None) -> bool:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        if before is not None:
            await before(pilot)
        if keys:
            await pilot.press(*keys)
        await settle(pilot)

    return bool(snap_compare(app_on(case, language), terminal_size=NARROW, run_before=run_before))


def test_snapshot_tree_and_detail(snap_compare: Any) -> None:
    assert snap(snap_compare, ENGLISH)


def test_snapshot_tree_and_detail_in_dutch(snap_compare: Any) -> None:
    assert snap(snap_compare, DUTCH)


def test_snapshot_graph(snap_compare: Any) -> None:
    assert snap(snap_compare, SIX_ENGLISH, "g", before=select_circle)


def test_snapshot_full_graph(snap_compare: Any) -> None:
    assert snap(snap_compare, SIX_ENGLISH, "z", before=select_circle)


def test_snapshot_full_graph_in_dutch(snap_compare: Any) -> None:
    assert snap(snap_compare, SIX_DUTCH, "z", before=select_circle)


def test_snapshot_findings(snap_compare: Any) -> None:
    assert snap(snap_compare, ENGLISH, "f", "down")


def test_snapshot_findings_in_dutch(snap_compare: Any) -> None:
    assert snap(snap_compare, DUTCH, "f")


def test_snapshot_persona(snap_compare: Any) -> None:
    assert snap(snap_compare, ENGLISH, "p")


def test_snapshot_interventions(snap_compare: Any) -> None:
    assert snap(snap_compare, ENGLISH, "i")


def test_snapshot_form(snap_compare: Any) -> None:
    assert snap(snap_compare, ENGLISH, "e")


def test_snapshot_help(snap_compare: Any) -> None:
    assert snap(snap_compare, ENGLISH, "f1")


def test_snapshot_keys(snap_compare: Any) -> None:
    assert snap(snap_compare, ENGLISH, "question_mark")


def test_snapshot_meeting_status_choice_in_dutch(snap_compare: Any) -> None:
    """The statuses to choose from, below each other and aligned on the left, in Dutch."""
    assert snap(snap_compare, DUTCH, "m", "right_square_bracket", "s")
