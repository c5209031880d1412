"""Reports for the people who own the rules: one HTML page, Markdown with SVG files, CSV for trackers.

The HTML report is self-contained: styles and diagrams are inlined, nothing
is fetched from the network, and it prints cleanly. The Markdown report is the
core's one Markdown writer (:func:`kafka_tool.report.to_markdown`, which
escapes every piece of text from the case) with the links to its SVG files
added; the CSV goes through the core's one CSV writer
(:func:`kafka_tool.tabular.csv_text`, which neutralises formulas).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence

from kafka_tool.analysis.engine import Analysis
from kafka_tool.analysis.texts import burden_words, say
from kafka_tool.findings import Finding
from kafka_tool.report import DiagramLinks, findings_summary, intervention_comparisons, report_word, to_markdown
from kafka_tool.tabular import csv_text

from .dot import LAYERS, Diagram, case_diagram, finding_diagram
from .render import render

__all__ = [
    "CSV_COLUMNS",
    "csv_report",
    "html_report",
    "inline_svg",
    "markdown_report",
    "report_diagrams",
]

#: The columns of the CSV report, in order.
CSV_COLUMNS = ("id", "kind", "severity", "title", "explanation", "personas", "actors", "rules", "nodes", "accepted")


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


def report_diagrams(analysis: Analysis, layers: Sequence[str] = LAYERS) -> dict[str, Diagram]:
    """The diagrams a report shows: ``case`` and ``finding-<id>`` for each finding."""
    diagrams = {"case": case_diagram(analysis, layers)}
    for finding in analysis.findings:
        diagrams[f"finding-{finding.id}"] = finding_diagram(analysis, finding.id, layers)
    return diagrams


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
    report (or is a :class:`~kafka_tool.report.DiagramLinks`); paths are
    percent-encoded in the links.
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
.ok { color: #1e8449; } .bad { color: #c0392b; font-weight: bold; }
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


def html_report(analysis: Analysis, layers: Sequence[str] = LAYERS) -> str:
    """One self-contained HTML page: summary, personas, findings with their diagrams, interventions."""
    case = analysis.case
    lang = case.language
    diagrams = report_diagrams(analysis, layers)
    svgs = {key: inline_svg(render(d.to_dot(), "svg"), f"d{n}") for n, (key, d) in enumerate(diagrams.items())}
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
    out.append(f"<figure>{svgs['case']}</figure>")
    out.append(f"<h2>{_e(_h(lang, 'findings'))}</h2>")
    for f in analysis.findings:
        out.append(_finding_html(analysis, f, svgs.get(f"finding-{f.id}")))
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


def _finding_html(analysis: Analysis, f: Finding, svg: str | None) -> str:
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
    if svg:
        parts.append(f"<figure>{svg}</figure>")
    parts.append("</section>")
    return "\n".join(parts)
