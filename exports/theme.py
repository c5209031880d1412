"""What marks look like: colours, line styles, shapes, written tags and legend entries.

A view puts marks on a diagram's elements by name (:mod:`exports.scene`); this module
says what each name looks like, so that a dead end looks the same in every diagram.
Colour is never the only signal: every mark also has a shape, a line style or a
written tag.

Where several marks fall on one element, the tables :data:`NODE_LOOKS`,
:data:`EDGE_LOOKS` and :data:`RULE_LOOKS` decide: each lists marks from the weakest to
the strongest, and a stronger mark's attributes are drawn over a weaker one's. A mark
may have more than one row, when one of its attributes gives way to marks that its
others overrule: a dead end's red fill yields to the yellow of a finding's focus and the
amber of nobody-responsible, its red double border only to what an intervention changes.

Every finding kind's mark (:class:`kafka_tool.analysis.kinds.Mark`) has its entry in
:data:`MARKS`: its legend line and the words of its tag. A new kind with a new mark
name needs one entry there; a test checks that every mark of the registry has one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from kafka_tool.i18n import N_, Words

__all__ = [
    "EDGE_LOOKS",
    "LEGEND",
    "MARKS",
    "MUTED",
    "NODE_LOOKS",
    "RULE_LOOKS",
    "TONES",
    "LegendEntry",
    "Look",
    "MarkTheme",
    "TagFacts",
    "TagWords",
    "edge_attrs",
    "lane_attrs",
    "legend_entry",
    "node_attrs",
    "rule_colour",
]

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
WHITE = "#ffffff"
FRAME = "#aab7b8"
LANE_FILLS = ("#eef3f8", "#f3f0f7", "#eef6f0", "#f8f3ea", "#f0f4f4", "#f7eff0")
#: The colour of a written tag, by its tone.
TONES = {"bad": RED, "warn": AMBER, "good": GREEN, "info": CHANGE_BLUE, "muted": GREY, "loop": ORANGE,
         "window": PURPLE}
#: Marks that grey a box out (what is around a finding, what an intervention removes).
MUTED = frozenset({"context", "removed"})

FONT = "Helvetica"
GRAPH = {"rankdir": "LR", "newrank": "true", "nodesep": "0.35", "ranksep": "0.6", "fontname": FONT,
         "labelloc": "t", "labeljust": "l", "pad": "0.3"}
NODE_DEFAULTS = {"fontname": FONT, "margin": "0.12,0.06"}
EDGE_DEFAULTS = {"fontname": FONT, "fontsize": "9"}


@dataclass(frozen=True)
class Look:
    """What a mark changes on a box or an arrow: DOT attributes, and line styles it adds or takes away."""

    attrs: Mapping[str, str] = field(default_factory=dict)
    add_style: tuple[str, ...] = ()
    drop_style: tuple[str, ...] = ()


#: A box before any mark, by the kind of box.
NODE_BASE: dict[str, dict[str, str]] = {
    "group": {"shape": "box", "style": "rounded,dashed", "color": GREY, "fontcolor": GREY, "fontsize": "9",
              "height": "0.2", "width": "0.3", "margin": "0.04,0.02"},
    "document": {"shape": "note", "style": "filled", "fillcolor": WHITE, "color": "#566573", "penwidth": "1.2"},
    "touchpoint": {"shape": "box", "style": "rounded,filled", "fillcolor": WHITE, "color": INK, "penwidth": "1.4"},
}
NODE_BASE["step"] = NODE_BASE["touchpoint"]
# A timeline's own boxes: the days on its axis, the days goals are needed by, and the persona at the start.
NODE_BASE["tick"] = {"shape": "plaintext", "margin": "0.02"}
NODE_BASE["marker"] = {"shape": "box", "style": "filled", "fillcolor": WHITE, "color": INK, "penwidth": "1.4"}
NODE_BASE["start"] = {"shape": "box", "style": "rounded,filled", "fillcolor": GREEN_FILL, "color": GREEN,
                      "penwidth": "1.4"}

#: The marks of a box, weakest first: a later row is drawn over an earlier one.
NODE_LOOKS: tuple[tuple[str, Look], ...] = (
    ("context", Look({"color": LIGHT})),
    ("obtainable", Look({"fillcolor": GREEN_FILL, "color": GREEN})),
    ("out_of_reach", Look({"fillcolor": "#f2f3f4", "color": GREY}, add_style=("dashed",))),
    ("helpful", Look({"color": GREEN, "penwidth": "2.5"})),
    ("cannot_help", Look({"fillcolor": "#f4f6f6", "color": GREY})),
    # A dead end's fill gives way to the focus and to nobody-responsible; its border (below) does not.
    ("dead_end", Look({"fillcolor": RED_FILL})),
    ("focus", Look({"fillcolor": FOCUS_FILL})),
    ("no_owner", Look({"fillcolor": AMBER_FILL, "color": AMBER, "penwidth": "2.5"})),
    ("cycle", Look({"color": RED, "penwidth": "2.5"})),
    ("goal_out", Look({"color": RED, "penwidth": "3"})),
    ("gap", Look({"color": RED, "penwidth": "3"})),
    ("goal_ok", Look({"penwidth": "3"})),
    ("late", Look({"color": ORANGE, "penwidth": "3"}, add_style=("bold",))),
    ("transition", Look({"color": RED, "penwidth": "3"}, add_style=("dashed",))),
    ("cliff", Look({"color": ORANGE, "penwidth": "3"}, add_style=("dashed",))),
    ("window", Look({"color": PURPLE, "penwidth": "3"}, add_style=("dashed",))),
    ("unobtainable", Look({"fillcolor": RED_FILL, "color": RED, "penwidth": "2.5"}, add_style=("dashed",))),
    # Square corners and a double red border: unlike every other touchpoint, even in grey print.
    ("dead_end", Look({"peripheries": "2", "color": RED, "penwidth": "2"}, drop_style=("rounded",))),
    ("back", Look({"color": ORANGE, "penwidth": "3", "fillcolor": AMBER_FILL})),
    ("added", Look({"color": GREEN, "penwidth": "3"})),
    ("changed", Look({"color": CHANGE_BLUE, "penwidth": "3"})),
    ("removed", Look({"color": GREY, "fillcolor": "#f4f6f6", "penwidth": "1.5", "fontcolor": GREY},
                     add_style=("dashed",))),
    # A timeline's marks: the steps that decide when a goal comes, deadlines met and missed, and a desk
    # whose window closes before it can start.
    ("critical", Look({"penwidth": "3.5"}, add_style=("bold",))),
    ("met", Look({"color": GREEN, "fillcolor": GREEN_FILL})),
    ("missed", Look({"color": RED, "fillcolor": RED_FILL, "penwidth": "3"})),
    ("blocked", Look({"color": RED, "fillcolor": RED_FILL, "penwidth": "2.5"}, add_style=("dashed",))),
)

#: An arrow before any mark, by the kind of arrow.
EDGE_BASE: dict[str, dict[str, str]] = {
    "requires": {"style": "dashed", "color": GREY, "arrowhead": "onormal", "penwidth": "1.2"},
    "alternative": {"style": "dashed", "color": GREY, "arrowhead": "none", "penwidth": "1.2"},
    "produces": {"color": INK, "arrowhead": "normal", "penwidth": "1.2"},
    "refers": {"color": BLUE, "style": "bold", "penwidth": "2.2", "arrowhead": "vee"},
    "next": {"color": INK, "penwidth": "1.6", "arrowhead": "normal"},
    "back": {"color": ORANGE, "penwidth": "2.5", "style": "dashed", "arrowhead": "vee", "constraint": "false"},
    # A timeline's arrows: the day axis, and a step waiting for what an earlier one gives.
    "axis": {"color": GREY, "penwidth": "2", "arrowhead": "none", "weight": "100"},
    "waits": {"color": INK, "penwidth": "1.4", "arrowhead": "normal"},
    "pin": {"style": "invis", "arrowhead": "none"},
}

#: The marks of an arrow, weakest first. An arrow has one colour and one line, so where
#: findings share it only the strongest is drawn and each is also written on it (see
#: :class:`TagWords`): a referral loop is drawn over a futile referral (issue 13, item 12).
EDGE_LOOKS: tuple[tuple[str, Look], ...] = (
    ("fetched", Look({"style": "dotted", "color": CHANGE_BLUE})),
    ("cycle", Look({"color": RED, "penwidth": "3.5", "style": "solid"})),
    ("expiry", Look({"color": PURPLE, "penwidth": "2.5"})),
    ("window", Look({"color": PURPLE, "penwidth": "3", "style": "dashed"})),
    ("futile", Look({"color": PURPLE, "penwidth": "2.5", "style": "dashed"})),
    ("loop", Look({"color": ORANGE, "penwidth": "4", "style": "bold", "arrowhead": "veevee"})),
    ("added", Look({"color": GREEN, "penwidth": "3"})),
    ("changed", Look({"color": CHANGE_BLUE, "penwidth": "2.5"})),
    ("removed", Look({"color": "#909497", "style": "dashed", "penwidth": "2"})),
    ("axis_end", Look({"arrowhead": "normal"})),
    ("critical", Look({"penwidth": "3.5"}, add_style=("bold",))),
    ("window_open", Look({"color": PURPLE, "penwidth": "2.5"})),
    ("window_shut", Look({"color": RED, "penwidth": "3"}, add_style=("dashed",))),
)

#: The colour of a rule line, by its marks, weakest first (grey without one).
RULE_LOOKS: tuple[tuple[str, str], ...] = (
    ("changed", CHANGE_BLUE),
    ("no_owner", AMBER),
    ("conflict", RED),
    ("gap", RED),
    ("transition", RED),
    ("cliff", ORANGE),
    ("excludes", RED),
)


def _drawn(base: Mapping[str, str], looks: tuple[tuple[str, Look], ...], marks: set[str]) -> dict[str, str]:
    attrs = dict(base)
    style = [s for s in attrs.pop("style", "").split(",") if s]
    for mark, look in looks:
        if mark in marks:
            attrs.update(look.attrs)
            if "style" in look.attrs:
                style = [s for s in attrs.pop("style").split(",") if s]
            style = [s for s in style if s not in look.drop_style]
            style += [s for s in look.add_style if s not in style]
    if style:
        attrs["style"] = ",".join(style)
    return attrs


def node_attrs(kind: str, marks: set[str]) -> dict[str, str]:
    """The DOT attributes of a box of ``kind`` with ``marks`` (without its label)."""
    return _drawn(NODE_BASE[kind], NODE_LOOKS, marks)


def edge_attrs(kind: str, marks: set[str]) -> dict[str, str]:
    """The DOT attributes of an arrow of ``kind`` with ``marks`` (without its label)."""
    return _drawn(EDGE_BASE[kind], EDGE_LOOKS, marks)


def rule_colour(marks: set[str], muted: bool) -> str:
    """The colour of a rule line with ``marks``, on a box that is greyed out when ``muted``."""
    colour = GREY
    for mark, shade in RULE_LOOKS:
        if mark in marks:
            colour = shade
    if muted and "focus" not in marks and colour == GREY:
        colour = LIGHT
    return colour


def lane_attrs(position: int, nobody: bool, marks: set[str]) -> dict[str, str]:
    """The DOT attributes of an organisation's lane (the ``position``-th), or of the nobody-responsible area."""
    focus = "focus" in marks
    return {
        "style": "filled,dashed" if nobody else "rounded,filled",
        "fillcolor": "#fef5e7" if nobody else LANE_FILLS[position % len(LANE_FILLS)],
        "color": AMBER if nobody else ("#d4ac0d" if focus else FRAME),
        "penwidth": "2.5" if nobody or focus else "1",
        "labeljust": "l",
        "margin": "12",
    }


