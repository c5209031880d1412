"""The core's exceptions and the problems they carry.

The core raises these; the CLI and the TUI decide how to show them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = [
    "CaseError",
    "Issue",
    "KafkaToolError",
    "Loc",
    "Problem",
    "closest",
    "did_you_mean",
]

#: A path into the case data: keys and list indexes, e.g. ("touchpoints", 3, "requires", 0).
Loc = tuple[str | int, ...]


class KafkaToolError(Exception):
    """Base of every error the core raises on purpose."""


@dataclass(frozen=True)
class Issue:
    """A problem found in case data, located by its path in the data.

    ``at`` says whether the position is that of the value (``"value"``) or of
    its key (``"key"``): an unknown key is shown at the key, a bad value at
    the value.
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
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


@dataclass
class CaseError(KafkaToolError):
    """A case file that cannot be used, with every problem found in it."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to ``word``, or None when nothing is close."""
    # str(): YAML keys may be numbers or true/false, which do not sort with text.
    pool = sorted({str(c) for c in candidates})
    if not pool:
        return None
    matches = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if matches:
        return matches[0]
    # A prefix or substring is a good guess too ("brp" for "brp_registration").
    contained = [c for c in pool if word and (word in c or c in word)]
    return contained[0] if contained else None


def did_you_mean(word: str, candidates: Sequence[str] | Iterable[str], what: str) -> str | None:
    """A hint naming the closest candidate, or listing the candidates when few."""
    pool = sorted({str(c) for c in candidates})
    best = closest(word, pool)
    if best is not None:
        return f"did you mean '{best}'?"
    if not pool:
        return f"the case has no {what} yet"
    if len(pool) <= 12:
        return f"known {what}: " + ", ".join(pool)
    return None
