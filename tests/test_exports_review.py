"""The review table for the meeting with every organisation, as HTML and Markdown, and ``kafka-tool review``.

One case with organisations in five layers: a bank (private), a town (gemeente), a ministry
(rijk) whose rule shuts the bank's desk, a benefits agency (uitvoering) that asks for the same
paper as the town, and a library (maatschappelijk) and the town's credit bank (a bank set to
the gemeente layer) with nothing to act on. Its findings: a dead
end at the bank's desk, shared by the bank and the ministry (two layers); one at the town's desk
(one layer); a paper asked for twice, by the town and the agency (two layers).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from dutch_leaks import english_leaks

from exports.review import review_html, review_markdown
from kafka_tool.analysis.engine import Analysis, analyze
from kafka_tool.cli import cli
from kafka_tool.loader import load_case_text

CASE = """\
format: kafka-case/1
id: town-review
title: Address and account
attributes:
  resident: {type: boolean}
actors:
  - {id: bank, name: "Bank <script>alert(1)</script>", kind: bank}
  - {id: town, name: Town Hall, kind: municipality}
  - {id: ministry, name: Ministry of Home Affairs, kind: ministry}
  - {id: agency, name: Benefits Agency, kind: executive_agency}
  - {id: library, name: Public Library, kind: other}
  - {id: credit, name: Credit Bank, kind: bank, layer: gemeente}
documents:
  - {id: address, name: Address}
  - {id: account, name: Account}
  - {id: benefit, name: Benefit}
rules:
  - {id: residents_only, name: Residents only, owner: ministry, source: "Act 12, section 3", when: {resident: true}}
  - {id: unused_rule, name: Adults only, owner: ministry, when: {resident: false}}
touchpoints:
  - {id: open, name: Open account, actor: bank, requires: [address], produces: [account], rules: [residents_only]}
  - {id: register, name: Register, actor: town, requires: [account], produces: [address]}
  - {id: apply, name: Apply for benefit, actor: agency, requires: [account]}
personas:
  - {id: amira, name: Amira, goals: [account, benefit], attributes: {resident: false}}
interventions:
  - id: postal
    title: Postal address
    owner: town
    status: agreed
    agreed_on: 2024-03-01
    due: 2024-06-01
    obstacles: [interne_inrichting, scepsis]
    notes: "Agreed at the review of 1 March."
  - {id: finished, title: Account for everyone, owner: bank, status: verified, due: 2024-01-01}
  - {id: later, title: One form, owner: agency, status: proposed, review_on: 2025-01-01}
"""

LAYER_OF = {"Bank &lt;script&gt;alert(1)&lt;/script&gt;": "Private sector", "Town Hall": "Municipality (gemeente)",
            "Ministry of Home Affairs": "Central government (Rijk)", "Benefits Agency": "Executive agency",
            "Public Library": "Civil society", "Credit Bank": "Municipality (gemeente)"}


def _analysis(text: str = CASE, language: str | None = None) -> Analysis:
    return analyze(load_case_text(text, "town.yaml").in_language(language))


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return _analysis()


class _Page(HTMLParser):
    """The layers of a review page: each layer's heading with the text of its section, and the page's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.layers: dict[str, list[str]] = {}
        self._depth = 0
        self._layer_depth: int | None = None
        self._heading: list[str] | None = None
        self._current: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self._depth += 1
            if ("class", "layer") in attrs:
                self._layer_depth = self._depth
        if tag == "h2" and self._layer_depth is not None and self._current is None:
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._heading is not None:
            self._current = "".join(self._heading)
            self.layers[self._current] = []
            self._heading = None
        if tag == "section":
            if self._depth == self._layer_depth:
                self._layer_depth, self._current = None, None
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)
        elif self._current is not None:
            self.layers[self._current].append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")


def _html_layers(html: str) -> dict[str, str]:
    page = _Page()
    page.feed(html)
    return {heading: "".join(parts) for heading, parts in page.layers.items()}


def _markdown_layers(text: str) -> dict[str, str]:
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def _line(text: str, needle: str) -> str:
    found = [line for line in text.splitlines() if needle in line]
    assert len(found) == 1, (needle, found)
    return found[0]


# ---------------------------------------------------------------- what the table shows


@pytest.mark.parametrize("layers", [lambda a: _html_layers(review_html(a, dt.date(2024, 7, 1))),
                                    lambda a: _markdown_layers(review_markdown(a, dt.date(2024, 7, 1)))],
                         ids=["html", "markdown"])
