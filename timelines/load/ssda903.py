"""England's SSDA903 return (children looked after) → ``Dataset``.

The 903 ``episodes`` table has one row per episode of care: a new episode
starts whenever the legal status, the placement or the carers change. Episodes
become placements (an episode that only changes the legal status, in the same
place, continues the placement; the PLACE code's meaning is the placement's
``description``, and its ``carer`` stays empty: 903 names no carers), and the
changes become chronology events: starting and leaving care, moves (from RNE),
legal status, reviews, missing episodes and adoption decisions. Every code
keeps its plain-English meaning next to it. Tables are CSV files or workbooks
(a file per table, or a sheet per table named ``episodes``, ``header``, ...).

Extracts are messy and every oddity is reported, never silently fixed: the
same episode repeated across yearly returns (open in one, closed in the next)
is merged and its rows listed; rows repeating another exactly, overlapping
episodes, gaps, unknown codes, several dates of birth and future dates are
warnings on their row; an episode that cannot be drawn is an error for its row.
``load_ssda903_counted`` accounts for every row read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from timelines.load.tables import EXCEL_SUFFIXES, Cells, Table, find_sheet_names, read_table
from timelines.model.dates import DateError, FuzzyDate, parse_exact_date, plain_duration
from timelines.model.problems import InputError, Problem, error, has_errors, warning
from timelines.model.records import Child, Dataset, Event, Origin, Placement, sex_from

Day = date  # the type (in _Loader, ``date`` names a method)

SOURCE = "SSDA903"

# --- code lists (DfE SSDA903 guidance; meanings shortened) ---------------------------------

# PLACE: placement type code, our placement type, what it means.
PLACE_CODES: dict[str, tuple[str, str]] = {
    "A3": ("adoptive", "placed for adoption with consent, with current foster carer"),
    "A4": ("adoptive", "placed for adoption with consent, not with current foster carer"),
    "A5": ("adoptive", "placed for adoption under a placement order, with current foster carer"),
    "A6": (
        "adoptive",
        "placed for adoption under a placement order, not with current foster carer",
    ),
    "H5": ("other", "semi-independent living, not a registered children's home"),
    "K1": ("secure", "secure children's home"),
    "K2": ("residential", "children's home"),
    "K3": ("other", "registered supported accommodation"),
    "P1": ("home", "with parent(s) or other person(s) with parental responsibility"),
    "P2": ("other", "independent living (flat, lodgings, bedsit, with friends)"),
    "P3": ("other", "residential employment"),
    "Q1": ("kinship", "foster placement with relative or friend (older code)"),
    "Q2": ("foster", "foster placement with other foster carer (older code)"),
    "R1": ("residential", "residential care home"),
    "R2": ("other", "NHS or health trust establishment (medical or nursing care)"),
    "R3": ("other", "family centre or mother and baby unit"),
    "R5": ("other", "young offender institution or prison"),
    "S1": ("residential", "residential school"),
    "T0": ("other", "temporary move"),
    "T1": ("other", "temporary period in hospital"),
    "T2": ("other", "temporary absence on holiday"),
    "T3": ("other", "temporary stay while the usual foster carer is on holiday"),
    "T4": ("other", "temporary stay of 7 days or less"),
    "U1": ("kinship", "foster placement with relative or friend, long term"),
    "U2": ("kinship", "foster placement with relative or friend, fostering for adoption"),
    "U3": ("kinship", "foster placement with relative or friend, not long term"),
    "U4": ("foster", "foster placement with other foster carer, long term"),
    "U5": ("foster", "foster placement with other foster carer, fostering for adoption"),
    "U6": ("foster", "foster placement with other foster carer, not long term"),
    "Z1": ("other", "other placement"),
    # From 2025-26 Z1 is split into Z11-Z14; their meanings are not in our reference data.
    "Z11": ("other", "other placement"),
    "Z12": ("other", "other placement"),
    "Z13": ("other", "other placement"),
    "Z14": ("other", "other placement"),
}

# PLACE: a few words for the label of a move ('Moved: foster care, long term (U4)').
PLACE_SHORT: dict[str, str] = {
    "A3": "placed for adoption",
    "A4": "placed for adoption",
    "A5": "placed for adoption",
    "A6": "placed for adoption",
    "H5": "semi-independent living",
    "K1": "secure children's home",
    "K2": "children's home",
    "K3": "supported accommodation",
    "P1": "placed with parent(s)",
    "P2": "independent living",
    "P3": "residential employment",
    "Q1": "kinship foster care",
    "Q2": "foster care",
    "R1": "residential care home",
    "R2": "NHS or health care",
    "R3": "mother and baby unit",
    "R5": "young offender institution",
    "S1": "residential school",
    "T0": "temporary move",
    "T1": "hospital (temporary)",
    "T2": "holiday (temporary)",
    "T3": "while carer on holiday",
    "T4": "stay of 7 days or less",
    "U1": "kinship care, long term",
    "U2": "kinship fostering for adoption",
    "U3": "kinship foster care",
    "U4": "foster care, long term",
    "U5": "fostering for adoption",
    "U6": "foster care",
    "Z1": "other placement",
    "Z11": "other placement",
    "Z12": "other placement",
    "Z13": "other placement",
    "Z14": "other placement",
}

# LS: legal status code, the short words used in labels, and the full meaning.
LEGAL_STATUS: dict[str, tuple[str, str]] = {
    "C1": ("interim care order", "interim care order (Children Act 1989 s38)"),
    "C2": ("full care order", "full care order (Children Act 1989 s31)"),
    "D1": ("freeing order", "freeing order granted (Adoption Act 1976 s18)"),
    "E1": ("placement order", "placement order granted (Adoption and Children Act 2002 s21)"),
    "J1": ("remanded", "remanded to local authority or youth detention accommodation"),
    "J2": ("detained under PACE", "in local authority accommodation under PACE 1984"),
    "J3": (
        "youth rehabilitation order",
        "youth rehabilitation order with a residence or intensive fostering requirement",
    ),
    "L1": ("police protection", "under police protection, in local authority accommodation"),
    "L2": ("emergency protection order", "emergency protection order (Children Act 1989 s44)"),
    "L3": ("child assessment order", "child assessment order, in local authority accommodation"),
    "V2": ("accommodated (section 20)", "single period of accommodation under section 20"),
    "V3": ("short breaks", "agreed series of short breaks (each episode recorded)"),
    "V4": ("short breaks", "agreed series of short breaks (agreements recorded)"),
}
KEY_LEGAL_STATUS = frozenset({"C2", "D1", "E1"})

# RNE: reason for new episode.
RNE_CODES: dict[str, str] = {
    "S": "started to be looked after",
    "L": "change of legal status only",
    "P": "change of placement and carer(s)",
    "T": "change of placement, same carer(s)",
    "B": "change of legal status, placement and carer(s)",
    "U": "change of legal status and placement, same carer(s)",
}
SAME_CARERS = frozenset({"T", "U"})

# REC: reason episode ceased: short words for the label, full meaning, event category.
CONTINUES = "X1"
REC_CODES: dict[str, tuple[str, str, str]] = {
    "X1": ("new episode", "episode ended and a new one started the same day", "placement"),
    "E11": ("adopted", "adopted: application unopposed", "order"),
    "E12": ("adopted", "adopted: consent dispensed with by the court", "order"),
    "E2": ("died", "died", "other"),
    "E3": (
        "another local authority took over",
        "care taken over by another LA",
        "placement",
    ),
    "E4A": (
        "returned home",
        "returned home to parent(s) or others with PR, as planned",
        "placement",
    ),
    "E4B": (
        "returned home",
        "returned home to parent(s) or others with PR, not as planned",
        "placement",
    ),
    "E13": (
        "to live with family or others",
        "left care to live with parent(s), relatives or others without PR",
        "placement",
    ),
    "E41": ("child arrangements order", "residence order or child arrangements order", "order"),
    "E43": (
        "special guardianship order",
        "special guardianship order: former foster carer(s)",
        "order",
    ),
    "E44": ("special guardianship order", "special guardianship order: other carer(s)", "order"),
    "E45": (
        "special guardianship order",
        "special guardianship order: former foster carer(s), relative or friend",
        "order",
    ),
    "E46": (
        "special guardianship order",
        "special guardianship order: former foster carer(s), not relative or friend",
        "order",
    ),
    "E47": (
        "special guardianship order",
        "special guardianship order: other carer(s), relative or friend",
        "order",
    ),
    "E48": (
        "special guardianship order",
        "special guardianship order: other carer(s), not relative or friend",
        "order",
    ),
    "E5": ("independent living", "moved to independent living with formal support", "placement"),
    "E6": ("independent living", "moved to independent living without formal support", "placement"),
    "E7": (
        "adult social care",
        "transferred to residential care funded by adult social care",
        "placement",
    ),
    "E8": ("other reason", "stopped being looked after for any other reason", "placement"),
    "E9": ("sentenced to custody", "sentenced to custody", "court"),
    "E14": ("remand ended", "accommodation on remand ended", "order"),
    "E15": (
        "assessed as 18 or over",
        "age assessment found the young person is 18 or over",
        "decision",
    ),
    "E16": ("moved abroad", "child moved abroad", "placement"),
    "E17": (
        "stayed with carers at 18",
        "aged 18 or over and stayed with current carers (staying put)",
        "placement",
    ),
}

REASON_PLACE_CHANGE: dict[str, str] = {
    "CARPL": "change to or carrying out the care plan",
    "CLOSE": "the provision resigned or closed",
    "ALLEG": "allegation (section 47 enquiry)",
    "STAND": "concerns about standards of care",
    "APPRR": "the carer's approval was removed",
    "CREQB": "the carer asked for it to end because of the child's behaviour",
    "CREQO": "the carer asked for it to end for another reason",
    "CHILD": "the child asked for it to end",
    "LAREQ": "the local authority asked for it to end",
    "PLACE": "change in the status of the placement only",
    "CUSTOD": "custody arrangement",
    "OTHER": "other reason",
}

CATEGORY_OF_NEED: dict[str, str] = {
    "N1": "abuse or neglect",
    "N2": "child's disability",
    "N3": "parental illness or disability",
    "N4": "family in acute stress",
    "N5": "family dysfunction",
    "N6": "socially unacceptable behaviour",
    "N7": "low income",
    "N8": "absent parenting",
}

PLACE_PROVIDER: dict[str, str] = {
    "PR0": "parent(s) or other person(s) with parental responsibility",
    "PR1": "own local authority",
    "PR2": "other local authority",
    "PR3": "other public provision",
    "PR4": "private provision",
    "PR5": "voluntary or third sector provision",
}

REVIEW_PARTICIPATION: dict[str, str] = {
    "PN0": "child under 4 at the time of the review",
    "PN1": "child attended and spoke for themselves",
    "PN2": "child attended and an advocate spoke for them",
    "PN3": "child attended and conveyed their views without words",
    "PN4": "child attended but did not convey their views",
    "PN5": "child did not attend but briefed an advocate",
    "PN6": "child did not attend but conveyed their views another way",
    "PN7": "child did not attend and their views were not conveyed",
}

MISSING_KINDS: dict[str, str] = {
    "M": "Missing from placement",
    "A": "Away from placement without authorisation",
}

ADOPTION_CEASED_REASONS: dict[str, str] = {
    "RD1": "the child's needs changed",
    "RD2": "the court did not make a placement order",
    "RD3": "prospective adopters could not be found",
    "RD4": "any other reason",
}

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


# --- public API ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RowCount:
    """What became of one file's data rows.

    ``read == records + merged + errors + left_out``: ``merged`` rows repeat an
    episode or child already read, ``left_out`` rows belong to another child
    (one child chosen) or to a child with no episodes.
    """

    file: str
    read: int = 0
    records: int = 0
    merged: int = 0
    errors: int = 0
    left_out: int = 0

    @property
    def balanced(self) -> bool:
        return self.read == self.records + self.merged + self.errors + self.left_out


def load_ssda903(
    episodes: Path | list[Path],
    header: Path | list[Path] | None = None,
    *,
    reviews: Path | list[Path] | None = None,
    missing: Path | list[Path] | None = None,
    placed_for_adoption: Path | list[Path] | None = None,
    today: date | None = None,
    child_id: str | None = None,
) -> Dataset:
    """Read SSDA903 tables (several yearly files each, oldest first) into a ``Dataset``.

    ``child_id`` keeps one child (a full extract holds thousands). Every problem
    found is in ``Dataset.problems``.
    """
    return load_ssda903_counted(
        episodes,
        header,
        reviews=reviews,
        missing=missing,
        placed_for_adoption=placed_for_adoption,
        today=today,
        child_id=child_id,
    )[0]


def load_ssda903_folder(
    folder: Path, *, today: date | None = None, child_id: str | None = None
) -> Dataset:
    """Load every SSDA903 table found in a folder (yearly files merged, oldest first).

    Other data files in the folder (UASC, OC2, ...) are named in a warning: not read.
    """
    folder = Path(folder)
    files = find_ssda903_files(folder)
    if not files.get("episodes"):
        return Dataset(problems=(error("no episodes.csv in the folder", folder.name),))
    dataset = load_ssda903(
        files["episodes"],
        files.get("header"),
        reviews=files.get("reviews"),
        missing=files.get("missing"),
        placed_for_adoption=files.get("placed_for_adoption"),
        today=today,
        child_id=child_id,
    )
    return dataset.with_problems(_files_not_read(folder, files))


def _files_not_read(folder: Path, files: dict[str, list[Path]]) -> list[Problem]:
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
        f"{_n(len(names), 'file')} in the folder not read (only the episodes, header, reviews,"
        f" missing and placed_for_adoption tables are): {', '.join(names)}"
    )
    return [warning(message, folder.name)]


def find_ssda903_files(folder: Path) -> dict[str, list[Path]]:
    """The 903 tables in a folder by kind, each list oldest year first.

    Names may carry a year or return prefix: ``episodes.csv``, ``2019-episodes.csv``,
    ``SSDA903_2020_episodes.csv`` (not ``sw_episodes.csv``, a different table). When
    no file is named for the episodes, a workbook with another name counts for each
    table it has a sheet for.
    """
    if not folder.is_dir():
        return {}
    files = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in _TABLE_SUFFIXES]
    found: dict[str, list[Path]] = {}
    for path in files:
        if kind := table_kind(path.stem):
            found.setdefault(kind, []).append(path)
    if "episodes" not in found:
        for path in files:
            for kind in _workbook_sheets(path) if not table_kind(path.stem) else ():
                found.setdefault(kind, []).append(path)
    return {kind: sorted(paths, key=_year_order) for kind, paths in found.items()}


def table_kind(name: str) -> str | None:
    """'2019-episodes' -> 'episodes'; None when the name is not a 903 table's."""
    match = _TABLE_NAME.match(name.strip())
    if match and _PREFIX.match(match["prefix"] or ""):
        return match["kind"].lower()
    return None


