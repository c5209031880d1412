"""The values of the case format's fixed lists, in words: "executive agency" for ``executive_agency``.

A case file keeps the value (``kind: executive_agency``, ``status: in_progress``); what people
read is its word, said in their language. One table, by the field the value is kept in, holds
every value of every ``Literal`` of :mod:`kafka_tool.model`; a test checks it is complete.
"""

from __future__ import annotations

from .i18n import N_, Words

__all__ = ["VALUE_WORDS", "value_word"]

#: The words of each value, by the key of the field it is kept in (``kind`` holds the kinds of
#: actors and of documents, whose only shared value is ``other``).
VALUE_WORDS: dict[str, dict[str, str]] = {
    "kind": {
        "ministry": N_("ministry"),
        "municipality": N_("municipality"),
        "province": N_("province"),
        "executive_agency": N_("executive agency"),
        "court": N_("court"),
        "school": N_("school"),
        "care_provider": N_("care provider"),
        "housing": N_("housing"),
        "bank": N_("bank"),
        "employer": N_("employer"),
        "ngo": N_("NGO"),
        "private": N_("private"),
        "other": N_("other"),
        "proof": N_("proof"),
        "registration": N_("registration"),
        "decision": N_("decision"),
        "payment": N_("payment"),
        "service": N_("service"),
        "status": N_("status (a standing)"),
    },
    "channel": {
        "desk": N_("desk"),
        "phone": N_("phone"),
        "letter": N_("letter"),
        "portal": N_("portal"),
        "email": N_("email"),
        "home_visit": N_("home visit"),
        "form": N_("form"),
        "other": N_("other"),
    },
    "outcome": {
        "helped": N_("helped"),
        "refused": N_("refused"),
        "referred": N_("referred"),
        "no_response": N_("no response"),
        "pending": N_("pending"),
    },
    "layer": {
        "rijk": N_("central government (Rijk)"),
        "provincie": N_("province"),
        "gemeente": N_("municipality (gemeente)"),
        "waterschap": N_("water board"),
        "uitvoering": N_("executive agency"),
        "rechtspraak": N_("the courts"),
        "eu": N_("European Union"),
        "maatschappelijk": N_("civil society"),
        "private": N_("private sector"),
    },
    "status": {
        "proposed": N_("proposed"),
        "agreed": N_("agreed"),
        "in_progress": N_("in progress"),
        "done": N_("done"),
        "verified": N_("verified"),
        "dropped": N_("dropped"),
    },
    "obstacles": {
        "gevestigde_belangen": N_("vested interests"),
        "risicomijding": N_("avoiding risk"),
        "interne_inrichting": N_("how the organisation is set up"),
        "ongeschreven_regels": N_("unwritten rules"),
        "scepsis": N_("doubt that it will work"),
    },
    "level": {
        "intro": N_("intro"),
        "advanced": N_("advanced"),
    },
    "change": {
        "remove_requirement": N_("drop a requirement"),
        "add_requirement": N_("add a requirement"),
        "add_produces": N_("also give a document"),
        "remove_produces": N_("stop giving a document"),
        "add_referral": N_("add a referral"),
        "remove_referral": N_("drop a referral"),
        "set_when": N_("change whom a rule lets in"),
        "set_actor": N_("change who serves"),
        "exchange": N_("fetch a document for them"),
        "add_touchpoint": N_("add a touchpoint"),
        "remove_touchpoint": N_("drop a touchpoint"),
        "set_days": N_("set the days"),
        "set_cost": N_("set the cost"),
        "set_effort": N_("set the hours"),
        "set_window": N_("set a window"),
        "set_value": N_("set a document's worth"),
        "set_owner": N_("give a rule an owner"),
        "add_outcome": N_("add an outcome"),
    },
    "per": {  # how often an amount comes, or a population is counted
        "month": N_("month"),
        "year": N_("year"),
        "once": N_("once"),
    },
    "type": {
        "integer": N_("whole number"),
        "number": N_("number"),
        "category": N_("category"),
        "boolean": N_("yes or no"),
    },
    "language": {
        "en": "English",
        "nl": "Nederlands",
    },
}


def value_word(words: Words, key: str, value: str) -> str:
    """The word of ``value`` kept under ``key``, in ``words``' language (the value itself, spaced, when unknown).

    >>> from kafka_tool.i18n import words
    >>> value_word(words("nl"), "status", "in_progress"), value_word(words("en"), "layer", "rijk")
    ('loopt', 'central government (Rijk)')
    """
    message = VALUE_WORDS.get(key, {}).get(value)
    if message is None:
        return value.replace("_", " ")
    return message if key == "language" else words.say(message)
