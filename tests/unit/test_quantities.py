"""The quantity grammar: numbers, units, hedges, ranges, paired forms and what is not a quantity."""

from __future__ import annotations

import pytest

from pipelines.claims.quantities import Quantity, apply_hedge, find_quantities, load_grammar

HOUR = 60.0
DAY = 1440.0


def only(text: str) -> Quantity:
    """The one reportable quantity in text (years are flagged and left out here)."""
    qs = [q for q in find_quantities(text) if not q.is_year]
    assert len(qs) == 1, [q.text for q in qs]
    return qs[0]


def interval(text: str) -> tuple[float | None, float | None]:
    q = only(text)
    return q.value_low, q.value_high


# --- digits and words ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("they freed 1,000 prisoners", 1000),
        ("they freed 1 000 prisoners", 1000),
        ("they freed 1\u00a0000 prisoners", 1000),
        ("they freed 1\u202f000 prisoners", 1000),
        ("a 1.5 rise", 1.5),
        ("about 1k people", 1000),
        ("2.5 million people", 2_500_000),
        ("3bn people", 3_000_000_000),
        ("a thousand prisoners", 1000),
        ("one thousand prisoners", 1000),
        ("two prisoners", 2),
        ("twenty-four prisoners", 24),
        ("Twenty-four prisoners", 24),
        ("a dozen prisoners", 12),
        ("two dozen prisoners", 24),
        ("a hundred prisoners", 100),
        ("half a million people", 500_000),
        ("two and a half million people", 2_500_000),
        ("one hundred and five people", 105),
        ("One person was killed", 1),
        ("12 Su-25 jets", 12),
    ],
)
def test_count_values(text: str, value: float) -> None:
    q = only(text)
    assert q.value == pytest.approx(value)
    assert q.dimension == "count"
    assert q.hedge in ("exact", "about")


def test_offsets_cover_mention_and_number() -> None:
    text = "Officials said nearly 1,000 prisoners were freed."
    q = only(text)
    assert (q.text, text[q.num_start : q.num_end]) == ("nearly 1,000", "1,000")
    assert text[q.start : q.end] == q.text


@pytest.mark.parametrize(
    ("text", "low", "hedge"),
    [
        ("dozens of people", 24, "dozens"),
        ("hundreds of people", 200, "hundreds"),
        ("scores of people", 40, "scores"),
        ("thousands of people", 2000, "thousands"),
        ("tens of thousands of people", 20_000, "tens of thousands"),
        ("hundreds of thousands of people", 200_000, "hundreds of thousands"),
        ("millions of people", 2_000_000, "millions"),
    ],
)
def test_vague_plurals_are_open_above(text: str, low: float, hedge: str) -> None:
    q = only(text)
    assert (q.value_low, q.value_high, q.hedge) == (low, None, hedge)


@pytest.mark.parametrize(
    ("text", "low", "high", "hedge"),
    [
        ("several hundred people", 300, 900, "several"),
        ("several thousand troops", 3000, 9000, "several"),
        ("a few hundred people", 200, 500, "a few"),
        ("a few hours", 2 * HOUR, 5 * HOUR, "a few"),
        ("a couple of days", 2 * DAY, 3 * DAY, "a couple"),
    ],
)
def test_vague_multipliers(text: str, low: float, high: float, hedge: str) -> None:
    q = only(text)
    assert (q.value_low, q.value_high, q.hedge) == (low, high, hedge)


def test_multiplier_needs_a_scale_or_unit() -> None:
    assert find_quantities("several people were hurt") == []


# --- paired forms -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a 1,000 for 1,000 swap", 1000),
        ("a 1,000-for-1,000 swap", 1000),
        ("a 1000 for 1000 swap", 1000),
        ("a thousand-for-thousand exchange", 1000),
        ("they swapped 1,000 each", 1000),
        ("they swapped 500 apiece", 500),
        ("500 per side", 500),
        ("a one-for-one exchange", 1),
        ("390 prisoners for 390 prisoners", 390),
    ],
)
def test_paired_forms(text: str, value: float) -> None:
    q = only(text)
    assert q.paired
    assert q.value == value
    assert (q.value_low, q.value_high) == (value, value)