def _workbook_sheets(path: Path) -> dict[str, list[str]]:
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


def load_ssda903_counted(
    episodes: Path | list[Path],
    header: Path | list[Path] | None = None,
    *,
    reviews: Path | list[Path] | None = None,
    missing: Path | list[Path] | None = None,
    placed_for_adoption: Path | list[Path] | None = None,
    today: date | None = None,
    child_id: str | None = None,
) -> tuple[Dataset, tuple[RowCount, ...]]:
    """``load_ssda903``, also returning what became of each file's rows.

    A workbook given as ``episodes`` also gives the tables not given separately
    when it has sheets for them (``header``, ``reviews``, ...).
    """
    loader = _Loader(today or date.today(), child_id.strip() if child_id else None)
    paths = {
        "episodes": _paths(episodes),
        "header": _paths(header),
        "reviews": _paths(reviews),
        "missing": _paths(missing),
        "placed_for_adoption": _paths(placed_for_adoption),
    }
    for kind, given in paths.items():
        if not given:
            given += [p for p in paths["episodes"] if kind in _workbook_sheets(p)]
    loader.run(paths)
    return loader.dataset(), tuple(loader.counts.values())


def place_label(code: str) -> str:
    """'U4' -> 'U4: foster placement with other foster carer, long term'."""
    meaning = PLACE_CODES.get(code, ("other", "unknown placement code"))[1]
    return f"{code}: {meaning}" if code else meaning


