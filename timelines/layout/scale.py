"""A linear time scale: equal time takes equal width, so waiting shows as space.

A scale may carry a compressed lead: the years from birth to the window's start,
drawn at a smaller constant scale left of ``x0``, before a break in the axis. Only
the child's ages and shadows use it; ``x`` and ``clamp`` map the window alone, so
nothing from the chronology is ever drawn in the lead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property


@dataclass(frozen=True)
class TimeScale:
    """Maps days between ``start`` and ``end`` onto points between ``x0`` and ``x1``;
    with ``born`` and ``lead_x0``, the days from ``born`` to ``start`` onto the lead,
    from ``lead_x0`` to ``x0 - LEAD_BREAK``."""

    start: date
    end: date
    x0: float
    x1: float
    born: date | None = None
    lead_x0: float | None = None

    @classmethod
    def with_lead(cls, start: date, end: date, x0: float, x1: float, born: date | None,
                  lead_width: float) -> TimeScale:  # fmt: skip
        """A window from ``start`` to ``end``, after a compressed lead ``lead_width``
        wide when the child was born more than a year before ``start``."""
        if born is None or (start - born).days <= LEAD_MIN_DAYS:
            return cls(start, end, x0, x1)
        return cls(start, end, x0 + lead_width + LEAD_BREAK, x1, born, x0)

    @property
    def left(self) -> float:
        """The left end of the axis: the lead's, when there is one."""
        return self.x0 if self.lead_x0 is None else self.lead_x0

    @property
    def lead_x1(self) -> float:
        return self.x0 - LEAD_BREAK

    def lead_x(self, day: date) -> float:
        """Where a day between birth and the window's start stands on the lead."""
        assert self.born is not None and self.lead_x0 is not None
        share = (day - self.born).days / max((self.start - self.born).days, 1)
        return self.lead_x0 + min(max(share, 0.0), 1.0) * (self.lead_x1 - self.lead_x0)

    @cached_property
    def points_per_day(self) -> float:
        return (self.x1 - self.x0) / max((self.end - self.start).days, 1)

    @cached_property
    def _first(self) -> int:
        return self.start.toordinal()

    def x(self, day: date) -> float:
        return self.x0 + (day.toordinal() - self._first) * self.points_per_day

    def clamp(self, day: date) -> float:
        return min(max(self.x(day), self.x0), self.x1)

    def width(self, days: float) -> float:
        return days * self.points_per_day


LEAD_BREAK = 9.0  # points between the lead's end and the window's start (the break)
LEAD_MIN_DAYS = 400  # a window starting this close to birth is drawn without a lead


def year_ticks(scale: TimeScale) -> list[date]:
    """1 January of every year inside the scale."""
    return [date(y, 1, 1) for y in range(scale.start.year + 1, scale.end.year + 1)]


def month_ticks(scale: TimeScale, every: int = 1) -> list[date]:
    """The first of every ``every``-th month inside the scale (January excluded)."""
    ticks: list[date] = []
    year, month = scale.start.year, scale.start.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        day = date(year, month, 1)
        if day > scale.end:
            return ticks
        if month != 1 and (month - 1) % every == 0:
            ticks.append(day)
