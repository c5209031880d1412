"""The labels of the text and Markdown reports, by key, in the case's language.

The words themselves are in the message catalogue (:mod:`kafka_tool.i18n`); this
module only names the few labels the reports still look up by key, and says a
persona's burden ("1 step, 2 organisations, 41 days, € 0").
"""

from __future__ import annotations

from typing import Any

from ..i18n import N_, words

__all__ = ["LABELS", "burden_words", "say"]

#: The labels the reports use, by key; each is a message of the catalogue.
LABELS: dict[str, str] = {
    "label.personas": N_("Personas"),
    "label.plan": N_("plan"),
    "label.burden": N_("burden"),
    "label.who": N_("who can act"),
    "label.affected": N_("personas"),
    "label.region": N_("region"),
    "label.accepted": N_("accepted"),
    "label.findings": N_("{count} findings ({counts})"),
    "label.no_findings": N_("No findings."),
    "severity.critical": N_("Critical"),
    "severity.high": N_("High"),
    "severity.medium": N_("Medium"),
    "severity.low": N_("Low"),
}


def say(language: str, key: str, **values: Any) -> str:
    """The label ``key`` in ``language``, filled in."""
    return words(language).say(LABELS[key], **values)


def burden_words(language: str, burden: dict[str, Any]) -> str:
    """'1 step, 2 organisations, 41 days, € 0' in ``language``."""
    say_ = words(language)
    days = burden["days"]
    return ", ".join([
        say_.say_n("{n} step", "{n} steps", burden["steps"]),
        say_.say_n("{n} organisation", "{n} organisations", burden["actors"]),
        # "1 day", but "1.5 days": only exactly one is singular.
        say_.say_n("{days} day", "{days} days", 1 if days == 1 else 2, days=say_.number(days)),
        f"€ {say_.number(burden['cost'])}",
    ])