def test_hedge_and_pair_together() -> None:
    q = only("at least 1,000 each")
    assert (q.paired, q.value_low, q.value_high) == (True, 1000, None)


@pytest.mark.parametrize("text", ["1,000 prisoners in total", "1,000 for 500 days", "5 for 10"])
def test_not_paired(text: str) -> None:
    assert not any(q.paired for q in find_quantities(text))


# --- ranges -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("a 24 to 48 hours window", 24 * HOUR, 48 * HOUR),
        ("a 24- to 48-hour ceasefire", 24 * HOUR, 48 * HOUR),
        ("a 24 to 48-hour ceasefire", 24 * HOUR, 48 * HOUR),
        ("a 24\u201348 hours window", 24 * HOUR, 48 * HOUR),
        ("between two and three days", 2 * DAY, 3 * DAY),
        ("two or three people", 2, 3),
        ("10-15 people", 10, 15),
        ("10\u201315 people", 10, 15),
        ("from 300 to 400 prisoners", 300, 400),
        ("between 200 and 300 people", 200, 300),
        ("90 minutes to two hours", 90, 120),
        ("between $3 and $4 billion", 3e9, 4e9),
        ("3 to 4 million people", 3e6, 4e6),
        ("two to three million people", 2e6, 3e6),
        ("1000-1200 people", 1000, 1200),
        ("five to ten people", 5, 10),
        ("a toll of between about 95 and 101", 95, 101),
        ("between 95 and about 101 people", 95, 101),
        ("from around 40 to about 60 people", 40, 60),
    ],
)
def test_ranges(text: str, low: float, high: float) -> None:
    q = only(text)
    assert q.hedge == "range"
    assert (q.value_low, q.value_high) == (low, high)
    assert (q.value, q.value_to) == (low, high)


def test_range_mention_includes_from() -> None:
    text = "the toll could be from 300 to 400 people"
    q = only(text)
    assert q.text == "from 300 to 400"
    assert text[q.num_start : q.num_end] == "300 to 400"


def test_a_rounding_word_after_an_opener_without_a_range_keeps_its_hedge() -> None:
    q = only("between about 95 victims were hurt")
    assert (q.hedge, q.text) == ("about", "about 95")


def test_change_is_not_a_range() -> None:
    qs = find_quantities("the toll rose from 300 to 400")
    assert [(q.value_low, q.value_high) for q in qs] == [(300, 300), (400, 400)]


def test_change_with_an_adverb_is_not_a_range() -> None:
    qs = find_quantities("the list of the missing rose sharply from 120 to 310 on Friday")
    assert [(q.value_low, q.value_high) for q in qs] == [(120, 120), (310, 310)]


def test_one_as_the_first_of_two_figures_is_a_count() -> None:
    qs = find_quantities("the toll had increased from one to three overnight")
    assert [(q.value_low, q.value_high) for q in qs] == [(1, 1), (3, 3)]
    assert find_quantities("she moved from one office to another") == []


def test_hedged_range_widens_both_ends() -> None:
    q = only("roughly 24 to 48 hours")
    assert q.hedge == "about"
    assert q.value_low < 24 * HOUR and q.value_high > 48 * HOUR


@pytest.mark.parametrize("text", ["a 3-1 win", "the 787-8 jets", "five or 5,000"])
def test_not_ranges(text: str) -> None:
    assert all(q.value_to is None for q in find_quantities(text))


