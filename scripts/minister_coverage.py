"""How far the actor dictionaries cover the ministers of foreign affairs, defence and interior.

Reads the people dictionaries through eventwire's own loader (``load_dictionary``: every
``actors/people*.yaml``, merged by name) and ``actors/offices.yaml`` (the posts, the titles that name
each post in general and per country, the countries measured and the first year). A country-year is
covered for a post when at least one role with a title of that post, in that country, covers some day
of that year.

    python scripts/minister_coverage.py              # one line per country: a mark per year and post
    python scripts/minister_coverage.py --gaps       # the uncovered years of each country and post
    python scripts/minister_coverage.py --json       # totals (and gaps) as one JSON object

Year marks per post (foreign, defence, interior, in the order of offices.yaml): the post's initial
where covered, ``.`` where not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import dataclass, field
from typing import Any

LAST_YEAR = 2026
OFFICES_FILE = "actors/offices.yaml"


@dataclass
class Coverage:
    years: list[int]
    posts: list[str]
    covered: dict[str, dict[str, set[int]]] = field(default_factory=dict)  # country -> post -> years

    def totals(self) -> dict[str, Any]:
        n = len(self.years) * len(self.covered)
        out: dict[str, Any] = {"countries": len(self.covered), "first_year": self.years[0], "last_year": self.years[-1]}
        for post in self.posts:
            got = sum(len(by_post[post]) for by_post in self.covered.values())
            out[post] = round(got / n, 4) if n else 0.0
            out[f"{post}_years"] = got
        out["country_years"] = n
        out["all_posts"] = round(sum(len(set.intersection(*(bp[p] for p in self.posts))) for bp in self.covered.values())
                                 / n, 4) if n else 0.0
        return out

    def gaps(self) -> dict[str, dict[str, list[int]]]:
        out: dict[str, dict[str, list[int]]] = {}
        for country, by_post in sorted(self.covered.items()):
            missing = {p: [y for y in self.years if y not in by_post[p]] for p in self.posts}
            missing = {p: ys for p, ys in missing.items() if ys}
            if missing:
                out[country] = missing
        return out


def _overlaps(start: dt.date | None, end: dt.date | None, year: int) -> bool:
    return (start is None or start <= dt.date(year, 12, 31)) and (end is None or end >= dt.date(year, 1, 1))


def compute(dictionary: Any = None, spec: dict[str, Any] | None = None, last: int = LAST_YEAR) -> Coverage:
    """Coverage of ``dictionary`` (default: the bundled one) against ``spec`` (default: offices.yaml)."""
    if dictionary is None or spec is None:
        from eventwire.actors import load_dictionary
        from eventwire.resources import default_resources

        dictionary = dictionary or load_dictionary()
        spec = spec or default_resources().yaml(OFFICES_FILE)
    years = list(range(int(spec["minister_since"]), last + 1))
    posts = list(spec["minister_offices"])
    own = spec.get("minister_titles_by_country") or {}
    by_country: dict[str, list[Any]] = {}
    for person in dictionary.people.values():
        for role in person.roles:
            by_country.setdefault(role.country, []).append(role)
    cov = Coverage(years=years, posts=posts)
    for country in spec["minister_countries"]:
        cov.covered[country] = {}
        for post in posts:
            titles = {t.lower() for t in [*spec["minister_offices"][post], *(own.get(country, {}).get(post) or [])]}
            cov.covered[country][post] = {y for r in by_country.get(country, []) if (r.title or "").lower() in titles
                                          for y in years if _overlaps(r.start, r.end, y)}
    return cov


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gaps", action="store_true", help="list the uncovered years of each country and post")
    ap.add_argument("--json", action="store_true", help="print totals (and gaps with --gaps) as JSON")
    args = ap.parse_args(argv)
    cov = compute()
    if args.json:
        out: dict[str, Any] = {"totals": cov.totals()}
        if args.gaps:
            out["gaps"] = cov.gaps()
        print(json.dumps(out, indent=1))
        return 0
    if args.gaps:
        for country, missing in cov.gaps().items():
            print(country, "; ".join(f"{p}: {', '.join(map(str, ys))}" for p, ys in missing.items()))
    else:
        for country, by_post in sorted(cov.covered.items()):
            marks = ["".join(p[0].upper() if y in by_post[p] else "." for p in cov.posts) for y in cov.years]
            print(country, " ".join(marks))
    t = cov.totals()
    print(" ".join(f"{p} {t[p]:.3f}" for p in cov.posts), f"all three {t['all_posts']:.3f}",
          f"({t['countries']} countries, {t['first_year']}-{t['last_year']})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
