"""Graded exercises: scoring a class's expectations, the session file, and `kafka-tool teach summary`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kafka_tool.analysis.engine import analyze
from kafka_tool.cli import cli
from kafka_tool.findings import Finding
from kafka_tool.i18n import words
from kafka_tool.library import find_case
from kafka_tool.loader import load_case
from kafka_tool.teaching import (
    Expectation,
    SessionError,
    kind_label,
    matches,
    near_miss,
    read_session,
    score,
    session_markdown,
    summarise,
)

DEAD_END = Finding("dead_end/housing", "dead_end", "critical", "Dead end at housing", "Nobody helps.",
                   nodes=("housing",), personas=("sandra",), actors=("corporation",))
LOOP = Finding("referral_loop/a+b", "referral_loop", "high", "From pillar to post", "A sends to B, B to A.",
               nodes=("town_hall", "housing"))
REPEATED = Finding("repeated_request/id", "repeated_request", "medium", "ID asked twice", "Twice.",
                   nodes=("id_card", "housing", "bank"))
FINDINGS = [DEAD_END, LOOP, REPEATED]


def test_an_expectation_matches_the_same_kind_with_its_elements_among_the_findings() -> None:
    assert matches(Expectation("dead_end", ("housing",)), DEAD_END)
    assert matches(Expectation("dead_end", ("housing", "sandra", "corporation")), DEAD_END)


def test_near_misses_do_not_match() -> None:
    assert not matches(Expectation("dead_end", ("town_hall",)), DEAD_END)  # right kind, wrong element
    assert not matches(Expectation("referral_loop", ("housing",)), DEAD_END)  # right element, wrong kind
    assert not matches(Expectation("dead_end", ("housing", "bank")), DEAD_END)  # one element too many


def test_a_near_miss_says_what_was_close() -> None:
    assert near_miss(Expectation("dead_end", ("town_hall",)), FINDINGS) == "kind"
    assert near_miss(Expectation("no_owner", ("housing",)), FINDINGS) == "elements"
    assert near_miss(Expectation("no_owner", ("town_hall", "bank")), FINDINGS) is None


def test_the_score_counts_found_missed_and_false_alarms() -> None:
    expectations = [Expectation("dead_end", ("housing",)), Expectation("dead_end", ("town_hall",)),
                    Expectation("repeated_request", ("id_card",))]
    result = score(expectations, FINDINGS)
    assert [f.id for f in result.found] == ["dead_end/housing", "repeated_request/id"]
    assert [f.id for f in result.missed] == ["referral_loop/a+b"]  # high: it counts
    assert result.false_alarms == (Expectation("dead_end", ("town_hall",)),)


def test_only_the_findings_that_count_are_missed() -> None:
    # A medium finding counts only when the case's author expects its kind.
    assert [f.id for f in score([], FINDINGS).missed] == ["dead_end/housing", "referral_loop/a+b"]
    assert [f.id for f in score([], FINDINGS, ["repeated_request"]).missed] == [
        "dead_end/housing", "referral_loop/a+b", "repeated_request/id"]


def test_one_expectation_can_find_several_findings() -> None:
    other = Finding("dead_end/bank", "dead_end", "critical", "Dead end at the bank", "", nodes=("bank",),
                    personas=("sandra",))
    result = score([Expectation("dead_end", ("sandra",))], [DEAD_END, other])
    assert len(result.found) == 2 and not result.missed


def test_finding_kinds_have_dutch_names() -> None:
    assert kind_label("dead_end", words("nl")) == "doodlopend loket"
    assert kind_label("dead_end", words("en")) == "dead end"


# ---------------------------------------------------------------- sessions

DUTCH = "briefadres-dakloos"


def save_session(folder: Path, name: str, expectations: list[Expectation], case_name: str = DUTCH,
                 language: str = "nl") -> Path:
    case = load_case(find_case(case_name))
    expected = case.teaching.expected_findings if case.teaching else []
    result = score(expectations, analyze(case).findings, expected)
    path = folder / f"{name}.md"
    path.write_text(session_markdown(case, result, "Wij denken aan een cirkel.", words(language),
                                     dt.date(2026, 12, 1)), encoding="utf-8")
    return path


def test_a_saved_session_is_markdown_in_the_interface_language_with_its_score(tmp_path: Path) -> None:
    path = save_session(tmp_path, "groep-1", [Expectation("dead_end", ("woning_aanvragen",)),
                                              Expectation("referral_loop", ("woning_aanvragen",))])
    text = path.read_text(encoding="utf-8")
    assert "Gevonden 1 · gemist 30 · vals alarm 1" in text
    assert "## Gemist" in text and "Wij denken aan een cirkel." in text
    assert ("✘ van het kastje naar de muur: Inschrijven als woningzoekende en een woning huren (vals alarm); "
            "bijna: hierover vindt de analyse cirkel van documenten, doodlopend loket, onbereikbaar doel") in text
    session = read_session(path, words("nl"))
    assert session.case == DUTCH and session.language == "nl"
    assert (session.score.found, session.score.missed, session.score.false_alarms) == (1, 30, 1)


def test_the_summary_adds_up_the_groups_most_missed_first(tmp_path: Path) -> None:
    one = save_session(tmp_path, "groep-1", [Expectation("dead_end", ("woning_aanvragen",))])
    two = save_session(tmp_path, "groep-2", [Expectation("dead_end", ("woning_aanvragen",)),
                                             Expectation("dead_end", ("bijstand_aanvraag",)),
                                             Expectation("no_owner", ("inschrijving_brp",))])
    summary = summarise([read_session(one, words("nl")), read_session(two, words("nl"))], words("nl"))
    tallies = {t.id: (t.found, t.missed) for t in summary.findings}
    assert tallies["dead_end/woning_aanvragen"] == (2, 0)
    assert tallies["dead_end/bijstand_aanvraag"] == (1, 1)
    assert summary.findings[0].missed == 2 and summary.findings[-1].id == "dead_end/woning_aanvragen"
    assert [(a.kind, a.groups) for a in summary.false_alarms] == [("no_owner", 1)]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_teach_summary_in_text_markdown_and_json(tmp_path: Path) -> None:
    one = save_session(tmp_path, "groep-1", [Expectation("dead_end", ("woning_aanvragen",))])
    two = save_session(tmp_path, "groep-2", [Expectation("no_owner", ("inschrijving_brp",))])
    code, out, _ = run("teach", "summary", str(one), str(two))
    assert code == 0, out
    assert "Bevindingen, het vaakst gemist eerst" in out and "groep-2" in out
    assert "zonder eigenaar: Inschrijven in de BRP" in out
    code, out, _ = run("teach", "summary", str(one), str(two), "--lang", "en", "--format", "markdown")
    assert code == 0 and "## Findings, most missed first" in out and "| Group | Found |" in out
    code, out, _ = run("teach", "summary", str(one), str(two), "--format", "json")
    data = json.loads(out)
    assert data["format"] == "kafka-teaching-summary/1" and [s["group"] for s in data["sessions"]] == [
        "groep-1", "groep-2"]
    woning = next(f for f in data["findings"] if f["id"] == "dead_end/woning_aanvragen")
    assert (woning["found_by"], woning["missed_by"]) == (1, 1)


def test_teach_summary_refuses_sessions_of_different_cases(tmp_path: Path) -> None:
    one = save_session(tmp_path, "groep-1", [])
    other = save_session(tmp_path, "class-b", [], case_name="newcomer-bsn-rent", language="en")
    code, _, err = run("teach", "summary", str(one), str(other), "--lang", "en")
    assert code == 2
    assert "different cases" in err and "briefadres-dakloos" in err and "newcomer-bsn-rent" in err


@pytest.mark.parametrize(("edit", "line", "message"), [
    (lambda t: t.replace("found: 1, missed: 30", "found: 2, missed: 30"), 7, "the score does not add up"),
    (lambda t: t.replace("language: nl", "language: fr"), 5, "language"),
    (lambda t: t.replace("---\n\n#", "\n#", 1), 1, "no closing `---`"),
    (lambda t: "# My notes\n" + t, 1, "does not start with `---`"),
    (lambda t: t.replace("case: briefadres-dakloos", "case: [briefadres"), 4, "YAML"),
])
def test_a_broken_session_is_an_error_at_its_file_and_line(tmp_path: Path, edit: object, line: int,
                                                           message: str) -> None:
    good = save_session(tmp_path, "groep-1", [Expectation("dead_end", ("woning_aanvragen",))])
    path = tmp_path / "broken.md"
    path.write_text(edit(good.read_text(encoding="utf-8")), encoding="utf-8")  # type: ignore[operator]
    with pytest.raises(SessionError) as caught:
        read_session(path, words("en"))
    problem = caught.value.problems[0]
    assert (problem.file, problem.line) == (str(path), line) and message in problem.message, str(caught.value)
    code, _, err = run("teach", "summary", str(good), str(path), "--lang", "en")
    assert code == 1 and f"{path}:{line}" in err


def test_teach_summary_of_a_file_that_is_not_there_is_a_usage_mistake(tmp_path: Path) -> None:
    code, _, err = run("teach", "summary", str(tmp_path / "missing.md"))
    assert code == 2 and "does not exist" in err
