"""The feedback moments the gids asks for, proposed when a stageplan is made (chapters 7, 8 and 9)."""

from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from stagegids.dates import MAX_PROPOSED_MOMENTS, add_days

from .models import Moment, MomentKind

DEFAULT_TIME = time(10, 0)


def _weekday(day, *, backwards=False):
    """The nearest working day: a gesprek is not planned in a weekend."""
    while day.weekday() >= 5 and day not in (date.min, date.max):
        day = add_days(day, -1 if backwards else 1)
    return day


def _at(day, hour=DEFAULT_TIME):
    return timezone.make_aware(datetime.combine(day, hour))


def proposal(*, stage, interval_weeks):
    """(kind, starts_at) pairs: voortgangsgesprekken every `interval_weeks`, the tussenbeoordeling halfway, the
    eindbeoordeling near the end, the evaluatie at the close, and the start-, midden- and eindgesprek with school.
    At most MAX_PROPOSED_MOMENTS: a stage saved with dates from before their bounds does not make thousands.
    """
    start, end = stage.start_date, stage.end_date
    middle = start + (end - start) / 2
    moments = [
        (MomentKind.STARTGESPREK, _at(_weekday(add_days(start, 3)), time(14, 0))),
        (MomentKind.TUSSENBEOORDELING, _at(_weekday(middle))),
        (MomentKind.MIDDENGESPREK, _at(_weekday(middle), time(14, 0))),
        (MomentKind.EINDBEOORDELING, _at(_weekday(add_days(end, -7), backwards=True))),
        (MomentKind.EINDGESPREK, _at(_weekday(add_days(end, -3), backwards=True), time(14, 0))),
        (MomentKind.EVALUATIE, _at(_weekday(end, backwards=True))),
    ]
    fixed_weeks = {day.date().isocalendar()[:2] for _, day in moments}
    day = add_days(start, 7 * interval_weeks)
    while day < add_days(end, -7) and len(moments) < MAX_PROPOSED_MOMENTS:
        planned = _weekday(day)
        # A week that already has a beoordeling or gesprek with school needs no separate voortgangsgesprek.
        if planned.isocalendar()[:2] not in fixed_weeks:
            moments.append((MomentKind.VOORTGANGSGESPREK, _at(planned)))
        day = add_days(day, 7 * interval_weeks)
    return sorted(moments, key=lambda pair: pair[1])


def propose_moments(*, stage, interval_weeks):
    location = _("bij %(leerbedrijf)s") % {"leerbedrijf": stage.leerbedrijf.name}
    return Moment.objects.bulk_create(
        Moment(stage=stage, kind=kind, starts_at=starts_at, location=location)
        for kind, starts_at in proposal(stage=stage, interval_weeks=interval_weeks)
    )
