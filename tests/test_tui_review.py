"""The review tab: the action plan per layer and organisation, edited during the meeting; and the
findings list's filter of findings that span layers."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from ruamel.yaml import YAML
from textual.widgets import Footer, Input, Select, TextArea
from textual.widgets._footer import FooterKey

from kafka_tool.i18n import words
from kafka_tool.library import find_case
from kafka_tool.loader import load_case
from kafka_tool.review import review_table
from tests.dutch_leaks import english_leaks
from tests.tui_pilot import drive, settle
from tui.app import KafkaApp, make_app
from tui.screens.case import CaseScreen
from tui.screens.choice import ChoiceModal
from tui.screens.value import ValueModal, read_date
from tui.state import set_intervention_fields
from tui.widgets.detail import finding_renderable
from tui.widgets.element_form import ElementForm
from tui.widgets.findings import FindingsPanel
from tui.widgets.review_panel import ReviewPanel

SAMPLE = "status-holder-bsn-bank-house"
DUTCH = "briefadres-dakloos"
TODAY = dt.date(2026, 12, 2)
SIZE = (120, 36)


@pytest.fixture(autouse=True)
def steady(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Input, "cursor_blink", False)
    monkeypatch.setattr(TextArea, "cursor_blink", False)


@pytest.fixture
def dirs(tmp_path: Path) -> dict[str, Any]:
    return {"config_dir": tmp_path / "state", "cases_dir": tmp_path / "kafka-cases", "today": TODAY}


#: The fields of the action plan on an intervention.
PLAN_FIELDS = ("status", "agreed_on", "due", "review_on", "obstacles", "notes")


def without_plan(text: str) -> str:
    """A case's text with no action plan yet: every intervention proposed, without dates or notes
    (the samples carry a plan of their own, which the tests here should not depend on)."""
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)  # the samples' style: "  - id:", "    owner:"
    yaml.width = 4096
    data = yaml.load(text)
    for item in data.get("interventions", []):
        for key in PLAN_FIELDS:
            item.pop(key, None)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def after_owner(text: str, ident: str, lines: str, *, drop_owner: bool = False) -> str:
    """``text`` with ``lines`` after the owner of intervention ``ident`` (or its owner left out)."""
    found = re.search(rf"  - id: {ident}\n(?:    .*\n)*?(    owner: .*\n)", text)
    assert found is not None, f"no owner of {ident} in the sample"
    start, end = found.span(1)
    return text[:start] + ("" if drop_owner else text[start:end]) + lines + text[end:]


def copy_of(tmp_path: Path, name: str, edit: Callable[[str], str] = lambda text: text) -> Path:
    """A copy of sample ``name`` without its action plan, changed by ``edit``."""
    target = tmp_path / "work" / f"{name}.yaml"
    target.parent.mkdir(exist_ok=True)
    text = without_plan(find_case(name).read_text(encoding="utf-8"))
    target.write_text(edit(text), encoding="utf-8")
    return target


def screen_of(app: KafkaApp) -> CaseScreen:
    assert isinstance(app.screen, CaseScreen), type(app.screen)
    return app.screen


def plain(renderable: Any, width: int = 100) -> str:
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def rows_text(panel: ReviewPanel) -> dict[str, str]:
    """Each row of the review list that can be picked, by what it is ("intervention:ID", "finding:ID@ACTOR")."""
    listing = panel.list
    out = {}
    for option in listing.options:
        row = panel._rows.get(option.id or "")
        if row is not None:
            key = f"{row.kind}:{row.ident}" + (f"@{row.actor}" if row.kind == "finding" else "")
            out[key] = " ".join(plain(option.prompt).split())  # as one line, however it wraps
    return out


async def meeting(pilot: Any) -> ReviewPanel:
    """The review tab, shown."""
    await pilot.press("m")
    await pilot.pause()
    return screen_of(pilot.app).query_one(ReviewPanel)


async def on_intervention(pilot: Any, ident: str) -> ReviewPanel:
    """The review tab, the cursor on intervention ``ident``."""
    panel = await meeting(pilot)
    key = next(k for k, r in panel._rows.items() if r.kind == "intervention" and r.ident == ident)
    panel.list.highlighted = panel.list.get_option_index(key)
    await pilot.pause()
    assert panel.list.has_focus
    return panel


# ---------------------------------------------------------------------------- the table


def test_the_tab_groups_organisations_by_layer_and_marks_findings_across_layers(
    dirs: dict[str, Any], tmp_path: Path
) -> None:
    app = make_app(copy_of(tmp_path, SAMPLE), **dirs)

    async def script(pilot: Any) -> None:
        await pilot.press("m")
        await pilot.pause()
        screen = screen_of(app)
        panel = screen.query_one(ReviewPanel)
        assert panel.list.has_focus
        lines = [plain(option.prompt).strip() for option in panel.list.options]
        # layer headings, in the order of the layers, each followed by its organisations
        headings = [line for line in lines if line in ("central government (Rijk)", "municipality (gemeente)",
                                                       "executive agency", "private sector")]
        assert headings == ["central government (Rijk)", "municipality (gemeente)", "executive agency",
                            "private sector"]
        housing = "Municipality - housing allocation for status holders"
        assert lines.index("Bank") > lines.index("private sector") > lines.index(housing)
        rows = rows_text(panel)
        analysis = screen.analysis
        assert analysis is not None
        across = {f.id for f in analysis.findings if f.spans_layers}
        alone = {f.id for f in analysis.findings if f.actors and not f.spans_layers}
        assert across and alone
        for key, text in rows.items():
            if key.startswith("finding:"):
                ident = key.split(":", 1)[1].rsplit("@", 1)[0]
                finding = analysis.finding(ident)
                assert finding is not None
                assert ("↔ " + str(len(finding.layers)) in text) == (ident in across), (key, text)
        # each intervention under its owner, with its status
        assert "proposed" in rows["intervention:no_bank_account_for_rent"]
        owner_row = lines.index(housing)
        assert any("Stop asking for a bank account" in line for line in lines[owner_row:])
        # the rules an organisation owns that cause findings
        assert any(line.startswith("rule ") and "causes" in line for line in lines)

    drive(app, script)


def test_a_finding_in_the_tab_is_selected_as_in_the_findings_list(dirs: dict[str, Any], tmp_path: Path) -> None:
    app = make_app(copy_of(tmp_path, SAMPLE), **dirs)

    async def script(pilot: Any) -> None:
        await pilot.press("m")
        await pilot.pause()
        screen = screen_of(app)
        panel = screen.query_one(ReviewPanel)
        first = panel.current
        assert first is not None and first.kind == "finding"
        assert screen.selected_finding is not None and screen.selected_finding.id == first.ident
        await pilot.press("down")
        await pilot.pause()
        second = panel.current
        assert second is not None and second.kind == "finding" and second.ident != first.ident
        assert screen.selected_finding is not None and screen.selected_finding.id == second.ident
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one("#tabs").active == "detail"  # type: ignore[attr-defined]
        # ] and [ go from intervention to intervention, round at the ends
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("right_square_bracket")
        await pilot.pause()
        order = [i.id for group in review_table(screen.analysis) for row in group.rows  # type: ignore[arg-type]
                 for i in row.interventions]
        assert len(order) >= 2 and panel.current is not None and panel.current.ident == order[0]
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert panel.current.ident == order[1]
        await pilot.press("left_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert panel.current.ident == order[-1]  # round from the first to the last
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert panel.current.ident == order[0]  # and from the last to the first
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert panel.current.ident == order[1]
        # on an intervention the finding is no longer selected: the intervention is
        assert screen.selected_finding is None and screen.selected_ref is not None
        assert (screen.selected_ref.kind, screen.selected_ref.key) == ("intervention", order[1])
        await pilot.press("home")
        await pilot.pause()
        # s on a finding changes nothing: it says where the cursor should be
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen) and not screen.session.undo_stack

    drive(app, script)


def test_overdue_is_marked_for_an_open_intervention_and_not_for_a_verified_one(
    dirs: dict[str, Any], tmp_path: Path
) -> None:
    def plan(text: str) -> str:
        text = after_owner(text, "brp_street_in_emergency_shelters",
                           "    status: in_progress\n    agreed_on: 2026-01-10\n    due: 2026-06-01\n"
                           "    obstacles: [risicomijding, interne_inrichting]\n")
        return after_owner(text, "no_bank_account_for_rent",
                           "    status: verified\n    agreed_on: 2026-01-10\n    due: 2026-06-01\n")

    path = copy_of(tmp_path, SAMPLE, plan)
    app = make_app(path, **dirs)

    async def script(pilot: Any) -> None:
        await pilot.press("m")
        await pilot.pause()
        rows = rows_text(screen_of(app).query_one(ReviewPanel))
        late = rows["intervention:brp_street_in_emergency_shelters"]
        done = rows["intervention:no_bank_account_for_rent"]
        assert "in progress" in late and "due 2026-06-01" in late and "review on 2026-07-10" in late
        assert "! overdue · in progress" in late  # the badge set apart from the status
        assert "in the way: avoiding risk, how the organisation is set up" in late
        assert "in the way" not in done
        assert "verified" in done and "due 2026-06-01" in done and "overdue" not in done

    drive(app, script)
    # the same open intervention, followed up against a day before its dates, is not overdue
    early = make_app(path, **{**dirs, "today": dt.date(2026, 5, 1)})

    async def before(pilot: Any) -> None:
        await pilot.press("m")
        await pilot.pause()
        rows = rows_text(screen_of(early).query_one(ReviewPanel))
        assert "overdue" not in rows["intervention:brp_street_in_emergency_shelters"]
        assert "today 2026-05-01" in plain(screen_of(early).query_one("#review-legend").content)  # type: ignore[attr-defined]

    drive(early, before)


def test_an_intervention_without_an_owner_is_at_the_table_too(dirs: dict[str, Any], tmp_path: Path) -> None:
    path = copy_of(tmp_path, SAMPLE, lambda text: after_owner(text, "no_bank_account_for_rent", "", drop_owner=True))
    app = make_app(path, **dirs)

    async def script(pilot: Any) -> None:
        screen = screen_of(app)
        panel = await on_intervention(pilot, "no_bank_account_for_rent")
        lines = [plain(option.prompt).strip() for option in panel.list.options]
        assert lines.index("No owner yet") < next(n for n, line in enumerate(lines) if "Stop asking for a bank" in line)
        housing = lines.index("Municipality - housing allocation for status holders")
        assert not any("Stop asking for a bank" in line for line in lines[housing:lines.index("No owner yet")])
        await pilot.press("s", "4")  # done
        await settle(pilot)
        done = screen.session.case.intervention("no_bank_account_for_rent")
        assert done is not None and done.status == "done" and done.agreed_on is None  # only agreed sets the day

    drive(app, script)


# ---------------------------------------------------------------------------- editing at the table


def test_the_status_choice_opens_on_the_status_now_and_the_arrows_move_along_the_list(
        dirs: dict[str, Any], tmp_path: Path) -> None:
    app = make_app(copy_of(tmp_path, SAMPLE), **dirs)

    async def script(pilot: Any) -> None:
        screen = screen_of(app)
        await on_intervention(pilot, "no_bank_account_for_rent")
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        assert app.focused is not None and app.focused.id == "choice-proposed"  # the status now
        await pilot.press("down", "down")
        assert app.focused.id == "choice-in_progress"
        await pilot.press("up")
        assert app.focused.id == "choice-agreed"
        await pilot.press("enter")
        await settle(pilot)
        chosen = screen.session.case.intervention("no_bank_account_for_rent")
        assert chosen is not None and chosen.status == "agreed"

    drive(app, script)


def test_the_table_is_made_when_its_tab_is_shown_and_then_follows_what_changed_meanwhile(
        dirs: dict[str, Any], tmp_path: Path) -> None:
    """A large case's table has tens of thousands of rows: it is not made while its tab is hidden,
    and an analysis that comes while it is hidden shows when the tab does."""
    app = make_app(copy_of(tmp_path, SAMPLE), **dirs)

    async def script(pilot: Any) -> None:
        screen = screen_of(app)
        hidden = screen.query_one(ReviewPanel)
        assert hidden.analysis is screen.analysis is not None and hidden.list.option_count == 0
        panel = await on_intervention(pilot, "no_bank_account_for_rent")
        assert "proposed" in rows_text(panel)["intervention:no_bank_account_for_rent"]
        await pilot.press("s", "2")  # agreed
        await settle(pilot)
        assert "agreed on 2026-12-02" in rows_text(panel)["intervention:no_bank_account_for_rent"]
        await pilot.press("d")
        await pilot.press("ctrl+z")  # undone while the tab is hidden
        await settle(pilot)
        assert panel.analysis is screen.analysis
        assert "agreed on 2026-12-02" in rows_text(panel)["intervention:no_bank_account_for_rent"]  # not yet made
        await pilot.press("m")
        await settle(pilot)
        row = rows_text(panel)["intervention:no_bank_account_for_rent"]
        assert "proposed" in row and "agreed on" not in row

    drive(app, script)


def test_an_organisation_shows_its_first_findings_and_enter_on_the_count_shows_more(
        dirs: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large case has thousands of findings per organisation: the table shows the first few of
    each (in the order of every output) and a row counting the rest, where ``enter`` shows more."""
    monkeypatch.setattr(ReviewPanel, "SHOWN", 3)
    app = make_app(copy_of(tmp_path, SAMPLE), **dirs)

    async def script(pilot: Any) -> None:
        panel = await meeting(pilot)
        analysis = screen_of(app).analysis
        assert analysis is not None
        every = {row.actor.id: [f.id for f in row.findings] for group in review_table(analysis)
                 for row in group.rows}
        assert len(every["municipality_brp"]) == 9 and len(every["tax_administration"]) == 1

        def shown_of(actor: str) -> list[str]:
            return [r.ident for r in panel._rows.values() if r.kind == "finding" and r.actor == actor]

        for actor, ids in every.items():
            assert shown_of(actor) == ids[:3], actor
        rows = rows_text(panel)
        assert rows["more:municipality_brp"] == "… 6 more findings: enter shows 3 more"
        assert "more:tax_administration" not in rows  # one finding: all of it is shown
        assert rows["more:employer"] == "… 1 more finding: enter shows it"
        # enter on the count: three more, the cursor on the first of them, the count smaller
        more = next(k for k, r in panel._rows.items() if r.kind == "more" and r.actor == "municipality_brp")
        panel.list.highlighted = panel.list.get_option_index(more)
        await pilot.press("enter")
        await pilot.pause()
        assert shown_of("municipality_brp") == every["municipality_brp"][:6]
        assert panel.current is not None and panel.current.ident == every["municipality_brp"][3]
        assert rows_text(panel)["more:municipality_brp"] == "… 3 more findings: enter shows 3 more"
        assert shown_of("bank") == every["bank"][:3]  # the others as they were
        # the last three: no count left; a new analysis (an edit) keeps what was opened
        panel.list.highlighted = panel.list.get_option_index(
            next(k for k, r in panel._rows.items() if r.kind == "more" and r.actor == "municipality_brp"))
        await pilot.press("enter")
        await pilot.pause()
        assert shown_of("municipality_brp") == every["municipality_brp"]
        assert "more:municipality_brp" not in rows_text(panel)
        panel.set_analysis(analysis)
        assert shown_of("municipality_brp") == every["municipality_brp"]

    drive(app, script)


