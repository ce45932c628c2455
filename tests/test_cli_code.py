"""``eventwire code`` / ``eventwire explain`` through click's CliRunner, including bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwire.cli import main

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

TEXT = "Ethiopian troops clashed with Eritrean forces near Badme on Sunday, state media said.\nRead more>>>\n"


@pytest.fixture()
def runner():
    return CliRunner()


@pytest.fixture()
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(TEXT)
    return path


def test_code_json_document(runner, article):
    result = runner.invoke(main, ["code", str(article), "--published", "2024-02-12", "--outlet", "Addis Standard"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["article"]["outlet"] == "Addis Standard" and doc["article"]["published"] == "2024-02-12"
    assert "Read more" not in doc["text"]
    [event] = [e for e in doc["events"] if e["event_type"] == "ASSAULT"]
    assert event["date"]["value"] == "2024-02-11"
    assert doc["text"][event["trigger"]["start"]:event["trigger"]["end"]] == event["trigger"]["text"]
    assert doc["text"][event["sentence"]["start"]:event["sentence"]["end"]] == event["sentence"]["text"]


def test_code_jsonl_and_plover_formats(runner, article):
    lines = runner.invoke(main, ["code", str(article), "--format", "jsonl"]).output.strip().splitlines()
    assert lines and all(json.loads(line)["event_type"] for line in lines)
    plover = runner.invoke(main, ["code", str(article), "--format", "plover"]).output.strip().splitlines()
    record = json.loads(plover[0])
    assert record["event"] and "actor" in record and "recipient" in record


def test_code_reads_stdin(runner):
    result = runner.invoke(main, ["code", "-", "--published", "2024-02-12"], input=TEXT)
    assert result.exit_code == 0 and json.loads(result.output)["events"]


def test_explain_shows_rules_and_dropped_candidates(runner, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Kenya sent police officers to Haiti. Kenya sent a letter to Haiti.")
    out = runner.invoke(main, ["explain", str(path)]).output
    assert "rule mobilize.deploy" in out
    assert "object is not of the required kind" in out
    assert "actors:" in out


@pytest.mark.parametrize(
    ("content", "code_fragment"),
    [
        (b"", "EW102"),
        (b"   \n\n\t ", "EW102"),
        (b"\x00\x01\x02\x03binary\x00data" * 50, "EW103"),
        (b'{"text": "broken', "EW105"),
        (b'{"title": "no text"}', "EW105"),
        (b"<html><body><div></p></div>", "EW102"),
    ],
)
def test_bad_input_gives_one_line_error(runner, tmp_path, content, code_fragment):
    path = tmp_path / "bad.json" if content.startswith(b"{") else tmp_path / "bad.input"
    path.write_bytes(content)
    result = runner.invoke(main, ["code", str(path)])
    assert result.exit_code == 1
    assert code_fragment in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_latin1_input_is_decoded(runner, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Le président malien a condamné l'attaque près de Gao.".encode("cp1252"))
    result = runner.invoke(main, ["code", str(path)])
    assert result.exit_code == 0 and "président" in json.loads(result.output)["text"]


def test_missing_file_and_bad_date(runner, article):
    assert "no such file" in runner.invoke(main, ["code", "/nonexistent/x.txt"]).output
    result = runner.invoke(main, ["code", str(article), "--published", "22/11/2023"])
    assert result.exit_code == 1 and "YYYY-MM-DD" in result.output


def test_huge_input_refused_above_the_limit(runner, tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text(("The army shelled the village. " * 700_000)[:20_000_000])
    result = runner.invoke(main, ["code", str(path)])
    assert result.exit_code == 1 and "EW106" in result.output and "--max-bytes" not in result.output or "limit" in result.output
    small = runner.invoke(main, ["code", str(path), "--max-bytes", "1000"])
    assert small.exit_code == 1 and "1,000" in small.output


@pytest.mark.skipif(not (SHARED / "acceptance" / "check_seed.py").exists(), reason="../shared/acceptance is not present")
def test_seed_article_acceptance(tmp_path):
    """The issue's acceptance command, exactly: eventwire code <seed> --published 2023-11-22 | check_seed.py."""
    out = tmp_path / "coded.json"
    exe = Path(sys.executable).with_name("eventwire")
    with out.open("w") as fh:
        subprocess.run([str(exe), "code", str(SHARED / "acceptance" / "seed_article.txt"), "--published", "2023-11-22"],
                       stdout=fh, check=True)
    check = subprocess.run([sys.executable, str(SHARED / "acceptance" / "check_seed.py"), str(out)],
                           capture_output=True, text=True)
    assert check.stdout.strip().splitlines()[-1] == "19 passed, 0 failed", check.stdout
