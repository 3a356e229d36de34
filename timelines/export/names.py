"""File names made from child ids (ids only: never names)."""

from __future__ import annotations

import re


def safe_name(child_id: str) -> str:
    """A file-name-safe form of a child id."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", child_id).strip("._")
    return cleaned[:80] or "child"
