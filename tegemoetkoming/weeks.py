"""The periods and the weeks that count for each scheme: pure functions of dates and hours, no database (the
calendar of uren.models: monday_of, studiejaar_of).

Rules, as the schemes publish them (the figures come from Regelingsjaar rows):

- A week is Monday to Sunday and belongs to the period (studiejaar, STIP termijn) that holds its Thursday: the ISO
  rule, and the one uren/totals.py uses, so a week is never counted in two periods nor in none.
- Subsidieregeling praktijkleren: per studiejaar (1 August to 31 July), the weeks in which begeleiding was
  actually given, at most `max_weeks` (40). Only weeks in which the stage ran count: from its start (also
  mid-week) to its end (also an early end), less the periods it was interrupted; a week interrupted on every
  working day does not count, one with a working day left does.
- STIP: per termijn of six months from the start of the bpv ("per afgeronde termijn van 6 maanden"); a termijn
  counts once the stage ran to its end, so the termijn cut off by an early end does not. An interruption does not
  move the termijnen; its weeks add no hours, so the hours threshold of that termijn decides.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from stagegids.dates import add_days, add_months
from uren.models import monday_of, studiejaar_bounds, studiejaar_of

ZERO = Decimal(0)
WORKING_DAYS = 5


@dataclass(frozen=True, order=True)
class Period:
    """From `start` to `end`, both included."""

    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError(f"{self.end} before {self.start}")

    def __contains__(self, day):
        return self.start <= day <= self.end

    def intersect(self, other):
        start, end = max(self.start, other.start), min(self.end, other.end)
        return Period(start, end) if start <= end else None


def thursday_of(monday):
    return monday + timedelta(days=3)


def studiejaar(year):
    return Period(*studiejaar_bounds(year))


def subtract(period, excluded: Iterable[Period]):
    """`period` without the `excluded` periods: the pieces that are left, in order."""
    pieces = [period]
    for cut in sorted(excluded):
        left = []
        for piece in pieces:
            if piece.intersect(cut) is None:
                left.append(piece)
                continue
            if cut.start > piece.start:
                left.append(Period(piece.start, add_days(cut.start, -1)))
            if cut.end < piece.end:
                left.append(Period(add_days(cut.end, 1), piece.end))
        pieces = left
    return pieces


def running(start, end, excluded: Iterable[Period] = ()):
    """The periods a stage ran: start to end (the real end, also an early one), less its interruptions."""
    return subtract(Period(start, end), excluded)


def working_weeks(periods):
    """The Mondays of the weeks with at least one working day (Monday to Friday) inside `periods`."""
    found = set()
    for period in periods:
        monday = monday_of(period.start)
        while monday <= period.end:
            first = max(monday, period.start)
            last = min(monday + timedelta(days=WORKING_DAYS - 1), period.end)
            if first <= last:
                found.add(monday)
            monday += timedelta(days=7)
    return sorted(found)


@dataclass(frozen=True)
class Week:
    """The approved figures of one week (from uren/totals.py week_hours)."""

    monday: date
    werk: Decimal = ZERO
    school: Decimal = ZERO
    begeleiding: Decimal = ZERO


@dataclass
class PraktijklerenWeeks:
    studiejaar: int
    period: Period | None  # the part of the studiejaar the stage ran, interruptions included
    running: list = field(default_factory=list)  # Mondays of the weeks the stage ran in this studiejaar
    counted: list = field(default_factory=list)  # of those, with begeleiding given, at most max_weeks
    without_begeleiding: list = field(default_factory=list)  # weeks it ran without begeleiding recorded
    over_maximum: int = 0  # weeks with begeleiding beyond max_weeks

    @property
    def count(self):
        return len(self.counted)


def praktijkleren_weeks(*, start, end, year, weeks: Iterable[Week], excluded=(), max_weeks=None):
    """The weeks of studiejaar `year` that count for the Subsidieregeling praktijkleren (see the module's rules)."""
    periode = Period(start, end).intersect(studiejaar(year))
    result = PraktijklerenWeeks(studiejaar=year, period=periode)
    ran = [
        monday for monday in working_weeks(running(start, end, excluded)) if studiejaar_of(thursday_of(monday)) == year
    ]
    given = {week.monday for week in weeks if week.begeleiding > 0}
    with_begeleiding = [monday for monday in ran if monday in given]
    limit = len(with_begeleiding) if max_weeks is None else max_weeks
    result.running = ran
    result.counted = with_begeleiding[:limit]
    result.over_maximum = len(with_begeleiding) - len(result.counted)
    result.without_begeleiding = [monday for monday in ran if monday not in given]
    return result


@dataclass
class Termijn:
    number: int
    period: Period
    complete: bool  # the stage ran to the termijn's end
    weeks: list = field(default_factory=list)  # Mondays of the weeks the stage ran in it
    werk: Decimal = ZERO
    school: Decimal = ZERO
    begeleiding_weeks: int = 0

    @property
    def hours(self):
        return self.werk + self.school

    @property
    def practice_share(self):
        """The part of the hours in practice, in percent; None without hours."""
        return (self.werk * 100 / self.hours) if self.hours else None


def stip_termijnen(*, start, end, weeks: Iterable[Week], excluded=(), months=6, today=None):
    """The STIP termijnen of `months` from `start` up to the stage's `end`, with the hours of their weeks.

    A termijn is complete once the stage ran to its last day and, given `today`, that day has passed. The weeks in
    which the stage starts and ends belong to its first and last termijn even when their Thursday lies outside.
    """
    by_monday = {week.monday: week for week in weeks}
    termijnen, number, begin = [], 1, start
    while begin <= end:
        last = add_days(add_months(start, months * number), -1)
        complete = last <= end and (today is None or last < today)
        termijnen.append(Termijn(number=number, period=Period(begin, last), complete=complete))
        number, begin = number + 1, add_days(last, 1)
    for monday in working_weeks(running(start, end, excluded)):
        day = min(max(thursday_of(monday), start), end)
        termijn = next((termijn for termijn in termijnen if day in termijn.period), None)
        if termijn is None:
            continue
        termijn.weeks.append(monday)
        week = by_monday.get(monday)
        if week:
            termijn.werk += week.werk
            termijn.school += week.school
            termijn.begeleiding_weeks += week.begeleiding > 0
    return termijnen


def stip_deadline(start, months):
    """STIP is asked within `months` of the start of the bpv; the last day it can be."""
    return add_days(add_months(start, months), -1)
