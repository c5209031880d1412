"""``kafka-tool plan``: the action plan of CASE_FORMAT.md ("The action plan and its follow-up").

One case, worked out by hand. Ann is stuck twice: the address/account circle (dropping the
account from the registration resolves it, and the dead ends at both desks) and a payslip
nobody issues (the town hall issuing one resolves it). Neither alone gets her the benefit, so
her unreachable goal stays unresolved. The age rule has no owner; the only intervention that
would give it one is dropped, so that finding has no live remedy. The bank's same-day accounts
are verified and resolve nothing; one intervention does not fit the case.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from dutch_leaks import english_leaks

from kafka_tool.analysis.engine import analyze
from kafka_tool.cli import cli
from kafka_tool.loader import load_case_text
from kafka_tool.plan import action_plan
from kafka_tool.plan_report import PLAN_CSV_COLUMNS

CASE = """\
format: kafka-case/1
id: plan-test
title: The action plan under test
attributes:
  age: {type: integer, min: 0, max: 120}
actors:
  - {id: town, name: Town Hall, kind: municipality}
  - {id: bank, name: The Bank, kind: bank}
  - {id: agency, name: Benefits Agency, kind: executive_agency}
  - {id: ministry, name: Ministry of Social Affairs, kind: ministry}
documents:
  - {id: passport, name: Passport, kind: proof}
  - {id: address, name: Address registration, kind: registration}
  - {id: account, name: Bank account, kind: service}
  - {id: payslip, name: Payslip, kind: proof}
  - {id: benefit, name: Benefit, kind: payment}
rules:
  - id: benefit_age
    name: The benefit is for adults
    when: {age: {min: 18}}
touchpoints:
  - {id: register, name: Register an address, actor: town, requires: [passport, account], produces: [address]}
  - {id: open_account, name: Open a bank account, actor: bank, requires: [address], produces: [account]}
  - {id: apply_benefit, name: Apply for the benefit, actor: agency, rules: [benefit_age],
     requires: [account, payslip], produces: [benefit]}
personas:
  - {id: ann, name: Ann, attributes: {age: 30}, has: [passport], goals: [benefit]}
interventions:
  - id: drop_account
    title: Register an address without a bank account
    owner: town
    status: agreed
    agreed_on: 2024-03-01
    due: 2024-06-01
    changes:
      - remove_requirement: {touchpoint: register, document: account}
  - id: town_payslip
    title: The town hall issues an income statement
    owner: agency
    status: in_progress
    agreed_on: 2024-01-15
    changes:
      - add_produces: {touchpoint: register, document: payslip}
  - id: ministry_owns_rule
    title: The ministry owns the age rule
    owner: ministry
    status: dropped
    agreed_on: 2020-01-01
    due: 2020-02-01
    changes:
      - set_owner: {rule: benefit_age, owner: ministry}
  - id: faster_bank
    title: The bank opens accounts the same day
    owner: bank
    status: verified
    agreed_on: 2020-01-01
    due: 2020-02-01
    changes:
      - set_days: {touchpoint: open_account, days: 0}
  - id: not_fitting
    title: A change that does not fit the case
    changes:
      - remove_requirement: {touchpoint: open_account, document: payslip}
