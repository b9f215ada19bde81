from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from stagegids import dashboard
from stagegids.policy import visible
from stagegids.roles import Role

from .models import (
    Leerbedrijf,
    Stage,
    StageStatus,
    Stagiair,
    leerbedrijf_warnings,
    roles_of,
    with_onboarding_progress,
)
from .models.status import status_condition

PANEL_STAGES = 20


def _count(model, condition):
    rows = (
        model.objects.filter(condition, leerbedrijf=OuterRef("pk"))
        .order_by()
        .values("leerbedrijf")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


@dashboard.register
def managed_leerbedrijven(request):
    ids = roles_of(request.user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)
    if not ids:
        return None
    # Subqueries, not joins: joining stages and stagiairs multiplies their rows (200 × 200 for a big company).
    leerbedrijven = Leerbedrijf.objects.filter(pk__in=ids).annotate(
        stage_count=_count(Stage, Q()),
        without_begeleider=_count(Stage, Q(werkplekbegeleider__isnull=True)),
        without_account=_count(Stagiair, Q(user__isnull=True)),
    )
    return dashboard.Panel("leerbedrijf/panels/managed.html", {"leerbedrijven": leerbedrijven}, order=10)


@dashboard.register
def my_stages(request):
    # Running and planned stages; a finished one stays only on its stagiair's own page. The rest is in the
    # stagiair list, so that the start page of a big company stays quick.
    current = visible(request.user, Stage.objects).filter(
        ~status_condition(StageStatus.AFGEROND) | Q(stagiair__user=request.user)
    )
    stages = list(
        with_onboarding_progress(current)
        .select_related("stagiair", "leerbedrijf", "kwalificatie", "werkplekbegeleider")
        .order_by("start_date", "pk")[: PANEL_STAGES + 1]
    )
    if not stages:
        return None
    more = len(stages) > PANEL_STAGES
    stages = stages[:PANEL_STAGES]
    opleider_of = roles_of(request.user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)
    return dashboard.Panel(
        "leerbedrijf/panels/stages.html",
        {
            "stages": stages,
            "more": more,
            "opleider_of": sorted(opleider_of),
            # The gids says je to a stagiair: their own stage is "jouw stage".
            "own": all(stage.stagiair.user_id == request.user.pk for stage in stages),
        },
        order=20,
    )


@dashboard.register
def erkenning_warnings(request):
    """Chapter 3: what threatens the praktijkopleider's erkenningen (herbeoordeling, stages without erkenning)."""
    ids = roles_of(request.user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)
    if not ids:
        return None
    # The viewer is a praktijkopleider of each of these, so none lacks one.
    companies = [
        (leerbedrijf, leerbedrijf_warnings(leerbedrijf=leerbedrijf, viewer=request.user, has_praktijkopleider=True))
        for leerbedrijf in Leerbedrijf.objects.filter(pk__in=ids)
    ]
    return dashboard.Panel("leerbedrijf/panels/erkenningen.html", {"companies": companies}, order=15)
