"""Store coded articles in SQLite (default, WAL mode) or PostgreSQL, one schema for both.

``open_store(db)`` opens (and migrates, with the Alembic migrations shipped in this package)
a database given as a file path, ``sqlite:///path`` or ``postgresql://user:pw@host/db``.
Writes are idempotent by the SHA-256 of the cleaned text: an article already stored is
never stored again. Each ``write_batch`` is one transaction, so a process killed in the
middle of a batch leaves either the whole batch or none of it; running the same command
again stores what is missing.
"""

from __future__ import annotations

import calendar
import contextlib
import hashlib
import json
import math
import os
import re
import signal
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError

from ..clean import content_hash
from ..errors import StoreError
from ..model import CodedArticle, Event
from . import schema
from .schema import metadata

DEFAULT_DB = "eventwire.db"
COUNTED_TABLES = ("articles", "events", "failures", "stories", "sentences", "actors", "locations")


def fatality_kinds() -> frozenset[str]:
    """Quantity kinds that count people killed (``data/ontology/analysis.yaml``)."""
    from ..resources import default_resources

    return default_resources().words("ontology/analysis.yaml", "fatality_kinds")


def fault_point() -> None:
    """Test hook for crash safety: SIGKILL this process, mid-transaction, after the Nth stored article.

    Active only when the environment variable EVENTWIRE_FAULT_KILL_AFTER=N is set.
    """
    value = os.environ.get("EVENTWIRE_FAULT_KILL_AFTER")
    if not value:
        return
    remaining = int(value) - 1
    os.environ["EVENTWIRE_FAULT_KILL_AFTER"] = str(remaining)
    if remaining <= 0:
        os.kill(os.getpid(), signal.SIGKILL)


def fault_article(articles: Sequence[Any]) -> None:
    """Test hook for isolation: make a coding worker crash, hang or grow when it is given an article
    whose text or title contains a marker.

    Active only when the environment variable EVENTWIRE_FAULT_ARTICLE=MARKER:MODE[,MARKER:MODE...] is
    set; MODE is segv (the process dies of SIGSEGV), hang (it sleeps for ever) or memory (it
    allocates until killed).
    """
    value = os.environ.get("EVENTWIRE_FAULT_ARTICLE")
    if not value:
        return
    modes = [pair.rsplit(":", 1) for pair in value.split(",") if ":" in pair]
    found = [mode for marker, mode in modes
             if any(marker in (getattr(a, "text", "") or "") or marker in (getattr(a, "title", "") or "") for a in articles)]
    if not found:
        return
    mode = found[0]
    if mode == "segv":
        os.kill(os.getpid(), signal.SIGSEGV)
    elif mode == "hang":
        import time

        while True:
            time.sleep(1)
    elif mode == "memory":
        import time

        hog = []
        for _ in range(50):  # up to 2.5 GB, 50 MB at a time, touched so that it is resident
            hog.append(bytearray(b"x" * 50_000_000))
            time.sleep(0.05)


def normalise_url(db: str | Path | None) -> str:
    """A SQLAlchemy URL from a path, ``sqlite:///...`` or ``postgresql://...`` (psycopg 3 driver)."""
    text = str(db or DEFAULT_DB)
    if text.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + text.split("://", 1)[1]
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser()}"


# SQLite reads the file through a shared memory map of up to this many bytes: a scan of the events
# table then costs no read() per page (the default page cache of 2 MB holds a small part of a corpus)
MMAP_BYTES = 256 * 1024 * 1024


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
    cur.close()


