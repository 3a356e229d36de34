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
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import PurePath
from typing import Any, BinaryIO, NoReturn

from timelines.load.files import InputPath, as_input
from timelines.model.problems import InputError, Problem, error

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
    are left out. ``bad_rows`` are rows with an error in ``problems`` (too many or too
    few cells): loaders count them as errors and read nothing from them.
    """

    file: str
    columns: tuple[str, ...]
    original_columns: tuple[str, ...]
    rows: tuple[tuple[int, Cells], ...]
    header_row: int = 1
    problems: tuple[Problem, ...] = ()
    bad_rows: frozenset[int] = frozenset()

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


def read_table(path: InputPath, sheet: str | None = None) -> Table:
    """Read a CSV/text file, or one sheet of an .xlsx workbook, as a ``Table``.

    ``sheet`` picks an Excel sheet by name (any case); without it the first sheet
    is read. Raise ``InputError`` when the file cannot be read as a table.
    """
    path = as_input(path)
    with _opened(path) as stream:
        return read_stream(stream, path.name, sheet)


def read_stream(stream: BinaryIO, name: str, sheet: str | None = None) -> Table:
    """``read_table`` for a binary stream (a file opened once, or bytes uploaded):
    ``name`` is the file's name, its suffix telling a workbook from a text table."""
    suffix = PurePath(name).suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        title, cells = _read_sheet(stream, name, sheet)
        return _build(f"{name} [{title}]", cells)
    if suffix == ".xls":
        _fail(name, "old Excel .xls files cannot be read; save it as .xlsx or .csv")
    return _build(name, _read_text_rows(stream, name), text=True)


def find_sheet_names(path: InputPath) -> list[str]:
    """The names of the sheets of an .xlsx workbook, in workbook order."""
    path = as_input(path)
    with _opened(path) as stream:
        return sheet_names(stream, path.name)


def sheet_names(stream: BinaryIO, name: str) -> list[str]:
    """``find_sheet_names`` for a binary stream."""
    book = _open_workbook(stream, name)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


@contextmanager
def _opened(path: InputPath) -> Iterator[BinaryIO]:
    """The file at ``path`` opened for reading bytes: the one place a table's path is opened."""
    _check_exists(path)
    try:
        stream = path.open("rb")
    except OSError as exc:
        _fail(path.name, f"cannot be read ({exc.strerror or exc})")
    with stream:
        yield stream


def _fail(file: str, message: str, row: int | None = None, column: str | None = None) -> NoReturn:
    raise InputError([error(message, file, row, column)])


def _check_exists(path: InputPath) -> None:
    if path.is_dir():
        _fail(path.name, "is a folder, not a file")
    if not path.is_file():
        _fail(path.name, "file not found")


# --- text files -------------------------------------------------------------------------


def _read_text_rows(stream: BinaryIO, file: str) -> Iterator[tuple[int, list[str]]]:
    """Rows of a text table, numbered from 1, read lazily so large files stay small in memory.

    The file's bytes are decoded as they are read (a whole decoded copy is only made
    once, briefly, to check that the file is text at all). A quote that is never
    closed, or text after a closing quote, is an error naming its row and column:
    read leniently, it would swallow the rows after it."""
    try:
        raw = stream.read().rstrip(b"\x1a")  # an old DOS end-of-file mark
    except OSError as exc:
        _fail(file, f"cannot be read ({exc.strerror or exc})")
    encoding, delimiter = _encoding(file, raw)
    text = io.TextIOWrapper(io.BytesIO(raw), encoding, errors="replace", newline="")
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    header: list[str] = []
    number, line = 0, 1
    try:
        for number, row in enumerate(reader, start=1):
            header = header or ([c.strip() for c in row] if any(row) else [])
            yield number, row
            line = reader.line_num + 1
    except csv.Error:
        whole = raw.decode(encoding, errors="replace")
        _bad_quote(file, whole, delimiter, number + 1, line, header)


def _bad_quote(
    file: str, text: str, delimiter: str, row: int, line: int, header: list[str]
) -> NoReturn:
    """Raise the error for the record starting on physical ``line`` (row ``row``)."""
    lines = text.splitlines(keepends=True)
    field, closed = _quote_trouble("".join(lines[line - 1 :]), delimiter)
    column = header[field] if field < len(header) and header[field] else _letter(field)
    where = "" if line == row else f" (line {line} of the file)"
    if closed:
        message = (
            f'a cell has text after its closing quote ("){where}; put the whole cell in'
            ' quotes and double any quote inside it ("")'
        )
    else:
        message = (
            f'a cell starts with a quote (") that is never closed{where}: every row after'
            " it would be read into this one cell; close the quote, or remove it"
        )
    _fail(file, message, row, column)


def _quote_trouble(text: str, delimiter: str) -> tuple[int, bool]:
    """(0-based field, closed) of the first quoted cell that breaks the CSV rules in the
    record starting ``text``: closed with text after it, or never closed."""
    field, state = 0, "start"
    for char in text:
        if state == "start":
            state = "quoted" if char == '"' else "plain"
            if char == delimiter:
                field, state = field + 1, "start"
        elif state == "plain" and char == delimiter:
            field, state = field + 1, "start"
        elif state == "quoted" and char == '"':
            state = "closing"
        elif state == "closing":
            if char == '"':
                state = "quoted"
            elif char == delimiter:
                field, state = field + 1, "start"
            elif char not in "\r\n":
                return field, True
        if state in ("start", "plain", "closing") and char in "\r\n":
            break
    return field, False


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


