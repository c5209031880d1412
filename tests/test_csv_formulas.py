"""CSV that a spreadsheet opens as data (issue 10, item 5).

Every cell that a spreadsheet would read as a formula (OWASP: a leading ``=``,
``+``, ``-``, ``@``, tab or carriage return) gets a ``'`` in front, every text
cell is quoted, and the file stays CSV that reads back cell for cell.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner

from exports.reports import CSV_COLUMNS, csv_report
from kafka_tool.analysis.engine import analyze
from kafka_tool.cli import cli
from kafka_tool.loader import load_case_text
from kafka_tool.tabular import FORMULA_STARTS, csv_text

FORMULAS = """\
format: kafka-case/1
id: formulas
title: Formulas
actors:
  - {id: bank, name: "+31 20 555 0100 bank"}
documents:
  - {id: account, name: "-2+3+cmd|' /C calc'!A0"}
  - {id: stamp, name: "@SUM(1+1)"}
touchpoints:
  - {id: open, name: "=HYPERLINK(\\"http://evil.example\\",\\"click\\")", actor: bank, requires: [stamp],
     produces: [account]}
personas:
  - {id: amira, name: Amira, goals: [account]}
accepted:
  - finding: unobtainable_document/stamp
    reason: "=HYPERLINK(\\"http://evil.example\\",\\"more\\")"
"""


def test_no_csv_cell_starts_a_formula() -> None:
    analysis = analyze(load_case_text(FORMULAS, "formulas.yaml"))
    text = csv_report(analysis)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(CSV_COLUMNS) and len(rows) == len(analysis.findings) + 1
    assert all(len(row) == len(CSV_COLUMNS) for row in rows)
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert '\'=HYPERLINK("http://evil.example","more")' in cells  # the reason, shown as written
    by_id = {row[0]: row for row in rows[1:]}
    for finding in analysis.findings:
        row = by_id[finding.id]
        written = [finding.title, finding.explanation, finding.accepted or ""]
        for value, cell in zip(written, [row[3], row[4], row[9]], strict=True):
            assert cell == ("'" + value if value.startswith(FORMULA_STARTS) else value)
    # Every text cell is quoted: a ';' in one cannot start a cell where a spreadsheet splits on ';'.
    for line in text.splitlines():
        assert line.startswith('"')


def test_the_csv_writer_neutralises_every_formula_start_and_keeps_numbers() -> None:
    rows = [[start + "1+1", -3, 2.5, None, True] for start in FORMULA_STARTS]
    text = csv_text(["text", "days", "cost", "none", "flag"], rows)
    read = list(csv.reader(io.StringIO(text)))
    assert [row[0] for row in read[1:]] == ["'" + start + "1+1" for start in FORMULA_STARTS]
    assert text.splitlines()[1].endswith(',-3,2.5,"","true"')


def test_the_csv_export_is_neutralised(tmp_path: Path) -> None:
    path = tmp_path / "formulas.yaml"
    path.write_text(FORMULAS, encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", str(path), "--format", "csv", "-o", str(tmp_path / "f.csv")])
    assert result.exit_code == 0, result.output
    with (tmp_path / "f.csv").open(encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert cells and not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
