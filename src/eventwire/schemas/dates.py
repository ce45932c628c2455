"""Schemas of the date word lists (``data/dates/*.yaml``, read by ``eventwire.attributes.dates``).

Every file is a mapping with a fixed set of keys (unknown keys are errors); holiday dates must be
real calendar days.
"""

from __future__ import annotations

import calendar
import re
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from .core import Strict, Word

Words = Annotated[list[Word], Field(min_length=1)]
Steps = Annotated[dict[Word, int], Field(min_length=1)]
Granularity = Literal["time", "day", "week", "month", "quarter", "year", "decade", "century", "millennium"]
PointGranularity = Literal["day", "week", "month", "year"]  # granularities of calc.point_value
# units that rel_unit can shift by (calc.shift_value, with a fortnight counted as a week)
RelUnitName = Literal["week", "weekend", "month", "year", "decade", "century", "fortnight", "day"]
Code = Annotated[str, StringConstraints(pattern=r"^[A-Z]{1,2}$")]


class CalendarFile(Strict):
    """dates/calendar.yaml: month, weekday, season and day-part names."""

    months: dict[Annotated[int, Field(ge=1, le=12)], Words]
    ambiguous_months: list[Word] = []
    month_cues: list[Word] = []
    weekdays: dict[Annotated[int, Field(ge=1, le=7)], Words]
    seasons: dict[Literal["SP", "SU", "FA", "WI"], Words]
    day_parts: dict[Code, Words]
    fixed_times: dict[Annotated[str, StringConstraints(pattern=r"^(?:[01]\d|2[0-4]):[0-5]\d$")], Words]


class NumbersFile(Strict):
    """dates/numbers.yaml: number words, vague amounts, ordinals, decades, approximators."""

    numbers: dict[Word, Annotated[int, Field(ge=0)]]
    vague: Words
    ordinals: dict[Word, Annotated[int, Field(ge=1)]]
    decades: dict[Word, Annotated[int, Field(ge=0, le=9)]]
    approximators: Words


class Unit(Strict):
    forms: Words
    code: Code
    time: bool = False
    multiplier: Annotated[int, Field(ge=1)] = 1
    granularity: Granularity
    vague_code: Code | None = None


class UnitsFile(Strict):
    """dates/units.yaml: time units and their TIMEX3 duration codes."""

    units: dict[Word, Unit]


class ReferencesFile(Strict):
    """dates/references.yaml: PRESENT_REF / PAST_REF / FUTURE_REF words and frequency adverbs."""

    present_ref: Words
    past_ref: Words
    future_ref: Words
    present_adjectives: list[Word] = []
    past_adjectives: list[Word] = []
    future_adjectives: list[Word] = []
    adjective_exclusions: list[Word] = []
    set_adverbs: dict[Word, Annotated[str, StringConstraints(min_length=1)]]


_MM_DD = re.compile(r"^(\d\d)-(\d\d)$")


class Holiday(Strict):
    names: Words
    date: str | None = None
    easter: Annotated[int, Field(ge=-100, le=100)] | None = None
    nth_weekday: tuple[Annotated[int, Field(ge=1, le=12)], Annotated[int, Field(ge=1, le=7)],
                       Annotated[int, Field(ge=-1, le=5)]] | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _real_day(cls, value: object) -> object:
        if value is None:
            return value
        m = _MM_DD.match(str(value))
        if not isinstance(value, str) or m is None:
            raise ValueError(f"write the date as \"MM-DD\" in quotes, e.g. \"12-25\" (got {value!r})")
        month, day = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise ValueError(f"month {month} does not exist; write the month as 01 to 12")
        last = calendar.monthrange(2000, month)[1]  # a leap year: 02-29 is allowed
        if not 1 <= day <= last:
            raise ValueError(f"{calendar.month_name[month]} has no day {day}; use a day from 01 to {last:02d}")
        return value

    @model_validator(mode="after")
    def _one_rule(self) -> Holiday:
        rules = [r for r in ("date", "easter", "nth_weekday") if getattr(self, r) is not None]
        if len(rules) > 1:
            raise ValueError(f"give one rule per holiday, not {' and '.join(rules)}; split it into two entries")
        return self


class HolidaysFile(Strict):
    """dates/holidays.yaml: named days with a fixed date, an Easter offset or an n-th weekday."""

    holidays: list[Holiday]


class CuesFile(Strict):
    """dates/cues.yaml: the words that decide whether a date lies before or after the anchor."""

    future_auxiliaries: Words
    modals: Words
    future_heads: Words
    planned_participles: Words
    reporting_verbs: Words
    speech_verbs: Words
    declining_verbs: Words
    open_end_words: Words
    rate_words: Words
    past_auxiliaries: Words
    present_be: Words
    progressive_present: Words
    progressive_past: Words
    declining_modals: Words
    past_do: Words
    present_do: Words
    pluperfect: Words


class QuarterRel(Strict):
    current: Words
    next: Words
    year_ago: Words
    anaphoric: Words
    not_before: Words


class WeekdayDeterminers(Strict):
    last: Words
    next: Words
    anaphoric: Words
    other: Words


class Sets(Strict):
    every: Words
    times: Words
    per: Words


class VagueUnits(Strict):
    words: Words
    units: Words
    need_the: Words


class RelUnit(Strict):
    units: list[RelUnitName]
    modifiers: Words
    current: Words
    frame_after: Words
    not_before: Words
    whole: Words
    day_determiners: Words
    vague_after_next_day: Words
    anaphoric: Words
    before: Words
    after: Words
    latest: Words
    latest_units: list[Granularity]
    week_ended_on: list[Annotated[int, Field(ge=1, le=7)]]


class Ago(Strict):
    backward: Words
    forward: Words
    from_reference: Words
    signals: Words


class Duration(Strict):
    determiners: Words
    indefinite: Words
    frequency_before: Words
    dropped_determiners: Words
    point_granularities: list[PointGranularity]


class FiscalYear(Strict):
    before: Words
    after: Words
    current: Words


class GrammarFile(Strict):
    """dates/grammar.yaml: the context words of the date patterns."""

    steps: Steps
    short_month_names: Words
    not_year_after: Words
    year_ok_before: Words
    part_ordinals: dict[Word, Annotated[int, Field(ge=1, le=4)]]
    closing_part_ordinals: dict[Word, Annotated[int, Field(ge=-1, le=4)]]
    quarter_rel: QuarterRel
    same_period: Words
    season_cues: Words
    fall_cues: Words
    relative_days: Steps
    day_part_cues: Words
    weekday: WeekdayDeterminers
    rel_unit: RelUnit
    period_parts: Words
    unit_only_parts: list[Word]
    year_halves: dict[Word, Literal["H1", "H2"]]
    vague_prefixes: Words
    ago: Ago
    duration: Duration
    rate_stop_words: Words
    function_words: Words
    vague_units: VagueUnits
    bare_unit_cues: Words
    sets: Sets
    month_modifiers: Words
    season_modifiers: Words
    vague_durations: Words
    clock_approximators: Words
    fiscal_year: FiscalYear


SCHEMAS = {
    "dates/calendar.yaml": CalendarFile,
    "dates/numbers.yaml": NumbersFile,
    "dates/units.yaml": UnitsFile,
    "dates/references.yaml": ReferencesFile,
    "dates/holidays.yaml": HolidaysFile,
    "dates/cues.yaml": CuesFile,
    "dates/grammar.yaml": GrammarFile,
}
