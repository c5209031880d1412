"""Interventions: apply changes to a copy of a case, and compare before with after.

A Kafkabrigade review ends in an action plan: for each problem, a change and
an owner. An intervention is such a change written into the case. Applying
it never touches the original case; comparing analyses both and reports
what was resolved, what is new, and how each persona's burden changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .analysis.engine import Analysis, analyze
from .analysis.regions import Space
from .errors import Issue, KafkaToolError, Loc, closest, did_you_mean, shown
from .findings import Finding, json_number
from .i18n import phrase, words
from .model import (
    AddOutcome,
    AddProduces,
    AddReferral,
    AddRequirement,
    AddTouchpoint,
    AnyOfRequirement,
    Case,
    DocRequirement,
    Exchange,
    Intervention,
    Persona,
    ProducedOutcome,
    RemoveProduces,
    RemoveReferral,
    RemoveRequirement,
    RemoveTouchpoint,
    SetActor,
    SetCost,
    SetDays,
    SetEffort,
    SetOwner,
    SetValue,
    SetWhen,
    SetWindow,
    Touchpoint,
    change_kind,
    produced_document,
    produced_documents,
    requirement_alternatives,
)

__all__ = [
    "InterventionError",
    "UnknownIntervention",
    "Change",
    "Comparison",
    "Matched",
    "PersonaChange",
    "Score",
    "apply_intervention",
    "apply_interventions",
    "resolve_intervention_ids",
    "compare",
    "match_findings",
    "persona_change",
    "persona_state",
    "rank",
    "ranking_json",
]


class InterventionError(KafkaToolError):
    """A change that does not fit the case, located by its path in the case file."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(phrase("{message} ({hint})", message=issue.message, hint=issue.hint) if issue.hint
                         else issue.message)
        self.issue = issue


def _listed(key: str, ids: Sequence[str]) -> str:
    """The hint that lists what a touchpoint has under ``key``: "requires: a, b" ("nothing" for none)."""
    return phrase("{key}: {ids}", key=key, ids=", ".join(ids)) if ids else phrase("{key}: nothing", key=key)


