"""Reconstructed journeys: loops in what actually happened."""

from __future__ import annotations

from ..findings import Finding, Trail
from .context import Context
from .wording import Said, Speaker

__all__ = ["find_journey_loops", "journey_returns", "say_journey_loop"]


def journey_returns(steps: list[tuple[str, str | None]]) -> tuple[list[int], set[str], set[str]]:
    """Where a journey comes back to a touchpoint or actor it already visited.

    ``steps`` are (touchpoint, actor) pairs in order. Staying at the same
    touchpoint for consecutive steps (a follow-up, a pending answer) is not a
    return, nor is moving between desks of the same actor; coming back after
    having been somewhere else is.

    Returns the indexes of the returning steps, the revisited touchpoints
    and the revisited actors.

    Examples
    --------
    >>> journey_returns([("a", "x"), ("b", "y"), ("a", "x")])
    ([2], {'a'}, {'x'})
    >>> journey_returns([("a", "x"), ("a", "x"), ("b", "x")])
    ([], set(), set())
    """
    returns: list[int] = []
    touchpoints: set[str] = set()
    actors: set[str] = set()
    seen_tp: set[str] = set()
    seen_actor: set[str] = set()
    previous: tuple[str, str | None] | None = None
    for i, (tp, actor) in enumerate(steps):
        returned = False
        if previous is not None and tp != previous[0] and tp in seen_tp:
            touchpoints.add(tp)
            returned = True
        if previous is not None and actor is not None and actor != previous[1] and actor in seen_actor:
            actors.add(actor)
            returned = True
        if returned:
            returns.append(i)
        seen_tp.add(tp)
        if actor is not None:
            seen_actor.add(actor)
        previous = (tp, actor)
    return returns, touchpoints, actors


def find_journey_loops(ctx: Context) -> list[Finding]:
    """``journey_loop``: the reconstructed journey returns to a touchpoint or actor it already visited."""
    findings = []
    count: dict[str, int] = {}
    for journey in ctx.index.case.journeys:
        count[journey.persona] = count.get(journey.persona, 0) + 1
        number = count[journey.persona]
        steps = [(s.touchpoint, ctx.index.actor_of(s.touchpoint)) for s in journey.steps]
        returns, touchpoints, actors = journey_returns(steps)
        if not returns:
            continue
        places = [t for t, _ in steps if t in touchpoints] + [a for _, a in steps if a in actors]
        key = [journey.persona] if number == 1 else [journey.persona, str(number)]
        rules = [r for t in sorted(touchpoints) if t in ctx.index.touchpoints for r in ctx.index.touchpoints[t].rules]
        findings.append(
            ctx.finding(
                "journey_loop",
                key,
                nodes=[*dict.fromkeys(t for t, _ in steps), *sorted(actors)],
                personas=[journey.persona],
                actors=sorted({a for _, a in steps if a}),
                rules=rules,
                trails=[Trail(tuple(t for t, _ in steps))],
                facts={"persona": journey.persona, "places": list(dict.fromkeys(places)),
                       "steps": [(s.touchpoint, s.date.isoformat()) for s in journey.steps],
                       "returns": [(journey.steps[i].touchpoint, journey.steps[i].date.isoformat()) for i in returns]},
            )
        )
    return findings


def say_journey_loop(finding: Finding, say: Speaker) -> Said:
    """The words of a ``journey_loop``."""
    facts = finding.facts
    persona = say.name(facts["persona"])
    path = " → ".join(f"{say.name(tp)} ({date})" for tp, date in facts["steps"])
    return (say.say("{persona} went round in circles", persona=persona),
            say.say("In the reconstructed journey {persona} came back to {places} after being sent on: {path}.",
                    persona=persona, places=say.names(facts["places"]), path=path),
            [f"{date}: {say.name(tp)}" for tp, date in facts["returns"]])