# --- durations ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("talks lasted 90 minutes", 90),
        ("a 90-minute meeting", 90),
        ("an hour and a half", 90),
        ("one and a half hours", 90),
        ("1 hour and 45 minutes", 105),
        ("1 hour 45 minutes", 105),
        ("one hour and forty-five minutes", 105),
        ("1.5 hours", 90),
        ("two hours", 120),
        ("half an hour", 30),
        ("an hour", 60),
        ("three-quarters of an hour", 45),
        ("a quarter of an hour", 15),
        ("a 30-day truce", 30 * DAY),
        ("a 24-hour truce", 24 * HOUR),
        ("a 48h truce", 48 * HOUR),
        ("two weeks", 14 * DAY),
        ("a week", 7 * DAY),
        ("30 seconds", 0.5),
        ("a half-hour meeting", 30),
        ("a 2hrs wait", 120),
        ("waited 90mins", 90),
        ("some two and a half hours", 150),
        ("2 days and 3 hours", 2 * DAY + 3 * HOUR),
        ("more than two decades", 20 * 365 * DAY),
        ("the meeting ran 4-1/2 hours", 270),
        ("a 2 1/2 hour wait", 150),
        ("talks of 3\u00a01/4 hours", 195),
        ("the 1\u00bd hour session", 90),
    ],
)
def test_durations_in_minutes(text: str, minutes: float) -> None:
    q = only(text)
    assert (q.dimension, q.unit) == ("duration", "minutes")
    assert q.value == pytest.approx(minutes)


def test_compound_duration_needs_a_smaller_second_unit() -> None:
    qs = find_quantities("45 minutes and 2 hours")
    assert [q.value for q in qs] == [45, 120]


def test_a_second_round_is_not_a_duration() -> None:
    assert find_quantities("a second round of talks") == []


@pytest.mark.parametrize("text", ["born on 4 1/2/2020", "won 4-1 / 2 sets", "4 12/5"])
def test_a_slash_that_is_no_mixed_fraction_adds_nothing(text: str) -> None:
    assert all(q.value == int(q.value) for q in find_quantities(text))


@pytest.mark.parametrize("text", ["twice a week", "500 a day", "once a month"])
def test_rates_are_not_durations(text: str) -> None:
    assert not any(q.dimension == "duration" for q in find_quantities(text))


# --- annotators' conventions and hedge widths ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "high", "hedge"),
    [
        ("nearly 90 minutes", 81, 90, "nearly"),
        ("about 1 hour and 45 minutes", 95, 115, "about"),
        ("less than an hour", None, 59, "less than"),
        ("lasted just under two hours", 102, 119, "just under"),
        ("approximately 100 minutes", 90, 110, "about"),
        ("at least 1,200 people", 1200, None, "at least"),
        ("more than a thousand people", 1001, None, "more than"),
        ("more than an hour", 61, None, "more than"),
        ("over 500 people", 501, None, "more than"),
        ("up to 30 days", None, 30 * DAY, "up to"),
        ("as many as 100 people", None, 100, "as many as"),
        ("just over 2 hours", 121, 150, "just over"),
        ("barely an hour", 54, 60, "barely"),
        ("some 500 troops", 450, 550, "about"),
        ("around 2 hours", 108, 132, "about"),
        ("an estimated 3,000 people", 2700, 3300, "about"),
        ("approx. 100 people", 90, 110, "about"),
        ("~500 people", 450, 550, "about"),
        ("almost 90 people", 81, 90, "nearly"),
        ("close to 500 people", 450, 500, "nearly"),
        ("just short of 100 people", 85, 99, "just under"),
        ("shy of 100 people", 85, 99, "just under"),
        ("upwards of 1,000 people", 1001, None, "more than"),
        ("in excess of 2,000 people", 2001, None, "more than"),
        ("well over 2,000 people", 2001, None, "more than"),
        ("no fewer than 300 people", 300, None, "at least"),
        ("a minimum of 30 people", 30, None, "at least"),
        ("fewer than 10 people", None, 9, "less than"),
        ("under 10 people", None, 9, "less than"),
        ("below 50 people", None, 49, "less than"),
        ("no more than 20 people", None, 20, "up to"),
        ("at most 5 people", None, 5, "up to"),
        ("a maximum of 7 people", None, 7, "up to"),
        ("a little over 100 people", 101, 125, "just over"),
        ("slightly more than 100 people", 101, 125, "just over"),
        ("just over an hour", 61, 75, "just over"),
        ("about 5 people", 4, 6, "about"),
        ("exactly 1,000 people", 1000, 1000, "exact"),
        ("only 15 minutes", 15, 15, "exact"),
        ("two hours or so", 108, 132, "about"),
        ("1,000 or more people", 1000, None, "at least"),
        ("10,000-plus troops", 10_000, None, "at least"),
        ("1,000+ people", 1000, None, "at least"),
        ("40-odd people", 41, 50, "odd"),
        ("20 or fewer people", None, 20, "up to"),
        ("more than a dozen people", 13, None, "more than"),
        ("some 10 to 15 minutes", 9, 16, "about"),
        ("a dozen or so people", 11, 13, "about"),
        ("as long as two hours", None, 120, "as many as"),
        ("lasted under an hour", None, 59, "less than"),
        ("took almost three hours", 162, 180, "nearly"),
        ("expected to exceed 3,000", 3001, None, "more than"),
        ("less than a minute after take-off", None, 1, "less than"),
        ("nearly two dozen people", 22, 24, "nearly"),
    ],
)
def test_hedged_intervals(text: str, low: float | None, high: float | None, hedge: str) -> None:
    q = only(text)
    assert (q.value_low, q.value_high, q.hedge) == (low, high, hedge)


