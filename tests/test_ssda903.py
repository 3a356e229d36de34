"""SSDA903 episodes, header, reviews, missing and adoption decisions → Dataset."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from helpers import reference
from openpyxl import Workbook

from timelines.layout.event_labels import LABEL_SHARE, event_text
from timelines.layout.style import Ctx
from timelines.load.ssda903 import (
    LEGAL_STATUS,
    PLACE_CODES,
    REC_CODES,
    find_ssda903_files,
    load_ssda903,
    load_ssda903_folder,
    place_label,
)
from timelines.model.vocab import CATEGORIES, PLACEMENT_TYPES
from timelines.prepare.template import load_template

TODAY = date(2025, 1, 1)
COLUMNS = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,PL_POST,URN"


def write(tmp_path: Path, name: str, lines: list[str], heading: str = COLUMNS) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([heading, *lines]) + "\n", encoding="utf-8")
    return path


def messages(dataset) -> list[str]:
    return [str(p) for p in dataset.problems]


def csv_rows(path: Path) -> list[list[str]]:
    """The data rows of a CSV file (the heading row left out)."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))[1:]


def _rows_text(rows: list[int]) -> str:
    """'rows 2, 5, 7-9' for [2, 5, 7, 8, 9], as the loader lists rows."""
    runs: list[list[int]] = []
    for n in rows:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs]
    return ("row " if len(rows) == 1 else "rows ") + ", ".join(parts)


def row_numbers(message: str) -> list[int]:
    """The rows a message lists after 'rows ' ('2, 5, 7-9' -> [2, 5, 7, 8, 9])."""
    listed = message.rsplit(": row", 1)[1].split(" ", 1)[1]
    numbers: list[int] = []
    for part in listed.split(", "):
        first, _, last = part.partition("-")
        numbers += range(int(first), int(last or first) + 1)
    return numbers


# --- code lists ------------------------------------------------------------------------------


def test_code_lists_map_to_known_vocabulary():
    assert {kind for kind, _ in PLACE_CODES.values()} <= set(PLACEMENT_TYPES)
    assert {category for _, _, category in REC_CODES.values()} <= set(CATEGORIES)
    assert PLACE_CODES["U4"] == ("foster", "foster placement with other foster carer, long term")
    assert PLACE_CODES["U1"][0] == "kinship" and PLACE_CODES["A5"][0] == "adoptive"
    assert PLACE_CODES["P1"][0] == "home" and PLACE_CODES["K1"][0] == "secure"
    assert LEGAL_STATUS["C2"][0] == "full care order"
    assert place_label("K2") == "K2: children's home"
    assert place_label("Q9") == "Q9: unknown placement code"


@pytest.mark.parametrize(
    "parts",
    [
        ("d2i-csc-validator-be-903", "episodes.csv"),
        ("sf-cs-demand-model-regional", "episodes.csv"),
        ("sf-liia-tools", "SSDA903_episodes_for_testing_fixes_INPUT.csv"),
    ],
)
def test_every_code_in_the_reference_extracts_is_known(parts):
    dataset = load_ssda903(reference(*parts), today=TODAY)
    assert [m for m in messages(dataset) if "unknown" in m] == []


# --- whole reference extracts ----------------------------------------------------------------


