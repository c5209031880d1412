"""The chart of a persona's means (``export --means``), and the means in the HTML report.

The chart is checked in its matplotlib Figure (which lines, markers and shaded stretches
stand where), not in its pixels; the files only for what they are (SVG, PNG or PDF).
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path
from typing import Any

import pytest
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from exports.means import CHART_FORMATS, chartable_attributes, means_chart, means_figure, means_image
from exports.reports import html_report
from exports.scene import UnknownChoice
from kafka_tool.analysis.engine import Analysis, analyze
from kafka_tool.analysis.money import money_attributes
from kafka_tool.i18n import words
from kafka_tool.loader import load_case
from tests.case_builder import build, persona, rule, tp
from tests.cli_run import run_export as run

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "cases").glob("*.yaml"))
#: The samples that have a money attribute.
MONEY = [p for p in SAMPLES if money_attributes(load_case(p))]
POVERTY_TRAP = ROOT / "cases" / "armoedeval-baan-aannemen.yaml"
MAGIC = {"svg": b"<svg", "png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-"}

INCOME = {"income": {"type": "integer", "min": 0, "max": 3000, "unit": "EUR/month", "money": {"per": "month"}}}
# The case of docs/findings.md: the rent allowance stops above 1500.
RENT_CLIFF = """
format: kafka-case/1
id: rent-allowance-cliff
title: One euro more income costs the rent allowance
attributes:
  income: {type: integer, min: 0, max: 3000, unit: EUR/month, money: {per: month}}
actors:
  - {id: tax_office, name: The tax office, kind: executive_agency}
  - {id: ministry, name: The ministry, kind: ministry}
documents:
  - {id: rent_allowance, name: Rent allowance, kind: payment, value: {amount: 300, per: month}}
rules:
  - {id: rent_limit, name: Income limit for rent allowance, owner: ministry, when: {income: {max: 1500}}}
touchpoints:
  - {id: apply_rent, name: Apply for rent allowance, actor: tax_office, rules: [rent_limit], produces: [rent_allowance]}
personas:
  - {id: sanne, name: Sanne, attributes: {income: 1400}, goals: [rent_allowance]}
