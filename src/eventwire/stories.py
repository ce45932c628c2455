"""Deduplicate and corroborate: cluster event mentions into stories, one real-world event each.

Two mentions belong to the same story only when all of these hold (the thresholds are fields of
:class:`~eventwire.settings.Settings`):

- the same event type, and both news or both background (a background mention, such as a
  decades-old massacre recalled in an article, never joins a news story);
- compatible dyads: for source and for target, the country sets overlap or one side is unknown;
- dates within the window: each date covers the period its precision implies (a whole month for
  "in March"), an undated mention the ``undated_lookback_days`` before its article's publication;
  the periods must overlap, give or take ``story_window_days``. A mention dated to a period longer
  than ``story_max_period_days`` (a year, a decade) joins only mentions of exactly that period;
- places within ``story_max_km`` when both are points (towns, regions with coordinates); the same
  admin1 or country when one is only known at that level; an unknown place does not separate.

Clustering is complete-link: a mention joins a story only when it is compatible with every
mention already in it, so a chain of look-alikes never merges two events. A story carries the
modality ``asserted`` if any of its mentions is asserted (else the most common modality), its
confidence (the highest of its mentions'; None when none is scored), and ``n_outlets``: distinct
outlets, an article without an outlet counted by its URL's host (articles with neither count
together as one unnamed outlet).

``update_stories(store, event_pks)`` clusters only new events: it loads the stories whose dates
can match them (an index on type and dates), so its cost depends on the new events, not on the
size of the database. ``rebuild_stories(store)`` recomputes everything the same way (``eventwire
stories rebuild``; ``eventwire stories update`` clusters the events that have no story yet).
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .model import ArticleMeta, Event


def _vocab() -> dict[str, Any]:
    from .resources import default_resources

    return default_resources().yaml("ontology/analysis.yaml")


@dataclass
class StoryRules:
    """The thresholds of story clustering (from Settings)."""

    window_days: int = 1
    max_km: float = 50.0
    max_period_days: int = 31
    undated_lookback_days: int = 3

    @classmethod
    def from_settings(cls, settings: Any = None) -> StoryRules:
        if settings is None:
            from .settings import DEFAULT_SETTINGS

            settings = DEFAULT_SETTINGS
        return cls(settings.story_window_days, settings.story_max_km, settings.story_max_period_days,
                   settings.undated_lookback_days)


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
    modality: str = "asserted"
    confidence: float | None = None
    background: bool = False

    @classmethod
    def from_event(cls, key: Any, ev: Event, article: ArticleMeta | None = None, article_key: Any = None,
                   rules: StoryRules | None = None) -> Mention:
        """Build a mention from an Event and its article's metadata."""
        from .store import date_range, event_fatalities, url_host

        rules = rules or StoryRules.from_settings()
        start = end = None
        if ev.date is not None:
            s, e = date_range(ev.date.value, ev.date.precision)
            start, end = _d(s), _d(e)
        elif article is not None and article.published:
            end = _d(article.published[:10])
            start = end - timedelta(days=rules.undated_lookback_days) if end else None
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
            outlet=(article.outlet or url_host(article.url)) if article else None,
            fatalities=event_fatalities(ev),
            place=(place.name or place.text) if place else None,
            sentence=ev.sentence.text,
            modality=ev.modality,
            confidence=ev.confidence,
            background=bool(ev.background),
        )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1 if self.start and self.end else 0


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


def dates_compatible(a: Mention, b: Mention, slack_days: int = 1, max_period_days: int = 31) -> bool:
    """The periods overlap, allowing ``slack_days`` either side; a period longer than
    ``max_period_days`` matches only the same period; undated mentions match only undated ones."""
    if a.start is None or b.start is None or a.end is None or b.end is None:
        return a.start is None and b.start is None
    if a.days > max_period_days or b.days > max_period_days:
        return a.start == b.start and a.end == b.end
    slack = timedelta(days=slack_days)
    return a.start <= b.end + slack and b.start <= a.end + slack


