"""``eventwire ingest``: code and store articles from files, folders, feeds and WARC files."""

from __future__ import annotations

import json
import sys

import click

from .common import handle_errors, settings_from, settings_options


@click.command("ingest")
@click.argument("sources", nargs=-1, required=True)
@click.option("--db", default="eventwire.db", show_default=True, help="SQLite file or postgresql:// URL.")
@click.option("--published", help="Publication date (YYYY-MM-DD) for inputs that lack one.")
@click.option("--outlet", help="Outlet name for inputs that lack one.")
@click.option("--title", help="Title for inputs that lack one.")
@click.option("--url", help="URL for inputs that lack one.")
@click.option("--dask", "dask_scheduler", metavar="SCHEDULER", help="Code on a Dask cluster: 'local' or tcp://host:8786.")
@click.option("--dask-workers", type=click.IntRange(1, 256), help="Worker processes for --dask local (default --workers or 2).")
@click.option("--out-parquet", type=click.Path(file_okay=False), help="Write results as Parquet partitions in DIR instead of --db.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
@settings_options("input", "nlp", "knowledge", "filter", "ingest", "stories")
@handle_errors
def ingest(
    sources: tuple[str, ...],
    db: str,
    published: str | None,
    outlet: str | None,
    title: str | None,
    url: str | None,
    dask_scheduler: str | None,
    dask_workers: int | None,
    out_parquet: str | None,
    progress: bool | None,
    as_json: bool,
    **settings_flags: object,
) -> None:
    """Code and store articles from SOURCES (files, folders, feed URLs, WARC files, '-').

    Example: eventwire ingest news/ feed.xml crawl.warc.gz --db events.db --workers 4
    """
    from ..ingest import ingest as run

    settings = settings_from(settings_flags)
    summary = run(
        sources,
        db,
        published=published,
        outlet=outlet,
        title=title,
        url=url,
        settings=settings,
        progress=progress,
        dask=dask_scheduler,
        dask_workers=dask_workers or (settings.workers if settings.workers > 1 else 2),
        out_parquet=out_parquet,
    )
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False))
    else:
        print_summary(summary, out_parquet or db)
    if summary.read and summary.failed == summary.read:
        sys.exit(1)


def print_summary(summary: object, where: str) -> None:
    """A Rich summary table (and the failures) on stderr."""
    from rich.console import Console
    from rich.table import Table

    s = summary  # IngestSummary
    console = Console(stderr=True)
    from ..store import masked

    table = Table(title=f"ingest into {masked(where)}", show_header=False)
    rows = [
        ("articles read", s.read),  # type: ignore[attr-defined]
        ("coded", s.coded),  # type: ignore[attr-defined]
        ("imported (already coded)", s.imported),  # type: ignore[attr-defined]
        ("skipped as duplicates", s.duplicates),  # type: ignore[attr-defined]
        ("failed", s.failed),  # type: ignore[attr-defined]
        ("events stored", s.events),  # type: ignore[attr-defined]
        ("stories", "-" if s.stories is None else s.stories),  # type: ignore[attr-defined]
        ("elapsed", f"{s.elapsed:.1f} s"),  # type: ignore[attr-defined]
        ("rate", f"{s.rate:.2f} articles/s"),  # type: ignore[attr-defined]
    ]
    for key, value in rows:
        table.add_row(key, str(value))
    console.print(table)
    failures = s.failures  # type: ignore[attr-defined]
    for f in failures[:20]:
        console.print(f"  failed: {f['source']}: {f['reason']}", markup=False, highlight=False)
    if len(failures) > 20:
        console.print(f"  ... and {len(failures) - 20} more (see the failures table)")
