"""Cracks made of money: a persona's means along income, and the benefit cliffs in them.

Cases that have a ``benefit_cliff`` and near misses that look alike but do not: a limit
crossed where one more unit earns more than the goal lost was worth, a taper that takes
less than the rise.
"""

from __future__ import annotations

from typing import Any

import pytest

from kafka_tool.analysis.engine import analyze
from kafka_tool.report import findings_json
from tests.case_builder import build, kinds, names_all, only, persona, rule, tp

INCOME = {"income": {"type": "integer", "min": 0, "max": 3000, "unit": "EUR/month", "money": {"per": "month"}}}


def _allowances(limit: int = 1500, rent: float = 300, care_taper: dict[str, Any] | None = None,
                income: int = 1400, attributes: dict[str, Any] | None = None) -> Any:
    """A rent allowance up to an income limit, and a care allowance that may taper."""
    care: dict[str, Any] = {"amount": 120, "per": "month"}
    if care_taper is not None:
        care["taper"] = care_taper
    return build(
        [tp("apply_rent", rules=["rent_limit"], produces=["rent_allowance"]),
         tp("apply_care", produces=["care_allowance"])],
        [persona("sanne", goals=["rent_allowance", "care_allowance"], income=income)],
        rules=[rule("rent_limit", when={"income": {"max": limit}})],
        attributes=attributes or INCOME,
        doc_values={"rent_allowance": {"amount": rent, "per": "month"}, "care_allowance": care},
    )


def _means(case: Any, pid: str = "sanne", name: str = "income") -> Any:
    return analyze(case).views[pid].means[name]


# ---------------------------------------------------------------- means


def test_the_means_are_income_plus_the_goals_reached_interval_by_interval() -> None:
    case = _allowances(care_taper={"attribute": "income", "from": 1000, "rate": 0.1})
    means = _means(case)
    assert means.means(0) == 420
    assert means.means(1000) == 1420
    assert means.means(1500) == pytest.approx(1500 + 300 + 70)
    assert means.means(1501) == pytest.approx(1501 + 120 - 50.1)
    assert means.means(2200) == 2200  # the care allowance has tapered to nothing
    assert means.means(3000) == 3000
    out = findings_json(analyze(case))["personas"][0]["means"]
    assert out == {"income": [
        {"from": 0, "to": 999, "benefits_per_month": 420},
        {"from": 1000, "to": 1500, "benefits_per_month": 420, "taper_per_unit": -0.1},
        {"from": 1501, "to": 2199, "benefits_per_month": 69.9, "taper_per_unit": -0.1},
        {"from": 2200, "to": 3000, "benefits_per_month": 0},
    ]}


def test_equal_neighbours_are_merged_and_a_case_without_money_has_no_means() -> None:
    # A limit on a goal worth nothing in money changes no means: one interval.
    case = build([tp("desk", rules=["r"], produces=["advice"])], [persona("sanne", goals=["advice"], income=10)],
                 rules=[rule("r", when={"income": {"max": 1500}})], attributes=INCOME)
    assert findings_json(analyze(case))["personas"][0]["means"] == {
        "income": [{"from": 0, "to": 3000, "benefits_per_month": 0}]}
    plain = build([tp("desk", produces=["advice"])], [persona("sanne", goals=["advice"])])
    assert findings_json(analyze(plain))["personas"][0]["means"] == {}


def test_a_yearly_value_counts_a_twelfth_and_a_value_paid_once_nothing() -> None:
    case = build([tp("a", produces=["bonus"]), tp("b", produces=["grant"])],
                 [persona("sanne", goals=["bonus", "grant"], income=0)], attributes=INCOME,
                 doc_values={"bonus": {"amount": 1200, "per": "year"}, "grant": {"amount": 5000, "per": "once"}})
    assert _means(case).means(0) == 100


@pytest.mark.finds("benefit_cliff")
def test_a_number_attribute_keeps_its_open_and_closed_ends() -> None:
    attributes = {"income": {"type": "number", "min": 0, "max": 3000, "money": {"per": "month"}}}
    case = build([tp("apply_rent", rules=["rent_limit"], produces=["rent_allowance"])],
                 [persona("sanne", goals=["rent_allowance"], income=1400)],
                 rules=[rule("rent_limit", when={"income": {"below": 1500}})], attributes=attributes,
                 doc_values={"rent_allowance": {"amount": 300}})
    assert findings_json(analyze(case))["personas"][0]["means"]["income"] == [
        {"from": 0, "to": 1500, "to_open": True, "benefits_per_month": 300},
        {"from": 1500, "to": 3000, "benefits_per_month": 0},
    ]
    cliff = only(case, "benefit_cliff")
    assert cliff.region == {"income": {"min": 1500, "below": 1800}}
    assert cliff.facts["recover"] == 1800


