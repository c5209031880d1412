"""Every finding kind, declared once: what it is called, how severe it is, what finds it,
whether it can block a goal, and how a diagram marks it.

Everything else reads this table: the engine runs the detectors in its order, the
unreachable-goal pass looks here for the kinds that are root causes, the terminal
interface lists the kinds to filter by, the exports style a finding by its mark and
write its legend entry, and the tests check that every kind has cases that have it and
cases that look alike but do not. Adding a kind means writing its detector and its
words, and one entry here.

A :class:`Mark` says which parts of a diagram a finding's evidence is drawn on (its
touchpoints, documents, the arrows along its trails, the rules on its touchpoints) and
under which name; the exports give each name its colour, line, legend line and the
words of its tag (``exports/theme.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..findings import SEVERITIES, Finding
from ..i18n import N_, Words
from .burden import (
    find_expiry_traps,
    find_no_owner,
    find_repeated_requests,
    say_expiry_trap,
    say_no_owner,
    say_repeated_request,
)
from .cycles import find_circular_dependencies, find_referral_loops, say_circular_dependency, say_referral_loop
from .deadlines import find_missed_deadlines, find_window_traps, say_missed_deadline, say_window_trap
from .eligibility import find_conflicting_rules, find_coverage_gaps, say_conflicting_rules, say_coverage_gap
from .journeys import find_journey_loops, say_journey_loop
from .money import find_benefit_cliffs, say_benefit_cliff
from .reach import (
    find_dead_ends,
    find_futile_referrals,
    find_single_points_of_failure,
    find_unobtainable_documents,
    find_unreachable_goals,
    say_dead_end,
    say_futile_referral,
    say_single_point_of_failure,
    say_unobtainable_document,
    say_unreachable_goal,
)
from .transitions import find_transition_gaps, say_transition_gap
from .wording import Wording

if TYPE_CHECKING:
    from .context import Context

__all__ = [
    "KINDS", "KIND_WORDS", "FindingKind", "Mark", "finding_kind", "kind_label", "kind_names", "root_cause_kinds",
    "severity_of",
]

#: The parts of a diagram a mark can be drawn on, all read from the finding's evidence: its
#: touchpoints and documents (or the first of each); ``trail_arrows``, the arrows along its
#: trails (a document to the touchpoint it is made at, a touchpoint to the document it needs
#: or to the touchpoint it refers to); ``requirement_arrows``, those that carry its documents
#: into its touchpoints; and the lines of its rules: on its own touchpoints (``rule_lines``),
#: wherever they are drawn (``every_rule_line``), or those nobody owns (``unowned_rule_lines``).
Part = Literal["touchpoints", "first_touchpoint", "documents", "first_document", "trail_arrows",
               "requirement_arrows", "rule_lines", "every_rule_line", "unowned_rule_lines"]


@dataclass(frozen=True)
class Mark:
    """How a diagram shows a finding: ``name`` styles it, ``parts`` say what it is drawn on.

    ``tag`` names a written tag that goes with the mark (the words are the exports'), so
    that colour is never the only sign; it is written on ``tag_parts`` (every part when
    empty).
    """

    name: str
    parts: tuple[Part, ...]
    tag: str | None = None
    tag_parts: tuple[Part, ...] = ()


Detector = Callable[["Context"], list[Finding]]
#: A detector that reads the findings of the kinds before it (``unreachable_goal`` names its causes).
AfterDetector = Callable[["Context", list[Finding]], list[Finding]]


@dataclass(frozen=True)
class FindingKind:
    """One kind of finding.

    ``severity`` is the usual severity; ``escalation``, when set, says in plain words when
    a finding of the kind is more severe (its detector decides). ``root_cause``: a finding
    of this kind can keep a persona from a goal, and is named as a cause of
    ``unreachable_goal``. ``find`` finds every finding of the kind, without words; ``say``
    words one (see :mod:`.wording`). A kind whose detector reads the other kinds' findings
    (``after``) runs last and is given them.
    """

    name: str
    severity: str
    summary: str
    find: Detector | AfterDetector
    say: Wording
    mark: Mark | None
    root_cause: bool = False
    escalation: str | None = None
    after: bool = False

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"{self.name}: unknown severity {self.severity!r}")

    def detect(self, ctx: Context, others: list[Finding]) -> list[Finding]:
        """Every finding of this kind (``others``: the findings of the kinds run before, for an ``after`` kind)."""
        if self.after:
            return self.find(ctx, others)  # type: ignore[call-arg]
        return self.find(ctx)  # type: ignore[call-arg]


#: Every finding kind, in the order the engine runs them.
KINDS: tuple[FindingKind, ...] = (
    FindingKind(
        "circular_dependency", "critical",
        "a document a persona cannot obtain because obtaining it needs, through a chain, the document itself",
        find_circular_dependencies, say_circular_dependency,
        Mark("cycle", ("touchpoints", "documents", "trail_arrows"), tag="cycle", tag_parts=("trail_arrows",)),
        root_cause=True,
    ),
    FindingKind(
        "referral_loop", "high",
        "touchpoints that refer to each other in a circle: from pillar to post",
        find_referral_loops, say_referral_loop,
        Mark("loop", ("trail_arrows",), tag="loop"),
        escalation="critical when no touchpoint on the loop can help a persona for whom it is relevant",
    ),
    FindingKind(
        "dead_end", "critical",
        "a touchpoint that cannot help a persona and refers nowhere that can",
        find_dead_ends, say_dead_end,
        Mark("dead_end", ("first_touchpoint",), tag="dead_end"),
        root_cause=True,
    ),
    FindingKind(
        "unobtainable_document", "critical",
        "a document that is asked for, but that no touchpoint issues and nobody has",
        find_unobtainable_documents, say_unobtainable_document,
        Mark("unobtainable", ("documents",), tag="unobtainable"),
        root_cause=True,
    ),
    FindingKind(
        "coverage_gap", "critical",
        "a region of the attribute space that no touchpoint issuing a goal serves: between the cracks",
        find_coverage_gaps, say_coverage_gap,
        Mark("gap", ("every_rule_line", "documents"), tag="gap"),
        root_cause=True,
    ),
    FindingKind(
        "futile_referral", "high",
        "a referral to a touchpoint that gives nothing the first asks for or offers",
        find_futile_referrals, say_futile_referral,
        Mark("futile", ("trail_arrows",), tag="futile"),
    ),
    FindingKind(
        "conflicting_rules", "high",
        "rules that can never hold together, on a touchpoint or on the only way to a goal",
        find_conflicting_rules, say_conflicting_rules,
        Mark("conflict", ("rule_lines",), tag="conflict"),
        root_cause=True,
    ),
    FindingKind(
        "no_owner", "high",
        "a touchpoint without an actor, or a rule without an owner: nobody is responsible",
        find_no_owner, say_no_owner,
        Mark("no_owner", ("touchpoints", "unowned_rule_lines"), tag="no_owner", tag_parts=("touchpoints",)),
        root_cause=True,
    ),
    FindingKind(
        "repeated_request", "medium",
        "the same document asked of the citizen by touchpoints of two or more organisations",
        find_repeated_requests, say_repeated_request,
        Mark("repeated", ("first_document",), tag="repeated"),
    ),
    FindingKind(
        "single_point_of_failure", "medium",
        "a touchpoint without which a persona's goal becomes unreachable",
        find_single_points_of_failure, say_single_point_of_failure,
        None,
    ),
    FindingKind(
        "expiry_trap", "high",
        "a touchpoint that takes longer than a document it requires stays valid",
        find_expiry_traps, say_expiry_trap,
        Mark("expiry", ("requirement_arrows",), tag="expiry"),
    ),
    FindingKind(
        "journey_loop", "high",
        "a reconstructed journey that comes back to a touchpoint or organisation it already visited",
        find_journey_loops, say_journey_loop,
        None,
    ),
    FindingKind(
        "missed_deadline", "critical",
        "a goal a persona can reach, but only after the day it is needed by",
        find_missed_deadlines, say_missed_deadline,
        Mark("late", ("touchpoints", "documents"), tag="late", tag_parts=("documents",)),
    ),
    FindingKind(
        "window_trap", "critical",
        "a touchpoint's window on a requirement closes before the persona can hold its other items",
        find_window_traps, say_window_trap,
        Mark("window", ("first_touchpoint", "requirement_arrows"), tag="window", tag_parts=("first_touchpoint",)),
        root_cause=True,
    ),
    FindingKind(
        "transition_gap", "critical",
        "a goal a persona can reach now that becomes unreachable as a growing attribute (age) crosses a boundary",
        find_transition_gaps, say_transition_gap,
        Mark("transition", ("every_rule_line", "documents"), tag="transition", tag_parts=("documents",)),
    ),
    FindingKind(
        "benefit_cliff", "high",
        "one more unit of a money attribute (income) lowers a persona's means: earning more leaves them with less",
        find_benefit_cliffs, say_benefit_cliff,
        Mark("cliff", ("every_rule_line", "documents"), tag="cliff", tag_parts=("documents",)),
    ),
    FindingKind(
        "unreachable_goal", "critical",
        "a goal a persona cannot reach, with its root causes",
        find_unreachable_goals, say_unreachable_goal,
        None,
        after=True,
    ),
)

_BY_NAME = {kind.name: kind for kind in KINDS}


def finding_kind(name: str) -> FindingKind:
    """The kind called ``name``; KeyError naming the known kinds when there is none."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown finding kind {name!r}; kinds: {', '.join(_BY_NAME)}") from None


