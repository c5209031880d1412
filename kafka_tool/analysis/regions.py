"""The exact algebra of the attribute space.

A case declares its attributes (``age``, ``income``, ``residence``, ...) and
each rule's ``when`` says which part of that space it lets through. This
module answers the questions the analysis asks about those parts, exactly
and inside the declared domains:

- :func:`meets`: does a persona with these values meet a ``when``?
- :func:`satisfiable` and :func:`minimal_conflict`: can some ``when``\\ s
  ever hold together, and if not, which of them are to blame?
- :func:`coverage_gaps`: which regions of the attribute space does no
  producing touchpoint serve ("tussen wal en schip")?
- :class:`Space` and :class:`RegionSet`: unions of regions with ``union``,
  ``intersect``, ``difference`` and ``complement``, for questions built from
  several ``when``\\ s (a rule's ``when_any``, what a chain of desks lets
  through).
- :func:`region_slug` and :func:`describe_region`: a region as part of a
  finding id, and in plain words.

Integer attributes are whole numbers, so ``{above: 17, below: 18}`` holds for
nobody; number attributes are reals, so ``{below: 1500}`` and
``{above: 1500}`` leave exactly the point 1500 uncovered.

Boxes
-----
Internally a region is a *box*: one part per attribute, the product of which
is the region. The part of an integer or number attribute is an interval
written as two *cuts*, ``[low, high)``: a cut ``(v, 0)`` lies just below the
value ``v`` and ``(v, 1)`` just above it, so ``{min: 18}`` starts at
``(18, 0)`` and ``{above: 1500}`` at ``(1500, 1)`` (an integer ``{max: 17}``
ends at ``(18, 0)``; infinite ends are ``(-inf, 0)`` and ``(inf, 0)``). Two
intervals touch when one ends at the cut where the other starts, and equal
intervals are equal tuples. The part of a category or boolean attribute is a
bit mask over its declared values.

Unions of boxes
---------------
A :class:`RegionSet` is a set of points held as disjoint boxes in one
*canonical* form, which depends only on the points and on the order of the
dimensions (the order in which the case declares the attributes): along the
first dimension the space falls into stretches (for a category: groups of
values) across which the rest of the set looks the same; each box is a
maximal stretch times a box of the canonical form of that rest. So equal
sets have equal boxes, and no two boxes agree on all attributes but one and
touch on that one.

Every operation (:meth:`RegionSet.union`, :meth:`~RegionSet.intersect`,
:meth:`~RegionSet.difference`, :meth:`~RegionSet.complement`,
:meth:`Space.outside`, and :func:`coverage_gaps`) is one pass of the same
recursion over the operands' boxes (which may overlap): take the next
dimension that a box still restricts, cut it at those boxes' ends into
elementary stretches (for a category: values held by the same boxes), and go
on with the boxes that cover each stretch; stop as soon as the answer is
decided for the whole sub-box (for a complement: some box covers it, or none
meets it). A sub-problem is a dimension and the boxes that cover the fixed
part; each is solved once and remembered, so stretches that the same boxes
cover cost one look-up. A stretch's boxes are joined with the same boxes of
the stretches beside it as they come back, so the result is merged as it is
built, never split box by box and merged afterwards. A sub-problem with *m*
covering boxes costs O(*m* log *m*) to cut, plus, per stretch, its covering
boxes and the boxes of its answer; a box is an id made of its part and the
id of the rest, so joining or comparing one is a single step whatever the
number of attributes. The work thus follows the number of distinct
sub-problems and the size of the answer, not the product of all
breakpoints; but the answer itself can grow exponentially with the number
of attributes (the complement of *n* boxes that restrict different
attributes can need a product of *n* factors of boxes), hence the limits.

Limits
------
Work is counted in *box operations*: a box handled once in one step of the
recursion (sorted into a stretch, looked up, joined, or written out), each
paid for before it is done. Time and memory are proportional to the box
operations spent (memory: the remembered answers and box ids that paid
operations made). Every operation on the sets of one :class:`Space` spends
from the space's :class:`WorkBudget`, by default :data:`DEFAULT_WORK_LIMIT`
(200,000) box operations: on 24 attributes, under a second and under 100 MB.
When the budget is spent the operation raises :class:`WorkLimitExceeded`,
whose message gives the limit and which holds the regions found up to then
(each of them part of the true answer). :func:`coverage_gaps` turns that
into a partial answer and says which limits cut it: its budget (by default
:data:`DEFAULT_WORK_LIMIT` box operations), or ``max_regions`` (by default
1000) regions listed.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, TypeAlias

from ..errors import KafkaToolError
from ..i18n import N_, Words, words
from ..model import (
    Attribute,
    BooleanAttribute,
    CategoryAttribute,
    Condition,
    IntegerAttribute,
    NumberAttribute,
)

__all__ = [
    "DEFAULT_WORK_LIMIT",
    "Cap",
    "Dimension",
    "Region",
    "RegionSet",
    "Space",
    "When",
    "WorkBudget",
    "WorkLimitExceeded",
    "attribute_label",
    "coverage_gaps",
    "describe_region",
    "dimension",
    "meets",
    "minimal_conflict",
    "region_slug",
    "region_to_when",
    "satisfiable",
]

#: A rule's ``when``: attribute name to a boolean or a :class:`~kafka_tool.model.Condition`.
When: TypeAlias = Mapping[str, bool | Condition]

#: A region in the vocabulary of ``when``, ready for JSON:
#: ``{"age": {"min": 18, "max": 18}, "residence": {"in": ["eu"]}, "homeless": True}``.
Region: TypeAlias = dict[str, Any]

#: The box operations an operation may spend unless it is given another budget.
DEFAULT_WORK_LIMIT = 200_000

_Value: TypeAlias = bool | int | float | str
_Cut: TypeAlias = tuple[float, int]
_Span: TypeAlias = tuple[_Cut, _Cut]
_Part: TypeAlias = _Span | int
_Box: TypeAlias = tuple[_Part, ...]

_INF = math.inf
_BOTTOM: _Cut = (-_INF, 0)
_TOP: _Cut = (_INF, 0)
_RANGE_KEYS = ("min", "max", "above", "below")
_SET_KEYS = ("in", "not_in")


# ---------------------------------------------------------------- limits


class WorkLimitExceeded(KafkaToolError):
    """An operation of the region algebra reached its work limit before it finished.

    ``limit`` is the limit in box operations. :attr:`partial` gives the
    regions found up to then, every one of them part of the true answer
    (there may be more, and one may reach further in the true answer).
    """

    def __init__(self, limit: int, dims: Sequence[_Dim] = (), boxes: Sequence[_Box] = ()) -> None:
        self.limit = limit
        self._dims = tuple(dims)
        self._boxes = tuple(boxes)  # sorted
        super().__init__(
            f"the region algebra stopped after {limit:,} box operations, its work limit; "
            "the answer has more pieces than that limit allows to compute"
        )

    @property
    def partial(self) -> list[Region]:
        """The regions found before the limit was reached, in a fixed order."""
        return [_region(self._dims, box) for box in self._boxes]


class WorkBudget:
    """A number of box operations that the operations given it may spend together.

    Parameters
    ----------
    limit : int, default DEFAULT_WORK_LIMIT
        The most box operations; at least 1.

    Examples
    --------
    >>> budget = WorkBudget(10)
    >>> budget.spend(4)
    >>> budget.used, budget.remaining
    (4, 6)
    >>> budget.spend(7)  # the work is not done
    Traceback (most recent call last):
    ...
    kafka_tool.analysis.regions.WorkLimitExceeded: the region algebra stopped after 10 box operations, \
