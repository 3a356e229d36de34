"""The time plot: axis and ticks, birthdays and shadows, gaps, and the placement band."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from timelines.analyse.facts import Gap
from timelines.layout.primitives import Image, Line, Marker, Rect, Text
from timelines.layout.scale import TimeScale, month_ticks, year_ticks
from timelines.layout.shadows import Shadow, height_for_age, shadow_for_age
from timelines.layout.style import INK, MUTED, RULE, Ctx
from timelines.model.dates import add_years, age_in_years, plain_duration
from timelines.model.records import Placement

GAP_FILL = "#D0D0D0"


@dataclass(frozen=True)
class Rows:
    """Vertical positions of the plot's rows, from the bottom up."""

    shadows: tuple[float, float]
    ages: float
    band: tuple[float, float]
    gaps: float
    years: float
    axis: float
    labels: tuple[float, float]
    numbers: float = 0.0  # baseline of the lane of event numbers under the axis
    below: tuple[float, float] = (0.0, 0.0)  # labels under the axis (empty: none)

    @classmethod
    def for_area(
        cls,
        bottom: float,
        top: float,
        with_shadows: bool,
        lane: bool = False,
        year_size: float = 7.5,
        number_size: float = 6.5,
        below: float = 0.0,
    ) -> Rows:
        """Rows for a plot between ``bottom`` and ``top``; ``lane`` makes room for event
        numbers, ``below`` points for labels between the waits and the year labels. The
        year labels and the numbers are spaced for their text sizes."""
        height = top - bottom
        shadow_h = min(max(height * 0.16, 40.0), 110.0) if with_shadows else 0.0
        ages = bottom + 2  # the ages, under the feet of the shadows standing on them
        shadows = (ages + 7, ages + 7 + shadow_h)
        band = (shadows[1] + 8, shadows[1] + 8 + min(max(height * 0.045, 16.0), 28.0))
        gaps = band[1] + 5
        under = (gaps + 20, gaps + 20 + below) if below > 0 else (0.0, 0.0)
        years = under[1] + DESCENT * year_size + 3 if below > 0 else gaps + 22
        # Under the axis: the ticks, then (with a lane) the numbers, then the year labels.
        numbers_drop = TICK_DEPTH + 1 + CAP * number_size
        if lane:
            depth = numbers_drop + DESCENT * number_size + 1.5 + CAP * year_size
        else:
            depth = max(10.0, CAP * year_size + TICK_DEPTH - 0.7)
        axis = years + depth
        labels = (axis + 9, top)
        return cls(
            shadows,
            ages,
            band,
            gaps,
            years,
            axis,
            labels,
            axis - numbers_drop,
            under,
        )


TICK_DEPTH = 5.0  # year ticks reach this far under the axis
CAP, DESCENT = 0.76, 0.22  # of a text size: ink above and below the baseline (as Text.box)


def axis_items(ctx: Ctx, scale: TimeScale, rows: Rows) -> list:
    """The axis line, year ticks with labels, and month ticks."""
    size = ctx.size("label_size")
    y = rows.axis
    items: list = [Line(scale.x0, y, scale.x1, y, INK, 1.2)]
    per_month = scale.points_per_day * 30.4
    every = 1 if per_month >= 4 else 3 if per_month >= 1.5 else 0
    if every:
        for day in month_ticks(scale, every):
            x = scale.x(day)
            items.append(Line(x, y, x, y - 2.5, RULE, 0.4))
            if per_month >= 14 and day.month in (4, 7, 10):
                items.append(
                    ctx.text(
                        x,
                        rows.years,
                        day.strftime("%b"),
                        ctx.min_size,
                        colour=MUTED,
                        align="centre",
                    )
                )
    last_right = -1e9
    for day in year_ticks(scale):
        x = scale.x(day)
        items.append(Line(x, y + 3, x, y - 5, INK, 0.8))
        label = ctx.text(x, rows.years, str(day.year), size, "bold", align="centre", role="year")
        if label.box.x > last_right + 4 and scale.x0 <= label.box.x and label.box.right <= scale.x1:
            items.append(label)
            last_right = label.box.right
    return items


def birthday_items(ctx: Ctx, scale: TimeScale, rows: Rows, born: date | None) -> list:
    """A tick and the age under it, at every birthday on the axis (in the compressed
    lead, at every birthday of a step wide enough for the ages to be read, and the
    age at the window's start under its shadow, without a tick)."""
    if born is None:
        return []
    items: list = []
    size = ctx.min_size
    last_right = scale.left + ctx.measure("Age", size, "bold") + 2
    items.append(ctx.text(scale.left, rows.ages, "Age", size, "bold", colour=MUTED, role="age"))
    window = _window_birthdays(scale, born)
    start = _start_age(scale, born, window)
    for years, x in _lead_birthdays(scale) + start + window:
        if (years, x) not in start:  # the age at the window's start: not a birthday
            items.append(birthday_tick(x, rows))
        label = ctx.text(x, rows.ages, str(years), size, colour=MUTED, align="centre", role="age")
        if label.box.x > last_right + 3 and label.box.right <= scale.x1:
            items.append(label)
            last_right = label.box.right
    return items


