"""The CLI reference page (``docs/cli.md``), generated from every command's ``--help``.

``docs/cli.md`` holds a cog block that calls :func:`markdown`; ``make docs`` regenerates the page
and ``tests/test_docs.py`` fails when it is stale (``cog --check``).
"""

from __future__ import annotations

from collections.abc import Iterator

import click
from click.testing import CliRunner


def walk(group: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every command under ``group`` with its path of names, in name order."""
    yield path, group
    if isinstance(group, click.Group):
        for name in sorted(group.commands):
            yield from walk(group.commands[name], path + (name,))


def markdown() -> str:
    """One section per command: its ``--help`` text as the CLI prints it (100 columns)."""
    from . import main

    runner = CliRunner()
    parts = []
    for path, _command in walk(main):
        result = runner.invoke(main, [*path, "--help"], terminal_width=100, prog_name="eventwire")
        title = " ".join(("eventwire", *path))
        parts.append(f"## `{title}`\n\n```\n{result.output.rstrip()}\n```\n")
    return "\n".join(parts)
