"""Words on the page: glossary rewriting, initials, plain durations."""

from __future__ import annotations

import re
from functools import cache

from timelines.dates import plain_duration

__all__ = ["initials", "plain_duration", "rewrite"]


@cache
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(terms, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(t) for t in ordered) + r")(?!\w)", re.I)


def rewrite(text: str, glossary: dict[str, str]) -> str:
    """Replace every glossary term (whole words, any case) with its plain words."""
    if not glossary or not text:
        return text
    lookup = {k.lower(): v for k, v in glossary.items()}
    return _pattern(tuple(glossary)).sub(lambda m: lookup[m.group(0).lower()], text)


def initials(name: str) -> str:
    """'Seònaid Ó Dochartaigh' -> 'S. Ó. D.'"""
    parts = [p for p in re.split(r"[\s\-]+", name.strip()) if p]
    return " ".join(p[0].upper() + "." for p in parts) or "Child"
