"""Circles: circular document dependencies and referral loops.

Both start from strongly connected components (one linear pass); each
tangle is then shown by its shortest cycles, found by breadth-first search
from a bounded number of its nodes. Enumerating every simple cycle is
exponential on dense tangles (a complete referral graph of 60 touchpoints
has more cycles than atoms in the universe), so it is never done; when a cap
is hit, the finding says so.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..findings import Finding, Trail
from .context import Context
from .digraph import Digraph, strongly_connected_components
from .fixpoint import closure
from .graph import CaseIndex
from .personas import PersonaView
from .wording import Said, Speaker

__all__ = [
    "MAX_CYCLES",
    "MAX_STARTS",
    "Tangle",
    "content_key",
    "shortest_cycles",
    "tangles",
    "dependency_tangles",
    "referral_tangles",
    "find_circular_dependencies",
    "find_referral_loops",
    "say_circular_dependency",
    "say_referral_loop",
]

#: Most cycles shown for one tangle.
MAX_CYCLES = 5
#: Most nodes of one tangle searched for a shortest cycle through them.
MAX_STARTS = 40


@dataclass(frozen=True)
class Tangle:
    """A strongly connected component, shown by some of its shortest cycles."""

    members: tuple[str, ...]
    cycles: tuple[tuple[str, ...], ...]
    capped: bool

    @property
    def cycle_nodes(self) -> tuple[str, ...]:
        """The nodes of the shown cycles, in cycle order, each once."""
        return tuple(dict.fromkeys(node for cycle in self.cycles for node in cycle))


def content_key(nodes: Iterable[str], limit: int = 4) -> str:
    """A stable id part for a set of nodes: the names when few, else names and a digest."""
    ordered = sorted(set(nodes))
    if len(ordered) <= limit:
        return "+".join(ordered)
    digest = hashlib.sha256("\n".join(ordered).encode("utf-8")).hexdigest()[:10]
    return "+".join(ordered[:limit]) + f"+{len(ordered) - limit}more-{digest}"


def _rotate(cycle: Sequence[str], prefer: Mapping[str, int] | None = None) -> tuple[str, ...]:
    """A cycle rotated to start at its smallest preferred node (a canonical form)."""
    keys = [((prefer or {}).get(n, 0), n) for n in cycle]
    start = keys.index(min(keys))
    return tuple(cycle[start:]) + tuple(cycle[:start])


def _shortest_cycle_through(graph: Digraph, start: str, allowed: set[str]) -> tuple[str, ...] | None:
    parent: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in sorted(graph.successors(node)):
            if nxt not in allowed:
                continue
            if nxt == start:
                path = [node]
                while parent[path[-1]] is not None:
                    path.append(parent[path[-1]])  # type: ignore[arg-type]
                return tuple(reversed(path))
            if nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    return None


def shortest_cycles(
    graph: Digraph,
    members: Iterable[str],
    *,
    prefer: Mapping[str, int] | None = None,
    starts: Iterable[str] | None = None,
    max_cycles: int = MAX_CYCLES,
    max_starts: int = MAX_STARTS,
) -> tuple[list[tuple[str, ...]], bool]:
    """Shortest cycles of a strongly connected component, bounded.

    A breadth-first search from each of at most ``max_starts`` nodes finds
    the shortest cycle through it. Returns the distinct cycles (shortest
    first, at most ``max_cycles``) and whether a cap cut anything off.

    Examples
    --------
    >>> g = Digraph([("a", "b"), ("b", "a"), ("b", "c"), ("c", "a")])
    >>> shortest_cycles(g, ["a", "b", "c"])
    ([('a', 'b'), ('a', 'b', 'c')], False)
    """
    allowed = set(members)
    order = list(starts) if starts is not None else sorted(allowed)
    capped = len(order) > max_starts
    found: set[tuple[str, ...]] = set()
    for node in order[:max_starts]:
        cycle = _shortest_cycle_through(graph, node, allowed)
        if cycle is not None:
            found.add(_rotate(cycle, prefer))
    cycles = sorted(found, key=lambda c: (len(c), c))
    if len(cycles) > max_cycles:
        capped = True
        cycles = cycles[:max_cycles]
    return cycles, capped


def tangles(graph: Digraph, prefer: Mapping[str, int] | None = None,
            starts_filter: set[str] | None = None) -> list[Tangle]:
    """Every non-trivial strongly connected component of ``graph``, with its shortest cycles."""
    found = []
    for component in strongly_connected_components(graph):
        if len(component) == 1:
            (node,) = component
            if not graph.has_edge(node, node):
                continue
        members = tuple(sorted(component))
        starts = [m for m in members if starts_filter is None or m in starts_filter] or list(members)
        cycles, capped = shortest_cycles(graph, members, prefer=prefer, starts=starts)
        found.append(Tangle(members, tuple(cycles), capped))
    found.sort(key=lambda t: t.members)
    return found


def referral_graph(index: CaseIndex) -> Digraph:
    """Touchpoints and their ``refers_to`` edges (made once per index; read, never changed)."""
    made = index.memo.get("referral_graph")
    if isinstance(made, Digraph):
        return made
    graph = index.memo["referral_graph"] = Digraph()
    graph.add_nodes_from(index.touchpoints)
    for tp_id, tp in index.touchpoints.items():
        for target in tp.refers_to:
            if target in index.touchpoints:
                graph.add_edge(tp_id, target)
    return graph


def referral_tangles(index: CaseIndex) -> list[Tangle]:
    """Referral loops: touchpoints that refer to each other in a cycle."""
    return tangles(referral_graph(index))


def dependency_tangles(index: CaseIndex, view: PersonaView) -> list[Tangle]:
    """Circular dependencies on the way to a persona's unreachable goals.

    The graph holds, for this persona, each unobtainable document on the way
    to an unreachable goal, each producer of it that the persona may use
    (it has an actor and the persona meets its rules), and each requirement
    item of such a producer that the persona cannot meet (no alternative can
    be obtained and that is asked of the persona), linked to every alternative; a
    producer counts only when it gives the document to the persona. A strongly connected
    component is a document that needs, through a chain, itself. An
    ``any_of`` alternative that can be obtained meets its item, so it breaks
    the circle.

    "On the way" follows the contract's relevant touchpoints: the search
    starts from the unreachable goals and from every document that a
    touchpoint on the way requires, touchpoints reached by referral and ones
    the persona may not use included. An item the persona already meets is
    not on the way (an alternative in hand breaks a circle behind it).
    """
    obtainable = view.obtainable
    terms = view.terms
    graph = Digraph()
    unreachable = [g for g, ok in view.goals_reachable.items() if not ok]
    # On the way: the goals, and every item a touchpoint on the way cannot have met.
    way = closure(index, unreachable, referrals=True, terms=terms,
                  items=lambda req: not any(alt in obtainable for alt in req.alternatives))
    queue = deque(way.documents)
    seen = set(queue)
    while queue:
        doc = queue.popleft()
        graph.add_node(doc)
        for tp_id in index.producers.get(doc, ()):
            if tp_id not in view.eligible or doc not in terms.produces(index, tp_id):
                continue
            graph.add_edge(doc, tp_id)
            for req in index.requirements[tp_id]:
                if not terms.asks(req) or any(alt in obtainable for alt in req.alternatives):
                    continue
                for alt in req.alternatives:
                    graph.add_edge(tp_id, alt)
                    if alt not in seen:
                        seen.add(alt)
                        queue.append(alt)
    documents = {n for n in graph if n not in index.touchpoints}
    prefer = {n: (0 if n in documents else 1) for n in graph}
    return [t for t in tangles(graph, prefer=prefer, starts_filter=documents)
            if any(m in documents for m in t.members)]


# ---------------------------------------------------------------- findings


def _merged(shown: Sequence[Tangle]) -> Tangle:
    """One tangle showing the cycles of several (the same circle seen by different personas)."""
    if len(shown) == 1:
        return shown[0]
    members = tuple(sorted({m for t in shown for m in t.members}))
    cycles = sorted({c for t in shown for c in t.cycles}, key=lambda c: (len(c), c))
    capped = any(t.capped for t in shown) or len(cycles) > MAX_CYCLES
    return Tangle(members, tuple(cycles[:MAX_CYCLES]), capped)


def find_circular_dependencies(ctx: Context) -> list[Finding]:
    """``circular_dependency``: on the way to an unreachable goal lies a document that needs itself.

    A persona cannot reach a goal, and on the way to it (the goal, or a
    document a touchpoint relevant to that goal requires) lies a document it
    cannot obtain because obtaining it needs, through a chain, the document
    itself. ``nodes`` is the cycle. A circle off the way to every
    unreachable goal is not reported for that persona.

    One finding per set of documents that need each other: personas who may
    use different desks on the same circle share it (and its id).
    """
    by_docs: dict[tuple[str, ...], tuple[list[Tangle], list[str]]] = {}
    for pid, view in ctx.views.items():
        if all(view.goals_reachable.values()):
            continue
        for found in dependency_tangles(ctx.index, view):
            key = tuple(m for m in found.members if m in ctx.index.documents)
            entry = by_docs.setdefault(key, ([], []))
            if found not in entry[0]:
                entry[0].append(found)
            entry[1].append(pid)
    findings = []
    for members, (shown, personas) in sorted(by_docs.items()):
        tangle = _merged(shown)
        docs = [n for n in tangle.cycle_nodes if n in ctx.index.documents]
        tps = [n for n in tangle.cycle_nodes if n in ctx.index.touchpoints]
        cycle_docs = [n for n in tangle.cycles[0] if n in ctx.index.documents]
        rules = [
            req.rule
            for tp_id in tps
            for req in ctx.index.requirements[tp_id]
            if req.rule and set(req.alternatives) & set(docs)
        ]
        owners = ctx.owners(tps, rules)
        findings.append(
            ctx.finding(
                "circular_dependency",
                [content_key(n for n in members if n in ctx.index.documents)],
                nodes=tangle.cycle_nodes,
                personas=personas,
                actors=owners,
                rules=rules,
                trails=[Trail(cycle, closed=True) for cycle in tangle.cycles],
                facts={"cycle_docs": cycle_docs, "more": len(members) - len(set(cycle_docs)),
                       "capped": (len(tangle.cycles), len(tangle.members)) if tangle.capped else None},
            )
        )
    return findings


def _capped(say: Speaker, capped: tuple[int, int] | None) -> list[str]:
    if capped is None:
        return []
    shown, members = capped
    return [say.say("(only the shortest {shown} of the cycles are shown; the tangle has {members} parts)",
                    shown=shown, members=members)]


def say_circular_dependency(finding: Finding, say: Speaker) -> Said:
    """The words of a ``circular_dependency``."""
    facts = finding.facts
    docs: list[str] = facts["cycle_docs"]
    more: int = facts["more"]
    if more <= 0:
        title = say.say("Circular requirement: {docs}", docs=say.names(docs))
    else:
        # "tangled with 5 more documents": two circles through the same documents read apart.
        title = say.say_n("Circular requirement: {docs}, tangled with {n} more document",
                          "Circular requirement: {docs}, tangled with {n} more documents", more, docs=say.names(docs))
    explanation = say.say(
        "To get {first} you need {chain}, which in the end needs {first} itself. "
        "Nobody who lacks these documents can get out of this circle on their own. "
        "Affected: {personas}. Who could break it: {owners}.",
        first=say.name(docs[0]), chain=say.names(docs[1:] or docs), personas=say.names(finding.personas),
        owners=say.names(finding.actors),
    )
    evidence = []
    for trail in finding.trails:
        cycle = trail.nodes
        steps = [say.say("{who} needs {what}", who=say.name(node), what=say.name(cycle[(i + 1) % len(cycle)]))
                 for i, node in enumerate(cycle) if node in say.index.touchpoints]
        evidence.append(" ← ".join(steps))
    return title, explanation, evidence + _capped(say, facts["capped"])


def find_referral_loops(ctx: Context) -> list[Finding]:
    """``referral_loop``: touchpoints refer to each other in a cycle (pillar to post).

    High; critical when no touchpoint on the loop can help a persona for
    whom the loop is relevant. ``personas`` are the personas for whom a
    touchpoint on the loop is relevant (relevance follows what applies to each
    persona: its outcomes and the items asked of it); the explanation names
    those of them who are stuck on it. ``nodes`` holds every touchpoint of the tangle,
    those of the shortest cycles shown first, in cycle order.
    """
    findings = []
    for tangle in referral_tangles(ctx.index):
        members = set(tangle.members)
        relevant = [pid for pid, view in ctx.views.items() if members & view.relevant]
        stuck = [pid for pid in relevant if not members & ctx.views[pid].helpful]
        # Every desk of the tangle, also those on no cycle shown: each sends people round.
        touchpoints = list(dict.fromkeys([*tangle.cycle_nodes, *tangle.members]))
        rules = [r for tp_id in tangle.members for r in ctx.index.touchpoints[tp_id].rules]
        owners = ctx.owners(tangle.members, rules)
        findings.append(
            ctx.finding(
                "referral_loop",
                [content_key(tangle.members)],
                severity="critical" if stuck else "high",
                nodes=touchpoints,
                personas=relevant,
                actors=owners,
                rules=rules,
                trails=[Trail(cycle, closed=True) for cycle in tangle.cycles],
                facts={"stuck": stuck, "relevant": bool(relevant),
                       "capped": (len(tangle.cycles), len(tangle.members)) if tangle.capped else None},
            )
        )
    return findings


def say_referral_loop(finding: Finding, say: Speaker) -> Said:
    """The words of a ``referral_loop``."""
    facts = finding.facts
    first = finding.trails[0].nodes
    loop = " → ".join(say.name(n) for n in (*first, first[0]))
    if facts["stuck"]:
        stuck = say.say("None of these desks can help {personas}. ", personas=say.names(facts["stuck"]))
    elif facts["relevant"]:
        stuck = say.say("Some desks on the loop can help, but people can still go round it. ")
    else:
        stuck = ""
    title = say.say("Referral loop: {touchpoints}", touchpoints=say.names(first))
    explanation = say.say("Citizens are sent round in a circle, from pillar to post: {loop}. {stuck}"
                          "Who could end it: {owners}.", loop=loop, stuck=stuck, owners=say.names(finding.actors))
    evidence = [" → ".join(say.name(n) for n in (*t.nodes, t.nodes[0])) for t in finding.trails]
    return title, explanation, evidence + _capped(say, facts["capped"])