its work limit; the answer has more pieces than that limit allows to compute
    """

    __slots__ = ("limit", "used")

    def __init__(self, limit: int = DEFAULT_WORK_LIMIT) -> None:
        if limit < 1:
            raise ValueError(f"a work limit must be at least 1 box operation, not {limit}")
        self.limit = limit
        self.used = 0

    @property
    def remaining(self) -> int:
        """The box operations left (0 once the limit is reached)."""
        return max(0, self.limit - self.used)

    def spend_up_to(self, units: int) -> int:
        """Count as many of ``units`` box operations as the budget has left; return that number
        (fewer than ``units``: the budget is spent)."""
        granted = min(units, self.remaining)
        self.used += granted
        return granted

    def spend(self, units: int) -> None:
        """Count ``units`` box operations about to be done; raise :class:`WorkLimitExceeded`
        instead when they would go beyond the limit (then the budget is spent)."""
        if self.used + units > self.limit:
            self.used = self.limit
            raise WorkLimitExceeded(self.limit)
        self.used += units


@dataclass(frozen=True, slots=True)
class Cap:
    """A limit that cut an answer short: ``"work"`` (box operations) or ``"regions"`` (regions listed)."""

    kind: Literal["work", "regions"]
    limit: int


# ---------------------------------------------------------------- dimensions


def _floor(value: float) -> float:
    return value if math.isinf(value) else math.floor(value)


def _ceil(value: float) -> float:
    return value if math.isinf(value) else math.ceil(value)


@dataclass(frozen=True, slots=True)
class _Dim:
    """One attribute as a dimension of the box algebra."""

    name: str
    kind: str  # "integer", "number", "category" or "boolean"
    full: _Part
    values: tuple[Any, ...]  # category and boolean: bit k of a mask stands for values[k]

    @property
    def is_span(self) -> bool:
        return self.kind in ("integer", "number")

    def restrict(self, condition: object) -> _Part:
        """The part of this attribute's domain that meets ``condition``."""
        if self.kind == "boolean":
            if not isinstance(condition, bool):
                raise ValueError(f"{self.name} is a boolean attribute: its condition is true or false")
            return 1 << self.values.index(condition)
        cond = _as_condition(self.name, condition)
        if self.kind == "category":
            if any(getattr(cond, key) is not None for key in _RANGE_KEYS):
                raise ValueError(f"{self.name} is a category attribute: min/max/above/below do not apply")
            mask = self._mask(self.full)
            if cond.in_ is not None:
                mask &= self._mask_of(cond.in_)
            if cond.not_in is not None:
                mask &= ~self._mask_of(cond.not_in)
            return mask
        if cond.in_ is not None or cond.not_in is not None:
            raise ValueError(f"{self.name} is a number attribute: in/not_in do not apply")
        low, high = self._span(self.full)
        if self.kind == "integer":
            # Whole numbers: above 17 is 18 or more, below 17.5 is 17 or less.
            if cond.min is not None:
                low = max(low, (_ceil(cond.min), 0))
            if cond.above is not None:
                low = max(low, (_floor(cond.above) + 1, 0))
            if cond.max is not None:
                high = min(high, (_floor(cond.max) + 1, 0))
            if cond.below is not None:
                high = min(high, (_ceil(cond.below), 0))
        else:
            if cond.min is not None:
                low = max(low, (cond.min, 0))
            if cond.above is not None:
                low = max(low, (cond.above, 1))
            if cond.max is not None:
                high = min(high, (cond.max, 1))
            if cond.below is not None:
                high = min(high, (cond.below, 0))
        return (low, high)

    def intersect(self, a: _Part, b: _Part) -> _Part:
        if isinstance(a, tuple):
            b = self._span(b)
            return (max(a[0], b[0]), min(a[1], b[1]))
        return a & self._mask(b)

    @staticmethod
    def empty(part: _Part) -> bool:
        if isinstance(part, tuple):
            return not part[0] < part[1]
        return not part

    def to_json(self, part: _Part) -> Any:
        """The part in the vocabulary of ``when``; None for the whole domain."""
        if part == self.full:
            return None
        if not isinstance(part, tuple):
            chosen = [v for k, v in enumerate(self.values) if part >> k & 1]
            if self.kind == "boolean":
                (value,) = chosen
                return bool(value)
            return {"in": sorted(chosen, key=str)}
        (low, low_side), (high, high_side) = part
        out: dict[str, Any] = {}
        if self.kind == "integer":
            if not math.isinf(low):
                out["min"] = int(low)
            if not math.isinf(high):
                out["max"] = int(high) - 1
            return out
        # Like integers, a number region writes each finite end, the domain's own included, so
        # that a region reads the same whichever side of it the domain bounds.
        if not math.isinf(low):
            out["above" if low_side else "min"] = _plain_number(low)
        if not math.isinf(high):
            out["max" if high_side else "below"] = _plain_number(high)
        return out

    def _mask_of(self, values: Iterable[Any]) -> int:
        wanted = set(values)
        return sum(1 << k for k, v in enumerate(self.values) if v in wanted)

    @staticmethod
    def _span(part: _Part) -> _Span:
        assert isinstance(part, tuple)
        return part

    @staticmethod
    def _mask(part: _Part) -> int:
        assert isinstance(part, int)
        return part


