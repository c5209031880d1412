"""A persona's means along a money attribute, drawn as a chart: where earning more leaves less.

Read from the persona's :class:`~kafka_tool.analysis.money.Means` (CASE_FORMAT.md, "Money"):

- the **means** a month (up) against the attribute (across), one line for each interval
  of :meth:`~kafka_tool.analysis.money.Means.intervals` (the core's pieces, equal
  neighbours merged), from its first value to its last: flat where the benefits stay the
  same, sloped where a value tapers. Where the means jump from one interval to the next (a
  goal lost or gained at a limit) a dotted riser joins them, so the jump shows as a step;
- a thin dashed line of the attribute's own money alone (``unit`` × the attribute): the
  gap between the two is what the persona gets in benefits;
- each **benefit cliff** (:meth:`~kafka_tool.analysis.money.Means.cliffs`) as a marker at
  its edge, with the stretch shaded where the persona stays worse off than at the edge
  (up to where the means recover), and a label with what is lost there and what that
  costs a month;
- the persona's own value of the attribute, with its means there.

:func:`means_chart` works out what the chart shows, in the case's language, as plain data
(the terminal interface draws the same chart from it); :func:`means_figure` draws it with
matplotlib (a :class:`matplotlib.figure.Figure` of its own, never pyplot's global state,
so no display is needed) and :func:`means_image` writes it as SVG, PNG or PDF.
"""

from __future__ import annotations

import io
import itertools
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kafka_tool.analysis.engine import Analysis
from kafka_tool.analysis.money import Cliff, Means
from kafka_tool.analysis.regions import attribute_label
from kafka_tool.analysis.wording import currency_unit
from kafka_tool.errors import did_you_mean, shown
from kafka_tool.i18n import Words, words

from .marking import short_name
from .scene import ExportError, UnknownChoice
from .theme import BLUE, GREEN, GREY, INK, RED, RED_FILL
from .views import unknown_persona

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "CHART_FORMATS",
    "CliffMark",
    "Jump",
    "MeansChart",
    "Position",
    "Stretch",
    "chart_attribute",
    "chartable_attributes",
    "means_chart",
    "means_figure",
    "means_image",
    "persona_charts",
]

#: The formats :func:`means_image` writes.
CHART_FORMATS = ("svg", "png", "pdf")
#: Two means closer than this (a millionth of a cent) are the same: the core's sums of amounts.
_EPS = 1e-6
#: How far a chart reaches beyond the last value it has to show, where the attribute has no end.
_PAD = 0.25


@dataclass(frozen=True)
class Stretch:
    """One interval of the means, drawn as a line from its first value ``x0`` to its last ``x1``.

    ``y0`` and ``y1`` are the means a month there; ``taper`` is how the benefits change per
    unit (0: they stay the same, below 0: a value tapers).
    """

    x0: float
    x1: float
    y0: float
    y1: float
    taper: float


@dataclass(frozen=True)
class Jump:
    """Where the means jump between two stretches: from ``y0`` at ``x0`` (the end of one) to ``y1`` at ``x1``."""

    x0: float
    x1: float
    y0: float
    y1: float


@dataclass(frozen=True)
class CliffMark:
    """A benefit cliff: its ``edge``, the ``means`` there, and the stretch up to ``until`` where the persona has less.

    ``until`` is where the means are back at the edge's level, or else the end of the
    chart. ``label`` says what is lost at the edge, what it costs a month and where the
    means are back.
    """

    edge: float
    means: float
    until: float
    label: str


@dataclass(frozen=True)
class Position:
    """Where the persona stands: its own value ``x`` of the attribute and its means ``y`` there."""

    x: float
    y: float
    label: str


