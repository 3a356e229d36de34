"""Grouped placement histories: rows, together-links, pages and the siblings command."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from helpers import REPO, overlapping_texts, pdf_text

from timelines.analyse.groups import Together, build_group, together_links
from timelines.api import Inputs, load
from timelines.cli import main
from timelines.layout.primitives import Marker
from timelines.layout.siblings_page import LEGEND_LINKED, row_box, segment_words
from timelines.layout.style import Ctx
from timelines.load.ssda903 import load_ssda903
from timelines.model.dates import parse_date
from timelines.model.options import RenderOptions
from timelines.model.records import Child, ChildRecord, Event, Placement
from timelines.pipeline.siblings import render_group
from timelines.prepare.template import load_template

CONTRACT = Path(__file__).parent / "data" / "contract" / "siblings"
SAMPLE = REPO / "samples" / "siblings"
AS_OF = date(2024, 6, 1)
OPTIONS = RenderOptions(as_of=AS_OF, prepared_on=AS_OF)


def child(n: int, carer: str = "Carer A", start: date = date(2019, 1, 1)) -> ChildRecord:
    cid = f"C{n:02d}"
    born = date(2010, 1, 1) + timedelta(days=200 * n)
    placements = (
        Placement(start, date(2020, 6, 1), "foster", carer, child_id=cid),
        Placement(date(2020, 6, 1), None, "kinship", f"Own carer {n}", child_id=cid),
    )
    events = (
        Event(parse_date("01/01/2019"), "Hearing", "hearing", child_id=cid),
        Event(parse_date("01/03/2021"), "Panel", "panel", child_id=cid),
    )
    return ChildRecord(Child(cid, f"Child Number{n}", born, "G"), events, placements)


def render(records, **kwargs):
    theme = load_template()
    options = kwargs.pop("options", OPTIONS)
    done = render_group(records, "G", theme, options, today=AS_OF, **kwargs)
    return done.pdf, done.layout


@pytest.mark.parametrize(("count", "pages"), [(1, 1), (12, 1), (13, 2)])
def test_twelve_children_fit_on_one_a4_landscape_page(count, pages):
    _, layout = render([child(n, carer=f"C{n}") for n in range(count)])
    assert len(layout.pages) == pages
    assert (round(layout.pages[0].width), round(layout.pages[0].height)) == (842, 595)


def test_every_name_and_date_of_birth_is_on_the_page():
    records = [child(n) for n in range(4)]
    pdf, _ = render(records)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = doc.pages[0].extract_text()
    for record in records:
        assert record.child.name in text
        assert f"Born {record.child.date_of_birth:%d/%m/%Y}" in text
    assert "Placement history: G" in text
    assert LEGEND_LINKED in text
    assert "2 moves" not in text and "1 move" in text


def test_rows_are_ordered_by_date_of_birth():
    group = build_group([child(3), child(1), child(2)], "G", AS_OF, 92)
    assert [r.child_id for r in group.rows] == ["C01", "C02", "C03"]


def test_same_carer_at_the_same_time_is_linked_once_over_the_overlap():
    a = child(1, carer="Mr & Mrs Reid")
    b = child(2, carer="  mr & mrs REID ", start=date(2019, 6, 1))
    links = together_links([a, b], AS_OF)
    assert [(k.upper, k.lower, k.start, k.end) for k in links] == [
        (0, 1, date(2019, 6, 1), date(2020, 6, 1))
    ]
    _, layout = render([a, b])
    assert layout.links_drawn == 1


def test_different_carers_or_no_overlap_are_not_linked():
    assert together_links([child(1, "Carer A"), child(2, "Carer B")], AS_OF) == ()
    late = child(2, "Carer A", start=date(2020, 6, 1))
    assert together_links([child(1, "Carer A"), late], AS_OF) == ()
    assert together_links([child(1, ""), child(2, "")], AS_OF) == ()
    _, layout = render([child(1, "Carer A"), child(2, "Carer B")])
    assert layout.links_drawn == 0


@pytest.mark.parametrize("axis", ["date", "age"])
def test_no_text_overlaps_all_inside_never_below_minimum(axis):
    _, layout = render([child(n, carer="Same") for n in range(13)], axis=axis)
    minimum = load_template().get("text", "min_size")
    for page in layout.pages:
        texts = page.texts()
        for i, a in enumerate(texts):
            assert a.box.inside(page.box), a.text
            assert a.size >= minimum
            for b in texts[i + 1 :]:
                assert not a.box.overlaps(b.box), (a.text, b.text)


def test_age_axis_labels_ages_not_years():
    _, layout = render([child(n) for n in range(3)], axis="age")
    years = [t.text for t in layout.pages[0].texts() if t.role == "year"]
    assert years and all(int(y) < 30 for y in years)
    assert "Age (years)" in [t.text for t in layout.pages[0].texts()]


def test_redacted_rows_show_initials_and_age_only():
    options = RenderOptions(as_of=AS_OF, redact=True)
    _, layout = render([child(1)], options=options)
    words = [t.text for t in layout.pages[0].texts()]
    assert "C. N." in words and "Age 13" in words
    assert not any("Number1" in w or "Born" in w for w in words)


def test_same_input_gives_the_same_bytes():
    records = [child(n) for n in range(3)]
    assert render(records)[0] == render(records)[0]


def run(*args):
    files = ["--placements", CONTRACT / "placements.csv", "--children", CONTRACT / "children.csv"]
    return CliRunner().invoke(
        main, ["siblings", str(CONTRACT / "chronology.csv"), *map(str, files), *args]
    )


def test_unknown_group_names_the_groups_that_exist(tmp_path):
    result = run("--group", "G9", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert result.output.endswith("Error: no sibling group 'G9' in the input (groups: G1)\n")


def test_siblings_command_writes_the_group(tmp_path):
    out = tmp_path / "g1.pdf"
    result = run("--group", "G1", "--axis", "age", "--as-of", "01/06/2024", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-4:] == [
        f"wrote {out} (1 page)",
        "chronology.csv: 9 rows read: 9 used",
        "placements.csv: 4 rows read: 4 used",
        "children.csv: 2 rows read: 2 used",
    ]
    with pdfplumber.open(out) as doc:
        text = doc.pages[0].extract_text()
    assert "Sam Example" in text and "Alex Example" in text


# --- SSDA903: a placement code is not a carer ----------------------------------------------

EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,PL_POST,URN"
U4 = "U4: foster placement with other foster carer, long term"


def ssda903_cohort(tmp_path: Path) -> list[ChildRecord]:
    """Two unrelated children in long-term foster care (PLACE U4) at the same time."""
    rows = [
        "1,01/02/2016,S,C2,N1,U4,PR1,,,,AB1 2CD,1234567",
        "2,01/03/2016,S,C2,N1,U4,PR1,,,,EF3 4GH,7654321",
    ]
    path = tmp_path / "episodes.csv"
    path.write_text("\n".join([EPISODES, *rows]) + "\n", encoding="utf-8")
    dataset = load_ssda903(path, today=AS_OF)
    return dataset.records()


def test_the_same_placement_code_never_links_children(tmp_path):
    records = ssda903_cohort(tmp_path)
    assert [(p.carer, p.code, p.description) for r in records for p in r.placements] == [
        ("", "U4", U4),
        ("", "U4", U4),
    ]
    assert together_links(records, AS_OF) == ()
    _, layout = render(records)
    assert layout.links_drawn == 0
    assert LEGEND_LINKED not in [t.text for t in layout.pages[0].texts()]


@pytest.mark.parametrize("redact", [False, True])
def test_the_code_and_its_meaning_stay_on_the_page_redacted_or_not(tmp_path, redact):
    records = ssda903_cohort(tmp_path)
    pdf, _ = render(records, options=RenderOptions(as_of=AS_OF, redact=redact))
    text = " ".join(pdf_text(pdf)[0].split())
    assert "U4: foster placement with other foster carer, long term" in text


def test_a_code_is_shown_when_its_meaning_does_not_fit():
    ctx = Ctx.for_theme(load_template())
    placement = Placement(date(2020, 1, 1), None, "foster", code="U4", description=U4)
    words = [w[0] for w in segment_words(ctx, placement, 14, 9, 400)]
    assert words == ["U4"]


# --- who lived with whom ------------------------------------------------------------------


def family() -> list[ChildRecord]:
    """Ann and Ben with the Reids, then with Gran; Cat joins them at Gran's for a while."""

    def record(cid: str, name: str, born: date, stays: list[tuple[date, date | None, str]]):
        placements = tuple(Placement(a, b, "foster", c, child_id=cid) for a, b, c in stays)
        return ChildRecord(Child(cid, name, born, "G"), (), placements)

    reid, gran = date(2019, 1, 1), date(2020, 1, 1)
    ann = [(reid, gran, "The Reids"), (gran, None, "Gran")]
    ben = [(reid, gran, " the reids"), (gran, None, "Gran")]
    cat = [(date(2021, 1, 1), date(2022, 1, 1), "Gran")]
    return [
        record("A", "Ann Bell", date(2012, 1, 1), ann),
        record("B", "Ben Bell", date(2014, 1, 1), ben),
        record("C", "Cat Bell", date(2016, 1, 1), cat),
    ]


