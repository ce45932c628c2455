"""Shared CLI helpers: error translation and shared options."""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..errors import EventwireError, InternalError, coded_message, one_line

F = TypeVar("F", bound=Callable[..., Any])


def error_line(exc: BaseException) -> str:
    """The one line (``[EWnnn] message``, at most 300 characters) an exception is reported as."""
    if isinstance(exc, EventwireError):
        return str(exc)
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        return coded_message("EW101", f"{where}{exc.strerror or exc}")
    detail = one_line(str(exc).splitlines()[0] if str(exc) else "", 160)
    return str(InternalError(f"internal error ({type(exc).__name__}: {detail}); please report it with the command "
                             "and its input"))


def handle_errors(func: F) -> F:
    """Turn every error into one line on stderr and exit code 1, never a traceback (click's own usage
    errors keep exit code 2)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except (BrokenPipeError, KeyboardInterrupt):
            sys.exit(1)
        except Exception as exc:  # noqa: BLE001 - any error becomes one line, not a traceback
            with contextlib.suppress(Exception):  # stderr itself may be unusable
                click.echo(f"eventwire: error: {error_line(exc)}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


# Settings flags: every flag is named after its Settings field and defaults to None ("not given"),
# so that a config file and the environment can fill it; Settings.load applies the layers.
SETTINGS_GROUPS: dict[str, tuple[str, ...]] = {
    "input": ("max_bytes", "max_chars", "max_tokens", "max_sentence_tokens", "max_token_chars", "max_json_depth",
              "max_gzip_bytes"),
    "nlp": ("model", "batch_size"),
    "knowledge": ("data_dir", "home", "gazetteer_path"),
    "filter": ("min_confidence",),
    "ingest": ("workers", "chunk_size", "follow_links", "stories", "fetch_timeout", "fetch_deadline", "fetch_max_bytes",
               "fetch_allow_hosts", "follow_symlinks", "article_timeout", "worker_max_rss_mb", "date_min", "date_max",
               "max_count"),
    "stories": ("story_window_days", "story_max_km", "story_max_period_days", "undated_lookback_days"),
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
            elif "list" in str(field.annotation):
                func = click.option(flag, name, multiple=True, default=None,
                                    help=f"{field.description} Repeat the flag for several. [setting {name}]")(func)
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
    flags = {name: (value or None) if isinstance(value, tuple) else value for name, value in flags.items()}
    return Settings.load(config, **flags)
