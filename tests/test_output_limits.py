"""What an output may grow to (issue 10, items 13, 14 and 16): every limit stated, nothing cut silently.

- A label lists :data:`~exports.dot.LABEL_TAGS` tags and
  :data:`~exports.dot.LABEL_RULES` rules, then "… and N more" in the case's
  language; no DOT text is longer than :data:`~exports.dot.MAX_DOT_BYTES`.
- A report draws diagrams for the first N findings (50, ``--diagrams``,
  ``KAFKA_TOOL_REPORT_DIAGRAMS``) and lists the rest, saying so.
- A diagram of more than :data:`~exports.dot.MAX_LAYOUT_ELEMENTS` boxes and
  arrows is refused before ``dot`` starts, with the focused views that fit;
  rendering keeps its timeout.

The cases come from ``tests/output_cases.py``, whose full-size versions the
benchmark measures.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import exports.reports
import exports.writer
from exports import dot as dot_module
from exports.dot import MAX_LAYOUT_ELEMENTS
from exports.render import RenderError, run_dot
from exports.scene import LABEL_RULES, LABEL_TAGS, DiagramTooLarge
from exports.views import case_diagram
from exports.writer import View, diagram_for
from kafka_tool.analysis.engine import Analysis, analyze
from kafka_tool.cli import cli
from kafka_tool.model import Case

sys.path.insert(0, str(Path(__file__).resolve().parent))
from output_cases import complete_referrals, many_findings, many_gaps


def _analysis(data: dict[str, Any]) -> Analysis:
    return analyze(Case.model_validate(data))


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    import json

    path = tmp_path / f"{data['id']}.yaml"
    path.write_text(json.dumps(data), encoding="utf-8")  # JSON is YAML
    return path


def run(*args: str | Path, cwd: Path) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, [str(a) for a in args])
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


@pytest.fixture
def no_dot(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Rendering that records what it was given and draws nothing: proves where ``dot`` is (not) run."""
    calls: list[str] = []

    def render(source: str, fmt: str, timeout: float = 120) -> bytes:
        calls.append(source)
        return b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'

    monkeypatch.setattr(exports.writer, "render", render)
    monkeypatch.setattr(exports.reports, "render", render)
    return calls


