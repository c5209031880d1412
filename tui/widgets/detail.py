"""The detail pane: the selected element's fields, connections and findings, or a finding's evidence."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from kafka_tool.analysis.engine import Analysis
from kafka_tool.edits import HEADER_KEYS, attribute_referrers
from kafka_tool.findings import Finding
from kafka_tool.i18n import words
from kafka_tool.model import Case, produced_documents, requirement_alternatives

from ..state import ElementRef, element_data
from .case_tree import finding_touches

__all__ = [
    "DetailPane",
    "SEVERITY_STYLES",
    "connections",
    "element_renderable",
    "finding_renderable",
    "part_renderable",
    "value_text",
]

#: ANSI names, not fixed colours: Textual maps them through the light or dark ANSI theme, so they stay readable.
SEVERITY_STYLES = {"critical": "bold red", "high": "yellow", "medium": "cyan", "low": "dim"}


def _name(case: Case, ident: str) -> str:
    for items in (case.actors, case.documents, case.rules, case.touchpoints, case.personas, case.interventions):
        for item in items:
            if item.id == ident:
                return f"{getattr(item, 'name', None) or getattr(item, 'title', ident)} ({ident})"
    return ident


def connections(case: Case, ref: ElementRef) -> list[tuple[str, list[str]]]:
    """The element's connections, as (relation, [element ids]) in a fixed order."""
    ident = ref.key
    out: list[tuple[str, list[str]]] = []
    tps = case.touchpoints
    if ref.kind == "actor":
        out.append(("serves at", [t.id for t in tps if t.actor == ident]))
        out.append(("owns rules", [r.id for r in case.rules if r.owner == ident]))
    elif ref.kind == "touchpoint":
        tp = case.touchpoint(ident)
        if tp is not None:
            out.append(("served by", [tp.actor] if tp.actor else []))
            out.append(("requires", [d for item in tp.requires for d in requirement_alternatives(item)]))
            out.append(("produces", list(produced_documents(tp.produces))))
            out.append(("refers to", list(tp.refers_to)))
            out.append(("referred from", [t.id for t in tps if ident in t.refers_to]))
            out.append(("governed by", list(tp.rules)))
    elif ref.kind == "document":
        out.append(
            ("required by", [t.id for t in tps if any(ident in requirement_alternatives(i) for i in t.requires)])
        )
        out.append(("produced by", [t.id for t in tps if ident in produced_documents(t.produces)]))
        out.append(("held by", [p.id for p in case.personas if ident in p.has]))
        out.append(("goal of", [p.id for p in case.personas if ident in p.goal_ids]))
    elif ref.kind == "rule":
        rule = case.rule(ident)
        out.append(("owned by", [rule.owner] if rule is not None and rule.owner else []))
        out.append(("governs", [t.id for t in tps if ident in t.rules]))
        out.append(
            (
                "imposes requirements at",
                [t.id for t in tps if any(getattr(i, "rule", None) == ident for i in t.requires)],
            )
        )
        out.append(("conflicts with", list(rule.conflicts_with) if rule is not None else []))
    elif ref.kind == "persona":
        persona = case.persona(ident)
        if persona is not None:
            out.append(("has", list(persona.has)))
            out.append(("goals", list(persona.goal_ids)))
    elif ref.kind == "journey":
        journey = case.journeys[int(ref.key)]
        out.append(("persona", [journey.persona]))
        out.append(("visits", list(dict.fromkeys(s.touchpoint for s in journey.steps))))
    return out


