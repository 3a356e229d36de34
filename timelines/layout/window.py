"""A window that follows the journey: when the axis starts after the child's birth, a
break in the axis at its start and the words "born 03/03/2014" (with redaction, the
age at the start) say that the years before are left out. When they are more than a
year, they are drawn compressed before the break (a lead, see ``scale``): its axis
dashed and grey, with the ages at a few birthdays, so the shadows still show how old the
child was when the story began."""

from __future__ import annotations

from datetime import date

from timelines.layout.plot import Rows
from timelines.layout.primitives import Line, Rect, Text
from timelines.layout.scale import LEAD_MIN_DAYS, TimeScale
from timelines.layout.style import INK, MUTED, Ctx
from timelines.model.dates import age_in_years

LEAD_SHARE = (0.07, 0.12)  # of the plot's width: the lead's least and greatest width


def born_text(born: date, start: date, redact: bool) -> str:
    if redact:
        return f"aged {age_in_years(born, start)} at the start"
    return f"born {born:%d/%m/%Y}"


def lead_words(born: date, start: date, redact: bool) -> list[str]:
    """The lead's words: over its axis, under it, and in the band's row."""
    said = [f"aged {age_in_years(born, start)} at start"]
    if not redact:
        said.insert(0, f"born {born:%d/%m/%Y}")
    return [f"birth to {start.year}", "compressed", *said]


def lead_width(ctx: Ctx, width: float, born: date | None, start: date, redact: bool) -> float:
    """How wide the compressed lead is drawn on a plot ``width`` wide (0: none): wide
    enough for its words, within ``LEAD_SHARE`` of the plot."""
    if born is None or (start - born).days <= LEAD_MIN_DAYS:
        return 0.0
    words = max(ctx.measure(w, ctx.min_size) for w in lead_words(born, start, redact))
    least, most = LEAD_SHARE
    return min(max(least * width, words + 2), most * width)


def window_items(
    ctx: Ctx, scale: TimeScale, rows: Rows, born: date | None, redact: bool
) -> tuple[list, Text | None]:
    """The break mark on the axis and the words under it (None when the axis starts at
    or before the birth); the words are returned apart, for other labels to avoid."""
    if born is None or born >= scale.start:
        return [], None
    if scale.born is not None and scale.lead_x0 is not None:
        return _lead_items(ctx, scale, rows, born, redact), None
    x, y = scale.x0, rows.axis
    text = ctx.text(
        x,
        rows.gaps + 5.5,
        born_text(born, scale.start, redact),
        ctx.min_size,
        colour=MUTED,
        role="born",
    )
    return _break_mark(x, y), text


def _break_mark(x: float, y: float) -> list:
    """Two slanted strokes across the axis, 6 points wide from ``x``."""
    return [
        Rect(x + 1.0, y - 4.0, 4.0, 8.0, "#FFFFFF", None),
        Line(x, y - 4.0, x + 3.0, y + 4.0, INK, 0.9),
        Line(x + 3.0, y - 4.0, x + 6.0, y + 4.0, INK, 0.9),
    ]


def _lead_items(ctx: Ctx, scale: TimeScale, rows: Rows, born: date, redact: bool) -> list:
    """The lead: not shaded (the waits are), a dashed grey axis with a tick at birth,
    the break mark, and its words (what it is over the axis, "compressed" under it,
    the birth and the age at the start in the band's row)."""
    assert scale.lead_x0 is not None
    x0, x1, y, size = scale.lead_x0, scale.lead_x1, rows.axis, ctx.min_size
    over, under, *said = lead_words(born, scale.start, redact)
    centre = (x0 + x1) / 2
    items: list = [
        Line(x0, y, x1, y, MUTED, 1.2, (2.0, 1.5)),
        Line(x0, y + 3, x0, y - 3, MUTED, 0.8),
        *_break_mark(x1 + (scale.x0 - x1 - 6) / 2, y),
        ctx.text(centre, y + 4, over, size, colour=MUTED, align="centre", role="lead"),
        ctx.text(centre, rows.years, under, size, colour=MUTED, align="centre", role="lead"),
    ]
    band = (rows.band[0] + rows.band[1]) / 2
    for i, words in enumerate(said):
        at = band + (len(said) - 1 - 2 * i) * size * 0.6 - size * 0.35
        items.append(ctx.text(x0, at, words, size, colour=MUTED, role="born"))
    return items
