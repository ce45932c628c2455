"""Load and validate the actor dictionaries under ``data/actors/*.yaml``.

Every file is a YAML list of mappings (see the header comment of each file). Files are read
through :class:`~eventwire.resources.Resources` (bundled data, overridden or extended file by file
by the user's data folder) and checked against :mod:`eventwire.schemas.actors`. Loading turns them
into :class:`Entry` objects with their surface forms; any malformed entry raises
:class:`~eventwire.errors.DataFileError` naming the file and the entry. Sector codes come from
``data/ontology/sectors.yaml``.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataFileError
from ..resources import Resources, default_resources
from ..schemas.actors import AGENT_ENTITIES, AGENT_REFERS
from ..yamlio import load_yaml

SECTORS_FILE = "ontology/sectors.yaml"
_CODE_RE = re.compile(r"^[A-Z]{3}$")


@dataclass
class Role:
    """One position a person held: country, sector, title and the years it covers."""

    country: str
    sector: str | None
    title: str | None
    start: _dt.date | None
    end: _dt.date | None  # None = still holds it


@dataclass
class Entry:
    """One dictionary entry: what a surface form codes to."""

    id: str
    kind: str  # country, capital, metonym, territory, demonym, person, group, organisation, igo, media, agent
    name: str
    country: str | None = None
    sector: str | None = None
    patron: str | None = None
    roles: list[Role] = field(default_factory=list)
    weak: bool = False  # agent noun whose sector yields to a modifier ("officials", "members")
    title: bool = False  # agent noun that can precede a person's name ("President")
    entity: str = "group"  # agents: person / group / institution (for pronoun agreement)
    refers: str | None = None  # agents: "country" / "group" for "the country", "the group"
    extra_sector: str | None = None  # territories: PRE
    modifier: bool = False  # agents: a sector adjective ("agricultural", "religious") that is no actor alone
    community: bool = False  # an ethnic or religious community ("Kurds", "Shiites"): "Iraqi Kurds" is one mention


def _err(path: Path, idx: int, entry: Any, msg: str) -> DataFileError:
    label = entry.get("name") or entry.get("code") if isinstance(entry, dict) else entry
    return DataFileError(f"{path.name}: entry #{idx + 1} ({label!r}): {msg}; fix the file and retry")


def _strings(path: Path, idx: int, raw: dict[str, Any], key: str) -> list[str]:
    val = raw.get(key) or []
    if isinstance(val, str):
        val = [val]
    if not isinstance(val, list) or not all(isinstance(v, str) and v.strip() for v in val):
        raise _err(path, idx, raw, f"'{key}' must be a list of non-empty strings")
    return [v.strip() for v in val]


def _code(path: Path, idx: int, raw: dict[str, Any], key: str, required: bool = False) -> str | None:
    val = raw.get(key)
    if val is None or val == "":
        if required:
            raise _err(path, idx, raw, f"missing '{key}'")
        return None
    if not isinstance(val, str) or not _CODE_RE.match(val):
        raise _err(path, idx, raw, f"'{key}' must be a 3-letter upper-case code, got {val!r}")
    return val


def _sector(d: Dictionary, path: Path, idx: int, raw: dict[str, Any], key: str = "sector") -> str | None:
    val = raw.get(key)
    if val is None or val == "":
        return None
    if val not in d.sectors:
        known = ", ".join(sorted(d.sectors))
        raise _err(path, idx, raw, f"unknown sector {val!r} (known: {known}; add new codes to {SECTORS_FILE})")
    return str(val)



def parse_date(value: Any, end: bool = False) -> _dt.date | None:
    """Read a year (2019), an ISO date or a datetime.date; a bare year means Jan 1 (Dec 31 when ``end``)."""
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text):
        return _dt.date(int(text), 12, 31) if end else _dt.date(int(text), 1, 1)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        y, m = int(text[:4]), int(text[5:7])
        return _dt.date(y, m, 28) if end else _dt.date(y, m, 1)
    try:
        return _dt.date.fromisoformat(text[:10])
    except ValueError as exc:
        raise ValueError(f"not a year or ISO date: {value!r}") from exc


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _read_flat(path: Path) -> Any:
    """A dictionary file of a plain folder (``load_dictionary(data_dir)``), checked by the same schema."""
    from ..schemas import validate_file

    try:
        text = path.read_text(encoding="utf-8")
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise DataFileError(f"{path.name}: not valid YAML ({exc}); fix the file and retry") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: cannot read ({exc})") from exc
    problems = validate_file(f"actors/{path.name}", data, text, str(path))
    if problems:
        raise DataFileError(f"{problems[0]} ({len(problems)} problem(s); run 'eventwire data check')")
    return data


def _check_list(path: Path, data: Any) -> list[Any]:
    if data is None:
        return []
    if not isinstance(data, list):
        raise DataFileError(f"{path.name}: the top level must be a YAML list of mappings")
    for idx, raw in enumerate(data):
        if not isinstance(raw, dict):
            raise DataFileError(f"{path.name}: entry #{idx + 1} is not a mapping")
    return data


@dataclass
class Dictionary:
    """All actor entries and their surface forms (surface text -> entries, in load order)."""

    entries: list[Entry] = field(default_factory=list)
    surfaces: list[tuple[str, Entry]] = field(default_factory=list)
    countries: dict[str, Entry] = field(default_factory=dict)
    people: dict[str, Entry] = field(default_factory=dict)
    sectors: frozenset[str] = frozenset()  # the known sector codes (ontology/sectors.yaml)
    _seen: set[tuple[str, int]] = field(default_factory=set)

    def add(self, entry: Entry, forms: list[str], new: bool = True) -> None:
        """Register ``entry`` under each surface form (case-insensitive duplicates are skipped)."""
        if new:
            self.entries.append(entry)
        for form in forms:
            key = (form.lower(), id(entry))
            if key in self._seen:
                continue
            self._seen.add(key)
            self.surfaces.append((form, entry))


def _load_countries(path: Path, data: Any, d: Dictionary) -> None:
    for idx, raw in enumerate(_check_list(path, data)):
        code = _code(path, idx, raw, "code", required=True)
        assert code is not None
        name = raw.get("name")
        if not isinstance(name, str) or not name:
            raise _err(path, idx, raw, "missing 'name'")
        aliases = _strings(path, idx, raw, "aliases")
        country = Entry(id=f"countries:{code}", kind="country", name=name, country=code)
        d.countries[code] = country
        d.add(country, [name, *aliases])
        dem = Entry(id=f"countries:{code}:demonym", kind="demonym", name=name, country=code)
        d.add(dem, _strings(path, idx, raw, "demonyms"))
        cap = Entry(id=f"countries:{code}:capital", kind="capital", name=name, country=code, sector="GOV")
        d.add(cap, _strings(path, idx, raw, "capitals"))
        mets = raw.get("metonyms") or []
        if not isinstance(mets, list):
            raise _err(path, idx, raw, "'metonyms' must be a list of {text, sector}")
        for met in mets:
            if not isinstance(met, dict) or not isinstance(met.get("text"), str):
                raise _err(path, idx, raw, f"metonym {met!r} must be a mapping with 'text' and 'sector'")
            sector = _sector(d, path, idx, met)
            ent = Entry(id=f"countries:{code}:{_slug(met['text'])}", kind="capital", name=met["text"],
                        country=code, sector=sector)
            d.add(ent, [met["text"]])


def _load_people(path: Path, data: Any, d: Dictionary) -> None:
    for idx, raw in enumerate(_check_list(path, data)):
        name = raw.get("name")
        if not isinstance(name, str) or not name:
            raise _err(path, idx, raw, "missing 'name'")
        roles_raw = raw.get("roles")
        if not isinstance(roles_raw, list) or not roles_raw:
            raise _err(path, idx, raw, "'roles' must be a non-empty list of {country, sector, title, start, end}")
        roles = []
        for r in roles_raw:
            if not isinstance(r, dict):
                raise _err(path, idx, raw, f"role {r!r} is not a mapping")
            try:
                start, end = parse_date(r.get("start")), parse_date(r.get("end"), end=True)
            except ValueError as exc:
                raise _err(path, idx, raw, str(exc)) from exc
            roles.append(Role(country=_code(path, idx, r, "country", required=True) or "",
                              sector=_sector(d, path, idx, r), title=r.get("title"), start=start, end=end))
        aliases = _strings(path, idx, raw, "aliases")
        pid = f"people:{_slug(name)}"
        known = d.people.get(pid)
        if known is not None:
            # the same person in two files (e.g. people.yaml and people_leaders.yaml): one entry, all roles
            # (a King who is also Prime Minister from the same day holds two roles)
            have = {(r.country, r.sector, r.title, r.start) for r in known.roles}
            known.roles.extend(r for r in roles if (r.country, r.sector, r.title, r.start) not in have)
            known.roles.sort(key=lambda r: r.start or _dt.date.min)
            known.country, known.sector = known.roles[-1].country, known.roles[-1].sector
            d.add(known, aliases, new=False)
            continue
        roles.sort(key=lambda r: r.start or _dt.date.min)
        ent = Entry(id=pid, kind="person", name=name, roles=roles,
                    country=roles[-1].country, sector=roles[-1].sector)
        d.people[pid] = ent
        d.add(ent, [name, *aliases])


def _load_named(path: Path, data: Any, d: Dictionary, default_kind: str) -> None:
    stem = path.stem
    for idx, raw in enumerate(_check_list(path, data)):
        name = raw.get("name")
        if not isinstance(name, str) or not name:
            raise _err(path, idx, raw, "missing 'name'")
        country = raw.get("country")
        if country is not None and country != "" and not (isinstance(country, str) and _CODE_RE.match(country)):
            raise _err(path, idx, raw, f"'country' must be a 3-letter code, got {country!r}")
        kind = raw.get("kind", default_kind)
        if not isinstance(kind, str):
            raise _err(path, idx, raw, "'kind' must be a string")
        ent = Entry(id=f"{stem}:{_slug(name)}", kind=kind, name=name, country=country or None,
                    sector=_sector(d, path, idx, raw), patron=_code(path, idx, raw, "patron"),
                    extra_sector=_sector(d, path, idx, raw, "extra_sector"))
        d.add(ent, [name, *_strings(path, idx, raw, "aliases")])
        if kind == "territory" and raw.get("demonyms"):
            dem = Entry(id=f"{stem}:{_slug(name)}:demonym", kind="demonym", name=name, country=ent.country,
                        extra_sector=ent.extra_sector)
            d.add(dem, _strings(path, idx, raw, "demonyms"))


def _load_agents(path: Path, data: Any, d: Dictionary) -> None:
    for idx, raw in enumerate(_check_list(path, data)):
        terms = _strings(path, idx, raw, "terms")
        if not terms:
            raise _err(path, idx, raw, "'terms' must list at least one word or phrase")
        sector = _sector(d, path, idx, raw)
        refers = raw.get("refers")
        if refers is not None and refers not in AGENT_REFERS:
            raise _err(path, idx, raw, f"'refers' must be one of {', '.join(AGENT_REFERS)}, got {refers!r}")
        entity = raw.get("entity", "group")
        if entity not in AGENT_ENTITIES:
            raise _err(path, idx, raw, f"'entity' must be one of {', '.join(AGENT_ENTITIES)}, got {entity!r}")
        for term in terms:
            ent = Entry(id=f"agents:{_slug(term)}", kind="agent", name=term, sector=sector,
                        weak=bool(raw.get("weak", False)), title=bool(raw.get("title", False)),
                        entity=entity, refers=refers, country=_code(path, idx, raw, "country"),
                        modifier=bool(raw.get("modifier", False)))
            d.add(ent, [term])


def _load_ethnic(path: Path, data: Any, d: Dictionary) -> None:
    """Ethnic and religious communities: coded like a demonym (country where the group is at home
    in one country, else none) with a community sector (CVL, or REL for religious communities)."""
    for idx, raw in enumerate(_check_list(path, data)):
        name = raw.get("name")
        if not isinstance(name, str) or not name:
            raise _err(path, idx, raw, "missing 'name'")
        forms = _strings(path, idx, raw, "forms")
        if not forms:
            raise _err(path, idx, raw, "'forms' must list the words for the community (plural and adjective)")
        sector = _sector(d, path, idx, raw) or "CVL"
        ent = Entry(id=f"{path.stem}:{_slug(name)}", kind="demonym", name=name,
                    country=_code(path, idx, raw, "country"), extra_sector=sector, community=True)
        d.add(ent, forms)


LOADERS = {
    "countries": lambda p, x, d: _load_countries(p, x, d),
    "territories": lambda p, x, d: _load_named(p, x, d, "territory"),
    "ethnic": lambda p, x, d: _load_ethnic(p, x, d),
    "people": lambda p, x, d: _load_people(p, x, d),
    "groups": lambda p, x, d: _load_named(p, x, d, "group"),
    "organisations": lambda p, x, d: _load_named(p, x, d, "organisation"),
    "companies": lambda p, x, d: _load_named(p, x, d, "organisation"),
    "media": lambda p, x, d: _load_named(p, x, d, "media"),
    "agents": lambda p, x, d: _load_agents(p, x, d),
}


def _family(path: Path) -> str | None:
    """Which loader reads a file: its stem, or the part before the first "_" ("people_leaders")."""
    stem = path.stem
    if stem in LOADERS:
        return stem
    head = stem.split("_", 1)[0]
    return head if head in LOADERS else None


def actor_files(resources: Resources) -> list[str]:
    """The dictionary files of ``resources`` (relative paths ``actors/NAME.yaml``): the bundled ones
    plus any the user's data folder adds; a user's file of the same name replaces the bundled one."""
    names = {p.name for p in (resources.bundled / "actors").glob("*.yaml")}
    if resources.data_dir is not None and (resources.data_dir / "actors").is_dir():
        names |= {p.name for p in (resources.data_dir / "actors").glob("*.yaml")}
    return [f"actors/{n}" for n in sorted(names) if _family(Path(n)) is not None]


def load_dictionary(data_dir: Path | None = None, resources: Resources | None = None) -> Dictionary:
    """Load the actor dictionaries into one Dictionary.

    By default every dictionary file of ``resources`` (bundled data, overridden file by file by the
    user's data folder). ``data_dir`` instead reads the ``*.yaml`` files of one plain folder only.
    Files are grouped by family (``people.yaml``, ``people_ministers.yaml`` ... all hold people) and
    read family by family in the order of :data:`LOADERS`, each family's files in name order.
    """
    resources = resources or default_resources()
    by_family: dict[str, list[tuple[Path, Any]]] = {}
    if data_dir is not None:
        data_dir = Path(data_dir)
        if not data_dir.is_dir():
            raise DataFileError(f"actor data directory not found: {data_dir}")
        for path in sorted(data_dir.glob("*.yaml")):
            fam = _family(path)
            if fam is not None:
                by_family.setdefault(fam, []).append((path, _read_flat(path)))
        where = str(data_dir)
    else:
        for rel in actor_files(resources):
            path = resources.path(rel)
            by_family.setdefault(_family(path) or "", []).append((path, resources.yaml(rel)))
        where = "the actors/ data folder"
    if not by_family:
        raise DataFileError(f"no actor dictionaries ({', '.join(f + '*.yaml' for f in LOADERS)}) in {where}")
    d = Dictionary(sectors=frozenset(resources.yaml(SECTORS_FILE)["sectors"]))
    for fam, loader in LOADERS.items():
        for path, data in by_family.get(fam, []):
            loader(path, data, d)
    return d
