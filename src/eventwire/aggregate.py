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

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .errors import InputError

PERIODS = ("day", "week", "month", "year")
MEASURES = ("count", "stories", "articles", "goldstein", "fatalities")
GROUPS = ("country", "event_type", "source", "target", "dyad", "admin1", "outlet", "modality", "quad_class",
          "acled_event_type")  # fmt: skip
COARSE = ("drop", "spread")
DEFAULT_GROUP = ("country", "event_type")
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
    group: str | tuple[str, ...] | list[str] | None = DEFAULT_GROUP,
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
    return summarise(prepare(rows, by, groups, coarse), measure, complete=complete)


@dataclass(frozen=True)
class Prepared:
    """Event rows made ready to aggregate at one grain (``prepare``); ``summarise`` sums a measure.

    records: one tuple per event and period it counts in: (event id, period start, share,
    goldstein, fatalities, story, article, *group values). left_out / undated: the ids of the
    events left out as coarser than the period / as undated.
    """

    by: str
    groups: tuple[str, ...]
    coarse: str
    records: list[tuple[Any, ...]]
    left_out: frozenset[int]
    undated: frozenset[int]


def prepare(rows: Any, by: str = "week", group: Any = DEFAULT_GROUP, coarse: str = "drop") -> Prepared:
    """Split event rows (``eventwire.query.select_events`` rows) into their periods and groups.

    A caller that aggregates many selections of the same events (the HTTP API) prepares them once
    and sums each selection with ``summarise(prepared, measure, ids=...)``.
    """
    if by not in PERIODS:
        raise InputError(f"by {by!r}: choose from {', '.join(PERIODS)}")
    if coarse not in COARSE:
        raise InputError(f"coarse {coarse!r}: choose drop or spread")
    groups = _groups(group)
    values = _group_values(groups)
    records: list[tuple[Any, ...]] = []
    left_out: list[int] = []
    undated: list[int] = []
    spans: dict[tuple[Any, Any, Any], list[tuple[date, float]] | None] = {}  # many events share their dates
    for r in rows:
        key = (r.date_start, r.date_end, r.published)
        shares = spans.get(key, False)
        if shares is False:
            shares = spans[key] = _shares(*key, by, coarse)
        if shares is None:
            undated.append(r.id)
            continue
        if not shares:
            left_out.append(r.id)
            continue
        story = ("s", r.story_id) if r.story_id is not None else ("m", r.id)
        grouped = tuple(value(r) for value in values)
        goldstein, fatalities = r.goldstein or 0.0, r.fatalities or 0
        for when, share in shares:
            records.append((r.id, when, share, goldstein * share, fatalities * share, story, r.article_pk, *grouped))
    return Prepared(by, groups, coarse, records, frozenset(left_out), frozenset(undated))


def summarise(prepared: Prepared, measure: str = "count", *, complete: bool = False,
              ids: Any = None) -> Any:
    """The aggregate of prepared events (see ``aggregate``); ids: only the events with these ids."""
    import pandas as pd

    if measure not in MEASURES:
        raise InputError(f"measure {measure!r}: choose from {', '.join(MEASURES)}")
    by, groups, coarse = prepared.by, prepared.groups, prepared.coarse
    records, left_out, undated = prepared.records, len(prepared.left_out), len(prepared.undated)
    if ids is not None:
        ids = ids if isinstance(ids, (set, frozenset)) else set(ids)
        records = [r for r in records if r[0] in ids]
        left_out, undated = len(prepared.left_out & ids), len(prepared.undated & ids)
    sums: dict[tuple[Any, ...], float] = {}
    if measure in ("count", "goldstein"):  # a sum over the mentions
        at = 2 if measure == "count" else 3
        for rec in records:
            key = rec[1:2] + rec[7:]
            sums[key] = sums.get(key, 0.0) + rec[at]
    else:  # a sum over units (stories, articles) of each unit's largest value in the cell
        at, unit = (4, 5) if measure == "fatalities" else (2, 5 if measure == "stories" else 6)
        largest: dict[tuple[Any, ...], float] = {}
        for rec in records:
            key = (*rec[1:2], *rec[7:], rec[unit])
            if rec[at] > largest.get(key, -1.0):
                largest[key] = rec[at]
        for key, value in largest.items():
            cell = key[:-1]
            sums[cell] = sums.get(cell, 0.0) + value
    cells = sorted(sums, key=lambda k: tuple((v is None, "" if v is None else v) for v in k))
    nan = float("nan")  # a missing group value, as pandas gives it
    columns = {g: [nan if k[1 + i] is None else k[1 + i] for k in cells] for i, g in enumerate(groups)}
    columns[measure] = [sums[k] for k in cells]
    out = pd.DataFrame(columns, columns=[*groups, measure])
    out.index = pd.DatetimeIndex([k[0] for k in cells], name="period")
    if cells:
        if complete:
            out = _complete(out.reset_index(), groups, measure, by)
            out = out.set_index(pd.DatetimeIndex(out.pop("period"), name="period"))
        if coarse == "drop" and measure in WHOLE_MEASURES:
            out[measure] = out[measure].round().astype("int64")
    attrs = {"left_out": left_out, "undated": undated, "by": by, "measure": measure, "group": list(groups),
             "coarse": coarse}
    out.attrs.update(attrs)
    return out


def _shares(date_start: str | None, date_end: str | None, published: str | None, by: str,
            coarse: str) -> list[tuple[date, float]] | None:
    """(period start, share) of one event's date period; None when undated, [] when left out (coarser
    than the period, with coarse="drop"). An undated event is dated by its article's publication day."""
    start, end = _day(date_start), _day(date_end)
    if start is None or end is None:
        start = end = _day(published)
    if start is None or end is None:
        return None
    first = period_start(start, by)
    if first == period_start(end, by):
        return [(first, 1.0)]
    return [] if coarse == "drop" else split_period(start, end, by)


def _group_values(groups: tuple[str, ...]) -> list[Any]:
    """For each group, how to read its value from an event row."""
    from .export import admin1_name

    readers = {
        "country": lambda r: r.country, "event_type": lambda r: r.event_type,
        "source": lambda r: r.source_country, "target": lambda r: r.target_country,
        "dyad": lambda r: dyad_label(r.source_country, r.target_country),
        "admin1": lambda r: admin1_name(r.country, r.admin1), "outlet": lambda r: r.outlet or r.host,
        "modality": lambda r: r.modality, "quad_class": lambda r: r.quad_class,
        "acled_event_type": lambda r: r.acled_event_type,
    }  # fmt: skip
    return [readers[g] for g in groups]


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


__all__ = ["aggregate", "prepare", "summarise", "Prepared", "dyad_label", "period_start", "split_period", "PERIODS", "MEASURES", "GROUPS", "COARSE"]
