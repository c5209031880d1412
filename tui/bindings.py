"""Key bindings in the interface's language, and a footer that shows the most important ones that fit.

Textual reads a binding's description from the class's ``BINDINGS``, fixed when the class is
made. A screen calls :func:`speak_bindings` when it mounts (and when its width or language
changes): the bindings are made again from the class's, their descriptions said in the
:class:`~kafka_tool.i18n.Words` given (the English is the catalogue's message id); of those
the class shows, as many as fit the footer are shown, in the order the class lists them (most
important first), and those whose id is in ``always`` whatever the width. The others stay
bound, and the keys list (``?``) names them.
"""

from __future__ import annotations

from dataclasses import replace

from rich.cells import cell_len
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from kafka_tool.i18n import Words

__all__ = ["footer_width", "speak_bindings"]

#: What the command palette's key takes at the right of the footer ("^p palette" and its padding).
PALETTE_WIDTH = 13


def _footer_width(node: DOMNode, binding: Binding) -> int:
    """Columns a key takes in the footer: the key, its description and a space either side."""
    key = binding.key_display or node.app.get_key_display(binding)
    return cell_len(key) + cell_len(binding.description) + 3


def footer_width(node: DOMNode) -> int:
    """Columns the keys ``node`` shows in the footer take (a focused widget's own keys come first)."""
    return sum(_footer_width(node, b) for _, b in node._bindings if b.show)


def speak_bindings(node: DOMNode, words: Words, width: int | None = None,
                   always: frozenset[str] = frozenset()) -> None:
    """Bind ``node``'s keys again with their descriptions in ``words``; with a ``width``, show in
    the footer only the most important that fit it (see the module's docstring)."""
    original = type(node)._merge_bindings()
    said: dict[str, list[Binding]] = {
        key: [replace(b, description=words.say(b.description) if b.description else "") for b in bindings]
        for key, bindings in original.key_to_bindings.items()
    }
    if width is not None:
        shown = [b for bindings in said.values() for b in bindings if b.show]
        room = width - PALETTE_WIDTH - sum(_footer_width(node, b) for b in shown if b.id in always)
        keep: set[int] = set()
        for binding in shown:
            if binding.id in always:
                keep.add(id(binding))
                continue
            cost = _footer_width(node, binding)
            if cost <= room:
                room -= cost
                keep.add(id(binding))
            else:
                room = -1  # the order is the importance: nothing after a key that did not fit
        said = {key: [b if not b.show or id(b) in keep else replace(b, show=False) for b in bindings]
                for key, bindings in said.items()}
    node._bindings = BindingsMap.from_keys(said)
    node.refresh_bindings()
