"""Label records, stacks of labels on one stem, and the grid of bit masks they are placed on.

A run of stacks (``_Run``) is measured once for every pattern tried on it; an
``_Attempt`` is one pattern placed on a grid."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
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


def _hits(rows: list[int], base: int, masks: tuple[int, ...]) -> bool:
    """True when ``masks`` (bottom first, from level ``base``) meet anything in ``rows``."""
    for mask in masks:
        if rows[base] & mask:
            return True
        base += 1
    return False


class _Grid:
    """What is taken on each level, as bit masks over columns.

    ``boxes[level]`` holds the labels on that level; ``stems[level]`` the stems that
    rise to that level or higher (so a level's stems include every higher level's).
    A label may go where neither comes within PAD of it, and only if its own stem
    meets no label on the way up.
    """

    __slots__ = ("boxes", "stems", "union")

    def __init__(self, levels: int) -> None:
        self.boxes = [0] * levels
        self.stems = [0] * levels
        self.union = 0  # every label placed, removed ones too: where nothing can clash

    def lowest(self, shape: _Shape) -> int | None:
        """The lowest level where the shape's labels fit, bottom first; None if none does."""
        boxes, stems, near = self.boxes, self.stems, shape.near
        last = len(boxes) - len(near)
        low, high = 0, last + 1  # stems only thin out going up: find the first level clear of them
        if len(near) == 1:  # most stacks: one label, without the loops over labels
            one = near[0]
            while low < high:
                mid = (low + high) // 2
                if stems[mid] & one:
                    low = mid + 1
                else:
                    high = mid
        else:
            while low < high:
                mid = (low + high) // 2
                if _hits(stems, mid, near):
                    low = mid + 1
                else:
                    high = mid
        stem = shape.stem
        if self.union & stem:
            for level in range(low):
                if boxes[level] & stem:
                    return None  # its stem would pass through a label below
        for base in range(low, last + 1):
            if not _hits(boxes, base, near):
                return base
            if boxes[base] & stem:
                return None
        return None

    def fits_at(self, shape: _Shape, base: int) -> bool:
        """True when the shape's labels may stand at level ``base``."""
        boxes, near = self.boxes, shape.near
        if base + len(near) > len(boxes) or _hits(self.stems, base, near):
            return False
        return not _hits(boxes, base, near) and not any(b & shape.stem for b in boxes[:base])

    def copy(self) -> _Grid:
        grid = _Grid(0)
        grid.boxes, grid.stems, grid.union = list(self.boxes), list(self.stems), self.union
        return grid

    def take(self, shape: _Shape, base: int) -> None:
        boxes = self.boxes
        for i, mask in enumerate(shape.boxes, start=base):
            boxes[i] |= mask
        self.union |= shape.union
        top = base + len(shape.boxes)
        column = shape.column
        self.stems[:top] = [row | column for row in self.stems[:top]]

    def remove(self, shape: _Shape, base: int) -> None:
        for i, mask in enumerate(shape.boxes):
            self.boxes[base + i] &= ~mask
        for level in range(base + len(shape.boxes)):
            self.stems[level] &= ~shape.column
        # ``union`` keeps the removed labels: it only ever rules clashes out quickly.


class _Stack(NamedTuple):
    """Labels on one stem, bottom first, with their measured widths."""

    x: float
    requests: tuple[LabelRequest, ...]
    widths: tuple[float, ...]

    @property
    def key(self) -> bool:
        return any(r.key for r in self.requests)

    def spans(self, side: str) -> list[Span]:
        return [_extent(self.x, w, side) for w in self.widths]

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


class _Measured:
    """What a run's stacks measure to, whatever the height of the area: kept by the
    caller of ``place_labels`` (see ``Shared``) so that trials at other heights, or
    placing the same labels again, find their stacks folded, shaped and ordered."""

    __slots__ = ("folded", "shapes", "orders", "patterns")

    def __init__(self, count: int) -> None:
        self.folded: list[_Stack | None | Literal[False]] = [False] * count
        self.shapes: dict[str, list[_Shape | None]] = {way: [None] * count for way in WAYS}
        self.orders: dict[Sides, list[int]] = {}
        self.patterns: list[Sides] | None = None


Shared = dict  # runs measured, by their stacks and the area's width (see ``_Run.measured``)


