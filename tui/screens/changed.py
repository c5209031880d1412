"""The dialogs for a case file that changed on disk: what changed, what to do, and the conflicts.

- :class:`ChangedOnDiskModal`: the file changed since it was opened (or since the kept
  edits were made): what changed there, what the unsaved edits change, and the choices:
  merge (``y``), save as a copy (``c``), overwrite (``o``, asked again), and either "not
  now" or, for kept edits, discard (``n``); ``escape`` decides later.
- :class:`ConflictModal`: the elements both sides changed differently, side by side;
  ``m`` keeps mine, ``t`` keeps the one on disk, ``y`` applies once each is chosen.

What changed is said per element ("touchpoint x changed, actor y added"), with how many
lines of the text changed, so that a change to comments alone shows too.
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Iterable
from typing import Any, ClassVar, Literal

from rich.text import Text
from ruamel.yaml import YAML
from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from kafka_tool.i18n import N_, Words
from kafka_tool.merge import ABSENT, Change, Conflict, Place, Side

from ..language import interface_words
from ..state import DiskMerge

__all__ = [
    "ChangedOnDiskModal",
    "Choice",
    "ConflictModal",
    "change_lines",
    "place_words",
    "text_difference",
]

#: What the user chose in :class:`ChangedOnDiskModal`.
Choice = Literal["merge", "copy", "overwrite", "discard"]

#: An element of each section, in words.
_SECTION_WORDS = {
    "attributes": N_("attribute {name}"),
    "actors": N_("actor {name}"),
    "documents": N_("document {name}"),
    "rules": N_("rule {name}"),
    "touchpoints": N_("touchpoint {name}"),
    "personas": N_("persona {name}"),
    "interventions": N_("intervention {name}"),
    "accepted": N_("accepted finding {name}"),
}
#: Most lines of changes a dialog lists before "and N more".
MAX_LINES = 12


def place_words(words: Words, place: Place) -> str:
    """An element or top-level key of a case, in words: "touchpoint open_account", "title"."""
    say = words.say
    if not place.section:
        return place.key
    if place.section == "journeys":
        if place.occurrence:
            return say("journey {n} of {persona}", n=place.occurrence + 1, persona=place.key)
        return say("journey of {persona}", persona=place.key)
    template = _SECTION_WORDS.get(place.section)
    return say(template, name=place.key) if template else f"{place.section} {place.key}"


def change_words(words: Words, change: Change) -> str:
    """One change in words: "actor bank added"."""
    say = words.say
    what = place_words(words, change.place)
    if change.kind == "added":
        return say("{what} added", what=what)
    if change.kind == "removed":
        return say("{what} removed", what=what)
    return say("{what} changed", what=what)


def change_lines(words: Words, changes: Iterable[Change], limit: int = MAX_LINES) -> list[str]:
    """The changes in words, one a line, the rest counted."""
    lines = [change_words(words, c) for c in changes]
    if len(lines) > limit:
        rest = len(lines) - limit + 1
        lines = [*lines[: limit - 1], words.say_n("… and {n} more", "… and {n} more", rest)]
    return lines


def text_difference(words: Words, before: str, after: str) -> str:
    """How many lines of the text were added and removed ("" when the texts are the same)."""
    if before == after:
        return ""
    added = removed = 0
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("+ "):
            added += 1
        elif line.startswith("- "):
            removed += 1
    return words.say("In the text: {added} lines added, {removed} removed.", added=added, removed=removed)


def _bullets(lines: list[str], none: str) -> Text:
    if not lines:
        return Text(none, style="dim")
    return Text("\n".join(f"  • {line}" for line in lines))


class ChangedOnDiskModal(ModalScreen["Choice | None"]):
    """The file changed on disk: what changed, and what to do with the unsaved edits.

    Dismissed with the :data:`Choice`, or None: not now (``escape``; and ``n`` for the
    open case's edits, where ``n`` does not discard anything).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "choose('merge')", N_("Merge"), id="changed.merge"),
        Binding("c", "choose('copy')", N_("Save as copy"), id="changed.copy"),
        Binding("o", "choose('overwrite')", N_("Overwrite"), id="changed.overwrite"),
        Binding("n", "no", N_("Not now"), id="changed.no"),
        Binding("escape", "later", N_("Decide later"), id="changed.later"),
    ]

    HELP = N_("""\
## The file changed on disk

Someone (an editor, another kafka-tool window, `git pull`) changed the case file
after it was opened here. Nothing has been written over it.

- `y` **Merge**: read the file as it is now and put your unsaved edits on top. What
  only one side changed is taken from that side; where both changed the same element
  differently you choose, element by element. The file's comments are kept.
- `c` **Save as copy**: write your version to another file; the one on disk stays.
- `o` **Overwrite**: write your version over the file (asked again: the changes
  made on disk are then lost).
- `escape`: decide later; nothing is written.
""")

    def __init__(
        self,
        title: str,
        *,
        on_disk: list[str],
        edits: list[str],
        notes: Iterable[str] = (),
        can_merge: bool = True,
        kept: bool = False,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.on_disk = on_disk
        self.edits = edits
        self.notes = [n for n in notes if n]
        self.can_merge = can_merge
        #: Edits kept in a recovery file (``n`` discards them), not the open case's.
        self.kept = kept

    @property
    def words(self) -> Words:
        """The words of the open case's interface."""
        return interface_words(self)

    def compose(self) -> Any:
        say = self.words.say
        with Vertical(id="changed-dialog", classes="dialog"):
            yield Static(Text(self.title_text), id="changed-title")
            with VerticalScroll(id="changed-body"):
                yield Static(say("Changed on disk:"), classes="changed-heading")
                yield Static(_bullets(self.on_disk, say("  nothing in the case itself")), id="changed-on-disk")
                yield Static(say("Kept edits:") if self.kept else say("Your unsaved edits:"),
                             classes="changed-heading")
                yield Static(_bullets(self.edits, say("  none")), id="changed-edits")
                if self.notes:
                    yield Static(Text("\n".join(self.notes)), id="changed-notes")
            yield Static(Text(say("escape: decide later; nothing is written"), style="dim"), id="changed-hint")
            with Horizontal(classes="dialog-buttons"):
                if self.can_merge:
                    yield Button(say("Merge (y)"), id="merge", variant="primary", compact=True)
                yield Button(say("Save as copy (c)"), id="copy", compact=True)
                yield Button(say("Overwrite (o)"), id="overwrite", variant="error", compact=True)
                yield Button(say("Discard (n)") if self.kept else say("Not now (n)"), id="no", compact=True)

    def action_choose(self, choice: str) -> None:
        """Close with a choice (merge only when it can be done)."""
        if choice == "merge" and not self.can_merge:
            self.notify(self.words.say("These edits cannot be merged here: save them as a copy, or overwrite."),
                        severity="warning")
            return
        self.dismiss(choice)  # type: ignore[arg-type]

    def action_no(self) -> None:
        """Kept edits: discard them; the open case's edits: not now."""
        self.dismiss("discard" if self.kept else None)

    def action_later(self) -> None:
        """Close without a choice: nothing is written, nothing thrown away."""
        self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "no":
            self.action_no()
        elif event.button.id:
            self.action_choose(event.button.id)


def _yaml_of(words: Words, value: Any) -> str:
    if value is ABSENT:
        return words.say("(not there)")
    yaml = YAML()  # round trip: keys in the order they were written
    yaml.default_flow_style = False
    yaml.width = 60
    stream = io.StringIO()
    yaml.dump(value, stream)
    return stream.getvalue().rstrip("\n").removesuffix("\n...")


def _marked(text: str, other: str) -> Text:
    """``text`` with the lines ``other`` does not have in bold: where the two sides differ."""
    others = set(other.splitlines())
    shown = Text()
    for n, line in enumerate(text.splitlines()):
        if n:
            shown.append("\n")
        shown.append(line, style="" if line in others else "bold")
    return shown


def _how(words: Words, conflict: Conflict) -> str:
    say = words.say
    if conflict.base is ABSENT:
        return say("added on both sides")
    if conflict.ours is ABSENT:
        return say("removed here, changed on disk")
    if conflict.theirs is ABSENT:
        return say("changed here, removed on disk")
    return say("changed on both sides")


class ConflictModal(ModalScreen["DiskMerge | None"]):
    """The elements both sides changed differently; choose mine or the one on disk for each.

    Dismissed with the merge settled by the choices (its case valid), or None (``escape``
    or ``n``: nothing merged).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "choose('ours')", N_("Keep mine"), id="conflict.mine"),
        Binding("t", "choose('theirs')", N_("Keep theirs"), id="conflict.theirs"),
        Binding("y", "apply", N_("Apply"), id="conflict.apply"),
        Binding("n,escape", "cancel", N_("Back"), id="conflict.back"),
    ]

    HELP = N_("""\
## Conflicts

Both your unsaved edits and the file on disk changed these elements, each in its
own way. `↑`/`↓` goes through them; for each, `m` keeps yours and `t` keeps the
one on disk. `y` merges once each has its choice; `escape` goes back without merging.
""")

    def __init__(self, merge: DiskMerge, *, kept: bool = False) -> None:
        super().__init__()
        self.merge = merge
        #: The edits are kept ones (a recovery file), not the open case's.
        self.kept = kept
        self.conflicts = list(merge.merge.conflicts)
        self.choices: dict[Place, Side] = {}

    @property
    def words(self) -> Words:
        """The words of the open case's interface."""
        return interface_words(self)

    def compose(self) -> Any:
        say = self.words.say
        with Vertical(id="conflict-dialog", classes="dialog"):
            yield Static(Text(self.words.say_n(
                "{n} element was changed both here and on disk. Keep which?",
                "{n} elements were changed both here and on disk. Keep which?",
                len(self.conflicts),
            )), id="conflict-title")
            yield OptionList(*[Option(self._prompt(c), id=str(n)) for n, c in enumerate(self.conflicts)],
                             id="conflict-list")
            with Horizontal(id="conflict-sides"):
                with Vertical(classes="conflict-side"):
                    yield Static(say("Mine (kept)") if self.kept else say("Mine (unsaved)"),
                                 classes="changed-heading")
                    with VerticalScroll():
                        yield Static("", id="conflict-mine")
                with Vertical(classes="conflict-side"):
                    yield Static(say("On disk"), classes="changed-heading")
                    with VerticalScroll():
                        yield Static("", id="conflict-theirs")
            yield Static("", id="conflict-status")
            with Horizontal(classes="dialog-buttons"):
                yield Button(say("Mine (m)"), id="ours", compact=True)
                yield Button(say("Theirs (t)"), id="theirs", compact=True)
                yield Button(say("Apply (y)"), id="apply", variant="primary", compact=True)
                yield Button(say("Back (n)"), id="back", compact=True)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()
        self._show(0)
        self._status()

    def _prompt(self, conflict: Conflict) -> Text:
        chosen = self.choices.get(conflict.place) if hasattr(self, "choices") else None
        say = self.words.say
        mark = {"ours": say("mine"), "theirs": say("theirs")}.get(chosen or "", "?")
        text = Text()
        text.append(f"[{mark}] ", style="bold")
        text.append(place_words(self.words, conflict.place))
        text.append(f" — {_how(self.words, conflict)}", style="dim")
        return text

    def _current(self) -> int:
        highlighted = self.query_one(OptionList).highlighted
        return highlighted if highlighted is not None else 0

    def _show(self, index: int) -> None:
        conflict = self.conflicts[index]
        mine, theirs = _yaml_of(self.words, conflict.ours), _yaml_of(self.words, conflict.theirs)
        self.query_one("#conflict-mine", Static).update(_marked(mine, theirs))
        self.query_one("#conflict-theirs", Static).update(_marked(theirs, mine))

    def _status(self, problem: str = "") -> None:
        left = sum(1 for c in self.conflicts if c.place not in self.choices)
        status = self.query_one("#conflict-status", Static)
        status.set_class(bool(problem), "form-error")
        if problem:
            line = Text(problem)
        elif left:
            line = Text(self.words.say_n(
                "{n} still to choose: m keeps mine, t keeps the one on disk.",
                "{n} still to choose: m keeps mine, t keeps the one on disk.", left))
        else:
            line = Text(self.words.say("Each has its choice: y merges."))
        status.update(line)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show(event.option_index)

    def action_choose(self, side: str) -> None:
        """Keep mine (``ours``) or the one on disk (``theirs``) for the highlighted conflict; on to the next."""
        index = self._current()
        self.choices[self.conflicts[index].place] = side  # type: ignore[assignment]
        options = self.query_one(OptionList)
        options.replace_option_prompt_at_index(index, self._prompt(self.conflicts[index]))
        following = [n for n in [*range(index + 1, len(self.conflicts)), *range(index)]
                     if self.conflicts[n].place not in self.choices]
        if following:
            options.highlighted = following[0]
        self._status()

    def action_apply(self) -> None:
        """Merge with the choices made, when each conflict has one and the result is a valid case."""
        say = self.words.say
        if any(c.place not in self.choices for c in self.conflicts):
            self._status()
            self.notify(say("Choose mine (m) or theirs (t) for each element first."), severity="warning")
            return
        settled = self.merge.choose(self.choices)
        case, issues = settled.result()
        if case is None:
            self._status(say("With these choices the case is not valid: {problem}",
                             problem="; ".join(self.words.say_message(i.message) for i in issues[:2])))
            return
        self.dismiss(settled)

    def action_cancel(self) -> None:
        """Back, without merging."""
        self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id in ("ours", "theirs"):
            self.action_choose(event.button.id)
        elif event.button.id == "apply":
            self.action_apply()
        else:
            self.action_cancel()
