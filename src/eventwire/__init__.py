"""eventwire: turn news into event data.

The public API: ``code`` (one text -> CodedArticle), ``ingest`` (sources -> a database),
``query`` (a database -> a DataFrame of events or stories), ``aggregate`` (-> counts per period
and group, with a DatetimeIndex), ``export`` (-> jsonl, plover, plover-jsonl, cameo, acled,
geojson, parquet), ``Filters`` (the one filter definition), ``open_store``, ``Settings`` and the
containers of the coded-article document (``CodedArticle``, ``Event``, ``Actor`` ...).

Example:
    >>> import eventwire
    >>> doc = eventwire.code("Iran denied any involvement.", published="2023-11-22")
    >>> [e.event_type for e in doc.events]
    ['REJECT']
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

from .model import (  # noqa: E402 - the version is set first: the store reads it
    Actor,
    ArticleMeta,
    Attribution,
    CodedArticle,
    DateValue,
    Event,
    Place,
    Quantity,
    SentenceSpan,
    TextSpan,
)

_CODER: Any = None


def code(text: str | bytes, published: str | None = None, outlet: str | None = None, url: str | None = None,
         title: str | None = None) -> CodedArticle:
    """Code one article (plain text, HTML or a JSON object) into a CodedArticle.

    The model and dictionaries are loaded on the first call and reused.
    """
    global _CODER
    from .pipeline import Coder

    if _CODER is None:
        _CODER = Coder()
    return _CODER.code(text, published=published, outlet=outlet, url=url, title=title)


# The library functions share their modules' names (eventwire.query is the function; import the
# module's other names with ``from eventwire.query import Filters``). Bound last, on purpose.
from .aggregate import aggregate  # noqa: E402
from .export import export  # noqa: E402
from .ingest import IngestSummary, ingest  # noqa: E402
from .query import Filters, query  # noqa: E402
from .settings import Settings  # noqa: E402
from .store import open_store  # noqa: E402

__all__ = [
    "code", "ingest", "query", "aggregate", "export", "Filters", "open_store", "Settings", "IngestSummary",
    "CodedArticle", "ArticleMeta", "Event", "Actor", "Place", "DateValue", "Quantity", "Attribution",
    "TextSpan", "SentenceSpan", "__version__",
]  # fmt: skip
