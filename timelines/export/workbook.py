"""Write the blank Excel workbook a social worker fills in: instructions and three sheets.

The sheets ``children``, ``chronology`` and ``placements`` have the input
contract's columns, drop-down lists for the coded columns, date checks and
formats, frozen bold headings and sensible widths. ``timelines render`` reads
the filled-in workbook directly. It is written
by ``timelines.export.files.write_atomic``, like every file timelines writes.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from timelines.analyse.milestones import MILESTONE_CODES
from timelines.export.files import write_atomic
from timelines.model.dates import DateError, parse_exact_date
from timelines.model.problems import TimelinesError
from timelines.model.vocab import CATEGORIES, PLACEMENT_TYPES

ROWS = 500  # data rows prepared with formats and drop-down lists
DATE_FORMAT = "dd/mm/yyyy"
TEXT_FORMAT = "@"
YES_NO = ("yes", "no")
_FIXED_TIME = datetime(2024, 1, 1)  # workbook properties, so that output does not vary
_HEADING_FILL = PatternFill("solid", fgColor="DDE6F0")


# Placement types in plain words, for the instructions.
PLACEMENT_WORDS: dict[str, str] = {
    "home": "looked after at home with parents, on a supervision order",
    "kinship": "with relatives or friends",
    "foster": "with foster carers",
    "residential": "in a children's home or residential school",
    "secure": "in a secure unit",
    "adoptive": "with prospective adopters",
    "other": "anywhere else",
}

# Per sheet: (column, width, what to write). Order is the sheet's column order.
COLUMNS: dict[str, tuple[tuple[str, int, str], ...]] = {
    "children": (
        (
            "child_id",
            14,
            "A short id for the child, the same in every sheet (e.g. C1). In a workbook "
            "about one child you may leave child_id blank in every sheet.",
        ),
        ("name", 24, "The child's name as it should appear on the timeline."),
        ("date_of_birth", 14, "Date of birth, dd/mm/yyyy."),
        (
            "sibling_group",
            16,
            "Any word shared by brothers and sisters (e.g. SMITH), "
            "to draw their placement histories together.",
        ),
        ("sex", 8, "Optional: female or male (chooses the child shadows); blank if not known."),
    ),
    "chronology": (
        ("child_id", 12, "Which child (as in the children sheet). Blank for a one-child workbook."),
        (
            "date",
            14,
            "When it happened: 22/05/2016, or an uncertain date such as 03/2016, "
            "March 2016, 2014, c. 2014 or ?22/05/2016.",
        ),
        ("event", 44, "What happened, in a few words (this is the label on the timeline)."),
        ("category", 18, "Pick from the list: " + ", ".join(CATEGORIES) + ". Blank means other."),
        ("detail", 40, "More about the event (optional)."),
        ("source", 18, "Where this is recorded, e.g. LAC review minutes (optional)."),
        ("key", 8, "yes marks the events that matter most; otherwise leave blank."),
        ("redact", 9, "yes leaves this event's words out of a redacted timeline."),
        (
            "milestone",
            22,
            "Optional: the PACE milestone this event is, from the list: "
            + ", ".join(MILESTONE_CODES)
            + ". Blank: worked out from the category and words.",
        ),
    ),
    "placements": (
        ("child_id", 12, "Which child (as in the children sheet). Blank for a one-child workbook."),
        ("start_date", 14, "The day the placement started, dd/mm/yyyy."),
        ("end_date", 14, "The day it ended, dd/mm/yyyy. Blank if the child is still there."),
        (
            "placement_type",
            16,
            "Pick from the list: "
            + ", ".join(f"{code} ({PLACEMENT_WORDS[code]})" for code in PLACEMENT_TYPES)
            + ".",
        ),
        ("carer", 28, "Carer or unit name, or initials (optional)."),
        ("reason", 36, "Why the placement started or ended (optional)."),
    ),
}
DATE_COLUMNS = {
    "children": ("date_of_birth",),
    "placements": ("start_date", "end_date"),
}
TEXT_DATE_COLUMNS = {"chronology": ("date",)}  # typed as text so '03/2016' and '2014' stay
LISTS = {
    ("chronology", "category"): tuple(CATEGORIES),
    ("chronology", "key"): YES_NO,
    ("chronology", "redact"): YES_NO,
    ("chronology", "milestone"): MILESTONE_CODES,
    ("placements", "placement_type"): tuple(PLACEMENT_TYPES),
}


def write_template_workbook(path: Path) -> None:
    """Write the blank template workbook to ``path`` (replacing any file there).

    Raise ``TimelinesError`` when the name does not end in .xlsx or the folder is missing.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise TimelinesError(f"{path.name}: the template workbook must be named .xlsx")
    if not path.parent.is_dir():
        raise TimelinesError(f"{path.parent}: folder not found")
    book = workbook_bytes(build_template_workbook(path.name))
    write_atomic(path, book, private=False)  # a blank form: the usual mode


def build_template_workbook(file_name: str = "timeline.xlsx") -> Workbook:
    """The template workbook in memory; ``file_name`` is used in the instructions."""
    book = Workbook()
    book.properties.creator = "timelines"
    book.properties.created = book.properties.modified = _FIXED_TIME
    _instructions(book.active, file_name)
    for sheet in COLUMNS:
        _data_sheet(book.create_sheet(sheet), sheet)
    return book


def filled_workbook_bytes(
    rows: Mapping[str, Iterable[Sequence[str]]], file_name: str = "timeline.xlsx"
) -> bytes:
    """The template workbook with ``rows`` filled in, as .xlsx bytes made in memory."""
    return workbook_bytes(filled_workbook(rows, file_name))


