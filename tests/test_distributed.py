"""Dask: a local cluster of two worker processes gives the single-process result, to a DB and to Parquet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventwire.distributed import read_parquet_events
from eventwire.errors import StoreError
from eventwire.export import export
from eventwire.ingest import ingest

TEXTS = [
    "Gunmen attacked a police station in northern Nigeria on Monday, killing two officers.",
    "The presidents of Kenya and Tanzania signed a trade agreement in Arusha.",
    "Hundreds of farmers protested in New Delhi against new grain prices.",
    "Israeli aircraft struck targets in southern Lebanon overnight, the army said.",
    "Ukraine asked its allies for more air defence systems after a wave of missile strikes.",
    "Armed men kidnapped five aid workers near Goma, a local official said.",
    "Pakistan recalled its ambassador from Tehran after cross-border strikes.",
    "The European Union imposed new sanctions on Belarusian officials.",
]


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    (root / "b").mkdir(parents=True)
    for i, text in enumerate(TEXTS[:4]):
        (root / f"a{i}.txt").write_text(text)
    (root / "b" / "rest.jsonl").write_text("\n".join(json.dumps({"id": f"r{i}", "text": t}) for i, t in enumerate(TEXTS[4:])))
    (root / "b" / "broken.json").write_text("{oops")
    return root


def test_local_dask_cluster_equals_single_process(folder: Path, tmp_path: Path) -> None:
    single = tmp_path / "single.db"
    s1 = ingest([folder], single, progress=False, chunk_size=2)
    dask_db = tmp_path / "dask.db"
    s2 = ingest([folder], dask_db, progress=False, chunk_size=2, dask="local", dask_workers=2)
    assert (s2.coded, s2.failed, s2.events) == (s1.coded, s1.failed, s1.events) == (8, 1, s1.events)
    export(str(single), "jsonl", tmp_path / "single.jsonl")
    export(str(dask_db), "jsonl", tmp_path / "dask.jsonl")
    assert (tmp_path / "single.jsonl").read_text() == (tmp_path / "dask.jsonl").read_text()
    # Parquet partitions written by the workers hold the same events
    out = tmp_path / "pq"
    s3 = ingest([folder], out_parquet=out, progress=False, chunk_size=3, dask="local", dask_workers=2)
    assert (s3.coded, s3.events) == (8, s1.events)
    assert len(list((out / "events").glob("part-*.parquet"))) == 3
    frame = read_parquet_events(out)
    export(str(single), "parquet", tmp_path / "single.parquet", modality="any", include_background=True)
    import pandas as pd

    # the store's export also carries each event's story, which coding alone does not know
    ref = pd.read_parquet(tmp_path / "single.parquet").assign(story_id=None)
    frame = frame.assign(story_id=None)
    key = ["article_id", "event_id"]
    assert frame.sort_values(key).reset_index(drop=True).equals(ref.sort_values(key).reset_index(drop=True))


def test_unreachable_scheduler_is_a_coded_error() -> None:
    from eventwire.distributed import connect

    with pytest.raises(StoreError, match="Dask scheduler"):
        connect("tcp://127.0.0.1:1", timeout="1s")
