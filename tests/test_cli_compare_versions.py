"""``kafka-tool compare OLD NEW``: two versions of a case, as the follow-up of a review compares them.

The old version: Ann and Bob both need a payslip that nobody issues. In the new one Bob has
brought his payslip, so the unobtainable payslip and Bob's unreachable goal went away, the dead
end at the benefit desk concerns only Ann now (changed, fewer personas), and a help desk without
an actor was added (new: nobody is responsible for it). The intervention went from agreed to in
progress.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from dutch_leaks import english_leaks

from kafka_tool.cli import cli

OLD = """\
format: kafka-case/1
id: follow-up
title: The follow-up under test
actors:
  - {id: town, name: Town Hall, kind: municipality}
  - {id: agency, name: Benefits Agency, kind: executive_agency}
documents:
  - {id: passport, name: Passport, kind: proof}
  - {id: address, name: Address registration, kind: registration}
  - {id: payslip, name: Payslip, kind: proof}
  - {id: benefit, name: Benefit, kind: payment}
touchpoints:
  - {id: register, name: Register an address, actor: town, requires: [passport], produces: [address]}
  - {id: apply_benefit, name: Apply for the benefit, actor: agency, requires: [address, payslip],
     produces: [benefit]}
personas:
  - {id: ann, name: Ann, has: [passport], goals: [benefit]}
  - {id: bob, name: Bob, has: [passport], goals: [benefit]}
interventions:
  - id: town_payslip
    title: The town hall issues an income statement
    owner: town
    status: agreed
    changes:
      - add_produces: {touchpoint: register, document: payslip}
