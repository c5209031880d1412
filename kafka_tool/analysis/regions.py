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
- :func:`region_slug` and :func:`describe_region`: a region as part of a
  finding id, and in plain words.

Integer attributes are whole numbers, so ``{above: 17, below: 18}`` holds for
nobody; number attributes are reals, so ``{below: 1500}`` and
``{above: 1500}`` leave exactly the point 1500 uncovered.

Internally a region is a *box*: one part per attribute, the product of which
is the region. The part of an integer or number attribute is an interval
``(low, low_closed, high, high_closed)`` (integers: finite ends always
closed; infinite ends always open), that of a category or boolean attribute
a frozenset of values. Gaps are computed by box subtraction (the domain
minus each served box, every subtraction splitting a box into at most two
pieces per attribute) followed by merging, so the work follows the shape of
the rules, not the product of all their breakpoints.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeAlias

from ..model import (
    Attribute,
    BooleanAttribute,
    CategoryAttribute,
    Condition,
    IntegerAttribute,
    NumberAttribute,
)

__all__ = [
    "Region",
    "When",
    "coverage_gaps",
    "describe_region",
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

_Value: TypeAlias = bool | int | float | str
_Span: TypeAlias = tuple[float, bool, float, bool]
_Part: TypeAlias = _Span | frozenset[Any]
_Box: TypeAlias = tuple[_Part, ...]

_INF = math.inf
_RANGE_KEYS = ("min", "max", "above", "below")
_SET_KEYS = ("in", "not_in")

# A safety valve: the number of pieces kept while subtracting. Beyond it the
# answer is truncated (and says so) rather than the machine running out.
_WORK_FACTOR = 10
_WORK_MINIMUM = 1000


# ---------------------------------------------------------------- intervals


def _span_empty(span: _Span) -> bool:
    low, low_closed, high, high_closed = span
    return low > high or (low == high and not (low_closed and high_closed))


def _span_intersect(a: _Span, b: _Span) -> _Span:
    # The tighter end wins; at equal values an open end is the tighter one.
    if a[0] > b[0] or (a[0] == b[0] and not a[1]):
        low, low_closed = a[0], a[1]
    else:
        low, low_closed = b[0], b[1]
    if a[2] < b[2] or (a[2] == b[2] and not a[3]):
        high, high_closed = a[2], a[3]
    else:
        high, high_closed = b[2], b[3]
    return (low, low_closed, high, high_closed)


def _span_key(span: _Span) -> tuple[float, int, float, int]:
    return (span[0], 0 if span[1] else 1, span[2], 1 if span[3] else 0)


def _floor(value: float) -> float:
    return value if math.isinf(value) else math.floor(value)


def _ceil(value: float) -> float:
    return value if math.isinf(value) else math.ceil(value)


def _span(low: float, low_closed: bool, high: float, high_closed: bool) -> _Span:
    # Infinite ends are open, so that equal intervals are equal tuples.
    return (low, low_closed and not math.isinf(low), high, high_closed and not math.isinf(high))


# ---------------------------------------------------------------- dimensions


@dataclass(frozen=True, slots=True)
class _Dim:
    """One attribute as a dimension of the box algebra."""

    name: str
    kind: str  # "integer", "number", "category" or "boolean"
    full: _Part
    order: Mapping[Any, int]  # category and boolean: position of each value

    @property
    def is_span(self) -> bool:
        return self.kind in ("integer", "number")

    def restrict(self, condition: object) -> _Part:
        """The part of this attribute's domain that meets ``condition``."""
        if self.kind == "boolean":
            if not isinstance(condition, bool):
                raise ValueError(f"{self.name} is a boolean attribute: its condition is true or false")
            return frozenset({condition}) & self._set(self.full)
        cond = _as_condition(self.name, condition)
        if self.kind == "category":
            if any(getattr(cond, key) is not None for key in _RANGE_KEYS):
                raise ValueError(f"{self.name} is a category attribute: min/max/above/below do not apply")
            values = self._set(self.full)
            if cond.in_ is not None:
                values = values & frozenset(cond.in_)
            if cond.not_in is not None:
                values = values - frozenset(cond.not_in)
            return values
        if cond.in_ is not None or cond.not_in is not None:
            raise ValueError(f"{self.name} is a number attribute: in/not_in do not apply")
        span: _Span = (-_INF, False, _INF, False)
        if self.kind == "integer":
            # Whole numbers: above 17 is 18 or more, below 17.5 is 17 or less.
            if cond.min is not None:
                span = _span_intersect(span, _span(_ceil(cond.min), True, _INF, False))
            if cond.above is not None:
                span = _span_intersect(span, _span(_floor(cond.above) + 1, True, _INF, False))
            if cond.max is not None:
                span = _span_intersect(span, _span(-_INF, False, _floor(cond.max), True))
            if cond.below is not None:
                span = _span_intersect(span, _span(-_INF, False, _ceil(cond.below) - 1, True))
        else:
            if cond.min is not None:
                span = _span_intersect(span, _span(cond.min, True, _INF, False))
            if cond.above is not None:
                span = _span_intersect(span, _span(cond.above, False, _INF, False))
            if cond.max is not None:
                span = _span_intersect(span, _span(-_INF, False, cond.max, True))
            if cond.below is not None:
                span = _span_intersect(span, _span(-_INF, False, cond.below, False))
        return _span_intersect(self._span(self.full), span)

    def intersect(self, a: _Part, b: _Part) -> _Part:
        if self.is_span:
            return _span_intersect(self._span(a), self._span(b))
        return self._set(a) & self._set(b)

    def empty(self, part: _Part) -> bool:
        if self.is_span:
            return _span_empty(self._span(part))
        return not part

    def difference(self, a: _Part, b: _Part) -> list[_Part]:
        """``a`` minus ``b``: at most two non-empty parts."""
        if not self.is_span:
            rest = self._set(a) - self._set(b)
            return [rest] if rest else []
        sa, sb = self._span(a), self._span(b)
        pieces: list[_Part] = []
        if not math.isinf(sb[0]):
            if self.kind == "integer":
                left = _span_intersect(sa, (-_INF, False, sb[0] - 1, True))
            else:
                left = _span_intersect(sa, (-_INF, False, sb[0], not sb[1]))
            if not _span_empty(left):
                pieces.append(left)
        if not math.isinf(sb[2]):
            if self.kind == "integer":
                right = _span_intersect(sa, (sb[2] + 1, True, _INF, False))
            else:
                right = _span_intersect(sa, (sb[2], not sb[3], _INF, False))
            if not _span_empty(right):
                pieces.append(right)
        return pieces

    def join(self, a: _Part, b: _Part) -> _Part | None:
        """The union of two disjoint parts, or None when it is not one part."""
        if not self.is_span:
            return self._set(a) | self._set(b)
        sa, sb = self._span(a), self._span(b)
        if _span_key(sb) < _span_key(sa):
            sa, sb = sb, sa
        if self.kind == "integer":
            touches = sa[2] + 1 >= sb[0]
        else:
            touches = sa[2] > sb[0] or (sa[2] == sb[0] and (sa[3] or sb[1]))
        if not touches:
            return None
        if sb[2] > sa[2] or (sb[2] == sa[2] and sb[3]):
            return (sa[0], sa[1], sb[2], sb[3])
        return sa

    def sort_key(self, part: _Part) -> tuple[Any, ...]:
        if self.is_span:
            return _span_key(self._span(part))
        return tuple(sorted(self.order[v] for v in self._set(part)))

    def to_json(self, part: _Part) -> Any:
        """The part in the vocabulary of ``when``; None for the whole domain."""
        if part == self.full:
            return None
        if self.kind == "boolean":
            (value,) = self._set(part)
            return bool(value)
        if self.kind == "category":
            return {"in": sorted(self._set(part), key=str)}
        low, low_closed, high, high_closed = self._span(part)
        out: dict[str, Any] = {}
        if self.kind == "integer":
            if not math.isinf(low):
                out["min"] = int(low)
            if not math.isinf(high):
                out["max"] = int(high)
            return out
        # Like integers, a number region writes each finite end, the domain's own included, so
        # that a region reads the same whichever side of it the domain bounds.
        if not math.isinf(low):
            out["min" if low_closed else "above"] = _plain_number(low)
        if not math.isinf(high):
            out["max" if high_closed else "below"] = _plain_number(high)
        return out

    @staticmethod
    def _span(part: _Part) -> _Span:
        assert isinstance(part, tuple)
        return part

    @staticmethod
    def _set(part: _Part) -> frozenset[Any]:
        assert isinstance(part, frozenset)
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
        low = -_INF if attribute.min is None else attribute.min
        high = _INF if attribute.max is None else attribute.max
        return _Dim(name, "integer", _span(low, True, high, True), {})
    if isinstance(attribute, NumberAttribute):
        low = -_INF if attribute.min is None else attribute.min
        high = _INF if attribute.max is None else attribute.max
        return _Dim(name, "number", _span(low, True, high, True), {})
    if isinstance(attribute, CategoryAttribute):
        values = list(dict.fromkeys(attribute.values))
        return _Dim(name, "category", frozenset(values), {v: i for i, v in enumerate(values)})
    if isinstance(attribute, BooleanAttribute):
        return _Dim(name, "boolean", frozenset({False, True}), {False: 0, True: 1})
    raise TypeError(f"not an attribute: {attribute!r}")


def _dims(attributes: Mapping[str, Attribute], whens: Sequence[When]) -> list[_Dim]:
    """The dimensions that some ``when`` mentions, in declaration order."""
    mentioned = {name for when in whens for name in when}
    unknown = sorted(mentioned - set(attributes))
    if unknown:
        raise ValueError(f"condition on an attribute that is not declared: {', '.join(unknown)}")
    return [_dim(name, attribute) for name, attribute in attributes.items() if name in mentioned]


def _box(dims: Sequence[_Dim], whens: Sequence[When]) -> _Box | None:
    """The box of the points meeting every ``when``; None when there are none."""
    parts = [d.full for d in dims]
    for when in whens:
        for i, d in enumerate(dims):
            if d.name in when:
                parts[i] = d.intersect(parts[i], d.restrict(when[d.name]))
    if any(d.empty(p) for d, p in zip(dims, parts, strict=True)):
        return None
    return tuple(parts)


def _subtract(dims: Sequence[_Dim], a: _Box, b: _Box, restricted: Sequence[int]) -> list[_Box]:
    """``a`` minus ``b`` as disjoint boxes (``[a]`` when they do not meet).

    ``restricted`` names the attributes on which ``b`` is not the whole
    domain: only those can cut ``a``. Each cuts off at most two pieces.
    """
    common: dict[int, _Part] = {}
    for i in restricted:
        part = dims[i].intersect(a[i], b[i])
        if dims[i].empty(part):
            return [a]
        common[i] = part
    pieces: list[_Box] = []
    current = list(a)
    for i, part in common.items():
        if a[i] == part:
            continue
        for rest in dims[i].difference(a[i], b[i]):
            piece = list(current)
            piece[i] = rest
            pieces.append(tuple(piece))
        current[i] = part
    return pieces


class _Pieces:
    """Pairwise disjoint boxes, kept merged as they come and go.

    No two boxes agree on all attributes but one and touch on that one: each
    box that comes in is joined with such a partner, over and over, before it
    is stored. Per attribute an index maps "the box without this attribute"
    to the boxes that have it, so a partner is found without a scan. Dicts,
    not sets, keep every order independent of string hashing.
    """

    def __init__(self, dims: Sequence[_Dim]) -> None:
        self.dims = dims
        self.boxes: dict[_Box, None] = {}
        self._index: list[dict[_Box, dict[_Box, None]]] = [{} for _ in dims]

    def __len__(self) -> int:
        return len(self.boxes)

    def remove(self, box: _Box) -> None:
        del self.boxes[box]
        for i, index in enumerate(self._index):
            key = box[:i] + box[i + 1 :]
            group = index[key]
            del group[box]
            if not group:
                del index[key]

    def add(self, box: _Box, *, merge: bool = True) -> None:
        while merge:
            partner = self._partner(box)
            if partner is None:
                break
            other, box = partner
            self.remove(other)
        self.boxes[box] = None
        for i, index in enumerate(self._index):
            index.setdefault(box[:i] + box[i + 1 :], {})[box] = None

    def _partner(self, box: _Box) -> tuple[_Box, _Box] | None:
        """A stored box that ``box`` can be joined with, and the joined box."""
        for i, (d, index) in enumerate(zip(self.dims, self._index, strict=True)):
            rest = box[:i] + box[i + 1 :]
            for other in index.get(rest, ()):
                joined = d.join(box[i], other[i])
                if joined is not None:
                    return other, (*rest[:i], joined, *rest[i:])
        return None


def _disjoint_test(dims: Sequence[_Dim], domain: _Box, box: _Box) -> Callable[[_Box], bool]:
    """A fast test whether a piece is disjoint from ``box`` (only its restricted attributes count)."""
    spans = [(i, d._span(box[i])) for i, d in enumerate(dims) if d.is_span and box[i] != domain[i]]
    sets = [(i, d._set(box[i])) for i, d in enumerate(dims) if not d.is_span and box[i] != domain[i]]

    def disjoint(piece: _Box) -> bool:
        for i, (low, low_closed, high, high_closed) in spans:
            p_low, p_low_closed, p_high, p_high_closed = piece[i]
            if p_high < low or (p_high == low and not (p_high_closed and low_closed)):
                return True
            if high < p_low or (high == p_low and not (high_closed and p_low_closed)):
                return True
        return any(values.isdisjoint(piece[i]) for i, values in sets)

    return disjoint


def _box_key(dims: Sequence[_Dim], box: _Box) -> tuple[Any, ...]:
    return tuple(d.sort_key(p) for d, p in zip(dims, box, strict=True))


def _region(dims: Sequence[_Dim], box: _Box) -> Region:
    region: Region = {}
    for d, part in zip(dims, box, strict=True):
        value = d.to_json(part)
        if value is not None:
            region[d.name] = value
    return region


# ---------------------------------------------------------------- public API


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
    dims = _dims(attributes, [when])
    for d in dims:
        condition = when[d.name]
        d.restrict(condition)  # checks that the condition fits the attribute
        if d.name not in values:
            return False
        value = values[d.name]
        if d.kind == "boolean":
            if not isinstance(value, bool) or value != condition:
                return False
            continue
        cond = _as_condition(d.name, condition)
        if d.kind == "category":
            if not isinstance(value, str):
                return False
            if cond.in_ is not None and value not in cond.in_:
                return False
            if cond.not_in is not None and value in cond.not_in:
                return False
            continue
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
) -> tuple[list[Region], bool]:
    """The regions of the attribute space that no producer serves.

    A producer (a touchpoint that produces the goal document) serves the
    points that meet all of its ``whens``; one without ``whens`` serves
    everything. The gap is the declared attribute space minus the union of
    what the producers serve, computed exactly and returned as disjoint
    regions, merged until no two of them agree on all attributes but one
    and touch on that one.

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

    Returns
    -------
    regions : list of Region
        The gap regions, in a fixed order (the same on every run).
    truncated : bool
        Whether there were more regions than ``max_regions`` (or the work
        limit was reached); then ``regions`` lists only some of them.

    Examples
    --------
    >>> from kafka_tool.model import Condition, IntegerAttribute, NumberAttribute
    >>> attributes = {
    ...     "age": IntegerAttribute(type="integer", min=0, max=120),
    ...     "income": NumberAttribute(type="number", min=0, max=10000),
    ... }
    >>> coverage_gaps(attributes, [[{"age": Condition(max=17)}], [{"age": Condition(min=19)}]])
    ([{'age': {'min': 18, 'max': 18}}], False)
    >>> coverage_gaps(attributes, [[{"income": Condition(below=1500)}], [{"income": Condition(min=1500)}]])
    ([], False)
    >>> coverage_gaps(attributes, [[{"income": Condition(below=1500)}], [{"income": Condition(above=1500)}]])
    ([{'income': {'min': 1500, 'max': 1500}}], False)
    """
    if max_regions < 1:
        raise ValueError(f"max_regions must be at least 1, not {max_regions}")
    if not producers:
        return [{}], False
    dims = _dims(attributes, [when for whens in producers for when in whens])
    domain = _box(dims, [])
    if domain is None:
        return [], False

    served: dict[_Box, None] = {}
    for whens in producers:
        box = _box(dims, whens)
        if box is None:
            continue
        if box == domain:
            return [], False
        served[box] = None
    # The broadest first (fewest restricted attributes): that keeps the pieces
    # few. A box inside one subtracted before finds nothing left to cut.
    kept = sorted(served, key=lambda b: sum(p != f for p, f in zip(b, domain, strict=True)))

    limit = max(_WORK_FACTOR * max_regions, _WORK_MINIMUM)
    truncated = False
    pieces = _Pieces(dims)
    pieces.add(domain)
    for box in kept:
        restricted = [i for i, (p, f) in enumerate(zip(box, domain, strict=True)) if p != f]
        disjoint = _disjoint_test(dims, domain, box)
        hit = [piece for piece in pieces.boxes if not disjoint(piece)]
        for piece in hit:
            pieces.remove(piece)
        for piece in hit:
            for rest in _subtract(dims, piece, box, restricted):
                pieces.add(rest)
        if len(pieces) > limit:
            keep = sorted(pieces.boxes, key=lambda b: _box_key(dims, b))[:limit]
            pieces = _Pieces(dims)
            for piece in keep:
                pieces.add(piece, merge=False)
            truncated = True
        if not pieces:
            break

    result = sorted(pieces.boxes, key=lambda b: _box_key(dims, b))
    if len(result) > max_regions:
        result = result[:max_regions]
        truncated = True
    return [_region(dims, box) for box in result], truncated


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


