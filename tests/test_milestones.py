"""Milestones found in a record: the column, SSDA903 codes, placements and words."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import SAMPLES, TODAY

from timelines.analyse.milestones import (
    MILESTONE_CODES,
    find_milestones,
    first_milestone,
)
from timelines.load.contract import load_contract, load_folder
from timelines.model.dates import FuzzyDate, parse_date
from timelines.model.records import Child, ChildRecord, Event, Origin, Placement


def _event(day: str, label: str, category: str = "other", **kw) -> Event:
    return Event(parse_date(day), label, category, origin=Origin("chronology.csv", 2), **kw)


def _codes(record: ChildRecord) -> list[tuple[str, str]]:
    return [(m.code, m.when.label()) for m in find_milestones(record)]


def test_the_interface_the_run_chart_uses():
    assert MILESTONE_CODES == (
        "looked_after_home",
        "accommodated",
        "permanence_recommendation",
        "panel",
        "adm_decision",
        "court_application",
        "permanence_achieved",
        "left_care",
    )


def test_sample_child_milestones_from_words_and_placements():
    record = load_folder(SAMPLES / "child", today=TODAY).record("C001")
    found = _codes(record)
    assert found == [
        ("looked_after_home", "12/12/2019"),
        ("accommodated", "19/02/2021"),
        ("permanence_recommendation", "11/08/2022"),
        ("panel", "17/11/2022"),
        ("adm_decision", "06/01/2023"),
        ("adoptive_placement", "12/06/2023"),
        ("court_application", "14/12/2023"),
        ("permanence_achieved", "27/01/2025"),
        ("court_order", "27/01/2025"),
        ("court_application", "11/09/2025"),
    ]
    milestones = find_milestones(record)
    first = first_milestone(milestones, "court_application")
    assert first is not None and first.when.start == date(2023, 12, 14)
    assert first.origin == Origin("chronology.csv", 37)
    assert first_milestone(milestones, "left_care") is None
    recommendation = first_milestone(milestones, "permanence_recommendation")
    assert recommendation.label == "Permanence review"
    assert recommendation.how == "review whose label says 'recommends' or 'permanence'"
    # the hearing that made the CSO and the home placement are one milestone
    home = first_milestone(milestones, "looked_after_home")
    assert home.how == "placements: looked after at home (CSO)"


def test_the_milestone_column_wins_over_words(tmp_path: Path):
    chronology = tmp_path / "chronology.csv"
    chronology.write_text(
        "date,event,category,milestone\n"
        "01/02/2020,LAC review,review,\n"
        "01/06/2020,Permanence review,review,\n"
        "01/09/2020,Planning meeting,other,permanence_recommendation\n"
        "c. 2021,Home for good,family,Permanence Achieved\n",
        encoding="utf-8",
    )
    record = load_contract(chronology, today=TODAY).records()[0]
    milestones = find_milestones(record)
    assert [(m.code, m.when.label(), m.how) for m in milestones] == [
        ("permanence_recommendation", "01/09/2020", "milestone column"),
        ("permanence_achieved", "c. 2021", "milestone column"),
    ]
    assert milestones[0].origin == Origin(chronology.name, 4)


def test_ssda903_codes():
    def e903(day: str, label: str, category: str) -> Event:
        return Event(FuzzyDate.exact(date.fromisoformat(day)), label, category, source="SSDA903")

    record = ChildRecord(
        Child("X"),
        (
            e903("2018-03-01", "Started to be looked after", "placement"),
            e903("2018-03-01", "Legal status: accommodated (section 20) (V2)", "order"),
            e903("2018-05-01", "Legal status: interim care order (C1)", "order"),
            e903("2018-11-01", "Legal status: full care order (C2)", "order"),
            e903("2019-01-10", "Decision: should be placed for adoption", "decision"),
            e903("2020-02-02", "Left care: adopted (E11)", "order"),
        ),
        (
            Placement(date(2018, 3, 1), date(2019, 6, 1), "foster", code="U6"),
            Placement(date(2019, 6, 1), date(2020, 2, 2), "adoptive", code="A5"),
        ),
    )
    assert _codes(record) == [
        ("accommodated", "01/03/2018"),
        ("court_application", "01/05/2018"),
        ("court_order", "01/11/2018"),
        ("adm_decision", "10/01/2019"),
        ("adoptive_placement", "01/06/2019"),
        ("permanence_achieved", "02/02/2020"),
        ("left_care", "02/02/2020"),
        ("court_order", "02/02/2020"),
    ]
    died = ChildRecord(Child("Y"), (e903("2020-02-02", "Left care: died (E2)", "other"),))
    assert _codes(died) == [("left_care", "02/02/2020"), ("died", "02/02/2020")]


def test_placements_home_then_away_then_away_again_after_a_gap():
    record = ChildRecord(
        Child("X"),
        (),
        (
            Placement(date(2016, 1, 1), date(2018, 6, 1), "home"),
            Placement(date(2018, 6, 1), date(2019, 1, 1), "foster"),
            Placement(date(2019, 1, 1), date(2019, 5, 1), "kinship"),
            Placement(date(2020, 1, 1), None, "residential"),
        ),
    )
    assert _codes(record) == [
        ("looked_after_home", "01/01/2016"),
        ("accommodated", "01/06/2018"),
        ("accommodated", "01/01/2020"),
    ]


def test_words_that_are_not_milestones():
    record = ChildRecord(
        Child("X"),
        (
            _event("01/01/2020", "LAC review: to remain accommodated", "review"),
            _event("01/02/2020", "Interim order granted", "order"),
            _event("01/03/2020", "Child protection order granted", "order"),
            _event("01/04/2020", "Matching panel", "panel"),
            _event("01/05/2020", "Sheriff Court: proof fixed", "court"),
            _event("01/06/2020", "Contact: accommodated", "contact"),
        ),
    )
    assert _codes(record) == []
    assert find_milestones(ChildRecord(Child("empty"))) == ()
