"""A choice between a few things, each picked with its own key (or the mouse)."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from kafka_tool.i18n import N_

__all__ = ["ChoiceModal"]


class ChoiceModal(ModalScreen[str | None]):
    """Ask which of a few things to do; dismiss with the chosen value, or None (escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="choice.cancel"),
        Binding("up", "app.focus_previous", show=False),
        Binding("down", "app.focus_next", show=False),
    ]

    DEFAULT_CSS = """
    ChoiceModal .choice-stack { height: auto; margin-top: 1; align-horizontal: left; }
    ChoiceModal .choice-stack Button { width: 1fr; margin: 0 2; content-align: left middle; text-align: left; }
    """

    def __init__(self, question: str, choices: list[tuple[str, str, str]], detail: str = "", *,
                 stacked: bool = False, current: str | None = None) -> None:
        """``choices``: (key, label, value) for each thing to choose; ``detail``: more about the question;
        ``stacked``: the choices below each other (long ones, that would not fit side by side at 80 columns);
        ``current``: the value chosen now, which has the focus when the dialog opens."""
        super().__init__()
        self.question = question
        self.choices = choices
        self.detail = detail
        self.stacked = stacked
        self.current = current

    def compose(self) -> Any:
        with Vertical(id="choice-dialog", classes="dialog"):
            yield Static(Text(self.question), id="choice-question")
            if self.detail:
                yield Static(Text(self.detail), id="choice-detail")
            with Vertical(classes="choice-stack") if self.stacked else Horizontal(classes="dialog-buttons"):
                for key, label, value in self.choices:
                    shown = "esc" if key == "escape" else key
                    yield Button(Text(f"{label} ({shown})"), id=f"choice-{value}", compact=True)

    def on_mount(self) -> None:
        """Focus the choice made now, so that enter keeps it and the arrows start from it."""
        if self.current is not None:
            for button in self.query(Button):
                if button.id == f"choice-{self.current}":
                    button.focus()

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
