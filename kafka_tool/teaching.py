"""Graded exercises for a class: what the class expects, scored against the real findings.

Before the findings are revealed, a class marks the findings it expects: a kind and the
elements of the case it is about ("a dead end at the housing desk"). The reveal scores
that diagnosis:

- **found**: a real finding that an expectation matches: the same kind, and every element
  the expectation names is among the finding's elements;
- **missed**: a finding that counts (see :func:`counts`) that no expectation matches;
- **false alarms**: expectations that match no finding.

A session is saved as Markdown for people, with a YAML front matter that
:func:`read_session` reads back, so that ``kafka-tool teach summary`` can add up the
sessions of several groups (:func:`summarise`). Nothing here knows of an interface.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from . import markdown as md
from .analysis.kinds import KIND_WORDS, kind_label
from .analysis.texts import SEVERITY_WORDS
from .errors import KafkaToolError, Loc, Problem, shown
from .findings import Finding
from .i18n import N_, Words
from .model import Case

__all__ = [
    "ELEMENT_TYPES",
    "FORMAT",
    "KIND_WORDS",
    "DifferentCases",
    "Expectation",
    "Score",
    "Session",
    "SessionError",
    "Summary",
    "counting_rule",
    "counts",
    "element_choices",
    "element_names",
    "expectation_label",
    "finding_elements",
    "kind_label",
    "matches",
    "near_miss",
    "near_miss_words",
    "read_session",
    "score",
    "score_line",
    "session_data",
    "session_markdown",
    "summarise",
    "summary_json",
    "summary_markdown",
    "summary_text",
]

#: The format of a saved session's front matter.
FORMAT = "kafka-teaching-session/1"

#: The kinds of element an expectation can name, and what each is called.
ELEMENT_TYPES: dict[str, str] = {
    "touchpoint": N_("touchpoint"),
    "document": N_("document"),
    "actor": N_("actor"),
    "rule": N_("rule"),
    "persona": N_("persona"),
}

#: The elements a class names for each kind (besides the personas it affects, offered for
#: every kind): what the finding is about, as its explanation says it.
_FITS: dict[str, tuple[str, ...]] = {
    "circular_dependency": ("document", "touchpoint", "rule"),
    "referral_loop": ("touchpoint", "actor"),
    "dead_end": ("touchpoint", "actor"),
    "unobtainable_document": ("document",),
    "coverage_gap": ("document", "rule", "touchpoint"),
    "futile_referral": ("touchpoint",),
    "conflicting_rules": ("rule", "touchpoint"),
    "no_owner": ("touchpoint", "rule"),
    "repeated_request": ("document", "actor"),
    "single_point_of_failure": ("touchpoint", "actor"),
    "expiry_trap": ("document", "touchpoint"),
    "journey_loop": ("touchpoint", "actor"),
    "missed_deadline": ("document", "touchpoint"),
    "window_trap": ("touchpoint", "document"),
    "transition_gap": ("document", "rule"),
    "benefit_cliff": ("document", "rule"),
    "unreachable_goal": ("document",),
}

#: Severities whose findings count as missed whatever the case's author expects.
_ALWAYS_COUNTED = ("critical", "high")


@dataclass(frozen=True)
class Expectation:
    """A finding the class expects: its kind and the ids of the elements it is about."""

    kind: str
    elements: tuple[str, ...]


def finding_elements(finding: Finding) -> frozenset[str]:
    """Every element a finding is about: its touchpoints, documents, actors, rules and personas."""
    return frozenset((*finding.nodes, *finding.actors, *finding.rules, *finding.personas))


def matches(expectation: Expectation, finding: Finding) -> bool:
    """Whether the expectation names this finding: the same kind, and its elements among the finding's.

    >>> f = Finding("dead_end/desk", "dead_end", "critical", "Dead end", "", nodes=("desk",))
    >>> matches(Expectation("dead_end", ("desk",)), f), matches(Expectation("dead_end", ("bank",)), f)
    (True, False)
    """
    return expectation.kind == finding.kind and set(expectation.elements) <= finding_elements(finding)


def counts(finding: Finding, expected_kinds: Iterable[str]) -> bool:
    """Whether missing this finding counts against the class.

    A class is not expected to name every single point of failure of a large case: what
    counts are the findings of the kinds the case's author expects a class to find
    (``teaching.expected_findings``) and every critical or high finding. A finding that
    does not count is still *found* when an expectation matches it.
    """
    return finding.kind in set(expected_kinds) or finding.severity in _ALWAYS_COUNTED


@dataclass(frozen=True)
class Score:
    """A diagnosis scored against the findings.

    ``matched`` holds, for each expectation (in order), the ids of the findings it matches;
    ``counted`` the ids of the findings that count.
    """

    expectations: tuple[Expectation, ...]
    findings: tuple[Finding, ...]
    matched: tuple[tuple[str, ...], ...]
    counted: frozenset[str]

    @property
    def found(self) -> tuple[Finding, ...]:
        """The findings some expectation matches."""
        hit = {fid for ids in self.matched for fid in ids}
        return tuple(f for f in self.findings if f.id in hit)

    @property
    def missed(self) -> tuple[Finding, ...]:
        """The findings that count and that no expectation matches."""
        hit = {fid for ids in self.matched for fid in ids}
        return tuple(f for f in self.findings if f.id in self.counted and f.id not in hit)

    @property
    def false_alarms(self) -> tuple[Expectation, ...]:
        """The expectations that match no finding."""
        return tuple(e for e, ids in zip(self.expectations, self.matched, strict=True) if not ids)


def score(expectations: Sequence[Expectation], findings: Sequence[Finding],
          expected_kinds: Iterable[str] = ()) -> Score:
    """Score the class's expectations against the real findings (see the module's docstring)."""
    kinds = set(expected_kinds)
    matched = tuple(tuple(f.id for f in findings if matches(e, f)) for e in expectations)
    counted = frozenset(f.id for f in findings if counts(f, kinds))
    return Score(tuple(expectations), tuple(findings), matched, counted)


def near_miss(expectation: Expectation, findings: Sequence[Finding]) -> str | None:
    """Why a false alarm was close, if it was: ``"kind"`` when the case has a finding of its kind
    about other elements, ``"elements"`` when a finding of another kind is about its elements.

    >>> f = Finding("dead_end/desk", "dead_end", "critical", "Dead end", "", nodes=("desk",))
    >>> near_miss(Expectation("dead_end", ("bank",)), [f]), near_miss(Expectation("no_owner", ("desk",)), [f])
    ('kind', 'elements')
    """
    if any(f.kind == expectation.kind for f in findings):
        return "kind"
    if any(set(expectation.elements) <= finding_elements(f) for f in findings):
        return "elements"
    return None


def near_miss_words(expectation: Expectation, findings: Sequence[Finding], say: Words) -> str | None:
    """A false alarm's near miss, said for the class ('close: the case has a finding of this kind, ...')."""
    near = near_miss(expectation, findings)
    if near == "kind":
        return say.say("close: the case has a finding of this kind, about something else")
    if near == "elements":
        kinds = dict.fromkeys(kind_label(f.kind, say) for f in findings
                              if set(expectation.elements) <= finding_elements(f))
        return say.say("close: about these, the analysis finds {kinds}", kinds=say.list(kinds, "or"))
    return None