def place_short(code: str) -> str:
    """'U4' -> 'foster care, long term (U4)': the words for an event label."""
    if not code:
        return "placement type not given"
    return f"{PLACE_SHORT.get(code, 'unknown placement code')} ({code})"


# --- internals -----------------------------------------------------------------------------


REQUIRED = {
    "episodes": ("child", "decom", "dec", "place"),
    "header": ("child", "dob"),
    "reviews": ("child", "review"),
    "missing": ("child", "mis_start"),
    "placed_for_adoption": ("child", "date_placed"),
}
# The episode fields compared when the same episode is listed more than once.
_DETAILS = ("rne", "ls", "cin", "place", "place_provider", "reason_place_change", "pl_post", "urn")


def _paths(given: Path | list[Path] | tuple[Path, ...] | None) -> list[Path]:
    if given is None:
        return []
    if isinstance(given, list | tuple):
        return [Path(p) for p in given]
    return [Path(given)]


def _year_order(path: Path | str) -> tuple[int, str]:
    name = path.name if isinstance(path, Path) else path
    match = _YEAR.search(name)
    return (int(match[1]) if match else 0, name)


def _sources(kind: str, paths: list[Path]) -> list[tuple[Path, str | None]]:
    """(file, sheet) to read for a table: a workbook's sheets for ``kind``, or its first
    sheet when none is named for it; a text file has no sheet."""
    sources: list[tuple[Path, str | None]] = []
    for path in paths:
        sheets: list[str | None] = [*_workbook_sheets(path).get(kind, [])] or [None]
        sources += [(path, sheet) for sheet in sheets]
    return sources


