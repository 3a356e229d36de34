"""Reading an SSDA903 extract: every table's rows counted, episodes merged and built
into each child's history, the other tables' events added."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from timelines.load.files import InputPath, as_input
from timelines.load.ssda903.episodes import Episode, merge_repeats
from timelines.load.ssda903.extras import adoption_events, missing_event, review_event
from timelines.load.ssda903.files import (
    TABLES,
    files_not_read,
    find_ssda903_files,
    paths_of,
    table_sources,
    workbook_sheets,
)
from timelines.load.ssda903.history import History
from timelines.load.ssda903.words import plural, rows_text
from timelines.load.tables import Cells, Table, read_table
from timelines.model.counts import RowCount
from timelines.model.dates import DateError, parse_exact_date
from timelines.model.problems import InputError, Problem, error, has_errors, warning
from timelines.model.records import Child, Dataset, Event, Origin, Placement, child_key, sex_from

Day = date  # the type (in _Loader, ``date`` names a method)


def load_ssda903(
    episodes: InputPath | list[InputPath],
    header: InputPath | list[InputPath] | None = None,
    *,
    reviews: InputPath | list[InputPath] | None = None,
    missing: InputPath | list[InputPath] | None = None,
    placed_for_adoption: InputPath | list[InputPath] | None = None,
    today: date | None = None,
    child_id: str | None = None,
) -> Dataset:
    """Read SSDA903 tables (several yearly files each, oldest first) into a ``Dataset``.

    ``child_id`` keeps one child (a full extract holds thousands). Every problem
    found is in ``Dataset.problems``, and what became of each file's rows in
    ``Dataset.counts``. A workbook given as ``episodes`` also gives the tables not
    given separately when it has sheets for them (``header``, ``reviews``, ...).
    """
    loader = _Loader(today or date.today(), child_key(child_id) if child_id else None)
    paths = {
        "episodes": paths_of(episodes),
        "header": paths_of(header),
        "reviews": paths_of(reviews),
        "missing": paths_of(missing),
        "placed_for_adoption": paths_of(placed_for_adoption),
    }
    for kind, given in paths.items():
        if not given:
            given += [p for p in paths["episodes"] if kind in workbook_sheets(p)]
    loader.run(paths)
    return loader.dataset()


def load_ssda903_folder(
    folder: InputPath, *, today: date | None = None, child_id: str | None = None
) -> Dataset:
    """Load every SSDA903 table found in a folder (yearly files merged, oldest first).

    Other data files in the folder (UASC, OC2, ...) are named in a warning: not read.
    """
    folder = as_input(folder)
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
    return dataset.with_problems(files_not_read(folder, files))


REQUIRED = {
    "episodes": ("child", "decom", "dec", "place"),
    "header": ("child", "dob"),
    "reviews": ("child", "review"),
    "missing": ("child", "mis_start"),
    "placed_for_adoption": ("child", "date_placed"),
}


class _Loader:
    """Reads the tables, then builds each child's placements and events."""

    def __init__(self, today: date, chosen: str | None):
        self.today, self.chosen = today, chosen
        self.problems: list[Problem] = []
        self.tally: dict[str, Counter] = {}
        self.unread: list[str] = []  # files that could not be read at all
        self.children: dict[str, Child] = {}
        self.events: list[Event] = []
        self.placements: list[Placement] = []

    @property
    def counts(self) -> dict[str, RowCount]:
        counts = {file: RowCount.of(file, tally) for file, tally in self.tally.items()}
        return counts | {name: RowCount(name, unread=True) for name in self.unread}

    def run(self, paths: dict[str, list[InputPath]]) -> None:
        tables = {kind: self._tables(kind, paths[kind]) for kind in TABLES}
        episodes = merge_repeats(self._episodes(tables["episodes"]), self)
        by_child: dict[str, list[Episode]] = {}
        for episode in episodes:
            by_child.setdefault(episode.child, []).append(episode)
        if self.chosen and self.chosen not in by_child:
            files = " or ".join(t.file for t in tables["episodes"]) or "the episodes file"
            self.problems.append(error(f"no episodes for child '{self.chosen}' in {files}"))
        self._children(tables["header"], by_child)
        for child, group in by_child.items():
            history = History(child, group).build()
            self.problems += history.problems
            self.events += history.events
            self.placements += history.placements
        self._dated_rows(tables["reviews"], by_child, "review", review_event)
        self._dated_rows(tables["missing"], by_child, "mis_start", missing_event)
        self._dated_rows(tables["placed_for_adoption"], by_child, "date_placed", adoption_events)
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
            tuple(self.counts.values()),
        )

    def count(self, file: str, what: str) -> None:
        self.tally[file][what] += 1

    # --- reading ---

    def _tables(self, kind: str, paths: list[InputPath]) -> list[Table]:
        tables = []
        for path, sheet in table_sources(kind, paths):
            try:
                table = read_table(path, sheet)
            except InputError as exc:
                self.problems += exc.problems
                self.unread.append(path.name)
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
            child = child_key(cells.get("child", ""))
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

    def _episodes(self, tables: list[Table]) -> list[Episode]:
        episodes: list[Episode] = []
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
                episodes.append(Episode(child, start, end, cells, origin, len(episodes), headings))
        return episodes

    def _children(self, tables: list[Table], by_child: dict[str, list[Episode]]) -> None:
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
            text = message.format(plural(len(numbers), "row"))
            self.problems.append(warning(f"{text}: {rows_text(numbers)}", file))

    def _absent_from_header(
        self, tables: list[Table], by_child: dict[str, list[Episode]], seen: dict
    ) -> None:
        absent = [child for child in by_child if child not in seen]
        if tables and absent:
            listed = ", ".join(absent[:10]) + (", ..." if len(absent) > 10 else "")
            self.problems.append(
                warning(
                    f"{plural(len(absent), 'child', 'children')} with episodes not in the header"
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
        by_child: dict[str, list[Episode]],
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
