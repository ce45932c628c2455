"""``eventwire gazetteer``: prepare, extend and inspect the offline gazetteer."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .common import handle_errors


def _default_path(output: Path | None) -> Path:
    from ..settings import Settings

    if output is not None:
        return output
    return Settings.load().index_path()


@click.group()
def gazetteer() -> None:
    """Build and inspect the offline gazetteer."""


@gazetteer.command("prepare")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Index file to write (default: $EVENTWIRE_HOME or ~/.cache/eventwire).")
@click.option("--force", is_flag=True, help="Rebuild even if the index is up to date.")
@handle_errors
def prepare(output: Path | None, force: bool) -> None:
    """Compile the bundled gazetteer index (run once by the setup command).

    Example: eventwire gazetteer prepare
    """
    from ..gazetteer import Gazetteer, build_bundled, bundled_fingerprint

    path = _default_path(output)
    if path.exists() and not force:
        gaz = Gazetteer(path)
        current = gaz.meta.get("fingerprint") == bundled_fingerprint()
        names = len(gaz)
        gaz.close()
        if current:
            click.echo(f"gazetteer: up to date at {path} ({names:,} names)")
            return
    path, names = build_bundled(path)
    click.echo(f"gazetteer: built {path} ({names:,} names)")


@gazetteer.command("build")
@click.option("--geonames", "geonames", type=click.Path(path_type=Path), required=True,
              help="A GeoNames dump: allCountries.txt or a country file such as IQ.txt.")
@click.option("--alternate-names", type=click.Path(path_type=Path), default=None,
              help="Optional alternateNamesV2.txt (or alternateNames.txt) for more spellings.")
@click.option("--min-population", type=int, default=0, show_default=True,
              help="Skip populated places smaller than this.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Index file to write (default: geonames.sqlite next to the bundled index).")
@handle_errors
def build(geonames: Path, alternate_names: Path | None, min_population: int, output: Path | None) -> None:
    """Build an index from a full GeoNames dump, merged with the bundled data.

    Use it with Gazetteer.load(PATH) or Settings(gazetteer_path=PATH).

    Example: eventwire gazetteer build --geonames IQ.txt -o iq.sqlite
    """
    from ..gazetteer import build_from_geonames

    out = output or _default_path(None).with_name("geonames.sqlite")
    path, names = build_from_geonames(geonames, out, alternate_names=alternate_names,
                                      min_population=min_population)
    click.echo(f"gazetteer: built {path} ({names:,} names) from {geonames}")


@gazetteer.command("lookup")
@click.argument("name")
@click.option("--index", type=click.Path(path_type=Path), default=None, help="Index file to use.")
@click.option("-n", "limit", type=int, default=10, show_default=True, help="Show at most N candidates.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@handle_errors
def lookup(name: str, index: Path | None, limit: int, as_json: bool) -> None:
    """Print the gazetteer entries a name may refer to, most likely first.

    Example: eventwire gazetteer lookup Tripoli
    """
    from dataclasses import asdict

    from ..gazetteer import Gazetteer

    gaz = Gazetteer.load(index if index is not None else _default_path(None))
    cands = gaz.lookup(name)[:limit]
    if not cands:
        click.echo(f"gazetteer: no entry for {name!r}")
        return
    for c in cands:
        if as_json:
            click.echo(json.dumps(asdict(c), ensure_ascii=False))
        else:
            coords = f"{c.lat:.4f}, {c.lon:.4f}" if c.lat is not None and c.lon is not None else "no coordinates"
            click.echo(f"{c.name}\t{c.feature}\t{c.country or '-'}\t{c.admin1 or '-'}\t{coords}\t"
                       f"pop {c.population:,}\tgeonameid {c.geonameid or '-'}")
