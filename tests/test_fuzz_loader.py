"""Property tests: whatever the input, the loader gives a case or a clear CaseError, never a traceback.

Two kinds of input: random bytes (and random text made of YAML's own
punctuation, which gets further into the parser), and valid cases broken by
the edits people make by accident: a line deleted, duplicated or moved,
indentation changed, a token replaced, YAML syntax inserted, the file cut off.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kafka_tool.document import CaseDocument
from kafka_tool.errors import CaseError
from kafka_tool.loader import decode_text, load_case, load_case_text
from tests.profiles import examples

ROOT = Path(__file__).resolve().parent.parent
STARTER = ROOT / "kafka_tool" / "templates" / "starter.yaml"


def _sources() -> list[tuple[str, str]]:
    """Valid case texts to mutate: the starter template and every sample case present now."""
    paths = [STARTER, *sorted((ROOT / "cases").glob("*.yaml"))]
    return [(path.name, path.read_text(encoding="utf-8")) for path in paths]


SOURCES = _sources()
NAME = "mutated.yaml"

_FUZZ = settings(max_examples=examples(1500), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _assert_clear(error: CaseError, text: str | None, name: str) -> None:
    """Every problem says what is wrong, in which file, at a line that exists."""
    assert error.problems
    # YAML breaks lines at \r\n, \r and \n, and so do editors.
    lines = len(re.split(r"\r\n|\r|\n", text)) if text is not None else None
    for problem in error.problems:
        assert problem.message.strip(), problem
        assert problem.file == name
        if problem.line is not None:
            assert problem.line >= 1, problem
            if lines is not None:
                assert problem.line <= lines, (problem, lines)
        if problem.column is not None:
            assert problem.line is not None and problem.column >= 1, problem
        assert str(problem).startswith(problem.location() + ": ")


def _load_bytes(raw: bytes) -> None:
    try:
        text = decode_text(raw, NAME)
    except CaseError as error:
        _assert_clear(error, None, NAME)
        return
    try:
        load_case_text(text, NAME)
    except CaseError as error:
        _assert_clear(error, text, NAME)


# ---------------------------------------------------------------- random input

_YAML_PUNCTUATION = st.lists(
    st.sampled_from([*"abcxyz019 :-[]{},&*!|>'\"#%@`?\n\t.~", "\n  ", ": ", "- ", "---"]), max_size=120
).map("".join)


@_FUZZ
@given(st.binary(max_size=400))
@example(b"")
@example(b"\xff\xfe\x00")
@example(b"\xef\xbb\xbf")
@example(b"\r\r\r")
def test_random_bytes_give_a_case_error(raw: bytes) -> None:
    _load_bytes(raw)


@_FUZZ
@given(_YAML_PUNCTUATION)
@example("? [a]\n: 1\n")
@example("{a: 1}: 2\n")
@example("!!python/object:os.system ls\n")
@example("&a [*a]\n")
@example("<<: {a: 1}\n")
@example("?\n  : : ")  # a key that is a mapping holding a mapping
def test_random_yaml_like_text_gives_a_case_error(text: str) -> None:
    _load_bytes(text.encode("utf-8"))


def test_random_bytes_through_a_file(tmp_path: Path) -> None:
    # The file path (size check, decoding) once, with content that is not UTF-8: refused.
    path = tmp_path / "random.bin"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(CaseError) as caught:
        load_case(path)
    _assert_clear(caught.value, None, str(path))
    assert "NUL" in caught.value.problems[0].message


# ---------------------------------------------------------------- mutated cases

_WORDS = [
    "x",
    "42",
    "-1",
    "3.5",
    ".nan",
    ".inf",
    "true",
    "null",
    "~",
    "''",
    '"',
    "no",
    "2024-13-45",
    "2024-01-01T10:00",
    "é",
    "id",
    "name",
    ":",
    "-",
    "&a",
    "*a",
    "!!str",
    "!foo",
    "!!binary",
    "{",
    "}",
    "[",
    "]",
    "#",
    "|",
    ">",
    "%",
    "@",
    "`",
    "?",
    ",",
    "<<:",
    "1:",
    "true:",
    "~:",
    "[a]:",
    "{a: 1}:",
    # What a hostile file puts in a value: terminal escapes, hidden characters, markup,
    # numbers that are no numbers, and nesting deeper than a parser's stack.
    '"\\e[2J"',
    '"\\x1b]52;c;eA==\\a"',
    '"\\u009b"',
    '"\\r"',
    '"a\\u202eb"',
    '"\\u200b"',
    '"[/] [bold]"',
    "<script>",
    "=HYPERLINK(1)",
    "1e400",
    "-.inf",
    "9" * 401,
    "- " * 300,
    "[" * 300,
]
_INSERTS = [
    ": ",
    "- ",
    "&a ",
    "*a",
    "{",
    "[",
    "\t",
    "]",
    "}",
    "'",
    '"',
    "#",
    "|\n",
    "? ",
    "\n",
    "---\n",
    "!foo ",
    "1: 2\n",
    "\r",
]

_MUTATION = st.one_of(
    st.tuples(st.just("delete_line"), st.integers(0, 10_000)),
    st.tuples(st.just("duplicate_line"), st.integers(0, 10_000)),
    st.tuples(st.just("swap_lines"), st.integers(0, 10_000), st.integers(0, 10_000)),
    st.tuples(st.just("indent"), st.integers(0, 10_000), st.integers(-4, 4)),
    st.tuples(st.just("replace_token"), st.integers(0, 10_000), st.sampled_from(_WORDS)),
    st.tuples(st.just("insert"), st.integers(0, 100_000), st.sampled_from(_INSERTS)),
    st.tuples(st.just("truncate"), st.integers(0, 100_000)),
)


def _mutate(text: str, mutation: tuple[Any, ...]) -> str:
    kind = mutation[0]
    lines = text.split("\n")
    if kind == "delete_line":
        del lines[mutation[1] % len(lines)]
    elif kind == "duplicate_line":
        i = mutation[1] % len(lines)
        lines.insert(i, lines[i])
    elif kind == "swap_lines":
        i, j = (m % len(lines) for m in mutation[1:3])
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "indent":
        i = mutation[1] % len(lines)
        shift = mutation[2]
        line = lines[i]
        lines[i] = " " * shift + line if shift >= 0 else line[min(-shift, len(line) - len(line.lstrip())) :]
    elif kind == "replace_token":
        tokens = text.split(" ")
        tokens[mutation[1] % len(tokens)] = mutation[2]
        return " ".join(tokens)
    elif kind == "insert":
        at = mutation[1] % (len(text) + 1)
        return text[:at] + mutation[2] + text[at:]
    elif kind == "truncate":
        return text[: mutation[1] % (len(text) + 1)]
    return "\n".join(lines)


@settings(max_examples=examples(2000), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SOURCES), st.lists(_MUTATION, min_size=1, max_size=3))
def test_mutated_cases_load_or_give_a_clear_error(source: tuple[str, str], mutations: list[tuple[Any, ...]]) -> None:
    text = source[1]
    for mutation in mutations:
        text = _mutate(text, mutation)
    try:
        load_case_text(text, NAME)
    except CaseError as error:
        _assert_clear(error, text, NAME)


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SOURCES), st.lists(_MUTATION, min_size=1, max_size=2))
def test_mutated_cases_open_for_editing_or_give_a_clear_error(
    source: tuple[str, str], mutations: list[tuple[Any, ...]]
) -> None:
    # The editor's path parses with positions first; it must agree on what is an error.
    text = source[1]
    for mutation in mutations:
        text = _mutate(text, mutation)
    try:
        document = CaseDocument.from_text(text, NAME)
    except CaseError as error:
        _assert_clear(error, text, NAME)
        return
    assert document.render() == text


# ---------------------------------------------------------------- what a case that loads goes through


def _through_everything(case: Any) -> None:
    """Analyse, compare every intervention, write every report and draw the diagram: a
    case that loads may give a clear error on the way (a change that does not fit), never
    any other exception."""
    from exports.reports import csv_report
    from exports.views import case_diagram
    from kafka_tool.analysis.engine import analyze
    from kafka_tool.errors import KafkaToolError
    from kafka_tool.interventions import compare
    from kafka_tool.report import findings_json, to_json_text, to_markdown, to_text

    analysis = analyze(case)
    for text in (to_text(analysis), to_markdown(analysis), to_json_text(findings_json(analysis)),
                 csv_report(analysis), case_diagram(analysis).to_dot()):
        assert "\x1b" not in text
    for intervention in case.interventions:
        with contextlib.suppress(KafkaToolError):
            compare(case, [intervention.id], analysis).to_json()


@settings(max_examples=examples(600), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SOURCES), st.lists(_MUTATION, min_size=1, max_size=3))
def test_mutated_cases_that_load_go_through_analysis_compare_and_exports(
    source: tuple[str, str], mutations: list[tuple[Any, ...]]
) -> None:
    text = source[1]
    for mutation in mutations:
        text = _mutate(text, mutation)
    try:
        case = load_case_text(text, NAME)
    except CaseError as error:
        _assert_clear(error, text, NAME)
        return
    _through_everything(case)


HOSTILE = sorted((ROOT / "tests" / "data" / "hostile").glob("*.yaml"))


@pytest.mark.parametrize("path", HOSTILE, ids=[p.stem for p in HOSTILE])
def test_every_input_that_once_broke_the_tool_gives_a_clear_answer(path: Path, tmp_path: Path) -> None:
    """The inputs a red-team pass broke the tool with, kept: ``validate`` in a process of its own (where a
    crash of the parser would show as a signal), the rest of the command line in this one (where an
    exception would surface); never a traceback, and no escape sequence reaches the terminal."""
    import subprocess
    import sys

    from click.testing import CliRunner

    from kafka_tool.cli import cli

    result = subprocess.run([sys.executable, "-m", "kafka_tool", "validate", str(path)], capture_output=True,
                            text=True, timeout=120, check=False, cwd=ROOT)
    assert result.returncode in (0, 1), (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    outputs = [result.stdout + result.stderr]
    for args in (["analyze", str(path)], ["analyze", str(path), "--format", "markdown"],
                 ["analyze", str(path), "--format", "json"],
                 ["export", str(path), "--format", "csv", "-o", str(tmp_path / "out") + "/", "--force"]):
        run = CliRunner().invoke(cli, args)
        assert run.exit_code in (0, 1), (args, run.exit_code, run.output[-2000:])
        assert run.exception is None or isinstance(run.exception, SystemExit), (args, repr(run.exception))
        outputs.append(run.output)
    for output in outputs:
        assert "\x1b" not in output and "\x07" not in output and "\x9b" not in output
    try:
        CaseDocument.open(path)
    except CaseError as error:
        _assert_clear(error, path.read_text(encoding="utf-8"), str(path))


def test_the_starter_template_is_valid() -> None:
    # Mutating an invalid case would prove little; the sample cases are checked by the library tests.
    load_case_text(STARTER.read_text(encoding="utf-8"), STARTER.name)
