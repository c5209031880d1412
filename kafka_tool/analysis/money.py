"""Money: a persona's means along a money attribute, and the benefit cliffs in them.

Definitions (CASE_FORMAT.md, "Money"):

- A document's ``value`` is what holding it is worth a month (a year's value counts a
  twelfth, one paid ``once`` nothing here). A ``taper`` makes it fall by ``rate`` for
  every unit of an attribute above ``from``, never past 0.
- A persona's **means** at a value *v* of a money attribute, every other attribute as the
  persona has it, are *v* × ``unit_amount`` (a yearly attribute: a twelfth of it) plus
  the monthly value of the goals the persona can reach at *v*.
- A **benefit cliff** is an edge where one more unit of the attribute lowers the means: a
  drop at a limit (goals lost that were worth more than the unit), or the start of a
  stretch where tapers take more than the rise (a marginal rate above 100 %).

The means are exact. Which goals a persona reaches changes only where some condition on
the attribute changes its truth, and a taper bends only at its ``from`` and where it
reaches 0; between those points the means are linear. So the attribute's domain is cut
at every such point into *pieces*, the persona's reach is worked out once a piece (at a
point inside it), and each goal's value is written as a line over the piece. The work
grows with the number of conditions on the attribute, not with its domain.

Pieces are spans of :mod:`.regions` cuts, ``[low, high)``: a cut ``(v, 0)`` lies just
below *v*, ``(v, 1)`` just above it; for an integer attribute every cut is ``(n, 0)``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..findings import Finding
from ..model import Case, Document, IntegerAttribute, NumberAttribute, Persona, Value
from .regions import Dimension, dimension, region_slug
from .wording import Said, Speaker

if TYPE_CHECKING:
    from .context import Context

__all__ = [
    "Cliff",
    "Means",
    "Piece",
    "find_benefit_cliffs",
    "money_attributes",
    "monthly_value",
    "means_of",
    "say_benefit_cliff",
]

_Cut = tuple[float, int]
#: What is compared as equal: sums of a few amounts, so a cent's millionth is noise.
_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of the attribute over which the persona reaches the same goals and the means are a line.

    ``benefits(x) = base + slope × (x − start)``: ``start`` is the piece's first value (its
    lower end, included or not), ``base`` the benefits a month there (the limit, where the
    end is open), ``slope`` their change per unit (tapers: 0 or less).
    """

    low: _Cut
    high: _Cut
    goals: frozenset[str]
    start: float
    base: float
    slope: float

    def benefits(self, x: float) -> float:
        """The benefits a month at ``x`` (a value inside the piece, or one of its ends)."""
        return self.base if self.slope == 0 else self.base + self.slope * (x - self.start)


@dataclass(frozen=True, slots=True)
class Cliff:
    """An edge of the means where one more unit lowers them.

    ``edge``: the value just below the fall (an integer attribute: the last value before it;
    a number: the point where it falls). ``drop``: the benefits a month lost at the edge (0
    for a stretch that only tapers). ``marginal``: where the means fall as the attribute
    rises, the share of each unit that tapers take (1.3: 130 %), else None. ``recover``:
    the first value at which the means are back where they were at the edge (None: not
    within the domain). ``region``: the stretch in between, in the vocabulary of ``when``.
    ``worst``: how far below the edge's means they fall there.
    """

    attribute: str
    edge: float
    drop: float
    #: what the goals lost at the edge were worth a month there
    loss: float
    marginal: float | None
    lost: tuple[str, ...]
    #: charges (goals of negative value) that start at the edge
    charged: tuple[str, ...]
    tapering: tuple[str, ...]
    cut: _Cut
    recover: float | None
    region: dict[str, Any]
    worst: float
    means_before: float


