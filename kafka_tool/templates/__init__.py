"""The commented starter cases that ``kafka-tool new`` and the interface's library write.

One starter a language (``starter.yaml`` in English, ``starter.<language>.yaml`` for the
others), each a valid case with a small example in every section and a comment that says
what the section is for. :func:`starter_text` fills in the case's id and can leave the
examples out, keeping the comments: an empty case to model from scratch.
"""

from __future__ import annotations

import re
import unicodedata
from importlib import resources

__all__ = ["STARTER_LANGUAGES", "case_id_for", "starter_text"]

#: The languages a starter is written in.
STARTER_LANGUAGES: tuple[str, ...] = ("en", "nl")

#: The sections whose examples an empty starter leaves out, and what each becomes.
_EMPTY = {"attributes": "{}", "actors": "[]", "documents": "[]", "rules": "[]", "touchpoints": "[]",
          "personas": "[]", "journeys": "[]", "interventions": "[]"}
_ID_LINE = re.compile(r"^id: (\S+)", re.MULTILINE)


def case_id_for(stem: str) -> str:
    """A case id (an ASCII slug) made from a file name's stem: "Café Überzicht" becomes "cafe-uberzicht".

    Examples
    --------
    >>> case_id_for("Café Überzicht"), case_id_for("---")
    ('cafe-uberzicht', '')
    """
    ascii_stem = unicodedata.normalize("NFKD", stem.lower()).encode("ascii", "ignore").decode("ascii")
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in ascii_stem).strip("-_")


def _template(language: str) -> str:
    if language not in STARTER_LANGUAGES:
        raise ValueError(f"no starter in {language!r}; there is one in: {', '.join(STARTER_LANGUAGES)}")
    name = "starter.yaml" if language == "en" else f"starter.{language}.yaml"
    return resources.files("kafka_tool").joinpath(f"templates/{name}").read_text(encoding="utf-8")


def _without_examples(text: str) -> str:
    """The starter with every example element taken out, and every comment kept."""
    out: list[str] = []
    skipping = False
    for line in text.splitlines(keepends=True):
        key = line.split(":", 1)[0]
        if not line.startswith((" ", "#", "\n")) and key in _EMPTY:
            out.append(f"{key}: {_EMPTY[key]}\n")
            skipping = True
            continue
        if skipping and line.startswith(" "):
            continue  # an example element of the section just emptied
        skipping = False
        out.append(line)
    return "".join(out)


def starter_text(language: str = "en", case_id: str | None = None, *, examples: bool = True) -> str:
    """The starter case in ``language``, with the id ``case_id`` (the starter's own when None or empty).

    ``examples`` False leaves every section empty, with its comment.

    Examples
    --------
    >>> "id: housing " in starter_text("en", "housing")
    True
    >>> "actors: []" in starter_text("nl", examples=False)
    True
    """
    text = _template(language)
    if case_id:
        # Only the id changes: the comment after it stays where it was written.
        text = _ID_LINE.sub(f"id: {case_id}", text, count=1)
    return text if examples else _without_examples(text)
