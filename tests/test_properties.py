"""Property tests of the analysis against brute-force oracles on small random cases.

The cases are small (at most six documents and six touchpoints) so that the
oracles can afford to be naive: scan every touchpoint until nothing changes,
try every subset of documents, enumerate every simple cycle.
"""

from __future__ import annotations

from itertools import chain, combinations
from typing import Any

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kafka_tool.analysis.cycles import content_key, referral_tangles
from kafka_tool.analysis.engine import analyze
from kafka_tool.analysis.fixpoint import Kernel, closure, touchpoints_behind
from kafka_tool.analysis.graph import CaseIndex
from kafka_tool.analysis.personas import eligibility, persona_view, supporting_touchpoints
from kafka_tool.loader import validate_data
from kafka_tool.model import Case, Persona, Touchpoint, requirement_alternatives
from kafka_tool.report import findings_json, to_json_text
from tests.profiles import examples

SETTINGS = settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------- random small cases


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """A valid case: up to 6 documents and 6 touchpoints, any_of groups, referrals, rules on a flag, fetched papers."""
    n_docs = draw(st.integers(1, 6))
    docs = [f"d{i}" for i in range(n_docs)]
    n_tps = draw(st.integers(0, 6))
    tps = [f"t{i}" for i in range(n_tps)]
    doc_sets = st.lists(st.sampled_from(docs), max_size=3, unique=True)
    item = st.one_of(
        st.sampled_from(docs),
        st.builds(lambda alts: {"any_of": alts}, st.lists(st.sampled_from(docs), min_size=1, max_size=3)),
    )
    touchpoints = []
    for ident in tps:
        entry: dict[str, Any] = {
            "id": ident,
            "name": ident,
            "requires": draw(st.lists(item, max_size=3)),
            "produces": draw(doc_sets),
            "refers_to": draw(st.lists(st.sampled_from(tps), max_size=2, unique=True)),
        }
        actor = draw(st.sampled_from([None, "a0", "a0", "a1", "a1", "a2"]))
        if actor is not None:
            entry["actor"] = actor
        rules = draw(st.lists(st.sampled_from(["yes", "no", "any"]), max_size=2, unique=True))
        if rules:
            entry["rules"] = rules
        days = draw(st.none() | st.integers(0, 9))
        if days is not None:
            entry["days"] = days
        plain = list(dict.fromkeys(i for i in entry["requires"] if isinstance(i, str)))
        if plain and draw(st.booleans()):  # the actor fetches some of the papers itself
            entry["fetches"] = draw(st.lists(st.sampled_from(plain), min_size=1, unique=True))
        touchpoints.append(entry)
    personas = [
        {
            "id": f"p{i}",
            "name": f"P{i}",
            "attributes": {"flag": draw(st.booleans())},
            "has": draw(st.lists(st.sampled_from(docs), max_size=2, unique=True)),
            "goals": draw(st.lists(st.sampled_from(docs), min_size=1, max_size=3, unique=True)),
        }
        for i in range(draw(st.integers(1, 3)))
    ]
    data = {
        "format": "kafka-case/1",
        "id": "random",
        "title": "Random",
        "attributes": {"flag": {"type": "boolean"}},
        "actors": [{"id": a, "name": a.upper()} for a in ("a0", "a1", "a2")],
        "documents": [{"id": d, "name": d.upper()} for d in docs],
        "rules": [
            {"id": "yes", "name": "Yes", "owner": "a0", "when": {"flag": True}},
            {"id": "no", "name": "No", "owner": "a1", "when": {"flag": False}},
            {"id": "any", "name": "Any"},
        ],
        "touchpoints": touchpoints,
        "personas": personas,
    }
    case, issues = validate_data(data)
    assert not issues, issues
    assert case is not None
    return case


# ---------------------------------------------------------------- naive oracles


def allowed(case: Case, tp: Touchpoint, persona: Persona) -> bool:
    """Actor present and every rule's `when` met (the rules here only look at `flag`)."""
    if tp.actor is None:
        return False
    flag = persona.attributes["flag"]
    return all(r == "any" or (r == "yes") == flag for r in tp.rules)


