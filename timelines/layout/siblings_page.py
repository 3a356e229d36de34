"""The grouped placement history page: one row per child on a shared time axis.

Each row shows the child's placements (coloured and patterned by type), moves
(small triangles), key decisions (markers above the band), long waits between
events (a hatched bar under the band) and the number of moves at the right.
Children who lived together (same carer, same time: see ``timelines.siblings``)
get a dark strip above both bands over the overlap, joined by a connector with
a dot on each of the two rows. With ``axis="age"`` the rows are aligned by age:
x is the child's age in years instead of the date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from timelines.dates import plain_duration
from timelines.layout import plot
from timelines.layout.frame import FrameText, add_frame
from timelines.layout.primitives import Line, Marker, Page, Rect, Text
from timelines.layout.scale import TimeScale
from timelines.layout.style import INK, MUTED, RULE, Ctx
from timelines.siblings import Group, SiblingRow
from timelines.vocab import DECISION_CATEGORIES

ROWS_PER_PAGE = 12
LABEL_WIDTH = 132.0
RIGHT_WIDTH = 52.0
LINK = "#00585E"
EPOCH = date(2000, 1, 1)  # age axis: every child is 'born' on this day
LEGEND_LINKED = "Linked: lived together (same carer, same time)"


@dataclass(frozen=True)
class SiblingsLayout:
    pages: list[Page]
    scale: TimeScale
    links_drawn: int  # connectors drawn, over all pages


def build_siblings_pages(
    group: Group, ctx: Ctx, frame: FrameText, axis: str = "date", threshold_days: int = 92
) -> SiblingsLayout:
    """Lay out the group over as many pages as it takes (12 rows a page, same axis)."""
    shift = _shifter(axis)
    scale = _scale(group, ctx, axis)
    chunks = [
        range(i, min(i + ROWS_PER_PAGE, len(group.rows)))
        for i in range(0, max(len(group.rows), 1), ROWS_PER_PAGE)
    ]
    pages, drawn = [], 0
    for number, chunk in enumerate(chunks, start=1):
        page = Page(ctx.width, ctx.height)
        top = add_frame(page, ctx, frame, number, len(chunks))
        drawn += _body(page, ctx, group, list(chunk), scale, shift, axis, top, threshold_days)
        pages.append(page)
    return SiblingsLayout(pages, scale, drawn)


Shift = Callable[[SiblingRow, date], date]


def _shifter(axis: str) -> Shift:
    if axis != "age":
        return lambda row, day: day
    return lambda row, day: day - (row.born - EPOCH) if row.born else day


def _scale(group: Group, ctx: Ctx, axis: str) -> TimeScale:
    x0 = ctx.margin + LABEL_WIDTH
    x1 = ctx.width - ctx.margin - RIGHT_WIDTH
    if axis != "age":
        return TimeScale(group.start, group.end, x0, x1)
    oldest = max(((group.end - r.born).days for r in group.rows if r.born), default=365 * 5)
    return TimeScale(EPOCH, EPOCH + timedelta(days=max(oldest, 365)), x0, x1)


def _body(
    page: Page,
    ctx: Ctx,
    group: Group,
    indices: list[int],
    scale: TimeScale,
    shift: Shift,
    axis: str,
    top: float,
    threshold: int,
) -> int:
    legend_h = _legend(page, ctx, group, indices, threshold, measure_only=True)
    bottom = ctx.margin + 16 + legend_h
    axis_top = top - 20
    pitch = min((axis_top - bottom - 24) / max(len(indices), 1), 80.0 * ctx.height / 595.0)
    axis_bottom = axis_top - 8 - pitch * len(indices)
    band_h = min(max(pitch - 24, 8.0), 30.0 * ctx.height / 595.0)
    ys = {
        i: axis_top - 4 - (k + 1) * pitch + (pitch - band_h - 20) / 2 for k, i in enumerate(indices)
    }
    for k, i in enumerate(indices):
        if k % 2 == 0:
            g = _row_geometry(ys[i], band_h)
            page.add(Rect(ctx.margin - 4, g["gap"] - 3, ctx.width - 2 * ctx.margin + 8,
                          g["marks"] + 6 - g["gap"], "#F3F3F3", None))  # fmt: skip
    _grid(page, scale, axis_top, axis_bottom)
    page.add(*_axis(ctx, scale, axis_top, above=True, age=axis == "age"))
    page.add(*_axis(ctx, scale, axis_bottom, above=False, age=axis == "age"))
    drawn = _links(page, group, ys, band_h, scale, shift)
    for i in indices:
        _row(page, ctx, group.rows[i], ys[i], band_h, scale, shift, group.end)
    _legend(page, ctx, group, indices, threshold, measure_only=False, top=axis_bottom - 24)
    return drawn


def _grid(page: Page, scale: TimeScale, top: float, bottom: float) -> None:
    for day in plot.year_ticks(scale):
        x = scale.x(day)
        page.add(Line(x, bottom, x, top, "#E3E3E3", 0.4))


def _axis(ctx: Ctx, scale: TimeScale, y: float, above: bool, age: bool) -> list:
    rows = plot.Rows((0, 0), 0, (0, 0), 0, y + 6 if above else y - 13, y, (0, 0))
    items = plot.axis_items(ctx, scale, rows)
    if not age:
        return items
    out = []
    for item in items:
        if isinstance(item, Text) and item.role == "year":
            years = int(item.text) - EPOCH.year
            item = ctx.text(
                item.x, item.y, f"{years}", item.size, "bold", align="centre", role="year"
            )
        out.append(item)
    label = "Age (years)"
    out.append(ctx.text(scale.x0 - 6, y - 3, label, ctx.min_size, "bold", MUTED, "right", "axis"))
    return out


def _row_geometry(y0: float, band_h: float) -> dict[str, float]:
    band = y0 + 5
    return {
        "gap": y0,
        "band": band,
        "band_top": band + band_h,
        "strip": band + band_h + 5,
        "marks": band + band_h + 12.5,
    }


def _row(
    page: Page,
    ctx: Ctx,
    row: SiblingRow,
    y0: float,
    band_h: float,
    scale: TimeScale,
    shift: Shift,
    end: date,
) -> None:
    g = _row_geometry(y0, band_h)
    x = lambda day: scale.clamp(shift(row, day))  # noqa: E731
    name_size = ctx.size("facts_size") + 0.5
    name = ctx.fit(row.name, name_size, LABEL_WIDTH - 10, "bold")
    mid = g["band"] + band_h / 2
    page.add(ctx.text(ctx.margin, mid + 1.5, name, name_size, "bold", role="name"))
    caption = ctx.fit(row.caption, ctx.min_size, LABEL_WIDTH - 10)
    page.add(
        ctx.text(
            ctx.margin, mid - ctx.min_size - 1.5, caption, ctx.min_size, colour=MUTED, role="dob"
        )
    )
    page.add(Line(scale.x0, g["band"], scale.x1, g["band"], RULE, 0.3))
    for gap in row.gaps:
        x1, x2 = x(gap.start), x(gap.end)
        page.add(
            Rect(x1, g["gap"], max(x2 - x1, 0.8), 3.2, plot.GAP_FILL, INK, "backdiagonal", 0.4)
        )
    for n, p in enumerate(row.placements):
        style = ctx.theme.placement(p.placement_type)
        x1, x2 = x(p.start), x(p.end_or(end))
        page.add(
            Rect(x1, g["band"], max(x2 - x1, 0.8), band_h, style.colour, INK, style.pattern, 0.5)
        )
        if n:
            page.add(Marker(x1, g["band_top"] + 2.2, "triangle_down", 4.5, INK))
        page.add(*_carer_tag(ctx, p.carer, x1, x2, mid))
    if row.born and scale.start <= shift(row, row.born) <= scale.end:
        page.add(Marker(x(row.born), mid, "star", 6.5, INK))
    for event in row.decisions:
        style = ctx.theme.category(event.category)
        page.add(
            Marker(x(event.day), g["marks"], style.marker, 5.5, style.colour, event.when.uncertain)
        )
    moves = f"{row.moves} move" + ("" if row.moves == 1 else "s")
    page.add(ctx.text(scale.x1 + 6, mid - 2.5, moves, ctx.size("facts_size"), "bold", role="moves"))


def _carer_tag(ctx: Ctx, carer: str, x1: float, x2: float, mid: float) -> list:
    """The carer's name on a white tag inside the segment, when it fits legibly."""
    size = ctx.min_size
    text = ctx.fit(carer, size, x2 - x1 - 6) if carer else ""
    if len(text) < 4:
        return []
    tag = ctx.text(x1 + 3, mid - size * 0.35, text, size, role="carer")
    box = tag.box
    return [Rect(box.x - 1.2, box.y - 0.6, box.w + 2.4, box.h + 1.2, "#FFFFFF", None), tag]


