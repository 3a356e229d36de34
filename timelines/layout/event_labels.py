"""Event labels on both sides of the axis, routine runs summarised as series.

Steps (decisions, milestones) and the professional system's events are labelled over
the axis, in bold and as large as fits; the child's everyday life (placements,
contact, health, education, family) under it, near the placement band. The height
goes first to the steps: a step is never left as a number while a label under the
axis could give way. Runs of routine events become one series (``layout/series.py``),
drawn as a tick strip with one label; every event stays in the chronology table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from timelines.layout import plot
from timelines.layout.emphasis import above, is_step
from timelines.layout.labels import (
    LabelArea,
    LabelPlan,
    LabelRequest,
    line_height,
    number_lane,
    place_labels,
)
from timelines.layout.primitives import Line, Marker, Rect
from timelines.layout.scale import TimeScale
from timelines.layout.series import Series, find_series
from timelines.layout.style import INK, Ctx
from timelines.model.records import Event

LABEL_SHARE = 0.3  # a label wider than this share of the page width is folded
KEPT_WORDS = 14  # characters of its words a key event's label keeps when cut short
# A numbered plan that leaves out this many events or fewer may do without numbers: with
# more, a plan with every label never appeared (800 synthetic children, two seeds).
NEARLY = 2
LEAST_UNDER = 3  # levels kept under the axis when the steps need the height
UNDERS = 1  # heights tried for each move: found anew (as they were, or more, gained nothing)
STEP_BONUS = 1.0  # points larger than other labels, where room allows
ROUTINE = "#4D4D4D"  # routine labels: lighter than the ink, still dark enough to print


@dataclass(frozen=True)
class EventLabels:
    """The plot's rows, where every label goes (both sides), and the series drawn."""

    rows: plot.Rows
    plan: LabelPlan
    series: tuple[Series, ...] = ()


def event_text(event: Event, ctx: Ctx) -> str:
    """A label as drawn: the date (showing its uncertainty) and the glossary-rewritten words."""
    return f"{event.when.label()}  {ctx.plain(event.label)}"


def routine_category(ctx: Ctx, category: str) -> bool:
    return ctx.theme.category(category).routine


def event_series(ctx: Ctx, events: Sequence[Event]) -> tuple[Series, ...]:
    """The routine runs drawn as one series each."""
    return tuple(
        find_series(
            events,
            lambda c: routine_category(ctx, c),
            lambda c: ctx.theme.category(c).label,
            lambda e: e.key or is_step(e),
        )
    )


class _Side:
    """The requests for one side of the axis, measured in its font."""

    def __init__(self, ctx: Ctx, up: bool, requests: list[LabelRequest], memo: dict) -> None:
        self.ctx, self.up, self.requests, self.memo = ctx, up, requests, memo
        # Steps and key events are drawn in bold: a side holding any is measured so.
        self.font = "bold" if up or any(r.key and not r.members for r in requests) else "label"
        big, small = ctx.size("label_size"), ctx.min_size
        sizes = [big, (big + small) / 2, small] if big > small else [small]
        self.sizes = [big + STEP_BONUS, *sizes] if up else sizes

    def area(self, scale: TimeScale, span: tuple[float, float]) -> LabelArea:
        width = LABEL_SHARE * self.ctx.width
        return LabelArea(scale.x0, scale.x1, span[0], span[1], not self.up, width)

    def numbered(self, area: LabelArea, repair: bool = True) -> LabelPlan:
        """The numbered plan (remembered: trials place the same labels again). A plan
        already made in a taller area that left no key event out and used no more
        levels than this area has is the same plan, moved: it is not made again."""
        requests = tuple(self.requests)
        key = (requests, area, self.font, repair)
        plan = self.memo.get(key)
        if plan is None:
            plan = self._moved(requests, area)
        if plan is None:
            sizes = self.sizes[-1:]
            measure = self.ctx.measurer(self.font)
            shared = self.memo.setdefault("measured", {})
            stood = self.memo.setdefault("stood", {})
            plan = place_labels(
                self.requests, area, sizes, measure, repair=repair, shared=shared, stood=stood
            )
            assert plan is not None
            self.memo[key] = plan
            if all(r.index in plan.labelled for r in requests if r.key):
                self.memo.setdefault(("tall", requests, self.font), []).append((area, plan))
        return plan

    def _moved(self, requests: tuple[LabelRequest, ...], area: LabelArea) -> LabelPlan | None:
        size = self.sizes[-1]
        for tall, plan in self.memo.get(("tall", requests, self.font), ()):
            same = (tall.x0, tall.x1, tall.down, tall.max_width)
            if same != (area.x0, area.x1, area.down, area.max_width):
                continue
            if self.levels_needed(plan) > area.levels(size):
                continue
            dy = area.y1 - tall.y1 if area.down else area.y0 - tall.y0
            labels = tuple(
                lab._replace(box=lab.box._replace(y=lab.box.y + dy)) for lab in plan.labels
            )
            return LabelPlan(labels, plan.size, plan.numbers)
        return None

    def complete(self, area: LabelArea) -> LabelPlan | None:
        if not self.requests:
            return LabelPlan((), self.sizes[0])
        measure = self.ctx.measurer(self.font)
        shared = self.memo.setdefault("measured", {})
        return place_labels(
            self.requests, area, self.sizes, measure, complete_only=True, shared=shared
        )

    def levels_needed(self, plan: LabelPlan) -> int:
        return max((label.level + 1 for label in plan.labels), default=0)


