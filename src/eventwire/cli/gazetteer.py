"""``eventwire gazetteer``: prepare and extend the offline gazetteer."""

from __future__ import annotations

import click

from .common import handle_errors


@click.group()
def gazetteer() -> None:
    """Build and inspect the offline gazetteer."""


@gazetteer.command("prepare")
@handle_errors
def prepare() -> None:
    """Compile the bundled gazetteer index (run once by the setup command).

    Example: eventwire gazetteer prepare
    """
    click.echo("gazetteer: nothing to prepare yet")