"""

NEW = (OLD.replace("{id: bob, name: Bob, has: [passport]", "{id: bob, name: Bob, has: [passport, payslip]")
       .replace("status: agreed", "status: in_progress")
       .replace("personas:\n", "  - {id: help_desk, name: Help desk, requires: [passport], produces: [address]}\n"
                               "personas:\n"))

GONE = "unobtainable_document/payslip"
BOB = "unreachable_goal/bob/benefit"
DEAD_END = "dead_end/apply_benefit"
NO_OWNER = "no_owner/help_desk"


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    return old, new


def compared(old: Path, new: Path) -> dict:  # type: ignore[type-arg]
    result = run("compare", old, new, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_json_says_what_went_away_what_is_new_and_what_changed(versions: tuple[Path, Path]) -> None:
    data = compared(*versions)
    assert list(data) == ["format", "case", "intervention", "resolved", "introduced", "changed", "personas",
                          "statuses", "still_there"]
    assert data["format"] == "kafka-compare/1" and data["case"] == "follow-up"
    assert data["intervention"] is None
    assert [f["id"] for f in data["resolved"]] == [GONE, BOB]
    assert NO_OWNER in [f["id"] for f in data["introduced"]]
    changed = {c["id"]: c for c in data["changed"]}
    assert changed[DEAD_END]["before"]["personas"] == ["ann", "bob"]
    assert changed[DEAD_END]["after"]["personas"] == ["ann"]
    # A finding that went away is not also listed as changed, nor a new one as resolved.
    assert GONE not in changed and NO_OWNER not in changed
    assert not {f["id"] for f in data["resolved"]} & {f["id"] for f in data["introduced"]}
    assert data["statuses"] == [{"id": "town_payslip", "before": "agreed", "after": "in_progress"}]
    assert data["still_there"] == []  # in progress: it has not promised anything yet


def test_an_intervention_marked_done_whose_findings_stayed_is_named(tmp_path: Path) -> None:
    """The town hall's payslip would resolve Ann's dead end; marked done, the new version still has it
    (Bob brought his own payslip; the town hall issues none)."""
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW.replace("status: in_progress", "status: done"), encoding="utf-8")
    data = compared(old, new)
    assert data["statuses"] == [{"id": "town_payslip", "before": "agreed", "after": "done"}]
    assert data["still_there"] == [{"id": "town_payslip", "status": "done",
                                    "findings": [DEAD_END, "unreachable_goal/ann/benefit"]}]
    text = run("compare", old, new).stdout
    part = text[text.index("Done, but what it resolves is still there (1)"):text.index("Personas")]
    assert "The town hall issues an income statement (town_payslip): done" in part
    assert "! [critical] Dead end at Apply for the benefit" in part
    # The near miss: really done (the town hall issues the payslip in the new version), nothing stays.
    really = tmp_path / "really.yaml"
    really.write_text(NEW.replace("status: in_progress", "status: done").replace(
        "produces: [address]}\n  - {id: apply_benefit", "produces: [address, payslip]}\n  - {id: apply_benefit"),
        encoding="utf-8")
    data = compared(old, really)
    assert DEAD_END in [f["id"] for f in data["resolved"]]
    assert data["still_there"] == []
    assert "Done, but" not in run("compare", old, really).stdout


def test_every_persona_before_and_after(versions: tuple[Path, Path]) -> None:
    personas = {p["id"]: p for p in compared(*versions)["personas"]}
    assert set(personas) == {"ann", "bob"}
    assert personas["bob"]["before"]["goals_reachable"] == {"benefit": False}
    assert personas["bob"]["after"]["goals_reachable"] == {"benefit": True}
    assert personas["ann"]["before"]["goals_reachable"] == personas["ann"]["after"]["goals_reachable"] == {
        "benefit": False}
    assert set(personas["bob"]["after"]["burden"]) >= {"steps", "actors", "days", "cost"}


def test_a_persona_in_one_version_only_has_null_on_the_other_side(tmp_path: Path) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(OLD.replace("interventions:", "  - {id: cem, name: Cem, has: [passport], goals: [address]}\n"
                                                 "interventions:"), encoding="utf-8")
    personas = {p["id"]: p for p in compared(old, new)["personas"]}
    assert personas["cem"]["before"] is None
    assert personas["cem"]["after"]["goals_reachable"] == {"address": True}
    text = run("compare", old, new).stdout
    assert "Cem: new in this version" in text


def test_the_same_file_twice_changes_nothing(versions: tuple[Path, Path]) -> None:
    old, _ = versions
    data = compared(old, old)
    assert data["resolved"] == data["introduced"] == data["changed"] == data["statuses"] == []
    text = run("compare", old, old).stdout
    assert "Went away (0)" in text and "Stayed (4)" in text and "Changed (0)" in text and "New (0)" in text


def test_text_says_what_went_away_stayed_changed_and_is_new(versions: tuple[Path, Path]) -> None:
    old, new = versions
    text = run("compare", old, new).stdout
    assert text.startswith("Follow-up: The follow-up under test\n")
    went = text[text.index("Went away (2)"):text.index("Stayed (0)")]
    assert "✓ [critical] Nobody can get Payslip" in went and "✓ [critical] Bob cannot get Benefit" in went
    changed = text[text.index("Changed (2)"):text.index("New (")]
    assert "↘ [critical] Dead end at Apply for the benefit: personas: Ann and Bob → Ann" in changed
    new_part = text[text.index("New ("):text.index("Interventions whose status changed")]
    assert "✗ [high] Nobody is responsible for Help desk" in new_part
    assert "Interventions whose status changed (1)" in text
    assert "The town hall issues an income statement (town_payslip): agreed → in progress" in text
    assert "✓ Benefit  (now reachable)" in text


def test_the_dutch_follow_up_has_no_english_words(versions: tuple[Path, Path]) -> None:
    text = run("compare", *versions, "--lang", "nl").stdout
    assert "Verdwenen (2)" in text and "afgesproken → loopt" in text
    assert english_leaks(text, OLD + NEW) == []


def test_intervention_with_two_files_is_a_usage_mistake(versions: tuple[Path, Path]) -> None:
    result = run("compare", *versions, "--intervention", "town_payslip")
    assert result.exit_code == 2
    assert "--intervention" in result.stderr and "two files" in result.stderr
    assert result.stdout == ""


def test_one_file_without_an_intervention_is_a_usage_mistake(versions: tuple[Path, Path]) -> None:
    result = run("compare", versions[0])
    assert result.exit_code == 2
    assert "--intervention" in result.stderr and "compare OLD NEW" in result.stderr


def test_one_file_with_an_intervention_still_compares_the_intervention(versions: tuple[Path, Path]) -> None:
    result = run("compare", versions[0], "--intervention", "town_payslip", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["intervention"] == "town_payslip"
    assert GONE in [f["id"] for f in data["resolved"]]


def test_a_missing_new_file_is_2_and_an_invalid_one_1(versions: tuple[Path, Path], tmp_path: Path) -> None:
    old, _ = versions
    missing = run("compare", old, tmp_path / "absent.yaml")
    assert missing.exit_code == 2 and "absent.yaml" in missing.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text(NEW.replace("actor: agency", "actor: agnecy"), encoding="utf-8")
    invalid = run("compare", old, broken)
    assert invalid.exit_code == 1
    assert "broken.yaml:" in invalid.stderr and "agnecy" in invalid.stderr


def test_two_different_cases_are_compared_with_a_note(versions: tuple[Path, Path], tmp_path: Path) -> None:
    old, _ = versions
    other = tmp_path / "other.yaml"
    other.write_text(NEW.replace("id: follow-up", "id: another-case"), encoding="utf-8")
    result = run("compare", old, other, "--format", "json")
    assert result.exit_code == 0
    assert "another-case" in result.stderr and "follow-up" in result.stderr
    assert json.loads(result.stdout)["case"] == "another-case"
