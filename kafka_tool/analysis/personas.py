"""What a persona can obtain, which goals it reaches, its plan and its burden.

Definitions (CASE_FORMAT.md, "What the model means"):

- A persona **can use** a touchpoint when the touchpoint has an actor, the
  persona meets the ``when`` of every rule on it, and holds every
  requirement (for ``any_of``, at least one). Using it gives every document
  it ``produces``.
- What a persona **can obtain** is the least fixpoint from ``has``; a goal is
  **reachable** when it is in that set.
- A touchpoint **can help** a persona when the persona can use it while
  holding everything it can obtain.
- The touchpoints **relevant** to a persona are those that produce one of its
  goals, those that produce something a relevant touchpoint requires
  (recursively), and those reached from a relevant one through ``refers_to``.

The fixpoint is the classic counter-based propagation for Horn clauses:
each requirement item is met at most once and each touchpoint fires at most
once, so it runs in time linear in the size of the case.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from ..findings import Burden, PersonaResult
from ..model import Persona
from .graph import CaseIndex
from .regions import meets

__all__ = [
    "GoalFixpoint",
    "PersonaView",
    "Fixpoint",
    "eligibility",
    "fixpoint",
    "persona_view",
    "relevant_touchpoints",
    "supporting_touchpoints",
]


@dataclass(frozen=True)
class Fixpoint:
    """The least fixpoint: documents obtained and touchpoints usable, in the order they fire."""

    obtained: frozenset[str]
    usable: tuple[str, ...]


@dataclass(frozen=True)
class PersonaView:
    """Everything the finding passes need to know about one persona."""

    persona: Persona
    eligible: frozenset[str]
    #: touchpoint -> the rules on it whose ``when`` the persona does not meet
    excluded_by: dict[str, tuple[str, ...]]
    obtainable: frozenset[str]
    helpful: frozenset[str]
    usable_order: tuple[str, ...]
    relevant: frozenset[str]
    goals_reachable: dict[str, bool]
    plan: tuple[str, ...]
    burden: Burden

    @property
    def id(self) -> str:
        return self.persona.id

    def result(self) -> PersonaResult:
        """The persona's part of the JSON report."""
        return PersonaResult(
            id=self.persona.id,
            goals_reachable=self.goals_reachable,
            obtainable=tuple(sorted(self.obtainable)),
            plan=self.plan,
            burden=self.burden,
            relevant=tuple(sorted(self.relevant)),
            usable=self.usable_order,
            helpful=tuple(sorted(self.helpful)),
        )


def eligibility(index: CaseIndex, persona: Persona) -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """The touchpoints a persona may use as far as actors and rules go.

    Returns the eligible touchpoints and, for the others that have an actor,
    the rules that exclude the persona.
    """
    attributes = index.case.attributes
    rule_ok = {
        rule_id: meets(attributes, rule.when, persona.attributes) for rule_id, rule in index.rules.items()
    }
    eligible: set[str] = set()
    excluded: dict[str, tuple[str, ...]] = {}
    # Touchpoints that share their rules share the verdict: decide once per rule set.
    for rules, touchpoints in index.by_rules.items():
        failing = tuple(r for r in rules if not rule_ok.get(r, False))
        if failing:
            excluded.update(dict.fromkeys(touchpoints, failing))
        else:
            eligible.update(t for t in touchpoints if index.touchpoints[t].actor)
    return frozenset(eligible), excluded


def fixpoint(index: CaseIndex, eligible: Collection[str], has: Iterable[str]) -> Fixpoint:
    """The least fixpoint of what can be obtained from ``has`` through ``eligible`` touchpoints.

    (To test whether a touchpoint is essential, :class:`GoalFixpoint` leaves it out.)
    """
    obtained = set(has)
    queue = deque(dict.fromkeys(has))
    missing: dict[str, int] = {}
    usable: list[str] = []
    touchpoints = index.touchpoints
    item_count = index.item_count
    meets_items = index.meets_items
    # Inlined for speed: this is the innermost loop of the whole analysis.
    for tp_id in index.free:
        if tp_id in eligible:
            usable.append(tp_id)
            for doc in touchpoints[tp_id].produces:
                if doc not in obtained:
                    obtained.add(doc)
                    queue.append(doc)
    met: set[int] = set()
    while queue:
        for uid, tp_id in meets_items.get(queue.popleft(), ()):
            if uid in met or tp_id not in eligible:
                continue
            met.add(uid)
            left = missing.get(tp_id, item_count[tp_id]) - 1
            missing[tp_id] = left
            if left == 0:
                usable.append(tp_id)
                for doc in touchpoints[tp_id].produces:
                    if doc not in obtained:
                        obtained.add(doc)
                        queue.append(doc)
    return Fixpoint(frozenset(obtained), tuple(usable))


