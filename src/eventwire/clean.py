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
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from .errors import BinaryInput, DataFileError, EmptyInput, EncodingError, InvalidJSON, TooLarge, safe_text
from .model import RawArticle
from .settings import DEFAULT_SETTINGS, Settings
from .yamlio import load_yaml

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
# invisible characters: C0/C1 controls other than line breaks and tabs, format characters (Cf), the
# Mongolian vowel separator; next-line and line/paragraph separators become newlines
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\u0600-\u0605\u061c\u06dd\u070f\U000e0001\U000e0020-\U000e007f]"
)
_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")
_TOKEN = re.compile(r"[^\W_]+|[^\w\s]|_+|\n")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
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


_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)


def decode_bytes(data: bytes, settings: Settings = DEFAULT_SETTINGS) -> str:
    """Decode bytes to text: by the byte-order mark (UTF-8/16/32), else UTF-16 without a BOM when the
    NUL pattern shows it, else UTF-8, else the most likely encoding. NUL characters are removed.

    Raises BinaryInput for binary data, EncodingError when nothing fits, TooLarge above
    ``settings.max_bytes``.
    """
    if len(data) > settings.max_bytes:
        raise TooLarge(
            f"input is {len(data):,} bytes, above the limit of {settings.max_bytes:,}; "
            "split it or raise Settings.max_bytes"
        )
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _drop_nul(data[len(bom):].decode(codec))
            except UnicodeDecodeError as exc:
                raise EncodingError(f"input has a {codec.upper()} byte-order mark but is not valid "
                                    f"{codec.upper()} ({exc.reason})") from exc
    head = data[:8192]
    utf16 = _bomless_utf16(head)
    if utf16 is not None:
        try:
            return _drop_nul(data.decode(utf16))
        except UnicodeDecodeError:
            pass
    if b"\x00" in head or _control_ratio(head) > 0.1:
        raise BinaryInput("input looks like binary data (NUL or control bytes), not text; give a text, HTML or JSON file")
    try:
        return _drop_nul(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise EncodingError("cannot decode the input in any likely encoding; convert it to UTF-8")
    return _drop_nul(str(best))


def _drop_nul(text: str) -> str:
    return text.replace("\x00", "") if "\x00" in text else text


def _bomless_utf16(head: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the bytes look like mostly-ASCII UTF-16 without a BOM
    (NUL in nearly every other byte, on one side only); else None."""
    n = len(head) - len(head) % 2
    if n < 4:
        return None
    even, odd = head[0:n:2], head[1:n:2]
    half = n // 2
    nul_even, nul_odd = even.count(0), odd.count(0)
    if nul_odd >= 0.6 * half and nul_even <= 0.05 * half:
        return "utf-16-le"
    if nul_even >= 0.6 * half and nul_odd <= 0.05 * half:
        return "utf-16-be"
    return None


def _control_ratio(data: bytes) -> float:
    if not data:
        return 0.0
    bad = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13, 27))
    return bad / len(data)


def clean_text(text: str) -> str:
    """Remove boilerplate and invisible characters, normalise quotes, dashes and whitespace; keep paragraphs."""
    text = _LINE_BREAKS.sub("\n", _INVISIBLE.sub("", safe_text(text)))
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


def parse_json(raw: str | bytes, name: str, settings: Settings = DEFAULT_SETTINGS) -> Any:
    """Parse one JSON document; InvalidJSON (one line) for anything that cannot be read: malformed
    JSON, huge integer literals, lone surrogate escapes, nesting deeper than ``settings.max_json_depth``."""
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidJSON(f"{name}: malformed JSON at line {exc.lineno} column {exc.colno} ({exc.msg})") from exc
    except (ValueError, RecursionError, TypeError) as exc:  # huge integer literals, very deep nesting, bad bytes
        raise InvalidJSON(f"{name}: JSON that cannot be read ({type(exc).__name__}: {str(exc)[:80]})") from exc
    if isinstance(value, (dict, list)) and _json_depth(value, settings.max_json_depth) > settings.max_json_depth:
        raise InvalidJSON(f"{name}: JSON nested deeper than {settings.max_json_depth} levels; "
                          "raise Settings.max_json_depth to read it")
    return value


def _json_depth(value: Any, limit: int) -> int:
    """The nesting depth of a parsed JSON value, counted without recursion (stops past ``limit``)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return deepest
        children = node.values() if isinstance(node, dict) else node
        stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))
    return deepest


_parse_json = parse_json


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


