"""The action plan for people (text, Markdown) and for spreadsheets (CSV).

:func:`plan_words` words an :class:`~kafka_tool.plan.ActionPlan` once, in the case's language:
the findings by severity with who can act, their layers (a finding of two or more layers is one
no single layer can solve), the interventions that resolve them with their status words and
dates, what is overdue and what nothing resolves. :func:`plan_text` and :func:`plan_markdown`
only lay those words out; :func:`plan_csv` writes one row per (finding, intervention) pair in the
English keys of the JSON, through the one CSV writer (:mod:`kafka_tool.tabular`).

:func:`followup_text` says the follow-up (two versions of a case, :mod:`kafka_tool.followup`) for
people: which findings went away, stayed, changed or are new, and which interventions changed status.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

from . import markdown as md
from .analysis.texts import SEVERITY_WORDS
from .findings import SEVERITIES
from .followup import Followup
from .i18n import Words, words
from .plan import ActionPlan, PlanIntervention, PlanItem, PlanProblem
from .tabular import csv_text
from .vocabulary import value_word

__all__ = ["PLAN_CSV_COLUMNS", "PlanWords", "followup_text", "plan_csv", "plan_markdown", "plan_text", "plan_words",
           "problem_words"]

#: The columns of the plan's CSV: the keys of its JSON, one row per (finding, intervention) pair.
PLAN_CSV_COLUMNS = ("finding", "kind", "severity", "title", "layers", "spans_layers", "actors",
                    "intervention", "intervention_title", "owner", "status", "due", "review_on", "overdue")

_COLOURS = {"critical": "red", "high": "yellow", "medium": "cyan", "low": "white"}


@dataclass(frozen=True)
class RemedyWords:
    """An intervention under a finding, in words."""

    id: str
    title: str
    #: 'owner: Town; status: agreed; due 2024-06-01; review on 2024-09-01'
    details: str
    overdue: bool


@dataclass(frozen=True)
class ItemWords:
    """A finding of the plan, in words."""

    id: str
    severity: str
    title: str
    actors: str
    layers: str
    cross_layer: bool
    remedies: tuple[RemedyWords, ...]
    dropped: str


@dataclass(frozen=True)
class PlanWords:
    """Every word of the plan, in one language; the renderers only lay them out."""

    title: str
    subtitle: str
    sections: tuple[tuple[str, str, tuple[ItemWords, ...]], ...]  # severity, heading, items
    unresolved: tuple[str, ...]
    overdue: tuple[str, ...]
    problems: tuple[str, ...]
    summary: str
    labels: dict[str, str]


def _labels(say: Words) -> dict[str, str]:
    return {
        "who": say.say("who can act"),
        "nobody": say.say("nobody named"),
        "layers": say.say("layers"),
        "no_layer": say.say("none"),
        "cross": say.say("no single layer can solve this"),
        "resolved_by": say.say("resolved by"),
        "nothing": say.say("nothing resolves this yet"),
        "dropped": value_word(say, "status", "dropped"),
        "overdue": say.say("overdue"),
        "unresolved": say.say("Unresolved"),
        "overdue_heading": say.say("Overdue"),
        "problems": say.say("Could not apply"),
        "no_findings": say.say("No active findings."),
    }


def _remedy(plan: ActionPlan, entry: PlanIntervention, say: Words) -> RemedyWords:
    item = entry.intervention
    index = plan.analysis.index
    parts = [say.say("owner: {owner}", owner=index.name(item.owner)) if item.owner else say.say("no owner named"),
             say.say("status: {status}", status=value_word(say, "status", item.status))]
    if item.due is not None:
        parts.append(say.say("due {date}", date=say.date(item.due)))
    review = item.review_date
    if review is not None:
        parts.append(say.say("review on {date}", date=say.date(review)))
    return RemedyWords(item.id, item.title, "; ".join(parts), entry.overdue)


def _item(plan: ActionPlan, item: PlanItem, say: Words, labels: dict[str, str]) -> ItemWords:
    finding = item.finding
    index = plan.analysis.index
    layers = ", ".join(value_word(say, "layer", layer) for layer in finding.layers) or labels["no_layer"]
    return ItemWords(
        finding.id, finding.severity, finding.title,
        ", ".join(index.name(a) for a in finding.actors) or labels["nobody"],
        layers, finding.spans_layers,
        tuple(_remedy(plan, entry, say) for entry in item.interventions),
        ", ".join(f"{e.intervention.title} ({e.id})" for e in item.dropped),
    )


def problem_words(say: Words, problem: PlanProblem) -> str:
    """Why an intervention resolves nothing in the plan, in the language of ``say``: which change does
    not fit (``compare --intervention`` says where in the file, and why)."""
    ident = problem.intervention.id
    if problem.change is None:
        return say.say("its changes do not fit the case; `kafka-tool compare CASE --intervention {id}` says why",
                       id=ident)
    return say.say("change {n} ({kind}) does not fit the case; `kafka-tool compare CASE --intervention {id}` "
                   "says why", n=problem.change, kind=problem.kind, id=ident)


def plan_words(plan: ActionPlan) -> PlanWords:
    """The words of ``plan``, in its case's language."""
    case = plan.analysis.case
    say = words(case.language)
    labels = _labels(say)
    severity = {key: say.say(word) for key, word in SEVERITY_WORDS.items()}
    by_id = {item.finding.id: item for item in plan.items}
    sections = []
    for level in SEVERITIES:
        group = tuple(_item(plan, item, say, labels) for item in plan.items if item.finding.severity == level)
        if group:
            sections.append((level, severity[level], group))
    unresolved = tuple(f"[{severity[by_id[i].finding.severity].lower()}] {by_id[i].finding.title} ({i})"
                       for i in plan.unresolved)
    overdue = []
    for entry in plan.overdue:
        remedy = _remedy(plan, entry, say)
        overdue.append(f"{remedy.title} ({remedy.id}): {remedy.details}")
    problems = tuple(f"{p.intervention.title} ({p.intervention.id}): {problem_words(say, p)}" for p in plan.problems)
    summary = say.say_n("{n} active finding", "{n} active findings", len(plan.items)) + "; " + \
        say.say_n("{n} unresolved", "{n} unresolved", len(plan.unresolved)) + "; " + \
        say.say_n("{n} intervention overdue", "{n} interventions overdue", len(plan.overdue))
    return PlanWords(
        title=say.say("Action plan: {title}", title=case.title),
        subtitle=say.say("{case} · on {today}", case=case.id, today=say.date(plan.today)),
        sections=tuple(sections),
        unresolved=unresolved,
        overdue=tuple(overdue),
        problems=problems,
        summary=summary,
        labels=labels,
    )


