"""Helpers for tests: reading PDFs back and checking text boxes."""

from __future__ import annotations

import io

import pdfplumber

from timelines.layout.primitives import Page


def pdf_words(data: bytes) -> list[list[dict]]:
    """The words on each page, with their boxes (pdfplumber)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_words(keep_blank_chars=True, x_tolerance=1.5) for page in pdf.pages]


def pdf_text(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def overlapping_texts(page: Page, pad: float = 0.0) -> list[tuple[str, str]]:
    """Pairs of text items on a page whose ink boxes overlap."""
    texts = page.texts()
    pairs = []
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            if a.box.overlaps(b.box, pad) and not _touching(a.box, b.box):
                pairs.append((a.text, b.text))
    return pairs


def _touching(a, b) -> bool:
    overlap_x = min(a.right, b.right) - max(a.x, b.x)
    overlap_y = min(a.top, b.top) - max(a.y, b.y)
    return overlap_x <= 0.01 or overlap_y <= 0.01
