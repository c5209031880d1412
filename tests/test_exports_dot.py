"""Diagrams: deterministic DOT, accepted by Graphviz for every sample case and view, names escaped.

Tests that run Graphviz's ``dot`` are marked ``needs_dot``: they are skipped
where ``dot`` is missing, unless ``KAFKA_TOOL_REQUIRE_DOT=1`` (set by .ci/run),
where a missing ``dot`` fails them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exports.render import run_dot
from exports.scene import Diagram, ExportError
from exports.text import clean, html_lines, html_text, wrap
from exports.timeline import timeline_diagram
from exports.views import (
    LAYERS,
    case_diagram,
    finding_diagram,
    intervention_diagram,
    journey_diagram,
    journey_keys,
    parse_layers,
    persona_diagram,
)
from kafka_tool.analysis.engine import Analysis, analyze
from kafka_tool.interventions import compare
from kafka_tool.loader import load_case
from kafka_tool.model import Case

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted((ROOT / "cases").glob("*.yaml"))

sys.path.insert(0, str(ROOT / "tests"))
from dot_text import canonical  # noqa: E402


def dot_text(diagram: Diagram) -> str:
    """The diagram's DOT in the canonical form (every value quoted, attributes joined by commas)."""
    return canonical(diagram.to_dot())



_ANALYSES: dict[Path, Analysis] = {}


def analysis_of(path: Path) -> Analysis:
    if path not in _ANALYSES:
        _ANALYSES[path] = analyze(load_case(path))
    return _ANALYSES[path]


def all_views(analysis: Analysis) -> list[tuple[str, str]]:
    """(name, DOT) for every view of a case."""
    out = [("case", case_diagram(analysis).to_dot())]
    out.append(("case-no-layers", case_diagram(analysis, ()).to_dot()))
    for finding in analysis.findings:
        out.append((f"finding {finding.id}", finding_diagram(analysis, finding.id).to_dot()))
    for persona in analysis.case.personas:
        out.append((f"persona {persona.id}", persona_diagram(analysis, persona.id).to_dot()))
        out.append((f"timeline {persona.id}", timeline_diagram(analysis, persona.id).to_dot()))
    for key in journey_keys(analysis.case):
        out.append((f"journey {key}", journey_diagram(analysis, key).to_dot()))
    for item in analysis.case.interventions:
        comparison = compare(analysis.case, [item.id], analysis)
        out.append((f"intervention {item.id}", intervention_diagram(comparison).to_dot()))
    return out


# ---------------------------------------------------------------- pure Python


def test_every_sample_case_is_found() -> None:
    assert len(CASES) >= 9


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_dot_is_byte_identical_on_every_run(path: Path) -> None:
    first = all_views(analyze(load_case(path)))
    second = all_views(analyze(load_case(path)))
    assert first == second


def test_dot_is_identical_across_processes_with_different_hash_seeds() -> None:
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from kafka_tool.loader import load_case\n"
        "from kafka_tool.analysis.engine import analyze\n"
        "from exports.views import case_diagram, persona_diagram\n"
        "for p in sorted(Path('cases').glob('*.yaml')):\n"
        "    a = analyze(load_case(p))\n"
        "    sys.stdout.write(case_diagram(a).to_dot())\n"
        "    for persona in a.case.personas:\n"
        "        sys.stdout.write(persona_diagram(a, persona.id).to_dot())\n"
    )
    outputs = []
    for seed in ("1", "987"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, cwd=ROOT, env=env, check=True, timeout=300
        )
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"digraph kafka {") >= 9


def test_the_case_diagram_has_lanes_documents_referrals_rules_and_a_legend() -> None:
    analysis = analysis_of(ROOT / "cases" / "status-holder-bsn-bank-house.yaml")
    source = dot_text(case_diagram(analysis))
    assert "cluster_lane_" in source
    assert "Bank" in source and 'shape="note"' in source
    assert 'arrowhead="vee"' in source  # referrals
    assert "§ Banks must identify the customer" in source
    assert "Legend" in source
    assert 'rankdir="LR"' in source


