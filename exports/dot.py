"""Graphviz DOT for a case: the case diagram and its views.

Every view starts from the same elements (touchpoints in the lane of their
organisation, documents, requirement, production and referral arrows, rules
on the touchpoints they govern) and adds *marks* to them: a finding's
highlight, what a persona can obtain, what an intervention changes. One
function turns marks into colours, shapes and words, so that a dead end looks
the same in every diagram. Colour is never the only signal: every highlight
also has a shape, a line style or a written tag.

Building DOT is pure Python and deterministic: elements are emitted in case
order or sorted, node names come from the case's ids, never from hashes.

Limits, each stated where it applies rather than cut silently:

- a box, a rule line or an arrow lists at most :data:`LABEL_TAGS` written tags
  (a rule that leaves 700 gaps names 5 and says "… and 695 more"), and a box at
  most :data:`LABEL_RULES` rules (the marked ones first) and "… and N more
  rules", in the case's language;
- :meth:`Diagram.to_dot` refuses to write more than :data:`MAX_DOT_BYTES` of
  DOT, with :class:`DiagramTooLarge`;
- :func:`check_layout` refuses to hand Graphviz a diagram of more than
  :data:`MAX_LAYOUT_ELEMENTS` boxes and arrows (``dot`` takes minutes and
  gigabytes on a few thousand, or on a few hundred densely connected ones);
  the export names the focused views that fit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kafka_tool.analysis.engine import Analysis
from kafka_tool.analysis.regions import describe_region
from kafka_tool.analysis.texts import burden_words
from kafka_tool.errors import KafkaToolError, did_you_mean
from kafka_tool.findings import Finding
from kafka_tool.interventions import Comparison
from kafka_tool.model import Case, requirement_alternatives

from .text import html_lines, html_text, quote_id, word

__all__ = [
    "LABEL_RULES",
    "LABEL_TAGS",
    "LAYERS",
    "MAX_DOT_BYTES",
    "MAX_LAYOUT_ELEMENTS",
    "Diagram",
    "DiagramTooLarge",
    "ExportError",
    "check_layout",
    "case_diagram",
    "finding_diagram",
    "persona_diagram",
    "journey_diagram",
    "intervention_diagram",
    "journey_keys",
    "layout_size",
    "parse_layers",
]

#: The layers a diagram can show; all are on unless chosen otherwise.
LAYERS = ("documents", "referrals", "rules", "legend")

NOBODY = "~nobody"  # a lane key no actor id can have (ids are slugs)

#: Written tags a box, a rule line or an arrow lists; the rest are counted ("… and 3 more").
LABEL_TAGS = 5
#: Rules a box lists (those with a mark first); the rest are counted ("… and 3 more rules").
LABEL_RULES = 8
#: The most DOT text :meth:`Diagram.to_dot` writes (bytes of UTF-8).
MAX_DOT_BYTES = 20_000_000
#: The most boxes and arrows (nodes + edges) a diagram may have for Graphviz to lay it out.
#: Measured on 2 cores: 700 sparse ones take ~5 s, 1,050 take 99 s; 580 arrows among 25
#: desks that all refer to each other take 21 s, and 40,000 (200 desks) run into the
#: two-minute timeout at 5.5 GB.
MAX_LAYOUT_ELEMENTS = 1_000

RED = "#c0392b"
ORANGE = "#d35400"
AMBER = "#b9770e"
AMBER_FILL = "#fdebd0"
PURPLE = "#7d3c98"
GREEN = "#1e8449"
GREEN_FILL = "#d5f5e3"
BLUE = "#1f4e79"
CHANGE_BLUE = "#2874a6"
INK = "#2c3e50"
GREY = "#7f8c8d"
LIGHT = "#c8ccce"
FOCUS_FILL = "#fff59d"
RED_FILL = "#fadbd8"
LANE_FILLS = ("#eef3f8", "#f3f0f7", "#eef6f0", "#f8f3ea", "#f0f4f4", "#f7eff0")
TONES = {"bad": RED, "warn": AMBER, "good": GREEN, "info": CHANGE_BLUE, "muted": GREY, "loop": ORANGE}


class ExportError(KafkaToolError):
    """An export that cannot be made as asked (unknown finding, persona, layer ...)."""


class DiagramTooLarge(ExportError):
    """A diagram beyond one of the limits of this module: too much DOT, or too much to lay out."""


def _add(items: list[tuple[str, str]], entry: tuple[str, str], first: bool = False) -> int:
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


# ---------------------------------------------------------------- elements


@dataclass
class RuleLine:
    """A rule shown on a touchpoint it governs."""

    rule: str
    name: str
    owner: str | None
    marks: set[str] = field(default_factory=set)
    tags: list[tuple[str, str]] = field(default_factory=list)
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
    tags: list[tuple[str, str]] = field(default_factory=list)
    step: str = ""
    #: tags left out of the label, to be counted in it
    hidden: int = 0

    def tag(self, text: str, tone: str, first: bool = False) -> None:
        """Add a written tag once (counted, not listed, beyond :data:`LABEL_TAGS`); ``first`` puts it on top."""
        self.hidden += _add(self.tags, (text, tone), first)


@dataclass
class Edge:
    """An arrow: ``requires`` (document to touchpoint or group), ``produces``, ``refers`` ..."""

    tail: str
    head: str
    kind: str
    marks: set[str] = field(default_factory=set)
    labels: list[tuple[str, str]] = field(default_factory=list)
    #: labels left out, to be counted on the arrow
    hidden: int = 0

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.tail, self.head, self.kind)

    def label(self, text: str, tone: str) -> None:
        """Add a written label once (counted, not listed, beyond :data:`LABEL_TAGS`)."""
        self.hidden += _add(self.labels, (text, tone))


@dataclass
class Diagram:
    """The elements of one diagram, before they become DOT."""

    language: str
    title: str
    lanes: dict[str, tuple[str, str]] = field(default_factory=dict)
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], Edge] = field(default_factory=dict)
    caption: list[str] = field(default_factory=list)
    legend: list[str] = field(default_factory=list)
    lane_marks: dict[str, set[str]] = field(default_factory=dict)
    show_legend: bool = True
    timeline: bool = False
    persona_name: str = ""

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
        """The diagram as DOT text; :class:`DiagramTooLarge` beyond ``limit`` bytes (:data:`MAX_DOT_BYTES`)."""
        return _emit(self, MAX_DOT_BYTES if limit is None else limit)


def check_layout(diagram: Diagram, limit: int | None = None, advice: str = "") -> None:
    """Refuse, before Graphviz is started, a diagram of more than ``limit`` boxes and arrows.

    ``limit`` defaults to :data:`MAX_LAYOUT_ELEMENTS`; ``advice`` (which views
    would fit) ends the message.
    """
    limit = MAX_LAYOUT_ELEMENTS if limit is None else limit
    if diagram.size > limit:
        raise DiagramTooLarge(
            f"the diagram has {len(diagram.nodes):,} boxes and {len(diagram.edges):,} arrows "
            f"({diagram.size:,} together), more than the {limit:,} Graphviz is given to lay out "
            f"(it would take minutes and gigabytes); " + (advice or "export a focused view (--finding ID) instead")
        )


def tp_key(ident: str) -> str:
    """The DOT node name of a touchpoint."""
    return f"t_{ident}"


def doc_key(ident: str) -> str:
    """The DOT node name of a document."""
    return f"d_{ident}"


def parse_layers(spec: str | Sequence[str] | None) -> tuple[str, ...]:
    """The layers named in ``"referrals,documents"`` (all when None), checked."""
    if spec is None:
        return LAYERS
    names = [p.strip() for p in spec.split(",")] if isinstance(spec, str) else [p.strip() for p in spec]
    names = [n for n in names if n]
    for name in names:
        if name not in LAYERS:
            raise ExportError(f"unknown layer '{name}'; layers: {', '.join(LAYERS)}")
    return tuple(n for n in LAYERS if n in names)


def layout_size(case: Case, layers: Sequence[str] = LAYERS) -> int:
    """The boxes and arrows of the case diagram (and of every persona view) with ``layers``.

    Marks never add an element, so this is the size of those views, found
    without marking anything.
    """
    return _base(case, layers).size


def _days(language: str, days: float) -> str:
    n = int(days) if float(days).is_integer() else days
    return word(language, "day") if n == 1 else word(language, "days", n=n)


def _base(case: Case, layers: Sequence[str]) -> Diagram:
    """The case's elements without marks."""
    lang = case.language
    diagram = Diagram(language=lang, title=case.title, show_legend="legend" in layers)
    owners = {a.id: a.name for a in case.actors}
    for actor in case.actors:
        diagram.lanes[actor.id] = (actor.name, actor.kind)
    documents = "documents" in layers
    for tp in case.touchpoints:
        parts = []
        if tp.channel:
            parts.append(word(lang, f"channel.{tp.channel}"))
        if tp.days:
            parts.append(_days(lang, tp.days))
        if tp.cost:
            parts.append(word(lang, "cost", n=int(tp.cost) if float(tp.cost).is_integer() else tp.cost))
        node = diagram.add_node(
            Node(
                tp_key(tp.id),
                "touchpoint",
                tp.id,
                tp.name,
                lane=tp.actor if tp.actor in diagram.lanes else NOBODY,
                sub=" · ".join(parts),
            )
        )
        if node.lane == NOBODY:
            diagram.use("nobody")
        if "rules" in layers:
            for rule_id in tp.rules:
                rule = case.rule(rule_id)
                if rule is not None:
                    owner = owners.get(rule.owner, rule.owner) if rule.owner else None
                    node.rules.append(RuleLine(rule.id, rule.name, owner))
                    diagram.use("rule")
    if documents:
        for doc in case.documents:
            diagram.add_node(Node(doc_key(doc.id), "document", doc.id, doc.name))
        known = {d.id for d in case.documents}
        for tp in case.touchpoints:
            fetched = set(tp.fetches)
            for i, item in enumerate(tp.requires):
                alternatives = [d for d in dict.fromkeys(requirement_alternatives(item)) if d in known]
                if len(alternatives) == 1:
                    edge = diagram.add_edge(Edge(doc_key(alternatives[0]), tp_key(tp.id), "requires"))
                    if alternatives[0] in fetched:
                        edge.marks.add("fetched")
                elif alternatives:
                    group = diagram.add_node(
                        Node(
                            f"g_{tp.id}_{i}",
                            "group",
                            f"{tp.id}#{i}",
                            word(lang, "one_of"),
                            lane=diagram.nodes[tp_key(tp.id)].lane,
                        )
                    )
                    diagram.use("one_of")
                    diagram.add_edge(Edge(group.key, tp_key(tp.id), "requires"))
                    for doc in alternatives:
                        edge = diagram.add_edge(Edge(doc_key(doc), group.key, "alternative"))
                        if doc in fetched:
                            edge.marks.add("fetched")
            for doc in dict.fromkeys(tp.produces):
                if doc in known:
                    diagram.add_edge(Edge(tp_key(tp.id), doc_key(doc), "produces"))
    if "referrals" in layers:
        present = {t.id for t in case.touchpoints}
        for tp in case.touchpoints:
            for target in dict.fromkeys(tp.refers_to):
                if target in present:
                    diagram.add_edge(Edge(tp_key(tp.id), tp_key(target), "refers"))
    return diagram


