"""The lane of event numbers under the axis, for events left without a label."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from timelines.layout.labels.grid import LabelRequest, Measure

NUMBER_GAP = 2.5  # clearance between numbers in the lane, points


class NumberMark(NamedTuple):
    """Event numbers in the lane under the axis, centred under the events they cover."""

    indices: tuple[int, ...]
    x_min: float
    x_max: float
    text: str
    width: float

    @property
    def centre(self) -> float:
        return (self.x_min + self.x_max) / 2


def number_lane(
    requests: Sequence[LabelRequest], x0: float, x1: float, size: float, measure: Measure
) -> tuple[NumberMark, ...]:
    """Numbers for these events in one row, merging neighbours that would touch into ranges."""
    marks: list[NumberMark] = []
    for req in sorted(requests, key=lambda r: (r.x, r.index)):
        mark = _mark(req.members or (req.index,), req.x, req.x, size, measure)
        while marks and _touch(marks[-1], mark):
            last = marks.pop()
            indices = last.indices + mark.indices
            mark = _mark(indices, last.x_min, mark.x_max, size, measure)
        marks.append(mark)
    return tuple(_inside(m, x0, x1) for m in marks)


def _mark(
    indices: tuple[int, ...], x_min: float, x_max: float, size: float, measure: Measure
) -> NumberMark:
    first, last = min(indices) + 1, max(indices) + 1
    if first == last:
        text = str(first)
    elif len(indices) == 2:
        text = f"{first},{last}"
    else:
        text = f"{first}–{last}"
    return NumberMark(tuple(sorted(indices)), x_min, x_max, text, measure(text, size))


def _touch(left: NumberMark, right: NumberMark) -> bool:
    return left.centre + left.width / 2 + NUMBER_GAP > right.centre - right.width / 2


def _inside(mark: NumberMark, x0: float, x1: float) -> NumberMark:
    """Keep a mark's text on the page: widen its span inwards at the edges if needed."""
    half = mark.width / 2
    if mark.centre - half < x0:
        return NumberMark(
            mark.indices,
            mark.x_min,
            max(mark.x_max, 2 * (x0 + half) - mark.x_min),
            mark.text,
            mark.width,
        )
    if mark.centre + half > x1:
        return NumberMark(
            mark.indices,
            min(mark.x_min, 2 * (x1 - half) - mark.x_max),
            mark.x_max,
            mark.text,
            mark.width,
        )
    return mark
