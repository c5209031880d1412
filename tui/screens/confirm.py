"""A yes/no question in a modal, answered with `y` or `n` (or the mouse)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import on
from textual.app import App
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from kafka_tool.i18n import N_

from ..language import interface_words

if TYPE_CHECKING:
    from ..app import KafkaApp

__all__ = ["ConfirmModal", "MessageModal", "write_unless_declined"]


class ConfirmModal(ModalScreen[bool | None]):
    """Ask a question; dismiss with True (yes), False (no) or None (escape: neither, decide later)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", N_("Yes"), id="confirm.yes"),
        Binding("n", "answer(False)", N_("No"), id="confirm.no"),
        Binding("escape", "cancel", N_("Cancel"), id="confirm.cancel"),
    ]

    def __init__(self, question: str, detail: str = "", yes: str | None = None, no: str | None = None) -> None:
        """``yes``, ``no``: what the buttons say (by default "Yes" and "No")."""
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes
        self.no = no

    def compose(self) -> Any:
        say = interface_words(self).say
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Static(self.question, id="confirm-question", markup=False)
            if self.detail:
                yield Static(self.detail, id="confirm-detail", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes or say('Yes')} (y)", id="yes", variant="error", compact=True)
                yield Button(f"{self.no or say('No')} (n)", id="no", compact=True)

    def action_answer(self, answer: bool) -> None:
        """Close with the answer."""
        self.dismiss(answer)

    def action_cancel(self) -> None:
        """Close without an answer: whoever asked does nothing either way."""
        self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")


class MessageModal(ModalScreen[None]):
    """A message (an error with its locations) to read and close."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter,q", "close", N_("Close"), id="message.close")]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> Any:
        with Vertical(id="message-dialog", classes="dialog"):
            yield Static(self.title_text, id="message-title", markup=False)
            yield Static(self.body, id="message-body", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(interface_words(self).say("Close"), id="close", compact=True)

    def action_close(self) -> None:
        """Close the message."""
        self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)


def write_unless_declined(app: App[Any], path: Path, write: Callable[[Path], None]) -> None:
    """``write(path)`` at once when there is no such file, else when the user agrees to overwrite it."""
    if not path.exists():
        write(path)
        return

    def answer(yes: bool | None) -> None:
        if yes:
            write(path)

    app.push_screen(ConfirmModal(cast("KafkaApp", app).words_here.say("{path} exists. Overwrite it?", path=str(path))),
                    answer)
