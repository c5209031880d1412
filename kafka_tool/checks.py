"""Checks that need the whole case.

They work on the plain data a YAML file gives (dicts, lists, scalars), not on
the models, so that they can run beside the shape checks and every problem in
a file is reported at once. Anything malformed is skipped here: the shape
checks in :mod:`kafka_tool.model` report it.

Checked here: ids unique across the case; every reference resolves (the
references are those the models declare, walked by :mod:`kafka_tool.references`);
every persona gives every attribute a rule mentions, inside its domain; ``when``
conditions fit their attribute's type and domain; journey dates do not go
backwards; the finding kinds a class should find or an intervention should resolve exist.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

from .errors import Issue, Loc, did_you_mean, is_hidden_character, shown
from .i18n import N_, Phrase, phrase
from .model import number_problem
from .references import Slot, id_sections, references

__all__ = ["check_case_data", "check_condition", "check_text", "text_warnings"]

_RANGE_KEYS = ("min", "max", "above", "below")
_SET_KEYS = ("in", "not_in")


def _element_words(section: str, index: int, item: Mapping[str, Any]) -> Phrase:
    """'item 1 of `documents` (DigiD)': where an element is in the file, and its name (or title) where it
    has one."""
    where = phrase("item {n} of `{list}`", n=index + 1, list=section)
    name = item.get("name") or item.get("title")
    if isinstance(name, str) and name.strip():
        return phrase("{where} ({name})", where=where, name=name.strip())
    return where


def _items(data: Mapping[str, Any], section: str) -> Iterator[tuple[int, dict[str, Any]]]:
    value = data.get(section)
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def _ids(data: Mapping[str, Any], section: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, item in _items(data, section):
        ident = item.get("id")
        if isinstance(ident, str) and ident not in found:
            found[ident] = i
    return found


#: One element of each section with its article ("an actor"), and the section's elements ("actors").
_ONE = {"actors": N_("an actor"), "documents": N_("a document"), "rules": N_("a rule"),
        "touchpoints": N_("a touchpoint"), "personas": N_("a persona"), "interventions": N_("an intervention")}
_MANY = {"actors": N_("actors"), "documents": N_("documents"), "rules": N_("rules"),
         "touchpoints": N_("touchpoints"), "personas": N_("personas"), "interventions": N_("interventions")}
#: What an added element is, by its change kind (``add_touchpoint``): the noun of the hint.
_UNKNOWN = {"actors": N_("unknown actor {name}"), "documents": N_("unknown document {name}"),
            "rules": N_("unknown rule {name}"), "touchpoints": N_("unknown touchpoint {name}"),
            "personas": N_("unknown persona {name}"), "interventions": N_("unknown intervention {name}")}
_ADDED = {"touchpoints": N_("choose a new id for the added touchpoint"),
          "documents": N_("choose a new id for the added document"),
          "actors": N_("choose a new id for the added actor"),
          "rules": N_("choose a new id for the added rule"),
          "personas": N_("choose a new id for the added persona"),
          "interventions": N_("choose a new id for the added intervention")}

_ADDED_ELEMENT = N_("choose a new id for the added element")


def _a(section: str) -> Phrase:
    """One element of ``section`` with its indefinite article: "an actor", "a rule"."""
    return phrase(_ONE[section])


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _is_number(value: Any) -> bool:
    """A number the checks can compute with; the model reports the others (too large, .inf, .nan)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and number_problem(value) is None


