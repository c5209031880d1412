"""The start screen: the sample library, recent files, and opening any case file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from kafka_tool.errors import KafkaToolError
from kafka_tool.i18n import N_, Words
from kafka_tool.library import SampleCase, list_cases
from kafka_tool.vocabulary import value_word

from ..messages import OpenCase
from .new_case import NewCaseModal
from .open_file import PathModal

if TYPE_CHECKING:
    from ..app import KafkaApp

__all__ = ["LibraryScreen"]


def _counts(case: Any, words: Words) -> str:
    """"3 actors · 4 touchpoints · …" in ``words``' language."""
    return " · ".join(
        (
            words.say_n("{n} actor", "{n} actors", len(case.actors)),
            words.say_n("{n} touchpoint", "{n} touchpoints", len(case.touchpoints)),
            words.say_n("{n} document", "{n} documents", len(case.documents)),
            words.say_n("{n} persona", "{n} personas", len(case.personas)),
            words.say_n("{n} intervention", "{n} interventions", len(case.interventions)),
        )
    )


def _share(room: int, title_need: int, tags_need: int) -> tuple[int, int]:
    """Widths of the title and tags columns in ``room`` cells: all of both if they fit, else
    the tags get up to a third (at least 12) and the titles the rest (at least 30); tags are
    left out (width 0) when even that does not fit."""
    if title_need + tags_need <= room:
        return title_need, tags_need
    tags = min(tags_need, max(12, room // 3))
    title = min(title_need, max(30, room - tags))
    tags = min(tags_need, room - title)
    return (title, tags) if tags >= 10 else (max(room, 8), 0)


def _fit(text: str, width: int, style: str = "") -> Text:
    cell = Text(text, style)
    cell.truncate(width, overflow="ellipsis")
    return cell


class SampleTable(DataTable[str]):
    """The sample cases."""

    HELP = N_("""\
## Sample library

The cases that come with kafka-tool, each reconstructed from a documented
Dutch case. `enter` opens the highlighted case; `t` opens it in teaching
mode (findings hidden until you reveal them); `n` writes a new case (an
English or a Dutch starter, with examples or empty) and opens it. A sample is never changed in
place: saving it asks where to put your copy.
""")


class LibraryScreen(Screen[None]):
    """Lists the samples (title, language, level, tags, summary) and recent files."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_selected", N_("Open"), id="library.open", priority=False),
        Binding("t", "teach", N_("Teaching mode"), id="library.teach"),
        Binding("o,ctrl+o", "open_file", N_("Open file…"), id="library.open_file"),
        Binding("n", "new_case", N_("New case…"), id="library.new"),
    ]

    def __init__(self, recent: list[Path]) -> None:
        super().__init__()
        self.recent = recent
        self.samples: list[SampleCase] = []
        #: The width the table's columns were shared for, and the language the library was shown in.
        self._filled_width: int | None = None
        self.spoken = ""
        self.load_error = ""
        try:
            self.samples = list_cases()
        except KafkaToolError as error:
            self.load_error = str(error)

    @property
    def words(self) -> Words:
        """The words of the library: the user's language, else the system's (never a case's)."""
        return cast("KafkaApp", self.app).words_for(None)

    def compose(self) -> Any:
        say = self.words.say
        self.spoken = self.words.language
        yield Header()
        with Horizontal(id="library"):
            with Vertical(id="library-main"):
                yield Label(say("Sample cases"), classes="section-title")
                table = SampleTable(id="samples", cursor_type="row", zebra_stripes=True)
                yield table
                with VerticalScroll(id="sample-summary-scroll"):
                    yield Static("", id="sample-summary")
            with Vertical(id="library-side"):
                yield Label(say("Recent files"), classes="section-title")
                yield OptionList(*self._recent_options(), id="recent")
                yield Static(Text(say("Nothing opened yet."), "dim"), id="no-recent")
                yield Static(
                    Text.assemble(
                        ("n", "bold"),
                        " " + say("a new case (English or Dutch)") + "\n",
                        ("o", "bold"),
                        " " + say("open a case file from disk") + "\n",
                        ("t", "bold"),
                        " " + say("teaching mode for the highlighted sample") + "\n",
                        ("?", "bold"),
                        " " + say("all keys") + "   ",
                        ("f1", "bold"),
                        " " + say("help"),
                    ),
                    id="library-hints",
                )
        yield Footer()

    def _recent_options(self) -> list[Option]:
        return [Option(Text.assemble((p.name, "bold"), "\n", (str(p.parent), "dim")), id=str(p)) for p in self.recent]

    def _show_recent(self) -> None:
        recent = self.query_one("#recent", OptionList)
        recent.clear_options()
        recent.add_options(self._recent_options())
        self.query_one("#no-recent").display = not self.recent

    async def on_screen_resume(self) -> None:
        """Back from a case or a class: the library's title again, in the language the interface
        speaks now; what was opened or saved there is now among the recent files."""
        if self.app.screen is not self:
            return  # another screen came on top at once (a case or a class after the loading dialog)
        self.show_title()
        if self.spoken != self.words.language:
            await self.speak()
        state = getattr(self.app, "state", None)
        if state is not None:
            self.recent = state.recent()
        self._show_recent()

    def show_title(self) -> None:
        """The app's title and sub-title for the library (never a case's or teaching mode's)."""
        self.app.title = self.app.TITLE or ""
        self.app.sub_title = self.words.say("sample library")

    async def speak(self) -> None:
        """Show the library again in the language the interface speaks now."""
        await self.recompose()
        self._filled_width = None
        self.on_mount()

    def on_mount(self) -> None:
        """Focus the samples and show the first summary."""
        self.show_title()
        self.query_one("#samples").focus()
        self._fill_table()
        if self.load_error:
            self.query_one("#sample-summary", Static).update(Text(self.load_error, "red"))
        self._show_summary(0)

    def on_resize(self) -> None:
        """Share the new width between the title and tags columns."""
        self.call_after_refresh(self._fill_table)

    def _fill_table(self) -> None:
        """(Re)build the rows so that every column fits the width: long titles and tags end in '…'."""
        table = self.query_one("#samples", DataTable)
        width = table.scrollable_content_region.width
        if width <= 0 or width == self._filled_width:
            return
        self._filled_width = width
        row = table.cursor_row
        titles = [sample.title for sample in self.samples]
        tags = [", ".join(sample.case.tags) for sample in self.samples]
        title_w, tags_w = _share(width - (4 + 9 + 2 * 4), max(map(len, titles), default=5),
                                 max(map(len, tags), default=4))
        table.clear(columns=True)
        say = self.words.say
        table.add_column(say("title"), key="title", width=title_w)
        table.add_column(say("lang"), key="language", width=4)
        table.add_column(say("level"), key="level", width=9)
        if tags_w:
            table.add_column(say("tags"), key="tags", width=tags_w)
        for sample, title, tag_text in zip(self.samples, titles, tags, strict=True):
            cells: list[Any] = [_fit(title, title_w), sample.language, value_word(self.words, "level", sample.level)]
            if tags_w:
                cells.append(_fit(tag_text, tags_w, "dim"))
            table.add_row(*cells, key=sample.name)
        if 0 <= row < len(self.samples):
            table.move_cursor(row=row)

    @property
    def highlighted(self) -> SampleCase | None:
        """The sample under the cursor."""
        row = self.query_one("#samples", DataTable).cursor_row
        return self.samples[row] if 0 <= row < len(self.samples) else None

    def _show_summary(self, row: int) -> None:
        if not 0 <= row < len(self.samples):
            return
        sample = self.samples[row]
        case = sample.case
        counts = _counts(case, self.words)
        tags = ", ".join(case.tags)
        self.query_one("#sample-summary", Static).update(
            Text.assemble(
                (case.title, "bold"),
                "\n",
                (counts, "dim"),
                ("\n" + self.words.say("tags: {tags}", tags=tags) if tags else "", "dim"),
                "\n\n",
                " ".join((case.summary or "").split()),
            )
        )

    @on(DataTable.RowHighlighted, "#samples")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_summary(event.cursor_row)

    @on(DataTable.RowSelected, "#samples")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_selected()

    @on(OptionList.OptionSelected, "#recent")
    def _recent_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(OpenCase(Path(event.option.id)))

    def action_open_selected(self) -> None:
        """Open the highlighted sample (or recent file)."""
        if self.focused is self.query_one("#recent"):
            recent = self.query_one("#recent", OptionList)
            if recent.highlighted is not None:
                option = recent.get_option_at_index(recent.highlighted)
                if option.id:
                    self.post_message(OpenCase(Path(option.id)))
            return
        sample = self.highlighted
        if sample is not None:
            self.post_message(OpenCase(sample.path))

    def action_teach(self) -> None:
        """Open the highlighted sample in teaching mode."""
        sample = self.highlighted
        if sample is not None:
            self.post_message(OpenCase(sample.path, teaching=True))

    def action_new_case(self) -> None:
        """Write a starter case where the user says, in English or Dutch, and open it."""

        def written(path: Path | None) -> None:
            if path is not None:
                self.notify(self.words.say("Wrote {path}", path=str(path)))
                self.post_message(OpenCase(path))

        folder = getattr(self.app, "cases_dir", None) or Path.home() / "kafka-cases"
        self.app.push_screen(NewCaseModal(Path(folder)), written)

    def action_open_file(self) -> None:
        """Ask for a case file and open it."""

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.post_message(OpenCase(path))

        self.app.push_screen(PathModal(self.words.say("Open a case file"), str(Path.cwd()) + "/"), chosen)
