"""Stage 5, events: trigger patterns, argument slots, voice, nominal and coordinated events,
control verbs, reported speech, modality, and sentences that must yield no event.
Sentences are the project's own; none comes from an evaluation set."""

from __future__ import annotations

import pytest

from eventwire.errors import DataFileError
from eventwire.events import load_patterns


def _events(doc, event_type=None):
    return [e for e in doc.events if event_type is None or e.event_type == event_type]


def _countries(actors):
    return {a.country for a in actors}


def test_active_voice_with_mode_place_date_and_casualties_merged(code):
    doc = code("Russian forces shelled the city of Kharkiv on Tuesday, killing at least 12 civilians, Ukrainian officials said.")
    [ev] = _events(doc, "ASSAULT")
    assert ev.mode == "heavy-weapons" and ev.modality == "asserted"
    assert _countries(ev.source) == {"RUS"} and ev.source[0].sector == "MIL"
    assert any(pl.name == "Kharkiv" for pl in ev.locations)
    assert ev.date.value == "2024-03-12" and ev.date.precision == "day"
    assert [(q.value, q.qualifier, q.kind) for q in ev.quantities] == [(12, "at_least", "killed")]
    assert ev.rule == "assault.verb" and doc.text[ev.trigger.start:ev.trigger.end] == "shelled"


def test_passive_voice_swaps_roles(code):
    doc = code("The Nigerian army was attacked by Boko Haram fighters near Maiduguri last week.")
    [ev] = _events(doc)
    assert ev.event_type == "ASSAULT"
    assert {a.sector for a in ev.source} == {"REB"} and {(a.country, a.sector) for a in ev.target} == {("NGA", "MIL")}
    assert ev.date.precision == "week" and ev.date.value == "2024-03-04"


def test_nominal_event_with_on_and_by_phrases(code):
    doc = code("A wave of attacks on Kurdish villages by Turkish drones was reported in northern Iraq.")
    assaults = _events(doc, "ASSAULT")
    assert assaults and assaults[0].mode == "drone"


def test_nominal_trigger_without_arguments_is_not_an_event(code):
    doc = code("The attacks were discussed at length in the documentary.")
    assert not _events(doc, "ASSAULT")


def test_coordinated_nominal_objects_give_two_events(code):
    doc = code("Washington responded with airstrikes and sanctions after the embassy was stormed.")
    types = {e.event_type: e for e in doc.events if e.trigger.text in ("airstrikes", "sanctions")}
    assert set(types) == {"ASSAULT", "SANCTION"}
    assert types["ASSAULT"].mode == "aerial"
    assert _countries(types["SANCTION"].source) == {"USA"}


def test_subject_inherited_through_coordinated_verbs(code):
    doc = code("Ankara condemned the bombing and accused the PKK of orchestrating it.")
    accusations = _events(doc, "ACCUSE")
    assert len(accusations) == 2 and all(_countries(e.source) == {"TUR"} for e in accusations)
    assert any({a.sector for a in e.target} == {"REB"} for e in accusations)


def test_control_verb_threat_with_explicit_target(code):
    doc = code("The Houthis vowed to retaliate against the United States.")
    [ev] = _events(doc)
    assert ev.event_type == "THREATEN" and _countries(ev.target) == {"USA"} and ev.modality == "asserted"


def test_retaliation_target_from_discourse(code):
    doc = code("Israel accused Hezbollah of firing rockets at Haifa. Hezbollah denied the charge and vowed to retaliate.")
    threats = _events(doc, "THREATEN")
    assert threats and _countries(threats[0].target) == {"ISR"}
    rejects = _events(doc, "REJECT")
    assert rejects and rejects[0].modality == "asserted"


def test_request_from_reported_speech_with_pronoun_source(code):
    doc = code("Colombian President Gustavo Petro said on Monday that he wants the release of all hostages held by the ELN.")
    requests = _events(doc, "REQUEST")
    assert requests and _countries(requests[0].source) == {"COL"} and requests[0].source[0].sector == "GOV"


