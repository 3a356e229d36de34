"""The input contract: ``chronology``, ``placements`` and ``children`` tables → ``Dataset``.

The three tables may be separate CSV/xlsx files or the sheets of one workbook.
Headings match in any case and spacing, and the aliases in ``ALIASES`` are
accepted (``event date`` for ``date``, ``from``/``to`` for a placement's dates,
and so on). Categories and placement types are codes from ``timelines.model.vocab``
or the everyday words in ``CATEGORY_ALIASES`` / ``PLACEMENT_ALIASES``.

Loading never stops at the first mistake: every error and warning becomes a
``Problem`` in ``Dataset.problems`` naming file, row and column, and every data
row read ends up as a record, as an error, or (when one child is chosen) as a
row of another child; ``Dataset.counts`` holds that account.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property, lru_cache
from typing import NamedTuple

from timelines.load.files import InputPath, as_input
from timelines.load.tables import EXCEL_SUFFIXES, Cells, Table, find_sheet_names, read_table
from timelines.model.counts import RowCount
from timelines.model.dates import (
    DateError,
    FuzzyDate,
    from_excel_serial,
    parse_date,
    parse_exact_date,
)
from timelines.model.problems import InputError, Problem, error, has_errors, warning
from timelines.model.records import Child, Dataset, Event, Origin, Placement, child_key, sex_from
from timelines.model.vocab import CATEGORIES, PLACEMENT_TYPES, normalise_code

KINDS = ("chronology", "placements", "children")

# Per table: each field and the headings accepted for it (normalised: lower case, '_' for
# spaces and hyphens), the field's own name first.
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "chronology": {
        "date": ("date", "event_date", "when"),
        "event": ("event", "label", "description", "event_description"),
        "category": ("category", "type", "event_type"),
        "detail": ("detail", "details", "notes"),
        "source": ("source", "recorded_by"),
        "key": ("key", "key_event"),
        "redact": ("redact", "redacted"),
        "milestone": ("milestone", "pace_milestone"),
        "child_id": ("child_id", "child", "id"),
    },
    "placements": {
        "start_date": ("start_date", "start", "from", "date_from", "placement_start"),
        "end_date": ("end_date", "end", "to", "date_to", "placement_end"),
        "placement_type": ("placement_type", "type", "placement"),
        "carer": ("carer", "carer_name", "carers"),
        "reason": ("reason", "reason_for_move", "reason_for_change"),
        "child_id": ("child_id", "child", "id"),
    },
    "children": {
        "child_id": ("child_id", "child", "id"),
        "name": ("name", "child_name"),
        "date_of_birth": ("date_of_birth", "dob", "birth_date", "born"),
        "sibling_group": ("sibling_group", "siblings", "family"),
        "sex": ("sex", "gender"),
    },
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "chronology": ("date", "event"),
    "placements": ("start_date", "end_date", "placement_type"),
    "children": ("child_id",),
}


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Everyday words for each category code (the code and its label in vocab are accepted too).
CATEGORY_ALIASES: dict[str, tuple[str, ...]] = {
    "birth": _words("born date_of_birth dob"),
    "referral": _words("referred initial_referral referral_received"),
    "child_protection": _words(
        "cp cpcc case_conference child_protection_case_conference cp_case_conference "
        "cp_conference child_protection_conference pre_birth_conference cp_registration "
        "cp_register child_protection_register child_protection_plan cp_plan ird s47 section_47"
    ),
    "hearing": _words(
        "childrens_hearing children_hearing childrens_panel advice_hearing grounds_hearing "
        "review_hearing interim_hearing"
    ),
    "review": _words(
        "lac_review lac looked_after_review looked_after_child_review "
        "looked_after_children_review cla_review child_review review_meeting permanence_review "
        "statutory_review childs_plan_meeting"
    ),
    "decision": _words("adm adm_decision agency_decision agency_decision_maker"),
    "panel": _words(
        "permanence_panel adoption_panel fostering_panel matching_panel "
        "adoption_and_permanence_panel"
    ),
    "court": _words("sheriff sheriff_court court_hearing proof"),
    "order": _words(
        "cso icso compulsory_supervision_order interim_compulsory_supervision_order "
        "permanence_order po poa adoption_order kinship_care_order child_protection_order cpo "
        "care_order placement_order"
    ),
    "placement": _words(
        "move moved placement_move placement_change placed accommodated became_looked_after "
        "placement_start placement_end"
    ),
    "contact": _words("family_contact contact_visit sibling_contact"),
    "health": _words("medical health_assessment lac_medical hospital"),
    "education": _words("school nursery exclusion"),
    "family": _words("parents family_event"),
}
# Everyday words for each placement type code (its code and label are accepted too).
PLACEMENT_ALIASES: dict[str, tuple[str, ...]] = {
    "home": _words(
        "at_home cso home_on_cso at_home_with_parents home_with_parents with_parents parents "
        "looked_after_at_home"
    ),
    "kinship": _words(
        "kinship_care kinship_carer kinship_placement relative friends_and_family "
        "family_and_friends"
    ),
    "foster": _words("foster_care fostering foster_carer foster_placement"),
    "residential": _words(
        "residential_care residential_unit residential_home residential_school childrens_home "
        "childrens_house local_authority_home voluntary_home"
    ),
    "secure": _words("secure_care secure_unit secure_accommodation"),
    "adoptive": _words(
        "adoption adopted adopters prospective_adopters adoptive_placement adoptive_parents "
        "pre_adoptive placed_for_adoption"
    ),
    "other": _words("other_community"),
}

YES = frozenset({"yes", "y", "true", "1", "x", "✓", "✔"})
NO = frozenset({"no", "n", "false", "0", ""})

_WHAT = {
    "date": "date",
    "event": "event",
    "start_date": "start date",
    "placement_type": "placement type",
    "child_id": "child_id",
}
_EXCEL_SERIAL = re.compile(r"^\d{5}$")
_PUNCTUATION = re.compile(r"[^\w\s-]")


def load_contract(
    chronology: InputPath,
    placements: InputPath | None = None,
    children: InputPath | None = None,
    *,
    child_id: str | None = None,
    name: str | None = None,
    dob: str | date | None = None,
    today: date | None = None,
    vocabulary: Iterable[str] = (),
    name_only_child: bool = True,
) -> Dataset:
    """Load the contract's tables; every problem found is in ``Dataset.problems``.

    ``chronology`` may be an .xlsx workbook with sheets ``chronology``,
    ``placements`` and ``children``. ``child_id`` picks one child (or, when the
    files have no ids and ``name_only_child``, names the only one; otherwise that
    is an error); ``name`` and ``dob`` describe that child. ``vocabulary`` adds codes
    (from a template) that count as known categories and placement types. What
    became of each table's rows is in ``Dataset.counts``.
    """
    codes = _codes(vocabulary)
    options = _Options(child_id, name, dob, today or date.today(), codes, name_only_child)
    return _load(as_input(chronology), placements, children, options)


def load_folder(
    folder: InputPath,
    *,
    child_id: str | None = None,
    name: str | None = None,
    dob: str | date | None = None,
    today: date | None = None,
    vocabulary: Iterable[str] = (),
    name_only_child: bool = True,
) -> Dataset:
    """Load ``chronology``, ``placements`` and ``children`` (.csv or .xlsx) from a folder.

    Keywords are those of ``load_contract``; see ``find_contract_files`` for the names.
    """
    files, problems = find_contract_files(as_input(folder))
    dataset = _load(
        files.get("chronology"),
        files.get("placements"),
        files.get("children"),
        _Options(child_id, name, dob, today or date.today(), _codes(vocabulary), name_only_child),
    )
    return replace(dataset, problems=(*problems, *dataset.problems))


def find_contract_files(folder: InputPath) -> tuple[dict[str, InputPath], list[Problem]]:
    """The contract's files in a folder by kind, and problems finding them.

    A folder without ``chronology.*`` but with exactly one .xlsx workbook uses
    that workbook (its sheets are then the tables).
    """
    if not folder.is_dir():
        return {}, [error("folder not found", str(folder))]
    usable = (".csv", ".txt", ".tsv", *EXCEL_SUFFIXES)
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in usable)
    found: dict[str, InputPath] = {}
    problems: list[Problem] = []
    for kind in KINDS:
        matches = sorted((p for p in files if p.stem.lower() == kind), key=_csv_first)
        if len(matches) > 1:
            names = " and ".join(p.name for p in matches)
            problems.append(warning(f"both {names} found; using {matches[0].name}", folder.name))
        if matches:
            found[kind] = matches[0]
    books = [p for p in files if p.suffix.lower() in EXCEL_SUFFIXES]
    if "chronology" not in found and len(books) == 1:
        found["chronology"] = books[0]
    if "chronology" not in found:
        problems.append(error("no chronology.csv or chronology.xlsx in the folder", folder.name))
    return found, problems


class ContractTable(NamedTuple):
    """One of the contract's tables as the loader reads it."""

    table: Table
    columns: dict[str, str]  # field → the table's column it is read from (aliases resolved)


