"""Accuracy is a test: the dev evaluations must stay above the floors in tests/eval_baseline.json.

Runs ``eventwire eval TASK`` in process on the third-party dev sets in ``../shared/eval`` (present
in CI; skipped with a reason where they are not). Lowering a floor is an explicit, reviewed change
of the baseline file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventwire.evaluation import run

BASELINE = json.loads((Path(__file__).with_name("eval_baseline.json")).read_text())
EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
TASKS = sorted(k for k in BASELINE if not k.startswith("_"))


def _get(metrics: dict, dotted: str) -> float:
    value: object = metrics
    for part in dotted.split("."):
        value = value[part]  # type: ignore[index]
    return float(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("task", TASKS)
def test_dev_figures_stay_above_their_floors(task: str) -> None:
    gold = EVAL / BASELINE[task]["file"]
    if not gold.exists():
        pytest.skip(f"{gold} is not present")
    metrics = run(task, gold).metrics
    low = {name: (_get(metrics, name), floor) for name, floor in BASELINE[task]["floors"].items()
           if _get(metrics, name) < floor}
    assert not low, f"{task}: below the floor (measured, floor): {low}"
    assert metrics.get("failures", 0) == 0