class GoalFixpoint:
    """The fixpoint for some goals over the touchpoints that support them, with an index of their own.

    The same propagation as :func:`fixpoint`, restricted to the touchpoints
    that can take part in obtaining the goals (see
    :func:`supporting_touchpoints`), so that each run costs their size, not
    the case's; whether each goal is obtained is the same as over the whole
    case. A run stops as soon as every goal is obtained.
    """

    def __init__(self, index: CaseIndex, supporting: Collection[str], has: Iterable[str],
                 goals: Iterable[str]) -> None:
        self.index = index
        self.goals = frozenset(goals)
        self.order = sorted(supporting)
        self.satisfies: dict[str, list[tuple[str, int]]] = {}
        for tp_id in self.order:
            for req in index.requirements[tp_id]:
                for doc in dict.fromkeys(req.alternatives):
                    self.satisfies.setdefault(doc, []).append((tp_id, req.index))
        self.held = list(dict.fromkeys(has))

    def run(self, left_out: str | None = None) -> Fixpoint:
        """Propagate until every goal is obtained or nothing more can be; ``left_out`` is not used."""
        index = self.index
        obtained = set(self.held)
        queue = deque(self.held)
        usable: list[str] = []
        missing = {t: len(index.requirements[t]) for t in self.order if t != left_out}
        wanted = set(self.goals - obtained)

        def fire(tp_id: str) -> None:
            usable.append(tp_id)
            for doc in index.touchpoints[tp_id].produces:
                if doc not in obtained:
                    obtained.add(doc)
                    queue.append(doc)
                    wanted.discard(doc)

        for tp_id, count in missing.items():
            if count == 0:
                fire(tp_id)
        met: set[tuple[str, int]] = set()
        while queue and wanted:
            for key in self.satisfies.get(queue.popleft(), ()):
                if key[0] not in missing or key in met:
                    continue
                met.add(key)
                missing[key[0]] -= 1
                if missing[key[0]] == 0:
                    fire(key[0])
        return Fixpoint(frozenset(obtained), tuple(usable))


