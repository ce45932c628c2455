"""Tests for eventwire.attributes.locations (geoparsing) on our own sentences."""

from __future__ import annotations

import pytest

from eventwire.attributes.locations import Geoparser
from eventwire.gazetteer import Gazetteer
from eventwire.model import Place
from eventwire.nlp import load_model


@pytest.fixture(scope="module")
def geo() -> Geoparser:
    return Geoparser(Gazetteer.load())


def parse(geo: Geoparser, text: str) -> list[Place]:
    doc = next(load_model().pipe([text]))
    places = geo.geoparse(doc)
    for p in places:
        assert text[p.start:p.end] == p.text  # spans are char offsets into the text
    return places


def find(places: list[Place], text: str) -> Place:
    hits = [p for p in places if p.text == text]
    assert hits, f"{text!r} not found in {[p.text for p in places]}"
    return hits[0]


def test_two_countries(geo: Geoparser) -> None:
    places = parse(geo, "Airstrikes continued across Iraq and Syria on Tuesday.")
    assert find(places, "Iraq").country == "IRQ"
    syria = find(places, "Syria")
    assert syria.country == "SYR" and syria.feature == "country" and syria.lat is not None


def test_facility_in_state(geo: Geoparser) -> None:
    places = parse(geo, "About 500 soldiers from Fort Bliss in Texas will deploy to Poland next month.")
    bliss = find(places, "Fort Bliss")
    assert "Fort Bliss" in (bliss.name or "")
    assert bliss.lat == pytest.approx(31.81, abs=0.1) and bliss.lon == pytest.approx(-106.42, abs=0.1)
    texas = find(places, "Texas")
    assert texas.feature == "admin1" and texas.country == "USA"
    assert find(places, "Poland").country == "POL"


def test_leading_the_is_stripped_and_regions_resolve(geo: Geoparser) -> None:
    places = parse(geo, "Tensions rose across the Middle East after the attack.")
    me = find(places, "Middle East")
    assert me.feature == "region" and me.lat is not None


def test_gaza_and_west_bank(geo: Geoparser) -> None:
    places = parse(geo, "Aid trucks entered Gaza while raids continued in the West Bank.")
    gaza = find(places, "Gaza")
    assert gaza.lat == pytest.approx(31.4, abs=0.3) and gaza.lon == pytest.approx(34.4, abs=0.3)
    assert find(places, "West Bank").country == "PSE"


def test_us_states(geo: Geoparser) -> None:
    places = parse(geo, "Storms hit New Jersey, Ohio and North Carolina overnight.")
    for name in ("New Jersey", "Ohio", "North Carolina"):
        p = find(places, name)
        assert p.feature == "admin1" and p.country == "USA"


def test_paris_texas_versus_paris(geo: Geoparser) -> None:
    us = parse(geo, "The rodeo in Paris, Texas drew a record crowd.")
    assert find(us, "Paris").country == "USA"
    fr = parse(geo, "Ministers met in Paris to discuss the budget with French unions.")
    assert find(fr, "Paris").country == "FRA"


def test_georgia_state_or_country_by_context(geo: Geoparser) -> None:
    state = parse(geo, "Voters in Atlanta, Georgia lined up early, as did voters in Alabama and Florida.")
    assert find(state, "Georgia").country == "USA"
    country = parse(geo, "Russia and Georgia fought a short war in 2008; Tbilisi accused Moscow of aggression.")
    assert find(country, "Georgia").country == "GEO"


def test_tripoli_by_container_and_context(geo: Geoparser) -> None:
    lebanon = parse(geo, "Clashes broke out in Tripoli, Lebanon, near the Syrian border.")
    assert find(lebanon, "Tripoli").country == "LBN"
    libya = parse(geo, "Militias shelled the airport in Tripoli, Libya, on Sunday.")
    assert find(libya, "Tripoli").country == "LBY"
    ctx = parse(geo, "In northern Lebanon, gunmen fought in Tripoli while Beirut and Sidon stayed calm.")
    assert find(ctx, "Tripoli").country == "LBN"


