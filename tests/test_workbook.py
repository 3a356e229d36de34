"""The blank template workbook: sheets, drop-down lists, date formats, and a round trip."""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from helpers import disk_use
from openpyxl import Workbook, load_workbook

from timelines.analyse.milestones import MILESTONE_CODES
from timelines.export.workbook import (
    COLUMNS,
    ROWS,
    filled_workbook,
    filled_workbook_bytes,
    write_template_workbook,
)
from timelines.load.contract import ALIASES, load_contract
from timelines.load.inputs import detect_format, load_inputs
from timelines.model.problems import TimelinesError
from timelines.model.vocab import CATEGORIES, PLACEMENT_TYPES

TODAY = date(2024, 6, 1)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "sam.xlsx"
    write_template_workbook(path)
    return path


def headings(sheet) -> list[str]:
    return [cell.value for cell in sheet[1] if cell.value]


def validations(sheet) -> dict[str, tuple[str, str | None]]:
    """Cell range -> (type, list formula)."""
    return {
        str(check.sqref): (check.type, check.formula1)
        for check in sheet.data_validations.dataValidation
    }


def test_sheets_and_their_columns_follow_the_contract(template):
    book = load_workbook(template)
    assert book.sheetnames == ["instructions", "children", "chronology", "placements"]
    assert headings(book["chronology"]) == [
        "child_id",
        "date",
        "event",
        "category",
        "detail",
        "source",
        "key",
        "redact",
        "milestone",
    ]
    assert headings(book["placements"]) == [
        "child_id",
        "start_date",
        "end_date",
        "placement_type",
        "carer",
        "reason",
    ]
    assert headings(book["children"]) == [
        "child_id",
        "name",
        "date_of_birth",
        "sibling_group",
        "sex",
    ]
    for sheet, columns in COLUMNS.items():
        assert {name for name, _, _ in columns} == set(ALIASES[sheet])


def test_headings_are_bold_frozen_and_sized(template):
    book = load_workbook(template)
    for name in ("children", "chronology", "placements"):
        sheet = book[name]
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1] if cell.value)
    assert book["chronology"].column_dimensions["C"].width == 44


def test_drop_down_lists_and_date_checks(template):
    book = load_workbook(template)
    last = ROWS + 1
    assert validations(book["chronology"]) == {
        f"D2:D{last}": ("list", '"' + ",".join(CATEGORIES) + '"'),
        f"G2:G{last}": ("list", '"yes,no"'),
        f"H2:H{last}": ("list", '"yes,no"'),
        f"I2:I{last}": ("list", '"' + ",".join(MILESTONE_CODES) + '"'),
    }
    assert validations(book["placements"]) == {
        f"B2:B{last}": ("date", "DATE(1900,1,1)"),
        f"C2:C{last}": ("date", "DATE(1900,1,1)"),
        f"D2:D{last}": ("list", '"' + ",".join(PLACEMENT_TYPES) + '"'),
    }
    assert validations(book["children"]) == {f"C2:C{last}": ("date", "DATE(1900,1,1)")}
    category = book["chronology"].data_validations.dataValidation[0]
    assert category.errorStyle == "warning"  # templates may add categories


def test_date_formats(template):
    book = load_workbook(template)
    placements, chronology = book["placements"], book["chronology"]
    assert placements["B2"].number_format == "dd/mm/yyyy"
    assert placements[f"C{ROWS + 1}"].number_format == "dd/mm/yyyy"
    assert book["children"]["C2"].number_format == "dd/mm/yyyy"
    # Text, so that '03/2016' and '2014' stay as written and are not turned into days.
    assert chronology["B2"].number_format == "@"


def test_instructions_explain_dates_and_how_to_render(template):
    sheet = load_workbook(template)["instructions"]
    text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "timelines render sam.xlsx" in text
    for example in ("22/05/2016", "03/2016", "c. 2014", "March 2016"):
        assert example in text
    for column in ("child_id", "placement_type", "sibling_group", "redact"):
        assert column in text