def value_text(value: Any) -> str:
    """A value from the case as people read it: lists joined, booleans as yes and no."""
    if isinstance(value, list):
        return (
            ", ".join(value_text(v) for v in value)
            if all(not isinstance(v, (dict, list)) for v in value)
            else "\n".join("- " + value_text(v) for v in value)
        )
    if isinstance(value, dict):
        return ", ".join(f"{k}: {value_text(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def element_renderable(case: Case, analysis: Analysis | None, ref: ElementRef) -> Group:
    """Fields, connections and findings of one element."""
    data = element_data(case, ref)
    fields = Table.grid(padding=(0, 2))
    fields.add_column(style="bold", no_wrap=True)
    fields.add_column()
    for key, value in data.items():
        fields.add_row(key, Text(value_text(value)))
    parts: list[Any] = [Text(f"{ref.kind.capitalize()}", "bold underline"), fields, Text()]
    links = [(rel, ids) for rel, ids in connections(case, ref) if ids]
    if links:
        parts.append(Text("Connections", "bold underline"))
        table = Table.grid(padding=(0, 2))
        table.add_column(style="italic", no_wrap=True)
        table.add_column()
        for relation, ids in links:
            table.add_row(relation, Text("\n".join(_name(case, i) for i in ids)))
        parts += [table, Text()]
    if analysis is not None:
        touching = [f for f in analysis.findings if finding_touches(f, case, ref)]
        parts.append(Text(f"Findings ({len(touching)})", "bold underline"))
        for finding in touching:
            parts.append(
                Text.assemble((f"{finding.severity:<9}", SEVERITY_STYLES.get(finding.severity, "")), finding.title)
            )
        if not touching:
            parts.append(Text("No finding touches this element.", "dim"))
    return Group(*parts)


def _fields(rows: list[tuple[str, Any]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for key, value in rows:
        if value not in (None, [], {}, ""):
            table.add_row(key, Text(value_text(value)))
    return table


def part_renderable(case: Case, analysis: Analysis | None, ref: ElementRef) -> Group:
    """The case header, its teaching notes, an attribute or an accepted finding."""
    say = words(case.language).say
    data = case.to_data()
    parts: list[Any] = []
    if ref.kind == "case":
        parts += [Text(say("The case"), "bold underline"),
                  _fields([(key, data.get(key)) for key in HEADER_KEYS]), Text(),
                  Text(say("e edits the header; the teaching notes are below it in the tree."), "dim")]
    elif ref.kind == "teaching":
        teaching = case.teaching
        parts.append(Text(say("Teaching notes"), "bold underline"))
        if teaching is None:
            parts.append(Text(say("None yet: e writes them (level, questions, notes, expected findings)."), "dim"))
        else:
            parts.append(_fields([("level", teaching.level), ("notes", teaching.notes)]))
            for n, question in enumerate(teaching.questions, 1):
                parts.append(Text(f"{n}. {question}"))
            if teaching.expected_findings:
                found = {f.kind for f in analysis.findings} if analysis is not None else set()
                parts += [Text(), Text(say("Expected findings"), "bold")]
                for kind in teaching.expected_findings:
                    mark = ("✔ ", "green") if kind in found else ("✘ ", "red") if analysis is not None else ("  ", "")
                    parts.append(Text.assemble(mark, kind.replace("_", " ")))
    elif ref.kind == "attribute":
        spec = data.get("attributes", {}).get(ref.key, {})
        parts += [Text(say("Attribute {name}", name=ref.key), "bold underline"), _fields(list(spec.items())), Text()]
        used = attribute_referrers(case, ref.key)
        parts.append(Text(say("Used by ({n})", n=len(used)), "bold underline"))
        parts += [Text(f"{r.kind} {r.owner} ({r.field})") for r in used] or [
            Text(say("No rule or persona uses it yet."), "dim")]
    elif ref.kind == "acceptance":
        index = int(ref.key)
        if index < len(case.accepted):
            accepted = case.accepted[index]
            parts += [Text(say("Accepted finding"), "bold underline"),
                      _fields([("finding", accepted.finding), ("reason", accepted.reason), ("by", accepted.by)]),
                      Text()]
            finding = analysis.finding(accepted.finding) if analysis is not None else None
            if finding is not None:
                parts.append(Text.assemble((finding.severity + "  ", SEVERITY_STYLES.get(finding.severity, "")),
                                           finding.title))
            elif analysis is not None:
                parts.append(Text(say("Stale: this finding no longer occurs. delete removes the acceptance."),
                                  "bold yellow"))
    return Group(*parts)


def finding_renderable(case: Case, finding: Finding) -> Group:
    """A finding's explanation and its evidence chain."""
    parts: list[Any] = [
        Text.assemble(
            (finding.severity.upper(), SEVERITY_STYLES.get(finding.severity, "")),
            "  ",
            (finding.kind, "italic"),
            "  ",
            (finding.id, "dim"),
        ),
        Text(finding.title, "bold"),
        Text(),
        Text(finding.explanation),
        Text(),
    ]
    if finding.evidence:
        parts.append(Text("Evidence", "bold underline"))
        for step in finding.evidence:
            parts.append(Text("• " + step))
        parts.append(Text())
    table = Table.grid(padding=(0, 2))
    table.add_column(style="italic", no_wrap=True)
    table.add_column()
    for label, ids in (
        ("elements", finding.nodes),
        ("personas", finding.personas),
        ("could fix it", finding.actors),
        ("rules", finding.rules),
    ):
        if ids:
            table.add_row(label, Text("\n".join(_name(case, i) for i in ids)))
    if finding.region:
        table.add_row("region", Text(value_text(finding.region)))
    if finding.accepted:
        table.add_row("accepted", Text(finding.accepted))
    parts.append(table)
    return Group(*parts)


class DetailPane(VerticalScroll, can_focus=True):
    """Shows the selected element or finding."""

    HELP = """\
## Detail

The selected element: its fields as written in the case file, its
connections (what it requires, produces, refers to, who serves at it, which
rules govern it, what refers to it) and the findings it is in.

For a selected finding: its explanation, its evidence chain, the elements
and personas it concerns, and who could fix it.
"""

    def compose(self) -> Any:
        yield Static(Text("Select an element in the tree or a finding below.", "dim"), id="detail-body")

    def show_element(self, case: Case, analysis: Analysis | None, ref: ElementRef) -> None:
        """Show one element."""
        self.query_one("#detail-body", Static).update(element_renderable(case, analysis, ref))
        self.scroll_home(animate=False)

    def show_part(self, case: Case, analysis: Analysis | None, ref: ElementRef) -> None:
        """Show the case header, the teaching notes, an attribute or an accepted finding."""
        self.query_one("#detail-body", Static).update(part_renderable(case, analysis, ref))
        self.scroll_home(animate=False)

    def show_finding(self, case: Case, finding: Finding) -> None:
        """Show one finding."""
        self.query_one("#detail-body", Static).update(finding_renderable(case, finding))
        self.scroll_home(animate=False)

    def show_text(self, text: str) -> None:
        """Show a plain message."""
        self.query_one("#detail-body", Static).update(Text(text, "dim"))
