"""The editors of a form, one for each kind of field (see :mod:`tui.widgets.form_fields`).

Every editor reads its value back as case data (:meth:`Editor.read`: the value, or
:data:`MISSING` to leave the key out, and what cannot be read, by place) and shows the
loader's issues at the place they are about (:meth:`Editor.show_issues`: an issue's place
below the field, ``(2, "rule")`` for the rule of the third item; what an editor cannot
place it hands back, for the row or the field around it to say). :func:`make_editor` makes
the editor a field's spec asks for, nested to any depth: a requirement item's options, a
change's fields, the fields of a touchpoint that a change adds.

A :class:`FieldBox` holds one field: its label, its editor, and for an editor of more than
one line an "edit as YAML" box instead (``f2``), read and checked like the editor.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar, Protocol

from rich.text import Text
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from textual import on
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.fuzzy import FuzzySearch
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Collapsible, Input, Label, OptionList, Select, SelectionList, Static, TextArea
from textual.widgets.option_list import Option

from kafka_tool.analysis.kinds import kind_label
from kafka_tool.errors import Loc
from kafka_tool.i18n import N_, Words
from kafka_tool.model import SLUG_PATTERN
from kafka_tool.vocabulary import value_word

from ..bindings import speak_bindings
from .form_fields import FieldSpec

__all__ = [
    "MISSING",
    "Dropdown",
    "Editor",
    "EditorChanged",
    "FieldBox",
    "FormContext",
    "Issues",
    "Picker",
    "fits",
    "make_editor",
    "rank",
    "to_flow",
    "to_yaml",
]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


#: What an editor reads when its key is to be left out.
MISSING: Any = _Missing()

#: Issues by place below a field: ``[((2, "rule"), "unknown rule 'x'")]``.
Issues = list[tuple[Loc, str]]

_SLUG = re.compile(SLUG_PATTERN)
_CREATE = "\x00create:"


class FormContext(Protocol):
    """What the editors ask of the form they are in."""

    words: Words

    @property
    def currency(self) -> str:
        """The ISO code of the case's currency, in which costs are typed."""

    def attributes(self) -> dict[str, Any]:
        """The case's attributes by name (their models)."""

    def candidates(self, section: str, added: bool) -> list[tuple[str, str]]:
        """The ids of a section, with their names, that a reference may name."""

    def create(self, section: str, ident: str, picker: Picker) -> None:
        """Open a form for a new element of ``section`` with the id ``ident``, for ``picker``."""

    def dropdown(self) -> Dropdown:
        """The form's list of completions."""


class EditorChanged(Message):
    """An editor changed without a widget of its own saying so (a row added, removed or moved)."""


# ---------------------------------------------------------------- YAML


def _yaml() -> YAML:
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 2)
    return yaml


_PLAIN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_ .-]*$")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "~"}


