"""Running Graphviz's ``dot``: DOT text in, SVG, PNG or PDF bytes out.

Building DOT needs no binary; rendering does. When ``dot`` is missing,
:class:`DotNotFound` says how to install it.
"""

from __future__ import annotations

import os
import shutil
import subprocess

from kafka_tool.errors import KafkaToolError

__all__ = ["RENDERED_FORMATS", "DotNotFound", "RenderError", "dot_path", "dot_available", "run_dot", "render"]

#: Formats that ``dot`` renders.
RENDERED_FORMATS = ("svg", "png", "pdf")

INSTALL_HINT = (
    "install Graphviz: `apt-get install graphviz` (Debian, Ubuntu), `brew install graphviz` (macOS), "
    "or see https://graphviz.org/download/; `--format dot` works without it"
)


class DotNotFound(KafkaToolError):
    """Graphviz's ``dot`` is not installed (or not on PATH)."""

    def __init__(self) -> None:
        super().__init__(f"Graphviz's `dot` program was not found; {INSTALL_HINT}")


class RenderError(KafkaToolError):
    """``dot`` refused the input or did not finish in time."""


def dot_path() -> str | None:
    """Where ``dot`` is, or None. ``KAFKA_TOOL_DOT`` names another binary."""
    return shutil.which(os.environ.get("KAFKA_TOOL_DOT", "dot"))


def dot_available() -> bool:
    """Whether ``dot`` can be run."""
    return dot_path() is not None


def run_dot(source: str, fmt: str = "svg", timeout: float = 120) -> tuple[bytes, str]:
    """Run ``dot -T<fmt>`` on ``source``; the output and whatever ``dot`` said on stderr.

    Raises :class:`DotNotFound` without ``dot`` and :class:`RenderError` when
    it fails or takes longer than ``timeout`` seconds.
    """
    program = dot_path()
    if program is None:
        raise DotNotFound()
    try:
        result = subprocess.run(
            [program, f"-T{fmt}"], input=source.encode("utf-8"), capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise RenderError(
            f"Graphviz's `dot` took longer than {timeout:g} seconds; "
            "try fewer layers (--layers referrals) or a focused view (--finding)"
        ) from None
    except OSError as error:
        raise RenderError(f"could not run Graphviz's `dot` ({program}): {error}") from None
    stderr = result.stderr.decode("utf-8", "replace")
    if result.returncode != 0:
        raise RenderError(f"Graphviz's `dot` failed: {stderr.strip() or f'exit code {result.returncode}'}")
    return result.stdout, stderr


def render(source: str, fmt: str, timeout: float = 120) -> bytes:
    """``source`` rendered as ``fmt`` (svg, png or pdf)."""
    if fmt not in RENDERED_FORMATS:
        raise RenderError(f"cannot render '{fmt}'; formats: {', '.join(RENDERED_FORMATS)}")
    output, _ = run_dot(source, fmt, timeout)
    return output
