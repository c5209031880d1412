"""``kafka-tool export``: formats, file names, refusing to overwrite, staying inside the output folder, reports."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from exports.render import DotNotFound, render
from exports.reports import CSV_COLUMNS
from exports.writer import OutputFolder, safe_name
from kafka_tool.analysis.engine import analyze
from kafka_tool.cli import cli
from kafka_tool.errors import KafkaToolError
from kafka_tool.loader import load_case

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "cases" / "status-holder-bsn-bank-house.yaml"



def run(*args: str, cwd: Path) -> tuple[int, str, str]:
    runner = CliRunner()
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = runner.invoke(cli, ["export", *args], catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def test_dot_goes_to_the_current_folder_named_after_the_case(tmp_path: Path) -> None:
    code, _, err = run(str(CASE), "--format", "dot", cwd=tmp_path)
    assert code == 0, err
    target = tmp_path / "status-holder-bsn-bank-house.dot"
    assert target.read_text(encoding="utf-8").startswith("digraph kafka {")
    assert f"wrote {target}" in err


def test_output_ending_in_a_slash_is_a_folder_made_if_need_be(tmp_path: Path) -> None:
    code, _, err = run(str(CASE), "--format", "dot", "-o", "out/diagrams/", cwd=tmp_path)
    assert code == 0, err
    assert (tmp_path / "out" / "diagrams" / "status-holder-bsn-bank-house.dot").is_file()
    assert not (tmp_path / "out" / "diagrams.dot").exists()
    # without the slash, a missing folder is a mistake to point out, not to paper over
    code, _, err = run(str(CASE), "--format", "dot", "-o", "nowhere/x.dot", cwd=tmp_path)
    assert code == 1 and "does not exist" in err and not (tmp_path / "nowhere").exists()


def test_views_get_their_own_file_names_with_finding_ids_made_safe(tmp_path: Path) -> None:
    finding = "circular_dependency/bank_account+bsn+rental_contract"
    for option in (
        ["--finding", finding],
        ["--persona", "yonas"],
        ["--journey", "yonas"],
        ["--intervention", "no_bank_account_for_rent"],
    ):
        code, _, err = run(str(CASE), "--format", "dot", *option, cwd=tmp_path)
        assert code == 0, err
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "status-holder-bsn-bank-house.finding-circular_dependency.bank_account-bsn-rental_contract.dot",
        "status-holder-bsn-bank-house.intervention-no_bank_account_for_rent.dot",
        "status-holder-bsn-bank-house.journey-yonas.dot",
        "status-holder-bsn-bank-house.persona-yonas.dot",
    ]


def test_an_existing_file_is_not_overwritten_without_force(tmp_path: Path) -> None:
    target = tmp_path / "mine.dot"
    target.write_text("precious", encoding="utf-8")
    code, _, err = run(str(CASE), "--format", "dot", "-o", str(target), cwd=tmp_path)
    assert code == 2
    assert "exists; pass --force" in err
    assert target.read_text(encoding="utf-8") == "precious"
    code, _, err = run(str(CASE), "--format", "dot", "-o", str(target), "--force", cwd=tmp_path)
    assert code == 0, err
    assert target.read_text(encoding="utf-8").startswith("digraph")


def test_file_names_never_leave_the_output_folder(tmp_path: Path) -> None:
    for hostile in ("../x", "a/../../b", "/etc/passwd", "..", ".", "x\\..\\y", "dead_end/a+b~2"):
        name = safe_name(hostile)
        assert "/" not in name and "\\" not in name and ".." not in name and not name.startswith(".")
    folder = OutputFolder(tmp_path / "out")
    with pytest.raises(KafkaToolError, match="outside the output folder"):
        folder.target("../escape.dot")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "link.dot").symlink_to(tmp_path / "elsewhere.dot")
    with pytest.raises(KafkaToolError, match="outside the output folder"):
        folder.target("link.dot")


def test_unknown_finding_persona_and_conflicting_views_are_clear_errors(tmp_path: Path) -> None:
    code, _, err = run(str(CASE), "--format", "dot", "--finding", "dead_end/brp_stret", cwd=tmp_path)
    assert code == 2 and "--finding: no finding 'dead_end/brp_stret'" in err
    assert "did you mean 'dead_end/brp_street'" in err
    code, _, err = run(str(CASE), "--format", "dot", "--persona", "yonas", "--finding", "x", cwd=tmp_path)
    assert code == 2 and "one view at a time" in err
    code, _, err = run(str(CASE), "--format", "dot", "--layers", "documents,bogus", cwd=tmp_path)
    assert code == 2 and "--layers: unknown layer 'bogus'" in err
    code, _, err = run(str(CASE), "--format", "csv", "--persona", "yonas", cwd=tmp_path)
    assert code == 2
    assert list(tmp_path.iterdir()) == []


def test_a_missing_dot_says_how_to_install_it_and_dot_format_still_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(shutil, "which", lambda *a, **k: None)
    with pytest.raises(DotNotFound, match=r"apt-get install graphviz.*brew install graphviz"):
        render("digraph {}", "svg")
    code, _, err = run(str(CASE), "--format", "png", cwd=tmp_path)
    assert code == 1
    assert "apt-get install graphviz" in err and "Traceback" not in err
    code, _, err = run(str(CASE), "--format", "dot", cwd=tmp_path)
    assert code == 0, err


def test_csv_has_one_row_per_finding() -> None:
    from exports.reports import csv_report

    analysis = analyze(load_case(CASE))
    rows = list(csv.DictReader(io.StringIO(csv_report(analysis))))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert [r["id"] for r in rows] == [f.id for f in analysis.findings]
    assert rows[0]["explanation"] == analysis.findings[0].explanation


def test_csv_export_needs_no_dot(tmp_path: Path) -> None:
    code, _, err = run(str(CASE), "--format", "csv", "-o", str(tmp_path / "f.csv"), cwd=tmp_path)
    assert code == 0, err
    with (tmp_path / "f.csv").open(encoding="utf-8", newline="") as handle:
        assert len(list(csv.reader(handle))) == len(analyze(load_case(CASE)).findings) + 1


@pytest.mark.needs_dot
@pytest.mark.parametrize("fmt,magic", [("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF")])
def test_rendered_formats(dot: None, tmp_path: Path, fmt: str, magic: bytes) -> None:
    code, _, err = run(str(CASE), "--format", fmt, "--persona", "amal", cwd=tmp_path)
    assert code == 0, err
    assert (tmp_path / f"status-holder-bsn-bank-house.persona-amal.{fmt}").read_bytes().startswith(magic)


@pytest.mark.needs_dot
def test_a_folder_of_cases_goes_into_a_folder(dot: None, tmp_path: Path) -> None:
    code, _, err = run(str(ROOT / "cases"), "--format", "svg", "-o", str(tmp_path / "OUT"), cwd=tmp_path)
    assert code == 0, err
    written = sorted(p.name for p in (tmp_path / "OUT").iterdir())
    assert len(written) == len(list((ROOT / "cases").glob("*.yaml")))
    assert err.count("wrote ") == len(written)
    code, _, err = run(str(ROOT / "cases"), "--format", "svg", "-o", str(tmp_path / "OUT"), cwd=tmp_path)
    assert code == 2 and "--force" in err


@pytest.mark.needs_dot
def test_html_is_one_self_contained_printable_page(dot: None, tmp_path: Path) -> None:
    code, _, err = run(str(CASE), "--format", "html", cwd=tmp_path)
    assert code == 0, err
    page = (tmp_path / "status-holder-bsn-bank-house.html").read_text(encoding="utf-8")
    analysis = analyze(load_case(CASE))
    assert page.count("<svg") == 1 + len(analysis.findings)
    assert "@media print" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?https?://""", page)
    assert "url(http" not in page and "@import" not in page and "<!DOCTYPE svg" not in page
    for finding in analysis.findings:
        assert finding.id in page
    assert "Resolves" in page and "Stop asking for a bank account" in page


@pytest.mark.needs_dot
def test_markdown_references_the_svg_files_it_wrote(dot: None, tmp_path: Path) -> None:
    code, _, err = run(str(CASE), "--format", "md", "-o", str(tmp_path / "report.md"), cwd=tmp_path)
    assert code == 0, err
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    referenced = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert len(referenced) == 1 + len(analyze(load_case(CASE)).findings)
    for ref in referenced:
        assert (tmp_path / ref).read_bytes().startswith(b"<?xml"), ref
    assert err.count("wrote ") == 1 + len(referenced)