def test_filled_in_template_round_trips_into_a_dataset(template, tmp_path):
    book = load_workbook(template)
    book["children"].append(["C1", "Sam", datetime(2012, 3, 4)])
    chronology = book["chronology"]
    chronology["A2"], chronology["B2"], chronology["C2"] = (
        "C1",
        datetime(2016, 5, 22),
        "Accommodated",
    )
    chronology["D2"], chronology["G2"] = "placement", "yes"
    chronology["A3"], chronology["B3"], chronology["C3"] = "C1", "03/2016", "Referral from school"
    chronology["D3"] = "referral"
    placements = book["placements"]
    placements["A2"], placements["B2"], placements["C2"] = "C1", datetime(2016, 5, 22), None
    placements["C2"], placements["D2"], placements["E2"] = datetime(2017, 1, 2), "foster", "Carer A"
    placements["A3"], placements["B3"], placements["D3"] = "C1", datetime(2017, 1, 2), "kinship"
    filled = tmp_path / "filled.xlsx"
    book.save(filled)

    dataset = load_contract(filled, today=TODAY)
    assert dataset.problems == ()
    assert [(c.child_id, c.name, c.date_of_birth) for c in dataset.children] == [
        ("C1", "Sam", date(2012, 3, 4))
    ]
    assert [(e.when.label(), e.label, e.category, e.key) for e in dataset.events] == [
        ("22/05/2016", "Accommodated", "placement", True),
        ("Mar 2016", "Referral from school", "referral", False),
    ]
    assert [(p.start, p.end, p.placement_type) for p in dataset.placements] == [
        (date(2016, 5, 22), date(2017, 1, 2), "foster"),
        (date(2017, 1, 2), None, "kinship"),
    ]


def test_written_atomically_over_an_old_file(tmp_path):
    path = tmp_path / "template.xlsx"
    path.write_text("old", encoding="utf-8")
    write_template_workbook(path)
    assert [p.name for p in tmp_path.iterdir()] == ["template.xlsx"]  # no temporary file left
    assert load_workbook(path).sheetnames[0] == "instructions"
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask  # the usual mode, not private


def test_refused_names_and_folders(tmp_path):
    with pytest.raises(TimelinesError, match="folder not found"):
        write_template_workbook(tmp_path / "missing" / "template.xlsx")
    with pytest.raises(TimelinesError, match="template.csv: the template workbook must be named"):
        write_template_workbook(tmp_path / "template.csv")
    assert list(tmp_path.iterdir()) == []


def fill(sheet, *rows: list) -> None:
    """Type rows under the heading, from row 2, as a person would in Excel."""
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(number, column, value)


def test_one_child_workbook_needs_no_child_ids(template, tmp_path):
    """Filled in as Excel leaves it: date cells, dates typed as text, cleared rows."""
    book = load_workbook(template)
    fill(book["children"], [None, "Seònaid", datetime(2019, 8, 14)])
    fill(
        book["chronology"],
        [None, "14/08/2019", "Birth", "birth"],
        [None, datetime(2021, 2, 19, 0, 0), "Accommodated", "placement", "", "", "yes"],
        [None, "c. 2020", "Gran unwell", "family"],
        ["", "", " ", ""],  # a row whose cells were cleared
    )
    fill(
        book["placements"],
        [None, datetime(2021, 2, 19), "26/04/2021", "foster", "Mr & Mrs Duncan"],
        [None, "26/04/2021", None, "kinship", "Gran"],
        [None, None, None, None],
    )
    filled = tmp_path / "seonaid.xlsx"
    book.save(filled)

    assert detect_format(filled) == "contract"
    dataset = load_inputs(filled, today=TODAY)
    assert dataset.problems == ()
    assert [(c.child_id, c.name, c.date_of_birth) for c in dataset.children] == [
        ("child", "Seònaid", date(2019, 8, 14))
    ]
    assert [(e.when.label(), e.label) for e in dataset.events] == [
        ("14/08/2019", "Birth"),
        ("19/02/2021", "Accommodated"),
        ("c. 2020", "Gran unwell"),
    ]
    assert [(p.start, p.end, p.placement_type) for p in dataset.placements] == [
        (date(2021, 2, 19), date(2021, 4, 26), "foster"),
        (date(2021, 4, 26), None, "kinship"),
    ]


