"""The action plan as an HTML page, on the HTML report's frame and styles.

The words come from the core (:func:`kafka_tool.plan_report.plan_words`, the same the text,
Markdown and CSV of ``kafka-tool plan`` are laid out from); ``templates/plan.html.j2`` lays
them out, autoescaped.
"""

from __future__ import annotations

from importlib import resources

from markupsafe import Markup

from kafka_tool.plan import ActionPlan
from kafka_tool.plan_report import plan_words

from .reports import _templates

__all__ = ["plan_html"]


def plan_html(plan: ActionPlan) -> str:
    """The action plan as one self-contained HTML page."""
    page = plan_words(plan)
    css = (resources.files("exports") / "templates" / "report.css").read_text(encoding="utf-8")
    return _templates().get_template("plan.html.j2").render(
        language=plan.analysis.case.language, w=page, t=page.labels, css=Markup(css))
