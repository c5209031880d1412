"""A graph in the terminal: a finding's loop as a ring of boxes, or an element's neighbourhood.

Drawing happens on a small character canvas that remembers, for every cell,
which way lines leave it; junctions and corners come out of that, so lines
that meet join up (``┬``, ``├``) without special cases. The layout is pure
Python (:func:`finding_drawing`, :func:`neighbourhood_drawing`), tested
without Textual; :class:`GraphView` shows it.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Collection, Container, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual.containers import ScrollableContainer
from textual.widgets import Static

from kafka_tool.findings import Finding
from kafka_tool.i18n import N_, Words, words
from kafka_tool.model import Case, produced_documents, requirement_alternatives

__all__ = ["Canvas", "Edge", "GraphView", "case_edges", "finding_drawing", "neighbourhood_drawing"]

_UP, _DOWN, _LEFT, _RIGHT = 1, 2, 4, 8
_JUNCTIONS = {
    _LEFT | _RIGHT: "─",
    _LEFT: "─",
    _RIGHT: "─",
    _UP | _DOWN: "│",
    _UP: "│",
    _DOWN: "│",
    _DOWN | _RIGHT: "┌",
    _DOWN | _LEFT: "┐",
    _UP | _RIGHT: "└",
    _UP | _LEFT: "┘",
    _UP | _DOWN | _RIGHT: "├",
    _UP | _DOWN | _LEFT: "┤",
    _DOWN | _LEFT | _RIGHT: "┬",
    _UP | _LEFT | _RIGHT: "┴",
    _UP | _DOWN | _LEFT | _RIGHT: "┼",
}

#: Styles by element type; ANSI names, which Textual maps through the light or dark ANSI theme.
TYPE_STYLES = {
    "touchpoint": "bold",
    "document": "green",
    "actor": "magenta",
    "rule": "yellow",
    "persona": "blue",
}
#: The tag on a box: what kind of element it is (a message of the catalogue).
_TAGS = {"touchpoint": N_("touchpoint"), "document": N_("document"), "actor": N_("actor"), "rule": N_("rule"),
         "persona": N_("persona")}
#: The words on the arrows (messages of the catalogue), said when they are drawn.
EDGE_WORDS = (N_("owned by"), N_("serves at"), N_("governed by"), N_("requires"), N_("produces"), N_("refers to"),
              N_("has"), N_("goal"), N_("made at"), N_("needs"))


class Canvas:
    """A grid of characters with line arms, drawn into and rendered as Rich text."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], tuple[str, str]] = {}
        self.arms: dict[tuple[int, int], int] = {}
        self.styles: dict[tuple[int, int], str] = {}

    def put(self, x: int, y: int, text: str, style: str = "") -> None:
        """Write ``text`` from (x, y) to the right."""
        for i, char in enumerate(text):
            self.cells[(x + i, y)] = (char, style)

    def _arm(self, x: int, y: int, arm: int, style: str) -> None:
        self.arms[(x, y)] = self.arms.get((x, y), 0) | arm
        if style and (x, y) not in self.styles:
            self.styles[(x, y)] = style

    def hline(self, y: int, x0: int, x1: int, style: str = "") -> None:
        """A horizontal line between two columns (inclusive)."""
        lo, hi = sorted((x0, x1))
        for x in range(lo, hi + 1):
            self._arm(x, y, (_LEFT if x > lo else 0) | (_RIGHT if x < hi else 0) or _LEFT | _RIGHT, style)

    def vline(self, x: int, y0: int, y1: int, style: str = "") -> None:
        """A vertical line between two rows (inclusive)."""
        lo, hi = sorted((y0, y1))
        for y in range(lo, hi + 1):
            self._arm(x, y, (_UP if y > lo else 0) | (_DOWN if y < hi else 0) or _UP | _DOWN, style)

    def box(self, x: int, y: int, width: int, lines: list[str], style: str = "", tag: str = "") -> None:
        """A box whose top-left corner is (x, y), holding ``lines`` of text."""
        height = len(lines) + 2
        self.hline(y, x, x + width - 1, style)
        self.hline(y + height - 1, x, x + width - 1, style)
        self.vline(x, y, y + height - 1, style)
        self.vline(x + width - 1, y, y + height - 1, style)
        if tag:
            room = width - 5  # the tag, a space either side, between the corners and a stroke of the top line
            if len(tag) > room:
                tag = tag[:max(room - 1, 0)] + "…"
            self.put(x + 2, y, f" {tag} ", "dim")
        for n, line in enumerate(lines):
            self.put(x + 2, y + 1 + n, line.ljust(width - 4), style)

    def render(self) -> Text:
        """The drawing as Rich text."""
        keys = set(self.cells) | set(self.arms)
        if not keys:
            return Text("")
        width = max(x for x, _ in keys) + 1
        height = max(y for _, y in keys) + 1
        text = Text(no_wrap=True, overflow="crop")
        for y in range(height):
            for x in range(width):
                if (x, y) in self.cells:
                    char, style = self.cells[(x, y)]
                    text.append(char, style)
                elif (x, y) in self.arms:
                    text.append(_JUNCTIONS[self.arms[(x, y)]], self.styles.get((x, y), ""))
                else:
                    text.append(" ")
            text.append("\n")
        text.rstrip()
        return text


