"""``eventwire query``: print matching events or stories as a table."""

from __future__ import annotations

import click

from .common import handle_errors


def filter_options(func):  # noqa: ANN001, ANN201 - click decorator
    """The event filters shared by query and export."""
    options = [
        click.option("--type", "event_type", multiple=True, help="PLOVER event type, e.g. ASSAULT (repeatable)."),
        click.option("--actor", multiple=True, help="Actor country/organisation code or name, e.g. IRN (repeatable)."),
        click.option("--country", multiple=True, help="ISO alpha-3 country of the event location (repeatable)."),
        click.option("--since", help="Events whose date period ends on or after this date (YYYY-MM-DD)."),
        click.option("--until", help="Events whose date period starts on or before this date."),
        click.option("--near", metavar="LAT,LON,KM", help="Events within KM kilometres of a point."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.command("query")
@click.option("--db", default="eventwire.db", show_default=True, help="SQLite file or postgresql:// URL.")
@filter_options
@click.option("--stories", is_flag=True, help="One row per story (deduplicated event) instead of per mention.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(0), help="Rows to show (0: all).")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV instead of a table.")
@handle_errors
def query(
    db: str,
    event_type: tuple[str, ...],
    actor: tuple[str, ...],
    country: tuple[str, ...],
    since: str | None,
    until: str | None,
    near: str | None,
    stories: bool,
    limit: int,
    as_csv: bool,
) -> None:
    """Print the stored events (or stories) that match the filters.

    Example: eventwire query --type ASSAULT --actor IRN --country SYR --since 2023-10-01
    """
    from ..query import query as run

    frame = run(
        db, type=list(event_type), actor=list(actor), country=list(country), since=since, until=until,
        near=near, stories=stories, limit=limit or None,
    )  # fmt: skip
    if as_csv:
        click.echo(frame.to_csv(index=False), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if frame.empty:
        console.print("no matching " + ("stories" if stories else "events"))
        return
    cols = (
        ["story_id", "event_type", "date_start", "date_end", "countries", "location", "n_mentions", "n_articles",
         "n_outlets", "fatalities", "summary"]
        if stories
        else ["id", "story_id", "date", "event_type", "cameo", "source", "target", "country", "fatalities",
              "trigger", "outlet", "article_id"]
    )  # fmt: skip
    table = Table(show_lines=False)
    for col in cols:
        table.add_column(col, overflow="fold", max_width=60 if col == "summary" else None)
    for row in frame[cols].itertuples(index=False):
        table.add_row(*("" if v is None or v != v else str(v) for v in row))
    console.print(table)
    console.print(f"{len(frame)} {'stories' if stories else 'events'}")
