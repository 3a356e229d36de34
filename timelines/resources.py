"""Find files shipped with timelines: templates, shadows and fonts.

In a wheel they live inside the package (``timelines/_data``); in a source
checkout or editable install they are the repository's ``templates/`` and
``assets/`` folders.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_root() -> Path:
    """The folder that holds ``templates/`` and ``assets/``."""
    installed = _PACKAGE / "_data"
    if (installed / "templates").is_dir():
        return installed
    source = _PACKAGE.parent
    if (source / "templates").is_dir():
        return source
    raise FileNotFoundError("timelines is installed without its templates and assets")


def templates_dir() -> Path:
    return data_root() / "templates"


def shadows_dir() -> Path:
    return data_root() / "assets" / "shadows"


def fonts_dir() -> Path:
    return data_root() / "assets" / "fonts"
