"""A window that follows the journey: when the axis starts after the child's birth, a
break in the axis at its start and the words "born 03/03/2014" (with redaction, the
age at the start) say that the years before are left out."""

from __future__ import annotations

from datetime import date

from timelines.layout.plot import Rows
from timelines.layout.primitives import Line, Rect, Text
from timelines.layout.scale import TimeScale
from timelines.layout.style import INK, MUTED, Ctx
from timelines.model.dates import age_in_years


def born_text(born: date, start: date, redact: bool) -> str:
    if redact:
        return f"aged {age_in_years(born, start)} at the start"
    return f"born {born:%d/%m/%Y}"


def window_items(
    ctx: Ctx, scale: TimeScale, rows: Rows, born: date | None, redact: bool
) -> tuple[list, Text | None]:
    """The break mark on the axis and the words under it (None when the axis starts at
    or before the birth); the words are returned apart, for other labels to avoid."""
    if born is None or born >= scale.start:
        return [], None
    x, y = scale.x0, rows.axis
    items: list = [
        Rect(x + 1.0, y - 4.0, 4.0, 8.0, "#FFFFFF", None),
        Line(x, y - 4.0, x + 3.0, y + 4.0, INK, 0.9),
        Line(x + 3.0, y - 4.0, x + 6.0, y + 4.0, INK, 0.9),
    ]
    text = ctx.text(
        x,
        rows.gaps + 5.5,
        born_text(born, scale.start, redact),
        ctx.min_size,
        colour=MUTED,
        role="born",
    )
    return items, text
