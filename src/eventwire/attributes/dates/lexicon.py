"""Word lists for temporal expressions, read once per :class:`~eventwire.resources.Resources`
from ``data/dates/*.yaml`` (validated there by :mod:`eventwire.schemas.dates`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from ...errors import DataFileError
from ...resources import Resources, default_resources

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "dates"


@dataclass(frozen=True)
class Unit:
    """A time unit: TIMEX3 duration code, multiplier and date granularity."""

    name: str
    code: str
    multiplier: int
    granularity: str
    time: bool = False
    vague_code: str | None = None  # code of an unspecified number ("decades" -> PXDE)


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
    grammar: Any = None  # grammar.yaml: the grammar's context words, as attributes (see _words)


def _spellings(table: dict[Any, list[str]], path: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, names in table.items():
        if not isinstance(names, list):
            raise DataFileError(f"{path}: entry {key!r} must list spellings; fix the file")
        for name in names:
            out[str(name).lower()] = key
    return out


def _words(value: Any) -> Any:
    """grammar.yaml as attributes: a list becomes a frozenset of lower-case words, a mapping of
    lists a namespace, a mapping of values a dict keyed by lower-case words."""
    if isinstance(value, list):
        return frozenset(str(v).lower() for v in value)
    if isinstance(value, dict):
        if all(isinstance(v, (list, dict)) for v in value.values()):
            return SimpleNamespace(**{str(k): _words(v) for k, v in value.items()})
        return {str(k).lower(): v for k, v in value.items()}
    return value


def load_lexicon(resources: Resources | None = None) -> Lexicon:
    """The date word lists of a Resources object (default: the bundled data), read once each."""
    res = resources if resources is not None else default_resources()
    key = ("dates", "lexicon")
    cached = res._cache.get(key)
    if cached is None:
        cached = res._cache[key] = _build(res)
    return cached


def _build(res: Resources) -> Lexicon:
    cal = res.yaml("dates/calendar.yaml")
    num = res.yaml("dates/numbers.yaml")
    uni = res.yaml("dates/units.yaml")
    ref = res.yaml("dates/references.yaml")
    hol = res.yaml("dates/holidays.yaml")
    cue = res.yaml("dates/cues.yaml")
    gra = res.yaml("dates/grammar.yaml")
    data_dir = res.path("dates/calendar.yaml").parent
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
                vague_code=spec.get("vague_code"),
            )
            for form in spec["forms"]:
                lex.units[str(form).lower()] = unit
        for name, words in cue.items():
            lex.cues[str(name)] = frozenset(str(w).lower() for w in words)
        lex.grammar = _words(gra)
        for entry in hol["holidays"]:
            rule = entry.get("nth_weekday")
            holiday = Holiday(
                date=entry.get("date"),
                easter=entry.get("easter"),
                nth_weekday=tuple(int(x) for x in rule) if rule else None,  # type: ignore[arg-type]
            )
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