def to_flow(value: Any) -> str:
    """A value as one line of flow-style YAML.

    Examples
    --------
    >>> to_flow({"age": {"min": 18}, "in": ["a b", "true"]})
    '{age: {min: 18}, in: [a b, "true"]}'
    """
    if isinstance(value, dict):
        return "{" + ", ".join(f"{to_flow(k)}: {to_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(to_flow(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float, dt.date)):
        return str(value)
    text = str(value)
    if (_PLAIN.match(text) and text.lower() not in _RESERVED and not re.match(r"^[\d.-]+$", text)
            and text == text.strip()):
        return text
    return json.dumps(text, ensure_ascii=False)


def to_yaml(value: Any) -> str:
    """What the YAML box shows for a value: a list one ``- item`` a line, anything else on one line."""
    if value is MISSING or value is None:
        return ""
    if isinstance(value, list) and value:
        return "\n".join(f"- {to_flow(item)}" for item in value)
    return to_flow(value)


def parse_yaml(text: str, words: Words) -> tuple[Any, str | None]:
    """YAML typed into a box, or what is wrong with it."""
    if not text.strip():
        return MISSING, None
    try:
        return _yaml().load(io.StringIO(text)), None
    except YAMLError as error:
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        return MISSING, words.say("not valid YAML: {problem}", problem=problem)


# ---------------------------------------------------------------- the editor protocol


class Editor:
    """What every editor does; mixed into the widget that is the editor."""

    spec: FieldSpec

    def read(self) -> tuple[Any, Issues]:
        """The value as case data (:data:`MISSING`: leave the key out), and what cannot be read."""
        raise NotImplementedError

    def show_issues(self, issues: Issues) -> Issues:
        """Show the issues this editor can place; return the others. A field on its own marks itself."""
        if isinstance(self, Widget):
            self.set_class(bool(issues), "-invalid")
        return issues


def _classes(kwargs: dict[str, Any], *extra: str) -> dict[str, Any]:
    """``kwargs`` for a widget with ``extra`` classes added to those it was given."""
    return {**kwargs, "classes": " ".join(filter(None, [*extra, kwargs.get("classes", "")]))}


def _required(spec: FieldSpec, words: Words) -> Issues:
    return [((), words.say("{field} is required", field=words.say(spec.label)))] if spec.required else []


def _number(text: str, whole: bool, words: Words) -> tuple[Any, str | None]:
    if whole:
        if not re.fullmatch(r"-?\d+", text):
            return MISSING, words.say("a whole number, e.g. 90")
        return int(text), None
    try:
        number = float(text)
    except ValueError:
        return MISSING, words.say("a number, e.g. 5 or 2.5")
    return (int(text) if re.fullmatch(r"-?\d+", text) else number), None


class TextField(Input, Editor):
    """One line of text."""

    def __init__(self, spec: FieldSpec, value: Any, ctx: FormContext, **kwargs: Any) -> None:
        super().__init__("" if value is MISSING or value is None else str(value), compact=True,
                         placeholder=ctx.words.say(spec.hint) if spec.hint else "", **kwargs)
        self.spec = spec
        self.words = ctx.words

    def read(self) -> tuple[Any, Issues]:
        """The text, without spaces at either end."""
        text = self.value.strip()
        return (text, []) if text else (MISSING, _required(self.spec, self.words))


class TextBox(TextArea, Editor):
    """Several lines of text."""

    def __init__(self, spec: FieldSpec, value: Any, ctx: FormContext, **kwargs: Any) -> None:
        text = "\n".join(value) if isinstance(value, list) else ("" if value in (MISSING, None) else str(value))
        super().__init__(text, soft_wrap=True, compact=True, placeholder=ctx.words.say(spec.hint) if spec.hint else "",
                         **_classes(kwargs, "form-multiline"))
        self.styles.height = spec.lines
        self.spec = spec
        self.words = ctx.words

    def read(self) -> tuple[Any, Issues]:
        """The text (a list of strings: one a line)."""
        if self.spec.type == "strings":
            lines = [line.strip() for line in self.text.splitlines() if line.strip()]
            return (lines, []) if lines else (MISSING, _required(self.spec, self.words))
        text = self.text.strip()
        return (text, []) if text else (MISSING, _required(self.spec, self.words))


class NumberField(Input, Editor):
    """A number, or a whole number."""

    def __init__(self, spec: FieldSpec, value: Any, ctx: FormContext, **kwargs: Any) -> None:
        shown = "" if value is MISSING or value is None else str(value)
        super().__init__(shown, compact=True, placeholder=ctx.words.say(spec.hint) if spec.hint else "", **kwargs)
        self.spec = spec
        self.words = ctx.words

    def read(self) -> tuple[Any, Issues]:
        """The number as it was typed: 18 stays a whole number, 2.5 a fraction."""
        text = self.value.strip()
        if not text:
            return MISSING, _required(self.spec, self.words)
        number, error = _number(text, self.spec.type == "int", self.words)
        return number, [((), error)] if error else []


class DateField(Input, Editor):
    """A date, YYYY-MM-DD."""

    def __init__(self, spec: FieldSpec, value: Any, ctx: FormContext, **kwargs: Any) -> None:
        super().__init__("" if value is MISSING or value is None else str(value), compact=True,
                         placeholder=ctx.words.say("YYYY-MM-DD"), **kwargs)
        self.spec = spec
        self.words = ctx.words

    def read(self) -> tuple[Any, Issues]:
        """The date."""
        text = self.value.strip()
        if not text:
            return MISSING, _required(self.spec, self.words)
        try:
            return dt.date.fromisoformat(text), []
        except ValueError:
            return MISSING, [((), self.words.say("a date as YYYY-MM-DD, e.g. 2024-01-05"))]


class ChoiceField(Select[str], Editor):
    """One of the values of a ``Literal``."""

    def __init__(self, spec: FieldSpec, value: Any, ctx: FormContext, **kwargs: Any) -> None:
        options = [(value_word(ctx.words, spec.key, choice), choice) for choice in spec.choices]
        super().__init__(options, value=value if value in spec.choices else Select.NULL, compact=True,
                         prompt=ctx.words.say(spec.label) if "cell" in kwargs.get("classes", "")
                         else ctx.words.say("(not set)"), **kwargs)
        self.spec = spec
        self.words = ctx.words

    def read(self) -> tuple[Any, Issues]:
        """The chosen value."""
        value = self.value
        return (value, []) if isinstance(value, str) else (MISSING, _required(self.spec, self.words))


class YesNoField(Select[bool], Editor):
    """Yes or no."""

    def __init__(self, spec: FieldSpec, value: Any, ctx: FormContext, **kwargs: Any) -> None:
        words = ctx.words
        super().__init__([(words.say("yes"), True), (words.say("no"), False)],
                         value=value if isinstance(value, bool) else Select.NULL, compact=True,
                         prompt=words.say("(not set)"), **kwargs)
        self.spec = spec
        self.words = words

    def read(self) -> tuple[Any, Issues]:
        """True or False."""
        value = self.value
        return (value, []) if isinstance(value, bool) else (MISSING, _required(self.spec, self.words))


class StringsField(Input, Editor):
    """Free texts, comma separated."""

    def __init__(self, spec: FieldSpec, value: Any, ctx: FormContext, **kwargs: Any) -> None:
        shown = ", ".join(str(v) for v in value) if isinstance(value, list) else ""
        super().__init__(shown, compact=True, placeholder=ctx.words.say(spec.hint) if spec.hint else "", **kwargs)
        self.spec = spec
        self.words = ctx.words

    def read(self) -> tuple[Any, Issues]:
        """The texts."""
        items = [item.strip() for item in self.value.split(",") if item.strip()]
        return (items, []) if items else (MISSING, _required(self.spec, self.words))


#: The lists whose values are finding kinds.
_KIND_LISTS = ("expected_findings", "expected_resolves")


def _choice_word(words: Words, key: str, value: str) -> str:
    """A value of a list of fixed values as people read it: a finding kind, an obstacle."""
    return kind_label(value, words) if key in _KIND_LISTS else value_word(words, key, value)


class ChoicesField(SelectionList[str], Editor):
    """Several values of a fixed list, ticked."""

    def __init__(self, spec: FieldSpec, value: Any, ctx: FormContext, **kwargs: Any) -> None:
        chosen = set(value) if isinstance(value, list) else set()
        super().__init__(*[(_choice_word(ctx.words, spec.key, c), c, c in chosen) for c in spec.choices],
                         compact=True, **kwargs)
        self.spec = spec
        self.words = ctx.words
        self._order = list(value) if isinstance(value, list) else []

    def read(self) -> tuple[Any, Issues]:
        """The ticked values: those already chosen in their order, then the others in the list's."""
        selected = set(self.selected)
        values = [v for v in self._order if v in selected] + [c for c in self.spec.choices
                                                              if c in selected and c not in self._order]
        return (values, []) if values else (MISSING, _required(self.spec, self.words))


class YamlBox(TextArea, Editor):
    """YAML typed into a box: the escape hatch of every editor of more than a line."""

    def __init__(self, spec: FieldSpec, value: Any, ctx: FormContext, **kwargs: Any) -> None:
        super().__init__(to_yaml(value), soft_wrap=True, compact=True, **_classes(kwargs, "form-multiline form-yaml"))
        self.styles.height = max(3, min(10, len(to_yaml(value).splitlines()) + 1))
        self.spec = spec
        self.words = ctx.words

    def read(self) -> tuple[Any, Issues]:
        """The value the YAML says."""
        value, error = parse_yaml(self.text, self.words)
        if error:
            return MISSING, [((), error)]
        if value is MISSING or value is None:
            return MISSING, _required(self.spec, self.words)
        return value, []


# ---------------------------------------------------------------- pickers


def rank(query: str, candidates: Sequence[tuple[str, str]], limit: int = 8) -> list[tuple[str, str]]:
    """The candidates (id, name) that match ``query``, best first: ids that start with it, then
    fuzzy matches on the id or the name.

    Examples
    --------
    >>> rank("ba", [("bsn", "Citizen number"), ("bank", "A bank"), ("open_bank", "Open an account")])
    [('bank', 'A bank'), ('open_bank', 'Open an account')]
    >>> rank("", [("b", "B"), ("a", "A")])
    [('b', 'B'), ('a', 'A')]
    """
    if not query:
        return list(candidates[:limit])
    search = FuzzySearch()
    lowered = query.lower()
    scored = []
    for ident, name in candidates:
        score = max(search.match(lowered, ident.lower())[0], 0.9 * search.match(lowered, name.lower())[0])
        if score > 0:
            scored.append((ident != lowered, not ident.startswith(lowered), lowered not in ident, -score, ident, name))
    scored.sort()
    return [(ident, name) for *_, ident, name in scored[:limit]]


class Dropdown(OptionList, can_focus=False):
    """The completions of the picker being typed in, under it, over the rest of the form."""

    DEFAULT_CSS = """
    Dropdown {
        overlay: screen;
        position: absolute;
        display: none;
        width: 40;
        height: auto;
        max-height: 10;
        border: none;
        padding: 0;
        background: $panel;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.owner: Picker | None = None

    def show_for(self, picker: Picker, options: list[Option]) -> None:
        """Show ``options`` under ``picker`` (above it when there is no room below)."""
        self.owner = picker
        self.clear_options()
        self.add_options(options)
        self.highlighted = 0
        region = picker.region
        screen = self.screen.size
        height = min(len(options), 10)
        y = region.bottom if region.bottom + height <= screen.height else max(0, region.y - height)
        width = min(max(region.width, 44), screen.width - region.x)
        self.styles.width = width
        self.styles.offset = (region.x, y)
        self.display = True

    def close(self) -> None:
        """Hide the list."""
        self.display = False
        self.owner = None

    @property
    def is_open_for(self) -> Picker | None:
        """The picker the list is open for, if any."""
        return self.owner if self.display else None

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.owner is not None:
            self.owner.take(event.option.id or "")


class Picker(Input, Editor):
    """The id of an element (or several, comma separated), completed from the section it names.

    Typing shows the matching ids with their names; ``tab`` or ``enter`` takes the highlighted
    one, ``↑``/``↓`` move. An id that does not exist yet is offered for creation (``enter`` on
    the offer; ``tab`` only ever takes an id that exists): a form for the new element opens with
    the id filled in, and the reference stands once it is saved.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "pick_move(1)", N_("Next match"), show=False),
        Binding("up", "pick_move(-1)", N_("Previous match"), show=False),
        Binding("tab", "pick_take", N_("Take the match"), show=False),
        Binding("escape", "pick_close", N_("Close the matches"), show=False),
    ]

    def __init__(self, spec: FieldSpec, value: Any, ctx: FormContext, **kwargs: Any) -> None:
        self.many = spec.type in ("refs", "items")
        if isinstance(value, list):
            shown = ", ".join(str(v) for v in value)
        else:
            shown = "" if value is MISSING or value is None else str(value)
        noun = ctx.words.say(_NOUNS.get(spec.section or "", spec.section or ""))
        placeholder = ctx.words.say(spec.label) if "cell" in kwargs.get("classes", "") else (
            ctx.words.say("{noun} ids, comma separated", noun=noun) if self.many
            else ctx.words.say("{noun} id", noun=noun))
        super().__init__(shown, compact=True, placeholder=placeholder, **kwargs)
        speak_bindings(self, ctx.words)
        self.spec = spec
        self.ctx = ctx
        self.words = ctx.words
        #: what :meth:`take` put in the field: its change is not typing, and opens no completions
        self._taken: str | None = None

    # reading --------------------------------------------------------

    def ids(self) -> list[str]:
        """The ids typed in, in order."""
        return [item.strip() for item in self.value.split(",") if item.strip()]

    def read(self) -> tuple[Any, Issues]:
        """The id, or the list of ids."""
        ids = self.ids()
        if not ids:
            return MISSING, _required(self.spec, self.words)
        if self.many:
            return ids, []
        if len(ids) > 1:
            return ids[0], [((), self.words.say("one id only"))]
        return ids[0], []

    # completing -----------------------------------------------------

    def _token(self) -> tuple[str, str]:
        """What comes before the id being typed, and that id."""
        if not self.many:
            return "", self.value.strip()
        head, _, token = self.value.rpartition(",")
        return (head + ", " if head else ""), token.strip()

    def options(self) -> list[Option]:
        """The completions of what is being typed: matching ids with their names, then an offer to create it."""
        section = self.spec.section or ""
        _, token = self._token()
        typed = self.ids()
        taken = set() if not self.many else set(typed[:-1]) if token else set(typed)
        candidates = [(i, n) for i, n in self.ctx.candidates(section, self.spec.added) if i not in taken]
        matches = rank(token, candidates)
        options = [Option(_match_text(token, ident, name), id=ident) for ident, name in matches]
        known = {ident for ident, _ in candidates}
        if token and token not in known and _SLUG.match(token) and section in _NOUNS and section != "attributes":
            create = Option(Text("+ " + self.words.say("create {noun} '{id}'",
                                                       noun=self.words.say(_NOUNS[section]), id=token), "italic"),
                            id=_CREATE + token)
            # After the ids that hold what is typed (it names one of them), before the looser matches.
            holding = sum(1 for ident, _ in matches if token.lower() in ident)
            options.insert(holding, create)
        return options

    def open_matches(self, everything: bool = False) -> None:
        """Show the completions (``everything``: of an empty field too)."""
        _, token = self._token()
        dropdown = self.ctx.dropdown()
        options = self.options() if token or everything else []
        if options:
            dropdown.show_for(self, options)
        elif dropdown.owner is self:
            dropdown.close()

    def take(self, option_id: str) -> None:
        """Take a completion: put its id in the field, or create the element it offers."""
        dropdown = self.ctx.dropdown()
        dropdown.close()
        head, _ = self._token()
        ident = option_id[len(_CREATE):] if option_id.startswith(_CREATE) else option_id
        self._taken = head + ident + (", " if self.many else "")
        self.value = self._taken
        self.cursor_position = len(self.value)
        if option_id.startswith(_CREATE):
            self.ctx.create(self.spec.section or "", ident, self)

    def _open(self) -> Option | None:
        dropdown = self.ctx.dropdown()
        if dropdown.is_open_for is not self or dropdown.highlighted is None:
            return None
        return dropdown.get_option_at_index(dropdown.highlighted)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.value == self._taken:
            return
        self._taken = None
        if self.has_focus:
            self.open_matches()

    def on_blur(self) -> None:
        """Leaving the field closes its completions."""
        dropdown = self.ctx.dropdown()
        if dropdown.owner is self:
            dropdown.close()

    def action_pick_move(self, step: int) -> None:
        """Move through the completions (``↓`` on a closed list opens it)."""
        dropdown = self.ctx.dropdown()
        if dropdown.is_open_for is not self:
            if step > 0:
                self.open_matches(everything=True)
                return
            raise SkipAction()
        count = dropdown.option_count
        dropdown.highlighted = ((dropdown.highlighted or 0) + step) % count if count else None

    def action_pick_take(self) -> None:
        """Take the highlighted completion. With none open (the list may not have caught up with
        fast typing), complete what is typed to the best id that exists; then go on to the next field."""
        option = self._open()
        if option is not None and not (option.id or "").startswith(_CREATE):
            self.take(option.id or "")
            return
        # Tab moves on: it never opens a form for a new element (enter on the offer does).
        _, token = self._token()
        known = {ident for ident, _ in self.ctx.candidates(self.spec.section or "", self.spec.added)}
        if token and token not in known:
            names = dict(self.ctx.candidates(self.spec.section or "", self.spec.added))
            lowered = token.lower()
            best = next((o.id for o in self.options() if o.id and not o.id.startswith(_CREATE)
                         and (lowered in o.id or lowered in names.get(o.id, "").lower())), None)
            if best is not None:
                self.take(best)
                return
        raise SkipAction()

    def action_pick_close(self) -> None:
        """Close the completions; with none open, escape does what it does around the field."""
        dropdown = self.ctx.dropdown()
        if dropdown.is_open_for is not self:
            raise SkipAction()
        dropdown.close()

    async def action_submit(self) -> None:
        """``enter`` takes the highlighted completion, else submits as an input does."""
        option = self._open()
        if option is not None:
            self.take(option.id or "")
            return
        await super().action_submit()