def _plain_number(value: float) -> int | float:
    """18.0 as 18: region bounds read as the user wrote them."""
    return int(value) if float(value).is_integer() else value


def _as_condition(name: str, condition: object) -> Condition:
    if isinstance(condition, Condition):
        return condition
    if isinstance(condition, Mapping):
        return Condition.model_validate(dict(condition))
    raise ValueError(f"{name}: expected a condition such as {{min: 18}} or {{in: [a, b]}}, got {condition!r}")


def _dim(name: str, attribute: Attribute) -> _Dim:
    if isinstance(attribute, IntegerAttribute):
        low: _Cut = _BOTTOM if attribute.min is None else (attribute.min, 0)
        high: _Cut = _TOP if attribute.max is None else (attribute.max + 1, 0)
        return _Dim(name, "integer", (low, high), ())
    if isinstance(attribute, NumberAttribute):
        low = _BOTTOM if attribute.min is None else (attribute.min, 0)
        high = _TOP if attribute.max is None else (attribute.max, 1)
        return _Dim(name, "number", (low, high), ())
    if isinstance(attribute, CategoryAttribute):
        values = tuple(dict.fromkeys(attribute.values))
        return _Dim(name, "category", (1 << len(values)) - 1, values)
    if isinstance(attribute, BooleanAttribute):
        return _Dim(name, "boolean", 0b11, (False, True))
    raise TypeError(f"not an attribute: {attribute!r}")


#: An attribute as a dimension (its domain, and the part of it a condition holds on), for
#: the passes that cut one attribute at its conditions' ends (:mod:`.money`).
Dimension = _Dim
dimension = _dim


def _dims(attributes: Mapping[str, Attribute], whens: Iterable[When]) -> list[_Dim]:
    """The dimensions that some ``when`` mentions, in declaration order."""
    mentioned = {name for when in whens for name in when}
    unknown = sorted(mentioned - set(attributes))
    if unknown:
        raise ValueError(f"condition on an attribute that is not declared: {', '.join(unknown)}")
    return [_dim(name, attribute) for name, attribute in attributes.items() if name in mentioned]


def _box(dims: Sequence[_Dim], whens: Iterable[When]) -> _Box | None:
    """The box of the points meeting every ``when``; None when there are none."""
    parts = [d.full for d in dims]
    position = {d.name: i for i, d in enumerate(dims)}
    for when in whens:
        for name, condition in when.items():
            i = position[name]
            parts[i] = dims[i].intersect(parts[i], dims[i].restrict(condition))
    if any(d.empty(p) for d, p in zip(dims, parts, strict=True)):
        return None
    return tuple(parts)


@functools.lru_cache(maxsize=4096)
def _mask_key(mask: int) -> tuple[int, ...]:
    return tuple(k for k in range(mask.bit_length()) if mask >> k & 1)


def _box_key(box: _Box) -> tuple[Any, ...]:
    """The order of boxes: by each attribute in turn, an interval by its ends (a cut pair sorts
    as the ends it stands for), a set of values by the positions of its values."""
    return tuple(p if isinstance(p, tuple) else _mask_key(p) for p in box)


def _region(dims: Sequence[_Dim], box: _Box) -> Region:
    region: Region = {}
    for d, part in zip(dims, box, strict=True):
        value = d.to_json(part)
        if value is not None:
            region[d.name] = value
    return region


# ---------------------------------------------------------------- the recursion

#: An operation as a truth table: is a point in the answer, given whether it lies in a and in b?
_Operation: TypeAlias = Callable[[bool, bool], bool]
#: The boxes of one operand that cover the current sub-box's fixed part; None: one covers it all.
_Side: TypeAlias = tuple[int, ...] | None
#: The answer of a sub-problem: the ids of its boxes (over the dimensions from its level on).
_Result: TypeAlias = dict[int, None]
_Request: TypeAlias = tuple[int, _Side, _Side]


def _decisions(operation: _Operation) -> dict[tuple[bool | None, bool | None], bool | None]:
    """For each state of the two operands in a sub-box (True: all of it, False: none of it,
    None: part of it), the answer for the whole sub-box, or None when it depends on the parts."""
    table: dict[tuple[bool | None, bool | None], bool | None] = {}
    for a in (True, False, None):
        for b in (True, False, None):
            outcomes = {operation(x, y) for x in ((a,) if a is not None else (False, True))
                        for y in ((b,) if b is not None else (False, True))}
            table[a, b] = outcomes.pop() if len(outcomes) == 1 else None
    return table


_END = -1
_UNION = _decisions(lambda a, b: a or b)
_INTERSECTION = _decisions(lambda a, b: a and b)
_DIFFERENCE = _decisions(lambda a, b: a and not b)
_COMPLEMENT = _decisions(lambda a, b: not a)


