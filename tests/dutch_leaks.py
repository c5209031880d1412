"""Finding English words of the catalogue in what the tool wrote for a Dutch case.

One function, :func:`english_leaks`: give it any text the tool wrote in Dutch (a report, a
diagram's source, a terminal screen's text), and the case's own text if it may show some, and
it returns the English fragments of the catalogue found in it; a test asserts the list is empty.

A *fragment* is a piece of a message's English between its placeholders ("Dead end at
{touchpoint}" gives "Dead end at"), kept when it is telling: two words or more, or one word
of eight letters or more. A fragment is left out when the Dutch of the catalogue uses it too
(a word both languages write, such as "documenten" or "burger"), when it is in
:data:`SHARED` (with the reason), and for messages whose Dutch is their English. Matching is
whole-word and ignores case; a word joined by ``_`` or ``-`` to another is a different word,
so the finding kinds (``dead_end``) and JSON keys, which are contract and not words, never
match.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

__all__ = ["SHARED", "english_leaks", "format_names"]

#: Fragments the two languages share, each with its reason: never a leak.
SHARED: dict[str, str] = {
    "kafka-tool": "the program's name",
    "--force": "an option, written as the user types it",
    "--format": "an option, written as the user types it",
    "--attribute": "an option, written as the user types it",
    "--means": "an option, written as the user types it",
    "--help": "an option, written as the user types it",
    "docs/case-format.md": "a file name",
}

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_WORD = re.compile(r"[^\W\d_]+")


def _fragments(message: str) -> list[str]:
    """The pieces of ``message`` between its placeholders, trimmed of spaces and punctuation."""
    text = message.replace("{{", "{").replace("}}", "}")
    pieces = _PLACEHOLDER.split(text) if "{" in message else [text]
    out = []
    for piece in pieces:
        piece = piece.strip(" \t\n.,;:!?()[]'\"`·—–-•✘✔→…")
        if piece:
            out.append(piece)
    return out


def _telling(fragment: str) -> bool:
    """Two words or more, or one word of eight letters or more."""
    found = _WORD.findall(fragment)
    return len(found) >= 2 or (len(found) == 1 and len(found[0]) >= 8)


def _pattern(fragment: str) -> re.Pattern[str]:
    """``fragment`` as a whole-word, case-blind pattern: runs of spaces match any white space."""
    body = r"\s+".join(re.escape(part) for part in fragment.split())
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE)


@cache
def _catalogue() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Every telling English fragment of a message whose Dutch differs, with its pattern."""
    from babel.messages.pofile import read_po

    source = resources.files("kafka_tool").joinpath("locale/nl/LC_MESSAGES/kafka_tool.po")
    with source.open("rb") as handle:
        po = read_po(handle, locale="nl")
    pairs: list[tuple[str, str]] = []
    for message in po:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        pairs.extend((english, dutch) for english, dutch in zip(ids, strings, strict=False) if english != dutch)
    dutch_text = "\n".join(dutch for _, dutch in pairs)
    found: dict[str, re.Pattern[str]] = {}
    seen: set[str] = set()
    for english, _ in pairs:
        for fragment in _fragments(english):
            if fragment.lower() in seen or fragment in SHARED or not _telling(fragment):
                continue
            seen.add(fragment.lower())
            pattern = _pattern(fragment)
            if not pattern.search(dutch_text):
                found[fragment] = pattern
    return tuple(found.items())


def english_leaks(text: str, own: str = "") -> list[str]:
    """The English fragments of the catalogue that ``text`` holds, each once, in catalogue order.

    ``own`` is the case's own text (its file, say): a fragment it holds too is the case's words
    ("Municipality" in an English case said with ``--lang nl``), not the tool's, and is left out.

    >>> english_leaks("Doodlopend punt bij de balie")
    []
    >>> english_leaks("Tot de balie: Dead end at de balie")
    ['DEAD END', 'Dead end at']
    """
    return [fragment for fragment, pattern in _catalogue() if pattern.search(text) and not pattern.search(own)]


@cache
def format_names() -> str:
    """Every key and every fixed value of the case format (``description``, ``employer``), one a line.

    They are the contract, written the same in a case of either language; a hint that lists them
    ("allowed keys: id, name, kind, description") shows them as they are. Give them as ``own``.
    """
    import typing

    from pydantic import BaseModel

    from kafka_tool import model

    found: set[str] = set()

    def literals(tp: object) -> None:
        if typing.get_origin(tp) is typing.Literal:
            found.update(str(arg) for arg in typing.get_args(tp))
        for arg in typing.get_args(tp):
            literals(arg)

    for value in vars(model).values():
        if isinstance(value, type) and issubclass(value, BaseModel):
            for name, info in value.model_fields.items():
                found.add(info.alias or name)
                literals(info.annotation)
    return "\n".join(sorted(found))
