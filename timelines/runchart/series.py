"""A cohort as a run chart's series: the children who reached the end, those still
waiting, and those left out with the reason.

Each child's start and end are the first milestones of the chosen codes (found as
on the child timeline, ``analyse/milestones.py``). Nothing is dropped silently:
every child of the cohort is a point, still waiting, or excluded with a reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from timelines.analyse.milestones import (
    DIED,
    MILESTONE_CODES,
    Milestone,
    find_milestones,
    first_milestone,
    milestone_name,
)
from timelines.model.records import ChildRecord

DEFAULT_START = "accommodated"
DEFAULT_END = "permanence_recommendation"
LEFT_CARE = "left_care"


@dataclass(frozen=True, slots=True)
class Point:
    """A child who reached the end: weeks from start to end."""

    child_id: str
    start: date
    end: date
    start_how: str = ""  # how each milestone was found, e.g. "milestone column"
    end_how: str = ""

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def weeks(self) -> float:
        return self.days / 7


@dataclass(frozen=True, slots=True)
class Waiting:
    """A child with a start and no end by the as-of date."""

    child_id: str
    start: date
    days: int
    start_how: str = ""

    @property
    def weeks(self) -> float:
        return self.days / 7


@dataclass(frozen=True, slots=True)
class Excluded:
    child_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Series:
    """Points ordered by end date (ties by child id), the waiting longest first."""

    start_code: str
    end_code: str
    as_of: date
    points: tuple[Point, ...]
    waiting: tuple[Waiting, ...]
    excluded: tuple[Excluded, ...]
    found: tuple[tuple[str, int], ...] = ()  # (milestone, children with it), most first

    @property
    def children(self) -> int:
        return len(self.points) + len(self.waiting) + len(self.excluded)

    @property
    def start_name(self) -> str:
        return milestone_name(self.start_code)

    @property
    def end_name(self) -> str:
        return milestone_name(self.end_code)


def check_codes(start: str, end: str) -> None:
    """Refuse unknown milestone codes and a start equal to the end."""
    for code in (start, end):
        if code not in MILESTONE_CODES:
            raise ValueError(
                f"unknown milestone '{code}'; choose one of {', '.join(MILESTONE_CODES)}"
            )
    if start == end:
        raise ValueError(f"the start and end milestones are both '{start}'")


def cohort_series(
    records: Iterable[ChildRecord],
    start: str = DEFAULT_START,
    end: str = DEFAULT_END,
    as_of: date | None = None,
    since: date | None = None,
    until: date | None = None,
    today: date | None = None,
) -> Series:
    """Sort every child into points, still waiting or excluded (with the reason).

    ``since``/``until`` keep the points whose end falls between them; the others are
    excluded with that reason. ``as_of`` (default: ``until``, else the latest milestone
    in the data up to today) is the day the waiting is measured to; an end after it
    counts as not yet reached. A child who left care (or died) after the start without
    reaching the end is excluded with that reason, not counted as waiting.
    """
    check_codes(start, end)
    found = {record.child_id: find_milestones(record) for record in records}
    as_of = as_of or until or last_milestone(found.values(), today or date.today())
    points: list[Point] = []
    waiting: list[Waiting] = []
    excluded: list[Excluded] = []
    counts: Counter[str] = Counter()
    for child_id, milestones in found.items():
        counts.update({m.code for m in milestones})
        first, last = first_milestone(milestones, start), first_milestone(milestones, end)
        if last is not None and last.when.middle > as_of:
            last = None  # not reached yet on the as-of date
        began = first.when.middle if first else None
        ended = last.when.middle if last else None
        why = _excluded_because(began, ended, as_of, since, until, start, end)
        if first is None or why:
            excluded.append(Excluded(child_id, why))
        elif last is None:
            why = _left_before_end(milestones, first.when.middle, as_of, end)
            if why:
                excluded.append(Excluded(child_id, why))
            else:
                days = (as_of - first.when.middle).days
                waiting.append(Waiting(child_id, first.when.middle, days, first.how))
        else:
            points.append(Point(child_id, first.when.middle, last.when.middle, first.how, last.how))
    points.sort(key=lambda p: (p.end, p.child_id))
    waiting.sort(key=lambda w: (-w.days, w.child_id))
    excluded.sort(key=lambda e: e.child_id)
    counted = tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return Series(start, end, as_of, tuple(points), tuple(waiting), tuple(excluded), counted)


def last_milestone(found: Iterable[Sequence[Milestone]], today: date) -> date:
    """The day of the latest milestone on or before today: how far the data goes."""
    days = [m.when.middle for milestones in found for m in milestones if m.when.middle <= today]
    return max(days, default=today)


def _left_before_end(milestones: Sequence[Milestone], began: date, as_of: date, end: str) -> str:
    """A child who left care (or died) after the start without reaching the end is not
    waiting: the reason, or '' when the child is still waiting."""
    if end in (LEFT_CARE, DIED):
        return ""
    for code in (LEFT_CARE, DIED):
        left = first_milestone([m for m in milestones if m.when.middle >= began], code)
        if left and left.when.middle <= as_of:
            return (
                f"{milestone_name(code)} on {left.when.middle:%d/%m/%Y}"
                f" without a {milestone_name(end)}"
            )
    return ""


def _excluded_because(
    began: date | None,
    ended: date | None,
    as_of: date,
    since: date | None,
    until: date | None,
    start: str,
    end: str,
) -> str:
    """Why a child is neither a point nor waiting ('' when it is one of them)."""
    start_name, end_name = milestone_name(start), milestone_name(end)
    if began is None:
        return f"no {start_name}" + (f" (but {end_name} on {ended:%d/%m/%Y})" if ended else "")
    if began > as_of:
        return f"{start_name} on {began:%d/%m/%Y}, after the as-of date {as_of:%d/%m/%Y}"
    if ended is not None and ended < began:
        return f"{end_name} ({ended:%d/%m/%Y}) before {start_name} ({began:%d/%m/%Y})"
    if ended is not None and since is not None and ended < since:
        return f"{end_name} on {ended:%d/%m/%Y}, before --from {since:%d/%m/%Y}"
    if ended is not None and until is not None and ended > until:
        return f"{end_name} on {ended:%d/%m/%Y}, after --to {until:%d/%m/%Y}"
    return ""
