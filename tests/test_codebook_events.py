"""The codebook patterns (data/patterns/codebook.yaml) and by-object CAMEO codes on sentences of our own:
everyday acts that running news reports (phone calls, visits, sexual violence, enslavement, named
offensives) and the CAMEO codes a pattern's object selects. None comes from an evaluation set."""

from __future__ import annotations

import pytest


def _one(doc, event_type):
    found = [e for e in doc.events if e.event_type == event_type]
    assert len(found) == 1, [(e.event_type, e.rule, e.trigger.text) for e in doc.events]
    return found[0]


def _countries(actors):
    return {a.country for a in actors}


# ---------------------------------------------------------------- phone calls
@pytest.mark.parametrize("text", [
    "The Egyptian president spoke by phone with the Jordanian king on Wednesday.",
    "Egypt's president spoke to Jordan's King Abdullah by telephone about the border.",
    "The Egyptian president spoke with the Jordanian king over the phone late on Wednesday.",
])
def test_spoke_by_phone_is_a_phone_consultation(code, text):
    ev = _one(code(text), "CONSULT")
    assert (ev.mode, ev.cameo) == ("phone", "041")
    assert _countries(ev.source) == {"EGY"} and _countries(ev.target) == {"JOR"}


def test_a_phone_call_with_is_a_phone_consultation(code):
    ev = _one(code("The German chancellor held a phone call with the Polish prime minister on Friday."), "CONSULT")
    assert (ev.mode, ev.cameo) == ("phone", "041")
    assert _countries(ev.source) == {"DEU"} and _countries(ev.target) == {"POL"}


def test_speaking_at_a_news_conference_is_no_phone_call(code):
    doc = code("The Egyptian president spoke at a news conference in Cairo on Wednesday.")
    assert not [e for e in doc.events if e.mode == "phone"]


# ---------------------------------------------------------------- visits and tours
def test_a_visit_noun_is_a_visit(code):
    ev = _one(code("The Kenyan president's visit to Uganda was cut short."), "CONSULT")
    assert (ev.mode, ev.cameo) == ("visit", "042")
    assert _countries(ev.source) == {"KEN"} and _countries(ev.target) == {"UGA"}


def test_a_trip_made_to_a_country_is_a_visit(code):
    ev = _one(code("The Brazilian foreign minister made a three-day trip to Argentina last week."), "CONSULT")
    assert (ev.mode, ev.cameo) == ("visit", "042")
    assert _countries(ev.source) == {"BRA"} and _countries(ev.target) == {"ARG"}


def test_toured_a_place_is_a_visit_to_its_country(code):
    ev = _one(code("The Canadian prime minister toured flooded districts in Bangladesh on Monday."), "CONSULT")
    assert ev.mode == "visit" and _countries(ev.source) == {"CAN"} and _countries(ev.target) == {"BGD"}


def test_hosting_a_counterpart_is_hosting_a_visit(code):
    ev = _one(code("The Vietnamese president hosted his Laotian counterpart in Hanoi."), "CONSULT")
    assert ev.cameo == "043" and _countries(ev.source) == {"VNM"}


# ---------------------------------------------------------------- sexual violence and enslavement
def test_rape_by_soldiers_is_sexual_assault(code):
    ev = _one(code("Congolese soldiers raped dozens of women in the town, a UN report said."), "ASSAULT")
    assert (ev.mode, ev.cameo) == ("sexual", "1821")
    assert _countries(ev.source) == {"COD"} and ev.source[0].sector == "MIL"


def test_sexual_violence_as_a_noun_is_sexual_assault(code):
    ev = _one(code("Ethiopian militias carried out widespread sexual violence against women in Tigray."), "ASSAULT")
    assert (ev.mode, ev.cameo) == ("sexual", "1821")
    assert _countries(ev.source) == {"ETH"}


def test_sexually_assaulted_takes_the_sexual_code(code):
    ev = _one(code("Russian guards sexually assaulted Ukrainian prisoners, investigators said."), "ASSAULT")
    assert (ev.mode, ev.cameo) == ("sexual", "1821")
    assert _countries(ev.source) == {"RUS"}