class _Apply:
    """One operation over the boxes of two operands, by recursive splitting (see the module docstring).

    A sub-problem is a level (the dimensions before it are fixed to stretches
    already) and, per operand, the boxes that cover those stretches. Its
    answer is the canonical form of the answer's cross-section over the
    dimensions from that level on. A box over the dimensions from a level on
    is an id: its part on that dimension and the id of the rest, each such
    pair made once, so that a box is joined, compared and looked up in one
    step however many attributes there are. Dicts, not sets, keep every
    order independent of hashing. The recursion runs on an explicit stack of
    generators, so the number of attributes is not bounded by Python's
    recursion limit.
    """

    def __init__(
        self,
        dims: Sequence[_Dim],
        a: Sequence[_Box],
        b: Sequence[_Box],
        table: Mapping[tuple[bool | None, bool | None], bool | None],
        budget: WorkBudget,
    ) -> None:
        self.dims = dims
        self.fulls: _Box = tuple(d.full for d in dims)
        self.boxes: list[_Box] = [*a, *b]
        self.split = len(a)
        # Per box, the dimensions it restricts: a box covers a sub-box once it restricts none from its level on.
        self.restricted = [
            [i for i, (p, f) in enumerate(zip(box, self.fulls, strict=True)) if p != f] for box in self.boxes
        ]
        self.last = [r[-1] if r else -1 for r in self.restricted]
        self.table = table
        self.budget = budget
        self.memo: dict[_Request, _Result] = {}
        self.cut = False
        # Box ids: id -> (part, id of the rest); _END is the empty rest after the last dimension.
        self.ids: dict[tuple[_Part, int], int] = {}
        self.pairs: list[tuple[_Part, int]] = []
        self.whole = [_END] * (len(dims) + 1)  # level -> the id of the whole space from there on
        for level in reversed(range(len(dims))):
            self.whole[level] = self._id(self.fulls[level], self.whole[level + 1])

    def _id(self, part: _Part, rest: int) -> int:
        key = (part, rest)
        ident = self.ids.get(key)
        if ident is None:
            ident = self.ids[key] = len(self.pairs)
            self.pairs.append(key)
        return ident

    def _box(self, ident: int) -> _Box:
        parts = []
        while ident != _END:
            part, ident = self.pairs[ident]
            parts.append(part)
        return tuple(parts)

    def run(self) -> list[_Box]:
        """The answer's boxes, sorted; raises :class:`WorkLimitExceeded` with the part found."""
        value: _Result = {}
        failure: WorkLimitExceeded | None = None
        try:
            entered = self._enter(0, tuple(range(self.split)), tuple(range(self.split, len(self.boxes))))
        except WorkLimitExceeded as exc:
            entered, failure = {}, exc
        stack: list[Generator[_Request, _Result, _Result]] = []
        if isinstance(entered, dict):
            value = entered
        else:
            stack.append(entered)
        sending: _Result | None = None
        while stack:
            top = stack[-1]
            try:
                if failure is not None:
                    error, failure = failure, None
                    request = top.throw(error)
                else:
                    request = top.send(sending)  # type: ignore[arg-type]  # None starts a generator
            except StopIteration as stop:
                stack.pop()
                value = sending = stop.value
                continue
            except WorkLimitExceeded as exc:
                # Not caught below: a sub-problem's own work ran out before it had anything.
                stack.pop()
                failure, value = exc, {}
                continue
            try:
                entered = self._enter(*request)
            except WorkLimitExceeded as exc:
                failure = exc
                continue
            if isinstance(entered, dict):
                sending = entered
            else:
                stack.append(entered)
                sending = None
        boxes = sorted((self._box(ident) for ident in value), key=_box_key)
        if self.cut or failure is not None:
            raise WorkLimitExceeded(self.budget.limit, self.dims, boxes)
        return boxes

    def _enter(self, level: int, a: _Side, b: _Side) -> _Result | Generator[_Request, _Result, _Result]:
        """The answer of a sub-problem when it is decided or known, else the generator that finds it."""
        self.budget.spend(1)
        last = self.last
        if a and any(last[i] < level for i in a):
            a = None
        if b and any(last[i] < level for i in b):
            b = None
        state_a = True if a is None else (None if a else False)
        state_b = True if b is None else (None if b else False)
        decided = self.table[state_a, state_b]
        if decided is not None:
            return {self.whole[level]: None} if decided else {}
        key = (level, a, b)
        known = self.memo.get(key)
        if known is not None:
            return known
        return self._expand(key)

    def _expand(self, key: _Request) -> Generator[_Request, _Result, _Result]:
        level, a, b = key
        active = [*(a or ()), *(b or ())]
        # The next dimension that a box still restricts; the ones before it are whole in the answer.
        j = min(r[bisect.bisect_left(r, level)] for r in (self.restricted[i] for i in active))
        dim = self.dims[j]
        out: list[tuple[_Part, int]] = []
        # Each step is paid for before it is taken, so that no step runs past the budget.
        self.budget.spend(len(active) * (1 if dim.is_span else len(dim.values)))
        slabs = self._stretches(j, active) if dim.is_span else self._groups(j, active)
        runs: dict[int, Any] = {}  # a span: box -> the cut its run starts at; a category: box -> mask
        end: _Cut | None = None
        for part, inside in slabs:
            try:
                self.budget.spend(1 + len(inside))
                sub_a: _Side = None if a is None else tuple(i for i in inside if i < self.split)
                sub_b: _Side = None if b is None else tuple(i for i in inside if i >= self.split)
                sub = yield (j + 1, sub_a, sub_b)
            except WorkLimitExceeded:
                self.cut = True
                break
            if not self.cut:
                granted = self.budget.spend_up_to(len(sub) + len(runs))
                if granted < len(sub) + len(runs):
                    # Not enough left to join all of it: join what is paid for (still part of the answer).
                    sub = dict.fromkeys(itertools.islice(sub, max(0, granted - len(runs))))
                    self.cut = True
            if isinstance(part, tuple):
                # A run goes on while the next stretch has the same box; the stretches touch.
                low = part[0]
                for box in [box for box in runs if box not in sub]:
                    out.append(((runs.pop(box), low), box))
                for box in sub:
                    if box not in runs:
                        runs[box] = low
                end = part[1]
            else:
                for box in sub:
                    runs[box] = runs.get(box, 0) | part
            if self.cut:
                break
        if dim.is_span:
            if end is not None:
                out.extend(((start, end), box) for box, start in runs.items())
        else:
            out.extend((mask, box) for box, mask in runs.items())
        result: _Result = {}
        for part, rest in out:
            ident = self._id(part, rest)
            for k in reversed(range(level, j)):  # the dimensions no box restricts here are whole
                ident = self._id(self.fulls[k], ident)
            result[ident] = None
        if not self.cut:
            self.memo[key] = result
        return result

    def _stretches(self, j: int, active: Sequence[int]) -> Iterator[tuple[_Part, tuple[int, ...]]]:
        """The elementary intervals of dimension ``j`` between the active boxes' ends, in order,
        each with the boxes that cover it."""
        low, high = _Dim._span(self.fulls[j])
        starts: dict[_Cut, list[int]] = {}
        ends: dict[_Cut, list[int]] = {}
        for i in active:
            start, stop = _Dim._span(self.boxes[i][j])
            starts.setdefault(start, []).append(i)
            ends.setdefault(stop, []).append(i)
        inside: dict[int, None] = {}
        for start, stop in itertools.pairwise(sorted({low, high, *starts, *ends})):
            for i in ends.get(start, ()):
                del inside[i]
            for i in starts.get(start, ()):
                inside[i] = None
            yield (start, stop), tuple(sorted(inside))

    def _groups(self, j: int, active: Sequence[int]) -> list[tuple[_Part, tuple[int, ...]]]:
        """The values of category dimension ``j`` grouped by the active boxes that hold them."""
        full = _Dim._mask(self.fulls[j])
        groups: dict[tuple[int, ...], int] = {}
        for k in range(full.bit_length()):
            if full >> k & 1:
                holding = tuple(i for i in active if _Dim._mask(self.boxes[i][j]) >> k & 1)
                groups[holding] = groups.get(holding, 0) | 1 << k
        return [(mask, holding) for holding, mask in groups.items()]