def test_call_for_is_request_and_relative_pronoun_subject(code):
    doc = code("Protesters gathered outside the parliaments of Chile and Peru, which have called for new elections.")
    requests = _events(doc, "REQUEST")
    assert requests and {"CHL", "PER"} <= _countries(requests[0].source)


def test_deployment_needs_military_object(code):
    assert _events(code("Pakistan will deploy 2,000 troops to the border next month."), "MOBILIZE")
    assert not _events(code("Pakistan will send a letter to the United Nations."), "MOBILIZE")


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("Police did not arrest any protesters in Nairobi.", "negated"),
        ("Pakistan will deploy 2,000 troops to the border next month.", "future"),
        ("Iran could attack Israel if the talks fail.", "hypothetical"),
        ("If Serbia invaded Kosovo, NATO would respond.", "hypothetical"),
        ("Thousands of protesters rallied against the government in Belgrade on Saturday.", "asserted"),
    ],
)
def test_modality(code, text, modality):
    doc = code(text)
    assert doc.events, text
    assert doc.events[0].modality == modality


def test_purpose_infinitive_is_not_asserted(code):
    doc = code("Kenya sent police officers to Haiti to fight the gangs.")
    fights = [e for e in doc.events if e.trigger.text == "fight"]
    assert fights and fights[0].modality == "hypothetical"
    assert any(e.event_type == "MOBILIZE" and e.modality == "asserted" for e in doc.events)


@pytest.mark.parametrize(
    "text",
    [
        "The weather in Paris was sunny and warm on Sunday.",
        "The company reported record profits for the third quarter.",
        "Brazil has about 360,000 active soldiers.",
        "She released her new album in May.",
    ],
)
def test_sentences_without_events(code, text):
    assert code(text).events == []


def test_event_has_scores_codes_and_stable_id(code):
    text = "China imposed sanctions on five American defence companies on Friday."
    first, second = code(text), code(text)
    [ev] = _events(first, "SANCTION")
    assert ev.quad_class == 4 and ev.goldstein < 0 and ev.cameo.startswith("16")
    assert _countries(ev.target) == {"USA"}
    assert [e.event_id for e in first.events] == [e.event_id for e in second.events]


def test_publication_date_is_the_fallback_date(code):
    doc = code("India expelled two Pakistani diplomats.", published="2024-05-02")
    [ev] = doc.events
    assert ev.date.value == "2024-05-02" and ev.date.text is None
    assert _countries(ev.target) == {"PAK"}


