"""``eventwire eval events GOLD.jsonl``: PLOVER events (type, mode, source, target, counts).

Each gold line: ``{"id", "text", "date", "events": [{"event_type", "mode", "source": [{"text",
"country", "sector"}], "target": [...], "dead", "injured", "size"}]}``. Every text is coded
once (``Coder.code_many``); the item's predicted events are those whose modality is in the
counting policy (default: ``asserted`` only; "all but negated" and "asserted or future" are
reported alongside: on the dev set asserted-only scored best, see docs/accuracy.md).

Metrics (README of the gold set; choices documented in docs/accuracy.md):
  event_type_accuracy  items whose predicted set of event types equals the gold set
  event_precision/recall/f1  micro over (item, event_type) pairs
  source_accuracy / target_accuracy  over gold events of a matched type with a coded country on
      that role: correct if some predicted event of that type shares a country on that role
  source_sector_accuracy / target_sector_accuracy  the same on (country, sector) pairs; a null
      gold sector matches any sector
  mode_accuracy  over matched gold events with a mode: some predicted event of that type has it
  count_accuracy  dead/injured/size exact match where gold gives a number
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from ..errors import EvalError
from ..model import Event
from . import EvalReport, code_items, prf, read_gold

POLICIES: dict[str, set[str]] = {
    "not_negated": {"asserted", "future", "hypothetical"},
    "asserted_future": {"asserted", "future"},
    "asserted": {"asserted"},
}
DEFAULT_POLICY = "asserted"


def _mapping(name: str) -> dict[str, str]:
    """A mapping of data/evaluation/events.yaml (GSR organisation codes, PLOVER 0.5b1 modes, count kinds)."""
    from ..resources import default_resources

    return default_resources().yaml("evaluation/events.yaml")[name]


def _gold_pairs(actors: list[dict[str, Any]]) -> list[tuple[str | None, str | None]]:
    return [(a.get("country"), a.get("sector")) for a in actors or [] if isinstance(a, dict)]


def _role_hits(gold: list[tuple[str | None, str | None]], preds: list[list[tuple[str | None, str | None]]]
               ) -> tuple[bool, bool]:
    """(country overlap, country+sector overlap) of a gold role against the best predicted event."""
    gold_c = {c for c, _ in gold if c}
    country = any(gold_c & {c for c, _ in p if c} for p in preds)
    pair = any(any(gc == pc and (gs is None or gs == ps) for gc, gs in gold if gc for pc, ps in p) for p in preds)
    return country, pair


class _Tally:
    def __init__(self) -> None:
        self.c: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.tp = self.fp = self.fn = 0

    def add(self, key: str, ok: bool) -> None:
        self.c[key][0] += int(ok)
        self.c[key][1] += 1

    def acc(self, key: str) -> float:
        ok, n = self.c.get(key, [0, 0])
        return round(ok / n, 4) if n else 0.0

    def n(self, key: str) -> int:
        return self.c.get(key, [0, 0])[1]


def score_item(gold_events: list[dict[str, Any]], pred: list[Event], tally: _Tally) -> bool:
    """Add one item's counts to ``tally``; return True when the item is fully right on types."""
    gold_types = {str(g.get("event_type")) for g in gold_events}
    pred_types = {e.event_type for e in pred}
    tally.add("type", gold_types == pred_types)
    tally.tp += len(gold_types & pred_types)
    tally.fp += len(pred_types - gold_types)
    tally.fn += len(gold_types - pred_types)
    ok = gold_types == pred_types
    for g in gold_events:
        et = g.get("event_type")
        same = [e for e in pred if e.event_type == et]
        if not same:
            continue
        for role in ("source", "target"):
            gold = _gold_pairs(g.get(role) or [])
            if not any(c for c, _ in gold):
                continue
            preds = [[(_mapping("gsr_codes").get(a.country or "", a.country), a.sector) for a in getattr(e, role)] for e in same]
            country, pair = _role_hits(gold, preds)
            tally.add(role, country)
            tally.add(f"{role}_sector", pair)
            ok = ok and country
        if g.get("mode"):
            want = _mapping("plover_05_modes").get(g["mode"], g["mode"])
            hit = any(e.mode == want for e in same)
            tally.add("mode", hit)
        for key, kind in _mapping("count_kinds").items():
            if isinstance(g.get(key), int):
                vals = {q.value for e in same for q in e.quantities if q.kind == kind}
                tally.add("count", g[key] in vals)
    return ok


