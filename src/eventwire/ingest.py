"""Ingest: read sources, code new articles (in supervised worker processes or on a Dask cluster), store them.

``ingest(sources, db=...)`` is the library function behind ``eventwire ingest``. Articles
whose cleaned text is already stored (same content hash) are skipped before coding, so
running the same command twice stores nothing new, and running it again after a crash
stores exactly what is missing. Each chunk of articles is written in one transaction.

Isolation: every input entry ends as stored, duplicate (of an article that *was* stored) or
failed with a one-line reason. Coding runs in worker processes that this process supervises: a
worker that crashes (a segfault), passes ``Settings.worker_max_rss_mb`` or spends more than
``Settings.article_timeout`` seconds on one article is killed and restarted, and the article
responsible is recorded as failed; the rest of its chunk is coded again. A chunk whose store
write fails is written again article by article, so only the bad article fails.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .clean import RawArticle, content_hash
from .errors import EventwireError, InputError, StoreError, one_line
from .model import CodedArticle
from .settings import Settings
from .sources import Meta, SourceFailure, estimate_count, expand_sources, iter_items


@dataclass
class Failure:
    """An article a coding process could not code (the pipeline's Failure, without importing spaCy here)."""

    article_id: str | None
    source: str
    reason: str


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
    restarts: int = 0  # coding workers restarted after a crash, a timeout or too much memory
    warnings: list[dict[str, Any]] = field(default_factory=list)  # values dropped, sentences skipped

    @property
    def rate(self) -> float:
        """Articles read per second."""
        return self.read / self.elapsed if self.elapsed > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, with the rate."""
        data = asdict(self)
        data["rate"] = round(self.rate, 3)
        return data


# -- workers ---------------------------------------------------------------------------
def _worker_main(conn: Any, settings: Settings) -> None:
    """A coding worker: load the Coder, then code each list of articles it receives, sending one
    result per article as soon as it is ready."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the supervisor decides when to stop
    try:
        from .pipeline import Coder

        coder = Coder(settings)
    except BaseException as exc:  # noqa: BLE001 - reported to the supervisor, which raises it
        conn.send(("error", str(exc) if isinstance(exc, EventwireError) else one_line(f"{type(exc).__name__}: {exc}")))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            raws = conn.recv()
        except (EOFError, OSError):
            return
        if raws is None:
            return
        from .store import fault_article

        fault_article(raws)
        sent = 0
        try:
            for result in coder.code_many(raws):
                if not isinstance(result, CodedArticle):  # the pipeline's Failure: sent as ours
                    result = Failure(result.article_id, result.source, result.reason)
                conn.send(result)
                sent += 1
        except Exception as exc:  # noqa: BLE001 - the rest of the chunk fails, the worker lives on
            reason = one_line(f"[EW299] internal error while coding ({type(exc).__name__}: {exc})")
            for raw in raws[sent:]:
                conn.send(Failure(raw.id, raw.source, reason))


def _rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (0 when unknown)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError):
        return 0.0


_START_TIMEOUT = 900.0  # seconds a new coding process may take to load the model