def test_fake_return_every_row_is_a_record_or_a_reported_problem():
    folder = reference("d2i-csc-validator-be-903")
    dataset = load_ssda903(
        folder / "episodes.csv",
        folder / "header.csv",
        reviews=folder / "reviews.csv",
        missing=folder / "missing.csv",
        placed_for_adoption=folder / "placed_for_adoption.csv",
        today=TODAY,
    )
    counts = dataset.counts
    by_file = {c.file: c for c in counts}
    assert all(c.balanced for c in counts)
    assert (by_file["episodes.csv"].read, by_file["episodes.csv"].records) == (5050, 5050)
    assert (by_file["header.csv"].records, by_file["header.csv"].left_out) == (2123, 552)
    assert by_file["reviews.csv"].merged == 7  # same child and date twice
    assert len(dataset.children) == 2123
    # Every episode row is a placement, a legal-status event or a warning about that row.
    placed = {(p.origin.file, p.origin.row) for p in dataset.placements}
    noted = {(e.origin.file, e.origin.row) for e in dataset.events}
    warned = {(p.file, p.row) for p in dataset.problems}
    rows = {("episodes.csv", n) for n in range(2, 5052)}
    assert rows <= placed | noted | warned
    kinds = Counter(p.message.split(" ")[0] for p in dataset.problems if p.file == "episodes.csv")
    assert kinds["episode"] == 72  # an episode starting before the one before ends
    assert kinds["not"] == 53  # "not looked after for ... before this episode" (gaps)
    # The header rows of children without episodes are left out, and each is named.
    with_episodes = {row[0] for row in csv_rows(folder / "episodes.csv")}
    header = csv_rows(folder / "header.csv")
    absent = [n for n, row in enumerate(header, start=2) if row[0] not in with_episodes]
    assert len(absent) == 552
    [left_out] = [p for p in dataset.problems if p.file == "header.csv" and "left out" in p.message]
    assert left_out.row is None
    assert left_out.message.startswith("552 rows for children with no episodes left out: rows ")
    assert row_numbers(left_out.message) == absent


def merged_rows(dataset, file: str) -> set[int]:
    """The rows of ``file`` the loader says it merged into another row."""
    rows: set[int] = set()
    for problem in dataset.problems:
        if problem.file != file:
            continue
        if "repeated in a later return" in problem.message:
            rows |= set(row_numbers(problem.message))
        elif "exactly (the same episode); merged" in problem.message:
            rows.add(problem.row)
    return rows


@pytest.mark.parametrize(
    "parts",
    [
        ("d2i-csc-validator-be-903", "episodes.csv"),
        ("d2i-cs-demand-model", "*-episodes.csv"),
        ("sf-cs-demand-model-regional", "episodes.csv"),
        ("sf-liia-tools", "SSDA903_episodes_for_testing_fixes_INPUT.csv"),
        ("sf-liia-tools-pipeline", "SSDA903_2020_episodes.csv"),
    ],
)
def test_every_episode_row_is_a_placement_a_continuation_a_merge_or_an_error(parts):
    folder, pattern = reference(parts[0]), parts[1]
    paths = sorted(folder.glob(pattern))
    dataset = load_ssda903(paths, today=TODAY)
    counts = dataset.counts
    events = {(e.origin.file, e.origin.row) for e in dataset.events if e.label.startswith("Leg")}
    for path, count in zip(paths, counts, strict=True):
        file, read = path.name, len(csv_rows(path))
        starts = [p.origin.row for p in dataset.placements if p.origin.file == file]
        placed = set(starts)
        assert len(placed) == len(starts)  # each placement starts on its own row
        merged = merged_rows(dataset, file)
        refused = {p.row for p in dataset.problems if p.file == file and p.severity == "error"}
        # An episode that only changes the legal status, in the same place, continues the
        # placement: it is a legal status event, or a warning saying why it is not one.
        noted = {row for f, row in events if f == file} | {
            p.row
            for p in dataset.problems
            if p.file == file and ("(RNE L)" in p.message or "no legal status" in p.message)
        }
        continued = noted - placed
        parts_ = [placed, continued, merged, refused]
        assert sum(map(len, parts_)) == read  # no row in two parts, none in none
        assert set().union(*parts_) == set(range(2, read + 2))
        assert (count.file, count.read, count.records, count.merged, count.errors) == (
            file,
            read,
            len(placed) + len(continued),
            len(merged),
            len(refused),
        )


def test_yearly_returns_and_the_stacked_extract_give_the_same_history():
    yearly = find_ssda903_files(reference("d2i-cs-demand-model"))["episodes"]
    assert [p.name for p in yearly] == [f"{y}-episodes.csv" for y in range(2017, 2022)]
    by_year = load_ssda903(yearly, today=TODAY)
    counts = by_year.counts
    stacked_file = reference("sf-cs-demand-model-regional", "episodes.csv")
    stacked = load_ssda903(stacked_file, today=TODAY)
    assert sum(c.merged for c in counts) == 910
    # Each repeated episode is open (DEC blank) in the earlier return: those rows are merged.
    rows = csv_rows(stacked_file)
    times = Counter((row[0], row[1]) for row in rows)
    open_repeats = [
        n for n, row in enumerate(rows, start=2) if times[(row[0], row[1])] > 1 and not row[7]
    ]
    assert len(open_repeats) == 910
    merged = [m for m in messages(stacked) if "merged 910 episodes" in m]
    assert merged == [
        "episodes.csv: merged 910 episodes repeated in a later return (open, then closed or"
        " changed); the version with an end date, or else the latest, is used: "
        + _rows_text(open_repeats)
    ]
    assert row_numbers(merged[0]) == open_repeats

    def placements(d):
        return sorted((p.child_id, p.start, p.end, p.code, p.reason) for p in d.placements)

    assert placements(by_year) == placements(stacked)
    assert len(by_year.placements) == 2309


