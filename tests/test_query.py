"""Query: filters by type, actor, country, dates, distance; stories; errors."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from _ew_docs import sample_docs
from eventwire.cli import main
from eventwire.errors import InputError
from eventwire.query import Filters, parse_near, query
from eventwire.store import open_store
from eventwire.stories import rebuild_stories


@pytest.fixture()
def db(tmp_path) -> str:  # noqa: ANN001
    path = str(tmp_path / "q.db")
    with open_store(path) as store:
        store.write_batch([(d, {}) for d in sample_docs()])
        rebuild_stories(store)
    return path


def test_filters(db: str) -> None:
    assert len(query(db)) == 5
    assert list(query(db, type="ASSAULT").event_type) == ["ASSAULT", "ASSAULT"]
    assert list(query(db, type=["protest", "ACCUSE"]).event_type) == ["PROTEST", "ACCUSE"]
    assert list(query(db, actor="IRN").event_type) == ["ACCUSE"]
    assert list(query(db, actor="isr").event_type) == ["ACCUSE"]  # target side, any case
    assert list(query(db, actor="Kurdish fighters").event_type) == ["ASSAULT", "ASSAULT"]  # by name
    assert set(query(db, country="IRQ").event_type) == {"COERCE"}
    assert len(query(db, country="SYR")) == 4


def test_dates_respect_precision(db: str) -> None:
    # the arrests are dated "last week" (2024-02-26 .. 2024-03-03): a since-date inside the week matches
    assert "COERCE" in set(query(db, since="2024-03-02").event_type)
    assert "COERCE" not in set(query(db, since="2024-03-04").event_type)
    assert list(query(db, since="2024-04").event_type) == ["ACCUSE"]
    assert set(query(db, until="2024-02-29").event_type) == {"COERCE"}


def test_near(db: str) -> None:
    frame = query(db, near="36.2,37.1,30")
    assert list(frame.event_type) == ["ASSAULT", "ASSAULT"]
    assert query(db, near=(33.5, 36.3, 5)).event_type.tolist() == ["PROTEST", "ACCUSE"]
    assert query(db, near=(0.0, 0.0, 100)).empty


def test_stories_frame(db: str) -> None:
    frame = query(db, stories=True)
    assert len(frame) == 4
    assert frame.iloc[0].n_mentions == 2 and frame.iloc[0].n_outlets == 2
    assert len(query(db, stories=True, type="PROTEST")) == 1


def test_bad_filters_raise_coded_errors(db: str) -> None:
    with pytest.raises(InputError, match="LAT,LON,KM"):
        parse_near("33,36")
    with pytest.raises(InputError, match="latitude"):
        Filters.make(near=(95.0, 0.0, 1.0))
    with pytest.raises(InputError, match="not a date"):
        query(db, since="yesterday")


def test_cli_query_table_and_errors(db: str) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["query", "--db", db, "--type", "ASSAULT", "--csv"])
    assert res.exit_code == 0 and res.output.count("ASSAULT") == 2
    res = runner.invoke(main, ["query", "--db", db, "--stories"])
    assert res.exit_code == 0 and "4 stories" in res.output
    res = runner.invoke(main, ["query", "--db", db, "--since", "nonsense"])
    assert res.exit_code == 1 and "[EW101]" in res.output and "Traceback" not in res.output


# -- issue 12: dyads, sectors, modality, confidence, outlet, rule, background, text, totals --------------
from _ew_docs import db_url, make_doc, make_event, variant  # noqa: E402,F401 - db_url is a fixture


def _analyst_docs() -> list:
    docs = sample_docs()
    hypo = variant(make_event("Turkish forces may shell Kurdish fighters near Aleppo, officials warned.", day="2024-03-06"),
                   modality="hypothetical")  # fmt: skip
    old = variant(make_event("Turkish forces shelled Kurdish fighters near Aleppo in 2016, killing 300.", killed=300,
                             day="2016-01-01", precision="year"), background=True)  # fmt: skip
    weak = variant(make_event("Syrian troops fired on Turkish positions near Aleppo.", source=("Syrian troops", "SYR"),
                              target=("Turkish positions", "TUR"), day="2024-03-07"), confidence=0.3)  # fmt: skip
    return docs + [make_doc("h1", [hypo]), make_doc("b1", [old], published="2024-03-08"),
                   make_doc("w1", [weak], outlet="Wire B")]


@pytest.fixture()
def adb(db_url: str) -> str:  # noqa: F811
    with open_store(db_url) as store:
        store.write_batch([(d, {}) for d in _analyst_docs()])
        rebuild_stories(store)
    return db_url


def test_directed_and_undirected_dyads(adb: str) -> None:
    assert len(query(adb, source="TUR", target="SYR")) == 2  # the two asserted Aleppo reports
    assert list(query(adb, source="SYR", target="TUR").trigger) == ["fired"]
    assert len(query(adb, dyad="SYR,TUR")) == 3 and len(query(adb, dyad=("TUR", "SYR"))) == 3
    assert len(query(adb, actor=["TUR", "IRN"])) == 4  # actor stays a union: either side, any of them
    assert query(adb, dyad=[("IRN", "ISR"), ("IRQ", "USA")]).event_type.tolist() == ["ACCUSE"]


def test_sector_modality_background_confidence(adb: str) -> None:
    assert len(query(adb)) == 6  # asserted, news only
    assert len(query(adb, modality="any")) == 7
    assert query(adb, modality="hypothetical").trigger.tolist() == ["may"]
    assert len(query(adb, include_background=True)) == 7
    assert len(query(adb, modality="any", include_background=True)) == 8
    assert len(query(adb, min_confidence=0.5)) == 5  # the 0.3 event goes; unscored events count as 1.0
    assert len(query(adb, sector="REB")) == 5 and len(query(adb, sector="MIL")) == 6


def test_outlet_rule_text_and_country(adb: str) -> None:
    assert set(query(adb, outlet="wire b").article_id) == {"a2", "w1"}
    assert len(query(adb, outlet="example.org")) == 6  # the URL host stands in for the outlet
    assert len(query(adb, rule="test.assault")) == 3 and len(query(adb, rule="test.*")) == 6
    assert query(adb, text="CONSULATE").event_type.tolist() == ["ACCUSE"]
    assert query(adb, text="100%").empty  # LIKE wildcards are literal


def test_limit_and_total(adb: str) -> None:
    frame = query(adb, limit=2)
    assert len(frame) == 2 and frame.attrs["total"] == 6
    assert query(adb, stories=True, limit=1).attrs["total"] == len(query(adb, stories=True))


def test_empty_and_malformed_values_are_errors() -> None:
    for bad in ({"actor": ""}, {"actor": [""]}, {"since": ""}, {"text": " "}, {"dyad": "USA"}, {"modality": "maybe"},
                {"min_confidence": 2}, {"near": ""}, {"bogus": 1}):  # fmt: skip
        with pytest.raises(InputError):
            Filters.make(**bad)
    assert Filters.make(modality=["asserted", "negated", "future", "hypothetical"]).modality == ()


def test_cli_showing_n_of_total_and_csv_writes_all(tmp_path) -> None:  # noqa: ANN001
    path = str(tmp_path / "many.db")
    evs = [make_event(f"Turkish forces shelled Kurdish fighters near Aleppo, report {i}.", index=i) for i in range(60)]
    with open_store(path) as store:
        store.write_batch([(make_doc(f"m{i}", [e]), {}) for i, e in enumerate(evs)])
    runner = CliRunner()
    res = runner.invoke(main, ["query", "--db", path])
    assert res.exit_code == 0 and "showing 50 of 60 events" in res.output
    res = runner.invoke(main, ["query", "--db", path, "--csv"])
    assert res.exit_code == 0 and len(res.output.strip().splitlines()) == 61
    res = runner.invoke(main, ["query", "--db", path, "--json", "--limit", "3"])
    import json

    assert len(json.loads(res.output)) == 3
    res = runner.invoke(main, ["query", "--db", path, "--source", "TUR", "--target", "SYR", "--dyad", "TUR,SYR",
                               "--sector", "MIL", "--modality", "asserted", "--min-confidence", "0.5",
                               "--outlet", "Wire A", "--rule", "test.*", "--text", "report 1", "--csv"])
    assert res.exit_code == 0, res.output
    assert len(res.output.strip().splitlines()) == 1 + 11  # report 1, 10..19
    res = runner.invoke(main, ["query", "--db", path, "--actor", ""])
    assert res.exit_code == 1 and "empty value" in res.output
