"""Text for diagrams: escaping, wrapping, and the diagram's own words in English and Dutch.

Every piece of user text that goes into DOT passes through :func:`html_text`
and ends up inside an HTML-like label, where only ``&<>"`` have a meaning and
all four are escaped. Node names are slugs from the case (quoted anyway), so
no user text can ever close a string, open a port or inject an attribute.
"""

from __future__ import annotations

import textwrap
import unicodedata
from typing import Any

__all__ = ["WORDS", "clean", "html_text", "html_lines", "quote_id", "wrap", "word"]

#: Characters XML (and so Graphviz's HTML-like labels) cannot carry.
_XML_FORBIDDEN = {"\ufffe", "\uffff"}


def clean(text: str) -> str:
    """``text`` without characters that no label can show (control characters, lone surrogates).

    Newlines are kept (they break lines); tabs and other control characters
    become spaces.
    """
    out = []
    for char in text.replace("\r\n", "\n").replace("\r", "\n"):
        if char == "\n":
            out.append(char)
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cs") or char in _XML_FORBIDDEN:
            out.append(" ")
        else:
            out.append(char)
    return "".join(out)


def wrap(text: str, width: int = 24) -> list[str]:
    """``text`` as lines of about ``width`` characters: explicit newlines kept, long words split.

    Examples
    --------
    >>> wrap("Register an address at the town hall")
    ['Register an address at', 'the town hall']
    >>> wrap("a\\nb")
    ['a', 'b']
    """
    lines: list[str] = []
    for paragraph in clean(text).split("\n"):
        # A word a little longer than the width gets a line of its own rather than being cut.
        longest = max((len(w) for w in paragraph.split()), default=0)
        fit = max(width, longest) if longest <= width * 1.6 else width
        pieces = textwrap.wrap(paragraph, width=fit, break_long_words=True, break_on_hyphens=False)
        lines.extend(pieces or ([paragraph.strip()] if lines or paragraph.strip() else []))
    while lines and not lines[-1].strip():
        lines.pop()
    return lines or [""]


def html_text(text: str) -> str:
    r"""One line of user text, escaped for an HTML-like label.

    Examples
    --------
    >>> html_text('a <b> & "c"')
    'a &lt;b&gt; &amp; &quot;c&quot;'
    >>> html_text("C:\\N")
    'C:\\\\N'
    """
    # Graphviz expands \N, \G, \L ... even inside HTML-like labels (after entities are decoded);
    # a doubled backslash comes out as one.
    return (
        clean(text)
        .replace("\\", "\\\\")
        .replace("\n", " ")
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        # Graphviz's HTML lexer refuses a text item that starts with "]" (2.43); an entity is safe.
        .replace("]", "&#93;")
    )


def html_lines(text: str, width: int = 24) -> str:
    """User text wrapped and escaped, lines joined by ``<BR/>``."""
    return "<BR/>".join(html_text(line) or " " for line in wrap(text, width))


def quote_id(ident: str) -> str:
    """A DOT node or cluster name, quoted (ids are slugs; escaping is a second line of defence)."""
    return '"' + ident.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