class _Worker:
    """One supervised coding process: started lazily, restarted after it dies, is killed or overruns."""

    def __init__(self, settings: Settings, summary: IngestSummary) -> None:
        self.settings = settings
        self.summary = summary
        self.proc: Any = None
        self.conn: Any = None
        self.task: list[RawArticle] | None = None
        self.peak_mb = 0.0
        self.killed: str | None = None  # why the supervisor killed it, if it did
        self.siblings: list[_Worker] = [self]  # every worker of the run, watched together

    def _start(self) -> None:
        ctx = mp.get_context("spawn")
        parent, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, self.settings), daemon=True, name="eventwire-coder")
        self.proc.start()
        child.close()
        self.conn = parent
        began = time.monotonic()
        while not parent.poll(0.2):
            if not self.proc.is_alive():
                self._stop()
                raise EventwireError("[EW203] the coding process could not start (it exited while loading the model)")
            if time.monotonic() - began > _START_TIMEOUT:
                self._stop()
                raise EventwireError(f"[EW203] the coding process did not load the model within {_START_TIMEOUT:g} s")
        try:
            message = parent.recv()
        except (EOFError, OSError) as exc:
            self._stop()
            raise EventwireError("[EW203] the coding process could not start") from exc
        if message[0] == "error":
            self._stop()
            raise EventwireError(message[1])

    def _stop(self) -> None:
        if self.proc is not None:
            if self.proc.is_alive():
                self.proc.kill()
            self.proc.join(5)
        if self.conn is not None:
            self.conn.close()
        self.proc = self.conn = None
        self.killed = None

    def close(self) -> None:
        if self.proc is not None and self.proc.is_alive():
            try:
                self.conn.send(None)
                self.proc.join(10)
            except (OSError, EOFError, ValueError):
                pass
        self._stop()

    def submit(self, raws: list[RawArticle]) -> None:
        self.task = raws
        self._send(raws)

    def _send(self, raws: list[RawArticle]) -> bool:
        """Send a task, starting the process if needed; False when the worker died on receiving it."""
        if self.proc is None or not self.proc.is_alive():
            self._stop()
            self._start()
        try:
            self.conn.send(raws)
            return True
        except (OSError, ValueError):
            return False

    def collect(self) -> list[CodedArticle | Failure]:
        """The results of the submitted task, one per article, in order; never hangs."""
        raws, self.task = self.task or [], None
        results, death = self._receive(len(raws))
        if death is None:
            return results
        rest = raws[len(results):]
        self._restart()
        if len(rest) == 1:
            return results + [self._failure(rest[0], death)]
        for raw in rest:  # who did it? each of the rest alone, each in a sound worker
            alone: list[CodedArticle | Failure] = []
            reason: str | None = "[EW203] the coding process could not take the article"
            if self._send([raw]):
                alone, reason = self._receive(1)
            if reason is not None:
                self._restart()
                alone = [self._failure(raw, reason)]
            results.extend(alone)
        return results

    def _restart(self) -> None:
        self._stop()
        self.summary.restarts += 1

    def _failure(self, raw: RawArticle, why: str) -> Failure:
        return Failure(raw.id, raw.source, one_line(f"[EW203] {why}; the article was skipped and the coder restarted"))

    def _receive(self, n: int) -> tuple[list[CodedArticle | Failure], str | None]:
        """Up to n results; (results, None) when all came, (results so far, why) when the worker died,
        overran ``article_timeout`` between two results or passed ``worker_max_rss_mb``."""
        out: list[CodedArticle | Failure] = []
        limit_s, limit_mb = self.settings.article_timeout, self.settings.worker_max_rss_mb
        last = time.monotonic()
        checked = 0.0
        while len(out) < n:
            if self.conn is None or self.proc is None:
                return out, "the coding process was not running"
            try:
                ready = self.conn.poll(0.1)
            except (OSError, EOFError, ValueError):
                ready = False
            if ready:
                try:
                    out.append(self.conn.recv())
                    last = time.monotonic()
                    continue
                except (EOFError, OSError):
                    pass
                except Exception as exc:  # noqa: BLE001 - a result that cannot be unpickled
                    return out, f"the coder's result could not be read ({type(exc).__name__})"
            now = time.monotonic()
            if not self.proc.is_alive():
                if self.killed:
                    return out, self.killed
                code = self.proc.exitcode
                name = signal.Signals(-code).name if code is not None and code < 0 else f"exit code {code}"
                return out, f"the coding process died ({name}) on this article"
            if now - last > limit_s:
                return out, f"coding took more than {limit_s:g} s (Settings.article_timeout)"
            if now - checked > 0.5:
                checked = now
                for worker in self.siblings:  # the others work meanwhile: watch their memory too
                    if worker.proc is None or worker.killed or not worker.proc.is_alive():
                        continue
                    rss = _rss_mb(worker.proc.pid)
                    worker.peak_mb = max(worker.peak_mb, rss)
                    if rss > limit_mb:
                        worker.killed = f"coding used more than {limit_mb} MB of memory (Settings.worker_max_rss_mb)"
                        worker.proc.kill()
        return out, None


