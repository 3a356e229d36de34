"""What each command does, as one library call: load, check, render, write.

The CLI calls exactly one function here per command and turns the
``TimelinesError`` it may raise into a clean message and exit code.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from timelines import runtime
from timelines.model.counts import RowCount
from timelines.model.options import RenderOptions
from timelines.model.problems import InputError, Problem, TimelinesError, has_errors
from timelines.model.records import ChildRecord, Dataset, child_key
from timelines.pdf.document import encrypt, write_atomic
from timelines.pipeline.batch import BatchResult
from timelines.pipeline.batch import Plan as BatchPlan
from timelines.pipeline.child import write_child_pdf
from timelines.prepare.redact import (
    group_redactor,
    redact_group_name,
    redact_options,
    redacted_id,
    redactor,
)
from timelines.prepare.template import Theme, load_template

if TYPE_CHECKING:
    from timelines.layout.siblings_page import SiblingsLayout


@dataclass(frozen=True)
class Inputs:
    """The files a command was given, and how to read them."""

    primary: Path
    placements: Path | None = None
    children: Path | None = None
    extra_chronology: tuple[Path, ...] = ()
    fmt: str | None = None
    child_id: str | None = None
    name: str | None = None
    dob: str | None = None


def upload_inputs(files: Mapping[str, bytes], **given: Any) -> Inputs:
    """Inputs from uploaded files (file name → bytes) that are read in memory, never written
    to disk: one file alone, several as a folder. ``given``: the other ``Inputs`` fields."""
    from timelines.load.files import uploads

    return Inputs(uploads(files), **given)  # type: ignore[arg-type]


@dataclass(frozen=True)
class RenderResult:
    path: Path
    pages: int
    child_id: str
    warnings: tuple[Problem, ...] = field(default=())
    counts: tuple[RowCount, ...] = field(default=())  # what became of every row read


def load(inputs: Inputs, today: date | None = None, vocabulary: tuple[str, ...] = ()) -> Dataset:
    """Read the inputs (any supported format) into a Dataset with every problem found."""
    from timelines.load.inputs import load_inputs

    return load_inputs(
        inputs.primary,
        placements=inputs.placements,
        children=inputs.children,
        extra_chronology=inputs.extra_chronology,
        fmt=inputs.fmt,
        child_id=inputs.child_id,
        name=inputs.name,
        dob=inputs.dob,
        today=today,
        vocabulary=vocabulary,
    )


def validate(inputs: Inputs, today: date | None = None) -> tuple[Problem, ...]:
    """Every problem in the inputs (errors and warnings), without drawing anything."""
    return check(inputs, today).problems


def check(inputs: Inputs, today: date | None = None) -> Dataset:
    """The inputs loaded without drawing: every problem, and what became of every row."""
    return load(inputs, today)


def safe_name(child_id: str) -> str:
    """A file-name-safe form of a child id (ids only: never names)."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", child_id).strip("._")
    return cleaned[:80] or "child"


def default_output(inputs: Inputs, child_id: str) -> Path:
    folder = inputs.primary if inputs.primary.is_dir() else inputs.primary.parent
    return folder / f"timeline-{safe_name(child_id)}.pdf"


def choose_record(dataset: Dataset, child_id: str | None) -> ChildRecord:
    """The one child to draw: the only one, or the one asked for."""
    ids = dataset.child_ids()
    if child_id is not None:
        child_id = child_key(child_id)
        if child_id not in ids:
            raise TimelinesError(f"no child with id '{child_id}' in the input")
        return dataset.record(child_id)
    if not ids:
        raise TimelinesError("the input has no events or placements to draw")
    if len(ids) > 1:
        shown = ", ".join(ids[:8]) + (", …" if len(ids) > 8 else "")
        raise TimelinesError(
            f"the input describes {len(ids)} children ({shown}); choose one with --child"
        )
    return dataset.record(ids[0])


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
    vocabulary = tuple(theme.settings["categories"]) + tuple(theme.settings["placements"])
    dataset = load(inputs, today, vocabulary)
    if has_errors(dataset.problems):
        raise InputError(dataset.problems)
    record = choose_record(dataset, inputs.child_id)
    target = out or default_output(inputs, record.child_id)
    if options.redact:
        others = _sibling_names(inputs, dataset, record, today, vocabulary)
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
    inputs: Inputs, dataset: Dataset, record: ChildRecord, today: date | None, vocabulary: tuple
) -> tuple[str, ...]:
    """Brothers' and sisters' names to redact (files read again when one child was chosen)."""
    if not record.child.sibling_group:
        return ()
    if inputs.child_id is not None:
        try:
            everyone = replace(inputs, child_id=None, name=None, dob=None)
            dataset = load(everyone, today, vocabulary)
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


