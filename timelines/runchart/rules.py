"""Run-chart rules, as pure functions of a series of values and its centre line.

Two sets of rules tell a real change from chance:

- **IHI** (Perla, Provost & Murray 2011, BMJ Qual Saf 20:46-51): a *shift* is 6 or
  more consecutive points on one side of the median; a *trend* is 5 or more points
  each higher (or each lower) than the one before, a repeated value counted once;
  *too few or too many runs* are read from the published table.
- **Anhøj** (Anhøj & Olesen 2014, PLoS ONE 9:e113825): the longest run is longer
  than ``round(log2(n)) + 3``, or the median is crossed fewer times than the 5th
  percentile of Binomial(n - 1, 0.5), where n counts the points not on the median.

In both, points on the median neither count in a run nor break one. The centre line
is the median of a baseline (the first N points, or those up to a date), frozen and
extended over the points after it. Checked against qicharts2 on 2,000 series
(tests/test_runchart_rules.py).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

BASELINE_POINTS = 12  # points in a default baseline
FEWEST_POINTS = 10  # no rules on fewer points than this
SHIFT_POINTS = 6  # IHI: a shift is this many points in a row on one side
TREND_POINTS = 5  # IHI: a trend is this many points going one way

# Perla, Provost & Murray 2011, Table 1: useful observations (points not on the
# median) -> (fewest runs expected, most runs expected). Fewer runs than the first or
# more than the second is a signal. The table stops at 60 points.
RUNS_TABLE: dict[int, tuple[int, int]] = {
    10: (3, 9), 11: (3, 10), 12: (3, 11), 13: (4, 11), 14: (4, 12), 15: (5, 12),
    16: (5, 13), 17: (5, 13), 18: (6, 14), 19: (6, 15), 20: (6, 16), 21: (7, 16),
    22: (7, 17), 23: (7, 17), 24: (8, 18), 25: (8, 18), 26: (9, 19), 27: (10, 19),
    28: (10, 20), 29: (10, 20), 30: (11, 21), 31: (11, 22), 32: (11, 23), 33: (12, 23),
    34: (12, 24), 35: (13, 24), 36: (13, 25), 37: (13, 25), 38: (14, 26), 39: (14, 26),
    40: (15, 27), 41: (16, 27), 42: (16, 28), 43: (17, 28), 44: (17, 29), 45: (17, 30),
    46: (17, 31), 47: (18, 31), 48: (18, 32), 49: (19, 32), 50: (19, 33), 51: (20, 33),
    52: (20, 34), 53: (21, 34), 54: (21, 35), 55: (22, 35), 56: (22, 36), 57: (23, 36),
    58: (23, 37), 59: (24, 38), 60: (24, 38),
}  # fmt: skip


def median(values: Sequence[float]) -> float:
    """The median (the mean of the middle two for an even count)."""
    if not values:
        raise ValueError("the median of no values")
    return statistics.median(values)


def sides(values: Sequence[float], centre: float) -> list[int]:
    """+1 above the centre line, -1 below, 0 on it, for each value."""
    return [(value > centre) - (value < centre) for value in values]


def runs_of(values: Sequence[float], centre: float) -> list[tuple[int, int, int]]:
    """The runs as (side, first index, last index); points on the centre line are
    skipped: they neither count in a run nor break one."""
    found: list[list[int]] = []
    for index, side in enumerate(sides(values, centre)):
        if side == 0:
            continue
        if found and found[-1][0] == side:
            found[-1][2] = index
        else:
            found.append([side, index, index])
    return [(side, first, last) for side, first, last in found]


def run_length(values: Sequence[float], centre: float, first: int, last: int) -> int:
    """Points in a run that count (those not on the centre line)."""
    return sum(1 for value in values[first : last + 1] if value != centre)


@dataclass(frozen=True, slots=True)
class Anhoej:
    """Anhøj's runs analysis of one series against its centre line."""

    useful: int  # points not on the centre line
    longest: int  # longest run
    longest_max: int  # longest run allowed
    crossings: int  # times the series crosses the centre line
    crossings_min: int  # fewest crossings allowed
    long_runs: tuple[tuple[int, int], ...]  # (first, last) index of runs too long

    @property
    def too_long(self) -> bool:
        return self.longest > self.longest_max

    @property
    def too_few_crossings(self) -> bool:
        return self.crossings < self.crossings_min

    @property
    def signal(self) -> bool:
        return self.too_long or self.too_few_crossings


