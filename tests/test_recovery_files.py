"""Recovery files that belong to one running interface and know the version they were made on;
unsaved edits merged onto the file as it is on disk (tui/state.py, without Textual)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from kafka_tool.document import CaseDocument
from kafka_tool.library import find_case
from tui.state import EditSession, StateDir, rename_id

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = "status-holder-bsn-bank-house"


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    target = tmp_path / "case.yaml"
    target.write_text(find_case(SAMPLE).read_text(encoding="utf-8"), encoding="utf-8")
    return target


@pytest.fixture
def session(case_file: Path) -> EditSession:
    return EditSession.open(case_file)


def _keep(state: StateDir, session: EditSession, new_id: str = "bank_nl") -> None:
    assert session.path is not None
    case = rename_id(session.case, "bank", new_id)
    state.keep(session.path, case, base=session.document.version, base_text=session.document.text)


def test_two_interfaces_keep_their_own_recovery_files(tmp_path: Path, session: EditSession, case_file: Path) -> None:
    a, b = StateDir(tmp_path / "state"), StateDir(tmp_path / "state")
    _keep(a, session, "bank_a")
    _keep(b, session, "bank_b")
    assert a.recovery_file(case_file) != b.recovery_file(case_file)
    assert len(a.recoveries(case_file)) == 2
    assert [r.case().actor("bank_b") is not None for r in a.elsewhere(case_file)] == [True]  # type: ignore[union-attr]
    assert [r.owner for r in a.offered(case_file)] == [a.owner.name]  # B runs: its edits are not A's to take
    a.discard(case_file)  # A saved: only its own file goes
    assert a.recovery(case_file) is None and b.recovery(case_file) is not None
    (b_recovery,) = a.recoveries(case_file)
    a.discard_recovery(b_recovery)  # refused: B is running
    assert not a.claim(b_recovery, case_file)  # and so is taking them
    assert b.recovery(case_file) is not None and a.recovery(case_file) is None


def test_the_edits_of_an_interface_that_ended_are_offered_and_taken_once(
    tmp_path: Path, session: EditSession, case_file: Path
) -> None:
    b = StateDir(tmp_path / "state")
    _keep(b, session)
    b.close()  # B ends without saving
    a, c = StateDir(tmp_path / "state"), StateDir(tmp_path / "state")
    (offered,) = a.offered(case_file)
    assert not offered.running and offered.owner == b.owner.name and a.elsewhere(case_file) == []
    assert c.offered(case_file)[0].file == offered.file
    assert a.claim(offered, case_file)
    assert not c.claim(offered, case_file)  # taken already: it is A's now
    assert [r.owner for r in c.recoveries(case_file)] == [a.owner.name]
    assert c.offered(case_file) == [] and len(c.elsewhere(case_file)) == 1


def test_a_recovery_file_knows_the_version_it_was_made_on(
    tmp_path: Path, session: EditSession, case_file: Path
) -> None:
    state = StateDir(tmp_path / "state")
    _keep(state, session)
    recovery = state.recovery(case_file)
    assert recovery is not None and recovery.based_on(session.document.version)
    assert recovery.base_case() == session.document.case
    assert recovery.since is not None and recovery.since <= recovery.saved_at
    payload = json.loads(state.recovery_file(case_file).read_text(encoding="utf-8"))
    assert payload["format"] == "kafka-tool-recovery/2"
    assert payload["owner"]["pid"] == os.getpid() and payload["base"]["sha256"] == session.document.version.sha256  # type: ignore[union-attr]
    case_file.write_text(case_file.read_text(encoding="utf-8") + "# edited outside\n", encoding="utf-8")
    assert not recovery.based_on(CaseDocument.open(case_file).version)


def test_a_recovery_file_of_an_older_kafka_tool_is_offered_without_a_base(
    tmp_path: Path, session: EditSession, case_file: Path
) -> None:
    state = StateDir(tmp_path / "state")
    older = state.recovery_file(case_file).with_name(state.recovery_file(case_file).name.split(".")[0] + ".json")
    older.parent.mkdir(parents=True)
    case = rename_id(session.case, "bank", "bank_nl")
    older.write_text(json.dumps({"path": str(case_file.resolve()), "saved_at": 1.0,
                                 "case": case.model_dump(mode="json", by_alias=True, exclude_unset=True)}))
    (recovery,) = state.offered(case_file)
    assert recovery.owner is None and recovery.base is None and not recovery.based_on(session.document.version)
    assert recovery.case() == case and recovery.base_case() is None


def test_another_cases_recovery_files_are_not_this_ones(tmp_path: Path, session: EditSession) -> None:
    state = StateDir(tmp_path / "state")
    other = tmp_path / "case-two.yaml"
    other.write_text(find_case(SAMPLE).read_text(encoding="utf-8"), encoding="utf-8")
    _keep(state, session)
    state.keep(other, session.case)
    assert len(state.recoveries(tmp_path / "case.yaml")) == 1 and len(state.recoveries(other)) == 1


def test_a_killed_interface_leaves_its_edits_to_the_next(tmp_path: Path, case_file: Path) -> None:
    """kill -9: the operating system lets go of the dead interface's marker, so its edits are offered."""
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from tui.state import EditSession, StateDir, rename_id
        session = EditSession.open(Path({str(case_file)!r}))
        state = StateDir(Path({str(tmp_path / "state")!r}))
        state.keep(session.path, rename_id(session.case, "bank", "bank_nl"), base=session.document.version,
                   base_text=session.document.text)
        print("kept", flush=True)
        time.sleep(120)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "kept"
        state = StateDir(tmp_path / "state")
        assert len(state.elsewhere(case_file)) == 1 and state.offered(case_file) == []
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        deadline = time.monotonic() + 10
        while not state.offered(case_file) and time.monotonic() < deadline:
            time.sleep(0.05)
        (offered,) = state.offered(case_file)
        assert offered.case().actor("bank_nl") is not None  # type: ignore[union-attr]
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()


def test_unsaved_edits_merge_onto_the_file_on_disk_keeping_its_comments(
    session: EditSession, case_file: Path
) -> None:
    session.apply(rename_id(session.case, "employer", "employer_nl"), "rename")
    outside = (
        case_file.read_text(encoding="utf-8")
        .replace("documents:\n", "documents:\n  # Proofs, registrations: added in an editor\n", 1)
        .replace("language: en", "language: en\n# a note on the header", 1)
        .replace("{id: bank, name: Bank,", "{id: bank, name: ING,", 1)
    )
    case_file.write_text(outside, encoding="utf-8")
    theirs = CaseDocument.open(case_file)
    merged = session.merge_with(theirs)
    assert merged.merge.conflicts == []
    assert [(c.kind, c.place.key) for c in merged.on_disk] == [("changed", "bank")]
    case, issues = merged.result()
    assert case is not None and not issues
    session.adopt(theirs, case, "merge")
    assert session.modified
    session.save()
    saved = case_file.read_text(encoding="utf-8")
    assert "# Proofs, registrations: added in an editor" in saved and "# a note on the header" in saved
    assert "name: ING" in saved and "employer_nl" in saved and "id: employer," not in saved
    assert session.undo() == "merge"  # back to the edits as they were before the merge
    assert session.case.actor("bank").name == "Bank" and session.case.actor("employer_nl") is not None  # type: ignore[union-attr]
