"""Aggregates on a constructed database whose every figure is known: week boundaries, precision, measures."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from click.testing import CliRunner

from _ew_docs import db_url, make_doc, make_event, variant  # noqa: F401 - db_url is a fixture
from eventwire import aggregate
from eventwire.cli import main
from eventwire.errors import InputError
from eventwire.store import open_store
from eventwire.stories import rebuild_stories


def _docs() -> list:
    ev = make_event
    return [
        # day precision either side of a week boundary: Sunday 3 March, Monday 4 March, Sunday 10 March
        make_doc("sun", [ev("Turkish forces shelled Kurdish fighters near Aleppo on Sunday.", day="2024-03-03",
                            killed=5)]),  # fmt: skip
        make_doc("sun2", [ev("Turkish artillery hit Kurdish fighters near Aleppo on Sunday.", day="2024-03-03",
                             killed=7)], outlet="Wire B"),  # fmt: skip  # the same story: counted once for deaths
        make_doc("mon", [ev("Kurdish fighters attacked Turkish forces near Aleppo on Monday.", day="2024-03-04",
                            source=("Kurdish fighters", "SYR"), target=("Turkish forces", "TUR"), killed=3)]),  # fmt: skip
        make_doc("sun10", [ev("Turkish forces shelled Kurdish fighters near Aleppo on 10 March.", day="2024-03-10")]),
        # coarser dates
        make_doc("month", [ev("Turkish forces shelled Kurdish fighters near Aleppo in March.", day="2024-03-01",
                              precision="month")]),  # fmt: skip
        make_doc("year", [ev("Turkish forces shelled Kurdish fighters near Aleppo in 2024.", day="2024-01-01",
                             precision="year")]),  # fmt: skip
        make_doc("week", [ev("Turkish forces shelled Kurdish fighters near Aleppo last week.", day="2024-02-19",
                             precision="week")]),  # fmt: skip  # Monday 19 .. Sunday 25 February
        # left out by the default filters
        make_doc("hypo", [variant(ev("Turkish forces may shell Kurdish fighters near Aleppo.", day="2024-03-05"),
                                  modality="hypothetical")]),  # fmt: skip
        make_doc("bg", [variant(ev("Turkish forces shelled Kurdish fighters near Aleppo in 2016.", day="2024-03-05",
                                   killed=900), background=True)]),  # fmt: skip
    ]


@pytest.fixture()
def adb(db_url: str) -> str:  # noqa: F811
    with open_store(db_url) as store:
        store.write_batch([(d, {}) for d in _docs()])
        rebuild_stories(store)
    return db_url


def _series(frame: pd.DataFrame, col: str) -> dict[str, float]:
    return {ts.strftime("%Y-%m-%d"): v for ts, v in zip(frame.index, frame[col], strict=True)}


def test_weeks_respect_boundaries_and_precision(adb: str) -> None:
    frame = aggregate(adb, by="week", group=None)
    assert isinstance(frame.index, pd.DatetimeIndex) and frame.index.name == "period"
    # Sun 3 Mar belongs to the week of Mon 26 Feb; Mon 4 and Sun 10 Mar to the week of 4 Mar;
    # "last week" (19-25 Feb) is a week; March and 2024 are not counted in any week
    assert _series(frame, "count") == {"2024-02-19": 1, "2024-02-26": 2, "2024-03-04": 2}
    assert frame.attrs["left_out"] == 2
    months = aggregate(adb, by="month", group=None)
    assert _series(months, "count") == {"2024-02-01": 1, "2024-03-01": 5} and months.attrs["left_out"] == 1
    years = aggregate(adb, by="year", group=None)
    assert _series(years, "count") == {"2024-01-01": 7} and years.attrs["left_out"] == 0


def test_spread_shares_coarse_events_out(adb: str) -> None:
    frame = aggregate(adb, by="month", group=None, coarse="spread")
    values = _series(frame, "count")
    assert len(values) == 12 and sum(values.values()) == pytest.approx(7)
    assert values["2024-03-01"] == pytest.approx(5 + 31 / 366)
    assert values["2024-02-01"] == pytest.approx(1 + 29 / 366)


def test_measures_and_groups(adb: str) -> None:
    deaths = aggregate(adb, by="week", group=None, measure="fatalities")
    assert _series(deaths, "fatalities") == {"2024-02-19": 0, "2024-02-26": 7, "2024-03-04": 3}  # 5 and 7: one story
    assert _series(aggregate(adb, by="week", group=None, measure="stories"), "stories")["2024-02-26"] == 1
    assert _series(aggregate(adb, by="week", group=None, measure="articles"), "articles")["2024-02-26"] == 2
    assert _series(aggregate(adb, by="year", group=None, measure="goldstein"), "goldstein") == {"2024-01-01": -70.0}
    directed = aggregate(adb, by="year", group="source,target")
    assert sorted(zip(directed.source, directed.target, directed["count"], strict=True)) == [
        ("SYR", "TUR", 1), ("TUR", "SYR", 6)]  # fmt: skip
    dyads = aggregate(adb, by="year", group=("dyad",))
    assert dyads.dyad.tolist() == ["SYR-TUR"] and dyads["count"].tolist() == [7]
    by_place = aggregate(adb, by="year", group=["country", "admin1", "outlet"])
    assert set(by_place.outlet) == {"Wire A", "Wire B"} and set(by_place.admin1) == {"Aleppo"}
    assert aggregate(adb, by="year", group=None, include_background=True, modality="any")["count"].tolist() == [9]
    complete = aggregate(adb, by="week", group=None, complete=True, since="2024-02-19")
    assert len(complete) == 3


def test_errors_and_cli(adb: str) -> None:
    for bad in ({"by": "hour"}, {"measure": "sum"}, {"group": "colour"}, {"group": ","}, {"coarse": "guess"}):
        with pytest.raises(InputError):
            aggregate(adb, **bad)
    res = CliRunner().invoke(main, ["aggregate", "--db", adb, "--by", "week", "--group", "country,event_type", "--csv"])
    assert res.exit_code == 0, res.output
    frame = pd.read_csv(io.StringIO(res.stdout))
    assert frame.columns.tolist() == ["period", "country", "event_type", "count"]
    assert frame["count"].sum() == 5 and "2 events dated coarser" in res.stderr
    res = CliRunner().invoke(main, ["aggregate", "--db", adb, "--by", "month", "--group", "none", "--json",
                                    "--measure", "fatalities"])  # fmt: skip
    assert res.exit_code == 0 and '"fatalities":10' in res.stdout.replace(" ", "")
