"""The command line: ``kafka-tool ...`` for people, scripts and CI.

Exit codes, the same in every command: 0 ok; 1 an invalid case, or findings at or above
``--fail-on``; 2 a usage mistake (an unknown ``--persona``, ``--finding`` or
``--intervention``, a bad option value, a file that is not there).

Every word a command writes is in one language: ``--lang``, else the case's ``language``,
else (before a case is read, and for the library) the system locale's. The help and the usage
mistakes click finds while it parses the arguments come before any case is read: they are said
in the language of ``--lang`` (wherever it stands), else the system locale's
(:mod:`kafka_tool.cli_words`).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

import click
from click.decorators import FC

from . import __version__
from .cli_words import SaidArgument, SaidGroup, SaidIntRange, SaidOption, SaidPath, install, speaking, spoken
from .errors import CaseError, KafkaToolError, did_you_mean, shown, terminal_safe
from .i18n import LANGUAGES, N_, Words, system_language, words
from .library import LibraryError, UnknownSample, find_case, library_dir, list_cases
from .loader import load
from .model import Case, iso_day

__all__ = ["main", "cli"]

# click's own words (usage, help, its mistakes) are said through the catalogue, in the language of
# the command line: --lang, else the system's (kafka_tool.cli_words).
install()

#: The words of the metavars below, said in the language of the command line (with click's own,
#: ``[OPTIONS]``, in kafka_tool.cli_words).
METAVAR_WORDS = (N_("CASE"), N_("CASES"), N_("NEW"), N_("PATH"), N_("NAME"), N_("DEST"), N_("SESSION"),
                 N_("PERSONA"), N_("YYYY-MM-DD"))


def option(*param_decls: str, **attrs: Any) -> Callable[[FC], FC]:
    """``click.option``, with its help and metavar said in the language of the command line."""
    return click.option(*param_decls, cls=SaidOption, **attrs)


def argument(*param_decls: str, **attrs: Any) -> Callable[[FC], FC]:
    """``click.argument``, with its metavar said in the language of the command line."""
    return click.argument(*param_decls, cls=SaidArgument, **attrs)


def _echo_error(error: KafkaToolError, language: str | None = None, case_language: str | None = None) -> None:
    """The error, in red on stderr, in the words of :func:`_error_words`."""
    click.secho(terminal_safe(error.say(_error_words(language, error, case_language))), fg="red", err=True)


def _say(language: str | None, case: Case | None = None) -> Words:
    """The words of a command: ``--lang``, else the case's language, else the system locale's."""
    return words(language or (case.language if case is not None else system_language()))


def _error_words(language: str | None, error: KafkaToolError, case_language: str | None = None) -> Words:
    """The words to say ``error`` in: ``--lang``, else the language the broken case file declares
    (when it could be read far enough to see it) or that of the case the command read, else the
    system locale's."""
    declared = error.language if isinstance(error, CaseError) else None
    return words(language or declared or case_language or system_language())


#: Where ``--lang``, and the language of the case a command read, are kept for the errors a
#: command ends with (said outside the command).
_LANGUAGE_KEY = "kafka_tool.language"
_CASE_LANGUAGE_KEY = "kafka_tool.case_language"