def _start_age(
    scale: TimeScale, born: date, window: list[tuple[int, float]]
) -> list[tuple[int, float]]:
    """With a lead, (age, x) at the window's start, unless a birthday comes so soon
    after it that the two ages would read as one pair."""
    if scale.born is None or (window and window[0][1] - scale.x0 < START_AGE_CLEAR):
        return []
    return [(age_in_years(born, scale.start), scale.x0)]


START_AGE_CLEAR = 14.0  # points from the window's start to the first birthday, at the least


def _window_birthdays(scale: TimeScale, born: date) -> list[tuple[int, float]]:
    """(age, x) of every birthday inside the window."""
    found: list[tuple[int, float]] = []
    for years in range(0, 120):
        day = add_years(born, years)
        if day > scale.end:
            break
        if day >= scale.start:
            found.append((years, scale.x(day)))
    return found


def _lead_birthdays(scale: TimeScale) -> list[tuple[int, float]]:
    """(age, x) of the birthdays in the compressed lead, every 1, 2, 5 or 10 years
    (whichever leaves room for the ages), from birth (age 0) and younger than at the
    window's start."""
    if scale.born is None:
        return []
    born = scale.born
    aged = age_in_years(born, scale.start)
    per_year = (scale.lead_x1 - scale.lead_x0) / max((scale.start - born).days / 365.25, 1)
    step = next((s for s in (1, 2, 5, 10) if per_year * s >= LEAD_AGE_SPACING), 20)
    return [
        (years, scale.lead_x(add_years(born, years)))
        for years in range(0, aged, step)  # the age at the start stands at the start
    ]


LEAD_AGE_SPACING = 9.0  # points between two ages in the compressed lead, at the least


def birthday_tick(x: float, rows: Rows) -> Line:
    """A birthday: a tick on the age row, just under the placement band (clear of the
    event markers on the axis)."""
    return Line(x, rows.band[0] - 4.5, x, rows.band[0] - 0.5, MUTED, 1.0)


def shadow_items(
    scale: TimeScale, rows: Rows, born: date | None, shadows: tuple[Shadow, ...]
) -> list[Image]:
    """Silhouettes standing on the age row, as tall as a child of that age: at every
    birthday on the axis, or at every second (third...) one when they would overlap,
    so that no age is left out unevenly. With a compressed lead, one more stands at
    the window's start, as tall as the child was then (unless a birthday's is in its
    way)."""
    if born is None or not shadows or rows.shadows[1] <= rows.shadows[0]:
        return []
    birthdays = [b for b in _window_birthdays(scale, born) if b[0] <= 18]
    fixed = []
    if scale.born is not None and age_in_years(born, scale.start) <= 18:
        fixed = [(age_in_years(born, scale.start), scale.x0)]
    for step in range(1, 19):
        chosen = [b for b in birthdays if b[0] % step == 0]
        for trial in (fixed + chosen, chosen):  # a birthday's own shadow before the start's
            items = _standing(scale, rows, shadows, trial)
            if items is not None:
                return items
    return []


def _standing(
    scale: TimeScale, rows: Rows, shadows: tuple[Shadow, ...], birthdays: list[tuple[int, float]]
) -> list[Image] | None:
    """A shadow centred on each (age, x), or None when two would overlap."""
    bottom, top = rows.shadows
    tallest = top - bottom
    items: list[Image] = []
    last_right = -1e9
    for years, at in birthdays:
        shadow = shadow_for_age(shadows, years)
        h = tallest * height_for_age(years) / height_for_age(18)
        w = h * shadow.aspect
        x = min(max(at - w / 2, scale.left), scale.x1 - w)
        if x < last_right + 2:
            return None
        items.append(Image(str(shadow.path), x, bottom, w, h))
        last_right = x + w
    return items


def gap_items(
    ctx: Ctx, scale: TimeScale, rows: Rows, gaps: tuple[Gap, ...], threshold: int
) -> list:
    """Every interval between event days as a ruler; long waits as labelled bars."""
    y = rows.gaps
    items: list = [Line(scale.x0, y + 1.5, scale.x1, y + 1.5, RULE, 0.3)]
    labels: list[Text] = []
    for gap in gaps:
        x1, x2 = scale.x(gap.start), scale.x(gap.end)
        items.append(Line(x1, y, x1, y + 3, RULE, 0.3))
        if gap.days < threshold:
            continue
        items.append(Rect(x1, y, x2 - x1, 3.2, GAP_FILL, INK, "backdiagonal", 0.5))
        label = _gap_label(ctx, (x1 + x2) / 2, y + 5.5, gap.days, labels, scale)
        if label:
            labels.append(label)
    return items + labels


