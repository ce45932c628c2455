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


# Settings flags: every flag is named after its Settings field and defaults to None ("not given"),
# so that a config file and the environment can fill it; Settings.load applies the layers.
SETTINGS_GROUPS: dict[str, tuple[str, ...]] = {
    "input": ("max_bytes", "max_chars"),
    "nlp": ("model", "batch_size"),
    "knowledge": ("data_dir", "home", "gazetteer_path"),
    "filter": ("min_confidence",),
    "ingest": ("workers", "chunk_size", "follow_links", "stories", "fetch_timeout", "undated_lookback_days"),
}


def settings_options(*groups: str) -> Callable[[F], F]:
    """Add ``--config`` and one flag per Settings field of the named groups to a command."""
    from ..settings import Settings

    names = [n for g in groups for n in SETTINGS_GROUPS[g]]

    def decorate(func: F) -> F:
        for name in reversed(names):
            field = Settings.model_fields[name]
            flag = "--" + name.replace("_", "-")
            help_text = f"{field.description} [setting {name}; default {field.default!r}]"
            if field.annotation is bool:
                func = click.option(f"{flag}/--no-{name.replace('_', '-')}", name, default=None,
                                    help=help_text)(func)
            else:
                kind = {int: int, float: float}.get(field.annotation)  # type: ignore[call-overload]
                if kind is None and "int" in str(field.annotation):
                    kind = int
                if kind is None and "float" in str(field.annotation):
                    kind = float
                func = click.option(flag, name, type=kind, default=None, help=help_text)(func)
        func = click.option("--config", "config", type=click.Path(dir_okay=False), default=None,
                            help="A YAML file of settings (default $EVENTWIRE_CONFIG).")(func)
        return func

    return decorate


def settings_from(kwargs: dict[str, Any]) -> Any:
    """Pop the settings flags of a command's keyword arguments and build the one Settings object."""
    from ..settings import Settings

    config = kwargs.pop("config", None)
    flags = {name: kwargs.pop(name) for name in list(kwargs) if name in Settings.model_fields}
    return Settings.load(config, **flags)
