"""Following a persona forward in time: attributes that grow, the moments they cross a boundary, and
the goals that are lost on the way (``transition_gap``).

Definitions (CASE_FORMAT.md, "Time"):

- An ``integer`` or ``number`` attribute with ``per_year: N`` grows by N a year (for the
  personas who meet its ``while``, if it has one). Its **boundaries** are the values at
  which some condition of the case (a rule's ``when`` or ``when_any``, an outcome's or a
  requirement item's ``when``) changes: ``min: m`` at m, ``below: b`` at b, and
  ``max: m`` or ``above: a`` just after m or a (for an integer attribute: at m + 1 and
  a + 1).
- A **moment** is a later time at which a growing attribute reaches one of its
  boundaries, within its domain and the case's ``horizon_years`` (default 10). The value v
  is reached (v − now) / per_year years from now; for an integer attribute that is the
  latest moment (a persona of 17 turns 18 within a year). At each moment every growing
  attribute is advanced by the same time, and the persona's goals are evaluated again.
- ``transition_gap``: a goal the persona can reach now that becomes unreachable at a
  moment; ``region`` gives the growing attributes' values while it stays so.

Between two moments no condition changes, so the moments are every time the persona's
reach can change: the evaluation is exact. Moments that give the same verdicts on every
condition share one evaluation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..findings import Finding
from ..i18n import Words
from ..model import DEFAULT_HORIZON_YEARS, Condition, IntegerAttribute, Persona
from .fixpoint import closure
from .graph import CaseIndex
from .regions import attribute_label, describe_region, meets
from .wording import Said, Speaker

if TYPE_CHECKING:
    from .context import Context

__all__ = ["Change", "Moment", "find_transition_gaps", "follow", "growing_attributes", "road_ahead",
           "say_transition_gap"]

#: How much closer than this two times are taken as the same moment (in years).
_SAME = 1e-9


@dataclass(frozen=True)
class Moment:
    """The persona at a later time: ``in_years`` from now (just after it, with ``after``), its
    growing attributes' values, and which goals it reaches then."""

    in_years: float
    attributes: dict[str, float]
    goals_reachable: dict[str, bool]
    #: the attribute values just after ``attributes`` (a number attribute that has passed a ``max``)
    after: bool = False
    #: the attributes that reach a boundary at this moment
    crossing: tuple[str, ...] = ()
    #: the rules the persona does not meet at this moment
    failing: frozenset[str] = frozenset()
    #: goal -> the touchpoints that give it to the persona at this moment
    givers: dict[str, tuple[str, ...]] | None = None

    def to_json(self) -> dict[str, Any]:
        """The moment in the JSON report; ``"after": true`` where the goals are those just past the values."""
        out: dict[str, Any] = {"in_years": _num(self.in_years),
                               "attributes": {k: _num(v) for k, v in self.attributes.items()},
                               "goals_reachable": dict(self.goals_reachable)}
        if self.after:
            out["after"] = True
        return out


def _num(value: float) -> int | float:
    if float(value).is_integer():
        return int(value)
    return round(value, 6)


@dataclass(frozen=True)
class Growth:
    """A growing attribute of one persona: where it is now, how fast it grows, where it may go."""

    name: str
    now: float
    rate: float
    whole: bool
    top: float  # the end of its domain (inf when open)

    def value(self, years: float) -> float:
        """Its value ``years`` from now (a whole number reaches v at the latest moment, then holds it)."""
        if self.whole:
            return min(self.now + math.floor(self.rate * years + 1e-9), self.top)
        return min(self.now + self.rate * years, self.top)

    def value_before(self, years: float) -> float:
        """Its value just before ``years`` from now."""
        if self.whole:
            return min(self.now + math.ceil(self.rate * years - 1e-9) - 1, self.top) if years > 0 else self.now
        return min(self.now + self.rate * years, self.top)


def growing_attributes(index: CaseIndex, persona: Persona) -> list[Growth]:
    """The persona's attributes that grow with time (``per_year``, and ``while`` where given)."""
    out = []
    for name, spec in index.case.attributes.items():
        rate = getattr(spec, "per_year", None)
        value = persona.attributes.get(name)
        if not rate or rate <= 0 or isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        condition = getattr(spec, "while_", None)
        if condition and not meets(index.case.attributes, condition, persona.attributes):
            continue
        top = getattr(spec, "max", None)
        out.append(Growth(name, float(value), float(rate), isinstance(spec, IntegerAttribute),
                          math.inf if top is None else float(top)))
    return out


