"""A persona's means along a money attribute, drawn in the terminal: the chart of :mod:`exports.means`.

The same chart as the exported one (:func:`exports.means.means_chart`), in braille dots
with textual-plotext, its title above it: a line for each stretch of the means, the dashed line of the
attribute's own money as a dotted grey line, each benefit cliff as a red line at its edge
with its number, and the persona as a green dot where it stands. Under the chart a key
says what the lines are, where the persona stands and, by number, what each cliff costs.
"""

from __future__ import annotations

import math
from typing import Any

from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from exports.means import MeansChart

__all__ = ["MeansPlot", "MeansSection", "means_key", "round_ticks"]

#: Colours that read on a dark and on a light background (red, green, blue: plotext's way).
MEANS = (86, 156, 214)
OWN = (128, 128, 128)
CLIFF = (220, 70, 60)
STANDS = (60, 170, 90)


def _style(colour: tuple[int, int, int], bold: bool = False) -> str:
    """A colour as a Rich style, for the key."""
    return ("bold " if bold else "") + "#{:02x}{:02x}{:02x}".format(*colour)


def means_key(chart: MeansChart) -> Text:
    """The key under the terminal's chart: the lines, the persona's position, and each cliff by its number."""
    key = Text.assemble(("━ ", _style(MEANS)), chart.legend_means, "   ", ("⠤ ", _style(OWN)), chart.legend_own)
    if chart.position is not None:
        key.append("\n")
        key.append_text(Text.assemble(("● ", _style(STANDS)), (chart.position.label, "bold")))
    if chart.cliffs:
        key.append("\n")
        key.append_text(Text.assemble(("│ ", _style(CLIFF)), chart.legend_cliff))
    for n, cliff in enumerate(chart.cliffs, 1):
        key.append("\n")
        key.append_text(Text.assemble((f"{n} ", _style(CLIFF, bold=True)), cliff.label))
    return key


def round_ticks(low: float, high: float, most: int = 4) -> list[float]:
    """Round values from ``low`` to ``high`` for an axis: at most ``most`` + 1, 1, 2 or 5 times a power of ten apart.

    Examples
    --------
    >>> round_ticks(0, 3000)
    [0.0, 1000.0, 2000.0, 3000.0]
    >>> round_ticks(0, 120)
    [0.0, 50.0, 100.0]
    """
    span = high - low
    if span <= 0:
        return [float(low)]
    power = 10 ** math.floor(math.log10(span / most))
    step = next(power * f for f in (1, 2, 5, 10) if span / (power * f) <= most)
    first = math.ceil(low / step) * step
    return [float(first + n * step) for n in range(int((high - first) // step) + 1)]


class MeansPlot(PlotextPlot):
    """The chart itself: :meth:`show` says what to draw; it is drawn to the widget's size."""

    #: The rows of the widget that are not the plot's own: the frame, the ticks and the attribute's label.
    FRAME_ROWS = 4

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.chart: MeansChart | None = None

    def show(self, chart: MeansChart) -> None:
        """Draw ``chart`` (instead of what was drawn before)."""
        self.chart = chart
        self.refresh()

    def render(self) -> Any:
        """The chart drawn afresh for the widget's size (the ticks depend on it)."""
        self._draw()
        return super().render()

    def _draw(self) -> None:
        plt = self.plt
        plt.clear_figure()
        chart = self.chart
        if chart is None:
            return
        low, high = chart.x_range
        plt.plot([low, high], [chart.own(low), chart.own(high)], color=OWN, marker="braille")
        for stretch in chart.stretches:
            plt.plot([stretch.x0, stretch.x1], [stretch.y0, stretch.y1], color=MEANS, marker="braille")
        for jump in chart.jumps:
            plt.plot([jump.x0, jump.x1], [jump.y0, jump.y1], color=MEANS, marker="braille")
        for n, cliff in enumerate(chart.cliffs, 1):
            plt.vline(cliff.edge, CLIFF)
            plt.text(str(n), cliff.edge, cliff.means, color=CLIFF, style="bold")
        if chart.position is not None:
            plt.scatter([chart.position.x], [chart.position.y], marker="●", color=STANDS)
        ys = [y for s in chart.stretches for y in (s.y0, s.y1)] + [chart.own(low), chart.own(high)]
        bottom, top = min(0.0, *ys), max(ys)
        plt.xlim(low, high)
        plt.ylim(bottom, top)
        # Round ticks, one every two or three rows: plotext's own fall on uneven rows in a short chart.
        rows = max(2, self.size.height - self.FRAME_ROWS)
        ticks = round_ticks(bottom, top, max(1, rows // 3))
        plt.yticks(ticks, [f"{t:g}" for t in ticks])
        ticks = round_ticks(low, high, max(1, self.size.width // 16))
        plt.xticks(ticks, [f"{t:g}" for t in ticks])
        # The title (above the chart, where it can wrap) says what the rows are, the means a month; the
        # row under the chart, shared with the y axis's label in plotext, holds the attribute alone.
        plt.xlabel(chart.x_label)


class MeansSection(Vertical):
    """The chart with its title and a note above it (which attribute, when there are several), its key below it."""

    def compose(self) -> Any:
        yield Static("", id="means-note")
        yield MeansPlot(id="means-plot")
        yield Static("", id="means-key")

    def show(self, chart: MeansChart | None, note: Text | None = None) -> None:
        """Draw ``chart`` with ``note``; without a chart, only the note (or nothing at all)."""
        self.display = chart is not None or note is not None
        head = Text(chart.title, "bold") if chart is not None else Text()
        if note is not None:
            head.append_text(Text("\n") + note if chart is not None else note)
        self.query_one("#means-note", Static).update(head)
        plot = self.query_one(MeansPlot)
        key = self.query_one("#means-key", Static)
        plot.display = key.display = chart is not None
        if chart is not None:
            plot.show(chart)
            key.update(means_key(chart))