# ---------------------------------------------------------------- unions of boxes


class Space:
    """A fixed list of attributes, whose unions of regions :class:`RegionSet` holds.

    Parameters
    ----------
    attributes : mapping of str to Attribute
        The case's declared attributes.
    names : iterable of str, optional
        The attributes to use as dimensions (in declaration order whatever
        the order given); by default every declared attribute. A region
        never restricts an attribute outside the space.
    budget : WorkBudget, optional
        What every operation on this space's sets spends from; by default a
        budget of :data:`DEFAULT_WORK_LIMIT` box operations, shared by all of
        them.

    Examples
    --------
    >>> from kafka_tool.model import BooleanAttribute, Condition, IntegerAttribute
    >>> space = Space({"age": IntegerAttribute(type="integer", min=0, max=120),
    ...                "homeless": BooleanAttribute(type="boolean")})
    >>> youth = space.where({"age": Condition(max=17)})
    >>> adults = space.where({"age": Condition(min=19)})
    >>> youth.union(adults).complement().regions()
    [{'age': {'min': 18, 'max': 18}}]
    >>> space.where({"homeless": True}).difference(youth).regions()
    [{'age': {'min': 18, 'max': 120}, 'homeless': True}]
    """

    def __init__(
        self,
        attributes: Mapping[str, Attribute],
        names: Iterable[str] | None = None,
        *,
        budget: WorkBudget | None = None,
    ) -> None:
        wanted = dict.fromkeys(attributes if names is None else names)
        unknown = sorted(set(wanted) - set(attributes))
        if unknown:
            raise ValueError(f"not a declared attribute: {', '.join(unknown)}")
        self.dims: tuple[_Dim, ...] = tuple(_dim(n, a) for n, a in attributes.items() if n in wanted)
        self.budget = budget if budget is not None else WorkBudget()
        self._position = {d.name: i for i, d in enumerate(self.dims)}
        # A domain such as {min: 5, max: 1} holds no point: every set of the space is empty.
        self._empty = any(d.empty(d.full) for d in self.dims)

    @property
    def names(self) -> tuple[str, ...]:
        """The attributes of the space, in declaration order."""
        return tuple(d.name for d in self.dims)

    def everything(self) -> RegionSet:
        """The whole space (within the declared domains)."""
        if self._empty:
            return self.nothing()
        return RegionSet(self, (tuple(d.full for d in self.dims),))

    def nothing(self) -> RegionSet:
        """The empty set."""
        return RegionSet(self, ())

    def where(self, *whens: When) -> RegionSet:
        """The points that meet every one of ``whens`` (no ``whens``: the whole space).

        Raises ValueError for a condition on an attribute outside the space, or
        one that does not fit the attribute's type.
        """
        outside = sorted({name for when in whens for name in when} - set(self._position))
        if outside:
            raise ValueError(f"condition on an attribute outside this space: {', '.join(outside)}")
        self.budget.spend(1)
        box = _box(self.dims, whens)
        return self.nothing() if box is None else RegionSet(self, (box,))

    def from_regions(self, regions: Iterable[Mapping[str, Any]]) -> RegionSet:
        """The union of regions written in the vocabulary of ``when`` (as :meth:`RegionSet.regions` gives them)."""
        return self.union(self.where(region_to_when(region)) for region in regions)

    def union(self, sets: Iterable[RegionSet]) -> RegionSet:
        """The points in at least one of ``sets``, in one pass."""
        return self._apply(_UNION, [box for s in sets for box in self._own(s).boxes], [])

    def outside(self, sets: Iterable[RegionSet]) -> RegionSet:
        """The points in none of ``sets``: the complement of their union, in one pass."""
        return self._apply(_COMPLEMENT, [box for s in sets for box in self._own(s).boxes], [])

    def _own(self, regions: RegionSet) -> RegionSet:
        if regions.space is not self:
            raise ValueError("region sets of different spaces cannot be combined")
        return regions

    def _apply(
        self,
        table: Mapping[tuple[bool | None, bool | None], bool | None],
        a: Sequence[_Box],
        b: Sequence[_Box],
    ) -> RegionSet:
        if self._empty:
            return self.nothing()
        return RegionSet(self, tuple(_Apply(self.dims, a, b, table, self.budget).run()))