def test_springfield_illinois(geo: Geoparser) -> None:
    places = parse(geo, "The governor signed the bill in Springfield, Illinois on Friday.")
    spring = find(places, "Springfield")
    assert spring.country == "USA" and spring.lat == pytest.approx(39.8, abs=0.3)


def test_demonym_as_place(geo: Geoparser) -> None:
    places = parse(geo, "Russian troops shelled the town, officials said.")
    assert find(places, "Russian").country == "RUS"


def test_plural_and_language_demonyms_are_not_places(geo: Geoparser) -> None:
    places = parse(geo, "Many Russians speak English at work.")
    assert not [p for p in places if p.text in ("Russians", "English")]


def test_place_inside_organisation_name(geo: Geoparser) -> None:
    places = parse(geo, "A spokesman for the Winnipeg Police Service declined to comment.")
    assert find(places, "Winnipeg").country == "CAN"


def test_person_name_is_not_a_city(geo: Geoparser) -> None:
    places = parse(geo, "Vladimir Putin met Emmanuel Macron on Monday.")
    assert places == [] or all(p.text not in ("Vladimir", "Emmanuel") for p in places)


def test_unknown_place_has_no_coordinates(geo: Geoparser) -> None:
    places = parse(geo, "Fighters seized Qzxwyabad district on Monday, residents in Herat said.")
    herat = find(places, "Herat")
    assert herat.country == "AFG"
    for p in places:
        if p.geonameid is None and p.feature is None:
            assert p.lat is None and p.lon is None


def test_empty_doc(geo: Geoparser) -> None:
    assert parse(geo, "") == []


def test_curated_region_beats_small_namesake_town_in_us_context(geo: Geoparser) -> None:
    places = parse(geo, "US officials in Washington and New York said American troops would stay in the "
                        "Middle East, the Pentagon said from Virginia.")
    me = find(places, "Middle East")
    assert me.feature == "region" and me.country is None
    assert find(places, "Washington").lat == pytest.approx(38.9, abs=0.3)  # the capital, not the state


def test_person_named_like_a_country(geo: Geoparser) -> None:
    places = parse(geo, "Jordan Peterson spoke in Toronto. Jordan closed its border with Syria.")
    assert [p.text for p in places].count("Jordan") == 1
    assert find(places, "Toronto").country == "CAN"


def test_geoparse_rejects_non_doc(geo: Geoparser) -> None:
    from eventwire.errors import InputError

    with pytest.raises(InputError, match="spaCy Doc"):
        geo.geoparse("Iraq and Syria")  # type: ignore[arg-type]


def test_us_postal_abbreviation_as_container(geo: Geoparser) -> None:
    places = parse(geo, "The plant near Portland, ME closed, workers said.")
    portland = find(places, "Portland")
    assert portland.country == "USA" and portland.lat == pytest.approx(43.66, abs=0.3)


def test_heading_in_capitals_is_not_a_city(geo: Geoparser) -> None:
    places = parse(geo, "The ceasefire held in Gaza.\n\nFURTHER READING\n\nMore on the talks.")
    assert "READING" not in [p.text for p in places]


def test_admin1_names_for_us_cities(geo: Geoparser) -> None:
    places = parse(geo, "Flooding closed roads in Houston, Texas.")
    assert find(places, "Houston").admin1 == "Texas"
    assert find(places, "Texas").admin1 == "Texas"


def test_repeated_name_is_not_its_own_context(geo: Geoparser) -> None:
    text = ("Police in London said the bridge would close. Drivers from St. Thomas, Ontario, were told to "
            "avoid London. London council met on Monday, and London residents were warned. London police "
            "will patrol the area, the London mayor said.")
    places = parse(geo, text)
    londons = [p for p in places if p.text == "London"]
    assert londons and all(p.country == "CAN" for p in londons)


