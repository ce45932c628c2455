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


# -- issue 12: ACLED as ACLED users load it, PLOVER as the manual's JSON ------------------------------
from _ew_docs import db_url, make_doc, variant  # noqa: E402,F401 - db_url is a fixture
from eventwire.export import PLOVER_FIELDS  # noqa: E402
from eventwire.model import Place, Quantity  # noqa: E402
from eventwire.stories import rebuild_stories  # noqa: E402

ALEPPO_CODED = Place(text="Aleppo", name="Aleppo", country="SYR", admin1="09", lat=36.20, lon=37.16, geonameid=170063,
                     feature="city")  # fmt: skip


def _acled_docs() -> list:
    docs = sample_docs()
    toll = variant(make_event("Turkish forces shelled Kurdish fighters near Aleppo on Monday.", killed=None),
                   quantities=[Quantity(value=500000, kind="killed", unit="people", text="500,000 people",
                                        sentence_index=7)])  # fmt: skip  # the war's toll, quoted in another sentence
    hypo = variant(make_event("Turkish forces could kill 1,000 Kurdish fighters near Aleppo.", killed=1000,
                              day="2024-03-20"), modality="hypothetical")  # fmt: skip
    history = variant(make_event("Turkish forces massacred 2,000 Kurdish fighters near Aleppo in 1990.", killed=2000,
                                 day="1990-01-01", precision="year"), background=True)  # fmt: skip
    formula = variant(make_event("=HYPERLINK(\"x\") Syrian police shot Kurdish fighters in Aleppo.",
                                 source=("Syrian police", "SYR"), day="2024-05-01"), locations=[ALEPPO_CODED])  # fmt: skip
    formula.source[0].sector = "COP"
    return docs + [make_doc("t1", [toll], outlet="Wire C"), make_doc("h1", [hypo]), make_doc("b1", [history]),
                   make_doc("f1", [formula], outlet=None)]


@pytest.fixture()
def adb(db_url: str) -> str:  # noqa: F811
    with open_store(db_url) as store:
        store.write_batch([(d, {}) for d in _acled_docs()])
        rebuild_stories(store)
    return db_url