class RegionSet:
    """A set of points of a :class:`Space`, as disjoint boxes in canonical form.

    Made by :meth:`Space.where`, :meth:`Space.everything` and the like, and
    combined exactly with :meth:`union`, :meth:`intersect`,
    :meth:`difference` and :meth:`complement`. Two sets of one space are
    equal exactly when they hold the same points (``==``); ``a <= b`` says
    whether ``a`` lies inside ``b``. Each operation spends from the space's
    :class:`WorkBudget` and raises :class:`WorkLimitExceeded` when it is
    spent.

    Examples
    --------
    >>> from kafka_tool.model import CategoryAttribute, Condition, NumberAttribute
    >>> space = Space({"income": NumberAttribute(type="number", min=0, max=10000),
    ...                "residence": CategoryAttribute(type="category", values=["dutch", "eu", "other"])})
    >>> low = space.where({"income": Condition(below=1500)})
    >>> high = space.where({"income": Condition(above=1500)})
    >>> gap = low.union(high).complement()
    >>> gap.regions()
    [{'income': {'min': 1500, 'max': 1500}}]
    >>> gap <= low.complement(), gap.intersect(low).is_empty()
    (True, True)
    >>> eu = space.where({"residence": Condition.model_validate({"in": ["eu"]})})
    >>> low.union(eu).complement().regions()
    [{'income': {'min': 1500, 'max': 10000}, 'residence': {'in': ['dutch', 'other']}}]
    """

    __slots__ = ("boxes", "space")

    def __init__(self, space: Space, boxes: tuple[_Box, ...]) -> None:
        # Only the space makes sets: ``boxes`` must be disjoint, canonical and sorted.
        self.space = space
        self.boxes = boxes

    def __len__(self) -> int:
        """The number of boxes (regions) the set is made of."""
        return len(self.boxes)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RegionSet):
            return NotImplemented
        return self.space is other.space and self.boxes == other.boxes

    def __hash__(self) -> int:
        return hash(self.boxes)

    def __le__(self, other: RegionSet) -> bool:
        return self.issubset(other)

    def __repr__(self) -> str:
        return f"RegionSet({self.regions()!r})"

    def is_empty(self) -> bool:
        """Whether the set holds no point."""
        return not self.boxes

    def issubset(self, other: RegionSet) -> bool:
        """Whether every point of this set lies in ``other``."""
        return self.difference(other).is_empty()

    def inside(self, when: When) -> bool:
        """Whether every point of this set meets ``when``: box by box, part by part, without the algebra.

        Examples
        --------
        >>> from kafka_tool.model import Condition, IntegerAttribute
        >>> space = Space({"age": IntegerAttribute(type="integer", min=0, max=120)})
        >>> teens = space.where({"age": Condition(min=13, max=19)})
        >>> teens.inside({"age": Condition(max=20)}), teens.inside({"age": Condition(min=18)})
        (True, False)
        """
        position = self.space._position
        unknown = sorted(set(when) - set(position))
        if unknown:
            raise ValueError(f"condition on an attribute outside this space: {', '.join(unknown)}")
        dims = self.space.dims
        wanted = [(position[name], dims[position[name]].restrict(condition)) for name, condition in when.items()]
        for box in self.boxes:
            for i, part in wanted:
                if dims[i].intersect(box[i], part) != box[i]:
                    return False
        return True

    def union(self, other: RegionSet) -> RegionSet:
        """The points in this set or in ``other``."""
        return self.space._apply(_UNION, self.boxes, self.space._own(other).boxes)

    def intersect(self, other: RegionSet) -> RegionSet:
        """The points in both this set and ``other``."""
        return self.space._apply(_INTERSECTION, self.boxes, self.space._own(other).boxes)

    def difference(self, other: RegionSet) -> RegionSet:
        """The points in this set and not in ``other``."""
        return self.space._apply(_DIFFERENCE, self.boxes, self.space._own(other).boxes)

    def complement(self) -> RegionSet:
        """The points of the space (within the declared domains) not in this set."""
        return self.space._apply(_COMPLEMENT, self.boxes, ())

    def regions(self) -> list[Region]:
        """The boxes in the vocabulary of ``when``, in a fixed order; ``[{}]`` is the whole space."""
        return [_region(self.space.dims, box) for box in self.boxes]


# ---------------------------------------------------------------- public functions


def meets(attributes: Mapping[str, Attribute], when: When, values: Mapping[str, _Value]) -> bool:
    """Whether a persona with these attribute values meets a ``when``.

    Every condition must hold. An attribute the ``when`` mentions but
    ``values`` lacks, or a value of the wrong type, does not meet it.

    Parameters
    ----------
    attributes : mapping of str to Attribute
        The case's declared attributes.
    when : mapping of str to bool or Condition
        A rule's eligibility condition.
    values : mapping of str to bool, int, float or str
        A persona's attribute values.

    Returns
    -------
    bool

    Raises
    ------
    ValueError
        When the ``when`` names an undeclared attribute or uses a condition
        that does not apply to the attribute's type.

    Examples
    --------
    >>> from kafka_tool.model import Condition, IntegerAttribute
    >>> attributes = {"age": IntegerAttribute(type="integer", min=0, max=120)}
    >>> meets(attributes, {"age": Condition(above=17)}, {"age": 18})
    True
    >>> meets(attributes, {"age": Condition(above=17)}, {"age": 17})
    False
    >>> meets(attributes, {"age": Condition(above=17)}, {})
    False
    """
    unknown = sorted(set(when) - set(attributes))
    if unknown:
        raise ValueError(f"condition on an attribute that is not declared: {', '.join(unknown)}")
    # Called for every persona, rule and region: no dimension is built, the condition decides.
    for name, condition in when.items():
        attribute = attributes[name]
        if isinstance(attribute, BooleanAttribute):
            if not isinstance(condition, bool):
                raise ValueError(f"{name} is a boolean attribute: its condition is true or false")
            value = values.get(name)
            if not isinstance(value, bool) or value != condition:
                return False
            continue
        cond = _as_condition(name, condition)
        if isinstance(attribute, CategoryAttribute):
            if cond.min is not None or cond.max is not None or cond.above is not None or cond.below is not None:
                raise ValueError(f"{name} is a category attribute: min/max/above/below do not apply")
            if name not in values:
                return False
            value = values[name]
            if not isinstance(value, str):
                return False
            if cond.in_ is not None and value not in cond.in_:
                return False
            if cond.not_in is not None and value in cond.not_in:
                return False
            continue
        if cond.in_ is not None or cond.not_in is not None:
            raise ValueError(f"{name} is a number attribute: in/not_in do not apply")
        if name not in values:
            return False
        value = values[name]
        # The condition itself decides here, not the declared domain.
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        if cond.min is not None and not value >= cond.min:
            return False
        if cond.max is not None and not value <= cond.max:
            return False
        if cond.above is not None and not value > cond.above:
            return False
        if cond.below is not None and not value < cond.below:
            return False
    return True


def satisfiable(attributes: Mapping[str, Attribute], whens: Sequence[When]) -> bool:
    """Whether some point of the declared domains meets all ``whens`` together.

    Exact: integer attributes hold whole numbers only, and the open and
    closed ends of number conditions are respected.

    Parameters
    ----------
    attributes : mapping of str to Attribute
        The case's declared attributes.
    whens : sequence of When
        The conditions that must hold together.

    Returns
    -------
    bool

    Examples
    --------
    >>> from kafka_tool.model import Condition, IntegerAttribute, NumberAttribute
    >>> attributes = {
    ...     "age": IntegerAttribute(type="integer", min=0, max=120),
    ...     "income": NumberAttribute(type="number", min=0),
    ... }
    >>> satisfiable(attributes, [{"age": Condition(above=17)}, {"age": Condition(below=18)}])
    False
    >>> satisfiable(attributes, [{"income": Condition(above=17)}, {"income": Condition(below=18)}])
    True
    >>> satisfiable(attributes, [{"income": Condition(above=17)}, {"income": Condition(max=17)}])
    False
    """
    dims = _dims(attributes, whens)
    return _box(dims, whens) is not None


