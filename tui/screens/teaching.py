"""Teaching mode: the questions and the class's notes, the findings the class expects, then the
reveal, which scores the class's diagnosis against the real findings."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, ContentSwitcher, Footer, Header, Label, OptionList, Static, TextArea

from kafka_tool.analysis.engine import Analysis, analyze
from kafka_tool.document import atomic_write_text
from kafka_tool.errors import said
from kafka_tool.i18n import N_, Words
from kafka_tool.model import Case
from kafka_tool.teaching import Expectation, Score, element_names, expectation_label, score, session_markdown

from ..bindings import speak_bindings
from ..collector import paused
from ..widgets.diagnosis import Diagnosis
from .confirm import ConfirmModal, write_unless_declined
from .expectation import ExpectationModal
from .open_file import PathModal
from .projector import ProjectorScreen

__all__ = ["TeachingScreen"]


class _Expectations(OptionList):
    """The class's expectations; ``delete`` removes the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("delete,backspace", "screen.remove_expectation", N_("Remove"), id="teach.remove"),
    ]


class TeachingScreen(Screen[None]):
    """A case for a class: questions and notes, the findings the class expects, then the scored reveal."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # ctrl+a and ctrl+e move in the notes: not theirs to take.
        Binding("ctrl+n", "add_expectation", N_("Expect a finding"), id="teach.expect", priority=True),
        Binding("ctrl+r", "reveal", N_("Reveal"), id="teach.reveal", priority=True),
        Binding("f5", "projector", N_("Projector"), id="teach.projector", priority=True),
        Binding("ctrl+s", "save_notes", N_("Save session"), id="teach.save", priority=True),
        Binding("escape", "close", N_("Back"), id="teach.close"),
    ]

    #: The keys the footer shows however narrow it is: a class's notes must be saved.
    ALWAYS_SHOWN = frozenset({"teach.expect", "teach.reveal", "teach.save"})

    HELP = N_("""\
## Teaching mode

The findings of the case are hidden. Discuss the questions with the class and
write its notes below. Mark each finding the class expects with `ctrl+n`: its
kind and what it is about (a touchpoint, a document, an actor, a rule or a
persona); `delete` removes the highlighted one.

