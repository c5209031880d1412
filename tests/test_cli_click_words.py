"""click's own words, and every command's help, in the language of the command line.

``--help`` and click's usage mistakes (an unknown option, a missing argument, a bad value) are
said in the language of ``--lang`` wherever it stands on the command line, else in the system
locale's: a case cannot decide, for it is read only once the arguments are parsed. English
reads as it always did.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from dutch_leaks import english_leaks

from kafka_tool import __version__
from kafka_tool.cli import cli
from kafka_tool.cli_words import language_in

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = ROOT / "cases" / "status-holder-bsn-bank-house.yaml"
SYSTEM_EN = {"LANGUAGE": "", "LC_ALL": "C.UTF-8"}
SYSTEM_NL = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "nl_NL.UTF-8"}


def run(*args: str | Path, env: dict[str, str] = SYSTEM_EN) -> Result:
    return CliRunner(env=env).invoke(cli, [str(a) for a in args], prog_name="kafka-tool", catch_exceptions=False)


def command_paths(group: click.Group = cli, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The path of every command and group under ``group``, the group itself first."""
    yield path
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from command_paths(command, (*path, name))
        else:
            yield (*path, name)


PATHS = list(command_paths())


def takes_lang(path: tuple[str, ...]) -> bool:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return any("--lang" in param.opts for param in command.params)


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_the_walk_reaches_every_command_and_the_subgroups() -> None:
    assert {("analyze",), ("teach",), ("teach", "summary"), ("cases", "copy"), ("tui",), ()} <= set(PATHS)
    assert len(PATHS) == 16


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "kafka-tool")
def test_help_in_dutch_has_no_english_and_english_help_is_english(path: tuple[str, ...]) -> None:
    english = run(*path, "--help")
    dutch = run(*path, "--help", env=SYSTEM_NL)
    assert english.exit_code == dutch.exit_code == 0
    assert english_leaks(english.stdout)  # the check sees click's English and the help's ...
    assert english_leaks(dutch.stdout) == []  # ... and none is left in Dutch
    assert "Usage: kafka-tool" in english.stdout and "Show this message and exit." in english.stdout
    assert "Gebruik: kafka-tool" in dutch.stdout and "Opties:" in dutch.stdout
    assert "Toon deze hulp en stop." in dutch.stdout and "Usage:" not in dutch.stdout
    if not path or path[-1] in ("cases", "teach"):
        assert "Commands:" in english.stdout and "Opdrachten:" in dutch.stdout
    # English reads as before: the command's help and each option's, as written in the code.
    command = cli if not path else cli.get_command(click.Context(cli), path[0])
    for name in path[1:]:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    assert command is not None and command.help
    assert one_line(command.help.split("\n\n")[0]) in one_line(english.stdout)
    for param in command.params:
        if isinstance(param, click.Option) and param.help:
            assert one_line(param.help) in one_line(english.stdout)
            assert one_line(param.help) not in one_line(dutch.stdout)
    if takes_lang(path):  # --lang decides, before or after --help, over the system locale
        assert run(*path, "--help", "--lang", "nl").stdout == dutch.stdout
        assert run(*path, "--lang", "nl", "--help").stdout == dutch.stdout
        assert run(*path, "--lang=nl", "--help").stdout == dutch.stdout
        assert run(*path, "--help", "--lang", "en", env=SYSTEM_NL).stdout == english.stdout


def test_dutch_help_says_the_metavars_and_defaults_in_dutch() -> None:
    analyze = run("analyze", "--help", "--lang", "nl").stdout
    assert "Gebruik: kafka-tool analyze [OPTIES] CASUS" in analyze
    assert "-p, --persona TEKST" in analyze and "[standaard: text]" in analyze
    plan = run("plan", "--help", "--lang", "nl").stdout
    assert "--today JJJJ-MM-DD" in plan and "-o, --output BESTAND" in plan
    export = run("export", "--help", "--lang", "nl").stdout
    assert "[verplicht]" in export and "--attribute NAAM" in export and "--diagrams N " in export
    assert "Gebruik: kafka-tool teach summary [OPTIES] LES.md..." in run("teach", "summary", "--help",
                                                                           "--lang", "nl").stdout
    top = run("--help", env=SYSTEM_NL).stdout
    assert "Gebruik: kafka-tool [OPTIES] [OPDRACHT] [ARGUMENTEN]..." in top
    assert "--version       Toon de versie en stop." in top and "--lang [en|nl]  De taal van de opdracht" in top
    english = run("analyze", "--help").stdout
    assert "Usage: kafka-tool analyze [OPTIONS] CASE" in english and "[default: text]" in english


