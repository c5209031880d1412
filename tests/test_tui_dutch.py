"""The terminal interface in Dutch: a Dutch case speaks Dutch, ``language="en"`` English, the
language setting switches what is on screen and is kept; and the small things a new user hit
(checkboxes, the library's title, a persona who cannot start, save and quit)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.widgets import Checkbox, SelectionList

from kafka_tool.analysis.engine import analyze
from kafka_tool.i18n import words
from tests.case_builder import build, persona, tp
from tests.tui_pilot import drive, settle, shown
from tui.app import KafkaApp, make_app
from tui.language import TEXTUAL_KEYS
from tui.screens.case import CaseScreen
from tui.screens.choice import ChoiceModal
from tui.screens.export import ExportModal
from tui.screens.help import HelpScreen, help_text
from tui.screens.library import LibraryScreen
from tui.screens.teaching import TeachingScreen
from tui.state import ElementRef, StateDir
from tui.widgets.case_tree import CaseTree
from tui.widgets.persona_panel import persona_renderable

ROOT = Path(__file__).resolve().parent.parent
HOMELESS = ROOT / "cases" / "briefadres-dakloos.yaml"
POVERTY_TRAP = ROOT / "cases" / "armoedeval-baan-aannemen.yaml"
ENGLISH = ROOT / "cases" / "status-holder-bsn-bank-house.yaml"


@pytest.fixture
def dirs(tmp_path: Path) -> dict[str, Path]:
    """An isolated state folder and cases folder for every test."""
    return {"config_dir": tmp_path / "state", "cases_dir": tmp_path / "kafka-cases"}


@pytest.fixture
def dutch_copy(tmp_path: Path) -> Path:
    """A copy of a Dutch sample that the tests may change and save."""
    target = tmp_path / "work" / "briefadres.yaml"
    target.parent.mkdir()
    shutil.copy(HOMELESS, target)
    return target


def has_none(text: str, *english: str) -> None:
    """None of the English messages shows."""
    leaks = [message for message in english if message in text]
    assert not leaks, f"English on a Dutch screen: {leaks}\n{text}"


async def select(pilot: Any, ref: ElementRef) -> None:
    tree = pilot.app.screen.query_one(CaseTree)
    tree.focus()
    assert tree.select_ref(ref)
    await pilot.pause()


async def edit_something(pilot: Any) -> None:
    """An edit: the persona sandra deleted (asked, and agreed)."""
    await select(pilot, ElementRef("persona", "sandra"))
    await pilot.press("delete", "y")
    await settle(pilot)


# ---------------------------------------------------------------- a Dutch case in Dutch


def test_the_screens_and_dialogs_of_a_dutch_case_speak_dutch(dirs: dict[str, Path], dutch_copy: Path) -> None:
    app = make_app(dutch_copy, **dirs)

    async def script(pilot: Any) -> None:
        await select(pilot, ElementRef("actor", "gemeente"))
        text = shown(app)
        assert "Organisatie" in text and "Verbanden" in text and "laag gemeente (volgt uit de soort)" in text
        has_none(text, "Connections", "Findings (", "No finding touches this element.")

        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Toetsen hier" in app.screen.markdown and "| `^q` | Stoppen |" in app.screen.markdown
        assert "Omlaag" in app.screen.markdown and "dit scherm" in app.screen.markdown
        has_none(app.screen.markdown, "Keys here", "| does |", "everywhere", "this screen", "Cursor Down", "Quit")
        await pilot.press("escape")

        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "## Casusscherm" in app.screen.markdown and "## Overal" in app.screen.markdown
        has_none(app.screen.markdown, "## Case screen", "## Everywhere")
        await pilot.press("escape")

        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExportModal)
        text = shown(app)
        assert "Exporteren" in text and "formaat" in text and "bestaande bestanden overschrijven" in text
        assert "de hele casus" in text
        has_none(text, "overwrite existing files", "the whole case", "Close", "format")
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("p")
        await settle(pilot)
        text = shown(app)
        assert "Doelen" in text
        has_none(text, "Goals", "Can obtain", "Burden")

        await edit_something(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        text = shown(app)
        assert "Opslaan voor je stopt?" in text and "Opslaan en stoppen (s)" in text
        assert "Niet opslaan (q)" in text and "Terug (esc)" in text
        has_none(text, "Quit without saving", "Save and quit", "Back", "recovery file")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)

    drive(app, script)


def test_the_footer_and_the_palette_speak_dutch(dirs: dict[str, Path], dutch_copy: Path) -> None:
    app = make_app(dutch_copy, **dirs)

    async def script(pilot: Any) -> None:
        commands = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Hulp", "Toetsen", "Taal: English / Nederlands", "Kleurenthema", "Organisatie toevoegen"} <= set(
            commands)
        has_none("\n".join(commands), "Help", "Keys", "Theme", "Screenshot", "Add actor", "Show graph")
        descriptions = {active.binding.description for active in app.screen.active_bindings.values()}
        assert {"Stoppen", "Hulp", "Toetsen"} <= descriptions

    drive(app, script, size=(80, 24))


def test_the_library_follows_the_system_s_language(dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGUAGE", "")
    monkeypatch.setenv("LC_ALL", "nl_NL.UTF-8")
    app = make_app(**dirs)

    async def script(pilot: Any) -> None:
        text = shown(app)
        assert "Voorbeeldcasussen" in text and "Recente bestanden" in text and "voorbeeldbibliotheek" in text
        has_none(text, "Sample cases", "Recent files", "sample library", "Open file")

    drive(app, script)


def test_language_en_shows_a_dutch_case_in_english(dirs: dict[str, Path]) -> None:
    app = make_app(HOMELESS, language="en", **dirs)

    async def script(pilot: Any) -> None:
        await select(pilot, ElementRef("actor", "gemeente"))
        text = shown(app)
        assert "Connections" in text and "Verbanden" not in text
        # The findings too: the analysis speaks the interface's language, not the case's.
        titles = [f.title for f in app.screen.analysis.findings]
        assert any(t.startswith("Dead end at") for t in titles)
        assert not any(t.startswith("Doodlopend") for t in titles)
        await pilot.press("question_mark")
        await pilot.pause()
        assert "Keys here" in app.screen.markdown and "| `^q` | Quit |" in app.screen.markdown
        await pilot.press("escape", "x")
        await settle(pilot)
        assert "the whole case" in shown(app)

    drive(app, script)


def test_an_english_case_stays_english(dirs: dict[str, Path]) -> None:
    app = make_app(ENGLISH, **dirs)

    async def script(pilot: Any) -> None:
        assert any(f.title.startswith("Dead end at") for f in app.screen.analysis.findings)
        await pilot.press("x")
        await settle(pilot)
        text = shown(app)
        assert "overwrite existing files" in text and "bestaande" not in text

    drive(app, script)


# ---------------------------------------------------------------- the language setting


def test_the_language_setting_shows_the_case_again_with_its_edits_and_is_kept(
        dirs: dict[str, Path], dutch_copy: Path) -> None:
    app = make_app(dutch_copy, **dirs)

    async def script(pilot: Any) -> None:
        await edit_something(pilot)
        session = app.screen.session
        assert session.modified and session.undo_stack
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal) and "De taal van het scherm" in shown(app)
        await pilot.press("e")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseScreen) and screen.session is session
        assert session.modified and session.undo_stack  # the edit and its undo survive
        assert "● " in app.title or app.title.endswith("●")
        await select(pilot, ElementRef("actor", "gemeente"))
        assert "Connections" in shown(app)
        assert {"Quit", "Help"} <= {a.binding.description for a in app.screen.active_bindings.values()}
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert any(p.id == "sandra" for p in session.case.personas)  # undo still undoes the edit

    drive(app, script)
    assert app.language == "en"
    assert json.loads((dirs["config_dir"] / "settings.json").read_text())["language"] == "en"
    assert make_app(**dirs).language == "en"  # the next start
    assert make_app(language="nl", **dirs).language == "nl"  # --lang wins over the setting


def test_the_setting_switches_the_library_and_back_to_each_case_s_own(dirs: dict[str, Path]) -> None:
    StateDir(dirs["config_dir"]).set_language("nl")
    app = make_app(**dirs)

    async def script(pilot: Any) -> None:
        assert "Voorbeeldcasussen" in shown(app)
        await app.set_language("en")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        text = shown(app)
        assert "Sample cases" in text and "Voorbeeldcasussen" not in text and app.sub_title == "sample library"
        await app.set_language(None)
        await settle(pilot)

    drive(app, script)
    assert app.language is None and StateDir(dirs["config_dir"]).language() is None


def test_a_broken_settings_file_means_no_setting(tmp_path: Path) -> None:
    state = StateDir(tmp_path)
    (tmp_path / "settings.json").write_text("[not json", encoding="utf-8")
    assert state.language() is None
    state.set_language("nl")
    assert state.language() == "nl"
    (tmp_path / "settings.json").write_text('{"language": "fr"}', encoding="utf-8")
    assert state.language() is None


# ---------------------------------------------------------------- the help in both languages


def test_the_dutch_help_has_the_sections_of_the_english() -> None:
    def headings(text: str) -> int:
        return len(re.findall(r"^#+ ", text, re.M))

    assert headings(help_text("nl")) == headings(help_text("en"))
    assert "Lesmodus" in help_text("nl") and "Teaching mode" in help_text("en")


def test_textual_s_own_key_descriptions_are_in_the_catalogue() -> None:
    from textual.containers import VerticalScroll
    from textual.screen import Screen
    from textual.widgets import DataTable, Input, OptionList, Select, TextArea, Tree

    described = {b.description for cls in (Tree, DataTable, Input, TextArea, Select, SelectionList, OptionList,
                                           Checkbox, VerticalScroll, Screen)
                 for bindings in cls._merge_bindings().key_to_bindings.values() for b in bindings if b.description}
    assert described <= set(TEXTUAL_KEYS)
    nl = words("nl")
    assert all(nl.say(description) != description for description in described - {"YAML"})


# ---------------------------------------------------------------- the small things


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_an_unticked_checkbox_is_empty_and_a_ticked_one_marked(dirs: dict[str, Path], theme: str) -> None:
    app = make_app(ENGLISH, **dirs)

    async def script(pilot: Any) -> None:
        app.theme = theme
        await pilot.press("x")
        await settle(pilot)
        box = app.screen.query_one("#export-force", Checkbox)
        unticked = box.get_component_rich_style("toggle--button")
        assert unticked.color == unticked.bgcolor  # nothing drawn in the box
        box.value = True
        await pilot.pause()
        ticked = box.get_component_rich_style("toggle--button")
        assert ticked.color != ticked.bgcolor and ticked.bold
        await pilot.press("escape")
        await pilot.pause()
        selection = app.screen.query_one("#intervention-list", SelectionList)
        empty = selection.get_component_rich_style("selection-list--button")
        marked = selection.get_component_rich_style("selection-list--button-selected")
        assert empty.color == empty.bgcolor and marked.color != marked.bgcolor and marked.bold

    drive(app, script)


def test_the_library_title_forgets_teaching_mode(dirs: dict[str, Path]) -> None:
    app = make_app(**dirs)

    async def script(pilot: Any) -> None:
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TeachingScreen) and app.screen.case.title in app.sub_title
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert app.sub_title == "sample library" and app.title == "kafka-tool"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("t")  # teaching mode from the case
        await settle(pilot)
        assert isinstance(app.screen, TeachingScreen)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")  # the case, back to the library
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert app.sub_title == "sample library" and app.title == "kafka-tool"

    drive(app, script)


def _plain(renderable: Any) -> str:
    console = Console(width=120, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_a_persona_who_cannot_start_is_told_what_it_lacks() -> None:
    case = build([tp("desk", requires=["passport"], produces=["benefit"])], [persona("ana", goals=["benefit"])])
    text = _plain(persona_renderable(analyze(case), "ana", words("en")))
    assert "cannot start:" in text and "passport" in text.lower()
    assert "0 steps" not in text
    dutch = _plain(persona_renderable(analyze(case, "nl"), "ana", words("nl")))
    assert "kan niet beginnen:" in dutch and "0 stappen" not in dutch


def test_a_persona_who_starts_still_shows_its_burden() -> None:
    case = build([tp("desk", produces=["benefit"])], [persona("ana", goals=["benefit"])])
    text = _plain(persona_renderable(analyze(case), "ana", words("en")))
    assert "cannot start" not in text and "1 step" in text


def test_the_quit_question_saves_and_quits(dirs: dict[str, Path], dutch_copy: Path) -> None:
    app = make_app(dutch_copy, **dirs)

    async def script(pilot: Any) -> None:
        await edit_something(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        await pilot.press("s")
        await pilot.pause()

    drive(app, script)
    assert app.return_code == 0
    assert "id: sandra" not in dutch_copy.read_text(encoding="utf-8")  # the edit was saved


def test_a_sample_is_not_offered_save_and_quit(dirs: dict[str, Path]) -> None:
    app = make_app(HOMELESS, **dirs)

    async def script(pilot: Any) -> None:
        await edit_something(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        assert [value for _, _, value in app.screen.choices] == ["quit", "cancel"]
        await pilot.press("escape")

    drive(app, script)


def test_language_nl_says_an_english_case_s_findings_in_dutch(dirs: dict[str, Path]) -> None:
    app = make_app(ENGLISH, language="nl", **dirs)

    async def script(pilot: Any) -> None:
        titles = [f.title for f in app.screen.analysis.findings]
        assert any(t.startswith("Doodlopend bij") for t in titles)
        assert not any(t.startswith("Dead end at") for t in titles)

    drive(app, script)


def test_a_broken_dutch_case_shows_its_errors_in_dutch(dirs: dict[str, Path], tmp_path: Path) -> None:
    """The problems of a case that cannot be opened are said in the language it declares, with the
    Dutch label "tip:"; ``language="en"`` says the same problems in English."""
    from dutch_leaks import english_leaks, format_names

    from tui.screens.confirm import MessageModal

    text = ("format: kafka-case/1\nid: x\ntitle: X\nlanguage: nl\nactors:\n  - {id: a, name: A, kind: banq}\n"
            "touchpoints:\n  - {id: t, name: T, actor: b}\n")
    broken = tmp_path / "kapot.yaml"
    broken.write_text(text, encoding="utf-8")
    for language, said, label in ((None, "onbekende organisatie 'b'", "tip: "), ("en", "unknown actor 'b'", "hint: ")):
        app = make_app(broken, language=language, **dirs)

        async def script(pilot: Any, app: KafkaApp = app, said: str = said, label: str = label,
                         language: str | None = language) -> None:
            assert isinstance(app.screen, MessageModal)
            body = app.screen.body
            assert "kapot.yaml:8" in body and said in body and label in body, body
            if language is None:
                assert "kan niet worden geopend" in app.screen.title_text
                assert english_leaks(body, text + format_names()) == [], body

        drive(app, script)


def test_the_delete_and_discard_questions_say_deze_or_dit_as_the_noun_needs(dirs: dict[str, Path],
                                                                              dutch_copy: Path) -> None:
    """"deze organisatie" but "dit document": each kind has its own question, not a noun filled in."""
    from textual.widgets import Input

    from tui.screens.confirm import ConfirmModal
    from tui.widgets.element_form import ElementForm

    app = make_app(dutch_copy, **dirs)
    asked: dict[str, list[str]] = {}
    details: list[str] = []

    async def script(pilot: Any) -> None:
        for ref in (ElementRef("actor", "uwv"), ElementRef("document", "brp_inschrijving")):
            await select(pilot, ref)
            await pilot.press("delete")
            await pilot.pause()
            assert isinstance(pilot.app.screen, ConfirmModal)
            questions = [pilot.app.screen.question]
            details.append(pilot.app.screen.detail)
            await pilot.press("n")
            await pilot.pause()
            await select(pilot, ref)
            await pilot.press("e")
            await pilot.pause()
            form = pilot.app.screen
            assert isinstance(form, ElementForm)
            field = form.query_one("#field-name", Input)
            field.value = field.value + " (nieuw)"
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(pilot.app.screen, ConfirmModal)
            questions.append(pilot.app.screen.question)
            await pilot.press("y")
            await settle(pilot)
            asked[ref.kind] = questions

    drive(app, script)
    assert asked["actor"] == ["Organisatie 'uwv' verwijderen?", "Je wijzigingen aan deze organisatie weggooien?"]
    assert asked["document"] == ["Document 'brp_inschrijving' verwijderen?",
                                 "Je wijzigingen aan dit document weggooien?"]
    # What still refers to it is said in Dutch too: "contactmoment … (vraagt)", not "touchpoint … (requires)".
    said = "\n".join(details)
    assert "Er wordt nog naar verwezen door:" in said, said
    assert "touchpoint " not in said and "(requires)" not in said and "contactmoment " in said, said
