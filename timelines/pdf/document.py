"""Document assembly: display-list pages painted into PDF bytes, and their encryption.

Nothing here writes a file: ``timelines.export.files.write_atomic`` does.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from reportlab.pdfgen.canvas import Canvas

from timelines.layout.primitives import Bookmark, Page
from timelines.pdf import written
from timelines.pdf.painter import Painted, draw_page
from timelines.pdf.settings import building


def pdf_bytes(
    pages: Iterable[Page], fonts: dict[str, str], title: str, author: str = "", subject: str = ""
) -> bytes:
    """Paint pages into a deterministic PDF (same input, same bytes)."""
    return pdf_keeping_first(pages, fonts, (title, author, subject))[0]


def pdf_keeping_first(
    pages: Iterable[Page], fonts: dict[str, str], about: tuple[str, str, str]
) -> tuple[bytes, Painted | None]:
    """``pdf_bytes`` (``about``: title, author, subject), and the first page as painted, to
    be put into another document (None when it cannot be: see ``painter.draw_page``)."""
    buffer = io.BytesIO()
    pages = list(pages)
    outline = any(Bookmark in map(type, p.items) for p in pages)
    first = _build(buffer, pages, fonts, about, outline, keep_first=True)
    return buffer.getvalue(), first


def streamed_pdf_bytes(
    pages: Iterable[Page | Painted],
    fonts: dict[str, str],
    title: str,
    author: str = "",
    subject: str = "",
) -> bytes:
    """Paint pages one at a time (a generator is fine) into a PDF with its outline shown.

    For long documents such as a cohort booklet: pages are drawn (or put in, when
    already painted) as they come and never held together; the outline (bookmarks)
    is shown when the PDF opens.
    """
    buffer = io.BytesIO()
    _build(buffer, pages, fonts, (title, author, subject), outline=True)
    return buffer.getvalue()


def _build(
    buffer: io.BytesIO,
    pages: Iterable[Page | Painted],
    fonts: dict[str, str],
    about: tuple[str, str, str],
    outline: bool,
    keep_first: bool = False,
) -> Painted | None:
    """Paint ``pages`` into a PDF document in ``buffer`` (in memory), with
    its title, author and subject, under timelines' reportlab settings; the first page
    as painted when ``keep_first``."""
    title, author, subject = about
    first = None
    with building():
        canvas = Canvas(buffer, invariant=1, pageCompression=1)
        canvas.setTitle(title)
        canvas.setAuthor(author)
        canvas.setSubject(subject)
        canvas.setCreator("timelines")
        canvas.setProducer("timelines")
        if outline:
            canvas.showOutline()
        for number, page in enumerate(pages):
            canvas.setPageSize((page.width, page.height))
            painted = draw_page(canvas, page, fonts, keep=keep_first and number == 0)
            first = painted if number == 0 else first
        written.images(canvas._doc)  # the same shadows in every document: written once
        canvas.save()
    return first


def encrypt(data: bytes, password: str | None) -> bytes:
    """The PDF encrypted with AES-256 (opening it needs the password); without a
    password, as it is."""
    if not password:
        return data
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
