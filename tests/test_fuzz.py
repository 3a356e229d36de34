"""Input that cannot break it: whatever the files hold, `render` and `validate` end in
exit 0 with a PDF, or exit 1 with an `Error:` message, never a traceback or a partial file."""

from __future__ import annotations

import os
import tempfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timelines.cli import main

# TIMELINES_FUZZ=500 runs 500 random examples per test instead of the fixed 40 of CI.
DEEP = int(os.environ.get("TIMELINES_FUZZ", "0"))
FUZZ = settings(
    max_examples=DEEP or 40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=not DEEP,
    database=None,
)
RTL = "\u05d0\u05d1\u05d2\u0627\u0644\u0639\u0631\u0628\u064a\u0629\u202e\u202d\u200f"
CONTROL = "".join(chr(c) for c in range(0, 32)) + "\x7f\u2028\u2029\ufeff\ufffe"
ODD_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(RTL + CONTROL + ',"\r\n;\t'),
    ),
    max_size=300,
)
# Any words at all, with right-to-left text and a few line breaks and tabs.
WILD_WORDS = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
        st.sampled_from(RTL + ',"\r\n\t '),
    ),
    max_size=300,
)
CATEGORIES = st.one_of(
    st.sampled_from(["review", "hearing", "birth", "LAC review", "Contact", "", "other"]),
    ODD_TEXT,
)
PLACEMENT_TYPES = st.one_of(
    st.sampled_from(["foster", "kinship", "home", "Residential care", "", "boat"]), ODD_TEXT
)


@st.composite
def date_text(draw) -> str:
    day = draw(st.dates(min_value=date(1890, 1, 1), max_value=date(2110, 12, 31)))
    form = draw(
        st.sampled_from(
            ["%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y", "%b %Y", "c. %Y", "?%d/%m/%Y", "%d.%m.%Y"]
        )
    )
    return draw(
        st.one_of(
            st.just(day.strftime(form)),
            st.just(""),
            st.just("31/02/2020"),
            st.just("00/00/0000"),
            st.just("01/01/1900"),
            st.just("31/12/2100"),
            st.integers(-100_000, 3_000_000).map(str),
            ODD_TEXT,
        )
    )


def _cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@st.composite
def chronology_csv(draw) -> str:
    rows = draw(
        st.lists(
            st.tuples(
                date_text(),
                st.one_of(ODD_TEXT, st.text(min_size=2000, max_size=6000), st.just("")),
                CATEGORIES,
                ODD_TEXT,
                st.sampled_from(["", "yes", "no", "maybe", "Y"]),
            ),
            max_size=25,
        )
    )
    lines = ["date,event,category,detail,redact"]
    lines += [",".join(_cell(c) for c in row) for row in rows]
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines) + "\n"


@st.composite
def placements_csv(draw) -> str:
    rows = draw(
        st.lists(st.tuples(date_text(), date_text(), PLACEMENT_TYPES, ODD_TEXT), max_size=8)
    )
    lines = ["start_date,end_date,placement_type,carer"]
    lines += [",".join(_cell(c) for c in row) for row in rows]
    return "\n".join(lines) + "\n"


def run_both(folder: Path) -> None:
    """render and validate the folder; check the invariants every input must keep."""
    out_dir = folder / "out"
    out_dir.mkdir()
    out = out_dir / "timeline.pdf"
    runner = CliRunner()
    result = runner.invoke(main, ["render", str(folder), "-o", str(out), "--as-of", "01/06/2024"])
    check(result)
    written = sorted(p.name for p in out_dir.iterdir())
    if result.exit_code == 0:
        assert written == ["timeline.pdf"], written
        assert out.read_bytes().startswith(b"%PDF-")
    else:
        assert written == [], written
    result = runner.invoke(main, ["validate", str(folder)])
    check(result)


def check(result) -> None:
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"crashed: {result.output}") from result.exception
    assert result.exit_code in (0, 1), (result.exit_code, result.output)
    if result.exit_code == 1:
        last = result.output.strip().splitlines()[-1]
        assert last.startswith("Error: ") or last.endswith(" warnings") or " error" in last, (
            result.output
        )
    assert "Traceback" not in result.output


def folder_with(files: dict[str, bytes]) -> tempfile.TemporaryDirectory:
    holder = tempfile.TemporaryDirectory()
    for name, data in files.items():
        (Path(holder.name) / name).write_bytes(data)
    return holder


@FUZZ
@given(st.binary(max_size=3000), st.binary(max_size=500))
def test_random_bytes(chronology, placements):
    with folder_with({"chronology.csv": chronology, "placements.csv": placements}) as name:
        run_both(Path(name))


