"""The action plan: every active finding, who can act on it, and the interventions that resolve it.

A Kafkabrigade review ends with an action plan in which every problem has an owner, and checks
after about six months what became of it. :func:`action_plan` makes that plan from an analysed
case: for each finding the team has not accepted, its severity and layers, the actors who can
act, and the interventions that resolve it, each with its owner, status and dates; the findings
no intervention resolves; and the interventions that are overdue on a given day.

Which interventions resolve a finding is found by :func:`~kafka_tool.interventions.compare` of
each intervention on its own, against one analysis of the case as it is. An intervention whose
changes do not fit the case resolves nothing; it is reported in :attr:`ActionPlan.problems`,
never raised.

A ``dropped`` intervention resolves nothing in the plan: the review decided not to do it, so a
finding that only it would resolve has no live remedy and is listed as unresolved. It is kept
apart (:attr:`PlanItem.dropped`) so that people can see what was once proposed.

Examples
--------
>>> import datetime as dt
>>> from kafka_tool.analysis.engine import analyze
>>> from kafka_tool.model import Case
>>> case = Case.model_validate({
...     "format": "kafka-case/1", "id": "c", "title": "C",
...     "actors": [{"id": "bank", "name": "Bank", "kind": "bank"},
...                {"id": "town", "name": "Town", "kind": "municipality"}],
...     "documents": [{"id": "address", "name": "Address"}, {"id": "account", "name": "Account"}],
...     "touchpoints": [
...         {"id": "open", "name": "Open account", "actor": "bank",
...          "requires": ["address"], "produces": ["account"]},
...         {"id": "register", "name": "Register", "actor": "town",
...          "requires": ["account"], "produces": ["address"]}],
...     "personas": [{"id": "amira", "name": "Amira", "goals": ["account"]}],
...     "interventions": [{"id": "no_account", "title": "Register without an account", "owner": "town",
...                        "status": "agreed", "due": "2024-06-01",
...                        "changes": [{"remove_requirement": {"touchpoint": "register",
...                                                            "document": "account"}}]}]})
>>> plan = action_plan(analyze(case), dt.date(2024, 7, 1))
>>> plan.unresolved, [i.intervention.id for i in plan.overdue]
([], ['no_account'])
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .analysis.engine import Analysis
from .errors import KafkaToolError
from .findings import Finding
from .interventions import InterventionError, compare
from .model import Intervention

__all__ = ["PLAN_FORMAT", "ActionPlan", "PlanIntervention", "PlanItem", "PlanProblem", "action_plan"]

#: The ``format`` of the plan's JSON.
PLAN_FORMAT = "kafka-plan/1"


def _date(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


@dataclass(frozen=True)
class PlanIntervention:
    """An intervention as the plan shows it: the intervention, and whether it is overdue on the plan's day."""

    intervention: Intervention
    overdue: bool

    @property
    def id(self) -> str:
        return self.intervention.id

    def to_json(self) -> dict[str, Any]:
        """``{"id", "owner", "status", "due", "review_on", "overdue"}``; ``review_on`` with its default applied."""
        item = self.intervention
        return {"id": item.id, "owner": item.owner, "status": item.status, "due": _date(item.due),
                "review_on": _date(item.review_date), "overdue": self.overdue}


@dataclass(frozen=True)
class PlanItem:
    """One active finding of the plan, with its live remedies (and the dropped ones apart)."""

    finding: Finding
    #: the interventions that resolve it and are not dropped, in the case's order
    interventions: tuple[PlanIntervention, ...]
    #: the dropped interventions that would have resolved it (they count for nothing)
    dropped: tuple[PlanIntervention, ...] = ()

    @property
    def resolved(self) -> bool:
        """Whether some intervention that is not dropped resolves it."""
        return bool(self.interventions)

    def to_json(self) -> dict[str, Any]:
        finding = self.finding
        return {"finding": finding.id, "severity": finding.severity, "layers": list(finding.layers),
                "actors": list(finding.actors), "interventions": [i.to_json() for i in self.interventions]}


@dataclass(frozen=True)
class PlanProblem:
    """An intervention whose changes do not fit the case: it resolves nothing, and says why."""

    intervention: Intervention
    #: why, in the words of the core (English), as ``compare`` says it
    message: str
    #: the number (from 1) and the kind of the change that does not fit, when known
    change: int | None = None
    kind: str | None = None


@dataclass(frozen=True)
class ActionPlan:
    """The action plan of an analysed case on one day (see the module's docstring)."""

    analysis: Analysis
    today: dt.date
    items: tuple[PlanItem, ...]
    #: the interventions overdue on ``today``, in the case's order (whether or not they resolve a finding)
    overdue: tuple[PlanIntervention, ...]
    problems: tuple[PlanProblem, ...] = ()

    @property
    def unresolved(self) -> list[str]:
        """The ids of the active findings that no live intervention resolves, in the plan's order."""
        return [item.finding.id for item in self.items if not item.resolved]

    def to_json(self) -> dict[str, Any]:
        """The ``kafka-plan/1`` object of CASE_FORMAT.md."""
        return {
            "format": PLAN_FORMAT,
            "case": self.analysis.case.id,
            "today": self.today.isoformat(),
            "items": [item.to_json() for item in self.items],
            "unresolved": self.unresolved,
            "overdue": [i.id for i in self.overdue],
        }


def action_plan(analysis: Analysis, today: dt.date) -> ActionPlan:
    """The action plan of ``analysis`` on ``today``: what resolves each active finding, and what is overdue.

    Each intervention is compared on its own against ``analysis`` (the case as it is); one whose
    changes do not fit resolves nothing and is reported in :attr:`ActionPlan.problems`.
    """
    case = analysis.case
    entries = [PlanIntervention(item, item.overdue(today)) for item in case.interventions]
    resolves: dict[str, set[str]] = {}
    problems: list[PlanProblem] = []
    for entry in entries:
        try:
            comparison = compare(case, [entry.id], analysis)
        except InterventionError as error:
            loc = error.issue.loc
            change = loc[3] + 1 if len(loc) > 4 and isinstance(loc[3], int) else None
            kind = str(loc[4]) if len(loc) > 4 else None
            problems.append(PlanProblem(entry.intervention, str(error), change, kind))
            continue
        except KafkaToolError as error:
            problems.append(PlanProblem(entry.intervention, str(error)))
            continue
        resolves[entry.id] = {f.id for f in comparison.resolved}
    items = []
    for finding in analysis.active():
        remedies = [e for e in entries if finding.id in resolves.get(e.id, ())]
        items.append(PlanItem(
            finding,
            tuple(e for e in remedies if e.intervention.status != "dropped"),
            tuple(e for e in remedies if e.intervention.status == "dropped"),
        ))
    return ActionPlan(analysis, today, tuple(items), tuple(e for e in entries if e.overdue), tuple(problems))
