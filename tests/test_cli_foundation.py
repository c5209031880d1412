"""The command line's foundation: validate, schema, new and the sample case library."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import kafka_tool.cli
import kafka_tool.library
from kafka_tool.cli import cli
from kafka_tool.library import library_dir
from kafka_tool.loader import load_case

ROOT = Path(__file__).resolve().parent.parent
STARTER = ROOT / "kafka_tool" / "templates" / "starter.yaml"
LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    # Errors are messages, never tracebacks.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


# ---------------------------------------------------------------- validate


def test_validate_a_valid_case(write_case: Callable[..., Path], case_text: Callable[..., str]) -> None:
    path = write_case(case_text())
    result = run("validate", path)
    assert result.exit_code == 0
    assert result.stdout == f"{path}: valid (2 actors, 3 documents, 1 rule, 2 touchpoints, 1 persona)\n"


def test_validate_quiet_prints_nothing_for_a_valid_case(
    write_case: Callable[..., Path], case_text: Callable[..., str]
) -> None:
    result = run("validate", "--quiet", write_case(case_text()))
    assert (result.exit_code, result.stdout) == (0, "")


def test_validate_an_invalid_case(
    write_case: Callable[..., Path], case_text: Callable[..., str], line_of: Callable[..., int]
) -> None:
    text = case_text().replace("actor: bank", "actor: bnak").replace("age: 24", "age: 300")
    path = write_case(text)
    result = run("validate", path)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == [
        f"{path}:{line_of(text, 'actor: bnak')}:12: unknown actor 'bnak'",
        "    hint: did you mean 'bank'?",
        f"{path}:{line_of(text, 'age: 300')}:23: age 300 lies outside its domain",
        "    hint: age is a whole number from 0 to 120",
    ]
    for line in lines[::2]:
        match = LOCATED.match(line)
        assert match is not None and match["file"] == str(path)
    assert f"{path}: 2 problems" in result.stderr


def test_validate_several_files_reports_each(write_case: Callable[..., Path], case_text: Callable[..., str]) -> None:
    good = write_case(case_text(), "good.yaml")
    bad = write_case(case_text().replace("kind: bank\n", "kind: bnk\n"), "bad.yaml")
    result = run("validate", good, bad)
    assert result.exit_code == 1
    assert f"{good}: valid" in result.stdout
    assert f"{bad}:12:11: the text 'bnk' is not a valid kind" in result.stdout


def test_validate_a_missing_file_is_a_usage_mistake(write_case: Callable[..., Path],
                                                    case_text: Callable[..., str]) -> None:
    good = write_case(case_text(), "good.yaml")
    missing = good.parent / "missing.yaml"
    result = run("validate", good, missing)
    assert result.exit_code == 2
    assert f"{missing}: no such file or folder; check the path" in result.stderr


def test_validate_a_folder(tmp_path: Path, case_text: Callable[..., str]) -> None:
    (tmp_path / "a.yaml").write_text(case_text(), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(case_text().replace("days: 5", "days: -5"), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a case", encoding="utf-8")
    result = run("validate", tmp_path)
    assert result.exit_code == 1
    assert f"{tmp_path / 'a.yaml'}: valid" in result.stdout
    assert re.search(
        rf"^{re.escape(str(tmp_path / 'b.yaml'))}:\d+:11: `days` must be 0 or more, not -5$",
        result.stdout,
        re.MULTILINE,
    )
    assert "notes.txt" not in result.output


def test_validate_a_folder_without_cases(tmp_path: Path) -> None:
    result = run("validate", tmp_path)
    assert result.exit_code == 2
    assert "no .yaml files in this folder" in result.output


def test_validate_the_starter_and_the_library() -> None:
    result = run("validate", STARTER, library_dir())
    assert result.exit_code == 0, result.output


def test_validate_a_hostile_file(write_case: Callable[..., Path]) -> None:
    path = write_case(b"\x7fELF\x02\x01\x01\x00\x00\x00")
    result = run("validate", path)
    assert result.exit_code == 1
    assert f"{path}:1:8: this is a binary file" in result.stdout


# ---------------------------------------------------------------- schema


def _schema() -> dict[str, object]:
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert isinstance(schema, dict)
    return schema


def test_schema_is_json_with_the_top_level_properties() -> None:
    schema = _schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    properties = schema["properties"]
    assert isinstance(properties, dict)
    for key in (
        "format",
        "id",
        "title",
        "language",
        "attributes",
        "actors",
        "documents",
        "rules",
        "touchpoints",
        "personas",
        "journeys",
        "interventions",
        "accepted",
    ):
        assert key in properties
    assert properties["format"].get("const") == "kafka-case/1" or properties["format"].get("enum") == ["kafka-case/1"]
    assert set(schema["required"]) >= {"format", "id", "title"}  # type: ignore[arg-type]


def test_schema_says_a_growth_and_a_unit_amount_are_more_than_0() -> None:
    defs = _schema()["$defs"]
    assert isinstance(defs, dict)
    for model in ("IntegerAttribute", "NumberAttribute"):
        assert {"type": "number", "exclusiveMinimum": 0} in defs[model]["properties"]["per_year"]["anyOf"]
    assert defs["Money"]["properties"]["unit_amount"]["exclusiveMinimum"] == 0
    assert {"type": "null"} in defs["Persona"]["properties"]["description"]["anyOf"]  # a persona's description


def test_schema_refuses_unknown_keys_everywhere() -> None:
    # What an editor needs to flag `titel:` or `refer_to:`: no extra keys on any object.
    schema = _schema()
    assert schema["additionalProperties"] is False
    definitions = schema["$defs"]
    assert isinstance(definitions, dict)
    for name in (
        "Actor",
        "Document",
        "Rule",
        "Touchpoint",
        "Persona",
        "Journey",
        "JourneyStep",
        "Intervention",
        "Condition",
        "IntegerAttribute",
        "CategoryAttribute",
    ):
        assert definitions[name]["additionalProperties"] is False, name


def test_schema_describes_every_key_of_the_starter_case() -> None:
    schema = _schema()
    definitions: dict[str, dict[str, object]] = schema["$defs"]  # type: ignore[assignment]
    starter = load_case(STARTER).to_data()
    assert set(starter) <= set(schema["properties"])  # type: ignore[arg-type]
    for section, definition in (
        ("actors", "Actor"),
        ("documents", "Document"),
        ("rules", "Rule"),
        ("touchpoints", "Touchpoint"),
        ("personas", "Persona"),
    ):
        allowed = set(definitions[definition]["properties"])  # type: ignore[arg-type]
        for item in starter[section]:
            assert set(item) <= allowed, (section, set(item) - allowed)
    assert "titel" not in schema["properties"]  # type: ignore[operator]


def test_schema_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "kafka-case.schema.json"
    result = run("schema", "-o", target)
    assert result.exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8")) == _schema()
    assert result.stdout == ""
    assert f"wrote {target}" in result.stderr


# ---------------------------------------------------------------- new


def test_new_writes_a_case_that_validates(tmp_path: Path) -> None:
    path = tmp_path / "My Case.yaml"
    result = run("new", path)
    assert result.exit_code == 0
    assert f"wrote {path}" in result.stdout
    case = load_case(path)
    assert case.id == "my-case"
    assert run("validate", path).exit_code == 0


def test_new_takes_its_id_from_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "housing_2024.yaml"
    assert run("new", path).exit_code == 0
    assert load_case(path).id == "housing_2024"
    # Only the id line changed; the comments of the starter are all there.
    assert path.read_text(encoding="utf-8") == STARTER.read_text(encoding="utf-8").replace(
        "id: my-case ", "id: housing_2024 ", 1
    )


@pytest.mark.parametrize("name", ["Café Überzicht.yaml", "Ärger.yaml", "---.yaml", "2024 ÅÄÖ.yaml"])
def test_new_makes_a_valid_id_from_any_file_name(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    assert run("new", path).exit_code == 0
    result = run("validate", path)
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"[a-z0-9][a-z0-9_-]*", load_case(path).id)


def test_new_in_dutch_writes_the_dutch_starter(tmp_path: Path) -> None:
    path = tmp_path / "woning.yaml"
    result = run("new", path, "--lang", "nl")
    assert result.exit_code == 0, result.output
    case = load_case(path)
    assert (case.id, case.language) == ("woning", "nl")
    text = path.read_text(encoding="utf-8")
    assert "# De organisaties die meedoen." in text and "Gemeente" in text
    assert load_case(STARTER).language == "en"  # the default stays English


def test_new_keeps_accented_letters_readable(tmp_path: Path) -> None:
    path = tmp_path / "Café Überzicht.yaml"
    assert run("new", path).exit_code == 0
    assert load_case(path).id == "cafe-uberzicht"


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text("my work\n", encoding="utf-8")
    result = run("new", path)
    assert result.exit_code == 2
    assert "exists" in result.output and "--force" in result.output
    assert path.read_text(encoding="utf-8") == "my work\n"
    assert run("new", "--force", path).exit_code == 0
    assert load_case(path).id == "case"


def test_new_in_a_missing_folder(tmp_path: Path) -> None:
    # An unwritable destination, as for every command that writes: exit code 1 (issue 10, item 11).
    result = run("new", tmp_path / "nowhere" / "case.yaml")
    assert result.exit_code == 1
    assert "does not exist" in result.output


# ---------------------------------------------------------------- the library


def _sample(tmp_path: Path, name: str, case_text: Callable[..., str]) -> Path:
    path = tmp_path / f"{name}.yaml"
    text = case_text(
        header=f"format: kafka-case/1\nid: {name}\ntitle: Sample {name}\nlanguage: nl\n"
        "summary: A sample.\nteaching:\n  level: advanced\n  questions: [Who could break this loop?]\n"
    )
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case_text: Callable[..., str]) -> Path:
    """A temporary sample library with two cases."""
    folder = tmp_path / "library"
    folder.mkdir()
    _sample(folder, "bank-loop", case_text)
    _sample(folder, "youth-care", case_text)
    monkeypatch.setattr(kafka_tool.library, "library_dir", lambda: folder)
    monkeypatch.setattr(kafka_tool.cli, "library_dir", lambda: folder)
    return folder


def test_cases_list_json(library: Path) -> None:
    result = run("cases", "list", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [row["name"] for row in rows] == ["bank-loop", "youth-care"]
    assert rows[0] == {
        "name": "bank-loop",
        "id": "bank-loop",
        "title": "Sample bank-loop",
        "language": "nl",
        "level": "advanced",
        "tags": [],
    }


def test_cases_list_text(library: Path) -> None:
    result = run("cases", "list")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].split() == ["NAME", "LANG", "LEVEL", "TITLE"]
    assert "bank-loop   nl    advanced  Sample bank-loop" in result.stdout
    assert f"2 cases in {library}" in result.stderr


def test_cases_show(library: Path) -> None:
    result = run("cases", "show", "bank-loop")
    assert result.exit_code == 0
    assert result.stdout.startswith("Sample bank-loop\nbank-loop · nl · advanced\n")
    assert "amira: Amira" in result.stdout
    assert "1. Who could break this loop?" in result.stdout


def test_cases_show_yaml_prints_the_file(library: Path) -> None:
    result = run("cases", "show", "bank-loop.yaml", "--yaml")
    assert result.exit_code == 0
    assert result.stdout == (library / "bank-loop.yaml").read_text(encoding="utf-8")


def test_cases_copy(library: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    result = run("cases", "copy", "youth-care", work)
    assert result.exit_code == 0
    copied = work / "youth-care.yaml"
    assert copied.read_bytes() == (library / "youth-care.yaml").read_bytes()
    again = run("cases", "copy", "youth-care", work)
    assert again.exit_code == 2 and "--force" in again.output
    assert run("cases", "copy", "youth-care", work, "--force").exit_code == 0
    assert run("cases", "copy", "bank-loop", work / "mine.yaml").exit_code == 0
    assert load_case(work / "mine.yaml").id == "bank-loop"


@pytest.mark.parametrize("command", [("show",), ("copy",)])
def test_unknown_case_name_gives_did_you_mean(library: Path, tmp_path: Path, command: tuple[str, ...]) -> None:
    args = ["cases", *command, "bank-lop"] + ([str(tmp_path)] if command == ("copy",) else [])
    result = run(*args)
    assert result.exit_code == 2
    assert "no sample case called 'bank-lop'; did you mean 'bank-loop'?" in result.stderr


def test_case_name_far_from_any_lists_the_cases(library: Path) -> None:
    result = run("cases", "show", "zzz")
    assert result.exit_code == 2
    assert "known sample cases: bank-loop, youth-care" in result.stderr


def test_case_name_cannot_leave_the_library(library: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.yaml").write_text("x: 1\n", encoding="utf-8")
    result = run("cases", "show", "../secret", "--yaml")
    assert result.exit_code == 2
    assert "x: 1" not in result.stdout


def test_a_broken_library_case_is_reported_not_raised(library: Path) -> None:
    (library / "broken.yaml").write_text("format: kafka-case/1\nid: broken\n", encoding="utf-8")
    result = run("cases", "list")
    assert result.exit_code == 1
    assert f"{library / 'broken.yaml'}:1:1: the case needs `title:`" in result.stderr


# The real library: these hold once there is at least one sample case.

REAL_CASES = sorted(library_dir().glob("*.yaml"))


@pytest.mark.skipif(not REAL_CASES, reason="the sample library is empty")
def test_real_library_lists_every_case() -> None:
    result = run("cases", "list", "--format", "json")
    assert result.exit_code == 0
    names = [row["name"] for row in json.loads(result.stdout)]
    assert names == [p.stem for p in REAL_CASES]


@pytest.mark.skipif(not REAL_CASES, reason="the sample library is empty")
@pytest.mark.parametrize("path", REAL_CASES, ids=[p.stem for p in REAL_CASES])
def test_real_library_shows_and_copies_each_case(path: Path, tmp_path: Path) -> None:
    case = load_case(path)
    shown = run("cases", "show", path.stem)
    assert shown.exit_code == 0
    assert shown.stdout.startswith(case.title + "\n")
    copied = run("cases", "copy", path.stem, tmp_path)
    assert copied.exit_code == 0
    assert (tmp_path / path.name).read_bytes() == path.read_bytes()
