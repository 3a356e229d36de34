"""Every row read is drawn (label or number on page 1, or a line of the chronology table),
belongs to another child, or is reported as an error naming its row: the counts add up."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timelines.load.contract import load_contract
from timelines.model.options import RenderOptions
from timelines.pipeline.child import layout_child
from timelines.prepare.template import load_template

CHRONOLOGY = """child_id,date,event,category,detail
A1,14/08/2019,Birth,birth,
A1,31/02/2020,Impossible date,review,
A1,,No date at all,review,
A1,01/03/2020,,review,
A1,c. 2020,Approximate year,family,
A1,March 2020,Month only,health,
A1,?22/05/2020,Doubtful day,contact,
A1,22/05/2020,Same day one,contact,
A1,22/05/2020,Same day two,contact,
A1,22/05/2020,Same day three,contact,
B2,01/01/2021,Another child's event,review,
A1,01/01/2099,Far future,review,
A1,hello,Not a date,review,
,,,,
A1,01/06/2021,Children's Hearing: CSO made,hearing,
"""
PLACEMENTS = """child_id,start_date,end_date,placement_type,carer
A1,01/03/2020,01/09/2020,foster,Ms A
A1,01/09/2020,,kinship,Gran
A1,01/10/2020,01/09/2020,foster,Backwards
B2,01/01/2021,,foster,Other child
A1,nonsense,,foster,Bad start
"""
CHILDREN = """child_id,name,date_of_birth
A1,Test Child,14/08/2019
B2,Other Child,01/01/2015
"""


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    paths = {}
    for name, text in (
        ("chronology", CHRONOLOGY),
        ("placements", PLACEMENTS),
        ("children", CHILDREN),
    ):
        paths[name] = tmp_path / f"{name}.csv"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def load(files: dict[str, Path]):
    dataset = load_contract(
        files["chronology"],
        files["placements"],
        files["children"],
        child_id="A1",
        today=date(2024, 6, 1),
    )
    return dataset, dataset.counts


def error_rows(problems, file: str) -> set[int]:
    return {p.row for p in problems if p.severity == "error" and p.file == file}


def test_every_row_is_counted_once(files):
    dataset, counts = load(files)
    by_file = {c.file: c for c in counts}
    assert all(c.balanced for c in counts)
    chronology = by_file["chronology.csv"]
    assert chronology.read == 14  # the blank row is not a data row
    assert chronology.left_out == 1
    assert chronology.errors == len(error_rows(dataset.problems, "chronology.csv"))
    assert chronology.records == len(dataset.record("A1").events)
    placements = by_file["placements.csv"]
    assert placements.read == 5
    assert placements.left_out == 1
    assert placements.errors == len(error_rows(dataset.problems, "placements.csv"))
    assert placements.records == len(dataset.record("A1").placements)


def test_errors_name_their_rows(files):
    dataset, _ = load(files)
    # Spreadsheet rows: the heading is row 1.
    assert {3, 4, 5, 14} <= error_rows(dataset.problems, "chronology.csv")
    assert 6 in error_rows(dataset.problems, "placements.csv")


def test_every_record_is_drawn(files):
    dataset, counts = load(files)
    record = dataset.record("A1")
    done = layout_child(record, load_template(), RenderOptions(as_of=date(2024, 6, 1)))
    plan = done.layout.plan
    events = done.record.events
    drawn = plan.labelled | set(plan.numbered)
    assert drawn == set(range(len(events)))
    if plan.numbered:
        table = [t for page in done.layout.pages[1:] for t in page.texts() if t.role == "table"]
        numbers = {int(t.text) for t in table if t.text.isdigit() and t.x < 60}
        assert numbers == set(range(1, len(events) + 1))
    page_one = " ".join(t.text for t in done.layout.pages[0].texts())
    for index in plan.labelled:
        label = next(lab for lab in plan.labels if lab.index == index)
        assert label.text in page_one
    for number in range(1, len(record.placements) + 1):
        assert f"P{number}" in page_one
    by_file = {c.file: c for c in counts}
    assert len(drawn) + by_file["chronology.csv"].errors + 1 == by_file["chronology.csv"].read


def test_many_events_on_one_day_all_reach_the_page(tmp_path):
    rows = "".join(f"A1,22/05/2020,Visit {i},contact,\n" for i in range(300))
    path = tmp_path / "chronology.csv"
    path.write_text("child_id,date,event,category,detail\n" + rows, encoding="utf-8")
    dataset = load_contract(path, today=date(2024, 6, 1))
    counts = dataset.counts
    assert counts[0].read == counts[0].records == 300
    done = layout_child(
        dataset.record("A1"), load_template(), RenderOptions(as_of=date(2024, 6, 1))
    )
    plan = done.layout.plan
    assert plan.labelled | set(plan.numbered) == set(range(300))
    table = [t.text for page in done.layout.pages[1:] for t in page.texts() if t.role == "table"]
    assert {f"Visit {i}" for i in range(300)} <= set(table)


# --- property: however good and bad rows are mixed, CSV or Excel, the counts add up ----------

GOOD_DAY = st.dates(min_value=date(1950, 1, 1), max_value=date(2030, 12, 31))
BAD_DATES = ("31/02/2017", "", "hello", "00/00/0000", "13/13/2013", "1/1/1")
WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=60)


@st.composite
def mixed_rows(draw) -> list[tuple[object, str, bool]]:
    """(date, label, good) rows: a good row has a real date and a label."""
    rows = []
    for good in draw(st.lists(st.booleans(), min_size=1, max_size=40)):
        if good:
            rows.append((draw(GOOD_DAY), "E " + draw(WORDS), True))
        elif draw(st.booleans()):
            rows.append((draw(st.sampled_from(BAD_DATES)), "E " + draw(WORDS), False))
        else:
            rows.append((draw(GOOD_DAY), draw(st.sampled_from(["", "  "])), False))
    return rows


def write_mixed(folder: Path, rows: list[tuple[object, str, bool]], excel: bool) -> Path:
    heading = ["child_id", "date", "event", "category"]
    if excel:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "chronology"
        sheet.append(heading)
        for day, label, _ in rows:
            sheet.append(["A1", day, label, "review"])
        path = folder / "chronology.xlsx"
        book.save(path)
        return path
    path = folder / "chronology.csv"
    lines = [",".join(heading)]
    for day, label, _ in rows:
        text = f"{day:%d/%m/%Y}" if isinstance(day, date) else day
        lines.append(",".join(f'"{c}"' for c in ("A1", text, label.replace('"', '""'), "review")))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@settings(max_examples=25, derandomize=True, database=None, deadline=None)
@given(mixed_rows(), st.booleans())
def test_counts_add_up_for_any_mix_of_rows(rows, excel):
    with tempfile.TemporaryDirectory() as name:
        path = write_mixed(Path(name), rows, excel)
        dataset = load_contract(path, child_id="A1", today=date(2024, 6, 1))
        counts = dataset.counts
    good = sum(1 for *_, ok in rows if ok)
    (count,) = [c for c in counts if c.file.startswith("chronology")]
    assert (count.read, count.records, count.errors) == (len(rows), good, len(rows) - good)
    assert len(error_rows(dataset.problems, count.file)) == len(rows) - good
    if not good:
        return
    done = layout_child(
        dataset.record("A1"), load_template(), RenderOptions(as_of=date(2024, 6, 1))
    )
    plan = done.layout.plan
    assert plan.labelled | set(plan.numbered) == set(range(good))


# --- every command prints the accounting; batch writes it and counts every failure ----------


def invoke(*args: str):
    from click.testing import CliRunner

    from timelines.cli import main

    return CliRunner().invoke(main, [str(a) for a in args])


def test_every_command_prints_what_became_of_every_row(files, tmp_path):
    folder = files["chronology"].parent
    checked = invoke("validate", folder, "--child", "A1")
    assert checked.output.splitlines()[-4:] == [
        "chronology.csv: 14 rows read: 9 used, 4 with errors, 1 left out",
        "placements.csv: 5 rows read: 2 used, 2 with errors, 1 left out",
        "children.csv: 2 rows read: 1 used, 1 left out",
        "6 errors, 1 warning",
    ]
    everyone = [
        "chronology.csv: 14 rows read: 10 used, 4 with errors",
        "placements.csv: 5 rows read: 3 used, 2 with errors",
        "children.csv: 2 rows read: 2 used",
    ]
    assert invoke("validate", folder).output.splitlines()[-4:-1] == everyone
    out = tmp_path / "out"
    batch = invoke("batch", folder, "--out", out, "--jobs", "1", "--quiet")
    assert batch.exit_code == 2
    assert [line for line in batch.output.splitlines() if ".csv: " in line][-3:] == everyone
    assert (out / "accounting.csv").read_text(encoding="utf-8").splitlines() == [
        "file,read,used,merged,errors,left_out",
        "chronology.csv,14,10,0,4,0",
        "placements.csv,5,3,0,2,0",
        "children.csv,2,2,0,0,0",
    ]
    good = tmp_path / "good"
    good.mkdir()
    (good / "chronology.csv").write_text(
        "child_id,date,event,category\nA1,01/02/2016,E1,review\nA1,01/03/2016,E2,review\n"
        "B2,01/03/2016,E3,review\n",
        encoding="utf-8",
    )
    rendered = invoke("render", good, "--child", "A1", "--no-shadows", "-o", tmp_path / "a.pdf")
    assert rendered.exit_code == 0, rendered.output
    assert rendered.output.splitlines()[-1] == "chronology.csv: 3 rows read: 2 used, 1 left out"
    siblings = invoke("siblings", good, "-o", tmp_path / "s.pdf")
    assert siblings.exit_code == 0, siblings.output
    assert siblings.output.splitlines()[-1] == "chronology.csv: 3 rows read: 3 used"


def test_a_row_naming_no_child_is_a_failure_of_the_batch(tmp_path):
    """It went to errors.csv while the batch said '0 failed' and exited 0."""
    path = tmp_path / "chronology.csv"
    path.write_text(
        "child_id,date,event,category\nA1,01/02/2016,E,referral\nB2,01/02/2016,E,referral\n"
        ",01/02/2016,E2,referral\n",
        encoding="utf-8",
    )
    result = invoke("batch", path, "--out", tmp_path / "out", "--jobs", "1", "--quiet")
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"wrote {tmp_path / 'out'}: 2 children drawn, 1 failed (1 row naming no child),"
        " 0 sibling groups",
        "chronology.csv: 3 rows read: 2 used, 1 with errors",
    ]


# --- the public SSDA903 and CIN samples: a batch accounts for every row of every file --------

SAMPLES = [
    "d2i-csc-validator-be-903",
    "d2i-cs-demand-model",
    "sf-cs-demand-model-regional",
    "sf-liia-tools/SSDA903_2020_episodes.csv",
    "sf-liia-tools/SSDA903_episodes_for_testing_fixes_INPUT.csv",
    "sf-liia-tools-pipeline",
    "d2i-csc-validator-be-cin/CIN2rows.xml",
    "d2i-csc-validator-be-cin/CIN_Census_2021.xml",
    "d2i-csc-validator-be-cin/CIN_Census_2021_no_assessment_factors.xml",
    "d2i-csc-validator-be-cin/CIN_Census_2024.xml",
    "d2i-csc-validator-be-cin/CIN_Census_2026.xml",
    "d2i-csc-validator-be-cin/CIN_header_issues_100.xml",
    "d2i-csc-validator-be-cin/CIN_la_issues_2887Q.xml",
    "d2i-csc-validator-be-cin/fake_CIN_data.xml",
    "sf-liia-tools/cin-2022.xml",
    "sf-liia-tools-pipeline/BAR_cin_2022.xml",
]


def rows_in(path: Path) -> int:
    """Data rows of a CSV (non-blank records after the heading) or <Child> elements of XML,
    counted here without timelines."""
    import csv
    import xml.etree.ElementTree as ET

    if path.suffix == ".xml":
        return sum(1 for e in ET.parse(path).iter() if e.tag.rsplit("}", 1)[-1] == "Child")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        records = [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
    return len(records) - 1


@pytest.mark.parametrize("sample", SAMPLES)
def test_batch_accounts_for_every_row_of_the_public_samples(sample, tmp_path):
    import csv

    from helpers import reference

    from timelines.load.ssda903 import find_ssda903_files

    source = reference(*sample.split("/"))
    out = tmp_path / "out"
    result = invoke("batch", source, "--out", out, "--jobs", "2", "--quiet")
    assert result.exit_code in (0, 2), result.output
    with (out / "accounting.csv").open(encoding="utf-8", newline="") as handle:
        counts = list(csv.DictReader(handle))
    if source.is_dir():
        tables = {p.name for paths in find_ssda903_files(source).values() for p in paths}
    else:
        tables = {source.name}
    assert {c["file"] for c in counts} == tables
    for count in counts:
        read, used, merged, errors, left_out = (
            int(count[k]) for k in ("read", "used", "merged", "errors", "left_out")
        )
        assert read == rows_in(source / count["file"] if source.is_dir() else source), count
        assert read == used + merged + errors + left_out, count
        assert f"{count['file']}: {read:,} " in result.output


def test_a_file_that_cannot_be_read_is_named_in_the_accounting(tmp_path):
    good = tmp_path / "chronology.csv"
    good.write_text("child_id,date,event\nC1,01/02/2016,A\n", encoding="utf-8")
    (tmp_path / "placements.csv").write_bytes(b"%PDF-1.4 not a table")
    result = invoke("validate", tmp_path)
    assert result.exit_code == 1
    assert result.output.splitlines()[-3:] == [
        "chronology.csv: 1 row read: 1 used",
        "placements.csv: not read (see the error above)",
        "1 error, 0 warnings",
    ]
    census = tmp_path / "cin.xml"
    census.write_text("<Message><Child>", encoding="utf-8")
    assert invoke("validate", census).output.splitlines()[-2] == (
        "cin.xml: not read (see the error above)"
    )
    episodes = tmp_path / "903"
    episodes.mkdir()
    (episodes / "episodes.csv").write_text(
        'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE\n1,"01/02/2016\n',
        encoding="utf-8",
    )
    assert invoke("validate", episodes).output.splitlines()[-2] == (
        "episodes.csv: not read (see the error above)"
    )
