"""The start page panel of zorgen: the open concerns of the stages one follows, with their next step and date."""

from stagegids import dashboard

from .models import Zorg, zorg_writer_stages

PANEL_ROWS = 10


@dashboard.register
def open_zorgen(request):
    """Whoever takes the next step (the praktijkopleider, the stage's werkplekbegeleider) sees the open concerns, the
    first next step first; the rest are on each stage's Zorgen page."""
    zorgen = (
        Zorg.objects.open()
        .filter(stage__in=zorg_writer_stages(request.user))
        .select_related("stage__stagiair")
        .order_by("next_step_on", "pk")
    )
    shown = list(zorgen[: PANEL_ROWS + 1])
    if not shown:
        return None
    return dashboard.Panel(
        "beoordeling/panels/zorgen.html",
        {"zorgen": shown[:PANEL_ROWS], "more": len(shown) > PANEL_ROWS},
        order=12,
    )
