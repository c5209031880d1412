"""The export dialog: the case, a finding, a persona, a journey, an intervention or a persona's means, in any format
of ``exports``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

import exports
from exports.means import chartable_attributes
from exports.writer import ExistingFiles, OutputFolder, View, plan_case, view_formats, write_planned
from kafka_tool.errors import said
from kafka_tool.files import make_folder
from kafka_tool.i18n import N_, Words

from ..language import interface_words

if TYPE_CHECKING:
    from .case import CaseScreen

__all__ = ["ExportModal", "export_views"]


def export_views(screen: CaseScreen, words: Words) -> list[tuple[str, View]]:
    """What can be exported from the case screen now: the case, and the selected finding, persona, ...
    (named in ``words``' language)."""
    say = words.say
    case = screen.session.case
    views: list[tuple[str, View]] = [(say("the whole case"), View())]
    if screen.selected_finding is not None:
        views.append((say("finding: {title}", title=screen.selected_finding.title),
                      View("finding", screen.selected_finding.id)))
    for persona in case.personas:
        views.append((say("persona: {name}", name=persona.name), View("persona", persona.id)))
    for persona in case.personas:
        views.append((say("timeline: {name}", name=persona.name), View("timeline", persona.id)))
    analysis = screen.analysis
    for persona in case.personas if analysis is not None else ():
        names = chartable_attributes(analysis, persona.id)
        if len(names) == 1:
            views.append((say("means: {name}", name=persona.name), View("means", persona.id)))
        else:  # one chart for each money attribute, named in the file
            views += [(say("means along {attribute}: {name}", attribute=name, name=persona.name),
                       View("means", persona.id, name)) for name in names]
    for key in exports.journey_keys(case):
        views.append((say("journey: {key}", key=key), View("journey", key)))
    for intervention in case.interventions:
        views.append((say("intervention: {title}", title=intervention.title), View("intervention", intervention.id)))
    views.append((say("the action plan (html, md, csv)"), View("plan")))
    views.append((say("the review table per organisation (html, md)"), View("review")))
    return views


class ExportModal(ModalScreen[list[Path] | None]):
    """Choose a view, a format and a folder; the export runs in a worker and says where it wrote."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Close"), id="export.cancel")]

    HELP = N_("""\
## Export

Choose what to export (the whole case, the selected finding, a persona, a
persona's timeline of days, a journey, an intervention, or the chart of a
persona's means along a money attribute: svg, png or pdf; the action plan:
html, md or csv; the review table per organisation: html or md), the format
(diagrams need Graphviz's `dot` for svg, png and pdf; the means chart does
not), and the folder. The current, possibly unsaved, case is
exported. Existing files are not overwritten unless you tick "overwrite
existing files".
""")

    def __init__(self, screen: CaseScreen) -> None:
        super().__init__()
        self.case_screen = screen
        self.views: list[tuple[str, View]] = []
        self.written: list[Path] = []

    @property
    def words(self) -> Words:
        """The words of the case's interface."""
        return interface_words(self, self.case_screen.session.case.language)

    def compose(self) -> Any:
        say = self.words.say
        self.views = export_views(self.case_screen, self.words)
        path = self.case_screen.session.path
        folder = self.case_screen.cases_dir if self.case_screen.session.is_sample or path is None else path.parent
        with Vertical(id="export-dialog", classes="dialog"):
            yield Static(say("Export"), id="path-title")
            yield Label(say("what"), classes="form-label")
            yield Select(
                [(Text(label), n) for n, (label, _) in enumerate(self.views)],
                value=0,
                id="export-view",
                allow_blank=False,
                compact=True,
            )
            yield Label(say("format"), classes="form-label")
            yield Select(
                [(f, f) for f in exports.FORMATS], value="md", id="export-format", allow_blank=False, compact=True
            )
            yield Label(say("folder"), classes="form-label")
            yield Input(str(folder), id="export-folder", compact=True)
            yield Checkbox(say("overwrite existing files"), id="export-force", compact=True)
            yield Static("", id="export-result")
            with Horizontal(classes="dialog-buttons"):
                yield Button(say("Export"), id="export-go", variant="primary", compact=True)
                yield Button(say("Close"), id="export-close", compact=True)

    @on(Select.Changed, "#export-view")
    def _offer_formats(self, event: Select.Changed) -> None:
        """Offer the formats the chosen view can be written in, keeping the one chosen where it still fits."""
        if not isinstance(event.value, int):
            return
        formats = view_formats(self.views[event.value][1])
        select = self.query_one("#export-format", Select)
        current = select.value
        select.set_options([(f, f) for f in formats])
        preferred = next((f for f in ("md", "svg", "html") if f in formats), formats[0])
        select.value = current if current in formats else preferred

    def action_cancel(self) -> None:
        """Close the dialog."""
        self.dismiss(self.written or None)

    @on(Button.Pressed, "#export-close")
    def _close(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    @on(Button.Pressed, "#export-go")
    def _go(self, event: Button.Pressed) -> None:
        event.stop()
        self.start()

    def start(self) -> None:
        """Export in a worker; the dialog shows progress, then the files written."""
        analysis = self.case_screen.analysis
        if analysis is None:
            return
        view_index = self.query_one("#export-view", Select).value
        if not isinstance(view_index, int):
            return
        fmt = str(self.query_one("#export-format", Select).value)
        folder = Path(self.query_one("#export-folder", Input).value).expanduser()
        force = self.query_one("#export-force", Checkbox).value
        view = self.views[view_index][1]
        self.query_one("#export-result", Static).update(self.words.say("Exporting…"))
        self.query_one("#export-go", Button).disabled = True
        self._export(analysis, view, fmt, folder, force)

    @work(thread=True, exclusive=True, group="export", description="exporting")
    def _export(self, analysis: Any, view: View, fmt: str, folder: Path, force: bool) -> None:
        words = self.words
        try:
            make_folder(folder)
            # Named after the case's file, as on the command line (a new case not saved yet: its id).
            source = self.case_screen.session.path
            stem = exports.safe_name(source.stem if source is not None else analysis.case.id) + view.suffix
            planned = plan_case(analysis, fmt, view, exports.LAYERS, stem)
            # The shared writer: checked, locked and atomic, as from the command line.
            targets = write_planned(OutputFolder(folder, force), planned)
        except ExistingFiles as error:
            others = len(error.existing) - 1
            message = (words.say_n("{path} exists (and {n} more); tick 'overwrite existing files' to replace them",
                                   "{path} exists (and {n} more); tick 'overwrite existing files' to replace them",
                                   others, path=str(error.existing[0])) if others
                       else words.say("{path} exists; tick 'overwrite existing files' to replace it",
                                      path=str(error.existing[0])))
            self.app.call_from_thread(self._done, [], message)
            return
        except (exports.ExportError, OSError) as error:
            self.app.call_from_thread(self._done, [], said(error, words))
            return
        self.app.call_from_thread(self._done, targets, "")

    def _done(self, targets: list[Path], error: str) -> None:
        go = self.query_one("#export-go", Button)
        go.disabled = False
        self.call_after_refresh(go.focus)  # enter exports again; escape closes
        result = self.query_one("#export-result", Static)
        say = self.words.say
        if error:
            # No markup: errors hold brackets.
            result.update(Text.assemble((say("Not exported:") + " ", "bold red"), error))
            return
        self.written.extend(targets)
        result.update(Text(say("Wrote:") + "\n" + "\n".join(f"  {t}" for t in targets)))
        self.app.notify(say("Exported {names}", names=", ".join(t.name for t in targets)))
