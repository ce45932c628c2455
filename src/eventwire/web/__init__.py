"""``eventwire serve``: an HTTP API and an offline web dashboard over a store.

``create_app(db)`` builds the FastAPI application (see ``eventwire.web.app``); ``serve(db)``
runs it under uvicorn. The dashboard's JavaScript and map data are installed at setup time
(``make setup``: ``npm ci`` in ``web/``, copied into ``eventwire/web/vendor``), never fetched
at run time.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

TOKEN_ENV = "EVENTWIRE_TOKEN"  # the environment variable of the token setting


def resolve_token(token: str | None, settings: Any = None) -> tuple[str, bool]:
    """The ingest token: the one given, else the ``token`` setting ($EVENTWIRE_TOKEN or a config file),
    else a new random one (then True)."""
    if token:
        return token, False
    from ..settings import Settings

    configured = (settings or Settings.load()).token
    if configured and configured.strip():
        return configured.strip(), False
    return secrets.token_urlsafe(24), True


def create_app(db: Any, **kwargs: Any) -> Any:
    """The FastAPI application over a database; see ``eventwire.web.app.create_app``."""
    from .app import create_app as build

    return build(db, **kwargs)


def serve(db: str | Path | None, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          cors_origins: tuple[str, ...] = (), max_body: int | None = None, log_level: str = "info") -> None:
    """Run the API and dashboard under uvicorn until interrupted."""
    import uvicorn

    from .app import MAX_BODY
    from .app import create_app as build

    app = build(db, token=token, cors_origins=cors_origins, max_body=max_body or MAX_BODY, warm=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False, access_log=False)


__all__ = ["create_app", "serve", "resolve_token", "TOKEN_ENV"]
