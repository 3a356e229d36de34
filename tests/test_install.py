"""A plain (non-editable) install finds its templates, shadows and fonts."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(REPO),
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.fail(result.stderr[-2000:])
    return next(out.glob("timelines-*.whl"))


def test_wheel_carries_run_time_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "timelines/_data/templates/hearing.toml" in names
    assert "timelines/_data/assets/fonts/DejaVuSans.ttf" in names
    assert sum(n.startswith("timelines/_data/assets/shadows/shadow-age-") for n in names) >= 5
    serve = ("static/page.js", "static/page.css", "templates/page.html", "templates/stopped.html")
    assert {f"timelines/serve/{name}" for name in serve} <= names


def test_installed_package_renders_the_sample(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    out = tmp_path / "out.pdf"
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import timelines, timelines.resources as r;"
        "assert r.data_root().is_relative_to(sys.argv[1]), r.data_root();"
        "from timelines.cli import main; sys.argv = sys.argv[1:2] + sys.argv[2:];"
        "main(sys.argv[1:])"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            str(target),
            "render",
            str(REPO / "samples" / "child"),
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert out.read_bytes().startswith(b"%PDF")
