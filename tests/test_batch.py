"""Cohort batch: per-child PDFs, groups, booklet, summary.csv, errors.csv, exit codes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from timelines.cli import main

CHILDREN = """child_id,name,date_of_birth,sibling_group
C1,Anna One,01/02/2012,G1
C2,Ben One,03/04/2014,G1
C3,Cara Two,05/06/2015,G2
C4,Dan Broken,07/08/2016,G2
C5,Eve Three,09/10/2017,
C6,Finn Four,11/12/2018,
"""


def cohort(folder: Path) -> Path:
    """Six children; C4's third chronology row has an impossible date."""
    events = ["child_id,date,event,category,key"]
    placements = ["child_id,start_date,end_date,placement_type,carer"]
    for n in range(1, 7):
        cid = f"C{n}"
        day = "31/02/2020" if cid == "C4" else "15/02/2020"
        events += [
            f"{cid},01/03/2019,Referral,referral,",
            f"{cid},01/06/2019,Children's Hearing,hearing,yes",
            f"{cid},{day},LAC review,review,",
        ]
        carer = "Mr Reid" if n <= 2 else f"Carer {n}"
        placements += [
            f"{cid},01/06/2019,01/01/2021,foster,{carer}",
            f"{cid},01/01/2021,,kinship,Aunt {n}",
        ]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "children.csv").write_text(CHILDREN, encoding="utf-8")
    (folder / "chronology.csv").write_text("\n".join(events) + "\n", encoding="utf-8")
    (folder / "placements.csv").write_text("\n".join(placements) + "\n", encoding="utf-8")
    return folder


def run_batch(tmp_path: Path, name: str = "out", jobs: str = "1", *more: str):
    data = cohort(tmp_path / "data")
    out = tmp_path / name
    args = ["batch", "--chronology", str(data / "chronology.csv")]
    args += ["--placements", str(data / "placements.csv"), "--children", str(data / "children.csv")]
    args += ["--out", str(out), "--jobs", jobs, "--as-of", "01/06/2024", *more]
    return CliRunner().invoke(main, args), out


@pytest.fixture(scope="module")
def done(tmp_path_factory):
    return run_batch(tmp_path_factory.mktemp("batch"), jobs="2")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_one_broken_child_gives_exit_code_2_and_the_rest_are_drawn(done):
    result, out = done
    assert result.exit_code == 2, result.output
    assert result.output.splitlines() == [
        f"wrote {out}: 5 children drawn, 1 failed, 2 sibling groups",
        "chronology.csv: 18 rows read: 17 used, 1 with errors",
        "placements.csv: 12 rows read: 12 used",
        "children.csv: 6 rows read: 6 used",
    ]
    drawn = sorted(p.name for p in (out / "children").iterdir())
    assert drawn == ["C1.pdf", "C2.pdf", "C3.pdf", "C5.pdf", "C6.pdf"]
    # Named after each group's first child: a group's name may be a family name.
    assert sorted(p.name for p in (out / "groups").iterdir()) == ["group-C1.pdf", "group-C3.pdf"]


def test_booklet_has_an_index_and_a_bookmark_per_drawn_child(done):
    _, out = done
    reader = PdfReader(out / "booklet.pdf")
    assert len(reader.pages) == 1 + 5
    titles = [item.title for item in reader.outline]
    assert titles == ["Index"] + [
        f"Timeline for {n}" for n in ("Anna One", "Ben One", "Cara Two", "Eve Three", "Finn Four")
    ]
    index = reader.pages[0].extract_text()
    assert "Dan Broken" in index and "not drawn (errors)" in index