def test_together_spans_name_the_company_and_follow_children_who_move_together():
    group = build_group(family(), "G", AS_OF, 92)
    ann, ben, cat = group.together
    assert ann == (
        Together(date(2019, 1, 1), date(2021, 1, 1), (1,)),
        Together(date(2021, 1, 1), date(2022, 1, 1), (1, 2)),
        Together(date(2022, 1, 1), AS_OF, (1,)),
    )
    assert ben == tuple(Together(t.start, t.end, (0, *t.others[1:])) for t in ann)
    assert cat == (Together(date(2021, 1, 1), date(2022, 1, 1), (0, 1)),)


def test_strips_say_who_with_and_connectors_mark_where_time_together_starts():
    _, layout = render(family())
    page = layout.pages[0]
    together = [t.text for t in page.texts() if t.role == "together"]
    assert together[:2] == ["with Ben", "with Ben and Cat"]
    assert "with Ann and Ben" in together
    # Ann and Ben start together (one connector) and move on together (none); Cat joins
    # both, but a connector never passes another child's row: only Ben's row meets hers.
    assert layout.links_drawn == 2
    assert LEGEND_LINKED in [t.text for t in page.texts()]


def test_each_household_has_its_own_letter_on_every_row():
    _, layout = render(sample_records())
    tags = [t for t in layout.pages[0].texts() if t.role == "household"]
    letters = [t.text for t in tags]
    assert {"B", "C", "D"} <= set(letters) <= {"A", "B", "C", "D"}
    assert letters.count("B") >= 3  # Mr & Mrs Reid: Łukasz, Zoë, Aoife and Oisín
    boxes = [t.box for t in layout.pages[0].texts()]
    assert all(sum(tag.box.overlaps(b) for b in boxes) == 1 for tag in tags)


