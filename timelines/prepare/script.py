"""Text the page cannot draw as written: right-to-left scripts and characters no font has.

Arabic and Hebrew would come out reversed and with their letters unjoined (the
page has no bidirectional shaping), which misreads a name: they are refused,
naming file, row and column. A character the fonts have no glyph for (an emoji,
most Chinese) would show as an empty box: it is drawn, with a warning naming
where it is.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import cache

from timelines.model.problems import Problem, error, warning
from timelines.model.records import Dataset, Origin

FONT_FILES = ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf")  # the templates'
# Record fields and the contract column each comes from.
EVENT_FIELDS = (("label", "event"), ("detail", "detail"), ("category", "category"))
PLACEMENT_FIELDS = (("code", "placement_type"), ("carer", "carer"), ("reason", "reason"))
CHILD_FIELDS = (("name", "name"), ("sibling_group", "sibling_group"))


def script_problems(dataset: Dataset) -> tuple[Problem, ...]:
    """An error for each cell in a right-to-left script, a warning for each cell holding
    characters the page's font cannot draw."""
    problems = []
    for text, origin, column in _cells(dataset):
        if any(_right_to_left(c) for c in text):
            problems.append(
                error(
                    "right-to-left text (Arabic, Hebrew…) cannot be drawn: it would come out"
                    " reversed and unjoined; write it in Latin letters or leave it out",
                    origin.file,
                    origin.row,
                    column,
                )
            )
            continue
        missing = _missing(text)
        if missing:
            shown = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '')}".strip() for c in missing)
            problems.append(
                warning(
                    f"no font has {shown}: drawn as an empty box", origin.file, origin.row, column
                )
            )
    return tuple(problems)


def _cells(dataset: Dataset) -> Iterator[tuple[str, Origin, str]]:
    for records, fields in (
        (dataset.events, EVENT_FIELDS),
        (dataset.placements, PLACEMENT_FIELDS),
        (dataset.children, CHILD_FIELDS),
    ):
        for record in records:
            origin = record.origin
            if origin is None:
                continue
            for name, column in fields:
                text = getattr(record, name, "")
                if text and not text.isascii():
                    yield text, origin, column


def _right_to_left(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL") and unicodedata.category(char)[0] in "LM"


def _missing(text: str) -> list[str]:
    """The distinct visible characters of ``text`` the default font has no glyph for."""
    glyphs = _glyphs()
    found = dict.fromkeys(
        c
        for c in text
        if ord(c) not in glyphs and unicodedata.category(c)[0] not in "CZ" and not c.isspace()
    )
    return list(found)[:3]


@cache
def _glyphs() -> frozenset[int]:
    from timelines.pdf.fonts import characters

    return frozenset().union(*(characters(name) for name in FONT_FILES))
