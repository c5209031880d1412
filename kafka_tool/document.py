"""A case file open for editing, saved back without losing what the user wrote.

A :class:`CaseDocument` keeps the text it was read from and ruamel.yaml's
round-trip tree (comments, key order, quoting, flow or block style). Saving
merges the edited case into that tree, changing only the values that differ;
every top-level section whose content did not change is written back as its
original text, so that the parts the user did not touch stay exactly as they
were. The file is written atomically. An unchanged case is written back byte
for byte as it was read.

The document knows the :class:`~kafka_tool.versions.FileVersion` of the file it
read or last saved (:attr:`CaseDocument.version`), and a save refuses, with
:class:`~kafka_tool.versions.FileChanged`, to replace a file that holds anything
else by then (an edit made in an editor, another window's save), unless told to
overwrite it.
"""

from __future__ import annotations

import difflib
import io
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.util import load_yaml_guess_indent

from .checks import text_warnings
from .errors import CaseError, KafkaToolError, Problem
from .files import atomic_write_bytes, atomic_write_text  # the shared writer; re-exported for older callers
from .i18n import phrase, phrase_number
from .loader import (
    _round_trip_yaml,
    anchor_warnings,
    declared_language,
    locate_issues,
    parse_fast,
    parse_round_trip,
    plain,
    read_text,
    validate_data,
)
from .model import Case
from .positions import locate, sort_problems
from .versions import FileChanged, FileVersion, read_version, version_of, version_on_disk

__all__ = [
    "DEFAULT_MAX_EDIT_BYTES",
    "CaseDocument",
    "FileChanged",
    "ReadOnlyError",
    "atomic_write_bytes",
    "atomic_write_text",
    "max_edit_bytes",
    "merge_into",
]


def _same(old: Any, new: Any) -> bool:
    """Equal as case data, and of the same kind (so that 1 is not True)."""
    old_plain = plain(old)
    if type(old_plain) is not type(new) and not (
        isinstance(old_plain, (int, float)) and isinstance(new, (int, float))
        and not isinstance(old_plain, bool) and not isinstance(new, bool)
    ):
        return False
    return bool(old_plain == new)


def merge_into(node: Any, new: Any) -> Any:
    """Merge plain data ``new`` into round-trip ``node``; return the node to keep.

    Untouched keys, list items and scalars keep their comments and style;
    mappings and lists are updated in place.
    """
    if _same(node, new):
        return node
    if isinstance(node, CommentedMap) and isinstance(new, dict):
        for key in [k for k in node if k not in new]:
            del node[key]
        for position, (key, value) in enumerate(new.items()):
            if key in node:
                kept = merge_into(node[key], value)
                if kept is not node[key]:
                    node[key] = kept
            else:
                node.insert(min(position, len(node)), key, value)
        return node
    if isinstance(node, CommentedSeq) and isinstance(new, list):
        if not new:  # every item went, with the comments between them: `[]`, not an emptied block list
            return new
        _merge_list(node, new)
        return node
    return new


def _identity(item: Any) -> Any:
    if isinstance(item, dict):
        for key in ("id", "persona", "finding"):
            if key in item:
                return (key, str(item[key]))
    return None


def _merge_list(node: CommentedSeq, new: list[Any]) -> None:
    old_ids = [_identity(item) for item in node]
    new_ids = [_identity(item) for item in new]
    keyed = all(i is not None for i in old_ids + new_ids) and len(set(new_ids)) == len(new_ids)
    if not keyed:
        _merge_aligned(node, new)
        return
    # By id: delete what went, update what stayed, insert what came, in the new order.
    for i in range(len(node) - 1, -1, -1):
        if old_ids[i] not in new_ids:
            del node[i]
    for target, (ident, value) in enumerate(zip(new_ids, new, strict=True)):
        current = [_identity(item) for item in node]
        if ident in current:
            at = current.index(ident)
            if at != target:
                item = node[at]
                del node[at]
                node.insert(target, item)
            kept = merge_into(node[target], value)
            if kept is not node[target]:
                node[target] = kept
        else:
            node.insert(target, value)


