"""The one place the server turns uploaded bytes into something the loaders read.

Uploads are never kept: they live in memory, and while a check or a rendering
runs they are written to a private temporary folder (mode 0700, readable by
this user alone) that is deleted when the work is done, whatever happens.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def opened(files: Mapping[str, bytes]) -> Iterator[Path]:
    """The primary input for ``files`` (name → bytes), in a private folder removed afterwards.

    The primary input is the one file given, or the folder of files when there
    are several (a chronology with placements and children, or an SSDA903
    extract). Outputs written beside it (as `timelines render` writes them by
    default) are removed with it.
    """
    root = Path(tempfile.mkdtemp(prefix="timelines-serve-"))
    try:
        os.chmod(root, 0o700)
        inputs = root / "in"
        inputs.mkdir(mode=0o700)
        for name, data in files.items():
            (inputs / name).write_bytes(data)
        yield inputs / next(iter(files)) if len(files) == 1 else inputs
    finally:
        shutil.rmtree(root, ignore_errors=True)
