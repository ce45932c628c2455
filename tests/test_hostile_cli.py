"""Issue 14, case 6 (and 3, 7 from the command line): every command fails with one coded line of at
most 300 characters, never a traceback, never a hang. Run as subprocesses with a timeout."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwire.cli import main

SRC = str(Path(__file__).resolve().parents[1] / "src")
LINE = re.compile(r"^eventwire: error: \[EW\d{3}\] [^\[]")


def _run(*args: str | bytes, timeout: float = 120) -> subprocess.CompletedProcess:
    cmd = [sys.executable.encode(), b"-c", b"from eventwire.cli import main; main()",
           *[a if isinstance(a, bytes) else a.encode() for a in args]]
    return subprocess.run(cmd, env=dict(os.environ, PYTHONPATH=SRC), capture_output=True, timeout=timeout)


def _one_line(run: subprocess.CompletedProcess) -> str:
    err = run.stderr.decode("utf-8", "replace").strip()
    assert run.returncode == 1 and "Traceback" not in err, err[-1500:]
    assert len(err.splitlines()) == 1 and LINE.match(err) and len(err) <= 320, err
    return err


def test_3_6_code_on_a_fifo_or_a_device_is_one_line_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert "not a regular file" in _one_line(_run("code", str(fifo), timeout=60))
    assert "not a regular file" in _one_line(_run("code", "/dev/zero", "--max-bytes", "1000", timeout=60))


def test_6_query_and_export_bad_values_and_non_utf8_arguments(tmp_path: Path) -> None:
    db = tmp_path / "e.db"
    art = tmp_path / "a.txt"
    art.write_text("Rebels attacked an army post near Hama on Tuesday.")
    assert _run("ingest", str(art), "--db", str(db), "--no-progress", timeout=300).returncode == 0
    _one_line(_run("query", "--db", str(db), "--until", "2023-13"))
    _one_line(_run("export", "--db", str(db), "--until", "2023-13", "--format", "acled"))
    _one_line(_run("query", "--db", b"no\xffsuch.db"))
    run = _run("code", str(art), "--title", b"bad \xff title", timeout=300)
    assert run.returncode == 0 and "Traceback" not in run.stderr.decode("utf-8", "replace")
    _one_line(_run("code", str(art), "--max-chars", "-5"))


def test_6_any_unexpected_exception_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import eventwire.cli.code as code_cli

    def boom(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("something\nbroke " + "x" * 5000)

    monkeypatch.setattr(code_cli, "_read", boom)
    art = tmp_path / "a.txt"
    art.write_text("x")
    out = CliRunner().invoke(main, ["code", str(art)])
    assert out.exit_code == 1 and out.exception is None or isinstance(out.exception, SystemExit)
    lines = out.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("eventwire: error: [EW900] internal error (RuntimeError")
    assert len(lines[0]) <= 320