def _is_area(m: Mention) -> bool:
    return (m.feature or "").lower() in _vocab()["area_features"]


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
    if (area.feature or "").lower() in _vocab()["admin1_features"] and area.admin1 and other.admin1:
        return area.admin1 == other.admin1
    return True


def compatible(a: Mention, b: Mention, max_km: float = 50.0, slack_days: int = 1, max_period_days: int = 31) -> bool:
    """All the tests: event type, news/background, actors, dates, places."""
    return (
        a.event_type == b.event_type
        and a.background == b.background
        and actors_compatible(a, b)
        and dates_compatible(a, b, slack_days, max_period_days)
        and places_compatible(a, b, max_km)
    )


@dataclass
class Story:
    """A cluster of mentions of one real-world event; ``id`` is its stored id (None until stored)."""

    mentions: list[Mention] = field(default_factory=list)
    id: int | None = None
    changed: bool = False

    @property
    def n_articles(self) -> int:
        return len({m.article for m in self.mentions})

    @property
    def n_outlets(self) -> int:
        """Distinct outlets (an article without one counts by its URL's host; articles with neither count
        together as one unnamed outlet, so a reported story never has 0)."""
        named = {m.outlet for m in self.mentions if m.outlet}
        return len(named) + (1 if any(not m.outlet for m in self.mentions) else 0)

    @property
    def event_type(self) -> str:
        return self.mentions[0].event_type

    @property
    def modality(self) -> str:
        """asserted if any mention is asserted, else the most common modality."""
        kinds = [m.modality or "asserted" for m in self.mentions]
        return "asserted" if "asserted" in kinds else Counter(kinds).most_common(1)[0][0]

    @property
    def confidence(self) -> float | None:
        known = [m.confidence for m in self.mentions if m.confidence is not None]
        return max(known) if known else None

    @property
    def start(self) -> date | None:
        starts = [m.start for m in self.mentions if m.start]
        return min(starts) if starts else None

    def row(self) -> dict[str, Any]:
        """The stories-table row."""
        ms = self.mentions
        starts = [m.start for m in ms if m.start]
        ends = [m.end for m in ms if m.end]
        located = next((m for m in ms if m.lat is not None), None)
        deaths = [m.fatalities for m in ms if m.fatalities is not None]
        row = {
            "id": self.id, "event_type": self.event_type,
            "date_start": min(starts).isoformat() if starts else None,
            "date_end": max(ends).isoformat() if ends else None,
            "countries": ",".join(sorted(set().union(*(m.source | m.target for m in ms)))),
            "lat": located.lat if located else None, "lon": located.lon if located else None,
            "location": next((m.place for m in ms if m.place), None),
            "n_mentions": len(ms), "n_articles": self.n_articles, "n_outlets": self.n_outlets,
            "fatalities": max(deaths) if deaths else None,
            "summary": (next((m.sentence for m in ms if m.sentence), None) or "")[:300] or None,
            "modality": self.modality, "confidence": self.confidence, "background": bool(ms[0].background),
        }  # fmt: skip
        return row


