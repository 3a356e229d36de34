"""Display-list primitives: what a page holds, in points from the bottom-left corner.

Layout functions return these; ``timelines.pdf.painter`` paints them; tests inspect them
(no overlapping text, everything on the page) without drawing anything. They are
named tuples, not frozen dataclasses: a page is made of a thousand or more, and a
tuple is four times quicker to make.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

Align = Literal["left", "centre", "right"]


class Box(NamedTuple):
    """An axis-aligned rectangle."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def top(self) -> float:
        return self.y + self.h

    def overlaps(self, other: Box, pad: float = 0.0) -> bool:
        return (
            self.x < other.right + pad
            and other.x < self.right + pad
            and self.y < other.top + pad
            and other.y < self.top + pad
        )

    def inside(self, other: Box) -> bool:
        eps = 0.01
        return (
            self.x >= other.x - eps
            and self.y >= other.y - eps
            and self.right <= other.right + eps
            and self.top <= other.top + eps
        )


class Text(NamedTuple):
    """One line of text; ``x`` is the anchor for ``align``, ``y`` the baseline."""

    x: float
    y: float
    text: str
    size: float
    font: str = "regular"  # regular, bold or label
    colour: str = "#000000"
    align: Align = "left"
    width: float = 0.0  # measured with stringWidth by the layout
    role: str = ""  # what the text is (label, number, gap, fact...), for tests

    @property
    def box(self) -> Box:
        """The ink box: baseline minus descent up to the cap height."""
        align, x = self.align, self.x
        left = x if align == "left" else x - self.width / 2 if align == "centre" else x - self.width
        return Box(left, self.y - 0.22 * self.size, self.width, 0.98 * self.size)


class Line(NamedTuple):
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str = "#000000"
    width: float = 0.5
    dash: tuple[float, ...] = ()


class Rect(NamedTuple):
    x: float
    y: float
    w: float
    h: float
    fill: str | None = None
    stroke: str | None = None
    pattern: str = "none"
    stroke_width: float = 0.5


class Marker(NamedTuple):
    x: float
    y: float
    shape: str
    size: float
    colour: str
    hollow: bool = False


class Image(NamedTuple):
    path: str
    x: float
    y: float
    w: float
    h: float


class Bookmark(NamedTuple):
    """A PDF outline entry pointing at the page it sits on."""

    title: str
    key: str
    level: int = 0


Item = Text | Line | Rect | Marker | Image | Bookmark


@dataclass
class Page:
    """One page's display list, painted in order."""

    width: float
    height: float
    items: list[Item] = field(default_factory=list)

    def add(self, *items: Item) -> None:
        self.items.extend(items)

    def texts(self) -> list[Text]:
        return [i for i in self.items if isinstance(i, Text)]

    @property
    def box(self) -> Box:
        return Box(0, 0, self.width, self.height)
