"""Code on a Dask cluster: partitions of articles go to workers; each worker loads the model once.

``connect('local')`` starts a local cluster of worker processes; any other value is a
scheduler address (``tcp://host:8786``). ``code_partition`` runs on a worker and returns
the coded documents (the driver stores them), or writes them as Parquet files when an
output folder is given: ``DIR/events/part-NNNNN.parquet`` (one row per event, the columns
of ``eventwire export --format parquet``) and ``DIR/articles/part-NNNNN.parquet`` (one row
per article with its full coded-article document).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .clean import RawArticle, content_hash
from .errors import StoreError
from .model import CodedArticle
from .settings import Settings

_WORKER_CODERS: dict[str, Any] = {}


def connect(scheduler: str, n_workers: int = 2, timeout: str = "10s") -> Any:
    """A dask.distributed Client: a local cluster of ``n_workers`` processes, or a remote scheduler."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - dask is a dependency
        raise StoreError("dask[distributed] is not installed; run 'make setup'") from exc
    try:
        if scheduler == "local":
            cluster = LocalCluster(
                n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
            )
            return Client(cluster)
        return Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        raise StoreError(f"cannot reach the Dask scheduler {scheduler!r} ({exc}); start it or use the local cluster ('local')") from exc


def close_client(client: Any) -> None:
    """Close a client, and its local cluster when it started one."""
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


def _coder(settings: Settings) -> Any:
    key = settings.model_dump_json()
    if key not in _WORKER_CODERS:
        from .pipeline import Coder

        _WORKER_CODERS[key] = Coder(settings)
    return _WORKER_CODERS[key]


def code_partition(raws: list[RawArticle], settings: Settings, out_parquet: str | None = None, part: int = 0) -> list[Any]:
    """Run on a worker: code one partition; return documents/failures, or write Parquet and return counts."""
    results = list(_coder(settings).code_many(raws))
    if out_parquet:
        return write_partition(results, out_parquet, part)
    return results


def write_partition(results: list[Any], out_dir: str, part: int) -> list[dict[str, Any]]:
    """Write coded documents as Parquet partition ``part``; return ``[{"coded", "events"}, {"failure"}...]``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .export import arrow_schema, event_rows

    docs = [r for r in results if isinstance(r, CodedArticle)]
    out: list[dict[str, Any]] = [{"coded": len(docs), "events": sum(len(d.events) for d in docs)}]
    out.extend({"failure": (r.source, r.article_id, r.reason)} for r in results if not isinstance(r, CodedArticle))
    base = Path(out_dir)
    (base / "events").mkdir(parents=True, exist_ok=True)
    (base / "articles").mkdir(parents=True, exist_ok=True)
    rows = [row for d in docs for row in event_rows(d)]
    table = pa.Table.from_pylist(rows, schema=arrow_schema())
    pq.write_table(table, base / "events" / f"part-{part:05d}.parquet")
    arts = [
        {
            "article_id": d.article.id, "content_hash": content_hash(d.text), "published": d.article.published,
            "outlet": d.article.outlet, "url": d.article.url, "title": d.article.title, "n_events": len(d.events),
            "document": json.dumps(d.to_dict(), ensure_ascii=False, sort_keys=True),
        }
        for d in docs
    ]  # fmt: skip
    pq.write_table(pa.Table.from_pylist(arts, schema=_article_schema()), base / "articles" / f"part-{part:05d}.parquet")
    return out


def _article_schema() -> Any:
    import pyarrow as pa

    return pa.schema([
        ("article_id", pa.string()), ("content_hash", pa.string()), ("published", pa.string()),
        ("outlet", pa.string()), ("url", pa.string()), ("title", pa.string()), ("n_events", pa.int64()),
        ("document", pa.string()),
    ])  # fmt: skip


def read_parquet_events(out_dir: str | Path) -> Any:
    """All event rows of a Parquet output folder as a pandas DataFrame."""
    import pandas as pd

    files = sorted((Path(out_dir) / "events").glob("part-*.parquet"))
    if not files:
        return pd.DataFrame()
    return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)


__all__ = ["connect", "close_client", "code_partition", "write_partition", "read_parquet_events"]
