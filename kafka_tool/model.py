"""The case format (``kafka-case/1``) as pydantic models.

These models check the shape of a case: which keys exist, their types and
enumerations. Checks that need the whole case (ids unique, references
resolve, persona attributes inside their domains, ...) live in
:mod:`kafka_tool.checks`.

Every reference is declared here, once, in the type of the field that holds it
(:class:`References`: ``actor: ActorId | None``); :mod:`kafka_tool.references`
reads the declarations for the checks, the edits and the interface's forms.

The models keep the form the user wrote: a requirement written as a plain id
stays a plain id when the case is dumped again, so that saving a case changes
only what was edited.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PlainValidator,
    StringConstraints,
    Tag,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

__all__ = [
    "FORMAT",
    "MAX_NUMBER",
    "SLUG_PATTERN",
    "ACTOR_KINDS",
    "DOCUMENT_KINDS",
    "CHANNELS",
    "OUTCOMES",
    "LANGUAGES",
    "LEVELS",
    "LAYERS",
    "KIND_LAYERS",
    "INTERVENTION_STATUSES",
    "OBSTACLES",
    "CLOSED_STATUSES",
    "REVIEW_AFTER_MONTHS",
    "months_after",
    "iso_day",
    "CHANGE_KINDS",
    "References",
    "Adds",
    "Needed",
    "ActorId",
    "DocumentId",
    "RuleId",
    "TouchpointId",
    "TouchpointOrAddedId",
    "PersonaId",
    "AttributeName",
    "IntegerAttribute",
    "NumberAttribute",
    "CategoryAttribute",
    "BooleanAttribute",
    "Attribute",
    "Condition",
    "Actor",
    "Document",
    "Rule",
    "DocRequirement",
    "AnyOfRequirement",
    "Requirement",
    "Touchpoint",
    "Persona",
    "JourneyStep",
    "Journey",
    "Change",
    "Intervention",
    "Acceptance",
    "Teaching",
    "Case",
    "number_problem",
    "ProducedOutcome",
    "produced_document",
    "produced_documents",
    "produced_when",
    "requirement_alternatives",
    "requirement_rule",
    "requirement_when",
    "requirement_window",
    "Goal",
    "GoalItem",
    "goal_document",
    "goal_documents",
    "goal_deadlines",
    "DEFAULT_HORIZON_YEARS",
]

#: How far ahead personas are followed when a case does not say (``horizon_years``).
DEFAULT_HORIZON_YEARS = 10

FORMAT = "kafka-case/1"
SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1)]
ActorKind = Literal[
    "ministry",
    "municipality",
    "province",
    "executive_agency",
    "court",
    "school",
    "care_provider",
    "housing",
    "bank",
    "employer",
    "ngo",
    "private",
    "other",
]
DocumentKind = Literal["proof", "registration", "decision", "payment", "service", "status", "other"]
Channel = Literal["desk", "phone", "letter", "portal", "email", "home_visit", "form", "other"]
Outcome = Literal["helped", "refused", "referred", "no_response", "pending"]
Language = Literal["en", "nl"]
#: The layer of government (or of society) an actor belongs to: the Dutch layers, read for another
#: country as central government (rijk), region (provincie) and local government (gemeente).
Layer = Literal["rijk", "provincie", "gemeente", "waterschap", "uitvoering", "rechtspraak", "eu",
                "maatschappelijk", "private"]
#: Where an agreed intervention stands in the action plan.
InterventionStatus = Literal["proposed", "agreed", "in_progress", "done", "verified", "dropped"]
#: What stands in the way of an intervention: the five obstacles NSOB and PBL name.
Obstacle = Literal["gevestigde_belangen", "risicomijding", "interne_inrichting", "ongeschreven_regels", "scepsis"]
Level = Literal["intro", "advanced"]

# The values of each enumeration, read from its type: the type is the one list.
ACTOR_KINDS: tuple[str, ...] = get_args(ActorKind)
DOCUMENT_KINDS: tuple[str, ...] = get_args(DocumentKind)
CHANNELS: tuple[str, ...] = get_args(Channel)
OUTCOMES: tuple[str, ...] = get_args(Outcome)
LANGUAGES: tuple[str, ...] = get_args(Language)
LEVELS: tuple[str, ...] = get_args(Level)
LAYERS: tuple[str, ...] = get_args(Layer)
INTERVENTION_STATUSES: tuple[str, ...] = get_args(InterventionStatus)
OBSTACLES: tuple[str, ...] = get_args(Obstacle)

#: The layer of an actor that names none, by its kind.
KIND_LAYERS: dict[str, str] = {
    "ministry": "rijk", "province": "provincie", "municipality": "gemeente",
    "executive_agency": "uitvoering", "court": "rechtspraak",
    "ngo": "maatschappelijk", "school": "maatschappelijk", "care_provider": "maatschappelijk",
    "housing": "maatschappelijk", "other": "maatschappelijk",
    "bank": "private", "employer": "private", "private": "private",
}
#: An intervention's ``review_on`` falls this many calendar months after its ``agreed_on`` by default.
REVIEW_AFTER_MONTHS = 6
#: The statuses after which an intervention is no longer followed up (never overdue).
CLOSED_STATUSES = ("verified", "dropped")


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_day(text: str) -> dt.date | None:
    """The date ``text`` writes exactly as ``YYYY-MM-DD``, or None (``date.fromisoformat`` also takes
    ``20240601`` and week dates, which a case file's dates are not).

    >>> iso_day("2024-06-01"), iso_day("2024-02-30"), iso_day("20240601"), iso_day("2024-W01-1")
    (datetime.date(2024, 6, 1), None, None, None)
    """
    if not _ISO_DAY.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` later, or that month's last day where it has fewer days.

    >>> months_after(dt.date(2024, 3, 1), 6), months_after(dt.date(2024, 8, 31), 6)
    (datetime.date(2024, 9, 1), datetime.date(2025, 2, 28))
    """
    import calendar

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# ---------------------------------------------------------------- references


@dataclass(frozen=True)
class References:
    """Field metadata: the value names an element of the case.

    Every reference of the case format is declared once, as this marker on the field (or on
    the keys of a mapping), and everything that follows references reads it from there
    (:mod:`kafka_tool.references`): the check that each one resolves, rename, delete with
    what refers to the element, and the kind of each field in the interface's forms.

    ``section`` is the section of the case whose elements are named: ``actors``,
    ``documents``, ``rules``, ``touchpoints`` or ``personas`` by id, or ``attributes``,
    which are named by their key (an attribute has no id, and its name may be that of an
    element). ``added``: the name may also be the id of a touchpoint that the same
    intervention adds (``add_touchpoint``), so that a change can refer to it.

    Examples
    --------
    >>> References("actors").noun, References("attributes").by_name
    ('actor', True)
    """

    section: str
    added: bool = False

    @property
    def noun(self) -> str:
        """What one element of the section is called: ``actor``, ``attribute``."""
        return self.section[:-1]

    @property
    def by_name(self) -> bool:
        """Whether the reference is by name (an attribute) rather than by id."""
        return self.section == "attributes"


@dataclass(frozen=True)
class Adds:
    """Field metadata: the value is a whole element that the intervention holding it adds.

    Its ``id`` joins the ids that a reference with ``added`` may name, from that change on.
    """

    section: str


@dataclass(frozen=True)
class Needed:
    """Field metadata: the element holding this field is nothing without it.

    Marks a field that is optional only because another can stand in for it
    (``add_requirement`` takes ``document`` or ``any_of``): when deleting what it refers to
    leaves it empty, the holder goes too, instead of only the field.
    """


ActorId = Annotated[Slug, References("actors")]
DocumentId = Annotated[Slug, References("documents")]
RuleId = Annotated[Slug, References("rules")]
TouchpointId = Annotated[Slug, References("touchpoints")]
#: A touchpoint of the case, or one added by the intervention the reference is in.
TouchpointOrAddedId = Annotated[Slug, References("touchpoints", added=True)]
PersonaId = Annotated[Slug, References("personas")]
AttributeName = Annotated[str, References("attributes")]


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (dt.date, dt.datetime)):
        return "a date"
    return type(value).__name__