class _Applier:
    def __init__(self, case: Case, intervention: Intervention, position: int) -> None:
        self.case = case
        self.intervention = intervention
        self.position = position

    def fail(self, j: int, kind: str, message: str, hint: str | None = None) -> InterventionError:
        loc: Loc = ("interventions", self.position, "changes", j, kind)
        return InterventionError(Issue(loc, phrase("intervention {id}, change {n} ({kind}): {message}",
                                                   id=shown(self.intervention.id), n=j + 1, kind=kind,
                                                   message=message), hint))

    def touchpoint(self, j: int, kind: str, tp_id: str) -> Touchpoint:
        tp = self.case.touchpoint(tp_id)
        if tp is None:
            raise self.fail(j, kind, phrase("there is no touchpoint {id}", id=shown(tp_id)),
                            did_you_mean(tp_id, [t.id for t in self.case.touchpoints], phrase("touchpoints")))
        return tp

    def apply(self) -> None:
        for j, change in enumerate(self.intervention.changes):
            kind = change_kind(change)
            getattr(self, kind)(j, kind, getattr(change, kind))

    # One method per change kind -------------------------------------------

    def remove_requirement(self, j: int, kind: str, args: Any) -> None:
        tp = self.touchpoint(j, kind, args.touchpoint)
        kept: list[Any] = []
        removed = False
        for item in tp.requires:
            alternatives = requirement_alternatives(item)
            if args.document not in alternatives:
                kept.append(item)
                continue
            removed = True
            rest = [d for d in alternatives if d != args.document]
            if isinstance(item, AnyOfRequirement) and rest:
                kept.append(item.model_copy(update={"any_of": rest}))
        if not removed:
            raise self.fail(j, kind, phrase("touchpoint {id} does not require {document}", id=shown(tp.id),
                                            document=shown(args.document)),
                            _listed("requires", [d for i in tp.requires for d in requirement_alternatives(i)]))
        tp.requires = kept

    def add_requirement(self, j: int, kind: str, args: Any) -> None:
        tp = self.touchpoint(j, kind, args.touchpoint)
        # Only a document required on its own is required already: one that is an alternative
        # in an ``any_of`` group becomes mandatory by this change.
        required = {alternatives[0] for i in tp.requires if len(alternatives := requirement_alternatives(i)) == 1}
        options = {key: value for key, value in (("rule", args.rule), ("when", args.when)) if value is not None}
        if args.document is not None:
            if args.document in required:
                raise self.fail(j, kind, phrase("touchpoint {id} already requires {document}", id=shown(tp.id),
                                                document=shown(args.document)))
            item: Any = DocRequirement(doc=args.document, **options) if options else args.document
        else:
            item = AnyOfRequirement(any_of=list(args.any_of), **options)
        tp.requires = [*tp.requires, item]

    def add_produces(self, j: int, kind: str, args: Any) -> None:
        tp = self.touchpoint(j, kind, args.touchpoint)
        if args.when is None and args.document in [p for p in tp.produces if isinstance(p, str)]:
            raise self.fail(j, kind, phrase("touchpoint {id} already produces {document}", id=shown(tp.id),
                                            document=shown(args.document)))
        item: Any = args.document if args.when is None else ProducedOutcome(doc=args.document, when=args.when)
        tp.produces = [*tp.produces, item]

    def remove_produces(self, j: int, kind: str, args: Any) -> None:
        tp = self.touchpoint(j, kind, args.touchpoint)
        made = produced_documents(tp.produces)
        if args.document not in made:
            raise self.fail(j, kind, phrase("touchpoint {id} does not produce {document}", id=shown(tp.id),
                                            document=shown(args.document)), _listed("produces", made))
        # Every outcome that gives the document goes.
        tp.produces = [p for p in tp.produces if produced_document(p) != args.document]

    def add_referral(self, j: int, kind: str, args: Any) -> None:
        tp = self.touchpoint(j, kind, args.touchpoint)
        self.touchpoint(j, kind, args.to)
        if args.to in tp.refers_to:
            raise self.fail(j, kind, phrase("touchpoint {id} already refers to {to}", id=shown(tp.id),
                                            to=shown(args.to)))
        tp.refers_to = [*tp.refers_to, args.to]

    def remove_referral(self, j: int, kind: str, args: Any) -> None:
        tp = self.touchpoint(j, kind, args.touchpoint)
        if args.to not in tp.refers_to:
            raise self.fail(j, kind, phrase("touchpoint {id} does not refer to {to}", id=shown(tp.id),
                                            to=shown(args.to)), _listed("refers_to", tp.refers_to))
        tp.refers_to = [t for t in tp.refers_to if t != args.to]

    def set_when(self, j: int, kind: str, args: Any) -> None:
        rule = self.case.rule(args.rule)
        if rule is None:
            raise self.fail(j, kind, phrase("there is no rule {id}", id=shown(args.rule)),
                            did_you_mean(args.rule, [r.id for r in self.case.rules], phrase("rules")))
        rule.when = dict(args.when)
        if args.when_any is not None:
            rule.when_any = [dict(when) for when in args.when_any]

    def set_actor(self, j: int, kind: str, args: Any) -> None:
        tp = self.touchpoint(j, kind, args.touchpoint)
        if args.actor is not None and self.case.actor(args.actor) is None:
            raise self.fail(j, kind, phrase("there is no actor {id}", id=shown(args.actor)),
                            did_you_mean(args.actor, [a.id for a in self.case.actors], phrase("actors")))
        tp.actor = args.actor

    def exchange(self, j: int, kind: str, args: Any) -> None:
        tp = self.touchpoint(j, kind, args.touchpoint)
        present = {d for i in tp.requires for d in requirement_alternatives(i)}
        if args.document not in present:
            raise self.fail(j, kind, phrase("touchpoint {id} does not require {document}, so there is nothing to "
                                            "exchange", id=shown(tp.id), document=shown(args.document)))
        if args.document in tp.fetches:
            raise self.fail(j, kind, phrase("touchpoint {id} already fetches {document} itself", id=shown(tp.id),
                                            document=shown(args.document)))
        tp.fetches = [*tp.fetches, args.document]

    def set_days(self, j: int, kind: str, args: Any) -> None:
        self.touchpoint(j, kind, args.touchpoint).days = args.days

    def set_cost(self, j: int, kind: str, args: Any) -> None:
        self.touchpoint(j, kind, args.touchpoint).cost = args.cost

    def _items_of(self, j: int, kind: str, tp: Touchpoint, document: str) -> list[int]:
        """The positions of the requirement items of ``tp`` that ``document`` meets; none is an error."""
        found = [k for k, item in enumerate(tp.requires) if document in requirement_alternatives(item)]
        if not found:
            required = [d for i in tp.requires for d in requirement_alternatives(i)]
            best = closest(document, required)
            raise self.fail(j, kind, phrase("touchpoint {id} does not require {document}", id=shown(tp.id),
                                            document=shown(document)),
                            phrase("did you mean {name}?", name=shown(best)) if best is not None
                            else _listed("requires", required))
        return found

    def _set_item(self, tp: Touchpoint, positions: list[int], **update: Any) -> None:
        """Give the items at ``positions`` new keys, writing a plain id as ``{doc: id}`` where needed."""
        items = list(tp.requires)
        for k in positions:
            item = items[k]
            if isinstance(item, str):
                item = DocRequirement(doc=item)
            fields = {**item.model_dump(by_alias=True, exclude_unset=True), **update}
            fields = {key: value for key, value in fields.items() if value is not None}
            cls = type(item)
            plain = isinstance(item, DocRequirement) and set(fields) == {"doc"}
            items[k] = fields["doc"] if plain else cls.model_validate(fields)
        tp.requires = items

    def set_effort(self, j: int, kind: str, args: Any) -> None:
        tp = self.touchpoint(j, kind, args.touchpoint)
        if args.document is None:
            tp.effort_hours = args.effort_hours
            return
        self._set_item(tp, self._items_of(j, kind, tp, args.document), effort_hours=args.effort_hours)

    def set_window(self, j: int, kind: str, args: Any) -> None:
        tp = self.touchpoint(j, kind, args.touchpoint)
        self._set_item(tp, self._items_of(j, kind, tp, args.document), within_days=args.within_days)

    def set_value(self, j: int, kind: str, args: Any) -> None:
        document = self.case.document(args.document)
        if document is None:
            raise self.fail(j, kind, phrase("there is no document {id}", id=shown(args.document)),
                            did_you_mean(args.document, [d.id for d in self.case.documents], phrase("documents")))
        document.value = args.value.model_copy(deep=True) if args.value is not None else None

    def set_owner(self, j: int, kind: str, args: Any) -> None:
        rule = self.case.rule(args.rule)
        if rule is None:
            raise self.fail(j, kind, phrase("there is no rule {id}", id=shown(args.rule)),
                            did_you_mean(args.rule, [r.id for r in self.case.rules], phrase("rules")))
        if args.owner is not None and self.case.actor(args.owner) is None:
            raise self.fail(j, kind, phrase("there is no actor {id}", id=shown(args.owner)),
                            did_you_mean(args.owner, [a.id for a in self.case.actors], phrase("actors")))
        rule.owner = args.owner

    def add_outcome(self, j: int, kind: str, args: Any) -> None:
        tp = self.touchpoint(j, kind, args.touchpoint)
        tp.produces = [*tp.produces, ProducedOutcome(doc=args.doc, when=dict(args.when))]

    def add_touchpoint(self, j: int, kind: str, args: Touchpoint) -> None:
        taken = {e.id for group in (self.case.actors, self.case.documents, self.case.rules,
                                    self.case.touchpoints, self.case.personas) for e in group}
        if args.id in taken:
            raise self.fail(j, kind, phrase("id {id} is already used in the case", id=shown(args.id)),
                            phrase("give the new touchpoint an id of its own"))
        self.case.touchpoints = [*self.case.touchpoints, args.model_copy(deep=True)]

    def remove_touchpoint(self, j: int, kind: str, tp_id: str) -> None:
        self.touchpoint(j, kind, tp_id)
        self.case.touchpoints = [t for t in self.case.touchpoints if t.id != tp_id]
        for other in self.case.touchpoints:
            if tp_id in other.refers_to:
                other.refers_to = [t for t in other.refers_to if t != tp_id]


