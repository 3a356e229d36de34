"""Reviews, missing periods and adoption decisions: the 903 tables beside the episodes,
each row an event for a child with episodes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Protocol

from timelines.load.ssda903.codes import (
    ADOPTION_CEASED_REASONS,
    MISSING_KINDS,
    REVIEW_PARTICIPATION,
    SOURCE,
)
from timelines.load.tables import Cells, Table
from timelines.model.dates import FuzzyDate, plain_duration
from timelines.model.problems import Problem, error, warning
from timelines.model.records import Event, Origin

Day = date  # the type (in ``Dates``, ``date`` names a method)


class Dates(Protocol):
    """Reads a cell's date, reporting a problem when it cannot (the loader's ``date``)."""

    def date(
        self,
        table: Table,
        number: int,
        cells: Cells,
        column: str,
        problems: list[Problem],
        severity: Callable[..., Problem] = error,
    ) -> Day | None: ...


def review_event(
    loader: Dates,
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


def missing_event(
    loader: Dates,
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


def adoption_events(
    loader: Dates,
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
