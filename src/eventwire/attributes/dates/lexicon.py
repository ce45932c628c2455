"""Word lists for temporal expressions, read once from ``data/dates/*.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ...errors import DataFileError
from ...yamlio import load_yaml

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "dates"


@dataclass(frozen=True)
class Unit:
    """A time unit: TIMEX3 duration code, multiplier and date granularity."""

    name: str
    code: str
    multiplier: int
    granularity: str
    time: bool = False


@dataclass(frozen=True)
class Holiday:
    """A named day: fixed MM-DD, Easter offset, n-th weekday rule, or unresolved."""

    date: str | None = None
    easter: int | None = None
    nth_weekday: tuple[int, int, int] | None = None


@dataclass
class Lexicon:
    """All word lists, keyed by lower-case spelling."""

    months: dict[str, int] = field(default_factory=dict)
    ambiguous_months: set[str] = field(default_factory=set)
    month_cues: set[str] = field(default_factory=set)
    weekdays: dict[str, int] = field(default_factory=dict)
    seasons: dict[str, str] = field(default_factory=dict)
    day_parts: dict[str, str] = field(default_factory=dict)
    fixed_times: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)
    vague: set[str] = field(default_factory=set)
    ordinals: dict[str, int] = field(default_factory=dict)
    decades: dict[str, int] = field(default_factory=dict)
    approximators: list[str] = field(default_factory=list)
    units: dict[str, Unit] = field(default_factory=dict)
    present_ref: list[str] = field(default_factory=list)
    past_ref: list[str] = field(default_factory=list)
    future_ref: list[str] = field(default_factory=list)
    present_adjectives: list[str] = field(default_factory=list)
    past_adjectives: list[str] = field(default_factory=list)
    future_adjectives: list[str] = field(default_factory=list)
    adjective_exclusions: set[str] = field(default_factory=set)
    set_adverbs: dict[str, str] = field(default_factory=dict)
    holidays: dict[str, Holiday] = field(default_factory=dict)
    cues: dict[str, frozenset[str]] = field(default_factory=dict)  # cues.yaml: list name -> words


def _load(name: str, data_dir: Path) -> dict[str, Any]:
    path = data_dir / name
    try:
        with path.open(encoding="utf-8") as fh:
            data = load_yaml(fh)
    except OSError as exc:
        raise DataFileError(f"cannot read date word list {path}: {exc}; reinstall eventwire") from exc
    except yaml.YAMLError as exc:
        raise DataFileError(f"{path}: malformed YAML ({exc}); fix the file") from exc
    if not isinstance(data, dict):
        raise DataFileError(f"{path}: expected a mapping at top level; fix the file")
    return data


def _spellings(table: dict[Any, list[str]], path: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, names in table.items():
        if not isinstance(names, list):
            raise DataFileError(f"{path}: entry {key!r} must list spellings; fix the file")
        for name in names:
            out[str(name).lower()] = key
    return out


@lru_cache(maxsize=2)
def load_lexicon(data_dir: Path = DATA_DIR) -> Lexicon:
    """Read and check the date word lists (cached)."""
    cal = _load("calendar.yaml", data_dir)
    num = _load("numbers.yaml", data_dir)
    uni = _load("units.yaml", data_dir)
    ref = _load("references.yaml", data_dir)
    hol = _load("holidays.yaml", data_dir)
    cue = _load("cues.yaml", data_dir)
    try:
        lex = Lexicon(
            months={k: int(v) for k, v in _spellings(cal["months"], "calendar.yaml").items()},
            ambiguous_months={str(m).lower() for m in cal.get("ambiguous_months", [])},
            month_cues={str(m).lower() for m in cal.get("month_cues", [])},
            weekdays={k: int(v) for k, v in _spellings(cal["weekdays"], "calendar.yaml").items()},
            seasons=_spellings(cal["seasons"], "calendar.yaml"),
            day_parts=_spellings(cal["day_parts"], "calendar.yaml"),
            fixed_times=_spellings(cal["fixed_times"], "calendar.yaml"),
            numbers={str(k).lower(): int(v) for k, v in num["numbers"].items()},
            vague={str(v).lower() for v in num["vague"]},
            ordinals={str(k).lower(): int(v) for k, v in num["ordinals"].items()},
            decades={str(k).lower(): int(v) for k, v in num["decades"].items()},
            approximators=[str(v).lower() for v in num["approximators"]],
            present_ref=[str(v).lower() for v in ref["present_ref"]],
            past_ref=[str(v).lower() for v in ref["past_ref"]],
            future_ref=[str(v).lower() for v in ref["future_ref"]],
            present_adjectives=[str(v).lower() for v in ref.get("present_adjectives", [])],
            past_adjectives=[str(v).lower() for v in ref.get("past_adjectives", [])],
            future_adjectives=[str(v).lower() for v in ref.get("future_adjectives", [])],
            adjective_exclusions={str(v).lower() for v in ref.get("adjective_exclusions", [])},
            set_adverbs={str(k).lower(): str(v) for k, v in ref["set_adverbs"].items()},
        )
        for name, spec in uni["units"].items():
            unit = Unit(
                name=str(name),
                code=str(spec["code"]),
                multiplier=int(spec.get("multiplier", 1)),
                granularity=str(spec["granularity"]),
                time=bool(spec.get("time", False)),
            )
            for form in spec["forms"]:
                lex.units[str(form).lower()] = unit
        for name, words in cue.items():
            if not isinstance(words, list):
                raise DataFileError(f"cues.yaml: {name!r} must be a list of words; fix the file")
            lex.cues[str(name)] = frozenset(str(w).lower() for w in words)
        for entry in hol["holidays"]:
            rule = entry.get("nth_weekday")
            holiday = Holiday(
                date=entry.get("date"),
                easter=entry.get("easter"),
                nth_weekday=tuple(int(x) for x in rule) if rule else None,  # type: ignore[arg-type]
            )
            if holiday.date and not re.fullmatch(r"\d\d-\d\d", str(holiday.date)):
                raise DataFileError(f"holidays.yaml: date {holiday.date!r} must be MM-DD; fix the file")
            for name in entry["names"]:
                lex.holidays[str(name).lower()] = holiday
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(f"date word lists in {data_dir} are malformed ({exc!r}); fix the files") from exc
    return lex


def alternation(words: list[str] | set[str] | dict[str, Any], abbrev_dot: bool = False) -> str:
    """A regex alternation of phrases, longest first; spaces match any whitespace."""
    items = sorted({w for w in words}, key=len, reverse=True)
    parts = []
    for w in items:
        pat = re.escape(w).replace(r"\ ", r"\s+").replace("'", "['’]")
        if abbrev_dot and len(w) <= 4:
            pat += r"\.?"
        parts.append(pat)
    return "(?:" + "|".join(parts) + ")"
