"""The dialog in which a class marks a finding it expects: a kind, and the elements it is about."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, SelectionList, Static

from kafka_tool.analysis.kinds import kind_names
from kafka_tool.i18n import N_
from kafka_tool.model import Case
from kafka_tool.teaching import Expectation, element_choices, kind_label

from ..bindings import speak_bindings

__all__ = ["ExpectationModal"]


class ExpectationModal(ModalScreen[Expectation | None]):
    """Pick a kind of finding and the elements of the case it is about; dismissed with the expectation."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="expect.cancel"),
        Binding("ctrl+s", "add", N_("Add"), id="expect.add", priority=True),
    ]

    DEFAULT_CSS = """
    ExpectationModal #expect-dialog { height: 90%; max-height: 30; }
    ExpectationModal #expect-title { text-style: bold; margin-bottom: 1; }
    ExpectationModal #expect-kind { width: 1fr; margin-bottom: 1; }
    ExpectationModal #expect-elements { height: 1fr; }
    ExpectationModal .expect-label { color: $text-muted; }
    ExpectationModal #expect-error { color: $text-error; height: auto; }
    ExpectationModal.-narrow #expect-dialog { width: 96%; padding: 0 1; }
    """

    def __init__(self, case: Case) -> None:
        super().__init__()
        self.case = case

    def compose(self) -> Any:
        say = self.app.words_for(self.case.language)  # type: ignore[attr-defined]
        kinds = sorted(((kind_label(k, say), k) for k in kind_names()), key=lambda option: option[0].lower())
        with Vertical(id="expect-dialog", classes="dialog"):
            yield Static(say.say("Which finding does the class expect?"), id="expect-title", markup=False)
            yield Label(say.say("Kind of finding"), classes="expect-label")
            yield Select(kinds, prompt=say.say("Pick a kind"), id="expect-kind", compact=True)
            yield Label(say.say("What it is about (space ticks one or more)"), classes="expect-label")
            yield SelectionList[str](id="expect-elements", compact=True)
            yield Label("", id="expect-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(say.say("Add (ctrl+s)"), id="expect-ok", variant="primary", compact=True)
                yield Button(say.say("Cancel"), id="expect-cancel", compact=True)

    def on_mount(self) -> None:
        speak_bindings(self, self.app.words_for(self.case.language))  # type: ignore[attr-defined]
        self.query_one("#expect-kind", Select).focus()

    @on(Select.Changed, "#expect-kind")
    def _kind_chosen(self, event: Select.Changed) -> None:
        """Offer the elements that fit the kind, keeping those already ticked."""
        event.stop()
        elements = self.query_one("#expect-elements", SelectionList)
        ticked = set(elements.selected)
        elements.clear_options()
        if isinstance(event.value, str):
            say = self.app.words_for(self.case.language)  # type: ignore[attr-defined]
            elements.add_options([(label, element, element in ticked)
                                  for label, element in element_choices(self.case, event.value, say)])
            elements.highlighted = 0
            elements.focus()

    def action_add(self) -> None:
        """Close with the expectation, once it has a kind and at least one element."""
        say = self.app.words_for(self.case.language)  # type: ignore[attr-defined]
        kind = self.query_one("#expect-kind", Select).value
        elements = self.query_one("#expect-elements", SelectionList).selected
        error = self.query_one("#expect-error", Label)
        if not isinstance(kind, str):
            error.update(say.say("Pick the kind of finding the class expects."))
            return
        if not elements:
            error.update(say.say("Tick at least one element the finding is about."))
            return
        self.dismiss(Expectation(kind, tuple(elements)))

    def action_cancel(self) -> None:
        """Close without an expectation."""
        self.dismiss(None)

    @on(Button.Pressed, "#expect-ok")
    def _ok(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_add()

    @on(Button.Pressed, "#expect-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
