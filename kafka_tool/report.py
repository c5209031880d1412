"""Analysis results as text for people, JSON for programs, Markdown for reports.

Every format is deterministic: the same case gives the same bytes.

:func:`to_markdown` is the one Markdown report: ``analyze --format markdown``
prints it, and the ``md`` export writes it with its diagrams (see
:class:`DiagramLinks`) and the interventions. Every piece of text that comes
from the case, and every finding's sentences (which quote the case's names),
is escaped by :mod:`kafka_tool.markdown`. Its counts are those of the text
report (:func:`findings_summary`): the findings that count against the case,
and the accepted ones apart.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import markdown as md
from .analysis.engine import Analysis
from .analysis.texts import burden_words, say
from .errors import KafkaToolError
from .findings import SEVERITIES, Finding, PersonaResult
from .interventions import Comparison

__all__ = [
    "REPORT_WORDS",
    "SEVERITY_COLOURS",
    "DiagramLinks",
    "findings_json",
    "findings_summary",
    "intervention_comparisons",
    "iter_json_text",
    "report_word",
    "to_json_text",
    "to_markdown",
    "to_text",
]

SEVERITY_COLOURS = {"critical": "red", "high": "yellow", "medium": "cyan", "low": "white"}


def findings_json(analysis: Analysis, persona: str | None = None) -> dict[str, Any]:
    """The ``kafka-findings/1`` object of CASE_FORMAT.md."""
    findings = analysis.for_persona(persona) if persona else analysis.findings
    personas = [p for p in analysis.personas if persona is None or p.id == persona]
    return {
        "format": "kafka-findings/1",
        "case": analysis.case.id,
        "findings": [f.to_json() for f in findings],
        "personas": [p.to_json() for p in personas],
    }


_ENCODER = json.JSONEncoder(ensure_ascii=False)


def to_json_text(data: Any) -> str:
    """JSON text, stable and readable: one key per line, and one finding or persona per line."""
    return "".join(iter_json_text(data))


def iter_json_text(data: Any) -> Iterator[str]:
    """The text of :func:`to_json_text` in pieces, one item a piece, to write as it is made.

    Each item is encoded compactly by the json module's C encoder (``indent``
    would switch to its pure-Python one, ten times slower on large cases); a
    large report is never held as one string.
    """
    if isinstance(data, list):
        yield "["
        for n, item in enumerate(data):
            yield ",\n" if n else "\n"
            yield "".join(iter_json_text(item)).rstrip("\n")
        yield "\n]\n"
        return
    yield "{\n"
    for n, (key, value) in enumerate(data.items()):
        yield (",\n" if n else "") + f"  {json.dumps(key)}: "
        if isinstance(value, list) and value:
            yield "[\n"
            for m, item in enumerate(value):
                yield (",\n    " if m else "    ") + _ENCODER.encode(item)
            yield "\n  ]"
        else:
            yield _ENCODER.encode(value)
    yield "\n}\n"


def _style(text: str, colour: bool, **style: Any) -> str:
    if not colour:
        return text
    import click

    return click.style(text, **style)


def _wrap(text: str, indent: str, width: int = 92) -> str:
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent)


def _persona_lines(analysis: Analysis, result: PersonaResult, colour: bool) -> list[str]:
    lang = analysis.case.language
    name = analysis.index.name(result.id)
    lines = [_style(f"  {name} ({result.id})", colour, bold=True)]
    for goal, ok in result.goals_reachable.items():
        mark = _style("✓", colour, fg="green") if ok else _style("✗", colour, fg="red")
        lines.append(f"    {mark} {analysis.index.name(goal)}")
    if result.plan:
        steps = " → ".join(analysis.index.name(t) for t in result.plan)
        lines.append(_wrap(f"{say(lang, 'label.plan')}: {steps}", "    "))
    lines.append(f"    {say(lang, 'label.burden')}: {burden_words(lang, result.burden.to_json())}")
    return lines


def _finding_lines(analysis: Analysis, finding: Finding, colour: bool) -> list[str]:
    lang = analysis.case.language
    sev = _style(say(lang, f"severity.{finding.severity}").upper(), colour,
                 fg=SEVERITY_COLOURS[finding.severity], bold=True)
    head = f"  {sev} {finding.title}"
    if finding.accepted is not None:
        head += _style(f"  [{say(lang, 'label.accepted')}]", colour, fg="green")
    lines = [head, _style(f"    {finding.id}", colour, dim=True)]
    lines.append(_wrap(finding.explanation, "    "))
    for item in _extra_evidence(finding):
        lines.append(_wrap(f"· {item}", "      "))
    if finding.personas:
        lines.append(f"    {say(lang, 'label.affected')}: {', '.join(finding.personas)}")
    if finding.actors:
        who = ", ".join(analysis.index.name(a) for a in finding.actors)
        lines.append(_wrap(f"{say(lang, 'label.who')}: {who}", "    "))
    if finding.region is not None:
        lines.append(f"    {say(lang, 'label.region')}: {json.dumps(finding.region, ensure_ascii=False)}")
    if finding.accepted is not None:
        lines.append(_wrap(f"{say(lang, 'label.accepted')}: {finding.accepted}", "    "))
    return lines


def _extra_evidence(finding: Finding) -> list[str]:
    """Evidence lines the explanation does not already say word for word."""
    return [item for item in finding.evidence if item not in finding.explanation]


def _grouped(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    groups: dict[str, list[Finding]] = {s: [] for s in SEVERITIES}
    for finding in findings:
        groups[finding.severity].append(finding)
    return {s: fs for s, fs in groups.items() if fs}


def _open_count(group: list[Finding], lang: str) -> str:
    """How many findings of a group count against the case, and how many are accepted."""
    accepted = sum(1 for f in group if f.accepted is not None)
    if not accepted:
        return str(len(group))
    return f"{len(group) - accepted}, +{accepted} {say(lang, 'label.accepted')}"


def to_text(analysis: Analysis, persona: str | None = None, colour: bool = False) -> str:
    """Findings for people: grouped by severity, with explanations and evidence."""
    case = analysis.case
    findings = analysis.for_persona(persona) if persona else analysis.findings
    lines = [_style(case.title, colour, bold=True), _style(f"{case.id}", colour, dim=True), ""]
    lang = case.language
    personas = [p for p in analysis.personas if persona is None or p.id == persona]
    if personas:
        lines.append(_style(say(lang, "label.personas"), colour, bold=True, underline=True))
        for result in personas:
            lines.extend(_persona_lines(analysis, result, colour))
        lines.append("")
    groups = _grouped(findings)
    if not groups:
        lines.append(say(lang, "label.no_findings"))
    for severity, group in groups.items():
        title = f"{say(lang, f'severity.{severity}')} ({_open_count(group, lang)})"
        lines.append(_style(title, colour, fg=SEVERITY_COLOURS[severity], bold=True, underline=True))
        for finding in group:
            lines.extend(_finding_lines(analysis, finding, colour))
            lines.append("")
    for stale in analysis.stale_accepted:
        lines.append(_style(f"note: accepted finding '{stale}' no longer occurs; remove it from `accepted:`",
                            colour, fg="yellow"))
    lines.append(findings_summary(findings, lang))
    return "\n".join(lines) + "\n"


def findings_summary(findings: Iterable[Finding], language: str) -> str:
    """'13 findings (3 critical, 10 high), 1 accepted': what every report says about its findings.

    Accepted findings no longer count against the case: the counts are of the
    others, and the accepted ones are counted apart.
    """
    findings = list(findings)
    open_groups = _grouped([f for f in findings if f.accepted is None])
    counts = ", ".join(f"{len(g)} {say(language, f'severity.{s}').lower()}" for s, g in open_groups.items()) or "-"
    accepted = sum(1 for f in findings if f.accepted is not None)
    summary = say(language, "label.findings", count=len(findings) - accepted, counts=counts)
    if accepted:
        summary += f", {accepted} {say(language, 'label.accepted')}"
    return summary


# ---------------------------------------------------------------- the Markdown report

#: The words of the reports' headings and labels, in English and Dutch.
REPORT_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "summary": "Summary",
        "source": "Source",
        "personas": "Personas and their burden",
        "persona": "Persona",
        "goals": "Goals",
        "burden": "Burden (plan)",
        "findings": "Findings",
        "diagram": "The case",
        "interventions": "Interventions",
        "resolves": "Resolves",
        "introduces": "Introduces",
        "owner": "Who can do it",
        "nothing": "nothing",
        "reachable": "reachable",
        "unreachable": "out of reach",
        "no_interventions": "The case has no interventions.",
        "generated": "Made with kafka-tool from case",
        "id": "id",
        "could_not": "Could not apply",
        "before": "before",
        "after": "after",
        "stale": "Accepted finding {id} no longer occurs.",
    },
    "nl": {
        "summary": "Samenvatting",
        "source": "Bron",
        "personas": "Persona's en hun last",
        "persona": "Persona",
        "goals": "Doelen",
        "burden": "Last (plan)",
        "findings": "Bevindingen",
        "diagram": "De casus",
        "interventions": "Interventies",
        "resolves": "Lost op",
        "introduces": "Nieuw probleem",
        "owner": "Wie kan het doen",
        "nothing": "niets",
        "reachable": "bereikbaar",
        "unreachable": "onbereikbaar",
        "no_interventions": "De casus heeft geen interventies.",
        "generated": "Gemaakt met kafka-tool uit casus",
        "id": "id",
        "could_not": "Niet toe te passen",
        "before": "voor",
        "after": "na",
        "stale": "Geaccepteerde bevinding {id} komt niet meer voor.",
    },
}


def report_word(language: str, key: str) -> str:
    """The report word ``key`` in ``language`` (English when missing)."""
    return REPORT_WORDS.get(language, REPORT_WORDS["en"]).get(key, REPORT_WORDS["en"][key])


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class DiagramLinks:
    """A report's diagrams: where each one is, and why one is not drawn.

    Keys are ``"case"`` and ``"finding-<id>"``. ``files`` holds the relative
    path of each drawn diagram; ``notes`` the sentence shown instead of one that
    is not drawn; ``summary`` a sentence shown once under the findings' heading
    (how many findings have a diagram).
    """

    files: Mapping[str, str] = field(default_factory=dict)
    notes: Mapping[str, str] = field(default_factory=dict)
    summary: str | None = None

    def markdown(self, key: str, alt: str) -> list[str]:
        """The lines that show diagram ``key`` (an image, or the note saying why there is none)."""
        if key in self.files:
            return [md.image(alt, self.files[key]), ""]
        if key in self.notes:
            return [f"*{md.text(self.notes[key])}*", ""]
        return []


def intervention_comparisons(analysis: Analysis) -> list[tuple[str, Comparison | str]]:
    """Each intervention of the case on its own: its comparison, or why it cannot be applied."""
    from .interventions import compare

    out: list[tuple[str, Comparison | str]] = []
    for item in analysis.case.interventions:
        try:
            out.append((item.id, compare(analysis.case, [item.id], analysis)))
        except KafkaToolError as error:
            out.append((item.id, str(error)))
    return out


def _goals_words(analysis: Analysis, goals: Mapping[str, bool]) -> str:
    lang = analysis.case.language
    words = {True: report_word(lang, "reachable"), False: report_word(lang, "unreachable")}
    return "; ".join(f"{analysis.index.name(g)}: {words[ok]}" for g, ok in goals.items())


def to_markdown(
    analysis: Analysis,
    persona: str | None = None,
    *,
    diagrams: DiagramLinks | None = None,
    interventions: bool = False,
) -> str:
    """The Markdown report: summary, personas, findings by severity, and what ``diagrams`` and ``interventions`` add.

    ``analyze --format markdown`` prints it as it is; the ``md`` export passes
    the diagrams it draws and asks for the interventions. Everything that comes
    from the case is escaped, so a name cannot add a heading, a link, an image
    or HTML to the report.
    """
    case = analysis.case
    lang = case.language
    links = diagrams if diagrams is not None else DiagramLinks()
    findings = analysis.for_persona(persona) if persona else analysis.findings
    out = [f"# {md.text(case.title)}", ""]
    if case.summary:
        out += [md.text(case.summary), ""]
    if case.source:
        out += [f"*{md.text(report_word(lang, 'source'))}:* {md.text(case.source)}", ""]
    if "case" in links.files or "case" in links.notes:
        out += [f"## {md.text(report_word(lang, 'diagram'))}", "", *links.markdown("case", case.title)]
    personas = [p for p in analysis.personas if persona is None or p.id == persona]
    if personas:
        heads = [md.text(report_word(lang, key)) for key in ("persona", "goals", "burden")]
        out += [f"## {md.text(report_word(lang, 'personas'))}", "", "| " + " | ".join(heads) + " |", "|---|---|---|"]
        for result in personas:
            cells = [
                analysis.index.name(result.id),
                _goals_words(analysis, result.goals_reachable),
                burden_words(lang, result.burden.to_json()),
            ]
            out.append("| " + " | ".join(md.text(c) for c in cells) + " |")
        out.append("")
    out += [f"## {md.text(report_word(lang, 'findings'))}", "", md.text(findings_summary(findings, lang)), ""]
    if links.summary:
        out += [f"*{md.text(links.summary)}*", ""]
    if not findings:
        out += [md.text(say(lang, "label.no_findings")), ""]
    for severity, group in _grouped(findings).items():
        out += [f"### {md.text(say(lang, f'severity.{severity}'))} ({md.text(_open_count(group, lang))})", ""]
        for finding in group:
            out += _finding_markdown(analysis, finding, links)
    if interventions:
        out += _interventions_markdown(analysis)
    for stale in analysis.stale_accepted:
        # The sentence is ours and holds no markup; only the id in it is filled in, as code.
        out += ["> " + md.text(report_word(lang, "stale")).replace("{id}", md.code(stale)), ""]
    return "\n".join(out).rstrip() + "\n"


def _finding_markdown(analysis: Analysis, finding: Finding, links: DiagramLinks) -> list[str]:
    lang = analysis.case.language
    accepted_word = say(lang, "label.accepted")
    accepted = f" *({md.text(accepted_word)})*" if finding.accepted is not None else ""
    out = [
        f"#### {md.text(finding.title)}{accepted}",
        "",
        f"{md.code(finding.id)} · {md.text(finding.kind)}",
        "",
        md.text(finding.explanation),
        "",
    ]
    evidence = _extra_evidence(finding)
    out += [f"- {md.text(item)}" for item in evidence]
    if evidence:
        out.append("")
    if finding.actors:
        who = ", ".join(analysis.index.name(a) for a in finding.actors)
        out += [f"**{md.text(_capital(say(lang, 'label.who')))}:** {md.text(who)}", ""]
    if finding.accepted is not None:
        out += [f"**{md.text(_capital(accepted_word))}:** {md.text(finding.accepted)}", ""]
    out += links.markdown(f"finding-{finding.id}", finding.title)
    return out


def _interventions_markdown(analysis: Analysis) -> list[str]:
    case = analysis.case
    lang = case.language
    out = [f"## {md.text(report_word(lang, 'interventions'))}", ""]
    comparisons = intervention_comparisons(analysis)
    if not comparisons:
        out += [md.text(report_word(lang, "no_interventions")), ""]
    for ident, result in comparisons:
        item = case.intervention(ident)
        out += [f"### {md.text(item.title if item is not None else ident)}", "", md.code(ident), ""]
        if isinstance(result, str):
            out += [f"{md.text(report_word(lang, 'could_not'))}: {md.text(result)}", ""]
            continue
        if item is not None and item.owner:
            out += [f"*{md.text(report_word(lang, 'owner'))}:* {md.text(analysis.index.name(item.owner))}", ""]
        for label, found in (("resolves", result.resolved), ("introduces", result.introduced)):
            titles = ", ".join(md.text(x.title) for x in found) or md.text(report_word(lang, "nothing"))
            out += [f"**{md.text(report_word(lang, label))}:** {titles}", ""]
    return out


def comparison_text(comparisons: list[Comparison], ranked: bool = False, colour: bool = True) -> str:
    """Before and after, for people; with ``ranked``, the action plan (best first)."""
    lines: list[str] = []
    if ranked and comparisons:
        lines.append(_style("Action plan: interventions ranked by what they achieve", colour, bold=True,
                            underline=True))
        for n, comparison in enumerate(comparisons, 1):
            gained, critical, net, days, _cost = comparison.score()
            intervention = comparison.case.intervention(comparison.intervention_ids[0])
            owner = comparison.before.index.name(intervention.owner) if intervention and intervention.owner \
                else "no owner named"
            title = intervention.title if intervention else comparison.label
            lines.append(f"  {n}. {title} ({comparison.label})")
            lines.append(f"     owner: {owner}; goals made reachable: {gained}; critical resolved: {critical}; "
                         f"findings resolved−introduced: {net}; days saved: {days:g}")
        lines.append("")
    for comparison in comparisons:
        index = comparison.before.index
        titles = [comparison.case.intervention(i) for i in comparison.intervention_ids]
        heading = " + ".join(t.title for t in titles if t is not None)
        lines.append(_style(heading, colour, bold=True))
        owners = [index.name(t.owner) for t in titles if t is not None and t.owner]
        lines.append(f"  {comparison.label} · owner: {', '.join(owners) or 'not named'}")
        lines.append(_style(f"  Resolves ({len(comparison.resolved)})", colour, fg="green", bold=True))
        for finding in comparison.resolved:
            lines.append(f"    ✓ [{finding.severity}] {finding.title}")
        lines.append(_style(f"  Introduces ({len(comparison.introduced)})", colour,
                            fg="red" if comparison.introduced else "white", bold=True))
        for finding in comparison.introduced:
            lines.append(f"    ✗ [{finding.severity}] {finding.title}")
        lines.append(_style("  Personas", colour, bold=True))
        for change in comparison.personas:
            lines.append(f"    {index.name(change.id)}")
            for goal, ok in change.after["goals_reachable"].items():
                was = change.before["goals_reachable"].get(goal, False)
                mark = "✓" if ok else "✗"
                note = "" if was == ok else ("  (now reachable)" if ok else "  (no longer reachable)")
                lines.append(f"      {mark} {index.name(goal)}{note}")
            lang = comparison.case.language
            before = burden_words(lang, change.before["burden"])
            after = burden_words(lang, change.after["burden"])
            lines.append(f"      burden: {before}" + ("" if before == after else f"  →  {after}"))
        expected = comparison.expected_check()
        if expected:
            marks = ", ".join(f"{kind} {'✓' if ok else '✗ not resolved'}" for kind, ok in expected.items())
            lines.append(f"  expected to resolve: {marks}")
        lines.append("")
    return "\n".join(lines)
