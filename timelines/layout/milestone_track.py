"""The milestone track: a strip along the foot of the plot showing each target.

Each target is drawn at its due day: a hollow diamond. Met on time: a filled dot at the
day it was met. Met late: a thick line from the due day to the day it was met, and
"6-month review: 7 months late". Still open and overdue: a dashed thick line from the
due day to the as-of day, ending in an arrow, and "… due 03/08/2020: not yet". Not
due yet: "… due 03/08/2027". Each target takes the first of a few lanes with room
for its marks, and a label when one fits (the target's name dropped when only the
status fits); every target is listed in the side panel as well, so nothing is lost
when a label cannot be placed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from timelines.analyse.targets import TargetResult, describe
from timelines.layout.primitives import Align, Line, Marker, Text
from timelines.layout.scale import TimeScale
from timelines.layout.style import INK, MUTED, RULE, Ctx

LANES = 4
MARK_DROP = 0.42  # of the text size: the marks' line runs under the labels' baseline
LATE = "#8C1D18"
MET = "#2E6B30"


@dataclass(frozen=True)
class Track:
    """Where the track sits: from ``bottom`` up ``height`` points."""

    bottom: float
    height: float


TrackPlan = list[tuple[TargetResult, int, "Text | None"]]


def plan_track(ctx: Ctx, scale: TimeScale, results: Sequence[TargetResult]) -> TrackPlan:
    """Each target's lane and label (at baseline 0), the main target first, then the
    open and overdue, then the latest; those whose marks find no lane are left to the
    side panel's list."""
    return _assign(ctx, scale, results) if results else []


def track_height(ctx: Ctx, plan: TrackPlan) -> float:
    """The height the track needs: a lane for each row of targets (none: no track)."""
    if not plan:
        return 0.0
    lanes = 1 + max(lane for _, lane, _ in plan)
    return lanes * _lane(ctx) + ctx.min_size + 5


def _lane(ctx: Ctx) -> float:
    return ctx.min_size * 1.75


def target_text(result: TargetResult) -> str:
    """'6-month review: 7 months late', '72-hour review: met'."""
    return f"{result.rule.label}: {describe(result)}"


def target_lines(results: Sequence[TargetResult]) -> list[str]:
    """Every target for the side panel: '6-month review: 1 day late (20/08/2021)'."""
    lines = []
    for result in sorted(results, key=lambda r: (r.due, r.rule.key)):
        when = f" ({result.met.label()})" if result.met is not None else ""
        lines.append(f"{target_text(result)}{when}")
    return lines


def track_items(ctx: Ctx, scale: TimeScale, track: Track, plan: TrackPlan) -> list:
    """The track's heading and rule, and each target's marks and label in its lane."""
    if not plan:
        return []
    size = ctx.min_size
    top = track.bottom + track.height
    rule_y = top - size - 3
    heading = ctx.text(scale.x0, top - size, "Targets", size, "bold", MUTED, role="track")
    items: list = [Line(scale.x0, rule_y, scale.x1, rule_y, RULE, 0.3)]
    texts: list[Text] = [heading]
    for result, lane, label in plan:
        y = rule_y - (lane + 1) * _lane(ctx) + (MARK_DROP + 0.45) * size
        if label is not None:
            texts.append(label._replace(y=y))
        items += _mark_items(scale, result, y - MARK_DROP * size)
    return items + texts


def _assign(ctx: Ctx, scale: TimeScale, results: Sequence[TargetResult]) -> TrackPlan:
    """Each target in the first lane with room for its marks (and a label, if one fits:
    full, else the status alone)."""
    taken: list[list[tuple[float, float]]] = [[] for _ in range(LANES)]
    placed = []
    used = 0
    for result in sorted(results, key=_priority):
        spans = _marks(scale, result)
        lane, label = _fit(ctx, scale, result, spans, taken, used)
        if lane is not None:
            placed.append((result, lane, label))
            used = max(used, lane + 1)
    return placed


_SEVERITY = {"overdue": 0, "late": 1, "missed": 2, "unrecorded": 3, "open": 4, "met": 5}


def _priority(result: TargetResult) -> tuple:
    """Placing order: the main target, then the open and overdue, then the latest."""
    late = result.days_late or 0
    return (not result.rule.main, _SEVERITY[result.status], -late, result.due, result.rule.key)