def plan_event_labels(
    ctx: Ctx,
    events: tuple[Event, ...],
    scale: TimeScale,
    area: tuple[float, float],
    with_shadows: bool,
) -> EventLabels:
    """Rows and labels: every label, as large as fits, or else the numbered plan (steps
    and key events labelled first, numbers in a lane for the rest).

    The numbered plan is made first: when it leaves more than ``NEARLY`` events out, a
    plan with every label is not looked for.
    """
    planner = _Planner(ctx, events, scale, area, with_shadows)
    # Without repair: when no step is left out this is the plan made in full.
    best = planner.numbered(frozenset(), repair=False)
    if _keys_short(best.plan, events):
        best = planner.steps_first(best)
    if len(best.plan.numbered) <= NEARLY:
        complete = planner.complete(best)
        if complete is not None:
            return complete
    return EventLabels(best.rows, best.plan, planner.series)


class _Trial(NamedTuple):
    rows: plot.Rows
    plan: LabelPlan
    moved: frozenset[int]  # events over the axis by category, labelled under it

    def score(self, events: tuple[Event, ...]) -> tuple[int, int]:
        return _keys_short(self.plan, events), len(self.plan.numbered)


class _Planner:
    """One child's labels, tried with some events moved under the axis and with a few
    heights under it; placements already made are remembered."""

    def __init__(
        self,
        ctx: Ctx,
        events: tuple[Event, ...],
        scale: TimeScale,
        area: tuple[float, float],
        with_shadows: bool,
    ) -> None:
        self.ctx, self.events, self.scale = ctx, events, scale
        self.area, self.with_shadows = area, with_shadows
        self.series = event_series(ctx, events)
        self.memo: dict = {}
        self.sizes = {"year_size": ctx.size("label_size"), "number_size": ctx.min_size}

    def rows(self, under: float, lane: bool) -> plot.Rows:
        return plot.Rows.for_area(
            *self.area, self.with_shadows, lane=lane, below=under, **self.sizes
        )

    def sides(self, moved: frozenset[int], numbered: bool) -> tuple[_Side, _Side]:
        every = self.memo.get(("requests", numbered))
        if every is None:  # made once: trials only move them from side to side
            every = _requests(self.ctx, self.events, self.scale, self.series, numbered)
            self.memo["requests", numbered] = every
        events = self.events
        reqs = [
            [r for r in every if (above(events[r.index]) and r.index not in moved) == up]
            for up in (True, False)
        ]
        return _Side(self.ctx, True, reqs[0], self.memo), _Side(self.ctx, False, reqs[1], self.memo)

    def numbered(
        self, moved: frozenset[int], under: float | None = None, repair: bool = True
    ) -> _Trial:
        """The numbered plan with the events ``moved`` under the axis (and ``under``
        points there, or as much as its labels need); without ``repair`` a quicker
        estimate (key events left out do not make room)."""
        up, down = self.sides(moved, True)
        if under is None:
            under = self.height_under(up, down)
        lane = self.rows(under, True)
        scale = self.scale
        over, under_plan = up.area(scale, lane.labels), down.area(scale, lane.below)
        plans = (up.numbered(over, repair), down.numbered(under_plan, repair))
        plan = _joined(self.ctx, plans, [*up.requests, *down.requests], scale)
        return _Trial(lane, plan, moved)

    def complete(self, best: _Trial) -> EventLabels | None:
        """Every label, each side as large as fits, in the heights of ``best``."""
        rows = self.rows(best.rows.below[1] - best.rows.below[0], False)
        up, down = self.sides(best.moved, False)
        over = up.complete(up.area(self.scale, rows.labels))
        under = None if over is None else down.complete(down.area(self.scale, rows.below))
        if over is None or under is None:
            return None
        return EventLabels(rows, _joined(self.ctx, (over, under), [], self.scale), self.series)

    def steps_first(self, start: _Trial) -> _Trial:
        """When steps are left out, the steps left out go under the axis (most often
        enough: the other labels stay where they stood); else the side over the axis
        gets more height (labels under it give way), or the steps left out, or the labels
        in their way, go under it. The plan that leaves out fewest steps, then fewest
        events, wins; room left over the axis then goes to the labels under it. Trials
        are quick estimates; the winner is then placed in full."""
        events = self.events
        short = frozenset(i for i in _short(start.plan, events) if above(events[i]))
        trial = self.numbered(start.moved | short)
        if not trial.score(events)[0] and trial.score(events) < start.score(events):
            return self.spare_under(trial, trial)
        start = self.numbered(start.moved, self.under(start))  # key events making room
        if not start.score(events)[0]:
            return start
        best = self.search_steps(start)
        if best.moved == start.moved and self.under(best) == self.under(start):
            return start
        return self.spare_under(best, start)

    def search_steps(self, start: _Trial) -> _Trial:
        """More height over the axis, or steps or the labels in their way moved under it."""
        events = self.events
        best = self.numbered(start.moved, self.under(start), repair=False)
        short = frozenset(i for i in _short(best.plan, events) if above(events[i]))
        if best.score(events)[0] and short:  # more height over the axis
            lh = line_height(self.ctx.min_size)
            used = min((lab.box.y for lab in best.plan.labels if lab.box.top < best.rows.axis),
                       default=best.rows.below[1])  # fmt: skip
            free = max(used - best.rows.below[0] - lh, 3 * len(short) * lh)  # labels under
            free = min(free, self.under(best) - LEAST_UNDER * lh)  # the axis give way
            if free > lh:  # placed in full: key events making room is what it allows
                trial = self.numbered(best.moved, self.under(best) - free)
                if not trial.score(events)[0]:
                    return trial
            short = frozenset(i for i in _short(best.plan, events) if above(events[i]))
        if best.score(events)[0] and short:
            way = _in_the_way(best.plan, events, self.scale, short)
            left = _in_the_way(best.plan, events, self.scale, short, "left")
            for moved in (best.moved | short, best.moved | left, best.moved | way):
                best = self.tried(moved, best)
                if not best.score(events)[0]:
                    break
        return best

    def spare_under(self, best: _Trial, start: _Trial) -> _Trial:
        """Room left over the axis goes to the labels under it when that numbers fewer;
        the plan placed in full, kept if it beats ``start``."""
        events, rows, plan = self.events, best.rows, best.plan
        used = max((lab.box.top for lab in plan.labels if lab.box.y > rows.axis), default=rows.axis)
        spare = rows.labels[1] - used - line_height(self.ctx.min_size)
        if plan.numbers and spare > 2 * line_height(self.ctx.min_size):
            trial = self.numbered(best.moved, self.under(best) + spare, repair=False)
            if trial.score(events) < best.score(events):
                best = trial
        if best is start:
            return start
        full = self.numbered(best.moved, self.under(best))
        return full if full.score(events) < start.score(events) else start

    @staticmethod
    def under(trial: _Trial) -> float:
        return trial.rows.below[1] - trial.rows.below[0]

    def tried(self, moved: frozenset[int], best: _Trial) -> _Trial:
        """The better of ``best`` and the plans with ``moved`` under the axis, with the
        heights found anew, as they were, or a little more under the axis."""
        was = self.under(best)
        more = was + 3 * max(len(moved - best.moved), 1) * line_height(self.ctx.min_size)
        for under in (None, was, more)[:UNDERS]:
            trial = self.numbered(moved, under, repair=False)
            if trial.score(self.events) < best.score(self.events):
                best = trial
            if best.score(self.events) == (0, 0):
                break
        return best

    def height_under(self, up: _Side, down: _Side) -> float:
        """Points for the labels under the axis: each side gets what it needs when both
        fit, the room left shared in proportion; otherwise the steps over it first."""
        if not down.requests:
            return 0.0
        trial = self.rows(10.0, True)
        room = trial.labels[1] - trial.labels[0] + 10.0  # both sides together
        height = line_height(self.ctx.min_size)
        scale = self.scale
        need_up = up.levels_needed(up.numbered(up.area(scale, (0.0, room)), False)) * height
        levels_down = down.levels_needed(down.numbered(down.area(scale, (0.0, room)), False))
        need_down = levels_down * height
        if need_up + need_down <= room:
            spare = room - need_up - need_down
            share = need_down / (need_up + need_down) if need_up + need_down else 0.5
            return need_down + spare * share
        least = min(need_down, LEAST_UNDER * height)
        return max(room - max(min(need_up, room - least), 0.0), least)


