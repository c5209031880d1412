"""The sample case library: complete, faithful to its teaching notes, and analysable."""

from __future__ import annotations

from pathlib import Path

import pytest

from kafka_tool.analysis.engine import analyze
from kafka_tool.analysis.kinds import kind_names
from kafka_tool.library import find_case, library_dir, list_cases
from kafka_tool.loader import load_case

CASES = sorted(library_dir().glob("*.yaml"))
FORMAT_EXAMPLES = Path(__file__).parent / "data" / "format_examples.yaml"


def test_library_has_at_least_eight_cases_three_in_dutch() -> None:
    samples = list_cases()
    assert len(samples) >= 8
    assert sum(1 for s in samples if s.language == "nl") >= 3
    assert len({s.case.id for s in samples}) == len(samples)


def test_case_assembled_from_every_format_example_validates() -> None:
    case = load_case(FORMAT_EXAMPLES)
    assert case.id == "bank-address-loop"
    assert {type(c).__name__ for i in case.interventions for c in i.changes} >= {
        "RemoveRequirement", "AddRequirement", "AddProduces", "RemoveProduces", "AddReferral",
        "RemoveReferral", "SetWhen", "SetActor", "Exchange", "AddTouchpoint", "RemoveTouchpoint",
    }


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_sample_case_is_complete(path: Path) -> None:
    case = load_case(path)
    assert case.id == path.stem, "a sample case's id is its file name"
    assert case.summary and case.source
    assert case.teaching is not None
    assert case.teaching.questions and case.teaching.notes
    assert case.teaching.expected_findings, "teaching notes say what a class should find"
    assert case.interventions, "the proposed intervention is part of the case"
    analysis = analyze(case)
    stuck = [p for p in analysis.personas if not all(p.goals_reachable.values())]
    fine = [p for p in analysis.personas if p.goals_reachable and all(p.goals_reachable.values())]
    assert stuck, "at least one persona for whom it goes wrong"
    assert fine, "at least one persona for whom it works"


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_sample_case_findings_match_teaching_notes(path: Path) -> None:
    case = load_case(path)
    assert case.teaching is not None
    expected = set(case.teaching.expected_findings)
    assert expected <= set(kind_names()), f"unknown kinds in expected_findings: {expected - set(kind_names())}"
    found = {f.kind for f in analyze(case).findings}
    missing = expected - found
    assert not missing, f"the teaching notes promise {sorted(missing)}, the analysis does not find them"


def test_find_case_suggests_the_closest_name() -> None:
    from kafka_tool.library import LibraryError

    name = CASES[0].stem
    with pytest.raises(LibraryError, match=f"did you mean '{name}'"):
        find_case(name[:-1] + "x")


def test_the_format_examples_intervention_applies_every_change_kind() -> None:
    from kafka_tool.interventions import apply_interventions

    case = load_case(FORMAT_EXAMPLES)
    after = apply_interventions(case, ["postal_address"])
    t = after.touchpoint("t")
    assert t is not None and t.requires == ["d"] and t.fetches == ["d"] and t.actor == "municipality"
    assert after.touchpoint("u") is None and after.touchpoint("new_desk") is not None
    assert after.rule("r") is not None and after.rule("r").when["age"].min == 16  # type: ignore[union-attr]
    opened = after.touchpoint("open_bank_account")
    assert opened is not None and "brp_registration" not in [r for r in opened.requires if isinstance(r, str)]


def test_the_hours_the_teaching_notes_promise_are_the_rankings() -> None:
    """The once-only sample and the poverty-trap sample say in their notes how many hours an exchange saves."""
    from kafka_tool.interventions import compare, rank

    for name, intervention, hours in (("same-questions-three-times", "once_only_medical_data", 24_900),
                                      ("armoedeval-baan-aannemen", "bankafschriften_delen", 6_900)):
        case = load_case(find_case(name))
        assert case.teaching is not None and case.teaching.notes is not None
        assert f"{hours:,}".replace(",", "." if case.language == "nl" else ",") in case.teaching.notes
        ranked = {c.label: c for c in rank([compare(case, [i.id]) for i in case.interventions])}
        assert ranked[intervention].score().hours_saved == hours