#: What one element of a section is called, for people.
_NOUNS: dict[str, str] = {
    "actors": "actor",
    "documents": "document",
    "rules": "rule",
    "touchpoints": "touchpoint",
    "personas": "persona",
    "attributes": "attribute",
}


def _match_text(query: str, ident: str, name: str) -> Text:
    text = Text(ident, "bold")
    if query:
        score, offsets = FuzzySearch().match(query.lower(), ident.lower())
        if score:
            for offset in offsets:
                text.stylize("underline", offset, offset + 1)
    if name and name != ident:
        text.append("  " + name, "dim")
    return text


# ---------------------------------------------------------------- rows, lists and groups


def _cell_classes(spec: FieldSpec) -> str:
    width = {"int": "narrow", "number": "narrow", "date": "date", "bool": "narrow", "select": "choice"}
    return f"cell cell-{width.get(spec.type, 'wide')} field-{spec.key}"


def _leaf(spec: FieldSpec, value: Any, ctx: FormContext, **kwargs: Any) -> Widget:
    kind = spec.type
    if kind in ("ref", "refs"):
        return Picker(spec, value, ctx, **kwargs)
    if kind in ("int", "number"):
        return NumberField(spec, value, ctx, **kwargs)
    if kind == "date":
        return DateField(spec, value, ctx, **kwargs)
    if kind == "select":
        return ChoiceField(spec, value, ctx, **kwargs)
    if kind == "bool":
        return YesNoField(spec, value, ctx, **kwargs)
    if kind == "strings":
        if spec.lines > 1:
            return TextBox(spec, value, ctx, **kwargs)
        return StringsField(spec, value, ctx, **kwargs)
    if kind == "choices":
        return ChoicesField(spec, value, ctx, **kwargs)
    if kind == "text" and spec.lines > 1:
        return TextBox(spec, value, ctx, **kwargs)
    if kind == "text":
        return TextField(spec, value, ctx, **kwargs)
    return YamlBox(spec, value, ctx, **kwargs)


