"""Edits of one element change that element's lines and nothing else.

A comment-rich case, with a heading comment over every section, comments above and
beside elements, flow and block style side by side and blank lines between elements:
adding, editing, renaming and deleting the first, a middle and the last element of every
section, then saving, must touch only the lines of the element edited (and, for a rename
or a delete, the references to it). A comment above an element goes with it; a section's
heading stays with the section.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kafka_tool.document import CaseDocument
from kafka_tool.edits import ElementRef, delete_element, rename_id
from kafka_tool.loader import load_case_text
from kafka_tool.model import Case

RICH = """\
# A case about three desks, written by hand.
format: kafka-case/1
id: rich
title: A comment-rich case   # the title
language: en

# --- What the rules look at.
attributes:
  # age in whole years
  age: {type: integer, min: 0, max: 120}
  # income a month
  income: {type: number, min: 0, max: 10000}
  # where someone stays
  housed: {type: boolean}

# --- Who is involved.
actors:
  # the town hall
  - {id: town, name: Town hall, kind: municipality}   # flow style
  # the bank
  - id: bank
    name: Bank   # beside a name
    kind: bank
  # the agency
  - {id: agency, name: Benefits agency, kind: executive_agency}

# --- Proofs, registrations and what people are after.
documents:
  # an id card
  - {id: id_card, name: ID card, kind: proof}
  # the address
  - id: address
    name: Registered address
    kind: registration

  # a bank account (a blank line above)
  - {id: account, name: Bank account, kind: service}
  # the benefit
  - {id: benefit, name: Benefit, kind: payment}

# --- The law and the house rules.
rules:
  # adults only
  - id: adults
    name: Adults only
    owner: bank
    when: {age: {min: 18}}   # a flow condition
  # low incomes
  - {id: low_income, name: Low incomes, owner: agency, when: {income: {below: 1500}}}
  # housed people
  - id: housed_only
    name: Housed people only
    owner: town
    when:
      housed: true

# --- Where the citizen meets them.
touchpoints:
  # register an address
  - id: register
    name: Register an address
    actor: town
    requires: [id_card]   # flow list
    produces: [address]
    days: 5
  # open an account
  - id: open_account
    name: Open an account
    actor: bank
    rules: [adults]
    requires:
      - address   # block list
      - any_of: [id_card]
    produces: [account]
    refers_to: [register]
  # apply for the benefit
  - id: apply
    name: Apply for the benefit
    actor: agency
    rules: [low_income, housed_only]
    requires: [account, address]
    produces: [benefit]
    refers_to: [open_account]

# --- The citizens.
personas:
  # the first one
  - id: amira
    name: Amira
    attributes: {age: 24, income: 900, housed: true}
    has: [id_card]
    goals: [benefit]
  # the second one
  - id: bram
    name: Bram
    attributes: {age: 17, income: 0, housed: false}   # a minor
    has: [id_card]
    goals: [account]
  # the third one
  - {id: cleo, name: Cleo, attributes: {age: 40, income: 2000, housed: true}, goals: [benefit]}

# --- What happened.
journeys:
  # Amira's first try
  - persona: amira
    steps:
      - {touchpoint: register, date: 2024-01-02, outcome: helped}
  # Bram
  - persona: bram
    steps:
      - {touchpoint: open_account, date: 2024-02-01, outcome: refused}
  # Cleo
  - persona: cleo
    steps:
      - {touchpoint: apply, date: 2024-03-01, outcome: refused}

# --- What could change.
interventions:
  # accept a postal address
  - id: postal
    title: Accept a postal address
    owner: bank
    changes:
      - remove_requirement: {touchpoint: open_account, document: address}
  # the agency fetches the address itself
  - id: fetch
    title: The agency fetches the address
    owner: agency
    changes:
      - exchange: {touchpoint: apply, document: address}
  # drop the housing rule
  - id: drop_housing
    title: Drop the housing rule
    owner: town
    changes:
      - set_when: {rule: housed_only, when: {}}