# ---------------------------------------------------------------- the case's elements


def _elements_of(case: Case) -> dict[str, list[tuple[str, str]]]:
    """The case's elements by type: (id, name)."""
    return {
        "touchpoint": [(e.id, e.name) for e in case.touchpoints],
        "document": [(e.id, e.name) for e in case.documents],
        "actor": [(e.id, e.name) for e in case.actors],
        "rule": [(e.id, e.name) for e in case.rules],
        "persona": [(e.id, e.name) for e in case.personas],
    }


def element_choices(case: Case, kind: str, say: Words) -> list[tuple[str, str]]:
    """The elements a class can name for a finding of ``kind``: (label, id), those that fit it first.

    The label says what the element is: 'Town hall (touchpoint)'.
    """
    by_type = _elements_of(case)
    types = [*_FITS.get(kind, tuple(ELEMENT_TYPES)), "persona"]
    choices = []
    for element_type in dict.fromkeys(types):
        what = say.say(ELEMENT_TYPES[element_type])
        choices += [(f"{name} ({what})", element_id) for element_id, name in by_type[element_type]]
    return choices


def element_names(case: Case) -> dict[str, str]:
    """Each element's name by its id."""
    return {element_id: name for elements in _elements_of(case).values() for element_id, name in elements}


def expectation_label(kind: str, elements: Sequence[str], names: dict[str, str], say: Words) -> str:
    """An expectation as people read it: 'dead end: Housing desk'."""
    shown_names = say.list([names.get(e, e) for e in elements])
    return say.say("{kind}: {elements}", kind=kind_label(kind, say), elements=shown_names)