def test_folder_with_yearly_files_merges_children_and_reviews():
    dataset = load_ssda903_folder(reference("d2i-cs-demand-model"), today=TODAY, child_id="296227")
    assert [c.child_id for c in dataset.children] == ["296227"]
    assert dataset.children[0].date_of_birth == date(2002, 6, 23)
    reviews = [e for e in dataset.events if e.category == "review"]
    assert len(reviews) == len({e.when for e in reviews})  # repeats across years merged
    assert any("2018-header.csv: merged 1 row repeating" in m for m in messages(dataset))


def test_dirty_header_with_several_dates_of_birth():
    folder = reference("sf-liia-tools-pipeline")
    dataset = load_ssda903_folder(folder, today=TODAY)
    assert (
        'SSDA903_2020_header.csv, row 4, column "DOB": child 689661 has 3 different dates of'
        " birth: 11/07/2015 (SSDA903_2020_header.csv, row 2); 21/03/2012"
        " (SSDA903_2020_header.csv, row 3); 16/08/2017 (SSDA903_2020_header.csv, row 4);"
        " using 16/08/2017 (the last one listed)"
    ) in messages(dataset)
    assert 'SSDA903_2020_episodes.csv, row 3, column "LS": no legal status (LS) given' in messages(
        dataset
    )
    assert "SSDA903_2020_episodes.csv, row 6, column \"RNE\": unknown RNE code '*DUMMY*'" in (
        messages(dataset)
    )


def test_overlapping_episodes_are_cut_and_reported():
    dataset = load_ssda903(reference("sf-liia-tools", "SSDA903_2020_episodes.csv"), today=TODAY)
    child = dataset.record("689661")
    assert [(p.start, p.end, p.code) for p in child.placements] == [
        (date(2018, 12, 2), date(2018, 12, 11), "U5"),
        (date(2018, 12, 11), date(2019, 5, 16), "K2"),
        (date(2019, 5, 16), date(2019, 9, 26), "U5"),
    ]
    assert (
        'SSDA903_2020_episodes.csv, row 2, column "DECOM": episode starts 11/12/2018, before the'
        " episode in row 3 (starting 02/12/2018) ends 16/05/2019;"
        " that placement is drawn as ending 11/12/2018"
    ) in messages(dataset)
    assert child.events[-1].label == "Left care: died (E2)"
    assert child.placements[-1].reason == "same carer(s) as before (RNE T); ended: died (E2)"


# --- one child, by hand ----------------------------------------------------------------------


