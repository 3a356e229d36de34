"""The one-page child timeline: composes frame, plot, labels and side panel.

``build_child_pages`` is pure: it takes the record, its facts, the theme and
the options, and returns display lists. Page 1 is the picture; when not every
label fits, the numbered chronology follows on the next page(s).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import NamedTuple

from timelines.analyse.facts import Facts
from timelines.layout import plot, waits
from timelines.layout.drift_facts import drift_facts
from timelines.layout.event_labels import cut_short, event_items, event_text, plan_event_labels
from timelines.layout.frame import FrameText, add_frame
from timelines.layout.labels import LabelPlan
from timelines.layout.milestone_track import (
    Track,
    plan_track,
    target_lines,
    track_height,
    track_items,
)
from timelines.layout.panel import Column, fact_lines, heading, legend, text_lines
from timelines.layout.primitives import Bookmark, Page, Text
from timelines.layout.scale import TimeScale
from timelines.layout.shadows import Shadow
from timelines.layout.style import INK, Ctx
from timelines.layout.table import chronology_pages
from timelines.layout.window import lead_width, window_items
from timelines.model.dates import plain_duration, plain_months
from timelines.model.options import RenderOptions
from timelines.model.records import ChildRecord, Event, Placement
from timelines.prepare.template import Style

PANEL_SHARE = 0.233  # of the page width: 196 pt on A4 landscape, wider on A3


@dataclass(frozen=True)
class ChildLayout:
    pages: list[Page]
    plan: LabelPlan
    scale: TimeScale
    rows: plot.Rows
    events: tuple[Event, ...] = ()  # the events on the axis: the plan's indexes are theirs


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
    x0, x1, born = ctx.margin + 4, panel_x - 18, record.child.date_of_birth
    lead = lead_width(ctx, x1 - x0, born, span[0], facts.date_of_birth)
    scale = TimeScale.with_lead(span[0], span[1], x0, x1, born, lead)
    drift = facts.drift
    targets = drift.targets if drift else ()
    track_plan = plan_track(ctx, scale, targets)
    track = Track(ctx.margin + 6, track_height(ctx, track_plan))
    bottom = track.bottom + track.height
    everything = record.events
    record = _without_birth(record, scale)
    found = plan_event_labels(ctx, record.events, scale, (bottom, top - 4), with_shadows)
    rows, plan = found.rows, found.plan
    if drift is not None:
        page.add(*waits.wait_bands(scale, rows, drift.waits))
    page.add(*event_items(ctx, record.events, scale, found))
    page.add(*plot.axis_items(ctx, scale, rows))
    page.add(*plot.birthday_items(ctx, scale, rows, record.child.date_of_birth))
    page.add(*plot.shadow_items(scale, rows, record.child.date_of_birth, shadows))
    birth = record.child.date_of_birth  # for the axis; the one to show is the facts'
    breaks, said = window_items(ctx, scale, rows, birth, facts.date_of_birth)
    page.add(*breaks, *([said] if said else []))
    if drift is None:
        page.add(*plot.gap_items(ctx, scale, rows, facts.gaps, _threshold(ctx, options)))
    else:
        page.add(*waits.wait_labels(ctx, scale, rows, drift.waits, said))
        page.add(*track_items(ctx, scale, track, track_plan))
    page.add(*plot.band_items(ctx, scale, rows, record.placements, span[1]))
    shown = _shown(record, facts, found.series, span, _threshold(ctx, options))
    col = Column(panel_x, panel_width, top - 2, ctx.margin + 8)
    _panel(page, ctx, record, facts, col, options, shown)
    pages = [page]
    if not plan.complete or found.series or cut_short(plan):
        kept = {id(e) for e in record.events}
        in_lead = tuple(e for e in everything if id(e) not in kept)
        pages += chronology_pages(ctx, record.events, frame, in_lead)
    _renumber(pages, ctx, frame)
    return ChildLayout(pages, plan, scale, rows, record.events)


def _without_birth(record: ChildRecord, scale: TimeScale) -> ChildRecord:
    """With a compressed lead, the record without its birth events: the lead shows the
    birth where it was, instead of a marker piled at the window's start (the chronology
    table lists it without a number, so its numbers stay those of the plot)."""
    if scale.born is None:
        return record
    events = tuple(e for e in record.events if e.category != "birth" or e.day >= scale.start)
    return replace(record, events=events)


def _threshold(ctx: Ctx, options: RenderOptions) -> int:
    return ctx.theme.gap_threshold_days(options.gap_threshold_months)


def _shown(
    record: ChildRecord, facts: Facts, series: tuple, span: tuple[date, date], threshold: int
) -> frozenset[str]:
    """The symbols drawn on the page that the key explains (and only those)."""
    born = record.child.date_of_birth
    found = {
        "uncertain": any(e.when.uncertain for e in record.events),
        "gap": any(gap.days >= threshold for gap in facts.gaps),
        "move": len(record.placements) > 1,
        "birthday": born is not None and (span[1] - born).days >= 365,
        "series": bool(series),
    }
    return frozenset(name for name, there in found.items() if there)


class _PanelText(NamedTuple):
    """What the panel says, worked out once for every size tried."""

    facts: list[tuple[str, str]]  # key facts, (label, value)
    main_target: str  # the main target's label, left out at the last try
    targets: list[str]  # the list of targets (none without drift rules)
    placements: list[str]
    placement_styles: list[Style]  # the key's swatches and markers
    category_styles: list[Style]
    extras: list[tuple[str, str]]  # the key's other symbols and their words


def _panel(
    page: Page,
    ctx: Ctx,
    record: ChildRecord,
    facts: Facts,
    col: Column,
    options: RenderOptions,
    shown: frozenset[str] = frozenset(),
) -> None:
    """Key facts, targets, placements and key; in smaller text (not below the minimum)
    when crowded. The list of targets comes only when there is room for it, and at the
    smallest size the main target's line goes if need be (the milestone track shows both)."""
    said = _panel_text(ctx, record, facts, options, shown)
    size, sized = ctx.size("facts_size"), ctx
    unbounded = replace(col, bottom=-1e9)
    trims = (1,) if said.targets else (0,)
    while True:
        for trim in trims:
            trial = Page(ctx.width, ctx.height)
            end = _panel_items(trial, sized, unbounded, said, trim)
            if end.y < col.bottom:
                continue
            # it fits: nothing was left out, so the trial is the panel (with the list of
            # targets too when there is room for it)
            if trim == 1 and end.y - _targets_height(sized, said.targets, col) >= col.bottom:
                trial = Page(ctx.width, ctx.height)
                _panel_items(trial, sized, unbounded, said, 0)
            page.add(*trial.items)
            return
        if size <= ctx.min_size:
            if trims == (1,):
                trims = (2,)  # the last try: without the main target's line
                continue
            break
        size = max(size - 0.5, ctx.min_size)
        sized = ctx.resized("facts_size", size)
    _panel_items(page, sized, col, said, trims[-1])