# ---------------------------------------------------------------- the session file


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class ExpectationEntry(_Strict):
    """An expectation in a saved session, with the findings it matched."""

    kind: str
    elements: list[str]
    found: list[str]


class FindingEntry(_Strict):
    """A real finding in a saved session: whether it counts and whether the class found it."""

    id: str
    kind: str
    severity: Literal["critical", "high", "medium", "low"]
    title: str
    counts: bool
    found: bool


class ScoreEntry(_Strict):
    found: int
    missed: int
    false_alarms: int


class Session(_Strict):
    """The front matter of a saved session: what ``teach summary`` reads."""

    format: Literal["kafka-teaching-session/1"]
    case: str
    title: str
    language: Literal["en", "nl"]
    #: The day of the session (a hand edit may leave it unquoted: YAML reads that as a date).
    date: str | dt.date
    score: ScoreEntry
    expectations: list[ExpectationEntry]
    findings: list[FindingEntry]
    names: dict[str, str] = {}
    #: The file it was read from (not in the file).
    path: str = ""

    @property
    def group(self) -> str:
        """What the summary calls the group: the file's name without ``.md``."""
        return Path(self.path).stem or self.case


@dataclass
class SessionError(KafkaToolError):
    """A session file that cannot be read, with its problems at their lines."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def say(self, language_words: Words) -> str:
        """Every problem, in the language of ``language_words``."""
        return "\n".join(p.say(language_words) for p in self.problems)


def _front_matter(session: Session) -> str:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = None
    yaml.allow_unicode = True
    yaml.width = 4096
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    buffer = io.StringIO()
    yaml.dump(session.model_dump(exclude={"path"}), buffer)
    return buffer.getvalue()


def session_data(case: Case, result: Score, say: Words, date: dt.date) -> Session:
    """The machine-readable part of a session."""
    found = {f.id for f in result.found}
    used = {e for expectation in result.expectations for e in expectation.elements}
    names = {k: v for k, v in element_names(case).items() if k in used}
    return Session(
        format=FORMAT, case=case.id, title=case.title, language=say.language,  # type: ignore[arg-type]
        date=date.isoformat(),
        score=ScoreEntry(found=len(result.found), missed=len(result.missed), false_alarms=len(result.false_alarms)),
        expectations=[ExpectationEntry(kind=e.kind, elements=list(e.elements), found=list(ids))
                      for e, ids in zip(result.expectations, result.matched, strict=True)],
        findings=[FindingEntry(id=f.id, kind=f.kind, severity=f.severity, title=f.title,  # type: ignore[arg-type]
                               counts=f.id in result.counted, found=f.id in found) for f in result.findings],
        names=names,
    )


def score_line(found: int, missed: int, false_alarms: int, say: Words) -> str:
    """'Found 3 · missed 2 · false alarms 1'."""
    return say.say("Found {found} · missed {missed} · false alarms {false_alarms}",
                   found=found, missed=missed, false_alarms=false_alarms)


def counting_rule(case: Case, say: Words) -> str:
    """What counts as missed, said for the class."""
    kinds = case.teaching.expected_findings if case.teaching else []
    if kinds:
        return say.say("Missed counts the critical and high findings, and those of the kinds the case's author "
                       "expects a class to find: {kinds}.",
                       kinds=say.list([kind_label(k, say) for k in kinds], limit=20))
    return say.say("Missed counts the critical and high findings.")


def session_markdown(case: Case, result: Score, notes: str, say: Words, date: dt.date) -> str:
    """The session as Markdown, with its score, in ``say``'s language; a YAML front matter for ``teach summary``."""
    data = session_data(case, result, say, date)
    names = element_names(case)
    lines = ["---", _front_matter(data).rstrip("\n"), "---", "", f"# {md.text(case.title)}", "",
             say.say("Teaching session, {date}.", date=date.isoformat()), ""]
    lines += ["## " + say.say("Score"), "",
              f"**{score_line(data.score.found, data.score.missed, data.score.false_alarms, say)}**", "",
              md.text(counting_rule(case, say)), ""]
    questions = case.teaching.questions if case.teaching else []
    if questions:
        lines += ["## " + say.say("Questions for the class"), ""]
        lines += [f"{n}. {md.text(q)}" for n, q in enumerate(questions, 1)] + [""]
    lines += ["## " + say.say("What the class expected"), ""]
    for expectation, ids in zip(result.expectations, result.matched, strict=True):
        mark = "✔" if ids else "✘"
        label = md.text(expectation_label(expectation.kind, expectation.elements, names, say))
        near = None if ids else near_miss_words(expectation, result.findings, say)
        lines.append(f"- {mark} {label}" + ("" if ids else " (" + say.say("false alarm") + ")")
                     + (f"; {md.text(near)}" if near else ""))
    if not result.expectations:
        lines.append(say.say("(nothing marked)"))
    lines += ["", "## " + say.say("Notes of the class"), "",
              notes.strip() or say.say("(nothing noted)"), ""]
    lines += ["## " + say.say("Found"), ""]
    lines += [f"- {_finding_line(f, say)}" for f in result.found] or [say.say("(none)")]
    lines += ["", "## " + say.say("Missed"), ""]
    for finding in result.missed:
        lines += [f"- {_finding_line(finding, say)}", "", f"  {md.text(finding.explanation)}", ""]
    if not result.missed:
        lines += [say.say("(none)"), ""]
    # The class's own notes stay the Markdown they wrote; all else is escaped.
    return "\n".join(lines).rstrip() + "\n"


