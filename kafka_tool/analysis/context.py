"""What every finding pass shares: the index, the persona views, the words."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..findings import Finding, slug_part
from .graph import CaseIndex
from .personas import PersonaView
from .texts import join_names, say

__all__ = ["Context"]


@dataclass
class Context:
    """One analysis run: the indexed case and every persona's view."""

    index: CaseIndex
    views: dict[str, PersonaView]

    @property
    def language(self) -> str:
        return self.index.case.language

    def say(self, key: str, **values: Any) -> str:
        return say(self.language, key, **values)

    def names(self, ids: Iterable[str], word: str = "and") -> str:
        """Human names of elements, joined: 'the bank, the municipality and UWV'."""
        return join_names(self.language, [self.index.name(i) for i in ids], word)

    def persona_names(self, ids: Iterable[str]) -> str:
        return join_names(self.language, [self.index.name(i) for i in ids])

    def owners(
        self, touchpoints: Iterable[str] = (), rules: Iterable[str] = (), extra: Iterable[str] = ()
    ) -> tuple[str, ...]:
        """The actors who could change something: touchpoints' actors and rules' owners."""
        actors: list[str] = list(extra)
        for tp_id in touchpoints:
            actor = self.index.actor_of(tp_id)
            if actor:
                actors.append(actor)
        for rule_id in rules:
            rule = self.index.rules.get(rule_id)
            if rule is not None and rule.owner:
                actors.append(rule.owner)
        return tuple(dict.fromkeys(actors))

    def affected(self, touchpoints: Iterable[str]) -> tuple[str, ...]:
        """Personas for whom any of these touchpoints is relevant, in case order."""
        wanted = set(touchpoints)
        return tuple(pid for pid, view in self.views.items() if wanted & view.relevant)

    def finding(
        self,
        kind: str,
        key: Sequence[str],
        *,
        title: str,
        explanation: str,
        nodes: Iterable[str] = (),
        personas: Iterable[str] = (),
        actors: Iterable[str] = (),
        rules: Iterable[str] = (),
        region: dict[str, Any] | None = None,
        severity: str | None = None,
        evidence: Iterable[str] = (),
        causes: Iterable[str] = (),
    ) -> Finding:
        """A finding whose id is derived from its kind and ``key`` (its content)."""
        from .kinds import severity_of  # the table of kinds imports the detectors, which import this
        ident = "/".join([kind, *(slug_part(k) for k in key)])
        return Finding(
            id=ident,
            kind=kind,
            severity=severity or severity_of(kind),
            title=title,
            explanation=" ".join(explanation.split()),
            nodes=tuple(dict.fromkeys(nodes)),
            personas=tuple(dict.fromkeys(personas)),
            actors=tuple(dict.fromkeys(actors)),
            rules=tuple(dict.fromkeys(rules)),
            region=region,
            evidence=tuple(evidence),
            causes=tuple(causes),
        )