WORDS: dict[str, dict[str, str]] = {
    "en": {
        "legend": "Legend",
        "touchpoint": "Touchpoint: a desk, letter or portal where the citizen deals with an organisation",
        "lane": "Coloured area: the organisation responsible for the touchpoints in it",
        "document": "Document: a proof, registration, decision or outcome",
        "requires": "is needed for (grey dashed arrow into the touchpoint)",
        "one_of": "one of",
        "one_of.legend": "any one of these documents is enough",
        "produces": "gives (arrow out of the touchpoint)",
        "refers": "sends the citizen on to (thick blue arrow)",
        "fetched": "fetched by the organisation itself",
        "nobody": "NOBODY RESPONSIBLE",
        "nobody.legend": "Touchpoints no organisation is responsible for",
        "rule": "§ a rule that applies at the touchpoint, with who owns it",
        "owner": "owner",
        "no_owner.rule": "no owner",
        "days": "{n} days",
        "day": "1 day",
        "cost": "€ {n}",
        "channel.desk": "desk",
        "channel.phone": "phone",
        "channel.letter": "letter",
        "channel.portal": "portal",
        "channel.email": "email",
        "channel.home_visit": "home visit",
        "channel.form": "form",
        "channel.other": "other",
        # finding highlights
        "mark.cycle": "CIRCLE: need A for B and B for A",
        "legend.cycle": "Red thick arrows: a circle of documents. Need A for B, and B for A: nobody gets out",
        "mark.loop": "sent round in a loop",
        "legend.loop": "Orange double-headed arrows: a referral loop, sent from pillar to post",
        "mark.dead_end": "DEAD END",
        "legend.dead_end": "Red double border: a dead end. It cannot help and sends nowhere that can",
        "kind.ministry": "ministry",
        "kind.municipality": "municipality",
        "kind.province": "province",
        "kind.executive_agency": "executive agency",
        "kind.court": "court",
        "kind.school": "school",
        "kind.care_provider": "care provider",
        "kind.housing": "housing",
        "kind.bank": "bank",
        "kind.employer": "employer",
        "kind.ngo": "NGO",
        "kind.private": "private",
        "mark.unobtainable": "NOBODY CAN GET THIS",
        "legend.unobtainable": "Red dashed document: required, but nobody issues it",
        "mark.no_owner": "NOBODY RESPONSIBLE",
        "legend.no_owner": "Amber: nobody is responsible (no organisation, or a rule without owner)",
        "mark.goal_out": "goal out of reach for {who}",
        "mark.goal_ok": "goal of {who}",
        "legend.goal_out": "Thick red border: someone's goal that they cannot reach",
        "mark.futile": "cannot help",
        "legend.futile": "Purple dashed arrow: a referral that cannot help",
        "mark.expiry": "expires while waiting",
        "legend.expiry": "Purple arrow: the proof expires before the touchpoint is done",
        "mark.conflict": "contradicts another rule",
        "legend.conflict": "Red rule: rules that can never all be met together",
        "mark.gap": "leaves a gap: {region}",
        "legend.gap": "Red rule or goal: a group of people no rule serves (falling between the cracks)",
        "mark.repeated": "asked by {n} organisations",
        "legend.repeated": "Asked again and again: the same document asked by several organisations",
        "mark.focus": "part of this finding",
        "legend.focus": "Yellow: part of this finding; grey: what is around it",
        # persona view
        "persona.has": "has it from the start",
        "persona.can_get": "can get it",
        "persona.out_of_reach": "out of reach",
        "persona.goal_ok": "GOAL: reachable",
        "persona.goal_out": "GOAL: OUT OF REACH",
        "persona.helpful": "can help",
        "persona.cannot_help": "cannot help",
        "persona.excluded": "excluded by a rule",
        "persona.step": "step {n}",
        "legend.persona.obtainable": "Green: what {who} has or can get; green border: touchpoints that can help",
        "legend.persona.out": "Grey dashed: what stays out of reach",
        "legend.persona.plan": "step 1, 2, ...: the order in which to go",
        "persona.plan": "Plan: ",
        "persona.no_plan": "No way to reach every goal.",
        "persona.goals": "Goals",
        # journey view
        "journey.title": "Journey of {who}",
        "journey.step": "step {n}",
        "journey.back": "BACK AGAIN (first visit: step {n})",
        "journey.unknown": "(touchpoint no longer in the case)",
        "outcome.helped": "helped",
        "outcome.refused": "refused",
        "outcome.referred": "referred",
        "outcome.no_response": "no response",
        "outcome.pending": "pending",
        "journey.to": "sent to: {to}",
        "legend.journey.step": "Each box is one contact, in date order, in the lane of the organisation",
        "legend.journey.back": "Orange: the citizen comes back where they have already been",
        "legend.journey.next": "Arrows: what happened next",
        # intervention view
        "change.removed": "REMOVED",
        "change.added": "ADDED",
        "change.changed": "CHANGED",
        "change.moved": "moved from {old}",
        "change.fetched": "now fetched by the organisation",
        "legend.removed": "Grey dashed with 'REMOVED': taken away by the intervention",
        "legend.added": "Green thick with 'ADDED': new with the intervention",
        "legend.changed": "Blue with 'CHANGED': changed by the intervention",
        "intervention.title": "After: {title}",
        "intervention.owner": "Who can do it: {owner}",
        "intervention.resolves": "Resolves: {items}",
        "intervention.introduces": "Introduces: {items}",
        "intervention.none": "nothing",
        # limits
        "more": "… and {n} more",
        "more.rules": "… and {n} more rules",
        "report.diagrams_capped": (
            "Diagrams are drawn for the first {shown} of {total} findings, by severity; the other {rest} are "
            "listed without one ({limit} at most; `kafka-tool export CASE --format svg --finding ID` draws any "
            "finding, `--diagrams N` draws more)."
        ),
        "report.too_large": (
            "Not drawn: this diagram has {size} boxes and arrows, more than the {limit} Graphviz is given to lay "
            "out. `kafka-tool export CASE --format svg --finding ID` (or `--layers ...`) draws a part of it."
        ),
        "report.not_drawn": "Not drawn: {reason}.",
    },
    "nl": {
        "legend": "Legenda",
        "touchpoint": "Contactmoment: een loket, brief of portaal waar de burger met een organisatie te maken heeft",
        "lane": "Gekleurd vlak: de organisatie die verantwoordelijk is voor de contactmomenten erin",
        "document": "Document: een bewijs, inschrijving, besluit of uitkomst",
        "requires": "is nodig voor (grijze stippelpijl naar het contactmoment)",
        "one_of": "een van",
        "one_of.legend": "een van deze documenten is genoeg",
        "produces": "levert op (pijl uit het contactmoment)",
        "refers": "stuurt de burger door naar (dikke blauwe pijl)",
        "fetched": "haalt de organisatie zelf op",
        "nobody": "NIEMAND VERANTWOORDELIJK",
        "nobody.legend": "Contactmomenten waar geen organisatie verantwoordelijk voor is",
        "rule": "§ een regel die bij het contactmoment geldt, met wie erover gaat",
        "owner": "eigenaar",
        "no_owner.rule": "geen eigenaar",
        "days": "{n} dagen",
        "day": "1 dag",
        "cost": "€ {n}",
        "channel.desk": "loket",
        "channel.phone": "telefoon",
        "channel.letter": "brief",
        "channel.portal": "portaal",
        "channel.email": "e-mail",
        "channel.home_visit": "huisbezoek",
        "channel.form": "formulier",
        "channel.other": "anders",
        "mark.cycle": "CIRKEL: A nodig voor B en B voor A",
        "legend.cycle": "Dikke rode pijlen: een cirkel van documenten. A nodig voor B en B voor A: niemand komt eruit",
        "mark.loop": "rondgestuurd in een kring",
        "legend.loop": "Oranje dubbele pijlen: doorverwijzen in een kring, van het kastje naar de muur",
        "mark.dead_end": "DOODLOPEND",
        "legend.dead_end": "Dubbele rode rand: doodlopend. Kan niet helpen en verwijst nergens heen die dat wel kan",
        "kind.ministry": "ministerie",
        "kind.municipality": "gemeente",
        "kind.province": "provincie",
        "kind.executive_agency": "uitvoeringsorganisatie",
        "kind.court": "rechtbank",
        "kind.school": "school",
        "kind.care_provider": "zorgaanbieder",
        "kind.housing": "woningcorporatie",
        "kind.bank": "bank",
        "kind.employer": "werkgever",
        "kind.ngo": "maatschappelijke organisatie",
        "kind.private": "particulier",
        "mark.unobtainable": "NIEMAND KAN DIT KRIJGEN",
        "legend.unobtainable": "Rood gestippeld document: gevraagd, maar niemand geeft het af",
        "mark.no_owner": "NIEMAND VERANTWOORDELIJK",
        "legend.no_owner": "Oranjegeel: niemand verantwoordelijk (geen organisatie, of een regel zonder eigenaar)",
        "mark.goal_out": "doel onbereikbaar voor {who}",
        "mark.goal_ok": "doel van {who}",
        "legend.goal_out": "Dikke rode rand: een doel dat iemand niet kan bereiken",
        "mark.futile": "helpt niet",
        "legend.futile": "Paarse stippelpijl: een doorverwijzing die niet kan helpen",
        "mark.expiry": "verloopt tijdens het wachten",
        "legend.expiry": "Paarse pijl: het bewijs verloopt voordat het contactmoment klaar is",
        "mark.conflict": "spreekt een andere regel tegen",
        "legend.conflict": "Rode regel: regels waaraan nooit tegelijk te voldoen is",
        "mark.gap": "laat een gat: {region}",
        "legend.gap": "Rode regel of doel: een groep mensen die geen regel bedient (tussen wal en schip)",
        "mark.repeated": "gevraagd door {n} organisaties",
        "legend.repeated": "Steeds opnieuw gevraagd: hetzelfde document bij meerdere organisaties",
        "mark.focus": "deel van deze bevinding",
        "legend.focus": "Geel: deel van deze bevinding; grijs: wat eromheen ligt",
        "persona.has": "heeft het al",
        "persona.can_get": "kan het krijgen",
        "persona.out_of_reach": "onbereikbaar",
        "persona.goal_ok": "DOEL: bereikbaar",
        "persona.goal_out": "DOEL: ONBEREIKBAAR",
        "persona.helpful": "kan helpen",
        "persona.cannot_help": "kan niet helpen",
        "persona.excluded": "uitgesloten door een regel",
        "persona.step": "stap {n}",
        "legend.persona.obtainable": (
            "Groen: wat {who} heeft of kan krijgen; groene rand: contactmomenten die kunnen helpen"
        ),
        "legend.persona.out": "Grijs gestippeld: wat onbereikbaar blijft",
        "legend.persona.plan": "stap 1, 2, ...: de volgorde waarin je moet gaan",
        "persona.plan": "Plan: ",
        "persona.no_plan": "Er is geen weg naar alle doelen.",
        "persona.goals": "Doelen",
        "journey.title": "De reis van {who}",
        "journey.step": "stap {n}",
        "journey.back": "WEER TERUG (eerste bezoek: stap {n})",
        "journey.unknown": "(contactmoment staat niet meer in de casus)",
        "outcome.helped": "geholpen",
        "outcome.refused": "geweigerd",
        "outcome.referred": "doorverwezen",
        "outcome.no_response": "geen reactie",
        "outcome.pending": "in behandeling",
        "journey.to": "doorgestuurd naar: {to}",
        "legend.journey.step": "Elk vak is een contact, op datum, in de baan van de organisatie",
        "legend.journey.back": "Oranje: de burger komt terug waar hij of zij al was",
        "legend.journey.next": "Pijlen: wat er daarna gebeurde",
        "change.removed": "WEG",
        "change.added": "NIEUW",
        "change.changed": "GEWIJZIGD",
        "change.moved": "verplaatst van {old}",
        "change.fetched": "haalt de organisatie nu zelf op",
        "legend.removed": "Grijs gestippeld met 'WEG': verdwijnt door de interventie",
        "legend.added": "Dik groen met 'NIEUW': nieuw door de interventie",
        "legend.changed": "Blauw met 'GEWIJZIGD': veranderd door de interventie",
        "intervention.title": "Na: {title}",
        "intervention.owner": "Wie kan het doen: {owner}",
        "intervention.resolves": "Lost op: {items}",
        "intervention.introduces": "Nieuw probleem: {items}",
        "intervention.none": "niets",
        "more": "… en nog {n}",
        "more.rules": "… en nog {n} regels",
        "report.diagrams_capped": (
            "Er zijn diagrammen voor de eerste {shown} van {total} bevindingen, op ernst; de andere {rest} staan "
            "in de lijst zonder diagram (hoogstens {limit}; `kafka-tool export CASUS --format svg --finding ID` "
            "tekent elke bevinding, `--diagrams N` tekent er meer)."
        ),
        "report.too_large": (
            "Niet getekend: dit diagram heeft {size} vakken en pijlen, meer dan de {limit} die Graphviz krijgt om "
            "op te maken. `kafka-tool export CASUS --format svg --finding ID` (of `--layers ...`) tekent een deel."
        ),
        "report.not_drawn": "Niet getekend: {reason}.",
    },
}


def word(language: str, key: str, **values: Any) -> str:
    """The diagram word ``key`` in ``language`` (English when missing), filled in."""
    table = WORDS.get(language, WORDS["en"])
    template = table.get(key) or WORDS["en"][key]
    return template.format(**values) if values else template
