"""Elapsed time: the earliest day a persona can hold each document, with windows, and the critical path.

Definitions (CASE_FORMAT.md, "Time"):

- A touchpoint's ``days`` run from the day the citizen holds everything it asks to the
  day they hold what it gives. Its **start day** is the latest, over the items it asks,
  of the item's earliest day (for ``any_of``, the earliest alternative; an item the
  actor fetches still counts: it must exist before it can be fetched).
- A document's **earliest day** is 0 for what the persona has, and otherwise the
  smallest start day plus ``days`` over the touchpoints it can use that give it.
  Steps run side by side wherever they can: elapsed time is the critical path.
- A **window** (``within_days`` on an item): the touchpoint must start within that
  many days of the item's earliest day; where it would start later, the persona cannot
  use it, and what it gives is not obtained that way.

The propagation is Knuth's generalisation of Dijkstra's algorithm to AND/OR graphs
(1977): documents are settled in the order of their earliest day, a touchpoint fires
when its last item is settled (its start day is that day, since days only grow), and a
window is checked when it fires, against days that are final. The cost is monotone (a
start is a maximum, a finish adds ``days`` ≥ 0), so each day is exact. The queue is a
bucket queue: what arrives on one day is kept in one list, in the order it was given
(so, of two desks that give a document on the same day, the one that fired first gives
it), and only the distinct days are kept in a heap: O(E + D log D) for D distinct days,
within O(E log V).
"""

from __future__ import annotations

import functools
import heapq
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .fixpoint import EVERYONE, Kernel, Terms
from .graph import CaseIndex, Requirement

__all__ = ["ClosedWindow", "Step", "Timeline", "timeline"]


@dataclass(frozen=True)
class Step:
    """One step of a critical path: at ``touchpoint`` from day ``start`` to day ``end``, giving ``document``."""

    touchpoint: str
    start: float
    end: float
    document: str


@dataclass(frozen=True)
class ClosedWindow:
    """A window that closed: ``touchpoint`` would start on ``start``, but ``document`` (earliest on
    ``held``) allows only ``within`` days; ``late`` are the items that arrive after the window closes."""

    touchpoint: str
    document: str
    held: float
    within: float
    start: float
    late: tuple[str, ...]

    @property
    def closes(self) -> float:
        """The last day the touchpoint could start."""
        return self.held + self.within


@dataclass(frozen=True)
class Timeline:
    """What a persona can obtain, and from which day, once time and windows are counted."""

    #: document -> its earliest day (what the persona has: 0)
    earliest: dict[str, float]
    #: document -> the touchpoint that gives it on its earliest day ("" for what the persona has)
    via: dict[str, str]
    #: touchpoint -> the day it starts, for those the persona can use, in the order they start
    starts: dict[str, float]
    #: requirement item (its number, 1 and up) -> the document that met it; None for an item not met
    #: (a list, not a mapping: at 100,000 touchpoints it takes a quarter of the memory)
    met: Sequence[str | None]
    #: the touchpoints the persona can use, in the order they can start
    usable: tuple[str, ...]
    #: touchpoint -> the windows that close before it could start (the persona cannot use it)
    closed: dict[str, tuple[ClosedWindow, ...]] = field(default_factory=dict)
    #: touchpoint -> its requirement items, in order
    requirements: Mapping[str, list[Requirement]] = field(default_factory=dict)

    def items_met(self, tp_id: str) -> tuple[tuple[Requirement, str, float], ...]:
        """For each item ``tp_id`` asks of the persona that it holds: (item, the document that meets it,
        its day), in the touchpoint's order."""
        return _held(self.requirements.get(tp_id, ()), self.met, self.earliest)

    @functools.cached_property
    def met_by(self) -> dict[str, tuple[tuple[Requirement, str, float], ...]]:
        """:meth:`items_met` of every touchpoint with an item met (made when first read)."""
        touched = dict.fromkeys(tp_id for tp_id, items in self.requirements.items()
                                if any(self.met[req.uid] is not None for req in items))
        return {tp_id: self.items_met(tp_id) for tp_id in touched}

    @property
    def obtained(self) -> frozenset[str]:
        return frozenset(self.earliest)

    def path(self, document: str) -> tuple[Step, ...]:
        """The critical path to ``document``: each step waits for the one before it, first step first.

        From the touchpoint that gives the document, back through the item that arrives last
        (the first such item, in the touchpoint's order, when several arrive on the same day),
        to something the persona has or a touchpoint that asks nothing.
        """
        steps: list[Step] = []
        seen: set[str] = set()
        doc = document
        while doc in self.via and self.via[doc] and doc not in seen:
            seen.add(doc)
            tp_id = self.via[doc]
            start = self.starts[tp_id]
            steps.append(Step(tp_id, start, self.earliest[doc], doc))
            items = self.items_met(tp_id)
            last = max((day for _, _, day in items), default=None)
            if last is None:
                break
            doc = next(d for _, d, day in items if day == last)
        return tuple(reversed(steps))

    def desks_behind(self, documents: Iterable[str]) -> set[str]:
        """The desks of the way the walk found to ``documents``: each one's giver on its earliest day,
        and, behind each of those, the givers of the documents that met its items, and so on."""
        desks: set[str] = set()
        walk = [doc for doc in documents if doc in self.earliest]
        while walk:
            tp_id = self.via.get(walk.pop(), "")
            if tp_id and tp_id not in desks:
                desks.add(tp_id)
                walk.extend(doc for _, doc, _ in self.items_met(tp_id))
        return desks

    def elapsed(self, goals: Iterable[str]) -> float:
        """The day by which every reachable one of ``goals`` can be held (0 for none)."""
        return max((self.earliest[g] for g in goals if g in self.earliest), default=0.0)


