"""The start page panel of the tegemoetkomingen: the praktijkopleider's way to the overview per studiejaar."""

from django.utils.translation import gettext as _

from leerbedrijf.models import Leerbedrijf, Leerweg, roles_of
from stagegids import dashboard
from stagegids.roles import Role


@dashboard.register
def tegemoetkomingen(request):
    ids = roles_of(request.user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)
    if not ids:
        return None
    # Both schemes are for leerling-werknemers: a company without a bbl stage has nothing to apply for.
    leerbedrijven = list(Leerbedrijf.objects.filter(pk__in=ids, stages__leerweg=Leerweg.BBL).distinct())
    if not leerbedrijven:
        return None
    return dashboard.Panel(
        "tegemoetkoming/panels/overzicht.html",
        {"leerbedrijven": leerbedrijven},
        order=42,
        folded=True,
        title=_("Tegemoetkomingen"),
    )