def test_big_city_beats_namesake_town_in_its_state(geo: Geoparser) -> None:
    places = parse(geo, "Fans flew from Houston and Dallas, Texas, to Portland for the final.")
    assert find(places, "Portland").admin1 == "Oregon"


def test_world_capital_in_a_us_story(geo: Geoparser) -> None:
    places = parse(geo, "The U.S. senator from Ohio met American and U.S. officials in Washington before "
                        "flying to Paris for talks.")
    assert find(places, "Paris").country == "FRA"


def test_county_is_placed_in_its_state(geo: Geoparser) -> None:
    places = parse(geo, "Firefighters from Bowling Green and Glasgow, Kentucky, were sent to Allen County "
                        "after the storm.")
    county = find(places, "Allen County")
    assert county.country == "USA" and county.admin1 == "Kentucky" and county.feature == "admin2"
    assert county.lat == pytest.approx(37.0, abs=0.6) and county.lon == pytest.approx(-86.2, abs=0.6)


def test_australian_states_have_geonames_codes(geo: Geoparser) -> None:
    places = parse(geo, "Floods hit Townsville in Queensland again this week.")
    assert find(places, "Queensland").country == "AUS"
    assert find(places, "Townsville").admin1 == "Queensland"


def test_unknown_street_is_placed_at_the_article_town(geo: Geoparser) -> None:
    text = ("Crowds gathered in Winnipeg on Saturday. Winnipeg police closed Pembina Highway and "
            "Corydon Avenue near the river, and Winnipeg transit buses were rerouted.")
    places = parse(geo, text)
    winnipeg = find(places, "Winnipeg")
    street = next(p for p in places if "Avenue" in p.text or "Highway" in p.text)
    assert street.feature == "local" and street.lat == winnipeg.lat and street.country == "CAN"


def test_unknown_place_without_a_town_has_no_point(geo: Geoparser) -> None:
    places = parse(geo, "Negotiators from Norway met at Xqorbel Square on Friday.")
    unknown = [p for p in places if "Xqorbel" in p.text]
    assert unknown and all(p.lat is None for p in unknown)


def test_subnational_demonym_is_its_region(geo: Geoparser) -> None:
    places = parse(geo, "Catalan police said English fans had been detained after the match.")
    assert find(places, "Catalan").name == "Catalonia"
    english = find(places, "English")
    assert english.name == "England" and english.feature == "admin1"


def test_demonym_as_language_is_not_a_place(geo: Geoparser) -> None:
    places = parse(geo, "The statement was published in Catalan and in Welsh.")
    assert not [p for p in places if p.text in ("Catalan", "Welsh")]


def test_state_named_like_a_big_city_after_a_town(geo: Geoparser) -> None:
    places = parse(geo, "A bakery owner in Spokane, Washington says sales doubled.")
    washington = find(places, "Washington")
    assert washington.feature == "admin1" and washington.country == "USA"


def test_state_in_a_list_of_states_and_city_in_a_list_of_cities(geo: Geoparser) -> None:
    places = parse(geo, "Wildfires burned in Oregon, Idaho and Washington this summer.")
    assert find(places, "Washington").feature == "admin1"
    places = parse(geo, "The firm has offices in Boston, New York, and Chicago.")
    assert find(places, "New York").feature == "city"


def test_state_governor_cue(geo: Geoparser) -> None:
    places = parse(geo, "New York Gov. Kathy Hochul signed the bill on Monday.")
    assert find(places, "New York").feature == "admin1"


def test_street_named_after_a_town_is_not_the_town(geo: Geoparser) -> None:
    text = ("Police in Denver said the crash happened on Richmond Avenue late on Friday. Denver "
            "officers closed the road for hours.")
    places = parse(geo, text)
    street = [p for p in places if "Richmond" in p.text]
    assert street and all(p.country == "USA" and p.admin1 == "Colorado" for p in street)


