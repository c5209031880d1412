"""Saying findings: from the facts a detector found to the sentences people read.

Detectors return findings without words: ids, values and trails (``Finding.facts``).
This module says them in a language, with the words of the catalogue
(:mod:`kafka_tool.i18n`); each kind's own sentences are written beside its detector
and named in :mod:`.kinds`. The same findings can so be said again in the other
language without analysing again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..findings import Finding
from ..i18n import Words, words
from ..model import Case
from .graph import CaseIndex
from .regions import attribute_label

__all__ = ["Said", "Speaker", "Wording", "currency_unit", "name_in_sentence", "say_findings"]

#: A finding's words: its title, its explanation and its evidence lines.
Said = tuple[str, str, list[str]]


class Speaker:
    """What a kind's wording needs: the words of a language, and the names of the case.

    ``said`` holds the findings said so far by id (an unreachable goal names its causes by
    their titles).
    """

    def __init__(self, index: CaseIndex, language_words: Words, said: Mapping[str, Finding]) -> None:
        self.index = index
        self.words = language_words
        self.said = said
        self._names: dict[tuple[tuple[str, ...], str], str] = {}
        self._quoted: dict[str, str] = {}

    @property
    def language(self) -> str:
        return self.words.language

    def say(self, message: str, **values: Any) -> str:
        """A message of the catalogue, filled in."""
        return self.words.say(message, **values)

    def say_n(self, singular: str, plural: str, n: int, **values: Any) -> str:
        """A message whose form follows ``n``."""
        return self.words.say_n(singular, plural, n, **values)

    def name(self, ident: str) -> str:
        """The name of an element (its id when it has none), as a sentence holds it.

        A rule's name (a statement: "Shelter only for who cannot cope alone"), and any name
        that holds punctuation of its own ("Ingrid, 46, depression after burn-out",
        "Objection at the UWV (grounds, hearing, decision)"), is set in quotes, so that a
        sentence around it still reads as one: see :func:`name_in_sentence`.
        """
        said = self._quoted.get(ident)
        if said is None:
            said = self._quoted[ident] = name_in_sentence(self.index.name(ident), self.words,
                                                          statement=ident in self.index.rules)
        return said

    def names(self, ids: Iterable[str], conjunction: str = "and") -> str:
        """Names joined as the language joins them; 'nobody' for none."""
        key = (tuple(ids), conjunction)
        said = self._names.get(key)
        if said is None:  # the same people and owners come back in finding after finding
            said = self._names[key] = self.words.list([self.name(i) for i in key[0]], conjunction)
        return said

    def number(self, value: float) -> str:
        """A number as written: 18, 2.5."""
        return self.words.number(value)

    def count(self, value: int) -> str:
        """A large whole number, grouped as the language groups it: 20,000 or 20.000."""
        return self.words.count(value)

    def money(self, amount: float) -> str:
        """An amount in the case's currency, to the cent: '€ 300', '£ 12.5'."""
        return self.words.money(round(float(amount), 2), self.index.case.currency)

    def attribute(self, name: str) -> str:
        """The words for an attribute: its ``label``, or its name with spaces for underscores."""
        return attribute_label(name, self.index.case.attributes.get(name))

    def percent(self, share: float) -> str:
        """A share as a whole percentage, as the language writes it: 130%."""
        return self.words.percent(share)

    def currency_unit(self, name: str) -> str | None:
        """The currency's name ('euro') when one unit of the attribute ``name`` is one whole currency unit.

        None for an attribute that is not money, or whose unit is worth something else
        (``unit_amount: 14.6``, a percentage of the social minimum).
        """
        return currency_unit(self.index.case, name, self.words)


#: What makes a name more than a noun in a sentence: punctuation a reader would take for the
#: sentence's own (a comma, a colon, a semicolon, brackets, a full stop, a question mark).
_PUNCTUATED = re.compile(r"[,;:()\[\]?!]|\.(?:\s|$)")


def name_in_sentence(name: str, language_words: Words, statement: bool = False) -> str:
    """``name`` as a sentence holds it: in the language's quotes when it is a ``statement``
    (a rule's name) or holds punctuation.

    A name written as a description ("Fatima (social assistance, rents)") or a sentence of
    its own ("Decision: no WIA benefit", a rule's "Benefits stop above the norm") would
    break the sentence it is put in; quoted, it reads as one name. Another name stays as
    it is. The same rule in every finding.

    >>> from kafka_tool.i18n import words
    >>> name_in_sentence("Ingrid, 46, depression", words("en")), name_in_sentence("UWV", words("nl"))
    ('“Ingrid, 46, depression”', 'UWV')
    >>> name_in_sentence("Bezwaar maken (hoorzitting)", words("nl"))
    '„Bezwaar maken (hoorzitting)”'
    """
    if not statement and not _PUNCTUATED.search(name):
        return name
    return language_words.say("“{name}”", name=name)


def currency_unit(case: Case, name: str, language_words: Words) -> str | None:
    """The case currency's name when one unit of the attribute ``name`` is one whole currency unit, else None."""
    spec = case.attributes.get(name)
    money = getattr(spec, "money", None)
    if money is None or float(money.unit_amount) != 1.0:
        return None
    return language_words.currency_name(case.currency, 1)


#: A kind's wording: a finding without words (and the speaker) to its words.
Wording = Callable[[Finding, Speaker], Said]


def say_findings(findings: list[Finding], index: CaseIndex, language: str) -> list[Finding]:
    """``findings`` with their titles, explanations and evidence said in ``language``.

    The findings are an analysis's own, just found: their words are set on them, in place
    (a copy of each would hold every finding twice while they are said: a tenth of the
    memory of an analysis of 100,000 touchpoints). The kinds that name other findings (see
    :attr:`.kinds.FindingKind.after`) are said last, when the findings they name have their
    words.
    """
    from .kinds import finding_kind

    said: dict[str, Finding] = {}
    speaker = Speaker(index, words(language), said)
    kinds = {kind: finding_kind(kind) for kind in {f.kind for f in findings}}
    for finding in sorted(findings, key=lambda f: kinds[f.kind].after):
        title, explanation, evidence = kinds[finding.kind].say(finding, speaker)
        # Set past the frozen dataclass's guard: the finding is this analysis's own, just found.
        object.__setattr__(finding, "title", title)
        object.__setattr__(finding, "explanation", " ".join(explanation.split()))
        object.__setattr__(finding, "evidence", tuple(evidence))
        said[finding.id] = finding
    return findings
