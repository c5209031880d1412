"""The review tab: the action plan per layer of government and per organisation, edited at the table.

For the meeting with every organisation (the Kafkabrigade's review): per layer, per actor, the
findings it can act on (with a mark when they span layers: no single layer can solve them), the
rules it owns that cause findings, and the interventions it owns with their status and dates,
what is overdue marked against today's date. On an intervention the facilitator sets the status,
the dates and the notes with one key each; each is one edit of the case, undone with ``ctrl+z``.
The table itself is the core's (:func:`kafka_tool.review.review_table`).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kafka_tool.analysis.engine import Analysis
from kafka_tool.analysis.texts import SEVERITY_WORDS
from kafka_tool.findings import Finding
from kafka_tool.i18n import N_, Words
from kafka_tool.model import INTERVENTION_STATUSES, Intervention
from kafka_tool.review import review_table
from kafka_tool.vocabulary import value_word

from ..bindings import speak_bindings
from ..language import interface_words
from ..messages import EditRequested, ElementSelected, FindingSelected, InterventionEdit
from ..screens.choice import ChoiceModal
from ..screens.value import ValueModal
from ..state import ElementRef
from .detail import CROSS_MARK, SEVERITY_STYLES
from .findings import distinct_titles

__all__ = ["ReviewPanel", "hanging", "intervention_text"]

#: How each status reads on screen: closed ones quiet, open ones in colour.
STATUS_STYLES = {"proposed": "", "agreed": "cyan", "in_progress": "yellow", "done": "green",
                 "verified": "bold green", "dropped": "dim strike"}


def hanging(total: int, indent: int, *cells: Text, widths: tuple[int, ...] = ()) -> Text:
    """``cells`` side by side after ``indent`` columns in a row ``total`` columns wide, the last
    taking the rest: a long text wraps under itself, not back to the margin. The lines are broken
    here, so that the list never measures a row at one width and draws it at another."""
    head = Text(" " * indent)
    for n, cell in enumerate(cells[:-1]):
        width = widths[n] if n < len(widths) else cell.cell_len
        head.append_text(cell)
        head.append(" " * max(0, width - cell.cell_len))
    room = max(10, total - head.cell_len)
    last = cells[-1]
    if _one_line(last.plain, room):  # nothing to break
        out = head.copy()
        out.append_text(last)
        out.rstrip()
        return out
    out = Text()
    for n, line in enumerate(last.wrap(_MEASURE, room)):
        line.rstrip()
        out.append_text(head if n == 0 else Text(" " * head.cell_len))
        out.append_text(line)
        out.append("\n")
    out.rstrip()
    return out


def _one_line(text: str, width: int) -> bool:
    """Whether ``text`` is one line of at most ``width`` columns as it is drawn: no line break, and no
    tab (a wrap widens a tab to the next tab stop)."""
    return "\n" not in text and "\t" not in text and cell_len(text) <= width


def intervention_text(intervention: Intervention, words: Words, today: dt.date) -> Text:
    """An intervention as its row shows it: its title, then its status and dates (those that are past
    while it is open in red, with the word overdue), then what stands in its way and its notes."""
    say = words.say
    status = intervention.status
    head = Text(intervention.title, "bold")
    line = Text()
    overdue = intervention.overdue(today)
    if overdue:
        line.append("! " + say("overdue"), "bold white on red")
        line.append(" · ")  # set apart from the status ("te laat · afgesproken", not "te laat afgesproken")
    line.append(value_word(words, "status", status), STATUS_STYLES.get(status, ""))

    def day(message: str, value: dt.date | None, late: bool = True) -> None:
        if value is None:
            return
        past = overdue and late and value < today
        line.append(" · ", "dim")
        line.append(say(message, date=value.isoformat()), "bold red" if past else "")

    day(N_("agreed on {date}"), intervention.agreed_on, late=False)
    day(N_("due {date}"), intervention.due)
    day(N_("review on {date}"), intervention.review_date)
    text = Text("\n").join([head, line])
    if intervention.obstacles:
        text.append("\n")
        text.append(say("in the way: {obstacles}", obstacles=", ".join(
            value_word(words, "obstacles", obstacle) for obstacle in intervention.obstacles)), "yellow")
    if intervention.notes:
        text.append("\n")
        text.append(intervention.notes.strip().replace("\n", " "), "italic dim")
    return text


#: Measures how a text wraps (the widths of characters; nothing is printed).
_MEASURE = Console(width=200, file=io.StringIO())
#: A finding's title takes at most this many lines of the table (its Detail shows all of it).
TITLE_LINES = 2


def _lines(text: str, width: int, lines: int) -> str:
    """``text`` cut to the ``lines`` lines of ``width`` columns it wraps into, with … where it is cut."""
    if _one_line(text, width):
        return text
    wrapped = Text(text).wrap(_MEASURE, width)
    if len(wrapped) <= lines:
        return text
    kept = [line.plain.rstrip() for line in wrapped[:lines]]
    last = kept[-1]
    kept[-1] = (last if len(last) < width else last[: width - 1].rsplit(" ", 1)[0]).rstrip(" ,:;") + "…"
    return " ".join(kept)


@dataclass(frozen=True)
class _Row:
    """What a row of the list is: a finding or an intervention (under an actor), or a heading."""

    kind: str  # "finding", "intervention", "more" (the organisation's findings not shown yet)
    ident: str
    actor: str


class ReviewList(OptionList):
    """The review table's rows; headings are passed over by the cursor."""

    HELP = N_("""\
## Meeting

The action plan for the meeting with every organisation: per layer of
government, per organisation, the findings it can act on (`↔`: it spans
layers, so no single layer can solve it), the rules it owns that cause
findings, and the interventions it owns with their status, dates and notes.
An intervention whose due date or review date has passed while it is still
open is marked **! overdue**.

On an intervention: `s` sets the status (setting it to agreed also sets
agreed on to today, when empty), `o` agreed on (today by default), `u` due,
`v` review on (six months after agreed on when empty), `n` notes; `enter` or
`e` opens the intervention's full form. Each is one edit: `ctrl+z` undoes it.
`]` goes to the next intervention, `[` to the one before.
On a finding, `enter` shows it in the Detail tab. An organisation shows its
first 100 findings; on the row under them that counts the rest, `enter` shows
100 more.
""")


