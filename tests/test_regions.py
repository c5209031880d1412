"""Tests for the algebra of the attribute space (:mod:`kafka_tool.analysis.regions`).

Examples pin down the exact boundaries (integers are whole numbers; number
conditions have open and closed ends), the region format and the words.
Property tests check every answer against brute force: every point of small
integer domains, and for number attributes a grid that holds every
breakpoint, the points between them and the points just beside them. The
unions of regions (:class:`Space`, :class:`RegionSet`) are held against the
same points for every operation, and checked to be canonical.
"""

from __future__ import annotations

import inspect
import itertools
import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kafka_tool.analysis.regions import (
    Cap,
    RegionSet,
    Space,
    WorkBudget,
    WorkLimitExceeded,
    coverage_gaps,
    describe_region,
    meets,
    minimal_conflict,
    region_slug,
    region_to_when,
    satisfiable,
)
from kafka_tool.model import (
    Attribute,
    BooleanAttribute,
    CategoryAttribute,
    Condition,
    IntegerAttribute,
    NumberAttribute,
)
from tests.profiles import examples

ROOT = Path(__file__).resolve().parent.parent

ATTRIBUTES: dict[str, Attribute] = {
    "age": IntegerAttribute(type="integer", min=0, max=120),
    "income": NumberAttribute(type="number", min=0, max=10000),
    "residence": CategoryAttribute(type="category", values=["dutch", "eu", "status_holder", "undocumented"]),
    "homeless": BooleanAttribute(type="boolean"),
}


def c(**bounds: Any) -> Condition:
    """A condition; ``c(in_=[...])`` is written ``in`` in a case."""
    if "in_" in bounds:
        bounds["in"] = bounds.pop("in_")
    return Condition.model_validate(bounds)


def gaps(*producers: Sequence[Mapping[str, Any]], **kwargs: Any) -> list[dict[str, Any]]:
    regions, caps = coverage_gaps(ATTRIBUTES, list(producers), **kwargs)
    assert caps == ()
    return regions


# ---------------------------------------------------------------- coverage gaps: examples


def test_exactly_age_18_falls_between_youth_care_and_adult_support() -> None:
    assert gaps([{"age": c(max=17)}], [{"age": c(min=19)}]) == [{"age": {"min": 18, "max": 18}}]


@pytest.mark.parametrize(
    ("young", "old"),
    [
        (c(max=17), c(min=18)),
        (c(max=17), c(above=17)),
        (c(below=18), c(min=18)),
        (c(below=18), c(above=17)),
        (c(below=17.5), c(above=17.5)),  # no whole number lies strictly between
        (c(max=20), c(min=18)),  # overlap
    ],
)
def test_no_gap_where_integer_boundaries_meet(young: Condition, old: Condition) -> None:
    assert gaps([{"age": young}], [{"age": old}]) == []


def test_integer_boundaries_one_apart_leave_one_year() -> None:
    assert gaps([{"age": c(below=18)}], [{"age": c(above=18)}]) == [{"age": {"min": 18, "max": 18}}]
    assert gaps([{"age": c(max=17)}], [{"age": c(min=20)}]) == [{"age": {"min": 18, "max": 19}}]


def test_integer_region_writes_both_ends_even_at_the_domain_bound() -> None:
    assert gaps([{"age": c(min=18)}]) == [{"age": {"min": 0, "max": 17}}]
    assert gaps([{"age": c(max=64)}]) == [{"age": {"min": 65, "max": 120}}]


def test_integer_region_omits_unbounded_ends() -> None:
    attributes: dict[str, Attribute] = {"children": IntegerAttribute(type="integer", min=0)}
    regions, _ = coverage_gaps(attributes, [[{"children": c(max=2)}]])
    assert regions == [{"children": {"min": 3}}]
    attributes = {"t": IntegerAttribute(type="integer")}
    regions, _ = coverage_gaps(attributes, [[{"t": c(min=0)}]])
    assert regions == [{"t": {"max": -1}}]


def test_number_closed_and_open_ends_that_meet_leave_no_gap() -> None:
    assert gaps([{"income": c(below=1500)}], [{"income": c(min=1500)}]) == []
    assert gaps([{"income": c(max=1500)}], [{"income": c(above=1500)}]) == []
    assert gaps([{"income": c(max=1500)}], [{"income": c(min=1500)}]) == []


def test_number_open_ends_that_meet_leave_exactly_the_point() -> None:
    assert gaps([{"income": c(below=1500)}], [{"income": c(above=1500)}]) == [
        {"income": {"min": 1500, "max": 1500}}
    ]


def test_number_gap_keeps_its_open_and_closed_ends() -> None:
    assert gaps([{"income": c(below=1200)}], [{"income": c(min=1500)}]) == [
        {"income": {"min": 1200, "below": 1500}}
    ]
    assert gaps([{"income": c(max=1200)}], [{"income": c(above=1500)}]) == [
        {"income": {"above": 1200, "max": 1500}}
    ]


def test_number_region_writes_both_finite_ends() -> None:
    assert gaps([{"income": c(max=9000)}]) == [{"income": {"above": 9000, "max": 10000}}]
    assert gaps([{"income": c(min=1500)}]) == [{"income": {"min": 0, "below": 1500}}]
    # Only 0 itself is left.
    assert gaps([{"income": c(above=0)}]) == [{"income": {"min": 0, "max": 0}}]