def _keep_language(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """The language a command's ``--lang`` gives, or, left out there, the one ``kafka-tool --lang``
    gave before the command (click shares ``meta`` with the contexts of the commands within)."""
    if value is None:
        value = ctx.meta.get(_LANGUAGE_KEY)
    ctx.meta[_LANGUAGE_KEY] = value
    return value


def language_option(help_text: str, **extra: Any) -> Callable[[FC], FC]:
    """A ``--lang`` option: one of :data:`LANGUAGES`, read first, and left out, the one given before the
    command (``kafka-tool --lang nl COMMAND``; see :func:`_keep_language`)."""
    return option("--lang", "language", type=click.Choice(LANGUAGES), default=None, callback=_keep_language,
                  is_eager=True, help=help_text, **extra)


#: ``--lang`` of the commands that write words.
lang_option = language_option(N_("The language of every word the command writes (default: the case's `language`; "
                                 "the system's where no case decides)."))


class Mistake(click.UsageError):
    """A usage mistake (exit code 2), said with the command's usage in the words of one language."""

    def __init__(self, say: Words, message: str) -> None:
        super().__init__(message)
        self.said_in = say

    def show(self, file: IO[Any] | None = None) -> None:
        """The usage line, where to find help, and the mistake."""
        say = self.said_in
        with speaking(say.language):  # the usage line's words too
            self._show(say, file)

    def _show(self, say: Words, file: IO[Any] | None) -> None:
        if self.ctx is not None:
            pieces = " ".join(self.ctx.command.collect_usage_pieces(self.ctx))
            click.echo(say.say("Usage: {command} {arguments}", command=self.ctx.command_path, arguments=pieces),
                       file=file, err=True)
            click.echo(say.say("Try '{command} --help' for help.", command=self.ctx.command_path) + "\n",
                       file=file, err=True)
        click.secho(say.say("Error: {error}", error=terminal_safe(self.format_message())), fg="red",
                    file=file, err=True)


def _option_mistake(say: Words, option: str, message: str) -> Mistake:
    """A mistake in the value of ``option`` (``--persona``): the option, then what is wrong and what would be right."""
    return Mistake(say, f"{option}: {message}")


def _existing(say: Words, paths: tuple[Path, ...] | list[Path]) -> None:
    """Every path exists; a missing one is a usage mistake (exit 2), named with what would be right."""
    for path in paths:
        if not os.path.lexists(path):
            raise Mistake(say, say.say("{path}: no such file or folder; check the path", path=path))


class _Group(SaidGroup):
    """A group that turns the core's errors into messages and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KafkaToolError as error:
            _echo_error(error, ctx.meta.get(_LANGUAGE_KEY), ctx.meta.get(_CASE_LANGUAGE_KEY))
            ctx.exit(1)


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(words(spoken()).say("kafka-tool, version {version}", version=__version__))
        ctx.exit()


@click.group(cls=_Group, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]},
             help=N_("Model a citizen's journey through bureaucracy and find where people fall between the cracks."
                     "\n\nWithout a command, opens the terminal interface on the sample library."
                     "\n\nReference: docs/case-format.md (the case file) and docs/findings.md (the findings)."))
@option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version,
        help=N_("Show the version and exit."))
@language_option(N_("The language of the command that follows (and of the terminal interface without one), "
                    "as that command's own --lang."))
@click.pass_context
def cli(ctx: click.Context, language: str | None) -> None:
    """The ``kafka-tool`` command; without a subcommand, the terminal interface. Its help, and that of
    every command, is given to click from the catalogue (``help=N_(...)``), so that it is said in Dutch too."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(tui_command, case=None, language=language)
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
        ctx.call_on_close(_collector_back)


def _collector_back() -> None:
    """Turn the cycle collector on again after a batch command, unless the process ends with it.

    Every object the command made is still in the collector's youngest generation, so the
    first allocation after :func:`gc.enable` would walk them all (a fifth of a second at
    10,000 touchpoints) for a process that is about to end (see :func:`main`).
    """
    if not _entry:
        gc.enable()


_batch = False  # set by a batch command: the process may end as soon as its output is out
_entry = False  # set by main(): the process ends with the command (not so when click is called in-process)
_kept: list[Any] = []


def _keep(made: Any) -> None:
    """Keep what a batch command made until the process ends (see :func:`main`): freeing the
    analysis of a large case object by object, when the command returns, costs a tenth of its time."""
    if _batch and _entry:
        _kept.append(made)


@cli.command("tui", help=N_("Open the terminal interface (on CASE, or on the sample library)."))
@argument("case", required=False, type=SaidPath(dir_okay=False, path_type=Path))
@language_option(N_("The interface's language (default: each case's own; the system's on the library)."))
def tui_command(case: Path | None, language: str | None) -> None:
    # Imported here, so that the other commands never load Textual. A broken install is said,
    # with what failed to import, and ends with an error.
    try:
        from tui.app import run_app
    except ImportError as error:
        raise click.ClickException(_say(language).say(
            "the terminal interface cannot be loaded: {error}; reinstall kafka-tool with its dependencies",
            error=error)) from error
    run_app(case, language)  # pragma: no cover - interactive


# ---------------------------------------------------------------- validate


@cli.command(help=N_("Check case files; list every problem with its line and a hint."
                     "\n\nExit code 0 when every file is valid, 1 otherwise (2 when a file is not there)."))
@argument("cases", nargs=-1, required=True, type=SaidPath(path_type=Path))
@option("--quiet", "-q", is_flag=True, help=N_("Print only problems."))
@lang_option
def validate(cases: tuple[Path, ...], quiet: bool, language: str | None) -> None:
    failed = 0
    for path in _expand(cases, _say(language)):
        shown_path = terminal_safe(str(path))
        try:
            loaded = load(path)
        except CaseError as error:
            failed += 1
            say = _error_words(language, error)
            click.echo(error.say(say))
            click.secho(say.say_n("{path}: {n} problem", "{path}: {n} problems", len(error.problems),
                                  path=shown_path), fg="red", err=True)
            continue
        say = _say(language, loaded.case)
        for warning in loaded.warnings:
            click.secho(warning.warning(say), fg="yellow")
        if not quiet:
            click.secho(say.say("{path}: valid ({counts})", path=shown_path, counts=_counts(loaded.case, say)),
                        fg="green")
    if failed:
        sys.exit(1)


def _load(path: Path, language: str | None) -> Case:
    """Load a case for a command, in ``language`` (``--lang``); what the reader should know about it goes to stderr."""
    _existing(_say(language), [path])
    loaded = load(path)
    click.get_current_context().meta[_CASE_LANGUAGE_KEY] = loaded.case.language
    say = _say(language, loaded.case)
    for warning in loaded.warnings:
        click.secho(warning.warning(say), fg="yellow", err=True)
    return loaded.case.in_language(language)


def _expand(paths: tuple[Path, ...], say: Words) -> list[Path]:
    _existing(say, paths)
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.yaml"))
            if not found:
                raise Mistake(say, say.say("{path}: no .yaml files in this folder", path=path))
            out.extend(found)
        else:
            out.append(path)
    return out


def _counts(case: Case, say: Words) -> str:
    """How many actors, documents, rules, touchpoints and personas the case has, in words."""
    return ", ".join([
        say.say_n("{n} actor", "{n} actors", len(case.actors)),
        say.say_n("{n} document", "{n} documents", len(case.documents)),
        say.say_n("{n} rule", "{n} rules", len(case.rules)),
        say.say_n("{n} touchpoint", "{n} touchpoints", len(case.touchpoints)),
        say.say_n("{n} persona", "{n} personas", len(case.personas)),
    ])


# ---------------------------------------------------------------- schema, new


def case_schema() -> dict[str, Any]:
    """The JSON Schema of the case format, for editors."""
    schema = Case.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": "kafka-tool case (kafka-case/1)",
    }


