"""The command line: help everywhere, exact messages, exit codes, nothing written on error."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from timelines.cli import main

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_useful_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert len(main.commands[command].help or "") > 40


def test_python_dash_m_works():
    result = subprocess.run(
        [sys.executable, "-m", "timelines", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert result.stdout.startswith("timelines, version ")


def test_validate_lists_every_problem_and_exits_1():
    invalid = SAMPLES / "invalid"
    result = run("validate", invalid / "chronology.csv", "--placements", invalid / "placements.csv")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        "error: chronology.csv, row 4, column \"date\": '31/02/2017' is not a real date"
        " (February 2017 has 28 days)"
    ) in lines
    assert 'error: chronology.csv, row 5, column "event": no event given' in lines
    assert (
        'error: placements.csv, row 2, column "end_date": placement ends (15/03/2017)'
        " before it starts (20/04/2017)"
    ) in lines
    assert lines[-1] == "3 errors, 1 warning"


def test_render_refuses_invalid_input_and_writes_nothing(tmp_path):
    invalid = SAMPLES / "invalid"
    out = tmp_path / "out.pdf"
    result = run(
        "render", invalid / "chronology.csv", "--placements", invalid / "placements.csv", "-o", out
    )
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "Error: 3 errors in the input; nothing was written"
    assert list(tmp_path.iterdir()) == []


def test_validate_is_clean_on_the_messy_excel_export():
    result = run("validate", SAMPLES / "messy")
    assert result.exit_code == 0
    assert result.output.splitlines()[-1].startswith("0 errors")


def test_empty_and_binary_files_are_refused(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert run("validate", empty).output.splitlines()[0] == "error: empty.csv: the file is empty"
    result = run("render", binary, "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1
    assert "photo.csv: not a text file" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_several_children_need_a_choice():
    siblings = SAMPLES / "siblings"
    result = run("render", siblings)
    assert result.exit_code == 1
    assert "choose one with --child" in result.output


def test_template_workbook_filled_in_renders(tmp_path):
    book_path = tmp_path / "my-child.xlsx"
    assert run("template", book_path).exit_code == 0
    again = run("template", book_path)
    assert again.exit_code == 1
    assert again.output == f"Error: {book_path} already exists; use --force to replace it\n"
    book = load_workbook(book_path)
    book["children"].append(["C1", "Zoë Example", datetime(2016, 3, 4)])
    book["chronology"].append(["C1", "03/2017", "Referral from school", "referral", "", "", "yes"])
    book["chronology"].append(["C1", "12/06/2018", "Children's Hearing: CSO made", "hearing"])
    book["placements"].append(["C1", datetime(2018, 6, 12), None, "kinship", "Gran"])
    book.save(book_path)
    out = tmp_path / "zoe.pdf"
    result = run("render", book_path, "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


def test_only_the_command_changes_how_often_garbage_is_collected(tmp_path):
    import gc

    from timelines import api, runtime
    from timelines.model.options import RenderOptions

    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        api.render(api.Inputs(SAMPLES / "child"), RenderOptions(), out=tmp_path / "library.pdf")
        assert gc.get_threshold() == (700, 10, 10)  # a library leaves its caller's process be
        assert run("render", SAMPLES / "child", "-o", tmp_path / "command.pdf").exit_code == 0
        assert gc.get_threshold() == (runtime.YOUNG_OBJECTS, 10, 10)
    finally:
        gc.set_threshold(*before)


# --- every command takes its inputs the same way -----------------------------------------


INPUT_OPTIONS = {"source", "chronology", "placements", "children", "extra", "fmt"}


def test_every_command_reading_data_has_the_same_input_options():
    from timelines.cli import main

    for name in ("render", "siblings", "batch", "validate"):
        params = {p.name: p for p in main.commands[name].params}
        assert set(params) >= INPUT_OPTIONS, name
        assert params["source"].required is False


@pytest.mark.parametrize("command", ["render", "siblings", "validate", "batch"])
def test_chronology_as_an_option_or_as_the_argument(command, tmp_path):
    data = Path(__file__).parent.parent / "samples" / "child"
    files = ["--placements", data / "placements.csv", "--children", data / "children.csv"]
    extra = {
        "render": ["-o", tmp_path / "a.pdf", "--no-shadows"],
        "siblings": ["-o", tmp_path / "a.pdf"],
        "validate": [],
        "batch": ["--out", tmp_path / "out", "--jobs", "1", "--quiet"],
    }[command]
    as_option = run(command, "--chronology", data / "chronology.csv", *files, *extra)
    assert as_option.exit_code == 0, as_option.output
    if command == "batch":
        extra = ["--out", tmp_path / "out2", "--jobs", "1", "--quiet"]
    as_argument = run(command, data / "chronology.csv", *files, *extra)
    assert as_argument.exit_code == 0, as_argument.output
    out = ["--out", tmp_path / "out3"] if command == "batch" else []
    both = run(command, data / "chronology.csv", "--chronology", data / "chronology.csv", *out)
    assert both.exit_code == 1  # a usage error, like every wrong option
    assert "give the chronology as SOURCE or with --chronology, not both" in both.output
    neither = run(command, *out)
    assert neither.exit_code == 1
    assert "give the input: a folder or a chronology file (SOURCE)" in neither.output


def test_batch_counts_in_plain_words(tmp_path):
    chronology = tmp_path / "chronology.csv"
    chronology.write_text("child_id,date,event,category\nC1,01/02/2016,Referral,referral\n")
    args = ["batch", str(chronology), "--out", str(tmp_path / "out"), "--jobs", "1", "--quiet"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first == f"wrote {tmp_path / 'out'}: 1 child drawn, 0 failed, 0 sibling groups"
