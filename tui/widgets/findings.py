"""The findings panel: severity, kind and title, filtered by persona, severity and kind."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Select

from kafka_tool.analysis.engine import Analysis
from kafka_tool.analysis.kinds import kind_label, kind_names
from kafka_tool.analysis.texts import SEVERITY_WORDS
from kafka_tool.findings import SEVERITIES, Finding, severity_rank
from kafka_tool.i18n import N_, Words

from ..messages import FindingSelected
from .case_tree import shared_start
from .detail import CROSS_MARK, SEVERITY_STYLES

__all__ = ["FindingsPanel", "distinct_titles"]

def distinct_titles(findings: Sequence[Finding], width: int, persona_names: Callable[[Finding], str]) -> list[str]:
    """The title of each finding as a row of ``width`` columns shows it, told apart from the others.

    Rows whose titles would read alike (the same first ``width - 4`` columns) show the start of
    the title, then what tells it apart: the rest from the first word where the titles differ
    ("Cirkelredenering: Inschrijving… 5 documenten"), and the personas when theirs differ
    (``persona_names``), else the end of the finding's id.
    """
    reach = max(1, width - 4)
    clusters: dict[str, list[int]] = {}
    for n, finding in enumerate(findings):
        clusters.setdefault(finding.title[:reach], []).append(n)
    shown = [f.title for f in findings]
    for members in clusters.values():
        distinct = len({findings[n].title for n in members}) == len(members)
        if len(members) < 2 or (distinct and all(len(findings[n].title) <= width for n in members)):
            continue
        titles = [findings[n].title for n in members]
        common = shared_start(titles)
        people = {persona_names(findings[n]) for n in members}
        tails_differ = len({findings[m].title[common:].strip() for m in members}) == len(members)
        for n in members:
            finding = findings[n]
            tail = finding.title[common:].strip()
            # whose it is, when that tells them apart; else (the same titles) the end of the id
            extra = persona_names(finding) if len(people) > 1 else ""
            if not tails_differ and len(people) < len(members):
                extra = " · ".join(filter(None, [extra, finding.id.rsplit("/", 1)[-1]]))
            line = f"{_head(finding.title, max(10, width - len(tail) - 2))}… {tail}" if tail else finding.title
            if len(line) > width:
                line = line[: width - 1] + "…"
            if extra and (not tails_differ or len(line) + len(extra) + 3 <= width):
                line = _fit(line, width - len(extra) - 3) + " · " + extra
            shown[n] = line
    return shown


def _head(text: str, width: int) -> str:
    """The start of ``text`` in ``width`` columns, cut after a word when there is one to cut after."""
    if len(text) <= width:
        return text
    cut = text[:width]
    words = cut.rsplit(" ", 1)[0] if " " in cut[2:] else cut
    head = words.rstrip(" :,-")
    # A name in quotes cut short keeps its closing quote: “Yonas”… cannot get, not “Yonas… cannot get.
    opened = head.count("“") + head.count("„")
    return head + "”" if opened > head.count("”") else head


def _fit(text: str, width: int) -> str:
    """``text`` in ``width`` columns, with … where it is cut."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"

ALL = "*"
#: The layers filter's one value: findings whose actors belong to two or more layers of government.
ACROSS = "across"

#: Most findings listed at once: a table of thousands of rows takes seconds to lay out and
#: nobody reads it; the border says how many more there are, and the filters reach them.
MAX_ROWS = 500

#: Below this panel width the kind column is dropped (the kind filter and the detail pane still show it).
KIND_COLUMN_MIN_WIDTH = 70
#: Below this panel width the filters are fitted to their prompts (see ``FindingsPanel._fit_filters``).
NARROW_FILTERS_WIDTH = 70
#: Each filter's prompt: in a wide panel, and in a narrow one.
FILTER_PROMPTS = {
    "#filter-persona": (N_("All personas"), N_("Persona")),
    "#filter-severity": (N_("All severities"), N_("Severity")),
    "#filter-kind": (N_("All kinds"), N_("Kind")),
    "#filter-layers": (N_("All layers"), N_("Layers")),
}
SEVERITY_WIDTH = 9
KIND_WIDTH = 23  # "single point of failure"


