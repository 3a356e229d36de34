"""Episode rows as read, and the same episode listed more than once merged into one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from timelines.load.ssda903.words import plural, rows_text
from timelines.load.tables import Cells
from timelines.model.problems import Problem, warning
from timelines.model.records import Origin

# The episode fields compared when the same episode is listed more than once.
_DETAILS = ("rne", "ls", "cin", "place", "place_provider", "reason_place_change", "pl_post", "urn")


@dataclass(frozen=True)
class Episode:
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


class Tally(Protocol):
    """Where merging reports: the loader's problems and its count of each file's rows."""

    problems: list[Problem]

    def count(self, file: str, what: str) -> None: ...


def merge_repeats(episodes: list[Episode], loader: Tally) -> list[Episode]:
    """One episode per (child, start): keep the version with an end date, else the latest.

    Yearly returns repeat every episode still open; regional extracts stack the
    returns in one file. Rows repeating another exactly are warned about one by
    one, versions that disagree on more than the end too; the rest are listed by
    row, per file. An episode that ends the day it starts is never a version of a
    longer one starting that day: it is an episode of its own.
    """
    versions: dict[tuple[str, date, bool], list[Episode]] = {}
    for episode in episodes:
        key = (episode.child, episode.start, episode.end == episode.start)
        versions.setdefault(key, []).append(episode)
    kept: list[Episode] = []
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
                f"merged {plural(len(rows), 'episode')} repeated in a later return (open, then"
                " closed or changed); the version with an end date, or else the latest, is"
                f" used: {rows_text(rows)}",
                file,
            )
        )
    return sorted(kept, key=lambda e: e.order)


def _note_repeat(
    other: Episode, best: Episode, loader: Tally, repeated: dict[str, list[int]]
) -> None:
    """A warning for a row repeating ``best`` exactly; otherwise its row is listed."""
    if _identical(other, best):
        message = f"repeats {row_of(best, other)} exactly (the same episode); merged"
        loader.problems.append(other.warn("decom", message))
    else:
        repeated.setdefault(other.origin.file, []).append(other.origin.row or 0)


def _identical(one: Episode, other: Episode) -> bool:
    """The same episode in every field compared (codes, end date and reason)."""
    return one.details() == other.details() and one.end == other.end and one.rec == other.rec


def _conflict(group: list[Episode], best: Episode) -> Problem | None:
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


def row_of(other: Episode, episode: Episode) -> str:
    """'row 4', or 'FILE row 4' when the other episode is in another file."""
    if other.origin.file == episode.origin.file:
        return f"row {other.origin.row}"
    return f"{other.origin.file} row {other.origin.row}"