def test_every_actor_of_the_case_appears_under_its_layer(analysis: Analysis, layers: object) -> None:
    found = layers(analysis)  # type: ignore[operator]
    for name, layer in LAYER_OF.items():
        assert name in found[layer], (name, layer)
        for other in set(LAYER_OF.values()) - {layer}:
            assert name not in found[other], (name, other)
    # The library has nothing to act on: named briefly at the end of its layer, not as a row.
    assert "Public Library (other)" in found["Civil society"]
    # The municipality's credit bank is a bank by kind, and sits with the municipality by its layer.
    assert "Credit Bank (bank)" in found["Municipality (gemeente)"]


def test_a_finding_that_spans_layers_is_marked_and_one_within_a_layer_is_not(analysis: Analysis) -> None:
    within = next(f for f in analysis.findings if f.id == "dead_end/register")
    across = next(f for f in analysis.findings if f.kind == "repeated_request")
    assert within.layers == ("gemeente",) and across.spans_layers  # what the case is built to give
    markdown = review_markdown(analysis, dt.date(2024, 7, 1))
    html = review_html(analysis, dt.date(2024, 7, 1))
    for text in (markdown, html):
        assert "across layers" not in _line(text, within.title)
        marked = [line for line in text.splitlines() if across.title in line]
        assert len(marked) == 2  # under the town and under the agency
        assert all("⚑ across layers" in line and "Municipality (gemeente)".lower() in line.lower()
                   and "executive agency" in line for line in marked)
    assert "1 finding spans" not in markdown
    spanning = sum(1 for f in analysis.findings if f.accepted is None and f.spans_layers)
    assert f"{spanning} findings span two or more layers" in markdown


def test_an_overdue_intervention_is_marked_after_its_due_date_and_not_before(analysis: Analysis) -> None:
    for render in (review_markdown, review_html):
        after = render(analysis, dt.date(2024, 6, 2))
        assert "overdue" in _line(after, ">Postal address</td>" if render is review_html else "| Postal address |")
        assert "1 intervention is overdue:" in after
        on_the_day = render(analysis, dt.date(2024, 6, 1))  # strictly before: not yet
        before = render(analysis, dt.date(2024, 5, 1))
        for text in (on_the_day, before):
            assert "overdue" not in _line(text, ">Postal address</td>" if render is review_html
                                          else "| Postal address |")
            assert "No intervention is overdue." in text
        # Verified long after its due date: closed, never overdue.
        finished = _line(after, ">Account for everyone</td>" if render is review_html else "| Account for everyone |")
        assert "overdue" not in finished


def test_the_review_date_says_when_it_is_the_default(analysis: Analysis) -> None:
    markdown = review_markdown(analysis, dt.date(2024, 7, 1))
    assert "1 September 2024 (default)" in _line(markdown, "| Postal address |")  # six months after 1 March
    one_form = _line(markdown, "| One form |")
    assert "1 January 2025" in one_form and "(default)" not in one_form
    assert "1 March 2024" in _line(markdown, "| Postal address |")
    assert "how the organisation is set up, doubt that it will work" in _line(markdown, "| Postal address |")
    assert "Agreed at the review of 1 March." in _line(markdown, "| Postal address |")


def test_a_rule_an_actor_owns_that_causes_a_finding_is_listed_under_that_actor(analysis: Analysis) -> None:
    caused = [f for f in analysis.findings if "residents_only" in f.rules]
    assert caused
    for layers in (_markdown_layers(review_markdown(analysis)), _html_layers(review_html(analysis))):
        ministry = layers["Central government (Rijk)"]
        assert "Act 12, section 3" in _line(ministry, "Residents only")
        # Its findings are listed under it (the ministry's one rule, after its own findings).
        under = ministry[ministry.index("Residents only"):]
        assert all(f.title in under for f in caused)
        assert "Adults only" not in "".join(layers.values())  # owned, but it causes nothing
        assert "Residents only" not in layers["Municipality (gemeente)"]


def test_html_escapes_every_name(analysis: Analysis) -> None:
    html = review_html(analysis)
    assert "<script>" not in html
    assert "Bank &lt;script&gt;alert(1)&lt;/script&gt;" in html
    markdown = review_markdown(analysis)
    assert "<script>" not in markdown and "Bank &lt;script&gt;" in markdown


def test_a_case_with_nothing_to_do_says_so() -> None:
    text = CASE.split("rules:")[0] + "touchpoints: []\n"
    markdown = review_markdown(_analysis(text), dt.date(2024, 7, 1))
    assert "0 findings span two or more layers" in markdown
    assert "0 organisations can act on something. 6 organisations are not needed at the table." in markdown
    everyone = review_markdown(_analysis(CASE.replace("  - {id: library, name: Public Library, kind: other}\n", "")
                                         .replace("  - {id: credit, name: Credit Bank, kind: bank, layer: gemeente}\n",
                                                  "")))
    assert "4 organisations can act on something.\n" in everyone and "not needed" not in everyone


