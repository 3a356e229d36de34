"""The one-page child timeline: composes frame, plot, labels and side panel.

``build_child_pages`` is pure: it takes the record, its facts, the theme and
the options, and returns display lists. Page 1 is the picture; when not every
label fits, the numbered chronology follows on the next page(s).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from timelines.analyse.facts import Facts
from timelines.layout import plot, waits
from timelines.layout.drift_facts import drift_facts
from timelines.layout.frame import FrameText, add_frame
from timelines.layout.labels import LabelArea, LabelPlan, LabelRequest, place_labels
from timelines.layout.milestone_track import (
    Track,
    plan_track,
    target_lines,
    track_height,
    track_items,
)
from timelines.layout.panel import Column, fact_lines, heading, legend, text_lines
from timelines.layout.primitives import Bookmark, Line, Marker, Page, Text
from timelines.layout.scale import TimeScale
from timelines.layout.shadows import Shadow
from timelines.layout.style import INK, Ctx
from timelines.layout.table import chronology_pages
from timelines.layout.window import window_items
from timelines.model.dates import plain_duration, plain_months
from timelines.model.options import RenderOptions
from timelines.model.records import ChildRecord, Event, Placement

PANEL_SHARE = 0.233  # of the page width: 196 pt on A4 landscape, wider on A3
LABEL_SHARE = 0.226  # longest label on page 1, of the page width: 190 pt on A4 landscape
KEPT_WORDS = 14  # characters of its words a key event's label keeps when cut short
NEARLY = 0.1  # numbered plans that leave out this share of events or less may do without


@dataclass(frozen=True)
class ChildLayout:
    pages: list[Page]
    plan: LabelPlan
    scale: TimeScale
    rows: plot.Rows


def build_child_pages(
    record: ChildRecord,
    facts: Facts,
    ctx: Ctx,
    options: RenderOptions,
    shadows: tuple[Shadow, ...],
    span: tuple[date, date],
    frame: FrameText,
) -> ChildLayout:
    """Lay out page 1 (and any chronology pages) for one child."""
    page = Page(ctx.width, ctx.height)
    page.add(Bookmark(frame.title, record.child_id))
    top = add_frame(page, ctx, frame, 1, 1)
    panel_width = PANEL_SHARE * ctx.width
    panel_x = ctx.width - ctx.margin - panel_width
    with_shadows = bool(shadows)
    scale = TimeScale(span[0], span[1], ctx.margin + 4, panel_x - 18)
    drift = facts.drift
    targets = drift.targets if drift else ()
    track_plan = plan_track(ctx, scale, targets)
    track = Track(ctx.margin + 6, track_height(ctx, track_plan))
    bottom = track.bottom + track.height
    rows, plan = _labels(ctx, record.events, scale, (bottom, top - 4), with_shadows)
    if drift is not None:
        page.add(*waits.wait_bands(scale, rows, drift.waits))
    _events(page, ctx, record.events, scale, rows, plan)
    page.add(*plot.axis_items(ctx, scale, rows))
    page.add(*plot.birthday_items(ctx, scale, rows, record.child.date_of_birth))
    page.add(*plot.shadow_items(scale, rows, record.child.date_of_birth, shadows))
    birth = record.child.date_of_birth  # for the axis; the one to show is the facts'
    breaks, born = window_items(ctx, scale, rows, birth, facts.date_of_birth)
    page.add(*breaks, *([born] if born else []))
    if drift is None:
        page.add(*plot.gap_items(ctx, scale, rows, facts.gaps, _threshold(ctx, options)))
    else:
        page.add(*waits.wait_labels(ctx, scale, rows, drift.waits, born))
        page.add(*track_items(ctx, scale, track, track_plan))
    page.add(*plot.band_items(ctx, scale, rows, record.placements, span[1]))
    _panel(page, ctx, record, facts, Column(panel_x, panel_width, top - 2, ctx.margin + 8), options)
    pages = [page]
    if not plan.complete or _cut(plan, record.events, ctx):
        pages += chronology_pages(ctx, record.events, frame)
    _renumber(pages, ctx, frame)
    return ChildLayout(pages, plan, scale, rows)


def _threshold(ctx: Ctx, options: RenderOptions) -> int:
    return ctx.theme.gap_threshold_days(options.gap_threshold_months)


def event_text(event: Event, ctx: Ctx) -> str:
    """A label as drawn: the date (showing its uncertainty) and the glossary-rewritten words."""
    return f"{event.when.label()}  {ctx.plain(event.label)}"


def _labels(
    ctx: Ctx,
    events: tuple[Event, ...],
    scale: TimeScale,
    area: tuple[float, float],
    with_shadows: bool,
) -> tuple[plot.Rows, LabelPlan]:
    """The plot's rows and where the labels go: every label, as large as fits, or else
    the numbered plan (key events labelled, numbers for the rest in a lane).

    The numbered plan is made first: when it leaves more than a few events out, a plan
    with every label cannot exist (numbers only make labels longer by a few
    characters) and is not looked for.
    """
    year_size, number_size = ctx.size("label_size"), ctx.min_size
    lane = plot.Rows.for_area(*area, with_shadows, True, year_size, number_size)
    numbered = _plan(ctx, events, scale, lane, numbered=True)
    assert numbered is not None
    if len(numbered.numbered) <= NEARLY * len(events):
        rows = plot.Rows.for_area(*area, with_shadows, False, year_size, number_size)
        plan = _plan(ctx, events, scale, rows)
        if plan is not None:
            return rows, plan
    return lane, numbered


def _plan(
    ctx: Ctx, events: tuple[Event, ...], scale: TimeScale, rows: plot.Rows, numbered: bool = False
) -> LabelPlan | None:
    """Where each event's label goes (None: not all fit); ``numbered`` prefixes the numbers."""
    sizes = _sizes(ctx)
    area = LabelArea(scale.x0, scale.x1, rows.labels[0], rows.labels[1])
    requests = []
    for i, event in enumerate(events):
        text = event_text(event, ctx)
        if numbered:
            text = f"{i + 1}. {text}"
        text = ctx.fit(text, sizes[-1], LABEL_SHARE * ctx.width, "label")
        head = text.find("  ") + 2  # the number and date: kept whole, on the first line
        requests.append(
            LabelRequest(i, scale.clamp(event.day), text, event.key, head + KEPT_WORDS, head)
        )

    def measure(text: str, size: float) -> float:
        return ctx.measure(text, size, "label")

    if numbered:
        return place_labels(requests, area, sizes[-1:], measure)
    return place_labels(requests, area, sizes, measure, complete_only=True)


