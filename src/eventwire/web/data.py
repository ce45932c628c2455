"""What the HTTP API reads from a store, as plain JSON-ready data (no HTTP here).

Selection is the library's: every filter is an ``eventwire.query.Filters`` and its SQL
conditions come from ``eventwire.query``; this module adds what a web client needs on top:
cursor paging, compact map points, one event with its spans and story, one article with
every event's spans, and the facets the filter panel offers. Every statement is built with
SQLAlchemy Core (bound parameters); no SQL is assembled from strings.
"""

from __future__ import annotations

import json
import math
from dataclasses import MISSING, fields
from typing import Any

from sqlalchemy import func, select

from .. import query as q
from ..errors import NotFound
from ..store import Store, schema
from ..stories import haversine_km

# Names the API does not take from Filters: paging and output are the API's own.
RESERVED = {"limit"}


def filter_specs() -> list[dict[str, Any]]:
    """One entry per Filters field: name, whether it repeats, its value kind and its help text."""
    out = []
    for f in fields(q.Filters):
        if f.name in RESERVED:
            continue
        meta = dict(f.metadata or {})
        default = None if f.default is MISSING else f.default
        multiple = meta.get("multiple", isinstance(default, tuple) and f.name != "near")
        kind = meta.get("kind", str)
        if f.name == "near":
            multiple, kind = False, str
        out.append({"name": f.name, "multiple": bool(multiple), "kind": kind, "help": meta.get("help", "")})
    return out


def make_filters(values: dict[str, Any]) -> q.Filters:
    """Filters from the API's parameters (None: not given); InputError naming a malformed one."""
    given = {k: v for k, v in values.items() if v is not None and v != []}
    return q.Filters.make(**given)


def _conditions(filters: q.Filters) -> list[Any]:
    where = getattr(q, "where_clauses", None) or q._where  # before issue 12 the builder was private
    return where(filters)


def _event_columns() -> list[Any]:
    """The library's event columns (``EVENT_COLUMNS``), labelled as the library names them."""
    ev, art = schema.events, schema.articles
    renamed = {"date": ev.c.date_value, "source": ev.c.source_countries, "target": ev.c.target_countries,
               "trigger": ev.c.trigger_text}  # fmt: skip
    cols = []
    for name in q.EVENT_COLUMNS:
        col = renamed.get(name)
        if col is None:
            col = ev.c[name] if name in ev.c else art.c.get(name, None)
        if col is not None:
            cols.append(col.label(name))
    return cols


def _clean(value: Any) -> Any:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def _row(r: Any) -> dict[str, Any]:
    return {k: _clean(v) for k, v in r._mapping.items()}


def page_events(store: Store, filters: q.Filters, after: int | None, limit: int) -> dict[str, Any]:
    """One page of matching events after the event id ``after``: events, next_cursor, total."""
    ev, art = schema.events, schema.articles
    conds = _conditions(filters)
    base = select(*_event_columns()).join(art, art.c.id == ev.c.article_pk).where(*conds)
    count = select(func.count()).select_from(ev).join(art, art.c.id == ev.c.article_pk).where(*conds)
    rows: list[Any] = []
    with store.engine.connect() as conn:
        if filters.near:
            lat, lon, km = filters.near
            cursor = after or 0
            total = 0
            for r in conn.execute(base.order_by(ev.c.id)):
                if haversine_km(lat, lon, r.lat, r.lon) > km:
                    continue
                total += 1
                if r.id > cursor and len(rows) <= limit:
                    rows.append(r)
        else:
            total = int(conn.execute(count).scalar_one())
            stmt = base.where(ev.c.id > after) if after else base
            rows = conn.execute(stmt.order_by(ev.c.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "events": [_row(r) for r in rows],
        "next_cursor": str(rows[-1].id) if more and rows else None,
        "total": total,
    }


def map_points(store: Store, filters: q.Filters, cap: int) -> dict[str, Any]:
    """Every matching event with coordinates (at most ``cap``), as parallel arrays for the map."""
    ev, art = schema.events, schema.articles
    stmt = (
        select(ev.c.id, ev.c.lat, ev.c.lon, ev.c.event_type, ev.c.quad_class)
        .join(art, art.c.id == ev.c.article_pk)
        .where(*_conditions(filters), ev.c.lat.is_not(None), ev.c.lon.is_not(None))
        .order_by(ev.c.id)
    )
    with store.engine.connect() as conn:
        if filters.near:
            lat, lon, km = filters.near
            rows = [r for r in conn.execute(stmt) if haversine_km(lat, lon, r.lat, r.lon) <= km][: cap + 1]
        else:
            rows = conn.execute(stmt.limit(cap + 1)).all()
    truncated = len(rows) > cap
    rows = rows[:cap]
    return {
        "id": [r.id for r in rows],
        "lat": [round(r.lat, 5) for r in rows],
        "lon": [round(r.lon, 5) for r in rows],
        "type": [r.event_type for r in rows],
        "quad": [r.quad_class for r in rows],
        "n": len(rows),
        "truncated": truncated,
    }


def _spans_in(sentence: dict[str, Any], items: list[tuple[str, dict[str, Any] | None]]) -> list[dict[str, Any]]:
    """Spans (role, start, end relative to the sentence, text) that lie inside the sentence."""
    s0, s1 = sentence.get("start"), sentence.get("end")
    out = []
    for role, span in items:
        if not span or span.get("start") is None or span.get("end") is None or s0 is None or s1 is None:
            continue
        if s0 <= span["start"] < span["end"] <= s1:
            out.append({"role": role, "start": span["start"] - s0, "end": span["end"] - s0, "text": span.get("text")})
    out.sort(key=lambda d: (d["start"], -d["end"]))
    kept: list[dict[str, Any]] = []
    for span in out:  # overlapping spans cannot both be highlighted: the first (longest) wins
        if not kept or span["start"] >= kept[-1]["end"]:
            kept.append(span)
    return kept


def event_spans(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any] | None]]:
    """The spans of one coded event (its Event document): trigger, actors, places, date, counts, source."""
    items: list[tuple[str, dict[str, Any] | None]] = [("trigger", doc.get("trigger"))]
    items += [("source", a) for a in doc.get("source") or []]
    items += [("target", a) for a in doc.get("target") or []]
    items += [("location", p) for p in doc.get("locations") or []]
    items += [("date", doc.get("date")), ("attribution", doc.get("attribution"))]
    items += [("quantity", x) for x in doc.get("quantities") or []]
    return items


