"""File names made from child ids: unique, and safe on every system the files reach.

A child id becomes a file stem of letters, digits, ``.``, ``_`` and ``-``. When
anything had to change (another character, a name Windows reserves such as
``CON`` or ``NUL``, a trailing dot or space, more than 80 characters) a short
hash of the id is added, so ``A/1``, ``A_1``, ``A 1`` and ``A:1`` get four
files. Ids are compared in Unicode NFC. ``unique_stems`` also separates ids
that differ only in case (``a1`` and ``A1``), which Windows and macOS treat
as one file name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

MAX_STEM = 80
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RESERVED = re.compile(r"(?:CON|PRN|AUX|NUL|CLOCK\$|(?:COM|LPT)[0-9¹²³])(?:\..*)?", re.I)


def id_hash(child_id: str, length: int = 8) -> str:
    """A short, stable hash of a child id, as written."""
    return hashlib.sha256(child_id.encode()).hexdigest()[:length]


def plain_stem(text: str) -> str:
    """``text`` with only safe characters, never a reserved name ('' when nothing is left)."""
    nfc = unicodedata.normalize("NFC", text)
    cleaned = _UNSAFE.sub("_", nfc).strip("._ ")[:MAX_STEM].rstrip("._ ")
    return "_" + cleaned if _RESERVED.fullmatch(cleaned) else cleaned


def file_stem(child_id: str, length: int = 8) -> str:
    """A file-name-safe stem for a child id (ids only, never names): the id itself when
    it is safe, else its safe characters and a hash of it."""
    cleaned = plain_stem(child_id)
    if cleaned == child_id:
        return cleaned
    return f"{cleaned or 'child'}-{id_hash(child_id, length)}"


def unique_stems(child_ids: Iterable[str]) -> dict[str, str]:
    """Each id's file stem, no two the same even where case does not count."""
    ids = list(dict.fromkeys(child_ids))
    stems = {cid: file_stem(cid) for cid in ids}
    for length in (8, 16, 64):
        seen: dict[str, list[str]] = {}
        for cid, stem in stems.items():
            seen.setdefault(stem.casefold(), []).append(cid)
        clashes = [cids for cids in seen.values() if len(cids) > 1]
        if not clashes:
            return stems
        for cids in clashes:
            for cid in cids:
                base = file_stem(cid, length)
                stems[cid] = base if base != cid else f"{cid}-{id_hash(cid, length)}"
    return stems