# Keep the model classes referenced so that a new change kind without a method is noticed.
_HANDLED = (RemoveRequirement, AddRequirement, AddProduces, RemoveProduces, AddReferral, RemoveReferral,
            SetWhen, SetActor, Exchange, AddTouchpoint, RemoveTouchpoint, SetDays, SetCost, SetEffort, SetWindow,
            SetValue, SetOwner, AddOutcome)


class UnknownIntervention(KafkaToolError):
    """An intervention named (``--intervention``) that the case does not have, in the case's language."""


def resolve_intervention_ids(case: Case, spec: str) -> list[str]:
    """``"all"``, one id, or ``"a,b"``: the intervention ids, checked against the case.

    Raises :class:`UnknownIntervention`, in the case's language, for an id the case does not have.
    """
    say = words(case.language)
    if spec == "all":
        if not case.interventions:
            raise UnknownIntervention(say.say("case {case} has no interventions", case=shown(case.id)))
        return [i.id for i in case.interventions]
    ids = [part.strip() for part in spec.split(",") if part.strip()]
    known = [i.id for i in case.interventions]
    for n, ident in enumerate(ids):
        if ident not in known:
            hint = did_you_mean(ident, known, say.say("interventions"), say) or ""
            raise UnknownIntervention(say.say("no intervention {id} in case {case}; {hint}", id=shown(ident),
                                              case=shown(case.id), hint=hint).rstrip("; "))
        if ident in ids[:n]:
            raise UnknownIntervention(say.say("intervention {id} is named twice in {spec}; name each once",
                                              id=shown(ident), spec=shown(spec)))
    if not ids:
        raise UnknownIntervention(say.say("name an intervention (or several, separated by commas, or 'all')"))
    return ids


