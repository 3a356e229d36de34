"""The one file writer: every file timelines writes goes through ``write_atomic``.

A file is written to a hidden ``.<name>.<random>.part`` file in the same folder
and renamed into place only when complete, so a failure or an interruption
never leaves half a file. The target must be a regular file or a new path: a
folder, a device (``/dev/full``), a FIFO or a socket is refused, never
replaced. ``check_output`` refuses, before anything is drawn, an output that
is (or resolves to, through a symbolic or hard link, or a case-insensitive
file system) one of the inputs.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from timelines.model.problems import TimelinesError

Writer = Callable[[BinaryIO], None]
_PENDING: set[str] = set()  # temporary files being written in this process
_FOLDERS: set[Path] = set()  # folders this process's workers write into (a batch's)
# Files a loader may read from an input folder: an output there must not be one of them.
DATA_SUFFIXES = frozenset((".csv", ".tsv", ".txt", ".xls", ".xlsx", ".xlsm", ".xml"))


def write_atomic(path: Path, data: bytes | Writer, private: bool = True) -> Path:
    """Write ``data`` (bytes, or a function that writes to an open file) to ``path``.

    All or nothing: a temporary file in the same folder, renamed into place.
    ``private`` files (child data) are readable by their owner only; others get
    the usual mode (``0666`` less the umask).
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    refuse_special(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise TimelinesError(f"cannot write {path}: {exc.strerror}") from None
    _PENDING.add(tmp)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes | bytearray | memoryview):
                handle.write(data)
            else:
                data(handle)
        if not private:
            os.chmod(tmp, 0o666 & ~_umask())
        refuse_special(path)  # nothing special appeared there meanwhile
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise TimelinesError(f"cannot write {path}: {exc.strerror}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        _PENDING.discard(tmp)
    return path


def written_by_workers(folder: Path) -> None:
    """Note that worker processes write into ``folder`` (``remove_unfinished`` clears it)."""
    _FOLDERS.add(Path(folder))


def remove_unfinished() -> None:
    """Remove the temporary files this process is writing, and those its workers left in
    their folders (for a process about to end at once, on a signal, without unwinding)."""
    for tmp in list(_PENDING):
        Path(tmp).unlink(missing_ok=True)
    for folder in list(_FOLDERS):
        for part in folder.rglob(".*.part") if folder.is_dir() else ():
            part.unlink(missing_ok=True)


def refuse_special(path: Path) -> None:
    """Refuse a path that exists and is not a regular file (after following links)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise TimelinesError(f"cannot write {path}: {exc.strerror}") from None
    if stat.S_ISREG(mode):
        return
    kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a device, FIFO or socket)"
    raise TimelinesError(f"cannot write {path}: it is {kind}; give the path of a new file")


def check_output(path: Path, inputs: Iterable[Path]) -> Path:
    """Refuse ``path`` when it is one of ``inputs`` (or a file in an input folder) or special.

    Compares files by identity (device and inode), so a symbolic link, a hard link or
    another spelling on a case-insensitive file system is caught too.
    """
    path = Path(path)
    refuse_special(path)
    if not path.exists():
        return path
    target = os.stat(path)
    for given in inputs:
        if _same(target, given) or (given.is_dir() and _holds(given, target)):
            raise TimelinesError(
                f"will not write {path}: it is an input ({given}); choose another output"
            )
    return path


def input_folders(inputs: Iterable[Path]) -> list[Path]:
    """The folders that hold the inputs (a folder given is one itself)."""
    return [p if p.is_dir() else p.parent for p in inputs]


def _same(target: os.stat_result, given: Path) -> bool:
    try:
        other = os.stat(given)
    except OSError:
        return False
    return (target.st_dev, target.st_ino) == (other.st_dev, other.st_ino)


def _holds(folder: Path, target: os.stat_result) -> bool:
    """True when a data file under ``folder`` is ``target`` (an input the loaders may read)."""
    for root, _, files in os.walk(folder):
        for name in files:
            if Path(name).suffix.lower() in DATA_SUFFIXES and _same(target, Path(root) / name):
                return True
    return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
