"""eventwire: turn news into event data.

Example:
    >>> import eventwire
    >>> doc = eventwire.code("Iran denied any involvement.", published="2023-11-22")
    >>> [e.event_type for e in doc.events]
    ['REJECT']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .model import CodedArticle

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


__all__ = ["code", "__version__"]
