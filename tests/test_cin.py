"""CIN census XML → children and chronology events; unsafe XML is refused."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from helpers import reference

from timelines.load.cin import load_cin
from timelines.model.vocab import CATEGORIES

TODAY = date(2025, 1, 1)

CHILD = """<Message><Children>
<Child>
  <ChildIdentifiers>
    <LAchildID>C1</LAchildID>
    <PersonBirthDate>2015-03-27</PersonBirthDate>
  </ChildIdentifiers>
  <CINdetails>
    <CINreferralDate>{referral}</CINreferralDate>
    <ReferralSource>6</ReferralSource>
    <PrimaryNeedCode>N1</PrimaryNeedCode>
    <DateOfInitialCPC>2022-11-20</DateOfInitialCPC>
    <Section47>
      <S47ActualStartDate>2022-11-01</S47ActualStartDate>
      <DateOfInitialCPC>2022-11-20</DateOfInitialCPC>
    </Section47>
    <ChildProtectionPlans>
      <CPPstartDate>2022-11-20</CPPstartDate>
      <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
    </ChildProtectionPlans>
  </CINdetails>
</Child>
</Children></Message>
"""


def write(tmp_path: Path, text: str, name: str = "cin.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_dfe_example_child_becomes_plain_events():
    dataset = load_cin(reference("sf-liia-tools", "cin-2022.xml"), today=TODAY)
    [child] = dataset.children
    assert (child.child_id, child.date_of_birth) == ("DfEX0000001", date(1966, 3, 24))
    events = [(e.when.label(), e.label, e.category) for e in dataset.events]
    assert events == [
        ("08/10/1980", "Died", "other"),
        ("06/10/1970", "Referral to children's social care", "referral"),
        ("03/06/1970", "Assessment started", "referral"),
        ("18/07/1971", "Assessment completed", "decision"),
        ("24/01/1971", "CIN plan started", "decision"),
        ("26/01/1971", "CIN plan ended", "decision"),
        ("02/06/1970", "Section 47 enquiry started", "child_protection"),
        ("17/06/1970", "Initial child protection conference", "child_protection"),
        ("06/12/1970", "Initial child protection conference", "child_protection"),
        ("17/02/1970", "Child protection plan started", "child_protection"),
        ("15/02/1971", "Child protection review", "child_protection"),
        ("14/03/1971", "Child protection plan ended", "child_protection"),
        ("27/02/1971", "Case closed", "other"),
    ]
    details = {e.label: e.detail for e in dataset.events}
    assert details["Referral to children's social care"] == (
        "source: family member, relative or carer (1A); primary need: family in acute stress (N4)"
    )
    assert details["Assessment completed"] == "factors identified: 2A, 2B"
    assert details["Child protection plan started"] == "category: physical abuse (PHY)"
    assert details["Case closed"] == "reason: adopted (RC1)"
    assert dataset.events[1].origin.row == 37  # the line of <CINreferralDate>
    assert dataset.problems == ()
    assert {e.category for e in dataset.events} <= set(CATEGORIES)


def test_generated_census_with_many_children():
    dataset = load_cin(reference("d2i-csc-validator-be-cin", "fake_CIN_data.xml"), today=TODAY)
    assert len(dataset.children) == 332
    labels = Counter(e.label for e in dataset.events)
    assert labels["Referral to children's social care"] == 402
    assert labels["Case closed"] == 252
    assert all(
        p.severity == "warning" and "is in the future" in p.message for p in dataset.problems
    )


def test_same_conference_in_cin_details_and_section_47_is_one_event(tmp_path):
    dataset = load_cin(write(tmp_path, CHILD.format(referral="2022-10-06")), today=TODAY)
    assert [(e.when.start, e.label) for e in dataset.events] == [
        (date(2022, 10, 6), "Referral to children's social care"),
        (date(2022, 11, 1), "Section 47 enquiry started"),
        (date(2022, 11, 20), "Initial child protection conference"),
        (date(2022, 11, 20), "Child protection plan started"),
    ]
    assert dataset.events[0].detail == "source: police (6); primary need: abuse or neglect (N1)"
    assert dataset.events[0].key and dataset.events[0].source == "CIN census"


def test_bad_date_names_file_line_element_and_child(tmp_path):
    dataset = load_cin(write(tmp_path, CHILD.format(referral="2022-13-06")), today=TODAY)
    assert [str(p) for p in dataset.problems] == [
        "cin.xml, row 8, column \"CINdetails/CINreferralDate\": child C1: '2022-13-06' has no"
        " month 13 (expected dd/mm/yyyy); not drawn"
    ]
    assert "Referral to children's social care" not in {e.label for e in dataset.events}


def test_future_dates_are_warnings(tmp_path):
    dataset = load_cin(
        write(tmp_path, CHILD.format(referral="2022-10-06")), today=date(2022, 11, 5)
    )
    assert [p.row for p in dataset.problems] == [11, 14, 17]
    assert {p.severity for p in dataset.problems} == {"warning"}


def test_doctype_and_entities_are_refused(tmp_path):
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
        "<Message><Children><Child><ChildIdentifiers><LAchildID>&lol2;</LAchildID>"
        "</ChildIdentifiers></Child></Children></Message>\n"
    )
    dataset = load_cin(write(tmp_path, laughs), today=TODAY)
    assert [str(p) for p in dataset.problems] == [
        "cin.xml, row 2: the XML has a <!DOCTYPE> or <!ENTITY> declaration, which is refused"
        " for safety; remove it (CIN census files do not need one)"
    ]
    assert dataset.children == () and dataset.events == ()


def test_external_entities_are_never_fetched(tmp_path):
    secret = write(tmp_path, "SECRET", "secret.txt")
    text = (
        f'<!DOCTYPE m [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<Message><Children><Child><ChildIdentifiers><LAchildID>&x;</LAchildID>"
        "</ChildIdentifiers></Child></Children></Message>"
    )
    dataset = load_cin(write(tmp_path, text), today=TODAY)
    assert dataset.problems[0].severity == "error"
    assert "refused for safety" in dataset.problems[0].message
    assert all("SECRET" not in c.child_id for c in dataset.children)


def test_not_xml_and_not_a_census(tmp_path):
    broken = load_cin(write(tmp_path, "CHILD,DECOM\n1,01/01/2020\n"), today=TODAY)
    assert [str(p) for p in broken.problems] == [
        "cin.xml, row 1: not well-formed XML (syntax error)"
    ]
    other = load_cin(write(tmp_path, "<Other><Thing/></Other>", "other.xml"), today=TODAY)
    assert [str(p) for p in other.problems] == [
        "other.xml: not a CIN census file (no <Child> elements)"
    ]


def test_namespaces_and_missing_ids(tmp_path):
    text = (
        '<Message xmlns="http://www.dcsf.gov.uk/schemas/cbds"><Children>'
        "<Child><ChildIdentifiers><LAchildID>A</LAchildID></ChildIdentifiers>"
        "<CINdetails><CINreferralDate>2020-01-02</CINreferralDate></CINdetails></Child>"
        "<Child><ChildIdentifiers><UPN>X</UPN></ChildIdentifiers></Child>"
        "</Children></Message>"
    )
    dataset = load_cin(write(tmp_path, text), today=TODAY)
    assert [(e.child_id, e.label) for e in dataset.events] == [
        ("A", "Referral to children's social care")
    ]
    assert [str(p) for p in dataset.problems] == [
        'cin.xml, row 1, column "Child/ChildIdentifiers/LAchildID": <Child> has no LAchildID;'
        " left out"
    ]


def test_choosing_children(tmp_path):
    path = reference("d2i-csc-validator-be-cin", "CIN_Census_2024.xml")
    one = load_cin(path, today=TODAY, child_id="child_fails_assessments")
    assert one.child_ids() == ["child_fails_assessments"]
    absent = load_cin(path, today=TODAY, child_id="nobody")
    assert [str(p) for p in absent.problems] == [
        "CIN_Census_2024.xml: no child with LAchildID 'nobody'"
    ]
    none = load_cin(path, today=TODAY, only=["X1", "X2"])
    assert [str(p) for p in none.problems] == [
        "CIN_Census_2024.xml: none of the children in the main data (X1, X2) is in this file"
    ]


def test_ssda903_xml_return_is_explained():
    dataset = load_cin(reference("d2i-csc-validator-be-903", "fake_903.xml"), today=TODAY)
    assert [str(p) for p in dataset.problems] == [
        "fake_903.xml: this is an SSDA903 XML return, not a CIN census; export the 903 tables"
        " as CSV (episodes.csv, header.csv, ...) and load those"
    ]
