"""A tiny case builder for the finding tests: touchpoints and personas in, a valid case out.

Actors and documents are made up from the ids the touchpoints and personas use, and the
case goes through the loader's checks, so that no test rests on a case the loader would
refuse.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kafka_tool.analysis.engine import Analysis, analyze
from kafka_tool.findings import Finding
from kafka_tool.loader import validate_data
from kafka_tool.model import Case

AGE = {"age": {"type": "integer", "min": 0, "max": 120}}


def actor_name(actor: str) -> str:
    return f"{actor.replace('_', ' ').title()} Office"


def doc_name(doc: str) -> str:
    return f"Doc {doc}"


def tp_name(tp: str) -> str:
    return f"Desk {tp}"


def rule_name(rule: str) -> str:
    return f"Rule {rule}"


def tp(ident: str, actor: str | None = "agency", **fields: Any) -> dict[str, Any]:
    """A touchpoint; ``actor=None`` leaves the actor out."""
    out: dict[str, Any] = {"id": ident, "name": tp_name(ident), **fields}
    if actor is not None:
        out["actor"] = actor
    return out


def persona(ident: str, goals: Iterable[str] = (), has: Iterable[str] = (), **attributes: Any) -> dict[str, Any]:
    return {"id": ident, "name": ident.title(), "goals": list(goals), "has": list(has), "attributes": attributes}


def rule(ident: str, owner: str | None = "ministry", **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"id": ident, "name": rule_name(ident), **fields}
    if owner is not None:
        out["owner"] = owner
    return out


def _docs_of(touchpoints: list[dict[str, Any]], personas: list[dict[str, Any]]) -> set[str]:
    docs: set[str] = set()
    for t in touchpoints:
        for item in t.get("requires", []):
            if isinstance(item, str):
                docs.add(item)
            elif "doc" in item:
                docs.add(item["doc"])
            else:
                docs.update(item["any_of"])
        docs.update(item if isinstance(item, str) else item["doc"] for item in t.get("produces", []))
        docs.update(t.get("fetches", []))
    for p in personas:
        docs.update(p["has"])
        docs.update(g if isinstance(g, str) else g["doc"] for g in p["goals"])
    return docs


def build(
    touchpoints: list[dict[str, Any]],
    personas: list[dict[str, Any]],
    *,
    rules: Iterable[dict[str, Any]] = (),
    attributes: dict[str, Any] | None = None,
    valid_days: dict[str, int] | None = None,
    doc_kinds: dict[str, str] | None = None,
    doc_values: dict[str, dict[str, Any]] | None = None,
    **sections: Any,
) -> Case:
    """A valid case from touchpoints and personas; actors and documents are made up from the ids used.

    The data goes through the loader's checks, so a test cannot rest on a case
    the loader would refuse.
    """
    rules = list(rules)
    actors = {t["actor"] for t in touchpoints if "actor" in t} | {r["owner"] for r in rules if "owner" in r}
    validity = valid_days or {}
    documents = []
    for doc in sorted(_docs_of(touchpoints, personas)):
        entry: dict[str, Any] = {"id": doc, "name": doc_name(doc)}
        if doc in validity:
            entry["valid_days"] = validity[doc]
        if doc_kinds and doc in doc_kinds:
            entry["kind"] = doc_kinds[doc]
        if doc_values and doc in doc_values:
            entry["value"] = doc_values[doc]
        documents.append(entry)
    data = {
        "format": "kafka-case/1",
        "id": "test",
        "title": "Test",
        "attributes": attributes or {},
        "actors": [{"id": a, "name": actor_name(a)} for a in sorted(actors)],
        "documents": documents,
        "rules": rules,
        "touchpoints": touchpoints,
        "personas": personas,
        **sections,
    }
    case, issues = validate_data(data)
    assert not issues, issues
    assert case is not None
    return case


def of_kind(analysis: Analysis, kind: str) -> dict[str, Finding]:
    return {f.id: f for f in analysis.findings if f.kind == kind}


def kinds(case: Case, kind: str) -> dict[str, Finding]:
    return of_kind(analyze(case), kind)


def only(case: Case, kind: str) -> Finding:
    found = kinds(case, kind)
    assert len(found) == 1, sorted(found)
    return next(iter(found.values()))


def names_all(text: str, *names: str) -> None:
    for name in names:
        assert name in text, (name, text)


def address_loop(**open_fields: Any) -> list[dict[str, Any]]:
    """No bank account without an address, no address without a bank account."""
    return [
        tp("open", "bank", requires=open_fields.pop("requires", ["address"]), produces=["account"], **open_fields),
        tp("register", "town", requires=["account"], produces=["address"]),
    ]
