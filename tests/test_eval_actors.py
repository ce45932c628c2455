"""Tests for eventwire.evaluation.actors on a small fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.errors import EvalError
from eventwire.evaluation import run

FIXTURE = Path(__file__).parent / "fixtures" / "actors_gold.jsonl"


def test_eval_actors_metrics_and_errors():
    report = run("actors", FIXTURE, errors=5)
    m = report.metrics
    # f5 is unknown: country and sector wrong; every other expectation is met
    assert m["country_n"] == 4 and m["sector_n"] == 4
    assert m["country_accuracy"] == pytest.approx(0.75)
    assert m["sector_accuracy"] == pytest.approx(0.75)
    assert m["empty_rate"] == 1.0
    assert [e["id"] for e in report.errors] == ["f5"]
    assert "agent_to_code:country" in m["per_kind"]


def test_eval_actors_bad_file(tmp_path: Path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "Chad"\n')
    with pytest.raises(EvalError):
        run("actors", bad)
    with pytest.raises(EvalError):
        run("actors", tmp_path / "missing.jsonl")