def met(tp: Touchpoint, held: set[str] | frozenset[str]) -> bool:
    return all(set(requirement_alternatives(item)) & held for item in tp.requires)


def naive_obtainable(case: Case, persona: Persona, without: frozenset[str] = frozenset()) -> set[str]:
    held = set(persona.has)
    changed = True
    while changed:
        changed = False
        for tp in case.touchpoints:
            if tp.id in without or not allowed(case, tp, persona) or not met(tp, held):
                continue
            if not set(tp.produces) <= held:
                held |= set(tp.produces)
                changed = True
    return held


def least_closed_superset(case: Case, persona: Persona) -> set[str]:
    """The intersection of every closed set of documents that contains `has` (exhaustive)."""
    docs = [d.id for d in case.documents]
    has = set(persona.has)
    result: set[str] | None = None
    for subset in chain.from_iterable(combinations(docs, k) for k in range(len(docs) + 1)):
        held = set(subset)
        if not has <= held:
            continue
        closed = all(
            set(tp.produces) <= held for tp in case.touchpoints if allowed(case, tp, persona) and met(tp, held)
        )
        if closed:
            result = held if result is None else result & held
    assert result is not None  # the set of every document is closed
    return result


def naive_relevant(case: Case, persona: Persona) -> set[str]:
    relevant = {tp.id for tp in case.touchpoints if set(tp.produces) & set(persona.goals)}
    changed = True
    while changed:
        changed = False
        for tp in case.touchpoints:
            if tp.id in relevant:
                continue
            for other in case.touchpoints:
                if other.id not in relevant:
                    continue
                needed = {d for item in other.requires for d in requirement_alternatives(item)}
                if needed & set(tp.produces) or tp.id in other.refers_to:
                    relevant.add(tp.id)
                    changed = True
                    break
    return relevant


def referral_digraph(case: Case) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(tp.id for tp in case.touchpoints)
    graph.add_edges_from((tp.id, target) for tp in case.touchpoints for target in tp.refers_to)
    return graph


# ---------------------------------------------------------------- the fixpoint


@SETTINGS
@given(cases())
def test_fixpoint_equals_naive_iteration_and_exhaustive_search(case: Case) -> None:
    index = CaseIndex.build(case)
    for persona in case.personas:
        view = persona_view(index, persona)
        naive = naive_obtainable(case, persona)
        assert set(view.obtainable) == naive
        assert naive == least_closed_superset(case, persona)
        helpful = {tp.id for tp in case.touchpoints if allowed(case, tp, persona) and met(tp, naive)}
        assert set(view.helpful) == helpful
        assert view.goals_reachable == {g: g in naive for g in dict.fromkeys(persona.goals)}
        assert set(view.relevant) == naive_relevant(case, persona)


@SETTINGS
@given(cases(), st.booleans())
def test_the_touchpoints_behind_some_documents_are_those_the_ordered_walk_reaches(case: Case,
                                                                                   referrals: bool) -> None:
    index = CaseIndex.build(case)
    for documents in ([*p.goals] for p in case.personas):
        walked = closure(index, documents, referrals=referrals).touchpoints
        assert touchpoints_behind(index, documents, referrals=referrals) == frozenset(walked)
        assert len(walked) == len(set(walked))


@SETTINGS
@given(cases())
def test_every_obtainable_document_has_a_derivation(case: Case) -> None:
    index = CaseIndex.build(case)
    for persona in case.personas:
        view = persona_view(index, persona)
        held = set(persona.has)
        for tp_id in view.usable_order:
            tp = index.touchpoints[tp_id]
            assert allowed(case, tp, persona)
            assert met(tp, held), (tp_id, held)
            held |= set(tp.produces)
        assert held == set(view.obtainable)
        assert len(view.usable_order) == len(set(view.usable_order))