def boundaries(index: CaseIndex) -> dict[str, list[tuple[float, bool]]]:
    """Every attribute's boundaries, ``(value, after)`` in order: where a condition of the case changes."""
    found = index.memo.get("boundaries")
    if isinstance(found, dict):
        return found
    points: dict[str, set[tuple[float, bool]]] = {}
    for when in _conditions(index):
        for name, condition in when.items():
            if not isinstance(condition, Condition):
                continue
            spot = points.setdefault(name, set())
            for value, after in ((condition.min, False), (condition.below, False), (condition.max, True),
                                 (condition.above, True)):
                if value is not None:
                    spot.add((float(value), after))
    out = {name: sorted(spot) for name, spot in points.items()}
    index.memo["boundaries"] = out
    return out


def _conditions(index: CaseIndex) -> Iterable[dict[str, Any]]:
    for rule in index.rules.values():
        yield rule.when
        yield from rule.when_any
    for outcomes in index.outcomes.values():
        yield from (when for _, when in outcomes if when)
    for req in index.conditional_items:
        if req.when:
            yield req.when


def _moments(index: CaseIndex, growing: list[Growth], horizon: float
             ) -> list[tuple[float, bool, dict[str, float]]]:
    """``(years, after, {attribute: value})`` for every later moment a growing attribute reaches a
    boundary: the attributes that reach one then, with the value each reaches."""
    bounds = boundaries(index)
    times: dict[tuple[float, bool], dict[str, float]] = {}
    for g in growing:
        for value, after in bounds.get(g.name, ()):
            if g.whole:  # a whole number reaches the boundary at a value of its own
                value, after = (math.floor(value) + 1.0 if after else float(math.ceil(value))), False
            if value > g.top or (after and value >= g.top):
                continue
            if value < g.now or (value == g.now and not after):
                continue
            years = (value - g.now) / g.rate
            # Within the horizon; a moment just after a value reached at the horizon's end lies beyond it.
            if years > horizon + _SAME or (after and years > horizon - _SAME):
                continue
            key = next((k for k in times if abs(k[0] - years) < _SAME and k[1] == after), (years, after))
            times.setdefault(key, {})[g.name] = value
    return [(years, after, crossing) for (years, after), crossing in sorted(times.items())]


def _values(growing: list[Growth], years: float, after: bool, crossing: dict[str, float],
            bounds: dict[str, list[tuple[float, bool]]]) -> tuple[dict[str, float], dict[str, float]]:
    """The growing attributes at a moment: their values as shown, and the values conditions are read at
    (for a moment just after a value, a number attribute a little above it: below the next boundary)."""
    shown: dict[str, float] = {}
    read: dict[str, float] = {}
    for g in growing:
        value = crossing.get(g.name, g.value(years))
        shown[g.name] = value
        if after and not g.whole:
            above = [v for v, _ in bounds.get(g.name, ()) if v > value]
            step = (min(above) - value) / 2 if above else 0.5
            value = min(value + step, g.top) if g.top > value else value
        read[g.name] = value
    return shown, read


def follow(index: CaseIndex, persona: Persona, reach: Any) -> tuple[Moment, ...]:
    """The persona at every later moment its growing attributes cross a boundary.

    ``reach(persona, eligible, terms)`` gives what a persona can obtain (the views' own
    reach, with windows where the case has them); moments whose conditions read the same
    share one evaluation.
    """
    from .personas import eligibility, persona_terms

    growing = growing_attributes(index, persona)
    if not growing:
        return ()
    horizon = float(index.case.horizon_years if index.case.horizon_years is not None else DEFAULT_HORIZON_YEARS)
    bounds = boundaries(index)
    goals = list(persona.goal_ids)
    seen: dict[Any, tuple[dict[str, bool], dict[str, tuple[str, ...]], frozenset[str]]] = {}
    out: list[Moment] = []
    for years, after, crossing in _moments(index, growing, horizon):
        shown, read = _values(growing, years, after, crossing, bounds)
        later = persona.model_copy(update={"attributes": {**persona.attributes, **read}})
        eligible, excluded = eligibility(index, later)
        terms = persona_terms(index, later)
        failing = frozenset(r for rules in excluded.values() for r in rules)
        key = (failing, terms.skipped, tuple(sorted(terms.gives.items())))
        if key not in seen:
            # Only the desks on the way to the goals can change whether they are reached.
            way = eligible.intersection(closure(index, goals, terms=terms).touchpoints)
            fix, _ = reach(index, later, way, terms)
            # In case order: which way the walk went first (by days, where windows count) says nothing.
            givers = {goal: tuple(index.in_case_order(t for t in fix.usable if goal in terms.produces(index, t)))
                      for goal in goals}
            seen[key] = ({goal: goal in fix.obtained for goal in goals}, givers, failing)
        reachable, givers, failing = seen[key]
        out.append(Moment(years, shown, dict(reachable), after, tuple(crossing), failing, givers))
    return tuple(out)


# ---------------------------------------------------------------- transition_gap