def migrate(conn: Connection) -> None:
    """Bring the schema to the newest Alembic revision (creates it in an empty database)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("eventwire.store") / "migrations"))
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


@dataclass
class WriteResult:
    """What one ``write_batch`` stored."""

    articles: int = 0
    duplicates: int = 0
    events: int = 0
    failures: int = 0
    superseded: int = 0  # stored articles replaced by a new version
    stored_hashes: list[str] = field(default_factory=list)
    article_pks: list[int] = field(default_factory=list)
    event_pks: list[int] = field(default_factory=list)
    retracted_events: list[int] = field(default_factory=list)  # events of superseded versions


def date_range(value: str | None, precision: str | None) -> tuple[str | None, str | None]:
    """First and last ISO day a date value with a precision covers."""
    if not value:
        return None, None
    try:
        start = date.fromisoformat(value[:10])
    except ValueError:
        return None, None
    if precision == "week":
        end = start + timedelta(days=6)
    elif precision == "month":
        end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
    elif precision == "year":
        end = start.replace(month=12, day=31)
    elif precision == "decade":
        end = date(min(start.year + 9, 9999), 12, 31)
    else:
        end = start
    return start.isoformat(), end.isoformat()


def event_fatalities(ev: Event) -> int | None:
    """The event's own count of people killed: the largest fatality count attached to the event that
    was stated in the event's own sentence (a toll quoted elsewhere in the article is not its count).
    A background event has none: its count is a cumulative total or history ("more than 500,000 have
    been killed in the war"), not deaths of this event; it stays in the event's quantities."""
    if ev.background:
        return None
    kinds = fatality_kinds()
    values = [q.value for q in ev.quantities if (q.kind or "").lower() in kinds
              and (q.sentence_index is None or q.sentence_index == ev.sentence.index)]
    return int(max(values)) if values else None


def url_host(url: str | None) -> str | None:
    """The host of a URL without ``www.`` (``theguardian.com``), or None."""
    if not url:
        return None
    from urllib.parse import urlsplit

    try:
        host = urlsplit(url if "://" in url else "//" + url).hostname or ""
    except ValueError:
        return None
    return host.removeprefix("www.") or None


def _first_place(ev: Event) -> Any:
    return next((p for p in ev.locations if p.lat is not None and p.lon is not None), None) or (
        ev.locations[0] if ev.locations else None
    )


def _first_country(actors: Sequence[Any]) -> str | None:
    return next((a.country for a in actors if a.country), None)


def _event_row(pk: int, position: int, ev: Event) -> dict[str, Any]:
    s = ev.sentence
    d_start, d_end = date_range(ev.date.value if ev.date else None, ev.date.precision if ev.date else None)
    first_place = next((p for p in ev.locations if p.lat is not None and p.lon is not None), None)
    place = _first_place(ev)
    row = {
        "article_pk": pk, "position": position, "event_id": ev.event_id, "event_type": ev.event_type,
        "mode": ev.mode, "context": json.dumps(ev.context), "cameo": ev.cameo,
        "root_code": (ev.cameo or "")[:2] or None, "quad_class": ev.quad_class, "goldstein": ev.goldstein,
        "date_value": ev.date.value[:10] if ev.date else None, "date_precision": ev.date.precision if ev.date else None,
        "date_start": d_start, "date_end": d_end, "date_text": ev.date.text if ev.date else None,
        "modality": ev.modality, "rule": ev.rule, "trigger_text": ev.trigger.text,
        "trigger_start": ev.trigger.start, "trigger_end": ev.trigger.end, "sentence_index": s.index,
        "acled_event_type": ev.acled_event_type, "acled_sub_event_type": ev.acled_sub_event_type,
        "source_countries": _countries(ev.source), "target_countries": _countries(ev.target),
        "country": next((p.country for p in ev.locations if p.country), None),
        "lat": first_place.lat if first_place else None, "lon": first_place.lon if first_place else None,
        "fatalities": event_fatalities(ev),
        "document": json.dumps(ev.to_dict(), ensure_ascii=False, sort_keys=True),
        "confidence": ev.confidence, "background": bool(ev.background),
        "source_country": _first_country(ev.source), "target_country": _first_country(ev.target),
        "admin1": place.admin1 if place else None,
    }  # fmt: skip
    return row


def _countries(actors: Sequence[Any]) -> str:
    return ",".join(sorted({a.country for a in actors if a.country}))


def guard_values(doc: CodedArticle, settings: Any = None) -> list[str]:
    """Make a coded document safe to store, in place; one warning per value dropped.

    Dates (the publication date, event dates) outside ``settings.date_min`` .. ``date_max``
    (default 1800-01-01 .. 2100-12-31) or not ISO dates are dropped; counts that are not finite or
    exceed ``settings.max_count`` are dropped; coordinates outside the globe and non-finite scores
    become empty. A value that would make a database or a later story rebuild fail never reaches
    the store.
    """
    from ..settings import DEFAULT_SETTINGS

    settings = settings or DEFAULT_SETTINGS
    low, high, most = settings.date_min, settings.date_max, settings.max_count
    warnings: list[str] = []

    def day_ok(value: Any) -> bool:
        if not isinstance(value, str):
            return False
        try:
            iso = date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            return False
        return low <= iso <= high

    def count_ok(q: Any) -> bool:
        try:
            value = float(q.value)
        except (OverflowError, TypeError, ValueError):
            return False
        return math.isfinite(value) and abs(value) <= most

    def places(group: list[Any]) -> None:
        for p in group:
            if p.lat is not None and not (isinstance(p.lat, (int, float)) and math.isfinite(p.lat) and -90 <= p.lat <= 90):
                p.lat = p.lon = None
            if p.lon is not None and not (isinstance(p.lon, (int, float)) and math.isfinite(p.lon) and -180 <= p.lon <= 180):
                p.lat = p.lon = None

    def quantities(group: list[Any], where: str) -> list[Any]:
        kept = [q for q in group if count_ok(q)]
        if len(kept) < len(group):
            warnings.append(f"dropped {len(group) - len(kept)} count(s) above {most:g} or not finite {where} "
                            "(Settings.max_count)")
        return kept

    if doc.article.published is not None and not day_ok(doc.article.published):
        warnings.append(f"dropped the publication date {str(doc.article.published)[:20]!r}: outside {low} .. {high} "
                        "(Settings.date_min/date_max)")
        doc.article.published = None
    doc.quantities = quantities(doc.quantities, "in the article")
    places(doc.locations)
    for ev in doc.events:
        if ev.date is not None and not day_ok(ev.date.value):
            warnings.append(f"dropped the date {str(ev.date.value)[:20]!r} of event {ev.event_id}: outside {low} .. "
                            f"{high} (Settings.date_min/date_max)")
            ev.date = None
        ev.quantities = quantities(ev.quantities, f"of event {ev.event_id}")
        places(ev.locations)
        if ev.goldstein is not None and not math.isfinite(ev.goldstein):
            ev.goldstein = None
    return warnings


class Store:
    """A connection to an eventwire database; use ``open_store``. ``read_only``: opened only to read."""

    def __init__(self, engine: Engine, read_only: bool = False) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self.read_only = read_only

    # -- writing -----------------------------------------------------------------
    def _insert(self, table: Any) -> Any:
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert(table)

    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        """The subset of content hashes already stored."""
        wanted = list(dict.fromkeys(hashes))
        found: set[str] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                rows = conn.execute(select(schema.articles.c.content_hash).where(schema.articles.c.content_hash.in_(chunk)))
                found.update(r[0] for r in rows)
        return found

    def write_batch(
        self,
        documents: Sequence[tuple[CodedArticle, dict[str, Any]]] = (),
        failures: Sequence[tuple[str, str | None, str]] = (),
    ) -> WriteResult:
        """Store coded documents (with ``{"source": .., "kind": ..}`` extras) and failures in one transaction.

        failures: (source, article_id, reason) triples. Already stored texts are skipped (duplicates).
        An article with the URL or id of a stored one but another text is stored as its new version:
        the earlier row is kept, marked ``superseded_by`` the new one, and its events leave queries,
        exports and stories (their ids are in ``WriteResult.retracted_events``). Every table is
        written with one multi-row statement per batch; the content hash is computed once per text.
        """
        result = WriteResult()
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        try:
            with self.engine.begin() as conn:
                if documents:
                    self._write_documents(conn, documents, now, result)
                if failures:
                    rows = []
                    for source, art_id, reason in failures:
                        key = hashlib.sha256(f"{source}\x00{art_id}\x00{reason}".encode()).hexdigest()
                        row = {"key": key, "source": source, "article_id": art_id, "reason": reason, "failed_at": now}
                        rows.append(row)
                    known = {r[0] for r in conn.execute(
                        select(schema.failures.c.key).where(schema.failures.c.key.in_([r["key"] for r in rows])))}
                    fresh = list({r["key"]: r for r in rows if r["key"] not in known}.values())
                    if fresh:
                        conn.execute(schema.failures.insert(), fresh)
                    result.failures += len(fresh)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write to the database ({type(exc).__name__}: {str(exc).splitlines()[0]})") from exc
        return result

    def _write_documents(self, conn: Connection, documents: Sequence[tuple[CodedArticle, dict[str, Any]]],
                         now: str, result: WriteResult) -> None:
        from .. import __version__

        art = schema.articles
        hashed = [(doc, extra, extra.get("content_hash") or content_hash(doc.text)) for doc, extra in documents]
        known: set[str] = set()
        all_hashes = list({h for _, _, h in hashed})
        for i in range(0, len(all_hashes), 500):
            chunk = all_hashes[i : i + 500]
            known.update(r[0] for r in conn.execute(select(art.c.content_hash).where(art.c.content_hash.in_(chunk))))
        fresh: list[tuple[CodedArticle, dict[str, Any], str]] = []
        for doc, extra, h in hashed:
            if h in known:
                result.duplicates += 1
                continue
            known.add(h)
            fresh.append((doc, extra, h))
        if not fresh:
            return
        # versions: the current stored article with the same URL or id, or an earlier one of this batch
        urls = sorted({d.article.url for d, _, _ in fresh if d.article.url})
        ids = sorted({d.article.id for d, _, _ in fresh})
        current: dict[tuple[str, str], tuple[int, int]] = {}  # ("url"|"id", value) -> (pk, version)
        for column, values in (("url", urls), ("id", ids)):
            col = art.c.url if column == "url" else art.c.article_id
            for i in range(0, len(values), 500):
                chunk = values[i : i + 500]
                for r in conn.execute(select(art.c.id, col, art.c.version)
                                      .where(col.in_(chunk), art.c.superseded_by.is_(None))):
                    current[(column, r[1])] = (int(r[0]), int(r[2] or 1))
        rows, previous = [], []
        for doc, extra, h in fresh:
            a = doc.article
            keys = [("id", a.id)] + ([("url", a.url)] if a.url else [])
            prev = next((current[k] for k in keys if k in current), None)
            previous.append(prev)
            row = {
                "content_hash": h, "article_id": a.id, "title": a.title,
                "published": (a.published or None) and a.published[:10], "outlet": a.outlet, "url": a.url,
                "host": url_host(a.url), "source": extra.get("source"), "kind": extra.get("kind"), "text": doc.text,
                "document": json.dumps(doc.to_dict(), ensure_ascii=False, sort_keys=True),
                "n_events": len(doc.events), "coder_version": extra.get("coder_version") or __version__,
                "ingested_at": now, "version": prev[1] + 1 if prev else 1,
            }  # fmt: skip
            rows.append(row)
            for k in keys:  # a later text of this batch with the same key supersedes this one: -(position + 1)
                current[k] = (-len(rows), rows[-1]["version"])
        pks = [int(r[0]) for r in conn.execute(art.insert().returning(art.c.id, sort_by_parameter_order=True), rows)]
        for _ in pks:
            fault_point()
        supersede: dict[int, int] = {}
        for pk, prev in zip(pks, previous, strict=True):
            if prev is None:
                continue
            old = prev[0] if prev[0] > 0 else pks[-prev[0] - 1]
            if old != pk:
                supersede[old] = pk
        if supersede:
            from sqlalchemy import bindparam, update

            conn.execute(update(art).where(art.c.id == bindparam("old")).values(superseded_by=bindparam("new")),
                         [{"old": o, "new": n} for o, n in supersede.items()])
            ev = schema.events
            old_pks = sorted(supersede)
            for i in range(0, len(old_pks), 500):
                chunk = old_pks[i : i + 500]
                result.retracted_events.extend(int(r[0]) for r in conn.execute(
                    select(ev.c.id).where(ev.c.article_pk.in_(chunk))))
            result.superseded += len(supersede)
        event_rows: list[dict[str, Any]] = []
        owners: list[tuple[int, Event]] = []
        seen_sentences: dict[tuple[int, int], dict[str, Any]] = {}
        rule_counts: dict[str, int] = {}
        for pk, (doc, _extra, h) in zip(pks, fresh, strict=True):
            result.articles += 1
            result.events += len(doc.events)
            result.stored_hashes.append(h)
            result.article_pks.append(pk)
            for position, ev in enumerate(doc.events):
                s = ev.sentence
                row = {"article_pk": pk, "idx": s.index, "start": s.start, "end": s.end, "text": s.text}
                seen_sentences.setdefault((pk, s.index), row)
                event_rows.append(_event_row(pk, position, ev))
                owners.append((pk, ev))
                rule_counts[ev.rule] = rule_counts.get(ev.rule, 0) + 1
        ev_pks: list[int] = []
        if event_rows:
            ev_pks = [int(r[0]) for r in conn.execute(
                schema.events.insert().returning(schema.events.c.id, sort_by_parameter_order=True), event_rows)]
        result.event_pks.extend(ev_pks)
        actor_rows: list[dict[str, Any]] = []
        place_rows: list[dict[str, Any]] = []
        qty_rows: list[dict[str, Any]] = []
        attr_rows: list[dict[str, Any]] = []
        for ev_pk, (pk, ev) in zip(ev_pks, owners, strict=True):
            for role, group in (("source", ev.source), ("target", ev.target)):
                actor_rows.extend(_actor_row(pk, ev_pk, role, i, act) for i, act in enumerate(group))
            place_rows.extend(_place_row(pk, ev_pk, i, p) for i, p in enumerate(ev.locations))
            qty_rows.extend(_qty_row(pk, ev_pk, i, q) for i, q in enumerate(ev.quantities))
            if ev.attribution is not None:
                attr_rows.append(_attr_row(pk, ev_pk, 0, ev.attribution))
        for pk, (doc, _extra, _h) in zip(pks, fresh, strict=True):
            actor_rows.extend(_actor_row(pk, None, "article", i, act) for i, act in enumerate(doc.actors))
            place_rows.extend(_place_row(pk, None, i, p) for i, p in enumerate(doc.locations))
            qty_rows.extend(_qty_row(pk, None, i, q) for i, q in enumerate(doc.quantities))
            attr_rows.extend(_attr_row(pk, None, i, at) for i, at in enumerate(doc.attributions))
        for table, trows in (
            (schema.sentences, list(seen_sentences.values())),
            (schema.actors, actor_rows),
            (schema.locations, place_rows),
            (schema.quantities, qty_rows),
            (schema.attributions, attr_rows),
        ):
            if trows:
                conn.execute(table.insert(), trows)
        if rule_counts:
            stmt = self._insert(schema.rules)
            stmt = stmt.on_conflict_do_update(
                index_elements=["rule"], set_={"n_events": schema.rules.c.n_events + stmt.excluded.n_events}
            )
            conn.execute(stmt, [{"rule": r, "n_events": n} for r, n in sorted(rule_counts.items())])

    # -- reading -----------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Row counts of the main tables."""
        out: dict[str, int] = {}
        with self.engine.connect() as conn:
            for name in COUNTED_TABLES:
                table = metadata.tables[name]
                out[name] = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            art = schema.articles
            out["superseded"] = int(conn.execute(
                select(func.count()).select_from(art).where(art.c.superseded_by.is_not(None))).scalar_one())
        return out

    def iter_documents(self, article_pks: Iterable[int] | None = None) -> Iterator[CodedArticle]:
        """Stored coded-article documents in storage order (every current version, or the given primary keys)."""
        art = schema.articles
        with self.engine.connect() as conn:
            if article_pks is None:
                rows = conn.execute(select(art.c.document).where(art.c.superseded_by.is_(None)).order_by(art.c.id))
                for (document,) in rows:
                    yield CodedArticle.from_dict(json.loads(document))
                return
            wanted = sorted(set(article_pks))
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                for (document,) in conn.execute(select(art.c.document).where(art.c.id.in_(chunk)).order_by(art.c.id)):
                    yield CodedArticle.from_dict(json.loads(document))

    def versions(self, key: str) -> list[dict[str, Any]]:
        """Every stored version of an article, by URL or article id, oldest first.

        Each: id (row), article_id, url, version, superseded_by (None for the current one), n_events, ingested_at.
        """
        art = schema.articles
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(art.c.id, art.c.article_id, art.c.url, art.c.version, art.c.superseded_by, art.c.n_events,
                       art.c.ingested_at)
                .where((art.c.url == key) | (art.c.article_id == key))
                .order_by(art.c.version, art.c.id)
            )
            return [dict(r._mapping) for r in rows]

    def failures(self) -> list[dict[str, Any]]:
        """Every recorded failure: source, article_id, reason."""
        f = schema.failures
        with self.engine.connect() as conn:
            rows = conn.execute(select(f.c.source, f.c.article_id, f.c.reason).order_by(f.c.id))
            return [dict(r._mapping) for r in rows]

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _actor_row(pk: int, ev_pk: int | None, role: str, i: int, a: Any) -> dict[str, Any]:
    row = {
        "article_pk": pk, "event_pk": ev_pk, "role": role, "position": i, "text": a.text, "name": a.name,
        "country": a.country, "sector": a.sector, "kind": a.kind, "patron": a.patron, "entry": a.entry,
        "start": a.start, "end": a.end,
    }  # fmt: skip
    return row