def test_the_count_of_the_findings_not_shown_speaks_dutch(
        dirs: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ReviewPanel, "SHOWN", 1)
    app = make_app(copy_of(tmp_path, DUTCH), **dirs)

    async def script(pilot: Any) -> None:
        panel = await meeting(pilot)
        counts = [text for key, text in rows_text(panel).items() if key.startswith("more:")]
        assert counts, rows_text(panel)
        for text in counts:
            assert re.fullmatch(r"… nog (1 bevinding: enter laat hem zien|\d+ bevindingen: enter laat er 1 meer zien)",
                                text), text

    drive(app, script)


def test_status_agreed_today_undo_redo_save_and_the_file_says_so(dirs: dict[str, Any], tmp_path: Path) -> None:
    path = copy_of(tmp_path, SAMPLE)
    original = path.read_text(encoding="utf-8")
    app = make_app(path, **dirs)

    async def script(pilot: Any) -> None:
        screen = screen_of(app)
        panel = await on_intervention(pilot, "no_bank_account_for_rent")
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        await pilot.press("2")  # agreed
        await settle(pilot)
        intervention = screen.session.case.intervention("no_bank_account_for_rent")
        assert intervention is not None and intervention.status == "agreed" and intervention.agreed_on == TODAY
        assert intervention.review_date == dt.date(2027, 6, 2)
        assert app.title.endswith("●")
        row = rows_text(panel)["intervention:no_bank_account_for_rent"]
        assert "agreed · agreed on 2026-12-02 · review on 2027-06-02" in row
        assert panel.current is not None and panel.current.ident == "no_bank_account_for_rent"  # the cursor stays
        await pilot.press("ctrl+z")
        await settle(pilot)
        undone = screen.session.case.intervention("no_bank_account_for_rent")
        assert undone is not None and undone.status == "proposed" and undone.agreed_on is None
        assert "proposed" in rows_text(panel)["intervention:no_bank_account_for_rent"]
        await pilot.press("ctrl+y")
        await settle(pilot)
        redone = screen.session.case.intervention("no_bank_account_for_rent")
        assert redone is not None and redone.status == "agreed" and redone.agreed_on == TODAY
        # once agreed, another status keeps the day it was agreed
        await pilot.press("s", "3")  # in progress
        await settle(pilot)
        going = screen.session.case.intervention("no_bank_account_for_rent")
        assert going is not None and going.status == "in_progress" and going.agreed_on == TODAY
        await pilot.press("ctrl+z")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not app.title.endswith("●")

    drive(app, script)
    saved = path.read_text(encoding="utf-8")
    case = load_case(path)
    intervention = case.intervention("no_bank_account_for_rent")
    assert intervention is not None and intervention.status == "agreed" and intervention.agreed_on == TODAY
    assert "    owner: municipality_housing\n    status: agreed\n    agreed_on: 2026-12-02\n" in saved
    # nothing else of the file changed
    added = set(saved.splitlines()) - set(original.splitlines())
    assert added == {"    status: agreed", "    agreed_on: 2026-12-02"}
    assert case.intervention("brp_street_in_emergency_shelters").status == "proposed"  # type: ignore[union-attr]


