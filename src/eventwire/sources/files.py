"""Files: .txt, .html, .json, .jsonl (one article or coded document per line), and .gz variants.

Every file is read by reading, never by trusting ``stat``: at most ``max_bytes`` (one document) or
``max_gzip_bytes`` of expanded gzip, and JSON lines are streamed one line at a time. Only regular
files are opened (FIFOs and devices are reported, never read).
"""

from __future__ import annotations

import gzip
import os
import stat
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from ..clean import decode_bytes, load_article, parse_json
from ..errors import InputError, InvalidJSON, TooLarge, one_line
from ..model import CodedArticle
from ..settings import DEFAULT_SETTINGS, Settings
from . import Item, Meta, SourceFailure, _base_suffix

_BLOCK = 1 << 20


def open_regular(path: Path) -> BinaryIO:
    """Open a regular file for reading; InputError for a FIFO, device, socket or an unreadable file.

    Opened non-blocking and checked with ``fstat`` on the open descriptor, so a FIFO never blocks.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "a FIFO, device or socket"
            raise InputError(f"{path}: not a regular file ({kind}); not read")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


class _Bounded:
    """A read-only stream that raises TooLarge once more than ``limit`` bytes have been read from it."""

    def __init__(self, stream: Any, limit: int, what: str) -> None:
        self.stream, self.limit, self.what, self.count = stream, limit, what, 0

    def read(self, n: int = -1) -> bytes:
        want = self.limit + 1 - self.count if n is None or n < 0 else min(n, self.limit + 1 - self.count)
        data = self.stream.read(max(0, want)) if want > 0 else b""
        self.count += len(data)
        if self.count > self.limit:
            raise TooLarge(self.what)
        return data

    def readline(self, n: int = -1) -> bytes:
        want = self.limit + 1 - self.count if n is None or n < 0 else min(n, self.limit + 1 - self.count)
        data = self.stream.readline(max(0, want)) if want > 0 else b""
        self.count += len(data)
        if self.count > self.limit:
            raise TooLarge(self.what)
        return data

    def close(self) -> None:
        self.stream.close()


def _is_gzip(path: Path, fh: BinaryIO) -> bool:
    head = fh.read(2)
    fh.seek(0)
    return path.name.lower().endswith(".gz") or head == b"\x1f\x8b"


def open_stream(path: Path, settings: Settings = DEFAULT_SETTINGS) -> Any:
    """A stream of the file's bytes, expanded when gzip-compressed, that stops (TooLarge) past
    ``settings.max_gzip_bytes`` of expanded data."""
    fh = open_regular(path)
    if not _is_gzip(path, fh):
        return fh
    return _Bounded(gzip.GzipFile(fileobj=fh), settings.max_gzip_bytes,
                    f"{path}: expands to more than {settings.max_gzip_bytes:,} bytes (a gzip bomb?); "
                    "not read further (Settings.max_gzip_bytes)")


def read_bytes(path: Path, settings: Settings = DEFAULT_SETTINGS) -> bytes:
    """The bytes of one document, decompressed when gzip-compressed, at most ``settings.max_bytes``
    (read, not taken from ``stat``); InputError when unreadable, TooLarge above the limit."""
    stream = open_stream(path, settings)
    try:
        data = stream.read(settings.max_bytes + 1)
    except TooLarge:
        raise
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"{path}: not a valid gzip file ({exc}); decompress or re-create it") from exc
    finally:
        stream.close()
    if len(data) > settings.max_bytes:
        raise TooLarge(f"{path}: more than {settings.max_bytes:,} bytes; split it or raise Settings.max_bytes")
    return data


def flags_of(meta: Meta) -> dict[str, str | None]:
    """The caller's metadata values as load_article keyword arguments."""
    return {"published": meta.published, "outlet": meta.outlet, "title": meta.title, "url": meta.url}


def is_coded_document(obj: Any) -> bool:
    """True for an already coded-article document (as exported by ``--format jsonl``)."""
    return isinstance(obj, dict) and isinstance(obj.get("article"), dict) and "text" in obj and "events" in obj


def unexpected(name: str, exc: BaseException) -> str:
    """The one-line reason recorded for an unexpected exception while reading one article."""
    detail = one_line(str(exc).splitlines()[0] if str(exc) else "", 120)
    return str(InputError(f"{name}: unexpected error while reading ({type(exc).__name__}: {detail}); "
                          "please report it with the input"))


def article_from_object(obj: Any, name: str, meta: Meta, settings: Settings) -> Item:
    """One JSON object -> RawArticle, CodedArticle (already coded) or SourceFailure."""
    ident = None
    try:
        if isinstance(obj, dict) and obj.get("id") is not None:
            ident = one_line(obj.get("id"), 200)
        if is_coded_document(obj):
            try:
                doc = CodedArticle.from_dict(obj)
                doc._source = name  # where it came from, for the store (not a field of the document)
                return doc
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise InvalidJSON(f"{name}: not a valid coded-article document ({first})") from exc
        if not isinstance(obj, dict):
            raise InvalidJSON(f"{name}: expected a JSON object with a 'text' or 'html' field, got {type(obj).__name__}")
        return load_article(obj, name=name, settings=settings, **flags_of(meta))
    except InputError as exc:
        return SourceFailure(name, str(exc), ident)
    except Exception as exc:  # noqa: BLE001 - one bad article never stops a batch
        return SourceFailure(name, unexpected(name, exc), ident)