def read_contract_tables(given: InputPath) -> dict[str, ContractTable]:
    """The contract's tables by kind, read as ``load_contract`` reads them, from a file (a
    workbook's sheets, or a chronology) or a folder, on disk or uploaded (``load.files``).
    A table that cannot be read is left out (loading it reports why)."""
    given = as_input(given)
    if given.is_dir():
        found, _ = find_contract_files(given)
        paths = (found.get("chronology"), found.get("placements"), found.get("children"))
    else:
        paths = (given, None, None)
    sources = _read_sources(*paths)[0]
    return {kind: ContractTable(source.table, source.columns) for kind, source in sources.items()}


# --- internals ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Options:
    child_id: str | None
    name: str | None
    dob: str | date | None
    today: date
    vocabulary: frozenset[str]
    name_only_child: bool = True  # a child id given for files without ids names their child


@dataclass
class _Source:
    """One readable table and where each field's column is in it."""

    kind: str
    table: Table
    columns: dict[str, str]
    usable: bool

    def heading(self, name: str) -> str:
        column = self.columns.get(name)
        return self.table.original(column) if column else name

    @cached_property
    def positions(self) -> dict[str, int]:
        """Where each field's cell is in a row (read for every cell of every row)."""
        at = {column: i for i, column in enumerate(self.table.columns)}
        return {name: at[c] for name, c in self.columns.items() if c and c in at}


