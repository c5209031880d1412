"""Pilot tests: a case file that changes on disk while it is open, kept edits, two windows.

Each loss from issue 12 is played out here as it was seen, and ends with nothing lost:

- an attribute and a comment added in an editor, then an actor added in the interface and
  ``ctrl+s``: the save notices, merges, and the file has all three;
- an unsaved edit, a crash, an edit of the file outside, reopen, recover: recovery says the
  file changed and the merge keeps both;
- two windows on one file: the last save never wins silently, and B's unsaved edit survives
  A's save and A's clean-up of its own recovery file.

Elements are added through :meth:`CaseScreen.apply_data`, the step a form ends in (the forms
have tests of their own); saving, the dialogs and their keys are driven as a user would.
"""

from __future__ import annotations

import asyncio
import difflib
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.widgets import Input

from kafka_tool.document import CaseDocument
from kafka_tool.edits import delete_element
from kafka_tool.library import find_case
from tests.test_tui_app import SIZE, case_screen, crash_after_an_edit, drive, settle, text_of
from tui.app import KafkaApp, make_app
from tui.screens.case import CaseScreen
from tui.screens.changed import ChangedOnDiskModal, ConflictModal
from tui.screens.confirm import ConfirmModal
from tui.screens.open_file import PathModal
from tui.state import ElementRef, StateDir, replace_element

SAMPLE = "status-holder-bsn-bank-house"
COMMENT = "  # Added in an editor: whether the status holder has a job offer"
ATTRIBUTE = "  has_job_offer:\n    type: boolean\n    description: A signed offer of employment\n"


@pytest.fixture
def dirs(tmp_path: Path) -> dict[str, Path]:
    return {"config_dir": tmp_path / "state", "cases_dir": tmp_path / "kafka-cases"}


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    target = tmp_path / "work" / "case.yaml"
    target.parent.mkdir()
    target.write_text(find_case(SAMPLE).read_text(encoding="utf-8"), encoding="utf-8")
    return target


@pytest.fixture(autouse=True)
def no_polling(monkeypatch: pytest.MonkeyPatch) -> None:
    """The file is looked at when the test says so (a look every 2 s would race the keys pressed)."""
    monkeypatch.setattr(CaseScreen, "DISK_CHECK_SECONDS", 3600.0)


def edit_in_an_editor(path: Path) -> str:
    """Add an attribute with a comment above it, as someone would in a text editor; the new text."""
    text = path.read_text(encoding="utf-8")
    assert "attributes:\n" in text
    text = text.replace("attributes:\n", f"attributes:\n{COMMENT}\n{ATTRIBUTE}", 1)
    path.write_text(text, encoding="utf-8")
    return text


def add_actor(app: KafkaApp, ident: str = "coa", name: str = "COA (asylum reception)") -> None:
    """Add an actor, as the actor form does when it is saved."""
    screen = case_screen(app)
    actor = {"id": ident, "name": name, "kind": "executive_agency"}
    data = replace_element(screen.session.case.to_data(), None, "actor", actor)
    assert screen.apply_data(data, f"add actor {ident}", ElementRef("actor", ident))


def set_actor_name(app: KafkaApp, ident: str, name: str) -> None:
    screen = case_screen(app)
    data = screen.session.case.to_data()
    old = next(a for a in data["actors"] if a["id"] == ident)
    data = replace_element(data, ElementRef("actor", ident), "actor", {**old, "name": name})
    assert screen.apply_data(data, f"edit actor {ident}", ElementRef("actor", ident))


def dialog_text(screen: Any) -> str:
    return "\n".join(text_of(w) for w in screen.query("Static"))


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0)
        if line.startswith(("-", "+")) and not line.startswith(("---", "+++"))
    ]


# ---------------------------------------------------------------- loss 1: an editor beside the interface


def test_an_edit_made_in_an_editor_survives_a_save_from_the_interface(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)
    seen: dict[str, str] = {}

    async def script(pilot: Any) -> None:
        seen["outside"] = edit_in_an_editor(case_file)
        add_actor(app)
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ChangedOnDiskModal)
        assert case_file.read_text(encoding="utf-8") == seen["outside"]  # nothing written yet
        said = dialog_text(dialog)
        assert "case.yaml changed on disk" in said and "nothing was saved" in said
        assert "attribute has_job_offer added" in said and "actor coa added" in said
        assert "In the text: 4 lines added, 0 removed." in said
        await pilot.press("y")
        await settle(pilot)
        screen = case_screen(app)
        assert not screen.session.modified
        assert "has_job_offer" in screen.session.case.attributes

    drive(app, script)
    saved = case_file.read_text(encoding="utf-8")
    assert COMMENT in saved and "has_job_offer:" in saved and "id: coa" in saved
    # Only the actor was added to what the editor wrote: the rest is as it was written there.
    diff = changed_lines(seen["outside"], saved)
    assert diff and all(line.startswith("+") for line in diff) and any("coa" in line for line in diff), diff
    assert StateDir(dirs["config_dir"]).recoveries(case_file) == []


