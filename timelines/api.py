"""What each command does, as one library call: load, check, render, write.

The CLI calls exactly one function here per command and turns the
``TimelinesError`` it may raise into a clean message and exit code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from timelines.model import ChildRecord, Dataset
from timelines.options import RenderOptions
from timelines.problems import InputError, Problem, TimelinesError, has_errors
from timelines.render import write_child_pdf
from timelines.template import load_template


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


@dataclass(frozen=True)
class RenderResult:
    path: Path
    pages: int
    child_id: str
    warnings: tuple[Problem, ...] = field(default=())


def load(inputs: Inputs, today: date | None = None, vocabulary: tuple[str, ...] = ()) -> Dataset:
    """Read the inputs (any supported format) into a Dataset with every problem found."""
    from timelines.load.inputs import load_inputs

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


def validate(inputs: Inputs, today: date | None = None) -> tuple[Problem, ...]:
    """Every problem in the inputs (errors and warnings), without drawing anything."""
    return load(inputs, today).problems


def safe_name(child_id: str) -> str:
    """A file-name-safe form of a child id (ids only: never names)."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", child_id).strip("._")
    return cleaned[:80] or "child"


def default_output(inputs: Inputs, child_id: str) -> Path:
    folder = inputs.primary if inputs.primary.is_dir() else inputs.primary.parent
    return folder / f"timeline-{safe_name(child_id)}.pdf"


def choose_record(dataset: Dataset, child_id: str | None) -> ChildRecord:
    """The one child to draw: the only one, or the one asked for."""
    ids = dataset.child_ids()
    if child_id is not None:
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


def render(
    inputs: Inputs,
    options: RenderOptions,
    template: str | None = None,
    out: Path | None = None,
    password: str | None = None,
    today: date | None = None,
) -> RenderResult:
    """Load, check and render one child's timeline to a PDF file (nothing written on error)."""
    theme = load_template(template)
    vocabulary = tuple(theme.settings["categories"]) + tuple(theme.settings["placements"])
    dataset = load(inputs, today, vocabulary)
    if has_errors(dataset.problems):
        raise InputError(dataset.problems)
    record = choose_record(dataset, inputs.child_id)
    target = out or default_output(inputs, record.child_id)
    if options.redact and out is None:
        target = target.with_name(f"timeline-{safe_name(record.child_id)}-redacted.pdf")
    done = write_child_pdf(record, theme, options, target, password, today)
    return RenderResult(target, len(done.layout.pages), record.child_id, dataset.problems)