# ---------------------------------------------------------------- finding marks


def _region_text(case: Case, region: dict[str, object] | None) -> str:
    """The region in the words the findings use (``age 0 to 17, not homeless``)."""
    if not region:
        return ""
    return describe_region(case.attributes, region, case.language)


def _requirement_edges(diagram: Diagram, doc: str, tp: str) -> list[Edge]:
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


def _mark_finding(diagram: Diagram, analysis: Analysis, finding: Finding) -> None:
    """Add the highlight of one finding's kind to the diagram."""
    lang = diagram.language
    index = analysis.index
    nodes = set(finding.nodes)
    tps = [n for n in finding.nodes if n in index.touchpoints and tp_key(n) in diagram.nodes]
    docs = [n for n in finding.nodes if n in index.documents and doc_key(n) in diagram.nodes]
    kind = finding.kind
    if kind == "circular_dependency":
        diagram.use("cycle")
        for ident in tps:
            diagram.nodes[tp_key(ident)].marks.add("cycle")
        for ident in docs:
            diagram.nodes[doc_key(ident)].marks.add("cycle")
        for tp in tps:
            for doc in index.required_docs(tp) & nodes:
                for edge in _requirement_edges(diagram, doc, tp):
                    edge.marks.add("cycle")
            for doc in index.touchpoints[tp].produces:
                edge = diagram.edges.get((tp_key(tp), doc_key(doc), "produces"))
                if edge is not None and doc in nodes:
                    edge.marks.add("cycle")
    elif kind == "referral_loop":
        for tp in tps:
            for target in index.touchpoints[tp].refers_to:
                edge = diagram.edges.get((tp_key(tp), tp_key(target), "refers"))
                if edge is not None and target in nodes:
                    edge.marks.add("loop")
                    diagram.use("loop")
    elif kind == "dead_end":
        who = "; ".join(short_name(index.name(p)) for p in finding.personas)
        for tp in tps[:1]:
            diagram.nodes[tp_key(tp)].marks.add("dead_end")
            diagram.nodes[tp_key(tp)].tag(word(lang, "mark.dead_end") + (f": {who}" if who else ""), "bad")
            diagram.use("dead_end")
    elif kind == "unobtainable_document":
        for doc in docs:
            diagram.nodes[doc_key(doc)].marks.add("unobtainable")
            diagram.nodes[doc_key(doc)].tag(word(lang, "mark.unobtainable"), "bad")
            diagram.use("unobtainable")
    elif kind == "no_owner":
        for tp in tps:
            diagram.nodes[tp_key(tp)].marks.add("no_owner")
            diagram.nodes[tp_key(tp)].tag(word(lang, "mark.no_owner"), "warn")
            diagram.use("no_owner")
        for node in diagram.nodes.values():
            for line in node.rules:
                if (line.rule in nodes or line.rule in finding.rules) and line.owner is None:
                    line.marks.add("no_owner")
                    diagram.use("no_owner")
    elif kind == "futile_referral" and len(tps) >= 2:
        edge = diagram.edges.get((tp_key(tps[0]), tp_key(tps[1]), "refers"))
        if edge is not None:
            edge.marks.add("futile")
            edge.label(word(lang, "mark.futile"), "bad")
            diagram.use("futile")
    elif kind == "expiry_trap":
        for tp in tps:
            for doc in docs:
                for edge in _requirement_edges(diagram, doc, tp):
                    edge.marks.add("expiry")
                    if edge.kind != "requires" or edge.tail.startswith("d_"):
                        edge.label(word(lang, "mark.expiry"), "bad")
                    diagram.use("expiry")
    elif kind in ("conflicting_rules", "coverage_gap"):
        mark = "conflict" if kind == "conflicting_rules" else "gap"
        text = (
            word(lang, "mark.conflict")
            if mark == "conflict"
            else word(lang, "mark.gap", region=_region_text(analysis.case, finding.region))
        )
        rules = set(finding.rules) | (nodes & set(index.rules))
        for node in diagram.nodes.values():
            for line in node.rules:
                if line.rule in rules and (node.ident in nodes or mark == "gap"):
                    line.marks.add(mark)
                    line.tag(text, "bad")
                    diagram.use(mark)
        if mark == "gap":
            for doc in docs:
                diagram.nodes[doc_key(doc)].marks.add("gap")
                diagram.nodes[doc_key(doc)].tag(text, "bad")
                diagram.use(mark)
    elif kind == "repeated_request":
        for doc in docs[:1]:
            count = len({index.actor_of(t) for t in tps} - {None})
            diagram.nodes[doc_key(doc)].tag(word(lang, "mark.repeated", n=count), "warn")
            diagram.use("repeated")


