"""Cohort batch: schedule every child's page, every sibling group, the booklet and the tables.

The dataset is loaded once (in a process of its own with several jobs, see
``plan_apart``) and turned into a ``Plan``: every child's record (packed, when it
goes to other processes), its warnings, and the groups; the dataset itself is
then let go. Children whose rows have errors are *failed* (not drawn, listed in
``errors.csv``); errors that belong to no child fail nothing else. Workers (one
process per core) draw each child through ``pipeline.child`` and send back its
booklet page, packed, so this process can stream them into ``pipeline.booklet``
in input order without keeping many pages in memory at once. Groups go through
``pipeline.siblings``, the tables through ``pipeline.summary``. Exit codes (see
``BatchResult.exit_code``): 0 all drawn, 2 some failed, 1 none drawn.
"""

from __future__ import annotations

import os
import pickle
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from timelines import runtime
from timelines.analyse.facts import Facts
from timelines.analyse.groups import sibling_groups
from timelines.export.files import write_atomic
from timelines.export.folder import claim_folder
from timelines.layout.primitives import Page
from timelines.model.counts import RowCount
from timelines.model.options import RenderOptions
from timelines.model.problems import Problem
from timelines.model.records import Child, ChildRecord, Dataset, Event, Placement
from timelines.pdf.document import encrypt
from timelines.pdf.painter import Painted
from timelines.pipeline import booklet
from timelines.pipeline.child import child_facts, layout_child, render_child
from timelines.pipeline.siblings import render_group
from timelines.pipeline.source import Inputs, load, raw_row_children
from timelines.pipeline.summary import (
    error_rows,
    summary_columns_for,
    summary_row,
    write_tables,
)
from timelines.prepare.names import unique_stems
from timelines.prepare.redact import (
    Redactor,
    cohort_redactor,
    redact_options,
    redact_record,
    redacted_id_of,
    redactor,
)
from timelines.prepare.template import Theme, load_template

if TYPE_CHECKING:  # multiprocessing is imported when a batch first uses other processes
    from multiprocessing.context import BaseContext
    from multiprocessing.pool import Pool

OUTPUTS = ("children", "groups", "booklet", "summary")  # what a batch can write
CHUNK = 8  # children sent to a worker at a time

T = TypeVar("T")


@dataclass(frozen=True)
class ChildOutcome:
    """What a worker sends back for one child (small: a compressed page, no records)."""

    child_id: str
    summary: dict[str, str]
    page: Parcel = None  # the booklet page (the picture) when asked for, packed
    error: str = ""


@dataclass(frozen=True)
class BatchResult:
    out: Path
    rendered: int
    failed: int
    groups: int
    errors: tuple[Problem, ...]
    unowned: int = 0  # rows (or files) with errors that name no child: failures too
    counts: tuple[RowCount, ...] = ()  # what became of every row read

    @property
    def exit_code(self) -> int:
        """0 when every child was drawn and every row read, 2 when some child or row failed,
        1 when no child could be drawn."""
        if self.rendered == 0:
            return 1
        return 2 if self.failed else 0


# -- the plan: a loaded cohort, packed ----------------------------------------


@dataclass(frozen=True)
class Plan:
    """What the batch needs of the dataset, without the dataset: children in order,
    their packed records and warnings, the failed, the errors and the groups; and, per
    child, the id the outputs show, its file stem and its brothers' and sisters' names.
    ``hide`` hides every child's name and date of birth (None: not redacting)."""

    order: list[str]
    names: dict[str, str]
    packed: dict[str, Parcel]
    warnings: dict[str, list[Problem]]
    failed: set[str]
    errors: tuple[Problem, ...]
    owners: dict[Problem, str]
    groups: list[tuple[str, list[str]]]
    counts: tuple[RowCount, ...] = ()  # what became of every row read
    shown: dict[str, str] = field(default_factory=dict)
    stems: dict[str, str] = field(default_factory=dict)
    siblings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    hide: Redactor | None = None

    def files(self) -> list[str]:
        """Every file this batch may write, relative to its folder."""
        children = [f"children/{self.stems[cid]}.pdf" for cid in self.order if cid in self.packed]
        groups = [f"groups/{group_file(ids, self.stems)}" for _, ids in self.groups]
        reports = ["summary.csv", "errors.csv", "accounting.csv"]
        reports += booklet.booklet_names(len(self.order))
        return children + groups + reports


