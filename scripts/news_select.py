"""Choose the articles of the news corpus (deterministic): ids by the sha1 of 'news:' + id.

Usage: python scripts/news_select.py > eval/news/selection.tsv
Guardian articles of 1,500-7,000 characters (60), geoparse news texts (45: GWN and TR-News),
MUC-4 dev texts (45).
"""

from __future__ import annotations

import hashlib

from news_common import read_shared

PLAN = [("corpus/guardian_syria.jsonl", 60, 1500, 7000), ("geoparse.jsonl", 45, 800, 5000), ("muc4.jsonl", 45, 600, 4000)]


def _key(article_id: str) -> str:
    return hashlib.sha1(f"news:{article_id}".encode()).hexdigest()


def main() -> None:
    for file, n, lo, hi in PLAN:
        rows = read_shared(file)
        ids = sorted((i for i, r in rows.items() if lo <= len(r["text"]) <= hi), key=_key)[:n]
        for article_id in ids:
            print(f"{file}\t{article_id}")


if __name__ == "__main__":
    main()
