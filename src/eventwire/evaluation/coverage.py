"""``eventwire eval coverage [GOLD]``: the coverage suite written from the codebook (tests/coverage).

Each JSONL line is one sentence of our own for one CAMEO code of the CAMEO-to-PLOVER crosswalk:
``{"id", "cameo", "event_type", "mode", "context", "modality", "frame", "text", "source": [{"country",
"sector", "implied"?}], "target": [...]}`` (an optional ``date`` is the publication date; default
below). GOLD is a file or a folder of ``*.jsonl`` files; the default is the suite of the source
checkout (``tests/coverage``).

How an item is scored (docs/accuracy.md, "Coverage suite"):
- Every text is coded once with the filter threshold at 0, so the run sees every candidate the
  rules propose; the *default output* is the candidates whose confidence reaches the threshold the
  run's Settings would apply (the trained model's, or ``--min-confidence``). The headline metrics
  are on the default output; the same metrics on every candidate are under ``candidates``.
- The item's event is the predicted event of the expected ``event_type`` **and** the expected
  ``modality`` that best matches (same CAMEO code, then a shared source country, then a shared
  target country, then the earliest). The coded-article document keeps events of every modality;
  queries and exports show only asserted ones. So an asserted item coded as hypothetical is a miss,
  and a negated or hypothetical item is found only when eventwire codes it with that modality.
- ``type_accuracy``: items whose event is found. ``cameo_accuracy``: found with the expected CAMEO
  code. ``source_accuracy`` / ``target_accuracy``: over items whose expected role has a country,
  the found event shares a country on that role (a missed event is wrong); ``*_sector_accuracy``
  asks the same of (country, sector) pairs, a null gold sector matching any; ``*_found`` give the
  role accuracies over found items only (as ``eval events`` does). ``mode_accuracy``: over found
  items with an expected mode. ``modality_accuracy``: over items with an event of the expected type
  in any modality, the best such event has the expected modality.
The JSON also has ``per_type`` and ``per_frame`` (the same metrics) and ``per_code`` (items, type
and CAMEO accuracy per CAMEO code).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any, get_args

from ..errors import EvalError
from ..model import Event, Modality
from . import EvalReport, code_items, read_gold
from .events import _Tally

DEFAULT_GOLD = Path(__file__).resolve().parents[3] / "tests" / "coverage"
DEFAULT_DATE = "2024-06-12"
MODALITIES = get_args(Modality)
REQUIRED = ("id", "cameo", "event_type", "modality", "frame", "text")


def load_items(gold: Path) -> list[dict[str, Any]]:
    """Read a suite file, or every ``*.jsonl`` of a folder (sorted); check each item's fields."""
    gold = Path(gold)
    if gold.is_dir():
        files = sorted(gold.glob("*.jsonl"))
        if not files:
            raise EvalError(f"{gold}: no *.jsonl coverage files in this folder")
    elif gold.exists():
        files = [gold]
    else:
        raise EvalError(f"coverage suite not found: {gold} (give a .jsonl file or a folder of them)")
    items: list[dict[str, Any]] = []
    for path in files:
        for item in read_gold(path):
            missing = [k for k in REQUIRED if not item.get(k)]
            if missing:
                raise EvalError(f"{path}: item {item.get('id')!r} lacks {', '.join(missing)}")
            if item["modality"] not in MODALITIES:
                raise EvalError(f"{path}: item {item['id']!r}: modality {item['modality']!r} is not one of "
                                f"{', '.join(MODALITIES)}")
            items.append(item)
    if not items:
        raise EvalError(f"{gold}: no coverage items")
    return items


def _countries(actors: list[Any]) -> set[str]:
    return {c for a in actors if (c := (a.get("country") if isinstance(a, dict) else a.country))}


def _role(gold: list[dict[str, Any]], pred: list[Any]) -> tuple[bool, bool]:
    """(a shared country, a shared country whose sector also matches; a null gold sector matches any)."""
    country = bool(_countries(gold) & _countries(pred))
    pair = any(g.get("country") == p.country and (g.get("sector") is None or g.get("sector") == p.sector)
               for g in gold if g.get("country") for p in pred)
    return country, pair


def best_event(item: dict[str, Any], events: list[Event], modality: bool = True) -> Event | None:
    """The predicted event that stands for the item: expected type (and modality), best match."""
    same = [e for e in events if e.event_type == item["event_type"] and (not modality or e.modality == item["modality"])]
    if not same:
        return None
    src, tgt = _countries(item.get("source") or []), _countries(item.get("target") or [])

    def rank(e: Event) -> tuple[int, int, int, int, int]:
        return (e.cameo == item["cameo"], bool(src & _countries(e.source)), bool(tgt & _countries(e.target)),
                e.modality == item["modality"], -e.trigger.start)

    return max(same, key=rank)


def score_item(item: dict[str, Any], events: list[Event], tally: _Tally) -> bool:
    """Add one item's counts to ``tally``; True when type, CAMEO code and every role are right."""
    ev = best_event(item, events)
    found = ev is not None
    tally.add("type", found)
    tally.add("cameo", found and ev.cameo == item["cameo"])
    ok = found and ev.cameo == item["cameo"]
    for role in ("source", "target"):
        gold = [a for a in item.get(role) or [] if isinstance(a, dict)]
        if not _countries(gold):
            continue
        country, pair = _role(gold, getattr(ev, role)) if ev is not None else (False, False)
        tally.add(role, country)
        tally.add(f"{role}_sector", pair)
        if found:
            tally.add(f"{role}_found", country)
        ok = ok and country
    if found and item.get("mode"):
        tally.add("mode", ev.mode == item["mode"])
    any_modality = best_event(item, events, modality=False)
    if any_modality is not None:
        tally.add("modality", any_modality.modality == item["modality"])
    return ok


