"""The side panel: key facts, the list of placements, and the legend."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from timelines.layout.primitives import Line, Marker, Page, Rect
from timelines.layout.style import INK, MUTED, Ctx
from timelines.layout.waits import EDGE, OPEN_EDGE, OPEN_FILL, WAIT_FILL
from timelines.prepare.template import Style


@dataclass(frozen=True)
class Column:
    """A vertical strip of the page that fills from the top down."""

    x: float
    width: float
    y: float  # next baseline's top
    bottom: float


def heading(page: Page, ctx: Ctx, col: Column, text: str) -> Column:
    size = ctx.size("facts_size") + 1
    page.add(ctx.text(col.x, col.y - size, text, size, "bold", role="heading"))
    return Column(col.x, col.width, col.y - size - 5, col.bottom)


def fact_lines(page: Page, ctx: Ctx, col: Column, facts: Iterable[tuple[str, str]]) -> Column:
    """'Label: value' lines, the value wrapped under the label when long."""
    size = ctx.size("facts_size")
    lead = size * 1.3
    y = col.y
    for label, value in facts:
        head = f"{label}: "
        head_w = ctx.measure(head, size, "bold")
        under = head_w > col.width * 0.42  # a long label: the value goes under it
        indent = 8.0 if under else head_w
        lines = ctx.wrap(value, size, col.width - indent)
        rows = len(lines) + under
        if y - lead * rows < col.bottom:
            break
        page.add(ctx.text(col.x, y - size, head, size, "bold", role="fact"))
        for i, line in enumerate(lines, start=under):
            page.add(ctx.text(col.x + indent, y - size - i * lead, line, size, role="fact"))
        y -= lead * rows + 1.5
    return Column(col.x, col.width, y - 6, col.bottom)


def text_lines(page: Page, ctx: Ctx, col: Column, lines: Iterable[str], role: str) -> Column:
    """Plain wrapped lines, hanging-indented."""
    size = ctx.size("facts_size") - 0.5
    lead = size * 1.25
    y = col.y
    for text in lines:
        wrapped = ctx.wrap(text, size, col.width - 8)
        if y - lead * len(wrapped) < col.bottom:
            break
        for i, line in enumerate(wrapped):
            page.add(ctx.text(col.x + (8 if i else 0), y - size - i * lead, line, size, role=role))
        y -= lead * len(wrapped) + 1
    return Column(col.x, col.width, y - 6, col.bottom)


def legend(
    page: Page,
    ctx: Ctx,
    col: Column,
    placement_styles: list[Style],
    category_styles: list[Style],
    extras: list[tuple[str, str]],
) -> Column:
    """Swatches for placement types, markers for categories, then symbol notes."""
    size = ctx.size("facts_size") - 0.5
    lead = size * 1.5
    y = col.y
    half = col.width / 2
    rows = [(s, "swatch") for s in placement_styles] + [(s, "marker") for s in category_styles]
    for i, (style, kind) in enumerate(rows):
        x = col.x + (i % 2) * half
        if i % 2 == 0 and i:
            y -= lead
        if y - lead < col.bottom:
            break
        _symbol(page, x, y - size, style, kind, size)
        text = ctx.fit(style.label, size, half - 16)
        page.add(ctx.text(x + 14, y - size, text, size, role="legend"))
    y -= lead + 2
    for symbol, text in extras:
        lines = ctx.wrap(text, size, col.width - 16)
        step = size * 1.2
        if y - lead - step * (len(lines) - 1) < col.bottom:
            break
        _extra_symbol(page, col.x, y - size, symbol, size)
        for i, line in enumerate(lines):
            page.add(
                ctx.text(col.x + 14, y - size - i * step, line, size, colour=MUTED, role="legend")
            )
        y -= lead + step * (len(lines) - 1)
    return Column(col.x, col.width, y, col.bottom)


def _symbol(page: Page, x: float, y: float, style: Style, kind: str, size: float) -> None:
    if kind == "swatch":
        page.add(Rect(x, y - 1.5, 11, size + 1, style.colour, INK, style.pattern, 0.4))
    else:
        page.add(Marker(x + 5, y + size * 0.35, style.marker, 6.5, style.colour))


def _extra_symbol(page: Page, x: float, y: float, symbol: str, size: float) -> None:
    mid = y + size * 0.35
    if symbol == "uncertain":
        page.add(Marker(x + 5, mid, "circle", 6.5, INK, hollow=True))
    elif symbol == "gap":
        page.add(Rect(x, mid - 2, 11, 4, "#D9D9D9", INK, "backdiagonal", 0.4))
    elif symbol in ("wait", "open_wait"):
        fill, edge = (WAIT_FILL, EDGE) if symbol == "wait" else (OPEN_FILL, OPEN_EDGE)
        page.add(Rect(x, mid - 3.5, 11, 7, fill, edge, "none", 0.6))
    elif symbol == "target":
        page.add(Marker(x + 5, mid, "diamond", 6.0, INK, hollow=True))
    elif symbol == "move":
        page.add(Marker(x + 5, mid, "triangle_down", 6, INK))
    elif symbol == "birthday":
        page.add(Line(x + 5, mid - 2.5, x + 5, mid + 2.5, MUTED, 1.0))
    elif symbol == "series":
        page.add(Line(x, mid, x + 11, mid, MUTED, 1.0))
        page.add(*(Line(x + d, mid - 2, x + d, mid + 2, MUTED, 0.6) for d in (0, 3.7, 7.3, 11)))