def test_summary_has_one_row_per_child_with_every_column(done):
    _, out = done
    rows = read_csv(out / "summary.csv")
    assert list(rows[0])[:13] == [
        "child_id", "age_years", "first_looked_after", "days_looked_after", "placements",
        "moves", "longest_gap_days", "days_since_last_decision", "current_placement_type",
        "warnings", "status", "group_pdf", "open_wait_days",
    ]  # fmt: skip
    assert list(rows[0])[-2:] == ["court_due", "court_days_late"]  # the template's targets
    assert [(r["child_id"], r["status"]) for r in rows] == [
        ("C1", "rendered"), ("C2", "rendered"), ("C3", "rendered"),
        ("C4", "failed"), ("C5", "rendered"), ("C6", "rendered"),
    ]  # fmt: skip
    first = rows[0]
    assert (first["age_years"], first["first_looked_after"], first["placements"]) == (
        "12",
        "01/06/2019",
        "2",
    )
    assert (first["moves"], first["current_placement_type"], first["warnings"]) == (
        "1",
        "kinship",
        "0",
    )
    assert first["days_since_last_decision"] == str(1827)
    groups = [r["group_pdf"] for r in rows]
    assert groups == ["groups/group-C1.pdf"] * 2 + ["groups/group-C3.pdf"] * 2 + ["", ""]


def test_errors_csv_names_file_row_column_and_child(done):
    _, out = done
    rows = read_csv(out / "errors.csv")
    assert len(rows) == 1
    assert rows[0]["file"] == "chronology.csv"
    assert (rows[0]["row"], rows[0]["column"], rows[0]["child_id"]) == ("13", "date", "C4")
    assert "not a real date" in rows[0]["message"]


def test_the_booklet_is_byte_for_byte_repeatable(tmp_path, done):
    result, out = run_batch(tmp_path, jobs="1")
    assert result.exit_code == 2
    assert (out / "booklet.pdf").read_bytes() == (done[1] / "booklet.pdf").read_bytes()
    assert (out / "summary.csv").read_bytes() == (done[1] / "summary.csv").read_bytes()


def test_large_cohorts_split_the_booklet_into_volumes(tmp_path, monkeypatch):
    import timelines.pipeline.booklet

    monkeypatch.setattr(timelines.pipeline.booklet, "BOOKLET_VOLUME", 4)
    result, out = run_batch(tmp_path, jobs="1")
    assert result.exit_code == 2
    assert not (out / "booklet.pdf").exists()
    first, second = PdfReader(out / "booklet-001.pdf"), PdfReader(out / "booklet-002.pdf")
    assert len(first.pages) == 1 + 3  # C1, C2, C3 drawn; C4 failed
    assert len(second.pages) == 1 + 2
    assert "Dan Broken" in first.pages[0].extract_text()
    assert [item.title for item in second.outline][1:] == [
        "Timeline for Eve Three",
        "Timeline for Finn Four",
    ]


