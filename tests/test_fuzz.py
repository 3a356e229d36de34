"""Input that cannot break it: whatever the files hold, `render`, `validate` and `siblings`
end in exit 0 with a PDF, or exit 1 with an `Error:` message, never a traceback, another
exit status or a partial file. Input that is valid apart from its words is always drawn.

Two kinds of test: *garbage* (random bytes, broken CSV, random workbook cells) must end
cleanly, and *drawable* input (real dates and codes, wild words: right-to-left text,
huge labels, emoji, lone accents) must end in a PDF, so the layout and drawing code is
exercised too, not only the loader's refusals.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timelines.cli import main

# TIMELINES_FUZZ=500 runs 500 random examples per test instead of CI's fixed, repeatable few.
DEEP = int(os.environ.get("TIMELINES_FUZZ", "0"))
FUZZ = settings(
    max_examples=DEEP or 30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=not DEEP,
    database=None,
)
RTL = "\u05d0\u05d1\u05d2\u0627\u0644\u0639\u0631\u0628\u064a\u0629\u202e\u202d\u200f"
CONTROL = "".join(chr(c) for c in range(0, 32)) + "\x7f\u2028\u2029\ufeff\ufffe"
ODD = "\u0301\u200b\u00ad\ufe0f\U0001f600\U0001f46a\u4e2d\u6587\u0915\u093f" + "Łłßøæ'’&<>%"
# Any words at all: right-to-left text, combining accents, emoji, quotes, breaks and tabs.
WILD_WORDS = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
        st.sampled_from(RTL + ODD + ',"\r\n\t '),
    ),
    max_size=200,
)
HUGE_WORDS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
    min_size=1500,
    max_size=4000,
)
# Words with control characters now and then (a file of mostly control characters is
# refused as "not a text file", on purpose).
ODD_TEXT = st.one_of(
    *[WILD_WORDS] * 15,
    st.text(alphabet=st.sampled_from(CONTROL + RTL + ',"\r\n;\t'), max_size=2),
)
CATEGORIES = st.one_of(
    st.sampled_from(["review", "hearing", "birth", "LAC review", "Contact", "", "other"]),
    ODD_TEXT,
)
PLACEMENT_TYPES = st.one_of(
    st.sampled_from(["foster", "kinship", "home", "Residential care", "", "boat"]), ODD_TEXT
)
DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


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


def _csv(heading: str, rows: list[tuple[str, ...]], newline: str = "\n") -> str:
    return newline.join([heading, *(",".join(_cell(c) for c in row) for row in rows)]) + newline


@st.composite
def chronology_csv(draw) -> str:
    rows = draw(
        st.lists(
            st.tuples(
                date_text(),
                st.one_of(ODD_TEXT, HUGE_WORDS, st.just("")),
                CATEGORIES,
                ODD_TEXT,
                st.sampled_from(["", "yes", "no", "maybe", "Y"]),
            ),
            max_size=25,
        )
    )
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return _csv("date,event,category,detail,redact", rows, newline)


@st.composite
def placements_csv(draw) -> str:
    rows = draw(
        st.lists(st.tuples(date_text(), date_text(), PLACEMENT_TYPES, ODD_TEXT), max_size=8)
    )
    return _csv("start_date,end_date,placement_type,carer", rows)


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args))


def run_all(folder: Path, must_draw: bool = False, *options: str) -> None:
    """render, siblings and validate the folder; check what every input must keep."""
    out_dir = folder / "out"
    out_dir.mkdir()
    for command, name in (("render", "timeline.pdf"), ("siblings", "group.pdf")):
        out = out_dir / name
        result = run_cli(command, str(folder), "-o", str(out), "--as-of", "01/06/2024", *options)
        check(result)
        assert out.exists() == (result.exit_code == 0)
        if result.exit_code == 0:
            assert out.read_bytes().startswith(b"%PDF-")
        assert must_draw <= (result.exit_code == 0), result.output
    assert [p.name for p in out_dir.iterdir() if p.suffix != ".pdf"] == []  # no partial file
    check(run_cli("validate", str(folder)))


def check(result) -> None:
    """A clean ending: exit 0, or 1 with an `Error:` (or validate's count); no traceback."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"crashed: {result.output}") from result.exception
    assert result.exit_code in (0, 1), (result.exit_code, result.output)
    if result.exit_code == 1:
        last = result.output.strip().splitlines()[-1]
        assert last.startswith("Error: ") or last.endswith((" warnings", " warning")), result.output
    assert "Traceback" not in result.output


def folder_with(files: dict[str, bytes]) -> tempfile.TemporaryDirectory:
    holder = tempfile.TemporaryDirectory()
    for name, data in files.items():
        (Path(holder.name) / name).write_bytes(data)
    return holder


# --- garbage: ends cleanly -------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=3000), st.binary(max_size=500))
def test_random_bytes(chronology, placements):
    with folder_with({"chronology.csv": chronology, "placements.csv": placements}) as name:
        run_all(Path(name))


@FUZZ
@given(ODD_TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_random_text_after_a_good_header(body, encoding):
    text = "date,event,category\n" + body
    data = text.encode(encoding, errors="replace")
    with folder_with({"chronology.csv": data}) as name:
        run_all(Path(name))


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
        run_all(Path(name))


CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=True, allow_infinity=True),
    DAYS,
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31)),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=200),
)


def workbook(sheets: dict[str, list[list]], folder: Path) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = folder / "child.xlsx"
    book.save(path)
    return path


@settings(FUZZ, max_examples=DEEP or 20)
@given(st.lists(st.lists(CELLS, min_size=1, max_size=6), max_size=20), st.booleans())
def test_random_xlsx_cells(rows, with_header):
    header = [["date", "event", "category", "detail", "redact", "key"]] if with_header else []
    with tempfile.TemporaryDirectory() as name:
        workbook({"chronology": header + rows}, Path(name))
        run_all(Path(name))


