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
from kafka_tool.errors import KafkaToolError
from kafka_tool.i18n import words
from kafka_tool.interventions import Comparison, compare
from kafka_tool.report import change_words

from .detail import SEVERITY_STYLES

__all__ = ["InterventionPanel", "comparison_renderable"]


def comparison_renderable(comparison: Comparison) -> Group:
    """What the interventions resolve and introduce, and each persona's goals and burden before and after."""
    case = comparison.case
    names = comparison.before.index
    titles = ", ".join(
        (case.intervention(i).title if case.intervention(i) else i)  # type: ignore[union-attr]
        for i in comparison.intervention_ids
    )
    parts: list[Any] = [Text(titles, "bold"), Text()]
    parts.append(Text(f"Resolves {len(comparison.resolved)}", "bold underline green"))
    for finding in comparison.resolved:
        parts.append(
            Text.assemble("  ✔ ", (f"{finding.severity:<9}", SEVERITY_STYLES.get(finding.severity, "")), finding.title)
        )
    parts += [Text(), Text(f"Introduces {len(comparison.introduced)}", "bold underline red")]
    for finding in comparison.introduced:
        parts.append(
            Text.assemble("  ✘ ", (f"{finding.severity:<9}", SEVERITY_STYLES.get(finding.severity, "")), finding.title)
        )
    if comparison.changed:
        say = words(case.language)
        parts += [Text(), Text(f"Changes {len(comparison.changed)}", "bold underline yellow")]
        for shift in comparison.changed:
            mark = {1: "↘", -1: "↗", 0: "~"}[shift.direction]
            finding = shift.after
            parts.append(Text.assemble(f"  {mark} ", (f"{finding.severity:<9}",
                                                      SEVERITY_STYLES.get(finding.severity, "")),
                                       finding.title, ("  " + change_words(say, names, shift), "dim")))
    table = Table(title="Personas before → after", title_justify="left", expand=False, show_edge=False)
    table.add_column("persona")
    table.add_column("goal")
    table.add_column("reached", no_wrap=True)
    table.add_column("steps", justify="right", no_wrap=True)
    table.add_column("organisations", justify="right", no_wrap=True)
    table.add_column("days", justify="right", no_wrap=True)
    table.add_column("cost", justify="right", no_wrap=True)
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
        parts += [Text(), Text("Expected to resolve", "bold underline")]
        for kind, ok in expected.items():
            parts.append(Text(f"  {'✔' if ok else '✘'} {kind}", "green" if ok else "red"))
    return Group(*parts)


class InterventionPanel(VerticalScroll):
    """Pick interventions and compare the case before and after them."""

    HELP = """\
## Interventions

Tick one or more interventions (`space`) and press **Compare** (`c`): the
case is analysed with the changes applied to a copy, and you see which
findings disappear, which appear, and each persona's goals and burden
before → after. The case itself does not change.
"""

    BINDINGS: ClassVar[list[BindingType]] = [("c", "compare", "Compare")]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.analysis: Analysis | None = None
        self.comparison: Comparison | None = None

    def compose(self) -> Any:
        yield SelectionList[str](id="intervention-list")
        with Horizontal(id="intervention-buttons"):
            yield Button("Compare", id="compare", variant="primary", compact=True)
        yield Static(Text("Tick interventions and press Compare.", "dim"), id="intervention-body")

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
                Text("This case has no interventions yet: add one in the tree (Interventions, `a`).", "dim")
            )

    def action_compare(self) -> None:
        """Compare the case with and without the ticked interventions."""
        ids = list(self.query_one(SelectionList).selected)
        body = self.query_one("#intervention-body", Static)
        if self.analysis is None:
            return
        if not ids:
            body.update(Text("Tick at least one intervention first.", "dim"))
            return
        body.update(Text("Comparing…", "italic"))
        self.loading = True
        self._compare(self.analysis, ids)

    @work(thread=True, exclusive=True, group="compare", description="comparing interventions")
    def _compare(self, analysis: Analysis, ids: list[str]) -> None:
        try:
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
        self.query_one("#intervention-body", Static).update(comparison_renderable(comparison))

    @on(Button.Pressed, "#compare")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_compare()