#: The largest number a case may hold, in size (10^15): far beyond any age, amount, count or
#: number of days, and small enough that every whole number up to it is exact as a float.
MAX_NUMBER = 10**15


def number_problem(value: int | float) -> str | None:
    """What makes a number unusable in a case (not finite, or larger than :data:`MAX_NUMBER`), or None.

    Examples
    --------
    >>> number_problem(18), number_problem(float("inf")), number_problem(10**20)
    (None, 'not a finite number (inf)', 'a number with 21 digits, larger than 10^15')
    """
    if isinstance(value, float) and not math.isfinite(value):
        from .i18n import phrase  # here: every number of a case passes, nearly all of them fine

        return phrase("not a finite number ({value})", value=value)
    if abs(value) > MAX_NUMBER:
        from .i18n import phrase

        digits = len(str(abs(int(value))))
        return phrase("a number with {digits} digits, larger than 10^15", digits=digits)
    return None


def _finite(value: int | float) -> int | float:
    problem = number_problem(value)
    if problem is not None:
        raise PydanticCustomError("number_range", "{problem}", {"problem": problem})
    return value


def _number(value: Any) -> int | float:
    # Kept as written: an int stays an int, so saving does not turn 18 into 18.0.
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise PydanticCustomError("number_type", "expected a number, got {got}", {"got": _type_name(value)})
    return _finite(value)


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError("int_type", "expected a whole number, got {got}", {"got": _type_name(value)})
    return int(_finite(value))


