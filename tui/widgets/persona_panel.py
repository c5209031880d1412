"""The persona panel: what a persona can obtain, which goals it reaches, its plan and its burden."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.containers import VerticalScroll
from textual.widgets import Select, Static

from kafka_tool.analysis.engine import Analysis

from .detail import value_text

__all__ = ["PersonaPanel", "persona_renderable"]


def persona_renderable(analysis: Analysis, persona_id: str) -> Group:
    """One persona's reach, plan and burden, in words."""
    index = analysis.index
    case = analysis.case
    persona = case.persona(persona_id)
    result = next((p for p in analysis.personas if p.id == persona_id), None)
    if persona is None or result is None:
        return Group(Text("No such persona.", "dim"))
    parts: list[Any] = [Text(persona.name, "bold")]
    if persona.story:
        parts.append(Text(persona.story, "italic"))
    if persona.attributes:
        parts.append(Text(", ".join(f"{k}: {value_text(v)}" for k, v in persona.attributes.items()), "dim"))
    parts += [Text(), Text("Goals", "bold underline")]
    for goal, ok in result.goals_reachable.items():
        parts.append(
            Text.assemble(
                ("  ✔ reaches " if ok else "  ✘ cannot reach ", "green" if ok else "bold red"), index.name(goal)
            )
        )
    parts += [Text(), Text("Can obtain", "bold underline")]
    held = set(persona.has)
    for doc in result.obtainable:
        parts.append(Text.assemble("  • ", index.name(doc), (" (has it)" if doc in held else "", "dim")))
    if not result.obtainable:
        parts.append(Text("  nothing", "dim"))
    parts += [Text(), Text("Plan", "bold underline")]
    if result.plan:
        plan = Table.grid(padding=(0, 1))
        plan.add_column(justify="right")
        plan.add_column()
        for n, tp_id in enumerate(result.plan, 1):
            tp = index.touchpoints.get(tp_id)
            where = index.actor_names.get(tp.actor or "", "") if tp else ""
            gets = ", ".join(index.name(d) for d in index.produced[tp_id]) if tp else ""
            line = Text.assemble((index.name(tp_id), "bold"), (f"  at {where}" if where else "", "dim"))
            if gets:
                line.append(f"\n  → {gets}", "green")
            plan.add_row(f"{n}.", line)
        parts.append(plan)
    else:
        parts.append(Text("  no step leads to a goal", "dim"))
    burden = result.burden
    parts += [
        Text(),
        Text("Burden", "bold underline"),
        Text(f"  {burden.steps} steps, {burden.actors} organisations, {burden.days:g} days, EUR {burden.cost:g}"),
    ]
    findings = analysis.for_persona(persona_id)
    parts += [
        Text(),
        Text(f"{len([f for f in findings if persona_id in f.personas])} findings name this persona", "dim"),
    ]
    return Group(*parts)


class PersonaPanel(VerticalScroll):
    """Pick a persona; see its goals, what it can obtain, its plan and its burden."""

    HELP = """\
## Personas

Pick a persona to see which goals it reaches (✔) and which it cannot (✘),
every document it can obtain, its plan step by step (the touchpoints it
would visit, in order) and its burden: steps, organisations, days and cost.
`p` switches to the next persona from anywhere on the case screen.
"""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.analysis: Analysis | None = None

    def compose(self) -> Any:
        yield Select([], prompt="Persona", id="persona-select", compact=True)
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
        if self.analysis is None or self.persona_id is None:
            body.update(Text("This case has no personas.", "dim"))
            return
        body.update(persona_renderable(self.analysis, self.persona_id))
