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

from timelines.load.contract import load_contract_counted
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
    return load_contract_counted(
        files["chronology"],
        files["placements"],
        files["children"],
        child_id="A1",
        today=date(2024, 6, 1),
    )


def error_rows(problems, file: str) -> set[int]:
    return {p.row for p in problems if p.severity == "error" and p.file == file}


def test_every_row_is_counted_once(files):
    dataset, counts = load(files)
    by_file = {c.file: c for c in counts}
    assert all(c.balanced for c in counts)
    chronology = by_file["chronology.csv"]
    assert chronology.read == 14  # the blank row is not a data row
    assert chronology.other_children == 1
    assert chronology.errors == len(error_rows(dataset.problems, "chronology.csv"))
    assert chronology.records == len(dataset.record("A1").events)
    placements = by_file["placements.csv"]
    assert placements.read == 5
    assert placements.other_children == 1
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
    dataset, counts = load_contract_counted(path, today=date(2024, 6, 1))
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
        dataset, counts = load_contract_counted(path, child_id="A1", today=date(2024, 6, 1))
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