def _fit(
    ctx: Ctx,
    scale: TimeScale,
    result: TargetResult,
    spans: tuple[float, float],
    taken: list[list[tuple[float, float]]],
    used: int,
) -> tuple[int | None, Text | None]:
    """A lane already in use with room for the marks and a label (full, then the status
    alone), else a new lane, else any lane with room for the marks alone."""
    free = [lane for lane in range(LANES) if not _clash(spans[0], spans[1], taken[lane])]
    status = describe(result)
    full = f"{result.rule.label}: {status}"
    for texts in ((full,), (status,)):
        for lane in (lane for lane in free if lane < used):
            label = _label(ctx, scale, result, spans, 0.0, taken[lane], texts)
            if label is not None:
                return lane, label
    for lane in free:
        label = _label(ctx, scale, result, spans, 0.0, taken[lane], (full, status))
        if label is None:
            taken[lane].append(spans)
        return lane, label
    return None, None


def _clash(left: float, right: float, taken: list[tuple[float, float]]) -> bool:
    return any(left < b + 3 and a < right + 3 for a, b in taken)


def _marks(scale: TimeScale, result: TargetResult) -> tuple[float, float]:
    due = scale.clamp(result.due)
    end = _end_x(scale, result)
    return max(min(due, end) - 3, scale.x0), min(max(due, end) + 3, scale.x1)


def _end_x(scale: TimeScale, result: TargetResult) -> float:
    if result.met is not None:
        return scale.clamp(result.met.middle)
    if result.closed is not None or result.ended is not None:
        return scale.clamp(result.closed or result.ended or result.due)
    if result.status == "overdue":
        return scale.clamp(result.as_of)
    return scale.clamp(result.due)


def _label(
    ctx: Ctx,
    scale: TimeScale,
    result: TargetResult,
    spans: tuple[float, float],
    y: float,
    taken: list[tuple[float, float]],
    texts: tuple[str, ...],
) -> Text | None:
    """The label over its marks when the line is long enough, else beside them (right,
    then left); full, else the status alone; only where the lane has room for it and
    its marks (the room is then taken)."""
    size = ctx.min_size
    bold = result.status in ("late", "overdue", "missed", "unrecorded")
    font = "bold" if bold else "regular"
    colour = INK if bold else MUTED
    for text in texts:
        width = ctx.measure(text, size, font)
        for x, align, left, right in _places(spans, width):
            if left < scale.x0 or right > scale.x1 or _clash(left, right, taken):
                continue
            taken.append((left, right))
            return ctx.text(x, y, text, size, font, colour, align=align, role="target")
    return None


def _places(spans: tuple[float, float], width: float) -> list[tuple[float, Align, float, float]]:
    """Where a label may go: (anchor x, align, room's left, room's right)."""
    places: list[tuple[float, Align, float, float]] = []
    if spans[0] + 8 + width < spans[1]:  # over a long line, after its due diamond
        places.append((spans[0] + 7, "left", spans[0], spans[1]))
    places.append((spans[1] + 1, "left", spans[0], spans[1] + 1 + width))
    places.append((spans[0] - 1, "right", spans[0] - 1 - width, spans[1]))
    return places


def _mark_items(scale: TimeScale, result: TargetResult, y: float) -> list:
    due = scale.clamp(result.due)
    status = result.status
    items: list = []
    if status == "late":
        end = scale.clamp(result.met.middle) if result.met else due
        items.append(Line(due, y, end, y, LATE, 1.6))
        items.append(Marker(end, y, "circle", 4.5, LATE))
    elif status == "overdue":
        end = scale.clamp(result.as_of)
        items.append(Line(due, y, end, y, LATE, 1.6, (3.0, 1.5)))
        items.append(Marker(end - 2, y, "triangle_right", 5.0, LATE))
    elif status in ("missed", "unrecorded"):
        end = scale.clamp(result.closed or result.ended or result.due)
        items.append(Line(due, y, end, y, LATE, 1.0, (1.5, 1.5)))
        items.append(Marker(end, y, "cross", 4.5, LATE))
    elif status == "met" and result.met is not None:
        items.append(Marker(scale.clamp(result.met.middle), y, "circle", 4.0, MET))
    items.append(Marker(due, y, "diamond", 5.0, INK, hollow=True))
    return items
