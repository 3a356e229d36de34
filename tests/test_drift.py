"""Waits for decisions, the wait still running, targets and the window, as numbers and
as page text (the drift sample and small made-up stories)."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import SAMPLES, TODAY
from helpers import pdf_words

from timelines.analyse.drift import DriftRules, analyse_drift
from timelines.analyse.targets import describe, target_fact
from timelines.layout.primitives import Rect
from timelines.load.contract import load_folder
from timelines.model.dates import parse_date, parse_duration
from timelines.model.options import RenderOptions
from timelines.model.records import Child, ChildRecord, Event, Placement
from timelines.pipeline.child import render_child
from timelines.prepare.template import TemplateError, load_template


def _drift_record() -> ChildRecord:
    return load_folder(SAMPLES / "drift", today=TODAY).record("D001")


def _drift(record: ChildRecord, as_of: date = TODAY, template: str = "hearing"):
    return analyse_drift(record, as_of, DriftRules.from_settings(load_template(template).settings))


def test_drift_sample_waits_between_steps_and_the_open_wait():
    waits = _drift(_drift_record()).waits
    assert [(w.start.label(), w.end.label(), w.days) for w in waits.long] == [
        ("08/06/2017", "31/05/2018", 357),
        ("31/05/2018", "03/10/2019", 490),
        ("05/10/2019", "18/11/2020", 410),
        ("18/11/2020", "09/09/2021", 295),
        ("25/02/2022", "03/11/2022", 251),
        ("16/02/2023", "11/09/2023", 207),
    ]
    assert waits.open is not None and waits.open.days == 1168
    assert waits.open.describe() == "3 years 2 months (11/09/2023 to now)"
    assert waits.ended is None
    # contact, school and clubs are not steps: the wait runs on past them
    assert all(step.when.label() != "20/05/2024" for step in waits.steps)


def test_drift_sample_targets_met_late_and_overdue():
    targets = _drift(_drift_record()).targets
    assert [(t.rule.key, t.status, t.due.isoformat(), t.days_late) for t in targets] == [
        ("cso_review", "late", "2019-06-08", 80),
        ("review_72_hours", "late", "2019-10-06", 4),
        ("review_6_weeks", "late", "2019-11-14", 25),
        ("review_3_months", "late", "2020-01-03", 103),
        ("permanence_recommendation", "late", "2020-04-03", 524),
        ("review_6_months", "late", "2020-04-03", 353),
        ("court", "overdue", "2023-03-23", None),
    ]
    words = {t.rule.key: describe(t) for t in targets}
    assert words["permanence_recommendation"] == "1 year 5 months late"
    assert words["court"] == "due 23/03/2023: not yet"
    main = next(t for t in targets if t.rule.main)
    assert target_fact(main) == "1 year 11 months after accommodation (target 6 months)"


def test_the_wait_ends_with_permanence_and_a_story_that_ended_ends_the_axis():
    events = (
        Event(parse_date("01/02/2018"), "Children's Hearing: CSO made", "hearing"),
        Event(parse_date("01/03/2019"), "Permanence Order granted", "order"),
        Event(parse_date("27/03/2020"), "Left care", "other"),
    )
    placements = (Placement(date(2018, 2, 1), date(2020, 3, 27), "foster"),)
    record = ChildRecord(Child("L1", "Lee", date(2003, 11, 6)), events, placements)
    drift = _drift(record)
    assert drift.waits.open is None
    assert drift.waits.ended.code == "left_care"
    done = render_child(record, load_template(), RenderOptions(as_of=TODAY), TODAY)
    assert done.layout.scale.end == date(2020, 3, 27)
    facts = [t.text for t in done.layout.pages[0].texts() if t.role == "fact"]
    assert "Left care: " in facts and "27/03/2020, aged 16" in facts
    assert "Age: " not in facts and "Still waiting: " not in facts


def test_uncertain_dates_give_an_about_and_show_as_written():
    events = (
        Event(parse_date("2014"), "Children's Hearing: CSO made", "hearing"),
        Event(parse_date("c. May 2015"), "Children's Hearing: CSO continued", "hearing"),
    )
    waits = _drift(ChildRecord(Child("U"), events), date(2015, 6, 1)).waits
    assert waits.long[0].describe() == "about 10 months (2014 to c. May 2015)"


def test_the_window_starts_at_the_first_event_unless_asked():
    record = _drift_record()
    template = load_template()
    first = render_child(record, template, RenderOptions(as_of=TODAY), TODAY).layout.scale
    assert first.start == date(2017, 1, 12)  # the referral, not the birth in 2014
    born = render_child(record, template, RenderOptions(as_of=TODAY, window_from="birth"), TODAY)
    assert born.layout.scale.start == date(2014, 3, 3)
    chosen = RenderOptions(as_of=TODAY, window_from=date(2019, 1, 1))
    assert render_child(record, template, chosen, TODAY).layout.scale.start == date(2019, 1, 1)


def test_england_durations_and_chained_reviews():
    assert parse_duration("20 working days").after(date(2020, 1, 31)) == date(2020, 2, 28)
    assert parse_duration("426 days").after(date(2020, 1, 1)) == date(2021, 3, 2)  # 2020: 366
    events = (
        Event(parse_date("01/02/2020"), "Review", "review"),
        Event(parse_date("20/06/2020"), "Review", "review"),
    )
    placements = (Placement(date(2020, 1, 6), None, "foster"),)
    record = ChildRecord(Child("E"), events, placements)
    targets = {t.rule.key: t for t in _drift(record, date(2021, 1, 1), "england").targets}
    assert (
        targets["first_review"].due == date(2020, 2, 3) and targets["first_review"].status == "met"
    )
    assert targets["second_review"].due == date(2020, 5, 1)
    assert targets["second_review"].days_late == 50
    assert targets["third_review"].due == date(2020, 12, 20)  # 6 months after the second
    assert targets["third_review"].status == "overdue"


def test_a_chronology_without_milestones_has_no_track_and_no_error():
    events = (Event(parse_date("01/01/2020"), "Contact", "contact"),)
    done = render_child(ChildRecord(Child("N"), events), load_template(), RenderOptions(), TODAY)
    assert not [t for t in done.layout.pages[0].texts() if t.role in ("target", "track")]


@pytest.mark.parametrize(
    "toml,message",
    [
        (
            "[targets.x]\nlabel = 'X'\nfrom = 'accommodated'\nto = 'review'\n",
            "new target 'targets.x' needs 'after'",
        ),
        (
            "[targets.court]\nafter = 'soon'\n",
            "key 'targets.court.after': 'soon' is not a length of time",
        ),
        ("[targets.court]\nwhen = 'x'\n", "unknown key 'targets.court.when'"),
    ],
)
def test_target_mistakes_are_named(tmp_path, toml, message):
    path = tmp_path / "mine.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        load_template(path)
    assert message in str(caught.value)


def test_drift_page_says_still_waiting_and_how_late_and_hatches_nothing_else():
    record = _drift_record()
    done = render_child(record, load_template(), RenderOptions(as_of=TODAY), TODAY)
    words = pdf_words(done.pdf)[0]
    text = " ".join(w["text"] for w in words)
    assert "still waiting: 3 years 2 months" in text
    assert "Still waiting: 3 years 2 months since Sheriff Court:" in text
    assert "Permanence recommendation: 1 year 5 months late" in text
    assert "3-month review: 3 months late" in text
    assert "Court application decided: due 23/03/2023: not yet" in text
    assert "8 months without a decision" in text
    # no hatching at all, and every shaded wait starts and ends at a step (or today)
    page = done.layout.pages[0]
    assert not [i for i in page.items if isinstance(i, Rect) and i.pattern == "backdiagonal"]
    scale = done.layout.scale
    steps = [scale.x(s.when.middle) for s in done.facts.drift.waits.steps] + [scale.x1]

    def at_a_step(x: float) -> bool:  # bands are inset by a point, to show where they meet
        return any(abs(x - step) <= 1.01 for step in steps)

    bands = [i for i in page.items if isinstance(i, Rect) and i.h > 200]
    assert len(bands) == 7
    for band in bands:
        assert at_a_step(band.x) and at_a_step(band.x + band.w)
    # the drama club (20/05/2024) and the reduced contact (14/03/2025) are inside the
    # open wait, with no edge between them
    x1, x2 = scale.x(date(2024, 5, 20)), scale.x(date(2025, 3, 14))
    assert not [b for b in bands if x1 < b.x < x2 or x1 < b.x + b.w < x2]


def test_batch_summary_gains_the_open_wait_milestones_and_targets():
    from timelines.pipeline.summary import summary_columns_for, summary_row

    record = _drift_record()
    theme = load_template()
    done = render_child(record, theme, RenderOptions(as_of=TODAY), TODAY)
    row = summary_row("D001", done.facts, [], "rendered")
    columns = summary_columns_for(theme, RenderOptions())
    assert set(row) <= set(columns)
    assert row["open_wait_days"] == "1168"
    assert row["accommodated_date"] == "03/10/2019"
    assert row["permanence_achieved_date"] == ""
    assert (row["permanence_recommendation_due"], row["permanence_recommendation_days_late"]) == (
        "03/04/2020",
        "524",
    )
    assert (row["court_due"], row["court_days_late"]) == ("23/03/2023", "")


def test_validate_says_which_rows_were_taken_as_which_milestone():
    from click.testing import CliRunner

    from timelines.cli import main

    result = CliRunner().invoke(main, ["validate", str(SAMPLES / "drift")])
    assert result.exit_code == 0
    assert (
        "note: chronology.csv, row 23 taken as: permanence recommendation"
        " (review whose label says 'recommends' or 'permanence')"
    ) in result.output
    assert "note: placements.csv, row 3 taken as: accommodated" in result.output


def test_the_readme_targets_example_loads(tmp_path):
    import re

    readme = (SAMPLES.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```text\n(\[targets\..*?)```", readme, re.S).group(1)
    path = tmp_path / "mine.toml"
    path.write_text(block, encoding="utf-8")
    rules = DriftRules.from_settings(load_template(path).settings)
    by_key = {rule.key: rule for rule in rules.targets}
    assert by_key["permanence_recommendation"].after == parse_duration("40 weeks")
    assert by_key["second_look"].start == "panel"
    assert "review_72_hours" not in by_key
    assert rules.threshold_days == round(4 * 30.4375)


def test_drift_sample_page_has_no_overlapping_text():
    from helpers import overlapping_texts

    done = render_child(_drift_record(), load_template(), RenderOptions(as_of=TODAY), TODAY)
    assert overlapping_texts(done.layout.pages[0]) == []


def test_an_ssda903_child_who_was_adopted_shows_the_end_of_the_story():
    from helpers import overlapping_texts, reference

    from timelines.load.ssda903 import load_ssda903_folder

    dataset = load_ssda903_folder(reference("d2i-cs-demand-model"), today=TODAY, child_id="19259")
    record = dataset.record("19259")
    done = render_child(record, load_template("england"), RenderOptions(as_of=TODAY), TODAY)
    drift = done.facts.drift
    assert drift.waits.ended.code == "left_care" and drift.waits.open is None
    assert done.layout.scale.end == date(2022, 1, 21)
    texts = [t.text for t in done.layout.pages[0].texts()]
    assert "Left care: " in texts and "21/01/2022, aged 14" in texts
    assert "born 08/08/2007" in texts
    keys = {t.rule.key: t.status for t in drift.targets}
    assert keys == {
        "first_review": "late",
        "second_review": "late",
        "court": "late",
        "third_review": "late",
        "adoptive_placement": "late",  # 14/04/2021, 3 years after entering care
    }
    assert overlapping_texts(done.layout.pages[0]) == []


def test_validate_counts_milestone_rows_for_a_large_cohort():
    from helpers import reference

    from timelines import api

    folder = reference("d2i-cs-demand-model")
    _, notes = api.check(api.Inputs(folder), TODAY)
    assert len(notes) == 1 and notes[0].endswith("children; add --child ID to list one child's")
    _, one = api.check(api.Inputs(folder, child_id="19259"), TODAY)
    assert "2019-episodes.csv, row 340 taken as: court application lodged" in one[1]


def test_a_death_ends_the_story():
    events = (
        Event(parse_date("01/02/2018"), "Children's Hearing: CSO made", "hearing"),
        Event(parse_date("14/05/2021"), "Died", "other", source="CIN census"),
    )
    record = ChildRecord(Child("D", "Dee", date(2010, 1, 1)), events)
    drift = _drift(record)
    assert (drift.waits.ended.code, drift.waits.open) == ("died", None)
    done = render_child(record, load_template(), RenderOptions(as_of=TODAY), TODAY)
    facts = [t.text for t in done.layout.pages[0].texts() if t.role == "fact"]
    assert "Died: " in facts and "14/05/2021, aged 11" in facts
    assert done.layout.scale.end == date(2021, 5, 14)