def test_warnings_on_rows_that_start_no_record_reach_the_summary(tmp_path):
    """A repeated SSDA903 episode is merged (it starts no record); its warning is its child's."""
    columns = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,PL_POST,URN"
    episode = "1,01/02/2016,S,C2,N1,U4,PR1,,,,AB1 2CD,1234567"
    other = "2,01/03/2016,S,C2,N1,U4,PR1,,,,AB1 2CD,1234567"
    data = tmp_path / "extract"
    data.mkdir()
    (data / "episodes.csv").write_text(f"{columns}\n{episode}\n{episode}\n{other}\n")
    header = [
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB",
        "1,1,01/01/2010,WBRI,,,",
        "2,2,01/01/2011,WBRI,,,",
    ]
    (data / "header.csv").write_text("\n".join(header) + "\n")
    out = tmp_path / "out"
    args = ["batch", str(data), "--out", str(out), "--jobs", "1", "--as-of", "01/06/2024"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    warnings = {row["child_id"]: row["warnings"] for row in read_csv(out / "summary.csv")}
    assert warnings == {"1": "1: repeats row 2 exactly (the same episode); merged", "2": "0"}


def test_nothing_loadable_is_exit_1_with_the_reports_and_an_empty_booklet(tmp_path):
    episodes = tmp_path / "episodes.csv"
    episodes.write_text(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE\n"
        "1,32/01/2019,S,C2,N1,U4,PR1,,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(episodes), "--out", str(out), "--quiet"])
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == [
        f"wrote {out}: 0 children drawn, 1 failed, 0 sibling groups",
        "episodes.csv: 1 row read: 0 used, 1 with errors",
    ]
    assert len(PdfReader(out / "booklet.pdf").pages) == 1
    (error,) = read_csv(out / "errors.csv")
    assert (error["file"], error["row"], error["column"], error["child_id"]) == (
        "episodes.csv", "2", "DECOM", "1",
    )  # fmt: skip
    assert [r["status"] for r in read_csv(out / "summary.csv")] == ["failed"]


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_outputs_writes_only_what_is_asked_for_and_the_same_bytes(tmp_path, done):
    """--outputs children,summary: the children's PDFs and summary.csv as a full batch
    writes them (no group named in it), and errors.csv; no booklet, no groups."""
    result, out = run_batch(tmp_path, "some", "1", "--outputs", "children,summary")
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == f"wrote {out}: 5 children drawn, 1 failed"
    every = done[1]
    children = [f"children/C{n}.pdf" for n in (1, 2, 3, 5, 6)]
    assert files_in(out) == ["accounting.csv", *children, "errors.csv", "summary.csv"]
    for name in children:
        assert (out / name).read_bytes() == (every / name).read_bytes()
    full = read_csv(every / "summary.csv")
    assert read_csv(out / "summary.csv") == [dict(row, group_pdf="") for row in full]


def test_outputs_booklet_or_summary_alone_draw_no_child_pdf(tmp_path, done):
    result, out = run_batch(tmp_path, "booklet", "2", "--outputs", "booklet")
    assert result.exit_code == 2
    assert files_in(out) == ["accounting.csv", "booklet.pdf", "errors.csv"]
    assert (out / "booklet.pdf").read_bytes() == (done[1] / "booklet.pdf").read_bytes()
    result, out = run_batch(tmp_path, "summary", "1", "--outputs", "summary", "--outputs", "groups")
    assert files_in(out) == [
        "accounting.csv",
        "errors.csv",
        "groups/group-C1.pdf",
        "groups/group-C3.pdf",
        "summary.csv",
    ]
    assert (out / "summary.csv").read_bytes() == (done[1] / "summary.csv").read_bytes()


def test_an_unknown_output_is_refused_by_name(tmp_path):
    result, out = run_batch(tmp_path, "none", "1", "--outputs", "children,pictures")
    assert result.exit_code == 2
    assert (
        "Invalid value for '--outputs': unknown output 'pictures'; choose from children,"
        " groups, booklet, summary" in result.output
    )
    assert not out.exists()


def test_the_booklet_reuses_page_one_as_painted_into_the_childs_pdf(tmp_path, samples, today):
    """Page 1 painted once, in the child's own PDF, goes into another document as it is,
    with that document's font names and codes for text beyond ASCII: the same bytes as
    painting it again from its display list, whatever the document held before."""
    from timelines.layout.primitives import Page, Text
    from timelines.layout.style import Ctx
    from timelines.load.inputs import load_inputs
    from timelines.model.options import RenderOptions
    from timelines.pdf.document import write_pdf_pages
    from timelines.pipeline.child import render_child
    from timelines.prepare.template import load_template

    theme, options = load_template(), RenderOptions(as_of=today, prepared_on=today)
    fonts = Ctx.for_theme(theme).font_names
    record = load_inputs(samples / "child", today=today).records()[0]  # Seònaid, "·"…
    done = render_child(record, theme, options, today)
    assert done.first_page is not None

    def booklet(before: str, page) -> bytes:
        """A document whose first page uses other letters, in other fonts, then page 1."""
        first = Page(done.layout.pages[0].width, done.layout.pages[0].height)
        first.add(Text(40, 300, before, 12, "bold"), Text(40, 200, before, 12, "label"))
        path = tmp_path / "booklet.pdf"
        write_pdf_pages(path, [first, page], fonts, "booklet")
        return path.read_bytes()

    others = "Zoë, Łukasz and Ó Dochartaigh"
    again, reused = (booklet(others, p) for p in (done.layout.pages[0], done.first_page))
    assert reused == again
    # A document that has filled the fonts' first subsets (with letters beyond ASCII) gets
    # the text in the subsets it needs: the same words on the page.
    many = "".join(chr(c) for c in range(0x100, 0x250))
    again, reused = (booklet(many, p) for p in (done.layout.pages[0], done.first_page))
    words = [PdfReader(io.BytesIO(pdf)).pages[1].extract_text() for pdf in (again, reused)]
    assert "Seònaid" in words[0] and words[1] == words[0]
