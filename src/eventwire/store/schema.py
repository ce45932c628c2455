"""The one database schema (SQLAlchemy Core) for SQLite and PostgreSQL.

articles     one row per stored article: metadata, cleaned text, content hash (unique),
             and the full coded-article document (JSON) so exports round-trip unchanged
sentences    the sentences events were coded from (article, index, span, text)
events       one row per event mention, with the fields queries filter on
actors       source/target actors of events (role, position) and article-level actors
locations    places of events and article-level places
quantities   numbers of events and article-level numbers
attributions who says so, per event and article-level
rules        rule provenance: every rule id that coded an event, with its count
failures     inputs that could not be read or coded, with the reason
stories      clusters of event mentions reporting the same real-world event
story_mentions  which event belongs to which story
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("article_id", String(200), nullable=False, index=True),
    Column("title", Text),
    Column("published", String(10), index=True),
    Column("outlet", String(300)),
    Column("url", Text),
    Column("source", Text),
    Column("kind", String(20)),
    Column("text", Text, nullable=False),
    Column("document", Text, nullable=False),
    Column("n_events", Integer, nullable=False, default=0),
    Column("coder_version", String(40)),
    Column("ingested_at", String(32)),
    Column("host", String(300)),  # the URL's host without www. (outlet fallback)
    Column("version", Integer, nullable=False, default=1, server_default="1"),
    # the newer version's id; NULL for the current version. Not indexed on purpose: nearly every row is
    # NULL, and SQLite would otherwise read whole tables through this index for "superseded_by IS NULL".
    Column("superseded_by", Integer),
)

sentences = Table(
    "sentences",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_pk", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("start", Integer),
    Column("end", Integer),
    Column("text", Text),
    UniqueConstraint("article_pk", "idx", name="uq_sentences_article_idx"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_pk", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("event_id", String(200), nullable=False, index=True),
    Column("event_type", String(20), nullable=False, index=True),
    Column("mode", String(40)),
    Column("context", Text),
    Column("cameo", String(10)),
    Column("root_code", String(4)),
    Column("quad_class", Integer),
    Column("goldstein", Float),
    Column("date_value", String(10), index=True),
    Column("date_precision", String(10)),
    Column("date_start", String(10)),
    Column("date_end", String(10)),
    Column("date_text", Text),
    Column("modality", String(20)),
    Column("rule", String(200)),
    Column("trigger_text", Text),
    Column("trigger_start", Integer),
    Column("trigger_end", Integer),
    Column("sentence_index", Integer),
    Column("acled_event_type", String(80)),
    Column("acled_sub_event_type", String(120)),
    Column("source_countries", Text),
    Column("target_countries", Text),
    Column("country", String(3), index=True),
    Column("lat", Float),
    Column("lon", Float),
    Column("fatalities", Integer),
    Column("story_id", Integer, index=True),
    Column("document", Text, nullable=False),
    Column("confidence", Float),
    Column("background", Boolean, nullable=False, default=False, server_default=false()),
    Column("source_country", String(8)),  # first source actor's code
    Column("target_country", String(8)),  # first target actor's code
    Column("admin1", Text),  # first place's admin1 code
)

actors = Table(
    "actors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_pk", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("event_pk", Integer, ForeignKey("events.id", ondelete="CASCADE"), index=True),
    Column("role", String(10), nullable=False),  # source, target, article
    Column("position", Integer, nullable=False),
    Column("text", Text),
    Column("name", Text),
    Column("country", String(8), index=True),
    Column("sector", String(20)),
    Column("kind", String(20)),
    Column("patron", String(8)),
    Column("entry", String(200)),
    Column("start", Integer),
    Column("end", Integer),
)

locations = Table(
    "locations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_pk", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("event_pk", Integer, ForeignKey("events.id", ondelete="CASCADE"), index=True),
    Column("position", Integer, nullable=False),
    Column("text", Text),
    Column("name", Text),
    Column("country", String(3), index=True),
    Column("admin1", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("geonameid", Integer),
    Column("feature", String(40)),
    Column("start", Integer),
    Column("end", Integer),
)

quantities = Table(
    "quantities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_pk", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("event_pk", Integer, ForeignKey("events.id", ondelete="CASCADE"), index=True),
    Column("position", Integer, nullable=False),
    Column("value", Float),
    Column("qualifier", String(20)),
    Column("unit", Text),
    Column("kind", String(40)),
    Column("text", Text),
    Column("sentence_index", Integer),
    Column("start", Integer),
    Column("end", Integer),
)

attributions = Table(
    "attributions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_pk", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("event_pk", Integer, ForeignKey("events.id", ondelete="CASCADE"), index=True),
    Column("position", Integer, nullable=False),
    Column("text", Text),
    Column("name", Text),
    Column("kind", String(40)),
    Column("country", String(8)),
    Column("sentence_index", Integer),
)

rules = Table(
    "rules",
    metadata,
    Column("rule", String(200), primary_key=True),
    Column("n_events", Integer, nullable=False, default=0),
)

failures = Table(
    "failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(64), nullable=False, unique=True),
    Column("source", Text, nullable=False),
    Column("article_id", String(200)),
    Column("reason", Text, nullable=False),
    Column("failed_at", String(32)),
)

stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_type", String(20), nullable=False, index=True),
    Column("date_start", String(10)),
    Column("date_end", String(10)),
    Column("countries", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("location", Text),
    Column("n_mentions", Integer, nullable=False),
    Column("n_articles", Integer, nullable=False),
    Column("n_outlets", Integer, nullable=False),
    Column("fatalities", Integer),
    Column("summary", Text),
    Column("modality", String(20)),
    Column("confidence", Float),
    Column("background", Boolean, nullable=False, default=False, server_default=false()),
)

story_mentions = Table(
    "story_mentions",
    metadata,
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("event_pk", Integer, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
)

Index("ix_events_type_date", events.c.event_type, events.c.date_value)
Index("ix_articles_url_current", articles.c.url)
Index("ix_stories_type_dates", stories.c.event_type, stories.c.date_start, stories.c.date_end)
Index("ix_story_mentions_event_pk", story_mentions.c.event_pk)