def _place_row(pk: int, ev_pk: int | None, i: int, p: Any) -> dict[str, Any]:
    row = {
        "article_pk": pk, "event_pk": ev_pk, "position": i, "text": p.text, "name": p.name, "country": p.country,
        "admin1": p.admin1, "lat": p.lat, "lon": p.lon, "geonameid": p.geonameid, "feature": p.feature,
        "start": p.start, "end": p.end,
    }  # fmt: skip
    return row


def _qty_row(pk: int, ev_pk: int | None, i: int, q: Any) -> dict[str, Any]:
    row = {
        "article_pk": pk, "event_pk": ev_pk, "position": i, "value": float(q.value), "qualifier": q.qualifier,
        "unit": q.unit, "kind": q.kind, "text": q.text, "sentence_index": q.sentence_index,
        "start": q.start, "end": q.end,
    }  # fmt: skip
    return row


def _attr_row(pk: int, ev_pk: int | None, i: int, a: Any) -> dict[str, Any]:
    row = {
        "article_pk": pk, "event_pk": ev_pk, "position": i, "text": a.text, "name": a.name, "kind": a.kind,
        "country": a.country, "sentence_index": a.sentence_index,
    }  # fmt: skip
    return row


def masked(db: str | Path | None) -> str:
    """A database path or URL fit to print: the password of a URL replaced by ***."""
    text = str(db if db is not None else DEFAULT_DB)
    return re.sub(r"^([a-z][a-z0-9+.-]*://[^:/@]*):[^@/]*@", r"\1:***@", text, flags=re.I)


