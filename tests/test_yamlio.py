"""The knowledge files' YAML reader keeps bare English words (on, off, yes, no, NO) as words."""

from __future__ import annotations

from eventwire.events import load_patterns
from eventwire.yamlio import load_yaml


def test_only_true_and_false_are_booleans():
    data = load_yaml("particle: [for, on, upon, off]\ncodes: [NO, yes, n]\nflag: true\nother: False\n")
    assert data == {"particle": ["for", "on", "upon", "off"], "codes": ["NO", "yes", "n"], "flag": True, "other": False}


def test_event_patterns_keep_the_particle_on():
    patterns = {p.rule: p for p in load_patterns().patterns}
    assert "on" in patterns["request.call_for"].particle
    assert not any(True in p.particle or "true" in p.particle for p in patterns.values())


def test_call_on_someone_to_act_is_a_request(code):
    doc = code("The African Union called on Sudan's generals to end the fighting.")
    assert "REQUEST" in {e.event_type for e in doc.events}
