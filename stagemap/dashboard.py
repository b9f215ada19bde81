"""The start-page panels of shared verslagen: the school's across all its students, the company's reviews back."""

from django.db.models import Q

from leerbedrijf.models import Stage
from stagegids import dashboard

from .models import Verslag, VerslagReview


@dashboard.register
def shared_with_school(request):
    """The mbo-begeleider's view across all their students at all companies: the shared verslagen that wait for his
    oordeel, longest waiting first, each a link to the verslag in the page (what he judged stays on the stagemap)."""
    verslagen = list(
        Verslag.objects.current()
        .filter(stage__in=Stage.objects.school_side(request.user), shared_at__isnull=False, review="")
        .select_related("stage__stagiair", "stage__leerbedrijf")
        .order_by("shared_at", "pk")
    )
    if not verslagen:
        return None
    return dashboard.Panel("stagemap/panels/shared.html", {"verslagen": verslagen}, order=15)


@dashboard.register
def reviews_received(request):
    """The company side's verslagen at the school, of the kinds each person may see."""
    verslagen = list(
        Verslag.objects.visible_to(request.user)
        .current()
        .filter(stage__in=Stage.objects.company_side(request.user), shared_at__isnull=False)
        .filter(Q(review=VerslagReview.WIJZIGING) | Q(review=""))
        .select_related("stage__stagiair", "reviewed_by")
        .order_by("-reviewed_at")
    )
    if not verslagen:
        return None
    return dashboard.Panel("stagemap/panels/reviews.html", {"verslagen": verslagen}, order=30)
