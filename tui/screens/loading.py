"""Opening a case file off the interface thread, with what it is doing and for how long."""

from __future__ import annotations

import time
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from kafka_tool.i18n import N_

from ..language import interface_words

__all__ = ["STAGES", "LoadingModal"]

#: What each stage of opening a case is called on the screen.
STAGES = {
    "reading": N_("reading the file"),
    "parsing": N_("reading the YAML"),
    "checking": N_("checking the case"),
    "analysing": N_("analysing"),
}


class LoadingModal(ModalScreen[bool]):
    """Shows the file being opened, the stage and the seconds so far; escape stops waiting.

    Dismissed with True when the user stops waiting (the opening is then ignored when it
    ends), or closed by the app with False when the case is ready.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "stop", N_("Stop waiting"), id="loading.stop"),
    ]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title
        self.stage = "reading"
        self.started = time.monotonic()
        self.stopped = False

    def compose(self) -> Any:
        with Vertical(id="loading-dialog", classes="dialog"):
            yield Static(Text(self.title_text, "bold"), id="loading-title")
            yield Static(self._status(), id="loading-status")
            yield Static(Text(interface_words(self).say("escape: stop waiting"), "dim"))

    def on_mount(self) -> None:
        self.set_interval(0.5, self._tick)

    def _status(self) -> Text:
        seconds = time.monotonic() - self.started
        stage = interface_words(self).say(STAGES.get(self.stage, self.stage))
        return Text(f"{stage}… {seconds:.0f} s")

    def _tick(self) -> None:
        status = self.query("#loading-status")
        if status:  # gone once the dialog has closed
            status.first(Static).update(self._status())

    def set_stage(self, stage: str) -> None:
        """Show the stage the opening has reached (called on the interface thread)."""
        self.stage = stage
        self._tick()

    def action_stop(self) -> None:
        """Stop waiting: the case is not opened when it is ready."""
        self.stopped = True
        self.dismiss(True)
