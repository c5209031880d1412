"""Which version of a file was read, and whether the file on disk is still that version.

A :class:`FileVersion` is what the tool knows of a file it read or wrote: its size, its
modification time and a hash of its content. The size and the time are read with one
``stat`` (cheap enough to ask every few seconds); the hash says whether the content
really changed (a file saved again unchanged, or only touched, is the same version).

- :func:`version_of` the bytes just read or written;
- :func:`read_version`: the file as it is now, its bytes and its version, from one open;
- :func:`disk_change`: the version on disk when it is not the one given (None when it is);
- :class:`FileChanged`: raised by a save that would overwrite a version it has not seen.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> path = Path(tempfile.mkdtemp()) / "case.yaml"
>>> _ = path.write_bytes(b"id: one\\n")
>>> data, loaded = read_version(path)
>>> loaded.size, len(loaded.sha256)
(8, 64)
>>> disk_change(path, loaded) is None
True
>>> _ = path.write_bytes(b"id: two\\n")
>>> disk_change(path, loaded).sha256 == version_of(b"id: two\\n").sha256
True
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .errors import KafkaToolError
from .i18n import words

__all__ = [
    "MISSING",
    "FileChanged",
    "FileVersion",
    "disk_change",
    "read_version",
    "version_of",
    "version_on_disk",
]


@dataclass(frozen=True)
class FileVersion:
    """One version of a file: ``size`` in bytes, ``mtime_ns`` as ``stat`` gives it, and the
    SHA-256 of the content (hex). ``mtime_ns`` is -1 when the time is not known to belong to
    this content (the next look then reads the content)."""

    size: int
    mtime_ns: int
    sha256: str

    def same_content(self, other: FileVersion | None) -> bool:
        """Whether ``other`` holds the same bytes (whatever its time)."""
        return other is not None and other.size == self.size and other.sha256 == self.sha256

    def to_json(self) -> dict[str, Any]:
        """The version as JSON values (for a recovery file)."""
        return {"size": self.size, "mtime_ns": self.mtime_ns, "sha256": self.sha256}

    @classmethod
    def from_json(cls, value: Any) -> FileVersion | None:
        """The version :meth:`to_json` wrote, or None when ``value`` is not one."""
        if not isinstance(value, dict):
            return None
        size, mtime, digest = value.get("size"), value.get("mtime_ns"), value.get("sha256")
        if not (isinstance(size, int) and isinstance(mtime, int) and isinstance(digest, str)):
            return None
        return cls(size, mtime, digest)


#: The "version" of a file that is not there (deleted, or moved away).
MISSING = FileVersion(-1, -1, "")


def version_of(data: bytes, stat: os.stat_result | None = None) -> FileVersion:
    """The version of a file holding ``data``; its time from ``stat`` (taken as the data was read)."""
    mtime = stat.st_mtime_ns if stat is not None and stat.st_size == len(data) else -1
    return FileVersion(len(data), mtime, hashlib.sha256(data).hexdigest())


def read_version(path: str | os.PathLike[str]) -> tuple[bytes, FileVersion]:
    """The bytes of the file at ``path`` and their version, read through one open file.

    Raises :class:`OSError` (``FileNotFoundError`` for a missing file) as ``open`` does.
    """
    with open(path, "rb") as handle:
        before = os.fstat(handle.fileno())
        data = handle.read()
        after = os.fstat(handle.fileno())
    # Written to while it was read: the time does not vouch for these bytes.
    stat = after if (before.st_mtime_ns, before.st_size) == (after.st_mtime_ns, after.st_size) else None
    return data, version_of(data, stat)


def version_on_disk(path: str | os.PathLike[str], known: FileVersion, *, thorough: bool = False) -> FileVersion | None:
    """The version of the file at ``path`` now, looked at as cheaply as ``known`` allows.

    The size and time are compared first: when they are ``known``'s, ``known`` is returned
    without reading the file. Otherwise (or with ``thorough``, as a save does right before
    writing) the content is read and hashed: the same content gives ``known`` with the new
    time (saved again unchanged, or touched); other content its own version. A deleted file
    is :data:`MISSING`; None means the file cannot be looked at now (ask again later).
    """
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return MISSING
    except OSError:
        return None
    if not thorough and known.mtime_ns >= 0 and (found.st_size, found.st_mtime_ns) == (known.size, known.mtime_ns):
        return known
    try:
        _, now = read_version(path)
    except FileNotFoundError:
        return MISSING
    except OSError:
        return None
    return replace(known, mtime_ns=now.mtime_ns) if known.same_content(now) else now


def disk_change(path: str | os.PathLike[str], known: FileVersion, *, thorough: bool = False) -> FileVersion | None:
    """The version of the file at ``path`` when its content is not ``known``'s; None when it is
    (or when the file cannot be looked at now). See :func:`version_on_disk`."""
    now = version_on_disk(path, known, thorough=thorough)
    return None if now is None or known.same_content(now) else now


class FileChanged(KafkaToolError, OSError):
    """A save refused because the file on disk is no longer the version that was read.

    ``expected`` is the version read (or last saved), ``found`` the one on disk now
    (:data:`MISSING` when the file is gone).
    """

    def __init__(self, path: str | os.PathLike[str], expected: FileVersion, found: FileVersion) -> None:
        say = words("en").say
        name = Path(path).name
        if found == MISSING:
            message = say("{name} was deleted or moved since it was opened; nothing was written. "
                          "Save as a copy, or overwrite to write it again.", name=name)
        else:
            message = say("{name} changed on disk since it was opened or last saved; nothing was written. "
                          "Merge the changes, save as a copy, or overwrite them.", name=name)
        super().__init__(message)
        self.path = Path(path)
        self.expected = expected
        self.found = found

    def __str__(self) -> str:
        return str(self.args[0])