class _Checker:
    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.issues: list[Issue] = []
        self.ids = {section: _ids(data, section) for section in id_sections()}
        raw_attributes = data.get("attributes")
        self.attributes: dict[str, dict[str, Any]] = {
            name: spec
            for name, spec in (raw_attributes.items() if isinstance(raw_attributes, dict) else [])
            if isinstance(spec, dict)
        }

    def add(self, loc: Loc, message: Phrase, hint: str | None = None, at: str = "value") -> None:
        self.issues.append(Issue(loc, message, hint, at))

    # ------------------------------------------------------------ references

    def references(self) -> None:
        """Every reference the models declare names something that exists."""
        #: Per element (an intervention), the ids its changes have added so far.
        added: dict[Loc, set[str]] = {}
        for slot in references(self.data, known={**self.ids, "attributes": self.attributes}):
            reference = slot.reference
            if reference.by_name:
                self.attribute_name(slot)
            elif slot.adds:
                self.added_id(slot, added.setdefault(slot.loc[:2], set()))
            else:
                self.ref(slot.loc, slot.value, reference.section,
                         added.get(slot.loc[:2], set()) if reference.added else None)

    def ref(self, loc: Loc, value: Any, section: str, extra: set[str] | None = None) -> None:
        """Check that ``value`` names an element of ``section`` (or one of ``extra``)."""
        if not isinstance(value, str):
            return
        known = self.ids[section]
        if value in known or (extra is not None and value in extra):
            return
        pool = set(known) | (extra or set())
        where = self._other_section(value)
        if where is not None:
            message = phrase("{name} is {one}, not {other}", name=shown(value), one=_a(where), other=_a(section))
        else:
            message = phrase(_UNKNOWN[section], name=shown(value))
        self.add(loc, message, did_you_mean(value, pool, phrase(_MANY[section])))

    def _other_section(self, value: str) -> str | None:
        for section, known in self.ids.items():
            if value in known:
                return section
        return None

    def attribute_name(self, slot: Slot) -> None:
        """An attribute named in a ``when`` or a persona's values is declared."""
        name = slot.value
        if name not in self.attributes:
            self.add(
                slot.loc,
                phrase("unknown attribute {name}", name=shown(name)),
                did_you_mean(str(name), self.attributes, phrase("attributes"))
                or phrase("declare it under `attributes:` first"),
                at=slot.at,
            )

    def added_id(self, slot: Slot, added: set[str]) -> None:
        """An element an intervention adds takes an id nothing in the case has; later changes may name it."""
        ident = slot.value
        if self._other_section(ident) is not None:
            kind = slot.loc[-2]
            self.add(
                slot.loc,
                phrase("{kind}: id {id} is already used in the case", kind=kind, id=shown(ident)),
                phrase(_ADDED.get(slot.reference.section, _ADDED_ELEMENT)),
            )
        added.add(ident)

    # ------------------------------------------------------------ checks

    def unique_ids(self) -> None:
        seen: dict[str, tuple[str, int, dict[str, Any]]] = {}
        told: set[str] = set()
        for section in id_sections():
            for i, item in _items(self.data, section):
                ident = item.get("id")
                if not isinstance(ident, str):
                    continue
                if ident not in seen:
                    seen[ident] = (section, i, item)
                    continue
                first_section, first_index, first = seen[ident]
                hint = phrase("ids are unique across the whole case; rename one of them")
                self.add((section, i, "id"), phrase("duplicate id {id}: already used by {other}", id=shown(ident),
                                                    other=_element_words(first_section, first_index, first)),
                         hint)
                if ident not in told:  # the first of them is told too: either may be the one to rename
                    told.add(ident)
                    self.add((first_section, first_index, "id"),
                             phrase("duplicate id {id}: also used by {other}", id=shown(ident),
                                    other=_element_words(section, i, item)),
                             hint)

    def attribute_domains(self) -> None:
        for name, spec in self.attributes.items():
            low, high = spec.get("min"), spec.get("max")
            if _is_number(low) and _is_number(high) and float(low) > float(high):  # type: ignore[arg-type]
                self.add(("attributes", name, "min"),
                         phrase("attribute {name}: min {low} is above max {high}", name=name, low=_fmt(low),
                                high=_fmt(high)),
                         phrase("the domain must not be empty: swap min and max"))
            values = spec.get("values")
            if isinstance(values, list) and len({str(v) for v in values}) != len(values):
                self.add(("attributes", name, "values"), phrase("attribute {name} lists a value twice", name=name),
                         phrase("each category value once"))

    def growth(self) -> None:
        """Attributes that change with time: they grow, and ``while`` looks only at attributes that do not."""
        growing = {name for name, spec in self.attributes.items()
                   if spec.get("per_year") is not None and spec.get("type") in ("integer", "number")}
        for name, spec in self.attributes.items():
            loc: Loc = ("attributes", name)
            rate = spec.get("per_year")
            if isinstance(rate, (int, float)) and _is_number(rate) and rate <= 0:
                self.add((*loc, "per_year"),
                         phrase("attribute {name} grows by {rate} a year: `per_year` must be more than 0",
                                name=shown(name), rate=rate),
                         phrase("write how much it grows in a year (age: 1, months: 12), or leave `per_year` out"))
            condition = spec.get("while")
            if condition is None:
                continue
            if rate is None:
                self.add((*loc, "while"), phrase("attribute {name} has `while:` but no `per_year:`", name=shown(name)),
                         phrase("`while` says when an attribute grows: add `per_year: N`, or leave `while` out"),
                         at="key")
            self.when((*loc, "while"), condition)
            for other in condition if isinstance(condition, dict) else ():
                if other in growing:
                    self.add((*loc, "while", other),
                             phrase("`while` of attribute {name} looks at {other}, which grows itself",
                                    name=shown(name), other=shown(other)),
                             phrase("a `while` condition may look only at attributes without `per_year`"), at="key")

    def money(self) -> None:
        """One unit of a money attribute is worth something; a value tapers along a number, monthly or yearly."""
        for name, spec in self.attributes.items():
            money = spec.get("money")
            worth = money.get("unit_amount") if isinstance(money, dict) else None
            if _is_number(worth) and worth <= 0:  # type: ignore[operator]
                self.add(("attributes", name, "money", "unit_amount"),
                         phrase("one unit of {name} is worth {worth}: `unit_amount` must be more than 0",
                                name=shown(name), worth=worth),
                         phrase("write what one unit is worth a month (14.6), or leave `unit_amount` out (1)"))
        for i, document in _items(self.data, "documents"):
            if isinstance(document.get("value"), dict):
                self.taper(("documents", i, "value"), document["value"])

    def taper(self, loc: Loc, value: Mapping[str, Any]) -> None:
        taper = value.get("taper")
        if not isinstance(taper, dict):
            return
        name = taper.get("attribute")
        spec = self.attributes.get(name) if isinstance(name, str) else None
        if spec is not None and spec.get("type") not in ("integer", "number"):
            self.add((*loc, "taper", "attribute"),
                     phrase("a value can taper only along a number, and attribute {name} is of type {type}",
                            name=shown(name), type=shown(spec.get("type"))),
                     phrase("name an integer or number attribute (income)"))
        if value.get("per") == "once":
            self.add((*loc, "taper"), phrase("a value paid once cannot taper"),
                     phrase("give the value `per: month` or `per: year`, or leave `taper` out"), at="key")

    def rules(self) -> None:
        for i, rule in _items(self.data, "rules"):
            self.when(("rules", i, "when"), rule.get("when"))
            for k, when in enumerate(_list(rule.get("when_any"))):
                self.when(("rules", i, "when_any", k), when)

    def touchpoints(self) -> None:
        for i, tp in _items(self.data, "touchpoints"):
            for section in ("requires", "produces"):
                for k, item in enumerate(_list(tp.get(section))):
                    if isinstance(item, dict):
                        self.when(("touchpoints", i, section, k, "when"), item.get("when"))

    def _whens(self) -> list[Any]:
        """Every condition of the case: rules (``when``, ``when_any``), outcomes, conditional items, changes."""
        whens: list[Any] = [spec.get("while") for spec in self.attributes.values()]
        for _, rule in _items(self.data, "rules"):
            whens += [rule.get("when"), *_list(rule.get("when_any"))]
        for _, tp in _items(self.data, "touchpoints"):
            whens += [item.get("when") for section in ("requires", "produces") for item in _list(tp.get(section))
                      if isinstance(item, dict)]
        for _, intervention in _items(self.data, "interventions"):
            for change in _list(intervention.get("changes")):
                if not isinstance(change, dict):
                    continue
                for kind, args in change.items():
                    if not isinstance(args, dict):
                        continue
                    if kind in ("set_when", "add_requirement", "add_produces", "add_outcome"):
                        whens.append(args.get("when"))
                    if kind == "set_when":
                        whens += _list(args.get("when_any"))
                    if kind == "add_touchpoint":
                        whens += [item.get("when") for section in ("requires", "produces")
                                  for item in _list(args.get(section)) if isinstance(item, dict)]
        return whens

    def when(self, loc: Loc, when: Any) -> None:
        if not isinstance(when, dict):
            return
        for name, condition in when.items():
            spec = self.attributes.get(name)
            if spec is None:
                continue  # an unknown attribute: said by the reference check
            for issue_loc, message, hint in check_condition(name, spec, condition):
                self.add((*loc, name, *issue_loc), message, hint)

    def personas(self) -> None:
        mentioned = self._attributes_mentioned()
        for i, persona in _items(self.data, "personas"):
            loc: Loc = ("personas", i)
            raw_values = persona.get("attributes")
            if raw_values is not None and not isinstance(raw_values, dict):
                continue  # the model reports the shape; missing values would only repeat it
            values: dict[str, Any] = raw_values if isinstance(raw_values, dict) else {}
            for name in sorted(mentioned - set(values)):
                wanted = self.attributes[name]
                self.add(
                    (*loc, "attributes") if "attributes" in persona else loc,
                    phrase("persona {persona} does not give attribute {name}, which a condition of the case looks at",
                           persona=shown(persona.get("id")), name=shown(name)),
                    phrase("add `{name}: {example}` ({domain})", name=name, example=_example_value(wanted),
                           domain=_domain_text(wanted)),
                    at="key" if "attributes" in persona else "value",
                )
            for name, value in values.items():
                spec = self.attributes.get(name)
                if spec is None:
                    continue  # an unknown attribute: said by the reference check
                problem = _value_problem(name, spec, value)
                if problem is not None:
                    self.add((*loc, "attributes", name), *problem)

    def _attributes_mentioned(self) -> set[str]:
        mentioned: set[str] = set()
        for when in self._whens():
            if isinstance(when, dict):
                mentioned.update(name for name in when if name in self.attributes)
        return mentioned

    def journeys(self) -> None:
        for i, journey in _items(self.data, "journeys"):
            loc: Loc = ("journeys", i)
            previous: dt.date | None = None
            previous_index = 0
            for j, step in enumerate(_list(journey.get("steps"))):
                if not isinstance(step, dict):
                    continue
                step_loc = (*loc, "steps", j)
                date = _as_date(step.get("date"))
                if date is None:
                    continue
                if previous is not None and date < previous:
                    self.add(
                        (*step_loc, "date"),
                        phrase("date {date} goes back in time: step {step} of this journey is on {previous}",
                               date=date.isoformat(), step=previous_index + 1, previous=previous.isoformat()),
                        phrase("list the steps in the order they happened"),
                    )
                previous, previous_index = date, j

    def interventions(self) -> None:
        for i, intervention in _items(self.data, "interventions"):
            for j, change in enumerate(_list(intervention.get("changes"))):
                if not isinstance(change, dict) or len(change) != 1:
                    continue
                (kind, args), = change.items()
                if isinstance(args, dict):
                    self.change(("interventions", i, "changes", j, kind), kind, args)

    def change(self, loc: Loc, kind: str, args: Mapping[str, Any]) -> None:
        if kind in ("set_when", "add_requirement", "add_produces", "add_outcome"):
            self.when((*loc, "when"), args.get("when"))
        if kind == "set_value" and isinstance(args.get("value"), dict):
            self.taper((*loc, "value"), args["value"])
        if kind == "set_when":
            for k, when in enumerate(_list(args.get("when_any"))):
                self.when((*loc, "when_any", k), when)
        if kind == "add_requirement" and (args.get("document") is None) == (args.get("any_of") is None):
            self.add(
                loc,
                phrase("add_requirement needs either `document:` or `any_of:`"),
                phrase("write {touchpoint: T, document: D} or {touchpoint: T, any_of: [D1, D2]}"),
            )


    def expected_kinds(self) -> None:
        """The finding kinds a class should find (``teaching.expected_findings``) and an intervention
        should resolve (``expected_resolves``) are kinds the analysis has."""
        teaching = self.data.get("teaching")
        lists: list[tuple[Loc, list[Any]]] = []
        if isinstance(teaching, dict):
            lists.append((("teaching", "expected_findings"), _list(teaching.get("expected_findings"))))
        for i, intervention in _items(self.data, "interventions"):
            lists.append((("interventions", i, "expected_resolves"), _list(intervention.get("expected_resolves"))))
        if not any(values for _, values in lists):
            return
        from .analysis.kinds import kind_names  # only for a case that names kinds: it loads the detectors

        known = kind_names()
        for loc, values in lists:
            for j, value in enumerate(values):
                if isinstance(value, str) and value not in known:
                    self.add((*loc, j), phrase("unknown finding kind {kind}", kind=shown(value)),
                             did_you_mean(value, known, phrase("finding kinds")))


