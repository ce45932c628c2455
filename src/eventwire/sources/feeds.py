"""RSS and Atom feeds (feedparser), by URL or file; follows item links when only a summary is given."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..clean import extract_html, load_article
from ..errors import EmptyInput, InputError
from ..settings import Settings
from . import Item, Meta, SourceFailure
from .files import flags_of, read_bytes

USER_AGENT = "eventwire/0.1 (+https://github.com/eventwire)"
FETCH_TIMEOUT = 20.0


def fetch(url: str, timeout: float = FETCH_TIMEOUT) -> bytes:
    """GET a URL (http, https or file); InputError with the reason when it fails."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - user-given URL
            return response.read()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InputError(f"{url}: cannot fetch ({reason})") from exc


def _iso(struct: Any) -> str | None:
    if not struct:
        return None
    try:
        return time.strftime("%Y-%m-%d", struct)
    except (TypeError, ValueError):
        return None


def _html_to_text(html: str) -> str:
    if "<" not in html:
        return html
    text, _ = extract_html(f"<html><body><article>{html}</article></body></html>")
    return text


def iter_feed(
    src: str,
    meta: Meta,
    settings: Settings,
    *,
    follow_links: bool = True,
    fetcher: Callable[[str], bytes] = fetch,
) -> Iterator[Item]:
    """One item per feed entry: full content, else the linked page, else the summary."""
    import feedparser

    try:
        data = fetcher(src) if src.startswith(("http://", "https://", "file://")) else read_bytes(Path(src))
    except InputError as exc:
        yield SourceFailure(src, str(exc))
        return
    parsed = feedparser.parse(data)
    if not parsed.entries:
        problem = f" ({parsed.bozo_exception})" if getattr(parsed, "bozo", False) else ""
        yield SourceFailure(src, str(InputError(f"{src}: no RSS/Atom entries found{problem}")))
        return
    outlet = parsed.feed.get("title") if hasattr(parsed, "feed") else None
    for index, entry in enumerate(parsed.entries):
        name = f"{src}#{index}"
        link = entry.get("link")
        src_meta = {
            "title": entry.get("title"),
            "published": _iso(entry.get("published_parsed") or entry.get("updated_parsed")),
            "outlet": outlet,
            "url": link,
        }
        try:
            text = ""
            contents = entry.get("content") or []
            if contents:
                text = "\n\n".join(_html_to_text(c.get("value", "")) for c in contents)
            if not text.strip() and link and follow_links:
                try:
                    page_text, page_meta = extract_html(fetcher(link).decode("utf-8", errors="replace"))
                    text = page_text
                    for key in ("title", "published"):
                        src_meta[key] = src_meta[key] or page_meta.get(key)
                except InputError:
                    text = ""
            if not text.strip():
                text = _html_to_text(entry.get("summary", "") or "")
            if not text.strip():
                raise EmptyInput(f"{name}: the feed entry has no content, summary or readable link")
            raw = load_article(text, name=name, kind="text", source_meta=src_meta, settings=settings,
                               **flags_of(meta))
            raw.kind = "feed"
            yield raw
        except InputError as exc:
            yield SourceFailure(name, str(exc))
