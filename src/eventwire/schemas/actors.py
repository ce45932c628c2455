"""Schemas of the actor knowledge: the dictionaries under ``data/actors/``, the coder's word classes
(``actors/coder.yaml``) and the sectors (``ontology/sectors.yaml``).

Each dictionary file is checked entry by entry; a problem names the entry ("entry #3 ('Boko
Haram')") and, through its key path, the line. Beyond the shape: sectors must be codes of
``ontology/sectors.yaml``; a role's dates must be a year or an ISO date with start <= end; a surface
form (name, alias, demonym, capital, term) may be held by one entry of a file only, unless an entry
that holds it says under ``shared_aliases`` how the clash is settled (which is the case for an alias
shared by two countries' entries, e.g. "Congolese").
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Annotated, Any

from pydantic import StringConstraints, ValidationError, field_validator, model_validator

from .core import Strict, Word

Code = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Date = int | str | _dt.date | None
SECTORS_FILE = "ontology/sectors.yaml"
# closed enumerations of the agent file format: the coder branches on each value (mechanism)
AGENT_ENTITIES = ("person", "group", "institution")
AGENT_REFERS = ("country", "group", "person", "organisation")


def _known_sectors() -> frozenset[str]:
    from ..resources import default_resources

    return frozenset(default_resources().yaml(SECTORS_FILE)["sectors"])


def _sector(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    known = _known_sectors()
    if value not in known:
        raise ValueError(f"unknown sector {value!r}; use one of {', '.join(sorted(known))} "
                         f"or add the code to {SECTORS_FILE}")
    return value


def _date(value: Date, end: bool = False) -> _dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, _dt.date):
        return value
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text):
        return _dt.date(int(text), 12, 31) if end else _dt.date(int(text), 1, 1)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return _dt.date(int(text[:4]), int(text[5:7]), 28 if end else 1)
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{value!r} is not a year (2019) or an ISO date (2019-05-31); write it as one") from None


class _Entry(Strict):
    shared_aliases: dict[str, str] | None = None  # alias -> how its clash with another entry is settled

    def forms(self) -> list[str]:
        return []


class Metonym(Strict):
    text: Word
    sector: str | None = None
    _check = field_validator("sector")(classmethod(lambda cls, v: _sector(v)))


class Country(_Entry):
    code: Code
    iso2: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = None
    name: Word
    aliases: list[Word] = []
    demonyms: list[Word] = []
    capitals: list[Word] = []
    metonyms: list[Metonym] = []

    def forms(self) -> list[str]:
        return [self.name, *self.aliases, *self.demonyms, *self.capitals, *(m.text for m in self.metonyms)]


class Named(_Entry):
    """groups*, organisations*, companies*, media*, territories*."""

    name: Word
    kind: Word | None = None
    country: Code | None = None
    sector: str | None = None
    extra_sector: str | None = None
    patron: Code | None = None
    aliases: list[Word] = []
    demonyms: list[Word] = []
    _check = field_validator("sector", "extra_sector")(classmethod(lambda cls, v: _sector(v)))

    def forms(self) -> list[str]:
        return [self.name, *self.aliases, *self.demonyms]


class Role(Strict):
    country: Code
    sector: str | None = None
    title: str | None = None
    start: Date = None
    end: Date = None
    concurrent: Word | None = None  # why another holder of the same office overlaps (a rival government ...)
    _check = field_validator("sector")(classmethod(lambda cls, v: _sector(v)))

    @model_validator(mode="after")
    def _dates(self) -> Role:
        start, end = _date(self.start), _date(self.end, end=True)
        if start and end and start > end:
            raise ValueError(f"the role starts ({self.start}) after it ends ({self.end}); swap or correct the dates")
        return self


class Person(_Entry):
    name: Word
    aliases: list[Word] = []
    roles: Annotated[list[Role], ...]

    @field_validator("roles")
    @classmethod
    def _some_roles(cls, roles: list[Role]) -> list[Role]:
        if not roles:
            raise ValueError("a person needs at least one role {country, sector, title, start, end}")
        return roles

    def forms(self) -> list[str]:
        return [self.name, *self.aliases]


class Agent(_Entry):
    terms: list[Word]
    sector: str | None = None
    weak: bool = False
    title: bool = False
    modifier: bool = False
    entity: str = "group"
    refers: str | None = None
    country: Code | None = None
    _check = field_validator("sector")(classmethod(lambda cls, v: _sector(v)))

    @field_validator("entity")
    @classmethod
    def _entity(cls, v: str) -> str:
        if v not in AGENT_ENTITIES:
            raise ValueError(f"entity must be one of {', '.join(AGENT_ENTITIES)}")
        return v

    @field_validator("refers")
    @classmethod
    def _refers(cls, v: str | None) -> str | None:
        if v is not None and v not in AGENT_REFERS:
            raise ValueError(f"refers must be one of {', '.join(AGENT_REFERS)} or left out")
        return v

    def forms(self) -> list[str]:
        return list(self.terms)


class Ethnic(_Entry):
    name: Word
    forms_: list[Word] = []
    country: Code | None = None
    sector: str | None = None
    _check = field_validator("sector")(classmethod(lambda cls, v: _sector(v)))

    @model_validator(mode="before")
    @classmethod
    def _rename(cls, data: Any) -> Any:
        if isinstance(data, dict) and "forms" in data:
            data = {**data, "forms_": data["forms"]}
            del data["forms"]
        return data

    def forms(self) -> list[str]:
        return list(self.forms_)


def _label(raw: Any) -> str:
    if isinstance(raw, dict):
        label = raw.get("name") or raw.get("code") or (raw.get("terms") or [None])[0]
        return f" ({label!r})" if label else ""
    return ""


def _message(err: dict) -> str:
    loc = [str(p) for p in err["loc"] if p != "forms_"]
    if err.get("type") == "extra_forbidden":
        return f"unknown key {err['loc'][-1]!r}; remove it or check its spelling"
    if err.get("type") == "missing":
        return f"required key {err['loc'][-1]!r} is missing; add it"
    msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    return f"{'.'.join(loc) + ': ' if loc else ''}{msg}"


def _entries(model: type[_Entry]):
    def check(data: Any) -> list[tuple[tuple, str]]:
        if data is None:
            return []
        if not isinstance(data, list):
            return [((), "the top level must be a YAML list of mappings (one '- {...}' per entry)")]
        found: list[tuple[tuple, str]] = []
        holders: dict[str, list[int]] = {}
        parsed: dict[int, _Entry] = {}
        for idx, raw in enumerate(data):
            where = f"entry #{idx + 1}{_label(raw)}"
            if not isinstance(raw, dict):
                found.append(((idx,), f"{where} is not a mapping; write it as '- {{name: ..., ...}}'"))
                continue
            try:
                entry = model.model_validate(raw)
            except ValidationError as exc:
                found.extend(((idx, *e["loc"]), f"{where}: {_message(e)}") for e in exc.errors())
                continue
            parsed[idx] = entry
            for form in {f.lower() for f in entry.forms()}:
                holders.setdefault(form, []).append(idx)
        for form, idxs in holders.items():
            if len(idxs) < 2:
                continue
            settled = any(form in {a.lower() for a in (parsed[i].shared_aliases or {})} for i in idxs)
            if settled:
                continue
            names = ", ".join(f"#{i + 1}{_label(data[i])}" for i in idxs)
            countries = {getattr(parsed[i], "code", None) or getattr(parsed[i], "country", None) for i in idxs}
            what = "is shared by entries of different countries" if len(countries) > 1 else "appears in two entries"
            found.append(((idxs[-1],), f"{form!r} {what} ({names}); remove one, or say under 'shared_aliases' "
                                       "of one of them how the clash is settled"))
        return found

    return check


class Sectors(Strict):
    sectors: dict[Code, Word]
    classes: dict[Word, list[Code]]
    organisation_codes: list[Code]
    kinds: dict[Word, list[Word]] = {}

    @model_validator(mode="after")
    def _members(self) -> Sectors:
        for name, members in self.classes.items():
            unknown = [m for m in members if m not in self.sectors]
            if unknown:
                raise ValueError(f"class {name!r} lists {unknown}, which are not codes of 'sectors'; add them there")
        return self


class Kinds(Strict):
    countryish: list[Word]
    state: list[Word]
    nation: list[Word]
    organised: list[Word]
    named: list[Word]
    loose: list[Word]
    thing: list[Word]
    institutions: list[Word]


class CoderWords(Strict):
    """actors/coder.yaml: word classes of the actor coder and its coreference."""

    kinds: Kinds
    actor_kind: dict[Word, Word]
    it_entities: list[Word]
    locative: list[Word]
    name_links: list[Word]
    patron_words: list[Word]
    post_patron: dict[Word, list[Word]]
    determiners: list[Word]
    former: list[Word]
    pronouns: dict[Word, tuple[Word, Word]]
    possessive_pronouns: list[Word]
    name_suffixes: list[Word]
    ship_prefixes: list[Word]
    surname_first: list[Code]
    place_suffixes: list[Word]
    place_followers: list[Word]


class OfficeTitles(Strict):
    head_of_state: list[Word] = []
    head_of_government: list[Word] = []


class SharedHead(Strict):
    country: Code
    of: Code
    start: int
    end: int | None = None


class UNMembers(Strict):
    """actors/un_members.yaml: the UN member states and which role titles make a head of state or of
    government (read by scripts/leader_coverage.py and tests/test_leaders.py)."""

    un_members: list[Code]
    since: dict[Code, int] = {}
    head_of_state_titles: list[Word]
    head_of_government_titles: list[Word]
    titles_by_country: dict[Code, OfficeTitles] = {}
    extra_titles: dict[Code, OfficeTitles] = {}
    presidential: dict[Code, tuple[int, int | None]] = {}
    shared_head_of_state: list[SharedHead] = []

    @model_validator(mode="after")
    def _members(self) -> UNMembers:
        if len(set(self.un_members)) != len(self.un_members):
            raise ValueError("un_members lists a code twice")
        members = set(self.un_members)
        others = [c for c in [*self.since, *self.titles_by_country, *self.extra_titles, *self.presidential,
                              *(s.country for s in self.shared_head_of_state)] if c not in members]
        if others:
            raise ValueError(f"{sorted(set(others))} are not in un_members; add them there or remove them")
        return self


class Offices(Strict):
    """actors/offices.yaml: single-holder offices (checked by ``eventwire data check``) and the cabinet
    posts measured by scripts/minister_coverage.py."""

    single_holder_titles: list[Word]
    shared_titles: dict[Code, list[Word]] = {}
    minister_offices: dict[Word, list[Word]]
    minister_titles_by_country: dict[Code, dict[Word, list[Word]]] = {}
    minister_since: int
    minister_countries: list[Code]

    @model_validator(mode="after")
    def _posts(self) -> Offices:
        for code, posts in self.minister_titles_by_country.items():
            unknown = [p for p in posts if p not in self.minister_offices]
            if unknown:
                raise ValueError(f"minister_titles_by_country.{code} names posts {unknown} that are not in "
                                 "minister_offices; add them there or fix the spelling")
        return self


OFFICES_FILE = "actors/offices.yaml"
_PEOPLE = "actors/people"


def _bounds(role: dict) -> tuple[_dt.date, _dt.date] | None:
    """(latest possible start, earliest possible end) of a role: "2012" starts by Dec 31 and ends from
    Jan 1, so a holder who leaves in 2012 and one who comes in 2012 do not overlap; open end = far future."""
    try:
        start = _date(role.get("start"), end=True) or _dt.date.min
        end = _date(role.get("end")) or _dt.date.max
    except ValueError:
        return None
    return start, end


def cross_file(files: dict[str, Any]) -> list[tuple[str, tuple, str]]:
    """Checks across the actor dictionaries (``eventwire data check``): (file, key path, message).

    - two people holding one single-holder office of ``actors/offices.yaml`` (or a cabinet post it
      measures) in one country at the same
      time, unless one of the roles says under ``concurrent`` why (a rival government, an acting holder);
    - a surface form held by entries of different countries in two files, unless an entry holding it
      says under ``shared_aliases`` how the clash is settled (one file's clashes are checked per file).
    ``files`` maps each actor file (relative path) to its parsed content."""
    out: list[tuple[str, tuple, str]] = []
    spec = files.get(OFFICES_FILE)
    if isinstance(spec, dict):
        single = {t.lower() for t in [*(spec.get("single_holder_titles") or []),
                                      *(t for ts in (spec.get("minister_offices") or {}).values() for t in ts),
                                      *(t for posts in (spec.get("minister_titles_by_country") or {}).values()
                                        for ts in posts.values() for t in ts)]}
        shared = {c: {t.lower() for t in ts} for c, ts in (spec.get("shared_titles") or {}).items()}
        holders: dict[tuple[str, str], list[tuple[str, int, int, str, dict]]] = {}
        for rel, data in files.items():
            if not rel.startswith(_PEOPLE) or not isinstance(data, list):
                continue
            for idx, raw in enumerate(data):
                if not isinstance(raw, dict) or not isinstance(raw.get("roles"), list):
                    continue
                for ridx, role in enumerate(raw["roles"]):
                    if not isinstance(role, dict) or not isinstance(role.get("title"), str):
                        continue
                    title, country = role["title"].lower(), role.get("country")
                    if title in single and title not in shared.get(country, set()):
                        holders.setdefault((str(country), title), []).append(
                            (rel, idx, ridx, str(raw.get("name")), role))
        for (country, _title), roles in holders.items():
            spans = [(r, _bounds(r[4])) for r in roles]
            spans = sorted(((r, b) for r, b in spans if b is not None), key=lambda x: x[1][0])
            for i, (a, (a_start, a_end)) in enumerate(spans):
                for b, (b_start, b_end) in spans[i + 1:]:
                    if b_start >= a_end:
                        break
                    if a[3] == b[3] or a_start >= b_end or a[4].get("concurrent") or b[4].get("concurrent"):
                        continue
                    for x, y in ((b, a), (a, b)):  # reported at both roles
                        out.append((x[0], (x[1], "roles", x[2]),
                                    f"entry #{x[1] + 1} ({x[3]!r}): {x[4]['title']} of {country} "
                                    f"({x[4].get('start')}-{x[4].get('end') or 'now'}) overlaps {y[3]!r} "
                                    f"({y[4].get('start')}-{y[4].get('end') or 'now'}, {y[0]}); correct the dates, "
                                    "or say under 'concurrent' why both held it"))
    forms: dict[str, list[tuple[str, int, str, str | None, set[str]]]] = {}
    for rel, data in files.items():
        if rel == OFFICES_FILE or not isinstance(data, list):
            continue
        for idx, raw in enumerate(data):
            if not isinstance(raw, dict):
                continue
            if isinstance(raw.get("roles"), list) and raw["roles"] and isinstance(raw["roles"][-1], dict):
                ident, country = f"person:{str(raw.get('name')).lower()}", raw["roles"][-1].get("country")
            else:
                ident, country = f"{rel}#{idx}", raw.get("code") or raw.get("country")
            if not country:
                continue
            settled = {str(a).lower() for a in (raw.get("shared_aliases") or {})}
            texts = [raw.get("name"), *(raw.get("aliases") or []), *(raw.get("demonyms") or []),
                     *(raw.get("capitals") or []), *(m.get("text") for m in raw.get("metonyms") or [] if isinstance(m, dict))]
            for form in {str(t).lower() for t in texts if isinstance(t, str) and t}:
                forms.setdefault(form, []).append((rel, idx, ident, str(country), settled))
    for form, held in forms.items():
        if len({h[0] for h in held}) < 2 or len({h[3] for h in held}) < 2 or len({h[2] for h in held}) < 2:
            continue
        if any(form in h[4] for h in held):
            continue
        for h in held:  # reported at every entry that holds it
            others = ", ".join(f"{o[0]} #{o[1] + 1} ({o[3]})" for o in held if o is not h)
            out.append((h[0], (h[1],), f"entry #{h[1] + 1}: {form!r} is also held by {others}, of another "
                                       "country; remove one, or say under 'shared_aliases' of one of them how the "
                                       "clash is settled"))
    return out


SCHEMAS = {
    "actors/offices.yaml": Offices,
    "actors/un_members.yaml": UNMembers,
    "ontology/sectors.yaml": Sectors,
    "actors/coder.yaml": CoderWords,
    "actors/countries*.yaml": _entries(Country),
    "actors/people*.yaml": _entries(Person),
    "actors/agents*.yaml": _entries(Agent),
    "actors/ethnic*.yaml": _entries(Ethnic),
    "actors/territories*.yaml": _entries(Named),
    "actors/groups*.yaml": _entries(Named),
    "actors/organisations*.yaml": _entries(Named),
    "actors/companies*.yaml": _entries(Named),
    "actors/media*.yaml": _entries(Named),
}
