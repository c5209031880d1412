"""A persona's burden in words ("1 step, 2 organisations, 41 days, € 0"), in a language.

The words are messages of the catalogue (:mod:`kafka_tool.i18n`), with its plural rules.
"""

from __future__ import annotations

from typing import Any

from ..i18n import words

__all__ = ["burden_words"]


def burden_words(language: str, burden: dict[str, Any]) -> str:
    """'1 step, 2 organisations, 41 days, € 0' in ``language``.

    Examples
    --------
    >>> burden_words("nl", {"steps": 1, "actors": 2, "days": 41, "cost": 0})
    '1 stap, 2 organisaties, 41 dagen, € 0'
    """
    say = words(language)
    days = burden["days"]
    return ", ".join([
        say.say_n("{n} step", "{n} steps", burden["steps"]),
        say.say_n("{n} organisation", "{n} organisations", burden["actors"]),
        # "1 day", but "1.5 days": only exactly one is singular.
        say.say_n("{days} day", "{days} days", 1 if days == 1 else 2, days=say.number(days)),
        f"€ {say.number(burden['cost'])}",
    ])
