"""Cohort batch rendering: every child's page, every sibling group, a booklet and a summary.

The dataset is loaded once and turned into a ``Plan``: every child's record packed
(compressed), its warnings, and the groups; the dataset itself is then let go
(``api.run_batch`` loads it in a process of its own). Children whose rows have
errors are *failed* (not drawn, listed in ``errors.csv``); errors that belong to no
child fail nothing else. Workers (one process per core) lay out and write each
child's PDF and send back the page display lists, compressed, so the parent can
stream them into the booklet in input order without keeping many pages in memory
at once. Exit codes (see ``BatchResult.exit_code``): 0 all drawn, 2 some failed,
1 none drawn.
"""

from __future__ import annotations

import os
import pickle
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from itertools import islice
from multiprocessing import get_context
from multiprocessing.pool import Pool
from pathlib import Path

from timelines import runtime
from timelines.analyse.facts import Facts
from timelines.export.csvfile import csv_bytes
from timelines.export.files import write_atomic
from timelines.export.folder import claim_folder
from timelines.layout.frame import FrameText, add_frame
from timelines.layout.primitives import Bookmark, Line, Page
from timelines.layout.style import MUTED, RULE, Ctx
from timelines.model.options import RenderOptions
from timelines.model.problems import Problem
from timelines.model.records import ChildRecord, Dataset
from timelines.pdf.document import encrypt, streamed_pdf_bytes
from timelines.prepare.names import unique_stems
from timelines.prepare.redact import (
    Redactor,
    cohort_redactor,
    redact_record,
    redacted_id_of,
    share,
)
from timelines.prepare.template import Theme, load_template

SUMMARY_COLUMNS = (
    "child_id",
    "age_years",
    "first_looked_after",
    "days_looked_after",
    "placements",
    "moves",
    "longest_gap_days",
    "days_since_last_decision",
    "current_placement_type",
    "warnings",
    "status",
    "child_pdf",
    "group_pdf",
)
ERROR_COLUMNS = ("file", "row", "column", "child_id", "message")
CHUNK = 8  # children sent to a worker at a time
BOOKLET_VOLUME = 1000  # children per booklet file; more make booklet-001.pdf, booklet-002.pdf…


@dataclass
class ChildOutcome:
    """What a worker sends back for one child (small: compressed pages, no records).

    Not frozen: the booklet writer empties ``pages`` once drawn, to keep memory flat."""

    child_id: str
    name: str
    summary: dict[str, str]
    pages: bytes  # zlib-compressed pickle of the booklet page (the picture); b"" when failed
    page_count: int  # pages in the booklet: 1, or 0 when not drawn
    error: str = ""


@dataclass(frozen=True)
class BatchResult:
    out: Path
    rendered: int
    failed: int
    groups: int
    errors: tuple[Problem, ...]

    @property
    def exit_code(self) -> int:
        """0 when every child was drawn, 2 when some failed, 1 when none could be."""
        if self.rendered == 0:
            return 1
        return 2 if self.failed else 0


def child_of_problems(
    dataset: Dataset, problems: tuple[Problem, ...], rows: dict[tuple[str, int], str]
) -> dict[Problem, str]:
    """Each problem's child id, from the records' origins or the raw rows (``rows``)."""
    where: dict[tuple[str, int], str] = dict(rows)
    for record in (*dataset.children, *dataset.events, *dataset.placements):
        if record.origin and record.origin.row is not None:
            where[(record.origin.file, record.origin.row)] = record.child_id
    found = {}
    for problem in problems:
        if problem.row is not None and (problem.file, problem.row) in where:
            found[problem] = where[(problem.file, problem.row)]
    return found


