"""The case graph and the indexes every analysis pass shares.

:func:`build_graph` turns a case into a typed ``networkx.MultiDiGraph``:
actors, touchpoints, documents, rules and personas as nodes (attribute
``type``), and ``operates``, ``requires``, ``produces``, ``refers_to``,
``governed_by``, ``owned_by``, ``has`` and ``goal`` as edges (attribute
``type``). A requirement in an ``any_of`` group carries its group number, so
that the alternatives stay recognisable. Exports and the TUI draw from it.

The passes themselves use :class:`CaseIndex`: plain dictionaries built in one
linear pass, which is what keeps the analysis fast on large cases.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..model import (
    AnyOfRequirement,
    Case,
    Document,
    Persona,
    Rule,
    Touchpoint,
    produced_document,
    produced_documents,
    produced_when,
    requirement_alternatives,
    requirement_rule,
    requirement_window,
)

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["CaseIndex", "Requirement", "build_graph", "NODE_TYPES", "EDGE_TYPES"]

NODE_TYPES = ("actor", "touchpoint", "document", "rule", "persona")
EDGE_TYPES = ("operates", "requires", "produces", "refers_to", "governed_by", "owned_by", "has", "goal")


@dataclass(slots=True)
class Requirement:
    """One requirement item of a touchpoint: any one of ``alternatives`` meets it.

    Read, never changed, once the index is made (not frozen: a frozen dataclass takes three
    times as long to make, and a large case has tens of thousands of items).
    """

    touchpoint: str
    index: int
    alternatives: tuple[str, ...]
    rule: str | None
    fetched: bool
    any_of: bool
    #: a number unique within the case, so that the fixpoint can mark items met cheaply
    uid: int = 0
    #: the item is asked only of the personas who meet this (None: of everyone)
    when: Any = None
    #: a window: the touchpoint must start within this many days of the item's earliest day
    window: float | None = None
    #: the citizen's hours gathering and handing over the item here (``effort_hours``; 0 when left out)
    effort: float = 0.0


@dataclass
class CaseIndex:
    """Lookups over one case, built once per analysis in linear time."""

    case: Case
    touchpoints: dict[str, Touchpoint] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    personas: dict[str, Persona] = field(default_factory=dict)
    actor_names: dict[str, str] = field(default_factory=dict)
    requirements: dict[str, list[Requirement]] = field(default_factory=dict)
    producers: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    #: document -> requirement items that it (as one alternative) meets
    satisfies: dict[str, list[Requirement]] = field(default_factory=lambda: defaultdict(list))
    referred_from: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    #: touchpoints that require nothing, in case order (they fire first in every fixpoint)
    free: list[str] = field(default_factory=list)
    #: touchpoints by the tuple of rules on them, in case order (eligibility is per rule set)
    by_rules: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    #: the touchpoints that have an actor
    staffed: frozenset[str] = frozenset()
    _next_steps: dict[bool, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = field(default_factory=dict)
    _names: dict[str, str] | None = None
    #: what the passes derive from the index once and share (the referral graph), by name
    memo: dict[str, Any] = field(default_factory=dict)
    #: document -> (item number, touchpoint) of every item it meets: the fixpoint's inner loop
    meets_items: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    #: touchpoint -> how many requirement items it has
    item_count: dict[str, int] = field(default_factory=dict)
    #: touchpoint -> every document it can give, under any outcome, in order
    produced: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: touchpoint -> its outcomes that only some get: (document, when), for touchpoints that have any
    outcomes: dict[str, tuple[tuple[str, Any], ...]] = field(default_factory=dict)
    #: requirement items asked only of some (with a ``when``)
    conditional_items: list[Requirement] = field(default_factory=list)
    #: requirement items with a window (``within_days``)
    windowed_items: list[Requirement] = field(default_factory=list)
    #: how many requirement items the case has: their numbers (``uid``) run from 1 to this
    items: int = 0

    @classmethod
    def build(cls, case: Case) -> CaseIndex:
        """Index ``case``."""
        index = cls(case)
        index.actor_names = {a.id: a.name for a in case.actors}
        index.documents = {d.id: d for d in case.documents}
        index.rules = {r.id: r for r in case.rules}
        index.personas = {p.id: p for p in case.personas}
        uid = 0
        # Local names for the tables: this loop runs once per requirement item of the case.
        satisfies, meets_items, requirements = index.satisfies, index.meets_items, index.requirements
        conditional, producers, referred_from = index.conditional_items, index.producers, index.referred_from
        for tp in case.touchpoints:
            tp_id = tp.id
            index.touchpoints[tp_id] = tp
            index.by_rules.setdefault(tuple(tp.rules), []).append(tp_id)
            if not tp.requires:
                index.free.append(tp_id)
            fetched = set(tp.fetches)
            items = []
            for i, item in enumerate(tp.requires):
                if isinstance(item, str):
                    alternatives: tuple[str, ...] = (item,)
                    rule = when = None
                    effort = 0.0
                else:
                    alternatives = requirement_alternatives(item)
                    rule, when = item.rule, item.when
                    effort = float(item.effort_hours or 0)
                uid += 1
                requirement = Requirement(
                    tp_id, i, alternatives, rule,
                    fetched=bool(fetched) and not fetched.isdisjoint(alternatives),
                    any_of=isinstance(item, AnyOfRequirement),
                    uid=uid,
                    when=when,
                    window=None if isinstance(item, str) else requirement_window(item),
                    effort=effort,
                )
                items.append(requirement)
                if when is not None:
                    conditional.append(requirement)
                if requirement.window is not None:
                    index.windowed_items.append(requirement)
                for doc in (alternatives if len(alternatives) == 1 else dict.fromkeys(alternatives)):
                    satisfies[doc].append(requirement)
                    entry = (uid, tp_id)
                    found = meets_items.get(doc)
                    if found is None:
                        meets_items[doc] = [entry]
                    else:
                        found.append(entry)
            requirements[tp_id] = items
            index.item_count[tp_id] = len(items)
            made = index.produced[tp_id] = produced_documents(tp.produces)
            for doc in made:
                producers[doc].append(tp_id)
            if any(produced_when(item) is not None for item in tp.produces):
                index.outcomes[tp_id] = tuple((produced_document(item), produced_when(item)) for item in tp.produces)
            for target in dict.fromkeys(tp.refers_to):
                referred_from[target].append(tp_id)
        index.staffed = frozenset(tp.id for tp in case.touchpoints if tp.actor)
        index.items = uid
        return index

    def next_steps(self, referrals: bool) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        """For every touchpoint: the documents its requirements name, and the touchpoints a walk
        back from it goes on to (their producers, and with ``referrals`` its referrals).

        Each entry is made the first time a walk asks for it and kept: the walks of one analysis
        go over the same part of the case, rarely all of it.
        """
        tables = self._next_steps
        if referrals not in tables:
            tables[referrals] = _NextSteps(self, referrals)
        return tables[referrals]

    # ------------------------------------------------------------ names for people

    def name(self, node: str) -> str:
        """The human name of any element id (falls back to the id)."""
        names = self._names
        if names is None:
            # One table, made on first use: saying thousands of findings asks for names often.
            names = {p.id: p.name for p in self.personas.values()}
            names.update(self.actor_names)
            names.update((r.id, r.name) for r in self.rules.values())
            names.update((d.id, d.name) for d in self.documents.values())
            names.update((t.id, t.name) for t in self.touchpoints.values())
            self._names = names
        return names.get(node, node)

    def items_by_uid(self) -> dict[int, Requirement]:
        """Every requirement item by its number (made once)."""
        found = self.memo.get("items_by_uid")
        if found is None:
            found = self.memo["items_by_uid"] = {req.uid: req for items in self.requirements.values()
                                                  for req in items}
        return found

    def in_case_order(self, touchpoints: Iterable[str]) -> list[str]:
        """``touchpoints`` in the order the case lists them (the table of places is made once)."""
        places = self.memo.get("positions")
        if places is None:
            places = self.memo["positions"] = {tp_id: i for i, tp_id in enumerate(self.touchpoints)}
        return sorted(touchpoints, key=places.__getitem__)

    def sorted_documents(self, documents: frozenset[str]) -> tuple[str, ...]:
        """``documents``, ids of the case's documents, sorted: read off the case's documents in id order
        (sorted once) where they are many, which is quicker than sorting each such set anew."""
        order = self.memo.get("documents_sorted")
        if order is None:
            order = self.memo["documents_sorted"] = sorted(self.documents)
        if len(documents) * 4 < len(order):
            return tuple(sorted(documents))
        found = tuple(doc for doc in order if doc in documents)
        return found if len(found) == len(documents) else tuple(sorted(documents))

    def days(self) -> dict[str, float]:
        """Every touchpoint's ``days`` as a number, 0 where left out (made once)."""
        found = self.memo.get("days")
        if found is None:
            found = self.memo["days"] = {tp_id: float(tp.days or 0) for tp_id, tp in self.touchpoints.items()}
        return found

    def windowed_touchpoints(self) -> frozenset[str]:
        """The touchpoints with a window on one of their items (made once)."""
        found = self.memo.get("windowed_touchpoints")
        if found is None:
            found = self.memo["windowed_touchpoints"] = frozenset(req.touchpoint for req in self.windowed_items)
        return found

    def actor_of(self, touchpoint: str) -> str | None:
        """The actor serving at a touchpoint, or None."""
        tp = self.touchpoints.get(touchpoint)
        return tp.actor if tp is not None else None

    def required_docs(self, touchpoint: str) -> set[str]:
        """Every document that appears in a touchpoint's requirements."""
        return {doc for req in self.requirements.get(touchpoint, ()) for doc in req.alternatives}


