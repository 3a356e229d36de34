"""Event label placement: every label clear of every other label and every stem.

Labels are flags: a vertical stem rises from the event's marker on the axis to
its label, and the text starts just beside the stem. A label at level L must
not overlap another label, must not be crossed by a stem rising past it, and
its own stem must not cross a label below it. Events on the same point share
one stem with their labels stacked.

With these rules a run of close events fits best as a "mountain": flags left
of the peak point left and rise towards it, flags right of it point right and
fall away. Flags near the page edges that cannot point outwards go high.

Sizes are tried from the template's label size down to its minimum. When even
the minimum cannot hold every label, key events are labelled first and every
event without a label gets its number in a lane just under the axis, where
close numbers merge into ranges ('12–17'); the chronology table then follows
on the next page. The lane never runs out of room, so every event is marked.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

from timelines.layout.primitives import Box

PAD = 1.5  # clearance between labels and stems, points
STEM_GAP = 1.2  # space between a stem and the start of its text
SAME_POINT = 0.6  # events closer than this share one stem, points
NUMBER_GAP = 2.5  # clearance between numbers in the lane, points
DEMOTIONS = 4  # rounds of numbering neighbours to make room for key labels
HOPELESS = 0.2  # a size that leaves this share of labels out: smaller sizes will not save it
PEAKS = (0.5, 0.15, 0.85)  # where in a run of close events its mountain may peak

Measure = Callable[[str, float], float]


@dataclass(frozen=True)
class LabelRequest:
    index: int  # the event's position in the chronology, from 0
    x: float  # where its stem stands
    text: str
    key: bool = False


@dataclass(frozen=True)
class PlacedLabel:
    index: int
    x: float
    box: Box
    level: int
    text: str
    size: float
    side: str  # right: text starts at the stem; left: text ends at it


@dataclass(frozen=True)
class NumberMark:
    """Event numbers in the lane under the axis, centred under the events they cover."""

    indices: tuple[int, ...]
    x_min: float
    x_max: float
    text: str
    width: float

    @property
    def centre(self) -> float:
        return (self.x_min + self.x_max) / 2


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
    numbers: tuple[NumberMark, ...] = ()

    @property
    def complete(self) -> bool:
        """True when every event has its label (no numbers needed)."""
        return not self.numbers

    @property
    def numbered(self) -> tuple[int, ...]:
        return tuple(sorted(i for mark in self.numbers for i in mark.indices))

    @property
    def labelled(self) -> frozenset[int]:
        return frozenset(label.index for label in self.labels)


def line_height(size: float) -> float:
    return size * 1.16


@dataclass
class _Occupancy:
    """Boxes per level (sorted, never overlapping) and stems, for fast clash tests."""

    levels: int
    starts: list[list[float]] = field(default_factory=list)
    ends: list[list[float]] = field(default_factory=list)
    stem_xs: list[float] = field(default_factory=list)
    stem_tops: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.starts = [[] for _ in range(self.levels)]
        self.ends = [[] for _ in range(self.levels)]

    def covers(self, level: int, a: float, b: float) -> bool:
        """True when a box on ``level`` comes within PAD of the span a..b."""
        starts = self.starts[level]
        at = bisect.bisect_left(starts, b + PAD) - 1
        return at >= 0 and self.ends[level][at] + PAD > a

    def clear(self, a: float, b: float, level: int, stem_x: float, below: int) -> bool:
        """True when a box a..b at ``level`` and a stem rising to ``below`` clash with nothing."""
        if self.covers(level, a, b):
            return False
        lo = bisect.bisect_left(self.stem_xs, a - PAD)
        hi = bisect.bisect_right(self.stem_xs, b + PAD)
        if lo < hi and max(self.stem_tops[lo:hi]) > level:
            return False
        return not any(self.covers(lower, stem_x, stem_x) for lower in range(below))

    def remove(self, a: float, level: int, stem_x: float) -> None:
        """Take back a box (by its left edge) and one entry of its stem."""
        at = bisect.bisect_left(self.starts[level], a)
        del self.starts[level][at], self.ends[level][at]
        at = bisect.bisect_left(self.stem_xs, stem_x)
        del self.stem_xs[at], self.stem_tops[at]

    def highest_stem(self, a: float, b: float) -> int:
        """The top level of the highest stem standing within PAD of a..b (0 if none)."""
        lo = bisect.bisect_left(self.stem_xs, a - PAD)
        hi = bisect.bisect_right(self.stem_xs, b + PAD)
        return max(self.stem_tops[lo:hi], default=0)

    def lowest_cover(self, x: float) -> int:
        """The lowest level with a label over ``x``: a stem at x may rise to it, no further."""
        for level in range(self.levels):
            if self.covers(level, x, x):
                return level
        return self.levels

    def take(self, a: float, b: float, level: int, stem_x: float, top: int) -> None:
        at = bisect.bisect_left(self.starts[level], a)
        self.starts[level].insert(at, a)
        self.ends[level].insert(at, b)
        at = bisect.bisect_left(self.stem_xs, stem_x)
        self.stem_xs.insert(at, stem_x)
        self.stem_tops.insert(at, top)


@dataclass(frozen=True)
class _Stack:
    """Labels on one stem, bottom first, with their measured widths."""

    x: float
    requests: tuple[LabelRequest, ...]
    widths: tuple[float, ...]


def _extent(x: float, width: float, side: str) -> tuple[float, float]:
    if side == "right":
        return x + STEM_GAP, x + STEM_GAP + width
    return x - STEM_GAP - width, x - STEM_GAP


def _place_stack(
    occ: _Occupancy, area: LabelArea, stack: _Stack, sides: Sequence[str], from_top: bool
) -> tuple[int, str] | None:
    """Find a level where a stack fits on its stem.

    The preferred side (first of ``sides``) is tried lowest level first; the
    other side highest level first, where a label blocks the fewest stems.
    Only levels above every stem under the text and below every label over
    the stem can work, so only those are tried.
    """
    count = len(stack.widths)
    top = occ.levels - count
    for preferred, side in enumerate(sides):
        spans = [_extent(stack.x, w, side) for w in stack.widths]
        a, b = min(s for s, _ in spans), max(e for _, e in spans)
        if a < area.x0 or b > area.x1:
            continue
        low = occ.highest_stem(a, b)
        high = min(occ.lowest_cover(stack.x), top)
        lowest_first = preferred == 0 and not from_top
        bases = range(low, high + 1) if lowest_first else range(high, low - 1, -1)
        for base in bases:
            if not any(occ.covers(base + i, s, e) for i, (s, e) in enumerate(spans)):
                for i, (s, e) in enumerate(spans):
                    occ.take(s, e, base + i, stack.x, base + count - 1)
                return base, side
    return None


def _stacks(requests: Sequence[LabelRequest], size: float, measure: Measure) -> list[_Stack]:
    """One stack per point, in x order."""
    groups: list[list[LabelRequest]] = []
    for req in sorted(requests, key=lambda r: (r.x, r.index)):
        if groups and req.x - groups[-1][0].x <= SAME_POINT:
            groups[-1].append(req)
        else:
            groups.append([req])
    return [_Stack(g[0].x, tuple(g), tuple(measure(r.text, size) for r in g)) for g in groups]


_Job = tuple[_Stack, tuple[str, ...], bool]


def _mountain(stacks: list[_Stack], area: LabelArea, peak: float = 0.5) -> list[_Job]:
    """Placement order and sides: one mountain per run of stacks whose flags could touch."""
    jobs: list[_Job] = []
    run: list[_Stack] = []
    for stack in stacks:
        if run and stack.x - run[-1].x > max(run[-1].widths) + max(stack.widths):
            jobs.extend(_run_jobs(run, area, peak))
            run = []
        run.append(stack)
    if run:
        jobs.extend(_run_jobs(run, area, peak))
    return jobs


def _run_jobs(run: list[_Stack], area: LabelArea, peak_at: float) -> list[_Job]:
    """Rising left flags, then falling right flags; edge flags that cannot point out go high."""
    fits_left = [s.x - max(s.widths) - STEM_GAP >= area.x0 for s in run]
    fits_right = [s.x + max(s.widths) + STEM_GAP <= area.x1 for s in run]
    start = next((k for k, ok in enumerate(fits_left) if ok), len(run))
    stop = len(run)
    while stop > start and not fits_right[stop - 1]:
        stop -= 1
    middle = run[start:stop]
    peak = round(len(middle) * peak_at)
    rising = [(s, ("left", "right"), False) for s in middle[:peak]]
    falling = [(s, ("right", "left"), False) for s in reversed(middle[peak:])]
    left_edge = [(s, ("right", "left"), True) for s in run[:start]]
    right_edge = [(s, ("left", "right"), True) for s in reversed(run[stop:])]
    return left_edge + right_edge + rising + falling


def _label_pass(
    requests: Sequence[LabelRequest],
    area: LabelArea,
    size: float,
    measure: Measure,
    occ: _Occupancy,
    peak: float = 0.5,
) -> tuple[list[PlacedLabel], list[LabelRequest]]:
    """Place the requests' labels where they fit; return the placed and the failed."""
    placed: list[PlacedLabel] = []
    failed: list[LabelRequest] = []
    height = line_height(size)
    for stack, sides, from_top in _mountain(_stacks(requests, size, measure), area, peak):
        found = _place_stack(occ, area, stack, sides, from_top)
        if found is None:
            failed.extend(stack.requests)
            continue
        base, side = found
        for i, (req, width) in enumerate(zip(stack.requests, stack.widths, strict=True)):
            a, _ = _extent(stack.x, width, side)
            box = Box(a, area.y0 + (base + i) * height, width, size)
            placed.append(PlacedLabel(req.index, stack.x, box, base + i, req.text, size, side))
    return placed, failed


