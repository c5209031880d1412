"""Shared helpers for the tests: a valid case to start from, and loading that must fail."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from kafka_tool.errors import CaseError, Problem
from kafka_tool.loader import load_case


@pytest.fixture(autouse=True)
def english_system_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs under an English system locale, whatever the machine's: where no case
    decides the language (the library, a file that is not there), the tool follows the locale.
    Tests of the Dutch locale set it themselves."""
    monkeypatch.setenv("LANGUAGE", "")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


#: The sections of a small valid case, in file order. ``case_text`` starts from these.
VALID_SECTIONS: dict[str, str] = {
    "header": """\
        format: kafka-case/1
        id: test-case
        title: A test case
        """,
    "attributes": """\
        attributes:
          age: {type: integer, min: 0, max: 120}
          income: {type: number, min: 0, max: 10000}
          residence: {type: category, values: [dutch, eu, status_holder]}
          homeless: {type: boolean}
        """,
    "actors": """\
        actors:
          - id: bank
            name: A bank
            kind: bank
          - id: municipality
            name: Municipality
            kind: municipality
        """,
    "documents": """\
        documents:
          - id: passport
            name: Passport
            kind: proof
          - id: registration
            name: Registration
            kind: registration
          - id: bank_account
            name: Bank account
            kind: service
        """,
    "rules": """\
        rules:
          - id: adults_only
            name: Adults only
            owner: bank
            when:
              age: {min: 18}
              residence: {in: [dutch, eu]}
              homeless: false
        """,
    "touchpoints": """\
        touchpoints:
          - id: register
            name: Register an address
            actor: municipality
            channel: desk
            requires: [passport]
            produces: [registration]
            days: 5
          - id: open_account
            name: Open a bank account
            actor: bank
            rules: [adults_only]
            requires:
              - registration
              - any_of: [passport]
                rule: adults_only
            produces: [bank_account]
            refers_to: [register]
        """,
    "personas": """\
        personas:
          - id: amira
            name: Amira
            attributes: {age: 24, income: 0, residence: eu, homeless: false}
            has: [passport]
            goals: [bank_account]
        """,
    "journeys": """\
        journeys:
          - persona: amira
            steps:
              - touchpoint: register
                date: 2024-01-05
                outcome: helped
              - touchpoint: open_account
                date: 2024-01-10
                outcome: referred
                to: register
        """,
    "interventions": """\
        interventions:
          - id: postal_address
            title: Accept a postal address
            owner: bank
            changes:
              - remove_requirement: {touchpoint: open_account, document: registration}
        """,
}


def build_case_text(**sections: str | None) -> str:
    """A valid case's YAML text, with some sections replaced (a string) or left out (None).

    Section texts are dedented; a keyword that is not a known section is appended.
    """
    merged: dict[str, str | None] = {**VALID_SECTIONS, **sections}
    return "".join(textwrap.dedent(body) for body in merged.values() if body is not None)


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based number of the line holding the ``occurrence``-th ``needle``."""
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    return text.count("\n", 0, start) + 1


def column_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based column where the ``occurrence``-th ``needle`` starts."""
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    return start - (text.rfind("\n", 0, start) + 1) + 1


@pytest.fixture
def case_text() -> Callable[..., str]:
    """:func:`build_case_text`, as a fixture."""
    return build_case_text


@pytest.fixture(name="line_of")
def line_of_fixture() -> Callable[..., int]:
    """:func:`line_of`, as a fixture."""
    return line_of


@pytest.fixture(name="column_of")
def column_of_fixture() -> Callable[..., int]:
    """:func:`column_of`, as a fixture."""
    return column_of


@pytest.fixture
def write_case(tmp_path: Path) -> Callable[..., Path]:
    """Write case text (or bytes) to a file in ``tmp_path``; return its path."""

    def write(content: str | bytes, name: str = "case.yaml") -> Path:
        path = tmp_path / name
        if isinstance(content, str):
            path.write_bytes(content.encode("utf-8"))
        else:
            path.write_bytes(content)
        return path

    return write


@pytest.fixture
def load_problems(write_case: Callable[..., Path]) -> Callable[..., list[Problem]]:
    """Write case text to a file, load it expecting :class:`CaseError`, return its problems."""

    def load(content: str | bytes, name: str = "case.yaml", **kwargs: object) -> list[Problem]:
        path = write_case(content, name)
        with pytest.raises(CaseError) as caught:
            load_case(path, **kwargs)  # type: ignore[arg-type]
        problems = caught.value.problems
        assert problems, "a CaseError must carry at least one problem"
        for problem in problems:
            assert problem.file == str(path)
        return problems

    return load


@pytest.fixture
def dot() -> None:
    """Skip without Graphviz's ``dot`` (the exports draw with it); fail instead when CI requires it."""
    from exports.render import dot_available

    if not dot_available():
        if os.environ.get("KAFKA_TOOL_REQUIRE_DOT") == "1":
            pytest.fail("Graphviz's dot is required here (KAFKA_TOOL_REQUIRE_DOT=1) but was not found")
        pytest.skip("Graphviz's dot is not installed")
