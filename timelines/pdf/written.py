"""PDF objects written out once per process and copied into every document as bytes.

A batch puts the same few objects into every child's PDF: the shadow images and each
font subset's table of widths and map back to Unicode. reportlab formats them anew in
every document (an image's stream dictionary, a map's compression); an object that
refers to no other object comes out as the same bytes each time, so it is written
once and the bytes are reused.
"""

from __future__ import annotations

from collections.abc import Hashable

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc

LIMIT = 256  # objects kept: a batch uses a handful (images, font subsets)


class Written(pdfdoc.PDFObject):
    """A PDF object already written out."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: pdfdoc.PDFDocument) -> bytes:
        return self.data


_written: dict[Hashable, Written] = {}


def reuse(document: pdfdoc.PDFDocument, name: str, key: Hashable) -> None:
    """The document's object ``name`` (which refers to no other object, and is the
    same for the same ``key``) replaced by its bytes as first written under the stream
    settings in force; left as it is in an encrypted document, whose streams differ."""
    if not isinstance(document.encrypt, pdfdoc.NoEncryption):
        return
    settings = (rl_config.useA85, type(pdfdoc.PDFZCompress), document.compression)
    found = _written.get((key, settings))
    if found is None:
        if len(_written) >= LIMIT:
            _written.clear()
        found = Written(document.idToObject[name].format(document))
        _written[(key, settings)] = found
    document.idToObject[name] = found


def images(document: pdfdoc.PDFDocument) -> None:
    """Every image in the document (without a soft mask) written once per process.

    reportlab names an image after a hash of its data, so the name is the key."""
    for name, obj in list(document.idToObject.items()):
        if isinstance(obj, pdfdoc.PDFImageXObject) and not getattr(obj, "smask", None):
            reuse(document, name, ("image", obj.name))


__all__ = ["LIMIT", "Written", "images", "reuse"]