def summary_row(
    child_id: str,
    facts: Facts | None,
    warnings: list[Problem],
    status: str,
    hide: Callable[[str], str] = str,
) -> dict:
    """One line of summary.csv (``hide``: what redaction hides in the warnings' words)."""
    text = "; ".join(hide(p.message) for p in warnings[:3]) + ("; …" if len(warnings) > 3 else "")
    row = dict.fromkeys(SUMMARY_COLUMNS, "")
    row.update(child_id=child_id, warnings=f"{len(warnings)}: {text}" if warnings else "0")
    row["status"] = status
    if facts is None:
        return row
    gap = facts.longest_gap
    row.update(
        age_years="" if facts.age_years is None else str(facts.age_years),
        first_looked_after=f"{facts.first_looked_after:%d/%m/%Y}"
        if facts.first_looked_after
        else "",
        days_looked_after=str(facts.days_looked_after),
        placements=str(facts.placements),
        moves=str(facts.moves),
        longest_gap_days=str(gap.days) if gap else "",
        days_since_last_decision=""
        if facts.days_since_last_decision is None
        else str(facts.days_since_last_decision),
        current_placement_type=facts.current_placement.placement_type
        if facts.current_placement
        else "",
    )
    return row


# -- workers ---------------------------------------------------------------

_STATE: dict[str, object] = {}


@dataclass(frozen=True)
class Work:
    """One child sent to a worker: the packed record, its warnings, the id the outputs
    show, its file stem, and its brothers' and sisters' names (hidden when redacting)."""

    packed: bytes
    warnings: list[Problem]
    shown: str
    stem: str
    siblings: tuple[str, ...] = ()


def _init(
    template: str | None, options: RenderOptions, out: Path, today: date, password: str | None
) -> None:
    _STATE.update(
        theme=load_template(template), options=options, out=out, today=today, password=password
    )


def _init_worker(
    template: str | None, options: RenderOptions, out: Path, today: date, password: str | None
) -> None:
    runtime.tune_worker()  # a worker process is ours
    _init(template, options, out, today, password)


def _render_chunk(chunk: list[Work]) -> list[ChildOutcome]:
    return [_render_one(unpack_record(work.packed), work) for work in chunk]


def _render_one(record: ChildRecord, work: Work) -> ChildOutcome:
    from timelines.pipeline.child import render_child

    theme: Theme = _STATE["theme"]  # type: ignore[assignment]
    options: RenderOptions = _STATE["options"]  # type: ignore[assignment]
    out: Path = _STATE["out"]  # type: ignore[assignment]
    today: date = _STATE["today"]  # type: ignore[assignment]
    try:
        done = render_child(record, theme, options, today, work.siblings)
        write_atomic(out / "children" / f"{work.stem}.pdf", _sealed(done.pdf))
    except Exception as exc:  # one bad child never stops the batch
        summary = summary_row(work.shown, None, work.warnings, "failed")
        name = record.child.name or work.shown
        return ChildOutcome(work.shown, name, summary, b"", 0, f"{type(exc).__name__}: {exc}")
    hide = share(record, work.siblings, theme, options).hide or str
    packed = zlib.compress(pickle.dumps(done.layout.pages[:1], pickle.HIGHEST_PROTOCOL), 1)
    summary = summary_row(work.shown, done.facts, work.warnings, "rendered", hide)
    summary["child_pdf"] = f"children/{work.stem}.pdf"
    name = done.record.child.name or work.shown
    return ChildOutcome(work.shown, name, summary, packed, 1)


def _sealed(pdf: bytes) -> bytes:
    """The PDF encrypted when the batch was given a password."""
    password: str | None = _STATE.get("password")  # type: ignore[assignment]
    return encrypt(pdf, password) if password else pdf


def _render_group(job: tuple[str, str, list[bytes]]) -> int:
    from timelines.api import siblings_pdf

    name, file_name, members = job
    theme: Theme = _STATE["theme"]  # type: ignore[assignment]
    out: Path = _STATE["out"]  # type: ignore[assignment]
    options: RenderOptions = _STATE["options"]  # type: ignore[assignment]
    records = [unpack_record(packed) for packed in members]
    try:
        pdf, _ = siblings_pdf(records, name, theme, options, "date", _STATE["today"])  # type: ignore[arg-type]
        write_atomic(out / "groups" / file_name, _sealed(pdf))
    except Exception:  # a group that cannot be drawn is left out, never stops the batch
        return 0
    return 1


def pack_record(record: ChildRecord) -> bytes:
    """A record as compressed bytes: a cohort waits for its workers in this form."""
    return zlib.compress(pickle.dumps(record, pickle.HIGHEST_PROTOCOL), 1)


def unpack_record(packed: bytes) -> ChildRecord:
    return pickle.loads(zlib.decompress(packed))