def siblings_pdf(
    records: list[ChildRecord],
    group_name: str,
    theme: Theme,
    options: RenderOptions,
    axis: str = "date",
    today: date | None = None,
) -> tuple[bytes, SiblingsLayout]:
    """Lay out and draw a grouped placement history (one row per child) as PDF bytes."""
    from timelines.analyse.groups import ALL_CHILDREN, build_group
    from timelines.layout.frame import FrameText
    from timelines.layout.siblings_page import build_siblings_pages
    from timelines.layout.style import Ctx
    from timelines.pdf.document import pdf_bytes
    from timelines.pipeline.child import fingerprint

    as_of = options.as_of or today or date.today()
    months = options.gap_threshold_months
    threshold = theme.gap_threshold_days if months is None else round(months * 30.4375)
    shared = {r.child.sibling_group for r in records}
    if not group_name and len(shared) == 1 and "" not in shared:
        group_name = f"sibling group {shared.pop()}"
    if options.redact:
        group_name = redact_group_name(group_name, records)
        options = redact_options(options, group_redactor(records))
    group = build_group(records, group_name or ALL_CHILDREN, as_of, threshold, options.redact)
    ctx = Ctx.for_theme(theme, options.page_size)
    marking = theme.get("marking", "text") if options.marking is None else options.marking
    count = len(group.rows)
    subtitle = (
        f"{count} child{'ren' if count != 1 else ''} · placements to {as_of:%d/%m/%Y}"
        f" · {'aligned by age' if axis == 'age' else 'by date'}"
    )
    prints = "".join(fingerprint(r) for r in records)
    frame = FrameText(
        options.title or f"Placement history: {group.name}",
        subtitle,
        marking,
        options.prepared_by,
        options.prepared_on,
        hashlib.sha256(prints.encode()).hexdigest()[:10],
    )
    layout = build_siblings_pages(group, ctx, frame, axis, threshold)
    pdf = pdf_bytes(layout.pages, ctx.font_names, frame.title, options.prepared_by, "Placements")
    return pdf, layout


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
    from timelines.analyse.groups import select_records

    theme = load_template(template)
    vocabulary = tuple(theme.settings["categories"]) + tuple(theme.settings["placements"])
    dataset = load(inputs, today, vocabulary)
    if has_errors(dataset.problems):
        raise InputError(dataset.problems)
    records = select_records(dataset, group)
    if not records:
        raise TimelinesError("the input has no children to draw")
    pdf, layout = siblings_pdf(records, group or "", theme, options, axis, today)
    folder = inputs.primary if inputs.primary.is_dir() else inputs.primary.parent
    shown = redact_group_name(group or "all", records) if options.redact else group or "all"
    suffix = "-redacted" if options.redact else ""
    target = out or folder / f"placements-{safe_name(shown)}{suffix}.pdf"
    write_atomic(target, encrypt(pdf, password) if password else pdf)
    return RenderResult(target, len(layout.pages), group or "", dataset.problems, dataset.counts)


def _raw_row_children(inputs: Inputs, problems: tuple[Problem, ...]) -> dict[tuple[str, int], str]:
    """(file, row) → child_id for the rows named by problems (see ``row_children``)."""
    from timelines.load.inputs import row_children

    given = [inputs.primary, inputs.placements, inputs.children, *inputs.extra_chronology]
    folder = inputs.primary if inputs.primary.is_dir() else inputs.primary.parent
    return row_children([p for p in given if p is not None], folder, problems)


def run_batch(
    inputs: Inputs,
    out: Path,
    options: RenderOptions,
    template: str | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    today: date | None = None,
) -> BatchResult:
    """Render every child, every sibling group, a booklet, summary.csv and errors.csv.

    With more than one job the files are loaded in a process of their own, which
    hands back the cohort packed and then ends: the memory that loading takes is
    given back before drawing starts. ``BatchResult.exit_code``: 0 when every child
    was drawn, 2 when some failed, 1 when none could be.
    """
    from timelines.pipeline import batch

    jobs = jobs or os.cpu_count() or 1
    today = today or date.today()
    theme = load_template(template)
    args = (inputs, template, today)
    plan = _in_own_process(_plan_batch, *args) if jobs > 1 else _plan_batch(*args)
    cohort = batch.Cohort(plan, theme, template, options, today)
    return batch.run_cohort(cohort, out, jobs, progress)


def _plan_batch(inputs: Inputs, template: str | None, today: date) -> BatchPlan:
    from timelines.pipeline import batch

    theme = load_template(template)
    vocabulary = tuple(theme.settings["categories"]) + tuple(theme.settings["placements"])
    dataset = load(inputs, today, vocabulary)
    # Every problem with a row: warnings on rows that start no record count for their child too.
    located = tuple(p for p in dataset.problems if p.row is not None)
    return batch.plan_cohort(dataset, _raw_row_children(inputs, located))


def _in_own_process(function: Callable, *args):
    """``function(*args)`` in a fresh process (its errors are raised here)."""
    from concurrent.futures import ProcessPoolExecutor

    from timelines.pipeline.batch import fresh_processes

    with ProcessPoolExecutor(1, mp_context=fresh_processes(), initializer=runtime.tune) as pool:
        return pool.submit(function, *args).result()


def write_template(out: Path, force: bool = False) -> Path:
    """Write the fill-in workbook for social workers (refusing to replace a file unless forced)."""
    from timelines.export.workbook import write_template_workbook

    if out.exists() and not force:
        raise TimelinesError(f"{out} already exists; use --force to replace it")
    write_template_workbook(out)
    return out