def make_editor(spec: FieldSpec, value: Any, ctx: FormContext, **kwargs: Any) -> Widget:
    """The editor that ``spec`` asks for, showing ``value`` (:data:`MISSING`: nothing yet)."""
    kind = spec.type
    if kind == "group":
        return ModelEditor(spec.fields, value, ctx, inline=False, **kwargs)
    if kind == "records":
        return RecordsEditor(spec, value, ctx, **kwargs)
    if kind == "items":
        return ItemsEditor(spec, value, ctx, **kwargs)
    if kind == "variants":
        return VariantsEditor(spec, value, ctx, **kwargs)
    if kind == "variant":
        return VariantEditor(spec, value, ctx, **kwargs)
    if kind == "when":
        return WhenEditor(spec, value, ctx, **kwargs)
    if kind == "values":
        return ValuesEditor(spec, value, ctx, **kwargs)
    return _leaf(spec, value, ctx, **kwargs)


def _say_issues(issues: Issues, words: Words, labels: dict[str, str] | None = None) -> str:
    lines = []
    for loc, text in issues:
        key = next((str(step) for step in loc if isinstance(step, str)), None)
        label = (labels or {}).get(key or "")
        lines.append(f"{words.say(label)}: {text}" if label else text)
    return "\n".join(dict.fromkeys(lines))


class FieldBox(Vertical):
    """One field: its label, its editor (or the YAML box that stands in for it), and what is wrong.

    ``top``: a field of the form itself, whose widgets carry ids (``field-KEY``, ``yaml-KEY``,
    ``error-KEY``); the fields of a group carry classes instead.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("f2", "toggle_yaml", N_("YAML"), id="form.yaml")]

    def __init__(self, spec: FieldSpec, value: Any, ctx: FormContext, *, top: bool = False) -> None:
        super().__init__(classes=f"field-box box-{spec.key}", id=f"box-{spec.key}" if top else None)
        speak_bindings(self, ctx.words)
        self.spec = spec
        self.ctx = ctx
        self.top = top
        self.value = value
        self.can_yaml = spec.big and spec.type not in ("text", "strings", "choices", "yaml")
        reason = fits(spec, value, ctx) if self.can_yaml else None
        self.yaml_mode = reason is not None
        self.note = reason

    def _ids(self, what: str) -> dict[str, Any]:
        return {"id": f"{what}-{self.spec.key}"} if self.top else {"classes": f"{what}-{self.spec.key}"}

    def compose(self) -> Any:
        words = self.ctx.words
        said = (words.say(self.spec.label, currency=self.ctx.currency) if "{currency}" in self.spec.label
                else words.say(self.spec.label))
        label = Text(said + (" *" if self.spec.required else ""))
        if self.can_yaml:
            label.append("   " + words.say("f2: edit as YAML"), "dim italic")
        shown = self._yaml_box(self.value) if self.yaml_mode else self._editor(self.value)
        if self.spec.big:
            yield Label(label, classes="form-label")
            yield shown
        else:
            # A short field sits beside its label: more of the form fits on the screen.
            with Horizontal(classes="field-line"):
                yield Label(label, classes="form-label form-label-side")
                yield shown
        error = Label(Text(self.note or ""), **_classes(self._ids("error"), "form-error"))
        error.display = bool(self.note)
        yield error

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``f2`` only where the field has an editor of its own to leave."""
        if action == "toggle_yaml":
            return self.can_yaml
        return True

    def _editor(self, value: Any) -> Widget:
        editor = make_editor(self.spec, value, self.ctx, **self._ids("field"))
        editor.add_class("field-editor")
        return editor

    def _yaml_box(self, value: Any) -> YamlBox:
        return YamlBox(self.spec, value, self.ctx, **({"id": f"yaml-{self.spec.key}"} if self.top else {}))

    @property
    def editor(self) -> Editor:
        """The editor shown: the structured one, or the YAML box."""
        for child in [*self.children, *(c for line in self.query_children(".field-line") for c in line.children)]:
            if isinstance(child, Editor):
                return child
        raise LookupError(self.spec.key)

    def read(self) -> tuple[Any, Issues]:
        """The field's value and what cannot be read (not shown yet: the value it was made with)."""
        try:
            editor = self.editor
        except LookupError:
            return self.value, []
        return editor.read()

    def show_issues(self, issues: Issues) -> Issues:
        """Show every issue of the field: those the editor places, the rest under it."""
        try:
            rest = self.editor.show_issues(issues)
        except LookupError:  # not shown yet
            return issues
        labels = {spec.key: spec.label for spec in self.spec.fields}
        text = _say_issues(rest, self.ctx.words, labels)
        if self.note and not self.yaml_mode:
            self.note = None
        if self.note:
            text = "\n".join(filter(None, [self.note, text]))
        _say_under(self, ".form-error", text)
        return []

    async def action_toggle_yaml(self) -> None:
        """Edit the field as YAML, or back in its own editor (when the YAML fits it)."""
        if not self.can_yaml:
            raise SkipAction()
        value, issues = self.editor.read()
        if self.yaml_mode:
            if issues:
                self.note = self.ctx.words.say("fix the YAML first")
                self.show_issues(issues)
                self.app.bell()
                return
            reason = fits(self.spec, value, self.ctx)
            if reason is not None:
                self.note = reason
                self.show_issues([])
                self.app.bell()
                return
            new: Widget = self._editor(value)
        else:
            new = self._yaml_box(value)
        old = self.editor
        assert isinstance(old, Widget)
        self.yaml_mode = not self.yaml_mode
        self.note = None
        await old.remove()
        await self.mount(new, before=self.query_children(".form-error").first())
        _focus_first(new)
        self.post_message(EditorChanged())


def _say_under(widget: Widget, selector: str, text: str) -> None:
    """Put ``text`` in the error line below a row or list; an empty one takes no room."""
    for error in widget.query_children(selector).results(Label):  # none while it is being made
        error.update(Text(text))
        error.display = bool(text)


def _typed_in(widget: Widget) -> bool:
    """Whether any box inside ``widget`` holds text (which may not read as a value yet)."""
    for box in widget.query("Input, TextArea"):
        if (isinstance(box, Input) and box.value.strip()) or (isinstance(box, TextArea) and box.text.strip()):
            return True
    return False


#: The label of a requirement item's documents.
_DOCUMENTS = N_("documents")


def _hidden_label(classes: str) -> Label:
    label = Label("", classes=classes)
    label.display = False
    return label


def _focus_first(widget: Widget) -> None:
    if widget.focusable:
        widget.focus()
        return
    for child in widget.query("Input, TextArea, Select, SelectionList"):
        if child.focusable:
            child.focus()
            return


