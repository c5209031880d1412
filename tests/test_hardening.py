"""Hostile and broken input: refused at load with its place, never a traceback, a hang or a crash.

Each test reproduces one defect a red-team pass found (issue "Hardening"): terminal escapes
in case files, hidden characters in names, numbers that are not numbers, intervention changes
looser than the elements they change, nesting that crashed the parser, line endings lost on
save, and large files that took minutes to report a typo.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kafka_tool.document import CaseDocument, ReadOnlyError
from kafka_tool.errors import CaseError, Problem, shown, terminal_safe
from kafka_tool.i18n import words
from kafka_tool.loader import load, load_case
from kafka_tool.positions import FULL_PARSE_LIMIT

ROOT = Path(__file__).resolve().parent.parent
ESC = "\x1b"


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kafka_tool", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=120, check=False)


# ---------------------------------------------------------------- terminal escapes (item 4)


ESCAPES = {
    r'"\e[2J"': "U+001B",
    r'"\x1b]0;title\x07"': "U+001B",
    r'"\u001b"': "U+001B",
    r'"\u009b31m"': "U+009B",
    r'"a\x07b"': "U+0007",
    r'"over\rwrite"': "U+000D",
    r'"\x00"': "U+0000",
}


@pytest.mark.parametrize("escape", sorted(ESCAPES))
@pytest.mark.parametrize("where", ["title", "actor name", "persona story", "accepted reason", "tag"])
def test_yaml_escapes_for_control_characters_are_refused_at_their_place(
    escape: str, where: str, case_text: Callable[..., str], load_problems: Callable[..., list[Problem]],
    line_of: Callable[..., int],
) -> None:
    text = case_text()
    if where == "title":
        text = text.replace("title: A test case", f"title: {escape}")
        needle = "title:"
    elif where == "actor name":
        text = text.replace("name: A bank", f"name: {escape}")
        needle = "name: " + escape
    elif where == "persona story":
        text = text.replace("name: Amira\n", f"name: Amira\n    story: {escape}\n")
        needle = "story:"
    elif where == "tag":
        text = text.replace("title: A test case\n", f"title: A test case\ntags: [ok, {escape}]\n")
        needle = "tags:"
    else:
        text += f"accepted:\n  - finding: x\n    reason: {escape}\n"
        needle = "reason:"
    problems = load_problems(text)
    assert any(ESCAPES[escape] in p.message and p.line == line_of(text, needle) for p in problems), problems
    for problem in problems:
        assert ESC not in str(problem) and "\x07" not in str(problem) and "\x9b" not in str(problem)


def test_a_control_character_in_a_key_is_refused(case_text: Callable[..., str],
                                                  load_problems: Callable[..., list[Problem]]) -> None:
    text = case_text().replace("  homeless: {type: boolean}", '  "home\\eless": {type: boolean}')
    problems = load_problems(text)
    assert any("U+001B" in p.message for p in problems)
    assert all(ESC not in str(p) for p in problems)


def test_raw_c1_controls_are_refused_by_the_reader(case_text: Callable[..., str],
                                                   load_problems: Callable[..., list[Problem]]) -> None:
    text = case_text().replace("name: A bank", "name: A \x9b2J bank")
    (problem,) = load_problems(text)
    assert "U+009B" in problem.message and problem.line is not None


def test_tabs_and_line_breaks_in_text_are_fine(case_text: Callable[..., str], write_case: Callable[..., Path]) -> None:
    text = case_text().replace("title: A test case", 'title: A test case\nsummary: "one\\ttwo\\nthree"')
    assert load_case(write_case(text)).summary == "one\ttwo\nthree"


def test_validate_and_analyze_never_print_an_escape(tmp_path: Path, case_text: Callable[..., str]) -> None:
    bad = tmp_path / "bad.yaml"
    # An id that is no slug, and an unknown reference, both with an escape in them.
    bad.write_text(case_text().replace("actor: bank", 'actor: "bnk\\e]52;c;Y3VybA==\\a"'), encoding="utf-8")
    result = run_cli("validate", str(bad))
    assert result.returncode == 1
    assert ESC not in result.stdout + result.stderr and "\x07" not in result.stdout + result.stderr
    assert "\\x1b" in result.stdout


def test_one_way_to_show_a_bad_id(tmp_path: Path, case_text: Callable[..., str]) -> None:
    """The same bad value reads the same in every message about it."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(case_text().replace("actor: bank", 'actor: "b\\e[1mnk"'), encoding="utf-8")
    with pytest.raises(CaseError) as caught:
        load_case(bad)
    messages = [p.message for p in caught.value.problems]
    echoing = [m for m in messages if "valid id" in m or "unknown actor" in m]
    assert len(echoing) == 2, messages  # not a slug, and not an actor of the case
    assert all(shown("b\x1b[1mnk") in m for m in echoing), messages
    assert not any(ESC in m for m in messages)


def test_shown_and_terminal_safe_escape_what_a_terminal_acts_on() -> None:
    assert shown("ok") == "'ok'"
    assert shown("a\x1b[2J\u202eb\x9b") == "'a\\x1b[2J\\u202eb\\x9b'"
    assert terminal_safe("line\nnext\tcol\x1b]52;c;x\x07") == "line\nnext\tcol\\x1b]52;c;x\\x07"


# ---------------------------------------------------------------- hidden characters (item 7)


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200b", "\u200d", "\ufeff"])
def test_hidden_characters_in_names_give_a_located_warning(
    char: str, case_text: Callable[..., str], write_case: Callable[..., Path], line_of: Callable[..., int],
) -> None:
    text = case_text().replace("name: Municipality", f"name: Munici{char}pality")
    loaded = load(write_case(text))
    (warning,) = loaded.warnings
    assert f"U+{ord(char):04X}" in warning.message
    assert warning.line == line_of(text, f"Munici{char}pality")
    assert char not in warning.warning()


def test_a_hidden_character_written_as_an_escape_in_an_ascii_file_is_warned_of(
    case_text: Callable[..., str], write_case: Callable[..., Path], line_of: Callable[..., int],
) -> None:
    text = case_text().replace("name: Municipality", 'name: "Munici\\u200bpality"')
    assert text.isascii()
    (warning,) = load(write_case(text)).warnings
    assert "U+200B" in warning.message and warning.line == line_of(text, "Munici")


def test_validate_prints_the_warning_and_still_passes(tmp_path: Path, case_text: Callable[..., str]) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(case_text().replace("name: A bank", "name: A \u202eknab"), encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.returncode == 0, result.stderr
    assert "warning: hidden character U+202E" in result.stdout
    assert "\u202e" not in result.stdout


def test_the_editor_sees_the_warnings_too(case_text: Callable[..., str], write_case: Callable[..., Path]) -> None:
    document = CaseDocument.open(write_case(case_text().replace("name: A bank", "name: A\u200bbank")))
    assert [w.line for w in document.warnings] == [document.text.count("\n", 0, document.text.index("A\u200b")) + 1]


# ---------------------------------------------------------------- numbers (item 8)


BAD_NUMBERS = [".inf", "-.inf", ".nan", "1e400", "9" * 401]


@pytest.mark.parametrize("number", BAD_NUMBERS)
@pytest.mark.parametrize("where", ["days", "cost", "when bound", "persona value", "domain", "valid_days",
                                   "set_when bound"])
def test_numbers_that_are_not_numbers_are_refused_at_their_place(
    number: str, where: str, case_text: Callable[..., str], load_problems: Callable[..., list[Problem]],
    line_of: Callable[..., int],
) -> None:
    text = case_text()
    replacements = {
        "days": ("days: 5", f"days: {number}", "days:"),
        "cost": ("days: 5", f"days: 5\n    cost: {number}", "cost:"),
        "when bound": ("age: {min: 18}", f"age: {{min: {number}}}", "age: {min: " + number),
        "persona value": ("{age: 24,", f"{{age: {number},", "attributes: {age"),
        "domain": ("age: {type: integer, min: 0, max: 120}", f"age: {{type: integer, min: 0, max: {number}}}",
                   "age: {type: integer"),
        "valid_days": ("kind: proof", f"kind: proof\n    valid_days: {number}", "valid_days:"),
        "set_when bound": ("- remove_requirement: {touchpoint: open_account, document: registration}",
                           f"- set_when: {{rule: adults_only, when: {{age: {{min: {number}}}}}}}", "set_when"),
    }
    old, new, needle = replacements[where]
    assert old in text
    text = text.replace(old, new, 1)
    problems = load_problems(text)
    assert any(p.line == line_of(text, needle) for p in problems), problems
    assert all("Traceback" not in str(p) for p in problems)


def test_no_infinity_reaches_the_json(tmp_path: Path, case_text: Callable[..., str]) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(case_text().replace("days: 5", "days: .inf"), encoding="utf-8")
    result = run_cli("analyze", str(path), "--format", "json")
    assert result.returncode == 1 and "Infinity" not in result.stdout
    assert "not a finite number" in result.stderr


def test_ordinary_large_numbers_still_load(case_text: Callable[..., str], write_case: Callable[..., Path]) -> None:
    case = load_case(write_case(case_text().replace("days: 5", "days: 100000000000000")))
    assert case.touchpoint("register").days == 10**14  # type: ignore[union-attr]


# ---------------------------------------------------------------- intervention changes (item 9)


@pytest.mark.parametrize("change", [
    "{touchpoint: open_account, document: null}",
    "{touchpoint: open_account, any_of: null}",
    "{touchpoint: open_account}",
    "{touchpoint: open_account, document: passport, any_of: [registration]}",
])
def test_add_requirement_is_checked_like_a_requirement(
    change: str, case_text: Callable[..., str], load_problems: Callable[..., list[Problem]],
    line_of: Callable[..., int],
) -> None:
    text = case_text().replace("- remove_requirement: {touchpoint: open_account, document: registration}",
                               f"- add_requirement: {change}")
    problems = load_problems(text)
    assert any("add_requirement needs either" in p.message and p.line == line_of(text, "add_requirement")
               for p in problems), problems


def test_compare_and_exports_of_a_null_change_give_a_clear_error(tmp_path: Path,
                                                                  case_text: Callable[..., str]) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(case_text().replace(
        "- remove_requirement: {touchpoint: open_account, document: registration}",
        "- add_requirement: {touchpoint: open_account, document: null}"), encoding="utf-8")
    for args in (["compare", str(path), "-i", "postal_address"], ["analyze", str(path), "-i", "postal_address"],
                 ["export", str(path), "--format", "md", "-o", str(tmp_path / "out") + "/"]):
        result = run_cli(*args)
        assert result.returncode == 1, (args, result.stderr)
        assert "Traceback" not in result.stderr and "add_requirement needs either" in result.stderr


# ---------------------------------------------------------------- deep nesting (item 10)


@pytest.mark.parametrize("body", [
    "tags:\n" + "- " * 12000 + "x\n",
    "tags:\n  - " + "? " * 20000 + "x\n",
    "tags:\n" + "".join(" " * i + "- a:\n" for i in range(0, 3000, 2)),
    "tags: " + "[" * 20000 + "]" * 20000 + "\n",
], ids=["compact-sequences", "complex-keys", "indented-mappings", "flow"])
def test_deep_nesting_is_refused_with_the_limit_not_a_crash(tmp_path: Path, body: str) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("format: kafka-case/1\nid: c\ntitle: C\n" + body, encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.returncode == 1, (result.returncode, result.stderr[-500:])
    assert "nesting deeper than 64 levels" in result.stdout or "YAML" in result.stdout
    # The editor's reader takes the same guard.
    with pytest.raises(CaseError):
        CaseDocument.open(path)


@pytest.mark.parametrize("shape", ["list", "mapping"])
def test_the_nesting_limit_is_exact(shape: str) -> None:
    """Values nested 64 levels deep are read; one level more is refused."""
    from kafka_tool.loader import MAX_DEPTH, _check_depth

    def nested(levels: int, leaf: object) -> object:
        value = leaf
        for _ in range(levels):
            value = [value] if shape == "list" else {"k": value}
        return value

    _check_depth({"tags": nested(MAX_DEPTH - 1, [])}, "", "c.yaml")  # an empty container at the limit
    _check_depth({"tags": nested(MAX_DEPTH - 1, "x")}, "", "c.yaml")
    with pytest.raises(CaseError):
        _check_depth({"tags": nested(MAX_DEPTH, "x")}, "", "c.yaml")
    with pytest.raises(CaseError):
        _check_depth({"a": 1, "b": [nested(MAX_DEPTH - 1, [1])]}, "", "c.yaml")


_ANCHOR_PATTERN = r"(?:^|[\s\[\]{},:-])&([^\s\[\]{},]+)"


@settings(max_examples=400)
@given(st.text(alphabet="& \n\t[]{},:-ab*\x85\u2028\u3000", max_size=40))
def test_anchor_names_are_those_the_pattern_reads(text: str) -> None:
    """The scan for ``&`` finds the names a pattern tried at every character would."""
    import re

    from kafka_tool.loader import _anchor_names

    assert _anchor_names(text) == [m.group(1) for m in re.finditer(_ANCHOR_PATTERN, text)]


def test_deeply_indented_text_is_not_nesting(tmp_path: Path) -> None:
    path = tmp_path / "text.yaml"
    path.write_text("format: kafka-case/1\nid: c\ntitle: C\nsummary: |\n"
                    + "".join(" " * (300 + i) + "text\n" for i in range(3)), encoding="utf-8")
    assert load_case(path).summary is not None


# ---------------------------------------------------------------- line endings (item 3)


def test_a_crlf_file_stays_crlf_after_edits(tmp_path: Path) -> None:
    source = (ROOT / "cases" / "status-holder-bsn-bank-house.yaml").read_text(encoding="utf-8")
    path = tmp_path / "crlf.yaml"
    path.write_bytes(source.replace("\n", "\r\n").encode("utf-8"))
    document = CaseDocument.open(path)
    case = document.case.model_copy(deep=True)
    case.actors[0].name = "Renamed"
    case.touchpoints[1].days = 77
    case.interventions = case.interventions[:-1]
    document.save(case)
    raw = path.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n") > 100
    assert CaseDocument.open(path).case.actors[0].name == "Renamed"


def test_an_lf_file_stays_lf(tmp_path: Path) -> None:
    path = tmp_path / "lf.yaml"
    path.write_text((ROOT / "cases" / "status-holder-bsn-bank-house.yaml").read_text(encoding="utf-8"),
                    encoding="utf-8")
    document = CaseDocument.open(path)
    case = document.case.model_copy(deep=True)
    case.actors[0].name = "Renamed"
    document.save(case)
    assert b"\r" not in path.read_bytes()


# ---------------------------------------------------------------- large files (item 15)


def _large_case(touchpoints: int) -> str:
    lines = ["format: kafka-case/1", "id: large", "title: A large case", "attributes:",
             "  age: {type: integer, min: 0, max: 120}", "actors:", "  - id: town", "    name: Town",
             "documents:"]
    for n in range(touchpoints):
        lines += [f"  - id: doc_{n}", f"    name: Document {n}"]
    lines.append("touchpoints:")
    for n in range(touchpoints):
        lines += [f"  - id: tp_{n}", f"    name: Desk {n}", "    actor: town",
                  f"    requires: [doc_{n - 1}]" if n else "    requires: []", f"    produces: [doc_{n}]"]
    lines += ["personas:", "  - id: p", "    name: P", "    attributes: {age: 30}", "    goals: [doc_3]"]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def large_text() -> str:
    text = _large_case(6000)
    assert len(text) > FULL_PARSE_LIMIT
    return text


@pytest.mark.parametrize(("old", "new", "needle", "column", "message"), [
    ("    actor: town\n    requires: [doc_4999]", "    actor: twon\n    requires: [doc_4999]", "actor: twon", 12,
     "unknown actor 'twon'"),
    ("  - id: tp_3000\n", "  - id: tp_3000\n    nmae: x\n", "nmae", 5, "unknown key 'nmae'"),
    ("  age: {type: integer, min: 0, max: 120}", "  age: {type: integer, min: 0, max: 120, mxa: 3}", "mxa", 42,
     "unknown key 'mxa'"),
    ("title: A large case", 'title: "\\e[2J"', "title:", 8, "U+001B"),
    ("  - id: tp_5000\n    name: Desk 5000\n", "  - id: tp_5000\n    name: Desk 5000\n    days: 3\n    days: 4\n",
     "days: 4", 5, "duplicate key 'days'"),
])
def test_a_large_file_locates_its_problems_exactly_without_a_second_full_parse(
    large_text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, needle: str,
    column: int, message: str,
) -> None:
    from kafka_tool import loader

    def no_full_parse(text: str, name: str) -> None:
        raise AssertionError("a large file was parsed a second time as a whole")

    monkeypatch.setattr(loader, "_parse_round_trip_or_raise", no_full_parse)
    assert old in large_text
    text = large_text.replace(old, new, 1)
    path = tmp_path / "large.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseError) as caught:
        load_case(path)
    (problem,) = caught.value.problems
    line = text[: text.index(needle)].count("\n") + 1
    assert (problem.line, problem.column) == (line, column), problem
    assert message in problem.message


def test_the_fast_locator_agrees_with_the_full_parse(large_text: str) -> None:
    """Many problems at once: each one where a whole-file parse puts it."""
    from kafka_tool.loader import _parse_round_trip_or_raise, locate_issues, parse_fast, validate_data
    from kafka_tool.positions import locate

    text = (large_text.replace("    actor: town\n    requires: [doc_10]", "    actor: nobody\n    requires: [doc_10]")
            .replace("goals: [doc_3]", "goals: [doc_3, nothing]").replace("id: doc_77\n", "id: doc_77\n    kind: x\n"))
    data = parse_fast(text, "big.yaml")
    _, issues = validate_data(data, text)
    assert len(issues) >= 3
    fast = locate(issues, text, "big.yaml", data)
    full = locate_issues(issues, _parse_round_trip_or_raise(text, "big.yaml"), "big.yaml")
    assert [(p.line, p.column, p.message) for p in fast] == [(p.line, p.column, p.message) for p in full]


def test_a_file_too_large_to_edit_opens_read_only(large_text: str, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_TOOL_MAX_EDIT_BYTES", str(len(large_text) // 2))
    path = tmp_path / "large.yaml"
    path.write_text(large_text, encoding="utf-8")
    stages: list[str] = []
    document = CaseDocument.open(path, stages.append)
    assert document.read_only is not None and "MB" in document.read_only
    assert "KAFKA_TOOL_MAX_EDIT_BYTES" in document.read_only
    assert stages == ["reading", "parsing", "checking"]
    assert not document.is_modified()
    case = document.case.model_copy(deep=True)
    case.title = "changed"
    with pytest.raises(ReadOnlyError) as refused:
        document.save(case)
    assert path.read_text(encoding="utf-8") == large_text
    # Said in the language it is shown in: English as it is, Dutch through the catalogue.
    size = len(large_text.encode("utf-8")) / 1024 / 1024
    limit = (len(large_text) // 2) / 1024 / 1024
    english = refused.value.say(words("en"))
    assert english == str(document.read_only)
    assert english.startswith(f"large.yaml is {round(size, 1)} MB, over the {round(limit, 3)} MB that can be edited")
    dutch = refused.value.say(words("nl"))
    assert dutch == words("nl").say_message(document.read_only)
    assert dutch.startswith(f"large.yaml is {words('nl').number(round(size, 1))} MB, meer dan de ")
    assert "bewerk het bestand in een teksteditor" in dutch and "edited" not in dutch


def test_json_output_of_a_hostile_case_is_valid_json(tmp_path: Path, case_text: Callable[..., str]) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(case_text().replace("name: A bank", 'name: "<script>[bold]\\u202e$x"'), encoding="utf-8")
    result = run_cli("analyze", str(path), "--format", "json")
    data = json.loads(result.stdout)
    assert data["format"] == "kafka-findings/1"


# ---------------------------------------------------------------- every change kind, fuzzed (item 9)


def _change_strategy() -> object:
    """Lists of changes of every kind, mostly naming what the case has (so that they apply), now
    and then naming nothing, the wrong kind of element, null, or a value of the wrong type."""
    from hypothesis import strategies as st

    junk = ["nope", "", None, 3, True, [], {}]

    def ids(*names: str) -> st.SearchStrategy[object]:
        return st.sampled_from([*names] * 6 + ["amira", "bank"] + junk)

    tps, docs = ids("register", "open_account"), ids("passport", "registration", "bank_account")
    rules, actors = ids("adults_only"), ids("bank", "municipality")
    when = st.sampled_from([{"age": {"min": 16}}, {"age": {"min": 200}}, {"homeless": True}, {"nope": 1}, {},
                            None, {"age": {"min": None}}, {"residence": {"in": ["eu", "mars"]}},
                            {"age": {"max": 30}, "residence": {"in": ["eu"]}}])
    new_tp = st.fixed_dictionaries(
        {"id": st.sampled_from(["new_desk", "new_desk", "register", None]), "name": st.sampled_from(["New", "", None])},
        optional={"actor": actors, "requires": st.lists(docs, max_size=2), "produces": st.lists(docs, max_size=2),
                  "refers_to": st.lists(tps, max_size=2), "rules": st.lists(rules, max_size=1)})
    args = {
        "remove_requirement": st.fixed_dictionaries({"touchpoint": tps, "document": docs}),
        "add_requirement": st.fixed_dictionaries({"touchpoint": tps}, optional={
            "document": docs, "any_of": st.lists(docs, max_size=3), "rule": rules}),
        "add_produces": st.fixed_dictionaries({"touchpoint": tps, "document": docs}),
        "remove_produces": st.fixed_dictionaries({"touchpoint": tps, "document": docs}),
        "add_referral": st.fixed_dictionaries({"touchpoint": tps, "to": tps}),
        "remove_referral": st.fixed_dictionaries({"touchpoint": tps, "to": tps}),
        "set_when": st.fixed_dictionaries({"rule": rules, "when": when}),
        "set_actor": st.fixed_dictionaries({"touchpoint": tps, "actor": actors}),
        "exchange": st.fixed_dictionaries({"touchpoint": tps, "document": docs}),
        "add_touchpoint": new_tp,
        "remove_touchpoint": tps,
    }
    return st.lists(st.one_of(*(st.fixed_dictionaries({kind: strategy}) for kind, strategy in args.items())),
                    min_size=1, max_size=4)


def test_every_change_kind_is_checked_before_it_is_applied() -> None:
    from hypothesis import HealthCheck, given, settings

    from kafka_tool.errors import KafkaToolError
    from kafka_tool.interventions import compare
    from kafka_tool.loader import validate_data
    from tests.conftest import build_case_text
    from tests.profiles import examples

    base = load_case_text_data(build_case_text())

    @settings(max_examples=examples(1500), deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_change_strategy())
    def check(changes: list[dict[str, object]]) -> None:
        data = {**base, "interventions": [{"id": "fuzzed", "title": "Fuzzed", "changes": changes}]}
        case, issues = validate_data(data)
        if case is None:
            assert issues
            return
        try:
            compare(case, ["fuzzed"]).to_json()
        except KafkaToolError as error:
            assert str(error)

    check()


def load_case_text_data(text: str) -> dict[str, object]:
    from kafka_tool.loader import parse_fast

    data = parse_fast(text, "case.yaml")
    assert isinstance(data, dict)
    return data
