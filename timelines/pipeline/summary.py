"""A cohort's tables: summary.csv (one row per child, from its key facts), errors.csv and
accounting.csv (per file, what became of its rows)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from timelines.analyse.drift import DriftRules, summary_columns, summary_values
from timelines.analyse.facts import Facts
from timelines.model.counts import RowCount, summed
from timelines.model.options import RenderOptions
from timelines.model.problems import Problem
from timelines.pdf.document import write_atomic
from timelines.prepare.template import Theme

SUMMARY_COLUMNS = (
    "child_id",
    "age_years",
    "first_looked_after",
    "days_looked_after",
    "placements",
    "moves",
    "longest_gap_days",
    "days_since_last_decision",
    "current_placement_type",
    "warnings",
    "status",
    "group_pdf",
)
ERROR_COLUMNS = ("file", "row", "column", "child_id", "message")
ACCOUNTING_COLUMNS = ("file", "read", "used", "merged", "errors", "left_out")


def summary_row(child_id: str, facts: Facts | None, warnings: list[Problem], status: str) -> dict:
    """One line of summary.csv (the drift columns too, when the facts have them)."""
    text = "; ".join(p.message for p in warnings[:3]) + ("; …" if len(warnings) > 3 else "")
    row = dict.fromkeys(SUMMARY_COLUMNS, "")
    row.update(child_id=child_id, warnings=f"{len(warnings)}: {text}" if warnings else "0")
    row["status"] = status
    if facts is None:
        return row
    gap = facts.longest_gap
    row.update(
        age_years="" if facts.age_years is None else str(facts.age_years),
        first_looked_after=f"{facts.first_looked_after:%d/%m/%Y}"
        if facts.first_looked_after
        else "",
        days_looked_after=str(facts.days_looked_after),
        placements=str(facts.placements),
        moves=str(facts.moves),
        longest_gap_days=str(gap.days) if gap else "",
        days_since_last_decision=""
        if facts.days_since_last_decision is None
        else str(facts.days_since_last_decision),
        current_placement_type=facts.current_placement.placement_type
        if facts.current_placement
        else "",
    )
    if facts.drift is not None:  # waits between steps, as on the page
        longest = facts.drift.waits.longest
        row["longest_gap_days"] = str(longest.days) if longest else ""
        row.update(summary_values(facts.drift))
    return row


def summary_columns_for(theme: Theme, options: RenderOptions) -> tuple[str, ...]:
    """summary.csv's columns: the fixed ones, then the open wait, each milestone's date and
    each of the template's targets' due date and days late."""
    rules = DriftRules.from_settings(theme.settings, options.gap_threshold_months)
    return SUMMARY_COLUMNS + summary_columns(rules)


def error_rows(
    errors: tuple[Problem, ...], owners: dict[Problem, str], render_errors: list[tuple[str, str]]
) -> list[dict]:
    """errors.csv's rows: every input error (with its child when known), then every child
    whose drawing failed."""
    rows = [
        {
            "file": p.file,
            "row": p.row or "",
            "column": p.column or "",
            "child_id": owners.get(p, ""),
            "message": p.message,
        }
        for p in errors
    ]
    blank = dict.fromkeys(ERROR_COLUMNS, "")
    rows += [dict(blank, child_id=cid, message=message) for cid, message in render_errors]
    return rows


def csv_text(columns: tuple[str, ...], rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write_tables(
    out: Path,
    summaries: list[dict] | None,
    errors: list[dict],
    columns: tuple[str, ...] = SUMMARY_COLUMNS,
    counts: tuple[RowCount, ...] = (),
) -> None:
    """summary.csv (when asked for, with ``columns``), errors.csv and accounting.csv in
    ``out``."""
    if summaries is not None:
        write_atomic(out / "summary.csv", csv_text(columns, summaries))
    write_atomic(out / "errors.csv", csv_text(ERROR_COLUMNS, errors))
    write_atomic(out / "accounting.csv", csv_text(ACCOUNTING_COLUMNS, accounting_rows(counts)))


def accounting_rows(counts: tuple[RowCount, ...]) -> list[dict]:
    """accounting.csv's rows: per file, read = used + merged + errors + left_out (the
    warnings and errors.csv say which rows and why)."""
    return [
        {
            "file": c.file,
            "read": c.read,
            "used": c.records,
            "merged": c.merged,
            "errors": c.errors,
            "left_out": c.left_out,
        }
        for c in summed(counts)
    ]