def _finding_line(finding: Finding, say: Words) -> str:
    return (f"**{md.text(finding.title)}** ({say.say(SEVERITY_WORDS[finding.severity]).lower()}, "
            f"{md.text(kind_label(finding.kind, say))})")


def _problem(path: str, line: int | None, message: str, hint: str | None = None) -> SessionError:
    return SessionError([Problem(path, line, None, message, hint)])


def read_session(path: Path, say: Words) -> Session:
    """A saved session's front matter; :class:`SessionError` names the file and line of what is wrong."""
    from .loader import parse_round_trip, plain, position_of

    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise _problem(name, None, say.say("cannot read the session: {error}", error=str(error))) from None
    lines = text.splitlines()
    hint = say.say("a session saved in teaching mode starts with a front matter between two lines of `---`")
    if not lines or lines[0].strip() != "---":
        raise _problem(name, 1, say.say("this is not a teaching session: it does not start with `---`"), hint)
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), None)
    if end is None:
        raise _problem(name, 1, say.say("the front matter that starts here has no closing `---`"), hint)
    # Blank for the opening line, so that the YAML's line numbers are the file's.
    yaml_text = "\n" + "\n".join(lines[1:end]) + "\n"
    try:
        tree = parse_round_trip(yaml_text, name)
    except KafkaToolError as error:
        raise SessionError(list(getattr(error, "problems", [])) or [Problem(name, None, None, str(error))]) from None
    data = plain(tree)
    if not isinstance(data, dict):
        raise _problem(name, 2, say.say("the front matter should be a mapping of keys (format, case, ...)"), hint)
    try:
        session = Session.model_validate({**data, "path": name})
    except ValidationError as error:
        problems = []
        for detail in error.errors():
            loc: Loc = tuple(detail["loc"])
            line, col = position_of(tree, loc, "key" if detail["type"] == "extra_forbidden" else "value")
            where = ".".join(str(step) for step in loc) or "front matter"
            problems.append(Problem(name, line, col, say.say("{key}: {problem}", key=where, problem=detail["msg"]),
                                    None, loc))
        raise SessionError(problems) from None
    _check_adds_up(session, tree, name, say)
    return session