def event_detail(store: Store, event_id: int, max_mentions: int = 50) -> dict[str, Any]:
    """One event: its coded document, its article, the sentence with spans, and its story's mentions."""
    ev, art, st, sm = schema.events, schema.articles, schema.stories, schema.story_mentions
    with store.engine.connect() as conn:
        row = conn.execute(
            select(*_event_columns(), ev.c.document, ev.c.article_pk, art.c.title)
            .join(art, art.c.id == ev.c.article_pk)
            .where(ev.c.id == event_id)
        ).first()
        if row is None:
            raise NotFound(f"no event with id {event_id}")
        doc = json.loads(row.document)
        out = {k: _clean(v) for k, v in row._mapping.items() if k not in ("document", "article_pk")}
        sentence = doc.get("sentence") or {}
        out["document"] = doc
        out["sentence"] = {"text": sentence.get("text"), "index": sentence.get("index"),
                           "spans": _spans_in(sentence, event_spans(doc))}  # fmt: skip
        out["story"] = None
        if row.story_id is not None:
            story = conn.execute(select(st).where(st.c.id == row.story_id)).first()
            mentions = conn.execute(
                select(ev.c.id, ev.c.trigger_text.label("trigger"), ev.c.date_value.label("date"),
                       art.c.article_id, art.c.title, art.c.outlet, art.c.url, art.c.published)
                .join(sm, sm.c.event_pk == ev.c.id)
                .join(art, art.c.id == ev.c.article_pk)
                .where(sm.c.story_id == row.story_id, ev.c.id != event_id)
                .order_by(art.c.published, ev.c.id)
                .limit(max_mentions)
            ).all()  # fmt: skip
            if story is not None:
                out["story"] = {**_row(story), "mentions": [_row(m) for m in mentions]}
    return out


def article_detail(store: Store, article_id: str) -> dict[str, Any]:
    """One stored article by its id (the newest version): cleaned text and every event's spans."""
    ev, art = schema.events, schema.articles
    with store.engine.connect() as conn:
        stmt = select(art.c.id, art.c.article_id, art.c.title, art.c.published, art.c.outlet, art.c.url, art.c.text)
        if "superseded_by" in art.c:
            stmt = stmt.order_by(art.c.superseded_by.is_not(None))
        row = conn.execute(stmt.where(art.c.article_id == article_id).order_by(art.c.id.desc()).limit(1)).first()
        if row is None and article_id.isdigit():
            row = conn.execute(stmt.where(art.c.id == int(article_id))).first()
        if row is None:
            raise NotFound(f"no article with id {article_id!r}")
        events = conn.execute(
            select(ev.c.id, ev.c.document).where(ev.c.article_pk == row.id).order_by(ev.c.position)
        ).all()
    out = {k: v for k, v in row._mapping.items() if k != "id"}
    out["events"] = []
    for e in events:
        doc = json.loads(e.document)
        spans = [{"role": role, "start": s["start"], "end": s["end"], "text": s.get("text")}
                 for role, s in event_spans(doc) if s and s.get("start") is not None and s.get("end") is not None]
        out["events"].append({
            "id": e.id, "event_type": doc.get("event_type"), "cameo": doc.get("cameo"), "rule": doc.get("rule"),
            "modality": doc.get("modality"), "sentence": doc.get("sentence"), "spans": spans,
        })  # fmt: skip
    return out


def facets(store: Store) -> dict[str, Any]:
    """What the filter panel offers: event types and countries with counts, modalities, the date range."""
    ev, art = schema.events, schema.articles
    day = func.coalesce(ev.c.date_value, art.c.published)
    with store.engine.connect() as conn:
        def counts(col: Any) -> list[dict[str, Any]]:
            stmt = select(col.label("value"), func.count().label("n")).where(col.is_not(None))
            return [_row(r) for r in conn.execute(stmt.group_by(col).order_by(func.count().desc(), col))]

        first, last = conn.execute(
            select(func.min(day), func.max(day)).select_from(ev).join(art, art.c.id == ev.c.article_pk)
        ).one()
        return {
            "event_type": counts(ev.c.event_type),
            "country": counts(ev.c.country),
            "modality": counts(ev.c.modality),
            "date_min": first,
            "date_max": last,
        }


__all__ = ["filter_specs", "make_filters", "page_events", "map_points", "event_detail", "article_detail", "facets"]