def kind_names() -> tuple[str, ...]:
    """Every kind's name, in the engine's order.

    Examples
    --------
    >>> kind_names()[:3]
    ('circular_dependency', 'referral_loop', 'dead_end')
    """
    return tuple(_BY_NAME)


def severity_of(name: str) -> str:
    """The usual severity of a kind.

    Examples
    --------
    >>> severity_of("repeated_request")
    'medium'
    """
    return finding_kind(name).severity


def root_cause_kinds() -> tuple[str, ...]:
    """The kinds that can keep a persona from a goal (named as causes of ``unreachable_goal``)."""
    return tuple(kind.name for kind in KINDS if kind.root_cause)


#: What each kind of finding is called, for people (a message of the catalogue).
KIND_WORDS: dict[str, str] = {
    "circular_dependency": N_("circular requirement"),
    "referral_loop": N_("referral loop"),
    "dead_end": N_("dead end"),
    "unobtainable_document": N_("unobtainable document"),
    "coverage_gap": N_("coverage gap"),
    "futile_referral": N_("futile referral"),
    "conflicting_rules": N_("conflicting rules"),
    "no_owner": N_("no owner"),
    "repeated_request": N_("repeated request"),
    "single_point_of_failure": N_("single point of failure"),
    "expiry_trap": N_("expiry trap"),
    "journey_loop": N_("journey loop"),
    "missed_deadline": N_("missed deadline"),
    "window_trap": N_("window trap"),
    "transition_gap": N_("transition gap"),
    "benefit_cliff": N_("benefit cliff"),
    "unreachable_goal": N_("unreachable goal"),
}


def kind_label(kind: str, say: Words) -> str:
    """A finding kind as people read it: 'dead end', 'doodlopend loket'."""
    return say.say(KIND_WORDS[kind]) if kind in KIND_WORDS else kind.replace("_", " ")