@dataclass
class _Row:
    """One data row being read; collects its problems."""

    source: _Source
    number: int
    cells: Cells
    options: _Options
    problems: list[Problem] = field(default_factory=list)

    def text(self, name: str) -> str:
        at = self.source.positions.get(name)
        return "" if at is None else tuple.__getitem__(self.cells, at)

    def error(self, name: str, message: str) -> None:
        self.problems.append(
            error(message, self.source.table.file, self.number, self.source.heading(name))
        )

    def warn(self, name: str, message: str) -> None:
        self.problems.append(
            warning(message, self.source.table.file, self.number, self.source.heading(name))
        )

    def required(self, name: str) -> str:
        """The cell's text; an error when it is blank (a missing column is reported once)."""
        text = self.text(name)
        if not text and name in self.source.columns:
            self.error(name, f"no {_WHAT.get(name, name)} given")
        return text

    @property
    def failed(self) -> bool:
        return not self.source.usable or any(p.severity == "error" for p in self.problems)


@dataclass
class _DobCandidate:
    day: date
    where: str
    problem_at: tuple[str, int | None, str | None]


def _codes(vocabulary: Iterable[str]) -> frozenset[str]:
    return frozenset(normalise_code(code) for code in vocabulary)


def _csv_first(path: InputPath) -> tuple[int, str]:
    return (path.suffix.lower() in EXCEL_SUFFIXES, path.name)


def _load(
    chronology: InputPath | None,
    placements: InputPath | None,
    children: InputPath | None,
    options: _Options,
) -> Dataset:
    sources, problems, files, unread = _read_sources(chronology, placements, children)
    ids, id_problems = _child_ids(sources, options)
    problems += id_problems
    loader = _Loader(sources, ids, options)
    loader.run()
    dataset = Dataset(
        children=tuple(loader.children()),
        events=tuple(loader.events),
        placements=tuple(loader.placements),
    )
    problems += loader.problems + _checks(dataset, sources)
    counts = (*loader.counts.values(), *(RowCount(name, unread=True) for name in unread))
    return replace(dataset, problems=_in_order(problems, files), counts=counts)


def _in_order(problems: list[Problem], files: list[str]) -> tuple[Problem, ...]:
    """Problems without a file first, then file by file in table order, by row; no repeats."""

    def place(problem: Problem) -> tuple[int, int]:
        rank = files.index(problem.file) + 1 if problem.file in files else 0
        return rank, problem.row or 0

    return tuple(sorted(dict.fromkeys(problems), key=place))


# --- reading the tables ---------------------------------------------------------------------