class FindingsTable(DataTable[str]):
    """The list of findings."""

    HELP = N_("""\
## Findings

Every finding of the analysis, most severe first. Move through them with the
arrow keys: the detail pane shows the explanation and evidence, the tree
marks the elements involved (▶), and the graph tab draws them.

Filter by persona, severity and kind with the selectors above the list
(`p` cycles the persona); the fourth, **Across layers**, keeps the findings
that span two or more layers of government (marked `↔`): problems no single
layer can solve.
""")


class FindingsPanel(Vertical):
    """Filters above a table of findings; posts :class:`FindingSelected`."""

    def __init__(self, language: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: the language of the case (the interface speaks the user's choice, else this)
        self.language = language
        self.analysis: Analysis | None = None
        self.shown: list[Finding] = []
        self._selected_id: str | None = None
        self._columns: tuple[bool, int] | None = None
        self._rows: tuple[bool, list[tuple[str, str, str, str | None, bool]]] | None = None

    @property
    def words(self) -> Words:
        """The words the interface speaks."""
        return self.app.words_for(self.language)  # type: ignore[attr-defined, no-any-return]

    def compose(self) -> Any:
        say = self.words.say
        with Horizontal(id="finding-filters"):
            yield Select([], prompt=say("All personas"), id="filter-persona", compact=True, allow_blank=True)
            yield Select(self._severity_options(), prompt=say("All severities"), id="filter-severity", compact=True)
            yield Select(self._kind_options(), prompt=say("All kinds"), id="filter-kind", compact=True)
            yield Select(self._layer_options(), prompt=say("All layers"), id="filter-layers", compact=True)
        yield FindingsTable(id="findings-table", cursor_type="row", zebra_stripes=True)

    def _severity_options(self) -> list[tuple[str, str]]:
        return [(self.words.say(SEVERITY_WORDS[s]), s) for s in SEVERITIES]

    def _kind_options(self) -> list[tuple[str, str]]:
        return [(kind_label(k, self.words), k) for k in kind_names()]

    def _layer_options(self) -> list[tuple[str, str]]:
        return [(f"{CROSS_MARK} " + self.words.say("Across layers"), ACROSS)]

    def on_mount(self) -> None:
        """Columns for the initial width (the title is shown in full in the detail pane)."""
        self.border_title = self.words.say("Findings")
        self._fit_columns()

    def _follow_language(self, language: str) -> None:
        """The case's language changed (an edit of its header): the filters and headers follow."""
        if language == self.language:
            return
        self.language = language
        for ident, options in (("#filter-severity", self._severity_options()),
                               ("#filter-kind", self._kind_options()),
                               ("#filter-layers", self._layer_options())):
            select = self.query_one(ident, Select)
            value = select.value
            select.set_options(options)
            if isinstance(value, str):
                select.value = value
        self._columns = None
        self._fit_filters(self.size.width or 120)
        self._fit_columns()

    def on_resize(self) -> None:
        """Give the title column the width that is left; drop the kind column when narrow."""
        self._fit_columns()

    def _fit_filters(self, width: int) -> None:
        """Each filter's prompt says what it filters: "All severities" where there is room; in a
        narrow panel the name of what it filters ("Severity"), each filter as wide as its prompt
        but the persona's, which takes what is left (a persona's name is short)."""
        narrow = width < NARROW_FILTERS_WIDTH
        say = self.words.say
        for ident, (wide_prompt, narrow_prompt) in FILTER_PROMPTS.items():
            select = self.query_one(ident, Select)
            prompt = say(narrow_prompt if narrow else wide_prompt)
            if str(select.prompt) != prompt:
                select.prompt = prompt
            if ident != "#filter-persona":
                wide = "20" if ident == "#filter-layers" else "1fr"
                select.styles.width = cell_len(prompt) + 3 if narrow else wide  # "▼" and padding

    def _fit_columns(self) -> None:
        width = self.size.width or 120
        self._fit_filters(width)
        show_kind = width >= KIND_COLUMN_MIN_WIDTH
        # each column has one cell of padding either side; two more for the vertical scrollbar
        used = SEVERITY_WIDTH + 2 + (KIND_WIDTH + 2 if show_kind else 0) + 2 + 2
        layout = (show_kind, max(20, width - used))
        if layout == self._columns:
            return
        self._columns = layout
        table = self.table
        table.clear(columns=True)
        say = self.words.say
        table.add_column(say("severity"), key="severity", width=SEVERITY_WIDTH)
        if show_kind:
            table.add_column(say("kind"), key="kind", width=KIND_WIDTH)
        table.add_column(say("finding"), key="title", width=layout[1])
        self._rows = None
        self.refresh_rows()

    @property
    def table(self) -> FindingsTable:
        """The table of findings."""
        return self.query_one(FindingsTable)

    def set_analysis(self, analysis: Analysis) -> None:
        """Show the findings of a new analysis, keeping filters and the selected finding."""
        self.analysis = analysis
        self._follow_language(analysis.case.language)
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

    @property
    def across_layers(self) -> bool:
        """Whether only the findings that span two or more layers are listed."""
        return self.query_one("#filter-layers", Select).value == ACROSS

    def set_filters(self, persona: str | None = ALL, severity: str | None = ALL, kind: str | None = ALL,
                    across: bool | None = None) -> None:
        """Set filters (ALL leaves one as it is; None clears it; ``across``: only findings that span
        layers, or all again, None leaves it)."""
        layers = ALL if across is None else ACROSS if across else None
        for ident, value in (("#filter-persona", persona), ("#filter-severity", severity), ("#filter-kind", kind),
                             ("#filter-layers", layers)):
            if value != ALL:
                select = self.query_one(ident, Select)
                select.value = Select.NULL if value is None else value
        self.refresh_rows()

    def refresh_rows(self) -> None:
        """Fill the table from the analysis and the filters."""
        if self.analysis is None:
            return
        persona, severity, kind = self.filters()
        across = self.across_layers
        findings = self.analysis.findings if persona is None else self.analysis.for_persona(persona)
        self.shown = [
            f for f in findings if (severity is None or f.severity == severity) and (kind is None or f.kind == kind)
            and (not across or f.spans_layers)
        ]
        self.shown.sort(key=lambda f: (severity_rank(f.severity), f.kind, f.id))
        table = self.table
        show_kind = "kind" in table.columns
        # An edit often leaves the findings as they were (a new day count, a renamed desk
        # elsewhere): then the rows stay, and a large table is not rebuilt for nothing.
        listed = self.shown[:MAX_ROWS]
        rows = (show_kind, [(f.id, f.severity, f.title, f.accepted, f.spans_layers) for f in listed])
        if rows != self._rows or table.row_count != len(listed):
            self._rows = rows
            self._fill(table, show_kind)
        total = len(self.analysis.findings)
        say = self.words.say
        self.border_title = say("Findings {shown} of {total}", shown=len(self.shown), total=total) + (
            " " + say("(the first {n} listed: filter to see the others)", n=MAX_ROWS)
            if len(self.shown) > MAX_ROWS else ""
        )
        ids = [f.id for f in listed]
        if self._selected_id in ids:
            table.move_cursor(row=ids.index(self._selected_id), animate=False)

    def _persona_names(self, finding: Finding) -> str:
        case = self.analysis.case if self.analysis is not None else None
        names = {p.id: p.name for p in case.personas} if case is not None else {}
        return ", ".join(names.get(p, p).split(",")[0] for p in finding.personas)

    def _fill(self, table: DataTable[Any], show_kind: bool) -> None:
        table.clear()
        say = self.words.say
        listed = self.shown[:MAX_ROWS]
        accepted = say("accepted") + " "
        width = self._columns[1] if self._columns is not None else 40
        marked = any(f.spans_layers for f in listed)
        # the mark of a finding that spans layers takes two columns of its title
        titles = distinct_titles(listed, width - 2 if marked else width, self._persona_names)
        for finding, shown in zip(listed, titles, strict=True):
            title = Text(shown)
            if finding.accepted:
                title = Text.assemble((accepted, "italic dim"), (shown, "dim"))
            if finding.spans_layers:
                title = Text.assemble((CROSS_MARK + " ", "bold magenta"), title)
            kind_cell = [Text(kind_label(finding.kind, self.words))] if show_kind else []
            table.add_row(
                Text(say(SEVERITY_WORDS.get(finding.severity, finding.severity)),
                     SEVERITY_STYLES.get(finding.severity, "")),
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
