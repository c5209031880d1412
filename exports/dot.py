"""The DOT writer: a :class:`~exports.scene.Diagram` as Graphviz DOT, built with the ``graphviz`` package.

The package's :class:`graphviz.Digraph` does the quoting of names and attribute
values. Every piece of text from the case goes into an HTML-like label, escaped by
:func:`exports.text.html_text` (``&<>"`` as entities, so no text can close a label,
open a port or add an attribute); node names are made from the case's ids, which are
slugs, and are checked to hold no colon (DOT would read one as a port). Building DOT
needs no binary; rendering it does (:mod:`exports.render`).

The writer says the few words a diagram has of its own (the legend, "… and N more",
"nobody responsible") in the case's language, from the message catalogue; the styles
come from :mod:`exports.theme`.

Limits, each stated where it applies rather than cut silently:

- :func:`write_dot` refuses to write more than :data:`MAX_DOT_BYTES` of DOT, with
  :class:`~exports.scene.DiagramTooLarge`, counting as it goes;
- :func:`check_layout` refuses to hand Graphviz a diagram of more than
  :data:`MAX_LAYOUT_ELEMENTS` boxes and arrows (``dot`` takes minutes and
  gigabytes on a few thousand, or on a few hundred densely connected ones);
  the export names the focused views that fit.

The views were in this module before it was split; their names are still importable
from here, for the callers written against it.
"""

from __future__ import annotations

import re

import graphviz

from kafka_tool.i18n import Words, words

from . import theme
from .scene import LABEL_RULES, LABEL_TAGS, NOBODY, Diagram, DiagramTooLarge, Edge, ExportError, Node, Tag
from .text import html_lines, html_text
from .theme import AMBER, BLUE, FRAME, GREY, INK, RED_FILL, TONES, WHITE

__all__ = [
    "LABEL_RULES",
    "LABEL_TAGS",
    "MAX_DOT_BYTES",
    "MAX_LAYOUT_ELEMENTS",
    "Diagram",
    "DiagramTooLarge",
    "ExportError",
    "check_layout",
    "write_dot",
]

#: The most DOT text :func:`write_dot` writes (bytes of UTF-8).
MAX_DOT_BYTES = 20_000_000
#: The most boxes and arrows (nodes + edges) a diagram may have for Graphviz to lay it out.
#: Measured on 2 cores: 700 sparse ones take ~5 s, 1,050 take 99 s; 580 arrows among 25
#: desks that all refer to each other take 21 s, and 40,000 (200 desks) run into the
#: two-minute timeout at 5.5 GB.
MAX_LAYOUT_ELEMENTS = 1_000

#: What a node or cluster name may hold: the characters of the case's ids (no colon: a port).
_NAME = re.compile(r"[a-z0-9_~-]+")


def check_layout(diagram: Diagram, limit: int | None = None, advice: str = "") -> None:
    """Refuse, before Graphviz is started, a diagram of more than ``limit`` boxes and arrows.

    ``limit`` defaults to :data:`MAX_LAYOUT_ELEMENTS`; ``advice`` (which views
    would fit) ends the message.
    """
    limit = MAX_LAYOUT_ELEMENTS if limit is None else limit
    if diagram.size > limit:
        say = words(diagram.language)
        raise DiagramTooLarge(say.say(
            "the diagram has {boxes} boxes and {arrows} arrows ({size} together), more than the {limit} Graphviz "
            "is given to lay out (it would take minutes and gigabytes); {advice}",
            boxes=say.count(len(diagram.nodes)), arrows=say.count(len(diagram.edges)), size=say.count(diagram.size),
            limit=say.count(limit), advice=advice or say.say("export a focused view (--finding ID) instead")))


# ---------------------------------------------------------------- labels (HTML-like, escaped)


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


_LEFT = ' ALIGN="LEFT" BALIGN="LEFT"'


def _more(say: Words, n: int) -> str:
    return say.say_n("… and {n} more", "… and {n} more", n)


