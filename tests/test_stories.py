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


# -- issue 12: stories that are one event each -------------------------------------------------------
from _ew_docs import db_url, variant  # noqa: E402,F401 - db_url is a fixture
from eventwire.model import Place  # noqa: E402
from eventwire.stories import update_stories  # noqa: E402

GHOUTA = Place(text="Ghouta", name="Eastern Ghouta", country="SYR", admin1="08", lat=33.55, lon=36.45, feature="region")
AFRIN = Place(text="Afrin", name="Afrin", country="SYR", admin1="09", lat=36.51, lon=36.87, feature="city")
SYRIA = Place(text="Syria", name="Syria", country="SYR", lat=35.0, lon=38.0, feature="country")


def _at(ev, place):  # noqa: ANN001, ANN202
    return variant(ev, locations=[place])


def test_no_over_merging_of_a_bombing_an_incursion_and_an_insurgency() -> None:
    bombing = _at(make_event("Government jets bombed rebels in Eastern Ghouta.", source=("Government jets", "SYR"),
                             target=("rebels", None), day="2018-02-20"), GHOUTA)  # fmt: skip
    bombing2 = _at(make_event("Syrian aircraft struck Ghouta again.", source=("Syrian aircraft", "SYR"),
                              target=None, day="2018-02-20"), GHOUTA)  # fmt: skip
    incursion = _at(make_event("Turkish troops pushed into Afrin.", day="2018-02-20"), AFRIN)
    insurgency = _at(make_event("A decades-long insurgency has ravaged Syria.", source=("insurgents", None), target=None,
                                day="2010-01-01", precision="decade"), SYRIA)  # fmt: skip
    vague = make_event("Fighting raged on.", source=("fighters", None), target=None, place=None, day=None)
    stories = cluster([_m("b", bombing), _m("b2", bombing2), _m("i", incursion), _m("x", insurgency),
                       _m("v", vague, published="2018-02-21")])  # fmt: skip
    by_key = {m.key: i for i, s in enumerate(stories) for m in s.mentions}
    assert by_key["b"] == by_key["b2"]  # the two Ghouta reports: one story
    assert len({by_key["b"], by_key["i"], by_key["x"]}) == 3  # 70 km from Afrin apart; a decade is not a day
    assert by_key["v"] != by_key["x"]


def test_background_never_joins_news_and_story_modality() -> None:
    news = make_event("Turkish forces shelled Kurdish fighters near Aleppo on Monday.")
    recalled = variant(make_event("Turkish forces shelled Kurdish fighters near Aleppo, as they did on Monday."),
                       background=True)  # fmt: skip
    assert len(cluster([_m("n", news), _m("r", recalled)])) == 2
    hypo = [variant(make_event(f"Turkey could shell Kurdish fighters near Aleppo {i}."), modality="hypothetical",
                    confidence=c) for i, c in ((1, 0.4), (2, 0.7))]  # fmt: skip
    only_hypo = cluster([_m("h1", hypo[0]), _m("h2", hypo[1])])
    assert len(only_hypo) == 1 and only_hypo[0].modality == "hypothetical" and only_hypo[0].confidence == 0.7
    mixed = cluster([_m("h1", hypo[0]), _m("n", news)])
    assert len(mixed) == 1 and mixed[0].modality == "asserted"


def test_n_outlets_falls_back_to_the_url_host(tmp_path) -> None:  # noqa: ANN001
    a = make_doc("u1", [make_event("Turkish forces shelled Kurdish fighters near Aleppo.")], outlet=None)
    b = make_doc("u2", [make_event("Turkish artillery hit Kurdish fighters near Aleppo.")], outlet=None)
    b = b.model_copy(update={"article": b.article.model_copy(update={"url": "https://www.other.net/x"})})
    with open_store(tmp_path / "h.db") as store:
        store.write_batch([(a, {}), (b, {})])
        assert rebuild_stories(store) == 1
        from eventwire.query import query

        assert query(store, stories=True).iloc[0].n_outlets == 2  # example.org, other.net


def test_incremental_stories_match_a_rebuild(db_url: str) -> None:  # noqa: F811
    docs = sample_docs()
    late = make_doc("a7", [make_event("Turkish shells hit Kurdish fighters near Aleppo on Monday.", killed=7)],
                    outlet="Daily C")  # fmt: skip
    with open_store(db_url) as store:
        first = store.write_batch([(d, {}) for d in docs[:3]])
        up = update_stories(store, first.event_pks)
        assert (up.created, up.total) == (3, 3)
        second = store.write_batch([(d, {}) for d in docs[3:] + [late]])
        up = update_stories(store, second.event_pks)
        assert (up.mentions, up.created, up.updated, up.total) == (2, 1, 1, 4)  # the late report joins Aleppo
        from eventwire.query import query

        top = query(store, stories=True).iloc[0]
        assert (top.n_mentions, top.n_articles, top.n_outlets, top.fatalities) == (3, 3, 3, 7)
        incremental = sorted(query(store, stories=True)[["event_type", "n_mentions", "n_articles"]].values.tolist())
        assert rebuild_stories(store) == 4
        assert sorted(query(store, stories=True)[["event_type", "n_mentions", "n_articles"]].values.tolist()) == incremental


