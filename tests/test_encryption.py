"""Protected PDFs: AES-256, opened only with the password, the password never shown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PasswordType, PdfReader
from pypdf.errors import FileNotDecryptedError

from timelines.cli import main

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "child"
PASSWORD = "kelpie-Thistle-42"
OPENED = (PasswordType.USER_PASSWORD, PasswordType.OWNER_PASSWORD)


def render(tmp_path: Path, *args: str, env: dict[str, str] | None = None, stdin: str = ""):
    out = tmp_path / "locked.pdf"
    result = CliRunner().invoke(
        main,
        ["render", str(SAMPLE), "-o", str(out), "--as-of", "01/06/2024", *args],
        env=env,
        input=stdin,
    )
    return result, out


@pytest.fixture
def locked(tmp_path) -> Path:
    result, out = render(tmp_path, "--password-env", "TL_PASS", env={"TL_PASS": PASSWORD})
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    return out


def test_opens_with_the_password(locked):
    reader = PdfReader(locked)
    assert reader.is_encrypted
    assert reader.decrypt(PASSWORD) in OPENED
    assert "Timeline for Seònaid Robertson" in reader.pages[0].extract_text()


def test_does_not_open_without_it(locked):
    reader = PdfReader(locked)
    assert reader.is_encrypted
    with pytest.raises(FileNotDecryptedError):
        reader.pages[0].extract_text()
    assert reader.decrypt("wrong password") == PasswordType.NOT_DECRYPTED
    assert b"Seonaid" not in locked.read_bytes() and "Seònaid".encode() not in locked.read_bytes()


def test_is_aes_256(locked):
    encrypt = PdfReader(locked).trailer["/Encrypt"].get_object()
    assert (encrypt["/V"], encrypt["/R"]) == (5, 6)
    assert encrypt["/CF"]["/StdCF"]["/CFM"] == "/AESV3"


def test_password_never_in_the_file(locked):
    assert PASSWORD.encode() not in locked.read_bytes()


def test_missing_environment_variable_is_an_error(tmp_path):
    result, out = render(tmp_path, "--password-env", "TL_NOT_SET", env={"TL_NOT_SET": None})
    assert result.exit_code == 1
    assert result.output.strip() == "Error: environment variable TL_NOT_SET is not set"
    assert not out.exists()


def test_an_empty_password_is_an_error_not_a_missing_one(tmp_path):
    result, out = render(tmp_path, "--password-env", "TL_EMPTY", env={"TL_EMPTY": ""})
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: environment variable TL_EMPTY is empty: a PDF needs a password"
    )
    assert not out.exists()


def test_a_password_longer_than_readers_read_is_refused(tmp_path):
    """PDFium (Chrome's reader) uses the first 127 bytes: a longer password would open
    the file with only its start."""
    result, out = render(tmp_path, "--password-env", "TL_LONG", env={"TL_LONG": "x" * 128})
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: the password is 128 bytes long; PDF readers use only the first 127,"
        " so use a shorter one"
    )
    assert not out.exists()
    result, out = render(tmp_path, "--password-env", "TL_LONG", env={"TL_LONG": "é" * 64})
    assert "the password is 128 bytes long" in result.output
    result, out = render(tmp_path, "--password-env", "TL_LONG", env={"TL_LONG": "x" * 127})
    assert result.exit_code == 0, result.output
    assert PdfReader(out).decrypt("x" * 127) in OPENED


def test_a_batch_encrypts_every_pdf(tmp_path):
    out = tmp_path / "out"
    args = ["batch", str(SAMPLE), "--out", str(out), "--jobs", "1", "--as-of", "01/06/2024"]
    result = CliRunner().invoke(
        main, [*args, "--quiet", "--password-env", "TL_PASS"], env={"TL_PASS": PASSWORD}
    )
    assert result.exit_code == 0, result.output
    pdfs = sorted(out.rglob("*.pdf"))
    assert [p.relative_to(out).as_posix() for p in pdfs] == ["booklet.pdf", "children/C001.pdf"]
    for pdf in pdfs:
        reader = PdfReader(pdf)
        assert reader.is_encrypted and reader.decrypt(PASSWORD) in OPENED
        assert "Seònaid".encode() not in pdf.read_bytes()


def test_asked_password_is_not_echoed(tmp_path):
    result, out = render(tmp_path, "--ask-password", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert "Password: " in result.output
    reader = PdfReader(out)
    assert reader.decrypt(PASSWORD) in OPENED


def test_asked_passwords_must_match(tmp_path):
    result, out = render(tmp_path, "--ask-password", stdin="one\ntwo\none\none\n")
    assert result.exit_code == 0, result.output
    assert "Error: The two entered values do not match." in result.output
    assert PdfReader(out).decrypt("one") in OPENED


def test_password_option_is_not_an_argument(tmp_path):
    """No option takes the password itself on the command line (it would show in `ps`);
    one typed anyway is refused with the ways that work, and nothing is written."""
    visible = {
        o
        for p in main.commands["render"].params
        if not getattr(p, "hidden", False)
        for o in getattr(p, "opts", [])
    }
    assert "--password" not in visible
    assert {"--password-env", "--ask-password"} <= visible
    result, out = render(tmp_path, "--password", PASSWORD)
    assert result.exit_code == 1  # a usage error, like every wrong option
    assert "there is no --password option" in result.output
    assert "--ask-password" in result.output and "--password-env VAR" in result.output
    assert not out.exists()


def test_help_shows_how_to_encrypt():
    result = CliRunner().invoke(main, ["render", "--help"])
    text = " ".join(result.output.split())
    assert "To protect the PDF with a password (AES-256): --ask-password" in text
    assert "--password-env VAR" in text
    options = result.output.split("Options:")[1]
    assert not re.search(r"^\s+--password\b(?!-)", options, re.M)  # no such option listed


def test_both_ways_at_once_is_an_error(tmp_path):
    result, out = render(
        tmp_path, "--password-env", "TL_PASS", "--ask-password", env={"TL_PASS": PASSWORD}
    )
    assert result.exit_code == 1  # a usage error, like every wrong option
    assert "use --password-env or --ask-password, not both" in result.output
    assert not out.exists()


def test_pdfium_does_not_open_it_without_the_password(locked):
    import pypdfium2

    for password in (None, "", "wrong password", PASSWORD.lower()):
        with pytest.raises(pypdfium2.PdfiumError, match="password"):
            pypdfium2.PdfDocument(locked, password=password)
    document = pypdfium2.PdfDocument(locked, password=PASSWORD)
    assert len(document) >= 1
    assert "Seònaid" in document[0].get_textpage().get_text_range()
    document.close()


def test_a_password_with_accents_and_spaces(tmp_path):
    password = "Seònaid's gran ü 42 £"
    result, out = render(tmp_path, "--password-env", "TL_PASS", env={"TL_PASS": password})
    assert result.exit_code == 0, result.output
    reader = PdfReader(out)
    assert reader.decrypt("Seonaid's gran u 42 £") == PasswordType.NOT_DECRYPTED
    assert reader.decrypt(password) in OPENED


def test_sibling_histories_are_encrypted_too(tmp_path):
    out = tmp_path / "siblings.pdf"
    siblings = SAMPLE.parent / "siblings"
    args = ["siblings", str(siblings), "-o", str(out), "--as-of", "01/06/2024"]
    result = CliRunner().invoke(
        main, [*args, "--password-env", "TL_PASS"], env={"TL_PASS": PASSWORD}
    )
    assert result.exit_code == 0, result.output
    reader = PdfReader(out)
    assert reader.is_encrypted and reader.decrypt("wrong password") == PasswordType.NOT_DECRYPTED
    assert reader.decrypt(PASSWORD) in OPENED
    assert "Łukasz Nowak" in reader.pages[0].extract_text()
