"""The detail pane: the selected element's fields, connections and findings, or a finding's evidence."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from kafka_tool.analysis.engine import Analysis
from kafka_tool.analysis.kinds import kind_label
from kafka_tool.analysis.texts import SEVERITY_WORDS
from kafka_tool.edits import HEADER_KEYS, Reference, attribute_referrers
from kafka_tool.findings import Finding
from kafka_tool.i18n import N_, Words
from kafka_tool.model import Case, produced_documents, requirement_alternatives
from kafka_tool.vocabulary import VALUE_WORDS, value_word

from ..language import interface_words
from ..state import ElementRef, element_data
from .case_tree import finding_touches
from .form_fields import LABELS

__all__ = [
    "CROSS_MARK",
    "DetailPane",
    "SEVERITY_STYLES",
    "connections",
    "element_renderable",
    "finding_renderable",
    "layers_text",
    "part_renderable",
    "value_text",
]

#: ANSI names, not fixed colours: Textual maps them through the light or dark ANSI theme, so they stay readable.
SEVERITY_STYLES = {"critical": "bold red", "high": "yellow", "medium": "cyan", "low": "dim"}

#: The mark of a finding that spans layers of government: no single layer can solve it.
CROSS_MARK = "↔"


def layers_text(finding: Finding, words: Words) -> str:
    """The layers of a finding's actors in words, joined ("municipality (gemeente), water board")."""
    return ", ".join(value_word(words, "layer", layer) for layer in finding.layers)


def _name(case: Case, ident: str) -> str:
    for items in (case.actors, case.documents, case.rules, case.touchpoints, case.personas, case.interventions):
        for item in items:
            if item.id == ident:
                return f"{getattr(item, 'name', None) or getattr(item, 'title', ident)} ({ident})"
    return ident


def connections(case: Case, ref: ElementRef) -> list[tuple[str, list[str]]]:
    """The element's connections, as (relation, [element ids]) in a fixed order; each relation is a
    message of the catalogue, said where it is shown."""
    ident = ref.key
    out: list[tuple[str, list[str]]] = []
    tps = case.touchpoints
    if ref.kind == "actor":
        out.append((N_("serves at"), [t.id for t in tps if t.actor == ident]))
        out.append((N_("owns rules"), [r.id for r in case.rules if r.owner == ident]))
    elif ref.kind == "touchpoint":
        tp = case.touchpoint(ident)
        if tp is not None:
            out.append((N_("served by"), [tp.actor] if tp.actor else []))
            out.append((N_("requires"), [d for item in tp.requires for d in requirement_alternatives(item)]))
            out.append((N_("produces"), list(produced_documents(tp.produces))))
            out.append((N_("refers to"), list(tp.refers_to)))
            out.append((N_("referred from"), [t.id for t in tps if ident in t.refers_to]))
            out.append((N_("governed by"), list(tp.rules)))
    elif ref.kind == "document":
        out.append(
            (N_("required by"), [t.id for t in tps if any(ident in requirement_alternatives(i) for i in t.requires)])
        )
        out.append((N_("produced by"), [t.id for t in tps if ident in produced_documents(t.produces)]))
        out.append((N_("held by"), [p.id for p in case.personas if ident in p.has]))
        out.append((N_("goal of"), [p.id for p in case.personas if ident in p.goal_ids]))
    elif ref.kind == "rule":
        rule = case.rule(ident)
        out.append((N_("owned by"), [rule.owner] if rule is not None and rule.owner else []))
        out.append(("governs", [t.id for t in tps if ident in t.rules]))
        out.append(
            (
                N_("imposes requirements at"),
                [t.id for t in tps if any(getattr(i, "rule", None) == ident for i in t.requires)],
            )
        )
        out.append((N_("conflicts with"), list(rule.conflicts_with) if rule is not None else []))
    elif ref.kind == "persona":
        persona = case.persona(ident)
        if persona is not None:
            out.append((N_("has"), list(persona.has)))
            out.append((N_("goals"), list(persona.goal_ids)))
    elif ref.kind == "journey":
        journey = case.journeys[int(ref.key)]
        out.append((N_("persona"), [journey.persona]))
        out.append((N_("visits"), list(dict.fromkeys(s.touchpoint for s in journey.steps))))
    return out


def value_text(value: Any, words: Words, key: str | None = None) -> str:
    """A value from the case as people read it: lists joined, booleans as yes and no, the values of a
    fixed list (``key``: the field it is kept in) in words, all in ``words``' language."""
    if isinstance(value, str) and key is not None and key in VALUE_WORDS:
        return value_word(words, key, value)
    if isinstance(value, list):
        return (
            ", ".join(value_text(v, words, key) for v in value)
            if all(not isinstance(v, (dict, list)) for v in value)
            else "\n".join("- " + value_text(v, words) for v in value)
        )
    if isinstance(value, dict):
        return ", ".join(f"{k}: {value_text(v, words)}" for k, v in value.items())
    if isinstance(value, bool):
        return words.say("yes") if value else words.say("no")
    return str(value)


