"""A finding drawn on a diagram: its kind's :class:`~kafka_tool.analysis.kinds.Mark`, applied.

The registry of finding kinds says, for each kind, which parts of a diagram its
evidence touches and under which mark name; this module finds those parts in a
:class:`~exports.scene.Diagram` and marks them, the same way for every kind. The parts:

``touchpoints``, ``documents``
    the finding's touchpoints and documents (its ``nodes``);
``first_touchpoint``, ``first_document``
    the first of them;
``trail_arrows``
    the arrows along the finding's trails (:attr:`~kafka_tool.findings.Finding.trails`):
    from a document to the touchpoint it is made at, from a touchpoint to the document it
    needs, from a touchpoint to the next it refers to. Circles and chains are drawn from
    what the analysis found, never searched for again;
``requirement_arrows``
    the arrows that carry the finding's documents into its touchpoints;
``rule_lines``
    the lines of the finding's rules on its own touchpoints;
``every_rule_line``
    the lines of the finding's rules wherever they are drawn;
``unowned_rule_lines``
    those of them that nobody owns.

The mark's tag is written in the case's language on the parts ``tag_parts`` names (all
of them by default), with the words and tone of the theme (:data:`exports.theme.MARKS`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property
from itertools import pairwise

from kafka_tool.analysis.engine import Analysis
from kafka_tool.analysis.kinds import Mark, finding_kind
from kafka_tool.analysis.regions import describe_region
from kafka_tool.findings import Finding
from kafka_tool.i18n import words

from .scene import Diagram, Edge, Node, RuleLine, doc_key, tp_key
from .theme import MARKS

__all__ = ["mark_finding", "requirement_edges", "short_name"]

Element = Node | Edge | RuleLine


def short_name(name: str) -> str:
    """A persona's name for a tag: what comes before the first comma or bracket of a long name.

    Examples
    --------
    >>> short_name("Yonas, 27, in an emergency shelter")
    'Yonas'
    >>> short_name("Fatima (bijstand, huurwoning)")
    'Fatima'
    >>> short_name("Jan, 58")
    'Jan, 58'
    """
    first = re.split(r",| \(", name, maxsplit=1)[0].strip()
    return first if first and len(name) > 20 else name


def requirement_edges(diagram: Diagram, doc: str, tp: str) -> list[Edge]:
    """The arrows that carry ``doc`` into ``tp`` (directly or through its ``any_of`` group)."""
    out = []
    direct = diagram.edges.get((doc_key(doc), tp_key(tp), "requires"))
    if direct is not None:
        out.append(direct)
    for edge in diagram.edges.values():
        if edge.kind == "alternative" and edge.tail == doc_key(doc):
            group = diagram.nodes[edge.head]
            if group.ident.split("#")[0] == tp:
                out.append(edge)
                out.append(diagram.edges[(group.key, tp_key(tp), "requires")])
    return out


class _Evidence:
    """What of a finding's evidence stands in a diagram."""

    def __init__(self, diagram: Diagram, analysis: Analysis, finding: Finding) -> None:
        index = analysis.index
        self.diagram = diagram
        self.index = index
        self.finding = finding
        self.tps = [n for n in finding.nodes if n in index.touchpoints and tp_key(n) in diagram.nodes]
        self.docs = [n for n in finding.nodes if n in index.documents and doc_key(n) in diagram.nodes]
        self.rules = set(finding.rules) | {n for n in finding.nodes if n in index.rules}
        self.own = set(finding.nodes)

    def parts(self, part: str) -> Iterator[Element]:
        diagram = self.diagram
        if part == "touchpoints":
            yield from (diagram.nodes[tp_key(t)] for t in self.tps)
        elif part == "first_touchpoint":
            yield from (diagram.nodes[tp_key(t)] for t in self.tps[:1])
        elif part == "documents":
            yield from (diagram.nodes[doc_key(d)] for d in self.docs)
        elif part == "first_document":
            yield from (diagram.nodes[doc_key(d)] for d in self.docs[:1])
        elif part == "trail_arrows":
            yield from self._trail_edges()
        elif part == "requirement_arrows":
            for tp in self.tps:
                for doc in self.docs:
                    yield from requirement_edges(diagram, doc, tp)
        elif part in ("rule_lines", "every_rule_line", "unowned_rule_lines"):
            for node in diagram.nodes.values():
                if part == "rule_lines" and node.ident not in self.own:
                    continue
                for line in node.rules:
                    if line.rule in self.rules and (part != "unowned_rule_lines" or line.owner is None):
                        yield line
        else:
            raise ValueError(f"a mark names a part no diagram has: {part!r}")

    def _trail_edges(self) -> Iterator[Edge]:
        diagram, touchpoints = self.diagram, self.index.touchpoints
        for trail in self.finding.trails:
            steps = list(pairwise(trail.nodes))
            if trail.closed and len(trail.nodes) > 1:
                steps.append((trail.nodes[-1], trail.nodes[0]))
            for a, b in steps:
                if a in touchpoints and b in touchpoints:  # a touchpoint refers to the next
                    edge = diagram.edges.get((tp_key(a), tp_key(b), "refers"))
                    if edge is not None:
                        yield edge
                elif a in touchpoints:  # a touchpoint needs the next document
                    yield from requirement_edges(diagram, b, a)
                elif b in touchpoints:  # a document is made at the next touchpoint
                    edge = diagram.edges.get((tp_key(b), doc_key(a), "produces"))
                    if edge is not None:
                        yield edge


