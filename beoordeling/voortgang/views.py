from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from leerbedrijf.policy import stage_view
from stageplan.models import plan_stages

from . import picture


@login_required
@stage_view("stageplan.view_stageplan", scope=plan_stages)
def voortgangsbeeld(request, stage):
    """The progress picture of one stage, for whoever reads its stageplan; the tussenbeoordeling's part only for
    whoever sees that beoordeling (Beoordeling.objects.visible_to), once both forms are in."""
    points = picture.leerdoelen_over_time(stage)
    beoordeling = picture.shown_tussenbeoordeling(stage, request.user)
    scores = picture.werkproces_scores(beoordeling) if beoordeling else []
    return render(
        request,
        "beoordeling/voortgang/voortgangsbeeld.html",
        {
            "stage": stage,
            "points": points,
            "last": points[-1] if points else None,
            "line": picture.line_chart(points),
            "beoordeling": beoordeling,
            "bars": picture.bar_chart(beoordeling, scores) if scores else None,
        },
    )
