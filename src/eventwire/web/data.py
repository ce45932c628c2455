"""What the HTTP API reads from a store, as plain JSON-ready data (no HTTP here).

Selection is the library's: every filter is an ``eventwire.query.Filters`` and its SQL
conditions come from ``eventwire.query``; this module adds what a web client needs on top:
cursor paging, compact map points, one event with its spans and story, one article with
every event's spans, and the facets the filter panel offers. Every statement is built with
SQLAlchemy Core (bound parameters); no SQL is assembled from strings.
"""

from __future__ import annotations

import calendar
import importlib
import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import MISSING, fields
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from ..errors import NotFound
from ..store import Store, schema
from ..stories import haversine_km

# the module, not the ``eventwire.query`` function the package may export under the same name
q = importlib.import_module("eventwire.query")

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
        out.append(dict(name=f.name, multiple=bool(multiple), kind=kind, help=meta.get("help", "")))
    return out


def make_filters(values: dict[str, Any]) -> q.Filters:
    """Filters from the API's parameters (None: not given); InputError naming a malformed one."""
    given = {k: v for k, v in values.items() if v is not None and v != []}
    return q.Filters.make(**given)


def _conditions(filters: q.Filters) -> list[Any]:
    return q.where_clauses(filters)


def _event_columns() -> list[Any]:
    """The library's event columns (``EVENT_COLUMNS``), labelled as the library names them."""
    ev, art = schema.events, schema.articles
    renamed = dict(date=ev.c.date_value, source=ev.c.source_countries, target=ev.c.target_countries,
                   trigger=ev.c.trigger_text)  # fmt: skip
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
    return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in r._mapping.items()}


# how the server gives its store's events prepared once per (period, groups, coarse): see ``summed``
Prepare = Callable[[str, tuple[str, ...], str], Any]


def all_rows(store: Store) -> list[Any]:
    """Every current event row (any modality, background included), as ``eventwire.query`` selects them."""
    return q.select_events(store, q.Filters.make(modality=q.ANY, include_background=True))[0]


def matching_ids(store: Store, filters: q.Filters) -> set[int]:
    """The ids of the events the filters select (one column read; ``near`` exactly, as the library does)."""
    if filters.near:
        return {r.id for r in q.select_events(store, filters.with_limit(None))[0]}
    ev, art = schema.events, schema.articles
    stmt = select(ev.c.id).join(art, art.c.id == ev.c.article_pk).where(*_conditions(filters))
    with store.engine.connect() as conn:
        return set(conn.execute(stmt).scalars().all())


def summed(store: Store, filters: q.Filters, by: str, group: tuple[str, ...] | None, measure: str,
           coarse: str = "drop", complete: bool = False, prepared: Prepare | None = None) -> Any:
    """``eventwire.aggregate`` of the selection (group None: one series).

    prepared(by, groups, coarse): every event of the store prepared by ``eventwire.aggregate.prepare``
    (the server keeps them while the data do not change); the selection is then summed from them
    by id, without reading and splitting its rows again.
    """
    from ..aggregate import aggregate, summarise

    groups = tuple(group or ())
    if prepared is None:
        return aggregate(store, by=by, group=groups or None, measure=measure, filters=filters, coarse=coarse,
                         complete=complete)  # fmt: skip
    return summarise(prepared(by, groups, coarse), measure, complete=complete, ids=matching_ids(store, filters))


def count_events(store: Store, filters: q.Filters) -> int:
    """How many events match (``near`` taken as its bounding box; page_events counts exactly)."""
    ev, art = schema.events, schema.articles
    stmt = select(func.count()).select_from(ev).join(art, art.c.id == ev.c.article_pk).where(*_conditions(filters))
    with store.engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


