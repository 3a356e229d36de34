"""Analysis: the facts a reader needs, computed from one child's record.

Pure functions of a ``ChildRecord`` and an end date; nothing here draws or reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from timelines.analyse.drift import Drift, DriftRules, analyse_drift
from timelines.analyse.milestones import Milestone
from timelines.model.dates import age_in_years, months_between
from timelines.model.records import ChildRecord, Event, Placement
from timelines.model.vocab import DECISION_CATEGORIES


@dataclass(frozen=True)
class Gap:
    """The wait between two consecutive event days."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days


@dataclass(frozen=True)
class Facts:
    """Key facts about one child at ``as_of``."""

    as_of: date
    date_of_birth: date | None
    age_years: int | None
    age_months: int | None
    first_looked_after: date | None
    days_looked_after: int
    placements: int
    moves: int
    gaps: tuple[Gap, ...]
    longest_gap: Gap | None
    last_decision: Event | None
    current_placement: Placement | None
    drift: Drift | None = None  # milestones, waits for decisions and targets

    @property
    def days_since_last_decision(self) -> int | None:
        if self.last_decision is None:
            return None
        return (self.as_of - self.last_decision.day).days


def axis_span(record: ChildRecord, end: date, start_at_birth: bool = True) -> tuple[date, date]:
    """First and last day the timeline shows."""
    story = [e for e in record.events if start_at_birth or e.category != "birth"]
    days = [e.when.start for e in story or record.events] + [p.start for p in record.placements]
    if start_at_birth and record.child.date_of_birth:
        days.append(record.child.date_of_birth)
    ends = [e.when.end for e in record.events] + [p.end for p in record.placements if p.end]
    first = min(days, default=end)
    if start_at_birth and record.child.date_of_birth:
        first = min(first, record.child.date_of_birth)
    last = max([end, *ends]) if end else max(ends, default=first)
    if last <= first:
        last = date.fromordinal(first.toordinal() + 30)
    return first, last


def event_gaps(events: tuple[Event, ...] | list[Event]) -> tuple[Gap, ...]:
    """Gaps between consecutive distinct event days, in order."""
    days = sorted({e.day for e in events})
    return tuple(Gap(a, b) for a, b in zip(days, days[1:], strict=False))


def looked_after_days(placements: tuple[Placement, ...], as_of: date) -> int:
    """Days covered by at least one placement up to ``as_of`` (overlaps counted once)."""
    total, covered_to = 0, date.min
    for p in sorted(placements, key=lambda p: p.start):
        start, end = max(p.start, covered_to), min(p.end_or(as_of), as_of)
        if end > start:
            total += (end - start).days
            covered_to = end
    return total


def count_moves(placements: tuple[Placement, ...]) -> int:
    """Moves: every placement that starts after the first (respite overlaps included)."""
    return max(len(placements) - 1, 0)


def current_placement(placements: tuple[Placement, ...], as_of: date) -> Placement | None:
    """The placement the child is in on ``as_of`` (the latest started), if any."""
    live = [p for p in placements if p.start <= as_of and (p.end is None or p.end >= as_of)]
    return max(live, key=lambda p: p.start) if live else None


def analyse(
    record: ChildRecord,
    as_of: date,
    rules: DriftRules | None = None,
    milestones: Sequence[Milestone] | None = None,
) -> Facts:
    """Key facts for one child as at ``as_of`` (with ``rules``: its drift too, from its
    ``milestones`` when already found)."""
    dob = record.child.date_of_birth
    gaps = event_gaps(record.events)
    decisions = [e for e in record.events if e.category in DECISION_CATEGORIES and e.day <= as_of]
    months = months_between(dob, as_of) if dob else None
    return Facts(
        as_of=as_of,
        date_of_birth=dob,
        age_years=age_in_years(dob, as_of) if dob else None,
        age_months=months,
        first_looked_after=min((p.start for p in record.placements), default=None),
        days_looked_after=looked_after_days(record.placements, as_of),
        placements=len(record.placements),
        moves=count_moves(record.placements),
        gaps=gaps,
        longest_gap=max(gaps, key=lambda g: g.days, default=None),
        last_decision=max(decisions, key=lambda e: e.day, default=None),
        current_placement=current_placement(record.placements, as_of),
        drift=analyse_drift(record, as_of, rules, milestones) if rules is not None else None,
    )