`ctrl+r` reveals the findings and scores the class: *found* are the findings an
expectation names (the same kind, and the elements it names among the
finding's), *missed* the critical and high findings and those of the kinds the
case's author expects that no expectation names, with their explanation, and
*false alarms* the expectations that name no finding.

`f5` shows the score and then one finding at a time, large, for a projector.
`ctrl+s` saves the session as Markdown with its score; `kafka-tool teach
summary` adds up the sessions of several groups.
""")

    #: Below 30 rows the notes and the lists give up a little room each.
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (30, "-tall")]

    DEFAULT_CSS = """
    TeachingScreen #tm-main { height: 1fr; }
    TeachingScreen #tm-story { width: 1fr; padding: 0 1; border-right: solid $foreground 25%; }
    TeachingScreen #tm-side { width: 1fr; padding: 0 1; }
    TeachingScreen #tm-switch { height: 1fr; }
    TeachingScreen #tm-expect { height: 1fr; }
    TeachingScreen #tm-expectations { height: 1fr; border: none; padding: 0; }
    TeachingScreen #tm-results { height: 1fr; }
    TeachingScreen .tm-title { text-style: bold; color: $text-accent; }
    TeachingScreen #tm-story .tm-title { margin-top: 1; }
    TeachingScreen #tm-notes-title { padding: 0 1; }
    TeachingScreen #tm-notes { height: 6; border: none; padding: 0 1; }
    TeachingScreen #tm-notes:focus { background: $accent 15%; }
    TeachingScreen #tm-expectations:focus { background: $accent 15%; }
    TeachingScreen #tm-bar { height: 1; padding: 0 1; }
    TeachingScreen #tm-status { width: 1fr; color: $text-muted; }
    TeachingScreen #tm-bar Button { margin-left: 1; }
    TeachingScreen #tm-expect-buttons { height: 1; }
    TeachingScreen #tm-expect-buttons Button { margin-right: 1; }
    TeachingScreen.-short #tm-notes { height: 4; }
    TeachingScreen.-short #tm-story .tm-title { margin-top: 0; }
    """

    def __init__(self, case: Case, notes_dir: Path | None = None) -> None:
        super().__init__()
        self.case = case
        self.analysis: Analysis | None = None
        self.expectations: list[Expectation] = []
        #: the scored diagnosis, once revealed
        self.result: Score | None = None
        self.notes_dir = notes_dir if notes_dir is not None else Path.home() / "kafka-cases"
        self.saved_session = ""  # the session as last saved
        self.notes_path: Path | None = None
        self._sub_title_before = ""

    @property
    def say(self) -> Words:
        """The interface's words for this case."""
        return self.app.words_for(self.case.language)  # type: ignore[attr-defined,no-any-return]

    def compose(self) -> Any:
        say = self.say
        case = self.case
        questions = case.teaching.questions if case.teaching else []
        body = Text()
        for n, question in enumerate(questions, 1):
            body.append(f"{n}. ", "bold")
            body.append(question + ("\n" if n < len(questions) else ""))
        yield Header()
        with Horizontal(id="tm-main"):
            with VerticalScroll(id="tm-story"):
                yield Static(Text(case.title, "bold"), id="tm-case-title")
                yield Static(say.say("Questions for the class"), classes="tm-title")
                yield Static(body if questions else Text(say.say("This case has no teaching questions."), "dim"),
                             id="tm-questions")
                yield Static(say.say("The case"), classes="tm-title")
                yield Static(" ".join((case.summary or "").split()), id="tm-summary")
            with Vertical(id="tm-side"), ContentSwitcher(initial="tm-expect", id="tm-switch"):
                with Vertical(id="tm-expect"):
                    yield Label("", id="tm-expect-title", classes="tm-title")
                    yield _Expectations(id="tm-expectations")
                    with Horizontal(id="tm-expect-buttons"):
                        yield Button(say.say("Expect (ctrl+n)"), id="tm-add", variant="primary",
                                     compact=True)
                        yield Button(say.say("Remove (del)"), id="tm-remove", compact=True)
                with VerticalScroll(id="tm-results"):
                    yield Diagnosis(id="tm-diagnosis")
        yield Label(say.say("Notes of the class"), id="tm-notes-title", classes="tm-title")
        yield TextArea(id="tm-notes", soft_wrap=True)
        with Horizontal(id="tm-bar"):
            yield Static(Text(say.say("Analysing…"), "italic"), id="tm-status")
            yield Button(say.say("Reveal (ctrl+r)"), id="tm-reveal", variant="warning", compact=True,
                         disabled=True)
            yield Button(say.say("Projector (f5)"), id="tm-projector", compact=True, disabled=True)
        yield Footer()

    def on_mount(self) -> None:
        """Analyse in the background; nothing of the findings is shown until the reveal."""
        self.speak_keys()
        self._sub_title_before = self.app.sub_title
        self._set_sub_title()
        self.query_one("#tm-notes").focus(scroll_visible=False)
        self._show_expectations()
        self._analyse()

    def speak_keys(self) -> None:
        """The keys in the class's language, as many in the footer as the width has room for."""
        speak_bindings(self, self.say, self.app.size.width, self.ALWAYS_SHOWN)

    def on_resize(self) -> None:
        """A new width: another number of keys fits in the footer."""
        self.speak_keys()

    def on_unmount(self) -> None:
        """Leaving teaching mode: the title says what it said before."""
        self.app.sub_title = self._sub_title_before

    def on_screen_resume(self) -> None:
        """Back from the projector: the title says teaching mode again."""
        self._set_sub_title()

    def _set_sub_title(self) -> None:
        self.app.sub_title = self.say.say("teaching: {title}", title=self.case.title)

    @work(thread=True, exclusive=True, description="analysing the case")
    def _analyse(self) -> None:
        with paused():
            analysis = analyze(self.case.in_language(self.app.language_for(self.case.language)))  # type: ignore[attr-defined]
        self.app.call_from_thread(self._ready, analysis)

    def _ready(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.query_one("#tm-reveal", Button).disabled = False
        self._show_status()

    @property
    def total(self) -> int:
        """How many findings the analysis has."""
        return len(self.analysis.findings) if self.analysis else 0

    @property
    def revealed(self) -> bool:
        """Whether the findings are revealed (and the diagnosis scored)."""
        return self.result is not None

    def _show_status(self) -> None:
        say = self.say
        status = self.query_one("#tm-status", Static)
        if self.result is not None:
            status.update(say.say("Revealed and scored."))
        elif self.analysis is not None:
            status.update(say.say_n("{n} finding is hidden.", "{n} findings are hidden.", self.total))

    def _show_expectations(self) -> None:
        say = self.say
        names = element_names(self.case)
        listing = self.query_one(_Expectations)
        highlighted = listing.highlighted
        listing.clear_options()
        matched = self.result.matched if self.result else [()] * len(self.expectations)
        for n, (expectation, ids) in enumerate(zip(self.expectations, matched, strict=True), 1):
            mark = ("✔ " if ids else "✘ ") if self.result else f"{n}. "
            listing.add_option(Text.assemble((mark, "bold"),
                                             expectation_label(expectation.kind, expectation.elements, names, say)))
        if self.expectations and highlighted is not None:
            listing.highlighted = min(highlighted, len(self.expectations) - 1)
        self.query_one("#tm-expect-title", Label).update(
            say.say("What the class expects ({n})", n=len(self.expectations)))
        self.query_one("#tm-remove", Button).disabled = not self.expectations or self.revealed
        self.query_one("#tm-add", Button).disabled = self.revealed
        if not self.expectations:
            listing.add_option(Text(say.say("Nothing yet: ctrl+n marks a finding the class expects."), "dim"))
            listing.disable_option_at_index(0)

    def action_add_expectation(self) -> None:
        """Mark a finding the class expects (before the reveal)."""
        if self.revealed:
            self.notify(self.say.say("The findings are revealed: the expectations are scored."))
            return

        def added(expectation: Expectation | None) -> None:
            if expectation is not None and expectation not in self.expectations:
                self.expectations.append(expectation)
                self._show_expectations()
                self.query_one(_Expectations).highlighted = len(self.expectations) - 1

        self.app.push_screen(ExpectationModal(self.case), added)

    def action_remove_expectation(self) -> None:
        """Remove the highlighted expectation (before the reveal)."""
        listing = self.query_one(_Expectations)
        index = listing.highlighted
        if self.revealed or index is None or not 0 <= index < len(self.expectations):
            return
        del self.expectations[index]
        self._show_expectations()

    def action_reveal(self) -> None:
        """Reveal the findings and score the class's expectations against them."""
        if self.analysis is None or self.revealed:
            return
        expected = self.case.teaching.expected_findings if self.case.teaching else []
        self.result = score(self.expectations, self.analysis.findings, expected)
        self.query_one("#tm-diagnosis", Diagnosis).show(self.case, self.result, self.say)
        self.query_one("#tm-switch", ContentSwitcher).current = "tm-results"
        self.query_one("#tm-reveal", Button).disabled = True
        self.query_one("#tm-projector", Button).disabled = False
        self.query_one("#tm-expect-title", Label).update("")
        self._show_expectations()
        self._show_status()

    def action_projector(self) -> None:
        """The projector view: the score, then one finding at a time."""
        if self.result is None:
            self.notify(self.say.say("Reveal the findings first (ctrl+r)."))
            return
        self.app.push_screen(ProjectorScreen(self.case, self.result))

    @property
    def notes(self) -> str:
        """What the class wrote down."""
        return self.query_one("#tm-notes", TextArea).text

    def _score(self) -> Score:
        """The scored diagnosis; before the reveal, the expectations so far scored against nothing."""
        if self.result is not None:
            return self.result
        return score(self.expectations, [], ())

    def session_markdown(self) -> str:
        """The session as Markdown, with its score (see :func:`kafka_tool.teaching.session_markdown`)."""
        return session_markdown(self.case, self._score(), self.notes, self.say, datetime.date.today())

    def action_save_notes(self) -> None:
        """Save the session as Markdown, asking where (and before overwriting a file)."""
        if self.result is None:
            self.notify(self.say.say("Reveal the findings first (ctrl+r): the session is saved with its score."))
            return
        default = self.notes_path or self.notes_dir / f"{self.case.id}-session.md"

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            if path == self.notes_path:  # saving again where this session saved before
                self._write_notes(path)
            else:
                write_unless_declined(self.app, path, self._write_notes)

        self.app.push_screen(PathModal(self.say.say("Save the session as"), str(default), must_exist=False,
                                       action=self.say.say("Save")), chosen)

    def _write_notes(self, path: Path) -> None:
        say = self.say
        text = self.session_markdown()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            written = atomic_write_text(path, text)
        except OSError as error:
            self.notify(say.say("Could not save the session: {error}", error=said(error, say)),
                        title=say.say("Not saved"),
                        severity="error")
            return
        self.notes_path = written
        self.saved_session = self._unsaved_key()
        self.notify(say.say("Saved the session to {path}", path=str(written)))

    def _unsaved_key(self) -> str:
        return f"{self.notes}\0{self.expectations}\0{self.revealed}"

    @property
    def notes_unsaved(self) -> bool:
        """Whether the class wrote or marked something that is not saved."""
        if not self.notes.strip() and not self.expectations:
            return False
        return self._unsaved_key() != self.saved_session

    def action_close(self) -> None:
        """Back to where teaching mode was opened from (asking first when the session is not saved)."""
        if self.notes_unsaved:
            say = self.say

            def answer(yes: bool | None) -> None:
                if yes:
                    self.app.pop_screen()

            self.app.push_screen(
                ConfirmModal(say.say("Leave teaching mode?"),
                             say.say("The class's session is not saved; reveal, then ctrl+s saves it."),
                             yes=say.say("Leave"), no=say.say("Stay")),
                answer,
            )
            return
        self.app.pop_screen()

    @on(Button.Pressed, "#tm-add")
    def _add(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_add_expectation()

    @on(Button.Pressed, "#tm-remove")
    def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_remove_expectation()

    @on(Button.Pressed, "#tm-reveal")
    def _reveal(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_reveal()

    @on(Button.Pressed, "#tm-projector")
    def _projector(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_projector()
