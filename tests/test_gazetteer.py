"""Tests for eventwire.gazetteer: building, loading, lookups, GeoNames dumps, overrides."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwire import gazetteer as gz
from eventwire.cli import main
from eventwire.errors import DataFileError, GazetteerError
from eventwire.gazetteer import Gazetteer, build_bundled, build_from_geonames, normalize, read_tsv

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    """The bundled TSV data without the GeoNames cities (fast to build)."""
    path, count = build_bundled(tmp_path_factory.mktemp("gaz") / "small.sqlite", include_cities=False)
    assert count > 1000
    return Gazetteer.load(path)


def test_normalize_folds_case_accents_articles_and_punctuation() -> None:
    assert normalize("the Middle East") == "middle east"
    assert normalize("Québec") == "quebec"
    assert normalize("St. Louis") == normalize("St Louis")
    assert normalize("Winston-Salem") == "winston salem"
    assert normalize("  ") == ""


def test_country_lookup_has_alpha3_and_coordinates(small: Gazetteer) -> None:
    cands = small.lookup("Iraq")
    assert cands[0].feature == "country" and cands[0].country == "IRQ"
    assert cands[0].lat == pytest.approx(33, abs=1) and cands[0].lon == pytest.approx(44, abs=1)
    assert small.country("SYR") is not None and small.country("SYR").name == "Syria"
    assert small.country("XXX") is None


def test_aliases_and_leading_the(small: Gazetteer) -> None:
    assert small.lookup("the United States")[0].country == "USA"
    assert small.lookup("Burma")[0].country == "MMR"
    middle = small.lookup("the Middle East")
    assert middle and middle[0].feature == "region"


def test_admin1_and_us_state_codes(small: Gazetteer) -> None:
    nj = [c for c in small.lookup("New Jersey") if c.feature == "admin1"]
    assert nj and nj[0].country == "USA" and nj[0].admin1 == "NJ"
    georgia = {c.country for c in small.lookup("Georgia")}
    assert {"GEO", "USA"} <= georgia


def test_facility_renamed_base_keeps_old_name(small: Gazetteer) -> None:
    bliss = small.lookup("Fort Bliss")[0]
    assert bliss.feature == "facility"
    assert bliss.lat == pytest.approx(31.81, abs=0.05) and bliss.lon == pytest.approx(-106.42, abs=0.05)
    assert small.lookup("Fort Hood")[0].name == "Fort Cavazos"


def test_unknown_name_gives_empty_list(small: Gazetteer) -> None:
    assert small.lookup("Zzyzzxqv") == []
    assert small.lookup("") == []


def test_lookup_is_cached(small: Gazetteer) -> None:
    first = small.lookup("Kurdistan")
    assert small.lookup("kurdistan") is first


def test_read_tsv_reports_bad_rows(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("name\tfeature\tlat\tlon\nSomewhere\tcity\tnorth\t10\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="bad.tsv:2"):
        list(read_tsv(bad))
    bad.write_text("name\tfeature\tlat\tlon\nSomewhere\tcity\t95\t10\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="out of range"):
        list(read_tsv(bad))
    bad.write_text("name\tlat\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="header"):
        list(read_tsv(bad))


def test_overrides_add_and_replace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    data.mkdir()
    header = "\t".join(gz.TSV_COLUMNS)
    (data / "countries.tsv").write_text(
        f"{header}\n99\tRuritania\tcountry\tRUR\t\t45\t15\t1000\tRuritanian Kingdom\n", encoding="utf-8")
    (data / "overrides.tsv").write_text(
        f"# my changes\n{header}\n99\tRuritania\tcountry\tRUR\t\t46\t16\t1000\t\n"
        f"\tCamp Nowhere\tfacility\tRUR\t\t45.5\t15.5\t\tNowhere Base\n", encoding="utf-8")
    monkeypatch.setattr(gz, "data_dir", lambda: data)
    path, _ = build_bundled(tmp_path / "o.sqlite", include_cities=False)
    gaz = Gazetteer.load(path)
    ruritania = gaz.lookup("Ruritanian Kingdom")
    assert len(ruritania) == 1 and ruritania[0].lat == 46
    assert gaz.lookup("Nowhere Base")[0].name == "Camp Nowhere"


def test_build_from_geonames_dump(tmp_path: Path) -> None:
    out = tmp_path / "iq.sqlite"
    path, count = build_from_geonames(FIXTURES / "geo_geonames_sample.txt", out,
                                      alternate_names=FIXTURES / "geo_alternate_names_sample.txt",
                                      include_cities=False)
    gaz = Gazetteer.load(path)
    village = gaz.lookup("Mithal Village")
    assert village and village[0].geonameid == 9900001 and village[0].country == "IRQ"
    assert village[0].feature == "city"
    assert gaz.lookup("Mithal Town")[0].geonameid == 9900001  # from the alternate names file
    assert gaz.lookup("Namudhaj Hill")[0].population == 45000
    assert gaz.lookup("Wadi Tajriba")[0].feature == "water"
    assert gaz.lookup("Qasr al-Tajriba")[0].feature == "facility"
    # the dump's ADM1 row joins the bundled Anbar entry instead of duplicating it
    anbar = [c for c in gaz.lookup("Muhafazat al-Anbar") if c.feature == "admin1"]
    assert len(anbar) == 1 and anbar[0].name == "Anbar"
    assert gaz.lookup("Iraq")[0].feature == "country"  # bundled data still there
    assert gaz.meta["kind"] == "geonames"


def test_build_from_geonames_min_population(tmp_path: Path) -> None:
    path, _ = build_from_geonames(FIXTURES / "geo_geonames_sample.txt", tmp_path / "m.sqlite",
                                  min_population=10_000, include_cities=False)
    gaz = Gazetteer.load(path)
    assert gaz.lookup("Qaryat al-Mithal") == []
    assert gaz.lookup("Tall Namudhaj")


def test_bad_geonames_file_is_a_coded_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("1\tonly\tthree\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="columns"):
        build_from_geonames(bad, tmp_path / "x.sqlite", include_cities=False)
    with pytest.raises(GazetteerError, match="not found"):
        build_from_geonames(tmp_path / "missing.txt", tmp_path / "x.sqlite", include_cities=False)
    assert not (tmp_path / "x.sqlite").exists()


def test_load_missing_or_corrupt_index(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="not found"):
        Gazetteer.load(tmp_path / "nothing.db")
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"not a database at all" * 100)
    with pytest.raises(GazetteerError, match="not readable"):
        Gazetteer.load(corrupt)


def test_cli_lookup_and_build(tmp_path: Path, small: Gazetteer) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["gazetteer", "lookup", "Kashmir", "--index", str(small.path)])
    assert res.exit_code == 0 and "Kashmir" in res.output
    res = runner.invoke(main, ["gazetteer", "lookup", "Zzyzzxqv", "--index", str(small.path)])
    assert res.exit_code == 0 and "no entry" in res.output
    res = runner.invoke(main, ["gazetteer", "build", "--geonames", str(tmp_path / "none.txt"),
                               "-o", str(tmp_path / "g.sqlite")])
    assert res.exit_code == 1 and "EW120" in res.output


def test_unwritable_index_location_is_a_coded_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(GazetteerError, match="cannot write"):
        build_bundled(blocker / "sub" / "index.sqlite", include_cities=False)


def test_every_us_county_is_a_name(tmp_path: Path) -> None:
    path, _ = build_bundled(tmp_path / "g.sqlite", include_cities=False)
    gaz = Gazetteer(path)
    hits = [c for c in gaz.lookup("Metcalfe County") if c.feature == "admin2"]
    assert hits and hits[0].country == "USA" and hits[0].admin1 == "KY"
    assert len([c for c in gaz.lookup("Washington County") if c.feature == "admin2"]) > 20
    gaz.close()


def test_place_demonyms_file_is_readable() -> None:
    dem = gz.place_demonyms()
    assert dem["texan"] == ("Texas", "USA")
    assert all(place for place, _ in dem.values())


def test_a_build_removes_half_written_files_of_dead_builds(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = tmp_path / f"small.sqlite.tmp{dead}"
    stale.write_bytes(b"half a build")
    alive = tmp_path / f"small.sqlite.tmp{os.getppid()}"  # a running process: its file is left alone
    alive.write_bytes(b"in progress")
    build_bundled(tmp_path / "small.sqlite", include_cities=False)
    assert not stale.exists()
    assert alive.exists()
    assert (tmp_path / "small.sqlite").exists()