@dataclass(frozen=True)
class _Episode:
    """One episode row that could be read."""

    child: str
    start: date
    end: date | None
    cells: Cells
    origin: Origin
    order: int
    headings: dict[str, str]

    def code(self, name: str) -> str:
        return self.cells.get(name, "").strip().upper()

    @property
    def rec(self) -> str:
        """Reason the episode ceased; open episodes have none (extracts leave 'X1' there)."""
        return self.code("rec") if self.end is not None else ""

    def details(self) -> tuple[str, ...]:
        return tuple(self.code(name) for name in _DETAILS)

    def place_key(self) -> tuple[str, ...]:
        """Where the child is: placement type, provider, postcode and Ofsted URN."""
        return tuple(
            self.code(n).replace(" ", "") for n in ("place", "place_provider", "pl_post", "urn")
        )

    def warn(self, column: str, message: str) -> Problem:
        return warning(message, self.origin.file, self.origin.row, self.headings.get(column))


class _Loader:
    """Reads the tables, then builds each child's placements and events."""

    def __init__(self, today: date, chosen: str | None):
        self.today, self.chosen = today, chosen
        self.problems: list[Problem] = []
        self.tally: dict[str, Counter] = {}
        self.children: dict[str, Child] = {}
        self.events: list[Event] = []
        self.placements: list[Placement] = []

    @property
    def counts(self) -> dict[str, RowCount]:
        return {
            file: RowCount(file, **{k: tally[k] for k in _COUNTED})
            for file, tally in self.tally.items()
        }

    def run(self, paths: dict[str, list[Path]]) -> None:
        tables = {kind: self._tables(kind, paths[kind]) for kind in TABLES}
        episodes = _merge_repeats(self._episodes(tables["episodes"]), self)
        by_child: dict[str, list[_Episode]] = {}
        for episode in episodes:
            by_child.setdefault(episode.child, []).append(episode)
        if self.chosen and self.chosen not in by_child:
            files = " or ".join(t.file for t in tables["episodes"]) or "the episodes file"
            self.problems.append(error(f"no episodes for child '{self.chosen}' in {files}"))
        self._children(tables["header"], by_child)
        for child, group in by_child.items():
            _History(self, child, group).build()
        self._dated_rows(tables["reviews"], by_child, "review", _review_event)
        self._dated_rows(tables["missing"], by_child, "mis_start", _missing_event)
        self._dated_rows(tables["placed_for_adoption"], by_child, "date_placed", _adoption_events)
        self._check_births()

    def dataset(self) -> Dataset:
        order = {file: i for i, file in enumerate(self.tally)}
        problems = sorted(
            dict.fromkeys(self.problems), key=lambda p: (order.get(p.file, -1), p.row or 0)
        )
        return Dataset(
            tuple(self.children.values()),
            tuple(self.events),
            tuple(self.placements),
            tuple(problems),
        )

    def count(self, file: str, what: str) -> None:
        self.tally[file][what] += 1

    # --- reading ---

    def _tables(self, kind: str, paths: list[Path]) -> list[Table]:
        tables = []
        for path, sheet in _sources(kind, paths):
            try:
                table = read_table(path, sheet)
            except InputError as exc:
                self.problems += exc.problems
                continue
            self.problems += table.problems
            self.tally[table.file] = Counter(read=len(table.rows))
            missing = [name.upper() for name in REQUIRED[kind] if name not in table.columns]
            if missing:
                self.problems.append(
                    error(f"not an SSDA903 {kind} file: no column {', '.join(missing)}", table.file)
                )
                self.tally[table.file]["errors"] = len(table.rows)
                continue
            tables.append(table)
        return tables

    def _rows(self, table: Table) -> Iterator[tuple[int, str, Cells]]:
        """The table's rows for the chosen child (others are counted as left out)."""
        for number, cells in table.rows:
            if number in table.bad_rows:  # the table has said why
                self.count(table.file, "errors")
                continue
            child = cells.get("child", "").strip()
            if self.chosen and child != self.chosen:
                self.count(table.file, "left_out")
                continue
            yield number, child, cells

    def date(
        self,
        table: Table,
        number: int,
        cells: Cells,
        column: str,
        problems: list[Problem],
        severity: Callable[..., Problem] = error,
    ) -> date | None:
        """The cell's date; a problem (``severity``) when it cannot be read."""
        text = cells.get(column, "").strip()  # a time of day after it is ignored by the parser
        if not text:
            return None
        heading = table.original(column)
        try:
            day = parse_exact_date(text)
        except DateError as exc:
            problems.append(severity(str(exc), table.file, number, heading))
            return None
        if day > self.today:
            problems.append(warning(f"'{text}' is in the future", table.file, number, heading))
        return day

    def _episodes(self, tables: list[Table]) -> list[_Episode]:
        episodes: list[_Episode] = []
        for table in tables:
            headings = {c: table.original(c) for c in table.columns}
            for number, child, cells in self._rows(table):
                problems = _required(table, number, cells, child, "decom")
                start = self.date(table, number, cells, "decom", problems)
                end = self.date(table, number, cells, "dec", problems)
                if start and end and end < start:
                    problems.append(
                        error(
                            f"episode ends ({end:%d/%m/%Y}) before it starts ({start:%d/%m/%Y});"
                            " not drawn",
                            table.file,
                            number,
                            headings["dec"],
                        )
                    )
                self.problems += problems
                if start is None or has_errors(problems):
                    self.count(table.file, "errors")
                    continue
                origin = Origin(table.file, number)
                episodes.append(_Episode(child, start, end, cells, origin, len(episodes), headings))
        return episodes

    def _children(self, tables: list[Table], by_child: dict[str, list[_Episode]]) -> None:
        seen: dict[str, list[tuple[date | None, Origin, str]]] = {}
        sexes: dict[str, str] = {}
        repeats: dict[str, list[int]] = {}
        without: dict[str, list[int]] = {}
        for table in tables:
            for number, child, cells in self._rows(table):
                problems = _required(table, number, cells, child)
                born = self.date(table, number, cells, "dob", problems, warning)
                sexes.setdefault(child, sex_from(cells.get("sex", "")))
                self.problems += problems
                if has_errors(problems):
                    self.count(table.file, "errors")
                elif child not in by_child:
                    without.setdefault(table.file, []).append(number)
                    self.count(table.file, "left_out")
                else:
                    if child in seen:
                        repeats.setdefault(table.file, []).append(number)
                    self.count(table.file, "merged" if child in seen else "records")
                    row = (born, Origin(table.file, number), table.original("dob"))
                    seen.setdefault(child, []).append(row)
        self._report_rows(repeats, "merged {} repeating a child already listed (yearly returns do)")
        self._report_rows(without, "{} for children with no episodes left out")
        self._absent_from_header(tables, by_child, seen)
        for child, group in by_child.items():
            born, origin = self._date_of_birth(child, seen.get(child, []))
            where = origin or group[0].origin
            self.children[child] = Child(child, "", born, "", where, sexes.get(child, ""))

    def _report_rows(self, rows: dict[str, list[int]], message: str) -> None:
        """One warning per file: ``message`` (with '{}' for 'N rows') and the rows."""
        for file, numbers in rows.items():
            text = message.format(_n(len(numbers), "row"))
            self.problems.append(warning(f"{text}: {_rows_text(numbers)}", file))

    def _absent_from_header(
        self, tables: list[Table], by_child: dict[str, list[_Episode]], seen: dict
    ) -> None:
        absent = [child for child in by_child if child not in seen]
        if tables and absent:
            listed = ", ".join(absent[:10]) + (", ..." if len(absent) > 10 else "")
            self.problems.append(
                warning(
                    f"{_n(len(absent), 'child', 'children')} with episodes not in the header"
                    f" file (no date of birth): {listed}",
                    tables[-1].file,
                )
            )

    def _date_of_birth(
        self, child: str, rows: list[tuple[Day | None, Origin, str]]
    ) -> tuple[Day | None, Origin | None]:
        """The most common date of birth (the last listed on a tie: files are read oldest
        first) and the first row giving it; a warning on that row if the rows give several."""
        dated = [row for row in rows if row[0] is not None]
        if not dated:
            return None, rows[0][1] if rows else None
        counts = Counter(row[0] for row in dated)
        last = {row[0]: i for i, row in enumerate(dated)}
        best = max(counts, key=lambda born: (counts[born], last[born]))
        _, origin, heading = next(row for row in dated if row[0] == best)
        if len(counts) > 1:
            listed = "; ".join(f"{b:%d/%m/%Y} ({o.file}, row {o.row})" for b, o, _ in dated)
            tied = sum(1 for n in counts.values() if n == counts[best]) > 1
            why = "the last one listed" if tied else "the most common"
            self.problems.append(
                warning(
                    f"child {child} has {len(counts)} different dates of birth: {listed};"
                    f" using {best:%d/%m/%Y} ({why})",
                    origin.file,
                    origin.row,
                    heading,
                )
            )
        return best, origin

    def _dated_rows(
        self,
        tables: list[Table],
        by_child: dict[str, list[_Episode]],
        column: str,
        make: Callable[..., list[Event]],
    ) -> None:
        """Reviews, missing and adoption rows: events for children with episodes.

        Rows for the same child and day (yearly returns repeat them) are merged,
        keeping the latest.
        """
        kept: dict[tuple[str, date], _DatedRow] = {}
        merged: dict[str, list[int]] = {}
        left_out: dict[str, list[int]] = {}
        for table in tables:
            for number, child, cells in self._rows(table):
                problems = _required(table, number, cells, child, column)
                day = self.date(table, number, cells, column, problems)
                if day is None or has_errors(problems):
                    self.problems += problems
                    self.count(table.file, "errors")
                elif child not in by_child:
                    left_out.setdefault(table.file, []).append(number)
                    self.count(table.file, "left_out")
                else:
                    if (child, day) in kept:
                        dropped = kept[(child, day)]
                        merged.setdefault(dropped.table.file, []).append(dropped.number)
                        self.count(dropped.table.file, "merged")
                    kept[(child, day)] = _DatedRow(table, number, cells, child, day, problems)
        self._report_rows(left_out, "{} for children with no episodes left out")
        for row in kept.values():
            self.events += make(
                self, row.table, row.number, row.cells, row.child, row.day, row.problems
            )
            self.problems += row.problems
            self.count(row.table.file, "records")
        self._report_rows(
            merged, "merged {} repeated (same child and date) in this or a later file"
        )

    def _check_births(self) -> None:
        born = {c.child_id: c.date_of_birth for c in self.children.values() if c.date_of_birth}
        for placement in self.placements:
            dob = born.get(placement.child_id)
            if dob and placement.start < dob and placement.origin:
                self.problems.append(
                    warning(
                        f"episode starts before the date of birth ({dob:%d/%m/%Y})",
                        placement.origin.file,
                        placement.origin.row,
                        "DECOM",
                    )
                )