def reference_words(reference: Reference, words: Words) -> str:
    """A place that refers to an element, in ``words``' language: 'contactmoment aanvraag (vraagt)'."""
    return f"{words.say(reference.kind)} {reference.owner} ({field_label(reference.field, words)})"


def field_label(key: str, words: Words) -> str:
    """A field of the case file as the forms call it ("valid days" for ``valid_days``), in ``words``' language."""
    label = LABELS.get(key)
    if label is None or "{" in label:  # "cost ({currency})": the form fills in the currency; here the key will do
        return key.replace("_", " ")
    return words.say(label)


#: Each kind of element, as the detail pane heads it.
_KIND_TITLES = {
    "actor": N_("Actor"),
    "document": N_("Document"),
    "rule": N_("Rule"),
    "touchpoint": N_("Touchpoint"),
    "persona": N_("Persona"),
    "journey": N_("Journey"),
    "intervention": N_("Intervention"),
}


def element_renderable(case: Case, analysis: Analysis | None, ref: ElementRef, words: Words) -> Group:
    """Fields, connections and findings of one element, in ``words``' language."""
    say = words.say
    data = element_data(case, ref)
    fields = Table.grid(padding=(0, 2))
    fields.add_column(style="bold", no_wrap=True)
    fields.add_column()
    for key, value in data.items():
        fields.add_row(field_label(key, words), Text(value_text(value, words, key)))
    if ref.kind == "actor" and "layer" not in data:
        actor = case.actor(ref.key)
        if actor is not None:
            fields.add_row(field_label("layer", words), Text(say("{layer} (from its kind)", layer=value_word(
                words, "layer", actor.the_layer)), "dim"))
    title = _KIND_TITLES.get(ref.kind)
    parts: list[Any] = [Text(say(title) if title else ref.kind.capitalize(), "bold underline"), fields, Text()]
    links = [(rel, ids) for rel, ids in connections(case, ref) if ids]
    if links:
        parts.append(Text(say("Connections"), "bold underline"))
        table = Table.grid(padding=(0, 2))
        table.add_column(style="italic", no_wrap=True)
        table.add_column()
        for relation, ids in links:
            table.add_row(say(relation), Text("\n".join(_name(case, i) for i in ids)))
        parts += [table, Text()]
    if analysis is not None:
        touching = [f for f in analysis.findings if finding_touches(f, case, ref)]
        parts.append(Text(say("Findings ({n})", n=len(touching)), "bold underline"))
        width = max((len(say(word)) for word in SEVERITY_WORDS.values()), default=8) + 1
        for finding in touching:
            severity = say(SEVERITY_WORDS.get(finding.severity, finding.severity))
            parts.append(
                Text.assemble((f"{severity:<{width}}", SEVERITY_STYLES.get(finding.severity, "")), finding.title)
            )
        if not touching:
            parts.append(Text(say("No finding touches this element."), "dim"))
    return Group(*parts)


def _fields(rows: list[tuple[str, Any]], words: Words) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for key, value in rows:
        if value not in (None, [], {}, ""):
            table.add_row(field_label(key, words), Text(value_text(value, words, key)))
    return table


