"""The numbered chronology table that follows page 1 when not every label fits."""

from __future__ import annotations

from timelines.layout.frame import FrameText, add_frame
from timelines.layout.primitives import Line, Page, Rect
from timelines.layout.style import MUTED, RULE, Ctx
from timelines.model.records import Event

COLUMNS = (("No.", 0.05), ("Date", 0.11), ("Event", 0.34), ("Category", 0.13), ("Detail", 0.37))


def chronology_pages(
    ctx: Ctx, events: tuple[Event, ...], frame: FrameText, unnumbered: tuple[Event, ...] = ()
) -> list[Page]:
    """Every event, numbered as on page 1, over as many pages as it takes; the events
    ``unnumbered`` (a birth the page shows on its compressed lead, not as a marker) are
    listed in date order with "–" for their number."""
    size = max(ctx.size("facts_size") - 0.5, ctx.min_size)
    lead = size * 1.25
    pages: list[Page] = []
    width = ctx.width - 2 * ctx.margin
    xs = _column_xs(ctx.margin, width)
    room = [share * width - 4 for _, share in COLUMNS]  # the width a column's text may take
    page, y = _new_page(ctx, frame, xs, size)
    pages.append(page)
    rows = [(str(n), e) for n, e in enumerate(events, start=1)] + [("–", e) for e in unnumbered]
    rows.sort(key=lambda row: row[1].day)  # stable: the page's order, the births among it
    for row, (number, event) in enumerate(rows, start=1):
        cells = _cells(number, event, ctx)
        wrapped = [ctx.wrap(text, size, w) for text, w in zip(cells, room, strict=True)]
        height = lead * max(map(len, wrapped)) + 2
        if y - height < ctx.margin + 14:
            page, y = _new_page(ctx, frame, xs, size)
            pages.append(page)
        if row % 2 == 0:
            page.add(Rect(ctx.margin, y - height + 1, width, height, "#F2F2F2", None))
        for x, lines in zip(xs, wrapped, strict=True):
            for i, line in enumerate(lines):
                page.add(ctx.text(x + 2, y - size - i * lead, line, size, role="table"))
        y -= height
    return pages


def _column_xs(left: float, width: float) -> list[float]:
    xs, x = [], left
    for _, share in COLUMNS:
        xs.append(x)
        x += share * width
    return xs


def _new_page(ctx: Ctx, frame: FrameText, xs: list[float], size: float) -> tuple[Page, float]:
    page = Page(ctx.width, ctx.height)
    top = add_frame(
        page,
        ctx,
        FrameText(
            f"{frame.title}: chronology",
            frame.subtitle,
            frame.marking,
            frame.prepared_by,
            frame.prepared_on,
            frame.fingerprint,
        ),
        1,
        1,
    )
    y = top - 4
    for x, (name, _) in zip(xs, COLUMNS, strict=True):
        page.add(ctx.text(x + 2, y - size, name, size, "bold", colour=MUTED, role="table-head"))
    y -= size * 1.6
    page.add(Line(ctx.margin, y + 2, ctx.width - ctx.margin, y + 2, RULE, 0.5))
    return page, y


def _cells(number: str, event: Event, ctx: Ctx) -> list[str]:
    category = ctx.theme.category(event.category).label
    return [
        number,
        event.when.label(),
        event.label,
        category,
        event.detail,
    ]
