"""Drawing: paint display lists onto a reportlab canvas. No layout decisions here.

Shapes and text are written as PDF operators straight into the page's content
stream (a page holds hundreds of small items: going through reportlab's drawing
calls one by one costs more than the layout). The graphics state is tracked so
that a colour, line width or font is only set when it changes. Images and
bookmarks go through reportlab, which owns the document's objects and fonts.

A page painted once can be kept (``Painted``: its operators, with the fonts'
names left to fill in, and the calls it made into its document) and put into
another document as it is (``replay``): a batch's booklet reuses each child's
first page so. Fonts are named per document, so the names are filled in there.
"""

from __future__ import annotations

import hashlib
import io
import math
import threading
from functools import cache, lru_cache
from typing import Literal, NamedTuple

from PIL import Image as PILImage
from reportlab import rl_config
from reportlab.lib.rl_accel import escapePDF
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from timelines.layout.primitives import Bookmark, Image, Line, Marker, Page, Rect, Text

HATCH_STEP = 3.2
HATCH_INK = "#222222"
WHITE = "#FFFFFF"
KAPPA = 0.5523  # Bézier handle length for a quarter circle, times the radius


@cache
def rgb(hex_text: str) -> str:
    """'#RRGGBB' as PDF colour operands ('0.1 0.2 0.3')."""
    value = hex_text.lstrip("#")
    parts = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return " ".join(f"{p:.3f}" for p in parts)


_num = "{:.1f}".format  # a number for the content stream: to a tenth of a point (0.04 mm)
SEGMENT = "{:.1f} {:.1f} m {:.1f} {:.1f} l".format  # a straight line (x1, y1, x2, y2)
BOX = "{:.1f} {:.1f} {:.1f} {:.1f} re".format  # a rectangle (corner, width, height)
PLACE = "1 0 0 1 {:.1f} {:.1f}".format  # a move to (x, y), for cm
TEXT_AT = "1 0 0 1 {:.1f} {:.1f} Tm".format  # text starts at (x, y)


ASCII_AS_IS = bool(rl_config.ttfAsciiReadable)  # reportlab's default: subset 0 keeps ASCII codes


@lru_cache(maxsize=16384)
def _ascii_shown(text: str) -> str | None:
    """The show-text operator for printable ASCII, None for other text.

    reportlab gives every embedded font's first subset the ASCII codes unchanged,
    so such text needs no encoding (nor reportlab's character-by-character split).
    """
    if not (ASCII_AS_IS and text.isascii() and text.isprintable()):
        return None
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"({escaped}) Tj"


@cache
def _jpeg(path: str) -> bytes:
    """The image flattened onto white and encoded once as JPEG.

    A JPEG goes into the PDF as it is, where a PNG with transparency would be
    recompressed (with a soft mask) in every document: this keeps batch
    rendering fast. Shadows sit on white paper, so nothing is lost.
    """
    with PILImage.open(path) as source:
        rgba = source.convert("RGBA")
    flat = PILImage.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    out = io.BytesIO()
    flat.save(out, "JPEG", quality=92, optimize=True)
    return out.getvalue()


class _JpegReader(ImageReader):
    """A JPEG copied into each PDF as it is, named by a hash of its bytes.

    reportlab names an image by hashing its decoded pixels on every draw; for the
    same few shadows on every page of a batch, hashing the file once is enough.
    """

    def __init__(self, data: bytes) -> None:
        super().__init__(io.BytesIO(data))
        self._token = hashlib.sha256(data).digest()
        self._dataA = None

    def getRGBData(self) -> bytes:  # noqa: N802 (reportlab's name)
        return self._token


_readers = threading.local()


def image(path: str) -> ImageReader:
    """One reader per image and thread for the whole run (reportlab rewinds it for every
    document; two threads reading one reader at once would mix their images up)."""
    readers: dict[str, ImageReader] = _readers.__dict__.setdefault("by_path", {})
    if path not in readers:
        readers[path] = _JpegReader(_jpeg(path))
    return readers[path]


# What painting a page did into its document, in order: a font first used (name, subset),
# text beyond ASCII encoded (font name, size, text), operators flushed (with a "\0key\0"
# where the document's font names and encoded text go), an image drawn, a bookmark.
Step = (
    tuple[Literal["font"], str, int]
    | tuple[Literal["text"], str, float, str]
    | tuple[Literal["ops"], str]
    | tuple[Literal["image"], str, float, float, float, float]
    | tuple[Literal["bookmark"], str, str, int]
)


class Painted(NamedTuple):
    """A page as painted into one document, to be put into others as it is (``replay``)."""

    width: float
    height: float
    steps: tuple[Step, ...]