@SETTINGS
@given(cases(), st.data())
def test_goal_fixpoint_without_a_touchpoint_equals_naive_iteration(case: Case, data: st.DataObject) -> None:
    """What single points of failure and conflicting rules rely on: leaving one touchpoint out,
    over the whole case and over the touchpoints that support one goal."""
    index = CaseIndex.build(case)
    tps = [tp.id for tp in case.touchpoints]
    left_out = data.draw(st.sampled_from(tps)) if tps else None
    naive_without = frozenset({left_out}) if left_out else frozenset()
    documents = [d.id for d in case.documents]
    for persona in case.personas:
        eligible, _ = eligibility(index, persona)
        naive = naive_obtainable(case, persona, naive_without)
        whole = Kernel(index, eligible).run(persona.has, left_out=left_out, goals=documents)
        assert set(whole.obtained) == naive
        # The case's own tables, told what is eligible, agree with tables of the eligible alone.
        assert set(Kernel(index).run(persona.has, eligible, left_out=left_out).obtained) == naive
        for goal in documents:
            support = eligible & supporting_touchpoints(index, [goal])
            local = Kernel(index, support).run(persona.has, left_out=left_out, goals=[goal])
            assert (goal in local.obtained) == (goal in naive), goal


# ---------------------------------------------------------------- referral loops


@SETTINGS
@given(cases())
def test_referral_loops_are_exactly_the_touchpoints_on_cycles(case: Case) -> None:
    graph = referral_digraph(case)
    cycles = list(nx.simple_cycles(graph))
    on_cycles = {node for cycle in cycles for node in cycle}
    tangles = referral_tangles(CaseIndex.build(case))
    assert {m for t in tangles for m in t.members} == on_cycles
    for tangle in tangles:
        assert tangle.cycles
        for cycle in tangle.cycles:
            assert len(set(cycle)) == len(cycle)
            assert set(cycle) <= set(tangle.members)
            for i, node in enumerate(cycle):
                assert graph.has_edge(node, cycle[(i + 1) % len(cycle)]), (cycle, node)
    analysis = analyze(case)
    loops = [f for f in analysis.findings if f.kind == "referral_loop"]
    assert {n for f in loops for n in f.nodes} == on_cycles
    assert {f.id for f in loops} == {f"referral_loop/{content_key(t.members)}" for t in tangles}
    for finding in loops:
        members = set(finding.nodes)
        relevant = [p for p in case.personas if members & naive_relevant(case, p)]
        stuck = [
            p.id
            for p in relevant
            if not any(
                allowed(case, tp, p) and met(tp, naive_obtainable(case, p))
                for tp in case.touchpoints
                if tp.id in members
            )
        ]
        assert finding.severity == ("critical" if stuck else "high")
        # Everyone who can end up on the loop is named; those it cannot help are the stuck.
        assert list(finding.personas) == [p.id for p in relevant]
        assert list(finding.facts["stuck"]) == stuck


@SETTINGS
@given(cases())
def test_dead_ends_lead_nowhere_helpful_and_not_only_into_a_loop(case: Case) -> None:
    graph = referral_digraph(case)
    stops = {node for node in graph if graph.out_degree(node) == 0}
    analysis = analyze(case)
    dead = {f.id: set(f.personas) for f in analysis.findings if f.kind == "dead_end"}
    for persona in case.personas:
        obtainable = naive_obtainable(case, persona)
        helpful = {tp.id for tp in case.touchpoints if allowed(case, tp, persona) and met(tp, obtainable)}
        for tp_id in naive_relevant(case, persona):
            onward = nx.descendants(graph, tp_id) | {tp_id}
            # A dead end when no path helps and some path stops; when every path goes round in
            # circles, it is a referral loop instead.
            expected = not (onward & helpful) and bool(onward & stops)
            assert (persona.id in dead.get(f"dead_end/{tp_id}", set())) == expected, (tp_id, persona.id)


# ---------------------------------------------------------------- plans and single points of failure