def test_a_page_about_several_children_says_them_not_you():
    from timelines.layout.siblings_page import about_several

    ctx = Ctx.for_theme(load_template("family"))
    assert ctx.plain("prospective adopters") == "people who hope to adopt you"
    assert about_several(ctx).plain("prospective adopters") == "people who hope to adopt them"
    assert about_several(ctx).plain("a LAC review") == "a meeting to review their care"


def test_the_age_axis_keeps_the_strips_and_leaves_out_the_connectors():
    _, layout = render(family(), axis="age")
    assert layout.links_drawn == 0
    together = [t.text for t in layout.pages[0].texts() if t.role == "together"]
    assert together[:2] == ["with Ben", "with Ben, Cat"]  # narrower: a year is less wide


# --- the page for a few children -------------------------------------------------------------


def sample_records() -> list[ChildRecord]:
    dataset = load(Inputs(SAMPLE), AS_OF)
    return dataset.records()


def test_four_children_fill_the_page_with_tall_rows():
    _, layout = render(sample_records())
    page = layout.pages[0]
    years = [t for t in page.texts() if t.role == "year"]
    assert min(t.y for t in years) < 0.2 * page.height  # the bottom axis, near the legend
    bands = [r for r in page.items if getattr(r, "stroke", None) and getattr(r, "h", 0) >= 40]
    assert len(bands) >= 4


def test_carers_are_written_whole_on_several_lines_with_how_long():
    _, layout = render(sample_records())
    carers = [t.text for t in layout.pages[0].texts() if t.role == "carer"]
    assert not [c for c in carers if "…" in c]
    assert carers[:4] == ["Mother", "(Ms", "Nowak)", "5 months"]
    assert "Mr & Mrs Reid (foster carers)" in carers
    assert "3 years 5 months" in carers
    assert "Cedar House (children's house)" in carers


def test_the_longest_wait_of_a_row_is_written_under_it():
    _, layout = render(sample_records())
    waits = [t.text for t in layout.pages[0].texts() if t.role == "gap"]
    assert "longest wait: 1 year 2 months" in waits


def test_sample_page_names_who_each_child_lived_with():
    pdf, _ = render(sample_records())
    text = pdf_text(pdf)[0]
    for words in ("with Zoë and Aoife", "with Łukasz and Aoife", "with Zoë, Oisín", "with Aoife"):
        assert words in text


@pytest.mark.parametrize("size", ["A4", "A3"])
@pytest.mark.parametrize("axis", ["date", "age"])
@pytest.mark.parametrize("redact", [False, True])
def test_sample_text_never_overlaps_or_leaves_the_page(size, axis, redact):
    options = RenderOptions(as_of=AS_OF, page_size=size, redact=redact)
    _, layout = render(sample_records(), options=options, axis=axis)
    minimum = load_template().get("text", "min_size")
    page = layout.pages[0]
    assert overlapping_texts(page) == []
    for text in page.texts():
        assert text.box.inside(page.box), text.text
        assert text.size >= minimum


def test_the_birth_is_starred_unless_redacted():
    def stars(redact: bool) -> int:
        options = RenderOptions(as_of=AS_OF, redact=redact)
        _, layout = render(sample_records(), options=options)
        return sum(isinstance(m, Marker) and m.shape == "star" for m in layout.pages[0].items)

    assert stars(False) >= 1  # Oisín, born on the axis (a white halo and the star)
    assert stars(True) == 0


@pytest.mark.parametrize("pitch", [28.0, 33.0, 50.0, 80.0, 160.0])
def test_a_row_box_stacks_its_parts_inside_its_slot(pitch):
    box = row_box(500.0, pitch)
    assert box.bottom <= box.wait < box.band < box.band_top < box.strip < box.marks < box.top
    assert box.top == 500.0 and box.bottom == 500.0 - pitch
    assert box.band_h >= (8.0 if pitch > 30 else 4.0)


def test_a_child_is_never_linked_to_itself():
    stays = (
        Placement(date(2020, 1, 1), None, "foster", "Ms Kerr", child_id="A"),
        Placement(date(2020, 3, 1), date(2020, 4, 1), "foster", "Ms Kerr", child_id="A"),
    )
    record = ChildRecord(Child("A", "Ann Bell", date(2012, 1, 1)), (), stays)
    assert together_links([record], AS_OF) == ()
