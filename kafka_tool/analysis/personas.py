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

The fixpoint and the walks behind the goals are the analysis's one kernel
(:mod:`.fixpoint`): linear-time propagation over Horn clauses, and a
breadth-first closure.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..findings import Annual, Burden, PersonaResult
from ..model import Persona, Rule, goal_deadlines
from .fixpoint import EVERYONE, Fixpoint, Kernel, Terms, closure, touchpoints_behind
from .graph import CaseIndex
from .money import Means, case_whens, means_of, money_attributes
from .regions import meets
from .timing import Timeline, timeline
from .transitions import follow

if TYPE_CHECKING:
    from .transitions import Moment

__all__ = [
    "Eligible",
    "PersonaView",
    "Fixpoint",
    "eligibility",
    "fixpoint",
    "persona_view",
    "relevant_touchpoints",
    "supporting_touchpoints",
]


class Eligible(AbstractSet[str]):
    """The touchpoints a persona may use, as a set read off the case's staffed touchpoints and the
    persona's exclusions, not a copy of them: a view keeps it for the whole analysis, and a copy
    of nearly every touchpoint per persona is 4 MB at 100,000 touchpoints."""

    __slots__ = ("_excluded", "_size", "_staffed")

    def __init__(self, staffed: frozenset[str], excluded: Collection[str]) -> None:
        self._staffed = staffed
        self._excluded = excluded
        self._size = len(staffed) - sum(1 for t in excluded if t in staffed)

    def __contains__(self, touchpoint: object) -> bool:
        return touchpoint in self._staffed and touchpoint not in self._excluded

    def __iter__(self) -> Iterator[str]:
        excluded = self._excluded
        return (t for t in self._staffed if t not in excluded)

    def __len__(self) -> int:
        return self._size


@dataclass(frozen=True)
class PersonaView:
    """Everything the finding passes need to know about one persona."""

    persona: Persona
    #: the touchpoints it may use as far as actors and rules go (see :func:`eligibility`)
    eligible: AbstractSet[str]
    #: touchpoint -> the rules on it whose ``when`` the persona does not meet
    excluded_by: dict[str, tuple[str, ...]]
    obtainable: frozenset[str]
    helpful: frozenset[str]
    usable_order: tuple[str, ...]
    relevant: frozenset[str]
    goals_reachable: dict[str, bool]
    plan: tuple[str, ...]
    burden: Burden
    #: which items are asked of the persona and what outcomes give it (see :class:`.fixpoint.Terms`)
    terms: Terms = EVERYONE
    #: the documents on the way to the persona's goals: the goals, and what a desk that gives one
    #: of them to the persona asks of it, recursively
    needed: frozenset[str] = frozenset()
    #: the earliest days of what is on the way to the goals, and (in a case with windows) of
    #: everything the persona can obtain, with the windows that close (see :mod:`.timing`)
    timeline: Timeline | None = None
    #: goal -> the day by which the persona needs it (goals written with ``within_days``)
    deadlines: dict[str, float] = field(default_factory=dict)
    #: the persona followed forward in time (see :mod:`.transitions`)
    ahead: tuple[Moment, ...] = ()
    #: money attribute -> the persona's means along it (see :mod:`.money`)
    means: dict[str, Means] = field(default_factory=dict)

    def earliest(self, goal: str) -> float | None:
        """The earliest day the persona can hold ``goal``, or None when it cannot."""
        if self.timeline is None or not self.goals_reachable.get(goal, goal in self.obtainable):
            return None
        return self.timeline.earliest.get(goal)

    @property
    def id(self) -> str:
        return self.persona.id

    @property
    def annual(self) -> Annual | None:
        """The burden of everyone in the persona's situation in a year; None without a ``population``."""
        population = self.persona.population
        return None if population is None else Annual.of(population.per_year, self.burden)

    def result(self, index: CaseIndex) -> PersonaResult:
        """The persona's part of the JSON report (``index``, its case's, lists what it can obtain in id order)."""
        return PersonaResult(
            id=self.persona.id,
            goals_reachable=self.goals_reachable,
            obtainable=index.sorted_documents(self.obtainable),
            plan=self.plan,
            burden=self.burden,
            annual=self.annual,
            earliest_days={goal: self.earliest(goal) for goal in self.goals_reachable},
            ahead=tuple(moment.to_json() for moment in self.ahead),
            means={name: means.intervals() for name, means in self.means.items()},
        )


