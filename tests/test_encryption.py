"""Protected PDFs: AES-256, opened only with the password, the password never shown."""

from __future__ import annotations

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
    result, out = render(tmp_path, "--password-env", "TL_NOT_SET", env={"TL_NOT_SET": ""})
    assert result.exit_code == 1
    assert result.output.strip() == "Error: environment variable TL_NOT_SET is not set"
    assert not out.exists()


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


def test_password_option_is_not_an_argument():
    """No option takes the password itself on the command line (it would show in `ps`)."""
    names = {o for p in main.commands["render"].params for o in getattr(p, "opts", [])}
    assert "--password" not in names
    assert {"--password-env", "--ask-password"} <= names