class _Workers:
    """N supervised coding processes; chunks go to the next idle one."""

    def __init__(self, n: int, settings: Settings, summary: IngestSummary) -> None:
        self.workers = [_Worker(settings, summary) for _ in range(max(1, n))]
        for worker in self.workers:
            worker.siblings = self.workers
        self.inflight = len(self.workers)

    def idle(self) -> _Worker | None:
        return next((w for w in self.workers if w.task is None), None)

    def close(self) -> None:
        for w in self.workers:
            w.close()

    @property
    def peak_mb(self) -> float:
        return max(w.peak_mb for w in self.workers)


class _InlineResult:
    def __init__(self, value: list[Any]) -> None:
        self.value = value

    def get(self) -> list[Any]:
        return self.value


class _Backend:
    """Coding on a Dask cluster (``--dask``); on this machine the supervised ``_Workers`` code."""

    def __init__(self, workers: int, settings: Settings, dask: str, dask_workers: int | None = None) -> None:
        from .distributed import connect

        self.settings = settings
        self.workers = max(1, workers)
        self.client = connect(dask, n_workers=dask_workers or self.workers)
        self.inflight = 2 * max(1, len(self.client.scheduler_info().get("workers", {})) or self.workers)

    def submit(self, raws: list[RawArticle], out_parquet: str | None, part: int) -> Any:
        from .distributed import code_partition

        future = self.client.submit(code_partition, raws, self.settings, out_parquet, part, pure=False)
        return _DaskResult(future)

    def close(self) -> None:
        from .distributed import close_client

        close_client(self.client)


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
    from .store import guard_values, open_store

    settings = settings if settings is not None else Settings.load()
    workers = settings.workers if workers is None else workers
    chunk_size = settings.chunk_size if chunk_size is None else chunk_size
    stories = settings.stories if stories is None else stories
    follow_links = settings.follow_links if follow_links is None else follow_links
    if workers < 1:
        raise InputError(f"workers must be at least 1, got {workers}")
    start = time.perf_counter()
    skipped: list[SourceFailure] = []
    sources = list(sources)
    paths = expand_sources(sources, settings, skipped)
    if not paths and not skipped:
        raise InputError("no readable inputs found (supported: .txt .html .json .jsonl .rss .atom .xml .warc, and .gz)")
    out_dir = str(out_parquet) if out_parquet else None
    store = None if out_dir else open_store(db)  # a read-only database is refused here, before any coding
    if out_dir:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
    # a chunk is one store transaction; a few parse batches per chunk let parsing run ahead of coding
    size = chunk_size or settings.batch_size * 4
    summary = IngestSummary()
    meta = Meta(published=published, outlet=outlet, title=title, url=url)
    show = sys.stderr.isatty() if progress is None else progress
    bar, advance = _progress(show, estimate_count(paths) if show else None)
    backend = _Backend(workers, settings, dask=dask, dask_workers=dask_workers) if dask else None
    pool = None if dask else _Workers(workers, settings, summary)
    stored: set[str] = set()  # content hashes stored (or written to Parquet) in this run
    inflight: set[str] = set()  # content hashes being coded
    waiting: dict[str, list[Any]] = {}  # later copies of an article being coded: duplicates only if it is stored
    requeue: deque[Any] = deque()  # a copy to code because the first one failed
    part = 0
    pending: deque[dict[str, Any]] = deque()
    new_events: list[int] = []
    retracted: list[int] = []

    def warn(source: str, article_id: str | None, messages: list[str]) -> None:
        summary.warnings.extend({"source": source, "article_id": article_id, "warning": one_line(m)} for m in messages)

    def settle(h: str, ok: bool) -> None:
        """The first copy of an article ended: stored (later copies are duplicates) or failed (code the next)."""
        inflight.discard(h)
        copies = waiting.pop(h, [])
        if ok:
            stored.add(h)
            summary.duplicates += len(copies)
        elif copies:
            requeue.append(copies[0])
            if copies[1:]:
                waiting[h] = copies[1:]

    def write(docs: list[tuple[CodedArticle, dict[str, Any]]], failures: list[tuple[str, str | None, str]]) -> set[str]:
        """Store one chunk in one transaction; if that fails, article by article. Returns the hashes not stored."""
        assert store is not None
        try:
            written = store.write_batch(docs, failures)
            summary.events += written.events
            summary.duplicates += written.duplicates
            summary.superseded += written.superseded
            new_events.extend(written.event_pks)
            retracted.extend(written.retracted_events)
            return set()
        except StoreError as exc:
            if len(docs) <= 1 and not failures:
                raise
            first_error = exc
        lost: set[str] = set()
        extra_failures: list[tuple[str, str | None, str]] = []
        for doc, extra in docs:
            try:
                written = store.write_batch([(doc, extra)], [])
                summary.events += written.events
                summary.duplicates += written.duplicates
                summary.superseded += written.superseded
                new_events.extend(written.event_pks)
                retracted.extend(written.retracted_events)
            except StoreError as exc:
                lost.add(extra["hash"])
                summary.coded -= 1
                extra_failures.append((extra["source"] or "-", doc.article.id,
                                       one_line(f"[EW301] the article could not be stored ({exc.message})")))
        try:
            store.write_batch([], failures + extra_failures)
        except StoreError:
            raise first_error from None
        failures.extend(extra_failures)
        return lost

    def finish_one() -> None:
        task = pending.popleft()
        raws: list[RawArticle] = task["raws"]
        coded = task["worker"].collect() if task["worker"] is not None else task["result"].get()
        failures: list[tuple[str, str | None, str]] = task["failures"]
        docs: list[tuple[CodedArticle, dict[str, Any]]] = []
        outcome: dict[str, bool] = {}
        if task["worker"] is None and out_dir:  # Dask wrote the Parquet partition itself
            for item in coded:
                if isinstance(item, dict) and "failure" in item:
                    failures.append(tuple(item["failure"]))  # type: ignore[arg-type]
                elif isinstance(item, dict) and "coded" in item:
                    summary.coded += item["coded"]
                    summary.events += item["events"]
            failed_ids = {f[1] for f in failures}
            outcome.update({h: raw.id not in failed_ids for raw, h in zip(raws, task["hashes"], strict=True)})
        else:
            for raw, h, item in zip(raws, task["hashes"], coded, strict=True):
                if isinstance(item, CodedArticle):
                    try:
                        warn(raw.source, raw.id, guard_values(item, settings))
                        docs.append((item, {"source": raw.source, "kind": raw.kind, "hash": h}))
                        summary.coded += 1
                        outcome[h] = True
                    except Exception as exc:  # noqa: BLE001 - one bad article never stops a batch
                        failures.append((raw.source, raw.id, one_line(f"[EW299] internal error ({type(exc).__name__}: {exc})")))
                        outcome[h] = False
                else:
                    failures.append((item.source, item.article_id, one_line(item.reason)))
                    outcome[h] = False
        imported = task["imported"]
        for _doc, extra in imported:
            outcome[extra["hash"]] = True
        all_docs = docs + imported
        if store is not None:
            for h in write(all_docs, failures):
                outcome[h] = False
        elif out_dir and task["worker"] is not None:
            from .distributed import write_partition

            if all_docs:
                written = write_partition([d for d, _ in all_docs], out_dir, task["part"])
                summary.events += sum(w.get("events", 0) for w in written)
        for h, ok in outcome.items():
            settle(h, ok)
        summary.imported += len(imported)
        summary.failed += len(failures)
        summary.failures.extend({"source": s, "article_id": a, "reason": r} for s, a, r in failures)
        advance(task["n_read"])

    def next_chunk(source: Iterator[Any]) -> list[tuple[Any, bool]]:
        chunk: list[tuple[Any, bool]] = []
        while len(chunk) < size:
            if requeue:
                chunk.append((requeue.popleft(), False))
                continue
            try:
                chunk.append((next(source), True))
            except StopIteration:
                break
        return chunk

    def read_item(it: Any, failures: list[tuple[str, str | None, str]]) -> tuple[str, Any] | None:
        """The hash of an item to code or import, or None when it failed, is a duplicate or must wait."""
        try:
            if isinstance(it, SourceFailure):
                failures.append((it.source, it.article_id, one_line(it.reason)))
                return None
            h = content_hash(it.text)
        except Exception as exc:  # noqa: BLE001 - one bad article never stops a batch
            failures.append((one_line(getattr(it, "source", None) or getattr(it, "_source", "-"), 2000), None,
                             one_line(f"[EW101] the article cannot be read ({type(exc).__name__}: {exc})")))
            return None
        if h in stored or h in known:
            summary.duplicates += 1
            return None
        if h in inflight:
            waiting.setdefault(h, []).append(it)
            return None
        inflight.add(h)
        return h, it

    items = iter(iter_items(sources, meta, settings, follow_links=follow_links))
    known: set[str] = set()
    try:
        if bar is not None:
            bar.start()
        while True:
            chunk = next_chunk(items)
            if not chunk:
                if pending:
                    finish_one()
                    continue
                if requeue:
                    continue
                break
            summary.read += sum(1 for _, new in chunk if new)
            texts = [it.text for it, _ in chunk if isinstance(it, (RawArticle, CodedArticle))]
            try:
                known = store.known_hashes(content_hash(t) for t in texts if isinstance(t, str)) if store else set()
            except (UnicodeError, TypeError):
                known = set()
            raws: list[RawArticle] = []
            hashes: list[str] = []
            imported: list[tuple[CodedArticle, dict[str, Any]]] = []
            failures: list[tuple[str, str | None, str]] = []
            for it, _ in chunk:
                picked = read_item(it, failures)
                if picked is None:
                    continue
                h, it = picked
                summary.words += len(it.text.split())
                if isinstance(it, CodedArticle):
                    source = getattr(it, "_source", None) or "coded-document"
                    try:
                        warn(source, it.article.id, guard_values(it, settings))
                        imported.append((it, {"source": source, "kind": "coded", "hash": h}))
                    except Exception as exc:  # noqa: BLE001
                        failures.append((source, None, one_line(f"[EW299] internal error ({type(exc).__name__}: {exc})")))
                        settle(h, False)
                else:
                    if it.extra.get("warnings"):
                        warn(it.source, it.id, it.extra["warnings"])
                    raws.append(it)
                    hashes.append(h)
            task: dict[str, Any] = {"raws": raws, "hashes": hashes, "imported": imported, "failures": failures,
                                    "n_read": len(chunk), "worker": None, "result": _InlineResult([]), "part": part}
            if raws or (out_dir and imported):
                part += 1
            if raws and pool is not None:
                worker = pool.idle()
                while worker is None:
                    finish_one()
                    worker = pool.idle()
                worker.submit(raws)
                task["worker"] = worker
            elif raws and backend is not None:
                task["result"] = backend.submit(raws, out_dir, task["part"])
            if backend is not None and out_dir and imported:
                from .distributed import write_partition

                write_partition([d for d, _ in imported], out_dir, part)
                part += 1
            pending.append(task)
            while len(pending) > (pool.inflight if pool is not None else backend.inflight):  # type: ignore[union-attr]
                finish_one()
    finally:
        if bar is not None:
            bar.stop()
        if backend is not None:
            backend.close()
        if pool is not None:
            pool.close()
    if store is not None:
        if stories:
            from .stories import update_stories

            summary.stories = update_stories(store, new_events, retracted, settings=settings).total
        store.close()
    summary.elapsed = time.perf_counter() - start
    return summary


__all__ = ["ingest", "IngestSummary", "EventwireError"]
