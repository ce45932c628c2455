"""``eventwire patterns``: what the event patterns cover."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .common import handle_errors, settings_from, settings_options

# the crosswalk is a reference file of the PLOVER project, not shipped with eventwire
DEFAULT_CROSSWALK = Path("..") / "shared" / "reference" / "CAMEO2PLOVER-2021.txt"


@click.group("patterns")
def patterns() -> None:
    """Inspect the event patterns (data/patterns/)."""


@patterns.command("coverage")
@click.option("--crosswalk", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_CROSSWALK,
              show_default=True, help="The CAMEO-to-PLOVER crosswalk (CAMEO2PLOVER-2021.txt of the PLOVER project).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@settings_options("knowledge")
@handle_errors
def coverage(crosswalk: Path, as_json: bool, **settings_flags: object) -> None:
    """Per PLOVER type: how many crosswalk CAMEO codes a pattern carries, and those none does.

    Example: eventwire patterns coverage --crosswalk ../shared/reference/CAMEO2PLOVER-2021.txt --json
    """
    from ..events.coverage import coverage as measure
    from ..events.coverage import read_crosswalk
    from ..events.patterns import load_patterns
    from ..resources import Resources

    settings = settings_from(settings_flags)
    report = measure(read_crosswalk(crosswalk), load_patterns(Resources(settings.data_dir)))
    if as_json:
        click.echo(json.dumps(report, sort_keys=True))
        return
    click.echo(f"eventwire patterns coverage: {crosswalk}")
    click.echo(f"  CAMEO codes covered  {report['cameo_codes_covered']}/{report['cameo_codes_total']}")
    for etype, entry in report["per_type"].items():
        line = f"  {etype:<10} {entry['covered']:>3}/{entry['total']:<3}"
        if entry["missing"]:
            line += "  missing: " + " ".join(entry["missing"])
        click.echo(line)
        for d in entry["differs"]:
            click.echo(f"             {d['cameo']}: coded as {'/'.join(d['patterns'])} (crosswalk: {d['crosswalk']})")