@cli.command(help=N_("Print the JSON Schema of the case format (for YAML editor completion)."))
@option("-o", "--output", type=SaidPath(dir_okay=False, path_type=Path),
        help=N_("Write the schema to this file instead of printing it."))
@option("--force", is_flag=True, help=N_("Overwrite an existing file."))
@lang_option
def schema(output: Path | None, force: bool, language: str | None) -> None:
    text = json.dumps(case_schema(), indent=2, sort_keys=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    from .files import write_text

    say = _say(language)
    _refusing_to_overwrite(say, lambda: write_text(output, text, overwrite=force, protect_library=True))
    click.echo(say.say("wrote {path}", path=output), err=True)


def _refusing_to_overwrite(say: Words, write: Callable[[], Path]) -> Path:
    """Run ``write``; an existing target is a usage mistake (exit 2: the user can add ``--force``).

    Every other reason a file cannot be written is a :class:`~kafka_tool.files.FileWriteError`,
    which the group shows with exit code 1.
    """
    from .files import TargetExists

    try:
        return write()
    except TargetExists as error:
        raise Mistake(say, say.say("{path} exists; pass --force to overwrite it", path=error.path)) from None


def starter_text(language: str = "en") -> str:
    """The commented starter case that ``kafka-tool new`` writes, in ``language``."""
    from .templates import starter_text as template

    return template(language)


@cli.command(help=N_("Write a commented starter case to PATH."))
@argument("path", type=SaidPath(dir_okay=False, path_type=Path))
@option("--force", is_flag=True, help=N_("Overwrite an existing file."))
@language_option(N_("The language of the starter's comments and texts (and its `language:`); "
                    "default: the system's."))
def new(path: Path, force: bool, language: str | None) -> None:
    from .files import write_text
    from .templates import case_id_for
    from .templates import starter_text as template

    say = _say(language)
    text = template(say.language, case_id_for(path.stem) or None)
    _refusing_to_overwrite(say, lambda: write_text(path, text, overwrite=force, protect_library=True))
    click.echo(say.say("wrote {path}; check it with `kafka-tool validate {path}`", path=path))


# ---------------------------------------------------------------- analyze

SEVERITY_CHOICES = click.Choice(["critical", "high", "medium", "low"])


def _check_persona(case: Case, persona: str | None) -> None:
    """An unknown ``--persona`` is a usage mistake, with the closest persona ids."""
    if persona is not None and case.persona(persona) is None:
        say = words(case.language)
        hint = did_you_mean(persona, [p.id for p in case.personas], say.say("personas"), say) or ""
        raise _option_mistake(say, "--persona", say.say("no persona {id} in case {case}; {hint}", id=shown(persona),
                                                        case=shown(case.id), hint=hint).rstrip("; "))


def _intervention_ids(case: Case, spec: str) -> list[str]:
    """The interventions ``--intervention`` names; an unknown one is a usage mistake, with the closest ids."""
    from .interventions import UnknownIntervention, resolve_intervention_ids

    try:
        return resolve_intervention_ids(case, spec)
    except UnknownIntervention as error:
        raise _option_mistake(words(case.language), "--intervention", str(error)) from None


def _fails(findings: list[Any], fail_on: str | None) -> bool:
    if fail_on is None:
        return False
    from .findings import severity_rank

    limit = severity_rank(fail_on)
    return any(f.accepted is None and severity_rank(f.severity) <= limit for f in findings)


@cli.command(help=N_("Find where people fall between the cracks: every finding, with its evidence."
                     "\n\nA finding whose actors belong to two or more layers (gemeente, rijk, ...) is marked as one "
                     "no single layer can solve; --cross-layer shows only those."))
@argument("case_path", metavar="CASE", type=SaidPath(dir_okay=False, path_type=Path))
@option("--persona", "-p", help=N_("Only this persona's findings and results."))
@option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
        show_default=True)
