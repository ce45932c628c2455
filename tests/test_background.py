"""Issue 10 error classes on sentences written for these tests: approximate numbers, cumulative
totals (background, no fatalities), a weekend paper's "last week", and background acts' own dates."""

from __future__ import annotations

import pytest

from eventwire.attributes.dates import find_times


@pytest.fixture(scope="module")
def open_code():
    from eventwire.clean import load_article
    from eventwire.pipeline import Coder
    from eventwire.settings import Settings

    coder = Coder(Settings.load(env={}, min_confidence=0.0))
    return lambda text, published="2024-03-13": coder.code(load_article(text, published=published))


def _counts(doc):
    return sorted((q.value, q.qualifier) for q in doc.quantities)


@pytest.mark.parametrize(("text", "value", "qualifier"), [
    ("Tens of thousands of farmers marched through the capital on Friday.", 20000, "about"),
    ("Dozens of shops were set on fire by rioters overnight.", 24, "about"),
    ("Police detained half a dozen students after the rally.", 6, "about"),
    ("Half a million residents have fled the coastal province.", 500000, "about"),
    ("More than half a million residents have fled the coastal province.", 500000, "more_than"),
    ("The militia freed 37 hostages on Tuesday.", 37, "exact"),
])
def test_approximate_numbers_are_never_exact(open_code, text, value, qualifier) -> None:
    assert (value, qualifier) in _counts(open_code(text))


def test_a_cumulative_toll_is_background_and_no_fatalities(open_code) -> None:
    from eventwire.store import event_fatalities

    doc = open_code("More than 300,000 people have been killed in the civil war since it began in 2012.")
    killings = [e for e in doc.events if e.event_type == "ASSAULT"]
    assert killings and all(e.background for e in killings)
    assert any(q.value == 300000 and q.qualifier == "more_than" for e in killings for q in e.quantities)
    assert all(event_fatalities(e) is None for e in killings)


def test_news_of_the_day_keeps_its_fatalities(open_code) -> None:
    from eventwire.store import event_fatalities

    doc = open_code("A roadside bomb killed seven soldiers near the border town on Tuesday, the army said.")
    attack = next(e for e in doc.events if e.event_type == "ASSAULT")
    assert not attack.background
    assert event_fatalities(attack) == 7


@pytest.mark.parametrize(("published", "monday"), [
    ("2024-03-17", "2024-03-11"),  # a Sunday paper: the week just ending
    ("2024-03-16", "2024-03-11"),  # Saturday too
    ("2024-03-13", "2024-03-04"),  # a Wednesday paper: the week before
])
def test_last_week_counts_from_the_publication_day(published, monday) -> None:
    (t,) = find_times("The envoy resigned last week.", published)
    d = t.to_date()
    assert (d.value, d.precision) == (monday, "week")


def test_a_historical_act_takes_its_own_year(open_code) -> None:
    doc = open_code("In 2009 the army seized the northern airport, and it has held it ever since.")
    seizures = [e for e in doc.events if e.event_type == "COERCE"]
    assert seizures and seizures[0].date is not None
    assert (seizures[0].date.value[:4], seizures[0].date.precision) == ("2009", "year")


def test_an_act_dated_years_back_is_background_and_todays_is_not(open_code) -> None:
    doc = open_code("The colonel, who ordered the 2004 shelling of the harbour, was arrested on Monday.")
    shelling = next(e for e in doc.events if e.event_type == "ASSAULT")
    arrest = next(e for e in doc.events if e.event_type == "COERCE")
    assert shelling.background and shelling.date.value.startswith("2004")
    assert not arrest.background and arrest.date.value == "2024-03-11"