def find_transition_gaps(ctx: Context) -> list[Finding]:
    """``transition_gap``: a goal reachable now that a later moment takes out of reach."""
    findings = []
    index = ctx.index
    for view in ctx.views.values():
        if not view.ahead:
            continue
        growing = {g.name: g for g in growing_attributes(index, view.persona)}
        for goal, now_ok in view.goals_reachable.items():
            if not now_ok:
                continue
            ok_before = True
            failing_before = _failing_now(view)
            moments = view.ahead
            for i, moment in enumerate(moments):
                ok = moment.goals_reachable.get(goal, False)
                if ok_before and not ok:
                    end = next((j for j in range(i + 1, len(moments)) if moments[j].goals_reachable.get(goal)), None)
                    findings.append(_gap(ctx, view, goal, growing, i, end, failing_before))
                ok_before = ok
                failing_before = moment.failing
    return findings


def _failing_now(view: Any) -> frozenset[str]:
    return frozenset(r for rules in view.excluded_by.values() for r in rules)


def _gap(ctx: Context, view: Any, goal: str, growing: dict[str, Any], start: int, end: int | None,
         failing_before: frozenset[str]) -> Finding:
    moments = view.ahead
    first = moments[start]
    last = moments[end] if end is not None else None
    region: dict[str, Any] = {}
    for name, g in growing.items():
        low = first.attributes[name]
        bound: dict[str, Any] = {"above": low} if first.after and not g.whole and name in first.crossing else {
            "min": low}
        if last is not None:
            if g.whole:
                high = g.value_before(last.in_years) if name in last.crossing else last.attributes[name]
                bound["max"] = max(high, low)
            elif name in last.crossing:
                bound["max" if last.after else "below"] = last.attributes[name]
            else:
                bound["max"] = last.attributes[name]
        else:
            horizon = float(ctx.index.case.horizon_years if ctx.index.case.horizon_years is not None
                            else DEFAULT_HORIZON_YEARS)
            bound["max"] = g.value(horizon)
        region[name] = {k: _num(v) for k, v in bound.items()}
    flipped = set(first.failing ^ failing_before)
    if last is not None and end is not None:
        flipped |= last.failing ^ moments[end - 1].failing
    # Only the rules on the way to this goal open and close it.
    on_the_way = {r for t in closure(ctx.index, [goal]).touchpoints for r in ctx.index.touchpoints[t].rules}
    rules = sorted(flipped & on_the_way)
    takers = list(last.givers.get(goal, ())) if last is not None and last.givers else []
    # The desks that gave the goal until the moment it is lost.
    if start > 0 and moments[start - 1].givers is not None:
        before = list(moments[start - 1].givers.get(goal, ()))
    else:
        # in case order, as the moments' givers
        before = ctx.index.in_case_order(t for t in view.usable_order if goal in view.terms.produces(ctx.index, t))
    key = "+".join(f"{name}-{_num(first.attributes[name])}" for name in first.crossing) or "later"
    return ctx.finding(
        "transition_gap", [view.id, goal, key],
        nodes=[goal, *rules, *takers],
        personas=[view.id],
        actors=ctx.owners([t for t in (*before, *takers) if t], rules),
        rules=rules,
        region=region,
        facts={"persona": view.id, "goal": goal, "starts": first.in_years, "ends": last.in_years if last else None,
               "start": dict(first.attributes), "end": dict(last.attributes) if last else None,
               "crossing": list(first.crossing), "end_crossing": list(last.crossing) if last else [],
               "after": first.after, "end_after": last.after if last else False,
               "takers": takers, "horizon": ctx.index.case.horizon_years or DEFAULT_HORIZON_YEARS,
               "whole": {name: g.whole for name, g in growing.items()}},
    )


def _when(say: Speaker | Words, years: float, whole: bool) -> str:
    """'within a year', 'within 3 years' (a whole number: at the latest then), 'in 2.5 years'."""
    if whole:
        if years < 1 - 1e-9:  # months out of care: a quarter of a year is three months, not "a year"
            return say.say_n("within a month", "within {n} months", max(1, math.ceil(years * 12 - 1e-9)))
        return say.say_n("within a year", "within {n} years", max(1, math.ceil(years - 1e-9)))
    if _is_whole(years):
        return say.say_n("in a year", "in {n} years", round(years))
    return say.say("in {years} years", years=say.number(round(years, 2)))


def _ahead(say: Speaker | Words, years: float) -> str:
    """'the year ahead', 'the 4 years ahead', 'the 2.5 years ahead' (the horizon, as a sentence holds it)."""
    if _is_whole(years) and years >= 1:
        return say.say_n("the year ahead", "the {n} years ahead", round(years))
    return say.say("the {years} years ahead", years=say.number(round(years, 2)))


def _is_whole(years: float) -> bool:
    return abs(years - round(years)) < 1e-9


