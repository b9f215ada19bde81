"""The observaties of a stage (ch. 7): recording one, with a photo, on the spot, and reading them back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from leerbedrijf.policy import STAGE_RELATED
from stagegids.params import id_param
from stagegids.policy import allowed, get_visible_or_404, require

from ..forms import ObservatieForm
from ..models import Observatie, plan_stages
from ..photos import content_type
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
@plan_view("stageplan.add_observatie")
def observatie_add(request, stage):
    form = ObservatieForm(
        request.POST or None,
        request.FILES or None,
        instance=Observatie(stage=stage, author=request.user, date=timezone.localdate()),
        stage=stage,
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("De observatie over %(name)s is vastgelegd.") % {"name": stage.stagiair.name})
        return redirect("start")
    return render(request, "stageplan/observatie_form.html", {"stage": stage, "form": form})


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
    observatie = get_visible_or_404(request.user, Observatie.objects.exclude(photo=""), pk=observatie_pk)
    response = FileResponse(observatie.photo.open("rb"), content_type=content_type(observatie.photo.name))
    response["Cache-Control"] = "private, max-age=3600"
    return response
