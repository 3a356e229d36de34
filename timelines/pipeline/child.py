"""The library's front door: from a child's record to PDF bytes, and on to a file.

load → model → analyse → layout → draw → export: this module wires the steps
and holds no logic of its own beyond choosing dates and words for the frame.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from timelines import __version__
from timelines.analyse.facts import Facts, analyse, axis_span
from timelines.layout.child_page import ChildLayout, build_child_pages
from timelines.layout.frame import FrameText
from timelines.layout.shadows import load_shadows
from timelines.layout.style import Ctx
from timelines.model.options import RenderOptions
from timelines.model.records import ChildRecord
from timelines.pdf.document import encrypt, pdf_bytes, write_atomic
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


def fingerprint(record: ChildRecord) -> str:
    """A short hash of the child's data, printed in the footer to tie a page to its data."""
    parts = [
        repr(
            record.child[:4]
            if isinstance(record.child, tuple)
            else (record.child.child_id, record.child.name, record.child.date_of_birth)
        )
    ]
    parts += [repr((e.when, e.label, e.category, e.detail, e.key)) for e in record.events]
    parts += [repr((p.start, p.end, p.placement_type, p.caption())) for p in record.placements]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:10]


def story_end(record: ChildRecord, theme: Theme, options: RenderOptions, today: date) -> date:
    """The last day shown: the option, else today or the last event (template)."""
    if options.as_of:
        return options.as_of
    if theme.get("axis", "end") == "today":
        return today
    ends = [e.when.end for e in record.events] + [p.end or today for p in record.placements]
    return max(ends, default=today)


def layout_child(
    record: ChildRecord, theme: Theme, options: RenderOptions, today: date | None = None
) -> Rendered:
    """Analyse and lay out one child (no drawing); ``pdf`` is empty."""
    today = today or date.today()
    print_fingerprint = options.fingerprint or fingerprint(record)
    drawn = redact_events(record)
    if options.redact:
        theme = redacting_theme(theme, record, options.redact_names)
        shared = redact_record(record, options.redact_names)
        # The date of birth places the ages and shadows; it is never written on the page.
        drawn = replace(
            shared, child=replace(shared.child, date_of_birth=record.child.date_of_birth)
        )
    ctx = Ctx.for_theme(theme, options.page_size)
    end = story_end(drawn, theme, options, today)
    facts = analyse(drawn, end)
    span = axis_span(drawn, end, theme.get("axis", "start") == "birth")
    show = theme.get("show", "shadows") if options.show_shadows is None else options.show_shadows
    shadows = load_shadows(options.shadows_folder, record.child.sex) if show else ()
    frame = _frame(drawn, theme, options, end, print_fingerprint)
    layout = build_child_pages(drawn, facts, ctx, options, shadows, span, frame)
    if options.redact:
        return Rendered(b"", layout, replace(facts, date_of_birth=None), shared)
    return Rendered(b"", layout, facts, drawn)


def render_child(
    record: ChildRecord, theme: Theme, options: RenderOptions, today: date | None = None
) -> Rendered:
    """Lay out and draw one child's timeline as PDF bytes."""
    done = layout_child(record, theme, options, today)
    ctx = Ctx.for_theme(theme, options.page_size)
    title = ctx.plain(_title(done.record, theme, options))
    pdf = pdf_bytes(
        done.layout.pages, ctx.font_names, title, options.prepared_by, "Child's timeline"
    )
    return Rendered(pdf, done.layout, done.facts, done.record)


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
    marking = theme.get("marking", "text") if options.marking is None else options.marking
    parts = []
    if record.child.date_of_birth and not options.redact:
        parts.append(f"Born {record.child.date_of_birth:%d/%m/%Y}")
    parts.append(f"timeline to {end:%d/%m/%Y}")
    parts.append(
        f"{counted(len(record.events), 'event')}, {counted(len(record.placements), 'placement')}"
    )
    subtitle = " · ".join(parts)
    subtitle = subtitle[:1].upper() + subtitle[1:]
    return FrameText(
        _title(record, theme, options),
        subtitle,
        marking,
        options.prepared_by,
        options.prepared_on,
        fp,
    )


__all__ = [
    "Rendered",
    "layout_child",
    "render_child",
    "write_child_pdf",
    "fingerprint",
    "__version__",
]