def _whole_non_negative(value: Any) -> int:
    number = _whole(value)
    if number < 0:
        raise PydanticCustomError("non_negative", "must be 0 or more, not {value}", {"value": number})
    return number


def _non_negative(value: Any) -> int | float:
    number = _number(value)
    if number < 0:
        raise PydanticCustomError("non_negative", "must be 0 or more, not {value}", {"value": number})
    return number


def _scalar(value: Any) -> bool | int | float | str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _finite(value)
    if isinstance(value, (bool, str)):
        return value
    raise PydanticCustomError(
        "scalar_type", "expected a single value (number, text or true/false), got {got}",
        {"got": _type_name(value)},
    )


# A number a person writes: YAML gives int or float; true/false is not a number.
Number = Annotated[int | float, PlainValidator(_number), WithJsonSchema({"type": "number"})]
#: A number that must be more than 0: the whole-case checks say so with their own words (see
#: :mod:`kafka_tool.checks`); the JSON Schema says it to an editor.
PositiveNumber = Annotated[
    int | float, PlainValidator(_number), WithJsonSchema({"type": "number", "exclusiveMinimum": 0})
]
NonNegative = Annotated[
    int | float, PlainValidator(_non_negative), WithJsonSchema({"type": "number", "minimum": 0})
]
Whole = Annotated[int, PlainValidator(_whole), WithJsonSchema({"type": "integer"})]
WholeNonNegative = Annotated[
    int, PlainValidator(_whole_non_negative), WithJsonSchema({"type": "integer", "minimum": 0})
]
Scalar = Annotated[
    bool | int | float | str,
    PlainValidator(_scalar),
    WithJsonSchema({"type": ["boolean", "number", "string"]}),
]


