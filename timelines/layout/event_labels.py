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
NEARLY = 0.1  # numbered plans that leave out this share of events or less may do without
LEAST_UNDER = 3  # levels kept under the axis when the steps need the height
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

    def __init__(self, ctx: Ctx, up: bool, requests: list[LabelRequest]) -> None:
        self.ctx, self.up, self.requests = ctx, up, requests
        # Steps and key events are drawn in bold: a side holding any is measured so.
        self.font = "bold" if up or any(r.key for r in requests) else "label"
        big, small = ctx.size("label_size"), ctx.min_size
        sizes = [big, (big + small) / 2, small] if big > small else [small]
        self.sizes = [big + STEP_BONUS, *sizes] if up else sizes

    def measure(self, text: str, size: float) -> float:
        return self.ctx.measure(text, size, self.font)

    def area(self, scale: TimeScale, span: tuple[float, float]) -> LabelArea:
        width = LABEL_SHARE * self.ctx.width
        return LabelArea(scale.x0, scale.x1, span[0], span[1], not self.up, width)

    def numbered(self, area: LabelArea) -> LabelPlan:
        plan = place_labels(self.requests, area, self.sizes[-1:], self.measure)
        assert plan is not None
        return plan

    def complete(self, area: LabelArea) -> LabelPlan | None:
        if not self.requests:
            return LabelPlan((), self.sizes[0])
        return place_labels(self.requests, area, self.sizes, self.measure, complete_only=True)

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

    The numbered plan is made first: when it leaves more than a few events out, a plan
    with every label cannot exist and is not looked for.
    """
    series = event_series(ctx, events)
    sizes = {"year_size": ctx.size("label_size"), "number_size": ctx.min_size}
    lane, plan, moved = _numbered(ctx, events, scale, area, with_shadows, series, frozenset())
    if _keys_short(plan, events):
        lane, plan, moved = _steps_first(ctx, events, scale, area, with_shadows, series, lane, plan)
    if len(plan.numbered) <= NEARLY * len(events):
        under = lane.below[1] - lane.below[0]
        rows = plot.Rows.for_area(*area, with_shadows, below=under, **sizes)
        whole = [
            _requests(ctx, events, scale, series, side, False, moved) for side in (True, False)
        ]
        up, down = (_Side(ctx, side, reqs) for side, reqs in zip((True, False), whole, strict=True))
        found = (
            up.complete(up.area(scale, rows.labels)),
            down.complete(down.area(scale, rows.below)),
        )
        if found[0] is not None and found[1] is not None:
            return EventLabels(rows, _joined(ctx, found, [], scale), series)
    return EventLabels(lane, plan, series)


def _steps_first(
    ctx: Ctx,
    events: tuple[Event, ...],
    scale: TimeScale,
    area: tuple[float, float],
    with_shadows: bool,
    series: tuple[Series, ...],
    lane: plot.Rows,
    plan: LabelPlan,
) -> tuple[plot.Rows, LabelPlan, frozenset[int]]:
    """When steps are left out, the other labels over the axis give way (they go under
    it), then the steps left out try under it; each with the heights found anew, as
    they were, or a little more under the axis. The plan that leaves out fewest steps,
    then fewest events, wins."""
    best = (lane, plan, frozenset[int]())
    score = (_keys_short(plan, events), len(plan.numbered))
    others = frozenset(i for i, e in enumerate(events) if above(e) and not _is_key(e))
    if others:
        best, score = _tried(ctx, events, scale, area, with_shadows, series, others, best, score)
    short = frozenset(i for i in _short(best[1], events) if above(events[i]))
    if score[0] and short:  # the steps left out, or the labels in their way, go under
        for moved in (best[2] | short, best[2] | _in_the_way(best[1], events, scale, short)):
            best, score = _tried(ctx, events, scale, area, with_shadows, series, moved, best, score)
    rows, plan = best[0], best[1]
    used = max((lab.box.top for lab in plan.labels if lab.box.y > rows.axis), default=rows.axis)
    spare = rows.labels[1] - used - line_height(ctx.min_size)
    if plan.numbers and spare > 2 * line_height(ctx.min_size):  # room left over the axis
        under = rows.below[1] - rows.below[0] + spare
        trial = _numbered(ctx, events, scale, area, with_shadows, series, best[2], under)
        if (_keys_short(trial[1], events), len(trial[1].numbered)) < score:
            best = trial
    return best


def _tried(
    ctx: Ctx,
    events: tuple[Event, ...],
    scale: TimeScale,
    area: tuple[float, float],
    with_shadows: bool,
    series: tuple[Series, ...],
    moved: frozenset[int],
    best: tuple[plot.Rows, LabelPlan, frozenset[int]],
    score: tuple[int, int],
) -> tuple[tuple[plot.Rows, LabelPlan, frozenset[int]], tuple[int, int]]:
    """The better of ``best`` and the plans with ``moved`` under the axis, with the
    heights found anew, as they were, or a little more under the axis."""
    was = best[0].below[1] - best[0].below[0]
    more = was + 3 * max(len(moved - best[2]), 1) * line_height(ctx.min_size)
    for under in (None, was, more):
        trial = _numbered(ctx, events, scale, area, with_shadows, series, moved, under)
        found = (_keys_short(trial[1], events), len(trial[1].numbered))
        if found < score:
            best, score = trial, found
    return best, score


def _in_the_way(
    plan: LabelPlan, events: tuple[Event, ...], scale: TimeScale, short: frozenset[int]
) -> frozenset[int]:
    """Labels over the axis that stand over the stem of an event in ``short``."""
    xs = [scale.clamp(events[i].day) for i in short]
    return frozenset(
        label.index
        for label in plan.labels
        if not label.members
        and label.box.y > 0
        and above(events[label.index])
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


def _numbered(
    ctx: Ctx,
    events: tuple[Event, ...],
    scale: TimeScale,
    area: tuple[float, float],
    with_shadows: bool,
    series: tuple[Series, ...],
    moved: frozenset[int],
    under: float | None = None,
) -> tuple[plot.Rows, LabelPlan, frozenset[int]]:
    """The numbered plan, with the events ``moved`` under the axis (and ``under`` points
    for them, or as much as they need)."""
    sizes = {"year_size": ctx.size("label_size"), "number_size": ctx.min_size}
    numbered = [_requests(ctx, events, scale, series, up, True, moved) for up in (True, False)]
    up, down = (_Side(ctx, side, reqs) for side, reqs in zip((True, False), numbered, strict=True))
    if under is None:
        under = _height_under(ctx, up, down, scale, area, with_shadows, sizes)
    lane = plot.Rows.for_area(*area, with_shadows, lane=True, below=under, **sizes)
    plans = (up.numbered(up.area(scale, lane.labels)), down.numbered(down.area(scale, lane.below)))
    return lane, _joined(ctx, plans, [*up.requests, *down.requests], scale), moved


def _height_under(
    ctx: Ctx,
    up: _Side,
    down: _Side,
    scale: TimeScale,
    area: tuple[float, float],
    with_shadows: bool,
    sizes: dict[str, float],
) -> float:
    """Points for the labels under the axis: each side gets what it needs when both fit,
    with the room left shared in proportion; otherwise the steps over the axis first."""
    if not down.requests:
        return 0.0
    trial = plot.Rows.for_area(*area, with_shadows, lane=True, below=10.0, **sizes)
    room = trial.labels[1] - trial.labels[0] + 10.0  # both sides together
    height = line_height(ctx.min_size)
    need_up = up.levels_needed(up.numbered(up.area(scale, (0.0, room)))) * height
    need_down = down.levels_needed(down.numbered(down.area(scale, (0.0, room)))) * height
    if need_up + need_down <= room:
        spare = room - need_up - need_down
        share = need_down / (need_up + need_down) if need_up + need_down else 0.5
        return need_down + spare * share
    least = min(need_down, LEAST_UNDER * height)
    return max(room - max(min(need_up, room - least), 0.0), least)


def _requests(
    ctx: Ctx,
    events: tuple[Event, ...],
    scale: TimeScale,
    series: tuple[Series, ...],
    up: bool,
    numbered: bool,
    moved: frozenset[int] = frozenset(),
) -> list[LabelRequest]:
    """One request per event on this side (``numbered`` prefixes the numbers), a series
    standing for its events."""
    in_series = {i: s for s in series for i in s.members}
    requests = []
    for i, event in enumerate(events):
        if (above(event) and i not in moved) != up:
            continue
        found = in_series.get(i)
        if found is not None:
            if found.members[0] == i:
                text = ctx.plain(found.label(events))
                requests.append(
                    LabelRequest(i, scale.clamp(event.day), text, members=found.members)
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

    def measure(text: str, size: float) -> float:
        return ctx.measure(text, size, "label")

    lane = number_lane(failed, scale.x0, scale.x1, ctx.min_size, measure)
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