def article_from_bytes(data: bytes | str, name: str, meta: Meta, settings: Settings, kind: str = "auto") -> Item:
    """One document (text, HTML or JSON) -> RawArticle, CodedArticle or SourceFailure.

    A JSON document that is an already coded article is read back as such; everything else goes
    through ``load_article`` (stage 1), which decides text, HTML or JSON.
    """
    try:
        raw = decode_bytes(data, settings) if isinstance(data, bytes) else data
        if kind in ("json", "auto") and raw.lstrip().startswith("{") and '"events"' in raw:
            try:
                obj = parse_json(raw, name, settings)
            except InvalidJSON:
                obj = None
            if is_coded_document(obj):
                return article_from_object(obj, name, meta, settings)
        return load_article(raw, name=name, kind=kind, settings=settings, **flags_of(meta))
    except InputError as exc:
        return SourceFailure(name, str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad article never stops a batch
        return SourceFailure(name, unexpected(name, exc))


def _lines(stream: Any, limit: int) -> Iterator[tuple[bytes | None, int]]:
    """(line, number) of a stream, one at a time; a line longer than ``limit`` bytes is skipped and
    given as (None, number)."""
    lineno = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # skip the rest of the over-long line
                rest = stream.readline(_BLOCK)
                if not rest or rest.endswith(b"\n"):
                    break
            yield None, lineno
            continue
        yield line, lineno


def iter_jsonl(data: bytes | Any, name: str, meta: Meta, settings: Settings) -> Iterator[Item]:
    """One item per non-empty line of a JSON-lines document (bytes, or a stream read line by line)."""
    import io

    stream = io.BytesIO(data) if isinstance(data, (bytes, bytearray)) else data
    for line, lineno in _lines(stream, settings.max_bytes):
        where = f"{name}:{lineno}"
        if line is None:
            yield SourceFailure(where, str(TooLarge(f"{where}: a JSON line of more than {settings.max_bytes:,} "
                                                    "bytes; raise Settings.max_bytes")))
            continue
        if not line.strip():
            continue
        try:
            obj = parse_json(line, where, settings)
        except InvalidJSON as exc:
            yield SourceFailure(where, str(exc))
            continue
        yield article_from_object(obj, where, meta, settings)


def iter_file(path: Path, meta: Meta, settings: Settings) -> Iterator[Item]:
    """Items of one file: many for .jsonl (streamed), one otherwise; a file that yields nothing is a failure."""
    name = str(path)
    suffix = _base_suffix(path)
    if suffix in (".jsonl", ".ndjson"):
        try:
            stream = open_stream(path, settings)
        except InputError as exc:
            yield SourceFailure(name, str(exc))
            return
        n = 0
        try:
            for item in iter_jsonl(stream, name, meta, settings):
                n += 1
                yield item
        except InputError as exc:  # the gzip bound
            n += 1
            yield SourceFailure(name, str(exc))
        except (OSError, EOFError, zlib.error) as exc:
            n += 1
            yield SourceFailure(name, str(InputError(f"{name}: not a valid gzip file ({exc}); decompress or re-create it")))
        finally:
            stream.close()
        if n == 0:
            yield SourceFailure(name, str(InputError(f"{name}: no JSON lines in the file (empty or blank)")))
        return
    try:
        data = read_bytes(path, settings)
    except InputError as exc:
        yield SourceFailure(name, str(exc))
        return
    kind = {".json": "json", ".html": "html", ".htm": "html", ".txt": "auto", ".text": "auto"}.get(suffix, "auto")
    yield article_from_bytes(data, name, meta, settings, kind=kind)


def iter_stdin(meta: Meta, settings: Settings) -> Iterator[Item]:
    """stdin: JSON lines when every non-empty line is a JSON object, else one document (read up to
    ``max_gzip_bytes``)."""
    data = sys.stdin.buffer.read(settings.max_gzip_bytes + 1)
    if len(data) > settings.max_gzip_bytes:
        yield SourceFailure("stdin", str(TooLarge(f"stdin: more than {settings.max_gzip_bytes:,} bytes; "
                                                  "give a file instead")))
        return
    lines = [line for line in data.splitlines() if line.strip()]
    if len(lines) > 1 and all(line.lstrip().startswith(b"{") and line.rstrip().endswith(b"}") for line in lines):
        yield from iter_jsonl(data, "stdin", meta, settings)
    else:
        yield article_from_bytes(data, "stdin", meta, settings)