def _events(
    page: Page,
    ctx: Ctx,
    events: tuple[Event, ...],
    scale: TimeScale,
    rows: plot.Rows,
    plan: LabelPlan,
) -> None:
    """Markers, uncertainty brackets, stems, labels and numbers for every event."""
    for event in events:
        if event.when.uncertain:
            colour = ctx.theme.category(event.category).colour
            page.add(*plot.uncertain_span(scale, rows, event.when.start, event.when.end, colour))
    _stems(page, plan, rows)
    for event in events:
        style = ctx.theme.category(event.category)
        x = scale.clamp(event.day)
        page.add(Marker(x, rows.axis, style.marker, 6.0, style.colour, event.when.uncertain))
    for label in plan.labels:
        baseline = label.box.y + 0.22 * label.size
        page.add(ctx.text(label.box.x, baseline, label.text, label.size, "label", role="label"))
    for mark in plan.numbers:
        if mark.x_max - mark.x_min > 0.5:
            y = rows.axis - 4.5
            page.add(Line(mark.x_min, y, mark.x_max, y, INK, 0.5))
        page.add(
            ctx.text(
                mark.centre,
                rows.numbers,
                mark.text,
                ctx.min_size,
                "label",
                align="centre",
                role="number",
            )
        )


def _sizes(ctx: Ctx) -> list[float]:
    big, small = ctx.size("label_size"), ctx.min_size
    return [big, (big + small) / 2, small] if big > small else [small]