def test_dates_and_notes_are_set_checked_and_emptied(dirs: dict[str, Any], tmp_path: Path) -> None:
    path = copy_of(tmp_path, SAMPLE)
    app = make_app(path, **dirs)

    async def script(pilot: Any) -> None:
        screen = screen_of(app)
        await on_intervention(pilot, "brp_street_in_emergency_shelters")

        def current() -> Any:
            return screen.session.case.intervention("brp_street_in_emergency_shelters")

        # agreed on: today is offered
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, ValueModal)
        assert app.screen.query_one(Input).value == "2026-12-02"
        await pilot.press("enter")
        await settle(pilot)
        assert current().agreed_on == TODAY and current().status == "proposed"
        # due: a date that is not one is refused, with the reason, and the dialog stays
        await pilot.press("u")
        await pilot.pause()
        await pilot.press(*"2027-02-30", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ValueModal)
        assert "YYYY-MM-DD" in str(app.screen.query_one("#value-error").content)  # type: ignore[attr-defined]
        app.screen.query_one(Input).value = "2027-03-01"
        await pilot.press("enter")
        await settle(pilot)
        assert current().due == dt.date(2027, 3, 1)
        # review on: set, then emptied again (it follows agreed on once more)
        await pilot.press("v")
        await pilot.pause()
        app.screen.query_one(Input).value = "2027-04-01"
        await pilot.press("enter")
        await settle(pilot)
        assert current().review_on == dt.date(2027, 4, 1)
        await pilot.press("v")
        await pilot.pause()
        app.screen.query_one(Input).value = ""
        await pilot.press("enter")
        await settle(pilot)
        assert current().review_on is None and current().review_date == dt.date(2027, 6, 2)
        # notes; escape leaves everything as it was
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Agreed at the table", "enter")
        await settle(pilot)
        assert current().notes == "Agreed at the table"
        edits = len(screen.session.undo_stack)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("x", "escape")
        await settle(pilot)
        assert current().notes == "Agreed at the table" and len(screen.session.undo_stack) == edits == 5
        # enter opens the intervention's full form
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ElementForm)
        await pilot.press("escape")
        await pilot.pause()
        # quitting asks first: the edits are not saved
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)

    drive(app, script)
    assert "Agreed at the table" not in path.read_text(encoding="utf-8")  # nothing was saved


