"""The observaties of a stage (ch. 7): recording one, with a photo, on the spot, and reading them back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from leerbedrijf.models import RaadplegingWhat, log_view
from leerbedrijf.policy import STAGE_RELATED
from stagegids.images import MAX_PIXELS, too_many_pixels
from stagegids.params import id_param
from stagegids.policy import allowed, get_visible_or_404, require
from stagegids.pwa import offline_page

from ..forms import ObservatieForm
from ..models import Observatie, plan_stages
from ..photos import MAX_BYTES, NOT_A_PHOTO, TOO_BIG, content_type
from .common import plan_view


def _recording_stages(user):
    """The stages this user records observaties for, in the order of the stagiairs' names."""
    stages = plan_stages(user).select_related("stagiair").order_by("stagiair__name", "pk")
    return [stage for stage in stages if allowed(user, "stageplan.add_observatie", stage)]


@login_required
def observatie_start(request):
    """One tap to the form: pick the stagiair (or go straight there when there is only one)."""
    require(request.user, "stageplan.record_observaties")
    stages = _recording_stages(request.user)
    if len(stages) == 1:
        return redirect("stageplan:observatie_add", stages[0].pk)
    return render(request, "stageplan/observatie_start.html", {"stages": stages})


@login_required
@offline_page
@plan_view("stageplan.add_observatie")
def observatie_add(request, stage):
    """The form, sent by the browser or, from the device's queue, by static/js/wachtrij.js: that one asks for JSON
    and keeps the observatie on the device until it gets an answer that says it is saved."""
    form = ObservatieForm(
        request.POST or None,
        request.FILES or None,
        instance=Observatie(stage=stage, author=request.user, date=timezone.localdate()),
        stage=stage,
    )
    wants_json = "application/json" in request.headers.get("Accept", "")
    if request.method == "POST":
        observatie = form.earlier() or (form.record() if form.is_valid() else None)
        if observatie is not None:
            messages.success(request, _("De observatie over %(name)s is vastgelegd.") % {"name": stage.stagiair.name})
            if wants_json:
                return JsonResponse({"observatie": observatie.pk, "redirect": reverse("start")})
            return redirect("start")
        if wants_json:
            return JsonResponse({"errors": _form_errors(form)}, status=400)
    return render(request, "stageplan/observatie_form.html", {"stage": stage, "form": form, **_queue_limits()})


def _form_errors(form):
    """The form's Dutch messages with the label of their field, for the queue to show beside the observatie."""
    return [
        {"field": name, "label": str(form[name].label) if name in form.fields else "", "messages": list(errors)}
        for name, errors in form.errors.items()
    ]


def _queue_limits():
    """The checks the page makes before it keeps an observatie on the device: the server's own."""
    return {
        "queue_limits": {
            "maxPhotoBytes": MAX_BYTES,
            "maxPhotoPixels": MAX_PIXELS,
            "photoTooBig": str(TOO_BIG),
            "notAPhoto": str(NOT_A_PHOTO),
            "tooManyPixels": too_many_pixels().messages[0],
        }
    }


@login_required
def observatie_list(request):
    require(request.user, "stageplan.view_observaties")
    observaties = Observatie.objects.visible_to(request.user).select_related(
        "stage__stagiair", "leerdoel__stageplan", "author"
    )
    stage = None
    stage_pk = id_param(request.GET, "stage")
    if stage_pk is not None:
        stages = plan_stages(request.user).select_related(*STAGE_RELATED)
        stage = get_visible_or_404(request.user, stages, pk=stage_pk)
        observaties = observaties.filter(stage=stage)
    can_add = stage is not None and allowed(request.user, "stageplan.add_observatie", stage)
    return render(
        request, "stageplan/observatie_list.html", {"observaties": observaties, "stage": stage, "can_add": can_add}
    )


@login_required
def observatie_photo(request, observatie_pk):
    observaties = Observatie.objects.exclude(photo="").select_related("stage__stagiair")
    observatie = get_visible_or_404(request.user, observaties, pk=observatie_pk)
    log_view(
        request.user,
        RaadplegingWhat.FOTO,
        _("Foto bij observatie %(number)s") % {"number": observatie.pk},
        stage=observatie.stage,
    )
    response = FileResponse(observatie.photo.open("rb"), content_type=content_type(observatie.photo.name))
    response["Cache-Control"] = "private, max-age=3600"
    return response