@dataclass(frozen=True, slots=True)
class Means:
    """A persona's means along one money attribute: the pieces, and what one unit is worth a month."""

    attribute: str
    unit: float
    whole: bool
    pieces: tuple[Piece, ...]
    #: the persona's own value of the attribute (None when it gives none)
    at: float | None
    #: goal -> its value a month at a value of the attribute (the goals that have a value)
    worth: Mapping[str, Callable[[float], float]] = field(default_factory=dict)

    def means(self, x: float) -> float:
        """The means a month at ``x``."""
        return self.unit * x + self.piece_at(x).benefits(x)

    def piece_at(self, x: float) -> Piece:
        """The piece that holds ``x`` (the nearest, for a value outside the domain)."""
        cut = (x, 0) if not self.whole else (math.floor(x), 0)
        for piece in self.pieces:
            if piece.low <= cut < piece.high:
                return piece
        return self.pieces[0] if cut < self.pieces[0].low else self.pieces[-1]

    def intervals(self) -> list[dict[str, Any]]:
        """The JSON of CASE_FORMAT.md: consecutive intervals, equal neighbours merged.

        Integer bounds are inclusive; a number interval says where an end is left out
        (``from_open``, ``to_open``). An unbounded end is null. A tapering interval gives
        the benefits at its start and ``taper_per_unit``, their change per unit.
        """
        out: list[dict[str, Any]] = []
        for piece in _merged(self.pieces):
            item: dict[str, Any] = {"from": _end(piece.low, self.whole, True),
                                    "to": _end(piece.high, self.whole, False)}
            if not self.whole:
                if piece.low[1] == 1:
                    item["from_open"] = True
                if piece.high[1] == 0 and not math.isinf(piece.high[0]):
                    item["to_open"] = True
            item["benefits_per_month"] = _num(piece.base)
            if piece.slope:
                item["taper_per_unit"] = _num(piece.slope)
            out.append(item)
        return out

    def cliffs(self) -> list[Cliff]:
        """Every edge where one more unit lowers the means, in the order of the attribute.

        The means fall from a value to the next one either inside a piece (tapers steeper
        than the rise) or from one piece to the next (goals lost, a charge that starts). Each
        run of such falls is one cliff at its first value; a break inside a run (goals lost
        there too) is a cliff of its own.
        """
        pieces = _merged(self.pieces, keep_goals=True)
        runs: list[list[float]] = []  # [first, last] values of consecutive falls
        breaks: list[float] = []
        for i, piece in enumerate(pieces):
            if i:
                before = pieces[i - 1]
                edge = self._last_value(before)
                broken = before.benefits(piece.start) - piece.base > _EPS
                if self.whole:
                    falls = self.unit + piece.base - before.benefits(edge) < -_EPS
                else:
                    falls = broken and before.benefits(piece.start) - piece.base > self.unit + _EPS
                if falls:
                    _add_run(runs, edge, edge, self.whole)
                    if broken:
                        breaks.append(edge)
            if self._falls(piece):
                last = self._last_value(piece)
                _add_run(runs, piece.start, last - 1 if self.whole else last, self.whole)
        edges = sorted({run[0] for run in runs} | set(breaks))
        return [self._cliff(edge, edge in breaks) for edge in edges]

    # ------------------------------------------------------------ helpers

    def _falls(self, piece: Piece) -> bool:
        """Whether the means fall within the piece as the attribute rises (a marginal rate above 100 %)."""
        return self.unit + piece.slope < -_EPS and _span_width(piece, self.whole) > 0

    def _last_value(self, piece: Piece) -> float:
        """The last value of a piece: an integer attribute's last whole number, a number's upper end."""
        return piece.high[0] - 1 if self.whole else piece.high[0]

    def _cliff(self, edge: float, broken: bool) -> Cliff:
        here = self._piece_before(edge)
        after_cut = here.high if broken or (self.whole and edge == self._last_value(here)) else None
        after = next((p for p in self.pieces if p.low == after_cut), None) if after_cut else None
        nxt = after if after is not None else self.piece_at(edge + 1 if self.whole else edge)
        level = self.unit * edge + here.benefits(edge)
        lost = tuple(sorted(here.goals - nxt.goals)) if after is not None else ()
        charged = tuple(sorted(g for g in nxt.goals - here.goals
                               if g in self.worth and self.worth[g](nxt.start) < 0)) if after is not None else ()
        falling = nxt if self._falls(nxt) else here if self._falls(here) and not broken else None
        tapering = self._tapering(falling) if falling is not None else ()
        marginal = None
        if falling is not None:
            marginal = -falling.slope / self.unit if self.unit > 0 else math.inf
        elif not lost and not charged and self.unit > 0:
            # A taper that runs out between two values: what it takes from one to the next.
            step = here.benefits(edge) - nxt.benefits(edge + 1 if self.whole else edge)
            marginal = step / self.unit
            tapering = self._tapering(here)
        loss = (sum(self.worth[g](edge) for g in lost if g in self.worth)
                - sum(self.worth[g](nxt.start) for g in charged))
        drop = here.benefits(nxt.start) - nxt.base if after is not None else 0.0
        start = edge + 1 if self.whole else edge
        strict = not self.whole and (after is None or nxt.low[1] == 1)
        recover, worst = self._recovery(level, start, strict)
        cut = nxt.low if after is not None else (here.low if falling is here else nxt.low)
        return Cliff(
            attribute=self.attribute, edge=edge, drop=drop, loss=loss, marginal=marginal, lost=lost,
            charged=charged, tapering=tapering, cut=cut, recover=recover,
            region=self._region(edge, recover, not strict), worst=worst, means_before=level,
        )

    def _tapering(self, piece: Piece) -> tuple[str, ...]:
        """The goals whose value falls within the piece (or, for an integer, to the value after it)."""
        last = self._last_value(piece)
        if math.isinf(last):
            return ()
        end = last + 1 if self.whole else last
        return tuple(sorted(g for g in piece.goals if g in self.worth
                            and self.worth[g](piece.start) - self.worth[g](end) > _EPS))

    def _piece_before(self, edge: float) -> Piece:
        """The piece that holds ``edge`` (for a number: the one that ends at it, if one does)."""
        if not self.whole:
            for piece in self.pieces:
                if piece.high == (edge, 1) or (piece.high == (edge, 0) and piece.low < (edge, 0)):
                    return piece
        return self.piece_at(edge)

    def _recovery(self, level: float, after: float, strict: bool) -> tuple[float | None, float]:
        """The first value from ``after`` on (beyond it, if ``strict``) where the means reach ``level``
        again, and how far below ``level`` they fall before it."""
        worst = 0.0
        threshold: _Cut = (after, 1) if strict else (after, 0)
        for piece in self.pieces:
            if piece.high <= threshold:
                continue  # every value of the piece lies before ``after``
            last = self._last_value(piece)
            x0 = max(piece.start, after)
            k = self.unit + piece.slope
            at = self.unit * x0 + piece.benefits(x0)
            if at >= level - _EPS and not (strict and x0 == after):
                return x0, worst
            worst = max(worst, level - at)
            if k > _EPS:
                x = x0 + (level - at) / k
                if self.whole:
                    x = math.ceil(x - _EPS)
                if x <= last and not (strict and x <= after):
                    return x, worst
            if not math.isinf(last):
                worst = max(worst, level - (self.unit * last + piece.benefits(last)))
        return None, worst

    def _region(self, edge: float, recover: float | None, closed: bool) -> dict[str, Any]:
        bound: dict[str, Any] = {}
        top = self._last_value(self.pieces[-1])
        if self.whole:
            bound["min"] = _num(edge + 1)
            high = recover - 1 if recover is not None else top
            if not math.isinf(high):
                bound["max"] = _num(max(high, edge + 1))
        else:
            if closed:
                bound["min"] = _num(edge)
            else:
                bound["above"] = _num(edge)
            if recover is not None:
                bound["below"] = _num(recover)
            elif not math.isinf(top):
                bound["max"] = _num(top)
        return {self.attribute: bound}


