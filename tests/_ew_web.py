"""A small database whose answers are known, for the API and browser tests of ``eventwire serve``.

Eight one-sentence articles, each coding to one event (checked when the database is built), one
of them holding markup that must be shown as text, two of them the same bombing in two outlets.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Any

HOSTILE = "Rebels <script>alert(1)</script> attacked <img src=x onerror=alert(2)> a checkpoint in Homs on Monday."
ARTICLES: list[dict[str, Any]] = [
    {"id": "a1", "published": "2024-03-04", "outlet": "Wire One", "url": "https://example.org/a1",
     "text": "Turkish troops shelled Kurdish positions in Afrin on Monday, killing five fighters."},
    {"id": "a2", "published": "2024-03-05", "outlet": "Wire One", "url": "https://example.org/a2",
     "text": "Iran denied any involvement in the attack."},
    {"id": "a3", "published": "2024-03-12", "outlet": "Wire One", "url": "https://example.org/a3",
     "text": "Russian warplanes bombed a hospital in Idlib on Tuesday."},
    {"id": "a3b", "published": "2024-03-12", "outlet": "Wire Two", "url": "https://example.net/a3b",
     "text": "Russian warplanes bombed a hospital in Idlib on Tuesday, witnesses said."},
    {"id": "a4", "published": "2024-03-15", "outlet": "Wire Two", "url": "https://example.net/a4",
     "text": "Protesters rallied in Damascus on Friday against rising prices."},
    {"id": "a5", "published": "2024-04-03", "outlet": "Wire Two", "url": "javascript:alert(3)",
     "text": "The United States and Jordan signed a defence agreement in Amman on Wednesday."},
    {"id": "a6", "published": "2024-04-07", "outlet": "Wire One", "url": "https://example.org/a6",
     "text": "Police arrested 20 demonstrators in Beirut on Sunday."},
    {"id": "xss", "published": "2024-03-18", "outlet": "<b>Bold</b> Outlet", "url": "https://example.org/xss",
     "title": "<img src=x onerror=alert(4)>", "text": HOSTILE},
]  # fmt: skip


def build_db(path: Path | str, coder: Any) -> Path | str:
    """Code ARTICLES with the session's Coder, store them (a SQLite path or a database URL), build the stories."""
    from eventwire.clean import load_article
    from eventwire.store import open_store
    from eventwire.stories import rebuild_stories

    docs = [coder.code(load_article(a)) for a in ARTICLES]
    coded = {d.article.id: [e.event_type for e in d.events] for d in docs}
    assert all(len(v) == 1 for v in coded.values()), coded
    with open_store(path) as store:
        store.write_batch([(d, {"source": "test", "kind": "json"}) for d in docs])
        rebuild_stories(store)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A real uvicorn serving the app on 127.0.0.1 in a thread, for the browser tests."""

    def __init__(self, db: Path, token: str = "test-token") -> None:
        import uvicorn

        from eventwire.web import create_app

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(db, token=token), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
