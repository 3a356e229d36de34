"""The run chart worked out: phases, each with its baseline median frozen and extended,
the rules applied, each point's signals, and what was found in plain words.

Pure: a ``Series`` and the analyst's choices in, an ``Analysis`` out. The chart and
the CSV files are drawn from it, so what the caption says is what the CSV flags.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from timelines.runchart import rules as runrules
from timelines.runchart.series import Series

IHI = "ihi"
ANHOEJ = "anhoej"
RULES = (IHI, ANHOEJ)


@dataclass(frozen=True, slots=True)
class Choices:
    """What the analyst chose: rules, baseline, phases and target."""

    rules: str = IHI
    baseline: int = runrules.BASELINE_POINTS
    baseline_until: date | None = None
    phases: tuple[date, ...] = ()
    target_weeks: float | None = None


@dataclass(frozen=True, slots=True)
class Phase:
    """Points ``first``..``last`` (indexes into the series' points) read against the
    median of their first ``baseline`` points."""

    first: int
    last: int
    baseline: int  # points in the baseline
    centre: float  # the median of the baseline
    ihi: runrules.Ihi | None  # None: too few points for rules, or the other rules
    anhoej: runrules.Anhoej | None

    @property
    def points(self) -> int:
        return self.last - self.first + 1

    @property
    def baseline_last(self) -> int:
        return self.first + self.baseline - 1

    @property
    def tested(self) -> bool:
        return self.ihi is not None or self.anhoej is not None


@dataclass(frozen=True, slots=True)
class Analysis:
    series: Series
    choices: Choices
    phases: tuple[Phase, ...]
    flags: tuple[frozenset[str], ...]  # per point: {"shift", "trend"}
    findings: tuple[str, ...]  # what was found, in plain words
    warnings: tuple[str, ...]

    @property
    def signal(self) -> bool:
        return any(p.ihi and p.ihi.signal or p.anhoej and p.anhoej.signal for p in self.phases)


def analyse(series: Series, choices: Choices = Choices()) -> Analysis:
    """Split into phases, find each baseline median and apply the chosen rules."""
    weeks = [p.weeks for p in series.points]
    ends = [p.end for p in series.points]
    phases = tuple(
        _phase(weeks, first, last, _baseline(ends, first, last, choices, index), choices)
        for index, (first, last) in enumerate(_phase_bounds(ends, choices.phases))
    )
    flags = _flags(len(weeks), phases)
    return Analysis(
        series, choices, phases, flags, _findings(series, phases, flags), _warnings(phases)
    )


def _phase_bounds(ends: Sequence[date], starts: Sequence[date]) -> list[tuple[int, int]]:
    """(first, last) point of each phase: a phase starts at the first point ending on or
    after its date; phases without points are dropped."""
    cuts = sorted(
        {next((i for i, end in enumerate(ends) if end >= day), len(ends)) for day in starts}
    )
    edges = [0, *(c for c in cuts if 0 < c < len(ends)), len(ends)]
    return [(a, b - 1) for a, b in zip(edges, edges[1:], strict=False) if b > a]


def _baseline(ends: Sequence[date], first: int, last: int, choices: Choices, index: int) -> int:
    """Points in a phase's baseline: the first N, or (first phase) those up to a date."""
    if choices.baseline_until is not None and index == 0:
        count = sum(1 for end in ends[first : last + 1] if end <= choices.baseline_until)
    else:
        count = choices.baseline
    return max(1, min(count, last - first + 1))


def _phase(weeks: list[float], first: int, last: int, baseline: int, choices: Choices) -> Phase:
    values = weeks[first : last + 1]
    centre = runrules.baseline_median(values, baseline)
    if len(values) < runrules.FEWEST_POINTS:
        return Phase(first, last, baseline, centre, None, None)
    if choices.rules == ANHOEJ:
        return Phase(first, last, baseline, centre, None, runrules.anhoej(values, centre))
    return Phase(first, last, baseline, centre, runrules.ihi(values, centre), None)


def _flags(count: int, phases: Sequence[Phase]) -> tuple[frozenset[str], ...]:
    flags: list[set[str]] = [set() for _ in range(count)]
    for phase in phases:
        spans = []
        if phase.ihi:
            spans += [("shift", a, b) for a, b in phase.ihi.shifts]
            spans += [("trend", a, b) for a, b, _ in phase.ihi.trends]
        if phase.anhoej:
            spans += [("shift", a, b) for a, b in phase.anhoej.long_runs]
        for name, a, b in spans:
            for index in range(phase.first + a, phase.first + b + 1):
                flags[index].add(name)
    return tuple(frozenset(f) for f in flags)


def weeks_text(weeks: float) -> str:
    """'31 weeks', '1 week'."""
    whole = round(weeks)
    return f"{whole} week{'s' if whole != 1 else ''}"


def _points(count: int) -> str:
    return f"{count} point{'s' if count != 1 else ''}"


def _children(count: int) -> str:
    return f"{count} child{'ren' if count != 1 else ''}"


def _findings(series: Series, phases: Sequence[Phase], flags: Sequence[frozenset]) -> tuple:
    """What the chart shows, in plain words, one sentence each."""
    points = series.points
    said = []
    for number, phase in enumerate(phases, 1):
        where = f"Phase {number}: " if len(phases) > 1 else ""
        base = f"the first {_children(phase.baseline)}"
        said.append(f"{where}median {weeks_text(phase.centre)} ({base}).")
        if not phase.tested:
            said.append(
                f"{where}only {_points(phase.points)}: at least {runrules.FEWEST_POINTS} are needed"
                " before the rules can tell a change from chance."
            )
            continue
        said += _phase_findings(phase, points, where)
    waiting = series.waiting
    if waiting:
        said.append(
            f"{_children(len(waiting))} still waiting; the longest has waited"
            f" {weeks_text(waiting[0].weeks)}."
        )
    return tuple(text[:1].upper() + text[1:] for text in said)


def _phase_findings(phase: Phase, points: Sequence, where: str) -> list[str]:
    values = [p.weeks for p in points[phase.first : phase.last + 1]]
    said = []
    if phase.ihi:
        said += _shift_findings(phase, values, phase.ihi.shifts, points, where)
        said += _trend_findings(phase, phase.ihi.trends, points, where)
        said += _runs_findings(phase.ihi, where)
    elif phase.anhoej:
        said += _shift_findings(phase, values, phase.anhoej.long_runs, points, where)
    found = phase.anhoej
    if found and found.too_few_crossings:
        said.append(
            f"{where}the median is crossed only {found.crossings} times (at least"
            f" {found.crossings_min} expected by chance): a sign of change."
        )
    if not (phase.ihi and phase.ihi.signal or phase.anhoej and phase.anhoej.signal):
        said.append(f"{where}no signal (the variation is what chance alone would give).")
    return said


def _shift_findings(phase: Phase, values: list, runs: Sequence, points: Sequence, where: str):
    """One sentence per shift, or (past two) one for them all naming the latest."""
    described = []
    for a, b in runs:
        n = runrules.run_length(values, phase.centre, a, b)
        side = "quicker" if values[a] < phase.centre else "slower"
        first, last = points[phase.first + a].end, points[phase.first + b].end
        described.append(
            f"{n} children in a row {side} than the median, from {first:%d/%m/%Y}"
            f" to {last:%d/%m/%Y}"
        )
    if len(described) <= 2:
        return [f"{where}a shift: {text} (a real change, not chance)." for text in described]
    return [
        f"{where}{len(described)} shifts (6 or more children in a row on one side of the"
        f" median: a real change, not chance); the latest: {described[-1]}."
    ]


def _trend_findings(phase: Phase, trends: Sequence, points: Sequence, where: str) -> list[str]:
    described = [
        f"{b - a + 1} children in a row each waiting {'longer' if d > 0 else 'shorter'}"
        f" than the last, from {points[phase.first + a].end:%d/%m/%Y}"
        for a, b, d in trends
    ]
    if len(described) <= 2:
        return [f"{where}a trend: {text}." for text in described]
    return [
        f"{where}{len(described)} trends (5 or more children in a row each waiting longer,"
        f" or each shorter, than the last); the latest: {described[-1]}."
    ]


def _runs_findings(found: runrules.Ihi, where: str) -> list[str]:
    if found.runs_expected is None:
        return [f"{where}runs not tested ({found.useful} points: the table covers 10 to 60)."]
    low, high = found.runs_expected
    if found.too_few_runs:
        return [f"{where}only {found.runs} runs ({low} to {high} expected): a sign of change."]
    if found.too_many_runs:
        return [f"{where}{found.runs} runs ({low} to {high} expected): the points alternate."]
    return []


def _warnings(phases: Sequence[Phase]) -> tuple[str, ...]:
    said = []
    for number, phase in enumerate(phases, 1):
        where = f"phase {number}: " if len(phases) > 1 else ""
        if phase.baseline < runrules.BASELINE_POINTS:
            said.append(
                f"{where}the median rests on {_points(phase.baseline)}; {runrules.BASELINE_POINTS}"
                " or more make a steadier baseline"
            )
    return tuple(said)
