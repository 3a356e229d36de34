"""Key-fact lines about waiting: the wait still running, the longest wait, the main target,
and how a story that ended ended ("Left care: 27/03/2020, aged 16")."""

from __future__ import annotations

from timelines.analyse.drift import Drift
from timelines.analyse.facts import Facts
from timelines.analyse.milestones import DIED, Milestone
from timelines.analyse.targets import main_target, target_fact
from timelines.analyse.waits import START_CODES, Wait
from timelines.model.dates import age_in_years

ENDED_LABELS = {"left_care": "Left care", DIED: "Died"}


def drift_facts(facts: Facts) -> tuple[dict[str, str], dict[str, str]]:
    """Values for the key facts, and labels that replace the usual ones (by fact name)."""
    drift = facts.drift
    if drift is None:
        return {}, {}
    values: dict[str, str] = {}
    labels: dict[str, str] = {}
    waits = drift.waits
    # between steps only (a contact session does not end a wait); none without steps
    values["longest_gap"] = waits.longest.describe() if waits.longest is not None else ""
    if facts.first_looked_after is None and (begun := _begun(drift)):
        values["first_looked_after"] = f"{begun.when.label()} ({begun.name})"
    ended = waits.ended
    if waits.open is not None:
        labels["since_last_decision"] = "Still waiting"
        values["since_last_decision"] = _open(waits.open, drift)
    elif ended is not None and ended.code in ENDED_LABELS:
        values["since_last_decision"] = ""
    elif ended is not None:
        labels["since_last_decision"] = "Legal permanence"
        values["since_last_decision"] = f"achieved {ended.when.label()}, no open wait"
    if ended is not None and ended.code in ENDED_LABELS:
        labels["age"] = ENDED_LABELS[ended.code]
        born = facts.date_of_birth
        aged = f", aged {age_in_years(born, ended.when.middle)}" if born else ""
        values["age"] = f"{ended.when.label()}{aged}"
    main = main_target(drift.targets)
    if main is not None:
        labels["main_target"] = main.rule.label
        values["main_target"] = target_fact(main)
    return values, labels


def _begun(drift: Drift) -> Milestone | None:
    """When the child became looked after, from the milestones (no placements given)."""
    starts = [m for m in drift.milestones if m.code in START_CODES]
    return min(starts, key=lambda m: m.when.middle, default=None)


def _open(wait: Wait, drift: Drift) -> str:
    last = next((s for s in drift.waits.steps if s.when == wait.start), None)
    what = f" since {last.label} ({last.when.label()})" if last else ""
    return f"{wait.length()}{what}"
