"""Finding an extract's tables: files (or workbook sheets) named for each 903 table,
yearly files oldest first, and the data files in a folder that are not read."""

from __future__ import annotations

import re

from timelines.load.files import InputPath, as_input
from timelines.load.ssda903.words import plural
from timelines.load.tables import EXCEL_SUFFIXES, find_sheet_names
from timelines.model.problems import InputError, Problem, warning

# File or sheet names: 'episodes.csv', '2019-episodes.csv', 'SSDA903_2020_episodes.csv',
# or a workbook with sheets 'episodes', 'header', ... ('2019 episodes' and so on).
TABLES = ("episodes", "header", "reviews", "missing", "placed_for_adoption")


_TABLE_NAME = re.compile(
    r"^(?:(?P<prefix>.*?)[_\- ])?(?P<kind>" + "|".join(TABLES) + r")$", re.IGNORECASE
)


_PREFIX = re.compile(r"^(?:.*(?:903|\d{4}).*)?$", re.IGNORECASE)


_YEAR = re.compile(r"(\d{4})")


_TABLE_SUFFIXES = (".csv", *EXCEL_SUFFIXES)


# Files an extract's folder may hold that are worth saying were not read.
_DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".xls", ".xml", *EXCEL_SUFFIXES)


def find_ssda903_files(folder: InputPath) -> dict[str, list[InputPath]]:
    """The 903 tables in a folder by kind, each list oldest year first.

    Names may carry a year or return prefix: ``episodes.csv``, ``2019-episodes.csv``,
    ``SSDA903_2020_episodes.csv`` (not ``sw_episodes.csv``, a different table). When
    no file is named for the episodes, a workbook with another name counts for each
    table it has a sheet for.
    """
    if not folder.is_dir():
        return {}
    files = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in _TABLE_SUFFIXES]
    found: dict[str, list[InputPath]] = {}
    for path in files:
        if kind := table_kind(path.stem):
            found.setdefault(kind, []).append(path)
    if "episodes" not in found:
        for path in files:
            for kind in workbook_sheets(path) if not table_kind(path.stem) else ():
                found.setdefault(kind, []).append(path)
    return {kind: sorted(paths, key=_year_order) for kind, paths in found.items()}


def table_kind(name: str) -> str | None:
    """'2019-episodes' -> 'episodes'; None when the name is not a 903 table's."""
    match = _TABLE_NAME.match(name.strip())
    if match and _PREFIX.match(match["prefix"] or ""):
        return match["kind"].lower()
    return None


def workbook_sheets(path: InputPath) -> dict[str, list[str]]:
    """A workbook's 903 sheets by table kind, oldest year first ({} for other files)."""
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        return {}
    try:
        names = find_sheet_names(path)
    except InputError:
        return {}  # the table reader says why, when the file is read
    found: dict[str, list[str]] = {}
    for name in names:
        kind = table_kind(name)
        if kind:
            found.setdefault(kind, []).append(name)
    return {kind: sorted(sheets, key=_year_order) for kind, sheets in found.items()}


def files_not_read(folder: InputPath, files: dict[str, list[InputPath]]) -> list[Problem]:
    used = {path for paths in files.values() for path in paths}
    names = sorted(
        (
            p.name
            for p in folder.iterdir()
            if p.is_file() and p.suffix.lower() in _DATA_SUFFIXES and p not in used
        ),
        key=str.lower,
    )
    if not names:
        return []
    message = (
        f"{plural(len(names), 'file')} in the folder not read (only the episodes, header, reviews,"
        f" missing and placed_for_adoption tables are): {', '.join(names)}"
    )
    return [warning(message, folder.name)]


def paths_of(given: InputPath | list[InputPath] | tuple[InputPath, ...] | None) -> list[InputPath]:
    if given is None:
        return []
    if isinstance(given, list | tuple):
        return [as_input(p) for p in given]
    return [as_input(given)]


def _year_order(path: InputPath | str) -> tuple[int, str]:
    name = path if isinstance(path, str) else path.name
    match = _YEAR.search(name)
    return (int(match[1]) if match else 0, name)


def table_sources(kind: str, paths: list[InputPath]) -> list[tuple[InputPath, str | None]]:
    """(file, sheet) to read for a table: a workbook's sheets for ``kind``, or its first
    sheet when none is named for it; a text file has no sheet."""
    sources: list[tuple[InputPath, str | None]] = []
    for path in paths:
        sheets: list[str | None] = [*workbook_sheets(path).get(kind, [])] or [None]
        sources += [(path, sheet) for sheet in sheets]
    return sources
