"""``eventwire eval``: score eventwire on a gold file."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import EvalError
from ..evaluation import TASKS, run
from .common import handle_errors, settings_from, settings_options


@click.command("eval")
@click.argument("task", type=click.Choice(sorted(TASKS)))
@click.argument("gold", type=click.Path(path_type=Path), required=False)
@click.option("--json", "as_json", is_flag=True, help="End with one JSON object of the metrics.")
@click.option("--errors", "n_errors", type=int, default=0, show_default=True, help="List N wrong items.")
@click.option("--split", type=click.Choice(["train", "test"]), default=None,
              help="news: score only the articles of this split (the test split is a holdout).")
@click.option("--texts", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="news: the folder of the shared text files (default ../shared/eval).")
@settings_options("nlp", "knowledge", "filter")
@handle_errors
def eval_cmd(task: str, gold: Path | None, as_json: bool, n_errors: int, split: str | None, texts: Path | None,
             **settings_flags: object) -> None:
    """Score eventwire on gold data (third-party dev sets, our news annotations, the coverage suite).

    GOLD is the gold file; for coverage, a file or folder of the suite (default: tests/coverage of
    the source checkout).

    Example: eventwire eval dates ../shared/eval/dates.jsonl --errors 10
    """
    settings = settings_from(settings_flags)
    if (split or texts) and task != "news":
        raise EvalError("--split and --texts apply to the news task only")
    report = run(task, gold, errors=n_errors, settings=settings, split=split, texts=texts)
    width = max((len(k) for k, _ in report.rows), default=10)
    click.echo(f"eventwire eval {task}: {gold if gold is not None else 'the bundled coverage suite'}")
    for label, value in report.rows:
        click.echo(f"  {label:<{width}}  {value}")
    for item in report.errors[:n_errors]:
        click.echo("-" * 72)
        for key, value in item.items():
            click.echo(f"  {key}: {value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)}")
    if as_json:
        click.echo(json.dumps(report.metrics, sort_keys=True))