def test_legal_status_change_in_the_same_place_continues_the_placement(tmp_path):
    path = write(
        tmp_path,
        "episodes.csv",
        [
            "1,01/02/2016,S,C1,N1,U6,PR1,10/03/2016,X1,,AB1 2CD,1234567",
            "1,10/03/2016,L,C2,N1,U6,PR1,04/07/2016,X1,CREQB,AB1 2CD,1234567",
            "1,04/07/2016,P,C2,N1,U4,PR4,20/01/2017,X1,CARPL,EF3 4GH,7654321",
            "1,20/01/2017,B,E1,N1,A5,PR1,15/09/2017,E11,,IJ5 6KL,",
        ],
    )
    dataset = load_ssda903(path, today=TODAY)
    assert dataset.problems == ()
    record = dataset.record("1")
    assert [(p.start, p.end, p.placement_type, p.code) for p in record.placements] == [
        (date(2016, 2, 1), date(2016, 7, 4), "foster", "U6"),
        (date(2016, 7, 4), date(2017, 1, 20), "foster", "U4"),
        (date(2017, 1, 20), date(2017, 9, 15), "adoptive", "A5"),
    ]
    first = record.placements[0]
    assert (first.carer, first.description) == (
        "",
        "U6: foster placement with other foster carer, not long term",
    )
    assert record.placements[0].reason == (
        "ended: the carer asked for it to end because of the child's behaviour (CREQB)"
    )
    assert record.placements[2].reason == "ended: adopted: application unopposed (E11)"
    assert [(e.when.start, e.label, e.category, e.key) for e in record.events] == [
        (date(2016, 2, 1), "Started to be looked after", "placement", True),
        (date(2016, 2, 1), "Legal status: interim care order (C1)", "order", False),
        (date(2016, 3, 10), "Legal status: full care order (C2)", "order", True),
        (date(2016, 7, 4), "Moved: foster care, long term (U4)", "placement", False),
        (
            date(2017, 1, 20),
            "Moved: placed for adoption (A5)",
            "placement",
            False,
        ),
        (date(2017, 1, 20), "Legal status: placement order (E1)", "order", True),
        (date(2017, 9, 15), "Left care: adopted (E11)", "order", True),
    ]
    moves = [e for e in record.events if e.label.startswith("Moved")]
    assert [e.detail for e in moves] == [
        "U4: foster placement with other foster carer, long term; new episode: change of"
        " placement and carer(s) (RNE P); previous placement ended: the carer asked for it to"
        " end because of the child's behaviour (CREQB)",
        "A5: placed for adoption under a placement order, with current foster carer; new"
        " episode: change of legal status, placement and carer(s) (RNE B); previous placement"
        " ended: change to or carrying out the care plan (CARPL)",
    ]
    # Each move is told on the row its placement starts on.
    assert [e.origin.row for e in moves] == [p.origin.row for p in record.placements[1:]] == [4, 5]
    assert record.events[0].detail == (
        "U6: foster placement with other foster carer, not long term;"
        " category of need: abuse or neglect (N1)"
    )
    assert {e.source for e in record.events} == {"SSDA903"}


def test_problems_in_episodes_are_named_by_file_row_and_column(tmp_path):
    path = write(
        tmp_path,
        "episodes.csv",
        [
            "1,01/02/2016,S,C1,N1,U6,PR1,10/03/2016,E4A,,,",
            "1,01/06/2016,S,V2,N1,ZZ,PR1,01/05/2016,E4A,,,",
            "1,01/07/2016,S,V2,N1,ZZ,PR1,,X1,,,",
            "1,01/07/2016,S,V2,N1,ZZ,PR1,,X1,,,",
            "2,31/02/2016,S,V2,N1,U4,PR1,,X1,,,",
            ",01/02/2016,S,V2,N1,U4,PR1,,X1,,,",
            "3,01/02/2030,S,V2,N1,U4,PR1,,X1,,,",
        ],
    )
    dataset = load_ssda903(path, today=TODAY)
    counts = dataset.counts
    assert messages(dataset) == [
        'episodes.csv, row 3, column "DEC": episode ends (01/05/2016) before it starts'
        " (01/06/2016); not drawn",
        "episodes.csv, row 4, column \"PLACE\": unknown PLACE code 'ZZ'; drawn as other",
        'episodes.csv, row 4, column "DECOM": not looked after for 4 months before this episode:'
        " the episode in row 2 ended 10/03/2016; left care (E4A) and came back",
        'episodes.csv, row 5, column "DECOM": repeats row 4 exactly (the same episode); merged',
        "episodes.csv, row 6, column \"DECOM\": '31/02/2016' is not a real date (February 2016"
        " has 29 days)",
        'episodes.csv, row 7, column "CHILD": no CHILD id given',
        "episodes.csv, row 8, column \"DECOM\": '01/02/2030' is in the future",
    ]
    assert counts[0].read == 7 and counts[0].errors == 3 and counts[0].merged == 1
    assert counts[0].balanced
    assert [p.placement_type for p in dataset.record("1").placements] == ["foster", "other"]