def fresh_processes():
    """A multiprocessing context whose processes start fresh (forkserver, or spawn where
    there is none): they do not inherit this process's memory."""
    return get_context("forkserver" if os.name == "posix" else "spawn")


@contextmanager
def workers(
    jobs: int,
    template: str | None,
    options: RenderOptions,
    out: Path,
    today: date,
    password: str | None = None,
) -> Iterator[Pool | None]:
    """A pool of ``jobs`` fresh processes (forkserver: they do not inherit the loaded
    dataset's memory), or None to work in this process."""
    args = (template, options, out, today, password)
    if jobs <= 1:
        _init(*args)
        yield None
        return
    with fresh_processes().Pool(jobs, _init_worker, args) as pool:
        yield pool


def render_children(
    work: Iterable[Work], pool: Pool | None, in_flight: int = 4
) -> Iterator[ChildOutcome]:
    """Render every child (in the pool when given), yielding outcomes in input order.

    At most ``in_flight`` chunks wait in the pool at once, so the records sent
    to the workers never pile up in memory, however large the cohort.
    """
    chunks = _chunks(work, CHUNK)
    if pool is None:
        for chunk in chunks:
            yield from _render_chunk(chunk)
        return
    pending: deque = deque(pool.apply_async(_render_chunk, (c,)) for c in islice(chunks, in_flight))
    while pending:
        outcomes = pending.popleft().get()
        nxt = next(chunks, None)
        if nxt is not None:
            pending.append(pool.apply_async(_render_chunk, (nxt,)))
        yield from outcomes


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def group_file(member_ids: list[str], stems: dict[str, str]) -> str:
    """A group's PDF is named after its first child's id (a group's name may be a surname)."""
    return f"group-{stems[member_ids[0]]}.pdf"


# -- booklet, summary and errors --------------------------------------------


def index_pages(ctx: Ctx, entries: list[tuple[str, str, str]], frame: FrameText) -> list[Page]:
    """The booklet's index: child id, name, first page (or 'not drawn')."""
    size = ctx.size("facts_size")
    lead = size * 1.45
    columns = (ctx.margin, ctx.margin + 120, ctx.width - ctx.margin - 130)
    pages: list[Page] = []
    y = 0.0
    for entry in entries:
        if not pages or y - lead < ctx.margin + 16:
            page = Page(ctx.width, ctx.height)
            if not pages:
                page.add(Bookmark("Index", "index"))
            y = add_frame(page, ctx, frame, 1, 1) - 6
            for x, head in zip(columns, ("Child id", "Name", "Page"), strict=True):
                page.add(ctx.text(x, y - size, head, size, "bold", colour=MUTED, role="table-head"))
            y -= lead
            page.add(Line(ctx.margin, y + 3, ctx.width - ctx.margin, y + 3, RULE, 0.5))
            pages.append(page)
        widths = (110.0, columns[2] - columns[1] - 10, 130.0)
        for x, text, w in zip(columns, entry, widths, strict=True):
            page.add(ctx.text(x, y - size, ctx.fit(text, size, w), size, role="index"))
        y -= lead
    return pages or [Page(ctx.width, ctx.height)]


def count_index_pages(ctx: Ctx, count: int, frame: FrameText) -> int:
    return len(index_pages(ctx, [("", "", "")] * count, frame))


def unpack(outcome: ChildOutcome) -> list[Page]:
    return pickle.loads(zlib.decompress(outcome.pages)) if outcome.pages else []


