"""eventwire: turn news into event data.

Example:
    >>> import eventwire
    >>> doc = eventwire.code("Iran denied any involvement.", published="2023-11-22")
    >>> [e.event_type for e in doc.events]
    ['REJECT']
"""

from __future__ import annotations

__version__ = "0.1.0"