@option("--fail-on", type=SEVERITY_CHOICES,
        help=N_("Exit 1 when a finding (not accepted) is at least this severe."))
@option("--intervention", "-i", "intervention",
        help=N_("Analyse the case as it would be after this intervention (or a,b)."))
@option("--cross-layer", "cross_layer", is_flag=True,
        help=N_("Only the findings whose actors belong to two or more layers: those no single layer can solve."))
@lang_option
def analyze(case_path: Path, persona: str | None, fmt: str, fail_on: str | None,
            intervention: str | None, cross_layer: bool, language: str | None) -> None:
    from .analysis.engine import analyze as run_analysis
    from .json_out import findings_json, iter_json_bytes

    case = _load(case_path, language)
    say = words(case.language)
    _check_persona(case, persona)
    if intervention is not None:
        if intervention == "all":
            raise _option_mistake(say, "--intervention", say.say(
                "analyze takes one intervention or a combination (a,b), not 'all'; compare ranks them all"))
        case = _applied(case_path, case, _intervention_ids(case, intervention))
    result = run_analysis(case)
    _keep(result)
    if cross_layer:
        from dataclasses import replace

        result = replace(result, findings=[f for f in result.findings if f.spans_layers])
    if fmt == "json":
        _write_bytes(iter_json_bytes(findings_json(result, persona, lazy=True)))
    elif fmt == "markdown":
        from .report import to_markdown

        click.echo(to_markdown(result, persona), nl=False)
    else:
        from .report import to_text

        click.echo(to_text(result, persona, colour=True), nl=False)
    if fmt != "text":
        for stale in result.stale_accepted:
            click.secho(say.say("note: accepted finding {id} no longer occurs; remove it from `accepted:`",
                                id=shown(stale)), fg="yellow", err=True)
    visible = result.for_persona(persona) if persona else result.findings
    if _fails(visible, fail_on):
        sys.exit(1)


def _write_bytes(pieces: Iterable[bytes]) -> None:
    """Write UTF-8 ``pieces`` to standard output as they come: to its bytes where it has them (the
    text layer would decode and encode them again), else as text."""
    out = getattr(sys.stdout, "buffer", None)
    if out is None:
        sys.stdout.write(b"".join(pieces).decode())
        sys.stdout.flush()
        return
    sys.stdout.flush()
    out.writelines(pieces)
    out.flush()


