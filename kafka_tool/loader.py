"""Loading case files: safe, bounded, and with every problem located.

Two parsers share the work. A fast one (``yaml_rs``, YAML 1.2, refuses
duplicate keys, bounds alias expansion and nesting) reads every file. Only
when something is wrong does the loader parse the file again with
ruamel.yaml's round-trip parser, which keeps the line and column of every key
and value, to say where each problem is. The editor always takes the
round-trip path (:func:`load_document`), since it must save comments back.

Both paths give the same plain data (YAML 1.2: ``no`` is a string, dates are
dates), and the same checks run on it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import re
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml_rs
from pydantic import ValidationError

from .checks import check_case_data, check_text, text_warnings
from .errors import CaseError, Issue, Loc, Problem, shown
from .i18n import LANGUAGES, phrase, phrase_count
from .model import FORMAT, Case
from .positions import FULL_PARSE_LIMIT, locate, sort_problems
from .pydantic_errors import translate_validation_error
from .yaml_words import context_words, problem_words, split_fast, syntax_hint

if TYPE_CHECKING:
    from ruamel.yaml import YAML

# ruamel.yaml (the round-trip parser) is imported where it is used: a file that loads without a
# problem never needs it, and importing it costs every command a hundredth of a second.

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_ALIAS_EVENTS",
    "MAX_DEPTH",
    "LoadedCase",
    "anchor_warnings",
    "load",
    "load_case",
    "load_case_text",
    "load_text",
    "parse_fast",
    "parse_round_trip",
    "plain",
    "declared_language",
    "position_of",
    "read_text",
    "spoken",
    "validate_data",
]

#: Largest case file read, in bytes; ``KAFKA_TOOL_MAX_BYTES`` overrides it.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
#: Deepest nesting of mappings and lists accepted (a case needs about eight).
MAX_DEPTH = 64
#: Alias expansion budget, in parser events (guards against "billion laughs").
MAX_ALIAS_EVENTS = 200_000


def _max_bytes() -> int:
    raw = os.environ.get("KAFKA_TOOL_MAX_BYTES")
    if raw and raw.isdigit():
        return int(raw)
    return DEFAULT_MAX_BYTES


@dataclass
class LoadedCase:
    """A valid case, the text it came from, and what it holds that a reader should know."""

    case: Case
    text: str
    path: str
    #: Problems that do not stop the case from loading (hidden characters in names), located.
    warnings: list[Problem] = field(default_factory=list)


# ---------------------------------------------------------------- reading bytes


def read_text(path: str | os.PathLike[str], max_bytes: int | None = None) -> str:
    """Read a case file as text, refusing what cannot be a case file.

    Raises :class:`CaseError` for a missing or unreadable file, a file over
    ``max_bytes``, binary content or text that is not UTF-8.
    """
    name = str(path)
    limit = _max_bytes() if max_bytes is None else max_bytes
    try:
        size = os.path.getsize(path)
        if size > limit:
            raise _error(
                name, 1, 1,
                phrase("file is {size} bytes, over the limit of {limit} bytes", size=_grouped(size),
                       limit=_grouped(limit)),
                phrase("split the case, or raise the limit with KAFKA_TOOL_MAX_BYTES=<bytes>"),
            )
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except FileNotFoundError:
        raise _error(name, None, None, phrase("no such file"), phrase("check the path")) from None
    except IsADirectoryError:
        raise _error(name, None, None, phrase("is a folder, not a case file"), phrase("give a .yaml file")) from None
    except OSError as exc:
        raise _error(name, None, None, phrase("cannot read the file: {reason}", reason=exc.strerror), None) from None
    if len(raw) > limit:
        raise _error(name, 1, 1, phrase("file is over the limit of {limit} bytes", limit=_grouped(limit)),
                     phrase("raise the limit with KAFKA_TOOL_MAX_BYTES=<bytes>"))
    return decode_text(raw, name)


def _grouped(size: int) -> str:
    """A size in bytes as the language writes it: 67,108,864 and 67.108.864."""
    return phrase_count(size)


def decode_text(raw: bytes, name: str) -> str:
    """Decode case file bytes, refusing binary content with its position."""
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _line_col(raw, nul)
        raise _error(name, line, col, phrase("this is a binary file, not a YAML case file (NUL byte)"),
                     phrase("a case file is UTF-8 text; check that you opened the right file"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(raw, exc.start)
        byte = f"0x{raw[exc.start]:02x}"
        raise _error(name, line, col, phrase("not valid UTF-8 text (byte {byte})", byte=byte),
                     phrase("save the file as UTF-8")) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    # C0 controls but tab and the line breaks, DEL, and the C1 controls (U+0080 to U+009F,
    # which some terminals act on as they do on escape sequences).
    bad = re.search(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text) if _may_hold_controls(raw) else None
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        char = f"U+{ord(bad.group()):04X}"
        raise _error(name, line, col, phrase("control character {char} is not allowed in a case file", char=char),
                     phrase("remove it; a case file is plain UTF-8 text"))
    return text


#: The C0 controls but tab and the line breaks, and DEL: one byte each in UTF-8.
_C0_BYTES = bytes([*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def _may_hold_controls(raw: bytes) -> bool:
    """Whether UTF-8 ``raw`` may hold a control character: a C0 byte, or the lead byte 0xC2 of the
    C1 controls (and of the other characters from U+0080 to U+00BF, which the search then passes).
    Two passes at the speed of memory, where a search of the text goes character by character."""
    return len(raw.translate(None, _C0_BYTES)) != len(raw) or b"\xc2" in raw


def _line_col(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    col = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def _error(name: str, line: int | None, col: int | None, message: str, hint: str | None) -> CaseError:
    return CaseError([Problem(name, line, col, message, hint)])


def declared_language(data: Any) -> str | None:
    """The ``language`` a case's data declares at its top, when it is one the tool speaks."""
    language = data.get("language") if isinstance(data, dict) else None
    return language if isinstance(language, str) and language in LANGUAGES else None


