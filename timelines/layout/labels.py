"""Event label placement: every label clear of every other label and every stem.

Labels are flags: a vertical stem rises from the event's marker on the axis to
its label, and the text starts just beside the stem. A label at level L must
not overlap another label, must not be crossed by a stem rising past it, and
its own stem must not cross a label below it. Events on the same point share
one stem with their labels stacked.

Placement is greedy, right to left, lowest level first, which builds the
familiar staircase. Sizes are tried from the template's label size down to its
minimum; when even the minimum cannot hold every label, key events are placed
first and the rest fall back to their number (the chronology table then
follows on the next page).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from timelines.layout.primitives import Box

PAD = 1.5  # clearance between labels and stems, points
STEM_GAP = 1.2  # space between a stem and the start of its text
SAME_POINT = 0.6  # events closer than this share one stem, points
NUMBER_MERGE = 6.0  # numbers of events closer than this share one range label, points
NUMBER_LEVELS = 4  # bottom levels kept for event numbers when not every label fits


@dataclass(frozen=True)
class LabelRequest:
    index: int  # the event's number on the page, from 0
    x: float  # where its stem stands
    text: str
    key: bool = False


@dataclass(frozen=True)
class PlacedLabel:
    indices: tuple[int, ...]
    x: float
    box: Box
    level: int
    text: str
    size: float
    side: str  # right: text starts at the stem; left: text ends at it
    numbered: bool = False


@dataclass(frozen=True)
class LabelArea:
    x0: float
    x1: float
    y0: float  # bottom of level 0
    y1: float  # top of the highest level

    def levels(self, size: float) -> int:
        return max(int((self.y1 - self.y0) // line_height(size)), 0)


@dataclass(frozen=True)
class LabelPlan:
    labels: tuple[PlacedLabel, ...]
    size: float
    numbered: tuple[int, ...]  # shown by number only
    unplaced: tuple[int, ...]  # neither label nor number fitted (listed in the table)

    @property
    def complete(self) -> bool:
        return not self.numbered and not self.unplaced


def line_height(size: float) -> float:
    return size * 1.22


@dataclass
class _Occupancy:
    """Boxes per level and stems, for fast clash tests."""

    levels: int
    boxes: list[list[tuple[float, float]]] = field(default_factory=list)
    stem_xs: list[float] = field(default_factory=list)
    stem_tops: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.boxes = [[] for _ in range(self.levels)]

    def clear(self, a: float, b: float, level: int, stem_x: float, below: int) -> bool:
        """True when a box a..b at ``level`` and a stem rising to ``below`` clash with nothing."""
        for s, e in self.boxes[level]:
            if a < e + PAD and s < b + PAD:
                return False
        lo = bisect.bisect_left(self.stem_xs, a - PAD)
        hi = bisect.bisect_right(self.stem_xs, b + PAD)
        if any(top > level for top in self.stem_tops[lo:hi]):
            return False
        for lower in range(below):
            for s, e in self.boxes[lower]:
                if s - PAD <= stem_x <= e + PAD:
                    return False
        return True

    def take(self, a: float, b: float, level: int, stem_x: float, top: int) -> None:
        self.boxes[level].append((a, b))
        at = bisect.bisect_left(self.stem_xs, stem_x)
        self.stem_xs.insert(at, stem_x)
        self.stem_tops.insert(at, top)


def _extent(x: float, width: float, side: str) -> tuple[float, float]:
    if side == "right":
        return x + STEM_GAP, x + STEM_GAP + width
    return x - STEM_GAP - width, x - STEM_GAP


def _place_stack(
    occ: _Occupancy,
    area: LabelArea,
    x: float,
    widths: Sequence[float],
    sides: Sequence[str],
    floor: int = 0,
) -> tuple[int, str] | None:
    """Find a level where a stack of labels fits on one stem.

    The preferred side (first of ``sides``) is tried lowest level first; the
    other side highest level first, where a label blocks the fewest stems.
    """
    count = len(widths)
    top = occ.levels - count
    from_top = "top" in sides
    for preferred, side in enumerate(s for s in sides if s != "top"):
        spans = [_extent(x, w, side) for w in widths]
        if min(a for a, _ in spans) < area.x0 or max(b for _, b in spans) > area.x1:
            continue
        lowest_first = preferred == 0 and not from_top
        bases = range(floor, top + 1) if lowest_first else range(top, floor - 1, -1)
        for base in bases:
            if all(occ.clear(a, b, base + i, x, base) for i, (a, b) in enumerate(spans)):
                for i, (a, b) in enumerate(spans):
                    occ.take(a, b, base + i, x, base + count - 1)
                return base, side
    return None


def _clusters(requests: Sequence[LabelRequest], tolerance: float) -> list[list[LabelRequest]]:
    """Group requests whose stems stand within ``tolerance`` of the group's first, in x order."""
    groups: list[list[LabelRequest]] = []
    for req in sorted(requests, key=lambda r: (r.x, r.index)):
        if groups and req.x - groups[-1][0].x <= tolerance:
            groups[-1].append(req)
        else:
            groups.append([req])
    return groups


