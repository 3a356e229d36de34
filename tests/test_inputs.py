"""load_inputs: the format is told apart, loaded, and extra chronologies are merged in."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from helpers import (
    REFERENCE_ENV,
    REFERENCE_FALLBACK,
    find_reference_data,
    reference,
    reference_candidates,
)
from openpyxl import Workbook

from timelines.export.workbook import write_template_workbook
from timelines.load.inputs import (
    describe_child,
    detect_format,
    load_inputs,
    merge_datasets,
    row_children,
)
from timelines.model.problems import TimelinesError
from timelines.model.records import Child, Dataset, Origin

TODAY = date(2025, 1, 1)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def messages(dataset: Dataset) -> list[str]:
    return [str(p) for p in dataset.problems]


def test_detecting_formats(tmp_path):
    assert detect_format(reference("d2i-cs-demand-model")) == "ssda903"
    assert detect_format(reference("sf-liia-tools-pipeline")) == "ssda903"
    assert detect_format(reference("d2i-csc-validator-be-903", "episodes.csv")) == "ssda903"
    assert detect_format(reference("sf-liia-tools", "cin-2022.xml")) == "cin"
    write(tmp_path / "chronology.csv", "date,event\n01/02/2020,Born\n")
    write(tmp_path / "episodes.csv", "CHILD,DECOM\n")
    assert detect_format(tmp_path) == "contract"  # a chronology file wins
    assert detect_format(tmp_path / "chronology.csv") == "contract"
    write_template_workbook(tmp_path / "template.xlsx")
    assert detect_format(tmp_path / "template.xlsx") == "contract"
    assert detect_format(tmp_path / "missing.csv") == "contract"  # its loader says why


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(
        TimelinesError, match="unknown input format 'csv'; use one of contract, ssda903, cin"
    ):
        load_inputs(tmp_path, fmt="csv")


def test_ssda903_extract_for_one_child_with_name_and_date_of_birth():
    dataset = load_inputs(
        reference("d2i-cs-demand-model"),
        child_id="296227",
        name="Sam",
        dob="01/02/2010",
        today=TODAY,
    )
    assert [(c.child_id, c.name, c.date_of_birth) for c in dataset.children] == [
        ("296227", "Sam", date(2010, 2, 1))
    ]
    assert {p.child_id for p in dataset.placements} == {"296227"}
    assert (
        "date of birth given as 01/02/2010 but 2017-header.csv says 23/06/2002;"
        " 01/02/2010 is used" in messages(dataset)
    )


def test_ssda903_episodes_file_with_header_as_children():
    folder = reference("d2i-csc-validator-be-903")
    dataset = load_inputs(
        folder / "episodes.csv", children=folder / "header.csv", child_id="566910", today=TODAY
    )
    assert dataset.children[0].date_of_birth == date(2008, 3, 27)
    assert [p.code for p in dataset.placements] == ["T2", "A3"]
    with_placements = load_inputs(
        folder / "episodes.csv",
        placements=folder / "header.csv",
        child_id="566910",
        today=TODAY,
    )
    assert "header.csv: this file cannot be used with SSDA903" in messages(with_placements)


def test_cin_events_added_to_a_contract_chronology(tmp_path):
    chronology = write(tmp_path / "chronology.csv", "date,event,category\n01/02/1972,Moved,other\n")
    dataset = load_inputs(
        chronology,
        child_id="DfEX0000001",
        dob="24/03/1966",
        today=TODAY,
        extra_chronology=(reference("sf-liia-tools", "cin-2022.xml"),),
    )
    assert [c.child_id for c in dataset.children] == ["DfEX0000001"]
    assert dataset.children[0].date_of_birth == date(1966, 3, 24)
    assert len(dataset.events) == 1 + 13
    assert {e.child_id for e in dataset.events} == {"DfEX0000001"}
    assert dataset.problems == ()


def test_cin_events_for_other_children_are_left_out(tmp_path):
    chronology = write(tmp_path / "chronology.csv", "date,event\n01/02/2020,Moved\n")
    dataset = load_inputs(
        chronology,
        child_id="C9",
        today=TODAY,
        extra_chronology=(reference("sf-liia-tools", "cin-2022.xml"),),
    )
    assert len(dataset.events) == 1
    assert messages(dataset) == [
        "cin-2022.xml: none of the children in the main data (C9) is in this file"
    ]


def test_cin_as_the_main_input(tmp_path):
    dataset = load_inputs(reference("sf-liia-tools", "cin-2022.xml"), name="Alex", today=TODAY)
    assert dataset.children[0].name == "Alex"
    many = load_inputs(
        reference("d2i-csc-validator-be-cin", "CIN_Census_2024.xml"), name="Alex", today=TODAY
    )
    assert (
        "a name or date of birth was given but the data describe 2 children; choose one child id"
        in messages(many)
    )


def test_empty_folder(tmp_path):
    dataset = load_inputs(tmp_path, today=TODAY)
    assert messages(dataset) == [
        f"{tmp_path.name}: no chronology.csv (or .xlsx) and no SSDA903 episodes.csv in the folder"
    ]


def test_merging_children_fills_gaps_and_warns_on_different_births():
    first = Dataset(children=(Child("A", "Sam"), Child("B", "", date(2010, 1, 1))))
    second = Dataset(
        children=(
            Child("A", "", date(2012, 5, 6), "S1"),
            Child("B", "Bo", date(2011, 1, 1), origin=Origin("cin.xml", 7)),
            Child("C"),
        )
    )
    merged = merge_datasets(first, second)
    assert [(c.child_id, c.name, c.date_of_birth, c.sibling_group) for c in merged.children] == [
        ("A", "Sam", date(2012, 5, 6), "S1"),
        ("B", "Bo", date(2010, 1, 1), ""),
        ("C", "", None, ""),
    ]
    assert messages(merged) == [
        "cin.xml, row 7: child B: date of birth 01/01/2011 differs from 01/01/2010 (the main"
        " data); 01/01/2010 is used"
    ]


def test_describing_a_child_with_a_bad_date_of_birth():
    dataset = describe_child(Dataset(children=(Child("A"),)), None, "Sam", "31/02/2010")
    assert dataset.children[0].name == "Sam"
    assert messages(dataset) == [
        "date of birth: '31/02/2010' is not a real date (February 2010 has 28 days)"
    ]


def test_ssda903_workbook_is_told_from_its_sheets(tmp_path):
    book = Workbook()
    book.active.title = "header"
    book.active.append(["CHILD", "SEX", "DOB"])
    book.active.append(["7", "1", datetime(2012, 4, 3)])
    episodes = book.create_sheet("episodes")
    episodes.append(["CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC"])
    episodes.append(["7", datetime(2016, 2, 1), "S", "C1", "U6", None, "X1"])
    path = tmp_path / "extract.xlsx"
    book.save(path)
    assert detect_format(path) == "ssda903"
    dataset = load_inputs(path, today=TODAY)
    assert dataset.problems == ()
    assert [(c.child_id, c.date_of_birth) for c in dataset.children] == [("7", date(2012, 4, 3))]
    # --children may name the same workbook: its header sheet is read.
    again = load_inputs(path, children=path, fmt="ssda903", today=TODAY)
    assert (again.children, again.placements) == (dataset.children, dataset.placements)


def test_reference_data_is_looked_for_in_order(tmp_path):
    repo = tmp_path / "clones" / "main"
    beside = tmp_path / "shared" / "reference-data"
    given = tmp_path / "elsewhere"
    assert reference_candidates({}, repo) == [
        tmp_path / "clones" / "shared" / "reference-data",
        beside,
        *[p / "shared" / "reference-data" for p in tmp_path.parents],
        REFERENCE_FALLBACK,
    ]
    env = {REFERENCE_ENV: str(given)}
    assert reference_candidates(env, repo)[0] == given
    with pytest.raises(ValueError, match="is set to .*elsewhere', which is not a folder"):
        find_reference_data(env, repo)
    beside.mkdir(parents=True)
    given.mkdir()
    assert find_reference_data({}, repo) == beside
    assert find_reference_data(env, repo) == given


def test_rows_refused_in_a_workbook_are_found_for_their_child(tmp_path):
    """A batch needs the child of every refused row, in a workbook's sheets too."""
    book = Workbook()
    book.active.title = "chronology"
    for row in (["child_id", "date", "event"], ["C1", "01/02/2020", "Referral"]):
        book.active.append(row)
    book.active.append(["C2", "31/02/2020", "Hearing"])
    path = tmp_path / "cohort.xlsx"
    book.save(path)
    dataset = load_inputs(path, today=TODAY)
    assert messages(dataset) == [
        "cohort.xlsx [chronology], row 3, column \"date\": '31/02/2020' is not a real date"
        " (February 2020 has 29 days)"
    ]
    assert row_children([path], tmp_path, dataset.problems) == {
        ("cohort.xlsx [chronology]", 2): "C1",
        ("cohort.xlsx [chronology]", 3): "C2",
    }


