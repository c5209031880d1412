"""The YAML parsers' rarer problems, said in the case's language with file, line, what and a hint.

Each broken file below makes ruamel.yaml (a file small enough to parse with positions) or
yaml-rs (a larger one) say a problem in English; the tool says each in Dutch for a Dutch
case, at the parser's line, with a tip. Near misses: the same characters where YAML allows
them load without a word.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import build_case_text
from dutch_leaks import english_leaks

from kafka_tool.cli import cli
from kafka_tool.errors import CaseError
from kafka_tool.i18n import words
from kafka_tool.loader import load_text
from kafka_tool.positions import FULL_PARSE_LIMIT

SYSTEM_EN = {"LANGUAGE": "", "LC_ALL": "C.UTF-8"}
HEADER = "format: kafka-case/1\nid: test-case\ntitle: Een testcasus\nlanguage: nl\n"


def run(*args: str | Path) -> Result:
    return CliRunner(env=SYSTEM_EN).invoke(cli, [str(a) for a in args], catch_exceptions=False)


def _case(line: str) -> str:
    """A valid Dutch case with ``line`` added after its header (the header is four lines)."""
    return build_case_text(header=HEADER + line)


#: name -> (the line that breaks the file, the line of the problem, the Dutch, the English the tool says)
RARE = {
    "a value starting with @": ("summary: @home\n", 5, "met het teken '@' kan hier niets beginnen",
                                "found character '@' that cannot start any token"),
    "a value starting with a backtick": ("summary: `x`\n", 5, "met het teken '`' kan hier niets beginnen",
                                         "found character '`' that cannot start any token"),
    "an undefined alias": ("summary: *nergens\n", 5, "de alias 'nergens' verwijst naar een anker dat er niet is",
                           "found undefined alias 'nergens'"),
    "an unknown escape": ('summary: "a\\qb"\n', 5, "onbekende escape: na \\ staat 'q'",
                          "found unknown escape character 'q'"),
    "an anchor without a name": ("summary: & x\n", 5, "hier hoort een letter of cijfer, maar er staat een spatie",
                                 "expected a letter or a digit, but found a space"),
    "a block scalar indented 0": ("summary: |0\n  tekst\n", 5, "moet 1 tot en met 9 zijn, niet 0",
                                  "expected indentation indicator in the range 1-9, but found 0"),
    "a list item under a key with a value": ("summary: tekst\n- los\n", 6,
                                             "hier hoort het einde van het blok, maar er staat '-'",
                                             "expected the end of the block, but found '-'"),
    "text after a quoted value": ('summary: "tekst" meer\n', 5,
                                  "hier hoort het einde van het blok, maar er staat een waarde",
                                  "expected the end of the block, but found a value"),
    "a dash inside brackets": ("tags: [- a]\n", 5, "hier hoort een waarde, maar er staat '-'",
                               "expected a value, but found '-'"),
}


@pytest.mark.parametrize("name", sorted(RARE))
def test_a_rare_yaml_problem_is_said_in_dutch_at_its_line(name: str, tmp_path: Path) -> None:
    line, at, dutch, english = RARE[name]
    text = _case(line)
    path = tmp_path / "casus.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 1
    assert f"casus.yaml:{at}:" in result.stdout and ": fout in de YAML-opbouw: " in result.stdout
    assert dutch in result.stdout
    assert "    tip: " in result.stdout
    assert english not in result.stdout
    assert english_leaks(result.output, text) == []
    assert english in run("validate", path, "--lang", "en").stdout


def test_what_the_parser_was_reading_says_die_or_dat_as_its_noun_needs(tmp_path: Path) -> None:
    # een sleutel (de) die begint, een blok (het) dat begint, een lijst (de) die begint
    cases = {
        "actors:\n  - id: a\n    name x\n  y: z\n": "(bij het lezen van een sleutel die begint op regel",
        "tags: {a: b\nx: y\n": "(bij het lezen van een blok tussen { en } dat begint op regel 5)",
        "tags: [a, b\nx: y\n": "(bij het lezen van een lijst tussen [ en ] die begint op regel 5)",
    }
    for broken, dutch in cases.items():
        text = HEADER + broken
        path = tmp_path / "casus.yaml"
        path.write_text(text, encoding="utf-8")
        said = run("validate", path).stdout
        assert dutch in said, said
        assert " dat begint" not in said.replace("blok tussen { en } dat begint", "")


@pytest.mark.parametrize(("line", "dutch"), [
    ("summary: @home\n", "met het teken '@' kan hier niets beginnen"),
    ("summary: *nergens\n", "hier staat een alias (*) naar een anker dat er niet is"),
    ("summary: & x\n", "hier hoort een letter of cijfer (bij het lezen van een anker ('&') of alias ('*'))"),
    ('summary: "tekst" meer\n', "na een tekst tussen aanhalingstekens staat nog iets"),
])
def test_the_fast_parsers_words_for_a_large_file_are_dutch_too(line: str, dutch: str) -> None:
    padding = "".join(f"# regel {n} " + "x" * 70 + "\n" for n in range(FULL_PARSE_LIMIT // 70))
    text = _case(line) + padding
    assert len(text) > FULL_PARSE_LIMIT
    with pytest.raises(CaseError) as caught:
        load_text(text, "groot.yaml")
    (problem,) = caught.value.problems
    said = problem.say(words("nl"))
    assert problem.line == 5 and dutch in said, said
    assert "alias bomb" not in str(problem.message) and "tip: " in said
    assert english_leaks(said, text) == []


def test_near_miss_the_same_characters_where_yaml_allows_them_load(tmp_path: Path) -> None:
    text = _case('summary: "@home, `x`, *geen alias, a\\\\qb"\ntags: [a, "- b"]\n')
    loaded = load_text(text, "casus.yaml")
    assert loaded.case.summary == "@home, `x`, *geen alias, a\\qb"
    assert loaded.warnings == []


def test_an_anchor_given_twice_is_a_warning_in_dutch_and_one_anchor_is_none(tmp_path: Path) -> None:
    path = tmp_path / "casus.yaml"
    path.write_text(_case("summary: &tekst Eerste\nsource: &tekst Tweede\n"), encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 0
    assert ("casus.yaml:6:9: waarschuwing: het anker 'tekst' staat er nog een keer (eerst op regel 5); "
            "een alias hierna wijst naar deze waarde") in result.stdout
    assert "    tip: geef elk anker een eigen naam" in result.stdout
    assert "ReusedAnchorWarning" not in result.output and "found duplicate anchor" not in result.output
    english = run("validate", path, "--lang", "en").stdout
    assert "warning: found duplicate anchor 'tekst' (first at line 5)" in english
    # One anchor and its alias: nothing to say; "R&D" in a text is no anchor.
    path.write_text(_case("summary: &tekst Eerste R&D\nsource: *tekst\n"), encoding="utf-8")
    quiet = run("validate", path)
    assert quiet.exit_code == 0 and "waarschuwing" not in quiet.stdout


def test_the_editor_reads_an_anchor_given_twice_without_a_python_warning() -> None:
    import warnings

    from kafka_tool.document import CaseDocument

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        document = CaseDocument.from_text(_case("summary: &t Eerste\nsource: &t Tweede\n"), "casus.yaml")
    (warning,) = document.warnings
    assert (warning.line, warning.column) == (6, 9)
    assert "het anker 't' staat er nog een keer" in warning.say(words("nl"))
