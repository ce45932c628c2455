"""Aggregates: event counts, Goldstein sums, fatalities and article counts per period and group.

``aggregate(db, by="week", group=("country", "event_type"), measure="count", filters=Filters.make(...))``
returns a pandas DataFrame whose index is a real ``DatetimeIndex`` (named ``period``, the first day
of each period), with one column per group and one value column named after the measure. The
same selection rules as ``query`` apply (asserted, non-background, current article versions by
default; every ``Filters`` field).

Periods: ``day``; ``week`` (ISO weeks, Monday to Sunday, labelled by their Monday); ``month``;
``year``.

Date precision (the rule): an event counts in a period only when its whole date period lies in
that period. A day-precision event always does; a week-precision event ("last week") counts in
a week only if it is that week, and in the month or year that contains it; an event known only
to the month is never counted in a week or day, one known to the year never in a month. Such
coarser events are **left out** by default (``coarse="drop"``; how many is in
``frame.attrs["left_out"]``), or **spread** over the periods they overlap in proportion to
their days (``coarse="spread"``: a March event counts 1/31 in each day of March, so the sums
still add up to the number of events). An undated event is dated by its article's publication
day; an event with neither is left out (``frame.attrs["undated"]``).

Measures: ``count`` (event mentions), ``stories`` (distinct stories; a mention without a story is
its own), ``articles`` (distinct articles), ``goldstein`` (sum of the Goldstein scores of the
mentions), ``fatalities`` (each story's deaths once: the largest own count among its mentions in
the period and group, summed over stories).

Groups: ``country``, ``event_type``, ``source``/``target`` (the first source/target actor's code;
together they make a directed dyad), ``dyad`` (undirected: the two codes sorted, joined by "-"),
``admin1`` (the division's name), ``outlet`` (the outlet, else the URL host), ``modality``,
``quad_class``, ``acled_event_type``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from .errors import InputError

PERIODS = ("day", "week", "month", "year")
MEASURES = ("count", "stories", "articles", "goldstein", "fatalities")
GROUPS = ("country", "event_type", "source", "target", "dyad", "admin1", "outlet", "modality", "quad_class",
          "acled_event_type")  # fmt: skip
COARSE = ("drop", "spread")
WHOLE_MEASURES = ("count", "stories", "articles", "fatalities")  # whole numbers unless spread


def period_start(day: date, by: str) -> date:
    """The first day of the period of a grain that contains ``day``."""
    if by == "day":
        return day
    if by == "week":
        return day - timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def _next_period(start: date, by: str) -> date:
    if by == "day":
        return start + timedelta(days=1)
    if by == "week":
        return start + timedelta(days=7)
    if by == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start.replace(year=start.year + 1)


def split_period(start: date, end: date, by: str) -> list[tuple[date, float]]:
    """(period start, share of the event's days) for every period a date span overlaps."""
    total = (end - start).days + 1
    out = []
    cursor = period_start(start, by)
    while cursor <= end:
        nxt = _next_period(cursor, by)
        lo, hi = max(cursor, start), min(nxt - timedelta(days=1), end)
        out.append((cursor, ((hi - lo).days + 1) / total))
        cursor = nxt
    return out


def dyad_label(a: str | None, b: str | None) -> str | None:
    """An undirected dyad: the two codes sorted and joined by '-' ("SYR-TUR"); one code alone when the other is unknown."""
    codes = sorted(c for c in (a, b) if c)
    return "-".join(codes) if codes else None


def _groups(group: Any) -> tuple[str, ...]:
    if group is None or group == "" or group == ():
        return ()
    items = [group] if isinstance(group, str) else list(group)
    out = []
    for item in items:
        for part in str(item).split(","):
            part = part.strip().lower()
            if not part:
                raise InputError("group: empty value; give group names such as country,event_type")
            if part not in GROUPS:
                raise InputError(f"group {part!r}: choose from {', '.join(GROUPS)}")
            out.append(part)
    return tuple(dict.fromkeys(out))


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


def aggregate(
    db: Any = None,
    by: str = "week",
    group: str | tuple[str, ...] | list[str] | None = ("country", "event_type"),
    measure: str = "count",
    filters: Any = None,
    *,
    coarse: str = "drop",
    complete: bool = False,
    **filter_values: Any,
) -> Any:
    """Sum a measure per period and group over the matching events; a DataFrame with a DatetimeIndex.

    by: day, week, month or year. group: names from GROUPS (a tuple or "country,event_type"; None
    for one series). measure: count, stories, articles, goldstein or fatalities. filters: a
    Filters, or its values as keywords. coarse: "drop" (default) or "spread" for events whose
    date is coarser than the period (see the module docstring). complete: add zero rows for the
    periods between the first and the last in which a group has none.
    """
    import pandas as pd

    from .export import admin1_name
    from .query import Filters, select_events
    from .store import Store, open_store

    if by not in PERIODS:
        raise InputError(f"by {by!r}: choose from {', '.join(PERIODS)}")
    if measure not in MEASURES:
        raise InputError(f"measure {measure!r}: choose from {', '.join(MEASURES)}")
    if coarse not in COARSE:
        raise InputError(f"coarse {coarse!r}: choose drop or spread")
    groups = _groups(group)
    if filters is None:
        filters = Filters.make(**filter_values)
    store = db if isinstance(db, Store) else open_store(db, create=False)
    try:
        rows, _ = select_events(store, filters.with_limit(None))
    finally:
        if not isinstance(db, Store):
            store.close()
    records: list[dict[str, Any]] = []
    left_out = undated = 0
    for r in rows:
        start, end = _day(r.date_start), _day(r.date_end)
        if start is None or end is None:
            start = end = _day(r.published)
        if start is None or end is None:
            undated += 1
            continue
        if period_start(start, by) == period_start(end, by):
            shares = [(period_start(start, by), 1.0)]
        elif coarse == "drop":
            left_out += 1
            continue
        else:
            shares = split_period(start, end, by)
        values = {
            "country": r.country, "event_type": r.event_type, "source": r.source_country, "target": r.target_country,
            "dyad": dyad_label(r.source_country, r.target_country),
            "admin1": admin1_name(r.country, r.admin1), "outlet": r.outlet or r.host, "modality": r.modality,
            "quad_class": r.quad_class, "acled_event_type": r.acled_event_type,
        }  # fmt: skip
        story = ("s", r.story_id) if r.story_id is not None else ("m", r.id)
        for when, share in shares:
            rec = {"period": pd.Timestamp(when), "share": share, "goldstein": (r.goldstein or 0.0) * share,
                   "fatalities": (r.fatalities or 0) * share, "story": story, "article": r.article_pk}
            rec.update({g: values[g] for g in groups})
            records.append(rec)
    keys = ["period", *groups]
    frame = pd.DataFrame(records, columns=["period", "share", "goldstein", "fatalities", "story", "article", *groups])
    if frame.empty:
        out = pd.DataFrame(columns=[*groups, measure])
        out.index = pd.DatetimeIndex([], name="period")
    else:
        grouped = frame.groupby(keys, dropna=False, sort=True)
        if measure == "count":
            series = grouped["share"].sum()
        elif measure == "goldstein":
            series = grouped["goldstein"].sum()
        elif measure == "fatalities":
            series = frame.groupby([*keys, "story"], dropna=False)["fatalities"].max().groupby(
                level=list(range(len(keys))), dropna=False).sum()
        else:
            unit = "story" if measure == "stories" else "article"
            series = frame.groupby([*keys, unit], dropna=False)["share"].max().groupby(
                level=list(range(len(keys))), dropna=False).sum()
        out = series.rename(measure).reset_index()
        if complete:
            out = _complete(out, groups, measure, by)
        out = out.set_index(pd.DatetimeIndex(out.pop("period"), name="period"))
        if coarse == "drop" and measure in WHOLE_MEASURES:
            out[measure] = out[measure].round().astype("int64")
    attrs = {"left_out": left_out, "undated": undated, "by": by, "measure": measure, "group": list(groups),
             "coarse": coarse}
    out.attrs.update(attrs)
    return out


def _complete(frame: Any, groups: tuple[str, ...], measure: str, by: str) -> Any:
    import pandas as pd

    first, last = frame["period"].min().date(), frame["period"].max().date()
    periods = []
    cursor = first
    while cursor <= last:
        periods.append(pd.Timestamp(cursor))
        cursor = _next_period(cursor, by)
    if not groups:
        base = pd.DataFrame({"period": periods})
    else:
        combos = frame[list(groups)].drop_duplicates()
        base = pd.DataFrame({"period": periods}).merge(combos, how="cross")
    out = base.merge(frame, on=["period", *groups], how="left")
    out[measure] = out[measure].fillna(0)
    return out.sort_values(["period", *groups], kind="stable").reset_index(drop=True)


__all__ = ["aggregate", "dyad_label", "period_start", "split_period", "PERIODS", "MEASURES", "GROUPS", "COARSE"]