@dataclass(frozen=True)
class MeansChart:
    """What the chart of one persona's means along one money attribute shows, in the case's language."""

    persona: str
    attribute: str
    title: str
    x_label: str
    y_label: str
    stretches: tuple[Stretch, ...]
    jumps: tuple[Jump, ...]
    #: what one unit of the attribute is worth a month: the dashed line of the attribute's own money
    unit: float
    #: the values of the attribute the chart spans
    x_range: tuple[float, float]
    cliffs: tuple[CliffMark, ...]
    position: Position | None
    #: the legend's words for the means, the own money, a cliff and the persona's position
    legend_means: str
    legend_own: str
    legend_cliff: str
    legend_position: str
    #: one line that says what the chart shows, for under it
    caption: str

    def own(self, x: float) -> float:
        """The attribute's own money a month at ``x`` (the dashed line)."""
        return self.unit * x


# ---------------------------------------------------------------- which persona, which attribute


def chartable_attributes(analysis: Analysis, persona_id: str) -> list[str]:
    """The money attributes along which the persona has means worth a chart (some goal of its has a value)."""
    view = analysis.views.get(persona_id)
    if view is None:
        return []
    return [name for name, means in view.means.items() if means.worth]


def persona_charts(analysis: Analysis) -> list[tuple[str, list[MeansChart]]]:
    """Each persona with means worth drawing (its id), with a chart along each money attribute; the case's order."""
    out = []
    for persona in analysis.case.personas:
        charts = [means_chart(analysis, persona.id, name) for name in chartable_attributes(analysis, persona.id)]
        if charts:
            out.append((persona.id, charts))
    return out


def chart_attribute(analysis: Analysis, persona_id: str, attribute: str | None = None) -> str:
    """The money attribute to draw for the persona: ``attribute``, or the case's one money attribute.

    Raises :class:`~exports.scene.UnknownChoice` (option ``means`` or ``attribute``) for a
    persona the case does not have, a case without a money attribute, a persona none of
    whose goals has a value, an attribute that is not money, and for no ``attribute`` when
    the case has several money attributes.
    """
    case = analysis.case
    say = words(case.language)
    view = analysis.views.get(persona_id)
    if view is None:
        raise UnknownChoice("means", unknown_persona(case, persona_id, say))
    money = list(view.means)
    if not money:
        raise UnknownChoice("means", say.say(
            "case {case} has no money attribute, so there are no means to draw; mark the attribute that is "
            "the citizen's own money (income) with `money: {{per: month}}` (see docs/case-format.md, Money)",
            case=shown(case.id)))
    if attribute is None:
        if len(money) > 1:
            raise UnknownChoice("attribute", say.say(
                "case {case} has {n} money attributes ({names}); choose one with --attribute",
                case=shown(case.id), n=len(money), names=", ".join(money)))
        attribute = money[0]
    elif attribute not in view.means:
        if attribute in case.attributes:
            problem = say.say("attribute {name} of case {case} is not money (it has no `money:`)",
                              name=shown(attribute), case=shown(case.id))
        else:
            problem = say.say("no attribute {name} in case {case}", name=shown(attribute), case=shown(case.id))
        hint = did_you_mean(attribute, money, say.say("money attributes"), say) or ""
        raise UnknownChoice("attribute", f"{problem}; {hint}".rstrip("; "))
    if not view.means[attribute].worth:
        raise UnknownChoice("means", say.say(
            "none of the goals of persona {id} has a `value`, so its means along {name} are that attribute "
            "alone; give the documents that are money a `value: {{amount, per}}` (see docs/case-format.md, Money)",
            id=shown(persona_id), name=shown(attribute)))
    return attribute


# ---------------------------------------------------------------- what the chart shows


