"""What a persona can obtain, and where the way to a document runs: the two walks every analysis shares.

**Forward: the least fixpoint.** A touchpoint fires once every one of its
requirement items is met (an item is met by any one of its alternatives), and
gives what it produces; what can be obtained is what the touchpoints a persona
may use give, starting from what it has. This is propagation over Horn
clauses with a counter per touchpoint (Dowling and Gallier, 1984): each item
is met at most once and each touchpoint fires at most once, so a run is
linear in the size of the touchpoints it looks at. :class:`Kernel` holds the
tables for a set of touchpoints (all of a case's, built once per analysis, or
the few that can take part in obtaining some goals) and :meth:`Kernel.run`
answers every question the passes ask of it: the whole reach of a persona,
whether goals stay reachable without one touchpoint (single points of
failure, the only way to a goal), stopping as soon as the goals are obtained.

With a cost for each touchpoint, the same propagation taken in the order of a
priority queue is Knuth's generalisation of Dijkstra's algorithm to AND/OR
graphs (1977): :meth:`Kernel.cheapest` gives for every document the cheapest
way to it, where a touchpoint costs its own cost plus that of its items, each
at its cheapest alternative, in O(E log V).

**Backward: the closure.** :func:`closure` walks from some documents to the
touchpoints that give them, from those to what they require, and (when
asked) along their referrals: the touchpoints that support a goal, those
relevant to a persona, those on the way to an unreachable goal. Which items
it follows and which touchpoints it goes on from are the caller's to say.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field

from .graph import CaseIndex, Requirement

__all__ = ["EVERYONE", "Closure", "Fixpoint", "Kernel", "Terms", "closure", "touchpoints_behind"]


@dataclass(frozen=True)
class Terms:
    """What depends on who comes to a touchpoint: items asked only of some, outcomes given only to some.

    ``skipped`` are the items not asked of the persona (their numbers); ``counts`` how many
    items a touchpoint with a skipped item still asks; ``freed`` the touchpoints that ask the
    persona nothing more, in case order; ``gives`` what a touchpoint with outcomes gives the
    persona (possibly nothing).
    """

    skipped: frozenset[int] = frozenset()
    counts: Mapping[str, int] = field(default_factory=dict)
    freed: tuple[str, ...] = ()
    gives: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def produces(self, index: CaseIndex, touchpoint: str) -> tuple[str, ...]:
        """What ``touchpoint`` gives the persona."""
        return self.gives.get(touchpoint, index.produced[touchpoint])

    def asks(self, req: Requirement) -> bool:
        """Whether the item is asked of the persona."""
        return req.uid not in self.skipped


#: The terms of a case in which nothing depends on who comes (or of a reading that ignores it).
EVERYONE = Terms()


@dataclass(frozen=True)
class Fixpoint:
    """The least fixpoint: documents obtained and touchpoints usable, in the order they fire."""

    obtained: frozenset[str]
    usable: tuple[str, ...]


class Kernel:
    """The propagation's tables for a set of touchpoints; ``None`` is every touchpoint of the case.

    The tables of the whole case are the index's own (made once per analysis); a
    smaller set gets tables of its own, so that a run costs its size, not the case's.
    """

    def __init__(self, index: CaseIndex, touchpoints: Collection[str] | None = None, *,
                 case_order: bool = False) -> None:
        """The tables of a smaller set list its touchpoints by id, so that what fires first on a step
        does not follow the order the file lists them in; with ``case_order``, in case order, as the
        case's own tables (a walk over them then goes exactly as one over the case's)."""
        self.index = index
        if touchpoints is None:
            self.touchpoints: Collection[str] = index.touchpoints
            self.free: list[str] = index.free
            self.meets: Mapping[str, list[tuple[int, str]]] = index.meets_items
        else:
            self.touchpoints = frozenset(touchpoints)
            order = index.in_case_order(self.touchpoints) if case_order else sorted(self.touchpoints)
            self.free = [t for t in order if not index.requirements[t]]
            meets: dict[str, list[tuple[int, str]]] = {}
            for tp_id in order:
                for req in index.requirements[tp_id]:
                    for doc in dict.fromkeys(req.alternatives):
                        meets.setdefault(doc, []).append((req.uid, tp_id))
            self.meets = meets

    def run(self, has: Iterable[str], eligible: Collection[str] | None = None, *, left_out: str | None = None,
            goals: Collection[str] = (), terms: Terms = EVERYONE) -> Fixpoint:
        """What can be obtained from ``has`` through the kernel's touchpoints that are ``eligible`` (default: all).

        ``left_out`` is not used (is a goal reachable without it?); with ``goals``, the run
        stops as soon as every goal is obtained; ``terms`` are the persona's (which items are
        asked of it, what outcomes give it).
        """
        index = self.index
        item_count = index.item_count
        gives = terms.gives
        produced = index.produced
        skipped = terms.skipped
        counts = terms.counts
        allowed = self.touchpoints if eligible is None else eligible
        held = list(dict.fromkeys(has))
        obtained = set(held)
        queue = deque(held)
        wanted = set(goals) - obtained
        stop_early = bool(goals)
        missing: dict[str, int] = {}
        usable: list[str] = []
        # Inlined for speed: this is the innermost loop of the whole analysis.
        free = self.free if not terms.freed else [*self.free, *(t for t in terms.freed if t in self.touchpoints)]
        for tp_id in free:
            if tp_id in allowed and tp_id != left_out:
                usable.append(tp_id)
                for doc in gives.get(tp_id, produced[tp_id]):
                    if doc not in obtained:
                        obtained.add(doc)
                        queue.append(doc)
                        wanted.discard(doc)
        met: set[int] = set()
        meets = self.meets
        if left_out is not None or skipped or gives or stop_early:
            while queue and not (stop_early and not wanted):
                for uid, tp_id in meets.get(queue.popleft(), ()):
                    if uid in met or tp_id not in allowed or tp_id == left_out or uid in skipped:
                        continue
                    met.add(uid)
                    left = missing.get(tp_id)
                    if left is None:
                        left = counts.get(tp_id, item_count[tp_id])
                    left -= 1
                    missing[tp_id] = left
                    if left == 0:
                        usable.append(tp_id)
                        for doc in gives.get(tp_id, produced[tp_id]):
                            if doc not in obtained:
                                obtained.add(doc)
                                queue.append(doc)
                                wanted.discard(doc)
        else:  # the same walk for the whole reach of a persona asked the same as everyone
            missing = dict(item_count)
            walk = list(queue)
            for doc_id in walk:  # a list read while it grows: breadth first, as the queue
                for uid, tp_id in meets.get(doc_id, ()):
                    if uid in met or tp_id not in allowed:
                        continue
                    met.add(uid)
                    left = missing[tp_id] - 1
                    missing[tp_id] = left
                    if left == 0:
                        usable.append(tp_id)
                        for doc in produced[tp_id]:
                            if doc not in obtained:
                                obtained.add(doc)
                                walk.append(doc)
        return Fixpoint(frozenset(obtained), tuple(usable))

    def cheapest(
        self,
        has: Iterable[str],
        usable: Collection[str],
        cost: Callable[[str], tuple[float, ...]],
        terms: Terms = EVERYONE,
        free_items: Callable[[Requirement], bool] | None = None,
    ) -> dict[str, tuple[tuple[float, ...], str]]:
        """For every document obtainable through ``usable``: its cheapest cost and the touchpoint that gives it.

        A document in ``has`` costs nothing (and has no touchpoint: ``""``); a touchpoint
        costs ``cost(touchpoint)`` plus, item by item, the cheapest alternative (an item for
        which ``free_items`` holds must be met, but adds nothing: the actor fetches it); costs
        are tuples, added position by position and compared in order (steps first, then days).
        """
        index = self.index
        allowed = set(usable) if self.touchpoints is index.touchpoints else set(usable) & set(self.touchpoints)
        best: dict[str, tuple[tuple[float, ...], str]] = {}
        heap: list[tuple[tuple[float, ...], str, str]] = [((), doc, "") for doc in sorted(set(has))]
        item_cost: dict[int, tuple[float, ...]] = {}
        pending = {t: terms.counts.get(t, index.item_count[t]) for t in allowed}

        def fire(tp_id: str) -> None:
            total = cost(tp_id)
            for req in index.requirements[tp_id]:
                if req.uid in terms.skipped or (free_items is not None and free_items(req)):
                    continue
                total = _add(total, item_cost[req.uid])
            for produced in terms.produces(index, tp_id):
                if produced not in best:
                    heapq.heappush(heap, (total, produced, tp_id))

        for tp_id in sorted(allowed):
            if pending[tp_id] == 0:
                fire(tp_id)
        heapq.heapify(heap)
        while heap:
            total, doc, via = heapq.heappop(heap)
            if doc in best:
                continue
            best[doc] = (total, via)
            for req in index.satisfies.get(doc, ()):
                tp_id = req.touchpoint
                if tp_id not in allowed or req.uid in item_cost or req.uid in terms.skipped:
                    continue
                item_cost[req.uid] = total
                pending[tp_id] -= 1
                if pending[tp_id] == 0:
                    fire(tp_id)
        return best


def _add(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, ...]:
    if not a:
        return b
    if not b:
        return a
    return tuple(x + y for x, y in zip(a, b, strict=True))


@dataclass(frozen=True)
class Closure:
    """What :func:`closure` reached: touchpoints and documents, each in the order first reached."""

    touchpoints: tuple[str, ...]
    documents: tuple[str, ...]


def closure(
    index: CaseIndex,
    documents: Iterable[str],
    *,
    producers: Collection[str] | None = None,
    onward: Callable[[str], bool] | None = None,
    items: Callable[[Requirement], bool] | None = None,
    referrals: bool = False,
    terms: Terms = EVERYONE,
) -> Closure:
    """The touchpoints and documents behind ``documents``, breadth first.

    From a document to the touchpoints that produce it (only those in ``producers``,
    when given); from a touchpoint, when ``onward(touchpoint)`` allows it (default:
    always), to the alternatives of its requirement items (only the items that
    ``items`` lets through) and, with ``referrals``, to the touchpoints it refers to
    (which are reached like any other and go on in the same way). With a persona's
    ``terms``, a touchpoint is reached through a document only when it gives the document
    to that persona, and only the items asked of the persona are followed.
    """
    if producers is None and onward is None and items is None and terms is EVERYONE:
        return _plain_closure(index, documents, referrals)
    seen_docs = dict.fromkeys(documents)
    seen_tps: dict[str, None] = {}
    queue: deque[tuple[bool, str]] = deque((False, doc) for doc in seen_docs)
    while queue:
        is_tp, node = queue.popleft()
        if not is_tp:
            for tp_id in index.producers.get(node, ()):
                if tp_id in terms.gives and node not in terms.gives[tp_id]:
                    continue  # an outcome that passes the persona by
                if tp_id not in seen_tps and (producers is None or tp_id in producers):
                    seen_tps[tp_id] = None
                    queue.append((True, tp_id))
            continue
        if onward is not None and not onward(node):
            continue
        for req in index.requirements[node]:
            if req.uid in terms.skipped or (items is not None and not items(req)):
                continue
            for doc in req.alternatives:
                if doc not in seen_docs:
                    seen_docs[doc] = None
                    queue.append((False, doc))
        if referrals:
            for target in index.touchpoints[node].refers_to:
                if target in index.touchpoints and target not in seen_tps:
                    seen_tps[target] = None
                    queue.append((True, target))
    return Closure(tuple(seen_tps), tuple(seen_docs))


def touchpoints_behind(index: CaseIndex, documents: Iterable[str], *, referrals: bool = False,
                       terms: Terms = EVERYONE) -> frozenset[str]:
    """The touchpoints of :func:`closure` (with nothing filtered but ``terms``), as a set.

    Where nothing depends on who comes, the walk goes level by level over the index's table
    of next steps, each level's touchpoints gathered by set operations: where only the set is
    wanted (the touchpoints relevant to a persona: most of a large case), this does per
    touchpoint what the ordered walk does per edge.
    """
    if terms is not EVERYONE:
        return frozenset(closure(index, documents, referrals=referrals, terms=terms).touchpoints)
    producers = index.producers
    level: set[str] = set()
    for doc in dict.fromkeys(documents):
        level.update(producers.get(doc, ()))
    seen = set(level)
    table = index.next_steps(referrals)
    while level:
        onward: set[str] = set()
        for tp_id in level:
            onward.update(table[tp_id][1])
        onward -= seen
        seen |= onward
        level = onward
    return frozenset(seen)


def _plain_closure(index: CaseIndex, documents: Iterable[str], referrals: bool) -> Closure:
    """:func:`closure` with nothing filtered, over the index's own table of next steps (made once)."""
    seen_docs = dict.fromkeys(documents)
    seen_tps: dict[str, None] = {}
    queue: deque[str] = deque()
    for doc in seen_docs:
        for tp_id in index.producers.get(doc, ()):
            if tp_id not in seen_tps:
                seen_tps[tp_id] = None
                queue.append(tp_id)
    table = index.next_steps(referrals)
    while queue:
        docs, touchpoints = table[queue.popleft()]
        for doc in docs:
            if doc not in seen_docs:
                seen_docs[doc] = None
        for tp_id in touchpoints:
            if tp_id not in seen_tps:
                seen_tps[tp_id] = None
                queue.append(tp_id)
    return Closure(tuple(seen_tps), tuple(seen_docs))