def _add_run(runs: list[list[float]], first: float, last: float, whole: bool) -> None:
    """Add the falls from ``first`` to ``last`` to ``runs``, joining a run they continue."""
    if runs and runs[-1][1] + (1 if whole else 0) >= first:
        runs[-1][1] = max(runs[-1][1], last)
    else:
        runs.append([first, last])


def _span_width(piece: Piece, whole: bool) -> float:
    """How far a piece reaches beyond its start (0: a single value)."""
    return (piece.high[0] - 1 if whole else piece.high[0]) - piece.start


def _end(cut: _Cut, whole: bool, low: bool) -> int | float | None:
    value = cut[0]
    if math.isinf(value):
        return None
    if whole and not low:
        value -= 1  # [n, m) holds n .. m-1
    return _num(value)


def _num(value: float) -> int | float:
    rounded = round(value, 6)
    return int(rounded) if float(rounded).is_integer() else rounded


def _merged(pieces: Iterable[Piece], keep_goals: bool = False) -> list[Piece]:
    """Neighbours whose means run on as one line joined (with ``keep_goals``: only when they reach the same goals)."""
    out: list[Piece] = []
    for piece in pieces:
        if out:
            last = out[-1]
            same_line = (abs(last.slope - piece.slope) <= _EPS
                         and abs(last.benefits(piece.start) - piece.benefits(piece.start)) <= _EPS)
            if same_line and (not keep_goals or last.goals == piece.goals):
                out[-1] = Piece(last.low, piece.high, last.goals if keep_goals else last.goals | piece.goals,
                                last.start, last.base, last.slope)
                continue
        out.append(piece)
    return out


