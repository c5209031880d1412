"""The sample case library that ships with kafka-tool.

In a source checkout the cases live in ``cases/`` beside the package; an
installed wheel carries them inside the package as ``kafka_tool/_cases``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import KafkaToolError, did_you_mean, shown
from .loader import load_case
from .model import Case

__all__ = ["LibraryError", "SampleCase", "UnknownSample", "library_dir", "list_cases", "find_case"]


class LibraryError(KafkaToolError):
    """A sample case that does not exist, or a library that cannot be found."""


@dataclass(frozen=True)
class SampleCase:
    """One case of the library, with what the start screen and ``cases list`` show."""

    name: str
    path: Path
    case: Case

    @property
    def title(self) -> str:
        return self.case.title

    @property
    def language(self) -> str:
        return self.case.language

    @property
    def level(self) -> str:
        return self.case.teaching.level if self.case.teaching else "-"


def library_dir() -> Path:
    """The folder holding the sample cases."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_cases", here.parent / "cases"):
        if candidate.is_dir():
            return candidate
    raise LibraryError("the sample case library is missing from this installation")


def list_cases() -> list[SampleCase]:
    """Every sample case, sorted by name. Raises :class:`CaseError` for a broken one."""
    return [SampleCase(path.stem, path, load_case(path)) for path in sorted(library_dir().glob("*.yaml"))]


def find_case(name: str) -> Path:
    """The file of the sample case called ``name`` (file name without .yaml); :class:`UnknownSample` if none."""
    folder = library_dir()
    stem = name[:-5] if name.endswith(".yaml") else name
    path = folder / f"{stem}.yaml"
    if path.is_file() and path.parent == folder:
        return path
    raise UnknownSample(stem, sorted(p.stem for p in folder.glob("*.yaml")))


class UnknownSample(LibraryError):
    """No sample case is called ``name``; ``known`` are the names there are."""

    def __init__(self, name: str, known: list[str]) -> None:
        hint = did_you_mean(name, known, "cases") or "see `kafka-tool cases list`"
        super().__init__(f"no sample case called {shown(name)}; {hint}")
        self.name = name
        self.known = known
