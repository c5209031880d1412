"""The layers are checked: import-linter's contracts catch what they must, and a broken TUI install fails loudly."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _lint_imports() -> str:
    found = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if found is None:
        pytest.skip("import-linter is not installed (pip install -e '.[dev]')")
    return found


def _fake_project(tmp_path: Path, files: dict[str, str]) -> Path:
    """A tree with the three packages and this project's import-linter configuration, nothing else."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    lines = [
        "[tool.importlinter]",
        f"root_packages = {config['root_packages']!r}",
        f"include_external_packages = {str(config['include_external_packages']).lower()}",
    ]
    for contract in config["contracts"]:
        lines.append("[[tool.importlinter.contracts]]")
        lines.extend(f"{key} = {value!r}".replace("True", "true").replace("False", "false")
                     for key, value in contract.items())
    (tmp_path / "pyproject.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    base = {
        "kafka_tool/__init__.py": "",
        "kafka_tool/cli.py": "def tui():\n    from tui.app import run_app\n    from exports.writer import export\n",
        "tui/__init__.py": "",
        "tui/app.py": "import textual\nimport exports.writer\nimport kafka_tool\n\ndef run_app(): ...\n",
        "exports/__init__.py": "",
        "exports/writer.py": "import kafka_tool\n\ndef export(): ...\n",
        "textual/__init__.py": "",
    }
    for name, text in {**base, **files}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def _run(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_lint_imports(), "--no-cache"], capture_output=True, text=True, cwd=project, check=False, timeout=120,
        env={"PYTHONPATH": str(project), "PATH": str(Path(sys.executable).parent)},
    )


def test_the_contracts_keep_the_layers_as_they_are(tmp_path: Path) -> None:
    result = _run(_fake_project(tmp_path, {}))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("kafka_tool/model.py", "def later():\n    import textual\n"),  # lazy, inside a function
        ("kafka_tool/report.py", "def later():\n    from exports import writer\n"),
        ("kafka_tool/edits.py", "from tui import app\n"),
        ("exports/dot.py", "def later():\n    from tui.app import run_app\n"),
        ("exports/view.py", "import textual.widgets\n"),
    ],
)
def test_the_contracts_notice_an_import_across_the_layers(tmp_path: Path, name: str, text: str) -> None:
    result = _run(_fake_project(tmp_path, {name: text}))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout


def test_the_tui_command_fails_loudly_when_the_interface_cannot_be_imported() -> None:
    # One Textual module unimportable, as in a half-broken install.
    script = (
        "import sys\n"
        "sys.modules['textual.widgets'] = None\n"
        "from kafka_tool.cli import main\n"
        "sys.argv = ['kafka-tool', 'tui']\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False, timeout=120
    )
    assert result.returncode != 0
    assert "the terminal interface cannot be loaded" in result.stderr
    assert "textual.widgets" in result.stderr
    assert "Usage:" not in result.stdout
