"""Exports: Graphviz diagrams of a case (DOT, SVG, PNG, PDF) and reports (HTML, Markdown, CSV).

The small public API::

    from exports import case_diagram, render, export
    source = case_diagram(analysis).to_dot()     # pure Python, no binary needed
    png = render(source, "png")                  # needs Graphviz's dot
    export(Path("case.yaml"), "svg", Path("out/"))

This package imports :mod:`kafka_tool`; the core never imports it.
"""

from __future__ import annotations

from .dot import (
    LAYERS,
    Diagram,
    ExportError,
    case_diagram,
    finding_diagram,
    intervention_diagram,
    journey_diagram,
    journey_keys,
    parse_layers,
    persona_diagram,
)
from .render import DotNotFound, RenderError, dot_available, render, run_dot
from .reports import csv_report, html_report, markdown_report
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
]
