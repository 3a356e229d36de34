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
    """Numbers for these events in one row, merging neighbours that would touch into ranges.

    A mark being merged keeps its indices unsorted (the smaller list joins the larger) and
    its first and last number apart, so a crowd of thousands merges in linear time."""
    marks: list[NumberMark] = []
    groups: list[list[int]] = []
    for req in sorted(requests, key=lambda r: (r.x, r.index)):
        group = list(req.members or (req.index,))
        mark = _mark(min(group), max(group), len(group), req.x, req.x, size, measure)
        while marks and _touch(marks[-1], mark):
            last, before = marks.pop(), groups.pop()
            group = _joined(before, group) if len(before) >= len(group) else _joined(group, before)
            first = min(last.indices[0], mark.indices[0])
            final = max(last.indices[-1], mark.indices[-1])
            mark = _mark(first, final, len(group), last.x_min, mark.x_max, size, measure)
        marks.append(mark)
        groups.append(group)
    return tuple(
        _inside(m._replace(indices=tuple(sorted(g))), x0, x1)
        for m, g in zip(marks, groups, strict=True)
    )


def _joined(larger: list[int], smaller: list[int]) -> list[int]:
    larger.extend(smaller)
    return larger


def _mark(
    first: int, last: int, count: int, x_min: float, x_max: float, size: float, measure: Measure
) -> NumberMark:
    """A mark for ``count`` events numbered ``first`` to ``last`` (0-based); its indices hold
    just the first and last until the lane is complete."""
    if first == last:
        text = str(first + 1)
    elif count == 2:
        text = f"{first + 1},{last + 1}"
    else:
        text = f"{first + 1}–{last + 1}"
    return NumberMark((first, last), x_min, x_max, text, measure(text, size))


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
