"""Analysis results as text for people, JSON for programs, Markdown for reports.

Every format is deterministic: the same case gives the same bytes.

One report, many formats: :func:`build_report` makes the :class:`Report` of an
analysis (its headings in the case's language, the personas' rows, the counts,
the findings by severity, and the interventions compared), and the text, the
Markdown and the HTML report (``exports/templates``) only lay it out.

:func:`to_markdown` is the one Markdown report: ``analyze --format markdown``
prints it, and the ``md`` export writes it with its diagrams (see
:class:`DiagramLinks`) and the interventions. Every piece of text that comes
from the case, and every finding's sentences (which quote the case's names),
is escaped by :mod:`kafka_tool.markdown`. Its counts are those of the text
report (:func:`findings_summary`): the findings that count against the case,
and the accepted ones apart.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import markdown as md
from .analysis.engine import Analysis
from .analysis.regions import describe_region
from .analysis.texts import SEVERITY_WORDS, burden_words
from .errors import KafkaToolError
from .findings import SEVERITIES, Annual, Finding, PersonaResult
from .i18n import Words, words
from .interventions import Change, Comparison
from .json_out import findings_json, iter_json_bytes, to_json_text
from .vocabulary import value_word

__all__ = [
    "SEVERITY_COLOURS",
    "BurdenRow",
    "BurdenTable",
    "DiagramLinks",
    "FindingEntry",
    "GoalState",
    "Headings",
    "InterventionEntry",
    "PersonaChange",
    "PersonaRow",
    "Report",
    "Section",
    "build_report",
    "comparison_text",
    "findings_json",
    "findings_summary",
    "goals_words",
    "intervention_comparisons",
    "iter_json_bytes",
    "quantity_words",
    "to_json_text",
    "to_markdown",
    "to_text",
]

SEVERITY_COLOURS = {"critical": "red", "high": "yellow", "medium": "cyan", "low": "white"}


def _style(text: str, colour: bool, **style: Any) -> str:
    if not colour:
        return text
    import click

    return click.style(text, **style)


def _wrap(text: str, indent: str, width: int = 92) -> str:
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent)


# ---------------------------------------------------------------- the report model


@dataclass(frozen=True)
class Headings:
    """Every heading and label a report shows, in its language (the renderers only lay them out)."""

    personas: str
    personas_table: str
    persona: str
    goals: str
    burden_plan: str
    plan: str
    burden: str
    ahead: str
    means: str
    findings: str
    summary: str
    source: str
    diagram: str
    interventions: str
    resolves: str
    introduces: str
    changes: str
    owner: str
    nothing: str
    reachable: str
    unreachable: str
    no_interventions: str
    no_findings: str
    could_not: str
    before: str
    after: str
    who: str
    affected: str
    region: str
    accepted: str
    layers: str
    no_single_layer: str
    generated: str
    burden_table: str
    people_year: str
    hours_each: str
    hours_year: str
    cost_year: str
    total: str
    #: the section that lists the findings no single layer can solve
    across_heading: str
    across_intro: str
    severity: Mapping[str, str]

    @classmethod
    def of(cls, say: Words) -> Headings:
        """The headings in the language of ``say``."""
        return cls(
            personas=say.say("Personas"),
            personas_table=say.say("Personas and their burden"),
            persona=say.say("Persona"),
            goals=say.say("Goals"),
            burden_plan=say.say("Burden (plan)"),
            plan=say.say("plan"),
            burden=say.say("burden"),
            ahead=say.say("ahead"),
            means=say.say("means"),
            findings=say.say("Findings"),
            summary=say.say("Summary"),
            source=say.say("Source"),
            diagram=say.say("The case"),
            interventions=say.say("Interventions"),
            resolves=say.say("Resolves"),
            introduces=say.say("Introduces"),
            changes=say.say("Changes"),
            owner=say.say("Who can do it"),
            nothing=say.say("nothing"),
            reachable=say.say("reachable"),
            unreachable=say.say("out of reach"),
            no_interventions=say.say("The case has no interventions."),
            no_findings=say.say("No findings."),
            could_not=say.say("Could not apply"),
            before=say.say("before"),
            after=say.say("after"),
            who=say.say("who can act"),
            affected=say.say("personas"),
            region=say.say("region"),
            accepted=say.say("accepted"),
            layers=say.say("layers"),
            no_single_layer=say.say("no single layer can solve this"),
            generated=say.say("Made with kafka-tool from case"),
            burden_table=say.say("Burden a year"),
            people_year=say.say("People a year"),
            hours_each=say.say("Hours each"),
            hours_year=say.say("Hours a year"),
            cost_year=say.say("Cost a year"),
            total=say.say("Total"),
            across_heading=say.say("Problems no single layer can solve"),
            across_intro=say.say("The organisations of these findings belong to two or more layers; no layer can "
                                 "solve them alone, only together (“one government”)."),
            severity={key: say.say(word) for key, word in SEVERITY_WORDS.items()},
        )


@dataclass(frozen=True)
class GoalState:
    """A goal of a persona: its id, its name, and whether the persona can reach it."""

    id: str
    name: str
    reachable: bool
    #: when the persona can hold it, and by when it is needed: 'day 35, needed by day 30: too late'
    when: str = ""
    #: the persona can reach it, but only after the day it is needed by
    late: bool = False


@dataclass(frozen=True)
class PersonaRow:
    """A persona as the reports show it: goals, plan and burden, and the road ahead."""

    id: str
    name: str
    goals: tuple[GoalState, ...]
    plan: tuple[str, ...]
    burden: str
    #: the moments ahead at which a goal is lost or regained: 'within a year (age 18): loses housing'
    ahead: tuple[str, ...] = ()
    #: per money attribute, what the persona has a month where it stands, and where more leaves less
    means: tuple[str, ...] = ()


@dataclass(frozen=True)
class BurdenRow:
    """A persona's line of the burden table, in words: the people a year in its situation, the hours
    one of them spends, and the hours and cost of them all in a year ('—' without a population)."""

    name: str
    people: str
    hours: str
    hours_year: str
    cost_year: str


@dataclass(frozen=True)
class BurdenTable:
    """The burden of the case as the Standard Cost Model tables it: the burden of one person times the
    people in the situation, persona by persona.

    ``total`` adds up the personas with a population (when there are two or more); ``note`` says
    when the cost leaves the hours out (the case gives an hour no value).
    """

    rows: tuple[BurdenRow, ...]
    total: BurdenRow | None = None
    note: str | None = None


@dataclass(frozen=True)
class FindingEntry:
    """A finding with the words a report shows beside it."""

    finding: Finding
    severity: str
    #: evidence lines that the explanation does not already say word for word
    evidence: tuple[str, ...]
    actors: tuple[str, ...]
    #: the words of its layers, when it spans two or more (a problem no single layer can solve), else empty
    cross_layer: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """The findings of one severity."""

    severity: str
    heading: str
    count: str
    findings: tuple[FindingEntry, ...]


@dataclass(frozen=True)
class PersonaChange:
    """One persona before and after an intervention."""

    name: str
    goals: tuple[tuple[str, bool, bool], ...]  # goal name, reachable before, reachable after
    before: str
    after: str
    #: '1,200 people a year' for a persona with a population, else empty
    people: str = ""
    #: the burden of all those people in a year, before and after: '12,000 hours, € 252,000'
    annual_before: str = ""
    annual_after: str = ""


@dataclass(frozen=True)
class InterventionEntry:
    """An intervention as a report shows it: what it resolves and introduces, and for whom."""

    id: str
    title: str
    description: str | None
    owner: str | None
    error: str | None
    resolved: tuple[Finding, ...] = ()
    introduced: tuple[Finding, ...] = ()
    personas: tuple[PersonaChange, ...] = ()
    #: findings that stay but change: (the finding after, what changed in words)
    changed: tuple[tuple[Finding, str], ...] = ()


@dataclass(frozen=True)
class Report:
    """One report of an analysis, in one language: what every format shows.

    The text, Markdown and HTML reports are renderings of this; none of them
    counts, sorts or words anything itself.
    """

    language: str
    case_id: str
    title: str
    summary: str | None
    source: str | None
    headings: Headings
    personas: tuple[PersonaRow, ...]
    #: '13 findings (3 critical, 10 high), 1 accepted'
    counts: str
    sections: tuple[Section, ...]
    stale: tuple[str, ...]
    interventions: tuple[InterventionEntry, ...] | None = None
    #: the burden table, in a case where some persona spends hours or has a population
    burden: BurdenTable | None = None
    #: the findings (not accepted) that span two or more layers, in the order of the sections
    across_layers: tuple[FindingEntry, ...] = ()

    def stale_note(self, finding_id: str) -> str:
        """The note on an accepted finding that no longer occurs, with ``{id}`` left for the id."""
        return words(self.language).say("Accepted finding {id} no longer occurs.", id="{id}")


def _grouped(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    groups: dict[str, list[Finding]] = {s: [] for s in SEVERITIES}
    for finding in findings:
        groups[finding.severity].append(finding)
    return {s: fs for s, fs in groups.items() if fs}


def _extra_evidence(finding: Finding) -> tuple[str, ...]:
    """Evidence lines the explanation does not already say word for word."""
    return tuple(item for item in finding.evidence if item not in finding.explanation)


def _open_count(group: list[Finding], headings: Headings) -> str:
    """How many findings of a group count against the case, and how many are accepted."""
    accepted = sum(1 for f in group if f.accepted is not None)
    if not accepted:
        return str(len(group))
    return f"{len(group) - accepted}, +{accepted} {headings.accepted}"


def findings_summary(findings: Iterable[Finding], language: str) -> str:
    """'13 findings (3 critical, 10 high), 1 accepted': what every report says about its findings.

    Accepted findings no longer count against the case: the counts are of the
    others, and the accepted ones are counted apart.
    """
    say = words(language)
    headings = Headings.of(say)
    findings = list(findings)
    open_groups = _grouped([f for f in findings if f.accepted is None])
    counts = ", ".join(f"{len(g)} {headings.severity[s].lower()}" for s, g in open_groups.items()) or "-"
    accepted = sum(1 for f in findings if f.accepted is not None)
    summary = say.say_n("{n} finding ({counts})", "{n} findings ({counts})", len(findings) - accepted, counts=counts)
    if accepted:
        summary += f", {accepted} {headings.accepted}"
    return summary


def intervention_comparisons(analysis: Analysis) -> list[tuple[str, Comparison | str]]:
    """Each intervention of the case on its own: its comparison, or why it cannot be applied."""
    from .interventions import compare

    out: list[tuple[str, Comparison | str]] = []
    for item in analysis.case.interventions:
        try:
            out.append((item.id, compare(analysis.case, [item.id], analysis)))
        except KafkaToolError as error:
            out.append((item.id, str(error)))
    return out


def _persona_change(index: Any, change: Any, language: str, hours: bool = False) -> PersonaChange:
    """A persona's change in words; with ``hours``, its burden says the hours before and after."""
    say = words(language)
    goals = tuple((index.name(goal), bool(change.before["goals_reachable"].get(goal, False)), bool(ok))
                  for goal, ok in change.after["goals_reachable"].items())
    currency = index.case.currency
    people = ""
    annual = ["", ""]
    if change.before["annual"] is not None:
        people = people_words(say, change.before["annual"]["people"])
        annual = [annual_words(say, state["annual"], currency) for state in (change.before, change.after)]
    return PersonaChange(index.name(change.id), goals,
                         plan_burden_words(language, change.before, currency, hours),
                         plan_burden_words(language, change.after, currency, hours), people, *annual)