class _Facts:
    """What a tag can name, each worked out only when a tag names it (a region in words costs something)."""

    def __init__(self, diagram: Diagram, analysis: Analysis, evidence: _Evidence) -> None:
        self._diagram, self._analysis, self._evidence = diagram, analysis, evidence

    @cached_property
    def who(self) -> str:
        return "; ".join(short_name(self._analysis.index.name(p)) for p in self._evidence.finding.personas)

    @cached_property
    def region(self) -> str:
        region = self._evidence.finding.region
        if not region:
            return ""
        return describe_region(self._analysis.case.attributes, region, self._diagram.language)

    @cached_property
    def organisations(self) -> int:
        return len({self._analysis.index.actor_of(t) for t in self._evidence.tps} - {None})


def _write_quiet(edge: Edge) -> None:
    """Once findings of two marks share an arrow, the tags that only its line showed are written on it.

    (Findings of one mark, two circles through the same arrow, are shown by the one line.)
    """
    if len(edge.marks & MARKS.keys()) > 1:
        for text, tone in edge.quiet:
            edge.label(text, tone)
        edge.quiet.clear()


def mark_finding(diagram: Diagram, analysis: Analysis, finding: Finding) -> None:
    """Draw ``finding`` on ``diagram`` as its kind's mark says (nothing for a kind without one)."""
    mark: Mark | None = finding_kind(finding.kind).mark
    if mark is None:
        return
    evidence = _Evidence(diagram, analysis, finding)
    tag_words = MARKS[mark.name].tag if mark.tag is not None else None
    text: str | None = None
    tagged = set(mark.tag_parts or mark.parts)
    marked = False
    for part in mark.parts:
        for element in evidence.parts(part):
            marked = True
            element.marks.add(mark.name)
            if tag_words is None or part not in tagged:
                if isinstance(element, Edge):
                    _write_quiet(element)
                continue
            if text is None:
                text = tag_words.say(words(diagram.language), _Facts(diagram, analysis, evidence))
            if isinstance(element, Edge):
                if tag_words.shared_only:
                    if (text, tag_words.tone) not in element.quiet:
                        element.quiet.append((text, tag_words.tone))
                # A tag on the arrow out of an ``any_of`` group would repeat the one on the arrow into it.
                elif diagram.nodes[element.tail].kind != "group":
                    element.label(text, tag_words.tone)
                _write_quiet(element)
            elif not tag_words.shared_only:
                element.tag(text, tag_words.tone)
    if marked:
        diagram.use(mark.name)