class _Run:
    """A run of stacks (in x order) measured once for every pattern tried on it."""

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
        self.keys = [s.key for s in stacks]
        self.key_counts = [sum(1 for r in s.requests if r.key) for s in stacks]
        xs = [s.x for s in stacks]
        reaches = [s.reach() for s in stacks]
        narrow = [max(s.widths) <= area.max_width for s in stacks]
        self.fits: dict[str, list[bool]] = {
            "left": [r[0] >= area.x0 and n for r, n in zip(reaches, narrow, strict=True)],
            "right": [r[1] <= area.x1 and n for r, n in zip(reaches, narrow, strict=True)],
        }
        # The stacks whose stems a flag's text could cover, by index: [lo, k) or (k, hi).
        self.cover_lo = [bisect.bisect_left(xs, r[0] - PAD) for r in reaches]
        self.cover_hi = [bisect.bisect_right(xs, r[1] + PAD) for r in reaches]
        self.measured = _measured(shared, stacks, area, size, measure)
        # Shapes by stack, way and left edge: other runs (other sides, trials) share stacks.
        self._by_stack: dict = {} if shared is None else shared.setdefault(("shapes",), {})
        self._own = False  # True once a stack is cut short: the measures are this run's
        # Each stack folded onto two lines: False until made, None when it cannot be.
        self._folded = self.measured.folded
        self.shapes = self.measured.shapes
        self.orders = self.measured.orders  # placing order by pattern (see _order)

    def covered(self, k: int, side: str) -> range:
        if side == "right":
            return range(k + 1, self.cover_hi[k])
        return range(self.cover_lo[k], k)

    def stack(self, way: str, k: int) -> _Stack | None:
        """Stack ``k`` as drawn ``way``: as it is, or folded onto two lines (None when its
        labels cannot be folded)."""
        if not way.endswith(FOLDED):
            return self.stacks[k]
        folded = self._folded[k]
        if folded is False:
            area = self.area
            folded = _folded(self.stacks[k], self.size, self.measure, area.max_width, area.down)
            self._folded[k] = folded
        return folded or None

    def fits_way(self, way: str, k: int) -> bool:
        """True when stack ``k`` drawn ``way`` stays inside the area."""
        if not way.endswith(FOLDED):
            return self.fits[way][k]
        stack = self.stack(way, k)
        if stack is None:
            return False
        left, right = stack.reach()
        return left >= self.area.x0 if way.startswith("left") else right <= self.area.x1

    def shape(self, way: str, k: int) -> _Shape:
        """Stack ``k``'s labels drawn ``way`` as grid masks (made when first asked for)."""
        shape = self.shapes[way][k]
        if shape is None:
            stack = self.stack(way, k)
            assert stack is not None
            key = (stack, way.startswith("right"), self.area.x0)
            shape = self._by_stack.get(key)
            if shape is None:
                shape = self._by_stack[key] = _shape(stack, way, self.area.x0)
            self.shapes[way][k] = shape
        return shape

    def _mine(self) -> None:
        """Copy the shared measures before a stack changes (the order of stacks covering
        each other stays: a stack cut short reaches no further)."""
        if not self._own:
            self._own = True
            self._folded = list(self._folded)
            self.shapes = {way: list(shapes) for way, shapes in self.shapes.items()}

    def snapshot(self, k: int) -> tuple:
        fits = (self.fits["left"][k], self.fits["right"][k])
        return (self.stacks[k], self._folded[k], fits, [self.shapes[w][k] for w in WAYS])

    def restore(self, k: int, snap: tuple) -> None:
        self._mine()
        self.stacks[k], self._folded[k], fits, shapes = snap
        self.fits["left"][k], self.fits["right"][k] = fits
        for way, shape in zip(WAYS, shapes, strict=True):
            self.shapes[way][k] = shape

    def shorten(self, k: int, share: float, size: float, measure: Measure) -> None:
        """Cut stack ``k``'s texts to ``share`` of their width, with an ellipsis.

        Its reach only shrinks, so the stacks it could cover stay a safe guess."""
        self._mine()
        stack = self.stacks[k]
        texts = [
            _cut(r.text, w * share, size, measure, r.keep)
            for r, w in zip(stack.requests, stack.widths, strict=True)
        ]
        requests = tuple(r._replace(text=t) for r, t in zip(stack.requests, texts, strict=True))
        short = _Stack(stack.x, requests, tuple(measure(t, size) for t in texts))
        self.stacks[k] = short
        left, right = short.reach()
        narrow = max(short.widths) <= self.area.max_width
        self.fits["left"][k] = left >= self.area.x0 and narrow
        self.fits["right"][k] = right <= self.area.x1 and narrow
        self._folded[k] = False
        for way in WAYS:
            self.shapes[way][k] = None


