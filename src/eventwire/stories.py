"""Deduplicate and corroborate: cluster event mentions into stories.

Two mentions belong to the same story when they have the same event type, compatible
actors (for source and for target: the country sets overlap, or one side is unknown),
overlapping dates (each date covers the period its precision implies, e.g. a whole month;
an undated mention covers the few days before its article's publication), and nearby
places (within ``max_km`` when both have coordinates; the same admin1 or country when one
is only known at that level; unknown places do not separate). Clustering is complete-link:
a mention joins a story only when it is compatible with every mention already in it, so
two look-alike events (same dyad, another week or another city) stay apart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .model import ArticleMeta, Event

UNDATED_LOOKBACK_DAYS = 3
AREA_FEATURES = {"country", "admin1", "region", "continent", "sea", "area", "adm1", "pcli"}


@dataclass
class Mention:
    """One event mention with what clustering needs; ``key`` identifies it (e.g. events.id)."""

    key: Any
    event_type: str
    source: frozenset[str] = frozenset()
    target: frozenset[str] = frozenset()
    start: date | None = None
    end: date | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    feature: str | None = None
    article: Any = None
    outlet: str | None = None
    fatalities: int | None = None
    place: str | None = None
    sentence: str | None = None

    @classmethod
    def from_event(cls, key: Any, ev: Event, article: ArticleMeta | None = None, article_key: Any = None) -> Mention:
        """Build a mention from an Event and its article's metadata."""
        from .store import date_range, event_fatalities

        start = end = None
        if ev.date is not None:
            s, e = date_range(ev.date.value, ev.date.precision)
            start, end = _d(s), _d(e)
        elif article is not None and article.published:
            end = _d(article.published[:10])
            start = end - timedelta(days=UNDATED_LOOKBACK_DAYS) if end else None
        place = next((p for p in ev.locations if p.lat is not None and p.lon is not None), None)
        place = place or (ev.locations[0] if ev.locations else None)
        return cls(
            key=key,
            event_type=ev.event_type,
            source=frozenset(a.country for a in ev.source if a.country),
            target=frozenset(a.country for a in ev.target if a.country),
            start=start,
            end=end,
            lat=place.lat if place else None,
            lon=place.lon if place else None,
            country=place.country if place else None,
            admin1=place.admin1 if place else None,
            feature=place.feature if place else None,
            article=article_key if article_key is not None else (article.id if article else None),
            outlet=article.outlet if article else None,
            fatalities=event_fatalities(ev),
            place=(place.name or place.text) if place else None,
            sentence=ev.sentence.text,
        )


