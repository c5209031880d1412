"""Ask for one value: a date (``YYYY-MM-DD``) or a line of text, checked before it is taken."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from kafka_tool.i18n import N_
from kafka_tool.model import iso_day

from ..bindings import speak_bindings
from ..language import interface_words

__all__ = ["ValueModal", "read_date"]


def read_date(text: str) -> dt.date | None:
    """The date ``text`` writes as ``YYYY-MM-DD`` (spaces around it allowed), or None when it is not one."""
    return iso_day(text.strip())


class ValueModal(ModalScreen[tuple[Any] | None]):
    """Ask for a date or a line of text; dismissed with ``(value,)`` (``(None,)``: emptied), or None (escape).

    An empty field takes the value out; a date must be a real day written ``YYYY-MM-DD``.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"), id="value.cancel")]

    DEFAULT_CSS = """
    ValueModal #value-title { text-style: bold; margin-bottom: 1; }
    ValueModal #value-hint { color: $text-muted; }
    """

    def __init__(self, title: str, value: str = "", *, date: bool = False, hint: str = "") -> None:
        """``date``: the value is a date; ``hint``: a line under the field (what empty means, the format)."""
        super().__init__()
        self.title_text = title
        self.value = value
        self.date = date
        self.hint = hint

    def compose(self) -> Any:
        say = interface_words(self).say
        with Vertical(id="value-dialog", classes="dialog"):
            yield Static(self.title_text, id="value-title", markup=False)
            yield Input(self.value, placeholder=say("YYYY-MM-DD") if self.date else "", id="value-input")
            if self.hint:
                yield Static(self.hint, id="value-hint", markup=False)
            yield Label("", id="value-error", classes="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(say("Set (enter)"), id="value-ok", variant="primary", compact=True)
                yield Button(say("Cancel (esc)"), id="value-cancel", compact=True)

    def on_mount(self) -> None:
        """The keys in the interface's language; the cursor at the end of what is there."""
        speak_bindings(self, interface_words(self))
        field = self.query_one(Input)
        field.focus()
        field.cursor_position = len(field.value)

    def action_cancel(self) -> None:
        """Close without a value."""
        self.dismiss(None)

    def check(self) -> tuple[Any] | None:
        """``(value,)`` when what is typed can be taken, else None (with the reason shown)."""
        raw = self.query_one(Input).value.strip()
        error = self.query_one("#value-error", Label)
        if not raw:
            return (None,)
        if not self.date:
            return (raw,)
        day = read_date(raw)
        if day is None:
            error.update(interface_words(self).say("{value} is not a date: write it as YYYY-MM-DD, like 2024-03-01",
                                                   value=raw))
            return None
        return (day,)

    @on(Input.Submitted)
    @on(Button.Pressed, "#value-ok")
    def _ok(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        value = self.check()
        if value is not None:
            self.dismiss(value)

    @on(Button.Pressed, "#value-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