def _in_the_way(
    plan: LabelPlan,
    events: tuple[Event, ...],
    scale: TimeScale,
    short: frozenset[int],
    side: str = "",
) -> frozenset[int]:
    """Labels over the axis (pointing ``side``, or either way) that stand over the stem
    of an event in ``short``: a flag the page edge turned left often does."""
    xs = [scale.clamp(events[i].day) for i in short]
    return frozenset(
        label.index
        for label in plan.labels
        if not label.members
        and above(events[label.index])
        and label.side.startswith(side)
        and any(label.box.x - 2 <= x <= label.box.right + 2 for x in xs)
    )


def _is_key(event: Event) -> bool:
    return event.key or is_step(event)


def _short(plan: LabelPlan, events: tuple[Event, ...]) -> list[int]:
    """Key events and steps not labelled in full."""
    full = {lab.index for lab in plan.labels if not lab.text.endswith("…")}
    cut = {lab.index for lab in plan.labels if lab.text.endswith("…")}
    return [i for i, e in enumerate(events) if _is_key(e) and (i not in full or i in cut)]


def _keys_short(plan: LabelPlan, events: tuple[Event, ...]) -> int:
    return len(_short(plan, events))


def _requests(
    ctx: Ctx,
    events: tuple[Event, ...],
    scale: TimeScale,
    series: tuple[Series, ...],
    numbered: bool,
) -> list[LabelRequest]:
    """One request per event, both sides (``numbered`` prefixes the numbers), a series
    standing for its events (its request has the index of its first)."""
    in_series = {i: s for s in series for i in s.members}
    requests = []
    for i, event in enumerate(events):
        found = in_series.get(i)
        if found is not None:
            if found.members[0] == i:
                text = ctx.plain(found.label(events))
                # placed as a key event (it stands for many), never cut short
                requests.append(
                    LabelRequest(
                        i, scale.clamp(event.day), text, True, len(text), members=found.members
                    )
                )
            continue
        text = event_text(event, ctx)
        if numbered:
            text = f"{i + 1}. {text}"
        head = text.find("  ") + 2  # the number and date: kept whole, on the first line
        key = _is_key(event)
        requests.append(LabelRequest(i, scale.clamp(event.day), text, key, head + KEPT_WORDS, head))
    return requests


