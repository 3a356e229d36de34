"""Redaction: a copy of a child's record safe to share beyond the professionals.

Works on the model, before layout, so the redacted strings never reach a page,
the PDF metadata or a file name. ``--redact`` shows the child's initials, the
age but never the date of birth, no carer names and no event detail; a
``redact`` event keeps its marker but loses its words, with or without
``--redact``. As a safety net for words typed into the chronology's own labels,
``redaction_words`` rewrites the child's name, the carers' names and the date
of birth (in the common formats) wherever they appear on the page.

What stays: dates of events (the point of a timeline), the child id (used in
the default file name ``timeline-<child id>-redacted.pdf``: ids must not be
names), and ``prepared_by`` as the PDF author (a professional's name or role).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from timelines.model import ChildRecord, Event
from timelines.template import Theme
from timelines.words import initials

HIDDEN_EVENT = "Sensitive event (details withheld)"
HIDDEN_DATE = "(date withheld)"
HIDDEN_CARER = "carer"
# Words in carer names that are not names: kept as they are.
_NOT_NAMES = (
    "mr mrs ms miss mx dr and the foster carer carers kinship gran granny grandmother",
    "grandfather grandad grandpa mum mother dad father aunt uncle unit house home",
    "residential children's childrens adopters prospective maternal paternal",
)
_TITLES = frozenset(word for line in _NOT_NAMES for word in line.split())


def redact_event(event: Event, full: bool) -> Event:
    """Hide an event's words when it is marked ``redact`` (and its detail when ``full``)."""
    if event.redact:
        return replace(event, label=HIDDEN_EVENT, detail="", source="")
    return replace(event, detail="", source="") if full else event


def redact_events(record: ChildRecord) -> ChildRecord:
    """Only the events marked ``redact`` lose their words (always applied)."""
    if not any(e.redact for e in record.events):
        return record
    return replace(record, events=tuple(redact_event(e, full=False) for e in record.events))


def redact_record(record: ChildRecord) -> ChildRecord:
    """Initials for the name, no date of birth, no carers, no free-text detail."""
    child = replace(record.child, name=initials(record.child.name or "Child"), date_of_birth=None)
    events = tuple(redact_event(e, full=True) for e in record.events)
    placements = tuple(replace(p, carer="", reason="") for p in record.placements)
    return replace(record, child=child, events=events, placements=placements)


def redaction_words(record: ChildRecord) -> dict[str, str]:
    """Glossary entries that hide the child's name, carers' names and date of birth."""
    words: dict[str, str] = {}
    name = record.child.name.strip()
    if name:
        words[name] = initials(name)
        for part in re.split(r"[\s\-]+", name):
            if len(part) > 1:
                words[part] = part[0].upper() + "."
    for carer in {p.carer.strip() for p in record.placements if p.carer.strip()}:
        words[carer] = HIDDEN_CARER
        for part in re.findall(r"[^\W\d_][\w'’]+", carer):
            if part[0].isupper() and part.lower() not in _TITLES:
                words.setdefault(part, part[0] + ".")
    if record.child.date_of_birth:
        words.update(dict.fromkeys(date_forms(record.child.date_of_birth), HIDDEN_DATE))
    return words


def date_forms(day: date) -> list[str]:
    """A day written the ways a chronology might write it."""
    month, short = day.strftime("%B"), day.strftime("%b")
    return [
        f"{day:%d/%m/%Y}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day:%d/%m/%y}",
        f"{day:%d.%m.%Y}",
        f"{day:%d-%m-%Y}",
        day.isoformat(),
        f"{day.day} {month} {day.year}",
        f"{day.day} {short} {day.year}",
        f"{day:%d} {month} {day.year}",
        f"{day:%d} {short} {day.year}",
    ]


def redacting_theme(theme: Theme, record: ChildRecord) -> Theme:
    """The theme with the redaction words added to its glossary (they win over the template's)."""
    glossary = {**theme.glossary, **redaction_words(record)}
    return replace(theme, settings={**theme.settings, "glossary": glossary})
