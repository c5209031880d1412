"""The JSON the commands write: the ``kafka-findings/1`` object of CASE_FORMAT.md, and JSON text
written one key a line and one finding or persona a line.

Apart from the reports (:mod:`.report`), so that a command that writes JSON loads none of
their words and layouts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import orjson

from .analysis.engine import Analysis

__all__ = ["findings_json", "iter_json_bytes", "to_json_text"]


def findings_json(analysis: Analysis, persona: str | None = None, *, lazy: bool = False) -> dict[str, Any]:
    """The ``kafka-findings/1`` object of CASE_FORMAT.md.

    With ``lazy``, its findings are an iterator that makes each one's object as it is read, for
    :func:`iter_json_bytes` to write them one at a time (the objects of 100,000 findings at once
    would take a tenth of a large analysis's memory).
    """
    findings = analysis.for_persona(persona) if persona else analysis.findings
    personas = [p for p in analysis.personas if persona is None or p.id == persona]
    return {
        "format": "kafka-findings/1",
        "case": analysis.case.id,
        "findings": (f.to_json() for f in findings) if lazy else [f.to_json() for f in findings],
        "personas": [p.to_json() for p in personas],
    }


def _encode(value: Any) -> bytes:
    """One value as compact JSON, UTF-8 (orjson: a large report's findings take a twentieth of the
    json module's time). A value orjson cannot write (an integer beyond 64 bits, a key that is not
    a string) is written by the json module in the same compact form."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError:
        return _FALLBACK.encode(value).encode()


_FALLBACK = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def to_json_text(data: Any) -> str:
    """JSON text, stable and readable: one key per line, and one finding or persona per line."""
    return b"".join(iter_json_bytes(data)).decode()


def iter_json_bytes(data: Any) -> Iterator[bytes]:
    """The text of :func:`to_json_text`, UTF-8, in pieces, one item a piece, to write as it is made.

    Each item is encoded compactly (see :func:`_encode`); a large report is never held
    whole, nor made text and encoded again. A value of ``data`` may be an iterator
    (:func:`findings_json` with ``lazy``): it is written as a list, item by item.
    """
    if isinstance(data, list):
        yield b"["
        for n, item in enumerate(data):
            yield b",\n" if n else b"\n"
            yield b"".join(iter_json_bytes(item)).rstrip(b"\n")
        yield b"\n]\n"
        return
    yield b"{\n"
    for n, (key, value) in enumerate(data.items()):
        yield (b",\n  " if n else b"  ") + _encode(key) + b": "
        if isinstance(value, (list, Iterator)):
            m = -1
            for m, item in enumerate(value):
                yield (b",\n    " if m else b"[\n    ") + _encode(item)
            yield b"\n  ]" if m >= 0 else b"[]"
        else:
            yield _encode(value)
    yield b"\n}\n"
