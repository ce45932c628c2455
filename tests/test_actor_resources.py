"""Actor and attribute knowledge read through Resources: a user's data folder and the schemas."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.actors import ActorCoder
from eventwire.errors import DataFileError
from eventwire.resources import Resources


def test_a_user_data_folder_overrides_one_actor_file(tmp_path: Path):
    (tmp_path / "actors").mkdir()
    (tmp_path / "actors" / "groups.yaml").write_text(
        "- {name: Test Valley Brigade, country: NPL, sector: REB, aliases: [TVB]}\n")
    coder = ActorCoder(resources=Resources(tmp_path))
    a = coder.code_phrase("the TVB")
    assert a is not None and (a.country, a.sector) == ("NPL", "REB")
    bundled = ActorCoder().code_phrase("Boko Haram")
    assert bundled is not None and bundled.kind == "group"
    replaced = coder.code_phrase("Boko Haram")  # groups.yaml is the user's now: the bundled group is gone
    assert replaced is None or replaced.kind != "group"
    assert coder.code_phrase("Vladimir Putin").country == "RUS"  # the other files are still bundled


def test_a_bad_role_date_names_file_and_line(tmp_path: Path):
    (tmp_path / "actors").mkdir()
    (tmp_path / "actors" / "people.yaml").write_text(
        "- name: Ana Testova\n"
        "  roles:\n"
        "  - {country: MDA, sector: GOV, title: Minister, start: 2015, end: 2010}\n")
    with pytest.raises(DataFileError, match=r"people\.yaml:3: .*Ana Testova.*starts \(2015\) after it ends"):
        Resources(tmp_path).yaml("actors/people.yaml")
    (tmp_path / "actors" / "people.yaml").write_text(
        "- name: Ana Testova\n"
        "  roles:\n"
        "  - {country: MDA, sector: GOV, title: Minister, start: '2019-02-30'}\n")
    with pytest.raises(DataFileError, match=r"people\.yaml:3: .*not a year .* or an ISO date"):
        Resources(tmp_path).yaml("actors/people.yaml")


def test_unknown_sector_and_shared_alias_are_reported(tmp_path: Path):
    (tmp_path / "actors").mkdir()
    groups = tmp_path / "actors" / "groups.yaml"
    groups.write_text("- {name: Good Group, country: NPL, sector: REB}\n- {name: Broken Front, country: NPL, sector: WRONG}\n")
    with pytest.raises(DataFileError, match=r"groups\.yaml:2: entry #2 \('Broken Front'\).*unknown sector 'WRONG'"):
        Resources(tmp_path).yaml("actors/groups.yaml")
    groups.write_text("- {name: North Front, country: NPL, sector: REB, aliases: [NF]}\n"
                      "- {name: Nile Front, country: SDN, sector: REB, aliases: [NF]}\n")
    with pytest.raises(DataFileError, match=r"groups\.yaml:2: 'nf' is shared by entries of different countries"):
        Resources(tmp_path).yaml("actors/groups.yaml")
    groups.write_text("- {name: North Front, country: NPL, sector: REB, aliases: [NF], shared_aliases: {NF: listed first}}\n"
                      "- {name: Nile Front, country: SDN, sector: REB, aliases: [NF]}\n")
    assert len(Resources(tmp_path).yaml("actors/groups.yaml")) == 2


def test_geoparser_weights_come_from_the_data_folder(tmp_path: Path):
    from eventwire.attributes.locations import Geoparser
    from eventwire.gazetteer import Gazetteer

    gaz = Gazetteer.load()
    assert Geoparser(gaz).s.near_km == 150.0
    (tmp_path / "gazetteer").mkdir()
    text = (Resources().path("gazetteer/scoring.yaml")).read_text(encoding="utf-8")
    (tmp_path / "gazetteer" / "scoring.yaml").write_text(text.replace("near_km: 150.0", "near_km: 10.0"))
    assert Geoparser(gaz, resources=Resources(tmp_path)).s.near_km == 10.0