def _check_adds_up(session: Session, tree: Any, name: str, say: Words) -> None:
    """The expectations, the findings and the score must tell one story (a hand edit may break it)."""
    from .loader import position_of

    ids = {f.id for f in session.findings}
    hit: set[str] = set()
    for i, expectation in enumerate(session.expectations):
        for j, fid in enumerate(expectation.found):
            if fid not in ids:
                line, _ = position_of(tree, ("expectations", i, "found", j))
                raise _problem(name, line, say.say("{id} is not one of the session's findings", id=shown(fid)))
            hit.add(fid)
    for i, finding in enumerate(session.findings):
        if finding.found != (finding.id in hit):
            line, _ = position_of(tree, ("findings", i, "found"))
            raise _problem(name, line, say.say("{id}: `found` does not agree with the expectations' `found`",
                                               id=shown(finding.id)))
    actual = (sum(f.found for f in session.findings), sum(f.counts and not f.found for f in session.findings),
              sum(not e.found for e in session.expectations))
    if actual != (session.score.found, session.score.missed, session.score.false_alarms):
        line, _ = position_of(tree, ("score",), "key")
        raise _problem(name, line, say.say("the score does not add up: the findings and expectations give {score}",
                                           score=score_line(*actual, say)))


# ---------------------------------------------------------------- several groups


@dataclass(frozen=True)
class FindingTally:
    """One real finding across the groups: how many found it, how many missed it."""

    id: str
    kind: str
    severity: str
    title: str
    found: int
    missed: int


@dataclass(frozen=True)
class AlarmTally:
    """A false alarm and how many groups raised it."""

    kind: str
    elements: tuple[str, ...]
    groups: int


@dataclass(frozen=True)
class Summary:
    """Several groups' sessions of one case, added up."""

    case: str
    title: str
    sessions: tuple[Session, ...]
    findings: tuple[FindingTally, ...]
    false_alarms: tuple[AlarmTally, ...]
    names: dict[str, str]


class DifferentCases(KafkaToolError):
    """Sessions of more than one case cannot be added up."""


def summarise(sessions: Sequence[Session], say: Words) -> Summary:
    """Add up the sessions of one case: each finding by how many groups missed it, the false alarms
    most made. Sessions of different cases raise :class:`DifferentCases`."""
    cases = dict.fromkeys(s.case for s in sessions)
    if len(cases) > 1:
        which = say.list([f"{shown(s.path)} ({s.case})" for s in sessions], limit=10)
        raise DifferentCases(say.say("these sessions are of different cases: {which}; add up the sessions of one "
                                     "case at a time", which=which))
    first: dict[str, FindingEntry] = {}
    found: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    alarms: Counter[tuple[str, tuple[str, ...]]] = Counter()
    names: dict[str, str] = {}
    for session in sessions:
        names.update(session.names)
        for entry in session.findings:
            first.setdefault(entry.id, entry)
            if entry.found:
                found[entry.id] += 1
            elif entry.counts:
                missed[entry.id] += 1
        for expectation in {(e.kind, tuple(sorted(e.elements))) for e in session.expectations if not e.found}:
            alarms[expectation] += 1
    order = {"critical": 0, "high": 1, "medium": 2, "low": 3}
    tallies = [FindingTally(e.id, e.kind, e.severity, e.title, found[e.id], missed[e.id])
               for e in first.values() if found[e.id] or missed[e.id]]
    tallies.sort(key=lambda t: (-t.missed, t.found, order[t.severity], t.id))
    alarm_tallies = [AlarmTally(kind, elements, n) for (kind, elements), n in alarms.items()]
    alarm_tallies.sort(key=lambda a: (-a.groups, a.kind, a.elements))
    return Summary(next(iter(cases), ""), sessions[0].title if sessions else "", tuple(sessions),
                   tuple(tallies), tuple(alarm_tallies), names)


