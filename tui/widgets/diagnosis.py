"""The class's diagnosis after the reveal: its score, what it found, missed and wrongly expected."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from kafka_tool.analysis.texts import SEVERITY_WORDS
from kafka_tool.findings import Finding
from kafka_tool.i18n import Words
from kafka_tool.model import Case
from kafka_tool.teaching import (
    Score,
    counting_rule,
    element_names,
    expectation_label,
    kind_label,
    near_miss_words,
    score_line,
)

from .detail import SEVERITY_STYLES

__all__ = ["Diagnosis", "finding_heading"]


def finding_heading(finding: Finding, say: Words) -> Text:
    """'Critical · dead end': how severe a finding is and what kind."""
    return Text.assemble((say.say(SEVERITY_WORDS[finding.severity]), SEVERITY_STYLES.get(finding.severity, "")),
                         " · ", (kind_label(finding.kind, say), "italic"))


class Diagnosis(Static):
    """The scored diagnosis: the score, the class's expectations marked found or false alarm, the
    missed findings with their explanation, the found ones, and the findings that did not count."""

    DEFAULT_CSS = """
    Diagnosis { height: auto; padding: 0 0 1 0; }
    """

    def show(self, case: Case, result: Score, say: Words) -> None:
        """Show ``result``."""
        names = element_names(case)
        parts: list[Any] = [
            Text(score_line(len(result.found), len(result.missed), len(result.false_alarms), say), "bold"),
            Text(counting_rule(case, say), "dim"),
            Text(),
        ]
        parts.append(Text(say.say("What the class expected ({n})", n=len(result.expectations)), "bold underline"))
        for expectation, ids in zip(result.expectations, result.matched, strict=True):
            label = expectation_label(expectation.kind, expectation.elements, names, say)
            if ids:
                parts.append(Text.assemble(("✔ ", "green"), label))
                continue
            near = near_miss_words(expectation, result.findings, say)
            parts.append(Text.assemble(("✘ ", "red"), label, ("  (" + say.say("false alarm") + ")", "dim")))
            if near:
                parts.append(Text("  " + near, "italic"))
        if not result.expectations:
            parts.append(Text(say.say("(nothing marked)"), "dim"))
        parts += [Text(), Text(say.say("Missed ({n})", n=len(result.missed)), "bold underline")]
        for finding in result.missed:
            parts += [Text.assemble(("✘ ", "red"), finding_heading(finding, say)), Text(finding.title, "bold"),
                      Text(finding.explanation), Text()]
        if not result.missed:
            parts += [Text(say.say("(none)"), "dim"), Text()]
        parts.append(Text(say.say("Found ({n})", n=len(result.found)), "bold underline"))
        for finding in result.found:
            parts.append(Text.assemble(("✔ ", "green"), (finding.title, "bold"), "  ", finding_heading(finding, say)))
        if not result.found:
            parts.append(Text(say.say("(none)"), "dim"))
        found = {f.id for f in result.found}
        rest = [f for f in result.findings if f.id not in result.counted and f.id not in found]
        if rest:
            parts += [Text(), Text(say.say("Also found by the analysis, not counted ({n})", n=len(rest)),
                                   "bold underline")]
            parts += [Text.assemble("· ", finding.title, "  ", finding_heading(finding, say)) for finding in rest]
        self.update(Group(*parts))