def _first_language(text: str) -> str | None:
    """The ``language:`` of a file that cannot be parsed, read from its own top-level line."""
    found = _LANGUAGE_LINE.search(text)
    return found.group(1) if found is not None else None


#: A top-level ``language: nl`` line, as a file too broken to parse may still show it.
_LANGUAGE_LINE = re.compile(r"^language:[ \t]*[\"']?(en|nl)[\"']?[ \t]*(?:#.*)?$", re.MULTILINE)


# ---------------------------------------------------------------- parsing


_YAML_RS_POSITION = re.compile(r"line (\d+), column (\d+)")
_YAML_RS_TAG = re.compile(r"Invalid tag: '(.*?)'")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


#: Lines indented this far, or this many compact block indicators (``- - -``, ``? ? ?``) in
#: a row, could nest deeper than the fast parser's stack allows (it crashes the process at
#: about ten thousand levels); such a file has its depth measured exactly before it is parsed.
_DEEP_INDENT = " " * 256
# Compact indicators nest only where a line's content starts ("- - - x", "? - x"); a key's
# value on its own line ("key: - x") is no block, so only the start of a line is tried.
_DEEP_COMPACT = re.compile(r"[ \t]*(?:[-?:][ \t]+){128}")


def _may_nest_deep(text: str) -> bool:
    """Whether ``text`` could nest deeper than the fast parser can take (cheap: substring tests,
    and the pattern only on lines long enough to hold 128 indicators)."""
    if "\n" + _DEEP_INDENT in text or text.startswith(_DEEP_INDENT):
        return True
    return any(len(line) >= 256 and _DEEP_COMPACT.match(line) for line in text.split("\n"))


