"""The ``eventwire`` command line: one thin command per library function.

Each command module defines its click commands; they are registered here, in one table.
"""

from __future__ import annotations

import click

from .. import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="eventwire")
def main() -> None:
    """eventwire: turn news into event data (PLOVER, CAMEO, ACLED).

    Example: eventwire code article.txt --published 2023-11-22
    """


def _register() -> None:
    from . import code, evaluate, gazetteer
    from . import data as data_cli

    main.add_command(code.code)
    main.add_command(code.explain)
    main.add_command(gazetteer.gazetteer)
    main.add_command(data_cli.data)
    main.add_command(evaluate.eval_cmd)
    from . import aggregate as aggregate_cli
    from . import export as export_cli
    from . import ingest as ingest_cli
    from . import query as query_cli

    main.add_command(ingest_cli.ingest)
    main.add_command(query_cli.query)
    main.add_command(aggregate_cli.aggregate)
    main.add_command(export_cli.export)
    from . import patterns as patterns_cli
    from . import serve as serve_cli
    from . import stories as stories_cli

    main.add_command(stories_cli.stories)
    main.add_command(patterns_cli.patterns)
    main.add_command(serve_cli.serve)


_register()
