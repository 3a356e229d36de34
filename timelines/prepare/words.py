"""Words on the page: glossary rewriting and initials."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

__all__ = ["Glossary", "counted", "initials", "repeated_terms", "rewrite"]


def counted(count: int, noun: str, plural: str = "") -> str:
    """'1 event', '2 events', '0 placements'; '1 child', '2 children' with ``plural``."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def _pattern(terms: Iterable[str]) -> re.Pattern[str]:
    ordered = sorted(terms, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(t) for t in ordered) + r")(?!\w)", re.I)


REMEMBERED = 20_000  # rewritten texts kept (a page measures the same words often)


class Glossary:
    """A glossary compiled once: its terms' pattern, their plain words, and the texts
    already rewritten (a template's, made by ``Theme.compiled_glossary``)."""

    def __init__(self, entries: Mapping[str, str]) -> None:
        self._pattern = _pattern(entries) if entries else None
        self._lookup = {term.lower(): words for term, words in entries.items()}
        self._done: dict[str, str] = {}

    def rewrite(self, text: str) -> str:
        """Replace every term (whole words, any case) with its plain words.

        A term that opens the text with a capital letter keeps the capital, and an
        'a' or 'an' just before a term is made to fit the new words ('a PO' → 'an order').
        """
        if self._pattern is None or not text:
            return text
        rewritten = self._done.get(text)
        if rewritten is None:
            if len(self._done) >= REMEMBERED:
                self._done.clear()
            rewritten = self._done[text] = _rewrite(text, self._pattern, self._lookup)
        return rewritten


def rewrite(text: str, glossary: Mapping[str, str]) -> str:
    """``text`` in the glossary's plain words (compiled anew: pages use ``Glossary``)."""
    return Glossary(glossary).rewrite(text)


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
