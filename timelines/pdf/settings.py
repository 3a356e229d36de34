"""reportlab's settings for timelines' documents, in force only while one is built.

reportlab keeps its stream settings in module globals shared by every user in
the process. timelines wants binary (not ASCII85) streams compressed at zlib
level ``FLATE_LEVEL``, with each font subset compressed once, and PDF names
written once each (a document writes the same few hundred times); ``building``
applies these (and collects cyclic garbage less often, see ``runtime``) while
timelines builds documents, and gives reportlab and the process back as they
were when the last document is done. Importing timelines changes nothing.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc

from timelines import runtime
from timelines.pdf.fonts import FontProgram

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


_pdf_name = lru_cache(maxsize=4096)(pdfdoc.PDFName)  # the same text, the same name


def _ours() -> tuple[object, type, object]:
    """Binary streams, our Flate filter, names remembered; what reportlab had before."""
    before = (rl_config.useA85, type(pdfdoc.PDFZCompress), pdfdoc.PDFName)
    rl_config.useA85 = 0  # binary streams: smaller files, no slow ASCII85 encoding
    # reportlab uses one shared filter object for every stream it compresses.
    pdfdoc.PDFZCompress.__class__ = _Flate
    pdfdoc.PDFName = _pdf_name  # 8% of assembling a document went on names
    return before


def _theirs(before: tuple[object, type, object]) -> None:
    rl_config.useA85, pdfdoc.PDFZCompress.__class__, pdfdoc.PDFName = before


streams = runtime.Scoped(_ours, _theirs)


@contextmanager
def building() -> Iterator[None]:
    """While timelines lays out and builds documents: its stream settings and fewer
    garbage collections (restored when the last document is done)."""
    with streams(), runtime.fewer_collections():
        yield


__all__ = ["FLATE_LEVEL", "building", "streams"]