def plan_burden_words(language: str, state: dict[str, Any], currency: str, hours: bool | None = None) -> str:
    """The burden along a persona's plan (``state``: its ``goals_reachable`` and ``burden``), or, for one
    that cannot take a single step towards a goal it lacks, that there is no way: not "0 steps".

    >>> plan_burden_words("nl", {"goals_reachable": {"a": False},
    ...                          "burden": {"steps": 0, "actors": 0, "days": 0, "cost": 0}}, "EUR")
    'geen weg naar de doelen die ontbreken'
    """
    reachable = state["goals_reachable"]
    if state["burden"]["steps"] == 0 and not all(reachable.values()):
        return words(language).say("no way to the goals it lacks")
    return burden_words(language, state["burden"], currency, hours)


def _counts_hours(comparison: Comparison) -> bool:
    """Whether a comparison's personas spend hours, before or after: then every burden says them."""
    return any(state["burden"]["hours"] for p in comparison.personas for state in (p.before, p.after))


def quantity_words(say: Words, value: float) -> str:
    """People or hours as a table shows them: grouped as the language groups them when whole
    (20,000; 20.000), otherwise as they are (412.5).

    Examples
    --------
    >>> quantity_words(words("nl"), 19800), quantity_words(words("en"), 412.5)
    ('19.800', '412.5')
    """
    return say.count(int(value)) if float(value).is_integer() else say.number(round(value, 2))