def test_open_episode_followed_by_a_new_one_is_an_overlap(tmp_path):
    path = write(
        tmp_path,
        "episodes.csv",
        [
            "7,01/02/2016,S,C1,N1,U6,PR1,,E2,,,",
            "7,01/06/2016,P,C1,N1,K2,PR1,01/09/2016,E2,,,",
            "7,01/10/2016,S,C1,N1,K2,PR1,,X1,,,",
        ],
    )
    dataset = load_ssda903(path, today=TODAY)
    assert messages(dataset)[:2] == [
        'episodes.csv, row 3, column "DECOM": episode starts 01/06/2016, before the episode in'
        " row 2 (starting 01/02/2016) has no end date; that placement is drawn as"
        " ending 01/06/2016",
        'episodes.csv, row 3, column "REC": child recorded as died (E2) but later episodes follow',
    ]
    ends = [p.end for p in dataset.record("7").placements]
    assert ends == [date(2016, 6, 1), date(2016, 9, 1), None]


def test_first_episode_that_is_not_a_start_says_so(tmp_path):
    path = write(tmp_path, "episodes.csv", ["5,01/02/2016,P,V2,N4,P1,PR0,,X1,,,"])
    record = load_ssda903(path, today=TODAY).record("5")
    assert record.events[0].label == "Looked after (start not in the data)"
    assert "change of placement and carer(s) (RNE P)" in record.events[0].detail
    assert record.placements[0].placement_type == "home"
    assert record.placements[0].end is None


def test_choosing_a_child(tmp_path):
    path = write(
        tmp_path,
        "episodes.csv",
        [
            "1,01/02/2016,S,C1,N1,U6,PR1,,X1,,,",
            "2,01/02/2016,S,C1,N1,U6,PR1,,X1,,,",
        ],
    )
    dataset = load_ssda903(path, today=TODAY, child_id="2")
    counts = dataset.counts
    assert dataset.child_ids() == ["2"]
    assert counts[0].left_out == 1 and counts[0].balanced
    missing = load_ssda903(path, today=TODAY, child_id="9")
    assert messages(missing) == ["no episodes for child '9' in episodes.csv"]


def test_reviews_missing_and_adoption_decisions(tmp_path):
    episodes = write(tmp_path, "episodes.csv", ["1,01/02/2016,S,C2,N1,U4,PR1,,X1,,,"])
    header = write(tmp_path, "header.csv", ["1,1,03/04/2012"], "CHILD,SEX,DOB")
    reviews = write(
        tmp_path,
        "reviews.csv",
        [
            "1,03/04/2012,05/03/2016,PN1",
            "1,03/04/2012,05/09/2016,PN9",
            "2,01/01/2010,05/03/2016,PN1",
        ],
        "CHILD,DOB,REVIEW,REVIEW_CODE",
    )
    missing = write(
        tmp_path,
        "missing.csv",
        ["1,03/04/2012,M,10/06/2016,14/06/2016"],
        "CHILD,DOB,MISSING,MIS_START,MIS_END",
    )
    adoption = write(
        tmp_path,
        "placed_for_adoption.csv",
        ["1,03/04/2012,01/11/2016,01/05/2017,RD3"],
        "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED",
    )
    dataset = load_ssda903(
        episodes,
        header,
        reviews=reviews,
        missing=missing,
        placed_for_adoption=adoption,
        today=TODAY,
    )
    assert dataset.children[0].date_of_birth == date(2012, 4, 3)
    later = [(e.when.start, e.label, e.category, e.detail) for e in dataset.events[2:]]
    assert later == [
        (
            date(2016, 3, 5),
            "LAC review",
            "review",
            "Participation: child attended and spoke for themselves (PN1)",
        ),
        (date(2016, 9, 5), "LAC review", "review", "Participation: unknown code (PN9)"),
        (date(2016, 6, 10), "Missing from placement", "other", "until 14/06/2016 (4 days)"),
        (date(2016, 11, 1), "Decision: should be placed for adoption", "decision", ""),
        (
            date(2017, 5, 1),
            "Decision: should no longer be placed for adoption",
            "decision",
            "reason: prospective adopters could not be found (RD3)",
        ),
    ]
    assert messages(dataset) == [
        "reviews.csv: 1 row for children with no episodes left out: row 4",
        "reviews.csv, row 3, column \"REVIEW_CODE\": unknown REVIEW_CODE 'PN9'",
    ]