def _applied(case_path: Path, case: Case, ids: list[str]) -> Case:
    """The case after the interventions; a change that does not fit is reported at its line."""
    from .interventions import InterventionError, apply_interventions
    from .loader import parse_fast, read_text
    from .positions import locate

    try:
        return apply_interventions(case, ids)
    except InterventionError as error:
        text = read_text(case_path)
        raise CaseError(locate([error.issue], text, str(case_path), parse_fast(text, str(case_path))),
                        case.language) from None


# ---------------------------------------------------------------- compare


@cli.command(help=N_("What an intervention resolves, what it introduces, and each persona before and after."
                     "\n\nWith 'all', each intervention on its own, ranked: by the people it unblocks, then the "
                     "critical findings it resolves, then the hours it saves a year (JSON: kafka-ranking/1)."
                     "\n\nWith two files (compare OLD NEW, no --intervention): two versions of a case, as at the "
                     "follow-up of a review: the findings that went away, stayed, changed or are new, the "
                     "interventions whose status changed, and each persona before and after."))
@argument("case_path", metavar="CASE", type=SaidPath(dir_okay=False, path_type=Path))
@argument("new_path", metavar="[NEW]", required=False, type=SaidPath(dir_okay=False, path_type=Path))
@option("--intervention", "-i", "intervention",
        help=N_("An intervention id, several combined (a,b), or 'all' to rank each on its own."))
@option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
def compare(case_path: Path, new_path: Path | None, intervention: str | None, fmt: str,
            language: str | None) -> None:
    from .analysis.engine import analyze as run_analysis
    from .interventions import compare as run_compare
    from .interventions import rank, ranking_json
    from .json_out import to_json_text
    from .report import comparison_text

    if new_path is not None:
        if intervention is not None:
            raise Mistake(_say(language), _say(language).say(
                "--intervention compares one case with itself changed; with two files (OLD NEW) leave it out"))
        _compare_versions(case_path, new_path, fmt, language)
        return
    if intervention is None:
        raise Mistake(_say(language), _say(language).say(
            "name an intervention with --intervention ID (or 'all'), or give two versions of the case: "
            "compare OLD NEW"))
    case = _load(case_path, language)
    ids = _intervention_ids(case, intervention)
    before = run_analysis(case)
    _keep(before)
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


def _compare_versions(old_path: Path, new_path: Path, fmt: str, language: str | None) -> None:
    """``compare OLD NEW``: two versions of a case, in the words of the new version (or ``--lang``)."""
    from .analysis.engine import analyze as run_analysis
    from .followup import compare_versions
    from .json_out import to_json_text
    from .plan_report import followup_text

    _existing(_say(language), [old_path, new_path])
    old = _load(old_path, language)
    new = _load(new_path, language)
    say = words(new.language)
    if old.id != new.id:
        click.secho(say.say("note: the files are of two cases ({old} and {new}); compared all the same",
                            old=shown(old.id), new=shown(new.id)), fg="yellow", err=True)
    followup = compare_versions(run_analysis(old.in_language(new.language)), run_analysis(new))
    if fmt == "json":
        click.echo(to_json_text(followup.to_json()), nl=False)
    else:
        click.echo(followup_text(followup, terminal_safe(str(old_path)), terminal_safe(str(new_path)), colour=True),
                   nl=False)


# ---------------------------------------------------------------- plan

def _today(say: Words, value: str | None) -> dt.date:
    """``--today``, or the date today; a value that is not a date as YYYY-MM-DD is a usage mistake."""
    if value is None:
        return dt.date.today()
    day = iso_day(value)
    if day is None:
        raise _option_mistake(say, "--today", say.say(
            "{value} is not a date; write it as YYYY-MM-DD, for example 2024-06-01", value=shown(value)))
    return day


@cli.command("plan", help=N_(
    "The action plan: every active finding, who can act, the interventions that resolve it, what is "
    "overdue."
    "\n\nAn intervention is overdue when its due or review date lies before --today and it is neither "
    "verified nor dropped. A dropped intervention resolves nothing in the plan. JSON: kafka-plan/1."))
@argument("case_path", metavar="CASE", type=SaidPath(dir_okay=False, path_type=Path))
@option("--today", "today", metavar="YYYY-MM-DD",
        help=N_("The day to check the dates against (default: the date today)."))
@option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "csv", "html"]), default="text",
        show_default=True)
@option("-o", "--output", type=SaidPath(dir_okay=False, path_type=Path),
        help=N_("Write the plan to this file instead of printing it."))
