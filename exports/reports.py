"""Reports for the people who own the rules: one HTML page, Markdown with SVG files, CSV for trackers.

The HTML report is self-contained: styles and diagrams are inlined, nothing
is fetched from the network, and it prints cleanly. The Markdown report is the
core's one Markdown writer (:func:`kafka_tool.report.to_markdown`, which
escapes every piece of text from the case) with the links to its SVG files
added; the CSV goes through the core's one CSV writer
(:func:`kafka_tool.tabular.csv_text`, which neutralises formulas).

Limits (see :func:`report_diagrams`):

- a report draws the case diagram and one diagram for each of the first
  :data:`REPORT_DIAGRAMS` findings (50) in the report's order, most severe
  first; ``export --diagrams N``, the ``diagrams`` argument or the
  ``KAFKA_TOOL_REPORT_DIAGRAMS`` environment variable set another number (0:
  none). Every finding is listed; the report says how many have a diagram and
  how to draw the others;
- a diagram with more than :data:`~exports.dot.MAX_LAYOUT_ELEMENTS` boxes and
  arrows is not drawn; the report says so where it would have been.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kafka_tool.analysis.engine import Analysis
from kafka_tool.analysis.texts import burden_words, say
from kafka_tool.findings import Finding
from kafka_tool.i18n import words
from kafka_tool.report import DiagramLinks, findings_summary, intervention_comparisons, report_word, to_markdown
from kafka_tool.tabular import csv_text

from .dot import LAYERS, MAX_LAYOUT_ELEMENTS, Diagram, DiagramTooLarge, ExportError, case_diagram, finding_diagram
from .render import render

__all__ = [
    "CSV_COLUMNS",
    "REPORT_DIAGRAMS",
    "REPORT_DIAGRAMS_VARIABLE",
    "ReportDiagrams",
    "csv_report",
    "diagram_limit",
    "html_report",
    "inline_svg",
    "markdown_report",
    "report_diagrams",
]

#: The columns of the CSV report, in order.
CSV_COLUMNS = ("id", "kind", "severity", "title", "explanation", "personas", "actors", "rules", "nodes", "accepted")

#: How many findings a report draws a diagram for, unless told otherwise.
REPORT_DIAGRAMS = 50
#: The environment variable that sets another number.
REPORT_DIAGRAMS_VARIABLE = "KAFKA_TOOL_REPORT_DIAGRAMS"


def _h(language: str, key: str) -> str:
    return report_word(language, key)


def csv_report(analysis: Analysis) -> str:
    """The findings as CSV, one row a finding (lists joined with ``; ``), for a tracker or spreadsheet.

    Every cell is text, neutralised against formulas (see :mod:`kafka_tool.tabular`).
    """
    rows = (
        [
            f.id,
            f.kind,
            f.severity,
            f.title,
            f.explanation,
            "; ".join(f.personas),
            "; ".join(f.actors),
            "; ".join(f.rules),
            "; ".join(f.nodes),
            f.accepted or "",
        ]
        for f in analysis.findings
    )
    return csv_text(CSV_COLUMNS, rows)


def diagram_limit(value: int | None = None) -> int:
    """How many findings get a diagram: ``value``, else ``$KAFKA_TOOL_REPORT_DIAGRAMS``, else 50."""
    if value is not None:
        if value < 0:
            raise ExportError(f"the number of finding diagrams cannot be negative ({value})")
        return value
    raw = os.environ.get(REPORT_DIAGRAMS_VARIABLE, "").strip()
    if not raw:
        return REPORT_DIAGRAMS
    if not raw.isdigit():
        raise ExportError(f"{REPORT_DIAGRAMS_VARIABLE} must be a whole number of 0 or more, not '{raw}'")
    return int(raw)


@dataclass
class ReportDiagrams:
    """What a report draws: diagrams by key (``case``, ``finding-<id>``), and why the others are not drawn."""

    diagrams: dict[str, Diagram] = field(default_factory=dict)
    #: the DOT text of each diagram in ``diagrams``, made (and checked against its size limit) once
    sources: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    summary: str | None = None

    def links(self, files: Mapping[str, str]) -> DiagramLinks:
        """The core report's view of these diagrams, drawn into ``files`` (key to relative path)."""
        return DiagramLinks(files=dict(files), notes=dict(self.notes), summary=self.summary)


def _drawable(diagram: Diagram, language: str) -> str | None:
    """Why ``diagram`` cannot be drawn (in the case's language), or None when it can."""
    if diagram.size > MAX_LAYOUT_ELEMENTS:
        return words(language).say(
            "Not drawn: this diagram has {size} boxes and arrows, more than the {limit} Graphviz is given to lay "
            "out. `kafka-tool export CASE --format svg --finding ID` (or `--layers ...`) draws a part of it.",
            size=f"{diagram.size:,}", limit=f"{MAX_LAYOUT_ELEMENTS:,}")
    return None


