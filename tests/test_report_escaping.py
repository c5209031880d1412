"""Text from a case cannot take over a Markdown report (issue 10, items 6 and 17).

- Both Markdown outputs (``analyze --format markdown`` and the ``md`` export)
  come from one writer that escapes every piece of text from the case: no
  HTML, no image, no link, no heading, no emphasis, no table cell can be
  injected. They agree on the counts, with the text report.
- The Markdown report's image links survive spaces and parentheses in names.

The Markdown is checked by rendering it with markdown-it (CommonMark with
GitHub's tables, strikethrough and autolinks, HTML enabled), as a forge would.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from exports.reports import markdown_report
from kafka_tool.analysis.engine import Analysis, analyze
from kafka_tool.cli import cli
from kafka_tool.loader import load_case_text
from kafka_tool.report import DiagramLinks, to_markdown, to_text

ROOT = Path(__file__).resolve().parent.parent

#: Markdown and HTML that must come out as the characters written.
PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "image": "![x](http://evil.example/pixel.png)",
    "link": "[click](javascript:alert(1))",
    "html": '<img src=x onerror="alert(1)">',
    "autolink": "<http://evil.example>",
    "emphasis": "*shout* __loud__",
    "code": "`rm -rf`",
    "strike": "~~gone~~",
    "pipe": "a | b",
    "math": "$x^2$",
    "entity": "&lt;b&gt;",
    "reference": "[ref]: http://evil.example",
}
#: A heading, a list, a quote and a table started from inside a value, for the fields that may hold line breaks.
LINES = "fine\n# Injected heading\n- injected item\n> injected quote\n| x | y |\n|---|---|"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _name(key: str) -> str:
    return _quoted(f"{key.title()} {PAYLOADS[key]}")


HOSTILE = f"""\
format: kafka-case/1
id: hostile
title: {_quoted("Title " + PAYLOADS["script"] + " " + PAYLOADS["image"])}
summary: {_quoted("Summary " + PAYLOADS["link"] + " " + LINES)}
source: {_quoted(PAYLOADS["html"] + " " + LINES)}
actors:
  - {{id: bank, name: {_name("autolink")}}}
  - {{id: town, name: {_name("emphasis")}}}
documents:
  - {{id: account, name: {_name("code")}}}
  - {{id: address, name: {_name("strike")}}}
  - {{id: passport, name: {_name("pipe")}}}
  - {{id: stamp, name: {_name("reference")}}}
rules:
  - {{id: adults, name: {_name("math")}, owner: bank, when: {{}}}}
touchpoints:
  - {{id: open, name: {_name("entity")}, actor: bank, rules: [adults], requires: [address], produces: [account]}}
  - {{id: register, name: {_name("link")}, actor: town, requires: [account, passport], produces: [address]}}
  - {{id: stamp_desk, name: {_name("script")}, requires: [passport], produces: [stamp]}}
personas:
  - {{id: amira, name: {_name("image")}, story: {_quoted(LINES)}, has: [passport], goals: [account, stamp]}}
interventions:
  - id: fetch
    title: {_name("html")}
    owner: town
    changes:
      - remove_requirement: {{touchpoint: register, document: account}}
accepted:
  - finding: no_owner/stamp_desk
    reason: {_quoted(PAYLOADS["image"] + " " + LINES)}
