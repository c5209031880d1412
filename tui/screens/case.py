"""The case screen: tree, detail, graph, personas, interventions and findings; editing and saving."""

from __future__ import annotations

import contextlib
import gc
import threading
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, TabbedContent, TabPane

from kafka_tool.analysis.engine import Analysis, analyze
from kafka_tool.edits import (
    attribute_referrers,
    delete_acceptance,
    delete_attribute,
    put_teaching,
)
from kafka_tool.errors import said
from kafka_tool.findings import Finding
from kafka_tool.i18n import N_, Words
from kafka_tool.loader import validate_data
from kafka_tool.versions import FileChanged

from ..bindings import footer_width, speak_bindings
from ..collector import paused
from ..messages import (
    AnalysisReady,
    CaseEdited,
    CaseSaved,
    EditRequested,
    ElementSelected,
    FindingSelected,
    InterventionEdit,
)
from ..state import (
    EditSession,
    ElementRef,
    StateDir,
    delete_element,
    is_sample_path,
    referrers,
    set_intervention_fields,
)
from ..widgets.case_tree import CaseTree
from ..widgets.detail import DetailPane, reference_words
from ..widgets.element_form import KIND_NOUNS, ElementForm, FormResult
from ..widgets.findings import FindingsPanel
from ..widgets.form_parts import Part
from ..widgets.graph_view import GraphView
from ..widgets.intervention_panel import InterventionPanel
from ..widgets.persona_panel import PersonaPanel
from ..widgets.review_panel import ReviewPanel
from .choice import ChoiceModal
from .confirm import ConfirmModal, write_unless_declined
from .disk import DiskWatch
from .open_file import PathModal

__all__ = ["CaseCommands", "CaseScreen"]

#: The parts of a case in the tree that are not elements with ids.
_PARTS = ("case", "teaching", "attribute", "acceptance")
#: The question before an element is deleted, one a kind: each language puts the noun where it
#: needs it ("Delete document 'x'?", "Document 'x' verwijderen?").
_DELETE_QUESTIONS = {
    "actor": N_("Delete actor '{id}'?"), "document": N_("Delete document '{id}'?"),
    "rule": N_("Delete rule '{id}'?"), "touchpoint": N_("Delete touchpoint '{id}'?"),
    "persona": N_("Delete persona '{id}'?"), "journey": N_("Delete journey '{id}'?"),
    "intervention": N_("Delete intervention '{id}'?"),
}


class CaseCommands(Provider):
    """The palette's commands for the parts of a case that have no key of their own."""

    def _commands(self) -> list[tuple[str, str, Any]]:
        screen = self.screen
        if not isinstance(screen, CaseScreen):
            return []
        say = screen.words.say
        return [
            (say("Add attribute"), say("A new attribute that rules and personas can use"),
             lambda: screen.add_element("attribute")),
            (say("Edit the case header"), say("Id, title, language, summary, source and tags"),
             lambda: screen.edit_part("case")),
            (say("Edit the teaching notes"), say("Level, questions, notes and expected findings"),
             screen.edit_part_teaching),
            (say("Accept the selected finding"), say("With a reason and who decided (A)"), screen.action_accept),
            (say("Un-accept the selected finding"), say("It counts again (A on an accepted finding)"),
             screen.action_accept),
            (say("Remove stale acceptances"), say("Accepted findings that no longer occur"),
             screen.remove_stale),
            (say("Show ids in the tree"), say("Ids beside the names (#)"), screen.action_toggle_ids),
        ]

    async def discover(self) -> Hits:
        """Every command, for an empty palette."""
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        """The commands that match what is typed."""
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)


