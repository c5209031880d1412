"""A form to add or edit any element, validated as you type with the loader's own checks."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import types
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal, Union, get_args, get_origin

from rich.text import Text
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Footer, Input, Label, Select, Static, TextArea

from kafka_tool.errors import Issue
from kafka_tool.model import Case
from kafka_tool.references import element_model, field_reference

from ..screens.confirm import ConfirmModal
from ..state import SECTIONS, ElementRef, element_data, with_element

__all__ = ["FIELDS", "ElementForm", "FieldSpec", "form_fields", "form_values", "parse_field", "to_flow"]


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form: its key in the case file, its label, and how it is typed in.

    ``section``: for a field that names elements (``type`` ``ref``, or ``list`` of ids), the
    section of the case they come from, which the field completes from.
    """

    key: str
    label: str
    type: str = "text"  # text | select | int | number | list | yaml | ref
    choices: tuple[str, ...] = ()
    required: bool = False
    hint: str = ""
    lines: int = 1  # more than one: a text area (long text, or a list written one item a line)
    section: str | None = None


# What a form says and how large its boxes are: words for people, which the model leaves to the
# interface. Everything else about a field (its kind, choices, whether it is required, what it
# refers to) comes from the model.
_LABELS = {"cost": "cost (EUR)"}
_HINTS = {
    "when": "{age: {min: 18}, homeless: false}",
    "conflicts_with": "rule ids, comma separated",
    "rules": "rule ids, comma separated",
    "requires": "[passport, {any_of: [a, b]}, {doc: d, rule: r}]",
    "fetches": "documents the actor fetches itself",
    "attributes": "{age: 24, homeless: false}",
    "steps": "- {touchpoint: t, date: 2024-01-05, outcome: referred, to: u}",
    "changes": "- {remove_requirement: {touchpoint: t, document: d}}",
    "expected_resolves": "finding kinds",
}
_LINES = {"description": 3, "story": 3, "steps": 6, "changes": 5}


def _bare(tp: Any) -> Any:
    """A type without ``Annotated`` and without ``| None``."""
    while True:
        if get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
        elif get_origin(tp) in (Union, types.UnionType) and len(get_args(tp)) == 2 and type(None) in get_args(tp):
            tp = next(a for a in get_args(tp) if a is not type(None))
        else:
            return tp


def _kind_of(tp: Any) -> tuple[str, tuple[str, ...]]:
    """How a value of type ``tp`` is typed into a form, and its choices."""
    tp = _bare(tp)
    if get_origin(tp) is Literal:
        return "select", tuple(str(choice) for choice in get_args(tp))
    if tp is int:
        return "int", ()
    if tp is str:
        return "text", ()
    if get_origin(tp) in (Union, types.UnionType) and set(get_args(tp)) == {int, float}:
        return "number", ()
    if get_origin(tp) is list and _bare(get_args(tp)[0]) is str:
        return "list", ()
    return "yaml", ()


def form_fields(kind: str) -> list[FieldSpec]:
    """The fields of the form for an element kind: one per field of its model, in the model's order."""
    model = element_model(SECTIONS[kind])
    specs = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        label = _LABELS.get(key, key.replace("_", " "))
        hint = _HINTS.get(key, "")
        reference = field_reference(model, name)
        section = None
        if reference is not None:
            target, many = reference
            section = target.section
            type_, choices = ("list" if many else "ref"), ()
            if many:
                hint = hint or f"{target.noun} ids"
            elif target.noun != key:
                label = f"{label} ({target.noun})"
        else:
            type_, choices = _kind_of(info.annotation)
        specs.append(FieldSpec(key, label, type_, choices, info.is_required(), hint, _LINES.get(key, 1), section))
    return specs


FIELDS: dict[str, list[FieldSpec]] = {kind: form_fields(kind) for kind in SECTIONS}

_PLAIN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_ .-]*$")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "~"}


def to_flow(value: Any) -> str:
    """A value as one line of flow-style YAML (what the form shows for lists and mappings)."""
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
    if (
        _PLAIN.match(text)
        and text.lower() not in _RESERVED
        and not re.match(r"^[\d.-]+$", text)
        and text == text.strip()
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


def _yaml() -> YAML:
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 2)
    return yaml