def relevant_touchpoints(index: CaseIndex, goals: Iterable[str]) -> frozenset[str]:
    """The touchpoints relevant to someone with these goals (see the module docstring)."""
    seen: set[str] = set()
    queue: deque[str] = deque()
    for goal in goals:
        for tp_id in index.producers.get(goal, ()):
            if tp_id not in seen:
                seen.add(tp_id)
                queue.append(tp_id)
    while queue:
        for nxt in index.relevance_next(queue.popleft()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return frozenset(seen)


def supporting_touchpoints(index: CaseIndex, goals: Iterable[str]) -> frozenset[str]:
    """The touchpoints that produce a goal, or something one of them requires, recursively.

    Unlike :func:`relevant_touchpoints` this leaves referrals out: only these
    touchpoints can take part in obtaining the goals, so a fixpoint or a plan
    for the goals alone needs to look at nothing else.
    """
    seen: set[str] = set()
    docs = set(goals)
    stack = list(docs)
    while stack:
        for tp_id in index.producers.get(stack.pop(), ()):
            if tp_id in seen:
                continue
            seen.add(tp_id)
            for req in index.requirements[tp_id]:
                for doc in req.alternatives:
                    if doc not in docs:
                        docs.add(doc)
                        stack.append(doc)
    return frozenset(seen)


def _plan(index: CaseIndex, usable: Collection[str], has: Collection[str], goals: Iterable[str]) -> tuple[str, ...]:
    """A plan that obtains the reachable goals: fewest touchpoints, then fewest days.

    Knuth's generalisation of Dijkstra's algorithm to AND/OR graphs: a
    document costs the least of its producers; a touchpoint costs one step
    and its days plus, for each requirement item, its cheapest alternative.
    Shared sub-plans are counted once when the plan is assembled, but while
    choosing they count once per use (finding the truly smallest plan is
    NP-hard), so a route whose desks share a prerequisite can lose to a
    slightly longer one.
    """
    goals = list(goals)
    # Touchpoints that cannot take part in obtaining a goal change no cost the plan reads.
    usable_set = set(usable) & supporting_touchpoints(index, goals)
    cost: dict[str, tuple[float, float]] = {}
    best_producer: dict[str, str] = {}
    heap: list[tuple[float, float, str, str]] = [(0, 0, doc, "") for doc in sorted(has)]
    heapq.heapify(heap)
    item_cost: dict[tuple[str, int], tuple[float, float]] = {}
    pending = {t: len(index.requirements[t]) for t in usable_set}
    for tp_id in sorted(usable_set):
        if pending[tp_id] == 0:
            tp = index.touchpoints[tp_id]
            for doc in tp.produces:
                heapq.heappush(heap, (1, float(tp.days or 0), doc, tp_id))
    while heap:
        steps, days, doc, via = heapq.heappop(heap)
        if doc in cost:
            continue
        cost[doc] = (steps, days)
        if via:
            best_producer[doc] = via
        for req in index.satisfies.get(doc, ()):
            tp_id = req.touchpoint
            key = (tp_id, req.index)
            if tp_id not in usable_set or key in item_cost:
                continue
            item_cost[key] = (steps, days)
            pending[tp_id] -= 1
            if pending[tp_id] == 0:
                tp = index.touchpoints[tp_id]
                total_steps = 1 + sum(item_cost[(tp_id, i)][0] for i in range(len(index.requirements[tp_id])))
                total_days = float(tp.days or 0) + sum(
                    item_cost[(tp_id, i)][1] for i in range(len(index.requirements[tp_id]))
                )
                for produced in tp.produces:
                    if produced not in cost:
                        heapq.heappush(heap, (total_steps, total_days, produced, tp_id))
    plan: list[str] = []
    placed: set[str] = set()
    done_docs: set[str] = set(has)
    # Iterative post-order walk, so that a long chain does not hit the recursion limit.
    for goal in goals:
        if goal not in cost:
            continue
        stack: list[tuple[str, bool]] = [(goal, False)]
        while stack:
            doc, expanded = stack.pop()
            if doc in done_docs:
                continue
            tp_id = best_producer[doc]
            if expanded:
                done_docs.add(doc)
                if tp_id not in placed:
                    placed.add(tp_id)
                    plan.append(tp_id)
                    done_docs.update(index.touchpoints[tp_id].produces)
                continue
            stack.append((doc, True))
            if tp_id in placed:
                continue
            for req in reversed(index.requirements[tp_id]):
                options = [d for d in req.alternatives if d in cost]
                choice = min(options, key=lambda d: (cost[d], d))
                if choice not in done_docs:
                    stack.append((choice, False))
    return tuple(plan)


def burden_of(index: CaseIndex, plan: Iterable[str]) -> Burden:
    """Steps, distinct actors, days and cost along a plan."""
    steps = 0
    actors: set[str] = set()
    days = 0.0
    cost = 0.0
    for tp_id in plan:
        tp = index.touchpoints[tp_id]
        steps += 1
        if tp.actor:
            actors.add(tp.actor)
        days += float(tp.days or 0)
        cost += float(tp.cost or 0)
    return Burden(steps=steps, actors=len(actors), days=days, cost=cost)


def persona_view(index: CaseIndex, persona: Persona) -> PersonaView:
    """Compute everything about one persona."""
    eligible, excluded = eligibility(index, persona)
    fix = fixpoint(index, eligible, persona.has)
    goals = list(dict.fromkeys(persona.goals))
    reachable = {goal: goal in fix.obtained for goal in goals}
    plan = _plan(index, fix.usable, set(persona.has), [g for g in goals if reachable[g]])
    return PersonaView(
        persona=persona,
        eligible=eligible,
        excluded_by=excluded,
        obtainable=fix.obtained,
        helpful=frozenset(fix.usable),
        usable_order=fix.usable,
        relevant=relevant_touchpoints(index, goals),
        goals_reachable=reachable,
        plan=plan,
        burden=burden_of(index, plan),
    )