def test_setting_fields_keeps_the_order_of_the_case_format() -> None:
    data = {"interventions": [{"id": "x", "title": "X", "owner": "bank", "description": "D", "changes": []}]}
    new = set_intervention_fields(data, "x", {"status": "agreed", "agreed_on": TODAY, "notes": "N"})
    assert list(new["interventions"][0]) == ["id", "title", "owner", "status", "agreed_on", "notes", "description",
                                             "changes"]
    assert list(data["interventions"][0]) == ["id", "title", "owner", "description", "changes"]  # a copy
    emptied = set_intervention_fields(new, "x", {"notes": None, "status": "done"})
    assert emptied["interventions"][0]["status"] == "done" and "notes" not in emptied["interventions"][0]
    with pytest.raises(KeyError):
        set_intervention_fields(data, "y", {"status": "agreed"})


def test_a_date_is_a_real_day_written_in_full() -> None:
    assert read_date(" 2024-03-01 ") == dt.date(2024, 3, 1)
    assert read_date("2024-02-30") is None and read_date("2024-3-1") is None and read_date("1 maart") is None
    assert read_date("20240301") is None  # fromisoformat takes it, the case format does not


# ---------------------------------------------------------------------------- the findings list


def test_the_findings_list_filters_and_marks_findings_across_layers(dirs: dict[str, Any]) -> None:
    app = make_app(find_case(SAMPLE), **dirs)

    async def script(pilot: Any) -> None:
        screen = screen_of(app)
        panel = screen.query_one(FindingsPanel)
        analysis = screen.analysis
        assert analysis is not None
        every = list(panel.shown)
        assert any(f.spans_layers for f in every) and any(not f.spans_layers for f in every)
        table = panel.table
        for n, finding in enumerate(every):
            title = table.get_row_at(n)[-1]
            assert str(title).startswith("↔ ") == finding.spans_layers
        panel.query_one("#filter-layers", Select).value = "across"
        await pilot.pause()
        assert panel.shown and all(len(f.layers) >= 2 for f in panel.shown)
        assert len(panel.shown) == sum(f.spans_layers for f in analysis.findings)
        assert "Findings 8 of 13" in str(panel.border_title)
        # with another filter too
        panel.set_filters(severity="critical")
        await pilot.pause()
        assert all(f.severity == "critical" and f.spans_layers for f in panel.shown)
        panel.set_filters(severity=None, across=False)
        await pilot.pause()
        assert len(panel.shown) == len(every)

    drive(app, script)


