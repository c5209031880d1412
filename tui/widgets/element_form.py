"""A form to add or edit any part of a case, validated as you type with the loader's own checks.

The fields come from the model (:mod:`tui.widgets.form_fields`), each with the editor its
type asks for (:mod:`tui.widgets.editors`); what the form edits and where its value goes is
a :class:`~tui.widgets.form_parts.Part`. Every field shows what the loader says about it as
soon as it is wrong, whatever the state of the other fields: a field that cannot be read
(or a required field left empty) leaves only itself out of the check.

A reference to an element that does not exist yet can be created on the way: the picker
offers it, a form for the new element opens over this one, and the new element is added
together with this one when this form is saved (one edit, one undo).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Select, SelectionList, Static, TextArea

from kafka_tool.edits import SECTIONS, ElementRef
from kafka_tool.i18n import N_, Words
from kafka_tool.loader import validate_data
from kafka_tool.model import Case
from kafka_tool.references import references

from ..bindings import speak_bindings
from ..screens.confirm import ConfirmModal
from .editors import MISSING, Dropdown, EditorChanged, FieldBox, Issues, Picker, to_flow
from .form_fields import FieldSpec, form_fields
from .form_parts import Part

__all__ = ["DISCARD_QUESTIONS", "FIELDS", "KIND_NOUNS", "ElementForm", "FieldSpec", "FormResult", "form_fields",
           "to_flow"]

#: The fields of every form, read from the model once.
FIELDS: dict[str, list[FieldSpec]] = {kind: form_fields(kind) for kind in [*SECTIONS, "attribute", "case",
                                                                           "teaching", "acceptance"]}

#: What each kind of element is called, for people.
KIND_NOUNS: dict[str, str] = {
    "actor": N_("actor"), "document": N_("document"), "rule": N_("rule"), "touchpoint": N_("touchpoint"),
    "persona": N_("persona"), "journey": N_("journey"), "intervention": N_("intervention"),
    "attribute": N_("attribute"), "case": N_("case header"), "teaching": N_("teaching notes"),
    "acceptance": N_("accepted finding"),
}
#: The question before changes to an element are thrown away, one a kind: Dutch says "deze
#: organisatie" but "dit document", so the noun cannot be filled into one sentence.
DISCARD_QUESTIONS: dict[str, str] = {
    "actor": N_("Discard your changes to this actor?"), "document": N_("Discard your changes to this document?"),
    "rule": N_("Discard your changes to this rule?"), "touchpoint": N_("Discard your changes to this touchpoint?"),
    "persona": N_("Discard your changes to this persona?"), "journey": N_("Discard your changes to this journey?"),
    "intervention": N_("Discard your changes to this intervention?"),
    "attribute": N_("Discard your changes to this attribute?"),
    "case": N_("Discard your changes to the case header?"),
    "teaching": N_("Discard your changes to the teaching notes?"),
    "acceptance": N_("Discard your changes to this accepted finding?"),
}
_NEW_TITLES = {
    "actor": N_("New actor"), "document": N_("New document"), "rule": N_("New rule"),
    "touchpoint": N_("New touchpoint"), "persona": N_("New persona"), "journey": N_("New journey"),
    "intervention": N_("New intervention"), "attribute": N_("New attribute"), "acceptance": N_("Accept a finding"),
    "teaching": N_("Teaching notes"), "case": N_("The case"),
}
_EDIT_TITLES = {
    "actor": N_("Edit actor '{id}'"), "document": N_("Edit document '{id}'"), "rule": N_("Edit rule '{id}'"),
    "touchpoint": N_("Edit touchpoint '{id}'"), "persona": N_("Edit persona '{id}'"),
    "journey": N_("Edit the journey of '{id}'"), "intervention": N_("Edit intervention '{id}'"),
    "attribute": N_("Edit attribute '{id}'"), "acceptance": N_("Edit the acceptance of '{id}'"),
    "teaching": N_("Teaching notes"), "case": N_("The case: header"),
}
_SECTION_KINDS = {section: kind for kind, section in SECTIONS.items()}
_NEEDS = re.compile(r"needs `(\w+):`")


def _said_value_error(error: ValueError, words: Words) -> str:
    """An edit that does not fit the case, in the form's language (its message may be a phrase)."""
    message = error.args[0] if len(error.args) == 1 else None
    return words.say_message(message) if isinstance(message, str) else str(error)