@option("--force", is_flag=True, help=N_("Overwrite an existing file."))
@lang_option
def plan_command(case_path: Path, today: str | None, fmt: str, output: Path | None, force: bool,
                 language: str | None) -> None:
    from .analysis.engine import analyze as run_analysis
    from .json_out import to_json_text
    from .plan import action_plan
    from .plan_report import plan_csv, plan_markdown, plan_text, problem_words

    day = _today(_say(language), today)
    case = _load(case_path, language)
    say = words(case.language)
    plan = action_plan(run_analysis(case), day)
    if fmt == "json":
        text = to_json_text(plan.to_json())
    elif fmt == "markdown":
        text = plan_markdown(plan)
    elif fmt == "csv":
        text = plan_csv(plan)
    elif fmt == "html":
        from exports.plan_page import plan_html

        text = plan_html(plan)
    else:
        text = plan_text(plan, colour=output is None)
    if fmt in ("json", "csv", "html") or output is not None:
        for problem in plan.problems:
            click.secho(say.say("note: intervention {id} resolves nothing in the plan: {problem}",
                                id=shown(problem.intervention.id), problem=problem_words(say, problem)),
                        fg="yellow", err=True)
    if output is None:
        click.echo(text, nl=False)
        return
    from .files import write_text

    _refusing_to_overwrite(say, lambda: write_text(output, text, overwrite=force, protect_library=True))
    click.echo(say.say("wrote {path}", path=output), err=True)


# ---------------------------------------------------------------- export

EXPORT_FORMATS = ("dot", "svg", "png", "pdf", "html", "md", "csv")


@cli.command("export", help=N_(
    "Diagrams (dot, svg, png, pdf) and reports (html, md, csv) of a case, or of a folder of cases."
    "\n\nLimits: Graphviz lays out at most 1,000 boxes and arrows (a larger diagram is refused, with the "
    "focused views that fit); a DOT file holds at most 20 MB; a label lists 5 tags and 8 rules, then \"… "
    "and N more\"."))
@argument("case_path", metavar="CASE", type=SaidPath(path_type=Path))
@option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True,
        help=N_("dot needs nothing else; svg, png, pdf, html and md need Graphviz's dot "
                "(--means draws svg, png or pdf without it)."))
@option("-o", "--output", type=SaidPath(),
        help=N_("File or folder to write (a folder when it ends with '/', or when CASE is a folder). "
                "Default: the current folder."))
@option("--finding", "-f", help=N_("Draw one finding and its immediate context."))
@option("--persona", "-p", help=N_("Shade what this persona can obtain and number its plan."))
@option("--journey", "-j", help=N_("Draw a reconstructed journey (persona id, or id/2 for its second)."))
@option("--intervention", "-i", help=N_("Draw the case after this intervention (or a,b), changes marked."))
@option("--timeline", "-t", "timeline", metavar="PERSONA",
        help=N_("Draw this persona's steps towards its goals on a day axis, with deadlines and windows."))
@option("--means", "means", metavar="PERSONA",
        help=N_("Chart this persona's means a month along a money attribute, with the benefit cliffs marked."))
@option("--attribute", "attribute", metavar="NAME",
        help=N_("With --means: the money attribute to chart (needed only when the case has several)."))
@option("--layers", help=N_("Layers to draw: documents,referrals,rules,legend (default: all)."))
@option("--diagrams", "diagrams", type=SaidIntRange(min=0), metavar="N",
        help=N_("Reports (html, md): draw diagrams for the first N findings, most severe first "
                "[default: 50, or $KAFKA_TOOL_REPORT_DIAGRAMS]; the others are listed without one."))
