"""Reachability: dead ends, unobtainable documents, unreachable goals,
futile referrals and single points of failure."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from ..findings import Finding
from .context import Context
from .cycles import referral_graph
from .digraph import Digraph
from .personas import GoalFixpoint

__all__ = [
    "find_dead_ends",
    "find_unobtainable_documents",
    "find_unreachable_goals",
    "find_futile_referrals",
    "find_single_points_of_failure",
]



def _reverse_reach(graph: Digraph, sources: Iterable[str]) -> set[str]:
    """Every node from which some source can be reached (sources included)."""
    seen = set(sources)
    queue = deque(seen)
    while queue:
        node = queue.popleft()
        for prev in graph.predecessors(node):
            if prev not in seen:
                seen.add(prev)
                queue.append(prev)
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
        can_reach_help = _reverse_reach(graph, view.helpful)
        for tp_id in sorted(view.relevant):
            if tp_id in can_reach_help or tp_id not in reaches_stop:
                continue
            stuck.setdefault(tp_id, []).append(pid)
    findings = []
    for tp_id, personas in sorted(stuck.items()):
        tp = ctx.index.touchpoints[tp_id]
        onward = _referral_chain(graph, tp_id)
        reasons: list[str] = []
        excluded_rules: list[str] = []
        for pid in personas:
            view = ctx.views[pid]
            excluded_rules.extend(view.excluded_by.get(tp_id, ()))
        why = ""
        if len(personas) == 1:
            view = ctx.views[personas[0]]
            if tp_id in view.excluded_by:
                why = ctx.say("dead_end.why_rules", rules=ctx.names(view.excluded_by[tp_id]))
            else:
                lacking = [
                    alt
                    for req in ctx.index.requirements[tp_id]
                    if not set(req.alternatives) & view.obtainable
                    for alt in req.alternatives[:1]
                ]
                if lacking:
                    why = ctx.say("dead_end.why_docs", docs=ctx.names(lacking))
        owners = ctx.owners([tp_id, *onward], excluded_rules)
        for pid in personas:
            view = ctx.views[pid]
            if tp_id in view.excluded_by:
                reasons.append(f"{ctx.index.name(pid)}: {ctx.names(view.excluded_by[tp_id])}")
        findings.append(
            ctx.finding(
                "dead_end",
                [tp_id],
                title=ctx.say("dead_end.title", touchpoint=tp.name),
                explanation=ctx.say(
                    "dead_end.explanation",
                    personas=ctx.persona_names(personas),
                    touchpoint=tp.name,
                    actor=ctx.index.name(tp.actor) if tp.actor else ctx.say("nobody"),
                    why=why,
                    owners=ctx.names(owners),
                ),
                nodes=[tp_id, *onward, *excluded_rules],
                personas=personas,
                actors=owners,
                rules=excluded_rules,
                evidence=reasons,
            )
        )
    return findings


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
        owners = ctx.owners(touchpoints, rules)
        findings.append(
            ctx.finding(
                "unobtainable_document",
                [doc],
                title=ctx.say("unobtainable_document.title", docs=ctx.index.name(doc)),
                explanation=ctx.say(
                    "unobtainable_document.explanation",
                    touchpoints=ctx.names(touchpoints),
                    docs=ctx.index.name(doc),
                    owners=ctx.names(owners),
                ),
                nodes=[doc, *touchpoints],
                personas=ctx.affected(touchpoints),
                actors=owners,
                rules=rules,
            )
        )
    return findings


def _way_to(ctx: Context, pid: str, goal: str) -> tuple[set[str], list[str]]:
    """The nodes on the way to an unreachable goal, and the plain reasons it is blocked."""
    view = ctx.views[pid]
    persona = ctx.index.name(pid)
    reasons: list[str] = []
    way: set[str] = {goal}
    queue = deque([goal])
    while queue:
        doc = queue.popleft()
        producers = ctx.index.producers.get(doc, [])
        if not producers and doc not in view.obtainable:
            reasons.append(ctx.say("unreachable_goal.no_producer", goal=ctx.index.name(doc)))
        for tp_id in producers:
            way.add(tp_id)
            tp = ctx.index.touchpoints[tp_id]
            if tp_id in view.excluded_by:
                reasons.append(ctx.say("unreachable_goal.excluded", persona=persona,
                                       rules=ctx.names(view.excluded_by[tp_id]), touchpoint=tp.name))
                continue
            if not tp.actor:
                reasons.append(ctx.say("unreachable_goal.no_actor", touchpoint=tp.name))
                continue
            missing = [req for req in ctx.index.requirements[tp_id]
                       if not set(req.alternatives) & view.obtainable]
            if missing and doc == goal:
                reasons.append(ctx.say(
                    "unreachable_goal.missing", touchpoint=tp.name, persona=persona,
                    docs=ctx.names([ctx.index.name(a) for req in missing for a in req.alternatives[:1]]),
                ))
            for req in missing:
                for alt in req.alternatives:
                    if alt not in way:
                        way.add(alt)
                        queue.append(alt)
    return way, list(dict.fromkeys(reasons))


def find_unreachable_goals(ctx: Context, others: list[Finding]) -> list[Finding]:
    """``unreachable_goal``: a persona cannot reach a goal; the explanation names the root causes.

    Root causes are the other findings that block the goal: those of the
    kinds that can (see :mod:`.kinds`) that concern this persona (or no
    persona in particular) and whose nodes lie on the way to the goal.
    """
    from .kinds import root_cause_kinds  # the table of kinds imports this module

    root_causes = set(root_cause_kinds())
    findings = []
    for pid, view in ctx.views.items():
        for goal, ok in view.goals_reachable.items():
            if ok:
                continue
            way, reasons = _way_to(ctx, pid, goal)
            causes = [
                f for f in others
                if f.kind in root_causes
                and (not f.personas or pid in f.personas)
                and way.intersection(f.nodes)
            ]
            causes.sort(key=lambda f: f.sort_key())
            text = " ".join(reasons[:4])
            if causes:
                text += " " + ctx.say("unreachable_goal.caused_by",
                                      causes="; ".join(f.title for f in causes[:6]))
            producers = ctx.index.producers.get(goal, [])
            rules = [r for tp in producers for r in view.excluded_by.get(tp, ())]
            owners = ctx.owners(producers, rules, [a for f in causes for a in f.actors])
            findings.append(
                ctx.finding(
                    "unreachable_goal",
                    [pid, goal],
                    title=ctx.say("unreachable_goal.title", persona=ctx.index.name(pid),
                                  goal=ctx.index.name(goal)),
                    explanation=ctx.say("unreachable_goal.explanation", persona=ctx.index.name(pid),
                                        goal=ctx.index.name(goal), causes=text),
                    nodes=[goal, *producers, *rules],
                    personas=[pid],
                    actors=owners,
                    rules=rules,
                    evidence=reasons,
                    causes=[f.id for f in causes],
                )
            )
    return findings


def find_futile_referrals(ctx: Context) -> list[Finding]:
    """``futile_referral``: a referral to a touchpoint that produces nothing useful.

    A touchpoint sends the citizen to one that produces nothing the first
    requires and nothing it offers itself, so the referral cannot help
    anyone ("ask the police", for a paper the registry does not accept).
    """
    findings = []
    for tp_id, tp in sorted(ctx.index.touchpoints.items()):
        needed = ctx.index.required_docs(tp_id) | set(tp.produces)
        for target in dict.fromkeys(tp.refers_to):
            other = ctx.index.touchpoints.get(target)
            if other is None or target == tp_id or needed.intersection(other.produces):
                continue
            owners = ctx.owners([tp_id])
            findings.append(
                ctx.finding(
                    "futile_referral",
                    [tp_id, target],
                    title=ctx.say("futile_referral.title", source=tp.name, target=other.name),
                    explanation=ctx.say("futile_referral.explanation", source=tp.name,
                                        target=other.name, owners=ctx.names(owners)),
                    nodes=[tp_id, target],
                    personas=ctx.affected([tp_id]),
                    actors=owners,
                    rules=tp.rules,
                )
            )
    return findings


def _support(ctx: Context, eligible: frozenset[str], goals: Iterable[str]) -> set[str]:
    """Eligible touchpoints that could contribute to the goals (backward closure)."""
    seen: set[str] = set()
    docs = deque(goals)
    seen_docs = set(docs)
    while docs:
        doc = docs.popleft()
        for tp_id in ctx.index.producers.get(doc, ()):
            if tp_id in eligible and tp_id not in seen:
                seen.add(tp_id)
                for req in ctx.index.requirements[tp_id]:
                    for alt in req.alternatives:
                        if alt not in seen_docs:
                            seen_docs.add(alt)
                            docs.append(alt)
    return seen


def find_single_points_of_failure(ctx: Context) -> list[Finding]:
    """``single_point_of_failure``: a touchpoint without which a persona's goal becomes unreachable.

    Only touchpoints on the persona's plan can be essential (every way to a
    goal passes through an essential touchpoint, the plan's included); each
    is left out in turn and the fixpoint recomputed over the touchpoints
    that could contribute to the goals.
    """
    hits: dict[str, list[tuple[str, str]]] = {}
    for pid, view in ctx.views.items():
        goals = [g for g, ok in view.goals_reachable.items() if ok and g not in view.persona.has]
        if not goals:
            continue
        support = GoalFixpoint(ctx.index, _support(ctx, view.eligible, goals), view.persona.has, goals)
        for tp_id in view.plan:
            without = support.run(left_out=tp_id)
            for goal in goals:
                if goal not in without.obtained:
                    hits.setdefault(tp_id, []).append((pid, goal))
    findings = []
    for tp_id, pairs in sorted(hits.items()):
        tp = ctx.index.touchpoints[tp_id]
        personas = list(dict.fromkeys(p for p, _ in pairs))
        goals = list(dict.fromkeys(g for _, g in pairs))
        owners = ctx.owners([tp_id])
        findings.append(
            ctx.finding(
                "single_point_of_failure",
                [tp_id],
                title=ctx.say("single_point_of_failure.title", touchpoint=tp.name),
                explanation=ctx.say(
                    "single_point_of_failure.explanation",
                    touchpoint=tp.name,
                    actor=ctx.index.name(tp.actor) if tp.actor else ctx.say("nobody"),
                    personas=ctx.persona_names(personas),
                    goals=ctx.names(goals),
                ),
                nodes=[tp_id, *goals],
                personas=personas,
                actors=owners,
                rules=tp.rules,
            )
        )
    return findings
