"""What the views of the stageplan share: the plan of a stage, who may do what on it, a refused save."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render

from leerbedrijf.models import Erkenning
from leerbedrijf.policy import stage_view
from stagegids.concurrency import rebase
from stagegids.policy import allowed

from ..models import Stageplan, plan_stages


def plan_view(perm):
    """A view of a stage's plan; for the mbo-begeleider the stage does not exist here (a 404, not a 403)."""
    return stage_view(perm, scope=plan_stages)


def plan_or_none(stage):
    try:
        return stage.stageplan
    except Stageplan.DoesNotExist:
        return None


def stageplan_of(stage):
    """The plan of a stage, for an action on something in it (a version, a moment): without a plan a 404."""
    stageplan = plan_or_none(stage)
    if stageplan is None:
        raise Http404
    return stageplan


def no_plan(request, stage, *, title, tab, about):
    """A page of the plan while the stage has none yet: what comes there, and who makes the plan (never a 404)."""
    context = {"stage": stage, "title": title, "tab": tab, "about": about, **permissions(request, stage)}
    return render(request, "stageplan/no_plan.html", context)


def unavailable_ids(stage):
    """The werkprocessen of the stage's kwalificatie its leerbedrijf is not erkend for."""
    return set(
        Erkenning.unavailable_werkprocessen.through.objects.filter(
            erkenning__leerbedrijf_id=stage.leerbedrijf_id, erkenning__kwalificatie_id=stage.kwalificatie_id
        ).values_list("werkproces_id", flat=True)
    )


def refused(request, form, error):
    """The save was based on an older version: say so, and give the user their own input back."""
    rebase(form, field="based_on", version=error.latest.number if error.latest else 0)
    form.add_error(None, error.message())
    messages.error(request, error.message())
    return form


def permissions(request, stage):
    """What the page offers this user on the plan (the rules decide again on each POST)."""
    user = request.user
    return {
        "can_edit": allowed(user, "stageplan.edit_stageplan", stage),
        "can_comment": allowed(user, "stageplan.comment", stage),
        "can_agree": allowed(user, "stageplan.agree", stage),
    }
