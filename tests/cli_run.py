"""Running ``kafka-tool export`` from the tests, in a folder of their own (where the files are written)."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from kafka_tool.cli import cli


def run_export(*args: str, cwd: Path) -> tuple[int, str]:
    """``kafka-tool export ARGS`` run in ``cwd``: its exit code and what it said on stderr."""
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, ["export", *args], catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stderr
