"""The YAML parsers' problems in the catalogue's words.

ruamel.yaml (the parser with positions) says a problem in two parts: what is wrong
("found character '@' that cannot start any token") and what it was reading
("while scanning for the next token"), both in English and with parts that vary (the
character, an alias's name, a token such as ``<block end>``). yaml-rs (the fast parser,
whose words are shown only for a file too large to parse again) says it in one line
("while parsing a flow mapping, did not find expected ',' or '}'"). Each is matched here,
exactly or by a pattern, and said as a :class:`~kafka_tool.i18n.Phrase`; what no entry
matches is kept in the parser's English.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .i18n import N_, Phrase, phrase

__all__ = ["context_words", "problem_words", "split_fast", "syntax_hint"]

#: Problems said as they are, without parts that vary.
_EXACT = {
    "mapping values are not allowed here": N_("mapping values are not allowed here"),
    "could not find expected ':'": N_("could not find expected ':'"),
    "found unexpected end of stream": N_("found unexpected end of stream"),
    "did not find expected key": N_("did not find expected key"),
    "did not find expected node content": N_("did not find expected node content"),
    "did not find expected ',' or ']'": N_("did not find expected ',' or ']'"),
    "did not find expected ',' or '}'": N_("did not find expected ',' or '}'"),
    "found character '\\t' that cannot start any token": N_("found character '\\t' that cannot start any token"),
    "cannot parse": N_("cannot parse"),
    "sequence entries are not allowed here": N_("sequence entries are not allowed here"),
    "mapping keys are not allowed here": N_("mapping keys are not allowed here"),
    "more indented follow up line than first in a block scalar":
        N_("more indented follow up line than first in a block scalar"),
    "found unexpected document separator": N_("found unexpected document separator"),
    "found unexpected ':'": N_("found unexpected ':'"),
    "found incompatible YAML document (version 1.* is required)":
        N_("found incompatible YAML document (version 1.* is required)"),
    "found duplicate YAML directive": N_("found duplicate YAML directive"),
    "expected indentation indicator in the range 1-9, but found 0":
        N_("expected indentation indicator in the range 1-9, but found 0"),
    # yaml-rs's words for the same problems
    "mapping values are not allowed in this context": N_("mapping values are not allowed here"),
    "simple key expect ':'": N_("could not find expected ':'"),
    "illegal placement of ':' indicator": N_("found unexpected ':'"),
    "found unknown anchor": N_("found an alias to an anchor that is not defined"),
    "found unknown escape character": N_("found unknown escape character"),
    "found an indentation indicator equal to 0": N_("expected indentation indicator in the range 1-9, but found 0"),
    "did not find expected alphabetic or numeric character":
        N_("did not find expected alphabetic or numeric character"),
    "did not find expected comment or line break": N_("did not find expected comment or line break"),
    "did not find the expected '>'": N_("did not find the expected '>'"),
    "did not find expected <document start>": N_("did not find expected <document start>"),
    "found a tab": N_("found a tab"),
    "tabs disallowed within this context (block indentation)": N_("found a tab"),
    "invalid indentation in multiline quoted scalar": N_("invalid indentation in multiline quoted scalar"),
    "invalid trailing content after double-quoted scalar": N_("invalid trailing content after a quoted text"),
    '"-" is only valid inside a block': N_("'-' is only valid inside a block"),
    "misplaced bracket": N_("misplaced bracket"),
    "missing explicit document end marker before directive":
        N_("missing explicit document end marker before directive"),
}

#: What a parser was reading, alone and with the line where it started: each its own
#: message, so that each language can say "that" as its noun needs ("een sleutel die",
#: "een blok dat").
_CONTEXTS = {
    "while scanning a simple key": (N_("while scanning a simple key"),
                                    N_("while scanning a simple key that starts at line {line}")),
    "while parsing a block mapping": (N_("while parsing a block mapping"),
                                      N_("while parsing a block mapping that starts at line {line}")),
    "while parsing a block collection": (N_("while parsing a block collection"),
                                         N_("while parsing a block collection that starts at line {line}")),
    "while parsing a flow mapping": (N_("while parsing a flow mapping"),
                                     N_("while parsing a flow mapping that starts at line {line}")),
    "while parsing a flow sequence": (N_("while parsing a flow sequence"),
                                      N_("while parsing a flow sequence that starts at line {line}")),
    "while scanning a quoted scalar": (N_("while scanning a quoted scalar"),
                                       N_("while scanning a quoted scalar that starts at line {line}")),
    "while parsing a quoted scalar": (N_("while scanning a quoted scalar"),
                                      N_("while scanning a quoted scalar that starts at line {line}")),
    "while scanning a double-quoted scalar": (
        N_("while scanning a double-quoted scalar"),
        N_("while scanning a double-quoted scalar that starts at line {line}")),
    "while scanning a block scalar": (N_("while scanning a block scalar"),
                                      N_("while scanning a block scalar that starts at line {line}")),
    "while scanning a plain scalar": (N_("while scanning a plain scalar"),
                                      N_("while scanning a plain scalar that starts at line {line}")),
    "while scanning for the next token": (N_("while scanning for the next token"),
                                          N_("while scanning for the next token that starts at line {line}")),
    "while scanning an anchor": (N_("while scanning an anchor"),
                                 N_("while scanning an anchor that starts at line {line}")),
    "while scanning an alias": (N_("while scanning an alias"),
                                N_("while scanning an alias that starts at line {line}")),
    "while scanning an anchor or alias": (N_("while scanning an anchor or alias"),
                                          N_("while scanning an anchor or alias that starts at line {line}")),
    "while scanning a tag": (N_("while scanning a tag"), N_("while scanning a tag that starts at line {line}")),
    "while parsing a tag": (N_("while scanning a tag"), N_("while scanning a tag that starts at line {line}")),
    "while scanning a verbatim tag": (N_("while scanning a tag"),
                                      N_("while scanning a tag that starts at line {line}")),
    "while scanning a directive": (N_("while scanning a directive"),
                                   N_("while scanning a directive that starts at line {line}")),
    "while parsing a node": (N_("while parsing a node"), N_("while parsing a node that starts at line {line}")),
    "while parsing node": (N_("while parsing a node"), N_("while parsing a node that starts at line {line}")),
    "while parsing a flow node": (N_("while parsing a node"),
                                  N_("while parsing a node that starts at line {line}")),
    "while parsing a block node": (N_("while parsing a node"),
                                   N_("while parsing a node that starts at line {line}")),
    "while composing a mapping": (N_("while parsing a block mapping"),
                                  N_("while parsing a block mapping that starts at line {line}")),
}

#: The parser's names of what it expected or found (its tokens, and a few characters
#: that cannot be shown as they are).
_TOKENS = {
    "<block end>": N_("the end of the block"),
    "<block sequence start>": N_("a list item ('-')"),
    "<block mapping start>": N_("a key"),
    "<scalar>": N_("a value"),
    "<alias>": N_("an alias ('*')"),
    "<anchor>": N_("an anchor ('&')"),
    "<tag>": N_("a tag ('!')"),
    "<stream end>": N_("the end of the file"),
    "<stream start>": N_("the start of the file"),
    "<document start>": N_("the start of a document ('---')"),
    "<document end>": N_("the end of a document ('...')"),
    "<directive>": N_("a directive ('%')"),
    "<comment>": N_("a comment"),
    "the node content": N_("a value"),
    "a comment or a line break": N_("a comment or the end of the line"),
    "alphabetic or numeric character": N_("a letter or a digit"),
    "chomping or indentation indicators": N_("'+', '-' or a digit"),
    "a digit": N_("a digit"),
    "a digit or '.'": N_("a digit or '.'"),
    "URI": N_("the rest of the tag"),
    "\\n": N_("the end of the line"),
    "\\r": N_("the end of the line"),
    "\\x00": N_("the end of the file"),
    "\\0": N_("the end of the file"),
    " ": N_("a space"),
    "\\t": N_("a tab"),
}


def _token(text: str) -> str:
    """A token or character the parser names, in the catalogue's words; another one quoted as it is."""
    bare = text.strip()
    tuple_repr = re.fullmatch(r"\((.*),\)", bare)  # "but found ('<stream end>',)"
    if tuple_repr:
        bare = tuple_repr.group(1).strip()
    if len(bare) >= 2 and bare[0] == bare[-1] and bare[0] in "'\"":
        inner = bare[1:-1]
        if inner in _TOKENS:
            return phrase(_TOKENS[inner])
        return bare
    return phrase(_TOKENS[bare]) if bare in _TOKENS else bare