def means_chart(analysis: Analysis, persona_id: str, attribute: str | None = None) -> MeansChart:
    """What the chart of the persona's means along ``attribute`` shows (see the module's docstring).

    ``attribute`` may be left out when the case has one money attribute; the errors are
    :func:`chart_attribute`'s.
    """
    attribute = chart_attribute(analysis, persona_id, attribute)
    case = analysis.case
    view = analysis.views[persona_id]
    means = view.means[attribute]
    say = words(case.language)
    spec = case.attributes[attribute]
    label = attribute_label(attribute, spec)
    unit_words = getattr(spec, "unit", None)
    who = short_name(view.persona.name)
    cliffs = means.cliffs()
    x_range = _x_range(means, cliffs)
    stretches = _stretches(means, x_range)
    marks = tuple(_cliff_mark(analysis, means, cliff, x_range, say, case.currency) for cliff in cliffs)
    position = None
    if means.at is not None:
        at = means.means(means.at)
        position = Position(means.at, at, say.say("{who}: {value}, {means} a month", who=who,
                                                  value=say.number(means.at), means=say.money(_round(at),
                                                                                              case.currency)))
    return MeansChart(
        persona=persona_id,
        attribute=attribute,
        title=say.say("{who}: means a month, by {attribute}", who=who, attribute=label),
        x_label=f"{label} ({unit_words})" if unit_words else label,
        y_label=say.say("means a month ({currency})", currency=say.currency_symbol(case.currency)),
        stretches=stretches,
        jumps=_jumps(stretches, means.unit, means.whole),
        unit=means.unit,
        x_range=x_range,
        cliffs=marks,
        position=position,
        legend_means=say.say("means: {attribute} and benefits", attribute=label),
        legend_own=say.say("{attribute} alone, without benefits", attribute=label),
        legend_cliff=say.say("benefit cliff: less to live on than at its edge"),
        legend_position=say.say("where {who} stands", who=who),
        caption=_caption(say, who, label, means, marks, case.currency, currency_unit(case, attribute, say)),
    )


def _x_range(means: Means, cliffs: Sequence[Cliff]) -> tuple[float, float]:
    """The values the chart spans: the attribute's domain, or (where it has no end) a little beyond what matters."""
    intervals = means.intervals()
    low, high = intervals[0]["from"], intervals[-1]["to"]
    shown = [float(v) for item in intervals for v in (item["from"], item["to"]) if v is not None]
    shown += [c.recover for c in cliffs if c.recover is not None]
    if means.at is not None:
        shown.append(means.at)
    least, most = min(shown, default=0.0), max(shown, default=1.0)
    pad = max((most - least) * _PAD, 1.0)
    return (float(low) if low is not None else least - pad, float(high) if high is not None else most + pad)


def _stretches(means: Means, x_range: tuple[float, float]) -> tuple[Stretch, ...]:
    """The merged intervals of the means as lines, an unbounded end cut at the chart's edge."""
    out = []
    for item in means.intervals():
        x0 = float(item["from"]) if item["from"] is not None else x_range[0]
        x1 = float(item["to"]) if item["to"] is not None else x_range[1]
        # An interval without a lower end lies below every taper's ``from``: it has no slope to place.
        start = float(item["from"]) if item["from"] is not None else x0
        base = float(item["benefits_per_month"])
        taper = float(item.get("taper_per_unit", 0))
        out.append(Stretch(x0, x1, means.unit * x0 + base + taper * (x0 - start),
                           means.unit * x1 + base + taper * (x1 - start), taper))
    return tuple(out)


def _jumps(stretches: Sequence[Stretch], unit: float, whole: bool) -> tuple[Jump, ...]:
    """Where the means do not run on from one stretch into the next: a goal lost or gained at a limit."""
    out = []
    for before, after in itertools.pairwise(stretches):
        # An integer's next value is one unit on, where the line before would have gone on by its own slope.
        expected = before.y1 + (unit + before.taper) * (after.x0 - before.x1) if whole else before.y1
        if abs(after.y0 - expected) > _EPS:
            out.append(Jump(before.x1, after.x0, before.y1, after.y0))
    return tuple(out)


def _round(amount: float) -> float:
    """An amount as a label shows it: to the cent."""
    return round(amount, 2)


