"""The tables shown for editing: the contract's three tables as rows of text.

They are read with the contract loader's own reader (same headings, same
aliases), kept in the order of the template workbook's columns, changed cell
by cell on the page, checked and drawn as the contract's three CSV files (read
in a millisecond, where a workbook takes a fifth of a second: the same rows
make the same records), and saved as the ``timelines template`` workbook.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace

from timelines.export.workbook import COLUMNS, filled_workbook_bytes
from timelines.load.contract import read_contract_tables
from timelines.load.files import InputPath
from timelines.model.dates import DateError, parse_date
from timelines.model.problems import Problem

SHEETS = ("chronology", "placements", "children")
FIELDS: dict[str, tuple[str, ...]] = {
    sheet: tuple(column for column, _, _ in COLUMNS[sheet]) for sheet in SHEETS
}


@dataclass
class Tables:
    """Rows of cell text per sheet, in ``FIELDS`` order; where each row came from."""

    rows: dict[str, list[list[str]]] = field(default_factory=lambda: {s: [] for s in SHEETS})
    # Per sheet: the file name problems use, and each row's number in it.
    files: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, list[int]] = field(default_factory=lambda: {s: [] for s in SHEETS})
    edited: bool = False  # changed on the page: checked as the CSV files, named by sheet

    def workbook(self, file_name: str) -> bytes:
        """These tables as the template workbook (a blank row stays blank: readers skip it)."""
        return filled_workbook_bytes(self.rows, file_name)

    def shown(self, problem: Problem) -> Problem:
        """The problem as the page says it: edited tables are named by their sheet."""
        for sheet, file in self.files.items():
            if self.edited and problem.file == file:
                return replace(problem, file=sheet)
        return problem

    def cell_of(self, problem: Problem) -> tuple[str, int, str] | None:
        """(sheet, row index, field) a problem points at, when it names one of these cells."""
        for sheet, file in self.files.items():
            if problem.file != file or problem.row not in self.numbers[sheet]:
                continue
            index = self.numbers[sheet].index(problem.row)
            column = (problem.column or "").strip().lower().replace(" ", "_")
            return sheet, index, column if column in FIELDS[sheet] else ""
        return None


def read_tables(primary: InputPath) -> Tables:
    """The contract's tables in a file or folder, uploaded or on disk (tables that cannot be
    read are left empty)."""
    tables = Tables()
    for sheet, (table, columns) in read_contract_tables(primary).items():
        tables.files[sheet] = table.file
        for number, cells in table.rows:
            row = [cells.get(columns[f], "") if f in columns else "" for f in FIELDS[sheet]]
            tables.rows[sheet].append(row)
            tables.numbers[sheet].append(number)
    return tables


def edited_tables(rows: dict[str, list[list[str]]]) -> Tables:
    """Tables as edited on the page, to be checked as ``csv_files``."""
    tables = Tables(rows={s: rows.get(s, []) for s in SHEETS}, edited=True)
    for sheet in SHEETS:
        tables.files[sheet] = f"{sheet}.csv"
        tables.numbers[sheet] = list(range(2, len(tables.rows[sheet]) + 2))
    return tables


def csv_files(tables: Tables) -> dict[str, bytes]:
    """The tables as the contract's CSV files (UTF-8; a blank row stays, so rows keep their
    numbers, and readers skip it)."""
    files = {}
    for sheet in SHEETS:
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(FIELDS[sheet])
        writer.writerows(tables.rows[sheet])
        files[tables.files[sheet]] = text.getvalue().encode("utf-8")
    return files


def understood(text: str) -> str:
    """What a chronology date is read as, in words: '22/05/2016', 'c. 2014 (uncertain)'."""
    if not text.strip():
        return ""
    try:
        when = parse_date(text)
    except DateError as exc:
        return f"not understood: {exc}"
    if when.uncertain:
        return f"{when.label()}: shown as uncertain"
    return when.label()
