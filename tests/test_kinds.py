"""The table of finding kinds, and the tests each kind must have.

Every kind needs cases that have it and near misses that look alike but must not: the
finding tests mark them ``@pytest.mark.finds(kind)`` and ``@pytest.mark.near_miss(kind)``,
and this test checks that no kind goes without either.
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from pathlib import Path

from kafka_tool.analysis.kinds import KINDS, finding_kind, kind_names, root_cause_kinds, severity_of
from kafka_tool.findings import SEVERITIES

HERE = Path(__file__).resolve().parent


def _marked() -> dict[str, dict[str, list[str]]]:
    """For ``finds`` and ``near_miss``: kind -> the tests marked with it."""
    found: dict[str, dict[str, list[str]]] = {"finds": defaultdict(list), "near_miss": defaultdict(list)}
    for path in sorted(HERE.glob("test_findings_*.py")):
        module = importlib.import_module(f"tests.{path.stem}")
        for name, function in vars(module).items():
            if not name.startswith("test_"):
                continue
            for mark in getattr(function, "pytestmark", []):
                if mark.name in found:
                    for kind in mark.args:
                        found[mark.name][kind].append(f"{path.stem}.{name}")
    return found


def test_every_kind_has_cases_that_have_it_and_near_misses() -> None:
    marked = _marked()
    for how in ("finds", "near_miss"):
        unknown = set(marked[how]) - set(kind_names())
        assert not unknown, f"@{how} names kinds that do not exist: {sorted(unknown)}"
        missing = [k for k in kind_names() if not marked[how].get(k)]
        assert not missing, f"kinds without a test marked @pytest.mark.{how}: {missing}"


def test_the_table_of_kinds() -> None:
    """The kinds, their usual severities, and those that can block a goal."""
    assert {kind.name: kind.severity for kind in KINDS} == {
        "circular_dependency": "critical",
        "referral_loop": "high",
        "dead_end": "critical",
        "unobtainable_document": "critical",
        "unreachable_goal": "critical",
        "coverage_gap": "critical",
        "futile_referral": "high",
        "conflicting_rules": "high",
        "no_owner": "high",
        "repeated_request": "medium",
        "single_point_of_failure": "medium",
        "expiry_trap": "high",
        "journey_loop": "high",
        "missed_deadline": "critical",
        "window_trap": "critical",
        "transition_gap": "critical",
        "benefit_cliff": "high",
    }
    assert set(root_cause_kinds()) == {"circular_dependency", "unobtainable_document", "coverage_gap",
                                       "conflicting_rules", "no_owner", "dead_end", "window_trap"}
    assert all(kind.severity in SEVERITIES for kind in KINDS)
    assert severity_of("dead_end") == "critical" and finding_kind("dead_end").root_cause
    # The kinds that read the others' findings run last.
    assert [k.name for k in KINDS if k.after] == ["unreachable_goal"]
    assert len(set(kind_names())) == len(KINDS)


def test_a_finding_made_by_the_context_is_the_finding_its_own_init_makes() -> None:
    """``Context.finding`` fills the fields without the dataclass's __init__; nothing may differ."""
    from dataclasses import fields, replace

    from kafka_tool.analysis.context import Context
    from kafka_tool.findings import Finding, Trail

    made = Context(None, {}).finding(  # type: ignore[arg-type]
        "dead_end", ["desk one", "b"], nodes=["a", "b", "a"], personas=("p",), actors=[], rules=["r", "r"],
        region={"age": {"min": 18}}, causes=["c"], trails=[Trail(("a", "b"))], facts={"touchpoint": "a"})
    expected = Finding(id="dead_end/desk-one/b", kind="dead_end", severity=severity_of("dead_end"), title="",
                       explanation="", nodes=("a", "b"), personas=("p",), actors=(), rules=("r",),
                       region={"age": {"min": 18}}, causes=("c",), trails=(Trail(("a", "b")),),
                       facts={"touchpoint": "a"})
    assert {f.name: getattr(made, f.name) for f in fields(Finding)} == {
        f.name: getattr(expected, f.name) for f in fields(Finding)}
    assert made == expected
    assert replace(made, title="T").title == "T"


def test_findings_share_their_lists_of_people_and_owners_once_each() -> None:
    from kafka_tool.analysis.context import Context

    ctx = Context(None, {})  # type: ignore[arg-type]
    people = ("p", "q")
    one = ctx.finding("dead_end", ["a"], personas=people, actors=["x", "x"], rules=("r", "r"))
    two = ctx.finding("dead_end", ["b"], personas=["p", "q", "p"], actors=("x",), rules=["r"])
    assert one.personas == two.personas == ("p", "q") and one.personas is two.personas
    assert one.actors == ("x",) and one.actors is two.actors
    assert one.rules == ("r",) and one.rules is two.rules  # a tuple with repeats is not taken as it is


def test_a_repeated_id_is_numbered_in_the_order_of_its_kinds() -> None:
    from kafka_tool.analysis.context import Context
    from kafka_tool.analysis.engine import _unique

    ctx = Context(None, {})  # type: ignore[arg-type]
    found = [ctx.finding("dead_end", ["a"], facts={"n": 0}), ctx.finding("dead_end", ["c"]),
             ctx.finding("dead_end", ["a"], facts={"n": 1})]
    object.__setattr__(found[0], "kind", "zeta")  # the same id from two kinds: the kinds' order decides
    unique = _unique(found)
    assert [f.id for f in unique] == ["dead_end/a~2", "dead_end/c", "dead_end/a"]
    assert [f.facts for f in unique] == [{"n": 0}, {}, {"n": 1}]
    assert len({f.id for f in unique}) == 3