def _merge_aligned(node: CommentedSeq, new: list[Any]) -> None:
    """Merge items without ids (requirement items, goals, changes) by what they hold: the items
    that stay as they were are kept as written, however many were inserted or removed before
    them; an item changed in place is merged into the one it replaces."""
    def said(value: Any) -> str:
        return json.dumps(value, sort_keys=True, default=str)

    old_said = [said(plain(item)) for item in node]
    new_said = [said(value) for value in new]
    matcher = difflib.SequenceMatcher(None, old_said, new_said, autojunk=False)
    # From the end, so that the positions of what comes before stay as they were.
    for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
        if tag == "equal":
            continue
        both = min(i2 - i1, j2 - j1)
        for k in range(both):
            kept = merge_into(node[i1 + k], new[j1 + k])
            if kept is not node[i1 + k]:
                node[i1 + k] = kept
        for i in range(i2 - 1, i1 + both - 1, -1):
            del node[i]
        for k, value in enumerate(new[j1 + both:j2]):
            node.insert(i1 + both + k, value)


def _dump(tree: Any, sample: str, fallback: str | None = None) -> str:
    """``tree`` as YAML, indented the way ``sample`` is (or ``fallback``, where ``sample`` has no lists)."""
    yaml = _round_trip_yaml()
    _, indent, block_seq_indent = load_yaml_guess_indent(sample)
    if block_seq_indent is None and fallback is not None:
        _, indent, block_seq_indent = load_yaml_guess_indent(fallback)
    # ruamel reports the indent of sequence content ("  - id" gives 4 and offset 2);
    # mappings are indented by that less the dash's offset.
    sequence = indent or 2
    offset = block_seq_indent or 0
    mapping = sequence - offset if 0 < offset < sequence else sequence
    yaml.indent(mapping=mapping, sequence=max(sequence, offset + 2), offset=offset)
    stream = io.StringIO()
    yaml.dump(tree, stream)
    return stream.getvalue()


_LINE = re.compile(r".*?(?:\r\n|\r|\n|\x85|\u2028|\u2029|$)", re.DOTALL)


def _lines(text: str) -> list[str]:
    """``text`` cut into lines as YAML counts them, each with its line break."""
    return [line for line in _LINE.findall(text) if line]


def _sections(text: str, tree: Any) -> tuple[str, dict[Any, str]] | None:
    """The text before the first top-level key, and the text of each top-level key.

    A key's text runs from its line to the next key's line, so it carries the
    comments that follow its value. None when the case is not laid out one key
    per line (a flow-style mapping at the top).
    """
    if not isinstance(tree, CommentedMap) or not tree or tree.fa.flow_style():
        return None
    try:
        starts = [int(tree.lc.key(key)[0]) for key in tree]
    except (KeyError, TypeError):
        return None
    if starts != sorted(set(starts)) or any(tree.lc.key(key)[1] != 0 for key in tree):
        return None
    lines = _lines(text)
    ends = [*starts[1:], len(lines)]
    blocks = {key: "".join(lines[start:end]) for key, start, end in zip(tree, starts, ends, strict=True)}
    return "".join(lines[: starts[0]]), blocks


def _splice(
    sections: tuple[str, dict[Any, str]], tree: Any, data: dict[str, Any], saved: Any, text: str
) -> tuple[str, Any] | None:
    """The new text: the original text of every top-level key whose value is unchanged,
    and a fresh dump (indented as that key was) of every key that changed.

    ruamel.yaml re-dumps the whole file, which drops comments inside flow
    collections (``{a: 1,  # why}``) and can only apply one indentation to the
    whole file; splicing keeps the parts the user did not touch exactly as
    written. Returns None when the result does not read back as ``data``.
    """
    head, blocks = sections
    pieces = [head]
    for key, value in data.items():
        block = blocks.get(key)
        if block is None or not isinstance(saved, dict) or key not in saved or not _same(saved[key], value):
            dumped = _dump(tree, block or text, text)
            dumped_sections = _sections(dumped, _round_trip_yaml().load(dumped))
            if dumped_sections is None or key not in dumped_sections[1]:
                return None
            block = dumped_sections[1][key]
        if pieces[-1] and not pieces[-1].endswith(("\n", "\r")):
            pieces[-1] += "\n"
        pieces.append(block)
    result = "".join(pieces)
    try:
        result_tree = _round_trip_yaml().load(result)
    except (YAMLError, ValueError, IndexError, TypeError):
        return None
    if not _same(result_tree, data):
        return None
    return result, result_tree


def line_break(text: str) -> str:
    """The line break a text mostly uses: ``"\\r\\n"`` for a file saved on Windows, else ``"\\n"``."""
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"


