"""Choosing what to draw, naming the files and writing them safely.

Files are named ``<case-file>[.<view>].<ext>`` after the case file's name (its stem, as
``briefadres-dakloos`` of ``cases/briefadres-dakloos.yaml``); ids that contain ``/`` or
``+`` (finding ids) are made safe first. Nothing is written before every
target has been checked: an existing file is refused unless ``force``, and a
target that would resolve outside the output folder is refused always.

Every file is written by the core's shared writer (:mod:`kafka_tool.files`):
atomically, replacing a link rather than writing through it, and (from the
command line) never into the sample library. One export holds the lock of
each of its files (a Markdown report's diagram folder by its name) from the
check to the last write, so a second export to the same files at the same
time fails at once with :class:`~kafka_tool.files.TargetBusy` instead of
mixing its files with the first one's.

A diagram is laid out by Graphviz only when it has at most
:data:`~exports.dot.MAX_LAYOUT_ELEMENTS` boxes and arrows; a larger one is
refused before ``dot`` is started, with the focused views of the case that do
fit (:func:`fitting_views`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kafka_tool import files
from kafka_tool.analysis.engine import Analysis, analyze
from kafka_tool.errors import shown
from kafka_tool.i18n import Words, system_language, words
from kafka_tool.loader import load_case
from kafka_tool.model import Case

from .dot import MAX_LAYOUT_ELEMENTS, check_layout
from .means import CHART_FORMATS, means_chart, means_image
from .render import RENDERED_FORMATS, render
from .scene import Diagram, ExportError
from .timeline import timeline_diagram
from .views import (
    case_diagram,
    finding_diagram,
    intervention_diagram,
    journey_diagram,
    layout_size,
    parse_layers,
    persona_diagram,
)

__all__ = [
    "FORMATS",
    "DIAGRAM_FORMATS",
    "ExportUsageError",
    "ExistingFiles",
    "View",
    "OutputFolder",
    "safe_name",
    "diagram_for",
    "fitting_views",
    "plan_case",
    "view_formats",
    "write_planned",
    "export",
]

DIAGRAM_FORMATS = ("dot", *RENDERED_FORMATS)
#: Every format ``kafka-tool export`` writes.
FORMATS = (*DIAGRAM_FORMATS, "html", "md", "csv")


class ExportUsageError(ExportError):
    """Options that do not fit together (the command line shows it as a usage error)."""


class ExistingFiles(ExportError):
    """Files that would be overwritten (the command line's ``--force`` allows it)."""

    def __init__(self, existing: list[Path], say: Words | None = None) -> None:
        say = say or words("en")
        message = say.say("{path} exists; pass --force to overwrite it", path=existing[0])
        if len(existing) > 1:
            message += " " + say.say_n("(and {n} more)", "(and {n} more)", len(existing) - 1)
        super().__init__(message)
        self.existing = existing


@dataclass(frozen=True)
class View:
    """What a diagram shows: the case, or one finding, persona, journey, intervention or persona's timeline.

    ``means`` is a persona's chart of its means along the money attribute ``attribute``
    (None: the case's one money attribute).
    """

    kind: str = "case"
    ident: str | None = None
    attribute: str | None = None

    @property
    def suffix(self) -> str:
        """The part of a file name that tells the view apart: ``""``, ``.persona-amira``, ``.means-sanne.income`` ..."""
        if self.kind == "case":
            return ""
        if self.ident is None:  # the action plan, the review table: one of a case
            return f".{self.kind}"
        named = f".{safe_name(self.attribute)}" if self.attribute is not None else ""
        return f".{self.kind}-{safe_name(self.ident or '')}{named}"


def safe_name(text: str) -> str:
    """``text`` as a file-name part: letters, digits, ``_ - .``; never ``..`` or a leading dot.

    Examples
    --------
    >>> safe_name("circular_dependency/bank_account+bsn")
    'circular_dependency.bank_account-bsn'
    >>> safe_name("../../etc/passwd")
    'etc.passwd'
    """
    name = text.replace("/", ".").replace("\\", ".")
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", name)
    name = re.sub(r"\.{2,}", ".", name).strip(".-")
    return name[:120] or "x"


def diagram_for(analysis: Analysis, view: View, layers: Sequence[str]) -> Diagram:
    """The diagram of ``view``."""
    if view.kind == "case":
        return case_diagram(analysis, layers)
    assert view.ident is not None
    if view.kind == "finding":
        return finding_diagram(analysis, view.ident, layers)
    if view.kind == "persona":
        return persona_diagram(analysis, view.ident, layers)
    if view.kind == "journey":
        return journey_diagram(analysis, view.ident)
    if view.kind == "timeline":
        return timeline_diagram(analysis, view.ident)
    if view.kind == "intervention":
        from kafka_tool.interventions import compare, resolve_intervention_ids

        ids = resolve_intervention_ids(analysis.case, view.ident)
        return intervention_diagram(compare(analysis.case, ids, analysis), layers)
    raise ExportUsageError(f"unknown view '{view.kind}'")


class OutputFolder:
    """A folder to write into: every target checked for containment and overwriting first.

    ``protect_library`` refuses targets in the sample library (the command line turns it on);
    ``say`` is the language its refusals are said in.
    """

    def __init__(self, folder: Path, force: bool = False, protect_library: bool = False,
                 say: Words | None = None) -> None:
        self.say = say or words("en")
        self.folder = folder
        self.root = folder.resolve()
        self.force = force
        self.protect_library = protect_library

    def target(self, name: str) -> Path:
        """The path of ``name`` in the folder; refused when it would land outside."""
        path = self.folder / name
        resolved = path.resolve()
        if not resolved.is_relative_to(self.root) or resolved == self.root:
            raise ExportError(self.say.say("refusing to write {path}: it is outside the output folder {folder}",
                                           path=path, folder=self.folder))
        return path

    def entries(self, paths: Sequence[Path]) -> list[Path]:
        """What to lock for ``paths``: each one's name directly in the folder (a diagram folder for its files)."""
        out = []
        for path in paths:
            first = path.relative_to(self.folder).parts[0]
            out.append(self.folder / first)
        return sorted(set(out))

    def check(self, names: Sequence[str]) -> list[Path]:
        """The targets of ``names``, after checking that each may be written."""
        paths = [self.target(n) for n in names]
        if len(set(paths)) != len(paths):
            raise ExportError(self.say.say(
                "two exports would be written to the same file; choose the views one by one"))
        for path in paths:
            if path.is_dir() and not path.is_symlink():
                raise ExportError(self.say.say("{path} is a folder; cannot write a file there", path=path))
        if not self.force:
            existing = [p for p in paths if os.path.lexists(p)]
            if existing:
                raise ExistingFiles(existing, self.say)
        for path in paths:
            if path.parent.is_dir():
                files.check_target(path, overwrite=self.force, protect_library=self.protect_library)
            elif self.protect_library:  # in a folder still to be made: only where it would be matters
                files.check_outside_library(path)
        return paths

    def write(self, path: Path, data: bytes, lock: files.WriteLock | None = None) -> None:
        """Write ``data`` to ``path`` atomically (a temporary file, then rename)."""
        files.make_folder(path.parent)
        if not path.parent.resolve().is_relative_to(self.root):  # pragma: no cover - checked before
            raise ExportError(f"refusing to write {path}: it is outside the output folder {self.folder}")
        files.write_bytes(path, data, overwrite=self.force, protect_library=self.protect_library, lock=lock)


#: A file to write: its name in the output folder and how to make its bytes.
Planned = tuple[str, Callable[[], bytes]]


#: Smaller sets of layers to suggest, most informative first.
_FEWER_LAYERS = (("documents", "rules", "legend"), ("referrals", "rules", "legend"), ("rules", "legend"))


def fitting_views(analysis: Analysis, view: View, layers: Sequence[str], limit: int | None = None) -> str:
    """Advice for a diagram too large to lay out: options for views of this case that do fit.

    Names the same view with fewer layers, up to three findings (of the five
    about the fewest elements, most severe first) and the first persona (with
    the layers asked for, or fewer), each measured without being laid out.
    """
    limit = MAX_LAYOUT_ELEMENTS if limit is None else limit
    case = analysis.case
    fewer = [combo for combo in _FEWER_LAYERS if set(combo) < set(layers)]
    options: list[str] = []
    if view.kind in ("case", "persona"):  # their size is the unmarked case's
        same = next((combo for combo in fewer if layout_size(case, combo) <= limit), None)
        if same is not None:
            options.append(f"--layers {','.join(same)}")
    if view.kind != "finding":
        # A finding's view is its elements and their neighbours: the findings about few elements fit best.
        candidates = sorted(analysis.findings, key=lambda f: len(f.nodes))[:5]
        fit = [f for f in candidates if diagram_for(analysis, View("finding", f.id), layers).size <= limit]
        options += [f"--finding {f.id}" for f in sorted(fit, key=lambda f: f.sort_key())[:3]]
    if view.kind != "persona" and case.personas:
        persona = case.personas[0].id
        combo = next((c for c in (tuple(layers), *fewer) if layout_size(case, c) <= limit), None)
        if combo is not None:
            options.append(f"--persona {persona}" + ("" if combo == tuple(layers) else f" --layers {','.join(combo)}"))
    say = words(case.language)
    if not options:
        return say.say("no focused view of this case is small enough either; export --format dot and lay it out "
                       "yourself")
    return say.say("views that fit: {options} (or export --format dot and lay it out yourself)",
                   options="; ".join(options))


def plan_case(
    analysis: Analysis, fmt: str, view: View, layers: Sequence[str], stem: str, diagrams: int | None = None
) -> list[Planned]:
    """The files one case's export consists of, named from ``stem``; nothing is built yet.

    ``diagrams`` is how many findings a report draws (see :func:`exports.reports.report_diagrams`).
    A diagram to render that is too large to lay out is refused here, before ``dot`` runs.
    A persona's means (``view.kind == "means"``) are a chart, drawn by matplotlib, not ``dot``.
    """
    if view.kind in ("plan", "review"):
        return _plan_files(analysis, fmt, view.kind, stem)
    if view.kind == "means":
        assert view.ident is not None
        if fmt not in CHART_FORMATS:
            raise ExportUsageError(words(analysis.case.language).say(
                "--means draws a chart; use it with --format svg, png or pdf"))
        chart = means_chart(analysis, view.ident, view.attribute)  # an unknown persona shows before anything is written
        return [(f"{stem}.{fmt}", lambda: means_image(chart, fmt))]
    if fmt in DIAGRAM_FORMATS:
        diagram = diagram_for(analysis, view, layers)  # errors in the view show before anything is written
        if fmt != "dot" and diagram.size > MAX_LAYOUT_ELEMENTS:
            check_layout(diagram, advice=fitting_views(analysis, view, layers))
        source = diagram.to_dot()
        if fmt == "dot":
            return [(f"{stem}.dot", lambda: source.encode("utf-8"))]
        return [(f"{stem}.{fmt}", lambda: render(source, fmt))]
    if view.kind != "case":
        raise ExportUsageError(words(analysis.case.language).say(
            "--{option} draws a diagram; use it with --format dot, svg, png or pdf", option=view.kind))
    from . import reports

    if fmt == "csv":
        return [(f"{stem}.csv", lambda: reports.csv_report(analysis).encode("utf-8"))]
    if fmt == "html":
        reports.diagram_limit(diagrams)  # a bad number is reported before anything is built
        return [(f"{stem}.html", lambda: reports.html_report(analysis, layers, diagrams).encode("utf-8"))]
    if fmt == "md":
        folder = f"{stem}-diagrams"
        plan = reports.report_diagrams(analysis, layers, diagrams)
        names = {key: f"{folder}/{safe_name(key)}.svg" for key in plan.sources}
        links = plan.links(names)
        planned: list[Planned] = [(f"{stem}.md", lambda: reports.markdown_report(analysis, links).encode("utf-8"))]
        for key, source in plan.sources.items():
            planned.append((names[key], _renderer(source)))
        return planned
    raise ExportUsageError(f"unknown format '{fmt}'; formats: {', '.join(FORMATS)}")


#: The formats of the action plan and of the review table, as the export dialog offers them.
PLAN_FORMATS = {"plan": ("html", "md", "csv"), "review": ("html", "md")}


def view_formats(view: View) -> tuple[str, ...]:
    """The formats ``view`` can be written in: a diagram as a diagram, a chart as a chart, the whole
    case also as a report, the action plan and the review table as pages and tables."""
    if view.kind in PLAN_FORMATS:
        return PLAN_FORMATS[view.kind]
    if view.kind == "means":
        return CHART_FORMATS
    return FORMATS if view.kind == "case" else DIAGRAM_FORMATS


def _plan_files(analysis: Analysis, fmt: str, kind: str, stem: str) -> list[Planned]:
    """The action plan (``kind`` ``plan``) or the review table (``review``) on the date today."""
    import datetime as dt

    from kafka_tool.plan import action_plan
    from kafka_tool.plan_report import plan_csv, plan_markdown

    from .plan_page import plan_html
    from .review import review_html, review_markdown

    if fmt not in PLAN_FORMATS[kind]:
        say = words(analysis.case.language)
        formats = ", ".join(PLAN_FORMATS[kind])
        raise ExportUsageError(say.say("the action plan is written as {formats}", formats=formats) if kind == "plan"
                               else say.say("the review table is written as {formats}", formats=formats))
    today = dt.date.today()
    name = f"{stem}.{fmt}"
    if kind == "review":
        return [(name, lambda: (review_html if fmt == "html" else review_markdown)(analysis, today).encode("utf-8"))]
    makers = {"html": plan_html, "md": plan_markdown, "csv": plan_csv}
    return [(name, lambda: makers[fmt](action_plan(analysis, today)).encode("utf-8"))]


def _renderer(source: str) -> Callable[[], bytes]:
    return lambda: render(source, "svg")


def write_planned(folder: OutputFolder, planned: Sequence[Planned]) -> list[Path]:
    """Check, make and write the planned files, holding their locks throughout; the paths written.

    Everything is made before anything is written, so that an error in one
    file (``dot`` failing) leaves none of them half-done.
    """
    paths = [folder.target(name) for name, _ in planned]
    with files.lock_targets(folder.entries(paths)) as lock:
        targets = folder.check([name for name, _ in planned])
        contents = [make() for _, make in planned]
        for target, data in zip(targets, contents, strict=True):
            folder.write(target, data, lock)
    return targets


def _view(say: Words, finding: str | None, persona: str | None, journey: str | None, intervention: str | None,
          timeline: str | None = None, means: str | None = None, attribute: str | None = None) -> View:
    chosen = [
        (k, v)
        for k, v in (("finding", finding), ("persona", persona), ("journey", journey), ("intervention", intervention),
                     ("timeline", timeline), ("means", means))
        if v is not None
    ]
    if len(chosen) > 1:
        raise ExportUsageError(say.say("choose one view at a time: {options} were both given",
                                       options=say.list([f"--{k}" for k, _ in chosen])))
    if attribute is not None:
        if not chosen or chosen[0][0] != "means":
            raise ExportUsageError(say.say(
                "--attribute chooses the money attribute of --means PERSONA; give --means too"))
        return View("means", chosen[0][1], attribute)
    return View(*chosen[0]) if chosen else View()


def export(
    path: Path,
    fmt: str,
    output: Path | str | None = None,
    *,
    finding: str | None = None,
    persona: str | None = None,
    journey: str | None = None,
    intervention: str | None = None,
    timeline: str | None = None,
    means: str | None = None,
    attribute: str | None = None,
    layers: str | Sequence[str] | None = None,
    force: bool = False,
    protect_library: bool = False,
    diagrams: int | None = None,
    language: str | None = None,
    case: Case | None = None,
) -> list[Path]:
    """Export a case file (or every ``.yaml`` case in a folder); the paths written, in order.

    Without ``output`` files go to the current folder as
    ``<case-file>[.<view>].<ext>``, named after the case file's stem (``timeline`` names a persona
    whose days to draw: ``.timeline-<persona>``; ``means`` one whose means to chart along the money
    attribute ``attribute``, needed only when the case has several: ``.means-<persona>[.<attribute>]``).
    With a folder of cases ``output`` must be a folder. Every
    target is checked before anything is written.
    ``protect_library`` refuses to write into the sample library; ``diagrams``
    is how many findings a report draws; ``language`` is the language of every word written
    (default: each case's own; the system's for what is said before a case is read); ``case`` is
    the case of the file ``path`` when the caller has read it already.
    """
    say = words(language or (case.language if case is not None else system_language()))
    if fmt not in FORMATS:
        raise ExportUsageError(say.say("unknown format {name}; formats: {formats}", name=shown(fmt),
                                       formats=", ".join(FORMATS)))
    # A trailing slash names a folder (made if need be), even one that does not exist yet.
    names_folder = output is not None and str(output).endswith(("/", os.sep))
    output = Path(output) if output is not None else None
    chosen_layers = parse_layers(layers, say.language)
    view = _view(say, finding, persona, journey, intervention, timeline, means, attribute)

    def analysed(file: Path) -> Analysis:
        return analyze((case if case is not None else load_case(file)).in_language(language))

    if path.is_dir():
        cases = sorted(path.glob("*.yaml"))
        if not cases:
            raise ExportUsageError(say.say("{path}: no .yaml case files in this folder", path=path))
        if view.kind != "case":
            raise ExportUsageError(say.say("--{option} names something in one case; export a single case file for it",
                                           option=view.kind))
        if output is not None and output.exists() and not output.is_dir():
            raise ExportUsageError(say.say("with a folder of cases, -o must be a folder; {path} is a file",
                                           path=output))
        folder = OutputFolder(output if output is not None else Path.cwd(), force, protect_library, say)
        planned: list[Planned] = []
        for file in cases:
            analysis = analysed(file)
            planned.extend(plan_case(analysis, fmt, view, chosen_layers, safe_name(file.stem), diagrams))
    else:
        analysis = analysed(path)
        say = words(analysis.case.language)
        stem = safe_name(path.stem) + view.suffix
        if output is None:
            folder = OutputFolder(Path.cwd(), force, protect_library, say)
        elif output.is_dir() or names_folder:
            folder = OutputFolder(output, force, protect_library, say)
        else:
            folder = OutputFolder(output.parent, force, protect_library, say)
            ext = output.suffix.lstrip(".")
            stem = output.name[: -len(output.suffix)] if ext == fmt and output.stem else output.name
        planned = plan_case(analysis, fmt, view, chosen_layers, stem, diagrams)
    if not folder.folder.exists():
        if not path.is_dir() and not names_folder:
            if os.path.lexists(folder.folder) or not folder.folder.parent.is_dir():
                files.check_folder(folder.folder)  # says what is in the way
            raise ExportError(say.say("folder {folder} does not exist; create it first (or end -o with '/')",
                                      folder=folder.folder))
        if protect_library:
            files.check_outside_library(folder.folder / "x")
        files.make_folder(folder.folder)
    elif not folder.folder.is_dir():
        files.check_folder(folder.folder)  # a file where the folder should be
    return write_planned(folder, planned)

