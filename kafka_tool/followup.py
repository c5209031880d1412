"""The follow-up: two versions of one case compared, as the review checks after about six months.

After a review the team writes into the case what really changed, and sets the status of each
intervention (``agreed`` → ``done``). :func:`compare_versions` analyses the version from before
and the one from the follow-up and matches their findings by id, as
:func:`~kafka_tool.interventions.compare` does for an intervention: a finding only in the old
version went away (``resolved``), one only in the new version is ``introduced``, one in both whose
content differs (fewer personas, another severity) ``changed``, and the rest ``stayed``. Each
persona's goals and burden are given before and after, and the interventions whose status
changed between the files are listed; of those now ``done`` or ``verified``, the findings they
resolve in the old version (by ``compare``) that the new version still has are named: an
intervention marked as done whose problems did not go away.

The JSON is ``kafka-compare/1``, with ``"intervention": null``: what differs between two files is
what the team changed, not an intervention the tool applied. The interventions whose status
changed are in ``"statuses"``, and those done whose findings stayed in ``"still_there"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .analysis.engine import Analysis
from .errors import KafkaToolError
from .findings import Finding
from .interventions import Change, PersonaChange, compare, match_findings, persona_change, persona_state
from .model import Case

__all__ = ["Followup", "StatusChange", "compare_versions"]


@dataclass(frozen=True)
class StatusChange:
    """An intervention whose status differs between the versions (None: not in that version)."""

    id: str
    title: str
    before: str | None
    after: str | None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class Followup:
    """Two versions of a case compared (see the module's docstring)."""

    old: Case
    new: Case
    before: Analysis
    after: Analysis
    #: findings of the old version that went away
    resolved: tuple[Finding, ...]
    #: findings of the new version that the old one did not have
    introduced: tuple[Finding, ...]
    #: findings in both, whose content changed
    changed: tuple[Change, ...]
    #: findings in both, unchanged (as the new version has them)
    stayed: tuple[Finding, ...]
    #: the personas of both versions, before and after
    personas: tuple[PersonaChange, ...]
    #: personas only in the old version, and only in the new one
    only_before: tuple[str, ...]
    only_after: tuple[str, ...]
    statuses: tuple[StatusChange, ...]
    #: interventions that became ``done`` or ``verified``, with the findings they resolve in the old
    #: version that the new version still has: marked as done, but not (yet) what they promised
    still_there: tuple[tuple[StatusChange, tuple[Finding, ...]], ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The ``kafka-compare/1`` object of two versions: ``intervention`` is null; ``statuses`` and
        ``still_there`` added."""
        personas = [p.to_json() for p in self.personas]
        personas += [{"id": p, "before": persona_state(self.before, p), "after": None} for p in self.only_before]
        personas += [{"id": p, "before": None, "after": persona_state(self.after, p)} for p in self.only_after]
        return {
            "format": "kafka-compare/1",
            "case": self.new.id,
            "intervention": None,
            "resolved": [f.to_json() for f in self.resolved],
            "introduced": [f.to_json() for f in self.introduced],
            "changed": [c.to_json() for c in self.changed],
            "personas": personas,
            "statuses": [s.to_json() for s in self.statuses],
            "still_there": [{"id": status.id, "status": status.after, "findings": [f.id for f in standing]}
                            for status, standing in self.still_there],
        }


def compare_versions(before: Analysis, after: Analysis) -> Followup:
    """The old version's analysis (``before``) against the new one's (``after``), findings matched by id."""
    old, new = before.case, after.case
    after_by_id = {f.id: f for f in after.findings}
    matched = match_findings(before, after)
    old_personas = {p.id: p for p in old.personas}
    new_ids = {p.id for p in new.personas}
    personas = tuple(persona_change(before, after, p) for p in new.personas if p.id in old_personas)
    old_items = {i.id: i for i in old.interventions}
    new_items = {i.id: i for i in new.interventions}
    statuses = [StatusChange(i.id, i.title, old_items[i.id].status if i.id in old_items else None, i.status)
                for i in new.interventions if i.id not in old_items or old_items[i.id].status != i.status]
    statuses += [StatusChange(i.id, i.title, i.status, None) for i in old.interventions if i.id not in new_items]
    still_there = []
    for status in statuses:
        if status.after not in ("done", "verified") or status.id not in old_items:
            continue
        try:
            promised = compare(old, [status.id], before).resolved
        except KafkaToolError:  # its changes never fitted the old version: it promised nothing there
            continue
        standing = tuple(after_by_id[f.id] for f in promised if f.id in after_by_id)
        if standing:
            still_there.append((status, standing))
    return Followup(
        old=old,
        new=new,
        before=before,
        after=after,
        resolved=tuple(matched.resolved),
        introduced=tuple(matched.introduced),
        changed=tuple(matched.changed),
        stayed=tuple(matched.stayed),
        personas=personas,
        only_before=tuple(p.id for p in old.personas if p.id not in new_ids),
        only_after=tuple(p.id for p in new.personas if p.id not in old_personas),
        statuses=tuple(statuses),
        still_there=tuple(still_there),
    )