class ModelEditor(Vertical, Editor):
    """The fields of a model: ``inline``, the short ones as cells of one row (the long ones below it);
    else each a :class:`FieldBox` below the other."""

    def __init__(self, fields: Sequence[FieldSpec], value: Any, ctx: FormContext, *, inline: bool = True,
                 head: Sequence[Widget] = (), **kwargs: Any) -> None:
        super().__init__(**_classes(kwargs, "model-editor", "-inline" if inline else ""))
        self.fields = list(fields)
        self.value = dict(value) if isinstance(value, dict) else {}
        self.ctx = ctx
        self.inline = inline
        self.head = list(head)
        self.cells: dict[str, Widget] = {}
        self.boxes: dict[str, FieldBox] = {}

    def compose(self) -> Any:
        small = [spec for spec in self.fields if self.inline and not spec.big]
        if self.inline:
            with Horizontal(classes="cells"):
                yield from self.head
                for spec in small:
                    cell = _leaf(spec, self.value.get(spec.key, MISSING), self.ctx, classes=_cell_classes(spec))
                    self.cells[spec.key] = cell
                    yield cell
        for spec in self.fields:
            if spec.key not in self.cells:
                value = self.value.get(spec.key, MISSING)
                box = FieldBox(spec, value, self.ctx)
                self.boxes[spec.key] = box
                if self.inline and spec.type == "when" and value in (MISSING, None, {}):
                    # A row's condition that nobody set yet takes one line until it is opened.
                    yield Collapsible(box, title=self.ctx.words.say("{field}: for everyone (enter: only for some)",
                                                                    field=self.ctx.words.say(spec.label)),
                                      collapsed=True, classes="row-condition")
                else:
                    yield box
        yield _hidden_label("form-error row-error")

    def read(self) -> tuple[Any, Issues]:
        """The model's data: the fields in their order, keys it does not show kept as they were."""
        known = {spec.key for spec in self.fields}
        data: dict[str, Any] = {}
        issues: Issues = []
        for spec in self.fields:
            part = self.cells.get(spec.key) or self.boxes.get(spec.key)
            if part is None:  # not composed yet
                if spec.key in self.value:
                    data[spec.key] = self.value[spec.key]
                continue
            assert isinstance(part, (Editor, FieldBox))
            value, found = part.read()
            issues += [((spec.key, *loc), text) for loc, text in found]
            if value is MISSING or (spec.type == "group" and value == {} and not spec.required):
                continue  # an optional group left empty (a value without a taper) is not written
            data[spec.key] = value
        data.update({k: v for k, v in self.value.items() if k not in known})
        if not data and not _typed_in(self):
            return data, []  # nothing filled in: its required fields are not missing yet
        return data, issues

    def blank(self) -> bool:
        """Whether nothing has been filled in (a row left so is not part of the list)."""
        value, _ = self.read()
        return value in (MISSING, {}) and not _typed_in(self)

    def show_issues(self, issues: Issues, placed: Issues | None = None) -> Issues:
        """Place each issue at its cell or field; say the rest, the cells' and ``placed``, under the row."""
        by_key: dict[str, Issues] = {}
        rest: Issues = []
        for loc, text in issues:
            key = str(loc[0]) if loc else ""
            if key in self.cells or key in self.boxes:
                by_key.setdefault(key, []).append((loc[1:], text))
            else:
                rest.append((loc, text))
        said: Issues = list(placed or [])
        for key, cell in self.cells.items():
            assert isinstance(cell, Editor)
            left = cell.show_issues(by_key.get(key, []))
            said += [((key, *loc), text) for loc, text in left]
        for key, box in self.boxes.items():
            box.show_issues(by_key.get(key, []))
        labels = {spec.key: spec.label for spec in self.fields} | {"docs": _DOCUMENTS}
        _say_under(self, ".row-error", _say_issues(said + rest, self.ctx.words, labels))
        self.set_class(bool(said or rest), "-invalid")
        return []


class _ListEditor(Vertical, Editor):
    """Rows of one kind, with an empty row at the end to type the next one into.

    ``ctrl+n`` adds a row after the current one, ``ctrl+r`` removes it, ``ctrl+↑``/``ctrl+↓``
    move it. A row left empty is not part of the value.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "add_row", N_("New row"), id="form.row_add"),
        Binding("ctrl+r", "remove_row", N_("Remove row"), id="form.row_remove"),
        Binding("ctrl+up", "move_row(-1)", N_("Row up"), id="form.row_up", show=False),
        Binding("ctrl+down", "move_row(1)", N_("Row down"), id="form.row_down", show=False),
    ]

    def __init__(self, spec: FieldSpec, value: Any, ctx: FormContext, **kwargs: Any) -> None:
        super().__init__(**_classes(kwargs, "list-editor"))
        speak_bindings(self, ctx.words)
        self.spec = spec
        self.ctx = ctx
        self.initial = list(value) if isinstance(value, list) else []

    def make_row(self, value: Any) -> Widget:
        """A row showing one item."""
        raise NotImplementedError

    def header(self) -> Widget | None:
        """The row of column titles, if the list has one."""
        return None

    def compose(self) -> Any:
        head = self.header()
        if head is not None:
            yield head
        for item in self.initial:
            yield self._row(item)
        yield self._row(MISSING)
        yield _hidden_label("form-error list-error")

    def _row(self, value: Any) -> Widget:
        row = self.make_row(value)
        row.add_class("list-row")
        return row

    @property
    def rows(self) -> list[Widget]:
        """The rows, in order."""
        return list(self.query_children(".list-row"))

    @staticmethod
    def _blank(row: Widget) -> bool:
        blank = getattr(row, "blank", None)
        return bool(blank()) if callable(blank) else False

    def filled(self) -> list[Widget]:
        """The rows that are part of the value."""
        return [row for row in self.rows if not self._blank(row)]

    def read(self) -> tuple[Any, Issues]:
        """The items of the rows that are filled in."""
        items: list[Any] = []
        issues: Issues = []
        for n, row in enumerate(self.filled()):
            assert isinstance(row, Editor)
            value, found = row.read()
            issues += [((n, *loc), text) for loc, text in found]
            if value is not MISSING:
                items.append(value)
        return (items, issues) if items else (MISSING, issues + _required(self.spec, self.ctx.words))

    def show_issues(self, issues: Issues) -> Issues:
        """An issue of an item goes to its row; the rest are handed back."""
        rows = self.filled()
        by_row: dict[int, Issues] = {}
        rest: Issues = []
        for loc, text in issues:
            if loc and isinstance(loc[0], int) and 0 <= loc[0] < len(rows):
                by_row.setdefault(loc[0], []).append((loc[1:], text))
            else:
                rest.append((loc, text))
        for row in self.rows:
            assert isinstance(row, Editor)
            index = rows.index(row) if row in rows else -1
            row.show_issues(by_row.get(index, []))
        return rest

    def _current(self) -> Widget | None:
        focused = self.screen.focused
        for row in self.rows:
            if focused is not None and (focused is row or row in focused.ancestors):
                return row
        return None

    def _changed_rows(self) -> None:
        rows = self.rows
        if rows and not self._blank(rows[-1]):
            self.mount(self._row(MISSING), after=rows[-1])

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    @on(SelectionList.SelectedChanged)
    def _something_changed(self) -> None:
        self.call_after_refresh(self._changed_rows)

    async def action_add_row(self) -> None:
        """A new row after the current one."""
        current = self._current()
        row = self._row(MISSING)
        if current is None:
            rows = self.rows
            await self.mount(row, after=rows[-1] if rows else None)
        else:
            await self.mount(row, after=current)
        _focus_first(row)
        self.post_message(EditorChanged())

    async def action_remove_row(self) -> None:
        """Remove the current row."""
        current = self._current()
        if current is None:
            raise SkipAction()
        rows = self.rows
        following = rows[rows.index(current) + 1] if rows.index(current) + 1 < len(rows) else None
        await current.remove()
        if not self.rows or not self._blank(self.rows[-1]):
            await self.mount(self._row(MISSING), before=self.query_children(".list-error").first())
        target = following if following is not None and following.parent is self else self.rows[-1]
        _focus_first(target)
        self.post_message(EditorChanged())

    def action_move_row(self, step: int) -> None:
        """Move the current row up or down."""
        current = self._current()
        if current is None:
            raise SkipAction()
        rows = self.rows
        at = rows.index(current)
        to = at + step
        if not 0 <= to < len(rows):
            return
        if step < 0:
            self.move_child(current, before=rows[to])
        else:
            self.move_child(current, after=rows[to])
        self.post_message(EditorChanged())


class RecordsEditor(_ListEditor):
    """A table: one row a record, one column a field (journey steps)."""

    def header(self) -> Widget:
        words = self.ctx.words
        labels = [Label(Text(words.say(spec.label) + (" *" if spec.required else "")),
                        classes=_cell_classes(spec) + " column-title")
                  for spec in self.spec.fields if not spec.big]
        return Horizontal(*labels, classes="cells list-head")

    def make_row(self, value: Any) -> Widget:
        return ModelEditor(self.spec.fields, value, self.ctx, inline=True)


class ItemRow(ModelEditor):
    """One requirement item: its document (several: any one of them will do), and the item's options."""

    def __init__(self, spec: FieldSpec, value: Any, ctx: FormContext) -> None:
        one, several = spec.plain
        self.item_spec = spec
        # The form the item was written in, kept where its meaning allows.
        if isinstance(value, dict):
            self.form = "several" if several in value else "one"
        else:
            self.form = "plain"
        if isinstance(value, str):
            docs: list[str] = [value]
            options: dict[str, Any] = {}
        elif isinstance(value, dict):
            raw = value.get(several) if several in value else value.get(one)
            docs = list(raw) if isinstance(raw, list) else [raw] if isinstance(raw, str) else []
            options = {k: v for k, v in value.items() if k not in (one, several)}
        else:
            docs, options = [], {}
        # An item whose options are all cleared is written plain again (a goal without its deadline
        # is a plain id: `{doc: ID}` alone is no goal); one written `{doc: ID}` by hand stays so.
        self.had_options = bool(options)
        label = _DOCUMENTS if several else N_("document")
        self.docs = Picker(FieldSpec("docs", label, "refs" if several else "ref", section=spec.section,
                                     added=spec.added), docs, ctx, classes="cell cell-wide field-docs")
        super().__init__(spec.fields, options, ctx, inline=True, head=[self.docs])
        self.docs_key = one or several or "doc"

    def read(self) -> tuple[Any, Issues]:
        """A plain id when the item has nothing else (and was written so); else the long form."""
        one, several = self.item_spec.plain
        options, issues = super().read()
        docs, found = self.docs.read()
        issues = [((self.docs_key, *loc), text) for loc, text in found] + issues
        ids = docs if isinstance(docs, list) else [docs] if docs is not MISSING else []
        if not ids:
            if options or issues:
                which = ((self.docs_key,), self.ctx.words.say("which document?"))
                return ({several or one or "doc": []} | options), [*issues, which]
            return MISSING, issues
        if several and (len(ids) > 1 or (self.form == "several" and len(ids) == 1) or not one):
            return {several: ids, **options}, issues
        if one is None:
            return ids[0], issues
        if not options and (self.form == "plain" or self.had_options):
            return ids[0], issues
        return {one: ids[0], **options}, issues

    def blank(self) -> bool:
        """Whether nothing has been filled in."""
        return not self.docs.value.strip() and super().blank()

    def show_issues(self, issues: Issues, placed: Issues | None = None) -> Issues:
        """The document's issues go to the documents cell, the options' to theirs."""
        one, several = self.item_spec.plain
        mine = [(loc[1:], text) for loc, text in issues if loc and loc[0] in (one, several)]
        rest = [(loc, text) for loc, text in issues if not (loc and loc[0] in (one, several))]
        left = self.docs.show_issues(mine)
        return super().show_issues(rest, [(("docs",), text) for _, text in left])