def check_case_data(data: Mapping[str, Any]) -> list[Issue]:
    """Every whole-case problem in ``data`` (a case as loaded from YAML).

    Examples
    --------
    >>> data = {"actors": [{"id": "bank", "name": "Bank"}],
    ...         "touchpoints": [{"id": "open", "name": "Open", "actor": "bnak"}]}
    >>> [i.message for i in check_case_data(data)]
    ["unknown actor 'bnak'"]
    """
    checker = _Checker(data)
    checker.unique_ids()
    checker.attribute_domains()
    checker.references()
    checker.growth()
    checker.money()
    checker.rules()
    checker.touchpoints()
    checker.personas()
    checker.journeys()
    checker.interventions()
    checker.expected_kinds()
    return checker.issues


# ---------------------------------------------------------------- text

#: Control characters a value may not hold: a terminal acts on them instead of showing them.
#: Tab and line feed are text; a carriage return inside a value (only a "\r" escape can put
#: one there) rewrites the line it is printed on.
_CONTROL_IN_VALUE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_IN_KEY = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_HIDDEN_IN_TEXT = re.compile("[" + "".join(sorted({chr(c) for c in range(0x2000, 0x2070) if is_hidden_character(chr(c))}
                                             | {"\ufeff", "\u061c", "\u180e"})) + "]")
