from django.db.models import Count, Q

from stagegids import dashboard
from stagegids.policy import visible
from stagegids.roles import Role

from .models import Leerbedrijf, Stage, leerbedrijf_warnings, roles_of


@dashboard.register
def managed_leerbedrijven(request):
    ids = roles_of(request.user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)
    if not ids:
        return None
    leerbedrijven = Leerbedrijf.objects.filter(pk__in=ids).annotate(
        stage_count=Count("stages", distinct=True),
        without_begeleider=Count("stages", filter=Q(stages__werkplekbegeleider__isnull=True), distinct=True),
        without_account=Count("stagiairs", filter=Q(stagiairs__user__isnull=True), distinct=True),
    )
    return dashboard.Panel("leerbedrijf/panels/managed.html", {"leerbedrijven": leerbedrijven}, order=10)


@dashboard.register
def my_stages(request):
    stages = list(
        visible(request.user, Stage.objects)
        .select_related("stagiair", "leerbedrijf", "kwalificatie", "werkplekbegeleider")
        .order_by("start_date")
    )
    if not stages:
        return None
    return dashboard.Panel("leerbedrijf/panels/stages.html", {"stages": stages}, order=20)


@dashboard.register
def erkenning_warnings(request):
    """Chapter 3: what threatens the praktijkopleider's erkenningen (herbeoordeling, stages without erkenning)."""
    ids = roles_of(request.user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)
    if not ids:
        return None
    # The viewer is a praktijkopleider of each of these, so none lacks one.
    companies = [
        (leerbedrijf, leerbedrijf_warnings(leerbedrijf=leerbedrijf, has_praktijkopleider=True))
        for leerbedrijf in Leerbedrijf.objects.filter(pk__in=ids)
    ]
    return dashboard.Panel("leerbedrijf/panels/erkenningen.html", {"companies": companies}, order=15)