def _targets_height(ctx: Ctx, targets: list[str], col: Column) -> float:
    """How much room the list of targets takes in the panel."""
    scratch = Page(ctx.width, ctx.height)
    top = replace(col, y=0.0, bottom=-1e9)
    end = text_lines(scratch, ctx, heading(scratch, ctx, top, "Targets"), targets, "target")
    return -end.y


def _panel_text(
    ctx: Ctx, record: ChildRecord, facts: Facts, options: RenderOptions, shown: frozenset[str]
) -> _PanelText:
    """The panel's words and symbols (``shown``: the symbols the page draws)."""
    waiting = drift_facts(facts)
    targets = target_lines(facts.drift.targets) if facts.drift is not None else []
    kinds = _in_template_order({p.placement_type for p in record.placements}, ctx, "placements")
    cats = _in_template_order({e.category for e in record.events}, ctx, "categories")
    extras = [("uncertain", "Hollow marker and bracket: date not exact")]
    if facts.drift is None:
        extras.append(("gap", f"Wait longer than {plain_duration(_threshold(ctx, options))}"))
    else:
        extras += waits.legend_extras(facts.drift)
    extras += [
        ("move", "Move to a new placement"),
        ("birthday", "Birthday: a tick under the band, the age below"),
        ("series", "Routine events summarised: a tick for each"),
    ]
    drawn = shown | {"wait", "open_wait", "target"}  # the waits' own lines say when they are
    return _PanelText(
        key_facts(record, facts, ctx, options, waiting),
        waiting[1].get("main_target", ""),
        targets,
        _placement_lines(record.placements, ctx),
        [ctx.theme.placement(k) for k in kinds],
        [ctx.theme.category(c) for c in cats],
        [(symbol, words) for symbol, words in extras if symbol in drawn],
    )


def _panel_items(page: Page, ctx: Ctx, col: Column, said: _PanelText, trim: int = 0) -> Column:
    """The panel laid out in ``ctx``'s sizes; ``trim`` 1: without the list of targets, 2:
    without the main target's line too."""
    col = heading(page, ctx, col, "Key facts")
    lines = said.facts
    if trim >= 2:
        lines = [line for line in lines if line[0] != said.main_target]
    col = fact_lines(page, ctx, col, lines)
    if trim == 0 and said.targets:
        col = heading(page, ctx, col, "Targets")
        col = text_lines(page, ctx, col, said.targets, "target")
    if said.placements:
        col = heading(page, ctx, col, "Placements")
        col = text_lines(page, ctx, col, said.placements, "placement")
    col = heading(page, ctx, col, "Key")
    return legend(page, ctx, col, said.placement_styles, said.category_styles, said.extras)


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


__all__ = ["ChildLayout", "build_child_pages", "event_text", "key_facts", "INK"]