def _stems(page: Page, plan: LabelPlan, rows: plot.Rows) -> None:
    tops: dict[float, float] = {}
    for label in plan.labels:
        tops[label.x] = max(tops.get(label.x, 0.0), label.box.top)
    for x, top in tops.items():
        page.add(Line(x, rows.axis + 3, x, top, "#7A7A7A", 0.4))


def _cut(plan: LabelPlan, events: tuple[Event, ...], ctx: Ctx) -> bool:
    """True when any drawn label is shortened, so the full text must follow in the table."""
    return any(label.text.endswith("…") for label in plan.labels)


def _panel(
    page: Page, ctx: Ctx, record: ChildRecord, facts: Facts, col: Column, options: RenderOptions
) -> None:
    """Key facts, targets, placements and key; in smaller text (not below the minimum)
    when crowded. The list of targets comes only when there is room for it, and at the
    smallest size the main target's line goes if need be (the milestone track shows both)."""
    listed = facts.drift is not None and bool(facts.drift.targets)
    waiting = drift_facts(facts)  # once: every trial shows the same facts
    size, sized = ctx.size("facts_size"), ctx
    unbounded = replace(col, bottom=-1e9)
    trims = (1,) if listed else (0,)
    while True:
        for trim in trims:
            trial = Page(ctx.width, ctx.height)
            end = _panel_items(trial, sized, record, facts, unbounded, options, trim, waiting)
            if end.y < col.bottom:
                continue
            # it fits: nothing was left out, so the trial is the panel (with the list of
            # targets too when there is room for it)
            if trim == 1 and end.y - _targets_height(sized, facts, col) >= col.bottom:
                trial = Page(ctx.width, ctx.height)
                _panel_items(trial, sized, record, facts, unbounded, options, 0, waiting)
            page.add(*trial.items)
            return
        if size <= ctx.min_size:
            if trims == (1,):
                trims = (2,)  # the last try: without the main target's line
                continue
            break
        size = max(size - 0.5, ctx.min_size)
        text = {**ctx.theme.settings["text"], "facts_size": size}
        theme = replace(ctx.theme, settings={**ctx.theme.settings, "text": text})
        sized = replace(ctx, theme=theme)
    _panel_items(page, sized, record, facts, col, options, trims[-1], waiting)


def _targets_height(ctx: Ctx, facts: Facts, col: Column) -> float:
    """How much room the list of targets takes in the panel."""
    assert facts.drift is not None
    scratch = Page(ctx.width, ctx.height)
    top = replace(col, y=0.0, bottom=-1e9)
    end = text_lines(
        scratch,
        ctx,
        heading(scratch, ctx, top, "Targets"),
        target_lines(facts.drift.targets),
        "target",
    )
    return -end.y


def _panel_items(
    page: Page,
    ctx: Ctx,
    record: ChildRecord,
    facts: Facts,
    col: Column,
    options: RenderOptions,
    trim: int = 0,
    waiting: tuple[dict[str, str], dict[str, str]] | None = None,
) -> Column:
    col = heading(page, ctx, col, "Key facts")
    waiting = waiting or drift_facts(facts)
    lines = key_facts(record, facts, ctx, options, waiting)
    if trim >= 2:
        lines = [line for line in lines if line[0] != waiting[1].get("main_target", "")]
    col = fact_lines(page, ctx, col, lines)
    if trim == 0 and facts.drift is not None and facts.drift.targets:
        col = heading(page, ctx, col, "Targets")
        col = text_lines(page, ctx, col, target_lines(facts.drift.targets), "target")
    if record.placements:
        col = heading(page, ctx, col, "Placements")
        col = text_lines(page, ctx, col, _placement_lines(record.placements, ctx), "placement")
    col = heading(page, ctx, col, "Key")
    kinds = _in_template_order({p.placement_type for p in record.placements}, ctx, "placements")
    cats = _in_template_order({e.category for e in record.events}, ctx, "categories")
    extras = [("uncertain", "Hollow marker and bracket: date not exact")]
    if facts.drift is None:
        extras.append(("gap", f"Wait longer than {plain_duration(_threshold(ctx, options))}"))
    else:
        extras += waits.legend_extras(facts.drift)
    extras.append(("move", "Move to a new placement"))
    return legend(
        page,
        ctx,
        col,
        [ctx.theme.placement(k) for k in kinds],
        [ctx.theme.category(c) for c in cats],
        extras,
    )