def _joined(
    ctx: Ctx, plans: Sequence[LabelPlan], requests: list[LabelRequest], scale: TimeScale
) -> LabelPlan:
    """Both sides' labels as one plan, with one lane of numbers for the events left out."""
    labels = tuple(label for plan in plans for label in plan.labels)
    labelled = {i for label in labels for i in label.events}
    failed = [r for r in requests if r.index not in labelled]
    lane = number_lane(failed, scale.x0, scale.x1, ctx.min_size, ctx.measurer("label"))
    return LabelPlan(labels, min(plan.size for plan in plans), lane)


def event_items(ctx: Ctx, events: tuple[Event, ...], scale: TimeScale, found: EventLabels) -> list:
    """Markers, uncertainty brackets, series strips, stems, labels and numbers."""
    rows, plan = found.rows, found.plan
    items: list = []
    for event in events:
        if event.when.uncertain:
            colour = ctx.theme.category(event.category).colour
            items += plot.uncertain_span(scale, rows, event.when.start, event.when.end, colour)
    items += _stems(plan, rows)
    in_series = {i for s in found.series for i in s.members[1:]}
    for s in found.series:
        items += _strip(ctx, events, scale, rows, s)
    for i, event in enumerate(events):
        if i in in_series:
            continue
        style = ctx.theme.category(event.category)
        x = scale.clamp(event.day)
        items.append(Marker(x, rows.axis, style.marker, 6.0, style.colour, event.when.uncertain))
    for label in plan.labels:
        event = events[label.index]
        font = "bold" if _is_key(event) and not label.members else "label"
        routine = bool(label.members) or routine_category(ctx, event.category)
        colour = ROUTINE if routine else INK
        baseline = label.box.y + 0.22 * label.size
        items.append(
            ctx.text(label.box.x, baseline, label.text, label.size, font, colour, role="label")
        )
    for mark in plan.numbers:
        if mark.x_max - mark.x_min > 0.5:
            y = rows.axis - 4.5
            items.append(Line(mark.x_min, y, mark.x_max, y, INK, 0.5))
        number = ctx.text(
            mark.centre,
            rows.numbers,
            mark.text,
            ctx.min_size,
            "label",
            align="centre",
            role="number",
        )
        box = number.box
        items.append(Rect(box.x - 0.5, box.y - 0.5, box.w + 1, box.h + 1, "#FFFFFF", None))
        items.append(number)
    return items