def people_words(say: Words, people: float) -> str:
    """'1,200 people a year'."""
    # Said apart: pybabel reads the name `say` among the arguments of say_n as a call and drops the plural.
    said = quantity_words(say, people)
    return say.say_n("{people} person a year", "{people} people a year", 1 if people == 1 else 2, people=said)


def annual_words(say: Words, annual: Mapping[str, Any], currency: str) -> str:
    """The burden of everyone in a situation in a year: '12,000 hours, € 252,000'."""
    hours = annual["hours"]
    said = quantity_words(say, hours)
    return say.say_n("{hours} hour", "{hours} hours", 1 if hours == 1 else 2, hours=said) + ", " \
        + say.money(round(annual["cost"], 2), currency)


def _intervention_entry(analysis: Analysis, ident: str, result: Comparison | str) -> InterventionEntry:
    item = analysis.case.intervention(ident)
    title = item.title if item is not None else ident
    owner = analysis.index.name(item.owner) if item is not None and item.owner else None
    description = item.description.strip() if item is not None and item.description else None
    if isinstance(result, str):
        return InterventionEntry(ident, title, description, owner, result)
    language = analysis.case.language
    hours = _counts_hours(result)
    return InterventionEntry(
        ident, title, description, owner, None, tuple(result.resolved), tuple(result.introduced),
        tuple(_persona_change(analysis.index, change, language, hours) for change in result.personas),
        tuple((c.after, change_words(words(language), analysis.index, c)) for c in result.changed),
    )


