"""The editing model behind the terminal interface, in plain Python.

Nothing here imports Textual, so the rules of editing (what an undo restores,
what a rename touches, what a delete leaves behind) are unit-testable on
their own:

- :class:`EditSession`: the open case, its :class:`~kafka_tool.document.CaseDocument`,
  and an undo/redo stack of case snapshots;
- :func:`rename_id` and :func:`delete_element`: edits that keep every
  reference in the case consistent, and :func:`referrers` to say what refers
  to an element before it goes;
- :class:`StateDir`: recent files and recovery files under
  ``$XDG_STATE_HOME/kafka-tool`` (or ``~/.local/state/kafka-tool``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kafka_tool.document import CaseDocument
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
    "rename_id",
    "replace_element",
    "with_element",
]

#: Element kinds and the section of the case that holds them, in file order.
SECTIONS: dict[str, str] = {
    "actor": "actors",
    "document": "documents",
    "rule": "rules",
    "touchpoint": "touchpoints",
    "persona": "personas",
    "journey": "journeys",
    "intervention": "interventions",
}

#: What a removed reference becomes: the enclosing item goes too.
_DROP = object()


@dataclass(frozen=True)
class ElementRef:
    """One element of a case: its kind and its id (a journey: its index, as text)."""

    kind: str
    key: str

    @property
    def section(self) -> str:
        """The top-level section of the case holding this element."""
        return SECTIONS[self.kind]


@dataclass(frozen=True)
class Reference:
    """A place in the case that refers to an element id, described for people."""

    kind: str
    owner: str
    field: str

    def __str__(self) -> str:
        return f"{self.kind} '{self.owner}' ({self.field})"


# ---------------------------------------------------------------- walking references


def _walk_list(values: list[Any], fn: Callable[[Any], Any]) -> list[Any]:
    out = []
    for value in values:
        new = fn(value)
        if new is not _DROP:
            out.append(new)
    return out


def _walk_touchpoint(tp: dict[str, Any], visit: Callable[[str, Any], Any]) -> Any:
    """Apply ``visit(field, id)`` to every reference of a touchpoint; may return _DROP."""
    if "actor" in tp and tp["actor"] is not None:
        new = visit("actor", tp["actor"])
        tp["actor"] = None if new is _DROP else new
    for key in ("rules", "produces", "refers_to", "fetches"):
        if key in tp:
            tp[key] = _walk_list(tp[key], lambda v, key=key: visit(key, v))
    if "requires" in tp:
        items = []
        for item in tp["requires"]:
            if isinstance(item, str):
                new = visit("requires", item)
                if new is not _DROP:
                    items.append(new)
                continue
            item = dict(item)
            if "rule" in item and item["rule"] is not None:
                new = visit("requires (rule)", item["rule"])
                if new is _DROP:
                    del item["rule"]
                else:
                    item["rule"] = new
            if "doc" in item:
                new = visit("requires", item["doc"])
                if new is _DROP:
                    continue
                item["doc"] = new
            if "any_of" in item:
                item["any_of"] = _walk_list(item["any_of"], lambda v: visit("requires", v))
                if not item["any_of"]:
                    continue
            items.append(item)
        tp["requires"] = items
    return tp


def _walk_change(change: dict[str, Any], visit: Callable[[str, Any], Any]) -> Any:
    ((kind, args),) = change.items()
    if kind == "remove_touchpoint":
        new = visit(kind, args)
        return _DROP if new is _DROP else {kind: new}
    if kind == "add_touchpoint":
        args = dict(args)
        new_id = visit(kind, args["id"])
        if new_id is _DROP:
            return _DROP
        args["id"] = new_id
        return {kind: _walk_touchpoint(args, lambda f, v: visit(f"{kind}.{f}", v))}
    args = dict(args)
    for key in ("touchpoint", "document", "rule", "to", "actor"):
        if key in args and args[key] is not None:
            new = visit(f"{kind}.{key}", args[key])
            if new is _DROP:
                if key in ("rule",) and kind != "set_when":
                    del args[key]
                else:
                    return _DROP
            else:
                args[key] = new
    if "any_of" in args and args["any_of"] is not None:
        args["any_of"] = _walk_list(args["any_of"], lambda v: visit(f"{kind}.any_of", v))
        if not args["any_of"]:
            return _DROP
    return {kind: args}


def _walk(data: dict[str, Any], visit: Callable[[str, str, str, Any], Any]) -> dict[str, Any]:
    """Visit every reference in case data: ``visit(kind, owner, field, id)`` returns the new id or _DROP."""
    for rule in data.get("rules", []):
        if rule.get("owner") is not None:
            new = visit("rule", rule["id"], "owner", rule["owner"])
            if new is _DROP:
                del rule["owner"]
            else:
                rule["owner"] = new
        if "conflicts_with" in rule:
            rule["conflicts_with"] = _walk_list(
                rule["conflicts_with"], lambda v, r=rule: visit("rule", r["id"], "conflicts_with", v)
            )
    for tp in data.get("touchpoints", []):
        _walk_touchpoint(tp, lambda f, v, t=tp: visit("touchpoint", t["id"], f, v))
    for persona in data.get("personas", []):
        for key in ("has", "goals"):
            if key in persona:
                persona[key] = _walk_list(persona[key], lambda v, p=persona, k=key: visit("persona", p["id"], k, v))
    journeys = []
    for n, journey in enumerate(data.get("journeys", [])):
        label = f"{journey.get('persona')} #{n + 1}"
        new = visit("journey", label, "persona", journey["persona"])
        if new is _DROP:
            continue
        journey["persona"] = new
        steps = []
        for step in journey.get("steps", []):
            new = visit("journey", label, "step touchpoint", step["touchpoint"])
            if new is _DROP:
                continue
            step["touchpoint"] = new
            if step.get("to") is not None:
                new = visit("journey", label, "step referred to", step["to"])
                if new is _DROP:
                    del step["to"]
                else:
                    step["to"] = new
            steps.append(step)
        if "steps" in journey:
            journey["steps"] = steps
        journeys.append(journey)
    if "journeys" in data:
        data["journeys"] = journeys
    for intervention in data.get("interventions", []):
        if intervention.get("owner") is not None:
            new = visit("intervention", intervention["id"], "owner", intervention["owner"])
            if new is _DROP:
                del intervention["owner"]
            else:
                intervention["owner"] = new
        if "changes" in intervention:
            intervention["changes"] = _walk_list(
                intervention["changes"],
                lambda c, i=intervention: _walk_change(c, lambda f, v: visit("intervention", i["id"], f, v)),
            )
    return data


def _finding_tokens(finding_id: str) -> list[str]:
    return re.split(r"([/+~])", finding_id)


def _plain_data(case: Case) -> dict[str, Any]:
    return dict(_deep_copy(case.to_data()))


def _deep_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep_copy(v) for v in value]
    return value


def _rebuild(data: dict[str, Any]) -> Case:
    case, issues = validate_data(data)
    if case is None:
        raise ValueError("; ".join(i.message for i in issues))
    return case


def referrers(case: Case, element_id: str) -> list[Reference]:
    """Every place in the case that refers to ``element_id``, in file order."""
    found: list[Reference] = []

    def visit(kind: str, owner: str, field: str, value: Any) -> Any:
        if value == element_id:
            found.append(Reference(kind, owner, field))
        return value

    _walk(_plain_data(case), visit)
    return found


def rename_data(data: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """Case data with the element ``old`` renamed to ``new`` and every reference to it updated.

    Accepted findings whose id mentions ``old`` are renamed too, so that an
    acceptance survives the rename.
    """
    data = _deep_copy(data)
    for section in SECTIONS.values():
        for item in data.get(section, []):
            if isinstance(item, dict) and item.get("id") == old:
                item["id"] = new
    _walk(data, lambda kind, owner, field, value: new if value == old else value)
    for acceptance in data.get("accepted", []):
        tokens = _finding_tokens(str(acceptance.get("finding", "")))
        acceptance["finding"] = "".join(new if t == old else t for t in tokens)
    return data


def rename_id(case: Case, old: str, new: str) -> Case:
    """A copy of ``case`` with ``old`` renamed to ``new`` everywhere it is used.

    Raises ValueError when the result is not a valid case (``new`` already
    taken, or not a slug).
    """
    return _rebuild(rename_data(case.to_data(), old, new))


def delete_element(case: Case, ref: ElementRef) -> Case:
    """A copy of ``case`` without the element, and without every reference to it.

    A list entry that names it is removed; an optional field that names it
    (a touchpoint's actor, a rule's owner) is cleared; a journey of a deleted
    persona, a journey step at a deleted touchpoint and an intervention change
    that needs it are removed.
    """
    data = _deep_copy(case.to_data())
    items = data.get(ref.section, [])
    if ref.kind == "journey":
        del items[int(ref.key)]
        return _rebuild(data)
    data[ref.section] = [item for item in items if item.get("id") != ref.key]
    _walk(data, lambda kind, owner, field, value: _DROP if value == ref.key else value)
    return _rebuild(data)


def element_data(case: Case, ref: ElementRef) -> dict[str, Any]:
    """The element as plain data, in the form it was written."""
    items = case.to_data().get(ref.section, [])
    if ref.kind == "journey":
        return dict(_deep_copy(items[int(ref.key)]))
    return dict(_deep_copy(next(item for item in items if item.get("id") == ref.key)))


def replace_element(data: dict[str, Any], ref: ElementRef | None, kind: str, new: dict[str, Any]) -> dict[str, Any]:
    """Case data with element ``ref`` replaced by ``new`` (or ``new`` appended when ``ref`` is None).

    When the element's id changed, every reference follows (see :func:`rename_data`).
    """
    section = SECTIONS[kind]
    if ref is not None and kind != "journey" and new.get("id") and new["id"] != ref.key:
        data = rename_data(data, ref.key, str(new["id"]))
        ref = ElementRef(kind, str(new["id"]))
    else:
        data = _deep_copy(data)
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
