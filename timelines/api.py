"""The public face: what each command does, as one library call.

The CLI calls exactly one function here per command and turns the
``TimelinesError`` it may raise into a clean message and exit code. The work is
done by ``timelines.pipeline``: ``source`` (load and check), ``child``,
``siblings`` and ``batch``; this module chooses the files and the words.
``render_pdf`` and ``render_siblings_pdf`` give the bytes ``render`` and
``render_siblings`` write, writing nothing (the web page's uploads stay in memory).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, cast

from timelines.analyse.groups import select_records
from timelines.analyse.milestones import milestone_notes
from timelines.export.files import check_output, write_atomic
from timelines.export.folder import check_folder
from timelines.load.files import uploads
from timelines.model.counts import RowCount
from timelines.model.options import RenderOptions
from timelines.model.problems import InputError, Problem, TimelinesError, has_errors
from timelines.model.records import ChildRecord, Dataset
from timelines.pipeline import batch
from timelines.pipeline.batch import OUTPUTS, BatchResult, siblings_of
from timelines.pipeline.child import child_pdf
from timelines.pipeline.runchart import RunChartResult, write_runchart
from timelines.pipeline.siblings import group_pdf
from timelines.pipeline.source import Inputs, choose_record, load, load_checked
from timelines.prepare.names import plain_stem
from timelines.prepare.redact import Redactor, group_redactor, redact_group_name, share
from timelines.prepare.template import load_template
from timelines.runchart.options import RunChartOptions

__all__ = [
    "OUTPUTS",
    "BatchResult",
    "Inputs",
    "Checked",
    "RenderResult",
    "RenderedPdf",
    "check",
    "check_inputs",
    "RunChartOptions",
    "RunChartResult",
    "load",
    "render",
    "render_pdf",
    "render_siblings",
    "render_siblings_pdf",
    "run_batch",
    "upload_inputs",
    "runchart",
    "validate",
    "write_template",
]


@dataclass(frozen=True)
class RenderResult:
    path: Path
    pages: int
    child_id: str
    warnings: tuple[Problem, ...] = field(default=())
    counts: tuple[RowCount, ...] = field(default=())  # what became of every row read


@dataclass(frozen=True)
class RenderedPdf:
    """A timeline drawn in memory, nothing written: the file name the command gives it
    beside its inputs, the PDF's bytes (encrypted when a password was given), and what
    went into it (as in ``RenderResult``)."""

    name: str
    pdf: bytes = field(repr=False)
    pages: int
    child_id: str  # a group's name for a group's page ("" for every child)
    warnings: tuple[Problem, ...] = field(default=())
    counts: tuple[RowCount, ...] = field(default=())


def upload_inputs(files: Mapping[str, bytes], **given: Any) -> Inputs:
    """Inputs from uploaded files (file name → bytes) that are read in memory, never written
    to disk: one file alone, several as a folder. ``given``: the other ``Inputs`` fields."""
    return Inputs(cast(Path, uploads(files)), **given)  # loaders read uploads as paths


def validate(inputs: Inputs, today: date | None = None) -> tuple[Problem, ...]:
    """Every problem in the inputs (errors and warnings), without drawing anything."""
    return load(inputs, today).problems


NOTED_CHILDREN = 20  # past this many children, validate counts milestone rows, not lists them


@dataclass(frozen=True)
class Checked:
    """What ``validate`` reports: every problem, the rows taken as milestones, and what
    became of every row read (per file)."""

    problems: tuple[Problem, ...]
    notes: list[str]
    counts: tuple[RowCount, ...]


def check_inputs(inputs: Inputs, today: date | None = None) -> Checked:
    """The inputs loaded without drawing: every problem, which rows were taken as which
    milestone (for a cohort larger than ``NOTED_CHILDREN``, how many: ``--child`` lists
    one child's), and what became of every row."""
    dataset = load(inputs, today)
    records = dataset.records()
    several = len(records) > 1
    notes = [note for record in records for note in milestone_notes(record, several)]
    if len(records) > NOTED_CHILDREN:
        notes = [
            f"{len(notes)} rows taken as milestones for {len(records)} children;"
            " add --child ID to list one child's"
        ]
    return Checked(dataset.problems, notes, dataset.counts)


def check(inputs: Inputs, today: date | None = None) -> tuple[tuple[Problem, ...], list[str]]:
    """Every problem in the inputs, and which rows were taken as which milestone."""
    checked = check_inputs(inputs, today)
    return checked.problems, checked.notes


def render(
    inputs: Inputs,
    options: RenderOptions,
    template: str | None = None,
    out: Path | None = None,
    password: str | None = None,
    today: date | None = None,
) -> RenderResult:
    """Load, check and render one child's timeline to a PDF file (nothing written on error):
    what ``render_pdf`` gives, written to ``out`` or beside the inputs."""
    return _written(_child(inputs, options, template, today), inputs, out, password)


def render_pdf(
    inputs: Inputs,
    options: RenderOptions,
    template: str | None = None,
    password: str | None = None,
    today: date | None = None,
    loaded: Dataset | None = None,
) -> RenderedPdf:
    """One child's timeline as PDF bytes, nothing written (uploads from ``upload_inputs``
    stay in memory): the bytes and file name ``render`` would write. ``loaded``: every
    child of these inputs, already loaded (``load``, with the template's vocabulary), is
    not read again."""
    return _child(inputs, options, template, today, loaded).drawn(password)


def render_siblings(
    inputs: Inputs,
    options: RenderOptions,
    group: str | None = None,
    axis: str = "date",
    template: str | None = None,
    out: Path | None = None,
    password: str | None = None,
    today: date | None = None,
) -> RenderResult:
    """Load and render a sibling group's (or every child's) placement history to a PDF
    (encrypted when a password is given): what ``render_siblings_pdf`` gives, written to
    ``out`` or beside the inputs."""
    return _written(_group(inputs, options, group, axis, template, today), inputs, out, password)


def render_siblings_pdf(
    inputs: Inputs,
    options: RenderOptions,
    group: str | None = None,
    axis: str = "date",
    template: str | None = None,
    password: str | None = None,
    today: date | None = None,
    loaded: Dataset | None = None,
) -> RenderedPdf:
    """A sibling group's (or every child's) placement history as PDF bytes, nothing
    written: the bytes and file name ``render_siblings`` would write (``loaded`` as in
    ``render_pdf``)."""
    return _group(inputs, options, group, axis, template, today, loaded).drawn(password)


@dataclass(frozen=True)
class _Planned:
    """A timeline loaded, checked and named, not yet drawn: the one way every render call
    goes (``render`` and ``render_siblings`` check the output path before drawing)."""

    name: str  # the file name beside the inputs
    hide: Redactor | None  # what a chosen output's name must not hold, when redacting
    child_id: str
    dataset: Dataset
    draw: Callable[[str | None], tuple[bytes, int]]  # password → (PDF bytes, pages)

    def drawn(self, password: str | None) -> RenderedPdf:
        pdf, pages = self.draw(password)
        found = self.dataset
        return RenderedPdf(self.name, pdf, pages, self.child_id, found.problems, found.counts)


def _child(
    inputs: Inputs,
    options: RenderOptions,
    template: str | None,
    today: date | None,
    loaded: Dataset | None = None,
) -> _Planned:
    """One child loaded, chosen and named (redaction decides the name)."""
    theme = load_template(template)
    dataset = _checked(inputs, today, theme.vocabulary, loaded)
    record = choose_record(dataset, inputs.child_id)
    everyone = dataset if loaded is not None or inputs.child_id is None else None
    siblings = (
        _sibling_names(inputs, everyone, record, today, theme.vocabulary) if options.redact else ()
    )
    shared = share(record, siblings, theme, options)
    suffix = "-redacted" if options.redact else ""

    def draw(password: str | None) -> tuple[bytes, int]:
        done = child_pdf(record, theme, options, password, today, siblings)
        return done.pdf, len(done.layout.pages)

    name = f"timeline-{shared.stem}{suffix}.pdf"
    return _Planned(name, shared.hide, record.child_id, dataset, draw)


def _group(
    inputs: Inputs,
    options: RenderOptions,
    group: str | None,
    axis: str,
    template: str | None,
    today: date | None,
    loaded: Dataset | None = None,
) -> _Planned:
    """A sibling group (or every child) loaded, chosen and named."""
    theme = load_template(template)
    dataset = _checked(inputs, today, theme.vocabulary, loaded)
    records = select_records(dataset, group)
    if not records:
        raise TimelinesError("the input has no children to draw")
    shown = redact_group_name(group or "all", records) if options.redact else group or "all"
    suffix = "-redacted" if options.redact else ""

    def draw(password: str | None) -> tuple[bytes, int]:
        done = group_pdf(records, group or "", theme, options, axis, password, today)
        return done.pdf, len(done.layout.pages)

    name = f"placements-{plain_stem(shown) or 'group'}{suffix}.pdf"
    hide = group_redactor(records) if options.redact else None
    return _Planned(name, hide, group or "", dataset, draw)


def _checked(
    inputs: Inputs, today: date | None, vocabulary: tuple[str, ...], loaded: Dataset | None
) -> Dataset:
    """The inputs loaded and checked (``InputError`` when they hold errors), or ``loaded``
    checked so."""
    if loaded is None:
        return load_checked(inputs, today, vocabulary)
    if has_errors(loaded.problems):
        raise InputError(loaded.problems)
    return loaded


def _written(
    planned: _Planned, inputs: Inputs, out: Path | None, password: str | None
) -> RenderResult:
    """``planned`` drawn and written atomically to ``out`` or beside the inputs; the path is
    checked first, before anything is drawn."""
    if out is None and not isinstance(inputs.folder, Path):
        raise TimelinesError(
            "uploaded files are in no folder to write the PDF beside: give out, or use render_pdf"
        )
    target = out or inputs.folder / planned.name
    refuse_named_output(out, planned.hide)
    check_output(target, inputs.paths())
    done = planned.drawn(password)
    write_atomic(target, done.pdf)
    return RenderResult(target, done.pages, done.child_id, done.warnings, done.counts)


def refuse_named_output(out: Path | None, hide: Redactor | None) -> None:
    """A redacted file never goes to a path (file or folder name) holding a name or date
    of birth that redaction hides."""
    if out is None or hide is None:
        return
    for part in out.parts:
        if hide.finds(Path(part).stem if part == out.name else part):
            kind = "file" if part == out.name else "folder"
            raise TimelinesError(
                f"the {kind} name {part} holds a name or date of birth that --redact hides;"
                " choose another name, or leave out -o"
            )


def _sibling_names(
    inputs: Inputs,
    everyone: Dataset | None,
    record: ChildRecord,
    today: date | None,
    vocabulary: tuple[str, ...],
) -> tuple[str, ...]:
    """Brothers' and sisters' names to redact (the files read again for ``everyone``
    when only the chosen child was loaded)."""
    if not record.child.sibling_group:
        return ()
    if everyone is None:
        try:
            everyone = load(inputs.everyone(), today, vocabulary)
        except TimelinesError:
            return ()
    return siblings_of(everyone, record)


def run_batch(
    inputs: Inputs,
    out: Path,
    options: RenderOptions,
    template: str | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    today: date | None = None,
    outputs: tuple[str, ...] = OUTPUTS,
    password: str | None = None,
    force: bool = False,
) -> BatchResult:
    """Render every child, every sibling group, a booklet, summary.csv and errors.csv
    (``outputs`` picks among children, groups, booklet and summary; errors.csv always).

    ``out`` must not hold the inputs; a folder holding an earlier batch is refused
    unless ``force``, which first removes exactly the files that batch wrote
    (``export.folder``). ``options.redact`` redacts every file, file name and report;
    ``password`` encrypts every PDF (AES-256).

    With more than one job the files are loaded in a process of their own, which
    hands back the cohort packed and then ends: the memory that loading takes is
    given back before drawing starts. ``BatchResult.exit_code``: 0 when every child
    was drawn, 2 when some failed, 1 when none could be.
    """
    unknown = sorted(set(outputs) - set(OUTPUTS))
    if unknown:
        raise TimelinesError(
            f"unknown output {', '.join(unknown)}; choose from {', '.join(OUTPUTS)}"
        )
    check_folder(out, inputs.paths(), force)
    jobs = jobs or os.cpu_count() or 1
    today = today or date.today()
    theme = load_template(template)
    plan_for = batch.plan_apart if jobs > 1 else batch.load_plan
    plan = plan_for(inputs, template, today, redact=options.redact)
    cohort = batch.Cohort(plan, theme, options, today, frozenset(outputs), password, force)
    return batch.run_cohort(cohort, out, jobs, progress)


def write_template(out: Path, force: bool = False) -> Path:
    """Write the fill-in workbook for social workers (refusing to replace a file unless forced)."""
    # Imported here: openpyxl (and the numpy it loads) takes a quarter of a second to
    # import, and no other command needs it.
    from timelines.export.workbook import write_template_workbook

    check_output(out, ())
    if out.exists() and not force:
        raise TimelinesError(f"{out} already exists; use --force to replace it")
    write_template_workbook(out)
    return out


def runchart(
    inputs: Inputs,
    options: RunChartOptions,
    out: Path | None = None,
    today: date | None = None,
) -> RunChartResult:
    """A cohort's run chart of the time from one milestone to another, with the children
    still waiting beside it, and its tables (every child accounted for); nothing is
    written unless everything is ready."""
    return write_runchart(inputs, options, out, today)
