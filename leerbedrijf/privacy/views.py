"""Inzage (your own, or a stagiair's on request) and who saw what."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from stagegids.policy import get_visible_or_404, require, visible
from stagegids.roles import addressed_informally

from ..models import Inzage, Leerbedrijf, Raadpleging, RaadplegingWhat, log_view
from ..policy import stage_view
from ..tasks import ask_inzage
from .forms import OnRequestForm, RaadplegingFilterForm

PAGE_SIZE = 50
ALREADY = gettext_lazy("Deze inzage wordt al gemaakt; er is niets nieuws gevraagd.")


@login_required
def inzage(request):
    """Your own inzages and those asked about you, and the button to ask for one."""
    inzages = visible(request.user, Inzage.objects).select_related("person", "stagiair", "requested_by")[:20]
    return render(request, "privacy/inzage_list.html", {"inzages": inzages})


@login_required
@require_POST
def inzage_start(request):
    with transaction.atomic():
        asked, new = ask_inzage(person=request.user, by=request.user)
    if new and addressed_informally(request.user):
        messages.info(request, _("Je inzage wordt gemaakt. Je kunt deze pagina sluiten: hij staat klaar onder Inzage."))
    elif new:
        messages.info(request, _("Uw inzage wordt gemaakt. U kunt deze pagina sluiten: hij staat klaar onder Inzage."))
    else:
        messages.info(request, ALREADY)
    return redirect("leerbedrijf:inzage_status", asked.pk)


@login_required
@stage_view("leerbedrijf.request_inzage", related=("stagiair",))
def stage_inzage_start(request, stage):
    form = OnRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            asked, new = ask_inzage(
                person=stage.stagiair.user,
                stagiair=stage.stagiair,
                by=request.user,
                on_request_of=form.cleaned_data["on_request_of"],
            )
        if new:
            messages.info(request, _("De inzage wordt gemaakt. Alleen u en de stagiair kunnen hem downloaden."))
        else:
            messages.info(request, ALREADY)
        return redirect("leerbedrijf:inzage_status", asked.pk)
    return render(request, "privacy/stage_inzage.html", {"stage": stage, "form": form})


def _inzage_of(request, pk):
    return get_visible_or_404(
        request.user, Inzage.objects.select_related("person", "stagiair__leerbedrijf", "requested_by"), pk=pk
    )


@login_required
def inzage_status(request, pk):
    asked = _inzage_of(request, pk)
    template = "privacy/inzage_status.html" if request.htmx else "privacy/inzage.html"
    return render(request, template, {"inzage": asked})


@login_required
def inzage_download(request, pk):
    asked = _inzage_of(request, pk)
    if not asked.file or asked.is_expired:
        messages.error(request, _("Deze inzage is niet (meer) te downloaden. Vraag een nieuwe aan."))
        return redirect("leerbedrijf:inzage_status", asked.pk)
    log_view(
        request.user,
        RaadplegingWhat.INZAGE,
        _("Inzage van %(name)s") % {"name": asked.subject_name},
        leerbedrijf=asked.stagiair.leerbedrijf_id if asked.stagiair_id else None,
        person=asked.person_id,
    )
    return FileResponse(asked.file.open("rb"), as_attachment=True, content_type="application/zip",
                        filename=f"Inzage {asked.subject_name}.zip")  # fmt: skip


def _page(request, entries):
    page = Paginator(entries.select_related("user", "stage__stagiair"), PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return page, query.urlencode()


@login_required
def raadplegingen_company(request, pk):
    """Who opened which of the company's documents, newest first, for its praktijkopleider."""
    leerbedrijf = get_visible_or_404(request.user, Leerbedrijf.objects, pk=pk)
    require(request.user, "leerbedrijf.view_raadplegingen", leerbedrijf)
    form = RaadplegingFilterForm(request.GET, leerbedrijf=leerbedrijf)
    page, query = _page(request, form.apply(Raadpleging.objects.filter(leerbedrijf=leerbedrijf)))
    return render(
        request,
        "privacy/raadplegingen.html",
        {"leerbedrijf": leerbedrijf, "form": form, "page": page, "query": query},
    )


@login_required
def raadplegingen_own(request):
    """Who opened what of your own data."""
    page, query = _page(request, Raadpleging.objects.filter(person=request.user))
    return render(request, "privacy/raadplegingen.html", {"page": page, "query": query})