def _cliff_mark(analysis: Analysis, means: Means, cliff: Cliff, x_range: tuple[float, float], say: Words,
                currency: str) -> CliffMark:
    names = analysis.index.name
    edge = say.number(cliff.edge)
    if cliff.lost:
        label = say.say_n("above {edge}: {goals} stops, {loss} a month less",
                          "above {edge}: {goals} stop, {loss} a month less", len(cliff.lost), edge=edge,
                          goals=say.list([names(g) for g in cliff.lost]),
                          loss=say.money(_round(cliff.loss), currency))
    elif cliff.charged:
        label = say.say("above {edge}: {goals} to pay, {loss} a month", edge=edge,
                        goals=say.list([names(g) for g in cliff.charged]),
                        loss=say.money(_round(cliff.loss), currency))
    else:
        rate = cliff.marginal if cliff.marginal is not None and not math.isinf(cliff.marginal) else 1.0
        label = say.say("from {edge}: each {unit} more costs {cost} of {goals}", edge=edge,
                        unit=say.money(_round(means.unit), currency),
                        cost=say.money(_round(rate * means.unit), currency),
                        goals=say.list([names(g) for g in cliff.tapering]))
    if cliff.recover is not None:
        back = say.say("the same means again from {value}", value=say.number(cliff.recover))
    else:
        back = say.say("never the same means again")
    until = cliff.recover if cliff.recover is not None else x_range[1]
    return CliffMark(cliff.edge, cliff.means_before, until, f"{label}; {back}")


def _caption(say: Words, who: str, label: str, means: Means, cliffs: Sequence[CliffMark], currency: str,
             one: str | None) -> str:
    """The chart's caption; ``one`` is the currency's name when one unit of the attribute is one of it."""
    parts = []
    if means.at is not None:
        parts.append(say.say("{who} has {means} a month at {attribute} {value}.", who=who,
                             means=say.money(_round(means.means(means.at)), currency), attribute=label,
                             value=say.number(means.at)))
    edges = say.list([say.number(c.edge) for c in cliffs])
    if cliffs and one is not None:
        parts.append(say.say_n("One benefit cliff, at {edges}: one {currency} more leaves {who} with less.",
                               "{n} benefit cliffs, at {edges}: one {currency} more leaves {who} with less.",
                               len(cliffs), edges=edges, currency=one, who=who))
    elif cliffs:
        parts.append(say.say_n("One benefit cliff, at {edges}: one unit more leaves {who} with less.",
                               "{n} benefit cliffs, at {edges}: one unit more leaves {who} with less.", len(cliffs),
                               edges=edges, who=who))
    elif one is not None:
        parts.append(say.say("No benefit cliff: one {currency} more never leaves {who} with less.", currency=one,
                             who=who))
    else:
        parts.append(say.say("No benefit cliff: one unit more never leaves {who} with less.", who=who))
    return " ".join(parts)


# ---------------------------------------------------------------- drawing with matplotlib

#: How many characters a line of a cliff's label under the chart holds before it wraps.
_KEY_WIDTH = 145
#: A triangle that points down with its tip on the point: the step below the edge stays in sight.
_POINTER = [(-0.6, 1.0), (0.6, 1.0), (0.0, 0.0), (-0.6, 1.0)]


