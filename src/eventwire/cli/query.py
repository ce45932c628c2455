"""``eventwire query``: print matching events or stories as a table, CSV or JSON."""

from __future__ import annotations

import click

from .common import handle_errors
from .filters import filter_options

TABLE_ROWS = 50  # rows a table shows when no --limit is given
EVENT_TABLE = ["id", "story_id", "date", "event_type", "cameo", "source", "target", "country", "fatalities",
               "modality", "trigger", "outlet", "article_id"]  # fmt: skip
STORY_TABLE = ["story_id", "event_type", "date_start", "date_end", "countries", "location", "n_mentions",
               "n_articles", "n_outlets", "fatalities", "modality", "summary"]  # fmt: skip


def cell(value: object) -> str:
    """A table cell: empty for None, NaN and pd.NA."""
    import pandas as pd

    try:
        if value is None or pd.isna(value):  # type: ignore[call-overload]
            return ""
    except (TypeError, ValueError):
        pass
    return f"{value:g}" if isinstance(value, float) else str(value)


def print_frame(frame, as_csv: bool, as_json: bool, what: str, limit_given: bool) -> None:  # noqa: ANN001
    """A frame as CSV, JSON records, or a Rich table with "showing N of TOTAL"."""
    total = frame.attrs.get("total", len(frame))
    if as_csv:
        click.echo(frame.to_csv(index=False), nl=False)
        return
    if as_json:
        click.echo(frame.to_json(orient="records", force_ascii=False, date_format="iso"))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if frame.empty:
        console.print(f"no matching {what}")
        return
    cols = [c for c in (STORY_TABLE if what == "stories" else EVENT_TABLE) if c in frame.columns]
    shown = frame if limit_given else frame.head(TABLE_ROWS)
    table = Table(show_lines=False)
    for col in cols:
        table.add_column(col, overflow="fold", max_width=60 if col == "summary" else None)
    for row in shown[cols].itertuples(index=False):
        table.add_row(*(cell(v) for v in row))
    console.print(table)
    if len(shown) < total:
        console.print(f"showing {len(shown)} of {total} {what} (--limit N for more, --csv or --json for all)")
    else:
        console.print(f"{total} {what}")


@click.command("query")
@click.option("--db", default="eventwire.db", show_default=True, help="SQLite file or postgresql:// URL.")
@filter_options
@click.option("--stories", is_flag=True, help="One row per story (deduplicated event) instead of per mention.")
@click.option("--csv", "as_csv", is_flag=True, help="Print every matching row as CSV (unless --limit).")
@click.option("--json", "as_json", is_flag=True, help="Print every matching row as JSON records (unless --limit).")
@handle_errors
def query(db: str, filters, stories: bool, as_csv: bool, as_json: bool) -> None:  # noqa: ANN001
    """Print the stored events (or stories) that match the filters.

    A table shows the first 50 rows and says how many match; --csv and --json print them all.

    Example: eventwire query --source TUR --target SYR --country SYR --since 2023-10-01
    """
    from ..query import query as run

    limit_given = filters.limit is not None
    if not limit_given and not (as_csv or as_json):
        filters = filters.with_limit(TABLE_ROWS)
    frame = run(db, filters, stories=stories)
    print_frame(frame, as_csv, as_json, "stories" if stories else "events", limit_given)
