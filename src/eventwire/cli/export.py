"""``eventwire export``: write stored events as jsonl, plover, cameo, acled, geojson or parquet."""

from __future__ import annotations

import click

from ..export import FORMATS
from .common import handle_errors
from .query import filter_options


@click.command("export")
@click.option("--db", default="eventwire.db", show_default=True, help="SQLite file or postgresql:// URL.")
@click.option("--format", "-f", "fmt", required=True, type=click.Choice(FORMATS, case_sensitive=False), help="Output format.")
@filter_options
@click.option("-o", "--output", default="-", show_default=True, help="Output file ('-' for stdout).")
@handle_errors
def export(
    db: str,
    fmt: str,
    event_type: tuple[str, ...],
    actor: tuple[str, ...],
    country: tuple[str, ...],
    since: str | None,
    until: str | None,
    near: str | None,
    output: str,
) -> None:
    """Export the stored events that match the filters.

    Example: eventwire export --format acled --country SYR --since 2024-01-01 -o syria.csv
    """
    from ..export import export as run

    n = run(
        db, fmt.lower(), output, type=list(event_type), actor=list(actor), country=list(country),
        since=since, until=until, near=near,
    )  # fmt: skip
    if output != "-":
        click.echo(f"wrote {n} records to {output}", err=True)
