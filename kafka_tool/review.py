"""The review table: for the meeting with every organisation, what each one can act on.

Per actor, grouped by layer (in the order of :data:`~kafka_tool.model.LAYERS`): the active
findings it can act on, the rules it owns that cause findings, and the interventions it owns
with their status and dates. Accepted findings are left out: the team has weighed them. Every
actor of the case has its row, also one with nothing to act on, so that the table shows who is
at the table and who is not needed there.
"""

from __future__ import annotations

from dataclasses import dataclass

from .analysis.engine import Analysis
from .findings import Finding
from .model import LAYERS, Actor, Intervention, Rule

__all__ = ["ActorRow", "LayerGroup", "review_table"]


@dataclass(frozen=True)
class ActorRow:
    """One organisation at the table."""

    actor: Actor
    #: the active findings it can act on, in the order every output uses
    findings: tuple[Finding, ...]
    #: the rules it owns that cause active findings, each with the ids of those findings
    rules: tuple[tuple[Rule, tuple[str, ...]], ...]
    #: the interventions it owns, in the case's order
    interventions: tuple[Intervention, ...]

    @property
    def cross_layer(self) -> tuple[Finding, ...]:
        """Its findings that span two or more layers: those it cannot solve alone."""
        return tuple(f for f in self.findings if f.spans_layers)

    @property
    def idle(self) -> bool:
        """Whether it has nothing to act on, no rule that causes a finding and no intervention."""
        return not (self.findings or self.rules or self.interventions)


@dataclass(frozen=True)
class LayerGroup:
    """The actors of one layer."""

    layer: str
    rows: tuple[ActorRow, ...]


def review_table(analysis: Analysis) -> list[LayerGroup]:
    """The review table of an analysed case: one group a layer that has actors, one row an actor.

    Examples
    --------
    >>> from kafka_tool.analysis.engine import analyze
    >>> from kafka_tool.model import Case
    >>> case = Case.model_validate({
    ...     "format": "kafka-case/1", "id": "c", "title": "C",
    ...     "actors": [{"id": "bank", "name": "Bank", "kind": "bank"},
    ...                {"id": "town", "name": "Town", "kind": "municipality"}],
    ...     "documents": [{"id": "address", "name": "Address"}, {"id": "account", "name": "Account"}],
    ...     "touchpoints": [
    ...         {"id": "open", "name": "Open account", "actor": "bank",
    ...          "requires": ["address"], "produces": ["account"]},
    ...         {"id": "register", "name": "Register", "actor": "town",
    ...          "requires": ["account"], "produces": ["address"]}],
    ...     "personas": [{"id": "amira", "name": "Amira", "goals": ["account"]}]})
    >>> [(g.layer, [r.actor.id for r in g.rows]) for g in review_table(analyze(case))]
    [('gemeente', ['town']), ('private', ['bank'])]
    """
    case = analysis.case
    active = [f for f in analysis.findings if f.accepted is None]
    caused: dict[str, list[str]] = {}
    for finding in active:
        for rule_id in finding.rules:
            caused.setdefault(rule_id, []).append(finding.id)
    groups: dict[str, list[ActorRow]] = {}
    for actor in case.actors:
        rules = tuple((rule, tuple(dict.fromkeys(caused[rule.id])))
                      for rule in case.rules if rule.owner == actor.id and rule.id in caused)
        row = ActorRow(
            actor=actor,
            findings=tuple(f for f in active if actor.id in f.actors),
            rules=rules,
            interventions=tuple(i for i in case.interventions if i.owner == actor.id),
        )
        groups.setdefault(actor.the_layer, []).append(row)
    return [LayerGroup(layer, tuple(groups[layer])) for layer in LAYERS if layer in groups]