def plan_cohort(
    dataset: Dataset,
    raw_rows: dict[tuple[str, int], str],
    apart: bool = True,
    redact: bool = False,
) -> Plan:
    """Pack a loaded cohort for drawing (for other processes when ``apart``); ``raw_rows``
    maps (file, row) to child_id for rows the loader dropped, so their problems find their
    child. ``redact``: the ids and names the outputs show are the redacted ones."""
    problems = dataset.problems
    errors = tuple(p for p in problems if p.severity == "error")
    owners = child_of_problems(dataset, problems, raw_rows)
    failed = {owners[p] for p in errors if p in owners}
    warnings: dict[str, list[Problem]] = {}
    for problem, child in owners.items():
        if problem.severity == "warning":
            warnings.setdefault(child, []).append(problem)
    records = dataset.records()
    names = {r.child_id: r.child.name or r.child_id for r in records}
    order = list(dict.fromkeys([*names, *(owners[p] for p in errors if p in owners)]))
    packed = {r.child_id: pack(r, apart) for r in records if r.child_id not in failed}
    groups = list(sibling_groups(dataset).items())
    siblings = {r.child_id: siblings_of(dataset, r) for r in records} if redact else {}
    shown, hide = {cid: cid for cid in order}, None
    if redact:
        hide = cohort_redactor(records)
        for record in records:
            hidden = redact_record(record, siblings[record.child_id])
            names[record.child_id] = hidden.child.name or hidden.child_id
            shown[record.child_id] = hidden.child_id
        for cid in order:
            if cid not in names or hide.finds(shown[cid]):
                shown[cid] = redacted_id_of(cid, hide)
                names.setdefault(cid, shown[cid])
    by_shown = unique_stems(shown.values())
    stems = {cid: by_shown[shown[cid]] for cid in order}
    return Plan(
        order,
        names,
        packed,
        warnings,
        failed,
        errors,
        owners,
        groups,
        dataset.counts,
        shown,
        stems,
        siblings,
        hide,
    )


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


def load_plan(
    inputs: Inputs, template: str | None, today: date, apart: bool = False, redact: bool = False
) -> Plan:
    """Load the inputs and pack them, for other processes when ``apart`` (every problem
    with a row finds its child: warnings on rows that start no record count for their
    child too; only the files with such rows that no record came from are read again)."""
    dataset = load(inputs, today, load_template(template).vocabulary)
    located = tuple(p for p in dataset.problems if p.row is not None)
    placed = child_of_problems(dataset, located, {})
    unplaced = tuple(p for p in located if p not in placed)
    return plan_cohort(dataset, raw_row_children(inputs, unplaced), apart, redact)


def plan_apart(inputs: Inputs, template: str | None, today: date, redact: bool = False) -> Plan:
    """``load_plan`` in a fresh process of its own, which then ends: the memory that
    loading takes is given back before drawing starts (its errors are raised here)."""
    from concurrent.futures import ProcessPoolExecutor

    context = fresh_processes()
    with ProcessPoolExecutor(1, mp_context=context, initializer=runtime.tune_worker) as pool:
        return pool.submit(load_plan, inputs, template, today, True, redact).result()