@dataclass(frozen=True)
class Edge:
    """A drawn edge: from, to, and its label."""

    source: str
    target: str
    label: str


@dataclass
class _Names:
    words: Words
    names: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)

    def tag(self, kind: str) -> str:
        """The tag on a box of ``kind``, in the words' language."""
        return self.words.say(_TAGS[kind]) if kind in _TAGS else ""


def _names(case: Case, said: Words) -> _Names:
    found = _Names(said)
    for kind, items in (
        ("actor", case.actors),
        ("document", case.documents),
        ("rule", case.rules),
        ("touchpoint", case.touchpoints),
        ("persona", case.personas),
    ):
        for item in items:
            found.names[item.id] = item.name
            found.types[item.id] = kind
    return found


class _EveryId:
    """Holds every id."""

    def __contains__(self, item: object) -> bool:
        return True


_EVERY_ID = _EveryId()


def case_edges(case: Case, touching: Collection[str] | None = None) -> list[Edge]:
    """Every edge of the case graph, as the neighbourhood draws it (source → target); with
    ``touching``, only the edges with an end among those ids, in the same order (read without
    making the others: a large case has tens of thousands)."""
    near: Container[str] = (_EVERY_ID if touching is None else
                            touching if isinstance(touching, (set, frozenset)) else set(touching))
    edges: list[Edge] = []
    for rule in case.rules:
        if rule.owner and (rule.id in near or rule.owner in near):
            edges.append(Edge(rule.id, rule.owner, "owned by"))
    for tp in case.touchpoints:
        mine = tp.id in near
        if tp.actor and (mine or tp.actor in near):
            edges.append(Edge(tp.actor, tp.id, "serves at"))
        for rule_id in tp.rules:
            if mine or rule_id in near:
                edges.append(Edge(tp.id, rule_id, "governed by"))
        for item in tp.requires:
            for doc in requirement_alternatives(item):
                if mine or doc in near:
                    edges.append(Edge(tp.id, doc, "requires"))
        for doc in produced_documents(tp.produces):
            if mine or doc in near:
                edges.append(Edge(tp.id, doc, "produces"))
        for target in tp.refers_to:
            if mine or target in near:
                edges.append(Edge(tp.id, target, "refers to"))
    for persona in case.personas:
        mine = persona.id in near
        for doc in persona.has:
            if mine or doc in near:
                edges.append(Edge(persona.id, doc, "has"))
        for doc in persona.goal_ids:
            if mine or doc in near:
                edges.append(Edge(persona.id, doc, "goal"))
    return list(dict.fromkeys(edges))


def _flow_edges(case: Case, touching: Collection[str] | None = None) -> list[Edge]:
    """Edges in the direction a citizen experiences them: a document is *made at* a touchpoint,
    a touchpoint *needs* a document, and refers on; so a circular requirement is a directed cycle.
    With ``touching``, only those with an end among those ids."""
    flow: list[Edge] = []
    for edge in case_edges(case, touching):
        if edge.label == "produces":
            flow.append(Edge(edge.target, edge.source, "made at"))
        elif edge.label == "requires":
            flow.append(Edge(edge.source, edge.target, "needs"))
        elif edge.label == "refers to":
            flow.append(edge)
    return flow


