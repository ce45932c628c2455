"""Stage 1, ingest/clean: bytes or text in, one cleaned article out.

``load_article`` decodes bytes (detecting binary data and non-UTF-8 encodings), tells plain
text, HTML and JSON apart, extracts the main text of HTML with trafilatura (comments
excluded) and reads metadata. ``clean_text`` then removes web boilerplate (patterns in
``data/clean/boilerplate.yaml``) and normalises Unicode quotes, dashes and whitespace.
Every span in the output refers to the cleaned text.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from .errors import BinaryInput, DataFileError, EmptyInput, EncodingError, InvalidJSON, TooLarge
from .settings import DEFAULT_SETTINGS, Settings
from .yamlio import load_yaml


@dataclass
class RawArticle:
    """One article after decoding and cleaning, before NLP.

    text: the cleaned text. meta fields come from the input (JSON fields, HTML meta tags)
    or from the caller; ``source`` names where it came from (path, URL, 'stdin').
    """

    text: str
    id: str
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    source: str = "-"
    kind: str = "text"
    extra: dict[str, Any] = field(default_factory=dict)


_TRANSLATE = {
    **{ord(c): "'" for c in "\u2018\u2019\u201a\u201b\u2032\u00b4`"},
    **{ord(c): '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"},
    **{ord(c): "-" for c in "\u2010\u2011\u2012\u2212"},
    ord("\u2013"): "-",
    ord("\u2014"): " - ",
    ord("\u2015"): " - ",
    ord("\u2026"): "...",
    **{ord(c): " " for c in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\f\v"},
    **{ord(c): None for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"},
}
_HTML_START = re.compile(r"^\s*(?:<!doctype html|<html|<head|<body|<article|<div|<p[\s>]|<meta|<!--)", re.I)
_MULTISPACE = re.compile(r"[ ]{2,}")
_SPACE_BEFORE_PUNCT = re.compile(r" +([.,;:!?])")
_MANY_NEWLINES = re.compile(r"\n{3,}")


@lru_cache(maxsize=1)
def _boilerplate() -> tuple[re.Pattern[str], re.Pattern[str]]:
    path = resources.files("eventwire") / "data" / "clean" / "boilerplate.yaml"
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
        inline = re.compile("|".join(f"(?:{p})" for p in data["inline"]), re.I)
        lines = re.compile("|".join(f"(?:{p})" for p in data["lines"]), re.I)
    except (yaml.YAMLError, KeyError, TypeError, re.error) as exc:
        raise DataFileError(f"{path}: cannot read boilerplate patterns ({exc}); fix the file") from exc
    return inline, lines


def decode_bytes(data: bytes, settings: Settings = DEFAULT_SETTINGS) -> str:
    """Decode bytes to text: UTF-8 (with or without BOM) first, else the most likely encoding.

    Raises BinaryInput for binary data, EncodingError when nothing fits, TooLarge above
    ``settings.max_bytes``.
    """
    if len(data) > settings.max_bytes:
        raise TooLarge(
            f"input is {len(data):,} bytes, above the limit of {settings.max_bytes:,}; "
            "split it or raise Settings.max_bytes"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise EncodingError(f"input has a UTF-16 byte-order mark but is not valid UTF-16 ({exc.reason})") from exc
    head = data[:8192]
    if b"\x00" in head or _control_ratio(head) > 0.1:
        raise BinaryInput("input looks like binary data (NUL or control bytes), not text; give a text, HTML or JSON file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise EncodingError("cannot decode the input in any likely encoding; convert it to UTF-8")
    return str(best)


def _control_ratio(data: bytes) -> float:
    if not data:
        return 0.0
    bad = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13, 27))
    return bad / len(data)


def clean_text(text: str) -> str:
    """Remove boilerplate and normalise quotes, dashes and whitespace; keep paragraphs."""
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    inline, whole_line = _boilerplate()
    kept: list[str] = []
    for line in text.split("\n"):
        line = inline.sub(" ", line)
        line = _MULTISPACE.sub(" ", line).strip()
        line = _SPACE_BEFORE_PUNCT.sub(r"\1", line)
        if not line or whole_line.fullmatch(line):
            if kept and kept[-1] != "":
                kept.append("")
            continue
        kept.append(line)
    return _MANY_NEWLINES.sub("\n\n", "\n".join(kept)).strip()


def article_id(text: str) -> str:
    """A stable id: the first 16 hex digits of the SHA-1 of the cleaned text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def content_hash(text: str) -> str:
    """SHA-256 of the cleaned text, for idempotent storage."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def extract_html(html: str) -> tuple[str, dict[str, Any]]:
    """Main text (comments excluded) and metadata of an HTML page, with trafilatura."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html, include_comments=False, include_tables=False, with_metadata=True, favor_precision=False
        )
    except Exception as exc:  # trafilatura raises assorted lxml errors on broken markup
        raise EmptyInput(f"HTML could not be parsed ({type(exc).__name__}); no main text found") from exc
    if doc is None:
        return "", {}
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = data.get("text") or ""
    meta = {
        "title": data.get("title"),
        "published": data.get("date"),
        "outlet": data.get("sitename"),
        "url": data.get("url"),
    }
    return text, meta


def _parse_json(raw: str, name: str) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidJSON(f"{name}: malformed JSON at line {exc.lineno} column {exc.colno} ({exc.msg})") from exc
    except (ValueError, RecursionError) as exc:  # huge integer literals, very deep nesting
        raise InvalidJSON(f"{name}: JSON that cannot be read ({type(exc).__name__}: {str(exc)[:80]})") from exc


def is_article_object(obj: Any) -> bool:
    """True for a JSON object that carries an article: a non-empty 'text' or 'html' string."""
    return isinstance(obj, dict) and any(isinstance(obj.get(k), str) and obj[k].strip() for k in ("text", "html"))