def test_category_gap() -> None:
    assert gaps([{"residence": c(in_=["dutch", "eu"])}]) == [
        {"residence": {"in": ["status_holder", "undocumented"]}}
    ]
    assert gaps([{"residence": c(not_in=["eu"])}]) == [{"residence": {"in": ["eu"]}}]


def test_boolean_gap() -> None:
    assert gaps([{"homeless": False}]) == [{"homeless": True}]
    assert gaps([{"homeless": False}], [{"homeless": True}]) == []


def test_multi_attribute_region() -> None:
    # Income support below 1500 for adults only; youth care for minors.
    expected = [{"age": {"min": 18, "max": 120}, "income": {"min": 1500, "max": 10000}}]
    assert gaps([{"age": c(min=18), "income": c(below=1500)}], [{"age": c(max=17)}]) == expected
    # The same, with the conditions in two rules of one touchpoint.
    assert gaps([{"age": c(min=18)}, {"income": c(below=1500)}], [{"age": c(max=17)}]) == expected


def test_several_regions_are_sorted() -> None:
    regions = gaps(
        [{"age": c(min=18, max=64), "homeless": False}],
        [{"age": c(max=17)}],
        [{"age": c(min=67)}],
    )
    assert regions == [
        {"age": {"min": 18, "max": 64}, "homeless": True},
        {"age": {"min": 65, "max": 66}},
    ]


def test_adjacent_pieces_are_merged_into_one_region() -> None:
    # Subtracting the first box leaves {age 0-17} and {age 18+, not homeless};
    # the second cuts the first piece to {age 0-17, not homeless}: the two
    # pieces agree on homeless and touch on age, so together they are one.
    assert gaps([{"age": c(min=18), "homeless": True}], [{"age": c(max=17), "homeless": True}]) == [
        {"homeless": False}
    ]
    assert gaps(
        [{"income": c(below=1000), "residence": c(in_=["eu"])}],
        [{"income": c(min=1000), "residence": c(in_=["eu"])}],
    ) == [{"residence": {"in": ["dutch", "status_holder", "undocumented"]}}]


def test_no_producers_means_the_whole_space() -> None:
    assert coverage_gaps(ATTRIBUTES, []) == ([{}], ())


def test_producer_without_conditions_serves_everyone() -> None:
    assert coverage_gaps(ATTRIBUTES, [[]]) == ([], ())
    assert coverage_gaps(ATTRIBUTES, [[{}], [{"age": c(min=18)}]]) == ([], ())
    assert coverage_gaps(ATTRIBUTES, [[{"age": c(max=120)}]]) == ([], ())


def test_producer_whose_rules_conflict_serves_nobody() -> None:
    assert coverage_gaps(ATTRIBUTES, [[{"age": c(max=17)}, {"age": c(min=18)}]]) == ([{}], ())


def test_max_regions_truncates_and_says_so() -> None:
    producers = [[{"age": c(min=2 * k, max=2 * k)}] for k in range(11)]
    attributes: dict[str, Attribute] = {"age": IntegerAttribute(type="integer", min=0, max=20)}
    regions, caps = coverage_gaps(attributes, producers)
    assert regions == [{"age": {"min": k, "max": k}} for k in range(1, 20, 2)]
    assert caps == ()
    regions, caps = coverage_gaps(attributes, producers, max_regions=3)
    assert regions == [{"age": {"min": k, "max": k}} for k in (1, 3, 5)]
    assert caps == (Cap("regions", 3),)
    with pytest.raises(ValueError):
        coverage_gaps(attributes, producers, max_regions=0)


def test_work_limit_cuts_to_true_gaps_and_says_so() -> None:
    # 1200 one-year gaps. The budget covers making the 1201 boxes, sorting them into 2401
    # stretches and a few hundred of them after that: what comes back are the
    # first gaps, each a true one, and the cap with its limit.
    attributes: dict[str, Attribute] = {"age": IntegerAttribute(type="integer", min=0, max=2400)}
    producers = [[{"age": c(min=2 * k, max=2 * k)}] for k in range(1201)]
    budget = WorkBudget(6000)
    regions, caps = coverage_gaps(attributes, producers, budget=budget)
    assert caps == (Cap("work", 6000),)
    assert 0 < len(regions) < 1200
    assert regions == [{"age": {"min": k, "max": k}} for k in range(1, 2 * len(regions), 2)]
    assert budget.used == budget.limit
    # With the work done, the regions cap is the one that cuts.
    regions, caps = coverage_gaps(attributes, producers, max_regions=5)
    assert caps == (Cap("regions", 5),)
    assert regions == [{"age": {"min": k, "max": k}} for k in (1, 3, 5, 7, 9)]


def test_conditions_written_as_plain_mappings_are_accepted() -> None:
    assert gaps([{"age": {"max": 17}}], [{"age": {"min": 19}}]) == [{"age": {"min": 18, "max": 18}}]
    assert gaps([{"residence": {"in": ["dutch", "eu", "status_holder"]}}]) == [
        {"residence": {"in": ["undocumented"]}}
    ]


def test_undeclared_attribute_or_misfit_condition_is_refused() -> None:
    with pytest.raises(ValueError, match="shoe_size"):
        coverage_gaps(ATTRIBUTES, [[{"shoe_size": c(min=40)}]])
    with pytest.raises(ValueError):
        satisfiable(ATTRIBUTES, [{"homeless": c(min=1)}])
    with pytest.raises(ValueError):
        satisfiable(ATTRIBUTES, [{"age": True}])
    with pytest.raises(ValueError):
        satisfiable(ATTRIBUTES, [{"age": c(in_=["a"])}])
    with pytest.raises(ValueError):
        satisfiable(ATTRIBUTES, [{"residence": c(min=1)}])


