"""Where an event is set (guideline §4): its own place, the place it acts on, the article's setting;
and the geoparser in all-capitals wire copy. Sentences written for these tests."""

from __future__ import annotations

import pytest

from eventwire.events.setting import ArticleSetting
from eventwire.model import Event, Place, SentenceSpan, TextSpan


@pytest.fixture(scope="module")
def open_code():
    """Code with every candidate kept (the filter's threshold is not under test here)."""
    from eventwire.clean import load_article
    from eventwire.pipeline import Coder
    from eventwire.settings import Settings

    coder = Coder(Settings.load(env={}, min_confidence=0.0))
    return lambda text, published="2024-03-10": coder.code(load_article(text, published=published))


def _one(doc, event_type):
    found = [e for e in doc.events if e.event_type == event_type]
    assert found, [(e.event_type, e.trigger.text) for e in doc.events]
    return found[0]


def test_a_stated_place_keeps_its_offsets(open_code) -> None:
    ev = _one(open_code("Police in Lyon arrested three men on Tuesday."), "COERCE")
    assert [(p.text, p.country) for p in ev.locations] == [("Lyon", "FRA")]
    assert ev.locations[0].start is not None


def test_an_attack_on_a_named_place_is_there(open_code) -> None:
    doc = open_code("Militants have carried out several attacks on Madrid in recent years.")
    ev = _one(doc, "ASSAULT")
    assert [p.text for p in ev.locations] == ["Madrid"] and ev.locations[0].start is not None


def test_a_visit_is_at_the_host_place(open_code) -> None:
    ev = _one(open_code("The minister travelled to Paris for two days of talks."), "CONSULT")
    assert [p.country for p in ev.locations] == ["FRA"] and ev.locations[0].start is not None


def test_an_unlocated_event_takes_the_article_setting_without_offsets(open_code) -> None:
    text = ("Fighting spread across northern Mali this week, officials in Bamako said.\n\n"
            "The army said it had repelled the raid and arrested eleven suspects.\n\n"
            "Mali has faced an insurgency in the north for years.")
    doc = open_code(text)
    arrest = _one(doc, "COERCE")
    assert arrest.locations and all(p.start is None and p.end is None for p in arrest.locations)
    assert {p.country for p in arrest.locations} == {"MLI"}


def test_no_place_in_the_article_gives_no_setting(open_code) -> None:
    ev = _one(open_code("The rebels said the army shelled their positions overnight."), "ASSAULT")
    assert ev.locations == []


def _event(start: int, sentence: int) -> Event:
    return Event(event_id="x", event_type="ASSAULT", cameo="190", quad_class=4, goldstein=-10.0,
                 trigger=TextSpan(text="hit", start=start, end=start + 3),
                 sentence=SentenceSpan(text="", start=0, end=1, index=sentence), rule="r")


def test_setting_prefers_the_nearest_place_before_then_the_most_named_country() -> None:
    places = [Place(text="Kenya", country="KEN", feature="country", start=5, end=10),
              Place(text="Kenya", country="KEN", feature="country", start=120, end=125),
              Place(text="Kampala", country="UGA", feature="city", start=210, end=217)]
    setting = ArticleSetting(places, [0, 100, 200, 300, 400], {"lookback_sentences": 1, "min_country_mentions": 1})
    # a trigger in the sentence after Kampala: Kampala, copied without offsets
    near = setting.place_of(_event(305, 3))
    assert (near.text, near.country, near.start) == ("Kampala", "UGA", None)
    # two sentences after any place: the most-named country
    far = setting.place_of(_event(405, 4))
    assert (far.country, far.feature, far.start) == ("KEN", "country", None)
    strict = ArticleSetting(places, [0, 100, 200, 300, 400], {"lookback_sentences": 0, "min_country_mentions": 3})
    assert strict.place_of(_event(405, 4)) is None


def test_all_capitals_copy_drops_short_words_taken_for_places(code) -> None:
    doc = code("BOGOTA, 3 JAN 90 (EFE) -- [TEXT] THE GUERRILLAS TOLD US THAT THE DEL RIO BRIDGE HAD BEEN "
               "BLOWN UP IN LA PAZ NEIGHBORHOOD.", published="1990-01-03")
    texts = {p.text for p in doc.locations}
    assert "US" not in texts and "THE DEL" not in texts and "LA" not in texts
    assert any(p.country == "COL" for p in doc.locations)
    dateline = code("LA PAZ, 3 JAN 90 (EFE) -- [TEXT] THE STRIKERS TOLD US THAT THE BRIDGE WAS CLOSED.",
                    published="1990-01-03")
    assert [(p.text, p.country) for p in dateline.locations] == [("LA PAZ", "BOL")]  # short, but its own name
    mixed = code("Officials in LA said the US would send aid.")
    assert {p.text for p in mixed.locations} >= {"US"}


def test_nationality_words_do_not_set_the_article(open_code) -> None:
    text = ("Government troops shelled rebel positions near Idlib in Syria on Monday.\n\n"
            "Russian jets, Russian advisers and Russian commanders backed the offensive.\n\n"
            "Officials said it was the heaviest day of fighting this year.\n\n"
            "Soldiers arrested eleven suspects after the clashes.")
    doc = open_code(text)
    arrest = _one(doc, "COERCE")
    assert [(p.country, p.start) for p in arrest.locations] == [("SYR", None)]
