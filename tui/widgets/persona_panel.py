"""The persona panel: what a persona can obtain, which goals it reaches, its plan and its burden.

In a case with a money attribute, the chart of the persona's means along it comes first
(:mod:`.means_plot`): where earning more leaves it with less, and where it stands.
"""

from __future__ import annotations

import math
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.containers import VerticalScroll
from textual.widgets import Select, Static

from exports.means import MeansChart, chartable_attributes, means_chart
from kafka_tool.analysis.engine import Analysis
from kafka_tool.analysis.regions import attribute_label
from kafka_tool.analysis.texts import burden_words
from kafka_tool.analysis.transitions import road_ahead
from kafka_tool.i18n import N_, Words
from kafka_tool.model import IntegerAttribute
from kafka_tool.report import goal_time_words

from ..language import interface_words
from .detail import value_text
from .means_plot import MeansSection

__all__ = ["PersonaPanel", "persona_means", "persona_renderable"]


#: Most moments ahead shown side by side in the timeline table (the rest are counted).
MAX_MOMENTS = 6


def persona_renderable(analysis: Analysis, persona_id: str, say: Words) -> Group:
    """One persona's reach, its time, plan and burden, and its road ahead, in ``say``'s language."""
    index = analysis.index
    case = analysis.case
    persona = case.persona(persona_id)
    result = next((p for p in analysis.personas if p.id == persona_id), None)
    view = analysis.views.get(persona_id)
    if persona is None or result is None or view is None:
        return Group(Text(say.say("No such persona."), "dim"))
    parts: list[Any] = [Text(persona.name, "bold")]
    parts += [Text(text, "italic") for text in persona.about]
    if persona.attributes:
        parts.append(Text(", ".join(f"{k}: {value_text(v, say)}" for k, v in persona.attributes.items()), "dim"))
    parts += [Text(), Text(say.say("Goals"), "bold underline")]
    for goal, ok in result.goals_reachable.items():
        line = Text.assemble(("  ✔ " + say.say("reaches") if ok else "  ✘ " + say.say("cannot reach"),
                              "green" if ok else "bold red"), " ", index.name(goal))
        when = goal_time_words(say, result.earliest_days.get(goal), view.deadlines.get(goal))
        if when:
            late = (result.earliest_days.get(goal) or 0) > view.deadlines.get(goal, float("inf"))
            line.append(f" — {when}", "bold red" if late else "dim")
        parts.append(line)
    parts += _time_parts(analysis, view, say)
    parts += _ahead_parts(analysis, view, say)
    parts += [Text(), Text(say.say("Can obtain"), "bold underline")]
    held = set(persona.has)
    for doc in result.obtainable:
        parts.append(Text.assemble("  • ", index.name(doc), (" " + say.say("(has it)") if doc in held else "", "dim")))
    if not result.obtainable:
        parts.append(Text("  " + say.say("nothing"), "dim"))
    parts += [Text(), Text(say.say("Plan"), "bold underline")]
    if result.plan:
        plan = Table.grid(padding=(0, 1))
        plan.add_column(justify="right")
        plan.add_column()
        starts = view.timeline.starts if view.timeline is not None else {}
        for n, tp_id in enumerate(result.plan, 1):
            tp = index.touchpoints.get(tp_id)
            where = index.actor_names.get(tp.actor or "", "") if tp else ""
            gets = ", ".join(index.name(d) for d in index.produced[tp_id]) if tp else ""
            line = Text.assemble((index.name(tp_id), "bold"),
                                 ("  " + say.say("at {actor}", actor=where) if where else "", "dim"))
            if tp_id in starts and tp is not None and (tp.days or starts[tp_id]):
                line.append("  " + _days(say, starts[tp_id], starts[tp_id] + float(tp.days or 0)), "dim")
            if gets:
                line.append(f"\n  → {gets}", "green")
            plan.add_row(f"{n}.", line)
        parts.append(plan)
    else:
        parts.append(Text("  " + say.say("no step leads to a goal"), "dim"))
    findings = analysis.for_persona(persona_id)
    parts += [Text(), Text(say.say("Burden"), "bold underline"), _burden_line(analysis, persona_id, findings, say)]
    named = len([f for f in findings if persona_id in f.personas])
    parts += [Text(), Text(say.say_n("{n} finding names this persona", "{n} findings name this persona", named),
                           "dim")]
    return Group(*parts)