def test_layers_can_be_left_out() -> None:
    analysis = analysis_of(ROOT / "cases" / "status-holder-bsn-bank-house.yaml")
    source = dot_text(case_diagram(analysis, ("referrals",)))
    assert 'shape="note"' not in source
    assert "§" not in source
    assert "Legend" not in source
    assert 'arrowhead="vee"' in source
    assert parse_layers("referrals, documents") == ("documents", "referrals")
    assert parse_layers(None) == LAYERS
    with pytest.raises(ExportError, match="unknown layer 'nope'"):
        parse_layers("nope")


def test_the_circle_and_the_referral_loop_are_highlighted_differently() -> None:
    analysis = analysis_of(ROOT / "cases" / "status-holder-bsn-bank-house.yaml")
    source = dot_text(case_diagram(analysis))
    # circle: red thick; referral loop: orange double arrowheads; dead end: double border
    assert 'color="#c0392b", penwidth="3.5"' in source
    assert 'arrowhead="veevee", color="#d35400"' in source
    assert 'peripheries="2"' in source
    assert "Red thick arrows: a circle of documents" in source
    assert "DEAD END" in source


def test_touchpoints_without_an_actor_stand_in_the_nobody_responsible_area() -> None:
    analysis = analysis_of(ROOT / "cases" / "thuiszitter-passend-onderwijs.yaml")
    source = dot_text(case_diagram(analysis))
    assert "cluster_nobody" in source
    assert "NIEMAND VERANTWOORDELIJK" in source  # a Dutch case gets Dutch diagram words
    assert "Legenda" in source


def test_a_focused_diagram_shows_the_finding_and_its_context_with_the_explanation() -> None:
    analysis = analysis_of(ROOT / "cases" / "status-holder-bsn-bank-house.yaml")
    finding = next(f for f in analysis.findings if f.kind == "dead_end")
    source = dot_text(finding_diagram(analysis, finding.id))
    assert html_text(finding.explanation.split(".")[0]) in source.replace("<BR/>", " ")
    assert "Start work and be put on" not in source  # far from the dead end
    with pytest.raises(ExportError, match="no finding 'dead_end/nowhere'"):
        finding_diagram(analysis, "dead_end/nowhere")


def test_a_persona_view_numbers_the_plan_and_shades_what_is_out_of_reach() -> None:
    analysis = analysis_of(ROOT / "cases" / "status-holder-bsn-bank-house.yaml")
    amal = dot_text(persona_diagram(analysis, "amal"))
    assert "step 1" in amal and "step 3" in amal and "step 4" not in amal
    yonas = dot_text(persona_diagram(analysis, "yonas"))
    assert "GOAL: OUT OF REACH" in yonas and "out of reach" in yonas
    with pytest.raises(ExportError, match="no persona"):
        persona_diagram(analysis, "nobody")


def test_a_journey_view_draws_dates_outcomes_and_returns() -> None:
    analysis = analysis_of(ROOT / "cases" / "status-holder-bsn-bank-house.yaml")
    source = dot_text(journey_diagram(analysis, "yonas")).replace("<BR/>", " ")
    assert "2022-08-01" in source and "REFERRED" in source and "REFUSED" in source
    assert "BACK AGAIN (first visit: step 1)" in source
    assert '"s_5" -> "s_1"' in source


def test_an_intervention_view_marks_what_is_removed_and_what_it_resolves() -> None:
    analysis = analysis_of(ROOT / "cases" / "status-holder-bsn-bank-house.yaml")
    comparison = compare(analysis.case, ["no_bank_account_for_rent"], analysis)
    source = dot_text(intervention_diagram(comparison))
    assert "REMOVED" in source
    assert "Resolves: Circular requirement" in source
    assert '"t_house_allocation" -> "t_open_bank_account"' in source  # the removed referral is still drawn


def test_wrapping_and_escaping() -> None:
    assert wrap("x" * 60) == ["x" * 24, "x" * 24, "x" * 12]
    assert wrap("") == [""]
    assert clean("a\tb\x00c\r\nd") == "a b c\nd"
    assert html_lines('<b>&"x"</b>\nnext') == "&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;<BR/>next"


# ---------------------------------------------------------------- Graphviz accepts it


