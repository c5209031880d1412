"""Pilot tests: drive every feature of the terminal interface as a user would."""

from __future__ import annotations

import difflib
import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.widgets import Checkbox, Input, OptionList, Select, SelectionList, TextArea

from kafka_tool.library import find_case
from tests.tui_pilot import drive, settle
from tui.app import KafkaApp, make_app
from tui.screens.case import CaseScreen
from tui.screens.choice import ChoiceModal
from tui.screens.confirm import ConfirmModal, MessageModal
from tui.screens.help import HelpScreen
from tui.screens.library import LibraryScreen
from tui.screens.open_file import PathModal
from tui.screens.teaching import TeachingScreen
from tui.state import ElementRef, StateDir, referrers
from tui.widgets.case_tree import CaseTree
from tui.widgets.editors import RecordsEditor
from tui.widgets.element_form import ElementForm
from tui.widgets.findings import FindingsPanel
from tui.widgets.intervention_panel import InterventionPanel
from tui.widgets.persona_panel import PersonaPanel

SAMPLE = "status-holder-bsn-bank-house"
SIZE = (120, 36)


@pytest.fixture
def dirs(tmp_path: Path) -> dict[str, Path]:
    """An isolated state folder and cases folder for every test."""
    return {"config_dir": tmp_path / "state", "cases_dir": tmp_path / "kafka-cases"}


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    """A copy of a sample case that the tests may change."""
    target = tmp_path / "work" / "case.yaml"
    target.parent.mkdir()
    target.write_text(find_case(SAMPLE).read_text(encoding="utf-8"), encoding="utf-8")
    return target


def text_of(widget: Any) -> str:
    """What a Static shows, as plain text."""
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


def case_screen(app: KafkaApp) -> CaseScreen:
    screen = app.screen
    assert isinstance(screen, CaseScreen), type(screen)
    return screen


async def select(pilot: Any, ref: ElementRef) -> None:
    tree = pilot.app.screen.query_one(CaseTree)
    tree.focus()
    assert tree.select_ref(ref)
    await pilot.pause()


async def open_edit_form(pilot: Any, ref: ElementRef) -> ElementForm:
    """Select an element in the tree and press e."""
    await select(pilot, ref)
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ElementForm)
    return pilot.app.screen


# ---------------------------------------------------------------- library and opening


def test_library_lists_samples_and_opens_one(dirs: dict[str, Path]) -> None:
    app = make_app(**dirs)

    async def script(pilot: Any) -> None:
        assert isinstance(app.screen, LibraryScreen)
        assert len(app.screen.samples) >= 9
        summary = text_of(app.screen.query_one("#sample-summary"))
        assert "touchpoints" in summary
        await pilot.press("enter")
        await settle(pilot)
        screen = case_screen(app)
        assert screen.analysis is not None and screen.analysis.findings
        assert screen.session.is_sample
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)

    drive(app, script)


def test_opening_a_case_directly_and_from_the_file_dialog(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        assert case_screen(app).session.path == case_file
        assert StateDir(dirs["config_dir"]).recent() == [case_file.resolve()]
        await pilot.press("escape")
        await settle(pilot)
        library = app.screen
        assert isinstance(library, LibraryScreen)
        recent = library.query_one("#recent", OptionList)  # the case just opened is listed
        assert recent.option_count == 1 and recent.get_option_at_index(0).id == str(case_file.resolve())
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, PathModal)
        field = app.screen.query_one(Input)
        field.value = str(case_file.parent) + "/ca"
        await pilot.pause()
        await pilot.press("tab")
        assert field.value == str(case_file)
        await pilot.press("tab")  # nothing more to complete: on to the buttons
        assert not field.has_focus
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert case_screen(app).session.path == case_file

    drive(app, script)