def _wrap(text: str, width: int, lines: int = 2) -> list[str]:
    # A word longer than the box is split with a hyphen, not cut anywhere.
    parts = []
    for word in text.split():
        while len(word) > width:
            parts.append(word[: width - 1] + "-")
            word = word[width - 1:]
        parts.append(word)
    wrapped = textwrap.wrap(" ".join(parts), width, break_on_hyphens=False) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1] + "…"
    return wrapped + [""] * (lines - len(wrapped))


def _label_between(canvas: Canvas, y: int, x0: int, x1: int, label: str, arrow: str) -> None:
    """A horizontal arrow from column x0 to x1 with ``label`` in its middle."""
    canvas.hline(y, x0, x1)
    if arrow == "▶":
        canvas.put(x1, y, "▶")
    else:
        canvas.put(x0, y, "◀")
    length = abs(x1 - x0) + 1
    room = length - 2  # a dash at the start, the arrow at the end
    if room >= 3:
        # cut at a word, not in one ("gemaakt bij" → "gemaakt")
        fits = label if len(label) <= room - 2 else label[: room - 2].rsplit(" ", 1)[0]
        text = f" {fits[: room - 2]} "
        canvas.put(min(x0, x1) + 1 + (arrow != "▶") + (room - len(text)) // 2, y, text, "italic")


def _least_box_width(nodes: Sequence[str], names: _Names) -> int:
    """Wide enough for the longest word of a name, so that no word is split (within reason)."""
    longest = max((len(w) for n in nodes for w in names.names.get(n, n).split()), default=0)
    return max(16, min(30, longest + 4))


#: Narrower boxes (a long word split with a hyphen) and gaps, for a ring that must fit a low pane.
COMPACT_GAP, COMPACT_BOX = 12, 16


def ring_drawing(
    cycle: list[str],
    labels: dict[tuple[str, str], str],
    names: _Names,
    width: int = 116,
    highlight: frozenset[str] = frozenset(),
    height: int | None = None,
) -> Text:
    """The cycle ``cycle[0] → cycle[1] → … → cycle[0]`` drawn as a ring of boxes.

    The boxes are wide enough for the longest word of a name; when that makes the drawing taller
    than ``height`` rows, narrower boxes (a long word split) are used if they make it lower.
    """
    drawing = _ring(cycle, labels, names, width, highlight, 14, _least_box_width(cycle, names))
    rows = len(drawing.plain.splitlines())
    if height is not None and rows > height:
        compact = _ring(cycle, labels, names, width, highlight, COMPACT_GAP, COMPACT_BOX)
        if len(compact.plain.splitlines()) < rows:
            return compact
    return drawing


def _ring(
    cycle: list[str],
    labels: dict[tuple[str, str], str],
    names: _Names,
    width: int,
    highlight: frozenset[str],
    gap: int,
    least: int,
) -> Text:
    """A ring with boxes at least ``least`` wide, ``gap`` columns apart (see :func:`ring_drawing`)."""
    canvas = Canvas()
    k = len(cycle)
    box_h = 5
    capacity = max(1, (width + gap) // (least + gap))
    if k > 2 * capacity:
        return _serpentine(cycle, labels, names, width, highlight)
    per_row = k if k <= capacity else math.ceil(k / 2)
    box_w = max(least, min(30, (width - gap * (per_row - 1)) // per_row))

    def draw(node: str, col: int, row: int) -> tuple[int, int]:
        x, y = col * (box_w + gap), row * (box_h + 3)
        kind = names.types.get(node, "")
        style = TYPE_STYLES.get(kind, "")
        if node in highlight:
            style = f"{style} reverse".strip()
        canvas.box(x, y, box_w, _wrap(names.names.get(node, node), box_w - 4, 3), style, names.tag(kind))
        return x, y

    def label(a: str, b: str) -> str:
        return labels.get((a, b), "")

    if k == 1:
        x, y = draw(cycle[0], 0, 0)
        cx = x + box_w // 2
        canvas.vline(cx, y + box_h, y + box_h + 1)
        canvas.hline(y + box_h + 1, cx, x + box_w + 4)
        canvas.vline(x + box_w + 4, y + 1, y + box_h + 1)
        canvas.hline(y + 1, x + box_w - 1, x + box_w + 4)
        canvas.put(x + box_w, y + 1, "◀")
        return canvas.render()
    if k <= per_row:
        for i, node in enumerate(cycle):
            draw(node, i, 0)
            if i:
                _label_between(
                    canvas, 1, (i - 1) * (box_w + gap) + box_w, i * (box_w + gap) - 1, label(cycle[i - 1], node), "▶"
                )
        first_c = box_w // 2
        last_c = (k - 1) * (box_w + gap) + box_w // 2
        canvas.vline(last_c, box_h - 1, box_h + 1)
        canvas.hline(box_h + 1, first_c, last_c)
        canvas.vline(first_c, box_h - 1, box_h + 1)
        canvas.put(first_c, box_h, "▲")
        back = label(cycle[-1], cycle[0])
        canvas.put(first_c + (last_c - first_c - len(back)) // 2, box_h + 1, f" {back} ", "italic")
        return canvas.render()
    top = cycle[:per_row]
    bottom = cycle[per_row:]
    for i, node in enumerate(top):
        draw(node, i, 0)
        if i:
            _label_between(
                canvas, 1, (i - 1) * (box_w + gap) + box_w, i * (box_w + gap) - 1, label(top[i - 1], node), "▶"
            )
    # Down the right-hand side, then leftwards along the bottom row.
    right_c = (per_row - 1) * (box_w + gap) + box_w // 2
    canvas.vline(right_c, box_h - 1, box_h + 3)
    canvas.put(right_c, box_h + 2, "▼")
    down = label(top[-1], bottom[0])
    # beside the line going down; on its left when the right has no room
    beside = right_c + 2 if right_c + 2 + len(down) <= width else right_c - 1 - len(down)
    canvas.put(beside, box_h + 1, down, "italic")
    cols = [per_row - 1 - j for j in range(len(bottom))]
    for j, node in enumerate(bottom):
        draw(node, cols[j], 1)
        if j:
            _label_between(
                canvas,
                box_h + 4,
                cols[j] * (box_w + gap) + box_w,
                cols[j - 1] * (box_w + gap) - 1,
                label(bottom[j - 1], node),
                "◀",
            )
    first_c = box_w // 2
    back = label(cycle[-1], cycle[0])
    if cols[-1] == 0:
        canvas.vline(first_c, box_h - 1, box_h + 3)
        canvas.put(first_c, box_h, "▲")
        canvas.put(first_c + 2, box_h + 1, back, "italic")
    else:
        y = box_h + 4
        x_left = cols[-1] * (box_w + gap)
        canvas.hline(y, first_c, x_left)
        canvas.vline(first_c, box_h - 1, y)
        canvas.put(first_c, box_h, "▲")
        canvas.put(first_c + 2, y - 1, back, "italic")
    return canvas.render()


def _serpentine(
    cycle: list[str],
    labels: dict[tuple[str, str], str],
    names: _Names,
    width: int,
    highlight: frozenset[str],
) -> Text:
    """A long cycle in as many rows as the width needs, snaking left to right, then right to left.

    The last box leads back to the first along the bottom and up the left-hand margin.
    """
    canvas = Canvas()
    k = len(cycle)
    gap, box_h, margin = 12, 5, 3
    least = _least_box_width(cycle, names)
    per_row = max(2, (width - margin + gap) // (least + gap))
    rows = math.ceil(k / per_row)
    per_row = math.ceil(k / rows)  # rows as even as they can be
    box_w = max(least, min(30, (width - margin - gap * (per_row - 1)) // per_row))
    row_h = box_h + 3

    def place(i: int) -> tuple[int, int, int]:
        row, j = divmod(i, per_row)
        col = j if row % 2 == 0 else per_row - 1 - j
        return margin + col * (box_w + gap), row * row_h, row

    for i, node in enumerate(cycle):
        x, y, row = place(i)
        kind = names.types.get(node, "")
        style = TYPE_STYLES.get(kind, "")
        if node in highlight:
            style = f"{style} reverse".strip()
        canvas.box(x, y, box_w, _wrap(names.names.get(node, node), box_w - 4, 3), style, names.tag(kind))
        if i == 0:
            continue
        px, py, prow = place(i - 1)
        label = labels.get((cycle[i - 1], node), "")
        if prow == row:
            if x > px:
                _label_between(canvas, y + 1, px + box_w, x - 1, label, "▶")
            else:
                _label_between(canvas, y + 1, x + box_w, px - 1, label, "◀")
        else:  # down to the next row, in the same column
            centre = px + box_w // 2
            canvas.vline(centre, py + box_h - 1, y - 1)
            canvas.put(centre, y - 1, "▼")
            canvas.put(centre + 2, py + box_h, label, "italic")
    # Back to the start: below the last row, along to the margin, up, and into the first box.
    lx, ly, _ = place(k - 1)
    bottom = ly + box_h + 1
    canvas.vline(lx + box_w // 2, ly + box_h - 1, bottom)
    canvas.hline(bottom, 1, lx + box_w // 2)
    canvas.vline(1, 2, bottom)
    canvas.hline(2, 1, margin)
    canvas.put(margin - 1, 2, "▶")
    back = labels.get((cycle[-1], cycle[0]), "")
    canvas.put(3, bottom, f" {back} ", "italic")
    return canvas.render()


def neighbourhood_drawing(case: Case, node: str, highlight: frozenset[str] = frozenset(), width: int = 116,
                          said: Words | None = None) -> Text:
    """``node`` in the middle, what points to it on the left, what it points to on the right
    (in the words of ``said``; by default the case's language)."""
    said = said or words(case.language)
    names = _names(case, said)
    edges = case_edges(case, {node})
    incoming = [e for e in edges if e.target == node and e.source != node]
    outgoing = [e for e in edges if e.source == node]
    canvas = Canvas()
    lane = 16
    side_w = max(16, min(30, (width - 2 * lane) // 3))
    centre_w = max(16, min(28, width - 2 * side_w - 2 * lane))
    centre_x = side_w + lane
    right_x = centre_x + centre_w + lane
    rows = max(len(incoming), len(outgoing), 1)
    centre_y = max(0, (rows * 4 - 4) // 2)

    def draw(item: str, x: int, y: int, w: int) -> None:
        kind = names.types.get(item, "")
        style = TYPE_STYLES.get(kind, "")
        if item in highlight:
            style = f"{style} reverse".strip()
        canvas.box(x, y, w, _wrap(names.names.get(item, item), w - 4), style, names.tag(kind))

    draw(node, centre_x, centre_y, centre_w)
    mid = centre_y + 2
    for n, edge in enumerate(incoming):
        y = n * 4 + 2 if incoming else mid
        draw(edge.source, 0, n * 4, side_w)
        bus = centre_x - 3
        canvas.hline(y, side_w - 1, bus)
        canvas.vline(bus, y, mid)
        canvas.put(side_w + 1, y, f" {said.say(edge.label)} "[: bus - side_w - 1], "italic")
    if incoming:
        canvas.hline(mid, centre_x - 3, centre_x - 1)
        canvas.put(centre_x - 1, mid, "▶")
    for n, edge in enumerate(outgoing):
        y = n * 4 + 2
        draw(edge.target, right_x, n * 4, side_w)
        bus = centre_x + centre_w + 2
        canvas.hline(y, bus, right_x - 1)
        canvas.vline(bus, y, mid)
        canvas.put(right_x - 1, y, "▶")
        canvas.put(bus + 1, y, f" {said.say(edge.label)} "[: right_x - bus - 2], "italic")
    if outgoing:
        canvas.hline(mid, centre_x + centre_w - 1, centre_x + centre_w + 2)
    text = canvas.render()
    if not incoming and not outgoing:
        text.append("\n\n" + said.say("Nothing in the case refers to this element, and it refers to nothing."), "dim")
    return text


def finding_drawing(case: Case, finding: Finding, width: int = 116, said: Words | None = None,
                    height: int | None = None) -> Text:
    """A finding's subgraph: its loop as a ring when it has one (lower than ``height`` rows if it can
    be), else its first node's neighbourhood; in the words of ``said`` (by default the case's language)."""
    said = said or words(case.language)
    names = _names(case, said)
    nodes = [n for n in finding.nodes if n in names.names]
    # The circle the analysis found (of several shown, the one that covers the most).
    circles = [list(t.nodes) for t in finding.trails if t.closed and all(n in names.names for n in t.nodes)]
    cycle = max(circles, key=len) if circles else []
    if len(cycle) >= 2:
        labels = {(e.source, e.target): said.say(e.label) for e in _flow_edges(case, set(cycle))}
        text = ring_drawing(cycle, labels, names, width, frozenset(nodes), height)
        rest = [n for n in nodes if n not in cycle]
        if rest:
            text.append(_also(names, rest, width), "dim")
        return text
    if not nodes:
        return Text(said.say("This finding names no element of the case to draw."), "dim")
    text = neighbourhood_drawing(case, nodes[0], frozenset(nodes), width, said)
    if len(nodes) > 1:
        text.append(_also(names, nodes[1:], width), "dim")
    return text


def _also(names: _Names, nodes: Sequence[str], width: int) -> str:
    """'Also involved: ...', wrapped to the width (the drawing itself is never wrapped)."""
    line = names.words.say("Also involved: {names}", names=", ".join(names.names.get(n, n) for n in nodes))
    return "\n\n" + "\n".join(textwrap.wrap(line, max(20, width)))


class GraphView(ScrollableContainer, can_focus=True):
    """The selected finding's subgraph, or the neighbourhood of the selected element."""

    #: It can fill the screen (the case screen's full graph).
    ALLOW_MAXIMIZE = True

    HELP = N_("""\
## Graph

The selected finding's loop is drawn as a ring of boxes, so that a circle
looks like a circle: follow the arrows round. With no finding selected, the
selected element is drawn in the middle of what refers to it (left) and what
it refers to (right). Scroll with the arrow keys or the mouse.
""")

    @property
    def words(self) -> Words:
        """The words the interface speaks, for the case drawn."""
        language = self._last[0].language if getattr(self, "_last", None) is not None else None  # type: ignore[index]
        return self.app.words_for(language)  # type: ignore[attr-defined, no-any-return]

    def compose(self) -> Any:
        yield Static(Text(self.words.say("Select an element in the tree, or a finding, to draw it."), "dim"),
                     id="graph-body")

    def on_mount(self) -> None:
        """Nothing drawn yet."""
        self._last: tuple[Case, Finding | None, str | None] | None = None

    def _width(self) -> int:
        width = self.size.width
        if not width:
            try:
                width = self.screen.query_one("#case-right").size.width - 2
            except Exception:  # no case screen around it (a test, a preview)
                width = 0
        return max(60, (width or 116) - 2)

    def show(self, case: Case, *, finding: Finding | None = None, node: str | None = None) -> None:
        """Draw a finding's subgraph or an element's neighbourhood."""
        self._last = (case, finding, node)
        width = self._width()
        said = self.words
        # what the pane shows below the title, when the pane has been laid out
        height = self.size.height - 2 if self.size.height > 2 else None
        if finding is not None:
            title = Text.assemble((said.say("Finding:") + " ", "bold"), finding.title, "\n\n")
            body = finding_drawing(case, finding, width, said, height)
        elif node is not None:
            named = _names(case, said).names.get(node, node)
            title = Text.assemble((said.say("Neighbourhood of {element}", element=named), "bold"), "\n\n")
            body = neighbourhood_drawing(case, node, frozenset({node}), width, said)
        else:
            title, body = Text(), Text(said.say("Select an element in the tree, or a finding, to draw it."), "dim")
        text = title + body
        text.no_wrap = True
        text.overflow = "crop"
        self.query_one("#graph-body", Static).update(text)

    def on_resize(self) -> None:
        """Draw again for the new width."""
        if getattr(self, "_last", None) is not None:
            case, finding, node = self._last  # type: ignore[misc]
            self.show(case, finding=finding, node=node)
