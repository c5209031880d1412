"""Words every output shares: a persona's burden ("1 step, 2 organisations, 41 days, € 0, 5 hours")
and the name of a severity, in a language.

The words are messages of the catalogue (:mod:`kafka_tool.i18n`), with its plural rules.
"""

from __future__ import annotations

from typing import Any

from ..i18n import N_, words

__all__ = ["SEVERITY_WORDS", "burden_words", "severity_word"]

#: What each severity is called (a message of the catalogue).
SEVERITY_WORDS = {"critical": N_("Critical"), "high": N_("High"), "medium": N_("Medium"), "low": N_("Low")}


def severity_word(language: str, severity: str) -> str:
    """'Critical', 'Kritiek': a severity as people read it.

    Examples
    --------
    >>> severity_word("nl", "high")
    'Hoog'
    """
    return words(language).say(SEVERITY_WORDS[severity])


def burden_words(language: str, burden: dict[str, Any], currency: str = "EUR", hours: bool | None = None) -> str:
    """'1 step, 2 organisations, 41 days, € 0' in ``language``, the cost in the case's ``currency``.

    The citizen's own hours follow when ``hours`` is true (by default: when the burden has
    any), with what they are worth where the case gives an hour its value (``hours_cost``).

    Examples
    --------
    >>> burden_words("nl", {"steps": 1, "actors": 2, "days": 41, "cost": 0})
    '1 stap, 2 organisaties, 41 dagen, € 0'
    >>> burden_words("en", {"steps": 2, "actors": 1, "days": 1, "cost": 40}, "GBP")
    '2 steps, 1 organisation, 1 day, £ 40'
    >>> burden_words("en", {"steps": 3, "actors": 2, "days": 45, "cost": 0, "elapsed_days": 25})
    '3 steps, 2 organisations, 45 days (25 with steps side by side), € 0'
    >>> burden_words("en", {"steps": 2, "actors": 2, "days": 0, "cost": 10, "hours": 6, "hours_cost": 120})
    '2 steps, 2 organisations, 0 days, € 10, 6 hours (€ 120)'
    >>> burden_words("nl", {"steps": 0, "actors": 0, "days": 0, "cost": 0, "hours": 0, "hours_cost": None},
    ...              hours=True)
    '0 stappen, 0 organisaties, 0 dagen, € 0, 0 uur'
    """
    say = words(language)
    days = burden["days"]
    # "1 day", but "1.5 days": only exactly one is singular.
    said_days = say.say_n("{days} day", "{days} days", 1 if days == 1 else 2, days=say.number(days))
    elapsed = burden.get("elapsed_days")
    if elapsed is not None and elapsed != days:
        said_days += " " + say.say("({elapsed} with steps side by side)", elapsed=say.number(elapsed))
    parts = [
        say.say_n("{n} step", "{n} steps", burden["steps"]),
        say.say_n("{n} organisation", "{n} organisations", burden["actors"]),
        said_days,
        say.money(burden["cost"], currency),
    ]
    spent = burden.get("hours", 0)
    if hours or (hours is None and spent):
        said_hours = say.say_n("{hours} hour", "{hours} hours", 1 if spent == 1 else 2, hours=say.number(spent))
        worth = burden.get("hours_cost")
        if worth is not None:
            said_hours += f" ({say.money(worth, currency)})"
        parts.append(said_hours)
    return ", ".join(parts)
