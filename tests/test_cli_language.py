"""The language of the command line: ``--lang``, else the case's ``language``, else the system's.

``--lang`` overrides the case's language for every word the tool writes (the case's own texts
stay as written); where no case decides (a file that is not there, ``cases``, ``new``) the
system locale does.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from dutch_leaks import english_leaks

from kafka_tool.cli import cli
from kafka_tool.loader import load_case

ROOT = Path(__file__).resolve().parent.parent
DUTCH = ROOT / "cases" / "briefadres-dakloos.yaml"
ENGLISH = ROOT / "cases" / "status-holder-bsn-bank-house.yaml"
SYSTEM_EN = {"LANGUAGE": "", "LC_ALL": "C.UTF-8"}
SYSTEM_NL = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "nl_NL.UTF-8"}


def run(*args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None) -> Result:
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return CliRunner(env=env or SYSTEM_EN).invoke(cli, [str(a) for a in args], catch_exceptions=False)
    finally:
        os.chdir(old)


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_lang_nl_says_an_english_case_in_dutch(fmt: str) -> None:
    english = run("analyze", ENGLISH, "--format", fmt)
    dutch = run("analyze", ENGLISH, "--format", fmt, "--lang", "nl")
    assert english.exit_code == dutch.exit_code == 0
    assert english_leaks(english.stdout)  # the check finds the English ...
    said = dutch.stdout
    if fmt == "json":
        findings = json.loads(said)["findings"]
        said = "\n".join(f["title"] + "\n" + f["explanation"] for f in findings)
        assert [f["kind"] for f in findings] == [f["kind"] for f in json.loads(english.stdout)["findings"]]
    assert english_leaks(said, own=ENGLISH.read_text(encoding="utf-8")) == []  # ... and none is left with --lang nl
    assert "Yonas" in said  # the case's own texts stay as written


def test_lang_en_says_a_dutch_case_in_english() -> None:
    result = run("analyze", DUTCH, "--lang", "en")
    assert result.exit_code == 0
    assert "Dead end at" in result.stdout and "Doodlopend" not in result.stdout
    assert "Doodlopend" in run("analyze", DUTCH).stdout  # without --lang: the case's language


def test_lang_reaches_validate_compare_and_the_messages() -> None:
    assert ": valid (10 actors, 12 documents" in run("validate", DUTCH, "--lang", "en").stdout
    assert ": klopt (7 organisaties, 8 documenten" in run("validate", ENGLISH, "--lang", "nl").stdout
    compared = run("compare", ENGLISH, "-i", "all", "--lang", "nl")
    assert compared.exit_code == 0 and english_leaks(compared.stdout, own=ENGLISH.read_text(encoding="utf-8")) == []
    mistake = run("analyze", ENGLISH, "--persona", "yonsa", "--lang", "nl")
    assert mistake.exit_code == 2
    assert "Fout: --persona: geen persona 'yonsa' in casus 'status-holder-bsn-bank-house'; bedoel je 'yonas'?" \
        in mistake.stderr
    assert "Gebruik: kafka-tool" in mistake.stderr or "Gebruik: cli analyze" in mistake.stderr


@pytest.mark.needs_dot
def test_lang_reaches_every_export(dot: None, tmp_path: Path) -> None:
    case = tmp_path / "mine.yaml"
    shutil.copy(ENGLISH, case)
    for fmt in ("html", "csv", "dot", "md"):
        result = run("export", case, "--format", fmt, "--lang", "nl", "--diagrams", "2", cwd=tmp_path)
        assert result.exit_code == 0, result.stderr
        assert "geschreven" in result.stderr
    header = next(csv.reader(io.StringIO((tmp_path / "mine.csv").read_text(encoding="utf-8"))))
    assert header[:4] == ["id", "soort", "ernst", "titel"]
    own = ENGLISH.read_text(encoding="utf-8")
    dot_source = (tmp_path / "mine.dot").read_text(encoding="utf-8")
    assert english_leaks(dot_source, own) == [] and "Legenda" in dot_source
    assert english_leaks((tmp_path / "mine.md").read_text(encoding="utf-8"), own) == []


def test_without_a_case_the_system_locale_decides(tmp_path: Path) -> None:
    missing = run("analyze", tmp_path / "missing.yaml", env=SYSTEM_NL)
    assert missing.exit_code == 2
    assert f"Fout: {tmp_path / 'missing.yaml'}: dit bestand of deze map bestaat niet" in missing.stderr
    assert "Error:" in run("analyze", tmp_path / "missing.yaml").stderr
    assert "Fout:" not in run("analyze", tmp_path / "missing.yaml", "--lang", "en", env=SYSTEM_NL).stderr
    listed = run("cases", "list", env=SYSTEM_NL)
    assert listed.stdout.split()[:4] == ["NAAM", "TAAL", "NIVEAU", "TITEL"] and "casussen in" in listed.stderr
    assert run("cases", "list").stdout.split()[:4] == ["NAME", "LANG", "LEVEL", "TITLE"]
    shown = run("cases", "show", "status-holder-bsn-bank-house", env=SYSTEM_NL)
    assert "Vragen voor de klas" in shown.stdout and "Bron: " in shown.stdout


def test_the_case_decides_over_the_system_locale() -> None:
    assert "Dead end at" in run("analyze", ENGLISH, env=SYSTEM_NL).stdout
    assert "Doodlopend" in run("analyze", DUTCH, env=SYSTEM_EN).stdout


def test_new_lang_nl_writes_a_dutch_starter_that_validates_and_is_analysed_in_dutch(tmp_path: Path) -> None:
    path = tmp_path / "mijn-casus.yaml"
    written = run("new", path, "--lang", "nl")
    assert written.exit_code == 0 and "geschreven; controleer het met `kafka-tool validate" in written.stdout
    text = path.read_text(encoding="utf-8")
    assert "language: nl" in text and "# De organisaties die meedoen." in text
    # Its comments are Dutch (but for the lists of the values a field takes, which are the format's own).
    comments = [line.split("#", 1)[1] for line in text.splitlines() if "#" in line and " | " not in line]
    assert len(comments) > 10 and english_leaks("\n".join(comments)) == []
    assert load_case(path).language == "nl"
    validated = run("validate", path)
    assert validated.exit_code == 0 and ": klopt (" in validated.stdout
    analysed = run("analyze", path)
    assert analysed.exit_code == 0 and english_leaks(analysed.stdout) == []
    assert "bevindingen" in analysed.stdout


def test_new_follows_the_system_locale_without_lang(tmp_path: Path) -> None:
    run("new", tmp_path / "a.yaml", env=SYSTEM_NL)
    run("new", tmp_path / "b.yaml", env=SYSTEM_EN)
    assert load_case(tmp_path / "a.yaml").language == "nl" and load_case(tmp_path / "b.yaml").language == "en"