def _metrics(tally: _Tally, n: int) -> dict[str, Any]:
    p, r, f = prf(tally.tp, tally.fp, tally.fn)
    return {
        "items": n,
        "event_type_accuracy": tally.acc("type"),
        "event_precision": round(p, 4), "event_recall": round(r, 4), "event_f1": round(f, 4),
        "source_accuracy": tally.acc("source"), "target_accuracy": tally.acc("target"),
        "source_sector_accuracy": tally.acc("source_sector"), "target_sector_accuracy": tally.acc("target_sector"),
        "mode_accuracy": tally.acc("mode"), "count_accuracy": tally.acc("count"),
        "n_source": tally.c["source"][1], "n_target": tally.c["target"][1], "n_mode": tally.c["mode"][1],
        "n_count": tally.c["count"][1],
    }


def _show(e: Event) -> str:
    src = ",".join(f"{a.country}/{a.sector}" for a in e.source) or "-"
    tgt = ",".join(f"{a.country}/{a.sector}" for a in e.target) or "-"
    return f"{e.event_type}/{e.mode} {src} -> {tgt} [{e.modality}] ({e.trigger.text}; {e.rule})"


def _show_gold(g: dict[str, Any]) -> str:
    def role(key: str) -> str:
        return ",".join(f"{a.get('country')}/{a.get('sector')}" for a in g.get(key) or []) or "-"

    return f"{g.get('event_type')}/{g.get('mode')} {role('source')} -> {role('target')}"


def run(gold_path: Path, errors: int = 0, policy: str = DEFAULT_POLICY, settings: Any = None) -> EvalReport:
    """Code every gold text once and score its events under each modality policy."""
    from ..pipeline import Coder, Failure

    if policy not in POLICIES:
        raise EvalError(f"unknown modality policy {policy!r}; choose one of {', '.join(POLICIES)}")
    items = list(read_gold(Path(gold_path)))
    for item in items:
        if not isinstance(item.get("text"), str) or not isinstance(item.get("events"), list):
            raise EvalError(f"{gold_path}: item {item.get('id')!r} needs 'text' and an 'events' list")
    if not items:
        raise EvalError(f"{gold_path}: no gold items")
    coder = Coder(settings)
    results = code_items(coder, [(it["text"], str(it.get("id", i)), it.get("date")) for i, it in enumerate(items)])
    tallies = {name: _Tally() for name in POLICIES}
    wrong: list[dict[str, Any]] = []
    failures = 0
    for item, result in zip(items, results, strict=True):
        events: list[Event] = [] if isinstance(result, Failure) else result.events
        failures += isinstance(result, Failure)
        for name, allowed in POLICIES.items():
            pred = [e for e in events if e.modality in allowed]
            ok = score_item(item["events"], pred, tallies[name])
            if name == policy and not ok and len(wrong) < errors:
                wrong.append({"id": item.get("id"), "text": item["text"],
                              "gold": [_show_gold(g) for g in item["events"]],
                              "predicted": [_show(e) for e in events]})
    metrics = _metrics(tallies[policy], len(items))
    metrics["policy"] = policy
    metrics["failures"] = failures
    for name in POLICIES:
        if name != policy:
            metrics[f"policy_{name}"] = _metrics(tallies[name], len(items))
    rows = [("items", str(len(items))), ("modality counted", f"{policy} ({', '.join(sorted(POLICIES[policy]))})"),
            ("event-type accuracy", f"{metrics['event_type_accuracy']:.3f}"),
            ("event P / R / F1", f"{metrics['event_precision']:.3f} / {metrics['event_recall']:.3f} / "
                                 f"{metrics['event_f1']:.3f}"),
            ("source accuracy", f"{metrics['source_accuracy']:.3f} (country+sector "
                                f"{metrics['source_sector_accuracy']:.3f}, n={metrics['n_source']})"),
            ("target accuracy", f"{metrics['target_accuracy']:.3f} (country+sector "
                                f"{metrics['target_sector_accuracy']:.3f}, n={metrics['n_target']})"),
            ("mode accuracy", f"{metrics['mode_accuracy']:.3f} (n={metrics['n_mode']})"),
            ("count accuracy", f"{metrics['count_accuracy']:.3f} (n={metrics['n_count']})")]
    for name in POLICIES:
        if name != policy:
            m = metrics[f"policy_{name}"]
            rows.append((f"[{name}] type acc / F1", f"{m['event_type_accuracy']:.3f} / {m['event_f1']:.3f}"))
    return EvalReport(task="events", metrics=metrics, rows=rows, errors=wrong)