@dataclass(frozen=True)
class _Line:
    indices: tuple[int, ...]
    text: str
    numbered: bool


@dataclass(frozen=True)
class _Stack:
    """Lines of text on one stem, bottom line first."""

    x: float
    lines: tuple[_Line, ...]
    widths: tuple[float, ...] = ()


def _number_text(indices: Sequence[int]) -> str:
    first, last = min(indices) + 1, max(indices) + 1
    if first == last:
        return str(first)
    return f"{first},{last}" if last == first + 1 and len(indices) == 2 else f"{first}–{last}"


def _number_line(group: Sequence[LabelRequest]) -> _Line:
    indices = tuple(sorted(r.index for r in group))
    return _Line(indices, _number_text(indices), True)


def _stacks(groups: list[list[LabelRequest]], keys_only: bool) -> list[_Stack]:
    """One stack per group: its labels (or only its key labels and one number line)."""
    stacks = []
    for group in groups:
        labelled = [r for r in group if r.key or not keys_only]
        lines = [_Line((r.index,), r.text, False) for r in labelled]
        rest = [r for r in group if not (r.key or not keys_only)]
        if rest:
            lines.insert(0, _number_line(rest))
        stacks.append(_Stack(group[0].x, tuple(lines)))
    return stacks


def _mountain(stacks: list[_Stack], area: LabelArea) -> list[tuple[_Stack, tuple[str, ...]]]:
    """Order and sides that build a mountain per run of close stacks.

    In a run, flags left of the peak point left and rise towards it (placed
    left to right); flags right of it point right and fall away (placed right
    to left). Neither side's text then crosses the other side's stems.
    """
    jobs: list[tuple[_Stack, tuple[str, ...]]] = []
    run: list[_Stack] = []
    for stack in stacks:
        if run and stack.x - run[-1].x > max(run[-1].widths) + max(stack.widths):
            jobs.extend(_run_jobs(run, area))
            run = []
        run.append(stack)
    if run:
        jobs.extend(_run_jobs(run, area))
    return jobs


def _run_jobs(run: list[_Stack], area: LabelArea) -> list[tuple[_Stack, tuple[str, ...]]]:
    """Mountain for the middle of a run; flags at the page edges go high, pointing inwards."""
    fits_left = [s.x - max(s.widths) - STEM_GAP >= area.x0 for s in run]
    fits_right = [s.x + max(s.widths) + STEM_GAP <= area.x1 for s in run]
    start = next((k for k, ok in enumerate(fits_left) if ok), len(run))
    stop = len(run)
    while stop > start and not fits_right[stop - 1]:
        stop -= 1
    middle = run[start:stop]
    peak = len(middle) // 2
    rising = [(s, ("left", "right")) for s in middle[:peak]]
    falling = [(s, ("right", "left")) for s in reversed(middle[peak:])]
    left_edge = [(s, ("right", "left", "top")) for s in run[:start]]
    right_edge = [(s, ("left", "right", "top")) for s in reversed(run[stop:])]
    return rising + falling + left_edge + right_edge


def _place_stacks(
    stacks: list[_Stack],
    area: LabelArea,
    size: float,
    measure: Callable[[str, float], float],
    occ: _Occupancy,
    floor: int = 0,
) -> tuple[list[PlacedLabel], list[_Stack]]:
    """Place stacks where they fit; return the placed labels and the stacks that failed."""
    measured = [
        _Stack(s.x, s.lines, tuple(measure(ln.text, size) for ln in s.lines)) for s in stacks
    ]
    placed: list[PlacedLabel] = []
    failed: list[_Stack] = []
    height = line_height(size)
    for stack, sides in _mountain(measured, area):
        found = _place_stack(occ, area, stack.x, stack.widths, sides, floor)
        if found is None:
            failed.append(stack)
            continue
        base, side = found
        for i, (line, width) in enumerate(zip(stack.lines, stack.widths, strict=True)):
            a, _ = _extent(stack.x, width, side)
            box = Box(a, area.y0 + (base + i) * height, width, size)
            placed.append(
                PlacedLabel(
                    line.indices, stack.x, box, base + i, line.text, size, side, line.numbered
                )
            )
    return placed, failed


