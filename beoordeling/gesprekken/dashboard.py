"""The start page panels of the begeleiding (chapter 8): the zelfreflectie to write, the coming gesprekken and the
open afspraken."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from leerbedrijf.models import holds_any, running_stages
from stagegids import dashboard
from stagegids.roles import Role
from stageplan.models import Moment, MomentKind

from .models import Afspraak, awaiting_zelfreflectie, gesprek_writer_stages

PANEL_ROWS = 10
# What a line of an afspraak shows (the owner's display_name included), not the stage's forty columns.
AFSPRAAK_FIELDS = (
    "text",
    "due_date",
    "owner__name",
    "owner__is_active",
    "owner__anonymised_at",
    "stage__stagiair__name",
)
# The start page is about the coming month; later gesprekken are on each stage's Gesprekken page and its planning.
GESPREKKEN_AHEAD = timedelta(days=31)


@dashboard.register
def zelfreflectie_invullen(request):
    """The stagiair prepares each coming voortgangsgesprek with a zelfreflectie (chapter 8): the next one of each
    stage in the coming month. A new stage gets all its voortgangsgesprekken at once, and the later ones would bury
    the next; they are in the stage's planning."""
    if not holds_any(request.user, Role.STAGIAIR):
        return None
    now = timezone.now()
    moments = {}
    for moment in (
        awaiting_zelfreflectie(now)
        .filter(stage__stagiair__user=request.user, starts_at__lte=now + GESPREKKEN_AHEAD)
        .select_related("stage__leerbedrijf")
        .order_by("starts_at")
    ):
        moments.setdefault(moment.stage_id, moment)
    if not moments:
        return None
    todos = [
        dashboard.Todo(
            url=reverse("beoordeling:zelfreflectie", args=[moment.pk]),
            text=_("Zelfreflectie invullen voor je voortgangsgesprek van %(date)s")
            % {"date": date_format(timezone.localtime(moment.starts_at), "j F")},
            who=moment.stage.leerbedrijf.name,
            due=timezone.localdate(moment.starts_at),
            note=_("Wat ging goed, wat vond je moeilijk, wat wil je hierna leren?"),
        )
        for moment in moments.values()
    ]
    return dashboard.Panel(todos=todos, order=5)


@dashboard.register
def gesprekken_en_afspraken(request):
    """Whoever holds the gesprekken sees the coming ones and the afspraken that are still open."""
    if not holds_any(request.user, Role.PRAKTIJKOPLEIDER, Role.WERKPLEKBEGELEIDER):  # gesprek_writer_stages
        return None
    stages = gesprek_writer_stages(request.user)
    now = timezone.now()
    moments = list(
        Moment.objects.planned()
        .filter(kind=MomentKind.VOORTGANGSGESPREK, stage__in=stages)
        .filter(starts_at__gte=now, starts_at__lte=now + GESPREKKEN_AHEAD)
        .select_related("stage__stagiair", "voortgangsgesprek")
        .only("starts_at", "stage__stagiair__name", "voortgangsgesprek__reflectie_submitted_at")[:PANEL_ROWS]
    )
    afspraken = list(
        # An interrupted or ended stage's afspraken wait for nobody (issue 15).
        Afspraak.objects.open()
        .filter(running_stages("stage__"), stage__in=stages)
        .select_related("owner", "stage__stagiair")
        .only(*AFSPRAAK_FIELDS)[:PANEL_ROWS]
    )
    if not moments and not afspraken:
        return None
    today = timezone.localdate()
    todos = [
        dashboard.Todo(
            url=reverse("beoordeling:stage_gesprekken", args=[afspraak.stage_id]),
            text=_("Afspraak: %(text)s") % {"text": Truncator(afspraak.text).chars(90)},
            who=afspraak.stage.stagiair.name,
            due=afspraak.due_date,
            late=afspraak.due_date is not None and afspraak.due_date < today,
            note=_("van %(name)s") % {"name": afspraak.owner.display_name} if afspraak.owner_id else "",
        )
        for afspraak in afspraken
    ]
    if not moments:
        return dashboard.Panel(todos=todos, order=15)
    return dashboard.Panel(
        "beoordeling/panels/gesprekken.html",
        {"moments": moments},
        todos=todos,
        order=15,
        folded=True,
        title=ngettext(
            "%(count)d voortgangsgesprek in de komende maand",
            "%(count)d voortgangsgesprekken in de komende maand",
            len(moments),
        )
        % {"count": len(moments)},
    )
