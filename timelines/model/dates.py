"""Dates as chronologies write them: exact, month-only, year-only or approximate.

``parse_date`` accepts UK ``dd/mm/yyyy`` (and ``d/m/yyyy``, ``dd-mm-yyyy``,
``dd.mm.yyyy``), ISO ``yyyy-mm-dd``, ``mm/yyyy``, ``March 2016`` / ``Mar 2016``,
``2014``, with an optional leading ``c.``/``circa``/``about``/``approx``/``~``
or ``?`` meaning the date is approximate. An uncertain date keeps its span
(first and last possible day) so that it is never drawn as false precision.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

Precision = Literal["day", "month", "year"]

MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
MONTHS["sept"] = 9

_APPROX = re.compile(r"^(?:c\.?|ca\.?|circa|about|approx\.?|around|~|\?)\s*", re.IGNORECASE)
_TRAILING_Q = re.compile(r"\s*\?$")
# A time of day after a date ('09/04/2017 00:00', as Excel writes a date cell to CSV).
TIME_OF_DAY = re.compile(r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00)?)?$")
_MY = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_ISO_MY = re.compile(r"^(\d{4})-(\d{1,2})$")
_NAMED_MY = re.compile(r"^([A-Za-z]+)\.?,?\s+(\d{4})$")
_DAY_NAMED_MY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")

MIN_YEAR = 1900
MAX_YEAR = 2100


class DateError(ValueError):
    """A date that cannot be read; the message says why in plain words."""


@dataclass(frozen=True, order=True, slots=True)
class FuzzyDate:
    """A date with its uncertainty: the span ``start``..``end`` holds the real day."""

    start: date
    end: date
    precision: Precision = "day"
    approximate: bool = False

    @classmethod
    def exact(cls, day: date) -> FuzzyDate:
        return cls(day, day)

    @property
    def uncertain(self) -> bool:
        return self.approximate or self.precision != "day"

    @property
    def middle(self) -> date:
        if self.start == self.end:  # most dates: no arithmetic
            return self.start
        return self.start + (self.end - self.start) / 2

    def label(self) -> str:
        """Readable form that shows the uncertainty: '22/05/2016', 'Mar 2016', 'c. 2014'."""
        if self.precision == "day":
            text = self.start.strftime("%d/%m/%Y")
        elif self.precision == "month":
            text = f"{calendar.month_abbr[self.start.month]} {self.start.year}"
        else:
            text = str(self.start.year)
        return f"c. {text}" if self.approximate else text


def _checked(year: int, month: int, day: int, text: str) -> date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateError(f"year {year} in '{text}' is outside {MIN_YEAR}-{MAX_YEAR}")
    if not 1 <= month <= 12:
        raise DateError(f"'{text}' has no month {month} (expected dd/mm/yyyy)")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        name = calendar.month_name[month]
        raise DateError(f"'{text}' is not a real date ({name} {year} has {last} days)")
    return date(year, month, day)


def _month_span(year: int, month: int, text: str) -> tuple[date, date]:
    first = _checked(year, month, 1, text)
    return first, first.replace(day=calendar.monthrange(year, month)[1])


def _month_number(name: str, text: str) -> int:
    number = MONTHS.get(name.lower())
    if number is None:
        raise DateError(f"'{text}' has an unknown month name '{name}'")
    return number


@lru_cache(maxsize=65536)
def parse_date(text: str) -> FuzzyDate:
    """Read one date as written in a chronology; raise DateError when it cannot be read.

    Remembered: a cohort writes the same dates many times, and its events share one
    (immutable) FuzzyDate each.
    """
    original = text
    text = TIME_OF_DAY.sub("", " ".join(str(text).split()))
    if not text:
        raise DateError("the date is empty")
    approximate = False
    stripped = _APPROX.sub("", text, count=1)
    if stripped != text:
        approximate, text = True, stripped
    if _TRAILING_Q.search(text):
        approximate, text = True, _TRAILING_Q.sub("", text)
    fuzzy = _parse_plain(text, original.strip())
    if approximate:
        fuzzy = FuzzyDate(fuzzy.start, fuzzy.end, fuzzy.precision, True)
    return fuzzy


def _parse_plain(text: str, original: str) -> FuzzyDate:
    if m := _DMY.match(text):
        day = _checked(int(m[3]), int(m[2]), int(m[1]), original)
        return FuzzyDate.exact(day)
    if m := _ISO.match(text):
        day = _checked(int(m[1]), int(m[2]), int(m[3]), original)
        return FuzzyDate.exact(day)
    if m := _DAY_NAMED_MY.match(text):
        day = _checked(int(m[3]), _month_number(m[2], original), int(m[1]), original)
        return FuzzyDate.exact(day)
    if (m := _MY.match(text)) or (m := _ISO_MY.match(text)):
        month, year = (int(m[1]), int(m[2])) if _MY.match(text) else (int(m[2]), int(m[1]))
        return FuzzyDate(*_month_span(year, month, original), "month")
    if m := _NAMED_MY.match(text):
        return FuzzyDate(*_month_span(int(m[2]), _month_number(m[1], original), original), "month")
    if m := _YEAR.match(text):
        year = int(m[1])
        _checked(year, 1, 1, original)
        return FuzzyDate(date(year, 1, 1), date(year, 12, 31), "year")
    raise DateError(f"'{original}' is not a date (expected dd/mm/yyyy)")


def parse_exact_date(text: str) -> date:
    """Read a date that must be a single day (placements, dates of birth)."""
    fuzzy = parse_date(text)
    if fuzzy.uncertain:
        raise DateError(f"'{text.strip()}' is not a single day (expected dd/mm/yyyy)")
    return fuzzy.start


EXCEL_EPOCH = date(1899, 12, 30)


def from_excel_serial(serial: float) -> date:
    """Turn an Excel serial day number (as in .xlsx) into a date."""
    return EXCEL_EPOCH + timedelta(days=int(serial))


def months_between(start: date, end: date) -> int:
    """Whole calendar months from start to end (never negative)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def age_in_years(born: date, on: date) -> int:
    """Age in completed years on a day."""
    return months_between(born, on) // 12


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


