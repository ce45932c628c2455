"""Participants the text leaves implicit or names in awkward places (issue 10.3, issue 11.5).

Every sentence here is written for these tests. Rules live in ``data/patterns/participants.yaml``:
the article's country for actors known only by description, implied state sources for agentless
acts only a state does, unknown sources for other agentless passives, symmetric meetings, one event
per act; and in the slots and coreference: shared by-agents of coordinated passives, the doer inside
an act noun, subject-first pronoun resolution, the other side's country not given to an actor.
"""

from __future__ import annotations

import pytest

from eventwire.export import event_rows, to_plover
from eventwire.schemas.events import check_participants


def _events(doc, event_type):
    return [e for e in doc.events if e.event_type == event_type]


def _actor(actors, word):
    return next(a for a in actors if word in a.text.lower())


# ---------------------------------------------------------------- implied and unknown sources
@pytest.mark.parametrize("text, event_type, country, sector", [
    ("Dozens of students were detained in Lagos on Sunday after the rally.", "COERCE", "NGA", "COP"),
    ("A curfew was imposed in Kampala after the riots.", "COERCE", "UGA", "GOV"),
    ("The farms of three exiled businessmen were confiscated in Harare.", "COERCE", "ZWE", "GOV"),
    ("Thousands of riot police were deployed across Santiago on Friday.", "MOBILIZE", "CHL", "GOV"),
    ("The night curfew in Kampala was lifted on Sunday.", "CONCEDE", "UGA", "GOV"),
    ("Three opposition senators were charged with treason in Kinshasa.", "ACCUSE", "COD", "JUD"),
])
def test_an_agentless_state_act_has_an_implied_state_source(code, text, event_type, country, sector):
    doc = code(text)
    [ev] = _events(doc, event_type)
    [src] = ev.source
    assert (src.kind, src.country, src.sector, src.start) == ("implied", country, sector, None)


def test_an_agent_in_the_text_outranks_the_implied_source(code):
    doc = code("Dozens of students were detained by the militia in northern Mali.")
    [ev] = _events(doc, "COERCE")
    assert [a.kind for a in ev.source] != ["implied"] and "militia" in ev.source[0].text


def test_an_agentless_passive_keeps_an_unknown_source_instead_of_being_dropped(code):
    doc = code("The old railway bridge was bombed overnight.")
    [ev] = _events(doc, "ASSAULT")
    assert [a.kind for a in ev.source] == ["unknown"] and ev.source[0].country is None


def test_implied_and_unknown_sources_are_marked_in_explain_and_exports(coder, code):
    doc = code("A curfew was imposed in Kampala after the riots.")
    [ev] = _events(doc, "COERCE")
    record = to_plover(ev, doc)
    assert record["actor"][0]["implied"] is True and record["actor"][0]["code"] == "UGA"
    [row] = [r for r in event_rows(doc) if r["event_id"] == ev.event_id]
    assert row["source"].endswith("(implied)")
    notes = [t for s in coder.last_explanation.sentences for t in s["triggers"] if t["status"] == "coded"]
    assert any("(implied)" in str(s) for n in notes for s in n["source"])


# ---------------------------------------------------------------- the article's country
def test_an_actor_known_only_by_description_takes_the_articles_country(code):
    doc = code("NAIROBI, Kenya - Kenya's parliament opened a new session on Tuesday. Kenyan opposition leaders "
               "walked out of the chamber. Later that day, soldiers fired tear gas at protesters outside.")
    [ev] = [e for e in doc.events if e.trigger.text == "fired"]
    assert _actor(ev.source, "soldiers").country == "KEN"


def test_no_article_country_when_none_leads(code):
    doc = code("Peru and Chile signed a fishing accord. Later, soldiers fired on a crowd.")
    fired = [e for e in doc.events if e.trigger.text == "fired"]
    assert all(a.country is None for e in fired for a in e.source if "soldiers" in a.text)


