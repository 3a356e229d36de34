"""A cohort's booklet: an index page, then every drawn child's picture page, bookmarked.

The pages come as display lists from the children's own documents (laid out once,
in the workers); children who could not be drawn get a page saying so, so the
index's page numbers stay true. Past ``BOOKLET_VOLUME`` children the booklet comes
in volumes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from timelines.export.files import write_atomic
from timelines.layout.frame import FrameText, add_frame
from timelines.layout.primitives import Bookmark, Line, Page
from timelines.layout.style import MUTED, RULE, Ctx
from timelines.model.options import RenderOptions
from timelines.pdf.document import encrypt, streamed_pdf_bytes
from timelines.pdf.painter import Painted
from timelines.pipeline.frame import frame_text
from timelines.prepare.template import Theme

BOOKLET_VOLUME = 1000  # children per booklet file; more make booklet-001.pdf, booklet-002.pdf…


@dataclass(frozen=True)
class Entry:
    """A child in a booklet volume, in order; ``drawable`` when it has no errors."""

    child_id: str
    name: str
    drawable: bool


@dataclass(frozen=True)
class Drawn:
    """A drawn child's booklet page (its picture page), or why it could not be drawn."""

    pages: list[Page | Painted]  # as laid out, or as painted into the child's own PDF
    error: str = ""


def booklet_names(count: int) -> list[str]:
    """booklet.pdf, or booklet-001.pdf, booklet-002.pdf… for more than one volume."""
    volumes = max((count + BOOKLET_VOLUME - 1) // BOOKLET_VOLUME, 1)
    if volumes == 1:
        return ["booklet.pdf"]
    return [f"booklet-{n:03d}.pdf" for n in range(1, volumes + 1)]


def booklet_frame(
    theme: Theme, options: RenderOptions, today: date, drawn: int, total: int
) -> tuple[Ctx, FrameText]:
    """The measuring context and the frame of every booklet volume's index."""
    ctx = Ctx.for_theme(theme, options.page_size)
    subtitle = f"{drawn} of {total} children to draw · to {options.as_of or today:%d/%m/%Y}"
    return ctx, frame_text(theme, options, "Timelines booklet: index", subtitle)


def write_volume(
    path: Path,
    ctx: Ctx,
    frame: FrameText,
    children: list[Entry],
    drawn: Iterator[Drawn],
    password: str | None = None,
    hide: Callable[[str], str] = str,
) -> None:
    """One booklet volume: index, then each drawn child's picture page as it arrives
    (encrypted when a ``password`` is given; ``hide``: what redaction hides in the
    reasons a child could not be drawn).

    ``drawn`` yields the drawable children's pages in the order of ``children``.
    Page numbers are known before drawing (one page a drawable child), so the
    index comes first; a child whose drawing fails still gets a page, saying so,
    to keep them true.
    """
    first = len(index_pages(ctx, [("", "", "")] * len(children), frame)) + 1
    entries = []
    for child in children:
        entries.append(
            (child.child_id, child.name, str(first) if child.drawable else "not drawn (errors)")
        )
        first += child.drawable

    def pages() -> Iterator[Page | Painted]:
        yield from index_pages(ctx, entries, frame)
        for child in children:
            if not child.drawable:
                continue
            done = next(drawn)
            if done.error:
                yield not_drawn_page(ctx, frame, child, hide(done.error))
            else:
                yield from done.pages

    pdf = streamed_pdf_bytes(pages(), ctx.font_names, frame.title, frame.prepared_by, "Booklet")
    write_atomic(path, encrypt(pdf, password))


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


def not_drawn_page(ctx: Ctx, frame: FrameText, child: Entry, why: str) -> Page:
    """A child's place in the booklet when its timeline could not be drawn."""
    page = Page(ctx.width, ctx.height)
    page.add(Bookmark(f"{child.name}: not drawn", f"child-{child.child_id}"))
    y = add_frame(page, ctx, replace(frame, title=f"{child.name}: not drawn"), 1, 1)
    size = ctx.size("facts_size")
    text = ctx.fit(
        f"This child's timeline could not be drawn: {why}", size, ctx.width - 2 * ctx.margin
    )
    page.add(ctx.text(ctx.margin, y - 2 * size, text, size, role="error"))
    return page