class _Element(BaseModel):
    """Base of every element: unknown keys are refused, values are kept as written.

    The validators are built when a model is first used, not when the module is imported: a
    case builds every one it holds at once, and a command that reads no case builds none.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_default=False, defer_build=True)

    def __setattr__(self, name: str, value: Any) -> None:
        _own_fields_set(self)
        super().__setattr__(name, value)


#: The sets of field names that elements of a loaded case share, by their names (see
#: :meth:`Case.share_fields_sets`). They are kept for the life of the process, so that no other
#: object ever takes their ids.
_SHARED_FIELDS: dict[frozenset[str], set[str]] = {}
_SHARED_IDS: set[int] = set()


def _own_fields_set(element: BaseModel) -> None:
    """Give ``element`` a set of its set fields of its own before pydantic adds a name to it."""
    fields_set = element.__pydantic_fields_set__
    if id(fields_set) in _SHARED_IDS:
        object.__setattr__(element, "__pydantic_fields_set__", set(fields_set))


# ---------------------------------------------------------------- conditions


class Condition(_Element):
    """A condition on one attribute in a rule's ``when``.

    Integer and number attributes take ``min``/``max`` (inclusive) and
    ``above``/``below`` (exclusive); category attributes take ``in`` or
    ``not_in``. A boolean attribute is written as the value itself, so it
    never becomes a ``Condition``.
    """

    min: Number | None = None
    max: Number | None = None
    above: Number | None = None
    below: Number | None = None
    in_: list[str] | None = Field(default=None, alias="in")
    not_in: list[str] | None = None


def _condition_form(value: Any) -> str | None:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (dict, Condition)):
        return "condition"
    return None


When = dict[
    AttributeName,
    Annotated[
        Annotated[bool, Tag("bool")] | Annotated[Condition, Tag("condition")],
        Discriminator(
            _condition_form,
            custom_error_type="condition_form",
            custom_error_message=(
                "a condition is true/false (boolean attribute) or a mapping such as "
                "{min: 18}, {below: 1500} or {in: [a, b]}"
            ),
        ),
    ],
]


# ---------------------------------------------------------------- money


class Money(_Element):
    """``money`` on an attribute: its value is money the citizen has, ``per`` month or year."""

    per: Literal["month", "year"] = "month"
    #: what one unit of the attribute is worth (income in % of the social minimum: 14.6 a unit)
    unit_amount: PositiveNumber = 1


class Taper(_Element):
    """A value that falls as an attribute rises: ``rate`` of the currency per unit above ``from``."""

    attribute: AttributeName
    from_: Number = Field(alias="from")
    rate: NonNegative


class Value(_Element):
    """What holding a document is worth to the citizen (negative: a charge, a debt, a reclaim)."""

    amount: Number
    per: Literal["month", "year", "once"] = "month"
    taper: Taper | None = None


# ---------------------------------------------------------------- attributes


class IntegerAttribute(_Element):
    """A whole-number attribute (age in years, number of children)."""

    type: Literal["integer"]
    min: Whole | None = None
    max: Whole | None = None
    unit: str | None = None
    #: The words texts use for the attribute (default: its name, with spaces for underscores).
    label: str | None = None
    #: How much the attribute grows in a year (age: 1); the persona is followed forward in time.
    per_year: PositiveNumber | None = None
    #: The attribute grows only for the personas who meet this (over attributes that do not grow).
    while_: When | None = Field(default=None, alias="while")
    #: The attribute's value is money the citizen has (income): the persona's means are read along it.
    money: Money | None = None
    description: str | None = None


class NumberAttribute(_Element):
    """A real-valued attribute (income, debt)."""

    type: Literal["number"]
    min: Number | None = None
    max: Number | None = None
    unit: str | None = None
    #: The words texts use for the attribute (default: its name, with spaces for underscores).
    label: str | None = None
    #: How much the attribute grows in a year (age: 1); the persona is followed forward in time.
    per_year: PositiveNumber | None = None
    #: The attribute grows only for the personas who meet this (over attributes that do not grow).
    while_: When | None = Field(default=None, alias="while")
    #: The attribute's value is money the citizen has (income): the persona's means are read along it.
    money: Money | None = None
    description: str | None = None


class CategoryAttribute(_Element):
    """An attribute with a fixed set of values (residence status)."""

    type: Literal["category"]
    values: Annotated[list[Slug | str], Field(min_length=1)]
    #: The words texts use for the attribute (default: its name, with spaces for underscores).
    label: str | None = None
    description: str | None = None


class BooleanAttribute(_Element):
    """A yes/no attribute (homeless)."""

    type: Literal["boolean"]
    #: The words texts use for the attribute (default: its name, with spaces for underscores).
    label: str | None = None
    description: str | None = None


Attribute = Annotated[
    IntegerAttribute | NumberAttribute | CategoryAttribute | BooleanAttribute,
    Field(discriminator="type"),
]


# ---------------------------------------------------------------- elements


class Actor(_Element):
    """An organisation or role the citizen deals with."""

    id: Slug
    name: Text
    kind: ActorKind = "other"
    #: The layer it belongs to; when left out it follows from ``kind`` (see :attr:`the_layer`).
    layer: Layer | None = None
    description: str | None = None

    @property
    def the_layer(self) -> str:
        """``layer`` when the case gives it, else the layer its kind belongs to."""
        return self.layer or KIND_LAYERS.get(self.kind, "maatschappelijk")


class Document(_Element):
    """A proof, registration, decision, payment, service or status."""

    id: Slug
    name: Text
    kind: DocumentKind = "other"
    valid_days: WholeNonNegative | None = None
    #: What holding the document is worth to the citizen, in the case's currency.
    value: Value | None = None
    description: str | None = None


class Rule(_Element):
    """Law, policy or a house rule; ``when`` says whom it lets through."""

    id: Slug
    name: Text
    owner: ActorId | None = None
    source: str | None = None
    when: When = Field(default_factory=dict)
    #: Besides ``when``, at least one of these must hold (a union of conditions).
    when_any: list[When] = Field(default_factory=list)
    conflicts_with: list[RuleId] = Field(default_factory=list)
    description: str | None = None


class DocRequirement(_Element):
    """A requirement written as ``{doc: id, rule: r}``; with ``when``, asked only of the personas who meet it."""

    doc: DocumentId
    rule: RuleId | None = None
    when: When | None = None
    #: A window: the touchpoint must start within this many days of the day the item was obtained.
    within_days: NonNegative | None = None
    #: The citizen's hours gathering and handing over this item here (0 when left out).
    effort_hours: NonNegative | None = None


class AnyOfRequirement(_Element):
    """A requirement met by any one of several documents; with ``when``, asked only of some."""

    any_of: Annotated[list[DocumentId], Field(min_length=1)]
    rule: RuleId | None = None
    when: When | None = None
    #: A window: the touchpoint must start within this many days of the day the item was obtained.
    within_days: NonNegative | None = None
    #: The citizen's hours gathering and handing over this item here (0 when left out).
    effort_hours: NonNegative | None = None


class ProducedOutcome(_Element):
    """An outcome of a touchpoint: ``doc`` is given only to the personas who meet ``when``."""

    doc: DocumentId
    when: When = Field(default_factory=dict)


def _produced_form(value: Any) -> str | None:
    if isinstance(value, str):
        return "id"
    if isinstance(value, (dict, ProducedOutcome)):
        return "outcome"
    return None


Produced = Annotated[
    Annotated[DocumentId, Tag("id")] | Annotated[ProducedOutcome, Tag("outcome")],
    Discriminator(
        _produced_form,
        custom_error_type="produced_form",
        custom_error_message="what a touchpoint produces is a document id or {doc: ID, when: {...}}",
    ),
]


def produced_document(item: str | ProducedOutcome) -> str:
    """The document a ``produces`` item gives."""
    return item if isinstance(item, str) else item.doc


def produced_when(item: str | ProducedOutcome) -> dict[str, Any] | None:
    """The condition of an outcome; None for a plain id (given to everyone who can use the touchpoint)."""
    return None if isinstance(item, str) else item.when


def produced_documents(produces: list[Any]) -> tuple[str, ...]:
    """Every document a touchpoint can give (under any outcome), each once, in order."""
    return tuple(dict.fromkeys(produced_document(item) for item in produces))


def _requirement_form(value: Any) -> str | None:
    if isinstance(value, str):
        return "id"
    if isinstance(value, DocRequirement):
        return "doc"
    if isinstance(value, AnyOfRequirement):
        return "any_of"
    if isinstance(value, dict):
        if "any_of" in value:
            return "any_of"
        if "doc" in value:
            return "doc"
    return None


Requirement = Annotated[
    Annotated[DocumentId, Tag("id")]
    | Annotated[DocRequirement, Tag("doc")]
    | Annotated[AnyOfRequirement, Tag("any_of")],
    Discriminator(
        _requirement_form,
        custom_error_type="requirement_form",
        custom_error_message=(
            "a requirement is a document id, {doc: ID} or {any_of: [ID, ...]}"
        ),
    ),
]


def requirement_alternatives(item: str | DocRequirement | AnyOfRequirement) -> tuple[str, ...]:
    """The documents any one of which meets a requirement item."""
    if isinstance(item, str):
        return (item,)
    if isinstance(item, DocRequirement):
        return (item.doc,)
    return tuple(item.any_of)


def requirement_when(item: str | DocRequirement | AnyOfRequirement) -> dict[str, Any] | None:
    """The condition under which a requirement item is asked, or None (asked of everyone)."""
    return None if isinstance(item, str) else item.when


def requirement_rule(item: str | DocRequirement | AnyOfRequirement) -> str | None:
    """The rule that imposes a requirement item, if the case names one."""
    return None if isinstance(item, str) else item.rule


def requirement_window(item: str | DocRequirement | AnyOfRequirement) -> float | None:
    """The days within which the touchpoint must start once the item is held, or None (no window)."""
    return None if isinstance(item, str) or item.within_days is None else float(item.within_days)


class Touchpoint(_Element):
    """A counter, letter, portal or call where the citizen meets an actor."""

    id: Slug
    name: Text
    actor: ActorId | None = None
    channel: Channel | None = None
    rules: list[RuleId] = Field(default_factory=list)
    requires: list[Requirement] = Field(default_factory=list)
    produces: list[Produced] = Field(default_factory=list)
    refers_to: list[TouchpointOrAddedId] = Field(default_factory=list)
    #: Documents the actor fetches itself from another organisation (once-only,
    #: written by an ``exchange`` intervention): still needed, no longer asked of the citizen.
    fetches: list[DocumentId] = Field(default_factory=list)
    days: NonNegative | None = None
    cost: NonNegative | None = None
    #: The citizen's own hours here: forms, travel, the interview (0 when left out).
    effort_hours: NonNegative | None = None
    description: str | None = None


class Goal(_Element):
    """A goal with a deadline: the persona needs ``doc`` by day ``within_days``."""

    doc: DocumentId
    within_days: NonNegative


def _goal_form(value: Any) -> str | None:
    if isinstance(value, str):
        return "id"
    if isinstance(value, Goal) or (isinstance(value, dict) and "doc" in value):
        return "deadline"
    return None


GoalItem = Annotated[
    Annotated[DocumentId, Tag("id")] | Annotated[Goal, Tag("deadline")],
    Discriminator(
        _goal_form,
        custom_error_type="goal_form",
        custom_error_message="a goal is a document id or {doc: ID, within_days: N}",
    ),
]


def goal_document(item: str | Goal) -> str:
    """The document a goal item names."""
    return item if isinstance(item, str) else item.doc


def goal_documents(goals: list[Any]) -> tuple[str, ...]:
    """The documents of a persona's goals, each once, in order."""
    return tuple(dict.fromkeys(goal_document(item) for item in goals))


