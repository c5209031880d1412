"""The editing model behind the terminal interface, in plain Python.

Nothing here imports Textual, so the rules of editing (what an undo restores,
what a save writes) are unit-testable on their own:

- :class:`EditSession`: the open case, its :class:`~kafka_tool.document.CaseDocument`,
  and an undo/redo stack of case snapshots;
- :func:`replace_element` and :func:`with_element`: a form's element put into the case;
- :func:`merge_onto` and :class:`DiskMerge`: unsaved edits merged onto the file as it is
  on disk now (the merge itself is the core's, :mod:`kafka_tool.merge`);
- :class:`StateDir`: recent files, the settings and recovery files under
  ``$XDG_STATE_HOME/kafka-tool`` (or ``~/.local/state/kafka-tool``), each recovery file
  belonging to one running interface (:class:`Owner`).

Rename, delete with referrers and "what refers to this" are case semantics and live in
the core (:mod:`kafka_tool.edits`); they are re-exported here for the interface.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
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
from kafka_tool.errors import Issue, KafkaToolError
from kafka_tool.files import TargetBusy, atomic_write_text, lock_targets, make_folder
from kafka_tool.i18n import LANGUAGES
from kafka_tool.library import library_dir
from kafka_tool.loader import parse_fast, validate_data
from kafka_tool.merge import Change, Merge, Place, Side, changes, three_way_merge
from kafka_tool.model import Case, Intervention
from kafka_tool.versions import FileVersion

__all__ = [
    "SECTIONS",
    "ElementRef",
    "DiskMerge",
    "EditSession",
    "Owner",
    "Recovery",
    "Reference",
    "StateDir",
    "default_state_dir",
    "delete_element",
    "element_data",
    "is_sample_path",
    "merge_onto",
    "referrers",
    "rename_data",
    "rename_id",
    "replace_element",
    "set_intervention_fields",
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


def set_intervention_fields(data: dict[str, Any], ident: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Case data with some fields of intervention ``ident`` set (a value of None takes the field out).

    A field the intervention did not have yet goes where the case format lists it (``status`` after
    ``owner``, ``notes`` before ``description``), so that the file reads as if written by hand.
    Raises KeyError when the case has no intervention ``ident``.
    """
    data = copy_data(data)
    items = data.get("interventions", [])
    position = next((n for n, item in enumerate(items) if item.get("id") == ident), None)
    if position is None:
        raise KeyError(ident)
    order = list(Intervention.model_fields)
    item = dict(items[position])
    for key, value in changes.items():
        if value is None:
            item.pop(key, None)
            continue
        if key in item or key not in order:
            item[key] = value
            continue
        rank = order.index(key)
        keys = list(item)
        # after the last field the format lists before this one (at the start when there is none)
        at = max((n + 1 for n, k in enumerate(keys) if k in order and order.index(k) < rank), default=0)
        keys.insert(at, key)
        item = {k: (value if k == key else item[k]) for k in keys}
    items[position] = item
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

    def save(self, path: str | os.PathLike[str] | None = None, *, overwrite_changed: bool = False) -> Path:
        """Save through the round-trip, atomic writer; returns where it wrote.

        Raises :class:`~kafka_tool.versions.FileChanged` (and writes nothing) when the file
        changed on disk since it was opened or last saved, unless ``overwrite_changed``.
        """
        written = self.document.save(self.case.model_copy(deep=True), path, overwrite_changed=overwrite_changed)
        self._modified = (self.case, False)
        return written

    def merge_with(self, theirs: CaseDocument, choices: Mapping[Place, Side] | None = None) -> DiskMerge:
        """The unsaved edits merged onto ``theirs``, the file as it is on disk now."""
        return merge_onto(self.document.base, self.case, theirs, choices)

    def adopt(self, document: CaseDocument, case: Case, label: str) -> None:
        """Go on from ``document`` (the file as it is on disk now) with ``case`` (the unsaved edits
        merged onto it); the edit can be undone."""
        self.document = document
        self._modified = None
        self.apply(case, label)