def test_files_that_are_not_903_tables(tmp_path):
    path = write(tmp_path, "episodes.csv", ["a,b"], "date,event")
    dataset = load_ssda903(path, today=TODAY)
    counts = dataset.counts
    assert messages(dataset) == [
        "episodes.csv: not an SSDA903 episodes file: no column CHILD, DECOM, DEC, PLACE"
    ]
    assert counts[0].errors == 1 and counts[0].balanced
    gone = load_ssda903(tmp_path / "nothing.csv", today=TODAY)
    assert messages(gone) == ["nothing.csv: file not found"]


def test_finding_files_in_a_folder(tmp_path):
    for name in (
        "2019-episodes.csv",
        "2018-episodes.csv",
        "SSDA903_2020_header.csv",
        "sw_episodes.csv",
        "reviews.csv",
        "notes.csv",
        "placed_for_adoption_errors.csv",
    ):
        (tmp_path / name).write_text("CHILD\n", encoding="utf-8")
    found = find_ssda903_files(tmp_path)
    assert {k: [p.name for p in v] for k, v in found.items()} == {
        "episodes": ["2018-episodes.csv", "2019-episodes.csv"],
        "header": ["SSDA903_2020_header.csv"],
        "reviews": ["reviews.csv"],
    }
    empty = load_ssda903_folder(tmp_path / "none")
    assert messages(empty) == ["none: no episodes.csv in the folder"]


def test_small_yearly_returns_merge_open_and_closed_versions(tmp_path):
    first = write(
        tmp_path,
        "2019-episodes.csv",
        [
            "1,01/02/2019,S,C1,N1,U6,PR1,01/03/2019,X1,,,",
            "1,01/03/2019,P,C1,N1,U4,PR1,,X1,,,",
        ],
    )
    second = write(
        tmp_path,
        "2020-episodes.csv",
        [
            "1,01/03/2019,P,C1,N1,U4,PR1,01/05/2020,X1,,,",
            "1,01/06/2020,P,C2,N1,U4,PR1,,X1,,,",
        ],
    )
    dataset = load_ssda903([first, second], today=TODAY)
    counts = dataset.counts
    assert [(c.file, c.records, c.merged) for c in counts] == [
        ("2019-episodes.csv", 1, 1),
        ("2020-episodes.csv", 2, 0),
    ]
    assert messages(dataset) == [
        "2019-episodes.csv: merged 1 episode repeated in a later return (open, then closed or"
        " changed); the version with an end date, or else the latest, is used: row 3",
        '2020-episodes.csv, row 3, column "DECOM": not looked after for 4 weeks before this'
        " episode: the episode in row 2 ended 01/05/2020; the episode before ended with REC X1,"
        " so a new episode should start the same day",
    ]
    assert [(p.start, p.end) for p in dataset.placements] == [
        (date(2019, 2, 1), date(2019, 3, 1)),
        (date(2019, 3, 1), date(2020, 5, 1)),
        (date(2020, 6, 1), None),
    ]


def test_episode_ending_the_day_it_starts_is_its_own_episode(tmp_path):
    # Police protection in the morning, accommodated under section 20 the same day.
    path = write(
        tmp_path,
        "episodes.csv",
        [
            "1,01/02/2016,S,L1,N1,U6,PR1,01/02/2016,X1,,AB1 2CD,",
            "1,01/02/2016,L,V2,N1,U6,PR1,,X1,,AB1 2CD,",
        ],
    )
    dataset = load_ssda903(path, today=TODAY)
    counts = dataset.counts
    assert dataset.problems == ()
    assert (counts[0].records, counts[0].merged) == (2, 0)
    assert [(p.start, p.end, p.code) for p in dataset.placements] == [
        (date(2016, 2, 1), None, "U6")
    ]
    assert [e.label for e in dataset.events] == [
        "Started to be looked after",
        "Legal status: police protection (L1)",
        "Legal status: accommodated (section 20) (V2)",
    ]


