"""Readers that turn ingest sources into a stream of articles.

``iter_items(sources)`` accepts paths (files or folders, read recursively), ``-`` for
stdin, and http(s) URLs of RSS/Atom feeds. It yields, in a stable order:

- ``RawArticle``: an article to code (from .txt/.html/.json/.jsonl and their .gz
  variants, feeds, and WARC HTML responses);
- ``CodedArticle``: an already coded document (a JSON line with ``article``, ``text`` and
  ``events``, as written by ``eventwire export --format jsonl``), stored as is;
- ``SourceFailure``: an input that could not be read, with a one-line reason.

Metadata (published, outlet, title, url) comes from the source where present, else from
the flags given in ``Meta``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..clean import RawArticle
from ..errors import InputError
from ..model import CodedArticle
from ..settings import DEFAULT_SETTINGS, Settings


@dataclass
class SourceFailure:
    """An input that could not be read or cleaned, with a one-line coded reason."""

    source: str
    reason: str
    article_id: str | None = None


@dataclass(frozen=True)
class Meta:
    """Metadata flags that fill what the source itself lacks."""

    published: str | None = None
    outlet: str | None = None
    title: str | None = None
    url: str | None = None


Item = RawArticle | CodedArticle | SourceFailure

ARTICLE_SUFFIXES = (".txt", ".text", ".html", ".htm", ".json", ".jsonl", ".ndjson")
FEED_SUFFIXES = (".rss", ".atom", ".xml")
WARC_SUFFIXES = (".warc", ".arc")


def _base_suffix(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return Path(name).suffix


def is_supported(path: Path) -> bool:
    """True when ``path`` has a suffix ingest reads (optionally .gz-compressed)."""
    return _base_suffix(path) in ARTICLE_SUFFIXES + FEED_SUFFIXES + WARC_SUFFIXES


def expand_sources(sources: Iterable[str | Path]) -> list[str]:
    """Files under folders (recursively, sorted), URLs and ``-`` as given; raise InputError for missing paths."""
    out: list[str] = []
    for src in sources:
        text = str(src)
        if text == "-" or text.startswith(("http://", "https://")):
            out.append(text)
            continue
        path = Path(text)
        if path.is_dir():
            out.extend(str(p) for p in sorted(path.rglob("*")) if p.is_file() and is_supported(p))
        elif path.is_file():
            out.append(text)
        else:
            raise InputError(f"{text}: no such file or folder; give paths to files, folders, feed URLs or '-'")
    return out


def iter_items(
    sources: Iterable[str | Path], meta: Meta = Meta(), settings: Settings = DEFAULT_SETTINGS, *, follow_links: bool = True
) -> Iterator[Item]:
    """Yield every article (or failure) from the sources, in order."""
    from .feeds import iter_feed
    from .files import iter_file, iter_stdin
    from .warc import iter_warc

    for src in expand_sources(sources):
        if src == "-":
            yield from iter_stdin(meta, settings)
        elif src.startswith(("http://", "https://")):
            yield from iter_feed(src, meta, settings, follow_links=follow_links)
        else:
            path = Path(src)
            suffix = _base_suffix(path)
            if suffix in WARC_SUFFIXES:
                yield from iter_warc(path, meta, settings)
            elif suffix in FEED_SUFFIXES:
                yield from iter_feed(src, meta, settings, follow_links=follow_links)
            else:
                yield from iter_file(path, meta, settings)


def estimate_count(sources: Iterable[str]) -> int | None:
    """A cheap estimate of how many articles the sources hold (None when unknown: feeds, WARC, stdin)."""
    total = 0
    for src in sources:
        if src == "-" or src.startswith(("http://", "https://")):
            return None
        path = Path(src)
        suffix = _base_suffix(path)
        if suffix in WARC_SUFFIXES + FEED_SUFFIXES:
            return None
        if suffix in (".jsonl", ".ndjson"):
            try:
                from .files import read_bytes

                total += sum(1 for line in read_bytes(path).splitlines() if line.strip())
            except (OSError, InputError):
                total += 1
        else:
            total += 1
    return total


__all__ = ["Item", "Meta", "SourceFailure", "iter_items", "expand_sources", "estimate_count", "is_supported"]
