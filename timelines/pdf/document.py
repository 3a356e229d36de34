"""Document assembly: display-list pages painted into PDF bytes, and their encryption.

Nothing here writes a file: ``timelines.export.files.write_atomic`` does.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterable
from functools import lru_cache

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from timelines.layout.primitives import Page
from timelines.pdf.fonts import FontProgram
from timelines.pdf.painter import draw_page

rl_config.useA85 = 0  # binary streams: smaller files, no slow ASCII85 encoding
FLATE_LEVEL = 3  # zlib level for every stream: 3% larger files than reportlab's 6, much faster


class _Flate(pdfdoc.PDFStreamFilterZCompress):
    """reportlab's Flate filter at ``FLATE_LEVEL``: a cohort's PDFs spend a tenth of
    their time compressing at the default level."""

    def encode(self, text: str | bytes) -> bytes:
        if isinstance(text, FontProgram):
            return _deflate_font(text)
        return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, FLATE_LEVEL)


@lru_cache(maxsize=64)
def _deflate_font(program: FontProgram) -> bytes:
    """A font subset compressed once: the same few subsets go into every PDF of a batch."""
    return zlib.compress(program, FLATE_LEVEL)


# reportlab uses one shared filter object for every stream it compresses.
pdfdoc.PDFZCompress.__class__ = _Flate


def pdf_bytes(
    pages: Iterable[Page], fonts: dict[str, str], title: str, author: str = "", subject: str = ""
) -> bytes:
    """Paint pages into a deterministic PDF (same input, same bytes)."""
    buffer = io.BytesIO()
    pages = list(pages)
    size = (pages[0].width, pages[0].height) if pages else (595.28, 841.89)
    canvas = Canvas(buffer, pagesize=size, invariant=1, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setSubject(subject)
    canvas.setCreator("timelines")
    canvas.setProducer("timelines")
    canvas.showOutline() if any(_has_bookmark(p) for p in pages) else None
    for page in pages:
        canvas.setPageSize((page.width, page.height))
        draw_page(canvas, page, fonts)
    canvas.save()
    return buffer.getvalue()


def streamed_pdf_bytes(
    pages: Iterable[Page],
    fonts: dict[str, str],
    title: str,
    author: str = "",
    subject: str = "",
) -> bytes:
    """Paint pages one at a time (a generator is fine) into a PDF with its outline shown.

    For long documents such as a cohort booklet: the display lists are drawn as they
    come and never held together; the outline (bookmarks) is shown when the PDF opens.
    """
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setSubject(subject)
    canvas.setCreator("timelines")
    canvas.setProducer("timelines")
    canvas.showOutline()
    for page in pages:
        canvas.setPageSize((page.width, page.height))
        draw_page(canvas, page, fonts)
    canvas.save()
    return buffer.getvalue()


def _has_bookmark(page: Page) -> bool:
    return any(type(item).__name__ == "Bookmark" for item in page.items)


def encrypt(data: bytes, password: str) -> bytes:
    """Encrypt a PDF with AES-256 (opening it needs the password)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
