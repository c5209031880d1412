"""``kafka-tool compare`` and ``kafka-tool analyze --intervention``: output, contract, errors at their line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from intervention_cases import (
    APPLY_BENEFIT_WITH_PAYSLIP,
    APPLY_MISUSES,
    LOAD_MISUSES,
    OPEN_ACCOUNT,
    PERSONAS,
    RANKED_BY_PEOPLE,
    RANKED_BY_PEOPLE_ORDER,
    REGISTER,
    REGISTER_NEEDS_ACCOUNT,
    Misuse,
    make,
)

from kafka_tool.analysis.engine import analyze
from kafka_tool.cli import cli
from kafka_tool.interventions import apply_interventions, compare
from kafka_tool.loader import load_case_text
from kafka_tool.report import findings_json

#: Ann is stuck twice (the account/address circle, a payslip nobody issues); Bob only wants an account.
CASE = make(
    """\
  - id: drop_account
    title: Register an address without a bank account
    owner: town
    changes:
      - remove_requirement: {touchpoint: register, document: account}
    expected_resolves: [circular_dependency]
  - id: town_payslip
    title: The town hall issues an income statement
    owner: ministry
    changes:
      - add_produces: {touchpoint: register, document: payslip}
    expected_resolves: [unobtainable_document]
""",
    touchpoints=(REGISTER_NEEDS_ACCOUNT, OPEN_ACCOUNT, APPLY_BENEFIT_WITH_PAYSLIP),
    personas=PERSONAS
    + """\
  - id: bob
    name: Bob
    attributes: {age: 40}
    has: [passport, address]
    goals: [account]
""",
)

#: One intervention makes Ann's goal reachable, the other only saves Bob days.
RANKING = make(
    """\
  - id: a_faster
    title: A faster address registration
    owner: town
    changes:
      - add_touchpoint: {id: quick_register, name: Register online, actor: town, requires: [passport],
                         produces: [address], days: 1}
  - id: z_reach
    title: An office that issues income statements
    owner: agency
    changes:
      - add_touchpoint: {id: income_desk, name: Income desk, actor: agency, produces: [payslip]}
""",
    touchpoints=(REGISTER, OPEN_ACCOUNT, APPLY_BENEFIT_WITH_PAYSLIP),
    personas=PERSONAS
    + """\
  - id: bob
    name: Bob
    attributes: {age: 40}
    has: [passport]
    goals: [account]
