"""When a tussen- or eindbeoordeling moment counts as held, for "sla ze niet over" (stageplan/overdue.py): its
beoordeling is past the forms (the gesprek was opened or it is signed). The praktijkopleider starts and concludes
it, so he must act."""

from django.db.models import Exists, OuterRef
from django.urls import reverse

from stageplan import overdue

from .models import MOMENT_KINDS, Beoordeling, BeoordelingState


def past_the_forms():
    return Exists(Beoordeling.objects.current().filter(moment=OuterRef("pk")).exclude(state=BeoordelingState.INVULLEN))


overdue.register(
    set(MOMENT_KINDS.values()),
    overdue.Held(held=past_the_forms, url=lambda moment: reverse("beoordeling:stage", args=[moment.stage_id])),
)
