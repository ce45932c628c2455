"""WARC files (.warc, .warc.gz, as in Common Crawl's CC-NEWS): HTML responses only (warcio)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlparse

from ..clean import load_article
from ..errors import InputError, TooLarge
from ..settings import Settings
from . import Item, Meta, SourceFailure
from .files import flags_of, open_regular, unexpected


def iter_warc(path: Path, meta: Meta, settings: Settings) -> Iterator[Item]:
    """One item per HTML response record; other records (requests, metadata, images) are skipped.

    A record body is read up to ``settings.max_bytes``; a file with no HTML response at all, or
    one that stops being readable, is reported as a failure."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    name = str(path)
    try:
        stream = open_regular(path)
    except InputError as exc:
        yield SourceFailure(name, str(exc))
        return
    found = 0
    with stream:
        if not _looks_like_warc(stream):
            yield SourceFailure(name, str(InputError(f"{name}: not a WARC file (no 'WARC/' record header)")))
            return
        try:
            for record in ArchiveIterator(stream):
                if record.rec_type != "response":
                    continue
                ctype = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
                if "html" not in ctype.lower():
                    continue
                status = record.http_headers.get_statuscode() if record.http_headers else "200"
                if not str(status).startswith("2"):
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                where = f"{name}#{url}"
                found += 1
                try:
                    body = record.content_stream().read(settings.max_bytes + 1)
                    if len(body) > settings.max_bytes:
                        raise TooLarge(f"{where}: a record of more than {settings.max_bytes:,} bytes; "
                                       "raise Settings.max_bytes")
                    html = _decode(body, ctype)
                    record_meta = {"url": url, "outlet": urlparse(url).hostname if url else None,
                                   "published": _warc_date(record.rec_headers.get_header("WARC-Date"))}
                    raw = load_article(html, name=where, kind="html", source_meta=record_meta, settings=settings,
                                       **flags_of(meta))
                    raw.kind = "warc"
                    yield raw
                except InputError as exc:
                    yield SourceFailure(where, str(exc))
                except Exception as exc:  # noqa: BLE001 - one bad record never stops the file
                    yield SourceFailure(where, unexpected(where, exc))
        except (ArchiveLoadFailed, OSError, ValueError, EOFError, LookupError) as exc:
            found += 1
            yield SourceFailure(name, str(InputError(f"{name}: not a readable WARC file ({exc})")))
        if not found:
            yield SourceFailure(name, str(InputError(f"{name}: no HTML response records in the WARC file")))


def _looks_like_warc(stream: BinaryIO) -> bool:
    """True when the (possibly gzipped) stream starts with a WARC record header; rewinds it."""
    import gzip
    import zlib

    head = stream.read(2)
    stream.seek(0)
    try:
        if head == b"\x1f\x8b":
            with gzip.GzipFile(fileobj=stream) as gz:
                first = gz.read(5)
        else:
            first = stream.read(5)
    except (OSError, EOFError, zlib.error):
        first = b""
    stream.seek(0)
    return first == b"WARC/"


def _decode(body: bytes, ctype: str) -> str:
    charset = "utf-8"
    for part in ctype.split(";"):
        part = part.strip().lower()
        if part.startswith("charset="):
            charset = part.split("=", 1)[1].strip("\"' ")
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def _warc_date(value: str | None) -> str | None:
    return value[:10] if value and len(value) >= 10 and value[4] == "-" else None