def _d(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def actors_compatible(a: Mention, b: Mention) -> bool:
    """Source countries overlap (or one is unknown), and the same for targets."""
    if a.source and b.source and not (a.source & b.source):
        return False
    return not (a.target and b.target and not (a.target & b.target))


def dates_compatible(a: Mention, b: Mention, slack_days: int = 1) -> bool:
    """The periods overlap, allowing ``slack_days`` either side; undated mentions match nothing dated."""
    if a.start is None or b.start is None or a.end is None or b.end is None:
        return a.start is None and b.start is None
    slack = timedelta(days=slack_days)
    return a.start <= b.end + slack and b.start <= a.end + slack


def _is_area(m: Mention) -> bool:
    return (m.feature or "").lower() in AREA_FEATURES


def places_compatible(a: Mention, b: Mention, max_km: float = 50.0) -> bool:
    """Near enough: within max_km for two points, same admin1/country when one is an area."""
    if a.country and b.country and a.country != b.country:
        return False
    a_point = a.lat is not None and a.lon is not None and not _is_area(a)
    b_point = b.lat is not None and b.lon is not None and not _is_area(b)
    if a_point and b_point:
        return haversine_km(a.lat, a.lon, b.lat, b.lon) <= max_km  # type: ignore[arg-type]
    area = a if not a_point else b
    other = b if area is a else a
    if (area.feature or "").lower() in ("admin1", "adm1") and area.admin1 and other.admin1:
        return area.admin1 == other.admin1
    return True


def compatible(a: Mention, b: Mention, max_km: float = 50.0, slack_days: int = 1) -> bool:
    """All four tests: event type, actors, dates, places."""
    return (
        a.event_type == b.event_type
        and actors_compatible(a, b)
        and dates_compatible(a, b, slack_days)
        and places_compatible(a, b, max_km)
    )


@dataclass
class Story:
    """A cluster of mentions of one real-world event."""

    mentions: list[Mention] = field(default_factory=list)

    @property
    def n_articles(self) -> int:
        return len({m.article for m in self.mentions})

    @property
    def n_outlets(self) -> int:
        return len({m.outlet for m in self.mentions if m.outlet})

    @property
    def event_type(self) -> str:
        return self.mentions[0].event_type


def cluster(mentions: Sequence[Mention], max_km: float = 50.0, slack_days: int = 1, max_compare: int = 50) -> list[Story]:
    """Complete-link greedy clustering of mentions into stories, in a stable order."""
    order = sorted(
        range(len(mentions)),
        key=lambda i: (mentions[i].event_type, mentions[i].start or date.max, i),
    )
    stories: list[Story] = []
    open_by_type: dict[str, list[Story]] = {}
    for i in order:
        m = mentions[i]
        candidates = open_by_type.setdefault(m.event_type, [])
        best: Story | None = None
        for story in reversed(candidates[-200:]):
            if all(compatible(m, other, max_km, slack_days) for other in story.mentions[:max_compare]):
                best = story
                break
        if best is None:
            best = Story()
            stories.append(best)
            candidates.append(best)
        best.mentions.append(m)
    return stories


def rebuild_stories(store: Any, max_km: float = 50.0, slack_days: int = 1) -> int:
    """Recompute every story in a store from its events; returns the number of stories."""
    from sqlalchemy import delete, select, update

    from .store import schema

    ev, art, loc = schema.events, schema.articles, schema.locations
    with store.engine.begin() as conn:
        rows = conn.execute(
            select(
                ev.c.id, ev.c.article_pk, ev.c.event_type, ev.c.date_start, ev.c.date_end, ev.c.lat, ev.c.lon,
                ev.c.country, ev.c.fatalities, ev.c.source_countries, ev.c.target_countries,
                art.c.published, art.c.outlet,
            ).join(art, art.c.id == ev.c.article_pk).order_by(ev.c.id)
        ).all()  # fmt: skip
        first_places = {
            r.event_pk: r
            for r in conn.execute(
                select(loc.c.event_pk, loc.c.admin1, loc.c.feature, loc.c.name, loc.c.text, loc.c.country)
                .where(loc.c.event_pk.is_not(None))
                .order_by(loc.c.event_pk, loc.c.position.desc())
            )
        }
        sentences = {
            r.id: r.text
            for r in conn.execute(
                select(ev.c.id, schema.sentences.c.text).join(
                    schema.sentences,
                    (schema.sentences.c.article_pk == ev.c.article_pk) & (schema.sentences.c.idx == ev.c.sentence_index),
                )
            )
        }
        mentions = []
        for r in rows:
            start, end = _d(r.date_start), _d(r.date_end)
            if start is None and r.published:
                end = _d(r.published)
                start = end - timedelta(days=UNDATED_LOOKBACK_DAYS) if end else None
            place = first_places.get(r.id)
            mentions.append(
                Mention(
                    key=r.id, event_type=r.event_type,
                    source=frozenset(filter(None, (r.source_countries or "").split(","))),
                    target=frozenset(filter(None, (r.target_countries or "").split(","))),
                    start=start, end=end, lat=r.lat, lon=r.lon,
                    country=r.country or (place.country if place else None),
                    admin1=place.admin1 if place else None, feature=place.feature if place else None,
                    article=r.article_pk, outlet=r.outlet, fatalities=r.fatalities,
                    place=(place.name or place.text) if place else None, sentence=sentences.get(r.id),
                )
            )  # fmt: skip
        stories = cluster(mentions, max_km, slack_days)
        conn.execute(update(ev).values(story_id=None))
        conn.execute(delete(schema.story_mentions))
        conn.execute(delete(schema.stories))
        story_rows, link_rows, ev_updates = [], [], []
        for sid, story in enumerate(stories, start=1):
            ms = story.mentions
            starts = [m.start for m in ms if m.start]
            ends = [m.end for m in ms if m.end]
            located = next((m for m in ms if m.lat is not None), None)
            deaths = [m.fatalities for m in ms if m.fatalities is not None]
            story_rows.append({
                "id": sid, "event_type": story.event_type,
                "date_start": min(starts).isoformat() if starts else None,
                "date_end": max(ends).isoformat() if ends else None,
                "countries": ",".join(sorted(set().union(*(m.source | m.target for m in ms)))),
                "lat": located.lat if located else None, "lon": located.lon if located else None,
                "location": next((m.place for m in ms if m.place), None),
                "n_mentions": len(ms), "n_articles": story.n_articles, "n_outlets": story.n_outlets,
                "fatalities": max(deaths) if deaths else None,
                "summary": (next((m.sentence for m in ms if m.sentence), None) or "")[:300] or None,
            })  # fmt: skip
            for m in ms:
                link_rows.append({"story_id": sid, "event_pk": m.key})
                ev_updates.append({"pk": m.key, "sid": sid})
        if story_rows:
            conn.execute(schema.stories.insert(), story_rows)
            conn.execute(schema.story_mentions.insert(), link_rows)
            from sqlalchemy import bindparam

            conn.execute(
                update(ev).where(ev.c.id == bindparam("pk")).values(story_id=bindparam("sid")),
                ev_updates,
            )
    return len(stories)


__all__ = ["Mention", "Story", "cluster", "compatible", "rebuild_stories", "haversine_km"]