def test_unknown_place_takes_its_explicit_container(geo: Geoparser) -> None:
    places = parse(geo, "He sang at the Grand Mervale Hall in Dublin before touring Spain and Portugal.")
    hall = next(p for p in places if "Mervale" in p.text)
    assert hall.country == "IRL" and hall.lat == pytest.approx(53.35, abs=0.2)


def test_one_sense_per_article_after_an_explicit_container(geo: Geoparser) -> None:
    text = ("The fair opened in London, Kentucky on Friday. Organisers said London had never seen such "
            "crowds, and London shops stayed open late.")
    places = parse(geo, text)
    londons = [p for p in places if p.text == "London"]
    assert len(londons) >= 2 and all(p.country == "USA" for p in londons)


def test_country_before_a_comma_has_no_container(geo: Geoparser) -> None:
    places = parse(geo, "He worked in Russia, U.S. officials said on Wednesday.")
    assert find(places, "Russia").feature == "country"


def test_direction_word_before_a_state_name(geo: Geoparser) -> None:
    text = "Officials in Washington said on Monday that fires in eastern Washington had spread overnight."
    places = parse(geo, text)
    washingtons = [p for p in places if p.text == "Washington"]
    assert len(washingtons) == 2 and washingtons[1].feature == "admin1"


def test_us_coast_regions(geo: Geoparser) -> None:
    places = parse(geo, "Storms battered the West Coast while the East Coast braced for snow.")
    assert find(places, "West Coast").country == "USA"
    assert find(places, "East Coast").country == "USA"


def test_landmarks_and_seats_of_government(geo: Geoparser) -> None:
    places = parse(geo, "She starred on Broadway before moving to a flat near Buckingham Palace.")
    broadway = find(places, "Broadway")
    assert broadway.country == "USA" and broadway.lat == pytest.approx(40.76, abs=0.1)
    assert find(places, "Buckingham Palace").country == "GBR"


def test_institution_named_as_an_agent_is_not_a_place(geo: Geoparser) -> None:
    assert not parse(geo, "The Kremlin said on Monday that talks would resume.")
    assert not parse(geo, "White House officials declined to comment.")


def test_main_town_is_in_the_main_country(geo: Geoparser) -> None:
    text = ("Chennai officials met farmers from Tamil Nadu and Karnataka over the river dispute. "
            "Protests were held at Marina Beach. India's court will rule in May, a lawyer who studied in "
            "Boston said.")
    places = parse(geo, text)
    beach = [p for p in places if p.text == "Marina Beach"]
    assert beach and beach[0].country != "USA"  # not at Boston, the only town the text resolves


def _km(p: Place, lat: float, lon: float) -> float:
    from eventwire.gazetteer import haversine_km
    assert p.lat is not None and p.lon is not None, p
    return haversine_km(p.lat, p.lon, lat, lon)


def test_place_name_split_by_spacy_is_joined(geo: Geoparser) -> None:
    places = parse(geo, "Floods cut the road between Manaus and Boa Vista, the capital of Roraima.")
    boa = find(places, "Boa Vista")
    assert boa.country == "BRA" and boa.feature == "city"
    places = parse(geo, "Officials in Baja California said the border crossing would reopen.")
    assert find(places, "Baja California").country == "MEX"


def test_two_country_names_without_comma(geo: Geoparser) -> None:
    places = parse(geo, "Youth unemployment is highest in countries such as Portugal, Greece Italy or Spain.")
    assert {p.country for p in places if p.text in ("Greece", "Italy")} == {"GRC", "ITA"}


def test_the_west_is_not_a_town(geo: Geoparser) -> None:
    places = parse(geo, "Moscow accused the West of stoking the conflict.")
    assert all(p.text != "West" for p in places)


