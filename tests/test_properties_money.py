"""The means and benefit cliffs against a brute-force reading: every value of a small integer money attribute.

Random cases with several goals, each with a value (some tapering), behind desks whose rules,
outcomes and requirement items put limits on income. For every income the brute force asks
the analysis which goals the persona reaches with that income, adds up their values by hand,
and so knows the means at every point; the pieces must give the same, and the cliffs must be
exactly the points where one more unit lowers the means.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kafka_tool.analysis.engine import analyze
from kafka_tool.analysis.graph import CaseIndex
from kafka_tool.analysis.personas import goals_reached
from kafka_tool.loader import validate_data
from kafka_tool.model import Case
from tests.profiles import examples

SETTINGS = settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
TOP = 40


@st.composite
def money_cases(draw: st.DrawFn, kind: str = "integer") -> Case:
    limits = st.integers(0, TOP)
    unit = draw(st.sampled_from([1, 1, 2, 0.5]))
    goals = [f"g{i}" for i in range(draw(st.integers(1, 4)))]
    documents: list[dict[str, Any]] = [{"id": "paper", "name": "Paper"}]
    for g in goals:
        value: dict[str, Any] = {"amount": draw(st.sampled_from([5, 10, 30, -8])), "per": draw(
            st.sampled_from(["month", "month", "year"]))}
        if draw(st.booleans()):
            value["taper"] = {"attribute": "income", "from": draw(limits), "rate": draw(st.sampled_from([0.5, 1, 3]))}
        documents.append({"id": g, "name": g.upper(), "value": value})

    def condition() -> dict[str, Any]:
        key = draw(st.sampled_from(["min", "max", "above", "below"]))
        return {"income": {key: draw(st.integers(1, TOP - 1))}}  # a limit inside the domain, so it can hold

    rules = [{"id": f"r{i}", "name": f"R{i}", "owner": "a0", "when": condition()}
             for i in range(draw(st.integers(0, 3)))]
    touchpoints = []
    for t, g in enumerate(goals):
        produces: list[Any] = [g]
        if draw(st.integers(0, 3)) == 0:
            produces = [{"doc": g, "when": condition()}]
        requires: list[Any] = []
        if draw(st.integers(0, 3)) == 0:
            requires = [{"doc": "paper", "when": condition()}]
        touchpoints.append({"id": f"t{t}", "name": f"T{t}", "actor": "a0", "produces": produces, "requires": requires,
                            "rules": draw(st.lists(st.sampled_from([r["id"] for r in rules]), max_size=2, unique=True))
                            if rules else []})
    data = {"format": "kafka-case/1", "id": "money", "title": "Money",
            "attributes": {"income": {"type": kind, "min": 0, "max": TOP,
                                      "money": {"per": "month", "unit_amount": unit}}},
            "actors": [{"id": "a0", "name": "A0"}], "documents": documents, "rules": rules,
            "touchpoints": touchpoints,
            "personas": [{"id": "p", "name": "P", "attributes": {"income": draw(limits)}, "goals": goals}]}
    case, issues = validate_data(data)
    assert not issues, issues
    assert case is not None
    return case


def brute_means(case: Case, step: float = 1) -> list[float]:
    """The means at every income 0..TOP (in steps of ``step``), by asking for the goals reached at each
    and adding their values."""
    index = CaseIndex.build(case)
    persona = case.personas[0]
    spec = case.attributes["income"]
    unit = float(spec.money.unit_amount)  # type: ignore[union-attr]
    docs = {d.id: d for d in case.documents}
    out = []
    for k in range(int(TOP / step) + 1):
        v = k * step
        reached = goals_reached(index, persona.model_copy(update={"attributes": {"income": v}}))
        total = unit * v
        for g in reached:
            value = docs[g].value
            assert value is not None
            per = 1 if value.per == "month" else 1 / 12
            amount = float(value.amount) * per
            if value.taper is not None:
                size = max(0.0, abs(amount) - float(value.taper.rate) * per * max(0, v - float(value.taper.from_)))
                amount = size if amount > 0 else -size
            total += amount
        out.append(total)
    return out


@SETTINGS
@given(money_cases())
def test_the_means_are_those_of_every_value_worked_out_by_hand(case: Case) -> None:
    brute = brute_means(case)
    means = analyze(case).views["p"].means["income"]
    for v, expected in enumerate(brute):
        assert abs(means.means(v) - expected) < 1e-6, (v, means.means(v), expected)


@SETTINGS
@given(money_cases())
def test_every_fall_lies_in_a_cliff_and_every_cliff_starts_where_the_means_fall(case: Case) -> None:
    brute = brute_means(case)
    falls = {v for v in range(TOP) if brute[v + 1] < brute[v] - 1e-9}
    cliffs = [f for f in analyze(case).findings if f.kind == "benefit_cliff"]
    edges = {f.facts["edge"] for f in cliffs}
    # A cliff's edge is a value where one more unit lowers the means ...
    assert edges <= falls, (sorted(edges), sorted(falls))
    # ... every run of falls starts at one ...
    assert {v for v in falls if v - 1 not in falls} <= edges
    for f in cliffs:
        edge = f.facts["edge"]
        # ... and its region is the stretch above the edge where the means stay below those at the edge.
        worse = []
        for v in range(edge + 1, TOP + 1):
            if brute[v] >= brute[edge] - 1e-9:
                break
            worse.append(v)
        recover = edge + 1 + len(worse)
        assert f.facts["recover"] == (recover if recover <= TOP else None), (f.facts, brute)
        assert f.region == {"income": {"min": edge + 1, "max": worse[-1] if worse else edge + 1}}, (f.region, worse)
    # Every fall is inside some cliff's region or at its edge.
    covered = {v for f in cliffs for v in range(f.facts["edge"], (f.facts["recover"] or TOP + 1))}
    assert falls <= covered


@SETTINGS
@given(money_cases(kind="number"))
def test_for_a_number_attribute_the_means_are_exact_at_and_between_the_limits(case: Case) -> None:
    # Limits and taper points are whole numbers: halves lie between them, wholes on them.
    brute = brute_means(case, step=0.5)
    means = analyze(case).views["p"].means["income"]
    for k, expected in enumerate(brute):
        assert abs(means.means(k * 0.5) - expected) < 1e-6, (k * 0.5, means.means(k * 0.5), expected)
