from datetime import datetime, time, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from leerbedrijf.models import Stage, holds_any, roles_of, running_stages
from stagegids import dashboard
from stagegids.roles import Role

from . import overdue
from .models import DRIEGESPREKKEN, Leerdoel, LeerdoelStatus, Moment, MomentKind, Stageplan, StageplanVersion

# The start page is about the coming month: a new plan plans every gesprek of the stage at once, and the later
# ones are in the planning.
MOMENTS_AHEAD = timedelta(days=31)

# A week of a big company's praktijkopleider can hold many; the rest are in the agenda, one click away.
THIS_WEEK_ROWS = 12

SCHOOL_MOMENTS = 8
# A driegesprek the mbo-begeleider took part in stays on his start page this long, until it is afgerond.
SCHOOL_RECENT = timedelta(weeks=4)


@dashboard.register
def this_week(request):
    """First on everyone's start page (issue 16): the gesprekken and beoordelingen they take part in today and in the
    rest of this week (to Sunday), the same moments as their agenda, each a link that says what and with whom."""
    user = request.user
    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, time.min))
    end = start + timedelta(days=7 - today.weekday())
    moments = list(
        # for_participant is within Moment's visible_to (its roles see every moment it names); asking both made
        # the query twice as costly to build and to plan.
        Moment.objects.for_participant(user)
        .planned()
        .filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("stage__stagiair", "stage__leerbedrijf")
        # What a line shows, not the stage's forty columns: reading them was half the cost of such a query.
        .only(
            "kind",
            "starts_at",
            "location",
            "cancelled_at",
            "stage__stagiair__name",
            "stage__stagiair__user",
            "stage__leerbedrijf__name",
        )
        .order_by("starts_at", "pk")[: THIS_WEEK_ROWS + 1]
    )
    roles = roles_of(user)
    if not moments and not (roles.leerbedrijf_ids() or roles.school_ids()):
        return None
    for moment in moments:
        moment.url = overdue.planning_url(moment) or (
            reverse("stageplan:moments", args=[moment.stage_id]) + f"#moment-{moment.pk}"
        )
    shown = moments[:THIS_WEEK_ROWS]
    return dashboard.Panel(
        "stageplan/panels/this_week.html",
        {
            "today": [moment for moment in shown if timezone.localdate(moment.starts_at) == today],
            "week": [moment for moment in shown if timezone.localdate(moment.starts_at) != today],
            "more": len(moments) > THIS_WEEK_ROWS,
            "companies": len({moment.stage.leerbedrijf_id for moment in shown}),
        },
        order=0,
    )


@dashboard.register
def my_stageplan(request):
    """The stagiair: their plan, and what to do with it now."""
    if not holds_any(request.user, Role.STAGIAIR):
        return None
    stages = list(
        Stage.objects.for_roles(request.user, Role.STAGIAIR)
        .select_related("stageplan", "leerbedrijf")
        # What the panel says of each plan, in the same query: whether it has leerdoelen (ch. 7: agreed once there
        # is something in it), and the number of its latest version when the stagiair has not agreed to it yet.
        .annotate(
            has_leerdoelen=Exists(Stageplan.objects.with_leerdoelen().filter(stage=OuterRef("pk"))),
            to_agree=Subquery(
                StageplanVersion.objects.filter(
                    stageplan__stage=OuterRef("pk"),
                    number=OuterRef("stageplan__version"),
                    agreed_by_stagiair_at__isnull=True,
                ).values("number")[:1]
            ),
        )
        .order_by("-start_date")
    )
    if not stages:
        return None
    rows = [{"stage": stage, "plan": getattr(stage, "stageplan", None)} for stage in stages]
    today = timezone.localdate()
    due = (
        Leerdoel.objects.select_related("stageplan")
        .filter(
            stageplan__in=[row["plan"] for row in rows if row["plan"]],
            status__in=[LeerdoelStatus.GEPLAND, LeerdoelStatus.BEZIG],
            target_date__lte=today + timedelta(days=14),
        )
        .order_by("target_date")
    )
    now = timezone.now()
    next_moments = Moment.objects.planned().filter(
        stage__in=stages, starts_at__gte=now, starts_at__lte=now + MOMENTS_AHEAD
    )[:3]
    return dashboard.Panel(
        "stageplan/panels/stagiair.html",
        {"rows": rows, "due": list(due), "next_moments": list(next_moments), "today": today},
        order=5,
    )