@pytest.mark.parametrize(
    ("text", "hedge_text"),
    [
        ("just under two hours", "just under"),
        ("Some 1,200 prisoners", "Some"),
        ("approx. 100", "approx."),
        ("two hours or so", "or so"),
    ],
)
def test_hedge_text_is_as_written(text: str, hedge_text: str) -> None:
    q = only(text)
    assert q.hedge_text == hedge_text
    assert hedge_text in q.text


def test_longest_hedge_wins() -> None:
    assert only("just under 100 people").hedge == "just under"
    assert only("under 100 people").hedge == "less than"
    assert only("well under 100 people").hedge == "less than"


def test_unhedged_is_exact() -> None:
    q = only("talks lasted 90 minutes")
    assert (q.value_low, q.value_high, q.hedge, q.hedge_text) == (90, 90, "exact", None)


# --- apply_hedge directly: the widths in hedges.yaml --------------------------------------------


@pytest.mark.parametrize(
    ("hedge", "x", "integer", "expected"),
    [
        ("exact", 90, True, (90, 90)),
        ("about", 100, True, (90, 110)),
        ("about", 105, True, (95, 115)),  # 94.5..115.5 rounded inwards
        ("about", 3, True, (2, 4)),  # at least one step each side
        ("about", 20.0, False, (18.0, 22.0)),
        ("nearly", 90, True, (81, 90)),
        ("just under", 120, True, (102, 119)),
        ("less than", 60, True, (None, 59)),
        ("less than", 20.0, False, (None, 20.0)),
        ("more than", 1000, True, (1001, None)),
        ("more than", 2.5, False, (2.5, None)),
        ("at least", 1200, True, (1200, None)),
        ("up to", 30, True, (None, 30)),
        ("as many as", 100, True, (None, 100)),
        ("just over", 120, True, (121, 150)),
        ("just over", 5, True, (6, 6)),
        ("barely", 60, True, (54, 60)),
        ("dozens", 24, True, (24, None)),
        ("just under", 1, True, (0, 0)),
    ],
)
def test_apply_hedge_widths(hedge: str, x: float, integer: bool, expected: tuple) -> None:
    assert apply_hedge(hedge, x, integer=integer) == expected


def test_apply_hedge_range() -> None:
    assert apply_hedge("range", 1440, 2880) == (1440, 2880)
    assert apply_hedge("about", 100, 200) == (90, 220)
    assert apply_hedge("several", 300, 900) == (300, 900)


def test_apply_hedge_unknown() -> None:
    with pytest.raises(ValueError, match="unknown hedge"):
        apply_hedge("kind of", 10)


