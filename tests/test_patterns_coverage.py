"""``eventwire patterns coverage``: which crosswalk CAMEO codes the event patterns carry.

The crosswalk fixture is written here; the real crosswalk (../shared/reference) is checked when present."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwire.cli import main
from eventwire.errors import DataFileError, InputError
from eventwire.events import load_patterns
from eventwire.events.coverage import coverage, pattern_codes, read_crosswalk

FIXTURE = """\
# a small crosswalk of our own
04: CONSULT
041: CONSULT, phone,   # Discuss by telephone
042: CONSULT, visit,   # Make a visit
0499: CONSULT, , diplomatic; legal   # a code no pattern carries
16: SANCTION
163: COERCE, restrict, diplomatic # Impose embargo, boycott, or sanctions
163: COERCE, restrict, diplomatic # the same code twice counts once
"""


@pytest.fixture(scope="module")
def patterns():
    return load_patterns()


def _write(tmp_path: Path, text: str = FIXTURE) -> Path:
    path = tmp_path / "crosswalk.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_crosswalk_lines_are_read_with_type_mode_and_contexts(tmp_path):
    codes = {c.cameo: c for c in read_crosswalk(_write(tmp_path))}
    assert sorted(codes) == ["041", "042", "0499", "163"]  # family headings are not codes
    assert (codes["041"].event_type, codes["041"].mode, codes["041"].context) == ("CONSULT", "phone", ())
    assert codes["0499"].context == ("diplomatic", "legal") and codes["0499"].mode is None
    assert codes["042"].line == 4


def test_coverage_counts_covered_missing_and_differing_codes(tmp_path, patterns):
    report = coverage(read_crosswalk(_write(tmp_path)), patterns)
    assert report["cameo_codes_total"] == 4
    assert report["cameo_codes_covered"] == 3
    consult = report["per_type"]["CONSULT"]
    assert (consult["total"], consult["covered"], consult["missing"]) == (3, 2, ["0499"])
    coerce = report["per_type"]["COERCE"]
    assert coerce["covered"] == 1 and coerce["differs"] == [{"cameo": "163", "crosswalk": "COERCE", "patterns": ["SANCTION"]}]


def test_by_object_codes_count_as_carried(patterns):
    # the aid patterns carry 071-073 only through their object lexicons, not as their own `cameo`
    own = {p.cameo for p in patterns.patterns}
    carried = pattern_codes(patterns)
    assert "071" not in own and carried["071"] == {"AID"}


def test_cli_json_has_the_documented_keys(tmp_path):
    result = CliRunner().invoke(main, ["patterns", "coverage", "--crosswalk", str(_write(tmp_path)), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"cameo_codes_total", "cameo_codes_covered", "per_type"} <= set(data)
    assert data["per_type"]["CONSULT"]["missing"] == ["0499"]


def test_cli_text_lists_the_missing_codes(tmp_path):
    result = CliRunner().invoke(main, ["patterns", "coverage", "--crosswalk", str(_write(tmp_path))])
    assert result.exit_code == 0
    assert "3/4" in result.output and "missing: 0499" in result.output


def test_a_missing_or_malformed_crosswalk_is_one_coded_line(tmp_path):
    result = CliRunner().invoke(main, ["patterns", "coverage", "--crosswalk", str(tmp_path / "nothing.txt")])
    assert result.exit_code == 1 and "[EW101]" in result.output
    with pytest.raises(InputError):
        read_crosswalk(tmp_path / "nothing.txt")
    bad = _write(tmp_path, "041: CONSULT, phone\n042: , visit\n")
    with pytest.raises(DataFileError, match=r"crosswalk\.txt:2: code 042"):
        read_crosswalk(bad)


REAL = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "CAMEO2PLOVER-2021.txt"


@pytest.mark.skipif(not REAL.exists(), reason="the shared reference files (../shared) are not present")
def test_every_code_of_the_real_crosswalk_has_a_pattern(patterns):
    report = coverage(read_crosswalk(REAL), patterns)
    missing = {t: e["missing"] for t, e in report["per_type"].items() if e["missing"]}
    assert not missing
    assert report["cameo_codes_covered"] == report["cameo_codes_total"] > 250