def _guard_depth(text: str, name: str) -> None:
    """Refuse a file nested deeper than :data:`MAX_DEPTH` before the fast parser sees it.

    Block nesting needs indentation or compact indicators on a line, so a file with
    neither deep indentation nor long runs of indicators cannot nest deep enough to hurt
    (flow nesting the parser bounds itself). Only a file that might is walked exactly,
    event by event, which is slower but never recursive.
    """
    if not _may_nest_deep(text):
        return
    line, _ = _event_position(text)
    if line is not None:
        raise _nesting_error(text, name)


def _parse_fast(text: str, name: str) -> Any:
    _guard_depth(text, name)
    try:
        return yaml_rs.loads(
            text,
            alias_limits=yaml_rs.AliasLimits(
                max_total_replayed_events=MAX_ALIAS_EVENTS,
                max_replay_stack_depth=MAX_DEPTH,
            ),
        )
    except TypeError:
        # A key that is itself a mapping holding a mapping ("? {a: {b: c}}"): the fast parser
        # cannot make it a key. A case file's keys are names anyway.
        found = re.search(r"^[ \t-]*\?(?:[ \t]|$)", text, re.MULTILINE)
        line, col = (None, None)
        if found is not None:
            line = text.count("\n", 0, found.start()) + 1
            col = found.end() - found.start() - len(found.group().lstrip(" \t-"))  + 1
        raise _error(name, line, col, phrase("a key here is a list or a mapping, not a name"), phrase(
            "keys are names such as `id:` or `age:`; remove the `?` that starts a complex key")) from None
    except yaml_rs.YAMLDecodeError as exc:
        message = str(exc)
        match = _YAML_RS_POSITION.search(message)
        line, col = (int(match.group(1)), int(match.group(2))) if match else (None, None)
        lines = _LINE_BREAK.split(text)
        if line is not None and line > len(lines):  # the end of the file, said as the line after it
            line, col = len(lines), len(lines[-1]) + 1
        last = message.strip().splitlines()[-1].strip() if message.strip() else "cannot parse"
        if last.startswith("alias replay"):  # not "while scanning an anchor or alias", a syntax error
            line, col = _event_position(text, alias=True)
            raise _error(name, line, col,
                         phrase("aliases expand to too much data (an alias bomb?)"),
                         phrase("use fewer anchors/aliases; a case file rarely needs them")) from None
        if "recursion limit" in message:
            raise _nesting_error(text, name) from None
        tag = _YAML_RS_TAG.search(message)
        if tag:
            at = text.find(tag.group(1))
            line, col = (None, None)
            if at >= 0:
                line, col = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
            raise _error(name, line, col, phrase("the YAML tag {tag} is not allowed in a case file", tag=tag.group(1)),
                         phrase("remove it: a case file holds only text, numbers, dates, lists and maps")) from None
        # Syntax errors and duplicate keys: the round-trip parser says exactly where (in a
        # file small enough to parse again; in a large one the fast parser's words must do).
        if len(text) <= FULL_PARSE_LIMIT:
            _parse_round_trip_or_raise(text, name)
        duplicate = _DUPLICATE.search(message)
        if duplicate:
            line, col = _duplicate_position(text, duplicate.group(1))
            raise _error(name, line, col, phrase("duplicate key {key}", key=shown(duplicate.group(1))),
                         phrase("each key may appear once in a mapping; merge or remove one")) from None
        context, problem = split_fast(last)
        said: str = problem_words(problem)
        if context is not None:
            said = phrase("{problem} ({context})", problem=said, context=context_words(context))
        raise _error(name, line, col, phrase("YAML error: {problem}", problem=said), syntax_hint(last)) from None


_DUPLICATE = re.compile(r"duplicate mapping key: '(.*)'")