"""

CIRCLE = "circular_dependency/account+address"
PAYSLIP = "unobtainable_document/payslip"
GOAL = "unreachable_goal/ann/benefit"
NO_OWNER = "no_owner/benefit_age"
DEAD_END_BENEFIT = "dead_end/apply_benefit"


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(CASE, encoding="utf-8")
    return path


def plan_json(path: Path, today: str = "2024-07-16", *more: str) -> dict:  # type: ignore[type-arg]
    result = run("plan", path, "--today", today, "--format", "json", *more)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def items(data: dict) -> dict:  # type: ignore[type-arg]
    return {item["finding"]: item for item in data["items"]}


# ---------------------------------------------------------------- the JSON contract


def test_the_json_has_exactly_the_keys_of_the_contract(case_file: Path) -> None:
    data = plan_json(case_file)
    assert list(data) == ["format", "case", "today", "items", "unresolved", "overdue"]
    assert data["format"] == "kafka-plan/1"
    assert data["case"] == "plan-test"
    assert data["today"] == "2024-07-16"
    for item in data["items"]:
        assert list(item) == ["finding", "severity", "layers", "actors", "interventions"]
        for entry in item["interventions"]:
            assert list(entry) == ["id", "owner", "status", "due", "review_on", "overdue"]
    circle = items(data)[CIRCLE]
    assert circle["severity"] == "critical"
    assert circle["layers"] == ["gemeente", "private"]
    assert circle["actors"] == ["bank", "town"]
    assert circle["interventions"] == [{"id": "drop_account", "owner": "town", "status": "agreed",
                                        "due": "2024-06-01", "review_on": "2024-09-01", "overdue": True}]


def test_a_finding_is_resolved_by_the_intervention_that_resolves_it_and_not_by_another(case_file: Path) -> None:
    found = items(plan_json(case_file))
    assert [i["id"] for i in found[CIRCLE]["interventions"]] == ["drop_account"]
    assert [i["id"] for i in found[PAYSLIP]["interventions"]] == ["town_payslip"]


def test_a_finding_no_intervention_resolves_is_unresolved(case_file: Path) -> None:
    data = plan_json(case_file)
    # Each intervention on its own leaves Ann without her benefit: it takes both.
    assert items(data)[GOAL]["interventions"] == []
    assert GOAL in data["unresolved"]
    assert CIRCLE not in data["unresolved"] and PAYSLIP not in data["unresolved"]
    assert data["unresolved"] == [item["finding"] for item in data["items"] if not item["interventions"]]


def test_a_dropped_intervention_resolves_nothing_in_the_plan(case_file: Path, tmp_path: Path) -> None:
    data = plan_json(case_file)
    assert items(data)[NO_OWNER]["interventions"] == []
    assert NO_OWNER in data["unresolved"]
    # The near miss: the same intervention, agreed instead of dropped, is the finding's remedy.
    agreed = tmp_path / "agreed.yaml"
    agreed.write_text(CASE.replace("status: dropped", "status: agreed"), encoding="utf-8")
    data = plan_json(agreed)
    assert [i["id"] for i in items(data)[NO_OWNER]["interventions"]] == ["ministry_owns_rule"]
    assert NO_OWNER not in data["unresolved"]
    # Agreed, its due date of 2020 is long past.
    assert "ministry_owns_rule" in data["overdue"]


def test_a_dropped_remedy_is_kept_apart_for_people() -> None:
    plan = action_plan(analyze(load_case_text(CASE)), dt.date(2024, 7, 16))
    item = next(i for i in plan.items if i.finding.id == NO_OWNER)
    assert not item.resolved
    assert [e.id for e in item.dropped] == ["ministry_owns_rule"]


def test_accepted_findings_are_not_in_the_plan(case_file: Path, tmp_path: Path) -> None:
    assert DEAD_END_BENEFIT in items(plan_json(case_file))
    accepted = tmp_path / "accepted.yaml"
    accepted.write_text(CASE + f"accepted:\n  - finding: {DEAD_END_BENEFIT}\n    reason: Weighed at the review.\n",
                        encoding="utf-8")
    data = plan_json(accepted)
    assert DEAD_END_BENEFIT not in items(data)
    assert DEAD_END_BENEFIT not in data["unresolved"]
    assert GOAL in items(data)


# ---------------------------------------------------------------- overdue


def test_overdue_by_due_date_and_by_the_default_review_date(case_file: Path) -> None:
    # drop_account: due 2024-06-01. town_payslip: no due, agreed 2024-01-15, so reviewed on 2024-07-15.
    assert plan_json(case_file, "2024-07-16")["overdue"] == ["drop_account", "town_payslip"]
    data = plan_json(case_file, "2024-07-15")  # the review day itself: not yet overdue
    assert data["overdue"] == ["drop_account"]
    assert items(data)[PAYSLIP]["interventions"][0] == {
        "id": "town_payslip", "owner": "agency", "status": "in_progress", "due": None, "review_on": "2024-07-15",
        "overdue": False}


def test_due_today_is_not_overdue(case_file: Path) -> None:
    data = plan_json(case_file, "2024-06-01")
    assert data["overdue"] == []
    assert items(data)[CIRCLE]["interventions"][0]["overdue"] is False
    assert plan_json(case_file, "2024-06-02")["overdue"] == ["drop_account"]


def test_verified_and_dropped_interventions_are_never_overdue(case_file: Path) -> None:
    # Both have dates of 2020; far in the future every open one is overdue, they are not.
    data = plan_json(case_file, "2999-12-31")
    assert data["overdue"] == ["drop_account", "town_payslip"]
    assert "faster_bank" not in data["overdue"] and "ministry_owns_rule" not in data["overdue"]


def test_far_in_the_past_nothing_is_overdue(case_file: Path) -> None:
    data = plan_json(case_file, "1900-01-01")
    assert data["today"] == "1900-01-01"
    assert data["overdue"] == []


def test_today_is_the_date_today_by_default(case_file: Path) -> None:
    before = dt.date.today().isoformat()
    result = run("plan", case_file, "--format", "json")
    after = dt.date.today().isoformat()
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["today"] in {before, after}


@pytest.mark.parametrize("value", ["2024-13-01", "2024-02-30", "01-07-2024", "20240701", "tomorrow", ""])
def test_a_bad_today_is_a_usage_mistake(case_file: Path, value: str) -> None:
    result = run("plan", case_file, "--today", value)
    assert result.exit_code == 2
    assert "--today" in result.stderr and "YYYY-MM-DD" in result.stderr
    assert result.stdout == ""


def test_an_invalid_case_exits_1_and_a_missing_one_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(CASE.replace("actor: town, requires", "actor: nobody, requires"), encoding="utf-8")
    result = run("plan", bad, "--today", "2024-07-16")
    assert result.exit_code == 1
    assert "bad.yaml:" in result.stderr and "nobody" in result.stderr
    assert run("plan", tmp_path / "absent.yaml").exit_code == 2


# ---------------------------------------------------------------- an intervention that does not fit


def test_an_intervention_that_does_not_fit_is_reported_not_raised(case_file: Path) -> None:
    result = run("plan", case_file, "--today", "2024-07-16", "--format", "json")
    assert result.exit_code == 0
    assert "not_fitting" in result.stderr and "change 1 (remove_requirement) does not fit the case" in result.stderr
    data = json.loads(result.stdout)
    assert all(i["id"] != "not_fitting" for item in data["items"] for i in item["interventions"])
    text = run("plan", case_file, "--today", "2024-07-16").stdout
    assert "Could not apply (1)" in text
    assert "A change that does not fit the case (not_fitting)" in text


# ---------------------------------------------------------------- text, Markdown, CSV


def test_text_groups_findings_with_who_can_act_remedies_and_what_is_overdue(case_file: Path) -> None:
    text = run("plan", case_file, "--today", "2024-07-16").stdout
    assert text.startswith("Action plan: The action plan under test\nplan-test · on 16 July 2024\n")
    assert "Critical (6)" in text and "High (1)" in text
    circle = text[text.index(CIRCLE):text.index("dead_end/apply_benefit")]
    assert "who can act: The Bank, Town Hall" in circle
    assert "layers: municipality (gemeente), private sector" in circle
    assert "no single layer can solve this" in circle
    assert "✓ Register an address without a bank account (drop_account)" in circle
    assert "status: agreed; due 1 June 2024; review on 1 September 2024 — OVERDUE" in " ".join(circle.split())
    # A finding of one layer is not marked as one no single layer can solve.
    payslip = text[text.index(PAYSLIP):text.index(GOAL)]
    assert "no single layer" not in payslip
    assert "review on 15 July 2024 — OVERDUE" in " ".join(payslip.split())
    no_owner = text[text.index(NO_OWNER):text.index("Unresolved")]
    assert "nothing resolves this yet" in no_owner
    assert "dropped: The ministry owns the age rule (ministry_owns_rule)" in no_owner
    assert "Unresolved (3)" in text and "Overdue (2)" in text
    assert text.rstrip().endswith("7 active findings; 3 unresolved; 2 interventions overdue")


def test_markdown_has_the_same_plan_and_escapes_the_case(case_file: Path, tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(CASE.replace("title: Register an address without a bank account",
                                    "title: \"<script>x</script> [click](javascript:x)\""), encoding="utf-8")
    out = run("plan", hostile, "--today", "2024-07-16", "--format", "markdown").stdout
    assert out.startswith("# Action plan: The action plan under test\n")
    assert "## Critical (6)" in out and "## Unresolved (3)" in out and "## Overdue (2)" in out
    assert "**no single layer can solve this**" in out
    assert "(`drop_account`)" in out and "— **overdue**" in out
    assert "<script>" not in out and "[click](" not in out
    assert "&lt;script&gt;" in out and "\\[click\\](javascript:x)" in out


def test_html_is_one_self_contained_page_with_the_same_plan_escaped(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(CASE.replace("title: Register an address without a bank account",
                                    "title: \"<script>x</script>\""), encoding="utf-8")
    page = run("plan", hostile, "--today", "2024-07-16", "--format", "html").stdout
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert "<h2>Critical (6)</h2>" in page and "<h2>Unresolved (3)</h2>" in page and "<h2>Overdue (2)</h2>" in page
    assert "⚑ no single layer can solve this" in page and '<span class="bad">overdue</span>' in page
    assert "<script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "http://" not in page and "https://" not in page  # nothing fetched: the styles are inlined
    assert "7 active findings; 3 unresolved; 2 interventions overdue" in page
    quiet = tmp_path / "quiet.yaml"
    quiet.write_text(CASE, encoding="utf-8")
    calm = run("plan", quiet, "--today", "2020-01-01", "--format", "html").stdout
    assert '<span class="bad">overdue</span>' not in calm and "<h2>Overdue" not in calm


def test_csv_has_one_row_per_finding_and_intervention_pair_and_no_formulas(tmp_path: Path) -> None:
    path = tmp_path / "formula.yaml"
    path.write_text(CASE.replace("title: Register an address without a bank account",
                                 "title: \"=HYPERLINK(\\\"http://evil\\\",\\\"x\\\")\""), encoding="utf-8")
    out = run("plan", path, "--today", "2024-07-16", "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(out)))
    assert tuple(rows[0]) == PLAN_CSV_COLUMNS
    body = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    data = plan_json(path)
    pairs = sum(max(1, len(item["interventions"])) for item in data["items"])
    assert len(body) == pairs == 7
    circle = next(r for r in body if r["finding"] == CIRCLE)
    assert circle["intervention"] == "drop_account"
    assert circle["intervention_title"] == "'=HYPERLINK(\"http://evil\",\"x\")"
    assert circle["layers"] == "gemeente; private" and circle["spans_layers"] == "true"
    assert circle["overdue"] == "true" and circle["due"] == "2024-06-01" and circle["review_on"] == "2024-09-01"
    goal = next(r for r in body if r["finding"] == GOAL)
    assert [goal[c] for c in PLAN_CSV_COLUMNS[7:]] == [""] * 7
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_a_finding_with_two_remedies_has_two_rows(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(CASE.replace("""      - set_days: {touchpoint: open_account, days: 0}""",
                                 """      - add_produces: {touchpoint: open_account, document: payslip}"""),
                    encoding="utf-8")
    out = run("plan", path, "--today", "2024-07-16", "--format", "csv").stdout
    rows = [r for r in csv.DictReader(io.StringIO(out)) if r["finding"] == PAYSLIP]
    assert [r["intervention"] for r in rows] == ["town_payslip", "faster_bank"]
    assert [r["overdue"] for r in rows] == ["true", "false"]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_the_dutch_plan_has_no_english_words(case_file: Path, fmt: str) -> None:
    out = run("plan", case_file, "--today", "2024-07-16", "--format", fmt, "--lang", "nl").stdout
    if fmt == "html":
        out = re.sub(r"<style>.*?</style>|<[^>]+>", " ", out, flags=re.S)
    assert "Actieplan" in out and "Stappenplan" not in out  # the persona's route is the stappenplan
    assert "geen enkele laag lost dit alleen op" in out and "te laat" in out.lower()
    assert english_leaks(out, CASE) == []


def test_output_to_a_file_refuses_to_overwrite_without_force(case_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    result = run("plan", case_file, "--today", "2024-07-16", "--format", "markdown", "-o", target)
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# Action plan:")
    assert result.stdout == ""
    target.write_text("kept", encoding="utf-8")
    result = run("plan", case_file, "--today", "2024-07-16", "-o", target)
    assert result.exit_code == 2 and "--force" in result.stderr
    assert target.read_text(encoding="utf-8") == "kept"
    assert run("plan", case_file, "--today", "2024-07-16", "-o", target, "--force").exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("Action plan:")
    assert "\x1b[" not in target.read_text(encoding="utf-8")


def test_a_case_without_interventions_leaves_every_finding_unresolved(tmp_path: Path) -> None:
    path = tmp_path / "bare.yaml"
    path.write_text(CASE[:CASE.index("interventions:")], encoding="utf-8")
    data = plan_json(path)
    assert data["items"] and data["unresolved"] == [item["finding"] for item in data["items"]]
    assert data["overdue"] == []
    assert run("plan", path, "--today", "2024-07-16").stdout.rstrip().endswith(
        "7 active findings; 7 unresolved; 0 interventions overdue")


FINE = """\
format: kafka-case/1
id: fine
title: Nothing left to do
actors:
  - {id: town, name: Town Hall, kind: municipality}
