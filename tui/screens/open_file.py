"""Ask for a file path, with completion of folders and ``.yaml`` files as you type."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, Static

from kafka_tool.i18n import N_

from ..language import interface_words

__all__ = ["PathModal", "PathSuggester"]


class PathSuggester(Suggester):
    """Completes the last part of a path from what is on disk (folders and case files)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        """The first folder or ``.yaml`` file that completes ``value``."""
        if not value:
            return None
        expanded = os.path.expanduser(value)
        folder, _, stem = expanded.rpartition(os.sep)
        base = Path(folder or (os.sep if expanded.startswith(os.sep) else "."))
        try:
            names = sorted(os.listdir(base))
        except OSError:
            return None
        for name in names:
            if name.startswith(stem) and name != stem and not name.startswith("."):
                candidate = base / name
                if candidate.is_dir() or name.endswith((".yaml", ".yml")):
                    suffix = name[len(stem) :] + (os.sep if candidate.is_dir() else "")
                    return value + suffix
        return None


class PathModal(ModalScreen[Path | None]):
    """Ask for a path: to open (it must exist) or to save to (its folder is created)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="path.cancel"),
        Binding("tab", "complete", N_("Complete"), id="path.complete", priority=True, show=True),
    ]

    HELP = N_("""\
## Choose a file

Type a path; the rest of a matching folder or `.yaml` file is suggested in
grey: `tab` or `→` takes it. `~` is your home folder. `enter` confirms.
""")

    def __init__(self, title: str, value: str = "", *, must_exist: bool = True, action: str | None = None) -> None:
        """``action``: what the button says (by default "Open")."""
        super().__init__()
        self.title_text = title
        self.value = value
        self.must_exist = must_exist
        self.action = action

    def compose(self) -> Any:
        say = interface_words(self).say
        with Vertical(id="path-dialog", classes="dialog"):
            yield Static(self.title_text, id="path-title")
            yield Input(self.value, placeholder=say("path/to/case.yaml"), suggester=PathSuggester(), id="path-input")
            yield Label("", id="path-error", classes="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.action or say("Open"), id="path-ok", variant="primary", compact=True)
                yield Button(say("Cancel"), id="path-cancel", compact=True)

    def action_complete(self) -> None:
        """Take the suggested completion; with nothing to complete, go on to the buttons."""
        field = self.query_one(Input)
        if field.has_focus and field._suggestion and field._suggestion != field.value:
            field.value = field._suggestion
            field.cursor_position = len(field.value)
        else:
            self.focus_next()

    def action_cancel(self) -> None:
        """Close without a path."""
        self.dismiss(None)

    def check(self) -> Path | None:
        """The chosen path when it can be used, else None (with the reason shown)."""
        say = interface_words(self).say
        raw = self.query_one(Input).value.strip()
        error = self.query_one("#path-error", Label)
        if not raw:
            error.update(say("Type a path."))
            return None
        path = Path(os.path.expanduser(raw))
        if self.must_exist and not path.is_file():
            error.update(Text(say("{path} is a folder: choose a .yaml file", path=str(path)) if path.is_dir()
                              else say("No file at {path}", path=str(path))))
            return None
        if not self.must_exist and path.is_dir():
            error.update(Text(say("{path} is a folder: give a file name", path=str(path))))
            return None
        error.update("")
        return path

    @on(Input.Submitted)
    @on(Button.Pressed, "#path-ok")
    def _ok(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        path = self.check()
        if path is not None:
            self.dismiss(path)

    @on(Button.Pressed, "#path-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