@dataclass(frozen=True)
class DiskMerge:
    """Edits (``ours``) merged onto a file as it is on disk (``theirs``), both made on ``base``.

    The merged case is rendered through ``theirs``'s round-trip document, so that what the
    file holds now (comments included) stays as it is where the edits do not touch it.
    """

    theirs: CaseDocument
    base: dict[str, Any]
    ours: dict[str, Any]
    merge: Merge

    @property
    def on_disk(self) -> list[Change]:
        """What changed in the file since the edits' base."""
        return changes(self.base, self.theirs.case.to_data())

    @property
    def edits(self) -> list[Change]:
        """What the edits changed."""
        return changes(self.base, self.ours)

    def choose(self, choices: Mapping[Place, Side]) -> DiskMerge:
        """The same merge with its conflicts settled by ``choices``."""
        return DiskMerge(self.theirs, self.base, self.ours,
                         three_way_merge(self.base, self.ours, self.theirs.case.to_data(), choices))

    def result(self) -> tuple[Case | None, list[Issue]]:
        """The merged case, validated (None, with the issues, when it is not a valid case)."""
        return validate_data(self.merge.data)


def merge_onto(base: Case, ours: Case, theirs: CaseDocument, choices: Mapping[Place, Side] | None = None) -> DiskMerge:
    """The edits that made ``ours`` from ``base``, merged onto the document ``theirs``."""
    base_data, ours_data = base.to_data(), ours.to_data()
    return DiskMerge(theirs, base_data, ours_data,
                     three_way_merge(base_data, ours_data, theirs.case.to_data(), choices))


# ---------------------------------------------------------------- recent and recovery files


def default_state_dir() -> Path:
    """``$XDG_STATE_HOME/kafka-tool``, or ``~/.local/state/kafka-tool``."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "kafka-tool"


@dataclass(frozen=True)
class Owner:
    """One running interface: its process, when it started, and a token of its own (two
    interfaces in one process, as in the tests, are two owners)."""

    pid: int
    token: str
    started: float
    host: str

    @classmethod
    def this(cls) -> Owner:
        """A new owner for an interface starting now in this process."""
        return cls(os.getpid(), secrets.token_hex(4), time.time(), socket.gethostname())

    @property
    def name(self) -> str:
        """``PID-TOKEN``: how the owner's recovery files and its marker are named."""
        return f"{self.pid}-{self.token}"

    def to_json(self) -> dict[str, Any]:
        """The owner as JSON values (for a recovery file)."""
        return {"pid": self.pid, "token": self.token, "started": self.started, "host": self.host}


@dataclass
class Recovery:
    """Unsaved edits kept for a case file by one interface.

    ``owner`` names the interface that kept them (None: a recovery file of an older
    kafka-tool, which named no owner); ``running`` says whether that interface is still
    running. ``base`` is the version of the case file the edits were made on, and
    ``base_text`` its text (None when not known): when the file is no longer that version,
    the edits are merged onto it rather than put in its place.
    """

    path: Path
    saved_at: float
    data: dict[str, Any]
    file: Path | None = None
    owner: str | None = None
    running: bool = False
    since: float | None = None
    base: FileVersion | None = None
    base_text: str | None = None

    def case(self) -> Case | None:
        """The recovered case, or None when it no longer validates."""
        case, _ = validate_data(self.data)
        return case

    def base_case(self) -> Case | None:
        """The case as it was in the file the edits were made on, or None when that is not known."""
        if self.base_text is None:
            return None
        try:
            case, _ = validate_data(parse_fast(self.base_text, str(self.path)), self.base_text)
        except KafkaToolError:
            return None
        return case

    def based_on(self, version: FileVersion | None) -> bool:
        """Whether the edits were made on the content of ``version``."""
        return self.base is not None and self.base.same_content(version)


#: A recovery file's name after the case's: ``STEM-DIGEST.PID-TOKEN.json`` (``STEM-DIGEST.json``
#: from before recovery files had owners).
_OWNED = re.compile(r"\.(?P<owner>\d+-[0-9a-f]+)\.json")
RECOVERY_FORMAT = "kafka-tool-recovery/2"


