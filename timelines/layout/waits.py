"""Waits for decisions on the child page: long waits between steps and the wait still running.

Each is a band shaded through the whole plot (behind everything else), edged on both
sides, and labelled in plain words in the row between the placement band and the
year labels: "8 months without a decision", "still waiting: 1 year 11 months". Gaps
between other events are not marked: they stay what they are, empty space.
"""

from __future__ import annotations

from timelines.analyse.drift import Drift
from timelines.analyse.waits import Wait, Waits
from timelines.layout.plot import Rows
from timelines.layout.primitives import Box, Line, Marker, Rect, Text
from timelines.layout.scale import TimeScale
from timelines.layout.style import INK, Ctx
from timelines.model.dates import plain_duration

WAIT_FILL = "#EBEBEB"  # light enough for labels on it, still seen on grey paper
OPEN_FILL = "#EDB4AA"  # the wait still running: warm, and clearly darker in greyscale
OPEN_EDGE = "#8C1D18"
EDGE = "#6E6E6E"
INSET = 1.0


def long_wait_words(wait: Wait) -> tuple[str, ...]:
    """The label, longest first: '8 months without a decision', then shorter forms."""
    length = wait.length()
    return (f"{length} without a decision", length)


def open_wait_words(wait: Wait) -> tuple[str, ...]:
    length = wait.length()
    return (f"still waiting: {length}", f"waiting: {length}", length)


def wait_bands(scale: TimeScale, rows: Rows, waits: Waits) -> list:
    """The shaded bands, to be drawn before anything else of the plot (from above the
    child shadows up: they stand on white, with their ages at their feet)."""
    bottom, top = max(rows.ages, rows.shadows[1]) + 2, rows.labels[1]
    items: list = []
    for wait, fill, edge in _drawn(waits):
        x1, x2 = scale.clamp(wait.start.middle), scale.clamp(wait.end.middle)
        if x2 - x1 < 0.5:
            continue
        inset = min(INSET, (x2 - x1) / 4)  # a hair of white between bands that meet
        items.append(Rect(x1 + inset, bottom, x2 - x1 - 2 * inset, top - bottom, fill, None))
        items.append(Line(x1, bottom, x1, top, edge, 0.6, (2.0, 1.5)))
        if not wait.open:
            items.append(Line(x2, bottom, x2, top, edge, 0.6, (2.0, 1.5)))
    return items


def wait_labels(
    ctx: Ctx, scale: TimeScale, rows: Rows, waits: Waits, avoid: Text | None = None
) -> list:
    """A bracket and words for each band, in the row under the axis (two lines of them),
    clear of ``avoid`` (the words saying when the child was born)."""
    y = rows.gaps + 1.5
    size = ctx.min_size
    ceiling = rows.years - 0.22 * ctx.size("label_size") - 1.0  # under the year labels
    placed: list[Text] = [avoid] if avoid is not None else []
    items: list = []
    for wait, _, edge in sorted(_drawn(waits), key=lambda d: -d[0].days):
        x1, x2 = scale.clamp(wait.start.middle), scale.clamp(wait.end.middle)
        if x2 - x1 < 0.5:
            continue
        items.append(Line(x1, y, x2, y, edge, 1.6))
        items.append(Line(x1, y - 2, x1, y + 2, edge, 0.8))
        if wait.open:
            items.append(Marker(x2 - 2, y, "triangle_right", 5.0, edge))
        else:
            items.append(Line(x2, y - 2, x2, y + 2, edge, 0.8))
        words = open_wait_words(wait) if wait.open else long_wait_words(wait)
        label = _place(ctx, (x1 + x2) / 2, y + 4.0, words, size, placed, scale, ceiling)
        if label is not None:
            placed.append(label)
    return items + [p for p in placed if p is not avoid]


def _drawn(waits: Waits) -> list[tuple[Wait, str, str]]:
    found = [(w, WAIT_FILL, EDGE) for w in waits.long]
    if waits.open is not None:
        found.append((waits.open, OPEN_FILL, OPEN_EDGE))
    return found


def _place(
    ctx: Ctx,
    x: float,
    y: float,
    words: tuple[str, ...],
    size: float,
    placed: list[Text],
    scale: TimeScale,
    ceiling: float,
) -> Text | None:
    """The longest wording that fits on one of two lines (the second only when it stays
    under ``ceiling``) without touching another label."""
    for text in words:
        for line in (0, 1):
            if line and y + size * (1.3 + 0.76) > ceiling:
                break
            label = ctx.text(
                x, y + line * size * 1.3, text, size, "bold", INK, align="centre", role="wait"
            )
            box = _inside(label.box, scale)
            label = label._replace(x=box.x + box.w / 2)
            if not any(box.overlaps(p.box, 1.0) for p in placed):
                return label
    return None


def _inside(box: Box, scale: TimeScale) -> Box:
    """The box moved sideways to stay within the axis."""
    x = min(max(box.x, scale.x0), scale.x1 - box.w)
    return box._replace(x=x)


def legend_extras(drift: Drift) -> list[tuple[str, str]]:
    """The key's lines for what this page shows of waiting and targets."""
    lines = []
    if drift.waits.long:
        longer = plain_duration(drift.waits.threshold_days)
        lines.append(("wait", f"More than {longer} without a decision"))
    if drift.waits.open is not None:
        lines.append(("open_wait", "Still waiting for a decision, up to this timeline's date"))
    if drift.targets:
        lines.append(("target", "Target: due (diamond), met (dot), late or overdue (thick line)"))
    return lines
