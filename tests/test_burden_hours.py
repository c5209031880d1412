"""Burden as the Standard Cost Model measures it: hours along the plan, their price, and a year of everyone.

One small case, worked out by hand (CASE_FORMAT.md, "Burden as the Standard Cost Model
measures it"): a step's ``effort_hours`` and those of the items it asks of the persona
add up along the plan; an item the persona is not asked (its ``when``) and an item the
actor fetches cost nothing; ``hour_value`` prices the hours; ``population`` (a year or a
month) turns the burden of one into the burden of everyone in a year.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from exports.reports import html_report
from kafka_tool.analysis.engine import analyze
from kafka_tool.cli import cli
from kafka_tool.interventions import compare
from kafka_tool.loader import load_case_text
from kafka_tool.report import comparison_text, findings_json, to_markdown, to_text

#: Register (1 h, € 10) asks the passport (½ h). The benefit desk (3 h) asks the address, the
#: passport (2 h, but it fetches that itself), a medical statement of disabled people only (4 h)
#: and a payslip or a bank statement (1½ h).
CASE = """\
format: kafka-case/1
id: hours
title: Hours spent on a benefit
hour_value: 20
attributes:
  disabled: {type: boolean}
actors:
  - {id: town, name: Town Hall, kind: municipality}
  - {id: agency, name: Benefits Agency, kind: executive_agency}
documents:
  - {id: passport, name: Passport, kind: proof}
  - {id: address, name: Address registration, kind: registration}
  - {id: medical, name: Medical statement, kind: proof}
  - {id: payslip, name: Payslip, kind: proof}
  - {id: bank_statement, name: Bank statement, kind: proof}
  - {id: benefit, name: Benefit, kind: payment}
touchpoints:
  - id: register
    name: Register an address
    actor: town
    effort_hours: 1
    cost: 10
    requires:
      - {doc: passport, effort_hours: 0.5}
    produces: [address]
  - id: apply_benefit
    name: Apply for the benefit
    actor: agency
    effort_hours: 3
    fetches: [passport]
    requires:
      - address
      - {doc: passport, effort_hours: 2}
      - {doc: medical, when: {disabled: true}, effort_hours: 4}
      - {any_of: [payslip, bank_statement], effort_hours: 1.5}
    produces: [benefit]
personas:
  - id: ann
    name: Ann
    attributes: {disabled: true}
    has: [passport, medical, payslip]
    goals: [benefit]
    population: {count: 100, per: month, source: "made up"}
  - id: bob
    name: Bob
    attributes: {disabled: false}
    has: [passport, bank_statement]
    goals: [benefit]
    population: {count: 3300}
  - id: cem
    name: Cem
    attributes: {disabled: false}
    has: [passport]
    goals: [address]
