"""Analysis results as text for people, JSON for programs, Markdown for reports.

Every format is deterministic: the same case gives the same bytes.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Iterator
from typing import Any

from .analysis.engine import Analysis
from .analysis.texts import burden_words, say
from .findings import SEVERITIES, Finding, PersonaResult
from .interventions import Comparison

__all__ = ["findings_json", "to_json_text", "iter_json_text", "to_text", "to_markdown", "SEVERITY_COLOURS"]

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
    # Accepted findings no longer count against the case: the counts are of the others.
    open_groups = _grouped([f for f in findings if f.accepted is None])
    counts = ", ".join(f"{len(g)} {say(lang, f'severity.{s}').lower()}" for s, g in open_groups.items()) or "-"
    accepted = sum(1 for f in findings if f.accepted is not None)
    summary = say(lang, "label.findings", count=len(findings) - accepted, counts=counts)
    if accepted:
        summary += f", {accepted} {say(lang, 'label.accepted')}"
    lines.append(summary)
    return "\n".join(lines) + "\n"


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(analysis: Analysis, persona: str | None = None) -> str:
    """Findings as Markdown, for pasting into a report."""
    case = analysis.case
    findings = analysis.for_persona(persona) if persona else analysis.findings
    out = [f"# {case.title}", ""]
    if case.summary:
        out += [case.summary.strip(), ""]
    personas = [p for p in analysis.personas if persona is None or p.id == persona]
    if personas:
        out += ["## Personas", "", "| persona | goals | steps | organisations | days | cost |",
                "|---|---|---|---|---|---|"]
        for result in personas:
            goals = ", ".join(
                f"{analysis.index.name(g)} {'✓' if ok else '✗'}" for g, ok in result.goals_reachable.items()
            )
            b = result.burden.to_json()
            out.append(f"| {_md_escape(analysis.index.name(result.id))} | {_md_escape(goals)} | "
                       f"{b['steps']} | {b['actors']} | {b['days']} | {b['cost']} |")
        out.append("")
    out += ["## Findings", ""]
    if not findings:
        out += ["No findings.", ""]
    for severity, group in _grouped(findings).items():
        out += [f"### {severity.capitalize()} ({_open_count(group, 'en')})", ""]
        for finding in group:
            accepted = " *(accepted)*" if finding.accepted is not None else ""
            out += [f"#### {_md_escape(finding.title)}{accepted}", "", f"`{finding.id}` · {finding.kind}", "",
                    finding.explanation, ""]
            evidence = _extra_evidence(finding)
            for item in evidence:
                out.append(f"- {item}")
            if evidence:
                out.append("")
            if finding.actors:
                out += ["**Who can act:** " + ", ".join(analysis.index.name(a) for a in finding.actors), ""]
            if finding.accepted is not None:
                out += [f"**Accepted:** {finding.accepted}", ""]
    for stale in analysis.stale_accepted:
        out += [f"> Accepted finding `{stale}` no longer occurs.", ""]
    return "\n".join(out).rstrip() + "\n"


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
