"""``eventwire data check``: the bundled data passes; each planted mistake is reported with file:line.

Each case copies the bundled data folder, makes one edit of a kind an analyst could make by hand
(a line replaced or added), and checks that ``eventwire.resources.check`` reports it at the file
and line of the edit with a message naming the problem (issue 9).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwire.cli import main
from eventwire.resources import bundled_dir, check

# (file, old text (first occurrence replaced; "" = append new_text at the end), new text, words of the message)
CASES = [
    ("actors/people.yaml", "  aliases: [Lavrov, Sergey Lavrov]", "  aliases: [Lavrov, Sergey Lavrov]\n  nickname: Sergei",
     "unknown key"),
    ("actors/people.yaml", "  - {country: RUS, sector: GOV, title: Foreign Minister, start: 2004, end: null}",
     "  - {country: RUS, sector: GOV, title: Foreign Minister, start: '2004-02-30', end: null}", "date"),
    ("actors/people.yaml", "  - {country: RUS, sector: GOV, title: Foreign Minister, start: 2004, end: null}",
     "  - {country: RUS, sector: GOV, title: Foreign Minister, start: 2014, end: 2004}", "start"),
    ("actors/people.yaml", "  - {country: RUS, sector: GOV, title: Foreign Minister, start: 2004, end: null}",
     "  - {country: RUS, sector: GVT, title: Foreign Minister, start: 2004, end: null}", "sector"),
    ("actors/groups.yaml", "aliases: [al Qaeda, al-Qaida,", "aliases: [Daesh, al Qaeda, al-Qaida,", "daesh"),
    ("actors/people.yaml", "  aliases: [Lavrov, Sergey Lavrov]", "  aliases: [Lavrov, Sergey Lavrov\n  roles: x",
     "YAML syntax"),
    ("ontology/plover.yaml", "AGREE:     {quad: 1, cameo: \"030\", score: 2.5}",
     "AGREE:     {quad: 1, cameo: \"03a\", score: 2.5}", "cameo"),
    ("ontology/plover.yaml", "AGREE:     {quad: 1, cameo: \"030\", score: 2.5}",
     "AGREE:     {quad: 5, cameo: \"030\", score: 2.5}", "quad"),
    ("gazetteer/towns.tsv", "", "Nowhere\tcity\tSYR\n", "columns"),
    ("ontology/sectors.yaml", "  GOV: government", "  GOV: government\n  GOV: government again", "GOV"),
    # two holders of one office at the same time (issue 11 part 6), across files
    ("actors/people_cabinet.yaml", "", "- name: Ivan Testenko\n  roles:\n"
     "  - {country: UKR, sector: GOV, title: Interior Minister, start: 2012, end: 2013}\n", "overlaps"),
    # a form held by entries of two countries in two files, with no rule that settles it
    ("actors/groups_parties.yaml", "", "- {name: Testland Front, country: KEN, sector: REB, aliases: [Kolokoltsev]}\n",
     "another country"),
]


def _copy(tmp_path: Path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(bundled_dir(), dest, ignore=shutil.ignore_patterns("__pycache__", "models"))
    return dest


def _plant(folder: Path, rel: str, old: str, new: str) -> int:
    """Make the edit; return the 1-based line where it starts."""
    path = folder / rel
    text = path.read_text(encoding="utf-8")
    if old == "":
        if not text.endswith("\n"):
            text += "\n"
        line = text.count("\n") + 1
        text += new
    else:
        assert old in text, f"the case's anchor is not in {rel}: {old!r}"
        idx = text.index(old)
        line = text[:idx].count("\n") + 1
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return line


def test_bundled_data_has_no_problems() -> None:
    assert check() == []


@pytest.mark.parametrize(("rel", "old", "new", "words"), CASES, ids=[f"{c[0]}:{c[3]}" for c in CASES])
def test_a_planted_mistake_is_reported_at_its_file_and_line(tmp_path: Path, rel: str, old: str, new: str,
                                                             words: str) -> None:
    folder = _copy(tmp_path)
    line = _plant(folder, rel, old, new)
    problems = [p for p in check(folder) if p.path.endswith(rel)]
    assert problems, f"no problem reported for {rel}"
    lines_ok = [p for p in problems if p.line is not None and abs(p.line - line) <= 2]
    assert lines_ok, f"reported at {[(p.line, p.message) for p in problems]}, planted at line {line}"
    assert any(words.lower() in p.message.lower() for p in lines_ok), [str(p) for p in lines_ok]
    assert all("\n" not in str(p) for p in problems)


def test_a_concurrent_holder_or_a_shared_alias_is_no_mistake(tmp_path: Path) -> None:
    """A role that says why it overlaps another holder, and an alias whose clash one entry settles, pass."""
    folder = _copy(tmp_path)
    _plant(folder, "actors/people_cabinet.yaml", "", "- name: Ivan Testenko\n  roles:\n"
           "  - {country: UKR, sector: GOV, title: Interior Minister, start: 2012, end: 2013,"
           " concurrent: rival government in the east}\n")
    _plant(folder, "actors/groups_parties.yaml", "", "- {name: Testland Front, country: KEN, sector: REB, "
           "aliases: [Kolokoltsev], shared_aliases: {Kolokoltsev: 'people are read first, so the minister wins'}}\n")
    assert check(folder) == []


def test_cli_data_check_prints_one_line_per_problem(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _plant(folder, *CASES[0][:3])
    _plant(folder, *CASES[6][:3])
    result = CliRunner().invoke(main, ["data", "check", str(folder)])
    assert result.exit_code == 1
    out = [ln for ln in result.output.splitlines() if ln.strip() and "problem(s)" not in ln]
    assert len(out) >= 2 and all(":" in ln for ln in out)
    assert CliRunner().invoke(main, ["data", "check"]).exit_code == 0


def test_a_users_data_folder_overrides_one_file(tmp_path: Path) -> None:
    """Settings.data_dir: a file there replaces the bundled file of the same path, the rest stays bundled."""
    from eventwire.resources import Resources

    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "plover.yaml").write_text("ASSAULT: {quad: 4, cameo: \"190\", score: -9}\n")
    res = Resources(tmp_path)
    assert list(res.yaml("ontology/plover.yaml")) == ["ASSAULT"]
    assert "sectors" in res.yaml("ontology/sectors.yaml")
