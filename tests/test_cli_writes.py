"""Every command that writes a file goes through the shared writer (issue 10, items 1, 2, 11, 18, 19).

``schema -o``, ``new``, ``cases copy``, ``export`` and ``review`` refuse an existing file
without ``--force``, replace a link instead of writing through it, never
write into the sample library, give a clear error and exit code 1 (never a
traceback) for a destination that cannot be written, refuse a second writer
of the same files while the first is at work, and clean up the temporary
files a killed writer left.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import exports.writer
import kafka_tool.cli
import kafka_tool.library
from kafka_tool.cli import cli
from kafka_tool.files import lock_targets
from kafka_tool.loader import load_case

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "cases" / "status-holder-bsn-bank-house.yaml"
NAME = SAMPLE.stem


def run(*args: str | Path, cwd: Path | None = None) -> Result:
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, [str(a) for a in args])
    finally:
        os.chdir(old)
    # Errors are messages, never tracebacks.
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A sample library of one case, in a temporary folder."""
    folder = tmp_path / "library"
    folder.mkdir()
    shutil.copyfile(SAMPLE, folder / SAMPLE.name)
    monkeypatch.setattr(kafka_tool.library, "library_dir", lambda: folder)
    monkeypatch.setattr(kafka_tool.cli, "library_dir", lambda: folder)
    return folder


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


#: Each command that writes one file, as the arguments that write ``target``.
COMMANDS = {
    "schema": lambda target: ["schema", "-o", target],
    "new": lambda target: ["new", target],
    "cases copy": lambda target: ["cases", "copy", NAME, target],
    "export": lambda target: ["export", SAMPLE, "--format", "dot", "-o", target],
    "review": lambda target: ["review", SAMPLE, "-o", target],
}


def _write(command: str, target: Path, *extra: str) -> Result:
    return run(*COMMANDS[command](target), *extra, cwd=target.parent if target.parent.is_dir() else None)


# ---------------------------------------------------------------- item 1: no overwriting without --force


def test_schema_refuses_to_overwrite_an_existing_file(tmp_path: Path) -> None:
    mine = tmp_path / "my-case.yaml"
    mine.write_text("id: precious\n", encoding="utf-8")
    result = run("schema", "-o", mine)
    assert result.exit_code == 2
    assert f"{mine} exists; pass --force to overwrite it" in result.output
    assert mine.read_text(encoding="utf-8") == "id: precious\n"
    assert run("schema", "-o", mine, "--force").exit_code == 0
    assert mine.read_text(encoding="utf-8").startswith("{")


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_writing_command_refuses_an_existing_file(library: Path, tmp_path: Path, command: str) -> None:
    target = tmp_path / "taken.dot"
    target.write_text("mine\n", encoding="utf-8")
    result = _write(command, target)
    assert result.exit_code in (1, 2) and "--force" in result.output
    assert target.read_text(encoding="utf-8") == "mine\n"
    assert _write(command, target, "--force").exit_code == 0
    assert target.read_text(encoding="utf-8") != "mine\n"