def report_diagrams(analysis: Analysis, layers: Sequence[str] = LAYERS, limit: int | None = None) -> ReportDiagrams:
    """The diagrams a report shows: the case, and each of the first ``limit`` findings (see :func:`diagram_limit`).

    A diagram too large to lay out is left out with a note; when findings are
    left without a diagram, :attr:`ReportDiagrams.summary` says how many and
    how to draw them. Nothing is rendered here.
    """
    lang = analysis.case.language
    limit = diagram_limit(limit)
    out = ReportDiagrams()
    candidates = [("case", lambda: case_diagram(analysis, layers))]
    findings = analysis.findings
    for finding in findings[:limit]:
        candidates.append((f"finding-{finding.id}", lambda f=finding: finding_diagram(analysis, f.id, layers)))
    for key, make in candidates:
        diagram = make()
        reason = _drawable(diagram, lang)
        if reason is None:
            try:
                out.sources[key] = diagram.to_dot()
            except DiagramTooLarge as error:
                reason = words(lang).say("Not drawn: {reason}.", reason=str(error))
            else:
                out.diagrams[key] = diagram
                continue
        out.notes[key] = reason
    if len(findings) > limit:
        out.summary = words(lang).say(
            "Diagrams are drawn for the first {shown} of {total} findings, by severity; the other {rest} are listed "
            "without one ({limit} at most; `kafka-tool export CASE --format svg --finding ID` draws any finding, "
            "`--diagrams N` draws more).",
            shown=limit, total=len(findings), rest=len(findings) - limit, limit=limit)
    return out


def _goals(analysis: Analysis, goals: Mapping[str, bool]) -> str:
    lang = analysis.case.language
    return "; ".join(
        f"{analysis.index.name(g)}: {_h(lang, 'reachable' if ok else 'unreachable')}" for g, ok in goals.items()
    )


def _burden(analysis: Analysis, burden: Mapping[str, object]) -> str:
    return burden_words(analysis.case.language, dict(burden))


# ---------------------------------------------------------------- Markdown


def markdown_report(analysis: Analysis, diagrams: DiagramLinks | Mapping[str, str]) -> str:
    """The core's Markdown report with its interventions, showing the SVG files of ``diagrams``.

    ``diagrams`` maps a diagram key to the SVG file's path relative to the
    report (or is a :class:`~kafka_tool.report.DiagramLinks` with notes);
    paths are percent-encoded in the links.
    """
    links = diagrams if isinstance(diagrams, DiagramLinks) else DiagramLinks(files=dict(diagrams))
    return to_markdown(analysis, diagrams=links, interventions=True)


# ---------------------------------------------------------------- HTML

