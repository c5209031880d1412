"""What the interface does when a case file changes on disk, and when kept edits no longer fit it.

- :class:`DiskWatch`, one for the open case: notices that its file changed (looked at on
  save, on focus and every few seconds; a look is one ``stat`` until something changed),
  reads the file as it is now off the interface thread, and then reloads it (no unsaved
  edits: nothing to lose) or asks (:class:`~tui.screens.changed.ChangedOnDiskModal`):
  merge the unsaved edits onto it, save them as a copy, or overwrite it.
- :class:`RecoveryOffer`: kept edits (a recovery file) offered when a case is opened; when
  the file is no longer the version they were made on, the same choices, and discard.

A merge with conflicts asks for a choice per conflict
(:class:`~tui.screens.changed.ConflictModal`); the merged case is rendered through the
round-trip document of the file as it is now, so its comments stay.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual.app import App

from kafka_tool.document import CaseDocument
from kafka_tool.errors import CaseError, KafkaToolError, said
from kafka_tool.i18n import Words
from kafka_tool.model import Case
from kafka_tool.versions import MISSING, FileVersion

from ..language import interface_words
from ..state import DiskMerge, EditSession, Recovery, StateDir, merge_onto
from .changed import ChangedOnDiskModal, Choice, ConflictModal, change_lines, text_difference
from .confirm import ConfirmModal, MessageModal, write_unless_declined
from .open_file import PathModal

if TYPE_CHECKING:
    from ..app import KafkaApp
    from .case import CaseScreen

__all__ = ["DiskWatch", "RecoveryOffer", "settle_merge"]


def _problem_text(error: Exception, words: Words) -> str:
    if isinstance(error, CaseError) and error.problems:
        first = error.problems[0]
        return f"{first.location()}: {words.say_message(first.message)}"
    return said(error, words)


def settle_merge(
    app: App[Any], merge: DiskMerge, done: Callable[[DiskMerge | None, str], None], words: Words, *,
    kept: bool = False
) -> None:
    """Settle ``merge``: ask for each conflict (if any), then ``done(settled, "")``; ``done(None, "")``
    when the user went back, ``done(None, why)`` when the merged case is not valid. ``kept``: the
    edits are kept ones (a recovery file)."""
    if merge.merge.conflicts:
        app.push_screen(ConflictModal(merge, kept=kept), lambda settled: done(settled, ""))
        return
    case, issues = merge.result()
    if case is None:
        done(None, words.say("Merging gives a case that is not valid: {problem}",
                       problem="; ".join(words.say_message(i.message) for i in issues[:3])))
        return
    done(merge, "")


class DiskWatch:
    """Watches the file of the open case (see the module's docstring)."""

    def __init__(self, screen: CaseScreen) -> None:
        self.screen = screen
        #: A look or a dialog is under way: the next look waits for it.
        self.busy = False
        #: The content (hash) the user said "not now" to: not asked again until it changes or they save.
        self.declined: str | None = None
        #: A look was asked for while another screen (a form, a dialog) was on top.
        self.pending = False

    @property
    def session(self) -> EditSession:
        return self.screen.session

    @property
    def words(self) -> Words:
        """The words of the open case's interface."""
        return interface_words(self.screen, self.session.case.language)

    @property
    def name(self) -> str:
        path = self.session.path
        return path.name if path is not None else self.session.case.id

    # ------------------------------------------------------------ looking

    def check(self, reason: str = "poll") -> None:
        """Look whether the file changed (``reason``: ``poll``, ``focus``, ``resume``); ask if it did."""
        if self.busy or self.session.path is None:
            return
        if self.screen.app.screen is not self.screen:
            self.pending = True  # not over a form or another dialog: when the case is on top again
            return
        self.pending = False
        found = self.session.document.changed_on_disk()
        if found is None or found.sha256 == self.declined:
            return
        self.changed(found, reason)

    def changed(self, found: FileVersion, reason: str) -> None:
        """The file on disk is ``found`` now: read it (off the interface thread), then offer what to do.
        ``reason`` ``save`` means a save was refused for it (and is done after a merge)."""
        if self.busy:
            return
        self.busy = True
        path = self.session.path
        if found == MISSING or path is None:
            self._offer(None, found, reason)
            return
        self.screen.run_worker(lambda: self._read(path, found, reason), thread=True, group="disk",
                               description="reading the file as it is on disk")

    def _read(self, path: Path, found: FileVersion, reason: str) -> None:
        outcome: CaseDocument | Exception
        try:
            outcome = CaseDocument.open(path)
        except (CaseError, OSError, KafkaToolError) as error:
            outcome = error
        self.screen.app.call_from_thread(self._offer, outcome, found, reason)

    # ------------------------------------------------------------ asking

    def _offer(self, theirs: CaseDocument | Exception | None, found: FileVersion, reason: str,
               merge_problem: str = "") -> None:
        say = self.words.say
        if not self.screen.is_attached:
            self.busy = False
            return
        if reason != "save" and self.screen.app.screen is not self.screen:
            # A form or dialog opened while the file was read: ask when the case is on top again.
            self.busy = False
            self.pending = True
            return
        session = self.session
        merge = session.merge_with(theirs) if isinstance(theirs, CaseDocument) else None
        if merge is not None and not session.modified and theirs is not None:
            self._reload(merge)
            return
        notes = []
        if theirs is None:
            title = say("{name} was deleted or moved since it was opened here.", name=self.name)
        else:
            title = say("{name} changed on disk since it was opened here.", name=self.name)
            if reason == "save":
                title = say("{name} changed on disk since it was opened here: nothing was saved.", name=self.name)
        if isinstance(theirs, Exception):
            notes.append(say("It cannot be read as a case now ({problem}); it may still be being written.",
                             problem=_problem_text(theirs, self.words)))
        if merge is not None:
            notes.append(text_difference(self.words, session.document.text, merge.theirs.text))
        notes.append(merge_problem)
        modal = ChangedOnDiskModal(
            title,
            on_disk=change_lines(self.words, merge.on_disk) if merge is not None else [],
            edits=change_lines(self.words, merge.edits) if merge is not None else [],
            notes=notes,
            can_merge=merge is not None and not merge_problem,
        )
        self.screen.app.push_screen(modal, lambda choice: self._chosen(choice, merge, found, reason))

    def _reload(self, merge: DiskMerge) -> None:
        """No unsaved edits: take the file as it is now (undo goes back)."""
        say = self.words.say
        on_disk = change_lines(self.words, merge.on_disk, 4)
        self.session.adopt(merge.theirs, merge.theirs.case.model_copy(deep=True), say("reload from disk"))
        self.busy = False
        self.screen.show_merged(say("reload from disk"))
        detail = ", ".join(on_disk) if on_disk else say("comments or layout only")
        self.screen.notify(say("{name} changed on disk and was read again: {changes}.", name=self.name,
                               changes=detail), title=say("Changed on disk"))

    def _chosen(self, choice: Choice | None, merge: DiskMerge | None, found: FileVersion, reason: str) -> None:
        say = self.words.say
        if choice == "merge" and merge is not None:
            settle_merge(self.screen.app, merge, lambda settled, why: self._merged(settled, why, merge, found, reason),
                         self.words)
            return
        if choice == "copy":
            self.busy = False
            self.screen.save_copy()
            return
        if choice == "overwrite":
            self._overwrite(merge, found, reason)
            return
        self.busy = False
        self.declined = found.sha256
        if reason == "save":
            self.screen.notify(say("Not saved: {name} changed on disk. ctrl+s asks again.", name=self.name),
                               severity="warning")

    def _merged(self, settled: DiskMerge | None, why: str, merge: DiskMerge, found: FileVersion, reason: str) -> None:
        say = self.words.say
        if settled is None:
            if why:
                self._offer(merge.theirs, found, reason, merge_problem=why)  # asked again, without merge
            else:
                self._offer(merge.theirs, found, reason)
            return
        case, _ = settled.result()
        assert case is not None  # settle_merge hands over valid merges only
        label = say("merge with the changes on disk")
        self.session.adopt(settled.theirs, case, label)
        self.busy = False
        self.declined = None
        self.screen.show_merged(label)
        if reason == "save":
            self.screen.save_now()
        else:
            self.screen.notify(say("Your edits are merged with the changes on disk; ctrl+s saves them."),
                               title=say("Merged"))

    def _overwrite(self, merge: DiskMerge | None, found: FileVersion, reason: str) -> None:
        say = self.words.say
        lost = change_lines(self.words, merge.on_disk, 6) if merge is not None else []
        detail = (say("What changed on disk will be lost: {changes}.", changes=", ".join(lost)) if lost
                  else say("What changed on disk will be lost."))

        def answer(yes: bool | None) -> None:
            if yes:
                self.busy = False
                self.screen.save_now(overwrite_changed=True)
            elif yes is False:  # back to the choices
                self._offer(merge.theirs if merge is not None else None, found, reason)
            else:
                self.busy = False

        self.screen.app.push_screen(
            ConfirmModal(say("Overwrite {name} with your version?", name=self.name), detail,
                         yes=say("Overwrite"), no=say("Back")),
            answer,
        )


def _when(timestamp: float) -> str:
    moment = dt.datetime.fromtimestamp(timestamp)
    return moment.strftime("%H:%M") if moment.date() == dt.date.today() else moment.strftime("%Y-%m-%d %H:%M")


def elsewhere_message(state: StateDir, path: Path, words: Words) -> str | None:
    """"This file is open in another kafka-tool window with unsaved edits (since 10:42)", or None."""
    others = state.elsewhere(path)
    if not others:
        return None
    since = min((r.since or r.saved_at) for r in others)
    return words.say("This file is open in another kafka-tool window with unsaved edits (since {time}).",
               time=_when(since))


class RecoveryOffer:
    """Kept edits offered back as ``path`` opens in ``session``; ``show(session)`` opens the case screen."""

    def __init__(self, app: App[Any], state: StateDir, path: Path, session: EditSession, recovery: Recovery,
                 recovered: Case, show: Callable[[EditSession], None]) -> None:
        self.app = app
        self.state = state
        self.path = path
        self.session = session
        self.recovery = recovery
        self.recovered = recovered
        self.show = show

    @property
    def when(self) -> str:
        return _when(self.recovery.saved_at)

    @property
    def words(self) -> Words:
        """The words of the interface of the case being opened."""
        return cast("KafkaApp", self.app).words_for(self.session.case.language)

    def offer(self) -> None:
        """Ask: as before when the file is still the version the edits were made on, else with the merge."""
        say = self.words.say
        if self.recovery.based_on(self.session.document.version):
            self.app.push_screen(
                ConfirmModal(
                    say("Unsaved edits to {name} from {time} were kept.", name=self.path.name, time=self.when),
                    say("Recover them? (Discard throws them away; escape decides later.)"),
                    yes=say("Recover"),
                    no=say("Discard"),
                ),
                self._answer_unchanged,
            )
            return
        self._ask_changed()

    def _later(self) -> None:
        say = self.words.say
        self.app.notify(say("Nothing opened; the kept edits stay in the recovery file."))

    def _answer_unchanged(self, yes: bool | None) -> None:
        say = self.words.say
        if yes is None:  # escape: nothing decided, nothing opened, nothing lost
            self._later()
            return
        if yes:
            self._take(self.recovered, say("recovered unsaved edits"))
        else:
            self.state.discard_recovery(self.recovery)
        self.show(self.session)

    def _take(self, case: Case, label: str) -> None:
        """Make the kept edits this window's: its recovery file, its unsaved edits."""
        say = self.words.say
        self.state.claim(self.recovery, self.path)
        self.session.apply(case, label)
        if self.session.path is not None:
            try:
                self.state.keep(self.session.path, case, base=self.session.document.version,
                                base_text=self.session.document.text)
            except OSError as error:
                self.app.notify(say("Could not write the recovery file: {error}", error=said(error, self.words)),
                                severity="warning")

    def _merge(self) -> DiskMerge | None:
        base = self.recovery.base_case()
        return merge_onto(base, self.recovered, self.session.document) if base is not None else None

    def _ask_changed(self, merge_problem: str = "") -> None:
        say = self.words.say
        merge = self._merge()
        notes = []
        if merge is None:
            notes.append(say("The version of the file they were made on is not known (they were kept by an older "
                             "kafka-tool), so they cannot be merged."))
        elif self.recovery.base_text is not None:
            notes.append(text_difference(self.words, self.recovery.base_text, self.session.document.text))
        notes.append(merge_problem)
        on_disk = change_lines(self.words, merge.on_disk) if merge is not None else []
        edits = change_lines(self.words, merge.edits) if merge is not None else []
        modal = ChangedOnDiskModal(
            say("Unsaved edits to {name} from {time} were kept, but the file has changed since.",
                name=self.path.name, time=self.when),
            on_disk=on_disk,
            edits=edits,
            notes=notes,
            can_merge=merge is not None and not merge_problem,
            kept=True,
        )
        self.app.push_screen(modal, lambda choice: self._chosen(choice, merge))

    def _chosen(self, choice: Choice | None, merge: DiskMerge | None) -> None:
        if choice is None:
            self._later()
        elif choice == "merge" and merge is not None:
            settle_merge(self.app, merge, self._merged, self.words, kept=True)
        elif choice == "copy":
            self._copy()
        elif choice == "overwrite":
            self._overwrite(merge)
        elif choice == "discard":
            self.state.discard_recovery(self.recovery)
            self.show(self.session)

    def _merged(self, settled: DiskMerge | None, why: str) -> None:
        say = self.words.say
        if settled is None:
            self._ask_changed(why)
            return
        case, _ = settled.result()
        assert case is not None
        self._take(case, say("recovered unsaved edits, merged with the changes on disk"))
        self.show(self.session)
        self.app.notify(say("The kept edits are merged with the changes on disk; ctrl+s saves them."),
                        title=say("Recovered"))

    def _copy(self) -> None:
        say = self.words.say
        default = self.path.with_name(f"{self.path.stem}-recovered{self.path.suffix or '.yaml'}")

        def chosen(target: Path | None) -> None:
            if target is None:
                self._ask_changed()
                return
            write_unless_declined(self.app, target, write)

        def write(target: Path) -> None:
            document = self._base_document(target)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                written = document.save(self.recovered.model_copy(deep=True), target)
            except OSError as error:
                self.app.push_screen(MessageModal(say("Not saved"), said(error, self.words)))
                return
            self.state.discard_recovery(self.recovery)
            copy = EditSession(document, document.case.model_copy(deep=True))
            self.show(copy)
            self.app.notify(say("The kept edits are saved as {path}; {name} is as it was on disk.",
                                path=str(written), name=self.path.name), title=say("Saved"))

        self.app.push_screen(
            PathModal(say("Save the kept edits as"), str(default), must_exist=False, action=say("Save copy")),
            chosen,
        )

    def _base_document(self, target: Path) -> CaseDocument:
        """The document the kept edits were made on (its comments and layout), else the file as it is now."""
        if self.recovery.base_text is not None:
            try:
                return CaseDocument.from_text(self.recovery.base_text, str(target), target)
            except KafkaToolError:
                pass
        return self.session.document

    def _overwrite(self, merge: DiskMerge | None) -> None:
        say = self.words.say
        lost = change_lines(self.words, merge.on_disk, 6) if merge is not None else []
        detail = (say("What changed on disk will be lost: {changes}.", changes=", ".join(lost)) if lost
                  else say("What changed on disk will be lost."))

        def answer(yes: bool | None) -> None:
            if yes is None:
                self._later()
                return
            if not yes:
                self._ask_changed()
                return
            self._take(self.recovered, say("recovered unsaved edits"))
            try:
                written = self.session.save(overwrite_changed=True)
            except OSError as error:
                self.show(self.session)
                self.app.push_screen(MessageModal(say("Not saved"), said(error, self.words)))
                return
            self.state.discard(written)
            self.show(self.session)
            self.app.notify(say("Saved {path}", path=str(written)))

        self.app.push_screen(
            ConfirmModal(say("Overwrite {name} with the kept edits?", name=self.path.name), detail,
                         yes=say("Overwrite"), no=say("Back")),
            answer,
        )
