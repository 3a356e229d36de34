"""What every page carries: title, protective marking, and footer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from timelines import __version__
from timelines.layout.primitives import Line, Page
from timelines.layout.style import MUTED, RULE, Ctx


@dataclass(frozen=True)
class FrameText:
    title: str
    subtitle: str
    marking: str
    prepared_by: str
    prepared_on: date | None
    fingerprint: str


def add_frame(page: Page, ctx: Ctx, frame: FrameText, number: int, total: int) -> float:
    """Draw the title, marking and footer; return the y below which content may go."""
    w, h, m = ctx.width, ctx.height, ctx.margin
    bold = ctx.size("facts_size")
    if frame.marking:
        page.add(
            ctx.text(
                w / 2, h - m / 2 - 3, frame.marking, bold, "bold", align="centre", role="marking"
            )
        )
        page.add(
            ctx.text(w / 2, m / 2 - 3, frame.marking, bold, "bold", align="centre", role="marking")
        )
    title_size = ctx.size("title_size")
    title = ctx.fit(frame.title, title_size, w - 2 * m, "bold")
    page.add(ctx.text(m, h - m - title_size, title, title_size, "bold", role="title"))
    sub_y = h - m - title_size - 13
    if frame.subtitle:
        page.add(
            ctx.text(
                m,
                sub_y,
                ctx.fit(frame.subtitle, bold, w - 2 * m),
                bold,
                colour=MUTED,
                role="subtitle",
            )
        )
    page.add(Line(m, sub_y - 6, w - m, sub_y - 6, RULE, 0.4))
    _footer(page, ctx, frame, number, total)
    return sub_y - 10


def _footer(page: Page, ctx: Ctx, frame: FrameText, number: int, total: int) -> None:
    w, m = ctx.width, ctx.margin
    size = ctx.min_size
    y = m / 2 + 7
    left = []
    if frame.prepared_by:
        left.append(f"Prepared by {frame.prepared_by}")
    if frame.prepared_on:
        left.append(f"prepared on {frame.prepared_on:%d/%m/%Y}")
    if left:
        text = ctx.fit(", ".join(left), size, w / 2 - m - 60)
        page.add(ctx.text(m, y, text[:1].upper() + text[1:], size, colour=MUTED, role="footer"))
    right = f"timelines {__version__} · data {frame.fingerprint or '-'} · page {number} of {total}"
    page.add(ctx.text(w - m, y, right, size, colour=MUTED, align="right", role="footer"))
