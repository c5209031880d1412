"""Where a problem is in a case file, without parsing a large file twice.

The fast parser gives no positions, so a problem found in its data is located
by parsing again with ruamel.yaml's round-trip parser, which keeps the line
and column of every key and value. That parser is pure Python (about ten
seconds a megabyte): on a large file, reporting one typo would take minutes.

So a large file is not parsed again as a whole. A case file is laid out one
top-level key a line, each section a block list of elements (or a mapping of
attributes); the lines of the one element a problem is in are found by their
indentation and parsed on their own, and their positions shifted to the
file's. The element parsed must read back as the data the fast parser gave,
or the problem is placed at the start of its element (or section) instead: a
position is never guessed wrong, only less exact.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Any

from .errors import Issue, Loc, Problem

__all__ = ["FULL_PARSE_LIMIT", "locate", "sort_problems"]

#: Files up to this size (in characters) are located with one round-trip parse of the whole
#: file; larger ones element by element.
FULL_PARSE_LIMIT = 256 * 1024

_TOP_KEY = re.compile(r"^(?:\"([^\"\n]*)\"|'([^'\n]*)'|([^\s#'\"\-?:,\[\]{}][^:#\n]*?))[ \t]*:(?:[ \t]|$)",
                      re.MULTILINE)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Problems in file order, the same problem found by two checks said once."""
    problems = sorted(problems, key=lambda p: (p.line or 0, p.column or 0, p.message))
    unique: list[Problem] = []
    for problem in problems:
        if not unique or (unique[-1].line, unique[-1].column, unique[-1].message) != (
            problem.line, problem.column, problem.message
        ):
            unique.append(problem)
    return unique


class _Lines:
    """The text cut into lines, with the offset each starts at."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0, *(m.end() for m in re.finditer(r"\r\n|\r|\n", text))]
        if self.starts[-1] == len(text) and len(self.starts) > 1:
            self.starts.pop()

    def line_of(self, offset: int) -> int:
        """0-based line of a character offset."""
        return bisect.bisect_right(self.starts, offset) - 1

    def chunk(self, first: int, end: int) -> str:
        """Lines ``first`` up to (not including) ``end``."""
        stop = self.starts[end] if end < len(self.starts) else len(self.text)
        return self.text[self.starts[first]:stop]

    def __len__(self) -> int:
        return len(self.starts)


def _top_keys(lines: _Lines) -> dict[str, int]:
    """Top-level key -> its 0-based line (the first time it occurs)."""
    keys: dict[str, int] = {}
    for match in _TOP_KEY.finditer(lines.text):
        key = next(g for g in match.groups() if g is not None).strip()
        keys.setdefault(key, lines.line_of(match.start()))
    return keys


def _children(lines: _Lines, first: int, end: int, sequence: bool) -> list[int]:
    """The lines that start the children of the block between lines ``first`` and ``end``.

    ``sequence``: items (``- ...``), else mapping keys. The children are the lines at the
    indentation of the first one that is neither blank nor a comment.
    """
    pattern = re.compile(r"( *)-(?:[ \t]|$)" if sequence else r"( *)[^\s#\-?]")
    indent: int | None = None
    starts: list[int] = []
    text = lines.text
    for n in range(first, end):
        start = lines.starts[n]
        stop = lines.starts[n + 1] if n + 1 < len(lines) else len(text)
        line = text[start:stop].rstrip("\r\n")
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        width = len(line) - len(stripped)
        if indent is None:
            match = pattern.match(line)
            if match is None:
                return []
            indent = width
        if width == indent and pattern.match(line):
            starts.append(n)
        elif width < indent:
            break
    return starts


def _parse(text: str) -> Any:
    from ruamel.yaml.error import YAMLError

    from .loader import _round_trip_yaml

    try:
        return _round_trip_yaml().load(text)
    except (YAMLError, ValueError, IndexError, TypeError, RecursionError):
        return None


def _element_position(lines: _Lines, keys: dict[str, int], data: Any, loc: Loc,
                      at: str) -> tuple[int | None, int | None]:
    """Position of ``loc`` found by parsing only the element it is in (see the module docstring)."""
    from .loader import plain, position_of

    if not loc:
        return 1, 1
    section = loc[0]
    if not isinstance(section, str) or section not in keys:
        return (None, None)
    first = keys[section]
    later = sorted(line for line in keys.values() if line > first)
    end = later[0] if later else len(lines)
    if len(loc) == 1 or not isinstance(data, dict) or section not in data:
        tree = _parse(lines.chunk(first, end))
        if tree is None:
            return first + 1, 1
        line, col = position_of(tree, loc, at)
        return ((line or 1) + first, col)
    value = data[section]
    step = loc[1]
    if isinstance(value, list) and isinstance(step, int):
        starts = _children(lines, first + 1, end, sequence=True)
        if len(starts) != len(value) or not 0 <= step < len(starts):
            return first + 1, 1
        begin, stop = starts[step], (starts[step + 1] if step + 1 < len(starts) else end)
        tree = _parse(lines.chunk(begin, stop))
        if not isinstance(tree, list) or len(tree) != 1 or plain(tree[0]) != value[step]:
            return begin + 1, 1
        line, col = position_of(tree, (0, *loc[2:]), at)
    elif isinstance(value, dict):
        starts = _children(lines, first + 1, end, sequence=False)
        names = list(value)
        if len(starts) != len(names) or step not in value:
            return first + 1, 1
        at_index = names.index(step)
        begin = starts[at_index]
        stop = starts[at_index + 1] if at_index + 1 < len(starts) else end
        tree = _parse(lines.chunk(begin, stop))
        if not isinstance(tree, dict) or plain(tree) != {step: value[step]}:
            return begin + 1, 1
        line, col = position_of(tree, loc[1:], at)
    else:
        return first + 1, 1
    if line is None:
        return begin + 1, 1
    return line + begin, col


def locate(issues: Sequence[Issue], text: str, name: str, data: Any = None,
           tree: Any = None) -> list[Problem]:
    """Problems with line and column for issues found in ``data``, the fast parser's reading of ``text``.

    ``tree``, a round-trip tree of the whole text, is used when there is one; otherwise a
    small file is parsed whole, a large one element by element.

    Examples
    --------
    >>> text = "format: kafka-case/1\\nactors:\\n  - id: bank\\n    name: Bank\\n    kind: bnak\\n"
    >>> data = {"format": "kafka-case/1", "actors": [{"id": "bank", "name": "Bank", "kind": "bnak"}]}
    >>> [(p.line, p.column) for p in locate([Issue(("actors", 0, "kind"), "bad kind")], text, "c.yaml", data)]
    [(5, 11)]
    """
    from .loader import _parse_round_trip_or_raise, position_of

    if not issues:
        return []
    if tree is None and len(text) <= FULL_PARSE_LIMIT:
        tree = _parse_round_trip_or_raise(text, name)
    problems = []
    if tree is not None:
        for issue in issues:
            line, col = position_of(tree, issue.loc, issue.at)
            problems.append(Problem(name, line, col, issue.message, issue.hint, issue.loc))
        return sort_problems(problems)
    lines = _Lines(text)
    keys = _top_keys(lines)
    for issue in issues:
        line, col = _element_position(lines, keys, data, issue.loc, issue.at)
        problems.append(Problem(name, line, col, issue.message, issue.hint, issue.loc))
    return sort_problems(problems)
