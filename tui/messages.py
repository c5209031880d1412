"""App-level events: what one part of the interface tells the others (and the tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.message import Message

from kafka_tool.analysis.engine import Analysis
from kafka_tool.findings import Finding

from .state import ElementRef

__all__ = ["AnalysisReady", "CaseEdited", "CaseSaved", "EditRequested", "ElementSelected", "FindingSelected",
           "InterventionEdit", "OpenCase"]


class ElementSelected(Message):
    """An element of the case was selected in the tree (None: a group heading)."""

    def __init__(self, ref: ElementRef | None) -> None:
        super().__init__()
        self.ref = ref


class FindingSelected(Message):
    """A finding was selected in the findings panel."""

    def __init__(self, finding: Finding) -> None:
        super().__init__()
        self.finding = finding


class OpenCase(Message):
    """The user asked to open a case file."""

    def __init__(self, path: Path, teaching: bool = False) -> None:
        super().__init__()
        self.path = path
        self.teaching = teaching


class CaseEdited(Message):
    """The case changed (an edit, an undo or a redo); ``label`` says what happened."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label


class AnalysisReady(Message):
    """A fresh analysis of the current case is available."""

    def __init__(self, analysis: Analysis, generation: int) -> None:
        super().__init__()
        self.analysis = analysis
        self.generation = generation


class CaseSaved(Message):
    """The case was written to ``path``."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path


class InterventionEdit(Message):
    """Set some fields of an intervention (None: take the field out), as one edit that can be undone;
    ``label`` says what the edit is (for undo)."""

    def __init__(self, intervention: str, changes: dict[str, Any], label: str) -> None:
        super().__init__()
        self.intervention = intervention
        self.changes = changes
        self.label = label


class EditRequested(Message):
    """Open the form of an element (from elsewhere than the tree)."""

    def __init__(self, ref: ElementRef) -> None:
        super().__init__()
        self.ref = ref