@dataclass(frozen=True)
class _DatedRow:
    table: Table
    number: int
    cells: Cells
    child: str
    day: date
    problems: list[Problem]


_COUNTED = ("read", "records", "merged", "errors", "left_out")


def _required(
    table: Table, number: int, cells: Cells, child: str, date_column: str = ""
) -> list[Problem]:
    """Errors for a blank CHILD id or a blank required date."""
    problems = []
    if not child:
        problems.append(error("no CHILD id given", table.file, number, table.original("child")))
    if date_column and not cells.get(date_column, "").strip():
        heading = table.original(date_column)
        problems.append(error(f"no {heading} date given", table.file, number, heading))
    return problems


def _n(n: int, word: str, words: str = "") -> str:
    """'1 row', '3 rows'."""
    return f"{n} {word if n == 1 else words or word + 's'}"


def _merge_repeats(episodes: list[_Episode], loader: _Loader) -> list[_Episode]:
    """One episode per (child, start): keep the version with an end date, else the latest.

    Yearly returns repeat every episode still open; regional extracts stack the
    returns in one file. Rows repeating another exactly are warned about one by
    one, versions that disagree on more than the end too; the rest are listed by
    row, per file. An episode that ends the day it starts is never a version of a
    longer one starting that day: it is an episode of its own.
    """
    versions: dict[tuple[str, date, bool], list[_Episode]] = {}
    for episode in episodes:
        key = (episode.child, episode.start, episode.end == episode.start)
        versions.setdefault(key, []).append(episode)
    kept: list[_Episode] = []
    repeated: dict[str, list[int]] = {}
    for group in versions.values():
        closed = [e for e in group if e.end is not None]
        latest = (closed or group)[-1]
        best = next(e for e in group if _identical(e, latest))  # the first of exact repeats
        kept.append(best)
        loader.count(best.origin.file, "records")
        for other in group:
            if other is not best:
                loader.count(other.origin.file, "merged")
                _note_repeat(other, best, loader, repeated)
        conflict = _conflict(group, best)
        if conflict:
            loader.problems.append(conflict)
    for file, rows in repeated.items():
        loader.problems.append(
            warning(
                f"merged {_n(len(rows), 'episode')} repeated in a later return (open, then"
                " closed or changed); the version with an end date, or else the latest, is"
                f" used: {_rows_text(rows)}",
                file,
            )
        )
    return sorted(kept, key=lambda e: e.order)