@dataclass(frozen=True)
class Change:
    """What changes for a persona at a moment ahead, in words: when, at which values, goals lost and regained."""

    when: str
    values: str
    lost: tuple[str, ...]
    gained: tuple[str, ...]

    def line(self, say: Words) -> str:
        """'within a year (age 18): loses supervised housing'."""
        parts = []
        if self.lost:
            parts.append(say.say("loses {goals}", goals=say.list(self.lost)))
        if self.gained:
            parts.append(say.say("gets {goals}", goals=say.list(self.gained)))
        return say.say("{when} ({values}): {changes}", when=self.when, values=self.values,
                       changes="; ".join(parts))


def road_ahead(index: CaseIndex, persona: Persona, now: dict[str, bool], moments: Iterable[Moment],
               say: Words) -> list[Change]:
    """The moments ahead at which a goal is lost or regained, in words (the others change nothing)."""
    attributes = index.case.attributes
    whole = {name: isinstance(attributes.get(name), IntegerAttribute) for name in attributes}
    before = dict(now)
    out = []
    for moment in moments:
        lost = tuple(index.name(g) for g, ok in moment.goals_reachable.items() if before.get(g) and not ok)
        gained = tuple(index.name(g) for g, ok in moment.goals_reachable.items() if ok and not before.get(g))
        before = dict(moment.goals_reachable)
        if not lost and not gained:
            continue
        values = say.list([_value_words(say, attribute_label(name, attributes.get(name)), value,
                                        moment.after and name in moment.crossing and not whole.get(name, True))
                           for name, value in moment.attributes.items()],
                          limit=len(moment.attributes) or 1)
        is_whole = all(whole.get(name, True) for name in moment.crossing)
        out.append(Change(_when(say, moment.in_years, is_whole), values, lost, gained))
    return out


def _value_words(say: Speaker | Words, attribute: str, value: float, past: bool) -> str:
    """'age 18'; 'income above 1300' for a moment just ``past`` the value."""
    if past:
        return say.say("{attribute} above {value}", attribute=attribute, value=say.number(value))
    return say.say("{attribute} {value}", attribute=attribute, value=say.number(value))


def _reaching(say: Speaker, values: dict[str, float], names: Iterable[str], after: bool = False) -> str:
    """'age 18 and months out of care 12'; with ``after``, a number attribute just past its value
    ('income above 1300')."""
    attributes = say.index.case.attributes
    parts = [_value_words(say, attribute_label(name, attributes.get(name)), values[name],
                          after and not isinstance(attributes.get(name), IntegerAttribute)) for name in names]
    return say.words.list(parts, limit=len(parts) or 1)


def say_transition_gap(finding: Finding, say: Speaker) -> Said:
    """The words of a ``transition_gap``."""
    facts = finding.facts
    persona, goal = say.name(facts["persona"]), say.name(facts["goal"])
    whole = all(facts["whole"].get(n, True) for n in facts["crossing"])
    starts = _when(say, facts["starts"], whole)
    change = _reaching(say, facts["start"], facts["crossing"], facts.get("after", False))
    title = say.say("{persona} loses {goal} at {change}", persona=persona, goal=goal, change=change)
    if facts["ends"] is not None:
        until = _reaching(say, facts["end"], facts["end_crossing"] or facts["crossing"], facts.get("end_after", False))
        takers = say.names(facts["takers"]) if facts["takers"] else say.say("nobody")
        years = round(facts["ends"] - facts["starts"], 2)
        takers_n = max(len(facts["takers"]), 1)
        # "1 year later", "2.5 years later"; and one desk "takes over", two "take over".
        later = say.say_n("{years} year later", "{years} years later", 1 if years == 1 else 2,
                          years=say.number(years))
        # Said before the call: pybabel takes a `say.` inside say_n's arguments for the call's name.
        region = describe_region(say.index.case.attributes, finding.region or {}, say.words)
        explanation = say.say_n(
            "At {change} ({starts}), nobody gives {persona} {goal} any more, until {until}, {later}, when "
            "{takers} takes over. In between: {region}.",
            "At {change} ({starts}), nobody gives {persona} {goal} any more, until {until}, {later}, when "
            "{takers} take over. In between: {region}.", takers_n,
            change=change, starts=starts, persona=persona, goal=goal, until=until, later=later, takers=takers,
            region=region)
    else:
        explanation = say.say(
            "At {change} ({starts}), nobody gives {persona} {goal} any more, and nothing takes over in "
            "{ahead}. From then on: {region}.",
            change=change, starts=starts, persona=persona, goal=goal, ahead=_ahead(say, float(facts["horizon"])),
            region=describe_region(say.index.case.attributes, finding.region or {}, say.words))
    explanation += " " + say.say("Who could change it: {owners}.", owners=say.names(finding.actors))
    return title, explanation, []
