"""One child's timeline: from the child's record to PDF bytes, and on to a file.

prepare (redaction) → analyse → layout → draw → export, wired once for the
``render`` command, the batch and library callers; no logic of its own beyond
choosing dates and words for the frame.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from timelines.analyse.drift import DriftRules
from timelines.analyse.facts import Facts, analyse, axis_span
from timelines.analyse.milestones import Milestone, find_milestones
from timelines.analyse.waits import ENDING_CODES
from timelines.analyse.waits import story_end as ending
from timelines.layout.child_page import ChildLayout, build_child_pages
from timelines.layout.frame import FrameText
from timelines.layout.shadows import load_shadows
from timelines.layout.style import Ctx
from timelines.model.options import RenderOptions
from timelines.model.records import ChildRecord
from timelines.pdf.document import encrypt, pdf_keeping_first, write_atomic
from timelines.pdf.painter import Painted
from timelines.pdf.settings import building
from timelines.pipeline.frame import fingerprint, frame_text
from timelines.prepare.redact import redact_events, redact_record, redacting_theme
from timelines.prepare.template import Theme
from timelines.prepare.words import counted, initials


@dataclass(frozen=True)
class Rendered:
    """One rendered child: the PDF bytes and what went into them."""

    pdf: bytes
    layout: ChildLayout
    facts: Facts
    record: ChildRecord
    first_page: Painted | None = None  # page 1 as painted into ``pdf``, to reuse (booklet)


def story_end(
    record: ChildRecord,
    theme: Theme,
    options: RenderOptions,
    today: date,
    milestones: tuple[Milestone, ...] = (),
) -> date:
    """The last day shown: the option, else today or the last event (template); a story
    that ended (left care, died) ends with its last event."""
    ends = [e.when.end for e in record.events] + [p.end or today for p in record.placements]
    if options.as_of:
        end = options.as_of
    elif theme.get("axis", "end") == "today":
        end = today
    else:
        end = max(ends, default=today)
    ended = ending([m for m in milestones if m.when.middle <= end])
    if ended is not None and ended.code in ENDING_CODES:
        end = min(end, max([ended.when.end, *ends]))
    return end


def window_start(options: RenderOptions, theme: Theme) -> date | bool:
    """The axis's first day when chosen (``--from DATE``); True: from birth; False: the
    first event (the template's ``[axis] start``)."""
    chosen = options.window_from
    if isinstance(chosen, date):
        return chosen
    return (chosen or theme.get("axis", "start")) == "birth"


def layout_child(
    record: ChildRecord, theme: Theme, options: RenderOptions, today: date | None = None
) -> Rendered:
    """Analyse and lay out one child (no drawing); ``pdf`` is empty."""
    with building():  # fewer garbage collections while the page is made
        return _layout_child(record, theme, options, today)


def _layout_child(
    record: ChildRecord, theme: Theme, options: RenderOptions, today: date | None
) -> Rendered:
    today = today or date.today()
    drawn = redact_events(record)
    if options.redact:
        theme = redacting_theme(theme, record, options.redact_names)
        shared = redact_record(record, options.redact_names)
        # The date of birth places the ages and shadows; it is never written on the page.
        drawn = replace(
            shared, child=replace(shared.child, date_of_birth=record.child.date_of_birth)
        )
    ctx = Ctx.for_theme(theme, options.page_size)
    facts, end = _analysed(drawn, theme, options, today)
    start = window_start(options, theme)
    span = axis_span(drawn, end, start is True)
    if isinstance(start, date) and start < span[1]:
        span = (start, span[1])
    show = theme.get("show", "shadows") if options.show_shadows is None else options.show_shadows
    shadows = load_shadows(options.shadows_folder, record.child.sex) if show else ()
    frame = _frame(drawn, theme, options, end, fingerprint(record))
    placed = _birth_month(drawn) if options.redact else drawn
    layout = build_child_pages(placed, facts, ctx, options, shadows, span, frame)
    if options.redact:
        return Rendered(b"", layout, replace(facts, date_of_birth=None), shared)
    return Rendered(b"", layout, facts, drawn)


def _birth_month(record: ChildRecord) -> ChildRecord:
    """The record with its date of birth moved to the first of its month: when
    redacted, the ages, shadows and compressed lead it places say no more than the
    month of birth."""
    born = record.child.date_of_birth
    if born is None:
        return record
    return replace(record, child=replace(record.child, date_of_birth=born.replace(day=1)))


def child_facts(
    record: ChildRecord, theme: Theme, options: RenderOptions, today: date | None = None
) -> Facts:
    """The child's key facts as ``layout_child`` finds them, without laying out a page."""
    if options.redact:
        return layout_child(record, theme, options, today).facts
    return _analysed(redact_events(record), theme, options, today or date.today())[0]


def _analysed(
    drawn: ChildRecord, theme: Theme, options: RenderOptions, today: date
) -> tuple[Facts, date]:
    """The child's key facts, waits and targets, and the last day shown."""
    milestones = find_milestones(drawn)
    end = story_end(drawn, theme, options, today, milestones)
    rules = DriftRules.from_settings(theme.settings, options.gap_threshold_months)
    return analyse(drawn, end, rules, milestones), end


def render_child(
    record: ChildRecord, theme: Theme, options: RenderOptions, today: date | None = None
) -> Rendered:
    """Lay out and draw one child's timeline as PDF bytes."""
    with building():
        done = layout_child(record, theme, options, today)
        ctx = Ctx.for_theme(theme, options.page_size)
        title = ctx.plain(_title(done.record, theme, options))
        about = (title, options.prepared_by, "Child's timeline")
        pdf, first = pdf_keeping_first(done.layout.pages, ctx.font_names, about)
    return Rendered(pdf, done.layout, done.facts, done.record, first)


def write_child_pdf(
    record: ChildRecord,
    theme: Theme,
    options: RenderOptions,
    out: Path,
    password: str | None = None,
    today: date | None = None,
) -> Rendered:
    """Render one child and write the PDF atomically (encrypted when a password is given)."""
    done = render_child(record, theme, options, today)
    data = encrypt(done.pdf, password) if password else done.pdf
    write_atomic(out, data)
    return done


def _title(record: ChildRecord, theme: Theme, options: RenderOptions) -> str:
    if options.title:
        return options.title
    name = record.child.name or f"child {record.child_id}"
    if options.redact:
        return theme.get("words", "redacted_title").format(
            initials=initials(name), name=initials(name)
        )
    return theme.get("words", "title").format(name=name, initials=initials(name))


def _frame(
    record: ChildRecord, theme: Theme, options: RenderOptions, end: date, fp: str
) -> FrameText:
    parts = []
    if record.child.date_of_birth and not options.redact:
        parts.append(f"Born {record.child.date_of_birth:%d/%m/%Y}")
    parts.append(f"timeline to {end:%d/%m/%Y}")
    parts.append(
        f"{counted(len(record.events), 'event')}, {counted(len(record.placements), 'placement')}"
    )
    subtitle = " · ".join(parts)
    subtitle = subtitle[:1].upper() + subtitle[1:]
    return frame_text(theme, options, _title(record, theme, options), subtitle, fp)


__all__ = [
    "Rendered",
    "child_facts",
    "layout_child",
    "render_child",
    "write_child_pdf",
]