def _said_with(message: str, **parts: Callable[[str], str]) -> Callable[[re.Match[str]], Phrase]:
    def say(match: re.Match[str]) -> Phrase:
        return phrase(message, **{name: how(match.group(name)) for name, how in parts.items()})
    return say


def _as_is(text: str) -> str:
    return text


def _quoted(text: str) -> str:
    """A character or name from a yaml-rs message (written `x') as ruamel quotes it: 'x'."""
    return "'" + text + "'"


#: Problems with parts that vary: a pattern, and how to say what it found.
_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Phrase]]] = [
    (re.compile(r"found character (?P<char>'.+') that cannot start any token"),
     _said_with(N_("found character {char} that cannot start any token"), char=_as_is)),
    (re.compile(r"unexpected character: `(?P<char>.+)'"),
     _said_with(N_("found character {char} that cannot start any token"), char=_quoted)),
    (re.compile(r"found undefined alias (?P<name>'.+')"),
     _said_with(N_("found undefined alias {name}"), name=_as_is)),
    (re.compile(r"found unknown escape character (?P<char>'.+')"),
     _said_with(N_("found unknown escape character {char}"), char=_as_is)),
    (re.compile(r"found undefined tag handle (?P<handle>'.+')"),
     _said_with(N_("found undefined tag handle {handle}"), handle=_as_is)),
    (re.compile(r"duplicate tag handle (?P<handle>'.+')"),
     _said_with(N_("duplicate tag handle {handle}"), handle=_as_is)),
    (re.compile(r"expected ',' or '\]', but got (?P<found>.+)"),
     _said_with(N_("expected ',' or ']', but found {found}"), found=_token)),
    (re.compile(r"expected ',' or '\}', but got (?P<found>.+)"),
     _said_with(N_("expected ',' or '}}', but found {found}"), found=_token)),
    (re.compile(r"expected escape sequence of (?P<n>\d+) hexdecimal numbers, but found (?P<found>.+)"),
     _said_with(N_("expected escape sequence of {n} hexadecimal digits, but found {found}"), n=_as_is,
                found=_token)),
    (re.compile(r"expected URI escape sequence of 2 hexdecimal numbers, but found (?P<found>.+)"),
     _said_with(N_("expected 2 hexadecimal digits after '%', but found {found}"), found=_token)),
    (re.compile(r"found non-comment content after document end marker, (?P<found>.+)"),
     _said_with(N_("found {found} after the end of the document ('...')"), found=_token)),
    (re.compile(r"expected (?P<expected>.+?),? but found (?P<found>.+)"),
     _said_with(N_("expected {expected}, but found {found}"), expected=_token, found=_token)),
]


