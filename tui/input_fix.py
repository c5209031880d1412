"""Keys that come in one burst reach a text field in the order they were typed.

Textual (8.2.8, the pinned version, and every earlier one) handles a key in two places. The
focused ``Input`` or ``TextArea`` takes a printable character itself, at once; every other
key (backspace, the arrows, tab, enter, ...) bubbles up the DOM, one message queue at a time,
and only reaches the bindings when it arrives at the App. When several keys come in one read
from the terminal (tmux hands over a whole ``send-keys`` at once, slow links and key macros
do the same), the field takes the characters after a backspace before the backspace's binding
runs: ``abc⌫d`` leaves ``abc`` (the backspace deletes the ``d``), and ``ab⇥cd`` leaves
``abcd`` in the first field, the focus moving on only after it. Textual's terminal parser is
not at fault: it yields the keys in order.

Upstream: https://github.com/Textualize/textual/issues/6605 (open); the fix proposed in
https://github.com/Textualize/textual/pull/6631 runs a field's own bindings inline, which
mends backspace but not tab, whose binding is the screen's.

:func:`keep_keys_in_order` wraps ``Input._on_key`` and ``TextArea._on_key`` so that a key the
field does not take as text runs its bindings there and then, looked up as the App would
once the key had bubbled up (the focused widget, its ancestors, the screen, the App); and a
key that arrives after an earlier key of its burst moved the focus goes on to the widget that
has the focus now. It installs itself only on the Textual versions known to need it
(:data:`LAST_AFFECTED`): tests/test_input_fix.py fails when a newer Textual still reorders
keys, and then this bound moves.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Coroutine
from typing import Any

import textual
from textual import events
from textual.app import App
from textual.widget import Widget
from textual.widgets import Input, TextArea

__all__ = ["LAST_AFFECTED", "keep_keys_in_order", "needed"]

#: The newest Textual known to reorder the keys of a burst.
LAST_AFFECTED = (8, 2, 8)

KeyHandler = Callable[[Any, events.Key], Coroutine[Any, Any, None]]


def needed(version: str = textual.__version__) -> bool:
    """Whether this Textual ``version`` reorders the keys of a burst (see the module's docstring)."""
    return tuple(int(part) for part in re.findall(r"\d+", version)[:3]) <= LAST_AFFECTED


def keep_keys_in_order() -> None:
    """Make ``Input`` and ``TextArea`` handle the keys of a burst in order (once; only where needed)."""
    if not needed():
        return
    for field in (Input, TextArea):
        on_key = field.__dict__["_on_key"]
        if not getattr(on_key, "keeps_order", False):
            field._on_key = _in_order(on_key)  # type: ignore[method-assign]


def _in_order(on_key: KeyHandler) -> KeyHandler:
    """``on_key``, then the key's bindings at once if the field did not take the key."""

    @functools.wraps(on_key)
    async def _on_key(self: Widget, event: events.Key) -> None:
        if not event.is_forwarded:  # posted to the field itself, not typed: as Textual does
            await on_key(self, event)
            return
        app = self.app
        if app.focused is not self:  # an earlier key of the burst moved the focus
            event.stop()
            event.prevent_default()
            await _hand_on(app, events.Key(event.key, event.character))
            return
        await on_key(self, event)
        if event._stop_propagation:  # taken as text
            return
        await self.handle_key(event)  # the key_ methods, which Widget._on_key would call next
        event.prevent_default()
        if await app._check_bindings(event.key):
            event.stop()

    _on_key.keeps_order = True  # type: ignore[attr-defined]
    return _on_key


async def _hand_on(app: App[Any], event: events.Key) -> None:
    """Hand ``event`` on as the App hands on a key from the terminal."""
    if not await app._check_bindings(event.key, priority=True):
        (app.focused or app.screen)._forward_event(event)