@pytest.fixture
def dot_never_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to start Graphviz fails the test."""
    import subprocess

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"dot was started: {args}")

    monkeypatch.setattr(subprocess, "run", refuse)
    monkeypatch.setattr(subprocess, "Popen", refuse)


# ---------------------------------------------------------------- item 13: labels and DOT size


def test_a_rule_label_lists_a_few_gaps_and_counts_the_rest() -> None:
    analysis = _analysis(many_gaps(rules=30, gaps=12))
    assert sum(1 for f in analysis.findings if f.kind == "coverage_gap") == 12
    source = case_diagram(analysis).to_dot()
    # Each of the 30 rules leaves all 12 gaps: five are named, seven counted.
    assert source.count("… and 7 more") == 30
    assert source.count("! leaves a gap") == 30 * LABEL_TAGS


def test_the_count_is_in_the_cases_language() -> None:
    data = many_gaps(rules=10, gaps=8)
    data["language"] = "nl"
    source = case_diagram(_analysis(data)).to_dot()
    assert source.count("… en nog 3") == 10 and "more" not in source


def test_a_box_lists_a_few_rules_the_marked_ones_first() -> None:
    data = many_gaps(rules=20, gaps=0)
    rules = [r["id"] for r in data["rules"]]
    data["touchpoints"] = [
        {"id": "desk", "name": "The desk", "actor": "agency", "rules": rules, "produces": ["benefit"]}
    ]
    for rule in data["rules"]:
        rule["when"] = {}  # serving everyone: no gap, no conflict
    data["rules"][-1].pop("owner")  # the last rule has no owner: the one marked, so shown
    source = case_diagram(_analysis(data)).to_dot()
    assert f"… and {20 - LABEL_RULES} more rules" in source
    assert "§ Rule 19" in source and "§ Rule 18" not in source


def test_no_dot_text_beyond_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    diagram = case_diagram(_analysis(many_gaps(rules=30, gaps=12)))
    with pytest.raises(DiagramTooLarge, match=r"more than 0.01 MB"):
        diagram.to_dot(limit=10_000)
    monkeypatch.setattr(dot_module, "MAX_DOT_BYTES", 10_000)
    code, output = run("export", _write(tmp_path, many_gaps(30, 12)), "--format", "dot", cwd=tmp_path)
    assert code == 1 and "more than 0.01 MB" in output and "--finding" in output
    assert not list(tmp_path.glob("*.dot"))


def test_the_issues_gap_case_gives_a_small_diagram() -> None:
    # 400 rules × 150 gaps: 60,000 gap tags, uncapped; five a rule, capped.
    source = case_diagram(_analysis(many_gaps(rules=400, gaps=150))).to_dot()
    assert source.count("… and 145 more") == 400
    assert len(source.encode()) < 1_500_000


# ---------------------------------------------------------------- item 14: diagrams per finding


def _images(markdown: str) -> list[str]:
    return re.findall(r"!\[[^\]]*\]\(([^)]+)\)", markdown)


def test_a_markdown_report_draws_the_first_50_findings_and_lists_the_rest(tmp_path: Path, no_dot: list[str]) -> None:
    path = _write(tmp_path, many_findings(40))  # 80 findings
    code, output = run("export", path, "--format", "md", "-o", tmp_path / "r.md", cwd=tmp_path)
    assert code == 0, output
    report = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert len(_images(report)) == 1 + 50 and len(no_dot) == 1 + 50
    assert report.count("#### ") == 80  # every finding is listed
    assert "Diagrams are drawn for the first 50 of 80 findings" in report and "other 30" in report
    assert len(list((tmp_path / "r-diagrams").iterdir())) == 51


@pytest.mark.parametrize("how", ["option", "variable"])
def test_the_number_of_finding_diagrams_can_be_set(
    tmp_path: Path, no_dot: list[str], monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    path = _write(tmp_path, many_findings(10))
    if how == "option":
        extra: list[str] = ["--diagrams", "3"]
    else:
        extra = []
        monkeypatch.setenv("KAFKA_TOOL_REPORT_DIAGRAMS", "3")
    code, output = run("export", path, "--format", "html", "-o", tmp_path / "r.html", *extra, cwd=tmp_path)
    assert code == 0, output
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 1 + 3 and len(no_dot) == 1 + 3
    assert "the first 3 of 20 findings" in page
    assert page.count('class="finding ') == 20


def test_zero_finding_diagrams_and_a_bad_number(
    tmp_path: Path, no_dot: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, many_findings(3))
    code, _ = run("export", path, "--format", "md", "--diagrams", "0", cwd=tmp_path)
    assert code == 0 and len(no_dot) == 1  # the case diagram only
    code, output = run("export", path, "--format", "md", "--diagrams", "-1", "--force", cwd=tmp_path)
    assert code == 2
    monkeypatch.setenv("KAFKA_TOOL_REPORT_DIAGRAMS", "many")
    code, output = run("export", path, "--format", "html", cwd=tmp_path)
    assert code == 1 and "KAFKA_TOOL_REPORT_DIAGRAMS must be a whole number" in output


# ---------------------------------------------------------------- item 16: too large to lay out


def test_a_diagram_too_large_to_lay_out_is_refused_before_dot_starts(tmp_path: Path, dot_never_runs: None) -> None:
    path = _write(tmp_path, complete_referrals(40))  # 41 boxes, 1,560 arrows
    code, output = run("export", path, "--format", "svg", cwd=tmp_path)
    assert code == 1
    assert f"more than the {MAX_LAYOUT_ELEMENTS:,} Graphviz is given to lay out" in output
    assert "41 boxes and 1,561 arrows" in output
    assert "--layers documents,rules,legend" in output and "--persona ann" in output
    assert list(tmp_path.iterdir()) == [path]
    # The views it names do fit.
    analysis = _analysis(complete_referrals(40))
    few = ("documents", "rules", "legend")
    assert diagram_for(analysis, View(), few).size <= MAX_LAYOUT_ELEMENTS
    assert diagram_for(analysis, View("persona", "ann"), few).size <= MAX_LAYOUT_ELEMENTS


def test_dot_text_of_a_large_diagram_is_still_written(tmp_path: Path, dot_never_runs: None) -> None:
    path = _write(tmp_path, complete_referrals(40))
    code, output = run("export", path, "--format", "dot", cwd=tmp_path)
    assert code == 0, output


def test_a_report_of_a_large_case_leaves_the_case_diagram_out_and_says_so(tmp_path: Path, no_dot: list[str]) -> None:
    path = _write(tmp_path, complete_referrals(40))
    code, output = run("export", path, "--format", "md", "--diagrams", "0", cwd=tmp_path)
    assert code == 0, output
    report = (tmp_path / "complete-referrals-40.md").read_text(encoding="utf-8")
    assert no_dot == [] and _images(report) == []
    assert "Not drawn: this diagram has 1,602 boxes and arrows, more than the 1,000" in report


def test_rendering_keeps_its_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    slow = tmp_path / "slow-dot"
    slow.write_text("#!/bin/sh\nsleep 30\n", encoding="utf-8")
    slow.chmod(slow.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("KAFKA_TOOL_DOT", str(slow))
    with pytest.raises(RenderError, match=r"longer than 0.5 seconds"):
        run_dot("digraph {}", "svg", timeout=0.5)
