"""When the evaluatiegesprek counts as held, for "sla ze niet over" (stageplan/overdue.py): the praktijkopleider
recorded it."""

from django.db.models import Exists, OuterRef
from django.urls import reverse

from stageplan import overdue
from stageplan.models import MomentKind

from .models import Evaluatie


def recorded():
    return Exists(Evaluatie.objects.filter(stage=OuterRef("stage"), recorded_at__isnull=False))


overdue.register(
    [MomentKind.EVALUATIE],
    overdue.Held(held=recorded, url=lambda moment: reverse("beoordeling:evaluatie", args=[moment.stage_id])),
)
