"""Findings on diagrams: each kind drawn by its registry mark, with one table of precedence, the
legend from the registry, circles from the finding's trails, and DOT built without Graphviz."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from itertools import pairwise
from pathlib import Path
from typing import Any, get_args

import pytest

from exports import dot, marking, theme
from exports.scene import Diagram, Edge, doc_key, tp_key
from exports.views import (
    ACTOR_KINDS,
    CHANNELS,
    OUTCOMES,
    case_diagram,
    finding_diagram,
    intervention_diagram,
    journey_diagram,
    journey_keys,
    persona_diagram,
)
from kafka_tool.analysis import kinds
from kafka_tool.analysis.engine import Analysis, analyze
from kafka_tool.analysis.kinds import KINDS, FindingKind, Mark
from kafka_tool.findings import Finding
from kafka_tool.i18n import words
from kafka_tool.interventions import compare
from kafka_tool.loader import load_case
from kafka_tool.model import ActorKind, Case, Channel, Outcome

ROOT = Path(__file__).resolve().parent.parent
STATUS_HOLDER = ROOT / "cases" / "status-holder-bsn-bank-house.yaml"

sys.path.insert(0, str(ROOT / "tests"))
from dot_text import canonical  # noqa: E402

#: Every part a mark can name (the registry's ``Part``).
PARTS = set(get_args(kinds.Part))


def _analysis(data: dict[str, Any]) -> Analysis:
    return analyze(Case.model_validate(data))


def _loop_with_a_futile_referral() -> dict[str, Any]:
    """Two desks that send people to each other; the second gives nothing the first asks for or offers
    (the first gives what the second asks for: that referral is not futile)."""
    return {
        "format": "kafka-case/1",
        "id": "pillar-to-post",
        "title": "Pillar to post",
        "actors": [{"id": "town", "name": "Town hall"}, {"id": "agency", "name": "Agency"}],
        "documents": [{"id": "permit", "name": "Permit"}, {"id": "leaflet", "name": "Leaflet"}],
        "touchpoints": [
            {"id": "desk_a", "name": "Desk A", "actor": "town", "produces": ["permit"], "refers_to": ["desk_b"]},
            {"id": "desk_b", "name": "Desk B", "actor": "agency", "requires": ["permit"], "produces": ["leaflet"],
             "refers_to": ["desk_a"]},
        ],
        "personas": [{"id": "ann", "name": "Ann", "goals": ["permit"]}],
    }


# ---------------------------------------------------------------- the registry and the theme


def test_every_mark_of_the_registry_has_a_theme_entry_legend_words_and_known_parts() -> None:
    messages = {m for m in _catalogue_ids()}
    for kind in KINDS:
        if kind.mark is None:
            continue
        mark = kind.mark
        assert mark.name in theme.MARKS, f"{kind.name}: no theme entry for mark {mark.name!r} (exports/theme.py)"
        entry = theme.MARKS[mark.name]
        assert entry.legend.text in messages, f"{kind.name}: the legend words are not in the catalogue"
        assert set(mark.parts) <= PARTS and set(mark.tag_parts) <= set(mark.parts), kind.name
        assert (mark.tag is None) == (entry.tag is None), f"{kind.name}: a tag needs its words, words need a tag"
        if entry.tag is not None:
            assert entry.tag.tone in theme.TONES
            for language in ("en", "nl"):
                assert entry.tag.say(words(language), _Facts()).strip()


class _Facts:
    who = "Ann"
    region = "age 0 to 17"
    organisations = 2


def _catalogue_ids() -> set[str]:
    from babel.messages.pofile import read_po

    path = ROOT / "kafka_tool" / "locale" / "nl" / "LC_MESSAGES" / "kafka_tool.po"
    with path.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def test_every_legend_entry_has_its_words_in_the_catalogue() -> None:
    messages = _catalogue_ids()
    for key, entry in theme.LEGEND.items():
        assert entry.text in messages, key
        assert not entry.said or entry.sample in messages, key


def test_every_actor_kind_channel_and_outcome_has_its_words() -> None:
    assert set(get_args(ActorKind)) - {"other"} == set(ACTOR_KINDS)
    assert set(get_args(Channel)) == set(CHANNELS)
    assert set(get_args(Outcome)) == set(OUTCOMES)


def test_the_precedence_of_marks_is_one_ordered_table_per_element() -> None:
    edges = [name for name, _ in theme.EDGE_LOOKS]
    assert edges.index("futile") < edges.index("loop")  # issue 13, item 12: the loop's line wins
    assert theme.edge_attrs("refers", {"futile", "loop"}) == theme.edge_attrs("refers", {"loop"})
    assert theme.edge_attrs("refers", {"futile"})["style"] == "dashed"
    # A dead end's border beats nobody-responsible's; its fill gives way to it.
    both = theme.node_attrs("touchpoint", {"dead_end", "no_owner"})
    assert both["color"] == theme.RED and both["fillcolor"] == theme.AMBER_FILL and both["peripheries"] == "2"
    assert theme.node_attrs("touchpoint", {"dead_end"})["fillcolor"] == theme.RED_FILL
    assert "rounded" not in theme.node_attrs("touchpoint", {"dead_end"})["style"]
    assert theme.rule_colour({"no_owner", "conflict"}, muted=False) == theme.RED
    assert theme.rule_colour(set(), muted=True) == theme.LIGHT


# ---------------------------------------------------------------- marks applied from the registry


def test_a_referral_loop_and_a_futile_referral_on_one_arrow_show_the_loop_and_both_findings() -> None:
    analysis = _analysis(_loop_with_a_futile_referral())
    found = {f.kind for f in analysis.findings}
    assert {"referral_loop", "futile_referral"} <= found
    diagram = case_diagram(analysis)
    shared = diagram.edges[(tp_key("desk_a"), tp_key("desk_b"), "refers")]
    assert {"loop", "futile"} <= shared.marks
    attrs = theme.edge_attrs(shared.kind, shared.marks)
    assert attrs["color"] == theme.ORANGE and attrs["arrowhead"] == "veevee"
    assert [text for text, _ in shared.labels] == ["cannot help", "sent round in a loop"]
    source = canonical(diagram.to_dot())
    line = next(x for x in source.splitlines() if '"t_desk_a" -> "t_desk_b"' in x)
    assert 'arrowhead="veevee", color="#d35400"' in line and "cannot help" in line and "sent round in a loop" in line
    # Alone on an arrow, a loop's line is its sign: no words added.
    back = diagram.edges[(tp_key("desk_b"), tp_key("desk_a"), "refers")]
    assert back.marks & theme.MARKS.keys() == {"loop"} and back.labels == []


def test_the_finding_view_of_the_futile_referral_alone_draws_it_in_its_own_style() -> None:
    analysis = _analysis(_loop_with_a_futile_referral())
    futile = next(f for f in analysis.findings if f.kind == "futile_referral")
    diagram = finding_diagram(analysis, futile.id)
    edge = diagram.edges[(tp_key("desk_a"), tp_key("desk_b"), "refers")]
    assert theme.edge_attrs(edge.kind, edge.marks)["color"] == theme.PURPLE
    assert [text for text, _ in edge.labels] == ["cannot help"]


def test_a_new_kind_needs_only_its_registry_entry_and_a_theme_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    analysis = analyze(load_case(STATUS_HOLDER))
    kind = FindingKind("novel_kind", "high", "a kind the exports have never heard of", lambda ctx: [],
                       lambda f, say: ("", "", []), Mark("novel", ("first_touchpoint", "documents"), tag="novel"))
    monkeypatch.setitem(kinds._BY_NAME, "novel_kind", kind)
    monkeypatch.setitem(theme.MARKS, "novel", theme.MarkTheme(
        theme.LegendEntry("?", theme.PURPLE, "text", "Purple: something new"),
        theme.TagWords(lambda say, of: f"NEW for {of.who}", "warn")))
    finding = Finding("novel_kind/x", "novel_kind", "high", "New", "Something new.",
                      nodes=("open_bank_account", "bank_account"), personas=("yonas",))
    diagram = case_diagram(analysis, ())
    diagram.show_legend = True
    marking.mark_finding(diagram, analysis, finding)
    box = diagram.nodes[tp_key("open_bank_account")]
    assert "novel" in box.marks and ("NEW for Yonas", "warn") in box.tags
    assert "novel" in diagram.legend and "Purple: something new" in diagram.to_dot()


def test_the_legend_has_a_line_for_each_finding_mark_the_diagram_uses_and_no_other() -> None:
    analysis = analyze(load_case(STATUS_HOLDER))
    diagram = case_diagram(analysis)
    used = {m for node in diagram.nodes.values() for m in node.marks} | {
        m for edge in diagram.edges.values() for m in edge.marks} | {
        m for node in diagram.nodes.values() for line in node.rules for m in line.marks}
    legend = _legend_text(diagram)
    assert {"cycle", "loop", "dead_end"} <= used
    for name, entry in theme.MARKS.items():
        assert (entry.legend.text in legend) == (name in used and name in diagram.legend), name
    # In the case's language.
    dutch = analyze(load_case(ROOT / "cases" / "thuiszitter-passend-onderwijs.yaml"))
    legend = _legend_text(case_diagram(dutch))
    assert legend.startswith("Legenda loket Contactmoment: ")
    assert words("nl").say(theme.MARKS["dead_end"].legend.text) in legend and "desk" not in legend


@pytest.mark.parametrize(("currency", "sign"), [("EUR", "€"), ("GBP", "£")])
def test_the_legend_of_a_benefit_cliff_shows_the_cases_own_money_sign(currency: str, sign: str) -> None:
    case = load_case(ROOT / "cases" / "armoedeval-baan-aannemen.yaml").model_copy(update={"currency": currency})
    analysis = analyze(case)
    cliff = next(f for f in analysis.findings if f.kind == "benefit_cliff")
    legend = _legend_text(finding_diagram(analysis, cliff.id))
    other = "£" if sign == "€" else "€"
    assert f"{sign} ↓" in legend and f"{other} ↓" not in legend


def _legend_text(diagram: Diagram) -> str:
    """The words of the diagram's title, caption and legend, as one line."""
    from dot_text import labels

    graph_label = labels(diagram.to_dot())[0]
    text = " ".join(graph_label.split())
    return text[text.index(words(diagram.language).say("Legend")):]