def test_a_broken_case_shows_its_errors_with_locations(dirs: dict[str, Path], tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: kafka-case/1\nid: x\ntitle: X\nactors:\n  - {id: a, name: A, kind: banq}\n")
    app = make_app(broken, **dirs)

    async def script(pilot: Any) -> None:
        assert isinstance(app.screen, MessageModal)
        assert "broken.yaml:5" in app.screen.body

    drive(app, script)


# ---------------------------------------------------------------- findings, detail, personas


def test_selecting_a_finding_shows_evidence_and_marks_the_tree(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        screen = case_screen(app)
        await pilot.press("f")
        await pilot.pause()
        finding = screen.selected_finding
        assert finding is not None and finding.kind == "circular_dependency"
        detail = text_of(screen.query_one("#detail-body"))
        assert "CRITICAL" in detail and "Evidence" in detail
        tree = screen.query_one(CaseTree)
        marked = [n for n in tree._ref_nodes.values() if str(n.label).startswith("▶")]
        assert {n.data.key for n in marked} == set(finding.nodes)  # type: ignore[union-attr]
        await pilot.press("g")
        await pilot.pause()
        graph = text_of(screen.query_one("#graph-body"))
        assert "made at" in graph and "▲" in graph

    drive(app, script)


def test_findings_filter_by_severity_kind_and_persona(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        panel = case_screen(app).query_one(FindingsPanel)
        total = len(panel.shown)
        panel.set_filters(severity="medium")
        await pilot.pause()
        assert 0 < len(panel.shown) < total and all(f.severity == "medium" for f in panel.shown)
        panel.set_filters(severity=None, kind="dead_end")
        await pilot.pause()
        assert all(f.kind == "dead_end" for f in panel.shown)
        panel.set_filters(kind=None, persona="amal")
        await pilot.pause()
        assert all(not f.personas or "amal" in f.personas for f in panel.shown)

    drive(app, script)


def test_element_detail_shows_connections_and_findings(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        screen = case_screen(app)
        await select(pilot, ElementRef("touchpoint", "open_bank_account"))
        detail = text_of(screen.query_one("#detail-body"))
        assert "requires" in detail and "referred from" in detail and "Findings (" in detail

    drive(app, script)


def test_switching_persona_shows_goals_plan_and_burden(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        screen = case_screen(app)
        panel = screen.query_one(PersonaPanel)
        findings = screen.query_one(FindingsPanel)
        assert panel.persona_id == "yonas" and findings.filters()[0] is None
        await pilot.press("p")  # from all personas to the first
        await pilot.pause()
        assert panel.persona_id == "yonas" and findings.filters()[0] == "yonas"
        await pilot.press("p")
        await pilot.pause()
        assert panel.persona_id == "amal"
        body = text_of(panel.query_one("#persona-body"))
        assert "✔ reaches" in body and "Plan" in body and "3 steps" in body
        assert findings.filters()[0] == "amal"
        await pilot.press("p", "p")  # past the last persona: all of them again
        await pilot.pause()
        assert findings.filters()[0] is None

    drive(app, script)


# ---------------------------------------------------------------- editing


def test_edit_then_undo_and_redo(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        screen = case_screen(app)
        await open_edit_form(pilot, ElementRef("actor", "bank"))
        form = app.screen
        assert isinstance(form, ElementForm)
        form.query_one("#field-name", Input).value = "Any Dutch bank"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.session.case.actor("bank").name == "Any Dutch bank"  # type: ignore[union-attr]
        assert app.title.endswith("●")
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert screen.session.case.actor("bank").name == "Bank"  # type: ignore[union-attr]
        assert not app.title.endswith("●")
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert screen.session.case.actor("bank").name == "Any Dutch bank"  # type: ignore[union-attr]

    drive(app, script)


def test_form_validates_as_you_type(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        form = await open_edit_form(pilot, ElementRef("touchpoint", "open_bank_account"))
        form.query_one("#field-produces .field-docs", Input).value = "bank_acount"
        await settle(pilot)
        errors = " ".join(text_of(e) for e in form.query("#field-produces .row-error, #error-produces"))
        assert "bank_account" in errors  # did you mean
        form.query_one("#field-days", Input).value = "soon"
        await pilot.pause()
        assert "number" in text_of(form.query_one("#error-days"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # not applied
        await pilot.press("escape")  # fields were changed: asks before discarding them
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form and form.query_one("#field-days", Input).value == "soon"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert not case_screen(app).session.modified

    drive(app, script)


def test_long_fields_take_several_lines(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        screen = case_screen(app)
        await open_edit_form(pilot, ElementRef("journey", "0"))
        steps = app.screen.query_one("#field-steps", RecordsEditor)
        assert len(steps.filled()) == len(screen.session.case.journeys[0].steps) > 1  # one row a step
        assert len(steps.rows) == len(steps.filled()) + 1  # and an empty one to type the next into
        await pilot.press("escape")
        await pilot.pause()
        await open_edit_form(pilot, ElementRef("persona", "yonas"))
        story = app.screen.query_one("#field-story", TextArea)
        story.text = "First line.\nSecond line."
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.session.case.persona("yonas").story == "First line.\nSecond line."  # type: ignore[union-attr]

    drive(app, script)


def test_a_form_left_unchanged_closes_without_asking(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        await open_edit_form(pilot, ElementRef("touchpoint", "open_bank_account"))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)

    drive(app, script)


def test_add_an_element_and_rerun_analysis(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        screen = case_screen(app)
        before = len(screen.analysis.findings)  # type: ignore[union-attr]
        await select(pilot, ElementRef("touchpoint", "payroll"))
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ElementForm)
        # Added beside a touchpoint: the new one is at the same organisation until it is changed.
        payroll = screen.session.case.touchpoint("payroll")
        assert payroll is not None
        assert form.query_one("#field-actor", Input).value == payroll.actor
        form.query_one("#field-actor", Input).value = ""
        form.query_one("#field-id", Input).value = "helpdesk"
        form.query_one("#field-name", Input).value = "Ask the helpdesk"
        form.query_one("#field-requires .field-docs", Input).value = "ghost_paper"
        await settle(pilot)
        assert "ghost_paper" in text_of(form.query_one("#field-requires .row-error"))
        form.query_one("#field-requires .field-docs", Input).value = "bsn"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.session.case.touchpoint("helpdesk") is not None
        assert any("helpdesk" in f.nodes for f in screen.analysis.findings)  # type: ignore[union-attr]
        assert len(screen.analysis.findings) > before  # type: ignore[union-attr]

    drive(app, script)


def test_rename_updates_references(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        screen = case_screen(app)
        count = len(referrers(screen.session.case, "bsn"))
        await select(pilot, ElementRef("document", "bsn"))
        await pilot.press("r")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ElementForm) and [s.key for s in form.specs] == ["id"]
        form.query_one("#field-id", Input).value = "citizen_number"
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        case = screen.session.case
        assert case.document("bsn") is None
        assert len(referrers(case, "citizen_number")) == count
        assert screen.query_one(CaseTree).selected_ref == ElementRef("document", "citizen_number")

    drive(app, script)


def test_delete_asks_and_names_referrers(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        screen = case_screen(app)
        await select(pilot, ElementRef("document", "bank_account"))
        await pilot.press("delete")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ConfirmModal)
        assert "open_bank_account" in modal.detail
        await pilot.press("n")
        await pilot.pause()
        assert screen.session.case.document("bank_account") is not None
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert screen.session.case.document("bank_account") is None
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert screen.session.case.document("bank_account") is not None

    drive(app, script)


# ---------------------------------------------------------------- saving, quitting, recovery


def test_save_keeps_comments_and_clears_the_marker(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)
    original = case_file.read_text(encoding="utf-8")

    async def script(pilot: Any) -> None:
        screen = case_screen(app)
        await select(pilot, ElementRef("actor", "bank"))
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one("#field-id", Input).value = "bank_nl"
        await pilot.press("enter")
        await settle(pilot)
        assert app.state.recovery(case_file) is not None  # this window's own recovery file
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not screen.session.modified and not app.title.endswith("●")
        assert StateDir(dirs["config_dir"]).recoveries(case_file) == []

    drive(app, script)
    saved = case_file.read_text(encoding="utf-8")
    comments = [line for line in original.splitlines() if line.lstrip().startswith("#")]
    assert comments and all(line in saved.splitlines() for line in comments)
    assert "bank_nl" in saved and "id: bank," not in saved
    diff = [
        line
        for line in difflib.unified_diff(original.splitlines(), saved.splitlines(), n=0)
        if line.startswith(("-", "+")) and not line.startswith(("---", "+++"))
    ]
    assert len(diff) <= 8, diff


def test_a_sample_is_saved_as_a_copy(dirs: dict[str, Path]) -> None:
    sample = find_case(SAMPLE)
    original = sample.read_text(encoding="utf-8")
    app = make_app(sample, **dirs)

    async def script(pilot: Any) -> None:
        await select(pilot, ElementRef("actor", "bank"))
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one("#field-id", Input).value = "bank_nl"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PathModal)
        assert app.screen.query_one(Input).value == str(dirs["cases_dir"] / f"{SAMPLE}.yaml")
        await pilot.press("enter")
        await settle(pilot)
        assert case_screen(app).session.path == dirs["cases_dir"] / f"{SAMPLE}.yaml"

    drive(app, script)
    assert sample.read_text(encoding="utf-8") == original
    assert "bank_nl" in (dirs["cases_dir"] / f"{SAMPLE}.yaml").read_text(encoding="utf-8")


def test_a_copy_is_never_saved_over_the_installed_sample(
    dirs: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stand-in library, so that a failure here cannot damage the real one.
    library = tmp_path / "library"
    library.mkdir()
    sample = library / f"{SAMPLE}.yaml"
    sample.write_text(find_case(SAMPLE).read_text(encoding="utf-8"), encoding="utf-8")
    original = sample.read_bytes()
    monkeypatch.setattr("tui.state.library_dir", lambda: library)
    app = make_app(sample, **dirs)

    async def script(pilot: Any) -> None:
        screen = case_screen(app)
        assert screen.session.is_sample
        await select(pilot, ElementRef("document", "salary"))
        await pilot.press("delete", "y")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PathModal)
        app.screen.query_one(Input).value = str(sample)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PathModal)  # asked again, for another place
        await pilot.press("escape")
        await pilot.pause()
        assert screen.session.modified

    drive(app, script)
    assert sample.read_bytes() == original


def test_quit_in_teaching_mode_with_unsaved_notes_asks_first(dirs: dict[str, Path]) -> None:
    app = make_app(**dirs)

    async def script(pilot: Any) -> None:
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TeachingScreen)
        await pilot.press(*"two loops")
        await pilot.press("ctrl+q")
        await pilot.pause()
        # The first sample is Dutch: so is the question.
        assert isinstance(app.screen, ChoiceModal)
        assert "aantekeningen" in text_of(app.screen.query_one("#choice-detail"))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TeachingScreen)

    drive(app, script)


def test_quit_with_unsaved_changes_asks_first(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        await select(pilot, ElementRef("document", "salary"))
        await pilot.press("delete", "y")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()

    drive(app, script)
    assert app.return_code == 0
    assert "salary" in case_file.read_text(encoding="utf-8")  # nothing was written


def test_quit_with_changes_typed_in_an_open_form_asks_first(dirs: dict[str, Path], case_file: Path) -> None:
    """The case has no edits, but what was typed in the form is in no file yet: quitting asks, and
    offers no save (that would save the case without the form)."""
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        await open_edit_form(pilot, ElementRef("actor", "bank"))
        form = app.screen
        assert isinstance(form, ElementForm) and not form.changed
        form.query_one("#field-name", Input).value = "Any Dutch bank"
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        assert "typed in the open form" in text_of(app.screen.query_one("#choice-detail"))
        assert not app.screen.query("#choice-save")  # the case has no edits to save; the form is not applied
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is form and form.query_one("#field-name", Input).value == "Any Dutch bank"

    drive(app, script)


def crash_after_an_edit(dirs: dict[str, Path], case_file: Path) -> None:
    """Delete a document, then end the run without saving or quitting: as if the terminal was closed."""
    first = make_app(case_file, **dirs)

    async def edit(pilot: Any) -> None:
        await select(pilot, ElementRef("document", "salary"))
        await pilot.press("delete", "y")
        await settle(pilot)

    drive(first, edit)


def test_recovery_after_a_crash(dirs: dict[str, Path], case_file: Path) -> None:
    crash_after_an_edit(dirs, case_file)
    second = make_app(case_file, **dirs)

    async def recover(pilot: Any) -> None:
        assert isinstance(second.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        screen = case_screen(second)
        assert screen.session.case.document("salary") is None
        assert screen.session.modified and second.title.endswith("●")

    drive(second, recover)


def test_escape_on_the_recovery_question_keeps_the_edits_for_later(dirs: dict[str, Path], case_file: Path) -> None:
    crash_after_an_edit(dirs, case_file)
    second = make_app(case_file, **dirs)

    async def later(pilot: Any) -> None:
        assert isinstance(second.screen, ConfirmModal)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(second.screen, CaseScreen)  # nothing opened

    drive(second, later)
    assert len(StateDir(dirs["config_dir"]).recoveries(case_file)) == 1


def test_opening_another_case_with_unsaved_changes_asks(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        await select(pilot, ElementRef("document", "salary"))
        await pilot.press("delete", "y")
        await settle(pilot)
        app.open_case(find_case("toeslagenaffaire"))
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert case_screen(app).session.case.id == "toeslagenaffaire"

    drive(app, script)


# ---------------------------------------------------------------- interventions, teaching, help


def test_running_an_intervention(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        screen = case_screen(app)
        await pilot.press("i")
        await pilot.pause()
        panel = screen.query_one(InterventionPanel)
        selection = panel.query_one(SelectionList)
        assert selection.has_focus and selection.highlighted == 0
        await pilot.press("down", "space")  # the second intervention of the case
        assert list(selection.selected) == ["no_bank_account_for_rent"]
        await select(pilot, ElementRef("actor", "bank"))  # c works from anywhere on the case screen
        await pilot.press("c")
        await settle(pilot)
        comparison = panel.comparison
        assert comparison is not None and comparison.resolved
        body = text_of(panel.query_one("#intervention-body"))
        assert "Resolves" in body and "→" in body
        assert not screen.session.modified

    drive(app, script)


def test_help_keys_and_command_palette(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        screen = case_screen(app)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and "Case tree" in app.screen.markdown
        scroll = app.screen.query_one("#help-scroll")
        assert scroll.has_focus and scroll.max_scroll_y > 0  # longer than the screen: it scrolls
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y
        await pilot.press("escape")
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = [line for line in app.screen.markdown.splitlines() if line.startswith("| `")]
        # the case screen's own keys come first, shown as the footer shows them
        assert rows[0].endswith("| this screen |")
        assert any("| Undo | this screen |" in row for row in rows)
        assert not any("question_mark" in row for row in rows)
        await pilot.press("escape")
        await pilot.pause()
        titles = {c.title for c in app.get_system_commands(screen)}
        assert {"Undo", "Redo", "Save", "Rename", "Delete", "Add touchpoint", "Show graph"} <= titles

    drive(app, script)


def test_export_writes_a_file_and_says_where(dirs: dict[str, Path], case_file: Path, tmp_path: Path) -> None:
    app = make_app(case_file, **dirs)
    out = tmp_path / "out"

    async def script(pilot: Any) -> None:
        await pilot.press("x")
        await pilot.pause()
        from tui.screens.export import ExportModal

        modal = app.screen
        assert isinstance(modal, ExportModal)
        modal.query_one("#export-folder", Input).value = str(out)
        modal.start()
        await settle(pilot)
        assert modal.written and modal.written[0].exists()
        assert str(modal.written[0]) in text_of(modal.query_one("#export-result"))
        assert app.screen.focused is modal.query_one("#export-go")  # enter exports again, not close
        first, count = modal.written[0].read_bytes(), len(modal.written)
        modal.start()  # the same again: the file exists
        await settle(pilot)
        result = text_of(modal.query_one("#export-result"))
        assert "exists" in result and "overwrite existing files" in result and "--force" not in result
        modal.query_one("#export-force", Checkbox).value = True
        modal.start()
        await settle(pilot)
        assert len(modal.written) == 2 * count and modal.written[count].read_bytes() == first

    drive(app, script)
    assert any(out.glob("*.md"))


@pytest.mark.needs_dot
def test_export_offers_each_personas_timeline(dirs: dict[str, Path], case_file: Path, tmp_path: Path) -> None:
    app = make_app(case_file, **dirs)
    out = tmp_path / "out"

    async def script(pilot: Any) -> None:
        await pilot.press("x")
        await pilot.pause()
        from tui.screens.export import ExportModal

        modal = app.screen
        assert isinstance(modal, ExportModal)
        labels = [label for label, _ in modal.views]
        persona = app.screen.case_screen.session.case.personas[0]
        assert f"timeline: {persona.name}" in labels
        view = next(v for label, v in modal.views if label == f"timeline: {persona.name}")
        assert (view.kind, view.ident) == ("timeline", persona.id)
        modal.query_one("#export-view", Select).value = labels.index(f"timeline: {persona.name}")
        modal.query_one("#export-format", Select).value = "svg"
        modal.query_one("#export-folder", Input).value = str(out)
        modal.start()
        await settle(pilot)
        # Named after the case's file (case.yaml), not its id, as on the command line.
        assert app.screen.case_screen.session.case.id != "case"
        assert [p.name for p in modal.written] == [f"case.timeline-{persona.id}.svg"]
        assert "<svg" in modal.written[0].read_text(encoding="utf-8")

    drive(app, script)


def test_export_writes_the_action_plan_and_the_review_table(dirs: dict[str, Path], case_file: Path,
                                                          tmp_path: Path) -> None:
    app = make_app(case_file, **dirs)
    out = tmp_path / "out"

    async def script(pilot: Any) -> None:
        await pilot.press("x")
        await pilot.pause()
        from tui.screens.export import ExportModal

        modal = app.screen
        assert isinstance(modal, ExportModal)
        labels = [label for label, _ in modal.views]
        modal.query_one("#export-folder", Input).value = str(out)
        for label, fmt, name in (("the action plan (html, md, csv)", "csv", "case.plan.csv"),
                                 ("the action plan (html, md, csv)", "html", "case.plan.html"),
                                 ("the review table per organisation (html, md)", "html", "case.review.html")):
            modal.query_one("#export-view", Select).value = labels.index(label)
            modal.query_one("#export-format", Select).value = fmt
            modal.start()
            await settle(pilot)
            assert modal.written[-1].name == name
        plan_csv = (out / "case.plan.csv").read_text(encoding="utf-8")
        assert plan_csv.startswith('"finding","kind","severity","title","layers","spans_layers"')
        assert "<h1>Action plan:" in (out / "case.plan.html").read_text(encoding="utf-8")
        assert "Review table" in (out / "case.review.html").read_text(encoding="utf-8")
        # Each view offers only the formats it can be written in, keeping the chosen one where it fits.
        fmt = modal.query_one("#export-format", Select)
        formats = {}
        for label in ("the review table per organisation (html, md)", "the action plan (html, md, csv)",
                      "the whole case"):
            modal.query_one("#export-view", Select).value = labels.index(label)
            await pilot.pause()
            formats[label] = [value for _, value in fmt._options if value != Select.BLANK]
            assert fmt.value == "html"
        assert formats["the review table per organisation (html, md)"] == ["html", "md"]
        assert formats["the action plan (html, md, csv)"] == ["html", "md", "csv"]
        assert "svg" in formats["the whole case"] and "csv" in formats["the whole case"]
        persona = app.screen.case_screen.session.case.personas[0]
        modal.query_one("#export-view", Select).value = labels.index(f"persona: {persona.name}")
        await pilot.pause()
        assert "csv" not in [value for _, value in fmt._options] and fmt.value == "svg"

    drive(app, script)


def test_the_interface_speaks_the_chosen_language_else_the_case_s_else_the_system_s(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGUAGE", "")
    monkeypatch.setenv("LC_ALL", "nl_NL.UTF-8")
    app = make_app()
    assert app.language_for(None) == "nl"  # the library: the system's locale
    assert app.language_for("en") == "en"  # a case: its own language
    chosen = make_app(language="en")
    assert chosen.language_for(None) == chosen.language_for("nl") == "en"
    assert chosen.words_for("nl").say("nobody") == "nobody"
    assert app.words_for("nl").say("nobody") != "nobody"
