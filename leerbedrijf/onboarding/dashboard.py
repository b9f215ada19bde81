"""Start page panels for onboarding: what is late, and what is yours to do."""

from django.db.models import Count, Min, Q

from stagegids import dashboard
from stagegids.roles import Role

from ..models import OnboardingItem, Stage, roles_of, running_stages

PANEL_ROWS = 10


@dashboard.register
def overdue_onboarding(request):
    """The praktijkopleider sees, per stage of their leerbedrijven, how much of the onboarding is late: one line a
    stage keeps the start page short; the items themselves are on the stage's onboarding page."""
    ids = roles_of(request.user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)
    if not ids:
        return None
    per_stage = list(
        OnboardingItem.objects.overdue()
        # An interrupted or ended stage asks nothing more of anyone (issue 15).
        .filter(running_stages("stage__"), stage__leerbedrijf__in=ids)
        .values("stage")
        .annotate(count=Count("pk"), oldest=Min("due_date"), mine=Count("pk", filter=Q(responsible=request.user)))
        .order_by("oldest", "stage")
    )
    if not per_stage:
        return None
    shown = per_stage[:PANEL_ROWS]
    stages = Stage.objects.select_related("stagiair").in_bulk([row["stage"] for row in shown])
    for row in shown:
        row["stage"] = stages[row["stage"]]
    return dashboard.Panel(
        "leerbedrijf/panels/onboarding_overdue.html",
        {"rows": shown, "count": sum(row["count"] for row in per_stage), "more": len(per_stage) > PANEL_ROWS},
        order=15,
    )


@dashboard.register
def my_onboarding_items(request):
    """Everyone else in a leerbedrijf sees the open items they are responsible for."""
    roles = roles_of(request.user)
    ids = roles.leerbedrijf_ids() - roles.leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)
    if not ids:
        return None
    mine = OnboardingItem.objects.open().filter(
        running_stages("stage__"), responsible=request.user, stage__leerbedrijf__in=ids
    )
    count = mine.count()
    if not count:
        return None
    items = mine.select_related("stage__stagiair").order_by("due_date", "stage", "position")
    return dashboard.Panel(
        "leerbedrijf/panels/onboarding_mine.html", {"items": items[:PANEL_ROWS], "count": count}, order=15
    )
