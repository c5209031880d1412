"""The projector view: the class's score, then one finding at a time, large enough for the back row.

A terminal cannot change its font size, so the numbers are drawn in large digits
(Textual's ``Digits``) and the finding fills the screen in bold, with generous space.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Center, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Digits, Footer, Static

from kafka_tool.findings import Finding
from kafka_tool.i18n import N_
from kafka_tool.model import Case
from kafka_tool.teaching import Score

from ..bindings import speak_bindings
from ..widgets.diagnosis import finding_heading

__all__ = ["ProjectorScreen"]


class ProjectorScreen(Screen[None]):
    """The score, then each finding that counts or that the class found, one per screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right,space,n,pagedown", "step(1)", N_("Next"), id="projector.next"),
        Binding("left,p,pageup", "step(-1)", N_("Previous"), id="projector.previous"),
        Binding("home", "go(0)", N_("Score"), id="projector.score"),
        Binding("escape,q", "close", N_("Back"), id="projector.close"),
    ]

    HELP = N_("""\
## Projector view

First the class's score, then each finding that counts or that the class
found, one at a time: `→` or `space` the next, `←` the previous, `home` the
score, `escape` back to teaching mode.
""")

    DEFAULT_CSS = """
    ProjectorScreen { align: center middle; }
    ProjectorScreen #projector-slide { width: 100%; max-width: 110; height: 1fr; padding: 1 4; }
    ProjectorScreen #projector-top { height: auto; margin-bottom: 1; }
    ProjectorScreen Digits { text-style: bold; color: $text-accent; }
    ProjectorScreen #projector-number { width: auto; }
    ProjectorScreen #projector-of { width: 1fr; height: 3; content-align: left bottom; padding-left: 2; }
    ProjectorScreen #projector-mark { width: auto; height: 3; content-align: right bottom; text-style: bold; }
    ProjectorScreen #projector-heading { text-style: bold; margin-bottom: 1; }
    ProjectorScreen #projector-title { text-style: bold; color: $text-accent; margin-bottom: 1; }
    ProjectorScreen #projector-body { height: 1fr; }
    ProjectorScreen .projector-count { width: 1fr; height: auto; align-horizontal: center; }
    ProjectorScreen .projector-count Digits { width: auto; }
    ProjectorScreen .projector-count Static { width: auto; text-style: bold; }
    ProjectorScreen #projector-scores { height: auto; margin: 2 0; }
    ProjectorScreen #projector-found { color: $text-success; }
    ProjectorScreen #projector-missed { color: $text-error; }
    ProjectorScreen #projector-alarms { color: $text-warning; }
    ProjectorScreen.-narrow #projector-slide { padding: 0 1; }
    """

    def __init__(self, case: Case, result: Score) -> None:
        super().__init__()
        self.case = case
        self.result = result
        found = {f.id for f in result.found}
        #: the findings to show, in the analysis's order: each that counts, and each the class found
        self.findings: list[Finding] = [f for f in result.findings if f.id in result.counted or f.id in found]
        self.found = found
        #: 0 is the score, n the n-th finding
        self.slide = 0

    def compose(self) -> Any:
        with Vertical(id="projector-slide"):
            with Horizontal(id="projector-top"):
                yield Digits("", id="projector-number")
                yield Static("", id="projector-of")
                yield Static("", id="projector-mark")
            yield Static("", id="projector-heading")
            yield Static("", id="projector-title")
            with Horizontal(id="projector-scores"):
                for name in ("found", "missed", "alarms"):
                    with Vertical(classes="projector-count"):
                        yield Center(Digits("", id=f"projector-{name}"))
                        yield Center(Static("", id=f"projector-{name}-label"))
            yield Static("", id="projector-body")
        yield Footer()

    def on_mount(self) -> None:
        speak_bindings(self, self.app.words_for(self.case.language))  # type: ignore[attr-defined]
        self.app.sub_title = self.case.title
        self._show()

    def _show(self) -> None:
        say = self.app.words_for(self.case.language)  # type: ignore[attr-defined]
        scores = self.query_one("#projector-scores")
        number = self.query_one("#projector-number", Digits)
        of = self.query_one("#projector-of", Static)
        mark = self.query_one("#projector-mark", Static)
        heading = self.query_one("#projector-heading", Static)
        title = self.query_one("#projector-title", Static)
        body = self.query_one("#projector-body", Static)
        if self.slide == 0:
            result = self.result
            scores.display = True
            number.display = False
            of.update(Text(say.say("The class's score"), "bold"))
            mark.update("")
            heading.update(Text(self.case.title, "bold"))
            title.update("")
            body.update(Text(say.say_n("{n} finding to discuss: → shows the first",
                                       "{n} findings to discuss: → shows the first", len(self.findings)), "dim"))
            for name, value, label in (("found", len(result.found), say.say("found")),
                                       ("missed", len(result.missed), say.say("missed")),
                                       ("alarms", len(result.false_alarms), say.say("false alarms"))):
                self.query_one(f"#projector-{name}", Digits).update(str(value))
                self.query_one(f"#projector-{name}-label", Static).update(label)
            return
        finding = self.findings[self.slide - 1]
        scores.display = False
        number.display = True
        number.update(str(self.slide))
        of.update(Text(say.say("of {n}", n=len(self.findings)), "bold"))
        if finding.id in self.found:
            mark.update(Text("✔ " + say.say("found by the class"), "bold green"))
        else:
            mark.update(Text("✘ " + say.say("missed by the class"), "bold red"))
        heading.update(finding_heading(finding, say))
        title.update(Text(finding.title))
        body.update(Text(finding.explanation))

    def action_step(self, by: int) -> None:
        """The next (1) or previous (-1) slide."""
        self.action_go(self.slide + by)

    def action_go(self, slide: int) -> None:
        """Show slide ``slide`` (0: the score), within the slides there are."""
        self.slide = max(0, min(slide, len(self.findings)))
        self._show()

    def action_close(self) -> None:
        """Back to the teaching screen."""
        self.app.pop_screen()
