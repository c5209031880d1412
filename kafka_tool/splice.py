"""Saving an edit by changing only the lines of what was edited.

A case file is a mapping of sections, most of them lists of elements, and
people write comments above the elements they are about and above the
sections they head. ruamel.yaml keeps comments, but it attaches a comment to
the *previous* node: the comment above an element travels with the element
before it, and a section's heading comment with the last element of the
section before. Deleting that element then deletes the next section's heading;
renaming an element (a new id: another element, to a list merge) writes it
afresh, without its comments and in another style.

So the text is cut up here the way a person reads it, and put together again:

- the text before a section's key, down to its content (blank lines and
  comments that start in the first column), is that section's *lead*: it
  stays with the section;
- an element's lead is the blank lines and comments just above it that do
  not start further right than its dash (or its key, in a mapping such as
  ``attributes``): they go with the element when it is deleted or moved; a
  comment further right belongs to the element above it;
- an element whose data did not change is written back as its own text; one
  that changed is merged into a tree of its own text alone and written again
  (its comments and flow style kept), indented where it was; one that is new
  is written in the style of its neighbours; an element whose id changed
  (a rename) is the element at the same place, changed.

The result must read back as the case it was made for; where it does not
(a layout this reading does not follow), :func:`render` gives None and the
caller falls back to a coarser splice.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.util import load_yaml_guess_indent

__all__ = ["render"]

_LINE = re.compile(r".*?(?:\r\n|\r|\n|\x85|\u2028|\u2029|$)", re.DOTALL)


def _lines(text: str) -> list[str]:
    return [line for line in _LINE.findall(text) if line]


def _yaml() -> Any:
    from .loader import _round_trip_yaml

    return _round_trip_yaml()


def _load(text: str) -> Any:
    try:
        return _yaml().load(text)
    except (YAMLError, ValueError, IndexError, TypeError, RecursionError):
        return None


def _plain(value: Any) -> Any:
    from .loader import plain

    return plain(value)


def _same(old: Any, new: Any) -> bool:
    from .document import _same as same

    return same(old, new)


def _is_blank(line: str) -> bool:
    return not line.strip()


def _comment_column(line: str) -> int | None:
    """The column of a line that holds only a comment, or None."""
    stripped = line.lstrip(" ")
    if stripped.startswith("#"):
        return len(line) - len(stripped)
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


@dataclass
class _Section:
    key: Any
    lead: list[str]  # blank and first-column comment lines above the key line
    body: list[str]  # the key line and everything that belongs to its value


def _split_sections(text: str, tree: Any) -> tuple[list[str], list[_Section], list[str]] | None:
    """The head of the file, its sections, and the tail after the last section's content."""
    if not isinstance(tree, CommentedMap) or not tree or tree.fa.flow_style():
        return None
    try:
        starts = [int(tree.lc.key(key)[0]) for key in tree]
        if any(int(tree.lc.key(key)[1]) != 0 for key in tree):
            return None
    except (KeyError, TypeError, AttributeError):
        return None
    if starts != sorted(set(starts)):
        return None
    lines = _lines(text)
    ends = [*starts[1:], len(lines)]
    sections: list[_Section] = []
    carried: list[str] = []
    for key, start, end in zip(tree, starts, ends, strict=True):
        block = lines[start:end]
        # The blank lines and first-column comments at the end of a block head the next section.
        cut = len(block)
        while cut > 1 and (_is_blank(block[cut - 1]) or _comment_column(block[cut - 1]) == 0):
            cut -= 1
        sections.append(_Section(key, carried, block[:cut]))
        carried = block[cut:]
    return lines[: starts[0]], sections, carried


def _identity(item: Any) -> Any:
    if isinstance(item, dict):
        for key in ("id", "finding"):
            if key in item:
                return (key, str(item[key]))
    return None


def _match(old: Sequence[Any], new: Sequence[Any]) -> list[int | None]:
    """For every new item, the old item it is (by id; what is left, by position), or None (new)."""
    old_ids = [_identity(item) for item in old]
    by_id = {ident: i for i, ident in enumerate(old_ids) if ident is not None and old_ids.count(ident) == 1}
    matched: list[int | None] = []
    used: set[int] = set()
    for item in new:
        ident = _identity(item)
        at = by_id.get(ident) if ident is not None else None
        if at is not None and at not in used:
            used.add(at)
            matched.append(at)
        else:
            matched.append(None)
    # An element without an id (a journey) that did not change: the old one equal to it.
    for position, at in enumerate(matched):
        if at is None and _identity(new[position]) is None:
            same = next((j for j, item in enumerate(old) if j not in used and _same(item, new[position])), None)
            if same is not None:
                used.add(same)
                matched[position] = same
    # An element that kept its place but not its id (a rename), or one without an id that
    # changed: the old element at the same place, if nothing else took it.
    for position, at in enumerate(matched):
        if at is None and position < len(old) and position not in used and (
            _identity(new[position]) is None or old_ids[position] not in {_identity(n) for n in new}
        ):
            used.add(position)
            matched[position] = position
    return matched


