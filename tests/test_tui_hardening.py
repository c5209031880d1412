"""The terminal interface with hostile and large input: it shows what a case says, and never stops."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, TextArea
from textual.widgets.tree import TreeNode

from kafka_tool.analysis.engine import Analysis
from tests.test_tui_app import case_screen, drive, open_edit_form, select, settle, text_of
from tui.app import make_app
from tui.messages import ElementSelected, FindingSelected
from tui.screens.case import CaseScreen
from tui.screens.loading import LoadingModal
from tui.state import ElementRef
from tui.widgets.case_tree import CaseTree
from tui.widgets.element_form import ElementForm
from tui.widgets.findings import MAX_ROWS, FindingsPanel

#: Text that Textual would read as markup, Rich as a style, a shell as a variable, and a
#: right-to-left override: a case may hold any of it, and it must show as written.
HOSTILE = "[bold]x[/] [/] [link=https://evil]y[/link] $HOME %s {0} ‮abc 🏠"


def _hostile_case(tmp_path: Path) -> Path:
    text = f"""\
format: kafka-case/1
id: hostile
title: "{HOSTILE} title"
summary: "{HOSTILE} summary"
attributes:
  "[age]": {{type: integer, min: 0, max: 120}}
  kind: {{type: category, values: ["[red]", "plain"]}}
actors:
  - {{id: a, name: "{HOSTILE} actor"}}
documents:
  - {{id: d, name: "{HOSTILE} doc"}}
  - {{id: e, name: '[/] e \\ back\\slash'}}
rules:
  - {{id: r, name: "{HOSTILE} rule", when: {{"[age]": {{min: 18}}, kind: {{in: ["[red]"]}}}}}}
touchpoints:
  - {{id: t, name: "{HOSTILE} desk", actor: a, rules: [r], requires: [e], produces: [d], refers_to: [u]}}
  - {{id: u, name: "[b] other desk", actor: a, requires: [d], produces: [e], refers_to: [t]}}
personas:
  - {{id: p, name: "{HOSTILE} persona", story: "{HOSTILE}", attributes: {{"[age]": 17, kind: "[red]"}}, goals: [d]}}
journeys:
  - persona: p
    steps:
      - {{touchpoint: t, date: 2024-01-01, outcome: referred, to: u, note: "{HOSTILE}"}}
      - {{touchpoint: u, date: 2024-01-02, outcome: referred, to: t}}
      - {{touchpoint: t, date: 2024-01-03, outcome: refused}}
interventions:
  - id: i
    title: "{HOSTILE} intervention"
    changes:
      - remove_requirement: {{touchpoint: t, document: e}}
accepted:
  - {{finding: no_owner/r, reason: "{HOSTILE} reason", by: "[i]team[/i]"}}
