"""Tests for eventwire.attributes.dates (own sentences; anchors chosen per case)."""

from __future__ import annotations

import datetime as dt

import pytest

from eventwire.attributes.dates import TimeExpression, find_times, parse_anchor, value_to_date
from eventwire.errors import InputError


def values(text: str, anchor: str | None = "2023-11-22") -> dict[str, tuple[str, str | None]]:
    return {t.text: (t.type, t.value) for t in find_times(text, anchor)}


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("Rebels took the town on Nov. 22, 2023, officials said.", "Nov. 22, 2023", "2023-11-22"),
        ("The ceasefire began on 3 February 2021 in the north.", "3 February 2021", "2021-02-03"),
        ("A report dated 2022-07-14 was leaked.", "2022-07-14", "2022-07-14"),
        ("The decree of 11/05/2019 was revoked.", "11/05/2019", "2019-11-05"),
        ("Fighting resumed in August 2014 near the border.", "August 2014", "2014-08"),
        ("The group was founded in 1987 by students.", "1987", "1987"),
        ("Violence peaked in the 1990s across the region.", "the 1990s", "199"),
        ("Elections are planned for mid-2025.", "mid-2025", "2025"),
        ("Saturday, April 25, 2020 was quiet.", "Saturday, April 25, 2020", "2020-04-25"),
    ],
)
def test_absolute_dates(text: str, span: str, value: str) -> None:
    assert values(text)[span] == ("DATE", value)


@pytest.mark.parametrize(
    ("text", "span", "typ", "value"),
    [
        ("Militants attacked a checkpoint yesterday.", "yesterday", "DATE", "2023-11-21"),
        ("The envoy arrives tomorrow.", "tomorrow", "DATE", "2023-11-23"),
        ("Talks resume today in Doha.", "today", "DATE", "2023-11-22"),
        ("Shelling continued tonight.", "tonight", "TIME", "2023-11-22TNI"),
        ("Troops withdrew last week.", "last week", "DATE", "2023-W46"),
        ("The summit is this week.", "this week", "DATE", "2023-W47"),
        ("A vote is due next month.", "next month", "DATE", "2023-12"),
        ("Exports fell last year.", "last year", "DATE", "2022"),
        ("The mine exploded two days ago.", "two days ago", "DATE", "2023-11-20"),
        ("Clashes erupted a year ago.", "a year ago", "DATE", "2022"),
        ("Protests grew earlier this month.", "earlier this month", "DATE", "2023-11"),
        ("Inflation soared late last year.", "late last year", "DATE", "2022"),
        ("A bomb went off this morning.", "this morning", "TIME", "2023-11-22TMO"),
        ("Prices rose recently.", "recently", "DATE", "PAST_REF"),
        ("Aid is now blocked.", "now", "DATE", "PRESENT_REF"),
        ("Convoys are currently stuck.", "currently", "DATE", "PRESENT_REF"),
        ("Arrests rose in the third quarter.", "the third quarter", "DATE", "2023-Q3"),
        ("Floods hit the region this summer.", "this summer", "DATE", "2023-SU"),
    ],
)
def test_relative_expressions(text: str, span: str, typ: str, value: str) -> None:
    assert values(text)[span] == (typ, value)


def test_durations_and_sets() -> None:
    v = values("Over the past five years the rebels held the valley for three months; patrols run every week.")
    assert v["the past five years"] == ("DURATION", "P5Y")
    assert v["three months"] == ("DURATION", "P3M")
    assert v["every week"] == ("SET", "P1W")
    assert values("Budgets are reviewed annually.")["annually"][0] == "SET"
    assert values("The siege lasted two years.")["two years"] == ("DURATION", "P2Y")


def test_since_gives_the_year_only() -> None:
    found = find_times("Fighting has continued since 2008.", "2023-11-22")
    assert [(t.text, t.value) for t in found] == [("2008", "2008")]


def test_start_of_last_month() -> None:
    assert values("Supplies ran out at the start of last month.")["the start of last month"] == ("DATE", "2023-10")


def test_year_boundary() -> None:
    v = values("Strikes began last month and will end next week.", "2024-01-03")
    assert v["last month"] == ("DATE", "2023-12")
    assert v["next week"] == ("DATE", "2024-W02")
    assert values("Deliveries stopped last year.", "2024-01-03")["last year"] == ("DATE", "2023")