# ---------------------------------------------------------------- item 2: links, the library, atomic copies


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_dangling_link_at_the_destination_never_creates_its_target(
    library: Path, tmp_path: Path, command: str
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    pointed = elsewhere / "target.dot"
    link = tmp_path / "link.dot"
    link.symlink_to(pointed)
    result = _write(command, link)
    assert result.exit_code in (1, 2) and "exists" in result.output
    assert not pointed.exists() and link.is_symlink()
    assert _write(command, link, "--force").exit_code == 0
    assert not link.is_symlink() and link.is_file()  # the link was replaced by the file
    assert not pointed.exists() and list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("command", list(COMMANDS))
def test_force_over_a_link_replaces_the_link_and_leaves_its_target_alone(
    library: Path, tmp_path: Path, command: str
) -> None:
    precious = tmp_path / "precious.dot"
    precious.write_text("do not touch\n", encoding="utf-8")
    link = tmp_path / "link.dot"
    link.symlink_to(precious)
    assert _write(command, link, "--force").exit_code == 0
    assert not link.is_symlink()
    assert precious.read_text(encoding="utf-8") == "do not touch\n"


@pytest.mark.parametrize(
    "args",
    [
        lambda lib: ["cases", "copy", NAME, lib, "--force"],
        lambda lib: ["cases", "copy", NAME, lib / "second.yaml"],
        lambda lib: ["new", lib / "mine.yaml"],
        lambda lib: ["schema", "-o", lib / "schema.json"],
        lambda lib: ["export", SAMPLE, "--format", "dot", "-o", lib],
        lambda lib: ["export", SAMPLE, "--format", "csv", "-o", lib / "new-folder/"],
    ],
    ids=["copy-onto-itself", "copy-into", "new", "schema", "export", "export-new-folder"],
)
def test_nothing_is_written_into_the_sample_library(library: Path, args) -> None:  # type: ignore[no-untyped-def]
    before = _snapshot(library)
    result = run(*args(library))
    assert result.exit_code == 1
    assert "sample case library" in result.stderr and str(library) in result.stderr
    assert _snapshot(library) == before


def test_cases_copy_replaces_the_file_by_renaming_a_complete_copy(library: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy.yaml"
    target.write_text("old\n", encoding="utf-8")
    with target.open(encoding="utf-8") as old:  # a reader of the old file keeps seeing all of it
        assert run("cases", "copy", NAME, target, "--force").exit_code == 0
        assert old.read() == "old\n"
    assert target.read_bytes() == SAMPLE.read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_failed_copy_leaves_the_destination_as_it_was(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "copy.yaml"
    target.write_text("old\n", encoding="utf-8")

    def full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = run("cases", "copy", NAME, target, "--force")
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.yaml", "library"]


# ---------------------------------------------------------------- item 11: unwritable destinations


def _under_a_file(tmp_path: Path) -> Path:
    (tmp_path / "plain.txt").write_text("a file, not a folder\n", encoding="utf-8")
    return tmp_path / "plain.txt" / "out.dot"


DESTINATIONS = {
    "under-a-file": _under_a_file,
    "missing-folder": lambda tmp_path: tmp_path / "missing" / "out.dot",
    "proc": lambda tmp_path: Path("/proc/kafka-tool-test-out.dot"),
}


@pytest.mark.parametrize("where", list(DESTINATIONS))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_an_unwritable_destination_is_a_clear_error_with_exit_code_1(
    library: Path, tmp_path: Path, command: str, where: str
) -> None:
    target = DESTINATIONS[where](tmp_path)
    result = run(*COMMANDS[command](target), "--force")
    assert result.exit_code == 1, result.output
    assert str(target.parent) in result.stderr
    assert not target.exists()


def test_export_where_a_folder_stands_in_the_way_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "status-holder-bsn-bank-house.dot").mkdir()
    result = run("export", SAMPLE, "--format", "dot", "-o", f"{tmp_path}/", "--force")
    assert result.exit_code == 1 and "is a folder" in result.stderr


def test_permission_denied_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may run as root, whom a read-only folder does not stop: the refusal is simulated.
    import tempfile

    def denied(*_: object, **__: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    result = run("new", tmp_path / "case.yaml")
    assert result.exit_code == 1
    assert f"cannot write {tmp_path / 'case.yaml'}: Permission denied" in result.stderr


# ---------------------------------------------------------------- item 18: one writer at a time


def test_an_export_to_files_another_writer_holds_fails_at_once(tmp_path: Path) -> None:
    target = tmp_path / "diagram.dot"
    with lock_targets([target]):
        result = run("export", SAMPLE, "--format", "dot", "-o", target)
    assert result.exit_code == 1
    assert f"another kafka-tool is writing {target} right now" in result.stderr
    assert not target.exists()
    assert run("export", SAMPLE, "--format", "dot", "-o", target).exit_code == 0


@pytest.fixture
def slow_render(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Rendering waits until the event is set: an export that is still at work."""
    release = threading.Event()
    started = threading.Event()

    def render(source: str, fmt: str, timeout: float = 120) -> bytes:
        started.set()
        release.wait(30)
        return b"<svg>first</svg>"

    monkeypatch.setattr(exports.writer, "render", render)
    release.started = started  # type: ignore[attr-defined]
    yield release
    release.set()


def test_two_exports_to_the_same_path_at_once_do_not_both_write(
    tmp_path: Path, slow_render: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "diagram.svg"
    first: list[object] = []
    thread = threading.Thread(target=lambda: first.append(exports.writer.export(SAMPLE, "svg", target)))
    thread.start()
    assert slow_render.started.wait(30)  # type: ignore[attr-defined]
    second = run("export", SAMPLE, "--format", "svg", "-o", target, "--force")
    slow_render.set()
    thread.join(30)
    assert second.exit_code == 1 and "another kafka-tool is writing" in second.stderr
    assert "wrote" not in second.stderr
    assert first == [[target]]
    assert target.read_bytes() == b"<svg>first</svg>"


def test_a_markdown_report_and_its_diagram_folder_are_locked_together(
    tmp_path: Path, slow_render: threading.Event
) -> None:
    first: list[object] = []
    thread = threading.Thread(target=lambda: first.append(exports.writer.export(SAMPLE, "md", tmp_path / "r.md")))
    thread.start()
    assert slow_render.started.wait(30)  # type: ignore[attr-defined]
    with (
        pytest.raises(OSError, match=r"another kafka-tool is writing .*r-diagrams"),
        lock_targets([tmp_path / "r-diagrams"]),
    ):
        pass
    slow_render.set()
    thread.join(30)
    assert first and (tmp_path / "r.md").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".lock")]


# ---------------------------------------------------------------- item 19: stale temporary files


def _leftover(path: Path, age: float) -> Path:
    """A temporary file written ``age`` seconds ago."""
    path.write_text("partial", encoding="utf-8")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_stale_temporary_files_of_a_file_are_removed_when_it_is_next_written(tmp_path: Path) -> None:
    names = {
        ".case.yaml.123.tmp": 600,  # a killed save of case.yaml: removed
        ".case.yaml.k3x_9ab.tmp": 600,  # removed too (mkstemp's own naming)
        ".case.yaml.456.tmp": 5,  # young: perhaps another program's live save, kept
        ".other.yaml.123.tmp": 600,  # another file's: kept
        ".case.yaml.123.tmp.keep": 600,  # not our naming: kept
    }
    for name, age in names.items():
        _leftover(tmp_path / name, age)
    assert run("new", tmp_path / "case.yaml").exit_code == 0
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([".case.yaml.456.tmp", ".other.yaml.123.tmp", ".case.yaml.123.tmp.keep", "case.yaml"])


def test_saving_a_case_in_the_editor_cleans_up_too(tmp_path: Path) -> None:
    from kafka_tool.document import CaseDocument

    path = tmp_path / "mine.yaml"
    shutil.copyfile(SAMPLE, path)
    stale = _leftover(tmp_path / ".mine.yaml.x1.tmp", 3600)
    document = CaseDocument.open(path)
    document.save(load_case(path).model_copy(update={"title": "Edited"}))
    assert not stale.exists()
    assert load_case(path).title == "Edited"
