"""timelines runchart: the cohort as a series, the analysis, the tables and the chart."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import pdf_text, reference

from timelines.cli import main
from timelines.model.dates import FuzzyDate
from timelines.model.records import Child, ChildRecord, Event
from timelines.runchart import chart, outputs
from timelines.runchart.analysis import ANHOEJ, Choices, analyse
from timelines.runchart.options import parse_target
from timelines.runchart.series import cohort_series

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "cohort"
AS_OF = date(2025, 9, 30)
LATE = date(2030, 6, 30)  # after every end in _cohort
START = date(2022, 1, 3)


def _record(child_id: str, *steps: tuple[date, str]) -> ChildRecord:
    events = tuple(
        Event(FuzzyDate.exact(day), f"step {code}", "other", child_id=child_id, milestone=code)
        for day, code in steps
    )
    return ChildRecord(Child(child_id), events)


def _child(child_id: str, start: date, weeks: float | None) -> ChildRecord:
    steps = [(start, "accommodated")]
    if weeks is not None:
        steps.append((start + timedelta(days=round(weeks * 7)), "permanence_recommendation"))
    return _record(child_id, *steps)


def _cohort(weeks: list[float]) -> list[ChildRecord]:
    """Children accommodated 20 weeks apart (so they reach the end in the same order),
    each taking the given weeks."""
    return [_child(f"C{n:03d}", START + timedelta(weeks=20 * n), w) for n, w in enumerate(weeks)]


# --- the cohort as a series ------------------------------------------------------------


def test_points_ordered_by_end_then_child_id_and_waiting_longest_first():
    same_day = date(2023, 1, 2)
    records = [
        _record("B", (date(2022, 6, 6), "accommodated"), (same_day, "permanence_recommendation")),
        _record("A", (date(2022, 3, 7), "accommodated"), (same_day, "permanence_recommendation")),
        _record(
            "C", (date(2022, 1, 3), "accommodated"), (date(2022, 9, 5), "permanence_recommendation")
        ),
        _record("W1", (date(2024, 1, 1), "accommodated")),
        _record("W2", (date(2023, 1, 1), "accommodated")),
    ]
    series = cohort_series(records, as_of=date(2024, 7, 1))
    assert [p.child_id for p in series.points] == ["C", "A", "B"]
    assert [round(p.weeks, 1) for p in series.points] == [35.0, 43.0, 30.0]
    assert [(w.child_id, w.days) for w in series.waiting] == [("W2", 547), ("W1", 182)]


def test_every_child_is_a_point_waiting_or_excluded_with_the_reason():
    records = [
        _record("NOSTART", (date(2023, 1, 2), "permanence_recommendation")),
        _record(
            "BACKWARDS",
            (date(2023, 5, 1), "accommodated"),
            (date(2023, 1, 2), "permanence_recommendation"),
        ),
        _record("LEFT", (date(2023, 1, 2), "accommodated"), (date(2023, 6, 5), "left_care")),
        _record("LATER", (date(2025, 1, 6), "accommodated")),
        _record(
            "OK",
            (date(2023, 1, 2), "accommodated"),
            (date(2023, 7, 3), "permanence_recommendation"),
        ),
    ]
    series = cohort_series(records, as_of=date(2024, 1, 1))
    assert [p.child_id for p in series.points] == ["OK"]
    assert series.waiting == ()
    assert {e.child_id: e.reason for e in series.excluded} == {
        "BACKWARDS": "permanence recommendation (02/01/2023) before accommodated (01/05/2023)",
        "LATER": "accommodated on 06/01/2025, after the as-of date 01/01/2024",
        "LEFT": "left care on 05/06/2023 without a permanence recommendation",
        "NOSTART": "no accommodated (but permanence recommendation on 02/01/2023)",
    }
    assert series.children == len(records)


def test_an_end_after_the_as_of_date_is_still_waiting_and_from_to_exclude_with_the_reason():
    records = _cohort([30, 30, 30])
    series = cohort_series(records, as_of=date(2022, 12, 1))
    assert (len(series.points), len(series.waiting)) == (1, 2)
    series = cohort_series(records, as_of=AS_OF, since=date(2022, 8, 10))
    assert [e.reason for e in series.excluded] == [
        "permanence recommendation on 01/08/2022, before --from 10/08/2022"
    ]


def test_other_milestone_pairs_and_unknown_codes():
    records = [_record("P", (date(2023, 1, 2), "panel"), (date(2023, 2, 13), "adm_decision"))]
    series = cohort_series(records, "panel", "adm_decision", as_of=AS_OF)
    assert [p.weeks for p in series.points] == [6.0]
    with pytest.raises(ValueError, match="unknown milestone 'decision'"):
        cohort_series(records, "panel", "decision")


def test_the_waiting_is_counted_to_the_last_milestone_in_the_data_by_default():
    records = _cohort([30, 30, None])
    series = cohort_series(records, today=date(2030, 1, 1))
    assert series.as_of == records[1].events[-1].when.start


# --- the analysis ------------------------------------------------------------------------

BEFORE = [30, 34, 28, 40, 36, 31, 38, 29, 35, 33, 32, 37]
AFTER = [20, 18, 22, 19, 24, 17, 21, 16]


def test_a_practice_change_is_a_shift_below_the_frozen_baseline_median():
    analysis = analyse(cohort_series(_cohort(BEFORE + AFTER), as_of=LATE))
    (phase,) = analysis.phases
    assert (phase.baseline, phase.centre) == (12, 33.5)
    assert phase.ihi.shifts == ((12, 19),)
    assert [i for i, f in enumerate(analysis.flags) if "shift" in f] == list(range(12, 20))
    assert analysis.findings[1].startswith(
        "A shift: 8 children in a row quicker than the median, from"
    )


def test_median_solid_over_the_baseline_and_dashed_when_frozen_and_extended():
    series = cohort_series(_cohort(BEFORE + AFTER), as_of=LATE)
    analysis = analyse(series)
    points = series.points
    assert chart.median_segments(analysis, LATE) == [
        (points[0].end, points[11].end, 33.5, False),
        (points[11].end, LATE, 33.5, True),
    ]


def test_baseline_until_a_date_and_phases_where_the_analyst_says():
    series = cohort_series(_cohort(BEFORE + AFTER), as_of=LATE)
    until = series.points[9].end
    analysis = analyse(series, Choices(baseline_until=until))
    assert analysis.phases[0].baseline == 10
    assert analysis.warnings == (
        "the median rests on 10 points; 12 or more make a steadier baseline",
    )
    change = series.points[11].end + timedelta(days=10)
    phased = analyse(series, Choices(phases=(change,)))
    assert [(p.first, p.last) for p in phased.phases] == [(0, 11), (12, 19)]
    assert chart.phase_starts(phased) == [change]  # the line where the analyst said
    assert phased.phases[1].centre == 19.5
    assert phased.phases[1].ihi is None  # 8 points: too few for rules
    assert "Phase 2: only 8 points" in " ".join(phased.findings)


def test_no_rules_under_ten_points():
    analysis = analyse(cohort_series(_cohort(BEFORE[:9]), as_of=LATE))
    assert not analysis.phases[0].tested and not analysis.signal
    assert analysis.findings[1] == (
        "Only 9 points: at least 10 are needed before the rules can tell a change from chance."
    )


def test_anhoej_rules_on_request():
    analysis = analyse(cohort_series(_cohort(BEFORE + AFTER), as_of=LATE), Choices(ANHOEJ))
    phase = analysis.phases[0]
    assert phase.ihi is None
    assert (phase.anhoej.longest, phase.anhoej.longest_max, phase.anhoej.signal) == (8, 7, True)


def test_targets():
    assert [parse_target(t) for t in ("26w", "26 weeks", "182d", "26")] == [26, 26, 26, 26]
    assert parse_target("6m") == pytest.approx(26.09, abs=0.01)
    with pytest.raises(ValueError, match="'soon' is not a target; write it as 26w, 182d or 6m"):
        parse_target("soon")


# --- the tables -------------------------------------------------------------------------


def test_cells_that_look_like_formulas_are_neutralised():
    assert [outputs.safe_cell(v) for v in ("=1+1", "+44", "-3", "@SUM(A1)", "C001", 7)] == [
        "'=1+1", "'+44", "'-3", "'@SUM(A1)", "C001", "7",
    ]  # fmt: skip
    text = outputs.csv_bytes(("child_id",), [('=HYPERLINK("x")',)]).decode()
    assert text == 'child_id\n"\'=HYPERLINK(""x"")"\n'


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode())))


def test_tables_account_for_every_child_with_the_signals_the_chart_shows():
    records = [*_cohort(BEFORE + AFTER), _record("X", (date(2023, 1, 2), "panel"))]
    records.append(_child("WAIT", date(2029, 10, 1), None))
    analysis = analyse(cohort_series(records, as_of=LATE))
    points = _rows(outputs.points_csv(analysis))
    assert list(points[0]) == list(outputs.POINT_COLUMNS)
    assert len(points) == 20 and [r["shift"] for r in points].count("yes") == 8
    assert points[0] == {
        "child_id": "C000", "start": "03/01/2022", "end": "01/08/2022", "weeks": "30.0",
        "phase": "1", "median_weeks": "33.5", "shift": "", "trend": "",
        "start_found_by": "milestone column", "end_found_by": "milestone column",
    }  # fmt: skip
    assert _rows(outputs.waiting_csv(analysis)) == [
        {
            "child_id": "WAIT",
            "start": "01/10/2029",
            "days_waited": "272",
            "weeks_waited": "38.9",
            "start_found_by": "milestone column",
        }
    ]
    assert _rows(outputs.excluded_csv(analysis)) == [{"child_id": "X", "reason": "no accommodated"}]


# --- the chart ---------------------------------------------------------------------------


def _frame() -> chart.Frame:
    return chart.Frame(
        "Time from accommodated to permanence recommendation", "sub", "OFFICIAL", "foot"
    )


@pytest.mark.parametrize("fmt", chart.FORMATS)
def test_the_same_analysis_gives_the_same_bytes(fmt):
    analysis = analyse(cohort_series(_cohort(BEFORE + AFTER), as_of=LATE), Choices(target_weeks=26))
    first = chart.chart_bytes(analysis, (), _frame(), fmt)
    assert first == chart.chart_bytes(analysis, (), _frame(), fmt)
    assert first[:4] == {"pdf": b"%PDF", "png": b"\x89PNG", "svg": b"<?xm"}[fmt]


def test_matplotlib_is_imported_only_when_a_chart_is_drawn():
    code = "import sys, timelines.cli, timelines.api; print('matplotlib' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def _sample(tmp_path: Path, *args: str) -> tuple:
    out = tmp_path / "runchart.pdf"
    given = [str(SAMPLE), "--as-of", "30/09/2025", "--target", "26w", "-o", str(out), *args]
    result = CliRunner().invoke(main, ["runchart", *given])
    return result, out


def test_sample_cohort_chart_shows_a_shift_and_no_names_or_ids(tmp_path):
    result, out = _sample(
        tmp_path, "--annotate", str(SAMPLE / "changes.csv"), "--prepared-by", "Data team"
    )
    assert result.exit_code == 0, result.output
    assert "A shift: 20 children in a row quicker than the median" in result.output
    assert result.output.strip().endswith(
        "59 children on the chart, 13 still waiting, 3 not on the chart"
    )
    (text,) = pdf_text(out.read_bytes())
    for words in (
        "Time from accommodated to permanence recommendation",
        "OFFICIAL-SENSITIVE",
        "59 children reached the end (permanence recommendation) between 26/06/2022 and 23/08/2025",
        "13 still waiting at 30/09/2025",
        "3 not on the chart (see runchart-excluded.csv)",
        "Still waiting (13)",
        "2 past the 26-week target",
        "median 38 weeks",
        "2-week planning meeting",
        "Prepared by Data team",
    ):
        assert words in text
    with open(SAMPLE / "children.csv", encoding="utf-8") as handle:
        children = list(csv.DictReader(handle))
    for child in children:
        assert child["child_id"] not in text and child["name"] not in text
        assert child["name"].split()[0] not in text


def test_sample_tables_account_for_every_child(tmp_path):
    result, out = _sample(tmp_path)
    assert result.exit_code == 0, result.output
    points = _rows((tmp_path / "runchart.csv").read_bytes())
    waiting = _rows((tmp_path / "runchart-waiting.csv").read_bytes())
    excluded = _rows((tmp_path / "runchart-excluded.csv").read_bytes())
    ids = [r["child_id"] for r in (*points, *waiting, *excluded)]
    with open(SAMPLE / "children.csv", encoding="utf-8") as handle:
        everyone = [r["child_id"] for r in csv.DictReader(handle)]
    assert sorted(ids) == sorted(everyone) and len(ids) == 75
    assert [r["reason"] for r in excluded] == [
        "no accommodated",
        "no accommodated",
        "permanence recommendation (02/10/2023) before accommodated (13/05/2024)",
    ]


def test_cli_refuses_what_it_cannot_do(tmp_path):
    runner = CliRunner()
    both = runner.invoke(
        main, ["runchart", str(SAMPLE), "--baseline", "10", "--baseline-until", "01/01/2024"]
    )
    assert both.exit_code == 2 and "use --baseline or --baseline-until, not both" in both.output
    mismatch = runner.invoke(
        main, ["runchart", str(SAMPLE), "--format", "png", "-o", str(tmp_path / "a.pdf")]
    )
    assert mismatch.exit_code == 1
    assert "Error: --format png does not match the file name a.pdf" in mismatch.output
    target = runner.invoke(main, ["runchart", str(SAMPLE), "--target", "soon"])
    assert target.exit_code == 2 and "'soon' is not a target" in target.output
    replace = runner.invoke(main, ["runchart", str(SAMPLE), "-o", str(SAMPLE / "chronology.csv")])
    assert replace.exit_code == 1 and "is one of the input files" in replace.output
    assert list(tmp_path.iterdir()) == []


def test_bad_annotations_are_refused_with_file_row_and_column(tmp_path):
    changes = tmp_path / "changes.csv"
    changes.write_text("date,text\n31/02/2024,Two-week meeting\n01/03/2024,\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["runchart", str(SAMPLE), "--annotate", str(changes), "-o", str(tmp_path / "r.pdf")]
    )
    assert result.exit_code == 1
    assert (
        "error: changes.csv, row 2, column \"date\": '31/02/2024' is not a real date"
        " (February 2024 has 29 days)" in result.output
    )
    assert 'error: changes.csv, row 3, column "text": the text is empty' in result.output
    assert not (tmp_path / "r.pdf").exists()


# --- the public SSDA903 extracts ---------------------------------------------------------


def test_903_extract_without_recommendations_gets_a_clear_message():
    folder = reference("d2i-csc-validator-be-903")
    result = CliRunner().invoke(main, ["runchart", str(folder), "-o", "/nonexistent/r.pdf"])
    assert result.exit_code == 1
    assert (
        "Error: no child's record has a permanence recommendation (permanence_recommendation),"
        " so there is nothing to chart; milestones found (children): accommodated (2104),"
    ) in result.output


def test_903_extract_charts_accommodated_to_legal_permanence(tmp_path):
    folder = reference("d2i-cs-demand-model")
    out = tmp_path / "dm.png"
    result = CliRunner().invoke(
        main, ["runchart", str(folder), "--end", "permanence_achieved", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "292 children on the chart, 79 still waiting, 449 not on the chart" in result.output
    assert out.read_bytes()[:4] == b"\x89PNG"
    rows = len(_rows((tmp_path / "dm.csv").read_bytes()))
    rows += len(_rows((tmp_path / "dm-waiting.csv").read_bytes()))
    rows += len(_rows((tmp_path / "dm-excluded.csv").read_bytes()))
    assert rows == 292 + 79 + 449


def test_axis_ticks_for_any_span():
    assert chart.week_ticks(60) == [0, 8, 16, 24, 32, 40, 48, 56]
    assert len(chart.week_ticks(5000)) <= 10  # a cohort followed for decades
    assert [t for _, t in chart.date_ticks(date(2022, 5, 10), date(2023, 2, 1))][:3] == [
        "Jun 2022", "Jul 2022", "Aug 2022",
    ]  # fmt: skip
    years = chart.date_ticks(date(1990, 3, 1), date(2025, 1, 1))
    assert 3 <= len(years) <= 10 and all(d.month == 1 for d, _ in years)
