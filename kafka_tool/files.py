"""Writing files: the one writer every command and screen of kafka-tool uses.

Every file the tool writes (a saved case, ``new``, ``cases copy``, ``schema -o``,
every export, class notes, recent and recovery files) goes through
:func:`write_bytes`, which

- writes atomically: the data goes to a temporary file in the target's folder
  (``.NAME.XXXXXXXX.tmp``), is flushed to disk and renamed over the target, so
  that a crash never leaves a half-written file;
- keeps the mode of the file it replaces; a new file gets what any other new
  file would get (0666 less the umask), not the temporary file's private 0600;
- refuses an existing target unless ``overwrite`` is given (the command line's
  ``--force``);
- replaces a symbolic link at the target instead of writing through it: a
  link never makes the tool write where it points, and a dangling link never
  creates its target;
- refuses, when asked to (``protect_library``, which the command line turns on),
  to write into the sample case library that comes with the tool;
- takes an exclusive lock on the target (a lock file ``.NAME.kafka-tool.lock``
  beside it, held with ``flock``, removed afterwards) so that two writers of the
  same file at once cannot both succeed: the second fails with
  :class:`TargetBusy` at once rather than waiting;
- refuses, when given the version of the file that was read (``expect``), to
  replace a file that changed on disk since: the content is compared under the
  lock, right before writing, and a :class:`~kafka_tool.versions.FileChanged`
  says so;
- removes temporary files of its own naming for the same target that a killed
  writer left behind, once they are older than :data:`STALE_TEMPORARY_SECONDS`
  (the lock says no other kafka-tool is writing that file; the age keeps clear
  of any other program that might be);
- turns every reason a destination cannot be written (a missing folder, a path
  under a regular file, no permission, ``/proc``, a folder where the file should
  be, the source itself) into a :class:`FileWriteError` that says which.

:class:`FileWriteError` is a :class:`~kafka_tool.errors.KafkaToolError` and an
:class:`OSError`, so code that already caught ``OSError`` around a save keeps
working.

Examples
--------
>>> import shutil, tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> write_text(folder / "notes.md", "# Notes").name
'notes.md'
>>> write_text(folder / "notes.md", "again")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
kafka_tool.files.TargetExists: ...notes.md exists; pass --force to overwrite it
>>> (folder / "notes.md").read_text()
'# Notes'
>>> shutil.rmtree(folder)
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import KafkaToolError
from .i18n import phrase
from .versions import FileChanged, FileVersion, version_on_disk

__all__ = [
    "STALE_TEMPORARY_SECONDS",
    "FileWriteError",
    "TargetBusy",
    "TargetExists",
    "WriteLock",
    "atomic_write_bytes",
    "atomic_write_text",
    "check_folder",
    "check_outside_library",
    "check_target",
    "copy_file",
    "lock_targets",
    "make_folder",
    "write_bytes",
    "write_text",
]

#: A temporary file of the tool's naming older than this (seconds) is left over from a killed writer.
STALE_TEMPORARY_SECONDS = 60.0

PathLike = str | os.PathLike[str]


class FileWriteError(KafkaToolError, OSError):
    """A destination that cannot be written, and why (the message says it in words)."""

    def __init__(self, path: PathLike, message: str) -> None:
        # The message is a phrase of the catalogue: English as text, said in a language by say().
        super().__init__(message)
        self.path = Path(path)

    def __str__(self) -> str:
        return str(self.args[0])


class TargetExists(FileWriteError):
    """The target exists and overwriting was not asked for."""

    def __init__(self, path: PathLike) -> None:
        super().__init__(path, phrase("{path} exists; pass --force to overwrite it", path=path))


class TargetBusy(FileWriteError):
    """Another kafka-tool is writing the same file right now."""

    def __init__(self, path: PathLike) -> None:
        super().__init__(path, phrase(
            "another kafka-tool is writing {path} right now; wait until it has finished, then try again", path=path))


def _read_umask() -> int:
    # /proc says it without changing it; os.umask can only read it by setting it, which a
    # thread writing a file at the same moment would see.
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: Read once, at import, while the program is still single-threaded.
_UMASK = _read_umask()


def _folder_of(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _reason(error: OSError) -> str:
    """An operating system error in words (the system's own, where they are clear)."""
    if error.errno == errno.ENOTDIR:
        return phrase("part of the path is a file, not a folder")
    if error.errno == errno.EISDIR:
        return phrase("it is a folder")
    return error.strerror or str(error)


def _error(path: Path, error: OSError) -> FileWriteError:
    """``error``, met while writing ``path``, as a :class:`FileWriteError`."""
    if isinstance(error, FileWriteError):
        return error
    folder = _folder_of(path)
    if error.errno == errno.ENOENT and folder.is_dir():
        # The folder is there but will not take a new file: /proc, /sys and the like.
        return FileWriteError(path, phrase("cannot write {path}: the folder {folder} does not take new files",
                                           path=path, folder=folder))
    if error.errno == errno.ENOENT:
        return FileWriteError(path, phrase("cannot write {path}: the folder {folder} does not exist", path=path,
                                           folder=folder))
    return FileWriteError(path, phrase("cannot write {path}: {reason}", path=path, reason=_reason(error)))


def check_outside_library(path: PathLike) -> Path:
    """``path`` (a file to write, existing or not), or a :class:`FileWriteError` when it is in the sample library.

    The library is :func:`kafka_tool.library.library_dir`, links resolved.
    """
    target = Path(path)
    _refuse_library(target)
    return target


def _refuse_library(target: Path) -> None:
    """Refuse a target inside the installed sample library."""
    from .library import LibraryError, library_dir

    try:
        library = os.path.realpath(library_dir())
    except LibraryError:  # no library installed: nothing to protect
        return
    folder = os.path.realpath(_folder_of(target))
    if folder == library or folder.startswith(library.rstrip(os.sep) + os.sep):
        raise FileWriteError(target, phrase(
            "refusing to write {path}: {library} is the sample case library that comes with kafka-tool; write your "
            "own files somewhere else (`kafka-tool cases copy NAME DEST` copies a sample to work on)",
            path=target, library=library))


def check_target(
    path: PathLike,
    *,
    overwrite: bool = False,
    protect_library: bool = False,
    source: PathLike | None = None,
) -> Path:
    """Check that ``path`` may be written, without writing it; the path, or an error saying why not.

    Raises :class:`TargetExists` for an existing target (a dangling symbolic link
    counts) unless ``overwrite``, and :class:`FileWriteError` when the folder is
    missing or is not a folder, the target is a folder, the target is the file
    ``source`` itself, or (with ``protect_library``) the target is in the sample
    library. :func:`write_bytes` checks again when it writes, under its lock.
    """
    target = Path(path)
    if protect_library:
        _refuse_library(target)
    _check_folder(_folder_of(target), phrase("cannot write {path}", path=target))
    try:
        found = os.lstat(target)  # the link itself, never where it points
    except FileNotFoundError:
        return target
    except OSError as error:
        raise _error(target, error) from None
    if stat.S_ISDIR(found.st_mode):
        raise FileWriteError(target, phrase("cannot write {path}: {reason}", path=target,
                                            reason=phrase("it is a folder")))
    if source is not None:
        try:
            original = os.stat(source)
        except OSError:  # reading it will say what is wrong
            original = None
        if original is not None and (original.st_dev, original.st_ino) == (found.st_dev, found.st_ino):
            raise FileWriteError(target, phrase("cannot copy {source} onto itself ({path} is the same file)",
                                                source=source, path=target))
    if not overwrite:
        raise TargetExists(target)
    return target


def check_folder(path: PathLike) -> Path:
    """``path``, or a :class:`FileWriteError` when it is not an existing folder (saying what it is)."""
    folder = Path(path)
    _check_folder(folder, phrase("cannot write into {folder}", folder=folder))
    return folder


def _check_folder(folder: Path, doing: str) -> None:
    try:
        mode = os.stat(folder).st_mode
    except FileNotFoundError:
        raise FileWriteError(folder, phrase("{doing}: the folder {folder} does not exist", doing=doing,
                                            folder=folder)) from None
    except NotADirectoryError:
        raise FileWriteError(folder, phrase("{doing}: {file} is a file, not a folder", doing=doing,
                                            file=_file_in(folder))) from None
    except OSError as error:
        raise FileWriteError(folder, phrase("{doing}: {reason}", doing=doing, reason=_reason(error))) from None
    if not stat.S_ISDIR(mode):
        raise FileWriteError(folder, phrase("{doing}: {file} is a file, not a folder", doing=doing, file=folder))


def _file_in(path: Path) -> Path:
    """The first part of ``path`` that is a file (where a folder was expected)."""
    for parent in reversed(path.parents):
        if parent.is_file():
            return parent
    return path


# ---------------------------------------------------------------- locks


def _absolute(path: PathLike) -> Path:
    # Not resolve(): a link at the target is replaced, so its own name is what is locked.
    return Path(os.path.abspath(path))


@dataclass(frozen=True)
class WriteLock:
    """The targets :func:`lock_targets` holds.

    A folder's name can be locked too (a Markdown report's diagram folder): that
    keeps out whoever locks the same name, that is another export of the same
    report; each file written inside still takes its own lock as it is written.
    """

    paths: tuple[Path, ...]

    def holds(self, path: PathLike) -> bool:
        """Whether ``path`` itself is locked."""
        return _absolute(path) in self.paths

    def covers(self, path: PathLike) -> bool:
        """Whether ``path`` is locked, or lies in a folder whose name is."""
        target = _absolute(path)
        return any(target == held or target.is_relative_to(held) for held in self.paths)


def _lock_file(target: Path) -> Path:
    return _folder_of(target) / f".{target.name}.kafka-tool.lock"


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _acquire(target: Path) -> tuple[int, Path]:
        lock = _lock_file(target)
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as error:
            raise _error(target, error) from None
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            os.close(fd)
            raise TargetBusy(target) from None
        return fd, lock

    def _release(fd: int, lock: Path) -> None:
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        os.close(fd)
        with contextlib.suppress(OSError):  # another writer may hold it open: it stays, empty
            os.unlink(lock)

else:
    import fcntl

    def _acquire(target: Path) -> tuple[int, Path]:
        lock = _lock_file(target)
        while True:
            try:
                # Read-only is enough for flock, and lets the lock file of another user be shared.
                fd = os.open(lock, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o666 & ~_UMASK)
            except OSError as error:
                raise _error(target, error) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise TargetBusy(target) from None
            except OSError:  # a file system without locks: the write is still atomic
                return fd, lock
            # The writer before us removes the lock file as it leaves: if it did so between our
            # open and our flock, we hold a lock nobody else can see; open the new one instead.
            try:
                current = os.stat(lock)
            except FileNotFoundError:
                os.close(fd)
                continue
            opened = os.fstat(fd)
            if (current.st_dev, current.st_ino) == (opened.st_dev, opened.st_ino):
                return fd, lock
            os.close(fd)

    def _release(fd: int, lock: Path) -> None:
        # Removed while still locked, so that nobody can lock the old file after we let go.
        with contextlib.suppress(OSError):
            os.unlink(lock)
        os.close(fd)


@contextlib.contextmanager
def lock_targets(paths: Iterable[PathLike]) -> Iterator[WriteLock]:
    """Hold the write locks of ``paths`` (files, or folder names that cover the files inside).

    Raises :class:`TargetBusy` at once when another writer holds one of them,
    and :class:`FileWriteError` when a lock cannot be made (its folder must
    exist). A write of a locked path given the returned lock (``lock=``) does
    not lock it again.

    Examples
    --------
    >>> import shutil, tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> with lock_targets([folder / "a.svg"]) as lock:
    ...     with lock_targets([folder / "a.svg"]):  # doctest: +ELLIPSIS
    ...         pass
    Traceback (most recent call last):
    ...
    kafka_tool.files.TargetBusy: another kafka-tool is writing ...a.svg right now; ...
    >>> shutil.rmtree(folder)
    """
    # One order for everyone, so that no two writers deadlock; messages name paths as given.
    given = {_absolute(p): Path(p) for p in paths}
    targets = sorted(given)
    held: list[tuple[int, Path]] = []
    try:
        for target in targets:
            held.append(_acquire(given[target]))
        yield WriteLock(tuple(targets))
    finally:
        for fd, lock in reversed(held):
            _release(fd, lock)


# ---------------------------------------------------------------- writing


def _remove_stale_temporaries(folder: Path, name: str) -> None:
    """Remove ``.NAME.*.tmp`` files of ours that a killed writer left (called under the lock)."""
    pattern = re.compile(re.escape(f".{name}.") + r"[A-Za-z0-9_]+\.tmp")
    now = time.time()
    try:
        entries = os.scandir(folder)
    except OSError:
        return
    with entries:
        for entry in entries:
            if not pattern.fullmatch(entry.name):
                continue
            try:
                found = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISREG(found.st_mode) and now - found.st_mtime > STALE_TEMPORARY_SECONDS:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _mode_for(target: Path) -> int:
    """The mode the written file gets: the replaced file's, or a new file's."""
    with contextlib.suppress(OSError):
        found = os.lstat(target)
        if stat.S_ISREG(found.st_mode):
            return found.st_mode & 0o7777
    return 0o666 & ~_UMASK


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (where the platform allows opening a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write(
    target: Path, data: bytes, overwrite: bool, protect_library: bool, source: PathLike | None,
    expect: FileVersion | None = None,
) -> None:
    folder = _folder_of(target)
    # Again, under the lock: the file may have appeared since the caller last looked.
    check_target(target, overwrite=overwrite, protect_library=protect_library, source=source)
    if expect is not None:
        _check_unchanged(target, expect)
    _remove_stale_temporaries(folder, target.name)
    mode = _mode_for(target)
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise _error(target, error) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        if overwrite:
            os.replace(temp, target)  # replaces a link at the target, never what it points to
        else:
            _create(temp, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise _error(target, error) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _sync_folder(folder)


def _check_unchanged(target: Path, expect: FileVersion) -> None:
    """Refuse to replace ``target`` unless it still holds the content of ``expect`` (read again, not stat'ed:
    an editor can write a file of the same size within the same tick of the clock)."""
    now = version_on_disk(target, expect, thorough=True)
    if now is None:
        raise FileWriteError(target, phrase("cannot write {path}: it cannot be read to check that it did not change",
                                            path=target))
    if not expect.same_content(now):
        raise FileChanged(target, expect, now)


def _create(temp: str, target: Path) -> None:
    """Move ``temp`` to ``target``, which must not exist: a hard link fails if anything took the name."""
    try:
        os.link(temp, target, follow_symlinks=False)
    except FileExistsError:
        raise TargetExists(target) from None
    except OSError:  # a file system without hard links: the check under the lock has to do
        if os.path.lexists(target):
            raise TargetExists(target) from None
        os.replace(temp, target)
        return
    os.unlink(temp)


def write_bytes(
    path: PathLike,
    data: bytes,
    *,
    overwrite: bool = False,
    protect_library: bool = False,
    source: PathLike | None = None,
    lock: WriteLock | None = None,
    expect: FileVersion | None = None,
) -> Path:
    """Write ``data`` to ``path`` atomically, by the rules of this module; returns the path.

    ``overwrite`` allows replacing an existing file (or link); ``protect_library``
    refuses the sample library; ``source`` names the file the data was read
    from (writing onto it is refused). ``lock`` is a :func:`lock_targets` lock
    the caller already holds for ``path``; without it the write takes its own.
    ``expect`` is the version of ``path`` the data was made from: when the file
    holds anything else by the time the lock is held (or is gone), nothing is
    written and :class:`~kafka_tool.versions.FileChanged` is raised.
    """
    target = Path(path)
    if lock is not None and lock.holds(target):
        _write(target, data, overwrite, protect_library, source, expect)
        return target
    # Checked before the lock too: a missing folder is best said as such, not as a lock that cannot be made.
    check_target(target, overwrite=overwrite, protect_library=protect_library, source=source)
    with lock_targets([target]):
        _write(target, data, overwrite, protect_library, source, expect)
    return target


def write_text(
    path: PathLike,
    text: str,
    *,
    overwrite: bool = False,
    protect_library: bool = False,
    lock: WriteLock | None = None,
) -> Path:
    """Write ``text`` as UTF-8 to ``path``; see :func:`write_bytes`."""
    return write_bytes(path, text.encode("utf-8"), overwrite=overwrite, protect_library=protect_library, lock=lock)


def copy_file(source: PathLike, target: PathLike, *, overwrite: bool = False, protect_library: bool = False) -> Path:
    """Copy the file ``source`` to ``target`` through :func:`write_bytes` (atomically, never onto itself)."""
    try:
        data = Path(source).read_bytes()
    except OSError as error:
        raise FileWriteError(target, phrase("cannot read {source}: {reason}", source=source,
                                            reason=_reason(error))) from None
    return write_bytes(target, data, overwrite=overwrite, protect_library=protect_library, source=source)


def make_folder(path: PathLike) -> Path:
    """Make the folder ``path`` (and its parents) if need be; a :class:`FileWriteError` when it cannot be."""
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise FileWriteError(folder, phrase("cannot make the folder {folder}: a file of that name is in the way",
                                            folder=folder)) from None
    except OSError as error:
        # ENOENT with the parent there: /proc and the like, which take no new entries.
        reason = (phrase("{folder} does not take new folders", folder=folder.parent) if error.errno == errno.ENOENT
                  else _reason(error))
        if error.errno == errno.ENOTDIR:
            reason = phrase("{file} is a file, not a folder", file=_file_in(folder))
        raise FileWriteError(folder, phrase("cannot make the folder {folder}: {reason}", folder=folder,
                                            reason=reason)) from None
    return folder


def atomic_write_bytes(path: PathLike, data: bytes, *, expect: FileVersion | None = None) -> Path:
    """Write ``data`` to ``path`` atomically, replacing what is there (a save of the user's own file).

    :func:`write_bytes` with ``overwrite=True``: the same temporary file,
    rename, kept mode, link replacement, lock and clean-up; ``expect`` as there.
    """
    return write_bytes(path, data, overwrite=True, expect=expect)


def atomic_write_text(path: PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically, replacing what is there; see :func:`atomic_write_bytes`."""
    return atomic_write_bytes(path, text.encode("utf-8"))
