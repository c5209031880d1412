"""The sample library loads from a regular install, not only from a source checkout.

Builds the wheel, installs it into a fresh virtual environment (without this
one's packages) and asks the installed ``kafka-tool`` for the cases. Needs the
network for the build backend and the dependencies; takes a few minutes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "cases").glob("*.yaml"))


def _run(args: list[str | Path], cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.mark.slow
@pytest.mark.skipif(not SAMPLES, reason="the sample library is empty")
def test_installed_wheel_lists_and_shows_the_cases(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", dist, ROOT], cwd=ROOT)
    (wheel,) = dist.glob("kafka_tool-*.whl")

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], cwd=tmp_path)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    _run([bin_dir / "python", "-m", "pip", "install", "--quiet", wheel], cwd=tmp_path)

    # Run from an empty folder, so that nothing of the source checkout can be picked up.
    where = _run([bin_dir / "python", "-c", "import kafka_tool, sys; print(kafka_tool.__file__)"], cwd=tmp_path)
    package = Path(where.stdout.strip()).parent
    assert "site-packages" in package.parts
    assert venv in package.parents

    kafka_tool = bin_dir / "kafka-tool"
    listed = _run([kafka_tool, "cases", "list", "--format", "json"], cwd=tmp_path)
    names = [row["name"] for row in json.loads(listed.stdout)]
    assert len(names) >= 1
    assert names == [p.stem for p in SAMPLES]

    # The library it read is the copy inside the installed package.
    footer = _run([kafka_tool, "cases", "list"], cwd=tmp_path).stderr
    assert f"{len(names)} cases in {package / '_cases'}" in footer

    shown = _run([kafka_tool, "cases", "show", names[0], "--yaml"], cwd=tmp_path)
    assert shown.stdout == SAMPLES[0].read_text(encoding="utf-8")
    summary = _run([kafka_tool, "cases", "show", names[0]], cwd=tmp_path)
    assert summary.stdout.strip()

    # And the starter template travels with it.
    _run([kafka_tool, "new", tmp_path / "fresh.yaml"], cwd=tmp_path)
    _run([kafka_tool, "validate", tmp_path / "fresh.yaml"], cwd=tmp_path)

    # So do the Dutch of the catalogue and the report's template.
    dutch = next(p for p in SAMPLES if "\nlanguage: nl" in p.read_text(encoding="utf-8"))
    said = _run([kafka_tool, "analyze", dutch], cwd=tmp_path).stdout
    assert "Kritiek" in said or "Hoog" in said, said[-500:]
    _run([kafka_tool, "export", dutch, "--format", "md", "-o", tmp_path / "report.md"], cwd=tmp_path)
    assert "## Bevindingen" in (tmp_path / "report.md").read_text(encoding="utf-8")
    assert (package / "locale" / "nl" / "LC_MESSAGES" / "kafka_tool.po").is_file()
    assert (package.parent / "exports" / "templates" / "report.html.j2").is_file()
