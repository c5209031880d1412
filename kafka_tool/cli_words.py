"""click's own words (usage, help, its error messages) in the language of the command line.

click says its messages through the standard library's ``gettext.gettext`` and ``ngettext``,
bound by name in each of its modules when they are imported. :func:`install` binds those names
to kafka-tool's catalogue instead, in the language of the command line being run
(:func:`speaking`): ``--lang`` when it is given, else the system locale's (see
:meth:`SaidGroup.main`). The messages of click the tool can meet are listed below, marked with
``N_`` and ``N_n`` so that the catalogue keeps their Dutch; a message of click not listed stays
English.

The help texts of the commands and options, and the words of the metavars (``CASE``,
``[OPTIONS]``), are kept in English and said whenever click reads them, so that one command
object speaks either language (:class:`SaidCommand`, :class:`SaidOption`,
:class:`SaidArgument`, :class:`SaidPath`).
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import click

from .i18n import LANGUAGES, N_, N_n, catalogue, system_language

__all__ = ["CLICK_MESSAGES", "SaidArgument", "SaidCommand", "SaidGroup", "SaidIntRange", "SaidOption", "SaidPath",
           "install", "language_in", "said", "said_metavar", "speaking", "spoken"]

#: The messages of click (8.x) that kafka-tool's commands can show, in click's own English.
CLICK_MESSAGES: tuple[str | tuple[str, str], ...] = (
    # help
    N_("Usage:"), N_("Options"), N_("Commands"), N_("default: {default}"), N_("required"),
    N_("Show this message and exit."),
    # usage mistakes
    N_("Error: {message}"), N_("Try '{command} {option}' for help."), N_("Aborted!"),
    N_("No such option {name!r}."), N_("No such command {name!r}."), N_("Missing command."),
    N_n("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
    N_("Invalid value: {message}"), N_("Invalid value for {param_hint}: {message}"),
    N_("Missing argument"), N_("Missing option"), N_("Missing parameter"), N_("Missing parameter: {param_name}"),
    N_n("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    N_("Option {name!r} does not take a value."),
    N_n("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
    N_("Argument {name!r} takes {nargs} values."),
    # the values of options and arguments
    N_n("{value!r} is not {choice}.", "{value!r} is not one of {choices}."), N_("Choose from:\n\t{choices}"),
    N_("{value!r} is not a valid {number_type}."), N_("{value} is not in the range {range}."),
    N_("file"), N_("directory"), N_("path"),
    N_("{name} {filename!r} does not exist."), N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."), N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    # the words of metavars: click's own, and those a value's type gives
    N_("OPTIONS"), N_("COMMAND"), N_("ARGS"), N_("TEXT"),
)

#: The language click's words are said in. Outside a run of the command line (a test asking a
#: command for its help), English: the words stored when the commands are built are click's English.
_spoken: ContextVar[str] = ContextVar("kafka_tool_cli_language", default="en")


def spoken() -> str:
    """The language of the command line being run."""
    return _spoken.get()


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Say click's words (and the help) in ``language`` inside the ``with`` block."""
    token = _spoken.set(language)
    try:
        yield
    finally:
        _spoken.reset(token)


def language_in(args: Sequence[str]) -> str | None:
    """The language the last ``--lang`` of the raw ``args`` names (``--lang nl``, ``--lang=nl``).

    Read from the raw arguments because click parses them in order: ``--help`` (eager, like
    ``--lang``) and a usage mistake before ``--lang`` would otherwise be said before it is seen.
    A value the tool does not speak is left to click to refuse; ``--`` ends the options.

    >>> language_in(["analyze", "--help", "--lang", "nl"]), language_in(["--lang=en"]), language_in(["--lang", "fr"])
    ('nl', 'en', None)
    """
    found = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        else:
            continue
        if value in LANGUAGES:
            found = value
    return found


def said(message: str) -> str:
    """``message`` (a message of the catalogue, as click or a command gives it) in the spoken language."""
    return catalogue(_spoken.get()).gettext(message) if message else message


def _said_n(singular: str, plural: str, n: int) -> str:
    return catalogue(_spoken.get()).ngettext(singular, plural, n)


_METAVAR_WORD = re.compile(r"\b[A-Z]{2,}(?:-[A-Z]{2,})*\b")


def said_metavar(metavar: str) -> str:
    """The words of a metavar in the spoken language: ``[OPTIONS] CASE`` is ``[OPTIES] CASUS`` in Dutch.

    Each word in capitals (``CASE``, ``YYYY-MM-DD``) that the catalogue has is said; anything else
    (``[text|json]``, ``N``) stays as it is.
    """
    return _METAVAR_WORD.sub(lambda match: said(match.group()), metavar)


def install() -> None:
    """Bind click's ``_`` and ``ngettext`` to the catalogue, in the spoken language. Done once, at start-up.

    In English the catalogue gives every message back as it is, so click reads as it always did.
    """
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.termui
    import click.types

    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.termui,
                   click.types):
        names = vars(module)
        if names.get("_") is gettext.gettext:
            names["_"] = said
        if names.get("ngettext") is gettext.ngettext:
            names["ngettext"] = _said_n


class _SaidHelp:
    """The ``help`` click reads, said in the spoken language: the English is kept, and looked up
    in the catalogue each time it is read."""

    @property
    def help(self) -> str | None:
        english: str | None = self.__dict__.get("_english_help")
        return said(english) if english else english

    @help.setter
    def help(self, value: str | None) -> None:
        self.__dict__["_english_help"] = value


class SaidCommand(_SaidHelp, click.Command):
    """A command whose help, usage and help option are said in the spoken language."""

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [said_metavar(piece) for piece in super().collect_usage_pieces(ctx)]

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:  # click makes it once and keeps it: its help is said anew every time
            option.help = said(N_("Show this message and exit."))
        return option


class SaidGroup(SaidCommand, click.Group):
    """A group of said commands; a run of the command line says click's words in its language."""

    command_class = SaidCommand
    group_class = type  # its groups are of its own class

    def main(self, args: Sequence[str] | None = None, *rest: Any, **extra: Any) -> Any:
        """Run the command line, saying click's words in the language of ``--lang``, else the system's."""
        import sys

        raw = sys.argv[1:] if args is None else list(args)
        with speaking(language_in(raw) or system_language()):
            return super().main(args, *rest, **extra)


class SaidOption(_SaidHelp, click.Option):
    """An option whose help and metavar are said in the spoken language."""

    def make_metavar(self, ctx: click.Context) -> str:
        return said_metavar(super().make_metavar(ctx))


class SaidArgument(click.Argument):
    """An argument whose metavar (in the usage line and in its mistakes) is said in the spoken language."""

    def make_metavar(self, ctx: click.Context) -> str:
        return said_metavar(super().make_metavar(ctx))


class _SaidName(click.ParamType[Any]):
    """A type whose name (``file``, in "File 'x' is a directory") is said in the spoken language."""

    @property
    def name(self) -> str:
        return said(self.__dict__.get("_english_name", ""))

    @name.setter
    def name(self, value: str) -> None:
        self.__dict__["_english_name"] = value


class SaidPath(_SaidName, click.Path):
    """click's ``Path``, named in the spoken language."""


class SaidIntRange(_SaidName, click.IntRange):
    """click's ``IntRange``, named in the spoken language ("'x' is not a valid integer range")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name = N_("integer range")
