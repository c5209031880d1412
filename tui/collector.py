"""The cycle collector paused while a worker loads, analyses or compares a case.

Loading and analysing a large case makes hundreds of thousands of objects that stay alive,
and every few thousand new ones the collector walks them all again: at 10,000 touchpoints
that took as long as the analysis itself. What a worker makes and drops is freed by
reference counting anyway. The collector is one for the whole process, so the pause is
counted: it ends when the last worker that asked for it is done.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused"]

_lock = threading.Lock()
_pauses = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """No cycle collection while the block runs (nor while another worker's pause lasts)."""
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