@dataclass
class FormResult:
    """What a saved form gives: its value, and the elements made on the way (each with its part)."""

    value: dict[str, Any]
    created: list[tuple[Part, dict[str, Any]]] = field(default_factory=list)


class ElementForm(ModalScreen[FormResult | None]):
    """Add or edit one part of a case; every field shows the loader's errors as you type.

    Dismisses with a :class:`FormResult`, or None when cancelled. ``only`` limits the form to
    some fields (rename: the id); ``prefill`` gives a new element's first values;
    ``context``: what the forms under this one hold but have not saved yet (checked with it).
    """

    HELP = N_("""\
## Form

Each field shows, under it, what the loader would say about the value: the
same checks as `kafka-tool validate`, as soon as you type.

- **References** complete as you type: the matching ids with their names.
  `tab` or `enter` takes the highlighted one, `↑`/`↓` move, `↓` on an empty
  field lists them all. Several are comma separated. An id that does not exist
  yet is offered for creation ("+ create touchpoint 'x'"): a form for it opens,
  and it is added together with this one.
- **Lists** (requirements, journey steps, changes) have an empty row at the end
  to type the next one into; `ctrl+n` adds a row after the current one,
  `ctrl+r` removes it, `ctrl+↑`/`ctrl+↓` move it. In a requirement, several
  documents mean any one of them will do.
- **Conditions** (`when`) are one row an attribute, in its own terms: bounds
  for a number, ticked values for a category, yes or no for a boolean.
- `f2` edits the field you are in as YAML, and back (when the YAML fits).
- Changing an id renames the element and updates every reference to it.
- `ctrl+s` or **Save**: apply (only when there is no error); `escape`: cancel
  (asking first when you changed a field).
""")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="form.cancel"),
        Binding("ctrl+s", "submit", N_("Apply"), id="form.submit", priority=True),
        Binding("alt+down", "next_field", N_("Next field"), id="form.next_field"),
        Binding("alt+up", "next_field(-1)", N_("Previous field"), id="form.previous_field", show=False),
    ]

    def __init__(
        self,
        case: Case,
        kind: str,
        ref: ElementRef | None = None,
        only: tuple[str, ...] = (),
        *,
        prefill: dict[str, Any] | None = None,
        context: list[tuple[Part, dict[str, Any]]] | None = None,
        specs: list[FieldSpec] | None = None,
        language: str | None = None,
    ) -> None:
        super().__init__()
        self.case = case
        self.kind = kind
        self.ref = ref
        self.only = only
        self.part = Part(kind, ref, dict(prefill or {}))
        self.all_specs = list(specs if specs is not None else FIELDS[kind])
        self.specs = [s for s in self.all_specs if not only or s.key in only]
        self.original: dict[str, Any] = self.part.original(case)
        self.context = list(context or [])
        self.created: list[tuple[Part, dict[str, Any]]] = []
        #: the language asked for (a form opened from another: the same), else the case's
        self._language = language
        self.errors: dict[str, str] = {}
        self.general: list[str] = []
        self._base = case.to_data()
        self._baseline: set[tuple[Any, str]] = set()
        self._initial: Any = None
        self._check_due = False

    @property
    def words(self) -> Words:
        """The words the interface speaks (the user's choice, else the form's language or the case's)."""
        return self.app.words_for(self._language or self.case.language)  # type: ignore[attr-defined, no-any-return]

    # ------------------------------------------------------------ what the editors ask

    @property
    def currency(self) -> str:
        """The case's currency, in which costs are typed."""
        return self.case.currency

    def attributes(self) -> dict[str, Any]:
        """The case's attributes by name."""
        return dict(self.case.attributes)

    def candidates(self, section: str, added: bool) -> list[tuple[str, str]]:
        """The ids a reference to ``section`` may name, with their names, in file order."""
        if section == "attributes":
            return [(name, getattr(a, "description", None) or "") for name, a in self.case.attributes.items()]
        found: dict[str, str] = {}
        for item in getattr(self.case, section, []):
            ident = getattr(item, "id", None)
            if isinstance(ident, str):
                found[ident] = getattr(item, "name", None) or getattr(item, "title", None) or ""
        kind = _SECTION_KINDS.get(section)
        for part, value in [*self.context, *self.created]:
            if part.kind == kind and isinstance(value.get("id"), str):
                found.setdefault(value["id"], str(value.get("name") or value.get("title") or ""))
        if added and self.kind in SECTIONS:
            value, _ = self.read()
            for slot in references({SECTIONS[self.kind]: [value]}):
                if slot.adds and slot.reference.section == section and isinstance(slot.value, str):
                    found.setdefault(slot.value, self.words.say("added by this intervention"))
        return list(found.items())

    def dropdown(self) -> Dropdown:
        """The list of completions."""
        return self.query_one(Dropdown)

    def create(self, section: str, ident: str, picker: Picker) -> None:
        """Open a form for a new element that ``picker`` names; once saved, it is part of this form."""
        kind = _SECTION_KINDS.get(section)
        if kind is None:
            return
        value, _ = self.read()
        context = [*self.context, *self.created, (self.part, value)]
        child = ElementForm(self.case, kind, None, prefill={"id": ident}, context=context,
                            language=self.words.language)

        def done(result: FormResult | None) -> None:
            if result is not None:
                self.created += [*result.created, (Part(kind), result.value)]
                self.validate()
            picker.focus()
            self.refresh(layout=True)
            self._follow_focus()

        self.app.push_screen(child, done)

    # ------------------------------------------------------------ layout

    @property
    def title_text(self) -> str:
        """What the form says it does."""
        say = self.words.say
        if self.ref is None:
            title = say(_NEW_TITLES[self.kind])
            named_in = next((value.get("id") for part, value in reversed(self.context)
                             if part.kind in SECTIONS and isinstance(value.get("id"), str)), None)
            if self.context and named_in:
                title += " " + say("(named in '{id}', added with it)", id=named_in)
            return title
        if [s.key for s in self.specs] in (["id"], ["name"]):
            return say("Rename {kind} '{id}'", kind=say(KIND_NOUNS[self.kind]), id=self.ref.key)
        ident = self.original.get("persona") if self.kind == "journey" else self.original.get(
            "finding") if self.kind == "acceptance" else self.ref.key
        return say(_EDIT_TITLES[self.kind], id=ident)

    def compose(self) -> Any:
        with Vertical(id="form-dialog"):
            yield Static(Text(self.title_text), id="form-title")
            with VerticalScroll(id="form-fields"):
                others = {s.key for s in self.all_specs if not _flat(s)}
                for spec in self.specs:
                    if _flat(spec):
                        value = {k: v for k, v in self.original.items() if k not in others}
                    else:
                        value = self.original.get(spec.key, MISSING)
                    yield FieldBox(spec, value, self, top=True)
            yield Label("", id="form-general", classes="form-error")
            with Horizontal(id="form-buttons"):
                yield Button(self.words.say("Save"), id="form-save", variant="primary", compact=True)
                yield Button(self.words.say("Cancel"), id="form-cancel", compact=True)
        yield Dropdown(id="form-dropdown")
        yield Footer()  # this form's keys, not the case screen's

    def on_mount(self) -> None:
        """Validate what is there from the start; remember it, to know later whether anything changed."""
        speak_bindings(self, self.words)
        if self.context:
            data = self._with_context()
            self._baseline = {(i.loc, i.message) for i in validate_data(data)[1]}
        self.validate()
        fields = list(self.query("#form-fields Input, #form-fields Select, #form-fields TextArea, "
                                 "#form-fields SelectionList"))
        first = fields[0]
        if self.part.prefill:
            # What was filled in for it (the id of an element made from a reference, the finding
            # to accept) is there: the first field still empty comes next.
            first = next((f for f in fields if isinstance(f, Input) and not f.value), first)
        first.focus()
        self.call_after_refresh(self._remember)

    def _remember(self) -> None:
        self._initial = self._snapshot()

    def _snapshot(self) -> Any:
        value, issues = self.read()
        return repr(value), repr(issues), len(self.created)

    @property
    def changed(self) -> bool:
        """Whether anything differs from what the form opened with."""
        return self._initial is not None and self._snapshot() != self._initial

    # ------------------------------------------------------------ reading and checking

    def _boxes(self) -> list[FieldBox]:
        return list(self.query_one("#form-fields").query_children(FieldBox))

    def read(self) -> tuple[dict[str, Any], Issues]:
        """The value of the form as data, and what cannot be read, by place."""
        data = dict(self.original)
        issues: Issues = []
        for box in self._boxes():
            spec = box.spec
            value, found = box.read()
            if _flat(spec):
                keys = {str(spec.tag), *(f.key for _, form in spec.forms for f in form.fields)}
                for key in keys:
                    data.pop(key, None)
                if isinstance(value, dict):
                    data.update(value)
                issues += found
                continue
            issues += [((spec.key, *loc), text) for loc, text in found]
            if spec.type == "group" and value == {} and not spec.required:
                value = MISSING  # an optional group left empty (a document without a value) is not written
            if value is MISSING:
                original = self.original.get(spec.key)
                if spec.key in self.original and original in ([], {}) and not found:
                    data[spec.key] = original  # an empty list written as such stays written
                else:
                    data.pop(spec.key, None)
            else:
                data[spec.key] = value
        return self._ordered(data), issues

    def _ordered(self, data: dict[str, Any]) -> dict[str, Any]:
        order: list[str] = []
        for spec in self.all_specs:
            if _flat(spec):
                order += [str(spec.tag)] + [f.key for _, form in spec.forms for f in form.fields]
            else:
                order.append(spec.key)
        ordered = {k: data[k] for k in dict.fromkeys(order) if k in data}
        ordered.update({k: v for k, v in data.items() if k not in ordered})
        return ordered

    def element(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The value as data, and the first problem of each field that cannot be read."""
        value, issues = self.read()
        errors: dict[str, str] = {}
        for loc, text in issues:
            errors.setdefault(str(loc[0]) if loc else "", text)
        return value, errors

    def _with_context(self) -> dict[str, Any]:
        data = self._base
        for part, value in [*self.context, *self.created]:
            try:
                data = part.put(data, value)
            except ValueError:
                continue
        return data

    def _owner(self, key: Any) -> FieldSpec | None:
        specs = {s.key: s for s in self.specs}
        if key in specs and not _flat(specs[key]):
            return specs[key]
        return next((s for s in self.specs if _flat(s)), None)

    def validate(self) -> bool:
        """Check every field, and the whole case with the loader's checks; show each problem on its field."""
        value, parse = self.read()
        general: list[str] = []
        by_field: dict[str, Issues] = {}
        unreadable = {loc[:1] for loc, _ in parse if len(loc) == 1}
        for loc, text in parse:
            owner = self._owner(loc[0]) if loc else None
            if owner is None:
                general.append(text)
            else:
                by_field.setdefault(owner.key, []).append((loc if _flat(owner) else loc[1:], text))
        try:
            data = self.part.put(self._with_context(), value)
        except ValueError as error:
            data = None
            key = "name" if self.kind == "attribute" else "id"
            by_field.setdefault(key, []).append(((), _said_value_error(error, self.words)))
        if data is not None:
            prefix = self.part.prefix(data, value)
            for issue in validate_data(data)[1]:
                text = self.words.say_message(issue.message) + (
                    f" ({self.words.say_message(issue.hint)})" if issue.hint else "")
                loc = tuple(issue.loc)
                if loc[: len(prefix)] != prefix:
                    if (issue.loc, issue.message) not in self._baseline:
                        general.append(text)
                    continue
                rel = loc[len(prefix):]
                if not rel:
                    needed = _NEEDS.search(issue.message)
                    rel = (needed.group(1),) if needed else ()
                if rel[:1] in unreadable:
                    continue  # the field says already that it cannot be read
                if rel and any(tuple(loc[:len(rel)]) == rel for loc, _ in parse if len(loc) > len(rel)):
                    # A value in it cannot be read ("Q" as a deadline): that is what is wrong, not that
                    # the key it was meant for is missing.
                    continue
                owner = self._owner(rel[0]) if rel else None
                if owner is None or (self.kind == "case" and rel[0] not in {s.key for s in self.specs}):
                    if (issue.loc, issue.message) not in self._baseline:
                        general.append(text)
                    continue
                by_field.setdefault(owner.key, []).append((rel if _flat(owner) else rel[1:], text))
        labels = {spec.key: spec.label for spec in self.specs}
        errors: dict[str, str] = {}
        for box in self._boxes():
            found = by_field.get(box.spec.key, [])
            box.show_issues(found)
            if found:
                errors[box.spec.key] = found[0][1]
        self.errors = errors
        self.general = list(dict.fromkeys(general))
        say = self.words.say
        summary = list(dict.fromkeys([f"{say(labels[key])}: {text}" for key, text in errors.items()]
                                     + self.general))
        general_label = self.query_one("#form-general", Label)
        general_label.update(Text((say("To save, fix:") + " " + "\n".join(summary[:4])) if summary else ""))
        general_label.display = bool(summary)
        ok = not errors and not self.general
        self.query_one("#form-save", Button).disabled = not ok
        return ok

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    @on(SelectionList.SelectedChanged)
    @on(EditorChanged)
    def _changed(self, event: Any) -> None:
        event.stop()
        # After the editors have taken the change in (a row added, a form switched); a burst of
        # keys (a paste, fast typing) is checked once, not once a key.
        if not self._check_due:
            self._check_due = True
            self.call_after_refresh(self._check)

    def _check(self) -> None:
        self._check_due = False
        if self.is_attached:  # not once the form has closed
            self.validate()
            # What the check says may move the field being typed into: keep it on the screen.
            self._follow_focus()

    def action_next_field(self, step: int = 1) -> None:
        """Go to the next field of the form (or the previous): out of a list or a table at once."""
        boxes = self._boxes()
        focused = self.focused
        here = next((n for n, box in enumerate(boxes) if focused is not None
                     and (focused is box or box in focused.ancestors)), None)
        start = -1 if here is None and step > 0 else len(boxes) if here is None else here
        # Only what can be reached with tab: not the fields of a folded condition.
        reachable = set(self.focus_chain)
        for box in boxes[start + step:: step] if step > 0 else reversed(boxes[: max(start, 0)]):
            target = next((w for w in box.query("Input, TextArea, Select, SelectionList") if w in reachable), None)
            if target is not None:
                target.focus()
                return

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Keep the field being typed into on the screen (see :meth:`_keep_focus_in_view`)."""
        self._follow_focus()

    def _follow_focus(self) -> None:
        # Once the layout has caught up, and again a moment later: coming back from a form on top,
        # the rows added meanwhile are laid out only after the screen has resumed.
        self.call_after_refresh(self._keep_focus_in_view)
        self.set_timer(0.15, self._keep_focus_in_view)

    def _keep_focus_in_view(self) -> None:
        """Scroll the focused field into view once the layout has caught up: a row added at the end
        of a list, or a message appearing above the field, moves it after it took the focus."""
        focused = self.focused
        if focused is not None and focused.is_attached:
            focused.scroll_visible(animate=False)

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
            self.dismiss(FormResult(self.read()[0], list(self.created)))
        else:
            self.notify(self.words.say("Fix the fields marked in red first."), severity="warning")

    def action_cancel(self) -> None:
        """Close without changing anything (asking first when a field was changed)."""
        if not self.changed:
            self.dismiss(None)
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        say = self.words.say
        question = say(DISCARD_QUESTIONS[self.kind])
        if self.created:
            question += " " + say("The elements made on the way go too.")
        self.app.push_screen(ConfirmModal(question, yes=say("Discard"), no=say("Keep editing")), answer)


def _flat(spec: FieldSpec) -> bool:
    """A field whose forms are told apart by itself (an attribute's ``type``): its value is the whole part."""
    return spec.type == "variant" and spec.tag == spec.key