def _links(
    page: Page, group: Group, ys: dict[int, float], band_h: float, scale: TimeScale, shift: Shift
) -> int:
    """Strips over each linked overlap, and a connector joining the two rows' strips."""
    drawn = 0
    for link in group.links:
        if link.upper not in ys or link.lower not in ys:
            continue
        ends = []
        for index in (link.upper, link.lower):
            row = group.rows[index]
            g = _row_geometry(ys[index], band_h)
            x1, x2 = scale.clamp(shift(row, link.start)), scale.clamp(shift(row, link.end))
            page.add(Rect(x1, g["strip"], max(x2 - x1, 0.8), 2.6, LINK, None))
            ends.append((x1, g["strip"] + 1.3))
        (xa, ya), (xb, yb) = ends
        page.add(Line(xa, ya, xb, yb, LINK, 1.1))
        page.add(Marker(xa, ya, "circle", 3.4, LINK), Marker(xb, yb, "circle", 3.4, LINK))
        drawn += 1
    return drawn


def _legend(
    page: Page,
    ctx: Ctx,
    group: Group,
    indices: list[int],
    threshold: int,
    measure_only: bool,
    top: float = 0.0,
) -> float:
    """A flowing legend along the bottom; returns its height."""
    size = ctx.size("facts_size") - 0.5
    kinds, cats = [], []
    for i in indices:
        for p in group.rows[i].placements:
            kinds.append(p.placement_type)
        for e in group.rows[i].decisions:
            cats.append(e.category)
    entries: list[tuple[Callable[[float, float], list], str]] = []
    for code in _ordered(kinds, ctx, "placements"):
        style = ctx.theme.placement(code)
        entries.append(
            (
                lambda x, y, s=style: [
                    Rect(x, y - 1.5, 11, size + 1, s.colour, INK, s.pattern, 0.4)
                ],
                style.label,
            )
        )
    for code in _ordered([c for c in cats if c in DECISION_CATEGORIES], ctx, "categories"):
        style = ctx.theme.category(code)
        entries.append(
            (
                lambda x, y, s=style: [Marker(x + 5, y + size * 0.35, s.marker, 6, s.colour)],
                style.label,
            )
        )
    entries.append((lambda x, y: [Marker(x + 5, y + size * 0.35, "triangle_down", 5, INK)], "Move"))
    entries.append(
        (
            lambda x, y: [Rect(x, y, 11, 3.2, plot.GAP_FILL, INK, "backdiagonal", 0.4)],
            f"Wait over {plain_duration(threshold)} between events",
        )
    )
    entries.append(
        (
            lambda x, y: [
                Rect(x, y + 1, 11, 2.6, LINK, None),
                Marker(x, y + 2.3, "circle", 3.4, LINK),
            ],
            LEGEND_LINKED,
        )
    )
    lead = size * 1.7
    x, line = ctx.margin, 0
    right = ctx.width - ctx.margin
    placed: list[tuple[float, int, Callable, str]] = []
    for draw, text in entries:
        w = 14 + ctx.measure(text, size) + 12
        if x + w > right and x > ctx.margin:
            x, line = ctx.margin, line + 1
        placed.append((x, line, draw, text))
        x += w
    height = (line + 1) * lead
    if measure_only:
        return height
    base = top - size
    for x, line, draw, text in placed:
        y = base - line * lead
        page.add(*draw(x, y))
        page.add(ctx.text(x + 14, y, text, size, role="legend"))
    return height


def _ordered(codes: list[str], ctx: Ctx, table: str) -> list[str]:
    order = list(ctx.theme.settings[table])
    unique = set(codes)
    return sorted(unique, key=lambda c: (order.index(c) if c in order else len(order), c))
