"""Label records, stacks of labels on one stem, and the grid of bit masks they are placed on.

A stack is measured (folded, fitted, shaped) once per area width and size
(``_Drawn``), a run of stacks (``_Run``) once for every pattern tried on it; an
``_Attempt`` is one pattern placed on a grid."""

from __future__ import annotations

import bisect
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from timelines.layout.primitives import Box
from timelines.pdf.fonts import cut_point

PAD = 1.5  # clearance between labels and stems, points
STEM_GAP = 1.2  # space between a stem and the start of its text
SAME_POINT = 0.6  # events closer than this share one stem, points
RES = 4.0  # grid columns per point (finer than SAME_POINT, so each stem has its own column)
REACH = PAD - 1 / RES  # a query reaches this far: rounding to columns adds up to 2 / RES
Measure = Callable[[str, float], float]
Span = tuple[float, float]


class LabelRequest(NamedTuple):
    index: int  # type: ignore[assignment]  # the event's position in the chronology, from 0
    x: float  # where its stem stands
    text: str
    key: bool = False
    keep: int = 0  # characters a key event's label keeps when it must be cut short
    head: int = 0  # characters that stay on the first line when the label is folded
    members: tuple[int, ...] = ()  # the events a series label stands for (empty: just ``index``)


class PlacedLabel(NamedTuple):
    index: int  # type: ignore[assignment]  # (a field, not tuple.index)
    x: float
    box: Box
    level: int
    text: str
    size: float
    side: str  # right: text starts at the stem; left: text ends at it
    members: tuple[int, ...] = ()  # the events a series label stands for (empty: just ``index``)

    @property
    def events(self) -> tuple[int, ...]:
        return self.members or (self.index,)


