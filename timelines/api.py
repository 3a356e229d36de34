"""The public face: what each command does, as one library call.

The CLI calls exactly one function here per command and turns the
``TimelinesError`` it may raise into a clean message and exit code. The work is
done by ``timelines.pipeline``: ``source`` (load and check), ``child``,
``siblings`` and ``batch``; this module chooses the files and the words.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, cast

from timelines.analyse.groups import select_records
from timelines.analyse.milestones import milestone_notes
from timelines.export.names import safe_name
from timelines.load.files import uploads
from timelines.model.counts import RowCount
from timelines.model.options import RenderOptions
from timelines.model.problems import Problem, TimelinesError
from timelines.model.records import ChildRecord, Dataset
from timelines.pipeline import batch
from timelines.pipeline.batch import OUTPUTS, BatchResult
from timelines.pipeline.child import write_child_pdf
from timelines.pipeline.runchart import RunChartResult, write_runchart
from timelines.pipeline.siblings import write_group_pdf
from timelines.pipeline.source import Inputs, choose_record, load, load_checked
from timelines.prepare.redact import redact_group_name, redact_options, redacted_id, redactor
from timelines.prepare.template import load_template
from timelines.runchart.options import RunChartOptions

__all__ = [
    "OUTPUTS",
    "BatchResult",
    "Inputs",
    "Checked",
    "RenderResult",
    "check",
    "check_inputs",
    "RunChartOptions",
    "RunChartResult",
    "load",
    "render",
    "render_siblings",
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
    """Load, check and render one child's timeline to a PDF file (nothing written on error)."""
    theme = load_template(template)
    dataset = load_checked(inputs, today, theme.vocabulary)
    record = choose_record(dataset, inputs.child_id)
    target = out or inputs.folder / f"timeline-{safe_name(record.child_id)}.pdf"
    if options.redact:
        others = _sibling_names(inputs, dataset, record, today, theme.vocabulary)
        options = replace(options, redact_names=options.redact_names + others)
        options = redact_options(options, redactor(record, options.redact_names))
        target = redacted_target(record, options, out, target)
    done = write_child_pdf(record, theme, options, target, password, today)
    pages = len(done.layout.pages)
    return RenderResult(target, pages, record.child_id, dataset.problems, dataset.counts)


def redacted_target(
    record: ChildRecord, options: RenderOptions, out: Path | None, default: Path
) -> Path:
    """Where a redacted timeline goes: never to a file name holding a name or date of birth."""
    hide = redactor(record, options.redact_names)
    if out is None:
        return default.with_name(f"timeline-{safe_name(redacted_id(record, hide))}-redacted.pdf")
    if hide.finds(out.stem):
        raise TimelinesError(
            f"the file name {out.name} holds a name or date of birth that --redact hides;"
            " choose another name, or leave out -o"
        )
    return out


def _sibling_names(
    inputs: Inputs,
    dataset: Dataset,
    record: ChildRecord,
    today: date | None,
    vocabulary: tuple[str, ...],
) -> tuple[str, ...]:
    """Brothers' and sisters' names to redact (files read again when one child was chosen)."""
    if not record.child.sibling_group:
        return ()
    if inputs.child_id is not None:
        try:
            dataset = load(inputs.everyone(), today, vocabulary)
        except TimelinesError:
            return ()
    return siblings_of(dataset, record)


def siblings_of(dataset: Dataset, record: ChildRecord) -> tuple[str, ...]:
    """The names of the child's brothers and sisters (same ``sibling_group``), to redact."""
    group = record.child.sibling_group
    if not group:
        return ()
    return tuple(
        c.name
        for c in dataset.children
        if c.sibling_group == group and c.child_id != record.child_id and c.name
    )


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
    (encrypted when a password is given)."""
    theme = load_template(template)
    dataset = load_checked(inputs, today, theme.vocabulary)
    records = select_records(dataset, group)
    if not records:
        raise TimelinesError("the input has no children to draw")
    shown = redact_group_name(group or "all", records) if options.redact else group or "all"
    suffix = "-redacted" if options.redact else ""
    target = out or inputs.folder / f"placements-{safe_name(shown)}{suffix}.pdf"
    done = write_group_pdf(records, group or "", theme, options, target, axis, password, today)
    pages = len(done.layout.pages)
    return RenderResult(target, pages, group or "", dataset.problems, dataset.counts)


def run_batch(
    inputs: Inputs,
    out: Path,
    options: RenderOptions,
    template: str | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    today: date | None = None,
    outputs: tuple[str, ...] = OUTPUTS,
) -> BatchResult:
    """Render every child, every sibling group, a booklet, summary.csv and errors.csv
    (``outputs`` picks among children, groups, booklet and summary; errors.csv always).

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
    jobs = jobs or os.cpu_count() or 1
    today = today or date.today()
    theme = load_template(template)
    plan = (batch.plan_apart if jobs > 1 else batch.load_plan)(inputs, template, today)
    cohort = batch.Cohort(plan, theme, options, today, frozenset(outputs))
    return batch.run_cohort(cohort, out, jobs, progress)


def write_template(out: Path, force: bool = False) -> Path:
    """Write the fill-in workbook for social workers (refusing to replace a file unless forced)."""
    # Imported here: openpyxl (and the numpy it loads) takes a quarter of a second to
    # import, and no other command needs it.
    from timelines.export.workbook import write_template_workbook

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