def page_events(store: Store, filters: q.Filters, after: int | None, limit: int,
                count: Callable[[], int] | None = None) -> dict[str, Any]:
    """One page of matching events after the event id ``after``: events, next_cursor, total.

    count: how to get the total (default ``count_events``; the server passes a cached one).
    """
    ev, art = schema.events, schema.articles
    base = select(*_event_columns()).join(art, art.c.id == ev.c.article_pk).where(*_conditions(filters))
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
            stmt = base.where(ev.c.id > after) if after else base
            rows = conn.execute(stmt.order_by(ev.c.id).limit(limit + 1)).all()
    if not filters.near:
        total = count() if count is not None else count_events(store, filters)
    more = len(rows) > limit
    rows = rows[:limit]
    return dict(events=[_row(r) for r in rows], next_cursor=str(rows[-1].id) if more and rows else None, total=total)


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
    return dict(
        id=[r.id for r in rows],
        lat=[round(r.lat, 5) for r in rows],
        lon=[round(r.lon, 5) for r in rows],
        type=[r.event_type for r in rows],
        quad=[r.quad_class for r in rows],
        n=len(rows),
        truncated=truncated,
    )


def _spans_in(sentence: dict[str, Any], items: list[tuple[str, dict[str, Any] | None]]) -> list[dict[str, Any]]:
    """Spans (role, start, end relative to the sentence, text) that lie inside the sentence."""
    s0, s1 = sentence.get("start"), sentence.get("end")
    out = []
    for role, span in items:
        if not span or span.get("start") is None or span.get("end") is None or s0 is None or s1 is None:
            continue
        if s0 <= span["start"] < span["end"] <= s1:
            out.append(dict(role=role, start=span["start"] - s0, end=span["end"] - s0, text=span.get("text")))
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
        out["sentence"] = dict(text=sentence.get("text"), index=sentence.get("index"),
                               spans=_spans_in(sentence, event_spans(doc)))  # fmt: skip
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
        spans = [dict(role=role, start=s["start"], end=s["end"], text=s.get("text"))
                 for role, s in event_spans(doc) if s and s.get("start") is not None and s.get("end") is not None]
        out["events"].append(dict(
            id=e.id, event_type=doc.get("event_type"), cameo=doc.get("cameo"), rule=doc.get("rule"),
            modality=doc.get("modality"), sentence=doc.get("sentence"), spans=spans,
        ))  # fmt: skip
    return out


def facets(store: Store) -> dict[str, Any]:
    """What the filter panel offers: event types, countries, sectors (actors) and outlets (articles) with
    counts, modalities, the date range."""
    ev, art, act = schema.events, schema.articles, schema.actors
    day = func.coalesce(ev.c.date_value, art.c.published)
    with store.engine.connect() as conn:
        def counts(col: Any, *where: Any) -> list[dict[str, Any]]:
            stmt = select(col.label("value"), func.count().label("n")).where(col.is_not(None), *where)
            return [_row(r) for r in conn.execute(stmt.group_by(col).order_by(func.count().desc(), col))]

        current = art.c.superseded_by.is_(None)
        outlet = func.coalesce(art.c.outlet, art.c.host)  # as the outlet filter matches: the outlet, else the host

        first, last = conn.execute(
            select(func.min(day), func.max(day)).select_from(ev).join(art, art.c.id == ev.c.article_pk)
        ).one()
        return {
            "event_type": counts(ev.c.event_type),
            "country": counts(ev.c.country),
            "modality": counts(ev.c.modality),
            "sector": counts(act.c.sector, act.c.role.in_(("source", "target"))),  # actors of events
            "outlet": counts(outlet, current),  # articles per outlet
            "date_min": first,
            "date_max": last,
        }


def _records(frame: Any) -> list[dict[str, Any]]:
    """A DataFrame's rows as JSON-ready dicts (NaN -> None, numpy numbers -> Python numbers)."""
    return json.loads(frame.to_json(orient="records", date_format="iso"))


def page_stories(store: Store, filters: q.Filters, offset: int, limit: int) -> dict[str, Any]:
    """One page of the stories the matching mentions belong to (``eventwire.query``, largest first)."""
    frame = q.query(store, filters.with_limit(None), stories=True)
    total = len(frame)
    page = frame.iloc[offset : offset + limit]
    return dict(stories=_records(page), next_cursor=str(offset + limit) if offset + limit < total else None,
                total=total)  # fmt: skip


