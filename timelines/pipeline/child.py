"""One child's timeline: from the child's record to PDF bytes.

prepare (redaction) → analyse → layout → draw, wired once for the ``render``
command, the web page, the batch and library callers (who write the bytes with
``export.files``); no logic of its own beyond choosing dates and words for the frame.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from timelines.analyse.drift import DriftRules
from timelines.analyse.facts import Facts, analyse, axis_span
from timelines.analyse.milestones import Milestone, find_milestones
from timelines.analyse.waits import ENDING_CODES
from timelines.analyse.waits import story_end as ending
from timelines.layout.child_page import ChildLayout, build_child_pages
from timelines.layout.emphasis import marked_steps
from timelines.layout.frame import FrameText
from timelines.layout.shadows import load_shadows
from timelines.layout.style import Ctx
from timelines.model.options import RenderOptions
from timelines.model.records import ChildRecord
from timelines.pdf.document import encrypt, pdf_keeping_first
from timelines.pdf.painter import Painted
from timelines.pdf.settings import building
from timelines.pipeline.frame import fingerprint, frame_text
from timelines.prepare.redact import Shared, share
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
    record: ChildRecord,
    theme: Theme,
    options: RenderOptions,
    today: date | None = None,
    siblings: tuple[str, ...] = (),
) -> Rendered:
    """Analyse and lay out one child (no drawing); ``pdf`` is empty.

    ``siblings``: brothers' and sisters' names, hidden too when redacting.
    """
    with building():  # fewer garbage collections while the page is made
        return _layout_child(record, share(record, siblings, theme, options), today)


def _layout_child(record: ChildRecord, shared: Shared, today: date | None) -> Rendered:
    """Lay out what ``shared`` allows of ``record``: the axis uses ``shared.birth``."""
    today = today or date.today()
    theme, options, drawn = shared.theme, shared.options, shared.drawn()
    ctx = Ctx.for_theme(theme, options.page_size)
    rules = _drift_rules(shared)
    facts, end = _analysed(record, shared, today, rules)
    drawn = _steps_marked(drawn, rules, facts)
    start = window_start(options, theme)
    span = axis_span(drawn, end, start is True)
    if isinstance(start, date) and start < span[1]:
        span = (start, span[1])
    show = theme.get("show", "shadows") if options.show_shadows is None else options.show_shadows
    shadows = load_shadows(options.shadows_folder, record.child.sex) if show else ()
    frame = _frame(shared.record, theme, options, end, fingerprint(record))
    layout = build_child_pages(drawn, facts, ctx, options, shadows, span, frame)
    return Rendered(b"", layout, facts, shared.record)


def child_facts(
    record: ChildRecord,
    theme: Theme,
    options: RenderOptions,
    today: date | None = None,
    siblings: tuple[str, ...] = (),
) -> Facts:
    """The child's key facts as ``layout_child`` finds them, without laying out a page."""
    shared = share(record, siblings, theme, options)
    return _analysed(record, shared, today or date.today(), _drift_rules(shared))[0]


def _drift_rules(shared: Shared) -> DriftRules:
    """The template's steps, long waits and targets (the command line's threshold first)."""
    return DriftRules.from_settings(shared.theme.settings, shared.options.gap_threshold_months)


def _steps_marked(drawn: ChildRecord, rules: DriftRules, facts: Facts) -> ChildRecord:
    """``drawn`` with the steps the waits count drawn as steps (``layout/emphasis``)."""
    milestones = facts.drift.milestones if facts.drift is not None else ()
    return replace(drawn, events=marked_steps(drawn.events, rules.steps, milestones))


def _analysed(
    record: ChildRecord, shared: Shared, today: date, rules: DriftRules
) -> tuple[Facts, date]:
    """The child's key facts, waits and targets, and the last day shown: of what may be
    shown, with ages from the real birth (the page shows them to the month); the date of
    birth itself only when it may be shown."""
    theme, options, drawn = shared.theme, shared.options, shared.drawn()
    born = replace(drawn, child=replace(drawn.child, date_of_birth=record.child.date_of_birth))
    milestones = find_milestones(born)
    end = story_end(born, theme, options, today, milestones)
    facts = analyse(born, end, rules, milestones)
    return replace(facts, date_of_birth=shared.record.child.date_of_birth), end


def render_child(
    record: ChildRecord,
    theme: Theme,
    options: RenderOptions,
    today: date | None = None,
    siblings: tuple[str, ...] = (),
) -> Rendered:
    """Lay out and draw one child's timeline as PDF bytes."""
    shared = share(record, siblings, theme, options)
    with building():
        done = _layout_child(record, shared, today)
        ctx = Ctx.for_theme(shared.theme, options.page_size)
        title = ctx.plain(_title(done.record, shared.theme, shared.options))
        about = (title, shared.options.prepared_by, "Child's timeline")
        pdf, first = pdf_keeping_first(done.layout.pages, ctx.font_names, about)
    return Rendered(pdf, done.layout, done.facts, done.record, first)


def child_pdf(
    record: ChildRecord,
    theme: Theme,
    options: RenderOptions,
    password: str | None = None,
    today: date | None = None,
    siblings: tuple[str, ...] = (),
) -> Rendered:
    """One child's PDF as ``render`` writes it: ``render_child``, encrypted (AES-256)
    when a password is given."""
    done = render_child(record, theme, options, today, siblings)
    return replace(done, pdf=encrypt(done.pdf, password))


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
    if record.child.date_of_birth:  # None when redacting
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
    "child_pdf",
]