def test_acled_export_loads_in_pandas_one_row_per_story(adb: str, tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "acled.csv"
    assert export(adb, "acled", path) == 2
    frame = pd.read_csv(path)
    assert frame.columns.tolist() == ACLED_COLUMNS
    aleppo = frame[frame.location == "Aleppo"].sort_values("event_date").iloc[0]
    # three reports of the Monday shelling (two outlets and a third with only a quoted war toll): one row
    assert aleppo.event_date == "2024-03-04" and aleppo.year == 2024 and aleppo.time_precision == 1
    assert aleppo.fatalities == 5  # the event's own count, not the 500,000 quoted elsewhere
    assert set(aleppo.source.split("; ")) == {"Wire A", "Wire B", "Wire C"}
    assert (aleppo.actor1, aleppo.inter1, aleppo.actor2, aleppo.inter2, aleppo.interaction) == (
        "Military Forces of Turkey", 1, "Unidentified Armed Group (Syria)", 2, 12)  # fmt: skip
    assert (aleppo.disorder_type, aleppo.iso, aleppo.region, aleppo.country) == (
        "Political violence", 760, "Middle East", "Syria")  # fmt: skip
    assert aleppo.notes.startswith("Turkish forces shelled") and aleppo.event_id_cnty.startswith("SYR")
    assert frame.fatalities.sum() == 5  # no hypothetical 1,000, no 2,000 from 1990
    police = frame[frame.event_date == "2024-05-01"].iloc[0]
    assert police.actor1 == "Police Forces of Syria" and police.admin1 == "Aleppo"  # a name, not the code "09"
    assert police.notes.startswith("'=HYPERLINK") and police.source == "example.org"  # no outlet: the URL host
    assert export(adb, "acled", tmp_path / "m.csv", per="mention") == 4
    assert pd.read_csv(tmp_path / "m.csv").fatalities.sum() == 5


def test_acled_protesters_and_civilians() -> None:
    from eventwire.export import acled_actor

    protest = variant(make_event("Protesters rallied in Damascus.", "PROTEST", source=("Protesters", "SYR"),
                                 target=None, place="damascus"), acled_event_type="Protests",
                      acled_sub_event_type="Peaceful protest")  # fmt: skip
    row = to_acled(protest, ArticleMeta(id="p", outlet="Wire"))
    assert row is not None and (row["actor1"], row["inter1"], row["interaction"]) == ("Protesters (Syria)", 6, 60)
    attack = variant(make_event("Gunmen killed villagers in Idlib.", source=("Gunmen", None), target=("villagers", "SYR")),
                     acled_event_type="Violence against civilians")  # fmt: skip
    attack.target[0].sector = "CVL"
    row = to_acled(attack, ArticleMeta(id="v"))
    assert row is not None and row["actor2"] == "Civilians (Syria)" and row["civilian_targeting"] == "Civilian targeting"
    place = variant(attack, target=[attack.target[0].model_copy(update={"kind": "place", "sector": None})])
    assert acled_actor(place.target[0], place, "target", "SYR") is None  # "Idlib" as a target is no actor


def test_plover_array_has_the_manuals_fields(adb: str, tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "p.json"
    n = export(adb, "plover", path)
    records = json.loads(path.read_text())
    assert isinstance(records, list) and len(records) == n
    for rec in records:
        assert list(rec) == PLOVER_FIELDS
    aleppo = next(r for r in records if r["event_loc"] and r["event_loc"]["geonameid"] == 170063
                  and r["date"] == "2024-05-01")  # fmt: skip
    assert aleppo["event_loc"]["province"] == "Aleppo" and aleppo["event_loc"]["country"] == "Syria"
    assert aleppo["event_loc"]["city"] == "Aleppo" and aleppo["event_loc"]["resolution"] == 4
    assert aleppo["actor"][0]["identifier_text"] == "Syrian police" and aleppo["link"] == f"story-{aleppo['story_id']}"
    lines = tmp_path / "p.jsonl"
    export(adb, "plover-jsonl", lines)
    assert [json.loads(x) for x in lines.read_text().splitlines()] == records


def _protest(text: str, crowd: Quantity | None = None, place: str = "damascus"):  # noqa: ANN202
    ev = variant(make_event(text, "PROTEST", source=("Protesters", "SYR"), target=None, place=place),
                 acled_event_type="Protests", acled_sub_event_type="Peaceful protest")  # fmt: skip
    return variant(ev, quantities=[crowd]) if crowd else ev


def test_acled_tags_from_what_the_coder_knows() -> None:
    counted = _protest("About 2,000 protesters rallied in Damascus.",
                       Quantity(value=2000, qualifier="about", kind="crowd", text="About 2,000", sentence_index=0))
    assert to_acled(counted, ArticleMeta(id="c"))["tags"] == "crowd size=around 2000"
    uncounted = _protest("Protesters rallied in Damascus.")
    assert to_acled(uncounted, ArticleMeta(id="u"))["tags"] == "crowd size=no report"
    elsewhere = _protest("Protesters rallied in Damascus.",
                         Quantity(value=50000, kind="crowd", text="50,000", sentence_index=4))  # another sentence's crowd
    assert to_acled(elsewhere, ArticleMeta(id="e"))["tags"] == "crowd size=no report"
    assault = make_event("Gunmen attacked villagers near Aleppo.")
    assert to_acled(assault, ArticleMeta(id="a"))["tags"] == ""
    assert to_acled(variant(assault, mode="sexual"), ArticleMeta(id="s"))["tags"] == "sexual violence"


def test_acled_source_scale_from_the_outlet_and_the_event_country() -> None:
    syria = make_event("Turkish forces shelled Kurdish fighters near Aleppo.")
    london = variant(syria, locations=[Place(text="London", name="London", country="GBR", lat=51.5, lon=-0.13,
                                             feature="capital")])  # fmt: skip
    assert to_acled(syria, ArticleMeta(id="g", outlet="The Guardian"))["source_scale"] == "International"
    assert to_acled(london, ArticleMeta(id="g", outlet="the guardian"))["source_scale"] == "National"
    assert to_acled(syria, ArticleMeta(id="r", url="https://www.reuters.com/world/x"))["source_scale"] == "International"
    assert to_acled(syria, ArticleMeta(id="s", outlet="SANA"))["source_scale"] == "National"
    assert to_acled(syria, ArticleMeta(id="x", outlet="The Daily Nowhere"))["source_scale"] == "Other"
    both = to_acled(syria, ArticleMeta(id="b"), sources=["SANA", "bbc.co.uk", "BBC News"])
    assert both["source_scale"] == "National-International" and both["source"] == "SANA; bbc.co.uk; BBC News"


def test_acled_admin2_where_the_gazetteer_knows_it() -> None:
    kent = Place(text="Kent", name="Kent", country="GBR", lat=51.2, lon=0.7, feature="admin2")
    town = Place(text="Paducah", name="Paducah", country="USA", admin1="KY", lat=37.08, lon=-88.6, feature="city")
    ev = make_event("Police arrested protesters in the county.")
    assert to_acled(variant(ev, locations=[kent]), ArticleMeta(id="k"))["admin2"] == "Kent"
    assert to_acled(variant(ev, locations=[town]), ArticleMeta(id="p"))["admin2"] == "McCracken County"
    row = to_acled(ev, ArticleMeta(id="a"))  # Aleppo: no second-level names for Syria in the gazetteer
    assert row["admin2"] == "" and row["admin3"] == "" and row["admin1"] == "Aleppo"


def test_acled_story_row_joins_scales_and_tags_of_its_mentions(db_url: str, tmp_path) -> None:  # noqa: ANN001, F811
    a = _protest("Protesters rallied in Damascus on Monday.")
    b = _protest("Hundreds of protesters, about 300, rallied in Damascus on Monday.",
                 Quantity(value=300, qualifier="about", kind="crowd", text="about 300", sentence_index=0))
    with open_store(db_url) as store:
        store.write_batch([(make_doc("g1", [a], outlet="The Guardian"), {}), (make_doc("s1", [b], outlet="SANA"), {})])
        rebuild_stories(store)
    path = tmp_path / "a.csv"
    assert export(db_url, "acled", path) == 1
    row = pd.read_csv(path, keep_default_na=False).iloc[0]
    assert row.source_scale == "National-International" and set(row.source.split("; ")) == {"The Guardian", "SANA"}
    assert row.tags == "crowd size=around 300" and row.event_type == "Protests"
    assert export(db_url, "acled", tmp_path / "m.csv", per="mention") == 2
    per = pd.read_csv(tmp_path / "m.csv", keep_default_na=False)
    assert sorted(per.tags) == ["crowd size=around 300", "crowd size=no report"]
    assert sorted(per.source_scale) == ["International", "National"]


def test_acled_story_notes_carry_the_sentence_its_fatalities_come_from(tmp_path) -> None:  # noqa: ANN001
    located = make_event("Turkish forces shelled Kurdish fighters near Aleppo on Monday.")
    counted = variant(make_event("Turkish shelling near Aleppo on Monday killed 9 fighters, a monitor said.", killed=9),
                      locations=[Place(text="Aleppo", name="Aleppo", country="SYR")])  # no coordinates: not the best
    db = tmp_path / "n.db"
    with open_store(db) as store:
        store.write_batch([(make_doc("n1", [located]), {}), (make_doc("n2", [counted], outlet="Wire B"), {})])
        rebuild_stories(store)
    export(db, "acled", tmp_path / "n.csv")
    row = pd.read_csv(tmp_path / "n.csv").iloc[0]
    assert row.fatalities == 9 and row.latitude == 36.2
    assert row.notes == f"{located.sentence.text} {counted.sentence.text}"


def test_acled_country_is_never_a_group_code_and_scale_needs_a_country() -> None:
    ev = make_event("Isis fighters attacked a checkpoint.", source=("Isis", "IMG"), target=("soldiers", "IRQ"), place=None)
    row = to_acled(ev, ArticleMeta(id="i", outlet="The Guardian"))
    assert row["event_id_cnty"].startswith("IRQ") and row["country"] == "Iraq"  # IMG is no country
    nowhere = make_event("Fighters attacked a checkpoint.", source=("fighters", None), target=("guards", None), place=None)
    assert to_acled(nowhere, ArticleMeta(id="n", outlet="The Guardian"))["source_scale"] == "Other"  # home or abroad?
    assert to_acled(nowhere, ArticleMeta(id="n", outlet="Reuters"))["source_scale"] == "International"  # everywhere