def test_every_hedge_in_the_data_has_surface_forms_or_is_structural() -> None:
    g = load_grammar()
    used = set(g.before.values()) | set(g.after.values())
    structural = {"range"} | {v[0] for v in g.vague.values()} | {v[0] for v in g.multipliers.values()}
    assert set(g.rules) == used | structural


# --- percentages, money, other units ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "dimension", "unit"),
    [
        ("up 20% on last year", 20, "percent", "percent"),
        ("up 20 percent", 20, "percent", "percent"),
        ("up 20 per cent", 20, "percent", "percent"),
        ("a 20-per-cent rise", 20, "percent", "percent"),
        ("up 2.5 percentage points", 2.5, "percent", "percentage_points"),
        ("it cost $3 billion", 3e9, "money", "USD"),
        ("a \u20ac50m fund", 5e7, "money", "EUR"),
        ("a \u00a320m fund", 2e7, "money", "GBP"),
        ("it cost US$3 million", 3e6, "money", "USD"),
        ("it cost $1.2bn", 1.2e9, "money", "USD"),
        ("500 dollars", 500, "money", "USD"),
        ("3 billion euros", 3e9, "money", "EUR"),
        ("Rs 2 lakh for each family", 2e5, "money", "INR"),
        ("Rs. 1 crore", 1e7, "money", "INR"),
        ("a magnitude 7.7 earthquake", 7.7, "other", "magnitude"),
        ("a magnitude-7.7 earthquake", 7.7, "other", "magnitude"),
        ("a 7.7-magnitude earthquake", 7.7, "other", "magnitude"),
        ("a 7.8 magnitude quake", 7.8, "other", "magnitude"),
        ("about 30 km away", 30, "other", "km"),
        ("a 45-year-old man", 45, "other", "age"),
        ("a man aged 60", 60, "other", "age"),
    ],
)
def test_dimensions(text: str, value: float, dimension: str, unit: str) -> None:
    q = only(text)
    assert q.value == pytest.approx(value)
    assert (q.dimension, q.unit) == (dimension, unit)


def test_hedged_money_is_not_rounded_to_whole_steps() -> None:
    q = only("about $3bn")
    assert (q.value_low, q.value_high) == (2.7e9, 3.3e9)


# --- years --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["in 2022", "since 2014", "by 2030", "May 16, 2025", "16 May 2025", "in mid-2022", "the 2014-15 season"],
)
def test_years_are_flagged(text: str) -> None:
    qs = find_quantities(text)
    assert qs and all(q.is_year for q in qs)
    assert all(q.dimension == "other" for q in qs)


@pytest.mark.parametrize("text", ["2000 people died", "about 2000 prisoners", "2,022 people"])
def test_year_like_counts_are_counts(text: str) -> None:
    q = only(text)
    assert not q.is_year and q.dimension == "count"


# --- not quantities -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "at 12:20 GMT",
        "at 3 p.m.",
        "at 3pm",
        "at 10 am",
        "at 1400 GMT",
        "on May 16",
        "on July 23",
        "on Sept. 5",
        "on 16 May",
        "the 16th of May",
        "the third round",
        "the 1st round",
        "one of the prisoners",
        "on one side",
        "no one came",
        "the one who left",
        "No. 1 priority",
        "Flight 171",
        "Air India flight AI171",
        "a Boeing 787-8",
        "MH17 was downed",
        "COVID-19 spread",
        "F-16 jets",
        "Resolution 2334",
        "under one agreement",
        "more than one",
        "05/16/2025",
        "2025-05-16",
        "May 16-17",
        "seat 11A",
        "in the 1990s",
        "flight 7C2216",
        "the Three Brotherhood Alliance",
        "the 9/11 attacks",
        "open 24/7",
        "at 3.30pm",
        "on May 16th",
        "they won 2-0",
        "the second half of the year",
        "the third of May",
        "a third exchange",
        "she won 6-4, 3-6, 7-6 (7-5)",
        "a 7-6 (9-11) tie-break",
        "he wrote the scores for the musical",
        "a profile dated 2023-06",
    ],
)
def test_not_quantities(text: str) -> None:
    assert [q.text for q in find_quantities(text) if not q.is_year] == []


