"""Export: every format, filters, and the jsonl -> ingest -> jsonl round trip."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest
from click.testing import CliRunner

from _ew_docs import make_event, sample_docs
from eventwire.cli import main
from eventwire.errors import ExportError
from eventwire.export import ACLED_COLUMNS, CAMEO_COLUMNS, export, to_acled, to_cameo, to_plover
from eventwire.ingest import ingest
from eventwire.model import ArticleMeta
from eventwire.store import open_store


@pytest.fixture()
def db(tmp_path) -> str:  # noqa: ANN001
    path = str(tmp_path / "e.db")
    with open_store(path) as store:
        store.write_batch([(d, {}) for d in sample_docs()])
    return path


def test_plover_record_fields() -> None:
    ev = make_event("Turkish forces shelled Kurdish fighters near Aleppo on Monday, killing 5 people.", killed=5)
    rec = to_plover(ev, ArticleMeta(id="a1", url="https://x.org/1", outlet="Wire"))
    for key in ("id", "date", "actor", "recipient", "event", "event_loc", "event_text", "quad_code", "mode",
                "context", "text", "text_info", "cite_info"):  # fmt: skip
        assert key in rec
    assert rec["event"] == ["ASSAULT"] and rec["date"] == "2024-03-04"
    assert rec["actor"][0]["code"] == "TUR" and rec["recipient"][0]["sector"] == "REB"
    assert rec["event_loc"]["country_code"] == "SYR" and rec["event_loc"]["geonameid"] == 170063
    assert rec["size"] == {"dead": 5} and rec["cite_info"]["url"] == "https://x.org/1"


def test_cameo_and_acled_rows() -> None:
    ev = make_event("Turkish forces shelled Kurdish fighters near Aleppo.", killed=3)
    row = dict(zip(CAMEO_COLUMNS, to_cameo(ev, ArticleMeta(id="a"), ), strict=True))
    assert row["date"] == "20240304" and row["source"] == "TURMIL" and row["root_code"] == "19"
    acled = to_acled(ev, ArticleMeta(id="a", outlet="Wire"))
    assert acled is not None and list(acled) == ACLED_COLUMNS
    assert acled["country"] == "Syria" and acled["geo_precision"] == 1 and acled["fatalities"] == 3
    assert acled["source"] == "Wire" and acled["notes"].startswith("Turkish forces shelled")
    assert to_acled(make_event("Iran accused Israel.", "ACCUSE"), ArticleMeta(id="b")) is None


def test_every_format_writes(db: str, tmp_path) -> None:  # noqa: ANN001
    out = tmp_path / "o"
    assert export(db, "jsonl", f"{out}.jsonl") == 5
    assert export(db, "plover", f"{out}.plover") == 5
    assert export(db, "plover-jsonl", f"{out}.ploverl") == 5
    assert export(db, "cameo", f"{out}.tsv") == 5
    assert export(db, "acled", f"{out}.csv") == 2
    assert export(db, "geojson", f"{out}.geojson") == 5
    assert export(db, "parquet", f"{out}.parquet") == 5
    lines = (tmp_path / "o.tsv").read_text().splitlines()
    assert lines[0].split("\t") == CAMEO_COLUMNS and all(len(x.split("\t")) == len(CAMEO_COLUMNS) for x in lines)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "o.csv").read_text())))
    assert rows[0]["event_type"] == "Battles" and rows[0]["fatalities"] == "5"
    geo = json.loads((tmp_path / "o.geojson").read_text())
    assert geo["type"] == "FeatureCollection" and geo["features"][0]["geometry"]["coordinates"] == [37.16, 36.2]
    frame = pd.read_parquet(f"{out}.parquet")
    assert list(frame.event_type) == ["ASSAULT", "ASSAULT", "PROTEST", "ACCUSE", "COERCE"]
    plover = json.loads((tmp_path / "o.plover").read_text())
    assert [p["event"][0] for p in plover] == list(frame.event_type)
    lines = [json.loads(x) for x in (tmp_path / "o.ploverl").read_text().splitlines()]
    assert lines == plover


def test_filters_apply_to_export(db: str, tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "f.jsonl"
    assert export(db, "jsonl", path, type="PROTEST") == 1
    doc = json.loads(path.read_text())
    assert [e["event_type"] for e in doc["events"]] == ["PROTEST"]  # the accusation in the same article is left out
    assert export(db, "plover", tmp_path / "n.jsonl", near="36.2,37.1,30") == 2


def test_jsonl_round_trip_through_ingest(db: str, tmp_path) -> None:  # noqa: ANN001
    first = tmp_path / "first.jsonl"
    export(db, "jsonl", first)
    summary = ingest([first], tmp_path / "copy.db", progress=False)
    assert (summary.imported, summary.coded, summary.failed) == (5, 0, 0)
    second = tmp_path / "second.jsonl"
    export(str(tmp_path / "copy.db"), "jsonl", second)
    assert second.read_text() == first.read_text()
    assert ingest([first], tmp_path / "copy.db", progress=False).duplicates == 5


def test_export_errors(db: str, tmp_path) -> None:  # noqa: ANN001
    with pytest.raises(ExportError, match="unknown export format"):
        export(db, "xml")
    with pytest.raises(ExportError, match="binary"):
        export(db, "parquet", "-")
    with pytest.raises(ExportError, match="cannot write"):
        export(db, "jsonl", tmp_path / "no" / "such" / "dir.jsonl")
    res = CliRunner().invoke(main, ["export", "--db", db, "-f", "parquet"])
    assert res.exit_code == 1 and "[EW302]" in res.output


def test_cli_export_to_stdout(db: str) -> None:
    res = CliRunner().invoke(main, ["export", "--db", db, "-f", "plover", "--actor", "IRN"])
    assert res.exit_code == 0
    records = json.loads(res.output)
    assert [r["actor"][0]["code"] for r in records] == ["IRN"]