def filled_workbook(
    rows: Mapping[str, Iterable[Sequence[str]]], file_name: str = "timeline.xlsx"
) -> Workbook:
    """The template workbook with ``rows`` filled in (per sheet, cells in ``COLUMNS`` order).

    A date column's cell holding a real day becomes an Excel date; every other
    cell is kept as the text typed (a leading ``=`` stays text, never a formula).
    """
    book = build_template_workbook(file_name)
    for name, sheet_rows in rows.items():
        dated = {i for i, (c, _, _) in enumerate(COLUMNS[name]) if c in DATE_COLUMNS.get(name, ())}
        sheet = book[name]
        for number, cells in enumerate(sheet_rows, start=2):
            for index, text in enumerate(cells):
                cell = sheet.cell(number, index + 1, _cell_value(text, index in dated))
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
    return book


def workbook_bytes(book: Workbook) -> bytes:
    """``book`` as .xlsx bytes, made in memory: openpyxl's own ``save`` writes every sheet
    to a temporary file first, and a workbook of a child's data must not touch the disk."""
    buffer = io.BytesIO()
    book.properties.modified = datetime.now(UTC).replace(tzinfo=None)  # as save does
    _InMemoryWriter(book, ZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True)).save()
    return buffer.getvalue()


class _InMemoryWriter(ExcelWriter):
    """openpyxl's workbook writer, with each sheet written into memory (``write_worksheet``
    is openpyxl 3.1's, but for the temporary file; ``tests/test_workbook.py`` checks)."""

    def write_worksheet(self, ws: Worksheet) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        out = io.BytesIO()
        writer = WorksheetWriter(ws, out)
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], out.getvalue())
        self.manifest.append(ws)


def _cell_value(text: str, is_date: bool) -> str | datetime | None:
    if not text:
        return None
    if is_date:
        try:
            day = parse_exact_date(text)
        except DateError:
            return text
        return datetime(day.year, day.month, day.day)
    return text


def _instructions(sheet: Worksheet, file_name: str) -> None:
    sheet.title = "instructions"
    lines: list[tuple[str, str]] = [
        ("How to fill in this workbook", ""),
        (
            "",
            "Write one row per event in 'chronology' and one row per placement in "
            "'placements'. Add the child in 'children' (name and date of birth).",
        ),
        ("", "Keep the heading row as it is. Blank rows are ignored. Do not merge cells."),
        (
            "",
            "Dates are day/month/year: 22/05/2016. In 'chronology' you can also write an "
            "uncertain date: 03/2016 or March 2016 (that month), 2014 (that year), "
            "c. 2014 or ?22/05/2016 (approximate). It is drawn as uncertain, never as a "
            "precise day.",
        ),
        ("", "Placement dates and dates of birth must be single days (dd/mm/yyyy)."),
        ("", "To make the timeline, save this file and run:"),
        ("", f"timelines render {file_name}"),
        ("", f"To check the workbook for mistakes first: timelines validate {file_name}"),
        ("", ""),
    ]
    for sheet_name, columns in COLUMNS.items():
        lines.append((f"Sheet '{sheet_name}'", ""))
        lines += [(column, meaning) for column, _, meaning in columns]
        lines.append(("", ""))
    for row, (first, second) in enumerate(lines, start=1):
        sheet.cell(row, 1, first or None)
        sheet.cell(row, 2, second or None).alignment = Alignment(wrap_text=True, vertical="top")
        if first and not second:
            sheet.cell(row, 1).font = Font(bold=True, size=13 if row == 1 else 11)
        elif first:
            sheet.cell(row, 1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 100


def _data_sheet(sheet: Worksheet, name: str) -> None:
    columns = COLUMNS[name]
    for index, (column, width, meaning) in enumerate(columns, start=1):
        cell = sheet.cell(1, index, column)
        cell.font = Font(bold=True)
        cell.fill = _HEADING_FILL
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        number_format = _number_format(name, column)
        if number_format:
            for row in range(2, ROWS + 2):
                sheet.cell(row, index).number_format = number_format
        if column in DATE_COLUMNS.get(name, ()):
            sheet.add_data_validation(_date_check(letter, meaning))
        if (name, column) in LISTS:
            sheet.add_data_validation(_list(letter, LISTS[(name, column)]))
    sheet.freeze_panes = "A2"


def _number_format(sheet: str, column: str) -> str | None:
    if column in DATE_COLUMNS.get(sheet, ()):
        return DATE_FORMAT
    if column in TEXT_DATE_COLUMNS.get(sheet, ()):
        return TEXT_FORMAT
    return None


def _cells(letter: str) -> str:
    return f"{letter}2:{letter}{ROWS + 1}"


def _list(letter: str, choices: tuple[str, ...]) -> DataValidation:
    """A drop-down list; other words are allowed after a warning (templates add codes)."""
    check = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        errorStyle="warning",
        showErrorMessage=True,
        showDropDown=False,
        errorTitle="Not in the list",
        error="Pick one of: " + ", ".join(choices),
    )
    check.add(_cells(letter))
    return check


def _date_check(letter: str, meaning: str) -> DataValidation:
    """Only real dates between 1900 and 2100 (Excel stores them as day numbers)."""
    check = DataValidation(
        type="date",
        operator="between",
        formula1="DATE(1900,1,1)",
        formula2="DATE(2100,12,31)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not a date",
        error="Type a date as dd/mm/yyyy, e.g. 22/05/2016.",
        showInputMessage=True,
        promptTitle="Date",
        prompt=meaning[:250],
    )
    check.add(_cells(letter))
    return check
