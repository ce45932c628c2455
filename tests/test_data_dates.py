"""The date word lists are checked data: ``eventwire data check`` finds planted mistakes with file
and line, and a user's data folder changes what the date finder knows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eventwire.attributes.dates import DateFinder, find_times
from eventwire.errors import DataFileError
from eventwire.resources import Resources, bundled_dir, check


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(bundled_dir() / "dates", tmp_path / "dates")
    return tmp_path / "dates"


def _line(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_bundled_date_files_pass_the_check() -> None:
    assert [p for p in check() if "/dates/" in p.path] == []


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        ('date: "02-30"', "February has no day 30"),
        ('date: "13-01"', "month 13 does not exist"),
        ('date: "25/12"', 'write the date as "MM-DD"'),
        ('dat: "12-25"', "unknown key 'dat'"),
    ],
)
def test_check_reports_a_bad_holiday_with_file_and_line(tmp_path: Path, bad: str, says: str) -> None:
    folder = _copy(tmp_path)
    path = folder / "holidays.yaml"
    text = path.read_text(encoding="utf-8").replace('date: "12-25"', bad, 1)
    path.write_text(text, encoding="utf-8")
    problems = [p for p in check(tmp_path) if p.path.endswith("holidays.yaml")]
    assert len(problems) == 1, problems
    assert problems[0].line == _line(text, bad)
    assert says in problems[0].message
    with pytest.raises(DataFileError, match=rf"holidays.yaml:{_line(text, bad)}"):
        DateFinder(Resources(tmp_path))


def test_check_reports_an_unknown_key_of_the_grammar_file(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "grammar.yaml"
    text = path.read_text(encoding="utf-8") + "\ncolour_words: [red, green]\n"
    path.write_text(text, encoding="utf-8")
    problems = [p for p in check(tmp_path) if p.path.endswith("grammar.yaml")]
    assert [(p.line, p.message) for p in problems] == [
        (_line(text, "colour_words"), "unknown key 'colour_words'; remove it or check its spelling")
    ]


def test_a_users_data_folder_changes_the_words(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "holidays.yaml"
    path.write_text(path.read_text(encoding="utf-8") + '  - names: [Founders Day]\n    date: "03-15"\n',
                    encoding="utf-8")
    text = "The parade is held on Founders Day."
    assert find_times(text, "2024-01-10") == []
    found = find_times(text, "2024-01-10", resources=Resources(tmp_path))
    assert [(t.text, t.value) for t in found] == [("Founders Day", "2024-03-15")]


def test_patterns_are_compiled_once_per_resources() -> None:
    res = Resources()
    assert DateFinder(res).grammar is DateFinder(res).grammar
    assert DateFinder(res).grammar is not DateFinder(Resources()).grammar
