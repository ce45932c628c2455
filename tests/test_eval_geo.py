"""Tests for eventwire.evaluation.geo on a tiny gold file of our own."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwire.cli import main
from eventwire.errors import EvalError
from eventwire.evaluation import geo
from eventwire.model import Place

GOLD = Path(__file__).parent / "fixtures" / "geo_gold.jsonl"


def test_match_spans_is_one_to_one_by_overlap() -> None:
    gold = [{"start": 0, "end": 10}, {"start": 20, "end": 25}]
    pred = [Place(text="a", start=2, end=8), Place(text="b", start=0, end=10), Place(text="c", start=30, end=35)]
    pairs = geo.match_spans(gold, pred)
    assert pairs == [(0, 1)]


def test_run_on_fixture() -> None:
    report = geo.run(GOLD, errors=5)
    corpora = report.metrics["corpora"]
    assert set(corpora) == {"A", "B"}
    a = corpora["A"]
    assert set(a) == {"f1", "precision", "recall", "acc161", "median_km", "n"}
    assert a["recall"] == 1.0 and a["acc161"] == 1.0 and a["n"] == 4
    b = corpora["B"]
    # "The" is a gold span nobody predicts; Accra has deliberately wrong gold coordinates
    assert b["recall"] == pytest.approx(2 / 3, abs=0.01)
    assert b["acc161"] == 0.5 and b["n"] == 2
    assert any(err["id"] == "t3" for err in report.errors)
    assert any("FAR 'Accra'" in p for err in report.errors for p in err["problems"])


def test_bad_gold_is_a_coded_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "text": "x"}\n', encoding="utf-8")
    with pytest.raises(EvalError, match="toponyms"):
        geo.run(bad)
    with pytest.raises(EvalError, match="not found"):
        geo.run(tmp_path / "missing.jsonl")


def test_cli_eval_geo_json() -> None:
    res = CliRunner().invoke(main, ["eval", "geo", str(GOLD), "--json"])
    assert res.exit_code == 0, res.output
    assert '"corpora"' in res.output.splitlines()[-1]
