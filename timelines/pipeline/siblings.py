"""A sibling group's (or a cohort's) placement histories, one row per child: from the
children's records to PDF bytes.

prepare (redaction) → analyse (the group) → layout → draw, wired once for the
``siblings`` command, the web page and the batch's group PDFs (their callers write
the bytes with ``export.files``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from timelines.analyse.groups import ALL_CHILDREN, build_group
from timelines.layout.siblings_page import SiblingsLayout, build_siblings_pages
from timelines.layout.style import Ctx
from timelines.model.options import RenderOptions
from timelines.model.records import ChildRecord
from timelines.pdf.document import encrypt, pdf_bytes
from timelines.pdf.settings import building
from timelines.pipeline.frame import frame_text, group_fingerprint
from timelines.prepare.redact import group_redactor, redact_group_name, redact_options, share
from timelines.prepare.template import Theme


@dataclass(frozen=True)
class RenderedGroup:
    """One drawn group: the PDF bytes and the layout they were painted from."""

    pdf: bytes
    layout: SiblingsLayout


def render_group(
    records: list[ChildRecord],
    group_name: str,
    theme: Theme,
    options: RenderOptions,
    axis: str = "date",
    today: date | None = None,
) -> RenderedGroup:
    """Lay out and draw a grouped placement history (one row per child) as PDF bytes."""
    as_of = options.as_of or today or date.today()
    threshold = theme.gap_threshold_days(options.gap_threshold_months)
    shared = {r.child.sibling_group for r in records}
    if not group_name and len(shared) == 1 and "" not in shared:
        group_name = f"sibling group {shared.pop()}"
    shown = None
    if options.redact:
        group_name = redact_group_name(group_name, records)
        options = redact_options(options, group_redactor(records))
        shown = {r.child_id: share(r, _others(records, r), theme, options) for r in records}
    with building():
        group = build_group(records, group_name or ALL_CHILDREN, as_of, threshold, shown)
        ctx = Ctx.for_theme(theme, options.page_size)
        count = len(group.rows)
        subtitle = (
            f"{count} child{'ren' if count != 1 else ''} · placements to {as_of:%d/%m/%Y}"
            f" · {'aligned by age' if axis == 'age' else 'by date'}"
        )
        title = options.title or f"Placement history: {group.name}"
        frame = frame_text(theme, options, title, subtitle, group_fingerprint(records))
        layout = build_siblings_pages(group, ctx, frame, axis, threshold)
        pdf = pdf_bytes(
            layout.pages, ctx.font_names, frame.title, options.prepared_by, "Placements"
        )
    return RenderedGroup(pdf, layout)


def _others(records: list[ChildRecord], record: ChildRecord) -> tuple[str, ...]:
    """The names of the other children drawn with ``record`` (hidden too when redacting)."""
    return tuple(r.child.name for r in records if r is not record and r.child.name)


def group_pdf(
    records: list[ChildRecord],
    group_name: str,
    theme: Theme,
    options: RenderOptions,
    axis: str = "date",
    password: str | None = None,
    today: date | None = None,
) -> RenderedGroup:
    """A group's PDF as ``siblings`` writes it: ``render_group``, encrypted (AES-256)
    when a password is given."""
    done = render_group(records, group_name, theme, options, axis, today)
    return replace(done, pdf=encrypt(done.pdf, password))
