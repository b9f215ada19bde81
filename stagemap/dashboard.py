"""The start-page panels of shared verslagen: the school's across all its students, the company's reviews back."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from leerbedrijf.models import Stage, holds_any
from stagegids import dashboard
from stagegids.roles import COMPANY_SIDE, Role

from .models import Verslag, VerslagReview


@dashboard.register
def shared_with_school(request):
    """The mbo-begeleider's view across all their students at all companies: the shared verslagen that wait for his
    oordeel, longest waiting first, each a link to the verslag in the page (what he judged stays on the stagemap)."""
    if not holds_any(request.user, Role.MBO_BEGELEIDER):
        return None
    verslagen = list(
        Verslag.objects.current()
        .filter(stage__in=Stage.objects.school_side(request.user), shared_at__isnull=False, review="")
        .select_related("stage__stagiair", "stage__leerbedrijf")
        .only("title", "shared_at", "stage__stagiair__name", "stage__leerbedrijf__name")  # what a line shows
        .order_by("shared_at", "pk")
    )
    if not verslagen:
        return None
    todos = [
        dashboard.Todo(
            url=reverse("stagemap:verslag", args=[verslag.pk]),
            text=_("Oordeel geven over: %(title)s") % {"title": verslag.title},
            who=f"{verslag.stage.stagiair.name} · {verslag.stage.leerbedrijf.name}",
            note=_("wacht op uw oordeel sinds %(date)s")
            % {"date": date_format(timezone.localtime(verslag.shared_at), "j b Y")},
        )
        for verslag in verslagen
    ]
    return dashboard.Panel(todos=todos, order=15)


@dashboard.register
def reviews_received(request):
    """The company side's verslagen at the school, of the kinds each person may see."""
    if not holds_any(request.user, *COMPANY_SIDE):
        return None
    verslagen = list(
        Verslag.objects.visible_to(request.user, COMPANY_SIDE)
        .current()
        .filter(shared_at__isnull=False)
        .filter(Q(review=VerslagReview.WIJZIGING) | Q(review=""))
        .select_related("stage__stagiair", "reviewed_by")
        # What a line shows (the reviewer's display_name included), not the stage's forty columns.
        .only(
            "title",
            "review",
            "stage__stagiair__name",
            "reviewed_by__name",
            "reviewed_by__is_active",
            "reviewed_by__anonymised_at",
        )
        .order_by("-reviewed_at")
    )
    if not verslagen:
        return None
    todos = [
        dashboard.Todo(
            url=reverse("stagemap:stagemap", args=[verslag.stage_id]),
            text=_("%(title)s aanpassen: %(name)s vraagt om een wijziging")
            % {"title": verslag.title, "name": verslag.reviewed_by.display_name if verslag.reviewed_by else ""},
            who=verslag.stage.stagiair.name,
        )
        for verslag in verslagen
        if verslag.review == VerslagReview.WIJZIGING
    ]
    return dashboard.Panel(
        "stagemap/panels/reviews.html",
        {"verslagen": verslagen},
        todos=todos,
        order=30,
        folded=True,
        title=_("Bij de school"),
    )