def _note_repeat(
    other: _Episode, best: _Episode, loader: _Loader, repeated: dict[str, list[int]]
) -> None:
    """A warning for a row repeating ``best`` exactly; otherwise its row is listed."""
    if _identical(other, best):
        message = f"repeats {_row_of(best, other)} exactly (the same episode); merged"
        loader.problems.append(other.warn("decom", message))
    else:
        repeated.setdefault(other.origin.file, []).append(other.origin.row or 0)


def _identical(one: _Episode, other: _Episode) -> bool:
    """The same episode in every field compared (codes, end date and reason)."""
    return one.details() == other.details() and one.end == other.end and one.rec == other.rec


def _rows_text(rows: list[int]) -> str:
    """'row 4', or 'rows 2, 5, 7-9' (sorted, runs joined)."""
    numbers = sorted(set(rows))
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts = [str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs]
    return ("row " if len(numbers) == 1 else "rows ") + ", ".join(parts)


def _conflict(group: list[_Episode], best: _Episode) -> Problem | None:
    """A warning when versions of one episode disagree beyond the end date being filled in."""
    others = [e for e in group if e is not best]
    differ = [
        e
        for e in others
        if e.details() != best.details() or (e.end is not None and e.end != best.end)
    ]
    if not differ:
        return None
    rows = ", ".join(f"{e.origin.file} row {e.origin.row}" for e in differ)
    return best.warn(
        "decom",
        f"episode starting {best.start:%d/%m/%Y} for child {best.child} is listed with"
        f" different details in {rows}; this row is used",
    )