def _with_line_breaks(text: str, original: str) -> str:
    """``text`` (as the YAML writer makes it, with ``\\n``) with the line breaks of ``original``.

    A file written on Windows stays a CRLF file after an edit: the lines the writer made
    afresh get the same breaks as the lines kept from the original.
    """
    if line_break(original) != "\r\n":
        return text
    return re.sub(r"\r?\n", "\r\n", text)


#: Largest file (in bytes) opened for editing: reading a file with its comments takes about
#: ten seconds a megabyte; a larger one opens read-only.
DEFAULT_MAX_EDIT_BYTES = 2 * 1024 * 1024


def max_edit_bytes() -> int:
    """:data:`DEFAULT_MAX_EDIT_BYTES`, or ``KAFKA_TOOL_MAX_EDIT_BYTES`` when set."""
    raw = os.environ.get("KAFKA_TOOL_MAX_EDIT_BYTES")
    return int(raw) if raw and raw.isdigit() else DEFAULT_MAX_EDIT_BYTES


class ReadOnlyError(KafkaToolError):
    """A document that cannot be saved, with the reason."""


class CaseDocument:
    """A case file open for editing: its text, its round-trip tree and its case."""

    def __init__(self, path: Path | None, text: str, tree: Any, case: Case) -> None:
        self.path = path
        self.text = text
        self.tree = tree
        self.case = case
        #: What the file holds that does not stop it loading (hidden characters), located.
        self.warnings: list[Problem] = []
        #: Why the document cannot be saved (a file too large to edit), or None.
        self.read_only: str | None = None
        self.byte_order_mark = False
        self._saved = plain(tree)
        #: The version of the file this document was read from or last saved to; None for a
        #: document made from text (a save then checks nothing).
        self.version: FileVersion | None = None
        #: The case as it was read or last saved (the base of a merge with the file on disk).
        self.base = case

    @classmethod
    def open(cls, path: str | os.PathLike[str], progress: Callable[[str], None] | None = None) -> CaseDocument:
        """Read and validate a case file; raise :class:`CaseError` when it is not valid.

        A file larger than :func:`max_edit_bytes` is opened read-only (see :attr:`read_only`):
        reading it with its comments would take minutes. ``progress`` is told each stage.
        """
        stage = progress or (lambda name: None)
        stage("reading")
        text = read_text(path)
        size = len(text.encode("utf-8"))
        limit = max_edit_bytes()
        if size > limit:
            document = cls._read_only(text, str(path), Path(path), stage)
            document.read_only = phrase(
                "{file} is {size} MB, over the {limit} MB that can be edited here (set KAFKA_TOOL_MAX_EDIT_BYTES "
                "to change it); analysis and export work, edit the file in a text editor",
                file=Path(path).name, size=phrase_number(round(size / 1024 / 1024, 1)),
                limit=phrase_number(round(limit / 1024 / 1024, 3)))
        else:
            document = cls.from_text(text, str(path), Path(path), stage)
        document.byte_order_mark, document.version = _version_read(path, text)
        return document

    @classmethod
    def _read_only(cls, text: str, name: str, path: Path, stage: Callable[[str], None]) -> CaseDocument:
        stage("parsing")
        data = parse_fast(text, name)
        stage("checking")
        case, issues = validate_data(data, text)
        if issues or case is None:
            raise CaseError(locate(issues, text, name, data), declared_language(data))
        document = cls(path, text, None, case)
        document._saved = data
        document.warnings = sort_problems(locate(text_warnings(data, text), text, name, data)
                                          + anchor_warnings(text, name))
        return document

    @classmethod
    def from_text(cls, text: str, name: str = "<case>", path: Path | None = None,
                  progress: Callable[[str], None] | None = None) -> CaseDocument:
        """A document from YAML text (``path`` is where it will be saved)."""
        stage = progress or (lambda name: None)
        stage("parsing")
        tree = parse_round_trip(text, name)
        data = plain(tree)
        stage("checking")
        case, issues = validate_data(data, text)
        if issues or case is None:
            raise CaseError(locate_issues(issues, tree, name), declared_language(data))
        document = cls(path, text, tree, case)
        document.warnings = sort_problems(locate_issues(text_warnings(data, text), tree, name)
                                          + anchor_warnings(text, name))
        return document

    def render(self, case: Case | None = None) -> str:
        """The YAML text for ``case`` (default: the document's case), keeping the original's form."""
        return self._render(self.case if case is None else case)[0]

    def _render(self, case: Case) -> tuple[str, Any]:
        """The text for ``case`` and its round-trip tree."""
        data = case.to_data()
        if _same(self._saved, data):
            return self.text, self.tree
        if self.read_only is not None:
            raise ReadOnlyError(self.read_only)
        # First element by element: only the lines of what changed are written again.
        from .splice import render as render_elements

        edited = render_elements(self.text, self._saved, data)
        if edited is not None:
            return _with_line_breaks(edited, self.text), _round_trip_yaml().load(edited)
        # A fresh tree each time: its positions are those of self.text, and rendering a
        # preview must not change what the next render starts from.
        tree = _round_trip_yaml().load(self.text)
        sections = _sections(self.text, tree)
        merge_into(tree, data)
        if sections is not None:
            spliced = _splice(sections, tree, data, self._saved, self.text)
            if spliced is not None:
                return _with_line_breaks(spliced[0], self.text), spliced[1]
        whole = _dump(tree, self.text)
        return _with_line_breaks(whole, self.text), _round_trip_yaml().load(whole)

    def save(
        self, case: Case | None = None, path: str | os.PathLike[str] | None = None, *, overwrite_changed: bool = False
    ) -> Path:
        """Write ``case`` (default: the document's case) to ``path`` (default: where it came from).

        The write is atomic. Returns the path written. Writing back to the file the document
        came from is refused with :class:`~kafka_tool.versions.FileChanged` when that file no
        longer holds :attr:`version` (checked under the writer's lock, right before writing),
        unless ``overwrite_changed``: the user saw what changed and chose to replace it.
        """
        if case is not None:
            self.case = case
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("this document has no path yet: give one to save it")
        text, tree = self._render(self.case)
        data = (("\ufeff" if self.byte_order_mark else "") + text).encode("utf-8")
        expect = None if overwrite_changed else self._expected_version(target)
        written = atomic_write_bytes(target, data, expect=expect)
        self.text = text
        self.tree = tree
        self.path = written
        self._saved = plain(tree)
        self.base = self.case
        self.version = _version_written(written, data)
        return written

    def _expected_version(self, target: Path) -> FileVersion | None:
        """The version ``target`` must still be to be written over: this document's, when it is its file."""
        if self.version is None or self.path is None:
            return None
        return self.version if os.path.abspath(target) == os.path.abspath(self.path) else None

    def disk_version(self, *, thorough: bool = False) -> FileVersion | None:
        """The version of the document's file on disk now (see :func:`~kafka_tool.versions.version_on_disk`):
        :attr:`version` itself while the file is unchanged. None without a file, or when it cannot be
        looked at now. A file touched but not changed updates :attr:`version`'s time."""
        if self.path is None or self.version is None:
            return None
        now = version_on_disk(self.path, self.version, thorough=thorough)
        if now is not None and self.version.same_content(now):
            self.version = now
        return now

    def changed_on_disk(self, *, thorough: bool = False) -> FileVersion | None:
        """The version on disk when its content is no longer :attr:`version`'s (``MISSING`` when the
        file is gone); None while it is the same. Cheap unless the file's size or time changed."""
        now = self.disk_version(thorough=thorough)
        return None if now is None or (self.version is not None and self.version.same_content(now)) else now

    def is_modified(self, case: Case | None = None) -> bool:
        """Whether ``case`` (default: the document's case) differs from what was last read or saved."""
        case = self.case if case is None else case
        return not _same(self._saved, case.to_data())


def _version_read(path: str | os.PathLike[str], text: str) -> tuple[bool, FileVersion]:
    """Whether the file at ``path`` starts with a byte order mark, and the version of the content
    that was read as ``text``.

    The file is read again for its bytes; when they are no longer ``text`` (it was written in
    between), the version is that of ``text`` with no time, so the next look sees the change.
    """
    try:
        raw, version = read_version(path)
    except OSError:
        raw, version = b"", None
    bom = raw.startswith(b"\xef\xbb\xbf")  # read_text drops a byte order mark; saving puts it back
    try:
        same = raw.decode("utf-8").removeprefix("\ufeff") == text
    except UnicodeDecodeError:
        same = False
    if version is None or not same:
        version = version_of((("\ufeff" if bom else "") + text).encode("utf-8"))
    return bom, version


def _version_written(path: Path, data: bytes) -> FileVersion:
    """The version of the file just written with ``data``."""
    try:
        return version_of(data, os.stat(path))
    except OSError:
        return version_of(data)