def settle(labels: Sequence[PlacedLabel], area: LabelArea, size: float) -> tuple[PlacedLabel, ...]:
    """Let each stack of labels drop to the lowest level where it still clashes with nothing."""
    stacks: dict[float, list[PlacedLabel]] = {}
    for label in labels:
        stacks.setdefault(label.x, []).append(label)
    occ = _Occupancy(area.levels(size))
    for x, members in stacks.items():
        top = max(lb.level for lb in members)
        for lb in members:
            occ.take(lb.box.x, lb.box.right, lb.level, x, top)
    height = line_height(size)
    for x in sorted(stacks, key=lambda x: min(lb.level for lb in stacks[x])):
        stack = sorted(stacks[x], key=lambda lb: lb.level)
        for lb in stack:
            occ.remove(lb.box.x, lb.level, x)
        spans = [(lb.box.x, lb.box.right) for lb in stack]
        base = stack[0].level
        low = occ.highest_stem(min(a for a, _ in spans), max(b for _, b in spans))
        for lower in range(low, base):
            if not any(occ.covers(lower + i, a, b) for i, (a, b) in enumerate(spans)):
                base = lower
                break
        for i, lb in enumerate(stack):
            occ.take(lb.box.x, lb.box.right, base + i, x, base + len(stack) - 1)
        stacks[x] = [
            PlacedLabel(
                lb.index,
                x,
                Box(lb.box.x, area.y0 + (base + i) * height, lb.box.w, lb.box.h),
                base + i,
                lb.text,
                lb.size,
                lb.side,
            )
            for i, lb in enumerate(stack)
        ]
    return tuple(lb for x in sorted(stacks) for lb in stacks[x])


