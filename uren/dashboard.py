"""The start-page panels of the hours: the week to fill in, the weeks waiting for akkoord, who is ill, and for the
praktijkopleider the stagiairs with long or repeated absence (thresholds in settings: UREN_LONG_ABSENCE_DAYS,
UREN_REPEATED_ABSENCE_COUNT within UREN_REPEATED_ABSENCE_MONTHS)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from leerbedrijf.models import Leerbedrijf, Stage, holds_any, roles_of, running_stages
from stagegids import dashboard
from stagegids.dates import add_months
from stagegids.roles import Role

from .models import OPEN_STATUSES, Urenweek, WeekStatus, Ziekmelding, keeping_hours, monday_of, week_url

PANEL_ROWS = 10


@dashboard.register
def uren_invullen(request):
    """Last week's hours, for whoever fills them in, on each running stage where they are not handed in yet (at a
    leerbedrijf that keeps hours here, as the reminder)."""
    if not holds_any(request.user, Role.STAGIAIR, Role.WERKPLEKBEGELEIDER):
        return None
    today = timezone.localdate()
    last_week = monday_of(today) - timedelta(days=7)
    stages = list(
        keeping_hours(Stage.objects.for_roles(request.user, Role.STAGIAIR, Role.WERKPLEKBEGELEIDER))
        .filter(running_stages())
        .filter(start_date__lte=last_week + timedelta(days=6), end_date__gte=last_week)
        .exclude(
            pk__in=Urenweek.objects.filter(week_start=last_week).exclude(status__in=OPEN_STATUSES).values("stage_id")
        )
        .select_related("stagiair")
        .only("stagiair__name", "stagiair__user")  # what a line shows
        .order_by("stagiair__name")[:PANEL_ROWS]
    )
    if not stages:
        return None
    number = last_week.isocalendar().week
    todos = [
        dashboard.Todo(
            url=week_url(stage, last_week),
            text=_("Je uren van week %(number)s invullen") % {"number": number}
            if stage.stagiair.user_id == request.user.pk
            else _("Uren van week %(number)s invullen") % {"number": number},
            who="" if stage.stagiair.user_id == request.user.pk else stage.stagiair.name,
        )
        for stage in stages
    ]
    return dashboard.Panel(todos=todos, order=8)


@dashboard.register
def uren_akkoord(request):
    """Handed-in weeks waiting for akkoord, for the werkplekbegeleider and the praktijkopleider."""
    if not holds_any(request.user, Role.WERKPLEKBEGELEIDER, Role.PRAKTIJKOPLEIDER):
        return None
    stages = Stage.objects.for_roles(request.user, Role.WERKPLEKBEGELEIDER, Role.PRAKTIJKOPLEIDER)
    waiting = Urenweek.objects.filter(stage__in=stages, status=WeekStatus.INGEDIEND)
    weeks = list(
        waiting.select_related("stage__stagiair")
        .only("week_start", "stage__stagiair__name")  # what a line shows
        .order_by("week_start", "pk")[:PANEL_ROWS]
    )
    if not weeks:
        return None
    todos = [
        dashboard.Todo(
            url=week_url(week.stage, week.week_start),
            text=_("Uren van week %(number)s akkoord geven") % {"number": week.week_start.isocalendar().week},
            who=week.stage.stagiair.name,
        )
        for week in weeks
    ]
    return dashboard.Panel(todos=todos, order=9)


@dashboard.register
def ziek(request):
    """Who is ill now: for the company side, the stagiair themselves, and the school where the company chose so."""
    meldingen = list(
        Ziekmelding.objects.visible_to(request.user)
        .open()
        .select_related("stage__stagiair")
        .only("since", "until", "stage__stagiair__name", "stage__stagiair__user")  # what a line shows
        .order_by("since", "pk")[:PANEL_ROWS]
    )
    if not meldingen:
        return None
    today = timezone.localdate()
    return dashboard.Panel(
        "uren/panels/ziek.html",
        {"meldingen": [(melding, melding.days_ill(today)) for melding in meldingen], "user_id": request.user.pk},
        order=7,
    )


def absence_signals(stages, today):
    """[(stage, open ziekmelding days or None, ziekmeldingen in the period)] of the `stages` with long or repeated
    absence, in two queries."""
    since = add_months(today, -settings.UREN_REPEATED_ABSENCE_MONTHS)
    long_from = today - timedelta(days=settings.UREN_LONG_ABSENCE_DAYS - 1)
    flagged = (
        stages.annotate(
            recent=Count("ziekmeldingen", filter=Q(ziekmeldingen__since__gte=since), distinct=True),
            long=Count(
                "ziekmeldingen",
                filter=Q(ziekmeldingen__until__isnull=True, ziekmeldingen__since__lte=long_from),
                distinct=True,
            ),
        )
        .filter(Q(recent__gte=settings.UREN_REPEATED_ABSENCE_COUNT) | Q(long__gt=0))
        .select_related("stagiair")
        .only("stagiair__name")  # what a line shows
        .order_by("stagiair__name", "pk")[:PANEL_ROWS]
    )
    flagged = list(flagged)
    open_since = dict(
        Ziekmelding.objects.open().filter(stage__in=[s.pk for s in flagged]).values_list("stage_id", "since")
    )
    return [(stage, (today - open_since[stage.pk]).days + 1 if stage.long else None, stage.recent) for stage in flagged]


@dashboard.register
def verzuim(request):
    """Long or repeated absence of the company's stagiairs, for the praktijkopleider."""
    if not holds_any(request.user, Role.PRAKTIJKOPLEIDER):
        return None
    stages = Stage.objects.for_roles(request.user, Role.PRAKTIJKOPLEIDER)
    today = timezone.localdate()
    signals = absence_signals(stages.filter(end_date__gte=today - timedelta(days=31)), today)
    if not signals:
        return None
    return dashboard.Panel(
        "uren/panels/verzuim.html",
        {
            "signals": signals,
            "long_days": settings.UREN_LONG_ABSENCE_DAYS,
            "count": settings.UREN_REPEATED_ABSENCE_COUNT,
            "months": settings.UREN_REPEATED_ABSENCE_MONTHS,
        },
        order=6,
    )


@dashboard.register
def company_uren(request):
    """The praktijkopleider's way to the hours of all stagiairs, once the company keeps hours here."""
    ids = roles_of(request.user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)
    if not ids:
        return None
    leerbedrijven = list(
        Leerbedrijf.objects.filter(pk__in=ids).filter(pk__in=Urenweek.objects.values("stage__leerbedrijf_id"))
    )
    if not leerbedrijven:
        return None
    return dashboard.Panel(
        "uren/panels/company.html",
        {"leerbedrijven": leerbedrijven},
        order=41,
        folded=True,
        title=_("Uren en begeleiding"),
    )