def apply_intervention(case: Case, intervention_id: str) -> Case:
    """A copy of ``case`` with one intervention's changes applied."""
    return apply_interventions(case, [intervention_id])


def apply_interventions(case: Case, intervention_ids: Sequence[str]) -> Case:
    """A copy of ``case`` with the interventions' changes applied in order.

    The original case is never changed. Raises :class:`InterventionError`
    naming the intervention and the change when a change does not fit.
    """
    copy = case.model_copy(deep=True)
    positions = {i.id: n for n, i in enumerate(case.interventions)}
    for ident in intervention_ids:
        if ident not in positions:
            raise KafkaToolError(f"no intervention {shown(ident)} in case {shown(case.id)}")
        _Applier(copy, case.interventions[positions[ident]], positions[ident]).apply()
    return copy


@dataclass(frozen=True)
class PersonaChange:
    """One persona's goals and burden before and after."""

    id: str
    before: dict[str, Any]
    after: dict[str, Any]
    #: how many people a year are in the persona's situation (its ``population``; 1 without one)
    people: float = 1

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "before": self.before, "after": self.after}

    @property
    def goals_gained(self) -> int:
        return sum(1 for g, ok in self.after["goals_reachable"].items()
                   if ok and not self.before["goals_reachable"].get(g, False))

    @property
    def goals_lost(self) -> int:
        return sum(1 for g, ok in self.before["goals_reachable"].items()
                   if ok and not self.after["goals_reachable"].get(g, False))

    @property
    def unblocked(self) -> bool:
        """Whether at least one of the persona's goals goes from out of reach to within reach."""
        return self.goals_gained > 0

    @property
    def blocked(self) -> bool:
        """Whether at least one of the persona's goals goes from within reach to out of reach."""
        return self.goals_lost > 0

    @property
    def hours_saved(self) -> float:
        """The hours the people in the persona's situation save in a year: people × (hours before − after)."""
        return self.people * float(self.before["burden"]["hours"] - self.after["burden"]["hours"])


class Score(NamedTuple):
    """What an intervention achieves; :meth:`order` says how scores are ranked.

    The first three are the ranking of CASE_FORMAT.md ("Burden as the Standard Cost Model
    measures it"); the others break ties. Accepted findings count neither way.
    """

    people_unblocked: float  #: the people a year of the personas it unblocks (a persona without a population: 1)
    critical_resolved: int  #: critical findings resolved
    hours_saved: float  #: hours saved a year, over every persona: people × (hours before − after)
    people_blocked: float  #: the people a year of the personas for whom a goal goes out of reach
    net: int  #: findings resolved, less introduced
    shrunk: int  #: findings made smaller, less made larger
    days: float  #: days saved by personas whose goals stay the same
    cost: float  #: cost saved by them

    def order(self) -> tuple[float, ...]:
        """The sort key, best first: more people unblocked, critical findings resolved and hours saved,
        then fewer people blocked, then more findings resolved (net), made smaller, days and cost saved."""
        return (-self.people_unblocked, -self.critical_resolved, -self.hours_saved, self.people_blocked,
                -self.net, -self.shrunk, -self.days, -self.cost)


#: What makes two findings with the same id the same finding: what it is about, and how bad.
_CONTENT = ("severity", "nodes", "personas", "actors", "rules", "region", "causes")
_SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}


