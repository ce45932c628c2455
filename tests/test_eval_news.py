"""``eventwire eval news``: scoring on our own annotations (issue 10), on texts made here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventwire.clean import clean_text
from eventwire.errors import EvalError
from eventwire.evaluation import run
from eventwire.evaluation.news import Alignment

TEXT = ("Rebels attacked an army checkpoint near Hama on Tuesday, killing three soldiers.  "
        "The weather was mild in the north.\n\n“Police arrested 40 demonstrators in Nairobi,” a witness said.")


def _span(text: str, part: str, after: int = 0) -> list[int]:
    start = text.index(part, after)
    return [start, start + len(part)]


def _annotation(text: str) -> dict:
    s1 = _span(text, "Rebels attacked an army checkpoint near Hama on Tuesday, killing three soldiers.")
    s2 = _span(text, "The weather was mild in the north.")
    s3 = _span(text, "“Police arrested 40 demonstrators in Nairobi,” a witness said.")
    actor = {"span": None, "country": None, "sector": None, "implied": False}
    assault = {"type": "ASSAULT", "mode": "", "context": [], "trigger": _span(text, "attacked"),
               "source": [dict(actor, span=_span(text, "Rebels"), sector="REB")],
               "target": [dict(actor, span=_span(text, "an army checkpoint"), sector="MIL")],
               "location": {"span": _span(text, "Hama"), "country": "SYR"},
               "date": {"value": "2024-03-12", "precision": "day"}, "modality": "asserted", "background": False,
               "counts": [{"kind": "killed", "value": 3, "qualifier": "exact", "span": _span(text, "three")}]}
    invented = dict(assault, type="AID", trigger=_span(text, "mild"), location=None, date=None, counts=[])
    arrest = dict(assault, type="COERCE", mode="arrest", trigger=_span(text, "arrested"),
                  location={"span": _span(text, "Nairobi"), "country": "KEN"}, date=None,
                  counts=[{"kind": "arrested", "value": 40, "qualifier": "exact", "span": None}])
    return {"id": "own-1", "file": "texts.jsonl", "split": "test", "published": "2024-03-15",
            "sentences": [{"start": s1[0], "end": s1[1], "events": [assault]},
                          {"start": s2[0], "end": s2[1], "events": [invented]},
                          {"start": s3[0], "end": s3[1], "events": [arrest]}]}


def test_alignment_maps_cleaned_offsets_back_to_the_raw_text() -> None:
    cleaned = clean_text(TEXT)
    align = Alignment(TEXT, cleaned)
    for word in ("Hama", "Nairobi", "witness"):
        assert TEXT[align.raw(cleaned.index(word)):].startswith(word)


def test_news_scores_known_answers(tmp_path: Path) -> None:
    (tmp_path / "texts.jsonl").write_text(json.dumps({"id": "own-1", "text": TEXT}) + "\n")
    gold = tmp_path / "ann.jsonl"
    gold.write_text(json.dumps(_annotation(TEXT)) + "\n")
    m = run("news", gold, texts=tmp_path, split="test").metrics
    assert m["items"] == 1 and m["n_gold"] == 3 and m["failures"] == 0
    # the coder finds the attack and the arrest, never the invented AID in a sentence about the weather
    assert abs(m["event_recall"] - 2 / 3) < 1e-9
    assert m["event_precision"] == 1.0
    assert m["location_accuracy"] == 1.0 and m["n_location"] == 2
    assert m["date_accuracy"] == 1.0 and m["count_accuracy"] == 1.0
    for key in ("event_f1", "tuple_precision", "tuple_recall", "background_f1"):
        assert key in m
    with pytest.raises(EvalError, match="no annotated articles"):
        run("news", gold, texts=tmp_path, split="train")
