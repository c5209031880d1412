"""Driving the terminal interface in a test: run a script against an app, let it settle, read the screen."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Awaitable, Callable
from typing import Any

__all__ = ["drive", "settle", "shown"]


def drive(app: Any, script: Callable[[Any], Awaitable[None]], size: tuple[int, int] = (120, 36)) -> None:
    """Run ``script(pilot)`` against ``app`` in a terminal of ``size``, once the app has settled."""

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await script(pilot)

    asyncio.run(main())


async def settle(pilot: Any) -> None:
    """Let the workers (analysis, compare) finish and the screen catch up."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def shown(app: Any) -> str:
    """Every word on the screen now, one line of the terminal a line (from the screenshot)."""
    svg = app.export_screenshot()
    rows: dict[str, list[str]] = {}
    for y, text in re.findall(r'<text[^>]* y="([\d.]+)"[^>]*>([^<]*)</text>', svg):
        rows.setdefault(y, []).append(html.unescape(text).replace("\xa0", " "))
    return "\n".join("".join(parts) for _, parts in sorted(rows.items(), key=lambda row: float(row[0])))