class CaseScreen(Screen[None]):
    """One open case."""

    COMMANDS: ClassVar[set[Any]] = {CaseCommands}

    #: The keys, most important first: the footer shows as many as fit (see :func:`speak_bindings`),
    #: always with ``?``, the list of every key; those with ``show=False`` are in that list only.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", N_("Add"), id="case.add"),
        Binding("e", "edit", N_("Edit"), id="case.edit"),
        Binding("ctrl+s", "save", N_("Save"), id="case.save", priority=True),
        Binding("z", "full_graph", N_("Full graph"), id="case.full_graph"),
        Binding("delete", "delete", N_("Delete"), id="case.delete"),
        Binding("ctrl+z", "undo", N_("Undo"), id="case.undo"),
        Binding("p", "next_persona", N_("Persona"), id="case.persona"),
        Binding("g", "show_tab('graph')", N_("Graph"), id="case.graph"),
        Binding("m", "review", N_("Meeting"), id="case.review"),
        Binding("r", "rename", N_("Rename"), id="case.rename"),
        Binding("x", "export", N_("Export"), id="case.export"),
        Binding("escape", "close", N_("Library"), id="case.close"),
        Binding("f1", "app.help", N_("Help"), id="case.help", priority=True),
        Binding("ctrl+q", "app.quit", N_("Quit"), id="case.quit", priority=True),
        Binding("question_mark", "app.keys", N_("Keys"), id="case.keys"),
        Binding("ctrl+y", "redo", N_("Redo"), id="case.redo", show=False),
        Binding("d", "show_tab('detail')", N_("Detail"), id="case.detail", show=False),
        Binding("i", "interventions", N_("Interventions"), id="case.interventions", show=False),
        Binding("c", "compare", N_("Compare interventions"), id="case.compare", show=False),
        Binding("f", "focus_findings", N_("Findings"), id="case.findings", show=False),
        Binding("A", "accept", N_("Accept finding"), id="case.accept", show=False),
        Binding("number_sign", "toggle_ids", N_("Show ids"), id="case.ids", show=False),
        Binding("t", "teach", N_("Teach"), id="case.teach", show=False),
        Binding("ctrl+b", "toggle_tree", N_("Tree"), id="case.tree", show=False),
    ]
    #: Shown in the footer at any width: the way to every other key.
    ALWAYS_SHOWN = frozenset({"case.keys"})
    #: The full-screen graph keeps the title and the keys.
    ALLOW_IN_MAXIMIZED_VIEW = "Header, Footer"

    def __init__(self, session: EditSession, state: StateDir, cases_dir: Path) -> None:
        super().__init__()
        self.session = session
        self.state = state
        self.cases_dir = cases_dir
        self.analysis: Analysis | None = None
        self.generation = 0
        self.selected_finding: Finding | None = None
        self.selected_ref: ElementRef | None = None
        self._loading_timer: Timer | None = None
        self._frozen = False
        self._recovery_due = False
        # The recovery file is written off the interface thread; the newest edit wins.
        self._recovery_lock = threading.Lock()
        self._recovery_generation = 0
        #: Notices when the file changes on disk, and asks what to do.
        self.disk = DiskWatch(self)
        #: The language the tabs and keys are in.
        self._language = ""

    # ------------------------------------------------------------ layout

    def compose(self) -> Any:
        yield Header()
        with Horizontal(id="case-main"):
            yield CaseTree(id="tree")
            with Vertical(id="case-right"):
                say = self.words.say
                with TabbedContent(id="tabs", initial="detail"):
                    with TabPane(say("Detail"), id="detail"):
                        yield DetailPane(id="detail-pane")
                    with TabPane(say("Graph"), id="graph"):
                        yield GraphView(id="graph-view")
                    with TabPane(say("Persona"), id="persona"):
                        yield PersonaPanel(id="persona-panel")
                    with TabPane(say("Interventions"), id="interventions"):
                        yield InterventionPanel(id="intervention-panel")
                    with TabPane(say("Meeting"), id="review"):
                        yield ReviewPanel(id="review-panel")
                yield FindingsPanel(id="findings", language=self.session.case.language)
        yield Footer()

    def on_mount(self) -> None:
        """Show the case and start analysing it."""
        self.update_title()
        self.speak_keys()
        tree = self.query_one(CaseTree)
        tree.show_case(self.session.case, None)
        tree.focus()
        # The cursor starts on the first element, its detail shown: a adds another of its kind.
        self.call_after_refresh(tree.start_cursor)
        self.run_analysis()
        self.set_interval(self.DISK_CHECK_SECONDS, self._look_at_disk, name="disk check")

    def speak_keys(self) -> None:
        """The keys in the interface's language, as many in the footer as its width has room for
        after the keys of the focused part, which come first."""
        self._language = self.words.language
        focused = self.focused
        first = sum(footer_width(node) for node in focused.ancestors_with_self
                    if node is not self and node is not self.app) if focused is not None else 0
        speak_bindings(self, self.words, self.app.size.width - first, self.ALWAYS_SHOWN)

    def on_resize(self) -> None:
        """A new width: another number of keys fits in the footer."""
        self.speak_keys()

    def on_descendant_focus(self) -> None:
        """Another part has the focus: its own keys take room in the footer first."""
        self.speak_keys()

    # ------------------------------------------------------------ analysis

    #: An analysis that took less than this the last time runs at once, without a worker: a
    #: thread would share the interpreter with the redrawing and take twice as long.
    QUICK_ANALYSIS_SECONDS = 0.1

    def run_analysis(self) -> None:
        """Analyse the current case: at once when that is quick, else in a worker, with a loading
        indicator if it takes a moment (the interface never waits on a large case)."""
        self.generation += 1
        if self._loading_timer is not None:
            self._loading_timer.stop()
            self._loading_timer = None
        last = sum(self.analysis.timings.values()) if self.analysis is not None else None
        if last is not None and last < self.QUICK_ANALYSIS_SECONDS:
            self.post_message(AnalysisReady(analyze(self.spoken_case), self.generation))
            return
        self._loading_timer = self.set_timer(0.15, self._show_loading)
        # Cases are never changed in place (every edit makes a new one), so the worker can
        # read the current one while the interface goes on.
        self._analyse(self.spoken_case, self.generation)

    @property
    def spoken_case(self) -> Any:
        """The case as the analysis says it: in the interface's language (the user's choice wins
        over the case's ``language``; the case's own texts stay as written)."""
        case = self.session.case
        return case.in_language(self.app.language_for(case.language))  # type: ignore[attr-defined]

    def _show_loading(self) -> None:
        self.query_one(FindingsPanel).loading = True

    @work(thread=True, exclusive=True, group="analysis", description="analysing the case")
    def _analyse(self, case: Any, generation: int) -> None:
        with paused():
            analysis = analyze(case)
        self.post_message(AnalysisReady(analysis, generation))

    @on(AnalysisReady)
    def _analysis_ready(self, message: AnalysisReady) -> None:
        if message.generation != self.generation:
            return  # an edit came in while this ran; its own analysis follows
        if self._loading_timer is not None:
            self._loading_timer.stop()
        findings = self.query_one(FindingsPanel)
        findings.loading = False
        self.analysis = message.analysis
        case = self.session.case
        if self.selected_finding is not None:
            self.selected_finding = self.analysis.finding(self.selected_finding.id)
        marked = frozenset(self.selected_finding.nodes) if self.selected_finding else frozenset()
        self.query_one(CaseTree).show_case(case, self.analysis, marked)
        findings.set_analysis(self.analysis)
        self.query_one(PersonaPanel).set_analysis(self.analysis)
        self.query_one(InterventionPanel).set_analysis(self.analysis)
        self.query_one(ReviewPanel).set_analysis(self.analysis)
        self._refresh_detail()
        if self._recovery_due:
            self._recovery_due = False
            self._keep_recovery()
        if not self._frozen:
            # What is alive now (the interface, the case, its first analysis) lives as long
            # as the screen: keep it out of the cycle collector's full passes, which would
            # otherwise pause the interface for a tenth of a second every few edits.
            gc.freeze()
            self._frozen = True

    def on_unmount(self) -> None:
        """Hand what the screen kept back to the cycle collector."""
        if self._frozen:
            gc.unfreeze()

    def _refresh_detail(self) -> None:
        case = self.session.case
        detail = self.query_one(DetailPane)
        graph = self.query_one(GraphView)
        if self.selected_finding is not None:
            detail.show_finding(case, self.selected_finding)
            graph.show(case, finding=self.selected_finding)
        elif self.selected_ref is not None and self.selected_ref.key and self._exists(self.selected_ref):
            if self.selected_ref.kind in _PARTS:
                detail.show_part(case, self.analysis, self.selected_ref)
                graph.show(case)
                return
            detail.show_element(case, self.analysis, self.selected_ref)
            graph.show(case, node=self.selected_ref.key if self.selected_ref.kind != "journey" else None)
        else:
            detail.show_text(self.words.say("Select an element in the tree or a finding below."))
            graph.show(case)

    def _exists(self, ref: ElementRef) -> bool:
        case = self.session.case
        if ref.kind in ("case", "teaching"):
            return True
        if ref.kind == "attribute":
            return ref.key in case.attributes
        if ref.kind == "acceptance":
            return ref.key.isdigit() and int(ref.key) < len(case.accepted)
        if ref.kind == "journey":
            return int(ref.key) < len(self.session.case.journeys)
        return any(item.id == ref.key for item in getattr(self.session.case, ref.section))

    # ------------------------------------------------------------ selection

    @on(ElementSelected)
    def _element_selected(self, message: ElementSelected) -> None:
        self.selected_ref = message.ref
        if message.ref is not None and message.ref.key:
            self.selected_finding = None
            self.query_one(CaseTree).mark(frozenset())
        self._refresh_detail()

    @on(FindingSelected)
    def _finding_selected(self, message: FindingSelected) -> None:
        self.selected_finding = message.finding
        self.query_one(CaseTree).mark(frozenset(message.finding.nodes))
        self._refresh_detail()

    def action_show_tab(self, tab: str) -> None:
        """Switch the right-hand pane to a tab."""
        self.query_one(TabbedContent).active = tab

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        # On a narrow terminal the review table takes the findings' room: it lists them itself.
        self.set_class(event.pane.id == "review", "-review")

    def action_full_graph(self) -> None:
        """The graph on the whole screen, where a circle of six boxes fits at 80×24; again (or
        escape) to go back."""
        if self.maximized is not None:
            self.minimize()
            return
        self.action_show_tab("graph")
        graph = self.query_one(GraphView)
        graph.focus()
        self.maximize(graph, container=False)

    def action_interventions(self) -> None:
        """The interventions tab, with the list focused (space ticks, c compares)."""
        self.action_show_tab("interventions")
        self.query_one("#intervention-list").focus()

    def action_review(self) -> None:
        """The review tab (the action plan per layer and organisation), with its list focused."""
        self.action_show_tab("review")
        self.query_one(ReviewPanel).list.focus()

    @on(InterventionEdit)
    def _intervention_edit(self, message: InterventionEdit) -> None:
        """A quick edit of an intervention (from the review tab): one edit, undone with ctrl+z."""
        message.stop()
        if not self._editable():
            return
        try:
            data = set_intervention_fields(self.session.case.to_data(), message.intervention, message.changes)
        except KeyError:
            self.notify(self.words.say("The case has no intervention {id} (any more).", id=message.intervention),
                        title=self.words.say("Not applied"), severity="error")
            return
        self.apply_data(data, message.label)

    @on(EditRequested)
    def _edit_requested(self, message: EditRequested) -> None:
        message.stop()
        if self._editable() and self._exists(message.ref):
            self._open_form(message.ref.kind, message.ref)

    def action_compare(self) -> None:
        """Compare the case with and without the ticked interventions."""
        self.action_show_tab("interventions")
        self.query_one(InterventionPanel).action_compare()

    def action_toggle_tree(self) -> None:
        """Hide or show the tree (more room for the detail and findings on a narrow terminal)."""
        tree = self.query_one(CaseTree)
        tree.display = not tree.display
        if tree.display:
            tree.focus()
        elif self.focused is None or self.focused is tree:
            self.action_focus_findings()

    def action_focus_findings(self) -> None:
        """Focus the list of findings."""
        self.query_one(FindingsPanel).table.focus()

    def action_next_persona(self) -> None:
        """Switch to the next persona (persona tab and findings filter); after the last, all personas."""
        personas = [p.id for p in self.session.case.personas]
        if not personas:
            self.notify(self.words.say("This case has no personas."))
            return
        findings = self.query_one(FindingsPanel)
        current = findings.filters()[0]
        if current == personas[-1]:
            findings.set_filters(persona=None)
            self.notify(self.words.say("Findings of all personas."))
            return
        following = personas[personas.index(current) + 1] if current in personas else personas[0]
        self.query_one(PersonaPanel).show_persona(following)
        findings.set_filters(persona=following)
        self.action_show_tab("persona")

    # ------------------------------------------------------------ title and recovery

    def update_title(self) -> None:
        """Title: the case file, with ● while there are unsaved changes."""
        path = self.session.path
        name = path.name if path is not None else self.session.case.id
        # Whether the case differs from the file is worked out with the recovery file, off this
        # thread; until then an edited case counts as modified.
        known = self.session.modified_if_known
        marker = " ●" if known or (known is None and self.session.undo_stack) else ""
        self.app.title = f"kafka-tool — {name}{marker}"
        say = self.words.say
        self.app.sub_title = self.session.case.title + (
            " " + say("(read only: too large to edit here)") if self.session.read_only
            else " " + say("(sample: saving makes a copy)") if self.session.is_sample else ""
        )

    def _keep_recovery(self) -> None:
        """Keep the unsaved edits in the recovery file (or drop it when there are none)."""
        self._recovery_generation += 1
        self._write_recovery(self.session.case, self._recovery_generation)

    @work(thread=True, group="recovery", description="keeping the unsaved edits")
    def _write_recovery(self, case: Any, generation: int) -> None:
        path = self.session.path
        if path is None:
            return
        document = self.session.document
        with self._recovery_lock:
            if generation != self._recovery_generation:
                return  # a newer edit writes its own
            try:
                if self.session.is_modified(case):
                    self.state.keep(path, case, base=document.version, base_text=document.text)
                else:
                    self.state.discard(path)
            except OSError as error:
                self.app.call_from_thread(
                    self.notify,
                    self.words.say("Could not write the recovery file: {error}", error=said(error, self.words)),
                    severity="warning"
                )
        self.app.call_from_thread(self.update_title)

    def _follow_language(self) -> None:
        """After an edit of the case's language: the tabs and the keys in the new one."""
        language = self.words.language
        if language == self._language:
            return
        self._language = language
        say = self.words.say
        tabs = self.query_one(TabbedContent)
        for pane, title in (("detail", "Detail"), ("graph", "Graph"), ("persona", "Persona"),
                            ("interventions", "Interventions"), ("review", "Meeting")):
            tabs.get_tab(pane).label = say(title)  # type: ignore[assignment]
        self.speak_keys()

    @on(CaseEdited)
    def _case_edited(self, message: CaseEdited) -> None:
        self._follow_language()
        self.update_title()
        self._recovery_due = True  # written once the findings are on screen (see _analysis_ready)
        self.run_analysis()

    # ------------------------------------------------------------ editing

    def _target(self) -> ElementRef | None:
        return self.query_one(CaseTree).selected_ref

    def apply_data(self, data: dict[str, Any], label: str, select: ElementRef | None = None) -> bool:
        """Validate new case data and make it the current case; False (with a message) when invalid."""
        case, issues = validate_data(data)
        if case is None:
            self.notify("\n".join(self.words.say_message(i.message) for i in issues[:3]),
                        title=self.words.say("Not applied"),
                        severity="error")
            return False
        self.session.apply(case, label)
        if select is not None:
            self.selected_ref = select
        self.query_one(CaseTree).show_case(self.session.case, self.analysis)
        if select is not None:
            self.query_one(CaseTree).select_ref(select)
        self.post_message(CaseEdited(label))
        return True

    def _editable(self) -> bool:
        """Whether the case may be edited here; if not, say why."""
        if self.session.read_only is None:
            return True
        self.notify(self.words.say_message(self.session.read_only), title=self.words.say("Read only"),
                    severity="warning")
        return False

    @property
    def words(self) -> Words:
        """The words the interface speaks for this case (the user's choice, else the case's language)."""
        return self.app.words_for(self.session.case.language)  # type: ignore[attr-defined, no-any-return]

    def action_add(self) -> None:
        """Add an element of the kind selected in the tree."""
        if not self._editable():
            return
        target = self._target()
        kind = target.kind if target is not None else "touchpoint"
        if kind in ("case", "teaching"):
            self.edit_part(kind)
            return
        if kind == "acceptance":
            self.notify(self.words.say("Select a finding in the list below and press A to accept it."))
            return
        case = self.session.case
        if target is not None and target.kind == "actor" and target.key:
            # On an actor: another actor, or a touchpoint where this one serves.
            actor = case.actor(target.key)
            say = self.words.say

            def chosen(what: str | None) -> None:
                if what == "actor":
                    self._open_form("actor", None)
                elif what == "touchpoint":
                    self._open_form("touchpoint", None, prefill={"actor": target.key})

            self.app.push_screen(ChoiceModal(say("Add what?"), [
                ("a", say("an actor"), "actor"),
                ("t", say("a touchpoint at {actor}", actor=actor.name if actor else target.key), "touchpoint"),
            ], stacked=True), chosen)  # below each other: an actor's name can be long
            return
        if target is not None and target.kind == "touchpoint" and target.key:
            touchpoint = case.touchpoint(target.key)
            if touchpoint is not None and touchpoint.actor:
                self._open_form("touchpoint", None, prefill={"actor": touchpoint.actor})
                return
        self._open_form(kind, None)

    def edit_part(self, kind: str) -> None:
        """Edit the case header (``case``) or the teaching notes (``teaching``)."""
        if self._editable():
            self._open_form(kind, ElementRef(kind, "teaching" if kind == "teaching" else "header"))

    def edit_part_teaching(self) -> None:
        """Edit the teaching notes (from the palette)."""
        self.edit_part("teaching")

    def add_element(self, kind: str) -> None:
        """Add an element of ``kind`` (from the command palette)."""
        if not self._editable():
            return
        self._open_form(kind, None)

    def action_edit(self) -> None:
        """Edit the selected element."""
        if not self._editable():
            return
        target = self._target()
        if target is None or not target.key:
            self.notify(self.words.say("Select an element in the tree to edit it."))
            return
        if target.kind == "acceptance" and not self._exists(target):
            return
        self._open_form(target.kind, target)

    def action_rename(self) -> None:
        """Rename the selected element's id; every reference follows."""
        if not self._editable():
            return
        target = self._target()
        if target is None or not target.key:
            self.notify(self.words.say("Select an element in the tree to rename it."))
            return
        if target.kind in ("journey", "acceptance", "teaching"):
            self.notify(self.words.say("A journey has no id to rename; edit it instead.") if target.kind == "journey"
                        else self.words.say("This has no id to rename; edit it instead."))
            return
        self._open_form(target.kind, target, only=("name",) if target.kind == "attribute" else ("id",))

    def _open_form(self, kind: str, ref: ElementRef | None, only: tuple[str, ...] = (),
                   prefill: dict[str, Any] | None = None) -> None:
        def done(result: FormResult | None) -> None:
            if result is None:
                return
            data = self.session.case.to_data()
            for part, value in result.created:
                data = part.put(data, value)
            form = Part(kind, ref, prefill or {})
            try:
                data = form.put(data, result.value)
            except ValueError as error:
                message = error.args[0] if len(error.args) == 1 and isinstance(error.args[0], str) else str(error)
                self.notify(self.words.say_message(message), title=self.words.say("Not applied"), severity="error")
                return
            select = form.result_ref(result.value, self.session.case)
            key = select.key
            say = self.words.say
            noun = say(KIND_NOUNS[kind])
            if ref is None:
                label = say("add {kind} {id}", kind=noun, id=key)
            elif only in (("id",), ("name",)):
                label = say("rename {old} to {new}", old=ref.key, new=key)
            else:
                label = say("edit {kind} {id}", kind=noun, id=key)
            if result.created:
                label += " " + self.words.say_n("(and {n} more)", "(and {n} more)", len(result.created))
            self.apply_data(data, label, select)

        self.app.push_screen(ElementForm(self.session.case, kind, ref, only, prefill=prefill), done)

    def action_delete(self) -> None:
        """Delete the selected element, asking first (and saying what still refers to it)."""
        if not self._editable():
            return
        target = self._target()
        if target is None or not target.key:
            self.notify(self.words.say("Select an element in the tree to delete it."))
            return
        if target.kind in _PARTS:
            self._delete_part(target)
            return
        say = self.words.say
        noun = say(KIND_NOUNS.get(target.kind, target.kind))
        refs = [] if target.kind == "journey" else referrers(self.session.case, target.key)
        if refs:
            detail = say("Still referred to by:") + "\n" + "\n".join(
                f"  • {reference_words(r, self.words)}" for r in refs[:12])
            if len(refs) > 12:
                detail += "\n  " + self.words.say_n("… and {n} more", "… and {n} more", len(refs) - 12)
            detail += "\n" + say("Those references will be removed too (undo brings them back).")
        else:
            detail = say("Nothing refers to it. Undo (ctrl+z) brings it back.")

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            case = delete_element(self.session.case, target)
            self.session.apply(case, say("delete {kind} {id}", kind=noun, id=target.key))
            self.selected_ref = None
            self.query_one(CaseTree).show_case(self.session.case, self.analysis)
            self.post_message(CaseEdited(f"delete {target.key}"))

        asked = _DELETE_QUESTIONS.get(target.kind)
        question = (say(asked, id=target.key) if asked is not None
                    else say("Delete {kind} '{id}'?", kind=noun, id=target.key))
        self.app.push_screen(ConfirmModal(question, detail), answer)

    def _delete_part(self, target: ElementRef) -> None:
        """Delete an attribute, an acceptance or the teaching notes, asking first."""
        say = self.words.say
        case = self.session.case
        if target.kind == "case":
            self.notify(say("The case itself cannot be deleted; edit its header instead."))
            return
        if target.kind == "attribute":
            refs = attribute_referrers(case, target.key)
            if refs:
                detail = say("Used by:") + "\n" + "\n".join(
                    f"  • {reference_words(r, self.words)}" for r in refs[:12])
                if len(refs) > 12:
                    detail += "\n  " + self.words.say_n("… and {n} more", "… and {n} more", len(refs) - 12)
                detail += "\n" + say("Each rule's condition on it goes (the rule no longer looks at it), and "
                                      "each persona's value; undo (ctrl+z) brings them back.")
            else:
                detail = say("Nothing uses it. Undo (ctrl+z) brings it back.")
            question = say("Delete attribute '{name}'?", name=target.key)

            def delete() -> Any:
                return delete_attribute(case, target.key)
        elif target.kind == "acceptance":
            if not self._exists(target):
                return
            accepted = case.accepted[int(target.key)]
            question = say("Un-accept '{finding}'?", finding=accepted.finding)
            detail = say("The finding counts again. Undo (ctrl+z) brings the acceptance back.")

            def delete() -> Any:
                return delete_acceptance(case, int(target.key))
        else:
            if case.teaching is None:
                self.notify(say("The case has no teaching notes."))
                return
            question = say("Delete the teaching notes?")
            detail = say("Undo (ctrl+z) brings them back.")

            def delete() -> Any:
                data = put_teaching(case.to_data(), None)
                return validate_data(data)[0]

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            new = delete()
            if new is None:
                return
            self.session.apply(new, say("delete {kind} {id}", kind=say(KIND_NOUNS.get(target.kind, target.kind)),
                                        id=target.key))
            self.selected_ref = None
            self.query_one(CaseTree).show_case(self.session.case, self.analysis)
            self.post_message(CaseEdited(f"delete {target.key}"))

        self.app.push_screen(ConfirmModal(question, detail), answer)

    def action_accept(self) -> None:
        """Accept the selected finding (with a reason and who decided), or un-accept an accepted one."""
        if not self._editable():
            return
        say = self.words.say
        case = self.session.case
        target = self._target()
        if target is not None and target.kind == "acceptance" and self.focused is self.query_one(CaseTree):
            self._delete_part(target)
            return
        finding = self.selected_finding or self.query_one(FindingsPanel).selected
        if finding is None:
            self.notify(say("Select a finding in the list below first."))
            return
        index = next((n for n, a in enumerate(case.accepted) if a.finding == finding.id), None)
        if index is not None:
            self._delete_part(ElementRef("acceptance", str(index)))
            return
        self._open_form("acceptance", None, prefill={"finding": finding.id})

    def remove_stale(self) -> None:
        """Remove every accepted finding that no longer occurs."""
        if not self._editable() or self.analysis is None:
            return
        stale = set(self.analysis.stale_accepted)
        case = self.session.case
        if not stale:
            self.notify(self.words.say("No acceptance is stale."))
            return
        data = case.to_data()
        data["accepted"] = [a for a in data.get("accepted", []) if a.get("finding") not in stale]
        self.apply_data(data, self.words.say_n("remove {n} stale acceptance", "remove {n} stale acceptances",
                                               len(stale)))

    def action_toggle_ids(self) -> None:
        """Show or hide the ids beside the names in the tree."""
        self.query_one(CaseTree).toggle_ids()

    def action_undo(self) -> None:
        """Undo the last edit."""
        label = self.session.undo()
        if label is None:
            self.notify(self.words.say("Nothing to undo."))
            return
        self.query_one(CaseTree).show_case(self.session.case, self.analysis)
        self.notify(self.words.say("Undone: {edit}", edit=label))
        self.post_message(CaseEdited(f"undo {label}"))

    def action_redo(self) -> None:
        """Redo the last undone edit."""
        label = self.session.redo()
        if label is None:
            self.notify(self.words.say("Nothing to redo."))
            return
        self.query_one(CaseTree).show_case(self.session.case, self.analysis)
        self.notify(self.words.say("Redone: {edit}", edit=label))
        self.post_message(CaseEdited(f"redo {label}"))

    # ------------------------------------------------------------ saving

    def action_save(self) -> None:
        """Save with the round-trip writer; a sample is saved as a copy in a folder you choose."""
        if not self._editable():
            return
        if self.session.is_sample or self.session.path is None:
            stem = self.session.path.stem if self.session.path is not None else self.session.case.id
            default = self.cases_dir / f"{stem}.yaml"
            self.app.push_screen(
                PathModal(
                    self.words.say("This is a sample case: save your copy as"), str(default), must_exist=False,
                    action=self.words.say("Save copy"),
                ),
                self._save_as,
            )
            return
        self._write(None)

    def _save_as(self, path: Path | None) -> None:
        if path is None:
            return
        if is_sample_path(path):
            self.notify(self.words.say("{path} is a case of the installed sample library; save your copy somewhere "
                                       "else.", path=str(path)), title=self.words.say("Not saved"), severity="error")
            self.action_save()
            return
        write_unless_declined(self.app, path, self._write)

    def _write(self, path: Path | None, *, overwrite_changed: bool = False) -> None:
        old = self.session.path
        try:
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            written = self.session.save(path, overwrite_changed=overwrite_changed)
        except FileChanged as changed:
            # Nothing was written: say what changed, and offer to merge, copy or overwrite.
            self.disk.changed(changed.found, "save")
            return
        except OSError as error:
            self.notify(self.words.say("Could not save: {error}", error=said(error, self.words)),
                        title=self.words.say("Not saved"),
                        severity="error")
            return
        with self._recovery_lock:
            self._recovery_generation += 1  # a recovery write still waiting is out of date
            if old is not None:
                self.state.discard(old)
            self.state.discard(written)
        with contextlib.suppress(OSError):
            self.state.add_recent(written)
        self.update_title()
        self.notify(self.words.say("Saved {path}", path=str(written)))
        self.post_message(CaseSaved(written))

    # ------------------------------------------------------------ the file on disk

    #: How often (seconds) the file is looked at for changes made outside (one stat a look).
    DISK_CHECK_SECONDS = 2.0

    def _look_at_disk(self) -> None:
        self.disk.check("poll")

    def on_screen_resume(self) -> None:
        """Back on top (a form or dialog closed): look at the file if a look was asked for meanwhile."""
        if self.disk.pending:
            self.disk.check("resume")

    def save_now(self, *, overwrite_changed: bool = False) -> None:
        """Save to the case's own file (``overwrite_changed``: even though it changed on disk)."""
        self._write(None, overwrite_changed=overwrite_changed)

    def save_copy(self) -> None:
        """Save the case as a copy, in a file the user chooses (the file on disk stays as it is)."""
        path = self.session.path
        stem = path.stem if path is not None else self.session.case.id
        folder = path.parent if path is not None else self.cases_dir
        self.app.push_screen(
            PathModal(self.words.say("Save your version as"), str(folder / f"{stem}-mine.yaml"),
                      must_exist=False, action=self.words.say("Save copy")),
            self._save_as,
        )

    def show_merged(self, label: str) -> None:
        """Show the case after it was merged with (or reloaded from) the file on disk."""
        self.query_one(CaseTree).show_case(self.session.case, self.analysis)
        self.post_message(CaseEdited(label))

    # ------------------------------------------------------------ leaving

    def action_close(self) -> None:
        """Back to the library (asking first when there are unsaved changes)."""
        self.app.close_case()  # type: ignore[attr-defined]

    def action_export(self) -> None:
        """Export the case, a finding, a persona, a journey or an intervention view."""
        self.app.export_dialog()  # type: ignore[attr-defined]

    def action_teach(self) -> None:
        """Open this case in teaching mode."""
        self.app.teach(self.session)  # type: ignore[attr-defined]
