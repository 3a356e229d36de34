"""Options for one rendering, as given on the command line or by a caller."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class RenderOptions:
    """What the reader asked for beyond the data: dates, names, markings."""

    as_of: date | None = None  # end of the story; default today (or the last event)
    window_from: date | str | None = None  # axis start: a day, or "birth"; None: the template's
    prepared_by: str = ""
    prepared_on: date | None = None
    marking: str | None = None  # protective marking; None: the template's
    title: str | None = None
    page_size: str | None = None  # A4 or A3; None: the template's
    gap_threshold_months: float | None = None
    shadows_folder: Path | None = None
    show_shadows: bool | None = None
    redact: bool = False
    redact_names: tuple[str, ...] = ()  # more names to hide when redacting (brothers, sisters)