"""
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_hostile_text_shows_as_written_on_every_tab(tmp_path: Path) -> None:
    app = make_app(_hostile_case(tmp_path), config_dir=tmp_path / "state", cases_dir=tmp_path / "cases")

    async def script(pilot: Any) -> None:
        screen = case_screen(app)
        assert HOSTILE in app.sub_title
        panel = screen.query_one(FindingsPanel)
        assert panel.shown, "the hostile case has findings"
        for row in range(len(panel.shown)):
            panel.table.focus()
            panel.table.move_cursor(row=row)
            await pilot.pause()
            for key in ("g", "p"):
                await pilot.press(key)
                await settle(pilot)
                assert isinstance(app.screen, CaseScreen)
        for tab in ("detail", "graph", "persona", "interventions"):
            screen.action_show_tab(tab)
            await settle(pilot)
        await select(pilot, ElementRef("touchpoint", "t"))
        screen.action_show_tab("detail")
        await settle(pilot)
        assert any(HOSTILE in text_of(w) for w in screen.query("#detail-pane Static")), "shown as written"
        await pilot.press("c")  # compare the intervention
        await settle(pilot)
        app.notify(f"Saved {HOSTILE}")  # a path or message with brackets in it
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)

    drive(app, script)


@pytest.mark.parametrize("value", ["{age: {min: .inf}}", "{age: {min: .nan}}", "{age: {min: 1e400}}",
                                   "{age: {min: " + "9" * 401 + "}}"])
def test_a_number_that_is_no_number_in_a_form_is_an_error_on_the_field(tmp_path: Path, value: str) -> None:
    from kafka_tool.library import find_case

    path = tmp_path / "case.yaml"
    path.write_text(find_case("turning-18-youth-care").read_text(encoding="utf-8"), encoding="utf-8")
    app = make_app(path, config_dir=tmp_path / "state", cases_dir=tmp_path / "cases")

    async def script(pilot: Any) -> None:
        rule = case_screen(app).session.case.rules[0]
        form = await open_edit_form(pilot, ElementRef("rule", rule.id))
        # The condition as YAML, through the escape hatch of its editor (f2).
        box = form.query_one("#box-when")
        await box.run_action("toggle_yaml")
        await pilot.pause()
        field = form.query_one("#yaml-when", TextArea)
        field.text = value
        await pilot.pause()
        await pilot.pause()
        assert text_of(form.query_one("#error-when")).strip(), "the field says what is wrong"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # not applied, and the app is still there
        assert app.is_running

    drive(app, script)


def _large_case_text(touchpoints: int) -> str:
    lines = ["format: kafka-case/1", "id: large", "title: A large case", "actors:", "  - {id: town, name: Town}",
             "documents:"]
    lines += [f"  - {{id: doc_{n}, name: Document {n}}}" for n in range(touchpoints)]
    lines.append("touchpoints:")
    lines += [f"  - {{id: tp_{n}, name: Desk {n}, actor: town, requires: [doc_{(n * 7) % touchpoints}], "
              f"produces: [doc_{n}], refers_to: [tp_{(n + 1) % touchpoints}]}}" for n in range(touchpoints)]
    lines += ["personas:", "  - {id: p, name: P, goals: [doc_1, doc_2]}"]
    return "\n".join(lines) + "\n"


def test_a_large_case_opens_in_a_worker_read_only_with_closed_groups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "large.yaml"
    text = _large_case_text(1200)
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("KAFKA_TOOL_MAX_EDIT_BYTES", str(len(text) // 2))
    app = make_app(None, config_dir=tmp_path / "state", cases_dir=tmp_path / "cases")
    seen: list[str] = []

    async def script(pilot: Any) -> None:
        app.open_case(path)
        await pilot.pause()
        if isinstance(app.screen, LoadingModal):
            seen.append(app.screen.stage)
        await settle(pilot)
        screen = case_screen(app)
        assert "read only" in app.sub_title
        tree = screen.query_one(CaseTree)
        assert not any(group.is_expanded for group in tree.root.children)  # 2,400 elements: closed
        labelled: list[str] = []
        set_label = TreeNode.set_label
        monkeypatch.setattr(TreeNode, "set_label", lambda node, label: (labelled.append(str(label)),
                                                                         set_label(node, label))[1])
        assert tree.select_ref(ElementRef("touchpoint", "tp_700"))  # made on demand
        await pilot.pause()
        assert tree.selected_ref == ElementRef("touchpoint", "tp_700")
        # each of the 1,200 rows made once, with its label (its name, its count of findings): none
        # labelled again, as each label would be drawn again
        assert labelled == []
        ref = ElementRef("touchpoint", "tp_700")
        label = tree._ref_nodes[ref].label
        assert "Desk 700" in label.plain and label == tree._label("Desk 700", ref, tree._count(ref), tree.show_counts)
        await pilot.press("a")
        await pilot.pause()
        assert not isinstance(app.screen, ElementForm)  # read only: no form opens
        panel = screen.query_one(FindingsPanel)
        assert len(panel.shown) > MAX_ROWS
        assert panel.table.row_count == MAX_ROWS
        assert f"the first {MAX_ROWS} listed" in str(panel.border_title)
        text_before = path.read_text(encoding="utf-8")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert path.read_text(encoding="utf-8") == text_before

    drive(app, script)
    assert seen == [] or seen[0] in ("reading", "parsing", "checking")


async def opened(pilot: Any, app: Any, path: Path) -> tuple[CaseScreen, CaseTree, Analysis]:
    """Open ``path`` in ``app`` and wait for its analysis: the case screen, its tree and the analysis."""
    app.open_case(path)
    await settle(pilot)
    screen = case_screen(app)
    analysis = screen.analysis
    assert analysis is not None
    return screen, screen.query_one(CaseTree), analysis


@pytest.mark.parametrize(("language", "word"), [("en", "marked"), ("nl", "gemarkeerd")])
def test_a_finding_selected_in_a_large_case_is_counted_on_the_closed_groups_not_opened_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str, word: str
) -> None:
    """Marking a finding's elements would make every row of their groups (seconds, for thousands):
    a large group not opened yet counts the marks on its title, until it is opened."""
    path = tmp_path / "large.yaml"
    text = _large_case_text(1200).replace("title: A large case\n", f"title: A large case\nlanguage: {language}\n")
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("KAFKA_TOOL_MAX_EDIT_BYTES", str(len(text) // 2))
    app = make_app(None, config_dir=tmp_path / "state", cases_dir=tmp_path / "cases")

    async def script(pilot: Any) -> None:
        screen, tree, analysis = await opened(pilot, app, path)
        finding = next(f for f in analysis.findings if any(n.startswith("doc_") for n in f.nodes)
                       and any(n.startswith("tp_") for n in f.nodes))
        documents = [n for n in finding.nodes if n.startswith("doc_")]
        desks = [n for n in finding.nodes if n.startswith("tp_")]
        screen.post_message(FindingSelected(finding))
        await pilot.pause()
        assert tree._ref_nodes == {}  # no group's rows made: 1,200 rows each
        titles = {group.data.kind: group.label.plain for group in tree.root.children if group.data is not None}
        assert titles["document"].endswith(f"(1200)  ▶ {len(documents)} {word}"), titles
        assert titles["actor"].endswith(f"(1)  ▶ {len(desks)} {word}"), titles  # the desks under the actors
        assert "▶" not in titles["rule"] and "▶" not in titles["persona"]
        # opened, the group's rows show the marks and its title no longer counts them
        group = next(g for g in tree.root.children if g.data is not None and g.data.kind == "document")
        group.expand()
        await pilot.pause()
        assert group.label.plain.endswith("(1200)")
        marked = [ref.key for ref, node in tree._ref_nodes.items() if node.label.plain.startswith("▶")]
        assert sorted(marked) == sorted(documents)
        # another finding: the closed group counts its elements; an element selected: no marks
        actors = next(g for g in tree.root.children if g.data is not None and g.data.kind == "actor")
        other = next(f for f in analysis.findings if f.kind == "referral_loop")
        screen.post_message(FindingSelected(other))
        await pilot.pause()
        assert actors.label.plain.endswith(f"(1)  ▶ 1200 {word}") and not actors.is_expanded
        screen.post_message(ElementSelected(ElementRef("document", documents[0])))
        await pilot.pause()
        assert "▶" not in actors.label.plain
        assert not any(node.label.plain.startswith("▶") for node in tree._ref_nodes.values())

    drive(app, script)


def test_a_finding_selected_in_a_small_case_opens_the_closed_group_that_holds_its_elements(
        tmp_path: Path) -> None:
    """A near miss: the rows of a small group are made at once, so it opens to show the marks."""
    path = tmp_path / "small.yaml"
    path.write_text(_large_case_text(30), encoding="utf-8")
    app = make_app(None, config_dir=tmp_path / "state", cases_dir=tmp_path / "cases")

    async def script(pilot: Any) -> None:
        screen, tree, analysis = await opened(pilot, app, path)
        group = next(g for g in tree.root.children if g.data is not None and g.data.kind == "document")
        group.collapse()
        await pilot.pause()
        finding = next(f for f in analysis.findings if any(n.startswith("doc_") for n in f.nodes))
        screen.post_message(FindingSelected(finding))
        await pilot.pause()
        assert group.is_expanded and "▶" not in group.label.plain
        assert any(tree._ref_nodes[ElementRef("document", n)].label.plain.startswith("▶")
                   for n in finding.nodes if n.startswith("doc_"))

    drive(app, script)


def test_escape_stops_waiting_for_a_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from tui import app as app_module

    path = tmp_path / "case.yaml"
    path.write_text(_large_case_text(40), encoding="utf-8")
    release = threading.Event()
    real_open = app_module.EditSession.open

    def slow_open(target: Any, progress: Any = None) -> Any:
        release.wait(30)  # a large file, still being read
        return real_open(target, progress)

    monkeypatch.setattr(app_module.EditSession, "open", slow_open)
    app = make_app(None, config_dir=tmp_path / "state", cases_dir=tmp_path / "cases")

    async def script(pilot: Any) -> None:
        app.open_case(path)
        await pilot.pause()
        assert isinstance(app.screen, LoadingModal)
        assert "Opening case.yaml" in text_of(app.screen.query_one("#loading-title"))
        await pilot.press("escape")
        await pilot.pause()
        release.set()
        await settle(pilot)
        assert app.case_screen is None  # nothing opened, nothing waited for
        assert not isinstance(app.screen, LoadingModal)

    drive(app, script)


def test_class_notes_escape_what_comes_from_the_case(tmp_path: Path) -> None:
    from tui.screens.teaching import TeachingScreen

    path = tmp_path / "case.yaml"
    path.write_text(_large_case_text(3).replace("title: A large case",
                                                'title: "<script>x</script> ![i](http://evil/p.png)"')
                    , encoding="utf-8")
    app = make_app(None, config_dir=tmp_path / "state", cases_dir=tmp_path / "cases")

    async def script(pilot: Any) -> None:
        app.open_teaching(path)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TeachingScreen)
        # The prose, after the front matter: that holds the title as data, for `teach summary`.
        notes = screen.session_markdown().split("\n---\n", 1)[1]
        assert "<script>" not in notes and "![i](" not in notes
        assert "&lt;script&gt;" in notes

    drive(app, script)


@pytest.mark.parametrize("typed", ["inf", "nan", "1e400", "9" * 401, "ten"])
def test_a_number_that_is_no_number_in_a_condition_cell_is_an_error_on_the_field(tmp_path: Path, typed: str) -> None:
    from kafka_tool.library import find_case

    path = tmp_path / "case.yaml"
    path.write_text(find_case("turning-18-youth-care").read_text(encoding="utf-8"), encoding="utf-8")
    app = make_app(path, config_dir=tmp_path / "state", cases_dir=tmp_path / "cases")

    async def script(pilot: Any) -> None:
        rule = next(r for r in case_screen(app).session.case.rules if "age" in r.when)
        form = await open_edit_form(pilot, ElementRef("rule", rule.id))
        cell = form.query_one("#field-when .attribute-age .bound-min", Input)
        cell.value = typed
        await pilot.pause()
        await pilot.pause()
        assert text_of(form.query_one("#error-when")).strip(), "the field says what is wrong"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert app.is_running

    drive(app, script)


def test_a_large_dutch_case_says_in_dutch_why_it_cannot_be_edited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "groot.yaml"
    text = _large_case_text(300).replace("title: A large case\n", "title: Een grote casus\nlanguage: nl\n")
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("KAFKA_TOOL_MAX_EDIT_BYTES", str(len(text) // 2))
    app = make_app(None, config_dir=tmp_path / "state", cases_dir=tmp_path / "cases")
    told: list[str] = []

    async def script(pilot: Any) -> None:
        app.open_case(path)
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        told.extend(n.message for n in app._notifications)

    drive(app, script)
    (message,) = [m for m in told if "MB" in m]
    assert message.startswith("groot.yaml is ") and "meer dan de " in message
    assert "bewerk het bestand in een teksteditor" in message and "edited" not in message
