"""Drift: one child's milestones, waits for decisions and targets, worked out together."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from timelines.analyse.milestones import (
    ADOPTIVE_PLACEMENT,
    COURT_ORDER,
    MILESTONE_CODES,
    Milestone,
    find_milestones,
    first_milestone,
)
from timelines.analyse.targets import TargetResult, TargetRule, check_targets, rules_from_settings
from timelines.analyse.waits import ENDING_CODES, STEP_CATEGORIES, Waits, find_waits
from timelines.model.dates import days_in_months
from timelines.model.records import ChildRecord

DEFAULT_THRESHOLD_DAYS = 183


@dataclass(frozen=True, slots=True)
class DriftRules:
    """What the template says about steps, long waits and targets."""

    steps: tuple[str, ...] = STEP_CATEGORIES
    threshold_days: int = DEFAULT_THRESHOLD_DAYS
    targets: tuple[TargetRule, ...] = ()

    @classmethod
    def from_settings(
        cls, settings: Mapping[str, Any], threshold_months: float | None = None
    ) -> DriftRules:
        """From a template's settings (``[waits]``, ``[targets]``); ``threshold_months``
        (the command line's) overrides the template's threshold."""
        waits = settings.get("waits", {})
        months = waits.get("threshold_months", 6) if threshold_months is None else threshold_months
        return cls(
            tuple(waits.get("steps", STEP_CATEGORIES)),
            days_in_months(months),
            rules_from_settings(settings.get("targets", {})),
        )


@dataclass(frozen=True, slots=True)
class Drift:
    """Milestones, the decision chain and the targets of one child at ``waits.as_of``."""

    milestones: tuple[Milestone, ...]
    waits: Waits
    targets: tuple[TargetResult, ...]


def analyse_drift(
    record: ChildRecord,
    as_of: date,
    rules: DriftRules,
    milestones: Sequence[Milestone] | None = None,
) -> Drift:
    """Everything about waiting for one child, as at ``as_of``."""
    found = tuple(find_milestones(record) if milestones is None else milestones)
    waits = find_waits(record, found, as_of, rules.threshold_days, rules.steps)
    ended = waits.ended
    closing = ended.when.middle if ended is not None and ended.code in ENDING_CODES else None
    targets = check_targets(record, found, rules.targets, as_of, closing)
    return Drift(found, waits, targets)


SUMMARY_MILESTONES = (*MILESTONE_CODES, ADOPTIVE_PLACEMENT, COURT_ORDER)


def summary_columns(rules: DriftRules) -> tuple[str, ...]:
    """The columns a cohort's summary gains: the open wait, each milestone's first date,
    each target's due date and days late."""
    columns = ["open_wait_days"]
    columns += [f"{code}_date" for code in SUMMARY_MILESTONES]
    for rule in rules.targets:
        columns += [f"{rule.key}_due", f"{rule.key}_days_late"]
    return tuple(columns)


def summary_values(drift: Drift) -> dict[str, str]:
    """One child's values for ``summary_columns``: blank when not reached; days late are
    negative when early."""
    values = {"open_wait_days": str(drift.waits.open.days) if drift.waits.open else ""}
    for code in SUMMARY_MILESTONES:
        first = first_milestone(drift.milestones, code)
        values[f"{code}_date"] = first.when.label() if first else ""
    for result in drift.targets:
        late = result.days_late
        values[f"{result.rule.key}_due"] = f"{result.due:%d/%m/%Y}"
        values[f"{result.rule.key}_days_late"] = "" if late is None else str(late)
    return values
