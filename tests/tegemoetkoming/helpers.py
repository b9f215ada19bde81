"""Approved weeks of hours for the tegemoetkomingen' tests.

The hours pages are the uren app's (another branch of issue 14); until its own test helpers are on main, these
write the rows its approval writes: a week in status akkoord with its days and its begeleiding.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from uren.models import Begeleidingsuren, Soort, Urendag, Urenweek, WeekStatus


def approve_weeks(stage, mondays, *, by, werk_days=4, school_days=1, begeleiding="1.5"):
    """Each Monday's week approved: `werk_days` of 8 hours work, then `school_days` of 8 hours school, and
    `begeleiding` hours given by `by` (none when "0")."""
    weeks = Urenweek.objects.bulk_create(
        [
            Urenweek(
                stage=stage, week_start=monday, status=WeekStatus.AKKOORD, approved_by=by, approved_at=timezone.now()
            )
            for monday in mondays
        ]
    )
    days, given = [], []
    for week in weeks:
        for offset in range(werk_days + school_days):
            soort = Soort.WERK if offset < werk_days else Soort.SCHOOL
            days.append(Urendag(week=week, day=week.week_start + timedelta(days=offset), soort=soort, hours=8))
        if Decimal(begeleiding) > 0:
            given.append(Begeleidingsuren(week=week, begeleider=by, hours=Decimal(begeleiding)))
    Urendag.objects.bulk_create(days)
    Begeleidingsuren.objects.bulk_create(given)
    return weeks


def mondays(first, count):
    return [first + timedelta(weeks=n) for n in range(count)]
