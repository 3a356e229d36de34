"""read_table: every way a spreadsheet export arrives, and files that are not tables."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from timelines.load.tables import find_sheet_names, normalise_heading, read_stream, read_table
from timelines.model.problems import InputError


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def from_text(text: str, name: str = "c.csv"):
    """A table read from bytes in memory, as an upload is: no file needed."""
    return read_stream(io.BytesIO(text.encode("utf-8")), name)


def failure(path: Path, sheet: str | None = None) -> str:
    with pytest.raises(InputError) as caught:
        read_table(path, sheet)
    (problem,) = caught.value.problems
    assert problem.severity == "error"
    return str(problem)


def test_utf8_with_bom_gives_clean_first_heading(tmp_path):
    path = write(tmp_path, "chronology.csv", b"\xef\xbb\xbfdate,event\n12/03/2015,Born\n")
    table = read_table(path)
    assert table.columns == ("date", "event")
    assert table.rows == ((2, {"date": "12/03/2015", "event": "Born"}),)


def test_utf8_without_bom(tmp_path):
    path = write(tmp_path, "c.csv", "name,carer\nZoë,Mrs Ó Súilleabháin\n")
    assert read_table(path).rows[0][1] == {"name": "Zoë", "carer": "Mrs Ó Súilleabháin"}


def test_windows_1252_falls_back(tmp_path):
    path = write(tmp_path, "c.csv", "name,note\r\nZoë,paid £20 – “bus”\r\n".encode("cp1252"))
    assert read_table(path).rows[0][1] == {"name": "Zoë", "note": "paid £20 – “bus”"}


def test_utf16_unicode_text_from_excel_is_tab_separated(tmp_path):
    path = write(tmp_path, "c.txt", "date\tevent\r\n12/03/2015\tZoë born\r\n".encode("utf-16"))
    table = read_table(path)
    assert table.rows == ((2, {"date": "12/03/2015", "event": "Zoë born"}),)


def test_crlf_and_blank_rows_keep_spreadsheet_row_numbers(tmp_path):
    text = "date,event\r\n01/01/2015,A\r\n,\r\n\r\n02/01/2015,B\r\n\r\n,,\r\n\r\n"
    table = from_text(text)
    assert [(n, cells["event"]) for n, cells in table.rows] == [(2, "A"), (5, "B")]
    assert all("\r" not in v for _, cells in table.rows for v in cells.values())
    assert table.problems == ()


def test_headings_are_stripped_and_normalised(tmp_path):
    path = write(
        tmp_path, "p.csv", " Start Date ,PLACEMENT-TYPE,  end   date\n01/01/2015,Foster,\n"
    )
    table = read_table(path)
    assert table.columns == ("start_date", "placement_type", "end_date")
    assert table.original_columns == ("Start Date", "PLACEMENT-TYPE", "end   date")
    assert table.original("placement_type") == "PLACEMENT-TYPE"
    assert normalise_heading("  Date of-Birth ") == "date_of_birth"


def test_cells_are_stripped_and_short_rows_padded(tmp_path):
    table = from_text("date,event,category\n 01/01/2015 ,  A \n")
    assert table.rows == ((2, {"date": "01/01/2015", "event": "A", "category": ""}),)


def test_heading_row_without_data(tmp_path):
    table = from_text("date,event\r\n\r\n")
    assert table.columns == ("date", "event")
    assert table.rows == ()


def test_heading_row_below_blank_lines_keeps_its_row_number(tmp_path):
    table = from_text("\n\ndate,event\n01/01/2015,A\n")
    assert table.header_row == 3
    assert table.rows[0][0] == 4


def test_duplicate_columns_are_an_error(tmp_path):
    path = write(tmp_path, "chronology.csv", "Date,event,date \n01/01/2015,A,B\n")
    assert failure(path) == (
        'chronology.csv, row 1, column "date": column "date" appears twice (columns A and C)'
    )


def test_trailing_blank_headings_are_dropped_and_inner_ones_named(tmp_path):
    table = from_text("date,,event,,\n01/01/2015,x,A,,\n")
    assert table.columns == ("date", "column_b", "event")
    assert table.original_columns == ("date", "", "event")
    assert table.original("column_b") == "column_b"
    assert table.rows[0][1]["column_b"] == "x"


def test_extra_cells_are_an_error_naming_row_and_column(tmp_path):
    text = "date,event,category\n01/01/2015,Hearing, CSO made,hearing\n02/01/2015,B,review,,\n"
    table = read_table(write(tmp_path, "chronology.csv", text))
    assert [str(p) for p in table.problems] == [
        'chronology.csv, row 2, column "D": row has 4 cells but there are only 3 column headings'
        ' (is there a comma that is not in quotes?); the row is not read: "hearing"'
    ]
    assert table.problems[0].severity == "error"
    assert table.bad_rows == {2}


def test_missing_cells_are_an_error_naming_row_and_column(tmp_path):
    text = "date,event,category\n01/01/2015,A,review\n02/01/2015,B\nreview\n"
    table = read_table(write(tmp_path, "chronology.csv", text))
    assert [str(p) for p in table.problems] == [
        'chronology.csv, row 3, column "category": row has 2 cells but there are 3 column'
        " headings (is a cell split over two lines without quotes?); the row is not read",
        'chronology.csv, row 4, column "event": row has 1 cell but there are 3 column'
        " headings (is a cell split over two lines without quotes?); the row is not read",
    ]
    assert table.bad_rows == {3, 4}


def test_an_unterminated_quote_is_an_error_not_swallowed_rows(tmp_path):
    text = (
        "date,event,category,detail\n01/01/2020,E1,review,ok\n"
        '02/01/2020,E2,review,"Mum said: I will stop\n03/01/2020,E3,review,ok\n'
        "04/01/2020,E4,review,ok\n"
    )
    assert failure(write(tmp_path, "c.csv", text)) == (
        'c.csv, row 3, column "detail": a cell starts with a quote (") that is never closed:'
        " every row after it would be read into this one cell; close the quote, or remove it"
    )


def test_a_quote_closed_too_early_is_an_error_naming_its_first_line(tmp_path):
    text = (
        'date,event,category\n01/01/2020,"two\nlines",review\n'
        '02/01/2020,"Mum said: I will stop\n03/01/2020,"E3",review\n'
    )
    assert failure(write(tmp_path, "c.csv", text)) == (
        'c.csv, row 3, column "event": a cell has text after its closing quote (")'
        ' (line 4 of the file); put the whole cell in quotes and double any quote inside it ("")'
    )


def test_validate_counts_the_unterminated_quote_as_an_error(tmp_path):
    from click.testing import CliRunner

    from timelines.cli import main

    text = (
        "date,event,category,detail\n01/01/2020,E1,review,ok\n"
        '02/01/2020,E2,review,"Mum said: I will stop\n03/01/2020,E3,review,ok\n'
    )
    result = CliRunner().invoke(main, ["validate", str(write(tmp_path, "c.csv", text))])
    assert result.exit_code == 1
    assert "never closed" in result.output
    assert "1 error, " in result.output


CELL = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cc", "Cs"), exclude_characters="\x1a"
    ),
    max_size=12,
)


@settings(max_examples=60, derandomize=True, database=None, deadline=None)
@given(st.integers(1, 6), st.data(), st.sampled_from([",", ";", "\t"]))
def test_every_line_of_a_well_formed_file_is_a_row(width, data, separator):
    """Whatever the cells hold (quotes, separators, spaces), each line written is one row."""
    import csv
    import io

    heading = [f"h{i}" for i in range(width)]
    rows = data.draw(st.lists(st.lists(CELL, min_size=width, max_size=width), max_size=15))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows([heading, *rows])
    stream = io.BytesIO(out.getvalue().encode("utf-8"))
    table = read_stream(stream, "c.csv")
    assert table.problems == () and table.bad_rows == frozenset()
    assert [n for n, _ in table.rows] == list(range(2, len(rows) + 2))
    assert [list(cells) for _, cells in table.rows] == [[c.strip() for c in r] for r in rows]


def test_formulas_are_kept_as_text(tmp_path):
    text = 'date,event\n01/01/2015,"=HYPERLINK(""http://x"",""report"")"\n02/01/2015,=1+1\n'
    table = from_text(text)
    assert [cells["event"] for _, cells in table.rows] == [
        '=HYPERLINK("http://x","report")',
        "=1+1",
    ]


def test_quoted_commas_and_line_breaks_count_as_one_row(tmp_path):
    text = 'date,event\n01/01/2015,"Hearing, CSO made"\n02/01/2015,"two\nlines"\n03/01/2015,C\n'
    table = from_text(text)
    assert [(n, c["event"]) for n, c in table.rows] == [
        (2, "Hearing, CSO made"),
        (3, "two\nlines"),
        (4, "C"),
    ]


@pytest.mark.parametrize("separator", [";", "\t"])
def test_semicolon_and_tab_separators(tmp_path, separator):
    text = separator.join(["date", "event", "detail"]) + "\n"
    text += separator.join(["01/01/2015", "A, with comma", "x"]) + "\n"
    table = from_text(text)
    assert table.rows[0][1] == {"date": "01/01/2015", "event": "A, with comma", "detail": "x"}


def test_missing_file(tmp_path):
    assert failure(tmp_path / "chronology.csv") == "chronology.csv: file not found"


def test_folder_instead_of_file(tmp_path):
    (tmp_path / "data.csv").mkdir()
    assert failure(tmp_path / "data.csv") == "data.csv: is a folder, not a file"


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b" \r\n\r\n", b",,,\r\n,,\r\n"])
def test_empty_file(tmp_path, data):
    assert failure(write(tmp_path, "chronology.csv", data)) == "chronology.csv: the file is empty"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"PK\x03\x04\x14\x00\x06\x00", "a zip file, such as an .xlsx workbook or a Word document"),
    ],
)
def test_known_binary_files_renamed_csv(tmp_path, data, kind):
    assert failure(write(tmp_path, "chronology.csv", data)) == (
        f"chronology.csv: not a text file (it looks like {kind}); save the table as .csv or .xlsx"
    )


@pytest.mark.parametrize("data", [b"date,event\n\x00\x01\x02\x03", bytes(range(1, 32)) * 20])
def test_other_binary_files(tmp_path, data):
    assert failure(write(tmp_path, "c.csv", data)) == (
        "c.csv: not a text file; save the table as .csv or .xlsx"
    )


def test_old_xls_is_refused(tmp_path):
    assert failure(write(tmp_path, "book.xls", b"\xd0\xcf\x11\xe0")) == (
        "book.xls: old Excel .xls files cannot be read; save it as .xlsx or .csv"
    )


# --- Excel -------------------------------------------------------------------------------


@pytest.fixture
def book(tmp_path) -> Path:
    workbook = Workbook()
    notes = workbook.active
    notes.title = "Notes"
    notes.append(["read me"])
    chron = workbook.create_sheet("Chronology")
    chron.append([" Date ", "Event", "Count", "Score"])
    chron.append([datetime(2015, 3, 12), "Born", 12.0, 2.5])
    chron.append([date(2016, 4, 1), "Accommodated", 3, None])
    chron.append([None, None, None, None])
    chron.append(["March 2017", "  Hearing  ", True, "=1+1 as text"])
    chron.cell(row=6, column=1).value = "c. 2018"
    workbook.create_sheet("placements").append(["start_date"])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    return path


def test_xlsx_sheet_by_name_any_case(book):
    table = read_table(book, "CHRONOLOGY")
    assert table.file == "book.xlsx [Chronology]"
    assert table.columns == ("date", "event", "count", "score")
    assert [n for n, _ in table.rows] == [2, 3, 5, 6]


def test_xlsx_cells_become_the_text_a_person_sees(book):
    rows = [cells for _, cells in read_table(book, "chronology").rows]
    assert rows[0] == {"date": "12/03/2015", "event": "Born", "count": "12", "score": "2.5"}
    assert rows[1] == {"date": "01/04/2016", "event": "Accommodated", "count": "3", "score": ""}
    assert rows[2]["date"] == "March 2017"
    assert rows[2]["event"] == "Hearing"
    assert rows[2]["count"] == "TRUE"
    assert rows[3]["date"] == "c. 2018"


def test_xlsx_first_sheet_by_default(book):
    table = read_table(book)
    assert table.file == "book.xlsx [Notes]"
    assert table.columns == ("read_me",)


def test_xlsx_unknown_sheet(book):
    assert failure(book, "children") == (
        'book.xlsx: no sheet called "children" (the sheets are "Notes", "Chronology", "placements")'
    )


def test_find_sheet_names(book):
    assert find_sheet_names(book) == ["Notes", "Chronology", "placements"]


def test_text_file_named_xlsx(tmp_path):
    path = write(tmp_path, "book.xlsx", "date,event\n")
    assert failure(path) == (
        "book.xlsx: not an Excel workbook, or a damaged one; save it again from Excel"
    )


# --- workbooks beyond sane limits are refused, quickly ---------------------------------------

_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats'
        '.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="chronology" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>'
    ),
}


def workbook_bomb(rows: str, dimension: str = "A1:XFD100000") -> bytes:
    """A small .xlsx whose one sheet's XML is ``rows`` (``<row>`` elements)."""
    import io
    import zipfile

    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in {**_PARTS, "xl/worksheets/sheet1.xml": sheet}.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_a_workbook_bomb_is_refused_in_a_moment(tmp_path):
    """100,000 rows with cells in A, B and XFD: 1.6 billion cells once padded (it took 8 GB
    and 3 minutes before failing); refused at its first row."""
    import time

    cell = '<c r="{c}{r}" t="inlineStr"><is><t>x</t></is></c>'
    rows = "".join(
        f'<row r="{r}">{cell.format(c="A", r=r)}{cell.format(c="B", r=r)}'
        f'<c r="XFD{r}"><v>1</v></c></row>'
        for r in range(1, 100_001)
    )
    path = write(tmp_path, "bomb.xlsx", workbook_bomb(rows))
    assert path.stat().st_size < 2_000_000
    started = time.perf_counter()
    assert failure(path) == (
        "bomb.xlsx, row 1: the sheet has a cell in column XFD, past column SF: more"
        " than timelines reads from a workbook (500,000 rows, 500 columns); save the table"
        " as .csv"
    )
    assert time.perf_counter() - started < 5


def test_a_workbook_of_too_many_rows_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("timelines.load.tables.MAX_SHEET_ROWS", 1000)
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>' for r in range(1, 1002))
    path = write(tmp_path, "many.xlsx", workbook_bomb(rows, "A1:A1001"))
    assert failure(path) == (
        "many.xlsx: the sheet has more than 1,000 rows: more than timelines reads from a"
        " workbook (1,000 rows, 500 columns); save the table as .csv"
    )


def test_a_workbook_that_unpacks_too_large_is_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr("timelines.load.tables.MAX_UNZIPPED_BYTES", 10_000)
    rows = "".join(f'<row r="{r}"/>' for r in range(1, 2000))
    path = write(tmp_path, "empty-rows.xlsx", workbook_bomb(rows, "A1:A2000"))
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: pytest.fail("parsed"))
    assert failure(path).startswith("empty-rows.xlsx: the workbook unpacks to 30,232 bytes")
    assert failure(path).endswith(
        " bytes, more than timelines reads (10,000 bytes); save the table as .csv"
    )