def _node_label(node: Node, say: Words) -> str:
    muted = bool(theme.MUTED & node.marks)
    ink = GREY if muted else INK
    rows = []
    if node.step:
        rows.append(_row(_font(html_text(node.step), WHITE, 10, bold=True), f' BGCOLOR="{BLUE}"'))
    width = 26 if node.kind != "step" else 30
    rows.append(_row(_font(html_lines(node.name, width), ink, 12, bold=node.kind in ("touchpoint", "step"))))
    if node.sub:
        rows.append(_row(_font(html_lines(node.sub, 34), GREY, 9, italic=node.kind == "step")))
    for text, tone in node.tags:
        colour = GREY if muted and tone != "muted" else TONES[tone]
        rows.append(_row(_font(html_lines(text, 36), colour, 9, bold=tone in ("bad", "warn", "loop"))))
    if node.hidden:
        rows.append(_row(_font(html_lines(_more(say, node.hidden), 36), GREY, 9, italic=True)))
    # The rules something marks come first, so that a cut never hides a highlight.
    rules = sorted(node.rules, key=lambda line: not line.marks)
    for line in rules[:LABEL_RULES]:
        colour = theme.rule_colour(line.marks, muted)
        owner = line.owner if line.owner is not None else say.say("no owner").upper()
        text = html_lines("§ " + line.name, 34) + "<BR/>" + _font(html_lines("— " + owner, 34), italic=True)
        for tag, _tone in line.tags:
            text += "<BR/>" + _font(html_lines("! " + tag, 34), bold=True)
        if line.hidden:
            text += "<BR/>" + _font(html_lines(_more(say, line.hidden), 34), italic=True)
        rows.append(_row(_font(text, colour, 8, bold="focus" in line.marks), _LEFT))
    if len(rules) > LABEL_RULES:
        more = say.say_n("… and {n} more rule", "… and {n} more rules", len(rules) - LABEL_RULES)
        rows.append(_row(_font(html_lines(more, 34), GREY, 8, italic=True), _LEFT))
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(rows) + "</TABLE>>"


def _legend_entries(diagram: Diagram) -> list[theme.LegendEntry]:
    """The legend's lines: the elements every diagram has, then what this one uses, in the order it came up."""
    first = diagram.legend_first
    if first is None:
        first = theme.LEGEND_FIRST_TIMELINE if diagram.timeline else theme.LEGEND_FIRST
    keys = [*first, *(k for k in diagram.legend if k not in first)]
    entries = {k: e for k in keys if (e := theme.legend_entry(k)) is not None}
    covered = {c for e in entries.values() for c in e.covers}
    return [e for k, e in entries.items() if k not in covered]


def _sample_cell(entry: theme.LegendEntry, say: Words, currency: str = "EUR") -> str:
    sample = say.say(entry.sample) if entry.said else entry.sample
    sample = html_text(sample.replace("{currency}", say.currency_symbol(currency)))  # the case's money sign
    colour = entry.colour
    if entry.form == "box":
        return f'<TD BORDER="1" COLOR="{colour}" WIDTH="36">{_font(sample, colour, 9, bold=True)}</TD>'
    if entry.form == "fill":
        return f'<TD BORDER="1" COLOR="{GREY}" BGCOLOR="{colour}" WIDTH="36"> </TD>'
    if entry.form == "fill-text":
        return (f'<TD BORDER="1" COLOR="{colour}" BGCOLOR="{entry.fill}" WIDTH="36">'
                f"{_font(sample, colour, 9, bold=True)}</TD>")
    if entry.form == "double":
        return (f'<TD BORDER="1" COLOR="{colour}" BGCOLOR="{RED_FILL}" WIDTH="36">'
                f'<TABLE BORDER="1" COLOR="{colour}" CELLBORDER="0"><TR><TD> </TD></TR></TABLE></TD>')
    if entry.form == "badge":
        return f'<TD BGCOLOR="{colour}" WIDTH="36">{_font(sample, WHITE, 9, bold=True)}</TD>'
    return f'<TD WIDTH="36">{_font(sample, colour, 11, bold=True)}</TD>'


def _legend(diagram: Diagram, say: Words) -> str:
    cells = []
    for entry in _legend_entries(diagram):
        text = say.say(entry.text, who=diagram.persona_name)
        cells.append(_sample_cell(entry, say, diagram.currency)
                     + f"<TD{_LEFT}>{_font(html_lines(text, 52), INK, 9)}</TD>")
    rows = []
    half = (len(cells) + 1) // 2
    for i in range(half):
        right = cells[half + i] if half + i < len(cells) else "<TD></TD><TD></TD>"
        rows.append(f"<TR>{cells[i]}{right}</TR>")
    heading = _font(html_text(say.say("Legend")), INK, 10, bold=True)
    head = f'<TR><TD COLSPAN="4" ALIGN="LEFT">{heading}</TD></TR>'
    return (f'<TABLE BORDER="1" COLOR="{FRAME}" CELLBORDER="0" CELLSPACING="2" CELLPADDING="2">'
            + head + "".join(rows) + "</TABLE>")


def _graph_label(diagram: Diagram, say: Words) -> str:
    rows = [_row(_font(html_lines(diagram.title, 90), INK, 18, bold=True), _LEFT)]
    for line in diagram.caption:
        rows.append(_row(_font(html_lines(line, 110), INK, 11), _LEFT))
    if diagram.show_legend:
        rows.append(_row(_legend(diagram, say), ' ALIGN="LEFT"'))
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="4">' + "".join(rows) + "</TABLE>>"