def open_store(db: str | Path | None = None, *, create: bool = True) -> Store:
    """Open the database at a path or URL, migrating it to the newest schema when it is writable.

    create: a missing SQLite file is created (for ingest); with ``create=False`` (queries, exports)
        a missing file is an error, and a read-only file (or one in a read-only folder) is opened
        read-only, without migrating or switching to WAL, so it can still be queried.
    A new SQLite file is built under a temporary name and linked into place in one step, so a kill
    or a full disk never leaves a half-created database, and two processes creating the same
    database at once both succeed. On PostgreSQL migrations run under an advisory lock.
    Raises StoreError with the reason when it cannot be opened.
    """
    url = normalise_url(db)
    try:
        if url.startswith("sqlite"):
            path = url.split(":///", 1)[1] if ":///" in url else ""
            if path and path != ":memory:" and "?" not in path and not path.startswith("file:"):
                return _open_sqlite_file(Path(path), create)
            engine = create_engine(url)
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True)
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            migrate(conn)
    except StoreError:
        raise
    except (NoSuchModuleError, ArgumentError) as exc:
        raise StoreError(f"{masked(db)}: not a database URL or path this version can open "
                         f"({masked(str(exc).splitlines()[0])})") from exc
    except OperationalError as exc:
        first = str(exc.orig or exc).strip().splitlines()[0]
        raise StoreError(f"{masked(db)}: cannot open the database ({masked(first)}); check the path or server URL") from exc
    except SQLAlchemyError as exc:
        raise StoreError(f"{masked(db)}: cannot open the database ({type(exc).__name__}: "
                         f"{masked(str(exc).splitlines()[0])})") from exc
    return Store(engine)


