"""Findings: what the analysis reports, with its evidence.

A finding's ``id`` is derived from its kind and content, never from order or
hashing, so that a team can track it across runs, machines and versions of a
case (``coverage_gap/social_assistance/age-0-17``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = [
    "SEVERITIES",
    "Finding",
    "Trail",
    "Burden",
    "Annual",
    "PersonaResult",
    "json_number",
    "severity_rank",
    "slug_part",
]

#: Severities, most severe first.
SEVERITIES = ("critical", "high", "medium", "low")

_RANKS = {severity: rank for rank, severity in enumerate(SEVERITIES)}


def severity_rank(severity: str) -> int:
    """0 for critical, 1 for high, ...; used to sort and for ``--fail-on``."""
    rank = _RANKS.get(severity)
    return SEVERITIES.index(severity) if rank is None else rank  # an unknown one raises as index does


_UNSAFE = re.compile(r"[^A-Za-z0-9_.+-]+")
_SAFE = re.compile(r"[A-Za-z0-9_.+][A-Za-z0-9_.+-]*")


@functools.lru_cache(maxsize=1 << 16)
def slug_part(text: str) -> str:
    """Text made safe for use inside a finding id."""
    if _SAFE.fullmatch(text) and not text.endswith("-"):
        return text  # an id already is (the usual case, thousands of times an analysis)
    return _UNSAFE.sub("-", text).strip("-") or "x"


@dataclass(frozen=True, slots=True)
class Trail:
    """A way through the case that a finding is about, as data: the circle of a circular
    requirement or a referral loop, the referrals followed from a dead end, a journey.

    ``closed``: the last node leads back to the first (a circle).
    """

    nodes: tuple[str, ...]
    closed: bool = False


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem the analysis found, with its evidence.

    ``nodes`` lists every touchpoint, document, actor or rule the finding is
    about (to highlight); ``personas`` who are affected; ``actors`` and
    ``rules`` who or what could change it; ``region`` is set for coverage
    gaps, in the vocabulary of ``when``.

    Its fields are slots, not a dictionary: a large case has a hundred thousand findings, and
    a dictionary each would take 360 bytes more.
    """

    id: str
    kind: str
    severity: str
    title: str
    explanation: str
    nodes: tuple[str, ...] = ()
    personas: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    region: dict[str, Any] | None = None
    accepted: str | None = None
    #: The layers of its actors (``rijk``, ``gemeente``, ...), each once, in the order of ``LAYERS``.
    layers: tuple[str, ...] = ()
    #: Extra evidence for people (an evidence chain, a cap that was hit); not in the JSON contract.
    evidence: tuple[str, ...] = ()
    #: Ids of the findings that cause this one (for unreachable_goal).
    causes: tuple[str, ...] = ()
    #: The ways through the case the finding is about (circles, chains), for drawing.
    trails: tuple[Trail, ...] = ()
    #: What the words of the finding are made from: ids and values, never prose, so that the
    #: finding can be said in any language (see :mod:`kafka_tool.analysis.wording`).
    facts: dict[str, Any] = field(default_factory=dict, compare=False)

    def with_accepted(self, reason: str | None) -> Finding:
        """This finding marked as accepted for ``reason``."""
        return replace(self, accepted=reason)

    def sort_key(self) -> tuple[int, str, str]:
        """Severity first, then kind, then id: the order every output uses."""
        return (severity_rank(self.severity), self.kind, self.id)

    def to_json(self) -> dict[str, Any]:
        """The finding as in the JSON contract (``kafka-findings/1``)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "severity": self.severity,
            "title": self.title,
            "explanation": self.explanation,
            "nodes": list(self.nodes),
            "personas": list(self.personas),
            "actors": list(self.actors),
            "rules": list(self.rules),
            "region": self.region,
            "accepted": self.accepted,
            "layers": list(self.layers),
        }

    @property
    def spans_layers(self) -> bool:
        """Whether its actors belong to two or more layers: a problem no single layer can solve."""
        return len(self.layers) >= 2


@dataclass(frozen=True)
class Burden:
    """What reaching the goals costs a persona, along its plan: the burden of one person."""

    steps: int = 0
    actors: int = 0
    #: the days of the plan's steps added up, one after another
    days: float = 0
    cost: float = 0
    #: the day by which every reachable goal can be held, with steps side by side where they can be
    elapsed_days: float = 0
    #: the citizen's own time along the plan: each step's ``effort_hours`` and those of the items
    #: it asks of the persona (an item the actor fetches costs none)
    hours: float = 0
    #: the hours at the case's ``hour_value``; None when the case sets none (its time is not priced)
    hours_cost: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {"steps": self.steps, "actors": self.actors, "days": json_number(self.days),
                "cost": json_number(self.cost), "elapsed_days": json_number(self.elapsed_days),
                "hours": json_number(self.hours),
                "hours_cost": None if self.hours_cost is None else json_number(self.hours_cost)}


@dataclass(frozen=True)
class Annual:
    """The burden of everyone in a persona's situation in a year: the Standard Cost Model's P × Q.

    ``people`` a year (the persona's ``population``), their ``hours`` (people × hours) and
    what it costs them (people × (cost + hours cost); without an ``hour_value`` the hours
    are not priced and the cost is people × cost).
    """

    people: float
    hours: float
    cost: float

    @classmethod
    def of(cls, people: float, burden: Burden) -> Annual:
        """The burden of ``people`` a year, each bearing ``burden``."""
        return cls(people, people * burden.hours, people * (burden.cost + (burden.hours_cost or 0)))

    def to_json(self) -> dict[str, Any]:
        return {"people": json_number(self.people), "hours": json_number(self.hours), "cost": json_number(self.cost)}


def json_number(value: float) -> int | float:
    """A number as the JSON output writes it: a whole number without ``.0`` (5, 2.5)."""
    return int(value) if float(value).is_integer() else value


@dataclass(frozen=True)
class PersonaResult:
    """What a persona can obtain and reach, its plan and its burden."""

    id: str
    goals_reachable: dict[str, bool]
    obtainable: tuple[str, ...]
    plan: tuple[str, ...]
    burden: Burden
    #: the burden of everyone in the persona's situation in a year (None: the persona has no ``population``)
    annual: Annual | None = None
    #: goal -> the earliest day the persona can hold it (None: unreachable)
    earliest_days: dict[str, float | None] = field(default_factory=dict)
    #: the persona followed forward in time: one entry per moment a growing attribute crosses a boundary
    ahead: tuple[dict[str, Any], ...] = ()
    #: money attribute -> the persona's means along it, interval by interval
    means: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "goals_reachable": dict(self.goals_reachable),
            "earliest_days": {g: None if d is None else json_number(d) for g, d in self.earliest_days.items()},
            "obtainable": list(self.obtainable),
            "plan": list(self.plan),
            "burden": self.burden.to_json(),
            "annual": None if self.annual is None else self.annual.to_json(),
            "ahead": list(self.ahead),
            "means": {name: list(intervals) for name, intervals in self.means.items()},
        }
