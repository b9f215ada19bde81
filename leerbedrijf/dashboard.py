from django.db.models import Count, Q

from stagegids import dashboard
from stagegids.policy import visible
from stagegids.roles import Role

from .models import Leerbedrijf, Stage, roles_of, with_onboarding_progress


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
        with_onboarding_progress(visible(request.user, Stage.objects))
        .select_related("stagiair", "leerbedrijf", "kwalificatie", "werkplekbegeleider")
        .order_by("start_date")
    )
    if not stages:
        return None
    # The same people as the leerbedrijf.view_onboarding rule, decided without a query per stage.
    opleider_of = roles_of(request.user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)
    for stage in stages:
        stage.shows_onboarding = (
            stage.leerbedrijf_id in opleider_of
            or stage.werkplekbegeleider_id == request.user.pk
            or stage.stagiair.user_id == request.user.pk
        )
    return dashboard.Panel("leerbedrijf/panels/stages.html", {"stages": stages}, order=20)