def _metrics(tally: _Tally, n: int) -> dict[str, Any]:
    out: dict[str, Any] = {"items": n}
    for key in ("type", "cameo", "source", "target", "source_sector", "target_sector", "source_found",
                "target_found", "mode", "modality"):
        out[f"{key}_accuracy"] = tally.acc(key)
    for key in ("source", "target", "mode", "modality"):
        out[f"n_{key}"] = tally.n(key)
    return out


def _show(e: Event) -> str:
    src = ",".join(f"{a.country}/{a.sector}" for a in e.source) or "-"
    tgt = ",".join(f"{a.country}/{a.sector}" for a in e.target) or "-"
    return (f"{e.event_type}/{e.mode} {e.cameo} {src} -> {tgt} [{e.modality}, conf {e.confidence}] "
            f"({e.trigger.text}; {e.rule})")


def _show_gold(item: dict[str, Any]) -> str:
    def role(key: str) -> str:
        return ",".join(f"{a.get('country')}/{a.get('sector')}" for a in item.get(key) or []) or "-"

    return (f"{item['event_type']}/{item.get('mode')} {item['cameo']} {role('source')} -> {role('target')} "
            f"[{item['modality']}] ({item['frame']})")


def run(gold_path: Path | None = None, errors: int = 0, settings: Any = None) -> EvalReport:
    """Code every suite sentence once (every candidate kept) and score it; see the module docstring."""
    from ..pipeline import Coder, Failure
    from ..settings import Settings

    items = load_items(Path(gold_path) if gold_path is not None else DEFAULT_GOLD)
    settings = settings if settings is not None else Settings.load()
    coder = Coder(settings.model_copy(update={"min_confidence": 0.0}))
    threshold = float(coder.filter.spec["threshold"]) if settings.min_confidence is None \
        else float(settings.min_confidence)
    results = code_items(coder, [(it["text"], str(it["id"]), it.get("date") or DEFAULT_DATE) for it in items])
    overall, candidates = _Tally(), _Tally()
    by_type: dict[str, _Tally] = defaultdict(_Tally)
    by_frame: dict[str, _Tally] = defaultdict(_Tally)
    by_code: dict[str, _Tally] = defaultdict(_Tally)
    wrong: list[dict[str, Any]] = []
    failures = 0
    for item, result in zip(items, results, strict=True):
        every: list[Event] = [] if isinstance(result, Failure) else result.events
        failures += isinstance(result, Failure)
        shown = [e for e in every if e.confidence is None or e.confidence >= threshold]
        ok = score_item(item, shown, overall)
        score_item(item, shown, by_type[item["event_type"]])
        score_item(item, shown, by_frame[item["frame"]])
        score_item(item, shown, by_code[item["cameo"]])
        score_item(item, every, candidates)
        if not ok and len(wrong) < errors:
            wrong.append({"id": item["id"], "text": item["text"], "gold": _show_gold(item),
                          "predicted": [_show(e) for e in every] or ["(no event)"]})
    metrics = _metrics(overall, len(items))
    metrics.update(failures=failures, threshold=threshold, candidates=_metrics(candidates, len(items)),
                   per_type={t: _metrics(by_type[t], by_type[t].n("type")) for t in sorted(by_type)},
                   per_frame={f: _metrics(by_frame[f], by_frame[f].n("type")) for f in sorted(by_frame)},
                   per_code={c: {"items": t.n("type"), "type_accuracy": t.acc("type"),
                                 "cameo_accuracy": t.acc("cameo")} for c, t in sorted(by_code.items())})
    m, c = metrics, metrics["candidates"]
    rows = [("items", f"{len(items)} ({len({it['cameo'] for it in items})} CAMEO codes)"),
            ("output scored", f"default output (confidence >= {threshold:g}); [candidates]: every candidate"),
            ("type accuracy", f"{m['type_accuracy']:.3f} [candidates {c['type_accuracy']:.3f}]"),
            ("cameo accuracy", f"{m['cameo_accuracy']:.3f} [candidates {c['cameo_accuracy']:.3f}]"),
            ("source accuracy", f"{m['source_accuracy']:.3f} (country+sector {m['source_sector_accuracy']:.3f}, "
                                f"found {m['source_found_accuracy']:.3f}, n={m['n_source']}) "
                                f"[candidates {c['source_accuracy']:.3f}]"),
            ("target accuracy", f"{m['target_accuracy']:.3f} (country+sector {m['target_sector_accuracy']:.3f}, "
                                f"found {m['target_found_accuracy']:.3f}, n={m['n_target']}) "
                                f"[candidates {c['target_accuracy']:.3f}]"),
            ("mode accuracy", f"{m['mode_accuracy']:.3f} (n={m['n_mode']})"),
            ("modality accuracy", f"{m['modality_accuracy']:.3f} (n={m['n_modality']})")]
    for group, table in (("type", metrics["per_type"]), ("frame", metrics["per_frame"])):
        for name, t in table.items():
            rows.append((f"{group} {name}", f"n={t['items']:<4} type {t['type_accuracy']:.3f}  cameo "
                                            f"{t['cameo_accuracy']:.3f}  source {t['source_accuracy']:.3f}  "
                                            f"target {t['target_accuracy']:.3f}"))
    return EvalReport(task="coverage", metrics=metrics, rows=rows, errors=wrong)