_DETERMINISM_SCRIPT = """
import json
from kafka_tool.analysis.regions import coverage_gaps
from kafka_tool.model import CategoryAttribute, Condition, IntegerAttribute
attributes = {
    "age": IntegerAttribute(type="integer", min=0, max=50),
    "place": CategoryAttribute(type="category", values=[f"p{i}" for i in range(9)]),
    "kind": CategoryAttribute(type="category", values=["x", "y", "z", "w"]),
}
producers = [
    [{"age": Condition(min=i * 5, max=i * 5 + 7),
      "place": Condition.model_validate({"in": [f"p{(i * 3 + k) % 9}" for k in range(4)]}),
      "kind": Condition.model_validate({"not_in": [["x", "y", "z", "w"][i % 4]]})}]
    for i in range(10)
]
print(json.dumps(coverage_gaps(attributes, producers)))
"""


def test_coverage_gaps_do_not_depend_on_string_hashing() -> None:
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _DETERMINISM_SCRIPT],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1
    regions, caps = json.loads(outputs.pop())
    assert regions and caps == []


# ---------------------------------------------------------------- meets, satisfiable, minimal_conflict


def test_meets_examples() -> None:
    persona = {"age": 24, "income": 1500.0, "residence": "status_holder", "homeless": False}
    assert meets(ATTRIBUTES, {}, persona)
    assert meets(ATTRIBUTES, {"age": c(min=18), "homeless": False}, persona)
    assert not meets(ATTRIBUTES, {"income": c(below=1500)}, persona)
    assert meets(ATTRIBUTES, {"income": c(max=1500)}, persona)
    assert meets(ATTRIBUTES, {"residence": c(not_in=["eu"])}, persona)
    assert not meets(ATTRIBUTES, {"residence": c(in_=["dutch", "eu"])}, persona)
    assert not meets(ATTRIBUTES, {"homeless": True}, persona)
    assert not meets(ATTRIBUTES, {"age": c(min=18)}, {"income": 0})  # age missing
    assert not meets(ATTRIBUTES, {"age": c(min=18)}, {"age": "old"})  # wrong type
    assert not meets(ATTRIBUTES, {"homeless": False}, {"homeless": 0})


def test_satisfiable_examples() -> None:
    assert satisfiable(ATTRIBUTES, [])
    assert satisfiable(ATTRIBUTES, [{"age": c(min=18)}, {"age": c(max=18)}])
    assert not satisfiable(ATTRIBUTES, [{"age": c(above=17, below=18)}])
    assert not satisfiable(ATTRIBUTES, [{"age": c(above=17)}, {"age": c(below=18)}])
    assert satisfiable(ATTRIBUTES, [{"income": c(above=17)}, {"income": c(below=18)}])
    assert not satisfiable(ATTRIBUTES, [{"income": c(above=17)}, {"income": c(max=17)}])
    assert satisfiable(ATTRIBUTES, [{"income": c(min=17)}, {"income": c(max=17)}])
    assert not satisfiable(ATTRIBUTES, [{"age": c(min=121)}])  # outside the domain
    assert not satisfiable(ATTRIBUTES, [{"income": c(above=10000)}])
    assert not satisfiable(ATTRIBUTES, [{"homeless": True}, {"homeless": False}])
    assert not satisfiable(ATTRIBUTES, [{"residence": c(in_=["eu"])}, {"residence": c(not_in=["eu"])}])
    assert not satisfiable(ATTRIBUTES, [{"residence": c(in_=[])}])


def test_minimal_conflict_examples() -> None:
    assert minimal_conflict(ATTRIBUTES, []) is None
    assert minimal_conflict(ATTRIBUTES, [("adults", {"age": c(min=18)})]) is None
    assert minimal_conflict(
        ATTRIBUTES,
        [
            ("adults", {"age": c(min=18)}),
            ("housed", {"homeless": False}),
            ("youth", {"age": c(max=17)}),
        ],
    ) == ["adults", "youth"]
    # Every pair can hold together; the three cannot.
    assert minimal_conflict(
        ATTRIBUTES,
        [
            ("eu_or_dutch", {"residence": c(in_=["dutch", "eu"])}),
            ("low_income", {"income": c(below=1500)}),
            ("eu_or_holder", {"residence": c(in_=["eu", "status_holder"])}),
            ("not_eu", {"residence": c(not_in=["eu"])}),
        ],
    ) == ["eu_or_dutch", "eu_or_holder", "not_eu"]
    # Integer emptiness on its own is a conflict of one.
    assert minimal_conflict(
        ATTRIBUTES, [("a", {"homeless": True}), ("teen", {"age": c(above=17, below=18)})]
    ) == ["teen"]


# ---------------------------------------------------------------- region_slug and describe_region