def parse_field(spec: FieldSpec, raw: str) -> tuple[Any, str | None]:
    """The value typed into a field, or an error message. ``None`` means: leave the key out."""
    text = raw.strip()
    if not text:
        return None, (f"{spec.label} is required" if spec.required else None)
    if spec.type == "int":
        if not re.fullmatch(r"-?\d+", text):
            return None, "a whole number, e.g. 90"
        return int(text), None
    if spec.type == "number":
        try:
            number = float(text)
        except ValueError:
            return None, "a number, e.g. 5 or 2.5"
        return int(number) if number.is_integer() and "." not in text else number, None
    if spec.type == "list":
        return [item.strip() for item in text.strip("[]").split(",") if item.strip()], None
    if spec.type == "yaml":
        try:
            return _yaml().load(io.StringIO(text)), None
        except YAMLError as error:
            problem = getattr(error, "problem", None) or str(error).splitlines()[0]
            return None, f"not valid YAML: {problem}"
    return text, None


def form_values(spec: FieldSpec, value: Any) -> str:
    """What a field shows for a value from the case."""
    if value is None:
        return ""
    if spec.type == "list":
        return ", ".join(str(v) for v in value)
    if spec.type == "yaml":
        if spec.lines > 1 and isinstance(value, list) and value:
            return "\n".join(f"- {to_flow(item)}" for item in value)
        return to_flow(value)
    return str(value)