def test_stories_cli_update_and_rebuild_with_thresholds(db_url: str) -> None:  # noqa: F811
    import json

    from click.testing import CliRunner

    from eventwire.cli import main

    # the same strike reported from Aleppo and from Azaz (about 45 km apart), and a protest
    docs = [make_doc("k1", [make_event("Turkish drones struck Kurdish fighters in Aleppo on Monday.")]),
            make_doc("k2", [make_event("Turkish drones struck Kurdish fighters in Azaz on Monday.", place="azaz")],
                     outlet="Wire B"),
            make_doc("k3", [make_event("Crowds marched in Aleppo on Monday.", "PROTEST", source=("Crowds", "SYR"),
                                       target=None)])]  # fmt: skip
    with open_store(db_url) as store:
        store.write_batch([(d, {}) for d in docs])  # stored without stories, as 'ingest --no-stories' does
    runner = CliRunner()
    out = runner.invoke(main, ["stories", "update", "--db", db_url, "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == {"mentions": 3, "created": 2, "updated": 0, "deleted": 0, "stories": 2}
    again = runner.invoke(main, ["stories", "update", "--db", db_url, "--json"])
    assert json.loads(again.stdout)["mentions"] == 0  # nothing left without a story
    near = runner.invoke(main, ["stories", "rebuild", "--db", db_url, "--story-max-km", "10", "--json"])
    assert near.exit_code == 0, near.output
    assert json.loads(near.stdout) == {"mentions": 3, "created": 3, "updated": 0, "deleted": 0, "stories": 3}
    wide = runner.invoke(main, ["stories", "rebuild", "--db", db_url])
    assert wide.exit_code == 0 and "2 stories in" in wide.stderr
    bad = runner.invoke(main, ["stories", "rebuild", "--db", db_url, "--story-max-km", "-1"])
    assert bad.exit_code == 1 and "story_max_km" in bad.stderr and "Traceback" not in bad.stderr


def test_stories_cli_refuses_a_missing_database(tmp_path) -> None:  # noqa: ANN001
    from click.testing import CliRunner

    from eventwire.cli import main

    out = CliRunner().invoke(main, ["stories", "rebuild", "--db", str(tmp_path / "none.db")])
    assert out.exit_code == 1 and "[EW301]" in out.stderr and "no such database" in out.stderr


def test_stored_stories_keep_modality_and_background_apart(db_url: str) -> None:  # noqa: F811
    from eventwire.query import query

    # a threatened shelling two weeks later (hypothetical in both reports), the news, a recollection of it
    hypo = [variant(make_event(f"Turkey could shell Kurdish fighters near Aleppo, report {i}.", day="2024-03-20"),
                    modality="hypothetical") for i in (1, 2)]  # fmt: skip
    news = make_event("Turkish forces shelled Kurdish fighters near Aleppo on Monday.")
    recalled = variant(make_event("Turkish forces shelled Kurdish fighters near Aleppo, as on Monday."), background=True)
    docs = [make_doc("h1", [hypo[0]]), make_doc("h2", [hypo[1]], outlet="Wire B"), make_doc("n1", [news]),
            make_doc("r1", [recalled], outlet="Wire C")]  # fmt: skip
    with open_store(db_url) as store:
        store.write_batch([(d, {}) for d in docs])
        assert rebuild_stories(store) == 3  # the two hypotheticals; the news; the recalled one
        every = query(store, stories=True, modality="any", include_background=True)
        kinds = sorted(every[["modality", "background", "n_mentions", "n_outlets"]].values.tolist())
        assert kinds == [["asserted", False, 1, 1], ["asserted", True, 1, 1], ["hypothetical", False, 2, 2]]
        default = query(store, stories=True)  # asserted news only
        assert default[["modality", "background"]].values.tolist() == [["asserted", False]]


def test_ingest_takes_the_story_thresholds(tmp_path) -> None:  # noqa: ANN001
    import json

    from click.testing import CliRunner

    from eventwire.cli import main

    docs = [make_doc("i1", [make_event("Turkish drones struck Kurdish fighters in Aleppo on Monday.")]),
            make_doc("i2", [make_event("Turkish drones struck Kurdish fighters in Azaz on Monday.", place="azaz")],
                     outlet="Wire B")]  # fmt: skip
    coded = tmp_path / "coded.jsonl"  # already-coded documents: ingest imports them without coding
    coded.write_text("".join(json.dumps(d.to_dict()) + "\n" for d in docs), encoding="utf-8")
    stories = {}
    for km in ("50", "10"):
        out = CliRunner().invoke(main, ["ingest", str(coded), "--db", str(tmp_path / f"{km}.db"), "--json",
                                        "--no-progress", "--story-max-km", km])
        assert out.exit_code == 0, out.output
        stories[km] = json.loads(out.stdout)["stories"]
    assert stories == {"50": 1, "10": 2}  # Aleppo and Azaz are about 45 km apart