class ItemsEditor(_ListEditor):
    """A list of items, each a document or a group of alternatives, with options (requirement items)."""

    def header(self) -> Widget:
        words = self.ctx.words
        first = words.say("documents (any one)") if self.spec.plain[1] else words.say("document")
        labels = [Label(first, classes="cell cell-wide column-title")]
        labels += [Label(words.say(spec.label), classes=_cell_classes(spec) + " column-title")
                   for spec in self.spec.fields if not spec.big]
        return Horizontal(*labels, classes="cells list-head")

    def make_row(self, value: Any) -> Widget:
        return ItemRow(self.spec, value, self.ctx)


class VariantEditor(Vertical, Editor):
    """One of several forms: pick the form, then fill in its fields.

    A change (``tag`` None) is ``{kind: its fields}``; an attribute (``tag`` ``type``) carries
    its form in a field, beside the others.
    """

    def __init__(self, spec: FieldSpec, value: Any, ctx: FormContext, *, inline: bool | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**_classes(kwargs, "variant-editor"))
        self.spec = spec
        self.ctx = ctx
        self.inline = spec.tag is None if inline is None else inline
        tags = [name for name, _ in spec.forms]
        if spec.tag is not None:
            self.tag = value.get(spec.tag) if isinstance(value, dict) and value.get(spec.tag) in tags else None
            self.args: Any = {k: v for k, v in value.items() if k != spec.tag} if isinstance(value, dict) else {}
        elif isinstance(value, dict) and len(value) == 1 and next(iter(value)) in tags:
            self.tag, self.args = next(iter(value.items()))
        else:
            self.tag, self.args = None, MISSING
        words = ctx.words
        self.kind = Select([(value_word(words, spec.tag or "change", name), name) for name in tags],
                           value=self.tag if self.tag is not None else Select.NULL, compact=True,
                           prompt=words.say("(kind of change)") if spec.tag is None else words.say("(not set)"),
                           classes="cell cell-kind variant-kind")

    def compose(self) -> Any:
        if self.inline:
            with Horizontal(classes="cells"):
                yield self.kind
        else:
            yield self.kind
        if self.tag is not None:
            yield self._body(self.tag, self.args)
        yield _hidden_label("form-error row-error")

    def _body(self, tag: str, value: Any) -> Widget:
        form = self.spec.form(tag)
        assert form is not None
        if form.type == "group":
            return ModelEditor(form.fields, value, self.ctx, inline=self.inline, classes="variant-body")
        body = make_editor(form, value, self.ctx, classes="variant-body " + _cell_classes(form))
        return body

    @property
    def body(self) -> Widget | None:
        """The fields of the chosen form."""
        return next(iter(self.query_children(".variant-body")), None)

    @on(Select.Changed, ".variant-kind")
    async def _kind_changed(self, event: Select.Changed) -> None:
        tag = event.value if isinstance(event.value, str) else None
        if tag == self.tag:
            return
        old = self.body
        carried: Any = MISSING
        if old is not None:
            assert isinstance(old, Editor)
            value, _ = old.read()
            carried = value
            await old.remove()
        self.tag = tag
        if tag is not None:
            form = self.spec.form(tag)
            assert form is not None
            # What fits the new form is kept: the touchpoint of a change, an attribute's description.
            if isinstance(carried, dict) and form.type == "group":
                keys = {spec.key for spec in form.fields}
                carried = {k: v for k, v in carried.items() if k in keys}
            elif form.type == "group" or isinstance(carried, dict):
                carried = MISSING
            await self.mount(self._body(tag, carried), before=self.query_children(".row-error").first())
        self.post_message(EditorChanged())

    def read(self) -> tuple[Any, Issues]:
        """``{kind: fields}``, or the fields with the form in ``tag``."""
        if self.tag is None:
            return MISSING, _required(self.spec, self.ctx.words) if self.spec.tag is not None else []
        body = self.body
        if body is None:
            value: Any = self.args
            issues: Issues = []
        else:
            assert isinstance(body, Editor)
            value, issues = body.read()
        if self.spec.tag is not None:
            return {self.spec.tag: self.tag, **(value if isinstance(value, dict) else {})}, issues
        return {self.tag: {} if value is MISSING else value}, [((self.tag, *loc), text) for loc, text in issues]

    def blank(self) -> bool:
        """Whether no kind has been picked."""
        return self.tag is None

    def show_issues(self, issues: Issues) -> Issues:
        """Issues of the fields go to the fields; of the form itself under it."""
        body = self.body
        rest: Issues = []
        mine: Issues = []
        for loc, text in issues:
            if self.spec.tag is None and loc and loc[0] == self.tag:
                mine.append((loc[1:], text))
            elif self.spec.tag is not None and loc and loc[0] != self.spec.tag:
                mine.append((loc, text))
            else:
                rest.append((loc, text))
        if body is not None:
            assert isinstance(body, Editor)
            rest += body.show_issues(mine)
        else:
            rest += mine
        _say_under(self, ".row-error", _say_issues(rest, self.ctx.words))
        self.set_class(bool(rest), "-invalid")
        return []