def _mark_goals(diagram: Diagram, analysis: Analysis, personas: Iterable[str] | None = None) -> None:
    """Tag each goal document with the personas who cannot reach it."""
    out: dict[str, list[str]] = {}
    for view in analysis.views.values():
        if personas is not None and view.id not in personas:
            continue
        for goal, ok in view.goals_reachable.items():
            if not ok:
                out.setdefault(goal, []).append(short_name(view.persona.name))
    for goal in sorted(out):
        node = diagram.nodes.get(doc_key(goal))
        if node is not None:
            node.marks.add("goal_out")
            node.tag(word(diagram.language, "mark.goal_out", who="; ".join(out[goal])), "bad")
            diagram.use("goal_out")


def short_name(name: str) -> str:
    """A persona's name for a tag: "Yonas" for "Yonas, 27, in an emergency shelter"."""
    first = name.split(",")[0].strip()
    return first if first and len(name) > 20 else name


def _visible(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.accepted is None]


def case_diagram(analysis: Analysis, layers: Sequence[str] = LAYERS) -> Diagram:
    """The whole case: organisations as lanes, documents, arrows, rules, every finding highlighted."""
    diagram = _base(analysis.case, layers)
    for finding in _visible(analysis.findings):
        _mark_finding(diagram, analysis, finding)
    _mark_goals(diagram, analysis)
    return diagram


# ---------------------------------------------------------------- finding focus


def _find_finding(analysis: Analysis, finding_id: str) -> Finding:
    finding = analysis.finding(finding_id)
    if finding is None:
        hint = did_you_mean(finding_id, [f.id for f in analysis.findings], "findings") or ""
        raise ExportError(f"no finding '{finding_id}' in case '{analysis.case.id}'; {hint}".rstrip("; "))
    return finding


def _keep(diagram: Diagram, keep: set[str]) -> None:
    """Keep only the nodes in ``keep`` (and ``any_of`` groups between kept nodes)."""
    for node in list(diagram.nodes.values()):
        if node.kind == "group":
            tp = tp_key(node.ident.split("#")[0])
            alts = [e.tail for e in diagram.edges.values() if e.head == node.key]
            if tp in keep and any(a in keep for a in alts):
                keep.add(node.key)
    diagram.nodes = {k: n for k, n in diagram.nodes.items() if k in keep}
    diagram.edges = {k: e for k, e in diagram.edges.items() if e.tail in keep and e.head in keep}