def _dump(value: Any, sample: str) -> str:
    """``value`` (a tree or plain data) as YAML, indented the way ``sample`` is."""
    yaml = _yaml()
    _, indent, block_seq_indent = load_yaml_guess_indent(sample)
    sequence = indent or 2
    offset = block_seq_indent or 0
    mapping = sequence - offset if 0 < offset < sequence else sequence
    yaml.indent(mapping=mapping, sequence=max(sequence, offset + 2), offset=offset)
    stream = io.StringIO()
    yaml.dump(value, stream)
    return stream.getvalue()


def _reindent(lines: list[str], column: int) -> list[str]:
    """``lines`` moved so that the first one starts at ``column`` (the others keep their offsets)."""
    if not lines:
        return lines
    shift = column - _indent(lines[0])
    if shift == 0:
        return lines
    out = []
    for line in lines:
        if _is_blank(line):
            out.append(line)
        elif shift > 0:
            out.append(" " * shift + line)
        else:
            out.append(line[min(-shift, _indent(line)):])
    return out


def _end_line(lines: list[str]) -> list[str]:
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines = [*lines[:-1], lines[-1] + "\n"]
    return lines


def _element_starts(body: list[str], positions: list[int], column: int) -> list[int]:
    """Where each element's text starts: its lead (blank lines and comments no further right
    than ``column``) above its first line."""
    starts = []
    for position in positions:
        start = position
        while start > 1 and (_is_blank(body[start - 1])
                             or (_comment_column(body[start - 1]) is not None
                                 and (_comment_column(body[start - 1]) or 0) <= column)):
            start -= 1
        starts.append(start)
    return starts


def _changed_element(text_lines: list[str], new: Any, column: int, wrap: str | None) -> list[str] | None:
    """An element's own text, parsed alone, merged with ``new`` and written again at ``column``.

    ``wrap`` is None for a list item (``- ...``), or the key of a mapping entry.
    """
    from .document import merge_into

    source = "".join(_end_line(text_lines))
    tree = _load(source)
    if wrap is None:
        if not isinstance(tree, CommentedSeq) or len(tree) != 1:
            return None
        kept = merge_into(tree[0], new)
        if kept is not tree[0]:
            tree[0] = kept
    else:
        if not isinstance(tree, CommentedMap) or list(tree) != [wrap]:
            return None
        kept = merge_into(tree[wrap], new)
        if kept is not tree[wrap]:
            tree[wrap] = kept
    return _keep_comment_gaps(text_lines, _reindent(_lines(_dump(tree, source)), column))


_TRAILING_COMMENT = re.compile(r"(?<=\S)([ \t]+)(#[^\n\r]*)(\r?\n)?$")


def _keep_comment_gaps(old: list[str], new: list[str]) -> list[str]:
    """``new`` lines with an end-of-line comment that was pushed along kept as far from its value
    as it was in ``old``.

    ruamel.yaml keeps a comment in its column; a value that grows past it (a longer id)
    pushes the comment to one space after the value, so that a change of the value would
    become a change of the layout too. Such a comment gets back its old distance.
    """
    places: dict[str, tuple[str, int]] = {}
    for line in old:
        found = _TRAILING_COMMENT.search(line)
        if found:
            places.setdefault(found.group(2), (found.group(1), found.start(2)))
    out = []
    for line in new:
        found = _TRAILING_COMMENT.search(line)
        if found and found.group(2) in places:
            gap, column = places[found.group(2)]
            if found.group(1) == " " and gap != " " and found.start(2) > column:
                line = line[: found.start(1)] + gap + line[found.start(2):]
        out.append(line)
    return out


def _new_element(new: Any, column: int, sample: str, wrap: str | None) -> list[str]:
    value = [new] if wrap is None else {wrap: new}
    return _reindent(_lines(_dump(value, sample)), column)


