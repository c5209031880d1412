"""The TUI's editing model, without Textual: undo, saving, recent and recovery files.

Rename, delete and what refers to an element are the core's (tests/test_edits.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kafka_tool.analysis.engine import analyze
from kafka_tool.library import find_case
from tui.state import EditSession, ElementRef, StateDir, rename_id, replace_element
from tui.widgets.graph_view import case_edges, finding_drawing, neighbourhood_drawing

SAMPLE = "status-holder-bsn-bank-house"


@pytest.fixture
def session(tmp_path: Path) -> EditSession:
    target = tmp_path / "case.yaml"
    target.write_text(find_case(SAMPLE).read_text(encoding="utf-8"), encoding="utf-8")
    return EditSession.open(target)


def test_undo_and_redo_restore_snapshots(session: EditSession) -> None:
    original = session.case.model_copy(deep=True)
    data = replace_element(
        session.case.to_data(), ElementRef("actor", "bank"), "actor", {"id": "bank", "name": "The bank", "kind": "bank"}
    )
    from kafka_tool.loader import validate_data

    case, issues = validate_data(data)
    assert case is not None and not issues
    session.apply(case, "edit bank")
    assert session.modified
    assert session.undo() == "edit bank"
    assert session.case == original and not session.modified
    assert session.redo() == "edit bank"
    assert session.case.actor("bank").name == "The bank"  # type: ignore[union-attr]


def test_save_keeps_comments(session: EditSession) -> None:
    session.apply(rename_id(session.case, "bank", "bank_nl"), "rename")
    path = session.save()
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Case: status holders")
    assert "bank_nl" in text and not session.modified


def test_sample_detection(tmp_path: Path) -> None:
    assert EditSession.open(find_case(SAMPLE)).is_sample
    target = tmp_path / "copy.yaml"
    target.write_text(find_case(SAMPLE).read_text(encoding="utf-8"), encoding="utf-8")
    assert not EditSession.open(target).is_sample


def test_recent_and_recovery_files(tmp_path: Path, session: EditSession) -> None:
    state = StateDir(tmp_path / "state")
    assert session.path is not None
    state.add_recent(session.path)
    assert state.recent() == [session.path.resolve()]
    changed = rename_id(session.case, "bank", "bank_nl")
    state.keep(session.path, changed)
    recovery = state.recovery(session.path)
    assert recovery is not None and recovery.case() == changed
    state.discard(session.path)
    assert state.recovery(session.path) is None


def test_a_circular_requirement_is_drawn_as_a_ring(session: EditSession) -> None:
    analysis = analyze(session.case)
    loop = next(f for f in analysis.findings if f.kind == "circular_dependency")
    drawing = finding_drawing(session.case, loop, 84).plain
    assert "▶" in drawing and "◀" in drawing and "▲" in drawing and "▼" in drawing
    assert "made at" in drawing and "needs" in drawing
    assert max(len(line) for line in drawing.splitlines()) <= 84


def test_a_long_circle_snakes_down_to_fit_the_pane() -> None:
    from kafka_tool.library import find_case
    from kafka_tool.loader import load_case

    case = load_case(find_case("briefadres-dakloos"))
    loop = next(f for f in analyze(case).findings if f.kind == "circular_dependency")
    for width in (76, 116):
        drawing = finding_drawing(case, loop, width).plain
        assert max(len(line) for line in drawing.splitlines()) <= width
        # every box of the ring is drawn, and no word of a name is split over two lines
        assert drawing.count("┌─ document") + drawing.count("┌─ contactmoment") == 8  # the case is Dutch
        assert "Identiteitskaart" in drawing and "│ rt " not in drawing


def test_neighbourhood_shows_both_directions(session: EditSession) -> None:
    drawing = neighbourhood_drawing(session.case, "open_bank_account").plain
    assert "serves at" in drawing and "requires" in drawing and "produces" in drawing


@pytest.mark.parametrize("name", [p.stem for p in sorted(Path("cases").glob("*.yaml"))])
def test_the_edges_touching_some_elements_are_those_of_the_whole_graph_in_its_order(name: str) -> None:
    """A drawing reads only the edges at the elements it shows (a large case has tens of thousands):
    for every element of each sample case, and for the elements of each finding together, they
    are the whole graph's edges with an end among them, in the same order."""
    from kafka_tool.loader import load_case

    case = load_case(find_case(name))
    every = case_edges(case)
    ids = {end for edge in every for end in (edge.source, edge.target)}
    assert len(ids) > 10
    for element in sorted(ids):
        assert case_edges(case, {element}) == [e for e in every if element in (e.source, e.target)], element
    for finding in analyze(case).findings:
        near = set(finding.nodes)
        assert case_edges(case, near) == [e for e in every if e.source in near or e.target in near], finding.id
    assert case_edges(case, set()) == []


def test_library_columns_share_the_width() -> None:
    from tui.screens.library import _share

    assert _share(100, 40, 30) == (40, 30)  # both fit: nothing is cut
    title, tags = _share(60, 66, 40)
    assert title + tags == 60 and title >= 30 and 10 <= tags <= 20  # tags get up to a third
    assert _share(33, 66, 40) == (33, 0)  # too narrow for both: the title keeps the room
    assert _share(60, 35, 40) == (35, 25)  # a short title leaves the rest to the tags


def test_a_box_s_tag_that_is_wider_than_its_top_line_is_cut_and_keeps_the_corner() -> None:
    """"contactmoment" in a compact box 16 wide: the top-right corner stays."""
    from tui.widgets.graph_view import Canvas

    canvas = Canvas()
    canvas.box(0, 0, 16, ["Huurtoeslag"], tag="contactmoment")
    top = canvas.render().plain.splitlines()[0]
    assert len(top) == 16 and top.startswith("┌─ ") and top.endswith("┐"), top
    assert "contactmom…" in top
    wide = Canvas()
    wide.box(0, 0, 20, ["Huurtoeslag"], tag="contactmoment")
    assert " contactmoment " in wide.render().plain.splitlines()[0]
