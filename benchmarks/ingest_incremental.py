#!/usr/bin/env python3
"""Incremental stories and batched writes: storing 100 articles into an empty database vs a large one.

Builds coded documents (no spaCy: the store and the story clustering are what is measured) either
synthetic (default: dated over two years, ten event types, thirty places, twenty dyads) or from a
coded-article JSON-lines file (``--coded FILE``, e.g. ``eventwire export -f jsonl`` of a real
database; copies are made distinct). Then, in fresh SQLite files:

1. ``empty``:  write 100 articles into an empty database and cluster their events (update_stories);
2. ``large``:  fill a database with ``--background`` articles (default 10,000), then time the same
   100 articles written and clustered into it;
3. ``rebuild``: the old way for comparison, re-clustering the whole large database (rebuild_stories).

Also prints the store's write rate (articles/s, one transaction per ``--chunk`` articles) while
filling. Bounded: at most --background articles are generated. ``--json`` prints one object last.

Each case is timed ``--repeat`` times (default 5), each on a fresh copy of its database; the median is
reported, so that the stalls of a loaded machine weigh less.

Usage: python benchmarks/ingest_incremental.py [--background 10000] [--new 100] [--repeat 5] [--coded FILE] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from eventwire.model import (  # noqa: E402
    Actor,
    ArticleMeta,
    CodedArticle,
    DateValue,
    Event,
    Place,
    Quantity,
    SentenceSpan,
    TextSpan,
)

TYPES = ["ASSAULT", "PROTEST", "ACCUSE", "CONSULT", "COERCE", "THREATEN", "AID", "REQUEST", "MOBILIZE", "SANCTION"]
CODES = ["SYR", "TUR", "IRQ", "IRN", "ISR", "USA", "RUS", "LBN", "JOR", "EGY"]


def synthetic(n: int, seed: int, start: int = 0) -> list[CodedArticle]:
    """n distinct coded articles with 1-3 events each."""
    rng = random.Random(seed)
    places = [Place(text=f"Town{i}", name=f"Town{i}", country=CODES[i % 10], lat=30 + (i * 0.7) % 10,
                    lon=35 + (i * 1.3) % 10, feature="city") for i in range(30)]  # fmt: skip
    docs = []
    day0 = date(2022, 1, 1)
    for k in range(start, start + n):
        events = []
        sentences = []
        for j in range(rng.randint(1, 3)):
            src, tgt = rng.sample(CODES, 2)
            when = day0 + timedelta(days=rng.randrange(730))
            text = f"Report {k}.{j}: {src} forces acted against {tgt} near the town on {when.isoformat()}."
            offset = sum(len(s) + 1 for s in sentences)
            sentences.append(text)
            events.append(Event(
                event_id=f"e{k}-{j}", event_type=rng.choice(TYPES), source=[Actor(text=f"{src} forces", country=src,
                sector="MIL")], target=[Actor(text=tgt, country=tgt)], locations=[rng.choice(places)],
                date=DateValue(value=when.isoformat(), precision="day"),
                quantities=[Quantity(value=rng.randint(1, 20), kind="killed", text="n killed", sentence_index=j)],
                trigger=TextSpan(text="acted", start=offset, end=offset + 5),
                sentence=SentenceSpan(text=text, start=offset, end=offset + len(text), index=j), rule="bench",
            ))  # fmt: skip
        docs.append(CodedArticle(article=ArticleMeta(id=f"a{k}", published=(day0 + timedelta(days=k % 730)).isoformat(),
                                                     outlet=f"Outlet {k % 7}", url=f"https://news{k % 5}.example/{k}"),
                                 text=" ".join(sentences), events=events))  # fmt: skip
    return docs


def from_coded(path: Path, n: int, start: int) -> list[CodedArticle]:
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    docs = []
    for k in range(start, start + n):
        doc = CodedArticle.from_dict(rows[k % len(rows)])
        copy = k // len(rows)
        if copy:
            doc = doc.model_copy(update={"text": doc.text + f"\n[copy {copy}]", "article": doc.article.model_copy(
                update={"id": f"{doc.article.id}-c{copy}", "url": f"{doc.article.url or 'u'}#c{copy}"})})
        docs.append(doc)
    return docs


def fill(store, docs, chunk: int) -> float:  # noqa: ANN001
    """Write docs in transactions of ``chunk``; returns seconds."""
    t = time.perf_counter()
    for i in range(0, len(docs), chunk):
        store.write_batch([(d, {}) for d in docs[i : i + chunk]])
    return time.perf_counter() - t


def add_new(store, docs, chunk: int) -> tuple[float, float, int]:  # noqa: ANN001
    """Write the new docs and cluster their events: (write seconds, story seconds, stories)."""
    from eventwire.stories import update_stories

    t = time.perf_counter()
    pks: list[int] = []
    for i in range(0, len(docs), chunk):
        pks.extend(store.write_batch([(d, {}) for d in docs[i : i + chunk]]).event_pks)
    t_write = time.perf_counter() - t
    t = time.perf_counter()
    total = update_stories(store, pks).total
    return t_write, time.perf_counter() - t, total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--background", type=int, default=10_000, help="articles already in the large database")
    ap.add_argument("--new", type=int, default=100, help="articles ingested into each database")
    ap.add_argument("--chunk", type=int, default=128, help="articles per store transaction")
    ap.add_argument("--coded", type=Path, help="a coded-article JSON-lines file to draw articles from")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs of each case (the median is reported)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if not 0 < args.background <= 200_000:
        ap.error("--background must be between 1 and 200000")
    if not 1 <= args.repeat <= 50:
        ap.error("--repeat must be between 1 and 50")
    from eventwire.store import open_store
    from eventwire.stories import update_stories

    make = (lambda n, start: from_coded(args.coded, n, start)) if args.coded else (lambda n, s: synthetic(n, s, s))
    new_docs = make(args.new, args.background)
    out: dict[str, float | int] = {"background": args.background, "new": args.new, "repeat": args.repeat}

    def timed(path: Path) -> tuple[float, float, int]:
        """Write and cluster the new articles into the database at path; the median of the repeats (each on
        a fresh copy of the database), so that a loaded machine's stalls weigh less."""
        runs = []
        for r in range(args.repeat):
            copy = path.with_name(f"{path.stem}-{r}.db")
            if path.exists():
                shutil.copy(path, copy)
            with open_store(copy) as store:
                runs.append(add_new(store, new_docs, args.chunk))
            copy.unlink()
        runs.sort(key=lambda x: x[0] + x[1])
        return runs[len(runs) // 2]

    with tempfile.TemporaryDirectory() as tmp:
        w, s, n = timed(Path(tmp) / "empty.db")
        out.update(empty_write_s=round(w, 3), empty_stories_s=round(s, 3), empty_total_s=round(w + s, 3))
        large = Path(tmp) / "large.db"
        with open_store(large) as store:
            background = make(args.background, 0)
            t_fill = fill(store, background, args.chunk)
            t = time.perf_counter()
            before = update_stories(store, None).total
            out.update(fill_articles_per_s=round(args.background / t_fill, 1), fill_s=round(t_fill, 2),
                       first_clustering_s=round(time.perf_counter() - t, 2), stories_before=before)
        w, s, n = timed(large)
        out.update(large_write_s=round(w, 3), large_stories_s=round(s, 3), large_total_s=round(w + s, 3),
                   stories_after=n)
        with open_store(large) as store:
            from eventwire.stories import rebuild_stories

            t = time.perf_counter()
            rebuild_stories(store)
            out["full_rebuild_s"] = round(time.perf_counter() - t, 2)
    out["ratio_large_vs_empty"] = round(out["large_total_s"] / max(out["empty_total_s"], 1e-9), 2)
    print(f"{args.new} articles into an empty database: {out['empty_total_s']}s "
          f"(write {out['empty_write_s']}s, stories {out['empty_stories_s']}s)")
    print(f"{args.new} articles into a database of {args.background} articles: {out['large_total_s']}s "
          f"(write {out['large_write_s']}s, stories {out['large_stories_s']}s); ratio {out['ratio_large_vs_empty']}")
    print(f"re-clustering the whole large database instead (the old way): {out['full_rebuild_s']}s")
    print(f"store write rate while filling: {out['fill_articles_per_s']} articles/s")
    if args.json:
        print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
