"""``eventwire serve``: the HTTP API and the web dashboard over a store."""

from __future__ import annotations

import click

from .common import handle_errors


@click.command("serve")
@click.option("--db", default="eventwire.db", show_default=True, help="SQLite file or postgresql:// URL.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; the default serves this machine only.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="TCP port.")
@click.option("--token", default=None, metavar="TOKEN",
              help="Bearer token POST /api/ingest requires (default $EVENTWIRE_TOKEN, else a new one, printed).")
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN",
              help="Allow cross-origin requests from this origin, e.g. http://localhost:3000 (repeatable; "
                   "default: none).")
@click.option("--max-body", type=click.IntRange(1), default=None,
              help="Largest POST body in bytes [default 5,000,000].")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes; more than one lets computed answers use more than one core.")
@handle_errors
def serve(db: str, host: str, port: int, token: str | None, cors_origins: tuple[str, ...],
          max_body: int | None, workers: int) -> None:
    """Serve the HTTP API (/api, docs at /api/docs) and the dashboard (/) over a database.

    Example: eventwire serve --db events.db --port 8000
    """
    from ..store import masked
    from ..web import resolve_token
    from ..web import serve as run
    from ..web.app import VENDOR

    token, generated = resolve_token(token)
    click.echo(f"eventwire: serving {masked(db)} on http://{host}:{port}/ (API docs: /api/docs)", err=True)
    if generated:
        click.echo(f"eventwire: ingest token (POST /api/ingest, Authorization: Bearer ...): {token}", err=True)
    if not (VENDOR / "versions.json").exists():
        click.echo("eventwire: warning: the dashboard's assets are missing (run 'make setup'); the API works",
                   err=True)
    run(db, host=host, port=port, token=token, cors_origins=cors_origins, max_body=max_body, workers=workers)