def test_moves_same_carers_and_a_return_to_care(tmp_path):
    path = write(
        tmp_path,
        "episodes.csv",
        [
            "1,01/02/2016,S,C1,N1,U6,PR1,01/05/2016,X1,,AB1 2CD,",
            "1,01/05/2016,T,C1,N1,U4,PR1,01/08/2016,X1,STAND,AB1 2CD,",
            "1,01/08/2016,L,C2,N1,K2,PR4,01/09/2016,E4A,,ZZ1 1ZZ,1234567",
            "1,01/03/2017,S,V2,N1,U6,PR1,,X1,,,",
        ],
    )
    dataset = load_ssda903(path, today=TODAY)
    assert [(e.when.start, e.label) for e in dataset.events] == [
        (date(2016, 2, 1), "Started to be looked after"),
        (date(2016, 2, 1), "Legal status: interim care order (C1)"),
        (date(2016, 5, 1), "Same carers: foster care, long term (U4)"),
        (date(2016, 8, 1), "Moved: children's home (K2)"),
        (date(2016, 8, 1), "Legal status: full care order (C2)"),
        (date(2016, 9, 1), "Left care: returned home (E4A)"),
        (date(2017, 3, 1), "Started to be looked after again"),
        (date(2017, 3, 1), "Legal status: accommodated (section 20) (V2)"),
    ]
    assert dataset.events[3].detail == (
        "K2: children's home; new episode: change of legal status only (RNE L), but the"
        " placement changed; previous placement ended: concerns about standards of care (STAND)"
    )
    assert messages(dataset) == [
        'episodes.csv, row 4, column "RNE": new episode for a change of legal status only'
        " (RNE L), but the placement (PLACE, PLACE_PROVIDER, PL_POST or URN) changed;"
        " drawn as a move",
        'episodes.csv, row 5, column "DECOM": not looked after for 6 months before this'
        " episode: the episode in row 4 ended 01/09/2016; left care (E4A) and came back",
    ]
    assert [p.reason for p in dataset.placements] == [
        "",
        "same carer(s) as before (RNE T); ended: concerns about standards of care (STAND)",
        "ended: returned home to parent(s) or others with PR, as planned (E4A)",
        "",
    ]


def test_dates_with_a_time_of_day_as_excel_writes_them(tmp_path):
    path = write(
        tmp_path,
        "episodes.csv",
        ["1,01/02/2016 00:00,S,C1,N1,U6,PR1,2016-03-10T00:00:00,E4A,,,"],
    )
    dataset = load_ssda903(path, today=TODAY)
    assert dataset.problems == ()
    assert [(p.start, p.end) for p in dataset.placements] == [(date(2016, 2, 1), date(2016, 3, 10))]


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


EPISODE_ROWS = [
    COLUMNS.split(","),
    ["1", datetime(2016, 2, 1), "S", "C1", "N1", "U6", "PR1", datetime(2016, 3, 10), "X1"],
    ["1", "10/03/2016", "P", "C1", "N1", "U4", "PR1", None, "X1"],
    [None] * 9,  # a blank row Excel keeps after a row is cleared
]
HEADER_ROWS = [["CHILD", "SEX", "DOB"], [1, 1, datetime(2012, 4, 3)]]


def test_workbook_with_a_sheet_per_table(tmp_path):
    path = workbook(tmp_path / "903.xlsx", {"header": HEADER_ROWS, "Episodes": EPISODE_ROWS})
    dataset = load_ssda903(path, today=TODAY)
    counts = dataset.counts
    assert dataset.problems == ()
    assert [(c.file, c.read, c.records) for c in counts] == [
        ("903.xlsx [Episodes]", 2, 2),
        ("903.xlsx [header]", 1, 1),
    ]
    assert dataset.children[0].date_of_birth == date(2012, 4, 3)
    assert [(p.start, p.end, p.code) for p in dataset.placements] == [
        (date(2016, 2, 1), date(2016, 3, 10), "U6"),
        (date(2016, 3, 10), None, "U4"),
    ]
    # The same workbook in a folder, and a file per table.
    assert find_ssda903_files(tmp_path) == {"episodes": [path], "header": [path]}
    other = tmp_path / "split"
    other.mkdir()
    workbook(other / "episodes.xlsx", {"Sheet1": EPISODE_ROWS})
    workbook(other / "header.xlsx", {"Sheet1": HEADER_ROWS})
    split = load_ssda903_folder(other, today=TODAY)
    assert split.problems == ()
    assert split.placements == tuple(
        replace(p, origin=replace(p.origin, file="episodes.xlsx [Sheet1]"))
        for p in dataset.placements
    )


