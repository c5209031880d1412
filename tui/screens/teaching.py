"""Teaching mode: findings hidden, questions shown, expectations noted, then findings revealed one by one."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Label, Static, TextArea

from kafka_tool import markdown as md
from kafka_tool.analysis.engine import Analysis, analyze
from kafka_tool.document import atomic_write_text
from kafka_tool.model import Case

from ..widgets.detail import SEVERITY_STYLES
from .confirm import ConfirmModal, write_unless_declined
from .open_file import PathModal

__all__ = ["TeachingScreen"]


class TeachingScreen(Screen[None]):
    """A case for a class: questions first, the class's expectations, then the findings one at a time."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "reveal", "Reveal next", id="teach.reveal", priority=True),
        # Not ctrl+a: in the notes that goes to the start of the line.
        Binding("ctrl+r", "reveal_all", "Reveal all", id="teach.reveal_all", priority=True),
        Binding("ctrl+s", "save_notes", "Save notes", id="teach.save", priority=True),
        Binding("escape", "close", "Back", id="teach.close"),
    ]

    HELP = """\
## Teaching mode

The findings of the case are hidden. Read the summary and the teaching
questions with the class, write down in the notes what the class expects to
find, then reveal the findings one at a time (`ctrl+n`, or the button) and
discuss each explanation. `ctrl+r` reveals the rest. At the end the screen
shows which kinds of finding the case's author expected a class to discover.

`ctrl+s` saves the session as Markdown: the questions, the class's notes and
the findings revealed so far. Leaving with notes that are not saved asks first.
"""

    def __init__(self, case: Case, notes_dir: Path | None = None) -> None:
        super().__init__()
        self.case = case
        self.analysis: Analysis | None = None
        self.revealed = 0
        self.notes_dir = notes_dir if notes_dir is not None else Path.home() / "kafka-cases"
        self.saved_notes = ""  # the notes as last saved
        self.notes_path: Path | None = None

    def compose(self) -> Any:
        case = self.case
        teaching = case.teaching
        yield Header()
        with Horizontal(id="teach-main"):
            with VerticalScroll(id="teach-left"):
                yield Static(
                    Text.assemble((case.title, "bold"), "\n\n", " ".join((case.summary or "").split())),
                    id="teach-summary",
                )
                questions = teaching.questions if teaching else []
                body = Text()
                for n, question in enumerate(questions, 1):
                    body.append(f"{n}. ", "bold")
                    body.append(question + "\n")
                yield Static("Questions for the class", classes="section-title")
                yield Static(
                    body if questions else Text("This case has no teaching questions.", "dim"), id="teach-questions"
                )
                yield Static("What does the class expect to find?", classes="section-title")
                yield TextArea(id="teach-notes", soft_wrap=True)
            with Vertical(id="teach-right"):
                yield Label("Findings (hidden)", id="teach-findings-title", classes="section-title")
                yield VerticalScroll(
                    Static(Text("Analysing…", "italic"), id="teach-findings"), id="teach-findings-scroll"
                )
                with Horizontal(classes="dialog-buttons"):
                    yield Button("Reveal next finding", id="reveal", variant="primary", compact=True)
                    yield Button("Reveal all", id="reveal-all", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        """Analyse in the background; nothing is shown until the class asks."""
        self.app.sub_title = f"teaching: {self.case.title}"
        # Ready for typing, while the case's title and story stay in view at the top.
        self.query_one("#teach-notes").focus(scroll_visible=False)
        self._analyse()

    @work(thread=True, exclusive=True, description="analysing the case")
    def _analyse(self) -> None:
        analysis = analyze(self.case)
        self.app.call_from_thread(self._ready, analysis)

    def _ready(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self._render_body()

    @property
    def total(self) -> int:
        """How many findings there are to reveal."""
        return len(self.analysis.findings) if self.analysis else 0

    def _render_body(self) -> None:
        if self.analysis is None:
            return
        title = self.query_one("#teach-findings-title", Label)
        title.update(f"Findings: {self.revealed} of {self.total} revealed")
        parts: list[Any] = []
        for n, finding in enumerate(self.analysis.findings[: self.revealed], 1):
            parts.append(
                Text.assemble(
                    (f"{n}. ", "bold"),
                    (finding.severity, SEVERITY_STYLES.get(finding.severity, "")),
                    "  ",
                    (finding.kind.replace("_", " "), "italic"),
                )
            )
            parts.append(Text(finding.title, "bold"))
            parts.append(Text(finding.explanation))
            parts.append(Text())
        if self.revealed == 0:
            parts.append(
                Text(
                    f"{self.total} findings are hidden. Discuss the questions first, then reveal them one at a time.",
                    "dim",
                )
            )
        if self.revealed >= self.total and self.case.teaching and self.case.teaching.expected_findings:
            found = {f.kind for f in self.analysis.findings}
            parts.append(Text("The case's author expected the class to find:", "bold underline"))
            for kind in self.case.teaching.expected_findings:
                parts.append(Text(f"  {'✔' if kind in found else '✘'} {kind.replace('_', ' ')}"))
        self.query_one("#teach-findings", Static).update(Group(*parts))
        scroll = self.query_one("#teach-findings-scroll", VerticalScroll)
        scroll.call_after_refresh(scroll.scroll_end, animate=False)
        self.query_one("#reveal", Button).disabled = self.revealed >= self.total

    def action_reveal(self) -> None:
        """Reveal the next finding with its explanation."""
        if self.analysis is not None and self.revealed < self.total:
            self.revealed += 1
            self._render_body()

    def action_reveal_all(self) -> None:
        """Reveal every finding."""
        if self.analysis is not None:
            self.revealed = self.total
            self._render_body()

    @property
    def notes(self) -> str:
        """What the class wrote down."""
        return self.query_one("#teach-notes", TextArea).text

    def session_markdown(self) -> str:
        """The session as Markdown: questions, the class's notes, the findings revealed so far."""
        case = self.case
        # What comes from the case is escaped (its names could hold HTML or links); the
        # class's own notes stay the Markdown they wrote.
        lines = [f"# {md.text(case.title)}", "", f"Teaching session, {datetime.date.today().isoformat()}.", ""]
        questions = case.teaching.questions if case.teaching else []
        if questions:
            lines += ["## Questions", ""] + [f"{n}. {md.text(q)}" for n, q in enumerate(questions, 1)] + [""]
        lines += ["## What the class expected", "", self.notes.strip() or "(nothing noted)", ""]
        findings = self.analysis.findings[: self.revealed] if self.analysis else []
        lines += [f"## Findings revealed ({self.revealed} of {self.total})", ""]
        for n, finding in enumerate(findings, 1):
            lines += [f"{n}. **{md.text(finding.title)}** ({finding.severity}, {finding.kind.replace('_', ' ')})",
                      "", f"   {md.text(finding.explanation)}", ""]
        return "\n".join(lines).rstrip() + "\n"

    def action_save_notes(self) -> None:
        """Save the session as Markdown, asking where (and before overwriting a file)."""
        default = self.notes_path or self.notes_dir / f"{self.case.id}-class-notes.md"

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            if path == self.notes_path:  # saving again where this session saved before
                self._write_notes(path)
            else:
                write_unless_declined(self.app, path, self._write_notes)

        self.app.push_screen(PathModal("Save the class notes as", str(default), must_exist=False, action="Save"),
                             chosen)

    def _write_notes(self, path: Path) -> None:
        text = self.session_markdown()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            written = atomic_write_text(path, text)
        except OSError as error:
            self.notify(f"Could not save the notes: {error}", title="Not saved", severity="error")
            return
        self.notes_path = written
        self.saved_notes = self.notes
        self.notify(f"Saved the class notes to {written}")

    @property
    def notes_unsaved(self) -> bool:
        """Whether the class wrote something that is not saved."""
        return bool(self.notes.strip()) and self.notes != self.saved_notes

    def action_close(self) -> None:
        """Back to where teaching mode was opened from (asking first when notes are not saved)."""
        if self.notes_unsaved:

            def answer(yes: bool | None) -> None:
                if yes:
                    self.app.pop_screen()

            self.app.push_screen(
                ConfirmModal("Leave teaching mode?", "The class's notes are not saved; ctrl+s saves them.",
                             yes="Leave", no="Stay"),
                answer,
            )
            return
        self.app.pop_screen()

    @on(Button.Pressed, "#reveal")
    def _reveal(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_reveal()

    @on(Button.Pressed, "#reveal-all")
    def _reveal_all(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_reveal_all()
