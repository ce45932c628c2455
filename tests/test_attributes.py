"""Stage 4 attributes owned by the coder: quantities and attribution (dates and places have their own tests)."""

from __future__ import annotations


def _q(doc):
    return {(q.value, q.qualifier, q.kind, q.actor_country, q.location_country) for q in doc.quantities}


def test_quantities_with_qualifiers_units_actor_and_place(code):
    doc = code("France has roughly 1,200 troops in Mali and 600 in Chad.")
    found = _q(doc)
    assert (1200, "about", "personnel", "FRA", "MLI") in found
    assert any(v == 600 and loc == "TCD" for v, _, _, _, loc in found)


def test_quantity_kinds_from_context(code):
    doc = code("More than 40 people were killed and dozens injured when a bus bomb exploded in Peshawar.")
    kinds = {(q.value, q.qualifier, q.kind) for q in doc.quantities}
    assert (40, "more_than", "killed") in kinds
    assert any(q.qualifier == "about" and q.kind == "injured" for q in doc.quantities)


def test_years_dates_and_percentages_are_not_quantities(code):
    doc = code("In 2019 the tariff rose by 25 percent on 3 May.")
    assert doc.quantities == []


def test_number_words_and_scales(code):
    doc = code("Aid agencies said two million people had fled the fighting.")
    assert any(q.value == 2_000_000 and q.kind in ("displaced", "people") for q in doc.quantities)


def test_according_to_a_report_by_an_outlet(code):
    doc = code("According to a report by Al Jazeera, the Sudanese army retook the bridge on Thursday.")
    assert any("Al Jazeera" in (a.name or "") and a.kind == "media" for a in doc.attributions)
    events = [e for e in doc.events if e.attribution]
    assert all("Al Jazeera" in e.attribution.name for e in events)


def test_reported_speech_attributes_the_clause_to_the_speaker(code):
    doc = code("Gunmen abducted 12 farmers in Zamfara, a police spokesman said on Sunday.")
    assert any(a.kind in ("government", "official", "anonymous", "organisation") for a in doc.attributions)
    assaults = [e for e in doc.events if e.event_type == "ASSAULT"]
    assert assaults and assaults[0].attribution is not None and "spokesman" in assaults[0].attribution.text
    assert assaults[0].mode == "abduct"