def goal_deadlines(goals: list[Any]) -> dict[str, float]:
    """Each goal with a deadline: document -> the day by which it is needed (the earliest, if given twice)."""
    out: dict[str, float] = {}
    for item in goals:
        if isinstance(item, Goal):
            out[item.doc] = min(float(item.within_days), out.get(item.doc, math.inf))
    return out


class Population(_Element):
    """How many people are in a persona's situation, and where the number comes from."""

    count: NonNegative
    per: Literal["year", "month"] = "year"
    source: str | None = None

    @property
    def per_year(self) -> float:
        """The people a year."""
        return float(self.count) * (12 if self.per == "month" else 1)


class Persona(_Element):
    """A citizen: attributes, what they hold, what they need."""

    id: Slug
    name: Text
    story: str | None = None
    description: str | None = None
    attributes: dict[AttributeName, Scalar] = Field(default_factory=dict)
    has: list[DocumentId] = Field(default_factory=list)
    #: What the persona needs: document ids, or ``{doc, within_days}`` for a goal with a deadline.
    goals: list[GoalItem] = Field(default_factory=list)
    #: How many people are in this situation (the Standard Cost Model's P).
    population: Population | None = None

    @property
    def goal_ids(self) -> tuple[str, ...]:
        """The documents of the goals, each once, in order."""
        return goal_documents(self.goals)

    @property
    def about(self) -> tuple[str, ...]:
        """The persona's ``story`` and ``description``, those it has, as written (without the
        whitespace around them)."""
        return tuple(text.strip() for text in (self.story, self.description) if text and text.strip())