def aggregate_rows(store: Store, filters: q.Filters, by: str, group: list[str] | None, measure: str,
                   coarse: str = "drop", complete: bool = False, prepared: Prepare | None = None) -> dict[str, Any]:
    """``eventwire.aggregate`` as JSON: one row per period and group (period as YYYY-MM-DD).

    group None takes the library's default grouping; ["none"] is one series.
    """
    from ..aggregate import DEFAULT_GROUP

    groups: tuple[str, ...] | None = DEFAULT_GROUP
    if group is not None:
        groups = None if [g.strip().lower() for g in group] == ["none"] else tuple(group)
    frame = summed(store, filters, by, groups, measure, coarse, complete, prepared)
    out = frame.reset_index()
    out["period"] = out["period"].dt.strftime("%Y-%m-%d")
    return dict(by=by, measure=measure, group=list(frame.attrs.get("group", [])), columns=list(out.columns),
                rows=_records(out), left_out=frame.attrs.get("left_out"), undated=frame.attrs.get("undated"))


def period_end(start: date, by: str) -> date:
    """The last day of the period that begins on ``start``."""
    if by == "week":
        return start + timedelta(days=6)
    if by == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if by == "year":
        return start.replace(month=12, day=31)
    return start


def _grain(days: int) -> str:
    return "day" if days <= 92 else "week" if days <= 2 * 366 else "month" if days <= 15 * 366 else "year"


def view_range(store: Store, filters: q.Filters) -> tuple[str, date | None, date | None]:
    """(grain, first, last) of a readable timeline for the selection.

    With no date filter, a few outlying dates (history the news recalls) would stretch the axis
    over decades: the view is then the central 90% of the events' days, when the whole range is
    more than twice as long. The grain gives a readable number of bars for the view.
    """
    ev, art = schema.events, schema.articles
    start = func.coalesce(ev.c.date_start, art.c.published)
    stmt = (select(start).select_from(ev).join(art, art.c.id == ev.c.article_pk)
            .where(*_conditions(filters), start.is_not(None)).order_by(start))  # fmt: skip
    with store.engine.connect() as conn:
        days = [d for (d,) in conn.execute(stmt) if d]
    if not days:
        return "day", None, None
    first, last = date.fromisoformat(days[0][:10]), date.fromisoformat(days[-1][:10])
    if filters.since or filters.until:
        lo = date.fromisoformat(filters.since) if filters.since else first
        hi = date.fromisoformat(filters.until) if filters.until else last
        return _grain((hi - lo).days), None, None
    lo = date.fromisoformat(days[int(0.05 * (len(days) - 1))][:10])
    hi = date.fromisoformat(days[int(round(0.95 * (len(days) - 1)))][:10])
    if (last - first).days > 2 * (hi - lo).days + 31:
        return _grain((hi - lo).days), lo, hi
    return _grain((last - first).days), None, None


def auto_period(store: Store, filters: q.Filters) -> str:
    """day, week, month or year: the grain that gives a readable number of bars for the selection."""
    return view_range(store, filters)[0]