def _read_sources(
    chronology: InputPath | None, placements: InputPath | None, children: InputPath | None
) -> tuple[dict[str, _Source], list[Problem], list[str], list[str]]:
    """The readable tables by kind, the problems reading them, their names in order, and the
    files that could not be read."""
    paths: dict[str, tuple[InputPath, str | None]] = {}
    problems: list[Problem] = []
    unread: list[str] = []
    if chronology is not None and chronology.suffix.lower() in EXCEL_SUFFIXES:
        try:
            paths = _workbook_sheets(chronology)
        except InputError as exc:
            problems += exc.problems
            unread.append(chronology.name)
    elif chronology is not None:
        paths["chronology"] = (chronology, None)
    for kind, given in (("placements", placements), ("children", children)):
        if given is not None:
            paths[kind] = (as_input(given), kind)
    sources: dict[str, _Source] = {}
    names = [p.file for p in problems]
    for kind in (k for k in KINDS if k in paths):
        path, sheet = paths[kind]
        try:
            table = read_table(path, _sheet_if_present(path, sheet))
        except InputError as exc:
            problems += exc.problems
            names += [p.file for p in exc.problems]
            unread.append(path.name)
            continue
        source, found = _resolve(kind, table)
        sources[kind] = source
        names.append(table.file)
        problems += [*table.problems, *found]
    return sources, problems, list(dict.fromkeys(names)), unread


def _workbook_sheets(book: InputPath) -> dict[str, tuple[InputPath, str | None]]:
    """The tables in one workbook: sheets named after them; else the chronology is the first
    sheet not named after another table."""
    sheets = {name.strip().lower(): name for name in find_sheet_names(book)}
    paths: dict[str, tuple[InputPath, str | None]] = {
        kind: (book, sheets[kind]) for kind in KINDS if kind in sheets
    }
    others = [name for key, name in sheets.items() if key not in KINDS]
    paths.setdefault("chronology", (book, others[0] if others else None))
    return paths


def _sheet_if_present(path: InputPath, sheet: str | None) -> str | None:
    """A sheet named like the table when the workbook has one; else the first sheet."""
    if sheet is None or path.suffix.lower() not in EXCEL_SUFFIXES:
        return None
    names = {s.strip().lower() for s in find_sheet_names(path)}
    return sheet if sheet.lower() in names else None


def _resolve(kind: str, table: Table) -> tuple[_Source, list[Problem]]:
    columns: dict[str, str] = {}
    for name, accepted in ALIASES[kind].items():
        found = next((a for a in accepted if a in table.columns), None)
        if found:
            columns[name] = found
    problems = [
        error(f'missing required column "{name}"', table.file, None, name)
        for name in REQUIRED[kind]
        if name not in columns
    ]
    used = set(columns.values())
    for column, original in zip(table.columns, table.original_columns, strict=True):
        has_data = any(cells[column] for _, cells in table.rows)
        if column not in used and (original or has_data):
            problems.append(
                warning("this column is not used", table.file, None, original or column)
            )
    if kind == "chronology" and not table.rows:
        problems.append(warning("the file has column headings but no rows", table.file))
    return _Source(kind, table, columns, not has_errors(problems)), problems


# --- which child each row belongs to ---------------------------------------------------------


@dataclass(frozen=True)
class _Ids:
    """Child ids: every one named, the one rows without an id belong to, and the one chosen."""

    named: tuple[str, ...]
    default: str | None
    chosen: str | None


def _child_ids(sources: dict[str, _Source], options: _Options) -> tuple[_Ids, list[Problem]]:
    named: dict[str, None] = {}
    for kind in ("children", "chronology", "placements"):
        source = sources.get(kind)
        if source and "child_id" in source.columns:
            for _, cells in source.table.rows:
                if text := cells[source.columns["child_id"]]:
                    named.setdefault(child_key(text), None)
    chosen = child_key(options.child_id) if options.child_id else None
    if chosen:
        default: str | None = chosen
    elif len(named) <= 1:
        default = next(iter(named), "child")
    else:
        default = None
    problems: list[Problem] = []
    with_ids = [s.table.file for s in sources.values() if "child_id" in s.columns]
    if chosen and with_ids and chosen not in named:
        problems.append(error(f"no child with id '{chosen}' in {' or '.join(with_ids)}"))
    elif chosen and not with_ids and not options.name_only_child:
        problems.append(
            error(
                f"no child with id '{chosen}': the files have no child_id column (they describe"
                " one child); leave out the child id"
            )
        )
    for source in sources.values():
        if "child_id" not in source.columns and default is None:
            problems.append(
                error(
                    'missing required column "child_id" (the files describe more than one child)',
                    source.table.file,
                    None,
                    "child_id",
                )
            )
            source.usable = False
    return _Ids(tuple(named), default, chosen), problems


