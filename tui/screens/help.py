"""Help: the part of the interface that has focus (f1), or every key (?)."""

from __future__ import annotations

from importlib import resources
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from kafka_tool.i18n import N_, Words

__all__ = ["HelpScreen", "help_text", "keys_markdown"]


def help_text(language: str = "en") -> str:
    """The bundled help in ``language``: ``tui/help.md`` in English, ``tui/help.nl.md`` in Dutch."""
    name = "help.md" if language == "en" else f"help.{language}.md"
    return resources.files("tui").joinpath(name).read_text(encoding="utf-8")


def keys_markdown(bindings: list[tuple[str, str, str]], words: Words) -> str:
    """A table of (key, action description, where) rows, headed in ``words``' language."""
    say = words.say
    head = " | ".join((say("key"), say("does"), say("where")))
    lines = [say("## Keys here"), "", f"| {head} |", "|---|---|---|"]
    for key, description, where in bindings:
        lines.append(f"| `{key}` | {description} | {where} |")
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    """A scrollable markdown help page."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1,question_mark", "close", N_("Close help"), id="help.close")
    ]

    def __init__(self, markdown: str) -> None:
        super().__init__()
        self.markdown = markdown

    def compose(self) -> Any:
        with Vertical(id="help-dialog", classes="dialog"), VerticalScroll(id="help-scroll"):
            yield Markdown(self.markdown, id="help-body")

    def on_mount(self) -> None:
        """Let the arrow keys, page keys, home and end scroll the help."""
        self.query_one("#help-scroll").focus()

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
