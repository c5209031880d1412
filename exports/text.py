"""Text for diagrams: cleaning, wrapping and escaping what the case says.

Every piece of user text that goes into DOT passes through :func:`html_text`
and ends up inside an HTML-like label, where only ``&<>"`` have a meaning and
all four are escaped. Node names are slugs from the case (quoted by the
``graphviz`` package where DOT needs it), so no user text can ever close a
string, open a port or inject an attribute. The diagrams' own words are in the
message catalogue (:mod:`kafka_tool.i18n`).
"""

from __future__ import annotations

import textwrap
import unicodedata

__all__ = ["clean", "html_text", "html_lines", "wrap"]

#: Characters XML (and so Graphviz's HTML-like labels) cannot carry.
_XML_FORBIDDEN = {"\ufffe", "\uffff"}


def clean(text: str) -> str:
    """``text`` without characters that no label can show (control characters, lone surrogates).

    Newlines are kept (they break lines); tabs and other control characters
    become spaces.
    """
    out = []
    for char in text.replace("\r\n", "\n").replace("\r", "\n"):
        if char == "\n":
            out.append(char)
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cs") or char in _XML_FORBIDDEN:
            out.append(" ")
        else:
            out.append(char)
    return "".join(out)


def wrap(text: str, width: int = 24) -> list[str]:
    """``text`` as lines of about ``width`` characters: explicit newlines kept, long words split.

    Examples
    --------
    >>> wrap("Register an address at the town hall")
    ['Register an address at', 'the town hall']
    >>> wrap("a\\nb")
    ['a', 'b']
    """
    lines: list[str] = []
    for paragraph in clean(text).split("\n"):
        # A word a little longer than the width gets a line of its own rather than being cut.
        longest = max((len(w) for w in paragraph.split()), default=0)
        fit = max(width, longest) if longest <= width * 1.6 else width
        pieces = textwrap.wrap(paragraph, width=fit, break_long_words=True, break_on_hyphens=False)
        lines.extend(pieces or ([paragraph.strip()] if lines or paragraph.strip() else []))
    while lines and not lines[-1].strip():
        lines.pop()
    return lines or [""]


def html_text(text: str) -> str:
    r"""One line of user text, escaped for an HTML-like label.

    Examples
    --------
    >>> html_text('a <b> & "c"')
    'a &lt;b&gt; &amp; &quot;c&quot;'
    >>> html_text("C:\\N")
    'C:\\\\N'
    """
    # Graphviz expands \N, \G, \L ... even inside HTML-like labels (after entities are decoded);
    # a doubled backslash comes out as one.
    return (
        clean(text)
        .replace("\\", "\\\\")
        .replace("\n", " ")
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        # Graphviz's HTML lexer refuses a text item that starts with "]" (2.43); an entity is safe.
        .replace("]", "&#93;")
    )


def html_lines(text: str, width: int = 24) -> str:
    """User text wrapped and escaped, lines joined by ``<BR/>``."""
    return "<BR/>".join(html_text(line) or " " for line in wrap(text, width))
