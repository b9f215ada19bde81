"""The tegemoetkomingen of a stage and of a company: the conditions per scheme, the signed agreements and the
dossier for an application."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerbedrijf.models import Leerbedrijf, RaadplegingWhat, log_view
from leerbedrijf.policy import stage_view
from stagegids.policy import allowed, get_visible_or_404, object_view, visible
from uren.models import studiejaar_of

from . import conditions
from .dossier import company_stages, stage_rows
from .forms import DocumentForm, StudiejaarForm
from .models import DocumentKind, Dossier, StageDocument, tegemoetkoming_stages
from .tasks import ask_dossier

# Stages a page on the company's overview, as on the company's hours (uren).
PAGE_SIZE = 25


def _stage_page(request, stage, *, form=None):
    facts = conditions.Facts.load([stage])
    years = conditions.studiejaren(stage)
    documents = {document.kind: document for document in facts.documents.values()}
    may_manage = allowed(request.user, "tegemoetkoming.make_dossier", stage)
    return render(
        request,
        "tegemoetkoming/stage.html",
        {
            "stage": stage,
            "stip": conditions.stip(stage, facts),
            "praktijkleren": [(year, conditions.praktijkleren(stage, year, facts)) for year in years],
            "documents": [(kind, label, documents.get(kind)) for kind, label in DocumentKind.choices],
            "form": form or DocumentForm(),
            "may_upload": allowed(request.user, "tegemoetkoming.upload_overeenkomst", stage),
            "may_manage": may_manage,
            "dossier_form": StudiejaarForm(years=years, initial={"studiejaar": _current(years)}),
            "dossiers": visible(request.user, Dossier.objects).filter(stage=stage)[:3] if may_manage else [],
        },
    )


def _current(years):
    today = studiejaar_of(timezone.localdate())
    return today if today in years else years[-1]


@login_required
@stage_view("tegemoetkoming.view_tegemoetkomingen", scope=tegemoetkoming_stages, related=("onderwijsinstelling",))
def stage_tegemoetkomingen(request, stage):
    return _stage_page(request, stage)


@login_required
@require_POST
@stage_view("tegemoetkoming.upload_overeenkomst", scope=tegemoetkoming_stages, related=("onderwijsinstelling",))
def document_upload(request, stage):
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _stage_page(request, stage, form=form)
    kind = form.cleaned_data["kind"]
    StageDocument.store(stage=stage, kind=kind, upload=form.cleaned_data["file"], name=form.offered_name,
                        by=request.user)  # fmt: skip
    messages.success(request, _("De %(kind)s is opgeslagen.") % {"kind": DocumentKind(kind).label})
    return redirect("tegemoetkoming:stage", stage.pk)


@login_required
@stage_view("tegemoetkoming.view_tegemoetkomingen", scope=tegemoetkoming_stages)
def document_download(request, stage, kind):
    if kind not in DocumentKind.values:
        raise Http404
    document = visible(request.user, StageDocument.objects).filter(stage=stage, kind=kind).first()
    if document is None:
        raise Http404
    log_view(request.user, RaadplegingWhat.DOCUMENT, document.name, stage=stage)
    return FileResponse(document.file.open("rb"), as_attachment=True, content_type="application/pdf",
                        filename=document.name)  # fmt: skip


@login_required
@require_POST
@stage_view("tegemoetkoming.make_dossier", scope=tegemoetkoming_stages, related=("onderwijsinstelling",))
def stage_dossier_start(request, stage):
    form = StudiejaarForm(request.POST, years=conditions.studiejaren(stage))
    if not form.is_valid():
        messages.error(request, _("Kies een studiejaar uit de lijst."))
        return redirect("tegemoetkoming:stage", stage.pk)
    dossier = ask_dossier(leerbedrijf=stage.leerbedrijf, stage=stage, studiejaar=form.cleaned_data["studiejaar"],
                          by=request.user)  # fmt: skip
    messages.info(request, _("Het dossier volgt. U kunt deze pagina sluiten: het blijft te vinden bij de stage."))
    return redirect("tegemoetkoming:dossier", dossier.pk)


def _leerbedrijven(user):
    return Leerbedrijf.objects.visible_to(user)


def _overview_years(leerbedrijf):
    """The studiejaren offered on the overview: from the company's first stage to the current one."""
    now = studiejaar_of(timezone.localdate())
    first = leerbedrijf.stages.order_by("start_date").values_list("start_date", flat=True).first()
    start = max(studiejaar_of(first), now - 9) if first else now
    return list(range(now, start - 1, -1))


