"""Uploaded bytes are read in memory, as the same files on disk would be: nothing is written,
and no path is opened."""

from __future__ import annotations

import io
import os
from datetime import date
from pathlib import Path

import pytest
from helpers import disk_use, reference

from timelines.api import Inputs, check_inputs, upload_inputs
from timelines.load.files import MemoryFile, MemoryFolder, uploads
from timelines.load.inputs import load_inputs, load_uploads
from timelines.load.tables import read_stream
from timelines.model.problems import TimelinesError

TODAY = date(2025, 1, 1)
SAMPLE = Path(__file__).parent.parent / "samples" / "child"


def files_of(folder: Path, *names: str) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in names}


@pytest.fixture
def no_disk(monkeypatch):
    """Any path opened from here on fails the test: uploads must not need the disk."""

    def refuse(self, *args, **kwargs):
        pytest.fail(f"opened {self}")

    monkeypatch.setattr(Path, "open", refuse)
    monkeypatch.setattr(Path, "read_bytes", refuse)


def same(one, other) -> None:
    assert one.children == other.children
    assert one.events == other.events
    assert one.placements == other.placements
    assert one.problems == other.problems
    assert one.counts == other.counts


def test_a_child_folder_uploaded_loads_as_the_folder_does(monkeypatch):
    sent = files_of(SAMPLE, "chronology.csv", "placements.csv", "children.csv")
    on_disk = load_inputs(SAMPLE, today=TODAY)
    refuse = lambda self, *a, **k: pytest.fail(f"opened {self}")  # noqa: E731
    monkeypatch.setattr(Path, "open", refuse)
    same(load_uploads(sent, today=TODAY), on_disk)


def test_an_ssda903_extract_uploaded_loads_as_the_folder_does(monkeypatch):
    folder = reference("sf-liia-tools-pipeline")
    sent = files_of(folder, "SSDA903_2020_episodes.csv", "SSDA903_2020_header.csv")
    on_disk = load_inputs(folder, today=TODAY)
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: pytest.fail(f"opened {self}"))
    uploaded = load_uploads(sent, today=TODAY)
    assert uploaded.events == on_disk.events and uploaded.counts == on_disk.counts
    assert uploaded.placements == on_disk.placements


def test_one_workbook_or_census_uploaded(tmp_path, monkeypatch):
    from timelines.export.workbook import write_template_workbook

    book = tmp_path / "child.xlsx"
    write_template_workbook(book)
    census = reference("sf-liia-tools", "cin-2022.xml")
    sent = {"child.xlsx": book.read_bytes()}
    xml = {"cin-2022.xml": census.read_bytes()}
    expected = load_inputs(census, today=TODAY)
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: pytest.fail(f"opened {self}"))
    assert load_uploads(sent, today=TODAY).counts[0].file.startswith("child.xlsx [")
    same(load_uploads(xml, today=TODAY), expected)


def test_the_api_checks_uploads_like_files(no_disk):
    text = b"child_id,date,event\nC1,01/02/2016,A\nC1,31/02/2016,B\n"
    checked = check_inputs(upload_inputs({"chronology.csv": text}))
    assert [str(p) for p in checked.problems] == [
        "chronology.csv, row 3, column \"date\": '31/02/2016' is not a real date"
        " (February 2016 has 29 days)"
    ]
    assert [c.line() for c in checked.counts] == [
        "chronology.csv: 2 rows read: 1 used, 1 with errors"
    ]
    assert isinstance(upload_inputs({"a.csv": b"", "b.csv": b""}), Inputs)


def test_upload_names_are_plain_file_names():
    for name in ("../etc/passwd", "a/b.csv", "", ".."):
        with pytest.raises(ValueError, match="plain file name"):
            uploads({name: b"x", "other.csv": b""})
    folder = uploads({"chronology.csv": b"a", "placements.csv": b"b"})
    assert isinstance(folder, MemoryFolder)
    assert (folder / "chronology.csv").open().read() == b"a"
    assert not (folder / "missing.csv").is_file()
    assert uploads({"c.csv": b"x"}) == MemoryFile("c.csv", b"x")


def test_a_table_is_read_from_a_stream():
    table = read_stream(io.BytesIO("date,event\r\n01/01/2015,Zoë\r\n".encode("cp1252")), "c.csv")
    assert table.rows[0][1] == {"date": "01/01/2015", "event": "Zoë"}


def test_uploads_are_drawn_in_memory_as_the_bytes_render_writes(tmp_path):
    from timelines.api import render, render_pdf, render_siblings, render_siblings_pdf
    from timelines.model.options import RenderOptions

    names = ("chronology.csv", "placements.csv", "children.csv")
    folder = tmp_path / "siblings"
    folder.mkdir()
    sent = files_of(SAMPLE.parent / "siblings", *names)
    for name, data in sent.items():
        (folder / name).write_bytes(data)
    options = RenderOptions(as_of=TODAY, redact=True)
    child = render(Inputs(folder, child_id="S002"), options, today=TODAY)
    group = render_siblings(Inputs(folder), options, "SG1", today=TODAY)
    with disk_use() as disk:
        drawn = render_pdf(upload_inputs(sent, child_id="S002"), options, today=TODAY)
        placements = render_siblings_pdf(upload_inputs(sent), options, "SG1", today=TODAY)
        locked = render_pdf(upload_inputs(sent, child_id="S002"), options, None, "pw", TODAY)
    assert disk.written == []
    assert disk.read_beyond_the_program() == []
    for written, made in ((child, drawn), (group, placements)):
        assert (made.name, made.pdf) == (written.path.name, written.path.read_bytes())
        assert (made.pages, made.child_id) == (written.pages, written.child_id)
        assert (made.warnings, made.counts) == (written.warnings, written.counts)
    assert (drawn.name, placements.name) == (
        "timeline-S002-redacted.pdf",
        "placements-SG1-redacted.pdf",
    )
    assert locked.pdf.startswith(b"%PDF") and b"/Encrypt" in locked.pdf
    with pytest.raises(TimelinesError, match="uploaded files are in no folder to write the PDF"):
        render(upload_inputs(sent, child_id="S002"), options, today=TODAY)
    given = render(
        upload_inputs(sent, child_id="S002"), options, None, tmp_path / "c.pdf", None, TODAY
    )
    assert given.path.read_bytes() == drawn.pdf


def test_the_disk_record_sees_writes_and_reads(tmp_path):
    sample = SAMPLE / "children.csv"
    with disk_use() as disk:
        (tmp_path / "a.csv").write_bytes(b"x")
        assert (tmp_path / "a.csv").read_bytes() == b"x"
        os.close(os.open(tmp_path / "b", os.O_RDWR | os.O_CREAT))
        (tmp_path / "a.csv").unlink()
        assert sample.read_bytes().startswith(b"child_id")
    assert [w.split(" (")[0] for w in disk.written] == [
        str(tmp_path / "a.csv"),
        str(tmp_path / "b"),
        f"os.remove {str(tmp_path / 'a.csv')!r}",
    ]
    assert disk.read_beyond_the_program() == [tmp_path / "a.csv", sample]
