"""Saving a case: byte for byte when unchanged, comments and layout kept when edited, atomic."""

from __future__ import annotations

import difflib
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from kafka_tool.document import CaseDocument, atomic_write_text
from kafka_tool.errors import CaseError
from kafka_tool.loader import load_case
from kafka_tool.model import Case

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "kafka_tool" / "templates" / "starter.yaml", *sorted((ROOT / "cases").glob("*.yaml"))]

# Comments everywhere a person puts them; four-space, two-space and unindented lists side by side;
# quoted, folded and flow values.
COMMENTED = """\
# Top comment: what this case is about.
# Second line of the top comment.
format: kafka-case/1   # the format
id: commented-case
title: "A heavily commented case"   # quoted title
language: en
summary: >
  A folded summary that spans
  two lines.
tags: [housing, 'banking']   # flow list with a quoted item

# What the rules look at.
attributes:
  age: {type: integer, min: 0, max: 120}   # after a flow mapping
  residence: {type: category, values: [dutch, eu]}

actors:
    # before the first actor (four-space indentation here)
    - id: bank
      name: A bank   # end of an actor's line
      kind: bank
    # between actors
    - id: municipality
      name: 'Municipality'
      kind: municipality

documents:
- id: passport          # dashes at column 1 here
  name: Passport
  kind: proof
- id: registration
  name: Registration
  kind: registration
  # at the end of a list item
- id: bank_account
  name: "Bank account"
  kind: service

rules:
  - id: adults_only
    name: Adults only
    owner: bank
    when: {age: {min: 18},   # inside a flow mapping
           residence: {in: [dutch, eu]}}

touchpoints:
  - id: register
    name: Register an address
    actor: municipality
    requires: [passport]   # after a flow list
    produces: [registration]
    days: 5   # after the days
  - id: open_account
    name: Open a bank account
    actor: bank
    rules: [adults_only]
    requires:
      - registration   # inside a block list
    produces: [bank_account]
    refers_to: [register]

personas:
  # before the first persona
  - id: amira
    name: Amira
    attributes: {age: 24, residence: eu}
    has: [passport]
    goals: [bank_account]
  # before the second persona
  - id: bram
    name: Bram
    attributes: {age: 30, residence: dutch}
    goals: [bank_account]
# at the very end
"""

_COMMENT = re.compile(r"(?:^|\s)(#.*)$")


def comments(text: str) -> list[str]:
    """Every comment in ``text``, in order, without the spaces before it."""
    found = []
    for line in text.splitlines():
        match = _COMMENT.search(line)
        if match:
            found.append(match.group(1).rstrip())
    return found


def changed_lines(before: str, after: str) -> list[str]:
    """The lines removed (``-``) and added (``+``) between two texts."""
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


@pytest.fixture
def commented(tmp_path: Path) -> Path:
    path = tmp_path / "commented.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    return path


# ---------------------------------------------------------------- unchanged


@pytest.mark.parametrize("source", SOURCES, ids=[p.name for p in SOURCES])
def test_unchanged_case_saves_byte_for_byte(tmp_path: Path, source: Path) -> None:
    path = tmp_path / source.name
    path.write_bytes(source.read_bytes())
    document = CaseDocument.open(path)
    assert not document.is_modified()
    document.save()
    assert path.read_bytes() == source.read_bytes()