def longest_run_max(useful: int) -> int:
    """Anhøj: the longest run expected by chance, round(log2(n)) + 3."""
    return round(math.log2(useful)) + 3


def crossings_min(useful: int) -> int:
    """Anhøj: the 5th percentile of Binomial(n - 1, 0.5), exactly (the smallest k with
    P(X <= k) >= 0.05, in whole numbers: 20 * (ways of k or fewer) >= 2 ** (n - 1))."""
    trials = max(useful - 1, 0)
    ways = 0
    for k in range(trials + 1):
        ways += math.comb(trials, k)
        if 20 * ways >= 2**trials:
            return k
    return trials


def baseline_median(values: Sequence[float], points: int = BASELINE_POINTS) -> float:
    """The median of the first ``points`` values (all of them when there are fewer)."""
    return median(values[: max(points, 1)])


def anhoej(values: Sequence[float], centre: float) -> Anhoej:
    """Anhøj's rules on ``values`` against ``centre``."""
    runs = runs_of(values, centre)
    useful = sum(run_length(values, centre, first, last) for _, first, last in runs)
    if not useful:
        return Anhoej(0, 0, 0, 0, 0, ())
    lengths = [run_length(values, centre, first, last) for _, first, last in runs]
    allowed = longest_run_max(useful)
    long_runs = tuple(
        (first, last) for (_, first, last), n in zip(runs, lengths, strict=True) if n > allowed
    )
    return Anhoej(useful, max(lengths), allowed, len(runs) - 1, crossings_min(useful), long_runs)


@dataclass(frozen=True, slots=True)
class Ihi:
    """The IHI rules on one series against its median."""

    useful: int
    runs: int
    runs_expected: tuple[int, int] | None  # from the table (None outside 10-60 points)
    shifts: tuple[tuple[int, int], ...]  # (first, last) index of each shift
    trends: tuple[tuple[int, int, int], ...]  # (first, last, +1 rising / -1 falling)

    @property
    def too_few_runs(self) -> bool:
        return self.runs_expected is not None and self.runs < self.runs_expected[0]

    @property
    def too_many_runs(self) -> bool:
        return self.runs_expected is not None and self.runs > self.runs_expected[1]

    @property
    def signal(self) -> bool:
        return bool(self.shifts or self.trends or self.too_few_runs or self.too_many_runs)


def shifts(values: Sequence[float], centre: float, least: int = SHIFT_POINTS) -> list:
    """Runs of ``least`` or more points on one side, as (first, last) indexes."""
    return [
        (first, last)
        for _, first, last in runs_of(values, centre)
        if run_length(values, centre, first, last) >= least
    ]


def trends(values: Sequence[float], least: int = TREND_POINTS) -> list[tuple[int, int, int]]:
    """Stretches of ``least`` or more points each higher (or lower) than the last, a
    repeated value counted once, as (first, last, direction)."""
    found: list[tuple[int, int, int]] = []
    direction, first, counted = 0, 0, 1
    for index in range(1, len(values)):
        step = (values[index] > values[index - 1]) - (values[index] < values[index - 1])
        if step == 0:
            continue  # a tie: counted once, breaks nothing
        if step != direction:
            if counted >= least:
                found.append((first, _last_change(values, index - 1), direction))
            direction, first, counted = step, _first_of_tie(values, index - 1), 1
        counted += 1
    if counted >= least:
        found.append((first, _last_change(values, len(values) - 1), direction))
    return found


def _first_of_tie(values: Sequence[float], index: int) -> int:
    """The first of the equal values ending at ``index``."""
    while index > 0 and values[index - 1] == values[index]:
        index -= 1
    return index


def _last_change(values: Sequence[float], index: int) -> int:
    """The first of the equal values ending at ``index`` (a trend ends where it turns)."""
    return _first_of_tie(values, index)


def ihi(values: Sequence[float], centre: float) -> Ihi:
    """The IHI rules on ``values`` against ``centre``."""
    runs = runs_of(values, centre)
    useful = sum(run_length(values, centre, first, last) for _, first, last in runs)
    return Ihi(
        useful,
        len(runs),
        RUNS_TABLE.get(useful),
        tuple(shifts(values, centre)),
        tuple(trends(values)),
    )
