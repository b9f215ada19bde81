"""Start page panels for onboarding: what is late, and what is yours to do."""

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from stagegids import dashboard
from stagegids.roles import Role

from ..models import OnboardingItem, roles_of, running_stages

PANEL_ROWS = 10


@dashboard.register
def overdue_onboarding(request):
    """The praktijkopleider sees, per stage of their leerbedrijven, how much of the onboarding is late: one line a
    stage keeps the start page short; the items themselves are on the stage's onboarding page."""
    ids = roles_of(request.user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)
    if not ids:
        return None
    shown = list(
        OnboardingItem.objects.overdue()
        # An interrupted or ended stage asks nothing more of anyone (issue 15).
        .filter(running_stages("stage__"), stage__leerbedrijf__in=ids)
        # The stagiair's name with the stage, in the same query: a stage has one.
        .values("stage", "stage__stagiair__name")
        .annotate(count=Count("pk"), oldest=Min("due_date"), mine=Count("pk", filter=Q(responsible=request.user)))
        .order_by("oldest", "stage")[:PANEL_ROWS]
    )
    if not shown:
        return None
    todos = [
        dashboard.Todo(
            url=reverse("leerbedrijf:onboarding", args=[row["stage"]]),
            text=ngettext("Onboarding: %(count)d actie te laat", "Onboarding: %(count)d acties te laat", row["count"])
            % {"count": row["count"]},
            who=row["stage__stagiair__name"],
            due=row["oldest"],
            late=True,
            note=ngettext("%(count)d voor u", "%(count)d voor u", row["mine"]) % {"count": row["mine"]}
            if row["mine"]
            else "",
        )
        for row in shown
    ]
    return dashboard.Panel(todos=todos, order=15)


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
    # One line a stage, as the praktijkopleider's: the items themselves are on the stage's onboarding page.
    per_stage = list(
        mine.values("stage", "stage__stagiair__name")
        .annotate(count=Count("pk"), first=Min("due_date"))
        .order_by("first", "stage")[:PANEL_ROWS]
    )
    if not per_stage:
        return None
    today = timezone.localdate()
    todos = [
        dashboard.Todo(
            url=reverse("leerbedrijf:onboarding", args=[row["stage"]]),
            text=ngettext("Onboarding: %(count)d actie voor u", "Onboarding: %(count)d acties voor u", row["count"])
            % {"count": row["count"]},
            who=row["stage__stagiair__name"],
            due=row["first"],
            late=row["first"] is not None and row["first"] < today,
        )
        for row in per_stage
    ]
    return dashboard.Panel(todos=todos, order=15)