# ---------------------------------------------------------------- values


def money_attributes(case: Case) -> list[str]:
    """The attributes whose value is money the citizen has, in the case's order."""
    return [name for name, spec in case.attributes.items()
            if isinstance(spec, (IntegerAttribute, NumberAttribute)) and spec.money is not None]


def _per_month(per: str) -> float:
    return 1.0 if per == "month" else 1 / 12 if per == "year" else 0.0


def monthly_value(value: Value, values: Mapping[str, Any]) -> float:
    """What a value is worth a month to someone with these attribute ``values`` (its taper applied)."""
    factor = _per_month(value.per)
    amount = float(value.amount) * factor
    taper = value.taper
    if taper is None or not factor:
        return amount
    x = values.get(taper.attribute)
    if not isinstance(x, (int, float)) or isinstance(x, bool):
        return amount
    return _tapered(amount, float(taper.rate) * factor, float(taper.from_), float(x))


def _tapered(amount: float, rate: float, start: float, x: float) -> float:
    """``amount`` less ``rate`` per unit of ``x`` above ``start``, never past 0."""
    size = max(0.0, abs(amount) - rate * max(0.0, x - start))
    return math.copysign(size, amount) if size else 0.0


# ---------------------------------------------------------------- means


GoalsAt = Callable[[Persona], frozenset[str]]


def means_of(case: Case, whens: Iterable[Mapping[str, Any]], persona: Persona, attribute: str,
             goals_at: GoalsAt) -> Means:
    """The persona's means along ``attribute``, exact piece by piece.

    ``whens``: every condition of the case (rules, items, outcomes); those on the attribute
    cut it. ``goals_at(p)``: the goals a persona ``p`` can reach (the persona with another
    value of the attribute).
    """
    spec = case.attributes[attribute]
    assert isinstance(spec, (IntegerAttribute, NumberAttribute)) and spec.money is not None
    dim = dimension(attribute, spec)
    whole = isinstance(spec, IntegerAttribute)
    unit = float(spec.money.unit_amount) * _per_month(spec.money.per)
    documents = {d.id: d for d in case.documents}
    valued: dict[str, Document] = {g: doc for g in persona.goal_ids
                                   if (doc := documents.get(g)) is not None and doc.value is not None}
    low, high = dim.full  # type: ignore[misc]
    cuts: set[_Cut] = {low, high}
    for when in whens:
        condition = when.get(attribute)
        if condition is None or isinstance(condition, bool):
            continue
        part = dim.restrict(condition)
        assert isinstance(part, tuple)
        cuts.update(part)
    for doc in valued.values():
        cuts.update(_taper_cuts(doc, attribute, whole))
    ordered = sorted(c for c in cuts if low <= c <= high)
    pieces: list[Piece] = []
    for a, b in itertools.pairwise(ordered):
        if not a < b or (whole and a[0] >= b[0]):
            continue
        point = _inside(a, b, whole)
        value: int | float = int(point) if whole else point
        reached = goals_at(persona.model_copy(update={"attributes": {**persona.attributes, attribute: value}}))
        start = a[0] if not math.isinf(a[0]) else point
        base = slope = 0.0
        values = {**persona.attributes, attribute: start}
        for goal in reached:
            doc = valued.get(goal)
            if doc is None or doc.value is None:
                continue  # a goal that is worth nothing in money
            base += monthly_value(doc.value, values)
            slope += _slope(doc.value, attribute, point)
        pieces.append(Piece(a, b, reached, start, base, slope))
    own = persona.attributes.get(attribute)
    at = float(own) if isinstance(own, (int, float)) and not isinstance(own, bool) else None
    def worth(doc: Document) -> Callable[[float], float]:
        assert doc.value is not None
        value = doc.value
        return lambda x: monthly_value(value, {**persona.attributes, attribute: x})

    return Means(attribute, unit, whole, tuple(pieces), at, {g: worth(doc) for g, doc in valued.items()})


def _taper_cuts(doc: Document, attribute: str, whole: bool) -> list[_Cut]:
    """Where a document's taper along ``attribute`` bends: at its ``from`` and where it reaches 0."""
    value = doc.value
    if value is None or value.taper is None or value.taper.attribute != attribute or not _per_month(value.per):
        return []
    start = float(value.taper.from_)
    points = [start]
    if value.taper.rate > 0:
        points.append(start + abs(float(value.amount)) / float(value.taper.rate))
    return [((math.ceil(p - _EPS) if whole else p), 0) for p in points]


