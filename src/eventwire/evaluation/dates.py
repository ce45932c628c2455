"""``eventwire eval dates GOLD.jsonl``: TIMEX3 recognition and value resolution (TimeBank-style gold).

Gold lines: ``{"id", "text", "dct", "timex": [{"start", "end", "text", "type", "value"}]}``.
Predicted and gold expressions match when their spans overlap (one-to-one, largest overlap
first). Metrics: precision, recall, f1 of recognition; value_accuracy over matched gold DATE
expressions; value_accuracy_all and type_accuracy over all matched expressions.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from itertools import zip_longest
from pathlib import Path
from typing import Any

from ..attributes.dates import DateFinder, TimeExpression
from ..errors import EvalError, EventwireError
from ..resources import Resources
from . import EvalReport, prf, read_gold
from . import match_spans as match_spans_shared

_GOLD_KEYS = frozenset(("start", "end", "type", "value"))  # the fields of a gold timex


@dataclass
class _Error:
    """One listed error of the report: a wrong value or type, a missed or a spurious expression."""

    id: Any
    error: str
    dct: Any
    gold: str | None
    predicted: str | None
    context: str


def _check(item: dict[str, Any], n: int) -> None:
    if not isinstance(item.get("text"), str) or not isinstance(item.get("timex"), list):
        raise EvalError(f"gold item {n} ({item.get('id', '?')}) lacks 'text' or 'timex'; not a dates gold file?")
    for t in item["timex"]:
        if not isinstance(t, dict) or not set(t) >= _GOLD_KEYS:
            raise EvalError(f"gold item {item.get('id', n)}: a timex lacks start/end/type/value")


def match(gold: list[dict[str, Any]], pred: list[TimeExpression]) -> list[tuple[int, int]]:
    """One-to-one overlap matching (largest overlap first): pairs of (gold index, predicted index)."""
    return match_spans_shared(gold, pred)


def _parse_all(texts: list[str]) -> tuple[list[Any], str]:
    try:
        from ..nlp import load_model

        nlp = load_model()
        return list(nlp.pipe(texts, batch_size=16)), "spaCy parse used for tense"
    except EventwireError as exc:
        return [None] * len(texts), f"no parse ({exc.code}); tense defaults used"


def _context(text: str, start: int, end: int) -> str:
    return text[max(0, start - 60) : start] + "[[" + text[start:end] + "]]" + text[end : end + 60]


def run(gold_path: Path, errors: int = 0, use_parse: bool = True, settings: Any = None) -> EvalReport:
    """Score find_times on a TIMEX3 gold file."""
    items = list(read_gold(Path(gold_path)))
    if not items:
        raise EvalError(f"{gold_path}: no gold items; check the file")
    for n, item in enumerate(items, 1):
        _check(item, n)
    texts = [it["text"] for it in items]
    docs, parse_note = _parse_all(texts) if use_parse else ([None] * len(texts), "no parse")
    find_times = DateFinder(Resources.from_settings(settings) if settings is not None else None)
    tp = fp = fn = 0
    date_total = date_ok = all_ok = type_ok = 0
    wrong: list[dict[str, Any]] = []
    missed: list[dict[str, Any]] = []
    spurious: list[dict[str, Any]] = []
    for item, doc in zip(items, docs, strict=True):
        text = item["text"]
        gold = item["timex"]
        pred = find_times(text, item.get("dct"), doc)
        pairs = match(gold, pred)
        tp += len(pairs)
        fp += len(pred) - len(pairs)
        fn += len(gold) - len(pairs)
        mg = {g for g, _ in pairs}
        mp = {p for _, p in pairs}
        for gi, pi in pairs:
            g, p = gold[gi], pred[pi]
            same_value = p.value == g["value"]
            all_ok += same_value
            type_ok += p.type == g["type"]
            if g["type"] == "DATE":
                date_total += 1
                date_ok += same_value
            if not same_value or p.type != g["type"]:
                wrong.append(asdict(_Error(
                    item.get("id"), "value" if not same_value else "type", item.get("dct"),
                    f"{g['type']} {g['value']} «{text[g['start']:g['end']]}»", f"{p.type} {p.value} «{p.text}»",
                    _context(text, g["start"], g["end"]),
                )))
        for gi, g in enumerate(gold):
            if gi not in mg:
                missed.append(asdict(_Error(item.get("id"), "missed", item.get("dct"),
                                            f"{g['type']} {g['value']} «{text[g['start']:g['end']]}»", None,
                                            _context(text, g["start"], g["end"]))))
        for pi, p in enumerate(pred):
            if pi not in mp:
                spurious.append(asdict(_Error(item.get("id"), "spurious", item.get("dct"), None,
                                              f"{p.type} {p.value} «{p.text}»", _context(text, p.start, p.end))))
    precision, recall, f1 = prf(tp, fp, fn)
    matched = tp or 1
    metrics = {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "value_accuracy": round(date_ok / date_total, 4) if date_total else 0.0,
        "value_accuracy_all": round(all_ok / matched, 4) if tp else 0.0,
        "type_accuracy": round(type_ok / matched, 4) if tp else 0.0,
        "items": len(items),
        "gold": tp + fn,
        "predicted": tp + fp,
    }
    rows = [
        ("items", str(len(items))),
        ("gold / predicted / matched", f"{tp + fn} / {tp + fp} / {tp}"),
        ("precision", f"{precision:.3f}"),
        ("recall", f"{recall:.3f}"),
        ("f1", f"{f1:.3f}"),
        ("value accuracy (DATE)", f"{metrics['value_accuracy']:.3f}  ({date_ok}/{date_total})"),
        ("value accuracy (all)", f"{metrics['value_accuracy_all']:.3f}"),
        ("type accuracy", f"{metrics['type_accuracy']:.3f}"),
        ("parse", parse_note),
    ]
    listed: list[dict[str, Any]] = []
    if errors > 0:
        for trio in zip_longest(wrong, missed, spurious):
            listed.extend(x for x in trio if x is not None)
            if len(listed) >= errors:
                break
    return EvalReport(task="dates", metrics=metrics, rows=rows, errors=listed[:errors])
