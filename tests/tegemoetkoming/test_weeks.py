"""The periods and weeks that count per scheme, at each boundary: a stage that starts mid-week, spans two
studiejaren, is interrupted or ends early; the maximum of weeks; the STIP termijnen (issue 14)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tegemoetkoming.weeks import (
    Period,
    Week,
    praktijkleren_weeks,
    running,
    stip_deadline,
    stip_termijnen,
    subtract,
    working_weeks,
)
from uren.models import studiejaar_of


def mondays(first, count):
    return [first + timedelta(weeks=n) for n in range(count)]


def begeleid(first, count, hours="1"):
    return [
        Week(monday, werk=Decimal(32), school=Decimal(8), begeleiding=Decimal(hours))
        for monday in mondays(first, count)
    ]


@pytest.mark.parametrize(
    ("day", "year"),
    [(date(2025, 7, 31), 2024), (date(2025, 8, 1), 2025), (date(2026, 1, 1), 2025), (date(2026, 7, 31), 2025)],
)
def test_studiejaar_runs_from_1_august_to_31_july(day, year):
    assert studiejaar_of(day) == year


def test_subtract_cuts_holes_and_edges():
    whole = Period(date(2025, 9, 1), date(2025, 9, 30))
    assert subtract(whole, [Period(date(2025, 9, 10), date(2025, 9, 12))]) == [
        Period(date(2025, 9, 1), date(2025, 9, 9)),
        Period(date(2025, 9, 13), date(2025, 9, 30)),
    ]
    assert subtract(whole, [Period(date(2025, 8, 1), date(2025, 9, 1))]) == [
        Period(date(2025, 9, 2), date(2025, 9, 30))
    ]
    assert subtract(whole, [Period(date(2025, 9, 30), date(2025, 10, 5))]) == [
        Period(date(2025, 9, 1), date(2025, 9, 29))
    ]
    assert subtract(whole, [Period(date(2025, 8, 1), date(2025, 10, 1))]) == []
    assert subtract(whole, [Period(date(2025, 10, 1), date(2025, 10, 2))]) == [whole]


def test_a_week_counts_with_one_working_day_and_not_with_only_a_weekend():
    # Starts on a Friday: that week counts. Ends on a Saturday: that week has no working day inside... but Monday
    # to Friday before it does, so the last week is the week of the Saturday itself.
    assert working_weeks([Period(date(2025, 9, 5), date(2025, 9, 8))]) == [date(2025, 9, 1), date(2025, 9, 8)]
    assert working_weeks([Period(date(2025, 9, 6), date(2025, 9, 7))]) == []


def test_praktijkleren_counts_only_weeks_with_begeleiding():
    start, end = date(2025, 9, 1), date(2026, 6, 26)
    weeks = begeleid(date(2025, 9, 1), 10) + begeleid(date(2025, 11, 10), 5, hours="0")
    result = praktijkleren_weeks(start=start, end=end, year=2025, weeks=weeks, max_weeks=40)
    assert result.count == 10
    assert result.counted == mondays(date(2025, 9, 1), 10)
    assert date(2025, 11, 10) in result.without_begeleiding


def test_praktijkleren_stops_at_the_maximum_and_says_how_many_are_over():
    start, end = date(2025, 8, 4), date(2026, 7, 31)
    weeks = begeleid(date(2025, 8, 4), 52)
    result = praktijkleren_weeks(start=start, end=end, year=2025, weeks=weeks, max_weeks=40)
    assert result.count == 40
    assert result.over_maximum == 52 - 40
    assert result.counted[-1] == date(2025, 8, 4) + timedelta(weeks=39)
    assert praktijkleren_weeks(start=start, end=end, year=2025, weeks=weeks, max_weeks=None).count == 52


def test_praktijkleren_stage_that_starts_mid_week_counts_that_week():
    # Wednesday 3 September 2025: the week of Monday 1 September counts, its Thursday lies in 2025/2026.
    weeks = begeleid(date(2025, 9, 1), 3)
    result = praktijkleren_weeks(start=date(2025, 9, 3), end=date(2025, 9, 19), year=2025, weeks=weeks, max_weeks=40)
    assert result.counted == mondays(date(2025, 9, 1), 3)


def test_praktijkleren_stage_over_two_studiejaren_splits_the_week_of_31_july_by_its_thursday():
    start, end = date(2025, 6, 2), date(2025, 9, 26)
    weeks = begeleid(date(2025, 6, 2), 17)
    before = praktijkleren_weeks(start=start, end=end, year=2024, weeks=weeks, max_weeks=40)
    after = praktijkleren_weeks(start=start, end=end, year=2025, weeks=weeks, max_weeks=40)
    # Monday 28 July 2025 has its Thursday on 31 July: the week belongs to 2024/2025, never to both.
    assert before.counted[-1] == date(2025, 7, 28)
    assert after.counted[0] == date(2025, 8, 4)
    assert before.count + after.count == 17
    assert set(before.counted).isdisjoint(after.counted)
    assert before.period == Period(date(2025, 6, 2), date(2025, 7, 31))
    assert after.period == Period(date(2025, 8, 1), date(2025, 9, 26))


def test_praktijkleren_interruption_drops_its_weeks_but_keeps_a_week_with_a_working_day_left():
    start, end = date(2025, 9, 1), date(2025, 12, 19)
    weeks = begeleid(date(2025, 9, 1), 16)
    # Interrupted from Tuesday 7 October to Friday 24 October: the week of 6 October keeps its Monday; the weeks of
    # 13 and 20 October are gone even though begeleiding was (wrongly) recorded in them.
    onderbreking = [Period(date(2025, 10, 7), date(2025, 10, 24))]
    result = praktijkleren_weeks(start=start, end=end, year=2025, weeks=weeks, excluded=onderbreking, max_weeks=40)
    assert date(2025, 10, 6) in result.counted
    assert date(2025, 10, 13) not in result.counted
    assert date(2025, 10, 20) not in result.counted
    assert result.count == 14


def test_praktijkleren_stage_that_ends_early_counts_up_to_its_end():
    weeks = begeleid(date(2025, 9, 1), 40)
    result = praktijkleren_weeks(start=date(2025, 9, 1), end=date(2025, 10, 1), year=2025, weeks=weeks, max_weeks=40)
    assert result.counted == mondays(date(2025, 9, 1), 5)


def test_praktijkleren_studiejaar_without_the_stage_has_nothing():
    result = praktijkleren_weeks(
        start=date(2025, 9, 1), end=date(2026, 1, 30), year=2026, weeks=begeleid(date(2025, 9, 1), 22), max_weeks=40
    )
    assert (result.period, result.count, result.running) == (None, 0, [])


def test_stip_termijnen_of_six_months_from_the_start():
    start, end = date(2025, 9, 3), date(2026, 9, 2)
    weeks = begeleid(date(2025, 9, 1), 53)
    first, second = stip_termijnen(start=start, end=end, weeks=weeks, today=date(2027, 1, 1))
    assert first.period == Period(date(2025, 9, 3), date(2026, 3, 2))
    assert second.period == Period(date(2026, 3, 3), date(2026, 9, 2))
    assert first.complete and second.complete
    # The stage starts on a Wednesday: its first week is in the first termijn; every week is in exactly one.
    assert first.weeks[0] == date(2025, 9, 1)
    assert len(first.weeks) + len(second.weeks) == len(working_weeks(running(start, end)))
    assert first.werk == Decimal(32) * len(first.weeks)
    assert first.begeleiding_weeks == len(first.weeks)
    assert first.practice_share == Decimal(80)


def test_stip_termijn_cut_off_by_an_early_end_or_not_yet_over_is_not_complete():
    start = date(2025, 9, 1)
    termijnen = stip_termijnen(start=start, end=date(2026, 5, 29), weeks=[], today=date(2026, 6, 1))
    assert [t.complete for t in termijnen] == [True, False]
    # The last day of the first termijn is 28 February 2026: complete from the day after.
    assert not stip_termijnen(start=start, end=date(2026, 8, 31), weeks=[], today=date(2026, 2, 28))[0].complete
    assert stip_termijnen(start=start, end=date(2026, 8, 31), weeks=[], today=date(2026, 3, 1))[0].complete
    # A stage that ends on the last day of its termijn completes it.
    assert stip_termijnen(start=start, end=date(2026, 2, 28), weeks=[], today=date(2026, 3, 1))[0].complete


def test_stip_interruption_keeps_the_termijnen_and_removes_its_hours():
    start, end = date(2025, 9, 1), date(2026, 2, 28)
    weeks = begeleid(date(2025, 9, 1), 26)
    onderbreking = [Period(date(2025, 11, 3), date(2025, 11, 30))]
    (termijn,) = stip_termijnen(start=start, end=end, weeks=weeks, excluded=onderbreking)
    assert termijn.period == Period(start, end)
    assert len(termijn.weeks) == 26 - 4
    assert termijn.hours == Decimal(40) * 22


def test_stip_deadline_is_six_months_from_the_start():
    assert stip_deadline(date(2025, 9, 1), 6) == date(2026, 2, 28)
    assert stip_deadline(date(2025, 8, 31), 6) == date(2026, 2, 27)
