"""Start page panel of the intake: candidates waiting for a decision, an unconfirmed import, unsigned contracts."""

from django.db.models import Count, Exists, OuterRef, Q

from stagegids import dashboard
from stagegids.roles import Role

from ..models import Besluit, Leerbedrijf, StagiairImport, roles_of


@dashboard.register
def intake_todo(request):
    ids = roles_of(request.user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)
    if not ids:
        return None
    leerbedrijven = [
        leerbedrijf
        for leerbedrijf in Leerbedrijf.objects.filter(pk__in=ids).annotate(
            open_kandidaten=Count("kandidaten", filter=Q(kandidaten__besluit=Besluit.OPEN), distinct=True),
            pok_missing=Count("stages", filter=Q(stages__pok_signed_on__isnull=True), distinct=True),
            import_pending=Exists(StagiairImport.objects.filter(leerbedrijf=OuterRef("pk"))),
        )
        if leerbedrijf.open_kandidaten or leerbedrijf.pok_missing or leerbedrijf.import_pending
    ]
    if not leerbedrijven:
        return None
    return dashboard.Panel("leerbedrijf/panels/intake.html", {"leerbedrijven": leerbedrijven}, order=15)