# --- shares, "near", metres, score lists, changes, title case ---------------------------------


@pytest.mark.parametrize(
    ("text", "low", "high", "hedge"),
    [
        ("half of the prisoners", 0.5, 0.5, "exact"),
        ("more than two-thirds of the population", 2 / 3, None, "more than"),
        ("one fifth of the budget", 0.2, 0.2, "exact"),
        ("a third of the passengers were children", 1 / 3, 1 / 3, "exact"),
        ("nearly a quarter of the town was flooded", 0.225, 0.25, "nearly"),
        ("half the houses collapsed", 0.5, 0.5, "exact"),
        ("roughly two thirds of the victims", 0.6, 2 / 3 * 1.1, "about"),
    ],
)
def test_shares_are_read_as_shares_not_counts(text: str, low: float, high: float | None, hedge: str) -> None:
    q = only(text)
    assert (q.dimension, q.unit, q.hedge) == ("share", "fraction", hedge)
    assert q.value_low == pytest.approx(low)
    assert q.value_high == (None if high is None else pytest.approx(high))


def test_a_share_of_a_stated_whole_leaves_the_whole_a_count() -> None:
    share, whole = find_quantities("about two-thirds of its 40,000 residents fled")
    assert (share.dimension, whole.dimension, whole.value) == ("share", "count", 40_000)


@pytest.mark.parametrize(
    ("text", "value"),
    [("half an hour", 30), ("three quarters of an hour", 45), ("half a million people", 500_000)],
)
def test_fractions_of_a_unit_or_scale_stay_numbers(text: str, value: float) -> None:
    q = only(text)
    assert q.dimension != "share" and q.value == value


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [("Quake Toll Near 1,500", 1350, 1500), ("the toll nears 300", 270, 300), ("a toll nearing 80", 72, 80)],
)
def test_near_before_a_figure_is_nearly(text: str, low: float, high: float) -> None:
    assert interval(text) == (low, high)


@pytest.mark.parametrize(
    ("text", "value", "dimension"),
    [
        ("a 50m fund", 50e6, "count"),
        ("a 50m tall wave", 50, "other"),
        ("it flew at 9,000ft (2,743m) over the hills", 2743, "other"),
        ("a ridge of 2,500m", 2500, "other"),
    ],
)
def test_m_is_millions_unless_it_is_a_length(text: str, value: float, dimension: str) -> None:
    q = [x for x in find_quantities(text) if x.text.endswith("m")][-1]
    assert (q.value, q.dimension) == (value, dimension)


def test_scores_in_a_list_are_not_ranges_but_a_lone_range_is() -> None:
    assert [q.text for q in find_quantities("she won 1-6, 6-3, 7-6 in the final")] == []
    assert [q.text for q in find_quantities("he lost 6-4, 6-7 (8), 9-7 to her")] == []
    assert [q.text for q in find_quantities("the talks (3) resumed")] == ["3"]
    assert [(q.value_low, q.value_high) for q in find_quantities("10-12 people were hurt")] == [(10, 12)]


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("the toll jumped by nearly 400 to 2,150 overnight", [(360, 400), (2150, 2150)]),
        ("the toll rose by 40 to 310", [(40, 40), (310, 310)]),
        ("the toll rose from about 300 to 420", [(270, 330), (420, 420)]),
        ("emissions were cut by 10 to 15 percent", [(10, 15)]),
    ],
)
def test_a_change_by_or_from_is_two_figures_not_a_range(text: str, figures: list) -> None:
    assert [(q.value_low, q.value_high) for q in find_quantities(text)] == figures