def test_severity_words_are_said_in_the_cases_language() -> None:
    dutch = analyze(load_case(ROOT / "cases" / "thuiszitter-passend-onderwijs.yaml"))
    finding = next(f for f in dutch.findings if f.severity == "critical")
    assert finding_diagram(dutch, finding.id).title.startswith("KRITIEK: ")
    english = analyze(load_case(STATUS_HOLDER))
    finding = next(f for f in english.findings if f.severity == "critical")
    assert finding_diagram(english, finding.id).title.startswith("CRITICAL: ")


# ---------------------------------------------------------------- trails


def _trail_steps(finding: Finding) -> set[tuple[str, str]]:
    steps = set()
    for trail in finding.trails:
        nodes = trail.nodes
        pairs = list(pairwise(nodes)) + ([(nodes[-1], nodes[0])] if trail.closed else [])
        steps.update(pairs)
    return steps


def _arrow_step(diagram: Diagram, edge: Edge) -> tuple[str, str]:
    """The trail step an arrow stands for: (document, touchpoint it is made at) or (touchpoint, what it needs)."""
    tail, head = diagram.nodes[edge.tail], diagram.nodes[edge.head]
    if edge.kind == "produces":
        return (head.ident, tail.ident)
    if edge.kind == "refers":
        return (tail.ident, head.ident)
    if tail.kind == "group":
        return (head.ident, "*")
    if head.kind == "group":
        return (head.ident.split("#")[0], tail.ident)
    return (head.ident, tail.ident)


