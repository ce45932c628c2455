"""Ask questions of a store: events (or stories) by type, dyad, actor, place, dates, outlet, confidence.

One filter definition, :class:`Filters`, serves the library (``query``, ``export``, ``aggregate``),
the command line (the flags are generated from its fields by ``eventwire.cli.filters``) and the
HTTP API. ``Filters.make(...)`` validates and normalises raw values (strings, lists, dates) and
raises InputError naming the filter when one is malformed or empty.

``select_events(store, filters) -> (rows, total)``: the matching event rows (at most
``filters.limit``), in storage order, and how many match in all. ``query(db, ...)`` returns the
same as a pandas DataFrame (``frame.attrs["total"]`` holds the total).

Defaults: only asserted mentions (``modality=("asserted",)``; ``modality="any"`` for all), no
background events (``include_background=True`` to add them), only the current version of
articles (an article superseded by a corrected re-publication is never selected). An event's
confidence of None counts as 1.0 for ``min_confidence``.

Example:
    >>> f = Filters.make(source="TUR", target="SYR", since="2024-03", modality="any")
    >>> (f.source, f.target, f.since, f.modality)
    (('TUR',), ('SYR',), '2024-03-01', ())
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from .errors import InputError
from .model import Modality
from .stories import haversine_km

if TYPE_CHECKING:
    from .store import Store

# SQLAlchemy and the store are imported by the functions that query, not on import: the CLI builds
# its filter flags from Filters, and `eventwire --help` should not pay for SQLAlchemy.

EVENT_COLUMNS = [
    "id", "story_id", "article_id", "published", "outlet", "url", "event_type", "mode", "cameo", "quad_class",
    "goldstein", "date", "date_precision", "source", "target", "country", "lat", "lon", "fatalities",
    "modality", "trigger", "rule", "confidence", "background", "source_country", "target_country", "admin1",
    "host",
]  # fmt: skip
STORY_COLUMNS = [
    "story_id", "event_type", "date_start", "date_end", "countries", "location", "lat", "lon",
    "n_mentions", "n_articles", "n_outlets", "fatalities", "summary", "modality", "confidence", "background",
]  # fmt: skip
ANY = "any"  # modality value meaning: every modality
NAME_FILTERS = ("source", "target", "actor", "outlet", "rule")  # Filters fields matched as given (any case)


def _opt(help_text: str, metavar: str | None = None, multiple: bool = True, kind: Any = str) -> dict[str, Any]:
    meta = {"help": help_text, "metavar": metavar, "multiple": multiple, "kind": kind}
    return meta


@dataclass(frozen=True)
class Filters:
    """Event filters shared by query, export, aggregate and the HTTP API; build with ``Filters.make``.

    Within a filter, values are alternatives (``actor=("USA", "IRN")``: either); different filters
    must all hold. ``source``/``target`` are the two sides of a directed dyad; ``dyad`` pairs are
    undirected (``("USA", "SYR")``: USA against SYR or SYR against USA).
    """

    since: str | None = field(default=None, metadata=_opt(
        "Events whose date period ends on or after this date (YYYY-MM-DD, YYYY-MM or YYYY).", "DATE", False))
    until: str | None = field(default=None, metadata=_opt(
        "Events whose date period starts on or before this date.", "DATE", False))
    event_type: tuple[str, ...] = field(default=(), metadata=_opt(
        "PLOVER event type, e.g. ASSAULT (repeatable; comma lists allowed).", "TYPE"))
    source: tuple[str, ...] = field(default=(), metadata=_opt(
        "Source actor code or name (the actor side of a directed dyad; repeatable).", "ACTOR"))
    target: tuple[str, ...] = field(default=(), metadata=_opt(
        "Target actor code or name (the recipient side of a directed dyad; repeatable).", "ACTOR"))
    dyad: tuple[tuple[str, str], ...] = field(default=(), metadata=_opt(
        "Undirected dyad A,B: A against B or B against A (repeatable).", "A,B"))
    actor: tuple[str, ...] = field(default=(), metadata=_opt(
        "Actor code or name on either side, e.g. IRN (repeatable: any of them).", "ACTOR"))
    country: tuple[str, ...] = field(default=(), metadata=_opt(
        "ISO alpha-3 country of the event location (repeatable).", "ISO3"))
    sector: tuple[str, ...] = field(default=(), metadata=_opt(
        "Actor sector on either side, e.g. MIL, GOV, REB (repeatable).", "SECTOR"))
    modality: tuple[str, ...] = field(default=("asserted",), metadata=_opt(
        "asserted (default), negated, future, hypothetical, or any (repeatable).", "MODALITY"))
    min_confidence: float | None = field(default=None, metadata=_opt(
        "Only events with at least this confidence (0-1; unscored events count as 1).", "P", False, float))
    outlet: tuple[str, ...] = field(default=(), metadata=_opt(
        "Outlet name or URL host, e.g. theguardian.com (repeatable).", "OUTLET"))
    rule: tuple[str, ...] = field(default=(), metadata=_opt(
        "Coding rule id; a trailing * matches a prefix (repeatable).", "RULE"))
    include_background: bool = field(default=False, metadata=_opt(
        "Include background events (history, cumulative tolls); off by default.", None, False, bool))
    near: tuple[float, float, float] | None = field(default=None, metadata=_opt(
        "Events within KM kilometres of a point.", "LAT,LON,KM", False))
    text: str | None = field(default=None, metadata=_opt(
        "Events whose sentence contains this text (case-insensitive).", "TEXT", False))
    limit: int | None = field(default=None, metadata=_opt(
        "At most this many rows (0: all).", "N", False, int))

    @classmethod
    def make(cls, **values: Any) -> Filters:
        """Validate and normalise raw filter values (None = not given); InputError naming the filter.

        ``type`` is accepted for ``event_type``. Given-but-empty values ("" or [""]) are errors.
        """
        if "type" in values:
            given = values.pop("type")
            if values.get("event_type") is None:
                values["event_type"] = given
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise InputError(f"unknown filter(s) {', '.join(unknown)}; known: {', '.join(sorted(names))}")
        out: dict[str, Any] = {}
        for name in ("event_type", "country", "sector"):
            out[name] = _codes(values.get(name), name)
        for name in NAME_FILTERS:
            out[name] = _codes(values.get(name), name, upper=False)
        out["dyad"] = _dyads(values.get("dyad"))
        modality = values.get("modality")
        if modality is None:
            out["modality"] = cls.modality
        else:
            wanted = tuple(m.lower() for m in _codes(modality, "modality", upper=False))
            allowed = set(get_args(Modality))
            bad = [m for m in wanted if m not in allowed and m != ANY]
            if bad:
                raise InputError(f"modality {bad[0]!r}: choose from {', '.join(sorted(allowed))} or {ANY}")
            out["modality"] = () if ANY in wanted or set(wanted) == allowed else tuple(dict.fromkeys(wanted))
        out["since"] = _iso(values.get("since"), "since")
        out["until"] = _iso(values.get("until"), "until")
        conf = values.get("min_confidence")
        if conf is not None:
            try:
                conf = float(conf)
            except (TypeError, ValueError) as exc:
                raise InputError(f"min_confidence {conf!r}: not a number between 0 and 1") from exc
            if not 0.0 <= conf <= 1.0:
                raise InputError(f"min_confidence {conf}: must be between 0 and 1")
        out["min_confidence"] = conf
        out["include_background"] = bool(values.get("include_background") or False)
        near = values.get("near")
        if near is not None and not isinstance(near, str):
            out["near"] = _check_near(tuple(near))  # type: ignore[arg-type]
        else:
            out["near"] = None if near is None else parse_near(_nonempty(near, "near"))
        text = values.get("text")
        out["text"] = None if text is None else _nonempty(text, "text")
        limit = values.get("limit")
        if limit is not None:
            try:
                limit = int(limit)
            except (TypeError, ValueError) as exc:
                raise InputError(f"limit {limit!r}: not a whole number") from exc
            if limit < 0:
                raise InputError(f"limit {limit}: must be 0 or more")
        out["limit"] = limit or None  # 0: no limit
        return cls(**out)

    def with_limit(self, limit: int | None) -> Filters:
        """The same filters with another row limit."""
        return replace(self, limit=limit)

    @property
    def empty(self) -> bool:
        """True when no filter narrows the selection beyond the defaults (asserted, no background)."""
        return self.selects_all_defaults

    @property
    def selects_all_defaults(self) -> bool:
        default = Filters()
        return all(getattr(self, f.name) == getattr(default, f.name) for f in fields(self) if f.name != "limit")

    @property
    def is_unrestricted(self) -> bool:
        """True when nothing at all is filtered (every modality, background included, no other filter)."""
        return self.modality == () and self.include_background and replace(
            self, modality=Filters.modality, include_background=False).selects_all_defaults

    def to_dict(self) -> dict[str, Any]:
        """The filter values as plain JSON-ready data."""
        return {f.name: (list(map(list, v)) if f.name == "dyad" else list(v) if isinstance(v, tuple) else v)
                for f in fields(self) for v in [getattr(self, f.name)]}


def _nonempty(value: Any, name: str) -> str:
    text = str(value).strip()
    if not text:
        raise InputError(f"{name}: empty value; give a value or leave the filter out")
    return text


def _codes(value: Any, name: str, upper: bool = True) -> tuple[str, ...]:
    if value is None or value == ():
        return ()
    items = [value] if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        parts = [p.strip() for p in str(item).split(",")]
        if not any(parts):
            raise InputError(f"{name}: empty value; give a value or leave the filter out")
        for part in parts:
            if part:
                out.append(part.upper() if upper else part)
    return tuple(dict.fromkeys(out))


def _dyads(value: Any) -> tuple[tuple[str, str], ...]:
    """'A,B', ('A', 'B'), or a list of those."""
    if value is None or value == ():
        return ()
    items = [value] if isinstance(value, str) else list(value)
    if len(items) == 2 and all(isinstance(x, str) and "," not in x for x in items):
        items = [tuple(items)]
    out: list[tuple[str, str]] = []
    for item in items:
        parts = [p.strip() for p in (item.split(",") if isinstance(item, str) else list(item))]
        if len(parts) != 2 or not all(parts):
            raise InputError(f"dyad {item!r}: expected two actors A,B such as USA,SYR")
        out.append((parts[0], parts[1]))
    return tuple(dict.fromkeys(out))


def _iso(value: Any, flag: str) -> str | None:
    if value is None:
        return None
    text = value.isoformat() if isinstance(value, date) else _nonempty(value, flag)
    if re.fullmatch(r"\d{4}", text):
        text += "-01-01" if flag == "since" else "-12-31"
    elif re.fullmatch(r"\d{4}-\d{2}", text):
        year, month = map(int, text.split("-"))
        if not 1 <= month <= 12:
            raise InputError(f"{flag} {value!r}: not a date; use YYYY-MM-DD, YYYY-MM or YYYY")
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
    try:
        lat, lon, km = (float(x) for x in near)
    except (TypeError, ValueError) as exc:
        raise InputError(f"near {near!r}: expected (lat, lon, km)") from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and km > 0):
        raise InputError(f"near {lat},{lon},{km}: latitude must be in [-90, 90], longitude in [-180, 180], km > 0")
    return lat, lon, km


def _actor_matches(values: tuple[str, ...], roles: tuple[str, ...]) -> Any:
    from sqlalchemy import and_, exists, func, or_

    from .store import schema

    ev, act = schema.events, schema.actors
    wanted = [a.upper() for a in values]
    lowered = [a.lower() for a in values]
    match = or_(
        func.upper(act.c.country).in_(wanted),
        func.upper(act.c.patron).in_(wanted),
        func.lower(act.c.name).in_(lowered),
        func.lower(act.c.text).in_(lowered),
    )
    return exists().where(and_(act.c.event_pk == ev.c.id, act.c.role.in_(roles), match))


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def where_clauses(filters: Filters) -> list[Any]:
    """SQLAlchemy conditions on ``events`` joined with ``articles`` for the filters (``near`` is a bounding box)."""
    from sqlalchemy import and_, exists, func, or_

    from .store import schema

    ev, art, act, loc, sen = schema.events, schema.articles, schema.actors, schema.locations, schema.sentences
    conds: list[Any] = [art.c.superseded_by.is_(None)]
    if filters.event_type:
        conds.append(func.upper(ev.c.event_type).in_(filters.event_type))
    if filters.actor:
        conds.append(_actor_matches(filters.actor, ("source", "target")))
    if filters.source:
        conds.append(_actor_matches(filters.source, ("source",)))
    if filters.target:
        conds.append(_actor_matches(filters.target, ("target",)))
    if filters.dyad:
        conds.append(or_(*(
            or_(and_(_actor_matches((a,), ("source",)), _actor_matches((b,), ("target",))),
                and_(_actor_matches((b,), ("source",)), _actor_matches((a,), ("target",))))
            for a, b in filters.dyad
        )))  # fmt: skip
    if filters.sector:
        conds.append(exists().where(and_(act.c.event_pk == ev.c.id, act.c.role.in_(("source", "target")),
                                         func.upper(act.c.sector).in_(filters.sector))))
    if filters.country:
        conds.append(
            or_(
                ev.c.country.in_(filters.country),
                exists().where(and_(loc.c.event_pk == ev.c.id, loc.c.country.in_(filters.country))),
            )
        )
    if filters.modality:
        conds.append(func.coalesce(ev.c.modality, "asserted").in_(filters.modality))
    if not filters.include_background:
        conds.append(or_(ev.c.background.is_(None), ev.c.background.is_(False)))
    if filters.min_confidence is not None:
        conds.append(func.coalesce(ev.c.confidence, 1.0) >= filters.min_confidence)
    if filters.outlet:
        wanted = [o.lower() for o in filters.outlet]
        conds.append(or_(func.lower(art.c.outlet).in_(wanted), func.lower(art.c.host).in_(wanted)))
    if filters.rule:
        exact = [r for r in filters.rule if not r.endswith("*")]
        prefixes = [r[:-1] for r in filters.rule if r.endswith("*")]
        conds.append(or_(ev.c.rule.in_(exact), *(ev.c.rule.like(_like_escape(p) + "%", escape="\\") for p in prefixes)))
    if filters.text:
        pattern = "%" + _like_escape(filters.text.lower()) + "%"
        conds.append(exists().where(and_(sen.c.article_pk == ev.c.article_pk, sen.c.idx == ev.c.sentence_index,
                                         func.lower(sen.c.text).like(pattern, escape="\\"))))
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


def _columns() -> list[Any]:
    from .store import schema

    ev, art = schema.events, schema.articles
    return [
        ev.c.id, ev.c.article_pk, ev.c.position, ev.c.story_id, art.c.article_id, art.c.published, art.c.outlet,
        art.c.url, ev.c.event_type, ev.c.mode, ev.c.cameo, ev.c.quad_class, ev.c.goldstein,
        ev.c.date_value.label("date"), ev.c.date_precision, ev.c.date_start, ev.c.date_end,
        ev.c.source_countries.label("source"), ev.c.target_countries.label("target"), ev.c.country, ev.c.lat,
        ev.c.lon, ev.c.fatalities, ev.c.modality, ev.c.trigger_text.label("trigger"), ev.c.rule, ev.c.confidence,
        ev.c.background, ev.c.source_country, ev.c.target_country, ev.c.admin1, art.c.host,
        ev.c.acled_event_type,
    ]  # fmt: skip


def select_events(store: Store, filters: Filters, limit: int | None = None) -> tuple[list[Any], int]:
    """``(rows, total)``: the matching event rows (events joined with their article) in storage order,
    at most ``limit`` (default ``filters.limit``; None = all), and how many rows match in all.

    Each row has the attributes of ``EVENT_COLUMNS`` plus article_pk, position, date_start, date_end
    and acled_event_type.
    """
    from sqlalchemy import func, select

    from .store import schema

    ev, art = schema.events, schema.articles
    limit = filters.limit if limit is None else limit
    conds = where_clauses(filters)
    stmt = select(*_columns()).join(art, art.c.id == ev.c.article_pk).where(*conds).order_by(ev.c.id)
    with store.engine.connect() as conn:
        if filters.near:
            lat, lon, km = filters.near
            rows = [r for r in conn.execute(stmt) if haversine_km(lat, lon, r.lat, r.lon) <= km]
            total = len(rows)
            return (rows if limit is None else rows[:limit]), total
        if limit is None:
            rows = conn.execute(stmt).all()
            return rows, len(rows)
        total = int(conn.execute(
            select(func.count()).select_from(ev).join(art, art.c.id == ev.c.article_pk).where(*conds)).scalar_one())
        return conn.execute(stmt.limit(limit)).all(), total


def _store(db: str | Path | Store | None) -> Store:
    from .store import Store, open_store

    return db if isinstance(db, Store) else open_store(db, create=False)


def query(
    db: str | Path | Store | None = None,
    filters: Filters | None = None,
    *,
    stories: bool = False,
    **filter_values: Any,
) -> Any:
    """Events (or stories) matching the filters, as a pandas DataFrame; ``frame.attrs["total"]`` is the match count.

    filters: a Filters object, or give the filter values as keywords (``type="ASSAULT"``,
    ``source="TUR"``, ``dyad=("USA", "SYR")``, ``since="2024-03"``, ``limit=50``: see Filters).
    stories: one row per story (the stories the matching mentions belong to), largest first.
    """
    import pandas as pd

    from .store import Store

    if filters is None:
        filters = Filters.make(**filter_values)
    elif filter_values:
        raise InputError("give either a Filters object or filter keywords, not both")
    store = _store(db)
    try:
        if not stories:
            rows, total = select_events(store, filters)
            frame = pd.DataFrame([{c: getattr(r, c) for c in EVENT_COLUMNS} for r in rows], columns=EVENT_COLUMNS)
            if not frame.empty:
                frame["background"] = frame["background"].astype(bool)
                for col in ("story_id", "quad_class", "fatalities"):
                    frame[col] = frame[col].astype("Int64")
            frame.attrs["total"] = total
            return frame
        rows, _ = select_events(store, filters.with_limit(None))
        out = load_stories(store, {r.story_id for r in rows if r.story_id is not None})
        out.sort(key=lambda d: (-d["n_articles"], -d["n_mentions"], d["story_id"]))
        total = len(out)
        if filters.limit is not None:
            out = out[: filters.limit]
        frame = pd.DataFrame(out, columns=STORY_COLUMNS)
        if not frame.empty:
            frame["fatalities"] = frame["fatalities"].astype("Int64")
        frame.attrs["total"] = total
        return frame
    finally:
        if not isinstance(db, Store):
            store.close()


def load_stories(store: Store, ids: Any) -> list[dict[str, Any]]:
    """Story rows (STORY_COLUMNS) by id, in id order."""
    from sqlalchemy import select

    from .store import schema

    st = schema.stories
    wanted = sorted(set(ids))
    out: list[dict[str, Any]] = []
    with store.engine.connect() as conn:
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            for r in conn.execute(select(st).where(st.c.id.in_(chunk)).order_by(st.c.id)):
                d = dict(r._mapping)
                d["story_id"] = d.pop("id")
                d["background"] = bool(d.get("background"))
                out.append(d)
    return out


__all__ = ["query", "Filters", "select_events", "where_clauses", "load_stories", "parse_near", "EVENT_COLUMNS",
           "STORY_COLUMNS"]