""",
)

FINDING_KEYS = [
    "id",
    "kind",
    "severity",
    "title",
    "explanation",
    "nodes",
    "personas",
    "actors",
    "rules",
    "region",
    "accepted",
    "layers",
]


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def case_file(tmp_path: Path):  # type: ignore[no-untyped-def]
    def write(text: str, name: str = "case.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


# ---------------------------------------------------------------- compare, text


def test_compare_text_shows_resolved_introduced_and_personas(case_file) -> None:  # type: ignore[no-untyped-def]
    result = run("compare", case_file(CASE), "--intervention", "drop_account")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "\x1b[" not in out, "no colour codes when the output is not a terminal"
    assert out.startswith("Register an address without a bank account\n  drop_account · owner: Town Hall\n")
    comparison = compare(load_case_text(CASE), ["drop_account"])
    assert f"  Resolves ({len(comparison.resolved)})" in out
    assert "    ✓ [critical] " in out
    assert f"  Introduces ({len(comparison.introduced)})" in out
    assert "    Ann\n" in out and "    Bob\n" in out
    # The circle is gone but the payslip is still missing: Ann's benefit stays out of reach.
    assert "      ✗ Benefit\n" in out
    assert "expected to resolve: circular_dependency ✓" in out
    assert "Action plan" not in out


def test_compare_text_of_a_combination_shows_goals_now_reachable(case_file) -> None:  # type: ignore[no-untyped-def]
    result = run("compare", case_file(CASE), "--intervention", "drop_account,town_payslip")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(
        "Register an address without a bank account + The town hall issues an income statement\n"
        "  drop_account,town_payslip · owner: Town Hall, Ministry of Social Affairs\n"
    )
    assert "      ✓ Benefit  (now reachable)\n" in out
    assert "      burden: no way to the goals it lacks  →  3 steps, 3 organisations, 18 days, € 0" in out
    assert "expected to resolve: circular_dependency ✓, unobtainable_document ✓" in out


# ---------------------------------------------------------------- compare, JSON


def test_compare_json_is_the_contract(case_file) -> None:  # type: ignore[no-untyped-def]
    path = case_file(CASE)
    result = run("compare", path, "--intervention", "drop_account", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["format", "case", "intervention", "resolved", "introduced", "changed", "personas"]
    assert data["format"] == "kafka-compare/1"
    assert data["case"] == "iv-test"
    assert data["intervention"] == "drop_account"
    assert data["resolved"]
    for finding in data["resolved"] + data["introduced"]:
        assert list(finding) == FINDING_KEYS
    for persona in data["personas"]:
        assert list(persona) == ["id", "before", "after"]
        for state in (persona["before"], persona["after"]):
            assert list(state) == ["goals_reachable", "burden", "annual"]
            assert list(state["burden"]) == ["steps", "actors", "days", "cost", "elapsed_days", "hours", "hours_cost"]
    assert data == compare(load_case_text(CASE), ["drop_account"]).to_json()
    assert "circular_dependency/account+address" in [f["id"] for f in data["resolved"]]


def test_compare_json_of_a_combination(case_file) -> None:  # type: ignore[no-untyped-def]
    result = run("compare", case_file(CASE), "-i", "drop_account,town_payslip", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["intervention"] == "drop_account,town_payslip"
    ann = next(p for p in data["personas"] if p["id"] == "ann")
    assert ann["before"] == {
        "goals_reachable": {"benefit": False},
        "burden": {"steps": 0, "actors": 0, "days": 0, "cost": 0, "elapsed_days": 0, "hours": 0, "hours_cost": None},
        "annual": None,
    }
    assert ann["after"] == {
        "goals_reachable": {"benefit": True},
        "burden": {"steps": 3, "actors": 3, "days": 18, "cost": 0, "elapsed_days": 18, "hours": 0, "hours_cost": None},
        "annual": None,
    }
    resolved = {f["id"] for f in data["resolved"]}
    assert {
        "circular_dependency/account+address",
        "unobtainable_document/payslip",
        "unreachable_goal/ann/benefit",
    } <= resolved


def test_compare_json_of_one_that_helps_one_persona_and_harms_another(case_file) -> None:  # type: ignore[no-untyped-def]
    rules = """\
rules:
  - id: benefit_age
    name: The benefit is for those from 18 to 70
    owner: ministry
    when: {age: {min: 18, max: 70}}
"""
    personas = """\
personas:
  - {id: tess, name: "Tess, 17", attributes: {age: 17}, has: [passport], goals: [benefit]}
  - {id: sam, name: "Sam, 65", attributes: {age: 65}, has: [passport], goals: [benefit]}
"""
    path = case_file(
        make(
            """\
  - id: younger
    title: The benefit from 17, and until 64
    owner: ministry
    changes:
      - set_when: {rule: benefit_age, when: {age: {min: 17, max: 64}}}