def test_a_finding_s_detail_names_its_layers() -> None:
    from kafka_tool.analysis.engine import analyze

    case = load_case(find_case(DUTCH))
    findings = analyze(case).findings
    across = next(f for f in findings if len(f.layers) >= 3)
    single = next(f for f in findings if len(f.layers) == 1)
    text = plain(finding_renderable(case, across, words("nl")), 200)
    assert "lagen" in text and "geen enkele laag" in text.lower()
    alone = plain(finding_renderable(case, single, words("nl")), 200)
    assert "geen enkele laag" not in alone.lower()
    english = plain(finding_renderable(case, across, words("en")), 200)
    assert "no single layer can solve it" in english
    assert "municipality (gemeente)" in english or "central government (Rijk)" in english


# ---------------------------------------------------------------------------- in Dutch


def test_the_tab_of_a_dutch_case_speaks_dutch(dirs: dict[str, Any], tmp_path: Path) -> None:
    def plan(text: str) -> str:
        return text  # the case as it is: its interventions are proposals

    path = copy_of(tmp_path, DUTCH, plan)
    app = make_app(path, **dirs)

    async def script(pilot: Any) -> None:
        screen = screen_of(app)
        assert str(screen.query_one("#tabs").get_tab("review").label) == "Overleg"  # type: ignore[attr-defined]
        ident = screen.session.case.interventions[0].id
        panel = await on_intervention(pilot, ident)
        await pilot.press("s")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ChoiceModal)
        dialog = " ".join(str(b.label) for b in modal.query("Button")) + " " + modal.question + " " + modal.detail
        await pilot.press("2")
        await settle(pilot)
        legend = plain(screen.query_one("#review-legend").content)  # type: ignore[attr-defined]
        shown = legend + "\n".join(plain(o.prompt) for o in panel.list.options) + dialog
        assert "afgesproken" in shown and "vandaag 2026-12-02" in shown
        case_text = path.read_text(encoding="utf-8")
        assert english_leaks(shown, case_text) == []

    drive(app, script)