def _neighbours(diagram: Diagram, key: str) -> set[str]:
    """Nodes one arrow away from ``key``, looking through ``any_of`` groups."""
    out: set[str] = set()
    for edge in diagram.edges.values():
        for a, b in ((edge.tail, edge.head), (edge.head, edge.tail)):
            if a != key:
                continue
            if diagram.nodes[b].kind == "group":
                for other in diagram.edges.values():
                    if other.head == b:
                        out.add(other.tail)
                    if other.tail == b:
                        out.add(other.head)
            else:
                out.add(b)
    if diagram.nodes[key].kind == "group":
        out.discard(key)
    return out


def finding_diagram(analysis: Analysis, finding_id: str, layers: Sequence[str] = LAYERS) -> Diagram:
    """One finding: its nodes and their immediate context, with the explanation as the caption."""
    finding = _find_finding(analysis, finding_id)
    diagram = _base(analysis.case, layers)
    _mark_finding(diagram, analysis, finding)
    if finding.kind == "unreachable_goal":
        _mark_goals(diagram, analysis, finding.personas)
    focus = {k for n in finding.nodes for k in (tp_key(n), doc_key(n)) if k in diagram.nodes}
    for actor in finding.nodes:
        if actor in diagram.lanes:
            diagram.lane_marks.setdefault(actor, set()).add("focus")
    keep = set(focus)
    for key in sorted(focus):
        keep |= _neighbours(diagram, key)
    _keep(diagram, keep)
    for key, node in diagram.nodes.items():
        if key in focus:
            node.marks.add("focus")
        elif node.kind != "group":
            node.marks.add("context")
    for node in diagram.nodes.values():
        for line in node.rules:
            if line.rule in finding.rules or line.rule in finding.nodes:
                line.marks.add("focus")
    diagram.use("focus")
    lang = diagram.language
    severity = finding.severity.upper()
    diagram.title = f"{severity}: {finding.title}"
    diagram.caption = [finding.explanation, *finding.evidence, finding.id]
    if finding.accepted is not None:
        diagram.caption.append(f"accepted: {finding.accepted}" if lang == "en" else f"geaccepteerd: {finding.accepted}")
    return diagram


# ---------------------------------------------------------------- persona view


def persona_diagram(analysis: Analysis, persona_id: str, layers: Sequence[str] = LAYERS) -> Diagram:
    """What a persona can obtain and what stays out of reach, with the steps of its plan numbered."""
    view = analysis.views.get(persona_id)
    if view is None:
        hint = did_you_mean(persona_id, list(analysis.views), "personas") or ""
        raise ExportError(f"no persona '{persona_id}' in case '{analysis.case.id}'; {hint}".rstrip("; "))
    lang = analysis.case.language
    diagram = _base(analysis.case, layers)
    for finding in _visible(analysis.for_persona(persona_id)):
        if finding.kind in ("circular_dependency", "referral_loop", "dead_end", "unobtainable_document", "no_owner"):
            _mark_finding(diagram, analysis, finding)
    persona = view.persona
    has = set(persona.has)
    for node in diagram.nodes.values():
        if node.kind == "document":
            if node.ident in has:
                node.marks.add("obtainable")
                node.tag(word(lang, "persona.has"), "good")
            elif node.ident in view.obtainable:
                node.marks.add("obtainable")
                node.tag(word(lang, "persona.can_get"), "good")
            else:
                node.marks.add("out_of_reach")
                node.tag(word(lang, "persona.out_of_reach"), "muted")
            if node.ident in view.goals_reachable:
                ok = view.goals_reachable[node.ident]
                node.marks.add("goal_ok" if ok else "goal_out")
                goal_tag = word(lang, "persona.goal_ok" if ok else "persona.goal_out")
                node.tag(goal_tag, "good" if ok else "bad", first=True)
        elif node.kind == "touchpoint":
            if node.ident in view.helpful:
                node.marks.add("helpful")
                node.tag(word(lang, "persona.helpful"), "good")
            else:
                node.marks.add("cannot_help")
                if node.ident in view.excluded_by:
                    node.tag(word(lang, "persona.excluded"), "bad")
                    for line in node.rules:
                        if line.rule in view.excluded_by[node.ident]:
                            line.marks.add("excludes")
                else:
                    node.tag(word(lang, "persona.cannot_help"), "muted")
    for n, tp in enumerate(view.plan, 1):
        node = diagram.nodes.get(tp_key(tp))
        if node is not None:
            node.step = word(lang, "persona.step", n=n)
    diagram.use("persona.obtainable")
    diagram.use("persona.out")
    if view.plan:
        diagram.use("persona.plan")
    diagram.title = f"{persona.name} — {analysis.case.title}"
    goals = "; ".join(
        f"{analysis.index.name(g)}: {word(lang, 'persona.goal_ok' if ok else 'persona.goal_out').split(': ')[1]}"
        for g, ok in view.goals_reachable.items()
    )
    caption = []
    if persona.story:
        caption.append(persona.story.strip())
    if goals:
        caption.append(f"{word(lang, 'persona.goals')}: {goals}")
    if view.plan:
        caption.append(word(lang, "persona.plan") + burden_words(lang, view.burden.to_json()))
    elif not all(view.goals_reachable.values()):
        caption.append(word(lang, "persona.no_plan"))
    diagram.caption = caption
    diagram.persona_name = persona.name
    return diagram


# ---------------------------------------------------------------- journey view


def journey_keys(case: Case) -> list[str]:
    """The names of the case's journeys: the persona id, with ``/2``, ``/3`` for a persona's later ones."""
    seen: dict[str, int] = {}
    keys = []
    for journey in case.journeys:
        seen[journey.persona] = seen.get(journey.persona, 0) + 1
        n = seen[journey.persona]
        keys.append(journey.persona if n == 1 else f"{journey.persona}/{n}")
    return keys