def _as_number(stack: _Stack) -> _Stack:
    indices = tuple(sorted(i for line in stack.lines for i in line.indices))
    return _Stack(stack.x, (_Line(indices, _number_text(indices), True),))


def _place_numbers(
    failed: list[_Stack],
    area: LabelArea,
    size: float,
    measure: Callable[[str, float], float],
    occ: _Occupancy,
) -> tuple[list[PlacedLabel], list[_Stack]]:
    """Number the stacks that did not fit, merging neighbours into wider ranges until all fit."""
    placed: list[PlacedLabel] = []
    tolerance = NUMBER_MERGE
    while failed:
        numbers, failed = _place_stacks([_as_number(s) for s in failed], area, size, measure, occ)
        placed.extend(numbers)
        if not failed or tolerance > area.x1 - area.x0:
            break
        tolerance *= 2
        failed = [_merge(group) for group in _group_stacks(failed, tolerance)]
    return placed, failed


def _group_stacks(stacks: list[_Stack], tolerance: float) -> list[list[_Stack]]:
    groups: list[list[_Stack]] = []
    for stack in sorted(stacks, key=lambda s: s.x):
        if groups and stack.x - groups[-1][0].x <= tolerance:
            groups[-1].append(stack)
        else:
            groups.append([stack])
    return groups


def _merge(stacks: list[_Stack]) -> _Stack:
    return _Stack(stacks[0].x, tuple(line for s in stacks for line in s.lines))


def _plan(
    requests: Sequence[LabelRequest],
    area: LabelArea,
    size: float,
    measure: Callable[[str, float], float],
    keys_only: bool,
    tolerance: float = 6.0,
) -> LabelPlan:
    """Close events share a stem; label (all or only key events), number the rest.

    Stacks that do not fit fall back to one number line each; the bottom
    levels are kept for those so their short stems pass under the labels.
    """
    occ = _Occupancy(area.levels(size))
    floor = min(NUMBER_LEVELS, occ.levels // 3)
    stacks = _stacks(_clusters(requests, tolerance), keys_only)
    placed, failed = _place_stacks(stacks, area, size, measure, occ, floor)
    numbers, missed = _place_numbers(failed, area, size, measure, occ)
    labels = tuple(placed + numbers)
    numbered = sorted(i for label in labels if label.numbered for i in label.indices)
    unplaced = sorted(i for s in missed for line in s.lines for i in line.indices)
    return LabelPlan(labels, size, tuple(numbered), tuple(unplaced))


def place_labels(
    requests: Sequence[LabelRequest],
    area: LabelArea,
    sizes: Sequence[float],
    measure: Callable[[str, float], float],
) -> LabelPlan:
    """Place every label that fits, largest size first; number the rest.

    Tries each size with every label on its own stem (events on one day share
    one). At the smallest size, close events share a stem, key events keep
    their labels and what does not fit shows its number; the first complete
    plan wins, else the one that leaves the fewest events unmarked.
    """
    for size in sizes:
        occ = _Occupancy(area.levels(size))
        stacks = _stacks(_clusters(requests, SAME_POINT), keys_only=False)
        placed, failed = _place_stacks(stacks, area, size, measure, occ)
        if not failed:
            return LabelPlan(tuple(placed), size, (), ())
    size = min(sizes)
    keys = {r.index for r in requests if r.key}

    def cost(plan: LabelPlan) -> tuple[int, int, int]:
        labelled = {i for label in plan.labels if not label.numbered for i in label.indices}
        return (len(plan.unplaced), len(keys - labelled), len(plan.numbered))

    best = _plan(requests, area, size, measure, keys_only=False)
    tolerance = NUMBER_MERGE
    while cost(best)[:2] != (0, 0) and tolerance < area.x1 - area.x0:
        plan = _plan(requests, area, size, measure, keys_only=True, tolerance=tolerance)
        best = min(best, plan, key=cost)
        tolerance *= 2
    return best


def stem_tops(plan: LabelPlan) -> dict[float, float]:
    """Top of each stem (the top of the highest label on it)."""
    tops: dict[float, float] = {}
    for label in plan.labels:
        tops[label.x] = max(tops.get(label.x, 0.0), label.box.top)
    return tops