"""

#: Worked out by hand. Ann: 1 + ½ (register) + 3 + 4 (medical) + 1½ (payslip) = 10 hours; the
#: passport the agency fetches costs her nothing. Bob is not disabled: 1 + ½ + 3 + 1½ = 6. Cem
#: only registers: 1½. At 20 an hour.
HOURS = {"ann": (10, 200), "bob": (6, 120), "cem": (1.5, 30)}
#: Ann's 100 a month are 1,200 a year: 12,000 hours, and 1,200 × (10 + 200) = 252,000.
#: Bob's 3,300 a year: 19,800 hours, 3,300 × (10 + 120) = 429,000. Cem has no population.
ANNUAL = {
    "ann": {"people": 1200, "hours": 12000, "cost": 252000},
    "bob": {"people": 3300, "hours": 19800, "cost": 429000},
    "cem": None,
}


#: The Standard Cost Model's table of the case, row by row: persona, people a year, hours each,
#: hours a year, cost a year; the total adds up the personas with a population.
TABLE = [
    ("Ann", "1,200", "10", "12,000", "€ 252,000"),
    ("Bob", "3,300", "6", "19,800", "€ 429,000"),
    ("Cem", "—", "1.5", "—", "—"),
]
TOTAL = ("Total", "4,500", "", "31,800", "€ 681,000")
HEADS = ("Persona", "People a year", "Hours each", "Hours a year", "Cost a year")



def personas_json(text: str) -> dict[str, dict[str, object]]:
    return {p["id"]: p for p in findings_json(analyze(load_case_text(text)))["personas"]}


def test_hours_add_up_along_the_plan_with_what_is_asked_of_the_persona() -> None:
    personas = personas_json(CASE)
    for persona_id, (hours, hours_cost) in HOURS.items():
        burden = personas[persona_id]["burden"]
        assert isinstance(burden, dict)
        assert (burden["hours"], burden["hours_cost"]) == (hours, hours_cost), persona_id
        assert burden["cost"] == 10, persona_id
    assert personas["ann"]["plan"] == ["register", "apply_benefit"]
    assert personas["cem"]["plan"] == ["register"]


def test_annual_is_the_burden_of_everyone_in_the_situation_in_a_year() -> None:
    personas = personas_json(CASE)
    assert {persona_id: p["annual"] for persona_id, p in personas.items()} == ANNUAL
    assert list(personas["ann"]) == ["id", "goals_reachable", "earliest_days", "obtainable", "plan", "burden",
                                     "annual", "ahead", "means"]


def test_without_an_hour_value_the_hours_are_not_priced() -> None:
    personas = personas_json(CASE.replace("hour_value: 20\n", ""))
    ann = personas["ann"]
    assert ann["burden"]["hours"] == 10  # type: ignore[index]
    assert ann["burden"]["hours_cost"] is None  # type: ignore[index]
    # The cost a year is then what the steps cost: 1,200 × 10.
    assert ann["annual"] == {"people": 1200, "hours": 12000, "cost": 12000}


def test_a_case_without_effort_has_no_hours() -> None:
    text = re.sub(r" *effort_hours: [\d.]+\n", "", CASE)
    text = re.sub(r", effort_hours: [\d.]+", "", text)
    assert "effort_hours" not in text
    personas = personas_json(text)
    assert {p["burden"]["hours"] for p in personas.values()} == {0}  # type: ignore[index]
    assert {p["burden"]["hours_cost"] for p in personas.values()} == {0}  # type: ignore[index]


def test_an_unreachable_goal_takes_no_hours() -> None:
    # Without a payslip or a bank statement Bob cannot get the benefit: no plan, no hours.
    personas = personas_json(CASE.replace("has: [passport, bank_statement]", "has: [passport]"))
    bob = personas["bob"]
    assert bob["goals_reachable"] == {"benefit": False}
    assert (bob["burden"]["hours"], bob["annual"]) == (0, {"people": 3300, "hours": 0, "cost": 0})  # type: ignore[index]


def test_an_exchange_saves_the_effort_of_the_fetched_item() -> None:
    case = load_case_text(CASE + """\
interventions:
  - id: fetch_medical
    title: The agency asks the doctor for the medical statement
    owner: agency
    changes:
      - exchange: {touchpoint: apply_benefit, document: medical}
