"""`timelines serve`: every route and every security rule, through Starlette's test client.

The page must refuse anyone without the key, another Host, and changes sent
from another site; keep uploads in memory (checked and drawn without writing or
reading a file); and give the same PDF and workbook the command line gives.
"""

from __future__ import annotations

import html as markup
import io
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

try:
    import httpx2  # noqa: F401  (Starlette's test client)
    import starlette  # noqa: F401
except ImportError as exc:  # CI sets TIMELINES_REQUIRE_BROWSER=1: there, a skip is a failure
    if os.environ.get("TIMELINES_REQUIRE_BROWSER") == "1":
        raise
    reason = f"{exc.name} is not installed (pip install '.[serve,test]')"
    pytest.skip(reason, allow_module_level=True)

from click.testing import CliRunner  # noqa: E402
from helpers import disk_use  # noqa: E402
from openpyxl import load_workbook  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from timelines.cli import main  # noqa: E402
from timelines.serve import app as app_module  # noqa: E402
from timelines.serve.app import create_app  # noqa: E402
from timelines.serve.security import COOKIE  # noqa: E402
from timelines.serve.tables import FIELDS, read_tables  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PORT = 8765
KEY = "k3y-for-tests-only"
BASE = f"http://127.0.0.1:{PORT}"
SAME = {"sec-fetch-site": "same-origin"}
ERROR_TEXT = "'31/02/2017' is not a real date (February 2017 has 28 days)"


def sample_workbook(name: str = "seonaid.xlsx") -> bytes:
    """The sample child as the `timelines template` workbook, made by the template code."""
    return read_tables(REPO / "samples" / "child").workbook(name)


class Page:
    """A test client holding the key cookie, and what Stop was asked to do."""

    def __init__(self):
        self.stopped: list[bool] = []
        self.guard = create_app(KEY, PORT, lambda: self.stopped.append(True))
        self.client = TestClient(self.guard, base_url=BASE)
        assert self.client.get(f"/?key={KEY}").status_code == 200  # the key swapped

    @property
    def session(self):
        return self.guard.app.state.session

    def get(self, path: str, **kw):
        return self.client.get(path, **kw)

    def post(self, path: str, **kw):
        kw.setdefault("headers", SAME)
        return self.client.post(path, **kw)

    def upload(self, files: dict[str, bytes]):
        parts = [
            ("files", (name, data, "application/octet-stream")) for name, data in files.items()
        ]
        return self.post("/upload", files=parts)

    def edit(self, changes: dict[str, str], **extra):
        """Send the tables as they are, with ``changes`` (field name → text)."""
        fields = {}
        for sheet, rows in self.session.tables.rows.items():
            for i, row in enumerate(rows):
                for column, text in zip(FIELDS[sheet], row, strict=True):
                    fields[f"{sheet}.{i}.{column}"] = text
        fields.update(changes)
        fields.update(extra)
        return self.post("/edit", data=fields)


@pytest.fixture
def page():
    return Page()


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """Every temporary file or folder goes here, so a test can see what is left behind."""
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def cli_pdf(tmp_path: Path, book: bytes, *args: str) -> bytes:
    path = tmp_path / "cli-input" / "seonaid.xlsx"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(book)
    out = tmp_path / "cli.pdf"
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


# --- the key, the host, the origin -------------------------------------------------------------


@pytest.mark.parametrize(
    "method, path",
    [("GET", "/"), ("GET", "/preview.png"), ("GET", "/workbook.xlsx"), ("GET", "/template.xlsx")]
    + [("POST", p) for p in ("/upload", "/new", "/edit", "/choices", "/pdf", "/stop")]
    + [("GET", "/static/page.js")],
)
def test_every_route_refuses_a_request_without_the_key(method, path):
    client = TestClient(create_app(KEY, PORT, lambda: None), base_url=BASE)
    response = client.request(method, path, headers=SAME)
    assert response.status_code == 403
    assert "needs the address that `timelines serve` printed" in response.text


