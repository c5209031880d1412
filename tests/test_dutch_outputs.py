"""Every output of every Dutch sample is Dutch: no English message of the catalogue in it.

Each sample whose ``language`` is ``nl`` is analysed (text, JSON, Markdown), compared (every
intervention, ranked), validated and exported (HTML, Markdown with its diagrams, CSV, DOT), its
review table written (HTML, Markdown), and
every diagram of it (each finding, persona, journey, timeline and intervention) is written as
DOT. What the text holds is checked with :func:`dutch_leaks.english_leaks`; ids (finding kinds,
severities, element ids, JSON keys) are contract, not words, and are left out first.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from dutch_leaks import english_leaks

from kafka_tool.cli import cli
from kafka_tool.library import library_dir
from kafka_tool.loader import load_case

ROOT = Path(__file__).resolve().parent.parent
DUTCH = [path for path in sorted((ROOT / "cases").glob("*.yaml")) if load_case(path).language == "nl"]
#: A value that is an id (a kind, a severity, an element's id, a finding id), not words.
_ID = re.compile(r"[a-z0-9_.+/-]+")


class _Text(HTMLParser):
    """The text a reader sees of an HTML page or an SVG drawing (not its styles, scripts or markup)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._hidden += 1
        self.parts.extend(value for name, value in attrs if name in ("alt", "title", "aria-label") and value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _seen(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    return "\n".join(parser.parts)


def _json_words(value: Any) -> Iterator[str]:
    """Every text value of a JSON document that is not an id (its keys are contract)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _json_words(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_words(item)
    elif isinstance(value, str) and not _ID.fullmatch(value):
        yield value


def _csv_words(text: str) -> str:
    """The header and every cell of a CSV document that is not an id."""
    return "\n".join(cell for row in csv.reader(io.StringIO(text)) for cell in row if not _ID.fullmatch(cell))


def _run(*args: str, cwd: Path) -> str:
    """``kafka-tool ARGS`` in ``cwd`` under an English locale (the case decides); stdout and stderr."""
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner(env={"LANGUAGE": "", "LC_ALL": "C.UTF-8"}).invoke(cli, list(args),
                                                                             catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code in (0, 1), result.output + result.stderr  # 1: findings, never a usage mistake
    return result.stdout + "\n" + result.stderr


def _outputs(path: Path, tmp: Path) -> Iterator[tuple[str, str]]:
    """Each output of the sample ``path``: its name and the text a reader sees of it."""
    case = str(path)
    yield "validate", _run("validate", case, cwd=tmp)
    yield "analyze", _run("analyze", case, cwd=tmp)
    yield "analyze --format markdown", _run("analyze", case, "--format", "markdown", cwd=tmp)
    raw = CliRunner().invoke(cli, ["analyze", case, "--format", "json"]).stdout
    yield "analyze --format json", "\n".join(_json_words(json.loads(raw)))
    if load_case(path).interventions:
        yield "compare --intervention all", _run("compare", case, "--intervention", "all", cwd=tmp)
    for fmt in ("html", "md", "csv", "dot"):
        said = _run("export", case, "--format", fmt, "--diagrams", "5", "-o", f"{tmp}/", cwd=tmp)
        yield f"export --format {fmt} (its messages)", said
    stem = path.stem
    yield "export --format html", _seen((tmp / f"{stem}.html").read_text(encoding="utf-8"))
    yield "export --format md", (tmp / f"{stem}.md").read_text(encoding="utf-8")
    for svg in sorted((tmp / f"{stem}-diagrams").glob("*.svg")):
        yield f"export --format md: {svg.name}", _seen(svg.read_text(encoding="utf-8"))
    yield "export --format csv", _csv_words((tmp / f"{stem}.csv").read_text(encoding="utf-8"))
    yield "export --format dot", (tmp / f"{stem}.dot").read_text(encoding="utf-8")
    for fmt, ext in (("html", "html"), ("markdown", "md")):
        yield f"review --format {fmt} (its messages)", _run("review", case, "--format", fmt, "--today", "2024-06-01",
                                                            "-o", f"{tmp}/{stem}.review.{ext}", cwd=tmp)
    yield "review --format html", _seen((tmp / f"{stem}.review.html").read_text(encoding="utf-8"))
    yield "review --format markdown", (tmp / f"{stem}.review.md").read_text(encoding="utf-8")


def _diagrams(path: Path) -> Iterator[tuple[str, str]]:
    """The DOT source of every view of the sample: each finding, persona, journey, timeline, intervention."""
    from exports.views import journey_keys
    from exports.writer import View, diagram_for
    from kafka_tool.analysis.engine import analyze

    analysis = analyze(load_case(path))
    case = analysis.case
    views = [View("finding", f.id) for f in analysis.findings]
    views += [View(kind, p.id) for p in case.personas for kind in ("persona", "timeline")]
    views += [View("journey", key) for key in journey_keys(case)]
    views += [View("intervention", i.id) for i in case.interventions]
    for view in views:
        yield f"--{view.kind} {view.ident}", diagram_for(analysis, view, ("documents", "referrals", "rules",
                                                                          "legend")).to_dot()


@pytest.mark.needs_dot
@pytest.mark.parametrize("path", DUTCH, ids=[p.stem for p in DUTCH])
def test_every_output_of_a_dutch_sample_is_dutch(dot: None, path: Path, tmp_path: Path) -> None:
    leaks = {name: found for name, text in _outputs(path, tmp_path) if (found := english_leaks(text))}
    assert leaks == {}


@pytest.mark.parametrize("path", DUTCH, ids=[p.stem for p in DUTCH])
def test_every_diagram_of_a_dutch_sample_is_dutch(path: Path) -> None:
    leaks = {name: found for name, text in _diagrams(path) if (found := english_leaks(text))}
    assert leaks == {}


def test_the_library_has_dutch_samples() -> None:
    assert len(DUTCH) >= 3 and all(p.parent == library_dir() for p in DUTCH)


def test_the_checker_finds_english_and_passes_dutch() -> None:
    assert english_leaks("Doodlopend bij de balie van de gemeente") == []
    assert "Dead end at" in english_leaks("Dead end at de balie")
    assert english_leaks("dead_end/balie circular_dependency") == []  # ids are not words