def number_lane(
    requests: Sequence[LabelRequest], x0: float, x1: float, size: float, measure: Measure
) -> tuple[NumberMark, ...]:
    """Numbers for these events in one row, merging neighbours that would touch into ranges."""
    marks: list[NumberMark] = []
    for req in sorted(requests, key=lambda r: (r.x, r.index)):
        mark = _mark((req.index,), req.x, req.x, size, measure)
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


def place_labels(
    requests: Sequence[LabelRequest],
    area: LabelArea,
    sizes: Sequence[float],
    measure: Measure,
    number_size: float | None = None,
    complete_only: bool = False,
) -> LabelPlan | None:
    """Place every label that fits, largest size first; number the rest in the lane.

    With ``complete_only``, return None when not every label fits. Otherwise,
    when even the smallest size cannot hold every label, plans with the
    mountain peaking at different places are tried; if key events are left
    without a label, the labels in their way are numbered instead, and as a
    last resort key events are placed first. The plan that labels every key
    event and then the most events wins.
    """
    measure = cache(measure)
    for size in sizes:
        placed, failed = _label_pass(requests, area, size, measure, _Occupancy(area.levels(size)))
        if not failed:
            return LabelPlan(settle(placed, area, size), size)
        if len(failed) > HOPELESS * len(requests):
            break
    if complete_only:
        return None
    size = min(sizes)
    keys = {r.index for r in requests if r.key}
    lane = number_size or size

    def plan_for(
        passes: list[list[LabelRequest]], numbered: list[LabelRequest], peak: float = 0.5
    ) -> LabelPlan:
        occ = _Occupancy(area.levels(size))
        placed: list[PlacedLabel] = []
        failed = list(numbered)
        for batch in passes:
            done, missed = _label_pass(batch, area, size, measure, occ, peak)
            placed += done
            failed += missed
        return LabelPlan(tuple(placed), size, number_lane(failed, area.x0, area.x1, lane, measure))

    def cost(plan: LabelPlan) -> tuple[int, int]:
        return (len(keys - plan.labelled), -len(plan.labels))

    best, peak = min(
        ((plan_for([list(requests)], [], p), p) for p in PEAKS), key=lambda t: cost(t[0])
    )
    forced: set[int] = set()
    for _ in range(DEMOTIONS):
        missing = [r for r in requests if r.index in keys - best.labelled]
        if not missing:
            break
        levels = area.levels(size)
        more = set().union(
            *(
                _blockers(best.labels, area, r.x, measure(r.text, size), levels, keys)
                for r in missing
            )
        )
        if not more - forced:
            break
        forced |= more
        kept = [r for r in requests if r.index not in forced]
        numbered = [r for r in requests if r.index in forced]
        best = min(best, plan_for([kept], numbered, peak), key=cost)
    if keys - best.labelled:
        keys_first = [[r for r in requests if r.key], [r for r in requests if not r.key]]
        best = min(best, plan_for(keys_first, []), key=cost)
    return LabelPlan(settle(best.labels, area, size), size, best.numbers)


def _blockers(
    placed: Sequence[PlacedLabel],
    area: LabelArea,
    x: float,
    width: float,
    levels: int,
    keys: set[int],
) -> set[int]:
    """The fewest non-key labels whose removal would free some spot for a label at ``x``."""
    tops: dict[float, int] = {}
    for label in placed:
        tops[label.x] = max(tops.get(label.x, -1), label.level)
    best: set[int] | None = None
    for side in ("left", "right"):
        a, b = _extent(x, width, side)
        if a < area.x0 or b > area.x1:
            continue
        for level in range(levels):
            hit = {
                p.index
                for p in placed
                if (p.level == level and a < p.box.right + PAD and p.box.x < b + PAD)
                or (a - PAD <= p.x <= b + PAD and p.level > level)
                or (p.level < level and p.box.x - PAD <= x <= p.box.right + PAD)
            }
            if hit & keys:
                continue
            if best is None or len(hit) < len(best):
                best = hit
    return best or set()