class _NextSteps(dict[str, tuple[tuple[str, ...], tuple[str, ...]]]):
    """The table of :meth:`CaseIndex.next_steps`, filled in as it is read."""

    def __init__(self, index: CaseIndex, referrals: bool) -> None:
        super().__init__()
        self.index = index
        self.referrals = referrals

    def __missing__(self, tp_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        index = self.index
        items = index.requirements[tp_id]
        if len(items) == 1 and len(items[0].alternatives) == 1:
            docs: tuple[str, ...] = items[0].alternatives
        else:
            docs = tuple(dict.fromkeys(doc for req in items for doc in req.alternatives))
        producers = index.producers
        nexts = [p for doc in docs for p in producers.get(doc, ())]
        if self.referrals:
            nexts.extend(t for t in index.touchpoints[tp_id].refers_to if t in index.touchpoints)
        entry = self[tp_id] = (docs, tuple(dict.fromkeys(nexts)))
        return entry


def build_graph(case: Case) -> nx.MultiDiGraph:
    """The typed graph of a case.

    Examples
    --------
    >>> from kafka_tool.model import Case
    >>> case = Case.model_validate({
    ...     "format": "kafka-case/1", "id": "c", "title": "C",
    ...     "actors": [{"id": "bank", "name": "Bank"}],
    ...     "documents": [{"id": "id_card", "name": "ID"}, {"id": "account", "name": "Account"}],
    ...     "touchpoints": [{"id": "open", "name": "Open", "actor": "bank",
    ...                      "requires": ["id_card"], "produces": ["account"]}]})
    >>> g = build_graph(case)
    >>> sorted((u, v, d["type"]) for u, v, d in g.edges(data=True))
    [('bank', 'open', 'operates'), ('open', 'account', 'produces'), ('open', 'id_card', 'requires')]
    """
    import networkx as nx  # only exports and the terminal interface need the full graph

    graph = nx.MultiDiGraph(case=case.id)
    for actor in case.actors:
        graph.add_node(actor.id, type="actor", label=actor.name)
    for document in case.documents:
        graph.add_node(document.id, type="document", label=document.name)
    for rule in case.rules:
        graph.add_node(rule.id, type="rule", label=rule.name)
        if rule.owner:
            graph.add_edge(rule.id, rule.owner, type="owned_by")
    for tp in case.touchpoints:
        graph.add_node(tp.id, type="touchpoint", label=tp.name)
    for persona in case.personas:
        graph.add_node(persona.id, type="persona", label=persona.name)
    for tp in case.touchpoints:
        if tp.actor:
            graph.add_edge(tp.actor, tp.id, type="operates")
        for rule_id in tp.rules:
            graph.add_edge(tp.id, rule_id, type="governed_by")
        for i, item in enumerate(tp.requires):
            alternatives = requirement_alternatives(item)
            for doc in alternatives:
                graph.add_edge(
                    tp.id, doc, type="requires", group=i, any_of=len(alternatives) > 1,
                    rule=requirement_rule(item), fetched=doc in tp.fetches,
                )
        for made in tp.produces:
            graph.add_edge(tp.id, produced_document(made), type="produces", when=produced_when(made))
        for target in tp.refers_to:
            graph.add_edge(tp.id, target, type="refers_to")
    for persona in case.personas:
        for doc in persona.has:
            graph.add_edge(persona.id, doc, type="has")
        for doc in persona.goal_ids:
            graph.add_edge(persona.id, doc, type="goal")
    return graph