class StateDir:
    """Recent files and recovery files, in one folder, for one running interface.

    Each recovery file belongs to the interface that wrote it (its :class:`Owner`, named in
    the file's name), so two interfaces on one file never share one, and an interface only
    ever replaces or removes its own. While it runs, an interface holds a lock on its marker
    (``owners/PID-TOKEN``, locked the way :mod:`kafka_tool.files` locks a file being
    written); the recovery files of an owner whose marker nobody holds were left by an
    interface that ended without saving (a crash, a closed terminal), and are offered when
    the case is opened again.
    """

    MAX_RECENT = 10

    def __init__(self, root: Path | None = None, owner: Owner | None = None) -> None:
        self.root = root if root is not None else default_state_dir()
        self.owner = owner if owner is not None else Owner.this()
        self._marker: contextlib.ExitStack | None = None
        self._closed = False
        self._lock = threading.Lock()
        #: When the unsaved edits of each file began (for "open elsewhere, with unsaved edits since").
        self._since: dict[str, float] = {}

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

    # settings -------------------------------------------------------

    @property
    def _settings_file(self) -> Path:
        return self.root / "settings.json"

    def _settings(self) -> dict[str, Any]:
        try:
            settings = json.loads(self._settings_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return settings if isinstance(settings, dict) else {}

    def language(self) -> str | None:
        """The language the user chose for the interface (``en``, ``nl``), or None: each case's own."""
        language = self._settings().get("language")
        return language if language in LANGUAGES else None

    def set_language(self, language: str | None) -> None:
        """Remember the interface's language for the next start (None: each case's own)."""
        settings = self._settings()
        settings["language"] = language
        self.root.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self._settings_file, json.dumps(settings, indent=1))

    # owners ---------------------------------------------------------

    def _marker_of(self, owner: str) -> Path:
        return self.root / "owners" / owner

    def _hold_marker(self) -> None:
        """Hold this interface's marker (from its first recovery file until :meth:`close`)."""
        if self._marker is not None or self._closed:
            return
        marker = self._marker_of(self.owner.name)
        make_folder(marker.parent)
        stack = contextlib.ExitStack()
        for attempt in range(5):
            try:
                stack.enter_context(lock_targets([marker]))
                break
            except TargetBusy:  # another interface looking whether this one runs, for a moment
                if attempt == 4:
                    raise
                time.sleep(0.01)
        self._marker = stack

    def running(self, owner: str | None) -> bool:
        """Whether the interface ``owner`` names is running (this one, or one holding its marker)."""
        if owner is None:
            return False
        if owner == self.owner.name:
            return not self._closed
        marker = self._marker_of(owner)
        if not marker.parent.is_dir():
            return False
        try:
            with lock_targets([marker]):
                return False
        except TargetBusy:
            return True
        except OSError:  # cannot tell: count it as running, so that nothing of it is taken
            return True

    def close(self) -> None:
        """The interface ends: let go of its marker. Recovery files it leaves are offered next time."""
        with self._lock:
            self._closed = True
            if self._marker is not None:
                self._marker.close()
                self._marker = None

    # recovery -------------------------------------------------------

    def _prefix(self, path: Path) -> str:
        digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]
        return f"{path.stem}-{digest}"

    def recovery_file(self, path: Path) -> Path:
        """Where this interface keeps the unsaved edits of the case at ``path``."""
        return self.root / "recovery" / f"{self._prefix(path)}.{self.owner.name}.json"

    def keep(
        self,
        path: Path,
        case: Case,
        *,
        base: FileVersion | None = None,
        base_text: str | None = None,
    ) -> Path:
        """Keep ``case`` as this interface's unsaved edits of ``path``, made on version ``base``
        of the file (whose text is ``base_text``)."""
        target = self.recovery_file(path)
        with self._lock:
            make_folder(target.parent)
            self._hold_marker()
            since = self._since.setdefault(str(target), time.time())
            payload = {
                "format": RECOVERY_FORMAT,
                "path": str(path.resolve()),
                "saved_at": time.time(),
                "since": since,
                "owner": self.owner.to_json(),
                "base": base.to_json() if base is not None else None,
                "base_text": base_text,
                "case": case.model_dump(mode="json", by_alias=True, exclude_unset=True),
            }
            atomic_write_text(target, json.dumps(payload))
        return target

    def recoveries(self, path: Path) -> list[Recovery]:
        """Every interface's unsaved edits of ``path`` (this one's too), the newest first."""
        folder = self.root / "recovery"
        prefix = self._prefix(path)
        try:
            names = sorted(entry.name for entry in os.scandir(folder) if entry.name.startswith(prefix))
        except OSError:
            return []
        found = []
        for name in names:
            rest = name[len(prefix):]
            owned = _OWNED.fullmatch(rest)
            if rest != ".json" and owned is None:
                continue  # another case whose name starts like this one's
            recovery = _read_recovery(folder / name, owned["owner"] if owned else None)
            if recovery is not None and recovery.path == path.resolve():
                recovery.running = self.running(recovery.owner)
                found.append(recovery)
        return sorted(found, key=lambda r: (-r.saved_at, str(r.file)))

    def recovery(self, path: Path) -> Recovery | None:
        """This interface's unsaved edits of ``path``, if any."""
        return next((r for r in self.recoveries(path) if r.owner == self.owner.name), None)

    def offered(self, path: Path) -> list[Recovery]:
        """The unsaved edits to offer back when ``path`` is opened: this interface's own, and those
        of interfaces that are no longer running; the newest first."""
        return [r for r in self.recoveries(path) if r.owner == self.owner.name or not r.running]

    def elsewhere(self, path: Path) -> list[Recovery]:
        """The unsaved edits of ``path`` in other interfaces that are running now."""
        return [r for r in self.recoveries(path) if r.owner != self.owner.name and r.running]

    def claim(self, recovery: Recovery, path: Path) -> bool:
        """Make ``recovery`` (offered, see :meth:`offered`) this interface's recovery file of
        ``path``; False when another interface took it first (it is then theirs)."""
        target = self.recovery_file(path)
        if recovery.file is None or recovery.file == target:
            return True
        if recovery.owner != self.owner.name and self.running(recovery.owner):
            return False  # a running interface's edits are its own
        with self._lock:
            make_folder(target.parent)
            self._hold_marker()
            try:
                os.replace(recovery.file, target)  # one rename: only one interface gets it
            except FileNotFoundError:
                return False
            if recovery.since is not None:
                self._since[str(target)] = recovery.since
        return True

    def discard(self, path: Path) -> None:
        """Forget this interface's unsaved edits of ``path`` (never another interface's)."""
        target = self.recovery_file(path)
        with self._lock:
            self._since.pop(str(target), None)
            target.unlink(missing_ok=True)

    def discard_recovery(self, recovery: Recovery) -> None:
        """Forget offered edits (this interface's, or a finished one's); a running interface's stay."""
        if recovery.file is None or (recovery.owner != self.owner.name and self.running(recovery.owner)):
            return
        with self._lock:
            self._since.pop(str(recovery.file), None)
            recovery.file.unlink(missing_ok=True)


def _read_recovery(file: Path, owner: str | None) -> Recovery | None:
    try:
        payload = json.loads(file.read_text(encoding="utf-8"))
        since = payload.get("since")
        base_text = payload.get("base_text")
        return Recovery(
            Path(payload["path"]),
            float(payload["saved_at"]),
            dict(payload["case"]),
            file=file,
            owner=owner,
            since=float(since) if isinstance(since, (int, float)) else None,
            base=FileVersion.from_json(payload.get("base")),
            base_text=base_text if isinstance(base_text, str) else None,
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def iter_elements(case: Case) -> Iterator[ElementRef]:
    """Every element of the case, in file order."""
    for kind, section in SECTIONS.items():
        for n, item in enumerate(getattr(case, section)):
            yield ElementRef(kind, str(n) if kind == "journey" else item.id)