""")
    comparison = compare(case, ["fetch_medical"])
    hours = {p.id: (p.before["burden"]["hours"], p.after["burden"]["hours"]) for p in comparison.personas}
    # Ann no longer spends the 4 hours on the statement; Bob was never asked for it.
    assert hours == {"ann": (10, 6), "bob": (6, 6), "cem": (1.5, 1.5)}
    ann = comparison.personas[0]
    assert ann.after["burden"]["hours_cost"] == 120
    # For Ann's 1,200 a year: 7,200 hours, and 1,200 × (10 + 120) = 156,000.
    assert (ann.before["annual"], ann.after["annual"]) == (ANNUAL["ann"],
                                                           {"people": 1200, "hours": 7200, "cost": 156000})
    assert comparison.personas[2].after["annual"] is None
    assert comparison.score().hours_saved == 1200 * 4


def test_the_json_output_carries_the_hours_and_the_year(tmp_path: Path) -> None:
    path = tmp_path / "hours.yaml"
    path.write_text(CASE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["analyze", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    bob = next(p for p in data["personas"] if p["id"] == "bob")
    assert bob["burden"] == {"steps": 2, "actors": 2, "days": 0, "cost": 10, "elapsed_days": 0, "hours": 6,
                             "hours_cost": 120}
    assert bob["annual"] == ANNUAL["bob"]


# ---------------------------------------------------------------- the burden table in the reports


def cells(line: str) -> list[str]:
    """The cells of a line of a text table (they stand two spaces or more apart)."""
    return re.split(r" {2,}", line.strip())


def test_the_text_report_has_the_burden_table() -> None:
    lines = to_text(analyze(load_case_text(CASE))).splitlines()
    start = lines.index("Burden a year")
    table = lines[start + 1:start + 6]
    assert [cells(line) for line in table] == [list(HEADS), *map(list, TABLE), [c for c in TOTAL if c]]
    # The numbers stand right-aligned under their headings.
    assert all(len(line) == len(table[0]) for line in table)
    assert "    burden: 2 steps, 2 organisations, 0 days, € 10, 10 hours (€ 200)" in lines[:start]


def test_the_markdown_report_has_the_burden_table() -> None:
    out = to_markdown(analyze(load_case_text(CASE)))
    rows = [f"| {' | '.join(row)} |".replace("1.5", "1\\.5") for row in TABLE]
    expected = ["## Burden a year", "", f"| {' | '.join(HEADS)} |", "|---|---:|---:|---:|---:|", *rows,
                "| **Total** | **4,500** |  | **31,800** | **€ 681,000** |", ""]
    start = out.splitlines().index("## Burden a year")
    assert out.splitlines()[start:start + len(expected)] == expected


@pytest.mark.needs_dot
def test_the_html_report_has_the_burden_table(dot: None) -> None:
    page = html_report(analyze(load_case_text(CASE)), diagrams=0)
    assert "<h2>Burden a year</h2>" in page
    for name, *numbers in TABLE:
        assert f"<tr><td>{name}</td>" + "".join(f'<td class="num">{n}</td>' for n in numbers) + "</tr>" in page
    assert ('<tr class="total"><td>Total</td><td class="num">4,500</td><td class="num"></td>'
            '<td class="num">31,800</td><td class="num">€ 681,000</td></tr>') in page


def test_without_an_hour_value_the_table_says_the_hours_are_not_in_the_cost() -> None:
    text = to_text(analyze(load_case_text(CASE.replace("hour_value: 20\n", ""))))
    lines = text.splitlines()
    ann = lines[lines.index("Burden a year") + 2]
    # 1,200 × 10: only what the steps cost.
    assert cells(ann) == ["Ann", "1,200", "10", "12,000", "€ 12,000"]
    assert "The cost leaves the hours out: the case gives an hour no value (hour_value)." in text


def test_a_case_without_hours_or_people_has_no_burden_table() -> None:
    text = re.sub(r" *effort_hours: [\d.]+\n", "", CASE)
    text = re.sub(r", effort_hours: [\d.]+", "", text)
    text = re.sub(r" *population: .*\n", "", text)
    analysis = analyze(load_case_text(text))
    assert "Burden a year" not in to_text(analysis)
    assert "Burden a year" not in to_markdown(analysis)
    assert " hours" not in to_text(analysis)  # nor in anyone's burden


def test_the_dutch_table() -> None:
    text = to_text(analyze(load_case_text(CASE.replace("id: hours\n", "id: hours\nlanguage: nl\n"))))
    lines = text.splitlines()
    start = lines.index("Last per jaar")
    assert cells(lines[start + 1]) == ["Persona", "Mensen per jaar", "Uren per persoon", "Uren per jaar",
                                       "Kosten per jaar"]
    assert cells(lines[start + 2]) == ["Ann", "1.200", "10", "12.000", "€ 252.000"]
    assert cells(lines[start + 5]) == ["Totaal", "4.500", "31.800", "€ 681.000"]
    assert "last: 2 stappen, 2 organisaties, 0 dagen, € 10, 10 uur (€ 200)" in text


# ---------------------------------------------------------------- compare


def test_compare_shows_hours_and_people_before_and_after() -> None:
    case = load_case_text(CASE + """\
interventions:
  - id: fetch_medical
    title: The agency asks the doctor for the medical statement
    owner: agency
    changes:
      - exchange: {touchpoint: apply_benefit, document: medical}
""")
    lines = comparison_text([compare(case, ["fetch_medical"])], colour=False).splitlines()
    ann = lines.index("    Ann · 1,200 people a year")
    assert lines[ann + 2] == ("      burden: 2 steps, 2 organisations, 0 days, € 10, 10 hours (€ 200)  →  "
                              "2 steps, 2 organisations, 0 days, € 10, 6 hours (€ 120)")
    assert lines[ann + 3] == "      a year: 12,000 hours, € 252,000  →  7,200 hours, € 156,000"
    bob = lines.index("    Bob · 3,300 people a year")
    assert lines[bob + 2:bob + 4] == ["      burden: 2 steps, 2 organisations, 0 days, € 10, 6 hours (€ 120)",
                                      "      a year: 19,800 hours, € 429,000"]
    cem = lines.index("    Cem")
    assert lines[cem + 2] == "      burden: 1 step, 1 organisation, 0 days, € 10, 1.5 hours (€ 30)"


def test_compare_says_the_hours_of_a_persona_who_spends_none() -> None:
    # Once someone spends hours, every burden of the comparison says them, 0 included.
    case = load_case_text(CASE.replace("has: [passport, bank_statement]", "has: [passport]") + """\
interventions:
  - id: shorter_form
    title: A shorter benefit form
    owner: agency
    changes:
      - set_effort: {touchpoint: apply_benefit, effort_hours: 1}
""")
    lines = comparison_text([compare(case, ["shorter_form"])], colour=False).splitlines()
    bob = lines.index("    Bob · 3,300 people a year")
    assert lines[bob + 2:bob + 4] == ["      burden: no way to the goals it lacks",  # not "0 steps"
                                      "      a year: 0 hours, € 0"]