""",
            rules=rules,
            personas=personas,
        )
    )
    data = json.loads(run("compare", path, "-i", "younger", "--format", "json").stdout)
    states = {p["id"]: (p["before"]["goals_reachable"], p["after"]["goals_reachable"]) for p in data["personas"]}
    assert states == {"tess": ({"benefit": False}, {"benefit": True}), "sam": ({"benefit": True}, {"benefit": False})}
    assert "unreachable_goal/tess/benefit" in [f["id"] for f in data["resolved"]]
    assert "unreachable_goal/sam/benefit" in [f["id"] for f in data["introduced"]]
    text = run("compare", path, "-i", "younger").stdout
    assert "    Tess, 17\n      ✓ Benefit  (now reachable)\n" in text
    assert "    Sam, 65\n      ✗ Benefit  (no longer reachable)\n" in text


# ---------------------------------------------------------------- compare --intervention all


def test_compare_all_ranks_by_what_each_achieves(case_file) -> None:  # type: ignore[no-untyped-def]
    path = case_file(RANKING)
    result = run("compare", path, "--intervention", "all")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Interventions ranked by what they achieve"
    assert lines[1] == "  1. An office that issues income statements (z_reach)"
    assert lines[2].startswith("     owner: Benefits Agency; people unblocked: 1; critical resolved: ")
    assert lines[3] == "  2. A faster address registration (a_faster)"
    assert lines[4].startswith("     owner: Town Hall; people unblocked: 0; critical resolved: 0; "
                               "hours saved a year: 0;")
    assert lines[4].endswith("days saved: 4")
    # Then each intervention's before and after, in the same order.
    out = result.stdout
    assert out.index("\nAn office that issues income statements\n") < out.index("\nA faster address registration\n")

    data = json.loads(run("compare", path, "--intervention", "all", "--format", "json").stdout)
    assert data["format"] == "kafka-ranking/1"
    assert [c["intervention"] for c in data["ranking"]] == ["z_reach", "a_faster"]


def test_compare_all_json_is_the_ranking_contract(case_file) -> None:  # type: ignore[no-untyped-def]
    result = run("compare", case_file(RANKED_BY_PEOPLE), "--intervention", "all", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["format", "case", "ranking"]
    assert (data["format"], data["case"]) == ("kafka-ranking/1", "ranked")
    ranking = data["ranking"]
    for entry in ranking:
        assert list(entry) == ["intervention", "people_unblocked", "critical_resolved", "hours_saved_per_year",
                               "resolved", "introduced"]
    assert [entry["intervention"] for entry in ranking] == RANKED_BY_PEOPLE_ORDER
    by_id = {entry["intervention"]: entry for entry in ranking}
    # Worked out by hand (see RANKED_BY_PEOPLE).
    assert {ident: entry["people_unblocked"] for ident, entry in by_id.items()} == {
        "payslip_office_and_form": 600, "payslip_office": 600, "digid_and_form": 1, "form_only": 0,
        "shorter_form": 0, "quicker": 0}
    # Ann's 600 spend 6 hours each once they can; Carl 2; Bob's 200 save 1.5 each.
    assert {ident: entry["hours_saved_per_year"] for ident, entry in by_id.items()} == {
        "payslip_office_and_form": -3600, "payslip_office": -3600, "digid_and_form": -2, "form_only": 0,
        "shorter_form": 300, "quicker": 0}
    assert by_id["payslip_office_and_form"]["critical_resolved"] == by_id["payslip_office"]["critical_resolved"] + 1
    case = load_case_text(RANKED_BY_PEOPLE)
    for ident, entry in by_id.items():
        comparison = compare(case, [ident])
        assert entry["resolved"] == len(comparison.resolved)
        assert entry["introduced"] == len(comparison.introduced)
        assert entry["critical_resolved"] == sum(1 for f in comparison.resolved if f.severity == "critical")


def test_compare_text_shows_each_persona_with_its_hours_and_people(case_file) -> None:  # type: ignore[no-untyped-def]
    result = run("compare", case_file(RANKED_BY_PEOPLE), "--intervention", "shorter_form")
    assert result.exit_code == 0, result.output
    out = result.stdout
    # Bob's 200 a year spend 2 + 1 hours each, then 0.5 + 1; the case gives an hour no value.
    assert ("    Bob · 200 people a year\n"
            "      ✓ Bank account\n"
            "      burden: 2 steps, 2 organisations, 8 days, € 0, 3 hours  →  "
            "2 steps, 2 organisations, 8 days, € 0, 1.5 hours\n"
            "      a year: 600 hours, € 0  →  300 hours, € 0\n") in out
    # Carl has no population: no people, no year; his hours are said all the same.
    assert "    Carl\n      ✗ Benefit\n      burden: no way to the goals it lacks\n" in out


def test_compare_all_reports_a_change_that_does_not_fit_at_its_line(case_file) -> None:  # type: ignore[no-untyped-def]
    text = (
        RANKING
        + """\
  - id: broken
    title: Broken
    changes:
      - remove_produces: {touchpoint: register, document: payslip}
