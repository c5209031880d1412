"""A persona's timeline: the steps it takes towards its goals, on a day axis from left to right.

Read from the persona's :class:`~kafka_tool.analysis.timing.Timeline` (CASE_FORMAT.md, "Time"):

- the **steps**: the touchpoints of the persona's plan and every step of each reachable
  goal's critical path (:meth:`~kafka_tool.analysis.timing.Timeline.path`), each a box in
  the column of the day it starts, with its desk, its organisation and its days
  ("day 20–55"); steps that start on the same day stand side by side in one column;
- an arrow from a step to each drawn step that waits for what it gives, with the document
  on it; the boxes and arrows of a critical path are bold, the others not;
- each reachable goal on the first day the persona can hold it, and each deadline
  (``within_days`` on a goal) as a marker on its day: red when the goal comes later or
  not at all, green when it comes in time;
- a window (``within_days`` on a requirement item) on the arrow that brings its document:
  purple where it is still open when the desk starts, red and dashed where it closes
  first. A desk whose window closes (``Timeline.closed``) and that gives something on the
  way to a goal is drawn at the day it would start, with the steps before it: for a
  persona who reaches no goal, that is where its time runs out.

The columns are the days on which something happens, in order but not to scale: a ruler
along the top (a plaintext box per day, joined by the axis arrows, each in a
``rank=same`` group with what happens that day) says which day each column is.
"""

from __future__ import annotations

from itertools import pairwise

from kafka_tool.analysis.engine import Analysis
from kafka_tool.analysis.personas import PersonaView
from kafka_tool.analysis.timing import Timeline
from kafka_tool.analysis.transitions import road_ahead
from kafka_tool.i18n import Words, words

from .marking import short_name
from .scene import Diagram, Edge, Node, UnknownChoice, doc_key, tp_key
from .views import persona_time_lines, unknown_persona

__all__ = ["timeline_diagram"]

#: The box of the persona at the start (no case id can make it: ids are slugs, ``p_`` starts none of ours).
START = "p_start"


def _day(say: Words, day: float) -> str:
    return say.say("day {day}", day=say.number(day))


def _span(say: Words, start: float, end: float) -> str:
    """'day 20–55', or 'day 20' for a step that takes no time."""
    if end == start:
        return _day(say, start)
    return say.say("day {start}–{end}", start=say.number(start), end=say.number(end))


