"""The events stage reads its knowledge from data files: declared rewrites, one weapon list, schemas."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eventwire.errors import DataFileError
from eventwire.events import EventExtractor, load_patterns
from eventwire.resources import Resources, bundled_dir


def _user_copy(tmp_path: Path, rel: str, old: str, new: str) -> Resources:
    """A user data folder holding a copy of one bundled file with ``old`` replaced by ``new``."""
    target = tmp_path / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    text = (bundled_dir() / rel).read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return Resources(data_dir=tmp_path)


REFUSAL = 'then: &refusal {event_type: REJECT, mode: null, cameo: "120", modality: asserted, rule: "{pattern}+refusal",'


def test_a_rewrite_declared_in_a_user_data_folder_changes_the_reading(coder, tmp_path):
    text = "Iran will not accept the offer."
    [before] = [e for e in coder.code(text).events if e.event_type == "REJECT"]
    assert (before.cameo, before.rule) == ("120", "agree.verb+refusal")
    res = _user_copy(tmp_path, "patterns/events.yaml", REFUSAL,
                     'then: &refusal {event_type: REJECT, mode: meet, cameo: "125", modality: asserted, rule: "{pattern}+declined",')
    original = coder.events
    try:
        coder.events = EventExtractor(load_patterns(res))
        [after] = [e for e in coder.code(text).events if e.event_type == "REJECT"]
    finally:
        coder.events = original
    assert (after.cameo, after.mode, after.rule) == ("125", "meet", "agree.verb+declined")


def test_a_rewrite_with_an_unknown_mode_is_reported_with_file_and_line(tmp_path):
    res = _user_copy(tmp_path, "patterns/events.yaml", REFUSAL,
                     'then: &refusal {event_type: REJECT, mode: sulk, cameo: "120", modality: asserted, rule: "{pattern}+refusal",')
    line = next(i for i, ln in enumerate(res.text("patterns/events.yaml").splitlines(), 1) if "mode: sulk" in ln)
    with pytest.raises(DataFileError, match=re.escape(f"events.yaml:{line}: mode 'sulk' is not a mode of REJECT")):
        load_patterns(res)


def test_bad_cameo_code_and_unknown_sector_class_are_reported(tmp_path):
    res = _user_copy(tmp_path, "patterns/events.yaml", 'source_any: {sector: armed}', 'source_any: {sector: armd}')
    with pytest.raises(DataFileError, match=r"events.yaml:\d+: unknown sector class 'armd'"):
        load_patterns(res)
    res = _user_copy(tmp_path / "b", "patterns/events.yaml", 'cameo: "171", rule: "{rule}+police"',
                     'cameo: "1x1", rule: "{rule}+police"')
    with pytest.raises(DataFileError, match=r"events.yaml:\d+: .*cameo"):
        load_patterns(res)


def test_grammar_words_are_required_and_read_from_data(tmp_path):
    res = _user_copy(tmp_path, "patterns/grammar.yaml", "condition_marks: [if, unless]\n", "")
    with pytest.raises(DataFileError, match=r"grammar.yaml.*'condition_marks' is missing"):
        load_patterns(res)


def test_one_weapon_list_for_every_stage():
    from eventwire.attributes.quantities import lexicon

    weapons = Resources().words("ontology/weapons.yaml", "weapons")
    patterns = load_patterns()
    assert patterns.weapons == weapons == patterns.lexicon["weapons"]
    assert dict(lexicon().units)["weapons"] == weapons


def test_sector_classes_come_from_the_ontology():
    sectors = load_patterns().sectors
    assert {"MIL", "REB", "PRM", "CRM"} <= sectors.classes["armed"]
    assert "ETH" not in sectors.classes["domestic"]  # a country code, not a sector
    assert "ISM" in sectors.organisation_codes


def test_acled_typer_reads_the_doc_sentence(coder):
    from eventwire.acled import AcledTyper, acled_types
    from eventwire.clean import load_article

    article = load_article("Police arrested 20 protesters in Nairobi on Monday. Rebels shelled the town.",
                           published="2024-03-15")
    doc = coder.nlp(article.text)
    result = coder.code(article)
    typer = AcledTyper(Resources())
    for ev in result.events:
        assert typer.types(ev, doc) == acled_types(ev, article.text)


def _events(coder, text):
    return [(e.event_type, e.cameo, e.modality) for e in coder.code(text).events]


def test_a_plain_negation_keeps_the_act_and_negates_it(coder):
    # annotation.md section 6: "has not released" is the release, negated; not a refusal
    events = _events(coder, "Venezuela has not freed the two detained Colombian pilots.")
    assert any(t == "RETREAT" and m == "negated" for t, _, m in events), events
    assert not any(t == "REJECT" for t, _, _ in events), events


def test_an_explicit_or_stated_refusal_is_reject_coded_by_what_is_refused(coder):
    # "failed to": refusing verb; "would not": a stated intention not to act (codes: reject table)
    [failed] = [e for e in coder.code("Chile and Peru failed to reach an agreement on the fishing dispute.").events
                if e.event_type == "REJECT"]
    assert failed.modality == "asserted"
    [stated] = [e for e in coder.code("Mexico said it would not release the detained activists.").events
                if e.event_type == "REJECT"]
    assert (stated.cameo, stated.modality, stated.rule.endswith("+refusal")) == ("1243", "asserted", True)


def test_acceding_to_demands_and_announced_concessions_are_concede(coder):
    # CAMEO 083 (accede to demands) is PLOVER CONCEDE; concessions are verbal acts (PLOVER manual)
    doc = coder.code("The Chilean government accepted the students' demands for free tuition.")
    assert "CONCEDE" in {e.event_type for e in doc.events}
    doc = coder.code("The interior minister said the government would lift the curfew in Lima.")
    [ev] = [e for e in doc.events if e.event_type == "CONCEDE"]
    assert ev.modality == "asserted"