def timeline(index: CaseIndex, has: Iterable[str], usable: Collection[str], terms: Terms = EVERYONE,
             *, windows: bool = True, until: Collection[str] = (), tables: Kernel | None = None) -> Timeline:
    """The earliest days of everything obtainable from ``has`` through the touchpoints in ``usable``.

    ``usable`` are the touchpoints the persona may use as far as actors and rules go (its
    eligible ones, or fewer: those on the way to some goals, or those its plain fixpoint uses:
    a window only ever takes a touchpoint away); with ``windows``, a touchpoint whose window
    closes before it could start is not used. With ``until``, the walk stops once all of those
    documents are settled (what it has settled by then is exact; the rest is left out).
    ``tables`` are a kernel's over some touchpoints that hold ``usable`` (by default the
    case's): a walk over a few desks of a large case then costs their size, not the case's.
    """
    allowed = usable if isinstance(usable, (set, frozenset)) else set(usable)
    skipped = terms.skipped
    produced = index.produced
    days = index.days()
    windowed = index.windowed_touchpoints() if windows else frozenset()
    meets = index.meets_items if tables is None else tables.meets
    free = index.free if tables is None else tables.free
    requirements = index.requirements
    earliest: dict[str, float] = {}
    via: dict[str, str] = {}
    starts: dict[str, float] = {}
    met: list[str | None] = [None] * (index.items + 1)
    closed: dict[str, tuple[ClosedWindow, ...]] = {}
    # How many items each touchpoint still waits for (fewer where some are not asked of the persona).
    missing = {**index.item_count, **terms.counts}
    # What a desk gives the persona; the desk "" gives what it has, on day 0.
    gives = {**terms.gives, "": tuple(dict.fromkeys(has))}
    # A bucket queue: the desks whose papers arrive on a day, in the order they fired (a day's
    # bucket is read while desks that take no days add to it), and the days that have a bucket,
    # smallest first. Days only grow, so each bucket is read once, whole.
    buckets: dict[float, list[str]] = {0.0: [""]}
    days_ahead: list[float] = [0.0]
    push, pop = heapq.heappush, heapq.heappop
    wanted = set(until)

    def fire(tp_id: str, start: float) -> None:
        if tp_id in windowed:
            shut = _closed_windows(tp_id, start, requirements[tp_id], met, earliest)
            if shut:
                closed[tp_id] = shut
                return
        starts[tp_id] = start
        end = start + days[tp_id]
        bucket = buckets.get(end)
        if bucket is None:
            buckets[end] = [tp_id]
            push(days_ahead, end)
        else:
            bucket.append(tp_id)

    # Touchpoints that ask nothing of the persona start on day 0, in case order.
    for tp_id in dict.fromkeys([*free, *terms.freed]):
        if tp_id in allowed:
            fire(tp_id, 0.0)
    # Inlined for speed (the persona views' innermost loop): each item is met once, by the
    # first of its alternatives to be settled, and a touchpoint fires with its last item.
    while days_ahead:
        day = pop(days_ahead)
        bucket = buckets[day]  # still open: a desk that takes no days gives on this very day
        for source in bucket:
            given = gives.get(source)
            for doc in produced[source] if given is None else given:
                if doc in earliest:
                    continue
                earliest[doc] = day
                via[doc] = source
                if wanted:
                    wanted.discard(doc)
                    if not wanted:
                        days_ahead.clear()
                        break
                for uid, tp_id in meets.get(doc, ()):
                    if met[uid] is not None or tp_id not in allowed or (skipped and uid in skipped):
                        continue
                    met[uid] = doc
                    left = missing[tp_id] - 1
                    missing[tp_id] = left
                    if not left:
                        fire(tp_id, day)
            else:
                continue
            break  # every document asked for is settled
        del buckets[day]
    return Timeline(earliest, via, starts, met, tuple(starts), closed, requirements)


def _closed_windows(tp_id: str, start: float, items: Iterable[Requirement], met: Sequence[str | None],
                    earliest: Mapping[str, float]) -> tuple[ClosedWindow, ...]:
    """The windows of a touchpoint that are shut on ``start``."""
    held = _held(items, met, earliest)
    shut = []
    for req, doc, day in held:
        if req.window is not None and start - day > req.window:
            late = tuple(d for _, d, other in held if other > day + req.window)
            shut.append(ClosedWindow(tp_id, doc, day, req.window, start, late))
    return tuple(shut)


def _held(items: Iterable[Requirement], met: Sequence[str | None], earliest: Mapping[str, float]
          ) -> tuple[tuple[Requirement, str, float], ...]:
    """For each of ``items`` that is met: (item, the document that met it, that document's day), in order."""
    held = []
    for req in items:
        doc = met[req.uid]
        if doc is not None:
            held.append((req, doc, earliest[doc]))
    return tuple(held)
