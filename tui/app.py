"""The kafka-tool terminal interface: a Textual app over the core.

:func:`make_app` builds the app (tests use it too); :func:`run_app` runs it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from kafka_tool.errors import CaseError, KafkaToolError
from kafka_tool.i18n import Words, system_language, words

from .input_fix import keep_keys_in_order
from .messages import OpenCase
from .screens.case import CaseScreen
from .screens.confirm import ConfirmModal, MessageModal
from .screens.disk import RecoveryOffer, elsewhere_message
from .screens.help import HelpScreen, help_text, keys_markdown
from .screens.library import LibraryScreen
from .screens.loading import LoadingModal
from .screens.teaching import TeachingScreen
from .state import SECTIONS, EditSession, StateDir

__all__ = ["KafkaApp", "make_app", "run_app"]


class KafkaApp(App[None]):
    """Browse, model, analyse and teach kafka-tool cases."""

    CSS_PATH = "styles.tcss"
    TITLE = "kafka-tool"
    ENABLE_COMMAND_PALETTE = True
    #: Screens get ``-narrow`` below 100 columns; styles.tcss narrows the tree and side panels there.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("f1", "help", "Help", id="app.help"),
        Binding("question_mark", "keys", "Keys", id="app.keys"),
    ]

    def __init__(
        self,
        case_path: Path | None = None,
        *,
        state_dir: Path | None = None,
        cases_dir: Path | None = None,
        language: str | None = None,
    ) -> None:
        super().__init__()
        keep_keys_in_order()
        self.case_path = case_path
        #: The interface's language when the user chose one (``--lang``, or the setting); None: each
        #: case's own ``language``, and the system's locale where no case is open.
        self.language: str | None = language
        self.state = StateDir(state_dir)
        self.cases_dir = cases_dir if cases_dir is not None else Path.home() / "kafka-cases"

    def language_for(self, case_language: str | None = None) -> str:
        """The language the interface speaks: the user's choice, else the case's, else the system's."""
        return self.language or case_language or system_language()

    def words_for(self, case_language: str | None = None) -> Words:
        """The :class:`Words` the interface speaks in (see :meth:`language_for`)."""
        return words(self.language_for(case_language))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A notification, never read as markup: messages hold names and paths from case files,
        and a ``[`` in them must show as it is, not style the text or stop the interface."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def on_mount(self) -> None:
        """Start on the library; open the case given on the command line."""
        self.push_screen(LibraryScreen(self.state.recent()))
        if self.case_path is not None:
            self.open_case(self.case_path)

    def on_unmount(self) -> None:
        """The interface ends: its recovery files are now offered to whoever opens those cases next."""
        self.state.close()

    def on_app_focus(self) -> None:
        """Back in the terminal: look whether the open case's file changed meanwhile."""
        current = self.case_screen
        if current is not None:
            current.disk.check("focus")

    # ------------------------------------------------------------ opening cases

    @property
    def case_screen(self) -> CaseScreen | None:
        """The open case, if any."""
        return next((s for s in self.screen_stack if isinstance(s, CaseScreen)), None)

    @on(OpenCase)
    def _open_case(self, message: OpenCase) -> None:
        if message.teaching:
            self.open_teaching(message.path)
        else:
            self.open_case(message.path)

    def open_case(self, path: Path) -> None:
        """Open a case file (asking first when another case has unsaved changes)."""
        current = self.case_screen
        if current is not None and current.session.modified:

            def answer(yes: bool | None) -> None:
                if yes:
                    self._discard_current()
                    self._open(path)

            self.push_screen(
                ConfirmModal(
                    "The open case has unsaved changes. Discard them and open another?",
                    "Your edits stay in the recovery file until you open this case again.",
                    yes="Discard",
                ),
                answer,
            )
            return
        self._open(path)

    def _discard_current(self) -> None:
        while isinstance(self.screen, (CaseScreen, TeachingScreen)):
            self.pop_screen()

    def _open(self, path: Path, teaching: bool = False) -> None:
        """Open ``path`` off the interface thread, showing what it is doing; then show the case."""
        modal = LoadingModal(f"Opening {path.name}")
        self.push_screen(modal)
        self._load_session(path, modal, teaching)

    @work(thread=True, exclusive=True, group="open", description="opening a case")
    def _load_session(self, path: Path, modal: LoadingModal, teaching: bool) -> None:
        def progress(stage: str) -> None:
            self.call_from_thread(modal.set_stage, stage)

        outcome: EditSession | Exception
        try:
            outcome = EditSession.open(path, progress)
        except (CaseError, OSError, KafkaToolError) as error:
            outcome = error
        self.call_from_thread(self._opened, path, modal, outcome, teaching)

    def _opened(self, path: Path, modal: LoadingModal, outcome: EditSession | Exception, teaching: bool) -> None:
        if modal.stopped:
            self.notify(f"Stopped waiting for {path.name}; nothing was opened.")
            return
        if self.screen is modal:
            modal.dismiss(False)
        if isinstance(outcome, CaseError):
            body = "\n\n".join(
                f"{p.location()}: {p.message}" + (f"\n  hint: {p.hint}" if p.hint else "") for p in outcome.problems
            )
            self.push_screen(MessageModal(f"{path} cannot be opened", body))
            return
        if isinstance(outcome, Exception):
            self.push_screen(MessageModal(f"{path} cannot be opened", str(outcome)))
            return
        session = outcome
        for warning in session.document.warnings[:5]:
            self.notify(f"{warning.location()}: {warning.message}", title="Warning", severity="warning")
        if teaching:
            self.push_screen(TeachingScreen(session.case, self.cases_dir))
            return
        self._discard_current()
        if session.path is not None and not session.is_sample:
            with contextlib.suppress(OSError):
                self.state.add_recent(session.path)
        elsewhere = elsewhere_message(self.state, path)
        if elsewhere is not None:
            self.notify(elsewhere, title=words("en").say("Open elsewhere"), severity="warning", timeout=10)
        self._offer_recovery(path, session)

    def _offer_recovery(self, path: Path, session: EditSession) -> None:
        """Show the case, first offering the unsaved edits kept for it by this window or by one that
        ended without saving (the newest; a running window's edits are its own)."""
        def show(opened: EditSession) -> None:
            self.push_screen(CaseScreen(opened, self.state, self.cases_dir))

        current = session.case.to_data()
        for recovery in self.state.offered(path):
            recovered = recovery.case()
            if recovered is None or recovered.to_data() == current:
                # Not a case any more, or nothing the file does not hold already.
                self.state.discard_recovery(recovery)
                continue
            RecoveryOffer(self, self.state, path, session, recovery, recovered, show).offer()
            return
        show(session)

    def open_teaching(self, path: Path) -> None:
        """Open a case in teaching mode."""
        self._open(path, teaching=True)

    def teach(self, session: EditSession) -> None:
        """Teaching mode for the open case."""
        self.push_screen(TeachingScreen(session.case.model_copy(deep=True), self.cases_dir))

    def close_case(self) -> None:
        """Back to the library, asking first when there are unsaved changes."""
        current = self.case_screen
        if current is None:
            return
        if current.session.modified:

            def answer(yes: bool | None) -> None:
                if yes:
                    self._close_to_library()

            self.push_screen(
                ConfirmModal(
                    "Close the case without saving?",
                    "Your edits stay in the recovery file until you open it again.",
                    yes="Close",
                ),
                answer,
            )
            return
        self._close_to_library()

    def _close_to_library(self) -> None:
        self._discard_current()
        self.title = self.TITLE
        if isinstance(self.screen, LibraryScreen):
            self.screen.app.sub_title = "sample library"

    def export_dialog(self) -> None:
        """Export views of the case (needs the exports package)."""
        current = self.case_screen
        if current is None:
            return
        try:
            from .screens.export import ExportModal
        except ImportError:
            self.notify("Export is not available in this installation.", severity="warning")
            return
        self.push_screen(ExportModal(current))

    # ------------------------------------------------------------ quitting

    async def action_quit(self) -> None:
        """Quit, asking first when there are unsaved changes or unsaved class notes."""
        current = self.case_screen
        notes = any(isinstance(s, TeachingScreen) and s.notes_unsaved for s in self.screen_stack)
        unsaved = current is not None and current.session.modified
        if unsaved or notes:

            def answer(yes: bool | None) -> None:
                if yes:
                    self.exit()

            details = []
            if unsaved:
                details.append("Your edits stay in the recovery file and are offered back next time.")
            if notes:
                details.append("The class's notes are not saved and will be lost (ctrl+s in teaching mode saves them).")
            self.push_screen(ConfirmModal("Quit without saving?", " ".join(details), yes="Quit"), answer)
            return
        self.exit()

    # ------------------------------------------------------------ help and commands

    def _help_for(self, widget: Any) -> str:
        node = widget
        while node is not None:
            text = getattr(type(node), "HELP", None)
            if text:
                return str(text)
            node = node.parent
        return ""

    def action_help(self) -> None:
        """Help for the focused part of the screen, then the general help."""
        focused = self.screen.focused
        topic = self._help_for(focused) or self._help_for(self.screen)
        text = (topic + "\n\n---\n\n" if topic else "") + help_text()
        self.push_screen(HelpScreen(text))

    def action_keys(self) -> None:
        """Every key that works here."""
        rows: list[tuple[int, str, str, str]] = []
        seen: set[tuple[str, str]] = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.description or (key, binding.description) in seen:
                continue
            seen.add((key, binding.description))
            node = active.node
            # The screen's own keys first, then those that work everywhere, then the focused
            # part's; the generic ones every Textual screen has (focus, copy) last.
            if isinstance(node, Screen):
                rank, where = (0 if binding.id else 3), "this screen"
            elif node is self:
                rank, where = 1, "everywhere"
            else:
                rank, where = 2, _spaced(type(node).__name__)
            rows.append((rank, self.get_key_display(binding), binding.description, where))
        rows.sort(key=lambda row: row[0])
        self.push_screen(HelpScreen(keys_markdown([row[1:] for row in rows])))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette: every action bound on this screen, the add commands, and Textual's own."""
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.description in seen or not active.enabled:
                continue
            seen.add(binding.description)
            help_line = f"{binding.description} ({self.get_key_display(binding)})"
            yield SystemCommand(binding.description, help_line, partial(self.run_action, binding.action, active.node))
        if isinstance(screen, CaseScreen):
            for kind in SECTIONS:
                yield SystemCommand(f"Add {kind}", f"A new {kind} in the case", partial(screen.add_element, kind))
            for tab in ("detail", "graph", "persona", "interventions"):
                yield SystemCommand(
                    f"Show {tab}", f"Switch the right-hand pane to {tab}", partial(screen.action_show_tab, tab)
                )
        yield SystemCommand("Help", "Help for the focused part (f1)", self.action_help)
        yield SystemCommand("Keys", "Every key that works here (?)", self.action_keys)
        yield from super().get_system_commands(screen)


def _spaced(name: str) -> str:
    """'SampleTable' -> 'sample table'."""
    return "".join(f" {c.lower()}" if c.isupper() else c for c in name).strip()


def make_app(
    case_path: str | Path | None = None,
    *,
    config_dir: Path | None = None,
    cases_dir: Path | None = None,
    language: str | None = None,
) -> KafkaApp:
    """Build the app: on ``case_path``, or on the library. ``config_dir`` holds recent and recovery files;
    ``language`` (``en``, ``nl``) overrides the cases' own."""
    return KafkaApp(Path(case_path) if case_path is not None else None, state_dir=config_dir, cases_dir=cases_dir,
                    language=language)


def run_app(case_path: str | Path | None = None, language: str | None = None) -> None:
    """Run the terminal interface (in ``language``, or in each case's own)."""
    make_app(case_path, language=language).run()