def test_both_changed_the_same_element_the_user_chooses(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        text = case_file.read_text(encoding="utf-8")
        case_file.write_text(text.replace("{id: bank, name: Bank,", "{id: bank, name: ING Bank,", 1), encoding="utf-8")
        set_actor_name(app, "bank", "Rabobank")
        add_actor(app)
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChangedOnDiskModal)
        assert "actor bank changed" in dialog_text(app.screen)
        await pilot.press("y")
        await settle(pilot)
        conflicts = app.screen
        assert isinstance(conflicts, ConflictModal)
        said = dialog_text(conflicts)
        assert "Rabobank" in said and "ING Bank" in said and "1 still to choose" in said
        await pilot.press("y")  # not yet: nothing chosen
        await settle(pilot)
        assert app.screen is conflicts
        await pilot.press("t")
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)

    drive(app, script)
    saved = case_file.read_text(encoding="utf-8")
    assert "ING Bank" in saved and "Rabobank" not in saved and "id: coa" in saved


def test_keeping_mine_in_a_conflict(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        text = case_file.read_text(encoding="utf-8")
        case_file.write_text(text.replace("{id: bank, name: Bank,", "{id: bank, name: ING Bank,", 1), encoding="utf-8")
        set_actor_name(app, "bank", "Rabobank")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ConflictModal)
        await pilot.press("m", "y")
        await settle(pilot)

    drive(app, script)
    assert "Rabobank" in case_file.read_text(encoding="utf-8")


def test_overwriting_asks_a_second_time(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        outside = edit_in_an_editor(case_file)
        add_actor(app)
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, ConfirmModal) and "attribute has_job_offer added" in confirm.detail
        await pilot.press("n")  # back to the choices, nothing written
        await settle(pilot)
        assert isinstance(app.screen, ChangedOnDiskModal)
        assert case_file.read_text(encoding="utf-8") == outside
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert not case_screen(app).session.modified

    drive(app, script)
    saved = case_file.read_text(encoding="utf-8")
    assert "id: coa" in saved and "has_job_offer" not in saved  # overwritten, as chosen twice


def test_saving_as_a_copy_leaves_the_file_on_disk_alone(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)
    copy = case_file.with_name("case-mine.yaml")

    async def script(pilot: Any) -> None:
        edit_in_an_editor(case_file)
        add_actor(app)
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, PathModal)
        assert app.screen.query_one(Input).value == str(copy)
        await pilot.press("enter")
        await settle(pilot)
        assert case_screen(app).session.path == copy and not case_screen(app).session.modified

    drive(app, script)
    assert "id: coa" in copy.read_text(encoding="utf-8") and "has_job_offer" not in copy.read_text(encoding="utf-8")
    assert "has_job_offer" in case_file.read_text(encoding="utf-8")
    assert "id: coa" not in case_file.read_text(encoding="utf-8")


def test_not_now_writes_nothing_and_the_next_save_asks_again(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        outside = edit_in_an_editor(case_file)
        add_actor(app)
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        screen = case_screen(app)
        assert screen.session.modified and case_file.read_text(encoding="utf-8") == outside
        screen.disk.check("poll")  # the same change is not asked about again while editing
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChangedOnDiskModal)
        await pilot.press("n")
        await settle(pilot)
        assert case_file.read_text(encoding="utf-8") == outside

    drive(app, script)


# ---------------------------------------------------------------- noticing: focus, every few seconds