class StoryIndex:
    """Stories by (event type, background), findable by date; complete-link assignment of mentions."""

    def __init__(self, rules: StoryRules, max_candidates: int = 200) -> None:
        self.rules = rules
        self.max_candidates = max_candidates
        self.by_start: dict[tuple[str, bool], list[tuple[int, int, Story]]] = {}
        self.long: dict[tuple[str, bool, date, date], list[Story]] = {}
        self.undated: dict[tuple[str, bool], list[Story]] = {}
        self.stories: list[Story] = []
        self._seq = 0

    def _long(self, m: Mention) -> bool:
        return m.days > self.rules.max_period_days

    def add(self, story: Story) -> None:
        """Index a story (by its first mention's kind of date)."""
        self.stories.append(story)
        self._index(story)

    def _index(self, story: Story) -> None:
        m = story.mentions[0]
        key = (m.event_type, m.background)
        if m.start is None or m.end is None:
            self.undated.setdefault(key, []).append(story)
        elif self._long(m):
            self.long.setdefault((*key, m.start, m.end), []).append(story)
        else:
            self._seq += 1
            bisect.insort(self.by_start.setdefault(key, []), (story.start.toordinal(), self._seq, story))  # type: ignore[union-attr]

    def _candidates(self, m: Mention) -> Iterable[Story]:
        key = (m.event_type, m.background)
        if m.start is None or m.end is None:
            return reversed(self.undated.get(key, []))
        if self._long(m):
            return reversed(self.long.get((*key, m.start, m.end), []))
        items = self.by_start.get(key, [])
        lo = m.start.toordinal() - self.rules.window_days - self.rules.max_period_days
        hi = m.end.toordinal() + self.rules.window_days
        i = bisect.bisect_left(items, (lo,))
        j = bisect.bisect_right(items, (hi, float("inf")))
        return (s for _, _, s in reversed(items[i:j]))

    def assign(self, m: Mention) -> Story:
        """Put a mention in the first story it is compatible with (all its mentions), else a new one."""
        r = self.rules
        for tried, story in enumerate(self._candidates(m), start=1):
            if tried > self.max_candidates:
                break
            if all(compatible(m, other, r.max_km, r.window_days, r.max_period_days) for other in story.mentions):
                old_start = story.start
                story.mentions.append(m)
                story.changed = True
                if story.start != old_start and m.start is not None and not self._long(m):
                    self._reindex(story, old_start)
                return story
        story = Story([m], changed=True)
        self.add(story)
        return story

    def _reindex(self, story: Story, old_start: date | None) -> None:
        key = (story.mentions[0].event_type, story.mentions[0].background)
        items = self.by_start.get(key, [])
        for i, (_, _, s) in enumerate(items):
            if s is story:
                del items[i]
                break
        self._seq += 1
        bisect.insort(items, (story.start.toordinal(), self._seq, story))  # type: ignore[union-attr]


def cluster(mentions: Sequence[Mention], max_km: float = 50.0, slack_days: int = 1, max_compare: int = 200,
            max_period_days: int = 31) -> list[Story]:
    """Complete-link greedy clustering of mentions into stories, in a stable order (type, start date, input order)."""
    index = StoryIndex(StoryRules(slack_days, max_km, max_period_days), max_candidates=max_compare)
    order = sorted(range(len(mentions)), key=lambda i: (mentions[i].event_type, mentions[i].start or date.max, i))
    for i in order:
        index.assign(mentions[i])
    return index.stories


# -- the store -------------------------------------------------------------------------
def _load_mentions(conn: Any, event_pks: Sequence[int] | None, rules: StoryRules,
                   story_ids: Sequence[int] | None = None) -> list[Mention]:
    """Mentions of current-version events, by event id or by story id."""
    from sqlalchemy import select

    from .store import schema

    ev, art, loc, sen = schema.events, schema.articles, schema.locations, schema.sentences
    ids = list(event_pks if event_pks is not None else story_ids or [])
    column = ev.c.id if event_pks is not None else ev.c.story_id
    out: list[Mention] = []
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        rows = conn.execute(
            select(
                ev.c.id, ev.c.article_pk, ev.c.event_type, ev.c.date_start, ev.c.date_end, ev.c.lat, ev.c.lon,
                ev.c.country, ev.c.fatalities, ev.c.source_countries, ev.c.target_countries, ev.c.modality,
                ev.c.confidence, ev.c.background, ev.c.sentence_index, art.c.published, art.c.outlet, art.c.host,
                sen.c.text.label("sentence"),
            ).join(art, art.c.id == ev.c.article_pk)
            # the event's own sentence only (an article has dozens; a story row needs one)
            .outerjoin(sen, (sen.c.article_pk == ev.c.article_pk) & (sen.c.idx == ev.c.sentence_index))
            .where(column.in_(chunk), art.c.superseded_by.is_(None)).order_by(ev.c.id)
        ).all()  # fmt: skip
        pks = [r.id for r in rows]
        places: dict[int, Any] = {}
        for p in conn.execute(
            select(loc.c.event_pk, loc.c.admin1, loc.c.feature, loc.c.name, loc.c.text, loc.c.country, loc.c.lat)
            .where(loc.c.event_pk.in_(pks)).order_by(loc.c.event_pk, loc.c.position)
        ):
            best = places.get(p.event_pk)
            if best is None or (best.lat is None and p.lat is not None):
                places[p.event_pk] = p
        for r in rows:
            start, end = _d(r.date_start), _d(r.date_end)
            if start is None and r.published:
                end = _d(r.published)
                start = end - timedelta(days=rules.undated_lookback_days) if end else None
            place = places.get(r.id)
            out.append(Mention(
                key=r.id, event_type=r.event_type,
                source=frozenset(filter(None, (r.source_countries or "").split(","))),
                target=frozenset(filter(None, (r.target_countries or "").split(","))),
                start=start, end=end, lat=r.lat, lon=r.lon,
                country=r.country or (place.country if place else None),
                admin1=place.admin1 if place else None, feature=place.feature if place else None,
                article=r.article_pk, outlet=r.outlet or r.host, fatalities=r.fatalities,
                place=(place.name or place.text) if place else None,
                sentence=r.sentence,
                modality=r.modality or "asserted", confidence=r.confidence, background=bool(r.background),
            ))  # fmt: skip
    return out