class JourneyStep(_Element):
    """One contact in a reconstructed journey."""

    touchpoint: TouchpointId
    date: dt.date
    outcome: Outcome
    to: TouchpointId | None = None
    note: str | None = None


class Journey(_Element):
    """What actually happened to a persona, step by step."""

    persona: PersonaId
    title: str | None = None
    description: str | None = None
    steps: list[JourneyStep] = Field(default_factory=list)


# ---------------------------------------------------------------- interventions


class TouchpointDocument(_Element):
    """The argument of a change that names a touchpoint and a document."""

    touchpoint: TouchpointOrAddedId
    document: DocumentId


class AddRequirementArgs(_Element):
    """``add_requirement``: a document, or ``any_of`` alternatives, optionally with a rule.

    Exactly one of ``document`` and ``any_of`` is given, and not as null: the item
    added is checked as strictly as one written in ``requires``.
    """

    touchpoint: TouchpointOrAddedId
    document: Annotated[DocumentId | None, Needed()] = None
    any_of: Annotated[Annotated[list[DocumentId], Field(min_length=1)] | None, Needed()] = None
    rule: RuleId | None = None
    #: the item is asked only of the personas who meet this
    when: When | None = None

    @model_validator(mode="after")
    def _one_form(self) -> AddRequirementArgs:
        if (self.document is None) == (self.any_of is None):
            raise PydanticCustomError(
                "requirement_change_form",
                "add_requirement needs either `document:` or `any_of:`, not both and not null",
            )
        return self


class ReferralArgs(_Element):
    """``add_referral`` and ``remove_referral``."""

    touchpoint: TouchpointOrAddedId
    to: TouchpointOrAddedId


class AddProducesArgs(_Element):
    """``add_produces``: the touchpoint gives a document; with ``when``, as an outcome for those who meet it."""

    touchpoint: TouchpointOrAddedId
    document: DocumentId
    when: When | None = None


class SetWhenArgs(_Element):
    """``set_when``: replace a rule's eligibility condition (and, when given, its ``when_any``)."""

    rule: RuleId
    when: When
    #: replaces the rule's ``when_any`` when given (``[]`` removes it); left out, it stays
    when_any: list[When] | None = None


class SetActorArgs(_Element):
    """``set_actor``: give a touchpoint a (new) responsible actor; null removes it."""

    touchpoint: TouchpointOrAddedId
    actor: ActorId | None


class SetDaysArgs(_Element):
    """``set_days``: how many days a touchpoint takes (null: not known)."""

    touchpoint: TouchpointOrAddedId
    days: NonNegative | None


class SetCostArgs(_Element):
    """``set_cost``: what a touchpoint costs the citizen (0 waives the fee)."""

    touchpoint: TouchpointOrAddedId
    cost: NonNegative | None


class SetEffortArgs(_Element):
    """``set_effort``: the citizen's hours at a touchpoint, or (with ``document``) for one item it asks."""

    touchpoint: TouchpointOrAddedId
    document: DocumentId | None = None
    effort_hours: NonNegative | None


class SetWindowArgs(_Element):
    """``set_window``: the window on a requirement item (null removes it)."""

    touchpoint: TouchpointOrAddedId
    document: DocumentId
    within_days: NonNegative | None


class SetValueArgs(_Element):
    """``set_value``: what a document is worth to the citizen (null removes it)."""

    document: DocumentId
    value: Value | None


class SetOwnerArgs(_Element):
    """``set_owner``: give a rule an owner (null removes it)."""

    rule: RuleId
    owner: ActorId | None


class AddOutcomeArgs(_Element):
    """``add_outcome``: the touchpoint gives ``doc`` to the personas who meet ``when``."""

    touchpoint: TouchpointOrAddedId
    doc: DocumentId
    when: When = Field(default_factory=dict)


class RemoveRequirement(_Element):
    remove_requirement: TouchpointDocument


