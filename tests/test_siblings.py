"""Grouped placement histories: rows, together-links, pages and the siblings command."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner

from timelines.api import siblings_pdf
from timelines.cli import main
from timelines.dates import parse_date
from timelines.layout.siblings_page import LEGEND_LINKED
from timelines.model import Child, ChildRecord, Event, Placement
from timelines.options import RenderOptions
from timelines.siblings import build_group, together_links
from timelines.template import load_template

CONTRACT = Path(__file__).parent / "data" / "contract" / "siblings"
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
    return siblings_pdf(records, "G", theme, kwargs.pop("options", OPTIONS), today=AS_OF, **kwargs)


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
    assert result.output.endswith(f"wrote {out} (1 page)\n")
    with pdfplumber.open(out) as doc:
        text = doc.pages[0].extract_text()
    assert "Sam Example" in text and "Alex Example" in text
