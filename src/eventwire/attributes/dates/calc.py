"""Calendar arithmetic and TIMEX3 value formatting (no language knowledge here)."""

from __future__ import annotations

import calendar
import datetime as dt

SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def add_months(d: dt.date, n: int) -> dt.date:
    """Shift by n months, clipping the day to the month length."""
    idx = d.year * 12 + d.month - 1 + n
    y, m = divmod(idx, 12)
    last = calendar.monthrange(y, m + 1)[1]
    return dt.date(y, m + 1, min(d.day, last))


def week_value(d: dt.date) -> str:
    """ISO week of a date: 2023-W46."""
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def month_value(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def point_value(d: dt.date, granularity: str) -> str:
    """The TIMEX3 value of the day, week, month or year of a date."""
    if granularity == "day":
        return d.isoformat()
    if granularity == "week":
        return week_value(d)
    if granularity == "month":
        return month_value(d.year, d.month)
    if granularity == "year":
        return f"{d.year:04d}"
    raise ValueError(f"no point value for the granularity {granularity!r}")


def quarter_of(d: dt.date) -> int:
    return (d.month - 1) // 3 + 1


def shift_value(anchor: dt.date, granularity: str, k: int) -> str:
    """The TIMEX3 value of the unit ``k`` steps from the anchor's (``k=-1``: last week ...)."""
    if granularity == "day":
        return (anchor + dt.timedelta(days=k)).isoformat()
    if granularity == "week":
        return week_value(anchor + dt.timedelta(weeks=k))
    if granularity == "weekend":
        return week_value(anchor + dt.timedelta(weeks=k)) + "-WE"
    if granularity == "month":
        d = add_months(anchor, k)
        return month_value(d.year, d.month)
    if granularity == "quarter":
        idx = anchor.year * 4 + quarter_of(anchor) - 1 + k
        y, q = divmod(idx, 4)
        return f"{y:04d}-Q{q + 1}"
    if granularity == "half":
        idx = anchor.year * 2 + (anchor.month - 1) // 6 + k
        y, h = divmod(idx, 2)
        return f"{y:04d}-H{h + 1}"
    if granularity == "year":
        return f"{anchor.year + k:04d}"
    if granularity == "decade":
        return f"{anchor.year // 10 + k:03d}"
    if granularity == "century":
        return f"{anchor.year // 100 + k:02d}"
    if granularity == "millennium":
        return f"{anchor.year // 1000 + k:d}"
    raise ValueError(granularity)


def shift_date(anchor: dt.date, granularity: str, n: int) -> dt.date:
    """The date n units after the anchor (negative n: before)."""
    if granularity in ("day", "time"):
        return anchor + dt.timedelta(days=n)
    if granularity in ("week", "weekend"):
        return anchor + dt.timedelta(weeks=n)
    if granularity == "month":
        return add_months(anchor, n)
    if granularity == "quarter":
        return add_months(anchor, 3 * n)
    if granularity == "year":
        return add_months(anchor, 12 * n)
    if granularity == "decade":
        return add_months(anchor, 120 * n)
    if granularity == "century":
        return add_months(anchor, 1200 * n)
    return add_months(anchor, 12000 * n)


def easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (the anonymous Gregorian computus)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th ISO weekday (1=Monday) of a month; n=-1 is the last one."""
    if n > 0:
        first = dt.date(year, month, 1)
        offset = (weekday - first.isoweekday()) % 7
        return first + dt.timedelta(days=offset + 7 * (n - 1))
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    offset = (last.isoweekday() - weekday) % 7
    return last - dt.timedelta(days=offset + 7 * (-n - 1))


def safe_date(y: int, m: int, d: int) -> dt.date | None:
    """A date, or None when the fields do not form one (Feb 30)."""
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def pick_year(anchor: dt.date, month: int, day: int | None, direction: str | None) -> int:
    """Year for a month (and day) given without a year.

    direction "past": the latest such date not more than a week after the anchor;
    "future": the earliest not more than a week before it; None: the nearest one, counting
    days ahead one and a half times.
    """
    cands = []
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        if day is None:
            start = dt.date(y, month, 1)
            end = dt.date(y, month, calendar.monthrange(y, month)[1])
        else:
            start = end = safe_date(y, month, day) or dt.date(y, month, 28)
        cands.append((y, start, end))
    slack = dt.timedelta(days=7)
    if direction == "past":
        # news in the past tense still announce days a few weeks ahead ("payable Dec. 15");
        # a whole month in the past tense has begun by then or within three weeks ("changed in December")
        ok = [y for y, s, _ in cands if s <= anchor + dt.timedelta(days=60 if day is not None else 21)]
        return max(ok) if ok else anchor.year
    if direction == "future":
        ok = [y for y, _, e in cands if e >= anchor - slack]
        return min(ok) if ok else anchor.year

    def dist(c: tuple[int, dt.date, dt.date]) -> int:
        _, s, e = c
        if s <= anchor <= e:
            return 0
        if s > anchor:
            return 3 * (s - anchor).days // 2  # news mostly report what has happened: the past wins
        return (anchor - e).days  # unless the coming one is clearly closer

    return min(cands, key=lambda c: (dist(c), c[0] != anchor.year))[0]


def weekday_date(anchor: dt.date, weekday: int, direction: str) -> dt.date:
    """The date of an ISO weekday relative to the anchor.

    "past": the latest on or before the anchor; "future": the first after it;
    "last": strictly before; "next": strictly after; "this": within the anchor's ISO week.
    """
    diff = weekday - anchor.isoweekday()
    if direction == "this":
        return anchor + dt.timedelta(days=diff)
    if direction == "past":
        return anchor + dt.timedelta(days=diff if diff <= 0 else diff - 7)
    if direction == "last":
        return anchor + dt.timedelta(days=diff if diff < 0 else diff - 7)
    # future / next: strictly after the anchor
    return anchor + dt.timedelta(days=diff if diff > 0 else diff + 7)
