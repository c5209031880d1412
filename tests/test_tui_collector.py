"""The cycle collector is paused while a worker loads or analyses a case, and comes back after."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import tui.screens.case as case_screen
from kafka_tool.library import find_case
from tests.tui_pilot import drive
from tui.app import make_app
from tui.collector import paused


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_pauses_nest_and_the_collector_comes_back_after_the_last() -> None:
    with paused():
        assert not gc.isenabled()
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still lasts
    assert gc.isenabled()


def test_the_collector_comes_back_after_a_worker_that_failed() -> None:
    with pytest.raises(ValueError), paused():
        raise ValueError("the case could not be read")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_two_workers_whose_pauses_overlap_end_it_with_the_last() -> None:
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def first() -> None:
        with paused():
            first_in.set()
            second_in.wait(5)
        seen["after the first"] = gc.isenabled()
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with paused():
            second_in.set()
            first_out.wait(5)
            seen["while the second lasts"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == {"after the first": False, "while the second lasts": False}
    assert gc.isenabled()


def test_the_case_screen_analyses_with_the_collector_paused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    during: list[bool] = []
    real = case_screen.analyze

    def analyze(*args: Any, **kwargs: Any) -> Any:
        during.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(case_screen, "analyze", analyze)
    app = make_app(find_case("status-holder-bsn-bank-house"), config_dir=tmp_path / "state",
                   cases_dir=tmp_path / "cases")

    async def script(pilot: Any) -> None:
        assert app.screen.analysis is not None  # type: ignore[attr-defined]

    drive(app, script)
    assert during and during[0] is False  # the first analysis runs in a worker
    assert gc.isenabled()