@pytest.mark.parametrize(
    ("region", "slug"),
    [
        ({}, "all"),
        ({"age": {"min": 0, "max": 17}}, "age-0-17"),
        ({"age": {"min": 18, "max": 18}}, "age-18"),
        ({"age": {"min": 67}}, "age-min67"),
        ({"age": {"max": 17}}, "age-max17"),
        ({"income": {"above": 1200, "below": 1500}}, "income-above1200-below1500"),
        ({"income": {"min": 1200, "below": 1500}}, "income-min1200-below1500"),
        ({"income": {"above": 1200.5, "max": 1500.0}}, "income-above1200.5-max1500"),
        ({"income": {"below": 0.0001}}, "income-below0.0001"),
        ({"t": {"min": -5, "max": -1}}, "t-minus5-minus1"),
        ({"residence": {"in": ["eu", "dutch"]}}, "residence-dutch.eu"),
        ({"residence": {"not_in": ["eu"]}}, "residence-not-eu"),
        ({"homeless": True}, "homeless-true"),
        ({"homeless": False}, "homeless-false"),
        (
            {"residence": {"in": ["eu"]}, "homeless": True, "age": {"min": 18, "max": 18}},
            "age-18+homeless-true+residence-eu",
        ),
        ({"place of birth": {"in": ["a+b", "c/d"]}}, "place_of_birth-a_b.c_d"),
        ({"age": {}}, "all"),
    ],
)
def test_region_slug(region: dict[str, Any], slug: str) -> None:
    assert region_slug(region) == slug
    assert all(ch.isalnum() or ch in "_.+-" for ch in slug)


def test_region_slug_of_every_gap_is_clean_and_distinct() -> None:
    producers = [[{"age": c(min=2 * k, max=2 * k)}, {"income": c(above=k * 100)}] for k in range(6)]
    regions, _ = coverage_gaps(ATTRIBUTES, producers)
    slugs = [region_slug(r) for r in regions]
    assert len(set(slugs)) == len(slugs)
    for slug in slugs:
        assert slug and all(ch.isascii() and (ch.isalnum() or ch in "_.+-") for ch in slug)


@pytest.mark.parametrize(
    ("region", "en", "nl"),
    [
        ({}, "everyone", "iedereen"),
        ({"age": {"min": 18, "max": 18}}, "age exactly 18", "age precies 18"),
        ({"age": {"min": 0, "max": 17}}, "age 0 to 17", "age van 0 tot en met 17"),
        (
            {"income": {"above": 1200, "below": 1500}},
            "income above 1200 and below 1500",
            "income boven 1200 en onder 1500",
        ),
        ({"income": {"min": 1500}}, "income at least 1500", "income ten minste 1500"),
        ({"income": {"max": 1500.5}}, "income at most 1500.5", "income ten hoogste 1500.5"),
        (
            {"residence": {"in": ["status_holder", "eu"]}},
            "residence status_holder or eu",
            "residence status_holder of eu",
        ),
        ({"residence": {"not_in": ["eu"]}}, "residence other than eu", "residence anders dan eu"),
        ({"homeless": True}, "homeless", "homeless"),
        ({"homeless": False}, "not homeless", "homeless: nee"),
        (
            # Described in the order the case declares the attributes.
            {"homeless": False, "residence": {"in": ["eu"]}, "age": {"min": 18, "max": 18}},
            "age exactly 18, residence eu, not homeless",
            "age precies 18, residence eu, homeless: nee",
        ),
    ],
)
def test_describe_region(region: dict[str, Any], en: str, nl: str) -> None:
    assert describe_region(ATTRIBUTES, region) == en
    assert describe_region(ATTRIBUTES, region, "en") == en
    assert describe_region(ATTRIBUTES, region, "nl") == nl


def test_describe_region_refuses_an_unknown_language() -> None:
    with pytest.raises(ValueError):
        describe_region(ATTRIBUTES, {"homeless": True}, "fr")


def test_region_to_when_round_trips_through_meets() -> None:
    region = {"age": {"min": 18, "max": 18}, "income": {"above": 1200, "below": 1500}, "homeless": False}
    when = region_to_when(region)
    assert meets(ATTRIBUTES, when, {"age": 18, "income": 1300, "homeless": False})
    assert not meets(ATTRIBUTES, when, {"age": 18, "income": 1200, "homeless": False})


# ---------------------------------------------------------------- brute force: integer, category, boolean

SMALL: dict[str, Attribute] = {
    "a": IntegerAttribute(type="integer", min=0, max=6),
    "b": IntegerAttribute(type="integer", min=0, max=6),
    "d": IntegerAttribute(type="integer", min=0),  # unbounded above
    "c": CategoryAttribute(type="category", values=["x", "y", "z"]),
    "h": BooleanAttribute(type="boolean"),
}
# Conditions on d use values up to 4, so from 5 on every d behaves alike: 0..5 stands for all of d.
SMALL_VALUES: dict[str, list[Any]] = {
    "a": list(range(7)),
    "b": list(range(7)),
    "d": list(range(6)),
    "c": ["x", "y", "z"],
    "h": [False, True],
}
SMALL_POINTS = [
    dict(zip(SMALL_VALUES, values, strict=True)) for values in itertools.product(*SMALL_VALUES.values())
]