def _strip(
    ctx: Ctx, events: tuple[Event, ...], scale: TimeScale, rows: plot.Rows, series: Series
) -> list:
    """A series as a line along the axis with a tick at each event and its marker at the start."""
    style = ctx.theme.category(series.category)
    xs = [scale.clamp(events[i].day) for i in series.members]
    y = rows.axis + 5
    items: list = [Line(xs[0], y, xs[-1], y, style.colour, 1.0)]
    items += [Line(x, y - 2, x, y + 2, style.colour, 0.6) for x in xs]
    items.append(Marker(xs[0], rows.axis, style.marker, 6.0, style.colour, False))
    return items


def _stems(plan: LabelPlan, rows: plot.Rows) -> list:
    """One stem per point, to the furthest label on each side."""
    ups: dict[float, float] = {}
    downs: dict[float, float] = {}
    for label in plan.labels:
        if label.box.y > rows.axis:
            ups[label.x] = max(ups.get(label.x, rows.axis), label.box.top)
        else:
            downs[label.x] = min(downs.get(label.x, rows.axis), label.box.y)
    items = [Line(x, rows.axis + 3, x, top, "#7A7A7A", 0.4) for x, top in ups.items()]
    items += [Line(x, rows.axis - 3, x, bottom, "#7A7A7A", 0.4) for x, bottom in downs.items()]
    return items


def cut_short(plan: LabelPlan) -> bool:
    """True when any drawn label is shortened, so the full text must follow in the table."""
    return any(label.text.endswith("…") for label in plan.labels)
