"""The elements of a diagram, before they are drawn: boxes, arrows, rule lines, lanes.

A view (:mod:`exports.views`) builds a :class:`Diagram` from an analysis and puts
*marks* on its elements (a mark is a name: ``dead_end``, ``obtainable``, ``removed``)
and written *tags* (text the view has already said in the case's language). What a
mark looks like is the theme's business (:mod:`exports.theme`); turning the scene into
DOT is the writer's (:mod:`exports.dot`). This module holds no words and no colours.

A label lists at most :data:`LABEL_TAGS` tags and a box at most :data:`LABEL_RULES`
rules; what is left out is counted, and the writer says "… and N more" in the case's
language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kafka_tool.errors import KafkaToolError

__all__ = [
    "LABEL_RULES",
    "LABEL_TAGS",
    "NOBODY",
    "Diagram",
    "DiagramTooLarge",
    "Edge",
    "UnknownChoice",
    "ExportError",
    "Node",
    "RuleLine",
    "Tag",
    "doc_key",
    "tp_key",
]

#: Written tags a box, a rule line or an arrow lists; the rest are counted ("… and 3 more").
LABEL_TAGS = 5
#: Rules a box lists (those with a mark first); the rest are counted ("… and 3 more rules").
LABEL_RULES = 8

NOBODY = "~nobody"  # a lane key no actor id can have (ids are slugs)

#: A written tag: its text (already in the case's language) and its tone (``bad``, ``warn``,
#: ``good``, ``info``, ``muted``, ``loop``, ``window``), which the theme gives a colour.
Tag = tuple[str, str]


class ExportError(KafkaToolError):
    """An export that cannot be made as asked (unknown finding, persona, layer ...)."""


class UnknownChoice(ExportError):
    """A view names something the case does not have; ``option`` is the command-line option that named it."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option


class DiagramTooLarge(ExportError):
    """A diagram beyond one of the limits of the exports: too much DOT, or too much to lay out."""


def _add(items: list[Tag], entry: Tag, first: bool = False) -> int:
    """Add ``entry`` to a label's list once, keeping at most :data:`LABEL_TAGS`; 1 when one is left out.

    ``first`` puts it at the top (the list's last entry makes way for it). What is
    left out is counted, not remembered (that would cost what the cap saves): the
    same words added again once the list is full count again.
    """
    if entry in items:
        return 0
    if first:
        items.insert(0, entry)
        if len(items) > LABEL_TAGS:
            items.pop()
            return 1
        return 0
    if len(items) < LABEL_TAGS:
        items.append(entry)
        return 0
    return 1


def tp_key(ident: str) -> str:
    """The name of a touchpoint's box (ids are slugs, so it holds no colon, which DOT reads as a port)."""
    return f"t_{ident}"


def doc_key(ident: str) -> str:
    """The name of a document's box."""
    return f"d_{ident}"


@dataclass
class RuleLine:
    """A rule shown on a touchpoint it governs; ``owner`` is None when nobody owns it."""

    rule: str
    name: str
    owner: str | None
    marks: set[str] = field(default_factory=set)
    tags: list[Tag] = field(default_factory=list)
    #: tags left out of the label, to be counted in it
    hidden: int = 0

    def tag(self, text: str, tone: str) -> None:
        """Add a written tag once (counted, not listed, beyond :data:`LABEL_TAGS`)."""
        self.hidden += _add(self.tags, (text, tone))


@dataclass
class Node:
    """A box in the diagram: a touchpoint, a document, an ``any_of`` group or a journey step."""

    key: str
    kind: str
    ident: str
    name: str
    lane: str | None = None
    sub: str = ""
    rules: list[RuleLine] = field(default_factory=list)
    marks: set[str] = field(default_factory=set)
    tags: list[Tag] = field(default_factory=list)
    step: str = ""
    #: tags left out of the label, to be counted in it
    hidden: int = 0

    def tag(self, text: str, tone: str, first: bool = False) -> None:
        """Add a written tag once (counted, not listed, beyond :data:`LABEL_TAGS`); ``first`` puts it on top."""
        self.hidden += _add(self.tags, (text, tone), first)


@dataclass
class Edge:
    """An arrow: ``requires`` (document to touchpoint or group), ``alternative``, ``produces``, ``refers``,
    ``next`` and ``back`` (journey steps)."""

    tail: str
    head: str
    kind: str
    marks: set[str] = field(default_factory=set)
    labels: list[Tag] = field(default_factory=list)
    #: labels left out, to be counted on the arrow
    hidden: int = 0
    #: tags of marks whose line is their sign, written only once a finding of another mark shares the arrow
    quiet: list[Tag] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.tail, self.head, self.kind)

    def label(self, text: str, tone: str) -> None:
        """Add a written label once (counted, not listed, beyond :data:`LABEL_TAGS`)."""
        self.hidden += _add(self.labels, (text, tone))


@dataclass
class Diagram:
    """The elements of one diagram, before they become DOT.

    ``lanes`` maps an actor id to its name and what kind of organisation it is, in
    words (empty when that says nothing); ``legend`` lists the legend entries the
    diagram uses, in the order they came up.
    """

    language: str
    title: str
    #: the case's currency (ISO 4217): the legend's money sign is its
    currency: str = "EUR"
    lanes: dict[str, tuple[str, str]] = field(default_factory=dict)
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], Edge] = field(default_factory=dict)
    caption: list[str] = field(default_factory=list)
    legend: list[str] = field(default_factory=list)
    lane_marks: dict[str, set[str]] = field(default_factory=dict)
    show_legend: bool = True
    timeline: bool = False
    persona_name: str = ""
    #: groups of node keys laid out side by side at one rank (one day of a timeline), in order
    ranks: list[tuple[str, ...]] = field(default_factory=list)
    #: the legend lines this diagram starts with (None: those of its kind, see :mod:`exports.dot`)
    legend_first: tuple[str, ...] | None = None

    def add_node(self, node: Node) -> Node:
        return self.nodes.setdefault(node.key, node)

    def add_edge(self, edge: Edge) -> Edge:
        return self.edges.setdefault(edge.key, edge)

    def use(self, legend_key: str) -> None:
        """Explain ``legend_key`` in the legend."""
        if legend_key not in self.legend:
            self.legend.append(legend_key)

    @property
    def size(self) -> int:
        """Boxes and arrows: what the cost of laying the diagram out grows with."""
        return len(self.nodes) + len(self.edges)

    def to_dot(self, limit: int | None = None) -> str:
        """The diagram as DOT text; :class:`DiagramTooLarge` beyond ``limit`` bytes (see :mod:`exports.dot`)."""
        from . import dot  # the writer needs the scene; imported here, not at the top, to keep one direction

        return dot.write_dot(self, limit)