def _in_template_order(codes: set[str], ctx: Ctx, table: str) -> list[str]:
    order = list(ctx.theme.settings[table])
    return sorted(
        codes, key=lambda code: (order.index(code) if code in order else len(order), code)
    )


def key_facts(
    record: ChildRecord,
    facts: Facts,
    ctx: Ctx,
    options: RenderOptions,
    drift: tuple[dict[str, str], dict[str, str]] | None = None,
) -> list[tuple[str, str]]:
    """The key facts the template asks for, as (label, value) pairs (``drift``: the
    waiting facts' values and labels, when already worked out)."""
    wanted = ctx.theme.get("show", "key_facts")
    values = _fact_values(record, facts, ctx, options)
    waiting, labels = drift or drift_facts(facts)
    values.update(waiting)
    return [
        (labels.get(name, label), values[name])
        for name, label in FACT_LABELS.items()
        if name in wanted and values.get(name)
    ]


FACT_LABELS = {
    "name": "Name",
    "date_of_birth": "Date of birth",
    "age": "Age",
    "first_looked_after": "First looked after",
    "time_looked_after": "Time looked after",
    "placements": "Placements",
    "moves": "Moves",
    "longest_gap": "Longest wait",
    "since_last_decision": "Since last decision",
    "main_target": "Main target",
    "current_placement": "Current placement",
}


def _fact_values(
    record: ChildRecord, facts: Facts, ctx: Ctx, options: RenderOptions
) -> dict[str, str]:
    values = {"name": record.child.name or record.child_id}
    if facts.date_of_birth:
        values["date_of_birth"] = f"{facts.date_of_birth:%d/%m/%Y}"
    if facts.age_months is not None:
        values["age"] = f"{plain_months(facts.age_months)} on {facts.as_of:%d/%m/%Y}"
    values["first_looked_after"] = (
        f"{facts.first_looked_after:%d/%m/%Y}" if facts.first_looked_after else "not looked after"
    )
    values["time_looked_after"] = (
        plain_duration(facts.days_looked_after) if facts.days_looked_after else "none"
    )
    values["placements"] = str(facts.placements)
    values["moves"] = str(facts.moves)
    if facts.longest_gap:
        gap = facts.longest_gap
        values["longest_gap"] = (
            f"{plain_duration(gap.days)} ({gap.start:%d/%m/%Y} to {gap.end:%d/%m/%Y})"
        )
    if facts.last_decision and facts.days_since_last_decision is not None:
        what = facts.last_decision.label
        since = plain_duration(facts.days_since_last_decision)
        values["since_last_decision"] = f"{since} ({what}, {facts.last_decision.when.label()})"
    current = facts.current_placement
    if current:
        kind = ctx.theme.placement(current.placement_type).label
        who = f", {current.caption()}" if current.caption() else ""
        values["current_placement"] = f"{kind}{who} since {current.start:%d/%m/%Y}"
    else:
        values["current_placement"] = "none recorded"
    return values


def _placement_lines(placements: tuple[Placement, ...], ctx: Ctx) -> list[str]:
    lines = []
    for number, p in enumerate(placements, start=1):
        kind = ctx.theme.placement(p.placement_type).label
        end = f"{p.end:%d/%m/%Y}" if p.end else "now"
        who = f", {p.caption()}" if p.caption() else ""
        lines.append(f"P{number} {kind}{who}: {p.start:%d/%m/%Y} to {end}")
    return lines


def _renumber(pages: list[Page], ctx: Ctx, frame: FrameText) -> None:
    """Fix 'page N of M' in every footer once the page count is known."""
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        for i, item in enumerate(page.items):
            if isinstance(item, Text) and item.role == "footer" and " · page " in item.text:
                text = item.text.rsplit(" · page ", 1)[0] + f" · page {number} of {total}"
                page.items[i] = ctx.text(
                    item.x, item.y, text, item.size, item.font, item.colour, item.align, "footer"
                )


__all__ = ["ChildLayout", "build_child_pages", "key_facts", "INK"]