class _Drawing:
    """One persona's timeline while it is drawn: the boxes by day, and which legend lines it uses."""

    def __init__(self, analysis: Analysis, view: PersonaView, timeline: Timeline, diagram: Diagram) -> None:
        self.index = analysis.index
        self.view = view
        self.timeline = timeline
        self.diagram = diagram
        self.say = words(diagram.language)
        self.days: dict[float, list[str]] = {}
        self.used: set[str] = set()
        #: what the persona has that a drawn step asks, in the order the arrows need it
        self.brings: dict[str, None] = {}

    def place(self, day: float, node: Node) -> Node:
        node = self.diagram.add_node(node)
        self.days.setdefault(day, []).append(node.key)
        return node

    def organisation(self, tp_id: str) -> str:
        actor = self.index.actor_of(tp_id)
        return self.index.name(actor) if actor else self.say.say("NOBODY RESPONSIBLE")

    def draw(self) -> list[str]:
        """Draw the steps, goals, deadlines, windows and the axis; the desks blocked by a window."""
        view, timeline, index = self.view, self.timeline, self.index
        reachable = [g for g, ok in view.goals_reachable.items() if ok and g in timeline.earliest]
        steps: dict[str, None] = dict.fromkeys(t for t in view.plan if t in timeline.starts)
        critical: set[str] = set()
        links: set[tuple[str, str]] = set()
        for goal in reachable:
            path = timeline.path(goal)
            for step in path:
                steps.setdefault(step.touchpoint)
                critical.add(step.touchpoint)
            links.update((a.touchpoint, b.touchpoint) for a, b in pairwise(path))
        # A desk a window keeps the persona from, where it would have given something on the way to a goal.
        blocked = sorted((t for t in timeline.closed if any(d in view.needed for d in view.terms.produces(index, t))),
                         key=lambda t: (timeline.closed[t][0].start, t))
        for tp_id in blocked:
            for _, doc, _ in timeline.met_by.get(tp_id, ()):
                for step in timeline.path(doc):
                    steps.setdefault(step.touchpoint)
        ordered = sorted(steps, key=lambda t: (timeline.starts[t], t))
        for tp_id in ordered:
            self.step(tp_id, tp_id in critical)
        for tp_id in blocked:
            self.blocked(tp_id)
        drawn = dict.fromkeys([*ordered, *blocked])
        for tp_id in drawn:
            self.waits(tp_id, drawn, links)
        lost = self.lost()
        for goal in reachable:
            self.goal(goal, timeline.via.get(goal, "") in critical, lost.get(goal))
        self.deadlines()
        self.axis()
        return blocked

    def lost(self) -> dict[str, str]:
        """Goal -> when the persona first loses it, growing older ('within a year (age 18)')."""
        view = self.view
        out: dict[str, str] = {}
        changes = road_ahead(self.index, view.persona, view.goals_reachable, view.ahead, self.say)
        # The road ahead says the goals by their names.
        names = {self.index.name(g): g for g in view.goals_reachable}
        for change in changes:
            for name in change.lost:
                if name in names:
                    out.setdefault(names[name], f"{change.when} ({change.values})")
        return out

    def step(self, tp_id: str, critical: bool) -> None:
        say = self.say
        start = self.timeline.starts[tp_id]
        end = start + float(self.index.touchpoints[tp_id].days or 0)
        node = self.place(start, Node(tp_key(tp_id), "touchpoint", tp_id, self.index.name(tp_id),
                                      sub=self.organisation(tp_id)))
        node.step = _span(say, start, end)
        self.used.add("timeline.step")
        if critical:
            node.marks.add("critical")
            self.used.add("timeline.critical")

    def blocked(self, tp_id: str) -> None:
        say = self.say
        shut = self.timeline.closed[tp_id]
        node = self.place(shut[0].start, Node(tp_key(tp_id), "touchpoint", tp_id, self.index.name(tp_id),
                                              sub=self.organisation(tp_id)))
        node.step = say.say("would start on day {day}", day=say.number(shut[0].start))
        node.marks.add("blocked")
        for window in shut:
            node.tag(say.say("CANNOT START: the window on {document} closed on day {day}",
                             document=self.index.name(window.document), day=say.number(window.closes)), "bad")
        self.used.add("timeline.blocked")

    def start_day(self, tp_id: str) -> float:
        if tp_id in self.timeline.starts:
            return self.timeline.starts[tp_id]
        return self.timeline.closed[tp_id][0].start

    def waits(self, tp_id: str, drawn: dict[str, None], links: set[tuple[str, str]]) -> None:
        """The arrows into ``tp_id``: from the step that gives each item it asks, with the item's window."""
        say, timeline, index = self.say, self.timeline, self.index
        start = self.start_day(tp_id)
        for req, doc, day in timeline.met_by.get(tp_id, ()):
            giver = timeline.via.get(doc, "")
            if giver in drawn:
                tail: str | None = tp_key(giver)
            elif giver == "":
                tail = self.start()
            else:  # the plan's own way to it, where the earliest one is not drawn
                tail = next((tp_key(t) for t in drawn if t != tp_id and doc in self.view.terms.produces(index, t)),
                            None)
            window = None
            if req.window is not None:
                closes = day + req.window
                shut = start - day > req.window
                window = (say.say_n("within {days} day: closes on day {day}", "within {days} days: closes on day {day}",
                                    1 if req.window == 1 else 2, days=say.number(req.window),
                                    day=say.number(closes)), shut)
                self.days.setdefault(closes, [])
                self.used.add("timeline.window_shut" if shut else "timeline.window")
            if tail is None:
                if window is not None:
                    self.diagram.nodes[tp_key(tp_id)].tag(f"{index.name(doc)}: {window[0]}",
                                                          "bad" if window[1] else "window")
                continue
            edge = self.diagram.add_edge(Edge(tail, tp_key(tp_id), "waits"))
            if tail == START:  # the start's box lists what it brings: an arrow from it in the same column
                self.brings.setdefault(doc)  # would put its label over the box
            else:
                edge.label(index.name(doc), "muted")
            self.used.add("timeline.waits")
            if (giver, tp_id) in links:
                edge.marks.add("critical")
            if window is not None:
                edge.marks.add("window_shut" if window[1] else "window_open")
                edge.label(window[0], "bad" if window[1] else "window")

    def start(self) -> str:
        """The box of the persona at day 0 (made when an arrow needs it; what it brings is listed by :meth:`axis`)."""
        if START not in self.diagram.nodes:
            persona = self.view.persona
            self.place(0.0, Node(START, "start", persona.id, short_name(persona.name)))
            self.used.add("timeline.start")
        return START

    def goal(self, goal: str, critical: bool, lost: str | None) -> None:
        say, timeline = self.say, self.timeline
        day = timeline.earliest[goal]
        node = self.place(day, Node(doc_key(goal), "document", goal, self.index.name(goal)))
        node.step = _day(say, day)
        node.tag(say.say("GOAL"), "good")
        deadline = self.view.deadlines.get(goal)
        if deadline is not None and day > deadline:
            node.marks.add("missed")
            node.tag(say.say("TOO LATE: needed by day {day}", day=say.number(deadline)), "bad")
        else:
            node.marks.add("goal_ok")
            if deadline is not None:
                node.tag(say.say("in time: needed by day {day}", day=say.number(deadline)), "good")
        if lost is not None:
            node.tag(say.say("LOST LATER: {when}", when=lost), "bad")
        self.used.add("timeline.goal")
        giver = timeline.via.get(goal, "")
        if giver:
            edge = self.diagram.add_edge(Edge(tp_key(giver), node.key, "produces"))
            if critical:
                edge.marks.add("critical")
        else:
            node.tag(say.say("has it from the start"), "good")

    def deadlines(self) -> None:
        """A marker on the day each goal with a deadline is needed by: red when it comes later or never."""
        say = self.say
        for goal, deadline in self.view.deadlines.items():
            if goal not in self.view.goals_reachable:
                continue
            day = self.view.earliest(goal)
            node = Node(f"n_{goal}", "marker", goal, say.say("day {day}: needed", day=say.number(deadline)),
                        sub=self.index.name(goal))
            if day is None:
                node.marks.add("missed")
                node.tag(say.say("OUT OF REACH"), "bad")
            elif day > deadline:
                node.marks.add("missed")
                node.tag(say.say("comes on day {day}: too late", day=say.number(day)), "bad")
            else:
                node.marks.add("met")
                node.tag(say.say("comes on day {day}: in time", day=say.number(day)), "good")
            self.place(deadline, node)
            self.used.add("timeline.deadline")

    def axis(self) -> None:
        """The ruler of days along the top, and each day's column."""
        start = self.diagram.nodes.get(START)
        if start is not None:
            names = [self.index.name(doc) for doc in self.brings]
            start.sub = self.say.say("at the start, with {documents}", documents=self.say.list(names))
        if not self.days:
            return
        ticks = []
        for n, day in enumerate(sorted(self.days)):
            tick = self.diagram.add_node(Node(f"x_{n}", "tick", str(n), _day(self.say, day)))
            ticks.append(tick.key)
            self.diagram.ranks.append((tick.key, *self.days[day]))
            for key in self.days[day]:
                # A flat arrow orders its rank: the day stays above what happens on it.
                self.diagram.add_edge(Edge(tick.key, key, "pin"))
        for a, b in pairwise(ticks):
            self.diagram.add_edge(Edge(a, b, "axis"))
        if len(ticks) > 1:
            self.diagram.edges[(ticks[-2], ticks[-1], "axis")].marks.add("axis_end")
        self.used.add("timeline.axis")


