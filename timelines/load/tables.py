"""Read one table (a CSV/text file or an Excel sheet) into plain text cells.

Everything spreadsheets do to a table on its way here is undone: a UTF-8
byte-order mark, Windows-1252 text, CRLF line endings, tab or semicolon
separators, stray spaces and capitals in headings, blank rows, Excel date cells
and whole numbers stored as ``12.0``. Cells are never evaluated: a cell that
starts with ``=`` is kept as the text it is. Files that are not tables at all
(missing, empty, a PDF or picture renamed ``.csv``) raise ``InputError``.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, NoReturn

from timelines.model.problems import InputError, Problem, error, warning

EXCEL_SUFFIXES = (".xlsx", ".xlsm")

# The first bytes of files people rename to .csv by mistake, and what they are.
_MAGIC = (
    (b"%PDF", "a PDF"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a zip file, such as an .xlsx workbook or a Word document"),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls or Word .doc file"),
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_CONTROL = frozenset(chr(c) for c in range(32)) - {"\t", "\n", "\r", "\f", "\v"}


@dataclass(frozen=True)
class Table:
    """A table as text: normalised headings and, per data row, its row number and cells.

    ``rows`` holds ``(row number, cells)`` where the row number is the one a
    spreadsheet shows (the heading row is row 1 when it is the first line) and
    ``cells`` reads like a dict of column to cell text (a ``Cells`` tuple: a
    cohort's tables hold millions of cells). Fully blank rows are not data and
    are left out.
    """

    file: str
    columns: tuple[str, ...]
    original_columns: tuple[str, ...]
    rows: tuple[tuple[int, Cells], ...]
    header_row: int = 1
    problems: tuple[Problem, ...] = ()

    def original(self, column: str) -> str:
        """The heading as the file spells it (or the normalised name if it had none)."""
        for name, original in zip(self.columns, self.original_columns, strict=True):
            if name == column:
                return original or name
        return column


class Cells(tuple):
    """One row's cells, read by column name like a dict (``cells["date"]``,
    ``cells.get("carer", "")``) but stored as a plain tuple; ``_columns`` is set
    on a subclass made for each table by ``cells_type``."""

    __slots__ = ()
    _columns: dict[str, int] = {}

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self._columns[key])
        return tuple.__getitem__(self, key)

    def get(self, key: str, default: str = "") -> str:
        at = self._columns.get(key)
        return default if at is None else tuple.__getitem__(self, at)

    def keys(self) -> list[str]:
        return list(self._columns)

    def values(self) -> tuple[str, ...]:
        return tuple(self)

    def items(self) -> list[tuple[str, str]]:
        return list(zip(self._columns, self, strict=True))

    def __contains__(self, key: object) -> bool:
        return key in self._columns

    def __eq__(self, other: object) -> bool:
        if isinstance(other, dict):
            return dict(self.items()) == other
        return tuple.__eq__(self, other)

    __hash__ = tuple.__hash__


def cells_type(columns: tuple[str, ...]) -> type[Cells]:
    """A ``Cells`` class for a table with these columns."""
    return type(
        "Cells", (Cells,), {"__slots__": (), "_columns": {c: i for i, c in enumerate(columns)}}
    )


def normalise_heading(text: str) -> str:
    """' Start-Date ' -> 'start_date'."""
    return "_".join(str(text).strip().lower().replace("-", " ").split())


def read_table(path: Path, sheet: str | None = None) -> Table:
    """Read a CSV/text file, or one sheet of an .xlsx workbook, as a ``Table``.

    ``sheet`` picks an Excel sheet by name (any case); without it the first sheet
    is read. Raise ``InputError`` when the file cannot be read as a table.
    """
    path = Path(path)
    _check_exists(path)
    if path.suffix.lower() in EXCEL_SUFFIXES:
        title, cells = _read_sheet(path, sheet)
        return _build(f"{path.name} [{title}]", cells)
    if path.suffix.lower() == ".xls":
        _fail(path.name, "old Excel .xls files cannot be read; save it as .xlsx or .csv")
    return _build(path.name, _read_text_rows(path))


def find_sheet_names(path: Path) -> list[str]:
    """The names of the sheets of an .xlsx workbook, in workbook order."""
    path = Path(path)
    _check_exists(path)
    book = _open_workbook(path)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def _fail(file: str, message: str, row: int | None = None, column: str | None = None) -> NoReturn:
    raise InputError([error(message, file, row, column)])


def _check_exists(path: Path) -> None:
    if path.is_dir():
        _fail(path.name, "is a folder, not a file")
    if not path.is_file():
        _fail(path.name, "file not found")


# --- text files -------------------------------------------------------------------------


def _read_text_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Rows of a text table, numbered from 1, read lazily so large files stay small in memory.

    The file's bytes are decoded as they are read (a whole decoded copy is only made
    once, briefly, to check that the file is text at all)."""
    try:
        raw = path.read_bytes().rstrip(b"\x1a")  # an old DOS end-of-file mark
    except OSError as exc:
        _fail(path.name, f"cannot be read ({exc.strerror or exc})")
    encoding, delimiter = _encoding(path.name, raw)
    stream = io.TextIOWrapper(io.BytesIO(raw), encoding, errors="replace", newline="")
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        _fail(path.name, f"cannot be read as CSV ({exc})", reader.line_num)