def test_coming_back_to_the_terminal_notices_the_change(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        add_actor(app)
        await settle(pilot)
        edit_in_an_editor(case_file)
        app.post_message(events.AppFocus())
        await settle(pilot)
        assert isinstance(app.screen, ChangedOnDiskModal)
        assert "Your unsaved edits" in dialog_text(app.screen) and "actor coa added" in dialog_text(app.screen)
        await pilot.press("y")
        await settle(pilot)
        screen = case_screen(app)
        assert screen.session.modified  # merged, not saved: ctrl+s saves
        assert "has_job_offer" in screen.session.case.attributes and screen.session.case.actor("coa")
        await pilot.press("ctrl+s")
        await settle(pilot)

    drive(app, script)
    saved = case_file.read_text(encoding="utf-8")
    assert COMMENT in saved and "id: coa" in saved


def test_a_file_without_unsaved_edits_is_read_again_every_few_seconds(
    dirs: dict[str, Path], case_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(CaseScreen, "DISK_CHECK_SECONDS", 0.05)
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        screen = case_screen(app)
        edit_in_an_editor(case_file)
        for _ in range(40):
            await asyncio.sleep(0.05)
            await settle(pilot)
            if "has_job_offer" in screen.session.case.attributes:
                break
        assert "has_job_offer" in screen.session.case.attributes
        assert isinstance(app.screen, CaseScreen) and not screen.session.modified
        assert any("read again" in n.message for n in app._notifications)
        await pilot.press("ctrl+z")  # the reload is an edit like any other
        await settle(pilot)
        assert "has_job_offer" not in screen.session.case.attributes

    drive(app, script)


def test_a_change_seen_under_a_form_is_asked_about_when_the_case_is_back(
    dirs: dict[str, Path], case_file: Path
) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        add_actor(app)
        await settle(pilot)
        app.push_screen(ConfirmModal("Something else first?"))
        await pilot.pause()
        edit_in_an_editor(case_file)
        case_screen_ = next(s for s in app.screen_stack if isinstance(s, CaseScreen))
        case_screen_.disk.check("poll")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)  # not over another dialog
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ChangedOnDiskModal)

    drive(app, script)


def test_a_merge_that_would_not_be_a_valid_case_is_not_offered_again(
    dirs: dict[str, Path], case_file: Path
) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        screen = case_screen(app)
        touchpoint = {"id": "bank_helpdesk", "name": "Ask the bank's helpdesk", "actor": "bank"}
        assert screen.apply_data(replace_element(screen.session.case.to_data(), None, "touchpoint", touchpoint),
                                 "add touchpoint bank_helpdesk")
        await settle(pilot)
        outside = CaseDocument.open(case_file)  # someone else removes the bank (and what refers to it)
        outside.save(delete_element(outside.case, ElementRef("actor", "bank")))
        written = case_file.read_text(encoding="utf-8")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ChangedOnDiskModal) and not dialog.can_merge
        assert "Merging gives a case that is not valid" in dialog_text(dialog) and "bank" in dialog_text(dialog)
        assert case_file.read_text(encoding="utf-8") == written

    drive(app, script)


def test_a_file_half_written_cannot_be_merged_and_says_why(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        add_actor(app)
        await settle(pilot)
        case_file.write_text(case_file.read_text(encoding="utf-8")[:2000] + "\n  - {id: [", encoding="utf-8")
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ChangedOnDiskModal) and not dialog.can_merge
        assert "cannot be read as a case now" in dialog_text(dialog)
        await pilot.press("y")  # no merge to be had
        await settle(pilot)
        assert app.screen is dialog

    drive(app, script)


def test_a_deleted_file_is_not_written_again_without_asking(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        add_actor(app)
        await settle(pilot)
        case_file.unlink()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChangedOnDiskModal) and "deleted or moved" in dialog_text(app.screen)
        assert not case_file.exists()
        await pilot.press("o", "y")
        await settle(pilot)

    drive(app, script)
    assert "id: coa" in case_file.read_text(encoding="utf-8")


# ---------------------------------------------------------------- loss 2: a crash, an outside edit, recovery
# (crash_after_an_edit: salary deleted in a window that then ends without saving)


def test_recovery_after_a_crash_and_an_outside_edit_merges_both(dirs: dict[str, Path], case_file: Path) -> None:
    crash_after_an_edit(dirs, case_file)
    outside = edit_in_an_editor(case_file)
    second = make_app(case_file, **dirs)

    async def recover(pilot: Any) -> None:
        dialog = second.screen
        assert isinstance(dialog, ChangedOnDiskModal) and dialog.kept
        said = dialog_text(dialog)
        assert "were kept, but the file has changed since" in said
        assert "attribute has_job_offer added" in said and "document salary removed" in said
        await pilot.press("y")
        await settle(pilot)
        screen = case_screen(second)
        case = screen.session.case
        assert case.document("salary") is None and "has_job_offer" in case.attributes
        assert screen.session.modified and second.title.endswith("●")
        assert case_file.read_text(encoding="utf-8") == outside  # recovering writes nothing by itself
        await pilot.press("ctrl+s")
        await settle(pilot)

    drive(second, recover)
    saved = case_file.read_text(encoding="utf-8")
    assert COMMENT in saved and "has_job_offer:" in saved and "id: salary" not in saved
    assert StateDir(dirs["config_dir"]).recoveries(case_file) == []