def test_folder_names_the_files_it_does_not_read():
    dataset = load_ssda903_folder(reference("d2i-csc-validator-be-903"), today=TODAY)
    assert messages(dataset)[-1] == (
        "d2i-csc-validator-be-903: 14 files in the folder not read (only the episodes, header,"
        " reviews, missing and placed_for_adoption tables are): ad1.csv, ch_fake.xlsx,"
        " combined_scp_ch_fake.xlsx, DoLo.csv, fake_903.xml, oc2.csv, oc3.csv,"
        " placed_for_adoption_errors.csv, previous_permanence.csv, scp_ch_2025_fake.xlsx,"
        " scp_fake.xlsx, scpch_assisted.xlsx, sw_episodes.csv, uasc.csv"
    )


def test_date_of_birth_warning_is_on_the_row_the_child_comes_from():
    dataset = load_ssda903_folder(reference("sf-liia-tools-pipeline"), today=TODAY)
    born = {
        (p.file, p.row): p.message.split()[1]
        for p in dataset.problems
        if "dates of birth" in p.message
    }
    origins = {(c.origin.file, c.origin.row): c.child_id for c in dataset.children}
    assert born == {
        ("SSDA903_2020_header.csv", 4): "689661",
        ("SSDA903_2020_header.csv", 6): "249901",
    }
    assert {row: origins[row] for row in born} == born  # so a batch files it under the child


def test_every_label_the_importer_writes_fits_on_the_page(tmp_path):
    """Moves, legal status and leaving care for every code: the whole label is shown
    (code included), even numbered and at the smallest label size."""
    lines = []
    for code in PLACE_CODES:
        lines += [
            f"P{code},01/02/2016,S,C1,N1,U6,PR1,01/03/2016,X1,,,",
            f"P{code},01/03/2016,P,C1,N1,{code},PR1,01/04/2016,X1,,,",
            f"P{code},01/04/2016,T,C1,N1,{code},PR1,,X1,,,",
        ]
    lines += [f"L{code},01/02/2016,S,{code},N1,U6,PR1,,X1,,," for code in LEGAL_STATUS]
    lines += [f"R{code},01/02/2016,S,C1,N1,U6,PR1,01/03/2016,{code},,," for code in REC_CODES]
    dataset = load_ssda903(write(tmp_path, "episodes.csv", lines), today=TODAY)
    ctx = Ctx.for_theme(load_template(None))
    widest = LABEL_SHARE * ctx.width
    labels = {f"12. {event_text(e, ctx)}" for e in dataset.events}
    assert len(labels) > 2 * len(PLACE_CODES)
    assert [t for t in labels if ctx.fit(t, ctx.min_size, widest, "label") != t] == []


# --- one child's history, built on its own from episodes -----------------------------------


def episode(order: int, start: date, end: date | None, **codes: str):
    from timelines.load.ssda903.episodes import Episode
    from timelines.model.records import Origin

    cells = {k: v for k, v in codes.items()}
    return Episode("C1", start, end, cells, Origin("episodes.csv", order + 2), order, {})


def test_a_history_is_built_from_episodes_alone():
    from timelines.load.ssda903.history import History

    history = History(
        "C1",
        [  # given out of order: the history sorts them
            episode(1, date(2020, 3, 1), None, rne="L", ls="C2", place="U4", rec=""),
            episode(0, date(2020, 1, 1), date(2020, 3, 1), rne="S", ls="V2", place="U4", rec="X1"),
        ],
    ).build()
    assert [(p.start, p.end, p.code) for p in history.placements] == [
        (date(2020, 1, 1), None, "U4")
    ]
    assert [(e.when.start, e.label, e.key) for e in history.events] == [
        (date(2020, 1, 1), "Started to be looked after", True),
        (date(2020, 1, 1), "Legal status: accommodated (section 20) (V2)", False),
        (date(2020, 3, 1), "Legal status: full care order (C2)", True),
    ]
    assert history.problems == []
    assert all(e.child_id == "C1" for e in history.events)