def test_iso_week_numbering_across_years() -> None:
    # 2021-01-03 is a Sunday in ISO week 53 of 2020
    assert values("Shops closed this week.", "2021-01-03")["this week"] == ("DATE", "2020-W53")


def test_leap_years() -> None:
    assert values("The treaty was signed on Feb. 29, 2024.")["Feb. 29, 2024"] == ("DATE", "2024-02-29")
    assert "Feb. 29, 2023" not in values("Nothing happened on Feb. 29, 2023.")
    assert values("Talks collapsed a year ago.", "2024-02-29")["a year ago"] == ("DATE", "2023")


def test_weekday_direction_without_parse_defaults_to_past() -> None:
    # anchor Wednesday 2023-11-22
    assert values("Gunmen attacked the village on Monday.")["Monday"] == ("DATE", "2023-11-20")
    assert values("Police said last Friday that ...")["last Friday"] == ("DATE", "2023-11-17")
    assert values("Delegates will arrive next Friday.")["next Friday"] == ("DATE", "2023-11-24")
    assert values("Fighting flared Monday night.")["Monday night"] == ("TIME", "2023-11-20TNI")


def test_weekday_direction_from_parse() -> None:
    from eventwire.nlp import load_model

    nlp = load_model()
    past = "The army shelled the town on Monday."
    future = "The ministers will meet on Monday in Cairo."
    docs = list(nlp.pipe([past, future]))
    assert find_times(past, "2023-11-22", doc=docs[0])[0].value == "2023-11-20"
    assert find_times(future, "2023-11-22", doc=docs[1])[0].value == "2023-11-27"


def test_no_false_positives_on_numbers_and_words() -> None:
    text = ("About 1,500 soldiers were deployed and the base was shelled 130 times. "
            "They may attack again. Thousands joined the march in the capital. 2000 soldiers left.")
    found = find_times(text, "2023-11-22")
    assert [t.text for t in found] == []


def test_month_names_need_context_when_ambiguous() -> None:
    assert "May" in values("The offensive started in May.")
    assert "May" not in values("May God protect them, the imam said.")
    assert values("Opposition groups held a March in the city.") == {}


def test_clock_times_join_their_day() -> None:
    v = values("The blast happened at 10 p.m. Wednesday.")
    assert v["10 p.m. Wednesday"] == ("TIME", "2023-11-22T22:00")


def test_holidays_and_easter() -> None:
    assert values("Shops closed on Christmas Day 2022.")["Christmas Day 2022"] == ("DATE", "2022-12-25")
    assert values("Pilgrims gathered on Easter Sunday 2024.")["Easter Sunday 2024"] == ("DATE", "2024-03-31")


def test_anchor_none_leaves_relative_unresolved() -> None:
    v = values("Troops left yesterday, in 2019.", None)
    assert v["yesterday"] == ("DATE", None)
    assert v["2019"] == ("DATE", "2019")


def test_offsets_match_text() -> None:
    text = "On 5 March 2022, and again last week, the port was hit."
    for t in find_times(text, "2022-06-01"):
        assert text[t.start : t.end] == t.text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-11-20", ("2023-11-20", "day")),
        ("2023-11-20TNI", ("2023-11-20", "day")),
        ("2023-W46", ("2023-11-13", "week")),
        ("2023-10", ("2023-10-01", "month")),
        ("2023-Q3", ("2023-07-01", "year")),
        ("2023-SU", ("2023-06-01", "year")),
        ("2008", ("2008-01-01", "year")),
        ("199", ("1990-01-01", "decade")),
        ("199X", ("1990-01-01", "decade")),
        ("PRESENT_REF", None),
        ("XXXX-XX-XX", None),
    ],
)
def test_value_to_date(value: str, expected: tuple[str, str] | None) -> None:
    assert value_to_date(value) == expected


def test_to_date_precision_and_none_for_durations() -> None:
    d = TimeExpression(0, 9, "last week", "DATE", "2023-W46").to_date()
    assert d is not None and d.precision == "week" and d.value == "2023-11-13"
    assert TimeExpression(0, 9, "two years", "DURATION", "P2Y").to_date() is None
    assert TimeExpression(0, 5, "every week", "SET", "P1W").to_date() is None


