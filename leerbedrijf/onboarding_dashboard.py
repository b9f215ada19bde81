"""Start page panels for onboarding: what is late, and what is yours to do."""

from stagegids import dashboard
from stagegids.roles import Role

from .models import OnboardingItem, roles_of

PANEL_ROWS = 10


@dashboard.register
def overdue_onboarding(request):
    """The praktijkopleider sees the late items of every stage of their leerbedrijven."""
    ids = roles_of(request.user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)
    if not ids:
        return None
    overdue = OnboardingItem.objects.overdue().filter(stage__leerbedrijf__in=ids)
    count = overdue.count()
    if not count:
        return None
    items = overdue.select_related("stage__stagiair", "responsible").order_by("due_date", "stage", "position")
    return dashboard.Panel(
        "leerbedrijf/panels/onboarding_overdue.html", {"items": items[:PANEL_ROWS], "count": count}, order=15
    )


@dashboard.register
def my_onboarding_items(request):
    """Everyone else in a leerbedrijf sees the open items they are responsible for."""
    roles = roles_of(request.user)
    ids = roles.leerbedrijf_ids() - roles.leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)
    if not ids:
        return None
    mine = OnboardingItem.objects.open().filter(responsible=request.user, stage__leerbedrijf__in=ids)
    count = mine.count()
    if not count:
        return None
    items = mine.select_related("stage__stagiair").order_by("due_date", "stage", "position")
    return dashboard.Panel(
        "leerbedrijf/panels/onboarding_mine.html", {"items": items[:PANEL_ROWS], "count": count}, order=15
    )