_CONTROL_NAMES = {0x00: "NUL", 0x07: N_("bell"), 0x08: N_("backspace"), 0x0B: N_("vertical tab"),
                  0x0C: N_("form feed"), 0x0D: N_("carriage return"), 0x1B: N_("escape"), 0x7F: N_("delete"),
                  0x85: N_("next line"), 0x9B: "CSI",
                  # The characters that cannot be seen (errors.is_hidden_character), by what they do.
                  0x061C: N_("arabic letter mark"), 0x180E: N_("mongolian vowel separator"),
                  0x200B: N_("zero-width space"), 0x200C: N_("zero-width non-joiner"),
                  0x200D: N_("zero-width joiner"), 0x200E: N_("left-to-right mark"),
                  0x200F: N_("right-to-left mark"), 0x2028: N_("line separator"),
                  0x2029: N_("paragraph separator"), 0x202A: N_("left-to-right embedding"),
                  0x202B: N_("right-to-left embedding"), 0x202C: N_("end of a direction"),
                  0x202D: N_("left-to-right override"), 0x202E: N_("right-to-left override"),
                  0x2060: N_("word joiner"), 0x2061: N_("invisible function application"),
                  0x2062: N_("invisible times"), 0x2063: N_("invisible separator"),
                  0x2064: N_("invisible plus"), 0x2066: N_("left-to-right isolate"),
                  0x2067: N_("right-to-left isolate"), 0x2068: N_("first-strong isolate"),
                  0x2069: N_("end of an isolate"), 0xFEFF: N_("byte order mark (zero-width no-break space)")}