# --- the rows -------------------------------------------------------------------------------


class _Loader:
    """Turns the rows of the readable tables into records, problems and counts."""

    def __init__(self, sources: dict[str, _Source], ids: _Ids, options: _Options):
        self.sources, self.ids, self.options = sources, ids, options
        self.events: list[Event] = []
        self.placements: list[Placement] = []
        self.child_rows: dict[str, Child] = {}
        self.problems: list[Problem] = []
        self.counts: dict[str, RowCount] = {}

    def run(self) -> None:
        read = {"chronology": self._event, "placements": self._placement, "children": self._child}
        for kind in KINDS:
            if kind in self.sources:
                self._table(self.sources[kind], read[kind])

    def _table(self, source: _Source, read: Callable[[_Row, str], bool]) -> None:
        counts = {"records": 0, "errors": 0, "left_out": 0}
        seen: dict[Cells, int] = {}
        for number, cells in source.table.rows:
            if number in source.table.bad_rows:  # the table has said why
                counts["errors"] += 1
                continue
            row = _Row(source, number, cells, self.options)
            child = self._owner(row)
            if self.ids.chosen and child not in (None, self.ids.chosen):
                counts["left_out"] += 1
                continue
            made = read(row, child or "")
            if source.kind != "children":
                _repeat(row, seen)
            self.problems += row.problems
            counts["records" if made and not row.failed else "errors"] += 1
        self.counts[source.kind] = RowCount(
            source.table.file,
            len(source.table.rows),
            records=counts["records"],
            errors=counts["errors"],
            left_out=counts["left_out"],
        )

    def _owner(self, row: _Row) -> str | None:
        """The row's child id; None (with an error) when it cannot be told.

        A blank id is the one child's when the files describe at most one child (and
        the children table has just this row): a one-child workbook needs no ids.
        """
        if "child_id" not in row.source.columns:
            return self.ids.default
        if text := row.text("child_id"):
            return child_key(text)
        lone = len(self.ids.named) <= 1 and len(row.source.table.rows) == 1
        if (row.source.kind == "children" and not lone) or len(self.ids.named) > 1:
            suffix = "" if row.source.kind == "children" else " (the files describe several)"
            row.error("child_id", f"no child_id given{suffix}")
            return None
        return self.ids.default

    def _event(self, row: _Row, child: str) -> bool:
        when = _fuzzy(row, "date")
        label = row.required("event")
        category = _category(row, self.options.vocabulary)
        key, redact = _flag(row, "key"), _flag(row, "redact")
        if row.failed or when is None:
            return False
        origin = Origin(row.source.table.file, row.number)
        detail, source, milestone = row.text("detail"), row.text("source"), row.text("milestone")
        self.events.append(
            Event(when, label, category, detail, source, key, redact, child, origin, milestone)
        )
        return True

    def _placement(self, row: _Row, child: str) -> bool:
        start_text, end_text = row.text("start_date"), row.text("end_date")
        start = end = None
        if start_text:
            start = _day(row, "start_date")
        elif "start_date" in row.source.columns:
            row.error(
                "start_date",
                "end date given but no start date" if end_text else "no start date given",
            )
        if end_text:
            end = _day(row, "end_date")
        if start and end and end < start:
            row.error(
                "end_date",
                f"placement ends ({end:%d/%m/%Y}) before it starts ({start:%d/%m/%Y})",
            )
        kind, code = _placement_type(row, self.options.vocabulary)
        if row.failed or start is None:
            return False
        origin = Origin(row.source.table.file, row.number)
        self.placements.append(
            Placement(start, end, kind, row.text("carer"), row.text("reason"), child, code, origin)
        )
        return True

    def _child(self, row: _Row, child: str) -> bool:
        born = _day(row, "date_of_birth") if row.text("date_of_birth") else None
        if child and child in self.child_rows:
            first = (self.child_rows[child].origin or Origin("")).row
            row.error("child_id", f'child_id "{child}" is already on row {first}')
        if row.failed or not child:
            return False
        origin = Origin(row.source.table.file, row.number)
        group = row.text("sibling_group")
        record = Child(child, row.text("name"), born, group, origin, sex_from(row.text("sex")))
        self.child_rows[child] = record
        return True

    def children(self) -> list[Child]:
        """A Child for every child with records, named or with a date of birth."""
        order = dict.fromkeys(
            [
                *self.child_rows,
                *(e.child_id for e in self.events),
                *(p.child_id for p in self.placements),
            ]
        )
        target = self.ids.chosen or self.ids.default
        if (self.options.name or self.options.dob) and target:
            order.setdefault(target, None)
        if (self.options.name or self.options.dob) and not target:
            self.problems.append(
                error(
                    "a name or date of birth was given but the files describe"
                    f" {len(self.ids.named)} children; choose one child_id"
                )
            )
        births: dict[str, list[Event]] = {}
        for event in self.events:
            if event.category == "birth" and not event.when.uncertain:
                births.setdefault(event.child_id, []).append(event)
        return [
            self._child_record(child, child == target, births.get(child, [])) for child in order
        ]

    def _child_record(self, child: str, is_target: bool, births: list[Event]) -> Child:
        record = self.child_rows.get(child, Child(child))
        name = self.options.name if is_target and self.options.name else record.name
        born = self._date_of_birth(record, is_target, births)
        return Child(child, name, born, record.sibling_group, record.origin, record.sex)

    def _date_of_birth(self, record: Child, is_target: bool, births: list[Event]) -> date | None:
        """The date of birth given, else from the children file, else from a birth event."""
        candidates: list[_DobCandidate] = []
        if is_target and self.options.dob:
            given = given_dob(self.options.dob, self.problems)
            if given:
                candidates.append(_DobCandidate(given, "given as dob", ("", None, None)))
        if record.date_of_birth and record.origin:
            source = self.sources["children"]
            where = f"{record.origin.file}, row {record.origin.row}"
            at = (record.origin.file, record.origin.row, source.heading("date_of_birth"))
            candidates.append(_DobCandidate(record.date_of_birth, where, at))
        for event in births:
            origin = event.origin or Origin("")
            where = f"{origin.file}, row {origin.row}"
            at = (origin.file, origin.row, self.sources["chronology"].heading("date"))
            candidates.append(_DobCandidate(event.when.start, where, at))
        if not candidates:
            return None
        first = candidates[0]
        for other in candidates[1:]:
            if other.day != first.day:
                self.problems.append(
                    warning(
                        f"date of birth {other.day:%d/%m/%Y} differs from"
                        f" {first.day:%d/%m/%Y} ({first.where}); {first.day:%d/%m/%Y} is used",
                        *other.problem_at,
                    )
                )
        return first.day


