"""Responsibility and burden: missing owners, repeated requests, expiry traps."""

from __future__ import annotations

from ..findings import Finding
from .context import Context
from .wording import Said, Speaker

__all__ = [
    "find_expiry_traps",
    "find_no_owner",
    "find_repeated_requests",
    "say_expiry_trap",
    "say_no_owner",
    "say_repeated_request",
]


def find_no_owner(ctx: Context) -> list[Finding]:
    """``no_owner``: a touchpoint without an actor, or a rule without an owner."""
    findings = []
    for tp_id, tp in sorted(ctx.index.touchpoints.items()):
        if tp.actor:
            continue
        findings.append(
            ctx.finding(
                "no_owner",
                [tp_id],
                nodes=[tp_id],
                personas=ctx.affected([tp_id]),
                actors=ctx.owners(rules=tp.rules),
                rules=tp.rules,
                facts={"touchpoint": tp_id},
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
        findings.append(
            ctx.finding(
                "no_owner",
                [rule.id],
                nodes=[rule.id, *governed],
                personas=ctx.affected(governed),
                actors=ctx.owners(governed),
                rules=[rule.id],
                facts={"rule": rule.id},
            )
        )
    return findings


def say_no_owner(finding: Finding, say: Speaker) -> Said:
    """The words of a ``no_owner`` finding."""
    affected = say.say("It matters to {personas}.", personas=say.names(finding.personas)) if finding.personas else ""
    if "touchpoint" in finding.facts:
        name = say.name(finding.facts["touchpoint"])
        return (say.say("Nobody is responsible for {name}", name=name),
                say.say("No organisation is responsible for {name}, so nobody can help there and nobody "
                        "can be asked to fix it. {affected}", name=name, affected=affected), [])
    name = say.name(finding.facts["rule"])
    return (say.say("Nobody owns the rule {name}", name=name),
            say.say("The rule {name} has no owner: nobody can be asked to change it. {affected}",
                    name=name, affected=affected), [])


#: Kinds of document that are not papers a citizen hands over, so never a repeated request.
NOT_PAPERS = frozenset({"payment", "service"})


def find_repeated_requests(ctx: Context) -> list[Finding]:
    """``repeated_request``: the same document asked of the citizen by touchpoints of two or more actors.

    The once-only principle ("eenmalige uitvraag"). A requirement the actor
    fetches itself (``fetches``, written by an ``exchange``) is not asked of
    the citizen; nor is a document of kind ``payment`` or ``service``, which
    is not a paper a citizen hands over (a benefit, a care place).
    """
    index = ctx.index
    not_papers = {doc_id for doc_id, doc in index.documents.items() if doc.kind in NOT_PAPERS}
    # document -> actor -> the desks of that actor that ask for it, in case order (keys of a dict)
    asked: dict[str, dict[str, dict[str, None]]] = {}
    touchpoints = index.touchpoints
    for tp_id, requirements in index.requirements.items():
        actor = touchpoints[tp_id].actor
        if not actor or not requirements:
            continue
        fetched = touchpoints[tp_id].fetches
        for req in requirements:
            for doc in req.alternatives:
                if doc in not_papers or (fetched and doc in fetched):
                    continue
                by_actor = asked.get(doc)
                if by_actor is None:
                    asked[doc] = {actor: {tp_id: None}}
                elif actor in by_actor:
                    by_actor[actor][tp_id] = None
                else:
                    by_actor[actor] = {tp_id: None}
    findings = []
    for doc, by_actor in sorted(asked.items()):
        if len(by_actor) < 2:
            continue
        actors = sorted(by_actor)
        desks = [t for a in actors for t in by_actor[a]]
        rules = [req.rule for t in desks for req in index.requirements[t]
                 if req.rule and doc in req.alternatives]
        findings.append(
            ctx.finding(
                "repeated_request",
                [doc],
                nodes=[doc, *desks],
                personas=ctx.affected(desks),
                actors=ctx.owners(desks, rules),
                rules=rules,
                facts={"document": doc, "askers": actors, "touchpoints": desks},
            )
        )
    return findings


def say_repeated_request(finding: Finding, say: Speaker) -> Said:
    """The words of a ``repeated_request``."""
    facts = finding.facts
    doc, touchpoints = say.name(facts["document"]), facts["touchpoints"]
    return (say.say("{doc} is asked for {count} times", doc=doc, count=len(touchpoints)),
            say.say("{actors} each ask the citizen for {doc} ({touchpoints}). Asking once and "
                    "sharing it (once-only) would spare people the repetition. Who could change it: {owners}.",
                    actors=say.names(facts["askers"]), doc=doc, touchpoints=say.names(touchpoints),
                    owners=say.names(finding.actors)), [])


def find_expiry_traps(ctx: Context) -> list[Finding]:
    """``expiry_trap``: a touchpoint takes longer (``days``) than a required document stays valid.

    For an ``any_of`` item, only when every alternative expires first (a
    citizen can bring the one that lasts).
    """
    findings: list[Finding] = []
    # Only documents that expire can make a trap: an item with an alternative that does not is passed over.
    lasting = {doc_id: doc.valid_days for doc_id, doc in ctx.index.documents.items() if doc.valid_days is not None}
    if not lasting:
        return findings
    for tp_id, tp in sorted(ctx.index.touchpoints.items()):
        if tp.days is None:
            continue
        reported: set[str] = set()
        for req in ctx.index.requirements[tp_id]:
            if not req.alternatives or any(doc not in lasting for doc in req.alternatives):
                continue
            validity = [lasting[doc] for doc in req.alternatives]
            if any(tp.days <= v for v in validity):
                continue
            for doc, valid in zip(req.alternatives, validity, strict=True):
                if doc in reported:
                    continue  # one trap per document, however often the touchpoint asks for it
                reported.add(doc)
                findings.append(
                    ctx.finding(
                        "expiry_trap",
                        [tp_id, doc],
                        nodes=[tp_id, doc],
                        personas=ctx.affected([tp_id]),
                        actors=ctx.owners([tp_id], [req.rule] if req.rule else []),
                        rules=[req.rule] if req.rule else [],
                        facts={"touchpoint": tp_id, "document": doc, "days": tp.days, "valid": valid},
                    )
                )
    return findings


def say_expiry_trap(finding: Finding, say: Speaker) -> Said:
    """The words of an ``expiry_trap``."""
    facts = finding.facts
    doc, touchpoint = say.name(facts["document"]), say.name(facts["touchpoint"])
    return (say.say("{doc} expires while waiting at {touchpoint}", doc=doc, touchpoint=touchpoint),
            say.say("{touchpoint} takes {days} days, but {doc} is valid for only {valid} days: "
                    "the proof expires while the citizen waits and must be obtained again. "
                    "Who could change it: {owners}.", touchpoint=touchpoint, days=say.number(facts["days"]),
                    doc=doc, valid=facts["valid"], owners=say.names(finding.actors)), [])