def eligibility(index: CaseIndex, persona: Persona) -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """The touchpoints a persona may use as far as actors and rules go.

    Returns the eligible touchpoints and, for the others that have an actor,
    the rules that exclude the persona.
    """
    rule_ok = {rule_id: rule_holds(index, rule, persona) for rule_id, rule in index.rules.items()}
    excluded: dict[str, tuple[str, ...]] = {}
    # Touchpoints that share their rules share the verdict: decide once per rule set.
    for rules, touchpoints in index.by_rules.items():
        failing = tuple(r for r in rules if not rule_ok.get(r, False))
        if failing:
            excluded.update(dict.fromkeys(touchpoints, failing))
    return index.staffed.difference(excluded), excluded


def rule_holds(index: CaseIndex, rule: Rule, persona: Persona) -> bool:
    """Whether a persona meets a rule: its ``when``, and one of its ``when_any`` (when it has them)."""
    attributes = index.case.attributes
    if not meets(attributes, rule.when, persona.attributes):
        return False
    return not rule.when_any or any(meets(attributes, when, persona.attributes) for when in rule.when_any)


def persona_terms(index: CaseIndex, persona: Persona) -> Terms:
    """What the touchpoints whose items or outcomes depend on who comes ask of this persona and give it."""
    if not index.conditional_items and not index.outcomes:
        return EVERYONE
    attributes = index.case.attributes
    skipped = {req.uid for req in index.conditional_items if not meets(attributes, req.when, persona.attributes)}
    counts: dict[str, int] = {}
    for req in index.conditional_items:
        if req.uid in skipped:
            counts[req.touchpoint] = counts.get(req.touchpoint, index.item_count[req.touchpoint]) - 1
    freed = tuple(t for t in index.touchpoints if counts.get(t) == 0)
    gives = {
        tp_id: tuple(dict.fromkeys(doc for doc, when in outcomes
                                   if when is None or meets(attributes, when, persona.attributes)))
        for tp_id, outcomes in index.outcomes.items()
    }
    return Terms(frozenset(skipped), counts, freed, gives)


def fixpoint(index: CaseIndex, eligible: Collection[str], has: Iterable[str]) -> Fixpoint:
    """What can be obtained from ``has`` through ``eligible`` touchpoints: the least fixpoint (:mod:`.fixpoint`)."""
    return Kernel(index).run(has, eligible)


def relevant_touchpoints(index: CaseIndex, goals: Iterable[str]) -> frozenset[str]:
    """The touchpoints relevant to someone with these goals (see the module docstring)."""
    return touchpoints_behind(index, goals, referrals=True)


def supporting_touchpoints(index: CaseIndex, goals: Iterable[str]) -> frozenset[str]:
    """The touchpoints that produce a goal, or something one of them requires, recursively.

    Unlike :func:`relevant_touchpoints` this leaves referrals out: only these
    touchpoints can take part in obtaining the goals, so a fixpoint or a plan
    for the goals alone needs to look at nothing else.
    """
    return frozenset(closure(index, goals).touchpoints)


