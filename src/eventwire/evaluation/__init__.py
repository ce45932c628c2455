"""``eventwire eval TASK GOLD.jsonl``: scoring on third-party gold data.

Each task lives in its own module ``eventwire.evaluation.<task>`` with a function
``run(gold_path: Path, errors: int = 0) -> EvalReport``. TASKS is the one table of them.
``coverage`` alone has a default gold (the suite in tests/coverage): ``gold_path`` None.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import EvalError

TASKS: dict[str, str] = {
    "events": "eventwire.evaluation.events",
    "acled": "eventwire.evaluation.acled",
    "actors": "eventwire.evaluation.actors",
    "geo": "eventwire.evaluation.geo",
    "dates": "eventwire.evaluation.dates",
    "muc4": "eventwire.evaluation.muc4",
    "news": "eventwire.evaluation.news",
    "coverage": "eventwire.evaluation.coverage",
}


@dataclass
class EvalReport:
    """The result of one eval task.

    metrics: the JSON object printed with --json (required keys per task).
    rows: (label, value) lines for the readable table.
    errors: up to N wrong items, each a dict with at least id, gold, predicted.
    """

    task: str
    metrics: dict[str, Any]
    rows: list[tuple[str, str]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


def read_gold(path: Path) -> Iterator[dict[str, Any]]:
    """Read a gold JSONL file; raise EvalError naming the file and line on bad JSON."""
    if not path.exists():
        raise EvalError(f"gold file not found: {path}")
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvalError(f"{path}:{lineno}: malformed JSON ({exc.msg}); fix or remove the line") from exc


def run(task: str, gold_path: Path | None, errors: int = 0, settings: Any = None, **options: Any) -> EvalReport:
    """Run one eval task by name (with the run's Settings; default: Settings.load()).

    options: task-specific keywords (news: ``split``, ``texts``); None values are left out.
    """
    if task not in TASKS:
        raise EvalError(f"unknown eval task {task!r}; choose one of {', '.join(TASKS)}")
    module = importlib.import_module(TASKS[task])
    given = {k: v for k, v in options.items() if v is not None}
    if gold_path is None:
        if task != "coverage":
            raise EvalError(f"eval {task}: give the GOLD file (only the coverage task has a default)")
        return module.run(None, errors=errors, settings=settings, **given)
    return module.run(Path(gold_path), errors=errors, settings=settings, **given)


def code_items(coder: Any, texts: list[tuple[str, str, str | None]]) -> list[Any]:
    """Code (text, name, published) triples with one Coder; one result per triple, in order.

    An item that cannot even be loaded (empty text, too large ...) becomes a Failure like one
    that fails while coding: it is scored as wrong and counted, and the evaluation goes on.
    """
    from ..clean import load_article
    from ..errors import EventwireError
    from ..pipeline import Failure

    loaded: list[Any] = []
    for text, name, published in texts:
        try:
            loaded.append(load_article(text if isinstance(text, str) else "", name=name, kind="text",
                                       published=published, settings=coder.settings))
        except EventwireError as exc:
            loaded.append(Failure(name, name, str(exc)))
    coded = iter(coder.code_many([a for a in loaded if not isinstance(a, Failure)]))
    return [a if isinstance(a, Failure) else next(coded) for a in loaded]


def match_spans(gold: list[dict[str, Any]], pred: list[Any]) -> list[tuple[int, int]]:
    """One-to-one overlap matching of gold spans (dicts with start/end) and predicted spans
    (objects with .start/.end): (gold index, predicted index) pairs, largest overlaps first."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if p.start is None or p.end is None:
                continue
            overlap = min(g["end"], p.end) - max(g["start"], p.start)
            if overlap > 0:
                pairs.append((overlap, gi, pi))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, gi, pi in sorted(pairs, key=lambda x: (-x[0], x[1], x[2])):
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi))
    return out


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1 from counts (0.0 where undefined)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f