def goal_time_words(say: Words, day: float | None, deadline: float | None) -> str:
    """When a goal can be held and by when it is needed: 'day 35, needed by day 30: too late'.

    Examples
    --------
    >>> goal_time_words(words("en"), 35, 30), goal_time_words(words("nl"), 12, None)
    ('day 35, needed by day 30: too late', 'dag 12')
    >>> goal_time_words(words("en"), 0, None)  # what the persona has from the start: no day to say
    ''
    """
    if day is None:
        return say.say("needed by day {deadline}", deadline=say.number(deadline)) if deadline is not None else ""
    if deadline is None:
        return say.say("day {day}", day=say.number(day)) if day else ""
    if day > deadline:
        return say.say("day {day}, needed by day {deadline}: too late", day=say.number(day),
                       deadline=say.number(deadline))
    return say.say("day {day}, needed by day {deadline}", day=say.number(day), deadline=say.number(deadline))


def _persona_row(analysis: Analysis, result: Any, say: Words) -> PersonaRow:
    from .analysis.transitions import road_ahead

    view = analysis.views[result.id]
    index = analysis.index
    goals = []
    for g, ok in result.goals_reachable.items():
        day, deadline = result.earliest_days.get(g), view.deadlines.get(g)
        late = day is not None and deadline is not None and day > deadline
        goals.append(GoalState(g, index.name(g), ok, goal_time_words(say, day, deadline), late))
    ahead = tuple(change.line(say) for change in road_ahead(index, view.persona, view.goals_reachable, view.ahead,
                                                             say))
    return PersonaRow(result.id, index.name(result.id), tuple(goals), tuple(index.name(t) for t in result.plan),
                      plan_burden_words(say.language, {"goals_reachable": result.goals_reachable,
                                                       "burden": result.burden.to_json()}, analysis.case.currency),
                      ahead,
                      tuple(_means_line(analysis, means, say) for means in view.means.values()))


def _means_line(analysis: Analysis, means: Any, say: Words) -> str:
    """'€ 1,860 a month at income 0; earning more leaves less above 1100, 1300 and 1560'."""
    from .analysis.regions import attribute_label

    name = attribute_label(means.attribute, analysis.case.attributes.get(means.attribute))
    edges = [say.number(c.edge) for c in means.cliffs()]
    where = say.say("where earning more leaves less: above {edges}", edges=say.list(edges, limit=len(edges))) \
        if edges else say.say("earning more never leaves less")
    if means.at is None:
        return f"{name}: {where}"
    amount = say.money(round(means.means(means.at), 2), analysis.case.currency)
    return say.say("{amount} a month at {attribute} {value}; {where}", amount=amount, attribute=name,
                   value=say.number(means.at), where=where)


def _burden_table(analysis: Analysis, results: list[PersonaResult], say: Words,
                  headings: Headings) -> BurdenTable | None:
    """The case's burden table (see :class:`BurdenTable`); None when no persona spends hours or has a
    population (a case that measures neither gets no empty table)."""
    if not any(r.annual is not None or r.burden.hours for r in results):
        return None
    currency = analysis.case.currency
    absent = "—"

    def row(name: str, hours: str, annual: Annual | None) -> BurdenRow:
        if annual is None:
            return BurdenRow(name, absent, hours, absent, absent)
        return BurdenRow(name, quantity_words(say, annual.people), hours, quantity_words(say, annual.hours),
                         say.money(round(annual.cost, 2), currency))

    rows = tuple(row(analysis.index.name(r.id), say.number(r.burden.hours), r.annual) for r in results)
    counted = [r.annual for r in results if r.annual is not None]
    total = None
    if len(counted) > 1:
        total = row(headings.total, "", Annual(sum(a.people for a in counted), sum(a.hours for a in counted),
                                                sum(a.cost for a in counted)))
    note = None
    if analysis.case.hour_value is None and any(r.burden.hours for r in results):
        note = say.say("The cost leaves the hours out: the case gives an hour no value (hour_value).")
    return BurdenTable(rows, total, note)


