"""The event filter: a confidence and a background flag on every event, the threshold, the
explanation of what it left out, the model file's schema and the training script's determinism."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "filter"
TEXT = ("Rebel fighters attacked an army base near Gao on Monday, killing four soldiers, the ministry said.\n\n"
        "Since 2012, more than 10,000 people have been killed in the conflict.\n\n"
        "Could the government withdraw the bill?")


@pytest.fixture(scope="module")
def open_coder():
    """A Coder that keeps every candidate (threshold 0)."""
    from eventwire.pipeline import Coder
    from eventwire.settings import Settings

    return Coder(Settings.load(env={}, min_confidence=0.0))


def _code(coder, text=TEXT, published="2024-03-05"):
    from eventwire.clean import load_article

    return coder.code(load_article(text, published=published))


def test_every_event_has_a_confidence_and_a_background_flag(code) -> None:
    doc = code(TEXT, published="2024-03-05")
    assert doc.events
    for ev in doc.events:
        assert ev.confidence is not None and 0.0 <= ev.confidence <= 1.0
        assert isinstance(ev.background, bool)
        assert "confidence" in ev.to_dict() and "background" in ev.to_dict()


def test_threshold_zero_keeps_every_candidate_and_one_keeps_none(open_coder) -> None:
    from eventwire.pipeline import Coder
    from eventwire.settings import Settings

    everything = _code(open_coder)
    strict = Coder(Settings.load(env={}, min_confidence=1.0))
    strict_doc = _code(strict)
    assert len(everything.events) >= 2
    assert strict_doc.events == []
    triggers = [t for s in strict.last_explanation.sentences for t in s["triggers"]]
    filtered = [t for t in triggers if t["status"] == "filtered"]
    assert len(filtered) == len(everything.events)
    assert not [t for t in triggers if t["status"] == "coded"]  # each coded line became a left-out line
    assert all(t["confidence"] < 1.0 and t["features"] for t in filtered)


def test_default_threshold_is_the_models(coder) -> None:
    assert coder.filter.threshold == coder.filter.spec["threshold"]
    assert 0.0 <= coder.filter.threshold < 1.0


def test_explain_shows_left_out_events_with_score_and_features() -> None:
    from eventwire.cli.code import render_explanation
    from eventwire.pipeline import Coder
    from eventwire.settings import Settings

    strict = Coder(Settings.load(env={}, min_confidence=1.0))
    doc = _code(strict)
    text = render_explanation(strict.last_explanation, doc)
    assert "~ 'attacked' ASSAULT" in text
    assert "left out, confidence" in text and "< 1.00" in text


def test_explain_prints_the_confidence_of_coded_events(open_coder) -> None:
    from eventwire.cli.code import render_explanation

    doc = _code(open_coder)
    assert "confidence 0." in render_explanation(open_coder.last_explanation, doc)


def test_features_read_tense_aspect_cues_and_dates(open_coder) -> None:
    doc = _code(open_coder)
    feats = open_coder.filter.last_features
    by_trigger = {ev.trigger.text: fs for ev, fs in zip(doc.events, feats, strict=True)}
    killed = by_trigger["killed"]
    assert "aspect:perfect" in killed and "voice:passive" in killed
    assert "cue:cumulative=since" in killed and "cue:cumulative=more than" in killed
    assert "sent:past_year" in killed
    attacked = by_trigger["attacked"]
    assert "tense=Past" in attacked and "sent:first" in attacked and "src:yes" in attacked
    question = [fs for ev, fs in zip(doc.events, feats, strict=True) if ev.sentence.index == 2]
    assert all("sent:question" in fs for fs in question)


def test_filter_never_reparses(open_coder, monkeypatch) -> None:
    calls = []
    pipe = open_coder.nlp.pipe

    def counting(texts, **kw):  # noqa: ANN001, ANN202
        calls.append(1)
        return pipe(texts, **kw)

    def refuse(*args, **kw):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("a stage parsed the text again")

    monkeypatch.setattr(open_coder.nlp, "pipe", counting)
    monkeypatch.setattr(type(open_coder.nlp), "__call__", refuse)
    _code(open_coder)
    assert calls == [1]


def test_min_confidence_setting_is_validated() -> None:
    from eventwire.errors import SettingsError
    from eventwire.settings import Settings

    assert Settings.load(env={"EVENTWIRE_MIN_CONFIDENCE": "0.4"}).min_confidence == 0.4
    with pytest.raises(SettingsError):
        Settings.load(env={}, min_confidence=1.5)


def test_model_file_is_valid_and_small() -> None:
    from eventwire.resources import Resources, bundled_dir, check
    from eventwire.schemas.filter import FilterModel

    path = bundled_dir() / "models" / "filter.json"
    assert path.stat().st_size < 3_000_000
    FilterModel.model_validate(Resources().json("models/filter.json"))
    assert [p for p in check() if p.path.endswith('.json')] == []


def test_data_check_reports_a_broken_model_file(tmp_path) -> None:
    from click.testing import CliRunner

    from eventwire.cli import main

    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "filter.json").write_text('{"version": 1, "kind": "logistic"}', encoding="utf-8")
    result = CliRunner().invoke(main, ["data", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert "filter.json" in result.output and "threshold" in result.output


def _train_module():
    spec = importlib.util.spec_from_file_location("train_filter", ROOT / "scripts" / "train_filter.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_training_script_rebuilds_the_same_model_on_the_fixture(tmp_path) -> None:
    """Two runs of scripts/train_filter.py on our own fixture articles give the same file and scores."""
    from eventwire.filter import EventFilter
    from eventwire.resources import Resources
    from eventwire.schemas.filter import FilterModel

    train = _train_module()
    outs = []
    for n in (1, 2):
        out = tmp_path / f"model{n}.json"
        assert train.main(["--annotations", str(FIXTURES / "annotations.jsonl"), "--texts", str(FIXTURES),
                           "--folds", "3", "--out", str(out)]) == 0
        outs.append(out.read_text(encoding="utf-8"))
    assert outs[0] == outs[1]
    model = json.loads(outs[0])
    FilterModel.model_validate(model)
    assert model["training"]["articles"] == 6 and model["training"]["split"] == "train"
    assert model["event"]["weights"] and model["cv"]["chosen"]["f1"] > 0
    # the rebuilt model scores features exactly as recorded
    filt = EventFilter(Resources(), None, model=json.loads(outs[1]))
    fs = ["type=ASSAULT", "tense=Past", "src:yes"]
    assert filt.event_model.score(fs) == EventFilter(Resources(), None, model=model).event_model.score(fs)


def test_training_reads_only_the_train_split(tmp_path) -> None:
    train = _train_module()
    lines = (FIXTURES / "annotations.jsonl").read_text(encoding="utf-8").splitlines()
    mixed = tmp_path / "mixed.jsonl"
    rows = [json.loads(line) for line in lines]
    rows[0]["split"] = "test"
    mixed.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "m.json"
    assert train.main(["--annotations", str(mixed), "--texts", str(FIXTURES), "--folds", "3", "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["training"]["articles"] == 5