def test_two_children_without_ids_in_the_children_sheet_are_refused(template, tmp_path):
    book = load_workbook(template)
    fill(book["children"], [None, "Sam"], [None, "Alex"])
    fill(book["chronology"], [None, "01/02/2020", "Referral"])
    filled = tmp_path / "two.xlsx"
    book.save(filled)
    dataset = load_inputs(filled, today=TODAY)
    assert [str(p) for p in dataset.problems if p.severity == "error"] == [
        'two.xlsx [children], row 2, column "child_id": no child_id given',
        'two.xlsx [children], row 3, column "child_id": no child_id given',
    ]


def test_a_workbook_per_table_in_a_folder(tmp_path):
    tables = {
        "children": [["Child ID", "Name", "DOB"], ["C1", "Sam", datetime(2015, 3, 4)]],
        "chronology": [["child_id", "Date", "Event"], ["C1", datetime(2016, 1, 2), "Referral"]],
        "placements": [
            ["child_id", "start_date", "end_date", "placement_type"],
            ["C1", datetime(2016, 2, 1), None, "foster"],
            [None, None, None, None],
        ],
    }
    for name, rows in tables.items():
        book = Workbook()
        for row in rows:
            book.active.append(row)
        book.save(tmp_path / f"{name}.xlsx")
    assert detect_format(tmp_path) == "contract"
    dataset = load_inputs(tmp_path, today=TODAY)
    assert dataset.problems == ()
    assert dataset.children[0].date_of_birth == date(2015, 3, 4)
    assert [e.when.start for e in dataset.events] == [date(2016, 1, 2)]
    assert [(p.start, p.end) for p in dataset.placements] == [(date(2016, 2, 1), None)]


def test_instructions_say_what_each_placement_type_means(template):
    sheet = load_workbook(template)["instructions"]
    rows: dict[str, str] = {}
    for first, second in sheet.iter_rows(values_only=True):
        rows.setdefault(first, second)  # the children sheet's child_id comes first
    assert rows["placement_type"].startswith(
        "Pick from the list: home (looked after at home with parents, on a supervision order),"
        " kinship (with relatives or friends), foster (with foster carers),"
    )
    assert "leave child_id blank in every sheet" in rows["child_id"]


def test_a_filled_workbook_is_made_in_memory_as_openpyxls_save_makes_it():
    """openpyxl's ``save`` writes each sheet to a temporary file; ``workbook_bytes`` makes the
    same members in memory (a child's data never touches the disk)."""
    rows = {
        "chronology": [["C1", "01/02/2016", "Referral from school", "referral"], ["C1", "=1+1"]],
        "placements": [["C1", "03/03/2016", "", "foster", "Mrs A"]],
        "children": [["C1", "Seònaid", "14/08/2009"]],
    }
    with disk_use() as disk:
        ours = zipfile.ZipFile(io.BytesIO(filled_workbook_bytes(rows, "sam.xlsx")))
    assert disk.written == []
    saved = io.BytesIO()
    filled_workbook(rows, "sam.xlsx").save(saved)  # openpyxl's own way, through /tmp
    theirs = zipfile.ZipFile(saved)
    assert ours.namelist() == theirs.namelist()
    saved_at = re.compile(rb"<dcterms:modified[^<]*</dcterms:modified>")
    for name in theirs.namelist():
        assert saved_at.sub(b"", ours.read(name)) == saved_at.sub(b"", theirs.read(name)), name
    book = load_workbook(io.BytesIO(filled_workbook_bytes(rows)))
    assert book["children"]["B2"].value == "Seònaid"
    assert book["chronology"]["B3"].value == "=1+1" and book["chronology"]["B3"].data_type == "s"
