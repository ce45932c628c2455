"""``eventwire eval actors GOLD.jsonl``: actor phrase coding against country/sector expectations.

Each gold line: ``{"id", "text", "country", "sector", "kind", "context", "date"}``. ``country`` /
``sector`` null = not checked, ``""`` = nothing expected. Metrics: country accuracy over items
with a non-empty country, sector accuracy over items with a non-empty sector (overall and per
``kind``), and ``empty_rate``: the share of ``""`` expectations where the coder returned nothing.

Undated items: the gold's "date null = today" means the day its expectations were written and
run (NGEC's unit tests, 2022), so undated phrases are coded as of :data:`UNDATED_REFERENCE`;
``*_latest_role`` keys give the figures with no date at all (each person's most recent role,
the product's default when a caller gives no date).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from ..actors import ActorCoder
from ..errors import EvalError
from . import EvalReport, read_gold

UNDATED_REFERENCE = "2022-01-01"


def _date(value: Any) -> str | None:
    """Gold dates may be ISO or free text ("1 july 2021"); return ISO or None."""
    if not value:
        return None
    text = str(value).strip()
    try:
        from ..actors.dictionary import parse_date

        return parse_date(text).isoformat()  # type: ignore[union-attr]
    except (ValueError, AttributeError):
        pass
    from ..resources import default_resources

    calendar = default_resources().yaml("dates/calendar.yaml")["months"]
    months = {name.lower(): int(number) for number, names in calendar.items() for name in names}
    parts = text.lower().replace(",", " ").split()
    day = next((int(p) for p in parts if p.isdigit() and len(p) <= 2), 1)
    year = next((int(p) for p in parts if p.isdigit() and len(p) == 4), None)
    month = next((months[p] for p in parts if p in months), 1)
    return f"{year:04d}-{month:02d}-{day:02d}" if year else None


def _score(coder: ActorCoder, items: list[dict[str, Any]], undated: str | None, errors: int
           ) -> tuple[dict[str, list[int]], list[int], list[dict[str, Any]]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # key -> [correct, total]
    empty = [0, 0]
    wrong: list[dict[str, Any]] = []
    for item in items:
        date = _date(item.get("date")) or undated
        actor = coder.code_phrase(str(item["text"]), date=date, context=item.get("context"))
        kind = str(item.get("kind") or "all")
        pred = {"country": actor.country if actor else None, "sector": actor.sector if actor else None}
        bad = False
        for field in ("country", "sector"):
            gold = item.get(field)
            if gold is None:
                continue
            if gold == "":
                empty[1] += 1
                if not pred[field]:
                    empty[0] += 1
                continue
            ok = pred[field] == gold
            for key in (field, f"{field}:{kind}"):
                counts[key][1] += 1
                counts[key][0] += int(ok)
            bad = bad or not ok
        if bad and len(wrong) < errors:
            wrong.append({"id": item.get("id"), "text": item["text"], "date": item.get("date"),
                          "gold": {"country": item.get("country"), "sector": item.get("sector")},
                          "predicted": {**pred, "kind": actor.kind if actor else None,
                                        "entry": actor.entry if actor else None}})
    return counts, empty, wrong


def run(gold_path: Path, errors: int = 0, undated: str | None = UNDATED_REFERENCE, settings: Any = None) -> EvalReport:
    """Score ActorCoder.code_phrase on a gold JSONL file (undated items coded as of ``undated``)."""
    coder = ActorCoder()
    items = []
    for item in read_gold(Path(gold_path)):
        if "text" not in item:
            raise EvalError(f"{gold_path}: item {item.get('id')!r} has no 'text'")
        items.append(item)
    if not items:
        raise EvalError(f"{gold_path}: no gold items")
    n = len(items)
    counts, empty, wrong = _score(coder, items, undated, errors)
    latest, _e, _w = _score(coder, items, None, 0) if undated else (counts, empty, wrong)

    def acc(key: str, table: dict[str, list[int]] = counts) -> float:
        c, t = table.get(key, [0, 0])
        return round(c / t, 4) if t else 0.0

    metrics: dict[str, Any] = {
        "items": n,
        "country_accuracy": acc("country"),
        "sector_accuracy": acc("sector"),
        "country_n": counts["country"][1],
        "sector_n": counts["sector"][1],
        "empty_rate": round(empty[0] / empty[1], 4) if empty[1] else None,
        "undated_as_of": undated,
        "country_accuracy_latest_role": acc("country", latest),
        "sector_accuracy_latest_role": acc("sector", latest),
        "per_kind": {k.split(":", 1)[1] + ":" + k.split(":", 1)[0]: acc(k) for k in sorted(counts) if ":" in k},
    }
    rows = [("items", str(n)),
            ("undated items coded as of", str(undated)),
            ("country accuracy", f"{metrics['country_accuracy']:.3f} (n={metrics['country_n']})"),
            ("sector accuracy", f"{metrics['sector_accuracy']:.3f} (n={metrics['sector_n']})")]
    for k, v in metrics["per_kind"].items():
        rows.append((f"  {k}", f"{v:.3f}"))
    if metrics["empty_rate"] is not None:
        rows.append(("empty rate (gold '')", f"{metrics['empty_rate']:.3f}"))
    rows.append(("undated = latest role: country / sector",
                 f"{metrics['country_accuracy_latest_role']:.3f} / {metrics['sector_accuracy_latest_role']:.3f}"))
    return EvalReport(task="actors", metrics=metrics, rows=rows, errors=wrong)
