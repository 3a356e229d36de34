"""Words on the page: glossary rewriting, initials, plain durations."""

from __future__ import annotations

import re
from functools import cache

from timelines.dates import plain_duration

__all__ = ["initials", "plain_duration", "repeated_terms", "rewrite"]


@cache
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(terms, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(t) for t in ordered) + r")(?!\w)", re.I)


def rewrite(text: str, glossary: dict[str, str]) -> str:
    """Replace every glossary term (whole words, any case) with its plain words.

    A term that opens the text with a capital letter keeps the capital.
    """
    if not glossary or not text:
        return text
    lookup = {k.lower(): v for k, v in glossary.items()}

    def plain(match: re.Match[str]) -> str:
        words = lookup[match.group(0).lower()]
        if match.start() == 0 and match.group(0)[:1].isupper():
            return words[:1].upper() + words[1:]
        return words

    return _pattern(tuple(glossary)).sub(plain, text)


def repeated_terms(glossary: dict[str, str]) -> list[tuple[str, str]]:
    """(term, plain words) pairs whose plain words contain a term: rewriting twice would differ."""
    pattern = _pattern(tuple(glossary)) if glossary else None
    return [(t, w) for t, w in glossary.items() if pattern and pattern.search(w)]


def initials(name: str) -> str:
    """'Seònaid Ó Dochartaigh' -> 'S. Ó. D.'"""
    parts = [p for p in re.split(r"[\s\-]+", name.strip()) if p]
    return " ".join(p[0].upper() + "." for p in parts) or "Child"
