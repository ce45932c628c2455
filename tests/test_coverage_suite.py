"""The coverage suite (tests/coverage, issue 11): its files are well formed and complete, and
``eventwire eval coverage`` scores it above the floors measured when it was written.

The suite is written from the codebooks (../shared/reference), never from gold items or from the
pattern files: these tests read the crosswalk to check completeness, never the patterns.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from eventwire.evaluation import run
from eventwire.evaluation.coverage import DEFAULT_GOLD, MODALITIES, best_event, load_items, score_item
from eventwire.model import Actor, Event, SentenceSpan, TextSpan
from eventwire.resources import default_resources

SUITE = Path(__file__).with_name("coverage")
REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference"
CROSSWALK = REFERENCE / "CAMEO2PLOVER-2021.txt"
FRAMES = {"active", "passive_agent", "passive_agentless", "nominal", "negated", "intended", "hypothetical",
          "reported"}
ORGANISATION_CODES = {"UNO", "EUR", "IGO", "NGO", "IMG"}
# Today's figures (2026-12-04, `eventwire eval coverage --json`) less 0.02, rounded down; raise them
# as patterns for the missing codes land. The target: type >= 0.90, source/target >= 0.85.
FLOORS = {"type_accuracy": 0.71, "cameo_accuracy": 0.47, "source_accuracy": 0.66, "target_accuracy": 0.53}


def _items() -> list[dict]:
    return load_items(SUITE)


# Where the PLOVER manual codes an act as another type than the 2021 crosswalk, the suite (and the
# patterns) follow the manual: international sanctions are SANCTION `discontinue`; easing a curfew or
# a state of emergency is a concession ("yield": "easing curfews"). `eventwire patterns coverage`
# lists the same codes under `differs`.
MANUAL_OVER_CROSSWALK = {"163": "SANCTION", "0813": "CONCEDE", "0814": "CONCEDE"}


def _crosswalk() -> dict[str, str]:
    """CAMEO code (3 or 4 digits) -> PLOVER type, the first mapping of each code in the crosswalk."""
    out: dict[str, str] = {}
    for line in CROSSWALK.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(\d{3,4}):\s*([A-Z]+)\s*,", line)
        if m:
            out.setdefault(m.group(1), m.group(2))
    return {**out, **{code: kind for code, kind in MANUAL_OVER_CROSSWALK.items() if code in out}}


def test_default_gold_is_this_folder():
    assert DEFAULT_GOLD.resolve() == SUITE.resolve()


def test_items_are_well_formed():
    ontology = default_resources().yaml("ontology/plover.yaml")
    sectors = set(default_resources().yaml("ontology/sectors.yaml")["sectors"])
    countries = {c["code"] for c in default_resources().yaml("actors/countries.yaml")} | ORGANISATION_CODES
    ids: set[str] = set()
    for path in sorted(SUITE.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            it = json.loads(line)
            assert it["id"] not in ids, f"duplicate id {it['id']}"
            ids.add(it["id"])
            assert path.stem == it["event_type"].lower(), f"{it['id']} is in {path.name}"
            assert it["event_type"] in ontology, it["id"]
            modes = ontology[it["event_type"]].get("modes", {})
            assert it["mode"] is None or it["mode"] in modes, f"{it['id']}: mode {it['mode']}"
            assert it["frame"] in FRAMES and it["modality"] in MODALITIES, it["id"]
            assert re.fullmatch(r"\d{3,4}", it["cameo"]) and it["id"].startswith(it["cameo"] + "-")
            words = it["text"].split()
            assert len(words) >= 9 and it["text"][0].isupper() and it["text"].endswith("."), it["id"]
            for role in ("source", "target"):
                for actor in it[role]:
                    assert actor["country"] is None or actor["country"] in countries, (it["id"], actor)
                    assert actor["sector"] is None or actor["sector"] in sectors, (it["id"], actor)
            if it["frame"] == "negated":
                assert it["modality"] == "negated", it["id"]


def test_every_code_has_three_items_in_three_frames():
    frames: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    for it in _items():
        frames[it["cameo"]].add(it["frame"])
        counts[it["cameo"]] += 1
    few = sorted(c for c, n in counts.items() if n < 3)
    narrow = sorted(c for c, f in frames.items() if len(f) < 3)
    assert not few, f"codes with fewer than 3 items: {few}"
    assert not narrow, f"codes with fewer than 3 frames: {narrow}"
    assert len({it["text"] for it in _items()}) == len(_items()), "a sentence is repeated"


@pytest.mark.skipif(not CROSSWALK.exists(), reason=f"{CROSSWALK} is not present")
def test_suite_covers_the_crosswalk():
    crosswalk = _crosswalk()
    items = _items()
    present = {it["cameo"] for it in items}
    assert len(crosswalk) > 250
    missing = sorted(set(crosswalk) - present)
    assert not missing, f"crosswalk codes without items: {missing}"
    wrong = [(it["id"], it["event_type"], crosswalk.get(it["cameo"])) for it in items
             if crosswalk.get(it["cameo"]) != it["event_type"]]
    assert not wrong, f"items whose type is not the crosswalk's: {wrong[:10]}"


def _ev(event_type: str, cameo: str, modality: str = "asserted", source=(), target=(), start: int = 0) -> Event:
    return Event(event_id="x", event_type=event_type, cameo=cameo, modality=modality,
                 source=[Actor(text="s", country=c, sector=s) for c, s in source],
                 target=[Actor(text="t", country=c, sector=s) for c, s in target],
                 trigger=TextSpan(text="t", start=start, end=start + 1),
                 sentence=SentenceSpan(text="t", start=0, end=1, index=0), rule="test")


def _item(modality: str = "asserted") -> dict:
    return {"id": "173-1", "cameo": "173", "event_type": "COERCE", "mode": "arrest", "modality": modality,
            "frame": "active", "text": "x", "source": [{"country": "RUS", "sector": "COP"}],
            "target": [{"country": "RUS", "sector": None}]}


def test_scoring_prefers_the_matching_event_and_checks_modality():
    from eventwire.evaluation.coverage import _metrics, _Tally

    near = _ev("COERCE", "170", source=[("RUS", "COP")], start=5)
    exact = _ev("COERCE", "173", source=[("RUS", "GOV")], target=[("RUS", "CVL")], start=9)
    assert best_event(_item(), [near, exact]) is exact  # the CAMEO code ranks first
    t = _Tally()
    assert score_item(_item(), [near, exact], t) is True
    m = _metrics(t, 1)
    assert m["type_accuracy"] == m["cameo_accuracy"] == m["source_accuracy"] == m["target_accuracy"] == 1.0
    assert m["source_sector_accuracy"] == 0.0 and m["target_sector_accuracy"] == 1.0  # GOV != COP; null matches
    # a negated item is found only by a negated event; the asserted one counts for modality accuracy
    t = _Tally()
    assert score_item(_item("negated"), [exact], t) is False
    m = _metrics(t, 1)
    assert m["type_accuracy"] == 0.0 and m["source_accuracy"] == 0.0 and m["modality_accuracy"] == 0.0
    assert score_item(_item("negated"), [_ev("COERCE", "173", "negated", [("RUS", None)], [("RUS", None)])], t)


@pytest.mark.slow
def test_coverage_evaluation_stays_above_its_floors():
    metrics = run("coverage", None).metrics
    assert metrics["items"] == len(_items()) and metrics["failures"] == 0
    assert set(metrics["per_type"]) == {it["event_type"] for it in _items()}
    assert set(metrics["per_frame"]) == {it["frame"] for it in _items()}
    low = {k: (metrics[k], floor) for k, floor in FLOORS.items() if metrics[k] < floor}
    assert not low, f"coverage suite below its floors (measured, floor): {low}"
    assert metrics["candidates"]["type_accuracy"] >= metrics["type_accuracy"]


def test_cli_scores_a_file_and_needs_gold_for_other_tasks(tmp_path):
    from click.testing import CliRunner

    from eventwire.cli import main

    gold = tmp_path / "two.jsonl"
    items = [{"id": "173-x", "cameo": "173", "event_type": "COERCE", "mode": "arrest", "modality": "asserted",
              "frame": "active", "text": "Police in Lagos arrested twelve protesters outside the governor's office.",
              "source": [{"country": "NGA", "sector": "COP"}], "target": [{"country": "NGA", "sector": "CVL"}]},
             {"id": "190-x", "cameo": "190", "event_type": "ASSAULT", "mode": None, "modality": "negated",
              "frame": "negated", "text": "The army did not attack the village, the defence ministry in Lagos said.",
              "source": [], "target": []}]
    gold.write_text("\n".join(json.dumps(it) for it in items) + "\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["eval", "coverage", str(gold), "--json", "--errors", "2"])
    assert res.exit_code == 0, res.output
    metrics = json.loads(res.output.strip().splitlines()[-1])
    for key in ("type_accuracy", "cameo_accuracy", "source_accuracy", "target_accuracy", "items"):
        assert key in metrics
    assert metrics["items"] == 2 and set(metrics["per_frame"]) == {"active", "negated"}
    assert set(metrics["per_code"]) == {"173", "190"}
    assert "frame negated" in res.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({**items[0], "modality": "maybe"}) + "\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["eval", "coverage", str(bad)])
    assert res.exit_code != 0 and "EW401" in res.output and "modality" in res.output
    res = CliRunner().invoke(main, ["eval", "events"])
    assert res.exit_code != 0 and "EW401" in res.output and "GOLD" in res.output
