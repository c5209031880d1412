"""The users' reference in ``docs/`` stays true to the code.

Every fenced block in ``docs/*.md`` is checked:

- a ```yaml block that starts with ``format: kafka-case/1`` (after any comments) is a complete
  case and must load;
  the other ```yaml blocks are fragments and must parse as YAML, and a fragment made of
  top-level sections (``actors:``, ``touchpoints:``, ...) must also have the shape the
  case format allows;
- ```sh blocks, and inline code that starts with ``kafka-tool``, name real commands and
  options.

HTML comments on the lines just before a block say more about it (``;`` separates marks,
``,`` separates values):

- ``<!-- finding: dead_end -->``: the case gives a finding of that kind;
  ``<!-- no finding: referral_loop -->``: it gives none of that kind;
- ``<!-- invalid case -->``: the case must be refused (it shows an error);
- ``<!-- adds to the case above; resolves: dead_end -->``: a fragment added to the last
  complete case before it; the result must load, its ``accepted`` entries must all match a
  finding, and its interventions (together) must resolve a finding of each kind named;
- ``<!-- output of: kafka-tool analyze example.yaml --format json -->``: what the tool prints
  for the case above (the complete case just before it, or the case above with the fragment
  just before it added; ``case: ID`` names another case of the document), saved as
  ``example.yaml``; a ```text block must hold its lines as they stand and in order (``...``
  separates runs of lines that need not follow each other), a ```json block must hold a part
  of its JSON (keys and list items may be left out; list items with an ``id`` are matched by it).

Besides, every complete case's ``teaching.expected_findings`` must occur, every
intervention's ``expected_resolves`` must be resolved by it, and no ``accepted`` entry may be
stale; every finding kind has a section
and an example in ``findings.md``; every field of the case format, every change kind and
every value of every kind list appears in ``case-format.md``.
"""

from __future__ import annotations

import json
import re
import shlex
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import pytest
import yaml_rs
from click.testing import CliRunner
from pydantic import BaseModel, ValidationError

from kafka_tool import model
from kafka_tool.analysis.engine import analyze
from kafka_tool.analysis.kinds import KINDS as KIND_TABLE
from kafka_tool.cli import cli
from kafka_tool.document import DEFAULT_MAX_EDIT_BYTES
from kafka_tool.errors import CaseError
from kafka_tool.interventions import compare
from kafka_tool.loader import DEFAULT_MAX_BYTES, MAX_DEPTH, load_case, load_case_text

KINDS = {kind.name: kind.severity for kind in KIND_TABLE}
ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
NEWCOMER = ROOT / "tests" / "data" / "newcomer-case.yaml"
HEADER = {"format": model.FORMAT, "id": "fragment", "title": "A fragment"}


# ---------------------------------------------------------------- reading the documents