def _duplicate_position(text: str, key: str) -> tuple[int | None, int | None]:
    """Where ``key`` occurs a second time in one block mapping (for a file too large to parse again).

    Keys are read line by line: a key at some column belongs to the mapping at that column,
    which a line further left, or a new list item whose content starts there, ends.
    """
    wanted = {key, f"'{key}'", f'"{key}"'}
    open_maps: dict[int, set[str]] = {}
    line_pattern = re.compile(r"( *)((?:- +)*)([^\s#][^:#\n]*?)[ \t]*:(?:[ \t]|$)")
    for number, line in enumerate(_LINE_BREAK.split(text), 1):
        match = line_pattern.match(line)
        if match is None:
            continue
        column = len(match.group(1)) + len(match.group(2))
        for deeper in [c for c in open_maps if c > column or (match.group(2) and c >= column)]:
            del open_maps[deeper]
        name = match.group(3)
        seen = open_maps.setdefault(column, set())
        if name in wanted and name in seen:
            return number, column + 1
        seen.add(name)
    return None, None


def _event_position(text: str, alias: bool = False) -> tuple[int | None, int | None]:
    """Where the first alias is (``alias``), or where nesting first goes deeper than MAX_DEPTH.

    Walks the parser's events, which neither expand aliases nor recurse, so that
    it stays cheap on a hostile file.
    """
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent

    depth = 0
    try:
        for event in _round_trip_yaml().parse(text):
            if isinstance(event, AliasEvent) and alias:
                return event.start_mark.line + 1, event.start_mark.column + 1
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH and not alias:
                    return event.start_mark.line + 1, event.start_mark.column + 1
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except YAMLError:
        pass
    return None, None


#: An anchor as it may be written ("&name" after a space, an indicator or the start of a line).
_ANCHOR_NAME = re.compile(r"[^\s\[\]{},]+")


def _anchor_names(text: str) -> list[str]:
    """The names after each ``&`` that starts a word (at the start, or after a space, a bracket, a
    comma, ``:`` or ``-``), left to right, a name's own characters passed over: found by looking
    for ``&`` alone, which is rare, rather than trying a pattern at every character of a large file."""
    names = []
    at = text.find("&")
    while at >= 0:
        if at == 0 or text[at - 1] in "[]{},:-" or text[at - 1].isspace():
            name = _ANCHOR_NAME.match(text, at + 1)
            if name:
                names.append(name.group())
                at = text.find("&", name.end())
                continue
        at = text.find("&", at + 1)
    return names


def anchor_warnings(text: str, name: str) -> list[Problem]:
    """An anchor given a second time: a warning each, at the second one.

    YAML lets a name be anchored again (an alias after it means the new value), and both
    parsers read it so; but two values under one name are more often a copy left as it
    was than meant. Files without a repeated ``&name`` are passed over without parsing.
    """
    candidates = _anchor_names(text)
    if len(candidates) == len(set(candidates)):
        return []
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import AliasEvent

    first: dict[str, int] = {}
    problems = []
    try:
        for event in _round_trip_yaml().parse(text):
            anchor = getattr(event, "anchor", None)
            if anchor is None or isinstance(event, AliasEvent):
                continue
            line, col = event.start_mark.line + 1, event.start_mark.column + 1
            if anchor in first:
                problems.append(Problem(name, line, col, phrase(
                    "found duplicate anchor {name} (first at line {line}); an alias after it means this value",
                    name=shown(anchor), line=first[anchor]), phrase("give each anchor a name of its own")))
            else:
                first[anchor] = line
    except YAMLError:
        return []
    return problems


def _nesting_error(text: str, name: str) -> CaseError:
    line, col = _event_position(text)
    return _error(name, line, col, phrase("nesting deeper than {n} levels", n=MAX_DEPTH),
                  phrase("a case file needs only a few levels of nesting"))


@functools.cache
def _round_trip_constructor() -> type:
    """ruamel.yaml's round-trip constructor, reading a word that looks like a number or a
    date but is neither ("0x_", "._", "2024-02-30") as text, as the fast parser does,
    instead of raising ValueError or IndexError."""
    from ruamel.yaml.constructor import RoundTripConstructor

    class _RoundTripConstructor(RoundTripConstructor):
        pass

    for tag in ("int", "float", "timestamp"):
        _RoundTripConstructor.add_constructor(
            f"tag:yaml.org,2002:{tag}",
            _as_text_when_unreadable(RoundTripConstructor.yaml_constructors[f"tag:yaml.org,2002:{tag}"]),
        )
    return _RoundTripConstructor