# ---------------------------------------------------------------------------- at 80×24


def test_at_80_by_24_the_tab_has_the_findings_room_and_its_keys_fit_the_footer(dirs: dict[str, Any]) -> None:
    for language in ("en", "nl"):
        say = words(language).say
        first = [say(key) for key in ("Status", "Agreed on", "Due")]
        app = make_app(find_case(SAMPLE), language=language, **dirs)

        async def script(pilot: Any, app: KafkaApp = app, first: list[str] = first) -> None:
            screen = screen_of(app)
            findings = screen.query_one(FindingsPanel)
            assert findings.region.height > 0
            await pilot.press("m")
            await settle(pilot)
            assert findings.region.height == 0  # the review lists the findings itself
            keys = list(screen.query_one(Footer).query(FooterKey))
            shown = [k for k in keys if "-command-palette" not in k.classes]
            assert sum(k.outer_size.width for k in keys) <= 80
            assert [k.description for k in shown][:3] == first and shown[-1].key == "question_mark"
            await pilot.press("d")  # another tab: the findings are back
            await pilot.pause()
            assert findings.region.height > 0

        drive(app, script, size=(80, 24))


# ---------------------------------------------------------------------------- snapshots


def review_app(name: str) -> KafkaApp:
    return make_app(find_case(name), cases_dir=Path("/nonexistent/kafka-cases"), today=TODAY)