def _lane_label(name: str, kind: str, say: Words, nobody: bool = False) -> str:
    if nobody:
        return ("<" + _font(html_text(say.say("NOBODY RESPONSIBLE")), AMBER, 13, bold=True) + "<BR/>"
                + _font(html_lines(say.say("Touchpoints no organisation is responsible for"), 40), AMBER, 9) + ">")
    label = _font(html_lines(name, 40), INK, 12, bold=True)
    if kind:
        label += "<BR/>" + _font(html_text(kind), GREY, 9)
    return f"<{label}>"


# ---------------------------------------------------------------- DOT


def _name(key: str) -> str:
    if not _NAME.fullmatch(key):
        raise ValueError(f"not a name made from the case's ids: {key!r}")
    return key


class _Budget:
    """Counts the DOT as it is made: a diagram over the limit stops here, not after it filled memory."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.spent = 0

    def spend(self, lines: list[str], depth: int = 0) -> None:
        self.spent += sum(len(line.encode("utf-8")) + depth for line in lines)
        if self.spent > self.limit:
            raise DiagramTooLarge(
                f"the DOT text of this diagram would be more than {self.limit / 1e6:g} MB (the most kafka-tool "
                "writes); export a focused view (--finding ID, --persona P) or fewer layers (--layers ...)"
            )


def _node(graph: graphviz.Digraph, node: Node, say: Words) -> None:
    attrs = theme.node_attrs(node.kind, node.marks)
    if node.kind == "group":
        attrs["label"] = "<" + html_text(node.name) + ">"
    elif node.kind == "tick":
        attrs["label"] = "<" + _font(html_text(node.name), GREY, 10, bold=True) + ">"
    else:
        attrs["label"] = _node_label(node, say)
    graph.node(_name(node.key), _attributes=attrs)


def _edge_attrs(edge: Edge, say: Words) -> dict[str, str]:
    attrs = theme.edge_attrs(edge.kind, edge.marks)
    if edge.labels:
        parts = [_font(html_lines(text, 24), TONES[tone], 9, bold=True) for text, tone in edge.labels]
        if edge.hidden:
            parts.append(_font(html_lines(_more(say, edge.hidden), 24), GREY, 9, italic=True))
        attrs["label"] = "<" + "<BR/>".join(parts) + ">"
    return attrs


def write_dot(diagram: Diagram, limit: int | None = None) -> str:
    """``diagram`` as DOT text; :class:`DiagramTooLarge` beyond ``limit`` bytes (:data:`MAX_DOT_BYTES`)."""
    budget = _Budget(MAX_DOT_BYTES if limit is None else limit)
    say = words(diagram.language)
    graph = graphviz.Digraph(
        "kafka",
        graph_attr={**theme.GRAPH, "label": _graph_label(diagram, say)},
        node_attr=theme.NODE_DEFAULTS,
        edge_attr=theme.EDGE_DEFAULTS,
    )
    budget.spend([graph.source])
    by_lane: dict[str | None, list[Node]] = {}
    for node in diagram.nodes.values():
        by_lane.setdefault(node.lane, []).append(node)
    lane_order = [lane for lane in diagram.lanes if lane in by_lane]
    if NOBODY in by_lane:
        lane_order.append(NOBODY)
    for n, lane in enumerate(lane_order):
        nobody = lane == NOBODY
        name, kind = diagram.lanes.get(lane, ("", ""))
        attrs = theme.lane_attrs(n, nobody, diagram.lane_marks.get(lane, set()))
        attrs["label"] = _lane_label(name, kind, say, nobody)
        lane_graph = graphviz.Digraph(name="cluster_" + ("nobody" if nobody else f"lane_{n}"), graph_attr=attrs)
        budget.spend(lane_graph.source.splitlines(), depth=1)
        for node in by_lane[lane]:
            _node(lane_graph, node, say)
            budget.spend(lane_graph.body[-1:], depth=1)
        graph.subgraph(lane_graph)
    for node in by_lane.get(None, []):
        _node(graph, node, say)
        budget.spend(graph.body[-1:])
    for group in diagram.ranks:
        # One day of a timeline: these boxes stand side by side, in one column.
        same = graphviz.Digraph(graph_attr={"rank": "same"})
        for key in group:
            same.node(_name(key))
        graph.subgraph(same)
        budget.spend(same.source.splitlines(), depth=1)
    # Arrows repeat their looks and labels (a thousand referrals that cannot help): each is made once.
    looks: dict[tuple[str, frozenset[str], tuple[Tag, ...], int], dict[str, str]] = {}
    for edge in diagram.edges.values():
        look = (edge.kind, frozenset(edge.marks), tuple(edge.labels), edge.hidden)
        if look not in looks:
            looks[look] = _edge_attrs(edge, say)
        graph.edge(_name(edge.tail), _name(edge.head), _attributes=looks[look])
        budget.spend(graph.body[-1:])
    source: str = graph.source
    budget.spent = 0
    budget.spend([source])  # the exact size, now that it is known
    return source

