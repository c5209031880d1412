"""Time in the persona view and the reports: each goal's days, and the road ahead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from exports.render import dot_available
from exports.reports import html_report
from exports.views import persona_diagram
from kafka_tool.analysis.engine import Analysis, analyze
from kafka_tool.loader import load_case_text
from kafka_tool.report import to_markdown

ROOT = Path(__file__).resolve().parent.parent

# The first benefit payment comes on day 35; the rent is due on day 30.
MISSED_DEADLINE = """
format: kafka-case/1
id: first-payment-after-the-rent
title: The first benefit payment comes after the rent is due
actors:
  - {id: dwp, name: Department for Work and Pensions, kind: executive_agency}
documents:
  - {id: claim_decision, name: Universal Credit decision, kind: decision}
  - {id: first_payment, name: First Universal Credit payment, kind: payment}
touchpoints:
  - {id: claim, name: Claim Universal Credit, actor: dwp, produces: [claim_decision], days: 28}
  - {id: pay, name: First monthly payment, actor: dwp, requires: [claim_decision], produces: [first_payment], days: 7}
personas:
  - {id: kerry, name: Kerry, goals: [{doc: first_payment, within_days: 30}]}
"""

# Supervised housing stops at 18 and starts again at 23.
TRANSITION_GAP = """
format: kafka-case/1
id: turning-18-housing
title: Supervised housing stops at 18 and starts again at 23
attributes:
  age: {type: integer, min: 0, max: 120, unit: years, per_year: 1}
actors:
  - {id: youth_care, name: Youth care provider, kind: care_provider}
  - {id: town, name: The municipality, kind: municipality}
documents:
  - {id: supervised_housing, name: Supervised housing, kind: service}
rules:
  - {id: youth_act, name: Youth Act until 18, owner: town, when: {age: {max: 17}}}
  - {id: wmo_from_23, name: Sheltered housing from 23, owner: town, when: {age: {min: 23}}}
touchpoints:
  - {id: youth_home, name: Youth care home, actor: youth_care, rules: [youth_act], produces: [supervised_housing]}
  - {id: sheltered, name: Sheltered housing (Wmo), actor: town, rules: [wmo_from_23], produces: [supervised_housing]}
personas:
  - {id: jayden, name: Jayden, attributes: {age: 17}, goals: [supervised_housing]}
  - {id: lena, name: Lena, attributes: {age: 20}, goals: [supervised_housing]}
"""


def analysis_of(text: str) -> Analysis:
    return analyze(load_case_text(text, "case.yaml"))


@pytest.fixture
def dot() -> None:
    """Skip without Graphviz's ``dot``; fail instead when CI requires it."""
    if not dot_available():
        if os.environ.get("KAFKA_TOOL_REQUIRE_DOT") == "1":
            pytest.fail("Graphviz's dot is required here (KAFKA_TOOL_REQUIRE_DOT=1) but was not found")
        pytest.skip("Graphviz's dot is not installed")


# ---------------------------------------------------------------- the persona view and the reports


def test_the_persona_view_gives_each_goal_its_days_and_the_road_ahead() -> None:
    caption = persona_diagram(analysis_of(MISSED_DEADLINE), "kerry").caption
    assert "Goals: First Universal Credit payment: reachable (day 35, needed by day 30: too late)" in caption
    caption = persona_diagram(analysis_of(TRANSITION_GAP), "jayden").caption
    assert caption[:3] == ["Goals: Supervised housing: reachable",
                           "Ahead: within a year (age 18): loses Supervised housing",
                           "Ahead: within 6 years (age 23): gets Supervised housing"]


def test_the_markdown_report_has_the_days_and_the_road_ahead() -> None:
    markdown = to_markdown(analysis_of(TRANSITION_GAP))
    assert "| Persona | Goals | Burden (plan) | Ahead |" in markdown
    row = next(line for line in markdown.splitlines() if line.startswith("| Jayden |"))
    assert row.endswith("| within a year (age 18): loses Supervised housing<br>"
                        "within 6 years (age 23): gets Supervised housing |")
    lena = next(line for line in markdown.splitlines() if line.startswith("| Lena |"))
    assert lena == ("| Lena | Supervised housing: out of reach | 0 steps, 0 organisations, 0 days, € 0 | "
                    "within 3 years (age 23): gets Supervised housing |")
    late = to_markdown(analysis_of(MISSED_DEADLINE))
    assert "First Universal Credit payment: reachable (day 35, needed by day 30: too late)" in late
    assert "Ahead" not in late  # nobody's goals change with time: no column for it


@pytest.mark.needs_dot
def test_the_html_report_has_the_days_and_the_road_ahead(dot: None) -> None:
    page = html_report(analysis_of(TRANSITION_GAP), diagrams=0)
    assert "<th>Ahead</th>" in page
    assert ('<ul class="ahead"><li>within a year (age 18): loses Supervised housing</li>'
            "<li>within 6 years (age 23): gets Supervised housing</li></ul>") in page
    late = html_report(analysis_of(MISSED_DEADLINE), diagrams=0)
    assert '<small class="bad">day 35, needed by day 30: too late</small>' in late and "<th>Ahead</th>" not in late