"""


@pytest.fixture(scope="module")
def hostile() -> Analysis:
    return analyze(load_case_text(HOSTILE, "hostile.yaml"))


def _render(markdown: str) -> str:
    parser = MarkdownIt("gfm-like")  # html: True, linkify, tables, strikethrough
    return str(parser.render(markdown))


def _expected_headings(analysis: Analysis, interventions: bool, persona_table: bool = True) -> int:
    severities = {f.severity for f in analysis.findings}
    count = 1 + int(persona_table) + 1 + len(severities) + len(analysis.findings)
    if interventions:
        count += 1 + len(analysis.case.interventions)
    return count


def _outputs(analysis: Analysis) -> dict[str, str]:
    return {
        "analyze": to_markdown(analysis),
        "export": markdown_report(analysis, {}),
    }


@pytest.mark.parametrize("which", ["analyze", "export"])
def test_no_html_image_or_link_gets_through_either_markdown_writer(hostile: Analysis, which: str) -> None:
    rendered = _render(_outputs(hostile)[which])
    assert "<script" not in rendered and "<img" not in rendered
    assert "javascript:" not in re.findall(r'href="([^"]*)"', rendered)
    for href, text in re.findall(r'<a href="([^"]*)">([^<]*)</a>', rendered):
        assert href == text or href == "http://" + text, "only visible addresses may be links"
    assert "rm -rf" not in "".join(re.findall(r"<code>(.*?)</code>", rendered))  # only ids are code
    assert "<del>" not in rendered and "<blockquote>" not in rendered
    # The payloads are there, as the characters they are.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "![x](" in rendered and "[click](javascript:alert(1))" in rendered
    assert "*shout* __loud__" in rendered and "`rm -rf`" in rendered and "~~gone~~" in rendered
    assert "&amp;lt;b&amp;gt;" in rendered


@pytest.mark.parametrize("which", ["analyze", "export"])
def test_no_heading_list_quote_or_table_can_be_started_from_a_value(hostile: Analysis, which: str) -> None:
    markdown = _outputs(hostile)[which]
    rendered = _render(markdown)
    headings = re.findall(r"<h(\d)>(.*?)</h\1>", rendered)
    assert len(headings) == _expected_headings(hostile, interventions=which == "export")
    assert not any(text.startswith("Injected") for _, text in headings)
    assert "<li>injected item" not in rendered
    # One table (the personas), three cells a row, whatever the names hold.
    assert rendered.count("<table>") == 1
    for row in re.findall(r"<tr>(.*?)</tr>", rendered, flags=re.S):
        assert len(re.findall(r"<t[hd]>", row)) == 3
    assert "| x | y |" in rendered and "Injected heading" in rendered


def test_math_and_every_inline_mark_is_escaped() -> None:
    from kafka_tool.markdown import text

    assert _render(text("$x^2$ ~~a~~ *b* _c_ `d` |e| [f](g) ![h](i) <j> &k; #l")).strip() == (
        "<p>$x^2$ ~~a~~ *b* _c_ `d` |e| [f](g) ![h](i) &lt;j&gt; &amp;k; #l</p>"
    )


def test_finding_titles_and_explanations_are_escaped_too(hostile: Analysis) -> None:
    # They quote the case's names: a dead end names its desk.
    markdown = to_markdown(hostile)
    dead_end = next(f for f in hostile.findings if f.kind == "no_owner")
    assert "<script>" in dead_end.title + dead_end.explanation
    assert "<script>" not in markdown


def test_both_markdown_outputs_count_as_the_text_report_does(hostile: Analysis) -> None:
    assert any(f.accepted is not None for f in hostile.findings)
    summary = to_text(hostile).splitlines()[-1]
    assert summary.startswith(f"{len(hostile.active())} findings (") and summary.endswith(", 1 accepted")
    for markdown in _outputs(hostile).values():
        rendered = _render(markdown)
        open_count = sum(1 for f in hostile.findings if f.severity == "high" and f.accepted is None)
        accepted = sum(1 for f in hostile.findings if f.severity == "high" and f.accepted is not None)
        assert f"High ({open_count}, +{accepted} accepted)" in rendered
        assert f"<p>{summary}</p>" in rendered


def test_the_cli_markdown_is_the_same_writer(hostile: Analysis, tmp_path: Path) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["analyze", str(path), "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert result.stdout == to_markdown(analyze(load_case_text(HOSTILE, str(path))))


# ---------------------------------------------------------------- item 17: image links


def test_image_links_survive_spaces_and_parentheses_in_names(hostile: Analysis) -> None:
    files = {"case": "my report (final)-diagrams/case.svg"}
    files |= {f"finding-{f.id}": f"my report (final)-diagrams/finding {f.id}.svg" for f in hostile.findings}
    rendered = _render(markdown_report(hostile, DiagramLinks(files=files)))
    sources = re.findall(r'<img src="([^"]*)"', rendered)
    assert sorted(unquote(s) for s in sources) == sorted(files.values())


@pytest.mark.needs_dot
def test_every_image_of_a_markdown_export_named_with_spaces_renders(tmp_path: Path) -> None:
    from exports.render import dot_available

    if not dot_available():
        pytest.skip("Graphviz's dot is not installed")
    case = ROOT / "cases" / "status-holder-bsn-bank-house.yaml"
    result = CliRunner().invoke(cli, ["export", str(case), "--format", "md", "-o", str(tmp_path / "my report (1).md")])
    assert result.exit_code == 0, result.output
    rendered = _render((tmp_path / "my report (1).md").read_text(encoding="utf-8"))
    sources = re.findall(r'<img src="([^"]*)"', rendered)
    assert len(sources) == 1 + len(analyze(load_case_text(case.read_text(encoding="utf-8"))).findings)
    for source in sources:
        assert (tmp_path / unquote(source)).read_bytes().startswith(b"<?xml"), source


# ---------------------------------------------------------------- the review table


#: The hostile case with a bank in another layer, a rule's source, and an intervention's notes and dates.
HOSTILE_REVIEW = HOSTILE.replace(
    "  - {id: bank, name: ", "  - {id: bank, kind: bank, name: ").replace(
    "owner: bank, when: {}", f"owner: town, source: {_quoted(PAYLOADS['link'] + ' ' + LINES)}, "
    "when: {adult: true}").replace(
    "actors:\n", "attributes:\n  adult: {type: boolean}\nactors:\n", 1).replace(
    "has: [passport],", "has: [passport], attributes: {adult: false},").replace(
    "    owner: town\n", f"    owner: town\n    status: agreed\n    due: 2024-01-01\n    notes: {_quoted(LINES)}\n")


def test_no_html_heading_or_table_cell_gets_into_the_review_table() -> None:
    import datetime as dt

    from exports.review import review_html, review_markdown

    analysis = analyze(load_case_text(HOSTILE_REVIEW, "hostile.yaml"))
    assert any(f.spans_layers for f in analysis.findings)  # the marks and the rule's findings are shown too
    assert any("adults" in f.rules for f in analysis.findings)
    markdown = review_markdown(analysis, dt.date(2024, 6, 1))
    rendered = _render(markdown)
    assert "<script" not in rendered and "<img" not in rendered
    assert "javascript:" not in re.findall(r'href="([^"]*)"', rendered)
    assert "<blockquote>" not in rendered and "<del>" not in rendered
    headings = [text for _, text in re.findall(r"<h(\d)>(.*?)</h\1>", rendered)]
    assert not any(text.startswith("Injected") for text in headings)
    # Every row of the interventions' tables has its seven cells, whatever the notes hold.
    rows = re.findall(r"<tr>(.*?)</tr>", rendered, flags=re.S)
    assert rows and all(len(re.findall(r"<t[hd]>", row)) == 7 for row in rows)
    assert "| x | y |" in rendered and "[click](javascript:alert(1))" in rendered
    assert rendered.count("Injected heading") == 2  # the rule's source and the intervention's notes
    html = review_html(analysis, dt.date(2024, 6, 1))
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