class VariantsEditor(_ListEditor):
    """A list of typed entries, each of its own kind with its own fields (intervention changes)."""

    def make_row(self, value: Any) -> Widget:
        return VariantEditor(self.spec, value, self.ctx)


# ---------------------------------------------------------------- conditions and values, per attribute

_BOUNDS = ("min", "max", "above", "below")


def _attribute_kind(attribute: Any) -> str:
    return str(getattr(attribute, "type", ""))


class ConditionRow(Horizontal, Editor):
    """The condition on one attribute, in its own terms: bounds for a number, ticked values for a
    category, yes or no for a boolean. Nothing filled in: no condition."""

    def __init__(self, name: str, attribute: Any, value: Any, ctx: FormContext) -> None:
        super().__init__(classes=f"condition-row attribute-{name}")
        self.attribute_name = name
        self.attribute = attribute
        self.ctx = ctx
        self.kind = _attribute_kind(attribute)
        self.initial = value
        self.parts: dict[str, Widget] = {}

    def compose(self) -> Any:
        words = self.ctx.words
        unit = getattr(self.attribute, "unit", None)
        title = Text(self.attribute_name, "bold")
        if unit:
            title.append(f" ({unit})", "dim")
        yield Label(title, classes="condition-name")
        value = self.initial
        if self.kind in ("integer", "number"):
            bounds = value if isinstance(value, dict) else {}
            for bound in _BOUNDS:
                field = Input("" if bound not in bounds else str(bounds[bound]), compact=True,
                              placeholder=words.say(_BOUND_LABELS[bound]), classes=f"cell cell-narrow bound-{bound}")
                self.parts[bound] = field
                yield field
        elif self.kind == "category":
            found = value.get("in", value.get("not_in", [])) if isinstance(value, dict) else []
            chosen: list[Any] = found if isinstance(found, list) else []
            mode = Select([(words.say("is one of"), "in"), (words.say("is none of"), "not_in")],
                          value="not_in" if isinstance(value, dict) and "not_in" in value else "in",
                          allow_blank=False, compact=True, classes="cell cell-choice condition-mode")
            self.parts["mode"] = mode
            yield mode
            ticks = SelectionList[str](*[(v, v, v in chosen) for v in self.attribute.values], compact=True,
                                       classes="condition-values")
            self.parts["values"] = ticks
            yield ticks
        elif self.kind == "boolean":
            pick = Select([(words.say("any"), "any"), (words.say("yes"), "yes"), (words.say("no"), "no")],
                          value={True: "yes", False: "no"}.get(value, "any") if isinstance(value, bool) else "any",
                          allow_blank=False, compact=True, classes="cell cell-choice condition-bool")
            self.parts["bool"] = pick
            yield pick

    def read(self) -> tuple[Any, Issues]:
        """The condition, or :data:`MISSING` for none."""
        words = self.ctx.words
        if not self.parts:  # not shown yet (a row being made): what it was made with
            return self.initial, []
        if self.kind in ("integer", "number"):
            bounds: dict[str, Any] = {}
            issues: Issues = []
            for bound in _BOUNDS:
                field = self.parts[bound]
                assert isinstance(field, Input)
                text = field.value.strip()
                if text:
                    number, error = _number(text, False, words)
                    if error:
                        issues.append(((bound,), error))
                    else:
                        bounds[bound] = number
            return (bounds if bounds else MISSING), issues
        if self.kind == "category":
            ticks = self.parts["values"]
            mode = self.parts["mode"]
            assert isinstance(ticks, SelectionList) and isinstance(mode, Select)
            chosen = [v for v in self.attribute.values if v in set(ticks.selected)]
            return ({str(mode.value): chosen} if chosen else MISSING), []
        if self.kind == "boolean":
            pick = self.parts["bool"]
            assert isinstance(pick, Select)
            return {"yes": True, "no": False}.get(str(pick.value), MISSING), []
        return self.initial, []

    def show_issues(self, issues: Issues) -> Issues:
        """Mark the bounds that are wrong; the rest goes under the conditions."""
        for bound, field in self.parts.items():
            field.set_class(any(loc[:1] == (bound,) for loc, _ in issues), "-invalid")
        return [((self.attribute_name, *loc), text) for loc, text in issues]


_BOUND_LABELS = {"min": N_("min (≥)"), "max": N_("max (≤)"), "above": N_("above (>)"), "below": N_("below (<)")}


class _PerAttribute(Vertical, Editor):
    """One row a declared attribute of the case."""

    def __init__(self, spec: FieldSpec, value: Any, ctx: FormContext, **kwargs: Any) -> None:
        super().__init__(**_classes(kwargs, "per-attribute"))
        self.spec = spec
        self.ctx = ctx
        self.value = dict(value) if isinstance(value, dict) else {}
        self.rows: dict[str, Widget] = {}

    def make_row(self, name: str, attribute: Any, value: Any) -> Widget:
        """The row of one attribute."""
        raise NotImplementedError

    def compose(self) -> Any:
        attributes = self.ctx.attributes()
        if not attributes:
            yield Static(Text(self.ctx.words.say(
                "The case declares no attributes yet: add them under Attributes in the tree."), "dim"))
        for name, attribute in attributes.items():
            row = self.make_row(name, attribute, self.value.get(name, MISSING))
            self.rows[name] = row
            yield row

    def read(self) -> tuple[Any, Issues]:
        """A mapping of attribute names, in the order the case declares them."""
        data: dict[str, Any] = {}
        issues: Issues = []
        for name, row in self.rows.items():
            assert isinstance(row, Editor)
            value, found = row.read()
            issues += [((name, *loc), text) for loc, text in found]
            if value is not MISSING:
                data[name] = value
        return (data if data else MISSING), issues

    def show_issues(self, issues: Issues) -> Issues:
        """Each attribute's issues marked on its row; the words go under the field, after its name."""
        for name, row in self.rows.items():
            assert isinstance(row, Editor)
            row.show_issues([(loc[1:], text) for loc, text in issues if loc and loc[0] == name])
        return [((), f"{loc[0]}: {text}") if loc and loc[0] in self.rows else (loc, text) for loc, text in issues]


class WhenEditor(_PerAttribute):
    """Conditions over the case's attributes: every one that is filled in must hold."""

    def make_row(self, name: str, attribute: Any, value: Any) -> Widget:
        return ConditionRow(name, attribute, value, self.ctx)