def journey_diagram(analysis: Analysis, journey_key: str) -> Diagram:
    """The reconstructed journey as a timeline across the organisations' lanes.

    Each contact is a box in the lane of its organisation, with its date,
    outcome and note; a return to a place already visited is drawn in
    orange with an arrow back to the first visit.
    """
    from kafka_tool.analysis.journeys import journey_returns

    case = analysis.case
    keys = journey_keys(case)
    if journey_key not in keys:
        hint = did_you_mean(journey_key, keys, "journeys") or ""
        raise ExportError(f"no journey '{journey_key}' in case '{case.id}'; {hint}".rstrip("; "))
    journey = case.journeys[keys.index(journey_key)]
    lang = case.language
    index = analysis.index
    persona = index.name(journey.persona)
    diagram = Diagram(language=lang, title=journey.title or word(lang, "journey.title", who=persona))
    diagram.title = f"{word(lang, 'journey.title', who=persona)}" + (f": {journey.title}" if journey.title else "")
    diagram.timeline = True
    for actor in case.actors:
        diagram.lanes[actor.id] = (actor.name, actor.kind)
    steps = [(s.touchpoint, index.actor_of(s.touchpoint)) for s in journey.steps]
    returns, _, _ = journey_returns(steps)
    first_visit: dict[str, int] = {}
    previous: Node | None = None
    for n, step in enumerate(journey.steps, 1):
        tp = index.touchpoints.get(step.touchpoint)
        actor = tp.actor if tp is not None else None
        node = diagram.add_node(
            Node(
                f"s_{n}",
                "step",
                step.touchpoint,
                tp.name if tp is not None else step.touchpoint,
                lane=actor if actor in diagram.lanes else NOBODY,
            )
        )
        if node.lane == NOBODY:
            diagram.use("nobody")
        node.step = f"{word(lang, 'journey.step', n=n)} · {step.date.isoformat()}"
        tone = {"helped": "good", "refused": "bad", "referred": "warn", "no_response": "bad", "pending": "muted"}[
            step.outcome
        ]
        node.tag(word(lang, f"outcome.{step.outcome}").upper(), tone)
        if tp is None:
            node.tag(word(lang, "journey.unknown"), "muted")
        if step.to:
            node.tag(word(lang, "journey.to", to=index.name(step.to)), "muted")
        if step.note:
            node.sub = "“" + step.note.strip() + "”"
        if n - 1 in returns:
            node.marks.add("back")
            diagram.use("journey.back")
            earlier = first_visit.get(step.touchpoint)
            if earlier is None and actor is not None:
                earlier = next((i for i, (t, a) in enumerate(steps[: n - 1], 1) if a == actor), None)
            if earlier is not None:
                node.tag(word(lang, "journey.back", n=earlier), "loop")
                back = diagram.add_edge(Edge(node.key, f"s_{earlier}", "back"))
                back.marks.add("loop")
        first_visit.setdefault(step.touchpoint, n)
        if previous is not None:
            diagram.add_edge(Edge(previous.key, node.key, "next"))
        previous = node
    diagram.use("journey.step")
    diagram.use("journey.next")
    return diagram


# ---------------------------------------------------------------- intervention view


def intervention_diagram(comparison: Comparison, layers: Sequence[str] = LAYERS) -> Diagram:
    """The case after an intervention, drawn over the case before it: removed and added parts marked."""
    before = _base(comparison.before.case, layers)
    after = _base(comparison.after.case, layers)
    for finding in _visible(comparison.after.findings):
        _mark_finding(after, comparison.after, finding)
    _mark_goals(after, comparison.after)
    lang = after.language
    removed, added, changed = (word(lang, "change.removed"), word(lang, "change.added"), word(lang, "change.changed"))
    for key, node in after.nodes.items():
        old = before.nodes.get(key)
        if old is None:
            node.marks.add("added")
            node.tag(added, "good")
            after.use("added")
            continue
        if old.lane != node.lane:
            node.marks.add("changed")
            old_lane = before.lanes.get(old.lane or "", (word(lang, "nobody"), ""))[0]
            node.tag(word(lang, "change.moved", old=old_lane), "info")
            after.use("changed")
        old_rules = {line.rule for line in old.rules}
        before_case, after_case = comparison.before.case, comparison.after.case
        for line in node.rules:
            was, now = before_case.rule(line.rule), after_case.rule(line.rule)
            if line.rule not in old_rules or (was is not None and now is not None and was.when != now.when):
                line.marks.add("changed")
                line.tag(changed, "info")
                after.use("changed")
    for key, node in before.nodes.items():
        if key not in after.nodes:
            node.marks = {"removed"}
            node.tags, node.hidden = [(removed, "muted")], 0
            after.nodes[key] = node
            after.use("removed")
    for key, edge in after.edges.items():
        old_edge = before.edges.get(key)
        if old_edge is None:
            edge.marks.add("added")
            edge.label(added, "good")
            after.use("added")
        elif "fetched" in edge.marks and "fetched" not in old_edge.marks:
            edge.marks.add("changed")
            edge.label(word(lang, "change.fetched"), "info")
            after.use("changed")
    for key, edge in before.edges.items():
        if key not in after.edges:
            edge.marks = {"removed"}
            edge.labels, edge.hidden = [(removed, "bad")], 0
            after.edges[key] = edge
            after.use("removed")
    case = comparison.case
    titles = [case.intervention(i).title if case.intervention(i) else i for i in comparison.intervention_ids]
    after.title = word(lang, "intervention.title", title="; ".join(t or "" for t in titles))
    owners = []
    for ident in comparison.intervention_ids:
        item = case.intervention(ident)
        if item is not None and item.owner:
            owners.append(comparison.before.index.name(item.owner))
    caption = []
    for ident in comparison.intervention_ids:
        item = case.intervention(ident)
        if item is not None and item.description:
            caption.append(item.description.strip())
    if owners:
        caption.append(word(lang, "intervention.owner", owner=", ".join(dict.fromkeys(owners))))
    none = word(lang, "intervention.none")
    caption.append(word(lang, "intervention.resolves", items="; ".join(f.title for f in comparison.resolved) or none))
    caption.append(
        word(lang, "intervention.introduces", items="; ".join(f.title for f in comparison.introduced) or none)
    )
    after.caption = caption
    return after


# ---------------------------------------------------------------- DOT


