"""What an analyst asks of a run chart, and the few words it can be given in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from timelines.runchart.analysis import Choices
from timelines.runchart.series import DEFAULT_END, DEFAULT_START

_TARGET = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(w|wk|wks|weeks?|d|days?|m|months?)?\s*$", re.I)
DAYS_PER_MONTH = 30.4375


@dataclass(frozen=True)
class RunChartOptions:
    start: str = DEFAULT_START
    end: str = DEFAULT_END
    as_of: date | None = None
    since: date | None = None
    until: date | None = None
    choices: Choices = field(default_factory=Choices)
    annotations: Path | None = None
    fmt: str | None = None  # pdf, png or svg; None: from the output's suffix, else pdf
    marking: str | None = None
    prepared_by: str = ""
    prepared_on: date | None = None


def parse_target(text: str) -> float:
    """A target as weeks: '26w', '26 weeks', '182d', '6m' (months of 30.4 days), '26'."""
    match = _TARGET.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a target; write it as 26w, 182d or 6m")
    number, unit = float(match[1]), (match[2] or "w").lower()
    if unit.startswith("d"):
        return number / 7
    if unit.startswith("m"):
        return number * DAYS_PER_MONTH / 7
    return number