"""
    )
    path = case_file(text)
    result = run("compare", path, "--intervention", "all")
    assert result.exit_code == 1
    at = text.index("{touchpoint: register, document: payslip}")
    line, column = text.count("\n", 0, at) + 1, at - text.rindex("\n", 0, at)
    assert result.stderr.startswith(f"{path}:{line}:{column}: intervention 'broken', change 1 (remove_produces): ")


# ---------------------------------------------------------------- misuse: FILE:LINE:COL, exit 1


@pytest.mark.parametrize("command", ["compare", "analyze"])
@pytest.mark.parametrize("misuse", APPLY_MISUSES, ids=[m.name for m in APPLY_MISUSES])
def test_a_change_that_does_not_fit_is_reported_at_its_line(
    case_file,
    misuse: Misuse,  # type: ignore[no-untyped-def]
    command: str,
) -> None:
    text = misuse.text()
    path = case_file(text)
    result = run(command, path, "--intervention", "misfit")
    assert result.exit_code == 1
    assert result.stdout == ""
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{path}:{misuse.line(text)}:")
    location, message = first.split(": ", 1)
    assert location.split(":")[-1].isdigit(), "FILE:LINE:COL"
    assert message.startswith(f"intervention 'misfit', change 2 ({misuse.kind}): {misuse.message}")
    assert misuse.hint in result.stderr


@pytest.mark.parametrize("misuse", LOAD_MISUSES, ids=[m.name for m in LOAD_MISUSES])
def test_a_change_with_a_dangling_id_is_reported_at_its_line(case_file, misuse: Misuse) -> None:  # type: ignore[no-untyped-def]
    text = misuse.text()
    path = case_file(text)
    result = run("compare", path, "--intervention", "misfit")
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{path}:{misuse.line(text)}:")
    assert first.endswith(misuse.load_message)


def test_an_unknown_intervention_suggests_the_closest(case_file) -> None:  # type: ignore[no-untyped-def]
    result = run("compare", case_file(CASE), "--intervention", "drop_acount")
    assert result.exit_code == 2
    assert "no intervention 'drop_acount'" in result.stderr
    assert "did you mean 'drop_account'?" in result.stderr
    result = run("compare", case_file(make(), "plain.yaml"), "--intervention", "all")
    assert result.exit_code == 2
    assert "has no interventions" in result.stderr


def test_compare_needs_an_intervention(case_file) -> None:  # type: ignore[no-untyped-def]
    result = run("compare", case_file(CASE))
    assert result.exit_code == 2
    assert "--intervention" in result.stderr


# ---------------------------------------------------------------- analyze --intervention


def test_analyze_with_an_intervention_gives_the_changed_case_findings(case_file) -> None:  # type: ignore[no-untyped-def]
    path = case_file(CASE)
    case = load_case_text(CASE)
    result = run("analyze", path, "--intervention", "drop_account", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == json.loads(json.dumps(findings_json(analyze(apply_interventions(case, ["drop_account"])))))
    assert data != json.loads(run("analyze", path, "--format", "json").stdout)
    assert "circular_dependency/account+address" not in [f["id"] for f in data["findings"]]

    both = json.loads(run("analyze", path, "-i", "drop_account,town_payslip", "--format", "json").stdout)
    ann = next(p for p in both["personas"] if p["id"] == "ann")
    assert ann["goals_reachable"] == {"benefit": True}

    text = run("analyze", path, "--intervention", "drop_account,town_payslip")
    assert text.exit_code == 0
    assert "✓ Benefit" in text.stdout


def test_analyze_takes_no_ranking(case_file) -> None:  # type: ignore[no-untyped-def]
    result = run("analyze", case_file(CASE), "--intervention", "all")
    assert result.exit_code == 2
    assert "not 'all'" in result.stderr
    # Not even when the case has only one intervention.
    one = make("""\
  - id: only
    title: The only one
    changes: []
""")
    result = run("analyze", case_file(one, "one.yaml"), "--intervention", "all")
    assert result.exit_code == 2
    assert "not 'all'" in result.stderr


def test_an_intervention_named_twice_is_refused_plainly(case_file) -> None:  # type: ignore[no-untyped-def]
    for command in ("compare", "analyze"):
        result = run(command, case_file(CASE), "--intervention", "drop_account,drop_account")
        assert result.exit_code == 2
        assert "Error: --intervention: intervention 'drop_account' is named twice" in result.stderr


def test_analyze_with_an_unknown_intervention(case_file) -> None:  # type: ignore[no-untyped-def]
    result = run("analyze", case_file(CASE), "--intervention", "town_payslp")
    assert result.exit_code == 2
    assert "did you mean 'town_payslip'?" in result.stderr