@option("--force", is_flag=True, help=N_("Overwrite existing files."))
@lang_option
def export_command(case_path: Path, fmt: str, output: str | None, finding: str | None, persona: str | None,
                   journey: str | None, intervention: str | None, timeline: str | None, means: str | None,
                   attribute: str | None, layers: str | None, diagrams: int | None, force: bool,
                   language: str | None) -> None:
    # Imported here: the core never imports the exports package when it is loaded.
    from exports.render import INSTALL_HINT, NOT_FOUND, DotNotFound
    from exports.scene import UnknownChoice
    from exports.writer import ExistingFiles, ExportUsageError, export

    from .interventions import UnknownIntervention

    _existing(_say(language), [case_path])
    case = None if case_path.is_dir() else _load(case_path, language)
    say = _say(language, case)
    try:
        written = export(case_path, fmt, output, finding=finding, persona=persona, journey=journey,
                         intervention=intervention, timeline=timeline, means=means, attribute=attribute,
                         layers=layers, force=force,
                         protect_library=True, diagrams=diagrams, language=language, case=case)
    except (ExportUsageError, ExistingFiles) as error:
        raise Mistake(say, str(error)) from None
    except UnknownChoice as error:
        raise _option_mistake(say, f"--{error.option}", str(error)) from None
    except UnknownIntervention as error:
        raise _option_mistake(say, "--intervention", str(error)) from None
    except DotNotFound:
        raise KafkaToolError(say.say(NOT_FOUND, hint=say.say(INSTALL_HINT))) from None
    for path in written:
        click.echo(say.say("wrote {path}", path=path), err=True)


# ---------------------------------------------------------------- review

REVIEW_FORMATS = {"html": "html", "markdown": "md"}



@cli.command("review", help=N_(
    "The review table for the meeting with every organisation: per layer and organisation, what it can "
    "act on."
    "\n\nThe findings it can act on (marked when they span two or more layers), the rules it owns that "
    "cause them, and the interventions it owns with their status, dates and obstacles, overdue marked "
    "against --today."))
@argument("case_path", metavar="CASE", type=SaidPath(dir_okay=False, path_type=Path))
@option("--format", "fmt", type=click.Choice(list(REVIEW_FORMATS)), default="html", show_default=True)
@option("-o", "--output", type=SaidPath(dir_okay=False, path_type=Path),
        help=N_("The file to write. Default: CASE's name with .review.html or .review.md, in the current "
                "folder."))
@option("--today", metavar="YYYY-MM-DD", help=N_("The day overdue is counted on (default: the date today)."))
@option("--force", is_flag=True, help=N_("Overwrite an existing file."))
@lang_option
def review_command(case_path: Path, fmt: str, output: Path | None, today: str | None, force: bool,
                   language: str | None) -> None:
    # Imported here: the core never imports the exports package when it is loaded.
    from exports.review import review_html, review_markdown
    from exports.writer import safe_name

    from .analysis.engine import analyze as run_analysis
    from .files import write_text

    case = _load(case_path, language)
    say = words(case.language)
    day = _today(say, today)
    target = output if output is not None else Path(f"{safe_name(case_path.stem)}.review.{REVIEW_FORMATS[fmt]}")
    analysis = run_analysis(case)
    _keep(analysis)
    text = review_html(analysis, day) if fmt == "html" else review_markdown(analysis, day)
    _refusing_to_overwrite(say, lambda: write_text(target, text, overwrite=force, protect_library=True))
    click.echo(say.say("wrote {path}", path=target), err=True)


# ---------------------------------------------------------------- the library


#: ``--lang`` of a group of commands (``cases``, ``teach``): the language of the command that follows.
group_lang_option = language_option(N_("The language of the command that follows, as that command's own --lang."),
                                    expose_value=False)


@cli.group(help=N_("The sample case library, for educators."))
@group_lang_option
def cases() -> None:
    """The group of the library's commands (its help, above, is said from the catalogue)."""


def _sample(name: str, say: Words) -> Path:
    """The file of sample case ``name``; an unknown name is a usage mistake, with the closest names."""
    try:
        return find_case(name)
    except UnknownSample as error:
        hint = did_you_mean(error.name, error.known, say.say("sample cases"), say) or say.say(
            "see `kafka-tool cases list`")
        raise Mistake(say, say.say("no sample case called {name}; {hint}", name=shown(name), hint=hint)) from None


@cases.command("list", help=N_("List the sample cases."))
@option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
def cases_list(fmt: str, language: str | None) -> None:
    samples = list_cases()
    if fmt == "json":
        rows = [
            {"name": s.name, "id": s.case.id, "title": s.title, "language": s.language,
             "level": s.level, "tags": s.case.tags}
            for s in samples
        ]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    from .vocabulary import value_word

    say = _say(language)
    levels = {s.name: value_word(say, "level", s.level) for s in samples}  # in words: "basis", "intro"
    heads = [say.say("NAME"), say.say("LANG"), say.say("LEVEL"), say.say("TITLE")]
    widths = [max([len(heads[0]), *(len(s.name) for s in samples)]), max(len(heads[1]), 4),
              max([len(heads[2]), *(len(level) for level in levels.values())])]
    click.secho("  ".join(f"{h:<{w}}" for h, w in zip(heads, widths, strict=False)) + f"  {heads[3]}", bold=True)
    for s in samples:
        click.echo(f"{s.name:<{widths[0]}}  {s.language:<{widths[1]}}  {levels[s.name]:<{widths[2]}}  {s.title}")
    click.echo("\n" + say.say_n("{n} case in {folder}", "{n} cases in {folder}", len(samples),
                                folder=library_dir()), err=True)