def build_report(analysis: Analysis, persona: str | None = None, *, interventions: bool = False) -> Report:
    """The report of ``analysis`` (of one persona's findings when ``persona`` is given), in the case's language.

    With ``interventions`` each of the case's interventions is compared on its own and added.
    """
    case = analysis.case
    language = case.language
    say = words(language)
    headings = Headings.of(say)
    findings = analysis.for_persona(persona) if persona else analysis.findings
    results = [result for result in analysis.personas if persona is None or result.id == persona]
    rows = tuple(_persona_row(analysis, result, say) for result in results)
    sections = tuple(
        Section(
            severity,
            headings.severity[severity],
            _open_count(group, headings),
            tuple(FindingEntry(f, headings.severity[f.severity], _extra_evidence(f),
                               tuple(analysis.index.name(a) for a in f.actors),
                               tuple(value_word(say, "layer", layer) for layer in f.layers)
                               if f.spans_layers else ()) for f in group),
        )
        for severity, group in _grouped(findings).items()
    )
    entries = None
    if interventions:
        entries = tuple(_intervention_entry(analysis, ident, result)
                        for ident, result in intervention_comparisons(analysis))
    return Report(
        language=language,
        case_id=case.id,
        title=case.title,
        summary=case.summary,
        source=case.source,
        headings=headings,
        personas=rows,
        counts=findings_summary(findings, language),
        sections=sections,
        stale=tuple(analysis.stale_accepted),
        interventions=entries,
        burden=_burden_table(analysis, results, say, headings),
        across_layers=tuple(entry for section in sections for entry in section.findings
                            if entry.cross_layer and entry.finding.accepted is None),
    )


# ---------------------------------------------------------------- text


def to_text(analysis: Analysis, persona: str | None = None, colour: bool = False) -> str:
    """Findings for people: grouped by severity, with explanations and evidence."""
    report = build_report(analysis, persona)
    h = report.headings
    lines = [_style(report.title, colour, bold=True), _style(report.case_id, colour, dim=True), ""]
    if report.personas:
        lines.append(_style(h.personas, colour, bold=True, underline=True))
        for row in report.personas:
            lines.append(_style(f"  {row.name} ({row.id})", colour, bold=True))
            for goal in row.goals:
                mark = _style("✓", colour, fg="green") if goal.reachable else _style("✗", colour, fg="red")
                lines.append(f"    {mark} {goal.name}" + (f" — {goal.when}" if goal.when else ""))
            if row.plan:
                lines.append(_wrap(f"{h.plan}: {' → '.join(row.plan)}", "    "))
            lines.append(f"    {h.burden}: {row.burden}")
            for change in row.ahead:
                lines.append(_wrap(f"{h.ahead}: {change}", "    "))
            for line in row.means:
                lines.append(_wrap(f"{h.means}: {line}", "    "))
        lines.append("")
    if report.burden is not None:
        lines.append(_style(h.burden_table, colour, bold=True, underline=True))
        lines.extend(_burden_lines(report.burden, h))
        lines.append("")
    if not report.sections:
        lines.append(h.no_findings)
    for section in report.sections:
        lines.append(_style(f"{section.heading} ({section.count})", colour, fg=SEVERITY_COLOURS[section.severity],
                            bold=True, underline=True))
        for entry in section.findings:
            lines.extend(_finding_lines(entry, h, colour))
            lines.append("")
    for stale in report.stale:
        lines.append(_style(words(report.language).say(
            "note: accepted finding '{id}' no longer occurs; remove it from `accepted:`", id=stale), colour,
            fg="yellow"))
    lines.append(report.counts)
    return "\n".join(lines) + "\n"


def _burden_lines(table: BurdenTable, h: Headings) -> list[str]:
    """The burden table as aligned text: the persona left, the numbers right."""
    cells = [(h.persona, h.people_year, h.hours_each, h.hours_year, h.cost_year)]
    cells += [(r.name, r.people, r.hours, r.hours_year, r.cost_year) for r in table.rows]
    if table.total is not None:
        t = table.total
        cells.append((t.name, t.people, t.hours, t.hours_year, t.cost_year))
    widths = [max(len(line[k]) for line in cells) for k in range(5)]
    lines = ["  " + "  ".join([line[0].ljust(widths[0]), *(line[k].rjust(widths[k]) for k in range(1, 5))]).rstrip()
             for line in cells]
    if table.note:
        lines.append(_wrap(table.note, "  "))
    return lines