def _strings(data: Any) -> Iterator[tuple[Loc, str, str]]:
    """Every text in ``data``, key or value, with its path and ``"key"`` or ``"value"``."""
    stack: list[tuple[Loc, Any]] = [((), data)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, str):
            yield loc, value, "value"
        elif isinstance(value, dict):
            for key, child in reversed(list(value.items())):
                if isinstance(key, str):
                    yield (*loc, key), key, "key"
                stack.append(((*loc, key), child))
        elif isinstance(value, list):
            stack.extend(((*loc, i), child) for i, child in reversed(list(enumerate(value))))


def _char_name(char: str) -> str:
    """``U+001B (escape)``: the names of the control and hidden characters are the catalogue's, others Unicode's."""
    code = ord(char)
    number = f"U+{code:04X}"
    control = _CONTROL_NAMES.get(code)
    if control is not None:
        return phrase("{number} ({name})", number=number, name=control if control.isupper() else phrase(control))
    name = unicodedata.name(char, "")
    return f"{number} ({name.lower() if code < 0xA0 else name})" if name else number


def _where(loc: Loc, at: str) -> str:
    """How a message names the text at ``loc``: "`title`", "item 2 of `tags`", "a key"."""
    if loc and isinstance(loc[-1], int):
        return phrase("item {n} of `{list}`", n=loc[-1] + 1, list=loc[-2]) if len(loc) > 1 else phrase("an item")
    if loc and isinstance(loc[-1], str) and at == "value":
        return f"`{loc[-1]}`"
    return phrase("a key")