def _rows(summary: Summary, say: Words) -> tuple[list[list[str]], list[list[str]], list[list[str]]]:
    """The three tables of a summary: the groups' scores, the findings, the false alarms (the counts
    first, the long titles last)."""
    groups = [[s.group, str(s.score.found), str(s.score.missed), str(s.score.false_alarms)]
              for s in summary.sessions]
    findings = [[str(t.missed), str(t.found), say.say(SEVERITY_WORDS[t.severity]), kind_label(t.kind, say), t.title]
                for t in summary.findings]
    alarms = [[str(a.groups), expectation_label(a.kind, a.elements, summary.names, say)]
              for a in summary.false_alarms]
    return groups, findings, alarms


def _headings(say: Words) -> tuple[list[str], list[str], list[str]]:
    return ([say.say("Group"), say.say("Found"), say.say("Missed"), say.say("False alarms")],
            [say.say("Missed by"), say.say("Found by"), say.say("Severity"), say.say("Kind"), say.say("Finding")],
            [say.say("Groups"), say.say("False alarm")])


def _intro(summary: Summary, say: Words) -> str:
    return say.say_n("{n} group's session of {title}", "{n} groups' sessions of {title}", len(summary.sessions),
                     title=summary.title)


def summary_text(summary: Summary, say: Words) -> str:
    """The summary as plain text, with aligned columns."""
    groups, findings, alarms = _rows(summary, say)
    heads = _headings(say)
    out = [_intro(summary, say), ""]
    for title, head, rows, empty in (
        (say.say("Scores"), heads[0], groups, ""),
        (say.say("Findings, most missed first"), heads[1], findings, say.say("(none)")),
        (say.say("False alarms, most made first"), heads[2], alarms, say.say("(none)")),
    ):
        out += [title, ""]
        out += _aligned(head, rows) if rows else [f"  {empty}"]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _aligned(head: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    # numbers (every column after the first text columns) align to the right
    def line(row: list[str]) -> str:
        cells = [c.rjust(w) if c.isdigit() else c.ljust(w) for c, w in zip(row, widths, strict=True)]
        return "  " + "  ".join(cells).rstrip()

    return [line(head), *(line(r) for r in rows)]


def summary_markdown(summary: Summary, say: Words) -> str:
    """The summary as Markdown tables."""
    groups, findings, alarms = _rows(summary, say)
    heads = _headings(say)
    out = [f"# {md.text(summary.title)}", "", md.text(_intro(summary, say)), ""]
    for title, head, rows in ((say.say("Scores"), heads[0], groups),
                              (say.say("Findings, most missed first"), heads[1], findings),
                              (say.say("False alarms, most made first"), heads[2], alarms)):
        out += [f"## {title}", ""]
        if rows:
            out += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
            out += ["| " + " | ".join(md.text(c) for c in row) + " |" for row in rows]
        else:
            out.append(say.say("(none)"))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def summary_json(summary: Summary) -> str:
    """The summary as JSON (``kafka-teaching-summary/1``)."""
    data = {
        "format": "kafka-teaching-summary/1",
        "case": summary.case,
        "title": summary.title,
        "sessions": [{"file": s.path, "group": s.group, "date": str(s.date), **s.score.model_dump()}
                     for s in summary.sessions],
        "findings": [{"id": t.id, "kind": t.kind, "severity": t.severity, "title": t.title,
                      "found_by": t.found, "missed_by": t.missed} for t in summary.findings],
        "false_alarms": [{"kind": a.kind, "elements": list(a.elements), "groups": a.groups}
                         for a in summary.false_alarms],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
