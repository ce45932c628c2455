"""Print an article's work sheet: its publication date and numbered sentences.

Usage: python scripts/news_sheet.py FILE ID [ID ...]
FILE is relative to ../shared/eval (corpus/guardian_syria.jsonl, geoparse.jsonl, muc4.jsonl).
"""

from __future__ import annotations

import sys

from news_common import published_of, read_shared, sentence_spans


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    file, ids = argv[0], argv[1:]
    rows = read_shared(file)
    for article_id in ids:
        row = rows.get(article_id)
        if row is None:
            print(f"error: no article {article_id!r} in {file}", file=sys.stderr)
            return 1
        text = row["text"]
        print(f"# {article_id}   file {file}   published {published_of(row) or 'unknown'}")
        if row.get("title"):
            print(f"# title: {row['title']}")
        for i, (start, end) in enumerate(sentence_spans(text)):
            print(f"[{i}] {' '.join(text[start:end].split())}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
