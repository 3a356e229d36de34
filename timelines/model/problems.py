"""Problems found in input data, and the error that carries them.

Every problem names the file, the row (as a spreadsheet user counts it: the
header is row 1) and the column, so a social worker can find and fix it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong (error) or worth knowing (warning) about the input."""

    severity: Severity
    message: str
    file: str = ""
    row: int | None = None
    column: str | None = None

    def where(self) -> str:
        """Where the problem is, as 'file, row 4, column "date"'."""
        parts = [self.file] if self.file else []
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f'column "{self.column}"')
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


def error(
    message: str, file: str = "", row: int | None = None, column: str | None = None
) -> Problem:
    """An error: the input cannot be drawn until it is fixed."""
    return Problem("error", message, file, row, column)


def warning(
    message: str, file: str = "", row: int | None = None, column: str | None = None
) -> Problem:
    """A warning: the input is drawn, but the reader should know."""
    return Problem("warning", message, file, row, column)


class TimelinesError(Exception):
    """Base class for every error the library raises on purpose."""


class InputError(TimelinesError):
    """The input has errors; ``problems`` lists every one of them (and any warnings)."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        super().__init__(f"{len(errors)} error(s) in the input")

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    def __reduce__(self):  # so that it crosses from a worker process whole
        return (InputError, (self.problems,))


def has_errors(problems: list[Problem] | tuple[Problem, ...]) -> bool:
    """True when any problem is an error."""
    return any(p.severity == "error" for p in problems)
