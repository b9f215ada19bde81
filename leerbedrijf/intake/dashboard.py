"""Start page panel of the intake: candidates waiting for a decision, an unconfirmed import, unsigned contracts."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stagegids import dashboard
from stagegids.roles import Role

from ..models import Besluit, Leerbedrijf, StagiairImport, roles_of


@dashboard.register
def intake_todo(request):
    ids = roles_of(request.user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)
    if not ids:
        return None
    leerbedrijven = (
        leerbedrijf
        for leerbedrijf in Leerbedrijf.objects.filter(pk__in=ids).annotate(
            open_kandidaten=Count("kandidaten", filter=Q(kandidaten__besluit=Besluit.OPEN), distinct=True),
            pok_missing=Count("stages", filter=Q(stages__pok_signed_on__isnull=True), distinct=True),
            import_pending=Exists(StagiairImport.objects.filter(leerbedrijf=OuterRef("pk"))),
        )
        if leerbedrijf.open_kandidaten or leerbedrijf.pok_missing or leerbedrijf.import_pending
    )
    todos = []
    for leerbedrijf in leerbedrijven:
        if leerbedrijf.open_kandidaten:
            todos.append(
                dashboard.Todo(
                    url=reverse("leerbedrijf:kandidaten", args=[leerbedrijf.pk]),
                    text=ngettext(
                        "Besluiten over %(count)d kandidaat",
                        "Besluiten over %(count)d kandidaten",
                        leerbedrijf.open_kandidaten,
                    )
                    % {"count": leerbedrijf.open_kandidaten},
                    who=leerbedrijf.name,
                )
            )
        if leerbedrijf.import_pending:
            todos.append(
                dashboard.Todo(
                    url=reverse("leerbedrijf:import", args=[leerbedrijf.pk]),
                    text=_("Een import van stagiairs bevestigen"),
                    who=leerbedrijf.name,
                )
            )
        if leerbedrijf.pok_missing:
            todos.append(
                dashboard.Todo(
                    url=leerbedrijf.get_absolute_url(),
                    text=ngettext(
                        "De pok van %(count)d stage laten ondertekenen",
                        "De pok van %(count)d stages laten ondertekenen",
                        leerbedrijf.pok_missing,
                    )
                    % {"count": leerbedrijf.pok_missing},
                    who=leerbedrijf.name,
                )
            )
    if not todos:
        return None
    return dashboard.Panel(todos=todos, order=15)