# --- child ids: one id in NFC or NFD is one child; --child must name a child in the data -----

NFC, NFD = "Zo\u00eb-1", "Zoe\u0308-1"


def test_an_id_in_nfc_and_nfd_is_one_child_in_every_format(tmp_path):
    assert NFC != NFD
    chronology = write(
        tmp_path / "chronology.csv",
        f"child_id,date,event\n{NFC},01/02/2016,A\n{NFD},01/03/2016,B\n",
    )
    contract = load_inputs(chronology, child_id=NFD, today=TODAY)
    assert contract.child_ids() == [NFC]
    assert [e.label for e in contract.events] == ["A", "B"]
    (tmp_path / "903").mkdir()
    episodes = write(
        tmp_path / "903" / "episodes.csv",
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE\n"
        f"{NFC},01/02/2016,S,C2,N1,U4,PR1,01/03/2016,X1,\n"
        f"{NFD},01/03/2016,P,C2,N1,U6,PR1,,,\n",
    )
    ssda903 = load_inputs(episodes.parent, child_id=NFD, today=TODAY)
    assert ssda903.child_ids() == [NFC]
    assert len(ssda903.placements) == 2
    census = write(
        tmp_path / "cin.xml",
        "<Message><Children>"
        + "".join(
            f"<Child><ChildIdentifiers><LAchildID>{i}</LAchildID></ChildIdentifiers></Child>"
            for i in (NFC, NFD)
        )
        + "</Children></Message>",
    )
    cin = load_inputs(census, child_id=NFD, today=TODAY)
    assert cin.child_ids() == [NFC]
    assert cin.counts[0].merged == 1


def test_child_not_in_a_file_without_ids_is_an_error(tmp_path):
    """`render chronology.csv --child nope` drew the file's one child as 'nope'."""
    chronology = write(tmp_path / "chronology.csv", "date,event\n01/02/2016,A\n")
    dataset = load_inputs(chronology, child_id="nope", today=TODAY)
    assert messages(dataset) == [
        "no child with id 'nope': the files have no child_id column (they describe one child);"
        " leave out the child id"
    ]
    from click.testing import CliRunner

    from timelines.cli import main

    result = CliRunner().invoke(main, ["render", str(chronology), "--child", "nope"])
    assert result.exit_code == 1
    assert not list(tmp_path.glob("*.pdf"))