def draw_page(
    canvas: Canvas, page: Page | Painted, fonts: dict[str, str], keep: bool = False
) -> Painted | None:
    """Paint one page's items in order and finish the page; with ``keep``, what was painted
    (None in the rare page whose text needs more than a font's first subset)."""
    if isinstance(page, Painted):
        replay(canvas, page)
        return None
    painter = _Painter(canvas, fonts)
    for item in page.items:
        if isinstance(item, Text):
            painter.text(item)
        elif isinstance(item, Line):
            painter.line(item)
        elif isinstance(item, Rect):
            painter.rect(item)
        elif isinstance(item, Marker):
            painter.marker(item)
        elif isinstance(item, Image):
            painter.flush()
            painter.steps.append(("image", item.path, item.x, item.y, item.w, item.h))
            canvas.drawImage(image(item.path), item.x, item.y, item.w, item.h)
        elif isinstance(item, Bookmark):
            painter.steps.append(("bookmark", item.key, item.title, item.level))
            canvas.bookmarkPage(item.key)
            canvas.addOutlineEntry(item.title, item.key, item.level)
    painter.flush()
    canvas.showPage()
    if keep and painter.keepable:
        return Painted(page.width, page.height, tuple(painter.steps))
    return None


def replay(canvas: Canvas, page: Painted) -> None:
    """Put a page painted into another document into this one: the same calls into this
    document as painting it made, and its operators with this document's font names and
    text codes (which reportlab gives out per document)."""
    doc = canvas._doc
    keys: dict[str, str] = {}
    texts = 0
    for step in page.steps:
        if step[0] == "font":
            name, subset = step[1], step[2]
            keys[f"{name}+{subset}"] = pdfmetrics.getFont(name).getSubsetInternalName(subset, doc)
        elif step[0] == "text":
            name, size, text = step[1:]
            keys[f"#{texts}"] = _shown_again(name, size, text, doc)
            texts += 1
        elif step[0] == "ops":
            canvas.addLiteral(_filled(step[1], keys))
        elif step[0] == "image":
            path, x, y, w, h = step[1:]
            canvas.drawImage(image(path), x, y, w, h)
        else:
            key, title, level = step[1:]
            canvas.bookmarkPage(key)
            canvas.addOutlineEntry(title, key, level)
    canvas.showPage()


def _shown_again(name: str, size: float, text: str, doc: object) -> str:
    """The show-text operators for text that was in a font's first subset where it was
    painted; should this document have filled that subset, the text switches to the
    subsets it needs, and back."""
    font = pdfmetrics.getFont(name)
    pieces = font.splitString(text, doc)
    if [subset for subset, _ in pieces] == [0]:
        return f"({escapePDF(pieces[0][1])}) Tj"
    shown = [
        f"{font.getSubsetInternalName(subset, doc)} {_num(size)} Tf ({escapePDF(chunk)}) Tj"
        for subset, chunk in pieces
    ]
    return " ".join([*shown, f"{font.getSubsetInternalName(0, doc)} {_num(size)} Tf"])


def _filled(ops: str, keys: dict[str, str]) -> str:
    """Operators with each ``\0key\0`` replaced (``\0`` is never written otherwise: text
    shown as it is is printable, and encoded text is escaped)."""
    parts = ops.split("\0")
    parts[1::2] = [keys[key] for key in parts[1::2]]
    return "".join(parts)