def child_of_problems(
    dataset: Dataset, problems: tuple[Problem, ...], rows: dict[tuple[str, int], str]
) -> dict[Problem, str]:
    """Each problem's child id, from the records' origins or the raw rows (``rows``)."""
    where: dict[tuple[str, int], str] = dict(rows)
    records: tuple[Child | Event | Placement, ...] = (
        *dataset.children,
        *dataset.events,
        *dataset.placements,
    )
    for record in records:
        if record.origin and record.origin.row is not None:
            where[(record.origin.file, record.origin.row)] = record.child_id
    found = {}
    for problem in problems:
        if problem.row is not None and (problem.file, problem.row) in where:
            found[problem] = where[(problem.file, problem.row)]
    return found


Parcel = Any  # a value as it travels: compressed bytes between processes, else itself


def pack(value: object, apart: bool) -> Parcel:
    """``value`` ready to travel: compressed bytes (a cohort waits for its workers in this
    form, and pages come back so) when it goes to another process, else as it is."""
    return zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), 1) if apart else value


def unpack(parcel: Parcel) -> Any:
    return pickle.loads(zlib.decompress(parcel)) if isinstance(parcel, bytes) else parcel


# -- the work: what each worker does ------------------------------------------


@dataclass(frozen=True)
class Cohort:
    """A packed cohort, how to draw it and what to write."""

    plan: Plan
    theme: Theme
    options: RenderOptions
    today: date
    outputs: frozenset[str] = field(default=frozenset(OUTPUTS))
    password: str | None = None
    force: bool = False  # replace an earlier batch in the folder


@dataclass(frozen=True)
class Job:
    """What every worker needs besides the children: sent once, when it starts."""

    theme: Theme
    options: RenderOptions
    out: Path
    today: date
    outputs: frozenset[str]
    apart: bool  # in processes of their own: what goes back is packed
    password: str | None = None

    def sealed(self, pdf: bytes) -> bytes:
        """The PDF encrypted when the batch was given a password."""
        return encrypt(pdf, self.password)


@dataclass(frozen=True)
class Work:
    """One child sent to a worker: the packed record, its warnings, the id the outputs
    show, its file stem, and its brothers' and sisters' names (hidden when redacting)."""

    packed: Any
    warnings: list[Problem]
    shown: str
    stem: str
    siblings: tuple[str, ...] = ()


_JOB: list[Job] = []  # this process's job (a worker's, or this process's own with one job)


def _start(job: Job, ours: bool) -> None:
    if ours:
        runtime.tune_worker()  # a worker process is ours
    _JOB[:] = [job]


def _draw_children(chunk: list[Work]) -> list[ChildOutcome]:
    return [_draw_child(unpack(work.packed), work) for work in chunk]


def _draw_child(record: ChildRecord, work: Work) -> ChildOutcome:
    job = _JOB[0]
    file = f"children/{work.stem}.pdf"
    try:
        facts, pages = _drawn(record, job, work)
    except Exception as exc:  # one bad child never stops the batch
        summary = summary_row(work.shown, None, work.warnings, "failed")
        return ChildOutcome(work.shown, summary, error=f"{type(exc).__name__}: {exc}")
    hide = redactor(record, work.siblings) if job.options.redact else str
    summarised = facts if "summary" in job.outputs else None  # their columns: summary.csv only
    summary = summary_row(work.shown, summarised, work.warnings, "rendered", hide)
    summary["child_pdf"] = file if "children" in job.outputs else ""
    return ChildOutcome(work.shown, summary, pack(pages, job.apart) if pages else None)


def _drawn(record: ChildRecord, job: Job, work: Work) -> tuple[Facts, list[Page | Painted]]:
    """Only what the job asks for: the child's PDF written, its booklet page laid out, or
    its key facts alone (for the summary); the facts and the booklet page."""
    booklet_page = "booklet" in job.outputs
    theme, options, siblings = job.theme, job.options, work.siblings
    if "children" in job.outputs:
        done = render_child(record, theme, options, job.today, siblings)
        write_atomic(job.out / "children" / f"{work.stem}.pdf", job.sealed(done.pdf))
    elif booklet_page:
        done = layout_child(record, theme, options, job.today, siblings)
    else:
        return child_facts(record, theme, options, job.today, siblings), []
    if not booklet_page:
        return done.facts, []
    # The booklet takes page 1 as painted into the child's PDF when it was (no painting
    # twice), else as laid out.
    return done.facts, [done.first_page or done.layout.pages[0]]