class AddRequirement(_Element):
    add_requirement: AddRequirementArgs


class AddProduces(_Element):
    add_produces: AddProducesArgs


class RemoveProduces(_Element):
    remove_produces: TouchpointDocument


class AddReferral(_Element):
    add_referral: ReferralArgs


class RemoveReferral(_Element):
    remove_referral: ReferralArgs


class SetWhen(_Element):
    set_when: SetWhenArgs


class SetActor(_Element):
    set_actor: SetActorArgs


class Exchange(_Element):
    exchange: TouchpointDocument


class AddTouchpoint(_Element):
    add_touchpoint: Annotated[Touchpoint, Adds("touchpoints")]


class RemoveTouchpoint(_Element):
    remove_touchpoint: TouchpointOrAddedId


class SetDays(_Element):
    set_days: SetDaysArgs


class SetCost(_Element):
    set_cost: SetCostArgs


class SetEffort(_Element):
    set_effort: SetEffortArgs


class SetWindow(_Element):
    set_window: SetWindowArgs


class SetValue(_Element):
    set_value: SetValueArgs


class SetOwner(_Element):
    set_owner: SetOwnerArgs


class AddOutcome(_Element):
    add_outcome: AddOutcomeArgs


CHANGE_KINDS: dict[str, type[_Element]] = {
    "remove_requirement": RemoveRequirement,
    "add_requirement": AddRequirement,
    "add_produces": AddProduces,
    "remove_produces": RemoveProduces,
    "add_referral": AddReferral,
    "remove_referral": RemoveReferral,
    "set_when": SetWhen,
    "set_actor": SetActor,
    "exchange": Exchange,
    "add_touchpoint": AddTouchpoint,
    "remove_touchpoint": RemoveTouchpoint,
    "set_days": SetDays,
    "set_cost": SetCost,
    "set_effort": SetEffort,
    "set_window": SetWindow,
    "set_value": SetValue,
    "set_owner": SetOwner,
    "add_outcome": AddOutcome,
}


def _change_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        kinds = [k for k in value if k in CHANGE_KINDS]
        return kinds[0] if len(kinds) == 1 and len(value) == 1 else None
    for name, cls in CHANGE_KINDS.items():
        if isinstance(value, cls):
            return name
    return None


Change = Annotated[
    Annotated[RemoveRequirement, Tag("remove_requirement")]
    | Annotated[AddRequirement, Tag("add_requirement")]
    | Annotated[AddProduces, Tag("add_produces")]
    | Annotated[RemoveProduces, Tag("remove_produces")]
    | Annotated[AddReferral, Tag("add_referral")]
    | Annotated[RemoveReferral, Tag("remove_referral")]
    | Annotated[SetWhen, Tag("set_when")]
    | Annotated[SetActor, Tag("set_actor")]
    | Annotated[Exchange, Tag("exchange")]
    | Annotated[AddTouchpoint, Tag("add_touchpoint")]
    | Annotated[RemoveTouchpoint, Tag("remove_touchpoint")]
    | Annotated[SetDays, Tag("set_days")]
    | Annotated[SetCost, Tag("set_cost")]
    | Annotated[SetEffort, Tag("set_effort")]
    | Annotated[SetWindow, Tag("set_window")]
    | Annotated[SetValue, Tag("set_value")]
    | Annotated[SetOwner, Tag("set_owner")]
    | Annotated[AddOutcome, Tag("add_outcome")],
    Discriminator(
        _change_kind,
        custom_error_type="change_kind",
        custom_error_message="a change is a mapping with exactly one key, the change kind",
    ),
]


def change_kind(change: BaseModel) -> str:
    """The kind of a change (``remove_requirement``, ...)."""
    for name, cls in CHANGE_KINDS.items():
        if isinstance(change, cls):
            return name
    raise TypeError(f"not a change: {change!r}")


def change_args(change: BaseModel) -> Any:
    """The argument of a change: the mapping (or id) under its kind key."""
    return getattr(change, change_kind(change))


class Intervention(_Element):
    """A named set of changes: what could be done, and who could do it."""

    id: Slug
    title: Text
    owner: ActorId | None = None
    #: Where it stands in the action plan.
    status: InterventionStatus = "proposed"
    agreed_on: dt.date | None = None
    due: dt.date | None = None
    #: When to check what became of it; six calendar months after ``agreed_on`` when left out.
    review_on: dt.date | None = None
    obstacles: list[Obstacle] = Field(default_factory=list)
    notes: str | None = None
    description: str | None = None
    changes: list[Change] = Field(default_factory=list)
    expected_resolves: list[str] = Field(default_factory=list)

    @property
    def default_review_date(self) -> dt.date | None:
        """The review date ``review_on`` stands for when left out: six calendar months after ``agreed_on``."""
        return None if self.agreed_on is None else months_after(self.agreed_on, REVIEW_AFTER_MONTHS)

    @property
    def review_date(self) -> dt.date | None:
        """``review_on``, or six calendar months after ``agreed_on`` when only that is given."""
        return self.review_on if self.review_on is not None else self.default_review_date

    def overdue(self, today: dt.date) -> bool:
        """Whether its ``due`` or review date lies strictly before ``today`` while it is still open."""
        if self.status in CLOSED_STATUSES:
            return False
        return any(day is not None and day < today for day in (self.due, self.review_date))