_int_bound = st.integers(-1, 7)
_int_open_bound = st.one_of(st.integers(-1, 7), st.sampled_from([-0.5, 1.5, 2.5, 5.5]))
_int_condition = st.fixed_dictionaries(
    {}, optional={"min": _int_bound, "max": _int_bound, "above": _int_open_bound, "below": _int_open_bound}
).filter(bool)
_d_bound = st.integers(-1, 4)
_d_condition = st.fixed_dictionaries(
    {}, optional={"min": _d_bound, "max": _d_bound, "above": _d_bound, "below": _d_bound}
).filter(bool)
_cat_condition = st.one_of(
    st.fixed_dictionaries({"in": st.lists(st.sampled_from(["x", "y", "z"]), unique=True, max_size=3)}),
    st.fixed_dictionaries({"not_in": st.lists(st.sampled_from(["x", "y", "z"]), unique=True, max_size=3)}),
)
# Whens restrict something: an empty one serves everyone and leaves no gap to check.
small_whens = st.fixed_dictionaries(
    {},
    optional={
        "a": _int_condition,
        "b": _int_condition,
        "d": _d_condition,
        "c": _cat_condition,
        "h": st.booleans(),
    },
).filter(bool)
small_producers = st.lists(st.lists(small_whens, min_size=1, max_size=2), max_size=6)
# Producers cut from a coarse grid line up with each other, so the pieces
# that subtraction leaves often have to be merged again.
_cells = st.sampled_from([{"min": 0, "max": 2}, {"min": 3, "max": 4}, {"above": 2}, {"below": 5}])
grid_whens = st.fixed_dictionaries(
    {},
    optional={
        "a": _cells,
        "b": _cells,
        "c": st.sampled_from([{"in": ["x"]}, {"in": ["y"]}, {"not_in": ["z"]}]),
        "h": st.booleans(),
    },
).filter(bool)
grid_producers = st.lists(st.lists(grid_whens, min_size=1, max_size=1), max_size=8)


def to_api(raw: Mapping[str, Any]) -> dict[str, bool | Condition]:
    """A raw ``when`` (as written in YAML) with its conditions as models."""
    return {k: v if isinstance(v, bool) else Condition.model_validate(v) for k, v in raw.items()}


def raw_meets(raw: Mapping[str, Any], point: Mapping[str, Any]) -> bool:
    """Whether a point meets a raw ``when``: the definition, written out plainly."""
    for name, cond in raw.items():
        value = point[name]
        if isinstance(cond, bool):
            if value != cond:
                return False
            continue
        checks = [
            "min" not in cond or value >= cond["min"],
            "max" not in cond or value <= cond["max"],
            "above" not in cond or value > cond["above"],
            "below" not in cond or value < cond["below"],
            "in" not in cond or value in cond["in"],
            "not_in" not in cond or value not in cond["not_in"],
        ]
        if not all(checks):
            return False
    return True


def in_region(region: Mapping[str, Any], point: Mapping[str, Any]) -> bool:
    """Whether a point lies in a region (JSON form), read independently of the module."""
    return raw_meets(region, point)


def served(producers: Sequence[Sequence[Mapping[str, Any]]], point: Mapping[str, Any]) -> bool:
    return any(all(raw_meets(when, point) for when in producer) for producer in producers)


def check_region_format(attributes: Mapping[str, Attribute], region: Mapping[str, Any]) -> None:
    """The JSON contract: only restricted attributes, in the vocabulary of ``when``."""
    for name, value in region.items():
        attribute = attributes[name]
        if isinstance(attribute, BooleanAttribute):
            assert isinstance(value, bool)
        elif isinstance(attribute, CategoryAttribute):
            assert set(value) == {"in"}
            assert value["in"] == sorted(value["in"])
            assert 0 < len(value["in"]) < len(set(attribute.values))
        elif isinstance(attribute, IntegerAttribute):
            assert set(value) <= {"min", "max"} and value
            for key in value:
                assert isinstance(value[key], int)
            if attribute.min is not None:
                assert "min" in value
            if attribute.max is not None:
                assert "max" in value
        else:
            assert set(value) <= {"min", "max", "above", "below"} and value
            assert not {"min", "above"} <= set(value)
            assert not {"max", "below"} <= set(value)
            # Every finite end is written, the domain's own included (as for integers).
            if attribute.min is not None:
                assert {"min", "above"} & set(value)
            if attribute.max is not None:
                assert {"max", "below"} & set(value)


# A region as one interval or value set per attribute: (low, low_closed, high, high_closed) or a set.
Box = dict[str, Any]


def region_box(attributes: Mapping[str, Attribute], region: Mapping[str, Any]) -> Box:
    inf = float("inf")
    box: Box = {}
    for name, attribute in attributes.items():
        value = region.get(name)
        if isinstance(attribute, BooleanAttribute):
            box[name] = {False, True} if value is None else {value}
        elif isinstance(attribute, CategoryAttribute):
            box[name] = set(attribute.values) if value is None else set(value["in"])
        else:
            value = value or {}
            low = (attribute.min, True) if attribute.min is not None else (-inf, False)
            high = (attribute.max, True) if attribute.max is not None else (inf, False)
            if "min" in value:
                low = (value["min"], True)
            if "above" in value:
                low = (value["above"], False)
            if "max" in value:
                high = (value["max"], True)
            if "below" in value:
                high = (value["below"], False)
            box[name] = (*low, *high)
    return box


def touching(attribute: Attribute, p: Any, q: Any) -> bool:
    """Whether two disjoint parts of one attribute could be written as one."""
    if isinstance(attribute, (BooleanAttribute, CategoryAttribute)):
        return True
    if p[0] > q[0]:
        p, q = q, p
    if isinstance(attribute, IntegerAttribute):
        return bool(p[2] + 1 >= q[0])
    return bool(p[2] > q[0] or (p[2] == q[0] and (p[3] or q[1])))