#: Most reasons a persona who cannot start is shown lacking.
MAX_LACKS = 3


def _burden_line(analysis: Analysis, persona_id: str, findings: Any, say: Words) -> Text:
    """The persona's burden; for one who cannot take a single step towards a goal it does not hold,
    "cannot start:" and what it lacks (the reasons the analysis gives for its unreachable goals)."""
    case = analysis.case
    result = next(p for p in analysis.personas if p.id == persona_id)
    if result.plan or all(result.goals_reachable.values()):
        return Text("  " + burden_words(say.language, result.burden.to_json(), case.currency))
    lacks = list(dict.fromkeys(reason for f in findings if f.kind == "unreachable_goal" and persona_id in f.personas
                               for reason in f.evidence))
    shown = " ".join(lacks[:MAX_LACKS]) or say.say("no desk it can use leads to its goals.")
    return Text("  " + say.say("cannot start: {lacks}", lacks=shown), "bold red")


def _days(say: Words, start: float, end: float) -> str:
    return say.say("day {start}–{end}", start=say.number(start), end=say.number(end))


def _time_parts(analysis: Analysis, view: Any, say: Words) -> list[Any]:
    """The slowest way to each reachable goal (its critical path), and the windows that close."""
    timeline = view.timeline
    if timeline is None:
        return []
    index = analysis.index
    parts: list[Any] = []
    heading = [Text(), Text(say.say("Time: the slowest way to each goal"), "bold underline")]
    for goal, ok in view.goals_reachable.items():
        path = timeline.path(goal) if ok and timeline.earliest.get(goal) else ()
        if not path:
            continue
        if not parts:
            parts += heading
        parts.append(Text.assemble("  ", (index.name(goal), "bold"), " ",
                                   (say.say("on day {day}", day=say.number(timeline.earliest[goal])), "dim")))
        for step in path:
            parts.append(Text.assemble("    ", (_days(say, step.start, step.end), "cyan"), "  ",
                                       index.name(step.touchpoint)))
    for tp_id, windows in sorted(timeline.closed.items()):
        if tp_id not in view.relevant:
            continue
        for window in windows:
            if not parts:
                parts += heading
            parts.append(Text("  ✘ " + say.say(
                "The window at {touchpoint} closes on day {closes} ({doc} on day {held}, within {within} "
                "days); {late} not before day {start}", touchpoint=index.name(tp_id),
                closes=say.number(window.closes), doc=index.name(window.document), held=say.number(window.held),
                within=say.number(window.within), late=say.list([index.name(d) for d in window.late]),
                start=say.number(window.start)), "bold red"))
    return parts


def _ahead_parts(analysis: Analysis, view: Any, say: Words) -> list[Any]:
    """The road ahead: what changes at each moment a growing attribute crosses a boundary, and a
    table of the goals over the moments (✔ reachable, ✘ not)."""
    if not view.ahead:
        return []
    index = analysis.index
    parts: list[Any] = [Text(), Text(say.say("Ahead"), "bold underline")]
    changes = road_ahead(index, view.persona, view.goals_reachable, view.ahead, say)
    for change in changes:
        parts.append(Text("  " + change.line(say), "bold red" if change.lost else "green"))
    if not changes:
        parts.append(Text("  " + say.say("no goal is lost or gained in the years ahead"), "dim"))
    shown = view.ahead[:MAX_MOMENTS]
    table = Table(box=None, padding=(0, 1), show_edge=False, pad_edge=False)
    table.add_column("")
    table.add_column(say.say("now"), justify="center")
    whole = {name: isinstance(spec, IntegerAttribute) for name, spec in analysis.case.attributes.items()}
    for moment in shown:
        values = ", ".join(say.number(v) for v in moment.attributes.values())
        years = (say.say_n("≤{n} yr", "≤{n} yrs", math.ceil(moment.in_years - 1e-9))
                 if all(whole.get(n, True) for n in moment.crossing) else
                 say.say("{years} yrs", years=say.number(round(moment.in_years, 2))))
        table.add_column(f"{years}\n{values}", justify="center")
    for goal, ok in view.goals_reachable.items():
        cells = [Text("✔", "green") if ok else Text("✘", "red")]
        cells += [Text("✔", "green") if m.goals_reachable.get(goal) else Text("✘", "red") for m in shown]
        table.add_row(Text("  " + index.name(goal)), *cells)
    parts.append(table)
    names = ", ".join(next(iter([m.attributes for m in shown]), {}).keys())
    parts.append(Text("  " + say.say("columns: years from now, then {attributes}", attributes=names), "dim"))
    if len(view.ahead) > MAX_MOMENTS:
        parts.append(Text("  " + say.say_n("and {n} moment more", "and {n} moments more",
                                           len(view.ahead) - MAX_MOMENTS), "dim"))
    return parts


