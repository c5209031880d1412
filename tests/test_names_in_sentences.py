"""Names inside the findings' sentences: a rule's name, or a name with punctuation of its own, is set in quotes.

A persona named "Ingrid, 46, depressie na een burn-out" or a rule named "Toeslagen stemt niet
in met een schuldregeling" would break the sentence it is put in ("Ingrid, 46, depressie na een
burn-out kan ... niet krijgen"); quoted („…” in Dutch, “…” in English) it reads as one name.
Near misses: a name without punctuation ("UWV", "Sanne") stays as it is, and the lists that
are no sentences (`who can act:`) keep the names bare.
"""

from __future__ import annotations

from pathlib import Path

from kafka_tool.analysis.engine import analyze
from kafka_tool.analysis.wording import name_in_sentence
from kafka_tool.i18n import words
from kafka_tool.loader import load_case
from kafka_tool.report import to_text
from tests.case_builder import build, persona, rule, tp
from tui.widgets.findings import distinct_titles

CASES = Path(__file__).resolve().parent.parent / "cases"


def _finding(analysis: object, fid: str) -> object:
    found = analysis.finding(fid)  # type: ignore[attr-defined]
    assert found is not None, fid
    return found


def test_a_persona_and_a_touchpoint_with_punctuation_are_quoted_in_the_dutch_sample() -> None:
    analysis = analyze(load_case(CASES / "bezwaartermijn-medisch-advies.yaml"), language="nl")
    goal = _finding(analysis, "unreachable_goal/ingrid/wia_uitkering")
    assert goal.title == "„Ingrid, 46, depressie na een burn-out” kan WIA-uitkering niet krijgen"
    dead = _finding(analysis, "dead_end/bezwaar_uwv")
    assert dead.title == ("Doodlopend bij „Bezwaar maken bij het UWV (bezwaarschrift met gronden, hoorzitting, "
                          "beslissing op bezwaar)”")
    # The desk's actor has no punctuation: it stays bare, in brackets after the quoted desk.
    assert dead.explanation.startswith("Bij „Bezwaar maken bij het UWV (bezwaarschrift met gronden, hoorzitting, "
                                       "beslissing op bezwaar)” (UWV) loop je vast")
    assert "Dit geldt voor „Ingrid, 46, depressie na een burn-out”." in dead.explanation
    assert "Wie dit kan veranderen: UWV." in dead.explanation


def test_a_rules_name_is_a_statement_and_always_quoted() -> None:
    analysis = analyze(load_case(CASES / "armoedeval-baan-aannemen.yaml"), language="nl")
    dead = _finding(analysis, "dead_end/verzoek_kwijtschelding")
    assert "niemand kan je daar helpen vanwege „Kwijtschelding tot de bijstandsnorm”, en niemand" in (
        dead.explanation)
    assert dead.evidence == ("„Sem (werkt fulltime, huurwoning)”: „Kwijtschelding tot de bijstandsnorm”",)
    # The list under the finding is no sentence: its names stay bare.
    text = to_text(analysis)
    assert "wie iets kan doen: Belastingsamenwerking (gemeentelijke belastingen), Ministerie van" in text


def test_near_miss_names_without_punctuation_stay_bare_in_either_language() -> None:
    case = build([tp("apply", rules=["adults"], produces=["grant"])], [persona("sanne", goals=["grant"], age=16)],
                 rules=[rule("adults", when={"age": {"min": 18}})],
                 attributes={"age": {"type": "integer", "min": 0, "max": 120}})
    for language, opening in (("en", "“"), ("nl", "„")):
        analysis = analyze(case, language=language)
        goal = next(f for f in analysis.findings if f.kind == "unreachable_goal")
        assert goal.title.startswith("Sanne ")  # no quotes around a plain name
        assert f"{opening}Rule adults”" in goal.explanation  # a rule's name is quoted
        assert "“Sanne" not in goal.explanation and "„Sanne" not in goal.explanation


def test_quoted_names_with_commas_are_listed_with_commas_not_semicolons() -> None:
    nl = words("nl")
    names = [name_in_sentence(n, nl) for n in ("Fatima (bijstand, huurwoning)", "Karin, 61", "Sem")]
    assert names == ["„Fatima (bijstand, huurwoning)”", "„Karin, 61”", "Sem"]
    assert nl.list(names) == "„Fatima (bijstand, huurwoning)”, „Karin, 61” en Sem"
    # Bare names with commas still need the semicolons to be told apart.
    assert nl.list(["Karin, 61", "Sem, 20"]) == "Karin, 61 en Sem, 20"
    assert nl.list(["Karin, 61", "Sem, 20", "Mo"]) == "Karin, 61; Sem, 20 en Mo"
    assert name_in_sentence("Ingrid, 46", words("en")) == "“Ingrid, 46”"


def test_a_title_cut_short_in_the_findings_table_keeps_the_name_s_closing_quote() -> None:
    analysis = analyze(load_case(CASES / "status-holder-bsn-bank-house.yaml"))
    goals = [f for f in analysis.findings if f.kind == "unreachable_goal"]
    assert len(goals) == 2 and all(f.title.startswith("“Yonas, 27, in an emergency shelter”") for f in goals)
    for shown in distinct_titles(goals, 40, lambda f: ""):
        head = shown.split("…")[0]
        assert head.count("“") == head.count("”"), shown
