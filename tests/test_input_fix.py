"""Keys that come from the terminal in one burst reach the text fields in the order they were typed.

Each test turns the bytes of a burst into keys with Textual's own terminal parser and posts them
all to the app at once, as the terminal driver does with what one read brings (tmux's
``send-keys``, a slow link), without waiting between keys as ``pilot.press`` does.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.widgets import Input, TextArea

from kafka_tool.library import find_case
from tui.app import make_app
from tui.input_fix import keep_keys_in_order, needed
from tui.state import ElementRef
from tui.widgets.case_tree import CaseTree
from tui.widgets.element_form import ElementForm

LEFT = "\x1b[D"


class Fields(App[None]):
    """Two one-line fields and a box of several lines, the first focused."""

    def __init__(self) -> None:
        super().__init__()
        keep_keys_in_order()

    def compose(self) -> Any:
        yield Input(id="first")
        yield Input(id="second")
        yield TextArea(id="notes")


async def burst(app: App[Any], *chunks: str) -> None:
    """Post the keys of ``chunks`` to ``app`` as the driver does: each chunk's keys at once,
    the next chunk once the app has had a moment for the first."""
    parser = XTermParser()
    for chunk in chunks:
        for key in parser.feed(chunk):
            app.post_message(key)
        await asyncio.sleep(0)


def typed(*chunks: str, into: str = "first") -> dict[str, str]:
    """What each field of a :class:`Fields` app holds after the burst ``chunks`` was typed into
    the field ``into``, and (under ``focus``) which field has the focus then."""
    app = Fields()

    async def main() -> dict[str, str]:
        async with app.run_test(size=(80, 24)) as pilot:
            app.query_one(f"#{into}").focus()
            await pilot.pause()
            await burst(app, *chunks)
            for _ in range(3):
                await pilot.pause()
            return {"first": app.query_one("#first", Input).value, "second": app.query_one("#second", Input).value,
                    "notes": app.query_one("#notes", TextArea).text, "focus": str(app.focused and app.focused.id)}

    return asyncio.run(main())


@pytest.mark.parametrize("chunks", [("abc\x7fd",), ("abc", "\x7fd"), ("abc\x7f", "d"), tuple("abc\x7fd")])
def test_a_backspace_in_a_burst_deletes_the_character_before_it(chunks: tuple[str, ...]) -> None:
    assert typed(*chunks)["first"] == "abd"


@pytest.mark.parametrize("chunks", [("ab\tcd",), ("ab\t", "cd"), ("ab", "\tcd"), tuple("ab\tcd")])
def test_text_after_a_tab_in_a_burst_goes_to_the_next_field(chunks: tuple[str, ...]) -> None:
    fields = typed(*chunks)
    assert (fields["first"], fields["second"], fields["focus"]) == ("ab", "cd", "second")


def test_an_arrow_in_a_burst_moves_the_cursor_before_the_next_character() -> None:
    assert typed(f"ab{LEFT}c")["first"] == "acb"


@pytest.mark.parametrize("chunks", [(f"ab\x7fc{LEFT}d",), ("ab\x7f", f"c{LEFT}", "d")])
def test_a_box_of_several_lines_takes_a_burst_in_order(chunks: tuple[str, ...]) -> None:
    assert typed(*chunks, into="notes")["notes"] == "adc"


def test_the_fix_stands_down_once_textual_is_newer() -> None:
    assert needed("8.2.8") and needed("0.47.1")
    assert not needed("8.2.9") and not needed("9.0.0")


def test_a_burst_typed_into_an_element_form(tmp_path: Path) -> None:
    case_file = tmp_path / "case.yaml"
    case_file.write_text(find_case("status-holder-bsn-bank-house").read_text(encoding="utf-8"), encoding="utf-8")
    app = make_app(case_file, config_dir=tmp_path / "state", cases_dir=tmp_path / "cases")

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(3):
                await pilot.pause()
                await app.workers.wait_for_complete()
            tree = app.screen.query_one(CaseTree)
            tree.focus()
            assert tree.select_ref(ElementRef("actor", "bank"))
            await pilot.press("e")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, ElementForm)
            assert app.focused is form.query_one("#field-id", Input)
            await burst(app, "\tDutch bamk\x7f\x7fnk", f"{LEFT * 10}Any ")
            for _ in range(3):
                await pilot.pause()
            assert form.query_one("#field-id", Input).value == "bank"
            assert form.query_one("#field-name", Input).value == "Any Dutch bank"

    asyncio.run(main())