def test_enslavement_is_an_abduction(code):
    ev = _one(code("Boko Haram fighters enslaved hundreds of girls from Nigerian villages."), "ASSAULT")
    assert (ev.mode, ev.cameo) == ("abduct", "181")
    assert ev.source and ev.source[0].sector == "REB"


# ---------------------------------------------------------------- offensives named as nouns
def test_a_launched_assault_on_a_town_is_coded_with_its_attacker(code):
    ev = _one(code("Turkish forces launched an assault on Afrin on Saturday."), "ASSAULT")
    assert _countries(ev.source) == {"TUR"} and _countries(ev.target) == {"SYR"}


def test_an_offensive_against_a_group_is_an_attack_on_it(code):
    ev = _one(code("The Iraqi army began an offensive against Islamic State in Mosul."), "ASSAULT")
    assert _countries(ev.source) == {"IRQ"}
    assert ev.target and "IRQ" not in {a.country for a in ev.target if a.sector == "MIL"}


# ---------------------------------------------------------------- CAMEO codes chosen by the object
@pytest.mark.parametrize(("text", "event_type", "cameo"), [
    ("Germany supplied anti-tank weapons to Ukraine.", "AID", "072"),
    ("Saudi Arabia delivered food and medicine to Yemen.", "AID", "073"),
    ("The World Bank gave a $500m loan to Kenya.", "AID", "071"),
    ("The Nigerian government called for the release of the abducted students.", "REQUEST", "1053"),
    ("The EU urged Belarus to lift its restrictions on the press.", "REQUEST", "1051"),
    ("Venezuela rejected the Brazilian proposal for direct talks.", "REJECT", "125"),
    ("China vetoed the draft resolution on Myanmar.", "REJECT", "129"),
    ("Algeria threatened to cut diplomatic ties with Morocco.", "THREATEN", "1313"),
    ("Thousands of Peruvians protested against the new mining law.", "PROTEST", "1412"),
    ("Spain accused Morocco of espionage.", "ACCUSE", "1125"),
    ("Turkey shared intelligence with Sweden.", "COOPERATE", "064"),
    ("Qatar offered to mediate between Sudan and Chad.", "AGREE", "039"),
])
def test_the_object_selects_the_cameo_code(code, text, event_type, cameo):
    ev = _one(code(text), event_type)
    assert ev.cameo == cameo


def test_a_code_table_entry_adds_its_contexts(code):
    ev = _one(code("Germany supplied anti-tank weapons to Ukraine."), "AID")
    assert "military" in ev.context


@pytest.mark.parametrize(("text", "event_type", "cameo", "mode"), [
    ("The Thai army declared martial law in Bangkok.", "COERCE", "1724", "martial-law"),
    ("The Kenyan government lifted the curfew in Mombasa.", "CONCEDE", "0813", None),
    ("Bangladesh banned the main opposition party.", "COERCE", "1722", "restrict"),
    ("Mali expelled the UN peacekeepers.", "SANCTION", "1661", "expel"),
    ("North Korea test-fired a ballistic missile on Sunday.", "MOBILIZE", "150", "weapons"),
    ("Sudanese troops drove thousands of villagers out of their homes.", "ASSAULT", "201", None),
])
def test_codebook_patterns_code_their_crosswalk_reading(code, text, event_type, cameo, mode):
    ev = _one(code(text), event_type)
    assert (ev.cameo, ev.mode) == (cameo, mode)


@pytest.mark.parametrize("text", [
    "The minister spoke at length on the phone about her childhood.",  # no partner: no consultation
    "The company plans to test a new engine next year.",  # a test that is no weapon
    "The bank froze the interest rate for another month.",  # freezing a rate seizes no property
    "Fans banned from the stadium watched the match at home.",
])
def test_ordinary_uses_of_new_triggers_code_nothing_new(code, text):
    doc = code(text)
    assert not [e for e in doc.events if e.rule.split("+")[0] in {
        "consult.by_phone", "mobilize.test_fire", "coerce.seize_property", "coerce.ban_party"}]