# ---------------------------------------------------------------- text


def _style(text: str, colour: bool, **style: Any) -> str:
    if not colour:
        return text
    import click

    return click.style(text, **style)


def _wrap(text: str, indent: str, more: str | None = None) -> str:
    return textwrap.fill(text, width=92, initial_indent=indent, subsequent_indent=more or indent)


def plan_text(plan: ActionPlan, colour: bool = False) -> str:
    """The action plan for people, in the terminal: findings by severity, then what nothing resolves,
    what is overdue, and the interventions that could not be applied."""
    w = plan_words(plan)
    labels = w.labels
    lines = [_style(w.title, colour, bold=True), _style(w.subtitle, colour, dim=True), ""]
    if not w.sections:
        lines += [labels["no_findings"], ""]
    for level, heading, items in w.sections:
        lines.append(_style(f"{heading} ({len(items)})", colour, fg=_COLOURS[level], bold=True, underline=True))
        for item in items:
            lines.append(_wrap(item.title, "  "))
            lines.append(_style(f"    {item.id}", colour, dim=True))
            lines.append(_wrap(f"{labels['who']}: {item.actors}", "    ", "      "))
            lines.append(_wrap(f"{labels['layers']}: {item.layers}", "    ", "      "))
            if item.cross_layer:
                lines.append(_style(f"    ⚠ {labels['cross']}", colour, fg="magenta", bold=True))
            if item.remedies:
                lines.append(f"    {labels['resolved_by']}:")
                for remedy in item.remedies:
                    text = f"✓ {remedy.title} ({remedy.id}) — {remedy.details}"
                    if remedy.overdue:
                        text += " — " + labels["overdue"].upper()
                    lines.append(_wrap(text, "      ", "        "))
            else:
                lines.append(_style(f"    ✗ {labels['nothing']}", colour, fg="red"))
            if item.dropped:
                lines.append(_wrap(f"{labels['dropped']}: {item.dropped}", "    ", "      "))
        lines.append("")
    for heading, entries in ((labels["unresolved"], w.unresolved), (labels["overdue_heading"], w.overdue),
                             (labels["problems"], w.problems)):
        if entries:
            lines.append(_style(f"{heading} ({len(entries)})", colour, bold=True, underline=True))
            lines += [_wrap(entry, "  - ", "    ") for entry in entries]
            lines.append("")
    lines.append(w.summary)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- Markdown


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def plan_markdown(plan: ActionPlan) -> str:
    """The action plan as Markdown, for the review's minutes; every text from the case is escaped."""
    w = plan_words(plan)
    labels = w.labels
    out = [f"# {md.text(w.title)}", "", md.text(w.subtitle), ""]
    if not w.sections:
        out += [md.text(labels["no_findings"]), ""]
    for _level, heading, items in w.sections:
        out += [f"## {md.text(heading)} ({len(items)})", ""]
        for item in items:
            out += [f"### {md.text(item.title)}", "", md.code(item.id), ""]
            out += [f"- **{md.text(_capital(labels['who']))}:** {md.text(item.actors)}"]
            layers = f"- **{md.text(_capital(labels['layers']))}:** {md.text(item.layers)}"
            if item.cross_layer:
                layers += f" — **{md.text(labels['cross'])}**"
            out.append(layers)
            if item.dropped:
                out.append(f"- **{md.text(_capital(labels['dropped']))}:** {md.text(item.dropped)}")
            out.append("")
            if item.remedies:
                out += [f"**{md.text(_capital(labels['resolved_by']))}:**", ""]
                for remedy in item.remedies:
                    line = f"- {md.text(remedy.title)} ({md.code(remedy.id)}): {md.text(remedy.details)}"
                    if remedy.overdue:
                        line += f" — **{md.text(labels['overdue'])}**"
                    out.append(line)
                out.append("")
            else:
                out += [f"*{md.text(_capital(labels['nothing']))}*", ""]
    for heading, entries in ((labels["unresolved"], w.unresolved), (labels["overdue_heading"], w.overdue),
                             (labels["problems"], w.problems)):
        if entries:
            out += [f"## {md.text(heading)} ({len(entries)})", ""]
            out += [f"- {md.text(entry)}" for entry in entries]
            out.append("")
    out += [md.text(w.summary), ""]
    return "\n".join(out).rstrip() + "\n"


