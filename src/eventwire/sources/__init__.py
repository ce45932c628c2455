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

import errno
import os
import stat
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


def expand_sources(
    sources: Iterable[str | Path],
    settings: Settings = DEFAULT_SETTINGS,
    failures: list[SourceFailure] | None = None,
) -> list[str]:
    """Files under folders (recursively, sorted), URLs and ``-`` as given; raise InputError for missing paths.

    Inside a folder, symbolic links that leave the folder are not followed (unless
    ``settings.follow_symlinks``); they, broken links, link loops, FIFOs, devices and unreadable
    sub-folders are appended to ``failures`` (when given) with the reason, never read.
    """
    out: list[str] = []
    skipped: list[SourceFailure] = [] if failures is None else failures
    for src in sources:
        text = str(src)
        if text == "-" or text.startswith(("http://", "https://")):
            out.append(text)
            continue
        path = Path(text)
        if path.is_dir():
            out.extend(_walk(path, settings, skipped))
        elif path.is_file():
            out.append(text)
        elif path.exists():
            skipped.append(SourceFailure(text, str(InputError(f"{text}: not a regular file (a FIFO, device or "
                                                               "socket); not read"))))
        else:
            raise InputError(f"{text}: no such file or folder; give paths to files, folders, feed URLs or '-'")
    return out


def _walk(root: Path, settings: Settings, failures: list[SourceFailure]) -> list[str]:
    """The supported files under ``root``, sorted; what is not followed or not read goes to ``failures``."""
    base = os.path.realpath(root)
    found: list[str] = []
    visited: set[str] = {base}
    stack = [str(root)]

    def skip(where: str, why: str) -> None:
        failures.append(SourceFailure(where, str(InputError(f"{where}: {why}"))))

    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listing = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            skip(folder, f"cannot read the folder ({exc.strerror or exc})")
            continue
        for entry in listing:
            where = entry.path
            try:
                if entry.is_symlink():
                    try:
                        info = os.stat(where)
                    except OSError as exc:
                        loop = exc.errno == errno.ELOOP
                        skip(where, "a symbolic link loop; not followed" if loop else "a broken symbolic link")
                        continue
                    target = os.path.realpath(where)
                    inside = target == base or target.startswith(base.rstrip(os.sep) + os.sep)
                    if not inside and not settings.follow_symlinks:
                        if stat.S_ISDIR(info.st_mode) or is_supported(Path(where)) or is_supported(Path(target)):
                            skip(where, "a symbolic link out of the folder; not followed (set follow_symlinks "
                                        "to follow it)")
                        continue
                    if stat.S_ISDIR(info.st_mode):
                        if target not in visited and not inside:
                            visited.add(target)
                            stack.append(where)
                        continue
                else:
                    info = entry.stat(follow_symlinks=False)
                    if stat.S_ISDIR(info.st_mode):
                        real = os.path.realpath(where)
                        if real not in visited:
                            visited.add(real)
                            stack.append(where)
                        continue
                if stat.S_ISREG(info.st_mode):
                    if is_supported(Path(where)):
                        found.append(where)
                else:
                    skip(where, "not a regular file (a FIFO, device or socket); not read")
            except OSError as exc:
                skip(where, f"cannot read it ({exc.strerror or exc})")
    return sorted(found)


def iter_items(
    sources: Iterable[str | Path], meta: Meta = Meta(), settings: Settings = DEFAULT_SETTINGS, *, follow_links: bool = True
) -> Iterator[Item]:
    """Yield every article (or failure) from the sources, in order; an error inside one source becomes
    that source's failure and the next source is read."""
    from .feeds import iter_feed
    from .files import iter_file, iter_stdin, unexpected
    from .warc import iter_warc

    skipped: list[SourceFailure] = []
    paths = expand_sources(sources, settings, skipped)
    yield from skipped
    for src in paths:
        try:
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
        except Exception as exc:  # noqa: BLE001 - one bad source never stops the others
            yield SourceFailure(src, unexpected(src, exc))


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
            total += _count_lines(path)
        else:
            total += 1
    return total


def _count_lines(path: Path, limit: int = 200_000_000) -> int:
    """Newlines in a (possibly gzipped) file, reading at most ``limit`` bytes; 1 when unreadable."""
    import zlib

    from .files import open_stream

    try:
        stream = open_stream(path)
    except InputError:
        return 1
    count, read, last = 0, 0, b"\n"
    try:
        while read < limit:
            block = stream.read(1 << 20)
            if not block:
                break
            read += len(block)
            count += block.count(b"\n")
            last = block[-1:]
    except (OSError, EOFError, zlib.error, InputError):
        pass
    finally:
        stream.close()
    return max(1, count + (last != b"\n"))


__all__ = ["Item", "Meta", "SourceFailure", "iter_items", "expand_sources", "estimate_count", "is_supported"]