def _font(
    text: str, colour: str | None = None, size: int | None = None, bold: bool = False, italic: bool = False
) -> str:
    """Already-escaped ``text`` in a FONT element."""
    text = text or " "  # Graphviz refuses an empty <B></B>
    if bold:
        text = f"<B>{text}</B>"
    if italic:
        text = f"<I>{text}</I>"
    attrs = ""
    if colour:
        attrs += f' COLOR="{colour}"'
    if size:
        attrs += f' POINT-SIZE="{size}"'
    return f"<FONT{attrs}>{text}</FONT>" if attrs else text


def _row(cell: str, extra: str = "") -> str:
    return f"<TR><TD{extra}>{cell}</TD></TR>"


def _node_label(node: Node, language: str) -> str:
    muted = bool({"context", "removed"} & node.marks)
    ink = GREY if muted else INK
    rows = []
    if node.step:
        badge = _font(html_text(node.step), "#ffffff", 10, bold=True)
        rows.append(_row(badge, f' BGCOLOR="{BLUE}"'))
    width = 26 if node.kind != "step" else 30
    rows.append(_row(_font(html_lines(node.name, width), ink, 12, bold=node.kind in ("touchpoint", "step"))))
    if node.sub:
        rows.append(_row(_font(html_lines(node.sub, 34), GREY, 9, italic=node.kind == "step")))
    for text, tone in node.tags:
        colour = GREY if muted and tone != "muted" else TONES[tone]
        rows.append(_row(_font(html_lines(text, 36), colour, 9, bold=tone in ("bad", "warn", "loop"))))
    if node.hidden:
        rows.append(_row(_font(html_lines(word(language, "more", n=node.hidden), 36), GREY, 9, italic=True)))
    # The rules something marks come first, so that a cut never hides a highlight.
    rules = sorted(node.rules, key=lambda line: not line.marks)
    for line in rules[:LABEL_RULES]:
        colour = GREY
        if {"conflict", "gap", "excludes"} & line.marks:
            colour = RED
        elif "no_owner" in line.marks:
            colour = AMBER
        elif "changed" in line.marks:
            colour = CHANGE_BLUE
        if muted and "focus" not in line.marks:
            colour = LIGHT if colour == GREY else colour
        owner = line.owner if line.owner is not None else word(language, "no_owner.rule").upper()
        text = html_lines("§ " + line.name, 34) + "<BR/>" + _font(html_lines("— " + owner, 34), italic=True)
        for tag, _tone in line.tags:
            text += "<BR/>" + _font(html_lines("! " + tag, 34), bold=True)
        if line.hidden:
            text += "<BR/>" + _font(html_lines(word(language, "more", n=line.hidden), 34), italic=True)
        rows.append(_row(_font(text, colour, 8, bold="focus" in line.marks), ' ALIGN="LEFT" BALIGN="LEFT"'))
    if len(rules) > LABEL_RULES:
        more = word(language, "more.rules", n=len(rules) - LABEL_RULES)
        rows.append(_row(_font(html_lines(more, 34), GREY, 8, italic=True), ' ALIGN="LEFT" BALIGN="LEFT"'))
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(rows) + "</TABLE>>"


def _node_attrs(node: Node) -> dict[str, str]:
    marks = node.marks
    if node.kind == "group":
        attrs = {
            "shape": "box",
            "style": "rounded,dashed",
            "color": GREY,
            "fontcolor": GREY,
            "fontsize": "9",
            "height": "0.2",
            "width": "0.3",
            "margin": "0.04,0.02",
        }
    elif node.kind == "document":
        attrs = {"shape": "note", "style": "filled", "fillcolor": "#ffffff", "color": "#566573", "penwidth": "1.2"}
    else:
        attrs = {"shape": "box", "style": "rounded,filled", "fillcolor": "#ffffff", "color": INK, "penwidth": "1.4"}
    style = attrs["style"].split(",")
    if "focus" in marks:
        attrs["fillcolor"] = FOCUS_FILL
    if "context" in marks:
        attrs["color"] = LIGHT
    if "obtainable" in marks:
        attrs["fillcolor"] = GREEN_FILL
        attrs["color"] = GREEN
    if "out_of_reach" in marks:
        attrs["fillcolor"] = "#f2f3f4"
        attrs["color"] = GREY
        style.append("dashed")
    if "helpful" in marks:
        attrs["color"] = GREEN
        attrs["penwidth"] = "2.5"
    if "cannot_help" in marks:
        attrs["fillcolor"] = "#f4f6f6"
        attrs["color"] = GREY
    if "no_owner" in marks:
        attrs["fillcolor"] = AMBER_FILL
        attrs["color"] = AMBER
        attrs["penwidth"] = "2.5"
    if "cycle" in marks:
        attrs["color"] = RED
        attrs["penwidth"] = "2.5"
    if {"goal_out", "gap"} & marks:
        attrs["color"] = RED
        attrs["penwidth"] = "3"
    if "goal_ok" in marks:
        attrs["penwidth"] = "3"
    if "unobtainable" in marks:
        attrs["fillcolor"] = RED_FILL
        attrs["color"] = RED
        attrs["penwidth"] = "2.5"
        style.append("dashed")
    if "dead_end" in marks:
        # Square corners and a double red border: unlike every other touchpoint, even in grey print.
        attrs["peripheries"] = "2"
        attrs["color"] = RED
        attrs["penwidth"] = "2"
        if not {"focus", "no_owner"} & marks:
            attrs["fillcolor"] = RED_FILL
        style = [s for s in style if s != "rounded"]
    if "back" in marks:
        attrs["color"] = ORANGE
        attrs["penwidth"] = "3"
        attrs["fillcolor"] = "#fdebd0"
    if "added" in marks:
        attrs["color"] = GREEN
        attrs["penwidth"] = "3"
    if "changed" in marks:
        attrs["color"] = CHANGE_BLUE
        attrs["penwidth"] = "3"
    if "removed" in marks:
        attrs = {**attrs, "color": GREY, "fillcolor": "#f4f6f6", "penwidth": "1.5", "fontcolor": GREY}
        style = [*(s for s in style if s != "dashed"), "dashed"]
    attrs["style"] = ",".join(dict.fromkeys(style))
    return attrs


