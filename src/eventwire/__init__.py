"""eventwire: turn news into event data.

The public API: ``code`` (one text -> CodedArticle), ``ingest`` (sources -> a database),
``query`` (a database -> a DataFrame of events or stories), ``aggregate`` (-> counts per period
and group, with a DatetimeIndex), ``export`` (-> jsonl, plover, plover-jsonl, cameo, acled,
geojson, parquet), ``Filters`` (the one filter definition), ``open_store``, ``Settings`` and the
containers of the coded-article document (``CodedArticle``, ``Event``, ``Actor`` ...).

The names are loaded on first use (PEP 562), so ``import eventwire`` and ``eventwire --help``
stay fast; ``from eventwire import query`` works as usual.

Example:
    >>> import eventwire
    >>> doc = eventwire.code("Iran denied any involvement.", published="2023-11-22")
    >>> [e.event_type for e in doc.events]
    ['REJECT']
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> the module that defines it (imported on first use)
_LAZY: dict[str, str] = {
    "ingest": ".ingest", "IngestSummary": ".ingest", "query": ".query", "Filters": ".query",
    "aggregate": ".aggregate", "export": ".export", "open_store": ".store", "Settings": ".settings",
    **dict.fromkeys(("CodedArticle", "ArticleMeta", "Event", "Actor", "Place", "DateValue", "Quantity",
                     "Attribution", "TextSpan", "SentenceSpan"), ".model"),
}  # fmt: skip
# The library functions share their modules' names: eventwire.query is the function (import the
# module's other names with ``from eventwire.query import Filters``).
_FUNCTIONS = frozenset({"ingest", "query", "aggregate", "export"})

if TYPE_CHECKING:
    from .aggregate import aggregate
    from .export import export
    from .ingest import IngestSummary, ingest
    from .model import (
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
    from .query import Filters, query
    from .settings import Settings
    from .store import open_store

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


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first use (PEP 562)."""
    where = _LAZY.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(where, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


class _Package(types.ModuleType):
    """The package module: importing the submodule ``eventwire.query`` leaves ``eventwire.query`` the
    function (the import system would otherwise bind the submodule over the name)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _FUNCTIONS and isinstance(value, types.ModuleType):
            return  # the submodule stays in sys.modules; the name is loaded as the function
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = [
    "code", "ingest", "query", "aggregate", "export", "Filters", "open_store", "Settings", "IngestSummary",
    "CodedArticle", "ArticleMeta", "Event", "Actor", "Place", "DateValue", "Quantity", "Attribution",
    "TextSpan", "SentenceSpan", "__version__",
]  # fmt: skip