def test_the_circle_is_drawn_from_the_findings_trails() -> None:
    analysis = analyze(load_case(STATUS_HOLDER))
    circle = next(f for f in analysis.findings if f.kind == "circular_dependency")
    diagram = finding_diagram(analysis, circle.id)
    steps = _trail_steps(circle)
    drawn = {_arrow_step(diagram, e) for e in diagram.edges.values() if "cycle" in e.marks}
    assert drawn - {s for s in drawn if s[1] == "*"} == steps
    # With only one of its trails, only that circle is drawn: nothing is searched for again.
    first = dataclasses.replace(circle, trails=circle.trails[:1])
    base = case_diagram(analysis, ("documents", "referrals"))
    for edge in base.edges.values():
        edge.marks.discard("cycle")
    marking.mark_finding(base, analysis, first)
    drawn = {_arrow_step(base, e) for e in base.edges.values() if "cycle" in e.marks}
    assert {s for s in drawn if s[1] != "*"} == _trail_steps(first)


def test_the_referral_loop_is_drawn_from_the_findings_trails() -> None:
    analysis = analyze(load_case(STATUS_HOLDER))
    loop = next(f for f in analysis.findings if f.kind == "referral_loop")
    diagram = finding_diagram(analysis, loop.id)
    drawn = {_arrow_step(diagram, e) for e in diagram.edges.values() if "loop" in e.marks}
    assert drawn == _trail_steps(loop)


# ---------------------------------------------------------------- DOT without a binary


def _all_views(analysis: Analysis) -> list[Diagram]:
    case = analysis.case
    out = [case_diagram(analysis)]
    out += [finding_diagram(analysis, f.id) for f in analysis.findings]
    out += [persona_diagram(analysis, p.id) for p in case.personas]
    out += [journey_diagram(analysis, key) for key in journey_keys(case)]
    out += [intervention_diagram(compare(case, [i.id], analysis)) for i in case.interventions]
    return out


def test_building_dot_needs_no_graphviz_binary(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"a program was started: {args}")

    import graphviz.backend.execute

    monkeypatch.setattr(subprocess, "run", refuse)
    monkeypatch.setattr(subprocess, "Popen", refuse)
    monkeypatch.setattr(graphviz.backend.execute, "run_check", refuse)
    monkeypatch.setenv("PATH", "")
    monkeypatch.setenv("KAFKA_TOOL_DOT", "/nowhere/dot")
    for diagram in _all_views(analyze(load_case(STATUS_HOLDER))):
        assert diagram.to_dot().startswith("digraph kafka {")


def test_node_names_never_hold_a_port() -> None:
    assert dot._name("t_open_bank_account") == "t_open_bank_account"
    for bad in ("t_a:b", "t_a b", "<x>", 't_"x"'):
        with pytest.raises(ValueError):
            dot._name(bad)
    analysis = analyze(load_case(STATUS_HOLDER))
    assert all(":" not in key for key in case_diagram(analysis).nodes)
    assert doc_key("bsn") == "d_bsn"
