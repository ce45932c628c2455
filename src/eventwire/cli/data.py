"""``eventwire data``: check, locate and copy the knowledge files."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from .common import handle_errors


@click.group("data")
def data() -> None:
    """Check, locate and copy the knowledge files (actor dictionaries, patterns, word classes)."""


@data.command("check")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@handle_errors
def check(folder: Path | None) -> None:
    """Validate the bundled knowledge files, or those of FOLDER (a user's data folder).

    Prints one line per problem (file:line: what is wrong and how to fix it); exits 1 if any.

    Example: eventwire data check my-data/
    """
    from ..errors import DataFileError
    from ..resources import check as run_check
    from ..schemas.filter import check_json_files

    if folder is not None and not folder.is_dir():
        raise DataFileError(f"{folder}: no such folder")
    problems = run_check(folder) + check_json_files(folder)
    for problem in problems:
        click.echo(str(problem))
    where = folder or "the bundled data"
    click.echo(f"{len(problems)} problem(s) in {where}", err=True)
    if problems:
        sys.exit(1)


@data.command("path")
def path() -> None:
    """Print the folder of the bundled knowledge files.

    Example: eventwire data path
    """
    from ..resources import bundled_dir

    click.echo(str(bundled_dir()))


@data.command("copy")
@click.argument("dest", type=click.Path(path_type=Path))
@handle_errors
def copy(dest: Path) -> None:
    """Copy the bundled knowledge files to DEST, to edit them and use them with --data-dir DEST.

    Example: eventwire data copy my-data && eventwire code a.txt --data-dir my-data
    """
    from ..errors import DataFileError
    from ..resources import bundled_dir

    if dest.exists() and any(dest.iterdir()):
        raise DataFileError(f"{dest}: the folder is not empty; choose a new folder")
    shutil.copytree(bundled_dir(), dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    click.echo(f"copied the knowledge files to {dest}")
