"""How far the actor dictionaries cover the heads of state and of government of the UN members.

Reads the people dictionaries through eventwire's own loader (``load_dictionary``: every
``actors/people*.yaml``, merged by name) and ``actors/un_members.yaml`` (the members, the year each
is counted from, which role titles count as head of state or of government, presidential systems
and shared heads of state). A country-year is covered for an office when at least one role of a
counted title and sector GOV, in that country, covers some day of that year.

    python scripts/leader_coverage.py                 # one line per country: a mark per year
    python scripts/leader_coverage.py --gaps          # the uncovered years of each country
    python scripts/leader_coverage.py --json          # totals (and gaps) as one JSON object

Year marks: ``B`` both offices covered, ``S`` only the head of state, ``G`` only the head of
government, ``.`` neither, a space before the state existed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import dataclass, field
from typing import Any

FIRST_YEAR, LAST_YEAR = 1990, 2026
UN_FILE = "actors/un_members.yaml"


@dataclass
class Coverage:
    years: dict[str, list[int]]  # country -> the years counted
    state: dict[str, set[int]] = field(default_factory=dict)  # country -> years with a head of state
    government: dict[str, set[int]] = field(default_factory=dict)

    def totals(self) -> dict[str, Any]:
        n = sum(len(ys) for ys in self.years.values())
        hos = sum(len(self.state[c]) for c in self.years)
        hog = sum(len(self.government[c]) for c in self.years)
        both = sum(len(self.state[c] & self.government[c]) for c in self.years)
        full = sum(1 for c, ys in self.years.items() if set(ys) <= self.state[c] & self.government[c])
        return {"countries": len(self.years), "country_years": n,
                "head_of_state_years": hos, "head_of_government_years": hog, "both_years": both,
                "head_of_state": round(hos / n, 4), "head_of_government": round(hog / n, 4),
                "both": round(both / n, 4), "countries_complete": full}

    def gaps(self) -> dict[str, dict[str, list[int]]]:
        out = {}
        for c, ys in sorted(self.years.items()):
            s = [y for y in ys if y not in self.state[c]]
            g = [y for y in ys if y not in self.government[c]]
            if s or g:
                out[c] = {"head_of_state": s, "head_of_government": g}
        return out


def _overlaps(start: dt.date | None, end: dt.date | None, year: int) -> bool:
    return (start is None or start <= dt.date(year, 12, 31)) and (end is None or end >= dt.date(year, 1, 1))


def _role_years(roles: list[Any], titles: set[str], first: int, last: int) -> set[int]:
    return {y for r in roles if r.sector == "GOV" and r.title in titles for y in range(first, last + 1) if _overlaps(r.start, r.end, y)}


def compute(dictionary: Any = None, spec: dict[str, Any] | None = None,
            first: int = FIRST_YEAR, last: int = LAST_YEAR) -> Coverage:
    """Coverage of ``dictionary`` (default: the bundled one) against ``spec`` (default: un_members.yaml)."""
    if dictionary is None or spec is None:
        from eventwire.actors import load_dictionary
        from eventwire.resources import default_resources

        dictionary = dictionary or load_dictionary()
        spec = spec or default_resources().yaml(UN_FILE)
    by_country: dict[str, list[Any]] = {}
    for person in dictionary.people.values():
        for role in person.roles:
            by_country.setdefault(role.country, []).append(role)
    hos_titles, hog_titles = set(spec["head_of_state_titles"]), set(spec["head_of_government_titles"])
    own = spec.get("titles_by_country") or {}
    extra = spec.get("extra_titles") or {}
    since = spec.get("since") or {}
    years = {c: list(range(max(first, since.get(c, first)), last + 1)) for c in spec["un_members"]}
    cov = Coverage(years=years)

    def state_titles(c: str) -> set[str]:
        return set(own.get(c, {}).get("head_of_state") or hos_titles) | set(extra.get(c, {}).get("head_of_state") or [])

    def government_titles(c: str) -> set[str]:
        return (set(own.get(c, {}).get("head_of_government") or hog_titles)
                | set(extra.get(c, {}).get("head_of_government") or []))

    for c in years:
        roles = by_country.get(c, [])
        st = _role_years(roles, state_titles(c), first, last)
        gov = _role_years(roles, government_titles(c), first, last)
        lo, hi = (spec.get("presidential") or {}).get(c, (None, None)) or (None, None)
        if lo is not None:
            gov |= {y for y in st if lo <= y <= (hi if hi is not None else last)}
        for shared in spec.get("shared_head_of_state") or []:
            if shared["country"] == c:
                end = shared.get("end") if shared.get("end") is not None else last
                other = _role_years(by_country.get(shared["of"], []), state_titles(shared["of"]),
                                    max(first, shared["start"]), min(last, end))
                st |= other
        cov.state[c], cov.government[c] = st & set(years[c]), gov & set(years[c])
    return cov


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true", help="print the totals and gaps as one JSON object")
    ap.add_argument("--gaps", action="store_true", help="list each country's uncovered years")
    args = ap.parse_args(argv)
    cov = compute()
    if args.json:
        print(json.dumps({**cov.totals(), "gaps": cov.gaps()}, sort_keys=True))
        return 0
    if args.gaps:
        for c, g in cov.gaps().items():
            print(f"{c}  state: {_ranges(g['head_of_state'])}  government: {_ranges(g['head_of_government'])}")
    else:
        print(f"     {FIRST_YEAR}{' ' * (LAST_YEAR - FIRST_YEAR - 7)}{LAST_YEAR}")
        for c, ys in sorted(cov.years.items()):
            marks = []
            for y in range(FIRST_YEAR, LAST_YEAR + 1):
                if y not in ys:
                    marks.append(" ")
                    continue
                s, g = y in cov.state[c], y in cov.government[c]
                marks.append("B" if s and g else "S" if s else "G" if g else ".")
            print(f"{c}  {''.join(marks)}")
    t = cov.totals()
    print(f"{t['country_years']} country-years: head of state {t['head_of_state']:.1%}, head of government "
          f"{t['head_of_government']:.1%}, both {t['both']:.1%}; {t['countries_complete']}/{t['countries']} "
          "countries complete", file=sys.stderr)
    return 0


def _ranges(years: list[int]) -> str:
    if not years:
        return "-"
    out, start, prev = [], years[0], years[0]
    for y in [*years[1:], None]:
        if y is not None and y == prev + 1:
            prev = y
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        if y is not None:
            start = prev = y
    return ",".join(out)


if __name__ == "__main__":
    sys.exit(main())