@dataclass(frozen=True)
class LabelArea:
    x0: float
    x1: float
    y0: float  # bottom of the area
    y1: float  # top of the area
    down: bool = False  # levels count down from y1 (labels under the axis)
    max_width: float = float("inf")  # a wider label is folded onto two or three lines

    def levels(self, size: float) -> int:
        return max(int((self.y1 - self.y0) // line_height(size)), 0)

    def level_y(self, level: int, size: float) -> float:
        """The bottom of a label's box on ``level`` (0 is the level nearest the axis)."""
        if self.down:
            return self.y1 - (level + 1) * line_height(size)
        return self.y0 + level * line_height(size)


def line_height(size: float) -> float:
    return size * 1.16


class _Shape(NamedTuple):
    """A stack's labels pointing one way, as grid masks (columns of 1/RES points)."""

    boxes: tuple[int, ...]  # each label's text, bottom first
    near: tuple[int, ...]  # the same widened by the clearance, with the stem beside them
    stem: int  # the stem, widened by the clearance
    column: int  # the stem itself
    ink: int = 0  # every column it touches, on any level (a quick test for clashes)
    union: int = 0  # every label's columns
    spans: tuple[tuple[int, int], ...] = ()  # the columns of each ``near`` mask, [lo, hi)
    at: int = 0  # the stem's column


def _hits(rows: list[int], base: int, masks: tuple[int, ...]) -> bool:
    """True when ``masks`` (bottom first, from level ``base``) meet anything in ``rows``."""
    for mask in masks:
        if rows[base] & mask:
            return True
        base += 1
    return False


class _Grid:
    """What is taken: the labels on each level as bit masks over columns, and the stems.

    ``boxes[level]`` holds the labels on that level. The stems are kept by column, in
    column order (``columns``), with how many levels each rises through (``reaches``: a
    stem stands on every level below its reach). A label may go where neither comes
    within PAD of it, and only if its own stem meets no label on the way up.
    """

    __slots__ = ("boxes", "columns", "reaches", "union")

    def __init__(self, levels: int) -> None:
        self.boxes = [0] * levels
        self.columns: list[int] = []
        self.reaches: list[int] = []
        self.union = 0  # every label placed, removed ones too: where nothing can clash

    def clear_of_stems(self, shape: _Shape) -> int:
        """The lowest base where no stem stands beside or under the shape's labels
        (stems only thin out going up)."""
        columns, reaches, spans = self.columns, self.reaches, shape.spans
        if len(spans) == 1:  # most stacks: one label, without the loop over labels
            lo, hi = spans[0]
            first = bisect_left(columns, lo)
            end = bisect_left(columns, hi, first)
            return max(reaches[first:end]) if first < end else 0
        low = 0
        for i, (lo, hi) in enumerate(spans):
            first = bisect_left(columns, lo)
            end = bisect_left(columns, hi, first)
            if first < end:  # stems under label i: it must stand above the highest
                above = max(reaches[first:end]) - i
                low = above if above > low else low
        return low

    def lowest(self, shape: _Shape) -> int | None:
        """The lowest level where the shape's labels fit, bottom first; None if none does."""
        boxes, near = self.boxes, shape.near
        last = len(boxes) - len(near)
        low = self.clear_of_stems(shape)
        if low > last:
            return None
        stem = shape.stem
        if self.union & stem:
            for level in range(low):
                if boxes[level] & stem:
                    return None  # its stem would pass through a label below
        if len(near) == 1:  # most stacks: one label, without the loop over labels
            one = near[0]
            for base in range(low, last + 1):
                row = boxes[base]
                if not row & one:
                    return base
                if row & stem:
                    return None
            return None
        for base in range(low, last + 1):
            if not _hits(boxes, base, near):
                return base
            if boxes[base] & stem:
                return None
        return None

    def fits_at(self, shape: _Shape, base: int) -> bool:
        """True when the shape's labels may stand at level ``base``."""
        boxes, near = self.boxes, shape.near
        if base + len(near) > len(boxes) or base < self.clear_of_stems(shape):
            return False
        return not _hits(boxes, base, near) and not any(b & shape.stem for b in boxes[:base])

    def copy(self) -> _Grid:
        grid = _Grid(0)
        grid.boxes, grid.union = list(self.boxes), self.union
        grid.columns, grid.reaches = list(self.columns), list(self.reaches)
        return grid

    def take(self, shape: _Shape, base: int) -> None:
        boxes = self.boxes
        for i, mask in enumerate(shape.boxes, start=base):
            boxes[i] |= mask
        self.union |= shape.union
        at = bisect_left(self.columns, shape.at)
        self.columns.insert(at, shape.at)
        self.reaches.insert(at, base + len(shape.boxes))

    def remove(self, shape: _Shape, base: int) -> None:
        for i, mask in enumerate(shape.boxes):
            self.boxes[base + i] &= ~mask
        at = bisect_left(self.columns, shape.at)
        del self.columns[at], self.reaches[at]
        # ``union`` keeps the removed labels: it only ever rules clashes out quickly.


class _Stack(NamedTuple):
    """Labels on one stem, bottom first, with their measured widths."""

    x: float
    requests: tuple[LabelRequest, ...]
    widths: tuple[float, ...]

    @property
    def key(self) -> bool:
        return any(r.key for r in self.requests)

    def reach(self) -> Span:
        """How far its text could go, pointing left or right."""
        widest = max(self.widths)
        return self.x - STEM_GAP - widest, self.x + STEM_GAP + widest


def _extent(x: float, width: float, side: str) -> Span:
    if side.startswith("right"):
        return x + STEM_GAP, x + STEM_GAP + width
    return x - STEM_GAP - width, x - STEM_GAP


def _stacks(
    requests: Sequence[LabelRequest], size: float, measure: Measure, down: bool = False
) -> list[_Stack]:
    """One stack per point, in x order; its labels read top to bottom in date order
    (over the axis the latest is nearest it, under the axis the earliest)."""
    groups: list[list[LabelRequest]] = []
    for req in sorted(requests, key=lambda r: (r.x, r.index)):
        if groups and req.x - groups[-1][0].x <= SAME_POINT:
            groups[-1].append(req)
        else:
            groups.append([req])
    if not down:
        groups = [g[::-1] for g in groups]
    return [_Stack(g[0].x, tuple(g), tuple(measure(r.text, size) for r in g)) for g in groups]


def _runs(stacks: list[_Stack]) -> list[list[_Stack]]:
    """Split stacks (in x order) where no label on one side could reach the other."""
    runs: list[list[_Stack]] = []
    lefts = [s.reach()[0] for s in stacks]
    suffix_min = lefts[:]
    for i in range(len(stacks) - 2, -1, -1):
        suffix_min[i] = min(lefts[i], suffix_min[i + 1])
    furthest = float("-inf")
    for i, stack in enumerate(stacks):
        if runs and furthest + 2 * PAD < suffix_min[i]:
            runs.append([])
        if not runs:
            runs.append([])
        runs[-1].append(stack)
        furthest = max(furthest, stack.reach()[1])
    return runs


Sides = tuple[str, ...]
SIDES = ("left", "right")
FOLDED = "/2"  # a way written after a side: the labels folded onto two lines
WAYS = (*SIDES, "left" + FOLDED, "right" + FOLDED)


def _other(side: str) -> str:
    return "left" if side == "right" else "right"


def _ways_tried(side: str, fold: str) -> tuple[str, ...]:
    """The ways a flag meant to point ``side`` is tried, in order: that side, then the
    other; folded onto two lines after those ("after"), or before them ("first")."""
    plain, folded = (side, _other(side)), (side + FOLDED, _other(side) + FOLDED)
    return {"": plain, "after": plain + folded, "first": folded + plain}[fold]


_WAYS_TRIED = {fold: {s: _ways_tried(s, fold) for s in SIDES} for fold in ("", "after", "first")}


class _Drawn:
    """One stack as it may be drawn in an area: each way's stack (folded or not),
    whether it stays inside and its grid masks, made when first asked for and kept
    (see ``Shared``) for every run and trial the stack is part of."""

    __slots__ = (
        "stack",
        "area",
        "size",
        "measure",
        "_masks",
        "_folded",
        "_fits",
        "_shapes",
        "_fitting",
    )

    def __init__(
        self, stack: _Stack, area: LabelArea, size: float, measure: Measure, masks: dict
    ) -> None:
        self.stack, self.area, self.size, self.measure = stack, area, size, measure
        self._masks = masks  # shapes by stack, side and left edge: other areas share them
        self._folded: _Stack | None | Literal[False] = False  # False until made
        self._fits: dict[str, bool] = {}
        self._shapes: dict[str, _Shape] = {}
        self._fitting: dict[str, _Shape | None] = {}

    def drawn(self, way: str) -> _Stack | None:
        """The stack as drawn ``way``: as it is, or folded onto two lines (None when its
        labels cannot be folded)."""
        if not way.endswith(FOLDED):
            return self.stack
        if self._folded is False:
            area = self.area
            self._folded = _fold(self.stack, self.size, self.measure, area.max_width, area.down)
        return self._folded

    def fits(self, way: str) -> bool:
        """True when the stack drawn ``way`` stays inside the area (and, on one line, is
        no wider than its widest label may be)."""
        found = self._fits.get(way)
        if found is None:
            stack, area = self.drawn(way), self.area
            if stack is None:
                found = False
            else:
                left, right = stack.reach()
                found = left >= area.x0 if way.startswith("left") else right <= area.x1
                found = found and (way.endswith(FOLDED) or max(stack.widths) <= area.max_width)
            self._fits[way] = found
        return found

    def shape(self, way: str) -> _Shape:
        """The stack's labels drawn ``way`` as grid masks."""
        found = self._shapes.get(way)
        if found is None:
            stack = self.drawn(way)
            assert stack is not None
            key = (stack, way.startswith("right"), self.area.x0)
            found = self._masks.get(key)
            if found is None:
                found = self._masks[key] = _shape(stack, way, self.area.x0)
            self._shapes[way] = found
        return found

    def fitting(self, way: str) -> _Shape | None:
        """The stack's grid masks drawn ``way``, or None when that does not fit."""
        if way not in self._fitting:
            self._fitting[way] = self.shape(way) if self.fits(way) else None
        return self._fitting[way]


class _Measured:
    """What a run's stacks measure to, whatever the height of the area: kept by the
    caller of ``place_labels`` (see ``Shared``) so that trials at other heights, or
    placing the same labels again, find their stacks measured, ordered and patterned."""

    __slots__ = (
        "keys",
        "key_counts",
        "cover_lo",
        "cover_hi",
        "orders",
        "patterns",
        "pointing",
        "searched",
    )

    def __init__(self, stacks: list[_Stack]) -> None:
        self.keys = [s.key for s in stacks]
        self.key_counts = [sum(1 for r in s.requests if r.key) for s in stacks]
        xs = [s.x for s in stacks]
        reaches = [s.reach() for s in stacks]
        # The stacks whose stems a flag's text could cover, by index: [lo, k) or (k, hi).
        self.cover_lo = [bisect.bisect_left(xs, r[0] - PAD) for r in reaches]
        self.cover_hi = [bisect.bisect_right(xs, r[1] + PAD) for r in reaches]
        self.orders: dict[Sides, list[int]] = {}  # placing order by pattern (see _order)
        self.patterns: list[Sides] | None = None
        self.pointing: dict[str, list[str]] | None = None  # see search._pointing
        self.searched: dict[tuple, _Attempt] = {}  # by levels, complete_only and stacks kept


Shared = dict  # stacks drawn and runs measured, by area width and size (see ``_Run``)


class _Run:
    """A run of stacks (in x order) measured once for every pattern tried on it.

    A stack cut short (``shorten``) reaches no further, so which stacks cover which
    stays a safe guess."""

    def __init__(
        self,
        stacks: list[_Stack],
        area: LabelArea,
        levels: int,
        size: float,
        measure: Measure,
        shared: Shared | None = None,
    ) -> None:
        self.stacks = stacks
        self.area = area
        self.levels = levels
        self.size, self.measure = size, measure
        shared = {} if shared is None else shared
        width = (area.x0, area.x1, area.max_width, area.down, size, measure)
        self._drawn: dict[_Stack, _Drawn] = shared.setdefault(("drawn", *width), {})
        self._masks: dict = shared.setdefault(("shapes",), {})
        self.parts = [self._part(stack) for stack in stacks]
        measured = shared.get((tuple(stacks), *width))
        if measured is None:
            measured = shared[(tuple(stacks), *width)] = _Measured(stacks)
        self.measured: _Measured = measured
        self.keys, self.key_counts = self.measured.keys, self.measured.key_counts
        self.cover_lo, self.cover_hi = self.measured.cover_lo, self.measured.cover_hi
        self.orders = self.measured.orders

    def _part(self, stack: _Stack) -> _Drawn:
        found = self._drawn.get(stack)
        if found is None:
            found = self._drawn[stack] = _Drawn(
                stack, self.area, self.size, self.measure, self._masks
            )
        return found

    def stack(self, way: str, k: int) -> _Stack | None:
        """Stack ``k`` as drawn ``way`` (None when its labels cannot be folded)."""
        return self.parts[k].drawn(way)

    def fits_way(self, way: str, k: int) -> bool:
        """True when stack ``k`` drawn ``way`` stays inside the area."""
        return self.parts[k].fits(way)

    def shape(self, way: str, k: int) -> _Shape:
        """Stack ``k``'s labels drawn ``way`` as grid masks."""
        return self.parts[k].shape(way)

    def snapshot(self, k: int) -> tuple[_Stack, _Drawn]:
        return self.stacks[k], self.parts[k]

    def restore(self, k: int, snap: tuple[_Stack, _Drawn]) -> None:
        self.stacks[k], self.parts[k] = snap

    def shorten(self, k: int, share: float, size: float, measure: Measure) -> None:
        """Cut stack ``k``'s texts to ``share`` of their width, with an ellipsis."""
        stack = self.stacks[k]
        texts = [
            _cut(r.text, w * share, size, measure, r.keep)
            for r, w in zip(stack.requests, stack.widths, strict=True)
        ]
        requests = tuple(r._replace(text=t) for r, t in zip(stack.requests, texts, strict=True))
        short = _Stack(stack.x, requests, tuple(measure(t, size) for t in texts))
        self.stacks[k] = short
        self.parts[k] = self._part(short)


def _cut(text: str, width: float, size: float, measure: Measure, keep: int = 0) -> str:
    """``text`` cut with an ellipsis to fit ``width`` points, at the end of a word, keeping
    its first ``keep`` characters whatever the width (never a word cut in two: when no
    word ends in time, the first word past ``keep`` is kept whole)."""
    if measure(text, size) <= width or len(text) <= keep + 1:
        return text
    low = cut_point(text, lambda cut: measure(cut, size) <= width, keep)
    if low < len(text) and text[low] != " ":
        at = text.rfind(" ", 0, low)
        low = at if at > 0 and text[:at].strip() else text.find(" ", low)
        if low <= 0:
            return text
    return text[:low].rstrip(" ,;:–-") + "…"


def _fold(
    stack: _Stack, size: float, measure: Measure, widest: float = float("inf"), down: bool = False
) -> _Stack | None:
    """The stack with each label folded onto two lines of about equal width, or three
    when two would be wider than ``widest`` (its first line keeps the label's ``head``,
    such as its date); None when a label has too few words to fold."""
    requests: list[LabelRequest] = []
    widths: list[float] = []
    for request in stack.requests:
        lines = _lines(request.text, request.head, size, measure, 2)
        if lines is None:
            return None
        measured = [measure(line, size) for line in lines]
        if max(measured) > widest:
            lines = _lines(request.text, request.head, size, measure, 3) or lines
            measured = [measure(line, size) for line in lines]
        index, x, _, key, keep, head, members = request
        if not down:  # nearest the axis first
            lines, measured = lines[::-1], measured[::-1]
        requests += [LabelRequest(index, x, line, key, keep, head, members) for line in lines]
        widths += measured
    return _Stack(stack.x, tuple(requests), tuple(widths))


def _lines(
    text: str, head: int, size: float, measure: Measure, count: int
) -> tuple[str, ...] | None:
    """``text`` split at the spaces (after ``head``) that make its widest of ``count``
    lines narrowest (the first such split); None when it has too few words.

    Widths add up (the fonts have no kerning), so each word is measured once."""
    words = [w for w in text[head:].split(" ") if w]
    if len(words) < count:
        return None
    space = measure(" ", size)
    widths = [measure(word, size) for word in words]
    widths[0] += measure(text[:head], size)
    ends = [0.0]
    for width in widths:
        ends.append(ends[-1] + width + space)
    if count == 2:
        (cut,) = _best_cut(ends, space)
        return text[:head] + " ".join(words[:cut]), " ".join(words[cut:])
    cuts = _best_cuts(ends, space)
    n = len(words)
    lines = [" ".join(words[a:b]) for a, b in zip((0, *cuts), (*cuts, n), strict=True)]
    lines[0] = text[:head] + lines[0]
    return tuple(lines)


def _best_cut(ends: list[float], space: float) -> tuple[int]:
    """The first word of the second line, for the narrowest widest of two lines
    (``ends[i]``: where word ``i`` starts, a space after the one before)."""
    n = len(ends) - 1
    best, least = 1, float("inf")
    for i in range(1, n):
        first, second = ends[i] - ends[0] - space, ends[n] - ends[i] - space
        if first >= second:  # the first line is the wider from here on, and grows
            return (best if least <= first else i,)
        if second < least:
            best, least = i, second
    return (best,)


def _best_cuts(ends: list[float], space: float) -> tuple[int, int]:
    """``_best_cut`` for three lines: the first words of the second and third."""
    n = len(ends) - 1
    best, least = (1, 2), float("inf")
    for i in range(1, n - 1):
        first = ends[i] - ends[0] - space
        for j in range(i + 1, n):
            widest = max(first, ends[j] - ends[i] - space, ends[n] - ends[j] - space)
            if widest < least:
                best, least = (i, j), widest
    return best


def _shape(stack: _Stack, side: str, x0: float) -> _Shape:
    """The stack's labels drawn ``side`` as grid masks from ``x0``.

    Every run of columns here is one run: a label widened by the clearance reaches
    past its stem (REACH > STEM_GAP), and a stack's labels all start (or all end) at
    its stem, so the union of its labels is its widest label."""
    x = stack.x
    stem_lo, stem_hi = _span(x - REACH, x + REACH, x0)
    boxes, near, spans = [], [], []
    for width in stack.widths:
        a, b = _extent(x, width, side)
        lo, hi = _span(a, b, x0)
        boxes.append((1 << hi) - (1 << lo))
        lo, hi = _span(a - REACH, b + REACH, x0)  # beside its own labels the stem needs room too
        lo, hi = (lo if lo < stem_lo else stem_lo), (hi if hi > stem_hi else stem_hi)
        near.append((1 << hi) - (1 << lo))
        spans.append((lo, hi))
    at = max(int((x - x0) * RES), 0)
    if len(boxes) == 1:
        ink, union = near[0], boxes[0]
    else:
        widest = max(range(len(boxes)), key=stack.widths.__getitem__)
        ink, union = near[widest], boxes[widest]
    stem = (1 << stem_hi) - (1 << stem_lo)
    return _Shape(tuple(boxes), tuple(near), stem, 1 << at, ink, union, tuple(spans), at)


def _span(a: float, b: float, x0: float) -> tuple[int, int]:
    """The columns from ``a`` to ``b`` (at least one), none left of ``x0``, as [lo, hi)."""
    lo = int((a - x0) * RES)  # int() rounds towards 0: below x0 that is column 0 anyway
    lo = lo if lo > 0 else 0
    end = (b - x0) * RES
    hi = int(end)
    hi = hi + 1 if hi < end else hi  # rounded up
    return lo, (hi if hi > lo else lo + 1)


@dataclass
class _Attempt:
    """One pattern placed on a grid: each stack's level and side, and the stacks left out.

    A stack is placed at its lowest level unless it is ``pinned`` (kept where it stood
    before) or labels were taken out of the grid since (``opened``): only then may a
    stack drop lower (see ``repair._settle``)."""

    grid: _Grid
    placed: dict[int, tuple[int, str]]
    failed: list[int]
    pinned: set[int] = field(default_factory=set)
    opened: bool = False

    def copy(self) -> _Attempt:
        return _Attempt(
            self.grid.copy(), dict(self.placed), list(self.failed), set(self.pinned), self.opened
        )

    def keys_missing(self, run: _Run) -> int:
        return sum(run.key_counts[k] for k in self.failed)

    def score(self, run: _Run) -> tuple[int, int, int, int]:
        """Keys left out, labels left out, flags read out of date order, height.

        Staircases read top to bottom in date order when flags point right over the
        axis (placed from the right) and left under it."""
        top = max((level for level, _ in self.placed.values()), default=0)
        backwards = "right" if run.area.down else "left"
        wrong = sum(1 for _, way in self.placed.values() if way.startswith(backwards))
        return (self.keys_missing(run), len(self.failed), wrong, top)
