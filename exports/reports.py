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

import base64
import functools
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources

import jinja2
from markupsafe import Markup

from kafka_tool.analysis.engine import Analysis
from kafka_tool.i18n import N_, words
from kafka_tool.report import DiagramLinks, build_report, to_markdown
from kafka_tool.tabular import csv_text

from .dot import MAX_LAYOUT_ELEMENTS
from .means import means_image, persona_charts
from .render import render
from .scene import Diagram, DiagramTooLarge, ExportError
from .views import LAYERS, case_diagram, finding_diagram

__all__ = [
    "CSV_COLUMNS",
    "REPORT_DIAGRAMS",
    "REPORT_DIAGRAMS_VARIABLE",
    "ReportDiagrams",
    "csv_columns",
    "csv_report",
    "diagram_limit",
    "html_report",
    "inline_svg",
    "markdown_report",
    "report_diagrams",
]

#: The columns of the CSV report, in order (in English; the header is in the case's language, see :func:`csv_columns`).
CSV_COLUMNS = (N_("id"), N_("kind"), N_("severity"), N_("title"), N_("explanation"), N_("personas"), N_("actors"),
               N_("rules"), N_("nodes"), N_("accepted"))

#: How many findings a report draws a diagram for, unless told otherwise.
REPORT_DIAGRAMS = 50
#: The environment variable that sets another number.
REPORT_DIAGRAMS_VARIABLE = "KAFKA_TOOL_REPORT_DIAGRAMS"


def csv_columns(language: str) -> tuple[str, ...]:
    """The header of the CSV report in ``language`` (the cells of ``kind`` and ``severity`` stay ids).

    >>> csv_columns("nl")[:3]
    ('id', 'soort', 'ernst')
    """
    say = words(language)
    return tuple(say.say(column) for column in CSV_COLUMNS)


def csv_report(analysis: Analysis) -> str:
    """The findings as CSV, one row a finding (lists joined with ``; ``), for a tracker or spreadsheet.

    The header is in the case's language; the ids, kinds and severities are the ids of the JSON
    output. Every cell is text, neutralised against formulas (see :mod:`kafka_tool.tabular`).
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
    return csv_text(csv_columns(analysis.case.language), rows)


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
        say = words(language)
        return say.say("Not drawn: this diagram has {size} boxes and arrows, more than the {limit} Graphviz is given "
                       "to lay out. `kafka-tool export CASE --format svg --finding ID` (or `--layers ...`) draws a "
                       "part of it.", size=say.count(diagram.size), limit=say.count(MAX_LAYOUT_ELEMENTS))
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
            "Diagrams are drawn for the first {shown} of {total} findings, by severity; the other {rest} are "
            "listed without one ({limit} at most; `kafka-tool export CASE --format svg --finding ID` draws any "
            "finding, `--diagrams N` draws more).", shown=limit, total=len(findings), rest=len(findings) - limit,
            limit=limit)
    return out


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


def inline_svg(svg: bytes | str, prefix: str) -> str:
    """SVG from ``dot`` ready to inline: no XML prolog, DOCTYPE or comments; ids made unique with ``prefix``."""
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    text = re.sub(r"<\?xml[^>]*\?>", "", text)
    text = re.sub(r"<!DOCTYPE[^>]*>", "", text)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r' id="([^"]*)"', lambda m: f' id="{prefix}-{m.group(1)}"', text)
    return text.strip()


@functools.cache
def _templates() -> jinja2.Environment:
    # Autoescaping everywhere: a name from the case can never become markup in the page.
    return jinja2.Environment(
        loader=jinja2.PackageLoader("exports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def html_report(analysis: Analysis, layers: Sequence[str] = LAYERS, diagrams: int | None = None) -> str:
    """One self-contained HTML page: summary, personas, findings with their diagrams, interventions.

    Each persona with means (a money attribute, and goals with a value) gets the chart of
    its means along each money attribute (:mod:`exports.means`), with a caption, under the
    personas' table.

    Laid out by ``templates/report.html.j2`` from the core's report model
    (:func:`kafka_tool.report.build_report`); ``diagrams`` is how many findings get a
    diagram (see :func:`report_diagrams`).
    """
    report = build_report(analysis, interventions=True)
    drawn = report_diagrams(analysis, layers, diagrams)
    say = words(analysis.case.language)
    # A chart goes in as an image of its own: matplotlib's SVG has ids and a style of its own that,
    # inlined, would clash with the page's and the diagrams'.
    means = [(analysis.index.name(persona), [(chart.caption, "data:image/svg+xml;base64,"
                                              + base64.b64encode(means_image(chart, "svg")).decode("ascii"))
                                             for chart in charts])
             for persona, charts in persona_charts(analysis)]
    svgs = {key: inline_svg(render(source, "svg"), f"d{n}") for n, (key, source) in enumerate(drawn.sources.items())}

    def figure(key: str) -> Markup:
        if key in svgs:
            return Markup(f"<figure>{svgs[key]}</figure>")  # SVG made by dot from escaped labels
        if key in drawn.notes:
            return Markup('<p class="note">{}</p>').format(drawn.notes[key])
        return Markup("")

    environment = _templates()
    css = (resources.files("exports") / "templates" / "report.css").read_text(encoding="utf-8")
    return environment.get_template("report.html.j2").render(
        language=report.language, report=report, h=report.headings, diagrams=drawn, figure=figure, css=Markup(css),
        means=means, means_heading=say.say("Means a month, and where earning more leaves less"))
