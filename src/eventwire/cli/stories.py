"""``eventwire stories``: rebuild the story clusters of a database, or cluster the events that have none."""

from __future__ import annotations

import json
from typing import Any

import click

from .common import handle_errors, settings_from, settings_options


@click.group("stories")
def stories() -> None:
    """Cluster stored event mentions into stories (one real-world event each).

    Example: eventwire stories rebuild --db events.db --story-max-km 25
    """


def _run(db: str, rebuild: bool, as_json: bool, settings_flags: dict[str, Any]) -> None:
    from ..errors import StoreError
    from ..store import masked, open_store
    from ..stories import reset_stories, update_stories

    settings = settings_from(settings_flags)
    store = open_store(db, create=False)
    try:
        if store.read_only:
            raise StoreError(f"{masked(db)}: the database (or its folder) is read-only; stories cannot be written")
        if rebuild:
            reset_stories(store)
        result = update_stories(store, None, settings=settings)
    finally:
        store.close()
    summary = {"mentions": result.mentions, "created": result.created, "updated": result.updated,
               "deleted": result.deleted, "stories": result.total}
    if as_json:
        click.echo(json.dumps(summary))
    else:
        click.echo(f"{result.mentions} mentions clustered: {result.created} stories created, {result.updated} "
                   f"updated; {result.total} stories in {masked(db)}", err=True)


@stories.command("rebuild")
@click.option("--db", default="eventwire.db", show_default=True, help="SQLite file or postgresql:// URL.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
@settings_options("stories")
@handle_errors
def rebuild(db: str, as_json: bool, **settings_flags: Any) -> None:
    """Delete every story and cluster all current events again (e.g. after changing a threshold).

    Example: eventwire stories rebuild --db events.db --story-window-days 2
    """
    _run(db, True, as_json, settings_flags)


@stories.command("update")
@click.option("--db", default="eventwire.db", show_default=True, help="SQLite file or postgresql:// URL.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
@settings_options("stories")
@handle_errors
def update(db: str, as_json: bool, **settings_flags: Any) -> None:
    """Cluster the current events that have no story yet (e.g. after 'ingest --no-stories').

    Example: eventwire stories update --db events.db
    """
    _run(db, False, as_json, settings_flags)