def _as_text_when_unreadable(construct: Any) -> Any:
    def read(constructor: Any, node: Any) -> Any:
        try:
            return construct(constructor, node)
        except (ValueError, IndexError):
            return str(node.value)

    return read


def _round_trip_yaml() -> YAML:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.Constructor = _round_trip_constructor()
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml


def _parse_round_trip_or_raise(text: str, name: str) -> Any:
    from ruamel.yaml.error import MarkedYAMLError, ReusedAnchorWarning, YAMLError

    yaml = _round_trip_yaml()
    try:
        with warnings.catch_warnings():
            # An anchor given again is said as a warning of our own (anchor_warnings), in the case's language.
            warnings.simplefilter("ignore", ReusedAnchorWarning)
            return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        problem = (exc.problem or "").strip()
        if "duplicate key" in problem or type(exc).__name__ == "DuplicateKeyError":
            key = re.search(r'found duplicate key "(.*?)"', str(exc))
            first = _first_key_line(text, exc.context_mark, key.group(1)) if key else None
            if key is None:
                message = phrase("duplicate key")
            elif first is None:
                message = phrase("duplicate key {key}", key=shown(key.group(1)))
            else:
                message = phrase("duplicate key {key} (first at line {line})", key=shown(key.group(1)), line=first)
            raise _error(name, line, col, message,
                         phrase("each key may appear once in a mapping; merge or remove one")) from None
        if "another document" in problem:
            ended = _document_end_before(text, line)
            if ended is not None:  # "..." ends the document, and something follows it
                raise _error(name, ended, 1, phrase("the YAML document ends here (`...`), but more follows; "
                                                    "a case file holds one document"),
                             phrase("remove this `...` line, or move what follows it into a file of its own")
                             ) from None
            raise _error(name, line, col, phrase("a second YAML document starts here; a case file holds one"),
                         phrase("remove this `---` and what follows, or give each case a file of its own")) from None
        context = (exc.context or "").strip()
        said: str = problem_words(problem)
        if context and exc.context_mark is not None and exc.context_mark.line + 1 != line:
            # an unclosed [ or {
            said = phrase("{problem} ({context})", problem=said,
                          context=context_words(context, exc.context_mark.line + 1))
        elif context:
            said = phrase("{problem} ({context})", problem=said, context=context_words(context))
        raise _error(name, line, col, phrase("YAML syntax error: {problem}", problem=said),
                     syntax_hint(problem)) from None
    except YAMLError as exc:
        raise _error(name, None, None, phrase("YAML error: {problem}", problem=str(exc)), None) from None
    except RecursionError:
        raise _error(name, None, None, phrase("nesting deeper than {n} levels", n=MAX_DEPTH),
                     phrase("a case file needs only a few levels of nesting")) from None
    except (ValueError, IndexError, TypeError) as exc:  # a constructor tripping over a value
        raise _error(name, None, None, phrase("cannot read this file as YAML: {problem}", problem=str(exc)),
                     phrase("quote values that are meant as text")) from None


def _document_end_before(text: str, line: int | None) -> int | None:
    """The line of the ``...`` that ends the document before ``line``, where ``line`` is no ``---``
    (the second document then starts without one); None where ``line`` starts with ``---``."""
    lines = _LINE_BREAK.split(text)
    if line is None or not 0 < line <= len(lines) or lines[line - 1].startswith("---"):
        return None
    return next((n + 1 for n in range(line - 2, -1, -1) if _DOCUMENT_END.match(lines[n])), None)


_DOCUMENT_END = re.compile(r"\.\.\.(?:[ \t]|$)")