#: The order of the legend's lines.
_LEGEND = ("timeline.axis", "timeline.step", "timeline.critical", "timeline.waits", "timeline.start", "timeline.goal",
           "timeline.deadline", "timeline.window", "timeline.window_shut", "timeline.blocked")


def timeline_diagram(analysis: Analysis, persona_id: str) -> Diagram:
    """The steps a persona takes towards its reachable goals, on a day axis (see the module's docstring)."""
    view = analysis.views.get(persona_id)
    case = analysis.case
    say = words(case.language)
    if view is None:
        raise UnknownChoice("timeline", unknown_persona(case, persona_id, say))
    persona = view.persona
    diagram = Diagram(language=case.language, currency=case.currency,
                      title=say.say("Timeline of {who}", who=persona.name) + f" — {case.title}",
                      legend_first=(), persona_name=short_name(persona.name))
    blocked: list[str] = []
    used: set[str] = set()
    if view.timeline is not None:
        drawing = _Drawing(analysis, view, view.timeline, diagram)
        blocked = drawing.draw()
        used = drawing.used
    for key in _LEGEND:
        if key in used:
            diagram.use(key)
    diagram.show_legend = bool(diagram.nodes)
    caption = list(persona.about)
    caption += persona_time_lines(analysis, view, say)
    who = short_name(persona.name)
    if not any(view.goals_reachable.values()):
        caption.append(say.say("{who} can reach none of the goals: there are no steps towards them to lay out "
                               "in days.", who=who))
        if blocked:
            caption.append(say.say_n("Drawn instead: the desk whose window closes before {who} can start there, and "
                                     "the steps before it.",
                                     "Drawn instead: the desks whose window closes before {who} can start there, and "
                                     "the steps before them.", len(blocked), who=who))
        else:
            # A picture for a meeting: the view is named by what it shows, not by a command's option.
            caption.append(say.say("The persona's diagram of the case shows where the way stops."))
    elif view.burden.elapsed_days:
        caption.append(say.say("Every goal {who} can reach is there by day {day}; steps run side by side where "
                               "they can.", who=who, day=say.number(view.burden.elapsed_days)))
    diagram.caption = caption
    return diagram
