"""Redaction: a copy of a child's record safe to share beyond the professionals.

Works on the model, before layout, so the redacted strings never reach a page,
the PDF metadata or a file name.
"""

from __future__ import annotations

from dataclasses import replace

from timelines.model import ChildRecord, Event
from timelines.words import initials

HIDDEN_EVENT = "Sensitive event (details withheld)"


def redact_event(event: Event, full: bool) -> Event:
    """Hide an event's words when it is marked ``redact`` (and its detail when ``full``)."""
    if event.redact:
        return replace(event, label=HIDDEN_EVENT, detail="", source="")
    return replace(event, detail="") if full else event


def redact_record(record: ChildRecord) -> ChildRecord:
    """Initials for the name, no date of birth, no carers, no free-text detail."""
    child = replace(record.child, name=initials(record.child.name or "Child"), date_of_birth=None)
    events = tuple(redact_event(e, full=True) for e in record.events)
    placements = tuple(replace(p, carer="", reason="") for p in record.placements)
    return replace(record, child=child, events=events, placements=placements)
