"""A cohort's run chart, wired once: load and check the cohort, find each child's
milestones, analyse, draw, and write the chart and its tables (nothing is written
unless everything is ready, and an output never replaces an input)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from timelines import __version__
from timelines.load.annotations import read_annotations
from timelines.model.problems import Problem, TimelinesError
from timelines.model.records import Dataset
from timelines.pdf.document import write_atomic
from timelines.pipeline.source import Inputs, load_checked
from timelines.prepare.template import load_template
from timelines.runchart import chart, outputs
from timelines.runchart.analysis import ANHOEJ, Analysis, analyse
from timelines.runchart.options import RunChartOptions
from timelines.runchart.series import Series, check_codes, cohort_series


@dataclass(frozen=True)
class RunChartResult:
    """What ``runchart`` wrote and found."""

    chart: Path
    tables: tuple[Path, ...]
    points: int
    waiting: int
    excluded: int
    findings: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()


def write_runchart(
    inputs: Inputs, options: RunChartOptions, out: Path | None = None, today: date | None = None
) -> RunChartResult:
    """Draw the run chart to ``out`` (default: runchart.pdf beside the input) and write
    its three tables beside it."""
    today = today or date.today()
    try:
        check_codes(options.start, options.end)
    except ValueError as exc:
        raise TimelinesError(str(exc)) from None
    dataset = load_checked(inputs, today, ())
    annotations = read_annotations(options.annotations) if options.annotations else ()
    series = cohort_series(
        dataset.records(),
        options.start,
        options.end,
        options.as_of,
        options.since,
        options.until,
        today,
    )
    _check_series(series)
    analysis = analyse(series, options.choices)
    fmt = chart_format(options.fmt, out)
    target = out or inputs.folder / f"runchart.{fmt}"
    tables = table_paths(target)
    data = [outputs.points_csv(analysis), outputs.waiting_csv(analysis)]
    data.append(outputs.excluded_csv(analysis))
    _refuse_inputs([target, *tables], inputs, dataset, options.annotations)
    frame = _frame(analysis, options, today, tables[2])
    picture = chart.chart_bytes(analysis, annotations, frame, fmt)
    write_atomic(target, picture)
    for path, table in zip(tables, data, strict=True):
        write_atomic(path, table)
    left, right = chart.x_range(analysis)
    off_chart = tuple(
        f"the change on {a.when:%d/%m/%Y} ({a.text}) is outside the chart's dates; not drawn"
        for a in annotations
        if not left <= a.when <= right
    )
    return RunChartResult(
        target,
        tables,
        len(series.points),
        len(series.waiting),
        len(series.excluded),
        analysis.findings,
        analysis.warnings + off_chart,
        dataset.problems,
    )


def table_paths(chart_path: Path) -> tuple[Path, Path, Path]:
    """The tables beside a chart: <chart>.csv, <chart>-waiting.csv, <chart>-excluded.csv."""
    stem = chart_path.with_suffix("")
    return (
        stem.with_name(f"{stem.name}.csv"),
        stem.with_name(f"{stem.name}-waiting.csv"),
        stem.with_name(f"{stem.name}-excluded.csv"),
    )


def chart_format(fmt: str | None, out: Path | None) -> str:
    """The chart's format: as asked, else from the output's suffix, else PDF."""
    suffix = out.suffix.lower().lstrip(".") if out else ""
    if fmt and out and suffix in chart.FORMATS and suffix != fmt:
        raise TimelinesError(f"--format {fmt} does not match the file name {out.name}")
    return fmt or (suffix if suffix in chart.FORMATS else "pdf")


def _check_series(series: Series) -> None:
    """Refuse a chart that could only mislead: nobody in the whole cohort with the start,
    or with the end (the data may not record it)."""
    found = dict(series.found)
    listed = ", ".join(f"{code} ({count})" for code, count in series.found) or "none"
    for code, name in ((series.start_code, series.start_name), (series.end_code, series.end_name)):
        if not found.get(code):
            raise TimelinesError(
                f"no child's record has a {name} ({code}), so there is nothing to chart;"
                f" milestones found (children): {listed}. Choose others with --start and"
                " --end, or add a 'milestone' column to the chronology"
            )


def _refuse_inputs(
    targets: list[Path], inputs: Inputs, dataset: Dataset, also: Path | None
) -> None:
    """An output never replaces an input: neither a file given nor one read from a folder."""
    given = [inputs.primary, inputs.placements, inputs.children, *inputs.extra_chronology, also]
    read = {p.resolve() for p in given if p is not None and p.is_file()}
    origins = [c.origin for c in dataset.children] + [e.origin for e in dataset.events]
    origins += [p.origin for p in dataset.placements]
    names = {o.file.split(" [")[0] for o in origins if o and o.file}
    read |= {(inputs.folder / name).resolve() for name in names}
    for target in targets:
        if target.resolve() in read:
            raise TimelinesError(f"{target} is one of the input files; choose another -o")


def _frame(analysis: Analysis, options: RunChartOptions, today: date, excluded: Path):
    """The words around the chart: what, how many, when, the rules, who prepared it."""
    series = analysis.series
    marking = options.marking
    if marking is None:
        marking = load_template(None).get("marking", "text")
    first_line = []
    if series.points:
        first, last = series.points[0].end, series.points[-1].end
        first_line.append(
            f"{len(series.points)} children reached the end ({series.end_name})"
            f" between {first:%d/%m/%Y} and {last:%d/%m/%Y}"
        )
    first_line.append(f"{len(series.waiting)} still waiting at {series.as_of:%d/%m/%Y}")
    second_line = []
    if series.excluded:
        second_line.append(f"{len(series.excluded)} not on the chart (see {excluded.name})")
    if options.since or options.until:
        since = f"{options.since:%d/%m/%Y}" if options.since else "the first"
        until = f"{options.until:%d/%m/%Y}" if options.until else "the last"
        second_line.append(f"points from {since} to {until}")
    rules = "Anhøj's rules" if options.choices.rules == ANHOEJ else "IHI run-chart rules"
    second_line.append(rules)
    prepared_on = options.prepared_on or today
    by = f"Prepared by {options.prepared_by} on" if options.prepared_by else "Prepared on"
    footer = (
        f"{by} {prepared_on:%d/%m/%Y} · {series.children} children in the files"
        " · milestones from the chronology's milestone column, SSDA903 codes and placements"
        f" · timelines {__version__}"
    )
    return chart.Frame(
        f"Time from {series.start_name} to {series.end_name}",
        " · ".join(first_line) + "\n" + " · ".join(second_line),
        marking,
        footer,
        options.prepared_by,
    )
