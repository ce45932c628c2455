"""Benchmark the coder alone: code a JSONL corpus and print articles/s, words/s and peak memory.

Usage: python benchmarks/code_corpus.py [CORPUS.jsonl] [--limit N] [--json]
Default corpus: ../shared/eval/corpus/guardian_syria.jsonl (read in place, never copied).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "eval" / "corpus" / "guardian_syria.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from eventwire.clean import load_article
    from eventwire.pipeline import Coder, Failure

    rows = [json.loads(line) for line in args.corpus.open(encoding="utf-8") if line.strip()][: args.limit]
    t_load = time.perf_counter()
    coder = Coder()
    load_s = time.perf_counter() - t_load
    articles, failures = [], []
    for row in rows:
        try:
            articles.append(load_article(row.get("text") or "", name=str(row.get("id")), published=(row.get("date") or "")[:10] or None))
        except Exception as exc:  # noqa: BLE001 - counted and reported
            failures.append((row.get("id"), str(exc)))
    words = sum(len(a.text.split()) for a in articles)
    start = time.perf_counter()
    events = 0
    for result in coder.code_many(articles):
        if isinstance(result, Failure):
            failures.append((result.article_id, result.reason))
        else:
            events += len(result.events)
    elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "articles": len(articles),
        "failures": len(failures),
        "words": words,
        "events": events,
        "seconds": round(elapsed, 2),
        "articles_per_s": round(len(articles) / elapsed, 2),
        "words_per_s": round(words / elapsed, 1),
        "events_per_article": round(events / max(1, len(articles)), 2),
        "peak_rss_mb": round(peak_mb, 1),
        "load_seconds": round(load_s, 2),
    }
    for key, value in figures.items():
        print(f"{key:>20}: {value}")
    for article_id, reason in failures[:10]:
        print(f"failed {article_id}: {reason}", file=sys.stderr)
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
