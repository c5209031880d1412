"""Three-way merge of case data: unsaved edits put on top of a file that changed on disk.

Plain data in, plain data out (the case as :meth:`~kafka_tool.model.Case.to_data` gives
it): ``base`` is the case as it was read, ``ours`` the case with the unsaved edits,
``theirs`` the case in the file now. What each side changed is taken; what both sides
changed differently is a :class:`Conflict`, settled by a choice per conflict.

What is merged as one unit:

- an **element**, named by its section and its identity: its ``id`` in ``actors``,
  ``documents``, ``rules``, ``touchpoints``, ``personas`` and ``interventions``; its
  name in ``attributes``; its ``finding`` in ``accepted``; in ``journeys`` its persona
  and how many journeys of that persona come before it (the first, second, ...);
- every other **top-level key** (``title``, ``summary``, ``tags``, ``teaching``, ...),
  by its name.

A unit that one side changed (added, edited or removed) and the other left alone is
taken from the side that changed it; a unit both sides changed the same way is taken
once; a unit both sides changed differently (edited both, edited on one side and removed
on the other, added on both with different content) is a conflict. Elements keep the
order of the file on disk; an element only ``ours`` has goes after the element it
followed in ``ours``. A side that changed nothing gives the other side exactly.

Whether the merged case is valid (a removed document that an added touchpoint needs) is
for the caller to check: the merge knows data, not references.

Examples
--------
>>> base = {"title": "T", "actors": [{"id": "bank", "name": "Bank"}]}
>>> ours = {"title": "T", "actors": [{"id": "bank", "name": "Bank"}, {"id": "uwv", "name": "UWV"}]}
>>> theirs = {"title": "New", "actors": [{"id": "bank", "name": "Bank"}]}
>>> merged = three_way_merge(base, ours, theirs)
>>> merged.data
{'title': 'New', 'actors': [{'id': 'bank', 'name': 'Bank'}, {'id': 'uwv', 'name': 'UWV'}]}
>>> merged.conflicts
[]
>>> clash = three_way_merge(base, {"title": "Mine"}, {"title": "Theirs"})
>>> [(c.place.key, c.ours, c.theirs) for c in clash.conflicts]
[('title', 'Mine', 'Theirs')]
>>> three_way_merge(base, {"title": "Mine"}, {"title": "Theirs"}, {Place("", "title"): "theirs"}).data
{'title': 'Theirs'}
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "ABSENT",
    "ELEMENT_SECTIONS",
    "Change",
    "Conflict",
    "Merge",
    "Place",
    "Side",
    "changes",
    "three_way_merge",
]

#: Which side a conflict is settled for: the unsaved edits, or the file on disk.
Side = Literal["ours", "theirs"]


class _Absent:
    """Not there: an element or key that one side does not have."""

    _instance: _Absent | None = None

    def __new__(cls) -> _Absent:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ABSENT"

    def __deepcopy__(self, memo: dict[int, Any]) -> _Absent:
        return self


#: The value of an element or key a side does not have.
ABSENT: Any = _Absent()

#: The sections of a case that hold elements, and the key that names an element in each
#: (None: the section is a mapping, and an element is named by its key).
ELEMENT_SECTIONS: dict[str, str | None] = {
    "attributes": None,
    "actors": "id",
    "documents": "id",
    "rules": "id",
    "touchpoints": "id",
    "personas": "id",
    "journeys": "persona",
    "interventions": "id",
    "accepted": "finding",
}


@dataclass(frozen=True, order=True)
class Place:
    """A unit of the merge: an element (``section`` and its name ``key``; ``occurrence``
    counts the elements of the same name before it: journeys of one persona), or a
    top-level key (``section`` empty, ``key`` the key)."""

    section: str
    key: str
    occurrence: int = 0


@dataclass(frozen=True)
class Conflict:
    """A unit both sides changed differently: its value in each (:data:`ABSENT` where a side
    does not have it), and the side the merge took."""

    place: Place
    base: Any
    ours: Any
    theirs: Any
    chosen: Side


@dataclass(frozen=True)
class Change:
    """A unit ``added``, ``removed`` or ``changed`` between two versions of a case."""

    place: Place
    kind: Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Merge:
    """The merged case data and the conflicts settled on the way (in file order)."""

    data: dict[str, Any]
    conflicts: list[Conflict] = field(default_factory=list)


# ---------------------------------------------------------------- equality


def _equal(a: Any, b: Any) -> bool:
    """Equal as case data: mappings whatever their key order, lists in order, and 1 never True."""
    if a is b:
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers):
        return a == b
    return type(a) is type(b) and bool(a == b)


# ---------------------------------------------------------------- units


def _elements(section: str, value: Any) -> dict[Place, Any] | None:
    """The elements of a section, by place, in order; None when the value is not such a section."""
    name = ELEMENT_SECTIONS[section]
    if name is None:
        if not isinstance(value, dict):
            return None
        return {Place(section, str(key)): item for key, item in value.items()}
    if not isinstance(value, list):
        return None
    found: dict[Place, Any] = {}
    seen: dict[str, int] = {}
    for item in value:
        # An element without its name (not valid, but data is data) is named by its position
        # among the others without one.
        key = item.get(name) if isinstance(item, dict) else None
        text = "" if key is None or isinstance(key, (dict, list)) else str(key)
        found[Place(section, text, seen.get(text, 0))] = item
        seen[text] = seen.get(text, 0) + 1
    return found


def _rebuild(section: str, elements: dict[Place, Any], like: Any) -> Any:
    """Section data from its elements, in the form ``like`` has (a mapping or a list)."""
    if ELEMENT_SECTIONS[section] is None:
        keys = {str(k): k for k in like} if isinstance(like, dict) else {}
        return {keys.get(place.key, place.key): item for place, item in elements.items()}
    # Elements of one name (a persona's journeys) are told apart by their order: the slots they
    # take in the merged list are filled first to last, so that the first stays the first.
    places = list(elements)
    slots: dict[str, list[int]] = {}
    for n, place in enumerate(places):
        slots.setdefault(place.key, []).append(n)
    for taken in slots.values():
        if len(taken) > 1:
            for n, place in zip(taken, sorted(places[i] for i in taken), strict=True):
                places[n] = place
    return [elements[place] for place in places]


def _order(ours: Iterable[Place], theirs: Iterable[Place], kept: set[Place]) -> list[Place]:
    """The kept places in the order of ``theirs``, each place only ``ours`` has after the place
    that comes before it in ``ours`` (first when none does)."""
    result = [p for p in theirs if p in kept]
    placed = set(result)
    previous: Place | None = None
    for place in ours:
        if place in kept and place not in placed:
            at = result.index(previous) + 1 if previous is not None else 0
            result.insert(at, place)
            placed.add(place)
        if place in placed:
            previous = place
    return result


class _Merger:
    def __init__(self, choices: Mapping[Place, Side]) -> None:
        self.choices = choices
        self.conflicts: list[Conflict] = []

    def unit(self, place: Place, base: Any, ours: Any, theirs: Any) -> Any:
        """The merged value of one unit (ABSENT: not in the result)."""
        if _equal(ours, theirs) or _equal(theirs, base):
            return ours
        if _equal(ours, base):
            return theirs
        chosen = self.choices.get(place, "ours")
        self.conflicts.append(Conflict(place, base, ours, theirs, chosen))
        return ours if chosen == "ours" else theirs

    def section(self, name: str, base: Any, ours: Any, theirs: Any) -> Any:
        """A section merged element by element (or as one unit, when a side does not hold elements)."""
        if _equal(theirs, base) or _equal(ours, theirs):
            return ours
        if _equal(ours, base):
            return theirs
        sides = [_elements(name, v) if v is not ABSENT else {} for v in (base, ours, theirs)]
        b, o, t = sides
        if b is None or o is None or t is None:
            return self.unit(Place("", name), base, ours, theirs)
        merged: dict[Place, Any] = {}
        for place in _order(o, t, set(b) | set(o) | set(t)):
            value = self.unit(place, b.get(place, ABSENT), o.get(place, ABSENT), t.get(place, ABSENT))
            if value is not ABSENT:
                merged[place] = value
        like = theirs if theirs is not ABSENT else ours
        return _rebuild(name, {p: merged[p] for p in _order(o, t, set(merged))}, like)


def three_way_merge(
    base_data: Mapping[str, Any] | None,
    ours_data: Mapping[str, Any] | None,
    theirs_data: Mapping[str, Any] | None,
    choices: Mapping[Place, Side] | None = None,
) -> Merge:
    """Merge the changes ``ours_data`` and ``theirs_data`` made to ``base_data``.

    ``choices`` settles conflicts by place; a conflict without a choice takes ``ours``.
    The result is new data (nothing given is changed), the same for the same input.
    See the module's docstring for what is merged as one unit and what conflicts.
    """
    base = dict(base_data or {})
    ours = dict(ours_data or {})
    theirs = dict(theirs_data or {})
    merger = _Merger(choices or {})
    if _equal(theirs, base):
        return Merge(copy.deepcopy(ours))
    if _equal(ours, base):
        return Merge(copy.deepcopy(theirs))
    keys = {Place("", str(k)): k for k in [*base, *ours, *theirs]}
    order = _order([Place("", str(k)) for k in ours], [Place("", str(k)) for k in theirs], set(keys))
    data: dict[str, Any] = {}
    for place in order:
        key = keys[place]
        b, o, t = base.get(key, ABSENT), ours.get(key, ABSENT), theirs.get(key, ABSENT)
        if key in ELEMENT_SECTIONS:
            value = merger.section(key, b, o, t)
        else:
            value = merger.unit(place, b, o, t)
        if value is not ABSENT:
            data[key] = copy.deepcopy(value)
    return Merge(data, merger.conflicts)


def changes(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[Change]:
    """What changed from ``before`` to ``after``, unit by unit (as the merge counts units), in the
    order of ``after`` (what was removed, where it was).

    Examples
    --------
    >>> old = {"title": "T", "actors": [{"id": "bank"}, {"id": "uwv"}]}
    >>> new = {"title": "T2", "actors": [{"id": "bank", "name": "Bank"}], "tags": ["x"]}
    >>> [(c.kind, c.place.section, c.place.key) for c in changes(old, new)]
    [('changed', '', 'title'), ('changed', 'actors', 'bank'), ('removed', 'actors', 'uwv'), ('added', '', 'tags')]
    """
    old = dict(before or {})
    new = dict(after or {})
    found: list[Change] = []
    keys = {Place("", str(k)): k for k in [*old, *new]}
    for place in _order([Place("", str(k)) for k in old], [Place("", str(k)) for k in new], set(keys)):
        key = keys[place]
        a, b = old.get(key, ABSENT), new.get(key, ABSENT)
        if _equal(a, b):
            continue
        was: dict[Place, Any] | None = None
        now: dict[Place, Any] | None = None
        if key in ELEMENT_SECTIONS:
            was = {} if a is ABSENT else _elements(key, a)
            now = {} if b is ABSENT else _elements(key, b)
        if was is None or now is None:
            found.append(Change(place, _kind(a, b)))
            continue
        for element in _order(was, now, set(was) | set(now)):
            x, y = was.get(element, ABSENT), now.get(element, ABSENT)
            if not _equal(x, y):
                found.append(Change(element, _kind(x, y)))
    return found


def _kind(before: Any, after: Any) -> Literal["added", "removed", "changed"]:
    if before is ABSENT:
        return "added"
    return "removed" if after is ABSENT else "changed"