"""
NO_MONEY = ROOT / "cases" / "briefadres-dakloos.yaml"


def _analysis(path: Path) -> Analysis:
    return analyze(load_case(path))


def _charted() -> list[tuple[Path, str]]:
    """Each persona of a sample with money that has means to chart."""
    found = []
    for path in MONEY:
        analysis = _analysis(path)
        found += [(path, p.id) for p in analysis.case.personas if chartable_attributes(analysis, p.id)]
    return found


CHARTED = _charted()


def _gid(figure: Any, name: str) -> list[Any]:
    """The artists of the chart whose gid is ``name`` or ``name-N``, by N."""
    pattern = re.compile(rf"{re.escape(name)}(?:-(\d+))?")
    found = [(m.group(1), a) for a in figure.axes[0].get_children() if (m := pattern.fullmatch(a.get_gid() or ""))]
    return [a for _, a in sorted(found, key=lambda item: int(item[0] or 0))]


def test_the_library_has_a_sample_with_money_and_personas_to_chart() -> None:
    assert POVERTY_TRAP in MONEY
    assert {pid for path, pid in CHARTED if path == POVERTY_TRAP} == {"fatima", "karin", "sem"}


# ---------------------------------------------------------------- the files


@pytest.mark.parametrize(("path", "pid"), CHARTED, ids=[f"{p.stem}-{pid}" for p, pid in CHARTED])
def test_the_chart_is_written_as_svg_png_and_pdf_without_a_display(path: Path, pid: str) -> None:
    chart = means_chart(_analysis(path), pid)
    for fmt in CHART_FORMATS:
        data = means_image(chart, fmt)
        assert len(data) > 1000, fmt
        assert MAGIC[fmt] in data[:400] if fmt == "svg" else data.startswith(MAGIC[fmt]), fmt
    svg = means_image(chart, "svg")
    assert svg.startswith(b"<?xml") and svg.rstrip().endswith(b"</svg>")
    # The same chart, the same bytes: no dates, no random ids.
    assert means_image(chart, "svg") == svg and means_image(chart, "pdf") == means_image(chart, "pdf")


def test_an_unknown_format_is_refused() -> None:
    chart = means_chart(_analysis(POVERTY_TRAP), "fatima")
    with pytest.raises(Exception, match="svg, png, pdf, not 'dot'"):
        means_image(chart, "dot")


# ---------------------------------------------------------------- what the figure shows


@pytest.mark.parametrize(("path", "pid"), CHARTED, ids=[f"{p.stem}-{pid}" for p, pid in CHARTED])
def test_the_figure_draws_the_means_piece_by_piece_the_cliffs_and_the_persona(path: Path, pid: str) -> None:
    analysis = _analysis(path)
    chart = means_chart(analysis, pid)
    means = analysis.views[pid].means[chart.attribute]
    figure = means_figure(chart)
    lines = _gid(figure, "means")
    intervals = means.intervals()
    assert len(lines) == len(intervals)  # a line for each merged piece
    for line, interval in zip(lines, intervals, strict=True):
        xs, ys = line.get_xdata(), line.get_ydata()
        assert list(xs) == [interval["from"], interval["to"]]
        assert list(ys) == pytest.approx([means.means(interval["from"]), means.means(interval["to"])])
    cliffs = means.cliffs()
    edges = _gid(figure, "cliff-edge")
    assert [list(e.get_xdata()) for e in edges] == [[c.edge] for c in cliffs]
    assert [list(e.get_ydata()) for e in edges] == [[pytest.approx(means.means(c.edge))] for c in cliffs]
    regions = [r for r in _gid(figure, "cliff-region") if isinstance(r, Rectangle)]
    assert [(r.get_x(), r.get_x() + r.get_width()) for r in regions] == [
        (pytest.approx(c.edge), pytest.approx(c.recover)) for c in cliffs]
    # Where a goal is lost, the means jump down: a riser from the edge to the next value.
    jumps = {j.get_xdata()[0]: j for j in _gid(figure, "jump")}
    for cliff in cliffs:
        if cliff.lost:
            assert list(jumps[cliff.edge].get_ydata()) == pytest.approx(
                [means.means(cliff.edge), means.means(cliff.edge + 1)])
    (own,) = _gid(figure, "own")
    assert list(own.get_ydata()) == pytest.approx([means.unit * x for x in own.get_xdata()])
    (spot,) = _gid(figure, "position")
    assert isinstance(spot, Line2D)
    assert list(spot.get_xdata()) == [means.at] and list(spot.get_ydata()) == [pytest.approx(means.means(means.at))]


def test_the_words_are_dutch_for_a_dutch_case_and_name_what_is_lost() -> None:
    analysis = _analysis(POVERTY_TRAP)
    chart = means_chart(analysis, "fatima")
    figure = means_figure(chart)
    ax = figure.axes[0]
    assert ax.get_title(loc="left") == "Fatima: te besteden per maand, naar inkomen uit werk"
    assert ax.get_xlabel() == "inkomen uit werk (euro netto per maand)"
    assert ax.get_ylabel() == "te besteden per maand (€)"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [chart.legend_means, chart.legend_own, chart.legend_cliff, chart.legend_position]
    assert "toeslagen en uitkeringen" in chart.legend_own
    key = [t.get_text().replace("\n", " ") for t in figure.legends[0].get_texts()]
    money = words("nl").money
    means = analysis.views["fatima"].means["inkomen"]
    for label, cliff in zip(key, means.cliffs(), strict=True):
        for goal in cliff.lost:
            assert analysis.index.name(goal) in label
        if cliff.lost:
            assert money(round(cliff.loss, 2), "EUR") in label
        assert str(cliff.recover) in label
    assert [n.get_text() for n in _gid(figure, "cliff-number")] == ["1", "2", "3"]
    assert chart.position is not None and chart.position.label == "Fatima: 0, € 1.860 per maand"
    assert "daar levert één euro meer Fatima minder op" in chart.caption and "eenheid" not in chart.caption


def test_a_number_attribute_worth_more_a_unit_and_unbounded_above() -> None:
    attributes = {"pct": {"type": "number", "min": 0, "label": "income", "unit": "% of the minimum",
                          "money": {"per": "month", "unit_amount": 14.6}}}
    case = build([tp("apply", rules=["limit"], produces=["grant"])], [persona("ann", goals=["grant"], pct=90)],
                 rules=[rule("limit", when={"pct": {"max": 100}})], attributes=attributes,
                 doc_values={"grant": {"amount": 200, "per": "month"}})
    analysis = analyze(case)
    chart = means_chart(analysis, "ann")
    means = analysis.views["ann"].means["pct"]
    (cliff,) = means.cliffs()
    low, high = chart.x_range
    assert low == 0 and high > cliff.recover  # no end: the chart reaches a little beyond the recovery
    assert chart.own(high) == pytest.approx(14.6 * high)
    assert chart.jumps and chart.jumps[0].x0 == chart.jumps[0].x1 == 100  # a number falls at the point itself
    assert "above 100: Doc grant stops, € 200 a month less" in chart.cliffs[0].label
    # A unit worth 14.6 a month is no euro: the caption keeps saying one unit.
    assert "One benefit cliff, at 100: one unit more leaves Ann with less." in chart.caption


def test_a_persona_without_a_value_of_the_attribute_has_no_position_and_a_taper_is_said_per_unit() -> None:
    case = build([tp("apply", produces=["grant"])], [persona("bo", goals=["grant"])], attributes=INCOME,
                 doc_values={"grant": {"amount": 500, "per": "month",
                                       "taper": {"attribute": "income", "from": 1000, "rate": 1.5}}})
    chart = means_chart(analyze(case), "bo")
    assert chart.position is None and "where Bo stands" not in [t.get_text() for t in
                                                                means_figure(chart).axes[0].get_legend().get_texts()]
    (cliff,) = chart.cliffs
    assert cliff.label.startswith("from 1000: each € 1 more costs € 1.50 of Doc grant; the same means again from ")
    assert "Bo has" not in chart.caption
    assert "One benefit cliff, at 1000: one euro more leaves Bo with less." in chart.caption


def test_the_persona_the_attribute_and_the_goals_are_checked_with_a_hint() -> None:
    analysis = _analysis(POVERTY_TRAP)
    with pytest.raises(UnknownChoice, match=r"geen persona 'fatma' .*bedoel je 'fatima'") as caught:
        means_chart(analysis, "fatma")
    assert caught.value.option == "means"
    with pytest.raises(UnknownChoice, match=r"geen kenmerk 'inkomn' .*bedoel je 'inkomen'") as caught:
        means_chart(analysis, "fatima", "inkomn")
    assert caught.value.option == "attribute"
    with pytest.raises(UnknownChoice, match=r"'huurwoning' .* is geen geld"):
        means_chart(analysis, "fatima", "huurwoning")
    with pytest.raises(UnknownChoice, match="heeft geen geldkenmerk"):
        means_chart(_analysis(NO_MONEY), "mo")
    worthless = build([tp("apply", produces=["grant"])], [persona("bo", goals=["grant"], income=0)],
                      attributes=INCOME)
    with pytest.raises(UnknownChoice, match="none of the goals of persona 'bo' has a `value`"):
        means_chart(analyze(worthless), "bo")


def test_with_several_money_attributes_one_must_be_chosen() -> None:
    attributes = {**INCOME, "savings": {"type": "integer", "min": 0, "max": 20000, "money": {"per": "year"}}}
    case = build([tp("apply", rules=["limit"], produces=["grant"])],
                 [persona("bo", goals=["grant"], income=100, savings=0)], attributes=attributes,
                 rules=[rule("limit", when={"savings": {"max": 6000}})], doc_values={"grant": {"amount": 900,
                                                                                             "per": "month"}})
    analysis = analyze(case)
    with pytest.raises(UnknownChoice, match="2 money attributes \\(income, savings\\); choose one with --attribute"):
        means_chart(analysis, "bo")
    chart = means_chart(analysis, "bo", "savings")
    assert chart.unit == pytest.approx(1 / 12) and [c.edge for c in chart.cliffs] == [6000]


# ---------------------------------------------------------------- the command line


def test_export_means_writes_the_chart_and_says_where(tmp_path: Path) -> None:
    code, err = run(str(POVERTY_TRAP), "--means", "fatima", "--format", "png", cwd=tmp_path)
    assert code == 0, err
    target = tmp_path / "armoedeval-baan-aannemen.means-fatima.png"
    assert f"{target} geschreven" in err and target.read_bytes().startswith(MAGIC["png"])
    code, err = run(str(POVERTY_TRAP), "--means", "karin", "--attribute", "inkomen", "--format", "pdf", "-o",
                    str(tmp_path / "karin.pdf"), cwd=tmp_path)
    assert code == 0, err
    assert (tmp_path / "karin.pdf").read_bytes().startswith(MAGIC["pdf"])
    code, err = run(str(POVERTY_TRAP), "--means", "fatima", "--format", "png", cwd=tmp_path)
    assert code == 2 and "bestaat al; geef --force op" in err


def test_the_command_of_the_docs_draws_sannes_chart(tmp_path: Path) -> None:
    (tmp_path / "my-case.yaml").write_text(RENT_CLIFF, encoding="utf-8")
    code, err = run("my-case.yaml", "--means", "sanne", "--format", "png", cwd=tmp_path)
    assert code == 0, err
    assert (tmp_path / "my-case.means-sanne.png").read_bytes().startswith(MAGIC["png"])


def test_export_means_refuses_what_it_cannot_draw_as_usage_errors(tmp_path: Path) -> None:
    case = str(POVERTY_TRAP)
    code, err = run(case, "--lang", "en", "--means", "fatma", "--format", "svg", cwd=tmp_path)
    assert code == 2 and "--means: no persona 'fatma'" in err and "did you mean 'fatima'?" in err
    code, err = run(case, "--lang", "en", "--means", "fatima", "--attribute", "inkomn", "--format", "svg", cwd=tmp_path)
    assert code == 2 and "--attribute: no attribute 'inkomn'" in err and "did you mean 'inkomen'?" in err
    code, err = run(str(NO_MONEY), "--lang", "en", "--means", "mo", "--format", "svg", cwd=tmp_path)
    assert code == 2 and "has no money attribute" in err and "money: {per: month}" in err
    assert "Traceback" not in err
    for fmt in ("html", "dot", "md", "csv"):
        code, err = run(case, "--lang", "en", "--means", "fatima", "--format", fmt, cwd=tmp_path)
        assert code == 2 and "--means draws a chart; use it with --format svg, png or pdf" in err, fmt
    code, err = run(case, "--lang", "en", "--attribute", "inkomen", "--format", "svg", cwd=tmp_path)
    assert code == 2 and "give --means too" in err
    code, err = run(case, "--lang", "en", "--means", "fatima", "--timeline", "fatima", "--format", "svg", cwd=tmp_path)
    assert code == 2 and "one view at a time" in err
    code, err = run(str(POVERTY_TRAP.parent), "--means", "fatima", "--format", "svg", "-o", "out/", cwd=tmp_path)
    assert code == 2 and "--means names something in one case" in err
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- the HTML report



@pytest.mark.needs_dot
def test_the_html_report_shows_each_personas_means_chart_with_a_caption(dot: None) -> None:
    analysis = _analysis(POVERTY_TRAP)
    page = html_report(analysis, diagrams=0)
    images = re.findall(r'<figure class="means"><img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]*)">'
                        r"<figcaption>([^<]*)</figcaption></figure>", page)
    assert len(images) == 3  # Fatima, Karin and Sem
    for (data, alt, caption), pid in zip(images, ["fatima", "karin", "sem"], strict=True):
        svg = base64.b64decode(data)
        assert svg.startswith(b"<?xml") and b"<svg" in svg
        assert html.unescape(alt) == html.unescape(caption) == means_chart(analysis, pid).caption
    assert "Te besteden per maand" in page and "Fatima heeft € 1.860 per maand bij inkomen uit werk 0." in page
    names = [analysis.index.name(pid) for pid in ("fatima", "karin", "sem")]
    headings = re.findall(r"<h3>([^<]*)</h3>\s*<figure class=\"means\">", page)
    assert headings == names


@pytest.mark.needs_dot
def test_a_case_without_money_has_no_means_in_its_report(dot: None) -> None:
    page = html_report(_analysis(NO_MONEY), diagrams=0)
    assert 'class="means"' not in page and "data:image/svg+xml" not in page


DUTCH_MONEY = [p for p in MONEY if load_case(p).language == "nl"]


@pytest.mark.parametrize("path", DUTCH_MONEY, ids=[p.stem for p in DUTCH_MONEY])
def test_a_dutch_case_gets_its_charts_in_dutch(path: Path) -> None:
    from tests.test_catalogue import english_words
    from tui.widgets.means_plot import means_key

    own = set(re.findall(r"[a-z]{4,}", path.read_text(encoding="utf-8").lower()))  # the case's own words
    analysis = _analysis(path)
    leaks = []
    for pid in [p.id for p in analysis.case.personas if chartable_attributes(analysis, p.id)]:
        chart = means_chart(analysis, pid)
        texts = [chart.title, chart.y_label, chart.legend_means, chart.legend_own, chart.legend_cliff,
                 chart.legend_position, chart.caption, means_key(chart).plain]
        texts += [c.label for c in chart.cliffs] + ([chart.position.label] if chart.position else [])
        found = set(re.findall(r"[a-z]{4,}", " ".join(texts).lower())) & english_words() - own
        if found:
            leaks.append(f"{pid}: {sorted(found)}")
    assert DUTCH_MONEY and not leaks, "English words in the Dutch charts:\n" + "\n".join(leaks)