def means_figure(chart: MeansChart) -> Figure:
    """The chart drawn on a matplotlib :class:`~matplotlib.figure.Figure` of its own (no display, no pyplot).

    Each cliff is numbered at its marker; its label stands under the chart beside its
    number, so that no label hides a line. Every artist that stands for something has a
    ``gid`` (the id of its group in an SVG): ``means-N`` (the line of the N-th stretch),
    ``jump-N``, ``own``, ``cliff-edge-N``, ``cliff-number-N``, ``cliff-region-N``,
    ``position`` and ``position-label``.
    """
    # Imported here: the terminal interface reads the chart's content and never loads matplotlib.
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    figure = Figure(figsize=(10, 6.4), layout="constrained")
    ax = figure.add_subplot()
    for n, stretch in enumerate(chart.stretches, 1):
        line = ax.plot([stretch.x0, stretch.x1], [stretch.y0, stretch.y1], color=BLUE, linewidth=2.4,
                       solid_capstyle="round", gid=f"means-{n}")[0]
        if stretch.x1 == stretch.x0:  # a single value: a dot, not a line of no length
            line.set_marker("o")
            line.set_markersize(3)
    for n, jump in enumerate(chart.jumps, 1):
        ax.plot([jump.x0, jump.x1], [jump.y0, jump.y1], color=BLUE, linewidth=1.2, linestyle=":", gid=f"jump-{n}")
    low, high = chart.x_range
    ax.plot([low, high], [chart.own(low), chart.own(high)], color=GREY, linewidth=1, linestyle="--", gid="own")
    ax.set_xlim(low, high)
    ys = [y for s in chart.stretches for y in (s.y0, s.y1)] + [chart.own(low), chart.own(high)]
    bottom, top = min(0.0, *ys), max(ys)
    ax.set_ylim(bottom, top + (top - bottom) * 0.06)
    for n, cliff in enumerate(chart.cliffs, 1):
        ax.axvspan(cliff.edge, cliff.until, color=RED_FILL, alpha=0.6, linewidth=0, gid=f"cliff-region-{n}", zorder=0)
        ax.plot([cliff.edge], [cliff.means], marker=_POINTER, markersize=18, color=RED, markeredgecolor="white",
                linestyle="none", gid=f"cliff-edge-{n}", zorder=4, clip_on=False)
        ax.annotate(str(n), xy=(cliff.edge, cliff.means), xytext=(0, 16), textcoords="offset points", ha="center",
                    va="bottom", fontsize=9, fontweight="bold", color=RED, gid=f"cliff-number-{n}")
    if chart.position is not None:
        spot = chart.position
        ax.plot([spot.x], [spot.y], marker="o", markersize=10, color=GREEN, markeredgecolor="white",
                markeredgewidth=1.5, linestyle="none", gid="position", zorder=5, clip_on=False)
        right = (spot.x - low) > (high - low) * 0.55
        ax.annotate(spot.label, xy=(spot.x, spot.y), xytext=(-10 if right else 10, -14), textcoords="offset points",
                    ha="right" if right else "left", va="top", fontsize=9, color=GREEN, fontweight="bold",
                    gid="position-label")
    ax.set_title(chart.title, loc="left", fontsize=12, color=INK)
    ax.set_xlabel(chart.x_label, color=INK)
    ax.set_ylabel(chart.y_label, color=INK)
    ax.grid(True, color="#e5e8e8", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles: list[Any] = [Line2D([], [], color=BLUE, linewidth=2.4),
                          Line2D([], [], color=GREY, linewidth=1, linestyle="--")]
    labels = [chart.legend_means, chart.legend_own]
    if chart.cliffs:
        handles.append((Patch(facecolor=RED_FILL, alpha=0.6),
                        Line2D([], [], marker=_POINTER, markersize=14, color=RED, linestyle="none")))
        labels.append(chart.legend_cliff)
    if chart.position is not None:
        handles.append(Line2D([], [], marker="o", markersize=9, color=GREEN, linestyle="none"))
        labels.append(chart.legend_position)
    ax.legend(handles, labels, loc="lower right", fontsize=8.5, framealpha=0.95)
    if chart.cliffs:
        numbers = [Line2D([], [], marker=f"${n}$", markersize=7, color=RED, linestyle="none")
                   for n in range(1, len(chart.cliffs) + 1)]
        figure.legend(numbers, [textwrap.fill(c.label, _KEY_WIDTH) for c in chart.cliffs], loc="outside lower left",
                      fontsize=9,
                      frameon=False, handletextpad=0.2, labelcolor=INK)
    return figure


def means_image(chart: MeansChart, fmt: str) -> bytes:
    """The chart as ``fmt`` (svg, png or pdf): the same bytes for the same chart."""
    if fmt not in CHART_FORMATS:
        raise ExportError(f"the means chart is written as {', '.join(CHART_FORMATS)}, not '{fmt}'")
    from matplotlib import rc_context

    figure = means_figure(chart)
    buffer = io.BytesIO()
    # The SVG's ids are hashes salted with this (else a random salt); its text stays text (searchable, a
    # third of the size), in DejaVu Sans or the reader's nearest sans-serif; no dates are written.
    with rc_context({"svg.hashsalt": f"kafka-tool-means-{chart.persona}-{chart.attribute}", "svg.fonttype": "none"}):
        metadata: dict[str, Any] = {"svg": {"Date": None}, "pdf": {"CreationDate": None}}.get(fmt, {})
        figure.savefig(buffer, format=fmt, dpi=150, metadata=metadata)
    return buffer.getvalue()
