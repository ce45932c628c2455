"""Shared CLI helpers: error translation and shared options."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..errors import EventwireError

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Turn library errors into one line on stderr and exit code 1 (2 for usage errors)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except EventwireError as exc:
            click.echo(f"eventwire: error: {exc}", err=True)
            sys.exit(1)
        except (BrokenPipeError, KeyboardInterrupt):
            sys.exit(1)

    return wrapper  # type: ignore[return-value]
