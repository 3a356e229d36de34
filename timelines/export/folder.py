"""A batch's output folder: never its inputs' folder, never mixed with another run.

A batch keeps a manifest (``.timelines-batch``) in its folder listing every
file it may write, written before any of them. A later batch into the same
folder is refused unless ``--force``, which removes exactly the files the
manifest lists (and any ``.part`` file an interrupted run left), so no old
child's PDF stays beside a summary that says the child failed. A folder that
is not empty and holds no manifest is refused: its files are not ours.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from timelines.export.files import write_atomic, written_by_workers
from timelines.model.problems import TimelinesError

MANIFEST = ".timelines-batch"
HEADER = "# files written by timelines batch (removed by the next batch --force)"
SUBFOLDERS = ("children", "groups")


def check_folder(out: Path, inputs: Iterable[Path], force: bool) -> None:
    """Refuse ``out`` when it holds an input, is not a folder, or holds another run (unless
    ``force``) or files that are not a batch's."""
    if out.exists() and not out.is_dir():
        raise TimelinesError(f"--out {out}: not a folder")
    for given in inputs:
        if _inside(given, out):
            raise TimelinesError(
                f"--out {out}: the folder holds an input ({given}); choose a new folder"
            )
    if not out.exists() or not any(out.iterdir()):
        return
    if not (out / MANIFEST).is_file():
        raise TimelinesError(
            f"--out {out}: the folder is not empty and holds no earlier batch;"
            " choose a new or empty folder"
        )
    if not force:
        raise TimelinesError(
            f"--out {out}: the folder holds an earlier batch; use --force to replace it"
            " (only the files that batch wrote are removed) or choose a new folder"
        )


def claim_folder(out: Path, planned: Iterable[str], force: bool) -> None:
    """Clear an earlier run's files (``force``), then list the files this run may write."""
    if force:
        clear_folder(out)
    written_by_workers(out)
    lines = [HEADER, *sorted(planned)]
    write_atomic(out / MANIFEST, ("\n".join(lines) + "\n").encode("utf-8"))


def clear_folder(out: Path) -> list[Path]:
    """Remove the files the folder's manifest lists, and left-over ``.part`` files."""
    manifest = out / MANIFEST
    if not manifest.is_file():
        return []
    removed = []
    root = out.resolve()
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        path = out / line
        if root in path.resolve().parents and path.is_file() and not path.is_symlink():
            path.unlink()
            removed.append(path)
    for folder in (out, *(out / name for name in SUBFOLDERS)):
        for part in folder.glob(".*.part") if folder.is_dir() else ():
            part.unlink()
    for name in SUBFOLDERS:
        if (out / name).is_dir() and not any((out / name).iterdir()):
            (out / name).rmdir()
    manifest.unlink()
    return removed


def _inside(path: Path, folder: Path) -> bool:
    """True when ``path`` is ``folder`` or lies within it (links and case followed)."""
    if not folder.exists():
        return False
    here = path.resolve()
    for candidate in (here, *here.parents):
        try:
            if os.path.samefile(candidate, folder):
                return True
        except OSError:
            continue
    return False
