"""The exit codes, the same in every command: 2 a usage mistake, 1 an invalid case or findings at
``--fail-on``, 0 otherwise; and every message names what was wrong and what would be right.

One table: each command with each kind of mistake it can meet, the code it must end with, and
what its message must say (the wrong value, then the right one or the way to it).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kafka_tool.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "cases" / "status-holder-bsn-bank-house.yaml"

# (what, arguments, exit code, what the message says). In the arguments, CASE is a copy of the
# sample, BROKEN a case with a misspelt id, MISSING a file that is not there, TAKEN an existing file.
MISTAKES = [
    # a file that is not there: a usage mistake
    ("validate: missing file", ["validate", "MISSING"], 2, ["MISSING: no such file or folder", "check the path"]),
    ("analyze: missing file", ["analyze", "MISSING"], 2, ["MISSING: no such file or folder", "check the path"]),
    ("compare: missing file", ["compare", "MISSING", "-i", "all"], 2, ["MISSING: no such file or folder",
                                                                       "check the path"]),
    ("export: missing file", ["export", "MISSING", "--format", "dot"], 2, ["MISSING: no such file or folder",
                                                                           "check the path"]),
    ("review: missing file", ["review", "MISSING"], 2, ["MISSING: no such file or folder", "check the path"]),
    # an unknown persona, finding, intervention, journey, layer or sample: a usage mistake, with the closest
    ("analyze: unknown persona", ["analyze", "CASE", "--persona", "yonsa"], 2,
     ["--persona: no persona 'yonsa'", "did you mean 'yonas'?"]),
    ("export: unknown persona", ["export", "CASE", "--format", "dot", "--persona", "yonsa"], 2,
     ["--persona: no persona 'yonsa'", "did you mean 'yonas'?"]),
    ("export: unknown timeline persona", ["export", "CASE", "--format", "dot", "--timeline", "yonsa"], 2,
     ["--timeline: no persona 'yonsa'", "did you mean 'yonas'?"]),
    ("export: unknown journey", ["export", "CASE", "--format", "dot", "--journey", "yonsa"], 2,
     ["--journey: no journey 'yonsa'", "did you mean 'yonas'?"]),
    ("export: unknown finding", ["export", "CASE", "--format", "dot", "--finding", "dead_end/brp_stret"], 2,
     ["--finding: no finding 'dead_end/brp_stret'", "did you mean 'dead_end/brp_street'?"]),
    ("export: a finding's kind only", ["export", "CASE", "--format", "dot", "--finding", "unreachable_goal"], 2,
     ["--finding: no finding 'unreachable_goal'", "'unreachable_goal/yonas/rental_contract'"]),
    ("analyze: unknown intervention", ["analyze", "CASE", "-i", "no_bank_acount_for_rent"], 2,
     ["--intervention: no intervention 'no_bank_acount_for_rent'", "did you mean 'no_bank_account_for_rent'?"]),
    ("compare: unknown intervention", ["compare", "CASE", "-i", "no_bank_acount_for_rent"], 2,
     ["--intervention: no intervention 'no_bank_acount_for_rent'", "did you mean 'no_bank_account_for_rent'?"]),
    ("export: unknown intervention", ["export", "CASE", "--format", "dot", "-i", "no_bank_acount_for_rent"], 2,
     ["--intervention: no intervention 'no_bank_acount_for_rent'", "did you mean 'no_bank_account_for_rent'?"]),
    ("analyze: all interventions", ["analyze", "CASE", "-i", "all"], 2, ["--intervention:", "not 'all'",
                                                                           "compare ranks them all"]),
    ("export: unknown layer", ["export", "CASE", "--format", "dot", "--layers", "rulse"], 2,
     ["--layers: unknown layer 'rulse'", "layers: documents, referrals, rules, legend"]),
    ("cases show: unknown sample", ["cases", "show", "status-holder"], 2,
     ["no sample case called 'status-holder'", "did you mean 'status-holder-bsn-bank-house'?"]),
    ("cases copy: unknown sample", ["cases", "copy", "status-holder", "OUT"], 2,
     ["no sample case called 'status-holder'", "did you mean 'status-holder-bsn-bank-house'?"]),
    # a bad option value (click's own check)
    ("analyze: bad format", ["analyze", "CASE", "--format", "yaml"], 2, ["'yaml'", "'text', 'json', 'markdown'"]),
    ("analyze: bad --fail-on", ["analyze", "CASE", "--fail-on", "severe"], 2, ["'severe'", "'critical'"]),
    ("compare: bad format", ["compare", "CASE", "-i", "all", "--format", "csv"], 2, ["'csv'", "'text', 'json'"]),
    ("export: bad format", ["export", "CASE", "--format", "jpg"], 2, ["'jpg'", "'svg'", "'png'"]),
    ("export: negative --diagrams", ["export", "CASE", "--format", "html", "--diagrams", "-1"], 2, ["-1", "0"]),
    ("review: bad format", ["review", "CASE", "--format", "csv"], 2, ["'csv'", "'html', 'markdown'"]),
    ("review: bad --today", ["review", "CASE", "--today", "1-6-2024"], 2, ["--today: '1-6-2024' is not a date",
                                                                          "YYYY-MM-DD"]),
    ("cases list: bad format", ["cases", "list", "--format", "csv"], 2, ["'csv'", "'text', 'json'"]),
    ("validate: bad --lang", ["validate", "CASE", "--lang", "de"], 2, ["'de'", "'en', 'nl'"]),
    ("new: bad --lang", ["new", "OUT", "--lang", "de"], 2, ["'de'", "'en', 'nl'"]),
    ("tui: bad --lang", ["tui", "--lang", "fr"], 2, ["'fr'", "'en', 'nl'"]),
    # options that do not fit together
    ("export: two views", ["export", "CASE", "--format", "dot", "--persona", "yonas", "--journey", "yonas"], 2,
     ["choose one view at a time", "--persona and --journey"]),
    ("export: a view of a report", ["export", "CASE", "--format", "csv", "--persona", "yonas"], 2,
     ["--persona draws a diagram", "--format dot, svg, png or pdf"]),
    # an existing file without --force
    ("new: existing file", ["new", "TAKEN"], 2, ["TAKEN exists", "pass --force"]),
    ("schema: existing file", ["schema", "-o", "TAKEN"], 2, ["TAKEN exists", "pass --force"]),
    ("cases copy: existing file", ["cases", "copy", "status-holder-bsn-bank-house", "TAKEN"], 2,
     ["TAKEN exists", "pass --force"]),
    ("export: existing file", ["export", "CASE", "--format", "dot", "-o", "TAKEN.dot"], 2,
     ["TAKEN.dot exists", "pass --force"]),
    ("review: existing file", ["review", "CASE", "-o", "TAKEN"], 2, ["TAKEN exists", "pass --force"]),
    # an invalid case: 1, each problem at its line with a hint
    ("validate: invalid case", ["validate", "BROKEN"], 1, ["BROKEN:", "unknown actor 'bnak'", "did you mean 'bank'?"]),
    ("analyze: invalid case", ["analyze", "BROKEN"], 1, ["BROKEN:", "unknown actor 'bnak'", "did you mean 'bank'?"]),
    ("compare: invalid case", ["compare", "BROKEN", "-i", "all"], 1, ["BROKEN:", "unknown actor 'bnak'"]),
    ("export: invalid case", ["export", "BROKEN", "--format", "dot"], 1, ["BROKEN:", "unknown actor 'bnak'"]),
    ("review: invalid case", ["review", "BROKEN"], 1, ["BROKEN:", "unknown actor 'bnak'"]),
    # findings at --fail-on: 1; none at it, and no mistake: 0
    ("analyze: findings at --fail-on", ["analyze", "CASE", "--fail-on", "critical"], 1, []),
    ("review: no mistake", ["review", "CASE", "--today", "2024-06-01"], 0, ["wrote case.review.html"]),
    ("analyze: no mistake", ["analyze", "CASE"], 0, []),
    ("validate: no mistake", ["validate", "CASE"], 0, []),
    ("compare: no mistake", ["compare", "CASE", "-i", "all"], 0, []),
    ("export: no mistake", ["export", "CASE", "--format", "dot", "-o", "OUT.dot"], 0, []),
    # the action plan and the follow-up
    ("plan: missing file", ["plan", "MISSING"], 2, ["MISSING: no such file or folder", "check the path"]),
    ("plan: bad --today", ["plan", "CASE", "--today", "2024-02-30"], 2, ["--today: '2024-02-30' is not a date",
                                                                      "YYYY-MM-DD"]),
    ("plan: bad format", ["plan", "CASE", "--format", "xml"], 2,
     ["'xml'", "'text', 'json', 'markdown', 'csv', 'html'"]),
    ("plan: taken output", ["plan", "CASE", "-o", "TAKEN"], 2, ["TAKEN exists", "--force"]),
    ("plan: invalid case", ["plan", "BROKEN"], 1, ["BROKEN:", "unknown actor 'bnak'"]),
    ("plan: no mistake", ["plan", "CASE", "--today", "2024-06-01"], 0, []),
    ("compare: two files and --intervention", ["compare", "CASE", "CASE", "-i", "all"], 2,
     ["--intervention", "two files (OLD NEW)"]),
    ("compare: one file and no --intervention", ["compare", "CASE"], 2, ["--intervention", "compare OLD NEW"]),
    ("compare: missing new file", ["compare", "CASE", "MISSING"], 2, ["MISSING: no such file or folder"]),
    ("compare: invalid new file", ["compare", "CASE", "BROKEN"], 1, ["BROKEN:", "unknown actor 'bnak'"]),
    ("compare: two versions, no mistake", ["compare", "CASE", "CASE"], 0, []),
]


@pytest.mark.parametrize(("args", "code", "said"), [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES])
def test_every_command_ends_with_the_same_code_for_the_same_kind_of_mistake(
    tmp_path: Path, args: list[str], code: int, said: list[str]
) -> None:
    case = tmp_path / "case.yaml"
    shutil.copy(SAMPLE, case)
    broken = tmp_path / "broken.yaml"
    broken.write_text(SAMPLE.read_text(encoding="utf-8").replace("actor: bank\n", "actor: bnak\n", 1),
                      encoding="utf-8")
    taken = tmp_path / "taken.yaml"
    taken.write_text("mine\n", encoding="utf-8")
    (tmp_path / "taken.dot").write_text("mine\n", encoding="utf-8")
    names = {"CASE": case, "BROKEN": broken, "MISSING": tmp_path / "missing.yaml", "TAKEN": taken,
             "TAKEN.dot": tmp_path / "taken.dot",
             "OUT": tmp_path / "out.yaml", "OUT.dot": tmp_path / "out.dot"}
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner(env={"LANGUAGE": "", "LC_ALL": "C.UTF-8"}).invoke(
            cli, [str(names.get(a, a)) for a in args], catch_exceptions=False)
    finally:
        os.chdir(old)
    said_all = result.stdout + result.stderr
    assert result.exit_code == code, said_all
    for part in said:
        for name in ("TAKEN.dot", "MISSING", "TAKEN", "BROKEN"):
            part = part.replace(name, str(names[name]))
        assert part in said_all, said_all
    assert "Traceback" not in said_all
    assert taken.read_text(encoding="utf-8") == (tmp_path / "taken.dot").read_text(encoding="utf-8") == "mine\n"
