"""The search for the best pattern of flags per run, and the public ``place_labels``."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property

from timelines.layout.labels.grid import (
    _WAYS_TRIED,
    FOLDED,
    SIDES,
    STEM_GAP,
    LabelArea,
    LabelRequest,
    Measure,
    PlacedLabel,
    Shared,
    Sides,
    _Attempt,
    _extent,
    _Grid,
    _other,
    _Run,
    _runs,
    _Stack,
    _stacks,
)
from timelines.layout.labels.lane import NumberMark, number_lane
from timelines.layout.labels.repair import _make_room, _settle
from timelines.layout.primitives import Box

PEAKS = (0.5,)  # where in its run a mountain may peak (more peaks gained nothing measurable)
VALLEYS = 2  # how many of a run's widest gaps are tried as valleys
KEY_VALLEYS = 4  # valleys tried at key events left out
GIVE_UP = 0.1  # a share of labels left out that other patterns will not save

Kept = dict[int, tuple[int, str]]  # stacks standing where they stood: (level, way) by stack
Stood = dict  # where each stack stood when a side was last placed (see ``place_labels``)


@dataclass(frozen=True)
class LabelPlan:
    labels: tuple[PlacedLabel, ...]
    size: float
    numbers: tuple[NumberMark, ...] = ()

    @property
    def complete(self) -> bool:
        """True when every event has its label (no numbers needed)."""
        return not self.numbers

    @cached_property  # (worked out once: trials read them again and again)
    def numbered(self) -> tuple[int, ...]:
        return tuple(sorted(i for mark in self.numbers for i in mark.indices))

    @cached_property
    def labelled(self) -> frozenset[int]:
        return frozenset(i for label in self.labels for i in label.events)


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
    stacks, pointing = run.stacks, _pointing(run)
    n = len(stacks)
    gaps = sorted(range(1, n), key=lambda v: (stacks[v - 1].x - stacks[v].x, v))
    found = [_sides(pointing, 0) if run.area.down else _sides(pointing, n)]  # in date order
    found += [_sides(pointing, valley) for valley in gaps[:1]]
    found += [_sides(pointing, n), _sides(pointing, 0)]
    found += [_sides(pointing, 0, round(n * share)) for share in PEAKS]
    found += [_sides(pointing, valley) for valley in gaps[1:VALLEYS]]
    return list(dict.fromkeys(found))


def _key_patterns(run: _Run, missing: list[int]) -> list[Sides]:
    """Valleys at the key events left out, and at the keys they clash with, so that
    clashing keys can point the same way."""
    cuts: set[int] = set()
    for k in missing:
        near = range(run.cover_lo[k], run.cover_hi[k])
        cuts |= {c for j in near if run.keys[j] for c in (j, j + 1)}
    first = sorted(missing)  # a valley at a key left out: it and the keys after it turn
    pointing = _pointing(run)
    return list(dict.fromkeys(_sides(pointing, cut) for cut in [*first, *sorted(cuts)]))


def _pointing(run: _Run) -> dict[str, list[str]]:
    """The way each stack's flag points when meant to point left or right: the other
    way when it would leave the page, on one line and on two (found once per run, before
    any stack is cut short)."""
    found = run.measured.pointing
    if found is None:
        found = run.measured.pointing = {
            side: [
                side if run.fits_way(side, i) or run.fits_way(side + FOLDED, i) else _other(side)
                for i in range(len(run.stacks))
            ]
            for side in SIDES
        }
    return found


def _sides(pointing: dict[str, list[str]], *cuts: int) -> Sides:
    """Right before the first cut, then flipping at each cut (as ``pointing`` allows)."""
    out = []
    flips = sorted(cuts)
    passed = 0  # cuts at or before this stack
    for i, right in enumerate(pointing["right"]):
        while passed < len(flips) and flips[passed] <= i:
            passed += 1
        out.append(pointing["left"][i] if passed % 2 else right)
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
    lo, hi, keys = run.cover_lo, run.cover_hi, run.keys

    def before(k: int) -> list[int]:
        """The stacks placed before ``k``: those whose stems its text covers, but for
        those pointing back over its stem (a clash), unless they are keys and it is not."""
        key = keys[k]
        if sides[k] == "right":  # the stacks after it, up to where its text ends
            return [
                j
                for j in range(k + 1, hi[k])
                if sides[j] == "right" or lo[j] > k or (keys[j] and not key)
            ]
        return [
            j for j in range(lo[k], k) if sides[j] != "right" or hi[j] <= k or (keys[j] and not key)
        ]

    starts = sorted(range(n), key=distance.__getitem__)  # stable: ties in stack order
    return _depth_first(starts, before)


def _depth_first(starts: list[int], before: Callable[[int], list[int]]) -> list[int]:
    """Every stack once, from each of ``starts`` in turn, each after the stacks
    ``before`` it (those not placed yet, in the order given)."""
    order: list[int] = []
    seen = [False] * len(starts)
    for first in starts:
        if seen[first]:
            continue
        seen[first] = True
        path = [(first, iter(before(first)))]
        while path:
            k, rest = path[-1]
            for j in rest:  # the next not yet seen
                if not seen[j]:
                    seen[j] = True
                    path.append((j, iter(before(j))))
                    break
            else:
                order.append(k)
                path.pop()
    return order


def _attempt(
    run: _Run,
    sides: Sides,
    bound: tuple[int, int] | None = None,
    fold: str = "",
    near: frozenset[int] = frozenset(),
    kept: Kept | None = None,
) -> _Attempt | None:
    """Place every stack in order where it fits: on one line, or with ``fold`` "after"
    on two lines when one will not do, or with "first" the stacks ``near`` on two
    lines when they fit (the others on one line). None as soon as the stacks left
    out, as (keys, all), exceed ``bound``: this pattern cannot win. The stacks ``kept``
    stand first at their (level, way) where they still may."""
    grid = _Grid(run.levels)
    placed: dict[int, tuple[int, str]] = {}
    failed: list[int] = []
    keys_out = 0
    ways_for, one_line = _WAYS_TRIED[fold], _WAYS_TRIED[""]
    parts = run.parts
    order = run.orders.get(sides)
    if order is None:
        order = run.orders[sides] = _order(run, sides)
    pinned = _stand(run, grid, order, kept, placed) if kept else set()
    for k in order:
        if k in placed:
            continue
        ways = (one_line if fold == "first" and k not in near else ways_for)[sides[k]]
        part = parts[k]
        if ways[0] in SIDES and not part.fits(ways[0]):  # folded, it may still point its way
            ways = (ways[0] + FOLDED, *ways[1:])
        for way in ways:
            shape = part.fitting(way)
            if shape is None:
                continue
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
    return _Attempt(grid, placed, failed, pinned)


def _stand(
    run: _Run, grid: _Grid, order: list[int], kept: Kept, placed: dict[int, tuple[int, str]]
) -> set[int]:
    """The stacks ``kept`` where they stood, in placing order, where they still may;
    returns those that stand."""
    stood: set[int] = set()
    for k in order:
        where = kept.get(k)
        shape = None if where is None else run.parts[k].fitting(where[1])
        if where is not None and shape is not None and grid.fits_at(shape, where[0]):
            grid.take(shape, where[0])
            placed[k] = where
            stood.add(k)
    return stood


def _best(
    run: _Run,
    complete_only: bool,
    size: float,
    measure: Measure,
    repair: bool = True,
    kept: Kept | None = None,
) -> _Attempt:
    """The best of the candidate patterns, or of the stacks ``kept`` where they stood when
    this side was last placed (the others placed around them); key events it leaves out
    then take the place of the fewest other labels (with ``repair``)."""
    best = _searched(run, complete_only, kept or {})
    repair = repair and not complete_only and best.keys_missing(run) > 0
    if repair:
        missing = [k for k in best.failed if run.keys[k]]
        score = best.score(run)
        for pattern in _key_patterns(run, missing)[:KEY_VALLEYS]:
            if pattern not in _patterns_of(run):
                attempt = _attempt(run, pattern, score[:2])
                if attempt is not None and attempt.score(run) < score:
                    best, score = attempt, attempt.score(run)
        for k in [k for k in best.failed if run.keys[k]]:
            _make_room(run, best, k, size, measure)
    if repair or kept:  # labels taken out, or kept where they stood, may leave room below
        _settle(run, best)
    return best


def _searched(run: _Run, complete_only: bool, kept: Kept) -> _Attempt:
    """``_search``, remembered for these stacks at this height (trials place the same
    labels again, with or without repair); a copy, as key events making room change it."""
    key = (run.levels, complete_only, frozenset(kept.items()))
    found = run.measured.searched.get(key)
    if found is None:
        found = run.measured.searched[key] = _search(run, complete_only, kept)
    return found.copy()


def _patterns_of(run: _Run) -> list[Sides]:
    patterns = run.measured.patterns
    if patterns is None:
        patterns = run.measured.patterns = _patterns(run)
    return patterns


def _search(run: _Run, complete_only: bool, kept: Kept) -> _Attempt:
    """The best of the candidate patterns and of the stacks ``kept`` where they stood,
    then of it with labels folded.

    A pattern is given up as soon as it cannot beat the best so far. With
    ``complete_only`` only a pattern that places every label is of use, so the
    search gives up once the best of two patterns leaves out many.
    """
    best: _Attempt | None = None
    score = (0, 0, 0, 0)  # the best's, from the first attempt (which has no bound) on
    for tried, pattern in enumerate(_patterns_of(run), start=1):
        attempt = _attempt(run, pattern, None if best is None else score[:2])
        if attempt is not None and (best is None or attempt.score(run) < score):
            best, score, best_pattern = attempt, attempt.score(run), pattern
        assert best is not None
        if not best.failed:  # the pattern that reads in date order is tried first
            return best
        if complete_only and tried >= 2 and len(best.failed) > GIVE_UP * len(run.stacks):
            break
    assert best is not None
    if best.failed and kept:  # the stacks where they stood when last placed
        pattern = _kept_sides(run, kept)
        attempt = _attempt(run, pattern, score[:2], kept=kept)
        if attempt is not None and attempt.score(run) < score:
            best, score, best_pattern = attempt, attempt.score(run), pattern
    for fold in ("first", "after"):  # labels folded onto two lines where that helps
        near = _near(run, best.failed) if fold == "first" else frozenset()
        folded = _attempt(run, best_pattern, score[:2], fold, near)
        if folded is not None and folded.score(run) < score:
            best, score = folded, folded.score(run)
        if not best.failed:
            break
    return best


def _kept_sides(run: _Run, kept: Kept) -> Sides:
    """The sides of the flags kept where they stood, the others' as in date order."""
    pointing = _pointing(run)
    first = _sides(pointing, 0) if run.area.down else _sides(pointing, len(run.stacks))
    return tuple(kept[k][1].split(FOLDED)[0] if k in kept else f for k, f in enumerate(first))