def json_article_text(obj: dict[str, Any], name: str) -> tuple[str, str, dict[str, Any]]:
    """Text, kind and metadata of a JSON article object (fields text or html, title, published ...)."""
    if not isinstance(obj, dict):
        raise InvalidJSON(f"{name}: expected a JSON object with a 'text' or 'html' field, got {type(obj).__name__}")
    meta = {k: obj.get(k) for k in ("id", "title", "published", "url", "outlet")}
    meta["published"] = meta["published"] or obj.get("date")
    if isinstance(obj.get("text"), str) and obj["text"].strip():
        return obj["text"], "json", meta
    if isinstance(obj.get("html"), str) and obj["html"].strip():
        text, html_meta = extract_html(obj["html"])
        for key, value in html_meta.items():
            meta[key] = meta.get(key) or value
        return text, "json", meta
    raise InvalidJSON(f"{name}: the JSON object has no non-empty 'text' or 'html' field")


def _meta_text(value: Any) -> str | None:
    """A metadata value as a one-line string, or None (numbers become strings; objects are dropped)."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = " ".join(str(value).split())
    return text or None


def load_article(
    data: bytes | str | dict[str, Any],
    *,
    name: str = "-",
    kind: str = "auto",
    source_meta: dict[str, Any] | None = None,
    published: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    title: str | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> RawArticle:
    """Stage 1: the only place that turns bytes, text, HTML or a JSON object into an article.

    data: bytes (decoded here), a string, or an already parsed JSON article object.
    kind: "auto" (detect), "text", "html" or "json". In auto mode a text that begins with '{' is
        read as JSON only when it parses as an article object (a 'text' or 'html' field); any
        other text, including one that begins with '{' or '[', is plain text. With kind "json"
        malformed JSON is an error (InvalidJSON).
    source_meta: metadata the source gives beside the content (a feed entry, a WARC record).
    published, outlet, url, title: the caller's values (command-line flags).

    Precedence, the same for every source: the article's own metadata (JSON fields, HTML meta
    tags) wins, then ``source_meta``, then the caller's values fill what is still missing.
    ``published`` is always normalised to an ISO date (YYYY-MM-DD) or None.
    RETURNS (RawArticle): the cleaned article. Raises an InputError subclass with a one-line reason.
    """
    obj: dict[str, Any] | None = None
    raw = ""
    if isinstance(data, dict):
        obj, kind = data, "json"
    else:
        raw = decode_bytes(data, settings) if isinstance(data, bytes) else data
        if len(raw) > settings.max_chars * 4 and kind != "html":
            raise TooLarge(
                f"{name}: {len(raw):,} characters, above the limit of {settings.max_chars:,}; "
                "split the document or raise Settings.max_chars"
            )
        if not raw.strip():
            raise EmptyInput(f"{name}: the input is empty")
        stripped = raw.lstrip()
        if kind == "json":
            parsed = _parse_json(raw, name)
            if not isinstance(parsed, dict):
                raise InvalidJSON(f"{name}: expected a JSON object with a 'text' or 'html' field, "
                                  f"got {type(parsed).__name__}")
            obj = parsed
        elif kind == "auto":
            if stripped.startswith("{"):
                try:
                    parsed = json.loads(raw)
                except (ValueError, RecursionError):
                    parsed = None
                if is_article_object(parsed):
                    obj, kind = parsed, "json"
            if obj is None:
                kind = "html" if (_HTML_START.match(raw) or (stripped.startswith("<") and "</" in raw[:20000])) \
                    else "text"
    own: dict[str, Any] = {}
    if obj is not None:
        text, kind, own = json_article_text(obj, name)
    elif kind == "html":
        text, own = extract_html(raw)
        if not text.strip():
            raise EmptyInput(f"{name}: no main text found in the HTML")
    else:
        text = raw
    text = clean_text(text)
    if not text:
        raise EmptyInput(f"{name}: no text left after removing boilerplate")
    if len(text) > settings.max_chars:
        raise TooLarge(
            f"{name}: {len(text):,} characters after cleaning, above the limit of {settings.max_chars:,}; "
            "split the document or raise Settings.max_chars"
        )
    given = source_meta or {}
    flags = {"published": published, "outlet": outlet, "url": url, "title": title}

    def pick(key: str) -> str | None:
        for layer in (own, given, flags):
            value = _iso_date(layer.get(key)) if key == "published" else _meta_text(layer.get(key))
            if value:
                return value
        return None

    ident = _meta_text(own.get("id"))
    return RawArticle(
        text=text,
        id=ident or article_id(text),
        title=pick("title"),
        published=pick("published"),
        outlet=pick("outlet"),
        url=pick("url"),
        source=name,
        kind=kind,
    )


_ISO_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> str | None:
    """An ISO date (YYYY-MM-DD) from an ISO date or timestamp, or from a date written another way
    (RFC 2822 'Wed, 22 Nov 2023 10:00:00 GMT', '22 November 2023'); None when it is no date."""
    if not value or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    match = _ISO_PREFIX.match(text)
    candidate = match.group(0) if match else None
    if candidate is None and re.search(r"\b\d{4}\b", text):
        from dateutil import parser as date_parser

        try:
            candidate = date_parser.parse(text, fuzzy=False, default=_NO_DEFAULT).date().isoformat()
        except (ValueError, OverflowError, TypeError):
            return None
    if candidate is None:
        return None
    try:
        day = datetime.date.fromisoformat(candidate)
    except ValueError:
        return None
    return candidate if 1800 <= day.year <= 2100 else None


_NO_DEFAULT = datetime.datetime(2000, 1, 1)
