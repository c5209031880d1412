"""A choice between a few things, each picked with its own key (or the mouse)."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

__all__ = ["ChoiceModal"]


class ChoiceModal(ModalScreen[str | None]):
    """Ask which of a few things to do; dismiss with the chosen value, or None (escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="choice.cancel")]

    def __init__(self, question: str, choices: list[tuple[str, str, str]]) -> None:
        """``choices``: (key, label, value) for each thing to choose."""
        super().__init__()
        self.question = question
        self.choices = choices

    def compose(self) -> Any:
        with Vertical(id="choice-dialog", classes="dialog"):
            yield Static(Text(self.question), id="choice-question")
            with Horizontal(classes="dialog-buttons"):
                for key, label, value in self.choices:
                    yield Button(Text(f"{label} ({key})"), id=f"choice-{value}", compact=True)

    def on_key(self, event: Any) -> None:
        """The key of a choice picks it."""
        for key, _, value in self.choices:
            if event.key == key:
                event.stop()
                self.dismiss(value)
                return

    def action_cancel(self) -> None:
        """Close without a choice."""
        self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(str(event.button.id or "").removeprefix("choice-"))
