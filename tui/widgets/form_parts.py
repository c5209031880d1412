"""What a form edits, and where its value goes in the case: in plain Python, without Textual.

A :class:`Part` is one thing a form edits: an element (a touchpoint, a journey, ...), an
attribute, the case header, the teaching notes or an accepted finding. It knows the value
the form opens with, how to put the form's value into the case data (:meth:`Part.put`), and
where in the data the loader's issues about it are (:meth:`Part.prefix`), so that a form
can show each issue on the field it is about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kafka_tool.edits import (
    HEADER_KEYS,
    SECTIONS,
    ElementRef,
    copy_data,
    put_acceptance,
    put_attribute,
    put_header,
    put_teaching,
)
from kafka_tool.errors import Loc
from kafka_tool.model import Case

from ..state import element_data, element_position, replace_element

__all__ = ["Draft", "Part", "apply_drafts"]


@dataclass
class Part:
    """One thing a form edits: ``kind`` is an element kind, ``attribute``, ``case``, ``teaching`` or
    ``acceptance``; ``ref`` what is edited (None: a new one)."""

    kind: str
    ref: ElementRef | None = None
    prefill: dict[str, Any] = field(default_factory=dict)

    def original(self, case: Case) -> dict[str, Any]:
        """The value the form opens with."""
        data = case.to_data()
        if self.kind in SECTIONS:
            return element_data(case, self.ref) if self.ref is not None else dict(copy_data(self.prefill))
        if self.kind == "attribute":
            if self.ref is None:
                return dict(copy_data(self.prefill))
            return {"name": self.ref.key, **copy_data(data.get("attributes", {}).get(self.ref.key, {}))}
        if self.kind == "case":
            return {key: copy_data(data[key]) for key in HEADER_KEYS if key in data}
        if self.kind == "teaching":
            return dict(copy_data(data.get("teaching") or {}))
        if self.kind == "acceptance":
            if self.ref is None:
                return dict(copy_data(self.prefill))
            return dict(copy_data(data.get("accepted", [])[int(self.ref.key)]))
        raise KeyError(self.kind)

    def put(self, data: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
        """Case data with the form's value in its place; ValueError when it cannot go there."""
        if self.kind in SECTIONS:
            return replace_element(data, self.ref, self.kind, value)
        if self.kind == "attribute":
            spec = {k: v for k, v in value.items() if k != "name"}
            name = str(value.get("name") or (self.ref.key if self.ref is not None else ""))
            return put_attribute(data, self.ref.key if self.ref is not None else None, name, spec)
        if self.kind == "case":
            return put_header(data, value)
        if self.kind == "teaching":
            return put_teaching(data, value or None)
        if self.kind == "acceptance":
            return put_acceptance(data, int(self.ref.key) if self.ref is not None else None, value)
        raise KeyError(self.kind)

    def prefix(self, data: dict[str, Any], value: dict[str, Any]) -> Loc:
        """Where the issues about the form's value are in ``data`` (the data :meth:`put` made)."""
        if self.kind in SECTIONS:
            ref = self.ref
            if ref is not None and self.kind != "journey" and value.get("id"):
                ref = ElementRef(self.kind, str(value["id"]))
            return (SECTIONS[self.kind], element_position(data, ref, self.kind))
        if self.kind == "attribute":
            return ("attributes", str(value.get("name") or (self.ref.key if self.ref is not None else "")))
        if self.kind == "case":
            return ()
        if self.kind == "teaching":
            return ("teaching",)
        if self.kind == "acceptance":
            index = int(self.ref.key) if self.ref is not None else len(data.get("accepted", [])) - 1
            return ("accepted", index)
        raise KeyError(self.kind)

    def result_ref(self, value: dict[str, Any], case: Case) -> ElementRef:
        """What the tree selects once the value is in the case."""
        if self.kind == "journey":
            return self.ref if self.ref is not None else ElementRef("journey", str(len(case.journeys)))
        if self.kind in SECTIONS:
            return ElementRef(self.kind, str(value.get("id")))
        if self.kind == "attribute":
            return ElementRef("attribute", str(value.get("name")))
        if self.kind == "acceptance":
            return self.ref if self.ref is not None else ElementRef("acceptance", str(len(case.accepted)))
        return ElementRef(self.kind, self.kind if self.kind == "teaching" else "header")


#: An element made in a form on the way (a reference to it was typed before it existed): its kind and data.
Draft = tuple[str, dict[str, Any]]


def apply_drafts(data: dict[str, Any], drafts: list[Draft]) -> dict[str, Any]:
    """Case data with new elements added at the end of their sections, in order."""
    for kind, value in drafts:
        data = replace_element(data, None, kind, value)
    return data
