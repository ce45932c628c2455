"""Inter-annotator agreement on the doubly annotated articles of the news corpus.

Usage: python scripts/news_agreement.py FIRST.jsonl SECOND.jsonl [--json]
Both files are built annotation files (scripts/news_build.py output). Reports, over the articles
in both: event-level P/R/F1 of the second against the first over (sentence, type) pairs
(multisets), the same with source and target countries, and Cohen's kappa on each sentence's
label (its sorted set of event types, or NONE).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path


def _load(path: Path) -> dict[str, dict]:
    return {a["id"]: a for a in map(json.loads, filter(str.strip, path.open(encoding="utf-8")))}


def _countries(actors: list[dict]) -> frozenset[str]:
    return frozenset(a["country"] for a in actors if a.get("country"))


def kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa of two label sequences."""
    n = len(pairs)
    if not n:
        return 0.0
    observed = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    return round((observed - expected) / (1 - expected), 4) if expected < 1 else 1.0


def agreement(first: dict[str, dict], second: dict[str, dict]) -> dict[str, float]:
    ids = sorted(set(first) & set(second))
    tp = fa = fb = ttp = tfa = tfb = 0
    labels = []
    for i in ids:
        a, b = first[i]["sentences"], second[i]["sentences"]
        if len(a) != len(b):
            raise SystemExit(f"{i}: the two annotations have different sentence spans")
        for sa, sb in zip(a, b, strict=True):
            ta = Counter(e["type"] for e in sa["events"])
            tb = Counter(e["type"] for e in sb["events"])
            tp += sum((ta & tb).values())
            fa += sum((ta - tb).values())
            fb += sum((tb - ta).values())
            ua = Counter((e["type"], _countries(e["source"]), _countries(e["target"])) for e in sa["events"])
            ub = Counter((e["type"], _countries(e["source"]), _countries(e["target"])) for e in sb["events"])
            ttp += sum((ua & ub).values())
            tfa += sum((ua - ub).values())
            tfb += sum((ub - ua).values())
            labels.append(("+".join(sorted(set(ta))) or "NONE", "+".join(sorted(set(tb))) or "NONE"))
    p = tp / (tp + fb) if tp + fb else 0.0
    r = tp / (tp + fa) if tp + fa else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    tf = 2 * ttp / (2 * ttp + tfa + tfb) if ttp else 0.0
    return {"articles": len(ids), "sentences": len(labels), "events_first": tp + fa, "events_second": tp + fb,
            "event_precision": round(p, 4), "event_recall": round(r, 4), "event_f1": round(f, 4),
            "tuple_f1": round(tf, 4), "sentence_kappa": kappa(labels),
            "sentence_agreement": round(sum(x == y for x, y in labels) / len(labels), 4) if labels else 0.0}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = agreement(_load(args.first), _load(args.second))
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:20} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