def _draw_group(task: tuple[str, str, list[Parcel]]) -> int:
    job = _JOB[0]
    name, file_name, members = task
    records = [unpack(packed) for packed in members]
    try:
        pdf = render_group(records, name, job.theme, job.options, "date", job.today).pdf
        write_atomic(job.out / "groups" / file_name, job.sealed(pdf))
    except Exception:  # a group that cannot be drawn is left out, never stops the batch
        return 0
    return 1


# -- scheduling ----------------------------------------------------------------


def fresh_processes() -> BaseContext:
    """A multiprocessing context whose processes start fresh (forkserver, or spawn where
    there is none): they do not inherit this process's memory."""
    from multiprocessing import get_context

    return get_context("forkserver" if os.name == "posix" else "spawn")


@contextmanager
def workers(jobs: int, job: Job) -> Iterator[Pool | None]:
    """A pool of ``jobs`` fresh processes (forkserver: they do not inherit the loaded
    dataset's memory), or None to work in this process."""
    if jobs <= 1:
        _start(job, ours=False)
        yield None
        return
    with fresh_processes().Pool(jobs, _start, (job, True)) as pool:
        yield pool


def in_order(
    work: Iterable[T], task: Callable[[list[T]], list[Any]], pool: Pool | None, in_flight: int = 4
) -> Iterator[Any]:
    """``task`` on every chunk of ``work`` (in the pool when given), results in input order.

    At most ``in_flight`` chunks wait in the pool at once, so the work sent to the
    workers never piles up in memory, however large the cohort.
    """
    chunks = _chunks(work, CHUNK)
    if pool is None:
        for chunk in chunks:
            yield from task(chunk)
        return
    pending: deque = deque(pool.apply_async(task, (c,)) for c in islice(chunks, in_flight))
    while pending:
        results = pending.popleft().get()
        nxt = next(chunks, None)
        if nxt is not None:
            pending.append(pool.apply_async(task, (nxt,)))
        yield from results


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def group_file(member_ids: list[str], stems: dict[str, str]) -> str:
    """A group's PDF is named after its first child's id (a group's name may be a surname)."""
    return f"group-{stems[member_ids[0]]}.pdf"


