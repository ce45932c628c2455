"""Files: .txt, .html, .json, .jsonl (one article or coded document per line), and .gz variants."""

from __future__ import annotations

import gzip
import json
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..clean import decode_bytes, load_article
from ..errors import InputError, InvalidJSON
from ..model import CodedArticle
from ..settings import Settings
from . import Item, Meta, SourceFailure, _base_suffix


def read_bytes(path: Path) -> bytes:
    """The bytes of a file, decompressed when it ends in .gz; InputError when unreadable."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    if path.name.lower().endswith(".gz") or data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(f"{path}: not a valid gzip file ({exc}); decompress or re-create it") from exc
    return data


def flags_of(meta: Meta) -> dict[str, str | None]:
    """The caller's metadata values as load_article keyword arguments."""
    return {"published": meta.published, "outlet": meta.outlet, "title": meta.title, "url": meta.url}


def is_coded_document(obj: Any) -> bool:
    """True for an already coded-article document (as exported by ``--format jsonl``)."""
    return isinstance(obj, dict) and isinstance(obj.get("article"), dict) and "text" in obj and "events" in obj


def article_from_object(obj: Any, name: str, meta: Meta, settings: Settings) -> Item:
    """One JSON object -> RawArticle, CodedArticle (already coded) or SourceFailure."""
    try:
        if is_coded_document(obj):
            try:
                return CodedArticle.from_dict(obj)
            except ValueError as exc:
                first = str(exc).splitlines()[0]
                raise InvalidJSON(f"{name}: not a valid coded-article document ({first})") from exc
        if not isinstance(obj, dict):
            raise InvalidJSON(f"{name}: expected a JSON object with a 'text' or 'html' field, got {type(obj).__name__}")
        return load_article(obj, name=name, settings=settings, **flags_of(meta))
    except InputError as exc:
        return SourceFailure(name, str(exc), str(obj.get("id")) if isinstance(obj, dict) and obj.get("id") else None)


def article_from_bytes(data: bytes | str, name: str, meta: Meta, settings: Settings, kind: str = "auto") -> Item:
    """One document (text, HTML or JSON) -> RawArticle, CodedArticle or SourceFailure.

    A JSON document that is an already coded article is read back as such; everything else goes
    through ``load_article`` (stage 1), which decides text, HTML or JSON.
    """
    try:
        raw = decode_bytes(data, settings) if isinstance(data, bytes) else data
        if kind in ("json", "auto") and raw.lstrip().startswith("{"):
            try:
                obj = json.loads(raw)
            except (ValueError, RecursionError):
                obj = None
            if is_coded_document(obj):
                return article_from_object(obj, name, meta, settings)
        return load_article(raw, name=name, kind=kind, settings=settings, **flags_of(meta))
    except InputError as exc:
        return SourceFailure(name, str(exc))


def iter_jsonl(data: bytes, name: str, meta: Meta, settings: Settings) -> Iterator[Item]:
    """One item per non-empty line of a JSON-lines document."""
    for lineno, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield SourceFailure(where, str(InvalidJSON(f"{where}: malformed JSON line ({exc})")))
            continue
        yield article_from_object(obj, where, meta, settings)


def iter_file(path: Path, meta: Meta, settings: Settings) -> Iterator[Item]:
    """Items of one file: many for .jsonl, one otherwise."""
    name = str(path)
    try:
        data = read_bytes(path)
    except InputError as exc:
        yield SourceFailure(name, str(exc))
        return
    suffix = _base_suffix(path)
    if suffix in (".jsonl", ".ndjson"):
        yield from iter_jsonl(data, name, meta, settings)
        return
    kind = {".json": "json", ".html": "html", ".htm": "html", ".txt": "auto", ".text": "auto"}.get(suffix, "auto")
    yield article_from_bytes(data, name, meta, settings, kind=kind)


def iter_stdin(meta: Meta, settings: Settings) -> Iterator[Item]:
    """stdin: JSON lines when every non-empty line is a JSON object, else one document."""
    data = sys.stdin.buffer.read()
    lines = [line for line in data.splitlines() if line.strip()]
    if len(lines) > 1 and all(line.lstrip().startswith(b"{") and line.rstrip().endswith(b"}") for line in lines):
        yield from iter_jsonl(data, "stdin", meta, settings)
    else:
        yield article_from_bytes(data, "stdin", meta, settings)