@dataclass
class StoryUpdate:
    """What one ``update_stories`` did."""

    mentions: int = 0  # mentions clustered
    created: int = 0
    updated: int = 0
    deleted: int = 0
    total: int = 0  # stories in the store afterwards


def update_stories(store: Any, event_pks: Iterable[int] | None, retracted: Iterable[int] = (),
                   settings: Any = None) -> StoryUpdate:
    """Cluster new events into the stored stories (or new ones); drop retracted events from theirs.

    event_pks: the new events (None: every current event that has no story). retracted: events of
    superseded article versions; the stories that held them are recomputed (deleted when empty).
    """
    from sqlalchemy import bindparam, delete, func, or_, select, update

    from .store import schema

    rules = StoryRules.from_settings(settings)
    ev, art, st, sm = schema.events, schema.articles, schema.stories, schema.story_mentions
    result = StoryUpdate()
    with store.engine.begin() as conn:
        retracted = sorted(set(retracted))
        touched: set[int] = set()
        for i in range(0, len(retracted), 500):
            chunk = retracted[i : i + 500]
            touched.update(r[0] for r in conn.execute(select(ev.c.story_id).where(
                ev.c.id.in_(chunk), ev.c.story_id.is_not(None))))
            conn.execute(delete(sm).where(sm.c.event_pk.in_(chunk)))
            conn.execute(update(ev).where(ev.c.id.in_(chunk)).values(story_id=None))
        if event_pks is None:
            event_pks = [r[0] for r in conn.execute(
                select(ev.c.id).join(art, art.c.id == ev.c.article_pk)
                .where(ev.c.story_id.is_(None), art.c.superseded_by.is_(None)).order_by(ev.c.id))]
        new = _load_mentions(conn, sorted(set(event_pks)), rules)
        result.mentions = len(new)
        index = StoryIndex(rules)
        loaded: dict[int, Story] = {}

        def load(ids: Iterable[int]) -> None:
            wanted = sorted(set(ids) - set(loaded))
            if not wanted:
                return
            by_story: dict[int, list[Mention]] = {}
            story_of = {}
            for i in range(0, len(wanted), 500):
                story_of.update(dict(conn.execute(select(ev.c.id, ev.c.story_id).where(
                    ev.c.story_id.in_(wanted[i : i + 500]))).all()))
            for m in _load_mentions(conn, None, rules, story_ids=wanted):
                by_story.setdefault(story_of[m.key], []).append(m)
            for sid in wanted:
                story = Story(by_story.get(sid, []), id=sid)
                loaded[sid] = story
                if story.mentions:
                    index.add(story)

        # the stored stories the new mentions could join: same type and kind, a date span that reaches
        # each new mention's period (give or take the window); read through the (type, dates) index
        kinds: dict[tuple[str, bool], list[Mention]] = {}
        for m in new:
            kinds.setdefault((m.event_type, m.background), []).append(m)
        slack = timedelta(days=rules.window_days)
        for (etype, background), ms in kinds.items():
            conds = [st.c.event_type == etype, st.c.background.is_(True) if background else st.c.background.is_(False)]
            spans = sorted((m.start - slack, m.end + slack) for m in ms if m.start and m.end)  # type: ignore[operator]
            merged: list[list[date]] = []
            for lo, hi in spans:
                if merged and lo <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], hi)
                else:
                    merged.append([lo, hi])
            windows = [(st.c.date_start <= hi.isoformat()) & (st.c.date_end >= lo.isoformat()) for lo, hi in merged]
            if any(m.start is None for m in ms):
                windows.append(st.c.date_start.is_(None))
            for i in range(0, len(windows), 100):
                load(r[0] for r in conn.execute(select(st.c.id).where(*conds, or_(*windows[i : i + 100]))))
        load(touched)
        order = sorted(new, key=lambda m: (m.event_type, m.start or date.max, m.key))
        for m in order:
            index.assign(m)
        next_id = int(conn.execute(select(func.coalesce(func.max(st.c.id), 0))).scalar_one()) + 1
        new_rows, links, ev_updates, changed_rows = [], [], [], []
        new_keys = {m.key for m in new}
        for story in index.stories:
            if story.id is None:
                story.id = next_id
                next_id += 1
                new_rows.append(story.row())
                result.created += 1
            elif story.changed or story.id in touched:
                changed_rows.append({("b_" + k): v for k, v in story.row().items()})
                result.updated += 1
            for m in story.mentions:
                if m.key in new_keys:
                    links.append({"story_id": story.id, "event_pk": m.key})
                    ev_updates.append({"pk": m.key, "sid": story.id})
        empty = [sid for sid, s in loaded.items() if not s.mentions]
        if empty:
            conn.execute(delete(st).where(st.c.id.in_(empty)))
            result.deleted = len(empty)
        if changed_rows:
            columns = [c for c in changed_rows[0] if c != "b_id"]
            conn.execute(update(st).where(st.c.id == bindparam("b_id"))
                         .values({c[2:]: bindparam(c) for c in columns}), changed_rows)
        if new_rows:
            conn.execute(st.insert(), new_rows)
        if links:
            conn.execute(sm.insert(), links)
            conn.execute(update(ev).where(ev.c.id == bindparam("pk")).values(story_id=bindparam("sid")), ev_updates)
        result.total = int(conn.execute(select(func.count()).select_from(st)).scalar_one())
    return result


def reset_stories(store: Any) -> None:
    """Delete every story and every event's story link (``update_stories(store, None)`` then rebuilds)."""
    from sqlalchemy import delete, update

    from .store import schema

    with store.engine.begin() as conn:
        conn.execute(update(schema.events).values(story_id=None))
        conn.execute(delete(schema.story_mentions))
        conn.execute(delete(schema.stories))


def rebuild_stories(store: Any, max_km: float | None = None, slack_days: int | None = None,
                    settings: Any = None) -> int:
    """Recompute every story in a store from its current events; returns the number of stories.

    max_km and slack_days override ``settings.story_max_km`` and ``settings.story_window_days``.
    """
    from .settings import DEFAULT_SETTINGS

    settings = settings or DEFAULT_SETTINGS
    overrides = {k: v for k, v in (("story_max_km", max_km), ("story_window_days", slack_days)) if v is not None}
    if overrides:
        settings = settings.model_copy(update=overrides)
    reset_stories(store)
    return update_stories(store, None, settings=settings).total


__all__ = ["Mention", "Story", "StoryRules", "StoryIndex", "StoryUpdate", "cluster", "compatible",
           "update_stories", "rebuild_stories", "reset_stories", "haversine_km"]