def _finding_lines(entry: FindingEntry, h: Headings, colour: bool) -> list[str]:
    finding = entry.finding
    sev = _style(entry.severity.upper(), colour, fg=SEVERITY_COLOURS[finding.severity], bold=True)
    head = f"  {sev} {finding.title}"
    if finding.accepted is not None:
        head += _style(f"  [{h.accepted}]", colour, fg="green")
    lines = [head, _style(f"    {finding.id}", colour, dim=True), _wrap(finding.explanation, "    ")]
    for item in entry.evidence:
        lines.append(_wrap(f"· {item}", "      "))
    if finding.personas:
        lines.append(f"    {h.affected}: {', '.join(finding.personas)}")
    if entry.actors:
        lines.append(_wrap(f"{h.who}: {', '.join(entry.actors)}", "    "))
    if entry.cross_layer:
        lines.append(_style(_wrap(f"⚠ {h.layers}: {', '.join(entry.cross_layer)} — {h.no_single_layer}", "    ",
                                  ), colour, fg="magenta"))
    if finding.region is not None:
        lines.append(f"    {h.region}: {json.dumps(finding.region, ensure_ascii=False)}")
    if finding.accepted is not None:
        lines.append(_wrap(f"{h.accepted}: {finding.accepted}", "    "))
    return lines


# ---------------------------------------------------------------- the Markdown report


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class DiagramLinks:
    """A report's diagrams: where each one is, and why one is not drawn.

    Keys are ``"case"`` and ``"finding-<id>"``. ``files`` holds the relative
    path of each drawn diagram; ``notes`` the sentence shown instead of one that
    is not drawn; ``summary`` a sentence shown once under the findings' heading
    (how many findings have a diagram).
    """

    files: Mapping[str, str] = field(default_factory=dict)
    notes: Mapping[str, str] = field(default_factory=dict)
    summary: str | None = None

    def markdown(self, key: str, alt: str) -> list[str]:
        """The lines that show diagram ``key`` (an image, or the note saying why there is none)."""
        if key in self.files:
            return [md.image(alt, self.files[key]), ""]
        if key in self.notes:
            return [f"*{md.text(self.notes[key])}*", ""]
        return []


def goals_words(report: Report, goals: Iterable[GoalState]) -> str:
    """'Bank account: reachable (day 12); Benefit: out of reach', with each goal's time words where it has them."""
    h = report.headings
    return "; ".join(f"{g.name}: {h.reachable if g.reachable else h.unreachable}" + (f" ({g.when})" if g.when else "")
                     for g in goals)