def _meta_text(value: Any, limit: int = 2000) -> str | None:
    """A metadata value as a one-line string of at most ``limit`` characters, or None (numbers become
    strings; objects are dropped)."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    if isinstance(value, int) and value.bit_length() > 64:
        return None
    text = " ".join(_INVISIBLE.sub("", safe_text(str(value)[: 4 * limit])).split())[:limit]
    return text or None


_META_LIMITS = dict(title=1000, outlet=300, url=2000)


def _article_ident(value: Any, text: str) -> str:
    """The article's own id (at most 200 characters; a longer one keeps a prefix and gains a hash), else
    the hash of its text."""
    ident = _meta_text(value, 4000)
    if not ident:
        return article_id(text)
    if len(ident) > 200:
        ident = ident[:183] + "-" + article_id(ident)
    return ident


def check_limits(text: str, name: str, settings: Settings = DEFAULT_SETTINGS) -> tuple[str, list[str]]:
    """Bound what spaCy will see: drop words longer than ``max_token_chars``, refuse texts of more than
    ``max_tokens`` tokens, skip sentences of more than ``max_sentence_tokens`` tokens. Returns the text
    and one warning per change; raises TooLarge."""
    warnings: list[str] = []
    limit = settings.max_token_chars
    if len(text) > limit and _long_word(limit).search(text):
        text, n = _long_word(limit).subn(" ", text)
        text = clean_text(text)
        warnings.append(f"dropped {n} word(s) longer than {limit} characters (Settings.max_token_chars)")
    n_tokens = len(_TOKEN.findall(text))
    if n_tokens > settings.max_tokens:
        raise TooLarge(f"{name}: about {n_tokens:,} tokens, above the limit of {settings.max_tokens:,}; "
                       "split the document or raise Settings.max_tokens")
    longest = settings.max_sentence_tokens
    if n_tokens > longest:
        lines = text.split("\n")
        skipped = 0
        for i, line in enumerate(lines):
            if len(line) <= longest:
                continue
            parts = _SENTENCE_END.split(line)
            kept = [p for p in parts if len(p) <= longest or len(_TOKEN.findall(p)) <= longest]
            if len(kept) < len(parts):
                skipped += len(parts) - len(kept)
                lines[i] = " ".join(kept)
        if skipped:
            text = clean_text("\n".join(lines))
            warnings.append(f"skipped {skipped} sentence(s) of more than {longest} tokens "
                            "(Settings.max_sentence_tokens)")
    return text, warnings


@lru_cache(maxsize=8)
def _long_word(limit: int) -> re.Pattern[str]:
    return re.compile(rf"\S{{{limit + 1},}}")


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
            parsed = parse_json(raw, name, settings)
            if not isinstance(parsed, dict):
                raise InvalidJSON(f"{name}: expected a JSON object with a 'text' or 'html' field, "
                                  f"got {type(parsed).__name__}")
            obj = parsed
        elif kind == "auto":
            if stripped.startswith("{"):
                try:
                    parsed = parse_json(raw, name, settings)
                except InvalidJSON:
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
    if len(text) > settings.max_chars * 4:
        raise TooLarge(f"{name}: {len(text):,} characters, above the limit of {settings.max_chars:,}; "
                       "split the document or raise Settings.max_chars")
    text = clean_text(text)
    if not text:
        raise EmptyInput(f"{name}: no text left after removing boilerplate")
    if len(text) > settings.max_chars:
        raise TooLarge(
            f"{name}: {len(text):,} characters after cleaning, above the limit of {settings.max_chars:,}; "
            "split the document or raise Settings.max_chars"
        )
    text, warnings = check_limits(text, name, settings)
    if not any(c.isalnum() for c in text):
        raise EmptyInput(f"{name}: no letters or digits in the text (only punctuation, symbols or invisible "
                         "characters)")
    given = source_meta or {}
    flags = {"published": published, "outlet": outlet, "url": url, "title": title}

    def pick(key: str) -> str | None:
        for layer in (own, given, flags):
            value = _iso_date(layer.get(key), settings) if key == "published" else \
                _meta_text(layer.get(key), _META_LIMITS[key])
            if value:
                return value
        return None

    return RawArticle(
        text=text,
        id=_article_ident(own.get("id"), text),
        title=pick("title"),
        published=pick("published"),
        outlet=pick("outlet"),
        url=pick("url"),
        source=safe_text(name),
        kind=kind,
        extra={"warnings": warnings} if warnings else {},
    )


_ISO_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any, settings: Settings = DEFAULT_SETTINGS) -> str | None:
    """An ISO date (YYYY-MM-DD) from an ISO date or timestamp, or from a date written another way
    (RFC 2822 'Wed, 22 Nov 2023 10:00:00 GMT', '22 November 2023'); None when it is no date or lies
    outside ``settings.date_min`` .. ``settings.date_max``."""
    if not value or isinstance(value, (dict, list, bool)) or (isinstance(value, int) and value.bit_length() > 64):
        return None
    text = safe_text(str(value)[:200]).strip()
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
    return candidate if settings.date_min <= day.isoformat() <= settings.date_max else None


_NO_DEFAULT = datetime.datetime(2000, 1, 1)