# ---------------------------------------------------------------- benefit cliffs


@pytest.mark.finds("benefit_cliff")
def test_a_goal_lost_at_a_limit_is_a_cliff_with_its_loss_and_where_the_means_recover() -> None:
    case = _allowances()
    cliff = only(case, "benefit_cliff")
    assert cliff.id == "benefit_cliff/sanne/income-1500"
    assert cliff.severity == "high"
    assert cliff.personas == ("sanne",)
    assert cliff.region == {"income": {"min": 1501, "max": 1799}}
    assert {"rent_allowance", "rent_limit"} <= set(cliff.nodes)
    assert cliff.rules == ("rent_limit",)
    assert cliff.facts["loss"] == 300 and cliff.facts["recover"] == 1800
    names_all(cliff.title, "Sanne", "Doc rent_allowance", "1500")
    names_all(cliff.explanation, "€ 300", "1800", "Ministry Office")
    assert "agency" in cliff.actors  # the desk that gives the allowance


@pytest.mark.near_miss("benefit_cliff")
def test_near_miss_a_limit_crossed_where_one_more_unit_earns_more_than_the_loss() -> None:
    # Income in % of the social minimum: one unit is worth 14.6 a month, the goal lost 10.
    attributes = {"income_pct": {"type": "integer", "min": 0, "max": 200,
                                 "money": {"per": "month", "unit_amount": 14.6}}}
    case = build([tp("apply", rules=["limit"], produces=["small"])],
                 [persona("sanne", goals=["small"], income_pct=100)],
                 rules=[rule("limit", when={"income_pct": {"max": 120}})], attributes=attributes,
                 doc_values={"small": {"amount": 10}})
    assert not kinds(case, "benefit_cliff")
    means = _means(case, name="income_pct")
    assert means.means(121) > means.means(120)
    # Worth 20, the same limit is a cliff.
    case = build([tp("apply", rules=["limit"], produces=["small"])],
                 [persona("sanne", goals=["small"], income_pct=100)],
                 rules=[rule("limit", when={"income_pct": {"max": 120}})], attributes=attributes,
                 doc_values={"small": {"amount": 20}})
    assert only(case, "benefit_cliff").region == {"income_pct": {"min": 121, "max": 121}}


@pytest.mark.finds("benefit_cliff")
def test_a_taper_steeper_than_the_rise_is_a_cliff_at_the_start_of_the_stretch() -> None:
    case = build([tp("apply", produces=["allowance"])], [persona("sanne", goals=["allowance"], income=500)],
                 attributes=INCOME,
                 doc_values={"allowance": {"amount": 600, "taper": {"attribute": "income", "from": 1000, "rate": 1.5}}})
    cliff = only(case, "benefit_cliff")
    assert cliff.facts["edge"] == 1000 and cliff.facts["marginal"] == 1.5
    assert cliff.facts["lost"] == [] and cliff.facts["tapering"] == ["allowance"]
    # 1000 + 600 at the edge; the allowance is gone at 1400, where the means are 1400; back at 1600.
    assert cliff.facts["recover"] == 1600
    assert cliff.region == {"income": {"min": 1001, "max": 1599}}
    names_all(cliff.explanation, "150%")
    # Only a taper: the explanation itself says where it starts (no "above it" without an "it").
    assert cliff.explanation.startswith("Above income 1000, Doc allowance fall faster than income rises")


NUMBER_INCOME = {"income": {"type": "number", "min": 0, "max": 3000, "money": {"per": "month"}}}


@pytest.mark.parametrize("limit", [{"below": 1500}, {"max": 1500}])
def test_a_limit_below_a_value_stops_at_the_value_one_up_to_it_just_past_it(limit: dict[str, Any]) -> None:
    case = build([tp("apply", rules=["limit"], produces=["rent"])], [persona("s", goals=["rent"], income=1400)],
                 rules=[rule("limit", when={"income": limit})], attributes=NUMBER_INCOME,
                 doc_values={"rent": {"amount": 300, "per": "month"}})
    cliff = only(case, "benefit_cliff")
    assert cliff.facts["edge"] == 1500
    if "below" in limit:  # at 1500 itself the allowance has stopped
        assert cliff.region == {"income": {"min": 1500, "below": 1800}}
        assert cliff.title == "S loses Doc rent from income 1500"
        assert cliff.explanation.startswith("Below income 1500 S still gets Doc rent; at 1500 it stops, which "
                                            "costs € 300 a month.")
        dutch = next(f for f in analyze(case, language="nl").findings if f.kind == "benefit_cliff")
        assert dutch.title == "S verliest Doc rent vanaf income 1500"
    else:
        assert cliff.title == "S loses Doc rent above income 1500"
        assert cliff.explanation.startswith("At income 1500 S still gets Doc rent; one euro more and it stops")


