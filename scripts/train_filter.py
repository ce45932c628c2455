"""Train the event filter (eventwire.filter) on the train split of our news annotations.

Usage: python scripts/train_filter.py [--annotations eval/news/annotations.jsonl] [--texts ../shared/eval]
                                      [--out src/eventwire/data/models/filter.json] [--folds 5] [--rows FILE]

Every train article is coded with the filter off (min_confidence 0); each candidate event gets the
filter's features and two labels from the annotations, with the pairing of ``eventwire eval news``:
*real* (it is paired with a gold event of the same sentence and type) and, for the paired ones,
*background* (the gold event's flag). Two L2-regularised logistic regressions are fitted by Newton's
method (numpy only, deterministic; no random state). The regularisation and the threshold are
chosen by cross-validation by article inside the train split (folds by a hash of the article id):
the threshold maximises the CV event F1 of ``eval news`` (exact multiset counts per sentence and
type), the background threshold (and the date rules of BACKGROUND_RULES) the CV background F1
on paired events. The test split is never
read. ``--rows`` caches the coded candidates (features and labels) to re-fit without re-coding.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from bisect import bisect_right
from collections import Counter
from pathlib import Path

import numpy as np

from eventwire.filter import FEATURES_VERSION

ROOT = Path(__file__).resolve().parents[1]
L2_GRID = (1.0, 3.0, 10.0, 30.0, 100.0)
MIN_COUNT = 2
THRESHOLDS = [round(0.01 * i, 2) for i in range(0, 96)]
# The highest event threshold at which the third-party dev gate (tests/eval_baseline.json) still
# holds with the shipped model: measured with `eventwire eval events ../shared/eval/events.jsonl
# --min-confidence T` (0.13 drops one correct dev event). The dev sets are never read here; after a
# retraining, measure again and pass --max-threshold.
MAX_THRESHOLD = 0.12
# candidate background rules, features of eventwire.filter (the date stated in the sentence, by how far
# before publication, in years): none; more than a year back; more than about five weeks back
BACKGROUND_RULES = ((), ("date:stated_back<=5", "date:stated_back>5"),
                    ("date:stated_back<=1", "date:stated_back<=5", "date:stated_back>5"))


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def code_rows(annotations: Path, texts: Path) -> list[dict]:
    """One row per candidate event of the train articles: article, key, features, labels."""
    from eventwire.evaluation import code_items
    from eventwire.evaluation.news import Alignment, _pair, _texts
    from eventwire.pipeline import Coder, Failure
    from eventwire.settings import Settings

    anns = [json.loads(line) for line in annotations.open(encoding="utf-8") if line.strip()]
    anns = [a for a in anns if a.get("split") == "train"]
    load = _texts(texts)
    coder = Coder(Settings.load(env={}, min_confidence=0.0))
    raws = [load(a["file"])[a["id"]] for a in anns]
    rows: list[dict] = []
    gold_total = 0
    gold_keys: dict[str, dict[str, int]] = {}
    results = _code_with_features(coder, code_items, [(raw, a["id"], a.get("published")) for raw, a in zip(raws, anns, strict=True)])
    for ann, raw, (result, feats) in zip(anns, raws, results, strict=True):
        sentences = ann["sentences"]
        gold_by: dict[tuple[int, str], list[dict]] = {}
        for i, sent in enumerate(sentences):
            for g in sent["events"]:
                gold_by.setdefault((i, g["type"]), []).append(g)
        gold_total += sum(len(v) for v in gold_by.values())
        gold_keys[ann["id"]] = {f"{k[0]}|{k[1]}": len(v) for k, v in gold_by.items()}
        if isinstance(result, Failure):
            continue
        align = Alignment(raw, result.text)
        starts = [s["start"] for s in sentences]
        pred_by: dict[tuple[int, str], list[int]] = {}
        for j, ev in enumerate(result.events):
            off = align.raw(ev.trigger.start)
            i = bisect_right(starts, off) - 1
            if i >= 0 and off < sentences[i]["end"] + 1:
                pred_by.setdefault((i, ev.event_type), []).append(j)
        for key, idx in pred_by.items():
            preds = [result.events[j] for j in idx]
            pairs = _pair(gold_by.get(key, []), preds, align)
            paired = {id(p): g for g, p in pairs}
            for j, ev in zip(idx, preds, strict=True):
                g = paired.get(id(ev))
                rows.append({"article": ann["id"], "key": f"{key[0]}|{key[1]}", "features": feats[j],
                             "real": int(g is not None), "background": int(bool(g and g.get("background")))})
    _log(f"coded {len(anns)} train articles: {len(rows)} candidates, {gold_total} gold events")
    return [{"gold_total": gold_total, "gold_keys": gold_keys}, *rows]


def _code_with_features(coder, code_items, items):  # noqa: ANN001, ANN202
    """code_items, keeping the filter's features of each article's events as it is coded."""
    from eventwire.pipeline import Failure

    feats: list[list[list[str]]] = []
    apply = coder.filter.apply

    def recording(events, doc, published, explanation=None):  # noqa: ANN001, ANN202
        out = apply(events, doc, published, explanation)
        feats.append(coder.filter.last_features)
        return out

    coder.filter.apply = recording
    results = code_items(coder, items)
    it = iter(feats)
    return [(r, None if isinstance(r, Failure) else next(it)) for r in results]


def fold_of(article: str, folds: int) -> int:
    return int(hashlib.sha1(article.encode()).hexdigest(), 16) % folds


class Design:
    """Binary design matrix over the features seen at least MIN_COUNT times in the fitting rows."""

    def __init__(self, rows: list[dict]) -> None:
        counts = Counter(f for r in rows for f in set(r["features"]))
        self.names = sorted(f for f, n in counts.items() if n >= MIN_COUNT and f != "bias:1")
        self.index = {f: i + 1 for i, f in enumerate(self.names)}  # column 0 is the bias

    def matrix(self, rows: list[dict]) -> np.ndarray:
        x = np.zeros((len(rows), len(self.names) + 1))
        x[:, 0] = 1.0
        for r, row in enumerate(rows):
            for f in set(row["features"]):
                c = self.index.get(f)
                if c is not None:
                    x[r, c] = 1.0
        return x


def fit(x: np.ndarray, y: np.ndarray, l2: float, iters: int = 30) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method (the bias is not penalised)."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 1e-6
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x.T * (p * (1 - p))) @ x + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-7:
            break
    return np.round(w, 5)


def predict(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))


def event_scores(rows: list[dict], probs: np.ndarray, threshold: float, gold_total: int,
                 gold_keys: dict[str, dict[str, int]]) -> dict[str, float]:
    """eval news event P/R/F1 if the candidates under the threshold were left out (exact counts)."""
    kept: Counter[tuple[str, str]] = Counter()
    for row, p in zip(rows, probs, strict=True):
        if p >= threshold:
            kept[(row["article"], row["key"])] += 1
    tp = sum(min(n, gold_keys[a].get(k, 0)) for (a, k), n in kept.items())
    n_pred = sum(kept.values())
    prec = tp / n_pred if n_pred else 0.0
    rec = tp / gold_total if gold_total else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"threshold": threshold, "precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4),
            "predicted": n_pred, "tp": tp}


def bg_scores(y: np.ndarray, probs: np.ndarray, threshold: float) -> dict[str, float]:
    pred = probs >= threshold
    tp = int(np.sum(pred & (y == 1)))
    fp = int(np.sum(pred & (y == 0)))
    fn = int(np.sum(~pred & (y == 1)))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"threshold": threshold, "precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4)}


def cross_validate(rows: list[dict], label: str, folds: int, l2: float) -> np.ndarray:
    """Out-of-fold probabilities for every row (folds by article)."""
    probs = np.zeros(len(rows))
    fold = np.array([fold_of(r["article"], folds) for r in rows])
    y = np.array([r[label] for r in rows], dtype=float)
    for k in range(folds):
        train = [r for r, f in zip(rows, fold, strict=True) if f != k]
        if not train or k not in fold:
            continue
        design = Design(train)
        w = fit(design.matrix(train), y[fold != k], l2)
        held = [r for r, f in zip(rows, fold, strict=True) if f == k]
        probs[fold == k] = predict(design.matrix(held), w)
    return probs


def log_loss(y: np.ndarray, p: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def train(rows: list[dict], meta: dict, folds: int, max_threshold: float = MAX_THRESHOLD) -> dict:
    gold_total, gold_keys = meta["gold_total"], meta["gold_keys"]
    y = np.array([r["real"] for r in rows], dtype=float)
    # 1. event model: regularisation by CV log-loss, threshold by CV event F1
    best = None
    for l2 in L2_GRID:
        probs = cross_validate(rows, "real", folds, l2)
        loss = log_loss(y, probs)
        _log(f"event model l2={l2}: CV log-loss {loss:.4f}")
        if best is None or loss < best[0] - 1e-9:
            best = (loss, l2, probs)
    _, l2, probs = best
    table = [event_scores(rows, probs, t, gold_total, gold_keys) for t in THRESHOLDS]
    best_f1 = max(table, key=lambda s: (s["f1"], -s["threshold"]))
    chosen = max((s for s in table if s["threshold"] <= max_threshold + 1e-9), key=lambda s: (s["f1"], -s["threshold"]))
    unfiltered = table[0]
    # 2. background model on the paired candidates
    paired = [r for r in rows if r["real"]]
    yb = np.array([r["background"] for r in paired], dtype=float)
    bbest = None
    for bl2 in L2_GRID:
        bprobs = cross_validate(paired, "background", folds, bl2)
        loss = log_loss(yb, bprobs)
        _log(f"background model l2={bl2}: CV log-loss {loss:.4f}")
        if bbest is None or loss < bbest[0] - 1e-9:
            bbest = (loss, bl2, bprobs)
    _, bl2, bprobs = bbest
    # rules: an act the sentence itself dates well before publication is background whatever its
    # score (guideline §6); the rule set (none, more than a year back, more than ~5 weeks back) by CV F1
    bchosen, rules = None, []
    for rule_set in BACKGROUND_RULES:
        forced = np.array([not set(rule_set).isdisjoint(r["features"]) for r in paired], dtype=bool)
        probs_r = np.where(forced, 1.0, bprobs)
        best_r = max((bg_scores(yb, probs_r, t) for t in THRESHOLDS[5:]), key=lambda s: (s["f1"], -s["threshold"]))
        _log(f"background rules {rule_set}: CV {best_r}")
        if bchosen is None or best_r["f1"] > bchosen["f1"]:
            bchosen, rules = best_r, list(rule_set)
    # 3. final fits on every train row
    design = Design(rows)
    w = fit(design.matrix(rows), y, l2)
    bdesign = Design(paired)
    wb = fit(bdesign.matrix(paired), yb, bl2)

    def spec(d: Design, weights: np.ndarray) -> dict:
        named = {n: float(v) for n, v in zip(d.names, weights[1:], strict=True) if abs(v) >= 1e-4}
        return {"bias": float(weights[0]), "weights": dict(sorted(named.items()))}

    return {
        "version": 1,
        "features_version": FEATURES_VERSION,
        "kind": "logistic",
        "threshold": chosen["threshold"],
        "criterion": "the threshold that maximises the event F1 of 'eventwire eval news' under "
                     f"{folds}-fold cross-validation by article on the train split, at most {max_threshold} "
                     "(the highest threshold at which the third-party dev gate holds)",
        "event": spec(design, w),
        "background": {**spec(bdesign, wb), "threshold": bchosen["threshold"], "rules": rules},
        "training": {"split": "train", "articles": len(meta["gold_keys"]), "candidates": len(rows),
                     "real": int(y.sum()), "gold_events": gold_total, "background": int(yb.sum()),
                     "l2": l2, "background_l2": bl2, "min_count": MIN_COUNT, "folds": folds},
        "cv": {"unfiltered": unfiltered, "chosen": chosen, "best_f1": best_f1, "background": bchosen,
               "event_log_loss": round(best[0], 4), "background_log_loss": round(bbest[0], 4),
               "curve": [s for s in table if s["threshold"] <= 0.3 or round(s["threshold"] * 100) % 5 == 0]},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=Path, default=ROOT / "eval" / "news" / "annotations.jsonl")
    parser.add_argument("--texts", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "eventwire" / "data" / "models" / "filter.json")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--max-threshold", type=float, default=MAX_THRESHOLD,
                        help="cap of the chosen threshold (the dev gate; see MAX_THRESHOLD)")
    parser.add_argument("--rows", type=Path, default=None, help="cache of the coded candidates (read if present)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.rows is not None and args.rows.exists():
        data = json.loads(args.rows.read_text(encoding="utf-8"))
    else:
        data = code_rows(args.annotations, args.texts)
        if args.rows is not None:
            args.rows.write_text(json.dumps(data), encoding="utf-8")
    meta, rows = data[0], data[1:]
    model = train(rows, meta, args.folds, args.max_threshold)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    cv = model["cv"]
    _log(f"CV unfiltered: {cv['unfiltered']}")
    _log(f"CV best F1:    {cv['best_f1']}")
    _log(f"CV chosen:     {cv['chosen']}")
    _log(f"CV background: {cv['background']}")
    _log(f"wrote {args.out} in {time.perf_counter() - start:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
