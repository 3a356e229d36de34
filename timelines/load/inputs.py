"""One entry point for every input format: tell the format, load it, add extra chronologies.

Formats: ``contract`` (timelines' own chronology/placements/children tables, as
CSV or the template workbook), ``ssda903`` (England's looked-after children
return) and ``cin`` (England's CIN census XML). ``detect_format`` tells them
apart; ``load_inputs`` loads the main input, adds events from extra chronology
files (a CIN census XML or a contract chronology) and describes the chosen child.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from timelines import runtime
from timelines.load.cin import load_cin
from timelines.load.contract import find_contract_files, given_dob, load_contract, load_folder
from timelines.load.files import InputPath, as_input, uploads
from timelines.load.ssda903 import (
    find_ssda903_files,
    load_ssda903,
    load_ssda903_folder,
    table_kind,
)
from timelines.load.tables import EXCEL_SUFFIXES, find_sheet_names, read_table
from timelines.model.counts import RowCount
from timelines.model.problems import InputError, Problem, TimelinesError, error, warning
from timelines.model.records import Child, Dataset, Event, child_key

FORMATS = ("contract", "ssda903", "cin")
# How tables name a workbook's sheet: 'book.xlsx [chronology]'.
_SHEET_OF = re.compile(r"^(?P<file>.+?\.xls[xm]) \[(?P<sheet>.+)\]$", re.IGNORECASE)
SSDA903_COLUMNS = frozenset({"child", "decom"})


def load_uploads(files: Mapping[str, bytes], **options: Any) -> Dataset:
    """``load_inputs`` for uploaded files (file name → bytes), read in memory: nothing is
    written to disk. One file is read alone, several as a folder (the contract's
    ``chronology``, ``placements`` and ``children``, or an SSDA903 extract's tables);
    ``options`` are ``load_inputs``'s keywords."""
    return load_inputs(uploads(files), **options)


def detect_format(primary: InputPath) -> str:
    """'contract', 'ssda903' or 'cin' for a file or folder (contract when unsure).

    A folder with ``episodes.csv`` (or ``2019-episodes.csv`` ...) and no
    ``chronology`` file is SSDA903; an ``.xml`` file is a CIN census; a workbook
    with a ``chronology`` sheet is the contract's and one with an ``episodes``
    sheet is SSDA903; a table whose columns include CHILD and DECOM is an
    SSDA903 episodes file.
    """
    primary = as_input(primary)
    if primary.is_dir():
        named = any(p.stem.lower() == "chronology" for p in primary.iterdir())
        if not named and find_ssda903_files(primary).get("episodes"):
            return "ssda903"
        return "contract"
    if primary.suffix.lower() == ".xml":
        return "cin"
    if primary.suffix.lower() in EXCEL_SUFFIXES:
        sheets = _sheet_kinds(primary)
        if "chronology" in sheets:
            return "contract"
        if "episodes" in sheets:
            return "ssda903"
    try:
        columns = read_table(primary).columns
    except InputError:
        return "contract"  # the contract loader reports why the file cannot be read
    return "ssda903" if set(columns) >= SSDA903_COLUMNS else "contract"


def load_inputs(
    primary: InputPath,
    *,
    placements: InputPath | None = None,
    children: InputPath | None = None,
    extra_chronology: tuple[InputPath, ...] = (),
    fmt: str | None = None,
    child_id: str | None = None,
    name: str | None = None,
    dob: str | date | None = None,
    today: date | None = None,
    vocabulary: Iterable[str] = (),
) -> Dataset:
    """Load ``primary`` in its format (``fmt``, or detected), plus ``extra_chronology``.

    For SSDA903, ``children`` is the 903 header file; ``child_id`` keeps one
    child (a full extract holds thousands). ``name`` and ``dob`` describe the
    chosen (or only) child. Every problem is in ``Dataset.problems``; an unknown
    ``fmt`` raises ``TimelinesError``.
    """
    if fmt is not None and fmt not in FORMATS:
        raise TimelinesError(f"unknown input format '{fmt}'; use one of {', '.join(FORMATS)}")
    with runtime.collector_paused():
        return _load(
            primary,
            placements,
            children,
            extra_chronology,
            fmt,
            child_id,
            name,
            dob,
            today,
            vocabulary,
        )


def _load(
    primary: InputPath,
    placements: InputPath | None,
    children: InputPath | None,
    extra_chronology: tuple[InputPath, ...],
    fmt: str | None,
    child_id: str | None,
    name: str | None,
    dob: str | date | None,
    today: date | None,
    vocabulary: Iterable[str],
) -> Dataset:
    primary = as_input(primary)
    fmt = fmt or detect_format(primary)
    today = today or date.today()
    if fmt == "contract":
        # A child id given for files without ids names their child only to match other data.
        dataset = _contract(
            primary,
            placements,
            children,
            child_id,
            name,
            dob,
            today,
            vocabulary,
            bool(extra_chronology),
        )
    else:
        dataset = (
            _ssda903(primary, placements, children, child_id, today)
            if fmt == "ssda903"
            else _cin(primary, placements, children, child_id, today)
        )
        dataset = describe_child(dataset, child_id, name, dob)
    extras = [_extra(as_input(p), dataset, child_id, today, vocabulary) for p in extra_chronology]
    return merge_datasets(dataset, *extras)


def merge_datasets(*datasets: Dataset) -> Dataset:
    """One dataset from several: children merged by id (first one's details win, gaps
    filled from the others; a differing date of birth is a warning), records and
    problems concatenated."""
    children: dict[str, Child] = {}
    problems: list[Problem] = []
    for dataset in datasets:
        problems += dataset.problems
        for child in dataset.children:
            known = children.get(child.child_id)
            children[child.child_id] = _merge_child(known, child, problems) if known else child
    return Dataset(
        tuple(children.values()),
        tuple(e for d in datasets for e in d.events),
        tuple(p for d in datasets for p in d.placements),
        tuple(dict.fromkeys(problems)),
        tuple(c for d in datasets for c in d.counts),
    )


def describe_child(
    dataset: Dataset, child_id: str | None, name: str | None, dob: str | date | None
) -> Dataset:
    """Set the chosen (or only) child's name and date of birth as given."""
    if not name and not dob:
        return dataset
    ids = dataset.child_ids()
    target = child_key(child_id) if child_id else (ids[0] if len(ids) == 1 else None)
    if target is None:
        message = (
            "a name or date of birth was given but the data describe"
            f" {len(ids)} children; choose one child id"
        )
        return dataset.with_problems([error(message)])
    problems: list[Problem] = []
    born = given_dob(dob, problems)
    children = list(dataset.children)
    index = next((i for i, c in enumerate(children) if c.child_id == target), None)
    if index is None:  # the loader has said the child is not in the data
        return dataset.with_problems(problems)
    current = children[index]
    if born and current.date_of_birth and born != current.date_of_birth:
        where = current.origin.file if current.origin else "the data"
        problems.append(
            warning(
                f"date of birth given as {born:%d/%m/%Y} but {where} says"
                f" {current.date_of_birth:%d/%m/%Y}; {born:%d/%m/%Y} is used"
            )
        )
    updated = Child(
        target,
        name or current.name,
        born or current.date_of_birth,
        current.sibling_group,
        current.origin,
    )
    children[index] = updated
    return replace(dataset, children=tuple(children), problems=dataset.problems + tuple(problems))


# --- per format ----------------------------------------------------------------------------


def _contract(
    primary: InputPath,
    placements: InputPath | None,
    children: InputPath | None,
    child_id: str | None,
    name: str | None,
    dob: str | date | None,
    today: date,
    vocabulary: Iterable[str],
    name_only_child: bool,
) -> Dataset:
    options: dict[str, Any] = {
        "child_id": child_id,
        "name": name,
        "dob": dob,
        "today": today,
        "vocabulary": vocabulary,
        "name_only_child": name_only_child,
    }
    if primary.is_dir():
        if placements or children:
            return Dataset(
                problems=(
                    error(
                        "placements or children files cannot be given with a folder;"
                        " put them in it",
                        primary.name,
                    ),
                )
            )
        if "chronology" not in find_contract_files(primary)[0]:
            return Dataset(
                problems=(
                    error(
                        "no chronology.csv (or .xlsx) and no SSDA903 episodes.csv in the folder",
                        primary.name,
                    ),
                )
            )
        return load_folder(primary, **options)
    return load_contract(primary, placements, children, **options)


def _ssda903(
    primary: InputPath,
    placements: InputPath | None,
    children: InputPath | None,
    child_id: str | None,
    today: date,
) -> Dataset:
    problems = [_not_used(placements, "SSDA903")] if placements else []
    if primary.is_dir():
        if children:
            problems.append(_not_used(children, "an SSDA903 folder (header.csv is used)"))
        dataset = load_ssda903_folder(primary, today=today, child_id=child_id)
    else:
        dataset = load_ssda903(primary, children, today=today, child_id=child_id)
    return dataset.with_problems(problems)


def _cin(
    primary: InputPath,
    placements: InputPath | None,
    children: InputPath | None,
    child_id: str | None,
    today: date,
) -> Dataset:
    unused = [_not_used(path, "a CIN census file") for path in (placements, children) if path]
    return load_cin(primary, today=today, child_id=child_id).with_problems(unused)


def _not_used(path: InputPath, what: str) -> Problem:
    return error(f"this file cannot be used with {what}", as_input(path).name)


def _extra(
    path: InputPath, primary: Dataset, child_id: str | None, today: date, vocabulary: Iterable[str]
) -> Dataset:
    """An extra chronology (a CIN census XML or a contract chronology table), its records
    kept only for children in the main data."""
    known = primary.child_ids()
    if path.suffix.lower() == ".xml":
        return load_cin(path, today=today, only=known)
    single = child_id or (known[0] if len(known) == 1 else None)
    extra = load_contract(path, child_id=single, today=today, vocabulary=vocabulary)
    others = {c for c in extra.child_ids() if c not in known}
    if not others:
        return extra
    events = tuple(e for e in extra.events if e.child_id in known)
    listed = ", ".join(sorted(others)[:5]) + (", ..." if len(others) > 5 else "")
    note = warning(
        f"{len(extra.events) - len(events)} events for {len(others)} children not in the main"
        f" data ({listed}) are left out",
        path.name,
    )
    dropped = {e.origin.file for e in extra.events if e.child_id not in known and e.origin}
    return Dataset(
        tuple(c for c in extra.children if c.child_id in known),
        events,
        tuple(p for p in extra.placements if p.child_id in known),
        extra.problems + (note,),
        tuple(_left_out(c, extra.events, known) if c.file in dropped else c for c in extra.counts),
    )


def _left_out(count: RowCount, events: tuple[Event, ...], known: list[str]) -> RowCount:
    """The count of a chronology whose events for children not in the main data are left
    out (one event per row)."""
    gone = sum(
        1 for e in events if e.child_id not in known and e.origin and e.origin.file == count.file
    )
    return replace(count, records=count.records - gone, left_out=count.left_out + gone)


def _merge_child(known: Child, other: Child, problems: list[Problem]) -> Child:
    born, theirs = known.date_of_birth, other.date_of_birth
    if born and theirs and born != theirs:
        first = known.origin.file if known.origin else "the main data"
        problems.append(
            warning(
                f"child {known.child_id}: date of birth {theirs:%d/%m/%Y} differs from"
                f" {born:%d/%m/%Y} ({first}); {born:%d/%m/%Y} is used",
                other.origin.file if other.origin else "",
                other.origin.row if other.origin else None,
            )
        )
    return Child(
        known.child_id,
        known.name or other.name,
        born or theirs,
        known.sibling_group or other.sibling_group,
        known.origin or other.origin,
    )


def _sheet_kinds(path: InputPath) -> set[str]:
    """What a workbook's sheets hold: 'chronology' (the template, filled in) and the
    SSDA903 tables ('episodes', 'header', ...) by their sheet names."""
    try:
        names = find_sheet_names(path)
    except InputError:
        return set()
    kinds = {name.strip().lower() for name in names} & {"chronology"}
    return kinds | {kind for name in names if (kind := table_kind(name))}


def row_children(
    files: list[InputPath], folder: InputPath, problems: tuple[Problem, ...]
) -> dict[tuple[str, int], str]:
    """(file, row) → child id, read again from the tables that problems name.

    Rows with errors are not in the Dataset, yet a batch must know whose they
    were: this looks their child up in the file (``child_id`` or SSDA903 ``CHILD``).
    A workbook's sheet is named as tables name it: ``book.xlsx [chronology]``.
    """
    paths = {p.name: p for p in files if p.is_file()}
    found: dict[tuple[str, int], str] = {}
    for file in sorted({p.file for p in problems if p.row is not None and p.file}):
        match = _SHEET_OF.match(file)
        name, sheet = (match["file"], match["sheet"]) if match else (file, None)
        try:
            table = read_table(paths.get(name) or folder / name, sheet)
        except (TimelinesError, OSError):
            continue
        for row, cells in table.rows:
            child = child_key(cells.get("child_id") or cells.get("child") or "")
            if child:
                found[(table.file, row)] = child
    return found