def booklet_names(count: int) -> list[str]:
    """booklet.pdf, or booklet-001.pdf, booklet-002.pdf… for more than one volume."""
    volumes = max((count + BOOKLET_VOLUME - 1) // BOOKLET_VOLUME, 1)
    if volumes == 1:
        return ["booklet.pdf"]
    return [f"booklet-{n:03d}.pdf" for n in range(1, volumes + 1)]


def write_volume(
    path: Path,
    ctx: Ctx,
    frame: FrameText,
    children: list[tuple[str, str, bool]],
    outcomes: Iterator[ChildOutcome],
    summaries: list[dict],
    errors: list[tuple[str, str]],
    hide: Callable[[str], str] = str,
) -> None:
    """One booklet volume: index, then each drawn child's picture page as it arrives.

    ``children`` is (child id, name, will be drawn) in order; ``outcomes`` yields
    the drawn children's outcomes in the same order. Page numbers are known
    before drawing (one page a drawn child), so the index comes first; a child
    whose drawing fails still gets a page, saying so, to keep them true.
    """
    first = count_index_pages(ctx, len(children), frame) + 1
    entries = []
    for child_id, name, drawable in children:
        entries.append((child_id, name, str(first) if drawable else "not drawn (errors)"))
        first += drawable

    def pages() -> Iterator[Page]:
        yield from index_pages(ctx, entries, frame)
        for child_id, name, drawable in children:
            if not drawable:
                continue
            outcome = next(outcomes)
            summaries.append(outcome.summary)
            if outcome.error:
                errors.append((child_id, outcome.error))
                yield not_drawn_page(ctx, frame, child_id, name, hide(outcome.error))
            else:
                yield from unpack(outcome)

    pdf = streamed_pdf_bytes(pages(), ctx.font_names, frame.title, frame.prepared_by, "Booklet")
    write_atomic(path, _sealed(pdf))


def not_drawn_page(ctx: Ctx, frame: FrameText, child_id: str, name: str, why: str) -> Page:
    page = Page(ctx.width, ctx.height)
    page.add(Bookmark(f"{name}: not drawn", f"child-{child_id}"))
    y = add_frame(page, ctx, replace(frame, title=f"{name}: not drawn"), 1, 1)
    size = ctx.size("facts_size")
    text = ctx.fit(
        f"This child's timeline could not be drawn: {why}", size, ctx.width - 2 * ctx.margin
    )
    page.add(ctx.text(ctx.margin, y - 2 * size, text, size, role="error"))
    return page


__all__ = [
    "BatchResult",
    "ChildOutcome",
    "child_of_problems",
    "group_file",
    "render_children",
    "summary_row",
    "write_volume",
]


@dataclass(frozen=True)
class Plan:
    """What the batch needs of the dataset, without the dataset: children in order,
    their packed records and warnings, the failed, the errors and the groups; and, per
    child, the id the outputs show, its file stem and its brothers' and sisters' names.
    ``hide`` hides every child's name and date of birth (None: not redacting)."""

    order: list[str]
    names: dict[str, str]
    packed: dict[str, bytes]
    warnings: dict[str, list[Problem]]
    failed: set[str]
    errors: tuple[Problem, ...]
    owners: dict[Problem, str]
    groups: list[tuple[str, list[str]]]
    shown: dict[str, str]
    stems: dict[str, str]
    siblings: dict[str, tuple[str, ...]]
    hide: Redactor | None = None

    def files(self) -> list[str]:
        """Every file this batch may write, relative to its folder."""
        children = [f"children/{self.stems[cid]}.pdf" for cid in self.order if cid in self.packed]
        groups = [f"groups/{group_file(ids, self.stems)}" for _, ids in self.groups]
        reports = ["summary.csv", "errors.csv", *booklet_names(len(self.order))]
        return children + groups + reports


def plan_cohort(
    dataset: Dataset, raw_rows: dict[tuple[str, int], str], redact: bool = False
) -> Plan:
    """Pack a loaded cohort for drawing; ``raw_rows`` maps (file, row) to child_id for rows
    the loader dropped, so their problems find their child."""
    from timelines.analyse.groups import sibling_groups

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
    packed = {r.child_id: pack_record(r) for r in records if r.child_id not in failed}
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
        order, names, packed, warnings, failed, errors, owners, groups, shown, stems, siblings, hide
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


@dataclass(frozen=True)
class Cohort:
    """A packed cohort and how to draw it."""

    plan: Plan
    theme: Theme
    template: str | None
    options: RenderOptions
    today: date
    password: str | None = None


def run_cohort(
    cohort: Cohort,
    out: Path,
    jobs: int,
    progress: Callable[[int, int], None] | None = None,
    force: bool = False,
) -> BatchResult:
    """Draw every child that has no errors into its PDF and the booklet, then groups,
    summary and errors. Children stream through the workers and into the booklet
    volumes, so memory stays flat while drawing, however large the cohort.

    The folder is claimed first (``export.folder``): an earlier batch's files are
    removed (``force``) and this batch's list of files is written before any of them."""
    plan = cohort.plan
    order, failed, shown = plan.order, plan.failed, plan.shown
    claim_folder(out, plan.files(), force)
    work = (
        Work(
            plan.packed[cid],
            plan.warnings.get(cid, []),
            shown[cid],
            plan.stems[cid],
            plan.siblings.get(cid, ()),
        )
        for cid in order
        if cid in plan.packed
    )
    ctx, frame = _booklet_frame(cohort, len(plan.packed), len(order))
    summaries: list[dict] = []
    render_errors: list[tuple[str, str]] = []
    hide = plan.hide or str
    args = (cohort.template, cohort.options, out, cohort.today, cohort.password)
    with workers(jobs, *args) as pool:
        outcomes = _counted(render_children(work, pool), progress, len(plan.packed))
        volumes = list(_chunks(order, BOOKLET_VOLUME)) or [[]]  # no child: an empty index
        for path, volume in zip(booklet_names(len(order)), volumes, strict=True):
            children = [
                (shown[cid], plan.names.get(cid, cid), cid in plan.packed) for cid in volume
            ]
            write_volume(out / path, ctx, frame, children, outcomes, summaries, render_errors, hide)
            summaries += [
                summary_row(shown[cid], None, plan.warnings.get(cid, []), "failed", hide)
                for cid in volume
                if cid in failed
            ]
        id_of = {shown[cid]: cid for cid in order}
        not_drawn = failed | {id_of[sid] for sid, _ in render_errors}
        drawn = set(plan.packed) - not_drawn
        tasks = [
            (name, group_file(ids, plan.stems), [plan.packed[i] for i in ids if i in drawn])
            for name, ids in plan.groups
            if any(i in drawn for i in ids)
        ]
        made = list(pool.imap(_render_group, tasks) if pool else map(_render_group, tasks))
    files = {file for (_, file, _), ok in zip(tasks, made, strict=True) if ok}
    group_of = {shown[cid]: group_file(ids, plan.stems) for _, ids in plan.groups for cid in ids}
    position = {shown[cid]: i for i, cid in enumerate(order)}
    summaries.sort(key=lambda row: position[row["child_id"]])
    for row in summaries:
        file = group_of.get(row["child_id"])
        row["group_pdf"] = f"groups/{file}" if file in files else ""
    owners = {p: shown.get(cid, cid) for p, cid in plan.owners.items()}
    _write_reports(out, summaries, plan.errors, owners, render_errors, hide)
    written = len(files)
    return BatchResult(out, len(order) - len(not_drawn), len(not_drawn), written, plan.errors)


def _counted(
    outcomes: Iterator[ChildOutcome], progress: Callable[[int, int], None] | None, total: int
) -> Iterator[ChildOutcome]:
    for done, outcome in enumerate(outcomes, start=1):
        if progress:
            progress(done, total)
        yield outcome


def _booklet_frame(cohort: Cohort, drawn: int, total: int) -> tuple[Ctx, FrameText]:
    ctx = Ctx.for_theme(cohort.theme, cohort.options.page_size)
    options = cohort.options
    marking = cohort.theme.get("marking", "text") if options.marking is None else options.marking
    frame = FrameText(
        "Timelines booklet: index",
        f"{drawn} of {total} children to draw · to {options.as_of or cohort.today:%d/%m/%Y}",
        marking,
        options.prepared_by,
        options.prepared_on,
        "",
    )
    return ctx, frame


def _write_reports(
    out: Path,
    summaries: list[dict],
    errors: tuple[Problem, ...],
    owners: dict[Problem, str],
    render_errors: list[tuple[str, str]],
    hide: Callable[[str], str] = str,
) -> None:
    rows = [
        {
            "file": p.file,
            "row": p.row or "",
            "column": p.column or "",
            "child_id": owners.get(p, ""),
            "message": hide(p.message),
        }
        for p in errors
    ]
    blank = dict.fromkeys(ERROR_COLUMNS, "")
    rows += [dict(blank, child_id=cid, message=hide(message)) for cid, message in render_errors]
    write_atomic(out / "summary.csv", csv_bytes(SUMMARY_COLUMNS, summaries))
    write_atomic(out / "errors.csv", csv_bytes(ERROR_COLUMNS, rows))