def _edge_attrs(edge: Edge) -> dict[str, str]:
    marks = edge.marks
    if edge.kind in ("requires", "alternative"):
        attrs = {
            "style": "dashed",
            "color": GREY,
            "arrowhead": "onormal" if edge.kind == "requires" else "none",
            "penwidth": "1.2",
        }
        if "fetched" in marks:
            attrs.update(style="dotted", color=CHANGE_BLUE)
    elif edge.kind == "produces":
        attrs = {"color": INK, "arrowhead": "normal", "penwidth": "1.2"}
    elif edge.kind == "refers":
        attrs = {"color": BLUE, "style": "bold", "penwidth": "2.2", "arrowhead": "vee"}
    elif edge.kind == "next":
        attrs = {"color": INK, "penwidth": "1.6", "arrowhead": "normal"}
    elif edge.kind == "back":
        attrs = {"color": ORANGE, "penwidth": "2.5", "style": "dashed", "arrowhead": "vee", "constraint": "false"}
    else:  # pragma: no cover - every kind is handled above
        attrs = {}
    if "cycle" in marks:
        attrs.update(color=RED, penwidth="3.5", style="solid")
    if "loop" in marks and edge.kind == "refers":
        attrs.update(color=ORANGE, penwidth="4", style="bold", arrowhead="veevee")
    if "futile" in marks:
        attrs.update(color=PURPLE, penwidth="2.5", style="dashed")
    if "expiry" in marks:
        attrs.update(color=PURPLE, penwidth="2.5")
    if "added" in marks:
        attrs.update(color=GREEN, penwidth="3")
    if "changed" in marks:
        attrs.update(color=CHANGE_BLUE, penwidth="2.5")
    if "removed" in marks:
        attrs.update(color="#909497", style="dashed", penwidth="2")
    return attrs


def _attr_text(attrs: dict[str, str]) -> str:
    # Attribute values are our own constants or HTML labels built from escaped text.
    parts = []
    for name in sorted(attrs):
        value = attrs[name]
        parts.append(f"{name}={value}" if value.startswith("<") else f'{name}="{value}"')
    return ", ".join(parts)


_LEGEND_SAMPLES: dict[str, tuple[str, str, str]] = {
    # key: (sample text, colour, sample kind: box|note|line|text)
    "touchpoint": ("desk", INK, "box"),
    "lane": ("", "#eef3f8", "fill"),
    "document": ("doc", "#566573", "box"),
    "requires": ("- - - ▷", GREY, "text"),
    "one_of": ("one of", GREY, "box"),
    "produces": ("——▶", INK, "text"),
    "refers": ("━━➤", BLUE, "text"),
    "rule": ("§", GREY, "text"),
    "nobody": ("!", AMBER, "fill-amber"),
    "cycle": ("━━▶", RED, "text"),
    "loop": ("━━▶▶", ORANGE, "text"),
    "dead_end": ("", RED, "double"),
    "unobtainable": ("- - -", RED, "box"),
    "no_owner": ("!", AMBER, "fill-amber"),
    "goal_out": ("!", RED, "box"),
    "futile": ("- - ▶", PURPLE, "text"),
    "expiry": ("——▶", PURPLE, "text"),
    "conflict": ("§ !", RED, "text"),
    "gap": ("§ !", RED, "text"),
    "repeated": ("×3", AMBER, "text"),
    "focus": ("", FOCUS_FILL, "fill"),
    "persona.obtainable": ("", GREEN_FILL, "fill"),
    "persona.out": ("- - -", GREY, "box"),
    "persona.plan": ("1", BLUE, "badge"),
    "journey.step": ("", INK, "box"),
    "journey.back": ("- - ▶", ORANGE, "text"),
    "journey.next": ("——▶", INK, "text"),
    "removed": ("- - -", GREY, "text"),
    "added": ("━━▶", GREEN, "text"),
    "changed": ("━━▶", CHANGE_BLUE, "text"),
}

_LEGEND_TEXT = {
    "one_of": "one_of.legend",
    "nobody": "nobody.legend",
    "persona.obtainable": "legend.persona.obtainable",
    "persona.out": "legend.persona.out",
    "persona.plan": "legend.persona.plan",
    "journey.step": "legend.journey.step",
    "journey.back": "legend.journey.back",
    "journey.next": "legend.journey.next",
}


def _legend(diagram: Diagram) -> str:
    lang = diagram.language
    keys = (
        ["journey.step", "lane"]
        if diagram.timeline
        else ["touchpoint", "lane", "document", "requires", "produces", "refers"]
    )
    keys += [k for k in diagram.legend if k not in keys and k in _LEGEND_SAMPLES]
    if "no_owner" in keys and "nobody" in keys:
        keys.remove("nobody")
    cells = []
    for key in keys:
        sample, colour, form = _LEGEND_SAMPLES[key]
        text_key = _LEGEND_TEXT.get(key, f"legend.{key}" if f"legend.{key}" in _words(lang) else key)
        if key in ("touchpoint", "lane", "document", "requires", "produces", "refers", "rule"):
            text_key = key
        text = (
            word(lang, text_key, who=diagram.persona_name) if "{who}" in _raw(lang, text_key) else word(lang, text_key)
        )
        if key == "one_of":
            sample = word(lang, "one_of")
        if form == "box":
            sample_cell = (
                f'<TD BORDER="1" COLOR="{colour}" WIDTH="36">{_font(html_text(sample), colour, 9, bold=True)}</TD>'
            )
        elif form == "fill":
            sample_cell = f'<TD BORDER="1" COLOR="{GREY}" BGCOLOR="{colour}" WIDTH="36"> </TD>'
        elif form == "fill-amber":
            sample_cell = (
                f'<TD BORDER="1" COLOR="{AMBER}" BGCOLOR="{AMBER_FILL}" WIDTH="36">'
                f"{_font(html_text(sample), AMBER, 9, bold=True)}</TD>"
            )
        elif form == "double":
            sample_cell = (
                f'<TD BORDER="1" COLOR="{RED}" BGCOLOR="{RED_FILL}" WIDTH="36">'
                f'<TABLE BORDER="1" COLOR="{RED}" CELLBORDER="0"><TR><TD> </TD></TR></TABLE></TD>'
            )
        elif form == "badge":
            sample_cell = f'<TD BGCOLOR="{BLUE}" WIDTH="36">{_font(html_text(sample), "#ffffff", 9, bold=True)}</TD>'
        else:
            sample_cell = f'<TD WIDTH="36">{_font(html_text(sample), colour, 11, bold=True)}</TD>'
        cells.append(sample_cell + f'<TD ALIGN="LEFT" BALIGN="LEFT">{_font(html_lines(text, 52), INK, 9)}</TD>')
    rows = []
    half = (len(cells) + 1) // 2
    for i in range(half):
        right = cells[half + i] if half + i < len(cells) else "<TD></TD><TD></TD>"
        rows.append(f"<TR>{cells[i]}{right}</TR>")
    head = f'<TR><TD COLSPAN="4" ALIGN="LEFT">{_font(html_text(word(lang, "legend")), INK, 10, bold=True)}</TD></TR>'
    return (
        '<TABLE BORDER="1" COLOR="#aab7b8" CELLBORDER="0" CELLSPACING="2" CELLPADDING="2">'
        + head
        + "".join(rows)
        + "</TABLE>"
    )