# Workbooks beyond these are refused before they can take the machine's memory (a few
# kilobytes of zip can claim a sheet of 16,384 columns by a million rows); CSV has no limit.
MAX_SHEET_ROWS = 500_000
MAX_SHEET_COLUMNS = 500
MAX_SHEET_CELLS = 10_000_000
MAX_UNZIPPED_BYTES = 512 * 1024 * 1024


def _open_workbook(stream: BinaryIO, file: str) -> Any:
    from openpyxl import load_workbook  # imported here: only Excel users pay for it

    _check_unzipped_size(stream, file)
    try:
        return load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a damaged or foreign file
        _fail(file, "not an Excel workbook, or a damaged one; save it again from Excel")


def _check_unzipped_size(stream: BinaryIO, file: str) -> None:
    """Refuse a workbook whose parts unpack to more than ``MAX_UNZIPPED_BYTES``, from the
    sizes its zip directory declares (the zip reader stops at the declared size)."""
    try:
        with zipfile.ZipFile(stream) as archive:
            size = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        size = 0  # not a zip: openpyxl says so
    stream.seek(0)
    if size > MAX_UNZIPPED_BYTES:
        _fail(
            file,
            f"the workbook unpacks to {_bytes(size)}, more than timelines reads"
            f" ({_bytes(MAX_UNZIPPED_BYTES)}); save the table as .csv",
        )


def _bytes(size: int) -> str:
    return f"{size / 2**20:,.0f} MB" if size >= 2**20 else f"{size:,} bytes"


def _read_sheet(
    stream: BinaryIO, file: str, sheet: str | None
) -> tuple[str, list[tuple[int, list[str]]]]:
    book = _open_workbook(stream, file)
    try:
        worksheet = _pick_sheet(file, book, sheet)
        worksheet.reset_dimensions()  # its declared size is not trusted: rows come as they are
        return worksheet.title, _sheet_rows(file, worksheet)
    finally:
        book.close()


def _sheet_rows(file: str, worksheet: Any) -> list[tuple[int, list[str]]]:
    """The sheet's rows as text, refused past the rows, columns and cells limits."""
    rows: list[tuple[int, list[str]]] = []
    cells = 0
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if number > MAX_SHEET_ROWS:
            _too_big(file, f"more than {MAX_SHEET_ROWS:,} rows")
        if len(values) > MAX_SHEET_COLUMNS:
            if any(value is not None for value in values[MAX_SHEET_COLUMNS:]):
                _too_big(
                    file,
                    f"a cell in column {_letter(len(values) - 1)}, past column"
                    f" {_letter(MAX_SHEET_COLUMNS - 1)}",
                    number,
                )
            values = values[:MAX_SHEET_COLUMNS]
        cells += len(values)
        if cells > MAX_SHEET_CELLS:
            _too_big(file, f"more than {MAX_SHEET_CELLS:,} cells")
        rows.append((number, [_cell_text(value) for value in values]))
    return rows


def _too_big(file: str, what: str, row: int | None = None) -> NoReturn:
    _fail(
        file,
        f"the sheet has {what}: more than timelines reads from a workbook"
        f" ({MAX_SHEET_ROWS:,} rows, {MAX_SHEET_COLUMNS} columns); save the table as .csv",
        row,
    )


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


def _build(file: str, cells: Iterable[tuple[int, list[str]]], text: bool = False) -> Table:
    """The table from its numbered rows: the first non-blank row is the heading. In a text
    table (``text``) a row with more or fewer cells than headings is an error for that row."""
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
    rows, problems, bad = [], [], []
    for number, row in numbered:
        if len(row) > width and any(row[width:]):
            problems.append(_extra_cells(file, number, row, width))
            bad.append(number)
        elif text and len(row) < width:
            problems.append(_missing_cells(file, number, len(row), header))
            bad.append(number)
        padded = row[:width] + [""] * (width - len(row))
        rows.append((number, make(padded)))
    return Table(
        file, columns, tuple(header), tuple(rows), header_row, tuple(problems), frozenset(bad)
    )


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


def _extra_cells(file: str, number: int, row: list[str], columns: int) -> Problem:
    extra = [cell for cell in row[columns:] if cell]
    used = max(i for i, cell in enumerate(row) if cell) + 1
    shown = ", ".join(f'"{cell[:30]}"' for cell in extra[:3])
    return error(
        f"row has {used} cells but there are only {columns} column headings"
        f" (is there a comma that is not in quotes?); the row is not read: {shown}",
        file,
        number,
        _letter(next(i for i in range(columns, len(row)) if row[i])),
    )


def _missing_cells(file: str, number: int, cells: int, header: list[str]) -> Problem:
    return error(
        f"row has {cells} cell{'s' if cells != 1 else ''} but there are {len(header)} column"
        " headings (is a cell split over two lines without quotes?); the row is not read",
        file,
        number,
        header[cells] or _letter(cells),
    )


def _letter(index: int) -> str:
    """Spreadsheet column letter for a 0-based index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