@SETTINGS
@given(cases())
def test_executing_the_plan_obtains_every_reachable_goal(case: Case) -> None:
    analysis = analyze(case)
    for persona, result in zip(case.personas, analysis.personas, strict=True):
        held = set(persona.has)
        # A paper the desk's actor fetches itself takes the citizen no step: it need only exist
        # somewhere the persona can obtain it.
        anywhere = naive_obtainable(case, persona)
        for tp_id in result.plan:
            tp = case.touchpoint(tp_id)
            assert tp is not None
            assert allowed(case, tp, persona), tp_id
            asked = [item for item in tp.requires if not (isinstance(item, str) and item in tp.fetches)]
            assert all(set(requirement_alternatives(item)) & held for item in asked), (tp_id, held)
            assert all(doc in anywhere for doc in tp.fetches if doc in tp.requires), (tp_id, anywhere)
            held |= set(tp.produces)
        for goal, reachable in result.goals_reachable.items():
            assert (goal in held) == reachable
        assert len(result.plan) == len(set(result.plan))
        burden = result.burden
        assert burden.steps == len(result.plan)
        assert burden.days == sum(case.touchpoint(t).days or 0 for t in result.plan)  # type: ignore[union-attr]
        assert burden.actors == len({case.touchpoint(t).actor for t in result.plan})  # type: ignore[union-attr]


@SETTINGS
@given(cases())
def test_single_points_of_failure_are_exactly_the_essential_touchpoints(case: Case) -> None:
    analysis = analyze(case)
    found = {f.id: set(f.personas) for f in analysis.findings if f.kind == "single_point_of_failure"}
    for persona in case.personas:
        reachable = naive_obtainable(case, persona)
        goals = [g for g in persona.goals if g in reachable and g not in persona.has]
        for tp in case.touchpoints:
            without = naive_obtainable(case, persona, frozenset([tp.id]))
            essential = any(g not in without for g in goals)
            assert (persona.id in found.get(f"single_point_of_failure/{tp.id}", set())) == essential


@SETTINGS
@given(cases())
def test_unobtainable_documents_are_exactly_the_items_nobody_can_have(case: Case) -> None:
    had = {d for tp in case.touchpoints for d in tp.produces} | {d for p in case.personas for d in p.has}
    expected = {
        f"unobtainable_document/{doc}"
        for tp in case.touchpoints
        for item in tp.requires
        if not set(requirement_alternatives(item)) & had
        for doc in requirement_alternatives(item)
    }
    found = {f.id for f in analyze(case).findings if f.kind == "unobtainable_document"}
    assert found == expected


@SETTINGS
@given(cases())
def test_circular_dependencies_are_real_circles_of_unobtainable_documents(case: Case) -> None:
    analysis = analyze(case)
    for finding in analysis.findings:
        if finding.kind != "circular_dependency":
            continue
        nodes = list(finding.nodes)
        docs = [n for n in nodes if case.document(n) is not None]
        assert docs and finding.personas
        for pid in finding.personas:
            persona = case.persona(pid)
            assert persona is not None
            obtainable = naive_obtainable(case, persona)
            assert not set(persona.goals) <= obtainable
            assert not set(docs) & obtainable
        # the shown cycles run document -> a producer -> a document it requires -> ...
        for node in nodes:
            tp = case.touchpoint(node)
            if tp is not None:
                assert set(tp.produces) & set(docs)
                assert {d for item in tp.requires for d in requirement_alternatives(item)} & set(docs)


# Coverage gaps over the whole way are checked point by point in tests/test_properties_outcomes.py.


# ---------------------------------------------------------------- determinism


@SETTINGS
@given(cases())
def test_analysing_twice_gives_identical_json(case: Case) -> None:
    first = to_json_text(findings_json(analyze(case)))
    again = Case.model_validate(case.to_data())
    assert to_json_text(findings_json(analyze(again))) == first
    ids = [f.id for f in analyze(case).findings]
    assert len(ids) == len(set(ids))


# ---------------------------------------------------------------- the analysis's own digraph


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=30))
def test_digraph_components_and_descendants_agree_with_networkx(edges: list[tuple[int, int]]) -> None:
    from kafka_tool.analysis.digraph import Digraph, descendants, strongly_connected_components

    named = [(f"n{u}", f"n{v}") for u, v in edges]
    ours = Digraph(named)
    ours.add_nodes_from(f"n{i}" for i in range(8))
    theirs = nx.DiGraph(named)
    theirs.add_nodes_from(f"n{i}" for i in range(8))
    assert sorted(sorted(c) for c in strongly_connected_components(ours)) == sorted(
        sorted(c) for c in nx.strongly_connected_components(theirs)
    )
    for node in theirs:
        assert descendants(ours, node) == nx.descendants(theirs, node)