def test_findings_no_organisation_can_act_on_are_listed_apart(analysis: Analysis) -> None:
    nobody = [f for f in analysis.findings if not f.actors]
    assert [f.id for f in nobody] == ["unreachable_goal/amira/benefit"]  # no desk gives a benefit
    for layers in (_markdown_layers(review_markdown(analysis)), _html_layers(review_html(analysis))):
        for layer in set(LAYER_OF.values()):
            assert nobody[0].title not in layers[layer]
    markdown = review_markdown(analysis)
    apart = markdown[markdown.index("## Findings no organisation in the case can act on"):]
    assert nobody[0].title in apart
    assert all(f.title not in apart for f in analysis.findings if f.actors)
    html = review_html(analysis)
    assert nobody[0].title in html[html.index("<h2>Findings no organisation in the case can act on</h2>"):]
    assert "## Findings no organisation" not in review_markdown(_analysis(CASE.replace(
        "goals: [account, benefit]", "goals: [account]")))


def test_a_case_without_organisations_says_so() -> None:
    text = """format: kafka-case/1
id: empty
title: Nobody here
documents: [{id: pass, name: Pass}]
touchpoints: [{id: desk, name: Desk, produces: [pass]}]
"""
    for render in (review_markdown, review_html):
        page = render(_analysis(text))
        assert "The case names no organisations." in page
        assert "0 organisations can act on something." in page


# ---------------------------------------------------------------- Dutch


