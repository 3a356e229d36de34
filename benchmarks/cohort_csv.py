"""Read a contract-format cohort with the csv module only (for the reference renderers)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path


@dataclass
class RawChild:
    child_id: str
    name: str
    events: list[tuple[date, str, str]] = field(default_factory=list)
    placements: list[tuple[date, date | None, str]] = field(default_factory=list)


def _day(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()


def read_cohort(folder: Path, limit: int | None = None) -> list[RawChild]:
    """The first ``limit`` children with their events and placements."""
    with (folder / "children.csv").open(encoding="utf-8") as handle:
        children = {
            r["child_id"]: RawChild(r["child_id"], r["name"]) for r in csv.DictReader(handle)
        }
    wanted = dict(list(children.items())[:limit]) if limit else children
    with (folder / "chronology.csv").open(encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            if r["child_id"] in wanted:
                wanted[r["child_id"]].events.append((_day(r["date"]), r["event"], r["category"]))
    with (folder / "placements.csv").open(encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            if r["child_id"] in wanted:
                end = _day(r["end_date"]) if r["end_date"] else None
                wanted[r["child_id"]].placements.append(
                    (_day(r["start_date"]), end, r["placement_type"])
                )
    return list(wanted.values())
