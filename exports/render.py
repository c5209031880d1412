"""Running Graphviz's ``dot``: DOT text in, SVG, PNG or PDF bytes out, through the ``graphviz`` package.

Building DOT needs no binary; rendering does. When ``dot`` is missing,
:class:`DotNotFound` says how to install it (the package's
:class:`graphviz.ExecutableNotFound`, with the hint).

Rendering keeps a timeout: a dense diagram can keep ``dot`` busy for minutes. The
package's :func:`graphviz.pipe` takes none (graphviz 0.21), so the command is made by
the function ``pipe`` is made of, ``graphviz.backend.dot_command.command``, and run by
``graphviz.backend.execute.run_check``, which passes ``timeout`` on to
:func:`subprocess.run` (the process is killed when it runs out) and raises the
package's own errors.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import graphviz
from graphviz.backend import dot_command, execute

from kafka_tool.errors import KafkaToolError
from kafka_tool.i18n import N_

__all__ = ["RENDERED_FORMATS", "DotNotFound", "RenderError", "dot_path", "dot_available", "run_dot", "render"]

#: Formats that ``dot`` renders.
RENDERED_FORMATS = ("svg", "png", "pdf")

INSTALL_HINT = N_(
    "install Graphviz: `apt-get install graphviz` (Debian, Ubuntu), `brew install graphviz` (macOS), "
    "or see https://graphviz.org/download/; `--format dot` works without it"
)
#: What :class:`DotNotFound` says (``{hint}``: :data:`INSTALL_HINT`), marked for the catalogue.
NOT_FOUND = N_("Graphviz's `dot` program was not found; {hint}")


class DotNotFound(KafkaToolError):
    """Graphviz's ``dot`` is not installed (or not on PATH)."""

    def __init__(self) -> None:
        super().__init__(NOT_FOUND.format(hint=INSTALL_HINT))


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
        command = dot_command.command("dot", fmt)
    except ValueError as error:  # a format Graphviz does not know
        raise RenderError(f"Graphviz's `dot` cannot write {fmt!r}: {error}") from None
    command[0] = program  # the package's default is `dot` on PATH; KAFKA_TOOL_DOT may name another
    try:
        result = execute.run_check(
            command, input=source.encode("utf-8"), capture_output=True, quiet=True, timeout=timeout
        )
    except graphviz.ExecutableNotFound:
        raise DotNotFound() from None
    except subprocess.TimeoutExpired:
        raise RenderError(
            f"Graphviz's `dot` took longer than {timeout:g} seconds; "
            "try fewer layers (--layers referrals) or a focused view (--finding)"
        ) from None
    except graphviz.CalledProcessError as error:
        stderr = (error.stderr or b"").decode("utf-8", "replace").strip()
        raise RenderError(f"Graphviz's `dot` failed: {stderr or f'exit code {error.returncode}'}") from None
    except OSError as error:
        raise RenderError(f"could not run Graphviz's `dot` ({program}): {error}") from None
    return result.stdout, result.stderr.decode("utf-8", "replace")


def render(source: str, fmt: str, timeout: float = 120) -> bytes:
    """``source`` rendered as ``fmt`` (svg, png or pdf)."""
    if fmt not in RENDERED_FORMATS:
        raise RenderError(f"cannot render '{fmt}'; formats: {', '.join(RENDERED_FORMATS)}")
    output, _ = run_dot(source, fmt, timeout)
    return output
