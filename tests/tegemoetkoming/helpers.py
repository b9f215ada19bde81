"""Approved weeks of hours for the tegemoetkomingen' tests, written by the model methods the uren pages call:
filled and handed in by the werkplekbegeleider, approved by the praktijkopleider."""

from datetime import timedelta
from decimal import Decimal

from uren.models import Dag, Soort, Urenweek, stage_days


def approve_weeks(stage, mondays, *, by, approver, werk_days=4, school_days=1, begeleiding="1.5"):
    """Each Monday's week: `werk_days` of 8 hours work, then `school_days` of 8 hours school (as far as the days
    lie in the stage), and `begeleiding` hours given by `by`; handed in by `by` and approved by `approver`."""
    for monday in mondays:
        week = Urenweek.shown_for(stage, monday)
        inside = set(stage_days(stage, monday))
        days = []
        for offset in range(werk_days + school_days):
            day = monday + timedelta(days=offset)
            if day in inside:
                soort = Soort.WERK if offset < werk_days else Soort.SCHOOL
                days.append(Dag(day, soort, Decimal(8)))
        given = {by.pk: Decimal(begeleiding)} if Decimal(begeleiding) else {}
        week.fill(by=by, version=week.version, days=days, begeleiding=given, submit=True)
        week.approve(by=approver)


def mondays(first, count):
    return [first + timedelta(weeks=n) for n in range(count)]