# --- drawable: always a PDF ------------------------------------------------------------


@st.composite
def drawable_rows(draw, with_huge: bool = True) -> tuple[list[list], list[list]]:
    """Valid dates, codes and placements (one after another), wild words."""
    words = st.one_of(WILD_WORDS, HUGE_WORDS) if with_huge else WILD_WORDS
    events = draw(
        st.lists(
            st.tuples(
                DAYS,
                words.map(lambda t: "E " + t),  # a label is never blank
                st.sampled_from(["review", "hearing", "birth", "contact", "court", "other"]),
                WILD_WORDS,
                st.sampled_from(["", "yes", "no"]),
            ),
            min_size=1,
            max_size=30,
        )
    )
    moves = sorted(set(draw(st.lists(DAYS, max_size=6))))
    kinds = st.sampled_from(["foster", "kinship", "home", "residential", "secure", "adoptive"])
    stays = [
        [start, end, draw(kinds), draw(WILD_WORDS)]
        for start, end in zip(moves, moves[1:], strict=False)
    ]
    return [list(e) for e in events], stays


@settings(FUZZ, max_examples=DEEP or 20)
@given(drawable_rows(), st.sampled_from(["hearing", "family", "panel", "england"]), st.booleans())
def test_wild_words_in_csv_are_drawn(tables, template, redact):
    events, stays = tables
    chronology = _csv(
        "date,event,category,detail,redact",
        [(f"{d:%d/%m/%Y}", *rest) for d, *rest in events],
    )
    placements = _csv(
        "start_date,end_date,placement_type,carer",
        [(f"{a:%d/%m/%Y}", f"{b:%d/%m/%Y}", kind, carer) for a, b, kind, carer in stays],
    )
    files = {
        "chronology.csv": chronology.encode("utf-8", errors="surrogatepass"),
        "placements.csv": placements.encode("utf-8", errors="surrogatepass"),
    }
    options = ["--template", template] + (["--redact"] if redact else [])
    with folder_with(files) as name:
        run_all(Path(name), True, *options)


@settings(FUZZ, max_examples=DEEP or 10)
@given(drawable_rows(with_huge=False), st.booleans())
def test_wild_words_in_xlsx_are_drawn(tables, dates_as_text):
    events, stays = tables
    for row in events:
        row[0] = f"{row[0]:%d/%m/%Y}" if dates_as_text else row[0]
    sheets = {
        "chronology": [["date", "event", "category", "detail", "redact"], *events],
        "placements": [["start_date", "end_date", "placement_type", "carer"], *stays],
    }
    with tempfile.TemporaryDirectory() as name:
        workbook(sheets, Path(name))
        run_all(Path(name), True)


def test_two_thousand_events_on_one_day(tmp_path):
    rows = "".join(f"14/03/2021,Visit number {i},contact\n" for i in range(2000))
    (tmp_path / "chronology.csv").write_text("date,event,category\n14/03/2020,Birth,birth\n" + rows)
    run_all(tmp_path, True)
    assert (tmp_path / "out" / "timeline.pdf").exists()


def test_extreme_and_reversed_dates(tmp_path):
    (tmp_path / "chronology.csv").write_text(
        "date,event\n01/01/1900,Very early\n31/12/2100,Very late\n15/06/2010,Middle\n"
    )
    (tmp_path / "placements.csv").write_text(
        "start_date,end_date,placement_type\n01/01/2012,01/01/2011,foster\n"
        "01/01/2013,,kinship\n01/01/2014,,foster\n"
    )
    run_all(tmp_path)


def test_a_century_of_events_is_drawn(tmp_path):
    (tmp_path / "chronology.csv").write_text(
        "date,event\n01/01/1900,Very early\n31/12/2100,Very late\n15/06/2010,Middle\n"
    )
    run_all(tmp_path, True)


# --- the checks themselves can fail -----------------------------------------------------


def test_a_crash_is_caught_by_the_check(tmp_path, monkeypatch):
    """A bug anywhere in the pipeline ends in exit 3 and a message, and fails these tests."""
    (tmp_path / "chronology.csv").write_text("date,event\n01/01/2010,Something\n")

    def broken(*args, **kwargs):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr("timelines.pipeline.child.analyse", broken)
    result = run_cli("render", str(tmp_path), "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 3
    assert result.output.startswith("Error: unexpected ZeroDivisionError: float division by zero")
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.pdf").exists()
    with pytest.raises(AssertionError):
        check(result)
    with pytest.raises(AssertionError):
        run_all(tmp_path, True)


def test_a_file_that_cannot_be_read_is_a_clean_error(tmp_path, monkeypatch):
    """Permission denied, or a file that vanished after it was found: exit 1, no traceback."""
    (tmp_path / "chronology.csv").write_text("date,event\n01/01/2010,Something\n")
    (tmp_path / "placements.csv").write_text("start_date,end_date,placement_type\n")
    real = Path.open

    def unreadable(self: Path, *args, **kwargs):
        if self.name == "placements.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", unreadable)
    result = run_cli("render", str(tmp_path), "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "error: placements.csv: cannot be read (Permission denied)",
        "Error: 1 error in the input; nothing was written",
    ]
    assert not (tmp_path / "x.pdf").exists()
    check(result)


def test_debug_lets_the_traceback_through(tmp_path, monkeypatch):
    monkeypatch.setenv("TIMELINES_DEBUG", "1")
    monkeypatch.setattr("timelines.api.load_template", lambda name: 1 / 0)
    result = run_cli("render", str(tmp_path))
    assert isinstance(result.exception, ZeroDivisionError)