class ReviewPanel(Vertical):
    """The review table of the case; posts :class:`InterventionEdit`, :class:`EditRequested` and
    :class:`FindingSelected`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "status", N_("Status"), id="review.status"),
        Binding("o", "agreed_on", N_("Agreed on"), id="review.agreed_on"),
        Binding("u", "due", N_("Due"), id="review.due"),
        Binding("v", "review_on", N_("Review on"), id="review.review_on"),
        Binding("n", "notes", N_("Notes"), id="review.notes"),
        Binding("e", "edit", N_("Edit"), id="review.edit", show=False),
        Binding("right_square_bracket", "next_intervention(1)", N_("Next intervention"), id="review.next",
                show=False),
        Binding("left_square_bracket", "next_intervention(-1)", N_("Previous intervention"), id="review.previous",
                show=False),
    ]

    #: How many of an organisation's findings the table shows at first, and how many more each
    #: ``enter`` on the row that counts the rest shows: a large case has thousands per organisation,
    #: and every row is measured and drawn.
    SHOWN: ClassVar[int] = 100

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.analysis: Analysis | None = None
        #: how many findings each organisation (by actor id) shows, where more than :attr:`SHOWN`
        self._open: dict[str, int] = {}
        self._rows: dict[str, _Row] = {}
        self._language = ""
        #: the table is of an older analysis than :attr:`analysis` (made when the tab is shown)
        self._stale = False

    @property
    def words(self) -> Words:
        """The words of the case's interface."""
        return interface_words(self, self.analysis.case.language if self.analysis is not None else None)

    @property
    def today(self) -> dt.date:
        """The date the plan is followed up against."""
        return self.app.today()  # type: ignore[attr-defined, no-any-return]

    def compose(self) -> Any:
        yield Static("", id="review-legend")
        yield ReviewList(id="review-list")

    def on_mount(self) -> None:
        """Keys in the interface's language, and a word while there is no analysis yet."""
        self._speak()
        self.query_one("#review-legend", Static).update(Text(self.words.say("Analysing…"), "dim"))

    def _speak(self) -> None:
        """The keys in the interface's language, as many in the footer as fit beside the screen's
        ``?`` (the list of every key, where the others are)."""
        self._language = self.words.language
        keys = cell_len(self.words.say("Keys")) + 4  # "? Keys" and its padding
        speak_bindings(self, self.words, self.app.size.width - keys)

    @property
    def list(self) -> ReviewList:
        """The list of rows."""
        return self.query_one(ReviewList)

    # ------------------------------------------------------------ the table

    def on_resize(self) -> None:
        """Another width: the titles are cut to fit it again, and another number of keys fits."""
        self._speak()
        if self.analysis is not None:
            self.set_analysis(self.analysis)

    def set_analysis(self, analysis: Analysis) -> None:
        """Show the review table of a fresh analysis; the cursor stays on the row it was on.

        While the tab is not shown, the table waits until it is: a large case has tens of
        thousands of rows (a finding under each organisation that can act on it), each one's
        lines broken to the width, and an analysis comes with every edit.
        """
        self.analysis = analysis
        if self.words.language != self._language:
            self._speak()
        self._stale = not self._shown()
        if not self._stale:
            self._show_table(analysis)

    def _shown(self) -> bool:
        """Whether the panel is on screen: its tab is the one shown."""
        return all(node.display for node in self.ancestors_with_self if isinstance(node, Widget))

    def on_show(self) -> None:
        """The tab is shown: the table of the newest analysis, when it waited for that."""
        if self._stale and self.analysis is not None:
            self._stale = False
            self._show_table(self.analysis)

    def _show_table(self, analysis: Analysis) -> None:
        words, say, today = self.words, self.words.say, self.today
        case = analysis.case
        self.query_one("#review-legend", Static).update(Text.assemble(
            (CROSS_MARK + " 2", "bold magenta"), " ", say("spans 2 layers: no single layer can solve it"),
            ("  ·  ", "dim"),
            say("today {date}", date=today.isoformat()),
        ))
        listing = self.list
        current = self.current
        options: list[Option] = []
        self._rows = {}
        width = max(len(say(word)) for word in SEVERITY_WORDS.values()) + 1
        # the columns a finding's title has: the rest after the indent, its severity and its mark
        # the list's width, less its scrollbar (which a long table has)
        total = max(30, (listing.size.width or 80) - 2)
        room = total - 3 - width - 4

        def add(row: _Row, prompt: RenderableType) -> None:
            ident = f"row-{len(self._rows)}"
            self._rows[ident] = row
            options.append(Option(prompt, id=ident))

        names = {p.id: p.name for p in case.personas}

        def persona_names(finding: Finding) -> str:
            return ", ".join(names.get(p, p).split(",")[0] for p in finding.personas)

        owners = set()
        for group in review_table(analysis):
            options.append(Option(Text(value_word(words, "layer", group.layer), "bold underline"), disabled=True))
            for row in group.rows:
                actor = row.actor
                owners.add(actor.id)
                heading = Text(actor.name, "bold")
                if row.idle:
                    heading.append("  " + say("nothing to act on"), "dim")
                options.append(Option(hanging(total, 1, heading), disabled=True))
                limit = self._open.get(actor.id, self.SHOWN)
                titles = distinct_titles(row.findings, room * TITLE_LINES - 8, persona_names)
                for finding, shown in zip(row.findings[:limit], titles, strict=False):
                    severity = say(SEVERITY_WORDS.get(finding.severity, finding.severity))
                    mark = Text(f"{CROSS_MARK} {len(finding.layers)}" if finding.spans_layers else "",
                                "bold magenta")
                    add(_Row("finding", finding.id, actor.id),
                        hanging(total, 3, Text(severity, SEVERITY_STYLES.get(finding.severity, "")), mark,
                                Text(_lines(shown, room, TITLE_LINES)), widths=(width, 4)))
                hidden = len(row.findings) - limit
                if hidden > 0:
                    count = self.words.say_n(
                        "{count} more finding: enter shows it", "{count} more findings: enter shows {shown} more",
                        hidden, count=self.words.count(hidden), shown=min(hidden, self.SHOWN))
                    add(_Row("more", actor.id, actor.id), hanging(total, 3, Text("… ", "bold"), Text(count, "italic")))
                for rule, caused in row.rules:
                    options.append(Option(hanging(total, 3, Text(self.words.say_n(
                        "rule {rule}: causes {n} finding", "rule {rule}: causes {n} findings", len(caused),
                        rule=rule.name), "italic dim")), disabled=True))
                for intervention in row.interventions:
                    add(_Row("intervention", intervention.id, actor.id),
                        hanging(total, 3, Text("▸ ", "bold"), intervention_text(intervention, words, today)))
        loose = [i for i in case.interventions if i.owner not in owners]
        if loose:
            options.append(Option(Text(say("No owner yet"), "bold underline"), disabled=True))
            for intervention in loose:
                add(_Row("intervention", intervention.id, ""),
                    hanging(total, 1, Text("▸ ", "bold"), intervention_text(intervention, words, today)))
        if not options:
            options.append(Option(Text(say("This case has no actors and no interventions yet."), "dim"),
                                  disabled=True))
        with self.app.batch_update():
            listing.clear_options()
            listing.add_options(options)
            keys = list(self._rows)
            if current is not None:
                same = next((k for k, r in self._rows.items() if r == current), None)
                # the row's neighbour when it went (a finding resolved): the cursor stays near
                if same is None:
                    same = next((k for k, r in self._rows.items() if r.kind == current.kind and r.ident ==
                                 current.ident), None)
                if same is not None:
                    listing.highlighted = listing.get_option_index(same)
            if listing.highlighted is None and keys:
                listing.highlighted = listing.get_option_index(keys[0])

    @property
    def current(self) -> _Row | None:
        """What the row under the cursor is (None: no row)."""
        option = self.list.highlighted_option
        return self._rows.get(option.id or "") if option is not None else None

    def _intervention(self) -> Intervention | None:
        """The intervention under the cursor (None, with a word, when the cursor is on something else)."""
        row = self.current
        case = self.analysis.case if self.analysis is not None else None
        found = case.intervention(row.ident) if case is not None and row is not None and \
            row.kind == "intervention" else None
        if found is None:
            self.notify(self.words.say("Put the cursor on an intervention first (its title starts with ▸)."))
        return found

    def _finding(self, row: _Row | None) -> Finding | None:
        if row is None or row.kind != "finding" or self.analysis is None:
            return None
        return self.analysis.finding(row.ident)

    # ------------------------------------------------------------ selection

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        row = self._rows.get(event.option.id or "")
        finding = self._finding(row)
        if not self.list.has_focus or row is None:
            return
        if finding is not None:
            self.post_message(FindingSelected(finding))
        elif row.kind == "intervention":
            # as a click on it in the tree: its fields in Detail, the finding's marks gone from the tree
            self.post_message(ElementSelected(ElementRef("intervention", row.ident)))

    def on_descendant_focus(self) -> None:
        """Focusing the list selects the finding under its cursor, as the findings list does."""
        finding = self._finding(self.current)
        if finding is not None:
            self.post_message(FindingSelected(finding))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        row = self._rows.get(event.option.id or "")
        finding = self._finding(row)
        if finding is not None:
            self.post_message(FindingSelected(finding))
            show = getattr(self.screen, "action_show_tab", None)
            if callable(show):
                show("detail")
        elif row is not None and row.kind == "intervention":
            self.post_message(EditRequested(ElementRef("intervention", row.ident)))
        elif row is not None and row.kind == "more" and self.analysis is not None:
            self.show_more(row.actor)

    def show_more(self, actor: str) -> None:
        """:attr:`SHOWN` more of an organisation's findings; the cursor on the first of them."""
        assert self.analysis is not None
        shown = self._open.get(actor, self.SHOWN)
        self._open[actor] = shown + self.SHOWN
        self._show_table(self.analysis)
        listing = self.list
        keys = [key for key, row in self._rows.items() if row.kind == "finding" and row.actor == actor]
        if len(keys) > shown:
            listing.highlighted = listing.get_option_index(keys[shown])

    # ------------------------------------------------------------ quick edits

    def _edit(self, intervention: Intervention, changes: dict[str, Any], what: str) -> None:
        label = self.words.say("{what} of {id}", what=what, id=intervention.id)
        self.post_message(InterventionEdit(intervention.id, changes, label))

    def action_next_intervention(self, step: int) -> None:
        """The cursor to the next intervention (``step`` 1) or the one before (-1), round at the end."""
        keys = [key for key, row in self._rows.items() if row.kind == "intervention"]
        if not keys:
            self.notify(self.words.say("This case has no interventions yet."))
            return
        listing = self.list
        here = listing.highlighted if listing.highlighted is not None else -1
        places = [listing.get_option_index(key) for key in keys]
        after = [p for p in places if (p > here if step > 0 else p < here)]
        target = (after[0] if step > 0 else after[-1]) if after else (places[0] if step > 0 else places[-1])
        listing.highlighted = target

    def action_edit(self) -> None:
        """The full form of the intervention under the cursor."""
        intervention = self._intervention()
        if intervention is not None:
            self.post_message(EditRequested(ElementRef("intervention", intervention.id)))

    def action_status(self) -> None:
        """Choose the status of the intervention under the cursor (1 to 6)."""
        intervention = self._intervention()
        if intervention is None:
            return
        words, say = self.words, self.words.say
        choices = [(str(n), value_word(words, "status", status) + (" ●" if status == intervention.status else ""),
                    status) for n, status in enumerate(INTERVENTION_STATUSES, 1)]
        today = self.today

        def chosen(status: str | None) -> None:
            if status is None or status == intervention.status:
                return
            changes: dict[str, Any] = {"status": status}
            word = value_word(words, "status", status)
            if status == "agreed" and intervention.agreed_on is None:
                changes["agreed_on"] = today
                self.notify(say("Agreed on: {date} (today); o changes it.", date=today.isoformat()))
            self._edit(intervention, changes, say("status {status}", status=word))

        self.app.push_screen(ChoiceModal(say("Status of '{title}'?", title=intervention.title),
                                         [*choices, ("escape", say("Cancel"), "")],
                                         say("Now: {status}", status=value_word(words, "status",
                                                                                intervention.status)),
                                         stacked=True, current=intervention.status),
                             lambda value: chosen(value or None))

    def _ask_date(self, key: str, title: str, question: str, value: dt.date | None, hint: str) -> None:
        intervention = self._intervention()
        if intervention is None:
            return
        say = self.words.say

        def answered(answer: tuple[Any] | None) -> None:
            if answer is None or answer[0] == getattr(intervention, key):
                return
            day = answer[0]
            what = say("{field} {date}", field=say(title), date=day.isoformat()) if day is not None \
                else say("{field} emptied", field=say(title))
            self._edit(intervention, {key: day}, what)

        self.app.push_screen(ValueModal(say(question, title=intervention.title),
                                        value.isoformat() if value is not None else "", date=True, hint=hint),
                             answered)

    def action_agreed_on(self) -> None:
        """Set the day the intervention was agreed (today, unless it has a day already)."""
        intervention = self._intervention()
        if intervention is not None:
            self._ask_date("agreed_on", N_("agreed on"), N_("On what day was '{title}' agreed?"),
                           intervention.agreed_on or self.today,
                           self.words.say("Empty: not agreed yet."))

    def action_due(self) -> None:
        """Set the day the intervention is due."""
        intervention = self._intervention()
        if intervention is not None:
            self._ask_date("due", N_("due"), N_("By what day should '{title}' be done?"), intervention.due,
                           self.words.say("Empty: no due date."))

    def action_review_on(self) -> None:
        """Set the day to look back at the intervention (six months after agreed on when empty)."""
        intervention = self._intervention()
        if intervention is None:
            return
        say = self.words.say
        default = intervention.default_review_date
        hint = say("Empty: six months after agreed on ({date}).", date=default.isoformat()) if default \
            else say("Empty: six months after agreed on, once that is set.")
        self._ask_date("review_on", N_("review on"), N_("On what day do you look back at '{title}'?"),
                       intervention.review_on, hint)

    def action_notes(self) -> None:
        """Write the intervention's notes (one line; the form, e, writes several)."""
        intervention = self._intervention()
        if intervention is None:
            return
        say = self.words.say
        if intervention.notes and "\n" in intervention.notes.strip():
            self.notify(say("These notes have several lines: e opens the form to edit them."))
            return

        def answered(answer: tuple[Any] | None) -> None:
            if answer is None or answer[0] == intervention.notes:
                return
            self._edit(intervention, {"notes": answer[0]},
                       say("notes") if answer[0] is not None else say("{field} emptied", field=say("notes")))

        self.app.push_screen(ValueModal(say("Notes on '{title}'", title=intervention.title),
                                        intervention.notes or "", hint=say("Empty: no notes.")), answered)
