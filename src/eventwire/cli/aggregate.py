"""``eventwire aggregate``: counts, Goldstein sums, fatalities or articles per period and group."""

from __future__ import annotations

import click

from ..aggregate import COARSE, MEASURES, PERIODS
from .common import handle_errors
from .filters import filter_options


@click.command("aggregate")
@click.option("--db", default="eventwire.db", show_default=True, help="SQLite file or postgresql:// URL.")
@click.option("--by", type=click.Choice(PERIODS), default="week", show_default=True, help="Period length.")
@click.option("--group", default="country,event_type", show_default=True,
              help="Comma list of: country, event_type, source, target, dyad, admin1, outlet, modality, "
                   "quad_class, acled_event_type ('' for one series is an error: use --group none).")
@click.option("--measure", type=click.Choice(MEASURES), default="count", show_default=True, help="What to sum.")
@click.option("--coarse", type=click.Choice(COARSE), default="drop", show_default=True,
              help="Events dated coarser than the period: leave them out, or spread them over its periods.")
@click.option("--complete", is_flag=True, help="Add zero rows for periods in which a group has no events.")
@filter_options
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON records (period as an ISO date).")
@handle_errors
def aggregate(db: str, by: str, group: str, measure: str, coarse: str, complete: bool, filters,  # noqa: ANN001
              as_csv: bool, as_json: bool) -> None:
    """Sum a measure per period and group over the events that match the filters.

    An event counts in a period only when its date lies wholly in it (a month-precision event is
    not counted in a week); --coarse spread shares it out instead. See docs/formats.md.

    Example: eventwire aggregate --by week --group country,event_type --measure count --country SYR
    """
    from ..aggregate import aggregate as run

    groups = () if group.strip().lower() == "none" else group
    frame = run(db, by=by, group=groups, measure=measure, filters=filters, coarse=coarse, complete=complete)
    left_out = frame.attrs.get("left_out", 0)
    flat = frame.reset_index()
    flat["period"] = flat["period"].dt.strftime("%Y-%m-%d")
    if as_csv:
        click.echo(flat.to_csv(index=False), nl=False)
    elif as_json:
        click.echo(flat.to_json(orient="records", force_ascii=False))
    else:
        from rich.console import Console
        from rich.table import Table

        from .query import cell

        console = Console()
        if flat.empty:
            console.print("no matching events")
        else:
            table = Table()
            for col in flat.columns:
                table.add_column(str(col), justify="right" if col == measure else "left")
            for row in flat.itertuples(index=False):
                table.add_row(*(cell(v) for v in row))
            console.print(table)
    if left_out:
        click.echo(f"{left_out} events dated coarser than a {by} left out (--coarse spread to share them out)",
                   err=True)
