"""The one-page child timeline, end to end: pages, text, overlaps, determinism."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, timedelta

import pytest
from helpers import overlapping_texts, pdf_text, pdf_text_right_of
from pypdf import PdfReader

from timelines.layout.primitives import Line, Text
from timelines.load.inputs import load_inputs
from timelines.model.dates import FuzzyDate, parse_date
from timelines.model.options import RenderOptions
from timelines.model.records import Child, ChildRecord, Event, Placement
from timelines.pipeline.child import render_child
from timelines.prepare.template import load_template

A4_LANDSCAPE = (841.89, 595.28)


@pytest.fixture(scope="module")
def sample_record():
    from conftest import SAMPLES

    dataset = load_inputs(SAMPLES / "child")
    return dataset.records()[0]


@pytest.fixture(scope="module")
def rendered(sample_record):
    from conftest import TODAY

    return render_child(sample_record, load_template(), RenderOptions(prepared_by="Test"), TODAY)


def _record(events: list[Event], placements: tuple[Placement, ...] = ()) -> ChildRecord:
    child = Child("C1", "Zoë Łukasz Ó Dochartaigh", date(2015, 3, 1))
    return ChildRecord(child, tuple(sorted(events, key=lambda e: e.day)), placements)


def _event(day: str, label: str, category: str = "review", key: bool = False) -> Event:
    return Event(parse_date(day), label, category, key=key, child_id="C1")


def test_page_one_is_a4_landscape(rendered):
    reader = PdfReader(__import__("io").BytesIO(rendered.pdf))
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4_LANDSCAPE, abs=0.1)


def test_every_event_is_labelled_or_numbered_on_page_one(rendered, sample_record):
    page_one = " ".join(pdf_text(rendered.pdf)[0].split())
    plan = rendered.layout.plan
    shown = plan.labelled | set(plan.numbered)
    assert shown == set(range(len(sample_record.events)))
    for text in [label.text for label in plan.labels] + [mark.text for mark in plan.numbers]:
        assert " ".join(text.split()) in page_one


def test_key_events_keep_their_labels(rendered, sample_record):
    labelled = rendered.layout.plan.labelled
    keys = {i for i, e in enumerate(sample_record.events) if e.key}
    assert keys and keys <= labelled


def test_no_text_overlaps_on_any_page(rendered):
    for page in rendered.layout.pages:
        assert overlapping_texts(page) == []


def test_all_text_inside_the_page_and_not_too_small(rendered):
    for page in rendered.layout.pages:
        for text in page.texts():
            assert text.box.inside(page.box), text.text
            assert text.size >= 6.5


def test_labels_are_not_crossed_by_stems(rendered):
    page = rendered.layout.pages[0]
    stems = [
        i for i in page.items if isinstance(i, Line) and i.x1 == i.x2 and i.colour == "#7A7A7A"
    ]
    labels = [t for t in page.texts() if t.role in ("label", "number")]
    for label in labels:
        box = label.box
        for stem in stems:
            if box.x + 0.5 < stem.x1 < box.right - 0.5:
                assert not (stem.y1 < box.top - 0.5 and stem.y2 > box.y + 0.5), label.text


def test_numbered_events_are_listed_in_the_chronology_table(rendered, sample_record):
    pages = pdf_text(rendered.pdf)
    if rendered.layout.plan.complete:
        assert len(pages) == 1
        return
    table = " ".join(pages[1:])
    for event in sample_record.events:
        assert event.label.split(":")[0] in table


def test_rendering_is_deterministic(sample_record, today):
    theme = load_template()
    first = render_child(sample_record, theme, RenderOptions(), today).pdf
    second = render_child(sample_record, theme, RenderOptions(), today).pdf
    assert first == second


def test_objects_written_once_are_the_bytes_reportlab_writes(sample_record, today, monkeypatch):
    from timelines.pdf import written

    theme = load_template()
    written._written.clear()
    first = render_child(sample_record, theme, RenderOptions(), today).pdf  # writes them
    kinds = sorted({key[0] for key, _ in written._written})
    again = render_child(sample_record, theme, RenderOptions(), today).pdf  # reuses them
    monkeypatch.setattr(written, "reuse", lambda *args: None)
    monkeypatch.setattr(written, "images", lambda document: None)
    theirs = render_child(sample_record, theme, RenderOptions(), today).pdf
    assert kinds == ["cmap", "image"]
    assert first == again == theirs


def test_pdf_metadata_and_unicode_names(today):
    record = _record([_event("01/06/2016", "Referral", "referral")])
    done = render_child(record, load_template(), RenderOptions(prepared_by="Ms A"), today)
    meta = PdfReader(__import__("io").BytesIO(done.pdf)).metadata
    assert meta.title == "Timeline for Zoë Łukasz Ó Dochartaigh"
    assert meta.author == "Ms A"
    assert meta.subject == "Child's timeline"
    assert "Zoë Łukasz Ó Dochartaigh" in pdf_text(done.pdf)[0]


def test_uncertain_dates_are_shown_as_uncertain(today):
    events = [
        _event("03/2016", "Moved in with aunt", "family"),
        _event("c. 2014", "Parents separated", "family"),
        _event("?22/05/2016", "Hospital visit", "health"),
    ]
    done = render_child(_record(events), load_template(), RenderOptions(), today)
    text = " ".join(pdf_text(done.pdf)[0].split())
    assert "Mar 2016 Moved in with aunt" in text
    assert "c. 2014 Parents separated" in text
    assert "c. 22/05/2016 Hospital visit" in text
    markers = [m for m in done.layout.pages[0].items if type(m).__name__ == "Marker"]
    hollow_on_axis = [m for m in markers if m.hollow and m.size == 6.0]
    assert len(hollow_on_axis) == 3


def test_long_waits_between_decisions_are_labelled_in_plain_words(today):
    events = [
        _event("01/01/2016", "Hearing", "hearing"),
        _event("01/03/2016", "Contact"),
        _event("01/08/2016", "Hearing: CSO continued", "hearing"),
    ]
    options = RenderOptions(as_of=date(2016, 10, 1))
    done = render_child(_record(events), load_template(), options, today)
    waits = [t.text for t in done.layout.pages[0].texts() if t.role == "wait"]
    assert waits == ["7 months without a decision", "still waiting: 2 months"]


@pytest.mark.parametrize("count,same_day", [(250, False), (12, True), (120, True)])
def test_dense_chronologies_still_give_a_clean_page_one(count, same_day, today):
    start = date(2016, 1, 1)
    events = [
        Event(
            FuzzyDate.exact(start if same_day else start + timedelta(days=7 * i)),
            f"Event {i} with a fairly long label text",
            "review",
            key=i % 25 == 0,
            child_id="C1",
        )
        for i in range(count)
    ]
    done = render_child(_record(events), load_template(), RenderOptions(), today)
    page = done.layout.pages[0]
    assert overlapping_texts(page) == []
    plan = done.layout.plan
    assert plan.labelled | set(plan.numbered) == set(range(count))
    assert not plan.labelled & set(plan.numbered)
    if not plan.complete:
        table = " ".join(pdf_text(done.pdf)[1:])
        assert f"Event {count - 1} with" in table


def test_formula_text_is_drawn_literally(today):
    events = [_event("01/06/2016", '=HYPERLINK("http://x","click")', "other")]
    done = render_child(_record(events), load_template(), RenderOptions(), today)
    assert '=HYPERLINK("http://x","click")' in pdf_text(done.pdf)[0]


def test_placements_band_numbers_each_placement(today):
    placements = (
        Placement(date(2016, 1, 1), date(2016, 6, 1), "foster", "Mr & Mrs Duncan", child_id="C1"),
        Placement(date(2016, 6, 1), None, "kinship", "Gran", child_id="C1"),
    )
    events = [_event("01/01/2016", "Accommodated", "placement")]
    done = render_child(_record(events, placements), load_template(), RenderOptions(), today)
    texts = [t.text for t in done.layout.pages[0].texts()]
    assert "P1" in texts and "P2" in texts
    assert any("Mr & Mrs Duncan" in t for t in texts)


def test_no_shadows_option_leaves_images_out(sample_record, today):
    done = render_child(sample_record, load_template(), RenderOptions(show_shadows=False), today)
    assert not [i for i in done.layout.pages[0].items if type(i).__name__ == "Image"]
    with_shadows = render_child(sample_record, load_template(), RenderOptions(), today)
    assert len([i for i in with_shadows.layout.pages[0].items if type(i).__name__ == "Image"]) >= 5


def test_text_items_are_measured(rendered):
    assert all(
        isinstance(t, Text) and t.width > 0 for t in rendered.layout.pages[0].texts() if t.text
    )


def test_redacted_record_is_not_the_original(sample_record, today):
    options = replace(RenderOptions(), redact=True)
    done = render_child(sample_record, load_template(), options, today)
    assert "Seònaid" not in " ".join(pdf_text(done.pdf))


@pytest.mark.parametrize("redact", [False, True])
def test_a_placement_code_and_its_meaning_are_shown_and_survive_redaction(redact):
    """SSDA903 names no carer: the PLACE code's meaning is shown where a carer would be,
    and redaction (which removes carers) keeps it: a code is not a name."""
    meaning = "U4: foster placement with other foster carer, long term"
    placements = (
        Placement(date(2016, 1, 1), date(2017, 1, 1), "foster", "Mr & Mrs Duncan", child_id="C1"),
        Placement(date(2017, 1, 1), None, "foster", child_id="C1", code="U4", description=meaning),
    )
    record = ChildRecord(Child("C1", "Ann Bell", date(2012, 5, 1)), (), placements)
    options = RenderOptions(as_of=date(2020, 1, 1), redact=redact)
    text = pdf_text_right_of(render_child(record, load_template(), options).pdf, 600)
    assert "P2 Foster care, U4: foster placement with other foster carer, long term:" in text
    assert "Current placement: Foster care, U4: foster placement" in text
    assert ("Duncan" in text) is not redact


def test_brackets_backslashes_and_accents_come_out_as_written():
    from timelines.layout.primitives import Page
    from timelines.layout.style import Ctx
    from timelines.pdf.document import pdf_bytes
    from timelines.prepare.template import load_template

    page = Page(400, 200)
    written = ["Permanence Order (PO) granted", r"folder C:\care\notes", "Zoë and Seònaid (ŁUKASZ)"]
    for i, text in enumerate(written):
        page.add(Text(20, 150 - 30 * i, text, 10, "label"))
    data = pdf_bytes([page], Ctx.for_theme(load_template()).font_names, "brackets")
    extracted = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert extracted.splitlines() == written
