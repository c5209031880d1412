"""The interventions panel: pick one or several, see what they resolve, introduce, and change per persona."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, SelectionList, Static

from kafka_tool.analysis.engine import Analysis
from kafka_tool.analysis.texts import SEVERITY_WORDS
from kafka_tool.errors import KafkaToolError
from kafka_tool.i18n import N_, Words
from kafka_tool.interventions import Comparison, compare
from kafka_tool.report import accepted_mark, change_words

from ..bindings import speak_bindings
from ..collector import paused
from ..language import interface_words
from .detail import SEVERITY_STYLES

__all__ = ["InterventionPanel", "comparison_renderable"]


def _severity(finding: Any, say: Words, width: int) -> Text:
    """The finding's severity as people read it, padded to ``width``, in its colour."""
    word = say.say(SEVERITY_WORDS.get(finding.severity, finding.severity))
    return Text(f"{word:<{width}}", SEVERITY_STYLES.get(finding.severity, ""))


def comparison_renderable(comparison: Comparison, say: Words) -> Group:
    """What the interventions resolve and introduce, and each persona's goals and burden before and after,
    in ``say``'s language."""
    case = comparison.case
    width = max(len(say.say(word)) for word in SEVERITY_WORDS.values()) + 1
    names = comparison.before.index
    titles = ", ".join(
        (case.intervention(i).title if case.intervention(i) else i)  # type: ignore[union-attr]
        for i in comparison.intervention_ids
    )
    parts: list[Any] = [Text(titles, "bold"), Text()]
    parts.append(Text(say.say("Resolves {n}", n=len(comparison.resolved)), "bold underline green"))
    for finding in comparison.resolved:
        parts.append(Text.assemble("  ✔ ", _severity(finding, say, width), finding.title,
                                   (accepted_mark(finding, say), "dim")))
    parts += [Text(), Text(say.say("Introduces {n}", n=len(comparison.introduced)), "bold underline red")]
    for finding in comparison.introduced:
        parts.append(Text.assemble("  ✘ ", _severity(finding, say, width), finding.title,
                                   (accepted_mark(finding, say), "dim")))
    if comparison.changed:
        parts += [Text(), Text(say.say("Changes {n}", n=len(comparison.changed)), "bold underline yellow")]
        for shift in comparison.changed:
            mark = {1: "↘", -1: "↗", 0: "~"}[shift.direction]
            finding = shift.after
            parts.append(Text.assemble(f"  {mark} ", _severity(finding, say, width), finding.title,
                                       ("  " + change_words(say, names, shift), "dim")))
    table = Table(title=say.say("Personas before → after"), title_justify="left", expand=False, show_edge=False)
    table.add_column(say.say("persona"))
    table.add_column(say.say("goal"))
    table.add_column(say.say("reached"), no_wrap=True)
    table.add_column(say.say("steps"), justify="right", no_wrap=True)
    table.add_column(say.say("organisations"), justify="right", no_wrap=True)
    table.add_column(say.say("days"), justify="right", no_wrap=True)
    table.add_column(say.say("cost"), justify="right", no_wrap=True)
    for change in comparison.personas:
        before, after = change.before, change.after

        def cell(key: str, b: dict[str, Any] = before, a: dict[str, Any] = after) -> str:
            return f"{b['burden'][key]:g} → {a['burden'][key]:g}"

        # One row a goal: the mark stays beside its goal however narrow the pane.
        burden = [cell("steps"), cell("actors"), cell("days"), cell("cost")]
        goals = list(after["goals_reachable"].items()) or [("", False)]
        for n, (goal, ok_after) in enumerate(goals):
            ok_before = before["goals_reachable"].get(goal, False)
            style = "green" if ok_after and not ok_before else "red" if ok_before and not ok_after else ""
            mark = ("✔" if ok_before else "✘") + "→" + ("✔" if ok_after else "✘") if goal else ""
            table.add_row(
                names.name(change.id) if n == 0 else "",
                Text(names.name(goal) if goal else "", style),
                Text(mark, style),
                *(burden if n == 0 else ["", "", "", ""]),
            )
    parts += [Text(), table]
    expected = comparison.expected_check()
    if expected:
        parts += [Text(), Text(say.say("Expected to resolve"), "bold underline")]
        for kind, ok in expected.items():
            parts.append(Text(f"  {'✔' if ok else '✘'} {kind}", "green" if ok else "red"))
    return Group(*parts)


class InterventionPanel(VerticalScroll):
    """Pick interventions and compare the case before and after them."""

    HELP = N_("""\
## Interventions

Tick one or more interventions (`space`) and press **Compare** (`c`): the
case is analysed with the changes applied to a copy, and you see which
findings disappear, which appear, and each persona's goals and burden
before → after. The case itself does not change.
""")

    BINDINGS: ClassVar[list[BindingType]] = [("c", "compare", N_("Compare"))]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.analysis: Analysis | None = None
        self.comparison: Comparison | None = None

    @property
    def words(self) -> Words:
        """The words of the case's interface."""
        return interface_words(self, self.analysis.case.language if self.analysis is not None else None)

    def compose(self) -> Any:
        say = self.words.say
        speak_bindings(self, self.words)
        yield SelectionList[str](id="intervention-list")
        with Horizontal(id="intervention-buttons"):
            yield Button(say("Compare"), id="compare", variant="primary", compact=True)
        yield Static(Text(say("Tick interventions and press Compare."), "dim"), id="intervention-body")

    def set_analysis(self, analysis: Analysis) -> None:
        """A fresh analysis: refresh the list, keep what was ticked."""
        self.analysis = analysis
        selection = self.query_one(SelectionList)
        ticked = set(selection.selected)
        selection.clear_options()
        for intervention in analysis.case.interventions:
            selection.add_option((Text(intervention.title), intervention.id, intervention.id in ticked))
        if selection.option_count and selection.highlighted is None:
            selection.highlighted = 0  # space ticks the first one at once
        if not analysis.case.interventions:
            self.query_one("#intervention-body", Static).update(
                Text(self.words.say("This case has no interventions yet: add one in the tree (Interventions, `a`)."),
                     "dim")
            )

    def action_compare(self) -> None:
        """Compare the case with and without the ticked interventions."""
        ids = list(self.query_one(SelectionList).selected)
        body = self.query_one("#intervention-body", Static)
        if self.analysis is None:
            return
        if not ids:
            body.update(Text(self.words.say("Tick at least one intervention first."), "dim"))
            return
        body.update(Text(self.words.say("Comparing…"), "italic"))
        self.loading = True
        self._compare(self.analysis, ids)

    @work(thread=True, exclusive=True, group="compare", description="comparing interventions")
    def _compare(self, analysis: Analysis, ids: list[str]) -> None:
        try:
            with paused():
                comparison = compare(analysis.case, ids, before=analysis)
        except KafkaToolError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        self.app.call_from_thread(self._show, comparison)

    def _failed(self, message: str) -> None:
        self.loading = False
        self.query_one("#intervention-body", Static).update(Text(message, "red"))

    def _show(self, comparison: Comparison) -> None:
        self.loading = False
        self.comparison = comparison
        self.query_one("#intervention-body", Static).update(comparison_renderable(comparison, self.words))

    @on(Button.Pressed, "#compare")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_compare()
