"""The dates the portal accepts, in one place: every form, the CSV import and the pages that compute with dates.

A stage, an erkenning or a moment lies between 1 January 2000 and ten years from today; a stage lasts at most
four years, the longest mbo opleiding (niveau 4, and a bbl leerbaan runs along the whole opleiding). Outside that
window a date is a typing error, and far outside it (year 1, year 9999) date arithmetic overflows: the arithmetic
below saturates instead, so rows that came in before these bounds still show.
"""

from datetime import date, datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

EARLIEST = date(2000, 1, 1)
YEARS_AHEAD = 10
MAX_STAGE_YEARS = 4
# A stageplan proposes at most this many moments, whatever the stage's dates say (a weekly voortgangsgesprek for
# four years stays under it).
MAX_PROPOSED_MOMENTS = 250


def add_years(day, years):
    """The same day `years` later (28 February for 29 February); date.min or date.max when beyond the calendar."""
    return add_months(day, 12 * years)


def add_months(day, months):
    """The same day `months` later, or the month's last day; date.min or date.max when beyond the calendar."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    for last in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=last)
        except ValueError:
            continue
    raise ValueError(day)


def add_days(day, days):
    """`day` plus `days`, or date.min or date.max when beyond the calendar."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def latest(today=None):
    return add_years(today or timezone.localdate(), YEARS_AHEAD)


def _day(value):
    return value.date() if isinstance(value, datetime) else value


def date_error(value, *, today=None):
    """The Dutch reason why `value` (a date or datetime) lies outside the window, or None."""
    day, last = _day(value), latest(today)
    if day < EARLIEST or day > last:
        return _("Vul een datum tussen %(earliest)s en %(latest)s in.") % {
            "earliest": date_format(EARLIEST, "j F Y"),
            "latest": date_format(last, "j F Y"),
        }
    return None


def period_error(start, end):
    """The Dutch reason why a stage from `start` to `end` is too long, or None."""
    if end > add_years(start, MAX_STAGE_YEARS):
        return _("Een stage duurt hoogstens %(years)s jaar.") % {"years": MAX_STAGE_YEARS}
    return None


def validate_date(value):
    if value is not None and (error := date_error(value)):
        raise ValidationError(error, code="date_window")


def bound_form(form):
    """Give every date (and datetime) field of `form` the window: a validator, and min and max on the picker."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField | forms.DateTimeField):
            field.validators.append(validate_date)
            if isinstance(field, forms.DateTimeField):
                field.widget.attrs.update(min=f"{EARLIEST.isoformat()}T00:00", max=f"{latest().isoformat()}T23:59")
            else:
                field.widget.attrs.update(min=EARLIEST.isoformat(), max=latest().isoformat())