#: Usage mistakes click finds: the arguments, what Dutch says, and what English says as before.
MISTAKES = [
    (["analyze", "--bogus"], "Fout: De optie '--bogus' bestaat niet.", "Error: No such option '--bogus'."),
    (["analyze"], "Fout: Dit argument ontbreekt: 'CASUS'.", "Error: Missing argument 'CASE'."),
    (["analyze", ENGLISH, "--format", "xml"],
     "Fout: Verkeerde waarde voor '--format': 'xml' kan niet; kies uit 'text', 'json', 'markdown'.",
     "Error: Invalid value for '--format': 'xml' is not one of 'text', 'json', 'markdown'."),
    (["analyze", "a.yaml", "b.yaml"], "Fout: Eén argument te veel (b.yaml)",
     "Error: Got unexpected extra argument (b.yaml)"),
    (["analyze", "a.yaml", "b.yaml", "c.yaml"], "Fout: Argumenten te veel (b.yaml c.yaml)",
     "Error: Got unexpected extra arguments (b.yaml c.yaml)"),
    (["analyze", "--formt", "json", ENGLISH], "Fout: De optie '--formt' bestaat niet. Bedoel je '--format'?",
     "Error: No such option '--formt'. Did you mean '--format'?"),
    (["anlyze"], "Fout: De opdracht 'anlyze' bestaat niet. Bedoel je 'analyze'?",
     "Error: No such command 'anlyze'. Did you mean 'analyze'?"),
    (["analyze", ENGLISH, "-p"], "Fout: Optie '-p' heeft een waarde nodig.",
     "Error: Option '-p' requires an argument."),
    (["export", ENGLISH], "Fout: Deze optie ontbreekt: '--format'. Kies uit:",
     "Error: Missing option '--format'. Choose from:"),
    (["export", "--diagrams", "many", ENGLISH],
     "Fout: Verkeerde waarde voor '--diagrams': 'many' is geen geheel getal.",
     "Error: Invalid value for '--diagrams': 'many' is not a valid integer range."),
    (["export", "--diagrams", "-1", ENGLISH], "Fout: Verkeerde waarde voor '--diagrams': -1 valt buiten het bereik",
     "Error: Invalid value for '--diagrams': -1 is not in the range"),
    (["analyze", ROOT / "cases"], f"Fout: Verkeerde waarde voor 'CASUS': Bestand '{ROOT / 'cases'}' is een map.",
     f"Error: Invalid value for 'CASE': File '{ROOT / 'cases'}' is a directory."),
    (["teach", "summary", ROOT / "missing.md"],
     f"Fout: Verkeerde waarde voor 'LES.md...': Bestand '{ROOT / 'missing.md'}' bestaat niet.",
     f"Error: Invalid value for 'SESSION.md...': File '{ROOT / 'missing.md'}' does not exist."),
    (["cases"], "Gebruik: kafka-tool cases [OPTIES] OPDRACHT [ARGUMENTEN]...",
     "Usage: kafka-tool cases [OPTIONS] COMMAND [ARGS]..."),
]


@pytest.mark.parametrize(("args", "dutch_words", "english_words"), MISTAKES, ids=lambda v: str(v)[:40])
def test_usage_mistakes_are_said_in_the_system_language_with_exit_code_2(args: list[str | Path], dutch_words: str,
                                                                        english_words: str) -> None:
    dutch = run(*args, env=SYSTEM_NL)
    english = run(*args)
    assert dutch.exit_code == english.exit_code == 2
    assert dutch_words in dutch.output and english_words in english.output
    assert english_leaks(dutch.output, own=str(ROOT)) == []
    assert english_leaks(english.output)
    if "Usage:" in english.output:  # the usage line and where to find help, in the same language
        assert "Gebruik: kafka-tool" in dutch.output and "Usage:" not in dutch.output
        assert ("Kijk bij 'kafka-tool" in dutch.output) == ("Try 'kafka-tool" in english.output)
        assert "Try '" not in dutch.output


def test_lang_decides_usage_mistakes_wherever_it_stands() -> None:
    for args in (["analyze", "--lang", "nl", "--bogus"], ["analyze", "--bogus", "--lang", "nl"],
                 ["analyze", "--bogus", "--lang=nl"]):
        said = run(*args)
        assert said.exit_code == 2 and "Fout: De optie '--bogus' bestaat niet." in said.output, args
    english = run("analyze", "--bogus", "--lang", "en", env=SYSTEM_NL)
    assert english.exit_code == 2 and "Error: No such option '--bogus'." in english.output
    assert "Usage: kafka-tool analyze [OPTIONS] CASE" in english.output
    # A --lang the tool does not speak is itself the mistake, said in the system's language.
    refused = run("analyze", ENGLISH, "--lang", "fr", env=SYSTEM_NL)
    assert refused.exit_code == 2 and "Fout: Verkeerde waarde voor '--lang': 'fr' kan niet; kies uit 'en', 'nl'." \
        in refused.output