_CSS = """
body { font-family: Helvetica, Arial, sans-serif; color: #2c3e50; max-width: 70rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.7rem; } h2 { border-bottom: 1px solid #aab7b8; padding-bottom: .2rem; margin-top: 2rem; }
.finding { border-left: 6px solid #aab7b8; padding: .3rem 1rem; margin: 1.2rem 0; page-break-inside: avoid; }
.finding.critical { border-color: #c0392b; } .finding.high { border-color: #d35400; }
.finding.medium { border-color: #b9770e; } .finding.low { border-color: #7f8c8d; }
.severity { font-weight: bold; text-transform: uppercase; font-size: .8rem; letter-spacing: .05em; }
.id { font-family: monospace; color: #7f8c8d; font-size: .8rem; }
.accepted { color: #1e8449; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #d5d8dc; padding: .3rem .5rem;
  text-align: left; vertical-align: top; }
figure { margin: 1rem 0; overflow-x: auto; } svg { max-width: 100%; height: auto; }
.ok { color: #1e8449; } .bad { color: #c0392b; font-weight: bold; } .note { color: #7f8c8d; font-style: italic; }
footer { margin-top: 3rem; color: #7f8c8d; font-size: .8rem; }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  h2 { page-break-before: always; } h2.first { page-break-before: avoid; }
  figure { overflow: visible; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def inline_svg(svg: bytes | str, prefix: str) -> str:
    """SVG from ``dot`` ready to inline: no XML prolog, DOCTYPE or comments; ids made unique with ``prefix``."""
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    text = re.sub(r"<\?xml[^>]*\?>", "", text)
    text = re.sub(r"<!DOCTYPE[^>]*>", "", text)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r' id="([^"]*)"', lambda m: f' id="{prefix}-{m.group(1)}"', text)
    return text.strip()


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def html_report(analysis: Analysis, layers: Sequence[str] = LAYERS, diagrams: int | None = None) -> str:
    """One self-contained HTML page: summary, personas, findings with their diagrams, interventions.

    ``diagrams`` is how many findings get a diagram (see :func:`report_diagrams`).
    """
    case = analysis.case
    lang = case.language
    drawn = report_diagrams(analysis, layers, diagrams)
    svgs = {key: inline_svg(render(source, "svg"), f"d{n}") for n, (key, source) in enumerate(drawn.sources.items())}
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(case.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(case.title)}</h1>",
    ]
    out.append(f'<h2 class="first">{_e(_h(lang, "summary"))}</h2>')
    if case.summary:
        out.append(f"<p>{_e(case.summary.strip())}</p>")
    if case.source:
        out.append(f"<p><em>{_e(_h(lang, 'source'))}:</em> {_e(case.source.strip())}</p>")
    out.append(f"<p>{_e(findings_summary(analysis.findings, lang))}</p>")
    out.append(f"<h2>{_e(_h(lang, 'personas'))}</h2>")
    out.append(
        f"<table><tr><th>{_e(_h(lang, 'persona'))}</th><th>{_e(_h(lang, 'goals'))}</th>"
        f"<th>{_e(_h(lang, 'burden'))}</th></tr>"
    )
    for p in analysis.personas:
        goals = "<br>".join(
            f'{_e(analysis.index.name(g))}: <span class="{"ok" if ok else "bad"}">'
            f"{_e(_h(lang, 'reachable' if ok else 'unreachable'))}</span>"
            for g, ok in p.goals_reachable.items()
        )
        plan = " → ".join(analysis.index.name(t) for t in p.plan)
        out.append(
            f"<tr><td>{_e(analysis.index.name(p.id))}</td><td>{goals}</td>"
            f"<td>{_e(_burden(analysis, p.burden.to_json()))}"
            + (f"<br><small>{_e(plan)}</small>" if plan else "")
            + "</td></tr>"
        )
    out.append("</table>")
    out.append(f"<h2>{_e(_h(lang, 'diagram'))}</h2>")
    out.append(_figure(svgs.get("case"), drawn.notes.get("case")))
    out.append(f"<h2>{_e(_h(lang, 'findings'))}</h2>")
    if drawn.summary:
        out.append(f'<p class="note">{_e(drawn.summary)}</p>')
    for f in analysis.findings:
        key = f"finding-{f.id}"
        out.append(_finding_html(analysis, f, _figure(svgs.get(key), drawn.notes.get(key))))
    out.append(f"<h2>{_e(_h(lang, 'interventions'))}</h2>")
    comparisons = intervention_comparisons(analysis)
    if not comparisons:
        out.append(f"<p>{_e(_h(lang, 'no_interventions'))}</p>")
    for ident, result in comparisons:
        item = case.intervention(ident)
        out.append(f"<h3>{_e(item.title if item is not None else ident)}</h3>")
        out.append(f'<p class="id">{_e(ident)}</p>')
        if item is not None and item.description:
            out.append(f"<p>{_e(item.description.strip())}</p>")
        if isinstance(result, str):
            out.append(f'<p class="bad">{_e(_h(lang, "could_not"))}: {_e(result)}</p>')
            continue
        if item is not None and item.owner:
            out.append(f"<p><em>{_e(_h(lang, 'owner'))}:</em> {_e(analysis.index.name(item.owner))}</p>")
        for label, found in (("resolves", result.resolved), ("introduces", result.introduced)):
            items = "".join(f'<li>{_e(x.title)} <span class="id">{_e(x.id)}</span></li>' for x in found)
            out.append(
                f"<p><strong>{_e(_h(lang, label))}:</strong></p>"
                + (f"<ul>{items}</ul>" if items else f"<p>{_e(_h(lang, 'nothing'))}</p>")
            )
        rows = []
        for change in result.personas:
            before, after = change.before, change.after
            rows.append(
                f"<tr><td>{_e(analysis.index.name(change.id))}</td>"
                f"<td>{_e(_goals(analysis, before['goals_reachable']))}<br>"
                f"<small>{_e(_burden(analysis, before['burden']))}</small></td>"
                f"<td>{_e(_goals(analysis, after['goals_reachable']))}<br>"
                f"<small>{_e(_burden(analysis, after['burden']))}</small></td></tr>"
            )
        if rows:
            out.append(
                f"<table><tr><th>{_e(_h(lang, 'persona'))}</th><th>{_e(_h(lang, 'before'))}</th>"
                f"<th>{_e(_h(lang, 'after'))}</th></tr>"
                + "".join(rows)
                + "</table>"
            )
    out.append(f"<footer>{_e(_h(lang, 'generated'))} {_e(case.id)}</footer>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _figure(svg: str | None, note: str | None) -> str:
    """A drawn diagram, or the note saying why it is not drawn, or nothing."""
    if svg:
        return f"<figure>{svg}</figure>"
    if note:
        return f'<p class="note">{_e(note)}</p>'
    return ""


def _finding_html(analysis: Analysis, f: Finding, figure: str) -> str:
    lang = analysis.case.language
    parts = [
        f'<section class="finding {_e(f.severity)}">',
        f'<div class="severity">{_e(say(lang, f"severity.{f.severity}"))}</div>',
        f"<h3>{_e(f.title)}</h3>",
        f"<p>{_e(f.explanation)}</p>",
    ]
    parts += [f"<p><small>· {_e(e)}</small></p>" for e in f.evidence]
    if f.accepted is not None:
        parts.append(f'<p class="accepted">{_e(say(lang, "label.accepted"))}: {_e(f.accepted)}</p>')
    parts.append(f'<p class="id">{_e(f.id)}</p>')
    if figure:
        parts.append(figure)
    parts.append("</section>")
    return "\n".join(parts)
