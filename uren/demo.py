"""Demo data of the hours, loaded by `manage.py demo` after the apps below it. Running it again changes nothing.

Sanne (bol) and Daan (bbl) of the demo leerbedrijf have their weeks since the start: approved, with an hour of
begeleiding a week by their werkplekbegeleider; Daan had a sick day, and one of his weeks was corrected. Sanne's
last week waits for akkoord; Daan's is not filled in (a reminder and a start-page line for him). Noah is ill today.
"""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from leerbedrijf.models import Stage

from .models import Afwezigheid, Soort, Urenweek, Ziekmelding, monday_of, planned_days

DEMO_COMPANY = "12345678"


def _stage(email):
    return Stage.objects.select_related("stagiair__user").get(
        leerbedrijf__kvk_nummer=DEMO_COMPANY, stagiair__email=email
    )


def _weeks(stage, *, last, waiting, by, opleider, sick_week=None):
    """The weeks from the start to `last` handed in by `by`, approved by turns; with `waiting` the last one not."""
    monday = monday_of(stage.start_date)
    while monday <= last:
        week = Urenweek.shown_for(stage, monday)
        days = planned_days(stage, monday)
        if monday == sick_week:
            days = [
                replace(d, soort=Soort.AFWEZIG, afwezigheid=Afwezigheid.ZIEK) if i == 1 and d.soort == Soort.WERK else d
                for i, d in enumerate(days)
            ]
        week.fill(
            by=by,
            version=week.version,
            days=days,
            begeleiding={stage.werkplekbegeleider_id: Decimal(1)},
            submit=True,
        )
        if monday < last or not waiting:
            week.approve(by=stage.werkplekbegeleider if monday.day % 2 else opleider)
        monday += timedelta(days=7)


def load():
    sanne = _stage("stagiair.bol@student-demo.nl")
    if sanne.urenweken.exists():
        return
    opleider = get_user_model().objects.get(email="praktijkopleider@installatiebedrijf-demo.nl")
    daan = _stage("stagiair.bbl@student-demo.nl")
    noah = _stage("stagiair.bol2@student-demo.nl")
    last_week = monday_of(timezone.localdate()) - timedelta(days=7)
    _weeks(sanne, last=last_week, waiting=True, by=sanne.stagiair.user, opleider=opleider)
    first = monday_of(daan.start_date) + timedelta(days=7)
    wpb = daan.werkplekbegeleider
    _weeks(daan, last=last_week - timedelta(days=7), waiting=False, by=wpb, opleider=opleider, sick_week=first)
    corrected = Urenweek.objects.get(stage=daan, week_start=first + timedelta(days=7))
    corrected.stage = daan
    days = corrected.entered_days()
    days[0] = replace(days[0], hours=days[0].hours - Decimal(2))
    corrected.correct(
        by=opleider,
        version=corrected.version,
        days=days,
        begeleiding={daan.werkplekbegeleider_id: Decimal("1.5")},
        reason="Daan ging maandag twee uur eerder naar de tandarts; begeleiding was anderhalf uur.",
    )
    Ziekmelding.report(stage=noah, by=noah.stagiair.user, since=timezone.localdate(), note="Griep")
