"""Resumable ingest: SIGKILL mid-batch, run again, every article stored exactly once (SQLite and PostgreSQL).

Deterministic: EVENTWIRE_FAULT_KILL_AFTER=N makes the ingest process SIGKILL itself inside the
open transaction of a batch, right after storing its Nth article.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from _ew_docs import db_url  # noqa: F401 - fixture
from eventwire.store import open_store, schema

SUBJECTS = ["Rebels", "Soldiers", "Police", "Protesters", "Militants", "Officials", "Farmers", "Students", "Doctors"]
PLACES = ["Hama", "Homs", "Idlib", "Aleppo", "Raqqa"]


def _folder(root: Path) -> Path:
    root.mkdir()
    for i in range(10):
        who, where = SUBJECTS[i % len(SUBJECTS)], PLACES[i % len(PLACES)]
        (root / f"n{i:02d}.txt").write_text(f"{who} gathered in {where} on day {i} of the month, residents said.")
    return root


def _run(folder: Path, db: str, kill_after: int | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("EVENTWIRE_FAULT_KILL_AFTER", None)
    if kill_after is not None:
        env["EVENTWIRE_FAULT_KILL_AFTER"] = str(kill_after)
    cmd = [sys.executable, "-c", "from eventwire.cli import main; main()", "ingest", str(folder), "--db", db,
           "--chunk-size", "4", "--no-progress", "--json"]  # fmt: skip
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)


def _hashes(db: str) -> list[str]:
    with open_store(db) as store, store.engine.connect() as conn:
        return [r[0] for r in conn.execute(select(schema.articles.c.content_hash))]


def test_sigkill_mid_batch_then_resume(db_url: str, tmp_path: Path) -> None:  # noqa: F811
    folder = _folder(tmp_path / "in")
    killed = _run(folder, db_url, kill_after=6)  # batch 1 (4 articles) committed, killed inside batch 2
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert len(_hashes(db_url)) == 4  # the half-written batch was rolled back, nothing partial
    resumed = _run(folder, db_url)
    assert resumed.returncode == 0, resumed.stderr
    hashes = _hashes(db_url)
    assert len(hashes) == 10 and len(set(hashes)) == 10
    with open_store(db_url) as store, store.engine.connect() as conn:
        orphans = conn.execute(
            select(func.count()).select_from(schema.events).where(~schema.events.c.article_pk.in_(select(schema.articles.c.id)))
        ).scalar_one()
        assert orphans == 0
        n_events = conn.execute(select(func.count()).select_from(schema.events)).scalar_one()
    # the same result as one uninterrupted run
    clean_db = str(tmp_path / "clean.db")
    assert _run(folder, clean_db).returncode == 0
    assert sorted(_hashes(clean_db)) == sorted(hashes)
    with open_store(clean_db) as store, store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.events)).scalar_one() == n_events
