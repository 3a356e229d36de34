"""Cohort batch rendering: every child's page, every sibling group, a booklet and a summary.

The dataset is loaded once. Children whose rows have errors are *failed* (not
drawn, listed in ``errors.csv``); errors that belong to no child fail nothing
else. Workers (one process per core) lay out and write each child's PDF and
send back the page display lists, compressed, so the parent can stream them
into the booklet in input order without keeping many pages in memory at once.
Exit codes (see ``BatchResult.exit_code``): 0 all drawn, 2 some failed.
"""

from __future__ import annotations

import csv
import gc
import io
import os
import pickle
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from multiprocessing import get_context
from multiprocessing.pool import Pool
from pathlib import Path

from timelines.analyse import Facts
from timelines.export import write_atomic, write_pdf_pages
from timelines.layout.frame import FrameText, add_frame
from timelines.layout.primitives import Bookmark, Line, Page
from timelines.layout.style import MUTED, RULE, Ctx
from timelines.model import ChildRecord, Dataset
from timelines.options import RenderOptions
from timelines.problems import Problem
from timelines.template import Theme, load_template

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
)
ERROR_COLUMNS = ("file", "row", "column", "child_id", "message")
CHUNK = 8


@dataclass
class ChildOutcome:
    """What a worker sends back for one child (small: compressed pages, no records).

    Not frozen: the booklet writer empties ``pages`` once drawn, to keep memory flat."""

    child_id: str
    name: str
    summary: dict[str, str]
    pages: bytes  # zlib-compressed pickle of the page display lists; b"" when failed
    page_count: int
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


def _render_chunk(chunk: list[tuple[ChildRecord, list[Problem]]]) -> list[ChildOutcome]:
    return [_render_one(record, warnings) for record, warnings in chunk]


def _render_one(record: ChildRecord, warnings: list[Problem]) -> ChildOutcome:
    from timelines.api import safe_name
    from timelines.render import render_child

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
    packed = zlib.compress(pickle.dumps(done.layout.pages, pickle.HIGHEST_PROTOCOL), 1)
    summary = summary_row(record.child_id, done.facts, warnings, "rendered")
    return ChildOutcome(record.child_id, name, summary, packed, len(done.layout.pages))


def _render_group(job: tuple[str, list[ChildRecord]]) -> int:
    from timelines.api import safe_name, siblings_pdf

    name, members = job
    theme: Theme = _STATE["theme"]  # type: ignore[assignment]
    out: Path = _STATE["out"]  # type: ignore[assignment]
    options: RenderOptions = _STATE["options"]  # type: ignore[assignment]
    try:
        pdf, _ = siblings_pdf(members, name, theme, options, "date", _STATE["today"])  # type: ignore[arg-type]
        write_atomic(out / "groups" / f"{safe_name(name)}.pdf", pdf)
    except Exception:  # a group that cannot be drawn is left out, never stops the batch
        return 0
    return 1


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
    method = "forkserver" if os.name == "posix" else "spawn"
    with get_context(method).Pool(jobs, _init, (template, options, out, today)) as pool:
        yield pool


def render_children(
    work: list[tuple[ChildRecord, list[Problem]]], pool: Pool | None
) -> Iterator[ChildOutcome]:
    """Render every child (in the pool when given), yielding outcomes in input order."""
    chunks = [work[i : i + CHUNK] for i in range(0, len(work), CHUNK)]
    results = pool.imap(_render_chunk, chunks) if pool else map(_render_chunk, chunks)
    for outcomes in results:
        yield from outcomes


def group_jobs(dataset: Dataset, records: list[ChildRecord], not_drawn: set[str]) -> list:
    """(group name, member records) for every sibling group with a drawn member."""
    from timelines.siblings import sibling_groups

    by_id = {r.child_id: r for r in records if r.child_id not in not_drawn}
    jobs = []
    for name, ids in sibling_groups(dataset).items():
        members = [by_id[i] for i in ids if i in by_id]
        if members:
            jobs.append((name, members))
    return jobs


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


