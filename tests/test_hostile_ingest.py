"""Issue 14, ingest: one bad article never stops a batch, crashes included; nothing is lost silently.

Numbered as in the issue: 1 (inputs that aborted a run; a worker that segfaults, hangs or grows,
with one and with two workers), 5 (a duplicate only of a stored article; every stored article
records its source), and a failing chunk write retried article by article. The crashing cases run
``eventwire ingest`` in a subprocess with a timeout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from _ew_docs import db_url  # noqa: F401 - fixture
from eventwire.ingest import ingest
from eventwire.settings import Settings
from eventwire.store import open_store, schema

GOOD = [
    "Rebels attacked an army post near Hama on Tuesday, killing three soldiers, officials said.",
    "Police arrested twelve protesters in Tunis on Friday after a march against rising prices.",
    "Turkish forces shelled Kurdish positions near Afrin on Monday, a monitoring group said.",
    "Militants ambushed a convoy in northern Mali on Sunday, the army said in a statement.",
    "Protesters gathered outside parliament in Nairobi on Thursday to demand lower taxes.",
    "The government of Sudan accused the paramilitary forces of shelling a market in Omdurman.",
]
SRC = str(Path(__file__).resolve().parents[1] / "src")


def _stored(db: str) -> list[tuple[str, str | None, str]]:
    with open_store(db, create=False) as store, store.engine.connect() as conn:
        rows = conn.execute(select(schema.articles.c.text, schema.articles.c.title, schema.articles.c.source))
        return [tuple(r) for r in rows]  # type: ignore[misc]


@pytest.mark.parametrize("workers", [1, 2])
def test_1_5_a_worker_that_crashes_hangs_or_grows_fails_only_its_article(tmp_path: Path, workers: int) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i, text in enumerate(GOOD):
        (folder / f"g{i}.txt").write_text(text)
    (folder / "x1-segv.txt").write_text("SEGVME Soldiers clashed with rebels near Idlib on Monday.")
    if workers > 1:  # each mode costs two model loads: the single-worker run tries one
        (folder / "x2-hang.txt").write_text("HANGME Soldiers clashed with rebels near Homs on Monday.")
        (folder / "x3-memory.txt").write_text("GROWME Soldiers clashed with rebels near Raqqa on Monday.")
    twin = "Gunmen attacked a police station in Kano on Saturday, residents said."
    (folder / "y.jsonl").write_text(json.dumps({"text": twin, "title": "CRASHME"}) + "\n"
                                    + json.dumps({"text": twin, "title": "A good title"}) + "\n")
    db = str(tmp_path / "events.db")
    env = dict(os.environ, PYTHONPATH=SRC,
               EVENTWIRE_FAULT_ARTICLE="SEGVME:segv,HANGME:hang,GROWME:memory,CRASHME:segv")
    cmd = [sys.executable, "-c", "from eventwire.cli import main; main()", "ingest", str(folder), "--db", db,
           "--workers", str(workers), "--chunk-size", "4", "--batch-size", "2", "--article-timeout", "30",
           "--worker-max-rss-mb", "1400", "--no-progress", "--json", "--no-stories"]
    run = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    summary = json.loads(run.stdout)
    reasons = {Path(f["source"].split(":")[0]).name + (f["source"][-2:] if ".jsonl" in f["source"] else ""):
               f["reason"] for f in summary["failures"]}
    n_bad = 4 if workers > 1 else 2
    assert summary["coded"] == len(GOOD) + 1 and summary["failed"] == n_bad and summary["duplicates"] == 0, reasons
    assert "SIGSEGV" in reasons["x1-segv.txt"] and "SIGSEGV" in reasons["y.jsonl:1"]
    if workers > 1:
        assert "article_timeout" in reasons["x2-hang.txt"] and "worker_max_rss_mb" in reasons["x3-memory.txt"]
    assert all(r.startswith("[EW203]") and "\n" not in r and len(r) <= 300 for r in reasons.values())
    rows = _stored(db)
    assert sorted(t for t, _, _ in rows) == sorted([*GOOD, twin])
    assert ("A good title" in {title for _, title, _ in rows})  # the twin that did not crash is stored
    sources = {Path(s).name for _, _, s in rows}
    assert {f"g{i}.txt" for i in range(len(GOOD))} <= sources and "y.jsonl:2" in sources  # each records its source


def test_1_inputs_that_used_to_abort_a_run_each_fail_alone(db_url: str, tmp_path: Path) -> None:  # noqa: F811
    folder = tmp_path / "in"
    folder.mkdir()
    bad = [
        '{"text": "' + GOOD[0] + '", "x": ' + "[" * 5000 + "]" * 5000 + "}",
        '{"text": "Rebels attacked a post near Hama. \\ud800"}',
        '{"text": "' + GOOD[1] + '", "n": ' + "7" * 4301 + "}",
        json.dumps({"text": GOOD[2], "title": 12}),
        json.dumps({"text": GOOD[2], "title": "A good title"}),
        json.dumps({"text": "Police killed " + "7" * 299 + " people in Hama on Monday.", "published": "9999-12-31"}),
        json.dumps({"text": "-".join(["word"] * 55_555)}),
        json.dumps({"text": "a\n" * 200_000}),
    ]
    (folder / "mixed.jsonl").write_text("\n".join(bad + [json.dumps({"text": g}) for g in GOOD[3:]]) + "\n")
    db = db_url
    summary = ingest([folder], db, progress=False, settings=Settings(article_timeout=120), stories=True)
    texts = [t for t, _, _ in _stored(db)]
    assert all(g in texts for g in GOOD[2:]) and summary.duplicates == 1  # the second copy of GOOD[2]
    assert any(t.startswith("Rebels attacked a post near Hama.") for t in texts)  # the surrogate, replaced
    assert any(t.startswith("Police killed 7777") for t in texts)  # its count and date dropped, not fatal
    assert summary.failed == 4 and all("\n" not in f["reason"] and len(f["reason"]) <= 300 for f in summary.failures)
    assert summary.stories is not None and summary.stories >= 0


def test_a_failing_chunk_write_is_retried_article_by_article(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    from eventwire.errors import StoreError
    from eventwire.store import Store

    real = Store.write_batch

    def write(self, docs, failures=()):  # noqa: ANN001, ANN202 - the database refuses one article's values
        if any("Nairobi" in doc.text for doc, _ in docs):
            raise StoreError("cannot store the batch (DataError: value out of range)")
        return real(self, docs, failures)

    monkeypatch.setattr(Store, "write_batch", write)
    lines = tmp_path / "in.jsonl"
    lines.write_text("\n".join(json.dumps({"text": g}) for g in GOOD) + "\n")
    db = db_url
    summary = ingest([lines], db, progress=False, chunk_size=6, stories=False)
    assert summary.coded == len(GOOD) - 1 and summary.failed == 1
    assert "could not be stored" in summary.failures[0]["reason"] and summary.failures[0]["source"].endswith(":5")
    assert len(_stored(db)) == len(GOOD) - 1
