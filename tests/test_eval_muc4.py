"""Tests for eventwire.evaluation.muc4: true-casing, template scoring and a tiny run."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.errors import EvalError
from eventwire.evaluation import run
from eventwire.evaluation.muc4 import score_document, truecase

FIXTURE = Path(__file__).parent / "fixtures" / "muc4_gold.jsonl"


def test_truecase_header_acronyms_sentences():
    text = "QUITO, 5 MAY 90 -- [REPORT] [TEXT] REBELS OF THE ALFARO VIVE [AVC] ATTACKED A POST.\nTWO\nDIED."
    out = truecase(text)
    assert not out.startswith("Quito")  # header dropped
    assert out.startswith("Rebels of the alfaro vive (AVC) attacked a post.")
    assert "Two died." in out  # line wrap undone, sentence start capitalised


def _tpl(itype, **slots):
    return {"incident_type": itype, "optional": False, **slots}


def test_score_document_matching_by_type():
    golds = [_tpl("BOMBING / ATTACK", perp_org=[["SHINING PATH", "SENDERO LUMINOSO"]],
                  phys_target=[["POWER PYLON"]], hum_target=[], instrument=[["DYNAMITE"]], perp_individual=[])]
    preds = [{"incident_type": "BOMBING", "perp_org": ["the shining path"], "perp_individual": [],
              "phys_target": ["pylons"], "hum_target": ["guards"], "instrument": ["dynamite"]}]
    c = score_document(preds, golds)
    assert (c["tp"], c["fp"], c["fn"]) == (2, 2, 1)  # "pylons" does not contain "power pylon"
    assert c["type_ok"] == 1 and c["type_n"] == 1


def test_score_document_wrong_type_and_optional():
    golds = [_tpl("KIDNAPPING", hum_target=[["MAYOR"]]), {**_tpl("ARSON", phys_target=[["BUS"]]), "optional": True}]
    preds = [{"incident_type": "ATTACK", "hum_target": ["the mayor"]}]
    c = score_document(preds, golds)
    assert c["tp"] == 0 and c["fp"] == 1 and c["fn"] == 1  # optional ARSON costs nothing
    assert c["type_ok"] == 0 and c["type_n"] == 1


def test_eval_muc4_fixture():
    report = run("muc4", FIXTURE, errors=2)
    m = report.metrics
    assert {"slot_f1", "incident_type_accuracy", "relevance_f1"} <= set(m)
    assert m["items"] == 2 and 0.0 <= m["slot_f1"] <= 1.0
    assert m["relevance_recall"] == 1.0  # the kidnapping is found


def test_eval_muc4_bad_item(tmp_path: Path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "NOTHING"}\n')
    with pytest.raises(EvalError):
        run("muc4", bad)
