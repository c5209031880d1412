"""Snapshot tests of the forms: each part of a case in its own editors, at 120×36 and at 80×24."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input

from kafka_tool.library import find_case
from tests.test_tui_snapshots import app_on, settle, steady
from tui.state import ElementRef
from tui.widgets.case_tree import CaseTree

__all__ = ["steady"]  # the snapshot tests' fixture: steady cursors and an empty state folder

SIZES = [(120, 36), (80, 24)]
YOUTH = "turning-18-youth-care"
STATUS = "status-holder-bsn-bank-house"


def editing(ref: ElementRef, key: str = "e") -> Any:
    """Open the case's tree on ``ref`` and press ``key`` (edit, add, rename)."""

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        tree = pilot.app.screen.query_one(CaseTree)
        tree.focus()
        tree.select_ref(ref)
        await pilot.pause()
        await pilot.press(key)
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(("case", "ref"), [
    (YOUTH, ElementRef("rule", "youth_act_extended")),         # a when editor per attribute
    (YOUTH, ElementRef("touchpoint", "wmo_protected_living")),  # requirement items, outcomes, pickers
    (YOUTH, ElementRef("attribute", "age")),                    # an attribute's domain
    (YOUTH, ElementRef("case", "header")),
    (YOUTH, ElementRef("teaching", "teaching")),
    (STATUS, ElementRef("journey", "0")),                       # journey steps as a table
    (STATUS, ElementRef("intervention", "")),                   # typed change forms
    (STATUS, ElementRef("persona", "")),                        # values per attribute
], ids=["rule", "touchpoint", "attribute", "header", "teaching", "journey", "intervention", "persona"])
def test_form(snap_compare: Any, case: str, ref: ElementRef, size: tuple[int, int]) -> None:
    if not ref.key:  # the first element of its section
        from kafka_tool.loader import load_case

        loaded = load_case(find_case(case))
        ref = ElementRef(ref.kind, (loaded.interventions if ref.kind == "intervention" else loaded.personas)[0].id)
    assert snap_compare(app_on(case), terminal_size=size, run_before=editing(ref))


def test_picker_offers_the_ids_with_their_names_and_to_create_a_new_one(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await editing(ElementRef("touchpoint", "open_bank_account"))(pilot)
        field = pilot.app.screen.query_one("#field-actor", Input)
        field.focus()
        field.value = ""
        await pilot.press(*"ban")
        await settle(pilot)

    assert snap_compare(app_on(STATUS), terminal_size=(120, 36), run_before=run_before)


def test_accept_a_finding(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("f", "down", "up", "A")
        await settle(pilot)

    assert snap_compare(app_on(STATUS), terminal_size=(120, 36), run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_new_case_from_the_library(snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)

    assert snap_compare(app_on(None), terminal_size=size, run_before=run_before)