def given_dob(given: str | date | None, problems: list[Problem]) -> date | None:
    """A date of birth given as an option (``--dob``), checked: a problem when it is no date."""
    if given is None or isinstance(given, date):
        return given
    try:
        return parse_exact_date(given)
    except DateError as exc:
        problems.append(error(f"date of birth: {exc}"))
        return None


def _repeat(row: _Row, seen: dict[Cells, int]) -> None:
    """Warn when a row repeats an earlier one exactly (both are kept).

    The row's own cells are the key (a tuple already held by the table: no copy)."""
    cells = row.cells
    if cells in seen:
        row.problems.append(
            warning(f"same as row {seen[cells]}; both are kept", row.source.table.file, row.number)
        )
    else:
        seen[cells] = row.number


# --- cells ----------------------------------------------------------------------------------


def _fuzzy(row: _Row, name: str) -> FuzzyDate | None:
    text = row.required(name)
    if not text:
        return None
    try:
        when = parse_date(_from_serial(text))
    except DateError as exc:
        row.error(name, str(exc))
        return None
    _future(row, name, text, when.start)
    return when


def _day(row: _Row, name: str) -> date | None:
    text = row.text(name)
    try:
        day = parse_exact_date(_from_serial(text))
    except DateError as exc:
        row.error(name, str(exc))
        return None
    _future(row, name, text, day)
    return day


def _from_serial(text: str) -> str:
    """An Excel serial day number left in a cell as dd/mm/yyyy ('42430' is 01/03/2016)."""
    if _EXCEL_SERIAL.match(text):
        return f"{from_excel_serial(int(text)):%d/%m/%Y}"
    return text


def _future(row: _Row, name: str, text: str, day: date) -> None:
    if day > row.options.today:
        row.warn(name, f"'{text}' is in the future")