@pytest.mark.near_miss("benefit_cliff")
def test_near_miss_a_taper_that_takes_less_than_the_rise() -> None:
    case = build([tp("apply", produces=["allowance"])], [persona("sanne", goals=["allowance"], income=500)],
                 attributes=INCOME,
                 doc_values={"allowance": {"amount": 600, "taper": {"attribute": "income", "from": 1000, "rate": 0.9}}})
    assert not kinds(case, "benefit_cliff")


@pytest.mark.finds("benefit_cliff")
def test_two_limits_are_two_cliffs_one_per_edge() -> None:
    case = build([tp("rent", rules=["rent_limit"], produces=["rent_allowance"]),
                  tp("care", rules=["care_limit"], produces=["care_allowance"])],
                 [persona("sanne", goals=["rent_allowance", "care_allowance"], income=900)],
                 rules=[rule("rent_limit", when={"income": {"max": 1500}}),
                        rule("care_limit", when={"income": {"max": 2000}})],
                 attributes=INCOME, doc_values={"rent_allowance": {"amount": 300}, "care_allowance": {"amount": 150}})
    found = kinds(case, "benefit_cliff")
    assert sorted(found) == ["benefit_cliff/sanne/income-1500", "benefit_cliff/sanne/income-2000"]
    assert found["benefit_cliff/sanne/income-2000"].region == {"income": {"min": 2001, "max": 2149}}


@pytest.mark.finds("benefit_cliff")
def test_a_limit_on_an_outcome_and_on_a_requirement_item_cuts_the_means_too() -> None:
    case = build([tp("assess", produces=[{"doc": "grant", "when": {"income": {"max": 1200}}},
                                         {"doc": "loan", "when": {"income": {"min": 1201}}}])],
                 [persona("sanne", goals=["grant", "loan"], income=1000)], attributes=INCOME,
                 doc_values={"grant": {"amount": 400}, "loan": {"amount": 50}})
    cliff = only(case, "benefit_cliff")
    assert cliff.facts["edge"] == 1200 and cliff.facts["loss"] == 400
    assert "assess" in cliff.nodes


@pytest.mark.near_miss("benefit_cliff")
def test_a_persona_who_cannot_reach_the_goal_anyway_has_no_cliff_there() -> None:
    case = build([tp("apply_rent", rules=["rent_limit"], requires=["contract"], produces=["rent_allowance"])],
                 [persona("sanne", goals=["rent_allowance"], income=1400)],
                 rules=[rule("rent_limit", when={"income": {"max": 1500}})], attributes=INCOME,
                 doc_values={"rent_allowance": {"amount": 300}})
    assert not kinds(case, "benefit_cliff")


@pytest.mark.finds("benefit_cliff")
def test_a_charge_that_starts_at_a_limit_is_a_cliff() -> None:
    # Above 2000 a contribution is charged: a negative value.
    case = build([tp("charge", rules=["above"], produces=["contribution"])],
                 [persona("sanne", goals=["contribution"], income=1000)],
                 rules=[rule("above", when={"income": {"above": 2000}})], attributes=INCOME,
                 doc_values={"contribution": {"amount": -250}})
    cliff = only(case, "benefit_cliff")
    assert cliff.facts["edge"] == 2000 and cliff.facts["drop"] == 250


def test_the_cliff_is_said_in_dutch() -> None:
    case = _allowances()
    dutch = analyze(case, language="nl")
    cliff = next(f for f in dutch.findings if f.kind == "benefit_cliff")
    names_all(cliff.explanation, "€ 300", "1800")
    assert "a month" not in cliff.explanation


