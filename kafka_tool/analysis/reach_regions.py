"""Reach regions: where in the attribute space a citizen can obtain a document, over the whole way.

A document's **reach region** is the set of points of the attribute space (ages, incomes,
residences, ...) at which a citizen who starts with every document that no touchpoint of
the case produces (what people bring from outside) can obtain it. It is the least
fixpoint of

    region(d) = ∪ over producers t of d of (eligible(t) ∩ outcome(t, d) ∩ ∩ over items i of t of item(i))

where ``eligible(t)`` is where every rule on ``t`` holds (a rule's ``when``, and one of its
``when_any``), ``outcome(t, d)`` is where ``t`` gives ``d`` (everywhere, for a plain
``produces`` id), and ``item(i)`` is the union of the regions of the item's alternatives,
joined with the points at which the item's own ``when`` does not hold (they need not bring
it). Only touchpoints with an actor count. A document no touchpoint produces is held
everywhere.

The fixpoint is computed exactly with the region algebra of :mod:`.regions`, starting
from nothing and growing each region until nothing changes (every step only adds points,
and the regions are unions of boxes cut at the case's own bounds, so it ends). What a
goal's computation settles is kept for the goals after it: a document behind two goals is
worked out once. Every operation spends from the budget the caller gives; when it runs out
the computation raises :class:`~.regions.WorkLimitExceeded` and keeps nothing of that goal,
so that an unfinished region is never taken for the true one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..model import Attribute, Rule
from .fixpoint import Closure, closure
from .graph import CaseIndex, Requirement
from .regions import RegionSet, Space, WorkBudget

__all__ = ["ReachRegions", "condition_attributes", "minimal_rule_conflict", "rule_region"]


def rule_region(space: Space, rule: Rule) -> RegionSet:
    """Where a rule holds: its ``when``, and (when it has them) one of its ``when_any``."""
    held = space.where(rule.when)
    if rule.when_any:
        held = held.intersect(space.union(space.where(when) for when in rule.when_any))
    return held


def minimal_rule_conflict(attributes: Mapping[str, Attribute], rules: Sequence[Rule]) -> list[str] | None:
    """A smallest-by-deletion set of ``rules`` that can never all hold (``when`` and ``when_any``), or None.

    Each rule is dropped in turn, in input order, if the rest still cannot hold together.
    """
    names = {name for rule in rules for when in (rule.when, *rule.when_any) for name in when}
    space = Space(attributes, [n for n in attributes if n in names])
    regions = [(rule.id, rule_region(space, rule)) for rule in rules]

    def holds(chosen: Sequence[tuple[str, RegionSet]]) -> bool:
        together = space.everything()
        for _, region in chosen:
            together = together.intersect(region)
            if together.is_empty():
                return False
        return True

    if holds(regions):
        return None
    kept = list(regions)
    i = 0
    while i < len(kept):
        rest = kept[:i] + kept[i + 1:]
        if not holds(rest):
            kept = rest
        else:
            i += 1
    return [name for name, _ in kept]


def condition_attributes(index: CaseIndex) -> list[str]:
    """Every attribute that some condition of the case names (rules, outcomes, requirement items)."""
    names: dict[str, None] = {}
    for rule in index.rules.values():
        names.update(dict.fromkeys(rule.when))
        for when in rule.when_any:
            names.update(dict.fromkeys(when))
    for outcomes in index.outcomes.values():
        for _, when in outcomes:
            names.update(dict.fromkeys(when or {}))
    for req in index.conditional_items:
        names.update(dict.fromkeys(req.when or {}))
    return [name for name in index.case.attributes if name in names]


class ReachRegions:
    """The reach regions of a case's documents, worked out goal by goal (see the module docstring).

    ``space`` holds every attribute a condition of the case names; :meth:`of` spends from the
    budget it is given.
    """

    def __init__(self, index: CaseIndex) -> None:
        self.index = index
        self.space = Space(index.case.attributes, condition_attributes(index))
        self.everything = self.space.everything()
        self.nothing = self.space.nothing()
        self._settled: dict[str, RegionSet] = {}
        self._eligible: dict[str, RegionSet] = {}
        self._rules: dict[str, RegionSet] = {}
        self._unless: dict[int, RegionSet] = {}
        self._actor = frozenset(t for t, tp in index.touchpoints.items() if tp.actor)
        self._ways: dict[str, Closure] = {}

    # ------------------------------------------------------------ the parts

    def rule(self, rule_id: str) -> RegionSet:
        """Where a rule of the case holds."""
        if rule_id not in self._rules:
            self._rules[rule_id] = rule_region(self.space, self.index.rules[rule_id])
        return self._rules[rule_id]

    def eligible(self, tp_id: str) -> RegionSet:
        """Where every rule on a touchpoint holds (rules the case does not declare are left out)."""
        if tp_id not in self._eligible:
            region = self.everything
            for rule_id in dict.fromkeys(self.index.touchpoints[tp_id].rules):
                if rule_id in self.index.rules:
                    region = self._meet(region, self.rule(rule_id))
            self._eligible[tp_id] = region
        return self._eligible[tp_id]

    def outcome(self, tp_id: str, doc: str) -> RegionSet:
        """Where a touchpoint gives a document: the union of the ``when`` of its outcomes for it."""
        outcomes = self.index.outcomes.get(tp_id)
        if outcomes is None:
            return self.everything
        whens = [when for made, when in outcomes if made == doc]
        if any(when is None or not when for when in whens):
            return self.everything
        return self.space.union(self.space.where(when) for when in whens)

    def _not_asked(self, req: Requirement) -> RegionSet:
        """The points at which a conditional item is not asked (its ``when`` does not hold)."""
        if req.uid not in self._unless:
            self._unless[req.uid] = self.space.where(req.when).complement()
        return self._unless[req.uid]

    def _meet(self, a: RegionSet, b: RegionSet) -> RegionSet:
        if a == self.everything or b == self.nothing:
            return b
        if b == self.everything or a == self.nothing:
            return a
        return a.intersect(b)

    def _join(self, parts: Iterable[RegionSet]) -> RegionSet:
        kept = [p for p in parts if p != self.nothing]
        if not kept:
            return self.nothing
        if any(p == self.everything for p in kept):
            return self.everything
        if len(kept) == 1:
            return kept[0]
        return self.space.union(kept)

    # ------------------------------------------------------------ the fixpoint

    def of(self, goal: str, budget: WorkBudget) -> RegionSet:
        """The reach region of ``goal``, spending from ``budget`` (raises WorkLimitExceeded when it runs out)."""
        parts = self.parts(goal, budget)
        if goal not in self._settled:
            self._settled[goal] = self._join(parts)
        return self._settled[goal]

    def parts(self, goal: str, budget: WorkBudget) -> list[RegionSet]:
        """Regions whose union is the reach region of ``goal``: one for each producer that gives it.

        The goal's own region is not joined unless a desk on its way needs it (a union of many
        producers can cost more than the gap it leaves, which :meth:`Space.outside` finds in
        one pass). Raises WorkLimitExceeded when ``budget`` runs out, and then keeps nothing of
        this goal.
        """
        self.space.budget = budget  # what follows spends from it too (the gap, the rules that cut it)
        if goal in self._settled:
            return [self._settled[goal]]
        index = self.index
        if not index.producers.get(goal):
            return [self.everything]  # brought from outside
        way = self.way(goal)
        touchpoints = [t for t in way.touchpoints if t in self._actor]
        members = set(touchpoints)
        # The goal's region is needed on the way only when a desk there asks for it.
        needed_on_the_way = any(req.touchpoint in members for req in index.satisfies.get(goal, ()))
        region: dict[str, RegionSet] = {}
        for doc in way.documents:
            if doc in self._settled:
                region[doc] = self._settled[doc]
            elif not index.producers.get(doc):
                region[doc] = self.everything  # brought from outside
            else:
                region[doc] = self.nothing
        made: dict[str, RegionSet] = {}
        # Rounds: every touchpoint whose items grew is worked out again, then each document it
        # gives grows by all that its producers now add, in one union (regions only grow, so
        # the new region is the old one joined with the new contributions).
        due = list(touchpoints)
        while due:
            grown: dict[str, list[RegionSet]] = {}
            for tp_id in due:
                here = self.eligible(tp_id)
                for req in index.requirements[tp_id]:
                    if here == self.nothing:
                        break
                    item = self._join(region.get(d, self.nothing) for d in req.alternatives)
                    if req.when is not None:
                        item = self._join([item, self._not_asked(req)])
                    here = self._meet(here, item)
                if made.get(tp_id, self.nothing) == here:
                    continue
                made[tp_id] = here
                for doc in index.produced[tp_id]:
                    if doc in region and doc not in self._settled and (doc != goal or needed_on_the_way):
                        grown.setdefault(doc, []).append(self._meet(here, self.outcome(tp_id, doc)))
            due_now: dict[str, None] = {}
            for doc, parts in grown.items():
                new = self._join([region[doc], *parts])
                if new == region[doc]:
                    continue
                region[doc] = new
                for req in index.satisfies.get(doc, ()):
                    if req.touchpoint in members:
                        due_now[req.touchpoint] = None
            due = list(due_now)
        if not needed_on_the_way:
            del region[goal]
        self._settled.update(region)
        if needed_on_the_way:
            return [region[goal]]
        return [self._meet(made[t], self.outcome(t, goal)) for t in index.producers[goal] if t in made]

    def settled(self) -> Mapping[str, RegionSet]:
        """The reach regions worked out so far."""
        return self._settled

    def way(self, goal: str) -> Closure:
        """The desks with an actor and the documents on the way to ``goal`` (kept: every step reads it)."""
        if goal not in self._ways:
            self._ways[goal] = closure(self.index, [goal], producers=self._actor)
        return self._ways[goal]

    def rules_on_the_way(self, goal: str) -> list[str]:
        """The rules with a condition on the desks (with an actor) on the way to ``goal``, in the order of the way."""
        index = self.index
        way = self.way(goal)
        rules: dict[str, None] = {}
        for tp_id in way.touchpoints:
            for rule_id in index.touchpoints[tp_id].rules:
                rule = index.rules.get(rule_id)
                if rule is not None and (rule.when or rule.when_any):
                    rules[rule_id] = None
        return list(rules)

    def within_rule(self, region: RegionSet, rule_id: str) -> bool:
        """Whether a rule holds everywhere in ``region`` (a rule without ``when_any`` is checked part by part)."""
        rule = self.index.rules[rule_id]
        if not rule.when_any:
            return region.inside(rule.when)
        return region.issubset(self.rule(rule_id))

    def within_outcome(self, region: RegionSet, tp_id: str, doc: str) -> bool:
        """Whether a touchpoint gives ``doc`` everywhere in ``region``."""
        outcomes = self.index.outcomes.get(tp_id)
        if outcomes is None:
            return True
        whens = [when for made, when in outcomes if made == doc]
        if any(not when for when in whens):
            return True
        if len(whens) == 1:
            return region.inside(whens[0])
        return region.issubset(self.outcome(tp_id, doc))

    def cutting_rules(self, gap: RegionSet, goal: str) -> list[str]:
        """The rules on the way to ``goal`` that keep some of ``gap`` out (in the order of the way)."""
        return [r for r in self.rules_on_the_way(goal) if not self.within_rule(gap, r)]

    def outcomes_on_the_way(self, goal: str) -> list[str]:
        """The desks (with an actor) on the way to ``goal`` that give a document of the way only to some."""
        index = self.index
        way = self.way(goal)
        return [t for t in way.touchpoints if t in index.outcomes and t in self._actor]

    def cutting_outcomes(self, gap: RegionSet, goal: str, desks: Iterable[str] | None = None) -> list[str]:
        """The desks on the way to ``goal`` (or of ``desks``) whose outcomes for a document of the way keep
        some of ``gap`` out."""
        index = self.index
        way = self.way(goal)
        candidates = self.outcomes_on_the_way(goal) if desks is None else list(desks)
        return [t for t in candidates
                if any(doc in way.documents and not self.within_outcome(gap, t, doc) for doc in index.produced[t])]

    def items_on_the_way(self, goal: str) -> list[Requirement]:
        """The items asked only of some (with a ``when``) on the desks (with an actor) on the way to ``goal``."""
        return [req for t in self.way(goal).touchpoints if t in self._actor for req in self.index.requirements[t]
                if req.when is not None]

    def cutting_items(self, gap: RegionSet, goal: str,
                      items: Iterable[Requirement] | None = None) -> list[Requirement]:
        """The items asked only of some (with a ``when``) on the way to ``goal`` (or of ``items``) that
        some of ``gap`` is asked for and cannot bring."""
        index = self.index
        if items is None:
            items = self.items_on_the_way(goal)
        cut = []
        for req in items:
            asked = gap.intersect(self.space.where(req.when))
            if asked.is_empty():
                continue
            brought = self._join(self._settled.get(d, self.everything if not index.producers.get(d) else self.nothing)
                                 for d in req.alternatives)
            if not asked.issubset(brought):
                cut.append(req)
        return cut

