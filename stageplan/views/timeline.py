"""The planning of a stage (ch. 7): its timeline by week and the moments (gesprekken, beoordelingen) in it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagegids.params import parse_id
from stagegids.policy import allowed, get_visible_or_404

from .. import planning
from ..changes import StaleStageplan, save_change
from ..forms import MomentForm
from ..models import Moment
from .common import no_plan, plan_or_none, plan_view, refused, stageplan_of


@login_required
@plan_view("stageplan.view_stageplan")
def timeline(request, stage):
    stageplan = plan_or_none(stage)
    if stageplan is None:
        return no_plan(
            request,
            stage,
            title=_("Planning"),
            tab="planning",
            about=_(
                "Hier komt de planning van de stage: per week de leerdoelen die dan af moeten zijn en de gesprekken "
                "en beoordelingen."
            ),
        )
    leerdoelen = list(stageplan.leerdoelen.all())
    moments = list(stage.moments.planned())
    return render(
        request,
        "stageplan/timeline.html",
        {
            "stage": stage,
            "weeks": planning.weeks(stage=stage, leerdoelen=leerdoelen, moments=moments),
            "warnings": planning.warnings(stage=stage, leerdoelen=leerdoelen),
            "undated": [leerdoel for leerdoel in leerdoelen if leerdoel.target_date is None],
        },
    )


def _no_moments(request, stage):
    return no_plan(
        request,
        stage,
        title=_("Gesprekken en beoordelingen"),
        tab="momenten",
        about=_(
            "Hier komen de vaste momenten van de stage: de gesprekken en beoordelingen. Ze worden gepland bij het "
            "stageplan."
        ),
    )


def _moment_change(request, stage, stageplan, form, summary, apply):
    try:
        save_change(
            stageplan=stageplan, based_on=form.cleaned_data["based_on"], by=request.user, summary=summary, apply=apply
        )
    except StaleStageplan as error:
        return refused(request, form, error)
    return None


@login_required
@plan_view("stageplan.view_stageplan")
def moments(request, stage):
    stageplan = plan_or_none(stage)
    if stageplan is None:
        return _no_moments(request, stage)
    return render(
        request,
        "stageplan/moments.html",
        {
            "stage": stage,
            "stageplan": stageplan,
            "moments": stage.moments.all(),
            "can_edit": allowed(request.user, "stageplan.edit_stageplan", stage),
        },
    )


@login_required
@plan_view("stageplan.edit_stageplan")
def moment_add(request, stage):
    stageplan = plan_or_none(stage)
    if stageplan is None:
        return _no_moments(request, stage)
    form = MomentForm(request.POST or None, instance=Moment(stage=stage), initial={"based_on": stageplan.version})
    if request.method == "POST" and form.is_valid():
        refused = _moment_change(
            request,
            stage,
            stageplan,
            form,
            _("%(kind)s gepland") % {"kind": form.instance.get_kind_display()},
            form.save,
        )
        if refused is None:
            messages.success(request, _("Het moment is gepland."))
            return redirect("stageplan:moments", stage.pk)
        form = refused
    return render(request, "stageplan/moment_form.html", {"stage": stage, "form": form, "moment": None})


@login_required
@plan_view("stageplan.edit_stageplan")
def moment_edit(request, stage, moment_pk):
    stageplan = stageplan_of(stage)
    moment = get_visible_or_404(request.user, stage.moments.planned(), pk=moment_pk)
    form = MomentForm(
        request.POST or None, instance=Moment.objects.get(pk=moment.pk), initial={"based_on": stageplan.version}
    )
    if request.method == "POST" and form.is_valid():
        refused = _moment_change(
            request,
            stage,
            stageplan,
            form,
            _("%(kind)s aangepast") % {"kind": moment.get_kind_display()},
            lambda: moment.reschedule(starts_at=form.cleaned_data["starts_at"], location=form.cleaned_data["location"]),
        )
        if refused is None:
            messages.success(request, _("Het moment is aangepast."))
            return redirect("stageplan:moments", stage.pk)
        form = refused
    return render(request, "stageplan/moment_form.html", {"stage": stage, "form": form, "moment": moment})


@login_required
@require_POST
@plan_view("stageplan.edit_stageplan")
def moment_cancel(request, stage, moment_pk):
    stageplan = stageplan_of(stage)
    moment = get_visible_or_404(request.user, stage.moments.planned(), pk=moment_pk)
    try:
        save_change(
            stageplan=stageplan,
            based_on=parse_id(request.POST.get("based_on")) or -1,
            by=request.user,
            summary=_("%(kind)s geannuleerd") % {"kind": moment.get_kind_display()},
            apply=moment.cancel,
        )
    except StaleStageplan as error:
        messages.error(request, error.message())
    else:
        messages.success(request, _("Het moment is geannuleerd."))
    return redirect("stageplan:moments", stage.pk)