@pytest.mark.needs_dot
@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_dot_accepts_every_view_of_every_sample_case_without_warnings(dot: None, path: Path) -> None:
    for name, source in all_views(analysis_of(path)):
        svg, stderr = run_dot(source, "svg")
        assert stderr == "", f"{path.stem} {name}: {stderr}"
        assert svg.startswith(b"<?xml")


# ---------------------------------------------------------------- hostile names

HOSTILE = [
    '"',
    "\\",
    "\\\\n",
    "<",
    ">",
    "&",
    "&amp;",
    ":",
    "a:b",
    "\n",
    "\t",
    "}",
    "]",
    ";",
    "->",
    "--",
    "<!--",
    "-->",
    "<B>",
    "<BR/>",
    "</TABLE>",
    '"; x [label=boom]',
    "💥",
    "👩‍👩‍👧",
    "עברית",
    "مرحبا",
    "\u202e",
    "x" * 70,
    "é",
    "∑",
    "&#60;",
    "\\N",
    "\\G",
    "\\l",
    "'",
    "`",
]

name_text = (
    st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=12)), min_size=1, max_size=5)
    .map(lambda parts: " ".join(parts))
    .filter(lambda s: s.strip() != "")
)


def _svg_text(svg: bytes) -> str:
    root = ET.fromstring(svg)
    texts = ["".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text")]
    return _squash("".join(texts))


def _squash(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


def _hostile_case(names: list[str]) -> Case:
    actor, tp1, tp2, doc1, doc2, rule = (names * 6)[:6]
    return Case.model_validate(
        {
            "format": "kafka-case/1",
            "id": "hostile",
            "title": names[0],
            "actors": [{"id": "a1", "name": actor}],
            "documents": [{"id": "d1", "name": doc1}, {"id": "d2", "name": doc2}],
            "rules": [{"id": "r1", "name": rule, "owner": "a1"}],
            "touchpoints": [
                {
                    "id": "t1",
                    "name": tp1,
                    "actor": "a1",
                    "rules": ["r1"],
                    "requires": ["d2"],
                    "produces": ["d1"],
                    "refers_to": ["t2"],
                },
                {
                    "id": "t2",
                    "name": tp2,
                    "requires": [{"any_of": ["d1", "d2"]}],
                    "produces": ["d2"],
                    "refers_to": ["t1"],
                },
            ],
            "personas": [{"id": "p1", "name": names[-1], "goals": ["d1"]}],
            "journeys": [
                {
                    "persona": "p1",
                    "steps": [
                        {"touchpoint": "t1", "date": "2024-01-01", "outcome": "referred", "to": "t2", "note": names[0]},
                        {"touchpoint": "t2", "date": "2024-01-02", "outcome": "referred", "to": "t1"},
                        {"touchpoint": "t1", "date": "2024-01-03", "outcome": "refused"},
                    ],
                }
            ],
            "interventions": [
                {
                    "id": "i1",
                    "title": names[-1],
                    "owner": "a1",
                    "changes": [{"remove_referral": {"touchpoint": "t2", "to": "t1"}}],
                }
            ],
        }
    )


@pytest.mark.needs_dot
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(names=st.lists(name_text, min_size=1, max_size=6))
def test_hostile_names_render_as_written(dot: None, names: list[str]) -> None:
    case = _hostile_case(names)
    analysis = analyze(case)
    views: list[tuple[str, Any]] = [("case", case_diagram(analysis))]
    views += [(f"finding {f.id}", finding_diagram(analysis, f.id)) for f in analysis.findings[:3]]
    views.append(("persona", persona_diagram(analysis, "p1")))
    views.append(("journey", journey_diagram(analysis, "p1")))
    views.append(("intervention", intervention_diagram(compare(case, ["i1"], analysis))))
    for view, diagram in views:
        svg, stderr = run_dot(diagram.to_dot(), "svg")
        assert stderr == "", f"{view}: {stderr}"
        text = _svg_text(svg)
        if view == "case":
            for name in {
                case.actors[0].name,
                *(t.name for t in case.touchpoints),
                *(d.name for d in case.documents),
                case.rules[0].name,
            }:
                assert _squash(clean(name)) in text, (view, name)
        if view == "journey":
            assert _squash(clean(case.touchpoints[0].name)) in text
