"""Issue 14, the store: nothing poisons the database, first creation is atomic, read-only can be read.

Numbered as in the issue: 2 (a date of 9999, a 300-digit count, a kill or full disk during the
first migration, two creators at once), 7 (read-only databases).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

import eventwire.store as store_module
from _ew_docs import db_url, fresh_pg_url, make_doc, make_event, pg_reason  # noqa: F401 - fixture
from eventwire.errors import StoreError
from eventwire.model import DateValue, Quantity
from eventwire.settings import Settings
from eventwire.store import guard_values, open_store

SRC = str(Path(__file__).resolve().parents[1] / "src")


def _poisoned():
    doc = make_doc("p1", [make_event("Police killed many people near Aleppo on Monday.", killed=5)],
                   published="2024-03-05").model_copy(deep=True)  # its places are shared by other tests
    doc.article.published = "9999-12-31"
    doc.events[0].date = DateValue(value="9999-12-31", precision="decade", text="9999")
    doc.events[0].quantities.append(Quantity(value=int("7" * 300), kind="killed", unit="people", text="7777 people"))
    doc.quantities.append(Quantity(value=float("inf"), kind="killed", text="infinitely many"))
    doc.events[0].locations[0].lat = 1e308
    return doc


def test_2_values_that_would_poison_the_store_are_dropped_with_warnings() -> None:
    doc = _poisoned()
    warnings = guard_values(doc)
    assert doc.article.published is None and doc.events[0].date is None
    assert all(abs(float(q.value)) <= 1e9 for q in doc.events[0].quantities + doc.quantities)
    assert doc.events[0].locations[0].lat is None
    assert len(warnings) == 4 and all("\n" not in w for w in warnings)
    narrow = make_doc("p2", [make_event("Rebels attacked a post near Aleppo.")], published="1990-01-01")
    assert guard_values(narrow, Settings(date_min="2000-01-01")) and narrow.article.published is None


def test_2_a_poisoned_document_imported_by_ingest_leaves_the_database_usable(db_url: str, tmp_path: Path) -> None:  # noqa: F811
    import json

    from eventwire.ingest import ingest
    from eventwire.stories import rebuild_stories

    good = make_doc("g1", [make_event("Turkish forces shelled Kurdish fighters near Aleppo on Monday.")])
    lines = tmp_path / "coded.jsonl"
    lines.write_text("\n".join(json.dumps(d.to_dict()) for d in (_poisoned(), good)) + "\n")
    summary = ingest([lines], db_url, progress=False, stories=True)
    assert summary.imported == 2 and summary.failed == 0 and len(summary.warnings) >= 3
    with open_store(db_url) as store:
        assert rebuild_stories(store) >= 1  # the next run's story building still works
        assert store.counts()["articles"] == 2


def _kill_during_creation(path: Path, delay: float) -> None:
    code = (f"import sys; sys.path.insert(0, {SRC!r}); import eventwire.store as s; print('go', flush=True); "
            f"s.open_store({str(path)!r})")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "go"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)


def test_2_a_kill_at_any_moment_of_the_first_migration_leaves_an_openable_database(tmp_path: Path) -> None:
    rng = random.Random(14)
    for i in range(6):
        path = tmp_path / f"new{i}.db"
        _kill_during_creation(path, rng.uniform(0.0, 0.25))
        with open_store(path) as store:  # whatever the moment, the next run opens it
            assert store.counts()["articles"] == 0


def test_2_a_full_disk_during_the_first_migration_leaves_no_broken_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = store_module.migrate
    calls = []

    def failing(conn):  # noqa: ANN001, ANN202
        calls.append(1)
        real(conn)
        raise OperationalError("INSERT", {}, Exception("database or disk is full"))

    monkeypatch.setattr(store_module, "migrate", failing)
    path = tmp_path / "full.db"
    with pytest.raises(StoreError, match="disk is full"):
        open_store(path)
    assert not path.exists() and not [p for p in tmp_path.iterdir() if p.name.endswith(".new")]
    monkeypatch.setattr(store_module, "migrate", real)
    with open_store(path) as store:
        assert store.counts()["articles"] == 0


def test_2_two_processes_creating_one_database_at_once_both_succeed(db_url: str, tmp_path: Path) -> None:  # noqa: F811
    start_at = time.time() + 3.0
    code = ("import sys, time; sys.path.insert(0, %r); import eventwire.store as s; "
            "time.sleep(max(0, %r - time.time())); st = s.open_store(%r); print(st.counts()['articles'])")
    procs = [subprocess.Popen([sys.executable, "-c", code % (SRC, start_at, db_url)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e for _, e in outs]
    assert [o.strip() for o, _ in outs] == ["0", "0"]


# -- 7. read-only -----------------------------------------------------------------------------------
def test_7_a_read_only_database_is_queryable_and_refused_for_ingest_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from eventwire.export import export
    from eventwire.ingest import ingest
    from eventwire.query import query

    path = tmp_path / "ro.db"
    with open_store(path) as store:
        store.write_batch([(make_doc("r1", [make_event("Turkish forces shelled Kurdish fighters near Aleppo.")]), {})])
    before = path.read_bytes()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if mode & os.W_OK else real_access(p, mode, **kw))
    assert len(query(path)) == 1  # opened read-only: no migration, no WAL switch
    out = tmp_path / "out.jsonl"
    export(path, "jsonl", out)
    assert out.read_text().strip()
    text = tmp_path / "a.txt"
    text.write_text("Rebels attacked an army post near Hama on Tuesday.")
    start = time.monotonic()
    with pytest.raises(StoreError, match="read-only"):
        ingest([text], path, progress=False)
    assert time.monotonic() - start < 10  # refused before any coding
    assert path.read_bytes() == before
