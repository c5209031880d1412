"""The problems of loading and validating a case, said in the language chosen.

``--lang`` decides; without it the ``language`` the broken file declares (when it can be read
far enough to see it), else the system's. Each family of problem the loader and the checks
find is tried in Dutch (no English word of the catalogue may show) and in English (the
English text, as before).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import build_case_text
from dutch_leaks import english_leaks, format_names

from kafka_tool.cli import cli
from kafka_tool.errors import CaseError, Problem
from kafka_tool.i18n import phrase, phrase_count, phrase_list, words
from kafka_tool.loader import load

SYSTEM_EN = {"LANGUAGE": "", "LC_ALL": "C.UTF-8"}
SYSTEM_NL = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "nl_NL.UTF-8"}


def run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner(env=env or SYSTEM_EN).invoke(cli, [str(a) for a in args], catch_exceptions=False)


#: The case format's own names, which hints list as they are.
KEYS = "\n" + format_names()


def _with(**sections: str) -> str:
    return build_case_text(**sections)


def _deep() -> str:
    return build_case_text() + "summary: " + "[" * 100 + "]" * 100 + "\n"


#: Broken cases, one for each family of problem, with a piece of the English each must give.
BROKEN: dict[str, tuple[Callable[[], str | bytes], str]] = {
    "yaml syntax": (lambda: _with(actors="""\
        actors:
          - id: bank
            name: A bank: the one
            kind: bank
          - id: municipality
            name: Municipality
            kind: municipality
        """), "YAML syntax error: mapping values are not allowed here"),
    "unclosed list": (lambda: _with(header="""\
        format: kafka-case/1
        id: test-case
        title: A test case
        tags: [a, b
        """), "YAML syntax error"),
    "duplicate key": (lambda: _with(actors="""\
        actors:
          - id: bank
            name: A bank
            name: The bank
            kind: bank
          - id: municipality
            name: Municipality
            kind: municipality
        """), "duplicate key 'name' (first at line"),
    "unknown key": (lambda: _with(actors="""\
        actors:
          - id: bank
            name: A bank
            kidn: bank
          - id: municipality
            name: Municipality
            kind: municipality
        """), "unknown key 'kidn' in an actor"),
    "wrong type": (lambda: _with(documents="""\
        documents:
          - id: passport
            name: Passport
            kind: proof
            value: {amount: lots}
          - id: registration
            name: [Registration]
            kind: registration
          - id: bank_account
            name: Bank account
            kind: service
        """), "`name` must be text, not a list"),
    "wrong number": (lambda: build_case_text().replace("days: 5", "days: five days"),
                     "`days` must be a number, not the text 'five days'"),
    "missing field": (lambda: _with(actors="""\
        actors:
          - id: bank
            kind: bank
          - id: municipality
            name: Municipality
            kind: municipality
        """), "an actor needs `name:`"),
    "unknown reference": (lambda: build_case_text().replace("actor: bank", "actor: bnak"),
                          "unknown actor 'bnak'"),
    "wrong section": (lambda: build_case_text().replace("requires: [passport]", "requires: [bank]"),
                      "'bank' is an actor, not a document"),
    "duplicate id": (lambda: build_case_text().replace("id: bank_account", "id: passport"),
                     "duplicate id 'passport': already used by item 1 of `documents`"),
    "persona attribute": (lambda: build_case_text().replace("{age: 24, income: 0, residence: eu, homeless: false}",
                                                            "{income: 0, residence: eu, homeless: false}"),
                          "persona 'amira' does not give attribute 'age'"),
    "value outside domain": (lambda: build_case_text().replace("age: 24", "age: 200"),
                             "age 200 lies outside its domain"),
    "condition type": (lambda: build_case_text().replace("age: {min: 18}", "age: true"),
                       "age is a number attribute, not true/false"),
    "category condition": (lambda: build_case_text().replace("residence: {in: [dutch, eu]}",
                                                             "residence: {min: 3, in: [dutch, mars]}"),
                           "residence is a category: 'min' does not apply"),
    "journey backwards": (lambda: build_case_text().replace("date: 2024-01-10", "date: 2023-12-10"),
                          "date 2023-12-10 goes back in time"),
    "unknown finding kind": (lambda: build_case_text() + "teaching:\n  expected_findings: [dead_ends]\n",
                             "unknown finding kind 'dead_ends'"),
    "unknown change kind": (lambda: build_case_text().replace("remove_requirement:", "remove_requirment:"),
                            "unknown change kind 'remove_requirment'"),
    "unknown attribute": (lambda: build_case_text().replace("age: {min: 18}", "aeg: {min: 18}"),
                          "unknown attribute 'aeg'"),
    "attribute domain": (lambda: build_case_text().replace("{type: integer, min: 0, max: 120}",
                                                           "{type: integer, min: 120, max: 0}"),
                         "attribute age: min 120 is above max 0"),
    "enum value": (lambda: build_case_text().replace("channel: desk", "channel: dsk"),
                   "the text 'dsk' is not a valid channel"),
    "slug": (lambda: build_case_text().replace("id: test-case", "id: Test Case"), "is not a valid id"),
    "date": (lambda: build_case_text().replace("date: 2024-01-05", "date: 2024-13-05"), "is not a date"),
    "control character": (lambda: build_case_text().replace("title: A test case", 'title: "A test\\e[2J case"'),
                          "control character U+001B (escape) in `title`"),
    "control character raw": (lambda: build_case_text().replace("A test case", "A test\x07 case"),
                              "control character U+0007 is not allowed in a case file"),
    "too deep": (_deep, "nesting deeper than 64 levels"),
    "not utf-8": (lambda: build_case_text().encode("utf-8").replace(b"A test case", b"A test \xff case"),
                  "not valid UTF-8 text (byte 0xff)"),
    "binary": (lambda: b"format: kafka-case/1\n\x00\x01", "this is a binary file, not a YAML case file"),
    "empty": (lambda: "# nothing yet\n", "the file is empty (or holds only comments)"),
    "a list": (lambda: "- format: kafka-case/1\n", "a case file is a mapping of keys (format, id, ...), not a list"),
    "format": (lambda: build_case_text().replace("kafka-case/1", "kafka-case/2"), "unsupported format 'kafka-case/2'"),
    "no format": (lambda: build_case_text().replace("format: kafka-case/1\n", ""), "missing `format:`"),
    "second document": (lambda: build_case_text() + "---\nformat: kafka-case/1\n", "a second YAML document"),
    "yaml tag": (lambda: build_case_text().replace("title: A test case", "title: !!python/object:os.system x"),
                 "is not allowed in a case file"),
    "merge key": (lambda: _with(actors="""\
        actors:
          - &bank {id: bank, name: A bank, kind: bank}
          - <<: *bank
            id: municipality
        """),
                  "YAML merge keys (`<<:`) are not supported in a case file"),
}


@pytest.fixture(params=sorted(BROKEN))
def broken(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str, str]:
    """A broken case file, its own text, and the English it must give."""
    make, english = BROKEN[request.param]
    content = make()
    path = tmp_path / "case.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    own = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    return path, own, english


def test_validate_in_english_gives_the_english(broken: tuple[Path, str, str]) -> None:
    path, _own, english = broken
    result = run("validate", path)
    assert result.exit_code == 1
    assert english in result.stdout
    assert "tip: " not in result.stdout
    assert result.stdout == run("validate", path, "--lang", "en", env=SYSTEM_NL).stdout


def test_validate_lang_nl_says_every_problem_in_dutch(broken: tuple[Path, str, str]) -> None:
    path, own, english = broken
    result = run("validate", path, "--lang", "nl")
    assert result.exit_code == 1
    said = result.output
    assert english not in said
    assert english_leaks(said, own + KEYS) == [], said
    assert "hint:" not in said
    assert re.search(r": \d+ (probleem|problemen)$", result.stderr.strip())  # "case.yaml: 1 probleem"
    for line in result.stdout.splitlines():  # the shape stays FILE:LINE:COL: message, then the hint
        assert line.startswith((str(path), "    tip: ")), line


def test_analyze_and_export_say_the_problems_in_dutch(broken: tuple[Path, str, str], tmp_path: Path) -> None:
    path, own, _english = broken
    for args in (["analyze", path], ["export", path, "--format", "md", "-o", tmp_path / "out.md"],
                 ["compare", path, "--intervention", "postal_address"]):
        result = run(*args, "--lang", "nl")
        assert result.exit_code == 1, result.output
        assert result.stderr.strip() and english_leaks(result.stderr, own + KEYS) == [], result.stderr


def test_the_english_output_would_have_been_caught() -> None:
    """The Dutch test is not empty: the same check finds the English of these problems."""
    text = "case.yaml:3:4: unknown actor 'bnak'\n    hint: did you mean 'bank'?"
    assert english_leaks(text)


def _dutch_case(**sections: str) -> str:
    return build_case_text(header="""\
        format: kafka-case/1
        id: test-case
        title: Een testcasus
        language: nl
        """, **sections)


DECLARED: dict[str, tuple[str, str]] = {
    "a reference": (_dutch_case().replace("actor: bank", "actor: bnak"), "onbekende organisatie 'bnak'"),
    "a type": (_dutch_case().replace("days: 5", "days: vijf"), "`days` moet een getal zijn, niet de tekst 'vijf'"),
    "the syntax": (_dutch_case().replace("name: A bank", "name: A bank: the one"), "fout in de YAML-opbouw"),
    "a tab": (_dutch_case().replace("    name: A bank", "\tname: A bank"), "spring in met spaties"),
    "a duplicate key": (_dutch_case().replace("name: A bank", "name: A bank\n    name: B"), "dubbele sleutel 'name'"),
}


@pytest.mark.parametrize("name", sorted(DECLARED))
def test_a_dutch_case_says_its_problems_in_dutch_without_lang(name: str, tmp_path: Path) -> None:
    text, dutch = DECLARED[name]
    path = tmp_path / "casus.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 1
    assert dutch in result.stdout and "tip: " in result.stdout
    assert english_leaks(result.output, text) == []
    # --lang still decides, and a file that does not declare nl is said in the system's language.
    assert "hint: " in run("validate", path, "--lang", "en").stdout
    assert "hint: " in run("validate", path, env=SYSTEM_NL, ).stdout.replace("tip: ", "hint: ")
    english_file = tmp_path / "case.yaml"
    english_file.write_text(text.replace("language: nl\n", ""), encoding="utf-8")
    assert "hint: " in run("validate", english_file).stdout
    assert "tip: " in run("validate", english_file, env=SYSTEM_NL).stdout


def test_a_language_line_inside_a_section_does_not_decide(tmp_path: Path) -> None:
    """Only a top-level ``language:`` is the case's language; one indented under another key is not."""
    text = build_case_text().replace("name: A bank", "name: A bank: the one\n    language: nl")
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("validate", path)
    assert "YAML syntax error" in result.stdout and "hint: " in result.stdout


def test_analyze_of_a_dutch_case_with_an_error_is_dutch(tmp_path: Path) -> None:
    text = _dutch_case().replace("actor: bank", "actor: bnak")
    path = tmp_path / "casus.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("analyze", path)
    assert result.exit_code == 1
    assert "onbekende organisatie 'bnak'" in result.stderr and "tip: bedoel je 'bank'?" in result.stderr
    assert english_leaks(result.stderr, text) == []
    assert "unknown actor 'bnak'" in run("analyze", path, "--lang", "en").stderr


def test_a_missing_file_is_said_in_dutch(tmp_path: Path) -> None:
    for args in (["validate", tmp_path / "nothing.yaml"], ["analyze", tmp_path / "nothing.yaml"]):
        result = run(*args, "--lang", "nl")
        assert result.exit_code == 2
        assert "bestaat niet; controleer het pad" in result.stderr, result.stderr
        assert english_leaks(result.stderr) == []


def test_too_big_a_file_is_said_with_the_languages_grouping(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(build_case_text(), encoding="utf-8")
    size = path.stat().st_size
    env = {**SYSTEM_EN, "KAFKA_TOOL_MAX_BYTES": "1000"}
    dutch = run("validate", path, "--lang", "nl", env=env)
    english = run("validate", path, env=env)
    assert f"{size:,}".replace(",", ".") + " bytes" in dutch.stdout and "1.000 bytes" in dutch.stdout
    assert f"{size:,} bytes, over the limit of 1,000 bytes" in english.stdout
    assert english_leaks(dutch.output) == []


def test_hidden_characters_are_a_dutch_warning(tmp_path: Path) -> None:
    text = build_case_text().replace("name: A bank", "name: \"A \\u202Eknab\"")
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    dutch = run("validate", path, "--lang", "nl")
    assert dutch.exit_code == 0
    assert (": waarschuwing: onzichtbaar teken U+202E (leesrichting rechts-naar-links afgedwongen) in `name`"
            in dutch.stdout)
    assert "    tip: haal het weg" in dutch.stdout
    assert english_leaks(dutch.output, text) == []
    english = run("validate", path)
    assert ": warning: hidden character U+202E (right-to-left override) in `name`" in english.stdout
    analyzed = run("analyze", path, "--lang", "nl")
    assert analyzed.exit_code == 0 and "waarschuwing: onzichtbaar teken" in analyzed.stderr


@pytest.mark.parametrize(("escape", "english", "dutch"), [
    ("\\u200B", "U+200B (zero-width space)", "U+200B (spatie zonder breedte)"),
    ("\\uFEFF", "U+FEFF (byte order mark (zero-width no-break space))",
     "U+FEFF (BOM-teken (harde spatie zonder breedte))"),
    ("\\u2067", "U+2067 (right-to-left isolate)", "U+2067 (losse tekst rechts-naar-links)"),
    ("\\u200D", "U+200D (zero-width joiner)", "U+200D (onzichtbare letterverbinding)"),
])
def test_each_hidden_character_has_a_name_in_either_language(tmp_path: Path, escape: str, english: str,
                                                             dutch: str) -> None:
    text = build_case_text().replace("name: A bank", f'name: "A{escape}bank"')
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    said = run("validate", path, "--lang", "nl")
    assert f"onzichtbaar teken {dutch} in `name`" in said.stdout
    assert english_leaks(said.output, text) == []
    assert f"hidden character {english} in `name`" in run("validate", path).stdout


def test_near_miss_a_control_character_keeps_its_own_name_and_a_letter_gives_no_warning(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(build_case_text().replace("name: A bank", 'name: "A\\e bank"'), encoding="utf-8")
    said = run("validate", path, "--lang", "nl")
    assert said.exit_code == 1 and "U+001B (escape)" in said.output and "onzichtbaar" not in said.output
    path.write_text(build_case_text().replace("name: A bank", 'name: "A\\u00E9 bank"'), encoding="utf-8")
    plain = run("validate", path, "--lang", "nl")
    assert plain.exit_code == 0 and "waarschuwing" not in plain.output


def test_the_problems_are_kept_and_said_again_in_either_language(tmp_path: Path) -> None:
    """A problem is said when it is shown: the same error, raised once, reads in both languages."""
    path = tmp_path / "case.yaml"
    path.write_text(build_case_text().replace("actor: bank", "actor: bnak"), encoding="utf-8")
    with pytest.raises(CaseError) as caught:
        load(path)
    error = caught.value
    assert str(error) == error.say(words("en"))
    assert "unknown actor 'bnak'" in str(error) and "    hint: did you mean 'bank'?" in str(error)
    assert "onbekende organisatie 'bnak'" in error.say(words("nl"))
    assert "    tip: bedoel je 'bank'?" in error.say(words("nl"))
    assert error.language is None


def test_a_phrase_is_its_english_and_says_the_users_words_as_written() -> None:
    said = phrase("unknown key {key} in {what}", key="'kidn'", what=phrase("an actor"))
    assert said == "unknown key 'kidn' in an actor"
    assert said.in_(words("nl")) == "onbekende sleutel 'kidn' in een organisatie"
    assert phrase_list(["'a'", "'b'", "'c'"], "or").in_(words("nl")) == "'a', 'b' of 'c'"
    assert phrase_count(67108864) == "67,108,864" and phrase_count(67108864).in_(words("nl")) == "67.108.864"
    problem = Problem("c.yaml", 3, 4, said, phrase("did you mean {name}?", name="'kind'"))
    assert problem.warning(words("nl")) == ("c.yaml:3:4: waarschuwing: onbekende sleutel 'kidn' in een organisatie"
                                            "\n    tip: bedoel je 'kind'?")
    assert str(problem) == "c.yaml:3:4: unknown key 'kidn' in an actor\n    hint: did you mean 'kind'?"
    # Text that is no phrase (a user's, or an older message) is shown as it is.
    assert Problem("c.yaml", 1, None, "as written").say(words("nl")) == "c.yaml:1: as written"


def test_every_pydantic_error_the_case_format_meets_has_its_words() -> None:
    """Each error type pydantic gives on these broken cases is one pydantic_errors.py says itself,
    not pydantic's English passed on."""
    from pydantic import ValidationError

    from kafka_tool.loader import parse_fast
    from kafka_tool.model import Case
    from kafka_tool.pydantic_errors import translate_validation_error

    seen = set()
    for make, _english in BROKEN.values():
        content = make()
        if isinstance(content, bytes):
            continue
        try:
            data = parse_fast(content, "c.yaml")
            Case.model_validate(data)
        except (ValidationError, CaseError, TypeError, AttributeError) as error:
            if isinstance(error, ValidationError):
                for issue in translate_validation_error(error):
                    seen.add(issue.message)
                    assert english_leaks(words("nl").say_message(issue.message)) == [], issue.message
                    assert issue.message.in_(words("nl")) != issue.message  # type: ignore[attr-defined]
    assert len(seen) >= 8


def test_the_tui_shows_a_dutch_cases_load_errors_in_dutch(tmp_path: Path) -> None:
    """The interface's words for a case that cannot be opened: those of the file's language."""
    from kafka_tool.i18n import Words

    text = _dutch_case().replace("actor: bank", "actor: bnak")
    path = tmp_path / "casus.yaml"
    path.write_text(text, encoding="utf-8")
    from kafka_tool.document import CaseDocument

    with pytest.raises(CaseError) as caught:
        CaseDocument.open(path)
    assert caught.value.language == "nl"
    said = caught.value.say(Words("nl"))
    assert "onbekende organisatie 'bnak'" in said
    assert textwrap.dedent(said) == said


def test_a_file_that_cannot_be_written_is_said_in_the_cases_language(tmp_path: Path) -> None:
    """Writing problems (files.py) are said in --lang, else the language of the case the command read."""
    text = _dutch_case()
    path = tmp_path / "casus.yaml"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "afile").write_text("", encoding="utf-8")
    target = tmp_path / "afile" / "out.md"
    folder = tmp_path / "afile"
    dutch = run("export", path, "--format", "md", "-o", target)
    assert dutch.exit_code == 1
    assert f"kan niet schrijven in {folder}: {folder} is een bestand, geen map" in dutch.stderr, dutch.stderr
    assert english_leaks(dutch.stderr, text) == []
    english = run("export", path, "--format", "md", "-o", target, "--lang", "en")
    assert f"cannot write into {folder}: {folder} is a file, not a folder" in english.stderr, english.stderr
    english_case = tmp_path / "case.yaml"
    english_case.write_text(text.replace("language: nl\n", ""), encoding="utf-8")
    assert "is a file, not a folder" in run("export", english_case, "--format", "md", "-o", target).stderr
    schema = run("schema", "-o", target, "--lang", "nl")
    assert schema.exit_code == 1 and f"kan {target} niet schrijven: {folder} is een bestand" in schema.stderr


def test_a_change_that_does_not_fit_is_said_in_the_cases_language(tmp_path: Path) -> None:
    """An intervention whose change does not fit the case (found when it is applied, after loading)."""
    text = _dutch_case().replace("document: registration}", "document: bank_account}")
    path = tmp_path / "casus.yaml"
    path.write_text(text, encoding="utf-8")
    dutch = run("analyze", path, "--intervention", "postal_address")
    assert dutch.exit_code == 1
    assert ("interventie 'postal_address', wijziging 1 (remove_requirement): contactmoment 'open_account' vraagt "
            "niet om 'bank_account'") in dutch.stderr, dutch.stderr
    assert english_leaks(dutch.stderr, text + KEYS) == []
    english = run("analyze", path, "--intervention", "postal_address", "--lang", "en")
    assert ("intervention 'postal_address', change 1 (remove_requirement): touchpoint 'open_account' does not "
            "require 'bank_account'\n    hint: requires: registration, passport") in english.stderr
