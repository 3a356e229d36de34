"""Helpers for tests: reading PDFs back, checking text boxes, finding the reference data."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pdfplumber
import pytest

from timelines.layout.primitives import Page

REPO = Path(__file__).resolve().parents[1]
REFERENCE_ENV = "TIMELINES_REFERENCE_DATA"
REFERENCE_FALLBACK = Path("/work/shared/reference-data")


def pdf_words(data: bytes) -> list[list[dict]]:
    """The words on each page, with their boxes (pdfplumber)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_words(keep_blank_chars=True, x_tolerance=1.5) for page in pdf.pages]


def pdf_text(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def pdf_text_right_of(data: bytes, x: float, page: int = 0) -> str:
    """The text of one page right of ``x`` (the side panel), lines joined by spaces."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pdf_page = pdf.pages[page]
        text = pdf_page.crop((x, 0, pdf_page.width, pdf_page.height)).extract_text() or ""
    return " ".join(text.split())


def overlapping_texts(page: Page, pad: float = 0.0) -> list[tuple[str, str]]:
    """Pairs of text items on a page whose ink boxes overlap."""
    texts = page.texts()
    pairs = []
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            if a.box.overlaps(b.box, pad) and not _touching(a.box, b.box):
                pairs.append((a.text, b.text))
    return pairs


def _touching(a, b) -> bool:
    overlap_x = min(a.right, b.right) - max(a.x, b.x)
    overlap_y = min(a.top, b.top) - max(a.y, b.y)
    return overlap_x <= 0.01 or overlap_y <= 0.01


# --- the public sample extracts in shared/reference-data (never copied into the repo) ------


def reference_candidates(env: Mapping[str, str] | None = None, repo: Path = REPO) -> list[Path]:
    """Where the reference data may be, in order: the TIMELINES_REFERENCE_DATA variable,
    ``shared/reference-data`` beside the repository or any folder above it, then
    /work/shared/reference-data."""
    env = os.environ if env is None else env
    given = env.get(REFERENCE_ENV, "").strip()
    found = [Path(given).expanduser()] if given else []
    found += [parent / "shared" / "reference-data" for parent in repo.parents]
    return list(dict.fromkeys([*found, REFERENCE_FALLBACK]))


def find_reference_data(env: Mapping[str, str] | None = None, repo: Path = REPO) -> Path | None:
    """The first candidate folder that exists; ``ValueError`` when the variable names none."""
    env = os.environ if env is None else env
    given = env.get(REFERENCE_ENV, "").strip()
    if given and not Path(given).expanduser().is_dir():
        raise ValueError(f"{REFERENCE_ENV} is set to {given!r}, which is not a folder")
    return next((path for path in reference_candidates(env, repo) if path.is_dir()), None)


def reference(*parts: str) -> Path:
    """A file or folder in the reference data; the test is skipped when it is not there
    (and fails when TIMELINES_REFERENCE_DATA names a folder that does not exist)."""
    try:
        folder = find_reference_data()
    except ValueError as exc:
        pytest.fail(str(exc))
    if folder is None:
        tried = ", ".join(str(p) for p in reference_candidates())
        pytest.skip(f"reference data not found (set {REFERENCE_ENV}; tried {tried})")
    path = folder.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference data not found: {path}")
    return path


# --- what touches the disk -----------------------------------------------------------------------

_CHANGES = frozenset(
    (
        "tempfile.mkstemp",
        "tempfile.mkdtemp",
        "os.mkdir",
        "os.rename",
        "os.remove",
        "os.rmdir",
        "os.truncate",
        "os.chmod",
        "os.link",
        "os.symlink",
        "shutil.rmtree",
        "shutil.copyfile",
        "shutil.move",
    )
)
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_RECORDERS: list[DiskUse] = []
_HOOKED: list[bool] = []  # an audit hook stays for the life of the process: one, shared


class DiskUse:
    """What a block of code did to files, as Python's audit events tell it (``open`` is raised
    by ``open``, ``os.open``, ``Path.open`` and ``io.open_code`` alike)."""

    def __init__(self) -> None:
        # files opened to write, and files or folders made, moved or removed
        self.written: list[str] = []
        self.read: list[Path] = []  # files opened to read

    def note(self, event: str, args: tuple) -> None:
        if event == "open" and isinstance(args[0], str | bytes | os.PathLike):
            path, mode, flags = args
            if (flags or 0) & _WRITE_FLAGS or set(mode or "") & set("wax+"):
                self.written.append(f"{os.fsdecode(path)} ({mode or flags})")
            else:
                self.read.append(Path(os.fsdecode(path)))
        elif event in _CHANGES:
            self.written.append(f"{event} {args[0]!r}")

    def read_outside(self, *folders: Path | str) -> list[Path]:
        """The files read that are in none of ``folders``."""
        roots = [Path(folder).resolve() for folder in folders]
        return [p for p in self.read if not any(p.resolve().is_relative_to(r) for r in roots)]

    def read_beyond_the_program(self) -> list[Path]:
        """The files read that are not the program's own: Python and the installed libraries,
        timelines' modules, templates, fonts and shadows."""
        import timelines
        from timelines.resources import data_root, templates_dir

        package = Path(timelines.__file__).parent
        assets = data_root() / "assets"
        return self.read_outside(package, templates_dir(), assets, sys.prefix, sys.base_prefix)


def _audit(event: str, args: tuple) -> None:
    for recorder in _RECORDERS:
        recorder.note(event, args)


@contextmanager
def disk_use() -> Iterator[DiskUse]:
    """Record every file opened, and every file or folder made or removed, meanwhile."""
    if not _HOOKED:
        sys.addaudithook(_audit)
        _HOOKED.append(True)
    recorder = DiskUse()
    _RECORDERS.append(recorder)
    try:
        yield recorder
    finally:
        _RECORDERS.remove(recorder)