def test_pattern_file_is_validated(tmp_path):
    from eventwire.resources import Resources, bundled_dir

    bad = tmp_path / "patterns" / "events.yaml"
    bad.parent.mkdir()
    text = (bundled_dir() / "patterns" / "events.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("event_type: ASSAULT", "event_type: EXPLODE", 1), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"events.yaml:\d+: unknown PLOVER type 'EXPLODE'"):
        load_patterns(Resources(data_dir=tmp_path))


def test_every_pattern_type_exists_in_ontology():
    patterns = load_patterns()
    assert {p.event_type for p in patterns.patterns} <= set(patterns.ontology)
    assert len({p.rule for p in patterns.patterns}) == len(patterns.patterns)


def test_contexts_from_sentence_cues_and_actor_sectors(code):
    doc = code("The Pentagon said Islamic State fighters attacked a refugee camp in Hasakah.")
    [ev] = [e for e in doc.events if e.event_type == "ASSAULT"]
    assert "terrorism" in ev.context and "migration" in ev.context
    doc = code("Ali Shia Rahimi criticized the new tariff on steel.")
    assert all("religion_ethnicity" not in e.context for e in doc.events)


def test_stated_intention_to_cooperate_is_agree(code):
    doc = code("Norway promised to send medical teams to Ukraine.")
    assert any(e.event_type == "AGREE" and _countries(e.source) == {"NOR"} for e in doc.events)
    doc = code("Japan will support Vietnam's bid to join the trade pact, the foreign ministry said.")
    assert any(e.event_type == "AGREE" and e.rule.endswith("+intent") for e in doc.events)


def test_announced_sanctions_are_a_threat(code):
    doc = code("Canada will impose sanctions on Belarus next week.")
    assert any(e.event_type == "THREATEN" and e.mode == "restrict" for e in doc.events)


def test_easing_restrictions_and_blocking_roads(code):
    assert any(e.event_type == "CONCEDE" for e in code("Myanmar's junta lifted the curfew in Yangon.").events)
    doc = code("Farmers blocked highways near Warsaw to protest against grain imports.")
    assert any(e.event_type == "PROTEST" and e.mode == "obstruct" for e in doc.events)


def test_actor_descriptions_and_charge_content_are_not_events(code):
    doc = code("Militias supported by Moscow will grow stronger. Chad accused Sudan of arming the rebels.")
    assert [e.event_type for e in doc.events] == ["ACCUSE"]
    assert _countries(doc.events[0].target) == {"SDN"}


def test_reported_must_is_a_request(code):
    doc = code("The German chancellor said Russia must withdraw its troops from Moldova.")
    requests = [e for e in doc.events if e.event_type == "REQUEST"]
    assert requests and _countries(requests[0].target) == {"RUS"}


def test_target_from_the_owner_of_the_object(code):
    doc = code("Ghana rejected a Nigerian proposal on the border.")
    [ev] = [e for e in doc.events if e.event_type == "REJECT"]
    assert _countries(ev.target) == {"NGA"}
    doc = code("Students staged a hunger strike to demand the resignation of the Peruvian president.")
    [ev] = [e for e in doc.events if e.event_type == "PROTEST"]
    assert ev.mode == "hunger" and _countries(ev.target) == {"PER"}


def test_refusing_to_cooperate_is_reject(code):
    doc = code("Hungary said it would not accept the migrants from Greece.")
    assert any(e.event_type == "REJECT" and e.rule.endswith("+refusal") and _countries(e.source) == {"HUN"}
               for e in doc.events)
    assert all(e.event_type != "AGREE" for e in doc.events)


def test_attempted_attack_is_asserted(code):
    doc = code("Gunmen attempted to assassinate the governor of Kandahar on Friday.")
    assaults = [e for e in doc.events if e.event_type == "ASSAULT"]
    assert assaults and assaults[0].modality == "asserted"


def test_order_to_act_is_a_request(code):
    doc = code("A Kenyan court ordered the police to release the activists.")
    assert any(e.event_type == "REQUEST" and e.rule == "request.order" for e in doc.events)


def test_would_under_a_past_reporting_verb_is_a_stated_intention(code):
    doc = code("Vietnam said on Monday it would release 40 Cambodian fishermen held since May.")
    [ev] = _events(doc)
    assert ev.event_type == "AGREE" and ev.modality == "asserted" and ev.rule.endswith("+intent")
    threat = code("Turkey said it would impose sanctions on Cyprus.")
    assert [e.event_type for e in threat.events] == ["THREATEN"]
    # "would" with no reporting verb stays hypothetical
    hypo = code("A ceasefire would allow aid convoys to reach Aleppo.")
    assert all(e.modality != "asserted" for e in hypo.events)


def test_events_inside_if_until_and_before_clauses_are_not_asserted(code):
    doc = code("Chilean miners will stay on strike until the company raises their wages, the union said.")
    assert all(e.modality != "asserted" for e in doc.events if e.trigger.text == "raises")
    doc = code("The rebels said the army must withdraw before they disarm.")
    assert [e.modality for e in doc.events if e.trigger.text == "disarm"] == ["hypothetical"]
    past = code("Government troops shelled the town before the rebels withdrew from it on Friday.")
    assert [e.modality for e in past.events if e.trigger.text == "withdrew"] in ([], ["asserted"])


def test_unless_turns_an_intention_into_a_threat(code):
    doc = code("Kenya will pull its peacekeepers out of Somalia unless the African Union pays their salaries.")
    assert [e.event_type for e in doc.events if e.modality == "asserted"] == ["THREATEN"]
    doc = code("The European Union may suspend trade talks with Thailand if the junta delays the elections, a spokesman said.")
    assert "THREATEN" in {e.event_type for e in doc.events if e.modality == "asserted"}
    # a writer's speculation with no one reported as saying it is no threat
    doc = code("The European Union may suspend trade talks with Thailand if the junta delays the elections.")
    assert "THREATEN" not in {e.event_type for e in doc.events}


def test_background_acts_nested_in_phrases_and_clauses_are_dropped(code):
    doc = code("The Houthis declared a truce on Monday after three weeks of clashes with Saudi forces.")
    assert "ASSAULT" not in {e.event_type for e in doc.events}
    doc = code("Kurdish lawmakers walked out of parliament in protest at the arrest of two mayors.")
    assert "COERCE" not in {e.event_type for e in doc.events}
    doc = code("The minister resigned on Friday after he was accused of taking bribes.")
    assert "ACCUSE" not in {e.event_type for e in doc.events}


def test_relative_clauses_keep_acts_of_actors_and_drop_descriptions_of_things(code):
    doc = code("Chad backed a resolution that imposes sanctions on Sudan.")
    assert "SANCTION" not in {e.event_type for e in doc.events if e.modality == "asserted"}
    doc = code("Nigerian troops pursued the militants, who attacked a police station in Borno on Sunday.")
    assert any(e.event_type == "ASSAULT" and e.trigger.text == "attacked" for e in doc.events)


def test_one_trigger_codes_one_reading_the_most_constrained(code):
    doc = code("Ghana summoned the Togolese ambassador on Tuesday to protest the border closure.")
    assert [e.event_type for e in doc.events if e.trigger.text == "summoned"] == ["ACCUSE"]
    doc = code("The Red Cross suspended aid deliveries to Tigray after a convoy was looted.")
    assert [e.event_type for e in doc.events if e.trigger.text == "suspended"] == ["SANCTION"]


def test_demanded_content_is_not_asserted(code):
    doc = code("The African Union repeated its demand that Mali lift the curfew in Bamako.")
    assert all(e.modality != "asserted" for e in doc.events if e.trigger.text == "lift")


def test_readiness_offers_and_openings_are_coded(code):
    doc = code("The Colombian president said he is prepared to meet ELN commanders in Havana.")
    assert [e.event_type for e in doc.events if e.modality == "asserted"] == ["AGREE"]
    doc = code("Egypt reopened the Rafah crossing to let aid trucks into Gaza.")
    assert any(e.event_type == "RETREAT" and e.mode == "access" for e in doc.events)
    doc = code("Turkey offered its airbases to the coalition.")
    assert [e.event_type for e in doc.events] == ["AGREE"]
    doc = code("Japanese volunteers handed over 300 tons of rice to the World Food Programme.")
    assert [e.event_type for e in doc.events] == ["AID"]


def test_labour_strikes_are_protests_and_names_are_not_triggers(code):
    doc = code("Nigerian doctors began an indefinite strike over unpaid salaries.")
    assert [(e.event_type, e.mode) for e in doc.events] == [("PROTEST", "strike")]
    doc = code("The ceasefire signed in March 2019 has held, Sudanese officials said.")
    assert not any(e.trigger.text == "March" for e in doc.events)


def test_subjunctive_that_clause_is_not_asserted(code):
    doc = code("Amnesty renewed its call on Monday that Egypt release the detained journalists.")
    assert doc.events and all(e.modality != "asserted" for e in doc.events if e.trigger.text == "release")


def test_a_place_acted_on_stands_in_for_a_missing_target(code):
    doc = code("The Malian junta imposed a curfew in Bamako on Friday.")
    [ev] = [e for e in doc.events if e.event_type == "COERCE"]
    assert [(a.country, a.kind) for a in ev.target] == [("MLI", "place")]


def test_domestic_actor_without_nationality_takes_the_one_country_of_its_sentence(code):
    doc = code("Judge Maria Lopez opened an investigation into three Peruvian mayors.")
    [ev] = [e for e in doc.events if e.event_type == "ACCUSE"]
    assert [(a.country, a.sector) for a in ev.source] == [("PER", "JUD")]
    assert ev.source[0].entry.endswith("+sentence-country")
    # two countries named: no guess
    doc = code("Judge Maria Lopez opened an investigation into Bolivian and Peruvian mayors.")
    [ev] = [e for e in doc.events if e.event_type == "ACCUSE"]
    assert ev.source[0].country is None


def test_uncoded_named_subject_keeps_the_event(code):
    doc = code("The Zapatista Front demonstrated in San Cristobal on Sunday, witnesses said.")
    [ev] = [e for e in doc.events if e.event_type == "PROTEST"]
    assert ev.source[0].kind == "unresolved" and "Zapatista" in ev.source[0].text
    # a document is no agent
    doc = code("The plan envisages talks, officials said.")
    assert not [e for e in doc.events if any(a.kind == "unresolved" for a in e.source)]


def test_demand_voiced_by_protesters_is_part_of_the_protest(code):
    doc = code("Thousands of Chilean students marched in Santiago on Thursday demanding free education.")
    assert [e.event_type for e in doc.events] == ["PROTEST"]


def test_peacekeepers_are_aid_and_readying_an_attack_is_mobilization(code):
    doc = code("Rwanda deployed 400 peacekeepers to the Central African Republic.")
    assert [(e.event_type, e.cameo) for e in doc.events] == [("AID", "074")]
    doc = code("The Ethiopian army was preparing to attack Mekelle, diplomats said.")
    assert [e.event_type for e in doc.events if e.modality == "asserted"] == ["MOBILIZE"]
    doc = code("Myanmar's junta has trained thousands of new conscripts.")
    assert [e.event_type for e in doc.events] == ["MOBILIZE"]
    doc = code("British instructors trained Ukrainian soldiers.")
    assert [e.event_type for e in doc.events] == ["AID"]


def test_targets_from_clauses_prepositions_and_not_from_describing_adjectives(code):
    doc = code("Venezuelan exiles said they would boycott all official contact with Cuba.")
    [ev] = [e for e in doc.events if e.event_type == "THREATEN"]
    assert {a.country for a in ev.target} == {"CUB"}
    doc = code("The Kurds of northern Iraq are demanding autonomy from Iraqi authorities.")
    [ev] = [e for e in doc.events if e.event_type == "REQUEST"]
    assert "IRQ" in {a.country for a in ev.target}
    doc = code("Amnesty International reiterated its demand on Friday that Egypt free the bloggers.")
    [ev] = [e for e in doc.events if e.event_type == "REQUEST"]
    assert {a.country for a in ev.target} == {"EGY"}
    # a compound owner is a recipient ("police stations"), a describing adjective is not
    doc = code("Gunmen attacked police stations in Kano.")
    [ev] = [e for e in doc.events if e.event_type == "ASSAULT"]
    assert "COP" in {a.sector for a in ev.target}


def test_stative_participles_documents_walkouts_returns_and_body_sessions(code):
    doc = code("Ghana is committed to supporting the transition in Burkina Faso.")
    [ev] = [e for e in doc.events if e.modality == "asserted"]
    assert ev.event_type == "AGREE" and {a.country for a in ev.source} == {"GHA"}
    doc = code("Egypt is opposed to Ethiopian control of the Nile.")
    [ev] = [e for e in doc.events if e.event_type == "REJECT"]
    assert {a.country for a in ev.source} == {"EGY"}
    doc = code("Miners in Bolivia stopped work on Monday.")
    assert [(e.event_type, e.mode) for e in doc.events] == [("PROTEST", "strike")]
    doc = code("Azerbaijan returned 15 captured villages to Armenian control.")
    assert [e.event_type for e in doc.events] == ["RETREAT"]
    doc = code("Thailand's cabinet met on Tuesday.")
    assert not doc.events
    doc = code("The prime ministers of India and Pakistan met on Tuesday.")
    assert [e.event_type for e in doc.events] == ["CONSULT"]
    doc = code("The French president sent a letter to Iran that it must release the detained diplomats.")
    assert "REQUEST" in {e.event_type for e in doc.events if e.modality == "asserted"}


def test_ceasefire_violations_expelled_agencies_and_allowed_opposition(code):
    doc = code("Ethiopian troops violated the truce on Sunday.")
    assert "ASSAULT" in {e.event_type for e in doc.events}
    doc = code("Burundi forced the UN human rights office out of the country.")
    assert [(e.event_type, e.mode) for e in doc.events] == [("SANCTION", "expel")]
    doc = code("Bolivian police forced the protesters out of the square.")
    assert [(e.event_type, e.mode) for e in doc.events] == [("COERCE", "deport")]
    doc = code("The Egyptian interior minister allowed opposition leaders to hold a rally in Cairo.")
    assert "CONCEDE" in {e.event_type for e in doc.events}
    doc = code("The Cambodian Election Observers forum has agreed to monitor the vote.")
    assert [e.source[0].kind for e in doc.events if e.event_type == "AGREE"] == ["unresolved"]


def test_recipient_is_the_owner_of_a_prepositional_object(code):
    doc = code("Morocco is opposed to Algerian mediation in the dispute.")
    [ev] = [e for e in doc.events if e.event_type == "REJECT"]
    assert {a.country for a in ev.target} == {"DZA"}
    doc = code("Kenyan riots against Ugandan border policies continued on Friday.")
    [ev] = [e for e in doc.events if e.event_type == "PROTEST"]
    assert "UGA" in {a.country for a in ev.target}


def test_attack_without_a_named_perpetrator_is_an_unidentified_armed_group_of_the_place(code):
    doc = code("A roadside bomb killed four soldiers near Kandahar on Monday.")
    [ev] = [e for e in doc.events if e.event_type == "ASSAULT"]
    assert [(a.country, a.sector, a.kind) for a in ev.source] == [("AFG", "UAF", "unidentified")]


def test_prepositional_recipient_hung_on_the_support_verb_or_a_purpose_clause(code):
    doc = code("A Kenyan judge opened corruption investigations against two Tanzanian officials.")
    [ev] = [e for e in doc.events if e.event_type == "ACCUSE"]
    assert "TZA" in {a.country for a in ev.target}
    doc = code("Jordan opened the border crossing to allow the delivery of food to Syria.")
    [ev] = [e for e in doc.events if e.event_type == "RETREAT" and e.modality == "asserted"]
    assert "SYR" in {a.country for a in ev.target}


def test_expulsion_orders_warrants_loans_and_charges(code):
    doc = code("Mali's junta ordered the French ambassador to leave the country within 72 hours.")
    assert [(e.event_type, e.mode) for e in doc.events] == [("SANCTION", "expel")]
    doc = code("The court issued an arrest warrant for the former Peruvian president.")
    assert [(e.event_type, e.mode) for e in doc.events] == [("THREATEN", "arrest")]
    doc = code("The Asian Development Bank approved a $300 million loan to Sri Lanka.")
    assert [e.event_type for e in doc.events] == ["AID"]
    doc = code("Saudi Arabia executed three men convicted of attacking police officers.")
    assert [e.trigger.text for e in doc.events] == ["executed"]


def test_warnings_boycotts_of_votes_and_fires_set_by_rioters(code):
    doc = code("Economists warned that inflation could rise further.")
    assert not doc.events
    doc = code("The Interior Minister warned that police will break up any rally in Minsk.")
    assert "THREATEN" in {e.event_type for e in doc.events}
    doc = code("Opposition parties in Bangladesh boycotted the general election.")
    assert [(e.event_type, e.mode) for e in doc.events] == [("PROTEST", "boycott")]
    doc = code("Angry villagers set fire to a police post in Kenya's Rift Valley.")
    assert [(e.event_type, e.mode) for e in doc.events] == [("ASSAULT", "destroy")]
    doc = code("Inmates rioted at a prison in Ecuador on Monday, setting fire to mattresses.")
    assert [e.event_type for e in doc.events] == ["PROTEST"]


def test_weapon_subjects_police_raids_censorship_and_money_aid(code):
    doc = code("Iranian drones hit a fuel depot near Erbil.")
    [ev] = [e for e in doc.events if e.event_type == "ASSAULT"]
    assert {a.country for a in ev.source} == {"IRN"}
    doc = code("Turkish police raided the offices of a Kurdish newspaper.")
    assert [(e.event_type, e.mode) for e in doc.events] == [("COERCE", "seize")]
    doc = code("The Nicaraguan government shut down two independent radio stations.")
    assert [(e.event_type, e.mode) for e in doc.events] == [("COERCE", "censor")]
    doc = code("Japan pledged 20 million dollars to Somalia.")
    assert [e.event_type for e in doc.events] == ["AID"]
    doc = code("Qatar hosted talks between Hamas and Fatah.")
    [ev] = doc.events
    # a meeting lists every party as source (patterns/participants.yaml `symmetric`)
    assert {"QAT", "PSE"} <= {a.country for a in ev.source} and not ev.target


def test_disasters_are_not_attackers(code):
    doc = code("The cyclone killed at least 40 people in Mozambique.")
    assert not [e for e in doc.events if e.event_type == "ASSAULT"]
    doc = code("Dozens of homes were destroyed by floods in Kerala.")
    assert not [e for e in doc.events if e.event_type == "ASSAULT"]


def test_exchanges_of_fire_charges_on_positions_unowned_rockets_and_accidents(code):
    doc = code("Indian and Pakistani troops exchanged fire along the Line of Control.")
    assert [(e.event_type, e.mode) for e in doc.events] == [("ASSAULT", "firearms")]
    doc = code("Rebel fighters charged an army checkpoint outside Goma.")
    assert [e.event_type for e in doc.events] == ["ASSAULT"]
    doc = code("The lawyer said his client would fight the deportation order.")
    assert not [e for e in doc.events if e.event_type == "ASSAULT"]
    doc = code("Three rockets struck near the US embassy in Baghdad.")
    [ev] = doc.events
    assert ev.event_type == "ASSAULT" and [(a.country, a.sector) for a in ev.source] == [("IRQ", "UAF")]
    doc = code("Twelve pilgrims were killed in a road accident in Rajasthan.")
    assert not doc.events


def test_possessive_pronoun_inside_an_actor_phrase_is_not_a_second_participant(code):
    doc = code("Kenya's foreign minister met his Ethiopian counterpart in Nairobi.")
    [ev] = [e for e in doc.events if e.event_type == "CONSULT"]
    # a meeting lists every party as source (patterns/participants.yaml `symmetric`); "his" adds none
    assert {a.country for a in ev.source} == {"KEN", "ETH"} and not ev.target


def test_an_uncoded_named_attacker_beats_the_unidentified_fallback(code):
    doc = code("A wave of attacks on Malian army posts by groups loyal to the junta's rivals, which deny it, hit Mopti.")
    [ev] = [e for e in doc.events if e.trigger.text == "attacks"]
    assert ev.source[0].kind == "unresolved" and ev.source[0].text.startswith("groups loyal")
    assert "deny" not in ev.source[0].text
    doc = code("Sudan's army has blamed the RSF for shelling the market in El Fasher.")
    assert [e.event_type for e in doc.events] == ["ACCUSE"]


def test_dispersals_and_recalled_envoys(code):
    doc = code("Protesters in Lagos were dispersed with tear gas on Saturday.")
    [ev] = [e for e in doc.events if e.event_type == "ASSAULT"]
    assert ev.mode == "crowd-control" and not ev.source  # no perpetrator guessed for crowd control
    doc = code("Sweden recalled its ambassador from Iraq after the embassy was stormed.")
    [ev] = [e for e in doc.events if e.event_type == "SANCTION"]
    assert ev.mode == "withdraw" and {a.country for a in ev.target} == {"IRQ"}


def test_unresolved_subjects_are_people_or_bodies_not_things(code):
    doc = code("Tarpaulin tents rejected the wind and the rain.")
    assert not [e for e in doc.events if any(a.kind == "unresolved" for a in e.source)]
    doc = code("Several Gulf monarchies rejected the proposal.")
    assert [e.source[0].kind for e in doc.events if e.event_type == "REJECT"] in (["unresolved"], ["agent"], ["country"])


def test_fighting_abstract_things_is_no_attack_or_threat(code):
    doc = code("Peru's president vowed to fight corruption in the police.")
    assert not [e for e in doc.events if e.event_type in ("THREATEN", "ASSAULT")]
    doc = code("Mexico and Guatemala agreed to cooperate in fighting drug trafficking.")
    assert [e.event_type for e in doc.events if e.modality == "asserted"] == ["AGREE"]
    doc = code("Al-Shabaab vowed to fight the Somali army.")
    assert "THREATEN" in {e.event_type for e in doc.events}


def test_pattern_file_must_carry_the_word_classes_the_rules_read(tmp_path):
    from eventwire.resources import Resources

    bad = tmp_path / "patterns" / "events.yaml"
    bad.parent.mkdir()
    bad.write_text("lexicon:\n  disasters: [flood]\npatterns:\n  - {rule: x, event_type: ASSAULT, pos: VERB, lemmas: [shell]}\n")
    with pytest.raises(DataFileError, match="events.yaml:1: required key 'non_agents' is missing"):
        load_patterns(Resources(data_dir=tmp_path))


def test_event_noun_carried_by_a_light_noun(code):
    doc = code("Kenya's president launched a mediation effort between Ethiopia and Eritrea on Monday.")
    [ev] = _events(doc, "CONSULT")
    assert _countries(ev.source) == {"KEN", "ETH", "ERI"} and not ev.target  # every party of a meeting is a source
    doc = code("Islamic State fighters waged a bombing campaign against Iraqi police.")
    [ev] = _events(doc, "ASSAULT")
    assert {(a.country, a.sector) for a in ev.target} == {("IRQ", "COP")}


def test_sending_people_to_investigate_is_an_investigation(code):
    doc = code("The African Union sent a team of experts to Burundi to investigate the killings.")
    [ev] = [e for e in doc.events if e.modality == "asserted"]
    assert (ev.event_type, ev.mode, ev.rule) == ("ACCUSE", "investigate", "accuse.send_to_investigate")
    assert _countries(ev.target) == {"BDI"}
    doc = code("Brazil dispatched inspectors to the border dam on Monday.")
    assert [e.rule for e in doc.events] == ["accuse.send_inspectors"]
    doc = code("France sent 2,000 troops to Mali to fight jihadist groups.")
    assert [e.event_type for e in doc.events if e.modality == "asserted"] == ["MOBILIZE"]


def test_meeting_held_with_someone_has_them_as_target(code):
    doc = code("A delegation of Kenyan ministers held their first meeting with the Tanzanian president in Arusha.")
    [ev] = _events(doc, "CONSULT")
    assert _countries(ev.source) == {"KEN", "TZA"} and not ev.target  # every party of a meeting is a source