class _History:
    """One child's episodes → placements and events, with the checks between episodes."""

    def __init__(self, loader: _Loader, child: str, episodes: list[_Episode]):
        self.loader, self.child = loader, child
        self.episodes = sorted(episodes, key=lambda e: (e.start, e.end or date.max, e.order))
        self.first: _Episode | None = None  # the first episode of the placement being built

    def build(self) -> None:
        previous: _Episode | None = None
        for episode in self.episodes:
            self._check_codes(episode)
            if previous is None:
                self._start_period(episode)
            else:
                self._follow(previous, episode)
            previous = episode
        if previous is not None:
            self._finish(previous)

    def _problem(self, problem: Problem) -> None:
        self.loader.problems.append(problem)

    def _event(
        self,
        day: date,
        label: str,
        category: str,
        detail: str,
        episode: _Episode,
        key: bool = False,
    ) -> None:
        self.loader.events.append(
            Event(
                FuzzyDate.exact(day),
                label,
                category,
                detail,
                SOURCE,
                key,
                False,
                self.child,
                episode.origin,
            )
        )

    def _follow(self, previous: _Episode, episode: _Episode) -> None:
        end = previous.end
        if end is None or end > episode.start:
            self._overlap(previous, episode)
            self._close_placement(episode.start, previous)
            self._move(episode, previous)
            self._legal_status(episode, previous)
            return
        if end < episode.start:
            self._gap(previous, episode)
            self._leave(previous)
            self._close_placement(end, previous)
            self._start_period(episode)
            return
        if previous.rec and previous.rec != CONTINUES:
            self._problem(
                episode.warn(
                    "decom",
                    (
                        f"the episode before ({_row_of(previous, episode)}) ended with REC"
                        f" {previous.rec} (left care) but this one starts the same day"
                    ),
                )
            )
            self._leave(previous)
            self._close_placement(end, previous)
            self._start_period(episode)
            return
        if episode.code("rne") == "L" and episode.place_key() == previous.place_key():
            if not self._legal_status(episode, previous):
                self._problem(
                    episode.warn(
                        "rne",
                        (
                            "new episode for a change of legal status (RNE L), but LS is the same"
                            f" as the episode before ({previous.code('ls') or 'blank'})"
                        ),
                    )
                )
            return
        self._close_placement(end, previous)
        self._move(episode, previous)
        self._legal_status(episode, previous)

    def _move(self, episode: _Episode, previous: _Episode) -> None:
        """A new placement within a period of care, and an event saying so (from RNE)."""
        rne = episode.code("rne")
        same_carers = rne in SAME_CARERS
        what = "Same carers" if same_carers else "Moved"
        parts = [place_label(episode.code("place"))]
        if rne in RNE_CODES:
            parts.append(f"new episode: {RNE_CODES[rne]} (RNE {rne})")
        if rne == "L":
            parts[-1] += ", but the placement changed"
            message = (
                "new episode for a change of legal status only (RNE L), but the placement"
                " (PLACE, PLACE_PROVIDER, PL_POST or URN) changed; drawn as a move"
            )
            self._problem(episode.warn("rne", message))
        ended = _end_reason(previous, episode.start)
        if ended:
            parts.append(f"previous placement {ended}")
        label = f"{what}: {place_short(episode.code('place'))}"
        self._event(episode.start, label, "placement", "; ".join(parts), episode)
        self._new_placement(episode)

    def _overlap(self, previous: _Episode, episode: _Episode) -> None:
        ends = "has no end date" if previous.end is None else f"ends {previous.end:%d/%m/%Y}"
        if previous.rec not in ("", CONTINUES):
            meaning = REC_CODES.get(previous.rec, ("", "unknown reason", ""))[1]
            ends += f" (REC {previous.rec}: {meaning}, not drawn)"
        self._problem(
            episode.warn(
                "decom",
                (
                    f"episode starts {episode.start:%d/%m/%Y}, before the episode in"
                    f" {_row_of(previous, episode)} (starting"
                    f" {previous.start:%d/%m/%Y}) {ends}; that placement is drawn as ending"
                    f" {episode.start:%d/%m/%Y}"
                ),
            )
        )

    def _gap(self, previous: _Episode, episode: _Episode) -> None:
        assert previous.end is not None  # a gap follows an episode that ended
        days = (episode.start - previous.end).days
        why = (
            f"left care ({previous.rec}) and came back"
            if previous.rec not in ("", CONTINUES)
            else f"the episode before ended with REC {previous.rec or 'blank'}, so a new"
            " episode should start the same day"
        )
        self._problem(
            episode.warn(
                "decom",
                (
                    f"not looked after for {plain_duration(days)} before this episode: the"
                    f" episode in {_row_of(previous, episode)} ended {previous.end:%d/%m/%Y}; {why}"
                ),
            )
        )

    def _start_period(self, episode: _Episode) -> None:
        rne = episode.code("rne")
        first = rne == "S"
        label = "Started to be looked after" if first else "Looked after (start not in the data)"
        if first and episode is not self.episodes[0]:
            label = "Started to be looked after again"
        parts = [place_label(episode.code("place"))]
        if not first:
            meaning = RNE_CODES.get(rne, "unknown code")
            parts.append(f"first episode in the data is a {meaning} (RNE {rne or 'blank'})")
        need = episode.code("cin")
        if need:
            parts.append(f"category of need: {CATEGORY_OF_NEED.get(need, 'unknown')} ({need})")
        self._event(episode.start, label, "placement", "; ".join(parts), episode, key=first)
        self._new_placement(episode)
        self._legal_status(episode, None)

    def _legal_status(self, episode: _Episode, previous: _Episode | None) -> bool:
        """An event when the legal status is new or changed; False when it did not change."""
        code = episode.code("ls")
        if previous is not None and code == previous.code("ls"):
            return False
        if not code:
            self._problem(episode.warn("ls", "no legal status (LS) given"))
            return True
        short, meaning = LEGAL_STATUS.get(code, (f"unknown code {code}", "unknown legal status"))
        self._event(
            episode.start,
            f"Legal status: {short} ({code})",
            "order",
            meaning,
            episode,
            key=code in KEY_LEGAL_STATUS,
        )
        return True

    def _leave(self, episode: _Episode) -> None:
        rec = episode.rec
        if not rec or rec == CONTINUES or episode.end is None:
            return
        short, meaning, category = REC_CODES.get(rec, (f"code {rec}", "unknown reason", "other"))
        self._event(
            episode.end, f"Left care: {short} ({rec})", category, meaning, episode, key=True
        )
        if rec == "E2" and episode is not self.episodes[-1]:
            self._problem(
                episode.warn("rec", "child recorded as died (E2) but later episodes follow")
            )

    def _finish(self, last: _Episode) -> None:
        if last.end is not None and last.rec in ("", CONTINUES):
            self._problem(
                last.warn(
                    "rec",
                    (
                        f"the last episode ends {last.end:%d/%m/%Y} with REC {last.rec or 'blank'}"
                        " (a new episode the same day) but no later episode is in the data"
                    ),
                )
            )
        self._leave(last)
        self._close_placement(last.end, last)

    def _new_placement(self, episode: _Episode) -> None:
        self.first = episode

    def _close_placement(self, end: date | None, last: _Episode) -> None:
        first = self.first
        if first is None:
            return
        code = first.code("place")
        kind = PLACE_CODES.get(code, ("other", ""))[0]
        reasons = []
        if first.code("rne") in SAME_CARERS:
            reasons.append(f"same carer(s) as before (RNE {first.code('rne')})")
        reasons.append(_end_reason(last, end))
        self.loader.placements.append(
            Placement(
                first.start,
                end,
                kind,
                reason="; ".join(r for r in reasons if r),
                child_id=self.child,
                code=code,
                origin=first.origin,
                description=place_label(code),  # 903 names no carer: carer stays empty
            )
        )
        self.first = None

    def _check_codes(self, episode: _Episode) -> None:
        lists = (
            ("place", PLACE_CODES),
            ("ls", LEGAL_STATUS),
            ("rne", RNE_CODES),
            ("cin", CATEGORY_OF_NEED),
            ("place_provider", PLACE_PROVIDER),
            ("reason_place_change", REASON_PLACE_CHANGE),
        )
        for column, codes in lists:
            code = episode.code(column)
            if code and code not in codes:
                drawn = "; drawn as other" if column == "place" else ""
                self._problem(
                    episode.warn(column, f"unknown {column.upper()} code '{code}'{drawn}")
                )
        if not episode.code("place"):
            self._problem(episode.warn("place", "no placement type (PLACE) given; drawn as other"))
        if episode.rec and episode.rec not in REC_CODES:
            self._problem(episode.warn("rec", f"unknown REC code '{episode.rec}'"))