# the end of the file
"""

SECTIONS = {
    "attribute": ("attributes", ["age", "income", "housed"]),
    "actor": ("actors", ["town", "bank", "agency"]),
    "document": ("documents", ["id_card", "address", "account", "benefit"]),
    "rule": ("rules", ["adults", "low_income", "housed_only"]),
    "touchpoint": ("touchpoints", ["register", "open_account", "apply"]),
    "persona": ("personas", ["amira", "bram", "cleo"]),
    "journey": ("journeys", ["0", "1", "2"]),
    "intervention": ("interventions", ["postal", "fetch", "drop_housing"]),
}
def _pick(kind: str, position: int) -> str:
    """The first (0), a middle (1) or the last (2) element of a section."""
    keys = SECTIONS[kind][1]
    return keys[[0, len(keys) // 2, len(keys) - 1][position]]


HEADINGS = [line for line in RICH.splitlines() if line.startswith("# ---")]


def _diff(before: str, after: str) -> tuple[list[str], list[str]]:
    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def _element_lines(kind: str, key: str) -> list[str]:
    """The lines of one element of RICH: its comment above it, and its own lines."""
    section, keys = SECTIONS[kind]
    lines = RICH.splitlines()
    start = lines.index(f"{section}:") + 1
    end = next(i for i in range(start, len(lines))
               if lines[i].startswith("# ---") or lines[i] == "# the end of the file")
    block = lines[start:end]
    while block and not block[-1].strip():
        block.pop()
    # Elements start at their comment (indented two spaces, as every element here).
    starts = [i for i, line in enumerate(block) if line.startswith("  # ")]
    position = keys.index(key)
    stop = starts[position + 1] if position + 1 < len(starts) else len(block)
    return [line for line in block[starts[position]:stop]]


def _save(edit: Callable[[Case], Case], tmp_path: Path) -> str:
    path = tmp_path / "rich.yaml"
    path.write_text(RICH, encoding="utf-8")
    document = CaseDocument.open(path)
    document.save(edit(document.case.model_copy(deep=True)))
    saved = path.read_text(encoding="utf-8")
    load_case_text(saved)  # still a valid case
    return saved


def _headings_kept(saved: str) -> None:
    assert [line for line in saved.splitlines() if line.startswith("# ---")] == HEADINGS
    assert saved.startswith("# A case about three desks, written by hand.\n")
    assert saved.endswith("# the end of the file\n")


def _delete_attribute(case: Case, name: str) -> Case:
    """An attribute taken out with everything that names it: its conditions and persona values."""
    data = case.to_data()
    del data["attributes"][name]
    for rule in data.get("rules", []):
        rule.get("when", {}).pop(name, None)
    for persona in data.get("personas", []):
        persona.get("attributes", {}).pop(name, None)
    for intervention in data.get("interventions", []):
        for change in intervention.get("changes", []):
            if "set_when" in change:
                change["set_when"]["when"].pop(name, None)
    return Case.model_validate(data)


def _changed_elements(before: Case, after: Case) -> set[tuple[str, str]]:
    """The elements of RICH that the edit changed or deleted (by kind and key)."""
    old, new = before.to_data(), after.to_data()
    out = set()
    for kind, (section, keys) in SECTIONS.items():
        olds, news = old.get(section, {}), new.get(section, {})
        for position, key in enumerate(keys):
            if kind == "attribute":
                was, now = olds.get(key), news.get(key)
            elif kind == "journey":
                was = olds[position] if position < len(olds) else None
                now = news[position] if position < len(news) else None
            else:
                was = next((i for i in olds if i.get("id") == key), None)
                now = next((i for i in news if i.get("id") == key), None)
            if was != now:
                out.add((kind, key))
    return out


def _only_changed_elements_touched(before: Case, after: Case, saved: str) -> None:
    removed, _added = _diff(RICH, saved)
    touched = _changed_elements(before, after)
    allowed = {line for kind, key in touched for line in _element_lines(kind, key)} | {""}
    assert touched, "the edit changed nothing"
    for line in removed:
        assert line in allowed, (line, sorted(touched))
    _headings_kept(saved)


@pytest.mark.parametrize("kind", list(SECTIONS))
@pytest.mark.parametrize("position", [0, 1, 2], ids=["first", "middle", "last"])
def test_deleting_an_element_takes_its_comment_and_leaves_the_headings(kind: str, position: int,
                                                                        tmp_path: Path) -> None:
    key = _pick(kind, position)
    before = load_case_text(RICH)
    if kind == "attribute":
        after = _delete_attribute(before, key)
    else:
        after = delete_element(before, ElementRef(kind, key))
    saved = _save(lambda _case: after, tmp_path)
    removed, _added = _diff(RICH, saved)
    own = [line for line in _element_lines(kind, key) if line.strip()]
    # The element goes, and its comment with it...
    assert [line for line in own if line in removed] == own
    # ...and besides, only lines of elements that named it change (a reference dropped).
    _only_changed_elements_touched(before, after, saved)


@pytest.mark.parametrize("kind", [k for k in SECTIONS if k not in ("journey", "attribute")])
@pytest.mark.parametrize("position", [0, 1, 2], ids=["first", "middle", "last"])
def test_renaming_an_element_changes_its_id_and_its_references_only(kind: str, position: int,
                                                                    tmp_path: Path) -> None:
    key = _pick(kind, position)
    new = f"{key}_renamed"
    saved = _save(lambda case: rename_id(case, key, new), tmp_path)
    removed, added = _diff(RICH, saved)
    assert removed, "the rename changed nothing"
    assert len(removed) == len(added)
    for old_line, new_line in zip(removed, added, strict=True):
        # The line is the same but for the id: style, comments and spacing kept.
        assert key in old_line and new_line.replace(new, key) == old_line, (old_line, new_line)
    _headings_kept(saved)
    # Renaming back changes the same lines back (an end-of-line comment may stay where the
    # longer id had pushed it: ruamel.yaml keeps comments in their column).
    path = tmp_path / "rich.yaml"
    document = CaseDocument.open(path)
    document.save(rename_id(document.case.model_copy(deep=True), new, key))
    back = path.read_text(encoding="utf-8")
    assert load_case_text(back).to_data() == load_case_text(RICH).to_data()
    again_removed, again_added = _diff(RICH, back)
    assert all(key in line for line in again_removed + again_added), (again_removed, again_added)
    assert [line.split("#")[0].rstrip() for line in back.splitlines()] == [
        line.split("#")[0].rstrip() for line in RICH.splitlines()]


def _edit_one(kind: str, key: str) -> Callable[[Case], Case]:
    def edit(case: Case) -> Case:
        data = case.to_data()
        section = SECTIONS[kind][0]
        if kind == "attribute":
            data[section][key]["description"] = "edited"
        elif kind == "journey":
            data[section][int(key)]["title"] = "Edited journey"
        else:
            item = next(i for i in data[section] if i["id"] == key)
            item["name" if "name" in item else "title"] = "Edited name"
        return Case.model_validate(data)
    return edit


@pytest.mark.parametrize("kind", list(SECTIONS))
@pytest.mark.parametrize("position", [0, 1, 2], ids=["first", "middle", "last"])
def test_editing_an_element_touches_its_lines_alone(kind: str, position: int, tmp_path: Path) -> None:
    key = _pick(kind, position)
    before = load_case_text(RICH)
    after = _edit_one(kind, key)(before.model_copy(deep=True))
    saved = _save(lambda _case: after, tmp_path)
    removed, added = _diff(RICH, saved)
    own = _element_lines(kind, key)
    assert _changed_elements(before, after) == {(kind, key)}
    for line in removed:
        assert line in own, line
    assert any("edited" in line.lower() for line in added)
    # The element's comment above it is still right above it.
    comment = own[0]
    at = saved.splitlines().index(comment)
    assert saved.splitlines()[at + 1].lstrip(" -{").split(":")[0] in (
        "id", "persona", key, "type", "title")  # the element follows its comment
    _headings_kept(saved)


NEW: dict[str, Any] = {
    "actor": {"id": "ngo", "name": "Help desk", "kind": "ngo"},
    "document": {"id": "letter", "name": "A letter"},
    "rule": {"id": "anyone", "name": "Anyone", "owner": "town"},
    "touchpoint": {"id": "help", "name": "Get help", "actor": "town", "produces": ["id_card"]},
    "persona": {"id": "dana", "name": "Dana", "attributes": {"age": 30, "income": 0, "housed": True}},
    "journey": {"persona": "amira", "steps": [{"touchpoint": "apply", "date": "2024-05-01", "outcome": "helped"}]},
    "intervention": {"id": "more", "title": "More", "changes": [{"remove_touchpoint": "register"}]},
}


@pytest.mark.parametrize("kind", list(NEW))
@pytest.mark.parametrize("position", [0, 1, 3], ids=["first", "middle", "last"])
def test_adding_an_element_writes_its_lines_and_nothing_else(kind: str, position: int, tmp_path: Path) -> None:
    def edit(case: Case) -> Case:
        data = case.to_data()
        data[SECTIONS[kind][0]].insert(position, NEW[kind])
        return Case.model_validate(data)

    saved = _save(edit, tmp_path)
    removed, added = _diff(RICH, saved)
    assert not removed, removed
    assert added
    _headings_kept(saved)
    # Every comment of the file is still there, in its order.
    assert [line for line in saved.splitlines() if "#" in line] == [line for line in RICH.splitlines() if "#" in line]


def test_the_starter_keeps_the_next_heading_when_its_last_actor_goes(tmp_path: Path) -> None:
    """The loss the issue saw: deleting the last actor of a starter file removed the next
    section's heading comment ("# Proofs, registrations, …")."""
    from kafka_tool.cli import starter_text

    path = tmp_path / "starter.yaml"
    text = starter_text()
    path.write_text(text, encoding="utf-8")
    document = CaseDocument.open(path)
    case = document.case.model_copy(deep=True)
    last = case.actors[-1].id
    document.save(delete_element(case, ElementRef("actor", last)))
    saved = path.read_text(encoding="utf-8")
    before = [line for line in text.splitlines() if line.startswith("#")]
    after = [line for line in saved.splitlines() if line.startswith("#")]
    assert [line for line in before if line not in after] == [], "a heading comment was lost"


