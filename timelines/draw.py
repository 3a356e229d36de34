"""Drawing: paint display lists onto a reportlab canvas. No layout decisions here."""

from __future__ import annotations

import io
import math
from functools import cache

from PIL import Image as PILImage
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from timelines.layout.primitives import Bookmark, Image, Line, Marker, Page, Rect, Text

HATCH_STEP = 3.2


@cache
def colour(hex_text: str) -> Color:
    return HexColor(hex_text)


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


@cache
def image(path: str) -> ImageReader:
    """One reader per image for the whole run: it decodes once, and its JPEG is copied
    into each PDF as it is (reportlab rewinds the stream for every document)."""
    return ImageReader(io.BytesIO(_jpeg(path)))


def draw_page(canvas: Canvas, page: Page, fonts: dict[str, str]) -> None:
    """Paint one page's items in order and finish the page.

    Consecutive texts share one PDF text object (much faster than one each).
    """
    run: list[Text] = []
    for item in page.items:
        if isinstance(item, Text):
            run.append(item)
            continue
        if run:
            _texts(canvas, run, fonts)
            run = []
        if isinstance(item, Line):
            _line(canvas, item)
        elif isinstance(item, Rect):
            _rect(canvas, item)
        elif isinstance(item, Marker):
            _marker(canvas, item)
        elif isinstance(item, Image):
            canvas.drawImage(image(item.path), item.x, item.y, item.w, item.h)
        elif isinstance(item, Bookmark):
            canvas.bookmarkPage(item.key)
            canvas.addOutlineEntry(item.title, item.key, item.level)
    if run:
        _texts(canvas, run, fonts)
    canvas.showPage()


def _texts(canvas: Canvas, items: list[Text], fonts: dict[str, str]) -> None:
    """Texts in one text object; positions come from the widths the layout measured."""
    text = canvas.beginText()
    font, fill = None, None
    for item in items:
        if (item.font, item.size) != font:
            font = (item.font, item.size)
            text.setFont(fonts[item.font], item.size)
        if item.colour != fill:
            fill = item.colour
            text.setFillColor(colour(item.colour))
        text.setTextOrigin(item.box.x, item.y)
        text.textOut(item.text)
    canvas.drawText(text)


def _line(canvas: Canvas, item: Line) -> None:
    canvas.setStrokeColor(colour(item.colour))
    canvas.setLineWidth(item.width)
    canvas.setDash(list(item.dash) if item.dash else [])
    canvas.line(item.x1, item.y1, item.x2, item.y2)
    if item.dash:
        canvas.setDash([])


def _rect(canvas: Canvas, item: Rect) -> None:
    if item.fill:
        canvas.setFillColor(colour(item.fill))
    if item.stroke:
        canvas.setStrokeColor(colour(item.stroke))
        canvas.setLineWidth(item.stroke_width)
    fill, stroke = int(item.fill is not None), int(item.stroke is not None)
    if item.pattern != "none" and item.w > 0 and item.h > 0:
        canvas.rect(item.x, item.y, item.w, item.h, stroke=0, fill=fill)
        _pattern(canvas, item)
        if stroke:
            canvas.rect(item.x, item.y, item.w, item.h, stroke=1, fill=0)
    else:
        canvas.rect(item.x, item.y, item.w, item.h, stroke=stroke, fill=fill)


def _pattern(canvas: Canvas, item: Rect) -> None:
    """Hatching inside the rectangle, in dark ink so it survives greyscale printing."""
    canvas.saveState()
    path = canvas.beginPath()
    path.rect(item.x, item.y, item.w, item.h)
    canvas.clipPath(path, stroke=0, fill=0)
    canvas.setStrokeColor(colour("#222222"))
    canvas.setLineWidth(0.45)
    x0, y0, x1, y1 = item.x, item.y, item.x + item.w, item.y + item.h
    lines: list[tuple[float, float, float, float]] = []
    h = y1 - y0
    if item.pattern in ("diagonal", "crosshatch"):
        lines += [(x, y0, x + h, y1) for x in _steps(x0 - h, x1)]
    if item.pattern in ("backdiagonal", "crosshatch"):
        lines += [(x, y1, x + h, y0) for x in _steps(x0 - h, x1)]
    if item.pattern == "horizontal":
        lines += [(x0, y, x1, y) for y in _steps(y0 + 1.5, y1)]
    if item.pattern == "vertical":
        lines += [(x, y0, x, y1) for x in _steps(x0 + 1.5, x1)]
    if item.pattern == "dots":
        canvas.setLineCap(1)
        canvas.setLineWidth(1.1)
        canvas.setDash([0.01, HATCH_STEP])
        lines += [(x0 + 1.5, y, x1, y) for y in _steps(y0 + 1.6, y1 - 0.5)]
    if lines:
        canvas.lines(lines)
    canvas.restoreState()


def _steps(start: float, stop: float) -> list[float]:
    count = max(int(math.ceil((stop - start) / HATCH_STEP)), 0)
    return [start + i * HATCH_STEP for i in range(count)]


def _marker(canvas: Canvas, item: Marker) -> None:
    canvas.setFillColor(colour("#FFFFFF") if item.hollow else colour(item.colour))
    canvas.setStrokeColor(colour(item.colour) if item.hollow else colour("#FFFFFF"))
    canvas.setLineWidth(1.1 if item.hollow else 0.4)
    r = item.size / 2
    shape = item.shape.removesuffix("_open")
    hollow = item.hollow or item.shape.endswith("_open")
    if hollow and not item.hollow:
        canvas.setFillColor(colour("#FFFFFF"))
        canvas.setStrokeColor(colour(item.colour))
        canvas.setLineWidth(1.1)
    x, y = item.x, item.y
    if shape in ("circle", "dot"):
        canvas.circle(x, y, r * (0.7 if shape == "dot" else 1.0), stroke=1, fill=1)
    elif shape == "square":
        canvas.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7, stroke=1, fill=1)
    elif shape in ("plus", "cross", "bar"):
        _strokes(canvas, item, shape, r)
    else:
        _polygon(canvas, x, y, _POLYGONS[shape](r))


def _strokes(canvas: Canvas, item: Marker, shape: str, r: float) -> None:
    canvas.setStrokeColor(colour(item.colour))
    canvas.setLineWidth(1.6)
    x, y = item.x, item.y
    if shape == "plus":
        canvas.lines([(x - r, y, x + r, y), (x, y - r, x, y + r)])
    elif shape == "cross":
        k = r * 0.8
        canvas.lines([(x - k, y - k, x + k, y + k), (x - k, y + k, x + k, y - k)])
    else:
        canvas.setLineWidth(2.2)
        canvas.line(x, y - r * 1.2, x, y + r * 1.2)


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
    "pentagon": lambda r: _regular(5, r * 1.05),
    "hexagon": lambda r: _regular(6, r * 1.0),
    "star": _star,
}


def _polygon(canvas: Canvas, x: float, y: float, points: list[tuple[float, float]]) -> None:
    path = canvas.beginPath()
    path.moveTo(x + points[0][0], y + points[0][1])
    for px, py in points[1:]:
        path.lineTo(x + px, y + py)
    path.close()
    canvas.drawPath(path, stroke=1, fill=1)
