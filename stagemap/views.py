"""The stagemap of a stage: its verslagen, sharing them with the school, and the whole map as one pdf."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerbedrijf.models import RaadplegingWhat, log_view
from leerbedrijf.policy import stage_view
from stagegids.policy import allowed, get_visible_or_404, object_view, visible

from .forms import CommentForm, ReviewForm
from .models import StagemapExport, Verslag, VerslagComment
from .tasks import ask_stagemap, ask_verslagen
from .verslagen import in_page


@login_required
@stage_view("stagemap.view_stagemap", related=("onderwijsinstelling", "mbo_begeleider"))
def stagemap(request, stage):
    verslagen = list(
        visible(request.user, Verslag.objects)
        .filter(stage=stage)
        .select_related("created_by", "shared_by", "reviewed_by", "replaced_by")
        .prefetch_related(Prefetch("comments", VerslagComment.objects.select_related("author")))
    )
    for verslag in verslagen:
        verslag.stage = stage  # the rules per verslag ask its stage: the one already loaded
    export = visible(request.user, StagemapExport.objects).filter(stage=stage).first()
    return render(
        request,
        "stagemap/stagemap.html",
        {
            "stage": stage,
            "verslagen": verslagen,
            "export": export,
            "can_share": allowed(request.user, "stagemap.share_verslag", stage),
            "can_export": allowed(request.user, "stagemap.export_stagemap", stage),
            "can_make": allowed(request.user, "stagemap.make_verslagen", stage),
            "comment_form": CommentForm(),
            "review_form": ReviewForm(),
        },
    )


@login_required
@require_POST
@stage_view("stagemap.make_verslagen")
def stagemap_make_verslagen(request, stage):
    """Verslagen are made by a worker when a document is finished; this catches up on any that were missed (the
    document was finished before this existed, or making it failed)."""
    if ask_verslagen(stage_id=stage.pk, by=request.user):
        messages.success(
            request, _("De stagemap wordt bijgewerkt: de ontbrekende verslagen volgen en verschijnen dan hier.")
        )
    else:
        messages.info(request, _("Dit was al gevraagd: de ontbrekende verslagen volgen en verschijnen dan hier."))
    return redirect("stagemap:stagemap", stage.pk)


def verslag_view(perm=None, *, related=()):
    """A view of one verslag the user sees (else 404), on which they hold `perm` (else 403)."""
    return object_view(
        lambda user: Verslag.objects.select_related(
            "stage__stagiair", "stage__leerbedrijf", "stage__onderwijsinstelling", "stage__mbo_begeleider", *related
        ),
        perm,
    )


def _back(request, verslag):
    """Back to the page the form was on: the verslag's own page, or the stagemap."""
    if request.POST.get("terug") == "verslag":
        return redirect("stagemap:verslag", verslag.pk)
    return redirect("stagemap:stagemap", verslag.stage_id)


@login_required
@verslag_view(related=("created_by", "shared_by", "reviewed_by", "stage__kwalificatie"))
def verslag_detail(request, verslag):
    """The verslag read in the page, with its pdf beside it, and the school's oordeel and the comments below."""
    log_view(request.user, RaadplegingWhat.VERSLAG, verslag.title, stage=verslag.stage)
    return render(
        request,
        "stagemap/verslag.html",
        {
            "verslag": verslag,
            "stage": verslag.stage,
            "content": in_page(verslag),
            "comment_form": CommentForm(),
        },
    )


@login_required
@verslag_view()
def verslag_download(request, verslag):
    log_view(request.user, RaadplegingWhat.VERSLAG, verslag.title, stage=verslag.stage)
    return FileResponse(verslag.file.open("rb"), as_attachment=True, filename=f"{verslag.title}.pdf",
                        content_type="application/pdf")  # fmt: skip


@login_required
@require_POST
@verslag_view("stagemap.share_verslag")
def verslag_share(request, verslag):
    if request.POST.get("share") == "0":
        verslag.unshare()
        messages.success(request, _("Het verslag is niet meer gedeeld met de mbo-begeleider."))
    elif verslag.is_replaced:
        messages.error(request, _("Dit verslag is vervangen; deel de nieuwe versie."))
    elif verslag.stage.mbo_begeleider_id is None:
        messages.error(request, _("Deze stage heeft nog geen mbo-begeleider om mee te delen."))
    elif not verslag.share(by=request.user):
        messages.info(request, verslag.already_shared_message())
    else:
        messages.success(
            request, _("Het verslag is gedeeld met %(name)s.") % {"name": verslag.stage.mbo_begeleider.name}
        )
    return redirect("stagemap:stagemap", verslag.stage_id)


@login_required
@require_POST
@verslag_view("stagemap.review_verslag")
def verslag_review(request, verslag):
    form = ReviewForm(request.POST)
    if form.is_valid():
        with transaction.atomic():
            given = verslag.give_review(review=form.cleaned_data["review"], by=request.user)
            if given and form.cleaned_data["text"].strip():
                VerslagComment.objects.create(verslag=verslag, author=request.user, text=form.cleaned_data["text"])
        if given:
            messages.success(request, _("Uw oordeel is opgeslagen. Het leerbedrijf en de stagiair zien het."))
        else:
            messages.info(request, verslag.already_reviewed_message())
    else:
        for error in form.errors.get("text", []) + form.errors.get("review", []):
            messages.error(request, error)
    return _back(request, verslag)


@login_required
@require_POST
@verslag_view("stagemap.comment_verslag")
def verslag_comment(request, verslag):
    form = CommentForm(request.POST)
    if form.is_valid():
        form.instance.verslag, form.instance.author = verslag, request.user
        form.save()
        messages.success(request, _("Uw opmerking is geplaatst."))
    else:
        for error in form.errors["text"]:  # empty, or past the bound by a page without it
            messages.error(request, error)
    return _back(request, verslag)


@login_required
@require_POST
@stage_view("stagemap.export_stagemap")
def stagemap_export_start(request, stage):
    export = ask_stagemap(stage, by=request.user)
    messages.info(
        request,
        _("De pdf van de stagemap volgt. U kunt deze pagina sluiten: de stagemap toont de pdf als hij klaar is."),
    )
    return redirect("stagemap:stagemap_export", export.pk)


@login_required
def stagemap_export_status(request, pk):
    export = get_visible_or_404(request.user, StagemapExport.objects.select_related("stage__stagiair"), pk=pk)
    template = "stagemap/export_status.html" if request.htmx else "stagemap/export.html"
    return render(request, template, {"export": export, "stage": export.stage})


@login_required
def stagemap_export_download(request, pk):
    export = get_visible_or_404(request.user, StagemapExport.objects.select_related("stage__stagiair"), pk=pk)
    if not export.file:
        return redirect("stagemap:stagemap_export", export.pk)
    log_view(request.user, RaadplegingWhat.STAGEMAP, _("Stagemap als pdf"), stage=export.stage)
    return FileResponse(export.file.open("rb"), as_attachment=True, content_type="application/pdf",
                        filename=f"Stagemap {export.stage.stagiair.name}.pdf")  # fmt: skip