def check_text(data: Any, text: str | None = None) -> list[Issue]:
    r"""Control characters in any text of the case: refused, each at its place.

    A case file may not hold characters that a terminal acts on (escape, bell, the C1
    controls, ...), whether written as they are (the reader refuses those) or as YAML
    escapes such as ``"\e"``, ``"\x1b"`` or ``"\u009b"``: printed, they could clear a
    screen, set a window title or write to the clipboard. ``text``, the file they came
    from, lets the check end at once when it holds no escape at all.

    Examples
    --------
    >>> [i.message for i in check_text({"title": "a\x1b[2J"})]
    ['control character U+001B (escape) in `title`; a case file holds plain text']
    >>> check_text({"summary": "two\nlines\tand a tab"})
    []
    """
    if text is not None and "\\" not in text:
        return []  # without an escape, YAML gives no control character the reader has not refused
    issues = []
    for loc, value, at in _strings(data):
        bad = (_CONTROL_IN_KEY if at == "key" else _CONTROL_IN_VALUE).search(value)
        if bad:
            issues.append(Issue(loc, phrase("control character {char} in {where}; a case file holds plain text",
                                            char=_char_name(bad.group()), where=_where(loc, at)),
                                phrase("remove the escape (tabs and line breaks are fine)"), at=at))
    return issues


def text_warnings(data: Any, text: str | None = None) -> list[Issue]:
    r"""Characters that cannot be seen but change how text reads: a warning each.

    Right-to-left overrides and isolates can make a name read backwards, and zero-width
    spaces and joiners make two names that look the same differ: one actor could pass for
    another. They are allowed (a right-to-left script may need a mark), but said.

    Examples
    --------
    >>> [i.message for i in text_warnings({"actors": [{"name": "Bank\u202eknaB"}]})]
    ['hidden character U+202E (right-to-left override) in `name`: the text may read differently from what it is']
    """
    # Text of ASCII alone (known without reading it) holds none but as an escape.
    if text is not None and "\\" not in text and (text.isascii() or not _HIDDEN_IN_TEXT.search(text)):
        return []
    issues = []
    for loc, value, at in _strings(data):
        hidden = _HIDDEN_IN_TEXT.search(value)
        if hidden:
            where = f"`{loc[-1]}`" if loc and isinstance(loc[-1], str) and at == "value" else phrase("a key")
            issues.append(Issue(loc, phrase("hidden character {char} in {where}: the text may read differently "
                                            "from what it is", char=_char_name(hidden.group()), where=where),
                                phrase("remove it unless the text needs it"), at=at))
    return issues


