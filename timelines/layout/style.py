"""Page metrics and the measuring context shared by every layout function."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache, cached_property, lru_cache

from timelines.layout.primitives import Align, Text
from timelines.pdf import fonts
from timelines.prepare.template import Theme
from timelines.prepare.words import Glossary

_MM = 72.0 / 2.54 * 0.1  # points in a millimetre, worked out as reportlab does
PAGE_SIZES = {"A4": (210 * _MM, 297 * _MM), "A3": (297 * _MM, 420 * _MM)}
INK = "#1A1A1A"
MUTED = "#555555"
RULE = "#9A9A9A"


@dataclass(frozen=True)
class Ctx:
    """The theme plus the registered font names: everything layout needs to measure text."""

    theme: Theme
    font_names: dict[str, str]
    width: float
    height: float
    margin: float
    sizes: Mapping[str, float] = field(default_factory=dict)  # text sizes in place of the theme's

    @classmethod
    def for_theme(cls, theme: Theme, page_size: str | None = None) -> Ctx:
        names = fonts.font_names(
            theme.get("text", "font"),
            theme.get("text", "bold_font"),
            theme.get("text", "label_font"),
        )
        size = PAGE_SIZES[page_size or theme.get("page", "size")]
        width, height = (max(size), min(size))
        if theme.get("page", "orientation") == "portrait":
            width, height = height, width
        return cls(theme, names, width, height, theme.get("page", "margin"))

    def plain(self, text: str) -> str:
        """The template's glossary applied: the one place page words are rewritten."""
        return self.theme.compiled_glossary.rewrite(text)

    @cached_property
    def min_size(self) -> float:
        return self.theme.get("text", "min_size")

    def size(self, key: str) -> float:
        """A text size from the template (or ``resized``), never below the minimum."""
        chosen = self.sizes.get(key)
        return max(self.theme.get("text", key) if chosen is None else chosen, self.min_size)

    def resized(self, key: str, size: float) -> Ctx:
        """The same context with one text size changed (the theme, and the words it has
        rewritten and measured, kept)."""
        return replace(self, sizes={**self.sizes, key: size})

    def measure(self, text: str, size: float, font: str = "regular") -> float:
        return self.measurer(font)(text, size)

    def measurer(self, font: str) -> Callable[[str, float], float]:
        """The width of a text in the glossary's words, in one font, remembered for this
        page: label placement measures (and folds) the same texts again in every trial."""
        found = self._measurers.get(font)
        if found is None:  # made of the glossary and the font, not of self (no cycle)
            found = self._measurers[font] = _measurer(
                self.theme.compiled_glossary, self.font_names[font]
            )
        return found

    @cached_property
    def _measurers(self) -> dict[str, Callable[[str, float], float]]:
        return {}

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        font: str = "regular",
        colour: str = INK,
        align: Align = "left",
        role: str = "",
    ) -> Text:
        """A measured Text item in the glossary's words (never below the minimum size)."""
        text = self.plain(text)
        size = max(size, self.min_size)
        width = fonts.measure(text, self.font_names[font], size)
        return Text(x, y, text, size, font, colour, align, width, role)

    def fit(self, text: str, size: float, width: float, font: str = "regular") -> str:
        return fonts.fit(self.plain(text), self.font_names[font], max(size, self.min_size), width)

    def wrap(self, text: str, size: float, width: float, font: str = "regular") -> list[str]:
        """Break ``text`` into lines no wider than ``width`` (long words are cut)."""
        name = self.font_names[font]
        return list(_wrapped(self.plain(text), name, size, width, max(size, self.min_size)))


def _measurer(glossary: Glossary, name: str) -> Callable[[str, float], float]:
    @cache
    def measure(text: str, size: float) -> float:
        return fonts.measure(glossary.rewrite(text), name, size)

    return measure


@lru_cache(maxsize=8192)
def _wrapped(text: str, name: str, size: float, width: float, cut_size: float) -> tuple[str, ...]:
    """``Ctx.wrap`` (remembered: tables and panels wrap the same words for every child).

    Widths add up (the fonts have no kerning), so each word is measured once.
    """
    space = fonts.measure(" ", name, size)
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for word in text.split():
        word_width = fonts.measure(word, name, size)
        if current and used + space + word_width <= width:
            current.append(word)
            used += space + word_width
            continue
        if current:
            lines.append(" ".join(current))
        if word_width > width:
            word = fonts.fit(word, name, cut_size, width)
            word_width = fonts.measure(word, name, size)
        current, used = [word], word_width
    if current:
        lines.append(" ".join(current))
    return tuple(lines) or ("",)
