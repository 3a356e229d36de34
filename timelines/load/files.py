"""Where input bytes come from: files on disk, or uploads held in memory.

Loaders read whatever they are given the way they read a path (its name, its
suffix, a folder's files, ``open("rb")`` for a binary stream), so a web page can
hand over uploaded bytes without writing child data to disk: ``MemoryFile`` is
one upload, ``MemoryFolder`` several, named as they were uploaded.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import BinaryIO


@dataclass(frozen=True, order=True)
class MemoryFile:
    """An uploaded file: its name and its bytes, read like a path to a file."""

    name: str
    data: bytes = field(repr=False)
    present: bool = field(default=True, compare=False)

    @property
    def stem(self) -> str:
        return PurePath(self.name).stem

    @property
    def suffix(self) -> str:
        return PurePath(self.name).suffix

    @property
    def parent(self) -> MemoryFolder:
        return MemoryFolder("uploads", {self.name: self.data})

    def is_file(self) -> bool:
        return self.present

    def is_dir(self) -> bool:
        return False

    def exists(self) -> bool:
        return self.present

    def iterdir(self) -> Iterator[MemoryFile]:
        raise NotADirectoryError(20, "Not a folder", self.name)

    def __truediv__(self, name: str) -> MemoryFile:
        raise NotADirectoryError(20, "Not a folder", self.name)

    def open(self, mode: str = "rb") -> BinaryIO:
        if mode != "rb":
            raise ValueError("uploads are read as bytes ('rb') only")
        if not self.present:
            raise FileNotFoundError(2, "No such file", self.name)
        return io.BytesIO(self.data)


@dataclass(frozen=True)
class MemoryFolder:
    """Uploads read like a folder of files: file name → bytes."""

    name: str
    files: Mapping[str, bytes] = field(repr=False)
    suffix = ""  # a folder's name has no suffix
    stem = property(lambda self: self.name)

    def is_file(self) -> bool:
        return False

    def is_dir(self) -> bool:
        return True

    def exists(self) -> bool:
        return True

    @property
    def parent(self) -> MemoryFolder:
        return self

    def iterdir(self) -> Iterator[MemoryFile]:
        return (MemoryFile(name, data) for name, data in self.files.items())

    def open(self, mode: str = "rb") -> BinaryIO:
        raise IsADirectoryError(21, "Is a folder", self.name)

    def __truediv__(self, name: str) -> MemoryFile:
        data = self.files.get(name)
        return MemoryFile(name, data or b"", data is not None)


InputPath = Path | MemoryFile | MemoryFolder


def as_input(given: str | Path | MemoryFile | MemoryFolder) -> InputPath:
    """A path given as text becomes a ``Path``; uploads stay as they are."""
    return given if isinstance(given, MemoryFile | MemoryFolder) else Path(given)


def uploads(files: Mapping[str, bytes], name: str = "uploads") -> InputPath:
    """Uploaded files as loaders read them: one file alone, several as a folder."""
    for upload in files:
        if PurePath(upload).name != upload or upload in ("", ".", ".."):
            raise ValueError(f"an upload's name must be a plain file name, not {upload!r}")
    if len(files) == 1:
        ((upload, data),) = files.items()
        return MemoryFile(upload, data)
    return MemoryFolder(name, dict(files))
