"""Routine events summarised: a run of one category's events whose labels differ only by
numbers or dates (or any run of a category the template marks routine) becomes one
series, drawn as a tick strip with one label such as
"Supervised contact with mum: 26 sessions, weekly, Feb–Aug 2020".

Pure: the events stay as they are (the chronology table lists every one).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from timelines.model.records import Event

SMALLEST = 4  # events in the shortest series
LONGEST_GAP = 92  # days: a longer wait between two events ends a series
_DIGITS = re.compile(r"\d+(?:[/.:-]\d+)*(?:st|nd|rd|th)?")
_NUMBERED = re.compile(r"\s*\([^()]*#[^()]*\)|#+|\b(?:session|no\.?|number)\s*(?=\W*$)", re.I)


@dataclass(frozen=True)
class Series:
    """Events of one category summarised by one label (indices in chronology order)."""

    members: tuple[int, ...]
    category: str
    words: str  # what the events have in common, e.g. "Supervised contact with mum"

    def label(self, events: Sequence[Event]) -> str:
        """'Supervised contact with mum: 26 sessions, weekly, Feb–Aug 2020'."""
        days = [events[i].day for i in self.members]
        noun = "sessions" if self.category == "contact" else "times"
        parts = [f"{len(days)} {noun}", cadence(days), months(days[0], days[-1])]
        return f"{self.words}: " + ", ".join(p for p in parts if p)


def common_words(label: str) -> str:
    """A label with its numbers and dates as ``#``: labels that differ only by those
    share it ("Supervised contact with mum (session #)")."""
    return _DIGITS.sub("#", " ".join(label.split()))


def plain_words(shared: str) -> str:
    """The shared words without the numbered part: "Supervised contact with mum"."""
    return " ".join(_NUMBERED.sub(" ", shared).split()).strip(" -–:,;")


def find_series(
    events: Sequence[Event],
    routine: Callable[[str], bool],
    name: Callable[[str], str],
    keep: Callable[[Event], bool],
) -> list[Series]:
    """Runs of at least SMALLEST events of one category that may stand as one series:
    the same words once numbers and dates are taken out, or any events of a ``routine``
    category (``name`` gives a category's words for those). Events that ``keep`` their
    own label (key events, steps) never join a series."""
    runs: dict[tuple[str, str], list[int]] = {}
    found: list[list[int]] = []
    for i, event in enumerate(events):
        if keep(event) or event.when.uncertain:
            continue
        words = "" if routine(event.category) else common_words(event.label).lower()
        group = (event.category, words)
        run = runs.get(group)
        if run and (event.day - events[run[-1]].day).days > LONGEST_GAP:
            found.append(run)
            run = None
        if run is None:
            run = runs[group] = []
        run.append(i)
    found += runs.values()
    series = []
    for run in found:
        if len(run) < SMALLEST:
            continue
        category = events[run[0]].category
        shared = {common_words(events[i].label) for i in run}
        words = plain_words(shared.pop()) if len(shared) == 1 else name(category)
        series.append(Series(tuple(run), category, words or name(category)))
    return sorted(series, key=lambda s: s.members[0])


def cadence(days: Sequence) -> str:
    """How often: 'daily', 'weekly', 'fortnightly', 'monthly', or 'about every N weeks'."""
    if len(days) < 2:
        return ""
    step = statistics.median((b - a).days for a, b in zip(days, days[1:], strict=False))
    for word, low, high in (
        ("daily", 0.5, 1.5),
        ("weekly", 6, 8),
        ("fortnightly", 13, 15),
        ("monthly", 26, 35),
    ):
        if low <= step <= high:
            return word
    if step < 0.5:
        return "on the same day"
    if step < 6:
        return f"about every {round(step)} days"
    return f"about every {round(step / 7)} weeks"


def months(first, last) -> str:
    """'Feb 2020', 'Feb–Aug 2020' or 'Nov 2019–Feb 2020'."""
    if (first.year, first.month) == (last.year, last.month):
        return f"{first:%b %Y}"
    if first.year == last.year:
        return f"{first:%b}–{last:%b %Y}"
    return f"{first:%b %Y}–{last:%b %Y}"