def problem_words(problem: str) -> str:
    """A YAML parser's problem in the catalogue's words (as a phrase), or as the parser said it."""
    problem = problem.strip()
    known = _EXACT.get(problem)
    if known is not None:
        return phrase(known)
    for pattern, say in _PATTERNS:
        match = pattern.fullmatch(problem)
        if match:
            return say(match)
    return problem


def context_words(context: str, line: int | None = None) -> str:
    """What the parser was reading, in the catalogue's words; ``line``: where that started."""
    known = _CONTEXTS.get(context.strip())
    if known is None:
        return context if line is None else phrase("{context} that starts at line {line}", context=context,
                                                     line=line)
    return phrase(known[0]) if line is None else phrase(known[1], line=line)


def split_fast(message: str) -> tuple[str | None, str]:
    """yaml-rs's one line, "while parsing a flow mapping, did not find expected ',' or '}'", in its two parts."""
    match = re.fullmatch(r"(while [^,]+), (.+)", message.strip())
    if match and match.group(1) in _CONTEXTS:
        return match.group(1), match.group(2)
    return None, message.strip()


def syntax_hint(problem: str) -> Phrase:
    """What would be right, for a problem as the parser says it."""
    if "tab" in problem or "'\\t'" in problem:
        return phrase("indent with spaces, not tabs")
    if "mapping values are not allowed" in problem:
        return phrase("a value containing ': ' must be quoted, or check the indentation")
    if "could not find expected ':'" in problem or "simple key expect ':'" in problem:
        return phrase("check the indentation and that every key ends with ':'")
    start = re.search(r"found character '(.+)' that cannot start any token|unexpected character: `(.+)'", problem)
    if start:
        return phrase("a text that starts with {char} must be in quotes: \"{char}...\"",
                      char=start.group(1) or start.group(2))
    if "undefined alias" in problem or "unknown anchor" in problem:
        return phrase("give the value an anchor (&name) before the alias (*name), or write the value itself")
    if "escape character" in problem:
        return phrase("write a backslash as \\\\, or put the text in single quotes")
    if "alphabetic or numeric" in problem:
        return phrase("write a name right after & or *, or put a text that starts with & or * in quotes")
    if "tag handle" in problem or ("tag" in problem and "'>'" in problem):
        return phrase("remove it: a case file holds only text, numbers, dates, lists and maps")
    if "sequence entries are not allowed" in problem or "'-' is only valid" in problem \
            or '"-" is only valid' in problem:
        return phrase("check the indentation: a list item ('- ') starts a line of its own, under its key")
    return phrase("check the indentation and quoting around this line")
