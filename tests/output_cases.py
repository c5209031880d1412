"""Generated cases whose outputs grow without a bound, for the tests and the benchmark of export limits.

Each generator returns case data (a dict, ready for ``Case.model_validate`` or
a YAML file) and is deterministic. ``benchmarks/bench.py`` measures them as
its ``export-*`` entries; the tests build small versions of the same shapes.

- :func:`many_gaps`: ``rules`` producers of one goal, each under its own rule
  on one integer attribute, leaving ``gaps`` holes. Every gap names every rule,
  so an uncapped diagram writes ``rules × gaps`` gap tags (issue 10, item 13).
- :func:`many_findings`: ``n`` desks nobody is responsible for, each asking for
  a paper nobody issues: two findings each, so a report would draw ``2n``
  per-finding diagrams (item 14).
- :func:`complete_referrals`: ``n`` desks, every one referring to every other:
  ``n (n - 1)`` arrows in the case diagram (item 16).
"""

from __future__ import annotations

from typing import Any

__all__ = ["complete_referrals", "many_findings", "many_gaps"]


def _header(case_id: str, title: str) -> dict[str, Any]:
    return {"format": "kafka-case/1", "id": case_id, "title": title, "language": "en"}


def many_gaps(rules: int = 2000, gaps: int = 721) -> dict[str, Any]:
    """One goal produced by ``rules`` desks, each serving one stretch of ``score``; ``gaps`` stretches unserved.

    Rule ``i`` serves ``score`` in ``[3i, 3i + 1]`` for the first ``gaps`` rules
    (leaving ``3i + 2`` unserved) and ``[3i, 3i + 2]`` for the rest.
    """
    top = 3 * rules - 1
    data = _header(f"many-gaps-{rules}x{gaps}", f"{rules} rules leaving {gaps} gaps")
    data["attributes"] = {"score": {"type": "integer", "min": 0, "max": top}}
    data["actors"] = [{"id": "agency", "name": "Benefits Agency", "kind": "executive_agency"}]
    data["documents"] = [{"id": "benefit", "name": "Benefit", "kind": "payment"}]
    data["rules"] = [
        {
            "id": f"rule_{i:05d}",
            "name": f"Rule {i}",
            "owner": "agency",
            "when": {"score": {"min": 3 * i, "max": 3 * i + (1 if i < gaps else 2)}},
        }
        for i in range(rules)
    ]
    data["touchpoints"] = [
        {
            "id": f"desk_{i:05d}",
            "name": f"Desk {i}",
            "actor": "agency",
            "rules": [f"rule_{i:05d}"],
            "produces": ["benefit"],
        }
        for i in range(rules)
    ]
    data["personas"] = [{"id": "ann", "name": "Ann", "attributes": {"score": 2}, "goals": ["benefit"]}]
    return data


def many_findings(n: int = 7500) -> dict[str, Any]:
    """``n`` desks without an organisation, each needing a paper nobody issues: ``2n`` findings."""
    data = _header(f"many-findings-{n}", f"{n} desks nobody runs")
    data["documents"] = [{"id": f"paper_{i:05d}", "name": f"Paper {i}"} for i in range(n)]
    data["documents"].append({"id": "stamp", "name": "Stamp"})
    data["touchpoints"] = [
        {"id": f"desk_{i:05d}", "name": f"Desk {i}", "requires": [f"paper_{i:05d}"], "produces": ["stamp"]}
        for i in range(n)
    ]
    return data


def complete_referrals(n: int = 200) -> dict[str, Any]:
    """``n`` desks of five organisations, every desk referring to every other one."""
    data = _header(f"complete-referrals-{n}", f"{n} desks that all refer to each other")
    data["actors"] = [{"id": f"org_{k}", "name": f"Organisation {k}"} for k in range(5)]
    data["documents"] = [{"id": "answer", "name": "Answer"}]
    data["touchpoints"] = [
        {
            "id": f"desk_{i:03d}",
            "name": f"Desk {i}",
            "actor": f"org_{i % 5}",
            "refers_to": [f"desk_{k:03d}" for k in range(n) if k != i],
        }
        for i in range(n)
    ]
    data["touchpoints"][0]["produces"] = ["answer"]
    data["personas"] = [{"id": "ann", "name": "Ann", "goals": ["answer"]}]
    return data