@cases.command("show", help=N_("Show a sample case: summary, source, personas and teaching notes."))
@argument("name")
@option("--yaml", "raw", is_flag=True, help=N_("Print the case file itself."))
@lang_option
def cases_show(name: str, raw: bool, language: str | None) -> None:
    say = _say(language)
    path = _sample(name, say)
    if raw:
        click.echo(path.read_text(encoding="utf-8"), nl=False)
        return
    from .vocabulary import value_word

    case = load(path).case
    click.secho(case.title, bold=True)
    level = value_word(say, "level", case.teaching.level) if case.teaching else "-"
    click.echo(f"{path.stem} · {case.language} · {level}"
               + (f" · {', '.join(case.tags)}" if case.tags else ""))
    if case.summary:
        click.echo("\n" + click.wrap_text(case.summary.strip(), width=88))
    if case.source:
        click.echo("\n" + click.wrap_text(say.say("Source: {source}", source=case.source.strip()), width=88))
    click.echo(f"\n{_counts(case, say)}")
    if case.personas:
        click.secho("\n" + say.say("Personas"), bold=True)
        for persona in case.personas:
            click.echo(f"  {persona.id}: {persona.name}")
    if case.teaching:
        if case.teaching.questions:
            click.secho("\n" + say.say("Questions for the class"), bold=True)
            for i, question in enumerate(case.teaching.questions, 1):
                click.echo(click.wrap_text(question, width=88, initial_indent=f"  {i}. ",
                                           subsequent_indent="     "))
        if case.teaching.notes:
            click.secho("\n" + say.say("Teaching notes"), bold=True)
            click.echo(click.wrap_text(case.teaching.notes.strip(), width=88, initial_indent="  ",
                                       subsequent_indent="  "))


@cases.command("copy", help=N_("Copy sample case NAME to DEST (a file or a folder) to work on it."))
@argument("name")
@argument("dest", type=SaidPath(path_type=Path))
@option("--force", is_flag=True, help=N_("Overwrite an existing file."))
@lang_option
def cases_copy(name: str, dest: Path, force: bool, language: str | None) -> None:
    from .files import copy_file

    say = _say(language)
    source = _sample(name, say)
    # A folder (or a link to one) receives the file; anything else is the file itself, and a link
    # there is replaced by the copy, never written through.
    target = dest / source.name if dest.is_dir() else dest
    _refusing_to_overwrite(say, lambda: copy_file(source, target, overwrite=force, protect_library=True))
    click.echo(say.say("copied {name} to {path}", name=source.stem, path=target))


# ---------------------------------------------------------------- teaching


@cli.group(help=N_("Teaching sessions: what classes expected, scored against the findings."))
@group_lang_option
def teach() -> None:
    """The group of the teaching commands (its help, above, is said from the catalogue)."""


@teach.command("summary", help=N_(
    "Add up several groups' sessions of one case (saved in teaching mode, ctrl+s)."
    "\n\nPer finding how many groups found and missed it, most missed first; the false alarms most made; "
    "each group's score. Exit code 1 when a session cannot be read, 2 when the sessions are of different "
    "cases."))
@argument("sessions", nargs=-1, required=True, metavar="SESSION.md...",
          type=SaidPath(exists=True, dir_okay=False, path_type=Path))
@option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text",
        show_default=True)
@language_option(N_("The language of the summary (default: that of the first session)."))
def teach_summary(sessions: tuple[Path, ...], fmt: str, language: str | None) -> None:
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
        raise Mistake(say, str(error)) from None
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

    Pydantic looks for plugins (observability hooks) among the installed packages' entry
    points the first time it builds a validator; the tool uses none, and the look costs every
    command a few hundredths of a second, so it is skipped unless ``PYDANTIC_DISABLE_PLUGINS``
    is set otherwise.
    """
    global _entry
    _entry = True
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
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