@dataclass(frozen=True)
class Change:
    """A finding that is there before and after (the same id), but no longer the same: it shrank or grew."""

    before: Finding
    after: Finding
    #: 1 when the finding's region (the people it concerns) became strictly smaller, -1 when it
    #: became strictly larger, 0 when it stayed, has none, or neither holds the other
    region_size: int = 0
    #: the words for the elements and root causes that came or went: id -> name (a cause: its title)
    names: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def id(self) -> str:
        return self.before.id

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "before": self.before.to_json(), "after": self.after.to_json()}

    @property
    def direction(self) -> int:
        """1 when the finding became smaller (less severe, fewer personas, fewer nodes or causes, or
        else a region inside the one before), -1 when it grew, 0 when it changed without either."""
        def size(f: Finding) -> tuple[int, int, int, int]:
            return _SEVERITY_RANK.get(f.severity, 0), len(f.personas), len(f.causes), len(f.nodes)

        before, after = size(self.before), size(self.after)
        return 1 if after < before else -1 if after > before else self.region_size

    def differences(self) -> list[tuple[str, Any, Any]]:
        """What changed: (field, before, after), for the fields that make a finding what it is."""
        out = []
        for name in _CONTENT:
            was, now = getattr(self.before, name), getattr(self.after, name)
            if name in ("nodes", "personas", "actors", "rules", "causes"):
                if set(was) != set(now):
                    out.append((name, was, now))
            elif was != now:
                out.append((name, was, now))
        return out


def _changed(before: Finding, after: Finding) -> bool:
    return bool(Change(before, after).differences())


@dataclass(frozen=True)
class Matched:
    """Two analyses' findings matched by id: only before, only after, in both but changed, the same."""

    resolved: list[Finding]
    introduced: list[Finding]
    changed: list[Change]
    stayed: list[Finding]


def match_findings(before: Analysis, after: Analysis) -> Matched:
    """The findings of ``before`` and ``after`` matched by id (each list in its analysis's order)."""
    before_ids = {f.id for f in before.findings}
    after_by_id = {f.id: f for f in after.findings}
    both = [(f, after_by_id[f.id]) for f in before.findings if f.id in after_by_id]
    titles: dict[str, str] = {}  # every finding's title by its id, made when a changed cause first needs one
    return Matched(
        resolved=[f for f in before.findings if f.id not in after_by_id],
        introduced=[f for f in after.findings if f.id not in before_ids],
        changed=[Change(was, now, _region_size(before.case, was, now), _names(before, after, was, now, titles))
                 for was, now in both if _changed(was, now)],
        stayed=[now for was, now in both if not _changed(was, now)],
    )


def _names(before: Analysis, after: Analysis, was: Finding, now: Finding, titles: dict[str, str]) -> dict[str, str]:
    """The names of the elements and the titles of the root causes that differ between ``was`` and ``now``
    (an element added by an intervention is named by the case after it, one removed by the case before).
    ``titles`` holds every finding's title by its id, filled on first need and shared by the calls."""
    names: dict[str, str] = {}
    for ident in set(was.nodes).symmetric_difference(now.nodes):
        named = after.index.name(ident)
        names[ident] = named if named != ident else before.index.name(ident)
    causes = set(was.causes).symmetric_difference(now.causes)
    if causes and not titles:
        titles.update((f.id, f.title) for analysis in (before, after) for f in analysis.findings)
    names.update((cause, titles[cause]) for cause in causes if cause in titles)
    return names


def _region_size(case: Case, before: Finding, after: Finding) -> int:
    """1 when ``after``'s region lies strictly inside ``before``'s, -1 when it strictly holds it, else 0
    (also when either has none, or a region names an attribute the case does not declare)."""
    if before.region is None or after.region is None or before.region == after.region:
        return 0
    try:
        space = Space(case.attributes)
        was, now = space.from_regions([before.region]), space.from_regions([after.region])
    except ValueError:
        return 0
    inside, holds = now.issubset(was), was.issubset(now)
    return 1 if inside and not holds else -1 if holds and not inside else 0


