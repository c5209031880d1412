"""The kafka-tool terminal interface: a Textual app over the core.

:func:`make_app` builds the app (tests use it too); :func:`run_app` runs it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.screen import Screen

from kafka_tool.errors import CaseError, KafkaToolError
from kafka_tool.i18n import LANGUAGES, N_, Words, system_language, words

from .bindings import speak_bindings
from .collector import paused
from .input_fix import keep_keys_in_order
from .messages import OpenCase
from .screens.case import CaseScreen
from .screens.choice import ChoiceModal
from .screens.confirm import ConfirmModal, MessageModal
from .screens.disk import RecoveryOffer, elsewhere_message
from .screens.help import HelpScreen, help_text, keys_markdown
from .screens.library import LibraryScreen
from .screens.loading import LoadingModal
from .screens.teaching import TeachingScreen
from .state import EditSession, StateDir
from .widgets.element_form import ElementForm

__all__ = ["KafkaApp", "make_app", "run_app"]


class KafkaApp(App[None]):
    """Browse, model, analyse and teach kafka-tool cases."""

    CSS_PATH = "styles.tcss"
    TITLE = "kafka-tool"
    ENABLE_COMMAND_PALETTE = True
    #: Screens get ``-narrow`` below 100 columns; styles.tcss narrows the tree and side panels there.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", N_("Quit"), id="app.quit", priority=True),
        Binding("f1", "help", N_("Help"), id="app.help"),
        Binding("question_mark", "keys", N_("Keys"), id="app.keys"),
        Binding("ctrl+l", "choose_language", N_("Language"), id="app.language", show=False),
    ]

    def __init__(
        self,
        case_path: Path | None = None,
        *,
        state_dir: Path | None = None,
        cases_dir: Path | None = None,
        language: str | None = None,
        today: Callable[[], dt.date] | None = None,
    ) -> None:
        super().__init__()
        keep_keys_in_order()
        #: The date today, for what is overdue in the action plan (a fixed day in tests).
        self.today: Callable[[], dt.date] = today if today is not None else dt.date.today
        self.case_path = case_path
        self.state = StateDir(state_dir)
        #: The interface's language when the user chose one (``--lang``, else the setting); None: each
        #: case's own ``language``, and the system's locale where no case is open.
        self.language: str | None = language if language is not None else self.state.language()
        self.cases_dir = cases_dir if cases_dir is not None else Path.home() / "kafka-cases"

    def language_for(self, case_language: str | None = None) -> str:
        """The language the interface speaks: the user's choice, else the case's, else the system's."""
        return self.language or case_language or system_language()

    def words_for(self, case_language: str | None = None) -> Words:
        """The :class:`Words` the interface speaks in (see :meth:`language_for`)."""
        return words(self.language_for(case_language))

    @property
    def case_language(self) -> str | None:
        """The language of the case on screen (the open case, or the one taught), None in the library."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, CaseScreen):
                return screen.session.case.language
            if isinstance(screen, TeachingScreen):
                return screen.case.language
        return None

    @property
    def words_here(self) -> Words:
        """The words of the screen shown now: those of the case on it, or the library's."""
        return self.words_for(self.case_language)

    def _speak(self, screen: Screen[Any]) -> None:
        """The keys of the app and of ``screen`` described in the language spoken there."""
        spoken = self.words_here
        speak_bindings(self, spoken)
        own = getattr(screen, "speak_keys", None)  # a screen that fits its keys to the footer says them itself
        if callable(own):
            own()
        else:
            speak_bindings(screen, spoken)
        screen.refresh_bindings()

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
        self.screen_change_signal.subscribe(self, self._speak)
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

            say = self.words_here.say
            self.push_screen(
                ConfirmModal(
                    say("The open case has unsaved changes. Discard them and open another?"),
                    say("Your edits stay in the recovery file until you open this case again."),
                    yes=say("Discard"),
                    no=say("No"),
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
        modal = LoadingModal(self.words_here.say("Opening {name}", name=path.name))
        self.push_screen(modal)
        self._load_session(path, modal, teaching)

    @work(thread=True, exclusive=True, group="open", description="opening a case")
    def _load_session(self, path: Path, modal: LoadingModal, teaching: bool) -> None:
        def progress(stage: str) -> None:
            self.call_from_thread(modal.set_stage, stage)

        outcome: EditSession | Exception
        try:
            with paused():
                outcome = EditSession.open(path, progress)
        except (CaseError, OSError, KafkaToolError) as error:
            outcome = error
        self.call_from_thread(self._opened, path, modal, outcome, teaching)

    def _opened(self, path: Path, modal: LoadingModal, outcome: EditSession | Exception, teaching: bool) -> None:
        say = self.words_here.say
        if modal.stopped:
            self.notify(say("Stopped waiting for {name}; nothing was opened.", name=path.name))
            return
        if self.screen is modal:
            modal.dismiss(False)
        if isinstance(outcome, CaseError):
            # In the language the broken file declares, when it could be read far enough to say it.
            spoken = self.words_for(outcome.language)
            body = "\n\n".join(
                f"{p.location()}: {spoken.say_message(p.message)}"
                + ("\n  " + spoken.say("hint: {hint}", hint=spoken.say_message(p.hint)) if p.hint else "")
                for p in outcome.problems
            )
            self.push_screen(MessageModal(spoken.say("{path} cannot be opened", path=str(path)), body))
            return
        if isinstance(outcome, Exception):
            said = outcome.say(self.words_here) if isinstance(outcome, KafkaToolError) else str(outcome)
            self.push_screen(MessageModal(say("{path} cannot be opened", path=str(path)), said))
            return
        session = outcome
        spoken = self.words_for(session.case.language)
        say = spoken.say
        for warning in session.document.warnings[:5]:
            self.notify(f"{warning.location()}: {spoken.say_message(warning.message)}", title=say("Warning"),
                        severity="warning")
        if teaching:
            self.push_screen(TeachingScreen(session.case, self.cases_dir))
            return
        self._discard_current()
        if session.path is not None and not session.is_sample:
            with contextlib.suppress(OSError):
                self.state.add_recent(session.path)
        elsewhere = elsewhere_message(self.state, path, self.words_for(session.case.language))
        if elsewhere is not None:
            self.notify(elsewhere, title=say("Open elsewhere"), severity="warning", timeout=10)
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

            say = self.words_here.say
            self.push_screen(
                ConfirmModal(
                    say("Close the case without saving?"),
                    say("Your edits stay in the recovery file until you open it again."),
                    yes=say("Close"),
                ),
                answer,
            )
            return
        self._close_to_library()

    def _close_to_library(self) -> None:
        self._discard_current()

    def export_dialog(self) -> None:
        """Export views of the case (needs the exports package)."""
        current = self.case_screen
        if current is None:
            return
        try:
            from .screens.export import ExportModal
        except ImportError:
            self.notify(self.words_here.say("Export is not available in this installation."), severity="warning")
            return
        self.push_screen(ExportModal(current))

    # ------------------------------------------------------------ quitting

    async def action_quit(self) -> None:
        """Quit, asking first when there are unsaved changes or unsaved class notes; a case that
        saves to its own file can be saved on the way out."""
        current = self.case_screen
        notes = any(isinstance(s, TeachingScreen) and s.notes_unsaved for s in self.screen_stack)
        unsaved = current is not None and current.session.modified
        # A form with changes not applied yet: what was typed in it is in no file, not even the recovery file.
        typed = any(isinstance(s, ElementForm) and s.changed for s in self.screen_stack)
        if not (unsaved or notes or typed):
            self.exit()
            return
        say = self.words_here.say
        details = []
        if typed:
            details.append(say("What you typed in the open form is not applied yet and will be lost "
                               "(go back, apply it with ctrl+s, then quit)."))
        if unsaved:
            details.append(say("Your edits stay in the recovery file and are offered back next time."))
        if notes:
            details.append(
                say("The class's notes are not saved and will be lost "
                    "(reveal the findings, then ctrl+s saves the session).")
            )
        question = say("Quit without saving?")
        choices = [("q", say("Quit without saving"), "quit"), ("escape", say("Back"), "cancel")]
        if (current is not None and unsaved and not typed and current.session.read_only is None
                and not current.session.is_sample):
            question = say("Save before you quit?")
            choices.insert(0, ("s", say("Save and quit"), "save"))

        def answer(choice: str | None) -> None:
            if choice == "save" and current is not None:
                current.save_now()
                if current.session.modified:
                    return  # not saved (the file changed on disk, or could not be written): that is on screen now
            if choice in ("save", "quit"):
                self.exit()

        self.push_screen(ChoiceModal(question, choices, " ".join(details), stacked=True), answer)

    # ------------------------------------------------------------ help and commands

    def _help_for(self, widget: Any) -> str:
        node = widget
        while node is not None:
            text = getattr(type(node), "HELP", None)
            if text:
                return self.words_here.say(str(text))
            node = node.parent
        return ""

    def action_help(self) -> None:
        """Help for the focused part of the screen, then the general help."""
        focused = self.screen.focused
        topic = self._help_for(focused) or self._help_for(self.screen)
        text = (topic + "\n\n---\n\n" if topic else "") + help_text(self.words_here.language)
        self.push_screen(HelpScreen(text))

    def action_keys(self) -> None:
        """Every key that works here."""
        spoken = self.words_here
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
                rank, where = (0 if binding.id else 3), spoken.say("this screen")
            elif node is self:
                rank, where = 1, spoken.say("everywhere")
            else:
                rank, where = 2, _place(node, spoken)
            rows.append((rank, self.get_key_display(binding), spoken.say(binding.description), where))
        rows.sort(key=lambda row: row[0])
        self.push_screen(HelpScreen(keys_markdown([row[1:] for row in rows], spoken)))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette: every action bound on this screen, the add commands, the language, and
        Textual's own (theme, maximize, screenshot), in the language spoken there."""
        say = self.words_here.say
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.description in seen or not active.enabled:
                continue
            seen.add(binding.description)
            description = say(binding.description)
            help_line = f"{description} ({self.get_key_display(binding)})"
            yield SystemCommand(description, help_line, partial(self.run_action, binding.action, active.node))
        if isinstance(screen, CaseScreen):
            for kind, (title, help_line) in _ADD_COMMANDS.items():
                yield SystemCommand(say(title), say(help_line), partial(screen.add_element, kind))
            for tab, (title, help_line) in _TAB_COMMANDS.items():
                yield SystemCommand(say(title), say(help_line), partial(screen.action_show_tab, tab))
        # Help and keys from a modal too, where the app's keys are not bound.
        if say("Help") not in seen:
            yield SystemCommand(say("Help"), say("Help for the focused part (f1)"), self.action_help)
        if say("Keys") not in seen:
            yield SystemCommand(say("Keys"), say("Every key that works here (?)"), self.action_keys)
        yield SystemCommand(say("Language: English / Nederlands"), say("The language of the interface (ctrl+l)"),
                            self.action_choose_language)
        yield SystemCommand(say("Theme"), say("Change the current theme"), self.action_change_theme)
        if screen.maximized is not None:
            yield SystemCommand(say("Minimize"), say("Minimize the widget and restore to normal size"),
                                screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand(say("Maximize"), say("Maximize the focused widget"), screen.action_maximize)
        yield SystemCommand(say("Screenshot"), say("Save an SVG 'screenshot' of the current screen"),
                            lambda: self.set_timer(0.1, self.deliver_screenshot))

    def action_command_palette(self) -> None:
        """The command palette, its prompt in the language spoken here."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=self.words_here.say("Search for commands…"),
                                            id="--command-palette"))

    # ------------------------------------------------------------ the interface's language

    def action_choose_language(self) -> None:
        """Ask which language the interface speaks: English, Dutch, or each case's own."""
        say = self.words_here.say
        choices = [("e", "English", "en"), ("n", "Nederlands", "nl"), ("c", say("Follow the case"), "case")]

        def answer(choice: str | None) -> None:
            if choice is not None:
                self.run_worker(self.set_language(None if choice == "case" else choice))

        self.push_screen(ChoiceModal(say("The language of the interface"), choices, stacked=True,
                                     current=self.language or "case"), answer)

    async def set_language(self, language: str | None) -> None:
        """Speak ``language`` (None: each case's own, the system's in the library) from now on,
        and next time too; what is on screen is shown again in it (the open case keeps its edits
        and its undo history: they are the session's)."""
        if language is not None and language not in LANGUAGES:
            raise ValueError(f"no words for language {language!r}")
        self.language = language
        try:
            self.state.set_language(language)
        except OSError as error:
            self.notify(self.words_here.say("Could not keep the setting: {error}", error=str(error)),
                        severity="warning")
        screen = self.screen
        if isinstance(screen, CaseScreen):
            await self.switch_screen(CaseScreen(screen.session, self.state, self.cases_dir))
        elif isinstance(screen, LibraryScreen):
            await screen.speak()
        self._speak(self.screen)
        say = self.words_here.say
        self.notify(say("The interface speaks {language}.", language=say(_LANGUAGE_NAMES[self.language_for(
            self.case_language)])) if language is not None else say("The interface speaks the language of each case."))


#: The palette's command to add each kind of element, and what it says.
_ADD_COMMANDS = {
    "actor": (N_("Add actor"), N_("A new actor (an organisation) in the case")),
    "document": (N_("Add document"), N_("A new document in the case")),
    "rule": (N_("Add rule"), N_("A new rule in the case")),
    "touchpoint": (N_("Add touchpoint"), N_("A new touchpoint in the case")),
    "persona": (N_("Add persona"), N_("A new persona in the case")),
    "journey": (N_("Add journey"), N_("A new journey in the case")),
    "intervention": (N_("Add intervention"), N_("A new intervention in the case")),
}

#: The palette's command to show each tab of the case screen's right-hand pane.
_TAB_COMMANDS = {
    "detail": (N_("Show detail"), N_("Switch the right-hand pane to the detail")),
    "graph": (N_("Show graph"), N_("Switch the right-hand pane to the graph")),
    "persona": (N_("Show persona"), N_("Switch the right-hand pane to the persona")),
    "interventions": (N_("Show interventions"), N_("Switch the right-hand pane to the interventions")),
}

#: Each language's name, said in the language spoken.
_LANGUAGE_NAMES = {"en": N_("English"), "nl": N_("Dutch")}


#: Where a key works, by the part of the screen that binds it (the first of its classes named here).
_PLACES = {
    "CaseTree": N_("the tree"),
    "FindingsTable": N_("the findings"),
    "SampleTable": N_("the samples"),
    "Picker": N_("a reference"),
    "FieldBox": N_("a field of the form"),
    "_ListEditor": N_("a list in the form"),
    "InterventionPanel": N_("the interventions"),
    "Tabs": N_("the tabs"),
    "Input": N_("a text field"),
    "TextArea": N_("a text box"),
    "Select": N_("a choice"),
    "SelectionList": N_("a list to tick"),
    "OptionList": N_("a list"),
    "DataTable": N_("a table"),
    "Tree": N_("the tree"),
    "ScrollableContainer": N_("a pane that scrolls"),
}


def _place(node: Any, words: Words) -> str:
    """Where ``node``'s keys work, in words: "the tree"; 'SampleList' -> 'sample list' for a part not named above."""
    for cls in type(node).__mro__:
        if cls.__name__ in _PLACES:
            return words.say(_PLACES[cls.__name__])
    name = type(node).__name__
    return "".join(f" {c.lower()}" if c.isupper() else c for c in name).strip()


def make_app(
    case_path: str | Path | None = None,
    *,
    config_dir: Path | None = None,
    cases_dir: Path | None = None,
    language: str | None = None,
    today: dt.date | None = None,
) -> KafkaApp:
    """Build the app: on ``case_path``, or on the library. ``config_dir`` holds recent and recovery files;
    ``language`` (``en``, ``nl``) overrides the cases' own; ``today`` fixes the date the action plan is
    followed up against (by default the date of each day the app runs)."""
    return KafkaApp(Path(case_path) if case_path is not None else None, state_dir=config_dir, cases_dir=cases_dir,
                    language=language, today=(lambda: today) if today is not None else None)


def run_app(case_path: str | Path | None = None, language: str | None = None) -> None:
    """Run the terminal interface (in ``language``, or in each case's own)."""
    make_app(case_path, language=language).run()