@dataclass(repr=False)
class Block:
    """A fenced block of a document, with the marks of the comments just before it."""

    doc: str
    line: int
    lang: str
    text: str
    marks: dict[str, list[str]] = field(default_factory=dict)
    #: the last complete, valid case before this block in the same document
    base: Block | None = None
    #: the block just before this one in the same document
    prior: Block | None = None

    def __repr__(self) -> str:
        return f"Block({self.doc}:{self.line})"

    @property
    def where(self) -> str:
        return f"docs/{self.doc}, the ```{self.lang} block at line {self.line}"

    @property
    def complete(self) -> bool:
        """Whether this is a whole case: YAML whose first line (after comments) is the format."""
        lines = [line for line in self.text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        return self.lang == "yaml" and bool(lines) and lines[0].startswith(f"format: {model.FORMAT}")

    def values(self, mark: str) -> list[str]:
        return self.marks.get(mark, [])


_COMMENT = re.compile(r"^\s*<!--(.*)-->\s*$")
_FENCE = re.compile(r"^(\s*)(`{3,})\s*([\w+-]*)")


def _marks(comments: list[str]) -> dict[str, list[str]]:
    marks: dict[str, list[str]] = {}
    for comment in comments:
        for part in comment.split(";"):
            key, _, value = part.strip().partition(":")
            if not key.strip():
                continue
            values = [v.strip() for v in value.split(",") if v.strip()] if key.strip() != "output of" \
                else [value.strip()]
            marks.setdefault(key.strip(), []).extend(values)
    return marks


def blocks(path: Path) -> list[Block]:
    """Every fenced block of a Markdown file."""
    found: list[Block] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    comments: list[str] = []
    base: Block | None = None
    prior: Block | None = None
    i = 0
    while i < len(lines):
        fence = _FENCE.match(lines[i])
        if fence is None:
            comment = _COMMENT.match(lines[i])
            if comment:
                comments.append(comment.group(1))
            elif lines[i].strip():
                comments = []
            i += 1
            continue
        indent, ticks, lang = fence.groups()
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith(ticks):
            body.append(lines[j][len(indent):] if lines[j].startswith(indent) else lines[j].lstrip())
            j += 1
        block = Block(path.name, i + 1, lang or "", "\n".join(body) + "\n", _marks(comments), base, prior)
        found.append(block)
        prior = block
        if block.complete and "invalid case" not in block.marks:
            base = block
        comments = []
        i = j + 1
    return found


def _documents() -> list[Path]:
    return sorted(DOCS.glob("*.md"))


def _all_blocks() -> list[Block]:
    return [b for path in _documents() for b in blocks(path)]


def _ids(items: list[Block]) -> list[str]:
    return [f"{b.doc}:{b.line}" for b in items]


ALL = _all_blocks()
CASES = [b for b in ALL if b.complete]
FRAGMENTS = [b for b in ALL if b.lang == "yaml" and not b.complete]
SHELL = [b for b in ALL if b.lang in ("sh", "bash", "shell", "console")]
OUTPUTS = [b for b in ALL if "output of" in b.marks]


def _text(path: str) -> str:
    return (DOCS / path).read_text(encoding="utf-8")


def test_the_documents_are_there() -> None:
    names = {p.name for p in _documents()}
    assert {"README.md", "case-format.md", "findings.md", "howto.md"} <= names, names
    assert CASES, "no complete case in docs/*.md"
    index = _text("README.md")
    for name in sorted(names - {"README.md"}):
        assert f"({name})" in index, f"docs/README.md does not link to {name}"


def test_the_documents_are_linked_and_shipped() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("case-format.md", "findings.md", "howto.md"):
        assert f"(docs/{name})" in readme, f"README.md does not link to docs/{name}"
    assert "shared/" not in readme, "README.md sends users to a file outside the project"
    assert "docs/case-format.md" in (cli.help or "") and "docs/findings.md" in (cli.help or ""), (
        "`kafka-tool --help` does not point to docs/case-format.md and docs/findings.md")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    sdist = re.search(r"\[tool\.hatch\.build\.targets\.sdist\]\s*include = \[([^\]]*)\]", pyproject)
    assert sdist is not None and '"docs"' in sdist.group(1), "the sdist does not include docs/"


def test_marks_are_known() -> None:
    known = {"finding", "no finding", "invalid case", "adds to the case above", "resolves", "output of", "case"}
    for block in ALL:
        unknown = set(block.marks) - known
        assert not unknown, f"{block.where}: unknown mark(s) {sorted(unknown)}; known: {sorted(known)}"
        for kind in [*block.values("finding"), *block.values("no finding"), *block.values("resolves")]:
            assert kind in KINDS, f"{block.where}: {kind!r} is not a finding kind"


def _anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    headings, fenced = [], False
    for line in lines:
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            headings.append(_anchor(line.lstrip("#")))
    return set(headings)


def test_links_resolve() -> None:
    problems = []
    for path in _documents():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for target in re.findall(r"\]\(([^)\s]+)\)", line):
                if re.match(r"[a-z]+:", target):
                    continue  # a web address
                file, _, anchor = target.partition("#")
                where = (path.parent / file) if file else path
                if not where.exists():
                    problems.append(f"docs/{path.name}:{number}: {target}: no file {file}")
                elif anchor and where.suffix == ".md" and anchor not in _anchors(where):
                    problems.append(f"docs/{path.name}:{number}: {target}: no heading with anchor #{anchor}")
    assert not problems, "links in the documents that lead nowhere:\n" + "\n".join(problems)


def test_the_anchor_rule() -> None:
    assert _anchor(" `attributes`: what rules look at") == "attributes-what-rules-look-at"
    assert _anchor("Severities and `--fail-on`") == "severities-and---fail-on"
    assert _anchor("1. Reconstruct the journey") == "1-reconstruct-the-journey"


# ---------------------------------------------------------------- complete cases


def _load(block: Block, text: str | None = None) -> model.Case:
    try:
        return load_case_text(text if text is not None else block.text, f"docs/{block.doc}")
    except CaseError as error:
        problem = str(error)
    pytest.fail(f"{block.where} does not load:\n{problem}")


@pytest.mark.parametrize("block", CASES, ids=_ids(CASES))
def test_complete_case(block: Block) -> None:
    if "invalid case" in block.marks:
        with pytest.raises(CaseError):
            load_case_text(block.text, f"docs/{block.doc}")
        return
    case = _load(block)
    kinds = {f.kind for f in analyze(case).findings}
    for kind in block.values("finding"):
        assert kind in kinds, f"{block.where} is said to give {kind!r}, but gives {sorted(kinds)}"
    for kind in block.values("no finding"):
        assert kind not in kinds, f"{block.where} is said not to give {kind!r}, but it does"
    _check_expectations(case, block.where)


def _check_expectations(case: model.Case, where: str) -> None:
    """The case's own expectations: ``teaching.expected_findings`` and ``expected_resolves``."""
    analysis = analyze(case)
    assert not analysis.stale_accepted, f"{where}: accepted findings that do not occur: {analysis.stale_accepted}"
    kinds = {f.kind for f in analysis.findings}
    expected = case.teaching.expected_findings if case.teaching else []
    for kind in expected:
        assert kind in kinds, f"{where}: teaching.expected_findings names {kind!r}, which the case does not give"
    for intervention in case.interventions:
        if intervention.expected_resolves:
            result = compare(case, [intervention.id], analysis)
            for kind, ok in result.expected_check().items():
                assert ok, f"{where}: intervention {intervention.id!r} is expected to resolve {kind!r} but does not"


# ---------------------------------------------------------------- fragments


def _mapping(text: str) -> dict[str, Any]:
    """YAML text that holds a mapping, as a dict."""
    data = yaml_rs.loads(text)
    assert isinstance(data, dict), f"not a mapping of sections:\n{text}"
    return data


def _merged(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = [*out[key], *value]
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


@pytest.mark.parametrize("block", FRAGMENTS, ids=_ids(FRAGMENTS))
def test_fragment(block: Block) -> None:
    problem: str | None = None
    try:
        data = yaml_rs.loads(block.text)
    except yaml_rs.YAMLDecodeError as error:
        problem = str(error)
    assert problem is None, f"{block.where} is not YAML: {problem}"
    if "adds to the case above" in block.marks:
        _check_addition(block, data)
        return
    if "invalid case" in block.marks or not isinstance(data, dict) or not set(data) <= set(model.Case.model_fields):
        return
    # Top-level sections: their shape must be what the format allows (references are not checked here).
    try:
        model.Case.model_validate({**HEADER, **data})
    except ValidationError as error:
        problem = str(error)
    assert problem is None, f"{block.where} does not have the shape of a case's sections:\n{problem}"


def _check_addition(block: Block, data: Any) -> None:
    assert block.base is not None, f"{block.where} adds to the case above, but no complete case comes before it"
    assert isinstance(data, dict), f"{block.where}: a fragment added to a case is a mapping of sections"
    case = _load(block, json.dumps(_merged(_mapping(block.base.text), data), default=str))
    analysis = analyze(case)
    present = {f.id for f in analysis.findings}
    for entry in data.get("accepted", []):
        assert entry["finding"] in present, (
            f"{block.where}: accepted finding {entry['finding']!r} does not occur in the case above; "
            f"its findings: {sorted(present)}")
    new = [i["id"] for i in data.get("interventions", [])]
    if block.values("resolves"):
        assert new, f"{block.where} is said to resolve something but adds no intervention"
        result = compare(case, new, analysis)
        resolved = {f.kind for f in result.resolved}
        introduced = {f.kind for f in result.introduced}
        for kind in block.values("resolves"):
            assert kind in resolved, (
                f"{block.where}: the intervention(s) {new} are said to resolve {kind!r}, "
                f"but resolve {sorted(resolved) or 'nothing'}")
            # A finding that only changes (a gap that shrinks) is resolved under one id and back under another.
            assert kind not in introduced, (
                f"{block.where}: the intervention(s) {new} are said to resolve {kind!r}, "
                f"but introduce {[f.id for f in result.introduced if f.kind == kind]}")
    _check_expectations(case, block.where)


# ---------------------------------------------------------------- outputs


def _run(args: list[str], case_text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    (tmp_path / "example.yaml").write_text(case_text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.stdout


def _contains(actual: Any, excerpt: Any, path: str) -> str | None:
    """Why ``excerpt`` is not a part of ``actual``, or None."""
    if isinstance(excerpt, dict):
        if not isinstance(actual, dict):
            return f"{path}: a mapping in the excerpt, {type(actual).__name__} in the output"
        for key, value in excerpt.items():
            if key not in actual:
                return f"{path}.{key}: not in the output"
            problem = _contains(actual[key], value, f"{path}.{key}")
            if problem:
                return problem
        return None
    if (isinstance(excerpt, list) and isinstance(actual, list)
            and all(isinstance(x, dict) and "id" in x for x in excerpt)):
        by_id = {x.get("id"): x for x in actual if isinstance(x, dict)}
        for item in excerpt:
            if item["id"] not in by_id:
                return f"{path}: no item with id {item['id']!r} in the output (ids: {sorted(map(str, by_id))})"
            problem = _contains(by_id[item["id"]], item, f"{path}[{item['id']}]")
            if problem:
                return problem
        return None
    return None if actual == excerpt else f"{path}: {excerpt!r} in the excerpt, {actual!r} in the output"


def _case_for(block: Block) -> str:
    """The case an output block shows the output for: the case its ``case:`` mark names, or the
    case just before it (even one that shows an error), or the case above with the fragment just
    before it added, or the case above."""
    if block.values("case"):
        (ident,) = block.values("case")
        named = [b for b in CASES if b.doc == block.doc and _mapping(b.text).get("id") == ident]
        assert named, f"{block.where}: no complete case with id {ident!r} in docs/{block.doc}"
        return named[0].text
    prior = block.prior
    if prior is not None and prior.complete:
        return prior.text
    if prior is not None and "adds to the case above" in prior.marks and prior.base is not None:
        return json.dumps(_merged(_mapping(prior.base.text), _mapping(prior.text)), default=str)
    assert block.base is not None, f"{block.where}: no case above it to show the output of"
    return block.base.text


@pytest.mark.parametrize("block", OUTPUTS, ids=_ids(OUTPUTS))
def test_output_excerpt(block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (command,) = block.values("output of")
    args = shlex.split(command)
    assert args[:1] == ["kafka-tool"], f"{block.where}: the output of {command!r}: name a kafka-tool command"
    stdout = _run(args[1:], _case_for(block), tmp_path, monkeypatch)
    if block.lang == "json":
        try:
            excerpt = json.loads(block.text)
        except json.JSONDecodeError as error:
            pytest.fail(f"{block.where} is not JSON: {error}")
        problem = _contains(json.loads(stdout), excerpt, "$")
        assert problem is None, f"{block.where} is not what `{command}` prints for the case above: {problem}"
        return
    lines = [line.rstrip() for line in stdout.splitlines()]
    position = 0
    for run in _runs(block.text):
        found = next((i for i in range(position, len(lines) - len(run) + 1) if lines[i:i + len(run)] == run), None)
        if found is None:
            shown = "\n".join(run)
            pytest.fail(f"{block.where}: `{command}` on the case above does not print these lines together "
                        f"(or not in this order):\n{shown}\n\nIt prints:\n{stdout}")
        position = found + len(run)


def _runs(excerpt: str) -> list[list[str]]:
    """The runs of lines of an excerpt that ``...`` separates: each must be printed as it stands."""
    runs: list[list[str]] = [[]]
    for line in excerpt.splitlines():
        if line.strip() in ("...", "…"):
            runs.append([])
        else:
            runs[-1].append(line.rstrip())
    return [run for run in runs if run]


# ---------------------------------------------------------------- commands


def _inline_commands(path: Path) -> Iterator[tuple[str, str]]:
    """Inline code spans that are whole commands: ``kafka-tool analyze CASE --fail-on critical``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        for span in re.findall(r"(?<!`)`([^`]+)`(?!`)", line):
            if span.startswith("kafka-tool") and not re.search(r"\[|\||\.\.\.|…", span):
                yield f"docs/{path.name}:{number}", span


def _shell_commands() -> list[tuple[str, str, bool]]:
    """Every command line of the documents: (where, line, whether it may be a mere mention)."""
    found = []
    for block in SHELL:
        text = block.text.replace("\\\n", " ")
        for offset, line in enumerate(text.splitlines(), 1):
            found.append((f"{block.where} (line {block.line + offset})", line, False))
    for path in _documents():
        found.extend((where, span, True) for where, span in _inline_commands(path))
    return found


def _segments(line: str) -> Iterator[list[str]]:
    """The simple commands of a shell line, without redirections."""
    lexer = shlex.shlex(line.removeprefix("$ "), posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = "#"
    current: list[str] = []
    skip = False
    for token in lexer:
        if skip:
            skip = False
            continue
        if token in ("|", "||", "&&", ";", "&"):
            if current:
                yield current
            current = []
        elif token in (">", ">>", "<", "2>", "2>&1"):
            skip = token != "2>&1"
        else:
            current.append(token)
    if current:
        yield current


def check_command(args: list[str], mention: bool = False) -> str | None:
    """What is wrong with a ``kafka-tool`` command line, or None.

    With ``mention``, a command named without arguments (```kafka-tool compare``` in a sentence)
    is fine: it names the command, it is not a command line to run.
    """
    command: click.Command = cli
    words = ["kafka-tool"]
    rest = list(args)
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        name = rest.pop(0)
        sub = command.commands.get(name)
        if sub is None:
            return f"`{' '.join(words)}` has no command {name!r} (it has: {', '.join(sorted(command.commands))})"
        command, words = sub, [*words, name]
    options = {name: p for p in command.params if isinstance(p, click.Option) for name in (*p.opts, *p.secondary_opts)}
    given: set[str] = set()
    positional: list[str] = []
    helping = False
    while rest:
        token = rest.pop(0)
        if token in ("-h", "--help"):
            helping = True
            continue
        if not token.startswith("-") or token == "-":
            positional.append(token)
            continue
        name, equals, value = token.partition("=")
        option = options.get(name)
        if option is None:
            return f"`{' '.join(words)}` has no option {name!r} (it has: {', '.join(sorted(options))})"
        given.add(option.name or name)
        if option.is_flag:
            continue
        if not equals:
            if not rest:
                return f"`{' '.join(words)} {name}` needs a value"
            value = rest.pop(0)
        if isinstance(option.type, click.Choice) and value not in option.type.choices:
            return f"`{' '.join(words)} {name} {value}`: not one of {', '.join(map(str, option.type.choices))}"
    if helping or (mention and not given and not positional):
        return None
    if isinstance(command, click.Group):
        return f"`{' '.join(words)}` needs a command ({', '.join(sorted(command.commands))})"
    for param in command.params:
        if isinstance(param, click.Option) and param.required and param.name not in given:
            return f"`{' '.join(words)}` needs {max(param.opts, key=len)}"
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    needed = sum(max(p.nargs, 1) for p in arguments if p.required)
    most = None if any(p.nargs == -1 for p in arguments) else sum(p.nargs for p in arguments)
    if len(positional) < needed:
        return f"`{' '.join(words)}` needs {needed} argument(s), gets {len(positional)}"
    if most is not None and len(positional) > most:
        return f"`{' '.join(words)}` takes at most {most} argument(s), gets {len(positional)}: {positional}"
    return None


def test_commands_are_real() -> None:
    problems = []
    checked = 0
    for where, line, mention in _shell_commands():
        for segment in _segments(line):
            if not segment[0].endswith("kafka-tool"):
                continue
            checked += 1
            problem = check_command(segment[1:], mention)
            if problem:
                problems.append(f"{where}: {' '.join(segment)}\n    {problem}")
    assert checked, "no kafka-tool command found in the documents"
    assert not problems, "commands in the documents that the tool does not have:\n" + "\n".join(problems)


def test_the_command_check_can_fail() -> None:
    assert check_command(["analyze", "x.yaml", "--format", "json"]) is None
    assert check_command(["cases", "copy", "a", "b"]) is None
    assert "no command" in (check_command(["analyse", "x.yaml"]) or "")
    assert "no option" in (check_command(["analyze", "x.yaml", "--fail"]) or "")
    assert "not one of" in (check_command(["analyze", "x.yaml", "--format", "xml"]) or "")
    assert "needs --format" in (check_command(["export", "x.yaml"]) or "")
    assert check_command(["compare", "old.yaml", "new.yaml"]) is None
    assert "at most" in (check_command(["compare", "a.yaml", "b.yaml", "c.yaml"]) or "")
    assert "needs 1 argument" in (check_command(["validate"]) or "")
    assert check_command(["validate"], mention=True) is None
    assert "no command" in (check_command(["coach"], mention=True) or "")


# ---------------------------------------------------------------- coverage of the code


def _heading_kinds() -> set[str]:
    return {kind for line in _text("findings.md").splitlines() if line.startswith("#")
            for kind in re.findall(r"`([a-z_]+)`", line)}


def _section(text: str, kind: str) -> str:
    """The section of findings.md whose heading names ``kind``, up to the next heading of its level."""
    match = re.search(rf"^(#+) .*`{kind}`.*$", text, re.MULTILINE)
    assert match is not None
    level = match.group(1)
    rest = text[match.end():]
    end = re.search(rf"^{level} ", rest, re.MULTILINE)
    return rest[: end.start()] if end else rest


def test_every_finding_kind_has_a_section_and_an_example() -> None:
    headings = _heading_kinds()
    examples = {kind for b in CASES if b.doc == "findings.md" for kind in b.values("finding")}
    fixes = {kind for b in FRAGMENTS if b.doc == "findings.md" for kind in b.values("resolves")}
    text = _text("findings.md")
    for kind, severity in KINDS.items():
        assert kind in headings, f"docs/findings.md has no section (a heading with `{kind}`) for {kind}"
        assert kind in examples, f"docs/findings.md has no example case marked <!-- finding: {kind} -->"
        section = _section(text, kind)
        assert f"**Severity**: {severity}" in section, (
            f"docs/findings.md: the section on {kind} does not say its severity (**Severity**: {severity})")
        assert f"finding: {kind}/" in section, (
            f"docs/findings.md: the section on {kind} does not show how to accept it (an `accepted:` entry)")
        if kind != "journey_loop":  # what happened cannot be changed by an intervention
            assert kind in fixes, f"docs/findings.md: no intervention marked <!-- ...; resolves: {kind} -->"


def _models() -> list[type[BaseModel]]:
    return [value for value in vars(model).values()
            if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == model.__name__]


def _said(text: str, word: str) -> bool:
    """Whether ``word`` is named in backticks, or written as a YAML key (``word:``)."""
    return bool(re.search(rf"`{re.escape(word)}`|(?:^|[\s{{,`-]){re.escape(word)}:", text, re.MULTILINE))


def test_every_field_is_in_the_case_format() -> None:
    text = _text("case-format.md")
    missing = []
    for cls in _models():
        for name, info in cls.model_fields.items():
            key = info.alias or name
            if not _said(text, key):
                missing.append(f"{cls.__name__}.{key}")
    assert not missing, "docs/case-format.md does not name these fields (as `name` or a YAML key): " + \
        ", ".join(missing)


def _literal_values(annotation: Any) -> list[str]:
    values = []
    for arg in typing.get_args(annotation) or ():
        values.extend(_literal_values(arg))
    if typing.get_origin(annotation) is typing.Literal:
        values.extend(str(v) for v in typing.get_args(annotation))
    return values


def test_every_kind_list_is_in_the_case_format() -> None:
    text = _text("case-format.md")
    missing = []
    for cls in _models():
        for name, info in cls.model_fields.items():
            for value in _literal_values(info.annotation):
                if value != model.FORMAT and f"`{value}`" not in text and not re.search(
                        rf"[\s\[,|]{re.escape(value)}[\s\],|]", text):
                    missing.append(f"{cls.__name__}.{name} = {value}")
    assert not missing, "docs/case-format.md does not list these values: " + ", ".join(missing)


def test_the_limits_are_the_loaders() -> None:
    text = _text("case-format.md")
    for words in (f"{DEFAULT_MAX_BYTES // 2**20} MB", f"{DEFAULT_MAX_EDIT_BYTES // 2**20} MB", f"{MAX_DEPTH} levels",
                  "10^15", "KAFKA_TOOL_MAX_BYTES", "KAFKA_TOOL_MAX_EDIT_BYTES"):
        assert words in text, f"docs/case-format.md does not give the limit {words!r}"
    assert model.MAX_NUMBER == 10**15


# ---------------------------------------------------------------- a case written from the docs alone


def test_the_newcomer_case() -> None:
    """A case written from docs/case-format.md alone: it loads and gives what the docs led us to expect."""
    case = load_case(NEWCOMER)
    analysis = analyze(case)
    _check_expectations(case, str(NEWCOMER))
    kinds = {f.kind for f in analysis.findings}
    # The two agencies send Noor to each other and neither can help her: a critical loop, and
    # the municipality's referral into it is no dead end (its referrals only go round). The loop
    # lists everyone who can end up on it; its explanation names Noor, whom it cannot help.
    assert {"referral_loop", "unreachable_goal", "coverage_gap", "repeated_request", "expiry_trap",
            "journey_loop"} <= kinds, sorted(kinds)
    assert "dead_end" not in kinds
    loop = analysis.finding("referral_loop/tax_portal+uwv_phone")
    assert loop is not None and loop.severity == "critical" and loop.personas == ("noor", "daan")
    assert "None of these desks can help “Noor, 17, cares for her mother”." in loop.explanation
    assert {p.id: p.goals_reachable for p in analysis.personas} == {
        "noor": {"carer_allowance": False}, "daan": {"carer_allowance": True}}
    # Gaps are over the whole way: under 18 (the allowance starts at 16, the tax office's portal
    # at 18), from 18 to 23 for anyone without a benefit of their own (UWV's statement), and from
    # 24 (the allowance's own limit), which the team accepted.
    gaps = {f.id: f.accepted for f in analysis.findings if f.kind == "coverage_gap"}
    assert set(gaps) == {"coverage_gap/carer_allowance/age-12-17",
                         "coverage_gap/carer_allowance/age-18-23+benefit_recipient-false",
                         "coverage_gap/carer_allowance/age-24-25"}
    assert gaps["coverage_gap/carer_allowance/age-24-25"] is not None
    assert gaps["coverage_gap/carer_allowance/age-12-17"] is None
    # The tax office's portal opening at 16 is not enough: every requirement must be met, and
    # UWV's statement still stays out of Noor's reach. The gap under 18 shrinks to under 16.
    portal = compare(case, ["portal_from_16"], analysis)
    assert "unreachable_goal/noor/carer_allowance" not in {f.id for f in portal.resolved}
    assert "coverage_gap/carer_allowance/age-12-15" in {f.id for f in portal.introduced}
    resolved = {f.id for f in compare(case, ["decide_without_statements"], analysis).resolved}
    assert "unreachable_goal/noor/carer_allowance" in resolved
