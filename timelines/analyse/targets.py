"""Targets: when each step of the journey should have come, and whether it did.

A target (from the template's ``[targets]``) says: ``to`` should happen within ``after``
of ``start`` (a milestone code, or another target's key: the day that target was met,
else its due day). ``to`` is a milestone code, or ``review``: the reviews are matched
to the review targets in order, each review used once, none before its target's start
(or ``not_before`` after it). A target with ``applies_if`` counts only for a child who
reached one of those milestones (comma-separated). Pure functions; nothing here reads or draws.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from timelines.analyse.milestones import Milestone, first_milestone, milestone_name
from timelines.analyse.waits import duration_words
from timelines.model.dates import Duration, FuzzyDate, parse_duration
from timelines.model.records import ChildRecord

REVIEW = "review"


@dataclass(frozen=True, slots=True)
class TargetRule:
    """One target as the template sets it."""

    key: str
    label: str
    start: str  # a milestone code or another target's key
    to: str  # a milestone code or 'review'
    after: Duration
    not_before: Duration | None = None
    applies_if: str = ""  # milestones, comma-separated: the target counts if any was reached
    unless: str = ""  # a milestone that ends the target (reached before the due day: dropped)
    main: bool = False


@dataclass(frozen=True, slots=True)
class TargetResult:
    """A target for one child: due on ``due``, reached on ``met`` (None: not yet)."""

    rule: TargetRule
    start: FuzzyDate
    due: date
    met: FuzzyDate | None
    as_of: date
    closed: date | None = None  # the day its ``unless`` milestone came, after the due day
    ended: date | None = None  # the day the story ended (left care, died) with it unmet

    @property
    def days_late(self) -> int | None:
        """Days after the due day it was met (negative: early); None when not reached."""
        return None if self.met is None else (self.met.middle - self.due).days

    @property
    def status(self) -> str:
        """'met', 'late', 'missed' (closed unmet), 'unrecorded' (not met when the story
        ended), 'overdue' (open, past due) or 'open' (not due yet)."""
        if self.met is not None:
            return "late" if self.met.middle > self.due else "met"
        if self.closed is not None:
            return "missed"
        if self.ended is not None:
            return "unrecorded"
        return "overdue" if self.as_of > self.due else "open"

    @property
    def uncertain(self) -> bool:
        return self.start.uncertain or (self.met is not None and self.met.uncertain)


def rules_from_settings(settings: Mapping[str, Mapping[str, Any]]) -> tuple[TargetRule, ...]:
    """The template's ``[targets]`` table as rules (those with ``use = false`` left out)."""
    rules = []
    for key, spec in settings.items():
        if not spec.get("use", True):
            continue
        not_before = spec.get("not_before", "")
        rules.append(
            TargetRule(
                key,
                spec["label"],
                spec["from"],
                spec["to"],
                parse_duration(spec["after"]),
                parse_duration(not_before) if not_before else None,
                spec.get("applies_if", ""),
                spec.get("unless", ""),
                bool(spec.get("main", False)),
            )
        )
    return tuple(rules)


def check_targets(
    record: ChildRecord,
    milestones: Sequence[Milestone],
    rules: Sequence[TargetRule],
    as_of: date,
    ended: date | None = None,
) -> tuple[TargetResult, ...]:
    """Each target that applies to the child (its start reached by ``as_of``), in due
    order; ``ended``: the day the story ended (unmet targets are then closed)."""
    reviews = sorted(
        (e.when for e in record.events if e.category == REVIEW and e.day <= as_of),
        key=lambda when: when.middle,
    )
    used: set[int] = set()
    done: dict[str, TargetResult] = {}
    pending = list(rules)
    while pending:
        ready = [r for r in pending if r.start not in {p.key for p in pending}]
        if not ready:  # targets that start from each other: none can be placed
            break
        for rule in ready:
            pending.remove(rule)
            result = _check(rule, milestones, done, reviews, used, as_of)
            if result is not None and result.met is None and ended is not None:
                result = replace(result, ended=ended)
            if result is not None:
                done[rule.key] = result
    return tuple(sorted(done.values(), key=lambda r: (r.due, r.rule.key)))


def main_target(results: Sequence[TargetResult]) -> TargetResult | None:
    """The target the template marks as main (the key facts give it a line)."""
    return next((r for r in results if r.rule.main), None)


def _check(
    rule: TargetRule,
    milestones: Sequence[Milestone],
    done: Mapping[str, TargetResult],
    reviews: list[FuzzyDate],
    used: set[int],
    as_of: date,
) -> TargetResult | None:
    if rule.applies_if and not any(
        first_milestone(milestones, code.strip()) for code in rule.applies_if.split(",")
    ):
        return None
    start = _start(rule.start, milestones, done)
    if start is None or start.middle > as_of:
        return None
    due = rule.after.after(start.middle)
    closing = _first_after(milestones, rule.unless, start.middle, as_of) if rule.unless else None
    if closing is not None and closing.middle <= due:
        return None
    last = closing.middle if closing is not None else as_of
    if rule.to == REVIEW:
        earliest = rule.not_before.after(start.middle) if rule.not_before else start.middle
        met = _next_review(reviews, used, earliest, last)
    else:
        met = _first_after(milestones, rule.to, start.middle, last)
    closed = closing.middle if closing is not None and met is None else None
    return TargetResult(rule, start, due, met, as_of, closed)


def _first_after(
    milestones: Sequence[Milestone], code: str, start: date, last: date
) -> FuzzyDate | None:
    reached = [m.when for m in milestones if m.code == code and start <= m.when.middle <= last]
    return min(reached, key=lambda w: w.middle, default=None)


def _start(
    name: str, milestones: Sequence[Milestone], done: Mapping[str, TargetResult]
) -> FuzzyDate | None:
    if name in done:
        earlier = done[name]
        return earlier.met or FuzzyDate.exact(earlier.due)
    found = first_milestone(milestones, name)
    return found.when if found else None


def _next_review(
    reviews: list[FuzzyDate], used: set[int], earliest: date, last: date
) -> FuzzyDate | None:
    for i, when in enumerate(reviews):
        if i not in used and earliest <= when.middle <= last:
            used.add(i)
            return when
    return None


def describe(result: TargetResult) -> str:
    """The result in plain words: 'met', '7 months late', 'due 03/08/2020: not yet'."""
    status = result.status
    if status == "met":
        return "met"
    if status == "late":
        assert result.met is not None
        return f"{duration_words(FuzzyDate.exact(result.due), result.met)} late"
    if status == "missed":
        return f"not met (due {result.due:%d/%m/%Y})"
    if status == "unrecorded":
        return f"not recorded (due {result.due:%d/%m/%Y})"
    if status == "overdue":
        return f"due {result.due:%d/%m/%Y}: not yet"
    return f"due {result.due:%d/%m/%Y}"


def target_fact(result: TargetResult) -> str:
    """'13 months after being accommodated (target 6 months)', or how long it is waiting."""
    after = f"after {_being(result.rule.start)}"
    target = f"(target {result.rule.after.words()})"
    if result.met is not None:
        return f"{duration_words(result.start, result.met)} {after} {target}"
    now = FuzzyDate.exact(result.as_of)
    return f"not yet, {duration_words(result.start, now)} {after} {target}"


def _being(code: str) -> str:
    words = {
        "accommodated": "accommodation",
        "looked_after_home": "becoming looked after at home",
        "court_application": "the application was lodged",
    }
    return words.get(code, milestone_name(code))
