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
``Dataset.counts`` accounts for every row read."""

from timelines.load.ssda903.codes import (
    ADOPTION_CEASED_REASONS,
    CATEGORY_OF_NEED,
    LEGAL_STATUS,
    PLACE_CODES,
    PLACE_PROVIDER,
    PLACE_SHORT,
    REC_CODES,
    REVIEW_PARTICIPATION,
    SOURCE,
    place_label,
    place_short,
)
from timelines.load.ssda903.files import TABLES, find_ssda903_files, table_kind
from timelines.load.ssda903.loader import (
    load_ssda903,
    load_ssda903_folder,
)

__all__ = [
    "ADOPTION_CEASED_REASONS",
    "CATEGORY_OF_NEED",
    "LEGAL_STATUS",
    "PLACE_CODES",
    "PLACE_PROVIDER",
    "PLACE_SHORT",
    "REC_CODES",
    "REVIEW_PARTICIPATION",
    "SOURCE",
    "TABLES",
    "find_ssda903_files",
    "load_ssda903",
    "load_ssda903_folder",
    "place_label",
    "place_short",
    "table_kind",
]
