"""`timelines serve` end to end in a real headless Chromium, as a social worker would use it.

Open with the key → upload the sample workbook → see the preview → type an
impossible date and see the error on that cell → fix it → download the PDF
(the command line's bytes) → a redacted, password-protected download → Stop,
and nothing left on disk. Uses Debian's ``chromium`` (never a downloaded
browser) through Playwright. Without them the tests skip, unless
``TIMELINES_REQUIRE_BROWSER=1`` (as in CI), which makes a missing browser a failure.
``TIMELINES_UPDATE_SCREENSHOT=1`` also saves the README's picture, docs/serve.png.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pypdf import PdfReader

from timelines.cli import main

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("TIMELINES_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
WAIT = 20_000  # ms


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
        import starlette  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} is not installed (pip install '.[serve,test]')"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set TIMELINES_CHROMIUM)"
    return None


REASON = _missing()
if REASON and os.environ.get("TIMELINES_REQUIRE_BROWSER") == "1":
    raise RuntimeError(f"TIMELINES_REQUIRE_BROWSER=1 but the browser tests cannot run: {REASON}")
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")


@pytest.fixture
def server(tmp_path):
    """`timelines serve --no-browser` in its own process, its temporary files in one folder."""
    temporary = tmp_path / "server-tmp"
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "timelines", "serve", "--no-browser", "--idle-exit", "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        first = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+/\?key=\S+", first)
        assert match, first + process.stderr.read()
        yield match.group(0), process, temporary
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def cli_render(book: Path, out: Path, *args: str) -> bytes:
    result = CliRunner().invoke(main, ["render", str(book), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_a_social_worker_fixes_an_error_and_downloads_the_pdf(server, browser, tmp_path):
    from timelines.serve.tables import read_tables

    url, process, temporary = server
    shots = tmp_path / "shots"
    shots.mkdir()
    book = tmp_path / "in" / "seonaid.xlsx"
    book.parent.mkdir()
    book.write_bytes(read_tables(REPO / "samples" / "child").workbook(book.name))

    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(WAIT)
    page.goto(url)
    assert "key=" not in page.url, "the key must leave the address bar"
    (cookie,) = context.cookies()
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    stranger = browser.new_context().new_page()
    assert stranger.goto(url).status == 403, "the address works once"
    assert "works once" in stranger.inner_text("body")
    stranger.context.close()
    assert "nothing is sent anywhere" in page.inner_text("header")
    page.screenshot(path=shots / "1-open.png")

    page.set_input_files("#files", str(book))
    page.wait_for_selector("img.preview:not(.stale)")
    assert page.inner_text(".summary") == "No problems found."
    assert page.inner_text("#pdf-name") == "timeline-C001.pdf"
    page.screenshot(path=shots / "2-preview.png")

    date = page.locator("#c-chronology-5-date")
    date.fill("31/02/2017")
    date.press("Tab")
    cell = page.locator("td.error", has=page.locator("#c-chronology-5-date"))
    cell.wait_for()
    assert "'31/02/2017' is not a real date (February 2017 has 28 days)" in cell.inner_text()
    assert page.inner_text(".summary").startswith("1 error, 0 warnings")
    assert page.locator("#pdf-name").count() == 0, "errors must block the PDF"
    cell.scroll_into_view_if_needed()
    page.screenshot(path=shots / "3-error.png")

    date = page.locator("#c-chronology-5-date")
    date.fill("02/10/2019")
    date.press("Tab")
    page.wait_for_selector("img.preview:not(.stale)")
    assert page.locator("td.error").count() == 0
    with page.expect_download() as download:
        page.click("text=Save workbook")
    assert download.value.suggested_filename == "seonaid.xlsx"
    download.value.save_as(tmp_path / "saved.xlsx")
    saved = load_workbook(tmp_path / "saved.xlsx")
    assert saved["chronology"]["B7"].value == "02/10/2019"
    assert saved["chronology"]["C7"].value == "Referral to the Reporter"
    page.fill("#prepared_by", "A Social Worker")
    page.press("#prepared_by", "Tab")
    page.wait_for_selector('#prepared_by[value="A Social Worker"]', state="attached")
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_selector("img.preview:not(.stale)")
    box = page.locator("section.timeline").bounding_box()
    page.screenshot(
        path=shots / "4-fixed.png",
        full_page=True,
        clip={"x": 0, "y": 0, "width": 1400, "height": box["y"] + box["height"] + 16},
    )
    if os.environ.get("TIMELINES_UPDATE_SCREENSHOT") == "1":
        shutil.copy(shots / "4-fixed.png", REPO / "docs" / "serve.png")

    with page.expect_download() as download:
        page.click("text=Download PDF")
    assert download.value.suggested_filename == "timeline-C001.pdf"
    web = Path(download.value.path()).read_bytes()
    cli = cli_render(book, tmp_path / "cli.pdf", "--prepared-by", "A Social Worker")
    assert web == cli
    web_text = [p.extract_text() for p in PdfReader(io.BytesIO(web)).pages]
    assert "Timeline for Seònaid Robertson" in web_text[0]

    page.check("#redact")
    page.wait_for_selector("#pdf-name:has-text('redacted')")
    assert page.inner_text("#pdf-name") == "timeline-C001-redacted.pdf"
    page.fill("#password", "hearing-2026")
    page.fill("#password2", "hearing-2026")
    with page.expect_download() as download:
        page.click("text=Download PDF")
    assert download.value.suggested_filename == "timeline-C001-redacted.pdf"
    reader = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert reader.is_encrypted and reader.decrypt("wrong") == 0
    assert reader.decrypt("hearing-2026") != 0
    text = "\n".join(p.extract_text() for p in reader.pages)
    redacted = cli_render(book, tmp_path / "r.pdf", "--redact", "--prepared-by", "A Social Worker")
    assert text == "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(redacted)).pages)
    assert "Seònaid" not in text and "Robertson" not in text

    page.click("button.stop")
    page.wait_for_selector("text=Timelines has stopped")
    page.screenshot(path=shots / "5-stopped.png")
    assert process.wait(timeout=15) == 0
    assert list(temporary.iterdir()) == [], "nothing may be left on disk after Stop"
    assert process.stderr.read() == ""
