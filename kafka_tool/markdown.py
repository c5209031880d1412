"""Markdown that cannot be hijacked: escaping for every piece of text that comes from a case.

A case's names, summaries, reasons and the findings' sentences (which quote
those names) end up in Markdown reports that people render on a forge or in
an editor with HTML enabled. :func:`text` makes such a string one line of
plain text: line breaks become spaces (no heading, list, table or code block
can be started from inside a value), ``&``, ``<`` and ``>`` become entities
(no HTML, no ``<script>``, no autolink), and every character with an inline
meaning is backslash-escaped (no link, image, emphasis, code, table cell,
strikethrough or math); a value that opens a line cannot start a list, a
heading or a quote either. :func:`code` makes an inline code span of an id,
:func:`link_target` percent-encodes a file path for ``[..](..)`` and
``![..](..)``.

The report built from these lives in :mod:`kafka_tool.report`; the command
line's ``analyze --format markdown`` and the ``md`` export both use it.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

__all__ = ["code", "image", "link_target", "text"]

# Characters with an inline meaning in CommonMark or GitHub's Markdown: \ escapes, ` code,
# * and _ emphasis, [ ] ! links and images, | table cells, ~ strikethrough, $ math,
# # headings (after a line break has been collapsed, only where a value opens a line,
# but escaping it everywhere costs nothing).
_INLINE = re.compile(r"([\\`*_\[\]!|~$#])")
# What opens a block when it starts a line: a list item (-, +, 1. or 1)).
_BLOCK_START = re.compile(r"^([-+])|^(\d+)([.)])")


def _printable(value: str) -> str:
    """Control characters (which a terminal would obey) as U+FFFD; line breaks and tabs as spaces."""
    out = []
    for char in value:
        if char in "\t\n\r\f\v\x85\u2028\u2029":
            out.append(" ")
        elif unicodedata.category(char) == "Cc":
            out.append("\ufffd")
        else:
            out.append(char)
    return "".join(out)


def text(value: str) -> str:
    r"""``value`` as one line of Markdown that shows exactly the characters it holds.

    Examples
    --------
    >>> text("Amira <script>alert(1)</script>")
    'Amira &lt;script&gt;alert(1)&lt;/script&gt;'
    >>> text("![x](http://evil/pixel.png) and [click](javascript:alert(1))")
    '\\!\\[x\\](http://evil/pixel.png) and \\[click\\](javascript:alert(1))'
    >>> text("fine\n# Injected heading\n- item")
    'fine \\# Injected heading - item'
    >>> text("- not a list"), text("1. not a list"), text("*not bold*")
    ('\\- not a list', '1\\. not a list', '\\*not bold\\*')
    """
    one_line = " ".join(_printable(value).split())
    escaped = one_line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = _INLINE.sub(r"\\\1", escaped)
    return _BLOCK_START.sub(lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", escaped)


def code(value: str) -> str:
    """``value`` as an inline code span, whatever backticks it holds.

    Examples
    --------
    >>> code("dead_end/brp_street")
    '`dead_end/brp_street`'
    >>> code("a`b")
    '`` a`b ``'
    """
    one_line = " ".join(_printable(value).split()) or " "
    runs = [len(run) for run in re.findall(r"`+", one_line)]
    fence = "`" * (max(runs, default=0) + 1)
    # A space on each side keeps a leading or trailing backtick from joining the fence.
    padded = f" {one_line} " if runs or one_line.startswith(" ") else one_line
    return f"{fence}{padded}{fence}"


def link_target(path: str) -> str:
    """A relative path as a link target: everything but letters, digits, ``/`` and ``-._~`` percent-encoded.

    A space or a parenthesis would end the target early; ``:`` could make it a
    scheme (``javascript:``); ``#`` and ``?`` would cut it.

    Examples
    --------
    >>> link_target("my report (final)-diagrams/finding-dead_end.a.svg")
    'my%20report%20%28final%29-diagrams/finding-dead_end.a.svg'
    >>> link_target("javascript:alert(1)")
    'javascript%3Aalert%281%29'
    """
    return quote(path, safe="/")


def image(alt: str, path: str) -> str:
    """An image of the file at ``path`` (relative), with ``alt`` as its escaped description.

    Examples
    --------
    >>> image("Amira [home]", "case diagrams/case.svg")
    '![Amira \\\\[home\\\\]](case%20diagrams/case.svg)'
    """
    return f"![{text(alt)}]({link_target(path)})"