def test_kept_edits_can_be_saved_as_a_copy_or_discarded(dirs: dict[str, Path], case_file: Path) -> None:
    crash_after_an_edit(dirs, case_file)
    outside = edit_in_an_editor(case_file)
    second = make_app(case_file, **dirs)
    copy = case_file.with_name("case-recovered.yaml")

    async def as_copy(pilot: Any) -> None:
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(second.screen, PathModal) and second.screen.query_one(Input).value == str(copy)
        await pilot.press("enter")
        await settle(pilot)
        assert case_screen(second).session.path == copy

    drive(second, as_copy)
    assert case_file.read_text(encoding="utf-8") == outside
    kept = copy.read_text(encoding="utf-8")
    assert "id: salary" not in kept and "has_job_offer" not in kept
    assert kept.startswith("# Case: status holders")  # the comments of the file the edits were made on
    assert StateDir(dirs["config_dir"]).recoveries(case_file) == []

    case_file.write_text(find_case(SAMPLE).read_text(encoding="utf-8"), encoding="utf-8")
    crash_after_an_edit(dirs, case_file)
    edit_in_an_editor(case_file)
    third = make_app(case_file, **dirs)

    async def discard(pilot: Any) -> None:
        assert isinstance(third.screen, ChangedOnDiskModal)
        await pilot.press("n")
        await settle(pilot)
        assert not case_screen(third).session.modified

    drive(third, discard)
    assert StateDir(dirs["config_dir"]).recoveries(case_file) == []


def test_escape_on_changed_kept_edits_keeps_them_for_later(dirs: dict[str, Path], case_file: Path) -> None:
    crash_after_an_edit(dirs, case_file)
    edit_in_an_editor(case_file)
    second = make_app(case_file, **dirs)

    async def later(pilot: Any) -> None:
        assert isinstance(second.screen, ChangedOnDiskModal)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(second.screen, CaseScreen)

    drive(second, later)
    assert len(StateDir(dirs["config_dir"]).recoveries(case_file)) == 1


# ---------------------------------------------------------------- loss 3: two windows on one file


def test_two_windows_on_one_file_never_lose_each_others_edits(dirs: dict[str, Path], case_file: Path) -> None:
    window_a = make_app(case_file, **dirs)
    window_b = make_app(case_file, **dirs)

    async def main() -> None:
        async with window_b.run_test(size=SIZE) as b:
            await settle(b)
            add_actor(window_b, "coa", "COA (asylum reception)")
            await settle(b)
            b_recovery = window_b.state.recovery(case_file)
            assert b_recovery is not None
            async with window_a.run_test(size=SIZE) as a:
                await settle(a)
                told = [n.message for n in window_a._notifications]
                assert any("open in another kafka-tool window with unsaved edits (since" in m for m in told), told
                assert isinstance(window_a.screen, CaseScreen)  # B's edits are B's: not offered to A
                add_actor(window_a, "uwv", "UWV")
                await settle(a)
                assert window_a.state.recovery(case_file) is not None
                await a.press("ctrl+s")
                await settle(a)
                assert "id: uwv" in case_file.read_text(encoding="utf-8")
                # A cleaned up its own recovery file, and only its own.
                assert window_a.state.recovery(case_file) is None
                assert window_b.state.recovery(case_file) is not None
            # A has ended; B's edit is still B's, kept, and B is told the file changed.
            assert [r.owner for r in StateDir(dirs["config_dir"]).recoveries(case_file)] == [window_b.state.owner.name]
            await b.press("ctrl+s")
            await settle(b)
            dialog = window_b.screen
            assert isinstance(dialog, ChangedOnDiskModal)
            assert "actor uwv added" in dialog_text(dialog) and "actor coa added" in dialog_text(dialog)
            assert "id: coa" not in case_file.read_text(encoding="utf-8")  # B's save did not win silently
            await b.press("y")
            await settle(b)
            assert not case_screen(window_b).session.modified

    asyncio.run(main())
    saved = case_file.read_text(encoding="utf-8")
    assert "id: uwv" in saved and "id: coa" in saved
    assert StateDir(dirs["config_dir"]).recoveries(case_file) == []