def _first_key_line(text: str, mapping_mark: Any, key: str) -> int | None:
    """The line where ``key`` first occurs in the mapping that starts at ``mapping_mark``."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.error import YAMLError

    yaml = _round_trip_yaml()
    yaml.allow_duplicate_keys = True  # keeps the first occurrence, and its position
    try:
        tree = yaml.load(text)
    except (YAMLError, ValueError, IndexError, TypeError, RecursionError):
        return None
    start = (mapping_mark.line, mapping_mark.column) if mapping_mark is not None else None
    stack, seen = [tree], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:  # aliases can make the tree a graph
            continue
        seen.add(id(node))
        if isinstance(node, CommentedMap):
            if (node.lc.line, node.lc.col) == start:
                for k in node:
                    if str(k) == key:
                        return int(node.lc.key(k)[0]) + 1
            stack.extend(node.values())
        elif isinstance(node, CommentedSeq):
            stack.extend(node)
    return None


def parse_round_trip(text: str, name: str) -> Any:
    """Parse with positions (ruamel.yaml round trip), after the safety checks."""
    try:
        data = _parse_fast(text, name)  # bounds aliases and nesting before ruamel sees it
        _check_depth(data, text, name)
        return _parse_round_trip_or_raise(text, name)
    except CaseError as error:
        raise spoken(error, text) from None


def _check_depth(data: Any, text: str, name: str) -> None:
    # Level by level, mappings and lists only (most values are scalars): a non-empty one at
    # MAX_DEPTH has children deeper than allowed, whatever they are.
    level = [data] if isinstance(data, (dict, list)) else []
    for _ in range(MAX_DEPTH):
        level = [v for value in level for v in (value.values() if isinstance(value, dict) else value)
                 if isinstance(v, (dict, list))]
    if any(level):
        raise _nesting_error(text, name)


def plain(value: Any) -> Any:
    """Round-trip data as plain Python values (dict, list, str, int, float, bool, date)."""
    from ruamel.yaml.comments import TaggedScalar

    return _plain(value, TaggedScalar)


def _plain(value: Any, tagged: type) -> Any:
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, (bool, int, float)) else k: _plain(v, tagged) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, tagged) for v in value]
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, tagged):
        # `!tag value`: the fast parser ignores the tag and keeps the text; so do we.
        return str(getattr(value, "value", value))
    if isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day, value.hour, value.minute,
                           value.second, value.microsecond)
    return value


# ---------------------------------------------------------------- validating


def validate_data(data: Any, text: str | None = None) -> tuple[Case | None, list[Issue]]:
    """Validate plain case data: the shape, then the whole-case checks.

    Returns the case (None when its shape is wrong) and every issue found.
    ``text``, the YAML the data was read from, lets the text checks skip what
    the file cannot hold.
    """
    if data is None:
        return None, [Issue((), phrase("the file is empty (or holds only comments)"),
                            phrase("a case file is a mapping of keys; start it with `format: {format}`",
                                   format=FORMAT))]
    if not isinstance(data, dict):
        message = (phrase("a case file is a mapping of keys (format, id, ...), not a list") if isinstance(data, list)
                   else phrase("a case file is a mapping of keys (format, id, ...), not a single value"))
        return None, [Issue((), message, phrase("start the file with `format: {format}`", format=FORMAT))]
    fmt = data.get("format")
    if fmt != FORMAT:
        if "format" not in data:
            return None, [Issue((), phrase("missing `format:`: this does not say it is a kafka-tool case"),
                                phrase("add `format: {format}` as the first line", format=FORMAT))]
        message = (phrase("unsupported format {format}", format=repr(fmt)) if fmt is not None
                   else phrase("`format:` is empty"))
        return None, [Issue(("format",), message, phrase("this version reads `format: {format}`", format=FORMAT))]
    issues: list[Issue] = []
    case: Case | None = None
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        issues.extend(translate_validation_error(exc, data))
    issues.extend(check_case_data(data))
    issues.extend(check_text(data, text))
    return (case if not issues else None), issues


#: From how many touchpoints and documents a loaded case's elements share the sets of their set
#: fields' names (:meth:`Case.share_fields_sets`): 100 MB of 1.2 GB at 100,000 touchpoints, for
#: a quarter of a second; below it, the sets cost little and sharing them would cost time.
SHARED_FIELDS_FROM = 50_000


def load_text(text: str, name: str = "<case>") -> LoadedCase:
    """Load a case from YAML text, with its warnings; raise :class:`CaseError` listing every problem."""
    data = parse_fast(text, name)
    case, issues = validate_data(data, text)
    if issues:
        try:
            problems = locate(issues, text, name, data)
        except CaseError as error:
            raise spoken(error, text) from None
        raise CaseError(problems, declared_language(data))
    assert case is not None
    found = locate(text_warnings(data, text), text, name, data) + anchor_warnings(text, name)
    if len(case.touchpoints) + len(case.documents) >= SHARED_FIELDS_FROM:
        case.share_fields_sets()
    return LoadedCase(case, text, name, sort_problems(found))


def load_case_text(text: str, name: str = "<case>") -> Case:
    """Load a case from YAML text; raise :class:`CaseError` listing every problem."""
    return load_text(text, name).case


def load(path: str | os.PathLike[str], max_bytes: int | None = None) -> LoadedCase:
    """Load and validate a case file, keeping its text and its warnings.

    Raises :class:`CaseError` with every problem, each with its line, column
    and a hint.
    """
    return load_text(read_text(path, max_bytes), str(path))


def spoken(error: CaseError, text: str) -> CaseError:
    """``error`` knowing the language of the file it is about, read from ``text``'s top-level
    ``language:`` line when the file could not be parsed far enough to give it."""
    if error.language is None:
        error.language = _first_language(text)
    return error


def load_case(path: str | os.PathLike[str], max_bytes: int | None = None) -> Case:
    """Load and validate a case file.

    Raises :class:`CaseError` with every problem, each with its line, column
    and a hint.
    """
    return load(path, max_bytes).case


# ---------------------------------------------------------------- positions


def locate_issues(issues: list[Issue], tree: Any, name: str) -> list[Problem]:
    """Turn located-by-path issues into problems with line and column, sorted by position."""
    problems = []
    for issue in issues:
        line, col = position_of(tree, issue.loc, issue.at)
        problems.append(Problem(name, line, col, issue.message, issue.hint, issue.loc))
    return sort_problems(problems)


def position_of(tree: Any, loc: Loc, at: str = "value") -> tuple[int | None, int | None]:
    """1-based line and column of the key or value at ``loc`` in a round-trip tree.

    Where the path does not exist (a missing key), the nearest existing
    parent gives the position.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    node = tree
    best: tuple[int, int] | None = _node_position(tree)
    for i, step in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, CommentedMap) and step in node:
            try:
                if last and (at == "key" or node[step] is None):
                    # An empty value has no position of its own (ruamel gives the next token's).
                    line, col = node.lc.key(step)
                else:
                    line, col = node.lc.value(step)
                    child = node[step]
                    if isinstance(child, (CommentedMap, CommentedSeq)) and not last:
                        line, col = node.lc.key(step)
                best = (line, col)
            except (KeyError, TypeError, AttributeError):
                pass
            node = node[step]
        elif isinstance(node, CommentedSeq) and isinstance(step, int) and 0 <= step < len(node):
            with contextlib.suppress(KeyError, TypeError, AttributeError):
                best = node.lc.item(step)
            node = node[step]
        else:
            break
    if best is None:
        # The whole file (empty, or a single value) is meant: its start.
        return (1, 1) if not loc else (None, None)
    return best[0] + 1, best[1] + 1


def _node_position(node: Any) -> tuple[int, int] | None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, (CommentedMap, CommentedSeq)):
        return (node.lc.line, node.lc.col)
    return None


def parse_fast(text: str, name: str) -> Any:
    """Parse case text with the fast parser (no positions), after the safety checks; plain data."""
    try:
        data = _parse_fast(text, name)
        _check_depth(data, text, name)
    except CaseError as error:
        raise spoken(error, text) from None
    return data
