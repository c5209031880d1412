"""The case screen: tree, detail, graph, personas, interventions and findings; editing and saving."""

from __future__ import annotations

import contextlib
import gc
import threading
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, TabbedContent, TabPane

from kafka_tool.analysis.engine import Analysis, analyze
from kafka_tool.findings import Finding
from kafka_tool.i18n import words
from kafka_tool.loader import validate_data
from kafka_tool.versions import FileChanged

from ..messages import AnalysisReady, CaseEdited, CaseSaved, ElementSelected, FindingSelected
from ..state import (
    EditSession,
    ElementRef,
    StateDir,
    delete_element,
    is_sample_path,
    referrers,
    replace_element,
)
from ..widgets.case_tree import CaseTree
from ..widgets.detail import DetailPane
from ..widgets.element_form import ElementForm
from ..widgets.findings import FindingsPanel
from ..widgets.graph_view import GraphView
from ..widgets.intervention_panel import InterventionPanel
from ..widgets.persona_panel import PersonaPanel
from .confirm import ConfirmModal, write_unless_declined
from .disk import DiskWatch
from .open_file import PathModal

__all__ = ["CaseScreen"]


class CaseScreen(Screen[None]):
    """One open case."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="case.add"),
        Binding("e", "edit", "Edit", id="case.edit"),
        Binding("r", "rename", "Rename", id="case.rename"),
        Binding("delete", "delete", "Delete", id="case.delete"),
        Binding("ctrl+z", "undo", "Undo", id="case.undo"),
        Binding("ctrl+y", "redo", "Redo", id="case.redo", show=False),  # the footer keeps room for the rest
        Binding("ctrl+s", "save", "Save", id="case.save", priority=True),
        Binding("p", "next_persona", "Persona", id="case.persona"),
        Binding("g", "show_tab('graph')", "Graph", id="case.graph"),
        Binding("d", "show_tab('detail')", "Detail", id="case.detail", show=False),
        Binding("i", "interventions", "Interventions", id="case.interventions", show=False),
        Binding("c", "compare", "Compare interventions", id="case.compare", show=False),
        Binding("f", "focus_findings", "Findings", id="case.findings", show=False),
        Binding("x", "export", "Export", id="case.export"),
        Binding("t", "teach", "Teach", id="case.teach", show=False),
        Binding("ctrl+b", "toggle_tree", "Tree", id="case.tree", show=False),
        Binding("escape", "close", "Library", id="case.close"),
    ]

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

    # ------------------------------------------------------------ layout

    def compose(self) -> Any:
        yield Header()
        with Horizontal(id="case-main"):
            yield CaseTree(id="tree")
            with Vertical(id="case-right"):
                with TabbedContent(id="tabs", initial="detail"):
                    with TabPane("Detail", id="detail"):
                        yield DetailPane(id="detail-pane")
                    with TabPane("Graph", id="graph"):
                        yield GraphView(id="graph-view")
                    with TabPane("Persona", id="persona"):
                        yield PersonaPanel(id="persona-panel")
                    with TabPane("Interventions", id="interventions"):
                        yield InterventionPanel(id="intervention-panel")
                yield FindingsPanel(id="findings")
        yield Footer()

    def on_mount(self) -> None:
        """Show the case and start analysing it."""
        self.update_title()
        self.query_one(CaseTree).show_case(self.session.case, None)
        self.query_one(CaseTree).focus()
        self.run_analysis()
        self.set_interval(self.DISK_CHECK_SECONDS, self._look_at_disk, name="disk check")

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
            self.post_message(AnalysisReady(analyze(self.session.case), self.generation))
            return
        self._loading_timer = self.set_timer(0.15, self._show_loading)
        # Cases are never changed in place (every edit makes a new one), so the worker can
        # read the current one while the interface goes on.
        self._analyse(self.session.case, self.generation)

    def _show_loading(self) -> None:
        self.query_one(FindingsPanel).loading = True

    @work(thread=True, exclusive=True, group="analysis", description="analysing the case")
    def _analyse(self, case: Any, generation: int) -> None:
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
            detail.show_element(case, self.analysis, self.selected_ref)
            graph.show(case, node=self.selected_ref.key if self.selected_ref.kind != "journey" else None)
        else:
            detail.show_text("Select an element in the tree or a finding below.")
            graph.show(case)

    def _exists(self, ref: ElementRef) -> bool:
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

    def action_interventions(self) -> None:
        """The interventions tab, with the list focused (space ticks, c compares)."""
        self.action_show_tab("interventions")
        self.query_one("#intervention-list").focus()

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
            self.notify("This case has no personas.")
            return
        findings = self.query_one(FindingsPanel)
        current = findings.filters()[0]
        if current == personas[-1]:
            findings.set_filters(persona=None)
            self.notify("Findings of all personas.")
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
        self.app.sub_title = self.session.case.title + (
            " (read only: too large to edit here)" if self.session.read_only
            else " (sample: saving makes a copy)" if self.session.is_sample else ""
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
                    self.notify, f"Could not write the recovery file: {error}", severity="warning"
                )
        self.app.call_from_thread(self.update_title)

    @on(CaseEdited)
    def _case_edited(self, message: CaseEdited) -> None:
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
            self.notify("\n".join(i.message for i in issues[:3]), title="Not applied", severity="error")
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
        self.notify(self.session.read_only, title="Read only", severity="warning")
        return False

    def action_add(self) -> None:
        """Add an element of the kind selected in the tree."""
        if not self._editable():
            return
        target = self._target()
        kind = target.kind if target is not None else "touchpoint"
        self._open_form(kind, None)

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
            self.notify("Select an element in the tree to edit it.")
            return
        self._open_form(target.kind, target)

    def action_rename(self) -> None:
        """Rename the selected element's id; every reference follows."""
        if not self._editable():
            return
        target = self._target()
        if target is None or not target.key:
            self.notify("Select an element in the tree to rename it.")
            return
        if target.kind == "journey":
            self.notify("A journey has no id to rename; edit it instead.")
            return
        self._open_form(target.kind, target, only=("id",))

    def _open_form(self, kind: str, ref: ElementRef | None, only: tuple[str, ...] = ()) -> None:
        def done(result: dict[str, Any] | None) -> None:
            if result is None:
                return
            data = replace_element(self.session.case.to_data(), ref, kind, result)
            if ref is None:
                key = str(len(self.session.case.journeys)) if kind == "journey" else str(result.get("id"))
                label = f"add {kind} {key}"
            elif only == ("id",):
                key = str(result.get("id"))
                label = f"rename {ref.key} to {key}"
            else:
                key = ref.key if kind == "journey" else str(result.get("id"))
                label = f"edit {kind} {key}"
            self.apply_data(data, label, ElementRef(kind, key))

        self.app.push_screen(ElementForm(self.session.case, kind, ref, only), done)

    def action_delete(self) -> None:
        """Delete the selected element, asking first (and saying what still refers to it)."""
        if not self._editable():
            return
        target = self._target()
        if target is None or not target.key:
            self.notify("Select an element in the tree to delete it.")
            return
        refs = [] if target.kind == "journey" else referrers(self.session.case, target.key)
        if refs:
            detail = "Still referred to by:\n" + "\n".join(f"  • {r}" for r in refs[:12])
            if len(refs) > 12:
                detail += f"\n  … and {len(refs) - 12} more"
            detail += "\nThose references will be removed too (undo brings them back)."
        else:
            detail = "Nothing refers to it. Undo (ctrl+z) brings it back."

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            case = delete_element(self.session.case, target)
            self.session.apply(case, f"delete {target.kind} {target.key}")
            self.selected_ref = None
            self.query_one(CaseTree).show_case(self.session.case, self.analysis)
            self.post_message(CaseEdited(f"delete {target.key}"))

        self.app.push_screen(ConfirmModal(f"Delete {target.kind} '{target.key}'?", detail), answer)

    def action_undo(self) -> None:
        """Undo the last edit."""
        label = self.session.undo()
        if label is None:
            self.notify("Nothing to undo.")
            return
        self.query_one(CaseTree).show_case(self.session.case, self.analysis)
        self.notify(f"Undone: {label}")
        self.post_message(CaseEdited(f"undo {label}"))

    def action_redo(self) -> None:
        """Redo the last undone edit."""
        label = self.session.redo()
        if label is None:
            self.notify("Nothing to redo.")
            return
        self.query_one(CaseTree).show_case(self.session.case, self.analysis)
        self.notify(f"Redone: {label}")
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
                    "This is a sample case: save your copy as", str(default), must_exist=False, action="Save copy"
                ),
                self._save_as,
            )
            return
        self._write(None)

    def _save_as(self, path: Path | None) -> None:
        if path is None:
            return
        if is_sample_path(path):
            self.notify(f"{path} is a case of the installed sample library; save your copy somewhere else.",
                        title="Not saved", severity="error")
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
            self.notify(f"Could not save: {error}", title="Not saved", severity="error")
            return
        with self._recovery_lock:
            self._recovery_generation += 1  # a recovery write still waiting is out of date
            if old is not None:
                self.state.discard(old)
            self.state.discard(written)
        with contextlib.suppress(OSError):
            self.state.add_recent(written)
        self.update_title()
        self.notify(f"Saved {written}")
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
            PathModal(words("en").say("Save your version as"), str(folder / f"{stem}-mine.yaml"),
                      must_exist=False, action=words("en").say("Save copy")),
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
