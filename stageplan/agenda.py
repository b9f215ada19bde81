"""The agenda: the moments someone takes part in across their stages, by week or by month (views/agenda.py), and
the token of the calendar feed that brings the same moments into Outlook or Google Calendar."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core import signing
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stagegids import dates
from stagegids.reminders import at_midnight

WEEK, MONTH = "week", "maand"
_WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")

# The feed holds what a calendar needs: the recent past and the rest of a stage (a bbl leerbaan plans ahead).
FEED_MONTHS_BACK = 3
FEED_MONTHS_AHEAD = 18

# The key of a CalendarFeed, signed: the URL opens nothing without the SECRET_KEY, whatever the table holds.
_SIGNER = signing.Signer(salt="stageplan.agenda.feed", sep=".")


def feed_token(feed):
    return _SIGNER.sign(feed.key)


def feed_key(token):
    """The key in a feed URL's token, or None when the token was not made here."""
    try:
        return _SIGNER.unsign(token)
    except signing.BadSignature:
        return None


def _monday(day):
    return dates.add_days(day, -day.weekday())


def _first_of_month(day):
    return day.replace(day=1)


@dataclass(frozen=True)
class Period:
    """A week (from its Monday) or a month (from its first day) of the agenda."""

    kind: str
    first: date

    @property
    def last(self):
        if self.kind == WEEK:
            return dates.add_days(self.first, 6)
        return dates.add_days(dates.add_months(self.first, 1), -1)

    @property
    def grid(self):
        """(first, last) day of the rows shown: whole weeks from Monday to Sunday."""
        return _monday(self.first), dates.add_days(_monday(self.last), 6)

    @property
    def param(self):
        """The query string's name and value that show this period."""
        if self.kind == WEEK:
            year, week, _day = self.first.isocalendar()
            return WEEK, f"{year}-W{week:02d}"
        return MONTH, f"{self.first:%Y-%m}"

    @property
    def title(self):
        if self.kind == MONTH:
            return date_format(self.first, "F Y")
        return _("Week %(number)s, %(first)s – %(last)s") % {
            "number": self.first.isocalendar()[1],
            "first": date_format(self.first, "j F"),
            "last": date_format(self.last, "j F Y"),
        }

    def _within(self, period):
        return period if in_bounds(period) else None

    @property
    def previous(self):
        if self.kind == WEEK:
            return self._within(Period(WEEK, dates.add_days(self.first, -7)))
        return self._within(Period(MONTH, dates.add_months(self.first, -1)))

    @property
    def next(self):
        if self.kind == WEEK:
            return self._within(Period(WEEK, dates.add_days(self.first, 7)))
        return self._within(Period(MONTH, dates.add_months(self.first, 1)))

    def as_week(self, today):
        """The week to switch to from this month: today's when it is in it, else its first week."""
        if self.kind == WEEK:
            return self
        return Period(WEEK, _monday(today if self.first <= today <= self.last else self.first))

    def as_month(self):
        """The month to switch to: that of this week's Thursday (the ISO rule: a week belongs to the month that
        has most of its days)."""
        if self.kind == MONTH:
            return self
        return Period(MONTH, _first_of_month(dates.add_days(self.first, 3)))

    def starts(self):
        """The aware start of the grid's first day and of the day after its last: the moments' query window."""
        first, last = self.grid
        return at_midnight(first), at_midnight(dates.add_days(last, 1))


def in_bounds(period):
    """Whether the period lies within the dates the portal accepts (stagegids.dates)."""
    return period.first >= dates.EARLIEST and period.last <= dates.latest()


def current(kind, today):
    return Period(WEEK, _monday(today)) if kind == WEEK else Period(MONTH, _first_of_month(today))


def _parse(kind, value):
    match = (_WEEK if kind == WEEK else _MONTH).fullmatch(value)
    if match is None:
        return None
    year, number = int(match[1]), int(match[2])
    try:
        if kind == WEEK:
            return Period(WEEK, date.fromisocalendar(year, number, 1))
        return Period(MONTH, date(year, number, 1))
    except ValueError:
        return None


def period_from(params, *, today):
    """(the period that `params` ask for, None) or (the current week or month, a Dutch reason) when the asked one
    is malformed or outside the dates the portal accepts. ?maand=2026-11 is a month, ?week=2026-W48 a week."""
    kind = MONTH if MONTH in params else WEEK
    value = params.get(kind, "")
    if not value:
        return current(kind, today), None
    period = _parse(kind, value)
    if period is not None and in_bounds(period):
        return period, None
    bounds = {
        "earliest": date_format(dates.EARLIEST, "F Y"),
        "latest": date_format(dates.latest(today), "F Y"),
    }
    if kind == WEEK:
        reason = _("De agenda toont weken van %(earliest)s tot %(latest)s. Hieronder staat deze week.")
    else:
        reason = _("De agenda toont maanden van %(earliest)s tot %(latest)s. Hieronder staat deze maand.")
    return current(kind, today), reason % bounds


@dataclass
class Day:
    date: date
    in_period: bool
    is_today: bool
    moments: list


def days(period, moments, *, today):
    """The days of the period's grid, each with its moments (already in order); the period is in bounds, so the
    grid is far from the calendar's end."""
    by_day = {}
    for moment in moments:
        by_day.setdefault(timezone.localdate(moment.starts_at), []).append(moment)
    first, last = period.grid
    result, day = [], first
    while day <= last:
        result.append(Day(day, period.first <= day <= period.last, day == today, by_day.get(day, [])))
        day += timedelta(days=1)
    return result


def feed_window(today):
    """The aware start and end of what the feed holds."""
    first = dates.add_months(today, -FEED_MONTHS_BACK)
    last = dates.add_months(today, FEED_MONTHS_AHEAD)
    return at_midnight(first), at_midnight(last)
