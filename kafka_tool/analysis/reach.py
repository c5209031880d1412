"""Reachability: dead ends, unobtainable documents, unreachable goals,
futile referrals and single points of failure."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Any

from ..findings import Finding, Trail
from .context import Context
from .cycles import referral_graph
from .digraph import Digraph
from .fixpoint import Kernel, closure
from .graph import Requirement
from .timing import timeline
from .wording import Said, Speaker

__all__ = [
    "find_dead_ends",
    "find_unobtainable_documents",
    "find_unreachable_goals",
    "find_futile_referrals",
    "find_single_points_of_failure",
    "say_dead_end",
    "say_futile_referral",
    "say_single_point_of_failure",
    "say_unobtainable_document",
    "say_unreachable_goal",
]



def _reverse_reach(graph: Digraph, sources: Iterable[str]) -> set[str]:
    """Every node from which some source can be reached (sources included)."""
    seen = set(sources)
    walk = list(seen)
    pred = graph.pred
    for node in walk:  # a list read while it grows: breadth first
        for prev in pred[node]:
            if prev not in seen:
                seen.add(prev)
                walk.append(prev)
    return seen


#: Most touchpoints along the referrals shown with a dead end.
MAX_CHAIN = 12


def _referral_chain(graph: Digraph, start: str) -> list[str]:
    """Where the referrals from ``start`` lead, nearest first, at most :data:`MAX_CHAIN` of them."""
    seen = {start}
    chain: list[str] = []
    queue = deque([start])
    while queue and len(chain) < MAX_CHAIN:
        for nxt in sorted(graph.successors(queue.popleft())):
            if nxt not in seen and len(chain) < MAX_CHAIN:
                seen.add(nxt)
                chain.append(nxt)
                queue.append(nxt)
    return chain


def find_dead_ends(ctx: Context) -> list[Finding]:
    """``dead_end``: a relevant touchpoint that cannot help and refers nowhere that can.

    A dead end is a touchpoint relevant to a persona that cannot help the
    persona and whose referrals, followed as far as they go, never reach a
    touchpoint that can help. Where the referrals only go round in circles
    (no path stops anywhere) it is a referral loop instead, reported as one;
    where some path stops, it is a dead end even if another path loops.
    """
    graph = referral_graph(ctx.index)
    # Referrals that stop somewhere: a path ends at a touchpoint that refers nowhere. A touchpoint
    # from which every path goes round in circles is a referral loop's business instead.
    reaches_stop = _reverse_reach(graph, [n for n in graph if not any(True for _ in graph.successors(n))])
    stuck: dict[str, list[str]] = {}
    for pid, view in ctx.views.items():
        for tp_id in view.relevant.intersection(reaches_stop).difference(_reverse_reach(graph, view.helpful)):
            stuck.setdefault(tp_id, []).append(pid)
    findings = []
    for tp_id, personas in sorted(stuck.items()):
        onward = _referral_chain(graph, tp_id)
        excluded_rules: list[str] = []
        for pid in personas:
            excluded_rules.extend(ctx.views[pid].excluded_by.get(tp_id, ()))
        why_rules: list[str] = []
        lacking: list[str] = []
        windows: list[str] = []
        if len(personas) == 1:
            view = ctx.views[personas[0]]
            if tp_id in view.excluded_by:
                why_rules = list(view.excluded_by[tp_id])
            elif view.timeline is not None and tp_id in view.timeline.closed:
                windows = [w.document for w in view.timeline.closed[tp_id]]
            else:
                lacking = [
                    alt
                    for req in ctx.index.requirements[tp_id]
                    if not set(req.alternatives) & view.obtainable
                    for alt in req.alternatives[:1]
                ]
        excluded = [(pid, list(ctx.views[pid].excluded_by[tp_id])) for pid in personas
                    if tp_id in ctx.views[pid].excluded_by]
        findings.append(
            ctx.finding(
                "dead_end",
                [tp_id],
                nodes=[tp_id, *onward, *excluded_rules],
                personas=personas,
                actors=ctx.owners([tp_id, *onward], excluded_rules),
                rules=excluded_rules,
                trails=[Trail((tp_id, *onward))],
                # Tuples: most are empty, and an empty tuple is one object for every finding.
                facts={"touchpoint": tp_id, "why_rules": tuple(why_rules), "lacking": tuple(lacking),
                       "excluded": tuple(excluded), "windows": tuple(windows)},
            )
        )
    return findings


def say_dead_end(finding: Finding, say: Speaker) -> Said:
    """The words of a ``dead_end``."""
    facts = finding.facts
    tp = say.index.touchpoints[facts["touchpoint"]]
    why = ""
    if facts["why_rules"]:
        why = say.say(" because of {rules}", rules=say.names(facts["why_rules"]))
    elif facts["lacking"]:
        why = say.say(" without {docs}", docs=say.names(facts["lacking"]))
    elif facts.get("windows"):
        why = say.say(" because the window on {docs} closes first", docs=say.names(facts["windows"]))
    explanation = say.say(
        "{personas} can end up at {touchpoint} ({actor}), which cannot help them{why} "
        "and does not send them anywhere that can. Who could change it: {owners}.",
        personas=say.names(finding.personas), touchpoint=say.name(tp.id),
        actor=say.name(tp.actor) if tp.actor else say.say("nobody"), why=why, owners=say.names(finding.actors),
    )
    evidence = [f"{say.name(pid)}: {say.names(rules)}" for pid, rules in facts["excluded"]]
    return say.say("Dead end at {touchpoint}", touchpoint=say.name(tp.id)), explanation, evidence


def _can_be_had(ctx: Context) -> set[str]:
    had = {doc for doc, tps in ctx.index.producers.items() if tps}
    for persona in ctx.index.case.personas:
        had.update(persona.has)
    return had


def find_unobtainable_documents(ctx: Context) -> list[Finding]:
    """``unobtainable_document``: required somewhere, but nobody produces it or has it.

    An ``any_of`` alternative counts only when none of its group's
    alternatives can be had; then each of them is reported. One finding per
    document, over every touchpoint that requires it.
    """
    had = _can_be_had(ctx)
    places: dict[str, list[tuple[str, str | None]]] = {}
    for tp_id, requirements in ctx.index.requirements.items():
        for req in requirements:
            if not any(alt in had for alt in req.alternatives):
                for doc in dict.fromkeys(req.alternatives):
                    places.setdefault(doc, []).append((tp_id, req.rule))
    findings = []
    for doc, where in sorted(places.items()):
        touchpoints = list(dict.fromkeys(tp for tp, _ in where))
        rules = [r for _, r in where if r]
        findings.append(
            ctx.finding(
                "unobtainable_document",
                [doc],
                nodes=[doc, *touchpoints],
                personas=ctx.affected(touchpoints),
                actors=ctx.owners(touchpoints, rules),
                rules=rules,
                facts={"document": doc, "touchpoints": touchpoints},
            )
        )
    return findings


def say_unobtainable_document(finding: Finding, say: Speaker) -> Said:
    """The words of an ``unobtainable_document``."""
    doc = say.name(finding.facts["document"])
    return (say.say("Nobody can get {docs}", docs=doc),
            say.say("{touchpoints} asks for {docs}, but no desk issues it and nobody has it. "
                    "Who could change it: {owners}.", touchpoints=say.names(finding.facts["touchpoints"]),
                    docs=doc, owners=say.names(finding.actors)), [])


#: Why a goal is out of reach, as facts: ("no_producer", doc), ("excluded", touchpoint, rules),
#: ("no_actor", touchpoint), ("missing", touchpoint, docs), ("passed_by", touchpoint, doc): the
#: touchpoint gives the document only to others (an outcome the persona does not meet).
Reason = tuple[Any, ...]


def _way_to(ctx: Context, pid: str, goal: str) -> tuple[set[str], list[Reason]]:
    """The nodes on the way to an unreachable goal, and the reasons it is blocked.

    The way runs from the goal to the producers that give it to this persona and, from
    each producer the persona may use, to the items asked of it that it cannot meet; a
    producer it may not use (its rules, nobody responsible) is on the way but leads
    nowhere further.
    """
    view = ctx.views[pid]
    index = ctx.index

    def usable(tp_id: str) -> bool:
        return tp_id not in view.excluded_by and bool(index.touchpoints[tp_id].actor)

    terms = view.terms

    def unmet(req: Requirement) -> bool:
        return not set(req.alternatives) & view.obtainable

    way = closure(index, [goal], onward=usable, items=unmet, terms=terms)
    reasons: list[Reason] = []
    for doc in way.documents:
        # A desk whose outcome for this document passes the persona by is not on the way to it.
        producers = [t for t in index.producers.get(doc, []) if doc in terms.produces(index, t)]
        passed_by = [t for t in index.producers.get(doc, []) if t not in producers]
        if doc not in view.obtainable:
            if not producers and not passed_by:
                reasons.append(("no_producer", doc))
            reasons.extend(("passed_by", t, doc) for t in passed_by if t not in view.excluded_by)
        for tp_id in producers:
            if tp_id in view.excluded_by:
                reasons.append(("excluded", tp_id, tuple(view.excluded_by[tp_id])))
            elif not index.touchpoints[tp_id].actor:
                reasons.append(("no_actor", tp_id))
            elif doc == goal:
                missing = [req for req in index.requirements[tp_id] if terms.asks(req) and unmet(req)]
                if missing:
                    reasons.append(("missing", tp_id, tuple(a for req in missing for a in req.alternatives[:1])))
    return {*way.documents, *way.touchpoints}, list(dict.fromkeys(reasons))


def find_unreachable_goals(ctx: Context, others: list[Finding]) -> list[Finding]:
    """``unreachable_goal``: a persona cannot reach a goal; the explanation names the root causes.

    Root causes are the other findings that block the goal: those of the
    kinds that can (see :mod:`.kinds`) that concern this persona (list it:
    a coverage gap whose region does not hold the persona is no cause of
    theirs) and whose nodes lie on the way to the goal.
    """
    from .kinds import root_cause_kinds  # the table of kinds imports this module

    root_causes = set(root_cause_kinds())
    # The findings that could be a cause, by the personas they concern (read once, not once a goal).
    concern: dict[str, list[Finding]] = {}
    for f in others:
        if f.kind in root_causes:
            for pid in f.personas:
                concern.setdefault(pid, []).append(f)
    findings = []
    for pid, view in ctx.views.items():
        for goal, ok in view.goals_reachable.items():
            if ok:
                continue
            way, reasons = _way_to(ctx, pid, goal)
            causes = [f for f in concern.get(pid, ()) if not way.isdisjoint(f.nodes)]
            causes.sort(key=lambda f: f.sort_key())
            producers = [t for t in ctx.index.producers.get(goal, [])
                         if goal in view.terms.produces(ctx.index, t)]
            rules = [r for tp in producers for r in view.excluded_by.get(tp, ())]
            owners = ctx.owners(producers, rules, [a for f in causes for a in f.actors])
            findings.append(
                ctx.finding(
                    "unreachable_goal",
                    [pid, goal],
                    nodes=[goal, *producers, *rules],
                    personas=[pid],
                    actors=owners,
                    rules=rules,
                    causes=[f.id for f in causes],
                    facts={"persona": pid, "goal": goal, "reasons": reasons},
                )
            )
    return findings


def _reason(say: Speaker, persona: str, reason: Reason) -> str:
    kind = reason[0]
    if kind == "no_producer":
        return say.say("No desk issues {goal}.", goal=say.name(reason[1]))
    if kind == "excluded":
        return say.say("{persona} does not meet {rules} at {touchpoint}.", persona=persona,
                       rules=say.names(reason[2]), touchpoint=say.name(reason[1]))
    if kind == "no_actor":
        return say.say("Nobody is responsible for {touchpoint}.", touchpoint=say.name(reason[1]))
    if kind == "passed_by":
        return say.say("{touchpoint} gives {doc} only to others: {persona} does not meet its outcome.",
                       touchpoint=say.name(reason[1]), doc=say.name(reason[2]), persona=persona)
    return say.say("{touchpoint} needs {docs}, which {persona} cannot get.", touchpoint=say.name(reason[1]),
                   persona=persona, docs=say.names(reason[2]))


def say_unreachable_goal(finding: Finding, say: Speaker) -> Said:
    """The words of an ``unreachable_goal``: its reasons, and the titles of its root causes."""
    facts = finding.facts
    persona, goal = say.name(facts["persona"]), say.name(facts["goal"])
    reasons = list(dict.fromkeys(_reason(say, persona, r) for r in facts["reasons"]))
    text = " ".join(reasons[:4])
    causes = [say.said[c].title for c in finding.causes if c in say.said]
    if causes:
        text += " " + say.say("Root causes: {causes}.", causes="; ".join(causes[:6]))
    return (say.say("{persona} cannot get {goal}", persona=persona, goal=goal),
            say.say("{persona} cannot get {goal}. {causes}", persona=persona, goal=goal, causes=text), reasons)


def find_futile_referrals(ctx: Context) -> list[Finding]:
    """``futile_referral``: a referral to a touchpoint that gives nothing anyone sent along it can use.

    A touchpoint sends the citizen to one that produces nothing the first requires,
    nothing it offers itself, and nothing on the way to the goals of any persona who can
    be sent along it (one for whom the first is relevant), so the referral cannot help
    anyone ("ask the police", for a paper the registry does not accept). A referral to a
    desk that gives a persona other help towards their goals (a loan where a grant was
    refused) is not futile.
    """
    index = ctx.index
    views = list(ctx.views.values())
    findings = []
    for tp_id, tp in sorted(index.touchpoints.items()):
        if not tp.refers_to:
            continue
        targets = [t for t in dict.fromkeys(tp.refers_to) if t in index.touchpoints and t != tp_id]
        if not targets:
            continue
        needed = index.required_docs(tp_id)
        needed.update(index.produced[tp_id])
        targets = [t for t in targets if needed.isdisjoint(index.produced[t])]
        if not targets:
            continue
        sent = [view for view in views if tp_id in view.relevant]
        personas = tuple(view.id for view in sent)  # tuples: the findings of a desk share them
        owners = ctx.owners([tp_id])
        rules = tuple(tp.rules)
        for target in targets:
            if any(not view.needed.isdisjoint(view.terms.produces(index, target)) for view in sent):
                continue  # other help on the way to someone's goals
            findings.append(
                ctx.finding(
                    "futile_referral",
                    [tp_id, target],
                    nodes=[tp_id, target],
                    personas=personas,
                    actors=owners,
                    rules=rules,
                    trails=[Trail((tp_id, target))],
                    facts={"source": tp_id, "target": target},
                )
            )
    return findings


def say_futile_referral(finding: Finding, say: Speaker) -> Said:
    """The words of a ``futile_referral``."""
    source, target = say.name(finding.facts["source"]), say.name(finding.facts["target"])
    return (say.say("Referral that cannot help: {source} → {target}", source=source, target=target),
            say.say("{source} sends people to {target}, but {target} gives them nothing that "
                    "{source} asks for or offers, nor anything else on the way to what they need. "
                    "Who could change it: {owners}.", source=source, target=target,
                    owners=say.names(finding.actors)), [])


def find_single_points_of_failure(ctx: Context) -> list[Finding]:
    """``single_point_of_failure``: a touchpoint without which a persona's goal becomes unreachable.

    Only touchpoints on one way to the goals can be essential (every way to a
    goal passes through an essential touchpoint): those of the way the
    persona's timeline found, the desks behind what an actor fetches itself
    included. Each is left out in turn and the fixpoint recomputed over the
    touchpoints that could contribute to the goals (and, where windows count
    and another way is left, the timeline).
    """
    hits: dict[str, list[tuple[str, str]]] = {}
    for pid, view in ctx.views.items():
        goals = [g for g, ok in view.goals_reachable.items() if ok and g not in view.persona.has]
        if not goals:
            continue
        # Only eligible touchpoints that could contribute to the goals can matter.
        way = closure(ctx.index, goals, producers=view.eligible, terms=view.terms).touchpoints
        support = Kernel(ctx.index, way)
        timed = view.timeline if not ctx.index.windowed_touchpoints().isdisjoint(way) else None
        # Every way to the goals passes an essential desk, so it is on the way the persona's timeline
        # found: the plan leaves out the desks behind what an actor fetches itself (the citizen takes
        # no step there, but the paper must exist), and where windows count the plan (fewest steps)
        # may be a way that is too slow.
        candidates = sorted(view.timeline.desks_behind(goals)) if view.timeline is not None else view.plan
        for tp_id in candidates:
            obtained = support.run(view.persona.has, left_out=tp_id, goals=goals, terms=view.terms).obtained
            if timed is not None and not obtained.isdisjoint(goals):
                # The other ways take time, and a window on them can close: only a window takes away.
                obtained = timeline(ctx.index, view.persona.has, set(way) - {tp_id}, view.terms,
                                    until=goals).obtained
            for goal in goals:
                if goal not in obtained:
                    hits.setdefault(tp_id, []).append((pid, goal))
    findings = []
    for tp_id, pairs in sorted(hits.items()):
        personas = list(dict.fromkeys(p for p, _ in pairs))
        goals = list(dict.fromkeys(g for _, g in pairs))
        findings.append(
            ctx.finding(
                "single_point_of_failure",
                [tp_id],
                nodes=[tp_id, *goals],
                personas=personas,
                actors=ctx.owners([tp_id]),
                rules=ctx.index.touchpoints[tp_id].rules,
                facts={"touchpoint": tp_id, "goals": goals},
            )
        )
    return findings


def say_single_point_of_failure(finding: Finding, say: Speaker) -> Said:
    """The words of a ``single_point_of_failure``."""
    tp = say.index.touchpoints[finding.facts["touchpoint"]]
    return (say.say("Everything hangs on {touchpoint}", touchpoint=say.name(tp.id)),
            say.say("Without {touchpoint} ({actor}), {personas} could not get {goals}: there is no other way.",
                    touchpoint=say.name(tp.id), actor=say.name(tp.actor) if tp.actor else say.say("nobody"),
                    personas=say.names(finding.personas), goals=say.names(finding.facts["goals"])), [])
