#!/usr/bin/env python3
"""Throughput: eventwire end to end into a fresh SQLite database vs bare spaCy, in the same run.

Codes the corpus (default ../shared/eval/corpus/guardian_syria.jsonl) with ``eventwire.ingest``
into a fresh SQLite file, and parses the same texts with bare spaCy (the same model and
components, loaded through ``eventwire.nlp.load_model``, the same number of processes).
Each measurement runs in a fresh child process and includes loading the model; peak RSS
is the child's (and its workers') maximum resident set. Then it repeats eventwire on 2x
and 4x the corpus (copies made distinct with a marker line, so deduplication does not skip
them) to show cost grows linearly.

Usage: python benchmarks/throughput.py [--limit N] [--workers N] [--json]
The last line with --json is one object: ratio, articles_per_s, words_per_s, peak_rss_mb, scaling_4x.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "eval" / "corpus" / "guardian_syria.jsonl"


def _texts(corpus: Path, limit: int | None, copies: int) -> list[dict]:
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    if limit:
        rows = rows[:limit]
    out = []
    for k in range(copies):
        for row in rows:
            row = dict(row)
            if k:
                row["text"] = f"{row['text']}\n\n(Copy {k}.)"
                row["id"] = f"{row.get('id')}-copy{k}"
            out.append(row)
    return out


def _child_eventwire(path: str, db: str, workers: int) -> dict:
    from eventwire.ingest import ingest

    start = time.perf_counter()
    summary = ingest([path], db, workers=workers, progress=False, stories=False)
    elapsed = time.perf_counter() - start
    return {"elapsed": elapsed, "articles": summary.coded, "words": summary.words, "events": summary.events,
            "failed": summary.failed}  # fmt: skip


def _child_spacy(path: str, workers: int) -> dict:
    from eventwire.clean import load_article
    from eventwire.nlp import load_model

    start = time.perf_counter()
    texts = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        texts.append(load_article(obj["text"], kind="text").text)
    nlp = load_model()
    n_tokens = 0
    for doc in nlp.pipe(texts, batch_size=32, n_process=workers):
        n_tokens += len(doc)
    elapsed = time.perf_counter() - start
    return {"elapsed": elapsed, "articles": len(texts), "words": sum(len(t.split()) for t in texts), "tokens": n_tokens}


def _measure(args: list[str]) -> dict:
    """Run one measurement in a fresh child process; add its peak RSS (MB, including its workers)."""
    proc = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child failed ({' '.join(args)}):\n{err[-2000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="use only the first N articles")
    parser.add_argument("--workers", type=int, default=1, help="processes for both eventwire and bare spaCy")
    parser.add_argument("--keep-db", type=Path, help="copy the 1x SQLite database here (e.g. to inspect stories)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object on the last line")
    parser.add_argument("--_child", choices=["eventwire", "spacy"], help=argparse.SUPPRESS)
    parser.add_argument("--_input", help=argparse.SUPPRESS)
    parser.add_argument("--_db", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args._child:
        result = _child_eventwire(args._input, args._db, args.workers) if args._child == "eventwire" else _child_spacy(
            args._input, args.workers
        )
        usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        result["peak_rss_mb"] = round(max(usage, children) / 1024, 1)
        print(json.dumps(result))
        return

    if not args.corpus.exists():
        raise SystemExit(f"corpus not found: {args.corpus} (give --corpus PATH)")
    with tempfile.TemporaryDirectory(prefix="ew-bench-") as tmp:
        runs: dict[int, dict] = {}
        for copies in (1, 2, 4):
            path = Path(tmp) / f"corpus{copies}.jsonl"
            path.write_text("\n".join(json.dumps(r) for r in _texts(args.corpus, args.limit, copies)) + "\n")
            db = Path(tmp) / f"bench{copies}.db"
            runs[copies] = _measure(["--_child", "eventwire", "--_input", str(path), "--_db", str(db),
                                     "--workers", str(args.workers)])  # fmt: skip
            if copies == 1 and args.keep_db:
                import shutil

                shutil.copyfile(db, args.keep_db)
            if copies == 1:
                bare = _measure(["--_child", "spacy", "--_input", str(path), "--workers", str(args.workers)])
        one = runs[1]
        figures = {
            "articles": one["articles"],
            "workers": args.workers,
            "articles_per_s": round(one["articles"] / one["elapsed"], 3),
            "words_per_s": round(one["words"] / one["elapsed"], 1),
            "peak_rss_mb": one["peak_rss_mb"],
            "spacy_articles_per_s": round(bare["articles"] / bare["elapsed"], 3),
            "spacy_peak_rss_mb": bare["peak_rss_mb"],
            "ratio": round(bare["elapsed"] / one["elapsed"], 3),
            "events": one["events"],
            "seconds_1x": round(one["elapsed"], 2),
            "seconds_2x": round(runs[2]["elapsed"], 2),
            "seconds_4x": round(runs[4]["elapsed"], 2),
            "articles_2x": runs[2]["articles"],
            "articles_4x": runs[4]["articles"],
            "scaling_2x": round(runs[2]["elapsed"] / one["elapsed"], 3),
            "scaling_4x": round(runs[4]["elapsed"] / one["elapsed"], 3),
        }
    print(f"eventwire: {figures['articles']} articles in {figures['seconds_1x']} s with {args.workers} process(es): "
          f"{figures['articles_per_s']} articles/s, {figures['words_per_s']} words/s, peak RSS {figures['peak_rss_mb']} MB, "
          f"{figures['events']} events")  # fmt: skip
    print(f"bare spaCy: {figures['spacy_articles_per_s']} articles/s, peak RSS {figures['spacy_peak_rss_mb']} MB")
    print(f"ratio eventwire / bare spaCy (throughput): {figures['ratio']} (target >= 0.80)")
    print(f"scaling: 2x corpus costs {figures['scaling_2x']}x, 4x costs {figures['scaling_4x']}x the time (target <= 4.4)")
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
