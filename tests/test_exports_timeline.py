"""A persona's timeline (``export --timeline``), and time in the persona view and the reports.

The diagrams are checked in their DOT: which boxes stand in the column of which day, in
what order the days come, and what each box and arrow looks like (bold, red, dashed).
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import pytest

from exports.render import run_dot
from exports.reports import html_report
from exports.scene import UnknownChoice
from exports.theme import GREEN, PURPLE, RED
from exports.timeline import timeline_diagram
from exports.views import persona_diagram
from kafka_tool.analysis.engine import Analysis, analyze
from kafka_tool.loader import load_case_text
from kafka_tool.report import to_markdown
from tests.cli_run import run_export as run

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from dot_text import canonical, tokens  # noqa: E402

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

# The month to ask for reconsideration closes on day 50; the GP's letter comes on day 55.
WINDOW_TRAP = """
format: kafka-case/1
id: reconsideration-window
title: The doctor's letter comes after the month to ask for reconsideration
actors:
  - {id: dwp, name: Department for Work and Pensions, kind: executive_agency}
  - {id: gp, name: The GP practice, kind: care_provider}
documents:
  - {id: refusal, name: Refusal of the benefit, kind: decision}
  - {id: gp_letter, name: Letter from the GP, kind: proof}
  - {id: benefit, name: Employment and Support Allowance, kind: payment}
touchpoints:
  - {id: assessment, name: Work capability assessment, actor: dwp, produces: [refusal], days: 20}
  - {id: gp_desk, name: Ask the GP for a letter, actor: gp, requires: [refusal], produces: [gp_letter], days: 35}
  - id: reconsideration
    name: Ask for mandatory reconsideration
    actor: dwp
    requires: [{doc: refusal, within_days: 30}, gp_letter]
    produces: [benefit]
    days: 14
personas:
  - {id: kerry, name: Kerry, goals: [benefit]}
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

# Two checks side by side from day 0; the income check (30 days) decides when both desks
# after it start, the identity check (5 days) decides nothing. The allowance comes in time,
# the permit too late; the allowance's window on the proof of identity is still open on day
# 30, the bonus's has closed on day 15.
SIDE_BY_SIDE = """
format: kafka-case/1
id: side-by-side
title: Two checks side by side, and a bonus whose window closes
actors:
  - {id: town, name: The town hall, kind: municipality}
  - {id: tax, name: The tax office, kind: executive_agency}
documents:
  - {id: id_proof, name: Proof of identity, kind: proof}
  - {id: income_statement, name: Income statement, kind: proof}
  - {id: allowance, name: Housing allowance, kind: payment}
  - {id: permit, name: Parking permit, kind: decision}
  - {id: bonus, name: Energy bonus, kind: payment}
touchpoints:
  - {id: id_check, name: Check identity, actor: town, produces: [id_proof], days: 5}
  - {id: income_check, name: Check income, actor: tax, produces: [income_statement], days: 30}
  - id: allowance_desk
    name: Apply for the allowance
    actor: town
    requires: [{doc: id_proof, within_days: 30}, income_statement]
    produces: [allowance]
    days: 7
  - {id: permit_desk, name: Apply for the permit, actor: town, requires: [income_statement], produces: [permit],
     days: 10}
  - id: bonus_desk
    name: Apply for the bonus
    actor: town
    requires: [{doc: id_proof, within_days: 10}, income_statement]
    produces: [bonus]
    days: 3
personas:
  - id: ana
    name: Ana
    goals: [{doc: allowance, within_days: 40}, {doc: permit, within_days: 35}, bonus]
"""


def analysis_of(text: str) -> Analysis:
    return analyze(load_case_text(text, "case.yaml"))


