"""Ingest: read sources, code new articles (in N processes or on a Dask cluster), store them.

``ingest(sources, db=...)`` is the library function behind ``eventwire ingest``. Articles
whose cleaned text is already stored (same content hash) are skipped before coding, so
running the same command twice stores nothing new, and running it again after a crash
stores exactly what is missing. Each chunk of articles is written in one transaction.
"""

from __future__ import annotations

import multiprocessing as mp
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .clean import RawArticle, content_hash
from .errors import EventwireError, InputError
from .model import CodedArticle
from .settings import Settings
from .sources import Meta, SourceFailure, estimate_count, expand_sources, iter_items


@dataclass
class IngestSummary:
    """What one ingest run did."""

    read: int = 0
    coded: int = 0
    imported: int = 0  # already coded documents stored as they are
    duplicates: int = 0
    failed: int = 0
    events: int = 0
    stories: int | None = None  # stories in the store afterwards (None: stories were not updated)
    superseded: int = 0  # stored articles replaced by a changed re-publication
    elapsed: float = 0.0
    failures: list[dict[str, Any]] = field(default_factory=list)
    words: int = 0

    @property
    def rate(self) -> float:
        """Articles read per second."""
        return self.read / self.elapsed if self.elapsed > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, with the rate."""
        data = asdict(self)
        data["rate"] = round(self.rate, 3)
        return data


# -- workers -------------------------------------------------------------------------
_CODER: Any = None


def _init_worker(settings: Settings) -> None:
    """Pool initializer: load the model once per process."""
    global _CODER
    from .pipeline import Coder

    _CODER = Coder(settings)


def _code_chunk(raws: list[RawArticle]) -> list[Any]:
    """Code one chunk in a worker process (Coder loaded once by ``_init_worker``)."""
    return list(_CODER.code_many(raws))


class _InlineResult:
    def __init__(self, value: list[Any]) -> None:
        self.value = value

    def get(self) -> list[Any]:
        return self.value


class _Backend:
    """Where chunks are coded: in this process, a process pool, or a Dask cluster."""

    def __init__(
        self, workers: int, settings: Settings, dask: str | None = None, dask_workers: int | None = None
    ) -> None:
        self.settings = settings
        self.pool: Any = None
        self.client: Any = None
        self.coder: Any = None
        self.workers = max(1, workers)
        if dask:
            from .distributed import connect

            self.client = connect(dask, n_workers=dask_workers or self.workers)
            self.inflight = 2 * max(1, len(self.client.scheduler_info().get("workers", {})) or self.workers)
        elif self.workers > 1:
            ctx = mp.get_context("spawn")
            self.pool = ctx.Pool(self.workers, initializer=_init_worker, initargs=(settings,))
            self.inflight = 2 * self.workers
        else:
            self.inflight = 1

    def _inline_coder(self) -> Any:
        if self.coder is None:
            from .pipeline import Coder

            self.coder = Coder(self.settings)
        return self.coder

    def submit(self, raws: list[RawArticle], out_parquet: str | None, part: int) -> Any:
        if self.client is not None:
            from .distributed import code_partition

            future = self.client.submit(code_partition, raws, self.settings, out_parquet, part, pure=False)
            return _DaskResult(future)
        if out_parquet:
            from .distributed import write_partition

            if self.pool is not None:
                return self.pool.apply_async(_code_and_write, (raws, out_parquet, part))
            return _InlineResult(write_partition(list(self._inline_coder().code_many(raws)), out_parquet, part))
        if self.pool is not None:
            return self.pool.apply_async(_code_chunk, (raws,))
        return _InlineResult(list(self._inline_coder().code_many(raws)))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
        if self.client is not None:
            from .distributed import close_client

            close_client(self.client)


def _code_and_write(raws: list[RawArticle], out_parquet: str, part: int) -> list[Any]:
    from .distributed import write_partition

    return write_partition(list(_CODER.code_many(raws)), out_parquet, part)


class _DaskResult:
    def __init__(self, future: Any) -> None:
        self.future = future

    def get(self) -> list[Any]:
        return self.future.result()


# -- progress ------------------------------------------------------------------------
def _progress(enabled: bool, total: int | None) -> tuple[Any, Callable[[int], None]]:
    if not enabled:
        return None, lambda n: None
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:.1f} art/s"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=False,
    )
    task = progress.add_task("ingest", total=total, rate=0.0)
    start = time.perf_counter()
    done = [0]

    def advance(n: int) -> None:
        done[0] += n
        elapsed = time.perf_counter() - start
        progress.update(task, advance=n, rate=done[0] / elapsed if elapsed > 0 else 0.0)

    return progress, advance


# -- the library function ------------------------------------------------------------
def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def ingest(
    sources: Iterable[str | Path],
    db: str | Path | None = None,
    *,
    workers: int | None = None,
    published: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    url: str | None = None,
    settings: Settings | None = None,
    chunk_size: int | None = None,
    progress: bool | None = None,
    dask: str | None = None,
    dask_workers: int | None = None,
    out_parquet: str | Path | None = None,
    stories: bool | None = None,
    follow_links: bool | None = None,
) -> IngestSummary:
    """Code and store every article of the sources; returns an IngestSummary.

    sources: files, folders (recursive), feed URLs, '-' for stdin.
    db: SQLite path or URL (default ``eventwire.db``); ignored when ``out_parquet`` is set.
    workers: processes on this machine, each loading the model once.
    dask: 'local' or a scheduler address to code on a Dask cluster.
    out_parquet: write results as Parquet partitions in this folder instead of a database.
    stories: cluster the new events into stories after storing (incrementally: only the new events
        and the stored stories they can join are read).
    settings: the run's Settings (default ``Settings.load()``); ``workers``, ``chunk_size``,
        ``stories`` and ``follow_links`` given here override its fields of the same name.
    Raises InputError for missing sources, StoreError when the database cannot be used.
    """
    from .store import open_store

    settings = settings if settings is not None else Settings.load()
    workers = settings.workers if workers is None else workers
    chunk_size = settings.chunk_size if chunk_size is None else chunk_size
    stories = settings.stories if stories is None else stories
    follow_links = settings.follow_links if follow_links is None else follow_links
    if workers < 1:
        raise InputError(f"workers must be at least 1, got {workers}")
    start = time.perf_counter()
    paths = expand_sources(sources)
    if not paths:
        raise InputError("no readable inputs found (supported: .txt .html .json .jsonl .rss .atom .xml .warc, and .gz)")
    out_dir = str(out_parquet) if out_parquet else None
    store = None if out_dir else open_store(db)
    if out_dir:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
    # a chunk is one store transaction; a few parse batches per chunk let parsing run ahead of coding
    size = chunk_size or settings.batch_size * 4
    summary = IngestSummary()
    meta = Meta(published=published, outlet=outlet, title=title, url=url)
    show = sys.stderr.isatty() if progress is None else progress
    bar, advance = _progress(show, estimate_count(paths) if show else None)
    backend = _Backend(workers, settings, dask=dask, dask_workers=dask_workers)
    seen: set[str] = set()
    part = 0
    pending: deque[tuple[Any, list[Any], list[tuple[str, str | None, str]], int]] = deque()
    new_events: list[int] = []
    retracted: list[int] = []

    def finish_one() -> None:
        result, imported, failures, n_read = pending.popleft()
        coded = result.get()
        docs: list[tuple[CodedArticle, dict[str, Any]]] = list(imported)
        for item in coded:
            if isinstance(item, CodedArticle):
                docs.append((item, {"source": None, "kind": None}))
                summary.coded += 1
            elif isinstance(item, dict) and "failure" in item:  # from a Parquet partition writer
                failures.append(tuple(item["failure"]))  # type: ignore[arg-type]
            elif isinstance(item, dict) and "coded" in item:
                summary.coded += item["coded"]
                summary.events += item["events"]
            else:
                failures.append((item.source, item.article_id, item.reason))
        if store is not None:
            written = store.write_batch(docs, failures)
            summary.events += written.events
            summary.duplicates += written.duplicates
            summary.superseded += written.superseded
            new_events.extend(written.event_pks)
            retracted.extend(written.retracted_events)
        summary.imported += len(imported)
        summary.failed += len(failures)
        summary.failures.extend({"source": s, "article_id": a, "reason": r} for s, a, r in failures)
        advance(n_read)

    try:
        if bar is not None:
            bar.start()
        for chunk in _chunks(iter_items(paths, meta, settings, follow_links=follow_links), size):
            summary.read += len(chunk)
            hashes = {id(it): content_hash(it.text) for it in chunk if not isinstance(it, SourceFailure)}
            known = store.known_hashes(hashes.values()) if store is not None else set()
            raws: list[RawArticle] = []
            imported: list[tuple[CodedArticle, dict[str, Any]]] = []
            failures: list[tuple[str, str | None, str]] = []
            for it in chunk:
                if isinstance(it, SourceFailure):
                    failures.append((it.source, it.article_id, it.reason))
                    continue
                h = hashes[id(it)]
                if h in known or h in seen:
                    summary.duplicates += 1
                    continue
                seen.add(h)
                summary.words += len(it.text.split())
                if isinstance(it, CodedArticle):
                    imported.append((it, {"source": "coded-document", "kind": "coded"}))
                else:
                    raws.append(it)
            result = backend.submit(raws, out_dir, part) if raws else _InlineResult([])
            if raws and out_dir:
                part += 1
            if out_dir and imported:
                from .distributed import write_partition

                write_partition([d for d, _ in imported], out_dir, part)
                part += 1
            pending.append((result, imported, failures, len(chunk)))
            while len(pending) > backend.inflight:
                finish_one()
        while pending:
            finish_one()
    finally:
        if bar is not None:
            bar.stop()
        backend.close()
    if store is not None:
        if stories:
            from .stories import update_stories

            summary.stories = update_stories(store, new_events, retracted, settings=settings).total
        store.close()
    summary.elapsed = time.perf_counter() - start
    return summary


__all__ = ["ingest", "IngestSummary", "EventwireError"]
