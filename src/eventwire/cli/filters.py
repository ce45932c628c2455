"""The event filter flags, generated once from the fields of :class:`eventwire.query.Filters`.

``@filter_options`` adds one flag per Filters field (``--type`` for ``event_type``, else the field
name with dashes) and hands the command one validated ``filters`` argument; a malformed or empty
value is reported as a one-line error (exit code 1).
"""

from __future__ import annotations

import functools
from dataclasses import fields
from typing import Any

import click

from .common import handle_errors

FLAG_NAMES = {"event_type": "type"}  # CLI spelling of a field, when it differs


def filter_flags() -> list[tuple[str, str, dict[str, Any]]]:
    """(field name, flag, metadata) for every Filters field, in declaration order."""
    from ..query import Filters

    return [(f.name, "--" + FLAG_NAMES.get(f.name, f.name).replace("_", "-"), dict(f.metadata)) for f in fields(Filters)]


def filter_options(func: Any) -> Any:
    """Add the filter flags to a click command; the command receives ``filters`` (a Filters)."""
    from ..query import Filters

    specs = filter_flags()

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {}
        for name, _flag, _meta in specs:
            value = kwargs.pop("f_" + name, None)
            if value is not None and value != () and value is not False:
                values[name] = value
        return func(*args, filters=Filters.make(**values), **kwargs)

    command = handle_errors(wrapper)
    for name, flag, meta in reversed(specs):
        kind = meta.get("kind", str)
        if kind is bool:
            option = click.option(flag, "f_" + name, is_flag=True, default=False, help=meta["help"])
        else:
            option = click.option(flag, "f_" + name, multiple=meta.get("multiple", False), metavar=meta.get("metavar"),
                                  type=None if kind is str else kind, help=meta["help"])
        command = option(command)
    return command


__all__ = ["filter_options", "filter_flags"]