# ---------------------------------------------------------------- every sample, random edits

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "cases").glob("*.yaml"))


def test_random_edits_of_the_samples_save_exactly_what_was_edited(tmp_path: Path) -> None:
    """Random renames, deletes and name edits on every sample: the file reads back as the edited
    case, and every section the edit did not touch is written back as it was."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from kafka_tool.edits import SECTIONS as KINDS
    from kafka_tool.splice import _load, _split_sections
    from tests.profiles import examples

    def iter_elements(case: Case) -> list[ElementRef]:
        data = case.to_data()
        return [ElementRef(kind, str(item.get("id", n))) for kind, section in KINDS.items()
                for n, item in enumerate(data.get(section, [])) if isinstance(item, dict)]

    def blocks(text: str) -> dict[Any, str]:
        split = _split_sections(text, _load(text))
        assert split is not None
        return {s.key: "".join(s.lead + s.body) for s in split[1]}

    @settings(max_examples=examples(60), deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(SAMPLES), st.data())
    def check(sample: Path, data: st.DataObject) -> None:
        path = tmp_path / sample.name
        path.write_text(sample.read_text(encoding="utf-8"), encoding="utf-8")
        document = CaseDocument.open(path)
        case = document.case.model_copy(deep=True)
        refs = iter_elements(case)
        for _ in range(data.draw(st.integers(1, 3))):
            if not refs:
                break
            ref = data.draw(st.sampled_from(refs))
            action = data.draw(st.sampled_from(["delete", "rename", "name"]))
            if action == "delete" or ref.kind == "journey":
                case = delete_element(case, ref)
            elif action == "rename":
                case = rename_id(case, ref.key, f"{ref.key}_x")
            else:
                edited = case.to_data()
                section = edited[ref.section]
                item = next(i for i in section if i.get("id") == ref.key)
                item["name" if "name" in item else "title"] = "Edited"
                case = Case.model_validate(edited)
            refs = iter_elements(case)
        before = document.text
        document.save(case)
        saved = path.read_text(encoding="utf-8")
        assert load_case_text(saved).to_data() == case.to_data()
        old, new = load_case_text(before).to_data(), case.to_data()
        kept, now = blocks(before), blocks(saved)
        for key in new:
            if key in old and old[key] == new[key]:
                # A section the edits did not touch is written back as it was, comments and all.
                assert now[key] == kept[key], key

    check()


# ---------------------------------------------------------------- the file's own order


ORDERED = """\
format: kafka-case/1
id: ordered
title: Sections in an order of their own
actors: [{id: town, name: Town}]
documents:
  - {id: letter, name: Letter}
  - {id: proof, name: Proof}
  - {id: id_card, name: ID card}
  - {id: permit, name: Permit}
