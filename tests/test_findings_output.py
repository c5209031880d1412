"""``kafka-tool analyze``: the JSON contract, accepted findings, ``--persona``, ``--fail-on``, formats.

And stable ids: the same case gives the same bytes in two separate processes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kafka_tool.analysis.engine import analyze
from kafka_tool.cli import cli
from kafka_tool.loader import load_case_text

ROOT = Path(__file__).resolve().parent.parent

#: Amira is stuck in the account/address circle; Bob's goal is reachable; a desk has no actor.
CIRCLE = """\
format: kafka-case/1
id: circle
title: No account without an address
attributes:
  age: {type: integer, min: 0, max: 120}
actors:
  - {id: bank, name: The Bank}
  - {id: town, name: The Town}
documents:
  - {id: account, name: Bank account}
  - {id: address, name: Address}
  - {id: passport, name: Passport}
  - {id: id_card, name: ID card}
  - {id: advice, name: Advice}
rules:
  - id: adults
    name: Adults only
    owner: bank
    when: {age: {min: 18}}
touchpoints:
  - {id: open, name: Open an account, actor: bank, rules: [adults], requires: [address], produces: [account]}
  - {id: register, name: Register an address, actor: town, requires: [account, passport], produces: [address]}
  - {id: id_desk, name: ID desk, actor: town, requires: [passport], produces: [id_card], days: 5}
  - {id: advice_desk, name: Advice desk, produces: [advice]}
personas:
  - {id: amira, name: Amira, attributes: {age: 24}, has: [passport], goals: [account]}
  - {id: bob, name: Bob, attributes: {age: 40}, has: [passport], goals: [id_card, advice]}
accepted:
  - finding: no_owner/advice_desk
    reason: The advice desk is run by volunteers on purpose.
  - finding: dead_end/vanished
    reason: Fixed long ago.
"""

#: Only medium findings: the passport is asked twice, and each desk is the only way.
MEDIUM = """\
format: kafka-case/1
id: medium
title: Passport twice
actors:
  - {id: bank, name: The Bank}
  - {id: town, name: The Town}
documents:
  - {id: passport, name: Passport}
  - {id: id_card, name: ID card}
  - {id: account, name: Bank account}
touchpoints:
  - {id: id_desk, name: ID desk, actor: town, requires: [passport], produces: [id_card]}
  - {id: bank_desk, name: Bank desk, actor: bank, requires: [passport], produces: [account]}
personas:
  - {id: amira, name: Amira, has: [passport], goals: [id_card, account]}
"""

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


@pytest.fixture
def case_file(tmp_path: Path):  # type: ignore[no-untyped-def]
    def write(text: str, name: str = "case.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def run(*args: str | Path):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["analyze", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


# ---------------------------------------------------------------- the JSON contract


def test_json_output_matches_the_contract(case_file) -> None:  # type: ignore[no-untyped-def]
    result = run(case_file(CIRCLE), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert list(data) == ["format", "case", "findings", "personas"]
    assert data["format"] == "kafka-findings/1"
    assert data["case"] == "circle"
    assert data["findings"]
    for finding in data["findings"]:
        assert list(finding) == FINDING_KEYS
        assert all(isinstance(finding[k], str) for k in ("id", "kind", "severity", "title", "explanation"))
        assert all(isinstance(finding[k], list) for k in ("nodes", "personas", "actors", "rules"))
        assert finding["region"] is None or isinstance(finding["region"], dict)
        assert finding["accepted"] is None or isinstance(finding["accepted"], str)
    ids = [f["id"] for f in data["findings"]]
    assert len(ids) == len(set(ids))
    assert [p["id"] for p in data["personas"]] == ["amira", "bob"]
    for persona in data["personas"]:
        assert list(persona) == ["id", "goals_reachable", "earliest_days", "obtainable", "plan", "burden", "annual",
                                 "ahead", "means"]
        assert list(persona["burden"]) == ["steps", "actors", "days", "cost", "elapsed_days", "hours", "hours_cost"]
    amira, bob = data["personas"]
    assert amira["goals_reachable"] == {"account": False}
    assert amira["obtainable"] == ["id_card", "passport"]
    assert amira["plan"] == []
    assert amira["burden"] == {"steps": 0, "actors": 0, "days": 0, "cost": 0, "elapsed_days": 0,
                               "hours": 0, "hours_cost": None}
    assert bob["goals_reachable"] == {"id_card": True, "advice": False}
    assert bob["plan"] == ["id_desk"]
    assert bob["burden"] == {"steps": 1, "actors": 1, "days": 5, "cost": 0, "elapsed_days": 5,
                             "hours": 0, "hours_cost": None}


#: Nothing wrong: one desk that gives a paper to whoever asks, and nobody stuck.
QUIET = """\
format: kafka-case/1
id: quiet
title: One desk
actors:
  - {id: town, name: The Town}