@dashboard.register
def school_moments(request):
    """The mbo-begeleider: the coming gesprekken and beoordelingen with the school, of all their students, and the
    driegesprekken of the last weeks still open, to which they add their notes."""
    if not holds_any(request.user, Role.MBO_BEGELEIDER):
        return None
    stages = Stage.objects.school_side(request.user)
    now = timezone.now()
    open_driegesprekken = Q(starts_at__gte=now - SCHOOL_RECENT, starts_at__lt=now) & overdue.not_held(DRIEGESPREKKEN)
    moments = list(
        Moment.objects.visible_to(request.user)
        .planned()
        .filter(Q(starts_at__gte=now) | open_driegesprekken, stage__in=stages)
        .select_related("stage__stagiair", "stage__leerbedrijf")
        .only("kind", "starts_at", "location", "cancelled_at", "stage__stagiair__name", "stage__leerbedrijf__name")
        .order_by("starts_at")[:SCHOOL_MOMENTS]
    )
    todos = []
    for moment in moments:
        moment.record_url = overdue.planning_url(moment)
        if moment.record_url and moment.is_past:
            todos.append(
                dashboard.Todo(
                    url=moment.record_url,
                    text=_("Uw notities toevoegen bij het %(kind)s van %(date)s")
                    % {
                        "kind": moment.get_kind_display(),
                        "date": date_format(timezone.localtime(moment.starts_at), "j F"),
                    },
                    who=f"{moment.stage.stagiair.name} · {moment.stage.leerbedrijf.name}",
                )
            )
    # What comes this week is under "Vandaag en deze week"; the months ahead are an overview.
    return dashboard.Panel(
        "stageplan/panels/school_moments.html",
        {"moments": moments},
        todos=todos,
        order=25,
        folded=bool(moments),
        title=_("Komende gesprekken en beoordelingen"),
    )


@dashboard.register
def observatie_button(request):
    """The werkplekbegeleider or a meewerkende collega, often on a phone: one big button to record what they saw."""
    if not holds_any(request.user, Role.WERKPLEKBEGELEIDER, Role.MEEWERKENDE_COLLEGA):
        return None
    return dashboard.Panel("stageplan/panels/observatie.html", {}, order=1)


@dashboard.register
def awaiting_agreement(request):
    """The praktijkopleider: plans whose newest version they have not agreed yet."""
    ids = roles_of(request.user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)
    if not ids:
        return None
    versions = list(
        StageplanVersion.objects.filter(
            # An interrupted or ended stage asks for no agreement (issue 15).
            running_stages("stageplan__stage__"),
            stageplan__stage__leerbedrijf__in=ids,
            stageplan__in=Stageplan.objects.with_leerdoelen(),
            number=F("stageplan__version"),
            agreed_by_opleider_at__isnull=True,
        )
        .select_related("stageplan__stage__stagiair")
        .only("number", "summary", "stageplan__stage__stagiair__name")  # what a line shows
        .order_by("created_at")
    )
    if not versions:
        return None
    todos = [
        dashboard.Todo(
            url=reverse("stageplan:versions", args=[version.stageplan.stage_id]),
            text=_("Stageplan versie %(number)d afstemmen") % {"number": version.number},
            who=version.stageplan.stage.stagiair.name,
            note=Truncator(version.summary).chars(100),
        )
        for version in versions
    ]
    return dashboard.Panel(todos=todos, order=15)


OVERDUE_ROWS = 10


@dashboard.register
def overdue_moments(request):
    """Sla ze niet over (ch. 8): the moments whose time passed without being held, to whoever must act on them. Each
    line says whose moment and which, and links to where it is recorded; moving or cancelling is on the planning."""
    if not holds_any(request.user, *overdue.acting_roles()):
        return None
    rows = list(
        overdue.acting_on(request.user)
        # Counted in the same query (a window over all of them), so the page costs one query however many there are.
        .annotate(total=Window(Count("pk")))
        .select_related("stage__stagiair")
        .only("kind", "starts_at", "stage__stagiair__name")  # what a line shows
        .order_by("starts_at")[:OVERDUE_ROWS]
    )
    if not rows:
        return None
    more = rows[0].total - len(rows)
    # The kind's label from its enum: get_kind_display() rebuilds the translated choices on every call.
    items = [
        {"moment": moment, "kind": MomentKind(moment.kind).label, "url": overdue.record_url(moment)} for moment in rows
    ]
    return dashboard.Panel("stageplan/panels/overdue.html", {"items": items, "more": more}, order=3)
