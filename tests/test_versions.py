"""The version of a file that was read, and saves that never overwrite a file changed on disk."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import kafka_tool.versions
from kafka_tool.document import CaseDocument
from kafka_tool.files import lock_targets, write_bytes
from kafka_tool.library import find_case
from kafka_tool.versions import MISSING, FileChanged, FileVersion, disk_change, read_version, version_of

SAMPLE = "status-holder-bsn-bank-house"


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    path = tmp_path / "case.yaml"
    path.write_bytes(find_case(SAMPLE).read_bytes())
    return path


def _retitled(document: CaseDocument, title: str = "Edited here") -> object:
    return document.case.model_copy(update={"title": title}, deep=True)


def _edit_outside(path: Path, old: str = "language: en", new: str = "language: en\n# added in an editor") -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_a_document_knows_the_version_it_read(case_file: Path) -> None:
    document = CaseDocument.open(case_file)
    assert document.version == version_of(case_file.read_bytes(), os.stat(case_file))
    assert document.changed_on_disk() is None


def test_a_save_refuses_a_file_changed_on_disk_and_writes_nothing(case_file: Path) -> None:
    document = CaseDocument.open(case_file)
    _edit_outside(case_file)
    outside = case_file.read_bytes()
    with pytest.raises(FileChanged) as caught:
        document.save(_retitled(document))  # type: ignore[arg-type]
    assert case_file.read_bytes() == outside
    assert caught.value.found.same_content(version_of(outside))
    assert "changed on disk" in str(caught.value) and isinstance(caught.value, OSError)
    assert document.changed_on_disk() is not None


def test_overwriting_a_changed_file_is_a_choice(case_file: Path) -> None:
    document = CaseDocument.open(case_file)
    _edit_outside(case_file)
    document.save(_retitled(document), overwrite_changed=True)  # type: ignore[arg-type]
    assert "Edited here" in case_file.read_text(encoding="utf-8")
    assert document.changed_on_disk() is None
    document.save(_retitled(document, "Again"))  # type: ignore[arg-type]  # the new version is the known one


def test_a_file_saved_again_unchanged_or_touched_is_the_same_version(case_file: Path) -> None:
    document = CaseDocument.open(case_file)
    case_file.write_bytes(case_file.read_bytes())
    os.utime(case_file, ns=(1, 1))
    assert document.changed_on_disk() is None
    assert document.version is not None and document.version.mtime_ns == 1  # the time is taken, once
    document.save(_retitled(document))  # type: ignore[arg-type]


def test_a_deleted_file_is_a_change(case_file: Path) -> None:
    document = CaseDocument.open(case_file)
    case_file.unlink()
    assert document.changed_on_disk() == MISSING
    with pytest.raises(FileChanged, match="deleted"):
        document.save(_retitled(document))  # type: ignore[arg-type]
    assert not case_file.exists()


def test_saving_as_a_copy_checks_nothing_of_the_original(case_file: Path, tmp_path: Path) -> None:
    document = CaseDocument.open(case_file)
    _edit_outside(case_file)
    copy = tmp_path / "copy.yaml"
    document.save(_retitled(document), path=copy)  # type: ignore[arg-type]
    assert "Edited here" in copy.read_text(encoding="utf-8")
    assert "# added in an editor" in case_file.read_text(encoding="utf-8")
    assert document.path == copy and document.changed_on_disk() is None


def test_the_check_is_cheap_while_size_and_time_stay(case_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    document = CaseDocument.open(case_file)
    reads: list[object] = []
    original = kafka_tool.versions.read_version
    monkeypatch.setattr(kafka_tool.versions, "read_version", lambda path: reads.append(path) or original(path))
    for _ in range(5):
        assert document.changed_on_disk() is None
    assert reads == []
    _edit_outside(case_file)
    assert document.changed_on_disk() is not None and len(reads) == 1


def test_same_size_same_time_other_content_is_caught_when_saving(case_file: Path) -> None:
    # An editor can write a file of the same size within the same tick of the clock: the save reads it.
    document = CaseDocument.open(case_file)
    stat = os.stat(case_file)
    text = case_file.read_text(encoding="utf-8")
    case_file.write_text(text.replace("language: en", "language: nl", 1), encoding="utf-8")
    os.utime(case_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert document.changed_on_disk() is None  # the cheap look cannot tell
    with pytest.raises(FileChanged):
        document.save(_retitled(document))  # type: ignore[arg-type]


def test_a_file_changed_while_it_was_opened_counts_as_changed(
    case_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kafka_tool.document

    original = kafka_tool.document.read_version

    def edited_in_between(path: str | os.PathLike[str]) -> tuple[bytes, FileVersion]:
        _edit_outside(Path(path))
        return original(path)

    monkeypatch.setattr(kafka_tool.document, "read_version", edited_in_between)
    document = CaseDocument.open(case_file)
    assert "# added in an editor" not in document.text
    assert document.changed_on_disk() is not None


def test_the_writer_checks_the_version_under_its_lock(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_bytes(b"one")
    _, known = read_version(target)
    target.write_bytes(b"two")
    with pytest.raises(FileChanged):
        write_bytes(target, b"three", overwrite=True, expect=known)
    with lock_targets([target]) as lock:
        _, now = read_version(target)
        write_bytes(target, b"three", overwrite=True, expect=now, lock=lock)
    assert target.read_bytes() == b"three"
    assert disk_change(target, now) is not None and disk_change(target, version_of(b"three")) is None


def test_versions_read_back_from_json() -> None:
    version = version_of(b"abc")
    assert FileVersion.from_json(version.to_json()) == version
    assert FileVersion.from_json({"size": "x"}) is None and FileVersion.from_json(None) is None
