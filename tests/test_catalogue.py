"""The message catalogue: every word the tool writes has its Dutch, and Dutch output is Dutch.

Messages are found in the code as ``pybabel extract`` finds them (``babel.cfg``: the
keywords ``say``, ``say_n`` and ``N_``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from kafka_tool import i18n
from kafka_tool.i18n import Words, system_language

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "kafka_tool" / "locale" / "nl" / "LC_MESSAGES" / "kafka_tool.po"
PLACEHOLDER = re.compile(r"\{(\w*)\}")


@cache
def code_messages() -> dict[str | tuple[str, str], list[str]]:
    """Every message in the code, with where it is."""
    return i18n.code_messages(str(ROOT))


@cache
def catalogue() -> Catalog:
    with PO.open("rb") as handle:
        return read_po(handle, locale="nl")


def _ids(message: str | tuple[str, ...]) -> str:
    return message[0] if isinstance(message, tuple) else message


def test_every_message_in_the_code_has_its_dutch() -> None:
    missing = []
    for message, where in code_messages().items():
        entry = catalogue().get(_ids(message))
        strings = entry.string if entry is not None else None
        forms = list(strings) if isinstance(strings, tuple) else [strings]
        if entry is None or entry.fuzzy or not all(forms):
            missing.append(f"{where[0]}: {message!r}")
    assert not missing, ("messages without Dutch in kafka_tool.po (run `python -m kafka_tool.i18n`, then write "
                         "their Dutch):\n" + "\n".join(missing))


def test_no_dutch_is_kept_for_a_message_the_code_no_longer_says() -> None:
    said = {_ids(m) for m in code_messages()}
    stale = [m.id for m in catalogue() if m.id and _ids(m.id) not in said]
    assert not stale, "kafka_tool.po holds messages the code no longer has:\n" + "\n".join(map(str, stale))


def test_every_translation_keeps_the_placeholders() -> None:
    wrong = []
    for message in catalogue():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = {p for m in ids for p in PLACEHOLDER.findall(m)}
        for string in strings:
            if set(PLACEHOLDER.findall(string)) - wanted or (len(ids) == 1 and set(PLACEHOLDER.findall(string))
                                                            != wanted):
                wrong.append(f"{message.id!r} -> {string!r}")
    assert not wrong, "\n".join(wrong)


def test_words_follow_the_language() -> None:
    assert Words("nl").say_n("{n} step", "{n} steps", 1) == "1 stap"
    assert Words("nl").say_n("{n} step", "{n} steps", 3) == "3 stappen"
    assert Words("en").list(["a", "b", "c"], "or") == "a, b or c"
    assert Words("nl").list(["a", "b", "c"], "or") == "a, b of c"
    assert Words("en").list([]) == "nobody" and Words("nl").list([]) == "niemand"
    assert Words("en").list([str(n) for n in range(8)]) == "0, 1, 2, 3, 4, 5 and 2 more"
    assert Words("nl").list(["Amira, 24", "Yonas, 27", "Dawit"]) == "Amira, 24; Yonas, 27 en Dawit"
    with pytest.raises(ValueError):
        Words("fr")


# ---------------------------------------------------------------- Dutch output is Dutch


@cache
def english_words() -> frozenset[str]:
    """Words of four letters or more that the English messages use and the Dutch ones do not."""
    english: set[str] = set()
    dutch: set[str] = set()
    for message in catalogue():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in ids:
            english.update(re.findall(r"[a-z]{4,}", PLACEHOLDER.sub(" ", text).lower()))
        for text in strings:
            dutch.update(re.findall(r"[a-z]{4,}", PLACEHOLDER.sub(" ", text).lower()))
    return frozenset(english - dutch)


DUTCH_SAMPLES = [p for p in sorted((ROOT / "cases").glob("*.yaml"))
                 if re.search(r"^language: nl\b", p.read_text(encoding="utf-8"), re.MULTILINE)]


def _run(*args: str) -> str:
    from click.testing import CliRunner

    from kafka_tool.cli import cli

    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, (args, result.output[-1000:], result.exception)
    return result.stdout


def _diagrams(path: Path) -> Iterator[tuple[str, str]]:
    """The labels of every view's DOT (the words a reader sees, not DOT's attribute names)."""
    from exports.views import (
        case_diagram,
        finding_diagram,
        intervention_diagram,
        journey_diagram,
        journey_keys,
        persona_diagram,
    )
    from kafka_tool.analysis.engine import analyze
    from kafka_tool.interventions import compare
    from kafka_tool.loader import load_case
    from tests.dot_text import labels

    analysis = analyze(load_case(path))
    case = analysis.case
    views = [("diagram case", lambda: case_diagram(analysis))]
    views += [(f"diagram finding {f.id}", lambda f=f: finding_diagram(analysis, f.id)) for f in analysis.findings]
    views += [(f"diagram persona {p.id}", lambda p=p: persona_diagram(analysis, p.id)) for p in case.personas]
    views += [(f"diagram journey {key}", lambda key=key: journey_diagram(analysis, key)) for key in journey_keys(case)]
    views += [(f"diagram intervention {i.id}", lambda i=i: intervention_diagram(compare(case, [i.id], analysis)))
              for i in case.interventions]
    for what, make in views:
        yield what, "\n".join(labels(make().to_dot()))


def _outputs(path: Path, folder: Path) -> Iterator[tuple[str, str]]:
    """Every output of a case that people read, as text (machine keys and ids left out)."""
    import csv
    import io
    import json

    yield "analyze", _run("analyze", str(path))
    yield "analyze --format markdown", _run("analyze", str(path), "--format", "markdown")
    data = json.loads(_run("analyze", str(path), "--format", "json"))
    yield "analyze --format json", " ".join(f["title"] + " " + f["explanation"] for f in data["findings"])
    if "\ninterventions:" in path.read_text(encoding="utf-8"):
        yield "compare -i all", _run("compare", str(path), "-i", "all")
    for fmt in ("md", "html", "csv"):
        _run("export", str(path), "--format", fmt, "-o", str(folder) + "/", "--force")
    yield "export md", (folder / f"{path.stem}.md").read_text(encoding="utf-8")
    page = (folder / f"{path.stem}.html").read_text(encoding="utf-8")
    # The diagrams are checked as DOT; here the page around them.
    page = re.sub(r"<svg.*?</svg>|<style>.*?</style>|<[^>]+>", " ", page, flags=re.S)
    yield "export html", page
    header, *rows = csv.reader(io.StringIO((folder / f"{path.stem}.csv").read_text(encoding="utf-8")))
    yield "export csv", " ".join([*header, *(row[3] + " " + row[4] for row in rows)])  # with its title and explanation
    yield from _diagrams(path)


@pytest.mark.needs_dot
@pytest.mark.parametrize("path", DUTCH_SAMPLES, ids=[p.stem for p in DUTCH_SAMPLES])
def test_a_dutch_case_is_said_in_dutch(path: Path, tmp_path: Path) -> None:
    assert DUTCH_SAMPLES, "the library has Dutch samples"
    own = set(re.findall(r"[a-z]{4,}", path.read_text(encoding="utf-8").lower()))  # the case's own words
    leaks = []
    for what, output in _outputs(path, tmp_path):
        # Finding ids, file names and commands are the same in every language.
        text = re.sub(r"\S*[/`]\S*|kafka-tool", " ", output)
        found = set(re.findall(r"[a-z]{4,}", text.lower())) & english_words() - own
        if found:
            leaks.append(f"{what}: {sorted(found)}")
    assert not leaks, f"English words in the Dutch output of {path.name}:\n" + "\n".join(leaks)


@pytest.mark.parametrize(("environ", "language"), [
    ({}, "en"),
    ({"LANG": "nl_NL.UTF-8"}, "nl"),
    ({"LANG": "nl_BE.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),  # LC_ALL comes first
    ({"LC_MESSAGES": "nl_NL", "LANG": "en_US"}, "nl"),
    ({"LANGUAGE": "fr:nl:en", "LANG": "en_US"}, "nl"),  # the first of LANGUAGE's list the tool speaks
    ({"LANGUAGE": "fr", "LANG": "nl_NL"}, "nl"),  # none of LANGUAGE's: the next variable decides
    ({"LANG": "C"}, "en"),
    ({"LANG": "fr_FR.UTF-8"}, "en"),
])
def test_the_system_language_is_read_as_gettext_reads_the_locale(environ: dict[str, str], language: str) -> None:
    assert system_language(environ) == language


# ---------------------------------------------------------------- the compiled catalogue, kept


def _translations(mo: bytes) -> dict[str, str]:
    import gettext
    import io

    return dict(gettext.GNUTranslations(io.BytesIO(mo))._catalog)  # type: ignore[attr-defined]


def test_the_compiled_catalogue_is_kept_under_its_contents_and_read_back(tmp_path: Path) -> None:
    po = (Path(i18n.__file__).parent / "locale" / "nl" / "LC_MESSAGES" / "kafka_tool.po").read_bytes()
    first = i18n.compiled(po, "nl", tmp_path)
    kept = list(tmp_path.glob("kafka_tool-nl-*.mo"))
    assert len(kept) == 1 and kept[0].read_bytes() == first
    assert _translations(first)["Status"] == "Status" and _translations(first)["Cancel"] == "Annuleren"
    assert i18n.compiled(po, "nl", tmp_path) == first  # read back, the same


def test_a_changed_catalogue_is_never_read_from_an_older_copy(tmp_path: Path) -> None:
    po = (Path(i18n.__file__).parent / "locale" / "nl" / "LC_MESSAGES" / "kafka_tool.po").read_bytes()
    i18n.compiled(po, "nl", tmp_path)
    changed = po.replace(b'msgid "Cancel"\nmsgstr "Annuleren"', b'msgid "Cancel"\nmsgstr "Stoppen maar"')
    assert changed != po
    assert _translations(i18n.compiled(changed, "nl", tmp_path))["Cancel"] == "Stoppen maar"
    assert len(list(tmp_path.glob("kafka_tool-nl-*.mo"))) == 1  # the older copy is gone


def test_a_cache_that_cannot_be_written_still_gives_the_catalogue(tmp_path: Path) -> None:
    po = (Path(i18n.__file__).parent / "locale" / "nl" / "LC_MESSAGES" / "kafka_tool.po").read_bytes()
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("")
    assert _translations(i18n.compiled(po, "nl", blocked / "cache"))["Cancel"] == "Annuleren"


@pytest.mark.parametrize("damage", [b"", b"not a catalogue at all", b"\xde\x12\x04\x95\x00\x00"])
def test_a_damaged_copy_in_the_cache_is_made_anew(tmp_path: Path, damage: bytes) -> None:
    po = (Path(i18n.__file__).parent / "locale" / "nl" / "LC_MESSAGES" / "kafka_tool.po").read_bytes()
    i18n.compiled(po, "nl", tmp_path)
    (kept,) = tmp_path.glob("kafka_tool-nl-*.mo")
    kept.write_bytes(damage)
    assert i18n.translations(po, "nl", tmp_path).gettext("Cancel") == "Annuleren"
    assert _translations(kept.read_bytes())["Cancel"] == "Annuleren"  # and the copy is whole again
