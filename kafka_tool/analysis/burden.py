"""Responsibility and burden: missing owners, repeated requests, expiry traps."""

from __future__ import annotations

from ..findings import Finding
from .context import Context

__all__ = ["find_no_owner", "find_repeated_requests", "find_expiry_traps"]


def find_no_owner(ctx: Context) -> list[Finding]:
    """``no_owner``: a touchpoint without an actor, or a rule without an owner."""
    findings = []
    for tp_id, tp in sorted(ctx.index.touchpoints.items()):
        if tp.actor:
            continue
        personas = ctx.affected([tp_id])
        affected = ctx.say("no_owner.affected", personas=ctx.persona_names(personas)) if personas else ""
        owners = ctx.owners(rules=tp.rules)
        findings.append(
            ctx.finding(
                "no_owner",
                [tp_id],
                title=ctx.say("no_owner.title.touchpoint", name=tp.name),
                explanation=ctx.say("no_owner.explanation.touchpoint", name=tp.name, affected=affected),
                nodes=[tp_id],
                personas=personas,
                actors=owners,
                rules=tp.rules,
            )
        )
    unowned = {rule.id for rule in ctx.index.case.rules if not rule.owner}
    # Everything each unowned rule governs, in one pass: touchpoints it governs, then
    # touchpoints that ask for a document under it.
    governs: dict[str, list[str]] = {rule_id: [] for rule_id in unowned}
    if unowned:
        for t, tp in ctx.index.touchpoints.items():
            for rule_id in tp.rules:
                if rule_id in unowned:
                    governs[rule_id].append(t)
        for reqs in ctx.index.requirements.values():
            for req in reqs:
                if req.rule in unowned:
                    governs[req.rule].append(req.touchpoint)
    for rule in sorted(ctx.index.case.rules, key=lambda r: r.id):
        if rule.owner:
            continue
        governed = governs[rule.id]
        governed = list(dict.fromkeys(governed))
        personas = ctx.affected(governed)
        affected = ctx.say("no_owner.affected", personas=ctx.persona_names(personas)) if personas else ""
        findings.append(
            ctx.finding(
                "no_owner",
                [rule.id],
                title=ctx.say("no_owner.title.rule", name=rule.name),
                explanation=ctx.say("no_owner.explanation.rule", name=rule.name, affected=affected),
                nodes=[rule.id, *governed],
                personas=personas,
                actors=ctx.owners(governed),
                rules=[rule.id],
            )
        )
    return findings


def find_repeated_requests(ctx: Context) -> list[Finding]:
    """``repeated_request``: the same document asked of the citizen by touchpoints of two or more actors.

    The once-only principle ("eenmalige uitvraag"). A requirement the actor
    fetches itself (``fetches``, written by an ``exchange``) is not asked of
    the citizen.
    """
    asked: dict[str, dict[str, list[str]]] = {}
    for tp_id, requirements in ctx.index.requirements.items():
        actor = ctx.index.actor_of(tp_id)
        if not actor:
            continue
        fetched = set(ctx.index.touchpoints[tp_id].fetches)
        for req in requirements:
            for doc in req.alternatives:
                if doc in fetched:
                    continue
                asked.setdefault(doc, {}).setdefault(actor, [])
                if tp_id not in asked[doc][actor]:
                    asked[doc][actor].append(tp_id)
    findings = []
    for doc, by_actor in sorted(asked.items()):
        if len(by_actor) < 2:
            continue
        actors = sorted(by_actor)
        touchpoints = [t for a in actors for t in by_actor[a]]
        rules = [req.rule for t in touchpoints for req in ctx.index.requirements[t]
                 if req.rule and doc in req.alternatives]
        owners = ctx.owners(touchpoints, rules)
        findings.append(
            ctx.finding(
                "repeated_request",
                [doc],
                title=ctx.say("repeated_request.title", doc=ctx.index.name(doc), count=len(touchpoints)),
                explanation=ctx.say("repeated_request.explanation", actors=ctx.names(actors),
                                    doc=ctx.index.name(doc), touchpoints=ctx.names(touchpoints),
                                    owners=ctx.names(owners)),
                nodes=[doc, *touchpoints],
                personas=ctx.affected(touchpoints),
                actors=owners,
                rules=rules,
            )
        )
    return findings


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def find_expiry_traps(ctx: Context) -> list[Finding]:
    """``expiry_trap``: a touchpoint takes longer (``days``) than a required document stays valid.

    For an ``any_of`` item, only when every alternative expires first (a
    citizen can bring the one that lasts).
    """
    findings = []
    for tp_id, tp in sorted(ctx.index.touchpoints.items()):
        if tp.days is None:
            continue
        reported: set[str] = set()
        for req in ctx.index.requirements[tp_id]:
            validity = []
            for doc in req.alternatives:
                document = ctx.index.documents.get(doc)
                validity.append(document.valid_days if document is not None else None)
            if not validity or any(v is None or tp.days <= v for v in validity):
                continue
            for doc, valid in zip(req.alternatives, validity, strict=True):
                if doc in reported:
                    continue  # one trap per document, however often the touchpoint asks for it
                reported.add(doc)
                owners = ctx.owners([tp_id], [req.rule] if req.rule else [])
                findings.append(
                    ctx.finding(
                        "expiry_trap",
                        [tp_id, doc],
                        title=ctx.say("expiry_trap.title", doc=ctx.index.name(doc), touchpoint=tp.name),
                        explanation=ctx.say("expiry_trap.explanation", touchpoint=tp.name,
                                            days=_fmt(tp.days), doc=ctx.index.name(doc),
                                            valid=valid, owners=ctx.names(owners)),
                        nodes=[tp_id, doc],
                        personas=ctx.affected([tp_id]),
                        actors=owners,
                        rules=[req.rule] if req.rule else [],
                    )
                )
    return findings
