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

import csv
import io
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
from timelines.layout.frame import FrameText, add_frame
from timelines.layout.primitives import Bookmark, Line, Page
from timelines.layout.style import MUTED, RULE, Ctx
from timelines.model.counts import RowCount, summed
from timelines.model.options import RenderOptions
from timelines.model.problems import Problem
from timelines.model.records import ChildRecord, Dataset
from timelines.pdf.document import write_atomic, write_pdf_pages
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
    unowned: int = 0  # rows (or files) with errors that name no child: failures too
    counts: tuple[RowCount, ...] = ()  # what became of every row read

    @property
    def exit_code(self) -> int:
        """0 when every child was drawn and every row read, 2 when some child or row failed,
        1 when no child could be drawn."""
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


def summary_row(child_id: str, facts: Facts | None, warnings: list[Problem], status: str) -> dict:
    """One line of summary.csv."""
    text = "; ".join(p.message for p in warnings[:3]) + ("; …" if len(warnings) > 3 else "")
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


def _init(template: str | None, options: RenderOptions, out: Path, today: date) -> None:
    _STATE.update(theme=load_template(template), options=options, out=out, today=today)


def _init_worker(template: str | None, options: RenderOptions, out: Path, today: date) -> None:
    runtime.tune()  # a worker process is ours
    _init(template, options, out, today)


def _render_chunk(chunk: list[tuple[bytes, list[Problem]]]) -> list[ChildOutcome]:
    return [_render_one(unpack_record(packed), warnings) for packed, warnings in chunk]


def _render_one(record: ChildRecord, warnings: list[Problem]) -> ChildOutcome:
    from timelines.api import safe_name
    from timelines.pipeline.child import render_child

    theme: Theme = _STATE["theme"]  # type: ignore[assignment]
    options: RenderOptions = _STATE["options"]  # type: ignore[assignment]
    out: Path = _STATE["out"]  # type: ignore[assignment]
    name = record.child.name or record.child_id
    try:
        done = render_child(record, theme, options, _STATE["today"])  # type: ignore[arg-type]
        write_atomic(out / "children" / f"{safe_name(record.child_id)}.pdf", done.pdf)
    except Exception as exc:  # one bad child never stops the batch
        summary = summary_row(record.child_id, None, warnings, "failed")
        return ChildOutcome(record.child_id, name, summary, b"", 0, f"{type(exc).__name__}: {exc}")
    packed = zlib.compress(pickle.dumps(done.layout.pages[:1], pickle.HIGHEST_PROTOCOL), 1)
    summary = summary_row(record.child_id, done.facts, warnings, "rendered")
    return ChildOutcome(record.child_id, name, summary, packed, 1)


def _render_group(job: tuple[str, str, list[bytes]]) -> int:
    from timelines.api import siblings_pdf

    name, file_name, members = job
    theme: Theme = _STATE["theme"]  # type: ignore[assignment]
    out: Path = _STATE["out"]  # type: ignore[assignment]
    options: RenderOptions = _STATE["options"]  # type: ignore[assignment]
    records = [unpack_record(packed) for packed in members]
    try:
        pdf, _ = siblings_pdf(records, name, theme, options, "date", _STATE["today"])  # type: ignore[arg-type]
        write_atomic(out / "groups" / file_name, pdf)
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
    jobs: int, template: str | None, options: RenderOptions, out: Path, today: date
) -> Iterator[Pool | None]:
    """A pool of ``jobs`` fresh processes (forkserver: they do not inherit the loaded
    dataset's memory), or None to work in this process."""
    if jobs <= 1:
        _init(template, options, out, today)
        yield None
        return
    with fresh_processes().Pool(jobs, _init_worker, (template, options, out, today)) as pool:
        yield pool


