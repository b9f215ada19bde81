"""The stageplan itself (ch. 7): the plan of a stage, making it, and its beginsituatie."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import planning
from ..changes import StaleStageplan, create_plan, save_change
from ..forms import BeginsituatieForm, CreatePlanForm
from ..models import Stageplan
from .common import no_plan, permissions, plan_or_none, plan_view, refused, unavailable_ids


@login_required
@plan_view("stageplan.view_stageplan")
def plan_detail(request, stage):
    context = {"stage": stage, **permissions(request, stage)}
    try:
        stageplan = stage.stageplan
    except Stageplan.DoesNotExist:
        return render(request, "stageplan/detail.html", {**context, "stageplan": None})
    leerdoelen = list(
        stageplan.leerdoelen.select_related("werkproces__kerntaak").annotate(
            comment_count=Count("comments", distinct=True), observatie_count=Count("observaties", distinct=True)
        )
    )
    unavailable = unavailable_ids(stage)
    for leerdoel in leerdoelen:
        leerdoel.unavailable = leerdoel.werkproces_id in unavailable
    latest = (
        stageplan.versions.select_related("created_by", "agreed_by_stagiair", "agreed_by_opleider")
        .defer("data")
        .filter(number=stageplan.version)
        .first()
    )
    agreed = stageplan.versions.agreed().defer("data").order_by("-number").first()
    return render(
        request,
        "stageplan/detail.html",
        {
            **context,
            "stageplan": stageplan,
            "leerdoelen": leerdoelen,
            "latest": latest,
            "agreed": agreed,
            "warnings": planning.warnings(stage=stage, leerdoelen=leerdoelen),
            "next_moments": list(stage.moments.planned().filter(starts_at__gte=timezone.now())[:3]),
        },
    )


@login_required
@plan_view("stageplan.edit_stageplan")
def plan_create(request, stage):
    if Stageplan.objects.filter(stage=stage).exists():
        return redirect("stageplan:detail", stage.pk)
    form = CreatePlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        create_plan(
            stage=stage,
            by=request.user,
            interval_weeks=form.cleaned_data["interval_weeks"],
            propose=form.cleaned_data["propose"],
        )
        messages.success(request, _("Het stageplan is gemaakt. Kijk de voorgestelde momenten na."))
        return redirect("stageplan:detail", stage.pk)
    return render(request, "stageplan/create.html", {"stage": stage, "form": form})


@login_required
@plan_view("stageplan.edit_stageplan")
def beginsituatie_edit(request, stage):
    stageplan = plan_or_none(stage)
    if stageplan is None:
        return no_plan(
            request,
            stage,
            title=_("Beginsituatie"),
            tab="plan",
            about=_("De beginsituatie hoort bij het stageplan: wat de stagiair al kan bij de start van de stage."),
        )
    form = BeginsituatieForm(request.POST or None, instance=stageplan, initial={"based_on": stageplan.version})
    if request.method == "POST" and form.is_valid():
        try:
            save_change(
                stageplan=stageplan,
                based_on=form.cleaned_data["based_on"],
                by=request.user,
                summary=_("Beginsituatie aangepast"),
                apply=form.save,
            )
        except StaleStageplan as error:
            form = refused(request, form, error)
        else:
            messages.success(request, _("De beginsituatie is opgeslagen."))
            return redirect("stageplan:detail", stage.pk)
    return render(request, "stageplan/form.html", {"stage": stage, "form": form, "title": _("Beginsituatie")})