@FUZZ
@given(ODD_TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_random_text_after_a_good_header(body, encoding):
    text = "date,event,category\n" + body
    data = text.encode(encoding, errors="replace")
    with folder_with({"chronology.csv": data}) as name:
        run_both(Path(name))


@FUZZ
@given(chronology_csv(), placements_csv(), st.booleans())
def test_messy_rows(chronology, placements, with_children):
    files = {
        "chronology.csv": chronology.encode("utf-8", errors="surrogatepass"),
        "placements.csv": placements.encode("utf-8", errors="surrogatepass"),
    }
    if with_children:
        files["children.csv"] = (
            b"child_id,name,date_of_birth\nchild,\xe2\x80\xaeAbc Def,01/01/2015\n"
        )
    with folder_with(files) as name:
        run_both(Path(name))


CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31)),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=200),
)


@FUZZ
@given(st.lists(st.lists(CELLS, min_size=1, max_size=6), max_size=20), st.booleans())
def test_random_xlsx_cells(rows, with_header):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "chronology"
    if with_header:
        sheet.append(["date", "event", "category", "detail", "redact", "key"])
    for row in rows:
        sheet.append(row)
    with tempfile.TemporaryDirectory() as name:
        book.save(Path(name) / "chronology.xlsx")
        run_both(Path(name))


def test_two_thousand_events_on_one_day(tmp_path):
    rows = "".join(f"14/03/2021,Visit number {i},contact\n" for i in range(2000))
    (tmp_path / "chronology.csv").write_text("date,event,category\n14/03/2020,Birth,birth\n" + rows)
    run_both(tmp_path)
    assert (tmp_path / "out" / "timeline.pdf").exists()


def test_extreme_and_reversed_dates(tmp_path):
    (tmp_path / "chronology.csv").write_text(
        "date,event\n01/01/1900,Very early\n31/12/2100,Very late\n15/06/2010,Middle\n"
    )
    (tmp_path / "placements.csv").write_text(
        "start_date,end_date,placement_type\n01/01/2012,01/01/2011,foster\n"
        "01/01/2013,,kinship\n01/01/2014,,foster\n"
    )
    run_both(tmp_path)


@st.composite
def drawable_csv(draw) -> tuple[str, str]:
    """Valid dates and codes, wild words: these must be drawn, not refused."""
    days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
    rows = draw(
        st.lists(
            st.tuples(
                days.map(lambda d: d.strftime("%d/%m/%Y")),
                st.one_of(WILD_WORDS, st.text(min_size=500, max_size=1500)).map(
                    lambda t: "E " + t.replace("\x00", "")  # a NUL: "not a text file"
                ),
                st.sampled_from(["review", "hearing", "birth", "contact", "court", "other"]),
                WILD_WORDS,
                st.sampled_from(["", "yes", "no"]),
            ),
            min_size=1,
            max_size=30,
        )
    )
    moves = sorted(set(draw(st.lists(days, max_size=6))))
    kinds = draw(st.lists(st.sampled_from(["foster", "kinship"]), min_size=6, max_size=6))
    stays = list(zip(moves, moves[1:], kinds, strict=False))
    chronology = "date,event,category,detail,redact\n" + "".join(
        ",".join(_cell(c) for c in row) + "\n" for row in rows
    )
    placements = "start_date,end_date,placement_type\n" + "".join(
        f"{a:%d/%m/%Y},{b:%d/%m/%Y},{kind}\n" for a, b, kind in sorted(stays)
    )
    return chronology, placements


@settings(FUZZ, max_examples=DEEP or 25)
@given(drawable_csv(), st.sampled_from(["hearing", "family", "panel"]), st.booleans())
def test_wild_words_are_drawn(tables, template, redact):
    chronology, placements = tables
    files = {
        "chronology.csv": chronology.encode("utf-8", errors="surrogatepass"),
        "placements.csv": placements.encode(),
    }
    with folder_with(files) as name:
        folder = Path(name)
        out = folder / "out" / "t.pdf"
        args = ["render", name, "-o", str(out), "--as-of", "01/06/2024", "--template", template]
        result = CliRunner().invoke(main, args + (["--redact"] if redact else []))
        check(result)
        # Overlapping placements and mostly-control-character files are refused on purpose.
        refused = result.exit_code == 1 and (
            "placement" in result.output or "not a text file" in result.output
        )
        assert result.exit_code == 0 or refused, result.output
        assert out.exists() == (result.exit_code == 0)