def _plan(index: CaseIndex, usable: Collection[str], has: Collection[str], goals: Iterable[str],
          terms: Terms = EVERYONE, support: Collection[str] | None = None) -> tuple[str, ...]:
    """A plan that obtains the reachable goals: fewest touchpoints, then fewest days.

    Each document comes from its cheapest producer (:meth:`Kernel.cheapest`: a
    touchpoint costs one step and its days plus, for each requirement item, its
    cheapest alternative). Shared sub-plans are counted once when the plan is
    assembled, but while choosing they count once per use (finding the truly
    smallest plan is NP-hard), so a route whose desks share a prerequisite can
    lose to a slightly longer one.

    ``support`` may be given: the touchpoints that can take part in obtaining the goals (or
    more goals: a touchpoint outside a goal's support changes no cost on its way).
    """
    goals = list(goals)
    # Touchpoints that cannot take part in obtaining a goal change no cost the plan reads.
    if support is None:
        support = frozenset(closure(index, goals, terms=terms).touchpoints)
    # The case's own tables: a plan reads costs, not the propagation's counters. An item the
    # actor fetches itself must be there, but the citizen takes no step to bring it.
    best = Kernel(index).cheapest(
        has, set(usable).intersection(support), lambda tp_id: (1.0, float(index.touchpoints[tp_id].days or 0)), terms,
        free_items=lambda req: req.fetched)
    plan: list[str] = []
    placed: set[str] = set()
    done_docs: set[str] = set(has)
    # Iterative post-order walk, so that a long chain does not hit the recursion limit.
    for goal in goals:
        if goal not in best:
            continue
        stack: list[tuple[str, bool]] = [(goal, False)]
        while stack:
            doc, expanded = stack.pop()
            if doc in done_docs:
                continue
            tp_id = best[doc][1]
            if expanded:
                done_docs.add(doc)
                if tp_id not in placed:
                    placed.add(tp_id)
                    plan.append(tp_id)
                    done_docs.update(terms.produces(index, tp_id))
                continue
            stack.append((doc, True))
            if tp_id in placed:
                continue
            for req in reversed(index.requirements[tp_id]):
                if req.fetched or not terms.asks(req):
                    continue  # the actor fetches it, or it is not asked of this persona
                options = [d for d in req.alternatives if d in best]
                choice = min(options, key=lambda d: (best[d][0], d))
                if choice not in done_docs:
                    stack.append((choice, False))
    return tuple(plan)


def burden_of(index: CaseIndex, plan: Iterable[str], elapsed: float = 0.0, terms: Terms = EVERYONE) -> Burden:
    """Steps, distinct actors, days, cost and hours along a plan (and the ``elapsed`` days, as given).

    The hours are the citizen's own time as the Standard Cost Model counts it: each step's
    ``effort_hours``, and the ``effort_hours`` of every item the step asks of the persona
    (``terms``: an item whose ``when`` the persona does not meet is not asked); an item the
    actor fetches itself costs the citizen nothing. With the case's ``hour_value`` the hours
    are priced (``hours_cost``).
    """
    steps = 0
    actors: set[str] = set()
    days = 0.0
    cost = 0.0
    hours = 0.0
    for tp_id in plan:
        tp = index.touchpoints[tp_id]
        steps += 1
        if tp.actor:
            actors.add(tp.actor)
        days += float(tp.days or 0)
        cost += float(tp.cost or 0)
        hours += float(tp.effort_hours or 0)
        hours += sum(req.effort for req in index.requirements[tp_id]
                     if req.effort and not req.fetched and terms.asks(req))
    hour_value = index.case.hour_value
    return Burden(steps=steps, actors=len(actors), days=days, cost=cost, elapsed_days=elapsed, hours=hours,
                  hours_cost=None if hour_value is None else hours * float(hour_value))


def reach(index: CaseIndex, persona: Persona, eligible: frozenset[str],
          terms: Terms) -> tuple[Fixpoint, Timeline | None]:
    """What the persona can obtain: the least fixpoint, or, in a case with windows, the timeline
    (a window that closes keeps the persona from a desk, which changes what it can obtain)."""
    # A few desks of a large case (the way to some goals) are walked over tables of their own.
    kernel = Kernel(index, eligible, case_order=True) if len(eligible) * 8 < len(index.touchpoints) else Kernel(index)
    if not index.windowed_items or index.windowed_touchpoints().isdisjoint(eligible):
        return kernel.run(persona.has, eligible, terms=terms), None
    # The timeline settles what the fixpoint would, in the order of days, and checks each window
    # as its desk starts: one walk instead of a fixpoint and a timeline over what it uses.
    timed = timeline(index, persona.has, eligible, terms, tables=kernel)
    return Fixpoint(timed.obtained, timed.usable), timed


