"""What became of every data row read: the accounting every command prints.

Each file's rows add up: ``read == records + merged + errors + left_out``.
``records`` rows became something to draw; ``merged`` repeat a row already read
(yearly returns list open episodes again); ``errors`` are reported with their row;
``left_out`` belong to another child (one child chosen) or to a child with nothing
to draw, and a warning says which.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_PARTS = (("merged", "merged"), ("errors", "with errors"), ("left_out", "left out"))


@dataclass(frozen=True)
class RowCount:
    """What became of one file's data rows (a CIN census counts its ``<Child>`` elements)."""

    file: str
    read: int = 0
    records: int = 0
    merged: int = 0
    errors: int = 0
    left_out: int = 0
    unit: str = "row"
    unread: bool = False  # the file could not be read at all (its error says why)

    @classmethod
    def of(cls, file: str, tally: Mapping[str, int], unit: str = "row") -> RowCount:
        """A count from a tally by name (``read``, ``records``, ``merged``, ...)."""
        return cls(
            file,
            tally.get("read", 0),
            tally.get("records", 0),
            tally.get("merged", 0),
            tally.get("errors", 0),
            tally.get("left_out", 0),
            unit,
        )

    @property
    def balanced(self) -> bool:
        return self.read == self.records + self.merged + self.errors + self.left_out

    def line(self) -> str:
        """'episodes.csv: 120 rows read: 100 used, 15 merged, 2 with errors, 3 left out'."""
        if self.unread:
            return f"{self.file}: not read (see the error above)"
        parts = [f"{self.records:,} used"]
        for name, words in _PARTS:
            if number := getattr(self, name):
                parts.append(f"{number:,} {words}")
        unit = self.unit if self.read == 1 else f"{self.unit}s"
        return f"{self.file}: {self.read:,} {unit} read: {', '.join(parts)}"


def accounting_lines(counts: Iterable[RowCount]) -> list[str]:
    """One line per file, in the order read."""
    return [count.line() for count in summed(counts)]


def summed(counts: Iterable[RowCount]) -> list[RowCount]:
    """One count per file, in the order read (a file counted twice is summed)."""
    by_file: dict[str, RowCount] = {}
    for count in counts:
        known = by_file.get(count.file)
        by_file[count.file] = count if known is None else add(known, count)
    return list(by_file.values())


def add(one: RowCount, other: RowCount) -> RowCount:
    """Two counts of the same file, summed."""
    return RowCount(
        one.file,
        one.read + other.read,
        one.records + other.records,
        one.merged + other.merged,
        one.errors + other.errors,
        one.left_out + other.left_out,
        one.unit,
        one.unread and other.unread,
    )
