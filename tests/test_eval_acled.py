"""Tests for eventwire.evaluation.acled: label metrics and a run on a tiny fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.errors import EvalError
from eventwire.evaluation import run
from eventwire.evaluation.acled import score_labels

FIXTURE = Path(__file__).parent / "fixtures" / "acled_gold.jsonl"


def test_score_labels_weighted_macro():
    pairs = [("A", "A"), ("A", "A"), ("A", "B"), ("B", "B")]
    m = score_labels(pairs)
    # A: P 1, R 2/3 -> F1 0.8 ; B: P 0.5, R 1 -> F1 2/3
    assert m["per_label"]["A"]["f1"] == pytest.approx(0.8)
    assert m["per_label"]["B"]["f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert m["macro_f1"] == pytest.approx((0.8 + 2 / 3) / 2, abs=1e-3)
    assert m["weighted_f1"] == pytest.approx((0.8 * 3 + 2 / 3) / 4, abs=1e-3)
    assert m["accuracy"] == 0.75


def test_score_labels_empty():
    with pytest.raises(EvalError):
        score_labels([])


def test_eval_acled_fixture():
    report = run("acled", FIXTURE, errors=4)
    m = report.metrics
    assert m["items"] == 4
    assert {"weighted_f1", "macro_f1", "accuracy"} <= set(m)
    # clear-cut snippets: the earthquake, the grenades and the arrests are easy
    assert m["per_label"]["NATURAL_DISASTER"]["f1"] == 1.0
    assert m["per_label"]["GRENADE"]["r"] == 1.0
    assert m["accuracy"] >= 0.75


def test_eval_acled_bad_item(tmp_path: Path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "A protest."}\n')
    with pytest.raises(EvalError):
        run("acled", bad)


def test_eval_acled_varied_fixture():
    # one or more hand-written wire-style snippets per label, some with mixed signals
    # (weapons named in a fight, a mob, an accident that kills, a claim of responsibility)
    report = run("acled", Path(__file__).parent / "fixtures" / "acled_varied.jsonl", errors=10)
    m = report.metrics
    assert m["items"] == 174 and len(m["per_label"]) == 30
    assert m["accuracy"] >= 0.9, report.errors
