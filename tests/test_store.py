"""Store: schema, migrations, idempotent writes, failures, round trip, SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select, text

from _ew_docs import db_url, make_doc, make_event, sample_docs  # noqa: F401 - db_url is a fixture
from eventwire.errors import StoreError
from eventwire.store import date_range, normalise_url, open_store, schema


def _store_all(store, docs):  # noqa: ANN001, ANN202
    return store.write_batch([(d, {"source": f"test:{d.article.id}", "kind": "json"}) for d in docs])


def test_schema_has_every_table(db_url: str) -> None:  # noqa: F811
    store = open_store(db_url)
    names = set(inspect(store.engine).get_table_names())
    assert {"articles", "sentences", "events", "actors", "locations", "quantities", "attributions",
            "rules", "failures", "stories", "story_mentions", "alembic_version"} <= names  # fmt: skip
    store.close()


def test_write_is_idempotent_by_content_hash(db_url: str) -> None:  # noqa: F811
    docs = sample_docs()
    store = open_store(db_url)
    first = _store_all(store, docs)
    assert (first.articles, first.duplicates, first.events) == (5, 0, 5)
    again = _store_all(store, docs)
    assert (again.articles, again.duplicates, again.events) == (0, 5, 0)
    counts = store.counts()
    assert counts["articles"] == 5 and counts["events"] == 5
    # same text under another id is still the same article
    clone = docs[0].model_copy(update={"article": docs[0].article.model_copy(update={"id": "other"})})
    assert _store_all(store, [clone]).duplicates == 1
    store.close()


def test_normalised_rows(db_url: str) -> None:  # noqa: F811
    store = open_store(db_url)
    _store_all(store, sample_docs())
    with store.engine.connect() as conn:
        ev = conn.execute(select(schema.events).where(schema.events.c.event_type == "ASSAULT").order_by(schema.events.c.id)).all()
        assert [r.fatalities for r in ev] == [5, None]
        assert ev[0].root_code == "19" and ev[0].country == "SYR" and ev[0].source_countries == "TUR"
        week = conn.execute(select(schema.events).where(schema.events.c.event_type == "COERCE")).one()
        assert (week.date_start, week.date_end) == ("2024-02-26", "2024-03-03")
        n_src = conn.execute(select(func.count()).select_from(schema.actors).where(schema.actors.c.role == "source")).scalar_one()
        assert n_src == 5
        rules = dict(conn.execute(select(schema.rules.c.rule, schema.rules.c.n_events)).all())
        assert rules["test.assault"] == 2
        sents = conn.execute(select(func.count()).select_from(schema.sentences)).scalar_one()
        assert sents == 5
    store.close()


def test_documents_round_trip_unchanged(db_url: str) -> None:  # noqa: F811
    docs = sample_docs()
    store = open_store(db_url)
    _store_all(store, docs)
    back = list(store.iter_documents())
    assert [d.to_dict() for d in back] == [d.to_dict() for d in docs]
    store.close()


def test_failures_recorded_once(db_url: str) -> None:  # noqa: F811
    store = open_store(db_url)
    fails = [("a.txt", None, "[EW103] binary"), ("b.json", "x1", "[EW105] malformed JSON")]
    assert store.write_batch([], fails).failures == 2
    assert store.write_batch([], fails).failures == 0
    assert [f["source"] for f in store.failures()] == ["a.txt", "b.json"]
    store.close()


def test_reopen_keeps_data_and_schema_version(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "x.db"
    with open_store(path) as store:
        _store_all(store, sample_docs()[:2])
    with open_store(path) as store:
        assert store.counts()["articles"] == 2
        with store.engine.connect() as conn:
            assert conn.execute(text("select version_num from alembic_version")).scalar_one() == "0002_analyst"
            assert conn.execute(text("PRAGMA journal_mode")).scalar_one().lower() == "wal"


def test_bad_locations_give_coded_errors(tmp_path) -> None:  # noqa: ANN001
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "missing" / "x.db")
    with pytest.raises(StoreError, match="no such database"):
        open_store(tmp_path / "absent.db", create=False)
    with pytest.raises(StoreError):
        open_store("nosuchdialect://host/db")
    bad = tmp_path / "notadb.db"
    bad.write_bytes(b"this is not a sqlite file at all" * 100)
    with pytest.raises(StoreError, match="cannot open"):
        open_store(bad)


def test_url_normalisation_and_date_ranges() -> None:
    assert normalise_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalise_url("events.db").startswith("sqlite:///")
    assert date_range("2024-02-01", "month") == ("2024-02-01", "2024-02-29")
    assert date_range("2023-01-01", "year") == ("2023-01-01", "2023-12-31")
    assert date_range("garbage", "day") == (None, None)


def test_event_without_date_or_place_is_stored(tmp_path) -> None:  # noqa: ANN001
    ev = make_event("Unknown gunmen attacked a convoy.", day=None, place=None, target=None)
    with open_store(tmp_path / "y.db") as store:
        assert store.write_batch([(make_doc("z", [ev]), {})]).events == 1


def test_database_urls_are_printed_with_the_password_masked():
    from eventwire.errors import StoreError
    from eventwire.store import masked, open_store

    assert masked("postgresql://ew:s3cret@127.0.0.1:1/x") == "postgresql://ew:***@127.0.0.1:1/x"
    assert masked("events.db") == "events.db"
    with pytest.raises(StoreError) as info:
        open_store("postgresql://ew:s3cret@127.0.0.1:1/nothing")
    assert "s3cret" not in str(info.value) and "***" in str(info.value)


# -- issue 12: article versions and batched writes --------------------------------------------------------
def _version(text: str, art_id: str = "v1", url: str = "https://example.org/story", killed: int = 5):  # noqa: ANN202
    ev = make_event(text, killed=killed)
    doc = make_doc(art_id, [ev])
    return doc.model_copy(update={"article": doc.article.model_copy(update={"url": url})})


def test_a_corrected_republication_replaces_the_earlier_version(db_url: str) -> None:  # noqa: F811
    from eventwire.query import query
    from eventwire.stories import update_stories

    first = _version("Turkish forces shelled Kurdish fighters near Aleppo on Monday, killing 5 people.")
    fixed = _version("Turkish forces shelled Kurdish fighters near Aleppo on Monday, killing 7 people.", killed=7)
    other = make_doc("o1", [make_event("Turkish troops hit Kurdish fighters near Aleppo on Monday.")], outlet="Wire B")
    with open_store(db_url) as store:
        w = store.write_batch([(first, {}), (other, {})])
        update_stories(store, w.event_pks)
        assert query(store, stories=True).n_articles.tolist() == [2]
        w = store.write_batch([(fixed, {})])
        assert (w.articles, w.superseded, len(w.retracted_events)) == (1, 1, 1)
        up = update_stories(store, w.event_pks, w.retracted_events)
        assert up.total == 1
        frame = query(store)
        assert sorted(frame.fatalities.dropna().tolist()) == [7]  # the old 5 left queries
        story = query(store, stories=True).iloc[0]
        assert (story.n_mentions, story.n_articles, story.fatalities) == (2, 2, 7)  # not counted as corroboration
        versions = store.versions("https://example.org/story")
        assert [v["version"] for v in versions] == [1, 2]
        assert versions[0]["superseded_by"] == versions[1]["id"] and versions[1]["superseded_by"] is None
        assert store.write_batch([(fixed, {})]).duplicates == 1  # identical text stays a duplicate
        assert store.write_batch([(first, {})]).duplicates == 1  # so does the old text (kept as a version)
        assert [d.article.id for d in store.iter_documents()] == ["o1", "v1"]  # current versions only
        assert store.counts()["superseded"] == 1


def test_versions_within_one_batch_and_by_feed_id(db_url: str) -> None:  # noqa: F811
    a = _version("Version one of the report.", url="https://example.org/a")
    b = _version("Version two of the report.", url="https://example.org/a")
    c = _version("Version three, now at another URL.", url="https://example.org/a?amp")  # same id: a GUID
    with open_store(db_url) as store:
        w = store.write_batch([(a, {}), (b, {}), (c, {})])
        assert (w.articles, w.superseded) == (3, 2)
        assert [v["version"] for v in store.versions("v1")] == [1, 2, 3]
        assert len(list(store.iter_documents())) == 1


def test_batched_write_keeps_every_row(db_url: str) -> None:  # noqa: F811
    docs = [make_doc(f"b{i}", [make_event(f"Turkish forces shelled Kurdish fighters near Aleppo, report {i}.",
                                          killed=i + 1, index=0)]) for i in range(30)]  # fmt: skip
    with open_store(db_url) as store:
        w = store.write_batch([(d, {}) for d in docs])
        assert (w.articles, w.events, len(w.event_pks)) == (30, 30, 30)
        with store.engine.connect() as conn:
            ev, act = schema.events, schema.actors
            pairs = conn.execute(select(ev.c.id, ev.c.fatalities).order_by(ev.c.id)).all()
            assert [f for _, f in pairs] == list(range(1, 31))
            n = conn.execute(select(func.count()).select_from(act).where(act.c.role == "source")).scalar_one()
            assert n == 30
            assert conn.execute(select(schema.rules.c.n_events)).scalar_one() == 30