@dataclass
class Comparison:
    """What an intervention (or several) resolves and introduces, and for whom."""

    case: Case
    intervention_ids: list[str]
    before: Analysis
    after: Analysis
    resolved: list[Finding]
    introduced: list[Finding]
    personas: list[PersonaChange]
    #: findings there before and after, but smaller or larger
    changed: list[Change] = field(default_factory=list)

    @property
    def label(self) -> str:
        return ",".join(self.intervention_ids)

    def to_json(self) -> dict[str, Any]:
        """The ``kafka-compare/1`` object of CASE_FORMAT.md."""
        return {
            "format": "kafka-compare/1",
            "case": self.case.id,
            "intervention": self.label,
            "resolved": [f.to_json() for f in self.resolved],
            "introduced": [f.to_json() for f in self.introduced],
            "changed": [c.to_json() for c in self.changed],
            "personas": [p.to_json() for p in self.personas],
        }

    def score(self) -> Score:
        """What it achieves (see :class:`Score`)."""
        # Accepted findings no longer count against the case, nor for an intervention.
        resolved = self.counted(self.resolved)
        introduced = self.counted(self.introduced)
        same_goals = [p for p in self.personas if p.goals_gained == 0 and p.goals_lost == 0]
        return Score(
            people_unblocked=sum(p.people for p in self.personas if p.unblocked),
            critical_resolved=sum(1 for f in resolved if f.severity == "critical"),
            hours_saved=sum(p.hours_saved for p in self.personas),
            people_blocked=sum(p.people for p in self.personas if p.blocked),
            net=len(resolved) - len(introduced),
            shrunk=sum(c.direction for c in self.changed if c.after.accepted is None),
            days=sum(p.before["burden"]["days"] - p.after["burden"]["days"] for p in same_goals),
            cost=sum(p.before["burden"]["cost"] - p.after["burden"]["cost"] for p in same_goals),
        )

    @staticmethod
    def counted(findings: list[Finding]) -> list[Finding]:
        """The findings that count for or against an intervention: those not accepted."""
        return [f for f in findings if f.accepted is None]

    def ranking_json(self) -> dict[str, Any]:
        """The intervention's entry in the ``kafka-ranking/1`` object."""
        score = self.score()
        return {
            "intervention": self.label,
            "people_unblocked": json_number(score.people_unblocked),
            "critical_resolved": score.critical_resolved,
            "hours_saved_per_year": json_number(score.hours_saved),
            "resolved": len(self.counted(self.resolved)),
            "introduced": len(self.counted(self.introduced)),
        }

    def expected_check(self) -> dict[str, bool]:
        """For each finding kind the case expects these interventions to resolve: whether they do."""
        kinds = {f.kind for f in self.resolved}
        expected: list[str] = []
        for ident in self.intervention_ids:
            intervention = self.case.intervention(ident)
            if intervention is not None:
                expected.extend(intervention.expected_resolves)
        return {kind: kind in kinds for kind in dict.fromkeys(expected)}


def persona_state(analysis: Analysis, persona_id: str) -> dict[str, Any]:
    """A persona's goals, burden and yearly burden in ``analysis``, as the comparison's JSON has them."""
    result = next(p for p in analysis.personas if p.id == persona_id)
    return {"goals_reachable": dict(result.goals_reachable), "burden": result.burden.to_json(),
            "annual": None if result.annual is None else result.annual.to_json()}


def persona_change(before: Analysis, after: Analysis, persona: Persona) -> PersonaChange:
    """What became of ``persona`` between the two analyses, counted for the people it stands for."""
    return PersonaChange(persona.id, persona_state(before, persona.id), persona_state(after, persona.id),
                         1.0 if persona.population is None else persona.population.per_year)


def compare(case: Case, intervention_ids: Sequence[str], before: Analysis | None = None) -> Comparison:
    """Analyse the case before and after the interventions; match findings by id.

    A finding with the same id before and after whose content differs (fewer personas, a
    smaller region, another severity) is ``changed``; one only before is resolved, one only
    after is introduced.
    """
    before = before if before is not None else analyze(case)
    after = analyze(apply_interventions(case, intervention_ids))
    matched = match_findings(before, after)
    return Comparison(
        case=case,
        intervention_ids=list(intervention_ids),
        before=before,
        after=after,
        resolved=matched.resolved,
        introduced=matched.introduced,
        personas=[persona_change(before, after, p) for p in case.personas],
        changed=matched.changed,
    )


def rank(comparisons: Sequence[Comparison]) -> list[Comparison]:
    """Interventions ranked by what they achieve (:meth:`Score.order`; equals by id): the action plan a
    review can start from."""
    return sorted(comparisons, key=lambda c: (c.score().order(), c.label))


def ranking_json(case: Case, comparisons: Sequence[Comparison]) -> dict[str, Any]:
    """The ``kafka-ranking/1`` object of CASE_FORMAT.md: the interventions ranked, best first."""
    return {
        "format": "kafka-ranking/1",
        "case": case.id,
        "ranking": [c.ranking_json() for c in rank(comparisons)],
    }
