"""The run chart's tables: every child accounted for, as CSV text.

``<chart>.csv`` has a row per child who reached the end (with the signal flags the
chart shows), ``<chart>-waiting.csv`` a row per child still waiting, and
``<chart>-excluded.csv`` a row per child left off the chart, with the reason.
Cells that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from timelines.runchart.analysis import Analysis

POINT_COLUMNS = (
    "child_id", "start", "end", "weeks", "phase", "median_weeks", "shift", "trend",
    "start_found_by", "end_found_by",
)  # fmt: skip
WAITING_COLUMNS = ("child_id", "start", "days_waited", "weeks_waited", "start_found_by")
EXCLUDED_COLUMNS = ("child_id", "reason")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """Text a spreadsheet will show, never run: a leading =, +, -, @ (or tab, carriage
    return) gets a ' before it."""
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def csv_bytes(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def points_csv(analysis: Analysis) -> bytes:
    rows = []
    for number, phase in enumerate(analysis.phases, 1):
        for index in range(phase.first, phase.last + 1):
            point, flags = analysis.series.points[index], analysis.flags[index]
            rows.append((
                point.child_id, f"{point.start:%d/%m/%Y}", f"{point.end:%d/%m/%Y}",
                f"{point.weeks:.1f}", number, f"{phase.centre:.1f}",
                "yes" if "shift" in flags else "", "yes" if "trend" in flags else "",
                point.start_how, point.end_how,
            ))  # fmt: skip
    return csv_bytes(POINT_COLUMNS, rows)


def waiting_csv(analysis: Analysis) -> bytes:
    rows = [
        (w.child_id, f"{w.start:%d/%m/%Y}", w.days, f"{w.weeks:.1f}", w.start_how)
        for w in analysis.series.waiting
    ]
    return csv_bytes(WAITING_COLUMNS, rows)


def excluded_csv(analysis: Analysis) -> bytes:
    return csv_bytes(EXCLUDED_COLUMNS, [(e.child_id, e.reason) for e in analysis.series.excluded])
