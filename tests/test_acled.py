"""Tests for eventwire.acled: the PLOVER -> ACLED mapping and snippet classification."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.acled import (
    acled_types,
    classify_snippet,
    cue_scores,
    event_label,
    first_side,
    load_mapping,
    refine_label,
)
from eventwire.errors import DataFileError
from eventwire.model import Actor, Event, Quantity, SentenceSpan, TextSpan


def _ev(event_type, mode=None, src=(), tgt=(), trigger="attacked", sentence="x", modality="asserted", qs=()):
    return Event(event_id="e", event_type=event_type, mode=mode, modality=modality,
                 source=[Actor(text=s, sector=s) for s in src], target=[Actor(text=s, sector=s) for s in tgt],
                 quantities=list(qs), trigger=TextSpan(text=trigger, start=0, end=len(trigger)),
                 sentence=SentenceSpan(text=sentence, start=0, end=len(sentence), index=0), rule="t")


def test_weapon_modes_map_to_explosions():
    assert acled_types(_ev("ASSAULT", "aerial")) == ("Explosions/Remote violence", "Air/drone strike")
    assert acled_types(_ev("ASSAULT", "heavy-weapons")) == ("Explosions/Remote violence",
                                                            "Shelling/artillery/missile attack")
    assert acled_types(_ev("ASSAULT", "suicide-attack")) == ("Explosions/Remote violence", "Suicide bomb")
    s = "a grenade was lobbed at the checkpoint"
    assert acled_types(_ev("ASSAULT", "explosives", sentence=s), s)[1] == "Grenade"


def test_actor_sectors_decide_battle_or_attack():
    assert acled_types(_ev("ASSAULT", src=["REB"], tgt=["MIL"])) == ("Battles", "Armed clash")
    assert acled_types(_ev("ASSAULT", src=["UAF"], tgt=["CVL"])) == ("Violence against civilians", "Attack")
    assert acled_types(_ev("ASSAULT", "abduct", src=["REB"], tgt=["CVL"]))[1] == "Abduction/forced disappearance"


def test_territory_by_source_sector():
    assert event_label(_ev("ASSAULT", src=["MIL"], trigger="recaptured")) == "GOV_REGAINS_TERIT"
    assert event_label(_ev("ASSAULT", src=["REB"], trigger="seized")) == "NON_STATE_ACTOR_OVERTAKES_TER"


def test_protest_and_strategic_developments():
    assert acled_types(_ev("PROTEST", "demo")) == ("Protests", "Peaceful protest")
    assert acled_types(_ev("PROTEST", "riot")) == ("Riots", "Violent demonstration")
    killed = Quantity(value=3, kind="killed", text="three")
    assert event_label(_ev("ASSAULT", "crowd-control", src=["COP"], qs=[killed])) == "FORCE_AGAINST_PROTEST"
    assert acled_types(_ev("COERCE", "arrest")) == ("Strategic developments", "Arrests")
    assert acled_types(_ev("MOBILIZE", "troops"))[1] == "Change to group/activity"


def test_non_events_and_modality_give_none():
    assert acled_types(_ev("CONSULT")) == (None, None)
    assert acled_types(_ev("ASSAULT", "aerial", modality="negated")) == (None, None)
    assert acled_types(_ev("ASSAULT", "aerial", modality="hypothetical")) == (None, None)


def test_classify_snippet_cues():
    assert classify_snippet("Floods and landslides after heavy monsoon rain left villages cut off.") == \
        "NATURAL_DISASTER"
    assert classify_snippet("The group claimed responsibility for the blast in a statement.") in ("ATTRIB",)
    assert classify_snippet("Nothing here at all.") == "OTHER"
    assert cue_scores("a suicide bomber struck")["SUIC_BOMB"] > 0


def test_mapping_labels_complete():
    m = load_mapping()
    assert len(m.labels) == 25 and len(m.non_acled) == 5
    assert m.labels["AIR_STRIKE"] == ("Explosions/Remote violence", "Air/drone strike")


def test_bad_mapping_file(tmp_path: Path):
    bad = tmp_path / "acled.yaml"
    bad.write_text("labels: [1, 2\n")
    with pytest.raises(DataFileError):
        load_mapping(str(bad))
    bad.write_text("labels: {X: [A, B]}\nevent_rules: [{event_type: ASSAULT, label: NOPE}]\n")
    with pytest.raises(DataFileError):
        load_mapping(str(bad))


def test_weapon_in_sentence_decides_generic_assault():
    s = "two farmers died when a roadside bomb went off near their cart"
    assert event_label(_ev("ASSAULT", tgt=["CVL"], trigger="died", sentence=s), s) == "REM_EXPLOS"
    s = "the insurgents fired mortar rounds filled with chlorine at the outpost"
    assert event_label(_ev("ASSAULT", "heavy-weapons", src=["REB"], trigger="fired", sentence=s), s) == "CHEM_WEAP"
    s = "a gas cylinder exploded in a restaurant kitchen, killing four"
    assert event_label(_ev("ASSAULT", "explosives", tgt=["CVL"], trigger="exploded", sentence=s), s) == \
        "MAN_MADE_DISASTER"


def test_refine_protests_by_conduct():
    assert refine_label("PEACE_PROTEST", "marchers threw stones at the town hall") == "VIOL_DEMONSTR"
    assert refine_label("PEACE_PROTEST", "police fired live ammunition at the crowd of marchers") == \
        "FORCE_AGAINST_PROTEST"
    assert refine_label("ARREST", "officers detained forty demonstrators outside the ministry") == \
        "PROTEST_WITH_INTER"
    assert refine_label("ARREST", "the blogger was detained at the airport") == "ARREST"
    assert refine_label("PEACE_PROTEST", "teachers marched to the ministry demanding pay") == "PEACE_PROTEST"


def test_refine_territory_and_battles_by_side():
    assert first_side("militants ambushed the army convoy") == "nonstate"
    assert refine_label("ARMED_CLASH", "government troops recaptured the hill town from the rebels") == \
        "GOV_REGAINS_TERIT"
    assert refine_label("ARMED_CLASH", "the rebels overran the garrison and took control of the town") == \
        "NON_STATE_ACTOR_OVERTAKES_TER"
    assert refine_label("NON_STATE_ACTOR_OVERTAKES_TER", "insurgents entered the town without a fight") == \
        "NON_VIOL_TERRIT_TRANSFER"
    assert refine_label("ATTACK", "insurgents killed six soldiers at a checkpoint") == "ARMED_CLASH"
    assert refine_label("ATTACK", "insurgents killed six villagers near an army checkpoint") == "ATTACK"


def test_classify_snippet_refines_the_winner():
    text = "Several shoppers were hurt when a bomb exploded at a bus stop in the city centre."
    ev = _ev("ASSAULT", tgt=["CVL"], trigger="hurt", sentence=text)
    assert classify_snippet(text, [ev]) == "REM_EXPLOS"


def test_refine_weapons_disrupted_claims_and_protests():
    assert refine_label("PROPERTY_DISTRUCT", "engineers destroyed a cache of rifles and mortars in the hills") == "DISR_WEAP"
    assert refine_label("PROPERTY_DISTRUCT", "unknown men destroyed three shops") == "PROPERTY_DISTRUCT"
    assert refine_label("PROPERTY_DISTRUCT", "rioters destroyed three shops") == "VIOL_DEMONSTR"
    assert refine_label("ATTACK", "an angry crowd beat the suspected thief") == "MOB_VIOL"
    assert refine_label("ATTACK", "a bus collided with a lorry, killing 12") == "MAN_MADE_DISASTER"
    assert refine_label("ATTACK", "gunmen ambushed a bus, killing 12") == "ATTACK"
    assert refine_label("REM_EXPLOS", "the faction claimed responsibility for the car bomb", snippet=True) == "ATTRIB"
    assert refine_label("REM_EXPLOS", "no group has claimed responsibility for the car bomb", snippet=True) == \
        "REM_EXPLOS"
    assert refine_label("ATTACK", "riot police beat marchers at a rally in the square") == "FORCE_AGAINST_PROTEST"
    assert refine_label("ATTACK", "police fired tear gas at marchers at a rally in the square") == "PROTEST_WITH_INTER"
    assert refine_label("ATTACK", "gunmen shot two men near a rally in the square") == "ATTACK"


def test_side_named_before_the_act():
    text = "soldiers were killed when rebels overran the post and recaptured the town"
    assert first_side(text) == "state"
    assert first_side(text, at=text.index("recaptured")) == "nonstate"
    assert refine_label("ARMED_CLASH", text) == "NON_STATE_ACTOR_OVERTAKES_TER"


def test_weak_cues_count_less():
    # a base named in passing is weak evidence; setting one up is strong
    assert cue_scores("the convoy passed the base")["HQ_ESTABLISHED"] < \
        cue_scores("the army set up a base near the pass")["HQ_ESTABLISHED"]


def test_refine_tests_displacement_property_and_fighting():
    assert refine_label("ART_MISS_ATTACK", "the navy test-fired a new cruise missile off the coast") == "OTHER"
    assert refine_label("ART_MISS_ATTACK", "a missile struck a market, killing nine") == "ART_MISS_ATTACK"
    assert refine_label("ATTACK", "thousands fled their homes after bandit attacks on the district", snippet=True) == \
        "OTHER"
    assert refine_label("ATTACK", "thousands fled their homes after bandit attacks on the district") == "ATTACK"
    assert refine_label("ATTACK", "gunmen looted shops and burned down a warehouse") == "PROPERTY_DISTRUCT"
    assert refine_label("ATTACK", "the militia attacked a rival faction and fighting broke out near the bridge") == \
        "ARMED_CLASH"
    assert refine_label("PEACE_PROTEST", "hundreds marched to mourn two pupils killed in a road accident") == \
        "PEACE_PROTEST"


def test_property_destroyed_by_civilians_is_not_a_battle():
    s = "youths torched two army trucks"
    assert event_label(_ev("ASSAULT", "destroy", src=["CVL"], tgt=["MIL"], trigger="torched", sentence=s), s) == \
        "PROPERTY_DISTRUCT"


def test_rpg_is_a_rocket_and_pandemic_is_backdrop():
    s = "a rocket-propelled grenade hit the patrol vehicle"
    assert event_label(_ev("ASSAULT", tgt=["MIL"], trigger="hit", sentence=s), s) != "GRENADE"
    assert cue_scores(s)["ART_MISS_ATTACK"] > cue_scores(s)["GRENADE"]
    assert classify_snippet("Thieves looted a pharmacy during the covid-19 lockdown, shopkeepers said.") != \
        "NATURAL_DISASTER"


def test_claims_relabel_the_snippet_not_the_event():
    s = "the faction claimed responsibility for the car bomb that killed three"
    ev = _ev("ASSAULT", "explosives", src=["REB"], trigger="killed", sentence=s)
    assert event_label(ev, s) == "REM_EXPLOS"
    assert classify_snippet(s, [ev]) == "ATTRIB"


def test_crime_arrests_and_captured_places():
    assert refine_label("ARREST", "customs officers arrested two men smuggling heroin at the port") == "ORG_CRIME"
    assert refine_label("ARREST", "police arrested two opposition activists at the port") == "ARREST"
    assert refine_label("ARMED_CLASH", "after a night of clashes the rebels captured the airport") == \
        "NON_STATE_ACTOR_OVERTAKES_TER"
    assert refine_label("ARMED_CLASH", "after a night of clashes the army captured a rebel commander") == "ARMED_CLASH"
    assert refine_label("ARMED_CLASH", "the insurgents briefly seized control of the town before withdrawing") == \
        "ARMED_CLASH"


def test_crowd_control_means_and_executions():
    assert refine_label("ATTACK", "police fired rubber bullets at a crowd outside the court") == "PROTEST_WITH_INTER"
    assert refine_label("ATTACK", "troops executed nine unarmed men suspected of helping rebels") == "ATTACK"
    assert refine_label("ATTACK", "a lorry plunged off a bridge, killing six") == "MAN_MADE_DISASTER"


def test_hostages_suicide_car_bombers_and_claims():
    assert refine_label("NON_STATE_ACTOR_OVERTAKES_TER", "gunmen seized a bus and are holding the hostages in the hills") \
        == "ABDUCT_DISSAP"
    assert refine_label("ABDUCT_DISSAP", "police freed a businessman kidnapped by a criminal gang") == "ORG_CRIME"
    assert refine_label("ARMED_CLASH", "a suicide car bomber struck the gate of the barracks") == "SUIC_BOMB"
    assert refine_label("ARMED_CLASH", "the faction said it carried out the raid on the post", snippet=True) == "ATTRIB"
    assert refine_label("PEACE_PROTEST", "marchers demanded the release of detained colleagues") == "PEACE_PROTEST"


def test_blame_and_agreed_handover():
    s = "the minister blamed the separatists for the market bombing"
    ev = _ev("ACCUSE", "disapprove", src=["GOV"], tgt=["REB"], trigger="blamed", sentence=s)
    assert event_label(ev, s) == "ATTRIB" and acled_types(ev, s) == (None, None)
    assert refine_label("AGREEMENT", "under the deal the militia left the town and police moved in") == \
        "NON_VIOL_TERRIT_TRANSFER"
    assert refine_label("AGREEMENT", "the country withdrew from the arms control treaty") == "AGREEMENT"


def test_storming_is_not_weather():
    s = "fighters on motorbikes attempted to storm an army base near the oilfield"
    assert event_label(_ev("ASSAULT", src=["REB"], tgt=["MIL"], trigger="storm", sentence=s), s) != "NATURAL_DISASTER"
    assert cue_scores(s)["NATURAL_DISASTER"] == 0


def test_wider_vocabularies():
    assert refine_label("ATTACK", "an unmanned aerial vehicle hit a pickup truck near the border") == "AIR_STRIKE"
    assert refine_label("ATTACK", "an outbreak of measles has killed 40 children this year") == "NATURAL_DISASTER"
    assert refine_label("ARREST", "officers detained fifty people at a protest outside parliament") == "PROTEST_WITH_INTER"
    assert refine_label("ARREST", "a teacher was arrested for sexually abusing pupils") == "SEX_VIOL"
    assert refine_label("ARMED_CLASH", "demonstrators clashed with riot police near the stadium") == "VIOL_DEMONSTR"
    assert refine_label("REM_EXPLOS", "a man detonated an explosives belt at the gate") == "SUIC_BOMB"
    assert refine_label("ARMED_CLASH", "thousands had fled the fighting by nightfall", snippet=True) == "OTHER"