@login_required
@object_view(_leerbedrijven, "tegemoetkoming.view_overzicht")
def overzicht(request, leerbedrijf):
    years = _overview_years(leerbedrijf)
    form = StudiejaarForm(request.GET or None, years=years)
    year = form.cleaned_data["studiejaar"] if form.is_valid() else years[0]
    dossier = Dossier(leerbedrijf=leerbedrijf, studiejaar=year)
    # A page of the stages at a time, and of those only the sums of their weeks: the cost stays that of one page.
    page = Paginator(company_stages(leerbedrijf.pk, year), PAGE_SIZE).get_page(request.GET.get("pagina"))
    facts = conditions.Facts.load(page.object_list)
    return render(
        request,
        "tegemoetkoming/overzicht.html",
        {
            "leerbedrijf": leerbedrijf,
            "year": year,
            "year_label": dossier.studiejaar_label,
            "form": StudiejaarForm(years=years, initial={"studiejaar": year}),
            "page": page,
            "query": f"studiejaar={year}",
            "rows": stage_rows(page.object_list, year, facts),
            "dossiers": visible(request.user, Dossier.objects).filter(leerbedrijf=leerbedrijf, stage=None)[:3],
        },
    )


@login_required
@require_POST
@object_view(_leerbedrijven, "tegemoetkoming.view_overzicht")
def company_dossier_start(request, leerbedrijf):
    form = StudiejaarForm(request.POST, years=_overview_years(leerbedrijf))
    if not form.is_valid():
        messages.error(request, _("Kies een studiejaar uit de lijst."))
        return redirect("tegemoetkoming:overzicht", leerbedrijf.pk)
    dossier = ask_dossier(leerbedrijf=leerbedrijf, studiejaar=form.cleaned_data["studiejaar"], by=request.user)
    messages.info(request, _("Het dossier volgt. U kunt deze pagina sluiten: het blijft te vinden bij het overzicht."))
    return redirect("tegemoetkoming:dossier", dossier.pk)


def _dossier(request, pk):
    return get_visible_or_404(request.user, Dossier.objects.select_related("leerbedrijf", "stage__stagiair"), pk=pk)


@login_required
def dossier_status(request, pk):
    dossier = _dossier(request, pk)
    template = "tegemoetkoming/dossier_status.html" if request.htmx else "tegemoetkoming/dossier.html"
    return render(request, template, {"dossier": dossier})


@login_required
def dossier_download(request, pk, part):
    dossier = _dossier(request, pk)
    file = {"pdf": dossier.file, "xlsx": dossier.sheet}.get(part)
    if file is None:
        raise Http404
    if not file:
        return redirect("tegemoetkoming:dossier", dossier.pk)
    who = dossier.stage.stagiair.name if dossier.stage else dossier.leerbedrijf.name
    log_view(request.user, RaadplegingWhat.DOSSIER, _("Dossier %(who)s") % {"who": who}, stage=dossier.stage,
             leerbedrijf=dossier.leerbedrijf_id)  # fmt: skip
    content_type = {
        "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[part]
    return FileResponse(file.open("rb"), as_attachment=True, content_type=content_type,
                        filename=f"Dossier {who} {dossier.studiejaar}-{dossier.studiejaar + 1}.{part}")  # fmt: skip
