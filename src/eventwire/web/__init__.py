"""``eventwire serve``: an HTTP API and an offline web dashboard over a store.

``create_app(db)`` builds the FastAPI application (see ``eventwire.web.app``); ``serve(db)``
runs it under uvicorn. The dashboard's JavaScript and map data are installed at setup time
(``make setup``: ``npm ci`` in ``web/``, copied into ``eventwire/web/vendor``), never fetched
at run time.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

TOKEN_ENV = "EVENTWIRE_TOKEN"  # the environment variable of the token setting
CONFIG_ENV = "EVENTWIRE_SERVE_CONFIG"  # how ``serve(workers=N)`` hands its options to each worker process


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
          cors_origins: tuple[str, ...] = (), max_body: int | None = None, log_level: str = "info",
          workers: int = 1) -> None:
    """Run the API and dashboard under uvicorn until interrupted.

    workers: server processes (uvicorn's); each opens the store and keeps its own answers, so
    computed answers use more than one core.
    """
    import uvicorn

    from .app import MAX_BODY

    options = dict(db=None if db is None else str(db), token=token, cors_origins=list(cors_origins),
                   max_body=max_body or MAX_BODY)  # fmt: skip
    run = dict(host=host, port=port, log_level=log_level, server_header=False, access_log=False)
    if workers > 1:
        os.environ[CONFIG_ENV] = json.dumps(options)
        uvicorn.run("eventwire.web:app_from_environment", factory=True, workers=workers, **run)  # type: ignore[arg-type]
    else:
        uvicorn.run(_app(options), **run)  # type: ignore[arg-type]


def app_from_environment() -> Any:
    """The application of one worker process of ``serve(workers=N)``, from the options it left in $EVENTWIRE_SERVE_CONFIG."""
    return _app(json.loads(os.environ[CONFIG_ENV]))


def _app(options: dict[str, Any]) -> Any:
    from .app import create_app as build

    return build(options["db"], token=options["token"], cors_origins=tuple(options["cors_origins"]),
                 max_body=options["max_body"], warm=True)  # fmt: skip


__all__ = ["create_app", "serve", "app_from_environment", "resolve_token", "TOKEN_ENV", "CONFIG_ENV"]