def test_the_key_in_the_address_becomes_a_strict_httponly_cookie_and_leaves_the_address():
    client = TestClient(create_app(KEY, PORT, lambda: None), base_url=BASE)
    response = client.get(f"/?key={KEY}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert re.match(rf"{COOKIE}=[\w-]{{43}}; HttpOnly; Path=/; SameSite=strict$", cookie)
    assert KEY not in cookie
    assert client.get("/").status_code == 200  # the cookie now opens the page


def test_the_key_works_once():
    first = TestClient(create_app(KEY, PORT, lambda: None), base_url=BASE)
    assert first.get(f"/?key={KEY}").status_code == 200
    other = TestClient(first.app, base_url=BASE)
    refused = other.get(f"/?key={KEY}", follow_redirects=False)
    assert refused.status_code == 403
    assert refused.text.startswith("This address has been opened already, and it works once.")
    again = first.get(f"/?key={KEY}", follow_redirects=False)  # the same browser: tidied
    assert again.status_code == 303 and again.headers["location"] == "/"
    assert "set-cookie" not in again.headers


def test_a_wrong_key_is_refused_in_the_address_and_in_the_cookie():
    client = TestClient(create_app(KEY, PORT, lambda: None), base_url=BASE)
    assert client.get("/?key=guess", follow_redirects=False).status_code == 403
    for guess in ("guess", KEY):  # the key itself is not the cookie
        client.cookies.set(COOKIE, guess)
        assert client.get("/").status_code == 403


@pytest.mark.parametrize(
    "host, allowed",
    [
        (f"127.0.0.1:{PORT}", True),
        (f"localhost:{PORT}", True),
        ("127.0.0.1", False),
        (f"127.0.0.1:{PORT + 1}", False),
        (f"evil.example:{PORT}", False),
        (f"0.0.0.0:{PORT}", False),
    ],
)
def test_only_this_servers_own_host_is_served(page, host, allowed):
    response = page.get("/", headers={"host": host})
    assert response.status_code == (200 if allowed else 403)
    if not allowed:
        assert response.text == "This page is only served at 127.0.0.1 or localhost."


@pytest.mark.parametrize(
    "headers",
    [
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
        {"sec-fetch-site": "none"},
        {"origin": "http://evil.example"},
        {"origin": "null"},
        {},
    ],
)
def test_changes_from_anywhere_but_the_page_are_refused(page, headers):
    response = page.post(
        "/upload", files=[("files", ("a.xlsx", sample_workbook()))], headers=headers
    )
    assert response.status_code == 403
    assert response.text == "Changes are only accepted from the page itself."
    assert page.session.files == {}
    assert page.post("/stop", headers=headers).status_code == 403
    assert page.stopped == []


def test_the_page_itself_may_post_by_origin_when_the_browser_sends_no_fetch_metadata(page):
    response = page.post("/new", headers={"origin": f"http://localhost:{PORT}"})
    assert response.status_code == 200
    assert page.session.tables is not None


def test_only_get_head_and_post(page):
    assert page.client.request("PUT", "/", headers=SAME).status_code == 405
    assert page.client.request("DELETE", "/", headers=SAME).status_code == 405


@pytest.mark.parametrize("path", ["/", "/static/page.css", "/nowhere", "/preview.png"])
def test_every_response_carries_the_security_headers(page, path):
    headers = page.get(path).headers
    assert headers["content-security-policy"] == (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
    assert headers["cache-control"] == "no-store"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"
    refused = TestClient(create_app(KEY, PORT, lambda: None), base_url=BASE).get(path)
    assert refused.headers["cache-control"] == "no-store"


def test_the_page_has_no_inline_script_or_style(page):
    page.upload({"seonaid.xlsx": sample_workbook()})
    html = page.get("/").text
    assert "<script>" not in html and "<style" not in html
    assert " style=" not in html and " on" not in re.sub(r"\s(on[a-z]+)=", " on", "")
    assert not re.search(r"\son[a-z]+=", html)
    assert re.findall(r'<script src="([^"]+)"', html) == ["/static/page.js"]


# --- uploads: limits, and nothing left on disk ----------------------------------------------------


def test_an_upload_over_the_size_limit_is_refused_with_a_clear_message(page, monkeypatch):
    monkeypatch.setattr(app_module, "MAX_UPLOAD_BYTES", 50_000)
    response = page.upload({"big.csv": b"date,event\n" + b"01/01/2020,x\n" * 10_000})
    assert response.status_code == 413
    assert "These files are too large together (0.1 MB); the limit is 0 MB." in response.text
    assert page.session.files == {}


def test_too_many_files_are_refused_with_a_clear_message(page):
    files = {f"f{i}.csv": b"date,event\n01/01/2020,x\n" for i in range(app_module.MAX_FILES + 1)}
    response = page.upload(files)
    assert response.status_code == 413
    assert "Too many files at once: at most 20. Choose fewer files." in response.text


def test_checks_previews_and_downloads_write_nothing_and_read_no_file(page):
    """The uploads stay in memory: checking them (with an error, then without), the preview,
    a redacted and encrypted PDF, the saved workbook and a group's PDF open no file but the
    program's own (templates, fonts, shadows) and write, make or remove none."""
    book = sample_workbook()
    group = sample_tables(REPO / "samples" / "siblings")
    with disk_use() as disk:
        page.upload({"seonaid.xlsx": book})
        assert page.get("/preview.png").content.startswith(b"\x89PNG")
        page.edit({"chronology.5.date": "31/02/2017"})
        assert ERROR_TEXT in markup.unescape(page.get("/").text)
        page.edit({"chronology.5.date": "02/10/2019"})
        page.post("/choices", data={"template": "hearing", "redact": "yes"})
        encrypted = page.post("/pdf", data={"password": "pw", "password2": "pw"})
        saved = page.get("/workbook.xlsx")
        page.upload(group)
        page.post("/choices", data={"group": "SG1", "template": "family"})
        placements = page.post("/pdf", data={"password": "", "password2": ""})
    assert PdfReader(io.BytesIO(encrypted.content)).is_encrypted
    assert load_workbook(io.BytesIO(saved.content))["chronology"]["B7"].value == "02/10/2019"
    assert placements.headers["content-disposition"].endswith("''placements-SG1.pdf")
    assert disk.written == []
    assert disk.read_beyond_the_program() == []  # (the record: tests/test_uploads.py)


def test_nothing_is_left_behind_and_stop_forgets(page, private_tmp):
    page.upload({"seonaid.xlsx": sample_workbook()})
    page.post("/choices", data={"template": "hearing", "redact": "yes"})
    assert page.post("/pdf", data={"password": "pw", "password2": "pw"}).status_code == 200
    assert page.get("/workbook.xlsx").status_code == 200
    assert list(private_tmp.iterdir()) == []
    page.post("/stop")
    assert page.session.files == {} and page.session.tables is None


def test_uploads_are_parsed_in_memory_not_spooled_to_disk():
    assert app_module._InMemoryParser.spool_max_size > app_module.MAX_UPLOAD_BYTES


def test_an_upload_is_known_by_its_own_file_name_only(page):
    page.upload({"../../evil.csv": b"date,event\n01/01/2020,Birth\n"})
    assert list(page.session.files) == ["evil.csv"]
    assert "evil.csv" in page.get("/").text


# --- the user's way through ---------------------------------------------------------------------


def test_upload_check_preview_and_download_the_same_pdf_as_the_command_line(page, tmp_path):
    book = sample_workbook()
    page.upload({"seonaid.xlsx": book})
    html = page.get("/").text
    assert "No problems found." in html
    assert "timeline-C001.pdf" in html
    category = re.search(r'<select name="chronology\.0\.category"([^>]*)>(.*?)</select>', html)
    assert (
        category.group(1)
        == ' id="c-chronology-0-category" aria-label="chronology, row 2, category"'
    )
    assert '<option value="referral" selected>Referral</option>' in category.group(2)
    assert category.group(2).startswith('<option value=""></option><option value="birth">Birth')
    png = page.get("/preview.png")
    assert png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG")
    page.post("/choices", data={"prepared_by": "A Social Worker", "as_of": "01/06/2025"})
    response = page.post("/pdf", data={"password": "", "password2": ""})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert (
        response.headers["content-disposition"] == "attachment; filename*=UTF-8''timeline-C001.pdf"
    )
    expected = cli_pdf(tmp_path, book, "--prepared-by", "A Social Worker", "--as-of", "01/06/2025")
    assert response.content == expected


def test_an_impossible_date_is_shown_on_its_cell_and_blocks_the_pdf_until_fixed(page, tmp_path):
    page.upload({"seonaid.xlsx": sample_workbook()})
    page.edit({"chronology.5.date": "31/02/2017"})
    html = page.get("/").text
    assert "1 error, 0 warnings" in html
    assert f'chronology, row 7, column "date": {ERROR_TEXT}' in markup.unescape(html)
    cell = re.search(r'<td class="error"><input name="chronology\.5\.date"[^>]*>(.*?)</td>', html)
    assert cell, "the error is not on its cell"
    assert ERROR_TEXT in markup.unescape(cell.group(1))
    assert page.get("/").text.count('<td class="error">') == 1
    refused = page.post("/pdf", data={"password": "", "password2": ""}, follow_redirects=True)
    assert "The PDF cannot be made while there is 1 error: fix it first (see Check)." in (
        markup.unescape(refused.text)
    )
    page.edit({"chronology.5.date": "c. 2019"})
    html = page.get("/").text
    assert "No problems found." in html
    assert "read as c. 2019: shown as uncertain" in html


def test_the_saved_workbook_renders_to_the_pdf_the_page_gives(page, tmp_path):
    page.upload({"seonaid.xlsx": sample_workbook()})
    page.edit({"chronology.0.event": "Referral from the midwife (edited)"})
    saved = page.get("/workbook.xlsx")
    assert saved.headers["content-disposition"] == "attachment; filename*=UTF-8''seonaid.xlsx"
    book = load_workbook(io.BytesIO(saved.content))
    assert book.sheetnames == ["instructions", "children", "chronology", "placements"]
    assert book["chronology"]["C2"].value == "Referral from the midwife (edited)"
    from_page = page.post("/pdf", data={"password": "", "password2": ""}).content
    assert from_page == cli_pdf(tmp_path, saved.content)


def test_redacted_and_password_protected_download(page, tmp_path):
    book = sample_workbook()
    page.upload({"seonaid.xlsx": book})
    page.post("/choices", data={"template": "hearing", "redact": "yes", "prepared_by": "SW"})
    assert "timeline-C001-redacted.pdf" in page.get("/").text
    mismatch = page.post(
        "/pdf", data={"password": "one", "password2": "two"}, follow_redirects=True
    )
    assert "The two passwords are not the same: type the password twice." in mismatch.text
    response = page.post("/pdf", data={"password": "s3cret", "password2": "s3cret"})
    name = "timeline-C001-redacted.pdf"
    assert response.headers["content-disposition"] == f"attachment; filename*=UTF-8''{name}"
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.is_encrypted
    encryption = reader.trailer["/Encrypt"].get_object()
    assert (encryption["/V"], encryption["/R"]) == (5, 6)
    assert encryption["/CF"]["/StdCF"]["/CFM"] == "/AESV3"  # AES-256
    assert reader.decrypt("wrong") == 0
    assert reader.decrypt("s3cret") != 0
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Seònaid" not in text and "Robertson" not in text
    expected = PdfReader(io.BytesIO(cli_pdf(tmp_path, book, "--redact", "--prepared-by", "SW")))
    assert text == "\n".join(p.extract_text() for p in expected.pages)


def checks(sheet) -> list[tuple[str, str]]:
    return [(v.formula1, str(v.sqref)) for v in sheet.data_validations.dataValidation]


def test_the_blank_workbook_is_the_template_commands(page, tmp_path):
    response = page.get("/template.xlsx")
    assert response.headers["content-disposition"] == "attachment; filename*=UTF-8''timeline.xlsx"
    ours = load_workbook(io.BytesIO(response.content))
    out = tmp_path / "timeline.xlsx"
    assert CliRunner().invoke(main, ["template", str(out)]).exit_code == 0
    theirs = load_workbook(out)
    assert ours.sheetnames == theirs.sheetnames
    for name in theirs.sheetnames:
        cells = [[c.value for c in row] for row in theirs[name].iter_rows()]
        assert [[c.value for c in row] for row in ours[name].iter_rows()] == cells
        ours_checks = [
            (v.formula1, str(v.sqref)) for v in ours[name].data_validations.dataValidation
        ]
        theirs_checks = [
            (v.formula1, str(v.sqref)) for v in theirs[name].data_validations.dataValidation
        ]
        assert ours_checks == theirs_checks


def test_csv_files_are_checked_with_the_same_problems_as_validate(page):
    folder = REPO / "samples" / "invalid"
    page.upload(sample_tables(folder))
    html = markup.unescape(page.get("/").text)
    result = CliRunner().invoke(main, ["validate", str(folder)])
    lines = [line for line in result.output.splitlines() if line.startswith(("error", "warning"))]
    assert lines
    for line in lines:
        severity, text = line.split(": ", 1)
        assert f'<span class="tag">{severity}</span> {text}' in html
    summary = result.output.strip().splitlines()[-1]
    assert summary in html


def sample_tables(folder: Path) -> dict[str, bytes]:
    """A sample's CSV files (not the timeline.pdf the README's set-up writes beside them)."""
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def test_an_uploaded_file_that_is_not_read_is_named(page):
    folder = REPO / "samples" / "child"
    files = sample_tables(folder)
    page.upload({**files, "notes.csv": b"date,event\n01/01/2020,x\n"})
    html = markup.unescape(page.get("/").text)
    assert "0 errors, 1 warning" in html
    assert (
        "notes.csv: this file is not read: the tables are chronology, placements and children"
        " (.csv or .xlsx), or the sheets of one workbook"
    ) in html


def test_files_without_a_chronology_are_named_as_the_uploads(page):
    page.upload({"notes.csv": b"date,event\n01/01/2020,x\n", "more.csv": b"a\n1\n"})
    assert [str(p) for p in page.session.check.problems][-1] == (
        "uploads: no chronology.csv (or .xlsx) and no SSDA903 episodes.csv in the folder"
    )


def test_start_empty_add_and_delete_rows(page):
    page.post("/new")
    assert page.session.tables.rows["chronology"] == [[""] * len(FIELDS["chronology"])]
    page.edit({"chronology.0.date": "2014", "chronology.0.event": "Born"}, add="placements")
    assert len(page.session.tables.rows["placements"]) == 1
    assert "read as 2014: shown as uncertain" in page.get("/").text
    page.edit({}, add="chronology")
    page.edit({"chronology.1.date": "01/02/2015", "chronology.1.event": "Referral"})
    page.edit({}, delete="chronology.0")
    assert [r[1:3] for r in page.session.tables.rows["chronology"]] == [["01/02/2015", "Referral"]]


def test_several_children_are_offered_to_choose_from(page):
    folder = REPO / "samples" / "siblings"
    page.upload(sample_tables(folder))
    html = page.get("/").text
    ids = re.findall(
        r'<option value="([^"]+)"', html.split('id="child_id"')[1].split("</select>")[0]
    )
    assert len(ids) > 1
    page.post("/choices", data={"child_id": ids[1], "template": "hearing"})
    assert f"timeline-{ids[1]}.pdf" in page.get("/").text


def test_a_sibling_groups_placement_history_is_the_siblings_commands(page, tmp_path):
    folder = REPO / "samples" / "siblings"
    page.upload(sample_tables(folder))
    assert '<option value="SG1">sibling group SG1: placement history</option>' in page.get("/").text
    page.post("/choices", data={"group": "SG1", "template": "hearing", "as_of": "01/06/2025"})
    assert "placements-SG1.pdf" in page.get("/").text
    response = page.post("/pdf", data={"password": "", "password2": ""})
    assert response.headers["content-disposition"].endswith("''placements-SG1.pdf")
    out = tmp_path / "group.pdf"
    args = ["siblings", str(folder), "--group", "SG1", "--as-of", "01/06/2025", "-o", str(out)]
    assert CliRunner().invoke(main, args).exit_code == 0
    assert response.content == out.read_bytes()


def test_a_change_reads_the_uploads_once_and_previews_the_pdf_it_gives(page, monkeypatch):
    """The check loads every child once; the preview is drawn from what it loaded (the
    files are not read again), the same page the download gives."""
    from timelines.pipeline import source
    from timelines.serve.session import page_one_png

    page.upload(sample_tables(REPO / "samples" / "siblings"))
    loads = []
    real = source.load_inputs
    monkeypatch.setattr(source, "load_inputs", lambda *a, **k: loads.append(k) or real(*a, **k))
    child = page.session.check.child_ids[1]
    page.post("/choices", data={"child_id": child, "template": "family", "redact": "yes"})
    assert [k["child_id"] for k in loads] == [None]
    download = page.post("/pdf", data={"password": "", "password2": ""}).content
    assert page.get("/preview.png").content == page_one_png(download)


def test_a_bad_as_of_date_is_explained_not_drawn(page):
    page.upload({"seonaid.xlsx": sample_workbook()})
    page.post("/choices", data={"as_of": "31/02/2020"})
    html = markup.unescape(page.get("/").text)
    assert "As-of date: '31/02/2020' is not a real date (February 2020 has 29 days)" in html


def test_stop_forgets_everything_and_ends_the_server(page):
    page.upload({"seonaid.xlsx": sample_workbook()})
    response = page.post("/stop")
    assert "Timelines has stopped" in response.text
    assert page.stopped == [True]
    assert page.session.files == {} and page.session.check.preview == b""


# --- the command ---------------------------------------------------------------------------------


def test_serve_listens_on_127_0_0_1_and_exits_when_idle():
    process = subprocess.run(
        [sys.executable, "-m", "timelines", "serve", "--no-browser", "--idle-exit", "0.02"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert process.returncode == 0, process.stderr
    lines = process.stdout.splitlines()
    assert re.fullmatch(r"Timelines is at http://127\.0\.0\.1:\d+/\?key=[\w-]{43}", lines[0])
    assert lines[-1] == "Timelines has stopped; nothing was kept."
    assert process.stderr == ""


def test_serve_help():
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--idle-exit MINUTES" in result.output and "--no-browser" in result.output
    assert "on this computer only" in " ".join(result.output.split())


def test_today_is_the_prepared_on_date(page):
    page.upload({"seonaid.xlsx": sample_workbook()})
    assert page.session.options().prepared_on == date.today()


def test_a_bug_is_a_short_message_never_a_traceback_with_the_childs_data(page, monkeypatch):
    page.upload({"seonaid.xlsx": sample_workbook()})

    def broken(*args, **kwargs):
        raise ValueError("Seònaid Robertson 14/08/2019")

    monkeypatch.setattr(app_module, "page", broken)
    response = page.get("/")
    assert response.status_code == 500
    assert response.text == (
        "Something went wrong inside timelines (ValueError): this is a bug, not a problem"
        " with your files."
    )
    monkeypatch.setattr(page.session, "refresh", broken)
    page.post("/choices", data={"template": "family"})
    assert page.session.message.startswith("Something went wrong inside timelines (ValueError)")


def test_the_page_never_opens_a_connection(page, monkeypatch, tmp_path):
    """Checking, drawing, redacting, encrypting and saving with sockets' outward calls blocked."""
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse)
    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse)
    page.upload({"seonaid.xlsx": sample_workbook()})
    page.edit({"chronology.0.event": "Referral (edited)"})
    page.post("/choices", data={"template": "family", "redact": "yes"})
    response = page.post("/pdf", data={"password": "pw", "password2": "pw"})
    assert response.headers["content-type"] == "application/pdf"
    assert page.get("/workbook.xlsx").status_code == 200
    assert page.get("/template.xlsx").status_code == 200
