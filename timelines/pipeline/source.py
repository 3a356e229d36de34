"""The first step of every command: the files given, loaded and checked, and the child chosen."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from timelines.load.inputs import load_inputs, row_children
from timelines.model.problems import InputError, Problem, TimelinesError, has_errors
from timelines.model.records import ChildRecord, Dataset, child_key


@dataclass(frozen=True)
class Inputs:
    """The files a command was given, and how to read them."""

    primary: Path
    placements: Path | None = None
    children: Path | None = None
    extra_chronology: tuple[Path, ...] = ()
    fmt: str | None = None
    child_id: str | None = None
    name: str | None = None
    dob: str | None = None

    @property
    def folder(self) -> Path:
        """The folder the inputs are in (outputs go beside them by default)."""
        return self.primary if self.primary.is_dir() else self.primary.parent

    def everyone(self) -> Inputs:
        """The same files, with no child chosen and none described."""
        return replace(self, child_id=None, name=None, dob=None)


def load(inputs: Inputs, today: date | None = None, vocabulary: tuple[str, ...] = ()) -> Dataset:
    """Read the inputs (any supported format) into a Dataset with every problem found."""
    return load_inputs(
        inputs.primary,
        placements=inputs.placements,
        children=inputs.children,
        extra_chronology=inputs.extra_chronology,
        fmt=inputs.fmt,
        child_id=inputs.child_id,
        name=inputs.name,
        dob=inputs.dob,
        today=today,
        vocabulary=vocabulary,
    )


def load_checked(inputs: Inputs, today: date | None, vocabulary: tuple[str, ...]) -> Dataset:
    """``load``, refusing input with errors (``InputError`` lists every problem)."""
    dataset = load(inputs, today, vocabulary)
    if has_errors(dataset.problems):
        raise InputError(dataset.problems)
    return dataset


def choose_record(dataset: Dataset, child_id: str | None) -> ChildRecord:
    """The one child to draw: the only one, or the one asked for."""
    ids = dataset.child_ids()
    if child_id is not None:
        child_id = child_key(child_id)
        if child_id not in ids:
            raise TimelinesError(f"no child with id '{child_id}' in the input")
        return dataset.record(child_id)
    if not ids:
        raise TimelinesError("the input has no events or placements to draw")
    if len(ids) > 1:
        shown = ", ".join(ids[:8]) + (", …" if len(ids) > 8 else "")
        raise TimelinesError(
            f"the input describes {len(ids)} children ({shown}); choose one with --child"
        )
    return dataset.record(ids[0])


def raw_row_children(inputs: Inputs, problems: tuple[Problem, ...]) -> dict[tuple[str, int], str]:
    """(file, row) → child_id for the rows named by problems (see ``row_children``)."""
    given = [inputs.primary, inputs.placements, inputs.children, *inputs.extra_chronology]
    return row_children([p for p in given if p is not None], inputs.folder, problems)