def test_the_language_of_a_run_does_not_stay_behind() -> None:
    assert "Gebruik:" in run("analyze", "--bogus", "--lang", "nl").output
    assert "Usage:" in run("analyze", "--bogus").output
    assert "Opties:" in run("--help", env=SYSTEM_NL).stdout
    assert "Options:" in run("--help").stdout


def test_a_mistake_about_a_case_keeps_the_case_language_in_its_usage_line_too() -> None:
    # The English case decides its own mistakes over the Dutch locale: the usage line follows it.
    said = run("analyze", ENGLISH, "--persona", "yonsa", env=SYSTEM_NL)
    assert said.exit_code == 2
    assert "Usage: kafka-tool analyze [OPTIONS] CASE" in said.stderr and "OPTIES" not in said.stderr
    assert "Error: --persona: no persona 'yonsa'" in said.stderr
    dutch = run("analyze", ENGLISH, "--persona", "yonsa", "--lang", "nl")
    assert "Gebruik: kafka-tool analyze [OPTIES] CASUS" in dutch.stderr and "Fout: --persona:" in dutch.stderr


def test_version_in_either_language() -> None:
    assert run("--version").stdout == f"kafka-tool, version {__version__}\n"
    assert run("--version", env=SYSTEM_NL).stdout == f"kafka-tool, versie {__version__}\n"


def test_language_in_reads_the_last_lang_before_the_end_of_the_options() -> None:
    assert language_in(["analyze", "x.yaml", "--lang", "nl"]) == "nl"
    assert language_in(["--lang", "nl", "analyze", "--lang", "en"]) == "en"
    assert language_in(["--lang", "nl", "--lang", "fr"]) == "nl"  # a language not spoken does not count
    assert language_in(["analyze", "--", "--lang", "nl"]) is None  # after --, an argument
    assert language_in(["analyze", "--lang"]) is None and language_in(["--language", "nl"]) is None


@pytest.mark.parametrize(("env", "said"), [(SYSTEM_NL, "Afgebroken!"), (SYSTEM_EN, "Aborted!")])
def test_ctrl_c_is_said_in_the_language_of_the_command_line(monkeypatch: pytest.MonkeyPatch, env: dict[str, str],
                                                           said: str) -> None:
    def interrupted() -> list[object]:
        raise KeyboardInterrupt  # what ctrl+c raises while the library is read

    monkeypatch.setattr("kafka_tool.cli.list_cases", interrupted)
    result = run("cases", "list", env=env)
    assert result.exit_code == 1 and result.stderr.strip() == said


def test_lang_before_the_command_is_the_commands_language_unless_the_command_has_its_own() -> None:
    dutch = run("--lang", "nl", "validate", ENGLISH)
    assert dutch.exit_code == 0 and "klopt (7 organisaties" in dutch.output
    english = run("--lang", "nl", "validate", ENGLISH, "--lang", "en")
    assert english.exit_code == 0 and "valid (7 actors" in english.output and "klopt" not in english.output
    mistake = run("--lang", "nl", "analyze", ENGLISH, "--persona", "nobody")
    assert mistake.exit_code == 2 and "Gebruik: kafka-tool analyze" in mistake.output
    assert "Usage:" not in mistake.output
    # without --lang anywhere, the case decides, as before
    assert "valid (7 actors" in run("validate", ENGLISH).output


def test_lang_before_new_gives_the_starter_its_language(tmp_path: Path) -> None:
    started = run("--lang", "nl", "new", tmp_path / "start.yaml")
    assert started.exit_code == 0 and "geschreven" in started.output
    assert "\nlanguage: nl " in (tmp_path / "start.yaml").read_text(encoding="utf-8")


def test_lang_on_a_group_gives_its_command_the_language_and_the_library_says_levels_in_words() -> None:
    dutch = run("cases", "--lang", "nl", "list")
    assert dutch.exit_code == 0 and dutch.stdout.splitlines()[0].split() == ["NAAM", "TAAL", "NIVEAU", "TITEL"]
    assert " basis " in dutch.stdout and " gevorderd " in dutch.stdout
    assert " intro " not in dutch.stdout and " advanced " not in dutch.stdout
    english = run("cases", "--lang", "nl", "list", "--lang", "en")
    assert " intro " in english.stdout and " advanced " in english.stdout
    shown = run("cases", "--lang", "nl", "show", "armoedeval-baan-aannemen")
    assert shown.exit_code == 0 and "armoedeval-baan-aannemen · nl · basis · " in shown.stdout
    taught = run("teach", "--lang", "nl", "--help").stdout
    assert "Gebruik: kafka-tool teach" in taught and "summary  Tel de lessen" in taught