def persona_view(index: CaseIndex, persona: Persona) -> PersonaView:
    """Compute everything about one persona."""
    eligible, excluded = eligibility(index, persona)
    terms = persona_terms(index, persona)
    fix, timed = reach(index, persona, eligible, terms)
    goals = list(persona.goal_ids)
    reachable = {goal: goal in fix.obtained for goal in goals}
    # The walk behind every goal: what the persona needs, and (for the reachable ones) what can
    # take part in the plan.
    way = closure(index, goals, terms=terms)
    plan = _plan(index, fix.usable, set(persona.has), [g for g in goals if reachable[g]], terms,
                 support=way.touchpoints)
    if timed is None:
        # The earliest days of the goals need only the desks on the way to them.
        timed = timeline(index, persona.has, set(fix.usable).intersection(way.touchpoints), terms, windows=False)
    # A desk whose every outcome passes the persona by cannot help it, though it may use it.
    helpful = frozenset(t for t in fix.usable if t not in terms.gives or terms.gives[t])
    return PersonaView(
        persona=persona,
        eligible=Eligible(index.staffed, excluded),
        excluded_by=excluded,
        obtainable=fix.obtained,
        helpful=helpful,
        usable_order=fix.usable,
        relevant=touchpoints_behind(index, goals, referrals=True, terms=terms),
        goals_reachable=reachable,
        plan=plan,
        burden=burden_of(index, plan, timed.elapsed(g for g in goals if reachable[g]), terms),
        terms=terms,
        needed=frozenset(way.documents),
        timeline=timed,
        deadlines=goal_deadlines(persona.goals),
        ahead=follow(index, persona, reach),
        means=persona_means(index, persona),
    )


def goals_reached(index: CaseIndex, persona: Persona) -> frozenset[str]:
    """The goals a persona can reach (windows and outcomes included)."""
    eligible, _ = eligibility(index, persona)
    fix, _ = reach(index, persona, eligible, persona_terms(index, persona))
    return frozenset(g for g in persona.goal_ids if g in fix.obtained)


def goals_reached_along(index: CaseIndex, persona: Persona, attribute: str) -> Callable[[Persona], frozenset[str]]:
    """:func:`goals_reached` for the persona with other values of ``attribute`` only, made fast for many of them.

    Only the desks on the way to the goals can take part in reaching them, and only the rules
    that look at the attribute can change their verdict: the rest is decided once.
    """
    support = frozenset(closure(index, persona.goal_ids).touchpoints) & index.staffed
    rules = {r for t in support for r in index.touchpoints[t].rules}
    moving = {r for r in rules if index.rules[r].when.get(attribute) is not None
              or any(w.get(attribute) is not None for w in index.rules[r].when_any)}
    fixed = {r: rule_holds(index, index.rules[r], persona) for r in rules - moving}

    # Values of the attribute that meet the same rules, and are asked and given the same on the
    # way, reach the same goals: one reach for each such reading.
    seen: dict[tuple[Any, ...], frozenset[str]] = {}
    outcomes = sorted(t for t in index.outcomes if t in support)

    def at(changed: Persona) -> frozenset[str]:
        holds = frozenset(r for r in moving if rule_holds(index, index.rules[r], changed))
        terms = persona_terms(index, changed)
        key = (holds, terms.skipped, tuple(terms.gives.get(t, ()) for t in outcomes))
        found = seen.get(key)
        if found is None:
            ok = {**fixed, **dict.fromkeys(moving, False), **dict.fromkeys(holds, True)}
            eligible = frozenset(t for t in support if all(ok[r] for r in index.touchpoints[t].rules))
            fix, _ = reach(index, changed, eligible, terms)
            found = seen[key] = frozenset(g for g in changed.goal_ids if g in fix.obtained)
        return found

    return at


def persona_means(index: CaseIndex, persona: Persona) -> dict[str, Means]:
    """The persona's means along each money attribute of the case (see :mod:`.money`)."""
    names = index.memo.get("money_attributes")
    if names is None:
        names = index.memo["money_attributes"] = money_attributes(index.case)
    if not names:
        return {}
    whens = index.memo.get("whens")
    if whens is None:
        whens = index.memo["whens"] = case_whens(index.case)
    return {name: means_of(index.case, whens, persona, name, goals_reached_along(index, persona, name))
            for name in names}