def run_cohort(
    cohort: Cohort, out: Path, jobs: int, progress: Callable[[int, int], None] | None = None
) -> BatchResult:
    """Draw every child that has no errors (into its PDF and the booklet, as asked), then the
    groups and the tables. Children stream through the workers and into the booklet
    volumes, so memory stays flat while drawing, however large the cohort.

    The folder is claimed first (``export.folder``): an earlier batch's files are
    removed (``cohort.force``) and this batch's list of files is written before any."""
    plan, wanted = cohort.plan, cohort.outputs
    shown = {cid: plan.shown.get(cid, cid) for cid in plan.order}
    stems = plan.stems or unique_stems(plan.order)
    claim_folder(out, replace(plan, stems=stems).files(), cohort.force)
    options = cohort.options
    if plan.hide is not None:  # names typed in the options, hidden in every document
        options = redact_options(options, plan.hide)
    job = Job(cohort.theme, options, out, cohort.today, wanted, jobs > 1, cohort.password)
    work = (
        Work(
            plan.packed[c],
            plan.warnings.get(c, []),
            shown[c],
            stems[c],
            plan.siblings.get(c, ()),
        )
        for c in plan.order
        if c in plan.packed
    )
    hide = plan.hide or str
    summaries: list[dict] = []
    render_errors: list[tuple[str, str]] = []
    with workers(jobs, job) as pool:
        outcomes = _counted(in_order(work, _draw_children, pool), progress, len(plan.packed))
        drawn = _recorded(outcomes, summaries, render_errors)
        if "booklet" in wanted:
            _write_booklet(replace(cohort, options=options), out, drawn, shown)
        else:
            for _ in drawn:
                pass
        summaries += [
            summary_row(shown[cid], None, plan.warnings.get(cid, []), "failed", hide)
            for cid in plan.failed
        ]
        id_of = {sid: cid for cid, sid in shown.items()}
        not_drawn = plan.failed | {id_of[sid] for sid, _ in render_errors}
        made = (
            _draw_groups(plan, set(plan.packed) - not_drawn, pool, out, stems)
            if "groups" in wanted
            else set()
        )
    position = {shown[cid]: i for i, cid in enumerate(plan.order)}
    summaries.sort(key=lambda row: position[row["child_id"]])
    group_of = {shown[cid]: group_file(ids, stems) for _, ids in plan.groups for cid in ids}
    for row in summaries:
        file = group_of.get(row["child_id"])
        row["group_pdf"] = f"groups/{file}" if file in made else ""
    owners = {p: shown.get(cid, cid) for p, cid in plan.owners.items()}
    errors = error_rows(plan.errors, owners, render_errors, hide)
    columns = summary_columns_for(cohort.theme, cohort.options)
    write_tables(out, summaries if "summary" in wanted else None, errors, columns, plan.counts)
    unowned = len({(p.file, p.row) for p in plan.errors if p not in plan.owners})
    drawn_count, failed_count = len(plan.order) - len(not_drawn), len(not_drawn) + unowned
    return BatchResult(out, drawn_count, failed_count, len(made), plan.errors, unowned, plan.counts)


def _recorded(
    outcomes: Iterator[ChildOutcome], summaries: list[dict], errors: list[tuple[str, str]]
) -> Iterator[booklet.Drawn]:
    """Each outcome's summary and error noted, and its booklet page handed on."""
    for outcome in outcomes:
        summaries.append(outcome.summary)
        if outcome.error:
            errors.append((outcome.child_id, outcome.error))
        yield booklet.Drawn(unpack(outcome.page) or [], outcome.error)


def _write_booklet(
    cohort: Cohort, out: Path, drawn: Iterator[booklet.Drawn], shown: dict[str, str]
) -> None:
    plan = cohort.plan
    hide = plan.hide or str
    ctx, frame = booklet.booklet_frame(
        cohort.theme, cohort.options, cohort.today, len(plan.packed), len(plan.order)
    )
    volumes = list(_chunks(plan.order, booklet.BOOKLET_VOLUME)) or [[]]  # no child: an empty index
    for name, volume in zip(booklet.booklet_names(len(plan.order)), volumes, strict=True):
        children = [booklet.Entry(shown[c], plan.names.get(c, c), c in plan.packed) for c in volume]
        booklet.write_volume(out / name, ctx, frame, children, drawn, cohort.password, hide)


def _draw_groups(
    plan: Plan, drawn: set[str], pool: Pool | None, out: Path, stems: dict[str, str]
) -> set[str]:
    """Every group with a drawn child, drawn from those children; the files made."""
    tasks = [
        (name, group_file(ids, stems), [plan.packed[i] for i in ids if i in drawn])
        for name, ids in plan.groups
        if any(i in drawn for i in ids)
    ]
    made = list(pool.imap(_draw_group, tasks) if pool else map(_draw_group, tasks))
    return {file for (_, file, _), ok in zip(tasks, made, strict=True) if ok}


def _counted(
    outcomes: Iterator[ChildOutcome], progress: Callable[[int, int], None] | None, total: int
) -> Iterator[ChildOutcome]:
    for done, outcome in enumerate(outcomes, start=1):
        if progress:
            progress(done, total)
        yield outcome
