"""The start page panel of zorgen: the open concerns of the stages one follows, with their next step and date."""

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from leerbedrijf.models import holds_any
from stagegids import dashboard
from stagegids.roles import Role

from .models import Zorg, zorg_writer_stages

PANEL_ROWS = 10


@dashboard.register
def open_zorgen(request):
    """Whoever takes the next step (the praktijkopleider, the stage's werkplekbegeleider) sees the open concerns, the
    first next step first, each a line of the to-do list; the rest are on each stage's Zorgen page."""
    if not holds_any(request.user, Role.PRAKTIJKOPLEIDER, Role.WERKPLEKBEGELEIDER):  # zorg_writer_stages
        return None
    zorgen = (
        Zorg.objects.open()
        .filter(stage__in=zorg_writer_stages(request.user))
        .select_related("stage__stagiair")
        .only("kind", "next_step", "next_step_on", "closed_at", "stage__stagiair__name")  # what a line shows
        .order_by("next_step_on", "pk")
    )
    shown = list(zorgen[:PANEL_ROWS])
    if not shown:
        return None
    todos = [
        dashboard.Todo(
            url=reverse("beoordeling:zorg", args=[zorg.pk]),
            text=_("Zorg over %(kind)s, volgende stap: %(step)s")
            % {"kind": zorg.get_kind_display(), "step": Truncator(zorg.next_step).chars(80)},
            who=zorg.stage.stagiair.name,
            due=zorg.next_step_on,
            late=zorg.overdue,
        )
        for zorg in shown
    ]
    return dashboard.Panel(todos=todos, order=12)
