"""docs/formats.md documents every exported column, table column and coded-article field (issue 12)."""

from __future__ import annotations

import csv
import io
import json
import re
import typing
from pathlib import Path

import pandas as pd
import pytest
from pydantic import BaseModel

from _ew_docs import sample_docs
from eventwire import CodedArticle, aggregate, export, query
from eventwire.aggregate import GROUPS, MEASURES
from eventwire.export import (
    ACLED_COLUMNS,
    CAMEO_COLUMNS,
    EVENT_COLUMNS,
    FORMATS,
    PLOVER_CITE_FIELDS,
    PLOVER_ENTITY_FIELDS,
    PLOVER_FIELDS,
    PLOVER_LOCATION_FIELDS,
)
from eventwire.query import EVENT_COLUMNS as QUERY_COLUMNS
from eventwire.query import STORY_COLUMNS
from eventwire.store import open_store, schema
from eventwire.stories import rebuild_stories

DOC = Path(__file__).resolve().parents[1] / "docs" / "formats.md"


def _sections(level: str) -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    parts = re.split(rf"^{level} (.+)$", text, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def documented(section: str, level: str = "##") -> set[str]:
    """Names in the first column of the section's tables: | `name` | ... |."""
    body = _sections(level)[section]
    if level == "##":
        body = body.split("\n### ")[0] if section not in ("Database tables", "Coded-article JSON") else body
    return set(re.findall(r"^\| `([^`]+)` \|", body, flags=re.M))


def _missing(names: typing.Iterable[str], section: str, level: str = "##") -> list[str]:
    return sorted(set(names) - documented(section, level))


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:  # noqa: ANN001
    path = str(tmp_path_factory.mktemp("formats") / "f.db")
    with open_store(path) as store:
        store.write_batch([(d, {}) for d in sample_docs()])
        rebuild_stories(store)
    return path


def test_every_format_has_a_section() -> None:
    sections = _sections("##")
    assert not [f for f in FORMATS if f not in sections]


def test_declared_columns_are_documented() -> None:
    assert not _missing(ACLED_COLUMNS, "acled")
    assert not _missing(CAMEO_COLUMNS, "cameo")
    assert not _missing([name for name, _ in EVENT_COLUMNS], "parquet")
    assert not _missing(PLOVER_FIELDS + PLOVER_ENTITY_FIELDS + PLOVER_LOCATION_FIELDS + PLOVER_CITE_FIELDS, "plover")
    assert not _missing(QUERY_COLUMNS + STORY_COLUMNS, "query")
    assert not _missing(GROUPS + MEASURES, "aggregate")


def test_exported_columns_are_documented(db: str, tmp_path: Path) -> None:
    export(db, "acled", tmp_path / "a.csv")
    assert not _missing(next(csv.reader(io.StringIO((tmp_path / "a.csv").read_text()))), "acled")
    export(db, "cameo", tmp_path / "c.tsv")
    assert not _missing((tmp_path / "c.tsv").read_text().splitlines()[0].split("\t"), "cameo")
    export(db, "parquet", tmp_path / "p.parquet")
    assert not _missing(pd.read_parquet(tmp_path / "p.parquet").columns, "parquet")
    export(db, "geojson", tmp_path / "g.geojson")
    for feature in json.loads((tmp_path / "g.geojson").read_text())["features"]:
        assert not _missing(feature["properties"], "parquet")
    export(db, "plover", tmp_path / "p.json")
    for rec in json.loads((tmp_path / "p.json").read_text()):
        keys = set(rec) | {k for side in ("actor", "recipient") for e in rec[side] for k in e}
        keys |= set(rec["event_loc"] or {}) | set(rec["cite_info"])
        assert not _missing(keys, "plover")
    assert not _missing(query(db).columns, "query")
    assert not _missing(query(db, stories=True).columns, "query")
    frame = aggregate(db, by="month", group=GROUPS)
    assert not _missing(list(frame.columns), "aggregate")


def test_database_tables_are_documented() -> None:
    for table in schema.metadata.sorted_tables:
        assert not _missing([c.name for c in table.columns], table.name, "###"), table.name


def _models(model: type[BaseModel], seen: dict[str, type[BaseModel]]) -> dict[str, type[BaseModel]]:
    seen[model.__name__] = model
    for info in model.model_fields.values():
        for arg in [info.annotation, *typing.get_args(info.annotation)]:
            for inner in [arg, *typing.get_args(arg)]:
                if isinstance(inner, type) and issubclass(inner, BaseModel) and inner.__name__ not in seen:
                    _models(inner, seen)
    return seen


def test_coded_article_fields_are_documented() -> None:
    models = _models(CodedArticle, {})
    assert {"CodedArticle", "Event", "Actor", "Place", "DateValue", "SentenceSpan"} <= set(models)
    for name, model in models.items():
        assert not _missing(model.model_fields, name, "###"), name