@pytest.mark.parametrize(
    ("text", "dimension"),
    [
        ("the toll rose by 40 overnight", "change"),
        ("the number of hostages freed increased by six", "change"),
        ("the toll jumped by nearly 400 to 2,150", "change"),
        ("the truce was extended by two days", "duration"),
        ("prices rose by 3%", "percent"),
        ("the ferry was carrying 40 people", "count"),
    ],
)
def test_the_size_of_a_change_is_not_a_count(text: str, dimension: str) -> None:
    assert find_quantities(text)[0].dimension == dimension


def test_title_case_number_words_before_a_unit_are_a_figure() -> None:
    q = only("Leaders Talk for Two and a Half Hours")
    assert (q.value_low, q.dimension) == (150, "duration")
    assert find_quantities("the Three Brotherhood Alliance") == []


@pytest.mark.parametrize(("text", "low", "high"), [("children aged 10-12", 10, 12), ("men aged 18 to 25", 18, 25)])
def test_an_age_range_is_one_age_not_a_count(text: str, low: float, high: float) -> None:
    q = only(text)
    assert (q.unit, q.value_low, q.value_high) == ("age", low, high)


def test_a_year_span_must_run_forwards() -> None:
    (q,) = find_quantities("the 2014-15 season")
    assert (q.is_year, q.value, q.value_to) == (True, 2014, 2015)
    assert find_quantities("a profile dated 2023-06") == []


# --- unicode ------------------------------------------------------------------------------------


def test_em_dash_does_not_glue_numbers_to_words() -> None:
    q = only("they released soldiers\u2014500 of them")
    assert (q.text, q.value) == ("500", 500)


def test_curly_quotes_and_thin_spaces() -> None:
    text = "\u201cSome 1\u2009200 prisoners,\u201d he said, \u201cin just under two hours.\u201d"
    qs = find_quantities(text)
    assert [(q.value_low, q.value_high) for q in qs] == [(1080, 1320), (102, 119)]
    assert [q.text for q in qs] == ["Some 1\u2009200", "just under two hours"]


def test_sentence_with_several_mentions() -> None:
    text = (
        "The third round of talks in Istanbul on 23 July lasted just 40 minutes, while the first, "
        "on 16 May 2025, lasted nearly two hours and agreed a 1,000-for-1,000 exchange."
    )
    got = [(q.value_low, q.value_high, q.paired) for q in find_quantities(text) if not q.is_year]
    assert got == [(40, 40, False), (108, 120, False), (1000, 1000, True)]


def test_a_unit_long_adjective_is_one_unit():
    (q,) = find_quantities("They held hour-long talks.")
    assert (q.text, q.value_low, q.value_high, q.dimension) == ("hour-long", 60.0, 60.0, "duration")
    assert [x.text for x in find_quantities("a two-hour-long meeting")] == ["two-hour"]


def test_markup_left_in_a_text_holds_no_figure_and_no_hedge():
    text = '<span style="color: rgb(0, 0, 0);">Two people were killed.</span> Police said 4 > 3 is not a tag.'
    got = [(q.text, q.start, q.value_low, q.value_high) for q in find_quantities(text)]
    assert got[0] == ("Two", text.index("Two"), 2, 2)
    assert [g[2] for g in got[1:]] == [4, 4]  # "> 3" outside a tag is still a hedge: more than 3


@pytest.mark.parametrize("text", ["a one-on-one meeting", "they met one on one", "a one-to-one session",
                                  "a one-off payment"])
def test_one_in_a_compound_is_no_number(text: str) -> None:
    assert [q.text for q in find_quantities(text)] == []


def test_the_better_part_of_is_more_than_half_and_less_than_all() -> None:
    assert interval("the better part of an hour") == (31, 59)
    assert interval("the best part of two hours") == (61, 119)


@pytest.mark.parametrize("text", ["after the 9/11 attacks", "a 24/7 watch", "on 4 1/20 of them", "on 4-1/2/2025"])
def test_a_slash_is_a_written_fraction_only_after_a_whole_number_and_for_the_usual_fractions(text: str):
    assert all(q.value_low not in (4.5, 9.5, 24.5) for q in find_quantities(text))