@pytest.mark.parametrize(
    "raw",
    [
        COMMENTED.encode(),
        COMMENTED.replace("\n", "\r\n").encode(),  # Windows line ends
        COMMENTED.rstrip("\n").encode(),  # no line break at the end
        b"\xef\xbb\xbf" + COMMENTED.encode(),  # a byte order mark
    ],
    ids=["lf", "crlf", "no-final-newline", "bom"],
)
def test_unchanged_commented_case_saves_byte_for_byte(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "case.yaml"
    path.write_bytes(raw)
    CaseDocument.open(path).save()
    assert path.read_bytes() == raw


def test_loading_and_saving_a_model_unchanged_is_byte_for_byte(commented: Path) -> None:
    document = CaseDocument.open(commented)
    document.save(document.case.model_copy(deep=True))
    assert commented.read_text(encoding="utf-8") == COMMENTED


# ---------------------------------------------------------------- one change


def _set_title(case: Case) -> Case:
    case.title = "A new title"
    return case


def _set_days(case: Case) -> Case:
    tp = case.touchpoint("register")
    assert tp is not None
    tp.days = 7
    return case


def _add_requirement(case: Case) -> Case:
    tp = case.touchpoint("open_account")
    assert tp is not None
    tp.requires.append("passport")
    return case


def _delete_persona(case: Case) -> Case:
    case.personas = [p for p in case.personas if p.id != "bram"]
    return case


def _rename_case(case: Case) -> Case:
    return case.model_copy(update={"id": "renamed-case"})


def _rename_persona(case: Case) -> Case:
    case.personas = [p.model_copy(update={"name": "Amira Y."}) if p.id == "amira" else p for p in case.personas]
    return case


EDITS: dict[str, tuple[Callable[[Case], Case], Callable[[Case], bool], str, str]] = {
    # name: (edit, check on the reloaded case, text it replaces, replacement)
    "title": (
        _set_title,
        lambda c: c.title == "A new title",
        'title: "A heavily commented case"   # quoted title\n',
        # ruamel.yaml keeps an end-of-line comment in its column.
        'title: "A new title"                # quoted title\n',
    ),
    "days": (
        _set_days,
        lambda c: c.touchpoints[0].days == 7,
        "    days: 5   # after the days\n",
        "    days: 7   # after the days\n",
    ),
    "add-requirement": (
        _add_requirement,
        lambda c: c.touchpoints[1].requires == ["registration", "passport"],
        "      - registration   # inside a block list\n",
        "      - registration   # inside a block list\n      - passport\n",
    ),
    "delete-persona": (
        _delete_persona,
        lambda c: [p.id for p in c.personas] == ["amira"],
        "  # before the second persona\n  - id: bram\n    name: Bram\n"
        "    attributes: {age: 30, residence: dutch}\n    goals: [bank_account]\n",
        "",
    ),
    "rename-case": (
        _rename_case,
        lambda c: c.id == "renamed-case",
        "id: commented-case\n",
        "id: renamed-case\n",
    ),
    "rename-persona": (
        _rename_persona,
        lambda c: c.personas[0].name == "Amira Y.",
        "    name: Amira\n",
        "    name: Amira Y.\n",
    ),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_one_change_keeps_every_comment_and_the_rest_of_the_file(commented: Path, edit: str) -> None:
    change, check, old, new = EDITS[edit]
    document = CaseDocument.open(commented)
    document.save(change(document.case.model_copy(deep=True)))

    saved = commented.read_text(encoding="utf-8")
    assert check(load_case(commented)), saved
    assert check(CaseDocument.open(commented).case)
    # Every comment of the untouched parts is still there, in the same order.
    gone = comments(old) if not new else []
    assert comments(saved) == [c for c in comments(COMMENTED) if c not in gone]
    # And nothing else moved: not the indentation, not the quoting, not the flow style.
    assert COMMENTED.count(old) == 1
    assert saved == COMMENTED.replace(old, new), "\n".join(changed_lines(COMMENTED, saved))


def test_comment_inside_a_flow_mapping_survives_an_edit_elsewhere(commented: Path) -> None:
    # ruamel.yaml drops comments inside flow collections when it dumps them.
    document = CaseDocument.open(commented)
    document.save(_set_title(document.case.model_copy(deep=True)))
    assert "    when: {age: {min: 18},   # inside a flow mapping\n" in commented.read_text(encoding="utf-8")


def test_editing_a_section_keeps_its_own_indentation(commented: Path) -> None:
    # actors use four spaces, documents none, the rest two; each edited section keeps its own.
    document = CaseDocument.open(commented)
    case = document.case.model_copy(deep=True)
    actor = case.actor("bank")
    assert actor is not None
    actor.name = "The bank"
    document_ = case.document("passport")
    assert document_ is not None
    document_.name = "Passport or ID card"
    document.save(case)
    saved = commented.read_text(encoding="utf-8")
    assert "    - id: bank\n      name: The bank # end of an actor's line\n" in saved
    assert "- id: passport          # dashes at column 1 here\n  name: Passport or ID card\n" in saved
    assert len(changed_lines(COMMENTED, saved)) == 4


def test_successive_saves_each_change_only_what_changed(commented: Path) -> None:
    document = CaseDocument.open(commented)
    document.save(_set_title(document.case.model_copy(deep=True)))
    document.save(_set_days(document.case.model_copy(deep=True)))
    saved = commented.read_text(encoding="utf-8")
    assert changed_lines(COMMENTED, saved) == [
        '-title: "A heavily commented case"   # quoted title',
        '+title: "A new title"                # quoted title',
        "-    days: 5   # after the days",
        "+    days: 7   # after the days",
    ]
    assert not document.is_modified()


def test_render_before_save_does_not_lose_the_change(commented: Path) -> None:
    # A preview (render) must not make the next save think nothing changed.
    document = CaseDocument.open(commented)
    case = _set_title(document.case.model_copy(deep=True))
    preview = document.render(case)
    assert 'title: "A new title"' in preview
    assert document.render(case) == preview
    document.save(case)
    assert load_case(commented).title == "A new title"


def test_is_modified(commented: Path) -> None:
    document = CaseDocument.open(commented)
    case = document.case.model_copy(deep=True)
    assert not document.is_modified(case)
    case.title = "Changed"
    assert document.is_modified(case)
    document.save(case)
    assert not document.is_modified()


def test_save_as_leaves_the_original_alone(commented: Path, tmp_path: Path) -> None:
    document = CaseDocument.open(commented)
    copy = tmp_path / "copy.yaml"
    document.save(_set_title(document.case.model_copy(deep=True)), path=copy)
    assert commented.read_text(encoding="utf-8") == COMMENTED
    assert load_case(copy).title == "A new title"
    assert document.path == copy


def test_document_from_text_needs_a_path_to_save() -> None:
    document = CaseDocument.from_text(COMMENTED)
    with pytest.raises(ValueError, match="no path"):
        document.save()


def test_invalid_text_gives_located_problems() -> None:
    with pytest.raises(CaseError) as caught:
        CaseDocument.from_text(COMMENTED.replace("actor: bank", "actor: bnak"), "edit.yaml")
    (problem,) = caught.value.problems
    assert problem.file == "edit.yaml"
    assert problem.line == COMMENTED.splitlines().index("    actor: bank") + 1
    assert problem.hint == "did you mean 'bank'?"


# ---------------------------------------------------------------- atomic writes


def _temporary_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_atomic_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "case.yaml"
    atomic_write_text(target, "one\n")
    atomic_write_text(target, "two\n")
    assert target.read_text(encoding="utf-8") == "two\n"
    assert _temporary_files(tmp_path) == []


def test_atomic_write_keeps_permissions(tmp_path: Path) -> None:
    target = tmp_path / "case.yaml"
    target.write_text("one\n", encoding="utf-8")
    target.chmod(0o640)
    atomic_write_text(target, "two\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_new_file_gets_the_usual_permissions_not_private_ones(tmp_path: Path) -> None:
    # Files a team shares (saved copies, exports) must not come out readable by their writer alone.
    plain = tmp_path / "plain.txt"
    plain.write_text("x", encoding="utf-8")
    target = tmp_path / "new.yaml"
    atomic_write_text(target, "one\n")
    assert stat.S_IMODE(target.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)


def test_saving_keeps_permissions(commented: Path) -> None:
    commented.chmod(0o600)
    document = CaseDocument.open(commented)
    document.save(_set_title(document.case.model_copy(deep=True)))
    assert stat.S_IMODE(commented.stat().st_mode) == 0o600


def test_failed_write_leaves_the_original_intact(commented: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    document = CaseDocument.open(commented)

    def fail(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="No space left"):
        document.save(_set_title(document.case.model_copy(deep=True)))
    assert commented.read_text(encoding="utf-8") == COMMENTED
    assert _temporary_files(commented.parent) == []
    # The document still describes the file as it is on disk.
    assert document.text == COMMENTED
    assert document.is_modified()


def test_failed_write_of_a_new_file_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        atomic_write_text(tmp_path / "new.yaml", "text\n")
    assert list(tmp_path.iterdir()) == []
