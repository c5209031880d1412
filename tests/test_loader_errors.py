"""Every class of loader error: the message, the line (and column) and the hint.

Each test breaks the valid case of ``conftest.VALID_SECTIONS`` in one place
and checks what the user is told, and where.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kafka_tool.document import CaseDocument
from kafka_tool.errors import CaseError, Problem
from kafka_tool.loader import MAX_DEPTH, load_case, load_case_text

Load = Callable[..., list[Problem]]
LineOf = Callable[..., int]


def only(problems: list[Problem]) -> Problem:
    """The single problem reported."""
    assert len(problems) == 1, "\n".join(str(p) for p in problems)
    return problems[0]


def test_the_valid_case_loads(case_text: Callable[..., str]) -> None:
    case = load_case_text(case_text(), "valid.yaml")
    assert case.id == "test-case"
    assert [p.id for p in case.personas] == ["amira"]


# ---------------------------------------------------------------- YAML itself


def test_syntax_error(load_problems: Load, case_text: Callable[..., str]) -> None:
    text = case_text(header="format: kafka-case/1\nid: test-case\ntitle: [unclosed, list\n")
    problem = only(load_problems(text))
    # Where the parser noticed (the `:` of `attributes:`), and where the list began.
    assert (problem.line, problem.column) == (4, 11)
    assert problem.message.startswith("YAML syntax error: ")
    assert "(while parsing a flow sequence that starts at line 3)" in problem.message
    assert problem.hint is not None and "indentation" in problem.hint


def test_unquoted_colon_in_a_value(load_problems: Load, case_text: Callable[..., str]) -> None:
    text = case_text(header="format: kafka-case/1\nid: test-case\ntitle: Note: this breaks\n")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (3, 12)
    assert "mapping values are not allowed here" in problem.message
    assert problem.hint is not None and "quoted" in problem.hint


def test_tab_indentation(load_problems: Load, case_text: Callable[..., str]) -> None:
    text = case_text(header="format: kafka-case/1\nid: test-case\n\ttitle: A test case\n")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (3, 1)
    assert "'\\t'" in problem.message
    assert problem.hint == "indent with spaces, not tabs"


def test_duplicate_key(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    actors = """\
        actors:
          - id: bank
            name: A bank
            kind: bank
            name: Another bank
          - id: municipality
            name: Municipality
        """
    text = case_text(actors=actors)
    problem = only(load_problems(text))
    assert problem.line == line_of(text, "name: Another bank")
    assert problem.column == 5
    assert problem.message == f"duplicate key 'name' (first at line {line_of(text, 'name: A bank')})"
    assert problem.hint is not None and "each key may appear once" in problem.hint


def test_duplicate_top_level_key(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    text = case_text(extra="title: Again\n")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, "title: Again"), 1)
    assert "duplicate key 'title'" in problem.message


def test_multi_document_file(load_problems: Load, case_text: Callable[..., str]) -> None:
    first = case_text()
    text = first + "---\n" + first
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (first.count("\n") + 1, 1)
    assert "second YAML document" in problem.message
    assert problem.hint is not None and "---" in problem.hint


@pytest.mark.parametrize("after", ["actors: []\n", "- x\n", "more words\n"])
def test_text_after_a_document_end_points_at_the_dots(load_problems: Load, case_text: Callable[..., str],
                                                      line_of: LineOf, after: str) -> None:
    """``...`` ends the document: what follows starts a second one without a ``---``, so the
    problem is the ``...`` line, and the hint names it."""
    text = case_text() + "...\n" + after
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, "...\n"), 1)
    assert "ends here (`...`)" in problem.message
    assert problem.hint is not None and "`...`" in problem.hint and "---" not in problem.hint


def test_a_document_end_with_only_comments_after_it_loads(write_case: Callable[..., Path],
                                                         case_text: Callable[..., str]) -> None:
    assert load_case(write_case(case_text() + "...\n# the end\n\n")).id


def test_a_second_document_after_dots_and_dashes_points_at_the_dashes(
        load_problems: Load, case_text: Callable[..., str]) -> None:
    first = case_text()
    text = first + "...\n---\n" + first
    problem = only(load_problems(text))
    assert problem.line == first.count("\n") + 2
    assert "second YAML document" in problem.message


def test_a_yaml_tag_that_runs_code_is_refused(load_problems: Load, case_text: Callable[..., str]) -> None:
    text = case_text(extra="x: !!python/object:os.system ls\n")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (text.count("\n"), 4)
    assert problem.message == "the YAML tag !!python/object:os.system is not allowed in a case file"
    assert problem.hint is not None and problem.hint.startswith("remove it")


def test_a_yaml_tag_on_a_list_is_ignored_not_run(load_problems: Load, case_text: Callable[..., str]) -> None:
    # Neither parser ever constructs Python objects; the tag is dropped and the key is just unknown.
    text = case_text(extra="x: !!python/object/apply:os.system [ls]\n")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (text.count("\n"), 1)
    assert problem.message == "unknown key 'x' in the case"


def test_merge_keys_are_not_supported(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    actors = """\
        actors:
          - &bank {id: bank, name: A bank, kind: bank}
          - <<: *bank
            id: municipality
        """
    text = case_text(actors=actors)
    problems = load_problems(text)
    merge = next(p for p in problems if "merge keys" in p.message)
    assert (merge.line, merge.column) == (line_of(text, "<<: *bank"), 5)
    assert merge.hint == "write the keys out in full"


@pytest.mark.parametrize("word", ["0x_", "+_", "._"])
def test_a_number_like_word_is_text(case_text: Callable[..., str], word: str) -> None:
    # The fast parser reads these as text; the round-trip parser raised IndexError/ValueError on them.
    text = case_text(header=f"format: kafka-case/1\nid: test-case\ntitle: {word}\n")
    assert load_case_text(text).title == word
    assert CaseDocument.from_text(text).case.title == word


def test_a_number_like_word_does_not_hide_other_problems(
    load_problems: Load, case_text: Callable[..., str], line_of: LineOf
) -> None:
    text = case_text(header="format: kafka-case/1\nid: test-case\ntitle: 0x_\n").replace("actor: bank", "actor: bnak")
    problem = only(load_problems(text))
    assert (problem.line, problem.message) == (line_of(text, "actor: bnak"), "unknown actor 'bnak'")


def test_impossible_date(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    text = case_text().replace("date: 2024-01-10", "date: 2024-02-30")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, "2024-02-30"), 15)
    assert problem.message == "the text '2024-02-30' is not a date"
    assert problem.hint is not None and "YYYY-MM-DD" in problem.hint


def test_a_key_that_is_a_number(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    attributes = """\
        attributes:
          age: {type: integer, min: 0, max: 120}
          income: {type: number, min: 0, max: 10000}
          residence: {type: category, values: [dutch, eu, status_holder]}
          homeless: {type: boolean}
          3: {type: boolean}
        """
    text = case_text(attributes=attributes)
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, "3: {type"), 3)
    assert problem.message == "a key in `attributes` must be text, not the number 3"
    assert problem.hint is not None and "quote a key" in problem.hint


def test_a_key_that_is_a_list(load_problems: Load, case_text: Callable[..., str]) -> None:
    text = case_text(extra="? [a, b]\n: 1\n")
    problem = only(load_problems(text))
    assert problem.message == "a key must be text, not a list"
    assert problem.line is not None


def test_error_at_the_end_of_the_file_is_on_its_last_line(load_problems: Load) -> None:
    # The fast parser says "line 3" for the end of this two-line text.
    problem = only(load_problems(": \n|"))
    assert (problem.line, problem.column) == (2, 2)
    assert problem.message.startswith("YAML error: ")
    assert problem.hint


# ---------------------------------------------------------------- the shape of a case


def test_unknown_key_with_did_you_mean(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    text = case_text().replace("    refers_to: [register]", "    refer_to: [register]")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, "refer_to:"), 5)
    assert problem.message == "unknown key 'refer_to' in a touchpoint"
    assert problem.hint is not None
    assert problem.hint.startswith("did you mean 'refers_to'?")
    assert "allowed keys: id, name, actor" in problem.hint


def test_misspelt_top_level_key(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    text = case_text(header="format: kafka-case/1\nid: test-case\ntitle: A test case\nsumary: One line.\n")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, "sumary"), 1)
    assert problem.message == "unknown key 'sumary' in the case"
    assert problem.hint is not None and problem.hint.startswith("did you mean 'summary'?")


def test_missing_required_key(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    text = case_text().replace("    name: Passport\n", "")
    problem = only(load_problems(text))
    # Shown at the element that lacks it.
    assert (problem.line, problem.column) == (line_of(text, "id: passport"), 5)
    assert problem.message == "a document needs `name:`"
    assert problem.hint is not None and problem.hint.startswith("add `name: ...`")


def test_wrong_type(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    text = case_text().replace("days: 5", "days: five")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, "days: five"), 11)
    assert problem.message == "`days` must be a number, not the text 'five'"
    assert problem.hint is not None and "without units" in problem.hint


def test_text_expected_but_a_date_given(load_problems: Load, case_text: Callable[..., str]) -> None:
    text = case_text(header="format: kafka-case/1\nid: test-case\ntitle: 2024-01-01\n")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (3, 8)
    assert problem.message == "`title` must be text, not the date 2024-01-01"
    assert problem.hint == 'put it in quotes to make it text: "2024-01-01"'


def test_list_item_of_the_wrong_type(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    text = case_text().replace("has: [passport]", "has: [passport, {a: 1}]")
    problem = only(load_problems(text))
    assert problem.line == line_of(text, "has:")
    assert problem.column == text.splitlines()[problem.line - 1].index("{a") + 1
    assert problem.message == "item 2 of `has` must be text, not a mapping"


def test_a_goal_is_an_id_or_a_deadline(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    text = case_text().replace("goals: [bank_account]", "goals: [bank_account, {a: 1}]")
    problem = only(load_problems(text))
    assert problem.line == line_of(text, "goals:")
    assert problem.column == text.splitlines()[problem.line - 1].index("{a") + 1
    assert problem.message == "item 2 of `goals`: a goal is a document id or {doc: ID, within_days: N}"
    text = case_text().replace("goals: [bank_account]", "goals: [{doc: bank_account, within_day: 30}]")
    messages = sorted(p.message for p in load_problems(text))
    assert messages == ["this mapping needs `within_days:`", "unknown key 'within_day' in this mapping"]
    text = case_text().replace("goals: [bank_account]", "goals: [{doc: bank_account, within_days: -3}]")
    assert [p.message for p in load_problems(text)] == ["`within_days` must be 0 or more, not -3"]


def test_empty_value_is_shown_at_its_key(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    # An empty value has no position of its own; the next line is the wrong place to point at.
    text = case_text(journeys="journeys:\n")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, "journeys:"), 1)
    assert problem.message == "`journeys` must be a list, not nothing"
    assert problem.hint == "write `journeys: []` for none, or give the items"


def test_unknown_enum_value_lists_the_allowed_values(
    load_problems: Load, case_text: Callable[..., str], line_of: LineOf
) -> None:
    text = case_text().replace("channel: desk", "channel: counter")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, "channel: counter"), 14)
    assert problem.message == "the text 'counter' is not a valid channel"
    assert problem.hint is not None
    assert "allowed: 'desk', 'phone', 'letter', 'portal', 'email', 'home_visit', 'form' or 'other'" in problem.hint


def test_a_wrong_value_in_a_list_names_the_item_not_its_number(load_problems: Load, line_of: LineOf) -> None:
    text = ("format: kafka-case/1\nid: c\ntitle: C\n"
            "rules: [{id: r, name: R, when_any: [5]}]\n"
            "interventions: [{id: i, title: I, obstacles: [scepticism]}]\n")
    problems = load_problems(text)
    assert [(p.line, p.message) for p in problems] == [
        (4, "item 1 of `when_any` must be a mapping, not the number 5"),
        (5, "item 1 of `obstacles`: the text 'scepticism' is not one of the allowed values"),
    ]
    assert problems[0].hint == "write each item as a mapping: `- {name: value, ...}`"
    assert problems[1].hint is not None and problems[1].hint.startswith("did you mean 'scepsis'? allowed: ")


def test_misspelt_enum_value_gets_a_did_you_mean(
    load_problems: Load, case_text: Callable[..., str], line_of: LineOf
) -> None:
    text = case_text().replace("outcome: helped", "outcome: help")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, "outcome: help"), 18)
    assert problem.hint is not None and problem.hint.startswith("did you mean 'helped'?")


def test_id_that_is_not_a_slug(load_problems: Load, case_text: Callable[..., str]) -> None:
    text = case_text(header="format: kafka-case/1\nid: Test Case\ntitle: A test case\n")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (2, 5)
    assert problem.message == "the text 'Test Case' is not a valid id"
    assert problem.hint is not None and "e.g. 'test_case'" in problem.hint


@pytest.mark.parametrize(
    ("item", "guess"),
    [("{document: passport}", "did you mean `doc:`? "), ("42", ""), ("[passport]", "")],
)
def test_wrong_requires_item_form(
    load_problems: Load, case_text: Callable[..., str], line_of: LineOf, item: str, guess: str
) -> None:
    text = case_text().replace("      - registration\n", f"      - {item}\n")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, f"- {item}"), 9)
    assert problem.message == ("item 1 of `requires`: a requirement is a document id, {doc: ID} or {any_of: [ID, ...]}")
    assert problem.hint is not None
    assert problem.hint.startswith(guess + "write `- passport`")


def test_attribute_type_misspelt(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    text = case_text().replace("homeless: {type: boolean}", "homeless: {type: bool}")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, "{type: bool}"), 20)
    assert problem.message == "'bool' is not an attribute type"
    assert problem.hint == "did you mean 'boolean'? type is one of 'integer', 'number', 'category', 'boolean'"


def test_attribute_without_type(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    text = case_text().replace("homeless: {type: boolean}", "homeless: {}")
    # Only this: the rule's `homeless: false` must not be judged against an undeclared type.
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, "homeless: {}"), 13)
    assert problem.message == "attribute 'homeless' needs `type:`"
    assert problem.hint == "type is one of 'integer', 'number', 'category', 'boolean'"


def test_integer_bound_that_is_not_whole(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    text = case_text().replace("age: {type: integer, min: 0, max: 120}", "age: {type: integer, min: 0.5, max: 120}")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, "min: 0.5"), 29)
    assert problem.message == "`min` must be a whole number, not the number 0.5"
    assert problem.hint == "use a whole number, e.g. 0 or 1"


def test_not_a_number(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    text = case_text().replace("days: 5", "days: .nan")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, "days: .nan"), 11)
    assert problem.message == "`days` must be a number, not '.nan' (not a number)"


def test_category_values_that_are_numbers_are_said_once_each(
    load_problems: Load, case_text: Callable[..., str], line_of: LineOf
) -> None:
    text = case_text().replace(
        "  homeless: {type: boolean}\n",
        "  homeless: {type: boolean}\n  children: {type: category, values: [none, 1, 2]}\n",
    )
    problems = load_problems(text)
    line = line_of(text, "children: {type")
    assert [(p.line, p.message, p.hint) for p in problems] == [
        (line, "item 2 of `values` must be text, not the number 1", 'put it in quotes to make it text: "1"'),
        (line, "item 3 of `values` must be text, not the number 2", 'put it in quotes to make it text: "2"'),
    ]


def test_persona_attributes_that_are_not_a_mapping_are_said_once(
    load_problems: Load, case_text: Callable[..., str], line_of: LineOf
) -> None:
    text = case_text().replace("attributes: {age: 24, income: 0, residence: eu, homeless: false}", "attributes: age")
    problem = only(load_problems(text))
    assert problem.line == line_of(text, "attributes: age")
    assert problem.message == "`attributes` must be a mapping, not the text 'age'"
    assert problem.hint == "write `attributes: {name: value, ...}`"


# ---------------------------------------------------------------- the whole case


def test_dangling_reference(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    text = case_text().replace("actor: bank", "actor: bnak")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, "actor: bnak"), 12)
    assert problem.message == "unknown actor 'bnak'"
    assert problem.hint == "did you mean 'bank'?"


def test_dangling_reference_in_a_list(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    text = case_text().replace("produces: [registration]", "produces: [registraton]")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, "[registraton]"), 16)
    assert problem.message == "unknown document 'registraton'"
    assert problem.hint == "did you mean 'registration'?"


def test_reference_to_the_wrong_kind_of_element(
    load_problems: Load, case_text: Callable[..., str], line_of: LineOf
) -> None:
    text = case_text().replace("has: [passport]", "has: [bank]")
    problem = only(load_problems(text))
    assert problem.line == line_of(text, "has: [bank]")
    assert problem.message == "'bank' is an actor, not a document"
    assert problem.hint == "did you mean 'bank_account'?"


def test_duplicate_id(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    documents = """\
        documents:
          - id: passport
            name: Passport
          - id: registration
            name: Registration
          - id: bank_account
            name: Bank account
          - id: bank
            name: A bank statement
        """
    text = case_text(documents=documents)
    first, second = load_problems(text)  # both are told, each naming the other: either may be renamed
    assert (second.line, second.column) == (line_of(text, "id: bank\n", 2), 9)
    assert second.message == "duplicate id 'bank': already used by item 1 of `actors` (A bank)"
    assert first.line == line_of(text, "id: bank\n", 1)
    assert first.message == "duplicate id 'bank': also used by item 4 of `documents` (A bank statement)"
    assert second.hint is not None and "unique across the whole case" in second.hint


def test_missing_persona_attribute(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    text = case_text().replace(
        "{age: 24, income: 0, residence: eu, homeless: false}", "{income: 0, residence: eu, homeless: false}"
    )
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, "attributes: {income"), 5)
    assert problem.message == "persona 'amira' does not give attribute 'age', which a condition of the case looks at"
    assert problem.hint == "add `age: 0` (a whole number from 0 to 120)"


def test_attribute_no_rule_mentions_may_be_left_out(case_text: Callable[..., str]) -> None:
    text = case_text().replace("income: 0, ", "")
    load_case_text(text)


def test_value_outside_domain(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    text = case_text().replace("age: 24", "age: 150")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, "age: 150"), 23)
    assert problem.message == "age 150 lies outside its domain"
    assert problem.hint == "age is a whole number from 0 to 120"


def test_category_value_not_in_domain(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    text = case_text().replace("residence: eu,", "residence: martian,")
    problem = only(load_problems(text))
    assert problem.line == line_of(text, "martian")
    assert problem.column == text.splitlines()[problem.line - 1].index("martian") + 1
    assert problem.message == "'martian' is not a value of residence"
    assert problem.hint == "residence is one of: dutch, eu, status_holder"


def test_persona_attribute_of_the_wrong_type(
    load_problems: Load, case_text: Callable[..., str], line_of: LineOf
) -> None:
    text = case_text().replace("homeless: false}", "homeless: 3}")
    problem = only(load_problems(text))
    assert problem.line == line_of(text, "homeless: 3}")
    assert problem.message == "homeless must be true or false, not 3"
    assert problem.hint == "write `homeless: true` or `homeless: false`"


def test_persona_integer_attribute_that_is_not_whole(load_problems: Load, case_text: Callable[..., str]) -> None:
    text = case_text().replace("age: 24", "age: 24.5")
    problem = only(load_problems(text))
    assert problem.message == "age is a whole number, not 24.5"
    assert problem.hint == "age is a whole number from 0 to 120"


def test_condition_that_does_not_fit_its_attribute(
    load_problems: Load, case_text: Callable[..., str], line_of: LineOf
) -> None:
    text = case_text().replace("age: {min: 18}", "age: {in: [adult]}")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, "age: {in"), 17)
    assert problem.message == "age is a number: 'in' does not apply"
    assert problem.hint == "use min/max (inclusive) or above/below (exclusive)"


def test_condition_of_the_wrong_form(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    text = case_text().replace("age: {min: 18}", "age: [18, 120]")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, "age: [18"), 12)
    assert problem.message == "the condition on age must be true/false or a mapping, not a list"
    assert problem.hint is not None and "`age: {min: 18}`" in problem.hint


def test_condition_bound_that_is_not_a_number(load_problems: Load, case_text: Callable[..., str]) -> None:
    # Said once: not also "condition on age is empty".
    text = case_text().replace("age: {min: 18}", "age: {min: eighteen}")
    problem = only(load_problems(text))
    assert problem.message == "`min` must be a number, not the text 'eighteen'"


def test_condition_with_a_misspelt_key(load_problems: Load, case_text: Callable[..., str]) -> None:
    text = case_text().replace("age: {min: 18}", "age: {minimum: 18}")
    problem = only(load_problems(text))
    assert problem.message == "unknown key 'minimum' in a condition"
    assert problem.hint is not None and problem.hint.startswith("did you mean 'min'?")


def test_condition_that_can_never_hold(load_problems: Load, case_text: Callable[..., str]) -> None:
    text = case_text().replace("age: {min: 18}", "age: {min: 130}")
    problem = only(load_problems(text))
    assert problem.message == "condition on age lies outside its domain and can never hold"
    assert problem.hint == "age is a whole number from 0 to 120"


def test_integer_condition_bound_that_is_not_whole(load_problems: Load, case_text: Callable[..., str]) -> None:
    text = case_text().replace("age: {min: 18}", "age: {min: 17.5}")
    problem = only(load_problems(text))
    assert problem.message == "age is a whole number: min 17.5 is not"
    assert problem.hint == "use a whole number, e.g. min: 18"


def test_category_condition_value_not_in_domain(
    load_problems: Load, case_text: Callable[..., str], line_of: LineOf
) -> None:
    text = case_text().replace("residence: {in: [dutch, eu]}", "residence: {in: [dutch, mars]}")
    problem = only(load_problems(text))
    assert problem.line == line_of(text, "mars")
    assert problem.column == text.splitlines()[problem.line - 1].index("mars") + 1
    assert problem.message == "'mars' is not a value of residence"
    assert problem.hint == "residence is one of: dutch, eu, status_holder"


def test_condition_on_an_undeclared_attribute(
    load_problems: Load, case_text: Callable[..., str], line_of: LineOf
) -> None:
    text = case_text().replace("residence: {in: [dutch, eu]}", "residense: {in: [dutch, eu]}")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, "residense"), 7)
    assert problem.message == "unknown attribute 'residense'"
    assert problem.hint == "did you mean 'residence'?"


def test_dates_going_backwards(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    text = case_text().replace("date: 2024-01-10", "date: 2023-12-31")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, "date: 2023-12-31"), 15)
    assert problem.message == "date 2023-12-31 goes back in time: step 1 of this journey is on 2024-01-05"
    assert problem.hint == "list the steps in the order they happened"


def test_date_that_is_not_a_date(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    text = case_text().replace("date: 2024-01-10", "date: yesterday")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, "yesterday"), 15)
    assert problem.message == "the text 'yesterday' is not a date"
    assert problem.hint is not None and "YYYY-MM-DD" in problem.hint


def test_intervention_with_a_dangling_reference(
    load_problems: Load, case_text: Callable[..., str], line_of: LineOf
) -> None:
    text = case_text().replace(
        "{touchpoint: open_account, document: registration}",
        "{touchpoint: open_acount, document: registration}",
    )
    problem = only(load_problems(text))
    assert problem.line == line_of(text, "open_acount")
    assert problem.column == text.splitlines()[problem.line - 1].index("open_acount") + 1
    assert problem.message == "unknown touchpoint 'open_acount'"
    assert problem.hint == "did you mean 'open_account'?"


def test_unknown_change_kind(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    text = case_text().replace("- remove_requirement:", "- remove_requirment:")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, "remove_requirment"), 9)
    assert problem.message == "unknown change kind 'remove_requirment'"
    assert problem.hint is not None
    assert problem.hint.startswith("did you mean 'remove_requirement'? change kinds: remove_requirement,")


def test_change_with_two_kinds(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    interventions = """\
        interventions:
          - id: postal_address
            title: Accept a postal address
            changes:
              - remove_requirement: {touchpoint: open_account, document: registration}
                add_produces: {touchpoint: register, document: bank_account}
        """
    text = case_text(interventions=interventions)
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (line_of(text, "remove_requirement"), 9)
    assert problem.message == "a change is a mapping with exactly one key, the change kind"
    assert problem.hint is not None and "kinds: remove_requirement" in problem.hint


def test_change_with_a_misspelt_argument(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    text = case_text().replace("document: registration}", "doc: registration}")
    problems = load_problems(text)
    line = line_of(text, "doc: registration}")
    assert [(p.line, p.message) for p in problems] == [
        (line, "this change needs `document:`"),
        (line, "unknown key 'doc' in this change"),
    ]
    assert problems[1].hint is not None and problems[1].hint.startswith("did you mean 'document'?")


def test_add_requirement_needs_a_document_or_any_of(load_problems: Load, case_text: Callable[..., str]) -> None:
    text = case_text().replace(
        "remove_requirement: {touchpoint: open_account, document: registration}",
        "add_requirement: {touchpoint: open_account}",
    )
    problem = only(load_problems(text))
    assert problem.message == "add_requirement needs either `document:` or `any_of:`"
    assert problem.hint is not None and "any_of: [D1, D2]" in problem.hint


# ---------------------------------------------------------------- many problems at once


def test_every_problem_is_reported_at_once_sorted_by_line(
    load_problems: Load, case_text: Callable[..., str], line_of: LineOf
) -> None:
    text = (
        case_text()
        .replace("age: 24", "age: 300")  # personas: near the end
        .replace("actor: bank", "actor: bnak")  # touchpoints: the middle
        .replace("    kind: bank\n", "    kind: bnk\n")  # actors: near the top
        .replace("date: 2024-01-10", "date: 2023-01-10")  # journeys: after personas
    )
    problems = load_problems(text)
    assert [(p.line, p.message) for p in problems] == [
        (line_of(text, "kind: bnk"), "the text 'bnk' is not a valid kind"),
        (line_of(text, "actor: bnak"), "unknown actor 'bnak'"),
        (line_of(text, "age: 300"), "age 300 lies outside its domain"),
        (
            line_of(text, "date: 2023-01-10"),
            "date 2023-01-10 goes back in time: step 1 of this journey is on 2024-01-05",
        ),
    ]
    assert all(p.hint for p in problems)
    lines = [p.line or 0 for p in problems]
    assert lines == sorted(lines)


def test_the_error_says_file_line_column_message_and_hint(
    write_case: Callable[..., Path], case_text: Callable[..., str], line_of: LineOf
) -> None:
    text = case_text().replace("actor: bank", "actor: bnak")
    path = write_case(text)
    with pytest.raises(CaseError) as caught:
        load_case(path)
    line = line_of(text, "actor: bnak")
    assert str(caught.value) == f"{path}:{line}:12: unknown actor 'bnak'\n    hint: did you mean 'bank'?"


# ---------------------------------------------------------------- format


def test_wrong_format(load_problems: Load, case_text: Callable[..., str]) -> None:
    text = case_text(header="format: kafka-case/2\nid: test-case\ntitle: A test case\n")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (1, 9)
    assert problem.message == "unsupported format 'kafka-case/2'"
    assert problem.hint == "this version reads `format: kafka-case/1`"


def test_missing_format(load_problems: Load, case_text: Callable[..., str]) -> None:
    text = "# A case without its format line\n" + case_text(header="id: test-case\ntitle: A test case\n")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (2, 1)
    assert problem.message == "missing `format:`: this does not say it is a kafka-tool case"
    assert problem.hint == "add `format: kafka-case/1` as the first line"


def test_empty_format(load_problems: Load, case_text: Callable[..., str]) -> None:
    text = case_text(header="format:\nid: test-case\ntitle: A test case\n")
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (1, 1)
    assert problem.message == "`format:` is empty"


def test_empty_file(load_problems: Load) -> None:
    problem = only(load_problems(""))
    assert (problem.line, problem.column) == (1, 1)
    assert problem.message == "the file is empty (or holds only comments)"
    assert problem.hint is not None and "format: kafka-case/1" in problem.hint


def test_file_of_only_comments(load_problems: Load) -> None:
    problem = only(load_problems("# nothing here yet\n# still nothing\n"))
    assert problem.message == "the file is empty (or holds only comments)"


def test_top_level_list(load_problems: Load) -> None:
    problem = only(load_problems("- format: kafka-case/1\n- id: x\n"))
    assert (problem.line, problem.column) == (1, 1)
    assert problem.message == "a case file is a mapping of keys (format, id, ...), not a list"
    assert problem.hint == "start the file with `format: kafka-case/1`"


def test_top_level_scalar(load_problems: Load) -> None:
    problem = only(load_problems("just some words\n"))
    assert (problem.line, problem.column) == (1, 1)
    assert problem.message == "a case file is a mapping of keys (format, id, ...), not a single value"


# ---------------------------------------------------------------- hostile input


def _billion_laughs(levels: int = 9) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in itertools.pairwise("abcdefghij"[:levels]):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_fails_fast(load_problems: Load) -> None:
    # 9 levels: 9**9 (387 million) strings once expanded. Refused before expansion.
    text = _billion_laughs(9)
    problem = only(load_problems(text))
    assert (problem.line, problem.column) == (2, 8)  # the first alias
    assert problem.message == "aliases expand to too much data (an alias bomb?)"
    assert problem.hint is not None and "anchors/aliases" in problem.hint


def test_a_few_aliases_are_fine(case_text: Callable[..., str]) -> None:
    text = case_text().replace("requires: [passport]", "requires: &ids [passport]")
    text = text.replace("has: [passport]", "has: *ids")
    case = load_case_text(text)
    assert case.personas[0].has == ["passport"]


def test_deep_flow_nesting(load_problems: Load) -> None:
    problem = only(load_problems("[" * 10_000 + "]" * 10_000))
    assert (problem.line, problem.column) == (1, MAX_DEPTH + 1)
    assert problem.message == f"nesting deeper than {MAX_DEPTH} levels"
    assert problem.hint is not None and "few levels of nesting" in problem.hint


def test_deep_flow_nesting_never_closed(load_problems: Load) -> None:
    problem = only(load_problems("x: " + "[" * 10_000))
    assert problem.message == f"nesting deeper than {MAX_DEPTH} levels"


def test_deep_block_nesting(load_problems: Load) -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "leaf\n"
    problem = only(load_problems(text))
    # The mapping that goes one level too deep starts at key k{MAX_DEPTH}.
    assert (problem.line, problem.column) == (MAX_DEPTH + 1, 2 * MAX_DEPTH + 1)
    assert problem.message == f"nesting deeper than {MAX_DEPTH} levels"


def test_oversized_file_with_max_bytes(load_problems: Load, case_text: Callable[..., str]) -> None:
    text = case_text()
    size = len(text.encode("utf-8"))
    problem = only(load_problems(text, max_bytes=1000))
    assert (problem.line, problem.column) == (1, 1)
    assert problem.message == f"file is {size:,} bytes, over the limit of 1,000 bytes"
    assert problem.hint is not None and "KAFKA_TOOL_MAX_BYTES" in problem.hint


def test_oversized_file_with_the_environment_variable(
    load_problems: Load, case_text: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAFKA_TOOL_MAX_BYTES", "500")
    problem = only(load_problems(case_text()))
    assert "over the limit of 500 bytes" in problem.message


def test_the_limit_can_be_raised(
    write_case: Callable[..., Path], case_text: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAFKA_TOOL_MAX_BYTES", "500")
    path = write_case(case_text())
    assert load_case(path, max_bytes=100_000).id == "test-case"


def test_binary_file(load_problems: Load) -> None:
    raw = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"  # the first NUL is the first byte of line 3
    problem = only(load_problems(raw, name="picture.yaml"))
    assert (problem.line, problem.column) == (3, 1)
    assert problem.message == "this is a binary file, not a YAML case file (NUL byte)"
    assert problem.hint is not None and "UTF-8 text" in problem.hint


def test_nul_byte_in_text(load_problems: Load, case_text: Callable[..., str]) -> None:
    raw = case_text().encode("utf-8").replace(b"title: A test", b"title: A\x00test")
    problem = only(load_problems(raw))
    assert (problem.line, problem.column) == (3, 9)
    assert "NUL byte" in problem.message


def test_not_utf8(load_problems: Load, case_text: Callable[..., str]) -> None:
    raw = case_text().encode("utf-8").replace(b"title: A test case", b"title: Caf\xe9")
    problem = only(load_problems(raw))
    assert (problem.line, problem.column) == (3, 11)
    assert problem.message == "not valid UTF-8 text (byte 0xe9)"
    assert problem.hint == "save the file as UTF-8"


def test_control_character(load_problems: Load, case_text: Callable[..., str]) -> None:
    raw = case_text().encode("utf-8").replace(b"title: A test", b"title: A\x07test")
    problem = only(load_problems(raw))
    assert (problem.line, problem.column) == (3, 9)
    assert problem.message == "control character U+0007 is not allowed in a case file"
    assert problem.hint is not None and "remove it" in problem.hint


@pytest.mark.parametrize("char", ["\u0085", "\u009b", "\x1b", "\x7f"])
def test_c1_controls_and_delete_are_found_too(char: str, load_problems: Load, case_text: Callable[..., str]) -> None:
    # Beside "£" (the same lead byte in UTF-8 as the C1 controls) and "é": the one control is said.
    raw = case_text().replace("title: A test", f"title: £ é A{char}test").encode("utf-8")
    problem = only(load_problems(raw))
    assert (problem.line, problem.column) == (3, 13)
    assert problem.message == f"control character U+{ord(char):04X} is not allowed in a case file"


@given(st.text(alphabet=st.characters(max_codepoint=0x2100, exclude_categories=("Cs",)), max_size=40))
def test_the_quick_look_for_controls_never_misses_one(text: str) -> None:
    from kafka_tool.loader import _may_hold_controls

    if re.search(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text):
        assert _may_hold_controls(text.encode("utf-8"))
    if text.isascii() and not re.search(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]", text):
        assert not _may_hold_controls(text.encode("utf-8"))


def test_byte_order_mark_and_crlf_are_fine(write_case: Callable[..., Path], case_text: Callable[..., str]) -> None:
    raw = b"\xef\xbb\xbf" + case_text().replace("\n", "\r\n").encode("utf-8")
    assert load_case(write_case(raw)).id == "test-case"


def test_crlf_lines_are_counted_right(load_problems: Load, case_text: Callable[..., str], line_of: LineOf) -> None:
    text = case_text().replace("actor: bank", "actor: bnak")
    problem = only(load_problems(text.replace("\n", "\r\n")))
    assert (problem.line, problem.column) == (line_of(text, "actor: bnak"), 12)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(CaseError) as caught:
        load_case(path)
    problem = only(caught.value.problems)
    assert (problem.file, problem.line, problem.column) == (str(path), None, None)
    assert problem.message == "no such file"
    assert problem.hint == "check the path"
    assert str(caught.value) == f"{path}: no such file\n    hint: check the path"


def test_folder(tmp_path: Path) -> None:
    with pytest.raises(CaseError) as caught:
        load_case(tmp_path)
    problem = only(caught.value.problems)
    assert problem.line is None
    assert problem.message == "is a folder, not a case file"
    assert problem.hint == "give a .yaml file"


def test_load_case_text_names_the_file_it_is_given() -> None:
    with pytest.raises(CaseError) as caught:
        load_case_text("format: kafka-case/1\nid: x\n", "inline.yaml")
    problem = only(caught.value.problems)
    assert problem.file == "inline.yaml"
    assert (problem.line, problem.column) == (1, 1)
    assert problem.message == "the case needs `title:`"
