"""Eligibility: coverage gaps and conflicting rules, computed exactly over the attribute domains.

Coverage gaps are exact unless a limit cuts them short, and then the finding
says which limit and its value (in its ``evidence``, in the case's language).
The limits, per goal and for the whole case:

- :data:`GAP_WORK_PER_GOAL` (150,000) and :data:`GAP_WORK_PER_CASE`
  (400,000) box operations of the region algebra (see
  :mod:`kafka_tool.analysis.regions`): the goals are taken in id order, and
  each may spend the smaller of its own limit and an equal share of what the
  case has left (at least :data:`GAP_WORK_FLOOR`, 500, so that every goal is
  looked at). When the work runs out, the regions found by then are listed:
  each is a true gap, but there may be more, and one may reach further; a
  goal whose work ran out before any region was found gets one finding
  without a region (``coverage_gap/<goal>/unknown``) that says so.
- :data:`GAP_REGIONS_PER_GOAL` (1000) and :data:`GAP_REGIONS_PER_CASE`
  (2000) regions listed, shared in the same way (at least one per goal).

Together they keep the analysis of any case under 100 KB within seconds and a
few hundred megabytes, however its rules cut the attribute space.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..findings import Finding
from ..model import Condition
from .context import Context
from .fixpoint import Fixpoint, Kernel, Terms
from .graph import CaseIndex
from .personas import supporting_touchpoints
from .reach_regions import ReachRegions, minimal_rule_conflict
from .regions import RegionSet, WorkBudget, WorkLimitExceeded, describe_region, meets, minimal_conflict, region_slug
from .wording import Said, Speaker

__all__ = [
    "GAP_REGIONS_PER_CASE",
    "GAP_REGIONS_PER_GOAL",
    "GAP_WORK_FLOOR",
    "GAP_WORK_PER_CASE",
    "GAP_WORK_PER_GOAL",
    "find_coverage_gaps",
    "find_conflicting_rules",
    "region_as_when",
    "say_conflicting_rules",
    "say_coverage_gap",
]

#: Box operations the coverage gaps of one goal may take.
GAP_WORK_PER_GOAL = 150_000
#: Box operations the coverage gaps of a whole case may take (shared by its goals).
GAP_WORK_PER_CASE = 400_000
#: Box operations every goal may take, however little the case has left.
GAP_WORK_FLOOR = 500
#: Gap regions listed for one goal.
GAP_REGIONS_PER_GOAL = 1000
#: Gap regions listed for a whole case (shared by its goals; at least one each).
GAP_REGIONS_PER_CASE = 2000


def region_as_when(region: dict[str, Any]) -> dict[str, bool | Condition]:
    """A region (JSON, ``when`` vocabulary) as a ``when`` mapping of models."""
    return {
        name: value if isinstance(value, bool) else Condition.model_validate(value)
        for name, value in region.items()
    }


def _goals(ctx: Context) -> list[str]:
    return sorted({g for view in ctx.views.values() for g in view.goals_reachable})


def _cap_evidence(say: Speaker, cap: tuple[str, int], shown: int) -> str:
    """Which limit cut the gaps of a goal, and its value, in the case's language."""
    kind, limit = cap
    if kind == "regions":
        if limit < GAP_REGIONS_PER_GOAL:
            return say.say("(only the first {shown} gap regions are listed, this goal's share of the {limit} listed "
                           "for the whole case; there are more)", shown=say.count(shown),
                           limit=say.count(GAP_REGIONS_PER_CASE))
        return say.say("(only the first {shown} gap regions are listed, the most listed per goal; there are more)",
                       shown=say.count(shown))
    if limit < GAP_WORK_PER_GOAL:
        return say.say("(the search for gaps stopped after {limit} box operations, this goal's share of the work "
                       "limit of {case_limit} for the whole case: more gap regions may exist, and a region shown "
                       "may reach further)", limit=say.count(limit), case_limit=say.count(GAP_WORK_PER_CASE))
    return say.say("(the search for gaps stopped at its work limit of {limit} box operations per goal: "
                   "more gap regions may exist, and a region shown may reach further)", limit=say.count(limit))


