"""Temporal expressions: recognise them in news text and resolve them against the publication date.

``DateFinder(resources)(text, anchor, doc=None)`` (or ``find_times`` with the bundled data) returns TimeML TIMEX3-style expressions (type DATE,
TIME, DURATION or SET; ISO value) with character offsets into ``text``. Relative
expressions ("last week", "on Monday", "two days ago") are resolved against ``anchor``;
the optional spaCy ``doc`` of the same text gives the tense of the governing verb, which
decides whether a bare weekday, month or holiday lies before or after the anchor.

Word lists live in ``eventwire/data/dates/*.yaml``; a :class:`DateFinder` compiles the patterns of
one :class:`~eventwire.resources.Resources` once and is cached with it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ...errors import InputError
from ...model import DateValue
from ...resources import Resources, default_resources
from . import calc
from .grammar import Cand, Ctx, Grammar, grammar_for
from .lexicon import alternation

__all__ = ["DateFinder", "TimeExpression", "find_times", "parse_anchor", "value_to_date"]


@dataclass
class TimeExpression:
    """One temporal expression: span (end exclusive), TIMEX3 type and value."""

    start: int
    end: int
    text: str
    type: str  # DATE, TIME, DURATION, SET
    value: str | None

    def to_date(self) -> DateValue | None:
        """ISO start of the period with its precision; None for durations, sets, unresolved values."""
        if self.type not in ("DATE", "TIME") or not self.value:
            return None
        found = value_to_date(self.value)
        if found is None:
            return None
        iso, precision = found
        return DateValue(value=iso, precision=precision, text=self.text, start=self.start, end=self.end)


_QUARTER_VALUE = re.compile(r"^(\d{4})-Q([1-4])$")
_LONG_PERIOD = re.compile(r"^P(?:6|9|12)M$|^P1Y$")
_SEASON_RE = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")


def value_to_date(value: str) -> tuple[str, str] | None:
    """(ISO date of the period start, precision) for a TIMEX3 value, or None.

    Quarters, halves and seasons get precision "year" (the coarsest that still holds);
    centuries and references (PRESENT_REF ...) give None.
    """
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        d = calc.safe_date(int(m[1]), int(m[2]), int(m[3]))
        return (d.isoformat(), "day") if d else None
    m = re.match(r"^(\d{4})-W(\d{2})(-WE)?$", value)
    if m:
        try:
            d = dt.date.fromisocalendar(int(m[1]), int(m[2]), 6 if m[3] else 1)
        except ValueError:
            return None
        return d.isoformat(), "week"
    m = re.match(r"^(\d{4})-(\d{2})$", value)
    if m and 1 <= int(m[2]) <= 12:
        return f"{m[1]}-{m[2]}-01", "month"
    m = re.match(r"^(\d{4})-([QH])([1-4])$", value)
    if m:
        months_per = 3 if m[2] == "Q" else 6
        return f"{m[1]}-{(int(m[3]) - 1) * months_per + 1:02d}-01", "year"
    m = _SEASON_RE.match(value)
    if m:
        return f"{m[1]}-{calc.SEASON_START[m[2]]:02d}-01", "year"
    m = re.match(r"^(\d{4})(?:$|-)", value)
    if m:
        return f"{m[1]}-01-01", "year"
    m = re.match(r"^(\d{3})X?$", value)
    if m:
        return f"{m[1]}0-01-01", "decade"
    return None


def parse_anchor(anchor: dt.date | str | None) -> dt.date | None:
    """The anchor as a date: a date, a datetime, or an ISO string ("2023-11-22", "2023-11-22T08:00")."""
    if anchor is None:
        return None
    if isinstance(anchor, dt.datetime):
        return anchor.date()
    if isinstance(anchor, dt.date):
        return anchor
    if isinstance(anchor, str):
        s = anchor.strip()
        m = re.match(r"^(\d{4})-?(\d{2})-?(\d{2})(?:$|[T ])", s)
        if m:
            d = calc.safe_date(int(m[1]), int(m[2]), int(m[3]))
            if d:
                return d
        if not s:
            return None
    raise InputError(
        f"cannot read the anchor (publication) date {anchor!r}; give an ISO date such as 2023-11-22"
    )


# Kinds of grammar.py candidates that a prefix ("the end of", "early") may join.
_PREFIX_KINDS = {"year_ago", "year", "month", "month_year", "month_day", "day_month", "quarter", "quarter_rel", "decade",
                 "rel_unit", "century", "season", "holiday"}
_CLOCK_GAP = re.compile(r"^\s*(?:,\s*)?(?:on|at|of)?\s*$", re.I)


_YEAR_ONLY = re.compile(r"^\d{4}$")


class _Prefixes:
    """The words that join a date before it ("the winter of", "early"), from data/dates/grammar.yaml."""

    def __init__(self, grammar: Grammar) -> None:
        w, lex = grammar.w, grammar.lex
        parts = alternation(w.period_parts | set(lex.seasons))
        self.regex = re.compile(
            rf"(?:\bthe\s+{parts}\s+of\s+(?:the\s+)?|\b(?:{alternation(w.vague_prefixes)[3:-1]}|mid-|mid\s+)\s+)$", re.I
        )
        self.season = re.compile(rf"\b({alternation(lex.seasons)[3:-1]})\b")
        self.seasons = lex.seasons
        self.halves = w.year_halves

    def part_of_year(self, prefix: str, year: str) -> str:
        """"the winter of 1994" -> 1994-WI, "the first half of 1990" -> 1990-H1; other prefixes keep the year."""
        m = self.season.search(prefix)
        if m:
            return f"{year}-{self.seasons[m[1]]}"
        for half, code in self.halves.items():
            if half in prefix:
                return f"{year}-{code}"
        return year


def _select(cands: list[Cand]) -> list[Cand]:
    """Keep the longest of overlapping candidates (ties: higher priority, earlier)."""
    chosen: list[Cand] = []
    taken: list[tuple[int, int]] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), -c.priority, c.start)):
        if any(c.start < e and s < c.end for s, e in taken):
            continue
        chosen.append(c)
        taken.append((c.start, c.end))
    return sorted(chosen, key=lambda c: c.start)


def _merge_clock(cands: list[Cand], text: str) -> list[Cand]:
    """Join a clock time and an adjacent day ("10 p.m. Wednesday", "Monday at 9:30")."""
    out: list[Cand] = []
    i = 0
    while i < len(cands):
        c = cands[i]
        nxt = cands[i + 1] if i + 1 < len(cands) else None
        if nxt is not None and _CLOCK_GAP.match(text[c.end : nxt.start]):
            clock, day = (c, nxt) if c.clock and nxt.day_like else (nxt, c) if nxt.clock and c.day_like else (None, None)
            if clock is not None and day is not None:
                out.append(_joined(c.start, nxt.end, day, clock.clock or ""))
                i += 2
                continue
        out.append(c)
        i += 1
    return out


def _joined(start: int, end: int, day: Cand, hm: str) -> Cand:
    def res(ctx: Ctx) -> tuple[str, str | None]:
        _, v = day.resolve(ctx)
        if v and re.match(r"^\d{4}-\d\d-\d\d$", v):
            return "TIME", f"{v}T{hm}"
        return "TIME", v
    return Cand(start, end, "TIME", "clock_day", res, 3, absolute=day.absolute)


def _ref_date(value: str | None) -> tuple[dt.date, str] | None:
    if not value:
        return None
    found = value_to_date(value)
    if not found or found[1] == "decade":
        return None
    return dt.date.fromisoformat(found[0]), found[1]


_BACK, _FWD = 90, 70  # window around a trigger keyword (longest prefix / suffix of a pattern)


def _windows(trigger: re.Pattern[str], text: str) -> list[list[int]]:
    windows: list[list[int]] = []
    for t in trigger.finditer(text):
        lo, hi = max(0, t.start() - _BACK), min(len(text), t.end() + _FWD)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    return windows


def _matches(regex: re.Pattern[str], trigger: re.Pattern[str] | None, text: str,
             memo: dict[int, list[list[int]]] | None = None) -> list[re.Match[str]]:
    """All matches of regex, searched only in windows around the trigger's hits (windows of a
    trigger shared by several patterns are computed once per text through ``memo``)."""
    if trigger is None:
        return list(regex.finditer(text))
    if memo is None:
        windows = _windows(trigger, text)
    else:
        windows = memo.get(id(trigger))
        if windows is None:
            windows = memo[id(trigger)] = _windows(trigger, text)
    seen: set[tuple[int, int]] = set()
    out = []
    for lo, hi in windows:
        pos = lo
        while pos <= hi:
            m = regex.search(text, pos, hi)
            if m is None:
                break
            if m.end() == hi and hi < len(text):
                m = regex.match(text, m.start()) or m  # do not cut a match at the window edge
            if (m.start(), m.end()) not in seen:
                seen.add((m.start(), m.end()))
                out.append(m)
            pos = max(m.end(), m.start() + 1)
    return out


def _same_text(doc: Any, text: str) -> bool:
    """Cheap check that doc is a parse of text (doc.text would rebuild the whole string)."""
    try:
        if len(doc) == 0:
            return not text.strip()
        last = doc[-1]
        return last.idx + len(last.text_with_ws) == len(text) and text.startswith(doc[0].text, doc[0].idx)
    except (AttributeError, TypeError):
        return False


class DateFinder:
    """Finds and resolves temporal expressions with the word lists of one Resources object.

    resources (Resources | None): the knowledge files (default: the bundled data). The patterns are
        compiled once per Resources (a second DateFinder of the same Resources shares them).

    Example:
        >>> find = DateFinder()
        >>> [(t.text, t.value) for t in find("The talks began on Monday.", "2023-11-22")]
        [('Monday', '2023-11-20')]
    """

    def __init__(self, resources: Resources | None = None) -> None:
        res = resources if resources is not None else default_resources()
        self.grammar = grammar_for(res)
        key = ("dates", "prefixes")
        prefixes = res._cache.get(key)  # noqa: SLF001 - derived from the files cached there
        if prefixes is None:
            prefixes = res._cache[key] = _Prefixes(self.grammar)
        self.prefixes: _Prefixes = prefixes

    def __call__(self, text: str, anchor: dt.date | str | None, doc: Any = None) -> list[TimeExpression]:
        return self.find(text, anchor, doc)

    def find(self, text: str, anchor: dt.date | str | None, doc: Any = None) -> list[TimeExpression]:
        """Find and resolve the temporal expressions in ``text``.

        text: the article text; anchor: its publication date (None: relative ones stay unresolved);
        doc: the spaCy parse of the same text, if the pipeline already has it (never parsed here).
        """
        if not isinstance(text, str):
            raise InputError(f"find_times needs the text as a string, got {type(text).__name__}")
        anchor_date = parse_anchor(anchor)
        if doc is not None and not _same_text(doc, text):
            doc = None  # a parse of some other text cannot tell us anything
        g = self.grammar
        cands: list[Cand] = []
        memo: dict[int, list[list[int]]] = {}
        for regex, handler, trigger in g.patterns:
            for m in _matches(regex, trigger, text, memo):
                c = handler(m, text, g)
                if c is not None and c.end > c.start:
                    cands.append(c)
        chosen = _select(cands)
        prefix_re = self.prefixes.regex
        for c in chosen:
            if c.kind in _PREFIX_KINDS:
                pm = prefix_re.search(text, max(0, c.start - 40), c.start)
                if pm and pm.end() == c.start:
                    c.start = pm.start()
                    c.prefix = pm.group(0).lower()
        chosen = _merge_clock(chosen, text)
        ctx = Ctx(text=text, anchor=anchor_date, doc=doc, grammar=g)
        out: list[TimeExpression] = []
        last_end = -1
        for c in chosen:
            if c.start < last_end:
                continue
            try:
                typ, value = c.resolve(ctx)
            except (ValueError, OverflowError):  # out of the calendar's range ("1,000 millennia ago")
                typ, value = c.type, None
            if c.prefix and typ == "DATE" and value and _YEAR_ONLY.match(value):
                value = self.prefixes.part_of_year(c.prefix, value)
            if typ in ("DATE", "TIME") and value and c.kind != "ref":
                ref = _ref_date(value)
                if ref is not None and c.kind not in ("rel_unit",):
                    ctx.ref, ctx.ref_precision = ref
                if c.names_quarter:
                    qm = _QUARTER_VALUE.match(value)
                    # a report is about a quarter that is over: "losses through the third quarter of 1990" is not
                    if qm and (anchor_date is None
                               or (int(qm[1]), int(qm[2])) < (anchor_date.year, calc.quarter_of(anchor_date))):
                        ctx.quarter = (int(qm[1]), int(qm[2]), c.start)
            elif typ == "DURATION" and value and _LONG_PERIOD.match(value):
                ctx.quarter = None  # "in the first nine months": the comparisons that follow are not quarterly
            out.append(TimeExpression(c.start, c.end, text[c.start : c.end], typ, value))
            last_end = c.end
        return out


def find_times(text: str, anchor: dt.date | str | None, doc: Any = None,
               resources: Resources | None = None) -> list[TimeExpression]:
    """Find and resolve the temporal expressions in ``text`` (see :meth:`DateFinder.find`) with the
    word lists of ``resources`` (default: the bundled data)."""
    return DateFinder(resources).find(text, anchor, doc)