documents:
  - {id: passport, name: Passport, kind: proof}
  - {id: address, name: Address registration, kind: registration}
touchpoints:
  - {id: register, name: Register an address, actor: town, requires: [passport], produces: [address]}
personas:
  - {id: ann, name: Ann, has: [passport], goals: [address]}
interventions:
  - id: faster
    title: Register the same day
    owner: town
    status: in_progress
    due: 2024-01-31
    changes:
      - set_days: {touchpoint: register, days: 0}
accepted:
  - finding: single_point_of_failure/register
    reason: One desk for addresses is how it is meant to be.
"""


def test_a_case_without_active_findings_has_an_empty_plan_but_still_what_is_overdue(tmp_path: Path) -> None:
    path = tmp_path / "fine.yaml"
    path.write_text(FINE, encoding="utf-8")
    findings = json.loads(run("analyze", path, "--format", "json").stdout)["findings"]
    assert [f["id"] for f in findings] == ["single_point_of_failure/register"]  # accepted, so not in the plan
    data = plan_json(path)
    assert data["items"] == [] and data["unresolved"] == []
    assert data["overdue"] == ["faster"]
    text = run("plan", path, "--today", "2024-07-16").stdout
    assert "No active findings." in text
    assert "Overdue (1)" in text and "Register the same day (faster)" in text


def test_the_export_of_the_plan_and_the_review_table_refuses_a_format_they_are_not_written_in() -> None:
    from exports.writer import ExportUsageError, View, plan_case

    analysis = analyze(load_case_text(CASE))
    assert [name for name, _ in plan_case(analysis, "csv", View("plan"), (), "c.plan")] == ["c.plan.csv"]
    with pytest.raises(ExportUsageError, match="the review table is written as html, md"):
        plan_case(analysis, "csv", View("review"), (), "c.review")
    with pytest.raises(ExportUsageError, match="the action plan is written as html, md, csv"):
        plan_case(analysis, "svg", View("plan"), (), "c.plan")