def part_renderable(case: Case, analysis: Analysis | None, ref: ElementRef, words: Words) -> Group:
    """The case header, its teaching notes, an attribute or an accepted finding, in ``words``' language."""
    say = words.say
    data = case.to_data()
    parts: list[Any] = []
    if ref.kind == "case":
        parts += [Text(say("The case"), "bold underline"),
                  _fields([(key, data.get(key)) for key in HEADER_KEYS], words), Text(),
                  Text(say("e edits the header; the teaching notes are below it in the tree."), "dim")]
    elif ref.kind == "teaching":
        teaching = case.teaching
        parts.append(Text(say("Teaching notes"), "bold underline"))
        if teaching is None:
            parts.append(Text(say("None yet: e writes them (level, questions, notes, expected findings)."), "dim"))
        else:
            parts.append(_fields([("level", teaching.level), ("notes", teaching.notes)], words))
            for n, question in enumerate(teaching.questions, 1):
                parts.append(Text(f"{n}. {question}"))
            if teaching.expected_findings:
                found = {f.kind for f in analysis.findings} if analysis is not None else set()
                parts += [Text(), Text(say("Expected findings"), "bold")]
                for kind in teaching.expected_findings:
                    mark = ("✔ ", "green") if kind in found else ("✘ ", "red") if analysis is not None else ("  ", "")
                    parts.append(Text.assemble(mark, kind_label(kind, words)))
    elif ref.kind == "attribute":
        spec = data.get("attributes", {}).get(ref.key, {})
        parts += [Text(say("Attribute {name}", name=ref.key), "bold underline"), _fields(list(spec.items()), words),
                  Text()]
        used = attribute_referrers(case, ref.key)
        parts.append(Text(say("Used by ({n})", n=len(used)), "bold underline"))
        parts += [Text(reference_words(r, words)) for r in used] or [
            Text(say("No rule or persona uses it yet."), "dim")]
    elif ref.kind == "acceptance":
        index = int(ref.key)
        if index < len(case.accepted):
            accepted = case.accepted[index]
            parts += [Text(say("Accepted finding"), "bold underline"),
                      _fields([("finding", accepted.finding), ("reason", accepted.reason), ("by", accepted.by)], words),
                      Text()]
            finding = analysis.finding(accepted.finding) if analysis is not None else None
            if finding is not None:
                severity = say(SEVERITY_WORDS.get(finding.severity, finding.severity))
                parts.append(Text.assemble((severity + "  ", SEVERITY_STYLES.get(finding.severity, "")),
                                           finding.title))
            elif analysis is not None:
                parts.append(Text(say("Stale: this finding no longer occurs. delete removes the acceptance."),
                                  "bold yellow"))
    return Group(*parts)


def finding_renderable(case: Case, finding: Finding, words: Words) -> Group:
    """A finding's explanation and its evidence chain, in ``words``' language."""
    say = words.say
    parts: list[Any] = [
        Text.assemble(
            (say(SEVERITY_WORDS.get(finding.severity, finding.severity)).upper(),
             SEVERITY_STYLES.get(finding.severity, "")),
            "  ",
            (kind_label(finding.kind, words), "italic"),  # its id, which starts with the kind, follows
            "  ",
            (finding.id, "dim"),
        ),
        Text(finding.title, "bold"),
        Text(),
        Text(finding.explanation),
        Text(),
    ]
    if finding.spans_layers:
        parts += [Text.assemble((CROSS_MARK + " ", "bold magenta"),
                                (say("It spans {n} layers of government: no single layer can solve it.",
                                     n=len(finding.layers)), "magenta")), Text()]
    if finding.evidence:
        parts.append(Text(say("Evidence"), "bold underline"))
        for step in finding.evidence:
            parts.append(Text("• " + step))
        parts.append(Text())
    table = Table.grid(padding=(0, 2))
    table.add_column(style="italic", no_wrap=True)
    table.add_column()
    for label, ids in (
        (N_("elements"), finding.nodes),
        (N_("personas"), finding.personas),
        (N_("could fix it"), finding.actors),
        (N_("rules"), finding.rules),
    ):
        if ids:
            table.add_row(say(label), Text("\n".join(_name(case, i) for i in ids)))
    if finding.layers:
        table.add_row(say("layers"), Text(layers_text(finding, words)))
    if finding.region:
        table.add_row(say("region"), Text(value_text(finding.region, words)))
    if finding.accepted:
        table.add_row(say("accepted"), Text(finding.accepted))
    parts.append(table)
    return Group(*parts)


class DetailPane(VerticalScroll, can_focus=True):
    """Shows the selected element or finding."""

    HELP = N_("""\
## Detail

The selected element: its fields as written in the case file, its
connections (what it requires, produces, refers to, who serves at it, which
rules govern it, what refers to it) and the findings it is in.

For a selected finding: its explanation, its evidence chain, the elements
and personas it concerns, and who could fix it.
""")

    def compose(self) -> Any:
        yield Static(Text(interface_words(self).say("Select an element in the tree or a finding below."), "dim"),
                     id="detail-body")

    def show_element(self, case: Case, analysis: Analysis | None, ref: ElementRef) -> None:
        """Show one element."""
        words = interface_words(self, case.language)
        self.query_one("#detail-body", Static).update(element_renderable(case, analysis, ref, words))
        self.scroll_home(animate=False)

    def show_part(self, case: Case, analysis: Analysis | None, ref: ElementRef) -> None:
        """Show the case header, the teaching notes, an attribute or an accepted finding."""
        words = interface_words(self, case.language)
        self.query_one("#detail-body", Static).update(part_renderable(case, analysis, ref, words))
        self.scroll_home(animate=False)

    def show_finding(self, case: Case, finding: Finding) -> None:
        """Show one finding."""
        words = interface_words(self, case.language)
        self.query_one("#detail-body", Static).update(finding_renderable(case, finding, words))
        self.scroll_home(animate=False)

    def show_text(self, text: str) -> None:
        """Show a plain message."""
        self.query_one("#detail-body", Static).update(Text(text, "dim"))