def find_coverage_gaps(ctx: Context) -> list[Finding]:
    """``coverage_gap``: for a goal document, a region of the attribute space outside its reach region.

    The reach region (:mod:`.reach_regions`) is where a citizen can obtain the goal over the
    whole way: through the producers of the goal and every desk upstream of them, each with
    its rules, its outcomes and its conditional items, starting with every document nobody
    issues. The gap is the declared attribute space less that region, exact over integer,
    number, category and boolean domains, as disjoint maximal regions; ``nodes`` name the
    rules on the way that keep part of a region out, and the desks they sit on. A goal
    that nobody can obtain anywhere is left to ``unreachable_goal``. Within the limits of
    the module docstring; a finding cut by one says so in its evidence.
    """
    index = ctx.index
    attributes = index.case.attributes
    reach = ReachRegions(index)
    goals = _goals(ctx)
    findings = []
    work_left, regions_left = GAP_WORK_PER_CASE, GAP_REGIONS_PER_CASE
    for position, goal in enumerate(goals):
        # An equal share of what is left, so that a goal late in the order still gets its turn.
        to_go = len(goals) - position
        budget = WorkBudget(min(GAP_WORK_PER_GOAL, max(work_left // to_go, GAP_WORK_FLOOR)))
        max_regions = min(GAP_REGIONS_PER_GOAL, max(regions_left // to_go, 1))
        caps: list[tuple[str, int]] = []
        gap: RegionSet | None = None
        regions: list[dict[str, Any]] = []
        try:
            parts = [p for p in reach.parts(goal, budget) if not p.is_empty()]
        except WorkLimitExceeded as exc:
            parts, caps = None, [("work", exc.limit)]  # the reach region is not known: no region is shown
        if parts is not None:
            if not parts:
                work_left = max(0, work_left - budget.used)
                continue  # nobody gets it anywhere: unreachable_goal says so
            try:
                gap = reach.space.outside(parts)
                regions = gap.regions()
            except WorkLimitExceeded as exc:
                caps.append(("work", exc.limit))
                regions = exc.partial  # the reach region is known: what the complement found is a true gap
        if len(regions) > max_regions:
            regions = regions[:max_regions]
            caps.append(("regions", max_regions))
        facts = {"goal": goal, "caps": caps, "shown": len(regions)}
        if not regions:
            if caps:
                # The work ran out before a first region was found: say so rather than nothing.
                producers = [t for t in index.producers.get(goal, []) if index.touchpoints[t].actor]
                rules = [r for t in producers for r in index.touchpoints[t].rules if r in index.rules]
                findings.append(
                    ctx.finding("coverage_gap", [goal, "unknown"], nodes=[goal, *producers, *rules],
                                actors=ctx.owners(producers, rules), rules=rules, facts=facts))
            work_left = max(0, work_left - budget.used)
            continue
        # Naming the rules that cut the regions has a small budget of its own (the gap's may be
        # spent); most rules are checked part by part and spend nothing.
        reach.space.budget = WorkBudget(GAP_WORK_FLOOR * 10)
        try:
            if gap is None or len(regions) < len(gap):
                gap = reach.space.from_regions(regions)
            cutting = reach.cutting_rules(gap, goal)
            deciding = reach.cutting_outcomes(gap, goal)
            asking = reach.cutting_items(gap, goal)
            per_region = len(regions) <= _NAMED_PER_REGION
        except WorkLimitExceeded:
            # Every rule, outcome and item asked of some on the way may be a wall of these regions.
            cutting, deciding, per_region = reach.rules_on_the_way(goal), reach.outcomes_on_the_way(goal), False
            asking = reach.items_on_the_way(goal)
        wanted = set(cutting)
        desks = [t for t in reach.way(goal).touchpoints if wanted & set(index.touchpoints[t].rules)]
        for region in regions:
            rules, outcomes, items = cutting, deciding, asking
            if per_region:
                try:
                    box = reach.space.from_regions([region])
                    rules = [r for r in cutting if not reach.within_rule(box, r)]
                    outcomes = reach.cutting_outcomes(box, goal, deciding) if deciding else []
                    items = reach.cutting_items(box, goal, asking) if asking else []
                except WorkLimitExceeded:
                    per_region = False
            touchpoints = [t for t in desks if set(index.touchpoints[t].rules) & set(rules)]
            touchpoints += [t for t in outcomes if t not in touchpoints]
            # An item asked of some: its desk, and the rule that makes it asked (when it names one).
            touchpoints += [t for t in dict.fromkeys(req.touchpoint for req in items) if t not in touchpoints]
            rules = [*rules, *(r for r in dict.fromkeys(req.rule for req in items if req.rule in index.rules)
                               if r not in rules)]
            condition = region_as_when(region)
            personas = [
                pid for pid, view in ctx.views.items()
                if goal in view.goals_reachable and meets(attributes, condition, view.persona.attributes)
            ]
            findings.append(
                ctx.finding(
                    "coverage_gap",
                    [goal, region_slug(region)],
                    nodes=[goal, *touchpoints, *rules],
                    personas=personas,
                    actors=ctx.owners(touchpoints, rules),
                    rules=rules,
                    region=region,
                    facts=facts,
                )
            )
        work_left = max(0, work_left - budget.used)
        regions_left = max(0, regions_left - len(regions))
    return findings


#: Up to this many regions of one goal, each names only the rules that cut it; above, every
#: region of the goal names the rules that cut any of them.
_NAMED_PER_REGION = 200


def say_coverage_gap(finding: Finding, say: Speaker) -> Said:
    """The words of a ``coverage_gap``."""
    facts = finding.facts
    goal = say.name(facts["goal"])
    evidence = [_cap_evidence(say, cap, facts["shown"]) for cap in facts["caps"]]
    owners = say.names(finding.actors)
    if finding.region is None:
        return (say.say("Coverage of {goal} not worked out", goal=goal),
                say.say("The search for people whom no desk that issues {goal} serves stopped at its work limit "
                        "before it found any: there may be gaps. Who could close one: {owners}.",
                        goal=goal, owners=owners),
                evidence)
    region = describe_region(say.index.case.attributes, finding.region, say.words)
    affected = say.say("This is the case for {personas}. ", personas=say.names(finding.personas)) \
        if finding.personas else ""
    producers = set(say.index.producers.get(facts["goal"], ()))
    upstream = [n for n in finding.nodes if n in say.index.touchpoints and n not in producers]
    if upstream:
        # The wall stands further up the way: say where, not only that the goal's desk does not help.
        explanation = say.say_n(
            "People with {region} fall between the cracks: on every way to {goal}, {desks} does not serve them. "
            "{affected}Who could close the gap: {owners}.",
            "People with {region} fall between the cracks: on every way to {goal}, {desks} do not serve them. "
            "{affected}Who could close the gap: {owners}.", len(upstream), region=region, goal=goal,
            desks=say.names(upstream), affected=affected, owners=owners)
    else:
        explanation = say.say(
            "People with {region} fall between the cracks: no desk that issues {goal} serves them. "
            "{affected}Who could close the gap: {owners}.", region=region, goal=goal, affected=affected,
            owners=owners)
    return say.say("Nobody serves {region} for {goal}", region=region, goal=goal), explanation, evidence


def _derivation(index: CaseIndex, fix: Fixpoint, has: Iterable[str], goal: str, terms: Terms) -> set[str]:
    """The touchpoints of one way the fixpoint obtained ``goal``: each document's first producer."""
    held = set(has)
    first: dict[str, tuple[int, str]] = {}
    for position, tp_id in enumerate(fix.usable):
        for doc in terms.produces(index, tp_id):
            if doc not in held:
                first.setdefault(doc, (position, tp_id))
    used: set[str] = set()
    stack = [goal]
    seen = set(stack)
    while stack:
        doc = stack.pop()
        if doc in held or doc not in first:
            continue
        position, tp_id = first[doc]
        if tp_id in used:
            continue
        used.add(tp_id)
        for req in index.requirements[tp_id]:
            if not terms.asks(req):
                continue
            # An alternative held before this touchpoint fired met the item.
            met = next(d for d in req.alternatives if d in held or (d in first and first[d][0] < position))
            if met not in seen:
                seen.add(met)
                stack.append(met)
    return used


def _conflict(index: CaseIndex, rules: list[str]) -> list[str] | None:
    """A minimal set of ``rules`` that can never all hold (None when they can), ``when_any`` included."""
    attributes = index.case.attributes
    if not any(index.rules[r].when_any for r in rules):
        return minimal_conflict(attributes, [(r, index.rules[r].when) for r in rules])
    return minimal_rule_conflict(attributes, [index.rules[r] for r in rules])


def find_conflicting_rules(ctx: Context) -> list[Finding]:
    """``conflicting_rules``: rules that can never hold together.

    Reported for rules on one touchpoint whose ``when`` cannot all hold,
    for rules on the only way to a goal (the touchpoints without which the
    goal cannot be obtained at all) that cannot all hold, and for every
    declared ``conflicts_with``. The rules named are a minimal conflicting
    set.
    """
    index = ctx.index
    found: dict[tuple[str, ...], dict[str, Any]] = {}

    def add(rules: list[str], mode: str, touchpoints: list[str], goal: str | None = None) -> None:
        key = tuple(sorted(set(rules)))
        entry = found.setdefault(key, {"modes": [], "touchpoints": [], "goals": []})
        entry["modes"].append(mode)
        entry["touchpoints"].extend(touchpoints)
        if goal:
            entry["goals"].append(goal)

    for rule in index.case.rules:
        for other in rule.conflicts_with:
            if other in index.rules:
                add([rule.id, other], "declared",
                    [t for t, tp in index.touchpoints.items() if {rule.id, other} & set(tp.rules)])
    for tp_id, tp in index.touchpoints.items():
        named = [r for r in dict.fromkeys(tp.rules) if r in index.rules]
        if len(named) < 2:
            continue
        conflict = _conflict(index, named)
        if conflict:
            add(conflict, "touchpoint", [tp_id])
    # On the only way to a goal, for each persona who cannot reach it (what a persona already
    # holds can make a way short enough to pass only some of the rules).
    with_actor = frozenset(t for t, tp in index.touchpoints.items() if tp.actor)
    # A document nobody issues is a problem of its own (unobtainable_document); here it counts
    # as held, so that it does not hide which desks are the only way to the goal.
    issued = {doc for t in with_actor for doc in index.produced[t]}
    unissued = [doc for doc in index.documents if doc not in issued]
    supporting: dict[str, frozenset[str]] = {}
    stuck = [(goal, view.persona) for view in ctx.views.values()
             for goal, ok in view.goals_reachable.items() if not ok]
    for goal, persona in stuck:
        if goal not in supporting:
            supporting[goal] = with_actor & supporting_touchpoints(index, [goal])
        held = [*persona.has, *unissued]
        terms = ctx.views[persona.id].terms
        support = Kernel(index, supporting[goal])
        local = support.run(held, goals=[goal], terms=terms)
        if goal not in local.obtained or goal in held:
            continue
        # Only a touchpoint of one derivation of the goal can be essential (without it that
        # derivation still works), so test those alone, not every usable touchpoint.
        candidates = _derivation(index, local, held, goal, terms)
        essential_set = {t for t in candidates
                         if goal not in support.run(held, left_out=t, goals=[goal], terms=terms).obtained}
        if len({r for t in essential_set for r in index.touchpoints[t].rules if r in index.rules}) < 2:
            continue
        # The rules are named in the order the touchpoints are used on the way to the goal.
        essential = [t for t in local.usable if t in essential_set]
        named = list(dict.fromkeys(r for t in essential for r in index.touchpoints[t].rules if r in index.rules))
        conflict = _conflict(index, named)
        if conflict:
            add(conflict, "goal", [t for t in essential if set(index.touchpoints[t].rules) & set(conflict)], goal)
    findings = []
    for rules, entry in sorted(found.items()):
        touchpoints = list(dict.fromkeys(entry["touchpoints"]))
        modes = entry["modes"]
        mode = "touchpoint" if "touchpoint" in modes else "goal" if "goal" in modes else "declared"
        findings.append(
            ctx.finding(
                "conflicting_rules",
                ["+".join(rules)],
                nodes=[*rules, *touchpoints, *entry["goals"]],
                personas=ctx.affected(touchpoints),
                actors=ctx.owners(touchpoints, rules),
                rules=rules,
                facts={"mode": mode, "touchpoints": touchpoints, "goals": entry["goals"]},
            )
        )
    return findings


def say_conflicting_rules(finding: Finding, say: Speaker) -> Said:
    """The words of a ``conflicting_rules`` finding."""
    facts = finding.facts
    rules, owners = say.names(finding.rules), say.names(finding.actors)
    if facts["mode"] == "touchpoint":
        explanation = say.say("At {touchpoint} the rules {rules} can never all be met at the same time, "
                              "so nobody can be helped there. Who could change it: {owners}.",
                              touchpoint=say.names(facts["touchpoints"]), rules=rules, owners=owners)
    elif facts["mode"] == "goal":
        explanation = say.say("On the only way to {goal} the rules {rules} can never all be met, so nobody gets "
                              "{goal}. Who could change it: {owners}.", goal=say.names(facts["goals"]), rules=rules,
                              owners=owners)
    else:
        explanation = say.say("The rules {rules} are known to contradict each other. Who could change it: {owners}.",
                              rules=rules, owners=owners)
    return say.say("Rules that contradict each other: {rules}", rules=rules), explanation, []