def render_children(
    work: Iterable[tuple[bytes, list[Problem]]], pool: Pool | None, in_flight: int = 4
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


def group_file(member_ids: list[str]) -> str:
    """A group's PDF is named after its first child's id (a group's name may be a surname)."""
    from timelines.api import safe_name

    return f"group-{safe_name(member_ids[0])}.pdf"


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


def csv_text(columns: tuple[str, ...], rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


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
                yield not_drawn_page(ctx, frame, child_id, name, outcome.error)
            else:
                yield from unpack(outcome)

    write_pdf_pages(path, pages(), ctx.font_names, frame.title, frame.prepared_by, "Booklet")


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
    "csv_text",
    "group_file",
    "render_children",
    "summary_row",
    "write_volume",
]


@dataclass(frozen=True)
class Plan:
    """What the batch needs of the dataset, without the dataset: children in order,
    their packed records and warnings, the failed, the errors and the groups."""

    order: list[str]
    names: dict[str, str]
    packed: dict[str, bytes]
    warnings: dict[str, list[Problem]]
    failed: set[str]
    errors: tuple[Problem, ...]
    owners: dict[Problem, str]
    groups: list[tuple[str, list[str]]]
    counts: tuple[RowCount, ...] = ()  # what became of every row read


def plan_cohort(dataset: Dataset, raw_rows: dict[tuple[str, int], str]) -> Plan:
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
    return Plan(order, names, packed, warnings, failed, errors, owners, groups, dataset.counts)


@dataclass(frozen=True)
class Cohort:
    """A packed cohort and how to draw it."""

    plan: Plan
    theme: Theme
    template: str | None
    options: RenderOptions
    today: date


def run_cohort(
    cohort: Cohort, out: Path, jobs: int, progress: Callable[[int, int], None] | None = None
) -> BatchResult:
    """Draw every child that has no errors into its PDF and the booklet, then groups,
    summary and errors. Children stream through the workers and into the booklet
    volumes, so memory stays flat while drawing, however large the cohort."""
    plan = cohort.plan
    order, failed = plan.order, plan.failed
    work = ((plan.packed[cid], plan.warnings.get(cid, [])) for cid in order if cid in plan.packed)
    ctx, frame = _booklet_frame(cohort, len(plan.packed), len(order))
    summaries: list[dict] = []
    render_errors: list[tuple[str, str]] = []
    with workers(jobs, cohort.template, cohort.options, out, cohort.today) as pool:
        outcomes = _counted(render_children(work, pool), progress, len(plan.packed))
        volumes = list(_chunks(order, BOOKLET_VOLUME)) or [[]]  # no child: an empty index
        for path, volume in zip(booklet_names(len(order)), volumes, strict=True):
            children = [(cid, plan.names.get(cid, cid), cid in plan.packed) for cid in volume]
            write_volume(out / path, ctx, frame, children, outcomes, summaries, render_errors)
            summaries += [
                summary_row(cid, None, plan.warnings.get(cid, []), "failed")
                for cid in volume
                if cid in failed
            ]
        not_drawn = failed | {cid for cid, _ in render_errors}
        drawn = set(plan.packed) - not_drawn
        tasks = [
            (name, group_file(ids), [plan.packed[i] for i in ids if i in drawn])
            for name, ids in plan.groups
            if any(i in drawn for i in ids)
        ]
        made = list(pool.imap(_render_group, tasks) if pool else map(_render_group, tasks))
    files = {file for (_, file, _), ok in zip(tasks, made, strict=True) if ok}
    group_of = {cid: group_file(ids) for _, ids in plan.groups for cid in ids}
    position = {cid: i for i, cid in enumerate(order)}
    summaries.sort(key=lambda row: position[row["child_id"]])
    for row in summaries:
        file = group_of.get(row["child_id"])
        row["group_pdf"] = f"groups/{file}" if file in files else ""
    _write_reports(out, summaries, plan.errors, plan.owners, render_errors)
    write_atomic(out / "accounting.csv", accounting_csv(plan.counts))
    unowned = len({(p.file, p.row) for p in plan.errors if p not in plan.owners})
    drawn_count, failed_count = len(order) - len(not_drawn), len(not_drawn) + unowned
    return BatchResult(
        out, drawn_count, failed_count, len(files), plan.errors, unowned, plan.counts
    )


ACCOUNTING_COLUMNS = ("file", "read", "used", "merged", "errors", "left_out")


def accounting_csv(counts: tuple[RowCount, ...]) -> bytes:
    """accounting.csv: per file, what became of its rows (read = used + merged + errors +
    left_out; the warnings and errors.csv say which rows and why)."""
    rows = [
        {
            "file": c.file,
            "read": c.read,
            "used": c.records,
            "merged": c.merged,
            "errors": c.errors,
            "left_out": c.left_out,
        }
        for c in summed(counts)
    ]
    return csv_text(ACCOUNTING_COLUMNS, rows)


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
) -> None:
    rows = [
        {
            "file": p.file,
            "row": p.row or "",
            "column": p.column or "",
            "child_id": owners.get(p, ""),
            "message": p.message,
        }
        for p in errors
    ]
    blank = dict.fromkeys(ERROR_COLUMNS, "")
    rows += [dict(blank, child_id=cid, message=message) for cid, message in render_errors]
    write_atomic(out / "summary.csv", csv_text(SUMMARY_COLUMNS, summaries))
    write_atomic(out / "errors.csv", csv_text(ERROR_COLUMNS, rows))
