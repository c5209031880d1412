"""The forms driven as an analyst drives them: every part of a case made and changed in the TUI."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from textual.widgets import Checkbox, Input, Select, TextArea

from kafka_tool.loader import load_case
from tests.test_tui_app import case_file, case_screen, dirs, drive, open_edit_form, select, settle, text_of
from tui.app import make_app
from tui.screens.case import CaseScreen
from tui.screens.choice import ChoiceModal
from tui.screens.confirm import ConfirmModal
from tui.screens.new_case import NewCaseModal
from tui.state import ElementRef
from tui.widgets.case_tree import CaseTree
from tui.widgets.editors import Dropdown
from tui.widgets.element_form import ElementForm

__all__ = ["case_file", "dirs"]  # the fixtures, shared with the other interface tests


def saved(path: Path) -> Any:
    """The case as the file on disk says it now."""
    return load_case(path)


async def open_add_form(pilot: Any, ref: ElementRef) -> ElementForm:
    """Select an element in the tree and press a: the form for a new element beside it."""
    await select(pilot, ref)
    await pilot.press("a")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, ElementForm)
    return form


async def save(pilot: Any) -> None:
    await pilot.press("ctrl+s")  # apply the form
    await settle(pilot)
    assert isinstance(pilot.app.screen, CaseScreen), type(pilot.app.screen)
    await pilot.press("ctrl+s")  # save the case
    await settle(pilot)


def test_an_attribute_is_added_its_domain_edited_renamed_everywhere_and_deleted_with_its_referrers(
        dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        form = await open_edit_form(pilot, ElementRef("attribute", "shelter_type"))
        values = form.query_one("#field-type .field-values", Input)
        values.value = values.value + ", student_housing"
        await save(pilot)
        assert "student_housing" in saved(case_file).attributes["shelter_type"].values

        form = await open_edit_form(pilot, ElementRef("attribute", "shelter_type"))
        form.query_one("#field-name", Input).value = "stay"
        await save(pilot)
        case = saved(case_file)
        assert "stay" in case.attributes and "shelter_type" not in case.attributes
        assert any("stay" in rule.when for rule in case.rules), "the rules' conditions follow the new name"
        assert all("shelter_type" not in p.attributes for p in case.personas)
        assert any("stay" in p.attributes for p in case.personas), "and so do the personas' values"

        await select(pilot, ElementRef("attribute", "stay"))
        await pilot.press("delete")
        await pilot.pause()
        question = pilot.app.screen
        assert isinstance(question, ConfirmModal)
        shown = "\n".join(text_of(s) for s in question.query("Static, Label"))
        assert "Used by" in shown and "brp_street_coa" in shown, "the referrers are named before it goes"
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        case = saved(case_file)
        assert "stay" not in case.attributes
        assert all("stay" not in rule.when for rule in case.rules)

    drive(app, script)


def test_a_new_attribute_is_declared_in_the_form(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        form = await open_add_form(pilot, ElementRef("attribute", "shelter_type"))
        form.query_one("#field-name", Input).value = "months_waiting"
        kind = form.query_one("#field-type .variant-kind", Select)
        kind.value = "integer"
        await settle(pilot)
        form.query_one("#field-type .field-min", Input).value = "0"
        form.query_one("#field-type .field-max", Input).value = "ten"
        await settle(pilot)
        errors = " ".join(text_of(e) for e in form.query(".form-error"))
        assert "whole number" in errors, "a wrong bound is said on its field"
        form.query_one("#field-type .field-max", Input).value = "24"
        await save(pilot)
        attribute = saved(case_file).attributes["months_waiting"]
        assert (attribute.type, attribute.min, attribute.max) == ("integer", 0, 24)

    drive(app, script)


def test_the_header_and_the_teaching_notes_are_edited_in_forms(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        form = await open_edit_form(pilot, ElementRef("case", "header"))
        form.query_one("#field-title", Input).value = "Status holders in Utrecht"
        form.query_one("#field-tags", Input).value = "bsn, housing, utrecht"
        await save(pilot)
        case = saved(case_file)
        assert case.title == "Status holders in Utrecht"
        assert case.tags == ["bsn", "housing", "utrecht"]

        form = await open_edit_form(pilot, ElementRef("teaching", "teaching"))
        form.query_one("#field-questions", TextArea).text = "Who registers first?\nWho could break the circle?"
        await settle(pilot)
        await save(pilot)
        assert not case_screen(app).session.modified, "saved"
        teaching = saved(case_file).teaching
        assert teaching is not None
        assert teaching.questions == ["Who registers first?", "Who could break the circle?"]

    drive(app, script)


def test_a_finding_is_accepted_with_a_reason_and_un_accepted(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        await pilot.press("f", "down", "up")
        await pilot.pause()
        screen = case_screen(app)
        finding = screen.selected_finding
        assert finding is not None
        await pilot.press("A")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, ElementForm)
        assert form.query_one("#field-finding", Input).value == finding.id
        form.query_one("#field-reason", Input).value = "The law requires it; raised with BZK."
        form.query_one("#field-by", Input).value = "case team, 2026-11-30"
        await save(pilot)
        accepted = saved(case_file).accepted
        assert [(a.finding, a.by) for a in accepted] == [(finding.id, "case team, 2026-11-30")]
        found = screen.analysis.finding(finding.id)  # type: ignore[union-attr]
        assert found is not None and found.accepted == "The law requires it; raised with BZK."

        await select(pilot, ElementRef("acceptance", "0"))
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        found = screen.analysis.finding(finding.id)  # type: ignore[union-attr]
        assert found is not None and found.accepted is None, "it counts again"
        assert screen.session.case.accepted == []

    drive(app, script)


def test_a_stale_acceptance_is_marked_in_the_tree(dirs: dict[str, Path], tmp_path: Path) -> None:
    from kafka_tool.library import find_case

    path = tmp_path / "case.yaml"
    text = find_case("status-holder-bsn-bank-house").read_text(encoding="utf-8")
    path.write_text(text + "accepted:\n  - {finding: dead_end/long_gone, reason: fixed in 2020, by: team}\n",
                    encoding="utf-8")
    app = make_app(path, **dirs)

    async def script(pilot: Any) -> None:
        tree = pilot.app.screen.query_one(CaseTree)
        await select(pilot, ElementRef("acceptance", "0"))
        label = str(tree.cursor_node.label) if tree.cursor_node else ""
        assert "stale" in label

    drive(app, script)


def test_a_goals_deadline_can_be_cleared(dirs: dict[str, Path], tmp_path: Path) -> None:
    """Clearing the deadline leaves a plain goal: `{doc: ID}` alone is no goal."""
    from kafka_tool.library import find_case

    path = tmp_path / "permit.yaml"
    path.write_text(find_case("restaurant-operating-permit").read_text(encoding="utf-8"), encoding="utf-8")
    before = load_case(path).persona("yusuf")
    assert before is not None and any(not isinstance(g, str) for g in before.goals)  # a goal with a deadline
    app = make_app(path, **dirs)

    async def script(pilot: Any) -> None:
        form = await open_edit_form(pilot, ElementRef("persona", "yusuf"))
        cells = [cell for cell in form.query("#field-goals .field-within_days").results(Input) if cell.value]
        assert cells, "the deadline is shown in its cell"
        for cell in cells:
            cell.value = ""
        await settle(pilot)
        await save(pilot)

    drive(app, script)
    after = saved(path).persona("yusuf")
    assert after is not None and after.goals == list(before.goal_ids)  # plain ids, the same goals


def test_a_value_that_cannot_be_read_is_said_once_as_what_it_is(dirs: dict[str, Path], tmp_path: Path) -> None:
    """30 February as a step's date: the row says it is no date; no second message that the step
    needs `date:`, which it has."""
    from textual.widgets import Label, Static

    from kafka_tool.library import find_case

    path = tmp_path / "permit.yaml"
    path.write_text(find_case("restaurant-operating-permit").read_text(encoding="utf-8"), encoding="utf-8")
    app = make_app(path, **dirs)
    shown: list[str] = []

    async def script(pilot: Any) -> None:
        form = await open_edit_form(pilot, ElementRef("journey", "0"))
        next(iter(form.query("#field-steps .field-date").results(Input))).value = "2017-02-30"
        await settle(pilot)
        assert not form.validate()
        await pilot.pause()
        shown.extend(str(w.render()) for w in form.query(".row-error").results() if isinstance(w, (Label, Static)))

    drive(app, script)
    assert [text for text in shown if text.strip()] == ["date: a date as YYYY-MM-DD, e.g. 2024-01-05"], shown


def test_a_requirement_item_is_a_group_of_alternatives_with_a_rule(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        form = await open_edit_form(pilot, ElementRef("touchpoint", "open_bank_account"))
        rows = list(form.query("#field-requires .field-docs").results(Input))
        empty = rows[-1]
        empty.value = "employment_offer, host_consent"  # several: any one of them
        await settle(pilot)
        await save(pilot)
        touchpoint = saved(case_file).touchpoint("open_bank_account")
        assert touchpoint is not None
        groups = [item for item in touchpoint.requires if getattr(item, "any_of", None)]
        assert [list(g.any_of) for g in groups] == [["employment_offer", "host_consent"]]

    drive(app, script)


def test_a_condition_is_edited_in_the_attributes_own_terms(dirs: dict[str, Path], tmp_path: Path) -> None:
    from kafka_tool.library import find_case

    path = tmp_path / "case.yaml"
    path.write_text(find_case("turning-18-youth-care").read_text(encoding="utf-8"), encoding="utf-8")
    app = make_app(path, **dirs)

    async def script(pilot: Any) -> None:
        form = await open_edit_form(pilot, ElementRef("rule", "youth_act_extended"))
        form.query_one("#field-when .attribute-age .bound-max", Input).value = "20"
        form.query_one("#field-when .attribute-psychiatric_problems .condition-bool", Select).value = "yes"
        await settle(pilot)
        await save(pilot)
        when = saved(path).rule("youth_act_extended").when  # type: ignore[union-attr]
        assert when["age"].max == 20
        assert when["psychiatric_problems"] is True

    drive(app, script)


def test_the_yaml_escape_hatch_is_checked_like_the_editor(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        form = await open_edit_form(pilot, ElementRef("touchpoint", "open_bank_account"))
        await form.query_one("#box-requires").run_action("toggle_yaml")
        await pilot.pause()
        box = form.query_one("#yaml-requires", TextArea)
        box.text = "[bsn, {any_of: [nowhere_paper]}]"
        await settle(pilot)
        assert "nowhere_paper" in text_of(form.query_one("#error-requires"))
        box.text = "[bsn, residence_permit, {any_of: [employment_offer, host_consent]}]"
        await settle(pilot)
        await form.query_one("#box-requires").run_action("toggle_yaml")  # back to the editor: it fits
        await pilot.pause()
        assert form.query("#field-requires")
        await save(pilot)
        touchpoint = saved(case_file).touchpoint("open_bank_account")
        assert touchpoint is not None and len(touchpoint.requires) == 3

    drive(app, script)


def test_journey_steps_are_a_table(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        before = saved(case_file).journeys[0]
        form = await open_edit_form(pilot, ElementRef("journey", "0"))
        touchpoints = list(form.query("#field-steps .field-touchpoint").results(Input))
        assert [t.value for t in touchpoints[: len(before.steps)]] == [s.touchpoint for s in before.steps]
        touchpoints[-1].value = "open_bank_account"  # the empty row at the end takes the next step
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ElementForm), "a step needs its date and outcome"
        assert "date is required" in text_of(form.query_one("#form-general"))
        n = len(before.steps)  # the row typed into; a new empty one has come after it
        list(form.query("#field-steps .field-date").results(Input))[n].value = "2022-10-01"
        list(form.query("#field-steps .field-outcome").results(Select))[n].value = "helped"
        await settle(pilot)
        await save(pilot)
        after = saved(case_file).journeys[0]
        assert [s.touchpoint for s in after.steps] == [*(s.touchpoint for s in before.steps), "open_bank_account"]

    drive(app, script)


def test_intervention_changes_are_typed_forms(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        ident = saved(case_file).interventions[0].id
        form = await open_edit_form(pilot, ElementRef("intervention", ident))
        kinds = list(form.query("#field-changes .variant-kind").results(Select))
        kinds[-1].value = "remove_requirement"
        await settle(pilot)
        last = list(form.query("#field-changes .variant-editor"))[-2]
        last.query_one(".field-touchpoint", Input).value = "open_bank_account"
        last.query_one(".field-document", Input).value = "residence_permit"
        await settle(pilot)
        await save(pilot)
        changes = saved(case_file).intervention(ident).changes  # type: ignore[union-attr]
        assert "remove_requirement" in [next(iter(c.model_dump(exclude_none=True))) for c in changes]

    drive(app, script)


def test_a_picker_completes_ids_with_names_and_creates_the_one_that_does_not_exist(
        dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        form = await open_edit_form(pilot, ElementRef("touchpoint", "open_bank_account"))
        field = form.query_one("#field-refers_to", Input)
        field.focus()
        field.value = ""
        await pilot.press(*"regist")
        await settle(pilot)
        shown = [str(o.prompt) for o in form.query_one(Dropdown).options]  # type: ignore[attr-defined]
        assert any("register_at_address" in s for s in shown), shown
        field.value = ""
        await pilot.press(*"debt_help")
        await settle(pilot)
        shown = [str(o.prompt) for o in form.query_one(Dropdown).options]  # type: ignore[attr-defined]
        assert any("create touchpoint 'debt_help'" in s for s in shown), shown
        await pilot.press("down", "enter") if not shown[0].startswith("+") else await pilot.press("enter")
        await settle(pilot)
        child = pilot.app.screen
        assert isinstance(child, ElementForm) and child is not form
        assert child.query_one("#field-id", Input).value == "debt_help"
        child.query_one("#field-name", Input).value = "Debt help"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is form
        await save(pilot)
        case = saved(case_file)
        assert case.touchpoint("debt_help") is not None, "made with the form that named it"
        assert "debt_help" in case.touchpoint("open_bank_account").refers_to  # type: ignore[union-attr]

    drive(app, script)


def test_a_field_says_what_is_wrong_as_soon_as_it_is_wrong(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        form = await open_add_form(pilot, ElementRef("touchpoint", "open_bank_account"))
        field = form.query_one("#field-id", Input)
        field.focus()
        await pilot.press(*"Bad Id")
        await settle(pilot)
        assert text_of(form.query_one("#error-id")).strip(), "the id is wrong before the name is filled in"

    drive(app, script)


def test_a_new_case_from_the_library_in_dutch(dirs: dict[str, Path]) -> None:
    app = make_app(None, **dirs)

    async def script(pilot: Any) -> None:
        await pilot.press("n")
        await settle(pilot)
        modal = pilot.app.screen
        assert isinstance(modal, NewCaseModal)
        target = dirs["cases_dir"] / "wachtlijst.yaml"
        modal.query_one("#new-path", Input).value = str(target)
        modal.query_one("#new-language", Select).value = "nl"
        modal.query_one("#new-examples", Checkbox).value = False
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CaseScreen)
        case = load_case(target)
        assert case.language == "nl" and case.id == "wachtlijst"
        assert not case.touchpoints, "empty, as asked"

        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        modal = pilot.app.screen
        assert isinstance(modal, NewCaseModal)
        modal.query_one("#new-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is modal, "a file that is there is never overwritten"
        assert "exists" in text_of(modal.query_one("#new-error"))

    drive(app, script)


def test_add_on_an_actor_asks_what_to_add(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        await select(pilot, ElementRef("actor", "bank"))
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ChoiceModal)
        await pilot.press("t")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, ElementForm)
        assert form.query_one("#field-actor", Input).value == "bank"

    drive(app, script)


def test_the_tree_opens_with_a_row_selected_and_shows_ids_on_request(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        tree = pilot.app.screen.query_one(CaseTree)
        assert tree.cursor_line >= 0
        await select(pilot, ElementRef("actor", "bank"))
        await pilot.press("number_sign")
        await pilot.pause()
        assert "bank" in str(tree.cursor_node.label if tree.cursor_node else "")
        assert tree.show_ids

    drive(app, script)




def test_an_outcome_and_an_item_asked_of_some_are_made_in_the_form(dirs: dict[str, Path], case_file: Path) -> None:
    from textual.widgets import Collapsible, SelectionList

    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        form = await open_edit_form(pilot, ElementRef("touchpoint", "open_bank_account"))
        produced = form.query_one("#field-produces")
        condition = produced.query(Collapsible).first()
        assert condition.collapsed, "a condition nobody set takes one line"
        condition.collapsed = False
        await settle(pilot)
        ticks = condition.query_one(".attribute-shelter_type SelectionList", SelectionList)
        ticks.select("coa_location")
        await settle(pilot)
        await save(pilot)
        touchpoint = saved(case_file).touchpoint("open_bank_account")
        assert touchpoint is not None
        outcome = touchpoint.produces[0]
        assert getattr(outcome, "doc", None) == "bank_account"
        assert outcome.when["shelter_type"].model_dump(exclude_none=True, by_alias=True) == {"in": ["coa_location"]}

    drive(app, script)


def test_next_field_goes_from_field_to_field_past_the_folded_conditions(dirs: dict[str, Path], case_file: Path) -> None:
    app = make_app(case_file, **dirs)

    async def script(pilot: Any) -> None:
        form = await open_edit_form(pilot, ElementRef("touchpoint", "open_bank_account"))
        next(iter(form.query("#field-requires .field-docs").results(Input))).focus()
        await pilot.press("alt+down")
        await pilot.pause()
        focused = pilot.app.focused
        produces = form.query_one("#field-produces")
        assert focused is not None and produces in focused.ancestors, focused
        assert focused in list(produces.query(".field-docs")), "the document of the first outcome, not a folded bound"
        await pilot.press("alt+down")
        await pilot.pause()
        assert pilot.app.focused is form.query_one("#field-refers_to")

    drive(app, script)


def test_the_field_typed_into_stays_on_a_small_screen(dirs: dict[str, Path], tmp_path: Path) -> None:
    """At 80×24, after a document is made from a requirement's picker, the next row is typed into
    where it can be seen: the form scrolls to it, even when the rows and messages above it grew."""
    path = tmp_path / "case.yaml"
    path.write_text(
        "format: kafka-case/1\nid: sh\ntitle: Status holders\nlanguage: en\nactors:\n"
        "  - {id: municipality, name: Municipality, kind: municipality}\n  - {id: bank, name: Bank, kind: bank}\n"
        "documents:\n  - {id: bsn, name: BSN, kind: registration}\n"
        "  - {id: bank_account, name: Bank account, kind: service}\ntouchpoints:\n"
        "  - {id: open_account, name: Open a bank account, actor: bank, requires: [bsn], produces: [bank_account]}\n",
        encoding="utf-8")
    app = make_app(path, **dirs)

    async def script(pilot: Any) -> None:
        form = await open_add_form(pilot, ElementRef("touchpoint", "open_account"))
        for key in [*"register", "tab", *"Register", "tab", "ctrl+u", *"mun", "tab", "tab", "tab", "tab",
                    *"rental_contract", "enter"]:
            await pilot.press(key)
            await pilot.pause()
        await settle(pilot)
        assert pilot.app.screen is not form, "the new document's form is on top"
        await pilot.press(*"Rental contract", "ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is form
        for key in ["tab", "tab", "tab", "tab", "tab", *"residence_permit"]:
            await pilot.press(key)
            await pilot.pause()
        await settle(pilot)
        focused = pilot.app.focused
        assert isinstance(focused, Input) and focused.value == "residence_permit"
        shown = form.query_one("#form-fields").region
        assert shown.contains_region(focused.region), (focused.region, shown)

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await script(pilot)

    asyncio.run(main())


def test_a_form_says_the_checks_problems_in_the_interfaces_language(dirs: dict[str, Path], case_file: Path) -> None:
    """The checks' problems shown in a form are said in the interface's language, not in English."""
    app = make_app(case_file, language="nl", **dirs)

    async def script(pilot: Any) -> None:
        form = await open_add_form(pilot, ElementRef("attribute", "shelter_type"))
        form.query_one("#field-name", Input).value = "months_waiting"
        form.query_one("#field-type .variant-kind", Select).value = "integer"
        await settle(pilot)
        form.query_one("#field-type .field-min", Input).value = "120"
        form.query_one("#field-type .field-max", Input).value = "0"
        await settle(pilot)
        form.validate()
        await settle(pilot)
        shown = " ".join(text_of(e) for e in form.query(".form-error"))
        assert "min 120 is groter dan max 0" in shown, shown
        assert "is above max" not in shown and "swap min and max" not in shown

    drive(app, script)