def test_the_other_sides_country_is_not_given_to_an_actor(code):
    doc = code("Fighting went on in Aleppo and Idlib all week. Syrian families fled the shelling. "
               "Residents are asking Turkey for help.")
    [ev] = [e for e in doc.events if e.trigger.text == "asking"]
    assert _actor(ev.source, "residents").country != "TUR"


def test_a_named_or_counted_victim_the_dictionaries_do_not_know_is_kept(code):
    doc = code("Peter Okello was arrested in Kampala on Monday, Ugandan police said.")
    [ev] = _events(doc, "COERCE")
    victim = _actor(ev.target, "okello")
    assert (victim.kind, victim.country) == ("unresolved", "UGA")


# ---------------------------------------------------------------- roles
def test_a_meeting_lists_every_party_as_source_but_a_visit_keeps_its_host(code):
    doc = code("The Egyptian foreign minister met his Jordanian counterpart on Monday.")
    [ev] = _events(doc, "CONSULT")
    assert {"EGY", "JOR"} <= {a.country for a in ev.source} and not ev.target
    doc = code("The French president visited Senegal on Monday.")
    [ev] = _events(doc, "CONSULT")
    assert "SEN" in {a.country for a in ev.target}


def test_coordinated_passives_share_their_agent(code):
    doc = code("Hundreds of villagers were detained and tortured by the militia last year.")
    for event_type in ("COERCE", "ASSAULT"):
        [ev] = _events(doc, event_type)
        assert "militia" in ev.source[0].text, event_type
        assert "villagers" in ev.target[0].text, event_type


def test_the_doer_inside_an_act_noun_is_the_verbs_source(code):
    doc = code("A wave of airstrikes by Russian jets killed 30 fighters near Palmyra.")
    [ev] = _events(doc, "ASSAULT")
    assert {a.country for a in ev.source} == {"RUS"}


def test_a_subject_pronoun_refers_to_the_topic_not_the_nearer_object(code):
    doc = code("Emmanuel Macron met Vladimir Putin at the summit on Monday. He urged the Russian leader to "
               "withdraw his troops.")
    [ev] = _events(doc, "REQUEST")
    assert {a.country for a in ev.source} == {"FRA"}


# ---------------------------------------------------------------- one act, one event
def test_one_trigger_word_codes_one_event(code):
    doc = code("Government troops have kept the northern town under siege since March.")
    assert len([e for e in doc.events if e.trigger.text == "siege"]) == 1


def test_an_attack_noun_and_its_verb_are_one_act(code):
    doc = code("Turkish airstrikes killed nine villagers near the border on Sunday.")
    [ev] = _events(doc, "ASSAULT")
    assert {a.country for a in ev.source} == {"TUR"} and ev.target


# ---------------------------------------------------------------- the data file's checks
def test_the_participants_file_is_checked_against_the_ontology():
    data = {"article_country": {"min_mentions": 2, "min_lead": 1.5, "lead_weight": 2},
            "implied_sources": [{"event_type": "COERCE", "modes": ["arrets"], "text": "police", "name": "Police",
                                 "sector": "COP"},
                                {"event_type": "ARREST", "text": "police", "name": "Police", "sector": "COP"}],
            "unknown_source": {"text": "unknown", "name": "Unknown", "sector": "XYZ"}}
    problems = [msg for _, msg in check_participants(data)]
    assert any("arrets" in m for m in problems)
    assert any("ARREST" in m for m in problems)
    assert any("XYZ" in m for m in problems)


def test_a_nouns_recipient_may_hang_on_its_of_phrase(code):
    # "an accusation of aggression against X": the parser attaches the against-phrase to the of-object
    doc = code("Bolivia made an accusation of espionage against Peru on Monday.")
    [ev] = _events(doc, "ACCUSE")
    assert {a.country for a in ev.target} == {"PER"}


def test_supplying_a_recipient_with_goods_is_aid_to_that_recipient(code):
    doc = code("Norway supplied Moldova with fuel and generators last winter.")
    [ev] = _events(doc, "AID")
    assert ({a.country for a in ev.source}, {a.country for a in ev.target}) == ({"NOR"}, {"MDA"})
