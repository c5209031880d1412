"""What every finding pass shares: the index and the persona views."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..findings import Finding, Trail, slug_part
from .graph import CaseIndex
from .personas import PersonaView

__all__ = ["Context"]


@functools.cache
def _severity_of(kind: str) -> str:
    from .kinds import severity_of  # the table of kinds imports the detectors, which import this

    return severity_of(kind)


@dataclass
class Context:
    """One analysis run: the indexed case and every persona's view."""

    index: CaseIndex
    views: dict[str, PersonaView]
    #: The lists of personas, actors and rules the findings hold, each once: the same people and
    #: owners come back in finding after finding (a large case has a hundred thousand findings).
    _lists: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict, repr=False)

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
        return tuple(pid for pid, view in self.views.items() if not view.relevant.isdisjoint(wanted))

    def finding(
        self,
        kind: str,
        key: Sequence[str],
        *,
        nodes: Iterable[str] = (),
        personas: Iterable[str] = (),
        actors: Iterable[str] = (),
        rules: Iterable[str] = (),
        region: dict[str, Any] | None = None,
        severity: str | None = None,
        causes: Iterable[str] = (),
        trails: Iterable[Trail] = (),
        facts: dict[str, Any] | None = None,
    ) -> Finding:
        """A finding whose id is derived from its kind and ``key`` (its content), without words yet.

        ``facts`` hold what its words are made of (ids and values); the engine says it in a
        language once every finding is found (:mod:`.wording`).
        """
        finding = object.__new__(Finding)
        # Set one by one, as the frozen dataclass's own __init__ would but without its call: a large
        # case makes tens of thousands of findings (``test_kinds`` checks the two agree).
        put = object.__setattr__
        put(finding, "id", "/".join([kind, *map(slug_part, key)]))
        put(finding, "kind", kind)
        put(finding, "severity", severity or _severity_of(kind))
        put(finding, "title", "")
        put(finding, "explanation", "")
        put(finding, "nodes", _distinct(nodes))
        put(finding, "personas", self._shared(personas))
        put(finding, "actors", self._shared(actors))
        put(finding, "rules", self._shared(rules))
        put(finding, "region", region)
        put(finding, "accepted", None)
        put(finding, "layers", ())
        put(finding, "evidence", ())
        put(finding, "causes", tuple(causes))
        put(finding, "trails", tuple(trails))
        put(finding, "facts", facts or {})
        return finding

    def _shared(self, items: Iterable[str]) -> tuple[str, ...]:
        """``items`` once each, in order, as the one tuple of them the findings share."""
        lists = self._lists
        if type(items) is tuple:  # a tuple handed on again (a desk's owners, for each of its referrals)
            found = lists.get(items)
            if found is not None:
                return found
        distinct = _distinct(items)
        return lists.setdefault(distinct, distinct)


def _distinct(items: Iterable[str]) -> tuple[str, ...]:
    """The items once each, in order."""
    if isinstance(items, (list, tuple)) and len(items) < 2:
        return tuple(items)
    return tuple(dict.fromkeys(items))
