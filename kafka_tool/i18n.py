"""Every word the tool writes, in English and Dutch, from one message catalogue.

The English text is the message itself (as gettext has it); the Dutch is in
``kafka_tool/locale/nl/LC_MESSAGES/kafka_tool.po``, read with Babel. One object,
:class:`Words`, looks a message up and fills it in, with the plural rules and the
list patterns of the language (Babel's CLDR data): "a, b and c", "a, b en c".

Write a message in the code as ``words.say("Dead end at {touchpoint}", touchpoint=...)``
or ``words.say_n("{n} step", "{n} steps", n)``; ``pybabel extract`` (see
``babel.cfg``) finds them, and a test checks that every message has its Dutch. A
message meant to be found but said elsewhere is marked with :func:`N_` (:func:`N_n` with its plural).

A message made before its language is known (the loader's and the checks' problems, found
before the case says its ``language`` and kept as they are) is a :class:`Phrase`, written
``phrase("unknown actor {name}", name=...)`` or ``phrase_n(...)``: as text it is the English,
and ``words.say_message(p)`` says it in the language of ``words``.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import hashlib
import io
import os
import re
import struct
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["LANGUAGES", "N_", "N_n", "Phrase", "Words", "catalogue", "phrase", "phrase_count", "phrase_join",
           "phrase_list", "phrase_n", "phrase_number", "system_language", "words"]

#: The languages the tool speaks, as a case's ``language`` names them.
LANGUAGES = ("en", "nl")
#: The CLDR locale of each language: British English writes "a, b and c", without a comma before "and".
_LOCALES = {"en": "en_GB", "nl": "nl"}
_DOMAIN = "kafka_tool"
#: A name set in quotes, in either language ("“…”", "„…”").
_QUOTED = re.compile("[“„][^”]*”")


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """The language of the system's locale: ``nl`` when it is Dutch, else ``en``.

    The variables are read as gettext reads them: the first of ``LANGUAGE``, ``LC_ALL``,
    ``LC_MESSAGES`` and ``LANG`` that is set decides (``LANGUAGE`` may list several,
    ``nl:en``; its first language the tool speaks wins).

    >>> system_language({"LANG": "nl_NL.UTF-8"}), system_language({"LC_ALL": "C", "LANG": "nl_BE"})
    ('nl', 'en')
    """
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if not value:
            continue
        for part in value.split(":"):
            language = part.split("_")[0].split(".")[0].lower()
            if language in LANGUAGES:
                return language
        if name != "LANGUAGE":  # a locale that is set but not ours ("C", "fr_FR") means English
            return "en"
    return "en"


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it here (it is said later)."""
    return message