def minimal_conflict(
    attributes: Mapping[str, Attribute], whens: Sequence[tuple[str, When]]
) -> list[str] | None:
    """A smallest-by-deletion set of named ``whens`` that can never hold together.

    Each ``when`` is dropped in turn, in input order, if the rest still cannot
    hold together; what is left is a conflict from which no single ``when``
    can be removed.

    Parameters
    ----------
    attributes : mapping of str to Attribute
        The case's declared attributes.
    whens : sequence of (name, When)
        Named conditions, usually a rule id and its ``when``.

    Returns
    -------
    list of str or None
        None when all ``whens`` can hold together; otherwise the names of a
        minimal conflicting subset, in input order.

    Examples
    --------
    >>> from kafka_tool.model import Condition, IntegerAttribute, BooleanAttribute
    >>> attributes = {
    ...     "age": IntegerAttribute(type="integer", min=0, max=120),
    ...     "homeless": BooleanAttribute(type="boolean"),
    ... }
    >>> minimal_conflict(attributes, [
    ...     ("adults", {"age": Condition(min=18)}),
    ...     ("housed", {"homeless": False}),
    ...     ("youth", {"age": Condition(max=17)}),
    ... ])
    ['adults', 'youth']
    >>> minimal_conflict(attributes, [("adults", {"age": Condition(min=18)})]) is None
    True
    """
    dims = _dims(attributes, [when for _, when in whens])
    if _box(dims, [when for _, when in whens]) is not None:
        return None
    kept = list(whens)
    i = 0
    while i < len(kept):
        rest = kept[:i] + kept[i + 1 :]
        if _box(dims, [when for _, when in rest]) is None:
            kept = rest
        else:
            i += 1
    return [name for name, _ in kept]


def coverage_gaps(
    attributes: Mapping[str, Attribute],
    producers: Sequence[Sequence[When]],
    *,
    max_regions: int = 1000,
    budget: WorkBudget | None = None,
) -> tuple[list[Region], tuple[Cap, ...]]:
    """The regions of the attribute space that no producer serves.

    A producer (a touchpoint that produces the goal document) serves the
    points that meet all of its ``whens``; one without ``whens`` serves
    everything. The gap is the declared attribute space minus the union of
    what the producers serve (:meth:`Space.outside`), over the attributes
    that some ``when`` mentions, computed exactly and returned as disjoint
    regions in canonical form: no two of them agree on all attributes but
    one and touch on that one.

    Parameters
    ----------
    attributes : mapping of str to Attribute
        The case's declared attributes; gaps are computed inside their domains.
    producers : sequence of sequence of When
        One entry per producing touchpoint: the ``when`` of each of its rules.
        An empty sequence means nobody produces the document: the whole space,
        ``{}``, is one gap.
    max_regions : int, default 1000
        The most regions to return.
    budget : WorkBudget, optional
        The box operations the computation may spend; by default
        :data:`DEFAULT_WORK_LIMIT`.

    Returns
    -------
    regions : list of Region
        The gap regions, in a fixed order (the same on every run).
    caps : tuple of Cap
        Empty when ``regions`` is the whole gap. Otherwise the limits that
        cut it short, in the order they did: ``Cap("work", limit)`` when the
        budget ran out (``regions`` holds the ones found by then: each is
        part of the gap, and there may be more), ``Cap("regions",
        max_regions)`` when there are more regions than that (``regions``
        holds the first of them).

    Examples
    --------
    >>> from kafka_tool.model import Condition, IntegerAttribute, NumberAttribute
    >>> attributes = {
    ...     "age": IntegerAttribute(type="integer", min=0, max=120),
    ...     "income": NumberAttribute(type="number", min=0, max=10000),
    ... }
    >>> coverage_gaps(attributes, [[{"age": Condition(max=17)}], [{"age": Condition(min=19)}]])
    ([{'age': {'min': 18, 'max': 18}}], ())
    >>> coverage_gaps(attributes, [[{"income": Condition(below=1500)}], [{"income": Condition(min=1500)}]])
    ([], ())
    >>> coverage_gaps(attributes, [[{"income": Condition(below=1500)}], [{"income": Condition(above=1500)}]])
    ([{'income': {'min': 1500, 'max': 1500}}], ())
    >>> coverage_gaps(attributes, [[{"age": Condition(min=k, max=k)}] for k in range(0, 121, 2)], max_regions=2)
    ([{'age': {'min': 1, 'max': 1}}, {'age': {'min': 3, 'max': 3}}], (Cap(kind='regions', limit=2),))
    """
    if max_regions < 1:
        raise ValueError(f"max_regions must be at least 1, not {max_regions}")
    if not producers:
        return [{}], ()
    dims = _dims(attributes, [when for whens in producers for when in whens])
    space = Space(attributes, [d.name for d in dims], budget=budget)
    caps: tuple[Cap, ...] = ()
    try:
        boxes = space.outside([space.where(*whens) for whens in producers]).boxes
    except WorkLimitExceeded as exc:
        boxes, caps = exc._boxes, (Cap("work", exc.limit),)
    if len(boxes) > max_regions:
        boxes = boxes[:max_regions]
        caps = (*caps, Cap("regions", max_regions))
    return [_region(space.dims, box) for box in boxes], caps


def region_to_when(region: Mapping[str, Any]) -> dict[str, bool | Condition]:
    """A region as a ``when``: the condition that holds exactly inside it.

    Examples
    --------
    >>> region_to_when({"age": {"min": 18, "max": 18}, "homeless": True})
    {'age': Condition(min=18, max=18, above=None, below=None, in_=None, not_in=None), 'homeless': True}
    """
    when: dict[str, bool | Condition] = {}
    for name, value in region.items():
        when[name] = value if isinstance(value, bool) else _as_condition(name, value)
    return when


def _region_items(region: Mapping[str, Any]) -> list[tuple[str, bool | dict[str, Any]]]:
    items: list[tuple[str, bool | dict[str, Any]]] = []
    for name, value in region.items():
        if isinstance(value, bool):
            items.append((name, value))
        elif isinstance(value, Condition):
            items.append((name, value.model_dump(by_alias=True, exclude_none=True)))
        elif isinstance(value, Mapping):
            unknown = sorted(set(value) - set(_RANGE_KEYS) - set(_SET_KEYS))
            if unknown:
                raise ValueError(f"{name}: not a region condition: {', '.join(map(str, unknown))}")
            if value:
                items.append((name, dict(value)))
        else:
            raise ValueError(f"{name}: not a region condition: {value!r}")
    return items


