"""Recognition patterns for temporal expressions and their value resolvers.

Each pattern is a compiled regex plus a handler. A handler looks at one match and
returns a :class:`Cand` (span, type, kind) whose ``resolve`` closure computes the TIMEX3
value later, once overlapping candidates are settled, in document order.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ...resources import Resources, default_resources
from . import calc
from .lexicon import Lexicon, alternation, load_lexicon
from .tense import TenseCues
from .tense import direction as clause_direction

Resolved = tuple[str, "str | None"]


@dataclass
class Ctx:
    """What resolvers need: the anchor (publication date), the text, the parse, the last date."""

    text: str
    anchor: dt.date | None
    doc: Any = None
    grammar: Any = None  # the Grammar whose patterns found the candidates (its cue words)
    ref: dt.date | None = None
    ref_precision: str | None = None
    quarter: tuple[int, int, int] | None = None  # (year, quarter, offset) of the last quarter named
    _dirs: dict[tuple[int, int], str | None] = field(default_factory=dict)

    def direction(self, start: int, end: int) -> str | None:
        """past, future, present (simple present: future for weekdays only) or None."""
        key = (start, end)
        if key not in self._dirs:
            self._dirs[key] = clause_direction(self.doc, start, end, self.grammar.tense_cues)
        return self._dirs[key]

    def reported_quarter(self, start: int) -> tuple[int, int] | None:
        """(year, quarter) of a quarter named within the last few paragraphs (earnings reports
        compare "the quarter" with "a year earlier"), or None."""
        if self.quarter is None or start - self.quarter[2] > _QUARTER_REACH:
            return None
        self.quarter = (self.quarter[0], self.quarter[1], max(start, self.quarter[2]))  # the report goes on
        return self.quarter[0], self.quarter[1]

    def tense(self, start: int, end: int) -> str | None:
        """past, future or None (present counts as unknown)."""
        d = self.direction(start, end)
        return None if d == "present" else d


@dataclass
class Cand:
    start: int
    end: int
    type: str
    kind: str
    resolve: Callable[[Ctx], Resolved]
    priority: int = 0
    day_like: bool = False  # resolves to a single day (a clock time may attach)
    absolute: bool = False  # sets the reference date for later anaphora
    clock: str | None = None  # HH:MM of a clock time
    prefix: str = ""  # words joined before the match ("the winter of", "early")
    names_quarter: bool = False  # a quarter named in its own right ("the third quarter"): later anaphora use it


_QUARTER_REACH = 1500  # characters within which "the quarter", "a year earlier" refer back to a named quarter


FLAGS = re.I | re.UNICODE
B = r"(?<![\w'’-])"  # left word boundary
E = r"(?!\w)"  # right word boundary ("Friday's" keeps "Friday")
_tens = "(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_ones = "(?:one|two|three|four|five|six|seven|eight|nine)"
YEAR = r"(?:1[0-9]\d\d|20\d\d|21\d\d)"


def parse_number(s: str, lex: Lexicon) -> int | None:
    """An integer from digits or number words; None for vague amounts ("several")."""
    s = re.sub(r"\s+", " ", s.strip().lower())
    if s in lex.vague:
        return None
    digits = s.replace(",", "")
    if re.fullmatch(r"\d+", digits):
        return int(digits)
    if re.fullmatch(r"\d+\.\d+", digits):
        return int(float(digits))
    if s in lex.numbers:
        return lex.numbers[s]
    m = re.fullmatch(r"(\w+)[\s-]+(\w+)", s)
    if m and m.group(1) in lex.numbers and m.group(2) in lex.numbers:
        return lex.numbers[m.group(1)] + lex.numbers[m.group(2)]
    return None


def _unit(word: str, g: Grammar) -> Any:
    return g.lex.units.get(word.lower().rstrip("."))


def _is_cap(s: str) -> bool:
    return s[:1].isupper()


def _prev_word(text: str, start: int) -> str:
    m = re.search(r"([\w'’-]+)\W*$", text[max(0, start - 30) : start])
    return m.group(1).lower() if m else ""


def _next_word(text: str, end: int) -> str:
    m = re.match(r"\W*?([\w'’-]+)", text[end : end + 30])
    return m.group(1) if m else ""


def duration_value(n: int | None, unit: Any) -> str:
    """P3Y, PT2H, PXM ..."""
    pre = "PT" if unit.time else "P"
    if unit.code == "WE":
        return f"P{'X' if n is None else n}WE"
    if n is None:
        return f"{pre}X{unit.vague_code or unit.code}"
    return f"{pre}{n * unit.multiplier}{unit.code}"


def _year_before(ctx: Ctx, start: int) -> str | None:
    """The same quarter a year before the quarter the report is about ("a year earlier" in an
    earnings report), or None when no quarter was named shortly before."""
    q = ctx.reported_quarter(start)
    return f"{q[0] - 1:04d}-Q{q[1]}" if q else None


_COMPARISON_BEFORE = re.compile(
    r"(?:\b(?:from|than|with|versus|vs\.?|over)|\d(?:[\d.,]*)\s*(?:million|billion|%|percent|cents?|pence|a\s+share)?"
    r"|a\s+share|a\s+year)\s*,?\s*$",
    re.I,
)


def _comparison(text: str, start: int) -> bool:
    """Does the text just before ``start`` compare a figure ("up from $3 million last year")?"""
    return _COMPARISON_BEFORE.search(text, max(0, start - 40), start) is not None


def _calendar_direction(ctx: Ctx, start: int, end: int) -> str | None:
    """Tense that places a month or day without a year; None (the nearest one) after words that
    name a start or end point whatever the tense of the clause ("extended through January",
    "named chairman, effective Feb. 1")."""
    if _prev_word(ctx.text, start) in ctx.grammar.open_end:
        return None
    return ctx.tense(start, end)


def _const(kind: str, value: str | None) -> Callable[[Ctx], Resolved]:
    return lambda ctx: (kind, value)


def _needs_anchor(fn: Callable[[dt.date, Ctx], str | None], typ: str = "DATE") -> Callable[[Ctx], Resolved]:
    def run(ctx: Ctx) -> Resolved:
        if ctx.anchor is None:
            return typ, None
        return typ, fn(ctx.anchor, ctx)

    return run


# ---------------------------------------------------------------- handlers
Handler = Callable[[re.Match[str], str, "Grammar"], "Cand | None"]
Source = Callable[["Grammar"], str]
# The patterns in order: (regex source, handler, trigger, flags). A source or trigger that is a
# function is given the Grammar (the word alternations of its lexicon) when the Grammar is built.
# The trigger is a keyword that every match of the pattern contains: the pattern then only runs in
# windows around the keyword's occurrences (speed). Patterns without one share one keyword scan.
RULES: list[tuple[Source | str, Handler, Source | re.Pattern[str] | str | None, int]] = []


def pattern(regex: Source | str, trigger: Source | str | None = None,
            flags: int = FLAGS) -> Callable[[Handler], Handler]:
    def deco(fn: Handler) -> Handler:
        RULES.append((regex, fn, trigger, flags))
        return fn

    return deco


def _year_value(y: str) -> int:
    return int(y)


@pattern(rf"{B}(\d{{4}})-(\d{{2}})-(\d{{2}})(?:[T ](\d{{2}}):(\d{{2}}))?(?!\d)")
def iso_date(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    d = calc.safe_date(int(m[1]), int(m[2]), int(m[3]))
    if d is None:
        return None
    if m[4]:
        val = f"{d.isoformat()}T{m[4]}:{m[5]}"
        return Cand(m.start(), m.end(), "TIME", "iso", _const("TIME", val), 5, absolute=True)
    return Cand(m.start(), m.end(), "DATE", "iso", _const("DATE", d.isoformat()), 5, True, True)


@pattern(r"(?<![\w/.,-])(\d{1,2})([/.])(\d{1,2})\2(\d{4}|\d{2})(?![\w/]|[.,]\d)")
def numeric_date(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    a, b, y = int(m[1]), int(m[3]), int(m[4])
    if len(m[4]) == 2:
        y += 2000 if y < 50 else 1900
    month, day = (b, a) if m[2] == "." or a > 12 else (a, b)
    d = calc.safe_date(y, month, day)
    if d is None:
        return None
    return Cand(m.start(), m.end(), "DATE", "numeric", _const("DATE", d.isoformat()), 4, True, True)


def _day_month(month: int, day: int, year: str | None, start: int, end: int, kind: str, pri: int) -> Cand | None:
    if not 1 <= day <= 31:
        return None
    if year:
        d = calc.safe_date(int(year), month, day)
        if d is None:
            return None
        return Cand(start, end, "DATE", kind, _const("DATE", d.isoformat()), pri, True, True)
    if calc.safe_date(2000, month, day) is None:
        return None

    def res(ctx: Ctx) -> Resolved:
        if ctx.anchor is None:
            return "DATE", f"XXXX-{month:02d}-{day:02d}"
        y = calc.pick_year(ctx.anchor, month, day, _calendar_direction(ctx, start, end))
        d = calc.safe_date(y, month, day) or calc.safe_date(y, month, 28)
        return "DATE", d.isoformat() if d else None

    return Cand(start, end, "DATE", kind, res, pri, True, False)


_AFTER_NUM = r"(?!\s*(?:%|percent|per\s+cent)|[.,]\d|\w)"


@pattern(lambda g: rf"{B}(?:({g.WD_ANY}),?\s+)?(?:the\s+)?({g.MON_ANY})\s+(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?"
    rf"(?:(?:,\s*|\s+)({YEAR}))?{_AFTER_NUM}", trigger=lambda g: g.month_key)
def month_day(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    if not _is_cap(m[2]) and not text.isupper():
        return None
    month = g.lex.months[m[2].lower().rstrip(".")]
    return _day_month(month, int(m[3]), m[4], m.start(), m.end(), "month_day", 4)


@pattern(lambda g: rf"{B}(?:({g.WD_ANY}),?\s+)?(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({g.MON_ANY})"
    rf"(?:,?\s+({YEAR}))?{E}", trigger=lambda g: g.month_key)
def day_month(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    if not _is_cap(m[3]) and not text.isupper():
        return None
    month = g.lex.months[m[3].lower().rstrip(".")]
    return _day_month(month, int(m[2]), m[4], m.start(), m.end(), "day_month", 4)


@pattern(lambda g: rf"{B}(?:(early|late|mid|the\s+(?:start|beginning|end|middle)\s+of)[\s-]+)?({g.MON_ANY})"
    rf"(?:,?\s+(?:of\s+)?({YEAR})|\s+({alternation(g.w.steps)[3:-1]})\s+year){E}", trigger=lambda g: g.month_key)
def month_year(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    if not _is_cap(m[2]) and not text.isupper():
        return None
    month = g.lex.months[m[2].lower().rstrip(".")]
    if m[3]:
        val = calc.month_value(int(m[3]), month)
        return Cand(m.start(), m.end(), "DATE", "month_year", _const("DATE", val), 3, absolute=True)
    k = g.w.steps[m[4].lower()]
    return Cand(
        m.start(), m.end(), "DATE", "month_year",
        _needs_anchor(lambda a, c: calc.month_value(a.year + k, month)), 3,
    )


@pattern(lambda g: rf"{B}(?:({alternation(g.w.month_modifiers)[3:-1]})[\s-]+(?:in\s+)?)?"
    rf"({g.MON_FULL}|{g.MON_ANY}(?=\s*\())(?!\s+\d){E}", trigger=lambda g: g.month_key)
def month_alone(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    name = m[2]
    if not _is_cap(name) and not text.isupper():
        return None
    low = name.lower().rstrip(".")
    mod = (m[1] or "").lower()
    if low in g.lex.ambiguous_months and not mod:
        if _prev_word(text, m.start()) not in g.lex.month_cues:
            return None
        if low == "march" and re.match(r"\s+(?:on|to|through|against|in\s+support|for)\b", text[m.end() :]):
            return None
    month = g.lex.months[low]
    start, end = m.start(), m.end()

    def res(ctx: Ctx) -> Resolved:
        if ctx.anchor is None:
            return "DATE", f"XXXX-{month:02d}"
        a = ctx.anchor
        if mod.startswith("last") or mod == "this past":
            y = a.year if month < a.month else a.year - 1
        elif mod.startswith("next") or mod == "this coming":
            y = a.year if month > a.month else a.year + 1
        elif mod == "this":
            y = a.year
        elif mod == "that" and ctx.ref:
            y = ctx.ref.year
        else:
            y = calc.pick_year(a, month, None, _calendar_direction(ctx, start, end))
        return "DATE", calc.month_value(y, month)

    return Cand(start, end, "DATE", "month", res, 2)


@pattern(rf"{B}(?:(fiscal(?:\s+year)?|FY|calendar(?:\s+year)?|the\s+year|the\s+(?:start|beginning|end|middle|close)\s+of"
    rf"|early|late|mid|the\s+early|the\s+late|the\s+mid)[\s-]*)?['’]?({YEAR})(?![\w%]|[.,]\d|['’]?s\b)")
def year(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    pre = text[max(0, m.start() - 3) : m.start()]
    if re.search(r"[$£€#¥]\s*$|No\.\s*$", pre) or re.search(r"No\.\s*$", text[max(0, m.start() - 4) : m.start()]):
        return None
    after = text[m.end() : m.end() + 40]
    if not m[1]:
        nxt = re.match(r"\s+([a-z]+)", after)
        if nxt and nxt.group(1).endswith("s") and nxt.group(1) not in g.w.year_ok_before and len(nxt.group(1)) > 3:
            return None  # "2000 soldiers"
        if re.match(r"\s*(?:GMT|UTC|hours|hrs|local\s+time|Z\b)", after):
            return None
        prev = _prev_word(text, m.start())
        if prev in g.w.not_year_after:
            return None
    y = m[2]
    return Cand(m.start(), m.end(), "DATE", "year", _const("DATE", y), 2, absolute=True)


@pattern(lambda g: rf"{B}(?:the\s+)?(?:(early|late|mid)[\s-]+)?(?:((?:1[5-9]|20)\d0)['’]?s|['’](\d)0['’]?s|"
    rf"(?:nineteen[\s-]+|twenty[\s-]+)?({g.DECADES})){E}")
def decade(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    if m[2]:
        digits = m[2]
        if len(digits) != 4:
            return None
        val = digits[:3]
    elif m[3]:
        val = "19" + m[3]
    else:
        if not m.group(0).lower().startswith("the"):
            return None
        val = ("20" if "twenty " in m.group(0).lower() else "19") + str(g.lex.decades[m[4].lower()])
    return Cand(m.start(), m.end(), "DATE", "decade", _const("DATE", val), 3, absolute=True)


@pattern(lambda g: rf"{B}(?:the\s+)?(?:(early|late|mid)[\s-]+)?({g.ORD_ALL})[\s-]+century{E}", trigger=r"century")
def century(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    o = m[2].lower()
    n = int(re.sub(r"\D", "", o)) if o[0].isdigit() else g.lex.ordinals.get(o)
    if not n or n > 22:
        return None
    return Cand(m.start(), m.end(), "DATE", "century", _const("DATE", f"{n - 1:02d}"), 3)


_QDET = (
    r"the|this|last|next|its|their|his|her|our|a|an|that|"
    r"(?:this|last|next)\s+year['’]s|the\s+(?:year-ago|year-earlier|latest|current|same|previous|prior|"
    r"most\s+recent|recent|comparable|corresponding|fiscal|calendar)(?:\s+(?:year-ago|year-earlier))?"
)


@pattern(lambda g: rf"{B}(?:({_QDET})\s+)?(?:(?:fiscal|calendar)[\s-]+)?({g.ORD_Q})[\s-]+(?:fiscal[\s-]+)?(quarter|half)"
    rf"(?:\s+(?:of\s+)?(?:(?:fiscal\s+(?:year\s+)?)?({YEAR})|(this|last|next)\s+year|the\s+(?:(?:current|previous)\s+)?year))?{E}", trigger=r"quarter|half")
def quarter(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    half = m[3].lower() == "half"
    word = m[2].lower()
    ordv = g.w.part_ordinals.get(word) or g.w.closing_part_ordinals[word]
    if ordv < 0:  # the final one
        ordv = 2 if half else 4
    if half and ordv > 2:
        return None
    det = (m[1] or "").lower()
    if half and not (m[4] or m[5] or "year" in m.group(0).lower()[m.group(0).lower().find("half") :]):
        return None  # "the first half" of a match
    code = f"H{ordv}" if half else f"Q{ordv}"
    fixed = m[4]
    rel = (m[5] or "").lower() or ("last" if det.startswith("last") else "next" if det.startswith("next") else "")
    if "year-ago" in det or "year-earlier" in det:
        rel = "last"

    def res(ctx: Ctx) -> Resolved:
        if fixed:
            return "DATE", f"{fixed}-{code}"
        if ctx.anchor is None:
            return "DATE", f"XXXX-{code}"
        k = g.w.steps.get(rel, 0)
        return "DATE", f"{ctx.anchor.year + k:04d}-{code}"

    c = Cand(m.start(), m.end(), "DATE", "quarter", res, 3, absolute=bool(fixed))
    c.names_quarter = not half and (bool(fixed) or not rel)
    return c


@pattern(rf"{B}([QH])([1-4])(?:\s*[-/ ]\s*|\s+)?(?:FY\s*)?(\d{{4}}|\d{{2}})?{E}")
def quarter_code(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    if m[1] == "H" and m[2] not in "12":
        return None
    if not m[1].isupper():
        return None
    code = f"{m[1].upper()}{m[2]}"
    y = m[3]
    if y and len(y) == 2:
        y = "20" + y
    if not y:
        return Cand(m.start(), m.end(), "DATE", "quarter",
                    lambda ctx: ("DATE", f"{ctx.anchor.year:04d}-{code}" if ctx.anchor else f"XXXX-{code}"), 2)
    return Cand(m.start(), m.end(), "DATE", "quarter", _const("DATE", f"{y}-{code}"), 3)


@pattern(rf"{B}(the|this|last|next|that|the\s+(?:latest|current|same|previous|prior|most\s+recent|recent|"
    r"year-ago|year-earlier|comparable|corresponding|fiscal)(?:\s+(?:year-ago|year-earlier|fiscal))?)\s+quarter(?!ly|s)"
    + E)
def quarter_rel(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    det = re.sub(r"\s+", " ", m[1].lower())
    words = g.w.quarter_rel
    if det == "the" and _next_word(text, m.end()).lower() in words.not_before:
        return None
    k = 0 if det in words.current else 1 if det in words.next else -1
    year_ago = any(w in det for w in words.year_ago)
    if year_ago:
        k = -5
    start, end = m.start(), m.end()
    anaphoric = det in words.anaphoric

    def res(ctx: Ctx) -> Resolved:
        if ctx.anchor is None:
            return "DATE", None
        if year_ago:
            before = _year_before(ctx, start)
            if before:
                return "DATE", before
        elif anaphoric and (det != "this" or ctx.tense(start, end) != "future"):
            q = ctx.reported_quarter(start)
            if q:
                return "DATE", f"{q[0]:04d}-Q{q[1]}"
        return "DATE", calc.shift_value(ctx.anchor, "quarter", k)

    return Cand(start, end, "DATE", "quarter_rel", res, 2)


@pattern(rf"{B}(?:(?:the\s+)?(latest|most\s+recent|year-ago|year-earlier|comparable|corresponding|same)"
    rf"(?:\s+(?:year-ago|year-earlier))?\s+(?:period|quarter)(?:\s+(last\s+year|a\s+year\s+(?:ago|earlier)))?"
    rf"|(last\s+year)['’]s\s+(?:period|quarter)){E}", trigger=r"period|quarter")
def reported_period(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    """Periods of an earnings report: "the latest period", "the year-earlier period",
    "the same period last year", "last year's quarter"."""
    det = (m[1] or "").lower()
    year_ago = bool(m[2] or m[3]) or det in ("year-ago", "year-earlier") or "year-" in m.group(0).lower()
    if det in g.w.same_period and not year_ago:
        return None  # "the same period" alone: anaphora of unknown extent
    start = m.start()

    def res(ctx: Ctx) -> Resolved:
        if ctx.anchor is None:
            return "DATE", None
        if year_ago:
            return "DATE", _year_before(ctx, start) or calc.shift_value(ctx.anchor, "quarter", -5)
        q = ctx.reported_quarter(start)
        return "DATE", f"{q[0]:04d}-Q{q[1]}" if q else calc.shift_value(ctx.anchor, "quarter", -1)

    return Cand(start, m.end(), "DATE", "quarter_rel", res, 3)


@pattern(lambda g: rf"{B}(?:({alternation(g.w.season_modifiers)[3:-1]})[\s-]+)?"
    rf"({g.SEASON})(?:\s+(?:of\s+)?({YEAR}))?{E}")
def season(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    det = (m[1] or "").lower()
    code = g.lex.seasons[m[2].lower()]
    prev = _prev_word(text, m.start())
    if not m[3]:
        if not det and prev not in g.w.season_cues:
            return None
        if det in ("the", "") and _next_word(text, m.end()).lower() == "of":
            return None  # "the fall of Kabul"
        if det in ("the", "") and code == "FA" and prev not in g.w.fall_cues:
            return None
    fixed = m[3]
    start, end = m.start(), m.end()

    def res(ctx: Ctx) -> Resolved:
        if fixed:
            return "DATE", f"{fixed}-{code}"
        if ctx.anchor is None:
            return "DATE", f"XXXX-{code}"
        a = ctx.anchor
        smonth = calc.SEASON_START[code]
        cur_start_year = a.year if a.month >= smonth else a.year - 1  # most recent start
        if det.startswith("last") or det == "this past":
            y = cur_start_year - 1 if _in_season(a, code) else cur_start_year
        elif det.startswith("next") or det == "this coming":
            y = cur_start_year + 1
        elif det == "this":
            y = cur_start_year if _in_season(a, code) or code == "WI" and a.month <= 2 else a.year
        else:
            d = ctx.tense(start, end)
            y = cur_start_year if d == "past" else (cur_start_year if _in_season(a, code) else cur_start_year + 1) if d == "future" else a.year
        return "DATE", f"{y:04d}-{code}"

    return Cand(start, end, "DATE", "season", res, 2, absolute=bool(fixed))


def _in_season(a: dt.date, code: str) -> bool:
    s = calc.SEASON_START[code]
    return (a.month - s) % 12 < 3


@pattern(lambda g: rf"{B}({g.HOLIDAY_RE})(?:\s+(?:of\s+)?({YEAR}))?{E}", trigger=lambda g: g.holiday_key)
def holiday(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    if not _is_cap(m[1]):
        return None
    h = g.lex.holidays[re.sub(r"\s+", " ", m[1].lower()).replace("’", "'")]
    fixed = int(m[2]) if m[2] else None
    start, end = m.start(), m.end()

    def on(y: int) -> dt.date | None:
        if h.date:
            return calc.safe_date(y, int(h.date[:2]), int(h.date[3:]))
        if h.easter is not None:
            return calc.easter(y) + dt.timedelta(days=h.easter)
        if h.nth_weekday:
            mo, wd, n = h.nth_weekday
            return calc.nth_weekday(y, mo, wd, n)
        return None

    def res(ctx: Ctx) -> Resolved:
        if fixed:
            d = on(fixed)
            return "DATE", d.isoformat() if d else f"{fixed}-XX-XX"
        if ctx.anchor is None or on(2000) is None:
            return "DATE", "XXXX-XX-XX"
        a = ctx.anchor
        direc = ctx.tense(start, end)
        days = [d for d in (on(a.year - 1), on(a.year), on(a.year + 1)) if d]
        if direc == "past":
            ok = [d for d in days if d <= a + dt.timedelta(days=7)]
            return "DATE", max(ok).isoformat()
        if direc == "future":
            ok = [d for d in days if d >= a - dt.timedelta(days=7)]
            return "DATE", min(ok).isoformat()
        return "DATE", min(days, key=lambda d: abs((d - a).days)).isoformat()

    return Cand(start, end, "DATE", "holiday", res, 3, day_like=True, absolute=bool(fixed))


@pattern(lambda g: rf"{B}(?:(early|late|earlier|later)\s+)?({g.REL_DAY[3:-1]}){g.PART_SUFFIX}{E}")
def rel_day(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    word = re.sub(r"\s+", " ", m[2].lower())
    k = g.w.relative_days[word]
    part = g.lex.day_parts.get(m[3].lower()) if m[3] else ("NI" if word == "tonight" else None)
    typ = "TIME" if part else "DATE"

    def fn(a: dt.date, ctx: Ctx) -> str:
        v = (a + dt.timedelta(days=k)).isoformat()
        return v + "T" + part if part else v

    return Cand(m.start(), m.end(), typ, "rel_day", _needs_anchor(fn, typ), 3, day_like=not part)


@pattern(lambda g: rf"{B}(this|last|the|that)\s+({g.PART}){E}")
def rel_part(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    det = m[1].lower()
    part = g.lex.day_parts[m[2].lower()]
    if det in ("the", "that") and _prev_word(text, m.start()) not in g.w.day_part_cues:
        return None
    k = -1 if det == "last" and part in ("NI", "EV") else 0

    def fn(a: dt.date, c: Ctx) -> str:
        base = c.ref if det in ("the", "that") and c.ref and c.ref_precision == "day" else a
        return (base + dt.timedelta(days=k)).isoformat() + "T" + part

    return Cand(m.start(), m.end(), "TIME", "rel_part", _needs_anchor(fn, "TIME"), 2)


@pattern(rf"{B}overnight{E}")
def overnight(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    return Cand(m.start(), m.end(), "TIME", "rel_part",
                _needs_anchor(lambda a, c: (a - dt.timedelta(days=1)).isoformat() + "TNI", "TIME"), 1)


@pattern(lambda g: rf"{B}(?:({g.WD_DET[3:-1]})\s+)?({g.WD_FULL})(s)?(?:\s+({g.PART})(s)?)?{E}", trigger=lambda g: g.weekday_key)
def weekday(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    det = (m[1] or "").lower()
    wd = g.lex.weekdays[m[2].lower()]
    part = g.lex.day_parts.get(m[4].lower()) if m[4] else None
    start = m.start(2) if det == "on" else m.start()
    end = m.end()
    if m[3] or m[5]:  # "on Mondays", "Tuesday nights"
        val = f"XXXX-WXX-{wd}" + (f"T{part}" if part else "")
        return Cand(start, end, "SET", "weekday_set", _const("SET", val), 2)
    typ = "TIME" if part else "DATE"

    def res(ctx: Ctx) -> Resolved:
        if ctx.anchor is None:
            return typ, None
        base = ctx.ref if det in g.w.weekday.anaphoric and ctx.ref else ctx.anchor
        if det in g.w.weekday.last:
            d = calc.weekday_date(base, wd, "last")
        elif det in g.w.weekday.next:
            d = calc.weekday_date(base, wd, "next")
        elif det == "this":
            d = calc.weekday_date(base, wd, "this")
        else:
            direc = ctx.direction(start, end)
            if direc == "present" and text[end : end + 2] in ("'s", "’s"):
                direc = None  # "the move follows Tuesday's declaration": the present tense is not a plan
            if base.isoweekday() == wd and direc in (None, "present"):
                d = base  # the anchor's own weekday, no tense to move it: that very day
            else:
                d = calc.weekday_date(base, wd, "future" if direc == "present" else direc or "past")
        return typ, d.isoformat() + (f"T{part}" if part else "")

    return Cand(start, end, typ, "weekday", res, 2, day_like=not part)


@pattern(lambda g: rf"{B}(?:({alternation(g.w.rel_unit.modifiers)[3:-1]})[\s-]+(?:in\s+)?)?({g.REL_DET[3:-1]})\s+"
    rf"({alternation(g.w.rel_unit.units)[3:-1]})"
    rf"(?:\s+or\s+so)?(?![\w-])", trigger=lambda g: g.unit_key)
def rel_unit(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    mod = (m[1] or "").lower()
    det = re.sub(r"\s+", " ", m[2].lower())
    unit = m[3].lower()
    start, end = m.start(), m.end()
    prev = _prev_word(text, start)
    nxt = _next_word(text, end).lower()
    words = g.w.rel_unit
    if det == "the":
        # bare "the year/week": only in clearly temporal frames
        if unit == "weekend" or mod or prev in words.frame_after or (
            prev == "in" and _prev_word(text, start - 3) in ("earlier", "later")
        ):
            pass
        else:
            return None
        if nxt in words.not_before:
            return None
    if det in words.whole and unit not in ("year",):
        return None
    if unit == "day" and det not in words.day_determiners:
        return None
    if det == "the next" and unit == "day" and nxt in words.vague_after_next_day:
        return None  # "the next day or two": a vague duration
    if nxt in ("of",) and det in ("the last", "the first"):
        return None
    gran = {"fortnight": "week"}.get(unit, unit)
    anaphoric = det in words.anaphoric or (det == "the next" and unit == "day")
    if det in words.before:
        k = -1
    elif det in words.after:
        k = 1
    else:
        k = 0
    if det in words.latest and unit in words.latest_units:
        k = 0

    def res(ctx: Ctx) -> Resolved:
        base = ctx.ref if anaphoric and ctx.ref else ctx.anchor
        if base is None:
            return "DATE", None
        if anaphoric and not ctx.ref and det in ("that", "the same"):
            return "DATE", None
        if anaphoric and ctx.ref and gran == "day" and ctx.ref_precision != "day":
            return "DATE", None
        if gran == "weekend":
            kk = k
            if det == "the":
                direc = ctx.tense(start, end) or "past"
                kk = -1 if direc == "past" and base.isoweekday() < 6 else 0
            return "DATE", calc.shift_value(base, "weekend", kk)
        if gran == "day":
            return "DATE", calc.shift_value(base, "day", k)
        if gran == "week" and k == -1 and det == "last" and not anaphoric and str(base.isoweekday()) in words.week_ended_on:
            return "DATE", calc.shift_value(base, "week", 0)  # a Sunday paper's "last week": the week just ending
        if gran == "year" and k == -1 and det == "last" and not mod and (
            _comparison(text, start) or re.match(r"['’]s\s+(?:results|figures|net|loss|profit|earnings)\b", text[end : end + 20], re.I)
        ):
            before = _year_before(ctx, start)  # "compared with $33 million last year" in a quarterly report
            if before:
                return "DATE", before
        return "DATE", calc.shift_value(base, gran, k)

    return Cand(start, end, "DATE", "rel_unit", res, 2, day_like=(gran == "day"))


@pattern(lambda g: rf"{B}(?:the\s+)?({g.UNIT_PARTS[3:-1]})\s+of\s+(the|this|last|next|that)\s+"
    rf"(week|month|year|decade|century|quarter){E}", trigger=lambda g: g.unit_key)
def period_part(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    det = m[2].lower()
    unit = m[3].lower()
    k = g.w.steps.get(det, 0)
    return Cand(m.start(), m.end(), "DATE", "period_part",
                _needs_anchor(lambda a, c: calc.shift_value(c.ref if det == "that" and c.ref else a, unit, k)), 2)


@pattern(rf"{B}(?:earlier|later)\s+in\s+the\s+(week|month|year|day){E}")
def later_in(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    unit = m[1].lower()
    s = m.start() + m.group(0).lower().rfind("the")
    return Cand(s, m.end(), "DATE", "rel_unit", _needs_anchor(lambda a, c: calc.shift_value(a, unit, 0)), 2)


@pattern(lambda g: rf"{B}(?:({g.APPROX})\s+)?({g.NUM})\s+({g.UNITS})\s+(?:or\s+so\s+|or\s+more\s+)?"
    rf"({g.AGO_WORDS[3:-1]}){E}", trigger=lambda g: g.unit_key)
def ago(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    n = parse_number(m[2], g.lex)
    unit = _unit(m[3], g)
    if unit is None or unit.code == "WE":
        return None
    word = re.sub(r"\s+", " ", m[4].lower())
    words = g.w.ago
    if word in words.signals and _next_word(text, m.end()).lower() not in ("", "that", "the"):
        return None  # "two days after the vote": a duration and a signal
    if word in words.signals and _next_word(text, m.end()).lower() == "the":
        return None
    sign = -1 if word in words.backward else 1
    start, end = m.start(), m.end()
    rel_to_ref = word in words.from_reference

    def res(ctx: Ctx) -> Resolved:
        if n is None:
            return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF"
        base = ctx.anchor
        if base is None:
            return "DATE", None
        if sign < 0 and n == 1 and unit.name == "year":
            before = _year_before(ctx, start)  # "up from $3 million a year earlier" in a quarterly report
            if before:
                return "DATE", before
        if rel_to_ref and ctx.ref is not None and word in words.forward:
            base = ctx.ref
        elif rel_to_ref and word in words.forward and ctx.tense(start, end) == "past":
            return "DATE", None  # "a year later, he was released": later than an event not dated here
        gran = unit.granularity
        if unit.code == "Y":  # years, decades, centuries: the multiplier counts years
            d = calc.shift_date(base, "year", sign * n * unit.multiplier)
        else:
            d = calc.shift_date(base, gran, sign * n * unit.multiplier)
        if gran == "time":
            return "TIME", d.isoformat()
        if gran == "day":
            return "DATE", d.isoformat()
        if gran == "week":
            return "DATE", d.isoformat()
        if gran == "month":
            return "DATE", calc.month_value(d.year, d.month)
        if gran == "quarter":
            return "DATE", calc.shift_value(d, "quarter", 0)
        if gran == "decade":
            return "DATE", calc.shift_value(d, "decade", 0)
        if gran == "century":
            return "DATE", calc.shift_value(d, "century", 0)
        return "DATE", f"{d.year:04d}"

    return Cand(start, end, "DATE", "ago", res, 3, day_like=unit.granularity in ("day", "week"))


@pattern(lambda g: rf"{B}(?:({alternation(g.w.duration.determiners)[3:-1]})\s+)?(?:({g.APPROX})\s+)?({g.NUM}|{g.NUM_WORD}\s+and\s+a\s+half)"
    rf"(?:\s+(?:or|to|-|–)\s+{g.NUM})?(?:\s+or\s+so)?(?:\s+more)?[\s-]+({g.UNITS})"
    rf"((?:-|\s+)(?:long|old))?(?:\s+or\s+so)?{E}", trigger=lambda g: g.unit_key)
def duration(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    unit = _unit(m[4], g)
    if unit is None:
        return None
    numtxt = m[3].lower()
    det = (m[1] or "").lower()
    n = parse_number(numtxt, g.lex) if "half" not in numtxt else parse_number(numtxt.split(" and")[0], g.lex)
    if n is None and numtxt not in g.lex.vague:
        return None
    if unit.code == "WE" or m[4].lower() == "second":
        return None
    if numtxt in ("a", "an") and m[4].lower().endswith("s"):
        return None
    if re.fullmatch(r"\d{4,}", numtxt) or (m[5] and "old" in m[5].lower()):
        return None  # "the 1988 quarter", ages ("a 35-year-old man")
    after = text[m.end() : m.end() + 12]
    if unit.name == "quarter" and (re.match(r"\s+of\b", after) or "-" in m.group(0)[: m.start(4) - m.start()]):
        return None  # fractions: "a quarter of", "three-quarters"
    if re.match(r"\s+old\b", after) or re.match(r"[\w-]", after):
        return None
    if "," in numtxt and n and n > 1000:
        return None
    if n is not None and n > 5000:
        return None
    # "a day" after "once/twice/times/per/$": a frequency, handled as SET
    prev = _prev_word(text, m.start())
    words = g.w.duration
    if numtxt in words.indefinite and not det and prev in words.frequency_before:
        return None
    if numtxt == "one" and m[4].lower() == "day" and not det and not m[2] and prev in g.modals:
        # "Islam will one day be ...": an unspecified future time, not a length of one day
        return Cand(m.start(), m.end(), "DATE", "ref", _const("DATE", "FUTURE_REF"), 2)
    if (numtxt in ("a", "an") and not det and not m[2] and not m[5] and not re.match(r"['’]s\b|\s+of\b|\s*-", after, re.I)
            and g.rate_before.search(text, max(0, m.start() - 40), m.start())):
        # "$33 million a year", "50 people a day": a rate, TIMEX3 SET
        return Cand(m.start(), m.end(), "SET", "set", _const("SET", duration_value(1, unit)), 2)
    start = m.start()
    # "the" alone is kept only before a number ("the nine months")
    if det in words.dropped_determiners and n is None:
        start = m.start(2) if m[2] else m.start(3)
    ranged = re.search(r"\s(?:or|to|-|–)\s", m.group(0)[m.end(3) - m.start() : m.start(4) - m.start()])
    val = duration_value(None if ranged and "or so" not in m.group(0) else n, unit)
    if (prev == "in" and not det and not m[2] and not ranged and n and unit.granularity in words.point_granularities
            and not re.match(r"\s+or\b", after)):  # "in a year or two": vague
        end = m.end()

        def res(ctx: Ctx) -> Resolved:
            # "will be redeemed in five years": the point five years ahead, not a length of time
            if ctx.anchor is None or ctx.tense(start, end) != "future":
                return "DURATION", val
            d = calc.shift_date(ctx.anchor, unit.granularity, n * unit.multiplier)
            return "DATE", calc.point_value(d, unit.granularity)

        return Cand(start, end, "DURATION", "duration", res, 2)
    return Cand(start, m.end(), "DURATION", "duration", _const("DURATION", val), 2)


@pattern(lambda g: rf"{B}{alternation(g.w.bare_unit_cues)}\s+({g.UNITS}){E}", trigger=lambda g: g.unit_key)
def bare_units(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    word = m[1].lower()
    unit = _unit(word, g)
    if unit is None or not word.endswith("s") or unit.code == "WE" or len(word) < 4:
        return None
    return Cand(m.start(1), m.end(1), "DURATION", "duration", _const("DURATION", duration_value(None, unit)), 1)


@pattern(lambda g: rf"{B}(?:({alternation(g.w.sets.every)[3:-1]})\s+(?:({g.NUM})\s+)?(?:other\s+)?"
    rf"({g.UNITS}|{g.WD_FULL}|{g.MON_FULL}|{g.SEASON})"
    rf"|({alternation(g.w.sets.times)[3:-1]}|{g.NUM}\s+times)\s+{alternation(g.w.sets.per)}\s+({g.UNITS}))(?!s){E}",
    trigger=lambda g: alternation(g.w.sets.every | g.w.sets.times | {"times"})[3:-1])
def set_expr(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    if m[1]:
        what = m[3].lower()
        num = parse_number(m[2], g.lex) if m[2] else 1
        if what in g.lex.weekdays:
            val = f"XXXX-WXX-{g.lex.weekdays[what]}"
        elif what in g.lex.months:
            val = f"XXXX-{g.lex.months[what]:02d}"
        elif what in g.lex.seasons:
            val = f"XXXX-{g.lex.seasons[what]}"
        else:
            unit = _unit(what, g)
            if unit is None:
                return None
            val = duration_value(num or 1, unit)
        return Cand(m.start(), m.end(), "SET", "set", _const("SET", val), 3)
    unit = _unit(m[5], g)
    if unit is None:
        return None
    return Cand(m.start(), m.end(), "SET", "set", _const("SET", duration_value(1, unit)), 3)


@pattern(lambda g: rf"{B}({g.SET_ADVERBS}){E}")
def set_adverb(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    if not m[1].islower():
        return None  # "the Daily Mail"
    nxt = re.match(r"\s+([a-z]+)", text[m.end() : m.end() + 25])
    if nxt and nxt.group(1) not in g.w.function_words:
        return None  # adjective: "daily flights", "quarterly dividend"
    return Cand(m.start(), m.end(), "SET", "set", _const("SET", g.lex.set_adverbs[m[1].lower()]), 1)


def _ref_handler(value: str) -> Handler:
    def handler(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
        low = m.group(0).lower()
        if low == "soon" and re.search(r"\bas\s+$", text[max(0, m.start() - 4) : m.start()], re.I):
            return None  # "as soon as": a conjunction
        after = text[m.end() : m.end() + 30]
        if low.startswith("the ") and re.match(r"\s+of\b", after):
            return None  # "the future of the peace process": a topic, not a time
        if low == "future":
            nxt = re.match(r"\s+([a-z][\w-]*)", after)
            if nxt and nxt.group(1) not in g.w.function_words and _unit(nxt.group(1), g) is None:
                return None  # adjective: "future payments", "future strategy" (but "future quarters")
            if nxt and _unit(nxt.group(1), g) is not None:
                return Cand(m.start(), m.end() + nxt.end(), "DATE", "ref", _const("DATE", value), 1)
        return Cand(m.start(), m.end(), "DATE", "ref", _const("DATE", value), 1)

    return handler


# words that refer to the present, past or future (references.yaml); an empty list has no pattern
RULES.append((lambda g: g.phrases(g.lex.present_ref), _ref_handler("PRESENT_REF"), None, FLAGS))
RULES.append((lambda g: g.phrases(g.lex.past_ref), _ref_handler("PAST_REF"), None, FLAGS))
RULES.append((lambda g: g.phrases(g.lex.future_ref), _ref_handler("FUTURE_REF"), None, FLAGS))


def _adj_handler(value: str) -> Handler:
    def handler(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
        nxt = re.match(r"\s+([a-z][\w-]*)", text[m.end() : m.end() + 30])
        if not nxt or nxt.group(1) in g.lex.adjective_exclusions:
            return None
        lo = max(0, m.start() - 5)
        then = re.search(r"\bthen[\s-]$", text[lo : m.start()], re.I)
        if then and value == "PRESENT_REF":  # "the then current price": current at a past time
            return Cand(lo + then.start(), m.end(), "DATE", "ref", _const("DATE", "PAST_REF"), 0)
        return Cand(m.start(), m.end(), "DATE", "ref", _const("DATE", value), 0)

    return handler


# adjectives of the present, past or future, case-sensitive ("the current government")
RULES.append((lambda g: g.phrases(g.lex.present_adjectives), _adj_handler("PRESENT_REF"), None, re.UNICODE))
RULES.append((lambda g: g.phrases(g.lex.past_adjectives), _adj_handler("PAST_REF"), None, re.UNICODE))
RULES.append((lambda g: g.phrases(g.lex.future_adjectives), _adj_handler("FUTURE_REF"), None, re.UNICODE))


@pattern(lambda g: rf"{B}(?:the\s+)?({alternation(g.w.vague_units.words)[3:-1]})\s+({alternation(g.w.vague_units.units)[3:-1]})(?:\s+and\s+(?:weeks|months|years))?{E}", trigger=lambda g: g.unit_key)
def vague_units(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    unit = _unit(m[2], g)
    if unit is None:
        return None
    if m[1].lower() in g.w.vague_units.need_the and not m.group(0).lower().startswith("the"):
        return None
    return Cand(m.start(), m.end(), "DURATION", "duration", _const("DURATION", duration_value(None, unit)), 1)


@pattern(rf"{B}the\s+(days|weeks|months|years|decades)\s+(?:ahead|to\s+come){E}|(?<=\bover\s)the\s+years{E}", trigger=lambda g: g.unit_key)
def units_ahead(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    unit = _unit(m[1] or "years", g)
    return Cand(m.start(), m.end(), "DURATION", "duration", _const("DURATION", duration_value(None, unit)), 1)


@pattern(lambda g: rf"(?<=\bfor\s)({alternation(g.w.vague_durations)[3:-1]}){E}")
def vague_duration(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    return Cand(m.start(), m.end(), "DURATION", "duration", _const("DURATION", "PXX"), 1)


@pattern(rf"(?<=\bat\s)the\s+time{E}(?!\s+(?:of|when|that|for|to|it|this|being)\b)")
def at_the_time(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    return Cand(m.start(), m.end(), "DATE", "ref", _const("DATE", "PAST_REF"), 1)


@pattern(rf"{B}(?:the\s+)?(year|month|week)[\s-]+(ago|earlier|before|end)(?![\w-])(\s+period{E})?|{B}(?:the\s+)?year['’]s\s+end{E}")
def year_ago(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    unit = (m[1] or "year").lower()
    word = (m[2] or "end").lower()
    if word == "end" and unit != "year":
        return None
    if word != "end" and not re.match(r"[\s-]+(?:[a-z]+)", text[m.end() : m.end() + 15]) and "-" not in m.group(0):
        return None
    k = 0 if word == "end" else -1
    start = m.start()
    if unit == "year" and word != "end":
        period = bool(m[3])

        def res(ctx: Ctx) -> Resolved:
            if ctx.anchor is None:
                return "DATE", None
            before = _year_before(ctx, start)
            if before:
                return "DATE", before
            return "DATE", calc.shift_value(ctx.anchor, "quarter", -5) if period else f"{ctx.anchor.year - 1:04d}"

        return Cand(start, m.end(), "DATE", "year_ago", res, 1)
    return Cand(start, m.end(), "DATE", "year_ago",
                _needs_anchor(lambda a, c: calc.shift_value(a, unit, k)), 1)


@pattern(lambda g: rf"{B}the\s+({YEAR})\s+(?:({g.ORD})\s+)?(period|quarter|half|season|fiscal\s+year){E}")
def year_period(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    y = m[1]
    kind = m[3].lower()
    if m[2] and kind in ("quarter", "half"):
        n = g.w.part_ordinals[m[2].lower()]
        val = f"{y}-{'Q' if kind == 'quarter' else 'H'}{n}"
        c = Cand(m.start(), m.end(), "DATE", "year", _const("DATE", val), 3, absolute=True)
        c.names_quarter = kind == "quarter"
        return c
    start = m.start()
    if kind in ("quarter", "period"):
        def res(ctx: Ctx) -> Resolved:  # "the 1988 quarter": the quarter of the report, in 1988
            q = ctx.reported_quarter(start)
            return "DATE", f"{y}-Q{q[1]}" if q else y

        return Cand(start, m.end(), "DATE", "year", res, 3, absolute=True)
    return Cand(start, m.end(), "DATE", "year", _const("DATE", y), 3, absolute=True)


@pattern(lambda g: rf"{B}(?:the\s+)?(?:({g.FISCAL_DET[3:-1]})\s+)?"
    rf"fiscal\s+year(?!\s+(?:\d|ended|ending|ends)){E}")
def fiscal_year(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    det = (m[1] or "").lower()
    k = -1 if det in g.w.fiscal_year.before else 1 if det in g.w.fiscal_year.after else 0
    return Cand(m.start(), m.end(), "DATE", "rel_unit", _needs_anchor(lambda a, c: calc.shift_value(a, "year", k)), 2)


@pattern(rf"{B}(?:the\s+)?(?:fiscal\s+)?(year|quarter|month|week)(?=\s+(?:ended|ending|ends|that\s+ended|through)\b)", trigger=lambda g: g.unit_key)
def unit_ended(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    unit = _unit(m[1], g)
    return Cand(m.start(), m.end(), "DURATION", "duration", _const("DURATION", duration_value(1, unit)), 1)


_SPOKEN_YEAR = rf"(?:nineteen|twenty)[\s-]+(?:{_tens}(?:[\s-]+{_ones})?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|hundred|oh[\s-]+{_ones})|two\s+thousand(?:\s+(?:and\s+)?(?:{_tens}(?:[\s-]+{_ones})?|{_ones}|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen))?"


@pattern(lambda g: rf"{B}(?:(?:the\s+year|({g.MON_FULL}))\s+)?({_SPOKEN_YEAR}){E}", trigger=r"nineteen|twenty|thousand")
def spoken_year(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    words = re.sub(r"[\s-]+", " ", m[2].lower()).replace(" and ", " ").split()
    if words[0] == "two":
        rest = " ".join(words[2:])
        y = 2000 + (parse_number(rest, g.lex) or 0 if rest else 0)
    else:
        hi = 19 if words[0] == "nineteen" else 20
        rest = " ".join(words[1:])
        lo = 0 if rest == "hundred" else parse_number(rest.replace("oh ", ""), g.lex)
        if lo is None or lo > 99:
            return None
        y = hi * 100 + lo
    if m[1] and not _is_cap(m[1]):
        return None
    val = calc.month_value(y, g.lex.months[m[1].lower().rstrip(".")]) if m[1] else f"{y}"
    return Cand(m.start(), m.end(), "DATE", "year", _const("DATE", val), 2, absolute=True)


@pattern(lambda g: rf"{B}(?:(early|late|mid)[\s-]+)?({g.PART})\s+(yesterday|today|tomorrow|({g.WD_FULL})){E}")
def part_day(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    part = g.lex.day_parts[m[2].lower()]
    word = m[3].lower()
    start, end = m.start(), m.end()

    def res(ctx: Ctx) -> Resolved:
        if ctx.anchor is None:
            return "TIME", None
        if m[4]:
            wd = g.lex.weekdays[word]
            direc = ctx.direction(start, end) or "past"
            d = calc.weekday_date(ctx.anchor, wd, "future" if direc == "present" else direc)
        else:
            d = ctx.anchor + dt.timedelta(days=g.w.relative_days[word])
        return "TIME", f"{d.isoformat()}T{part}"

    return Cand(start, end, "TIME", "rel_day", res, 3)


# ---------------------------------------------------------------- clock times
@pattern(lambda g: rf"{B}(?:({alternation(g.w.clock_approximators)[3:-1]})\s+)?"
    r"(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m\.?|p\.?m\.?|am|pm)(?![\w])(?:\s+((?:[A-Z]{2,4}T|GMT|UTC)\b|local\s+time))?")
def clock_ampm(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    h, mi = int(m[2]), int(m[3] or 0)
    if not 1 <= h <= 12 or mi > 59:
        return None
    pm = m[4].lower().startswith("p")
    h24 = (h % 12) + (12 if pm else 0)
    return _clock(m.start(), m.end(), f"{h24:02d}:{mi:02d}")


@pattern(r"(?<![\w:.])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])(?:\s+((?:[A-Z]{2,4}T|GMT|UTC)\b|local\s+time|hours|hrs))?")
def clock_24(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    return _clock(m.start(), m.end(), f"{int(m[1]):02d}:{m[2]}")


@pattern(r"(?<![\w:.])([01]\d|2[0-3])([0-5]\d)\s*(?:GMT|UTC|hours|hrs|local\s+time|Z\b|h\b)")
def clock_military(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    return _clock(m.start(), m.end(), f"{m[1]}:{m[2]}")


@pattern(lambda g: rf"{B}(?:(?:around|about)\s+)?({g.NUM_WORD}|\d{{1,2}})\s+o['’]clock{E}", trigger=r"o['’]clock")
def clock_oclock(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    n = parse_number(m[1], g.lex)
    if not n or n > 12:
        return None
    return _clock(m.start(), m.end(), f"{n:02d}:00")


@pattern(lambda g: rf"{B}({g.FIXED_TIME}){E}")
def clock_fixed(m: re.Match[str], text: str, g: Grammar) -> Cand | None:
    return _clock(m.start(), m.end(), g.lex.fixed_times[m[1].lower()])


def _clock(start: int, end: int, hm: str) -> Cand:
    c = Cand(start, end, "TIME", "clock",
             _needs_anchor(lambda a, ctx: f"{a.isoformat()}T{hm}", "TIME"), 2)
    c.clock = hm
    return c


def _longest_word(phrase: str) -> str:
    return max(re.findall(r"[\w'’-]+", phrase), key=len)


# Words written in this file's own patterns that every match of a pattern without a keyword of its
# own contains (or a digit): the words of the data files are added by the Grammar.
_PATTERN_WORDS = frozenset(("quarter", "fiscal", "overnight", "earlier", "later", "while", "time", "year", "month",
                            "week"))


class Grammar:
    """The patterns compiled for one lexicon (one Resources): built once, used for every text.

    Attributes named in upper case are regex alternations of the lexicon's words, read by the
    pattern sources; ``w`` holds the grammar's context words (data/dates/grammar.yaml).
    """

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.w = w = lex.grammar
        self.tense_cues = TenseCues(lex.cues)
        self.open_end = lex.cues["open_end_words"]
        self.modals = lex.cues["modals"] | lex.cues["future_auxiliaries"]
        full_months = {k: v for k, v in lex.months.items() if len(k) > 4 or k in w.short_month_names}
        # full names take no dot ("on 14 May." ends the sentence); abbreviations may ("Dec. 5")
        self.MON_ANY = ("(?:" + alternation(full_months)[3:-1] + "|"
                        + alternation({k for k in lex.months if k not in full_months}, abbrev_dot=True)[3:-1] + ")")
        self.MON_FULL = "(?:" + alternation(full_months)[3:-1] + r"|sept\.)"
        self.WD_ANY = alternation(lex.weekdays, abbrev_dot=True)
        self.WD_FULL = alternation({k for k in lex.weekdays if len(k) > 4})
        self.SEASON = alternation(lex.seasons)
        self.PART = alternation(lex.day_parts)
        self.PART_SUFFIX = rf"(?:\s+({self.PART}))?"
        self.FIXED_TIME = alternation(lex.fixed_times)
        self.UNITS = alternation(lex.units)
        self.NUM_WORD = rf"(?:{_tens}[\s-]+{_ones}|{alternation(lex.numbers)[3:-1]})"
        self.NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|{self.NUM_WORD}|{alternation(lex.vague)[3:-1]})"
        self.APPROX = alternation(lex.approximators)
        self.ORD = alternation(w.part_ordinals)
        self.ORD_Q = alternation(set(w.part_ordinals) | set(w.closing_part_ordinals))
        self.ORD_ALL = rf"(?:\d{{1,2}}(?:st|nd|rd|th)|{alternation(lex.ordinals)[3:-1]})"
        self.DECADES = alternation(lex.decades)[3:-1]
        self.SET_ADVERBS = alternation(lex.set_adverbs)[3:-1]
        self.HOLIDAY_RE = alternation(lex.holidays)
        self.REL_DAY = alternation(w.relative_days)
        self.AGO_WORDS = alternation(w.ago.backward | w.ago.forward)
        self.UNIT_PARTS = alternation(w.period_parts | w.unit_only_parts)
        ru = w.rel_unit
        self.REL_DET = alternation(ru.before | ru.after | ru.anaphoric | ru.whole | ru.current)
        wd = w.weekday
        self.WD_DET = alternation(wd.last | wd.next | wd.anaphoric | wd.other)
        self.FISCAL_DET = alternation(w.fiscal_year.before | w.fiscal_year.after | w.fiscal_year.current)
        self.month_key = re.compile(rf"(?<!\w){alternation(lex.months)}(?!\w)", FLAGS)
        self.unit_key = re.compile(rf"(?<!\w){alternation(lex.units)}(?!\w)", FLAGS)
        self.weekday_key = re.compile(rf"(?<!\w){alternation(lex.weekdays)}", FLAGS)
        self.holiday_key = re.compile(rf"(?<!\w){self.HOLIDAY_RE}(?!\w)", FLAGS)
        rate_stop = "|".join(sorted(w.rate_stop_words))
        self.rate_before = re.compile(
            rf"(?:(?<![\d,./])\d[\d,.]*\s*(?:%|percent|million|billion|thousand|trillion)?|\b{alternation(lex.cues['rate_words'])}"
            rf"|(?:(?<![\d,./])\d(?:[\d,.]*\d)?|\b{self.NUM_WORD})\s+(?!(?:{rate_stop})\b)[a-z]+(?<!ing)(?<!ed))\s*$",
            FLAGS,
        )
        # One scan for every pattern without a keyword of its own: each of their matches contains a
        # digit or one of these words, so they only run in windows around them (speed; same output).
        any_words = (
            set(lex.decades) | set(lex.seasons) | set(lex.day_parts) | set(lex.fixed_times) | set(lex.set_adverbs)
            | {_longest_word(p) for p in lex.present_ref + lex.past_ref + lex.future_ref}
            | {_longest_word(p) for p in lex.present_adjectives + lex.past_adjectives + lex.future_adjectives}
            | {_longest_word(p) for p in w.relative_days} | {_longest_word(p) for p in w.vague_durations}
            | _PATTERN_WORDS
        )
        any_key = re.compile(rf"\d+|(?<!\w){alternation(any_words)}", FLAGS)
        # (regex, handler, trigger) in the order of RULES
        self.patterns: list[tuple[re.Pattern[str], Handler, re.Pattern[str]]] = []
        for source, handler, trigger, flags in RULES:
            regex = source(self) if callable(source) else source
            if regex is None:
                continue  # an empty word list
            if callable(trigger):
                trigger = trigger(self)
            if isinstance(trigger, str):
                trigger = re.compile(trigger, FLAGS)
            self.patterns.append((re.compile(regex, flags), handler, trigger or any_key))

    @staticmethod
    def phrases(words: list[str]) -> str | None:
        """A whole-word pattern of phrases, or None for an empty list."""
        return rf"{B}{alternation(words)}{E}" if words else None


def grammar_for(resources: Resources | None = None) -> Grammar:
    """The Grammar of a Resources object (default: the bundled data), built once per Resources."""
    res = resources if resources is not None else default_resources()
    key = ("dates", "grammar")
    found = res._cache.get(key)  # noqa: SLF001 - a derived object cached with the files it is built from
    if found is None:
        found = res._cache[key] = Grammar(load_lexicon(res))
    return found