def persona_means(analysis: Analysis, persona_id: str, say: Words) -> tuple[MeansChart | None, Text | None]:
    """The chart of the persona's means to show, and a note on it; (None, None) in a case without money.

    The chart follows the first money attribute along which the persona has means; the note
    says which, when there are several. A persona none of whose goals is worth money has no
    chart, only a note that says so.
    """
    view = analysis.views.get(persona_id)
    if view is None or not view.means:
        return None, None
    names = chartable_attributes(analysis, persona_id)
    who = analysis.index.name(persona_id)
    if not names:
        return None, Text(say.say("None of the goals of {who} is worth money (a `value`): there are no means to "
                                  "chart.", who=who), "dim")
    note = None
    if len(names) > 1:
        labels = [attribute_label(n, analysis.case.attributes[n]) for n in names]
        note = Text(say.say("The chart follows {attribute}, the first of the money attributes {attributes}; "
                            "`kafka-tool export CASE --means {id} --attribute NAME` draws another.",
                            attribute=labels[0], attributes=say.list(labels), id=persona_id), "dim")
    return means_chart(analysis, persona_id, names[0]), note


class PersonaPanel(VerticalScroll):
    """Pick a persona; see its goals, what it can obtain, its plan and its burden."""

    HELP = N_("""\
## Personas

Pick a persona to see which goals it reaches (✔) and which it cannot (✘),
and on which day at the earliest (a deadline missed shows in red); the
slowest way to each goal (its critical path, day by day) and the windows
that close; the road ahead, when the case has attributes that grow with
time (age): what is lost or regained at each moment, and a table of the
goals over those moments; every document it can obtain, its plan step by
step (the touchpoints it would visit, in order, with their days) and its
burden: steps, organisations, days and cost.

In a case with a money attribute, a chart comes first: what the persona has
to live on a month (the blue line) at each value of the attribute, its own
money alone (the grey dots; the gap is its benefits), each benefit cliff as a
red line with its number, explained under the chart, and where the persona
stands (the green dot). `kafka-tool export CASE --means PERSONA --format png`
draws it as an image.
`p` switches to the next persona from anywhere on the case screen.
""")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.analysis: Analysis | None = None

    def compose(self) -> Any:
        yield Select([], prompt=interface_words(self).say("Persona"), id="persona-select", compact=True)
        yield MeansSection(id="persona-means")
        yield Static("", id="persona-body")

    @property
    def persona_id(self) -> str | None:
        """The persona shown."""
        value = self.query_one("#persona-select", Select).value
        return value if isinstance(value, str) else None

    def set_analysis(self, analysis: Analysis) -> None:
        """Show a fresh analysis (for the same persona when it still exists)."""
        self.analysis = analysis
        select = self.query_one("#persona-select", Select)
        current = self.persona_id
        options = [(Text(p.name), p.id) for p in analysis.case.personas]
        with self.prevent(Select.Changed):
            select.set_options(options)
            ids = [v for _, v in options]
            if current in ids:
                select.value = current
            elif ids:
                select.value = ids[0]
        self._render_body()

    def show_persona(self, persona_id: str) -> None:
        """Switch to a persona."""
        self.query_one("#persona-select", Select).value = persona_id
        self._render_body()

    @on(Select.Changed, "#persona-select")
    def _changed(self, event: Select.Changed) -> None:
        event.stop()
        self._render_body()

    def _render_body(self) -> None:
        body = self.query_one("#persona-body", Static)
        means = self.query_one(MeansSection)
        if self.analysis is None or self.persona_id is None:
            means.show(None)
            # The list's blank entry chosen in a case that has personas: say so, not that there are none.
            chosen_none = self.analysis is not None and bool(self.analysis.case.personas)
            said = N_("Choose a persona above.") if chosen_none else N_("This case has no personas.")
            body.update(Text(interface_words(self).say(said), "dim"))
            return
        say = interface_words(self, self.analysis.case.language)
        means.show(*persona_means(self.analysis, self.persona_id, say))
        body.update(persona_renderable(self.analysis, self.persona_id, say))
