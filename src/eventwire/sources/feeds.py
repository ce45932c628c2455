"""RSS and Atom feeds (feedparser), by URL or file; follows item links when only a summary is given."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..clean import extract_html, load_article
from ..errors import EmptyInput, InputError
from ..settings import DEFAULT_SETTINGS, Settings
from . import Item, Meta, SourceFailure
from .files import flags_of, read_bytes, unexpected

USER_AGENT = "eventwire/0.1 (+https://github.com/eventwire)"
FETCH_TIMEOUT = 20.0


class UnsafeURL(InputError):
    """A link that points to a loopback, private, link-local or non-http(s) address."""


def _address_refused(address: str) -> str | None:
    """Why an IP address may not be fetched from a followed link (None when it is public)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for test, label in ((ip.is_loopback, "loopback"), (ip.is_link_local, "link-local"), (ip.is_private, "private"),
                        (ip.is_multicast, "multicast"), (ip.is_reserved, "reserved"),
                        (ip.is_unspecified, "unspecified")):
        if test:
            return label
    return None if ip.is_global else "not public"


def check_url(url: str, allow: Iterable[str] = ()) -> None:
    """UnsafeURL unless ``url`` is http(s) to a host whose every address is public, or a host in ``allow``.

    The check resolves the name (DNS) here; the connection itself checks again the address it
    connects to, so a name that resolves differently a moment later is refused too.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise UnsafeURL(f"{url}: only http and https links are followed, not {parts.scheme or 'no scheme'}:")
    host = (parts.hostname or "").lower()
    if not host:
        raise UnsafeURL(f"{url}: the link names no host")
    if host in {h.lower() for h in allow}:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80), type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise InputError(f"{url}: cannot resolve {host} ({exc})") from exc
    for info in infos:
        why = _address_refused(str(info[4][0]))
        if why:
            raise UnsafeURL(f"{url}: {host} resolves to a {why} address ({info[4][0]}); not fetched "
                            "(add the host to fetch_allow_hosts to allow it)")


def _guarded_connection(allow: frozenset[str], deadline: float) -> Callable[..., socket.socket]:
    """A ``socket.create_connection`` that refuses non-public peers (unless allowed) and the deadline."""

    def connect(address: tuple[str, int], timeout: Any = None, source_address: Any = None, **kw: Any) -> socket.socket:
        host, port = address
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the fetch deadline passed")
        if str(host).lower() in allow:
            return socket.create_connection(address, min(float(timeout or left), left), source_address)
        last: OSError | None = None
        for family, kind, proto, _, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
            why = _address_refused(str(sockaddr[0]))
            if why:
                raise UnsafeURL(f"{host} resolves to a {why} address ({sockaddr[0]}); not fetched "
                                "(add the host to fetch_allow_hosts to allow it)")
            sock = socket.socket(family, kind, proto)
            try:
                sock.settimeout(min(float(timeout or left), left))
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                sock.close()
                last = exc
        raise last or OSError(f"cannot connect to {host}")

    return connect


def _opener(guard: bool, allow: frozenset[str], deadline: float) -> urllib.request.OpenerDirector:
    """An opener for http(s) only (no file:, ftp: or data:, no proxies from the environment); with
    ``guard`` every connection, the first and each redirect's, is checked."""

    class Redirects(urllib.request.HTTPRedirectHandler):
        max_redirections = 5

        def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, ANN201
            if guard:
                check_url(newurl, allow)
            elif urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
                raise UnsafeURL(f"{newurl}: a redirect to a non-http(s) address; not followed")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    class HTTP(urllib.request.HTTPHandler):
        def http_open(self, req):  # noqa: ANN001, ANN201
            return self.do_open(_connection_class(http.client.HTTPConnection), req)

    class HTTPS(urllib.request.HTTPSHandler):
        def https_open(self, req):  # noqa: ANN001, ANN201
            return self.do_open(_connection_class(http.client.HTTPSConnection), req,
                                context=self._context)

    def _connection_class(base: type) -> type:
        class Guarded(base):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                if guard:
                    self._create_connection = _guarded_connection(allow, deadline)

        return Guarded

    opener = urllib.request.OpenerDirector()
    for handler in (HTTP(), HTTPS(), Redirects(), urllib.request.HTTPErrorProcessor(),
                    urllib.request.HTTPDefaultErrorHandler()):
        opener.add_handler(handler)
    return opener