class _Seen(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag == "style"
        self.parts.extend(value for name, value in attrs if name == "title" and value)

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag == "style"

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _seen(html: str) -> str:
    parser = _Seen()
    parser.feed(html)
    return "\n".join(parser.parts)


def test_the_dutch_review_table_has_no_english_words() -> None:
    analysis = _analysis(language="nl")
    html = review_html(analysis, dt.date(2024, 7, 1))
    markdown = review_markdown(analysis, dt.date(2024, 7, 1))
    assert english_leaks(_seen(html), own=CASE) == []
    assert english_leaks(markdown, own=CASE) == []
    assert "over lagen heen" in markdown and "1 september 2024 (vanzelf)" in markdown
    assert "te laat" in _line(markdown, "| Postal address |")
    assert _html_layers(html).keys() == {"Rijk", "Gemeente", "Uitvoeringsorganisatie", "Maatschappelijke organisatie",
                                         "Privaat"}


def test_the_english_checker_would_notice_an_english_label() -> None:
    markdown = review_markdown(_analysis(language="nl"), dt.date(2024, 7, 1))
    assert english_leaks(markdown.replace("Niet nodig aan tafel", "Not needed at the table"), own=CASE) \
        == ["Not needed at the table"]


# ---------------------------------------------------------------- the command


def _run(*args: str, cwd: Path) -> Result:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner(env={"LANGUAGE": "", "LC_ALL": "C.UTF-8"}).invoke(cli, list(args))
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    path = tmp_path / "my town.yaml"
    path.write_text(CASE, encoding="utf-8")
    return path


def test_review_writes_a_file_named_after_the_case_file_and_says_where(case_file: Path) -> None:
    folder = case_file.parent
    result = _run("review", str(case_file), "--today", "2024-07-01", cwd=folder)
    assert result.exit_code == 0, result.output
    written = folder / "my-town.review.html"
    assert result.stderr.strip() == "wrote my-town.review.html"
    assert "<h1>Review table: Address and account</h1>" in written.read_text(encoding="utf-8")
    result = _run("review", str(case_file), "--format", "markdown", "--today", "2024-07-01", cwd=folder)
    assert result.exit_code == 0 and "wrote my-town.review.md" in result.stderr
    assert (folder / "my-town.review.md").read_text(encoding="utf-8") == review_markdown(
        _analysis(), dt.date(2024, 7, 1))


def test_review_refuses_to_overwrite_without_force(case_file: Path) -> None:
    folder = case_file.parent
    target = folder / "out.md"
    target.write_text("mine\n", encoding="utf-8")
    result = _run("review", str(case_file), "--format", "markdown", "-o", str(target), cwd=folder)
    assert result.exit_code == 2
    assert f"{target} exists; pass --force to overwrite it" in result.stderr
    assert target.read_text(encoding="utf-8") == "mine\n"
    result = _run("review", str(case_file), "--format", "markdown", "-o", str(target), "--force", cwd=folder)
    assert result.exit_code == 0 and f"wrote {target}" in result.stderr
    assert target.read_text(encoding="utf-8").startswith("# Review table")


def test_review_speaks_the_language_asked_for(case_file: Path) -> None:
    result = _run("review", str(case_file), "--lang", "nl", "--format", "markdown", cwd=case_file.parent)
    assert result.exit_code == 0 and "my-town.review.md geschreven" in result.stderr
    assert (case_file.parent / "my-town.review.md").read_text(encoding="utf-8").startswith(
        "# Overzicht per organisatie")


@pytest.mark.parametrize(("args", "code", "said"), [
    (["--today", "2024-13-01"], 2, "--today: '2024-13-01' is not a date; write it as YYYY-MM-DD"),
    (["--today", "tomorrow"], 2, "--today: 'tomorrow' is not a date"),
    (["--format", "pdf"], 2, "'pdf' is not one of 'html', 'markdown'"),
], ids=["impossible date", "not a date", "bad format"])
def test_review_usage_mistakes_end_with_2(case_file: Path, args: list[str], code: int, said: str) -> None:
    result = _run("review", str(case_file), *args, cwd=case_file.parent)
    assert result.exit_code == code and said in result.stderr, result.output
    assert not list(case_file.parent.glob("*.review.*"))


def test_review_of_a_missing_or_invalid_case(tmp_path: Path) -> None:
    result = _run("review", str(tmp_path / "missing.yaml"), cwd=tmp_path)
    assert result.exit_code == 2 and "no such file or folder" in result.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text(CASE.replace("actor: town", "actor: twon"), encoding="utf-8")
    result = _run("review", str(broken), cwd=tmp_path)
    assert result.exit_code == 1 and "unknown actor 'twon'" in result.stderr
    assert not list(tmp_path.glob("*.review.*"))


# ---------------------------------------------------------------- the HTML and Markdown reports


def _report_findings(html: str) -> dict[str, str]:
    """Each finding's section of the HTML report, by the finding's id."""
    return {m.group(1): m.group(2) for m in re.finditer(r'<section class="finding \w+" id="finding-([^"]+)">(.*?)'
                                                        r"</section>", html, flags=re.S)}


def _across_section(text: str, heading: str, end: str) -> str:
    start = text.index(heading)
    return text[start:text.index(end, start)]


ACCEPTING = CASE + """accepted:
  - {finding: "repeated_request/account", reason: "The agency and the town share the copy."}
"""


def test_the_html_report_marks_findings_that_span_layers_and_lists_them(dot: None) -> None:
    from exports.reports import html_report

    analysis = _analysis()
    within = analysis.finding("dead_end/register")
    across = [f for f in analysis.findings if f.spans_layers]
    assert within is not None and len(across) >= 2
    html = html_report(analysis, diagrams=0)
    sections = _report_findings(html)
    assert set(sections) == {f.id for f in analysis.findings}
    assert "no single layer can solve this" not in sections[within.id]
    for finding in across:
        assert "no single layer can solve this" in sections[finding.id]
    listed = _across_section(html, "<h2 id=\"across-layers\">Problems no single layer can solve</h2>", "</ul>")
    assert all(f'href="#finding-{f.id}"' in listed for f in across)
    assert within.title not in listed
    # An accepted finding has been weighed: it stays marked, but is not listed among the problems.
    accepted = html_report(_analysis(ACCEPTING), diagrams=0)
    listed = _across_section(accepted, "Problems no single layer can solve", "</ul>")
    assert 'href="#finding-repeated_request/account"' not in listed
    assert "no single layer can solve this" in _report_findings(accepted)["repeated_request/account"]


def test_the_html_report_of_a_case_within_one_layer_has_no_such_section(dot: None) -> None:
    from exports.reports import html_report

    one_layer = CASE.replace("kind: bank}", "kind: bank, layer: gemeente}").replace(
        "kind: ministry}", "kind: ministry, layer: gemeente}").replace(
        "kind: executive_agency}", "kind: executive_agency, layer: gemeente}")
    analysis = _analysis(one_layer)
    assert analysis.findings and not any(f.spans_layers for f in analysis.findings)
    html = html_report(analysis, diagrams=0)
    assert "Problems no single layer can solve" not in html and "no single layer can solve this" not in html


def test_the_markdown_report_marks_findings_that_span_layers_and_lists_them() -> None:
    from kafka_tool.report import to_markdown

    analysis = _analysis()
    text = to_markdown(analysis)
    listed = _across_section(text, "## Problems no single layer can solve", "## Findings")
    blocks = re.split(r"^#### ", text, flags=re.M)[1:]
    assert len(blocks) == len(analysis.findings)
    for finding in analysis.findings:
        block = next(b for b in blocks if f"`{finding.id}`" in b)
        assert ("no single layer can solve this" in block) == finding.spans_layers, finding.id
        assert (finding.title in listed) == finding.spans_layers, finding.id
    dutch = to_markdown(_analysis(language="nl"))
    assert "## Problemen die geen enkele laag alleen kan oplossen" in dutch
    assert "geen enkele laag lost dit alleen op" in dutch
    assert english_leaks(dutch, own=CASE) == []
