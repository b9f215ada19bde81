"""The beheerder keeps the kwalificaties of SBB up to date: erkenningen, stages and leerdoelen are chosen from them."""

from stagegids import dashboard

from ..models import Kwalificatie


@dashboard.register
def kwalificaties(request):
    if not request.user.is_staff:
        return None
    return dashboard.Panel("leerbedrijf/panels/kwalificaties.html", {"count": Kwalificatie.objects.count()}, order=3)
