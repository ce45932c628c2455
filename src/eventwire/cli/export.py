"""``eventwire export``: write stored events as jsonl, plover, plover-jsonl, cameo, acled, geojson or parquet."""

from __future__ import annotations

import click

from ..export import FORMATS, PER
from .common import handle_errors
from .filters import filter_options


@click.command("export")
@click.option("--db", default="eventwire.db", show_default=True, help="SQLite file or postgresql:// URL.")
@click.option("--format", "-f", "fmt", required=True, type=click.Choice(FORMATS, case_sensitive=False), help="Output format.")
@filter_options
@click.option("--per", type=click.Choice(PER), default="story", show_default=True,
              help="ACLED rows: one per story, or one per mention.")
@click.option("-o", "--output", default="-", show_default=True, help="Output file ('-' for stdout).")
@handle_errors
def export(db: str, fmt: str, filters, per: str, output: str) -> None:  # noqa: ANN001
    """Export the stored events that match the filters (see docs/formats.md for every format).

    Example: eventwire export --format acled --country SYR --since 2024-01-01 -o syria.csv
    """
    from ..export import export as run

    n = run(db, fmt.lower(), output, filters, per=per)
    if output != "-":
        click.echo(f"wrote {n} records to {output}", err=True)