class ValueRow(Horizontal, Editor):
    """A persona's value of one attribute: a number, one of the category's values, or yes/no."""

    def __init__(self, name: str, attribute: Any, value: Any, ctx: FormContext) -> None:
        super().__init__(classes=f"value-row attribute-{name}")
        self.attribute_name = name
        self.kind = _attribute_kind(attribute)
        self.attribute = attribute
        self.ctx = ctx
        self.initial = value

    def compose(self) -> Any:
        words = self.ctx.words
        unit = getattr(self.attribute, "unit", None)
        title = Text(self.attribute_name, "bold")
        if unit:
            title.append(f" ({unit})", "dim")
        yield Label(title, classes="condition-name")
        value = self.initial
        if self.kind in ("integer", "number"):
            bounds = [f"{self.ctx.words.say(b)} {getattr(self.attribute, b)}" for b in ("min", "max")
                      if getattr(self.attribute, b, None) is not None]
            yield Input("" if value is MISSING else str(value), compact=True, placeholder=", ".join(bounds),
                        classes="cell cell-narrow attribute-value")
        elif self.kind == "category":
            yield Select([(v, v) for v in self.attribute.values], value=value if value in self.attribute.values
                         else Select.NULL, compact=True, prompt=words.say("(not set)"),
                         classes="cell cell-choice attribute-value")
        elif self.kind == "boolean":
            yield Select([(words.say("yes"), True), (words.say("no"), False)],
                         value=value if isinstance(value, bool) else Select.NULL, compact=True,
                         prompt=words.say("(not set)"), classes="cell cell-choice attribute-value")

    def read(self) -> tuple[Any, Issues]:
        """The value, or :data:`MISSING`."""
        part = next(iter(self.query(".attribute-value")), None)
        if isinstance(part, Input):
            text = part.value.strip()
            if not text:
                return MISSING, []
            number, error = _number(text, self.kind == "integer", self.ctx.words)
            return number, [((), error)] if error else []
        if isinstance(part, Select):
            value = part.value
            return (MISSING if value is Select.NULL else value), []
        return self.initial, []

    def show_issues(self, issues: Issues) -> Issues:
        """Mark the value when it is wrong."""
        self.set_class(bool(issues), "-invalid")
        return issues


class ValuesEditor(_PerAttribute):
    """A value for each of the case's attributes (a persona's)."""

    def make_row(self, name: str, attribute: Any, value: Any) -> Widget:
        return ValueRow(name, attribute, value, self.ctx)


# ---------------------------------------------------------------- what an editor can show


def fits(spec: FieldSpec, value: Any, ctx: FormContext) -> str | None:
    """Why the editor of ``spec`` cannot show ``value`` without losing something, or None when it can.

    What it cannot show is edited as YAML instead.
    """
    words = ctx.words
    if value is MISSING or value is None:
        return None
    why = words.say("this value does not fit the editor, so it is shown as YAML")
    kind = spec.type
    if kind in ("text", "select", "date", "int", "number", "bool", "ref", "yaml"):
        return None if not isinstance(value, (dict, list)) else why
    if kind in ("refs", "strings", "choices"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return why
        if kind == "choices" and not set(value) <= set(spec.choices):
            return why
        if kind in ("refs", "strings") and any("," in v for v in value):
            return why
        return None
    if kind == "group":
        return _fits_model(spec.fields, value, ctx, why)
    if kind == "records":
        if not isinstance(value, list):
            return why
        return next((r for r in (_fits_model(spec.fields, item, ctx, why) for item in value) if r), None)
    if kind == "items":
        return _fits_items(spec, value, ctx, why)
    if kind == "variants":
        if not isinstance(value, list):
            return why
        return next((r for r in (_fits_variant(spec, item, ctx, why) for item in value) if r), None)
    if kind == "variant":
        return _fits_variant(spec, value, ctx, why)
    if kind == "when":
        return _fits_when(value, ctx, why)
    if kind == "values":
        return _fits_values(value, ctx, why)
    return why


def _fits_model(fields: Iterable[FieldSpec], value: Any, ctx: FormContext, why: str) -> str | None:
    if not isinstance(value, dict):
        return why
    specs = {spec.key: spec for spec in fields}
    if not set(value) <= set(specs):
        return why
    return next((r for r in (fits(specs[k], v, ctx) for k, v in value.items()) if r), None)


def _fits_items(spec: FieldSpec, value: Any, ctx: FormContext, why: str) -> str | None:
    if not isinstance(value, list):
        return why
    one, several = spec.plain
    for item in value:
        if isinstance(item, str):
            continue
        if not isinstance(item, dict) or (one in item) == (several in item):
            return why
        docs = item.get(one) if one in item else item.get(several)
        if not (isinstance(docs, str) or (isinstance(docs, list) and all(isinstance(d, str) for d in docs))):
            return why
        reason = _fits_model(spec.fields, {k: v for k, v in item.items() if k not in (one, several)}, ctx, why)
        if reason:
            return reason
    return None


def _fits_variant(spec: FieldSpec, value: Any, ctx: FormContext, why: str) -> str | None:
    if not isinstance(value, dict):
        return why
    if spec.tag is not None:
        if not value:
            return None  # nothing chosen yet
        form = spec.form(str(value.get(spec.tag)))
        if form is None:
            return why
        return _fits_model(form.fields, {k: v for k, v in value.items() if k != spec.tag}, ctx, why)
    if len(value) != 1:
        return why
    tag, args = next(iter(value.items()))
    form = spec.form(str(tag))
    return why if form is None else fits(form, args, ctx)


def _fits_when(value: Any, ctx: FormContext, why: str) -> str | None:
    if not isinstance(value, dict):
        return why
    attributes = ctx.attributes()
    for name, condition in value.items():
        attribute = attributes.get(name)
        kind = _attribute_kind(attribute)
        if attribute is None:
            return ctx.words.say("the condition on '{name}', which the case does not declare, is shown as YAML",
                                 name=name)
        if kind == "boolean":
            if not isinstance(condition, bool):
                return why
        elif not isinstance(condition, dict) or not condition:
            return why
        elif kind in ("integer", "number"):
            if not set(condition) <= set(_BOUNDS) or not all(
                    isinstance(v, (int, float)) and not isinstance(v, bool) for v in condition.values()):
                return why
        elif kind == "category":
            if len(condition) != 1 or next(iter(condition)) not in ("in", "not_in"):
                return why
            chosen = next(iter(condition.values()))
            if not isinstance(chosen, list) or not set(chosen) <= set(attribute.values):
                return why
    return None


def _fits_values(value: Any, ctx: FormContext, why: str) -> str | None:
    if not isinstance(value, dict):
        return why
    attributes = ctx.attributes()
    for name, given in value.items():
        attribute = attributes.get(name)
        kind = _attribute_kind(attribute)
        if attribute is None:
            return ctx.words.say("the value of '{name}', which the case does not declare, is shown as YAML",
                                 name=name)
        if kind == "boolean" and not isinstance(given, bool):
            return why
        if kind in ("integer", "number") and (isinstance(given, bool) or not isinstance(given, (int, float))):
            return why
        if kind == "category" and given not in attribute.values:
            return why
    return None


#: Used by the tests: every editor class by the kind of field it edits.
EDITOR_CLASSES: dict[str, Callable[..., Widget]] = {
    "text": TextField, "int": NumberField, "number": NumberField, "date": DateField, "bool": YesNoField,
    "select": ChoiceField, "ref": Picker, "refs": Picker, "strings": StringsField, "choices": ChoicesField,
    "when": WhenEditor, "values": ValuesEditor, "items": ItemsEditor, "records": RecordsEditor,
    "variants": VariantsEditor, "variant": VariantEditor, "group": ModelEditor, "yaml": YamlBox,
}
