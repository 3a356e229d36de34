"""load_contract: the three tables become a Dataset, and every problem is named exactly."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from timelines.load.contract import (
    ALIASES,
    load_contract,
    load_folder,
)
from timelines.model.records import Dataset

DATA = Path(__file__).parent / "data" / "contract"
TODAY = date(2024, 6, 1)

CHRONOLOGY = """date,event,category
12/03/2015,Born,birth
March 2016,Referral from school,referral
c. 2016,Contact with father stopped,contact
?22/05/2016,Children's Hearing,hearing
"""
PLACEMENTS = """start_date,end_date,placement_type,carer
01/04/2016,30/09/2016,foster care,Carer A
30/09/2016,,Kinship care,Aunt
"""


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def load(
    tmp_path: Path,
    chronology: str = CHRONOLOGY,
    placements: str | None = None,
    children: str | None = None,
    **kwargs,
) -> Dataset:
    kwargs.setdefault("today", TODAY)
    return load_contract(
        write(tmp_path, "chronology.csv", chronology),
        write(tmp_path, "placements.csv", placements) if placements is not None else None,
        write(tmp_path, "children.csv", children) if children is not None else None,
        **kwargs,
    )


def messages(dataset: Dataset) -> list[str]:
    return [str(p) for p in dataset.problems]


# --- a clean load ---------------------------------------------------------------------------


def test_one_child_clean(tmp_path):
    data = load(tmp_path, placements=PLACEMENTS, child_id="C1", name="Sam")
    assert messages(data) == []
    assert [e.label for e in data.events] == [
        "Born",
        "Referral from school",
        "Contact with father stopped",
        "Children's Hearing",
    ]
    assert [e.category for e in data.events] == ["birth", "referral", "contact", "hearing"]
    assert {e.child_id for e in data.events} == {"C1"}
    assert [(p.start, p.end, p.placement_type, p.carer) for p in data.placements] == [
        (date(2016, 4, 1), date(2016, 9, 30), "foster", "Carer A"),
        (date(2016, 9, 30), None, "kinship", "Aunt"),
    ]
    (child,) = data.children
    assert (child.child_id, child.name, child.date_of_birth) == ("C1", "Sam", date(2015, 3, 12))
    assert data.events[1].origin.file == "chronology.csv"
    assert data.events[1].origin.row == 3


def test_child_id_defaults_to_child(tmp_path):
    data = load(tmp_path)
    assert data.child_ids() == ["child"]


def test_uncertain_dates_are_parsed_with_their_span(tmp_path):
    events = load(tmp_path).events
    assert (events[1].when.precision, events[1].when.start, events[1].when.end) == (
        "month",
        date(2016, 3, 1),
        date(2016, 3, 31),
    )
    assert (events[2].when.precision, events[2].when.approximate) == ("year", True)
    assert (events[3].when.start, events[3].when.approximate) == (date(2016, 5, 22), True)


def test_headings_any_case_and_aliases(tmp_path):
    chronology = " Event Date ,DESCRIPTION, Type ,Notes\n01/02/2016,Hearing,Hearing,x\n"
    placements = "From,To,Placement,Carer Name\n01/02/2016,,residential care,Unit 1\n"
    children = "Child,Child Name,DOB\nC9,Zoë,12/03/2015\n"
    data = load(tmp_path, chronology, placements, children)
    assert messages(data) == []
    event = data.events[0]
    assert (event.label, event.category, event.detail, event.child_id) == (
        "Hearing",
        "hearing",
        "x",
        "C9",
    )
    assert (data.placements[0].placement_type, data.placements[0].carer) == (
        "residential",
        "Unit 1",
    )
    assert data.children[0].name == "Zoë"


def test_alias_table_lists_each_field_under_its_own_name_first():
    for fields in ALIASES.values():
        for name, accepted in fields.items():
            assert accepted[0] == name


def test_windows_1252_files(tmp_path):
    path = write(tmp_path, "children.csv", "child_id,name\r\nC1,Zoë\r\n", "cp1252")
    chronology = write(
        tmp_path, "chronology.csv", "date,event\r\n01/02/2016,Paid £20\r\n", "cp1252"
    )
    data = load_contract(chronology, children=path, today=TODAY)
    assert data.children[0].name == "Zoë"
    assert data.events[0].label == "Paid £20"


def test_formula_text_is_kept_literally(tmp_path):
    data = load(tmp_path, 'date,event,detail\n01/02/2016,=HYPERLINK("x"),=1+1\n')
    assert (data.events[0].label, data.events[0].detail) == ('=HYPERLINK("x")', "=1+1")


def test_key_and_redact_flags(tmp_path):
    chronology = "date,event,key,redact\n" + "".join(
        f"0{i}/02/2016,E{i},{key},{redact}\n"
        for i, (key, redact) in enumerate([("yes", "N"), ("Y", "true"), ("", "0"), ("1", "")], 1)
    )
    data = load(tmp_path, chronology)
    assert [(e.key, e.redact) for e in data.events] == [
        (True, False),
        (True, True),
        (False, False),
        (True, False),
    ]


def test_excel_serial_number_left_in_a_date_cell(tmp_path):
    data = load(tmp_path, "date,event\n42430,Moved\n", "start_date,end_date,type\n42430,,foster\n")
    assert data.events[0].when.start == date(2016, 3, 1)
    assert data.placements[0].start == date(2016, 3, 1)


def test_a_time_of_day_after_a_date_is_ignored(tmp_path):
    """Excel writes date cells to CSV with a time ('01/03/2016 00:00')."""
    events = "date,event\n01/03/2016 00:00,Moved\n2016-03-02T14:30:00,Review\n"
    placements = "start_date,end_date,type\n01/03/2016 00:00,02/04/2016 09:15,foster\n"
    data = load(tmp_path, events, placements)
    assert [e.when.start for e in data.events] == [date(2016, 3, 1), date(2016, 3, 2)]
    assert not any(e.when.uncertain for e in data.events)
    assert (data.placements[0].start, data.placements[0].end) == (
        date(2016, 3, 1),
        date(2016, 4, 2),
    )
    assert [p for p in data.problems if p.severity == "error"] == []


# --- categories and placement types ---------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "code"),
    [
        ("LAC review", "review"),
        ("CP", "child_protection"),
        ("Children's Hearing", "hearing"),
        ("child protection", "child_protection"),
        ("ADM decision", "decision"),
        ("Permanence panel", "panel"),
        ("reviews", "review"),
        ("Other", "other"),
    ],
)
def test_category_words(tmp_path, words, code):
    data = load(tmp_path, f"date,event,category\n01/02/2016,E,{words}\n")
    assert messages(data) == []
    assert data.events[0].category == code


@pytest.mark.parametrize(
    ("words", "code"),
    [
        ("foster care", "foster"),
        ("residential care", "residential"),
        ("kinship care", "kinship"),
        ("adoption", "adoptive"),
        ("prospective adopters", "adoptive"),
        ("at home", "home"),
        ("home", "home"),
        ("CSO", "home"),
        ("At home (CSO)", "home"),
        ("Foster carers", "foster"),
        ("Secure", "secure"),
    ],
)
def test_placement_words(tmp_path, words, code):
    data = load(tmp_path, placements=f"start_date,end_date,placement_type\n01/02/2016,,{words}\n")
    assert messages(data) == []
    assert data.placements[0].placement_type == code


def test_unknown_category_is_other_with_a_warning(tmp_path):
    data = load(tmp_path, "date,event,category\n01/02/2016,Core group,meeting\n")
    assert messages(data) == [
        'chronology.csv, row 2, column "category": unknown category "meeting"; drawn as other'
    ]
    assert data.problems[0].severity == "warning"
    assert data.events[0].category == "other"


def test_unknown_placement_type_is_other_keeping_its_words(tmp_path):
    data = load(tmp_path, placements="start_date,end_date,type\n01/02/2016,,Supported lodgings\n")
    assert messages(data) == [
        'placements.csv, row 2, column "type": unknown placement type "Supported lodgings";'
        " drawn as other"
    ]
    assert (data.placements[0].placement_type, data.placements[0].code) == (
        "other",
        "Supported lodgings",
    )


def test_template_vocabulary_adds_codes(tmp_path):
    data = load(
        tmp_path,
        "date,event,category\n01/02/2016,E,Sibling visit\n",
        "start_date,end_date,placement_type\n01/02/2016,,supported-lodgings\n",
        vocabulary={"sibling_visit", "supported_lodgings"},
    )
    assert messages(data) == []
    assert data.events[0].category == "sibling_visit"
    assert data.placements[0].placement_type == "supported_lodgings"


# --- errors, word for word ------------------------------------------------------------------


def test_missing_required_column(tmp_path):
    data = load_contract(
        write(tmp_path, "chronology.csv", "when happened,event\n01/02/2016,A\n02/02/2016,B\n")
    )
    counts = data.counts
    assert messages(data) == [
        'chronology.csv, column "date": missing required column "date"',
        'chronology.csv, column "when happened": this column is not used',
    ]
    assert data.events == ()
    assert (counts[0].read, counts[0].records, counts[0].errors) == (2, 0, 2)


def test_placements_need_an_end_date_column(tmp_path):
    data = load(tmp_path, placements="start_date,placement_type\n01/02/2016,foster\n")
    assert messages(data) == [
        'placements.csv, column "end_date": missing required column "end_date"'
    ]
    assert data.placements == ()


def test_impossible_date(tmp_path):
    data = load(tmp_path, "date,event\n01/02/2016,A\n02/02/2016,B\n31/02/2017,C\n")
    assert messages(data) == [
        'chronology.csv, row 4, column "date": '
        "'31/02/2017' is not a real date (February 2017 has 28 days)"
    ]
    assert [e.label for e in data.events] == ["A", "B"]


def test_unreadable_date_and_empty_cells(tmp_path):
    data = load(tmp_path, "date,event,key\nsoon,A,\n,B,\n01/02/2016,,maybe\n")
    assert messages(data) == [
        "chronology.csv, row 2, column \"date\": 'soon' is not a date (expected dd/mm/yyyy)",
        'chronology.csv, row 3, column "date": no date given',
        'chronology.csv, row 4, column "event": no event given',
        'chronology.csv, row 4, column "key": "maybe" is not yes or no',
    ]
    assert data.events == ()


def test_placement_dates_must_be_single_days(tmp_path):
    data = load(tmp_path, placements="start_date,end_date,placement_type\nMarch 2016,,foster\n")
    assert messages(data) == [
        'placements.csv, row 2, column "start_date": '
        "'March 2016' is not a single day (expected dd/mm/yyyy)"
    ]


def test_placement_ends_before_it_starts(tmp_path):
    placements = "start_date,end_date,placement_type\n05/03/2016,01/02/2016,foster\n"
    assert messages(load(tmp_path, placements=placements)) == [
        'placements.csv, row 2, column "end_date": '
        "placement ends (01/02/2016) before it starts (05/03/2016)"
    ]


def test_placement_start_blank(tmp_path):
    placements = "start_date,end_date,placement_type,carer\n,01/02/2016,foster,\n,,kinship,\n,,,A\n"
    assert messages(load(tmp_path, placements=placements)) == [
        'placements.csv, row 2, column "start_date": end date given but no start date',
        'placements.csv, row 3, column "start_date": no start date given',
        'placements.csv, row 4, column "start_date": no start date given',
        'placements.csv, row 4, column "placement_type": no placement type given',
    ]


# --- warnings -------------------------------------------------------------------------------


def test_overlapping_placements(tmp_path):
    placements = (
        "start_date,end_date,placement_type\n"
        "01/02/2016,01/06/2016,foster\n"
        "10/03/2016,12/03/2016,respite foster\n"
        "01/06/2016,,kinship\n"
        "01/07/2016,02/07/2016,foster\n"
    )
    data = load(tmp_path, placements=placements, vocabulary={"respite_foster"})
    assert messages(data) == [
        'placements.csv, row 3, column "start_date": '
        "placement overlaps the one starting 01/02/2016 (row 2)",
        'placements.csv, row 5, column "start_date": '
        "placement starts while the one starting 01/06/2016 (row 4) has no end date",
    ]
    assert all(p.severity == "warning" for p in data.problems)
    assert len(data.placements) == 4


def test_event_before_birth_and_dates_in_the_future(tmp_path):
    chronology = (
        "date,event,category\n12/03/2015,Born,birth\n01/01/2015,Pre-birth conference,cp\n"
        "2013,Sibling removed,family\nMarch 2015,Referral,referral\n01/07/2024,Next hearing,\n"
    )
    placements = "start_date,end_date,placement_type\n01/03/2015,03/07/2024,foster\n"
    assert messages(load(tmp_path, chronology, placements)) == [
        'chronology.csv, row 4, column "date": '
        "event is more than 10 months before the date of birth (12/03/2015)",
        "chronology.csv, row 6, column \"date\": '01/07/2024' is in the future",
        "placements.csv, row 2, column \"end_date\": '03/07/2024' is in the future",
        'placements.csv, row 2, column "start_date": '
        "placement starts before the date of birth (12/03/2015)",
    ]


def test_duplicate_rows_are_kept_with_a_warning(tmp_path):
    data = load(tmp_path, "date,event\n01/02/2016,A\n02/02/2016,B\n01/02/2016, A \n")
    assert messages(data) == ["chronology.csv, row 4: same as row 2; both are kept"]
    assert [e.label for e in data.events] == ["A", "B", "A"]


def test_extra_cells_and_unused_columns_are_reported(tmp_path):
    data = load(tmp_path, "date,event,worker\n01/02/2016,A,B,C\n")
    assert messages(data) == [
        'chronology.csv, column "worker": this column is not used',
        'chronology.csv, row 2, column "D": row has 4 cells but there are only 3 column'
        ' headings (is there a comma that is not in quotes?); the row is not read: "C"',
    ]


def test_headings_without_rows(tmp_path):
    assert messages(load(tmp_path, "date,event\n")) == [
        "chronology.csv: the file has column headings but no rows"
    ]


# --- date of birth and name -----------------------------------------------------------------


def test_date_of_birth_sources_agree_or_warn(tmp_path):
    children = "child_id,name,date_of_birth\nC1,Sam,14/03/2015\n"
    data = load(tmp_path, children=children)
    assert data.children[0].date_of_birth == date(2015, 3, 14)
    assert messages(data) == [
        'chronology.csv, row 2, column "date": date of birth 12/03/2015 differs from'
        " 14/03/2015 (children.csv, row 2); 14/03/2015 is used"
    ]


def test_date_of_birth_given_wins(tmp_path):
    data = load(tmp_path, dob="13/03/2015", name="Sam")
    assert (data.children[0].name, data.children[0].date_of_birth) == ("Sam", date(2015, 3, 13))
    assert messages(data) == [
        'chronology.csv, row 2, column "date": date of birth 12/03/2015 differs from'
        " 13/03/2015 (given as dob); 13/03/2015 is used"
    ]


def test_bad_date_of_birth_given(tmp_path):
    assert messages(load(tmp_path, dob="2015")) == [
        "date of birth: '2015' is not a single day (expected dd/mm/yyyy)"
    ]


def test_date_of_birth_in_children_file_must_be_a_day(tmp_path):
    data = load(tmp_path, "date,event\n01/02/2016,A\n", children="child_id,dob\nC1,31/09/2015\n")
    assert messages(data) == [
        "children.csv, row 2, column \"dob\": '31/09/2015' is not a real date"
        " (September 2015 has 30 days)"
    ]


# --- several children -----------------------------------------------------------------------


def test_several_children_are_all_kept(tmp_path):
    data = load_folder(DATA / "siblings", today=TODAY)
    assert messages(data) == []
    assert data.child_ids() == ["S1", "S2"]
    assert [(c.name, c.date_of_birth, c.sibling_group) for c in data.children] == [
        ("Sam Example", date(2012, 6, 14), "G1"),
        ("Alex Example", date(2014, 9, 2), "G1"),
    ]
    assert len(data.events) == 9
    assert len(data.placements) == 4


def test_child_id_picks_one_child(tmp_path):
    data = load_contract(
        DATA / "siblings" / "chronology.csv",
        DATA / "siblings" / "placements.csv",
        DATA / "siblings" / "children.csv",
        child_id="S2",
        today=TODAY,
    )
    counts = data.counts
    assert messages(data) == []
    assert data.child_ids() == ["S2"]
    assert [e.label for e in data.events] == [
        "Born",
        "Referral from health visitor",
        "Accommodated with sibling",
        "Children's Hearing: CSO made",
    ]
    assert [(c.read, c.records, c.errors, c.left_out) for c in counts] == [
        (9, 4, 0, 5),
        (4, 2, 0, 2),
        (2, 1, 0, 1),
    ]


def test_unknown_child_id(tmp_path):
    data = load(tmp_path, "child_id,date,event\nC1,01/02/2016,A\n", child_id="C7")
    assert messages(data) == ["no child with id 'C7' in chronology.csv"]
    assert data.events == ()


def test_one_child_named_in_file_gives_every_record_its_id(tmp_path):
    data = load(
        tmp_path,
        "date,event\n01/02/2016,A\n",
        "start_date,end_date,placement_type\n01/02/2016,,foster\n",
        "child_id,name\nC1,Sam\n",
    )
    assert {r.child_id for r in (*data.events, *data.placements)} == {"C1"}


def test_several_children_need_ids_everywhere(tmp_path):
    data = load(
        tmp_path,
        "child_id,date,event\nC1,01/02/2016,A\nC2,01/02/2016,B\n,02/02/2016,C\n",
        "start_date,end_date,placement_type\n01/02/2016,,foster\n",
        name="Sam",
    )
    assert messages(data) == [
        "a name or date of birth was given but the files describe 2 children; choose one child_id",
        'chronology.csv, row 4, column "child_id": no child_id given (the files describe several)',
        'placements.csv, column "child_id": missing required column "child_id"'
        " (the files describe more than one child)",
    ]


def test_duplicate_child_in_children_file(tmp_path):
    data = load(tmp_path, children="child_id,name\nC1,Sam\nC1,Sammy\n")
    assert messages(data) == [
        'children.csv, row 3, column "child_id": child_id "C1" is already on row 2'
    ]
    assert [c.name for c in data.children] == ["Sam"]


# --- files and workbooks --------------------------------------------------------------------


@pytest.fixture
def workbook(tmp_path) -> Path:
    book = Workbook()
    chron = book.active
    chron.title = "Chronology"
    chron.append(["Date", "Event", "Category"])
    chron.append([datetime(2015, 3, 12), "Born", "birth"])
    chron.append(["March 2016", "Referral", "referral"])
    chron.append([date(2016, 4, 1), "Accommodated", "placement"])
    places = book.create_sheet("PLACEMENTS")
    places.append(["Start Date", "End Date", "Placement Type"])
    places.append([date(2016, 4, 1), None, "Foster care"])
    book.create_sheet("Children").append(["child_id", "name", "date_of_birth"])
    book["Children"].append(["C1", "Sam", datetime(2015, 3, 12)])
    path = tmp_path / "case.xlsx"
    book.save(path)
    return path


def test_one_workbook_holds_all_three_tables(workbook):
    data = load_contract(workbook, today=TODAY)
    assert messages(data) == []
    assert [e.when.label() for e in data.events] == ["12/03/2015", "Mar 2016", "01/04/2016"]
    assert [(p.start, p.placement_type, p.child_id) for p in data.placements] == [
        (date(2016, 4, 1), "foster", "C1")
    ]
    assert data.children[0].date_of_birth == date(2015, 3, 12)
    assert data.events[0].origin.file == "case.xlsx [Chronology]"


def test_workbook_tables_can_be_replaced_by_files(tmp_path, workbook):
    placements = write(
        tmp_path, "other.csv", "start_date,end_date,placement_type\n01/05/2016,,kinship\n"
    )
    data = load_contract(workbook, placements, today=TODAY)
    assert [p.placement_type for p in data.placements] == ["kinship"]


def test_folder_with_one_workbook(tmp_path, workbook):
    assert len(load_folder(tmp_path, today=TODAY).events) == 3


def test_folder_without_chronology(tmp_path):
    write(tmp_path, "placements.csv", "start_date,end_date,placement_type\n01/05/2016,,kinship\n")
    data = load_folder(tmp_path, today=TODAY)
    assert messages(data) == [
        f"{tmp_path.name}: no chronology.csv or chronology.xlsx in the folder"
    ]
    assert len(data.placements) == 1


def test_unreadable_files_are_problems_and_loading_goes_on(tmp_path):
    bad = tmp_path / "placements.csv"
    bad.write_bytes(b"%PDF-1.4 binary")
    data = load_contract(
        write(tmp_path, "chronology.csv", CHRONOLOGY),
        bad,
        tmp_path / "children.csv",
        today=TODAY,
    )
    assert messages(data) == [
        "placements.csv: not a text file (it looks like a PDF); save the table as .csv or .xlsx",
        "children.csv: file not found",
    ]
    assert len(data.events) == 4


def test_missing_chronology_file(tmp_path):
    assert messages(load_contract(tmp_path / "chronology.csv")) == [
        "chronology.csv: file not found"
    ]


# --- nothing silently dropped ---------------------------------------------------------------


def test_every_row_is_a_record_or_an_error(tmp_path):
    chronology = (
        "date,event,category,key\n"
        "12/03/2015,Born,birth,\n"
        "31/02/2016,Bad date,hearing,\n"
        ",\n"
        "March 2016,Referral,nonsense,\n"
        "01/04/2016,,review,\n"
        "01/04/2016,Flag,review,perhaps\n"
        'c. 2017,=HYPERLINK("x"),contact,yes\n'
        "12/03/2015,Born,birth,\n"
    )
    placements = (
        "start_date,end_date,placement_type\n01/04/2016,01/03/2016,foster\n"
        "01/04/2016,,foster\n,,\n02/04/2016,,kinship\n"
    )
    data = load_contract(
        write(tmp_path, "chronology.csv", chronology),
        write(tmp_path, "placements.csv", placements),
        today=TODAY,
    )
    counts = data.counts
    chron, places = counts
    assert (chron.read, chron.records, chron.errors) == (7, 4, 3)
    assert (places.read, places.records, places.errors) == (3, 2, 1)
    assert chron.balanced and places.balanced
    for count, records in ((chron, data.events), (places, data.placements)):
        error_rows = {
            p.row for p in data.problems if p.severity == "error" and p.file == count.file
        }
        record_rows = {r.origin.row for r in records}
        assert not error_rows & record_rows
        assert len(error_rows) + len(record_rows) == count.read


def test_folder_prefers_csv_when_both_kinds_are_there(tmp_path, workbook):
    workbook.rename(tmp_path / "chronology.xlsx")
    write(tmp_path, "chronology.csv", CHRONOLOGY)
    data = load_folder(tmp_path, today=TODAY)
    assert messages(data)[0] == (
        f"{tmp_path.name}: both chronology.csv and chronology.xlsx found; using chronology.csv"
    )
    assert len(data.events) == 4


def test_folder_not_found(tmp_path):
    assert messages(load_folder(tmp_path / "nowhere")) == [
        f"{tmp_path / 'nowhere'}: folder not found"
    ]
