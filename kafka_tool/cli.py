"""The command line: ``kafka-tool ...`` for people, scripts and CI.

Exit codes: 0 ok; 1 invalid input, or findings at or above ``--fail-on``;
2 wrong usage.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import CaseError, KafkaToolError, shown, terminal_safe
from .library import LibraryError, find_case, library_dir, list_cases
from .loader import load
from .model import Case

__all__ = ["main", "cli"]


def _echo_error(error: KafkaToolError) -> None:
    click.secho(terminal_safe(str(error)), fg="red", err=True)


class _Group(click.Group):
    """A group that turns the core's errors into messages and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KafkaToolError as error:
            _echo_error(error)
            ctx.exit(1)


@click.group(cls=_Group, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kafka-tool")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Model a citizen's journey through bureaucracy and find where people fall between the cracks.

    Without a command, opens the terminal interface on the sample library.

    Reference: docs/case-format.md (the case file) and docs/findings.md (the findings).
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(tui_command, case=None)
    elif ctx.invoked_subcommand != "tui":
        _batch_mode(ctx)


def _batch_mode(ctx: click.Context) -> None:
    """Pause the cycle collector for one command over a case.

    Loading and analysing a large case keeps hundreds of thousands of objects alive, and
    the collector's full passes over them cost a third of the run; what a command frees it
    frees by reference counting. The collector comes back when the command ends.
    """
    global _batch
    _batch = True
    if gc.isenabled():
        gc.disable()
        ctx.call_on_close(gc.enable)


_batch = False  # set by a batch command: the process may end as soon as its output is out


@cli.command("tui")
@click.argument("case", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", "language", type=click.Choice(["en", "nl"]), default=None,
              help="The interface's language (default: each case's own; the system's on the library).")
def tui_command(case: Path | None, language: str | None) -> None:
    """Open the terminal interface (on CASE, or on the sample library)."""
    # Imported here, so that the other commands never load Textual. A broken install is said,
    # with what failed to import, and ends with an error.
    try:
        from tui.app import run_app
    except ImportError as error:
        raise click.ClickException(
            f"the terminal interface cannot be loaded: {error}; reinstall kafka-tool with its dependencies"
        ) from error
    run_app(case, language)  # pragma: no cover - interactive


# ---------------------------------------------------------------- validate


@cli.command()
@click.argument("cases", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
def validate(cases: tuple[Path, ...], quiet: bool) -> None:
    """Check case files; list every problem with its line and a hint.

    Exit code 0 when every file is valid, 1 otherwise.
    """
    failed = 0
    for path in _expand(cases):
        shown_path = terminal_safe(str(path))
        try:
            loaded = load(path)
        except CaseError as error:
            failed += 1
            click.echo(str(error))
            count = len(error.problems)
            click.secho(f"{shown_path}: {count} problem{'s' if count != 1 else ''}", fg="red", err=True)
            continue
        for warning in loaded.warnings:
            click.secho(warning.warning(), fg="yellow")
        if not quiet:
            click.secho(f"{shown_path}: valid ({_counts(loaded.case)})", fg="green")
    if failed:
        sys.exit(1)


def _load(path: Path) -> Case:
    """Load a case for a command; what the reader should know about it goes to stderr."""
    loaded = load(path)
    for warning in loaded.warnings:
        click.secho(warning.warning(), fg="yellow", err=True)
    return loaded.case


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.yaml"))
            if not found:
                raise click.UsageError(f"{path}: no .yaml files in this folder")
            out.extend(found)
        else:
            out.append(path)
    return out


def _counts(case: Case) -> str:
    parts = [
        (len(case.actors), "actor"),
        (len(case.documents), "document"),
        (len(case.rules), "rule"),
        (len(case.touchpoints), "touchpoint"),
        (len(case.personas), "persona"),
    ]
    return ", ".join(f"{n} {word}{'s' if n != 1 else ''}" for n, word in parts)


# ---------------------------------------------------------------- schema, new


def case_schema() -> dict[str, Any]:
    """The JSON Schema of the case format, for editors."""
    schema = Case.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": "kafka-tool case (kafka-case/1)",
    }


@cli.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the schema to this file instead of printing it.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def schema(output: Path | None, force: bool) -> None:
    """Print the JSON Schema of the case format (for YAML editor completion)."""
    text = json.dumps(case_schema(), indent=2, sort_keys=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    from .files import write_text

    _refusing_to_overwrite(lambda: write_text(output, text, overwrite=force, protect_library=True))
    click.echo(f"wrote {output}", err=True)


def _refusing_to_overwrite(write: Callable[[], Path]) -> Path:
    """Run ``write``; an existing target is a usage mistake (exit 2: the user can add ``--force``).

    Every other reason a file cannot be written is a :class:`~kafka_tool.files.FileWriteError`,
    which the group shows with exit code 1.
    """
    from .files import TargetExists

    try:
        return write()
    except TargetExists as error:
        raise click.UsageError(str(error)) from None


def starter_text(language: str = "en") -> str:
    """The commented starter case that ``kafka-tool new`` writes, in ``language``."""
    from .templates import starter_text as template

    return template(language)


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option("--lang", "language", type=click.Choice(["en", "nl"]), default="en", show_default=True,
              help="The language of the starter's comments and texts (and its `language:`).")
def new(path: Path, force: bool, language: str) -> None:
    """Write a commented starter case to PATH."""
    from .files import write_text
    from .templates import case_id_for
    from .templates import starter_text as template

    text = template(language, case_id_for(path.stem) or None)
    _refusing_to_overwrite(lambda: write_text(path, text, overwrite=force, protect_library=True))
    click.echo(f"wrote {path}; check it with `kafka-tool validate {path}`")


# ---------------------------------------------------------------- analyze

SEVERITY_CHOICES = click.Choice(["critical", "high", "medium", "low"])


def _check_persona(case: Case, persona: str | None) -> None:
    if persona is not None and case.persona(persona) is None:
        from .errors import did_you_mean

        hint = did_you_mean(persona, [p.id for p in case.personas], "personas") or ""
        raise click.BadParameter(f"no persona {shown(persona)} in {case.id}; {hint}", param_hint="--persona")


def _fails(findings: list[Any], fail_on: str | None) -> bool:
    if fail_on is None:
        return False
    from .findings import severity_rank

    limit = severity_rank(fail_on)
    return any(f.accepted is None and severity_rank(f.severity) <= limit for f in findings)


@cli.command()
@click.argument("case_path", metavar="CASE", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--persona", "-p", help="Only this persona's findings and results.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True)
@click.option("--fail-on", type=SEVERITY_CHOICES,
              help="Exit 1 when a finding (not accepted) is at least this severe.")
@click.option("--intervention", "-i", "intervention",
              help="Analyse the case as it would be after this intervention (or a,b).")
def analyze(case_path: Path, persona: str | None, fmt: str, fail_on: str | None,
            intervention: str | None) -> None:
    """Find where people fall between the cracks: every finding, with its evidence."""
    from .analysis.engine import analyze as run_analysis
    from .report import findings_json, iter_json_text, to_markdown, to_text

    case = _load(case_path)
    _check_persona(case, persona)
    if intervention is not None:
        from .interventions import resolve_intervention_ids

        if intervention == "all":
            raise click.BadParameter("analyze takes one intervention or a combination (a,b), not 'all'",
                                     param_hint="--intervention")
        case = _applied(case_path, case, resolve_intervention_ids(case, intervention))
    result = run_analysis(case)
    if fmt == "json":
        sys.stdout.writelines(iter_json_text(findings_json(result, persona)))
        sys.stdout.flush()
    elif fmt == "markdown":
        click.echo(to_markdown(result, persona), nl=False)
    else:
        click.echo(to_text(result, persona, colour=True), nl=False)
    if fmt != "text":
        for stale in result.stale_accepted:
            click.secho(f"note: accepted finding {shown(stale)} no longer occurs; remove it from `accepted:`",
                        fg="yellow", err=True)
    visible = result.for_persona(persona) if persona else result.findings
    if _fails(visible, fail_on):
        sys.exit(1)


def _applied(case_path: Path, case: Case, ids: list[str]) -> Case:
    """The case after the interventions; a change that does not fit is reported at its line."""
    from .interventions import InterventionError, apply_interventions
    from .loader import parse_fast, read_text
    from .positions import locate

    try:
        return apply_interventions(case, ids)
    except InterventionError as error:
        text = read_text(case_path)
        raise CaseError(locate([error.issue], text, str(case_path), parse_fast(text, str(case_path)))) from None


# ---------------------------------------------------------------- compare


@cli.command()
@click.argument("case_path", metavar="CASE", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--intervention", "-i", "intervention", required=True,
              help="An intervention id, several combined (a,b), or 'all' to rank each on its own.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def compare(case_path: Path, intervention: str, fmt: str) -> None:
    """What an intervention resolves, what it introduces, and each persona before and after.

    With 'all', each intervention on its own, ranked: by the people it unblocks, then the critical
    findings it resolves, then the hours it saves a year (JSON: kafka-ranking/1).
    """
    from .analysis.engine import analyze as run_analysis
    from .interventions import compare as run_compare
    from .interventions import rank, ranking_json, resolve_intervention_ids
    from .report import comparison_text, to_json_text

    case = _load(case_path)
    ids = resolve_intervention_ids(case, intervention)
    before = run_analysis(case)
    groups = [[i] for i in ids] if intervention == "all" else [ids]
    comparisons = []
    for group in groups:
        _applied(case_path, case, group)  # reports a change that does not fit, at its line
        comparisons.append(run_compare(case, group, before))
    if intervention == "all":
        comparisons = rank(comparisons)
    if fmt == "json":
        data = ranking_json(case, comparisons) if intervention == "all" else comparisons[0].to_json()
        click.echo(to_json_text(data), nl=False)
    else:
        click.echo(comparison_text(comparisons, ranked=intervention == "all"), nl=False)


# ---------------------------------------------------------------- export

EXPORT_FORMATS = ("dot", "svg", "png", "pdf", "html", "md", "csv")


@cli.command("export")
@click.argument("case_path", metavar="CASE", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True,
              help="dot needs nothing else; svg, png, pdf, html and md need Graphviz's dot "
                   "(--means draws svg, png or pdf without it).")
@click.option("-o", "--output", type=click.Path(),
              help="File or folder to write (a folder when it ends with '/', or when CASE is a folder). "
                   "Default: the current folder.")
@click.option("--finding", "-f", help="Draw one finding and its immediate context.")
@click.option("--persona", "-p", help="Shade what this persona can obtain and number its plan.")
@click.option("--journey", "-j", help="Draw a reconstructed journey (persona id, or id/2 for its second).")
@click.option("--intervention", "-i", help="Draw the case after this intervention (or a,b), changes marked.")
@click.option("--timeline", "-t", "timeline", metavar="PERSONA",
              help="Draw this persona's steps towards its goals on a day axis, with deadlines and windows.")
@click.option("--means", "means", metavar="PERSONA",
              help="Chart this persona's means a month along a money attribute, with the benefit cliffs marked.")
@click.option("--attribute", "attribute", metavar="NAME",
              help="With --means: the money attribute to chart (needed only when the case has several).")
@click.option("--layers", help="Layers to draw: documents,referrals,rules,legend (default: all).")
@click.option("--diagrams", "diagrams", type=click.IntRange(min=0), metavar="N",
              help="Reports (html, md): draw diagrams for the first N findings, most severe first "
                   "[default: 50, or $KAFKA_TOOL_REPORT_DIAGRAMS]; the others are listed without one.")
@click.option("--force", is_flag=True, help="Overwrite existing files.")
def export_command(case_path: Path, fmt: str, output: str | None, finding: str | None, persona: str | None,
                   journey: str | None, intervention: str | None, timeline: str | None, means: str | None,
                   attribute: str | None, layers: str | None, diagrams: int | None, force: bool) -> None:
    """Diagrams (dot, svg, png, pdf) and reports (html, md, csv) of a case, or of a folder of cases.

    Limits: Graphviz lays out at most 1,000 boxes and arrows (a larger diagram is refused, with the
    focused views that fit); a DOT file holds at most 20 MB; a label lists 5 tags and 8 rules, then
    "… and N more".
    """
    # Imported here: the core never imports the exports package when it is loaded.
    from exports.scene import UnknownChoice
    from exports.writer import ExportUsageError, export

    try:
        written = export(case_path, fmt, output, finding=finding, persona=persona, journey=journey,
                         intervention=intervention, timeline=timeline, means=means, attribute=attribute,
                         layers=layers, force=force,
                         protect_library=True, diagrams=diagrams)
    except ExportUsageError as error:
        raise click.UsageError(str(error)) from None
    except UnknownChoice as error:
        raise click.BadParameter(terminal_safe(str(error)), param_hint=f"--{error.option}") from None
    for path in written:
        click.echo(f"wrote {path}", err=True)


# ---------------------------------------------------------------- the library


@cli.group()
def cases() -> None:
    """The sample case library, for educators."""


@cases.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def cases_list(fmt: str) -> None:
    """List the sample cases."""
    samples = list_cases()
    if fmt == "json":
        rows = [
            {"name": s.name, "id": s.case.id, "title": s.title, "language": s.language,
             "level": s.level, "tags": s.case.tags}
            for s in samples
        ]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    width = max((len(s.name) for s in samples), default=4)
    click.secho(f"{'NAME':<{width}}  LANG  LEVEL     TITLE", bold=True)
    for s in samples:
        click.echo(f"{s.name:<{width}}  {s.language:<4}  {s.level:<8}  {s.title}")
    click.echo(f"\n{len(samples)} cases in {library_dir()}", err=True)


@cases.command("show")
@click.argument("name")
@click.option("--yaml", "raw", is_flag=True, help="Print the case file itself.")
def cases_show(name: str, raw: bool) -> None:
    """Show a sample case: summary, source, personas and teaching notes."""
    path = find_case(name)
    if raw:
        click.echo(path.read_text(encoding="utf-8"), nl=False)
        return
    case = load(path).case
    click.secho(case.title, bold=True)
    click.echo(f"{path.stem} · {case.language} · {case.teaching.level if case.teaching else '-'}"
               + (f" · {', '.join(case.tags)}" if case.tags else ""))
    if case.summary:
        click.echo("\n" + click.wrap_text(case.summary.strip(), width=88))
    if case.source:
        click.echo("\n" + click.wrap_text("Source: " + case.source.strip(), width=88))
    click.echo(f"\n{_counts(case)}")
    if case.personas:
        click.secho("\nPersonas", bold=True)
        for persona in case.personas:
            click.echo(f"  {persona.id}: {persona.name}")
    if case.teaching:
        if case.teaching.questions:
            click.secho("\nQuestions for the class", bold=True)
            for i, question in enumerate(case.teaching.questions, 1):
                click.echo(click.wrap_text(question, width=88, initial_indent=f"  {i}. ",
                                           subsequent_indent="     "))
        if case.teaching.notes:
            click.secho("\nTeaching notes", bold=True)
            click.echo(click.wrap_text(case.teaching.notes.strip(), width=88, initial_indent="  ",
                                       subsequent_indent="  "))


@cases.command("copy")
@click.argument("name")
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def cases_copy(name: str, dest: Path, force: bool) -> None:
    """Copy sample case NAME to DEST (a file or a folder) to work on it."""
    from .files import copy_file

    source = find_case(name)
    # A folder (or a link to one) receives the file; anything else is the file itself, and a link
    # there is replaced by the copy, never written through.
    target = dest / source.name if dest.is_dir() else dest
    _refusing_to_overwrite(lambda: copy_file(source, target, overwrite=force, protect_library=True))
    click.echo(f"copied {source.stem} to {target}")


# ---------------------------------------------------------------- teaching


@cli.group()
def teach() -> None:
    """Teaching sessions: what classes expected, scored against the findings."""


@teach.command("summary")
@click.argument("sessions", nargs=-1, required=True, metavar="SESSION.md...",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True)
@click.option("--lang", "language", type=click.Choice(["en", "nl"]), default=None,
              help="The language of the summary (default: that of the first session).")
def teach_summary(sessions: tuple[Path, ...], fmt: str, language: str | None) -> None:
    """Add up several groups' sessions of one case (saved in teaching mode, ctrl+s).

    Per finding how many groups found and missed it, most missed first; the false alarms most
    made; each group's score. Exit code 1 when a session cannot be read, 2 when the sessions
    are of different cases.
    """
    from .i18n import system_language, words
    from .teaching import (
        DifferentCases,
        SessionError,
        read_session,
        summarise,
        summary_json,
        summary_markdown,
        summary_text,
    )

    read, problems = [], []
    for path in sessions:
        try:
            read.append(read_session(path, words(language or system_language())))
        except SessionError as error:
            problems += error.problems
    if problems:
        raise SessionError(problems)
    say = words(language or read[0].language)
    try:
        summary = summarise(read, say)
    except DifferentCases as error:
        raise click.UsageError(terminal_safe(str(error))) from None
    if fmt == "json":
        click.echo(summary_json(summary), nl=False)
    elif fmt == "markdown":
        click.echo(summary_markdown(summary, say), nl=False)
    else:
        click.echo(terminal_safe(summary_text(summary, say)), nl=False)


def main() -> None:
    """Entry point of the ``kafka-tool`` command.

    A batch command ends as soon as its output is flushed: tearing down the objects of a
    large case one by one would add a second or more to a run whose work is done.
    """
    code: int | str | None = 0
    try:
        cli.main(prog_name="kafka-tool")
    except LibraryError as error:  # pragma: no cover - raised inside commands normally
        _echo_error(error)
        code = 1
    except SystemExit as done:
        code = done.code
    if not _batch:  # the terminal interface ends the ordinary way
        sys.exit(code)
    if isinstance(code, str):  # sys.exit("message"): Python prints it and exits with 1
        click.echo(code, err=True)
        code = 1
    _exit_now(code or 0)


def _exit_now(code: int) -> None:  # pragma: no cover - ends the process
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader went away (``| head``): nothing left to say
        code = code or 1
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