class _Painter:
    """PDF operators for one page, with the graphics state they leave behind, and the
    steps that painting took (see ``Painted``)."""

    def __init__(self, canvas: Canvas, fonts: dict[str, str]) -> None:
        self.canvas = canvas
        self.fonts = fonts
        self.ops: list[str] = []
        self.in_text = False
        self.steps: list[Step] = []
        self.keys: dict[str, str] = {}  # what goes where the operators say \0key\0
        self.texts = 0  # texts beyond ASCII so far (their keys: #0, #1, …)
        self.keepable = True  # False once text needs more than a font's first subset
        self._reset()

    def _reset(self) -> None:
        """Forget the state: after reportlab draws (an image) or a restore, set it anew."""
        self.fill: str | None = None
        self.stroke: str | None = None
        self.width: float | None = None
        self.dash: tuple[float, ...] | None = None
        self.font: tuple[str, int, float] | None = None  # name, subset, size

    def flush(self) -> None:
        """Hand the operators so far to the canvas."""
        self._end_text()
        if self.ops:
            ops = " ".join(self.ops)
            self.steps.append(("ops", ops))
            self.canvas.addLiteral(_filled(ops, self.keys))
            self.ops = []
        self._reset()

    # --- state -------------------------------------------------------------------------

    def set_fill(self, colour: str) -> None:
        if colour != self.fill:
            self.ops.append(f"{rgb(colour)} rg")
            self.fill = colour

    def set_stroke(self, colour: str, width: float, dash: tuple[float, ...] = ()) -> None:
        if colour != self.stroke:
            self.ops.append(f"{rgb(colour)} RG")
            self.stroke = colour
        if width != self.width:
            self.ops.append(f"{_num(width)} w")
            self.width = width
        if dash != self.dash:
            self.ops.append(f"[{' '.join(_num(d) for d in dash)}] 0 d")
            self.dash = dash

    # --- text --------------------------------------------------------------------------

    def text(self, item: Text) -> None:
        """A line of text at its measured left edge (one text object for a run of texts)."""
        # a page paints hundreds: the item unpacked once, the state checked in place
        x, y, text, size, font, colour, align, width, _ = item
        ops = self.ops
        if not self.in_text:
            ops.append("BT")
            self.in_text = True
        if colour != self.fill:
            self.set_fill(colour)
        name = self.fonts[font]
        left = x if align == "left" else x - width / 2 if align == "centre" else x - width
        ops.append(TEXT_AT(left, y))
        shown = _ascii_shown(text)
        if shown is not None:  # most text: the first subset holds ASCII as it is
            if (name, 0, size) != self.font:
                self._set_font(name, 0, size)
            ops.append(shown)
            return
        pieces = pdfmetrics.getFont(name).splitString(text, self.canvas._doc)
        if [subset for subset, _ in pieces] == [0]:  # all in the first subset: kept as a key
            self._set_font(name, 0, size)
            key = f"#{self.texts}"
            self.texts += 1
            self.keys[key] = f"({escapePDF(pieces[0][1])}) Tj"
            self.steps.append(("text", name, size, text))
            ops.append(f"\0{key}\0")
            return
        self.keepable = False
        for subset, chunk in pieces:
            self._set_font(name, subset, size)
            ops.append(f"({escapePDF(chunk)}) Tj")

    def _set_font(self, name: str, subset: int, size: float) -> None:
        if (name, subset, size) != self.font:
            key = f"{name}+{subset}"
            if key not in self.keys:
                font = pdfmetrics.getFont(name)
                self.keys[key] = font.getSubsetInternalName(subset, self.canvas._doc)
                self.steps.append(("font", name, subset))
            self.ops.append(f"\0{key}\0 {_num(size)} Tf")
            self.font = (name, subset, size)

    def _end_text(self) -> None:
        if self.in_text:
            self.ops.append("ET")
            self.in_text = False
            self.font = None

    # --- shapes ------------------------------------------------------------------------

    def line(self, item: Line) -> None:
        x1, y1, x2, y2, colour, width, dash = item
        if self.in_text:
            self._end_text()
        if colour != self.stroke or width != self.width or dash != self.dash:
            self.set_stroke(colour, width, dash)
        self.ops.append(SEGMENT(x1, y1, x2, y2) + " S")

    def rect(self, item: Rect) -> None:
        self._end_text()
        box = BOX(item.x, item.y, item.w, item.h)
        if item.fill:
            self.set_fill(item.fill)
        if item.pattern != "none" and item.w > 0 and item.h > 0:
            if item.fill:
                self.ops.append(f"{box} f")
            self._pattern(item, box)
            if item.stroke:
                self.set_stroke(item.stroke, item.stroke_width)
                self.ops.append(f"{box} S")
            return
        if item.stroke:
            self.set_stroke(item.stroke, item.stroke_width)
        paint = {(True, True): "B", (True, False): "f", (False, True): "S"}.get(
            (item.fill is not None, item.stroke is not None)
        )
        if paint:
            self.ops.append(f"{box} {paint}")

    def _pattern(self, item: Rect, box: str) -> None:
        """Hatching inside the rectangle, in dark ink so it survives greyscale printing."""
        self.ops.append(f"q {box} W n")
        saved = (self.fill, self.stroke, self.width, self.dash)
        x0, y0, x1, y1 = item.x, item.y, item.x + item.w, item.y + item.h
        h = y1 - y0
        lines: list[tuple[float, float, float, float]] = []
        if item.pattern in ("diagonal", "crosshatch"):
            lines += [(x, y0, x + h, y1) for x in _steps(x0 - h, x1)]
        if item.pattern in ("backdiagonal", "crosshatch"):
            lines += [(x, y1, x + h, y0) for x in _steps(x0 - h, x1)]
        if item.pattern == "horizontal":
            lines += [(x0, y, x1, y) for y in _steps(y0 + 1.5, y1)]
        if item.pattern == "vertical":
            lines += [(x, y0, x, y1) for x in _steps(x0 + 1.5, x1)]
        if item.pattern == "dots":
            self.ops.append("1 J")
            self.set_stroke(HATCH_INK, 1.1, (0.01, HATCH_STEP))
            lines += [(x0 + 1.5, y, x1, y) for y in _steps(y0 + 1.6, y1 - 0.5)]
        else:
            self.set_stroke(HATCH_INK, 0.45)
        if lines:
            self.ops.append(" ".join([SEGMENT(*line) for line in lines]) + " S")
        self.ops.append("Q")
        self.fill, self.stroke, self.width, self.dash = saved

    def marker(self, item: Marker) -> None:
        x, y, drawn, size, colour, hollow = item
        if self.in_text:
            self._end_text()
        r = size / 2
        shape = drawn.removesuffix("_open")
        if shape in ("plus", "cross", "bar"):
            self._strokes(item, shape, r)
            return
        if hollow or shape != drawn:  # an "_open" shape is hollow
            self.set_fill(WHITE)
            self.set_stroke(colour, 1.1, ())
        else:
            self.set_fill(colour)
            self.set_stroke(WHITE, 0.4, ())
        self.ops.append(f"q {PLACE(x, y)} cm {_outline(shape, r)} B Q")

    def _strokes(self, item: Marker, shape: str, r: float) -> None:
        x, y = item.x, item.y
        if shape == "bar":
            self.set_stroke(item.colour, 2.2, ())
            segments = [(x, y - r * 1.2, x, y + r * 1.2)]
        elif shape == "plus":
            self.set_stroke(item.colour, 1.6, ())
            segments = [(x - r, y, x + r, y), (x, y - r, x, y + r)]
        else:
            self.set_stroke(item.colour, 1.6, ())
            k = r * 0.8
            segments = [(x - k, y - k, x + k, y + k), (x - k, y + k, x + k, y - k)]
        self.ops.append(" ".join([SEGMENT(*segment) for segment in segments]) + " S")