def _near(run: _Run, failed: list[int]) -> frozenset[int]:
    """The stacks left out and the stacks whose stems they could cover: where folding
    labels onto two lines may make room. (Folding every label was measured worse: two
    lines stand taller and crowd out labels that had fitted.)"""
    return frozenset(j for k in failed for j in range(run.cover_lo[k], run.cover_hi[k]))


def _place_size(
    requests: Sequence[LabelRequest],
    area: LabelArea,
    size: float,
    measure: Measure,
    complete_only: bool = False,
    repair: bool = True,
    shared: Shared | None = None,
    stood: Stood | None = None,
) -> tuple[list[PlacedLabel], list[LabelRequest]]:
    """Every label that fits at this size, and the requests left without one (without
    ``repair``, key events left out do not make room: a quicker estimate)."""
    levels = area.levels(size)
    labels: list[PlacedLabel] = []
    failed: list[LabelRequest] = []
    before, now = _stood(stood, area, size)
    for stacks_of_run in _runs_of(requests, size, measure, area.down, shared):
        run = _Run(list(stacks_of_run), area, levels, size, measure, shared)
        kept = {k: before[s.requests] for k, s in enumerate(run.stacks) if s.requests in before}
        attempt = _best(run, complete_only, size, measure, repair, kept)
        if complete_only and attempt.failed:  # of no use: this size will not be drawn
            failed.extend(r for k in attempt.failed for r in run.stacks[k].requests)
            continue
        now.update((run.stacks[k].requests, where) for k, where in attempt.placed.items())
        for k, plain in enumerate(run.stacks):
            if k not in attempt.placed:
                failed.extend(plain.requests)
                continue
            base, side = attempt.placed[k]
            stack = run.stack(side, k)
            assert stack is not None
            for i, (req, width) in enumerate(zip(stack.requests, stack.widths, strict=True)):
                a, _ = _extent(stack.x, width, side)
                box = Box(a, area.level_y(base + i, size), width, size)
                labels.append(
                    PlacedLabel(
                        req.index, stack.x, box, base + i, req.text, size, side, req.members
                    )
                )
    return labels, failed


