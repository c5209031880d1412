"""Cracks made of time: a goal that comes after it is needed, a window that closes before the desk can start.

- ``missed_deadline``: a goal written ``{doc, within_days: N}`` that the persona can
  reach, but only after day N (its earliest day, :mod:`.timing`). An unreachable goal is
  ``unreachable_goal``'s business, not this.
- ``window_trap``: a touchpoint relevant to a persona, whose rules the persona meets and
  whose every item it can obtain, but which would start more than ``within_days`` after
  the persona holds a windowed item: the window has closed before the rest arrives.
"""

from __future__ import annotations

from typing import Any

from ..findings import Finding, Trail
from .context import Context
from .timing import Step
from .wording import Said, Speaker

__all__ = ["find_missed_deadlines", "find_window_traps", "path_facts", "say_missed_deadline", "say_window_trap"]


def path_facts(path: tuple[Step, ...]) -> list[list[Any]]:
    """A critical path as facts: ``[touchpoint, start, end, document]`` per step."""
    return [[step.touchpoint, step.start, step.end, step.document] for step in path]


def find_missed_deadlines(ctx: Context) -> list[Finding]:
    """``missed_deadline``: a reachable goal whose earliest day is after its deadline."""
    findings = []
    for pid, view in ctx.views.items():
        if view.timeline is None:
            continue
        for goal, deadline in view.deadlines.items():
            day = view.earliest(goal)
            if day is None or day <= deadline:
                continue
            path = view.timeline.path(goal)
            desks = [step.touchpoint for step in path]
            rules = [r for t in desks for r in ctx.index.touchpoints[t].rules if r in ctx.index.rules]
            findings.append(ctx.finding(
                "missed_deadline", [pid, goal],
                nodes=[goal, *desks],
                personas=[pid],
                actors=ctx.owners(desks, rules),
                rules=rules,
                trails=[Trail(tuple(desks))] if desks else [],
                facts={"persona": pid, "goal": goal, "earliest": day, "deadline": deadline,
                       "path": path_facts(path)},
            ))
    return findings


def say_path(say: Speaker, path: list[list[Any]]) -> str:
    """A critical path in words: 'Desk A (day 0–14) → Desk B (day 14–35)'."""
    return " → ".join(say.say("{touchpoint} (day {start}–{end})", touchpoint=say.name(tp),
                              start=say.number(start), end=say.number(end)) for tp, start, end, _ in path)


def say_missed_deadline(finding: Finding, say: Speaker) -> Said:
    """The words of a ``missed_deadline``."""
    facts = finding.facts
    persona, goal = say.name(facts["persona"]), say.name(facts["goal"])
    earliest, deadline = say.number(facts["earliest"]), say.number(facts["deadline"])
    late = say.number(facts["earliest"] - facts["deadline"])
    title = say.say("{persona} gets {goal} too late: day {earliest}, needed by day {deadline}",
                    persona=persona, goal=goal, earliest=earliest, deadline=deadline)
    explanation = say.say(
        "{persona} needs {goal} by day {deadline}, but can hold it on day {earliest} at the earliest, "
        "{late} days too late, even with every step taken as soon as it can be. The slowest way: {path}. "
        "Who could change it: {owners}.",
        persona=persona, goal=goal, deadline=deadline, earliest=earliest, late=late,
        path=say_path(say, facts["path"]) or say.say("nothing to wait for"), owners=say.names(finding.actors))
    return title, explanation, []


def find_window_traps(ctx: Context) -> list[Finding]:
    """``window_trap``: a window on an item closes before the touchpoint's other items arrive."""
    trapped: dict[tuple[str, str], list[tuple[str, Any]]] = {}
    for pid, view in ctx.views.items():
        if view.timeline is None or not view.timeline.closed:
            continue
        for tp_id, windows in view.timeline.closed.items():
            if tp_id not in view.relevant or tp_id not in view.eligible:
                continue
            for window in windows:
                trapped.setdefault((tp_id, window.document), []).append((pid, window))
    findings = []
    for (tp_id, doc), hits in sorted(trapped.items()):
        first = hits[0][1]
        late = list(dict.fromkeys(d for _, w in hits for d in w.late))
        rules = [r for r in ctx.index.touchpoints[tp_id].rules if r in ctx.index.rules]
        rules += [req.rule for req in ctx.index.requirements[tp_id]
                  if req.window is not None and doc in req.alternatives and req.rule]
        findings.append(ctx.finding(
            "window_trap", [tp_id, doc],
            nodes=[tp_id, doc, *late],
            personas=[pid for pid, _ in hits],
            actors=ctx.owners([tp_id], rules),
            rules=rules,
            facts={"touchpoint": tp_id, "document": doc, "within": first.within, "held": first.held,
                   "start": first.start, "late": list(first.late),
                   "each": [[pid, w.held, w.start, list(w.late)] for pid, w in hits]},
        ))
    return findings


def say_window_trap(finding: Finding, say: Speaker) -> Said:
    """The words of a ``window_trap``."""
    facts = finding.facts
    touchpoint, doc = say.name(facts["touchpoint"]), say.name(facts["document"])
    title = say.say("The window at {touchpoint} closes before {late} can arrive", touchpoint=touchpoint,
                    late=say.names(facts["late"]))
    explanation = say.say(
        "{touchpoint} must be started within {within} days of {doc}. At the earliest, {personas} can hold "
        "{doc} on day {held}, so the window closes on day {closes}; but {late} cannot be there before day "
        "{start}. Who could change it: {owners}.",
        touchpoint=touchpoint, within=say.number(facts["within"]), doc=doc, personas=say.names(finding.personas),
        held=say.number(facts["held"]), closes=say.number(facts["held"] + facts["within"]),
        late=say.names(facts["late"]), start=say.number(facts["start"]), owners=say.names(finding.actors))
    evidence = [say.say("{persona}: {doc} on day {held}, the desk could start on day {start}",
                        persona=say.name(pid), doc=doc, held=say.number(held), start=say.number(start))
                for pid, held, start, _ in facts["each"]]
    return title, explanation, evidence if len(evidence) > 1 else []
