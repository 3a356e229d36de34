"""Key events left out make room: each takes the place that displaces the fewest other
labels (never a key event's), cut short if that is the only way; labels then settle."""

from __future__ import annotations

from timelines.layout.labels.grid import FOLDED, WAYS, Measure, _Attempt, _Run, _Shape

SHORTER = (1.0, 0.7, 0.45)  # how much a key event's words may be cut to keep its label
ROOMS = 2  # places tried for a key event left out


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
    rooms: list[tuple[tuple[int, int, bool, int], str, dict[int, Spans]]] = []
    for side in WAYS:
        if not run.fits_way(side, k):
            continue
        shape = run.shape(side, k)
        bases = run.levels - len(shape.near) + 1
        blocks = _blocks(run, attempt, shape, bases)
        keys = [0] * (bases + 1)  # differences: a count starts at one index, ends at another
        counts = [0] * (bases + 1)
        for j, spans in blocks.items():
            key = run.keys[j]
            for lo, hi in spans:
                counts[lo] += 1
                counts[hi] -= 1
                keys[lo] += key
                keys[hi] -= key
        folded = side.endswith(FOLDED)
        rooms += [
            ((kc, count, folded, base), side, blocks)
            for kc, count, base in _least(keys, counts, bases)
        ]
    rooms.sort(key=lambda room: room[0])  # stable: of rooms that tie, the first side's
    return [
        (base, side, [j for j, spans in blocks.items() if any(a <= base < b for a, b in spans)])
        for (_, _, _, base), side, blocks in rooms[:ROOMS]
    ]


def _blocks(
    run: _Run, attempt: _Attempt, shape: _Shape, bases: int, keys_only: bool = False
) -> dict[int, Spans]:
    """The placed stacks (only the keys, with ``keys_only``) in the way of ``shape`` at
    some base, with the bases where they are, in the order they were placed."""
    blocks: dict[int, Spans] = {}
    parts, keys, ink = run.parts, run.keys, shape.ink
    for j, (level, way) in attempt.placed.items():
        if keys_only and not keys[j]:
            continue
        other = parts[j].shape(way)
        if other.ink & ink:
            spans = _blocked_spans(shape, other, level, bases)
            if spans:
                blocks[j] = spans
    return blocks


def _key_free(run: _Run, attempt: _Attempt, k: int) -> bool:
    """True when stack ``k`` has a place where no key event is in its way: a quick
    test before ``_rooms`` weighs every label. A place clear of every label is found
    on the grid; when every label placed is a key's, there is no other."""
    ways = [way for way in WAYS if run.fits_way(way, k)]
    if any(attempt.grid.lowest(run.shape(way, k)) is not None for way in ways):
        return True
    if all(run.keys[j] for j in attempt.placed):
        return False
    for way in ways:
        shape = run.shape(way, k)
        bases = run.levels - len(shape.near) + 1
        found = _blocks(run, attempt, shape, bases, keys_only=True)
        free = 0  # the lowest base not known to be blocked
        for lo, hi in sorted(span for spans in found.values() for span in spans):
            if lo > free:
                break
            free = max(free, hi)
        if free < bases:
            return True
    return False


def _least(keys: list[int], counts: list[int], bases: int) -> list[tuple[int, int, int]]:
    """The ROOMS bases with the fewest keys, then labels, displaced (the lower base
    first when they tie), as (keys, labels, base): what sorting every base would give
    first, without sorting them all."""
    top: list[tuple[int, int, int]] = []
    key_total = count_total = 0
    for base in range(bases):
        key_total += keys[base]
        count_total += counts[base]
        if len(top) == ROOMS:
            last = top[-1]
            if key_total > last[0] or (key_total == last[0] and count_total >= last[1]):
                continue
            top.pop()
        at = len(top)
        while at and (key_total, count_total) < top[at - 1][:2]:
            at -= 1
        top.insert(at, (key_total, count_total, base))
    return top


def _blocked_spans(shape: _Shape, other: _Shape, level: int, bases: int) -> Spans:
    """The levels (below ``bases``) where a shape's bottom label would clash with
    another shape placed at ``level``, as separate spans."""
    top = level + len(other.boxes) - 1
    last = bases - 1
    if len(shape.near) == 1 and len(other.boxes) == 1:  # most stacks: one label each
        return _one_on_one(shape, other, level, last)
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


def _one_on_one(shape: _Shape, other: _Shape, level: int, last: int) -> Spans:
    """``_blocked_spans`` for a shape of one label against another of one label."""
    near, box = shape.near[0], other.boxes[0]
    upto = (level if level < last else last) if other.column & near else -1
    low = upto + 1
    after = level + 1 if box & shape.stem and level + 1 <= last else last + 1
    spans = [(0, low)] if upto >= 0 else []
    if max(after, low) <= last:
        spans.append((max(after, low), last + 1))
    if box & near and low <= level < after and 0 <= level <= last:
        spans.append((level, level + 1))
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
    saved = (attempt.grid.copy(), dict(attempt.placed), list(attempt.failed), attempt.opened)
    keys = [j for j in room[2] if run.keys[j]]
    stacks = {j: run.snapshot(j) for j in keys}
    _put(run, attempt, k, *room)
    for j in keys:
        if not _relocate(run, attempt, j, size, measure):
            attempt.grid, attempt.placed, attempt.failed, attempt.opened = saved
            for i, snap in stacks.items():
                run.restore(i, snap)
            return False
    return True


def _relocate(run: _Run, attempt: _Attempt, j: int, size: float, measure: Measure) -> bool:
    """Find key stack ``j`` a place that displaces no other key, cut short if need be."""
    for share in SHORTER:
        if share < 1:
            run.shorten(j, share, size, measure)
        if not _key_free(run, attempt, j):
            continue
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
    attempt.opened = True  # k stands where it is put, not at its lowest
    attempt.grid.take(run.shape(side, k), base)
    attempt.placed[k] = (base, side)
    attempt.failed.remove(k)


def _settle(run: _Run, attempt: _Attempt) -> None:
    """Let each stack drop to the lowest level where it still clashes with nothing.

    Only labels taken out (by key events making room) or kept where they stood leave
    such room: any other stack was placed at its lowest level, and stacks placed after
    it only take room away, so until some stack drops only those need trying."""
    grid, dropped = attempt.grid, attempt.opened
    for k, (base, side) in sorted(attempt.placed.items(), key=lambda item: item[1][0]):
        if not dropped and k not in attempt.pinned:
            continue  # at its lowest when placed, with no room made below since
        shape = run.shape(side, k)
        grid.remove(shape, base)
        lower = grid.lowest(shape)
        level = base if lower is None else min(lower, base)
        grid.take(shape, level)
        attempt.placed[k] = (level, side)
        dropped = dropped or level != base