def write_booklet(
    path: Path,
    ctx: Ctx,
    frame: FrameText,
    outcomes: list[ChildOutcome],
) -> int:
    """Index page(s), then every drawn child's pages, with an outline entry per child."""
    first = count_index_pages(ctx, len(outcomes), frame) + 1
    entries = []
    for outcome in outcomes:
        shown = str(first) if outcome.page_count else "not drawn (errors)"
        entries.append((outcome.child_id, outcome.name, shown))
        first += outcome.page_count
    index = index_pages(ctx, entries, frame)

    def pages() -> Iterator[Page]:
        yield from index
        for outcome in outcomes:
            pages, outcome.pages = unpack(outcome), b""
            yield from pages

    write_pdf_pages(path, pages(), ctx.font_names, frame.title, frame.prepared_by, "Booklet")
    return first - 1


__all__ = [
    "BatchResult",
    "ChildOutcome",
    "child_of_problems",
    "csv_text",
    "group_jobs",
    "render_children",
    "summary_row",
    "write_booklet",
]


@dataclass(frozen=True)
class Cohort:
    """A loaded cohort and how to draw it."""

    dataset: Dataset
    raw_rows: dict[tuple[str, int], str]  # (file, row) → child_id for rows the loader dropped
    theme: Theme
    template: str | None
    options: RenderOptions
    today: date


def run_cohort(
    cohort: Cohort, out: Path, jobs: int, progress: Callable[[int, int], None] | None = None
) -> BatchResult:
    """Draw every child that has no errors, then the booklet, groups, summary and errors."""
    dataset, problems = cohort.dataset, cohort.dataset.problems
    errors = tuple(p for p in problems if p.severity == "error")
    owners = child_of_problems(dataset, problems, cohort.raw_rows)
    failed = {owners[p] for p in errors if p in owners}
    records = dataset.records()
    warnings: dict[str, list[Problem]] = {}
    for problem, child in owners.items():
        if problem.severity == "warning":
            warnings.setdefault(child, []).append(problem)
    work = [(r, warnings.get(r.child_id, [])) for r in records if r.child_id not in failed]
    names = {r.child_id: r.child.name or r.child_id for r in records}
    everyone = [r.child_id for r in records] + [owners[p] for p in errors if p in owners]
    drawn: dict[str, ChildOutcome] = {}
    options = cohort.options
    with workers(jobs, cohort.template, options, out, cohort.today) as pool:
        for outcome in render_children(work, pool):
            drawn[outcome.child_id] = outcome
            if progress:
                progress(len(drawn), len(work))
        outcomes = []
        for child_id in dict.fromkeys(everyone):
            if child_id in drawn:
                outcomes.append(drawn[child_id])
                continue
            summary = summary_row(child_id, None, warnings.get(child_id, []), "failed")
            outcomes.append(ChildOutcome(child_id, names.get(child_id, child_id), summary, b"", 0))
        not_drawn = {o.child_id for o in outcomes if not o.page_count}
        tasks = group_jobs(dataset, records, not_drawn)
        written = sum(pool.imap(_render_group, tasks) if pool else map(_render_group, tasks))
    del dataset, records, work, tasks, drawn  # the booklet needs none of the records
    cohort = replace(cohort, dataset=Dataset())
    gc.collect()
    _write_reports(cohort, out, outcomes, errors, owners)
    ok = len(outcomes) - len(not_drawn)
    return BatchResult(out, ok, len(not_drawn), written, errors)


def _write_reports(
    cohort: Cohort,
    out: Path,
    outcomes: list[ChildOutcome],
    errors: tuple[Problem, ...],
    owners: dict[Problem, str],
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
    rows += [dict(blank, child_id=o.child_id, message=o.error) for o in outcomes if o.error]
    ctx = Ctx.for_theme(cohort.theme, cohort.options.page_size)
    options = cohort.options
    marking = cohort.theme.get("marking", "text") if options.marking is None else options.marking
    drawn = sum(1 for o in outcomes if o.page_count)
    frame = FrameText(
        "Timelines booklet: index",
        f"{drawn} of {len(outcomes)} children drawn · to {options.as_of or cohort.today:%d/%m/%Y}",
        marking,
        options.prepared_by,
        options.prepared_on,
        "",
    )
    write_booklet(out / "booklet.pdf", ctx, frame, outcomes)
    write_atomic(out / "summary.csv", csv_text(SUMMARY_COLUMNS, [o.summary for o in outcomes]))
    write_atomic(out / "errors.csv", csv_text(ERROR_COLUMNS, rows))