# ---------------------------------------------------------------- CSV


def plan_csv(plan: ActionPlan) -> str:
    """The plan as CSV: one row per (finding, intervention that resolves it); a finding that nothing
    resolves has one row with the intervention's columns empty. Columns: :data:`PLAN_CSV_COLUMNS`;
    lists are joined with ``; ``; every text cell is neutralised against formulas."""
    rows: list[list[Any]] = []
    for item in plan.items:
        finding = item.finding
        head: list[Any] = [finding.id, finding.kind, finding.severity, finding.title, "; ".join(finding.layers),
                           finding.spans_layers, "; ".join(finding.actors)]
        if not item.interventions:
            rows.append([*head, None, None, None, None, None, None, None])
        for entry in item.interventions:
            data = entry.to_json()
            rows.append([*head, entry.id, entry.intervention.title, data["owner"], data["status"], data["due"],
                         data["review_on"], entry.overdue])
    return csv_text(PLAN_CSV_COLUMNS, rows)


# ---------------------------------------------------------------- the follow-up: two versions compared


def followup_text(followup: Followup, old_label: str, new_label: str, colour: bool = False) -> str:
    """Two versions of a case for people, in the new version's language: which findings really went
    away, which stayed, which changed and which are new; the interventions whose status changed; each
    persona's goals and burden before and after."""
    from .report import Headings, _persona_change, change_words

    language = followup.new.language
    say = words(language)
    severity = {key: word.lower() for key, word in Headings.of(say).severity.items()}
    index = followup.after.index
    lines = [_style(say.say("Follow-up: {title}", title=followup.new.title), colour, bold=True),
             _style(f"{old_label} → {new_label}", colour, dim=True)]
    groups = (
        (say.say("Went away ({n})", n=len(followup.resolved)), "green", "✓", followup.resolved),
        (say.say("Stayed ({n})", n=len(followup.stayed)), "white", "·", followup.stayed),
    )
    for heading, fg, mark, found in groups:
        lines.append(_style("  " + heading, colour, fg=fg, bold=True))
        lines += [f"    {mark} [{severity[f.severity]}] {f.title}" for f in found]
    lines.append(_style("  " + say.say("Changed ({n})", n=len(followup.changed)), colour, fg="yellow", bold=True))
    for shift in followup.changed:
        arrow = {1: "↘", -1: "↗", 0: "~"}[shift.direction]
        lines.append(f"    {arrow} [{severity[shift.after.severity]}] {shift.after.title}: "
                     + change_words(say, index, shift))
    lines.append(_style("  " + say.say("New ({n})", n=len(followup.introduced)), colour,
                        fg="red" if followup.introduced else "white", bold=True))
    lines += [f"    ✗ [{severity[f.severity]}] {f.title}" for f in followup.introduced]
    lines.append(_style("  " + say.say("Interventions whose status changed ({n})", n=len(followup.statuses)),
                        colour, bold=True))
    absent = say.say("not in this version")
    for status in followup.statuses:
        was = value_word(say, "status", status.before) if status.before is not None else absent
        now = value_word(say, "status", status.after) if status.after is not None else absent
        lines.append(f"    {status.title} ({status.id}): {was} → {now}")
    if followup.still_there:
        lines.append(_style("  " + say.say("Done, but what it resolves is still there ({n})",
                                           n=len(followup.still_there)), colour, fg="red", bold=True))
    for status, standing in followup.still_there:
        lines.append(f"    {status.title} ({status.id}): {value_word(say, 'status', status.after or 'done')}")
        lines += [f"      ! [{severity[f.severity]}] {f.title}" for f in standing]
    lines.append(_style("  " + say.say("Personas"), colour, bold=True))
    hours = any(state["burden"]["hours"] for p in followup.personas for state in (p.before, p.after))
    for change in (_persona_change(index, c, language, hours) for c in followup.personas):
        lines.append(f"    {change.name}" + (f" · {change.people}" if change.people else ""))
        for goal, was_ok, ok in change.goals:
            note = "" if was_ok == ok else ("  " + (say.say("(now reachable)") if ok
                                                     else say.say("(no longer reachable)")))
            lines.append(f"      {'✓' if ok else '✗'} {goal}{note}")
        burden = say.say("burden: {burden}", burden=change.before)
        lines.append(f"      {burden}" + ("" if change.before == change.after else f"  →  {change.after}"))
    for ident in followup.only_before:
        lines.append("    " + say.say("{persona}: only in the old version", persona=followup.before.index.name(ident)))
    for ident in followup.only_after:
        lines.append("    " + say.say("{persona}: new in this version", persona=index.name(ident)))
    return "\n".join(lines) + "\n"
