"""Exports: Graphviz diagrams of a case (DOT, SVG, PNG, PDF), charts and reports (HTML, Markdown, CSV).

The small public API::

    from exports import case_diagram, render, export
    source = case_diagram(analysis).to_dot()     # pure Python, no binary needed
    png = render(source, "png")                  # needs Graphviz's dot
    export(Path("case.yaml"), "svg", Path("out/"))

The modules, each with one job:

- :mod:`exports.scene`: the elements of a diagram (boxes, arrows, rule lines, lanes) and
  their marks and tags, without colours and without words of their own;
- :mod:`exports.views`: the case, finding, persona, journey and intervention views, each
  building a scene from an analysis, in the case's language; :mod:`exports.timeline` a
  persona's steps on a day axis;
- :mod:`exports.means`: the chart of a persona's means along a money attribute, drawn
  with matplotlib (no Graphviz);
- :mod:`exports.marking`: a finding drawn by its kind's mark from the registry
  (:mod:`kafka_tool.analysis.kinds`), along its trails;
- :mod:`exports.theme`: what each mark looks like (one ordered table of precedence per
  element), the legend entries and the words of the finding marks' tags;
- :mod:`exports.dot`: the DOT writer (the ``graphviz`` package's ``Digraph``) and the
  limits of what is handed to Graphviz; :mod:`exports.render` runs ``dot``;
- :mod:`exports.writer`, :mod:`exports.reports`: the files an export writes.

This package imports :mod:`kafka_tool`; the core never imports it.
"""

from __future__ import annotations

from .render import DotNotFound, RenderError, dot_available, render, run_dot
from .reports import csv_report, html_report, markdown_report
from .scene import Diagram, ExportError
from .timeline import timeline_diagram
from .views import (
    LAYERS,
    case_diagram,
    finding_diagram,
    intervention_diagram,
    journey_diagram,
    journey_keys,
    parse_layers,
    persona_diagram,
)
from .writer import FORMATS, ExportUsageError, View, export, safe_name

__all__ = [
    "FORMATS",
    "LAYERS",
    "Diagram",
    "DotNotFound",
    "ExportError",
    "ExportUsageError",
    "RenderError",
    "View",
    "case_diagram",
    "csv_report",
    "dot_available",
    "export",
    "finding_diagram",
    "html_report",
    "intervention_diagram",
    "journey_diagram",
    "journey_keys",
    "markdown_report",
    "parse_layers",
    "persona_diagram",
    "render",
    "run_dot",
    "safe_name",
    "timeline_diagram",
]
