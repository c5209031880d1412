"""How hard the property and fuzz tests try: ``quick`` on a laptop, ``thorough`` in CI.

``KAFKA_TOOL_TEST_PROFILE=thorough`` (set by ``.ci/run``) runs every property and fuzz
test with its full number of examples; the default, ``quick``, a tenth of them, so that
the suite stays fast to run while working.
"""

from __future__ import annotations

import os

__all__ = ["PROFILE", "examples"]

PROFILE = os.environ.get("KAFKA_TOOL_TEST_PROFILE", "quick")
if PROFILE not in ("quick", "thorough"):
    raise RuntimeError(f"KAFKA_TOOL_TEST_PROFILE is {PROFILE!r}; use quick or thorough")


def examples(thorough: int) -> int:
    """The number of examples for a test that makes ``thorough`` of them in the thorough profile."""
    return thorough if PROFILE == "thorough" else max(10, thorough // 10)
