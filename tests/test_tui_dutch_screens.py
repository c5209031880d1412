"""Every screen of a Dutch sample speaks Dutch: no English message of the catalogue on it.

The interface is walked as a user would walk it — the library, every tab, every kind of element
in the tree and its form, every finding, the dialogs, the help, and teaching mode with the
class's expectations, the reveal and the projector — and each screen's text is checked with
:func:`dutch_leaks.english_leaks`. The case's own text may show (it is the case's words).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from dutch_leaks import english_leaks

from kafka_tool.edits import SECTIONS
from kafka_tool.loader import load_case
from tests.tui_pilot import drive, settle, shown
from tui.app import make_app
from tui.screens.case import CaseScreen
from tui.screens.teaching import TeachingScreen
from tui.state import ElementRef
from tui.widgets.case_tree import CaseTree
from tui.widgets.findings import FindingsPanel

ROOT = Path(__file__).resolve().parent.parent
DUTCH = [path for path in sorted((ROOT / "cases").glob("*.yaml")) if load_case(path).language == "nl"]
#: Large enough that a pane shows most of what it holds.
SIZE = (160, 50)


class Screens:
    """The text of every screen seen, by what it was."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seen: dict[str, str] = {}

    def take(self, name: str) -> str:
        text = shown(self.app)
        self.seen[name] = text
        return text

    def leaks(self, own: str) -> dict[str, list[str]]:
        return {name: found for name, text in self.seen.items() if (found := english_leaks(text, own))}

    def assert_dutch(self, own: str) -> None:
        leaks = self.leaks(own)
        assert not leaks, "English on Dutch screens:\n" + "\n".join(
            f"- {name}: {found}\n{self.seen[name]}" for name, found in leaks.items())


def _first_refs(path: Path) -> list[ElementRef]:
    """One element of each kind the case has, and its parts (header, attributes, teaching)."""
    case = load_case(path)
    refs = [ElementRef("case", "header")]
    for kind, section in SECTIONS.items():
        items = getattr(case, section)
        if items:
            refs.append(ElementRef(kind, "0" if kind == "journey" else items[0].id))
    if case.attributes:
        refs.append(ElementRef("attribute", next(iter(case.attributes))))
    if case.teaching is not None:
        refs.append(ElementRef("teaching", "teaching"))
    return refs


async def _select(pilot: Any, ref: ElementRef) -> bool:
    tree = pilot.app.screen.query_one(CaseTree)
    tree.focus()
    found = tree.select_ref(ref)
    await settle(pilot)
    return bool(found)


async def walk_case_screen(pilot: Any, screens: Screens, path: Path, forms: bool = True) -> None:
    """The tabs, one element of each kind (with its form), every finding, and the dialogs."""
    app = pilot.app
    assert isinstance(app.screen, CaseScreen)
    screens.take("case screen")
    for ref in _first_refs(path):
        assert await _select(pilot, ref), ref
        screens.take(f"detail of {ref.kind}")
        await pilot.press("g")
        await settle(pilot)
        screens.take(f"graph of {ref.kind}")
        await pilot.press("d")
        await settle(pilot)
        if forms:
            await pilot.press("e")
            await settle(pilot)
            screens.take(f"form of {ref.kind}")
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, CaseScreen), f"the form of {ref.kind} did not close"
    for n in range(len(load_case(path).personas) + 1):
        await pilot.press("p")
        await settle(pilot)
        screens.take(f"persona {n}")
    await pilot.press("i")
    await settle(pilot)
    screens.take("interventions")
    await pilot.press("space")
    await pilot.press("c")
    await settle(pilot)
    screens.take("interventions compared")
    await pilot.press("d")
    findings = app.screen.query_one(FindingsPanel)
    await pilot.press("f")
    await settle(pilot)
    for n in range(findings.table.row_count):
        screens.take(f"finding {n}")
        await pilot.press("g")
        await settle(pilot)
        screens.take(f"graph of finding {n}")
        await pilot.press("d", "f", "down")
        await settle(pilot)
    for key, name in (("x", "export dialog"), ("question_mark", "keys"), ("f1", "help")):
        await pilot.press(key)
        await settle(pilot)
        screens.take(name)
        await pilot.press("escape")
        await settle(pilot)
    await pilot.press("ctrl+l")
    await settle(pilot)
    screens.take("language dialog")
    await pilot.press("escape")
    await settle(pilot)


async def walk_teaching(pilot: Any, screens: Screens) -> None:
    """Teaching mode: the questions, a class's expectation, the reveal, the projector, the score."""
    app = pilot.app
    await pilot.press("t")
    await settle(pilot)
    assert isinstance(app.screen, TeachingScreen)
    screens.take("teaching")
    await pilot.press("ctrl+n")
    await settle(pilot)
    screens.take("expectation dialog")
    await pilot.press("escape")
    await settle(pilot)
    await pilot.press("ctrl+r")
    await settle(pilot)
    screens.take("revealed")
    await pilot.press("f5")
    await settle(pilot)
    screens.take("projector")
    for n in range(3):
        await pilot.press("right")
        await settle(pilot)
        screens.take(f"projector {n}")
    await pilot.press("escape")
    await settle(pilot)
    await pilot.press("escape")
    await settle(pilot)
    screens.take("leaving teaching")


def test_every_screen_of_a_dutch_sample_speaks_dutch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "nl_NL.UTF-8")  # the library speaks the system's language
    path = ROOT / "cases" / "briefadres-dakloos.yaml"
    app = make_app(path, config_dir=tmp_path / "state", cases_dir=tmp_path / "kafka-cases")
    screens = Screens(app)

    async def script(pilot: Any) -> None:
        await walk_case_screen(pilot, screens, path)
        await walk_teaching(pilot, screens)
        while isinstance(app.screen, CaseScreen) or len(app.screen_stack) > 2:
            await pilot.press("escape")
            await settle(pilot)
            if not isinstance(app.screen, CaseScreen):
                break
        screens.take("library")
        await pilot.press("n")
        await settle(pilot)
        screens.take("new case dialog")

    drive(app, script, size=SIZE)
    assert len(screens.seen) > 40
    screens.assert_dutch(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", DUTCH, ids=[p.stem for p in DUTCH])
def test_the_case_screen_of_each_dutch_sample_speaks_dutch(path: Path, tmp_path: Path) -> None:
    app = make_app(path, config_dir=tmp_path / "state", cases_dir=tmp_path / "kafka-cases")
    screens = Screens(app)

    async def script(pilot: Any) -> None:
        await walk_case_screen(pilot, screens, path, forms=False)

    drive(app, script, size=SIZE)
    screens.assert_dutch(path.read_text(encoding="utf-8"))


def test_the_walk_finds_english_on_an_english_screen(tmp_path: Path) -> None:
    """The check can fail: the same walk on an English case in English finds the tool's English."""
    path = ROOT / "cases" / "status-holder-bsn-bank-house.yaml"
    app = make_app(path, config_dir=tmp_path / "state", cases_dir=tmp_path / "kafka-cases")
    screens = Screens(app)

    async def script(pilot: Any) -> None:
        await walk_case_screen(pilot, screens, path, forms=False)

    drive(app, script, size=SIZE)
    leaks = screens.leaks("")
    assert "case screen" in leaks and "help" in leaks and "export dialog" in leaks
