"""Run every analysis on a case and apply the case's accepted findings."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ..findings import Finding, PersonaResult
from ..model import LAYERS, Case
from .context import Context
from .graph import CaseIndex
from .kinds import KINDS
from .personas import PersonaView, persona_view
from .wording import say_findings

__all__ = ["Analysis", "analyze", "layers_of"]


@dataclass
class Analysis:
    """The result of analysing a case: findings, personas, and stale acceptances."""

    case: Case
    findings: list[Finding]
    personas: list[PersonaResult]
    views: dict[str, PersonaView]
    index: CaseIndex
    #: ``accepted`` entries whose finding no longer occurs
    stale_accepted: list[str] = field(default_factory=list)
    #: seconds per analysis family ("index", "personas", and each finding kind)
    timings: dict[str, float] = field(default_factory=dict)

    def finding(self, finding_id: str) -> Finding | None:
        """The finding with this id, or None."""
        return next((f for f in self.findings if f.id == finding_id), None)

    def for_persona(self, persona_id: str) -> list[Finding]:
        """Findings that concern this persona (or no persona in particular)."""
        return [f for f in self.findings if not f.personas or persona_id in f.personas]

    def active(self) -> list[Finding]:
        """Findings not accepted by the team."""
        return [f for f in self.findings if f.accepted is None]


def _unique(findings: list[Finding]) -> list[Finding]:
    """``findings`` with every id once: the second and later of an id (in the order of their kinds,
    then as found) become ``id~2``, ``id~3``. The order is kept (the report sorts them anyway)."""
    from dataclasses import replace

    places: dict[str, list[int]] = {}
    for i, finding in enumerate(findings):
        places.setdefault(finding.id, []).append(i)
    out = list(findings)
    for places_of_id in places.values():
        if len(places_of_id) < 2:
            continue
        for n, i in enumerate(sorted(places_of_id, key=lambda i: findings[i].kind)[1:], start=2):
            out[i] = replace(findings[i], id=f"{findings[i].id}~{n}")
    return out


def layers_of(actors: tuple[str, ...], layer_of: dict[str, str]) -> tuple[str, ...]:
    """The layers ``actors`` belong to, each once, in the order of :data:`LAYERS`.

    >>> layers_of(("town", "svb", "town2"), {"town": "gemeente", "svb": "uitvoering", "town2": "gemeente"})
    ('gemeente', 'uitvoering')
    """
    found = {layer_of[a] for a in actors if a in layer_of}
    return tuple(layer for layer in LAYERS if layer in found)


def analyze(case: Case, language: str | None = None) -> Analysis:
    """Analyse a case: every persona's reach and every finding kind, said in ``language``
    (by default the case's own).

    Examples
    --------
    >>> from kafka_tool.model import Case
    >>> case = Case.model_validate({
    ...     "format": "kafka-case/1", "id": "c", "title": "C",
    ...     "actors": [{"id": "bank", "name": "Bank"}, {"id": "town", "name": "Town"}],
    ...     "documents": [{"id": "address", "name": "Address"}, {"id": "account", "name": "Account"}],
    ...     "touchpoints": [
    ...         {"id": "open", "name": "Open account", "actor": "bank",
    ...          "requires": ["address"], "produces": ["account"]},
    ...         {"id": "register", "name": "Register", "actor": "town",
    ...          "requires": ["account"], "produces": ["address"]}],
    ...     "personas": [{"id": "amira", "name": "Amira", "goals": ["account"]}]})
    >>> [f.id for f in analyze(case).findings if f.kind != "single_point_of_failure"]
    ['circular_dependency/account+address', 'dead_end/open', 'dead_end/register', 'unreachable_goal/amira/account']
    """
    timings: dict[str, float] = {}
    start = time.perf_counter()
    index = CaseIndex.build(case)
    timings["index"] = time.perf_counter() - start
    start = time.perf_counter()
    views = {p.id: persona_view(index, p) for p in case.personas}
    timings["personas"] = time.perf_counter() - start
    ctx = Context(index, views)
    findings: list[Finding] = []
    # The kinds that read the others' findings (the causes of an unreachable goal) run last.
    for kind in sorted(KINDS, key=lambda k: k.after):
        start = time.perf_counter()
        findings.extend(kind.detect(ctx, findings))
        timings[kind.name] = time.perf_counter() - start
    start = time.perf_counter()
    findings = say_findings(_unique(findings), index, language or case.language)
    timings["wording"] = time.perf_counter() - start
    # The findings are this analysis's own (say_findings set their words on them), so their layers
    # are set on them too: a dataclasses.replace of thousands of findings would cost as much as saying them.
    layer_of = {a.id: a.the_layer for a in case.actors}
    layers: dict[tuple[str, ...], tuple[str, ...]] = {}  # the same owners come back finding after finding
    for finding in findings:
        found = layers.get(finding.actors)
        if found is None:
            found = layers[finding.actors] = layers_of(finding.actors, layer_of)
        object.__setattr__(finding, "layers", found)
    accepted = {a.finding: a.reason for a in case.accepted}
    findings = [f.with_accepted(accepted[f.id]) if f.id in accepted else f for f in findings]
    findings.sort(key=lambda f: f.sort_key())
    present = {f.id for f in findings}
    stale = [a.finding for a in case.accepted if a.finding not in present]
    return Analysis(
        case=case,
        findings=findings,
        personas=[views[p.id].result(index) for p in case.personas],
        views=views,
        index=index,
        stale_accepted=stale,
        timings=timings,
    )