def _runs_of(
    requests: Sequence[LabelRequest],
    size: float,
    measure: Measure,
    down: bool,
    shared: Shared | None,
) -> list[list[_Stack]]:
    """The runs of stacks the requests make, remembered in ``shared`` (trials place the
    same requests again at other heights)."""
    key = ("runs", tuple(requests), size, measure, down)
    found = None if shared is None else shared.get(key)
    if found is None:
        stacks = _stacks(requests, size, measure, down)
        found = _runs(stacks) if stacks else []
        if shared is not None:
            shared[key] = found
    return found


def _stood(stood: Stood | None, area: LabelArea, size: float) -> tuple[dict, dict]:
    """Where each stack stood when this side was last placed at this size, and a new
    record of where they stand now (see ``place_labels``)."""
    if stood is None:
        return {}, {}
    key = (area.down, size)
    before = stood.get(key, {})
    stood[key] = {}
    return before, stood[key]


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
    repair: bool = True,
    shared: Shared | None = None,
    stood: Stood | None = None,
) -> LabelPlan | None:
    """Place the labels at the smallest size, key events first, and number in the lane
    the events left without one.

    With ``complete_only``: every label at the largest size where all fit, or None.
    Without ``repair`` key events left out do not make room (a quicker estimate).
    ``shared``, kept by the caller for labels placed again (at other heights), holds
    what their stacks measure to. ``stood``, kept by a caller that tries the same side
    with a few events moved away, records where each stack stood: the others may stand
    there again, so that moving a few events never costs the rest their labels because
    the search for a pattern went another way.
    """
    if not hasattr(measure, "cache_info"):  # remembered widths (a caller may keep its own)
        measure = cache(measure)
    if complete_only:
        return _complete(requests, area, sorted(set(sizes), reverse=True), measure, shared)
    size = min(sizes)
    labels, failed = _place_size(requests, area, size, measure, False, repair, shared, stood)
    lane = number_lane(failed, area.x0, area.x1, number_size or size, measure)
    return LabelPlan(tuple(labels), size, lane)


def _complete(
    requests: Sequence[LabelRequest],
    area: LabelArea,
    sizes: list[float],
    measure: Measure,
    shared: Shared | None = None,
) -> LabelPlan | None:
    """Every label at the largest of ``sizes`` (largest first) where all fit, or None.

    The smallest size is tried first: when not every label fits there, none larger will.
    """

    def at(size: float) -> LabelPlan | None:
        if _too_crowded(requests, area, size, measure):
            return None
        labels, failed = _place_size(
            requests, area, size, measure, complete_only=True, shared=shared
        )
        return None if failed else LabelPlan(tuple(labels), size)

    smallest = at(sizes[-1])
    if smallest is None:
        return None
    return next((plan for plan in map(at, sizes[:-1]) if plan is not None), smallest)