def _gap_label(
    ctx: Ctx, x: float, y: float, days: int, placed: list[Text], scale: TimeScale
) -> Text | None:
    size = ctx.min_size
    words = plain_duration(days)
    short = (
        words.replace(" years", "y")
        .replace(" year", "y")
        .replace(" months", "m")
        .replace(" month", "m")
    )
    for text in (words, short):
        for row in (0, 1):
            label = ctx.text(
                x, y + row * size * 1.1, text, size, "bold", align="centre", role="gap"
            )
            box = label.box
            clash = any(box.overlaps(p.box, 1.5) for p in placed)
            if not clash and scale.x0 <= box.x and box.right <= scale.x1:
                return label
    return None


def band_items(
    ctx: Ctx, scale: TimeScale, rows: Rows, placements: tuple[Placement, ...], end: date
) -> list:
    """One patterned segment per placement, numbered P1, P2…; a marker at every move."""
    bottom, top = rows.band
    items: list = [
        Rect(scale.x0, bottom, scale.x1 - scale.x0, top - bottom, "#FFFFFF", RULE, "none", 0.3)
    ]
    size = ctx.min_size + 0.5
    items += _empty_band(ctx, scale, rows, placements, end)
    lanes = _overlap_lanes(placements, end)
    for number, (placement, lane) in enumerate(zip(placements, lanes, strict=True), start=1):
        style = ctx.theme.placement(placement.placement_type)
        x1 = scale.clamp(placement.start)
        x2 = scale.clamp(placement.end_or(end))
        half = (top - bottom) / 2
        y, h = (bottom, top - bottom) if lane == 0 else (bottom, half)
        items.append(Rect(x1, y, max(x2 - x1, 0.8), h, style.colour, INK, style.pattern, 0.6))
        if number > 1:
            items.append(Marker(x1, top + 2.2, "triangle_down", 4.5, INK))
        tag = ctx.text(
            x1 + 2, y + h / 2 - size * 0.35, f"P{number}", size, "bold", role="placement"
        )
        if tag.box.right > x2 - 1:  # too narrow: the number stands under the band
            tag = ctx.text(
                (x1 + x2) / 2, bottom - size - 1.5, f"P{number}", ctx.min_size, "bold",
                align="centre", role="placement",
            )  # fmt: skip
            items.append(tag)
            continue
        items.append(
            Rect(tag.box.x - 1, tag.box.y - 0.5, tag.width + 2, tag.box.h + 1, "#FFFFFF", None)
        )
        items.append(tag)
        items += _carer(ctx, placement, tag, x2, size)
    return items


def _carer(ctx: Ctx, placement: Placement, tag: Text, x2: float, size: float) -> list:
    """The carer's name beside the P-number, inside the segment, when it fits whole."""
    words = ctx.plain(placement.caption())
    if not words:
        return []
    x = tag.box.right + 3
    text = ctx.text(x, tag.y, words, ctx.min_size, role="carer")
    if text.box.right > x2 - 2:
        return []
    box = text.box
    return [Rect(box.x - 1, box.y - 0.5, box.w + 2, box.h + 1, "#FFFFFF", None), text]


def _empty_band(
    ctx: Ctx, scale: TimeScale, rows: Rows, placements: tuple[Placement, ...], end: date
) -> list:
    """Words in the band where no placement is: before the first ("not looked after"),
    or all along it ("no placements recorded")."""
    bottom, top = rows.band
    y = (bottom + top) / 2 - ctx.min_size * 0.35
    if not placements:
        words = [(scale.x0, scale.x1, "no placements recorded")]
    else:
        first = scale.clamp(min(p.start for p in placements))
        words = [(scale.x0, first, "not looked after")]
    items: list = []
    size = ctx.min_size
    for x1, x2, text in words:
        lines = ctx.wrap(text, size, x2 - x1 - 4)
        if len(lines) > 2 or (top - bottom) < len(lines) * size * 1.1:
            continue
        if any(ctx.measure(line, size) > x2 - x1 - 4 for line in lines):
            continue
        for i, line in enumerate(lines):
            at = y + (len(lines) - 1 - 2 * i) * size * 0.55
            items.append(ctx.text((x1 + x2) / 2, at, line, size, colour=MUTED, align="centre",
                                  role="band"))  # fmt: skip
    return items


def _overlap_lanes(placements: tuple[Placement, ...], end: date) -> list[int]:
    """0 for the main placement, 1 for one that overlaps an earlier one (respite)."""
    lanes: list[int] = []
    latest_end: date | None = None
    for p in placements:
        overlapping = latest_end is not None and p.start < latest_end
        lanes.append(1 if overlapping else 0)
        stop = p.end_or(end)
        latest_end = stop if latest_end is None else max(latest_end, stop)
    return lanes


def uncertain_span(scale: TimeScale, rows: Rows, start: date, end: date, colour: str) -> list:
    """A bracket along the axis showing when an uncertain event could have happened."""
    x1, x2 = scale.clamp(start), scale.clamp(end)
    y = rows.axis + 4.5
    return [
        Line(x1, y, x2, y, colour, 1.0),
        Line(x1, y - 1.8, x1, y + 1.8, colour, 0.8),
        Line(x2, y - 1.8, x2, y + 1.8, colour, 0.8),
    ]