def to_markdown(
    analysis: Analysis,
    persona: str | None = None,
    *,
    diagrams: DiagramLinks | None = None,
    interventions: bool = False,
) -> str:
    """The Markdown report: summary, personas, findings by severity, and what ``diagrams`` and ``interventions`` add.

    ``analyze --format markdown`` prints it as it is; the ``md`` export passes
    the diagrams it draws and asks for the interventions. Everything that comes
    from the case is escaped, so a name cannot add a heading, a link, an image
    or HTML to the report.
    """
    report = build_report(analysis, persona, interventions=interventions)
    h = report.headings
    links = diagrams if diagrams is not None else DiagramLinks()
    out = [f"# {md.text(report.title)}", ""]
    if report.summary:
        out += [md.text(report.summary), ""]
    if report.source:
        out += [f"*{md.text(h.source)}:* {md.text(report.source)}", ""]
    if "case" in links.files or "case" in links.notes:
        out += [f"## {md.text(h.diagram)}", "", *links.markdown("case", report.title)]
    if report.personas:
        # The road ahead gets a column only in a case where someone's goals change with time.
        ahead = any(row.ahead for row in report.personas)
        heads = [md.text(x) for x in (h.persona, h.goals, h.burden_plan, *([_capital(h.ahead)] if ahead else []))]
        out += [f"## {md.text(h.personas_table)}", "", "| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
        for row in report.personas:
            cells = [md.text(c) for c in (row.name, goals_words(report, row.goals), row.burden)]
            if ahead:
                cells.append("<br>".join(md.text(change) for change in row.ahead))
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    if report.burden is not None:
        out += _burden_markdown(report.burden, h)
    out += _across_layers_markdown(report)
    out += [f"## {md.text(h.findings)}", "", md.text(report.counts), ""]
    if links.summary:
        out += [f"*{md.text(links.summary)}*", ""]
    if not report.sections:
        out += [md.text(h.no_findings), ""]
    for section in report.sections:
        out += [f"### {md.text(section.heading)} ({md.text(section.count)})", ""]
        for entry in section.findings:
            out += _finding_markdown(entry, h, links)
    if report.interventions is not None:
        out += _interventions_markdown(report)
    for stale in report.stale:
        # The sentence is ours and holds no markup; only the id in it is filled in, as code.
        out += ["> " + md.text(report.stale_note(stale)).replace("{id}", md.code(stale)), ""]
    return "\n".join(out).rstrip() + "\n"


def _burden_markdown(table: BurdenTable, h: Headings) -> list[str]:
    """The burden table in Markdown, the numbers aligned right."""
    heads = (h.persona, h.people_year, h.hours_each, h.hours_year, h.cost_year)
    out = [f"## {md.text(h.burden_table)}", "", "| " + " | ".join(md.text(x) for x in heads) + " |",
           "|---|" + "---:|" * 4]
    for r in table.rows:
        out.append("| " + " | ".join(md.text(x) for x in (r.name, r.people, r.hours, r.hours_year, r.cost_year)) + " |")
    if table.total is not None:
        t = table.total
        out.append("| " + " | ".join(f"**{md.text(x)}**" if x else "" for x in
                                     (t.name, t.people, t.hours, t.hours_year, t.cost_year)) + " |")
    out.append("")
    if table.note:
        out += [f"*{md.text(table.note)}*", ""]
    return out


def _across_layers_markdown(report: Report) -> list[str]:
    """The section that lists the problems no single layer can solve (none: no section)."""
    h = report.headings
    if not report.across_layers:
        return []
    out = [f"## {md.text(h.across_heading)}", "", md.text(h.across_intro), ""]
    for entry in report.across_layers:
        who = f" · {md.text(_capital(h.who))}: {md.text(', '.join(entry.actors))}" if entry.actors else ""
        out.append(f"- **{md.text(entry.severity)}** · {md.text(entry.finding.title)} · "
                   f"{md.text(', '.join(entry.cross_layer))}{who}")
    return [*out, ""]


def _finding_markdown(entry: FindingEntry, h: Headings, links: DiagramLinks) -> list[str]:
    finding = entry.finding
    accepted = f" *({md.text(h.accepted)})*" if finding.accepted is not None else ""
    out = [
        f"#### {md.text(finding.title)}{accepted}",
        "",
        f"{md.code(finding.id)} · {md.code(finding.kind)}",
        "",
        md.text(finding.explanation),
        "",
    ]
    out += [f"- {md.text(item)}" for item in entry.evidence]
    if entry.evidence:
        out.append("")
    if entry.actors:
        out += [f"**{md.text(_capital(h.who))}:** {md.text(', '.join(entry.actors))}", ""]
    if entry.cross_layer:
        out += [f"**{md.text(_capital(h.layers))}:** {md.text(', '.join(entry.cross_layer))} — "
                f"**{md.text(h.no_single_layer)}**", ""]
    if finding.accepted is not None:
        out += [f"**{md.text(_capital(h.accepted))}:** {md.text(finding.accepted)}", ""]
    out += links.markdown(f"finding-{finding.id}", finding.title)
    return out


def _interventions_markdown(report: Report) -> list[str]:
    h = report.headings
    out = [f"## {md.text(h.interventions)}", ""]
    if not report.interventions:
        out += [md.text(h.no_interventions), ""]
    for entry in report.interventions or ():
        out += [f"### {md.text(entry.title)}", "", md.code(entry.id), ""]
        if entry.error is not None:
            out += [f"{md.text(h.could_not)}: {md.text(entry.error)}", ""]
            continue
        if entry.owner:
            out += [f"*{md.text(h.owner)}:* {md.text(entry.owner)}", ""]
        for label, found in ((h.resolves, entry.resolved), (h.introduces, entry.introduced)):
            titles = ", ".join(md.text(x.title) for x in found) or md.text(h.nothing)
            out += [f"**{md.text(label)}:** {titles}", ""]
        if entry.changed:
            out += [f"**{md.text(h.changes)}:**", ""]
            out += [f"- {md.text(finding.title)}: {md.text(what)}" for finding, what in entry.changed]
            out.append("")
    return out


# ---------------------------------------------------------------- comparisons


def accepted_mark(finding: Finding, say: Words) -> str:
    """' (accepted)' after a finding the team has accepted: a comparison's ranking does not count it."""
    return "" if finding.accepted is None else f" ({say.say('accepted')})"


def change_words(say: Words, index: Any, change: Change) -> str:
    """What changed in a finding, in words: 'personas: Amira and Bo → Amira; severity: critical → high'."""
    severity = {key: word.lower() for key, word in Headings.of(say).severity.items()}
    field_words = {"severity": say.say("severity"), "nodes": say.say("about"), "personas": say.say("personas"),
                   "actors": say.say("who can act"), "rules": say.say("rules"), "region": say.say("region"),
                   "causes": say.say("root causes")}
    parts = []
    for name, was, now in change.differences():
        if name == "severity":
            text = f"{severity.get(was, was)} → {severity.get(now, now)}"
        elif name == "region":
            attributes = index.case.attributes
            text = " → ".join(describe_region(attributes, r, say) if r is not None else "—" for r in (was, now))
        elif name in ("nodes", "causes"):
            gone, new = [n for n in was if n not in now], [n for n in now if n not in was]
            said = change.names  # the elements' names, the causes' titles
            text = ", ".join([*(f"−{said.get(n, n)}" for n in gone), *(f"+{said.get(n, n)}" for n in new)])
        else:
            text = f"{say.list([index.name(i) for i in was]) if was else '—'} → " \
                   f"{say.list([index.name(i) for i in now]) if now else '—'}"
        parts.append(f"{field_words[name]}: {text}")
    return "; ".join(parts)


def comparison_text(comparisons: list[Comparison], ranked: bool = False, colour: bool = True) -> str:
    """Before and after, for people, in the case's language; with ``ranked``, the action plan (best first)."""
    lines: list[str] = []
    if not comparisons:
        return ""
    language = comparisons[0].case.language
    say = words(language)
    severity = {key: word.lower() for key, word in Headings.of(say).severity.items()}
    if ranked:
        lines.append(_style(say.say("Interventions ranked by what they achieve"), colour, bold=True,
                            underline=True))
        for n, comparison in enumerate(comparisons, 1):
            score = comparison.score()
            intervention = comparison.case.intervention(comparison.intervention_ids[0])
            owner = comparison.before.index.name(intervention.owner) if intervention and intervention.owner \
                else say.say("no owner named")
            title = intervention.title if intervention else comparison.label
            lines.append(f"  {n}. {title} ({comparison.label})")
            lines.append("     " + say.say(
                "owner: {owner}; people unblocked: {people}; critical resolved: {critical}; hours saved a year: "
                "{hours}; findings resolved−introduced: {net}; smaller−larger: {shrunk}; days saved: {days}",
                owner=owner, people=quantity_words(say, score.people_unblocked), critical=score.critical_resolved,
                hours=quantity_words(say, score.hours_saved), net=score.net, shrunk=score.shrunk,
                days=f"{score.days:g}"))
        lines.append("")
    for comparison in comparisons:
        index = comparison.before.index
        titles = [comparison.case.intervention(i) for i in comparison.intervention_ids]
        lines.append(_style(" + ".join(t.title for t in titles if t is not None), colour, bold=True))
        owners = [index.name(t.owner) for t in titles if t is not None and t.owner]
        lines.append(f"  {comparison.label} · " + say.say("owner: {owners}",
                                                          owners=", ".join(owners) or say.say("not named")))
        lines.append(_style("  " + say.say("Resolves ({n})", n=len(comparison.resolved)), colour, fg="green",
                            bold=True))
        for finding in comparison.resolved:
            lines.append(f"    ✓ [{severity[finding.severity]}] {finding.title}{accepted_mark(finding, say)}")
        lines.append(_style("  " + say.say("Introduces ({n})", n=len(comparison.introduced)), colour,
                            fg="red" if comparison.introduced else "white", bold=True))
        for finding in comparison.introduced:
            lines.append(f"    ✗ [{severity[finding.severity]}] {finding.title}{accepted_mark(finding, say)}")
        if comparison.changed:
            lines.append(_style("  " + say.say("Changes ({n})", n=len(comparison.changed)), colour, fg="yellow",
                                bold=True))
            for shift in comparison.changed:
                mark = {1: "↘", -1: "↗", 0: "~"}[shift.direction]
                lines.append(f"    {mark} [{severity[shift.after.severity]}] {shift.after.title}"
                             f"{accepted_mark(shift.after, say)}: " + change_words(say, index, shift))
        lines.append(_style("  " + say.say("Personas"), colour, bold=True))
        hours = _counts_hours(comparison)
        for change in (_persona_change(index, c, language, hours) for c in comparison.personas):
            lines.append(f"    {change.name}" + (f" · {change.people}" if change.people else ""))
            for goal, was, ok in change.goals:
                mark = "✓" if ok else "✗"
                note = "" if was == ok else ("  " + (say.say("(now reachable)") if ok
                                                      else say.say("(no longer reachable)")))
                lines.append(f"      {mark} {goal}{note}")
            burden = say.say("burden: {burden}", burden=change.before)
            lines.append(f"      {burden}" + ("" if change.before == change.after else f"  →  {change.after}"))
            if change.people:
                year = say.say("a year: {burden}", burden=change.annual_before)
                lines.append(f"      {year}" + ("" if change.annual_before == change.annual_after
                                                 else f"  →  {change.annual_after}"))
        expected = comparison.expected_check()
        if expected:
            marks = ", ".join(f"{kind} " + ("✓" if ok else "✗ " + say.say("not resolved"))
                              for kind, ok in expected.items())
            lines.append("  " + say.say("expected to resolve: {marks}", marks=marks))
        lines.append("")
    return "\n".join(lines)