# ---------------------------------------------------------------- legend and tags


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend: a sample drawn as ``form`` in ``colour``, and its words.

    ``form``: ``box`` (a framed sample), ``fill`` (a swatch of ``colour``), ``fill-text``
    (a swatch of ``fill`` with the sample on it), ``double`` (a double border), ``badge``
    (white on ``colour``) or ``text`` (the sample in ``colour``). ``said``: the sample is a
    word (said in the case's language), not a sign. ``text`` may name ``{who}``, the
    persona of the view. ``covers``: legend entries this one makes unnecessary.
    """

    sample: str
    colour: str
    form: str
    text: str
    said: bool = False
    fill: str = ""
    covers: tuple[str, ...] = ()


class TagFacts(Protocol):
    """What a tag's words can name: the short names of the finding's personas, its region in
    words, and how many organisations its touchpoints belong to."""

    @property
    def who(self) -> str: ...

    @property
    def region(self) -> str: ...

    @property
    def organisations(self) -> int: ...


@dataclass(frozen=True)
class TagWords:
    """The words of a finding mark's written tag (said from the finding's facts), and its tone.

    ``shared_only``: the mark's line is its sign, so the tag is written only on an arrow
    that a second finding shares (where the stronger mark's line is drawn, each finding
    is still written).
    """

    say: Callable[[Words, TagFacts], str]
    tone: str
    shared_only: bool = False


@dataclass(frozen=True)
class MarkTheme:
    """A finding mark's legend line and tag; ``persona``: a persona's view draws it too."""

    legend: LegendEntry
    tag: TagWords | None = None
    persona: bool = False


#: Every finding mark of :data:`kafka_tool.analysis.kinds.KINDS`, by name.
MARKS: dict[str, MarkTheme] = {
    "cycle": MarkTheme(
        LegendEntry("━━▶", RED, "text",
                    N_("Red thick arrows: a circle of documents. Need A for B, and B for A: nobody gets out")),
        TagWords(lambda say, _: say.say("CIRCLE: need A for B and B for A"), "bad", shared_only=True),
        persona=True,
    ),
    "loop": MarkTheme(
        LegendEntry("━━▶▶", ORANGE, "text",
                    N_("Orange double-headed arrows: a referral loop, sent from pillar to post")),
        TagWords(lambda say, _: say.say("sent round in a loop"), "loop", shared_only=True),
        persona=True,
    ),
    "dead_end": MarkTheme(
        LegendEntry("", RED, "double", N_("Red double border: a dead end. It cannot help and sends nowhere that can")),
        TagWords(lambda say, of: say.say("DEAD END: {who}", who=of.who) if of.who else say.say("DEAD END"), "bad"),
        persona=True,
    ),
    "unobtainable": MarkTheme(
        LegendEntry("- - -", RED, "box", N_("Red dashed document: required, but nobody issues it")),
        TagWords(lambda say, _: say.say("NOBODY CAN GET THIS"), "bad"),
        persona=True,
    ),
    "no_owner": MarkTheme(
        LegendEntry("!", AMBER, "fill-text",
                    N_("Amber: nobody is responsible (no organisation, or a rule without owner)"),
                    fill=AMBER_FILL, covers=("nobody",)),
        TagWords(lambda say, _: say.say("NOBODY RESPONSIBLE"), "warn"),
        persona=True,
    ),
    "futile": MarkTheme(
        LegendEntry("- - ▶", PURPLE, "text", N_("Purple dashed arrow: a referral that cannot help")),
        TagWords(lambda say, _: say.say("cannot help"), "bad"),
    ),
    "expiry": MarkTheme(
        LegendEntry("——▶", PURPLE, "text", N_("Purple arrow: the proof expires before the touchpoint is done")),
        TagWords(lambda say, _: say.say("expires while waiting"), "bad"),
    ),
    "late": MarkTheme(
        LegendEntry("◷", ORANGE, "text", N_("Orange bold: a goal that comes after the day it is needed by, and the "
                                           "slowest way to it")),
        TagWords(lambda say, _: say.say("TOO LATE"), "bad"),
        persona=True,
    ),
    "window": MarkTheme(
        LegendEntry("- - ▶", PURPLE, "text", N_("Purple dashed: a window that closes before the rest can arrive")),
        TagWords(lambda say, _: say.say("WINDOW CLOSES FIRST"), "bad"),
        persona=True,
    ),
    "transition": MarkTheme(
        LegendEntry("§ ◷", RED, "text", N_("Red dashed goal: lost at a later age or moment, with the rule whose "
                                          "boundary takes it away")),
        TagWords(lambda say, _: say.say("LOST LATER"), "bad"),
        persona=True,
    ),
    "cliff": MarkTheme(
        # {currency}: the case's money sign (see exports.dot)
        LegendEntry("{currency} ↓", ORANGE, "text", N_("Orange dashed goal: lost at an income limit, where earning "
                                                      "more leaves less, with the rule of the limit")),
        TagWords(lambda say, _: say.say("EARNING MORE LEAVES LESS"), "bad"),
        persona=True,
    ),
    "conflict": MarkTheme(
        LegendEntry("§ !", RED, "text", N_("Red rule: rules that can never all be met together")),
        TagWords(lambda say, _: say.say("contradicts another rule"), "bad"),
    ),
    "gap": MarkTheme(
        LegendEntry("§ !", RED, "text",
                    N_("Red rule or goal: a group of people no rule serves (falling between the cracks)")),
        TagWords(lambda say, of: say.say("leaves a gap: {region}", region=of.region), "bad"),
    ),
    "repeated": MarkTheme(
        LegendEntry("×3", AMBER, "text",
                    N_("Asked again and again: the same document asked by several organisations")),
        TagWords(lambda say, of: say.say_n("asked by {n} organisation", "asked by {n} organisations",
                                           of.organisations), "warn"),
    ),
}

#: The legend entries of a diagram's elements and of the views' own marks.
LEGEND: dict[str, LegendEntry] = {
    "touchpoint": LegendEntry(
        N_("desk"), INK, "box",
        N_("Touchpoint: a desk, letter or portal where the citizen deals with an organisation"), said=True),
    "lane": LegendEntry("", LANE_FILLS[0], "fill",
                        N_("Coloured area: the organisation responsible for the touchpoints in it")),
    "document": LegendEntry(N_("doc"), "#566573", "box", N_("Document: a proof, registration, decision or outcome"),
                            said=True),
    "requires": LegendEntry("- - - ▷", GREY, "text", N_("is needed for (grey dashed arrow into the touchpoint)")),
    "one_of": LegendEntry(N_("one of"), GREY, "box", N_("any one of these documents is enough"), said=True),
    "produces": LegendEntry("——▶", INK, "text", N_("gives (arrow out of the touchpoint)")),
    "refers": LegendEntry("━━➤", BLUE, "text", N_("sends the citizen on to (thick blue arrow)")),
    "rule": LegendEntry("§", GREY, "text", N_("§ a rule that applies at the touchpoint, with who owns it")),
    "nobody": LegendEntry("!", AMBER, "fill-text", N_("Touchpoints no organisation is responsible for"),
                          fill=AMBER_FILL),
    "goal_out": LegendEntry("!", RED, "box", N_("Thick red border: someone's goal that they cannot reach")),
    "focus": LegendEntry("", FOCUS_FILL, "fill", N_("Yellow: part of this finding; grey: what is around it")),
    "persona.obtainable": LegendEntry(
        "", GREEN_FILL, "fill", N_("Green: what {who} has or can get; green border: touchpoints that can help")),
    "persona.out": LegendEntry("- - -", GREY, "box", N_("Grey dashed: what stays out of reach")),
    "persona.plan": LegendEntry("1", BLUE, "badge", N_("step 1, 2, ...: the order in which to go")),
    "journey.step": LegendEntry(
        "", INK, "box", N_("Each box is one contact, in date order, in the lane of the organisation")),
    "journey.back": LegendEntry(
        "- - ▶", ORANGE, "text", N_("Orange: the citizen comes back where they have already been")),
    "journey.next": LegendEntry("——▶", INK, "text", N_("Arrows: what happened next")),
    "removed": LegendEntry("- - -", GREY, "text", N_("Grey dashed with 'REMOVED': taken away by the intervention")),
    "added": LegendEntry("━━▶", GREEN, "text", N_("Green thick with 'ADDED': new with the intervention")),
    "changed": LegendEntry("━━▶", CHANGE_BLUE, "text", N_("Blue with 'CHANGED': changed by the intervention")),
    "timeline.axis": LegendEntry(
        "── ▶", GREY, "text", N_("The days from the start, left to right, in order but not to scale; each box "
                                 "stands under the day it starts")),
    "timeline.step": LegendEntry(
        N_("day 20–55"), BLUE, "badge",
        N_("A step at a desk: from the day it can start (everything it asks is there) to the day it is done"),
        said=True),
    "timeline.waits": LegendEntry("——▶", INK, "text",
                                  N_("waits for what the step before gives (the document is on the arrow)")),
    "timeline.critical": LegendEntry(
        "━━▶", INK, "text",
        N_("Bold: the critical path, the chain of steps that decides when a goal comes at the earliest")),
    "timeline.start": LegendEntry("", GREEN_FILL, "fill", N_("{who} at the start, with what they already have")),
    "timeline.goal": LegendEntry(N_("goal"), INK, "box", N_("A goal, on the first day {who} can hold it"), said=True),
    "timeline.deadline": LegendEntry(
        N_("day 30"), GREEN, "box",
        N_("The day a goal is needed by: green when it comes in time, red when it comes later or not at all"),
        said=True),
    "timeline.window": LegendEntry(
        "——▶", PURPLE, "text", N_("Purple arrow: a window, the desk must start within so many days of the document")),
    "timeline.window_shut": LegendEntry(
        "- - ▶", RED, "text", N_("Red dashed arrow: the window closes before the desk can start")),
    "timeline.blocked": LegendEntry(
        "- - -", RED, "box", N_("Red dashed box: a desk {who} cannot use, because a window closes first")),
}

#: The legend lines every diagram starts with (a journey's timeline has its own).
LEGEND_FIRST = ("touchpoint", "lane", "document", "requires", "produces", "refers")
LEGEND_FIRST_TIMELINE = ("journey.step", "lane")


def legend_entry(key: str) -> LegendEntry | None:
    """The legend entry ``key`` (an element, a view's mark, or a finding mark), or None."""
    if key in MARKS:
        return MARKS[key].legend
    return LEGEND.get(key)
