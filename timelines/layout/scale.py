"""A linear time scale: equal time takes equal width, so waiting shows as space."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property


@dataclass(frozen=True)
class TimeScale:
    """Maps days between ``start`` and ``end`` onto points between ``x0`` and ``x1``."""

    start: date
    end: date
    x0: float
    x1: float

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
