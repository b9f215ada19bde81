"""The start page panels of the afronding (chapter 10): the evaluatie to fill in, the lessons of all evaluaties."""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from leerbedrijf.models import Leerbedrijf, Stage, holds_any, roles_of
from stagegids import dashboard
from stagegids.roles import Role

from .models import Evaluatie

EVALUATIE_DAYS_BEFORE_END = 30


@dashboard.register
def evaluatie_invullen(request):
    """Near the end of the stage the stagiair evaluates it (chapter 10)."""
    if not holds_any(request.user, Role.STAGIAIR):
        return None
    soon = timezone.localdate() + timedelta(days=EVALUATIE_DAYS_BEFORE_END)
    stages = list(
        Stage.objects.for_roles(request.user, Role.STAGIAIR)
        .filter(end_date__lte=soon)
        .exclude(evaluatie__submitted_at__isnull=False)
        .select_related("leerbedrijf")
    )
    if not stages:
        return None
    todos = [
        dashboard.Todo(
            url=reverse("beoordeling:evaluatie_fill", args=[stage.pk]),
            text=_("Je stage evalueren: hoe was je stage bij %(name)s?") % {"name": stage.leerbedrijf.name},
            due=stage.end_date,
        )
        for stage in stages
    ]
    return dashboard.Panel(todos=todos, order=6)


@dashboard.register
def evaluatie_overzicht(request):
    ids = roles_of(request.user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)
    if not ids:
        return None
    # A company whose stagiairs evaluated nothing yet has nothing to learn from: no link to an empty page.
    leerbedrijven = list(
        Leerbedrijf.objects.filter(pk__in=ids).filter(
            Exists(Evaluatie.objects.submitted().filter(stage__leerbedrijf=OuterRef("pk")))
        )
    )
    if not leerbedrijven:
        return None
    return dashboard.Panel(
        "beoordeling/panels/evaluatie_overzicht.html",
        {"leerbedrijven": leerbedrijven},
        order=40,
        folded=True,
        title=_("Leren van evaluaties"),
    )
