"""Event label placement: every label clear of every other label and every stem.

Labels are flags: a stem rises from the event's marker on the axis to its label
on some level, and the text starts just beside the stem, pointing right or left.
Two labels on a level never touch, a label never sits over a stem that rises past
it, and a stem never passes through a label below its own. Events on the same
point share one stem with their labels stacked.

Close events fit best as staircases. Flags pointing right are placed from the
right, each just above the stems its text covers (a staircase falling to the
right); flags pointing left are placed from the left (rising to the right). Which
way each flag points is a *pattern* per run of events that could touch: a
mountain (left, then right: the two sides never clash), a valley (right, then
left, which the page edges force on a run that touches both), or one way
throughout. A few patterns are tried on a grid of bit masks, one per level, so
each test is a handful of integer operations, and each is given up as soon as it
cannot beat the best so far; the pattern that labels every key event, then the
most events, then reaches least high, wins. The best pattern is tried again with
the labels around those left out folded onto two lines, and with labels folded
wherever one line will not fit.

A key event still left out takes the place where it displaces the fewest other
labels (never a key event's: those move, or are cut short), cut short itself,
with its date kept, if that is the only way. The events left without a label get
their number in a lane just under the axis, where close numbers merge into
ranges ('12–17'); the chronology table then follows on the next page. The lane
never runs out of room, so every event is marked. ``place_labels`` with
``complete_only`` looks instead for every label, at the largest size that holds
them all.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal, NamedTuple

from timelines.layout.primitives import Box
from timelines.pdf.fonts import cut_point

PAD = 1.5  # clearance between labels and stems, points
STEM_GAP = 1.2  # space between a stem and the start of its text
SAME_POINT = 0.6  # events closer than this share one stem, points
NUMBER_GAP = 2.5  # clearance between numbers in the lane, points
RES = 4.0  # grid columns per point (finer than SAME_POINT, so each stem has its own column)
REACH = PAD - 1 / RES  # a query reaches this far: rounding to columns adds up to 2 / RES
PEAKS = (0.5,)  # where in its run a mountain may peak (more peaks gained nothing measurable)
VALLEYS = 2  # how many of a run's widest gaps are tried as valleys
KEY_VALLEYS = 4  # valleys tried at key events left out
SHORTER = (1.0, 0.7, 0.45)  # how much a key event's words may be cut to keep its label
ROOMS = 2  # places tried for a key event left out
GIVE_UP = 0.1  # a share of labels left out that other patterns will not save

Measure = Callable[[str, float], float]
Span = tuple[float, float]


class LabelRequest(NamedTuple):
    index: int  # type: ignore[assignment]  # the event's position in the chronology, from 0
    x: float  # where its stem stands
    text: str
    key: bool = False
    keep: int = 0  # characters a key event's label keeps when it must be cut short
    head: int = 0  # characters that stay on the first line when the label is folded


class PlacedLabel(NamedTuple):
    index: int  # type: ignore[assignment]  # (a field, not tuple.index)
    x: float
    box: Box
    level: int
    text: str
    size: float
    side: str  # right: text starts at the stem; left: text ends at it


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


def _stacks(requests: Sequence[LabelRequest], size: float, measure: Measure) -> list[_Stack]:
    """One stack per point, in x order."""
    groups: list[list[LabelRequest]] = []
    for req in sorted(requests, key=lambda r: (r.x, r.index)):
        if groups and req.x - groups[-1][0].x <= SAME_POINT:
            groups[-1].append(req)
        else:
            groups.append([req])
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


class _Run:
    """A run of stacks (in x order) measured once for every pattern tried on it."""

    def __init__(
        self, stacks: list[_Stack], area: LabelArea, levels: int, size: float, measure: Measure
    ) -> None:
        self.stacks = stacks
        self.area = area
        self.levels = levels
        self.size, self.measure = size, measure
        self.keys = [s.key for s in stacks]
        self.key_counts = [sum(1 for r in s.requests if r.key) for s in stacks]
        xs = [s.x for s in stacks]
        reaches = [s.reach() for s in stacks]
        self.fits: dict[str, list[bool]] = {
            "left": [r[0] >= area.x0 for r in reaches],
            "right": [r[1] <= area.x1 for r in reaches],
        }
        # Each stack folded onto two lines: False until made, None when it cannot be.
        self._folded: list[_Stack | None | Literal[False]] = [False] * len(stacks)
        # The stacks whose stems a flag's text could cover, by index: [lo, k) or (k, hi).
        self.cover_lo = [bisect.bisect_left(xs, r[0] - PAD) for r in reaches]
        self.cover_hi = [bisect.bisect_right(xs, r[1] + PAD) for r in reaches]
        self.shapes: dict[str, list[_Shape | None]] = {way: [None] * len(stacks) for way in WAYS}
        self.orders: dict[Sides, list[int]] = {}  # placing order by pattern (see _order)

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
            folded = self._folded[k] = _fold(self.stacks[k], self.size, self.measure)
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
            shape = self.shapes[way][k] = _shape(stack, way, self.area.x0)
        return shape

    def snapshot(self, k: int) -> tuple:
        fits = (self.fits["left"][k], self.fits["right"][k])
        return (self.stacks[k], self._folded[k], fits, [self.shapes[w][k] for w in WAYS])

    def restore(self, k: int, snap: tuple) -> None:
        self.stacks[k], self._folded[k], fits, shapes = snap
        self.fits["left"][k], self.fits["right"][k] = fits
        for way, shape in zip(WAYS, shapes, strict=True):
            self.shapes[way][k] = shape

    def shorten(self, k: int, share: float, size: float, measure: Measure) -> None:
        """Cut stack ``k``'s texts to ``share`` of their width, with an ellipsis.

        Its reach only shrinks, so the stacks it could cover stay a safe guess."""
        stack = self.stacks[k]
        texts = [
            _cut(r.text, w * share, size, measure, r.keep)
            for r, w in zip(stack.requests, stack.widths, strict=True)
        ]
        requests = tuple(r._replace(text=t) for r, t in zip(stack.requests, texts, strict=True))
        short = _Stack(stack.x, requests, tuple(measure(t, size) for t in texts))
        self.stacks[k] = short
        left, right = short.reach()
        self.fits["left"][k], self.fits["right"][k] = left >= self.area.x0, right <= self.area.x1
        self._folded[k] = False
        for way in WAYS:
            self.shapes[way][k] = None


def _cut(text: str, width: float, size: float, measure: Measure, keep: int = 0) -> str:
    """``text`` cut with an ellipsis to fit ``width`` points, keeping its first ``keep``
    characters whatever the width."""
    if measure(text, size) <= width or len(text) <= keep + 1:
        return text
    low = cut_point(text, lambda cut: measure(cut, size) <= width, keep)
    return text[:low].rstrip() + "…"


def _fold(stack: _Stack, size: float, measure: Measure) -> _Stack | None:
    """The stack with each label folded onto two lines of about equal width (its first
    line keeps the label's ``head``, such as its date); None when a label has too few
    words to fold."""
    requests: list[LabelRequest] = []
    for request in stack.requests:
        lines = _halves(request.text, request.head, size, measure)
        if lines is None:
            return None
        first, second = lines
        for line in (second, first):  # bottom first
            r = request
            requests.append(LabelRequest(r.index, r.x, line, r.key, r.keep, r.head))
    return _Stack(stack.x, tuple(requests), tuple(measure(r.text, size) for r in requests))


def _halves(text: str, head: int, size: float, measure: Measure) -> tuple[str, str] | None:
    """``text`` split at the space that makes its wider line narrowest, after ``head``.

    Widths add up (the fonts have no kerning), so each word is measured once."""
    words = text[head:].split(" ")
    if len([w for w in words if w]) < 2:
        return None
    space = measure(" ", size)
    widths = [measure(word, size) + space for word in words]
    total = measure(text, size)
    first = measure(text[:head], size)
    best, best_width, at = 0, total, first
    for i, width in enumerate(widths[:-1]):
        at += width
        wider = max(at - space, total - at)
        if words[i] and wider < best_width:
            best, best_width = i + 1, wider
    if best == 0:
        return None
    return text[:head] + " ".join(words[:best]).rstrip(), " ".join(words[best:]).strip()


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


def _patterns(run: _Run) -> list[Sides]:
    """Candidate ways for the flags of a run to point.

    A mountain (left-pointing flags, then right-pointing ones) loses nothing at its
    peak; a valley (right, then left) loses the labels of close pairs that would
    cover each other's stems, so valleys are tried at the run's widest gaps. Flags
    that would leave the page pointing one way point the other, which forces a
    valley near an edge that the run touches. The valley at the widest gap comes
    first: it wins most often, and of patterns that tie the first tried is kept
    (measured on 300 synthetic children: 8 more pages with every label).
    """
    stacks = run.stacks
    n = len(stacks)
    gaps = sorted(range(1, n), key=lambda v: (stacks[v - 1].x - stacks[v].x, v))
    found = [_sides(run, valley) for valley in gaps[:1]]
    found += [_sides(run, n), _sides(run, 0)]
    found += [_sides(run, 0, round(n * share)) for share in PEAKS]
    found += [_sides(run, valley) for valley in gaps[1:VALLEYS]]
    return list(dict.fromkeys(found))


def _key_patterns(run: _Run, missing: list[int]) -> list[Sides]:
    """Valleys at the key events left out, and at the keys they clash with, so that
    clashing keys can point the same way."""
    cuts: set[int] = set()
    for k in missing:
        near = range(run.cover_lo[k], run.cover_hi[k])
        cuts |= {c for j in near if run.keys[j] for c in (j, j + 1)}
    return list(dict.fromkeys(_sides(run, cut) for cut in sorted(cuts)))


def _sides(run: _Run, *cuts: int) -> Sides:
    """Right before the first cut, then flipping at each cut; flags that would leave
    the page pointing one way point the other."""
    out = []
    flips = sorted(cuts)
    passed = 0  # cuts at or before this stack
    for i in range(len(run.stacks)):
        while passed < len(flips) and flips[passed] <= i:
            passed += 1
        side = "left" if passed % 2 else "right"
        if not run.fits[side][i]:
            side = "left" if side == "right" else "right"
        out.append(side)
    return tuple(out)


def _order(run: _Run, sides: Sides) -> list[int]:
    """Placing order: every stack after the stacks whose stems its text covers.

    Blocks of same-way flags start at their low end (where a staircase starts);
    blocks that meet in a valley grow out of it together. Where two flags cover
    each other's stems (only one can have its label) the first asked goes first
    and wins, unless the other is a key event and it is not.
    """
    stacks = run.stacks
    n = len(stacks)
    distance = [0.0] * n
    start = 0
    while start < n:
        stop = start
        while stop < n and sides[stop] == sides[start]:
            stop += 1
        low = stacks[start].x if sides[start] == "left" else stacks[stop - 1].x
        for k in range(start, stop):
            distance[k] = abs(stacks[k].x - low)
        start = stop
    order: list[int] = []
    seen = [False] * n

    lo, hi, keys = run.cover_lo, run.cover_hi, run.keys

    def visit(k: int) -> None:
        seen[k] = True
        for j in run.covered(k, sides[k]):
            if seen[j]:
                continue
            clash = j < k < hi[j] if sides[j] == "right" else lo[j] <= k < j
            if not clash or (keys[j] and not keys[k]):
                visit(j)
        order.append(k)

    for k in sorted(range(n), key=lambda k: (distance[k], k)):
        if not seen[k]:
            visit(k)
    return order


@dataclass
class _Attempt:
    """One pattern placed on a grid: each stack's level and side, and the stacks left out."""

    grid: _Grid
    placed: dict[int, tuple[int, str]]
    failed: list[int]

    def keys_missing(self, run: _Run) -> int:
        return sum(run.key_counts[k] for k in self.failed)

    def score(self, run: _Run) -> tuple[int, int, int]:
        top = max((level for level, _ in self.placed.values()), default=0)
        return (self.keys_missing(run), len(self.failed), top)


def _attempt(
    run: _Run,
    sides: Sides,
    bound: tuple[int, int] | None = None,
    fold: str = "",
    near: frozenset[int] = frozenset(),
) -> _Attempt | None:
    """Place every stack in order where it fits: on one line, or with ``fold`` "after"
    on two lines when one will not do, or with "first" the stacks ``near`` on two
    lines when they fit (the others on one line). None as soon as the stacks left
    out, as (keys, all), exceed ``bound``: this pattern cannot win."""
    grid = _Grid(run.levels)
    placed: dict[int, tuple[int, str]] = {}
    failed: list[int] = []
    keys_out = 0
    ways_for, one_line = _WAYS_TRIED[fold], _WAYS_TRIED[""]
    fits, shapes = run.fits, run.shapes
    order = run.orders.get(sides)
    if order is None:
        order = run.orders[sides] = _order(run, sides)
    for k in order:
        for way in (one_line if fold == "first" and k not in near else ways_for)[sides[k]]:
            if not (fits[way][k] if way in fits else run.fits_way(way, k)):
                continue
            shape = shapes[way][k] or run.shape(way, k)
            base = grid.lowest(shape)
            if base is not None:
                grid.take(shape, base)
                placed[k] = (base, way)
                break
        else:
            failed.append(k)
            keys_out += run.key_counts[k]
            if bound is not None and (keys_out, len(failed)) > bound:
                return None
    return _Attempt(grid, placed, failed)


def _best(run: _Run, complete_only: bool, size: float, measure: Measure) -> _Attempt:
    """The best of the candidate patterns; key events it leaves out then take the place
    of the fewest other labels.

    A pattern is given up as soon as it cannot beat the best so far. With
    ``complete_only`` only a pattern that places every label is of use, so the
    search gives up once the best of two patterns leaves out many.
    """
    patterns = _patterns(run)
    best: _Attempt | None = None
    for tried, pattern in enumerate(patterns, start=1):
        attempt = _attempt(run, pattern, None if best is None else best.score(run)[:2])
        if attempt is not None and (best is None or attempt.score(run) < best.score(run)):
            best, best_pattern = attempt, pattern
        assert best is not None  # the first attempt has no bound
        if not best.failed:
            return best
        if complete_only and tried >= 2 and len(best.failed) > GIVE_UP * len(run.stacks):
            break
    assert best is not None
    for fold in ("first", "after"):  # labels folded onto two lines where that helps
        near = _near(run, best.failed) if fold == "first" else frozenset()
        folded = _attempt(run, best_pattern, best.score(run)[:2], fold, near)
        if folded is not None and folded.score(run) < best.score(run):
            best = folded
        if not best.failed:
            return best
    if complete_only or not best.keys_missing(run):
        return best
    missing = [k for k in best.failed if run.keys[k]]
    for pattern in _key_patterns(run, missing)[:KEY_VALLEYS]:
        if pattern not in patterns:
            attempt = _attempt(run, pattern, best.score(run)[:2])
            if attempt is not None and attempt.score(run) < best.score(run):
                best = attempt
    for k in [k for k in best.failed if run.keys[k]]:
        _make_room(run, best, k, size, measure)
    return best


def _near(run: _Run, failed: list[int]) -> frozenset[int]:
    """The stacks left out and the stacks whose stems they could cover: where folding
    labels onto two lines may make room. (Folding every label was measured worse: two
    lines stand taller and crowd out labels that had fitted.)"""
    return frozenset(j for k in failed for j in range(run.cover_lo[k], run.cover_hi[k]))


def _make_room(run: _Run, attempt: _Attempt, k: int, size: float, measure: Measure) -> None:
    """Place key stack ``k`` where it displaces the fewest labels, cutting its words
    short if that is the only way. Other keys in its way move (cut short too if need
    be), never left out."""
    for share in SHORTER:
        if share < 1:
            run.shorten(k, share, size, measure)
        for base, side, blockers in _rooms(run, attempt, k):
            if _displace(run, attempt, k, (base, side, blockers), size, measure):
                return


Spans = list[tuple[int, int]]  # levels as half-open ranges [lo, hi)


def _rooms(run: _Run, attempt: _Attempt, k: int) -> list[tuple[int, str, list[int]]]:
    """Where stack ``k`` could go, fewest labels displaced first (keys count most; a
    label folded onto two lines goes after one on a single line)."""
    rooms = []
    shapes = run.shapes
    for side in WAYS:
        if not run.fits_way(side, k):
            continue
        shape = run.shape(side, k)
        bases = run.levels - len(shape.near) + 1
        blocks: dict[int, Spans] = {}
        keys = [0] * (bases + 1)  # differences: a count starts at one index, ends at another
        counts = [0] * (bases + 1)
        ink = shape.ink
        for j, (level, way) in attempt.placed.items():
            other = shapes[way][j] or run.shape(way, j)
            if not other.ink & ink:
                continue
            spans = _blocked_spans(shape, other, level, bases)
            if not spans:
                continue
            blocks[j] = spans
            key = run.keys[j]
            for lo, hi in spans:
                counts[lo] += 1
                counts[hi] -= 1
                keys[lo] += key
                keys[hi] -= key
        folded = side.endswith(FOLDED)
        key_total = count_total = 0
        for base in range(bases):
            key_total += keys[base]
            count_total += counts[base]
            rooms.append(((key_total, count_total, folded, base), side, blocks))
    rooms.sort(key=lambda room: room[0])
    return [
        (base, side, [j for j, spans in blocks.items() if any(a <= base < b for a, b in spans)])
        for (_, _, _, base), side, blocks in rooms[:ROOMS]
    ]


def _blocked_spans(shape: _Shape, other: _Shape, level: int, bases: int) -> Spans:
    """The levels (below ``bases``) where a shape's bottom label would clash with
    another shape placed at ``level``, as separate spans."""
    top = level + len(other.boxes) - 1
    last = bases - 1
    upto, after, levels = -1, bases, set()
    for i, mask in enumerate(shape.near):
        if other.column & mask:  # its stem stands beside or under our label i
            reach = top - i if top - i < last else last
            upto = reach if reach > upto else upto
    stem = shape.stem
    for i, box in enumerate(other.boxes):
        if box & stem and level + i + 1 < after:  # its label sits over our stem:
            after = level + i + 1  # we must stay below it
        for m, mask in enumerate(shape.near):  # its label on one of our levels
            if box & mask and 0 <= level + i - m <= last:
                levels.add(level + i - m)
    spans = [(0, upto + 1)] if upto >= 0 else []
    low = upto + 1
    if max(after, low) < bases:
        spans.append((max(after, low), bases))
    spans += [(b, b + 1) for b in sorted(levels) if low <= b < after]
    return spans


def _displace(
    run: _Run,
    attempt: _Attempt,
    k: int,
    room: tuple[int, str, list[int]],
    size: float,
    measure: Measure,
) -> bool:
    """Put ``k`` in ``room`` (base, side, blockers), leaving out the labels in its way;
    keys among them must find another place, displacing no key, or nothing changes."""
    saved = (attempt.grid.copy(), dict(attempt.placed), list(attempt.failed))
    keys = [j for j in room[2] if run.keys[j]]
    stacks = {j: run.snapshot(j) for j in keys}
    _put(run, attempt, k, *room)
    for j in keys:
        if not _relocate(run, attempt, j, size, measure):
            attempt.grid, attempt.placed, attempt.failed = saved
            for i, snap in stacks.items():
                run.restore(i, snap)
            return False
    return True


def _relocate(run: _Run, attempt: _Attempt, j: int, size: float, measure: Measure) -> bool:
    """Find key stack ``j`` a place that displaces no other key, cut short if need be."""
    for share in SHORTER:
        if share < 1:
            run.shorten(j, share, size, measure)
        rooms = _rooms(run, attempt, j)
        room = next((r for r in rooms if not any(run.keys[i] for i in r[2])), None)
        if room is not None:
            _put(run, attempt, j, *room)
            return True
    return False


def _put(run: _Run, attempt: _Attempt, k: int, base: int, side: str, blockers: list[int]) -> None:
    """Place stack ``k``, leaving out the placed stacks in its way."""
    for j in blockers:
        level, their_side = attempt.placed.pop(j)
        attempt.grid.remove(run.shape(their_side, j), level)
        attempt.failed.append(j)
    attempt.grid.take(run.shape(side, k), base)
    attempt.placed[k] = (base, side)
    attempt.failed.remove(k)


def _settle(run: _Run, attempt: _Attempt) -> None:
    """Let each stack drop to the lowest level where it still clashes with nothing."""
    grid = attempt.grid
    for k, (base, side) in sorted(attempt.placed.items(), key=lambda item: item[1][0]):
        shape = run.shape(side, k)
        grid.remove(shape, base)
        lower = grid.lowest(shape)
        base = base if lower is None else min(lower, base)
        grid.take(shape, base)
        attempt.placed[k] = (base, side)


def _place_size(
    requests: Sequence[LabelRequest],
    area: LabelArea,
    size: float,
    measure: Measure,
    complete_only: bool = False,
) -> tuple[list[PlacedLabel], list[LabelRequest]]:
    """Every label that fits at this size, and the requests left without one."""
    levels = area.levels(size)
    height = line_height(size)
    labels: list[PlacedLabel] = []
    failed: list[LabelRequest] = []
    stacks = _stacks(requests, size, measure)
    for stacks_of_run in _runs(stacks) if stacks else []:
        run = _Run(stacks_of_run, area, levels, size, measure)
        attempt = _best(run, complete_only, size, measure)
        if complete_only and attempt.failed:  # of no use: this size will not be drawn
            failed.extend(r for k in attempt.failed for r in run.stacks[k].requests)
            continue
        _settle(run, attempt)
        for k, plain in enumerate(run.stacks):
            if k not in attempt.placed:
                failed.extend(plain.requests)
                continue
            base, side = attempt.placed[k]
            stack = run.stack(side, k)
            assert stack is not None
            for i, (req, width) in enumerate(zip(stack.requests, stack.widths, strict=True)):
                a, _ = _extent(stack.x, width, side)
                box = Box(a, area.y0 + (base + i) * height, width, size)
                labels.append(PlacedLabel(req.index, stack.x, box, base + i, req.text, size, side))
    return labels, failed


def number_lane(
    requests: Sequence[LabelRequest], x0: float, x1: float, size: float, measure: Measure
) -> tuple[NumberMark, ...]:
    """Numbers for these events in one row, merging neighbours that would touch into ranges.

    A mark being merged keeps its indices unsorted (the smaller list joins the larger) and
    its first and last number apart, so a crowd of thousands merges in linear time."""
    marks: list[NumberMark] = []
    groups: list[list[int]] = []
    for req in sorted(requests, key=lambda r: (r.x, r.index)):
        group = [req.index]
        mark = _mark(req.index, req.index, 1, req.x, req.x, size, measure)
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


def _too_crowded(
    requests: Sequence[LabelRequest], area: LabelArea, size: float, measure: Measure
) -> bool:
    """True when some stretch of the axis holds more events than could ever be labelled.

    Within a stretch narrower than the shortest label, flags pointing the same way
    each cover the others' stems, so each needs a level of its own: at most twice
    the levels can be labelled there (a sure bound, so nothing possible is missed).
    """
    if not requests:
        return False
    reach = min(measure(r.text, size) for r in requests) + STEM_GAP
    xs = sorted(r.x for r in requests)
    limit = 2 * area.levels(size)
    return any(bisect.bisect_left(xs, x + reach) - i > limit for i, x in enumerate(xs))


def place_labels(
    requests: Sequence[LabelRequest],
    area: LabelArea,
    sizes: Sequence[float],
    measure: Measure,
    number_size: float | None = None,
    complete_only: bool = False,
) -> LabelPlan | None:
    """Place the labels at the smallest size, key events first, and number in the lane
    the events left without one.

    With ``complete_only``: every label at the largest size where all fit, or None.
    """
    measure = cache(measure)
    if complete_only:
        return _complete(requests, area, sorted(set(sizes), reverse=True), measure)
    size = min(sizes)
    labels, failed = _place_size(requests, area, size, measure)
    lane = number_lane(failed, area.x0, area.x1, number_size or size, measure)
    return LabelPlan(tuple(labels), size, lane)


def _complete(
    requests: Sequence[LabelRequest], area: LabelArea, sizes: list[float], measure: Measure
) -> LabelPlan | None:
    """Every label at the largest of ``sizes`` (largest first) where all fit, or None.

    The smallest size is tried first: when not every label fits there, none larger will.
    """

    def at(size: float) -> LabelPlan | None:
        if _too_crowded(requests, area, size, measure):
            return None
        labels, failed = _place_size(requests, area, size, measure, complete_only=True)
        return None if failed else LabelPlan(tuple(labels), size)

    smallest = at(sizes[-1])
    if smallest is None:
        return None
    return next((plan for plan in map(at, sizes[:-1]) if plan is not None), smallest)
