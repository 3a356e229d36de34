"""Fonts: register the Unicode TrueType fonts once and measure text with them.

DejaVu (shipped in assets/fonts) covers names such as Seònaid, Łukasz, Zoë
and Ó Dochartaigh; reportlab embeds the subset a page uses. Pages of a batch use
the same few subsets (ASCII plus a handful of letters), so each subset's font
program is built once per process and handed back as the same object, and its
table of widths and map back to Unicode are written once (``pdf.written``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from timelines.model.problems import TimelinesError
from timelines.pdf import written
from timelines.resources import fonts_dir


def _font_path(name: str) -> Path:
    path = Path(name)
    if not path.is_absolute():
        path = fonts_dir() / name
    if not path.is_file():
        raise TimelinesError(f"font file not found: {name}")
    return path


@cache
def register(file_name: str) -> str:
    """Register a TrueType font (once) and return its reportlab name."""
    path = _font_path(file_name)
    name = "TL-" + path.stem
    try:
        font = _EmbeddedFont(name, str(path))
    except Exception as exc:  # reportlab raises several kinds for a bad font file
        raise TimelinesError(f"font file {file_name} cannot be used: {exc}") from None
    pdfmetrics.registerFont(font)
    return name


class FontProgram(bytes):
    """A subset font file as embedded in a PDF (export compresses each one only once)."""


class _EmbeddedFont(TTFont):
    """reportlab's TrueType font, made for many PDFs in one process: each subset's
    font program is built once (and handed back as the same object, so that export
    compresses it once), and its table of widths written out once instead of
    number by number in every PDF."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self.face.makeSubset = _remembered(self.face.makeSubset)

    def addObjects(self, doc: pdfdoc.PDFDocument) -> None:  # noqa: N802 (reportlab's name)
        state = self.state.get(doc)
        subsets = [tuple(subset) for subset in state.subsets] if state else []
        names = [self.getSubsetInternalName(n, doc)[1:] for n in range(len(subsets))]
        super().addObjects(doc)
        fonts = doc.idToObject["BasicFonts"].dict
        for number, (name, subset) in enumerate(zip(names, subsets, strict=True)):
            font = fonts[name]
            font.Widths = _widths(tuple(font.Widths.sequence))
            cmap = f"toUnicodeCMap:{font.BaseFont}"  # the subset's map back to Unicode
            written.reuse(doc, cmap, ("cmap", self.fontName, number, subset))


@lru_cache(maxsize=256)
def _widths(widths: tuple[int, ...]) -> written.Written:
    return written.Written(pdfdoc.PDFArray(list(widths)).format(None))


def _remembered(make_subset: Callable[[list[int]], bytes]) -> Callable[[list[int]], bytes]:
    """``make_subset`` (reportlab's subsetter for one font) with its results kept."""

    @lru_cache(maxsize=64)
    def build(codes: tuple[int, ...]) -> FontProgram:
        return FontProgram(make_subset(list(codes)))

    return lambda subset: build(tuple(subset))


@cache
def characters(file_name: str) -> frozenset[int]:
    """The characters (code points) a font file has glyphs for."""
    return frozenset(pdfmetrics.getFont(register(file_name)).face.charToGlyph)


def font_names(regular: str, bold: str, label: str) -> dict[str, str]:
    """Map roles (regular, bold, label) to registered font names."""
    return {"regular": register(regular), "bold": register(bold), "label": register(label)}


def measure(text: str, font_name: str, size: float) -> float:
    """Width of ``text`` in points."""
    return _unit_width(text, font_name) * size


@lru_cache(maxsize=16384)
def _unit_width(text: str, font_name: str) -> float:
    """Width at 1 point (widths grow with the size; remembered: pages measure the same
    words again and again, at several sizes)."""
    return pdfmetrics.stringWidth(text, font_name, 1.0)


def fit(text: str, font_name: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis so that it fits ``width`` points."""
    if measure(text, font_name, size) <= width:
        return text
    low = cut_point(text, lambda cut: measure(cut, font_name, size) <= width)
    return text[:low].rstrip() + "…" if low else ""


def cut_point(text: str, fits: Callable[[str], bool], keep: int = 0) -> int:
    """The most characters of ``text`` (``keep`` at least) that ``fits`` accepts when cut
    there and closed with an ellipsis."""
    low, high = keep, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if fits(text[:mid].rstrip() + "…"):
            low = mid
        else:
            high = mid - 1
    return low