# ---------------------------------------------------------------- values and domains


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _fmt(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _domain_text(spec: Mapping[str, Any]) -> Phrase:
    kind = spec.get("type")
    if kind in ("integer", "number"):
        low, high = spec.get("min"), spec.get("max")
        whole = kind == "integer"
        if low is not None and high is not None:
            return (phrase("a whole number from {low} to {high}", low=_fmt(low), high=_fmt(high)) if whole
                    else phrase("a number from {low} to {high}", low=_fmt(low), high=_fmt(high)))
        if low is not None:
            return (phrase("a whole number of at least {low}", low=_fmt(low)) if whole
                    else phrase("a number of at least {low}", low=_fmt(low)))
        if high is not None:
            return (phrase("a whole number of at most {high}", high=_fmt(high)) if whole
                    else phrase("a number of at most {high}", high=_fmt(high)))
        return phrase("a whole number") if whole else phrase("a number")
    if kind == "category":
        return phrase("one of: {values}", values=", ".join(str(v) for v in _list(spec.get("values"))))
    if kind == "boolean":
        return phrase("true or false")
    return phrase("a value")


def _example_value(spec: Mapping[str, Any]) -> str:
    kind = spec.get("type")
    if kind in ("integer", "number"):
        low = spec.get("min")
        return _fmt(low) if _is_number(low) else "0"
    if kind == "category":
        values = _list(spec.get("values"))
        return str(values[0]) if values else "..."
    return "false"


def _value_text(value: Any) -> str:
    """A value as a message shows it: text quoted (and escaped), anything else as written."""
    if isinstance(value, str):
        return shown(value)
    if value is None:
        return phrase("nothing (null)")
    return shown(_fmt(value))[1:-1] if isinstance(value, (int, float)) else shown(value)


def _value_problem(name: str, spec: Mapping[str, Any], value: Any) -> tuple[Phrase, Phrase] | None:
    """What is wrong with a persona's value for an attribute, and the hint."""
    kind = spec.get("type")
    domain = _domain_text(spec)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and number_problem(value) is not None:
        return None  # the model says what is wrong with the number itself
    if kind in ("integer", "number"):
        if not _is_number(value) or (isinstance(value, float) and not math.isfinite(value)):
            return (phrase("{name} must be {domain}, not {value}", name=name, domain=domain, value=_value_text(value)),
                    _is(name, domain))
        if kind == "integer" and not float(value).is_integer():
            return phrase("{name} is a whole number, not {value}", name=name, value=_fmt(value)), _is(name, domain)
        low, high = spec.get("min"), spec.get("max")
        if (_is_number(low) and value < low) or (_is_number(high) and value > high):
            return phrase("{name} {value} lies outside its domain", name=name, value=_fmt(value)), _is(name, domain)
        return None
    if kind == "category":
        values = [str(v) for v in _list(spec.get("values"))]
        if not isinstance(value, str) or value not in values:
            return phrase("{value} is not a value of {name}", value=_value_text(value), name=name), _is(name, domain)
        return None
    if kind == "boolean" and not isinstance(value, bool):
        return (phrase("{name} must be true or false, not {value}", name=name, value=_value_text(value)),
                phrase("write `{name}: true` or `{name}: false`", name=name))
    return None


def _is(name: str, domain: Phrase) -> Phrase:
    """The hint that names an attribute's domain: "age is a whole number from 0 to 120"."""
    return phrase("{name} is {domain}", name=name, domain=domain)


def check_condition(name: str, spec: Mapping[str, Any], condition: Any) -> list[tuple[Loc, Phrase, Phrase]]:
    """Problems with one ``when`` condition on attribute ``name`` (declared as ``spec``).

    Each problem is ``(loc within the condition, message, hint)``.
    """
    kind = spec.get("type")
    problems: list[tuple[Loc, Phrase, Phrase]] = []
    if kind not in ("integer", "number", "category", "boolean"):
        return problems  # the attribute's own declaration is reported by the model
    if kind == "boolean":
        if not isinstance(condition, bool):
            problems.append(
                ((), phrase("{name} is a boolean attribute: its condition is true or false", name=name),
                 phrase("write `{name}: true` or `{name}: false`", name=name))
            )
        return problems
    if not isinstance(condition, dict):
        if isinstance(condition, bool):
            example = "{min: 18}" if kind in ("integer", "number") else "{in: [...]}"
            problems.append(
                ((), phrase("{name} is a category attribute, not true/false", name=name) if kind == "category"
                 else phrase("{name} is a number attribute, not true/false", name=name),
                 phrase("write a condition such as `{name}: {example}`", name=name, example=example))
            )
        return problems  # any other shape is reported by the model
    if kind == "category":
        values = [str(v) for v in _list(spec.get("values"))]
        for key in condition:
            if key in _RANGE_KEYS:
                problems.append(
                    ((key,), phrase("{name} is a category: {key} does not apply", name=name, key=shown(key)),
                     phrase("use `in: [...]` or `not_in: [...]` with values of {name}: {values}", name=name,
                            values=", ".join(values)))
                )
        if "in" in condition and "not_in" in condition:
            problems.append(((), phrase("condition on {name} gives both `in` and `not_in`", name=name),
                             phrase("give one of them")))
        if not condition:
            problems.append(((), phrase("condition on {name} is empty", name=name),
                             phrase("use `in: [...]` or `not_in: [...]`")))
        for key in _SET_KEYS:
            for i, value in enumerate(_list(condition.get(key))):
                if str(value) not in values:
                    problems.append(
                        ((key, i), phrase("{value} is not a value of {name}", value=shown(value), name=name),
                         _is(name, phrase("one of: {values}", values=", ".join(values))))
                    )
        return problems
    if kind in ("integer", "number"):
        domain = _domain_text(spec)
        for key in condition:
            if key in _SET_KEYS:
                problems.append(
                    ((key,), phrase("{name} is a number: {key} does not apply", name=name, key=shown(key)),
                     phrase("use min/max (inclusive) or above/below (exclusive)"))
                )
        bounds = {k: condition[k] for k in _RANGE_KEYS if _is_number(condition.get(k))}
        if not bounds:
            # A bound that is not a number, or an unknown key, is reported by the model.
            if not condition:
                problems.append(((), phrase("condition on {name} is empty", name=name),
                                 phrase("use min/max (inclusive) or above/below (exclusive)")))
            return problems
        if kind == "integer":
            for key in ("min", "max"):
                if key in bounds and not float(bounds[key]).is_integer():
                    whole = math.ceil(bounds[key]) if key == "min" else math.floor(bounds[key])
                    problems.append(
                        ((key,), phrase("{name} is a whole number: {key} {value} is not", name=name, key=key,
                                        value=_fmt(bounds[key])),
                         phrase("use a whole number, e.g. {key}: {whole}", key=key, whole=whole))
                    )
        low, high = _interval(bounds)
        d_low: float = spec["min"] if _is_number(spec.get("min")) else -math.inf
        d_high: float = spec["max"] if _is_number(spec.get("max")) else math.inf
        empty = low[0] > high[0] or (low[0] == high[0] and (low[1] or high[1]))
        if empty:
            problems.append(((), phrase("condition on {name} can never hold: its bounds exclude each other", name=name),
                             phrase("check min/max/above/below")))
        elif low[0] > d_high or (low[0] == d_high and low[1]) or high[0] < d_low or (
            high[0] == d_low and high[1]
        ):
            problems.append(((), phrase("condition on {name} lies outside its domain and can never hold", name=name),
                             _is(name, domain)))
        elif kind == "integer" and math.isfinite(low[0]) and math.isfinite(high[0]):
            first = math.floor(low[0]) + 1 if low[1] else math.ceil(low[0])
            last = math.ceil(high[0]) - 1 if high[1] else math.floor(high[0])
            if first > last:
                problems.append(((), phrase("condition on {name} holds for no whole number", name=name),
                                 phrase("check min/max/above/below")))
    return problems


def _interval(bounds: Mapping[str, Any]) -> tuple[tuple[float, bool], tuple[float, bool]]:
    """Lower and upper bound as (value, exclusive)."""
    low: tuple[float, bool] = (-math.inf, False)
    high: tuple[float, bool] = (math.inf, False)
    if "min" in bounds:
        low = max(low, (float(bounds["min"]), False), key=lambda b: (b[0], b[1]))
    if "above" in bounds:
        low = max(low, (float(bounds["above"]), True), key=lambda b: (b[0], b[1]))
    if "max" in bounds:
        high = min(high, (float(bounds["max"]), False), key=lambda b: (b[0], not b[1]))
    if "below" in bounds:
        high = min(high, (float(bounds["below"]), True), key=lambda b: (b[0], not b[1]))
    return low, high
