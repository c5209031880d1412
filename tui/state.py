"""The editing model behind the terminal interface, in plain Python.

Nothing here imports Textual, so the rules of editing (what an undo restores,
what a save writes) are unit-testable on their own:

- :class:`EditSession`: the open case, its :class:`~kafka_tool.document.CaseDocument`,
  and an undo/redo stack of case snapshots;
- :func:`replace_element` and :func:`with_element`: a form's element put into the case;
- :class:`StateDir`: recent files and recovery files under
  ``$XDG_STATE_HOME/kafka-tool`` (or ``~/.local/state/kafka-tool``).

Rename, delete with referrers and "what refers to this" are case semantics and live in
the core (:mod:`kafka_tool.edits`); they are re-exported here for the interface.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kafka_tool.document import CaseDocument
from kafka_tool.edits import (
    SECTIONS,
    ElementRef,
    Reference,
    copy_data,
    delete_element,
    referrers,
    rename_data,
    rename_id,
)
from kafka_tool.errors import Issue
from kafka_tool.files import atomic_write_text
from kafka_tool.library import library_dir
from kafka_tool.loader import validate_data
from kafka_tool.model import Case

__all__ = [
    "SECTIONS",
    "ElementRef",
    "EditSession",
    "Reference",
    "StateDir",
    "default_state_dir",
    "delete_element",
    "element_data",
    "is_sample_path",
    "referrers",
    "rename_data",
    "rename_id",
    "replace_element",
    "with_element",
]


def element_data(case: Case, ref: ElementRef) -> dict[str, Any]:
    """The element as plain data, in the form it was written."""
    items = case.to_data().get(ref.section, [])
    if ref.kind == "journey":
        return dict(copy_data(items[int(ref.key)]))
    return dict(copy_data(next(item for item in items if item.get("id") == ref.key)))


def replace_element(data: dict[str, Any], ref: ElementRef | None, kind: str, new: dict[str, Any]) -> dict[str, Any]:
    """Case data with element ``ref`` replaced by ``new`` (or ``new`` appended when ``ref`` is None).

    When the element's id changed, every reference follows (see :func:`rename_data`).
    """
    section = SECTIONS[kind]
    if ref is not None and kind != "journey" and new.get("id") and new["id"] != ref.key:
        data = rename_data(data, ref.key, str(new["id"]))
        ref = ElementRef(kind, str(new["id"]))
    else:
        data = copy_data(data)
    items = data.setdefault(section, [])
    if ref is None:
        items.append(new)
    elif kind == "journey":
        items[int(ref.key)] = new
    else:
        position = next(n for n, item in enumerate(items) if item.get("id") == ref.key)
        items[position] = new
    return data


def element_position(data: dict[str, Any], ref: ElementRef | None, kind: str) -> int:
    """The index of the element within its section (the new one's index when ``ref`` is None)."""
    items = data.get(SECTIONS[kind], [])
    if ref is None:
        return len(items) - 1
    if kind == "journey":
        return int(ref.key)
    return next((n for n, item in enumerate(items) if item.get("id") == ref.key), len(items) - 1)


def with_element(case: Case, ref: ElementRef | None, kind: str, new: dict[str, Any]) -> tuple[Case | None, list[Issue]]:
    """Validate the case with one element replaced or added: the same checks as the loader."""
    data = replace_element(case.to_data(), ref, kind, new)
    return validate_data(data)


def is_sample_path(path: Path | None) -> bool:
    """Whether ``path`` is a case of the installed sample library (never to be overwritten)."""
    if path is None:
        return False
    try:
        return path.resolve().parent == library_dir().resolve()
    except OSError:
        return False


# ---------------------------------------------------------------- the session


@dataclass
class EditSession:
    """An open case: the document it came from, the current case, and undo/redo.

    Every edit replaces the whole case with a new, validated one; the stacks
    keep deep copies, so an undo restores exactly what was there.
    """

    document: CaseDocument
    case: Case
    undo_stack: list[tuple[str, Case]] = field(default_factory=list)
    redo_stack: list[tuple[str, Case]] = field(default_factory=list)
    #: (case, whether it differs from the file): comparing costs a walk of the whole case,
    #: and the title, the recovery file and the quit question all ask after every edit.
    _modified: tuple[Case, bool] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def open(cls, path: str | os.PathLike[str], progress: Callable[[str], None] | None = None) -> EditSession:
        """Open a case file; raises :class:`~kafka_tool.errors.CaseError` when it is not valid.

        ``progress`` is told each stage of the opening (it may take a while on a large file).
        """
        document = CaseDocument.open(path, progress)
        return cls(document, document.case.model_copy(deep=True))

    @property
    def read_only(self) -> str | None:
        """Why the case cannot be edited and saved here (a file too large), or None."""
        return self.document.read_only

    @property
    def path(self) -> Path | None:
        """Where the case is saved."""
        return self.document.path

    @property
    def is_sample(self) -> bool:
        """Whether the case is a sample of the installed library (saving needs a new place)."""
        return is_sample_path(self.path)

    @property
    def modified(self) -> bool:
        """Whether the case differs from the file."""
        return self.is_modified(self.case)

    @property
    def modified_if_known(self) -> bool | None:
        """:attr:`modified` when it has been worked out for the current case, else None (no work)."""
        known = self._modified
        return known[1] if known is not None and known[0] is self.case else None

    def is_modified(self, case: Case) -> bool:
        """Whether ``case`` (the current one, or one it was a moment ago) differs from the file."""
        known = self._modified
        if known is not None and known[0] is case:
            return known[1]
        result = self.document.is_modified(case)
        self._modified = (case, result)
        return result

    def apply(self, case: Case, label: str) -> None:
        """Make ``case`` the current case; ``label`` says what the edit was (for undo)."""
        self.undo_stack.append((label, self.case))
        self.redo_stack.clear()
        self.case = case.model_copy(deep=True)

    def undo(self) -> str | None:
        """Undo the last edit; returns its label, or None when there is nothing to undo."""
        if not self.undo_stack:
            return None
        label, previous = self.undo_stack.pop()
        self.redo_stack.append((label, self.case))
        self.case = previous
        return label

    def redo(self) -> str | None:
        """Redo the last undone edit; returns its label, or None."""
        if not self.redo_stack:
            return None
        label, following = self.redo_stack.pop()
        self.undo_stack.append((label, self.case))
        self.case = following
        return label

    def save(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Save through the round-trip, atomic writer; returns where it wrote."""
        written = self.document.save(self.case.model_copy(deep=True), path)
        self._modified = (self.case, False)
        return written


# ---------------------------------------------------------------- recent and recovery files


def default_state_dir() -> Path:
    """``$XDG_STATE_HOME/kafka-tool``, or ``~/.local/state/kafka-tool``."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "kafka-tool"


@dataclass
class Recovery:
    """Unsaved edits kept for a case file."""

    path: Path
    saved_at: float
    data: dict[str, Any]

    def case(self) -> Case | None:
        """The recovered case, or None when it no longer validates."""
        case, _ = validate_data(self.data)
        return case


class StateDir:
    """Recent files and recovery files, in one folder."""

    MAX_RECENT = 10

    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else default_state_dir()

    # recent files ---------------------------------------------------

    @property
    def _recent_file(self) -> Path:
        return self.root / "recent.json"

    def recent(self) -> list[Path]:
        """Recently opened case files that still exist, most recent first."""
        try:
            entries = json.loads(self._recent_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        paths = [Path(p) for p in entries if isinstance(p, str)]
        return [p for p in paths if p.is_file()]

    def add_recent(self, path: Path) -> None:
        """Put ``path`` at the top of the recent files."""
        resolved = str(path.resolve())
        entries = [str(p) for p in self.recent() if str(p) != resolved]
        entries.insert(0, resolved)
        self.root.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self._recent_file, json.dumps(entries[: self.MAX_RECENT], indent=1))

    # recovery -------------------------------------------------------

    def recovery_file(self, path: Path) -> Path:
        """Where the unsaved edits of the case at ``path`` are kept."""
        digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]
        return self.root / "recovery" / f"{path.stem}-{digest}.json"

    def keep(self, path: Path, case: Case) -> Path:
        """Keep ``case`` as the unsaved edits of ``path``."""
        target = self.recovery_file(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "path": str(path.resolve()),
            "saved_at": time.time(),
            "case": case.model_dump(mode="json", by_alias=True, exclude_unset=True),
        }
        atomic_write_text(target, json.dumps(payload))
        return target

    def recovery(self, path: Path) -> Recovery | None:
        """The unsaved edits kept for ``path``, if any."""
        try:
            payload = json.loads(self.recovery_file(path).read_text(encoding="utf-8"))
            return Recovery(Path(payload["path"]), float(payload["saved_at"]), dict(payload["case"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def discard(self, path: Path) -> None:
        """Forget the unsaved edits of ``path``."""
        self.recovery_file(path).unlink(missing_ok=True)


def iter_elements(case: Case) -> Iterator[ElementRef]:
    """Every element of the case, in file order."""
    for kind, section in SECTIONS.items():
        for n, item in enumerate(getattr(case, section)):
            yield ElementRef(kind, str(n) if kind == "journey" else item.id)
