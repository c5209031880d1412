"""The words of findings, in the language of the case (English or Dutch).

Titles and explanations are written for the citizen and for the people who
own the rules: plain sentences that say what goes wrong and who could change
it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["say", "join_names", "burden_words", "TEXTS"]

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "and": "and",
        "or": "or",
        "nobody": "nobody",
        "needs": "{who} needs {what}",
        "circular_dependency.title": "Circular requirement: {docs}",
        "circular_dependency.title.more": "Circular requirement: {docs}, tangled with {more} more {documents_word}",
        "circular_dependency.explanation": (
            "To get {first} you need {chain}, which in the end needs {first} itself. "
            "Nobody who lacks these documents can get out of this circle on their own. "
            "Affected: {personas}. Who could break it: {owners}."
        ),
        "referral_loop.title": "Referral loop: {touchpoints}",
        "referral_loop.explanation": (
            "Citizens are sent round in a circle, from pillar to post: {loop}. "
            "{stuck}Who could end it: {owners}."
        ),
        "referral_loop.stuck": "None of these desks can help {personas}. ",
        "referral_loop.some_help": "Some desks on the loop can help, but people can still go round it. ",
        "dead_end.title": "Dead end at {touchpoint}",
        "dead_end.explanation": (
            "{personas} can end up at {touchpoint} ({actor}), which cannot help them{why} "
            "and does not send them anywhere that can. Who could change it: {owners}."
        ),
        "dead_end.why_rules": " because of {rules}",
        "dead_end.why_docs": " without {docs}",
        "unobtainable_document.title": "Nobody can get {docs}",
        "unobtainable_document.explanation": (
            "{touchpoints} asks for {docs}, but no desk issues it and nobody has it. "
            "Who could change it: {owners}."
        ),
        "unreachable_goal.title": "{persona} cannot get {goal}",
        "unreachable_goal.explanation": "{persona} cannot get {goal}. {causes}",
        "unreachable_goal.no_producer": "No desk issues {goal}.",
        "unreachable_goal.excluded": "{persona} does not meet {rules} at {touchpoint}.",
        "unreachable_goal.no_actor": "Nobody is responsible for {touchpoint}.",
        "unreachable_goal.missing": "{touchpoint} needs {docs}, which {persona} cannot get.",
        "unreachable_goal.caused_by": "Root causes: {causes}.",
        "coverage_gap.title": "Nobody serves {region} for {goal}",
        "coverage_gap.explanation": (
            "People with {region} fall between the cracks: no desk that issues {goal} serves them. "
            "{affected}Who could close the gap: {owners}."
        ),
        "coverage_gap.affected": "This is the case for {personas}. ",
        "coverage_gap.unknown.title": "Coverage of {goal} not worked out",
        "coverage_gap.unknown.explanation": (
            "The search for people whom no desk that issues {goal} serves stopped at its work limit "
            "before it found any: there may be gaps. Who could close one: {owners}."
        ),
        "coverage_gap.capped.regions": (
            "(only the first {shown} gap regions are listed, the most listed per goal; there are more)"
        ),
        "coverage_gap.capped.regions_case": (
            "(only the first {shown} gap regions are listed, this goal's share of the {limit} listed "
            "for the whole case; there are more)"
        ),
        "coverage_gap.capped.work": (
            "(the search for gaps stopped at its work limit of {limit} box operations per goal: "
            "more gap regions may exist, and a region shown may reach further)"
        ),
        "coverage_gap.capped.work_case": (
            "(the search for gaps stopped after {limit} box operations, this goal's share of the work "
            "limit of {case_limit} for the whole case: more gap regions may exist, and a region shown "
            "may reach further)"
        ),
        "futile_referral.title": "Referral that cannot help: {source} → {target}",
        "futile_referral.explanation": (
            "{source} sends people to {target}, but {target} gives them nothing that "
            "{source} asks for or offers. Who could change it: {owners}."
        ),
        "conflicting_rules.title": "Rules that contradict each other: {rules}",
        "conflicting_rules.explanation.touchpoint": (
            "At {touchpoint} the rules {rules} can never all be met at the same time, "
            "so nobody can be helped there. Who could change it: {owners}."
        ),
        "conflicting_rules.explanation.goal": (
            "On the only way to {goal} the rules {rules} can never all be met, so nobody gets "
            "{goal}. Who could change it: {owners}."
        ),
        "conflicting_rules.explanation.declared": (
            "The rules {rules} are known to contradict each other. Who could change it: {owners}."
        ),
        "no_owner.title.touchpoint": "Nobody is responsible for {name}",
        "no_owner.title.rule": "Nobody owns the rule {name}",
        "no_owner.explanation.touchpoint": (
            "No organisation is responsible for {name}, so nobody can help there and nobody "
            "can be asked to fix it. {affected}"
        ),
        "no_owner.explanation.rule": (
            "The rule {name} has no owner: nobody can be asked to change it. {affected}"
        ),
        "no_owner.affected": "It matters to {personas}.",
        "repeated_request.title": "{doc} is asked for {count} times",
        "repeated_request.explanation": (
            "{actors} each ask the citizen for {doc} ({touchpoints}). Asking once and "
            "sharing it (once-only) would spare people the repetition. Who could change it: {owners}."
        ),
        "single_point_of_failure.title": "Everything hangs on {touchpoint}",
        "single_point_of_failure.explanation": (
            "Without {touchpoint} ({actor}), {personas} could not get {goals}: there is no other way."
        ),
        "expiry_trap.title": "{doc} expires while waiting at {touchpoint}",
        "expiry_trap.explanation": (
            "{touchpoint} takes {days} days, but {doc} is valid for only {valid} days: "
            "the proof expires while the citizen waits and must be obtained again. "
            "Who could change it: {owners}."
        ),
        "journey_loop.title": "{persona} went round in circles",
        "journey_loop.explanation": (
            "In the reconstructed journey {persona} came back to {places} after being sent on: {path}."
        ),
        "capped": "(only the shortest {shown} of the cycles are shown; the tangle has {members} parts)",
        "label.personas": "Personas",
        "label.plan": "plan",
        "label.burden": "burden",
        "label.burden_value": "{steps} {steps_word}, {actors} {actors_word}, {days} {days_word}, € {cost}",
        "word.steps": "step|steps",
        "word.actors": "organisation|organisations",
        "word.days": "day|days",
        "word.documents": "document|documents",
        "label.who": "who can act",
        "label.affected": "personas",
        "label.region": "region",
        "label.accepted": "accepted",
        "label.findings": "{count} findings ({counts})",
        "label.no_findings": "No findings.",
        "severity.critical": "Critical",
        "severity.high": "High",
        "severity.medium": "Medium",
        "severity.low": "Low",
    },
    "nl": {
        "and": "en",
        "or": "of",
        "nobody": "niemand",
        "needs": "{who} vraagt {what}",
        "circular_dependency.title": "Cirkelredenering: {docs}",
        "circular_dependency.title.more": "Cirkelredenering: {docs}, verstrikt met nog {more} {documents_word}",
        "circular_dependency.explanation": (
            "Voor {first} heb je {chain} nodig, en daarvoor uiteindelijk weer {first} zelf. "
            "Wie deze documenten niet heeft, komt op eigen kracht niet uit deze cirkel. "
            "Geraakt: {personas}. Wie dit kan doorbreken: {owners}."
        ),
        "referral_loop.title": "Van het kastje naar de muur: {touchpoints}",
        "referral_loop.explanation": (
            "Burgers worden van het kastje naar de muur gestuurd: {loop}. {stuck}"
            "Wie dit kan stoppen: {owners}."
        ),
        "referral_loop.stuck": "Geen van deze loketten kan {personas} helpen. ",
        "referral_loop.some_help": "Sommige loketten in de kring kunnen helpen, maar mensen kunnen erin rondgaan. ",
        "dead_end.title": "Doodlopend bij {touchpoint}",
        "dead_end.explanation": (
            "{personas} kan terechtkomen bij {touchpoint} ({actor}), dat niet kan helpen{why} "
            "en niet doorverwijst naar een plek die wel kan helpen. Wie dit kan veranderen: {owners}."
        ),
        "dead_end.why_rules": " vanwege {rules}",
        "dead_end.why_docs": " zonder {docs}",
        "unobtainable_document.title": "Niemand kan {docs} krijgen",
        "unobtainable_document.explanation": (
            "{touchpoints} vraagt om {docs}, maar geen loket verstrekt het en niemand heeft het. "
            "Wie dit kan veranderen: {owners}."
        ),
        "unreachable_goal.title": "{persona} kan {goal} niet krijgen",
        "unreachable_goal.explanation": "{persona} kan {goal} niet krijgen. {causes}",
        "unreachable_goal.no_producer": "Geen loket verstrekt {goal}.",
        "unreachable_goal.excluded": "{persona} voldoet bij {touchpoint} niet aan {rules}.",
        "unreachable_goal.no_actor": "Niemand is verantwoordelijk voor {touchpoint}.",
        "unreachable_goal.missing": "{touchpoint} vraagt {docs}, wat {persona} niet kan krijgen.",
        "unreachable_goal.caused_by": "Oorzaken: {causes}.",
        "coverage_gap.title": "Niemand bedient {region} voor {goal}",
        "coverage_gap.explanation": (
            "Mensen met {region} vallen tussen wal en schip: geen loket dat {goal} verstrekt, "
            "helpt hen. {affected}Wie het gat kan dichten: {owners}."
        ),
        "coverage_gap.affected": "Dat geldt voor {personas}. ",
        "coverage_gap.unknown.title": "Dekking van {goal} niet uitgezocht",
        "coverage_gap.unknown.explanation": (
            "Het zoeken naar mensen die geen loket bedient dat {goal} verstrekt, stopte bij de werkgrens "
            "voordat er één gevonden was: er kunnen gaten zijn. Wie een gat kan dichten: {owners}."
        ),
        "coverage_gap.capped.regions": (
            "(alleen de eerste {shown} gebieden zonder dekking worden genoemd, het meeste dat per doel "
            "wordt genoemd; er zijn er meer)"
        ),
        "coverage_gap.capped.regions_case": (
            "(alleen de eerste {shown} gebieden zonder dekking worden genoemd, het deel van dit doel van "
            "de {limit} die voor de hele casus worden genoemd; er zijn er meer)"
        ),
        "coverage_gap.capped.work": (
            "(het zoeken naar gaten stopte bij de werkgrens van {limit} bewerkingen op vakken per doel: "
            "er kunnen meer gebieden zonder dekking zijn, en een genoemd gebied kan verder reiken)"
        ),
        "coverage_gap.capped.work_case": (
            "(het zoeken naar gaten stopte na {limit} bewerkingen op vakken, het deel van dit doel van de "
            "werkgrens van {case_limit} voor de hele casus: er kunnen meer gebieden zonder dekking zijn, "
            "en een genoemd gebied kan verder reiken)"
        ),
        "futile_referral.title": "Zinloze doorverwijzing: {source} → {target}",
        "futile_referral.explanation": (
            "{source} stuurt mensen naar {target}, maar daar krijgen ze niets wat {source} "
            "vraagt of biedt. Wie dit kan veranderen: {owners}."
        ),
        "conflicting_rules.title": "Regels die elkaar tegenspreken: {rules}",
        "conflicting_rules.explanation.touchpoint": (
            "Bij {touchpoint} kan nooit aan alle regels {rules} tegelijk worden voldaan, "
            "dus daar kan niemand geholpen worden. Wie dit kan veranderen: {owners}."
        ),
        "conflicting_rules.explanation.goal": (
            "Op de enige weg naar {goal} kan nooit aan alle regels {rules} worden voldaan, "
            "dus niemand krijgt {goal}. Wie dit kan veranderen: {owners}."
        ),
        "conflicting_rules.explanation.declared": (
            "De regels {rules} spreken elkaar tegen. Wie dit kan veranderen: {owners}."
        ),
        "no_owner.title.touchpoint": "Niemand is verantwoordelijk voor {name}",
        "no_owner.title.rule": "De regel {name} heeft geen eigenaar",
        "no_owner.explanation.touchpoint": (
            "Geen organisatie is verantwoordelijk voor {name}: daar kan niemand helpen en "
            "niemand kan erop worden aangesproken. {affected}"
        ),
        "no_owner.explanation.rule": (
            "De regel {name} heeft geen eigenaar: niemand kan worden gevraagd hem te veranderen. {affected}"
        ),
        "no_owner.affected": "Het raakt {personas}.",
        "repeated_request.title": "{doc} wordt {count} keer gevraagd",
        "repeated_request.explanation": (
            "{actors} vragen de burger elk om {doc} ({touchpoints}). Eenmalige uitvraag en "
            "gegevensdeling zou mensen dat besparen. Wie dit kan veranderen: {owners}."
        ),
        "single_point_of_failure.title": "Alles hangt af van {touchpoint}",
        "single_point_of_failure.explanation": (
            "Zonder {touchpoint} ({actor}) kan {personas} {goals} niet krijgen: er is geen andere weg."
        ),
        "expiry_trap.title": "{doc} verloopt tijdens het wachten bij {touchpoint}",
        "expiry_trap.explanation": (
            "{touchpoint} duurt {days} dagen, maar {doc} is maar {valid} dagen geldig: "
            "het bewijs verloopt terwijl de burger wacht en moet opnieuw worden aangevraagd. "
            "Wie dit kan veranderen: {owners}."
        ),
        "journey_loop.title": "{persona} draaide in een kringetje",
        "journey_loop.explanation": (
            "In de gereconstrueerde route kwam {persona} na doorverwijzing terug bij {places}: {path}."
        ),
        "capped": "(alleen de kortste {shown} cirkels worden getoond; de knoop heeft {members} delen)",
        "label.personas": "Persona's",
        "label.plan": "route",
        "label.burden": "belasting",
        "label.burden_value": "{steps} {steps_word}, {actors} {actors_word}, {days} {days_word}, € {cost}",
        "word.steps": "stap|stappen",
        "word.actors": "organisatie|organisaties",
        "word.days": "dag|dagen",
        "word.documents": "document|documenten",
        "label.who": "wie kan iets doen",
        "label.affected": "persona's",
        "label.region": "gebied",
        "label.accepted": "geaccepteerd",
        "label.findings": "{count} bevindingen ({counts})",
        "label.no_findings": "Geen bevindingen.",
        "severity.critical": "Kritiek",
        "severity.high": "Hoog",
        "severity.medium": "Middel",
        "severity.low": "Laag",
    },
}


def say(language: str, key: str, **values: Any) -> str:
    """The text ``key`` in ``language`` (English when missing), filled in."""
    table = TEXTS.get(language, TEXTS["en"])
    template = table.get(key) or TEXTS["en"][key]
    return template.format(**values)


def plural(language: str, word: str, count: int) -> str:
    """``word.<word>`` in the singular or the plural, as ``count`` asks."""
    one, many = say(language, f"word.{word}").split("|")
    return one if count == 1 else many


def burden_words(language: str, burden: dict[str, Any]) -> str:
    """'1 step, 2 organisations, 41 days, € 0' in the case's language."""
    words = {}
    for key in ("steps", "actors", "days"):
        words[f"{key}_word"] = plural(language, key, burden[key])
    return say(language, "label.burden_value", **burden, **words)


def join_names(language: str, names: Sequence[str], word: str = "and", limit: int = 6) -> str:
    """'a, b and c' (or with 'or'), shortened when long."""
    items = list(dict.fromkeys(names))
    if not items:
        return say(language, "nobody")
    if len(items) > limit:
        rest = len(items) - limit
        more = f"{rest} more" if language != "nl" else f"{rest} andere"
        items = [*items[:limit], more]
    if len(items) == 1:
        return items[0]
    # Names that contain commas ("Amira, 24, status holder") are kept apart by semicolons.
    separator = "; " if any("," in item for item in items) else ", "
    return separator.join(items[:-1]) + f" {say(language, word)} " + items[-1]
