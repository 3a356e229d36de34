"""Waits for decisions: the chain of steps, the long waits between them, the wait still running.

A *step* is an event that moves the child's plan on: an event of a step category (the
template's ``[waits] steps``) or a milestone. The chain starts when the child becomes
looked after (the first ``looked_after_home`` or ``accommodated`` milestone). Waits
between consecutive steps (and from becoming looked after to the first step) longer
than the threshold are *long*; the wait since the last step is *open* unless the story
has ended (left care, died) or legal permanence was achieved.

Pure functions; nothing here reads or draws.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from timelines.analyse.milestones import DIED, Milestone, first_milestone
from timelines.model.dates import FuzzyDate, plain_duration
from timelines.model.records import ChildRecord, Event

STEP_CATEGORIES = ("hearing", "decision", "panel", "court", "order")
START_CODES = ("looked_after_home", "accommodated")
ENDING_CODES = ("left_care", DIED)


@dataclass(frozen=True, slots=True)
class Step:
    """A day the plan moved on, and what happened."""

    when: FuzzyDate
    label: str


@dataclass(frozen=True, slots=True)
class Wait:
    """The time from one step (or from becoming looked after) to the next, or to ``as_of``."""

    start: FuzzyDate
    end: FuzzyDate
    open: bool = False  # still running on the as-of day

    @property
    def days(self) -> int:
        return (self.end.middle - self.start.middle).days

    @property
    def uncertain(self) -> bool:
        return self.start.uncertain or self.end.uncertain

    def length(self) -> str:
        """'8 months', or 'about 10 months' when a date is not exact."""
        return duration_words(self.start, self.end)

    def describe(self) -> str:
        """'8 months (01/02/2020 to 03/10/2020)', 'about 10 months (2014 to c. May 2015)'."""
        end = "now" if self.open else self.end.label()
        return f"{self.length()} ({self.start.label()} to {end})"


@dataclass(frozen=True, slots=True)
class StoryEnd:
    """How and when the story ended: 'left_care', 'died' or 'permanence_achieved'."""

    code: str
    when: FuzzyDate
    label: str


@dataclass(frozen=True, slots=True)
class Waits:
    """The decision chain of one child at ``as_of``."""

    as_of: date
    steps: tuple[Step, ...]
    waits: tuple[Wait, ...]  # every wait between steps (and from becoming looked after)
    long: tuple[Wait, ...]  # those over the threshold
    open: Wait | None  # the wait still running since the last step
    ended: StoryEnd | None
    threshold_days: int

    @property
    def longest(self) -> Wait | None:
        candidates = [*self.waits, *([self.open] if self.open else [])]
        return max(candidates, key=lambda w: w.days, default=None)


def duration_words(start: FuzzyDate, end: FuzzyDate) -> str:
    """A length of time between two dates in plain words, 'about …' when either is uncertain."""
    words = plain_duration((end.middle - start.middle).days)
    return f"about {words}" if start.uncertain or end.uncertain else words


def find_steps(
    events: Iterable[Event], milestones: Sequence[Milestone], categories: Iterable[str]
) -> tuple[Step, ...]:
    """Steps in date order, one per day (events of step categories, and milestones)."""
    wanted = frozenset(categories)
    found: dict[date, Step] = {}
    for event in events:
        if event.category in wanted:
            found.setdefault(event.day, Step(event.when, event.label))
    for milestone in milestones:
        found.setdefault(milestone.when.middle, Step(milestone.when, milestone.label))
    return tuple(found[day] for day in sorted(found))


def story_end(milestones: Sequence[Milestone]) -> StoryEnd | None:
    """Death, leaving care (not followed by a new start) or legal permanence, if reached."""
    died = first_milestone(milestones, DIED)
    if died is not None:
        return StoryEnd(DIED, died.when, died.label)
    leaving = [m for m in milestones if m.code == "left_care"]
    if leaving:
        last = leaving[-1]
        if not _restarted(last, milestones):
            return StoryEnd("left_care", last.when, last.label)
    permanence = [m for m in milestones if m.code == "permanence_achieved"]
    if permanence and not _restarted(permanence[-1], milestones):
        last = permanence[-1]
        return StoryEnd("permanence_achieved", last.when, last.label)
    return None


def _restarted(milestone: Milestone, milestones: Sequence[Milestone]) -> bool:
    """True when the child became looked after again after ``milestone``."""
    day = milestone.when.middle
    return any(m.code in START_CODES and m.when.middle > day for m in milestones)


def find_waits(
    record: ChildRecord,
    milestones: Sequence[Milestone],
    as_of: date,
    threshold_days: int,
    categories: Iterable[str] = STEP_CATEGORIES,
) -> Waits:
    """The decision chain up to ``as_of``: waits between steps, the long ones and the open one."""
    begun = min(
        (m for m in milestones if m.code in START_CODES),
        key=lambda m: m.when.middle,
        default=None,
    )
    steps = [s for s in find_steps(record.events, milestones, categories) if s.when.middle <= as_of]
    ended = story_end([m for m in milestones if m.when.middle <= as_of])
    chain = steps
    if begun is not None:
        chain = [s for s in steps if s.when.middle >= begun.when.middle]
    if ended is not None:  # after the story ended, nobody is waiting for a decision
        chain = [s for s in chain if s.when.middle <= ended.when.middle]
    waits = tuple(Wait(a.when, b.when) for a, b in zip(chain, chain[1:], strict=False))
    open_wait = None
    if chain and ended is None and chain[-1].when.middle < as_of:
        open_wait = Wait(chain[-1].when, FuzzyDate.exact(as_of), open=True)
    return Waits(
        as_of,
        tuple(steps),
        waits,
        tuple(w for w in waits if w.days > threshold_days),
        open_wait,
        ended,
        threshold_days,
    )
