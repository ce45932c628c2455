"""Analyst data: event confidence and background, article versions and hosts, story modality and confidence.

events.confidence / events.background   from the coder (None = not scored, treated as 1.0)
events.source_country / target_country  the first source / target actor's code (dyads, aggregates)
events.admin1                           the first place's admin1 code
articles.host                           the URL's host (outlet fallback)
articles.version / superseded_by        article versions: a changed re-publication supersedes the earlier row
stories.modality / confidence / background / n_outlets fallback

Revision ID: 0002_analyst
Revises: 0001
Create Date: 2024-06-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_analyst"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ALTER TABLE ADD COLUMN: a batch (copy-and-rename) migration of events would cascade-delete
    # the actors, places and numbers that reference it on SQLite
    op.add_column("events", sa.Column("confidence", sa.Float(), nullable=True))
    op.add_column("events", sa.Column("background", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("events", sa.Column("source_country", sa.String(length=8), nullable=True))
    op.add_column("events", sa.Column("target_country", sa.String(length=8), nullable=True))
    op.add_column("events", sa.Column("admin1", sa.Text(), nullable=True))
    op.add_column("articles", sa.Column("host", sa.String(length=300), nullable=True))
    op.add_column("articles", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.add_column("articles", sa.Column("superseded_by", sa.Integer(), nullable=True))
    op.add_column("stories", sa.Column("modality", sa.String(length=20), nullable=True))
    op.add_column("stories", sa.Column("confidence", sa.Float(), nullable=True))
    op.add_column("stories", sa.Column("background", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index("ix_articles_url_current", "articles", ["url"], unique=False)
    op.create_index("ix_stories_type_dates", "stories", ["event_type", "date_start", "date_end"], unique=False)
    op.create_index("ix_story_mentions_event_pk", "story_mentions", ["event_pk"], unique=False)
    # rows stored before this revision: fill the dyad columns from the actor rows, hosts from URLs
    conn = op.get_bind()
    art = sa.table("articles", sa.column("id"), sa.column("url"), sa.column("host"))
    from urllib.parse import urlsplit

    for row in conn.execute(sa.select(art.c.id, art.c.url).where(art.c.url.is_not(None))).all():
        host = (urlsplit(row.url).hostname or "").removeprefix("www.") or None
        conn.execute(sa.update(art).where(art.c.id == row.id).values(host=host))
    for role in ("source", "target"):
        conn.execute(sa.text(
            f"UPDATE events SET {role}_country = (SELECT a.country FROM actors a WHERE a.event_pk = events.id "
            f"AND a.role = '{role}' AND a.country IS NOT NULL ORDER BY a.position LIMIT 1)"))
    conn.execute(sa.text(
        "UPDATE events SET admin1 = (SELECT l.admin1 FROM locations l WHERE l.event_pk = events.id "
        "ORDER BY (l.lat IS NULL), l.position LIMIT 1)"))


def downgrade() -> None:
    # SQLite cannot drop these columns without copying the tables, and copying events would cascade-delete
    # the rows that reference it: refuse there (keep a backup of the database file instead).
    if op.get_bind().dialect.name == "sqlite":
        raise NotImplementedError("0002_analyst cannot be downgraded on SQLite; restore a copy of the database")
    op.drop_index("ix_story_mentions_event_pk", table_name="story_mentions")
    op.drop_index("ix_stories_type_dates", table_name="stories")
    op.drop_index("ix_articles_url_current", table_name="articles")
    story_columns = ("background", "confidence", "modality")
    article_columns = ("superseded_by", "version", "host")
    event_columns = ("admin1", "target_country", "source_country", "background", "confidence")
    for table, columns in (("stories", story_columns), ("articles", article_columns), ("events", event_columns)):
        for name in columns:
            op.drop_column(table, name)
