"""The bundled samples follow the input contract (checked without the loaders)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest

from timelines.model.dates import DateError, parse_date, parse_exact_date
from timelines.model.vocab import CATEGORIES, PLACEMENT_TYPES, normalise_code

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
VALID = ("child", "siblings", "messy")


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows as {heading: text}, headings stripped and lower-cased, blank rows left out."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in next(reader)]
    rows = [dict(zip(header, (c.strip() for c in row), strict=True)) for row in reader]
    return [row for row in rows if any(row.values())]


def table(folder: str, name: str) -> list[dict[str, str]]:
    return read_rows(SAMPLES / folder / name)


@pytest.mark.parametrize("folder", VALID)
def test_every_event_has_a_date_label_and_known_category(folder):
    events = table(folder, "chronology.csv")
    assert events
    for row in events:
        parse_date(row["date"])
        assert row["event"] and len(row["event"]) <= 40, row["event"]
        assert normalise_code(row["category"]) in CATEGORIES, row["category"]
        assert row["key"] in ("", "yes")


@pytest.mark.parametrize("folder", VALID)
def test_every_placement_has_exact_dates_in_order_and_a_known_type(folder):
    placements = table(folder, "placements.csv")
    assert placements
    for row in placements:
        start = parse_exact_date(row["start_date"])
        if row["end_date"]:
            assert parse_exact_date(row["end_date"]) > start
        assert row["placement_type"] in PLACEMENT_TYPES
        assert row["carer"]


@pytest.mark.parametrize("folder", VALID)
def test_children_have_a_date_of_birth_and_every_id_is_known(folder):
    children = {row["child_id"]: row for row in table(folder, "children.csv")}
    for row in children.values():
        parse_exact_date(row["date_of_birth"])
    for name in ("chronology.csv", "placements.csv"):
        assert {row["child_id"] for row in table(folder, name)} <= set(children)


def test_child_sample_tells_the_whole_story():
    events = table("child", "chronology.csv")
    placements = table("child", "placements.csv")
    (child,) = table("child", "children.csv")
    assert child["name"] == "Seònaid Robertson"
    assert 35 <= len(events) <= 45
    assert sum(row["key"] == "yes" for row in events) == 8
    assert len(placements) == 6
    assert [row["end_date"] for row in placements].count("") == 1
    for before, after in pairwise(placements):
        assert before["end_date"] == after["start_date"]
    dates = [parse_date(row["date"]) for row in events]
    assert {d.precision for d in dates} == {"day", "month"}
    assert sum(d.approximate for d in dates) == 1
    wanted = {"birth", "referral", "child_protection", "hearing", "review", "decision",
              "panel", "court", "order", "placement", "contact", "health", "education"}  # fmt: skip
    assert wanted <= {row["category"] for row in events}


def test_child_sample_has_long_gaps_between_decisions():
    decisions = sorted(
        parse_date(row["date"]).start
        for row in table("child", "chronology.csv")
        if row["category"] in ("hearing", "decision", "panel", "court", "order")
    )
    gaps = [(b - a).days for a, b in pairwise(decisions)]
    assert sum(gap > 213 for gap in gaps) >= 2  # 7 months


def test_sibling_sample_is_one_group_of_four_sometimes_together():
    children = table("siblings", "children.csv")
    assert len(children) == 4
    assert {row["sibling_group"] for row in children} == {"SG1"}
    names = {row["name"] for row in children}
    assert {"Zoë Nowak", "Łukasz Nowak"} <= names
    events = Counter(row["child_id"] for row in table("siblings", "chronology.csv"))
    placements = table("siblings", "placements.csv")
    moves = Counter(row["child_id"] for row in placements)
    assert all(10 <= events[c["child_id"]] <= 25 for c in children)
    assert all(2 <= moves[c["child_id"]] <= 6 for c in children)
    by_carer: dict[str, set[str]] = {}
    for row in placements:
        by_carer.setdefault(row["carer"], set()).add(row["child_id"])
    shared = [carer for carer, kids in by_carer.items() if len(kids) > 1]
    assert len(shared) >= 3
    assert any(len(kids) == 1 for kids in by_carer.values())


def test_messy_sample_is_saved_the_way_excel_saves_it():
    chronology = (SAMPLES / "messy" / "chronology.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        chronology.decode("utf-8")
    assert b"\r\n" in chronology and b"\n,,,,,,\r\n,,,,,,\r\n" in chronology
    assert chronology.startswith(b"child_id, Date ,EVENT,Category,")
    placements = (SAMPLES / "messy" / "placements.csv").read_bytes()
    assert placements.startswith(b"\xef\xbb\xbfchild_id,") and b"\r\n" in placements
    assert len(table("messy", "chronology.csv")) == 13


def test_invalid_sample_has_the_intended_mistakes():
    events = table("invalid", "chronology.csv")
    with pytest.raises(DateError, match="February 2017 has 28 days"):
        parse_date(events[2]["date"])
    assert events[3]["event"] == ""
    assert events[4]["category"] not in CATEGORIES
    first = table("invalid", "placements.csv")[0]
    assert parse_exact_date(first["end_date"]) < parse_exact_date(first["start_date"])