def _steps(start: float, stop: float) -> list[float]:
    count = max(int(math.ceil((stop - start) / HATCH_STEP)), 0)
    return [start + i * HATCH_STEP for i in range(count)]


@cache
def _outline(shape: str, r: float) -> str:
    """A filled marker's closed path around the origin (moved into place with ``cm``)."""
    if shape in ("circle", "dot"):
        return _circle(r * (0.7 if shape == "dot" else 1.0))
    if shape == "square":
        return BOX(-r * 0.85, -r * 0.85, r * 1.7, r * 1.7)
    first, *rest = _POLYGONS[shape](r)
    path = [f"{first[0]:.2f} {first[1]:.2f} m"] + [f"{x:.2f} {y:.2f} l" for x, y in rest]
    return " ".join(path) + " h"


def _circle(r: float) -> str:
    """A closed circle of four Bézier quarters around the origin."""
    k = r * KAPPA
    quarters = (
        (r, k, k, r, 0, r),
        (-k, r, -r, k, -r, 0),
        (-r, -k, -k, -r, 0, -r),
        (k, -r, r, -k, r, 0),
    )
    curve = "{:.2f} {:.2f} {:.2f} {:.2f} {:.2f} {:.2f} c".format
    return f"{r:.2f} 0 m " + " ".join(curve(*q) for q in quarters) + " h"


def _regular(sides: int, r: float, turn: float = 90.0) -> list[tuple[float, float]]:
    return [
        (
            r * math.cos(math.radians(turn + i * 360 / sides)),
            r * math.sin(math.radians(turn + i * 360 / sides)),
        )
        for i in range(sides)
    ]


def _star(r: float) -> list[tuple[float, float]]:
    points = []
    for i in range(10):
        radius = r * 1.15 if i % 2 == 0 else r * 0.5
        angle = math.radians(90 + i * 36)
        points.append((radius * math.cos(angle), radius * math.sin(angle)))
    return points


_POLYGONS = {
    "diamond": lambda r: [(0, r * 1.15), (r * 0.9, 0), (0, -r * 1.15), (-r * 0.9, 0)],
    "triangle": lambda r: _regular(3, r * 1.15),
    "triangle_down": lambda r: _regular(3, r * 1.15, -90.0),
    "triangle_right": lambda r: _regular(3, r * 1.15, 0.0),
    "pentagon": lambda r: _regular(5, r * 1.05),
    "hexagon": lambda r: _regular(6, r * 1.0),
    "star": _star,
    "triangle_left": lambda r: _regular(3, r * 1.15, 180.0),
    "hourglass": lambda r: [(-r * 0.9, r), (r * 0.9, r), (-r * 0.9, -r), (r * 0.9, -r)],
}
