"""The language the interface speaks where a widget is, and its keys described in that language.

The app decides the language (:meth:`tui.app.KafkaApp.language_for`); a widget asks for its
words with :func:`interface_words`. Textual keeps the description of a key binding in the
class that binds it, in English; :func:`tui.bindings.speak_bindings` gives one screen (or the
app) its own copies, described in its language, for the footer, the keys list and the palette.
Mark each description with :func:`~kafka_tool.i18n.N_` so that the catalogue holds it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

from kafka_tool.i18n import N_, Words

if TYPE_CHECKING:
    from .app import KafkaApp

__all__ = ["TEXTUAL_KEYS", "interface_words"]

#: What the keys of Textual's own widgets do (the tree, tables, lists, text fields, scrolling), as
#: Textual describes them: marked here so that the catalogue holds them and the keys list and the
#: palette can say them.
TEXTUAL_KEYS = (
    N_("palette"),  # the app's ctrl+p
    N_("Bottom"),
    N_("Copy"),
    N_("Copy selected text"),
    N_("Cursor Down"),
    N_("Cursor Up"),
    N_("Cursor down"),
    N_("Cursor down select"),
    N_("Cursor left"),
    N_("Cursor left select"),
    N_("Cursor left word select"),
    N_("Cursor line end"),
    N_("Cursor line end select"),
    N_("Cursor line start"),
    N_("Cursor line start select"),
    N_("Cursor page down"),
    N_("Cursor page up"),
    N_("Cursor right"),
    N_("Cursor right select"),
    N_("Cursor right word select"),
    N_("Cursor to next ancestor"),
    N_("Cursor to next sibling"),
    N_("Cursor to parent"),
    N_("Cursor to previous sibling"),
    N_("Cursor up"),
    N_("Cursor up select"),
    N_("Cursor word left"),
    N_("Cursor word right"),
    N_("Cut"),
    N_("Cut selected text"),
    N_("Delete all to the left"),
    N_("Delete all to the right"),
    N_("Delete character left"),
    N_("Delete character right"),
    N_("Delete left to start of word"),
    N_("Delete line"),
    N_("Delete right to start of word"),
    N_("Delete to line end"),
    N_("Delete to line start"),
    N_("Down"),
    N_("End"),
    N_("Expand or collapse all"),
    N_("First"),
    N_("Focus Next"),
    N_("Focus Previous"),
    N_("Go to end"),
    N_("Go to start"),
    N_("Home"),
    N_("Last"),
    N_("Move cursor left"),
    N_("Move cursor left a word"),
    N_("Move cursor left a word and select"),
    N_("Move cursor left and select"),
    N_("Move cursor right a word"),
    N_("Move cursor right a word and select"),
    N_("Move cursor right and select"),
    N_("Move cursor right or accept the completion suggestion"),
    N_("Next tab"),
    N_("Page Down"),
    N_("Page Left"),
    N_("Page Right"),
    N_("Page Up"),
    N_("Page down"),
    N_("Page up"),
    N_("Paste"),
    N_("Paste text from the clipboard"),
    N_("Press button"),
    N_("Previous tab"),
    N_("Redo"),
    N_("Scroll Down"),
    N_("Scroll End"),
    N_("Scroll Home"),
    N_("Scroll Left"),
    N_("Scroll Right"),
    N_("Scroll Up"),
    N_("Select"),
    N_("Select all"),
    N_("Select line"),
    N_("Select line end"),
    N_("Select line start"),
    N_("Show menu"),
    N_("Submit"),
    N_("Toggle"),
    N_("Toggle option"),
    N_("Top"),
    N_("Undo"),
    N_("Up"),
)


def interface_words(node: DOMNode, case_language: str | None = None) -> Words:
    """The words of the interface where ``node`` is: the user's choice, else ``case_language``
    (by default the language of the case on screen), else the system's."""
    app = cast("KafkaApp", node.app)
    return app.words_here if case_language is None else app.words_for(case_language)