touchpoints:
  - id: apply
    name: Apply
    actor: town
    days: 84
    requires:
      - letter
      - {doc: proof, within_days: 42}   # the window of the law
      - any_of: [id_card, letter]
    produces: [permit]
personas: [{id: amira, name: Amira, has: [letter, proof, id_card], goals: [permit]}]
accepted:
  - {finding: single_point_of_failure/apply, reason: The only desk by law}
interventions:
  - {id: faster, title: Faster, changes: [{set_days: {touchpoint: apply, days: 30}}]}
"""


def _save_text(text: str, edit: Callable[[Case], Case], tmp_path: Path) -> str:
    path = tmp_path / "ordered.yaml"
    path.write_text(text, encoding="utf-8")
    document = CaseDocument.open(path)
    document.save(edit(document.case.model_copy(deep=True)))
    saved = path.read_text(encoding="utf-8")
    load_case_text(saved)
    return saved


def test_saving_keeps_the_files_order_of_its_sections(tmp_path: Path) -> None:
    """`accepted` before `interventions` (the model has them the other way round): an edit of one
    touchpoint's days changes that line alone."""
    def edit(case: Case) -> Case:
        data = case.to_data()
        data["touchpoints"][0]["days"] = 90
        return Case.model_validate(data)

    saved = _save_text(ORDERED, edit, tmp_path)
    assert _diff(ORDERED, saved) == (["    days: 84"], ["    days: 90"])