def _slope(value: Value, attribute: str, x: float) -> float:
    """The change a month of a value per unit of ``attribute`` at ``x`` (inside a piece)."""
    taper = value.taper
    factor = _per_month(value.per)
    if taper is None or taper.attribute != attribute or not factor or not taper.rate:
        return 0.0
    start = float(taper.from_)
    zero = start + abs(float(value.amount)) / float(taper.rate)
    if start <= x < zero:
        return -math.copysign(float(taper.rate) * factor, float(value.amount))
    return 0.0


def _inside(a: _Cut, b: _Cut, whole: bool) -> float:
    """A value inside the piece ``[a, b)`` (not at an end where a taper bends)."""
    lo, hi = a[0], b[0]
    if whole:
        return lo if not math.isinf(lo) else (hi - 1 if not math.isinf(hi) else 0.0)
    if math.isinf(lo) and math.isinf(hi):
        return 0.0
    if math.isinf(lo):
        return hi - 1
    if math.isinf(hi):
        return lo + 1
    if lo == hi:
        return lo  # a single value: [(v, 0), (v, 1))
    return (lo + hi) / 2


def case_whens(case: Case) -> list[Mapping[str, Any]]:
    """Every condition of the case that decides who reaches what: rules, requirement items, outcomes."""
    whens: list[Mapping[str, Any]] = []
    for rule in case.rules:
        whens.append(rule.when)
        whens.extend(rule.when_any)
    for tp in case.touchpoints:
        for item in (*tp.requires, *tp.produces):
            when = getattr(item, "when", None)
            if when:
                whens.append(when)
    return whens


# ---------------------------------------------------------------- the finding


def find_benefit_cliffs(ctx: Context) -> list[Finding]:
    """``benefit_cliff``: for each persona and money attribute, every edge where one more unit lowers the means."""
    findings = []
    index = ctx.index
    for view in ctx.views.values():
        for name, means in view.means.items():
            dim = dimension(name, index.case.attributes[name])
            for cliff in means.cliffs():
                rules, touchpoints = _limits_at(index.case, dim, cliff.cut)
                nodes = [*cliff.lost, *cliff.charged, *cliff.tapering, *rules, *touchpoints]
                goals = {*cliff.lost, *cliff.charged, *cliff.tapering}
                # in case order, whichever way the persona's walk went first
                givers = index.in_case_order(t for t in view.usable_order
                                             if goals.intersection(index.produced.get(t, ())))
                findings.append(ctx.finding(
                    "benefit_cliff", [view.id, region_slug({name: {"min": cliff.edge, "max": cliff.edge}})],
                    nodes=nodes,
                    personas=[view.id],
                    actors=ctx.owners([*touchpoints, *givers], rules),
                    rules=rules,
                    region=cliff.region,
                    facts={"persona": view.id, "attribute": name, "edge": _num(cliff.edge),
                           "drop": _num(cliff.drop), "loss": _num(cliff.loss),
                           "marginal": None if cliff.marginal is None else _num(cliff.marginal),
                           "lost": list(cliff.lost), "charged": list(cliff.charged),
                           "tapering": list(cliff.tapering),
                           "recover": None if cliff.recover is None else _num(cliff.recover),
                           "worst": _num(cliff.worst), "whole": means.whole, "at": means.at,
                           # a limit such as `below: 1500`: the edge itself is already past it
                           "from_edge": cliff.cut == (cliff.edge, 0)},
                ))
    return findings


def _limits_at(case: Case, dim: Dimension, cut: _Cut) -> tuple[list[str], list[str]]:
    """The rules, and the touchpoints of items and outcomes, whose condition on the attribute ends at ``cut``."""
    def ends_here(when: Mapping[str, Any] | None) -> bool:
        condition = (when or {}).get(dim.name)
        if condition is None or isinstance(condition, bool):
            return False
        part = dim.restrict(condition)
        return isinstance(part, tuple) and cut in part

    rules = [r.id for r in case.rules if ends_here(r.when) or any(ends_here(w) for w in r.when_any)]
    touchpoints = [t.id for t in case.touchpoints
                   if any(ends_here(getattr(item, "when", None)) for item in (*t.requires, *t.produces))]
    return rules, touchpoints