def _measured(
    shared: Shared | None, stacks: list[_Stack], area: LabelArea, size: float, measure: Measure
) -> _Measured:
    """The measures of these stacks in an area this wide, from ``shared`` when known."""
    if shared is None:
        return _Measured(len(stacks))
    key = (tuple(stacks), area.x0, area.x1, area.max_width, area.down, size, measure)
    found = shared.get(key)
    if found is None:
        found = shared[key] = _Measured(len(stacks))
    return found


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


@lru_cache(maxsize=4096)
def _folded(
    stack: _Stack, size: float, measure: Measure, widest: float, down: bool
) -> _Stack | None:
    """``_fold``, remembered: trials fold the same stacks again (with the same measure)."""
    return _fold(stack, size, measure, widest, down)


def _fold(
    stack: _Stack, size: float, measure: Measure, widest: float = float("inf"), down: bool = False
) -> _Stack | None:
    """The stack with each label folded onto two lines of about equal width, or three
    when two would be wider than ``widest`` (its first line keeps the label's ``head``,
    such as its date); None when a label has too few words to fold."""
    requests: list[LabelRequest] = []
    for request in stack.requests:
        lines = _lines(request.text, request.head, size, measure, 2)
        if lines is None:
            return None
        if max(measure(line, size) for line in lines) > widest:
            lines = _lines(request.text, request.head, size, measure, 3) or lines
        for line in lines if down else lines[::-1]:  # nearest the axis first
            requests.append(request._replace(text=line))
    return _Stack(stack.x, tuple(requests), tuple(measure(r.text, size) for r in requests))


def _lines(
    text: str, head: int, size: float, measure: Measure, count: int
) -> tuple[str, ...] | None:
    """``text`` split at the spaces (after ``head``) that make its widest of ``count``
    lines narrowest; None when it has too few words.

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

    def span(a: int, b: int) -> float:  # words a..b-1 on one line
        return ends[b] - ends[a] - space

    n = len(words)
    cuts: list[tuple[int, ...]] = (
        [(i,) for i in range(1, n)]
        if count == 2
        else [(i, j) for i in range(1, n - 1) for j in range(i + 1, n)]
    )
    best = min(cuts, key=lambda c: max(span(a, b) for a, b in zip((0, *c), (*c, n), strict=True)))
    bounds = list(zip((0, *best), (*best, n), strict=True))
    lines = [" ".join(words[a:b]) for a, b in bounds]
    lines[0] = (text[:head] + lines[0]) if head else lines[0]
    return tuple(lines)


def _shape(stack: _Stack, side: str, x0: float) -> _Shape:
    def mask(a: float, b: float) -> int:
        """Columns from ``a`` to ``b`` (at least one), none left of ``x0``."""
        lo = int((a - x0) * RES)  # int() rounds towards 0: below x0 that is column 0 anyway
        lo = lo if lo > 0 else 0
        end = (b - x0) * RES
        hi = int(end)
        hi = hi + 1 if hi < end else hi  # rounded up
        hi = hi if hi > lo else lo + 1
        return ((1 << (hi - lo)) - 1) << lo

    spans = stack.spans(side)
    stem = mask(stack.x - REACH, stack.x + REACH)
    boxes = tuple(mask(a, b) for a, b in spans)
    # Beside its own labels the stem needs room too: on their levels, nothing near it.
    near = tuple(mask(a - REACH, b + REACH) | stem for a, b in spans)
    ink = union = 0
    for box in near:
        ink |= box
    for box in boxes:
        union |= box
    column = 1 << max(int((stack.x - x0) * RES), 0)
    return _Shape(boxes, near, stem, column, ink | stem, union)


@dataclass
class _Attempt:
    """One pattern placed on a grid: each stack's level and side, and the stacks left out."""

    grid: _Grid
    placed: dict[int, tuple[int, str]]
    failed: list[int]

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
