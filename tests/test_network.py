"""timelines never opens a network connection: render and validate work with sockets blocked."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from timelines.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "child"


class NetworkUsed(AssertionError):
    pass


def _refuse(*args, **kwargs):
    raise NetworkUsed(f"network access attempted: {args!r}")


@pytest.fixture
def no_network(monkeypatch):
    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, _refuse)
    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, _refuse)


def test_blocking_works(no_network):
    with pytest.raises(NetworkUsed):
        socket.create_connection(("example.org", 80))


def test_render_and_validate_offline(no_network, tmp_path):
    out = tmp_path / "offline.pdf"
    runner = CliRunner()
    result = runner.invoke(main, ["render", str(SAMPLE), "-o", str(out), "--redact"])
    assert result.exception is None, result.output
    assert result.exit_code == 0
    assert out.read_bytes().startswith(b"%PDF")
    result = runner.invoke(main, ["validate", str(SAMPLE)])
    assert result.exception is None and result.exit_code == 0, result.output


def test_every_kind_of_output_offline(no_network, tmp_path):
    """Templates, redaction, encryption and the siblings page: no connection either."""
    runner = CliRunner()
    locked = tmp_path / "locked.pdf"
    result = runner.invoke(
        main,
        ["render", str(SAMPLE), "-o", str(locked), "--template", "family", "--redact"]
        + ["--password-env", "TL_PASS"],
        env={"TL_PASS": "offline-secret"},
    )
    assert result.exception is None and result.exit_code == 0, result.output
    group = tmp_path / "group.pdf"
    siblings = ROOT / "samples" / "siblings"
    result = runner.invoke(main, ["siblings", str(siblings), "-o", str(group), "--redact"])
    assert result.exception is None and result.exit_code == 0, result.output
    result = runner.invoke(main, ["templates"])
    assert result.exception is None and result.exit_code == 0, result.output


GUARD = textwrap.dedent(
    """
    import socket, sys

    def refuse(*args, **kwargs):
        sys.stderr.write("NETWORK USED\\n")
        raise OSError("network access attempted")

    for name in ("connect", "connect_ex", "sendto"):
        setattr(socket.socket, name, refuse)
    socket.create_connection = socket.getaddrinfo = socket.gethostbyname = refuse

    from timelines.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


@pytest.mark.parametrize("command", ["render", "validate"])
def test_a_fresh_process_works_offline(tmp_path, command):
    args = [str(SAMPLE)] + (["-o", str(tmp_path / "p.pdf"), "--template", "panel"])[
        : 4 if command == "render" else 0
    ]
    done = subprocess.run(
        [sys.executable, "-c", GUARD, command, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)},
    )
    assert "NETWORK USED" not in done.stderr
    assert "Traceback" not in done.stderr
    assert done.returncode == 0, done.stderr
    if command == "render":
        assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")
