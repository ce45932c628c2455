"""Stories: near-duplicate mentions collapse, look-alike events stay apart."""

from __future__ import annotations

from _ew_docs import make_doc, make_event, sample_docs
from eventwire.model import ArticleMeta
from eventwire.store import open_store
from eventwire.stories import Mention, cluster, compatible, haversine_km, rebuild_stories


def _m(key: str, ev, outlet: str = "A", published: str = "2024-03-05") -> Mention:  # noqa: ANN001
    return Mention.from_event(key, ev, ArticleMeta(id=key, outlet=outlet, published=published))


def test_rewrites_from_other_outlets_form_one_story() -> None:
    a = make_event("Turkish forces shelled Kurdish fighters near Aleppo on Monday, killing 5 people.", killed=5)
    b = make_event("Kurdish militants came under Turkish artillery fire close to Aleppo city early Monday.", place="aleppo")
    c = make_event("Ankara's army pounded positions held by Kurdish groups around Aleppo, a monitor said.", day=None)
    stories = cluster([_m("a", a, "Wire A"), _m("b", b, "Wire B"), _m("c", c, "Daily C", published="2024-03-05")])
    assert len(stories) == 1
    assert stories[0].n_articles == 3 and stories[0].n_outlets == 3


def test_same_dyad_in_another_week_is_another_story() -> None:
    a = make_event("Turkish forces shelled Kurdish fighters near Aleppo on Monday.", day="2024-03-04")
    b = make_event("Turkish forces shelled Kurdish fighters near Aleppo again.", day="2024-03-12")
    assert len(cluster([_m("a", a), _m("b", b)])) == 2


def test_same_dyad_same_day_in_a_distant_city_is_another_story() -> None:
    a = make_event("Turkish drones struck Kurdish fighters in Aleppo.", place="aleppo")
    b = make_event("Turkish drones struck Kurdish fighters in Damascus.", place="damascus")
    near = make_event("Turkish drones struck Kurdish fighters in Azaz.", place="azaz")
    assert haversine_km(36.20, 37.16, 36.586, 37.046) < 50
    stories = cluster([_m("a", a), _m("b", b), _m("c", near)])
    assert sorted(len(s.mentions) for s in stories) == [1, 2]


def test_actor_and_type_mismatch_keep_apart() -> None:
    a = make_event("Turkish forces shelled Kurdish fighters near Aleppo.")
    russian = make_event("Russian jets bombed Kurdish fighters near Aleppo.", source=("Russian jets", "RUS"))
    protest = make_event("Protesters marched in Aleppo.", "PROTEST", source=("Protesters", "SYR"), target=None)
    assert not compatible(_m("a", a), _m("r", russian))
    assert not compatible(_m("a", a), _m("p", protest))
    assert len(cluster([_m("a", a), _m("r", russian), _m("p", protest)])) == 3


def test_precision_overlap_and_country_level_places() -> None:
    day = make_event("Turkish forces shelled Kurdish fighters near Aleppo on March 4.", day="2024-03-04")
    month = make_event("Turkish forces shelled Kurdish fighters in Syria in March.", day="2024-03-01",
                       precision="month", place="syria")  # fmt: skip
    april = make_event("Turkish forces shelled Kurdish fighters in Syria in April.", day="2024-04-01",
                       precision="month", place="syria")  # fmt: skip
    iraq = make_event("Turkish forces shelled Kurdish fighters in Baghdad.", place="baghdad")
    assert compatible(_m("d", day), _m("m", month))
    assert not compatible(_m("d", day), _m("a", april))
    assert not compatible(_m("d", day), _m("i", iraq))


def test_complete_link_does_not_chain() -> None:
    # each is within a day of the next, but the first and the last are three days apart
    evs = [make_event(f"Turkish forces shelled Kurdish fighters near Aleppo, report {i}.", day=f"2024-03-0{d}")
           for i, d in enumerate((1, 2, 3, 4))]  # fmt: skip
    stories = cluster([_m(str(i), e) for i, e in enumerate(evs)])
    assert len(stories) == 2


def test_rebuild_stories_in_store(tmp_path) -> None:  # noqa: ANN001
    docs = sample_docs()
    dup = make_doc("a6", [make_event("Turkey's military hit Kurdish fighters near Aleppo on Monday.")], outlet="Wire A",
                   extra="Rewritten.")  # fmt: skip
    with open_store(tmp_path / "s.db") as store:
        store.write_batch([(d, {}) for d in docs + [dup]])
        n = rebuild_stories(store)
        assert n == 4  # the three Aleppo reports collapse; protest; accusation; arrests
        from eventwire.query import query

        frame = query(store, stories=True)
        top = frame.iloc[0]
        assert (top.event_type, top.n_mentions, top.n_articles, top.n_outlets) == ("ASSAULT", 3, 3, 2)
        assert top.fatalities == 5
        assert rebuild_stories(store) == 4  # idempotent
