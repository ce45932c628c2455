#!/usr/bin/env python3
"""Store write rate: coded documents written with ``Store.write_batch`` into a fresh SQLite file.

Reads a coded-article JSON-lines file (``eventwire export -f jsonl``; default: synthetic articles
from ``ingest_incremental.py``), repeats it ``--copies`` times (texts made distinct) and times only
the writes, one transaction per ``--chunk`` documents. Parsing the JSON is not timed. Run it with
another checkout on PYTHONPATH to compare two versions of the store (the API is the same).

Usage: python benchmarks/store_write.py [--coded FILE] [--copies 4] [--chunk 128]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--coded", type=Path)
    ap.add_argument("--copies", type=int, default=4)
    ap.add_argument("--chunk", type=int, default=128)
    args = ap.parse_args()
    from eventwire.model import CodedArticle
    from eventwire.store import open_store

    if args.coded:
        rows = [json.loads(x) for x in args.coded.read_text(encoding="utf-8").splitlines() if x.strip()]
        base = [CodedArticle.from_dict(r) for r in rows]
    else:
        sys.path.insert(0, str(HERE))
        from ingest_incremental import synthetic

        base = synthetic(1000, 1)
    docs = []
    for k in range(max(1, args.copies)):
        for d in base:
            docs.append(d if k == 0 else d.model_copy(update={"text": d.text + f"\n[copy {k}]"}))
    events = sum(len(d.events) for d in docs)
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "w.db") as store:
        t = time.perf_counter()
        for i in range(0, len(docs), args.chunk):
            store.write_batch([(d, {}) for d in docs[i : i + args.chunk]])
        elapsed = time.perf_counter() - t
    print(json.dumps({"articles": len(docs), "events": events, "seconds": round(elapsed, 2),
                      "articles_per_s": round(len(docs) / elapsed, 1), "events_per_s": round(events / elapsed, 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