def N_n(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with a plural for the catalogue without saying it here (it is said later)."""
    return singular, plural


class Phrase(str):
    """A message of the catalogue, said in a language only when it is shown.

    As a ``str`` it is the English (so it compares, sorts and prints as the English does);
    :meth:`in_` says it in the language of a :class:`Words`. Values that are phrases
    themselves are said in that language too; every other value is kept as it is (the
    names, keys and values a user wrote).

    Examples
    --------
    >>> p = phrase("did you mean {name}?", name=phrase_list(["'bank'", "'bsn'"], "or"))
    >>> str(p), p.in_(words("nl"))
    ("did you mean 'bank' or 'bsn'?", "bedoel je 'bank' of 'bsn'?")
    """

    __slots__ = ("how",)
    how: tuple[Any, ...]

    def __new__(cls, how: tuple[Any, ...]) -> Phrase:
        made = super().__new__(cls, _said(how, words("en")))
        made.how = how
        return made

    def in_(self, language_words: Words) -> str:
        """The phrase in the language of ``language_words``."""
        return _said(self.how, language_words)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Phrase, (self.how,))


def _values_in(values: Mapping[str, Any], language_words: Words) -> dict[str, Any]:
    return {key: value.in_(language_words) if isinstance(value, Phrase) else value for key, value in values.items()}


def _said(how: tuple[Any, ...], language_words: Words) -> str:
    kind = how[0]
    if kind == "say":
        return language_words.say(how[1], **_values_in(how[2], language_words))
    if kind == "say_n":
        return language_words.say_n(how[1], how[2], how[3], **_values_in(how[4], language_words))
    if kind == "count":
        return language_words.count(how[1])
    if kind == "number":
        return language_words.number(how[1])
    items = [item.in_(language_words) if isinstance(item, Phrase) else item for item in how[1]]
    if kind == "join":
        return str(how[2]).join(items)
    return language_words.list(items, how[2], how[3])


def phrase(message: str, /, **values: Any) -> Phrase:
    """``message`` with ``values``, to be said later (see :class:`Phrase`)."""
    return Phrase(("say", message, values))


def phrase_n(singular: str, plural: str, n: int, /, **values: Any) -> Phrase:
    """The singular or the plural of a message, as ``n`` asks, to be said later."""
    return Phrase(("say_n", singular, plural, n, values))


def phrase_list(items: Iterable[str], conjunction: str = "and", limit: int = 6) -> Phrase:
    """Items joined as the language joins them ('a, b or c'; see :meth:`Words.list`), later."""
    return Phrase(("list", tuple(items), conjunction, limit))


def phrase_count(value: int) -> Phrase:
    """A large whole number, grouped as the language groups it when said (20,000 and 20.000)."""
    return Phrase(("count", value))


def phrase_number(value: float) -> Phrase:
    """A number with the language's decimal sign when said (2.5 and 2,5; see :meth:`Words.number`)."""
    return Phrase(("number", value))


def phrase_join(separator: str, items: Iterable[str]) -> Phrase:
    """Phrases (and plain text) joined by ``separator``, each said in the language later."""
    return Phrase(("join", tuple(items), separator))


@cache
def catalogue(language: str) -> gettext.NullTranslations:
    """The translations of ``language`` (English: the messages themselves)."""
    if language not in LANGUAGES:
        raise ValueError(f"no words for language {language!r}; use one of: {', '.join(LANGUAGES)}")
    if language == "en":
        return gettext.NullTranslations()
    source = resources.files("kafka_tool").joinpath(f"locale/{language}/LC_MESSAGES/{_DOMAIN}.po")
    return translations(source.read_bytes(), language, _cache_folder())


def translations(po_text: bytes, language: str, cache: Path) -> gettext.GNUTranslations:
    """The translations of a ``.po`` file's text, from its compiled form in ``cache`` (see
    :func:`compiled`); a kept copy that cannot be read as one (damaged on disk) is made anew."""
    try:
        return gettext.GNUTranslations(io.BytesIO(compiled(po_text, language, cache)))
    except (OSError, ValueError, struct.error):
        return gettext.GNUTranslations(io.BytesIO(compiled(po_text, language, cache, reuse=False)))


def _cache_folder() -> Path:
    """``$XDG_CACHE_HOME/kafka-tool``, or ``~/.cache/kafka-tool``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kafka-tool"


def compiled(po_text: bytes, language: str, cache: Path, *, reuse: bool = True) -> bytes:
    """The ``.mo`` form of a ``.po`` file's text, kept in ``cache`` under a name made of its content.

    The ``.po`` file is the one source: reading it takes Babel a tenth of a second, so its
    compiled form is kept, named after a hash of the text, and a changed file simply gets a
    new name (a copy can never be stale). Where the cache cannot be written, the catalogue is
    compiled in memory each time; without ``reuse``, a kept copy is made anew.
    """
    kept = cache / f"{_DOMAIN}-{language}-{hashlib.sha256(po_text).hexdigest()[:20]}.mo"
    if reuse:
        try:
            return kept.read_bytes()
        except OSError:
            pass
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    buffer = io.BytesIO()
    write_mo(buffer, read_po(io.BytesIO(po_text), locale=_LOCALES[language], domain=_DOMAIN), use_fuzzy=False)
    data = buffer.getvalue()
    try:
        cache.mkdir(parents=True, exist_ok=True)
        partial = kept.with_name(f"{kept.name}.{os.getpid()}.part")
        partial.write_bytes(data)
        os.replace(partial, kept)  # whole or not at all, whoever else writes it at the same time
        for older in cache.glob(f"{_DOMAIN}-{language}-*.mo"):  # the forms of earlier versions
            if older != kept:
                older.unlink(missing_ok=True)
    except OSError:
        pass
    return data


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
        from babel import Locale

        self.language = language
        self._catalogue = catalogue(language)
        self._texts: dict[str, str] = {}
        self.locale = _LOCALES[language]
        # Parsed once: Babel parses a locale given by name on every call.
        self._locale = Locale.parse(self.locale)

    def say(self, message: str, /, **values: Any) -> str:
        """``message`` in this language, with ``values`` filled in."""
        text = self._texts.get(message)
        if text is None:  # looked up once: an analysis says the same messages thousands of times
            text = self._texts[message] = self._catalogue.gettext(message)
        return text.format(**values) if values else text

    def say_message(self, message: str) -> str:
        """``message`` in this language when it is a :class:`Phrase`; other text as it is."""
        return message.in_(self) if isinstance(message, Phrase) else message

    def say_n(self, singular: str, plural: str, n: int, /, **values: Any) -> str:
        """The singular or the plural, as ``n`` and the language's rules ask; ``{n}`` is ``n``."""
        return self._catalogue.ngettext(singular, plural, n).format(n=n, **values)

    def list(self, items: Iterable[str], conjunction: str = "and", limit: int = 6) -> str:
        """Items joined as the language joins them: 'a, b and c' (``conjunction`` "or": 'a, b or c').

        More than ``limit`` items end in "and N more"; no items at all is "nobody". Items that
        hold commas themselves ("Amira, 24, status holder") are kept apart by semicolons.
        The patterns are CLDR's, as Babel gives them for the language (``locale.list_patterns``).
        """
        names = list(dict.fromkeys(items))
        if not names:
            return self.say("nobody")
        if len(names) > limit:
            rest = len(names) - limit
            names = [*names[:limit], self.say_n("{n} more", "{n} more", rest)]
        if len(names) == 1:
            return names[0]
        # A comma inside a quoted name ("“Amira, 24”") is the name's own: it needs no semicolons.
        patterns = self._patterns("or" if conjunction == "or" else "standard",
                                  any("," in _QUOTED.sub("", name) for name in names))
        if len(names) == 2:
            return patterns["2"].format(*names)
        # CLDR's rule: the last two by "end", the first two by "start", the rest by "middle".
        joined = patterns["end"].format(names[-2], names[-1])
        for name in reversed(names[1:-2]):
            joined = patterns["middle"].format(name, joined)
        return patterns["start"].format(names[0], joined)

    @functools.cache  # noqa: B019 - a Words lives as long as the program (see words())
    def _patterns(self, style: str, semicolons: bool) -> dict[str, str]:
        """The language's list patterns (``{0}, {1}``, ``{0} and {1}``); with ``semicolons``, a
        semicolon wherever the pattern puts a comma."""
        found = {key: str(value) for key, value in self._locale.list_patterns[style].items()}
        return {key: value.replace(",", ";") for key, value in found.items()} if semicolons else found

    def number(self, value: float) -> str:
        """A number as a person writes it, with the language's decimal sign: 18, 2.5 and 2,5 (no trailing .0)."""
        if float(value).is_integer():
            return str(int(value))
        if self.language == "en":
            return str(value)
        from babel.numbers import format_decimal

        return str(format_decimal(value, format="0.######", locale=self._locale))

    def money(self, amount: float, currency: str = "EUR") -> str:
        """An amount in ``currency`` (ISO 4217) as the language writes it: '€ 40', '£ 12.50', '€ 1.860' in Dutch.

        Thousands are grouped and cents, where there are any, written in full, as the language
        does. The symbol is CLDR's for the language (Babel's ``get_currency_symbol``); a code CLDR
        does not know is written as it is ('XTS 40').
        """
        from babel.numbers import format_decimal

        rounded = round(float(amount), 2)
        pattern = "#,##0" if rounded.is_integer() else "#,##0.00"
        return f"{self.currency_symbol(currency)} {format_decimal(rounded, format=pattern, locale=self._locale)}"

    @functools.cache  # noqa: B019 - a Words lives as long as the program (see words())
    def currency_symbol(self, currency: str = "EUR") -> str:
        """The symbol of ``currency`` (ISO 4217) as the language writes it: '€', '£', 'US$'."""
        from babel.numbers import get_currency_symbol

        return str(get_currency_symbol(currency, locale=self._locale))

    @functools.cache  # noqa: B019 - a Words lives as long as the program (see words())
    def currency_name(self, currency: str = "EUR", count: int = 1) -> str:
        """The name of ``currency`` (ISO 4217) for ``count`` of it: 'euro', 'British pounds', 'Britse pond'.

        CLDR's name (Babel's ``get_currency_name``); a code CLDR does not know is its code.
        """
        from babel.numbers import get_currency_name

        return str(get_currency_name(currency, count, locale=self._locale))

    def percent(self, share: float) -> str:
        """A share as a whole percentage with the language's sign: 1.3 is '130%'."""
        from babel.numbers import format_percent

        return str(format_percent(share, locale=self._locale))

    def count(self, value: int) -> str:
        """A large whole number with the language's grouping: 20,000 and 20.000."""
        from babel.numbers import format_decimal

        return str(format_decimal(value, locale=self._locale))

    def date(self, day: dt.date) -> str:
        """A date as the language writes it in full (CLDR's long format): '1 June 2024', '1 juni 2024'."""
        from babel.dates import format_date

        return str(format_date(day, format="long", locale=self._locale))


@cache
def words(language: str) -> Words:
    """The :class:`Words` of ``language`` (shared: they hold no state of their own)."""
    return Words(language)


#: How the code says a message, for ``pybabel extract`` and :func:`update_catalogue`.
KEYWORDS: dict[str, Any] = {"say": None, "say_n": (1, 2), "N_": None, "N_n": (1, 2), "phrase": None,
                            "phrase_n": (1, 2)}
#: The packages whose messages the catalogue holds.
PACKAGES = ("kafka_tool", "tui", "exports")


def code_messages(root: str | None = None) -> dict[str | tuple[str, str], list[str]]:
    """Every message the code says (singular, or singular and plural), with where it is said."""
    from babel.messages.extract import extract_from_dir

    base = Path(root) if root is not None else Path(__file__).resolve().parent.parent
    found: dict[str | tuple[str, str], list[str]] = {}
    for package in PACKAGES:
        folder = base / package
        if not folder.is_dir():
            continue
        for filename, lineno, message, _comments, _context in extract_from_dir(
            folder, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=()
        ):
            key = message if isinstance(message, str) else (message[0], message[1])
            found.setdefault(key, []).append(f"{package}/{filename}:{lineno}")
    return found


def update_catalogue(language: str = "nl", root: str | None = None) -> list[str]:
    """Bring the ``.po`` file of ``language`` in line with the code; the messages still untranslated.

    New messages are added with an empty translation, messages the code no longer says are
    dropped, every translation kept; the file is sorted by message, so that two changes to
    it merge cleanly. Run it as ``python -m kafka_tool.i18n`` after adding messages, then
    write the Dutch of each one it lists.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    base = Path(root) if root is not None else Path(__file__).resolve().parent.parent
    path = base / "kafka_tool" / "locale" / language / "LC_MESSAGES" / f"{_DOMAIN}.po"
    old = read_po(path.open("rb"), locale=_LOCALES[language]) if path.exists() else Catalog(locale=language)
    # The dates are kept as they were, so that updating changes only the messages.
    new = Catalog(locale=_LOCALES[language], domain=_DOMAIN, project="kafka-tool", charset="utf-8",
                  copyright_holder="kafka-tool maintainers", language_team=f"kafka-tool <{language}>", fuzzy=False,
                  header_comment=f"# The {language} words of kafka-tool: update with `python -m kafka_tool.i18n`.",
                  creation_date=old.creation_date, revision_date=old.revision_date,
                  last_translator="kafka-tool maintainers")
    untranslated = []
    for message, _where in sorted(code_messages(str(base)).items(), key=lambda item: str(item[0])):
        msgid = message if isinstance(message, str) else message[0]
        kept = old.get(msgid)
        if isinstance(message, tuple):
            string: Any = kept.string if kept is not None and isinstance(kept.string, tuple) else ("", "")
        else:
            string = kept.string if kept is not None and isinstance(kept.string, str) else ""
        new.add(message, string)
        if not all(string if isinstance(string, tuple) else (string,)):
            untranslated.append(msgid)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, new, width=100, no_location=True, omit_header=False, sort_output=True)
    return untranslated


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    missing = update_catalogue()
    print("\n".join(f"untranslated: {m!r}" for m in missing) or "every message has its Dutch")