def _row_of(other: _Episode, episode: _Episode) -> str:
    """'row 4', or 'FILE row 4' when the other episode is in another file."""
    if other.origin.file == episode.origin.file:
        return f"row {other.origin.row}"
    return f"{other.origin.file} row {other.origin.row}"


def _end_reason(last: _Episode, end: date | None) -> str:
    if end is None:
        return ""
    if last.rec and last.rec != CONTINUES and last.end == end:
        meaning = REC_CODES.get(last.rec, ("", "unknown reason", ""))[1]
        return f"ended: {meaning} ({last.rec})"
    code = last.code("reason_place_change")
    if code:
        return f"ended: {REASON_PLACE_CHANGE.get(code, 'unknown reason')} ({code})"
    return ""


# --- reviews, missing, adoption decisions ---------------------------------------------------


def _review_event(
    loader: _Loader,
    table: Table,
    number: int,
    cells: Cells,
    child: str,
    day: date,
    problems: list[Problem],
) -> list[Event]:
    code = cells.get("review_code", "").strip().upper()
    detail = ""
    if code:
        meaning = REVIEW_PARTICIPATION.get(code)
        if meaning is None:
            problems.append(
                warning(
                    f"unknown REVIEW_CODE '{code}'",
                    table.file,
                    number,
                    table.original("review_code"),
                )
            )
        detail = f"Participation: {meaning or 'unknown code'} ({code})"
    origin = Origin(table.file, number)
    return [
        Event(
            FuzzyDate.exact(day),
            "LAC review",
            "review",
            detail,
            SOURCE,
            False,
            False,
            child,
            origin,
        )
    ]


def _missing_event(
    loader: _Loader,
    table: Table,
    number: int,
    cells: Cells,
    child: str,
    day: date,
    problems: list[Problem],
) -> list[Event]:
    kind = cells.get("missing", "").strip().upper()
    label = MISSING_KINDS.get(kind, "Missing or away from placement")
    if kind not in MISSING_KINDS:
        problems.append(
            warning(
                f"unknown MISSING code '{kind}'" if kind else "no MISSING code",
                table.file,
                number,
                table.original("missing"),
            )
        )
    end = loader.date(table, number, cells, "mis_end", problems, warning)
    if end is not None and end < day:
        problems.append(
            warning(
                f"ends ({end:%d/%m/%Y}) before it starts; end ignored",
                table.file,
                number,
                table.original("mis_end"),
            )
        )
        end = None
    detail = (
        f"until {end:%d/%m/%Y} ({plain_duration((end - day).days)})"
        if end
        else "end date not recorded"
    )
    return [
        Event(
            FuzzyDate.exact(day),
            label,
            "other",
            detail,
            SOURCE,
            False,
            False,
            child,
            Origin(table.file, number),
        )
    ]


def _adoption_events(
    loader: _Loader,
    table: Table,
    number: int,
    cells: Cells,
    child: str,
    day: date,
    problems: list[Problem],
) -> list[Event]:
    origin = Origin(table.file, number)
    events = [
        Event(
            FuzzyDate.exact(day),
            "Decision: should be placed for adoption",
            "decision",
            "",
            SOURCE,
            True,
            False,
            child,
            origin,
        )
    ]
    ceased = loader.date(table, number, cells, "date_placed_ceased", problems, warning)
    if ceased is not None:
        code = cells.get("reason_placed_ceased", "").strip().upper()
        reason = ADOPTION_CEASED_REASONS.get(code)
        if code and reason is None:
            problems.append(
                warning(
                    f"unknown REASON_PLACED_CEASED code '{code}'",
                    table.file,
                    number,
                    table.original("reason_placed_ceased"),
                )
            )
        detail = f"reason: {reason or 'unknown'} ({code})" if code else ""
        events.append(
            Event(
                FuzzyDate.exact(ceased),
                "Decision: should no longer be placed for adoption",
                "decision",
                detail,
                SOURCE,
                False,
                False,
                child,
                origin,
            )
        )
    return events