def agreed_and_late(ident: str) -> Callable[[Any], Awaitable[None]]:
    """The review tab, intervention ``ident`` agreed today and due a month ago: overdue."""

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await on_intervention(pilot, ident)
        await pilot.press("s", "2")
        await settle(pilot)
        await pilot.press("u")
        await pilot.pause()
        pilot.app.screen.query_one(Input).value = "2026-11-01"
        await pilot.press("enter")
        await settle(pilot)
        pilot.app.clear_notifications()  # the word that agreed on is today
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
@pytest.mark.parametrize(("name", "ident"), [(SAMPLE, "no_bank_account_for_rent"), (DUTCH, "gemeente_briefadresgever")],
                         ids=["english", "dutch"])
def test_snapshot_review(snap_compare: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, ident: str,
                         size: tuple[int, int]) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert snap_compare(review_app(name), terminal_size=size, run_before=agreed_and_late(ident))


def test_a_row_is_broken_as_it_is_drawn_a_tab_widened_to_its_stop() -> None:
    from rich.text import Text as RichText

    from tui.widgets.review_panel import _lines, hanging

    short = hanging(40, 3, RichText("Critical"), RichText("Dead end at the desk"), widths=(9,))
    assert short.plain == "   Critical Dead end at the desk"
    # 26 characters fit in the 27 columns left, but the tab widens to column 24: two lines
    tabbed = hanging(30, 3, RichText("x" * 20 + "\t" + "y" * 5))
    assert tabbed.plain.split("\n") == ["   " + "x" * 20, "   " + "y" * 5]
    assert all(len(line) <= 30 for line in tabbed.plain.split("\n"))
    # a title cut to one line is cut where the widened tab breaks it
    assert _lines("x" * 20 + "\t" + "y" * 5, 27, 1) == "x" * 20 + "…"
    assert _lines("Dead end at the desk", 27, 1) == "Dead end at the desk"
