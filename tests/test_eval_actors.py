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


def test_eval_actors_undated_reference(tmp_path: Path):
    gold = tmp_path / "g.jsonl"
    # undated: coded as of the reference date (Obama was president in 2012, ELI by 2022)
    gold.write_text('{"id": "u1", "text": "Barack Obama", "country": "USA", "sector": "GOV", '
                    '"kind": "agent_to_code", "context": null, "date": null}\n')
    from eventwire.evaluation.actors import run as run_actors

    m2012 = run_actors(gold, undated="2012-06-01").metrics
    m2022 = run_actors(gold, undated="2022-06-01").metrics
    assert m2012["sector_accuracy"] == 1.0 and m2012["undated_as_of"] == "2012-06-01"
    assert m2022["sector_accuracy"] == 0.0
    assert "sector_accuracy_latest_role" in m2022