DAYS_PER_MONTH = 30.4375  # an average month (365.25 / 12)


def days_in_months(months: float) -> int:
    """Whole days in a number of average months."""
    return round(months * DAYS_PER_MONTH)


def plain_duration(days: int) -> str:
    """A length of time in plain words: '3 weeks', '7 months', '1 year 2 months'."""
    if days < 0:
        days = -days
    if days < 14:
        return f"{days} day" + ("" if days == 1 else "s")
    if days < 61:
        weeks = days // 7
        return f"{weeks} weeks"
    return plain_months(round(days / DAYS_PER_MONTH))


def plain_months(months: int) -> str:
    """Months in plain words: '7 months', '1 year', '2 years 3 months', '0 months'."""
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year" + ("" if years == 1 else "s"))
    if rest or not years:
        parts.append(f"{rest} month" + ("" if rest == 1 else "s"))
    return " ".join(parts)


_DURATION = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*(working days?|hours?|days?|weeks?|months?|years?)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Duration:
    """A span a target allows, as a template writes it: '72 hours', '6 weeks', '3 months',
    '20 working days' (Monday to Friday; bank holidays are not known), '426 days'."""

    amount: float
    unit: str  # hours, days, working_days, weeks, months, years

    def after(self, day: date) -> date:
        """The last day within the span that starts on ``day``."""
        if self.unit == "hours":
            return day + timedelta(days=int(self.amount // 24))
        if self.unit in ("days", "weeks"):
            return day + timedelta(days=round(self.amount * (7 if self.unit == "weeks" else 1)))
        if self.unit == "working_days":
            left, current = int(self.amount), day
            while left > 0:
                current += timedelta(days=1)
                left -= current.weekday() < 5
            return current
        months = round(self.amount * (12 if self.unit == "years" else 1))
        return add_months(day, months)

    def words(self) -> str:
        amount = f"{self.amount:g}"
        unit = self.unit.replace("_", " ")
        return f"{amount} {unit[:-1] if amount == '1' else unit}"


def parse_duration(text: str) -> Duration:
    """'72 hours', '6 weeks', '3 months', '20 working days', '2 years'; DateError if not."""
    match = _DURATION.match(str(text))
    if not match:
        raise DateError(
            f"'{text}' is not a length of time (expected e.g. '72 hours', '6 weeks',"
            " '3 months', '20 working days', '2 years')"
        )
    unit = match[2].lower().replace(" ", "_")
    return Duration(float(match[1]), unit if unit.endswith("s") else unit + "s")


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))