class Dot:
    """A DOT text read back: each box's and arrow's attributes, and the columns of days in order."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.nodes: dict[str, dict[str, str]] = {}
        self.edges: dict[tuple[str, str], dict[str, str]] = {}
        self.ranks: list[list[str]] = []
        in_rank = False
        for line in canonical(source).splitlines():
            items = [text[1:-1] if kind == "string" else text for kind, text in tokens(line)]
            if items == ["{"]:
                in_rank = True
                self.ranks.append([])
                continue
            if items == ["}"]:
                in_rank = False
                continue
            if in_rank:
                if items[0] != "graph":
                    self.ranks[-1] += [t for t in items if t != ";"]
                continue
            if not items or items[0] in ("graph", "node", "edge", "digraph"):
                continue
            attrs = self._attributes(items)
            if len(items) > 2 and items[1] == "->":
                self.edges[(items[0], items[2])] = attrs
            else:
                self.nodes[items[0]] = attrs

    @staticmethod
    def _attributes(items: list[str]) -> dict[str, str]:
        if "[" not in items:
            return {}
        inside = items[items.index("[") + 1: items.index("]", items.index("["))]
        out = {}
        for n, item in enumerate(inside):
            if item == "=":
                out[inside[n - 1]] = inside[n + 1]
        return out

    def column(self, key: str) -> int:
        """The position of the column (day) ``key`` stands in, from the left."""
        return next(n for n, rank in enumerate(self.ranks) if key in rank)

    def day_of(self, key: str) -> str:
        """The day written on the ruler above ``key``."""
        tick = self.ranks[self.column(key)][0]
        return text_of(self.nodes[tick]["label"])

    def label(self, key: str) -> str:
        return text_of(self.nodes[key]["label"])

    def edge_label(self, tail: str, head: str) -> str:
        return text_of(self.edges[(tail, head)].get("label", ""))


def text_of(label: str) -> str:
    """What a reader sees of an HTML-like label: the text, tags dropped, one space between pieces."""
    if label.startswith("<") and label.endswith(">"):
        label = label[1:-1]
    return " ".join(html.unescape(re.sub(r"<[^<>]*>", " ", label)).split())


def styles(attrs: dict[str, str]) -> set[str]:
    return set(filter(None, attrs.get("style", "").split(",")))



# ---------------------------------------------------------------- the columns of days


def test_steps_stand_in_the_column_of_their_start_day_and_the_days_come_in_order() -> None:
    drawn = Dot(timeline_diagram(analysis_of(SIDE_BY_SIDE), "ana").to_dot())
    ruler = [text_of(drawn.nodes[rank[0]]["label"]) for rank in drawn.ranks]
    # every day something starts, arrives, is needed by or a window closes on, left to right
    assert ruler == ["day 0", "day 15", "day 30", "day 35", "day 37", "day 40"]
    assert all((a, b) in drawn.edges for a, b in zip([r[0] for r in drawn.ranks], [r[0] for r in drawn.ranks[1:]],
                                                        strict=False))
    assert drawn.day_of("t_id_check") == drawn.day_of("t_income_check") == "day 0"
    assert drawn.day_of("t_allowance_desk") == drawn.day_of("t_permit_desk") == "day 30"
    assert drawn.day_of("d_allowance") == "day 37" and drawn.day_of("d_permit") == "day 40"
    assert drawn.column("t_income_check") < drawn.column("t_permit_desk") < drawn.column("d_permit")
    assert "day 0–5" in drawn.label("t_id_check") and "The town hall" in drawn.label("t_id_check")
    assert "day 30–37" in drawn.label("t_allowance_desk")


def test_steps_side_by_side_share_their_column_and_each_waits_for_what_it_needs() -> None:
    drawn = Dot(timeline_diagram(analysis_of(SIDE_BY_SIDE), "ana").to_dot())
    day_0 = drawn.ranks[drawn.column("t_id_check")]
    assert {"t_id_check", "t_income_check"} <= set(day_0)
    waits = {edge for edge, attrs in drawn.edges.items() if not edge[0].startswith("x_")}
    assert waits == {
        ("t_id_check", "t_allowance_desk"), ("t_income_check", "t_allowance_desk"),
        ("t_income_check", "t_permit_desk"), ("t_id_check", "t_bonus_desk"), ("t_income_check", "t_bonus_desk"),
        ("t_allowance_desk", "d_allowance"), ("t_permit_desk", "d_permit"),
    }
    assert drawn.edge_label("t_income_check", "t_permit_desk") == "Income statement"


def test_the_critical_path_is_bold_and_the_other_steps_are_not() -> None:
    drawn = Dot(timeline_diagram(analysis_of(SIDE_BY_SIDE), "ana").to_dot())
    for key in ("t_income_check", "t_allowance_desk", "t_permit_desk"):
        assert "bold" in styles(drawn.nodes[key]) and drawn.nodes[key]["penwidth"] == "3.5", key
    # the identity check is ready on day 5, long before the income: it decides no day
    assert "bold" not in styles(drawn.nodes["t_id_check"]) and drawn.nodes["t_id_check"]["penwidth"] != "3.5"
    assert "bold" in styles(drawn.edges[("t_income_check", "t_allowance_desk")])
    assert "bold" in styles(drawn.edges[("t_allowance_desk", "d_allowance")])
    assert "bold" not in styles(drawn.edges[("t_id_check", "t_allowance_desk")])


def test_a_missed_deadline_is_red_on_its_day_and_a_met_one_is_not() -> None:
    drawn = Dot(timeline_diagram(analysis_of(SIDE_BY_SIDE), "ana").to_dot())
    assert drawn.day_of("n_permit") == "day 35" and drawn.day_of("n_allowance") == "day 40"
    assert drawn.nodes["n_permit"]["color"] == RED
    assert drawn.label("n_permit") == "day 35: needed Parking permit comes on day 40: too late"
    assert drawn.nodes["n_allowance"]["color"] == GREEN != RED
    assert drawn.label("n_allowance") == "day 40: needed Housing allowance comes on day 37: in time"
    assert drawn.nodes["d_permit"]["color"] == RED and "TOO LATE: needed by day 35" in drawn.label("d_permit")
    assert drawn.nodes["d_allowance"]["color"] != RED and "in time" in drawn.label("d_allowance")


def test_the_three_kinds_of_cracks_in_time_each_show_on_their_timeline() -> None:
    missed = Dot(timeline_diagram(analysis_of(MISSED_DEADLINE), "kerry").to_dot())
    assert [text_of(missed.nodes[r[0]]["label"]) for r in missed.ranks] == ["day 0", "day 28", "day 30", "day 35"]
    assert missed.nodes["n_first_payment"]["color"] == RED
    assert missed.day_of("t_pay") == "day 28" and "bold" in styles(missed.nodes["t_pay"])
    assert "bold" in styles(missed.edges[("t_claim", "t_pay")])

    trap = Dot(timeline_diagram(analysis_of(WINDOW_TRAP), "kerry").to_dot())
    assert trap.day_of("t_reconsideration") == "day 55"
    assert "would start on day 55" in trap.label("t_reconsideration")
    assert "CANNOT START: the window on Refusal of the benefit closed on day 50" in trap.label("t_reconsideration")
    assert {"dashed"} <= styles(trap.nodes["t_reconsideration"]) and trap.nodes["t_reconsideration"]["color"] == RED
    window = trap.edges[("t_assessment", "t_reconsideration")]
    assert window["color"] == RED and "dashed" in styles(window)
    assert trap.edge_label("t_assessment", "t_reconsideration") == (
        "Refusal of the benefit within 30 days: closes on day 50")
    assert "day 50" in [text_of(trap.nodes[r[0]]["label"]) for r in trap.ranks]  # the day it closes is on the ruler

    gap = timeline_diagram(analysis_of(TRANSITION_GAP), "jayden")
    assert "Ahead: within a year (age 18): loses Supervised housing" in gap.caption
    assert "Ahead: within 6 years (age 23): gets Supervised housing" in gap.caption
    assert "LOST LATER: within a year (age 18)" in Dot(gap.to_dot()).label("d_supervised_housing")


def test_a_window_still_open_is_purple_and_solid_and_one_that_closes_is_red_and_dashed() -> None:
    drawn = Dot(timeline_diagram(analysis_of(SIDE_BY_SIDE), "ana").to_dot())
    open_window = drawn.edges[("t_id_check", "t_allowance_desk")]
    assert open_window["color"] == PURPLE and "dashed" not in styles(open_window)
    assert drawn.edge_label("t_id_check", "t_allowance_desk") == "Proof of identity within 30 days: closes on day 35"
    shut = drawn.edges[("t_id_check", "t_bonus_desk")]
    assert shut["color"] == RED and "dashed" in styles(shut)
    assert drawn.edge_label("t_id_check", "t_bonus_desk") == "Proof of identity within 10 days: closes on day 15"
    # an arrow without a window is neither
    plain = drawn.edges[("t_income_check", "t_bonus_desk")]
    assert plain["color"] not in (PURPLE, RED) and "dashed" not in styles(plain)
    # the desk whose window closes stands where it would start, though no goal is reached through it
    assert drawn.day_of("t_bonus_desk") == "day 30" and "blocked" not in drawn.nodes["t_allowance_desk"]


def test_the_legend_explains_what_the_timeline_draws_and_only_that() -> None:
    legend = " ".join(text_of(label) for label in re.findall(r"label=(<.*>)", timeline_diagram(
        analysis_of(SIDE_BY_SIDE), "ana").to_dot().splitlines()[1]))
    for words in ("critical path", "needed by", "in order but not to scale", "Purple arrow: a window",
                  "Red dashed arrow: the window closes",
                  "a desk Ana cannot use"):
        assert words in legend, words
    plain = timeline_diagram(analysis_of(MISSED_DEADLINE), "kerry").to_dot().splitlines()[1]
    assert "Legend" in plain and "window" not in plain


# ---------------------------------------------------------------- nothing to lay out


def test_a_persona_who_reaches_nothing_gets_a_diagram_that_says_so() -> None:
    diagram = timeline_diagram(analysis_of(TRANSITION_GAP), "lena")  # 20: neither desk serves her
    drawn = Dot(diagram.to_dot())
    assert drawn.nodes == {} and drawn.edges == {}
    assert "Lena can reach none of the goals: there are no steps towards them to lay out in days." in diagram.caption
    assert "The persona's diagram of the case shows where the way stops." in diagram.caption
    assert "Legend" not in drawn.source
    trap = timeline_diagram(analysis_of(WINDOW_TRAP), "kerry")
    assert "Kerry can reach none of the goals: there are no steps towards them to lay out in days." in trap.caption
    assert any(line.startswith("Drawn instead: the desk whose window closes") for line in trap.caption)


@pytest.mark.needs_dot
def test_dot_lays_out_every_timeline_without_a_warning(dot: None) -> None:
    for text, persona in ((SIDE_BY_SIDE, "ana"), (MISSED_DEADLINE, "kerry"), (WINDOW_TRAP, "kerry"),
                          (TRANSITION_GAP, "jayden"), (TRANSITION_GAP, "lena")):
        svg, stderr = run_dot(timeline_diagram(analysis_of(text), persona).to_dot(), "svg")
        assert stderr == "" and svg.startswith(b"<?xml"), persona


def test_a_dutch_case_gets_a_dutch_timeline() -> None:
    analysis = analyze(load_case_text((ROOT / "cases" / "briefadres-dakloos.yaml").read_text(encoding="utf-8"),
                                      "briefadres-dakloos.yaml"))
    diagram = timeline_diagram(analysis, "mo")
    assert diagram.title.startswith("Tijdlijn van Mo")
    drawn = Dot(diagram.to_dot())
    assert drawn.day_of("t_ww_aanvraag") == "dag 17" and "dag 17–45" in drawn.label("t_ww_aanvraag")
    assert "Legenda" in drawn.source and "kritieke pad" in drawn.source


def test_an_unknown_persona_is_refused_with_the_names_that_are_there() -> None:
    with pytest.raises(UnknownChoice, match="no persona 'kery' in case 'first-payment-after-the-rent'; did you mean "
                                            "'kerry'") as caught:
        timeline_diagram(analysis_of(MISSED_DEADLINE), "kery")
    assert caught.value.option == "timeline"


# ---------------------------------------------------------------- the command line


def test_export_timeline_is_named_after_the_case_file_and_the_persona(tmp_path: Path) -> None:
    case = tmp_path / "payment.yaml"
    case.write_text(MISSED_DEADLINE, encoding="utf-8")
    code, err = run(str(case), "--format", "dot", "--timeline", "kerry", cwd=tmp_path)
    assert code == 0, err
    target = tmp_path / "payment.timeline-kerry.dot"
    assert "Timeline of Kerry" in target.read_text(encoding="utf-8")
    code, err = run(str(case), "--format", "dot", "-t", "kerry", "-o", str(tmp_path / "mine.dot"), cwd=tmp_path)
    assert code == 0 and (tmp_path / "mine.dot").is_file()


def test_export_timeline_refuses_an_unknown_persona_as_a_usage_error(tmp_path: Path) -> None:
    case = tmp_path / "payment.yaml"
    case.write_text(MISSED_DEADLINE, encoding="utf-8")
    code, err = run(str(case), "--format", "dot", "--timeline", "kery", cwd=tmp_path)
    assert code == 2
    assert "--timeline: no persona 'kery'" in err and "did you mean 'kerry'?" in err
    code, err = run(str(case), "--format", "html", "--timeline", "kerry", cwd=tmp_path)
    assert code == 2 and "--timeline draws a diagram" in err
    code, err = run(str(case), "--format", "dot", "--timeline", "kerry", "--persona", "kerry", cwd=tmp_path)
    assert code == 2 and "one view at a time" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["payment.yaml"]


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
    assert lena == ("| Lena | Supervised housing: out of reach | no way to the goals it lacks | "
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
