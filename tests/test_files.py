"""The shared writer, :mod:`kafka_tool.files`, on its own."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

import kafka_tool.library
from kafka_tool.errors import KafkaToolError
from kafka_tool.files import (
    STALE_TEMPORARY_SECONDS,
    FileWriteError,
    TargetBusy,
    TargetExists,
    atomic_write_text,
    check_outside_library,
    copy_file,
    lock_targets,
    make_folder,
    write_bytes,
    write_text,
)


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_a_new_file_gets_the_mode_of_any_new_file(tmp_path: Path) -> None:
    mask = os.umask(0o027)
    os.umask(mask)
    # The writer read the umask when it was imported; compare with a file made the ordinary way.
    (tmp_path / "plain").write_text("x")
    write_text(tmp_path / "written", "x")
    assert _mode(tmp_path / "written") == _mode(tmp_path / "plain")


def test_an_existing_files_mode_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "case.yaml"
    target.write_text("old")
    target.chmod(0o640)
    atomic_write_text(target, "new")
    assert (_mode(target), target.read_text()) == (0o640, "new")


def test_existing_targets_are_refused_unless_overwriting(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    write_text(target, "one")
    with pytest.raises(TargetExists, match="exists; pass --force"):
        write_text(target, "two")
    assert target.read_text() == "one"
    write_text(target, "two", overwrite=True)
    assert target.read_text() == "two"


def test_the_errors_are_the_cores_and_the_operating_systems(tmp_path: Path) -> None:
    # Screens that caught OSError around a save keep catching these.
    assert issubclass(FileWriteError, KafkaToolError) and issubclass(FileWriteError, OSError)
    with pytest.raises(OSError, match="does not exist"):
        write_text(tmp_path / "missing" / "a.txt", "x")


def test_a_file_is_never_copied_onto_itself(tmp_path: Path) -> None:
    source = tmp_path / "a.yaml"
    source.write_text("case")
    os.link(source, tmp_path / "hard.yaml")
    for target in (source, tmp_path / "hard.yaml"):
        with pytest.raises(FileWriteError, match="onto itself"):
            copy_file(source, target, overwrite=True)
    assert source.read_text() == "case"


def test_a_link_to_the_source_is_replaced_by_the_copy(tmp_path: Path) -> None:
    source = tmp_path / "a.yaml"
    source.write_text("case")
    link = tmp_path / "link.yaml"
    link.symlink_to(source)
    copy_file(source, link, overwrite=True)
    assert not link.is_symlink() and link.read_text() == "case" and source.read_text() == "case"


def test_a_folder_at_the_target_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(FileWriteError, match="it is a folder"):
        write_text(tmp_path / "out", "x", overwrite=True)


def test_the_library_is_refused_only_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library = tmp_path / "library"
    library.mkdir()
    monkeypatch.setattr(kafka_tool.library, "library_dir", lambda: library)
    (tmp_path / "to-library").symlink_to(library)
    for target in (library / "a.yaml", tmp_path / "to-library" / "a.yaml", library / "sub" / "b.yaml"):
        with pytest.raises(FileWriteError, match="sample case library"):
            check_outside_library(target)
    with pytest.raises(FileWriteError, match="sample case library"):
        write_text(library / "a.yaml", "x", protect_library=True)
    assert list(library.iterdir()) == []
    # A save of the user's own file (the editor's) is not a command's output: allowed.
    write_text(library / "a.yaml", "x")
    check_outside_library(tmp_path / "elsewhere.yaml")


def test_a_second_writer_of_the_same_file_fails_at_once(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    with lock_targets([target]) as lock:
        assert (tmp_path / ".report.md.kafka-tool.lock").exists()
        with pytest.raises(TargetBusy, match=f"another kafka-tool is writing {target} right now"):
            write_text(target, "second")
        # The holder writes under its own lock; another file in the folder is not held up.
        write_text(target, "first", lock=lock)
        write_text(tmp_path / "other.md", "other")
    assert target.read_text() == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.md", "report.md"]


def test_a_lock_on_a_folder_name_covers_the_files_in_it(tmp_path: Path) -> None:
    with lock_targets([tmp_path / "r-diagrams"]) as lock:
        assert lock.covers(tmp_path / "r-diagrams" / "case.svg")
        assert not lock.covers(tmp_path / "r-diagrams-2" / "case.svg")
        with pytest.raises(TargetBusy), lock_targets([tmp_path / "r-diagrams"]):
            pass  # another export of the same report
        make_folder(tmp_path / "r-diagrams")
        write_text(tmp_path / "r-diagrams" / "case.svg", "<svg/>", lock=lock)
        # The file itself is locked while it is written, like any other.
        with lock_targets([tmp_path / "r-diagrams" / "case.svg"]), pytest.raises(TargetBusy):
            write_text(tmp_path / "r-diagrams" / "case.svg", "<svg/>", overwrite=True, lock=lock)


def test_threads_racing_for_one_file_write_it_once(tmp_path: Path) -> None:
    target = tmp_path / "race.txt"
    start = threading.Barrier(8)
    outcomes: list[str] = []

    def write(n: int) -> None:
        start.wait()
        try:
            write_text(target, f"writer {n}")
            outcomes.append("wrote")
        except (TargetBusy, TargetExists):
            outcomes.append("refused")

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcomes.count("wrote") == 1 and outcomes.count("refused") == 7
    assert sorted(p.name for p in tmp_path.iterdir()) == ["race.txt"]


def test_only_stale_temporaries_of_the_same_file_are_removed(tmp_path: Path) -> None:
    old = tmp_path / ".x.yaml.123.tmp"
    young = tmp_path / ".x.yaml.456.tmp"
    linked = tmp_path / ".x.yaml.789.tmp"
    for path in (old, young):
        path.write_text("partial")
    linked.symlink_to(tmp_path / "keep-me")
    then = os.stat(old).st_mtime - STALE_TEMPORARY_SECONDS - 1
    os.utime(old, (then, then))
    write_bytes(tmp_path / "x.yaml", b"whole")
    assert not old.exists() and young.exists() and linked.is_symlink()


def test_make_folder_says_what_is_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(FileWriteError, match="a file of that name is in the way"):
        make_folder(tmp_path / "file")
    with pytest.raises(FileWriteError, match="is a file, not a folder"):
        make_folder(tmp_path / "file" / "sub")
    assert make_folder(tmp_path / "a" / "b").is_dir()
