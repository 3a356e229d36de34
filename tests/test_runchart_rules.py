"""Run-chart rules: Anhøj's against qicharts2 on every reference series, IHI's by hand."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest
from helpers import reference

from timelines.runchart import rules


def _reference() -> tuple[dict[str, list[float]], list[dict[str, str]]]:
    folder = reference("qicharts2-runchart")
    series: dict[str, list[float]] = defaultdict(list)
    with open(folder / "series.csv", newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda r: (int(r["id"]), int(r["i"])))
    for row in rows:
        series[row["id"]].append(float(row["y"]))
    with open(folder / "expected.csv", newline="") as handle:
        expected = list(csv.DictReader(handle))
    return series, expected


def _figures(values: list[float], centre: float) -> tuple:
    found = rules.anhoej(values, centre)
    return (found.longest, found.longest_max, found.crossings, found.crossings_min, found.signal)


def test_anhoej_rules_match_qicharts2_on_every_reference_series():
    series, expected = _reference()
    assert len(expected) == 2000
    wrong = []
    for row in expected:
        values = series[row["id"]]
        centre = rules.median(values)
        want = (int(row["lr"]), int(row["lrmax"]), int(row["nc"]), int(row["ncmin"]))
        got = _figures(values, centre)
        if centre != pytest.approx(float(row["cl"])) or got != (*want, row["sig"] == "1"):
            wrong.append((row["id"], centre, got, row))
    assert wrong == []


def test_frozen_baseline_matches_qicharts2_on_every_reference_series():
    series, expected = _reference()
    wrong = []
    for row in expected:
        values = series[row["id"]]
        centre = rules.baseline_median(values, 12)
        found = rules.anhoej(values, centre)
        got = (found.longest, found.crossings, found.signal)
        want = (int(row["lr_f"]), int(row["nc_f"]), row["sig_f"] == "1")
        if centre != pytest.approx(float(row["cl_f"])) or got != want:
            wrong.append((row["id"], centre, got, want))
    assert wrong == []


def test_reference_series_signal_both_ways():
    """The fixture is worth testing against: some series signal, some do not."""
    _, expected = _reference()
    signals = {row["sig"] for row in expected} | {row["sig_f"] for row in expected}
    assert signals == {"0", "1"}


def test_points_on_the_median_neither_count_nor_break_a_run():
    values = [1, 1, 1, 5, 1, 1, 1, 9, 9, 9]
    centre = 5.0
    runs = rules.runs_of(values, centre)
    assert runs == [(-1, 0, 6), (1, 7, 9)]
    assert rules.run_length(values, centre, 0, 6) == 6
    found = rules.anhoej(values, centre)
    assert (found.useful, found.longest, found.crossings) == (9, 6, 1)


def test_anhoej_limits_for_known_sizes():
    # Anhøj & Olesen 2014, table of critical values: 10 points: longest 6, crossings 2;
    # 24 points: 8 and 8; 100 points: 10 and 41.
    assert [(rules.longest_run_max(n), rules.crossings_min(n)) for n in (10, 24, 100)] == [
        (6, 2),
        (8, 8),
        (10, 41),
    ]


def test_ihi_shift_needs_six_points_on_one_side():
    centre = 10.0
    five = [12, 13, 12, 14, 11, 8, 7, 12, 9, 8]
    six = [12, 13, 12, 14, 11, 10, 15, 8, 7, 12, 9, 8]  # the 10 is on the median
    assert rules.shifts(five, centre) == []
    assert rules.shifts(six, centre) == [(0, 6)]


def test_ihi_trend_counts_a_repeated_value_once():
    assert rules.trends([5, 4, 3, 3, 2, 6]) == []  # 5, 4, 3, 2: four points
    assert rules.trends([5, 4, 3, 3, 2, 1, 6]) == [(0, 5, -1)]
    assert rules.trends([1, 2, 3, 4, 5]) == [(0, 4, 1)]
    assert rules.trends([1, 2, 3, 4, 4]) == []


def test_ihi_runs_table_too_few_and_too_many():
    alternating = [1.0, 3.0] * 10  # 20 runs in 20 points: the table allows 6 to 16
    found = rules.ihi(alternating, 2.0)
    assert (found.useful, found.runs, found.runs_expected) == (20, 20, (6, 16))
    assert found.too_many_runs and not found.too_few_runs
    two_runs = [1.0] * 10 + [3.0] * 10
    found = rules.ihi(two_runs, 2.0)
    assert found.runs == 2 and found.too_few_runs and found.shifts == ((0, 9), (10, 19))


def test_runs_table_is_the_published_one_at_its_ends_and_sound_throughout():
    assert rules.RUNS_TABLE[10] == (3, 9) and rules.RUNS_TABLE[60] == (24, 38)
    assert sorted(rules.RUNS_TABLE) == list(range(10, 61))
    for n, (low, high) in rules.RUNS_TABLE.items():
        assert 2 <= low < high <= n