def timeline(store: Store, filters: q.Filters, by: str = "auto", prepared: Prepare | None = None) -> dict[str, Any]:
    """Per period (every period from the first to the last): events by type and the mean Goldstein score.

    Built on ``eventwire.aggregate`` (events coarser than the period are left out, as there).
    The mean Goldstein score is the period's Goldstein sum over its event count. With ``by="auto"``
    the grain and the view come from ``view_range``; events outside the view are counted in
    ``outside``.
    """
    from ..aggregate import period_start, split_period

    lo = hi = None
    if by == "auto":
        by, lo, hi = view_range(store, filters)
    counts = summed(store, filters, by, ("event_type",), "count", prepared=prepared)
    sums = summed(store, filters, by, None, "goldstein", prepared=prepared)
    per: dict[date, dict[str, Any]] = {}
    for when, row in zip(counts.index, counts.itertuples(index=False), strict=True):
        slot = per.setdefault(when.date(), {"types": {}, "n": 0})
        slot["types"][row.event_type] = slot["types"].get(row.event_type, 0) + int(row.count)
        slot["n"] += int(row.count)
    gold = {when.date(): float(v) for when, v in zip(sums.index, sums["goldstein"], strict=True)}
    outside = 0
    if lo is not None and hi is not None:
        first_shown, last_shown = period_start(lo, by), period_start(hi, by)
        outside = sum(v["n"] for k, v in per.items() if not first_shown <= k <= last_shown)
        per = {k: v for k, v in per.items() if first_shown <= k <= last_shown}
    buckets = []
    if per:
        first, last = min(per), max(per)
        for start, _share in split_period(first, last, by):
            slot = per.get(start, {"types": {}, "n": 0})
            mean = gold.get(start, 0.0) / slot["n"] if slot["n"] else None
            buckets.append(dict(start=start.isoformat(), end=period_end(start, by).isoformat(), n=slot["n"],
                                types=slot["types"], goldstein_mean=None if mean is None else round(mean, 3)))
    types = sorted({t for b in buckets for t in b["types"]})
    return dict(by=by, buckets=buckets, types=types, left_out=counts.attrs.get("left_out"),
                n=sum(b["n"] for b in buckets), outside=outside)


def top_dyads(store: Store, filters: q.Filters, limit: int = 15, prepared: Prepare | None = None) -> dict[str, Any]:
    """The directed source -> target pairs (first actors' codes) with most events, with their mean Goldstein.

    Built on ``eventwire.aggregate`` by year, events coarser than a year spread over their years.
    """
    pair = ("source", "target")
    counts = summed(store, filters, "year", pair, "count", "spread", prepared=prepared).groupby(list(pair))["count"].sum()
    sums = summed(store, filters, "year", pair, "goldstein", "spread", prepared=prepared).groupby(list(pair))[
        "goldstein"].sum()
    rows = []
    for (source, target), n in counts.items():
        if not source or not target or n <= 0:
            continue
        rows.append(dict(source=source, target=target, n=int(round(n)),
                         goldstein_mean=round(float(sums.get((source, target), 0.0)) / n, 2)))
    rows.sort(key=lambda r: (-r["n"], r["source"], r["target"]))
    return {"dyads": rows[:limit], "n_dyads": len(rows)}


class AnswerCache:
    """Answers of the read endpoints, kept while the data do not change.

    The data's generation (largest article and event ids, number of stories) is read at most once
    every ``check_every`` seconds; any ingest, by this server or another process, changes it and
    empties the cache (the server's own ingest empties it at once with ``clear``).
    """

    def __init__(self, store: Store, size: int = 512, check_every: float = 1.0) -> None:
        self.store = store
        self.size = size
        self.check_every = check_every
        self.items: OrderedDict[Any, Any] = OrderedDict()
        self.version: Any = None
        self.checked = -math.inf
        self.lock = threading.Lock()

    def generation(self) -> tuple[Any, ...]:
        ev, art, st = schema.events, schema.articles, schema.stories
        stmt = select(
            select(func.max(art.c.id)).scalar_subquery(),
            select(func.max(ev.c.id)).scalar_subquery(),
            select(func.count()).select_from(st).scalar_subquery(),
        )
        with self.store.engine.connect() as conn:
            return tuple(conn.execute(stmt).one())

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.checked = -math.inf

    def _current(self) -> Any:
        now = time.monotonic()
        if now - self.checked >= self.check_every:
            version = self.generation()
            with self.lock:
                self.checked = now
                if version != self.version:
                    self.items.clear()
                    self.version = version
        return self.version

    def get(self, key: Any, compute: Callable[[], Any]) -> Any:
        version = self._current()
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = compute()
        with self.lock:
            if self.version == version:
                self.items[key] = value
                while len(self.items) > self.size:
                    self.items.popitem(last=False)
        return value
