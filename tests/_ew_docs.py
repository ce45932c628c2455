"""Constructed coded documents shared by the store, query, export and stories tests."""

from __future__ import annotations

import hashlib
import os

import pytest

from eventwire.model import (
    Actor,
    ArticleMeta,
    Attribution,
    CodedArticle,
    DateValue,
    Event,
    Place,
    Quantity,
    SentenceSpan,
    TextSpan,
)

PLACES = {
    "aleppo": Place(text="Aleppo", name="Aleppo", country="SYR", admin1="Aleppo", lat=36.20, lon=37.16, geonameid=170063, feature="city"),
    "azaz": Place(text="Azaz", name="Azaz", country="SYR", admin1="Aleppo", lat=36.586, lon=37.046, geonameid=170017, feature="city"),
    "damascus": Place(text="Damascus", name="Damascus", country="SYR", admin1="Damascus", lat=33.51, lon=36.29, geonameid=170654, feature="city"),
    "syria": Place(text="Syria", name="Syria", country="SYR", feature="country", lat=35.0, lon=38.0),
    "baghdad": Place(text="Baghdad", name="Baghdad", country="IRQ", admin1="Baghdad", lat=33.34, lon=44.40, geonameid=98182, feature="city"),
}  # fmt: skip


def make_event(
    text: str,
    event_type: str = "ASSAULT",
    source: tuple[str, str | None] = ("Turkish forces", "TUR"),
    target: tuple[str, str | None] | None = ("Kurdish fighters", "SYR"),
    place: str | None = "aleppo",
    day: str | None = "2024-03-04",
    precision: str = "day",
    killed: int | None = None,
    acled: str | None = "Battles",
    index: int = 0,
) -> Event:
    """One event whose sentence is ``text`` (starting at offset 0)."""
    trig = text.split()[2] if len(text.split()) > 2 else text
    t0 = text.find(trig)
    quantities = [Quantity(value=killed, kind="killed", unit="people", text=f"{killed} people")] if killed else []
    return Event(
        event_id=hashlib.sha1(f"{text}{index}".encode()).hexdigest()[:12],
        event_type=event_type,
        cameo={"ASSAULT": "190", "PROTEST": "141", "CONSULT": "040", "ACCUSE": "112"}.get(event_type, "010"),
        quad_class=4 if event_type == "ASSAULT" else 1,
        goldstein=-10.0 if event_type == "ASSAULT" else 1.0,
        source=[Actor(text=source[0], name=source[0], country=source[1], sector="MIL")],
        target=[Actor(text=target[0], name=target[0], country=target[1], sector="REB")] if target else [],
        locations=[PLACES[place]] if place else [],
        date=DateValue(value=day, precision=precision, text=day) if day else None,  # type: ignore[arg-type]
        quantities=quantities,
        attribution=Attribution(text="officials said", name="officials", kind="official"),
        trigger=TextSpan(text=trig, start=t0, end=t0 + len(trig)),
        sentence=SentenceSpan(text=text, start=0, end=len(text), index=index),
        rule=f"test.{event_type.lower()}",
        acled_event_type=acled if event_type == "ASSAULT" else None,
        acled_sub_event_type="Armed clash" if acled and event_type == "ASSAULT" else None,
    )


def make_doc(art_id: str, events: list[Event], outlet: str = "Wire A", published: str = "2024-03-05", extra: str = "") -> CodedArticle:
    """An article holding the events' sentences (plus ``extra`` text to vary the hash)."""
    text = " ".join(e.sentence.text for e in events) or f"Nothing happened. {art_id}"
    text = text + (" " + extra if extra else "")
    return CodedArticle(
        article=ArticleMeta(id=art_id, title=f"Title {art_id}", published=published, outlet=outlet, url=f"https://example.org/{art_id}"),
        text=text,
        events=events,
        quantities=[q for e in events for q in e.quantities],
        locations=[p for e in events for p in e.locations],
        attributions=[e.attribution for e in events if e.attribution],
        actors=[a for e in events for a in e.source + e.target],
    )  # fmt: skip


def sample_docs() -> list[CodedArticle]:
    """Five articles: an Aleppo clash reported twice, a Damascus protest, an Iran accusation, an empty one."""
    e1 = make_event("Turkish forces shelled Kurdish fighters near Aleppo on Monday, killing 5 people.", killed=5)
    e2 = make_event("Turkish troops bombarded Kurdish positions outside Aleppo on Monday.")
    e3 = make_event("Protesters rallied in Damascus on Friday against rising prices.", "PROTEST",
                    source=("Protesters", "SYR"), target=None, place="damascus", day="2024-03-08")
    e4 = make_event("Iran accused Israel of striking its consulate in Damascus.", "ACCUSE",
                    source=("Iran", "IRN"), target=("Israel", "ISR"), place="damascus", day="2024-04-02", index=1)
    e5 = make_event("Iraqi police arrested suspects in Baghdad last week.", "COERCE", source=("Iraqi police", "IRQ"),
                    target=("suspects", None), place="baghdad", day="2024-02-26", precision="week")
    return [
        make_doc("a1", [e1]),
        make_doc("a2", [e2], outlet="Wire B", published="2024-03-04"),
        make_doc("a3", [e3, e4], outlet="Daily C", published="2024-04-03"),
        make_doc("a4", [e5], outlet="Wire A", published="2024-03-01"),
        make_doc("a5", []),
    ]  # fmt: skip


PG_URL = os.environ.get("EVENTWIRE_TEST_PG_URL")


def pg_reason() -> str | None:
    """Why PostgreSQL tests cannot run here (None when they can)."""
    if not PG_URL:
        return "EVENTWIRE_TEST_PG_URL is not set (CI sets it after .ci/postgres.sh starts a server)"
    try:
        import psycopg

        with psycopg.connect(PG_URL, connect_timeout=3):
            pass
    except Exception as exc:  # noqa: BLE001 - any failure means: skip with the reason
        return f"PostgreSQL at EVENTWIRE_TEST_PG_URL is unreachable ({type(exc).__name__}: {str(exc).strip()[:120]})"
    return None


def fresh_pg_url() -> str:
    """The test PostgreSQL URL with every eventwire table dropped (a fresh database)."""
    from sqlalchemy import create_engine, text

    from eventwire.store import normalise_url

    assert PG_URL
    engine = create_engine(normalise_url(PG_URL))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return PG_URL


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:  # noqa: ANN001
    """A fresh database URL: a SQLite file, and (marked postgres) the test PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "events.db")
    reason = pg_reason()
    if reason:
        pytest.skip(reason)
    return fresh_pg_url()


def variant(ev: Event, **changes: object) -> Event:
    """A copy of an event with some fields changed (modality, background, confidence ...)."""
    return ev.model_copy(update=changes)