def say_benefit_cliff(finding: Finding, say: Speaker) -> Said:
    """The words of a ``benefit_cliff``."""
    facts = finding.facts
    persona = say.name(facts["persona"])
    attribute = say.attribute(facts["attribute"])
    edge = say.number(facts["edge"])
    owners = say.names(finding.actors)
    # One unit of an attribute worth one whole currency unit is "one euro", said as such.
    currency = say.currency_unit(facts["attribute"])
    if facts["recover"] is not None:
        recover = say.say("{persona} is only back at the same means at {attribute} {value}.", persona=persona,
                          attribute=attribute, value=say.number(facts["recover"]))
    else:
        recover = say.say("Within the range of {attribute}, {persona} never gets back to the same means.",
                          persona=persona, attribute=attribute)
    taper = ""
    only_tapers = not facts["lost"] and not facts["charged"]
    if facts["marginal"] is not None:
        tapering, rate = say.names(facts["tapering"]), say.percent(facts["marginal"])
        if only_tapers:  # no sentence before it names the edge: this one does
            if currency is not None:
                taper = say.say("Above {attribute} {edge}, {goals} fall faster than {attribute} rises: each "
                                "{currency} more takes {rate} of it away.", goals=tapering, attribute=attribute,
                                edge=edge, currency=currency, rate=rate)
            else:
                taper = say.say("Above {attribute} {edge}, {goals} fall faster than {attribute} rises: each unit "
                                "more takes {rate} of it away.", goals=tapering, attribute=attribute, edge=edge,
                                rate=rate)
        elif currency is not None:
            taper = say.say("Above it, {goals} fall faster than {attribute} rises: each {currency} more takes {rate} "
                            "of it away.", goals=tapering, attribute=attribute, currency=currency, rate=rate)
        else:
            taper = say.say("Above it, {goals} fall faster than {attribute} rises: each unit more takes {rate} of it "
                            "away.", goals=tapering, attribute=attribute, rate=rate)
    if facts.get("from_edge") and not only_tapers:
        # `below: 1500`: the benefit stops at 1500 itself, not one unit above it.
        goals = say.names(facts["lost"] or facts["charged"])
        if facts["lost"]:
            title = say.say("{persona} loses {goals} from {attribute} {edge}", persona=persona, goals=goals,
                            attribute=attribute, edge=edge)
            text = say.say("Below {attribute} {edge} {persona} still gets {goals}; at {edge} it stops, which costs "
                           "{loss} a month.", attribute=attribute, edge=edge, persona=persona, goals=goals,
                           loss=say.money(facts["loss"]))
        else:
            title = say.say("{persona} must pay {goals} from {attribute} {edge}", persona=persona, goals=goals,
                            attribute=attribute, edge=edge)
            text = say.say("From {attribute} {edge}, {persona} must pay {goals}: {loss} a month.",
                           attribute=attribute, edge=edge, persona=persona, goals=goals,
                           loss=say.money(facts["loss"]))
    elif facts["lost"]:
        lost = say.names(facts["lost"])
        title = say.say("{persona} loses {goals} above {attribute} {edge}", persona=persona, goals=lost,
                        attribute=attribute, edge=edge)
        if currency is not None:
            text = say.say("At {attribute} {edge} {persona} still gets {goals}; one {currency} more and it stops, "
                           "which costs {loss} a month.", attribute=attribute, edge=edge, persona=persona,
                           goals=lost, currency=currency, loss=say.money(facts["loss"]))
        else:
            text = say.say("At {attribute} {edge} {persona} still gets {goals}; one unit more and it stops, which "
                           "costs {loss} a month.", attribute=attribute, edge=edge, persona=persona, goals=lost,
                           loss=say.money(facts["loss"]))
    elif facts["charged"]:
        charged = say.names(facts["charged"])
        title = say.say("{persona} must pay {goals} above {attribute} {edge}", persona=persona, goals=charged,
                        attribute=attribute, edge=edge)
        if currency is not None:
            text = say.say("One {currency} above {attribute} {edge}, {persona} must pay {goals}: {loss} a month.",
                           currency=currency, attribute=attribute, edge=edge, persona=persona, goals=charged,
                           loss=say.money(facts["loss"]))
        else:
            text = say.say("One unit above {attribute} {edge}, {persona} must pay {goals}: {loss} a month.",
                           attribute=attribute, edge=edge, persona=persona, goals=charged,
                           loss=say.money(facts["loss"]))
    else:
        title = say.say("Above {attribute} {edge}, earning more leaves {persona} with less", persona=persona,
                        attribute=attribute, edge=edge)
        text, taper = taper, ""
    parts = [text, taper, recover, say.say("Who could change it: {owners}.", owners=owners)]
    return title, " ".join(p for p in parts if p), []
