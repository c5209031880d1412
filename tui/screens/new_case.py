"""A new case from the library: where to write it, in which language, with or without examples."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from kafka_tool.files import FileWriteError, TargetExists, make_folder, write_text
from kafka_tool.i18n import N_, Words
from kafka_tool.templates import STARTER_LANGUAGES, case_id_for, starter_text

from ..language import interface_words
from .open_file import PathSuggester

__all__ = ["NewCaseModal", "free_path"]

#: How each starter's language is called, in its own words.
_LANGUAGE_NAMES = {"en": "English", "nl": "Nederlands"}


def free_path(folder: Path, stem: str = "new-case") -> Path:
    """``folder/stem.yaml``, or with a number after the stem when that file exists.

    Examples
    --------
    >>> free_path(Path("/nonexistent"))
    PosixPath('/nonexistent/new-case.yaml')
    """
    path = folder / f"{stem}.yaml"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}.yaml"
        n += 1
    return path


class NewCaseModal(ModalScreen[Path | None]):
    """Write a starter case (English or Dutch, with or without its examples) and say where it went.

    Dismisses with the path written, or None when cancelled. Nothing is overwritten: a file
    that is there already is said so, and another name can be given.
    """

    HELP = N_("""\
## A new case

Type where the case goes (the rest of a folder name is suggested: `→`
takes it), pick the language of its texts, and whether it starts with a
small example in every section or empty (each section's comment says what
goes in it). `enter` or **Create** writes it and opens it.
""")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="new.cancel"),
        Binding("ctrl+s", "create", N_("Create"), id="new.create", priority=True),
    ]

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    @property
    def words(self) -> Words:
        """The words of the interface (the library's language)."""
        return interface_words(self)

    def compose(self) -> Any:
        say = self.words.say
        # The starter is in the interface's language unless the user picks the other.
        language = self.words.language if self.words.language in STARTER_LANGUAGES else "en"
        with Vertical(id="new-dialog", classes="dialog"):
            yield Static(say("A new case"), id="new-title")
            yield Label(say("File"), classes="form-label")
            yield Input(str(free_path(self.folder)), placeholder=say("path/to/case.yaml"), suggester=PathSuggester(),
                        compact=True, id="new-path")
            yield Label(say("Language of the case"), classes="form-label")
            yield Select([(_LANGUAGE_NAMES[lang], lang) for lang in STARTER_LANGUAGES], value=language,
                         allow_blank=False, compact=True, id="new-language")
            yield Checkbox(say("with a small example in every section"), value=True, compact=True,
                           id="new-examples")
            yield Label("", id="new-error", classes="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(say("Create"), id="new-create", variant="primary", compact=True)
                yield Button(say("Cancel"), id="new-cancel", compact=True)

    def on_mount(self) -> None:
        """Start in the file name, with its stem selected for typing over."""
        field = self.query_one("#new-path", Input)
        field.focus()
        field.cursor_position = len(field.value)

    def _error(self, text: str) -> None:
        self.query_one("#new-error", Label).update(Text(text))

    def action_create(self) -> None:
        """Write the starter; on success, close with its path."""
        say = self.words.say
        raw = self.query_one("#new-path", Input).value.strip()
        if not raw:
            self._error(say("Type a path."))
            return
        path = Path(os.path.expanduser(raw))
        if path.suffix not in (".yaml", ".yml"):
            path = path.with_name(path.name + ".yaml")
        if path.is_dir():
            self._error(say("{path} is a folder: give a file name", path=str(path)))
            return
        language = self.query_one("#new-language", Select).value
        examples = self.query_one("#new-examples", Checkbox).value
        text = starter_text(str(language), case_id_for(path.stem) or None, examples=examples)
        try:
            make_folder(path.parent)
            write_text(path, text, overwrite=False, protect_library=True)
        except TargetExists:
            self._error(say("{path} exists already: choose another name.", path=str(path)))
            return
        except (FileWriteError, OSError) as error:
            self._error(str(error))
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        """Close without writing anything."""
        self.dismiss(None)

    @on(Input.Submitted, "#new-path")
    @on(Button.Pressed, "#new-create")
    def _create(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        self.action_create()

    @on(Button.Pressed, "#new-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