def _splice_collection(section: _Section, old: Any, new: Any) -> list[str] | None:
    """A section's lines with only its changed elements written again (None: not a layout followed)."""
    body = section.body
    tree = _load("".join(_end_line(list(body))))
    if not isinstance(tree, CommentedMap) or list(tree) != [section.key]:
        return None
    node = tree[section.key]
    is_list = isinstance(node, CommentedSeq) and isinstance(old, list) and isinstance(new, list)
    is_map = isinstance(node, CommentedMap) and isinstance(old, dict) and isinstance(new, dict)
    if not (is_list or is_map) or node.fa.flow_style() or not len(node) or len(node) != len(old):
        return None
    try:
        if is_list:
            places = [(int(node.lc.item(i)[0]), int(node.lc.item(i)[1])) for i in range(len(node))]
        else:
            places = [(int(node.lc.key(k)[0]), int(node.lc.key(k)[1])) for k in node]
    except (KeyError, TypeError, AttributeError):
        return None
    positions = [line for line, _ in places]
    if positions != sorted(set(positions)) or positions[0] < 1:
        return None
    # The column of the dash (lists) or the key (mappings): where the elements start.
    columns = {_indent(body[line]) for line in positions}
    if len(columns) != 1:
        return None
    (column,) = columns
    if is_list and not all(body[line].lstrip(" ").startswith("-") for line in positions):
        return None
    starts = _element_starts(body, positions, column)
    ends = [*starts[1:], len(body)]
    slices = [body[start:end] for start, end in zip(starts, ends, strict=True)]
    leads = [body[start:position] for start, position in zip(starts, positions, strict=True)]
    out = list(body[: starts[0]])
    sample = "".join(body)
    # Items parted by a blank line get one too when they are added.
    spaced = len(slices) > 1 and all(_is_blank(s[0]) for s in slices[1:])
    if is_list:
        old_items, new_items = list(old), list(new)
        matched = _match(old_items, new_items)
        for item, at in zip(new_items, matched, strict=True):
            if at is not None and _same(old_items[at], item):
                out.extend(slices[at])
                continue
            if at is not None:
                content = slices[at][len(leads[at]):]
                written = _changed_element(content, item, column, None)
                if written is None:
                    return None
                out.extend(leads[at] + written)
                continue
            fresh = _new_element(item, column, sample, None)
            out.extend((["\n"] if spaced and len(out) > starts[0] else []) + fresh)
        return out
    old_keys = list(old)
    for key, value in new.items():
        if key in old:
            at = old_keys.index(key)
            if _same(old[key], value):
                out.extend(slices[at])
                continue
            content = slices[at][len(leads[at]):]
            written = _changed_element(content, value, column, key)
            if written is None:
                return None
            out.extend(leads[at] + written)
        else:
            out.extend((["\n"] if spaced else []) + _new_element(value, column, sample, key))
    return out


def _whole_section(section: _Section | None, key: str, value: Any, sample: str) -> list[str] | None:
    """One top-level key written again (merged into its own text when there is one)."""
    from .document import merge_into

    if section is None:
        return _lines(_dump({key: value}, sample))
    source = "".join(_end_line(list(section.body)))
    tree = _load(source)
    if not isinstance(tree, CommentedMap) or list(tree) != [key]:
        return None
    kept = merge_into(tree[key], value)
    if kept is not tree[key]:
        tree[key] = kept
    return _keep_comment_gaps(section.body, _lines(_dump(tree, source)))


def render(text: str, old: Any, new: dict[str, Any]) -> str | None:
    """The text of ``text`` (which reads as ``old``) edited to read as ``new``, changing only the
    lines of the elements that changed; None when the file's layout is not one this follows."""
    tree = _load(text)
    split = _split_sections(text, tree)
    if split is None or not isinstance(old, dict):
        return None
    head, sections, tail = split
    by_key = {section.key: section for section in sections}
    out: list[str] = list(head)
    # The file's order of its top-level keys is kept; a key it did not have comes after them.
    order = [section.key for section in sections if section.key in new]
    order += [key for key in new if key not in by_key]
    for key in order:
        value = new[key]
        section = by_key.get(key)
        if section is not None and key in old and _same(old[key], value):
            out.extend(section.lead + section.body)
            continue
        lines = None
        if section is not None and key in old:
            lines = _splice_collection(section, old[key], value)
        if lines is None:
            lines = _whole_section(section if key in old else None, key, value, text)
        if lines is None:
            return None
        out = _end_line(out)
        out.extend((section.lead if section is not None else []) + lines)
    out = _end_line(out) if tail else out
    result = "".join(out + tail)
    check = _load(result)
    if check is None or not _same(check, new):
        return None
    return result
