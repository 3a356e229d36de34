"""--redact cannot leak: no name, date of birth, carer or detail anywhere in the PDF or its name."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from pypdf.generic import IndirectObject, StreamObject

from timelines.cli import main
from timelines.redact import HIDDEN_EVENT, date_forms, redaction_words

NAME = "Zephyrine Quillfeather"
DOB = "03/11/2017"
CARER = "Mr & Mrs Vandersloot"
DETAIL = "Xylocarp confidential detail"
SECRET_LABEL = "Mother disclosed Blorpwick abuse"
SECRETS = (
    "Zephyrine",
    "Quillfeather",
    "Vandersloot",
    "Xylocarp",
    "Blorpwick",
    "03/11/2017",
    "3/11/2017",
    "2017-11-03",
    "03.11.2017",
    "3 November 2017",
)
CHRONOLOGY = f"""child_id,date,event,category,detail,redact
Z9,{DOB},Birth of Zephyrine (born 2017-11-03),birth,{DETAIL},
Z9,10/01/2018,Referral about Zephyrine Quillfeather,referral,{DETAIL} again,no
Z9,15/02/2018,Moved to the Vandersloot family,placement,Carer {CARER},
Z9,20/03/2018,{SECRET_LABEL},child_protection,Blorpwick more,yes
Z9,01/05/2018,LAC review on 3 November 2017 anniversary,review,,
Z9,01/09/2018,Children's Hearing: CSO made,hearing,,
"""
PLACEMENTS = f"""child_id,start_date,end_date,placement_type,carer,reason
Z9,15/02/2018,01/01/2019,foster,{CARER},Xylocarp reason
Z9,01/01/2019,,kinship,Aunt Quillfeather,Blorpwick
"""
CHILDREN = f"""child_id,name,date_of_birth
Z9,{NAME},{DOB}
"""


def write_child(folder: Path, chronology: str = CHRONOLOGY) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "chronology.csv").write_text(chronology, encoding="utf-8")
    (folder / "placements.csv").write_text(PLACEMENTS, encoding="utf-8")
    (folder / "children.csv").write_text(CHILDREN, encoding="utf-8")
    return folder


def render(folder: Path, *args: str) -> object:
    result = CliRunner().invoke(
        main, ["render", str(folder), "--as-of", "01/06/2024", "--no-shadows", *args]
    )
    assert result.exit_code == 0, result.output
    return result


def extracted_text(path: Path) -> str:
    reader = PdfReader(path)
    parts = [page.extract_text() for page in reader.pages]
    parts += [str(v) for v in (reader.metadata or {}).values()]
    parts += [str(item.title) for item in reader.outline] if reader.outline else []
    with pdfplumber.open(path) as pdf:
        parts += [page.extract_text() or "" for page in pdf.pages]
    return "\n".join(parts)


def decompressed_streams(path: Path) -> bytes:
    """Every stream of the file, decoded, plus the raw bytes."""
    reader = PdfReader(path)
    chunks = [path.read_bytes()]
    for generation, numbers in reader.xref.items():
        for number in numbers:
            obj = reader.get_object(IndirectObject(number, generation, reader))
            if isinstance(obj, StreamObject):
                chunks.append(obj.get_data())
    assert len(chunks) > 5
    return b"\n".join(chunks)


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text, re.I)]


@pytest.fixture
def child(tmp_path) -> Path:
    return write_child(tmp_path / "in")


def test_without_redact_the_secrets_are_there(child, tmp_path):
    """The check can fail: the unredacted page does show name, date of birth and carer."""
    out = tmp_path / "full.pdf"
    render(child, "-o", str(out))
    text = extracted_text(out)
    assert {"Zephyrine", "Quillfeather", "Vandersloot", "03/11/2017"} <= set(leaks(text))


def test_redacted_pdf_text_and_metadata_hold_no_secrets(child):
    result = render(child, "--redact", "--prepared-by", "Social worker, Team 3")
    out = child / "timeline-Z9-redacted.pdf"
    assert f"wrote {out}" in result.output
    text = extracted_text(out)
    assert leaks(text) == []
    assert "Z. Q." in text
    assert re.search(r"Age:\s*6 years 6 months", text)
    assert "Date of birth" not in text
    meta = PdfReader(out).metadata
    assert meta.title == "Timeline for Z. Q."
    assert meta.author == "Social worker, Team 3"
    assert (meta.get("/Keywords") or "") == ""


@pytest.mark.parametrize("template", ["hearing", "family", "panel", "england"])
def test_redacted_bytes_hold_no_secrets(child, tmp_path, template):
    out = tmp_path / f"{template}.pdf"
    render(child, "--redact", "--template", template, "-o", str(out))
    data = decompressed_streams(out)
    for secret in SECRETS:
        for encoding in ("utf-8", "utf-16-be", "latin-1"):
            assert secret.encode(encoding) not in data, (secret, encoding)
    assert leaks(extracted_text(out)) == []
    assert not any(s.lower() in out.name.lower() for s in SECRETS)


def test_redacted_chronology_table_holds_no_secrets(tmp_path):
    rows = "".join(
        f"Z9,{day:02d}/06/2018,Zephyrine seen by Vandersloot family visit number {day}"
        " with a long label,contact,Xylocarp detail {day},\n"
        for day in range(1, 29)
    )
    child = write_child(tmp_path / "in", CHRONOLOGY + rows)
    out = tmp_path / "out.pdf"
    render(child, "--redact", "-o", str(out))
    reader = PdfReader(out)
    assert len(reader.pages) > 1
    table = "\n".join(page.extract_text() for page in reader.pages[1:])
    assert "visit number 28" in table
    assert leaks(table) == []


def test_an_event_marked_redact_keeps_its_marker_but_not_its_words(child, tmp_path):
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(
        main, ["render", str(child), "-o", str(out), "--as-of", "01/06/2024"]
    )
    assert result.exit_code == 0, result.output
    text = extracted_text(out)
    assert "Blorpwick" not in text
    assert "Sensitive event" in text
    assert "Zephyrine" in text  # not redacted otherwise


def test_marked_event_keeps_its_marker_in_the_layout(child):
    from timelines.load.contract import load_folder
    from timelines.options import RenderOptions
    from timelines.render import layout_child
    from timelines.template import load_template

    record = load_folder(child).record("Z9")
    done = layout_child(record, load_template(), RenderOptions())
    hidden = [e for e in done.record.events if e.label == HIDDEN_EVENT]
    assert (
        len(hidden) == 1 and hidden[0].detail == "" and hidden[0].category == ("child_protection")
    )
    markers = [i for i in done.layout.pages[0].items if type(i).__name__ == "Marker"]
    assert len([m for m in markers if m.shape == "triangle_down"]) >= 1


def test_redaction_words_cover_name_carers_and_birth_dates():
    from timelines.load.contract import load_folder

    record = load_folder(write_child(Path(__import__("tempfile").mkdtemp()))).record("Z9")
    words = redaction_words(record)
    assert words["Zephyrine Quillfeather"] == "Z. Q."
    assert words["Quillfeather"] == "Q."
    assert words["Vandersloot"] == "V."
    assert words["Mr & Mrs Vandersloot"] == "carer"
    assert "Mrs" not in words and "Aunt" not in words
    for form in date_forms(record.child.date_of_birth):
        assert words[form] == "(date withheld)"
