"""DOT text in one canonical form, to compare and to search it whatever the writer's quoting.

The ``graphviz`` package quotes a name or a value only where DOT needs it and separates
attributes with spaces (``color="#c0392b" penwidth=3.5``); the canonical form quotes
every node name and every value, never a keyword or an attribute's name, and separates
attributes with commas (``color="#c0392b", penwidth="3.5"``), one statement a line,
indented by depth. HTML-like labels are kept as
they are. Two DOT texts with the same canonical form describe the same graph, with the
same attributes, in the same order.
"""

from __future__ import annotations

import html
import re

__all__ = ["canonical", "labels", "tokens"]

_TOKEN = re.compile(
    r"""\s+|//[^\n]*|(?P<string>"(?:[^"\\]|\\.)*")|(?P<edge>->|--)|(?P<punct>[{}\[\]=;,])"""
    r"""|(?P<id>[A-Za-z_\u0080-\uffff][A-Za-z_0-9\u0080-\uffff]*|-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?))""",
    re.DOTALL,
)


_KEYWORDS = {"digraph", "graph", "node", "edge", "subgraph", "strict"}


def _html(source: str, start: int) -> int:
    """The end of the HTML string that starts at ``start`` (angle brackets nest)."""
    depth = 0
    for i in range(start, len(source)):
        if source[i] == "<":
            depth += 1
        elif source[i] == ">":
            depth -= 1
            if depth == 0:
                return i + 1
    raise ValueError("unclosed HTML string")


def tokens(source: str) -> list[tuple[str, str]]:
    """(kind, text) for each token of ``source``: ``string`` (quoted), ``html``, ``edge``, ``punct``."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(source):
        if source[i] == "<":
            end = _html(source, i)
            out.append(("html", source[i:end]))
            i = end
            continue
        match = _TOKEN.match(source, i)
        if match is None:
            raise ValueError(f"cannot read DOT at {source[i:i + 30]!r}")
        i = match.end()
        if match.lastgroup == "id":
            out.append(("string", f'"{match.group()}"'))
        elif match.lastgroup is not None:
            out.append((match.lastgroup, match.group()))
    return out


def canonical(source: str) -> str:
    """``source`` in the canonical form (see the module's docstring)."""
    lines: list[str] = []
    depth = 0
    words: list[str] = []
    attrs: list[str] | None = None
    pending: str | None = None

    def close() -> None:
        nonlocal words, attrs
        if words or attrs is not None:
            line = " ".join(words)
            if attrs is not None:
                line += f" [{', '.join(attrs)}]"
            lines.append("  " * depth + line + ";")
        words, attrs = [], None

    for _kind, text in tokens(source):
        if attrs is not None and text != "]":
            if text in (",", ";"):
                continue
            if text == "=":
                pending = attrs.pop().strip('"') + "="
            elif pending is not None:
                attrs.append(pending + text)
                pending = None
            else:
                attrs.append(text)
            continue
        if text == "[":
            attrs = []
        elif text == "]":
            close()
        elif text == "{":
            lines.append("  " * depth + " ".join(words) + " {")
            words = []
            depth += 1
        elif text == "}":
            close()
            depth -= 1
            lines.append("  " * depth + "}")
        elif text == ";":
            close()
        else:
            words.append(text.strip('"') if text.strip('"') in _KEYWORDS else text)
    return "\n".join(lines) + "\n"


def labels(source: str) -> list[str]:
    """The text of every label in ``source``, as a reader sees it: HTML-like tags dropped, entities decoded."""
    found = []
    items = tokens(source)
    for (_, name), (_, equals), (kind, value) in zip(items, items[1:], items[2:], strict=False):
        if name.strip('"') == "label" and equals == "=":
            text = value[1:-1] if kind in ("html", "string") else value
            if kind == "html":
                text = re.sub(r"<[^<>]*>", " ", text)
            found.append(html.unescape(text))
    return found