def _encoding(file: str, raw: bytes) -> tuple[str, str]:
    """The encoding (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252) and
    the delimiter of a text table; refuse bytes that are not a table's text."""
    for magic, kind in _MAGIC:
        if raw.startswith(magic):
            _fail(file, f"not a text file (it looks like {kind}); save the table as .csv or .xlsx")
    if raw.startswith(_UTF16_BOMS):
        encoding, text = "utf-16", raw.decode("utf-16", errors="replace")
    elif b"\x00" in raw:
        _fail(file, "not a text file; save the table as .csv or .xlsx")
    else:
        encoding, text = _decoded(file, raw)
    if not text.strip():
        _fail(file, "the file is empty")
    controls = sum(map(text.count, _CONTROL))
    if controls > max(2, len(text) // 50):
        _fail(file, "not a text file; save the table as .csv or .xlsx")
    return encoding, _delimiter(text)


def _decoded(file: str, raw: bytes) -> tuple[str, str]:
    """UTF-8 (with or without a byte-order mark) if it is, else Windows-1252."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return encoding, raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    _fail(file, "not a text file; save the table as .csv or .xlsx")


def _delimiter(text: str) -> str:
    """Comma, unless the heading line is clearly tab- or semicolon-separated."""
    first = next((line for line in text[:65536].splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (",", "\t", ";")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > counts[","] else ","


# --- Excel workbooks ----------------------------------------------------------------------


def _open_workbook(path: Path) -> Any:
    from openpyxl import load_workbook  # imported here: only Excel users pay for it

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a damaged or foreign file
        _fail(path.name, "not an Excel workbook, or a damaged one; save it again from Excel")


def _read_sheet(path: Path, sheet: str | None) -> tuple[str, list[tuple[int, list[str]]]]:
    book = _open_workbook(path)
    try:
        worksheet = _pick_sheet(path.name, book, sheet)
        rows = [
            (number, [_cell_text(value) for value in values])
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1)
        ]
        return worksheet.title, rows
    finally:
        book.close()


def _pick_sheet(file: str, book: Any, sheet: str | None) -> Any:
    if sheet is None:
        return book.worksheets[0]
    for name in book.sheetnames:
        if name.strip().lower() == sheet.strip().lower():
            return book[name]
    names = ", ".join(f'"{name}"' for name in book.sheetnames)
    _fail(file, f'no sheet called "{sheet}" (the sheets are {names})')


def _cell_text(value: Any) -> str:
    """An Excel cell value as the text a person sees: dates dd/mm/yyyy, 12 not 12.0."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- shared: headings and rows --------------------------------------------------------------

_SHORT = 40  # cells up to this length are interned: ids, dates and codes repeat a lot


def _clean(cell: object) -> str:
    text = str(cell).strip()
    return sys.intern(text) if len(text) <= _SHORT else text


def _build(file: str, cells: Iterable[tuple[int, list[str]]]) -> Table:
    numbered = ((n, [_clean(c) for c in row]) for n, row in cells)
    numbered = ((n, row) for n, row in numbered if any(row))
    first = next(numbered, None)
    if first is None:
        _fail(file, "the file is empty")
    header_row, header = first
    while header and not header[-1]:
        header.pop()
    columns = _columns(file, header_row, header)
    width = len(columns)
    make = cells_type(columns)
    rows, problems = [], []
    for number, row in numbered:
        if len(row) > width and any(row[width:]):
            extra = [cell for cell in row[width:] if cell]
            used = max(i for i, cell in enumerate(row) if cell) + 1
            problems.append(_extra_cells(file, number, used, width, extra))
        padded = row[:width] + [""] * (width - len(row))
        rows.append((number, make(padded)))
    return Table(file, columns, tuple(header), tuple(rows), header_row, tuple(problems))


def _columns(file: str, header_row: int, header: list[str]) -> tuple[str, ...]:
    names = [
        normalise_heading(text) or f"column_{_letter(i).lower()}" for i, text in enumerate(header)
    ]
    first_seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in first_seen:
            where = f"columns {_letter(first_seen[name])} and {_letter(i)}"
            _fail(file, f'column "{name}" appears twice ({where})', header_row, header[i])
        first_seen[name] = i
    return tuple(names)


def _extra_cells(file: str, row: int, cells: int, columns: int, extra: list[str]) -> Problem:
    shown = ", ".join(f'"{cell[:30]}"' for cell in extra[:3])
    return warning(
        f"row has {cells} cells but there are only {columns} column headings"
        f" (is there a comma that is not in quotes?); extra cells ignored: {shown}",
        file,
        row,
    )


def _letter(index: int) -> str:
    """Spreadsheet column letter for a 0-based index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
