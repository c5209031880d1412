"""Every word the tool writes, in English and Dutch, from one message catalogue.

The English text is the message itself (as gettext has it); the Dutch is in
``kafka_tool/locale/nl/LC_MESSAGES/kafka_tool.po``, read with Babel. One object,
:class:`Words`, looks a message up and fills it in, with the plural rules and the
list patterns of the language (Babel's CLDR data): "a, b and c", "a, b en c".

Write a message in the code as ``words.say("Dead end at {touchpoint}", touchpoint=...)``
or ``words.say_n("{n} step", "{n} steps", n)``; ``pybabel extract`` (see
``babel.cfg``) finds them, and a test checks that every message has its Dutch. A
message meant to be found but said elsewhere is marked with :func:`N_`.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any, Literal

__all__ = ["LANGUAGES", "N_", "Words", "catalogue", "words"]

#: The languages the tool speaks, as a case's ``language`` names them.
LANGUAGES = ("en", "nl")
#: The CLDR locale of each language: British English writes "a, b and c", without a comma before "and".
_LOCALES = {"en": "en_GB", "nl": "nl"}
_DOMAIN = "kafka_tool"


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it here (it is said later)."""
    return message


@cache
def catalogue(language: str) -> gettext.NullTranslations:
    """The translations of ``language`` (English: the messages themselves)."""
    if language not in LANGUAGES:
        raise ValueError(f"no words for language {language!r}; use one of: {', '.join(LANGUAGES)}")
    if language == "en":
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    source = resources.files("kafka_tool").joinpath(f"locale/{language}/LC_MESSAGES/{_DOMAIN}.po")
    with source.open("rb") as handle:
        po = read_po(handle, locale=_LOCALES[language], domain=_DOMAIN)
    # Compiled in memory: the .po file is the one source, and a .mo file kept beside it
    # could go stale.
    buffer = io.BytesIO()
    write_mo(buffer, po, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class Words:
    """The messages of one language, filled in.

    Examples
    --------
    >>> nl = Words("nl")
    >>> nl.list(["de bank", "de gemeente", "UWV"])
    'de bank, de gemeente en UWV'
    >>> Words("en").say_n("{n} step", "{n} steps", 2)
    '2 steps'
    """

    def __init__(self, language: str) -> None:
        self.language = language
        self._catalogue = catalogue(language)
        self.locale = _LOCALES[language]

    def say(self, message: str, **values: Any) -> str:
        """``message`` in this language, with ``values`` filled in."""
        text = self._catalogue.gettext(message)
        return text.format(**values) if values else text

    def say_n(self, singular: str, plural: str, n: int, **values: Any) -> str:
        """The singular or the plural, as ``n`` and the language's rules ask; ``{n}`` is ``n``."""
        return self._catalogue.ngettext(singular, plural, n).format(n=n, **values)

    def list(self, items: Iterable[str], conjunction: str = "and", limit: int = 6) -> str:
        """Items joined as the language joins them: 'a, b and c' (``conjunction`` "or": 'a, b or c').

        More than ``limit`` items end in "and N more"; no items at all is "nobody". Items that
        hold commas themselves ("Amira, 24, status holder") are kept apart by semicolons.
        """
        from babel.lists import format_list

        names = list(dict.fromkeys(items))
        if not names:
            return self.say("nobody")
        if len(names) > limit:
            rest = len(names) - limit
            names = [*names[:limit], self.say_n("{n} more", "{n} more", rest)]
        style: Literal["standard", "or"] = "or" if conjunction == "or" else "standard"
        if not any("," in name for name in names):
            return str(format_list(names, style=style, locale=self.locale))
        # The language's own pattern, with semicolons where it puts commas.
        marker = "\u0000"
        joined = str(format_list([marker + str(i) + marker for i in range(len(names))], style=style,
                                 locale=self.locale))
        joined = joined.replace(",", ";")
        for i, name in enumerate(names):
            joined = joined.replace(marker + str(i) + marker, name)
        return joined

    def number(self, value: float) -> str:
        """A number as a person writes it: 18, 2.5 (no trailing .0)."""
        return str(int(value)) if float(value).is_integer() else str(value)

    def count(self, value: int) -> str:
        """A large whole number with the language's grouping: 20,000 and 20.000."""
        from babel.numbers import format_decimal

        return str(format_decimal(value, locale=self.locale))


@cache
def words(language: str) -> Words:
    """The :class:`Words` of ``language`` (shared: they hold no state of their own)."""
    return Words(language)
