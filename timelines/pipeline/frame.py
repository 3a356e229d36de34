"""What the frame of every document says: title, subtitle, marking, who prepared it, and
a fingerprint of the data drawn."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from timelines.layout.frame import FrameText
from timelines.model.options import RenderOptions
from timelines.model.records import ChildRecord
from timelines.prepare.template import Theme


def marking(theme: Theme, options: RenderOptions) -> str:
    """The protective marking: the one asked for, else the template's."""
    return theme.get("marking", "text") if options.marking is None else options.marking


def frame_text(
    theme: Theme, options: RenderOptions, title: str, subtitle: str, fingerprint: str = ""
) -> FrameText:
    """A document's frame: its title and subtitle, the marking, and who prepared it when."""
    return FrameText(
        title,
        subtitle,
        marking(theme, options),
        options.prepared_by,
        options.prepared_on,
        fingerprint,
    )


def fingerprint(record: ChildRecord) -> str:
    """A short hash of the child's data, printed in the footer to tie a page to its data."""
    child = record.child
    parts = [repr((child.child_id, child.name, child.date_of_birth))]
    parts += [repr((e.when, e.label, e.category, e.detail, e.key)) for e in record.events]
    parts += [repr((p.start, p.end, p.placement_type, p.caption())) for p in record.placements]
    return _short_hash("\n".join(parts))


def group_fingerprint(records: Iterable[ChildRecord]) -> str:
    """A short hash of several children's data (a sibling group's footer)."""
    return _short_hash("".join(fingerprint(r) for r in records))


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:10]