def _flag(row: _Row, name: str) -> bool:
    text = row.text(name)
    if text.lower() in YES:
        return True
    if text.lower() not in NO:
        row.error(name, f'"{text}" is not yes or no')
    return False


@lru_cache(maxsize=4096)
def _word(text: str) -> str:
    """'Children's Hearing' -> 'childrens_hearing'; 'At home (CSO)' -> 'at_home_cso'."""
    return normalise_code(_PUNCTUATION.sub(" ", text.replace("'", "").replace("’", "")))


def _lookup(aliases: dict[str, tuple[str, ...]], labels: dict[str, str]) -> dict[str, str]:
    words = {_word(label): code for code, label in labels.items()}
    words.update({code: code for code in labels})
    for code, names in aliases.items():
        words.update(dict.fromkeys(names, code))
    return words


_CATEGORY_WORDS = _lookup(CATEGORY_ALIASES, CATEGORIES)
_PLACEMENT_WORDS = _lookup(PLACEMENT_ALIASES, PLACEMENT_TYPES)


def _code(text: str, words: dict[str, str], vocabulary: frozenset[str]) -> str | None:
    key = _word(text)
    for candidate in (key, normalise_code(text)):
        if candidate in vocabulary:
            return candidate
    singular = key[:-1] if key.endswith("s") else key
    return words.get(key) or words.get(singular)


def _category(row: _Row, vocabulary: frozenset[str]) -> str:
    text = row.text("category")
    if not text:
        return "other"
    code = _code(text, _CATEGORY_WORDS, vocabulary)
    if code is None:
        row.warn("category", f'unknown category "{text}"; drawn as other')
    return code or "other"


def _placement_type(row: _Row, vocabulary: frozenset[str]) -> tuple[str, str]:
    """The placement type code, and the original words when they were not understood."""
    text = row.required("placement_type")
    if not text:
        return "other", ""
    code = _code(text, _PLACEMENT_WORDS, vocabulary)
    if code is None:
        row.warn("placement_type", f'unknown placement type "{text}"; drawn as other')
        return "other", text
    return code, ""


# --- checks across rows ---------------------------------------------------------------------


def _checks(dataset: Dataset, sources: dict[str, _Source]) -> list[Problem]:
    """Warnings that need several records: events before birth, overlapping placements."""
    born = {c.child_id: c.date_of_birth for c in dataset.children if c.date_of_birth}
    date_at = sources["chronology"].heading("date") if "chronology" in sources else "date"
    start_at = sources["placements"].heading("start_date") if "placements" in sources else ""
    problems: list[Problem] = []
    for event in dataset.events:
        dob = born.get(event.child_id)
        if dob and event.category != "birth" and (dob - event.when.end).days > PRE_BIRTH_DAYS:
            message = f"event is more than 10 months before the date of birth ({dob:%d/%m/%Y})"
            problems.append(_at(event.origin, date_at, message))
    for placement in dataset.placements:
        dob = born.get(placement.child_id)
        if dob and placement.start < dob:
            message = f"placement starts before the date of birth ({dob:%d/%m/%Y})"
            problems.append(_at(placement.origin, start_at, message))
    return problems + _overlaps(dataset.placements, start_at)


def _overlaps(placements: Iterable[Placement], heading: str) -> list[Problem]:
    by_child: dict[str, list[Placement]] = {}
    for placement in placements:
        by_child.setdefault(placement.child_id, []).append(placement)
    problems = []
    for group in by_child.values():
        group.sort(key=lambda p: (p.start, _row(p)))
        for i, later in enumerate(group):
            for earlier in group[:i]:
                if earlier.end is None or earlier.end > later.start:
                    problems.append(_at(later.origin, heading, _overlap_message(earlier)))
    return problems


def _overlap_message(earlier: Placement) -> str:
    where = f"{earlier.start:%d/%m/%Y} (row {_row(earlier)})"
    if earlier.end is None:
        return f"placement starts while the one starting {where} has no end date"
    return f"placement overlaps the one starting {where}"


def _row(record: Placement) -> int:
    return (record.origin.row or 0) if record.origin else 0


PRE_BIRTH_DAYS = 305  # pre-birth referrals and conferences are normal; earlier is worth a check


def _at(origin: Origin | None, column: str, message: str) -> Problem:
    origin = origin or Origin("")
    return warning(message, origin.file, origin.row, column)
