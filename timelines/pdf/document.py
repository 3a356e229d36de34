"""Document assembly: display-list pages painted into PDF bytes, and their encryption.

Nothing here writes a file: ``timelines.export.files.write_atomic`` does.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from reportlab.pdfgen.canvas import Canvas

from timelines.layout.primitives import Page
from timelines.pdf.painter import draw_page
from timelines.pdf.settings import building


def pdf_bytes(
    pages: Iterable[Page], fonts: dict[str, str], title: str, author: str = "", subject: str = ""
) -> bytes:
    """Paint pages into a deterministic PDF (same input, same bytes)."""
    buffer = io.BytesIO()
    pages = list(pages)
    outline = any(_has_bookmark(p) for p in pages)
    _build(buffer, pages, fonts, (title, author, subject), outline)
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
    _build(buffer, pages, fonts, (title, author, subject), outline=True)
    return buffer.getvalue()


def _build(
    buffer: io.BytesIO,
    pages: Iterable[Page],
    fonts: dict[str, str],
    about: tuple[str, str, str],
    outline: bool,
) -> None:
    """Paint ``pages`` into a PDF document in ``buffer`` (in memory), with
    its title, author and subject, under timelines' reportlab settings."""
    title, author, subject = about
    with building():
        canvas = Canvas(buffer, invariant=1, pageCompression=1)
        canvas.setTitle(title)
        canvas.setAuthor(author)
        canvas.setSubject(subject)
        canvas.setCreator("timelines")
        canvas.setProducer("timelines")
        if outline:
            canvas.showOutline()
        for page in pages:
            canvas.setPageSize((page.width, page.height))
            draw_page(canvas, page, fonts)
        canvas.save()


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