def test_one_more_of_an_attribute_worth_one_euro_is_said_as_one_euro_in_both_languages() -> None:
    lost = _allowances()
    charged = build([tp("charge", rules=["above"], produces=["contribution"])],
                    [persona("sanne", goals=["contribution"], income=1000)],
                    rules=[rule("above", when={"income": {"above": 2000}})], attributes=INCOME,
                    doc_values={"contribution": {"amount": -250}})
    taper = _allowances(limit=3000, care_taper={"attribute": "income", "from": 1000, "rate": 1.5})
    for case, english, dutch in [
        (lost, "one euro more and it stops", "één euro meer en dat stopt"),
        (charged, "One euro above income 2000", "Vanaf één euro boven income 2000"),
        (taper, "each euro more takes 150% of it away", "van elke euro meer gaat 150% weer af"),
    ]:
        for language, wanted in (("en", english), ("nl", dutch)):
            cliff = next(f for f in analyze(case, language=language).findings if f.kind == "benefit_cliff")
            assert wanted in cliff.explanation, (language, cliff.explanation)
            assert "unit" not in cliff.explanation and "eenheid" not in cliff.explanation
    # Another currency is named by its own name.
    pounds = _allowances().model_copy(update={"currency": "GBP"})
    said = {language: next(f for f in analyze(pounds, language=language).findings if f.kind == "benefit_cliff")
            for language in ("en", "nl")}
    assert "one British pound more" in said["en"].explanation
    assert "één Britse pond meer" in said["nl"].explanation


def test_near_miss_one_more_of_an_attribute_worth_another_amount_stays_one_unit() -> None:
    # Income in % of the social minimum: a unit is worth 14.6 a month, not one euro.
    attributes = {"income_pct": {"type": "integer", "min": 0, "max": 200,
                                 "money": {"per": "month", "unit_amount": 14.6}}}
    case = build([tp("apply", rules=["limit"], produces=["small"])],
                 [persona("sanne", goals=["small"], income_pct=100)],
                 rules=[rule("limit", when={"income_pct": {"max": 120}})], attributes=attributes,
                 doc_values={"small": {"amount": 20}})
    for language, wanted in (("en", "one unit more and it stops"), ("nl", "één eenheid meer en dat stopt")):
        cliff = next(f for f in analyze(case, language=language).findings if f.kind == "benefit_cliff")
        assert wanted in cliff.explanation
        assert "euro" not in cliff.explanation


def test_the_text_report_says_the_means_where_the_persona_stands_and_where_more_leaves_less() -> None:
    from kafka_tool.report import to_text

    text = to_text(analyze(_allowances()))
    assert "means: € 1,820 a month at income 1400; where earning more leaves less: above 1500" in text
    no_cliff = build([tp("apply", produces=["allowance"])], [persona("sanne", goals=["allowance"], income=500)],
                     attributes=INCOME, doc_values={"allowance": {"amount": 50}})
    assert "means: € 550 a month at income 500; earning more never leaves less" in to_text(analyze(no_cliff))
    plain = build([tp("desk", produces=["advice"])], [persona("sanne", goals=["advice"])])
    assert "means" not in to_text(analyze(plain))


# ---------------------------------------------------------------- mistakes in the money keys

MONEY_CASE = """format: kafka-case/1
id: money
title: Money
attributes:
  income: {{type: integer, min: 0, max: 3000, money: {money}}}
  status: {{type: category, values: [a, b]}}
documents:
  - {{id: allowance, name: Allowance, value: {value}}}
"""


@pytest.mark.parametrize(("money", "value", "line", "message", "hint"), [
    ("{unit_amount: 0}", "{amount: 5}", 5, "one unit of 'income' is worth 0: `unit_amount` must be more than 0",
     "leave `unit_amount` out (1)"),
    ("{per: week}", "{amount: 5}", 5, "per", "month"),
    ("{per: month}", "{amount: 5, per: once, taper: {attribute: income, from: 0, rate: 1}}", 8,
     "a value paid once cannot taper", "`per: month`"),
    ("{per: month}", "{amount: 5, taper: {attribute: status, from: 0, rate: 1}}", 8,
     "a value can taper only along a number, and attribute 'status' is of type 'category'", "income"),
    ("{per: month}", "{amount: 5, taper: {attribute: incme, from: 0, rate: 1}}", 8,
     "unknown attribute 'incme'", "did you mean 'income'?"),
    ("{per: month}", "{amount: 5, taper: {attribute: income, from: 0, rate: -1}}", 8, "0 or more", ""),
])
def test_a_mistake_in_the_money_keys_is_named_at_its_line(load_problems: Any, money: str, value: str, line: int,
                                                          message: str, hint: str) -> None:
    problems = load_problems(MONEY_CASE.format(money=money, value=value))
    problem = next((p for p in problems if message in p.message), None)
    assert problem is not None, [str(p) for p in problems]
    assert problem.line == line
    assert hint in (problem.hint or "")
