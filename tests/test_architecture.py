"""The core stands on its own: importing it never loads the TUI, Textual or the exports."""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import kafka_tool

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("textual", "tui", "exports")


def core_modules() -> list[str]:
    """``kafka_tool`` and every module under it, found on disk so that new ones are included."""
    found = ["kafka_tool"]
    for info in pkgutil.walk_packages(kafka_tool.__path__, prefix="kafka_tool."):
        if info.name != "kafka_tool.__main__":  # runs the command line when imported
            found.append(info.name)
    return sorted(found)


def test_core_modules_are_found() -> None:
    modules = core_modules()
    for expected in ("kafka_tool.loader", "kafka_tool.model", "kafka_tool.document", "kafka_tool.cli"):
        assert expected in modules


def test_importing_the_core_loads_no_user_interface() -> None:
    script = (
        "import importlib, json, sys\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(json.dumps(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_the_check_would_notice_a_user_interface() -> None:
    # The subprocess check is only worth something if importing the TUI does show up.
    script = "import sys, textual\nprint('textual' in sys.modules)\n"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.stdout.strip() == "True"


def test_validating_from_the_command_line_loads_no_user_interface() -> None:
    starter = ROOT / "kafka_tool" / "templates" / "starter.yaml"
    script = (
        "import json, sys\n"
        "from kafka_tool.cli import cli\n"
        f"cli(['validate', '--quiet', {str(starter)!r}], standalone_mode=False)\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def _loaded_after(*args: str, prefix: str = "ruamel") -> list[str]:
    """The modules whose names start with ``prefix`` (ruamel.yaml's) loaded once ``kafka-tool ARGS`` has
    run in a fresh process."""
    script = (
        "import json, sys\n"
        "from kafka_tool.cli import cli\n"
        "try:\n"
        f"    cli({list(args)!r}, standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.startswith({prefix!r}))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout.strip().splitlines()[-1]))


def test_a_case_without_problems_is_read_without_the_round_trip_parser(tmp_path: Path) -> None:
    sample = ROOT / "cases" / "toeslagenaffaire.yaml"
    assert _loaded_after("analyze", str(sample), "--format", "json") == []
    # A problem to place brings it in: the fast parser knows no lines.
    broken = tmp_path / "broken.yaml"
    broken.write_text(sample.read_text(encoding="utf-8").replace("format: kafka-case/1", "format: kafka-case/9"),
                      encoding="utf-8")
    assert "ruamel.yaml" in _loaded_after("validate", str(broken))


def test_findings_as_json_are_written_without_the_reports_words_and_layouts() -> None:
    sample = str(ROOT / "cases" / "toeslagenaffaire.yaml")
    assert _loaded_after("analyze", sample, "--format", "json", prefix="kafka_tool.report") == []
    assert _loaded_after("analyze", sample, prefix="kafka_tool.report") == ["kafka_tool.report"]


def test_the_command_skips_looking_for_pydantic_plugins_unless_told_otherwise() -> None:
    starter = ROOT / "kafka_tool" / "templates" / "starter.yaml"
    script = (
        "import os, sys\n"
        "from kafka_tool import cli\n"
        "cli._exit_now = lambda code: None\n"
        f"sys.argv = ['kafka-tool', 'validate', '--quiet', {str(starter)!r}]\n"
        "cli.main()\n"
        "from pydantic.plugin import _loader\n"
        "print(repr(os.environ.get('PYDANTIC_DISABLE_PLUGINS')), _loader._plugins is None)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    for setting, said in ((None, "'__all__' True"), ("", "'' False")):
        run_env = env if setting is None else {**env, "PYDANTIC_DISABLE_PLUGINS": setting}
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                                env=run_env, check=False, timeout=120)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().splitlines()[-1] == said