def check_maximal(attributes: Mapping[str, Attribute], regions: Sequence[Mapping[str, Any]]) -> None:
    """No two regions agree on all attributes but one and touch on that one."""
    boxes = [region_box(attributes, r) for r in regions]
    for (i, p), (j, q) in itertools.combinations(enumerate(boxes), 2):
        differing = [name for name in attributes if p[name] != q[name]]
        assert differing, f"regions {i} and {j} are the same"
        if len(differing) == 1:
            (name,) = differing
            assert not touching(attributes[name], p[name], q[name]), (
                f"regions {regions[i]} and {regions[j]} could be merged on {name}"
            )


_SETTINGS = settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(st.one_of(small_producers, grid_producers))
def test_coverage_gaps_match_brute_force_on_integers(producers: list[list[dict[str, Any]]]) -> None:
    regions, caps = coverage_gaps(SMALL, [[to_api(w) for w in p] for p in producers])
    assert caps == ()
    for region in regions:
        check_region_format(SMALL, region)
    for point in SMALL_POINTS:
        inside = [r for r in regions if in_region(r, point)]
        assert len(inside) <= 1, f"{point} lies in {inside}"
        assert bool(inside) == (not served(producers, point)), point
    check_maximal(SMALL, regions)
    # The order is fixed: the same input gives the same list.
    assert coverage_gaps(SMALL, [[to_api(w) for w in p] for p in producers])[0] == regions


@_SETTINGS
@given(st.lists(small_whens, max_size=4))
def test_satisfiable_matches_brute_force_on_integers(whens: list[dict[str, Any]]) -> None:
    expected = any(all(raw_meets(w, point) for w in whens) for point in SMALL_POINTS)
    assert satisfiable(SMALL, [to_api(w) for w in whens]) == expected


@_SETTINGS
@given(small_whens, st.sampled_from(SMALL_POINTS))
def test_meets_matches_the_definition(when: dict[str, Any], point: dict[str, Any]) -> None:
    assert meets(SMALL, to_api(when), point) == raw_meets(when, point)


@_SETTINGS
@given(st.lists(small_whens, max_size=5))
def test_minimal_conflict_is_a_minimal_conflict(whens: list[dict[str, Any]]) -> None:
    named = [(f"r{i}", to_api(w)) for i, w in enumerate(whens)]
    conflict = minimal_conflict(SMALL, named)
    if satisfiable(SMALL, [w for _, w in named]):
        assert conflict is None
        return
    assert conflict is not None
    assert conflict == [name for name, _ in named if name in conflict]  # input order
    chosen = [w for name, w in named if name in conflict]
    assert not satisfiable(SMALL, chosen)
    for i in range(len(chosen)):
        assert satisfiable(SMALL, chosen[:i] + chosen[i + 1 :])


# ---------------------------------------------------------------- brute force: numbers

NUMBERS: dict[str, Attribute] = {
    "x": NumberAttribute(type="number", min=0, max=10),
    "y": NumberAttribute(type="number"),  # unbounded both ways
    "h": BooleanAttribute(type="boolean"),
}
_BREAKPOINTS = [-1, 0, 1, 2.5, 4, 5, 7.5, 10, 11]
_num_bound = st.sampled_from(_BREAKPOINTS)
_num_condition = st.fixed_dictionaries(
    {}, optional={"min": _num_bound, "max": _num_bound, "above": _num_bound, "below": _num_bound}
).filter(bool)
number_whens = st.fixed_dictionaries(
    {}, optional={"x": _num_condition, "y": _num_condition, "h": st.booleans()}
).filter(bool)
number_producers = st.lists(st.lists(number_whens, min_size=1, max_size=2), max_size=6)
_number_cells = st.sampled_from(
    [
        {"below": 2.5},
        {"min": 2.5, "max": 5},
        {"above": 5},
        {"min": 5},
        {"max": 2.5},
        {"above": 2.5, "below": 5},
    ]
)
number_grid_producers = st.lists(
    st.lists(
        st.fixed_dictionaries(
            {}, optional={"x": _number_cells, "y": _number_cells, "h": st.booleans()}
        ).filter(bool),
        min_size=1,
        max_size=1,
    ),
    max_size=8,
)


def sample_values(low: float, high: float) -> list[float]:
    """Every breakpoint, the points between, the points just beside, inside [low, high]."""
    eps = 1e-6
    marks = sorted({*_BREAKPOINTS, low, high} - {float("inf"), float("-inf")})
    values = set(marks)
    values |= {m + d for m in marks for d in (-eps, eps)}
    values |= {(p + q) / 2 for p, q in itertools.pairwise(marks)}
    values |= {marks[0] - 1000, marks[-1] + 1000}
    return sorted(v for v in values if low <= v <= high)


NUMBER_POINTS = [
    {"x": x, "y": y, "h": h}
    for x in sample_values(0, 10)
    for y in sample_values(float("-inf"), float("inf"))
    for h in (False, True)
]


@_SETTINGS
@given(st.one_of(number_producers, number_grid_producers))
def test_coverage_gaps_match_brute_force_on_numbers(producers: list[list[dict[str, Any]]]) -> None:
    regions, caps = coverage_gaps(NUMBERS, [[to_api(w) for w in p] for p in producers])
    assert caps == ()
    for region in regions:
        check_region_format(NUMBERS, region)
    for point in NUMBER_POINTS:
        inside = [r for r in regions if in_region(r, point)]
        assert len(inside) <= 1, f"{point} lies in {inside}"
        assert bool(inside) == (not served(producers, point)), point
    check_maximal(NUMBERS, regions)


