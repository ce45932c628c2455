"""``eventwire eval news ANNOTATIONS.jsonl``: score on our own annotated news (docs/annotation.md).

Each annotation line names an article of a shared file (``file``, relative to the texts folder,
by default ``../shared/eval``), its split, its publication date and, for every sentence, the span
and the events an annotator coded, with character offsets into the shared ``text`` field. The
article is coded from that text; eventwire's spans (into its cleaned text) are mapped back to the
raw text by a character alignment, and each predicted event belongs to the gold sentence that
holds its trigger.

Metrics:
- event P/R/F1 over (sentence, type) pairs (a multiset: two gold ASSAULTs in one sentence need two);
- tuple P/R over (sentence, type, source countries, target countries);
- on matched events (same sentence and type, paired by trigger overlap, then in order): mode,
  modality, date (the predicted date inside the gold period), location (country, and span
  overlap where the gold gives a span: a predicted place with no offsets, the article's setting,
  then never matches), background (F1, background as the positive class) and
  count (a gold count of people killed/injured/... found with the same value) accuracy.
"""

from __future__ import annotations

import datetime as dt
import json
from bisect import bisect_right
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from ..errors import EvalError
from . import EvalReport, code_items, prf, read_gold

DEFAULT_TEXTS = Path("../shared/eval")


class Alignment:
    """Map offsets of a cleaned text back to the raw text it came from."""

    def __init__(self, raw: str, cleaned: str) -> None:
        blocks = SequenceMatcher(None, raw, cleaned, autojunk=False).get_matching_blocks()
        self._clean_starts = [b.b for b in blocks if b.size]
        self._blocks = [b for b in blocks if b.size]

    def raw(self, offset: int) -> int:
        i = bisect_right(self._clean_starts, offset) - 1
        if i < 0:
            return 0
        block = self._blocks[i]
        return block.a + min(offset - block.b, block.size)


def _texts(folder: Path) -> dict[str, dict[str, str]]:
    cache: dict[str, dict[str, str]] = {}

    def load(file: str) -> dict[str, str]:
        if file not in cache:
            path = folder / file
            if not path.exists():
                raise EvalError(f"{path}: the shared text file is missing; give the texts folder with --texts")
            with path.open(encoding="utf-8") as fh:
                cache[file] = {str(r["id"]): r["text"] for r in map(json.loads, filter(str.strip, fh))}
        return cache[file]

    return load  # type: ignore[return-value]


def _countries(actors: list[Any]) -> frozenset[str]:
    out = set()
    for a in actors:
        c = a.get("country") if isinstance(a, dict) else a.country
        if c:
            out.add(c)
    return frozenset(out)


def _in_period(pred: str | None, gold: dict[str, str]) -> bool:
    if not pred:
        return False
    value, precision = gold["value"], gold["precision"]
    if precision == "year":
        return pred[:4] == value[:4]
    if precision == "month":
        return pred[:7] == value[:7]
    try:
        p, g = dt.date.fromisoformat(pred[:10]), dt.date.fromisoformat(value[:10])
    except ValueError:
        return False
    return 0 <= (p - g).days < 7 if precision == "week" else p == g


class _Tally:
    def __init__(self) -> None:
        self.c: Counter[str] = Counter()

    def ratio(self, key: str) -> float:
        n = self.c[f"{key}_n"]
        return round(self.c[f"{key}_ok"] / n, 4) if n else 0.0


def _score_article(ann: dict[str, Any], raw: str, doc: Any, t: _Tally, wrong: list[dict[str, Any]],
                   errors: int) -> None:
    sentences = ann["sentences"]
    starts = [s["start"] for s in sentences]
    align = Alignment(raw, doc.text) if doc is not None else None

    def sentence_of(offset: int) -> int | None:
        i = bisect_right(starts, offset) - 1
        return i if i >= 0 and offset < sentences[i]["end"] + 1 else None

    pred_by: dict[tuple[int, str], list[Any]] = {}
    for ev in doc.events if doc is not None else []:
        s = sentence_of(align.raw(ev.trigger.start)) if align else None
        if s is not None:
            pred_by.setdefault((s, ev.event_type), []).append(ev)
    gold_by: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for i, sent in enumerate(sentences):
        for g in sent["events"]:
            gold_by.setdefault((i, g["type"]), []).append(g)
    missed, extra = [], []
    for key in set(pred_by) | set(gold_by):
        golds, preds = gold_by.get(key, []), pred_by.get(key, [])
        n = min(len(golds), len(preds))
        t.c["tp"] += n
        t.c["fp"] += len(preds) - n
        t.c["fn"] += len(golds) - n
        if len(golds) > n:
            missed.append(f"s{key[0]} {key[1]}")
        if len(preds) > n:
            extra.append(f"s{key[0]} {key[1]}")
        for g, p in _pair(golds, preds, align):
            _score_match(g, p, align, t)
    gold_tuples = Counter((i, g["type"], _countries(g["source"]), _countries(g["target"]))
                          for i, sent in enumerate(sentences) for g in sent["events"])
    pred_tuples = Counter((k[0], k[1], _countries(p.source), _countries(p.target))
                          for k, ps in pred_by.items() for p in ps)
    t.c["tuple_tp"] += sum((gold_tuples & pred_tuples).values())
    t.c["tuple_gold"] += sum(gold_tuples.values())
    t.c["tuple_pred"] += sum(pred_tuples.values())
    if (missed or extra) and len(wrong) < errors:
        wrong.append({"id": ann["id"], "missed": sorted(missed), "extra": sorted(extra)})


