"""When a voortgangsgesprek or a driegesprek counts as held, for "sla ze niet over" (stageplan/overdue.py): its
record afgerond. Whoever holds the gesprekken must act: the praktijkopleider and the werkplekbegeleider."""

from django.db.models import Exists, OuterRef
from django.urls import reverse

from stagegids.roles import Role
from stageplan import overdue
from stageplan.models import DRIEGESPREKKEN, MomentKind

from .models import Voortgangsgesprek

HOLDERS = frozenset({Role.PRAKTIJKOPLEIDER, Role.WERKPLEKBEGELEIDER})


def afgerond():
    return Exists(Voortgangsgesprek.objects.filter(moment=OuterRef("pk"), afgerond_at__isnull=False))


overdue.register(
    [MomentKind.VOORTGANGSGESPREK],
    overdue.Held(
        held=afgerond,
        url=lambda moment: reverse("beoordeling:gesprek", args=[moment.pk]),
        roles=HOLDERS,
        on_planning=True,
    ),
)
overdue.register(
    DRIEGESPREKKEN,
    overdue.Held(
        held=afgerond,
        url=lambda moment: reverse("beoordeling:driegesprek", args=[moment.pk]),
        roles=HOLDERS,
        on_planning=True,
    ),
)