@_SETTINGS
@given(st.lists(number_whens, max_size=4))
def test_satisfiable_matches_brute_force_on_numbers(whens: list[dict[str, Any]]) -> None:
    expected = any(all(raw_meets(w, point) for w in whens) for point in NUMBER_POINTS)
    assert satisfiable(NUMBERS, [to_api(w) for w in whens]) == expected


# ---------------------------------------------------------------- brute force: unions of regions

# Region sets over a, d (unbounded above), c and h: small enough to look at every point.
SET_NAMES = ("a", "d", "c", "h")
SET_POINTS = [
    dict(zip(SET_NAMES, values, strict=True)) for values in itertools.product(*(SMALL_VALUES[n] for n in SET_NAMES))
]
set_whens = st.fixed_dictionaries(
    {}, optional={"a": _int_condition, "d": _d_condition, "c": _cat_condition, "h": st.booleans()}
)
# A region set written as a union of whens (as a rule's when_any is); the empty list is the empty set.
set_unions = st.lists(set_whens, max_size=4)


def built(space: Space, whens: Sequence[Mapping[str, Any]]) -> RegionSet:
    return space.union([space.where(to_api(w)) for w in whens])


def union_points(whens: Sequence[Mapping[str, Any]], points: Sequence[Mapping[str, Any]]) -> frozenset[int]:
    """The points a union of whens holds, by the definition."""
    return frozenset(i for i, point in enumerate(points) if any(raw_meets(w, point) for w in whens))


def check_set(
    attributes: Mapping[str, Attribute],
    regions: RegionSet,
    points: Sequence[Mapping[str, Any]],
    expected: frozenset[int],
) -> None:
    """A region set holds exactly the expected points, as disjoint maximal regions in the JSON format."""
    written = regions.regions()
    for region in written:
        check_region_format(attributes, region)
    held = set()
    for i, point in enumerate(points):
        inside = [r for r in written if in_region(r, point)]
        assert len(inside) <= 1, f"{point} lies in {inside}"
        if inside:
            held.add(i)
    assert held == expected
    assert regions.is_empty() == (not expected)
    check_maximal(attributes, written)


@_SETTINGS
@given(set_unions, set_unions)
def test_region_set_operations_match_brute_force(first: list[dict[str, Any]], second: list[dict[str, Any]]) -> None:
    space = Space(SMALL, SET_NAMES)
    a, b = built(space, first), built(space, second)
    pa, pb = union_points(first, SET_POINTS), union_points(second, SET_POINTS)
    everything = frozenset(range(len(SET_POINTS)))
    check_set(SMALL, a, SET_POINTS, pa)
    check_set(SMALL, a.union(b), SET_POINTS, pa | pb)
    check_set(SMALL, a.intersect(b), SET_POINTS, pa & pb)
    check_set(SMALL, a.difference(b), SET_POINTS, pa - pb)
    check_set(SMALL, a.complement(), SET_POINTS, everything - pa)
    check_set(SMALL, space.outside([a, b]), SET_POINTS, everything - pa - pb)
    assert (a <= b) == (pa <= pb)
    assert (a == b) == (pa == pb)


@_SETTINGS
@given(set_unions, set_unions)
def test_region_sets_are_canonical(first: list[dict[str, Any]], second: list[dict[str, Any]]) -> None:
    # One form per set of points: however a set is made, equal sets have equal regions.
    space = Space(SMALL, SET_NAMES)
    a, b = built(space, first), built(space, second)
    assert space.from_regions(a.regions()) == a
    assert built(space, list(reversed(first))) == a
    assert a.union(b) == b.union(a)
    assert a.intersect(b) == b.intersect(a)
    assert a.complement().complement() == a
    assert a.union(b).complement() == a.complement().intersect(b.complement())
    assert a.intersect(b).union(a.difference(b)) == a
    assert a.union(b).regions() == b.union(a).regions()
    assert hash(a.union(b)) == hash(b.union(a))


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(number_whens, max_size=3), st.lists(number_whens, max_size=3))
def test_region_set_operations_match_brute_force_on_numbers(
    first: list[dict[str, Any]], second: list[dict[str, Any]]
) -> None:
    space = Space(NUMBERS)
    a, b = built(space, first), built(space, second)
    pa, pb = union_points(first, NUMBER_POINTS), union_points(second, NUMBER_POINTS)
    everything = frozenset(range(len(NUMBER_POINTS)))
    check_set(NUMBERS, a.union(b), NUMBER_POINTS, pa | pb)
    check_set(NUMBERS, a.intersect(b), NUMBER_POINTS, pa & pb)
    check_set(NUMBERS, a.difference(b), NUMBER_POINTS, pa - pb)
    check_set(NUMBERS, a.complement(), NUMBER_POINTS, everything - pa)
    assert a.union(b).complement() == a.complement().intersect(b.complement())


@_SETTINGS
@given(small_producers)
def test_coverage_gaps_are_the_complement_of_what_the_producers_serve(
    producers: list[list[dict[str, Any]]],
) -> None:
    # coverage_gaps over the attributes the whens mention is the algebra's complement.
    regions, caps = coverage_gaps(SMALL, [[to_api(w) for w in p] for p in producers])
    assert caps == ()
    names = [n for n in SMALL if any(n in w for p in producers for w in p)]
    space = Space(SMALL, names)
    served_set = space.union([space.where(*(to_api(w) for w in p)) for p in producers])
    assert space.outside([served_set]).regions() == regions


