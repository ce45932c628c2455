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