documents:
  - {id: extract, name: Extract}
touchpoints:
  - {id: desk, name: Desk, actor: town, produces: [extract]}
"""


def test_findings_written_one_at_a_time_give_the_same_json() -> None:
    from kafka_tool.report import findings_json, to_json_text

    for text, persona in ((CIRCLE, None), (CIRCLE, "amira"), (QUIET, None)):
        analysis = analyze(load_case_text(text))
        eager = to_json_text(findings_json(analysis, persona))
        assert to_json_text(findings_json(analysis, persona, lazy=True)) == eager
        shown = analysis.for_persona(persona) if persona else analysis.findings
        assert [f["id"] for f in json.loads(eager)["findings"]] == [f.id for f in shown]
    quiet = to_json_text(findings_json(analyze(load_case_text(QUIET)), lazy=True))
    assert '"findings": [],' in quiet and json.loads(quiet)["findings"] == []


def test_json_text_is_one_item_a_line_and_writes_what_orjson_cannot() -> None:
    from kafka_tool.report import to_json_text

    data = {"format": "x", "items": [{"big": 2**70, "n": 1.5}, {"keys": {1: "one"}}, {"name": "Zoë"}],
            "none": []}
    text = to_json_text(data)
    assert text.splitlines() == [
        "{",
        '  "format": "x",',
        '  "items": [',
        '    {"big":1180591620717411303424,"n":1.5},',
        '    {"keys":{"1":"one"}},',
        '    {"name":"Zoë"}',
        "  ],",
        '  "none": []',
        "}",
    ]
    assert json.loads(text)["items"][0]["big"] == 2**70


def test_json_findings_are_sorted_by_severity_then_kind_then_id(case_file) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(run(case_file(CIRCLE), "--format", "json").stdout)
    order = ["critical", "high", "medium", "low"]
    keys = [(order.index(f["severity"]), f["kind"], f["id"]) for f in data["findings"]]
    assert keys == sorted(keys)


def test_ids_are_identical_across_two_processes(case_file) -> None:  # type: ignore[no-untyped-def]
    paths = [case_file(CIRCLE), *sorted((ROOT / "cases").glob("*.yaml"))[:2]]
    for path in paths:
        outputs = []
        for seed in ("1", "2"):
            env = {**os.environ, "PYTHONHASHSEED": seed}
            done = subprocess.run(
                [sys.executable, "-m", "kafka_tool", "analyze", str(path), "--format", "json"],
                capture_output=True,
                env=env,
                check=False,
                timeout=120,
            )
            assert done.returncode == 0, done.stderr
            outputs.append(done.stdout)
        assert outputs[0] == outputs[1], path
        ids = [f["id"] for f in json.loads(outputs[0])["findings"]]
        assert len(ids) == len(set(ids)), path


def test_sample_cases_have_unique_ids() -> None:
    for path in sorted((ROOT / "cases").glob("*.yaml")):
        analysis = analyze(load_case_text(path.read_text(encoding="utf-8"), str(path)))
        ids = [f.id for f in analysis.findings]
        assert len(ids) == len(set(ids)), path
        assert not [i for i in ids if "~" in i], path


# ---------------------------------------------------------------- accepted findings


def test_accepted_findings_are_marked_with_the_reason(case_file) -> None:  # type: ignore[no-untyped-def]
    result = run(case_file(CIRCLE), "--format", "json")
    findings = {f["id"]: f for f in json.loads(result.stdout)["findings"]}
    assert findings["no_owner/advice_desk"]["accepted"] == "The advice desk is run by volunteers on purpose."
    assert all(f["accepted"] is None for i, f in findings.items() if i != "no_owner/advice_desk")


def test_stale_acceptance_is_reported(case_file) -> None:  # type: ignore[no-untyped-def]
    path = case_file(CIRCLE)
    text = run(path)
    assert "dead_end/vanished" in text.stdout and "no longer occurs" in text.stdout
    assert "[accepted]" in text.stdout
    assert "accepted: The advice desk is run by volunteers on purpose." in text.stdout
    as_json = run(path, "--format", "json")
    json.loads(as_json.stdout)  # the note does not spoil the JSON
    assert "dead_end/vanished" in as_json.stderr and "no longer occurs" in as_json.stderr
    markdown = run(path, "--format", "markdown")
    assert "`dead_end/vanished` no longer occurs" in markdown.stdout


def test_accepted_findings_do_not_count_for_fail_on(case_file) -> None:  # type: ignore[no-untyped-def]
    assert run(case_file(MEDIUM), "--fail-on", "medium").exit_code == 1
    findings = json.loads(run(case_file(MEDIUM), "--format", "json").stdout)["findings"]
    assert {f["severity"] for f in findings} == {"medium"}
    accepted = "accepted:\n" + "".join(f"  - {{finding: {f['id']}, reason: On purpose.}}\n" for f in findings)
    path = case_file(MEDIUM + accepted, "accepted.yaml")
    assert run(path, "--fail-on", "medium").exit_code == 0
    assert run(path, "--fail-on", "low").exit_code == 0


# ---------------------------------------------------------------- --fail-on, --persona


@pytest.mark.parametrize(("fail_on", "code"), [("critical", 0), ("high", 0), ("medium", 1), ("low", 1)])
def test_fail_on_exit_codes(case_file, fail_on: str, code: int) -> None:  # type: ignore[no-untyped-def]
    assert run(case_file(MEDIUM), "--fail-on", fail_on, "--format", "json").exit_code == code


def test_no_fail_on_exits_zero_despite_critical_findings(case_file) -> None:  # type: ignore[no-untyped-def]
    path = case_file(CIRCLE)
    assert run(path).exit_code == 0
    assert run(path, "--fail-on", "critical").exit_code == 1


def test_persona_filters_findings_and_results(case_file) -> None:  # type: ignore[no-untyped-def]
    path = case_file(CIRCLE)
    everything = json.loads(run(path, "--format", "json").stdout)
    for who, other in (("amira", "bob"), ("bob", "amira")):
        data = json.loads(run(path, "--format", "json", "--persona", who).stdout)
        assert [p["id"] for p in data["personas"]] == [who]
        assert data["findings"]
        for finding in data["findings"]:
            assert not finding["personas"] or who in finding["personas"]
        expected = [f for f in everything["findings"] if not f["personas"] or who in f["personas"]]
        assert data["findings"] == expected
        assert any(other in f["personas"] for f in everything["findings"] if f not in data["findings"])


def test_persona_filter_applies_to_fail_on(case_file) -> None:  # type: ignore[no-untyped-def]
    path = case_file(CIRCLE)
    assert run(path, "--persona", "amira", "--fail-on", "critical").exit_code == 1
    bob = json.loads(run(path, "--format", "json", "--persona", "bob").stdout)
    code = 1 if any(f["severity"] == "critical" and f["accepted"] is None for f in bob["findings"]) else 0
    assert run(path, "--persona", "bob", "--fail-on", "critical").exit_code == code


def test_unknown_persona_is_a_usage_error_with_a_suggestion(case_file) -> None:  # type: ignore[no-untyped-def]
    result = run(case_file(CIRCLE), "--persona", "amria")
    assert result.exit_code == 2
    assert "amria" in result.stderr
    assert "did you mean 'amira'" in result.stderr
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_unknown_persona_in_a_subprocess_gives_no_traceback(case_file) -> None:  # type: ignore[no-untyped-def]
    done = subprocess.run(
        [sys.executable, "-m", "kafka_tool", "analyze", str(case_file(CIRCLE)), "--persona", "nobody"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "--persona" in done.stderr


# ---------------------------------------------------------------- formats


def test_markdown_has_a_heading_per_severity(case_file) -> None:  # type: ignore[no-untyped-def]
    path = case_file(CIRCLE)
    data = json.loads(run(path, "--format", "json").stdout)
    markdown = run(path, "--format", "markdown").stdout
    assert markdown.startswith("# No account without an address\n")
    assert "## Findings" in markdown
    counts: dict[str, int] = {}
    accepted: dict[str, int] = {}
    for finding in data["findings"]:
        counts[finding["severity"]] = counts.get(finding["severity"], 0) + 1
        if finding["accepted"] is not None:
            accepted[finding["severity"]] = accepted.get(finding["severity"], 0) + 1
        assert f"`{finding['id']}`" in markdown
    assert accepted  # the case accepts one finding
    for severity in ("critical", "high", "medium", "low"):
        heading = f"### {severity.capitalize()} ("
        if severity in accepted:  # accepted findings no longer count against the case
            open_count = counts[severity] - accepted[severity]
            assert f"{heading}{open_count}, +{accepted[severity]} accepted)" in markdown
        elif severity in counts:
            assert f"{heading}{counts[severity]})" in markdown
        else:
            assert heading not in markdown
    positions = [
        markdown.index(f"### {s.capitalize()} (") for s in ("critical", "high", "medium", "low") if s in counts
    ]
    assert positions == sorted(positions)
    assert "*(accepted)*" in markdown


def test_text_output_groups_by_severity_and_names_who_can_act(case_file) -> None:  # type: ignore[no-untyped-def]
    result = run(case_file(CIRCLE))
    assert result.exit_code == 0
    out = result.stdout
    assert "Critical (" in out and "High (" in out
    assert out.index("Critical (") < out.index("High (")
    assert "circular_dependency/account+address" in out
    assert "who can act: The Bank, The Town" in out
    data = json.loads(run(case_file(CIRCLE), "--format", "json").stdout)
    open_findings = [f for f in data["findings"] if f["accepted"] is None]
    assert len(open_findings) < len(data["findings"])
    # the summary counts what counts against the case, and the accepted ones apart
    assert out.splitlines()[-1].startswith(f"{len(open_findings)} findings (")
    assert out.splitlines()[-1].endswith(f", {len(data['findings']) - len(open_findings)} accepted")


def test_every_format_is_deterministic(case_file) -> None:  # type: ignore[no-untyped-def]
    path = case_file(CIRCLE)
    for fmt in ("text", "json", "markdown"):
        assert run(path, "--format", fmt).stdout == run(path, "--format", fmt).stdout


# ---------------------------------------------------------------- the process itself


def test_a_batch_process_ends_with_all_its_output_and_its_exit_code(case_file) -> None:  # type: ignore[no-untyped-def]
    """A batch command leaves at once when its work is done: nothing it wrote may be lost."""
    path = case_file(CIRCLE)
    in_process = CliRunner().invoke(cli, ["analyze", str(path), "--format", "json"])
    for fail_on, code in ((None, 0), ("critical", 1)):
        args = [sys.executable, "-m", "kafka_tool", "analyze", str(path), "--format", "json"]
        if fail_on:
            args += ["--fail-on", fail_on]
        done = subprocess.run(args, capture_output=True, text=True, check=False, timeout=120)
        assert done.returncode == code, done.stderr
        assert done.stdout == in_process.stdout
        assert "no longer occurs" in done.stderr  # the stale acceptance, on stderr after stdout


def test_the_cycle_collector_is_back_after_a_command(case_file) -> None:  # type: ignore[no-untyped-def]
    import gc

    assert gc.isenabled()
    result = CliRunner().invoke(cli, ["analyze", str(case_file(CIRCLE))])
    assert result.exit_code == 0
    assert gc.isenabled()


def test_a_process_that_ends_with_its_command_leaves_the_collector_off(case_file, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Turned on again, the collector would first walk every object the analysis made, just before the end."""
    import gc

    from kafka_tool import cli as cli_module

    monkeypatch.setattr(cli_module, "_entry", True)
    try:
        result = CliRunner().invoke(cli, ["analyze", str(case_file(CIRCLE))])
        assert result.exit_code == 0
        assert not gc.isenabled()
    finally:
        gc.enable()
        cli_module._kept.clear()
