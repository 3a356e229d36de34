"""The data model: frozen records for children, events and placements.

Loaders (CSV, Excel, SSDA903, CIN census) all produce a ``Dataset``; everything
after loading works on these records only and never reads a file.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date

from timelines.model.counts import RowCount
from timelines.model.dates import FuzzyDate
from timelines.model.problems import Problem


def child_key(text: str) -> str:
    """A child id as loading keeps it: trimmed, and in Unicode NFC form, so the same id typed
    with a precomposed letter or with a combining accent is one child."""
    text = text.strip()
    return text if text.isascii() else unicodedata.normalize("NFC", text)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record came from: file name and spreadsheet row (header = row 1)."""

    file: str
    row: int | None = None


@dataclass(frozen=True, slots=True)
class Child:
    child_id: str
    name: str = ""
    date_of_birth: date | None = None
    sibling_group: str = ""
    origin: Origin | None = None
    sex: str = ""  # "female", "male" or "" (not given): chooses the child's shadows


def sex_from(text: str) -> str:
    """'female', 'male' or '' from a sex column: SSDA903 codes 1 and 2, or words."""
    word = text.strip().lower()
    if word in ("1", "m", "male", "boy"):
        return "male"
    if word in ("2", "f", "female", "girl"):
        return "female"
    return ""


@dataclass(frozen=True, slots=True)
class Event:
    """One dated entry of the chronology."""

    when: FuzzyDate
    label: str
    category: str = "other"
    detail: str = ""
    source: str = ""
    key: bool = False
    redact: bool = False
    child_id: str = ""
    origin: Origin | None = None
    milestone: str = ""  # a milestone code from the chronology's optional column, as written

    @property
    def day(self) -> date:
        """The day the event is drawn at (the middle of an uncertain span)."""
        return self.when.middle


@dataclass(frozen=True, slots=True)
class Placement:
    """Where the child lived from ``start`` to ``end`` (None: still there)."""

    start: date
    end: date | None
    placement_type: str
    carer: str = ""
    reason: str = ""
    child_id: str = ""
    code: str = ""  # the original code, e.g. SSDA903 PLACE 'U4', kept for the label
    origin: Origin | None = None
    # What a coded placement is, e.g. 'U4: foster placement with other foster carer, long
    # term' (SSDA903 PLACE). Not a name: ``carer`` stays empty when no carer is named, so
    # only real carer names link siblings, and redaction (which removes carers) keeps it.
    description: str = ""

    def end_or(self, today: date) -> date:
        return self.end if self.end is not None else today

    def caption(self) -> str:
        """The carer and what the placement is, as written beside it ('' when neither)."""
        return ", ".join(text for text in (self.carer, self.description) if text)


@dataclass(frozen=True, slots=True)
class ChildRecord:
    """Everything known about one child, events and placements sorted by date."""

    child: Child
    events: tuple[Event, ...] = ()
    placements: tuple[Placement, ...] = ()
    warnings: tuple[Problem, ...] = ()

    @property
    def child_id(self) -> str:
        return self.child.child_id


@dataclass(frozen=True, slots=True)
class Dataset:
    """What the loaders read: all children, events and placements, and the problems found."""

    children: tuple[Child, ...] = ()
    events: tuple[Event, ...] = ()
    placements: tuple[Placement, ...] = ()
    problems: tuple[Problem, ...] = field(default=())
    counts: tuple[RowCount, ...] = field(default=())  # what became of each file's rows

    def child_ids(self) -> list[str]:
        """Every child id mentioned anywhere, children file order first."""
        seen: dict[str, None] = {c.child_id: None for c in self.children}
        for record in self.events:
            seen.setdefault(record.child_id, None)
        for placement in self.placements:
            seen.setdefault(placement.child_id, None)
        return list(seen)

    def record(self, child_id: str) -> ChildRecord:
        """Gather one child's events and placements (sorted) into a ChildRecord."""
        child = next((c for c in self.children if c.child_id == child_id), Child(child_id))
        events = sorted((e for e in self.events if e.child_id == child_id), key=_event_order)
        placements = sorted(
            (p for p in self.placements if p.child_id == child_id), key=lambda p: p.start
        )
        return ChildRecord(child, tuple(events), tuple(placements))

    def records(self) -> list[ChildRecord]:
        """Every child's record, grouping in one pass (fast for large cohorts)."""
        events: dict[str, list[Event]] = {}
        placements: dict[str, list[Placement]] = {}
        for e in self.events:
            events.setdefault(e.child_id, []).append(e)
        for p in self.placements:
            placements.setdefault(p.child_id, []).append(p)
        children = {c.child_id: c for c in self.children}
        return [
            ChildRecord(
                children.get(cid, Child(cid)),
                tuple(sorted(events.get(cid, ()), key=_event_order)),
                tuple(sorted(placements.get(cid, ()), key=lambda p: p.start)),
            )
            for cid in self.child_ids()
        ]

    def with_problems(self, problems: list[Problem]) -> Dataset:
        return replace(self, problems=self.problems + tuple(problems))


def _event_order(event: Event) -> tuple:
    row = event.origin.row if event.origin and event.origin.row is not None else 0
    return (event.day, event.when.start, row)