@pytest.mark.parametrize("position", [0, 1, 3])
def test_inserting_a_requirement_item_leaves_the_others_as_written(position: int, tmp_path: Path) -> None:
    def edit(case: Case) -> Case:
        data = case.to_data()
        data["touchpoints"][0]["requires"].insert(position, "id_card")
        return Case.model_validate(data)

    saved = _save_text(ORDERED, edit, tmp_path)
    removed, added = _diff(ORDERED, saved)
    assert removed == [] and added == ["      - id_card"]


def test_removing_a_requirement_item_removes_its_line_alone(tmp_path: Path) -> None:
    def edit(case: Case) -> Case:
        data = case.to_data()
        del data["touchpoints"][0]["requires"][0]
        return Case.model_validate(data)

    saved = _save_text(ORDERED, edit, tmp_path)
    assert _diff(ORDERED, saved) == (["      - letter"], [])


def test_emptying_a_block_list_that_holds_a_comment_saves_an_empty_list(tmp_path: Path) -> None:
    def edit(case: Case) -> Case:
        data = case.to_data()
        data["touchpoints"][0]["requires"] = []
        return Case.model_validate(data)

    saved = _save_text(ORDERED.replace("    requires:\n", "    requires:\n      # why these three\n"), edit, tmp_path)
    touchpoint = load_case_text(saved).touchpoint("apply")
    assert touchpoint is not None and touchpoint.requires == []