def _number_text(value: Any) -> str:
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    return str(value)


def _slug_text(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)


def _slug_number(value: Any) -> str:
    text = _number_text(value)
    return "minus" + text[1:] if text.startswith("-") else text


def region_slug(region: Mapping[str, Any]) -> str:
    """A stable, readable slug of a region, for finding ids.

    One part per attribute, in sorted attribute order, joined with ``+``:

    - a range with both ``min`` and ``max``: ``age-0-17`` (a single value:
      ``age-18``);
    - otherwise each end with its key: ``age-min18``, ``income-below1500``,
      ``income-above1200-below1500``; a negative number is written
      ``minus5``;
    - a category: ``residence-dutch.eu`` (``in``, values sorted) or
      ``residence-not-dutch.eu`` (``not_in``);
    - a boolean: ``homeless-true`` or ``homeless-false``.

    The whole space, ``{}``, is ``all``. Only ``[A-Za-z0-9_.+-]`` occur;
    other characters in names and values become ``_``.

    Examples
    --------
    >>> region_slug({"age": {"min": 0, "max": 17}})
    'age-0-17'
    >>> region_slug({"income": {"above": 1200, "below": 1500}, "residence": {"in": ["eu", "dutch"]}})
    'income-above1200-below1500+residence-dutch.eu'
    >>> region_slug({"homeless": True, "age": {"min": 18, "max": 18}})
    'age-18+homeless-true'
    >>> region_slug({})
    'all'
    """
    parts: list[str] = []
    for name, value in sorted(_region_items(region)):
        tokens = [_slug_text(name)]
        if isinstance(value, bool):
            tokens.append("true" if value else "false")
        else:
            if "min" in value and "max" in value and "above" not in value and "below" not in value:
                if value["min"] == value["max"]:
                    tokens.append(_slug_number(value["min"]))
                else:
                    tokens += [_slug_number(value["min"]), _slug_number(value["max"])]
            else:
                tokens += [
                    key + _slug_number(value[key]) for key in ("min", "above", "max", "below") if key in value
                ]
            if "in" in value:
                tokens.append(".".join(sorted(_slug_text(str(v)) for v in value["in"])) or "none")
            if "not_in" in value:
                tokens += ["not", ".".join(sorted(_slug_text(str(v)) for v in value["not_in"])) or "none"]
        parts.append("-".join(tokens))
    return "+".join(parts) or "all"


def attribute_label(name: str, attribute: Attribute | None = None) -> str:
    """The words texts use for an attribute: its ``label``, or its name with spaces for underscores.

    Examples
    --------
    >>> attribute_label("care_before_18")
    'care before 18'
    """
    label = getattr(attribute, "label", None)
    return label if label else name.replace("_", " ")


def describe_region(
    attributes: Mapping[str, Attribute], region: Mapping[str, Any], language: str | Words = "en"
) -> str:
    """A region in plain words, e.g. ``age exactly 18, not homeless``.

    An attribute is called by its ``label`` where the case gives one, otherwise by its
    name with underscores read as spaces; only the connecting words are translated
    (``language`` is ``"en"`` or ``"nl"``, or its :class:`~kafka_tool.i18n.Words`).
    Attributes are described in the order the case declares them. Category values are
    listed in the region's order.

    Examples
    --------
    >>> from kafka_tool.model import BooleanAttribute, IntegerAttribute, NumberAttribute
    >>> attributes = {
    ...     "age": IntegerAttribute(type="integer", min=0, max=120),
    ...     "income": NumberAttribute(type="number", min=0),
    ...     "homeless": BooleanAttribute(type="boolean"),
    ... }
    >>> describe_region(attributes, {"age": {"min": 18, "max": 18}, "homeless": False})
    'age exactly 18, not homeless'
    >>> describe_region(attributes, {"income": {"above": 1200, "below": 1500}})
    'income above 1200 and below 1500'
    >>> describe_region(attributes, {"age": {"min": 0, "max": 17}, "homeless": True}, "nl")
    'age van 0 tot en met 17, homeless'
    >>> describe_region(attributes, {"homeless": False}, "nl")
    'homeless: nee'
    >>> describe_region({"care_before_18": BooleanAttribute(type="boolean")}, {"care_before_18": False})
    'not care before 18'
    >>> describe_region({"inkomen_pct": IntegerAttribute(type="integer", label="inkomen (% van het sociaal minimum)")},
    ...                 {"inkomen_pct": {"min": 101}}, "nl")
    'inkomen (% van het sociaal minimum) ten minste 101'
    """
    say = language if isinstance(language, Words) else words(language)
    position = {name: i for i, name in enumerate(attributes)}
    items = sorted(_region_items(region), key=lambda item: (position.get(item[0], len(position)), item[0]))
    phrases: list[str] = []
    ends = {"min": N_("at least {a}"), "above": N_("above {a}"), "max": N_("at most {a}"), "below": N_("below {a}")}
    for key, value in items:
        name = attribute_label(key, attributes.get(key))
        if isinstance(value, bool):
            # Dutch says "{name}: nee": a label may be a noun ("binding met de regio") or a
            # predicate ("woont in een huurwoning"), and "niet" before a predicate reads wrong.
            phrases.append(name if value else say.say("not {name}", name=name))
            continue
        pieces: list[str] = []
        if "min" in value and "max" in value and "above" not in value and "below" not in value:
            a, b = _number_text(value["min"]), _number_text(value["max"])
            pieces.append(say.say("{name} exactly {a}", name=name, a=a) if value["min"] == value["max"]
                          else say.say("{name} {a} to {b}", name=name, a=a, b=b))
        elif any(key in value for key in _RANGE_KEYS):
            parts = [say.say(ends[key], a=_number_text(value[key])) for key in ("min", "above", "max", "below")
                     if key in value]
            pieces.append(say.say("{name} {limits}", name=name, limits=say.list(parts, limit=len(parts))))
        if "in" in value:
            names = [str(v) for v in value["in"]]
            pieces.append(say.say("{name} {values}", name=name, values=say.list(names, "or", limit=len(names))))
        if "not_in" in value:
            names = [str(v) for v in value["not_in"]]
            pieces.append(say.say("{name} other than {values}", name=name,
                                  values=say.list(names, "or", limit=len(names))))
        phrases.append(say.list(pieces, limit=len(pieces)))
    return ", ".join(phrases) or say.say("everyone")
