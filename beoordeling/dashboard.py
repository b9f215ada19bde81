from datetime import timedelta

from django.utils import timezone

from leerbedrijf.models import Leerbedrijf, Stage, roles_of
from stagegids import dashboard
from stagegids.policy import visible
from stagegids.roles import Role
from stageplan.models import Moment, MomentKind

from .models import Beoordeling, BeoordelingState
from .models.gesprek import Afspraak, awaiting_zelfreflectie, gesprek_writer_stages

PANEL_ROWS = 10


@dashboard.register
def zelfreflectie_invullen(request):
    """The stagiair prepares each coming voortgangsgesprek with a zelfreflectie (chapter 8)."""
    moments = list(
        awaiting_zelfreflectie(timezone.now())
        .filter(stage__stagiair__user=request.user)
        .select_related("stage__leerbedrijf")[:PANEL_ROWS]
    )
    if not moments:
        return None
    return dashboard.Panel("beoordeling/panels/zelfreflectie.html", {"moments": moments}, order=5)


# The start page is about the coming month; later gesprekken are on each stage's Gesprekken page.
GESPREKKEN_AHEAD = timedelta(days=31)


@dashboard.register
def gesprekken_en_afspraken(request):
    """Whoever holds the gesprekken sees the coming ones and the afspraken that are still open."""
    stages = gesprek_writer_stages(request.user)
    now = timezone.now()
    moments = list(
        Moment.objects.planned()
        .filter(kind=MomentKind.VOORTGANGSGESPREK, stage__in=stages)
        .filter(starts_at__gte=now, starts_at__lte=now + GESPREKKEN_AHEAD)
        .select_related("stage__stagiair", "voortgangsgesprek")[:PANEL_ROWS]
    )
    afspraken = list(
        Afspraak.objects.open().filter(stage__in=stages).select_related("owner", "stage__stagiair")[:PANEL_ROWS]
    )
    if not moments and not afspraken:
        return None
    return dashboard.Panel("beoordeling/panels/gesprekken.html", {"moments": moments, "afspraken": afspraken}, order=15)


EVALUATIE_DAYS_BEFORE_END = 30


@dashboard.register
def evaluatie_invullen(request):
    """Near the end of the stage the stagiair evaluates it (chapter 9)."""
    soon = timezone.localdate() + timedelta(days=EVALUATIE_DAYS_BEFORE_END)
    stages = list(
        Stage.objects.for_roles(request.user, Role.STAGIAIR)
        .filter(end_date__lte=soon)
        .exclude(evaluatie__submitted_at__isnull=False)
        .select_related("leerbedrijf")
    )
    if not stages:
        return None
    return dashboard.Panel("beoordeling/panels/evaluatie.html", {"stages": stages}, order=6)


@dashboard.register
def evaluatie_overzicht(request):
    ids = roles_of(request.user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)
    if not ids:
        return None
    return dashboard.Panel(
        "beoordeling/panels/evaluatie_overzicht.html",
        {"leerbedrijven": Leerbedrijf.objects.filter(pk__in=ids)},
        order=40,
    )


@dashboard.register
def beoordelingen_to_do(request):
    """The forms this person still has to fill in, and the beoordelingen waiting for their signature."""
    user = request.user
    todo = []
    for beoordeling in (
        visible(user, Beoordeling.objects)
        .filter(state__in=[BeoordelingState.INVULLEN, BeoordelingState.GESPREK])
        .select_related("stage__stagiair")
        .prefetch_related("invullingen")
        .order_by("created_at")
    ):
        party = beoordeling.party_of(user)
        own = next((i for i in beoordeling.invullingen.all() if i.party == party), None)
        if beoordeling.is_eind and beoordeling.mbo_updated_at is None and beoordeling.stage.is_mbo_begeleider(user):
            todo.append((beoordeling, "deel_school"))
        elif own is not None and own.submitted_at is None:
            todo.append((beoordeling, "invullen"))
        elif beoordeling.state == BeoordelingState.GESPREK:
            side = beoordeling.signer_side(user)
            if side and not getattr(beoordeling, f"{side}_signed_at"):
                todo.append((beoordeling, "ondertekenen"))
    if not todo:
        return None
    return dashboard.Panel("beoordeling/panels/todo.html", {"todo": todo}, order=15)