_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "exactly": "{name} exactly {a}",
        "range": "{name} {a} to {b}",
        "min": "at least {a}",
        "above": "above {a}",
        "max": "at most {a}",
        "below": "below {a}",
        "and": " and ",
        "or": " or ",
        "in": "{name} {values}",
        "not_in": "{name} other than {values}",
        "true": "{name}",
        "false": "not {name}",
        "all": "everyone",
    },
    "nl": {
        "exactly": "{name} precies {a}",
        "range": "{name} van {a} tot en met {b}",
        "min": "ten minste {a}",
        "above": "boven {a}",
        "max": "ten hoogste {a}",
        "below": "onder {a}",
        "and": " en ",
        "or": " of ",
        "in": "{name} {values}",
        "not_in": "{name} anders dan {values}",
        "true": "{name}",
        "false": "niet {name}",
        "all": "iedereen",
    },
}


def describe_region(
    attributes: Mapping[str, Attribute], region: Mapping[str, Any], language: str = "en"
) -> str:
    """A region in plain words, e.g. ``age exactly 18, not homeless``.

    Attribute names stay as they are, underscores read as spaces; only the
    connecting words are translated (``language`` is ``"en"`` or ``"nl"``). Attributes are
    described in the order the case declares them. Category values are
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
    'niet homeless'
    >>> describe_region({"care_before_18": BooleanAttribute(type="boolean")}, {"care_before_18": False})
    'not care before 18'
    """
    if language not in _WORDS:
        raise ValueError(f"no words for language {language!r}; use one of: {', '.join(_WORDS)}")
    words = _WORDS[language]
    position = {name: i for i, name in enumerate(attributes)}
    items = sorted(_region_items(region), key=lambda item: (position.get(item[0], len(position)), item[0]))
    phrases: list[str] = []
    for key, value in items:
        name = key.replace("_", " ")  # care_before_18 reads as "care before 18"
        if isinstance(value, bool):
            phrases.append(words["true" if value else "false"].format(name=name))
            continue
        pieces: list[str] = []
        if "min" in value and "max" in value and "above" not in value and "below" not in value:
            a, b = _number_text(value["min"]), _number_text(value["max"])
            pieces.append(
                words["exactly" if value["min"] == value["max"] else "range"].format(name=name, a=a, b=b)
            )
        elif any(key in value for key in _RANGE_KEYS):
            ends = [
                words[key].format(a=_number_text(value[key]))
                for key in ("min", "above", "max", "below")
                if key in value
            ]
            pieces.append(f"{name} {words['and'].join(ends)}")
        for key in _SET_KEYS:
            if key in value:
                values = words["or"].join(str(v) for v in value[key])
                pieces.append(words[key].format(name=name, values=values))
        phrases.append(words["and"].join(pieces))
    return ", ".join(phrases) or words["all"]
