"""``kafka-tool analyze``: findings that span two or more layers are marked, and ``--cross-layer`` shows only them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from dutch_leaks import english_leaks

from kafka_tool.cli import cli

#: The bank (private) and the town hall (gemeente) make a circle: two layers. The dead end at the
#: town hall is the town hall's alone; so is the one at the credit bank, which is the municipality's.
CASE = """\
format: kafka-case/1
id: layers
title: Layers under test
actors:
  - {id: town, name: Town Hall, kind: municipality}
  - {id: bank, name: The Bank, kind: bank}
  - {id: credit_bank, name: Municipal credit bank, kind: bank, layer: gemeente}
documents:
  - {id: passport, name: Passport, kind: proof}
  - {id: address, name: Address registration, kind: registration}
  - {id: account, name: Bank account, kind: service}
  - {id: loan, name: Loan, kind: payment}
  - {id: budget_plan, name: Budget plan, kind: proof}
touchpoints:
  - {id: register, name: Register an address, actor: town, requires: [passport, account], produces: [address]}
  - {id: open_account, name: Open a bank account, actor: bank, requires: [address], produces: [account]}
  - {id: ask_loan, name: Ask for a loan, actor: credit_bank, requires: [budget_plan], produces: [loan]}
personas:
  - {id: ann, name: Ann, has: [passport], goals: [account]}
  - {id: bo, name: Bo, has: [passport], goals: [loan]}
"""

CIRCLE = "circular_dependency/account+address"
SINGLE = ("dead_end/register", "dead_end/ask_loan")


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    path = tmp_path / "layers.yaml"
    path.write_text(CASE, encoding="utf-8")
    return path


def _block(text: str, finding_id: str) -> str:
    """The lines of one finding in the text report."""
    start = text.index(f"    {finding_id}\n")
    end = text.find("\n\n", start)
    return text[start:end]


def test_the_text_marks_only_the_findings_that_span_layers(case_file: Path) -> None:
    text = run("analyze", case_file).stdout
    assert "⚠ layers: municipality (gemeente), private sector — no single layer can solve this" in \
        _block(text, CIRCLE)
    for finding_id in SINGLE:  # a desk of one layer; the credit bank is a bank of the municipality's layer
        assert "no single layer" not in _block(text, finding_id)


def test_cross_layer_shows_only_those_findings(case_file: Path) -> None:
    every = {f["id"] for f in json.loads(run("analyze", case_file, "--format", "json").stdout)["findings"]}
    assert CIRCLE in every and set(SINGLE) <= every
    data = json.loads(run("analyze", case_file, "--format", "json", "--cross-layer").stdout)
    assert data["findings"] and all(len(f["layers"]) >= 2 for f in data["findings"])
    # Ann's goal hangs on both; Bo's only on the credit bank, a bank of the municipality's layer.
    assert [f["id"] for f in data["findings"]] == [CIRCLE, "unreachable_goal/ann/account"]
    assert "unreachable_goal/bo/loan" in every
    assert not set(SINGLE) & {f["id"] for f in data["findings"]}
    assert list(data) == ["format", "case", "findings", "personas"]
    text = run("analyze", case_file, "--cross-layer").stdout
    assert CIRCLE in text and not any(f"    {f}\n" in text for f in SINGLE)


def test_the_markdown_marks_them_too(case_file: Path) -> None:
    out = run("analyze", case_file, "--format", "markdown").stdout
    assert "**Layers:** municipality (gemeente), private sector — **no single layer can solve this**" in out
    assert out.count("no single layer can solve this") == len(
        json.loads(run("analyze", case_file, "--format", "json", "--cross-layer").stdout)["findings"])


def test_the_dutch_mark(case_file: Path) -> None:
    text = run("analyze", case_file, "--lang", "nl", "--cross-layer").stdout
    assert "⚠ lagen: gemeente, privaat — geen enkele laag lost dit alleen op" in text
    assert english_leaks(text, CASE) == []


def test_fail_on_counts_only_the_findings_shown(case_file: Path, tmp_path: Path) -> None:
    # Bo's dead end is critical and of one layer; without the circle there is nothing across layers.
    single = tmp_path / "single.yaml"
    single.write_text(CASE.replace("requires: [passport, account], produces: [address]",
                                   "requires: [passport], produces: [address]"), encoding="utf-8")
    assert run("analyze", single, "--fail-on", "critical").exit_code == 1
    assert run("analyze", single, "--fail-on", "critical", "--cross-layer").exit_code == 0
    assert run("analyze", case_file, "--fail-on", "critical", "--cross-layer").exit_code == 1


def test_the_html_report_marks_them_too(case_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    result = run("export", case_file, "--format", "html", "-o", target, "--diagrams", "0")
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    marks = html.count('class="cross-layer"')
    assert marks == 2  # the circle and Ann's goal; none of the findings of one layer
    assert "municipality (gemeente), private sector — <strong>no single layer can solve this</strong>" in html
