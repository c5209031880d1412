"""Benchmark ``kafka-tool export`` on cases whose outputs would grow without a bound (issue 10, items 13, 14, 16).

Usage::

    python benchmarks/bench_exports.py [--only NAME] [--out DIR]

The cases come from ``tests/output_cases.py`` (deterministic generators), at
the sizes the issue reported:

* ``export-gaps-dot``: 2,000 rules leaving 721 coverage gaps, ``--format dot``.
  Uncapped, every rule listed every gap: a 67 MB DOT file in 112 s and
  590 MB. Capped labels say "… and 716 more";
* ``export-gaps-svg``: the same as SVG: 4,001 boxes and arrows, refused before
  ``dot`` starts (uncapped, ``dot`` reached 6 GB);
* ``export-findings-html``: 7,500 desks nobody runs, 15,000 findings, one HTML
  report. Uncapped, one diagram per finding (the issue: 10 minutes, 1.9 GB,
  176 MB of HTML); capped, the first 50;
* ``export-findings-md``: the same as a Markdown report with its SVG files;
* ``export-complete-200-svg``: 200 desks that all refer to each other (40,002
  boxes and arrows), refused before ``dot`` starts (uncapped: ``dot`` ran into
  the 120 s timeout at 5.5 GB);
* ``export-complete-200-dot``: the same as DOT text, which is still written.

Each export runs in a fresh child (``python -m kafka_tool export ...``): wall
time, and the peak memory of that child and of the ``dot`` processes it ran
(``os.wait4`` counts the descendants a process has waited for), and the size
of what it wrote. It prints a markdown table; the exit code is 0 unless an
export fails in a way its entry does not expect.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import run_child  # noqa: E402
from output_cases import complete_referrals, many_findings, many_gaps  # noqa: E402


@dataclass
class Entry:
    name: str
    make: Callable[[], dict[str, Any]]
    fmt: str
    #: the exit code the export should end with (1: a refusal, with its message)
    code: int
    #: the most seconds it may take
    seconds: float


ENTRIES = [
    Entry("export-gaps-dot", lambda: many_gaps(2000, 721), "dot", 0, 30.0),
    Entry("export-gaps-svg", lambda: many_gaps(2000, 721), "svg", 1, 30.0),
    Entry("export-findings-html", lambda: many_findings(7500), "html", 0, 60.0),
    Entry("export-findings-md", lambda: many_findings(7500), "md", 0, 60.0),
    Entry("export-complete-200-svg", lambda: complete_referrals(200), "svg", 1, 30.0),
    Entry("export-complete-200-dot", lambda: complete_referrals(200), "dot", 0, 30.0),
]


def _written(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", default=[], help="only entries whose name contains NAME")
    parser.add_argument("--out", type=Path, help="keep the cases and the exports here")
    args = parser.parse_args(argv)
    chosen = [e for e in ENTRIES if not args.only or any(o in e.name for o in args.only)]
    keep = args.out
    scratch = None
    if keep is None:
        scratch = tempfile.TemporaryDirectory(prefix="kafka-bench-exports-")
        keep = Path(scratch.name)
    keep.mkdir(parents=True, exist_ok=True)
    rows = ["| entry | format | exit | seconds | peak MB | written MB | result |", "|---|---|---|---|---|---|---|"]
    failures = 0
    try:
        for entry in chosen:
            case = keep / f"{entry.name}.yaml"
            case.write_text(json.dumps(entry.make()), encoding="utf-8")  # JSON is YAML
            out = keep / f"{entry.name}-out"
            out.mkdir(exist_ok=True)
            print(f"... {entry.name}", flush=True)
            command = [sys.executable, "-m", "kafka_tool", "export", str(case), "--format", entry.fmt,
                       "-o", f"{out}/", "--force"]
            wall, peak, code, tail = run_child(command, timeout=600)
            ok = code == entry.code and wall < entry.seconds
            failures += code not in (0, 1)
            rows.append(f"| {entry.name} | {entry.fmt} | {code} | {wall:.1f} | {peak:.0f} | {_written(out):.1f} "
                        f"| {'PASS' if ok else 'FAIL'} |")
            if code == 1:
                rows.append(f"|  | says: {tail.strip().splitlines()[-1][:160]} | | | | | |")
    finally:
        if scratch is not None:
            scratch.cleanup()
    print()
    print("\n".join(rows))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