# ---------------------------------------------------------------- unions of regions: examples and limits


def test_region_set_examples() -> None:
    space = Space(ATTRIBUTES)
    adults = space.where({"age": c(min=18)})
    poor = space.where({"income": c(below=1500)})
    assert adults.intersect(poor).regions() == [{"age": {"min": 18, "max": 120}, "income": {"min": 0, "below": 1500}}]
    assert space.everything().regions() == [{}]
    assert space.nothing().regions() == [] and space.nothing().is_empty()
    assert adults.union(adults.complement()) == space.everything()
    assert adults.intersect(adults.complement()) == space.nothing()
    assert space.where({"age": c(min=18)}, {"age": c(max=17)}) == space.nothing()
    assert adults.intersect(poor) <= adults and not adults <= poor
    assert len(adults.union(poor)) == 2
    assert repr(adults) == "RegionSet([{'age': {'min': 18, 'max': 120}}])"


def test_an_empty_domain_has_no_gap() -> None:
    attributes: dict[str, Attribute] = {"x": NumberAttribute(type="number", min=5, max=1)}
    assert coverage_gaps(attributes, [[{"x": c(min=0)}]]) == ([], ())
    assert Space(attributes).where({"x": c(min=2)}).complement().is_empty()


def test_region_sets_of_one_space_only_combine() -> None:
    one, other = Space(ATTRIBUTES), Space(ATTRIBUTES)
    with pytest.raises(ValueError, match="different spaces"):
        one.everything().union(other.everything())
    with pytest.raises(ValueError, match="shoe_size"):
        Space(ATTRIBUTES, ["shoe_size"])
    with pytest.raises(ValueError, match="outside this space"):
        Space(ATTRIBUTES, ["age"]).where({"income": c(min=0)})


def test_region_set_work_limit_raises_with_the_limit_and_a_true_part() -> None:
    # 30 one-year gaps on each of four attributes: the complement of their union has 30**4 boxes.
    attributes: dict[str, Attribute] = {n: IntegerAttribute(type="integer", min=0, max=60) for n in "pqrs"}
    space = Space(attributes, budget=WorkBudget(20_000))
    even = [space.where({n: c(min=2 * k, max=2 * k)}) for n in "pqrs" for k in range(31)]
    with pytest.raises(WorkLimitExceeded, match="20,000 box operations") as raised:
        space.outside(even)
    assert raised.value.limit == 20_000
    assert space.budget.used == space.budget.limit
    part = raised.value.partial
    assert 0 < len(part) < 30**4
    for region in part[:50]:
        point = {n: bounds["min"] for n, bounds in region.items()}
        assert all(value % 2 == 1 for value in point.values()), region  # inside the complement
    # A spent budget stays spent: the next operation refuses at once.
    with pytest.raises(WorkLimitExceeded):
        space.everything().complement()


def test_many_attributes_do_not_reach_the_recursion_limit() -> None:
    # The recursion goes one attribute deeper at each step; it runs on a stack of its own.
    n = 400
    attributes: dict[str, Attribute] = {f"flag_{k:03d}": BooleanAttribute(type="boolean") for k in range(n)}
    space = Space(attributes, budget=WorkBudget(10**6))
    everyone_flagged = space.where({name: True for name in attributes})
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 100)
    try:
        rest = everyone_flagged.complement()
    finally:
        sys.setrecursionlimit(limit)
    assert len(rest) == n  # flag_000 false; flag_000 true and flag_001 false; ...
    assert rest.regions()[0] == {"flag_000": False}
    assert rest.complement() == everyone_flagged


def test_work_accounting_is_exact_at_the_limit() -> None:
    # The same computation with exactly the work it needs finishes; with one box operation less, it is cut.
    attributes: dict[str, Attribute] = {n: IntegerAttribute(type="integer", min=0, max=20) for n in "pq"}
    producers = [[{"p": c(min=k, max=k + 2), "q": c(min=20 - k - 3, max=20 - k)}] for k in range(0, 18, 3)]
    generous = WorkBudget(10**6)
    expected, caps = coverage_gaps(attributes, producers, budget=generous)
    assert caps == ()
    regions, caps = coverage_gaps(attributes, producers, budget=WorkBudget(generous.used))
    assert (regions, caps) == (expected, ())
    regions, caps = coverage_gaps(attributes, producers, budget=WorkBudget(generous.used - 1))
    assert caps == (Cap("work", generous.used - 1),)
    space = Space(attributes)
    whole_gap = space.from_regions(expected)
    assert space.from_regions(regions) <= whole_gap


def test_region_cap_near_miss() -> None:
    attributes: dict[str, Attribute] = {"age": IntegerAttribute(type="integer", min=0, max=2000)}
    producers = [[{"age": c(min=2 * k, max=2 * k)}] for k in range(1001)]  # gaps at 1, 3, ..., 1999
    regions, caps = coverage_gaps(attributes, producers, max_regions=1000)
    assert len(regions) == 1000 and caps == ()
    regions, caps = coverage_gaps(attributes, producers, max_regions=999)
    assert len(regions) == 999 and caps == (Cap("regions", 999),)