def test_anchor_parsing_and_bad_input() -> None:
    assert parse_anchor("2023-11-22T08:15:00") == dt.date(2023, 11, 22)
    assert parse_anchor(dt.datetime(2023, 1, 2, 5, 0)) == dt.date(2023, 1, 2)
    with pytest.raises(InputError):
        find_times("yesterday", "next Tuesday")
    with pytest.raises(InputError):
        find_times(None, "2023-11-22")  # type: ignore[arg-type]


def test_out_of_range_values_do_not_raise() -> None:
    found = find_times("The rocks formed 1,000 millennia ago, 9999 years later.", "2023-11-22")
    assert all(t.value is None or isinstance(t.value, str) for t in found)
    assert find_times("", "2023-11-22") == []


def test_year_earlier_in_a_quarterly_report_is_the_same_quarter() -> None:
    text = ("The refinery reported a second-quarter loss of $4 million, against a profit of $2 million "
            "a year earlier. Output in the quarter fell, and the year-ago period had a one-off gain. "
            "Sales were $9 million, down from $11 million last year.")
    v = values(text, "2024-08-09")
    assert v["a second-quarter"] == ("DATE", "2024-Q2")
    assert v["a year earlier"] == ("DATE", "2023-Q2")
    assert v["the quarter"] == ("DATE", "2024-Q2")
    assert v["the year-ago period"] == ("DATE", "2023-Q2")
    assert v["last year"] == ("DATE", "2023-Q2")


def test_year_earlier_without_a_past_quarter_stays_a_year() -> None:
    # a quarter still to come is not the subject of a report; a nine-month total ends the quarterly frame
    v = values("Losses may last through the fourth quarter. Exports were higher a year ago.", "2024-08-09")
    assert v["a year ago"] == ("DATE", "2023")
    text = ("Third-quarter profit rose. For the first nine months, profit was $8 million, "
            "against $6 million a year earlier.")
    assert values(text, "2024-11-05")["a year earlier"] == ("DATE", "2023")


def _parsed_values(texts: list[str], anchor: str) -> list[dict[str, str | None]]:
    from eventwire.nlp import load_model

    docs = list(load_model().pipe(texts))
    return [{t.text: t.value for t in find_times(x, anchor, doc=d)} for x, d in zip(texts, docs, strict=True)]


def test_months_and_days_without_year_lean_to_the_past() -> None:
    texts = [
        "The vaccines developed in April were cheap.",  # participle clause: past
        "The militia moved its headquarters to the coast in December.",  # past month not yet begun: last year's
        "The bank extended the credit line through January.",  # end point: the coming one
        "She was named envoy, effective March 1.",
        "Officials warned of fuel cuts in November.",  # a month that starts within days: the coming one
    ]
    got = _parsed_values(texts, "2024-10-20")
    assert got[0]["April"] == "2024-04"
    assert got[1]["December"] == "2023-12"
    assert got[2]["January"] == "2025-01"
    assert got[3]["March 1"] == "2025-03-01"
    assert got[4]["November"] == "2024-11"


def test_weekday_of_the_anchor_itself() -> None:
    # 2024-10-18 is a Friday: "on Friday" with no tense to move it is that day
    assert _parsed_values(["Statement by the ministry on Friday"], "2024-10-18")[0]["Friday"] == "2024-10-18"
    got = _parsed_values(["The ceasefire, announced Friday, would take effect at noon."], "2024-10-21")[0]
    assert got["Friday"] == "2024-10-18"


def test_possessive_weekday_and_participle_with_set() -> None:
    got = _parsed_values([
        "The protest follows Tuesday's arrest of the mayor.",
        "The record set on June 3 still stands.",
        "The talks planned for September were postponed.",
    ], "2024-10-24")  # a Thursday
    assert got[0]["Tuesday"] == "2024-10-22"
    assert got[1]["June 3"] == "2024-06-03"
    assert got[2]["September"] == "2025-09"


def test_decades_ago_and_the_next_day() -> None:
    assert values("The militia was formed a decade ago.", "2024-05-02")["a decade ago"] == ("DATE", "201")
    assert values("The dynasty fell two centuries ago.", "2024-05-02")["two centuries ago"] == ("DATE", "18")
    v = values("Rebels seized the airport on March 3. The next day, troops retook it.", "2024-05-02")
    assert v["The next day"] == ("DATE", "2024-03-04")
    assert "the next day" not in values("Rain is expected over the next day or two.")


