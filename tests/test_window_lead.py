"""The compressed lead: the years from birth to the window's start drawn short before a
break, with the ages and a shadow at the start; as geometry (numbers) and page text."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from conftest import SAMPLES, TODAY
from helpers import overlapping_texts, pdf_text, reference

from timelines.layout.primitives import Box, Image, Line, Marker, Text
from timelines.layout.scale import LEAD_BREAK
from timelines.layout.window import LEAD_SHARE
from timelines.load.contract import load_folder
from timelines.model.dates import parse_date
from timelines.model.options import RenderOptions
from timelines.model.records import Child, ChildRecord, Event, Placement
from timelines.pipeline.child import Rendered, render_child
from timelines.prepare.template import load_template

AS_OF = date(2024, 11, 1)


def _young_person(born: date = date(2003, 6, 11)) -> ChildRecord:
    """Born in 2003, a year in foster care in 2019-20, then left care."""
    rows = [
        (f"{born:%d/%m/%Y}", "Born", "birth"),
        ("14/03/2019", "Referral from school", "referral"),
        ("20/05/2019", "Children's Hearing: CSO made", "hearing"),
        ("03/06/2019", "Accommodated with foster carers", "placement"),
        ("30/08/2019", "LAC review", "review"),
        ("10/03/2020", "Returned home", "decision"),
        ("27/03/2020", "Left care", "other"),
    ]
    events = tuple(Event(parse_date(d), label, cat) for d, label, cat in rows)
    placed = (Placement(date(2019, 6, 3), date(2020, 3, 27), "foster", "Mr and Mrs Reid"),)
    return ChildRecord(Child("Y1", "Jamie Test", born, sex="male"), events, placed)


def _render(record: ChildRecord, template: str = "hearing", **options) -> Rendered:
    chosen = RenderOptions(as_of=AS_OF, **options)
    return render_child(record, load_template(template), chosen, TODAY)


def _assert_sound_page(done: Rendered) -> None:
    """The lead bounded, the window linear, every item on the page, no text over text."""
    scale, page = done.layout.scale, done.layout.pages[0]
    assert scale.born is not None and scale.lead_x0 is not None
    plot = scale.x1 - scale.lead_x0
    lead = scale.lead_x1 - scale.lead_x0
    assert LEAD_SHARE[0] * plot - 0.01 <= lead <= LEAD_SHARE[1] * plot + 0.01
    assert scale.x0 - scale.lead_x1 == pytest.approx(LEAD_BREAK)
    assert scale.lead_x(scale.born) == scale.lead_x0
    assert scale.lead_x(scale.start) == pytest.approx(scale.lead_x1)
    # inside the window, equal time is equal distance
    a, b, c = scale.start, date.fromordinal(scale.start.toordinal() + 100), scale.end
    per_day = (scale.x(c) - scale.x(a)) / (c - a).days
    assert (scale.x(b) - scale.x(a)) / 100 == pytest.approx(per_day)
    assert scale.x(scale.start) == scale.x0 and scale.x(scale.end) == pytest.approx(scale.x1)
    whole = Box(0, 0, page.width, page.height)
    for item in page.items:
        if isinstance(item, Text):
            assert item.box.inside(whole), item
        elif isinstance(item, Image):
            assert Box(item.x, item.y, item.w, item.h).inside(whole), item
        elif isinstance(item, Line):
            assert min(item.x1, item.x2) >= 0 and max(item.x1, item.x2) <= page.width, item
    assert overlapping_texts(page) == []


def test_a_young_person_s_short_episode_fills_the_page_after_a_compressed_lead():
    done = _render(_young_person())
    scale = done.layout.scale
    assert scale.start == date(2019, 3, 14) and scale.end == date(2020, 3, 27)
    _assert_sound_page(done)
    # the year in care takes the page: more than 85% of the plot's width
    assert (scale.x1 - scale.x0) / (scale.x1 - scale.lead_x0) > 0.85
    text = pdf_text(done.pdf)[0]
    for words in ("born 11/06/2003", "aged 15 at start", "birth to 2019", "compressed"):
        assert words in text
    page = done.layout.pages[0]
    ages = {t.text: t.x for t in page.texts() if t.role == "age"}
    assert ages["15"] == scale.x0  # the age at the window's start, under its shadow
    assert ages["16"] == pytest.approx(scale.x(date(2019, 6, 11)))
    assert ages["10"] == pytest.approx(scale.lead_x(date(2013, 6, 11)))  # in the lead
    # nothing from the chronology in the lead: the birth is said there, not marked
    assert not [t for t in page.texts() if t.text.startswith("11/06/2003") and t.role != "fact"]
    shadows = [i for i in page.items if isinstance(i, Image)]
    assert shadows[0].x + shadows[0].w / 2 == pytest.approx(scale.x0)  # aged 15, at the start


def test_the_birth_the_lead_shows_is_still_a_row_of_the_chronology_table():
    young = _young_person()
    weeks = [date.fromordinal(date(2019, 6, 10).toordinal() + 7 * n) for n in range(12)]
    contact = tuple(  # a series: the chronology table follows page 1
        Event(parse_date(f"{day:%d/%m/%Y}"), f"Contact (session {n})", "contact")
        for n, day in enumerate(weeks, start=1)
    )
    record = replace(young, events=tuple(sorted(young.events + contact, key=lambda e: e.day)))
    done = _render(record)
    assert done.layout.scale.born is not None  # a compressed lead, the birth said there
    rows = [t.text for page in done.layout.pages[1:] for t in page.texts() if t.role == "table"]
    born = rows.index("11/06/2003")
    assert rows[born - 1] == "–" and rows[born + 1] == "Born"
    numbers = [t for t in rows if t.isdigit()]
    assert numbers == [str(n) for n in range(1, len(record.events))]  # the birth: no number


def test_from_birth_keeps_the_linear_axis():
    done = _render(_young_person(), window_from="birth")
    scale = done.layout.scale
    assert scale.start == date(2003, 6, 11) and scale.born is None and scale.lead_x0 is None
    assert "compressed" not in pdf_text(done.pdf)[0]


def test_a_window_starting_within_a_year_of_birth_has_no_lead():
    done = _render(_young_person(), window_from=date(2004, 3, 1))
    assert done.layout.scale.born is None
    assert "born 11/06/2003" in pdf_text(done.pdf)[0]  # the break mark's words


def test_redacted_geometry_says_no_more_than_the_month_of_birth():
    def drawn(day: int) -> list:
        done = _render(_young_person(date(2003, 6, day)), redact=True)
        text = pdf_text(done.pdf)[0]
        assert "aged 15 at start" in text and "2003" not in text
        return [i for i in done.layout.pages[0].items if isinstance(i, (Line, Image))]

    assert drawn(1) == drawn(28)


def test_the_drift_sample_and_an_ssda903_child_leave_care_with_a_lead():
    from timelines.load.ssda903 import load_ssda903_folder

    drift = load_folder(SAMPLES / "drift", today=TODAY).record("D001")
    done = _render(drift)
    _assert_sound_page(done)
    assert "born 03/03/2014" in pdf_text(done.pdf)[0]
    scale = done.layout.scale  # 3 on 03/03/2017, seven weeks after the start: no "2" there
    assert scale.x(date(2017, 3, 3)) - scale.x0 < 14
    ages = [(t.text, t.x) for t in done.layout.pages[0].texts() if t.role == "age"]
    assert ("2", scale.x0) not in ages and ("3", scale.x(date(2017, 3, 3))) in ages
    folder = reference("d2i-csc-validator-be-903")
    record = load_ssda903_folder(folder, today=TODAY, child_id="427922").record("427922")
    done = _render(record, "england")
    _assert_sound_page(done)
    assert "born 19/01/2004" in pdf_text(done.pdf)[0]
    assert done.layout.scale.start == date(2016, 6, 12)


def test_events_before_a_chosen_start_stand_at_the_start_not_in_the_lead():
    done = _render(_young_person(), window_from=date(2019, 6, 1))
    scale, page = done.layout.scale, done.layout.pages[0]
    assert scale.lead_x0 is not None
    markers = [i.x for i in page.items if isinstance(i, Marker)]
    assert min(markers) == scale.x0  # the referral and the hearing, at the window's start
    assert "14/03/2019 Referral from school" in pdf_text(done.pdf)[0]