def _pair(golds: list[dict[str, Any]], preds: list[Any], align: Alignment | None) -> list[tuple[dict, Any]]:
    """Pair gold and predicted events of one (sentence, type): trigger overlap first, then order."""
    pairs, used = [], set()
    rest = []
    for g in golds:
        hit = None
        for j, p in enumerate(preds):
            if j in used or not g.get("trigger") or align is None:
                continue
            ps, pe = align.raw(p.trigger.start), align.raw(p.trigger.end)
            if min(pe, g["trigger"][1]) > max(ps, g["trigger"][0]):
                hit = j
                break
        if hit is None:
            rest.append(g)
        else:
            used.add(hit)
            pairs.append((g, preds[hit]))
    free = [p for j, p in enumerate(preds) if j not in used]
    pairs.extend(zip(rest, free, strict=False))
    return pairs


def _score_match(g: dict[str, Any], p: Any, align: Alignment | None, t: _Tally) -> None:
    c = t.c
    if g.get("mode"):
        c["mode_n"] += 1
        c["mode_ok"] += p.mode == g["mode"]
    c["modality_n"] += 1
    c["modality_ok"] += p.modality == g.get("modality", "asserted")
    if g.get("date"):
        c["date_n"] += 1
        c["date_ok"] += _in_period(p.date.value if p.date else None, g["date"])
    loc = g.get("location")
    if loc and (loc.get("country") or loc.get("span")):
        c["location_n"] += 1
        ok = False
        for place in p.locations:
            country_ok = not loc.get("country") or place.country == loc["country"]
            span_ok = True
            if loc.get("span") and align is not None:
                # a place with no offsets (the article's setting, not stated) never matches a stated one
                span_ok = place.start is not None and place.end is not None and min(
                    align.raw(place.end), loc["span"][1]) > max(align.raw(place.start), loc["span"][0])
            if country_ok and span_ok:
                ok = True
                break
        c["location_ok"] += ok
    gb, pb = bool(g.get("background")), bool(getattr(p, "background", False))
    c["bg_tp"] += gb and pb
    c["bg_fp"] += pb and not gb
    c["bg_fn"] += gb and not pb
    for count in g.get("counts") or []:
        c["count_n"] += 1
        c["count_ok"] += any(q.value == count["value"] for q in p.quantities)


def run(gold_path: Path, errors: int = 0, settings: Any = None, split: str | None = None,
        texts: Path | None = None) -> EvalReport:
    """Code every annotated article once and score it (only ``split`` when given)."""
    from ..pipeline import Coder, Failure

    anns = [a for a in read_gold(Path(gold_path)) if split is None or a.get("split") == split]
    if not anns:
        raise EvalError(f"{gold_path}: no annotated articles{f' in split {split!r}' if split else ''}")
    load = _texts(texts or DEFAULT_TEXTS)
    raws = []
    for a in anns:
        try:
            raws.append(load(a["file"])[a["id"]])
        except KeyError as exc:
            raise EvalError(f"{gold_path}: article {a.get('id')!r} is not in {a.get('file')!r}") from exc
    coder = Coder(settings)
    results = code_items(coder, [(raw, a["id"], a.get("published")) for raw, a in zip(raws, anns, strict=True)])
    t = _Tally()
    wrong: list[dict[str, Any]] = []
    failures = 0
    for ann, raw, result in zip(anns, raws, results, strict=True):
        failed = isinstance(result, Failure)
        failures += failed
        _score_article(ann, raw, None if failed else result, t, wrong, errors)
    c = t.c
    p, r, f = prf(c["tp"], c["fp"], c["fn"])
    tp_, tr_, _ = prf(c["tuple_tp"], c["tuple_pred"] - c["tuple_tp"], c["tuple_gold"] - c["tuple_tp"])
    _, _, bf = prf(c["bg_tp"], c["bg_fp"], c["bg_fn"])
    metrics = {
        "items": len(anns), "failures": failures, "split": split or "all",
        "sentences": sum(len(a["sentences"]) for a in anns),
        "n_gold": c["tp"] + c["fn"], "n_pred": c["tp"] + c["fp"],
        "event_precision": p, "event_recall": r, "event_f1": f,
        "tuple_precision": tp_, "tuple_recall": tr_,
        "mode_accuracy": t.ratio("mode"), "modality_accuracy": t.ratio("modality"),
        "date_accuracy": t.ratio("date"), "location_accuracy": t.ratio("location"),
        "count_accuracy": t.ratio("count"), "background_f1": bf,
        "n_date": c["date_n"], "n_location": c["location_n"], "n_count": c["count_n"],
        "n_background": c["bg_tp"] + c["bg_fn"],
    }
    rows = [("articles / sentences", f"{metrics['items']} / {metrics['sentences']} (split {metrics['split']})"),
            ("gold / predicted events", f"{metrics['n_gold']} / {metrics['n_pred']}"),
            ("event P / R / F1", f"{p:.3f} / {r:.3f} / {f:.3f}"),
            ("tuple P / R", f"{tp_:.3f} / {tr_:.3f}"),
            ("mode / modality", f"{metrics['mode_accuracy']:.3f} / {metrics['modality_accuracy']:.3f}"),
            ("date accuracy", f"{metrics['date_accuracy']:.3f} (n={c['date_n']})"),
            ("location accuracy", f"{metrics['location_accuracy']:.3f} (n={c['location_n']})"),
            ("count accuracy", f"{metrics['count_accuracy']:.3f} (n={c['count_n']})"),
            ("background F1", f"{bf:.3f} (gold background on matched: {metrics['n_background']})"),
            ("failures", str(failures))]
    return EvalReport(task="news", metrics=metrics, rows=rows, errors=wrong)