def test_future_as_an_adjective_is_not_a_time() -> None:
    v = values("The board discussed future payments and the future of the mine, and said losses may "
               "shrink in future years and in the future.")
    assert "future" not in v and "the future" in v
    assert v["future years"] == ("DATE", "FUTURE_REF")
    assert v["the future"] == ("DATE", "FUTURE_REF")
    assert len([t for t in find_times("the future of the mine", "2023-11-22")]) == 0


def test_weekday_between_speech_verb_and_reported_clause_dates_the_speech() -> None:
    texts = [
        "A spokesman told reporters Monday the troops would withdraw.",
        "Officials said the troops would withdraw Monday.",
        "The army would not comment Thursday on the report.",
    ]
    got = _parsed_values(texts, "2024-05-22")  # a Wednesday
    assert got[0]["Monday"] == "2024-05-20"
    assert got[1]["Monday"] == "2024-05-27"
    assert got[2]["Thursday"] == "2024-05-16"


def test_a_plan_in_the_past_perfect_is_past() -> None:
    got = _parsed_values(["The truce had been due to expire Friday.", "The truce is due to expire Friday."],
                         "2024-05-22")
    assert got[0]["Friday"] == "2024-05-17"
    assert got[1]["Friday"] == "2024-05-24"


def test_amount_per_unit_is_a_set() -> None:
    v = values("The plant makes 10,000 units a year and pays $2 million a month; buses leave six times a day.")
    assert v["a year"] == ("SET", "P1Y")
    assert v["a month"] == ("SET", "P1M")
    v = values("The rebels fought for a year. The deal could reach $5 billion over a decade. It lasted 1/2 an hour.")
    assert v["a year"] == ("DURATION", "P1Y")
    assert v["over a decade"][0] == "DURATION"


def test_season_or_half_of_a_year() -> None:
    v = values("Prices peaked in the winter of nineteen ninety-four and fell in the second half of 1996.")
    assert v["the winter of nineteen ninety-four"] == ("DATE", "1994-WI")
    assert v["the second half of 1996"] == ("DATE", "1996-H2")
    assert values("Talks stalled at the end of 1999.")["the end of 1999"] == ("DATE", "1999")


def test_one_day_after_a_modal_is_the_future() -> None:
    assert values("The region could one day become a state.")["one day"] == ("DATE", "FUTURE_REF")
    assert values("The strike lasted one day.")["one day"] == ("DURATION", "P1D")


def test_in_n_units_in_a_future_clause_is_a_point() -> None:
    got = _parsed_values(["The bonds would be redeemed in five years.", "It was the first rise in five years."],
                         "2024-05-22")
    assert got[0]["five years"] == "2029"
    assert got[1]["five years"] == "P5Y"


def test_later_than_an_undated_event_has_no_value() -> None:
    got = _parsed_values(["A year later, he was released.", "The government fell on March 3. Two weeks later, "
                          "elections were called."], "2024-05-22")
    assert got[0]["A year later"] is None
    assert got[1]["Two weeks later"] == "2024-03-17"


def test_cue_words_come_from_the_data_file(tmp_path) -> None:
    import shutil

    from eventwire.attributes.dates.lexicon import DATA_DIR, load_lexicon
    from eventwire.errors import DataFileError
    from eventwire.resources import Resources

    lex = load_lexicon()
    assert "announce" in lex.cues["reporting_verbs"] and "effective" in lex.cues["open_end_words"]
    (tmp_path / "dates").mkdir()
    for f in DATA_DIR.glob("*.yaml"):
        shutil.copy(f, tmp_path / "dates" / f.name)
    (tmp_path / "dates" / "cues.yaml").write_text("modals: would\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="cues.yaml"):
        load_lexicon(Resources(tmp_path))


def test_then_current_and_a_year_or_two() -> None:
    assert values("Holders may buy shares at the then current price.")["then current"] == ("DATE", "PAST_REF")
    got = _parsed_values(["Peace may come in a year or two."], "2024-05-22")[0]
    assert got["a year"] == "P1Y"


def test_full_month_name_does_not_take_the_sentence_full_stop() -> None:
    assert [t.text for t in find_times("The vote is on 14 May. Talks end June 3.", "2023-11-22")] == ["14 May", "June 3"]
    assert [t.text for t in find_times("It opened Dec. 5 in Doha.", "2023-11-22")] == ["Dec. 5"]