_MIGRATION_LOCK = 0x657677  # any constant shared by every eventwire process


def _open_sqlite_file(path: Path, create: bool) -> Store:
    path = path.expanduser()
    parent = path.parent
    if not parent.exists():
        raise StoreError(f"{path}: the folder {parent} does not exist; create it or give another database path")
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not create:
        raise StoreError(f"{path}: no such database; ingest something first or check the database path")
    try:
        if not exists:
            _create_sqlite(path)
        writable = os.access(path, os.W_OK) and os.access(parent, os.W_OK)
        if not writable:
            if create:
                raise StoreError(f"{path}: the database (or its folder) is read-only; it can be queried and exported "
                                 "but not ingested into")
            return Store(_readonly_engine(path), read_only=True)
        engine = create_engine(f"sqlite:///{path}")
        event.listen(engine, "connect", _sqlite_pragmas)
        with engine.begin() as conn:
            migrate(conn)
        return Store(engine)
    except StoreError:
        raise
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the database ({exc.strerror or exc})") from exc
    except SQLAlchemyError as exc:
        first = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StoreError(f"{path}: cannot open the database ({first}); check the path") from exc


def _create_sqlite(path: Path) -> None:
    """Build the schema in a temporary file beside ``path`` and link it into place atomically."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.new")
    try:
        engine = create_engine(f"sqlite:///{tmp}")
        event.listen(engine, "connect", _sqlite_build_pragmas)
        with engine.begin() as conn:
            migrate(conn)
        engine.dispose()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)  # fails if another process created it first: theirs is kept
        except FileExistsError:
            if path.stat().st_size == 0:  # an empty file left by an older version or a kill: replace it
                os.replace(tmp, path)
    finally:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _sqlite_build_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=DELETE")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _readonly_engine(path: Path) -> Engine:
    """An engine that only reads: no migration, no WAL switch (``immutable`` when even the folder is
    read-only, so SQLite needs no -shm file); StoreError when the schema is not the newest."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    def listener(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA query_only=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        cur.close()

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("eventwire.store") / "migrations"))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    last: Exception | None = None
    for flags in ("mode=ro", "mode=ro&immutable=1"):
        engine = create_engine(f"sqlite:///file:{path}?{flags}&uri=true")
        event.listen(engine, "connect", listener)
        try:
            with engine.connect() as conn:
                version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except SQLAlchemyError as exc:
            engine.dispose()
            last = exc
            continue
        if version != head:
            engine.dispose()
            raise StoreError(f"{path}: a read-only database of schema {version or 'none'} (this version needs "
                             f"{head}); open it once where it is writable to migrate it")
        return engine
    first = str(getattr(last, "orig", None) or last).strip().splitlines()[0]
    raise StoreError(f"{path}: cannot open the read-only database ({first})")


__all__ = ["guard_values", "Store", "WriteResult", "open_store", "masked", "normalise_url", "migrate", "date_range", "DEFAULT_DB",
           "event_fatalities", "url_host", "fatality_kinds"]