class ElementForm(ModalScreen[dict[str, Any] | None]):
    """Add or edit one element; every field shows the loader's errors as you type.

    Dismisses with the element's new data, or None when cancelled.
    """

    HELP = """\
## Element form

Each field shows, under it, what the loader would say about the value: the
same checks as `kafka-tool validate`. Lists are comma separated ids; fields
marked *yaml* take YAML such as `{age: {min: 18}}`; the larger boxes (a
story, a description, journey steps, intervention changes) take several
lines, `enter` starting a new one (steps and changes one `- {...}` a line).
Changing the id renames the element and updates every reference to it.

- `ctrl+s` or **Save**: apply (only when there is no error)
- `escape`: cancel (asking first when you changed a field)
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "submit", "Apply", id="form.submit", priority=True),
    ]

    def __init__(self, case: Case, kind: str, ref: ElementRef | None = None, only: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.case = case
        self.kind = kind
        self.ref = ref
        self.specs = [s for s in FIELDS[kind] if not only or s.key in only]
        self.original: dict[str, Any] = element_data(case, ref) if ref is not None else {}
        self.errors: dict[str, str] = {}
        self.general: list[str] = []

    @property
    def title_text(self) -> str:
        """What the form says it does."""
        if self.ref is None:
            return f"New {self.kind}"
        verb = "Rename" if [s.key for s in self.specs] == ["id"] else "Edit"
        return f"{verb} {self.kind} '{self.ref.key if self.kind != 'journey' else self.original.get('persona')}'"

    def _suggestions(self, spec: FieldSpec) -> list[str]:
        if spec.type == "ref" and spec.section is not None:
            return [element.id for element in getattr(self.case, spec.section)]
        return []

    def compose(self) -> Any:
        with Vertical(id="form-dialog"):
            yield Static(Text(self.title_text), id="form-title")
            with VerticalScroll(id="form-fields"):
                for spec in self.specs:
                    label = spec.label + (" *" if spec.required else "") + (" (yaml)" if spec.type == "yaml" else "")
                    yield Label(label, classes="form-label")
                    value = self.original.get(spec.key)
                    if spec.type == "select":
                        options = [(c.replace("_", " "), c) for c in spec.choices]
                        yield Select(
                            options,
                            value=value if value in spec.choices else Select.NULL,
                            id=f"field-{spec.key}",
                            compact=True,
                            prompt="(not set)",
                        )
                    elif spec.lines > 1:
                        area = TextArea(
                            form_values(spec, value),
                            id=f"field-{spec.key}",
                            soft_wrap=True,
                            compact=True,
                            placeholder=spec.hint,
                            classes="form-multiline",
                        )
                        area.styles.height = spec.lines
                        yield area
                    else:
                        suggestions = self._suggestions(spec)
                        yield Input(
                            form_values(spec, value),
                            placeholder=spec.hint,
                            id=f"field-{spec.key}",
                            suggester=SuggestFromList(suggestions) if suggestions else None,
                            compact=True,
                        )
                    yield Label("", id=f"error-{spec.key}", classes="form-error")
            yield Label("", id="form-general", classes="form-error")
            with Horizontal(id="form-buttons"):
                yield Button("Save", id="form-save", variant="primary", compact=True)
                yield Button("Cancel", id="form-cancel", compact=True)
        yield Footer()  # this form's keys, not the case screen's

    def on_mount(self) -> None:
        """Validate what is there from the start."""
        self.validate()
        self._initial = self._field_values()
        first = self.query("#form-fields Input, #form-fields Select, #form-fields TextArea").first()
        first.focus()

    def _field_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for spec in self.specs:
            widget = self.query_one(f"#field-{spec.key}")
            values[spec.key] = widget.text if isinstance(widget, TextArea) else getattr(widget, "value", None)
        return values

    @property
    def changed(self) -> bool:
        """Whether any field differs from what the form opened with."""
        return self._field_values() != getattr(self, "_initial", self._field_values())

    def element(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The element as data from the fields, and the errors of fields that cannot be read."""
        data = dict(self.original)
        errors: dict[str, str] = {}
        for spec in self.specs:
            widget = self.query_one(f"#field-{spec.key}")
            if isinstance(widget, Select):
                value: Any = widget.value if isinstance(widget.value, str) else None
                error = None
            else:
                assert isinstance(widget, (Input, TextArea))
                value, error = parse_field(spec, widget.text if isinstance(widget, TextArea) else widget.value)
            if error:
                errors[spec.key] = error
            if value is None or value == [] or value == {}:
                original = self.original.get(spec.key)
                if spec.key in self.original and (original == [] or original == {}) and value is not None:
                    data[spec.key] = original
                else:
                    data.pop(spec.key, None)
            else:
                data[spec.key] = value
        # Keep the file's key order: fields in the order the form lists them, then any others.
        order = [s.key for s in FIELDS[self.kind]]
        ordered = {k: data[k] for k in order if k in data}
        ordered.update({k: v for k, v in data.items() if k not in ordered})
        return ordered, errors

    def validate(self) -> bool:
        """Check the fields and the whole case with the loader's checks; show errors next to the fields."""
        data, errors = self.element()
        general: list[str] = []
        if not errors:
            _, issues = with_element(self.case, self.ref, self.kind, data)
            position = self._position(data)
            section = SECTIONS[self.kind]
            keys = {s.key for s in self.specs}
            for issue in issues:
                field = self._field_of(issue, section, position)
                text = issue.message + (f" ({issue.hint})" if issue.hint else "")
                if field in keys and field not in errors:
                    errors[field] = text
                elif field is None or field not in keys:
                    general.append(text)
        self.errors = errors
        self.general = general
        for spec in self.specs:
            self.query_one(f"#error-{spec.key}", Label).update(Text(errors.get(spec.key, "")))
        # Under the buttons too, for fields scrolled out of sight.
        labels = {spec.key: spec.label for spec in self.specs}
        summary = list(dict.fromkeys([f"{labels[key]}: {text}" for key, text in errors.items() if key in labels]
                                     + general))
        self.query_one("#form-general", Label).update(
            Text(("To save, fix — " + "\n".join(summary[:4])) if summary else "")
        )
        ok = not errors and not general
        self.query_one("#form-save", Button).disabled = not ok
        return ok

    def _position(self, data: dict[str, Any]) -> int:
        items = getattr(self.case, SECTIONS[self.kind])
        if self.ref is None:
            return len(items)
        if self.kind == "journey":
            return int(self.ref.key)
        return next(n for n, item in enumerate(items) if item.id == self.ref.key)

    @staticmethod
    def _field_of(issue: Issue, section: str, position: int) -> str | None:
        loc = issue.loc
        if len(loc) >= 2 and loc[0] == section and loc[1] == position:
            return str(loc[2]) if len(loc) >= 3 else "id"
        return None

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    def _changed(self, event: Input.Changed | Select.Changed | TextArea.Changed) -> None:
        event.stop()
        self.validate()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#form-save")
    def _save(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#form-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def action_submit(self) -> None:
        """Apply the form when it is valid."""
        if self.validate():
            self.dismiss(self.element()[0])
        else:
            self.notify("Fix the fields marked in red first.", severity="warning")

    def action_cancel(self) -> None:
        """Close without changing anything (asking first when a field was changed)."""
        if not self.changed:
            self.dismiss(None)
            return
        def answer(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmModal(f"Discard your changes to this {self.kind}?", yes="Discard", no="Keep editing"), answer
        )
