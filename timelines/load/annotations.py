"""Read a run chart's annotations: the tests of change, one per row (``date``, ``text``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from timelines.load.tables import read_table
from timelines.model.dates import DateError, parse_exact_date
from timelines.model.problems import InputError, error

DATE_COLUMNS = ("date", "when", "from")
TEXT_COLUMNS = ("text", "change", "label", "annotation", "event")


@dataclass(frozen=True, slots=True)
class Annotation:
    """A labelled vertical mark on the chart."""

    when: date
    text: str


def read_annotations(path: Path) -> tuple[Annotation, ...]:
    """Every row as an Annotation, sorted by date; every bad row reported at once."""
    table = read_table(path)
    date_column = next((c for c in DATE_COLUMNS if c in table.columns), "")
    text_column = next((c for c in TEXT_COLUMNS if c in table.columns), "")
    missing = [name for name, found in (("date", date_column), ("text", text_column)) if not found]
    if missing:
        raise InputError(
            [error(f"missing column {', '.join(missing)} (expected: date, text)", table.file, 1)]
        )
    found, problems = [], list(table.problems)
    for row, cells in table.rows:
        text = cells[text_column].strip()
        try:
            when = parse_exact_date(cells[date_column])
        except DateError as exc:
            problems.append(error(str(exc), table.file, row, table.original(date_column)))
            continue
        if not text:
            problems.append(
                error("the text is empty", table.file, row, table.original(text_column))
            )
            continue
        found.append(Annotation(when, text))
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    return tuple(sorted(found, key=lambda a: (a.when, a.text)))