def _words(language: str) -> dict[str, str]:
    from .text import WORDS

    return {**WORDS["en"], **WORDS.get(language, {})}


def _raw(language: str, key: str) -> str:
    return _words(language).get(key, "")


def _graph_label(diagram: Diagram) -> str:
    rows = [_row(_font(html_lines(diagram.title, 90), INK, 18, bold=True), ' ALIGN="LEFT" BALIGN="LEFT"')]
    for line in diagram.caption:
        rows.append(_row(_font(html_lines(line, 110), INK, 11), ' ALIGN="LEFT" BALIGN="LEFT"'))
    if diagram.show_legend:
        rows.append(_row(_legend(diagram), ' ALIGN="LEFT"'))
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="4">' + "".join(rows) + "</TABLE>>"


def _lane_label(name: str, kind: str, language: str, nobody: bool = False) -> str:
    if nobody:
        return (
            "<"
            + _font(html_text(word(language, "nobody")), AMBER, 13, bold=True)
            + "<BR/>"
            + _font(html_lines(word(language, "nobody.legend"), 40), AMBER, 9)
            + ">"
        )
    label = _font(html_lines(name, 40), INK, 12, bold=True)
    if kind and kind != "other":
        label += "<BR/>" + _font(html_text(word(language, f"kind.{kind}")), GREY, 9)
    return f"<{label}>"


def _emit(diagram: Diagram, limit: int) -> str:
    lang = diagram.language
    out: list[str] = []
    written = 0

    def add(line: str) -> None:
        # Counted as it is made: a diagram over the limit stops here, not after it filled memory.
        nonlocal written
        written += len(line.encode("utf-8")) + 1
        if written > limit:
            raise DiagramTooLarge(
                f"the DOT text of this diagram would be more than {limit / 1e6:g} MB (the most kafka-tool "
                "writes); export a focused view (--finding ID, --persona P) or fewer layers (--layers ...)"
            )
        out.append(line)

    graph_attrs = {
        "rankdir": "LR",
        "newrank": "true",
        "nodesep": "0.35",
        "ranksep": "0.6",
        "fontname": "Helvetica",
        "labelloc": "t",
        "labeljust": "l",
        "pad": "0.3",
        "label": _graph_label(diagram),
    }
    for line in (
        "digraph kafka {",
        f"  graph [{_attr_text(graph_attrs)}];",
        f"  node [{_attr_text({'fontname': 'Helvetica', 'margin': '0.12,0.06'})}];",
        f"  edge [{_attr_text({'fontname': 'Helvetica', 'fontsize': '9'})}];",
    ):
        add(line)
    by_lane: dict[str | None, list[Node]] = {}
    for node in diagram.nodes.values():
        by_lane.setdefault(node.lane, []).append(node)
    lane_order = [lane for lane in diagram.lanes if lane in by_lane]
    if NOBODY in by_lane:
        lane_order.append(NOBODY)

    def node_line(node: Node, indent: str) -> str:
        attrs = _node_attrs(node)
        if node.kind != "group":
            attrs["label"] = _node_label(node, lang)
        else:
            attrs["label"] = "<" + html_text(node.name) + ">"
        return f"{indent}{quote_id(node.key)} [{_attr_text(attrs)}];"

    for n, lane in enumerate(lane_order):
        nobody = lane == NOBODY
        name, kind = diagram.lanes.get(lane, ("", "")) if lane is not None else ("", "")
        marks = diagram.lane_marks.get(lane or "", set())
        attrs = {
            "label": _lane_label(name, kind, lang, nobody),
            "style": "filled,dashed" if nobody else "rounded,filled",
            "fillcolor": "#fef5e7" if nobody else LANE_FILLS[n % len(LANE_FILLS)],
            "color": AMBER if nobody else ("#d4ac0d" if "focus" in marks else "#aab7b8"),
            "penwidth": "2.5" if nobody or "focus" in marks else "1",
            "labeljust": "l",
            "margin": "12",
        }
        add(f"  subgraph {quote_id('cluster_' + (f'lane_{n}' if not nobody else 'nobody'))} {{")
        add(f"    graph [{_attr_text(attrs)}];")
        for node in by_lane[lane]:
            add(node_line(node, "    "))
        add("  }")
    for node in by_lane.get(None, []):
        add(node_line(node, "  "))
    for edge in diagram.edges.values():
        attrs = _edge_attrs(edge)
        if edge.labels:
            parts = [_font(html_lines(text, 24), TONES[tone], 9, bold=True) for text, tone in edge.labels]
            if edge.hidden:
                parts.append(_font(html_lines(word(lang, "more", n=edge.hidden), 24), GREY, 9, italic=True))
            attrs["label"] = "<" + "<BR/>".join(parts) + ">"
        add(f"  {quote_id(edge.tail)} -> {quote_id(edge.head)} [{_attr_text(attrs)}];")
    add("}")
    return "\n".join(out) + "\n"