def fetch(url: str, timeout: float = FETCH_TIMEOUT, settings: Settings | None = None, *, guard: bool = False) -> bytes:
    """GET an http(s) URL: at most ``settings.fetch_max_bytes``, within ``settings.fetch_deadline``
    seconds in all; with ``guard`` (followed links) only public addresses, after DNS resolution and
    after each redirect, unless ``settings.fetch_allow_hosts`` names the host. InputError with the reason
    when it fails or is refused."""
    settings = settings or DEFAULT_SETTINGS
    allow = frozenset(h.lower() for h in settings.fetch_allow_hosts)
    deadline = time.monotonic() + settings.fetch_deadline
    limit = settings.fetch_max_bytes
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        if guard:
            check_url(url, allow)
        elif urllib.parse.urlsplit(url).scheme.lower() not in ("http", "https"):
            raise UnsafeURL(f"{url}: only http and https addresses are fetched")
        with _opener(guard, allow, deadline).open(request, timeout=min(timeout, settings.fetch_deadline)) as response:
            chunks: list[bytes] = []
            size = 0
            while True:
                if time.monotonic() > deadline:
                    raise InputError(f"{url}: not fetched within {settings.fetch_deadline:g} s "
                                     "(Settings.fetch_deadline)")
                block = response.read1(65536) if hasattr(response, "read1") else response.read(65536)
                if not block:
                    break
                size += len(block)
                if size > limit:
                    raise InputError(f"{url}: more than {limit:,} bytes; not fetched (Settings.fetch_max_bytes)")
                chunks.append(block)
            return b"".join(chunks)
    except InputError:
        raise
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, InputError):
            raise reason from exc
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
    fetcher: Callable[[str], bytes] | None = None,
) -> Iterator[Item]:
    """One item per feed entry: full content, else the linked page, else the summary.

    The feed itself (a URL the user gave) is fetched as given; its items' links only when they are
    http(s) to public addresses (or hosts in ``settings.fetch_allow_hosts``).
    """
    import feedparser

    get_feed = fetcher or (lambda u: fetch(u, settings.fetch_timeout, settings))
    get_link = fetcher or (lambda u: fetch(u, settings.fetch_timeout, settings, guard=True))
    try:
        data = get_feed(src) if src.startswith(("http://", "https://")) else read_bytes(Path(src), settings)
        parsed = feedparser.parse(data)
    except InputError as exc:
        yield SourceFailure(src, str(exc))
        return
    except Exception as exc:  # noqa: BLE001 - a feed the parser chokes on is one failure
        yield SourceFailure(src, unexpected(src, exc))
        return
    if not parsed.entries:
        problem = f" ({parsed.bozo_exception})" if getattr(parsed, "bozo", False) else ""
        yield SourceFailure(src, str(InputError(f"{src}: no RSS/Atom entries found{problem}")))
        return
    outlet = parsed.feed.get("title") if hasattr(parsed, "feed") else None
    for index, entry in enumerate(parsed.entries):
        name = f"{src}#{index}"
        try:
            link = entry.get("link")
            src_meta = {
                "title": entry.get("title"),
                "published": _iso(entry.get("published_parsed") or entry.get("updated_parsed")),
                "outlet": outlet,
                "url": link,
            }
            text = ""
            refused = ""
            contents = entry.get("content") or []
            if contents:
                text = "\n\n".join(_html_to_text(c.get("value", "")) for c in contents)
            if not text.strip() and link and follow_links:
                try:
                    page_text, page_meta = extract_html(get_link(link).decode("utf-8", errors="replace"))
                    text = page_text
                    for key in ("title", "published"):
                        src_meta[key] = src_meta[key] or page_meta.get(key)
                except InputError as exc:
                    refused = f"; the link was not read ({exc.message.removeprefix(f'{link}: ')})"
                    text = ""
            if not text.strip():
                text = _html_to_text(entry.get("summary", "") or "")
            if not text.strip():
                raise EmptyInput(f"{name}: the feed entry has no content, summary or readable link{refused}")
            raw = load_article(text, name=name, kind="text", source_meta=src_meta, settings=settings,
                               **flags_of(meta))
            raw.kind = "feed"
            yield raw
        except InputError as exc:
            yield SourceFailure(name, str(exc))
        except Exception as exc:  # noqa: BLE001 - one bad entry never stops the feed
            yield SourceFailure(name, unexpected(name, exc))
