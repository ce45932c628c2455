"""Ask questions of a store: events (or stories) by type, actor, country, dates and distance.

``query(db, type="ASSAULT", actor="IRN", country="SYR", since="2023-10-01", near=(33.5, 36.3, 50))``
returns a pandas DataFrame, one row per event mention (or per story with ``stories=True``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import and_, exists, func, or_, select

from .errors import InputError
from .store import Store, open_store, schema
from .stories import haversine_km

EVENT_COLUMNS = [
    "id", "story_id", "article_id", "published", "outlet", "url", "event_type", "mode", "cameo", "quad_class",
    "goldstein", "date", "date_precision", "source", "target", "country", "lat", "lon", "fatalities",
    "modality", "trigger", "rule",
]  # fmt: skip
STORY_COLUMNS = [
    "story_id", "event_type", "date_start", "date_end", "countries", "location", "lat", "lon",
    "n_mentions", "n_articles", "n_outlets", "fatalities", "summary",
]  # fmt: skip


@dataclass(frozen=True)
class Filters:
    """Event filters shared by query and export; every field optional."""

    type: tuple[str, ...] = ()
    actor: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    near: tuple[float, float, float] | None = None

    @classmethod
    def make(
        cls,
        type: str | list[str] | tuple[str, ...] | None = None,  # noqa: A002 - mirrors the CLI flag
        actor: str | list[str] | tuple[str, ...] | None = None,
        country: str | list[str] | tuple[str, ...] | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        near: str | tuple[float, float, float] | None = None,
    ) -> Filters:
        """Validate and normalise filter values; InputError with the reason when one is malformed."""
        return cls(
            type=_codes(type, "type"),
            actor=_codes(actor, "actor", upper=False),
            country=_codes(country, "country"),
            since=_iso(since, "since"),
            until=_iso(until, "until"),
            near=parse_near(near) if isinstance(near, str) else _check_near(near),
        )

    @property
    def empty(self) -> bool:
        return not (self.type or self.actor or self.country or self.since or self.until or self.near)


def _codes(value: Any, flag: str, upper: bool = True) -> tuple[str, ...]:
    if value is None or value == "" or value == ():
        return ()
    items = [value] if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        for part in str(item).split(","):
            part = part.strip()
            if part:
                out.append(part.upper() if upper else part)
    return tuple(out)


def _iso(value: Any, flag: str) -> str | None:
    if value is None or value == "":
        return None
    text = value.isoformat() if isinstance(value, date) else str(value).strip()
    if re.fullmatch(r"\d{4}", text):
        text += "-01-01" if flag == "since" else "-12-31"
    elif re.fullmatch(r"\d{4}-\d{2}", text):
        year, month = map(int, text.split("-"))
        import calendar

        text += "-01" if flag == "since" else f"-{calendar.monthrange(year, month)[1]:02d}"
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError as exc:
        raise InputError(f"{flag} {value!r}: not a date; use YYYY-MM-DD, YYYY-MM or YYYY") from exc


def parse_near(text: str) -> tuple[float, float, float]:
    """Parse 'LAT,LON,KM' into floats; InputError when malformed or out of range."""
    parts = [p.strip() for p in str(text).split(",")]
    try:
        if len(parts) != 3:
            raise ValueError
        lat, lon, km = (float(p) for p in parts)
    except ValueError as exc:
        raise InputError(f"near {text!r}: expected LAT,LON,KM such as 33.51,36.29,50") from exc
    return _check_near((lat, lon, km))  # type: ignore[return-value]


def _check_near(near: tuple[float, float, float] | None) -> tuple[float, float, float] | None:
    if near is None:
        return None
    lat, lon, km = (float(x) for x in near)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and km > 0):
        raise InputError(f"near {lat},{lon},{km}: latitude must be in [-90, 90], longitude in [-180, 180], km > 0")
    return lat, lon, km


def _where(filters: Filters) -> list[Any]:
    ev, art, act, loc = schema.events, schema.articles, schema.actors, schema.locations
    conds: list[Any] = []
    if filters.type:
        conds.append(func.upper(ev.c.event_type).in_(filters.type))
    if filters.actor:
        wanted = [a.upper() for a in filters.actor]
        lowered = [a.lower() for a in filters.actor]
        match = or_(
            func.upper(act.c.country).in_(wanted),
            func.upper(act.c.patron).in_(wanted),
            func.lower(act.c.name).in_(lowered),
            func.lower(act.c.text).in_(lowered),
        )
        conds.append(exists().where(and_(act.c.event_pk == ev.c.id, act.c.role.in_(("source", "target")), match)))
    if filters.country:
        conds.append(
            or_(
                ev.c.country.in_(filters.country),
                exists().where(and_(loc.c.event_pk == ev.c.id, loc.c.country.in_(filters.country))),
            )
        )
    start = func.coalesce(ev.c.date_start, art.c.published)
    end = func.coalesce(ev.c.date_end, art.c.published)
    if filters.since:
        conds.append(end >= filters.since)
    if filters.until:
        conds.append(start <= filters.until)
    if filters.near:
        lat, lon, km = filters.near
        dlat = km / 111.0
        dlon = km / max(1e-6, 111.0 * math.cos(math.radians(lat)))
        conds.append(and_(ev.c.lat.between(lat - dlat, lat + dlat), ev.c.lat.is_not(None)))
        if dlon < 180:
            conds.append(ev.c.lon.between(lon - dlon, lon + dlon))
    return conds


def select_events(store: Store, filters: Filters, limit: int | None = None) -> list[Any]:
    """Matching event rows (events joined with their article), in storage order."""
    ev, art = schema.events, schema.articles
    stmt = (
        select(
            ev.c.id, ev.c.article_pk, ev.c.position, ev.c.story_id, art.c.article_id, art.c.published, art.c.outlet,
            art.c.url, ev.c.event_type, ev.c.mode, ev.c.cameo, ev.c.quad_class, ev.c.goldstein,
            ev.c.date_value.label("date"), ev.c.date_precision, ev.c.source_countries.label("source"),
            ev.c.target_countries.label("target"), ev.c.country, ev.c.lat, ev.c.lon, ev.c.fatalities,
            ev.c.modality, ev.c.trigger_text.label("trigger"), ev.c.rule,
        )
        .join(art, art.c.id == ev.c.article_pk)
        .where(*_where(filters))
        .order_by(ev.c.id)
    )  # fmt: skip
    if limit is not None and not filters.near:
        stmt = stmt.limit(limit)
    with store.engine.connect() as conn:
        rows = conn.execute(stmt).all()
    if filters.near:
        lat, lon, km = filters.near
        rows = [r for r in rows if haversine_km(lat, lon, r.lat, r.lon) <= km]
        if limit is not None:
            rows = rows[:limit]
    return rows


def query(
    db: str | Path | Store | None = None,
    *,
    type: str | list[str] | None = None,  # noqa: A002 - mirrors the CLI flag
    actor: str | list[str] | None = None,
    country: str | list[str] | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    near: str | tuple[float, float, float] | None = None,
    stories: bool = False,
    limit: int | None = None,
) -> Any:
    """Events (or stories) matching the filters, as a pandas DataFrame.

    type: PLOVER event type(s); actor: actor country/organisation code or name; country:
    ISO alpha-3 of the event's location; since/until: ISO dates (the event's date period
    must overlap); near: (lat, lon, km) or 'LAT,LON,KM'; stories: one row per story.
    """
    import pandas as pd

    filters = Filters.make(type=type, actor=actor, country=country, since=since, until=until, near=near)
    store = db if isinstance(db, Store) else open_store(db, create=False)
    try:
        rows = select_events(store, filters, None if stories else limit)
        if not stories:
            return pd.DataFrame([{c: getattr(r, c) for c in EVENT_COLUMNS} for r in rows], columns=EVENT_COLUMNS)
        ids = sorted({r.story_id for r in rows if r.story_id is not None})
        st = schema.stories
        out: list[dict[str, Any]] = []
        with store.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                for r in conn.execute(select(st).where(st.c.id.in_(chunk)).order_by(st.c.id)):
                    d = dict(r._mapping)
                    d["story_id"] = d.pop("id")
                    out.append(d)
        out.sort(key=lambda d: (-d["n_articles"], -d["n_mentions"], d["story_id"]))
        if limit is not None:
            out = out[:limit]
        return pd.DataFrame(out, columns=STORY_COLUMNS)
    finally:
        if not isinstance(db, Store):
            store.close()


__all__ = ["query", "Filters", "select_events", "parse_near", "EVENT_COLUMNS", "STORY_COLUMNS"]
