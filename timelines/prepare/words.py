"""Words on the page: glossary rewriting, initials, plain durations."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from timelines.model.dates import plain_duration

__all__ = ["counted", "initials", "plain_duration", "repeated_terms", "rewrite"]


def counted(count: int, noun: str) -> str:
    """'1 event', '2 events', '0 placements'."""
    return f"{count} {noun}" + ("" if count == 1 else "s")


@cache
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(terms, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(t) for t in ordered) + r")(?!\w)", re.I)


Compiled = tuple[re.Pattern[str], dict[str, str], dict[str, str]]
REMEMBERED = 20_000  # rewritten texts kept per glossary (a page measures the same words often)


@lru_cache(maxsize=64)
def _compiled(entries: tuple[tuple[str, str], ...]) -> Compiled:
    """The pattern, the lower-cased lookup and the texts already rewritten, for a
    glossary (cached: pages rewrite often)."""
    return _pattern(tuple(term for term, _ in entries)), {t.lower(): w for t, w in entries}, {}


_last: tuple = (None, None)  # the last glossary rewritten with, and what it compiled to


def _compiled_for(glossary: dict[str, str]) -> Compiled:
    """``_compiled`` for this very dict (the same one is used for a whole page), else by content."""
    global _last
    last = _last  # read once: another thread may replace it
    if last[0] is not glossary:
        last = _last = (glossary, _compiled(tuple(glossary.items())))
    return last[1]


def rewrite(text: str, glossary: dict[str, str]) -> str:
    """Replace every glossary term (whole words, any case) with its plain words.

    A term that opens the text with a capital letter keeps the capital, and an
    'a' or 'an' just before a term is made to fit the new words ('a PO' → 'an order').
    A glossary is compiled once and remembered: do not change a dict after using it.
    """
    if not glossary or not text:
        return text
    pattern, lookup, done_before = _compiled_for(glossary)
    rewritten = done_before.get(text)
    if rewritten is None:
        if len(done_before) >= REMEMBERED:
            done_before.clear()
        rewritten = done_before[text] = _rewrite(text, pattern, lookup)
    return rewritten


def _rewrite(text: str, pattern: re.Pattern[str], lookup: dict[str, str]) -> str:
    parts: list[str] = []
    done = 0
    for match in pattern.finditer(text):
        words = lookup[match.group(0).lower()]
        if match.start() == 0 and match.group(0)[:1].isupper():
            words = words[:1].upper() + words[1:]
        parts.append(_article(text[done : match.start()], words))
        parts.append(words)
        done = match.end()
    parts.append(text[done:])
    return "".join(parts)


_ARTICLE = re.compile(r"(?<!\w)([Aa])(n?) $")


def _article(before: str, words: str) -> str:
    """'a' before words that start with a vowel becomes 'an', and 'an' before a consonant 'a'."""
    match = _ARTICLE.search(before)
    if not match or not words[:1].isalpha():
        return before
    vowel = words[:1].lower() in "aeiou"
    return before[: match.start()] + match.group(1) + ("n" if vowel else "") + " "


def repeated_terms(glossary: dict[str, str]) -> list[tuple[str, str]]:
    """(term, plain words) pairs whose plain words contain a term: rewriting twice would differ."""
    pattern = _pattern(tuple(glossary)) if glossary else None
    return [(t, w) for t, w in glossary.items() if pattern and pattern.search(w)]


def initials(name: str) -> str:
    """'Seònaid Ó Dochartaigh' -> 'S. Ó. D.'"""
    parts = [p for p in re.split(r"[\s\-]+", name.strip()) if p]
    return " ".join(p[0].upper() + "." for p in parts) or "Child"
