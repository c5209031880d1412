"""The review table as a page for the meeting with every organisation: HTML and Markdown.

What each organisation at the table can act on, layer by layer (the core's
:func:`kafka_tool.review.review_table`): the findings it can act on, marked when they span
two or more layers (a problem no single layer can solve, "één overheid"); the rules it owns
that cause findings; the interventions it owns, with their status, dates and obstacles, and
overdue marked against a day (``today``). The organisations with nothing to act on are named
in one line at the end of their layer; the findings no organisation of the case can act on,
and the interventions without an owner, at the end. A summary on top counts the findings that
span layers and names the interventions that are overdue.

:func:`review_page` words it all once, in the case's language (:class:`ReviewPage`);
:func:`review_html` lays the page out with ``templates/review.html.j2`` (on the HTML report's
frame and styles, autoescaped), :func:`review_markdown` with the core's Markdown escaping
(:mod:`kafka_tool.markdown`), as the Markdown report does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources

from markupsafe import Markup

from kafka_tool import markdown as md
from kafka_tool.analysis.engine import Analysis
from kafka_tool.analysis.kinds import kind_label
from kafka_tool.analysis.texts import SEVERITY_WORDS
from kafka_tool.findings import Finding
from kafka_tool.i18n import Words, words
from kafka_tool.model import Intervention
from kafka_tool.review import ActorRow, review_table
from kafka_tool.vocabulary import value_word

from .reports import _templates

__all__ = [
    "ActorEntry",
    "FindingLine",
    "InterventionLine",
    "LayerEntry",
    "ReviewLabels",
    "ReviewPage",
    "RuleLine",
    "review_html",
    "review_markdown",
    "review_page",
]


@dataclass(frozen=True)
class ReviewLabels:
    """Every heading and label of the review page, in its language."""

    heading: str
    summary: str
    today: str
    findings: str
    rules: str
    interventions: str
    intervention: str
    status: str
    agreed_on: str
    due: str
    review: str
    obstacles: str
    notes: str
    overdue: str
    default: str
    default_note: str
    source: str
    causes: str
    spans: str
    spans_note: str
    not_needed: str
    no_actors: str
    unowned: str
    nobody: str
    generated: str

    @classmethod
    def of(cls, say: Words, today: str) -> ReviewLabels:
        """The labels in the language of ``say``; ``today`` the day overdue is counted on, in words."""
        return cls(
            heading=say.say("Review table"),
            summary=say.say("Summary"),
            today=say.say("Overdue counted on {day}", day=today),
            findings=say.say("Findings it can act on"),
            rules=say.say("Its rules that cause findings"),
            interventions=say.say("Its interventions"),
            intervention=say.say("Intervention"),
            status=say.say("Status"),
            agreed_on=say.say("Agreed on"),
            due=say.say("Due"),
            review=say.say("Review"),
            obstacles=say.say("Obstacles"),
            notes=say.say("Notes"),
            overdue=say.say("overdue"),
            default=say.say("(default)"),
            default_note=say.say("six months after the day it was agreed on"),
            source=say.say("source"),
            causes=say.say("causes"),
            spans=say.say("across layers"),
            spans_note=say.say("Marked “across layers”: a problem no single layer can solve; its organisations "
                               "belong to two or more layers, and they have to solve it together."),
            not_needed=say.say("Not needed at the table"),
            no_actors=say.say("The case names no organisations."),
            unowned=say.say("Interventions without an owner"),
            nobody=say.say("Findings no organisation in the case can act on"),
            generated=say.say("Made with kafka-tool from case"),
        )


@dataclass(frozen=True)
class FindingLine:
    """A finding as the review table shows it."""

    id: str
    #: its severity's key (``critical``), for its colour
    severity: str
    severity_word: str
    kind_word: str
    title: str
    #: the words of its layers, in the order of the layers
    layers: tuple[str, ...]
    #: whether it spans two or more layers
    spans: bool


@dataclass(frozen=True)
class RuleLine:
    """A rule an organisation owns, and the findings it causes."""

    id: str
    name: str
    source: str | None
    findings: tuple[FindingLine, ...]


@dataclass(frozen=True)
class InterventionLine:
    """An intervention with its status and dates in words."""

    id: str
    title: str
    status: str
    status_word: str
    agreed_on: str
    due: str
    review: str
    #: whether the review date is the default: six months after the day it was agreed on
    review_default: bool
    overdue: bool
    obstacles: tuple[str, ...]
    notes: str
    #: the name of its owner ("" when it has none)
    owner: str


@dataclass(frozen=True)
class ActorEntry:
    """An organisation at the table."""

    id: str
    name: str
    kind_word: str
    findings: tuple[FindingLine, ...]
    rules: tuple[RuleLine, ...]
    interventions: tuple[InterventionLine, ...]


@dataclass(frozen=True)
class LayerEntry:
    """One layer: its organisations with something to act on, and the names of the others."""

    layer: str
    heading: str
    actors: tuple[ActorEntry, ...]
    #: the organisations with nothing to act on: 'Library (other)'
    idle: tuple[str, ...]


@dataclass(frozen=True)
class ReviewPage:
    """The review table of a case in words, in one language: what the HTML and Markdown lay out."""

    language: str
    case_id: str
    title: str
    today: str
    labels: ReviewLabels
    #: how many findings span two or more layers, in a sentence
    spanning: str
    #: how many interventions are overdue on ``today``, in a sentence; and which they are
    overdue_count: str
    overdue: tuple[InterventionLine, ...]
    #: the summary's other sentences: who is at the table, the findings nobody can act on
    summary: tuple[str, ...]
    layers: tuple[LayerEntry, ...]
    #: interventions the case gives no owner: they have no row at the table
    unowned: tuple[InterventionLine, ...]
    #: findings (not accepted) that no organisation of the case can act on: no row has them
    nobody: tuple[FindingLine, ...] = ()


def _day(say: Words, day: dt.date | None) -> str:
    """A date as the language writes it in full: '1 June 2024', '1 juni 2024' ('' for none)."""
    return "" if day is None else say.date(day)


def _finding_line(finding: Finding, say: Words) -> FindingLine:
    return FindingLine(
        id=finding.id,
        severity=finding.severity,
        severity_word=say.say(SEVERITY_WORDS[finding.severity]),
        kind_word=kind_label(finding.kind, say),
        title=finding.title,
        layers=tuple(value_word(say, "layer", layer) for layer in finding.layers),
        spans=finding.spans_layers,
    )


def _intervention_line(analysis: Analysis, item: Intervention, today: dt.date, say: Words) -> InterventionLine:
    return InterventionLine(
        id=item.id,
        title=item.title,
        status=item.status,
        status_word=value_word(say, "status", item.status),
        agreed_on=_day(say, item.agreed_on),
        due=_day(say, item.due),
        review=_day(say, item.review_date),
        review_default=item.review_on is None and item.review_date is not None,
        overdue=item.overdue(today),
        obstacles=tuple(value_word(say, "obstacles", o) for o in item.obstacles),
        notes=" ".join((item.notes or "").split()),
        owner=analysis.index.name(item.owner) if item.owner else "",
    )


def _actor_entry(analysis: Analysis, row: ActorRow, today: dt.date, say: Words) -> ActorEntry:
    lines = {f.id: _finding_line(f, say) for f in row.findings}
    rules = []
    for rule, ids in row.rules:
        caused = tuple(lines[i] if i in lines else _finding_line(analysis.finding(i), say)  # type: ignore[arg-type]
                       for i in ids)
        rules.append(RuleLine(rule.id, rule.name, " ".join(rule.source.split()) if rule.source else None, caused))
    return ActorEntry(
        id=row.actor.id,
        name=row.actor.name,
        kind_word=value_word(say, "kind", row.actor.kind),
        findings=tuple(lines.values()),
        rules=tuple(rules),
        interventions=tuple(_intervention_line(analysis, i, today, say) for i in row.interventions),
    )


def review_page(analysis: Analysis, today: dt.date | None = None) -> ReviewPage:
    """The review table of ``analysis`` in words, overdue counted on ``today`` (default: the date today).

    Examples
    --------
    >>> import datetime as dt
    >>> from kafka_tool.analysis.engine import analyze
    >>> from kafka_tool.model import Case
    >>> case = Case.model_validate({
    ...     "format": "kafka-case/1", "id": "c", "title": "C",
    ...     "actors": [{"id": "bank", "name": "Bank", "kind": "bank"},
    ...                {"id": "town", "name": "Town", "kind": "municipality"}],
    ...     "documents": [{"id": "address", "name": "Address"}, {"id": "account", "name": "Account"}],
    ...     "touchpoints": [
    ...         {"id": "open", "name": "Open account", "actor": "bank",
    ...          "requires": ["address"], "produces": ["account"]},
    ...         {"id": "register", "name": "Register", "actor": "town",
    ...          "requires": ["account"], "produces": ["address"]}],
    ...     "personas": [{"id": "amira", "name": "Amira", "goals": ["account"]}],
    ...     "interventions": [{"id": "p", "title": "Postal address", "owner": "town",
    ...                        "agreed_on": "2024-03-01"}]})
    >>> page = review_page(analyze(case), dt.date(2024, 10, 1))
    >>> [layer.heading for layer in page.layers]
    ['Municipality (gemeente)', 'Private sector']
    >>> postal = page.overdue[0]
    >>> postal.title, postal.review, postal.review_default
    ('Postal address', '1 September 2024', True)
    """
    today = today or dt.date.today()
    case = analysis.case
    say = words(case.language)
    labels = ReviewLabels.of(say, _day(say, today))
    layers = []
    for group in review_table(analysis):
        entries = [_actor_entry(analysis, row, today, say) for row in group.rows if not row.idle]
        idle = [f"{row.actor.name} ({value_word(say, 'kind', row.actor.kind)})" for row in group.rows if row.idle]
        heading = value_word(say, "layer", group.layer)
        layers.append(LayerEntry(group.layer, heading[:1].upper() + heading[1:], tuple(entries), tuple(idle)))
    interventions = [_intervention_line(analysis, item, today, say) for item in case.interventions]
    overdue = tuple(line for line in interventions if line.overdue)
    active = [f for f in analysis.findings if f.accepted is None]
    spanning = sum(1 for f in active if f.spans_layers)
    nobody = [_finding_line(f, say) for f in active if not f.actors]
    at_table = sum(len(layer.actors) for layer in layers)
    idle_count = sum(len(layer.idle) for layer in layers)
    summary = [say.say_n("{n} organisation can act on something.", "{n} organisations can act on something.",
                         at_table)]
    if idle_count:
        summary[0] += " " + say.say_n("{n} organisation is not needed at the table.",
                                      "{n} organisations are not needed at the table.", idle_count)
    if nobody:
        summary.append(say.say_n("{n} finding has no organisation in the case that can act on it.",
                                 "{n} findings have no organisation in the case that can act on them.", len(nobody)))
    return ReviewPage(
        language=case.language,
        case_id=case.id,
        title=case.title,
        today=_day(say, today),
        labels=labels,
        spanning=say.say_n("{n} finding spans two or more layers: no single layer can solve it.",
                           "{n} findings span two or more layers: no single layer can solve them.", spanning),
        overdue_count=say.say_n("{n} intervention is overdue:", "{n} interventions are overdue:", len(overdue))
        if overdue else say.say("No intervention is overdue."),
        overdue=overdue,
        summary=tuple(summary),
        layers=tuple(layers),
        unowned=tuple(line for line in interventions if not line.owner),
        nobody=tuple(nobody),
    )


# ---------------------------------------------------------------- HTML


def review_html(analysis: Analysis, today: dt.date | None = None) -> str:
    """The review table as one self-contained HTML page (the HTML report's frame and styles)."""
    page = review_page(analysis, today)
    css = (resources.files("exports") / "templates" / "report.css").read_text(encoding="utf-8")
    return _templates().get_template("review.html.j2").render(
        language=page.language, page=page, t=page.labels, css=Markup(css))


# ---------------------------------------------------------------- Markdown


def _finding_markdown(line: FindingLine, labels: ReviewLabels) -> str:
    text = f"**{md.text(line.severity_word)}** · {md.text(line.kind_word)} · {md.text(line.title)}"
    if line.spans:
        text += f" · **⚑ {md.text(labels.spans)}** ({md.text(', '.join(line.layers))})"
    return text


def _intervention_cells(line: InterventionLine, labels: ReviewLabels) -> list[str]:
    due = md.text(line.due)
    review = md.text(line.review) + (f" {md.text(labels.default)}" if line.review_default and line.review else "")
    status = md.text(line.status_word)
    if line.overdue:
        status += f" · **{md.text(labels.overdue)}**"
    return [md.text(line.title), status, md.text(line.agreed_on), due, review,
            md.text(", ".join(line.obstacles)), md.text(line.notes)]


def _interventions_table(lines: tuple[InterventionLine, ...], labels: ReviewLabels) -> list[str]:
    heads = [labels.intervention, labels.status, labels.agreed_on, labels.due, labels.review, labels.obstacles,
             labels.notes]
    out = ["| " + " | ".join(md.text(h) for h in heads) + " |", "|" + "---|" * len(heads)]
    out += ["| " + " | ".join(_intervention_cells(line, labels)) + " |" for line in lines]
    return [*out, ""]


def review_markdown(analysis: Analysis, today: dt.date | None = None) -> str:
    """The review table in Markdown: every piece of text from the case escaped (:mod:`kafka_tool.markdown`)."""
    page = review_page(analysis, today)
    t = page.labels
    out = [f"# {md.text(t.heading)}: {md.text(page.title)}", "",
           f"{md.code(page.case_id)} · {md.text(t.today)}", "",
           f"## {md.text(t.summary)}", ""]
    out += [f"- {md.text(page.spanning)}", f"- {md.text(page.overdue_count)}"]
    for line in page.overdue:
        owner = f" ({md.text(line.owner)})" if line.owner else ""
        due = f" · {md.text(t.due)} {md.text(line.due)}" if line.due else ""
        out.append(f"  - **{md.text(line.title)}**{owner}{due}")
    out += [f"- {md.text(sentence)}" for sentence in page.summary]
    out.append("")
    out += [f"*⚑ {md.text(t.spans_note)}*", ""]
    if not page.layers:
        out += [md.text(t.no_actors), ""]
    for layer in page.layers:
        out += [f"## {md.text(layer.heading)}", ""]
        for actor in layer.actors:
            out += [f"### {md.text(actor.name)} · {md.text(actor.kind_word)}", ""]
            if actor.findings:
                out += [f"**{md.text(t.findings)}**", ""]
                out += [f"- {_finding_markdown(line, t)}" for line in actor.findings]
                out.append("")
            if actor.rules:
                out += [f"**{md.text(t.rules)}**", ""]
                for rule in actor.rules:
                    source = f" ({md.text(t.source)}: {md.text(rule.source)})" if rule.source else ""
                    out.append(f"- {md.text(rule.name)}{source} · {md.text(t.causes)}:")
                    out += [f"  - {md.text(f.severity_word)} · {md.text(f.title)}" for f in rule.findings]
                out.append("")
            if actor.interventions:
                out += [f"**{md.text(t.interventions)}**", ""]
                out += _interventions_table(actor.interventions, t)
        if layer.idle:
            out += [f"*{md.text(t.not_needed)}:* {md.text(', '.join(layer.idle))}", ""]
    if page.nobody:
        out += [f"## {md.text(t.nobody)}", ""]
        out += [f"- {_finding_markdown(line, t)}" for line in page.nobody]
        out.append("")
    if page.unowned:
        out += [f"## {md.text(t.unowned)}", ""]
        out += _interventions_table(page.unowned, t)
    out += [f"*{md.text(t.generated)} {md.code(page.case_id)}*"]
    return "\n".join(out).rstrip() + "\n"