def test_institution_is_placed_at_the_site_named_after_it(geo: Geoparser) -> None:
    places = parse(geo, "Hundreds protested outside the Turkish Embassy in Berlin on Sunday.")
    embassy = find(places, "Turkish Embassy")
    assert embassy.country == "DEU" and _km(embassy, 52.52, 13.40) < 30
    places = parse(geo, "She studied chemistry at the University of Texas at El Paso before the war.")
    assert _km(find(places, "University of Texas"), 31.76, -106.49) < 30
    places = parse(geo, "Three diplomats left the Russian Embassy in the U.S. capital on Friday.")
    assert _km(find(places, "Russian Embassy"), 38.9, -77.04) < 30


def test_us_counties_have_points(geo: Geoparser) -> None:
    places = parse(geo, "Deputies in Walker County, Ga., arrested two men after the escape.")
    county = find(places, "Walker County")
    assert county.feature == "admin2" and county.admin1 == "Georgia" and _km(county, 34.74, -85.3) < 60


def test_bare_name_of_a_county_named_in_the_article(geo: Geoparser) -> None:
    places = parse(geo, "Suffolk County police searched the dunes near Montauk. The Suffolk police chief said "
                        "the search would go on.")
    bare = [p for p in places if p.text == "Suffolk"]
    assert bare and all(p.country == "USA" for p in bare)


def test_state_abbreviation_in_a_dateline_settles_the_state(geo: Geoparser) -> None:
    places = parse(geo, "OLYMPIA, Wash. - The team has trained across the state. Its work at home in Washington "
                        "keeps it busy, and trips to Guam and Washington, D.C., are rarer.")
    states = [p for p in places if p.text == "Washington" and p.feature == "admin1"]
    assert states and states[0].admin1 == "Washington"


def test_australian_state_abbreviation(geo: Geoparser) -> None:
    places = parse(geo, "Mining royalties in WA rose sharply, the Perth government said.")
    assert find(places, "WA").name == "Western Australia"


def test_unknown_street_is_placed_in_the_articles_main_state(geo: Geoparser) -> None:
    text = ("The builder, based in Somerville, opened a second office in Somerville last year. Buyers from "
            "Gainesville, Va., Centreville, Va., and Manassas, Va., toured the homes. The clubhouse on Turtle "
            "Point Drive opens in May.")
    street = find(parse(geo, text), "Turtle Point Drive")
    assert street.country == "USA" and street.admin1 == "Virginia"


def test_nationality_word_inside_a_local_name_is_not_the_country(geo: Geoparser) -> None:
    places = parse(geo, "Police in Cairo said the British International School would reopen on Sunday.")
    assert all(p.country != "GBR" for p in places)
    assert find(places, "British International School").country == "EGY"


def test_names_listed_before_plural_counties(geo: Geoparser) -> None:
    places = parse(geo, "Deputies from Kentucky, Adair, Casey and Russell counties searched the lake.")
    assert find(places, "Kentucky").feature == "admin1"
    for name in ("Adair", "Casey", "Russell"):
        county = find(places, name)
        assert county.name == f"{name} County" and county.admin1 == "Kentucky" and county.lat is not None
    places = parse(geo, "Flooding closed roads in Orleans and Jefferson parishes.")
    assert find(places, "Orleans").name == "Orleans Parish"


def test_english_spellings_of_towns_in_the_news(geo: Geoparser) -> None:
    places = parse(geo, "Houthi forces fired on a ship off Hodeidah, and Kurdish fighters left Qamishli.")
    assert find(places, "Hodeidah").country == "YEM" and find(places, "Qamishli").country == "SYR"


def test_possessive_names_the_container_of_a_local_place(geo: Geoparser) -> None:
    places = parse(geo, "Brigades from Benghazi, whose Benghazi council met on Thursday, joined clashes in Tripoli's "
                        "Ain Zara district on Friday.")
    district = find(places, "Ain Zara")
    assert district.country == "LBY" and district.feature == "local" and _km(district, 32.89, 13.19) < 20
    places = parse(geo, "Just 21 per cent of Toronto's Ontario health-card holders are organ donors.")
    assert find(places, "Ontario").feature == "admin1"
