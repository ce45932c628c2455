"""``eventwire code`` and ``eventwire explain``: code one article."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import InputError
from .common import handle_errors, settings_from, settings_options


def _read(article: str, max_bytes: int) -> bytes:
    """The article's bytes, read (never trusted from stat) up to one byte past the limit."""
    if article == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        path = Path(article)
        if not path.exists():
            raise InputError(f"{article}: no such file")
        if path.is_dir():
            raise InputError(f"{article}: is a folder; use 'eventwire ingest' for folders")
        if not path.is_file():
            raise InputError(f"{article}: not a regular file (a FIFO or device); save it to a file first")
        try:
            with path.open("rb") as fh:
                data = fh.read(max_bytes + 1)
        except OSError as exc:
            raise InputError(f"{article}: cannot read the file ({exc.strerror or exc})") from exc
    if len(data) > max_bytes:
        raise InputError(f"{article}: more than {max_bytes:,} bytes; raise the max_bytes setting")
    return data


def article_options(func):  # noqa: ANN001, ANN201
    """The flags shared by code and explain."""
    func = click.option("--title", default=None, help="Title, when the input has none.")(func)
    func = click.option("--url", default=None, help="URL of the article, when the input has none.")(func)
    func = click.option("--outlet", default=None, help="Outlet (e.g. Reuters), when the input has none.")(func)
    func = click.option(
        "--published", default=None, metavar="YYYY-MM-DD", help="Publication date: anchors relative dates."
    )(func)
    func = settings_options("input", "nlp", "knowledge", "filter")(func)
    return click.argument("article")(func)


def _code(article: str, published, outlet, url, title, settings_flags):  # noqa: ANN001, ANN202
    from ..clean import load_article
    from ..pipeline import Coder, Failure

    settings = settings_from(settings_flags)
    if published is not None:
        _check_date(published)
    raw = load_article(
        _read(article, settings.max_bytes), name=article if article != "-" else "stdin", kind=kind_of(article),
        published=published, outlet=outlet, url=url, title=title, settings=settings,
    )
    coder = Coder(settings)
    result = next(coder.code_many([raw]))
    if isinstance(result, Failure):
        raise InputError(result.reason)
    return coder, result


def kind_of(path: str) -> str:
    """The kind a file name declares: .json/.jsonl are JSON, .html/.htm HTML, anything else is detected."""
    from ..sources import _base_suffix

    suffix = _base_suffix(Path(path)) if path != "-" else ""
    return {".json": "json", ".jsonl": "json", ".html": "html", ".htm": "html"}.get(suffix, "auto")


def _check_date(value: str) -> None:
    import datetime as dt

    try:
        dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"--published {value!r} is not a date in the form YYYY-MM-DD") from exc


@click.command("code")
@article_options
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "plover"]), default="json", show_default=True,
              help="json: the coded-article document; jsonl: one event per line; plover: PLOVER JSON records.")
@click.option("--explain", "explain_too", is_flag=True, help="Also print the explanation to standard error.")
@handle_errors
def code(article, published, outlet, url, title, fmt, explain_too, **settings_flags) -> None:  # noqa: ANN001
    """Code one article (text, HTML or JSON; '-' reads standard input) into event data.

    Example: eventwire code article.txt --published 2023-11-22 --outlet Reuters
    """
    coder, doc = _code(article, published, outlet, url, title, settings_flags)
    if fmt == "json":
        click.echo(json.dumps(doc.to_dict(), ensure_ascii=False, indent=1))
    elif fmt == "jsonl":
        for event in doc.events:
            click.echo(json.dumps(event.to_dict(), ensure_ascii=False))
    else:
        from ..export import to_plover

        for event in doc.events:
            click.echo(json.dumps(to_plover(event, doc), ensure_ascii=False))
    if explain_too and coder.last_explanation is not None:
        click.echo(render_explanation(coder.last_explanation, doc), err=True)


@click.command("explain")
@article_options
@handle_errors
def explain(article, published, outlet, url, title, **settings_flags) -> None:  # noqa: ANN001
    """Show, per sentence, the actors found, the triggers matched, the rule behind each event and why
    candidates were dropped.

    Example: eventwire explain article.txt --published 2023-11-22
    """
    coder, doc = _code(article, published, outlet, url, title, settings_flags)
    assert coder.last_explanation is not None
    click.echo(render_explanation(coder.last_explanation, doc))


def render_explanation(explanation, doc) -> str:  # noqa: ANN001
    """Plain text, one block per sentence; events are marked '+', dropped candidates '-', events the
    filter left out (confidence under the threshold) '~' with their strongest features."""
    lines: list[str] = []
    events_by_sentence: dict[int, list] = {}
    for event in doc.events:
        events_by_sentence.setdefault(event.sentence.index, []).append(event)
    for sent in explanation.sentences:
        lines.append(f"[{sent['index']}] {sent['text']}")
        if sent["actors"]:
            lines.append("    actors:   " + "; ".join(sent["actors"]))
        for item in sent["triggers"]:
            if item["status"] == "coded":
                lines.append(
                    f"    + {item['trigger']!r} {item['event_type']}"
                    + (f"/{item['mode']}" if item.get("mode") else "")
                    + f" [{item['modality']}]  {','.join(map(str, item['source'])) or '-'} -> "
                    f"{','.join(map(str, item['target'])) or '-'}   rule {item['rule']}"
                )
            elif item["status"] == "filtered":
                top = ", ".join(f"{name} {weight:+.2f}" for name, weight in item.get("features", []))
                lines.append(
                    f"    ~ {item['trigger']!r} {item['event_type']} rule {item['rule']}: left out, confidence "
                    f"{item['confidence']:.2f} < {item['threshold']:.2f}" + (f" ({top})" if top else "")
                )
            else:
                lines.append(f"    - {item['trigger']!r} rule {item['rule']}: {item['reason']}")
        for event in events_by_sentence.get(sent["index"], []):
            extras = []
            if event.confidence is not None:
                extras.append(f"confidence {event.confidence:.2f}")
            if event.background:
                extras.append("background")
            if event.date:
                extras.append(f"date {event.date.value} ({event.date.precision}{', publication date' if event.date.text is None else ''})")
            if event.locations:
                extras.append("where " + ", ".join(pl.name or pl.text for pl in event.locations))
            if event.quantities:
                extras.append("count " + ", ".join(q.text for q in event.quantities))
            if event.attribution:
                extras.append(f"says {event.attribution.name}")
            if extras:
                lines.append(f"      {event.event_type} {event.trigger.text!r}: " + "; ".join(extras))
    return "\n".join(lines)
