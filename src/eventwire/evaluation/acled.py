"""``eventwire eval acled GOLD.jsonl``: snippet labels (CASE 2021 task 2, 30 labels).

Each gold line: ``{"id", "text", "label"}``. Every snippet is coded once (``Coder.code_many``),
then ``eventwire.acled.classify_snippet`` turns its events plus keyword cues into one label
(the 25 ACLED sub-event labels of ``data/ontology/acled.yaml`` and five non-ACLED labels).
Metrics: weighted F1 (support-weighted mean of per-label F1 over gold labels), macro F1 (mean
over gold labels), accuracy; per-label P/R/F1 in ``per_label``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from ..acled import classify_snippet, event_label
from ..errors import EvalError
from . import EvalReport, code_items, prf, read_gold


def score_labels(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Weighted F1, macro F1, accuracy and per-label P/R/F1 from (gold, predicted) pairs."""
    if not pairs:
        raise EvalError("no gold items to score")
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    support: Counter[str] = Counter()
    for gold, pred in pairs:
        support[gold] += 1
        if gold == pred:
            tp[gold] += 1
        else:
            fp[pred] += 1
            fn[gold] += 1
    per: dict[str, dict[str, float]] = {}
    for label in sorted(support):
        p, r, f = prf(tp[label], fp[label], fn[label])
        per[label] = {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "n": support[label]}
    total = sum(support.values())
    weighted = sum(per[k]["f1"] * support[k] for k in support) / total
    macro = sum(per[k]["f1"] for k in support) / len(support)
    return {"weighted_f1": round(weighted, 4), "macro_f1": round(macro, 4),
            "accuracy": round(sum(tp.values()) / total, 4), "items": total, "per_label": per}


def run(gold_path: Path, errors: int = 0, settings: Any = None) -> EvalReport:
    """Code every snippet and score its label."""
    from ..pipeline import Coder, Failure

    items = list(read_gold(Path(gold_path)))
    for item in items:
        if not isinstance(item.get("text"), str) or not isinstance(item.get("label"), str):
            raise EvalError(f"{gold_path}: item {item.get('id')!r} needs 'text' and 'label' strings")
    if not items:
        raise EvalError(f"{gold_path}: no gold items")
    coder = Coder(settings)
    results = code_items(coder, [(it["text"], str(it.get("id", i)), None) for i, it in enumerate(items)])
    pairs: list[tuple[str, str]] = []
    wrong: list[dict[str, Any]] = []
    failures = 0
    for item, result in zip(items, results, strict=True):
        if isinstance(result, Failure):
            failures += 1
            pred, events, text = classify_snippet(item["text"], []), [], item["text"]
        else:
            events, text = result.events, result.text
            pred = classify_snippet(text, events)
        pairs.append((item["label"], pred))
        if pred != item["label"] and len(wrong) < errors:
            wrong.append({"id": item.get("id"), "text": item["text"][:300], "gold": item["label"], "predicted": pred,
                          "events": [f"{e.event_type}/{e.mode}/{e.modality} -> {event_label(e, text)}"
                                     for e in events]})
    metrics = score_labels(pairs)
    metrics["failures"] = failures
    rows = [("items", str(metrics["items"])), ("weighted F1", f"{metrics['weighted_f1']:.3f}"),
            ("macro F1", f"{metrics['macro_f1']:.3f}"), ("accuracy", f"{metrics['accuracy']:.3f}")]
    for label, v in metrics["per_label"].items():
        rows.append((f"  {label}", f"P {v['p']:.2f}  R {v['r']:.2f}  F1 {v['f1']:.2f}  n={v['n']}"))
    return EvalReport(task="acled", metrics=metrics, rows=rows, errors=wrong)
