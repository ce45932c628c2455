"""``eventwire eval geo``: toponym recognition and resolution on geoparse.jsonl.

Recognition: P/R/F1 per corpus with overlap matching (one-to-one, greedy by overlap size).
Resolution: for matched toponyms with gold coordinates, accuracy within 161 km and median
great-circle error in km (a prediction without coordinates counts as wrong, 20,000 km).
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

from ..errors import EvalError
from ..gazetteer import Gazetteer, haversine_km
from ..model import Place
from . import EvalReport, prf, read_gold
from . import match_spans as match_spans_shared

NO_COORD_KM = 20_000.0


def match_spans(gold: list[dict[str, Any]], pred: list[Place]) -> list[tuple[int, int]]:
    """One-to-one overlap matching: (gold index, pred index) pairs, largest overlaps first."""
    return match_spans_shared(gold, pred)


def _new_counts() -> dict[str, Any]:
    return {"tp": 0, "fp": 0, "fn": 0, "dists": []}


def run(gold_path: Path, errors: int = 0, gazetteer: Gazetteer | None = None, settings: Any = None) -> EvalReport:
    """Score the geoparser on a geoparse gold file."""
    from ..attributes.locations import Geoparser
    from ..nlp import load_model

    items = list(read_gold(Path(gold_path)))
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not isinstance(
                item.get("toponyms"), list):
            raise EvalError(f"{gold_path}: item {n} lacks 'text' or 'toponyms'; see the geoparse format")
    geo = Geoparser(gazetteer or Gazetteer.load())
    nlp = load_model()
    per: dict[str, dict[str, Any]] = {}
    wrong: list[dict[str, Any]] = []
    for item, doc in zip(items, nlp.pipe((it["text"] for it in items), batch_size=16), strict=True):
        corpus = item.get("corpus") or "all"
        counts = per.setdefault(corpus, _new_counts())
        gold = item["toponyms"]
        pred = geo.geoparse(doc)
        pairs = match_spans(gold, pred)
        counts["tp"] += len(pairs)
        counts["fp"] += len(pred) - len(pairs)
        counts["fn"] += len(gold) - len(pairs)
        matched_g = {g for g, _ in pairs}
        matched_p = {p for _, p in pairs}
        problems: list[str] = []
        for gi, pi in pairs:
            g, p = gold[gi], pred[pi]
            if g.get("lat") is None or g.get("lon") is None:
                continue
            if p.lat is None or p.lon is None:
                km = NO_COORD_KM
            else:
                km = haversine_km(g["lat"], g["lon"], p.lat, p.lon)
            counts["dists"].append(km)
            if km > 161:
                problems.append(f"FAR {g['name']!r} -> {p.name} ({p.country}, {p.feature}) {km:.0f} km")
        for gi, g in enumerate(gold):
            if gi not in matched_g:
                problems.append(f"MISSED {g['name']!r}")
        for pi, p in enumerate(pred):
            if pi not in matched_p:
                problems.append(f"SPURIOUS {p.text!r} -> {p.name} ({p.feature})")
        if problems and len(wrong) < errors:
            wrong.append({"id": item.get("id"), "gold": [g["name"] for g in gold],
                          "predicted": [p.text for p in pred], "problems": problems})
    metrics: dict[str, Any] = {"corpora": {}}
    rows: list[tuple[str, str]] = []
    for corpus, c in sorted(per.items()):
        p, r, f = prf(c["tp"], c["fp"], c["fn"])
        d = c["dists"]
        acc = sum(1 for km in d if km <= 161) / len(d) if d else 0.0
        med = statistics.median(d) if d else 0.0
        metrics["corpora"][corpus] = {"f1": round(f, 4), "precision": round(p, 4), "recall": round(r, 4),
                                      "acc161": round(acc, 4), "median_km": round(med, 1), "n": len(d)}
        rows.append((f"{corpus} P/R/F1", f"{p:.3f} / {r:.3f} / {f:.3f}  (tp {c['tp']} fp {c['fp']} fn {c['fn']})"))
        rows.append((f"{corpus} acc@161km", f"{acc:.3f} over {len(d)} resolved toponyms; median {med:.1f} km"))
    return EvalReport(task="geo", metrics=metrics, rows=rows, errors=wrong)
