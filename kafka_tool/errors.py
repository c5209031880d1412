"""The core's exceptions and the problems they carry.

The core raises these; the CLI and the TUI decide how to show them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .i18n import Words

__all__ = [
    "CaseError",
    "Issue",
    "KafkaToolError",
    "Loc",
    "Problem",
    "closest",
    "said",
    "closest_few",
    "did_you_mean",
    "is_hidden_character",
    "shown",
    "terminal_safe",
]

#: Characters that change how text around them is drawn without being seen themselves:
#: bidirectional embeddings, overrides and isolates (which can make "abc" read as "cba"),
#: zero-width spaces and joiners, and the line and paragraph separators.
_HIDDEN = frozenset(
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0x200C, 0x200D, 0x200E, 0x200F,
     0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF, 0x061C, 0x180E, 0x2028, 0x2029]
)
#: What a terminal acts on instead of showing: C0 controls (but tab and line feed), DEL and C1.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def is_hidden_character(char: str) -> bool:
    r"""Whether ``char`` changes the look of text without being seen (bidi controls, zero-width).

    Examples
    --------
    >>> is_hidden_character("\u202e"), is_hidden_character("\u200b"), is_hidden_character("é")
    (True, True, False)
    """
    return ord(char) in _HIDDEN


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(value: object) -> str:
    r"""``value`` as a message quotes it: in single quotes, with every character that a
    terminal would act on or that cannot be seen written as an escape (``\x1b``, ``\u202e``).

    Every message that echoes something from a case file (an unknown id, a key, a value)
    quotes it with this function, so that the same value always reads the same way and no
    case file can move the cursor, clear the screen or reverse the text around it.

    Examples
    --------
    >>> shown("bnak")
    "'bnak'"
    >>> shown("a\x1b[2Jb")
    "'a\\x1b[2Jb'"
    >>> shown("abc\u202edcba")
    "'abc\\u202edcba'"
    """
    text = str(value)
    out = []
    for char in text:
        if char in "\t\n":
            out.append("\\t" if char == "\t" else "\\n")
        elif _CONTROL.match(char) or ord(char) in _HIDDEN or unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn"):
            out.append(_escape(char))
        else:
            out.append(char)
    return "'" + "".join(out) + "'"


def terminal_safe(text: str) -> str:
    r"""``text`` with every control character but tab and line feed written as an escape.

    The last guard before a terminal: whatever a message is made of, printing it cannot
    act on the terminal (clear it, set its title, write to the clipboard).

    Examples
    --------
    >>> terminal_safe("ok\x1b]52;c;Y3VybA==\x07")
    'ok\\x1b]52;c;Y3VybA==\\x07'
    >>> terminal_safe("two\nlines")
    'two\nlines'
    """
    if not _CONTROL.search(text) and not any(ord(c) in _HIDDEN for c in text):
        return text
    return "".join(_escape(c) if _CONTROL.match(c) or ord(c) in _HIDDEN else c for c in text)


#: A path into the case data: keys and list indexes, e.g. ("touchpoints", 3, "requires", 0).
Loc = tuple[str | int, ...]


class KafkaToolError(Exception):
    """Base of every error the core raises on purpose."""

    def say(self, language_words: Words) -> str:
        """The error in the language of ``language_words`` (its message may be a :class:`~kafka_tool.i18n.Phrase`)."""
        if len(self.args) == 1 and isinstance(self.args[0], str):
            return language_words.say_message(self.args[0])
        return str(self)


@dataclass(frozen=True)
class Issue:
    """A problem found in case data, located by its path in the data.

    ``at`` says whether the position is that of the value (``"value"``) or of
    its key (``"key"``): an unknown key is shown at the key, a bad value at
    the value. ``message`` and ``hint`` are :class:`~kafka_tool.i18n.Phrase` values
    where the code says them: English as text, and said in a language when shown.
    """

    loc: Loc
    message: str
    hint: str | None = None
    at: str = "value"


@dataclass(frozen=True)
class Problem:
    """A problem in a file, at a line and column (1-based), with a hint."""

    file: str
    line: int | None
    column: int | None
    message: str
    hint: str | None = None
    loc: Loc = ()

    def location(self) -> str:
        """``FILE:LINE:COL`` (as much of it as is known)."""
        parts = [terminal_safe(self.file)]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def warning(self, language_words: Words | None = None) -> str:
        """The problem said as a warning: ``FILE:LINE:COL: warning: ...`` (in English, or in the
        language of ``language_words``: ``waarschuwing:``)."""
        say = _english(language_words)
        message = say.say("warning: {message}", message=terminal_safe(say.say_message(self.message)))
        return f"{self.location()}: {message}" + self._hint(say)

    def say(self, language_words: Words | None = None) -> str:
        """``FILE:LINE:COL: message`` and its hint on the next line, in the language of ``language_words``
        (English without)."""
        say = _english(language_words)
        return f"{self.location()}: {terminal_safe(say.say_message(self.message))}" + self._hint(say)

    def _hint(self, say: Words) -> str:
        if not self.hint:
            return ""
        return "\n    " + say.say("hint: {hint}", hint=terminal_safe(say.say_message(self.hint)))

    def __str__(self) -> str:
        return self.say()


def _english(language_words: Words | None) -> Words:
    if language_words is not None:
        return language_words
    from .i18n import words

    return words("en")


@dataclass
class CaseError(KafkaToolError):
    """A case file that cannot be used, with every problem found in it.

    ``language`` is the ``language`` the file declares, when it could be read far enough
    to see it: the language to say the problems in when the user chose none.
    """

    problems: list[Problem] = field(default_factory=list)
    language: str | None = None

    def __post_init__(self) -> None:
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def say(self, language_words: Words) -> str:
        """Every problem, in the language of ``language_words``."""
        return "\n".join(p.say(language_words) for p in self.problems)


def said(error: BaseException, language_words: Words) -> str:
    """Any error in the language of ``language_words``: the core's own in its words, another as it says itself."""
    return error.say(language_words) if isinstance(error, KafkaToolError) else str(error)


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to ``word``, or None when nothing is close."""
    found = closest_few(word, candidates, 1)
    return found[0] if found else None


def closest_few(word: str, candidates: Iterable[str], n: int) -> list[str]:
    """Up to ``n`` candidates close to ``word``, the closest first (none when nothing is close)."""
    # str(): YAML keys may be numbers or true/false, which do not sort with text.
    pool = sorted({str(c) for c in candidates})
    if not pool:
        return []
    import difflib  # only when something is misspelt

    matches = difflib.get_close_matches(word, pool, n=n, cutoff=0.6)
    if n == 1 and matches:
        return matches
    # A prefix or substring is a good guess too ("brp" for "brp_registration"; a finding's kind for its ids).
    contained = [c for c in pool if word and (word in c or c in word) and c not in matches]
    return [*matches, *contained][:n]


def did_you_mean(word: str, candidates: Sequence[str] | Iterable[str], what: str,
                 say: Words | None = None, n: int = 1) -> str | None:
    """A hint naming the closest candidate (up to ``n`` of them), or listing the candidates when few.

    ``what`` names the candidates in the plural ("personas"); with ``say`` the hint is in its
    language (and ``what`` must be too), else it is a :class:`~kafka_tool.i18n.Phrase`, English
    as text and said in a language when shown (``what`` a phrase too, then).
    """
    from .i18n import phrase, phrase_list

    pool = sorted({str(c) for c in candidates})
    best = closest_few(word, pool, n)
    hint: str | None = None
    if best:
        hint = phrase("did you mean {name}?", name=phrase_list([shown(b) for b in best], "or"))
    elif not pool:
        hint = phrase("the case has no {what} yet", what=what)
    elif len(pool) <= 12:
        hint = phrase("known {what}: {names}", what=what, names=", ".join(terminal_safe(p) for p in pool))
    return say.say_message(hint) if say is not None and hint is not None else hint
