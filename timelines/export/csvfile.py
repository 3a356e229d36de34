"""CSV files we write (summary.csv, errors.csv): UTF-8, and no cell a spreadsheet runs.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (after any leading spaces,
tabs or line breaks), or with a tab or carriage return, is a formula to Excel
and LibreOffice: ``=HYPERLINK(...)`` in a child id would run when an analyst
opens the summary. ``safe_cell`` puts a ``'`` before every such cell, which a
spreadsheet shows as text (a negative number too: ``'-3``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping

_FORMULA = re.compile(r"\s*[=+\-@]|[\t\r]")


def safe_cell(value: object) -> str:
    """A cell's text, neutralised with a leading ``'`` when a spreadsheet would run it."""
    text = "" if value is None else str(value)
    if _FORMULA.match(text):
        return "'" + text
    return text


def csv_bytes(columns: Iterable[str], rows: Iterable[Mapping[str, object]]) -> bytes:
    """A CSV file's bytes: a header, then each row's cells (every one made safe)."""
    columns = tuple(columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_cell(c) for c in columns])
    for row in rows:
        writer.writerow([safe_cell(row.get(c, "")) for c in columns])
    return buffer.getvalue().encode("utf-8")
