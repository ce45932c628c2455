"""Tests for eventwire.evaluation.dates on a small hand-written fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.attributes.dates import TimeExpression
from eventwire.errors import EvalError
from eventwire.evaluation.dates import match, run

FIXTURE = Path(__file__).parent / "fixtures" / "dates_gold.jsonl"


def test_metrics_on_fixture() -> None:
    report = run(FIXTURE, errors=10, use_parse=False)
    m = report.metrics
    # 4 gold, 5 predicted (Monday is spurious), 4 matched
    assert m["gold"] == 4 and m["predicted"] == 5
    assert m["recall"] == 1.0
    assert m["precision"] == 0.8
    # DATE values: yesterday, next week right; 2019 vs gold 2018 wrong
    assert m["value_accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    assert m["value_accuracy_all"] == 0.75
    assert m["type_accuracy"] == 1.0
    kinds = {e["error"] for e in report.errors}
    assert kinds == {"value", "spurious"}
    assert {"f1", "precision", "recall", "value_accuracy", "value_accuracy_all", "type_accuracy"} <= set(m)


def test_errors_zero_lists_nothing() -> None:
    assert run(FIXTURE, errors=0, use_parse=False).errors == []


def test_overlap_matching_is_one_to_one() -> None:
    gold = [{"start": 0, "end": 10}, {"start": 5, "end": 12}]
    pred = [TimeExpression(0, 12, "x" * 12, "DATE", None)]
    assert len(match(gold, pred)) == 1


def test_bad_gold_files(tmp_path: Path) -> None:
    with pytest.raises(EvalError):
        run(tmp_path / "missing.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "text": "x"}\n', encoding="utf-8")
    with pytest.raises(EvalError):
        run(bad, use_parse=False)
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(EvalError):
        run(broken, use_parse=False)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(EvalError):
        run(empty, use_parse=False)
