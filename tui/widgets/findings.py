"""The findings panel: severity, kind and title, filtered by persona, severity and kind."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Select

from kafka_tool.analysis.engine import Analysis
from kafka_tool.analysis.kinds import kind_names
from kafka_tool.findings import SEVERITIES, Finding, severity_rank

from ..messages import FindingSelected
from .detail import SEVERITY_STYLES

__all__ = ["FindingsPanel"]

ALL = "*"

#: Most findings listed at once: a table of thousands of rows takes seconds to lay out and
#: nobody reads it; the border says how many more there are, and the filters reach them.
MAX_ROWS = 500

#: Below this panel width the kind column is dropped (the kind filter and the detail pane still show it).
KIND_COLUMN_MIN_WIDTH = 70
SEVERITY_WIDTH = 9
KIND_WIDTH = 23  # "single point of failure"


class FindingsTable(DataTable[str]):
    """The list of findings."""

    HELP = """\
## Findings

Every finding of the analysis, most severe first. Move through them with the
arrow keys: the detail pane shows the explanation and evidence, the tree
marks the elements involved (▶), and the graph tab draws them.

Filter by persona, severity and kind with the three selectors above the
list (`p` cycles the persona).
"""


class FindingsPanel(Vertical):
    """Filters above a table of findings; posts :class:`FindingSelected`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.analysis: Analysis | None = None
        self.shown: list[Finding] = []
        self._selected_id: str | None = None
        self._columns: tuple[bool, int] | None = None
        self._rows: tuple[bool, list[tuple[str, str, str, str | None]]] | None = None

    def compose(self) -> Any:
        with Horizontal(id="finding-filters"):
            yield Select([], prompt="All personas", id="filter-persona", compact=True, allow_blank=True)
            yield Select([(s, s) for s in SEVERITIES], prompt="All severities", id="filter-severity", compact=True)
            kinds = [(k.replace("_", " "), k) for k in kind_names()]
            yield Select(kinds, prompt="All kinds", id="filter-kind", compact=True)
        yield FindingsTable(id="findings-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        """Columns for the initial width (the title is shown in full in the detail pane)."""
        self.border_title = "Findings"
        self._fit_columns()

    def on_resize(self) -> None:
        """Give the title column the width that is left; drop the kind column when narrow."""
        self._fit_columns()

    def _fit_columns(self) -> None:
        width = self.size.width or 120
        show_kind = width >= KIND_COLUMN_MIN_WIDTH
        # each column has one cell of padding either side; two more for the vertical scrollbar
        used = SEVERITY_WIDTH + 2 + (KIND_WIDTH + 2 if show_kind else 0) + 2 + 2
        layout = (show_kind, max(20, width - used))
        if layout == self._columns:
            return
        self._columns = layout
        table = self.table
        table.clear(columns=True)
        table.add_column("severity", key="severity", width=SEVERITY_WIDTH)
        if show_kind:
            table.add_column("kind", key="kind", width=KIND_WIDTH)
        table.add_column("finding", key="title", width=layout[1])
        self.refresh_rows()

    @property
    def table(self) -> FindingsTable:
        """The table of findings."""
        return self.query_one(FindingsTable)

    def set_analysis(self, analysis: Analysis) -> None:
        """Show the findings of a new analysis, keeping filters and the selected finding."""
        self.analysis = analysis
        persona_select = self.query_one("#filter-persona", Select)
        current = persona_select.value
        options = [(Text(p.name), p.id) for p in analysis.case.personas]
        persona_select.set_options(options)
        if current in {v for _, v in options}:
            persona_select.value = current
        self.refresh_rows()

    def filters(self) -> tuple[str | None, str | None, str | None]:
        """The persona, severity and kind filters (None: all)."""
        values = []
        for ident in ("#filter-persona", "#filter-severity", "#filter-kind"):
            value = self.query_one(ident, Select).value
            values.append(value if isinstance(value, str) else None)
        return values[0], values[1], values[2]

    def set_filters(self, persona: str | None = ALL, severity: str | None = ALL, kind: str | None = ALL) -> None:
        """Set filters (ALL leaves one as it is; None clears it)."""
        for ident, value in (("#filter-persona", persona), ("#filter-severity", severity), ("#filter-kind", kind)):
            if value != ALL:
                select = self.query_one(ident, Select)
                select.value = Select.NULL if value is None else value
        self.refresh_rows()

    def refresh_rows(self) -> None:
        """Fill the table from the analysis and the filters."""
        if self.analysis is None:
            return
        persona, severity, kind = self.filters()
        findings = self.analysis.findings if persona is None else self.analysis.for_persona(persona)
        self.shown = [
            f for f in findings if (severity is None or f.severity == severity) and (kind is None or f.kind == kind)
        ]
        self.shown.sort(key=lambda f: (severity_rank(f.severity), f.kind, f.id))
        table = self.table
        show_kind = "kind" in table.columns
        # An edit often leaves the findings as they were (a new day count, a renamed desk
        # elsewhere): then the rows stay, and a large table is not rebuilt for nothing.
        listed = self.shown[:MAX_ROWS]
        rows = (show_kind, [(f.id, f.severity, f.title, f.accepted) for f in listed])
        if rows != self._rows or table.row_count != len(listed):
            self._rows = rows
            self._fill(table, show_kind)
        total = len(self.analysis.findings)
        self.border_title = f"Findings {len(self.shown)} of {total}" + (
            f" (the first {MAX_ROWS} listed: filter to see the others)" if len(self.shown) > MAX_ROWS else ""
        )
        ids = [f.id for f in listed]
        if self._selected_id in ids:
            table.move_cursor(row=ids.index(self._selected_id), animate=False)

    def _fill(self, table: DataTable[Any], show_kind: bool) -> None:
        table.clear()
        for finding in self.shown[:MAX_ROWS]:
            title = Text(finding.title)
            if finding.accepted:
                title = Text.assemble(("accepted ", "italic dim"), (finding.title, "dim"))
            kind_cell = [Text(finding.kind.replace("_", " "))] if show_kind else []
            table.add_row(
                Text(finding.severity, SEVERITY_STYLES.get(finding.severity, "")),
                *kind_cell,
                title,
                key=finding.id,
            )

    @property
    def selected(self) -> Finding | None:
        """The finding under the cursor."""
        if not self.shown:
            return None
        row = self.table.cursor_row
        return self.shown[row] if 0 <= row < min(len(self.shown), MAX_ROWS) else None

    @on(Select.Changed)
    def _filter_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.refresh_rows()

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if self.table.has_focus:
            self._select(event.cursor_row)

    def on_descendant_focus(self) -> None:
        """Focusing the list selects the finding under its cursor."""
        if self.table.has_focus:
            self._select(self.table.cursor_row)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._select(event.cursor_row)

    def _select(self, row: int) -> None:
        if 0 <= row < min(len(self.shown), MAX_ROWS):
            finding = self.shown[row]
            self._selected_id = finding.id
            self.post_message(FindingSelected(finding))
