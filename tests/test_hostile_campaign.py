"""Issue 14: a small run of the hostile campaign (benchmarks/hostile.py) is part of the suite.

300 seeded hostile inputs through code() in one process, an ingest of a folder and of a JSONL file
mixing them with good articles, and 10 SIGKILLs of an ingest: no crash, no hang, every good article
stored, nothing lost or duplicated, every entry accounted for, every error on one line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_small_hostile_campaign() -> None:
    cmd = [sys.executable, str(ROOT / "benchmarks" / "hostile.py"), "--inputs", "300", "--ingest-inputs", "40", "--workers", "1",
           "--kills", "10", "--good", "10", "--kill-max-delay", "5", "--budget", "240", "--json"]
    run = subprocess.run(cmd, env=dict(os.environ, PYTHONPATH=str(ROOT / "src")), capture_output=True, text=True,
                         timeout=900)
    assert run.returncode == 0, run.stderr[-2000:]
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    totals = figures["totals"]
    assert totals["inputs tried"] == 300 and totals["kills"] == 10
    assert totals["crashes"] == 0 and totals["hangs"] == 0, figures
    assert totals["good stored (folder)"] == totals["good stored (jsonl)"] == totals["good stored (after kills)"] == "10/10"
    assert totals["lost"] == 0 and totals["duplicated"] == 0 and totals["unaccounted entries"] == 0
    assert totals["errors longer than one line"] == 0, figures
    assert totals["peak RSS MB (largest process)"] < 2000
    for phase in ("ingest_folder", "ingest_jsonl"):
        assert figures[phase]["db_integrity"] == "ok" and figures[phase]["db_articles_without_source"] == 0