class Acceptance(_Element):
    """A finding the team has weighed and accepts, with the reason."""

    finding: Text
    reason: Text
    by: str | None = None


class Teaching(_Element):
    """Notes for educators."""

    level: Level = "intro"
    questions: list[str] = Field(default_factory=list)
    notes: str | None = None
    expected_findings: list[str] = Field(default_factory=list)


class Case(_Element):
    """One case file."""

    format: Literal["kafka-case/1"]
    id: Slug
    title: Text
    language: Language = "en"
    #: ISO 4217 code of the currency every cost and amount is in.
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "EUR"
    #: What an hour of a citizen's time is worth, in the case's currency (the Standard Cost Model's tariff).
    hour_value: NonNegative | None = None
    #: How many years ahead personas are followed while their growing attributes change (default 10).
    horizon_years: NonNegative | None = None
    summary: str | None = None
    source: str | None = None
    tags: list[str] = Field(default_factory=list)
    teaching: Teaching | None = None
    attributes: dict[str, Attribute] = Field(default_factory=dict)
    actors: list[Actor] = Field(default_factory=list)
    documents: list[Document] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)
    touchpoints: list[Touchpoint] = Field(default_factory=list)
    personas: list[Persona] = Field(default_factory=list)
    journeys: list[Journey] = Field(default_factory=list)
    interventions: list[Intervention] = Field(default_factory=list)
    accepted: list[Acceptance] = Field(default_factory=list)

    # ------------------------------------------------------------ lookups

    def actor(self, id: str) -> Actor | None:
        """The actor with this id, or None."""
        return next((a for a in self.actors if a.id == id), None)

    def document(self, id: str) -> Document | None:
        """The document with this id, or None."""
        return next((d for d in self.documents if d.id == id), None)

    def rule(self, id: str) -> Rule | None:
        """The rule with this id, or None."""
        return next((r for r in self.rules if r.id == id), None)

    def touchpoint(self, id: str) -> Touchpoint | None:
        """The touchpoint with this id, or None."""
        return next((t for t in self.touchpoints if t.id == id), None)

    def persona(self, id: str) -> Persona | None:
        """The persona with this id, or None."""
        return next((p for p in self.personas if p.id == id), None)

    def intervention(self, id: str) -> Intervention | None:
        """The intervention with this id, or None."""
        return next((i for i in self.interventions if i.id == id), None)

    def in_language(self, language: str | None) -> Case:
        """The case with every word the tool writes about it in ``language`` (None: its own ``language``).

        Only the tool's words change (``--lang``): the case's own texts stay as they were written.
        """
        if language is None or language == self.language:
            return self
        return self.model_copy(update={"language": language})

    def to_data(self) -> dict[str, Any]:
        """The case as plain data in the form it was written (for YAML)."""
        return self.model_dump(by_alias=True, exclude_unset=True)

    def share_fields_sets(self) -> Case:
        """This case, its elements holding one shared set of the names of their set fields per combination.

        Pydantic gives every model a set of the fields that were set (what :meth:`to_data`
        writes); in a large case those sets are a third of the case's memory (728 bytes for a
        touchpoint's). Elements that set the same fields share one set here; an element whose
        field is then assigned first takes a set of its own (:func:`_own_fields_set`), and a
        copy (``model_copy``) has its own, so what each element reports stays its own.
        """
        elements: list[BaseModel] = [*self.actors, *self.documents, *self.rules, *self.personas, *self.touchpoints]
        for persona in self.personas:
            elements.extend(goal for goal in persona.goals if not isinstance(goal, str))
        for tp in self.touchpoints:
            elements.extend(item for item in tp.requires if not isinstance(item, str))
            elements.extend(made for made in tp.produces if not isinstance(made, str))
        shared_sets, shared_ids, put = _SHARED_FIELDS, _SHARED_IDS, object.__setattr__
        last: set[str] | None = None
        shared: set[str] = set()
        for element in elements:
            names = element.__pydantic_fields_set__
            if names != last:  # elements of a kind in a row mostly set the same fields
                last = names
                key = frozenset(names)
                found = shared_sets.get(key)
                if found is None:
                    found = shared_sets[key] = set(key)
                    shared_ids.add(id(found))
                shared = found
            put(element, "__pydantic_fields_set__", shared)
        return self
